"""The whole picture: cache rows keep every border, training crops reach them, eval is timm's resize + crop."""
import numpy as np
import pytest
import torch
from PIL import Image
from deit_trainer.augment import MEAN, STD, eval_batch, train_batch
from deit_trainer.crops import extent
from deit_trainer.decode import decode_row, read_header, row_width
from deit_trainer.preprocess import eval_preprocessing, resize_side


def banded(width, height):
    """Left 20 % pure red, right 20 % pure blue, grey between."""
    arr = np.full((height, width, 3), 128, np.uint8)
    band = width // 5
    arr[:, :band] = (255, 0, 0)
    arr[:, width - band:] = (0, 0, 255)
    return Image.fromarray(arr)


def unnormalise(x):
    return x * torch.tensor(STD).view(1, 3, 1, 1) + torch.tensor(MEAN).view(1, 3, 1, 1)


def test_a_wide_pictures_borders_reach_training(tmp_path):
    path = tmp_path / "wide.png"
    banded(640, 360).save(path)  # 16:9: the centre square of the old cache kept neither band
    row = torch.from_numpy(decode_row(str(path), 40, 80, "bilinear"))
    assert read_header(row.numpy()) == (40, 71, False)
    x = row.unsqueeze(0).expand(64, -1, -1, -1).contiguous()
    red = blue = 0
    for seed in range(4):
        out = unnormalise(train_batch(x, 32, "light", torch.Generator().manual_seed(seed)))
        r, g, b = out[:, 0], out[:, 1], out[:, 2]
        red += int(((r > 0.9) & (g < 0.1) & (b < 0.1)).any(2).any(1).sum())
        blue += int(((b > 0.9) & (r < 0.1) & (g < 0.1)).any(2).any(1).sum())
    assert red > 20 and blue > 20  # of 256 crops, many reach each border


def test_portrait_pictures_are_stored_transposed_and_cropped_upright(tmp_path):
    arr = np.zeros((90, 60, 3), np.uint8)  # portrait: top third red, bottom third blue
    arr[:30] = (255, 0, 0)
    arr[60:] = (0, 0, 255)
    path = tmp_path / "tall.png"
    Image.fromarray(arr).save(path)
    row = decode_row(str(path), 24, 48, "bilinear")
    assert read_header(row) == (24, 36, True)
    out = unnormalise(train_batch(torch.from_numpy(row).unsqueeze(0).expand(32, -1, -1, -1).contiguous(), 16,
                                  "light", torch.Generator().manual_seed(0)))
    top, bottom = out[:, :, 0].mean((0, 2)), out[:, :, -1].mean((0, 2))
    assert top[0] > top[2] and bottom[2] > bottom[0]  # red stays on top, blue at the bottom: not turned


def reference_eval(path, img_size, resize, resample):
    """torchvision's Resize(resize) + CenterCrop(img_size), written out with PIL alone."""
    im = Image.open(path).convert("RGB")
    w, h = im.size
    short, long = min(w, h), max(w, h)
    new_long = int(resize * long / short)
    im = im.resize((resize, new_long) if w < h else (new_long, resize), resample)
    w, h = im.size
    top, left = int(round((h - img_size) / 2.0)), int(round((w - img_size) / 2.0))
    return np.asarray(im.crop((left, top, left + img_size, top + img_size)), np.float32) / 255


@pytest.mark.parametrize("size", [(300, 200), (200, 300), (301, 173), (173, 301), (250, 250), (60, 40)])
def test_eval_crop_is_the_models_resize_and_centre_crop(tmp_path, size):
    rng = np.random.default_rng(sum(size))
    path = tmp_path / f"{size[0]}x{size[1]}.png"
    Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)).save(path)
    img, resize = 32, resize_side(32, 0.875)
    want = reference_eval(path, img, resize, Image.BICUBIC)
    for width in (row_width(resize, [size]), 2 * resize):  # the row's width does not matter
        row = torch.from_numpy(decode_row(str(path), resize, width, "bicubic")).unsqueeze(0)
        got = unnormalise(eval_batch(row, img))[0].permute(1, 2, 0).numpy()
        assert np.abs(got - want).max() < 1e-5  # the same pixels, up to normalising and back


def test_pictures_wider_than_two_to_one_are_fitted_whole(tmp_path):
    path = tmp_path / "pano.png"
    banded(300, 50).save(path)  # 6:1
    row = decode_row(str(path), 20, 40, "bilinear")
    rows, cols, transposed = read_header(row)
    assert (rows, cols, transposed) == (6, 40, False)
    assert tuple(row[3, 0]) == (255, 0, 0) and tuple(row[3, 39]) == (0, 0, 255)  # both ends kept
    x = eval_batch(torch.from_numpy(row).unsqueeze(0), 16)
    assert x.shape == (1, 3, 16, 16) and torch.isfinite(x).all()


def test_extent_reads_headers_and_takes_plain_arrays_whole():
    plain = torch.zeros((2, 10, 12, 3), dtype=torch.uint8)
    ext = extent(plain)
    assert ext.side == 9 and ext.rows.tolist() == [9, 9] and ext.cols.tolist() == [12, 12]
    assert not ext.transposed.any()


def test_the_eval_resize_follows_timm():
    import timm
    p = eval_preprocessing("deit_small_patch16_224", 224)
    cfg = timm.models.get_pretrained_cfg("deit_small_patch16_224")
    assert p["crop_pct"] == cfg.crop_pct and p["interpolation"] == cfg.interpolation
    assert p["resize"] == int(224 / cfg.crop_pct)  # timm: math.floor(img_size / crop_pct)
    assert eval_preprocessing("deit_base_patch16_384", 384)["resize"] == 384  # crop_pct 1.0
    assert eval_preprocessing("no_such_model", 224) == {"crop_pct": 0.875, "resize": 256, "interpolation": "bicubic"}


def test_predict_gives_validations_probabilities_for_the_same_file(tmp_path):
    import csv
    import io

    import timm
    from deit_trainer.cache import build_cache
    from deit_trainer.checkpoint import save_checkpoint
    from deit_trainer.predict import predict
    from make_dataset import learnable_image

    rng = np.random.default_rng(0)
    root = tmp_path / "data"
    (root / "a").mkdir(parents=True)
    sizes = [(90, 40), (40, 90), (64, 64), (300, 40), (37, 51)]  # wide, tall, square, beyond 2:1, odd
    for i, size in enumerate(sizes):
        learnable_image(i, rng, size).save(root / "a" / f"{i}.{'png' if i % 2 else 'jpg'}")
    files = [f"a/{i}.{'png' if i % 2 else 'jpg'}" for i in range(len(sizes))]
    model_name, img = "deit_tiny_patch16_224", 32
    prep = eval_preprocessing(model_name, img)
    torch.manual_seed(0)
    model = timm.create_model(model_name, pretrained=False, num_classes=3, img_size=img).eval()
    save_checkpoint(str(tmp_path / "best.pt"), {"model_name": model_name, "classes": ["x", "y", "z"], "img_size": img,
                                                "model": model.state_dict(), "epoch": 1, "preprocessing": prep})

    class Quiet:
        def progress(self, *a, **k):
            pass

    cache = build_cache(str(root), files, prep["resize"], str(tmp_path / "cache"), 0, Quiet(), lambda: False,
                        interpolation=prep["interpolation"])
    with torch.no_grad():  # validation's way: cache rows -> eval_batch -> model
        val_probs = model(eval_batch(torch.from_numpy(np.asarray(cache.array)), img)).softmax(1)
    out = io.StringIO()
    predict(str(tmp_path / "best.pt"), str(root), out, top_k=3)
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    for i, rel in enumerate(files):
        got = {k: float(v) for k, v in (kv.split(":") for kv in rows[str(root / rel)]["top_k"].split(";"))}
        want = dict(zip(["x", "y", "z"], val_probs[cache.row[rel]].tolist()))
        assert all(abs(got[c] - want[c]) < 2e-6 for c in want), (rel, got, want)
