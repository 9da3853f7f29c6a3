"""The one converter from a Python parameter dataclass to its bound C++ struct.

``to_core(params, _core.value.CostRates())`` copies each field of the dataclass
onto the bound struct of the same field names, checked by the field's
declared type, then calls the struct's ``validate()`` (the C++ rules: ranges,
relations between fields), so a bad value raises
:class:`goodwill.InvalidInputError` naming its field:

==========================  ==================================================
declared type               taken as
==========================  ==================================================
``float``                   a finite real number (:func:`real_arg`: no bool,
                            no string, no silent ``float()``)
``int``                     an integer in [0, 2³²−1] (:func:`int_arg`)
``bool``                    True or False (or a NumPy bool), nothing else
``str``                     its ``str()`` (the struct checks the vocabulary)
another parameter class     its own ``_core()``
anything else               ``field(metadata={"to_core": f})``: ``f(value, name)``
==========================  ==================================================

It replaces the four hand-written converters of ``DealThresholds`` and
``CustomerThresholds``, ``CostRates``, ``SellerPolicy`` and ``TrustParams``:
a new field of one of them is its C++ line, its docstring and its dataclass
line, with no conversion code.

Examples
--------
>>> import goodwill
>>> from goodwill import _core
>>> core = to_core(goodwill.CostRates(meeting_hour=200.0), _core.value.CostRates())
>>> core.meeting_hour
200.0
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ._columns import int_arg, real_arg
from ._errors import invalid

__all__ = ["to_core"]

_MAX_U32 = 2**32 - 1


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise invalid(name, None, f"must be True or False, got {value!r}")
    return bool(value)


_BY_TYPE: dict[str, Any] = {
    "float": real_arg,
    "int": lambda value, name: int_arg(value, name, 0, _MAX_U32),
    "bool": _bool,
    "str": lambda value, name: str(value),
}


def to_core(params: Any, core: Any) -> Any:
    """``core`` (a bound C++ parameter struct) with every field of the dataclass ``params``, validated.

    Parameters
    ----------
    params : dataclass instance
        The Python parameters (a field per struct member, same names).
    core : bound struct
        A fresh struct to fill (e.g. ``_core.value.CostRates()``).

    Returns
    -------
    bound struct
        ``core``, filled and validated.

    Examples
    --------
    >>> import goodwill
    >>> from goodwill import _core
    >>> to_core(goodwill.DealThresholds(), _core.decision.DealThresholds()).invest_trust
    0.6
    """
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        convert = f.metadata.get("to_core")
        if convert is None:
            kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
            convert = _BY_TYPE.get(kind)
        if convert is not None:
            setattr(core, f.name, convert(value, f.name))
        elif dataclasses.is_dataclass(value) and hasattr(value, "_core"):
            setattr(core, f.name, value._core())
        else:
            raise invalid(f.name, None, f"must be a {f.type}, got {type(value).__name__} {value!r}")
    core.validate()
    return core
