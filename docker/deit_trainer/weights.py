"""`fetch-weights`: download a model's pretrained weights into the Hugging Face hub cache.

Usage (a container WITH network, the weights folder mounted read-write):
    python -m deit_trainer fetch-weights --model deit_small_patch16_224 --weights-dir /weights
Emits progress events (phase `weights`); already-cached weights are not downloaded again (exit 0).
When the hub cannot be reached: an `error` event of kind `weights_missing`, exit 4, whose message says
what failed (connection, proxy, certificate, mirror).
Network settings come from the environment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case; read by
`requests`, which huggingface_hub 0.36 uses), HF_ENDPOINT (a hub mirror), and DEIT_EXTRA_CA_FILE: a PEM
file of extra trusted certificates (a TLS-inspecting proxy), added to certifi's bundle and passed as
REQUESTS_CA_BUNDLE / SSL_CERT_FILE. With any of these set, hf-xet's own (Rust) client is switched off
(HF_HUB_DISABLE_XET=1): it does not read those certificates, and the plain HTTP download does.
"""
import os
import tempfile

from .errors import TrainerError
from .model import cached_weights, hub_cache, hub_file, use_weights_dir

PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")


def use_network_settings(environ=None):
    """Applies the extra CA file and the xet switch to the environment (before huggingface_hub is imported).

    Returns a short description of the settings in use, for the log ("" when none)."""
    env = os.environ if environ is None else environ
    notes = []
    extra = env.get("DEIT_EXTRA_CA_FILE")
    if extra and os.path.isfile(extra) and os.path.getsize(extra) > 0:
        import certifi
        bundle = os.path.join(tempfile.mkdtemp(prefix="deit-ca-"), "ca-bundle.pem")
        with open(certifi.where(), encoding="utf-8") as base, open(extra, encoding="utf-8") as more, \
                open(bundle, "w", encoding="utf-8") as out:
            out.write(base.read().rstrip("\n") + "\n" + more.read())
        env["REQUESTS_CA_BUNDLE"] = env["SSL_CERT_FILE"] = bundle
        notes.append("extra certificates")
    proxy = next((env[k] for k in PROXY_VARS if env.get(k)), None)
    if proxy:
        notes.append(f"proxy {_without_password(proxy)}")
    if env.get("HF_ENDPOINT"):
        notes.append(f"mirror {env['HF_ENDPOINT']}")
    if notes:
        env["HF_HUB_DISABLE_XET"] = "1"
    return ", ".join(notes)


def _without_password(url):
    """http://user:secret@proxy:3128 -> http://user:***@proxy:3128 (never log a password)."""
    scheme, sep, rest = url.rpartition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{creds}{at}{host}"


def why_failed(error):
    """The failure of a download in plain words (requests' exception classes, without importing them)."""
    names = {cls.__name__ for cls in type(error).__mro__}
    text = str(error)
    if "SSLError" in names or "CERTIFICATE_VERIFY_FAILED" in text:
        return ("the secure connection was refused because a certificate could not be verified (a company proxy "
                "that inspects encrypted traffic needs its certificate added on this computer)")
    if "ProxyError" in names:
        return "the proxy refused or could not make the connection"
    if "HfHubHTTPError" in names or "EntryNotFoundError" in names or "RepositoryNotFoundError" in names:
        return "the hub (or the mirror) answered with an error"
    if "ConnectionError" in names or "Timeout" in names or "LocalEntryNotFoundError" in names:
        return "the hub could not be reached (no internet connection, or a proxy is needed)"
    return "the download failed"


def fetch_weights(model_name, weights_dir, events):
    use_weights_dir(weights_dir, offline=False)  # before huggingface_hub is imported
    settings = use_network_settings()
    repo, revision = hub_file(model_name)
    path = cached_weights(model_name, weights_dir)
    if path:
        events.progress("weights", 1, 1, f"The weights of {model_name} are already in the cache ({repo})")
        return path
    via = f" through {settings}" if settings else ""
    events.progress("weights", 0, 1, f"Downloading the weights of {model_name} ({repo}){via}")
    from huggingface_hub import hf_hub_download
    try:
        path = hf_hub_download(repo, "model.safetensors", revision=revision, cache_dir=hub_cache(weights_dir))
    except Exception as e:
        raise TrainerError("weights_missing", f"The weights of {model_name} could not be downloaded from the "
                           f"Hugging Face hub{via}: {why_failed(e)}.",
                           "Check the internet connection and any proxy; set a proxy or a hub mirror; import a weights "
                           "file downloaded elsewhere (import-weights); or train from scratch (model.pretrained=false).",
                           detail=f"{type(e).__name__}: {str(e)[:1500]}") from None
    events.progress("weights", 1, 1, f"Downloaded the weights of {model_name}")
    return path
