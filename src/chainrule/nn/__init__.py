"""Neural-network layers, losses and initializers with torch's names, parameters and init."""

from .parameter import *  # noqa: F403
from .modules import *  # noqa: F403
from . import functional, init, utils  # noqa: F401,E402
from . import parallel  # noqa: E402
from .parallel import DataParallel  # noqa: E402,F401
