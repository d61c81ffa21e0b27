"""``torch.backends.cuda``: TF32 and SDPA kernel switches (settable; chainrule computes in full
precision, so ``allow_tf32`` never lowers precision)."""

from __future__ import annotations

import contextlib

from .._backend import cuda_available


class _MatmulFlags:
    """``torch.backends.cuda.matmul.allow_tf32`` and friends."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True
        self.fp32_precision = "ieee"


matmul = _MatmulFlags()


class _PlanCache:
    max_size = 0
    size = 0

    def clear(self) -> None:
        return None


cufft_plan_cache = _PlanCache()
preferred_linalg_library_value = "default"
_SDP = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def is_built() -> bool:
    """Whether chainrule can use CUDA (needs CuPy and a GPU)."""
    return cuda_available()


def preferred_linalg_library(backend=None):
    return preferred_linalg_library_value


def flash_sdp_enabled() -> bool:
    return _SDP["flash"]


def enable_flash_sdp(enabled: bool) -> None:
    _SDP["flash"] = bool(enabled)


def mem_efficient_sdp_enabled() -> bool:
    return _SDP["mem_efficient"]


def enable_mem_efficient_sdp(enabled: bool) -> None:
    _SDP["mem_efficient"] = bool(enabled)


def math_sdp_enabled() -> bool:
    return _SDP["math"]


def enable_math_sdp(enabled: bool) -> None:
    _SDP["math"] = bool(enabled)


def cudnn_sdp_enabled() -> bool:
    return _SDP["cudnn"]


def enable_cudnn_sdp(enabled: bool) -> None:
    _SDP["cudnn"] = bool(enabled)


@contextlib.contextmanager
def sdp_kernel(enable_flash: bool = True, enable_math: bool = True,
               enable_mem_efficient: bool = True, enable_cudnn: bool = True):
    """Context manager selecting attention kernels (chainrule has one: the math kernel)."""
    saved = dict(_SDP)
    _SDP.update(flash=enable_flash, math=enable_math, mem_efficient=enable_mem_efficient,
                cudnn=enable_cudnn)
    try:
        yield
    finally:
        _SDP.update(saved)
