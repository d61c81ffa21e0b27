"""``torch.backends``: switches for GPU/CPU kernels. chainrule runs NumPy (and CuPy) kernels, so
these flags are settable and readable like torch's but select nothing; the ``is_available()``
checks report what chainrule actually has."""

from __future__ import annotations

from . import cpu, cuda, cudnn, mkl, mkldnn, mps, openmp, opt_einsum

__all__ = ["cpu", "cuda", "cudnn", "mkl", "mkldnn", "mps", "openmp", "opt_einsum"]
