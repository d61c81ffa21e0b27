"""``python -m chainrule``: the ``chainrule`` command (see :mod:`chainrule.cli`)."""

import sys

from chainrule.cli import main

sys.exit(main())
