"""The old module path, kept for compatibility: the module is :mod:`goodwill.synthetic.calibration`."""

import sys

from .synthetic import calibration as _module
from .synthetic.calibration import *

sys.modules[__name__] = _module
