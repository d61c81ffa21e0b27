"""Top-level helpers real programs call: ``is_tensor``, ``compile``, ``save``/``load``,
defaults, thread settings. Heavier features load their module on first use."""

from __future__ import annotations

import os
import warnings

from . import _dtypes
from ._tensor import Tensor

__all__ = [
    "is_tensor", "is_floating_point", "is_complex", "is_nonzero", "numel", "compile",
    "set_default_device", "get_default_device", "set_default_tensor_type",
    "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "set_num_threads", "get_num_threads", "set_num_interop_threads", "get_num_interop_threads",
    "set_float32_matmul_precision", "get_float32_matmul_precision", "is_storage", "typename",
    "save", "load", "set_warn_always", "is_warn_always_enabled", "detach", "is_grad_enabled",
    "chain_matmul", "broadcast_shapes", "abs_", "cdist", "histc", "bincount", "cosine_similarity",
    "pairwise_distance", "dist", "sym_int", "sym_float", "manual_seed_all",
]


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    return input.is_floating_point()


def is_complex(input: Tensor) -> bool:
    return input.is_complex()


def is_nonzero(input: Tensor) -> bool:
    return bool(input)


def numel(input: Tensor) -> int:
    return input.numel()


def detach(input: Tensor) -> Tensor:
    return input.detach()


def is_grad_enabled() -> bool:
    from .autograd.grad_mode import STATE  # noqa: PLC0415

    return STATE.enabled


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,  # noqa: A001
            options=None, disable=False):
    """Returns ``model`` unchanged: chainrule runs eagerly (there is nothing to compile)."""
    if model is None:
        return lambda m: m
    return model


_default_device = "cpu"


def set_default_device(device) -> None:
    global _default_device
    from ._backend import parse_device  # noqa: PLC0415

    dev = parse_device(device) if device is not None else parse_device("cpu")
    if dev.type == "cuda":
        from ._backend import cuda_available  # noqa: PLC0415

        if not cuda_available():
            raise RuntimeError(
                "set_default_device('cuda'): no GPU available to chainrule (needs CuPy and an "
                "NVIDIA GPU)"
            )
    _default_device = str(dev)


def get_default_device():
    from ._backend import parse_device  # noqa: PLC0415

    return parse_device(_default_device)


def set_default_tensor_type(t) -> None:
    """Legacy: ``torch.set_default_tensor_type(torch.DoubleTensor)`` sets the default dtype."""
    warnings.warn(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
        "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
        UserWarning,
        stacklevel=2,
    )
    if isinstance(t, str):
        from ._dtypes import LEGACY_BY_NAME  # noqa: PLC0415

        d = LEGACY_BY_NAME[t]
    else:
        d = getattr(t, "_chainrule_dtype", t)
    _dtypes.set_default_dtype(d)


_deterministic = False


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    global _deterministic
    _deterministic = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic


def set_num_threads(n: int) -> None:
    """Limits BLAS threads (through threadpoolctl when installed)."""
    try:
        from threadpoolctl import threadpool_limits  # noqa: PLC0415

        threadpool_limits(int(n))
    except ImportError:
        os.environ["OMP_NUM_THREADS"] = str(int(n))


def get_num_threads() -> int:
    try:
        from threadpoolctl import threadpool_info  # noqa: PLC0415

        info = threadpool_info()
        return max((i["num_threads"] for i in info), default=os.cpu_count() or 1)
    except ImportError:
        return int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))


def set_num_interop_threads(n: int) -> None:
    return None


def get_num_interop_threads() -> int:
    return 1


_matmul_precision = "highest"


def set_float32_matmul_precision(precision: str) -> None:
    global _matmul_precision
    _matmul_precision = precision


def get_float32_matmul_precision() -> str:
    return _matmul_precision


def is_storage(obj) -> bool:
    return False


def typename(obj) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    return type(obj).__qualname__


_warn_always = False


def set_warn_always(b: bool) -> None:
    global _warn_always
    _warn_always = bool(b)


def is_warn_always_enabled() -> bool:
    return _warn_always


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """Saves tensors, state dicts and plain containers (see ``chainrule.serialization``)."""
    from .serialization import save as _save  # noqa: PLC0415

    return _save(obj, f)


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **kw):
    """Loads what ``save`` wrote; ``weights_only=True`` (default) never runs code."""
    from .serialization import load as _load  # noqa: PLC0415

    return _load(f, map_location=map_location, weights_only=weights_only)


def chain_matmul(*matrices) -> Tensor:
    out = matrices[0]
    for m in matrices[1:]:
        out = out @ m
    return out


def broadcast_shapes(*shapes):
    import numpy as np  # noqa: PLC0415

    from ._tensor import Size  # noqa: PLC0415

    return Size(np.broadcast_shapes(*[tuple(s) if not isinstance(s, int) else (s,)
                                      for s in shapes]))


def abs_(input: Tensor) -> Tensor:
    return input.abs_()


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0) -> Tensor:
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 2.0:
        return (diff * diff).sum(-1).clamp_min(0).sqrt()
    return diff.abs().pow(p).sum(-1).pow(1.0 / p)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    return (input - other).norm(p)


def histc(input: Tensor, bins: int = 100, min=0, max=0) -> Tensor:  # noqa: A002
    import numpy as np  # noqa: PLC0415

    x = input._data
    lo, hi = (float(x.min()), float(x.max())) if min == 0 and max == 0 else (min, max)
    counts, _ = np.histogram(x, bins=bins, range=(lo, hi))
    return Tensor._wrap(counts.astype(x.dtype))


def bincount(input: Tensor, weights=None, minlength: int = 0) -> Tensor:
    import numpy as np  # noqa: PLC0415

    w = weights._data if weights is not None else None
    out = np.bincount(input._data, w, minlength)
    return Tensor._wrap(out if w is not None else out.astype(np.int64))


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    from .nn.functional import cosine_similarity as cs  # noqa: PLC0415

    return cs(x1, x2, dim, eps)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    from .nn.functional import pairwise_distance as pd  # noqa: PLC0415

    return pd(x1, x2, p, eps, keepdim)


def sym_int(a):
    return int(a)


def sym_float(a):
    return float(a)


def manual_seed_all(seed: int) -> None:
    from ._creation import manual_seed  # noqa: PLC0415

    manual_seed(seed)


def missing(name: str):
    raise AttributeError(
        f"module 'chainrule' has no attribute '{name}' (torch.{name} is not implemented in "
        "chainrule; please report it)"
    )
