"""The old module path, kept for compatibility: the module is :mod:`goodwill.relationship.health`."""

import sys

from .relationship import health as _module
from .relationship.health import *

sys.modules[__name__] = _module
