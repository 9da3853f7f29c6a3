"""Non-linear preferences (issue 18, item 2): hyper-rectangle and weighted-sum
utilities, Genius non-linear profiles, sessions on them, and the bargaining
analysis that says when it is approximate.

The Genius semantics (InclusiveHyperRectangle, ExclusiveHyperRectangle,
UtilityFunction, NonlinearUtilitySpace in Genius's negotiator.utility, e.g.
Escheck/NegotiatorGUI on GitHub) are worked out by hand in the comments; the
C++ suite ``nonlinear`` (tests/cpp/negotiation/test_nonlinear.cpp) has the
same cases and more.
"""

from __future__ import annotations

import pathlib

import goodwill
import goodwill.negotiation as neg
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

CASES = pathlib.Path(__file__).resolve().parents[1] / "data" / "genius_cases"


def test_genius_nonlinear_profile_values_by_hand() -> None:
    _, u, _ = neg.load_genius_utilities(CASES / "nl_domain.xml", CASES / "nl_profile.xml",
                                            CASES / "nl_profile.xml")
    assert isinstance(u, neg.HyperRectangleUtilityFunction)
    assert u.rectangle_count == 6 and u.reserved_value == 0.3 and u.cap == 1.0
    # maxutility 90; R1 40 (i1 in [2,5], i2 in [0,3]); R2 30 (i3 in [7,9]);
    # R3 EXCLUDES (i1 in [0,4], i3 in [0,4]) 20 x 0.5 = 10 outside the box;
    # R4 10 always; a max child, weight 2, of 15 (i2 in [5,9]) and 25 (i2 in [8,9]).
    # (2,6,0): 0 + 0 + 0 + 10 + 2 * 15 = 40 -> 40/90
    assert u({"issue1": 2, "issue2": 6, "issue3": 0}) == pytest.approx(40 / 90)
    # (5,2,3): 40 + 0 + 10 + 10 + 0 = 60 -> 2/3
    assert u({"issue1": 5, "issue2": 2, "issue3": 3}) == pytest.approx(60 / 90)
    # (6,9,8): 0 + 30 + 10 + 10 + 50 = 100 -> above 1 -> 1 (Genius's cap)
    assert u({"issue1": 6, "issue2": 9, "issue3": 8}) == 1.0
    all_ = u.evaluate_all()
    assert len(all_) == 1000 and all_.max() == 1.0
    sc = neg.load_genius_scenario(CASES / "nl_domain.xml", CASES / "nl_profile.xml", CASES / "nl_profile.xml")
    assert len(sc) == 1000
    np.testing.assert_allclose(sc.utilities()["u1"].to_numpy(), all_)


def test_malformed_nonlinear_profile_names_file_line_reason(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<utility_space type="nonlinear">\n<utility maxutility="1">\n<ufun>\n'
                   '<hyperRectangle utility="1">\n<INCLUDES index="1" min="0" max="1"/>\n'
                   '<EXCLUDES index="2" min="0" max="1"/>\n</hyperRectangle>\n</ufun>\n</utility>\n</utility_space>\n')
    with pytest.raises(goodwill.InvalidInputError,
                       match=rf"^field 'genius': {bad}:4: <hyperRectangle> has both INCLUDES and EXCLUDES"):
        neg.load_genius_utilities(CASES / "nl_domain.xml", bad, bad)


def test_hyper_rectangles_and_weighted_sum_by_hand() -> None:
    space = neg.OutcomeSpace({"term": (1, 3), "support": ["basic", "premium"]})
    bundle = neg.HyperRectangleUtilityFunction(
        [{"utility": 0.5, "includes": {"term": (3, 3), "support": (1, 1)}},  # premium only with 3 years
         {"utility": 0.25, "weight": 2.0, "excludes": {"term": (1, 1)}}], space)
    # (3, premium): 0.5 + 0.25*2 (term 3 outside [1,1]) = 1.0; (1, basic): 0; (2, premium): 0.5
    assert bundle({"term": 3, "support": "premium"}) == 1.0
    assert bundle({"term": 1, "support": "basic"}) == 0.0
    assert bundle({"term": 2, "support": "premium"}) == 0.5
    # a flat sum of two rectangles over 6 outcomes: the difference-array path,
    # whose values are the pointwise ones; no Genius maxutility: divisor 1
    assert bundle.max_utility == 1.0
    assert bundle.fast_path
    np.testing.assert_array_equal(bundle.evaluate_all(), [bundle(o) for o in range(len(space))])
    price = neg.LinearAdditiveUtilityFunction({"term": [0.0, 0.5, 1.0], "support": [1.0, 0.0]}, [0.5, 0.5], space)
    w = neg.WeightedUtilityFunction([price, bundle], [0.5, 0.5], reserved_value=0.2)
    # (2, basic): 0.5*(0.5*0.5 + 0.5*1) + 0.5*0.5 = 0.375 + 0.25 = 0.625
    assert w({"term": 2, "support": "basic"}) == pytest.approx(0.625)
    np.testing.assert_allclose(w.evaluate_all(), 0.5 * price.evaluate_all() + 0.5 * bundle.evaluate_all())
    with pytest.raises(goodwill.InvalidInputError, match="both 'includes' and 'excludes'"):
        neg.HyperRectangleUtilityFunction([{"utility": 1, "includes": {}, "excludes": {}}], space)
    with pytest.raises(goodwill.InvalidInputError, match="no issue named 'colour'"):
        neg.HyperRectangleUtilityFunction([{"utility": 1, "includes": {"colour": (0, 1)}}], space)


def test_session_runs_on_nonlinear_preferences() -> None:
    space = neg.OutcomeSpace({"a": (0, 5), "b": (0, 5), "c": (0, 5)})
    seller = neg.HyperRectangleUtilityFunction(
        [{"utility": 0.5, "includes": {"a": (3, 5)}},
         {"utility": 0.5, "includes": {"b": (2, 5), "c": (0, 2)}},
         {"utility": 0.3, "excludes": {"c": (4, 5)}}], space, reserved_value=0.2)
    buyer = neg.LinearAdditiveUtilityFunction(
        {"a": [1, 0.8, 0.6, 0.4, 0.2, 0], "b": [1, 0.8, 0.6, 0.4, 0.2, 0], "c": [0, 0.2, 0.4, 0.6, 0.8, 1]},
        [0.5, 0.3, 0.2], space, reserved_value=0.2)
    sc = neg.Scenario(seller, buyer, "mixed")
    r = neg.run_session(sc, neg.boulware(), neg.conceder(), n_steps=50)
    assert r.agreement is not None
    o = r.agreement
    assert r.utilities[0] == pytest.approx(seller(o))
    assert r.utilities[1] == pytest.approx(buyer(o))


def test_bargaining_analysis_exact_and_approximate_agree_on_a_small_space() -> None:
    # 1,000 outcomes. Tolerance stated: the approximate Nash product within 2%
    # of the exact one (the C++ suite checks the frontier too).
    space = neg.OutcomeSpace({"x": (0, 9), "y": (0, 9), "z": (0, 9)})
    u1 = neg.HyperRectangleUtilityFunction(
        [{"utility": 0.4, "includes": {"x": (5, 9)}},
         {"utility": 0.4, "includes": {"y": (0, 4), "z": (3, 8)}},
         {"utility": 0.3, "includes": {"x": (0, 2), "y": (7, 9)}},
         {"utility": 0.1}], space, reserved_value=0.1)
    down = [1 - j / 9 for j in range(10)]
    up = [j / 9 for j in range(10)]
    u2 = neg.LinearAdditiveUtilityFunction({"x": down, "y": up, "z": down}, [0.5, 0.3, 0.2], space,
                                           reserved_value=0.1)
    exact = neg.bargaining_analysis(u1, u2)
    assert not exact.approximate and exact.evaluations == 1000
    approx = neg.bargaining_analysis(u1, u2, exact_limit=0, samples=300, seed=7)
    assert approx.approximate and approx.method.startswith("uniform sample of 300")
    assert exact.nash is not None and approx.nash is not None
    pe = (exact.nash["u1"] - 0.1) * (exact.nash["u2"] - 0.1)
    pa = (approx.nash["u1"] - 0.1) * (approx.nash["u2"] - 0.1)
    assert 0.98 * pe <= pa <= pe + 1e-12
    # the frontier rows are real outcomes with their utilities
    for _, row in approx.frontier.head(20).iterrows():
        o = {k: int(row[k]) for k in ("x", "y", "z")}
        assert u1(o) == row["u1"] and u2(o) == row["u2"]
    # the exact analysis is the scenario's
    sc = neg.Scenario(u1, u2)
    assert sc.nash_point[1] == pytest.approx(exact.nash["u1"], abs=1e-3)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4), st.integers(0, 4),
                          st.floats(-2, 2, allow_nan=False), st.booleans()), min_size=1, max_size=12))
def test_evaluate_all_is_the_rule_applied_per_outcome(rects: list[tuple[int, int, int, int, float, bool]]) -> None:
    # property: the C++ fast path equals the Genius rule written out in Python
    space = neg.OutcomeSpace({"x": (0, 4), "y": (0, 4)})
    spec = []
    for x0, dx, y0, dy, util, exclusive in rects:
        box = {"x": (x0, min(4, x0 + dx)), "y": (y0, min(4, y0 + dy))}
        spec.append({"utility": util, ("excludes" if exclusive else "includes"): box})
    u = neg.HyperRectangleUtilityFunction(spec, space)
    got = u.evaluate_all()
    for oid in range(25):
        o = space.outcome(oid)
        want = 0.0
        for r in spec:
            box = r.get("includes", r.get("excludes"))
            inside = all(lo <= o[k] <= hi for k, (lo, hi) in box.items())
            if inside != ("excludes" in r):
                want += r["utility"]
        assert got[oid] == pytest.approx(want, abs=1e-9)


def test_session_on_a_space_too_big_to_enumerate() -> None:
    # 1e60 outcomes: the session runs on the searched candidates; the
    # agreement's utilities are those of the outcome it stands for.
    space = neg.OutcomeSpace({f"i{k}": (0, 99) for k in range(30)})
    seller = neg.HyperRectangleUtilityFunction(
        [{"utility": 1 / 30, "includes": {f"i{k}": (50, 99)}} for k in range(30)], space, reserved_value=0.3)
    buyer = neg.HyperRectangleUtilityFunction(
        [{"utility": 1 / 30, "includes": {f"i{k}": (0, 69)}} for k in range(30)], space, reserved_value=0.3)
    sc, cand = neg.search_scenario(seller, buyer, samples=3000)
    assert len(sc) == len(cand) >= 3000
    r = neg.run_session(sc, neg.boulware(), neg.conceder(), n_steps=60)
    assert r.status == "agreement" and r.outcome is not None
    o = cand.iloc[r.outcome].to_dict()
    assert r.utilities == (seller(o), buyer(o))
    assert min(r.utilities) >= 0.3
    # both can have 1 (every issue at 50..69): the search found such an outcome
    assert sc.nash_point[1] == pytest.approx(1.0) and sc.nash_point[2] == pytest.approx(1.0)
