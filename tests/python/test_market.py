"""goodwill.synthetic_market: API, determinism, archetype wiring, errors."""

from __future__ import annotations

import goodwill
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def test_market_shape_and_alignment():
    m = goodwill.synthetic_market(300, years=2.0, seed=5)
    assert isinstance(m, goodwill.Market)
    assert isinstance(m.ledger, goodwill.Ledger)
    assert m.ledger.n_customers == 300
    assert list(m.ledger.customers) == list(range(300))
    assert isinstance(m.archetypes, pd.Series)
    assert m.archetypes.dtype == "category"
    assert list(m.archetypes.cat.categories) == list(goodwill.ARCHETYPES)
    assert np.array_equal(m.archetypes.index.to_numpy(), m.ledger.customers)
    frame = m.ledger.to_pandas()
    assert frame["time"].between(0.0, 2 * 365.0, inclusive="left").all()
    # Each customer's first event is the lead that started the relationship.
    first = frame.groupby("customer", sort=True).head(1)
    assert (first["kind"] == "lead").all()
    assert "300 customers" in repr(m)


def test_same_arguments_same_bytes_any_thread_count():
    a = goodwill.synthetic_market(5000, years=1.0, seed=11)
    b = goodwill.synthetic_market(5000, years=1.0, seed=11, threads=2)
    assert a.ledger.to_bytes() == b.ledger.to_bytes()
    assert a.archetypes.equals(b.archetypes)
    c = goodwill.synthetic_market(5000, years=1.0, seed=12)
    assert a.ledger.to_bytes() != c.ledger.to_bytes()


def test_mix_dict_selects_archetypes():
    m = goodwill.synthetic_market(4000, years=1.0, mix={"price_shopper": 1, "loyal_partner": 3})
    counts = m.archetypes.value_counts()
    assert counts["win_lose_negotiator"] == 0
    assert counts["growing_account"] == 0
    assert counts["loyal_partner"] / 4000 == pytest.approx(0.75, abs=0.03)
    only = goodwill.synthetic_market(50, years=1.0, mix={"growing_account": 2.0})
    assert set(only.archetypes) == {"growing_account"}


def test_archetypes_drive_behaviour():
    m = goodwill.synthetic_market(6000, years=3.0, seed=3, threads=2)
    frame = m.ledger.to_pandas()
    frame["archetype"] = m.archetypes.to_numpy()[m.ledger.to_numpy()["customer"]]
    counts = frame.groupby(["archetype", "kind"], observed=False).size().unstack(fill_value=0)
    match_rate = counts["price_match"] / counts["proposal"]
    assert match_rate["price_shopper"] > 5 * match_rate["loyal_partner"]
    per_customer = counts["referral_given"] / m.archetypes.value_counts()
    assert per_customer["loyal_partner"] > 10 * per_customer["price_shopper"]


def test_margins_and_amounts_follow_the_event_schema():
    frame = goodwill.synthetic_market(1000, seed=9).ledger.to_pandas()
    negative = frame[frame["amount"] < 0]
    assert set(negative["kind"].astype(str)) <= {"scope_change", "purchase"}
    assert (frame.loc[frame["kind"] == "scope_change", "amount"] < 0).all()
    won = frame[frame["kind"] == "deal_won"]
    assert won["detail"].between(-100_000, 10_000).all()
    assert 1_000 < won["amount"].median() < 100_000  # deal sizes in thousands
    lost = frame[frame["kind"] == "deal_lost"]
    assert set(lost["detail"]) <= set(range(len(goodwill.LOSS_REASONS)))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_customers": -1}, "n_customers"),
        ({"n_customers": 2.5}, "n_customers"),
        ({"n_customers": True}, "n_customers"),
        ({"years": 0}, "years"),
        ({"years": float("nan")}, "years"),
        ({"years": "3"}, "years"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**64}, "seed"),
        ({"mix": {"whale": 1.0}}, "mix"),
        ({"mix": {"price_shopper": -1.0}}, "mix"),
        ({"mix": {"price_shopper": 0.0}}, "mix"),
        ({"mix": [1.0, 2.0]}, "mix"),
        ({"mix": "price_shopper"}, "mix"),
        ({"threads": 0}, "threads"),
        ({"start_time": float("inf")}, "start_time"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, field):
    with pytest.raises(goodwill.InvalidInputError) as info:
        goodwill.synthetic_market(**kwargs)
    assert info.value.field == field
    assert field in str(info.value)


def test_zero_customers_is_an_empty_market():
    m = goodwill.synthetic_market(0)
    assert len(m.ledger) == 0
    assert len(m.archetypes) == 0


def test_progress_reports_and_callback_errors_propagate(capsys):
    goodwill.synthetic_market(5000, years=0.5, progress=True)
    err = capsys.readouterr().err
    assert "5,000" in err or "5000" in err

    def boom(done: int, total: int) -> None:
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        params = goodwill._core.synthetic.MarketParams()
        params.customers, params.horizon_days, params.threads = 5000, 100.0, 2
        goodwill._core.synthetic._generate_market(params, boom)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=60),
    seed=st.integers(min_value=0, max_value=2**64 - 1),
    years=st.floats(min_value=0.01, max_value=4.0),
    start=st.floats(min_value=-1e6, max_value=1e6),
)
def test_any_small_market_is_valid_grouped_and_reproducible(n, seed, years, start):
    m = goodwill.synthetic_market(n, years=years, seed=seed, start_time=start)
    again = goodwill.synthetic_market(n, years=years, seed=seed, start_time=start, threads=3)
    assert m.ledger.to_bytes() == again.ledger.to_bytes()
    # The binary format re-validates every row on load.
    back = goodwill.Ledger.from_bytes(m.ledger.to_bytes())
    assert len(back) == len(m.ledger)
    cols = m.ledger.to_numpy()
    c, t = cols["customer"], cols["time"]
    grouped = np.all((c[1:] > c[:-1]) | ((c[1:] == c[:-1]) & (t[1:] >= t[:-1])))
    assert grouped
    assert np.all((t >= start) & (t < start + years * 365.0))
    assert len(m.archetypes) == n


def test_demo_summarises_a_synthetic_market():
    from goodwill import demo

    market = goodwill.synthetic_market(3000, years=3.0, seed=1)
    summary = demo.portfolio_summary(market, 3.0)
    assert list(summary.index) == list(goodwill.ARCHETYPES)
    assert summary.loc["price_shopper", "price_matches_per_deal"] > 5 * summary.loc["loyal_partner", "price_matches_per_deal"]
    assert summary["customers"].sum() == 3000
    # events a year times customers times years gives back every event
    total = (summary["events_per_year"] * summary["customers"] * 3.0).sum()
    assert round(total) == len(market.ledger)
