"""The old module path, kept for compatibility: the module is :mod:`goodwill.synthetic.simulation`."""

import sys

from .synthetic import simulation as _module
from .synthetic.simulation import *

sys.modules[__name__] = _module
