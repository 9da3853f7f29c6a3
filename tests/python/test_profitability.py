"""goodwill.profitability and the whale curve (values worked out by hand in the comments)."""

from __future__ import annotations

import math

import goodwill as gw
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

RATES = gw.CostRates(
    meeting_hour=100, discovery_hour=50, negotiation_round=20, support_hour=10, custom_request_hour=30,
    service_issue=200, service_issue_amount_share=0.5, hours_per_round=0.5, default_margin=0.25,
)


def ledger() -> gw.Ledger:
    u = gw.MARGIN_UNKNOWN
    rows = [
        ("Whale Co", 0, "meeting", 2.0, 0),
        ("Whale Co", 1, "proposal", 11000, 0),
        ("Whale Co", 2, "deal_won", 10000, 4000),
        ("Whale Co", 3, "meeting", 1.0, 0),
        ("Whale Co", 4, "purchase", 2000, u),
        # the big contract that costs more to serve than it brings
        ("Big Contract", 0, "proposal", 6000, 0),
        ("Big Contract", 1, "competitor_quote", 5000, 0),
        ("Big Contract", 2, "price_match", 5000, 0),
        ("Big Contract", 3, "concession", 1000, 0),
        ("Big Contract", 4, "deal_won", 5000, 2000),
        ("Big Contract", 5, "support", 20.0, 0),
        ("Big Contract", 6, "custom_request", 10.0, 0),
        ("Big Contract", 7, "service_issue", 100.0, 0),
        ("Big Contract", 8, "service_issue", 100.0, 0),
        ("Big Contract", 9, "purchase", -500, 2000),
        ("Small Shop", 0, "discovery", 1.0, 0),
        ("Small Shop", 1, "purchase", 1000, 5000),
        ("Lead Only", 0, "lead", 0, 0),
    ]
    return gw.Ledger(pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"]))


def test_hand_computed_profit():
    p = gw.profitability(ledger(), rates=RATES)
    assert list(p.index) == ["Whale Co", "Big Contract", "Small Shop", "Lead Only"]
    w = p.loc["Whale Co"]
    # margin 0.40·10 000 + 0.25·2 000 (assumed); cost 3 h·100 + 1 round·20
    assert w["revenue"] == 12000 and w["gross_margin"] == pytest.approx(4500)
    assert w["assumed_margin_revenue"] == 2000
    assert w["cost_to_serve"] == pytest.approx(320) and w["profit"] == pytest.approx(4180)
    assert w["effort_hours"] == pytest.approx(3.5)
    assert w["profit_per_hour"] == pytest.approx(4180 / 3.5)
    b = p.loc["Big Contract"]
    # 4 rounds·20 + 20 h·10 + 10 h·30 + 2·200 + 0.5·200 = 1 080 against a 900 margin
    assert b["negotiation_rounds"] == 4 and b["service_issues"] == 2
    assert b["cost_to_serve"] == pytest.approx(1080) and b["profit"] == pytest.approx(-180)
    assert p.loc["Small Shop", "profit"] == pytest.approx(450)
    assert math.isnan(p.loc["Lead Only", "profit_per_hour"])
    assert p["negotiation_rounds"].dtype == np.int64


def test_default_rates_and_errors():
    p = gw.profitability(ledger())
    assert p.loc["Small Shop", "profit"] == pytest.approx(500 - 150)
    with pytest.raises(gw.InvalidInputError, match="support_hour"):
        gw.profitability(ledger(), gw.CostRates(support_hour=-1))
    with pytest.raises(gw.InvalidInputError, match="default_margin"):
        gw.CostRates(default_margin=2).validate()
    with pytest.raises(gw.InvalidInputError, match="meeting_hour"):
        gw.CostRates(meeting_hour="lots").validate()  # type: ignore[arg-type]
    bad = ledger()
    bad.append_frame(pd.DataFrame({"customer": ["Small Shop"], "time": [5.0], "kind": ["purchase"],
                             "amount": [10.0], "detail": [12000]}))
    with pytest.raises(gw.InvalidInputError, match=r"row 18, field 'detail'"):
        gw.profitability(bad)
    only_deals = gw.profitability(ledger(), gw.CostRates(count_purchases=False))
    assert only_deals.loc["Small Shop", "revenue"] == 0


def test_whale_curve_and_summary():
    curve, summary = gw.whale_curve(gw.profitability(ledger(), rates=RATES))
    assert list(curve["customer"]) == ["Whale Co", "Small Shop", "Lead Only", "Big Contract"]
    assert list(curve.index) == [1, 2, 3, 4]
    assert curve["cumulative_share"].iloc[-1] == 1.0
    assert summary["total_profit"] == pytest.approx(4450)
    assert summary["peak_share"] == pytest.approx(4630 / 4450)
    assert summary["peak_customer_share"] == 0.5
    assert summary["loss_tail"] == pytest.approx(180)
    assert summary["unprofitable"] == 1
    # a ledger goes through profitability with the rates given
    again = gw.whale_curve(ledger(), rates=RATES)
    pd.testing.assert_frame_equal(again.curve, curve)
    with pytest.raises(gw.InvalidInputError, match="profit"):
        gw.whale_curve(pd.Series([1.0, np.nan], index=["a", "b"]))


def test_plot_whale_curve():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    w = gw.whale_curve(ledger(), rates=RATES)
    ax = w.plot()
    line = ax.get_lines()[0]
    assert line.get_xdata()[0] == 0 and line.get_ydata()[-1] == pytest.approx(100)
    assert max(line.get_ydata()) == pytest.approx(100 * 4630 / 4450)
    import matplotlib.pyplot as plt

    plt.close("all")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60))
def test_whale_curve_properties(profits):
    s = pd.Series(profits, index=[f"c{i}" for i in range(len(profits))])
    curve, summary = gw.whale_curve(s)
    assert sorted(curve["customer"]) == sorted(s.index)
    assert (np.diff(curve["profit"]) <= 0).all()  # ranked, most profitable first
    total = sum(p for p in profits if p > 0) + sum(p for p in profits if p < 0)
    assert summary["loss_tail"] == pytest.approx(-sum(p for p in profits if p < 0))
    if total > 0 and total > 1e-9 * max(abs(p) for p in profits):
        share = curve["cumulative_share"].to_numpy()
        assert share[-1] == 1.0  # the curve ends at 100%
        pos = curve["profit"].to_numpy() > 0
        # monotone: rising through the profitable customers, never above the peak
        assert (np.diff(share[pos]) >= 0).all()
        assert (np.diff(share[~pos]) <= 0).all()  # and falling through the loss tail
        assert share.max() == pytest.approx(summary["peak_share"], rel=1e-9)
        assert summary["peak_share"] >= 1.0 - 1e-12
    if summary["total_profit"] <= 0:
        assert math.isnan(summary["peak_share"])  # no scale without a positive total
