"""The old module path, kept for compatibility: the module is :mod:`goodwill.value.btyd`."""

import sys

from .value import btyd as _module
from .value.btyd import *

sys.modules[__name__] = _module
