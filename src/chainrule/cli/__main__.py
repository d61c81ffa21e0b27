"""``python -m chainrule.cli``: the ``chainrule`` command."""

import sys

from . import main

sys.exit(main())
