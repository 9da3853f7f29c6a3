from __future__ import annotations

import json
import pickle

import goodwill as gw
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

KINDS = list(gw.EVENT_KINDS)

TINY = {
    "states": ["a", "b", "c"],
    "initial": "a",
    "transitions": [
        {"from": "a", "on": "meeting", "to": "b"},
        {"from": "b", "on": "deal_won", "to": "c", "guard": "deals_won >= 2"},
        {"from": "*", "on": "churn", "to": "a"},
    ],
}


def tiny_ledger() -> gw.Ledger:
    return gw.Ledger(
        pd.DataFrame(
            {
                "customer": ["bob", "bob", "ann", "bob", "ann", "cy"],
                "time": [5.0, 1.0, 2.0, 9.0, 3.0, 4.0],
                "kind": ["deal_won", "meeting", "meeting", "deal_won", "churn", "proposal"],
            }
        )
    )


def test_tiny_model_snapshot_log_state_at_and_counts():
    model = gw.RelationshipModel.from_dict(TINY)
    r = model.replay(tiny_ledger())
    snap = r.snapshot()
    assert list(snap.index) == ["bob", "ann", "cy"]
    assert list(snap["state"].astype(str)) == ["c", "a", "a"]
    assert list(snap["state"].cat.categories) == ["a", "b", "c"]
    assert snap.loc["bob", "deals_won"] == 2
    assert snap.loc["bob", "last_event_time"] == 9.0
    log = r.transitions()
    assert list(log.columns[:5]) == ["customer", "time", "from", "to", "event"]
    assert log[["customer", "time"]].values.tolist() == [["bob", 1.0], ["bob", 9.0], ["ann", 2.0], ["ann", 3.0]]
    assert list(log["to"].astype(str)) == ["b", "c", "b", "a"]
    assert list(log["event"].astype(str)) == ["meeting", "deal_won", "meeting", "churn"]
    assert list(r.state_at(2.0).astype(str)) == ["b", "b", "a"]
    assert list(r.state_at(0.0).astype(str)) == ["a", "a", "a"]
    counts = r.transition_counts()
    assert counts.loc["a", "b"] == 2 and counts.loc["b", "a"] == 1 and counts.loc["b", "c"] == 1
    assert counts.values.sum() == 4
    assert r.transition_counts(start=2.5, end=9.0).values.sum() == 1  # the churn at t=3
    # until ignores later events
    cut = model.replay(tiny_ledger(), until=4.0)
    assert list(cut.snapshot()["state"].astype(str)) == ["b", "a", "a"]


def test_trust_hand_computed():
    # half-life 10: alpha 2 -> 1.5 -> (3 at t=10 for beta) -> alpha 2.25, beta 2: trust 9/17
    params = gw.TrustParams(half_life_days=10.0, positive={"meeting": 1.0}, negative={"price_match": 2.0})
    led = gw.Ledger({"customer": [7, 7, 7], "time": [0.0, 10.0, 20.0], "kind": ["meeting", "price_match", "meeting"]})
    snap = gw.RelationshipModel.from_dict(TINY).replay(led, trust=params).snapshot()
    assert snap.loc[7, "trust"] == pytest.approx(9 / 17, rel=1e-14)
    assert snap.loc[7, "alpha"] == pytest.approx(2.25)
    assert snap.loc[7, "beta"] == pytest.approx(2.0)


def test_trust_params_defaults_and_validation():
    p = gw.TrustParams()
    assert set(p.positive) == set(gw.EVIDENCE_CHANNELS)
    # trust from the customer's responses only: no effort channel has a weight
    table = gw.event_kinds()
    effort_kinds = set(table.index[table["role"] == "effort"])
    channels = gw.evidence_channels()
    for channel, row in channels.iterrows():
        w = p.positive[channel] + p.negative[channel]
        assert (w == 0) == (row["kind"] not in set(table.index[table["role"] == "response"])), channel
        if row["kind"] in effort_kinds:
            assert w == 0
    assert p.negative["lost_on_price"] > p.negative["lost_other"] > 0
    assert p.positive["referral"] > p.positive["won_at_list"] > p.positive["won_after_concession"] > 0
    with pytest.raises(gw.InvalidInputError, match=r"half_life_days"):
        gw.TrustParams(half_life_days=0).validate()
    with pytest.raises(gw.InvalidInputError, match=r"positive\[price_match\]"):
        gw.TrustParams(positive={"price_match": -1}).validate()
    with pytest.raises(gw.InvalidInputError, match=r"negative\[nonsense\]"):
        gw.TrustParams(negative={"nonsense": 1}).validate()


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"states": ["a", "b"], "initial": "a", "transitions": [{"from": "a", "on": "meeting", "to": "z"}]},
         "unknown state 'z'"),
        ({"states": ["a", "b", "c"], "initial": "a", "transitions": [{"from": "a", "on": "meeting", "to": "b"}]},
         "state 'c' is unreachable"),
        ({"states": ["a", "b", "c"], "initial": "a", "transitions": [
            {"from": "a", "on": "meeting", "to": "b", "guard": "trust < 0.5"},
            {"from": "a", "on": "meeting", "to": "c", "guard": [["trust", ">", 0.4]]}]},
         "ambiguous: transition 0"),
        ({"states": ["a", "b"], "initial": "a", "transitions": [
            {"from": "a", "on": "meeting", "to": "b", "guard": "trsut < 0.5"}]},
         "unknown feature 'trsut'"),
        ({"states": ["a", "b"], "initial": "a", "transitions": [{"from": "a", "on": "meet", "to": "b"}]},
         "unknown event kind 'meet'"),
    ],
)
def test_invalid_models_say_why(spec, message):
    with pytest.raises(gw.InvalidStateError, match=message):
        gw.RelationshipModel.from_dict(spec)


def test_default_model_round_trips_and_pickles(tmp_path):
    m = gw.relationship_selling()
    assert m.states == ["prospect", "qualified", "negotiating", "transactional", "developing", "partner",
                        "at_risk", "lost", "churned", "fired", "won_back"]
    assert gw.RelationshipModel.from_dict(m.to_dict()) == m
    path = tmp_path / "model.json"
    m.to_json(path)
    assert gw.RelationshipModel.from_json(path) == m
    assert gw.RelationshipModel.from_json(json.dumps(m.to_dict())) == m
    assert pickle.loads(pickle.dumps(m)) == m


def test_deep_model_json_is_refused_without_crashing(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(gw.InvalidStateError, match="nested more than 64"):
        gw.RelationshipModel.from_json('{"states": ' + deep + "}")
    spec: list = []
    for _ in range(100_000):
        spec = [spec]
    with pytest.raises(gw.InvalidStateError, match="nested"):
        gw.RelationshipModel.from_dict({"states": spec})
    # to_json(path) writes atomically: the old file stays on failure, no temporary left
    m = gw.relationship_selling()
    path = tmp_path / "model.json"
    m.to_json(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    with pytest.raises(gw.InvalidInputError, match="is a directory"):
        m.to_json(tmp_path)


def test_replay_is_not_picklable():
    r = gw.RelationshipModel.from_dict(TINY).replay(tiny_ledger())
    with pytest.raises(TypeError):
        pickle.dumps(r)


def test_default_model_story():
    # a trust builder ends developing/partner; a price shopper ends transactional/at_risk
    builder = ["meeting", "discovery", "proposal", "promise_kept", "deal_won", "referral_given", "purchase"]
    shopper = ["meeting", "proposal", "competitor_quote", "price_match", "price_match", "deal_won",
               "competitor_quote", "price_match"]
    frame = pd.DataFrame(
        {
            "customer": ["builder"] * len(builder) + ["shopper"] * len(shopper),
            "time": list(np.arange(len(builder)) * 7.0) + list(np.arange(len(shopper)) * 7.0),
            "kind": builder + shopper,
        }
    )
    snap = gw.relationship_selling().replay(gw.Ledger(frame)).snapshot()
    assert snap.loc["builder", "state"] == "partner"
    assert snap.loc["shopper", "state"] in ("transactional", "at_risk")
    assert snap.loc["builder", "trust"] > snap.loc["shopper", "trust"]
    assert snap.loc["shopper", "price_sensitivity"] > snap.loc["builder", "price_sensitivity"]


events = st.lists(
    st.tuples(st.integers(0, 5), st.floats(0, 1000, allow_nan=False), st.sampled_from(KINDS)),
    min_size=0,
    max_size=80,
)
weights = st.dictionaries(st.sampled_from(list(gw.EVIDENCE_CHANNELS)), st.floats(0, 1e6, allow_nan=False), max_size=28)


def ledger_of(rows) -> gw.Ledger:
    led = gw.Ledger()
    if rows:
        c, t, k = zip(*rows)
        led.append(list(c), list(t), list(k))
    return led


@settings(max_examples=60, deadline=None)
@given(events, weights, weights, st.floats(0.01, 1e4))
def test_property_features_in_unit_interval_and_states_in_model(rows, pos, neg, half_life):
    params = gw.TrustParams(half_life_days=half_life, positive=pos, negative=neg)
    model = gw.relationship_selling()
    snap = model.replay(ledger_of(rows), trust=params).snapshot()
    for col in ("trust", "engagement", "loyalty", "price_sensitivity"):
        assert ((snap[col] >= 0) & (snap[col] <= 1)).all(), col
    assert set(snap["state"].astype(str)) <= set(model.states)
    assert not snap["state"].isna().any()


@settings(max_examples=40, deadline=None)
@given(events, st.randoms(use_true_random=False))
def test_property_deterministic_thread_invariant_and_order_free(rows, rnd):
    model = gw.relationship_selling()
    a = model.replay(ledger_of(rows))
    b = model.replay(ledger_of(rows), threads=2)
    # shuffle arrival order; keep the relative order of same-customer same-time events
    # (ties are broken by arrival order, so those must stay put)
    keyed = sorted(range(len(rows)), key=lambda i: (rows[i][0], rows[i][1], i))
    groups: dict = {}
    for i in keyed:
        groups.setdefault((rows[i][0], rows[i][1]), []).append(i)
    blocks = list(groups.values())
    rnd.shuffle(blocks)
    # re-map customers so dense ids / keys match the original first-appearance order
    shuffled = [rows[i] for blk in blocks for i in blk]
    c = model.replay(ledger_of(shuffled))
    pd.testing.assert_frame_equal(a.snapshot(), b.snapshot())
    pd.testing.assert_frame_equal(a.transitions(), b.transitions())
    sa = a.snapshot().sort_index().drop(columns=[])
    sc = c.snapshot().sort_index()
    pd.testing.assert_frame_equal(sa, sc)
    ta = a.transitions().drop(columns="row").sort_values(["customer", "time"], kind="stable").reset_index(drop=True)
    tc = c.transitions().drop(columns="row").sort_values(["customer", "time"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(ta, tc)


def test_thread_invariance_large():
    rng = np.random.default_rng(3)
    n = 200_000
    led = gw.Ledger({"customer": rng.integers(0, 4000, n), "time": np.sort(rng.uniform(0, 2000, n)),
                     "kind": rng.integers(0, len(KINDS), n)})
    m = gw.relationship_selling()
    one, two = m.replay(led, threads=1), m.replay(led, threads=2)
    pd.testing.assert_frame_equal(one.snapshot(), two.snapshot())
    pd.testing.assert_frame_equal(one.transitions(), two.transitions())
    pd.testing.assert_frame_equal(one.transition_counts(0, 1000), two.transition_counts(0, 1000))
    assert len(one.transitions()) > 1000


def test_bad_arguments():
    m = gw.relationship_selling()
    with pytest.raises(gw.InvalidInputError, match="threads"):
        m.replay(tiny_ledger(), threads=-1)
    with pytest.raises(gw.InvalidInputError, match="until"):
        m.replay(tiny_ledger(), until=float("nan"))
    with pytest.raises(gw.InvalidInputError, match="ledger"):
        m.replay(pd.DataFrame())


# ---- dormancy: losing a deal is not losing the customer ---------------------------


def _story(rows):
    return gw.Ledger(pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"]))


def test_parallel_opportunities_one_lost_one_won_never_lost():
    led = _story([
        ("acct", 0, "meeting", 1, 0), ("acct", 0, "proposal", 1000, 0), ("acct", 0, "proposal", 1000, 0),
        ("acct", 30, "deal_lost", 1000, 1), ("acct", 35, "deal_won", 1000, 3000),
        ("acct", 100, "proposal", 1000, 0), ("acct", 200, "deal_lost", 1000, 1),
        ("end", 300, "meeting", 1, 0),
    ])
    rep = gw.relationship_selling().replay(led)
    assert "lost" not in set(rep.transitions()["to"].astype(str))
    snap = rep.snapshot()
    assert snap.loc["acct", "state"] in ("developing", "transactional")
    # the last loss's clock still runs at the end of the data (300)
    assert snap.loc["acct", "dormancy_due"] == 380.0
    assert np.isnan(snap.loc["end", "dormancy_due"])
    assert rep.as_of == 300.0
    # as of a later date (an export taken at 400) the account is lost, at 380
    later = gw.relationship_selling().replay(led, as_of=400.0)
    log = later.transitions()
    assert log.loc[log["to"] == "lost", "time"].tolist() == [380.0]
    assert log.loc[log["to"] == "lost", "row"].tolist() == [6]
    with pytest.raises(gw.InvalidInputError, match="as_of"):
        gw.relationship_selling().replay(led, until=100.0, as_of=200.0)


def test_dormancy_rule_from_dict_json_and_python(tmp_path):
    m = gw.relationship_selling()
    rule = m.dormancy
    assert rule is not None
    assert rule["to"] == "lost" and rule["days"] == 180.0 and rule["min_gaps"] == 5
    assert {k: rule[k] for k in gw.relationship.DORMANCY_DEFAULTS} == gw.relationship.DORMANCY_DEFAULTS
    shorter = m.with_dormancy(days=60, min_gaps=0)
    assert shorter.dormancy["days"] == 60.0 and shorter.dormancy["from"] == rule["from"]
    assert gw.RelationshipModel.from_json(shorter.to_json()) == shorter
    assert pickle.loads(pickle.dumps(shorter)) == shorter
    assert shorter.with_dormancy(days=None).dormancy["days"] == 180.0
    spec = {
        "states": ["active", "gone"], "initial": "active", "transitions": [],
        "dormancy": {"to": "gone", "from": "active", "days": 30},
    }
    mine = gw.RelationshipModel.from_dict(spec)
    led = _story([("a", 0, "deal_lost", 1, 1), ("b", 0, "deal_lost", 1, 1), ("b", 20, "purchase", 1, 0),
                  ("c", 100, "meeting", 1, 0)])
    assert mine.replay(led).snapshot()["state"].astype(str).tolist() == ["gone", "active", "active"]
    with pytest.raises(gw.InvalidStateError, match="dormancy: unknown state 'nowhere'"):
        gw.RelationshipModel.from_dict({**spec, "dormancy": {"to": "nowhere", "from": "active"}})
    with pytest.raises(gw.InvalidStateError, match="'quantile' must be in"):
        m.with_dormancy(quantile=0)
    assert "losses_in_a_row" in gw.relationship.FEATURES


def test_repeated_losses_put_an_account_at_risk():
    led = _story([
        ("a", 0, "purchase", 100, 3000), ("a", 10, "deal_lost", 100, 1), ("a", 20, "deal_lost", 100, 1),
        ("a", 30, "deal_lost", 100, 1), ("a", 40, "deal_won", 100, 3000),
        ("end", 100, "meeting", 1, 0),
    ])
    rep = gw.relationship_selling().replay(led)
    assert rep.state_at(25.0)["a"] != "at_risk"
    assert rep.state_at(30.0)["a"] == "at_risk"
    assert "lost" not in set(rep.transitions()["to"].astype(str))
