"""The machine: what a benchmark ran on (CPU model and memory, for the JSON the benchmarks
write), giving freed heap back to it, and keeping BLAS to one thread in a serving process."""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import os
import platform
import shlex
import sys
from pathlib import Path
from typing import Any


def describe(command: str) -> dict[str, Any]:
    """The machine and the moment of a run, with the command that reproduces it."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 1
    return {
        "command": command,
        "invocation": shlex.join([sys.executable, *sys.argv]),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "memory_gb": memory_gb(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gb() -> float | None:
    """Physical memory (MemTotal), in GiB; None where /proc is missing."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def trim_heap() -> None:
    """Give the heap's free pages back to the OS: glibc keeps what a peak freed (a restored
    checkpoint's buffers, ≈ 0.4 GB at 100k profiles) unless asked, as Dask's workers ask."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def one_blas_thread() -> None:
    """Numpy's BLAS on one thread for the rest of the process. A serving process multiplies
    small matrices (a query against a few hundred rows), which a second thread barely speeds
    up, while OpenBLAS's idle thread spins after each product: 27 ms of CPU per search on the
    other core, the one the worker needs (0008-search-state-in-db.md, "Fourteenth increment")."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
