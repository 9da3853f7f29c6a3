"""goodwill.decision: deal and customer decisions with reasons (rules of decision.hpp)."""

from __future__ import annotations

import math

import goodwill
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def test_deal_counter_on_the_schedule():
    d = goodwill.decide_deal(floor_price=800, list_price=1000, offer=900, relative_time=0.25, trust=0.7)
    assert d.action == "counter"
    # floor + (list - floor)(1 - t^(1/e)), e = 0.5: 800 + 200 * (1 - 0.0625)
    assert d.counter_price == pytest.approx(987.5)
    assert d.numbers["gap_to_floor"] == pytest.approx(100)
    assert any("counter at 988" in r for r in d.reasons)


def test_rival_quote_below_floor_is_never_met():
    d = goodwill.decide_deal(
        floor_price=800, list_price=1000, offer=750, competitor_quote=760, trust=0.95,
        customer_value=1e7, alternatives_offered=True,
    )
    assert d.action == "walk_away"
    assert d.numbers["rival_below_floor"]
    assert any("not from the customer" in r for r in d.reasons)


def test_late_scope_cut_gets_alternatives():
    d = goodwill.decide_deal(floor_price=800, list_price=1000, offer=850, scope_cut=0.25, relative_time=0.8)
    assert d.action == "offer_alternatives"


def test_relationship_value_justifies_a_small_shortfall():
    d = goodwill.decide_deal(floor_price=800, list_price=1000, offer=790, trust=0.8, customer_value=10_000)
    assert d.action == "accept"
    assert d.numbers["allowance"] == pytest.approx(500)


def test_decide_deals_frame_and_errors():
    deals = pd.DataFrame(
        {"floor_price": [800, 800], "list_price": [1000, 1000], "offer": [1000, 700]},
        index=pd.Index(["a", "b"], name="deal"),
    )
    out = goodwill.decide_deals(deals)
    assert list(out.index) == ["a", "b"]
    assert list(out["action"]) == ["accept", "offer_alternatives"]
    with pytest.raises(goodwill.InvalidInputError, match="list_price"):
        goodwill.decide_deals(deals.assign(list_price=[1000, 500]))
    with pytest.raises(goodwill.InvalidInputError, match="offer"):
        goodwill.decide_deals(deals.drop(columns="offer"))


_finite = st.floats(-1e5, 1e5, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_finite, _finite, st.floats(0, 1), st.floats(0, 20), st.floats(0, 10), st.floats(0, 10)),
        min_size=1,
        max_size=30,
    ),
    st.floats(0, 1),
    st.floats(0, 10),
)
def test_fire_only_when_all_three_conditions_hold(rows, low_trust, min_meetings):
    ev = pd.DataFrame(
        rows, columns=["profit", "profit_trend", "trust", "meetings", "discovery_hours", "promises_kept"]
    )
    th = goodwill.CustomerThresholds(low_trust=low_trust, min_meetings=min_meetings)
    out = goodwill.decide_customers(evidence=ev, thresholds=th)
    unprofitable = ev["profit"] < th.min_profit
    not_improving = ev["profit_trend"] <= th.min_improvement
    effort = (
        (ev["meetings"] >= th.min_meetings)
        & (ev["discovery_hours"] >= th.min_discovery_hours)
        & (ev["promises_kept"] >= th.min_kept_promises)
    )
    low = ev["trust"] < th.low_trust
    fired = out["action"] == "fire"
    assert (fired == (unprofitable & not_improving & effort & low)).all()
    # without the effort on record, an unprofitable stagnant customer gets trust investment
    assert (out.loc[unprofitable & not_improving & ~effort, "action"] == "invest_in_trust").all()
    assert out["reasons"].map(len).gt(0).all()


def test_customers_from_a_ledger_with_owner():
    rows = []
    # "Drain Co": unprofitable, worse than the year before, effort on record, trust low.
    for m in range(8):
        rows.append(("Drain Co", 400 + 30 * m, "meeting", 2.0, 0))
    rows += [
        ("Drain Co", 405, "discovery", 3.0, 0),
        ("Drain Co", 410, "promise_kept", 0, 0),
        ("Drain Co", 420, "promise_kept", 0, 0),
        ("Drain Co", 100, "purchase", 10_000, 1000),
        ("Drain Co", 500, "purchase", 1000, 500),
    ]
    for m in range(6):
        rows.append(("Drain Co", 430 + 40 * m, "promise_broken", 0, 0))
        rows.append(("Drain Co", 431 + 40 * m, "price_match", 900, 0))
    # "Good Ltd": profitable.
    rows += [("Good Ltd", 300, "deal_won", 50_000, 3000), ("Good Ltd", 650, "meeting", 1.0, 0)]
    ledger = goodwill.Ledger(pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"]))
    owner = pd.Series({"Drain Co": "Ana", "Good Ltd": "Ben"})
    out = goodwill.decide_customers(ledger, owner=owner, as_of=700)
    assert out.loc["Good Ltd", "owner"] == "Ben"
    drain = out.loc["Drain Co"]
    assert drain["unprofitable"] and not drain["improving"] and drain["effort_made"]
    assert drain["meetings"] == 8
    assert drain["action"] == ("fire" if drain["trust"] < 0.4 else "reprice")
    assert "trust" in drain["reasons"]
    # profit equals goodwill.profitability over the same events
    prof = goodwill.profitability(ledger)["profit"]
    assert out["profit"].to_numpy() == pytest.approx(prof.to_numpy())
    assert math.isfinite(out.loc["Good Ltd", "profit_trend"])
    assert out.loc["Good Ltd", "action"] in ("keep", "invest_in_trust")
