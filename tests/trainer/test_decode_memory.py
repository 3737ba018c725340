"""The decoder within the container's memory limit (issue 17): the cgroup limit is read, the number of
decoding processes and each one's share follow from it, an image over its share is skipped with a
reason (never a crash), and the per-mode costs the rule relies on are what a real decode uses."""
import os
import subprocess
import sys
import textwrap

import numpy as np
from PIL import Image

from deit_trainer.cache import build_cache
from deit_trainer.decode import (BYTES_PER_PIXEL, DECODE_SHARE, WORKER_BASE_BYTES, WORST_BYTES_PER_PIXEL, decode_plan,
                                 decode_row)
from deit_trainer.threads import memory_limit_bytes

GIB = 2**30


class Quiet:
    def progress(self, *a, **k):
        pass

    def warning(self, *a, **k):
        pass


def test_memory_limit_comes_from_cgroup_v2_or_v1_else_the_ram(tmp_path):
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "memory.max").write_text("536870912\n")
    assert memory_limit_bytes(str(v2)) == min(512 * 2**20, ram)
    (v2 / "memory.max").write_text("max\n")
    assert memory_limit_bytes(str(v2)) == ram
    v1 = tmp_path / "v1" / "memory"
    v1.mkdir(parents=True)
    (v1 / "memory.limit_in_bytes").write_text("1073741824\n")
    assert memory_limit_bytes(str(tmp_path / "v1")) == min(GIB, ram)
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")  # v1's "no limit"
    assert memory_limit_bytes(str(tmp_path / "v1")) == ram
    assert memory_limit_bytes(str(tmp_path / "none")) == ram


def test_workers_times_their_worst_image_fit_the_stated_share():
    for limit in (GIB, 2 * GIB, 6 * GIB, 24 * GIB, 200 * GIB):
        for cpus in (1, 2, 8, 16, 64):
            plan = decode_plan(limit, cpus)
            assert 1 <= plan.workers <= min(cpus, 16)
            assert plan.workers * plan.max_bytes <= DECODE_SHARE * limit
            assert WORKER_BASE_BYTES + plan.max_pixels * WORST_BYTES_PER_PIXEL <= plan.max_bytes
    assert decode_plan(200 * GIB, 64).workers == 16  # plenty of memory: one per core, at most 16
    assert decode_plan(4 * GIB, 16).workers < 16    # little memory: fewer processes, each a usable share
    assert decode_plan(4 * GIB, 16, 8).workers == 8  # a number set by hand is kept; the share shrinks
    assert decode_plan(4 * GIB, 16, 8).max_bytes == 2 * GIB // 8


def test_a_compressible_huge_png_is_skipped_with_the_reason_and_the_rest_decodes(tmp_path):
    root = tmp_path / "data"
    (root / "a").mkdir(parents=True)
    # 8000 x 8000 16-bit: ~100 kB on disk, ~770 MB to decode; a few of these could kill a container.
    Image.fromarray(np.full((8000, 8000), 40000, np.uint16)).save(root / "a" / "huge16.png")
    Image.fromarray(np.full((40, 60, 3), 120, np.uint8)).save(root / "a" / "small.png")
    assert os.path.getsize(root / "a" / "huge16.png") < 2 * 2**20
    plan = decode_plan(GIB, 4)  # a small fake limit: 512 MB for decoding
    assert plan.workers == 1 and plan.max_pixels < 8000 * 8000
    files = ["a/huge16.png", "a/small.png"]
    cache = build_cache(str(root), files, 38, str(tmp_path / "cache"), 2, Quiet(), lambda: False,
                        max_bytes=plan.max_bytes)  # 2 real worker processes: the share reaches them
    assert list(cache.bad) == ["a/huge16.png"]
    reason = cache.bad["a/huge16.png"]
    assert "too large" in reason and "8000x8000" in reason and "memory" in reason
    assert cache.array[cache.row["a/small.png"], 0, 0].tolist() == [120, 120, 120]
    # With a limit that holds it, the same file decodes (decode_row in this process).
    row = decode_row(str(root / "a" / "huge16.png"), 38, 76, max_bytes=decode_plan(64 * GIB, 1).max_bytes)
    assert row[0, 0].tolist() == [156, 156, 156]  # 40000 / 65535 * 255, rounded


MEASURE = textwrap.dedent("""
    import sys
    from deit_trainer.decode import decode_row
    def status(key):
        return int([l for l in open("/proc/self/status") if l.startswith(key)][0].split()[1]) * 1024
    before = status("VmRSS")
    decode_row(sys.argv[1], 248, 496, max_bytes=1 << 40)
    print(status("VmHWM") - before)
""")


def test_the_per_mode_costs_cover_a_real_decode(tmp_path):
    n = 3000
    zeros = lambda *shape: np.zeros((n, n) + shape, np.uint8)
    rotated = Image.fromarray(zeros(3))
    exif = rotated.getexif()
    exif[0x0112] = 6
    images = {
        "RGB": (Image.fromarray(zeros(3)), "png", {}),
        "RGB rotated": (rotated, "png", {"exif": exif.tobytes()}),
        "RGB jpeg": (Image.fromarray(zeros(3)), "jpg", {"quality": 50}),
        "RGBA": (Image.fromarray(zeros(4)), "png", {}),
        "LA": (Image.fromarray(zeros(2), "LA"), "png", {}),
        "L": (Image.fromarray(zeros()), "png", {}),
        "P": (Image.fromarray(zeros()).convert("P"), "png", {"transparency": 0}),
        "I;16": (Image.fromarray(np.full((n, n), 40000, np.uint16)), "png", {}),
        "I": (Image.fromarray(np.full((n, n), 40000, np.int32)), "tif", {}),
        "F": (Image.fromarray(np.full((n, n), 0.5, np.float32)), "tif", {}),
    }
    for name, (im, ext, opts) in images.items():
        path = tmp_path / f"{name.replace(' ', '_')}.{ext}"
        im.save(path, **opts)
        mode = name.split()[0]
        # a JPEG is decoded at its reduced (draft) size: 1/8 of 3000 is still over 248
        pixels = (n // 8) ** 2 if ext == "jpg" else n * n
        used = int(subprocess.run([sys.executable, "-c", MEASURE, str(path)], check=True, capture_output=True,
                                  text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}).stdout)
        assert used <= pixels * BYTES_PER_PIXEL[mode] + 16 * 2**20, f"{name}: {used / pixels:.1f} bytes per pixel"
