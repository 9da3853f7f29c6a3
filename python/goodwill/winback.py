"""The old module path, kept for compatibility: the module is :mod:`goodwill.relationship.winback`."""

import sys

from .relationship import winback as _module
from .relationship.winback import *

sys.modules[__name__] = _module
