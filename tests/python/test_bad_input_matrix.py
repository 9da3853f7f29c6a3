"""The bad-input matrix: public functions x bad values, one test case per cell.

Each row of ``TARGETS`` is one parameter of one public function (the other
arguments valid), with the kind of value it takes; each column is one bad
value. A cell asserts that the call raises exactly the documented exception
class (``goodwill.InvalidInputError``, not a subclass, not pybind11's
``TypeError``, not a silent ``float()`` conversion) and that the message
names the parameter (``field '<name>'``, also ``err.field``).

Size: 26 targets; the 24 values every real or integer parameter refuses
(NaN, ±inf, bool, NumPy bool, complex, datetime, date, timedelta,
datetime64, timedelta64, Timestamp, str, empty str, bytes, None, list,
empty list, dict, set, object, array, ...) plus the range columns of each
kind (probability: -0.1, 1.1, 2.0, ±1e308, -1e-300; non-negative: -1,
-1e-300, -1e308; integer: -1, 1.5, 2.0, 2**64, -2**63, 10**30; real: 10**400
as an int). ``test_matrix_size`` counts them: 809 cells at the time of
writing (at least 500 required by issue 15).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill import negotiation as neg

# ---- the bad values --------------------------------------------------------------


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


COMMON: list[tuple[str, Any]] = [
    ("nan", float("nan")),
    ("np_nan", np.float64("nan")),
    ("inf", float("inf")),
    ("minus_inf", float("-inf")),
    ("np_inf32", np.float32("inf")),
    ("true", True),
    ("false", False),
    ("np_bool", np.bool_(True)),
    ("complex", 0.5 + 0.5j),
    ("np_complex", np.complex128(0.5)),
    ("datetime", dt.datetime(2020, 1, 1)),
    ("date", dt.date(2020, 1, 1)),
    ("timedelta", dt.timedelta(days=1)),
    ("datetime64", np.datetime64("2020-01-01")),
    ("timedelta64", np.timedelta64(1, "D")),
    ("timestamp", pd.Timestamp("2020-01-01")),
    ("str_number", "0.5"),
    ("empty_str", ""),
    ("bytes", b"1"),
    ("none", None),
    ("list", [0.5]),
    ("empty_list", []),
    ("dict", {"value": 0.5}),
    ("set", {0.5}),
    ("object", _Opaque()),
    ("array", np.array([0.5, 0.5])),
]

RANGE: dict[str, list[tuple[str, Any]]] = {
    "probability": [("minus_0.1", -0.1), ("1.1", 1.1), ("2", 2.0), ("1e308", 1e308),
                    ("minus_1e308", -1e308), ("minus_tiny", -1e-300), ("int_minus_1", -1), ("int_2", 2)],
    "nonnegative": [("minus_1", -1.0), ("minus_tiny", -1e-300), ("minus_1e308", -1e308), ("int_minus_1", -1)],
    "real": [("int_10e400", 10**400), ("int_minus_10e400", -(10**400))],
    "integer": [("minus_1", -1), ("1.5", 1.5), ("2.0", 2.0), ("2**64", 2**64), ("minus_2**63", -(2**63)),
                ("10**30", 10**30), ("np_float", np.float64(3.0))],
}
# Cells of COMMON that are valid for a kind (None is "not given" where the
# default is None; no such target is listed here).
SKIP_COMMON: dict[str, set[str]] = {}

# ---- the targets -----------------------------------------------------------------------


def _sim(**kw: Any) -> Callable[[Any], Any]:
    def call(v: Any, name: str = next(iter(kw))) -> Any:
        args: dict[str, Any] = {"customers": 2, "months": 1, "ledger": False}
        args[name] = v
        return goodwill.simulate("trust_builder", **args)

    return call


# (target id, field named in the message, kind, call with the bad value)
TARGETS: list[tuple[str, str, str, Callable[[Any], Any]]] = [
    ("time_dependent.e", "e", "nonnegative", lambda v: neg.time_dependent(v)),
    ("time_dependent.k", "k", "probability", lambda v: neg.time_dependent(0.5, v)),
    ("time_dependent.alpha", "alpha", "real", lambda v: neg.time_dependent(0.5, alpha=v)),
    ("time_dependent.beta", "beta", "real", lambda v: neg.time_dependent(0.5, beta=v)),
    ("time_dependent.c", "c", "probability", lambda v: neg.time_dependent(0.5, c=v)),
    ("time_dependent.T", "T", "probability", lambda v: neg.time_dependent(0.5, T=v)),
    ("boulware.e", "e", "nonnegative", lambda v: neg.boulware(v)),
    ("conceder.e", "e", "nonnegative", lambda v: neg.conceder(v)),
    ("tit_for_tat.factor", "factor", "nonnegative", lambda v: neg.tit_for_tat(v)),
    ("random_strategy.p_accept", "p_accept", "probability", lambda v: neg.random_strategy(v)),
    ("price_matcher.floor_price", "floor_price", "real", lambda v: neg.price_matcher(v)),
    ("price_matcher.beat_by", "beat_by", "nonnegative", lambda v: neg.price_matcher(100.0, v)),
    ("price_matcher.e", "e", "nonnegative", lambda v: neg.price_matcher(100.0, 0.0, v)),
    ("alternatives_offerer.tolerance", "tolerance", "probability", lambda v: neg.alternatives_offerer(v)),
    ("alternatives_offerer.e", "e", "nonnegative", lambda v: neg.alternatives_offerer(0.02, v)),
    ("authority_limited.threshold", "threshold", "real", lambda v: neg.authority_limited(v)),
    ("authority_limited.delay_rounds", "delay_rounds", "integer", lambda v: neg.authority_limited(0.5, v)),
    ("authority_limited.credibility_cost", "credibility_cost", "probability",
     lambda v: neg.authority_limited(0.5, 2, v)),
    ("win_lose_buyer.rival_price", "rival_price", "real", lambda v: neg.win_lose_buyer(v, 0.5)),
    ("win_lose_buyer.rival_utility", "rival_utility", "probability", lambda v: neg.win_lose_buyer(100.0, v)),
    ("simulate.customers", "customers", "integer", _sim(customers=None)),
    ("simulate.months", "months", "integer", _sim(months=None)),
    ("simulate.seed", "seed", "integer", _sim(seed=None)),
    ("simulate.initially_active", "initially_active", "probability", _sim(initially_active=None)),
    ("simulate.start_time", "start_time", "real", _sim(start_time=None)),
    ("simulate.as_of", "as_of", "real", _sim(as_of=None)),
]
# simulate(as_of=None) means "no settlement": None is valid there.
SKIP_CELLS = {("simulate.as_of", "none")}


def _cells() -> list[Any]:
    out = []
    for tid, field, kind, call in TARGETS:
        values = [c for c in COMMON if c[0] not in SKIP_COMMON.get(kind, set())] + RANGE[kind]
        for vid, value in values:
            if (tid, vid) in SKIP_CELLS:
                continue
            out.append(pytest.param(call, field, value, id=f"{tid}-{vid}"))
    return out


CELLS = _cells()


def test_matrix_size() -> None:
    assert len(CELLS) >= 500
    assert len(CELLS) == 809  # the count in the module docstring


@pytest.mark.parametrize(("call", "field", "value"), CELLS)
def test_cell(call: Callable[[Any], Any], field: str, value: Any) -> None:
    with pytest.raises(goodwill.InvalidInputError) as info:
        call(value)
    assert type(info.value) is goodwill.InvalidInputError
    assert f"field '{field}'" in str(info.value)
    assert info.value.field == field


@pytest.mark.parametrize(("tid", "field", "kind", "call"), TARGETS, ids=[t[0] for t in TARGETS])
def test_each_target_accepts_a_valid_value(tid: str, field: str, kind: str, call: Callable[[Any], Any]) -> None:
    """The matrix would pass vacuously if a target refused everything."""
    good = {"probability": 0.5, "nonnegative": 0.5, "real": 0.5, "integer": 2}[kind]
    if tid == "simulate.seed":
        good = 7
    call(good)
