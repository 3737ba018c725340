"""`fetch-weights`: download a model's pretrained weights into the Hugging Face hub cache.

Usage (a container WITH network, the weights folder mounted read-write):
    python -m deit_trainer fetch-weights --model deit_small_patch16_224 --weights-dir /weights
Emits progress events (phase `weights`); already-cached weights are not downloaded again (exit 0).
When the hub cannot be reached: an `error` event of kind `weights_missing`, exit 4.
"""
from .errors import TrainerError
from .model import cached_weights, hub_cache, hub_file, use_weights_dir


def fetch_weights(model_name, weights_dir, events):
    use_weights_dir(weights_dir, offline=False)  # before huggingface_hub is imported
    repo, revision = hub_file(model_name)
    path = cached_weights(model_name, weights_dir)
    if path:
        events.progress("weights", 1, 1, f"The weights of {model_name} are already in the cache ({repo})")
        return path
    events.progress("weights", 0, 1, f"Downloading the weights of {model_name} ({repo})")
    from huggingface_hub import hf_hub_download
    try:
        path = hf_hub_download(repo, "model.safetensors", revision=revision, cache_dir=hub_cache(weights_dir))
    except Exception as e:
        raise TrainerError("weights_missing", f"The weights of {model_name} could not be downloaded from the "
                           "Hugging Face hub.", "Check the internet connection (and any proxy), then try again. "
                           "Or turn off 'pretrained'.", detail=f"{type(e).__name__}: {str(e)[:1500]}") from None
    events.progress("weights", 1, 1, f"Downloaded the weights of {model_name}")
    return path
