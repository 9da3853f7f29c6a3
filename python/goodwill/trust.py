"""The old module path, kept for compatibility: the module is :mod:`goodwill.relationship.trust`."""

import sys

from .relationship import trust as _module
from .relationship.trust import *

sys.modules[__name__] = _module
