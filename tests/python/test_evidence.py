"""goodwill.evidence_profile, DataWarning and the support every analysis carries."""

from __future__ import annotations

import math
import warnings

import goodwill as gw
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

COLUMNS = ["customer", "time", "kind", "amount", "detail"]
U = gw.MARGIN_UNKNOWN


def frame(rows: list[tuple]) -> gw.Ledger:
    return gw.Ledger(pd.DataFrame(rows, columns=COLUMNS))


def small() -> gw.Ledger:
    return frame([
        ("a", 0, "meeting", 2.0, 0),
        ("a", 1, "proposal", 1000, 0),
        ("a", 2, "competitor_quote", 900, 0),
        ("a", 3, "price_match", 900, 0),
        ("a", 4, "deal_won", 900, 2500),
        ("a", 9, "deal_lost", 800, 1),
        ("b", 5, "purchase", 300, U),
        ("b", 6, "purchase", -100, 1000),
        ("b", 7, "deal_lost", 50, 0),
        ("c", 100, "support", 3.0, 0),
    ])


def test_profile_of_a_small_ledger():
    p = gw.evidence_profile(small())
    assert isinstance(p, gw.EvidenceProfile)
    assert (p.events, p.customers, p.customers_with_events) == (10, 3, 3)
    assert (p.first_time, p.last_time, p.time_span_days) == (0.0, 100.0, 100.0)
    k = p.kinds
    assert k.loc["purchase", "events"] == 2 and k.loc["purchase", "customers"] == 1
    assert k.loc["deal_lost", "customers"] == 2
    assert k.loc["deal_lost", "customer_share"] == pytest.approx(2 / 3)
    assert k.loc["meeting", "role"] == "effort" and k.loc["meeting", "effort_class"] == "trust_building"
    assert k["events"].sum() == 10
    assert p.channels.loc["won_after_match", "events"] == 1
    assert p.channels.loc["refund", "customers"] == 1
    assert p.channels.loc["lost_on_price", "events"] == 1
    assert (p.margin_events, p.margins_known) == (3, 2)
    assert p.margin_known_share == pytest.approx(2 / 3)
    assert p.loss_reason_known_share == pytest.approx(0.5)
    assert p.loss_reasons["price"] == 1 and p.loss_reasons["unspecified"] == 1
    assert p.has_competitor_data and p.has_margins and p.has_exits and p.has_trust_building_effort
    assert not p.has_concessions
    assert p.missing(["price_game", "purchases"]) == []
    assert "goodwill.EvidenceProfile" in p._repr_html_()
    assert "10 events" in repr(p)
    assert not p.has_reps and p.rep_events == 0 and p.summary().loc["salespeople recorded", "value"] == "none"
    with pytest.raises(gw.InvalidInputError, match="unknown need"):
        p.missing(["horoscopes"])


def test_salespeople_recorded():
    data = pd.DataFrame({"customer": ["a", "a", "b", "c"], "time": [0.0, 1.0, 2.0, 3.0],
                         "kind": ["proposal", "deal_won", "deal_won", "meeting"],
                         "amount": [10.0, 10.0, 5.0, 1.0], "detail": [0, 100, 100, 0],
                         "rep": ["Ann", "Ann", "Bob", None]})
    led = gw.Ledger(data)
    p = gw.evidence_profile(led)
    assert p.has_reps and (p.rep_events, p.reps, p.customers_with_rep) == (3, 2, 2)
    assert p.needs["salespeople"]
    assert p.missing(gw.evidence.ANALYSIS_NEEDS["account_owners"]) == []


def test_the_kinds_come_from_the_cpp_table():
    p = gw.evidence_profile(small())
    assert list(p.kinds.index) == list(gw.EVENT_KINDS)
    assert list(p.channels.index) == list(gw._core.EVIDENCE_CHANNELS)
    assert set(gw.evidence.DATA_NEEDS) >= {n for needs in gw.evidence.ANALYSIS_NEEDS.values() for n in needs}


kinds = st.sampled_from(["meeting", "proposal", "deal_won", "deal_lost", "purchase", "concession", "churn"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0, 100), kinds, st.booleans(), st.integers(0, 10)),
                min_size=1, max_size=40))
def test_profile_matches_a_direct_count(rows):
    data = pd.DataFrame(
        [(f"c{c}", t, k, 10.0, (U if unknown else 100) if k in ("deal_won", "purchase") else reason)
         for c, t, k, unknown, reason in rows],
        columns=COLUMNS,
    )
    p = gw.evidence_profile(gw.Ledger(data))
    assert p.kinds["events"].sum() == len(data) == p.channels["events"].sum()
    for kind, group in data.groupby("kind"):
        assert p.kinds.loc[kind, "events"] == len(group)
        assert p.kinds.loc[kind, "customers"] == group["customer"].nunique()
    sales = data[data["kind"].isin(["deal_won", "purchase"])]
    if len(sales):
        assert p.margin_known_share == pytest.approx(float((sales["detail"] != U).mean()))
    else:
        assert math.isnan(p.margin_known_share)
    lost = data[data["kind"] == "deal_lost"]
    assert p.loss_reasons_known == int((lost["detail"] != 0).sum())
    assert p.time_span_days == pytest.approx(data["time"].max() - data["time"].min())


# ---- absent inputs warn and mark the result ------------------------------------------


def no_price_game() -> gw.Ledger:
    return frame([
        ("a", 0, "proposal", 100, 0),
        ("a", 1, "deal_won", 100, 3000),
        ("b", 2, "proposal", 100, 0),
        ("b", 3, "deal_won", 90, U),
    ])


def test_spiral_without_competitor_or_price_data_is_not_applicable():
    with pytest.warns(gw.DataWarning, match="no competitor quotes or price matches"):
        s = gw.transactional_spiral(no_price_game())
    assert s.attrs["applicable"] is False
    assert "competitor quotes" in s.attrs["not_applicable"]
    assert gw.support_of(s) is s.attrs["support"]
    assert not s["transactional_spiral"].any()


def test_applicable_spiral_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", gw.DataWarning)
        s = gw.transactional_spiral(small())
    assert s.attrs["applicable"] is True and s.attrs["not_applicable"] is None


def test_win_back_and_markov_without_exits_or_time():
    led = frame([("a", 0, "meeting", 1, 0), ("a", 0, "deal_won", 100, 2000)])
    with pytest.warns(gw.DataWarning, match="no lost deals, churn or firings"):
        curve = gw.win_back(led)
    assert curve.support is not None and not curve.support.applicable
    replay = gw.relationship_selling().replay(led)
    assert replay.ledger is led
    with pytest.warns(gw.DataWarning, match="no lost deals"):
        gw.win_back(replay)
    with pytest.warns(gw.DataWarning, match="spans no time"):
        chain = gw.MarkovChain().fit(replay)
    assert chain.support is not None and not chain.support.applicable


def test_replay_without_responses_warns():
    led = frame([("a", 0, "meeting", 1, 0), ("a", 5, "support", 2, 0)])
    with pytest.warns(gw.DataWarning, match="no customer responses"):
        replay = gw.relationship_selling().replay(led)
    assert not replay.support.applicable


def test_firing_rule_without_trust_building_effort():
    led = frame([("a", 0, "proposal", 100, 0), ("a", 1, "deal_won", 10, U), ("a", 2, "concession", 5, 0)])
    with pytest.warns(gw.DataWarning, match="the firing rule not applicable: the data has no trust-building"):
        d = gw.decide_customers(led)
    s = d.attrs["support"]
    assert s.applicable and s.partial[0][0] == "the firing rule"
    assert (d["action"] != "fire").all()
    # the profit rests on the default margin for all of its revenue
    assert s.assumptions[0] == gw.Assumption("default_margin", 0.3, 1.0, "revenue")


def test_deal_decisions_name_their_defaults():
    d = gw.decide_deals(pd.DataFrame({"floor_price": [80.0, 90.0], "list_price": [100.0, 100.0],
                                      "offer": [85.0, 70.0], "trust": [0.7, 0.2]}))
    names = {a.assumption: a for a in d.attrs["assumptions"]}
    assert "trust" not in names
    assert names["customer_value"].value == 0.0 and names["customer_value"].share == 1.0


# ---- assumptions and their shares ----------------------------------------------------------


def shares_ledger() -> gw.Ledger:
    return frame([
        ("w", 0, "meeting", 2.0, 0),
        ("w", 1, "proposal", 11000, 0),
        ("w", 2, "deal_won", 10000, 4000),
        ("w", 4, "purchase", 2000, U),
        ("b", 2, "price_match", 5000, 0),
        ("b", 4, "deal_won", 5000, 2000),
        ("b", 5, "support", 20.0, 0),
        ("b", 9, "purchase", -500, U),
        ("s", 0, "discovery", 1.0, 0),
        ("s", 1, "purchase", 1000, 5000),
    ])


def test_default_margin_share_against_a_direct_computation():
    led = shares_ledger()
    p = gw.profitability(led, gw.CostRates(meeting_hour=1, discovery_hour=1, negotiation_round=1,
                                           support_hour=1, custom_request_hour=1, service_issue=1,
                                           default_margin=0.2))
    a = {(x.assumption, x.of): x for x in p.attrs["assumptions"]}
    # revenue events: 10 000, 2 000 (u), 5 000, −500 (u), 1 000: |assumed| 2 500 of 18 500
    assert a[("default_margin", "revenue")].share == pytest.approx(2500 / 18500)
    assert a[("default_margin", "revenue")].value == 0.2
    # gross margin: 4 000 + 0.2·2 000 + 1 000 + 0.2·(−500) + 500 = 5 800; assumed part 300
    assert p["gross_margin"].sum() == pytest.approx(5800)
    assert a[("default_margin", "gross_margin")].share == pytest.approx(300 / 5800)
    assert not any(x.of == "cost_to_serve" for x in p.attrs["assumptions"])  # every rate was set


def test_default_cost_rate_share_against_a_direct_computation():
    led = shares_ledger()
    rates = gw.CostRates(meeting_hour=200)  # the others are the illustrative defaults
    p = gw.profitability(led, rates)
    d = gw._core.value.CostRates()
    meeting = 2.0 * 200
    discovery = 1.0 * d.discovery_hour
    rounds = 2 * d.negotiation_round  # proposal + price_match
    support = 20.0 * d.support_hour
    total = meeting + discovery + rounds + support
    assert p["cost_to_serve"].sum() == pytest.approx(total)
    a = {x.assumption: x for x in p.attrs["assumptions"] if x.of == "cost_to_serve"}
    assert "meeting_hour" not in a
    assert a["support_hour"].share == pytest.approx(support / total)
    assert a["default cost rates"].share == pytest.approx((discovery + rounds + support) / total)
    assert a["default cost rates"].value == "discovery_hour, negotiation_round, support_hour"
    curve = gw.whale_curve(led, rates)
    assert curve.support is not None and curve.support.assumptions == p.attrs["support"].assumptions


def test_no_revenue_is_not_applicable():
    with pytest.warns(gw.DataWarning, match="no revenue"):
        p = gw.profitability(frame([("a", 0, "meeting", 1.0, 0)]))
    assert p.attrs["applicable"] is False


# ---- the bottomed-out spiral -----------------------------------------------------------------


def generated(n: int, bottomed: int, seed: int) -> tuple[gw.Ledger, set[str]]:
    """``n`` customers with eight deals a month apart; the first ``bottomed``
    win every deal after a rival quote and a price match at a flat ~8% margin
    (noise ±0.3 points), the rest win at list at ~35% with an occasional match."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n):
        name = f"c{c:03d}"
        spiral = c < bottomed
        for d in range(8):
            t = 30.0 * d + rng.uniform(0, 5)
            rows.append((name, t, "proposal", 1000.0, 0))
            if spiral or rng.random() < 0.2:
                rows.append((name, t + 1, "competitor_quote", 850.0, 0))
                rows.append((name, t + 2, "price_match", 850.0, 0))
            margin = (800 if spiral else 3500) + int(rng.integers(-30, 31))
            rows.append((name, t + 3, "deal_won", 850.0 if spiral else 1000.0, margin))
        if spiral:
            rows.append((name, 300.0, "deal_lost", 1000.0, 1))
    return frame(rows), {f"c{c:03d}" for c in range(bottomed)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bottomed_out_spiral_is_found_on_a_generated_ledger(seed):
    led, truth = generated(40, 12, seed)
    s = gw.transactional_spiral(led)
    found = set(s.index[s["spiral_stage"] == "bottomed_out"])
    assert found == truth
    assert set(s.index[s["transactional_spiral"]]) == truth
    row = s.loc[min(truth)]
    assert row["won_after_match"] == 8 and row["lost_on_price"] == 1
    assert row["rests_on"] == "8 matched wins, 0 conceded wins, 8 competitor quotes, 1 lost on price"
    assert (s.loc[~s.index.isin(truth), "rests_on"] == "").all()


def test_no_bottomed_out_spiral_on_a_healthy_ledger():
    led, _ = generated(40, 0, 7)
    s = gw.transactional_spiral(led)
    assert s.attrs["applicable"]
    assert not s["transactional_spiral"].any()
    assert (s["spiral_stage"] == "none").all()


# ---- the CRM export ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crm_ledger(request: pytest.FixtureRequest) -> gw.Ledger:
    from conftest import SHARED_DATA

    d = SHARED_DATA / "crm_sales_opportunities"
    if not (d / "sales_pipeline.csv").is_file():
        pytest.skip(f"the CRM export is not at {d}: CRM checks not run")
    return gw.io.from_crm_opportunities(
        d / "sales_pipeline.csv", accounts=d / "accounts.csv", products=d / "products.csv",
        sales_teams=d / "sales_teams.csv",
    ).ledger


def test_crm_export_profile_and_warnings(crm_ledger: gw.Ledger):
    p = gw.evidence_profile(crm_ledger)
    assert not p.has_competitor_data
    with pytest.warns(gw.DataWarning, match="no competitor quotes"):
        s = gw.transactional_spiral(crm_ledger)
    assert not s.attrs["applicable"]
    # the default margin: its share is that of the wins and purchases without a margin
    cols = crm_ledger.to_numpy()
    sales = np.isin(cols["kind"], [gw.EVENT_KINDS.index("deal_won"), gw.EVENT_KINDS.index("purchase")])
    amount, unknown = cols["amount"][sales], cols["detail"][sales] == U
    prof = gw.profitability(crm_ledger)
    a = {(x.assumption, x.of): x for x in prof.attrs["assumptions"]}
    expected = np.abs(amount[unknown]).sum() / np.abs(amount).sum()
    assert a[("default_margin", "revenue")].share == pytest.approx(expected)
    assert p.margin_known_share == pytest.approx(1 - unknown.mean())


def test_crm_report_says_what_does_not_apply(shared_data, tmp_path):
    text = gw.report(shared_data / "crm_sales_opportunities", tmp_path / "crm.html", threads=1).read_text()
    assert "not applicable: the data has no competitor quotes or price matches" in text
    assert "customers are in the transactional spiral" not in text
    assert "rests on the assumed default margin of 30%" in text
    assert '<section id="evidence">' in text
