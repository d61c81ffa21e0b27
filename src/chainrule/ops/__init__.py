"""chainrule's differentiable primitives and their functional wrappers.

Each submodule groups ops by kind; every op class has ``forward`` (arrays), ``backward``
(Tensors) and ``formula`` side by side. The lowercase functions here are what ``chainrule.*``
and the Tensor methods call.
"""

from __future__ import annotations

from .arithmetic import *  # noqa: F403
from .conversion import *  # noqa: F403
from .indexing import *  # noqa: F403
from .linalg import *  # noqa: F403
from .pointwise import *  # noqa: F403
from .reduction import *  # noqa: F403
from .shape import *  # noqa: F403
from .unary import *  # noqa: F403
from .indexing import setitem  # noqa: F401
from .unary import fix  # noqa: F401
