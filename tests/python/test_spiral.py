"""goodwill.transactional_spiral on a hand-made ledger (values worked out by hand)."""

from __future__ import annotations

import math

import goodwill
import pandas as pd
import pytest


def ledger() -> goodwill.Ledger:
    rows = [
        # "Spiral Inc": matched twice, margins 30% -> 20% -> 25% at days 10, 110, 210
        ("Spiral Inc", 0, "proposal", 1000, 0),
        ("Spiral Inc", 5, "competitor_quote", 900, 0),
        ("Spiral Inc", 6, "price_match", 900, 0),
        ("Spiral Inc", 10, "deal_won", 900, 3000),
        ("Spiral Inc", 100, "proposal", 1000, 0),
        ("Spiral Inc", 105, "price_match", 850, 0),
        ("Spiral Inc", 110, "deal_won", 850, 2000),
        ("Spiral Inc", 200, "proposal", 1000, 0),
        ("Spiral Inc", 210, "deal_won", 1000, 2500),
        ("Partner Ltd", 0, "proposal", 500, 0),
        ("Partner Ltd", 3, "deal_won", 500, 4000),
        ("Partner Ltd", 20, "meeting", 1, 0),
    ]
    return goodwill.Ledger(pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"]))


def test_measures_and_flag():
    s = goodwill.transactional_spiral(ledger())
    assert list(s.index) == ["Spiral Inc", "Partner Ltd"]
    row = s.loc["Spiral Inc"]
    assert row["won_after_match"] == 2
    assert row["matched_win_share"] == pytest.approx(2 / 3)
    assert row["mean_concession_depth"] == pytest.approx(0.25 / 3)
    assert row["margin_trend"] == pytest.approx(-0.025 * 365)
    assert row["margin_basis"] == "margin"
    assert bool(row["transactional_spiral"])
    partner = s.loc["Partner Ltd"]
    assert not partner["transactional_spiral"]
    assert math.isnan(partner["margin_trend"])  # one won deal: no trend
    assert partner["mean_concession_depth"] == 0.0


def test_thresholds_and_errors():
    s = goodwill.transactional_spiral(ledger(), min_matched_wins=3)
    assert not s["transactional_spiral"].any()
    with pytest.raises(goodwill.InvalidInputError) as info:
        goodwill.transactional_spiral(ledger(), min_matched_share=2.0)
    assert info.value.field == "min_matched_share"
