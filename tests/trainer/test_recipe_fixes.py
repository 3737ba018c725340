"""Recipe fixes: a new head for 1,000 classes, strict checkpoint loading, layer-wise lr decay, class weights."""
import io
import math
import os

import pytest
import torch
import torch.nn.functional as F
from conftest import MODEL, of_type, read_events, run_cli, write_config
from make_dataset import make_learnable
from make_fake_weights import make_fake_weights

from deit_trainer.checkpoint import load_checkpoint, save_checkpoint
from deit_trainer.config import validate
from deit_trainer.errors import TrainerError
from deit_trainer.events import EventStream
from deit_trainer.losses import class_weights, training_loss
from deit_trainer.model import create_model, load_init_checkpoint, make_optimizer, param_groups


def model_cfg(weights_dir, name=MODEL, **model):
    return validate({"version": 1, "model": {"name": name, "pretrained": True, "weights_dir": str(weights_dir),
                                             "init_checkpoint": None, "img_size": 32, "drop_path": 0.0,
                                             "freeze_backbone": False, **model},
                     "train": {"layer_decay": 0.75}})


def pretrained_state(weights_dir, name):
    from safetensors.torch import load_file
    from deit_trainer.model import cached_weights
    return load_file(cached_weights(name, str(weights_dir)))


@pytest.mark.parametrize("name", [MODEL, "deit_tiny_distilled_patch16_224"])
def test_head_is_new_for_exactly_1000_classes(name, weights_dir, tmp_path):
    if name != MODEL:
        weights_dir = tmp_path / "w"
        make_fake_weights(str(weights_dir), name)
    pre = pretrained_state(weights_dir, name)
    torch.manual_seed(0)
    model = create_model(model_cfg(weights_dir, name), [f"c{i}" for i in range(1000)], EventStream(io.StringIO()))
    state = model.state_dict()
    heads = ["head"] + (["head_dist"] if "distilled" in name else [])
    for head in heads:
        assert state[f"{head}.weight"].shape == pre[f"{head}.weight"].shape == (1000, 192)
        assert not torch.equal(state[f"{head}.weight"], pre[f"{head}.weight"]), f"{head} kept the ImageNet weights"
        assert torch.count_nonzero(state[f"{head}.bias"]) == 0  # a new head: zero bias, as timm initialises one
        assert 0.015 < state[f"{head}.weight"].std() < 0.025  # truncated normal, std 0.02
    assert torch.equal(state["blocks.3.mlp.fc1.weight"], pre["blocks.3.mlp.fc1.weight"])  # the backbone is loaded


def _checkpoint(tmp_path, weights_dir, classes, edit):
    torch.manual_seed(1)
    model = create_model(model_cfg(weights_dir, pretrained=False), classes, EventStream(io.StringIO()))
    state = model.state_dict()
    edit(state)
    path = str(tmp_path / "best.pt")
    save_checkpoint(path, {"model_name": MODEL, "classes": classes, "img_size": 32, "model": state})
    return path, model


@pytest.mark.parametrize("edit, words", [
    (lambda s: s.pop("blocks.2.attn.qkv.weight"), "1 weight(s) missing"),
    (lambda s: s.update(extra_token=torch.zeros(3)), "1 unexpected"),
])
def test_checkpoint_with_a_missing_or_extra_backbone_key_is_refused(edit, words, tmp_path, weights_dir):
    classes = ["a", "b", "c"]
    path, _ = _checkpoint(tmp_path, weights_dir, classes, edit)
    for start_classes in (classes, ["x", "y"]):  # whether or not the head is kept
        fresh = create_model(model_cfg(weights_dir, pretrained=False), start_classes, EventStream(io.StringIO()))
        with pytest.raises(TrainerError) as e:
            load_init_checkpoint(fresh, path, MODEL, start_classes, EventStream(io.StringIO()))
        assert e.value.kind == "checkpoint_invalid" and words in e.value.message
        assert "blocks.2.attn.qkv.weight" in e.value.detail or "extra_token" in e.value.detail


def test_checkpoint_of_other_classes_loads_the_backbone_and_leaves_the_new_head(tmp_path, weights_dir):
    path, earlier = _checkpoint(tmp_path, weights_dir, ["a", "b", "c"], lambda s: None)
    torch.manual_seed(2)
    fresh = create_model(model_cfg(weights_dir, pretrained=False), ["x", "y"], EventStream(io.StringIO()))
    head = fresh.head.weight.detach().clone()
    load_init_checkpoint(fresh, path, MODEL, ["x", "y"], EventStream(io.StringIO()))
    assert torch.equal(fresh.blocks[5].attn.proj.weight, earlier.blocks[5].attn.proj.weight)
    assert torch.equal(fresh.head.weight, head)


def _scale_of(groups, model):
    by_param = {id(p): g for g in groups for p in g["params"]}
    return {n: (by_param[id(p)]["lr_scale"], by_param[id(p)]["weight_decay"]) for n, p in model.named_parameters()}


def test_layer_decay_scales_per_block_as_beit_mae_and_timm():
    import timm
    model = timm.create_model(MODEL, num_classes=3, img_size=32)
    d, blocks = 0.65, 12
    got = _scale_of(param_groups(model, 0.05, d), model)
    want = {"head.weight": 1.0, "head.bias": 1.0, "norm.weight": d, "norm.bias": d,  # the final norm with the last block
            "blocks.11.attn.qkv.weight": d, "blocks.11.mlp.fc2.bias": d,
            "blocks.5.attn.proj.weight": d ** (blocks - 5), "blocks.0.norm1.weight": d ** blocks,
            "patch_embed.proj.weight": d ** (blocks + 1), "pos_embed": d ** (blocks + 1), "cls_token": d ** (blocks + 1)}
    for name, scale in want.items():
        assert got[name][0] == pytest.approx(scale), name
    # the no-weight-decay rules are kept
    assert got["blocks.5.attn.proj.weight"][1] == 0.05 and got["head.weight"][1] == 0.05
    for name in ("blocks.5.attn.proj.bias", "norm.weight", "pos_embed", "cls_token", "blocks.0.norm1.weight"):
        assert got[name][1] == 0.0, name
    # off: every group at scale 1, two groups as before
    off = param_groups(model, 0.05, 1.0)
    assert len(off) == 2 and all(g["lr_scale"] == 1.0 for g in off)
    opt, _ = make_optimizer(model, 1e-3, 0.05, torch.device("cpu"), d)
    assert all(g["lr"] == pytest.approx(1e-3 * g["lr_scale"]) for g in opt.param_groups)


def test_layer_decay_and_class_weights_in_a_real_run(tmp_path, weights_dir, cache_dir):
    data = tmp_path / "data"
    make_learnable(str(data), classes=3, per_class=12)
    for f in sorted(os.listdir(data / "class_1"))[:8]:  # imbalance: class_1 keeps 4 of 12
        os.remove(data / "class_1" / f)
    run = tmp_path / "run"
    cfg = write_config(run, data, weights_dir, cache_dir, train={"epochs": 1, "layer_decay": 0.5,
                                                                 "class_balance": "weights"})
    code, _ = run_cli("train", "--config", cfg)
    assert code == 0
    recipe = of_type(read_events(str(run)), "run_started")[0]["recipe"]
    assert recipe["layer_decay"] == 0.5 and recipe["class_balance"] == "weights"
    ckpt = load_checkpoint(str(run / "checkpoints" / "last.pt"))
    groups = ckpt["optimizer"]["param_groups"]
    head_lr = max(g["lr"] for g in groups)
    assert sorted({g["lr_scale"] for g in groups}) == pytest.approx([0.5 ** k for k in range(13, -1, -1)])
    for g in groups:  # train.py sets each group's lr to the schedule's lr x its scale
        assert g["lr"] == pytest.approx(head_lr * g["lr_scale"])
    report = (run / "report.md").read_text()
    assert "Layer-wise lr decay 0.5" in report and "Class balance: loss weights" in report
    # from scratch the decay is not used
    run2 = tmp_path / "run2"
    cfg = write_config(run2, data, weights_dir, cache_dir, model={"pretrained": False},
                       train={"epochs": 1, "layer_decay": 0.5})
    assert run_cli("train", "--config", cfg)[0] == 0
    assert of_type(read_events(str(run2)), "run_started")[0]["recipe"]["layer_decay"] == 1.0


def test_class_weights_are_inverse_to_frequency_and_change_the_loss_as_by_hand():
    w = class_weights([6, 2, 0, 4])  # N = 12, C = 4: 12 / (4 n_c); a class with no images weighs 0
    assert w.tolist() == pytest.approx([0.5, 1.5, 0.0, 0.75])
    w = class_weights([3, 1])        # N = 4, C = 2
    assert w.tolist() == pytest.approx([4 / 6, 2.0])
    logits = torch.tensor([[2.0, 0.0], [0.5, 1.0], [0.0, 3.0]])
    y = torch.tensor([0, 0, 1])
    logp = [[x - math.log(sum(math.exp(v) for v in row)) for x in row] for row in logits.tolist()]
    ws = [4 / 6, 4 / 6, 2.0]
    by_hand = sum(wi * -logp[i][yi] for i, (wi, yi) in enumerate(zip(ws, y.tolist()))) / sum(ws)
    assert training_loss(logits, y, None, 0.0, w).item() == pytest.approx(by_hand, rel=1e-6)
    unweighted = sum(-logp[i][yi] for i, yi in enumerate(y.tolist())) / 3
    assert training_loss(logits, y, None, 0.0, None).item() == pytest.approx(unweighted, rel=1e-6)
    assert abs(by_hand - unweighted) > 0.05
    # label smoothing eps: PyTorch's weighted form, (1-eps)·w_y·nll + eps/C·Σ_c w_c·(-log p_c), over Σ w_y
    eps, wc = 0.1, [4 / 6, 2.0]
    smooth = sum((1 - eps) * ws[i] * -logp[i][yi] + eps / 2 * sum(wc[c] * -logp[i][c] for c in range(2))
                 for i, yi in enumerate(y.tolist())) / sum(ws)
    assert training_loss(logits, y, None, eps, w).item() == pytest.approx(smooth, rel=1e-6)
    # soft targets (mixup/cutmix): the batch mean of -Σ_c w_c t_c log p_c
    t = torch.tensor([[0.7, 0.3], [0.5, 0.5], [0.1, 0.9]])
    soft = sum(-sum(wc[c] * t[i, c].item() * logp[i][c] for c in range(2)) for i in range(3)) / 3
    assert training_loss(logits, y, t, eps, w).item() == pytest.approx(soft, rel=1e-6)
    assert training_loss(logits, y, t, eps, None).item() == pytest.approx(
        (-(t * F.log_softmax(logits, 1)).sum(1)).mean().item(), rel=1e-6)


def test_frozen_backbone_of_a_distilled_model_trains_both_heads():
    import timm
    from deit_trainer.model import freeze_backbone
    model = timm.create_model("deit_tiny_distilled_patch16_224", num_classes=3, img_size=32)
    freeze_backbone(model)  # get_classifier() of a distilled DeiT is a tuple: this used to fail
    trainable = sorted(n for n, p in model.named_parameters() if p.requires_grad)
    assert trainable == ["head.bias", "head.weight", "head_dist.bias", "head_dist.weight"]
