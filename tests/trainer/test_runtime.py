"""Facts of the runtime the trainer relies on: the BLAS behind CPU matmuls, thread counts per container."""
import json
import os
import subprocess
import sys

from deit_trainer import runtime, threads

REFERENCE_BLAS_DIR = "/usr/lib/x86_64-linux-gnu/blas"  # Debian's reference libblas.so.3 (kept in the twin for benchmarks)


def _kind_in_child(env_extra):
    code = "from deit_trainer import runtime; print(runtime.blas_kind())"
    env = dict(os.environ, **env_extra)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_torch_computes_matmuls_with_a_tuned_blas():
    # Checked by the library mapped into the process, not by timing: the reference BLAS is ~50x slower.
    libs = runtime.blas_libraries()
    assert runtime.blas_kind(libs) in ("openblas", "mkl"), f"torch loads {libs}"


def test_the_check_recognises_the_reference_blas():
    assert os.path.exists(os.path.join(REFERENCE_BLAS_DIR, "libblas.so.3")), "the twin keeps the reference BLAS for the baseline"
    assert _kind_in_child({"LD_LIBRARY_PATH": REFERENCE_BLAS_DIR}) == "reference"
    assert _kind_in_child({}) == "openblas"


def test_thread_pools_follow_the_cores_given_to_the_container():
    code = ("import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
            "from deit_trainer.threads import configure_threads; n = configure_threads(); "
            "import torch, json; print(json.dumps([n, os.environ['OPENBLAS_NUM_THREADS'], torch.get_num_threads()]))")
    env = {k: v for k, v in os.environ.items() if k not in threads.THREAD_VARS}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [1, "1", 1]


def test_thread_settings_given_by_the_caller_win(monkeypatch):
    for name in threads.THREAD_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert threads.configure_threads() == 3
    assert [os.environ[n] for n in threads.THREAD_VARS] == ["3", "3", "3"]


def test_cgroup_quota_limits_the_cores(monkeypatch):
    monkeypatch.setattr(threads, "_cgroup_quota", lambda: 1.5)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert threads.available_cpus() == 2
