"""goodwill.io: the CRM opportunity import and the generic event importer."""

from __future__ import annotations

import math

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill.io import CrmImport, from_crm_opportunities, from_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# ---- helpers --------------------------------------------------------------------

PRODUCTS = pd.DataFrame({"product": ["GTX Pro", "MG Special"], "series": ["GTX", "MG"], "sales_price": [4821, 55]})
ACCOUNTS = pd.DataFrame(
    {
        "account": ["Acme", "Betatech"],
        "sector": ["technolgy", "Medical "],
        "office_location": ["Philipines", "Kenya"],
        "subsidiary_of": [None, "Acme"],
    }
)
TEAMS = pd.DataFrame(
    {"sales_agent": ["Ann", "Bob"], "manager": ["Max", "Mia"], "regional_office": ["East", "West"]}
)


def deal(opp, stage="Won", product="GTX Pro", account="Acme", engage="2017-01-01", close="2017-02-01", value=4000.0, agent="Ann"):
    return {
        "opportunity_id": opp,
        "sales_agent": agent,
        "product": product,
        "account": account,
        "deal_stage": stage,
        "engage_date": engage,
        "close_date": close,
        "close_value": value,
    }


COLUMNS = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"]


def crm(rows, **kw) -> CrmImport:
    kw.setdefault("accounts", ACCOUNTS)
    kw.setdefault("products", PRODUCTS)
    kw.setdefault("sales_teams", TEAMS)
    return from_crm_opportunities(pd.DataFrame(rows, columns=COLUMNS), **kw)


def assert_accounted(result: CrmImport, n: int) -> None:
    """Every input row produced events or was rejected, never both, never neither."""
    with_events = set(result.events["row"])
    rejected = list(result.rejected["row"])
    assert len(rejected) == len(set(rejected)), "a row is rejected twice"
    assert with_events.isdisjoint(rejected)
    assert with_events | set(rejected) == set(range(n))
    assert len(result.opportunities) == n
    status = result.opportunities["status"].to_numpy()
    assert set(np.flatnonzero(status == "rejected")) == set(rejected)
    assert len(result.ledger) == len(result.events)


def kinds_of(result: CrmImport, row: int) -> list[str]:
    return list(result.events.loc[result.events["row"] == row, "kind"].astype(str))


# ---- the real export --------------------------------------------------------------


@pytest.fixture(scope="module")
def export(shared_data):
    d = shared_data / "crm_sales_opportunities"
    raw = pd.read_csv(d / "sales_pipeline.csv")
    result = from_crm_opportunities(
        d / "sales_pipeline.csv", d / "accounts.csv", d / "products.csv", d / "sales_teams.csv"
    )
    return d, raw, result


def test_export_every_row_is_accounted_for(export):
    _, raw, result = export
    assert_accounted(result, len(raw))
    # the ledger holds exactly the events frame, in the same order
    cols = ["customer", "time", "kind", "amount", "detail"]
    pd.testing.assert_frame_equal(result.ledger.to_pandas()[cols], result.events[cols].astype({"customer": object}), check_dtype=False)
    # and the events agree with the rows they came from
    ev = result.events.merge(raw[["opportunity_id"]].reset_index(names="row"), on="row", suffixes=("", "_raw"))
    assert (ev["opportunity_id"] == ev["opportunity_id_raw"]).all()


def test_export_won_and_lost_match_deal_stages(export):
    _, raw, result = export
    kinds = result.events["kind"].astype(str)
    assert (kinds == "deal_won").sum() == (raw["deal_stage"] == "Won").sum()
    assert (kinds == "deal_lost").sum() == (raw["deal_stage"] == "Lost").sum()
    closed_rows = set(np.flatnonzero(raw["deal_stage"].isin(["Won", "Lost"])))
    assert closed_rows.isdisjoint(result.rejected["row"])


def test_export_gtxpro_is_repaired(export):
    _, raw, result = export
    rep = result.repairs[(result.repairs["table"] == "pipeline") & (result.repairs["field"] == "product")]
    assert len(rep) > 0
    assert (rep["problem"] == "spelt 'GTXPro'").all()
    assert rep["action"].str.contains("'GTX Pro'").all()
    imported = result.opportunities[result.opportunities["status"] == "imported"]
    assert "GTXPro" not in set(imported["product"])
    # every imported GTXPro row is listed (and only GTXPro rows; a repaired
    # row may still be rejected later for another reason), priced at GTX Pro's list price
    all_gtxpro = set(np.flatnonzero(raw["product"] == "GTXPro"))
    gtxpro_rows = all_gtxpro & set(result.events["row"])
    assert gtxpro_rows <= set(rep["row"]) <= all_gtxpro
    products = pd.read_csv(export[0] / "products.csv").set_index("product")["sales_price"]
    proposals = result.events[(result.events["kind"] == "proposal") & result.events["row"].isin(gtxpro_rows)]
    assert (proposals["amount"] == products["GTX Pro"]).all()


def test_export_sector_is_repaired(export):
    d, _, result = export
    raw_accounts = pd.read_csv(d / "accounts.csv")
    misspelt = raw_accounts.index[raw_accounts["sector"] == "technolgy"]
    assert len(misspelt) > 0
    rep = result.repairs[(result.repairs["table"] == "accounts") & (result.repairs["field"] == "sector")]
    assert list(rep["row"]) == list(misspelt)
    assert "technolgy" not in set(result.accounts["sector"])
    assert (result.accounts["sector"] == "technology").sum() == len(misspelt)
    assert len(result.accounts) == len(raw_accounts)


def test_export_warts_are_rejected_with_reasons(export):
    _, raw, result = export
    rej = result.rejected.set_index("row")
    # the test row: an account that does not exist
    teste = int(np.flatnonzero(raw["account"] == "Teste")[0])
    assert rej.loc[teste, "field"] == "account" and "Teste" in rej.loc[teste, "reason"]
    # open deals without an account or an engage date are "open", not errors
    open_rows = raw.index[raw["deal_stage"].isin(["Prospecting", "Engaging"]) & (raw["account"].isna() | raw["engage_date"].isna())]
    assert (rej.loc[open_rows, "category"] == "open").all()
    # every row dated after the last close date is out
    last_close = pd.to_datetime(raw["close_date"]).max()
    future = raw.index[pd.to_datetime(raw["engage_date"]) > last_close]
    assert len(future) > 0 and set(future) <= set(rej.index)
    assert result.as_of == last_close
    assert result.events["date"].max() <= last_close


def test_export_amounts_times_and_owners(export):
    d, raw, result = export
    ev = result.events
    assert ev["time"].dtype == np.float64
    assert ev["time"].min() == 0.0
    assert result.origin == ev["date"].min()
    assert np.allclose(ev["time"], (ev["date"] - result.origin) / pd.Timedelta(days=1))
    # a won deal below list: proposal at list, concession = list - close, won at close
    prices = pd.read_csv(d / "products.csv").set_index("product")["sales_price"].rename({"GTX Pro": "GTXPro"})
    won = raw[raw["deal_stage"] == "Won"].assign(list_price=lambda f: f["product"].map(prices))
    below = won[won["close_value"] < won["list_price"]]
    conc = ev[ev["kind"] == "concession"].set_index("row")["amount"]
    assert len(conc) == len(below)
    assert np.allclose(conc.loc[below.index], below["list_price"] - below["close_value"])
    # no unit costs in the export: every margin is unknown, shown as <NA>
    assert ev.loc[ev["kind"] == "deal_won", "detail"].isna().all()
    assert ev["detail"].dtype == "Int32"
    assert result.ledger.to_pandas().loc[lambda f: f["kind"] == "deal_won", "detail"].isna().all()
    assert not (result.ledger.to_pandas()["detail"] == goodwill.MARGIN_UNKNOWN).any()
    # owners: named only with a majority; their managers come from sales_teams
    teams = pd.read_csv(d / "sales_teams.csv").set_index("sales_agent")
    acc = result.accounts.loc[sorted(set(result.ledger.customers))]
    named = acc.dropna(subset=["owner"])
    assert (named["owner_share"] > 0.5).all()
    assert (named["owner_manager"] == teams.loc[named["owner"].astype(str), "manager"].to_numpy()).all()
    unnamed = acc[acc["owner"].isna()]
    assert unnamed["owner_note"].str.startswith(("no majority (top: ", "no salesperson recorded")).all()
    owners = goodwill.account_owners(result.ledger)
    pd.testing.assert_series_equal(acc["owner"], owners["owner"].reindex(acc.index), check_names=False, check_index=False)


def test_export_replays_through_the_default_model(export):
    _, _, result = export
    model = goodwill.relationship_selling()
    replay = model.replay(result.ledger)
    snap = replay.snapshot()
    assert len(snap) == result.ledger.n_customers
    assert set(snap["state"].astype(str)) <= set(model.states)
    assert snap["trust"].between(0, 1).all()
    assert (snap["events"].sum()) == len(result.ledger)
    spiral = goodwill.transactional_spiral(result.ledger)
    assert (spiral["deals_won"].sum()) == (result.events["kind"] == "deal_won").sum()


def test_export_strict_mode_names_the_first_bad_row(export):
    d, raw, _ = export
    with pytest.raises(goodwill.InvalidInputError) as info:
        from_crm_opportunities(d / "sales_pipeline.csv", d / "accounts.csv", d / "products.csv", errors="raise")
    teste = int(np.flatnonzero(raw["account"] == "Teste")[0])
    assert info.value.row == teste and info.value.field == "account"
    assert f"row {teste}" in str(info.value)


# ---- each wart alone ------------------------------------------------------------


def test_a_clean_won_deal():
    r = crm([deal("A1", value=4000.0)])
    assert kinds_of(r, 0) == ["opportunity", "proposal", "concession", "deal_won"]
    ev = r.events.set_index("kind")
    assert ev.loc["proposal", "amount"] == 4821.0
    assert ev.loc["concession", "amount"] == 821.0
    assert ev.loc["deal_won", "amount"] == 4000.0
    assert pd.isna(ev.loc["deal_won", "detail"])  # no unit cost: the margin is unknown, <NA>
    assert ev.loc["opportunity", "amount"] == 4821.0  # the opening, at list: no hours made up
    assert ev.loc["opportunity", "time"] == 0.0 and ev.loc["deal_won", "time"] == 31.0
    assert r.repairs[r.repairs["table"] == "pipeline"].empty and r.rejected.empty
    assert r.opportunities.loc[0, "discount"] == 821.0 and r.opportunities.loc[0, "premium"] == 0.0


@pytest.mark.parametrize("spelling", ["GTXPro", "gtx pro", " GTX  PRO", "gtxPRO"])
def test_product_names_match_case_and_space_insensitively(spelling):
    r = crm([deal("A1", product=spelling)])
    assert r.rejected.empty
    rep = r.repairs[r.repairs["field"] == "product"]
    assert len(rep) == 1 and rep["row"].iloc[0] == 0 and "'GTX Pro'" in rep["action"].iloc[0]
    assert r.opportunities.loc[0, "product"] == "GTX Pro"


def test_unknown_product_is_rejected():
    r = crm([deal("A1", product="GTX Ultra"), deal("A2")])
    assert list(r.rejected["row"]) == [0]
    assert r.rejected["field"].iloc[0] == "product" and "GTX Ultra" in r.rejected["reason"].iloc[0]
    assert_accounted(r, 2)


def test_product_without_a_price_is_rejected():
    products = pd.concat([PRODUCTS, pd.DataFrame({"product": ["Free"], "sales_price": [None]})], ignore_index=True)
    r = crm([deal("A1", product="Free")], products=products)
    assert r.rejected["field"].iloc[0] == "product"
    assert ((r.repairs["table"] == "products") & (r.repairs["field"] == "sales_price")).sum() == 1


def test_unknown_account_is_rejected_and_case_is_repaired():
    r = crm([deal("A1", account="Teste"), deal("A2", account="acme")])
    assert list(r.rejected["row"]) == [0] and r.rejected["field"].iloc[0] == "account"
    assert set(r.events["customer"]) == {"Acme"}
    assert (r.repairs["field"] == "account").sum() == 1


def test_open_deals_without_account_or_date_are_rejected_as_open():
    rows = [
        deal("P1", stage="Prospecting", account=None, engage=None, close=None, value=None),
        deal("P2", stage="Prospecting", engage=None, close=None, value=None),
        deal("E1", stage="Engaging", account=None, close=None, value=None),
        deal("E2", stage="Engaging", close=None, value=None),
        deal("P3", stage="Prospecting", close=None, value=None),
    ]
    r = crm(rows)
    assert_accounted(r, 5)
    assert list(r.rejected["row"]) == [0, 1, 2]
    assert (r.rejected["category"] == "open").all()
    assert kinds_of(r, 3) == ["opportunity", "proposal"]
    assert kinds_of(r, 4) == ["lead"]
    assert r.events.loc[r.events["row"] == 4, "amount"].iloc[0] == 4821.0
    # open deals are not errors: strict mode rejects them too, without raising
    strict = crm(rows, errors="raise")
    assert list(strict.rejected["row"]) == [0, 1, 2]


def test_close_before_engage_is_rejected_and_raised_in_strict_mode():
    rows = [deal("A1"), deal("A2", engage="2017-03-01", close="2017-02-01")]
    r = crm(rows)
    assert list(r.rejected["row"]) == [1] and r.rejected["field"].iloc[0] == "close_date"
    assert "before engage_date" in r.rejected["reason"].iloc[0]
    with pytest.raises(goodwill.InvalidInputError, match=r"row 1, field 'close_date'") as info:
        crm(rows, errors="raise")
    assert info.value.row == 1 and info.value.field == "close_date"


@pytest.mark.parametrize("value, reason", [(-5.0, "negative"), (None, "missing"), (" ", "missing"), ("abc", "not a number"), (math.inf, "not finite")])
def test_bad_close_values_on_won_deals_are_rejected(value, reason):
    r = crm([deal("A1", value=value), deal("A2")])
    assert list(r.rejected["row"]) == [0]
    assert r.rejected["field"].iloc[0] == "close_value" and reason in r.rejected["reason"].iloc[0]


def test_close_values_written_as_money_are_read():
    r = crm([deal("A1", value="$4,000.00"), deal("A2", value="1,00,0"), deal("A3", value="4000 €")])
    assert list(r.rejected["row"]) == [1]
    assert list(r.events.loc[r.events["kind"] == "deal_won", "amount"]) == [4000.0, 4000.0]
    assert list(r.repairs.loc[r.repairs["field"] == "close_value", "row"]) == [0, 2]


def test_won_and_lost_deals_without_close_date_are_rejected():
    r = crm([deal("A1", close=None), deal("A2", stage="Lost", close=None, value=0)])
    assert list(r.rejected["row"]) == [0, 1] and (r.rejected["field"] == "close_date").all()


def test_duplicate_opportunity_ids_keep_the_first():
    r = crm([deal("A1"), deal("A2"), deal("A1", value=10.0)])
    assert list(r.rejected["row"]) == [2] and r.rejected["reason"].iloc[0] == "duplicate of row 0"
    assert_accounted(r, 3)


def test_missing_opportunity_id_is_rejected():
    r = crm([deal(None), deal("A2")])
    assert list(r.rejected["row"]) == [0] and r.rejected["field"].iloc[0] == "opportunity_id"


def test_rows_identical_but_for_the_id_are_kept_with_a_note():
    r = crm([deal("A1"), deal("A2")])
    assert r.rejected.empty and len(r.events) == 8
    note = r.repairs[r.repairs["field"] == "opportunity_id"]
    assert list(note["row"]) == [1] and "row 0" in note["problem"].iloc[0]


def test_stages_are_read_case_insensitively_and_unknown_ones_rejected():
    r = crm([deal("A1", stage="won"), deal("A2", stage="Closed Lost", value=0), deal("A3", stage="Pending"), deal("A4", stage=None)])
    assert list(r.rejected["row"]) == [2, 3] and (r.rejected["field"] == "deal_stage").all()
    assert kinds_of(r, 1)[-1] == "deal_lost"
    assert (r.repairs["field"] == "deal_stage").sum() == 2


def test_unparseable_dates_are_rejected():
    r = crm([deal("A1", engage="not a date"), deal("A2", close="2017-13-45")])
    assert list(r.rejected["field"]) == ["engage_date", "close_date"]
    assert "'not a date' is not a date" in r.rejected["reason"].iloc[0]


def test_dates_after_as_of_are_rejected():
    rows = [deal("A1"), deal("E1", stage="Engaging", engage="2026-03-12", close=None, value=None)]
    r = crm(rows)
    assert list(r.rejected["row"]) == [1] and r.rejected["field"].iloc[0] == "engage_date"
    assert r.as_of == pd.Timestamp("2017-02-01")
    live = crm(rows, as_of="2026-06-01")
    assert live.rejected.empty and kinds_of(live, 1) == ["opportunity", "proposal"]


def test_close_above_list_is_a_premium_not_a_concession():
    r = crm([deal("A1", value=5000.0)])
    assert kinds_of(r, 0) == ["opportunity", "proposal", "deal_won"]
    assert r.opportunities.loc[0, "premium"] == 179.0 and r.opportunities.loc[0, "discount"] == 0.0


def test_lost_deal_amount_is_the_list_price():
    r = crm([deal("A1", stage="Lost", value=0.0), deal("A2", stage="Lost", value=12.0)])
    lost = r.events[r.events["kind"] == "deal_lost"]
    assert list(lost["amount"]) == [4821.0, 4821.0] and (lost["detail"] == 0).all()
    assert list(r.repairs.loc[r.repairs["field"] == "close_value", "row"]) == [1]


def test_won_at_zero_is_kept_with_a_note():
    r = crm([deal("A1", value=0.0)])
    assert r.rejected.empty
    assert r.events.loc[r.events["kind"] == "concession", "amount"].iloc[0] == 4821.0
    assert (r.repairs["field"] == "close_value").sum() == 1


def test_margin_from_unit_cost():
    products = PRODUCTS.assign(unit_cost=[3000.0, 20.0])
    r = crm([deal("A1", value=4000.0)], products=products)
    won = r.events[r.events["kind"] == "deal_won"]
    assert won["detail"].iloc[0] == 2500  # (4000 - 3000) / 4000 = 25 % = 2500 bp


def test_closed_deal_without_engage_date_has_no_opening():
    r = crm([deal("A1", engage=None)])
    assert kinds_of(r, 0) == ["proposal", "concession", "deal_won"]
    assert (r.repairs["field"] == "engage_date").sum() == 1


def test_unknown_sales_agent_is_noted():
    r = crm([deal("A1", agent="Zoe")])
    assert r.rejected.empty
    note = r.repairs[r.repairs["field"] == "sales_agent"]
    assert len(note) == 1 and "Zoe" in note["problem"].iloc[0]


def test_accounts_are_cleaned_and_owned():
    rows = [deal("A1", agent="Bob"), deal("A2", agent="Ann", value=100), deal("A3", agent="Bob", stage="Lost", value=0)]
    r = crm(rows)
    acc = r.accounts
    assert acc.loc["Acme", "sector"] == "technology" and acc.loc["Betatech", "sector"] == "medical"
    assert acc.loc["Acme", "office_location"] == "Philippines"
    assert acc.loc["Acme", "owner"] == "Bob" and acc.loc["Acme", "owner_manager"] == "Mia"
    assert acc.loc["Acme", "owner_regional_office"] == "West"
    assert acc.loc["Acme", "owner_share"] == pytest.approx(2 / 3) and acc.loc["Acme", "owner_deals"] == 3
    assert (acc.loc["Acme", "opportunities"], acc.loc["Acme", "won"], acc.loc["Acme", "lost"]) == (3, 2, 1)
    assert acc.loc["Betatech", "opportunities"] == 0 and pd.isna(acc.loc["Betatech", "owner"])
    assert acc.loc["Betatech", "owner_note"] == "no salesperson recorded"
    # a tie is no majority: nobody is named, and the note says so
    tie = crm([deal("A1", agent="Bob"), deal("A2", agent="Ann", value=100, close="2017-02-02")])
    assert pd.isna(tie.accounts.loc["Acme", "owner"]) and pd.isna(tie.accounts.loc["Acme", "owner_manager"])
    assert tie.accounts.loc["Acme", "owner_note"] == "no majority (top: Ann 50% of 2 deals, tied with 1 other)"


def test_origin_and_customer_column():
    r = crm([deal("A1")], origin="2016-12-31")
    assert r.events["time"].min() == 1.0
    by_agent = crm([deal("A1"), deal("A2", agent="Bob", account="Betatech", value=50)], customer="sales_agent")
    assert set(by_agent.events["customer"]) == {"Ann", "Bob"}


def test_without_products_only_openings_and_closes():
    r = crm([deal("A1"), deal("A2", stage="Lost", value=0)], products=None)
    assert kinds_of(r, 0) == ["opportunity", "deal_won"] and kinds_of(r, 1) == ["opportunity", "deal_lost"]
    assert r.events.loc[r.events["kind"] == "deal_lost", "amount"].iloc[0] == 0.0
    assert (r.events.loc[r.events["kind"] == "opportunity", "amount"] == 0.0).all()


def test_deals_of_one_account_stay_contiguous_for_the_spiral():
    # two overlapping deals of one account: each close is priced against its own list price
    rows = [
        deal("A1", engage="2017-01-01", close="2017-03-01", value=4000.0),
        deal("A2", product="MG Special", engage="2017-01-15", close="2017-03-01", value=44.0),
    ]
    r = crm(rows)
    s = goodwill.transactional_spiral(r.ledger).loc["Acme"]
    expected = ((1 - 4000 / 4821) + (1 - 44 / 55)) / 2
    assert s["mean_concession_depth"] == pytest.approx(expected)


def test_paths_are_accepted(tmp_path):
    pd.DataFrame([deal("A1")]).to_csv(tmp_path / "p.csv", index=False)
    PRODUCTS.to_csv(tmp_path / "products.csv", index=False)
    r = from_crm_opportunities(tmp_path / "p.csv", products=str(tmp_path / "products.csv"))
    assert kinds_of(r, 0) == ["opportunity", "proposal", "concession", "deal_won"]


def test_bad_arguments():
    with pytest.raises(goodwill.InvalidInputError, match="close_value"):
        from_crm_opportunities(pd.DataFrame([deal("A1")]).drop(columns="close_value"))
    with pytest.raises(goodwill.InvalidInputError, match="errors"):
        crm([deal("A1")], errors="ignore")
    with pytest.raises(goodwill.InvalidInputError, match="pipeline"):
        from_crm_opportunities(42)  # type: ignore[arg-type]


def test_empty_pipeline():
    r = crm([deal("A1")][:0])
    assert len(r.ledger) == 0 and r.rejected.empty and r.origin is None
    assert "0 rows" in repr(r)


# ---- from_events ----------------------------------------------------------------


def test_from_events_renames_maps_kinds_and_converts_dates():
    df = pd.DataFrame(
        {
            "Account": ["Acme", "Acme", "Globex"],
            "When": pd.to_datetime(["2024-01-01 00:00", "2024-01-03 12:00", "2024-01-02 00:00"]),
            "Activity": ["Call", "Closed Won", "Call"],
            "Value": [1.0, 900.0, 0.5],
        }
    )
    ledger = from_events(
        df,
        columns={"customer": "Account", "time": "When", "kind": "Activity", "amount": "Value"},
        kind_map={"Call": "meeting", "Closed Won": "deal_won"},
    )
    out = ledger.to_pandas()
    assert list(out["time"]) == [0.0, 2.5, 1.0]
    assert list(out["kind"].astype(str)) == ["meeting", "deal_won", "meeting"]
    assert list(out["amount"]) == [1.0, 900.0, 0.5]
    assert out["detail"].isna().tolist() == [False, True, False]  # no margin column: unknown (<NA>), not 0 %
    assert ledger.to_numpy()["detail"].tolist() == [0, goodwill.MARGIN_UNKNOWN, 0]
    direct = goodwill.Ledger(
        pd.DataFrame(
            {
                "customer": df["Account"],
                "time": [0.0, 2.5, 1.0],
                "kind": ["meeting", "deal_won", "meeting"],
                "amount": df["Value"],
                "detail": [0, goodwill.MARGIN_UNKNOWN, 0],
            }
        )
    )
    assert ledger == direct


def test_from_events_numbers_units_origin_and_strings():
    df = pd.DataFrame({"customer": [1, 2], "time": [48.0, 72.0], "kind": ["meeting", "support"]})
    assert list(from_events(df, time_unit="h").to_pandas()["time"]) == [2.0, 3.0]
    assert list(from_events(df, time_unit="h", origin=24).to_pandas()["time"]) == [1.0, 2.0]
    dates = df.assign(time=["2024-03-01", "2024-03-11"])
    assert list(from_events(dates, origin="2024-02-29").to_pandas()["time"]) == [1.0, 11.0]
    with pytest.raises(goodwill.InvalidInputError, match=r"row 1, field 'time'"):
        from_events(df.assign(time=["2024-03-01", "soon"]))


def test_from_events_bad_rows_name_row_and_field():
    df = pd.DataFrame({"c": ["a", "b", "c"], "t": [0.0, 1.0, 2.0], "k": ["meeting", "call", "meeting"]})
    cols = {"customer": "c", "time": "t", "kind": "k"}
    with pytest.raises(goodwill.InvalidInputError, match=r"row 1, field 'kind'"):
        from_events(df, cols)
    ok = from_events(df, cols, kind_map={"call": "meeting"})
    assert len(ok) == 3
    with pytest.raises(goodwill.InvalidInputError, match=r"row 2, field 'time'"):
        from_events(df.assign(t=[0.0, 1.0, np.nan]), cols, kind_map={"call": "meeting"})
    with pytest.raises(goodwill.InvalidInputError, match=r"row 0, field 'amount'"):
        from_events(df.assign(a=[-1.0, 0, 0]), {**cols, "amount": "a"}, kind_map={"call": "meeting"})
    with pytest.raises(goodwill.InvalidInputError, match=r"kind_map\[call\]"):
        from_events(df, cols, kind_map={"call": "phone"})
    with pytest.raises(goodwill.InvalidInputError, match="'amount'"):
        from_events(df, {**cols, "amount": "nope"})
    with pytest.raises(goodwill.InvalidInputError, match="columns"):
        from_events(df, {"who": "c"})
    with pytest.raises(goodwill.InvalidInputError, match="time_unit"):
        from_events(df, cols, time_unit="fortnight", kind_map={"call": "meeting"})


# ---- property: every row is accounted for -------------------------------------------

_WART_ROWS = st.fixed_dictionaries(
    {
        "opportunity_id": st.sampled_from(["O1", "O2", "O3", "O4", "O5", "O6", None]),
        "sales_agent": st.sampled_from(["Ann", "Bob", "Zoe", None]),
        "product": st.sampled_from(["GTX Pro", "GTXPro", "gtx pro", "MG Special", "Nope", None]),
        "account": st.sampled_from(["Acme", "acme", "Betatech", "Teste", None]),
        "deal_stage": st.sampled_from(["Won", "Lost", "Engaging", "Prospecting", "won", "Closed Lost", "Bogus", None]),
        "engage_date": st.one_of(st.none(), st.just("garbage"), st.integers(0, 400).map(lambda d: str(pd.Timestamp("2017-01-01") + pd.Timedelta(days=d))[:10])),
        "close_date": st.one_of(st.none(), st.just("31/31/2017"), st.integers(0, 400).map(lambda d: str(pd.Timestamp("2017-01-01") + pd.Timedelta(days=d))[:10])),
        "close_value": st.sampled_from([None, -5.0, 0.0, 50.0, 4000.0, 6000.0, math.inf, "abc", "$4,000", "-1,000"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_WART_ROWS, min_size=0, max_size=12), as_of=st.sampled_from([None, "2017-06-30"]))
def test_property_every_row_is_accounted_for(rows, as_of):
    pipeline = pd.DataFrame(rows, columns=COLUMNS)
    r = from_crm_opportunities(pipeline, ACCOUNTS, PRODUCTS, TEAMS, as_of=as_of)
    n = len(rows)
    assert_accounted(r, n)
    assert r.rejected["reason"].str.len().gt(0).all()
    imported = r.opportunities["status"] == "imported"
    kinds = r.events["kind"].astype(str)
    assert (kinds == "deal_won").sum() == (imported & (r.opportunities["deal_stage"] == "Won")).sum()
    assert (kinds == "deal_lost").sum() == (imported & (r.opportunities["deal_stage"] == "Lost")).sum()
    assert set(r.repairs.loc[r.repairs["table"] == "pipeline", "row"]) <= set(range(n))
    assert np.isfinite(r.events["time"]).all() and (r.events["amount"] >= 0).all()
    # strict mode raises on exactly the rows rejected as invalid, else agrees
    invalid_rows = set(r.rejected.loc[r.rejected["category"] == "invalid", "row"])
    if invalid_rows:
        with pytest.raises(goodwill.InvalidInputError) as info:
            from_crm_opportunities(pipeline, ACCOUNTS, PRODUCTS, TEAMS, as_of=as_of, errors="raise")
        assert info.value.row in invalid_rows
    elif n:
        strict = from_crm_opportunities(pipeline, ACCOUNTS, PRODUCTS, TEAMS, as_of=as_of, errors="raise")
        assert strict.ledger == r.ledger


# ---- nothing invented; salespeople from sales_agent -----------------------------------


def test_crm_opening_is_an_opportunity_not_a_meeting():
    rows = [
        deal("A1"),
        deal("A2", stage="Lost", value=0, agent="Bob"),
        deal("A3", stage="Engaging", close=None, value=None),
        deal("A4", stage="Prospecting", engage=None, close=None, value=None),
        deal("A5", stage="Prospecting", close=None, value=None),
        deal("A6", engage=None),
    ]
    r = crm(rows)
    kinds = r.events["kind"].astype(str)
    assert (kinds == "meeting").sum() == 0
    assert not (r.ledger.to_pandas()["kind"] == "meeting").any()
    # one opening per Engaging/Won/Lost opportunity with an engage date
    imported = r.opportunities[r.opportunities["status"] == "imported"]
    opened = imported["engage_date"].notna() & imported["deal_stage"].isin(["Engaging", "Won", "Lost"])
    assert (kinds == "opportunity").sum() == opened.sum() == 3
    assert sorted(r.events.loc[kinds == "opportunity", "row"]) == [0, 1, 2]
    # the opening is neutral: neither effort nor trust evidence
    table = goodwill._core.EVENT_KIND_TABLE
    at = list(table["kind"]).index("opportunity")
    assert table["role"][at] == "neutral"


def test_crm_reps_come_from_sales_agent():
    rows = [deal("A1", agent="Ann"), deal("A2", agent="Bob", stage="Lost", value=0), deal("A3", agent=None)]
    r = crm(rows)
    assert r.ledger.rep_names == ["Ann", "Bob"]
    led = r.ledger.to_pandas()
    ev = r.events
    agent = r.opportunities["sales_agent"].to_numpy(dtype=object)[ev["row"].to_numpy()]

    def names(values):
        return [None if pd.isna(v) else v for v in values]

    assert names(ev["rep"].astype(object)) == names(agent)
    assert names(led["rep"].astype(object)) == names(agent)
    assert names(agent).count(None) == 4  # row 2: opportunity, proposal, concession, won
    assert led.loc[ev["row"].to_numpy() == 2, "rep"].isna().all()  # no agent: no rep, none made up
    owners = goodwill.account_owners(r.ledger)
    assert owners.loc["Acme", "unattributed_deals"] == 1 and owners.loc["Acme", "deals"] == 2


def test_crm_unknown_margin_is_na_and_known_margin_is_a_number():
    costed = PRODUCTS.assign(unit_cost=[3000.0, 40.0])
    r = crm([deal("A1", value=4000.0), deal("A2", product="MG Special", value=50.0)], products=costed)
    won = r.events[r.events["kind"] == "deal_won"].set_index("row")["detail"]
    assert won.loc[0] == 2500 and won.loc[1] == 2000
    r2 = crm([deal("A1", value=4000.0)])
    assert r2.events.loc[r2.events["kind"] == "deal_won", "detail"].isna().all()
    assert "<NA>" in r2.events.to_string()


def test_export_reps_and_owners(export):
    _, raw, result = export
    ev = result.events
    agents = raw["sales_agent"].to_numpy(dtype=object)[ev["row"].to_numpy()]
    reps = ev["rep"].astype(object).to_numpy()
    assert (reps == agents).all()  # every event of the export names its agent
    assert set(result.ledger.rep_names) == set(raw["sales_agent"].dropna())
    kinds = ev["kind"].astype(str)
    assert (kinds == "meeting").sum() == 0
    imported = result.opportunities[result.opportunities["status"] == "imported"]
    opened = imported["engage_date"].notna() & (imported["deal_stage"] != "Prospecting")
    assert (kinds == "opportunity").sum() == opened.sum()
    owners = goodwill.account_owners(result.ledger)
    assert len(owners) == result.ledger.n_customers
    assert ((owners["owner"].notna()) == (owners["owner_share"] > 0.5)).all()
    # on this export, accounts are shared: most have no majority owner, and say so
    no_owner = owners["owner"].isna()
    assert no_owner.any()
    assert owners.loc[no_owner, "owner_note"].str.match(r"no majority \(top: .+ \d+% of \d+ deals").all()


def test_from_events_with_a_rep_column():
    df = pd.DataFrame(
        {
            "acct": ["a", "a", "b"],
            "day": [0.0, 1.0, 2.0],
            "what": ["proposal", "deal_won", "deal_lost"],
            "who": ["Ann", None, "Bob"],
        }
    )
    led = from_events(df, {"customer": "acct", "time": "day", "kind": "what", "rep": "who"})
    assert led.rep_names == ["Ann", "Bob"]
    assert led.to_numpy()["rep"].tolist() == [0, 0xFFFFFFFF, 1]
    assert led.to_pandas()["detail"].isna().tolist() == [False, True, False]  # a won deal without margin: <NA>
    # a column called "rep" is read without naming it; a named one must exist
    assert from_events(df.rename(columns={"who": "rep"}), {"customer": "acct", "time": "day", "kind": "what"}).has_reps
    with pytest.raises(goodwill.InvalidInputError, match="field 'rep'"):
        from_events(df, {"customer": "acct", "time": "day", "kind": "what", "rep": "owner"})
    with pytest.raises(goodwill.InvalidInputError, match="row 1, field 'rep'"):
        from_events(df.assign(who=["Ann", 3, "Bob"]), {"customer": "acct", "time": "day", "kind": "what", "rep": "who"})


def test_crm_import_round_trips_through_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    r = crm([deal("A1", agent="Ann"), deal("A2", agent="Bob", stage="Lost", value=0), deal("A3", agent=None)])
    path = tmp_path / "crm.parquet"
    r.ledger.save(path)
    back = goodwill.Ledger.load(path)
    assert back == r.ledger and back.rep_names == ["Ann", "Bob"]


# ---- the importer's tables -------------------------------------------------------


def _one_row() -> pd.DataFrame:
    return pd.DataFrame({"opportunity_id": ["A1"], "sales_agent": ["Ann"], "product": ["GTX Pro"],
                         "account": ["Acme"], "deal_stage": ["Won"], "engage_date": ["2024-01-02"],
                         "close_date": ["2024-02-01"], "close_value": [100.0]})


@pytest.mark.parametrize("field", [f.name for f in goodwill.io._PIPELINE_FIELDS if f.required])
def test_each_required_field_of_the_table_is_required(field):
    column = "account" if field == "customer" else field
    with pytest.raises(goodwill.InvalidInputError) as info:
        from_crm_opportunities(_one_row().drop(columns=column))
    assert (info.value.field, info.value.row) == (column, None)


@pytest.mark.parametrize("field", [f.name for f in goodwill.io._PIPELINE_FIELDS if not f.required])
def test_each_optional_field_of_the_table_may_be_absent(field):
    crm = from_crm_opportunities(_one_row().drop(columns=field), customer="opportunity_id")
    assert len(crm.rejected) == 0


def test_the_deal_stage_spellings_of_the_table_are_read():
    stages = next(f for f in goodwill.io._PIPELINE_FIELDS if f.name == "deal_stage").spellings
    assert stages is goodwill.io.DEAL_STAGES
    pipe = pd.concat([_one_row()] * len(stages), ignore_index=True)
    pipe["opportunity_id"] = [f"A{i}" for i in range(len(pipe))]
    pipe["deal_stage"] = [s.upper() for s in stages]
    crm = from_crm_opportunities(pipe)
    assert list(crm.opportunities["deal_stage"]) == list(stages.values())


def test_the_datasets_spellings_live_in_their_own_module():
    from goodwill import _crm_dataset

    assert goodwill.io.SECTOR_SPELLING is _crm_dataset.SECTOR_SPELLING
    assert goodwill.io.LOCATION_SPELLING is _crm_dataset.LOCATION_SPELLING
    accounts = pd.DataFrame({"account": ["Acme"], "sector": ["Technolgy"], "office_location": ["Philipines"]})
    crm = from_crm_opportunities(_one_row(), accounts=accounts)
    assert crm.accounts.loc["Acme", ["sector", "office_location"]].tolist() == ["technology", "Philippines"]
    assert list(crm.repairs["action"]) == ["set to 'technology' (goodwill.io.SECTOR_SPELLING)",
                                           "set to 'Philippines' (goodwill.io.LOCATION_SPELLING)"]
