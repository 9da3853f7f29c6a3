"""price_recommendations: the priced actions against a direct Monte-Carlo
computation of the same mechanism, break-evens, assumptions and bad input."""

from __future__ import annotations

import goodwill
import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def market() -> goodwill.Market:
    return goodwill.synthetic_market(n_customers=600, years=3, seed=21)


@pytest.fixture(scope="module")
def priced(market: goodwill.Market) -> pd.DataFrame:
    return goodwill.price_recommendations(market.ledger, bootstrap=200, seed=1)


def test_expected_profits_match_a_direct_monte_carlo(priced: pd.DataFrame) -> None:
    # the mechanism, simulated customer by customer: retained with probability
    # rho; if fired, back with probability q at a uniform time in the horizon
    # and served (on the same terms) for the rest of it; money discounted to
    # the middle of the horizon
    rates = priced.attrs["rates"]
    rho, q = rates.loc["retention", "estimate"], rates.loc["return_within_horizon", "estimate"]
    delta = 1.1 ** (-365 / 730)
    rng = np.random.default_rng(5)
    sample = priced.sample(40, random_state=3)
    draws = 200_000
    for _, row in sample.iterrows():
        p = row["run_rate"]
        retained = rng.random(draws) < rho
        keep_mc = np.mean(retained * p * delta)
        back = rng.random(draws) < q
        served = 1.0 - rng.random(draws)  # share of the horizon after the return
        fire_mc = np.mean(retained * back * served * p * delta)
        scale = abs(p) * delta + 1.0
        assert abs(keep_mc - row["keep_profit"]) < 0.01 * scale
        assert abs(fire_mc - row["fire_profit"]) < 0.01 * scale


def test_gain_is_against_the_best_other_action(priced: pd.DataFrame) -> None:
    table = priced[["keep_profit", "fire_profit", "reprice_profit"]].rename(columns=lambda c: c[:-7])
    for customer, row in priced.iterrows():
        own = row["action"] if row["action"] != "invest_in_trust" else "keep"
        others = table.loc[customer].drop(own if row["action"] != "invest_in_trust" else "keep")
        assert row["next_best"] in others.index
        assert row["next_best_profit"] == pytest.approx(others.max())
        assert row["gain"] == pytest.approx(row["expected_profit"] - row["next_best_profit"])
        assert row["gain_lower"] <= row["gain"] + 1e-6 * (1 + abs(row["gain"]))
        assert row["gain"] <= row["gain_upper"] + 1e-6 * (1 + abs(row["gain"]))


def test_break_evens(priced: pd.DataFrame) -> None:
    rho = priced.attrs["rates"].loc["retention", "estimate"]
    delta = 1.1 ** (-365 / 730)
    losing = priced[(priced["run_rate"] < 0) & (priced["revenue"] > 0)]
    assert len(losing) > 0
    # at the break-even price increase the customer's run-rate is zero
    assert np.allclose(losing["run_rate"] + losing["break_even_price_increase"] * losing["revenue"], 0.0, atol=1e-6)
    assert np.allclose(losing["reprice_profit"], 0.0, atol=1e-6)
    # firing recovers the loss, net of the chance the customer returns
    q = priced.attrs["rates"].loc["return_within_horizon", "estimate"]
    assert np.allclose(losing["recovered_by_firing"], -rho * losing["run_rate"] * delta * (1 - q / 2))
    assert (losing["recovered_by_firing"] > 0).all()
    median = priced["run_rate"].median()
    assert np.allclose(priced["break_even_trust_spend"], rho * delta * np.maximum(0.0, median - priced["run_rate"]))


def test_assumptions_are_listed(priced: pd.DataFrame) -> None:
    support = priced.attrs["support"]
    named = {a.assumption for a in support.assumptions}
    assert {"horizon_days", "annual_discount_rate", "volume unchanged on reprice"} <= named
    assert "default cost rates" in named  # the profit's own, from profitability
    rates = priced.attrs["rates"]
    assert ((rates["lower"] <= rates["estimate"]) & (rates["estimate"] <= rates["upper"])).all()


def test_bad_input_is_named(market: goodwill.Market) -> None:
    with pytest.raises(goodwill.InvalidInputError, match="horizon_days"):
        goodwill.price_recommendations(market.ledger, horizon_days=0)
    with pytest.raises(goodwill.InvalidInputError, match="decisions"):
        goodwill.price_recommendations(market.ledger, pd.DataFrame({"x": [1]}))
    tiny = goodwill.Ledger(pd.DataFrame({"customer": ["a"], "time": [0.0], "kind": ["deal_won"], "amount": [5.0]}))
    with pytest.raises(goodwill.InvalidInputError, match="retention"):
        goodwill.price_recommendations(tiny)
