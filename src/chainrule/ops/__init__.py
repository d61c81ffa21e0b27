"""chainrule's differentiable primitives and their functional wrappers.

Each submodule groups ops by kind; every op class has ``forward`` (arrays), ``backward``
(Tensors) and ``formula`` side by side. The lowercase functions here are what ``chainrule.*``
and the Tensor methods call. ``__all__`` is the union of the submodules' public functions: the
op table's coverage test checks every one of them.
"""

from __future__ import annotations

from . import (
    arithmetic,
    conversion,
    indexing,
    linalg,
    pointwise,
    rearrange,
    reduction,
    scan,
    shape,
    softmax,
    sorting,
    statistics,
    trig,
    unary,
)

# (captured before the star imports: the softmax function shadows the softmax module)
_MODULES = (arithmetic, conversion, indexing, linalg, pointwise, rearrange, reduction, scan, shape,
            softmax, sorting, statistics, trig, unary)

from .arithmetic import *  # noqa: E402,F403
from .conversion import *  # noqa: E402,F403
from .indexing import *  # noqa: E402,F403
from .linalg import *  # noqa: E402,F403
from .pointwise import *  # noqa: E402,F403
from .rearrange import *  # noqa: E402,F403
from .reduction import *  # noqa: E402,F403
from .scan import *  # noqa: E402,F403
from .softmax import *  # noqa: E402,F403
from .sorting import *  # noqa: E402,F403
from .statistics import *  # noqa: E402,F403
from .shape import *  # noqa: E402,F403
from .trig import *  # noqa: E402,F403
from .unary import *  # noqa: E402,F403
from .extra import *  # noqa: E402,F403
from .indexing import setitem  # noqa: E402,F401
from .unary import fix  # noqa: E402,F401
from . import _common  # noqa: E402,F401

__all__ = [name for module in _MODULES for name in module.__all__]
from .._numpy_interop import install_axis_aliases as _install_axis_aliases  # noqa: E402

_install_axis_aliases(globals())  # torch's NumPy-style names: x.sum(axis=1, keepdims=True)
