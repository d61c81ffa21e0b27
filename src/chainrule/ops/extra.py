"""The less common top-level torch functions, gathered from ``extra_*.py``, and the Tensor
methods torch has for them (``x.cummax(0)``, ``x.index_copy_(...)``, ``x.unfold(...)``...).

``install()`` binds the methods; it runs at import and only fills names the Tensor class does
not already have, so a method defined by ``_tensor_methods`` always wins.
"""

from __future__ import annotations

from .. import return_types as _return_types
from .._tensor import Tensor
from . import extra_misc, extra_pointwise, extra_scan, extra_shape, extra_signal, extra_split
from .extra_misc import *
from .extra_pointwise import *
from .extra_scan import *
from .extra_shape import *
from .extra_signal import *
from .extra_split import *

__all__ = [
    name
    for module in (extra_scan, extra_pointwise, extra_shape, extra_split, extra_misc,
                   extra_signal)
    for name in module.__all__
    if name != "unfold"  # Tensor.unfold only: torch has no top-level unfold
]

# Tensor methods that call the function of the same name with the tensor first.
_METHODS = [
    "cummax", "cummin", "logcumsumexp", "quantile", "nanquantile", "nanmedian", "gcd", "lcm",
    "float_power", "copysign", "heaviside", "ldexp", "frexp", "nextafter",
    "bitwise_left_shift", "bitwise_right_shift", "diagflat", "addr", "cov", "corrcoef",
    "tensor_split", "hsplit", "vsplit", "dsplit", "split_with_sizes", "unsafe_split",
    "unsafe_chunk", "unsafe_split_with_sizes", "index_copy", "select_scatter",
    "slice_scatter", "diagonal_scatter", "put", "unfold", "renorm", "adjoint",
    "nonzero_static", "histogram", "is_same_size", "is_signed", "is_conj", "is_neg",
    "is_inference", "resolve_conj", "resolve_neg", "conj_physical", "matrix_exp",
    "cholesky_inverse", "cholesky_solve", "qr", "triangular_solve", "as_strided",
    "narrow_copy", "arccosh", "arcsinh", "arctanh", "stft",
]

# In-place forms: ``x.name_(*args)`` stores ``name(x, *args)`` in ``x`` (torch's rules: same
# shape, no float result into an integer tensor, leaf-requires-grad error in grad mode).
_INPLACE_OF_EXTRA = [
    "gcd", "lcm", "float_power", "copysign", "heaviside", "ldexp", "nextafter",
    "bitwise_left_shift", "bitwise_right_shift", "addr", "index_copy", "put", "renorm",
    "arccosh", "arcsinh", "arctanh",
]

# In-place forms of chainrule functions torch has as methods but chainrule's Tensor lacks.
_INPLACE_OF_CORE = [
    "acos", "acosh", "arccos", "arcsin", "arctan", "asin", "asinh", "atanh", "cosh", "sinh",
    "tan", "erfc", "erfinv", "exp2", "fix", "log10", "sgn", "absolute", "logical_and",
    "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
    "bitwise_not", "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less",
    "less_equal", "not_equal", "addmm", "addmv", "addbmm", "baddbmm", "cumsum", "cumprod",
]

# Methods whose function lives in a lazily loaded part of chainrule (``chainrule.<name>``).
_LAZY_METHODS = [
    "atan2", "arctan2", "hypot", "diff", "det", "logdet", "slogdet", "inverse", "cholesky",
    "svd", "pinverse", "matrix_power", "lgamma", "digamma", "mvlgamma", "xlogy",
    "sinc", "i0", "logaddexp", "logaddexp2", "deg2rad", "rad2deg", "rot90", "angle",
    "positive", "argwhere", "dist", "histc", "bincount", "is_nonzero",
]
_LAZY_INPLACE = ["atan2", "arctan2", "hypot", "lgamma", "digamma", "xlogy", "sinc", "i0",
                 "deg2rad", "rad2deg", "mvlgamma"]


def _lazy(name: str):
    def method(self, *args, **kwargs):
        import chainrule

        return getattr(chainrule, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


def _polygamma_method(self, n: int):
    import chainrule

    return chainrule.polygamma(n, self)


def _where_method(self, condition, y):
    """``x.where(condition, y)`` is ``torch.where(condition, x, y)``."""
    from .pointwise import where

    return where(condition, self, y)


def _sum_to_size(self, *size):
    """Sums ``self`` down to ``size`` (a shape ``self`` could be expanded from)."""
    from ._common import shape_arg
    from .reduction import sum_to_shape

    shape = shape_arg(size)
    own = tuple(self.shape)
    tail = own[len(own) - len(shape):] if shape else ()
    if len(shape) > len(own) or any(s != 1 and s != o for s, o in zip(shape, tail)):
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(own)}}}.")
    return self if shape == own else sum_to_shape(self, shape)


def install() -> None:
    """Binds the Tensor methods above (only where Tensor lacks them)."""
    from .. import ops
    from .inplace import _method

    def bind(name: str, fn) -> None:
        if not hasattr(Tensor, name):
            setattr(Tensor, name, fn)

    module = globals()
    for name in _METHODS:
        bind(name, module[name])
    for name in _INPLACE_OF_EXTRA:
        bind(name + "_", _method(name + "_", module[name]))
    for name in _INPLACE_OF_CORE:
        fn = getattr(ops, name, None)
        if fn is not None:
            bind(name + "_", _method(name + "_", fn))
    for name in _LAZY_METHODS:
        bind(name, _lazy(name))
    for name in _LAZY_INPLACE:
        bind(name + "_", _method(name + "_", _lazy(name)))
    bind("polygamma", _polygamma_method)
    bind("polygamma_", lambda self, n: _method("polygamma_", lambda x: _polygamma_method(
        x, n))(self))
    bind("where", _where_method)
    bind("sum_to_size", _sum_to_size)
    for name in ("cummax", "cummin", "nanmedian"):
        if not hasattr(_return_types, name):
            setattr(_return_types, name, getattr(extra_scan, f"{name}_result"))
    for name, cls in (("frexp", extra_pointwise.frexp_result),
                      ("histogram", extra_signal.histogram_result),
                      ("histogramdd", extra_signal.histogramdd_result),
                      ("qr", extra_misc.qr_result),
                      ("triangular_solve", extra_misc.triangular_solve_result)):
        if not hasattr(_return_types, name):
            setattr(_return_types, name, cls)


install()
