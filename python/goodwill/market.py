"""The old module path, kept for compatibility: the module is :mod:`goodwill.synthetic.market`."""

import sys

from .synthetic import market as _module
from .synthetic.market import *

sys.modules[__name__] = _module
