"""chainrule._memory: malloc keeps freed array memory between training steps (glibc)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

import chainrule as torch
from chainrule import _memory

_GLIBC = sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")
glibc_only = pytest.mark.skipif(not _GLIBC, reason="mallopt thresholds are glibc's")


@glibc_only
def test_an_optimizer_sets_the_thresholds_once():
    torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
    assert _memory._done is True
    assert _memory.keep_freed_memory() is True  # idempotent


_FAULTS = """
import resource, numpy as np, chainrule as torch
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
np.ones((12 << 20) // 8).sum()  # first use maps the pages once
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):  # allocated, touched, freed: as a training step's buffers
    np.ones((12 << 20) // 8).sum()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(tuning: str) -> int:
    env = {**os.environ, "CHAINRULE_MALLOC_TUNING": tuning}
    return int(subprocess.run([sys.executable, "-c", _FAULTS], capture_output=True, text=True,
                              env=env, check=True).stdout)


@glibc_only
def test_repeated_large_arrays_reuse_memory_without_page_faults():
    # glibc's own thresholds map a fresh 12 MiB block again after the first free (hundreds of
    # faults over the loop here); with chainrule's, the heap keeps it for the next step
    untuned, tuned = _faults("0"), _faults("1")
    assert tuned < 50, tuned
    assert untuned > 4 * max(tuned, 25), (untuned, tuned)


@glibc_only
def test_opting_out_leaves_malloc_alone():
    code = (
        "import chainrule as torch; from chainrule import _memory;"
        "torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1);"
        "print(_memory._done)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "CHAINRULE_MALLOC_TUNING": "0"},
                         check=True).stdout.strip()
    assert out == "False"
