"""``torch.nn.functional``: stateless layers, activations and losses built on chainrule ops.

One private file per family; this package re-exports them all.
"""

from ._activation import *  # noqa: F403
from ._linear import *  # noqa: F403
from ._loss import *  # noqa: F403
from ._dropout import *  # noqa: F403
from ._embedding import *  # noqa: F403
from ._norm import *  # noqa: F403
from ._misc import *  # noqa: F403
from ._conv import *  # noqa: F403
from ._pooling import *  # noqa: F403
from ._volumetric import *  # noqa: F403
from ._grid import *  # noqa: F403
from ._padding import *  # noqa: F403
from ._upsample import *  # noqa: F403
from ._fold import *  # noqa: F403
from ._attention import *  # noqa: F403
from ._rnn import *  # noqa: F403
