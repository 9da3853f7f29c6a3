"""goodwill.MarkovChain: fitting, analysis and Pfeifer & Carraway customer value."""

from __future__ import annotations

import goodwill as gw
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

STATES = ["1", "2", "3", "4+"]


def recency_chain() -> gw.MarkovChain:
    """Pfeifer & Carraway (2000), J. Interactive Marketing 14(2) 43-55, the
    recency example: a customer 1, 2, 3, 4+ periods after the last purchase
    buys with probability (.30, .20, .05, 0); a buyer returns to state 1,
    others move on; 4+ is absorbing."""
    p = [0.30, 0.20, 0.05, 0.0]
    m = np.zeros((4, 4))
    for i, q in enumerate(p):
        m[i, 0] += q
        m[i, min(i + 1, 3)] += 1 - q
    return gw.MarkovChain(pd.DataFrame(m, index=STATES, columns=STATES))


REWARDS = pd.Series({"1": 36.0, "2": -4.0, "3": -4.0, "4+": 0.0})


def test_pfeifer_carraway_value():
    # the paper's figure: V = (50.44, 3.14, −1.90, 0) for d = 0.2, infinite horizon
    v = recency_chain().customer_value(REWARDS, discount_rate=0.2)
    assert list(v.index) == STATES
    assert v.round(2).tolist() == [50.44, 3.14, -1.90, 0.0]
    # a finite horizon: T = 0 is this period's reward; long horizons converge
    pd.testing.assert_series_equal(recency_chain().customer_value(REWARDS, 0.2, horizon=0),
                                   REWARDS.rename_axis("state").rename("value"))
    assert np.allclose(recency_chain().customer_value(REWARDS, 0.2, horizon=300), v, atol=1e-9)
    # rewards in state order, or a dict, give the same values
    assert np.allclose(recency_chain().customer_value([36, -4, -4, 0], 0.2), v)
    with pytest.raises(gw.InvalidInputError, match="rewards"):
        recency_chain().customer_value({"1": 36.0}, 0.2)
    with pytest.raises(gw.InvalidInputError, match="discount_rate"):
        recency_chain().customer_value(REWARDS, 0.0)


def test_policy_change():
    # Stop mailing state-3 customers: by hand V1 = 2424/47, V2 = 216/47, V3 = 0
    mc = recency_chain()
    changed = mc.without_state("3", redirect_to="4+")
    assert changed.unserved_states == ["3"]
    v = changed.customer_value(REWARDS, 0.2)
    assert v["1"] == pytest.approx(2424 / 47, rel=1e-12)
    assert v["2"] == pytest.approx(216 / 47, rel=1e-12)
    assert v["3"] == 0
    assert mc.without_state("3").absorbing_states() == ["3", "4+"]
    with pytest.raises(gw.InvalidInputError, match="redirect_to"):
        mc.without_state("3", redirect_to="gone")


def test_structure():
    mc = recency_chain()
    assert mc.absorbing_states() == ["4+"]
    assert mc.transient_states() == ["1", "2", "3"]
    assert mc.recurrent_classes() == [["4+"]]
    assert not mc.is_irreducible()
    assert np.allclose(mc.absorption_probabilities()["4+"], 1.0)
    t = mc.mean_absorption_time()
    p = mc.transition_matrix.loc[["1", "2", "3"], ["1", "2", "3"]].to_numpy()
    assert np.allclose(t.to_numpy(), 1 + p @ t.to_numpy())
    assert mc.steady_states().loc[0, "4+"] == 1.0
    assert np.isinf(mc.mean_recurrence_time()["1"])


def test_two_state_passage_times():
    # [[1−a, a], [b, 1−b]]: π = (b, a)/(a+b); first passage 1/a, 1/b; recurrence 1/π
    a, b = 0.25, 0.1
    mc = gw.MarkovChain([[1 - a, a], [b, 1 - b]], states=["loyal", "lapsed"])
    ss = mc.steady_states()
    assert ss.loc[0].tolist() == pytest.approx([b / (a + b), a / (a + b)])
    m = mc.mean_first_passage_time()
    assert m.loc["loyal", "lapsed"] == pytest.approx(1 / a)
    assert m.loc["lapsed", "loyal"] == pytest.approx(1 / b)
    assert mc.mean_recurrence_time().tolist() == pytest.approx([(a + b) / b, (a + b) / a])


def test_fit_from_counts_mle_and_map():
    counts = pd.DataFrame([[6, 3, 1], [0, 0, 0], [2, 0, 2]], index=list("abc"), columns=list("abc"))
    mle = gw.MarkovChain().fit(counts)
    assert mle.method == "mle"
    assert mle.transition_matrix.loc["a"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert mle.unobserved_states == ["b"]
    pd.testing.assert_frame_equal(mle.counts, counts.astype(float).rename_axis(index="from", columns="to"))
    map_ = gw.MarkovChain().fit(counts, method="map", prior=2.0)
    assert map_.transition_matrix.loc["a", "a"] == pytest.approx(7 / 13)
    assert map_.transition_matrix.loc["b"].tolist() == pytest.approx([1 / 3] * 3)
    lower, upper = map_.confidence_intervals(0.9)
    assert (lower.to_numpy() <= upper.to_numpy()).all()
    ci = mle.confidence_intervals()
    assert ci.level == 0.95
    assert ci.lower.loc["a", "a"] < 0.6 < ci.upper.loc["a", "a"]
    assert ci.lower.isna().loc["b"].all()
    with pytest.raises(gw.InvalidInputError, match="prior"):
        gw.MarkovChain().fit(counts, method="map", prior=0.5)
    with pytest.raises(gw.InvalidInputError, match="method"):
        gw.MarkovChain().fit(counts, method="bayes")
    with pytest.raises(gw.NotFittedError):
        _ = gw.MarkovChain().transition_matrix
    with pytest.raises(gw.NotFittedError):
        recency_chain().confidence_intervals()


def test_map_interval_closed_form():
    # counts (n, 0) with a flat Dirichlet prior: P_00 ~ Beta(n + 1, 1), whose
    # q-quantile is q^(1/(n+1))
    n = 9
    mc = gw.MarkovChain().fit([[n, 0], [1, 1]], method="map", states=["x", "y"])
    lower, upper = mc.confidence_intervals(0.9)
    assert lower.loc["x", "x"] == pytest.approx(0.05 ** (1 / (n + 1)), rel=1e-10)
    assert upper.loc["x", "x"] == pytest.approx(0.95 ** (1 / (n + 1)), rel=1e-10)


TINY = {
    "states": ["a", "b", "c"],
    "initial": "a",
    "transitions": [
        {"from": "a", "on": "meeting", "to": "b"},
        {"from": "b", "on": "deal_won", "to": "c", "guard": "deals_won >= 2"},
        {"from": "*", "on": "churn", "to": "a"},
    ],
}


def test_fit_from_replay():
    led = gw.Ledger(pd.DataFrame({
        "customer": ["x", "x", "x", "y", "y", "z"],
        "time": [1.0, 5.0, 9.0, 2.0, 3.0, 14.0],
        "kind": ["meeting", "deal_won", "deal_won", "meeting", "churn", "proposal"],
    }))
    r = gw.RelationshipModel.from_dict(TINY).replay(led)
    # the jump chain: a→b twice, b→a once, b→c once; c has no data
    jump = gw.MarkovChain().fit(r)
    assert jump.transition_matrix.loc["a", "b"] == 1.0
    assert jump.transition_matrix.loc["b"].tolist() == pytest.approx([0.5, 0, 0.5])
    assert jump.unobserved_states == ["c"]
    # per period of 4 days over [0, 16]: x: a b b c c; y: a a a a a; z (from 12): a a
    per = gw.MarkovChain().fit(r, period=4.0, ledger=led, start=0.0, end=16.0)
    assert per.counts.to_numpy().tolist() == [[5, 1, 0], [0, 1, 1], [0, 0, 1]]
    with pytest.raises(gw.InvalidInputError, match="ledger"):
        gw.MarkovChain().fit(r, period=4.0)


def test_fit_from_synthetic_market_replay():
    led = gw.synthetic_market(300, years=2.0, seed=5).ledger
    r = gw.relationship_selling().replay(led)
    mc = gw.MarkovChain().fit(r, period=30.0, ledger=led)
    p = mc.transition_matrix
    assert np.allclose(p.sum(axis=1), 1.0)
    assert mc.counts.to_numpy().sum() > 0
    rewards = pd.Series(0.0, index=mc.states)
    rewards[["transactional", "developing", "partner"]] = [100.0, 300.0, 800.0]
    v = mc.customer_value(rewards, discount_rate=0.01)
    assert v["partner"] >= v["transactional"]


@st.composite
def count_matrices(draw):
    k = draw(st.integers(2, 6))
    return draw(arrays(np.int64, (k, k), elements=st.integers(0, 50)))


@settings(max_examples=60, deadline=None)
@given(count_matrices(), st.sampled_from(["mle", "map"]))
def test_fitted_chain_properties(counts, method):
    k = counts.shape[0]
    mc = gw.MarkovChain().fit(counts, method=method, prior=1.5 if method == "map" else None,
                              states=[f"s{i}" for i in range(k)])
    p = mc.transition_matrix.to_numpy()
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-12)  # rows sum to 1
    assert (p >= 0).all()
    ss = mc.steady_states().to_numpy()
    assert np.allclose(ss @ p, ss, atol=1e-9)  # a fixed point
    assert np.allclose(ss.sum(axis=1), 1.0)
    lower, upper = mc.confidence_intervals(0.8)
    ok = ~np.isnan(lower.to_numpy())
    assert (lower.to_numpy()[ok] <= upper.to_numpy()[ok]).all()
    assert ((lower.to_numpy()[ok] >= 0) & (upper.to_numpy()[ok] <= 1)).all()
    r = np.linspace(-1, 5, k)
    v = mc.customer_value(r, 0.1).to_numpy()
    assert np.allclose(v, r + p @ v / 1.1, atol=1e-8)


def test_unobserved_states_are_never_called_absorbing():
    # a row without data is absorbing only by the fit's construction
    counts = pd.DataFrame([[0, 4, 0, 0], [2, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
                          index=list("abcd"), columns=list("abcd"))
    mc = gw.MarkovChain().fit(counts)
    assert mc.unobserved_states == ["c", "d"]
    assert mc.absorbing_states() == []
    assert mc.absorbing_states(include_unobserved=True) == ["c", "d"]
    support = mc.state_support()
    # c is entered once and never left: a and b drain into it (by the assumption)
    assert support["status"].tolist() == ["transient", "transient", "never left", "unobserved"]
    assert support.loc["c", "entered"] == 1 and support.loc["d", "entered"] == 0
    # seen staying and never leaving is a finding, with its support
    per = gw.MarkovChain().fit([[5, 1], [0, 3]], states=["in", "out"])
    assert per.absorbing_states() == ["out"]
    assert per.state_support().loc["out", "status"] == "absorbing"
    # absorption probabilities still label every absorbing column of the matrix
    assert list(mc.absorption_probabilities().columns) == ["c", "d"]


def test_report_never_calls_an_unobserved_state_absorbing(tmp_path):
    from goodwill.report import Context, section_customer_value

    led = gw.Ledger(pd.DataFrame({
        "customer": ["x", "x", "x", "y", "y"],
        "time": [0.0, 1.0, 10.0, 0.0, 2.0],
        "kind": ["meeting", "proposal", "deal_won", "meeting", "churn"],
    }))
    model = gw.relationship_selling()
    rep = model.replay(led)
    ctx = Context(led, model, rep, rep.snapshot(), "test")
    body = section_customer_value(ctx).body
    support = gw.MarkovChain().fit(rep.transition_counts(), method="map").state_support()
    unobserved = support.index[support["status"] == "unobserved"].tolist()
    assert "fired" in unobserved and "won_back" in unobserved
    assert "Not observed in the data" in body
    absorbing = body.split("Absorbing states")[1] if "Absorbing states" in body else ""
    for state in unobserved:
        assert state not in absorbing
    # "churned" was entered and never left: named as such, not as a finding
    assert "Entered but never left" in body and "churned (1 entries)" in body


def test_markov_chain_pickles_and_saves(tmp_path):
    import pickle
    from pathlib import Path

    fitted = gw.MarkovChain().fit([[8, 2, 0], [1, 6, 3], [0, 0, 5]], states=["active", "at_risk", "lost"],
                                        method="map", prior=2.0)
    matrix_chain = gw.MarkovChain([[0.9, 0.1], [0.0, 1.0]], states=["active", "lost"])
    reduced = fitted.without_state("at_risk", redirect_to="lost")
    for mc in (fitted, matrix_chain, reduced):
        back = pickle.loads(pickle.dumps(mc))
        assert back.transition_matrix.equals(mc.transition_matrix)
        assert back.method == mc.method
        assert back.unserved_states == mc.unserved_states
        mc.save_model(tmp_path / "mc.pkl")
        assert gw.MarkovChain.load_model(tmp_path / "mc.pkl").transition_matrix.equals(mc.transition_matrix)
    assert pickle.loads(pickle.dumps(fitted)).counts.equals(fitted.counts)
    # A pickle of format 1 kept as a fixture (tests/data/pickles/make.py).
    old = pickle.loads((Path(__file__).resolve().parents[1] / "data" / "pickles" / "markov_chain_v1.pkl").read_bytes())
    assert old.states == ["active", "at_risk", "lost"]
    assert old.transition_matrix.loc["active", "at_risk"] == pytest.approx(0.2)
