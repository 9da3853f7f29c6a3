"""The old module path, kept for compatibility: the module is :mod:`goodwill.value.profitability`."""

import sys

from .value import profitability as _module
from .value.profitability import *

sys.modules[__name__] = _module
