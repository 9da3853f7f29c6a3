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
