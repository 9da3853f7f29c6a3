"""``python -m goodwill``: the same as the ``goodwill`` console command."""

import sys

from .cli import main

sys.exit(main())
