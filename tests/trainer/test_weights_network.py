"""fetch-weights behind a mirror, a TLS-inspecting proxy's certificate and an HTTP proxy, for real.

A local HTTPS server plays a Hugging Face mirror (HF_ENDPOINT), with a certificate from a test CA that
no public bundle trusts (what a company's TLS-inspecting proxy presents); a local CONNECT proxy plays
the company proxy. `fetch-weights` runs as its own process (huggingface_hub reads HF_ENDPOINT and
HF_HUB_DISABLE_XET when imported), with the real huggingface_hub 0.36 / requests stack, inside the
test container (no network: everything is on 127.0.0.1).
"""
import hashlib
import http.server
import json
import os
import select
import socket
import socketserver
import ssl
import subprocess
import sys
import threading

import pytest

from conftest import MODEL

REPO = "timm/deit_tiny_patch16_224.fb_in1k"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
BODY = os.urandom(4096)  # the "weights" the mirror serves (the hub client does not parse them)


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A test CA and a server certificate for localhost signed by it."""
    d = str(tmp_path_factory.mktemp("certs"))
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=DeiT Studio test CA",
             "-keyout", "ca.key", "-out", "ca.pem", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
             "-out", "server.csr", cwd=d)
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
             "-extfile", "san.ext", "-out", "server.pem", cwd=d)
    return d


class Mirror(http.server.BaseHTTPRequestHandler):
    """Answers like the hub's resolve endpoint for one file."""
    paths = []

    def _head(self):
        Mirror.paths.append(self.path)
        if self.path != f"/{REPO}/resolve/main/model.safetensors":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        self.send_response(200)
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("ETag", f'"{hashlib.sha256(BODY).hexdigest()}"')
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        return True

    def do_HEAD(self):
        self._head()

    def do_GET(self):
        if self._head():
            self.wfile.write(BODY)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def mirror(certs):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certs, "server.pem"), os.path.join(certs, "server.key"))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://localhost:{server.server_address[1]}"
    server.shutdown()


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.connects = []


class ProxyHandler(socketserver.StreamRequestHandler):
    """An HTTP CONNECT proxy: records each target, then tunnels bytes both ways."""

    def handle(self):
        line = self.rfile.readline().decode("latin-1").split()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        if len(line) < 2 or line[0] != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        self.server.connects.append(line[1])
        host, port = line[1].rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        sockets = [self.connection, upstream]
        while True:
            ready, _, _ = select.select(sockets, [], [], 10)
            if not ready:
                break
            for s in ready:
                data = s.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if s is self.connection else self.connection).sendall(data)


@pytest.fixture(scope="module")
def proxy():
    server = Proxy()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def fetch(weights, **env):
    """Runs `python -m deit_trainer fetch-weights` with exactly these network settings."""
    base = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k not in (
        "HF_ENDPOINT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "DEIT_EXTRA_CA_FILE")}
    done = subprocess.run([sys.executable, "-m", "deit_trainer", "fetch-weights", "--model", MODEL,
                           "--weights-dir", str(weights)], env={**base, **env}, capture_output=True, text=True,
                          timeout=120)
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, events


def cached(weights):
    path = weights / "hub" / ("models--" + REPO.replace("/", "--")) / "snapshots" / COMMIT / "model.safetensors"
    return path.read_bytes() if path.exists() else None


def test_a_mirror_behind_an_inspecting_proxy_needs_its_certificate(tmp_path, certs, mirror):
    code, events = fetch(tmp_path / "w1", HF_ENDPOINT=mirror)
    assert code == 4 and events[-1]["kind"] == "weights_missing"
    assert "a certificate could not be verified" in events[-1]["message"]
    assert f"through mirror {mirror}" in events[-1]["message"]
    assert cached(tmp_path / "w1") is None

    Mirror.paths.clear()
    code, events = fetch(tmp_path / "w2", HF_ENDPOINT=mirror, DEIT_EXTRA_CA_FILE=os.path.join(certs, "ca.pem"))
    assert code == 0, events
    assert cached(tmp_path / "w2") == BODY
    assert Mirror.paths and all(p.startswith(f"/{REPO}/resolve/main/") for p in Mirror.paths)
    assert f"through extra certificates, mirror {mirror}" in events[0]["message"]


def test_the_download_goes_through_the_proxy_unless_no_proxy_says_otherwise(tmp_path, certs, mirror, proxy):
    ca = os.path.join(certs, "ca.pem")
    port = mirror.rsplit(":", 1)[1]
    proxy.connects.clear()
    code, events = fetch(tmp_path / "w1", HF_ENDPOINT=mirror, DEIT_EXTRA_CA_FILE=ca,
                         HTTPS_PROXY=f"http://user:secret@127.0.0.1:{proxy.server_address[1]}")
    assert code == 0, events
    assert proxy.connects and set(proxy.connects) == {f"localhost:{port}"}
    assert "proxy http://user:***@127.0.0.1" in events[0]["message"] and "secret" not in events[0]["message"]
    assert cached(tmp_path / "w1") == BODY

    proxy.connects.clear()  # lower-case names work too, and NO_PROXY keeps the mirror direct
    code, events = fetch(tmp_path / "w2", HF_ENDPOINT=mirror, DEIT_EXTRA_CA_FILE=ca,
                         https_proxy=f"http://127.0.0.1:{proxy.server_address[1]}", no_proxy="localhost")
    assert code == 0 and proxy.connects == [] and cached(tmp_path / "w2") == BODY


def test_the_extra_certificates_are_added_to_the_public_ones(tmp_path, certs):
    import certifi
    from deit_trainer.weights import use_network_settings
    env = {"DEIT_EXTRA_CA_FILE": os.path.join(certs, "ca.pem")}
    assert use_network_settings(env) == "extra certificates"
    bundle = open(env["REQUESTS_CA_BUNDLE"]).read()
    assert env["SSL_CERT_FILE"] == env["REQUESTS_CA_BUNDLE"] and env["HF_HUB_DISABLE_XET"] == "1"
    assert bundle.startswith(open(certifi.where()).read().rstrip("\n"))
    assert bundle.endswith(open(os.path.join(certs, "ca.pem")).read())
    plain = {}
    assert use_network_settings(plain) == "" and "HF_HUB_DISABLE_XET" not in plain  # no settings: as before
