"""The bad-input matrix: public functions x bad values, one test case per cell.

Each row of ``TARGETS`` is one parameter of one public function (the other
arguments valid), with the kind of value it takes; each column is one bad
value. A cell asserts that the call raises exactly the documented exception
class (``goodwill.InvalidInputError``, not a subclass, not pybind11's
``TypeError``, not a silent ``float()`` conversion) and that the message
names the parameter (``field '<name>'``, also ``err.field``).

Size: 65 targets; the 26 values every real or integer parameter refuses
(NaN, ±inf, bool, NumPy bool, complex, datetime, date, timedelta,
datetime64, timedelta64, Timestamp, str, empty str, bytes, None, list,
empty list, dict, set, object, array, ...) plus the range columns of each
kind (probability: -0.1, 1.1, 2.0, ±1e308, -1e-300; non-negative: -1,
-1e-300, -1e308; integer: -1, 1.5, 2.0, 2**64, -2**63, 10**30; real: 10**400
as an int; positive: 0 and below; periods: BG/BB counts, whole, at most
10**6; prior and weight: trust evidence at most 1e9). Targets: negotiation
strategies and simulate; the ledger's columns (``Ledger``,
``Ledger.append``, ``io.from_events``: the value as the one element of a
column); the BTYD fitters' data, options and predictions; ``decide_deal``
and ``DealThresholds``; ``TrustParams``; ``MarkovChain``.
``test_matrix_size`` counts them: 1,989 cells at the time of writing (at
least 500 required by issue 15).
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
    "positive": [("zero", 0.0), ("int_zero", 0), ("minus_1", -1.0), ("minus_tiny", -1e-300),
                 ("minus_1e308", -1e308)],
    # trust evidence: positive (priors) or non-negative (weights), at most 1e9
    "prior": [("zero", 0.0), ("minus_1", -1.0), ("1e308", 1e308), ("1e10", 1e10)],
    "weight": [("minus_1", -1.0), ("minus_tiny", -1e-300), ("1e308", 1e308), ("1e10", 1e10)],
    # counts of periods (BG/BB): whole, non-negative, at most 10**6
    "periods": [("minus_1", -1), ("1.5", 1.5), ("1e9", 10**9), ("1e17", 1e17), ("2**64", 2**64)],
    # an element of a real column (the column [v])
    "column": [("int_10e400", 10**400), ("np_datetime64_array", np.datetime64("2020-01-01", "ns"))],
    "amount_column": [("minus_1", -1.0), ("minus_1e308", -1e308), ("int_10e400", 10**400)],
    "count_column": [("minus_1", -1.0), ("1.5", 1.5), ("int_10e400", 10**400)],
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


def _ledger(field: str) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        cols: dict[str, Any] = {"customer": [1], "time": [1.0], "kind": ["purchase"], "amount": [10.0]}
        cols[field] = [v]
        return goodwill.Ledger(cols)

    return call


def _ledger_append(field: str) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        cols: dict[str, Any] = {"customer": [1], "time": [1.0], "kind": ["purchase"], "amount": [10.0]}
        cols[field] = [v]
        return goodwill.Ledger().append(cols["customer"], cols["time"], cols["kind"], cols["amount"])

    return call


def _from_events(field: str) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        cols: dict[str, Any] = {"customer": [1], "time": [1.0], "kind": ["purchase"], "amount": [10.0]}
        cols[field] = [v]
        return goodwill.io.from_events(pd.DataFrame(cols))

    return call


def _fit(fitter: Callable[[], Any], field: str, cols: dict[str, list[float]]) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        args = {k: list(c) for k, c in cols.items()}
        if field in args:
            args[field] = [v] + args[field][1:]
            return fitter().fit(*args.values())
        return fitter().fit(*args.values(), **{field: v})

    return call


_RFT = {"frequency": [1.0, 0.0, 2.0], "recency": [3.0, 0.0, 5.0], "T": [6.0, 4.0, 8.0]}
_RFN = {"frequency": [1.0, 0.0, 2.0], "recency": [1.0, 0.0, 5.0], "n_periods": [6.0, 4.0, 6.0]}


def _bgf() -> Any:
    f = goodwill.BetaGeoFitter()
    f.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    return f


def _bgbb() -> Any:
    f = goodwill.BetaGeoBetaBinomFitter()
    f.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    return f


def _deal(field: str) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        args: dict[str, Any] = {"floor_price": 800.0, "list_price": 1000.0, "offer": 900.0}
        args[field] = v
        return goodwill.decide_deal(**args)

    return call


def _thresholds(field: str) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        return goodwill.decide_deal(floor_price=800.0, list_price=1000.0, offer=900.0,
                                    thresholds=goodwill.DealThresholds(**{field: v}))

    return call


def _chain() -> Any:
    return goodwill.MarkovChain(np.array([[0.9, 0.1], [0.2, 0.8]]), states=["active", "lapsed"])


def _trust(field: str) -> Callable[[Any], Any]:
    def call(v: Any) -> Any:
        if field.startswith("positive["):
            return goodwill.TrustParams(positive={"referral": v}).validate()
        return goodwill.TrustParams(**{field: v}).validate()

    return call


TARGETS += [
    # ledgers: one bad element in a column (ledger.py, io.from_events)
    ("Ledger.time", "time", "column", _ledger("time")),
    ("Ledger.amount", "amount", "column", _ledger("amount")),
    ("Ledger.append.time", "time", "column", _ledger_append("time")),
    ("Ledger.append.amount", "amount", "column", _ledger_append("amount")),
    ("from_events.amount", "amount", "column", _from_events("amount")),
    # BTYD fitters: fit data, fit options, predictions
    ("BetaGeoFitter.fit.frequency", "frequency", "count_column", _fit(goodwill.BetaGeoFitter, "frequency", _RFT)),
    ("BetaGeoFitter.fit.recency", "recency", "amount_column", _fit(goodwill.BetaGeoFitter, "recency", _RFT)),
    ("BetaGeoFitter.fit.T", "T", "amount_column", _fit(goodwill.BetaGeoFitter, "T", _RFT)),
    ("BetaGeoFitter.fit.tol", "tol", "positive", _fit(goodwill.BetaGeoFitter, "tol", _RFT)),
    ("BetaGeoFitter.fit.max_iterations", "max_iterations", "integer",
     _fit(goodwill.BetaGeoFitter, "max_iterations", _RFT)),
    ("BetaGeoFitter.penalizer_coef", "penalizer_coef", "nonnegative",
     lambda v: goodwill.BetaGeoFitter(penalizer_coef=v)),
    ("BetaGeoFitter.predict.t", "t", "nonnegative",
     lambda v: _bgf().conditional_expected_number_of_purchases_up_to_time(v, 2, 30.43, 38.86)),
    ("BetaGeoFitter.expected.t", "t", "nonnegative", lambda v: _bgf().expected_number_of_purchases_up_to_time(v)),
    ("BetaGeoBetaBinomFitter.fit.n_periods", "n_periods", "count_column",
     _fit(goodwill.BetaGeoBetaBinomFitter, "n_periods", _RFN)),
    ("BetaGeoBetaBinomFitter.predict.m_periods_in_future", "m_periods_in_future", "periods",
     lambda v: _bgbb().conditional_expected_number_of_purchases_up_to_time(v, 3, 4, 6)),
    ("BetaGeoBetaBinomFitter.alive.n_periods", "n_periods", "periods",
     lambda v: _bgbb().conditional_probability_alive(0, 0, 0, v)),
    ("BetaGeoBetaBinomFitter.expected.n", "n", "periods", lambda v: _bgbb().expected_number_of_purchases_up_to_time(v)),
    ("BetaGeoBetaBinomFitter.table.n", "n", "periods",
     lambda v: _bgbb().expected_number_of_transactions_in_first_n_periods(v)),
    # decisions
    ("decide_deal.floor_price", "floor_price", "real", _deal("floor_price")),
    ("decide_deal.list_price", "list_price", "real", _deal("list_price")),
    ("decide_deal.offer", "offer", "real", _deal("offer")),
    ("decide_deal.trust", "trust", "probability", _deal("trust")),
    ("decide_deal.price_matches", "price_matches", "integer", _deal("price_matches")),
    ("DealThresholds.spiral_trust", "spiral_trust", "probability", _thresholds("spiral_trust")),
    ("DealThresholds.spiral_matches", "spiral_matches", "integer", _thresholds("spiral_matches")),
    ("DealThresholds.late_time", "late_time", "probability", _thresholds("late_time")),
    ("DealThresholds.accept_time", "accept_time", "probability", _thresholds("accept_time")),
    ("DealThresholds.concession_exponent", "concession_exponent", "positive", _thresholds("concession_exponent")),
    ("DealThresholds.invest_trust", "invest_trust", "probability", _thresholds("invest_trust")),
    ("DealThresholds.invest_share", "invest_share", "nonnegative", _thresholds("invest_share")),
    # trust parameters
    ("TrustParams.half_life_days", "half_life_days", "positive", _trust("half_life_days")),
    ("TrustParams.prior_alpha", "prior_alpha", "prior", _trust("prior_alpha")),
    ("TrustParams.prior_beta", "prior_beta", "prior", _trust("prior_beta")),
    ("TrustParams.activity_half_life_days", "activity_half_life_days", "positive",
     _trust("activity_half_life_days")),
    ("TrustParams.engagement_saturation", "engagement_saturation", "positive", _trust("engagement_saturation")),
    ("TrustParams.positive", "positive[referral]", "weight", _trust("positive[referral]")),
    # Markov chains
    ("MarkovChain.customer_value.discount_rate", "discount_rate", "real",
     lambda v: _chain().customer_value([1.0, 0.0], v)),
    ("MarkovChain.customer_value.horizon", "horizon", "integer",
     lambda v: _chain().customer_value([1.0, 0.0], 0.1, v)),
    ("MarkovChain.confidence_intervals.level", "level", "probability",
     lambda v: goodwill.MarkovChain().fit(pd.DataFrame([[5.0, 1.0], [2.0, 4.0]], index=["a", "b"],
                                                          columns=["a", "b"])).confidence_intervals(v)),
]

# Cells where the value is valid: simulate(as_of=None) means "no
# settlement", customer_value(horizon=None) an infinite horizon.
SKIP_CELLS = {("simulate.as_of", "none"), ("MarkovChain.customer_value.horizon", "none")}
# Horizons are scalars or one per customer: a list or array of them is valid.
SKIP_CELLS |= {(t, v) for t in ("BetaGeoFitter.predict.t", "BetaGeoFitter.expected.t",
                                "BetaGeoBetaBinomFitter.predict.m_periods_in_future",
                                "BetaGeoBetaBinomFitter.alive.n_periods")
               for v in ("list", "empty_list", "array")}
# Element columns: a one-dimensional column of one row holding the bad
# value; None and NaN in an amount column are refused too.



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
    assert len(CELLS) == 1989  # the count in the module docstring


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
    good = {"probability": 0.5, "nonnegative": 0.5, "real": 0.5, "integer": 2, "positive": 0.5, "periods": 2, "prior": 0.5, "weight": 0.5,
            "column": 2.0, "amount_column": 2.0, "count_column": 2.0}[kind]
    if tid == "simulate.seed":
        good = 7
    if tid.startswith("decide_deal.") and kind == "real":
        good = {"floor_price": 800.0, "list_price": 1000.0, "offer": 900.0}[field]
    if tid in ("BetaGeoFitter.fit.recency", "BetaGeoBetaBinomFitter.alive.n_periods"):
        good = 0.0 if tid.endswith("n_periods") else 3.0
    if tid == "BetaGeoFitter.fit.T":
        good = 6.0
    if tid == "BetaGeoBetaBinomFitter.fit.n_periods":
        good = 6.0
    if tid == "BetaGeoFitter.fit.frequency":
        good = 1.0
    if tid == "BetaGeoFitter.fit.max_iterations":
        good = 50
    call(good)
