"""Sessions over continuous issues directly (issue 18, item 3): offers are
points of the issue box found by bisection on the utility along the
concession path, not picks from a discretised or sampled candidate set. The
C++ suite ``continuous`` (tests/cpp/negotiation/test_continuous.cpp) has the
same cases.
"""

from __future__ import annotations

import goodwill
import goodwill.negotiation as neg
import numpy as np
import pytest


def _box() -> tuple[neg.LinearAdditiveUtilityFunction, neg.LinearAdditiveUtilityFunction]:
    space = neg.OutcomeSpace({"price": (100.0, 200.0), "days": (1.0, 30.0)})
    seller = neg.LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "days": (1 / 29, 0.0)}, [0.7, 0.3], space,
                                               reserved_value=0.1)
    buyer = neg.LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "days": (-1 / 29, 1.0)}, [0.6, 0.4], space,
                                              reserved_value=0.1)
    return seller, buyer


@pytest.mark.parametrize("e1", [0.2, 1.0, 5.0])
def test_offers_hit_the_target(e1: float) -> None:
    seller, buyer = _box()
    r = neg.run_continuous_session(seller, buyer, e1=e1, n_steps=40)
    tr = r.trace
    # the target by hand: u_max 1, u_min the reservation .1, f = t^(1/e)
    e = np.where(tr["proposer"] == 0, e1, 1.0)
    np.testing.assert_allclose(tr["target"], 0.1 + 0.9 * (1.0 - tr["t"] ** (1.0 / e)), atol=1e-12)
    own = np.where(tr["proposer"] == 0, tr["u1"], tr["u2"])
    assert ((np.abs(own - tr["target"]) <= 1e-9) | (own > tr["target"])).all()
    assert (tr["price"].between(100, 200) & tr["days"].between(1, 30)).all()
    # the utilities in the trace are the utility functions' at the offered points
    for _, row in tr.iloc[::7].iterrows():
        point = {"price": row["price"], "days": row["days"]}
        assert seller(point) == pytest.approx(row["u1"], abs=1e-12)
        assert buyer(point) == pytest.approx(row["u2"], abs=1e-12)
    assert r.status == "agreement" and r.agreement is not None
    assert min(r.utilities) >= 0.1


def test_discretised_sessions_approach_the_continuous_one() -> None:
    space = neg.OutcomeSpace({"price": (100.0, 200.0)})
    seller = neg.LinearAdditiveUtilityFunction({"price": (0.01, 0.0)}, [1.0], space, reserved_value=0.1)
    buyer = neg.LinearAdditiveUtilityFunction({"price": (-0.01, 1.0)}, [1.0], space, reserved_value=0.1)
    c = neg.run_continuous_session(seller, buyer, n_steps=30)
    gaps = []
    for levels in (11, 101, 1001):
        grid = neg.OutcomeSpace({"price": (0, levels - 1)})
        step = 100.0 / (levels - 1)
        s = neg.LinearAdditiveUtilityFunction({"price": (step * 0.01, 0.0)}, [1.0], grid, reserved_value=0.1)
        b = neg.LinearAdditiveUtilityFunction({"price": (-step * 0.01, 1.0)}, [1.0], grid, reserved_value=0.1)
        d = neg.run_session(neg.Scenario(s, b), neg.linear(), neg.linear(), n_steps=30)
        assert d.status == "agreement"
        gaps.append(abs(d.utilities[0] - c.utilities[0]))
    assert gaps[2] <= gaps[0] and gaps[2] < 0.01


def test_non_linear_utilities_reach_the_target() -> None:
    seller, _ = _box()
    space = seller.outcome_space
    buyer = neg.HyperRectangleUtilityFunction(
        [{"utility": 0.6, "includes": {"price": (100.0, 150.0)}}, {"utility": 0.4, "includes": {"days": (1.0, 10.0)}}],
        space, reserved_value=0.1)
    r = neg.run_continuous_session(seller, buyer, n_steps=30)
    own = np.where(r.trace["proposer"] == 0, r.trace["u1"], r.trace["u2"])
    assert (own >= r.trace["target"] - 1e-12).all()
    assert r.trace["u2"].iloc[1] == 1.0
    assert r.status == "agreement"


def test_bad_input_is_named() -> None:
    seller, buyer = _box()
    for kw, field in (({"e1": -1.0}, "e1"), ({"n_steps": 0}, "n_steps"), ({"bisection_steps": 0}, "bisection_steps"),
                      ({"first": 2}, "first"), ({"probes": 1}, "probes")):
        with pytest.raises(goodwill.InvalidInputError, match=field):
            neg.run_continuous_session(seller, buyer, **kw)  # type: ignore[arg-type]
    other = neg.LinearAdditiveUtilityFunction({"x": (1.0, 0.0)}, [1.0], neg.OutcomeSpace({"x": (0.0, 1.0)}))
    with pytest.raises(goodwill.InvalidInputError, match="u2"):
        neg.run_continuous_session(seller, other)


# ---- private deadlines and reservations (as run_session) ---------------------------------


def test_private_deadline_ends_the_session_at_that_sides_deadline() -> None:
    seller, buyer = _box()
    r = neg.run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=100, deadlines=(None, 30),
                                   reserved_values=(0.4, None))
    assert (r.status, r.deadline_party, r.own_rounds, r.offers, r.rounds) == ("deadline", 1, (100, 30), 60, 30)
    assert r.utilities == (0.4, 0.1)  # each side its own reservation
    tr = r.trace
    k = np.arange(len(tr))
    np.testing.assert_allclose(tr["t"], k / 199, atol=1e-15)  # the session's clock
    own = np.where(tr["proposer"] == 1, k / 59, k / 199)  # the buyer's clock runs over its 30 rounds
    np.testing.assert_allclose(tr["own_t"], own, atol=1e-15)
    floor = np.where(tr["proposer"] == 0, 0.4, 0.1)
    np.testing.assert_allclose(tr["target"], floor + (1 - floor) * (1 - own**5), atol=1e-12)
    assert int(tr["proposer"].iloc[-1]) == 1 and tr["u2"].iloc[-1] == pytest.approx(0.1, abs=1e-12)
    # the same deadline as a share of n_steps, and reproducible
    q = neg.run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=100, relative_deadlines=(None, 0.3),
                                   reserved_values=(0.4, None))
    assert q.trace.equals(tr)
    again = neg.run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=100, deadlines=(None, 30),
                                       reserved_values=(0.4, None))
    assert again.trace.equals(tr)


def test_the_other_side_does_not_see_private_terms() -> None:
    seller, buyer = _box()
    open_ = neg.run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=100)
    priv = neg.run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=100, deadlines=(None, 30))
    assert open_.offers > priv.offers
    a, p = open_.trace.iloc[: len(priv.trace)], priv.trace
    s = p["proposer"] == 0
    # the seller's clock and targets are those of the open session
    np.testing.assert_array_equal(p.loc[s, "own_t"], a.loc[s, "own_t"])
    np.testing.assert_array_equal(p.loc[s, "target"], a.loc[s, "target"])
    # the buyer's targets do not move with the seller's private reservation
    res = neg.run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=100, deadlines=(None, 30),
                                     reserved_values=(0.45, None))
    np.testing.assert_array_equal(res.trace.loc[~s, "target"], p.loc[~s, "target"])
    assert not np.array_equal(res.trace.loc[s, "target"], p.loc[s, "target"])


@pytest.mark.parametrize("r1,r2", [(0.3, 0.2), (0.55, 0.45), (0.7, 0.55)])
def test_reservations_hold_on_every_offer_and_acceptance(r1: float, r2: float) -> None:
    seller, buyer = _box()
    for e in (0.2, 1.0, 4.0):
        r = neg.run_continuous_session(seller, buyer, e1=e, e2=1 / e, n_steps=50, reserved_values=(r1, r2))
        tr = r.trace
        own = np.where(tr["proposer"] == 0, tr["u1"], tr["u2"])
        floor = np.where(tr["proposer"] == 0, r1, r2)
        assert (own >= floor - 1e-12).all()
        if r.status == "agreement":
            assert r.utilities[0] >= r1 - 1e-12 and r.utilities[1] >= r2 - 1e-12
        else:
            assert r.utilities == (r1, r2)


def test_no_point_worth_the_reservation_walks_away() -> None:
    seller, buyer = _box()
    r = neg.run_continuous_session(seller, buyer, reserved_values=(1.5, None))
    assert (r.status, r.ended_by, r.offers, r.utilities[0]) == ("walked_away", 0, 0, 1.5)


def test_bad_private_terms_are_named() -> None:
    seller, buyer = _box()
    for kw, field in (({"relative_deadlines": (None, 0.0)}, "own_time"), ({"relative_deadlines": (1.5, None)}, "own_time"),
                      ({"reserved_values": (float("inf"), None)}, "reservation"),
                      ({"deadlines": (-1, None)}, "deadlines"), ({"deadlines": (1, 2, 3)}, "deadlines")):
        with pytest.raises(goodwill.InvalidInputError, match=field):
            neg.run_continuous_session(seller, buyer, **kw)  # type: ignore[arg-type]


def test_tit_for_tat_concedes_what_the_opponent_conceded() -> None:
    seller, buyer = _box()
    for factor in (0.5, 1.0, 2.0):
        r = neg.run_continuous_session(seller, buyer, n_steps=40, strategies=("tit_for_tat", "time_dependent"),
                                       factors=(factor, 1.0))
        tr = r.trace
        # the buyer's offers in the seller's utility: first one and latest one before each seller turn
        seen = tr["u1"].where(tr["proposer"] == 1)
        first = seen.dropna().iloc[0]
        latest = seen.ffill().shift(1)
        s = tr["proposer"] == 0
        gain = (latest[s] - first).clip(lower=0).fillna(0.0)
        np.testing.assert_allclose(tr.loc[s, "target"], np.maximum(0.1, 1 - factor * gain), atol=1e-12)
        assert (tr.loc[s, "u1"] >= tr.loc[s, "target"] - 1e-9).all()
        assert r.status == "agreement" and min(r.utilities) >= 0.1
    hard = neg.run_continuous_session(seller, buyer, e2=0.0, n_steps=40, strategies=("tit_for_tat", "time_dependent"))
    assert hard.status == "deadline" and (hard.trace["u1"].where(hard.trace["proposer"] == 0).dropna() == 1.0).all()
    for kw, field in (({"strategies": ("tit_for_tat", "boulware")}, "strategies"),
                      ({"strategies": ("tit_for_tat",)}, "strategies"), ({"factors": (-1.0, 1.0)}, "factors")):
        with pytest.raises(goodwill.InvalidInputError, match=field):
            neg.run_continuous_session(seller, buyer, **kw)  # type: ignore[arg-type]


def test_discrete_issues_of_a_mixed_space_are_searched() -> None:
    space = neg.OutcomeSpace({"price": (100.0, 200.0), "support": ["basic", "premium", "gold"]})
    seller = neg.LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.6, 0.0]}, [0.8, 0.2], space,
                                               reserved_value=0.1)
    buyer = neg.LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 0.5, 1.0]}, [0.4, 0.6], space,
                                              reserved_value=0.1)
    r = neg.run_continuous_session(seller, buyer, n_steps=40)
    tr = r.trace
    own = np.where(tr["proposer"] == 0, tr["u1"], tr["u2"])
    assert (own >= tr["target"] - 1e-9).all()
    assert (tr.loc[tr["proposer"] == 0, "support"] != "basic").any()  # the seller trades support for price
    fixed = neg.run_continuous_session(seller, buyer, n_steps=40, discrete_limit=0)
    assert (fixed.trace.loc[fixed.trace["proposer"] == 0, "support"] == "basic").all()
    assert (fixed.trace.loc[fixed.trace["proposer"] == 1, "support"] == "gold").all()
    assert r.status == "agreement" and sum(r.utilities) > sum(fixed.utilities)
    with pytest.raises(goodwill.InvalidInputError, match="discrete_limit"):
        neg.run_continuous_session(seller, buyer, discrete_limit=-1)


def test_options_pairs_are_tuples_set_whole() -> None:
    # a list from a std::array member would be a copy: o.own_rounds[0] = 5
    # would change nothing; a tuple refuses the item assignment instead
    o = goodwill._core.negotiation.ContinuousOptions()
    assert o.own_rounds == (0, 0) and o.own_time == (1.0, 1.0)
    with pytest.raises(TypeError):
        o.own_rounds[0] = 5  # type: ignore[index]
    o.own_rounds = [5, 7]
    o.reservation = (0.2, 0.3)
    assert o.own_rounds == (5, 7) and o.reservation == (0.2, 0.3)
    m = goodwill._core.synthetic.MarketModel()
    assert isinstance(m.mix, tuple) and len(m.mix) == len(goodwill.ARCHETYPES)
    m.mix = [1.0, 0.0, 0.0, 0.0, 0.0]
    assert m.mix == (1.0, 0.0, 0.0, 0.0, 0.0)
    # the documented defaults are C++'s, filled in from ContinuousOptions
    assert f"Rounds (default {o.rounds})" in (neg.run_continuous_session.__doc__ or "")
