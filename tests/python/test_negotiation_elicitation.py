"""goodwill.negotiation elicitation: partial profiles, questions at a cost
(discovery events), the blind-vs-eliciting batch and its invariance to the
thread count (issue 18 points 4 and 7)."""

from __future__ import annotations

from pathlib import Path

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill import negotiation as neg


def make_sale() -> neg.Scenario:
    # Three issues (4 x 3 x 5 = 60 outcomes), tables not opposed: room for
    # a better deal when the seller knows its own utility.
    space = neg.OutcomeSpace({"term": ["1y", "2y", "3y", "5y"], "support": ["basic", "standard", "premium"],
                              "volume": ["10", "20", "50", "100", "200"]})
    seller = neg.LinearAdditiveUtilityFunction(
        {"term": [0.2, 0.5, 1.0, 0.7], "support": [1.0, 0.4, 0.0], "volume": [0.0, 0.3, 0.6, 0.9, 1.0]},
        [0.45, 0.35, 0.2], space, reserved_value=0.1)
    buyer = neg.LinearAdditiveUtilityFunction(
        {"term": [1.0, 0.6, 0.3, 0.0], "support": [0.0, 0.7, 1.0], "volume": [0.2, 1.0, 0.7, 0.4, 0.0]},
        [0.2, 0.3, 0.5], space, reserved_value=0.1)
    return neg.Scenario(seller, buyer, "sale")


def test_weight_intervals_contain_the_truth() -> None:
    sc = make_sale()
    assert sc.ufuns is not None
    seller = sc.ufuns[0]
    assert isinstance(seller, neg.LinearAdditiveUtilityFunction)
    p = neg.PartialProfile.from_weight_intervals(seller, [0.35, 0.25, 0.1], [0.55, 0.45, 0.3])
    truth = sc.utilities()["u1"].to_numpy()
    assert len(p) == len(sc) == 60
    assert np.all(p.lo <= truth + 1e-12) and np.all(p.hi >= truth - 1e-12)
    assert p.known_count == 0
    with pytest.raises(goodwill.InvalidInputError, match="weight_hi"):
        neg.PartialProfile.from_weight_intervals(seller, [0.35, 0.5, 0.1], [0.55, 0.45, 0.3])
    with pytest.raises(goodwill.InvalidInputError, match="hi"):
        neg.PartialProfile.from_intervals([0.5, 0.2], [0.6, 0.1])
    with pytest.raises(goodwill.InvalidInputError, match="twice"):
        neg.PartialProfile.from_ordering(5, [1, 2, 1])


def test_session_questions_are_discovery_events() -> None:
    sc = make_sale()
    assert sc.ufuns is not None
    seller = sc.ufuns[0]
    assert isinstance(seller, neg.LinearAdditiveUtilityFunction)
    p = neg.PartialProfile.from_weight_intervals(seller, [0.3, 0.2, 0.05], [0.6, 0.5, 0.35])
    r = neg.run_elicitation_session(sc, p, neg.boulware(), cost=0.002, n_steps=30, hours_per_question=0.5)
    assert len(r.questions) > 0
    u = sc.utilities()["u1"].to_numpy()
    np.testing.assert_array_equal(r.questions["answer"].to_numpy(), u[r.questions["outcome"].to_numpy()])
    assert r.questions["outcome"].is_unique
    assert r.net == pytest.approx(r.discounted_utilities[0] - 0.002 * len(r.questions))
    led = goodwill.Ledger()
    n = r.to_ledger(led, "acme")
    ev = led.to_pandas()
    assert n == len(led)
    disc = ev[ev["kind"] == "discovery"]
    assert len(disc) == len(r.questions)
    assert (disc["amount"] == 0.5).all()
    blind = neg.run_elicitation_session(sc, p, neg.boulware(), policy="blind", n_steps=30)
    assert len(blind.questions) == 0 and blind.question_cost == 0.0
    with pytest.raises(goodwill.InvalidInputError, match="policy"):
        neg.run_elicitation_session(sc, p, neg.boulware(), policy="sometimes")
    with pytest.raises(goodwill.InvalidInputError, match="cost"):
        neg.run_elicitation_session(sc, p, neg.boulware(), cost=-0.1)


def test_batch_is_thread_invariant() -> None:
    sc = make_sale()
    a = neg.elicitation_batch(sc, neg.boulware(), cost=0.001, seeds=range(60), n_steps=30, threads=1)
    b = neg.elicitation_batch(sc, neg.boulware(), cost=0.001, seeds=range(60), n_steps=30, threads=2)
    pd.testing.assert_frame_equal(a.sessions, b.sessions)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    s = a.summary.set_index("policy")
    assert list(s.index) == ["blind", "pandora", "full"]
    assert s.loc["blind", "questions"] == 0.0
    assert s.loc["full", "questions"] == 60.0
    assert s.loc["pandora", "questions"] > 0.0
    assert s.loc["pandora", "net_lo"] <= s.loc["pandora", "net"] <= s.loc["pandora", "net_hi"]
    assert len(a.sessions) == 180


def test_eliciting_beats_blind_on_itex_cypress(shared_data: Path) -> None:
    # The Genius ItexvsCypress scenario (180 outcomes): Itex, unsure of its
    # weights (intervals 0.3 wide), against a Boulware Cypress.
    d = shared_data / "genius" / "ItexvsCypress"
    sc = neg.load_genius_scenario(d / "ItexvsCypress_domain.xml", d / "ItexvsCypress_Itex.xml",
                                  d / "ItexvsCypress_Cypress.xml")
    r = neg.elicitation_batch(sc, neg.boulware(), cost=0.005, spread=0.3, seeds=range(100), n_steps=50)
    s = r.summary.set_index("policy")
    assert s.loc["pandora", "net_gain_lo"] > 0.0  # the paired interval excludes 0
    assert s.loc["full", "net_gain_hi"] < 0.0  # asking all 180 outcomes costs 0.9


def test_elicitation_does_not_pay_at_a_high_cost() -> None:
    sc = make_sale()
    r = neg.elicitation_batch(sc, neg.boulware(), cost=0.5, seeds=range(30), n_steps=30, threads=2)
    s = r.summary.set_index("policy")
    # pandora finds no question worth 0.5 and plays blind; full pays for 60
    assert s.loc["pandora", "questions"] == 0.0
    assert s.loc["pandora", "net_gain"] == 0.0
    assert s.loc["full", "net_gain_hi"] < 0.0
    blind = r.sessions[r.sessions["policy"] == "blind"]["net"].to_numpy()
    pandora = r.sessions[r.sessions["policy"] == "pandora"]["net"].to_numpy()
    np.testing.assert_array_equal(blind, pandora)


def test_batch_refuses_bad_input() -> None:
    sc = make_sale()
    with pytest.raises(goodwill.InvalidInputError, match="spread"):
        neg.elicitation_batch(sc, neg.boulware(), spread=-0.1, seeds=range(3))
    with pytest.raises(goodwill.InvalidInputError, match="policies"):
        neg.elicitation_batch(sc, neg.boulware(), policies=[], seeds=range(3))
    arrays = neg.Scenario.from_arrays(sc.outcome_space, sc.utilities()["u1"], sc.utilities()["u2"])
    with pytest.raises(goodwill.InvalidInputError, match="linear-additive"):
        neg.elicitation_batch(arrays, neg.boulware(), seeds=range(3))
    with pytest.raises(goodwill.InvalidInputError, match="policy"):
        neg.elicitation_batch(sc, neg.boulware(), seeds=range(3), policy="full")  # type: ignore[call-arg]
    with pytest.raises(goodwill.InvalidInputError, match="windw"):
        neg.elicitation_batch(sc, neg.boulware(), seeds=range(3), windw=0.1)  # type: ignore[call-arg]


def test_run_defaults_come_from_cpp() -> None:
    # hours_per_question, spread and confidence: left out, the C++ defaults
    # (ElicitationRunOptions) apply, and giving them explicitly changes nothing.
    d = goodwill._core.negotiation.ElicitationRunOptions()
    sc = make_sale()
    assert sc.ufuns is not None
    seller = sc.ufuns[0]
    assert isinstance(seller, neg.LinearAdditiveUtilityFunction)
    p = neg.PartialProfile.from_weight_intervals(seller, [0.3, 0.2, 0.05], [0.6, 0.5, 0.35])
    r = neg.run_elicitation_session(sc, p, neg.boulware(), cost=0.002, n_steps=30)
    ev = r._events
    discovery = [a for k, a in zip(ev["kind"], ev["amount"]) if k == list(goodwill.EVENT_KINDS).index("discovery")]
    assert discovery and set(discovery) == {d.hours_per_question}
    a = neg.elicitation_batch(sc, neg.boulware(), cost=0.001, seeds=range(8), n_steps=20, threads=1)
    b = neg.elicitation_batch(sc, neg.boulware(), cost=0.001, seeds=range(8), n_steps=20, threads=1,
                              spread=d.spread, confidence=d.confidence)
    pd.testing.assert_frame_equal(a.sessions, b.sessions)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.confidence == d.confidence
    with pytest.raises(goodwill.InvalidInputError, match="windw"):
        neg.run_elicitation_session(sc, p, neg.boulware(), windw=0.1)  # type: ignore[call-arg]
