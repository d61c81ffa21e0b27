"""Layers, as ``torch.nn.modules``: one file per family, same file names as torch so that
deep imports (``torch.nn.modules.linear.Linear``) work."""

from .module import *  # noqa: F403
from .container import *  # noqa: F403
from .linear import *  # noqa: F403
from .activation import *  # noqa: F403
from .loss import *  # noqa: F403
from .dropout import *  # noqa: F403
from .sparse import *  # noqa: F403
from .normalization import *  # noqa: F403
from .batchnorm import *  # noqa: F403
from .instancenorm import *  # noqa: F403
from .flatten import *  # noqa: F403
from .distance import *  # noqa: F403
from .conv import *  # noqa: F403
from .pooling import *  # noqa: F403
from .padding import *  # noqa: F403
from .upsampling import *  # noqa: F403
from .pixelshuffle import *  # noqa: F403
from .fold import *  # noqa: F403
from .rnn import *  # noqa: F403
from .transformer import *  # noqa: F403
