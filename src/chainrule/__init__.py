"""chainrule: backpropagation from scratch on NumPy, with the PyTorch API.

``import chainrule as torch`` and write PyTorch code: tensors record the ops applied to them,
``loss.backward()`` runs the chain rule from the loss back to every parameter, and ``nn``/
``optim`` train models. Every op's derivative is written beside its forward, readable in
``chainrule.ops``.
"""

from __future__ import annotations

import importlib as _importlib
import warnings as _warnings

# torch computes inf/NaN arithmetic silently; NumPy warns ("divide by zero encountered ...").
# Silence those floating-point RuntimeWarnings where chainrule's own code raises them (the
# filter is consulted only when a warning happens: no cost on the hot path).
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"chainrule(\.|$)")

from .version import __version__  # noqa: E402  (a TorchVersion: compares as a version)
chainrule_version = "0.1.0"

from . import _dtypes  # noqa: E402
from ._backend import device  # noqa: E402
from ._dtypes import (  # noqa: E402
    bfloat16,
    bool_ as bool,  # noqa: A004
    cdouble,
    cfloat,
    complex64,
    complex128,
    double,
    dtype,
    float,  # noqa: A004
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,  # noqa: A004
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    can_cast,
    set_default_dtype,
    short,
    uint8,
)
from ._tensor import Size, Tensor  # noqa: E402
from . import autograd  # noqa: E402
from . import ops as _ops  # noqa: E402
from ._tensor_methods import install as _install  # noqa: E402

_install()

from ._creation import *  # noqa: E402,F403
from ._legacy import *  # noqa: E402,F403
from .autograd import enable_grad, inference_mode, no_grad, set_grad_enabled  # noqa: E402
from .autograd.grad_mode import is_grad_enabled, is_inference_mode_enabled  # noqa: E402
from .ops import *  # noqa: E402,F403
from .ops.extra import *  # noqa: E402,F403  (cummax, quantile, tensor_split, ...)
from .autograd import functional as _autograd_functional  # noqa: E402,F401
from .ops import setitem as _setitem  # noqa: E402,F401
from . import return_types  # noqa: E402
from ._toplevel import *  # noqa: E402,F403

# Submodules load on first use, so ``import chainrule`` stays fast.
_LAZY = {
    "nn", "optim", "utils", "datasets", "teach", "cli", "amp", "backends", "distributed",
    "onnx", "jit", "serialization", "testing", "linalg", "special", "fft", "distributions",
    "accelerator", "mps", "multiprocessing", "hub", "profiler", "overrides", "types",
    "random", "compiler", "export", "func", "quantization", "sparse", "masked", "storage",
    "version", "library", "futures", "package", "xpu", "cpu", "_dynamo", "fx", "nested",
    "cuda",
}


# Top-level names that live in a lazily imported submodule.
_LAZY_ATTRS = {"autocast": "amp", "set_printoptions": "_printing"}
# torch.conv2d & co. are the functional layers under their top-level names
_LAZY_ATTRS.update(dict.fromkeys(
    ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d",
     "avg_pool1d", "adaptive_avg_pool1d", "pixel_shuffle", "pixel_unshuffle"], "nn.functional"))


def __getattr__(name: str):
    if name in _LAZY_ATTRS:
        value = getattr(_importlib.import_module(f"{__name__}.{_LAZY_ATTRS[name]}"), name)
        globals()[name] = value
        return value
    if name in _LAZY:
        module = _importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    _aliases = _importlib.import_module(f"{__name__}._aliases")
    if name in _aliases.__all__:  # older top-level spellings (torch.det, torch.inf, ...)
        value = getattr(_aliases, name)
        globals()[name] = value
        return value
    _functional = _importlib.import_module(f"{__name__}._aliases_functional")
    if name in _functional.__all__:  # torch.dropout, torch.layer_norm, torch.strided, ...
        value = getattr(_functional, name)
        globals()[name] = value
        return value
    from . import _toplevel  # noqa: PLC0415

    return _toplevel.missing(name)
