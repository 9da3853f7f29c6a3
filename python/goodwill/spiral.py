"""The old module path, kept for compatibility: the module is :mod:`goodwill.relationship.spiral`."""

import sys

from .relationship import spiral as _module
from .relationship.spiral import *

sys.modules[__name__] = _module
