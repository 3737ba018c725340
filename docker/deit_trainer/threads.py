"""How many processor cores this container may use, and thread pools sized to them.

Usage (first thing in the CLI, before torch is imported):
    cpus = configure_threads()     # sets OMP/OpenBLAS/MKL thread counts unless already set; -> int
    available_cpus()               # cores given to this process: affinity (cpuset) and cgroup quota
    memory_limit_bytes()           # memory this container may use: its cgroup limit, else the RAM
Without this, OpenBLAS and OpenMP each start one thread per host core even when Docker gives the
container fewer (`--cpus`, `--cpuset-cpus`): threads then wait on each other and a step gets slower.
And OpenMP's idle threads spin for a while after each parallel region, on the cores OpenBLAS's
threads need next (torch alternates the two on a CPU): OMP_WAIT_POLICY=PASSIVE puts them to sleep.
Measured in the twin on 2 loaded cores, DeiT-Ti at 32 px: 1.48 s per step spinning, 0.35 s passive.
Imports no torch: the cache's decode workers import this package too.
"""
import math
import os

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _cgroup_quota():
    """CPU quota in cores from cgroup v2 (cpu.max) or v1 (cfs_quota_us/cfs_period_us); None = unlimited."""
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as f:
            quota, period = f.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", encoding="ascii") as f:
            quota = int(f.read())
        with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us", encoding="ascii") as f:
            period = int(f.read())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError):
        return None


def available_cpus():
    """Cores this process may run on: the smaller of its CPU affinity and its cgroup quota (at least 1)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        cpus = min(cpus, max(1, math.ceil(quota)))
    return max(1, cpus)


def memory_limit_bytes(cgroup_root="/sys/fs/cgroup"):
    """The memory this container may use: the cgroup v2 (memory.max) or v1 (memory.limit_in_bytes)
    limit, or the machine's RAM when there is none (v1 writes "none" as a huge number)."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for name in ("memory.max", "memory/memory.limit_in_bytes"):
        try:
            with open(os.path.join(cgroup_root, name), encoding="ascii") as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) > 0:
            return min(int(text), ram)
        return ram  # "max": no limit
    return ram


def configure_threads():
    """One compute thread per available core for OpenMP, OpenBLAS and MKL -> the count used.

    A count the caller already set for one of them (e.g. OMP_NUM_THREADS=1) is used for all three.
    """
    given = next((os.environ[n] for n in THREAD_VARS if os.environ.get(n, "").isdigit()), None)
    count = int(given) if given else available_cpus()
    for name in THREAD_VARS:
        os.environ.setdefault(name, str(count))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return count
