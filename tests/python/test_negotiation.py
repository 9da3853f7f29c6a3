"""goodwill.negotiation: outcome spaces, utilities, Genius import, bargaining
analysis, sessions, strategies (built in and Python), batches, ledger link."""

from __future__ import annotations

import math

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill import negotiation as neg
from hypothesis import given, settings
from hypothesis import strategies as st

# ../shared/data/README.md, genius table: outcomes, distinct Pareto pairs, Nash point.
GENIUS = [
    ("Laptop", "Laptop-C-domain.xml", "Laptop-C-prof1.xml", "Laptop-C-prof2.xml", 27, 4, (1.000, 0.815)),
    ("ItexvsCypress", "ItexvsCypress_domain.xml", "ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml", 180, 18, (0.721, 0.670)),
    ("EnglandZimbabwe", "EnglandZimbabwe_domain.xml", "England.xml", "Zimbabwe.xml", 576, 25, (0.911, 0.733)),
    ("FiftyFiftyA", "FiftyFifty-A-domain.xml", "FiftyFifty-A-prof1.xml", "FiftyFifty-A-prof2.xml", 11, 11, (0.5, 0.5)),
    ("IntegerDomain", "IntegerDomain.xml", "IntegerDomain-prof1.xml", "IntegerDomain-prof2.xml", 121, 1, (1.0, 1.0)),
]


def sale() -> neg.Scenario:
    space = neg.OutcomeSpace({"price": (100, 200), "support": ["basic", "standard", "premium"]})
    seller = neg.LinearAdditiveUtilityFunction(
        {"price": (0.01, 0.0), "support": {"basic": 1.0, "standard": 0.6, "premium": 0.0}},
        {"price": 0.7, "support": 0.3}, space, reserved_value=0.2)
    buyer = neg.LinearAdditiveUtilityFunction(
        {"price": (-0.01, 1.0), "support": [0.0, 0.5, 1.0]}, [0.6, 0.4], space, reserved_value=0.1)
    return neg.Scenario(seller, buyer, "sale").set_price_issue("price")


def test_the_price_issue_is_named():
    sc = sale()
    assert sc.price_issue == "price"
    space = neg.OutcomeSpace({"support": ["basic", "premium"], "price": (1, 3)})
    u = neg.LinearAdditiveUtilityFunction({"support": [1.0, 0.0], "price": (0.5, 0.0)}, [0.5, 0.5], space)
    plain = neg.Scenario(u, u, "no price")
    assert plain.price_issue is None
    assert plain.set_price_issue("price").price_issue == "price"  # the second issue, by name


def test_outcome_space_counts_enumerates_samples():
    space = neg.OutcomeSpace({"colour": ["red", "green"], "seats": (1, 3), "discount": (0.0, 0.2)})
    assert math.isinf(space.cardinality)
    assert not space.is_discrete
    d = neg.OutcomeSpace({"colour": ["red", "green"], "seats": (1, 3)})
    assert d.cardinality == 6 and len(d) == 6
    frame = d.enumerate()
    assert list(frame["colour"]) == ["red"] * 3 + ["green"] * 3
    assert list(frame["seats"]) == [1, 2, 3] * 2
    a, b = space.sample(50, seed=3), space.sample(50, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a["discount"].between(0.0, 0.2).all()
    big = neg.OutcomeSpace({f"i{k}": 10 for k in range(30)})
    assert big.cardinality == pytest.approx(1e30)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(0, 10**6))
@settings(max_examples=40, deadline=None)
def test_outcome_ids_round_trip(sizes, seed):
    space = neg.OutcomeSpace({f"i{k}": n for k, n in enumerate(sizes)})
    for oid in space.sample_ids(10, seed):
        assert space.outcome_id(space.outcome(int(oid))) == oid


def test_linear_additive_vectorised_equals_calls():
    sc = sale()
    u1, _ = sc.ufuns
    values = u1.evaluate_all()
    assert len(values) == 303
    for oid in [0, 1, 2, 150, 302]:
        assert values[oid] == pytest.approx(u1(oid))
    assert u1({"price": 150, "support": "standard"}) == pytest.approx(0.7 * 0.5 + 0.3 * 0.6)
    with pytest.raises(goodwill.InvalidInputError):
        neg.LinearAdditiveUtilityFunction({"nope": [1]}, None, sc.outcome_space)


def test_custom_utility_from_callable():
    space = neg.OutcomeSpace({"x": (0, 9), "y": ["a", "b"]})
    u1 = neg.custom_utility(space, lambda o: o["x"] / 9 * (1.0 if o["y"] == "a" else 0.5))
    u2 = neg.custom_utility(space, lambda o: 1 - o["x"] / 9)
    sc = neg.Scenario.from_arrays(space, u1, u2, name="custom")
    front = sc.pareto_frontier()
    # y = "a" dominates, except at x = 0 where both give (0, 1): ties are kept
    assert set(front["outcome"]) == {2 * x for x in range(10)} | {1}


def test_genius_reference_table(shared_data):
    for folder, dom, p1, p2, n, pairs, (n1, n2) in GENIUS:
        d = shared_data / "genius" / folder
        sc = neg.load_genius_scenario(d / dom, d / p1, d / p2)
        assert len(sc) == n, folder
        front = sc.pareto_frontier()
        assert len(front.drop_duplicates(["u1", "u2"])) == pairs, folder
        _, a, b = sc.nash_point
        assert abs(a - n1) <= 1e-3 and abs(b - n2) <= 1e-3, folder


def test_hostile_genius_files(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><u>&b;</u>')
    with pytest.raises(goodwill.InvalidInputError, match="DOCTYPE"):
        neg.load_genius_scenario(bomb, bomb, bomb)
    xxe = tmp_path / "xxe.xml"
    xxe.write_text('<!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><u>&x;</u>')
    with pytest.raises(goodwill.InvalidInputError, match="DOCTYPE"):
        neg.load_genius_scenario(xxe, xxe, xxe)
    deep = tmp_path / "deep.xml"
    deep.write_text("<a>" * 10000)
    with pytest.raises(goodwill.InvalidInputError, match="nested deeper"):
        neg.load_genius_scenario(deep, deep, deep)
    cut = tmp_path / "cut.xml"
    cut.write_text("<utility_space><objective><issue name='x'")
    with pytest.raises(goodwill.InvalidInputError, match="truncated"):
        neg.load_genius_scenario(cut, cut, cut)


def brute_frontier(a, b):
    out = set()
    for i in range(len(a)):
        if not any(a[j] >= a[i] and b[j] >= b[i] and (a[j] > a[i] or b[j] > b[i]) for j in range(len(a))):
            out.add(i)
    return out


@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=60))
@settings(max_examples=80, deadline=None)
def test_frontier_equals_brute_force(points):
    a = np.array([p[0] / 8 for p in points])
    b = np.array([p[1] / 8 for p in points])
    front = neg.pareto_frontier(a, b)
    assert set(front["outcome"]) == brute_frontier(a, b)
    best = max(((x - 0.25) * (y - 0.25) for x, y in zip(a, b) if x >= 0.25 and y >= 0.25), default=None)
    o, x, y = neg.nash_point(a, b, 0.25, 0.25)
    if best is None:
        assert o is None
    else:
        assert (x - 0.25) * (y - 0.25) == pytest.approx(best)
        # Kalai-Smorodinsky: the largest smaller relative gain, by brute force
        rational = [(p, q) for p, q in zip(a, b) if p >= 0.25 and q >= 0.25]
        b1, b2 = max(p for p, _ in rational), max(q for _, q in rational)

        def gain(p, q):
            return min((p - 0.25) / (b1 - 0.25) if b1 > 0.25 else 1.0, (q - 0.25) / (b2 - 0.25) if b2 > 0.25 else 1.0)

        _, kx, ky = neg.kalai_smorodinsky_point(a, b, 0.25, 0.25)
        assert gain(kx, ky) == pytest.approx(max(gain(p, q) for p, q in rational))
    _, wx, wy = neg.max_welfare_point(a, b)
    assert wx + wy == pytest.approx(max(a + b))


def test_session_trace_and_ledger():
    sc = sale()
    r = neg.run_session(sc, neg.boulware(), neg.conceder(), n_steps=50)
    assert r.status == "agreement"
    assert r.utilities[0] >= sc.reserved_values[0] and r.utilities[1] >= sc.reserved_values[1]
    assert list(r.trace["proposer"][:4]) == [0, 1, 0, 1]
    u = sc.utilities()
    np.testing.assert_allclose(r.trace["u1"], u["u1"].to_numpy()[r.trace["offer"]])
    assert r.agreement["support"] in ("basic", "standard", "premium")
    assert r.pareto_distance >= 0.0
    ledger = goodwill.Ledger()
    n = r.to_ledger(ledger, "ACME", start_time=10.0)
    frame = ledger.to_pandas()
    assert len(frame) == n
    assert frame["kind"].iloc[0] == "proposal"
    assert frame["kind"].iloc[-1] == "deal_won"
    assert frame["amount"].iloc[-1] == r.agreement["price"]


def test_seed_behaviours_move_the_ledger():
    sc = sale()
    r = neg.run_session(sc, neg.price_matcher(floor_price=140), neg.win_lose_buyer(150, 0.45), n_steps=20)
    assert r.rival_price == 150
    assert (r.trace["tag"] == "price_match").any()
    ledger = goodwill.Ledger()
    r.to_ledger(ledger, 42)
    kinds = set(ledger.to_pandas()["kind"])
    assert {"proposal", "competitor_quote", "price_match"} <= kinds


def test_rubinstein_from_python():
    space = neg.OutcomeSpace({"share": (0, 10000)})
    x = np.arange(10001) / 10000
    sc = neg.Scenario.from_arrays(space, x, 1 - x, discount_factors=(0.9, 0.8))
    r = neg.run_session(sc, neg.subgame_perfect(), neg.subgame_perfect(), n_steps=100, clock="offers",
                        complete_information=True)
    assert r.utilities[0] == pytest.approx((1 - 0.8) / (1 - 0.72), abs=1e-3)


class Stubborn(neg.Negotiator):
    """A Python strategy: offers its best outcome, accepts anything above 0.6."""

    name = "stubborn"

    def start(self, setup):
        super().start(setup)
        self.best = int(np.argmax(self.utility))

    def propose(self, state):
        return self.best

    def respond(self, state, offer):
        return "accept" if self.utility[offer] >= max(0.6, self.reservation) else "reject"


def test_python_strategy_and_batch():
    sc = sale()
    r = neg.run_session(sc, Stubborn(), neg.conceder(), n_steps=30)
    assert r.status == "agreement"
    assert r.utilities[0] >= 0.6
    strategies = {"boulware": neg.boulware(), "conceder": neg.conceder(), "tft": neg.tit_for_tat(),
                  "random": neg.random_strategy(0.3)}
    one = neg.run_batch({"sale": sc}, strategies, seeds=[1, 2], n_steps=40, threads=1)
    two = neg.run_batch({"sale": sc}, strategies, seeds=[1, 2], n_steps=40, threads=2)
    pd.testing.assert_frame_equal(one, two)
    assert len(one) == 4 * 4 * 2
    assert list(one.columns[:5]) == ["scenario", "first", "second", "seed", "status"]
    agreed = one[one["status"] == "agreement"]
    assert (agreed["u1"] >= 0.2).all() and (agreed["u2"] >= 0.1).all()
    duel = neg.run_batch({"sale": sc}, strategies, seeds=[1, 2], n_steps=40, pairs=[("boulware", "tft"), (3, 0)])
    assert list(zip(duel["first"], duel["second"])) == [("boulware", "tft")] * 2 + [("random", "boulware")] * 2
    with pytest.raises(goodwill.InvalidInputError, match="no strategy named"):
        neg.run_batch([sc], strategies, pairs=[("nobody", "tft")])
    mixed = neg.run_batch([sc], [neg.boulware(), Stubborn()], seeds=[0], n_steps=20)
    assert list(mixed["first"].cat.categories) == ["boulware", "stubborn"]


@given(st.integers(0, 2**32), st.floats(0.0, 0.6), st.floats(0.0, 0.6))
@settings(max_examples=25, deadline=None)
def test_no_agreement_below_reservation(seed, r1, r2):
    rng = np.random.default_rng(seed)
    space = neg.OutcomeSpace({"a": 4, "b": 3, "c": 5})
    sc = neg.Scenario.from_arrays(space, rng.random(60), rng.random(60), reserved_values=(r1, r2))
    strategies = [neg.boulware(), neg.conceder(), neg.linear(acceptance="combi", T=0.8), neg.tit_for_tat(),
                  neg.random_strategy(0.5), neg.hardliner(acceptance="time", T=0.5)]
    frame = neg.run_batch([sc], strategies, seeds=[seed % 1000], n_steps=15)
    agreed = frame[frame["status"] == "agreement"]
    assert (agreed["u1"] >= r1).all() and (agreed["u2"] >= r2).all()
    again = neg.run_batch([sc], strategies, seeds=[seed % 1000], n_steps=15)
    pd.testing.assert_frame_equal(frame, again)


def test_plot_session():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    sc = sale()
    r = neg.run_session(sc, neg.boulware(), neg.conceder(), n_steps=30)
    ax = r.plot()
    assert ax.get_xlabel() == "u1"
    assert len(ax.lines) >= 3


class Broken(neg.Negotiator):
    def propose(self, state):
        raise RuntimeError("strategy bug")

    def respond(self, state, offer):
        return "maybe"


class OutOfRange(neg.Negotiator):
    def propose(self, state):
        return 10**9

    def respond(self, state, offer):
        return "reject"


def test_python_strategy_errors_reach_the_caller():
    sc = sale()
    with pytest.raises(RuntimeError, match="strategy bug"):
        neg.run_session(sc, Broken(), neg.conceder())
    with pytest.raises(goodwill.InvalidInputError, match="expected accept, reject or walk_away"):
        neg.run_session(sc, neg.boulware(), Broken())
    with pytest.raises(goodwill.InvalidInputError, match="outside the space"):
        neg.run_session(sc, OutOfRange(), neg.conceder())
    with pytest.raises(RuntimeError, match="strategy bug"):
        neg.run_batch([sc], [Broken(), neg.boulware()], seeds=[0, 1], threads=2)
    with pytest.raises(goodwill.InvalidInputError):
        neg.run_session(sc, neg.boulware(), neg.conceder(), clock="weekly")
    with pytest.raises(goodwill.InvalidInputError):
        neg.run_session(sc, neg.boulware(), object())


def test_negotiations_move_trust_and_state():
    """A shopped, lost negotiation and a logrolled agreement, replayed through
    the relationship-selling model: the outcomes move trust and state apart."""
    sc = sale()
    ledger = goodwill.Ledger()
    shop = neg.run_session(sc, neg.price_matcher(floor_price=140), neg.win_lose_buyer(120, 0.9), n_steps=20)
    deal = neg.run_session(sc, neg.alternatives_offerer(0.15), neg.conceder(), n_steps=20)
    assert shop.status == "deadline" and deal.status == "agreement"
    shop.to_ledger(ledger, "shopper")
    deal.to_ledger(ledger, "partner")
    snap = goodwill.relationship_selling().replay(ledger).snapshot()
    assert snap.loc["shopper", "competitor_quotes"] == 1 and snap.loc["shopper", "deals_lost"] == 1
    assert snap.loc["partner", "deals_won"] == 1
    assert snap.loc["partner", "trust"] > snap.loc["shopper", "trust"]
    assert snap.loc["shopper", "price_sensitivity"] > snap.loc["partner", "price_sensitivity"]
    assert snap.loc["partner", "state"] != snap.loc["shopper", "state"]


def test_continuous_issue_negotiates_after_discretizing():
    space = neg.OutcomeSpace({"price": (100.0, 200.0), "term": ["12m", "24m"]})
    seller = neg.LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "term": [0.3, 1.0]}, [0.8, 0.2], space)
    buyer = neg.LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "term": [1.0, 0.0]}, [0.8, 0.2], space)
    assert seller({"price": 150.0, "term": "24m"}) == pytest.approx(0.8 * 0.5 + 0.2)
    s5, b5 = seller.discretized(101), buyer.discretized(101)
    assert len(s5.outcome_space) == 202
    sc = neg.Scenario(s5, b5, "continuous")
    r = neg.run_session(sc, neg.boulware(), neg.conceder(), n_steps=50)
    assert r.status == "agreement"
    assert 100.0 <= float(r.agreement["price"]) <= 200.0


def test_authority_limited_and_alternatives_from_python():
    sc = sale()
    r = neg.run_session(sc, neg.authority_limited(0.7, delay_rounds=3, credibility_cost=0.05), neg.boulware(0.3),
                        n_steps=40)
    mine = r.trace[r.trace["proposer"] == 0]
    assert (mine["tag"] == "escalation").sum() == 3
    before = mine.iloc[: int(np.argmax((mine["tag"] == "escalation").to_numpy()))]
    assert (before["u1"] >= 0.7 - 1e-12).all()
    if r.status == "agreement" and r.utilities[0] < 0.7:
        assert r.discounted_utilities[0] == pytest.approx(r.utilities[0] - 0.05)


# ---- issue 18 item 1: Genius 10.4 formats and refusals (tests/data/genius_cases;
# expected values worked out from the Genius 10.4 sources named in its README)


@pytest.fixture(scope="module")
def cases(repo_root):
    return repo_root / "tests" / "data" / "genius_cases"


def test_genius_cap_at_one(cases):
    _, u, _ = neg.load_genius_utilities(cases / "xy_domain.xml", cases / "cap_profile.xml", cases / "cap_profile.xml")
    assert u.cap == 1.0
    # weights 0.6 + 0.5: (a, a) sums to 1.1 and Genius returns 1
    assert list(u.evaluate_all()) == pytest.approx([1.0, 0.85, 0.8, 0.55], abs=1e-12)
    assert u({"x": "a", "y": "a"}) == 1.0
    sc = neg.load_genius_scenario(cases / "xy_domain.xml", cases / "cap_profile.xml", cases / "cap_profile.xml")
    assert sc.nash_point[1] == 1.0


def test_genius_formats_as_genius_reads_them(cases):
    _, fit, _ = neg.load_genius_utilities(cases / "fitness_domain.xml", cases / "fitness_profile.xml",
                                          cases / "fitness_profile.xml")
    assert fit.weights == [0.7, 0.3]  # <weight index="0"> on the objective is ignored
    assert fit({"Day": "Monday", "Time": "Morning"}) == pytest.approx(0.7 / 3 + 0.3)
    _, tr, _ = neg.load_genius_utilities(cases / "travel_domain.xml", cases / "travel_profile.xml",
                                         cases / "travel_profile.xml")
    # Location -2, 4, 0 -> -0.5, 1, 0; Hotel's largest evaluation is 0 -> all 0
    assert tr({"Location": "Amsterdam", "Duration": "1 week", "Hotel": "Hostel"}) == pytest.approx(-0.2)
    assert tr({"Location": "Barcelona", "Duration": "2 weeks", "Hotel": "Camping"}) == pytest.approx(0.8)
    _, fl, _ = neg.load_genius_utilities(cases / "flat_domain.xml", cases / "flat_profile.xml", cases / "flat_profile.xml")
    assert fl.reserved_value == 0.25
    assert fl({"colour": "blue", "seats": 2}) == pytest.approx(0.85)
    space, re_, _ = neg.load_genius_utilities(cases / "real_domain.xml", cases / "real_profile.xml",
                                              cases / "real_profile.xml")
    assert not space.is_discrete
    # parameter1 * x + parameter0 = 0.1 x - 0.5 on the raw value, clamped
    assert re_({"price": 10.0, "colour": "red"}) == pytest.approx(0.375)
    assert re_({"price": 12.0, "colour": "blue"}) == pytest.approx(0.85)
    assert re_({"price": 18.0, "colour": "blue"}) == pytest.approx(1.0)


def test_genius_encodings_and_refusals(cases):
    import goodwill._core.negotiation as core

    latin = core.load_genius_domain(str(cases / "latin1_declared_domain.xml"))
    assert latin.issues[0].labels[0] == "Café"
    path = str(cases / "latin1_undeclared_domain.xml")
    with pytest.raises(goodwill.InvalidInputError, match=rf"{path}:5: byte 0xE9 .* not valid UTF-8"):
        core.load_genius_domain(path)
    path = str(cases / "nul_domain.xml")
    with pytest.raises(goodwill.InvalidInputError, match=rf"{path}:5: NUL byte"):
        core.load_genius_domain(path)
    path = str(cases / "duplicate_value_domain.xml")
    with pytest.raises(goodwill.InvalidInputError,
                       match=rf"^field 'genius': {path}:7: discrete issue 'support' lists the value 'basic' twice"):
        core.load_genius_domain(path)
    xy = cases / "xy_domain.xml"
    path = str(cases / "duplicate_weight_profile.xml")
    with pytest.raises(goodwill.InvalidInputError, match=rf"^field 'genius': {path}:13: two <weight index=\"1\">"):
        neg.load_genius_scenario(xy, path, path)
    # non-linear profiles load (test_negotiation_nonlinear.py); this one has no
    # <utility maxutility> and is refused as malformed, with file and line
    path = str(cases / "nonlinear_profile.xml")
    with pytest.raises(goodwill.InvalidInputError, match=rf"{path}:1: non-linear profile has no <utility maxutility"):
        neg.load_genius_scenario(xy, path, path)


def test_genius_huge_space_refused_up_front_but_sampled(cases):
    dom, prof = cases / "huge_domain.xml", cases / "huge_profile.xml"
    with pytest.raises(goodwill.InvalidInputError, match=r"10000000000 \(1e\+10\) outcomes"):
        neg.load_genius_scenario(dom, prof, prof)
    space, u, _ = neg.load_genius_utilities(dom, prof, prof)
    assert space.cardinality == 1e10
    sample = space.sample(20, seed=3)
    for row in sample.to_dict("records"):
        want = sum(0.1 * int(str(v)[1:]) / 9 for v in row.values())
        assert u(row) == pytest.approx(want, abs=1e-12)


# ---- issue 18 item 6: tournaments


def test_tournament_cartesian_ranking_and_determinism(shared_data):
    d = shared_data / "genius" / "Laptop"
    sc = neg.load_genius_scenario(d / "Laptop-C-domain.xml", d / "Laptop-C-prof1.xml", d / "Laptop-C-prof2.xml")
    strategies = {"boulware": neg.time_dependent(0.2), "conceder": neg.time_dependent(5.0),
                  "linear": neg.time_dependent(1.0)}
    one = neg.tournament(strategies, {"Laptop": sc}, seeds=4, n_steps=50, threads=1)
    two = neg.tournament(strategies, {"Laptop": sc}, seeds=4, n_steps=50, threads=2)
    assert len(one.sessions) == 3 * 3 * 4
    pd.testing.assert_frame_equal(one.sessions, two.sessions)
    pd.testing.assert_frame_equal(one.ranking, two.ranking)
    pd.testing.assert_frame_equal(one.pairwise, two.pairwise)
    # each strategy in both roles
    counts = one.sessions.groupby("first", observed=True).size()
    assert (counts == 12).all()
    r = one.ranking
    assert list(r["rank"]) == [1, 2, 3]
    assert (r["lower"] <= r["mean"]).all() and (r["mean"] <= r["upper"]).all()
    assert r["mean"].is_monotonic_decreasing
    assert set(one.pairwise.columns) >= {"a", "b", "t", "df", "p", "q", "significant"}
    assert len(one.pairwise) == 3
    assert "Benjamini-Hochberg" in one.support["multiple_testing"]
    assert one.ranking.attrs["support"]["sessions"] == 36
    # advantage = (u - r) / (u_max - r), NegMAS's score: recompute one side
    u1max = float(np.max(sc.ufuns[0].evaluate_all()))
    s = one.sessions
    ok = s["status"] == "agreement"
    assert np.allclose(s.loc[ok, "score1"], (s.loc[ok, "u1"] - 0.0) / (u1max - 0.0))
    no_self = neg.tournament(strategies, [sc], seeds=[5, 6], n_steps=50, self_play=False)
    assert len(no_self.sessions) == 6 * 2
    with pytest.raises(goodwill.InvalidInputError, match="fdr"):
        neg.tournament(strategies, [sc], seeds=1, fdr=2.0)
    with pytest.raises(goodwill.InvalidInputError, match="score"):
        neg.tournament(strategies, [sc], seeds=1, score="nope")
    with pytest.raises(goodwill.InvalidInputError, match="clock"):
        neg.tournament(strategies, [sc], seeds=1, clock="wall")
    with pytest.raises(goodwill.InvalidInputError, match="confidence"):
        neg.tournament(strategies, [sc], seeds=1, confidence=float("nan"))


def test_tournament_options_are_the_cpp_struct() -> None:
    """The defaults Python shows are the C++ ones, and the vocabularies come from _core."""
    o = goodwill._core.negotiation.TournamentOptions()
    assert (o.rounds, o.clock, o.score, o.self_play, o.equal_variance) == (100, "relative", "advantage", True, False)
    assert (o.confidence, o.bootstrap, o.fdr, o.threads) == (0.95, 0, 0.05, 0)
    assert neg.TOURNAMENT_SCORES == ["advantage", "utility", "welfare"]
    assert neg.CLOCKS == ["relative", "offers"]
    o.score = "welfare"
    assert o.score == "welfare"
    with pytest.raises(goodwill.InvalidInputError, match="score.*advantage, utility, welfare.*'nope'"):
        o.score = "nope"
    a = goodwill._core.negotiation.ApproximateBargainingOptions()
    assert (a.samples, a.climbs, a.passes, a.values_per_issue, a.seed, a.exact_limit) == (20000, 64, 4, 64, 0, 10**6)


# ---- issue 18 item 3: private deadlines and reservations


def test_private_deadlines_and_reservations():
    space = neg.OutcomeSpace({"share": (0, 100)})
    u1 = neg.LinearAdditiveUtilityFunction({"share": (0.01, 0.0)}, None, space)
    u2 = neg.LinearAdditiveUtilityFunction({"share": (-0.01, 1.0)}, None, space)
    pie = neg.Scenario(u1, u2, "pie")
    same = neg.run_session(pie, neg.time_dependent(0.2), neg.time_dependent(0.2), n_steps=100)
    pressed = neg.run_session(pie, neg.time_dependent(0.2), neg.time_dependent(0.2), n_steps=100, deadlines=(None, 20))
    assert same.status == pressed.status == "agreement"
    # the seller (party 1) must close within 20 of 100 rounds and does not say so
    assert pressed.utilities[0] > same.utilities[0] + 0.1
    assert pressed.own_rounds == (100, 20)
    hard = neg.run_session(pie, neg.hardliner(), neg.hardliner(), n_steps=40, relative_deadlines=(0.25, None),
                           reserved_values=(0.3, 0.2))
    assert hard.status == "deadline" and hard.deadline_party == 0 and hard.rounds == 10
    assert hard.utilities == (0.3, 0.2)
    st = {"b": neg.time_dependent(0.2), "c": neg.time_dependent(5.0)}
    one = neg.run_batch([pie], st, range(6), n_steps=50, threads=1, deadlines=(30, None), reserved_values=(0.1, 0.35))
    two = neg.run_batch([pie], st, range(6), n_steps=50, threads=2, deadlines=(30, None), reserved_values=(0.1, 0.35))
    pd.testing.assert_frame_equal(one, two)
    agreed = one[one["status"] == "agreement"]
    assert (agreed["u1"] >= 0.1 - 1e-12).all() and (agreed["u2"] >= 0.35 - 1e-12).all()
    with pytest.raises(goodwill.InvalidInputError, match="own_time"):
        neg.run_session(pie, neg.hardliner(), neg.hardliner(), relative_deadlines=(0.0, None))
