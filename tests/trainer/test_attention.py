"""Attention rollout (issue 21) against a direct computation from each block's q and k."""
import base64
import json

import numpy as np
import timm
import torch
from deit_trainer.attention import encode_map, rollout, write_attention


def tiny(name="deit_tiny_patch16_224"):
    torch.manual_seed(0)
    return timm.create_model(name, pretrained=False, num_classes=5, img_size=64).eval()


def direct_rollout(model, x):
    """Attention from the blocks' own q/k weights (hooked block inputs), rolled out in numpy."""
    inputs = []
    handles = [blk.attn.register_forward_pre_hook(lambda _m, args: inputs.append(args[0].detach()))
               for blk in model.blocks]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    joint = None
    for blk, xin in zip(model.blocks, inputs):
        a = blk.attn
        b, n, _ = xin.shape
        with torch.no_grad():
            qkv = a.qkv(xin).reshape(b, n, 3, a.num_heads, a.head_dim).permute(2, 0, 3, 1, 4)
        q, k = a.q_norm(qkv[0]), a.k_norm(qkv[1])
        att = torch.softmax((q @ k.transpose(-2, -1)) * a.head_dim ** -0.5, -1).mean(1).double().numpy()
        att = 0.5 * att + 0.5 * np.eye(n)
        att /= att.sum(-1, keepdims=True)
        joint = att if joint is None else att @ joint
    p = model.num_prefix_tokens
    rows = joint[:, :p, p:]
    rows /= rows.max(-1, keepdims=True)
    g = model.patch_embed.grid_size
    return rows.reshape(rows.shape[0], p, g[0], g[1])


def images(b=3):
    return torch.randn(b, 3, 64, 64, generator=torch.Generator().manual_seed(1))


def test_rollout_matches_the_direct_computation_and_leaves_the_model_as_it_was():
    model, x = tiny(), images()
    expected_logits = model(x).detach()
    fused = [blk.attn.fused_attn for blk in model.blocks]
    logits, maps = rollout(model, x)
    assert maps.shape == (3, 1, 4, 4)  # 64 px / 16 px patches, one class token
    assert np.allclose(maps.numpy(), direct_rollout(model, x), atol=1e-5)
    assert torch.allclose(logits, expected_logits, atol=1e-4)  # the explicit path gives the same answer
    assert [blk.attn.fused_attn for blk in model.blocks] == fused and not model.training


def test_distilled_models_get_a_map_for_each_token_and_values_lie_in_0_1():
    model = tiny("deit_tiny_distilled_patch16_224")
    logits, maps = rollout(model, images(2))
    assert logits.shape == (2, 5) and maps.shape == (2, 2, 4, 4)
    assert maps.min() >= 0 and torch.allclose(maps.amax((-2, -1)), torch.ones(2, 2))
    assert np.allclose(maps.numpy(), direct_rollout(model, images(2)), atol=1e-5)


def test_training_mode_is_restored():
    model = tiny().train()
    rollout(model, images(1))
    assert model.training


def test_maps_are_stored_small_and_read_back(tmp_path):
    _, maps = rollout(tiny("deit_tiny_distilled_patch16_224"), images(1))
    entry = encode_map(maps[0])
    cls = np.frombuffer(base64.b64decode(entry["cls"]), dtype=np.uint8).reshape(entry["grid"])
    assert entry["grid"] == [4, 4] and "dist" in entry and cls.max() == 255
    assert np.abs(cls / 255 - maps[0, 0].numpy()).max() <= 0.5 / 255 + 1e-6
    path = tmp_path / "eval" / "attention.json"
    path.parent.mkdir()
    write_attention(str(path), {"a/b.jpg": entry})
    saved = json.loads(path.read_text())
    assert saved["maps"]["a/b.jpg"] == entry and "rollout" in saved["method"]


def test_the_run_end_maps_exactly_the_listed_mistakes_from_the_eval_cache_rows(tmp_path):
    from types import SimpleNamespace

    from deit_trainer.attention import write_misclassified_attention
    from deit_trainer.augment import eval_batch
    from deit_trainer.decode import decode_row
    from PIL import Image
    model, rng = tiny(), np.random.default_rng(2)
    rows = []
    for i in range(5):  # real cache rows (decode.py) of small noisy pictures
        Image.fromarray(rng.integers(0, 256, (70 + i, 90, 3), dtype=np.uint8)).save(tmp_path / f"{i}.png")
        rows.append(decode_row(str(tmp_path / f"{i}.png"), 73, None, "bicubic"))
    array = np.stack(rows)
    cache = SimpleNamespace(array=array, row={f"c/{i}.jpg": i for i in range(5)})
    (tmp_path / "eval").mkdir()
    wrong = ["c/3.jpg", "c/0.jpg"]
    (tmp_path / "eval" / "misclassified.json").write_text(json.dumps([{"path": p} for p in wrong]))
    path = write_misclassified_attention(str(tmp_path), model, cache, 64, torch.device("cpu"), crop=64 / 73)
    maps = json.loads(open(path).read())["maps"]
    assert sorted(maps) == sorted(wrong) and {m["crop"] for m in maps.values()} == {round(64 / 73, 4)}
    x = eval_batch(torch.from_numpy(array[[3, 0]]), 64)  # validation's own preprocessing of those rows
    expected = direct_rollout(model, x)
    for i, p in enumerate(wrong):
        got = np.frombuffer(base64.b64decode(maps[p]["cls"]), np.uint8).reshape(4, 4)
        assert maps[p]["grid"] == [4, 4] and np.abs(got.astype(float) - expected[i, 0] * 255).max() <= 1


def test_models_without_blocks_get_no_attention_file(tmp_path):
    from deit_trainer.attention import write_misclassified_attention
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "misclassified.json").write_text("[]")
    assert write_misclassified_attention(str(tmp_path), torch.nn.Linear(2, 2), None, 64, "cpu") is None
    assert not (tmp_path / "eval" / "attention.json").exists()
