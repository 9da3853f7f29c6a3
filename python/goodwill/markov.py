"""The old module path, kept for compatibility: the module is :mod:`goodwill.value.markov`."""

import sys

from .value import markov as _module
from .value.markov import *

sys.modules[__name__] = _module
