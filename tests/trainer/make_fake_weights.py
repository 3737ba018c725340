"""Make a fake Hugging Face hub cache holding randomly initialised timm weights (tests only).

The hub cannot be reached in tests or CI, so this writes the real cache layout that
`huggingface_hub` reads offline (HF_HOME=<out>, HF_HUB_OFFLINE=1):
    <out>/hub/models--timm--<model>.<tag>/blobs/<sha256>
    <out>/hub/models--timm--<model>.<tag>/snapshots/<revision>/model.safetensors -> ../../blobs/<sha256>
    <out>/hub/models--timm--<model>.<tag>/refs/main                              (the revision)
The weights are a freshly initialised timm model (1000 classes, native image size) saved with
safetensors, so loading exercises the trainer's real path: offline hub lookup, head replacement,
position-embedding resize.

Usage (needs torch, timm, safetensors: run it inside the trainer image):
    python tests/trainer/make_fake_weights.py --out /weights --model deit_tiny_patch16_224 [--seed 0]
    from make_fake_weights import make_fake_weights; make_fake_weights(out, "deit_tiny_patch16_224")
"""
import argparse
import hashlib
import os


def make_fake_weights(out, model_name, seed=0):
    """Writes the fake cache entry; returns the path of model.safetensors."""
    import timm
    import torch
    from safetensors.torch import save_file

    repo = timm.models.get_pretrained_cfg(model_name).hf_hub_id  # e.g. timm/deit_tiny_patch16_224.fb_in1k
    torch.manual_seed(seed)
    model = timm.create_model(model_name, pretrained=False)
    folder = os.path.join(out, "hub", "models--" + repo.replace("/", "--"))
    os.makedirs(os.path.join(folder, "blobs"), exist_ok=True)
    tmp = os.path.join(folder, "blobs", f".tmp-{os.getpid()}")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, tmp, metadata={"format": "pt"})
    with open(tmp, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    blob = os.path.join(folder, "blobs", digest)
    os.replace(tmp, blob)
    revision = hashlib.sha1(f"fake:{model_name}:{seed}".encode()).hexdigest()
    snapshot = os.path.join(folder, "snapshots", revision)
    os.makedirs(snapshot, exist_ok=True)
    link = os.path.join(snapshot, "model.safetensors")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.join("..", "..", "blobs", digest), link)
    os.makedirs(os.path.join(folder, "refs"), exist_ok=True)
    with open(os.path.join(folder, "refs", "main"), "w") as f:
        f.write(revision)
    return link


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="HF_HOME folder to fill (the trainer's weights_dir)")
    p.add_argument("--model", action="append", required=True, help="timm model id (repeatable)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    for name in args.model:
        print(make_fake_weights(args.out, name, args.seed))


if __name__ == "__main__":
    main()
