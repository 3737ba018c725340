"""Facts about this machine and the choices that follow: device, precision, torch.compile.

Usage:
    device = resolve_device("auto")                     # raises config_invalid for cuda without a GPU
    device = resolve_device("auto", index=1)            # cuda:1: the GPU of torchrun's LOCAL_RANK 1
    precision, warning = resolve_precision("auto", device)
    ok, why = compile_supported(device)
    facts = health()                                    # what `python -m deit_trainer health` prints
    blas_libraries()                                    # the BLAS libraries torch has mapped (CPU matmuls)
"""
import os
import platform
import shutil
import sys
import tempfile

import torch

from .errors import TrainerError
from .threads import available_cpus


def versions():
    import timm
    import torchvision
    return {"python": platform.python_version(), "torch": torch.__version__, "torchvision": torchvision.__version__,
            "timm": timm.__version__, "cuda": torch.version.cuda}


def resolve_device(choice, index=0):
    """The device of this process: cuda:`index` (its LOCAL_RANK under torchrun), or the processor."""
    if choice == "cuda" and not torch.cuda.is_available():
        raise TrainerError("config_invalid", "The settings ask for a GPU, but no CUDA GPU is visible in the container.",
                           "Check the NVIDIA driver and the NVIDIA Container Toolkit, or choose the CPU.")
    if choice == "cpu" or not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda", index)


def device_facts(device):
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        return {"kind": "cuda", "name": props.name, "count": torch.cuda.device_count(),
                "memory_bytes": props.total_memory, "capability": f"{props.major}.{props.minor}"}
    return {"kind": "cpu", "name": platform.processor() or platform.machine(), "count": available_cpus(),
            "memory_bytes": None}


def resolve_precision(choice, device):
    """-> (precision, warning message or None)."""
    if device.type == "cuda":
        bf16_ok = torch.cuda.is_bf16_supported()
        if choice == "auto":
            return ("bf16" if bf16_ok else "fp16"), None
        if choice == "bf16" and not bf16_ok:
            return "fp16", "This GPU does not support bf16; using fp16 with loss scaling."
        return choice, None
    if choice == "fp16":
        return "fp32", "fp16 training is not supported on the CPU; using fp32."
    return ("fp32" if choice == "auto" else choice), None


def autocast(device, precision):
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    return torch.autocast(device.type, dtype=dtype or torch.float32, enabled=dtype is not None)


def c_compiler():
    for name in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def compile_supported(device):
    """-> (bool, reason when not)."""
    if sys.version_info >= (3, 14):
        return False, "torch.compile does not support this Python version"
    if c_compiler() is None:
        return False, "no C compiler was found (torch.compile needs one)"
    if device.type == "cuda":
        try:
            import triton  # noqa: F401
        except ImportError:
            return False, "Triton is not installed"
    return True, None


def resolve_compile(choice, device):
    """-> (bool, warning or None). auto = on for CUDA when supported."""
    if choice is False:
        return False, None
    ok, why = compile_supported(device)
    if choice == "auto":
        return (ok and device.type == "cuda"), None
    if not ok:
        return False, f"torch.compile cannot be used here ({why}); training runs without it."
    return True, None


def speed_flags(device):
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    torch.set_float32_matmul_precision("high")


def blas_libraries():
    """Paths of the BLAS/LAPACK libraries mapped into this process after a matmul (Linux), sorted.

    Which BLAS runs CPU matmuls decides CPU speed 50-fold: Debian's torch links the generic
    libblas.so.3 (reference BLAS unless OpenBLAS takes over the alternative); the official image
    uses MKL. Read from /proc/self/maps: the library actually loaded, not what a config claims.
    """
    torch.ones(8, 8) @ torch.ones(8, 8)  # make sure the BLAS is loaded (lazily, by some builds)
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            paths = {line.split()[-1] for line in f if line.count(" ") >= 5 and "/" in line}
    except OSError:
        return []
    keys = ("blas", "lapack", "mkl")
    return sorted(p for p in paths if any(k in os.path.basename(p).lower() for k in keys))


def blas_kind(libraries=None):
    """openblas | mkl | reference | unknown: which library computes torch's CPU matmuls."""
    libs = blas_libraries() if libraries is None else libraries
    names = [os.path.basename(p).lower() for p in libs]
    if any(p.endswith("/blas/libblas.so.3") or "/blas/libblas.so" in p for p in libs):
        return "reference"  # Debian's reference BLAS: libblas.so.3 resolved outside openblas-*/
    if any("mkl" in n for n in names):
        return "mkl"
    if any("openblas" in p for p in libs):
        return "openblas"
    return "mkl" if torch.backends.mkl.is_available() else "unknown"  # official wheels link MKL statically


def _writable(path):
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            return True
    except OSError:
        return False


def health():
    """Facts for `python -m deit_trainer health`."""
    facts = {"ok": True, "versions": versions(), "cudnn": torch.backends.cudnn.version() if torch.cuda.is_available() else None,
             "cuda_available": torch.cuda.is_available(), "gpus": [], "c_compiler": c_compiler(),
             "uid": os.getuid(), "gid": os.getgid(), "cpu_count": available_cpus(), "host_cpu_count": os.cpu_count(),
             "blas": blas_kind(), "threads": torch.get_num_threads()}
    for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
        p = torch.cuda.get_device_properties(i)
        facts["gpus"].append({"index": i, "name": p.name, "memory_bytes": p.total_memory,
                              "capability": f"{p.major}.{p.minor}", "multiprocessors": p.multi_processor_count,
                              "bf16": torch.cuda.is_bf16_supported()})
    facts["compile_supported"], facts["compile_unsupported_reason"] = compile_supported(
        torch.device("cuda" if torch.cuda.is_available() else "cpu"))
    dirs = {k: os.environ.get(k) for k in ("HOME", "XDG_CACHE_HOME", "HF_HOME", "TORCHINDUCTOR_CACHE_DIR", "TRITON_CACHE_DIR")}
    facts["dirs"] = {k: {"path": v, "writable": bool(v) and _writable(v)} for k, v in dirs.items()}
    try:
        facts["shm_bytes"] = shutil.disk_usage("/dev/shm").total
    except OSError:
        facts["shm_bytes"] = None
    for name in ("onnx", "onnxruntime"):
        try:
            facts["versions"][name] = __import__(name).__version__
        except ImportError:
            facts["versions"][name] = None
    return facts
