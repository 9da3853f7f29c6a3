"""goodwill.simulate / compare_policies: determinism, thread invariance, metrics vs the ledger."""

from __future__ import annotations

import goodwill
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def test_thread_invariance_and_determinism():
    led1, m1 = goodwill.simulate("trust_builder", customers=2500, months=18, seed=3, threads=1)
    led2, m2 = goodwill.simulate("trust_builder", customers=2500, months=18, seed=3, threads=2)
    led3, m3 = goodwill.simulate("trust_builder", customers=2500, months=18, seed=3, threads=5)
    pd.testing.assert_frame_equal(m1, m2, check_exact=True)
    pd.testing.assert_frame_equal(m1, m3, check_exact=True)
    assert led1 == led2 == led3
    _, other = goodwill.simulate("trust_builder", customers=2500, months=18, seed=4)
    assert not m1["profit"].equals(other["profit"])


@settings(max_examples=8, deadline=None)
@given(
    policy=st.sampled_from(sorted(goodwill.POLICIES)),
    customers=st.integers(0, 400),
    months=st.integers(1, 30),
    seed=st.integers(0, 2**40),
)
def test_metrics_consistent_with_the_ledger(policy, customers, months, seed):
    ledger, m = goodwill.simulate(policy, customers=customers, months=months, seed=seed)
    assert len(m) == months
    events = ledger.to_pandas()
    kinds = events["kind"].astype(str).value_counts()
    count = lambda k: int(kinds.get(k, 0))
    assert m["deals"].sum() == count("proposal")
    assert m["deals_won"].sum() == count("deal_won")
    assert m["churned"].sum() == count("churn")
    assert m["fired"].sum() == count("fire")
    assert m["won_back"].sum() == count("return")
    assert m["walk_aways"].sum() == count("walk_away")
    assert m["price_matches"].sum() == count("price_match")
    prof = goodwill.profitability(ledger)
    assert m["revenue"].sum() == pytest.approx(prof["revenue"].sum(), rel=1e-9, abs=1e-6)
    assert m["cost_to_serve"].sum() == pytest.approx(prof["cost_to_serve"].sum(), rel=1e-9, abs=1e-6)
    assert (m["profit"] + m["acquisition_cost"]).sum() == pytest.approx(prof["profit"].sum(), rel=1e-9, abs=1e-6)
    # Customers are conserved month to month.
    flow = m["active"].shift() + m["new_customers"] + m["won_back"] - m["churned"] - m["fired"]
    assert (m["active"].iloc[1:] == flow.iloc[1:]).all()
    assert ((m["mean_trust"].dropna() > 0) & (m["mean_trust"].dropna() < 1)).all()
    # The ledger's customer months in time order.
    assert (events.groupby("customer", observed=True)["time"].apply(lambda t: t.is_monotonic_increasing)).all()


def test_metrics_only_mode():
    led, a = goodwill.simulate("price_matcher", customers=300, months=12, seed=1)
    none, b = goodwill.simulate("price_matcher", customers=300, months=12, seed=1, ledger=False)
    assert none is None and led is not None
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_compare_policies_intervals():
    c = goodwill.compare_policies(["price_matcher", "trust_builder"], seeds=3, customers=400, months=24)
    assert list(c.index) == ["price_matcher", "trust_builder"]
    runs = c.attrs["runs"]
    assert len(runs) == 6
    for pol, group in runs.groupby("policy"):
        vals = group["profit"].to_numpy()
        mean, sd = vals.mean(), vals.std(ddof=1)
        # t_{0.975, 2} in closed form: (2p - 1) / sqrt(2p(1 - p)), p = 0.975
        t = 0.95 / np.sqrt(2 * 0.975 * 0.025)
        assert c.loc[pol, "profit"] == pytest.approx(mean)
        assert c.loc[pol, "profit_low"] == pytest.approx(mean - t * sd / np.sqrt(3))
        assert c.loc[pol, "profit_high"] == pytest.approx(mean + t * sd / np.sqrt(3))
    assert (c["margin_low"] <= c["margin"]).all() and (c["margin"] <= c["margin_high"]).all()
    # Only the price matcher matches prices; trust builders keep more trust.
    assert c.loc["trust_builder", "mean_trust"] > c.loc["price_matcher", "mean_trust"]


def test_plot(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    c = goodwill.compare_policies(["disciplined_walk_away", "fire_the_unprofitable"], seeds=2, customers=200, months=12)
    axes = goodwill.plot_policy_comparison(c)
    assert len(axes) == 4
    axes[0].figure.savefig(tmp_path / "cmp.png")


def test_custom_policy_and_errors():
    pol = goodwill.SellerPolicy(name="monthly_matcher", strategy="price_matcher", meeting_cadence_days=30, firing="seeds")
    _, m = goodwill.simulate(pol, customers=100, months=6)
    assert m.attrs["policy"] == "monthly_matcher"
    with pytest.raises(goodwill.InvalidInputError, match="strategy"):
        goodwill.simulate(goodwill.SellerPolicy(strategy="haggle"), customers=10, months=2)
    with pytest.raises(goodwill.InvalidInputError, match="months"):
        goodwill.simulate("trust_builder", customers=10, months=0)
    with pytest.raises(goodwill.InvalidInputError, match="policy"):
        goodwill.simulate("nobody", customers=10, months=2)
    with pytest.raises(goodwill.InvalidInputError, match="mix"):
        goodwill.simulate("trust_builder", customers=10, months=2, mix={"whale": 1.0})
