"""The report's action lists on generated CRM exports: silent on data with no
real differences, complete on data with planted ones; the findings CSV is the
HTML's table; the open pipeline's stall rule and win model."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import goodwill
import goodwill.io as gio
import numpy as np
import pandas as pd
import pytest
from goodwill.report import FINDINGS_COLUMNS

PRODUCTS = pd.DataFrame({"product": ["Alpha", "Beta", "Gamma"], "series": ["A", "B", "C"],
                         "sales_price": [1000.0, 2500.0, 5000.0]})


def _export(folder: Path, **kwargs: Any) -> Path:
    """goodwill.io.synthetic_crm_export: one common process, optional planted effects."""
    return Path(gio.synthetic_crm_export(folder, **kwargs))


def _where_to_act_rows(text: str) -> int:
    m = re.search(r'<section id="where-to-act">(.*?)</section>', text, re.DOTALL)
    assert m is not None
    body = m.group(1).split("<details><summary>All findings")[0]
    return len(re.findall(r"<tr>", body)) - (1 if "<table" in body else 0)


@pytest.mark.parametrize("seed", [1, 2])
def test_no_real_differences_give_an_empty_action_list(tmp_path: Path, seed: int) -> None:
    folder = _export(tmp_path / "null", seed=seed)
    out = goodwill.report(folder, tmp_path / "null.html", threads=1, findings=tmp_path / "f.csv")
    text = out.read_text(encoding="utf-8")
    findings = pd.read_csv(tmp_path / "f.csv")
    flagged = findings[findings["q_value"].notna()]
    assert len(flagged) == 0, flagged
    assert not (findings["action"] == "offer alternatives").any()
    assert not (findings["action"] == "walk away from sale").any()
    assert "Nothing to act on" in text
    assert _where_to_act_rows(text) == 0
    assert "No salesperson stands out" in text


def test_planted_effects_are_listed(tmp_path: Path) -> None:
    folder = _export(tmp_path / "planted", seed=3, discounter=True, declining=True, stalled=12)
    out = goodwill.report(folder, tmp_path / "planted.html", threads=1, findings=tmp_path / "f.csv")
    text = out.read_text(encoding="utf-8")
    findings = pd.read_csv(tmp_path / "f.csv")
    reps = findings[findings["kind"] == "salesperson"]
    assert "Rep 00" in set(reps["key"]), findings
    assert set(reps["key"]) == {"Rep 00"}  # no other salesperson is named
    assert reps["finding"].str.contains("realisation|concession").any()
    accounts = findings[(findings["kind"] == "account") & findings["q_value"].notna()]
    assert "Account 00" in set(accounts["key"])
    assert (accounts["q_value"] <= 0.1).all()
    stalled = findings[(findings["kind"] == "deal") & (findings["action"] == "offer alternatives")]
    assert set(stalled["key"]) == {f"S{i:05d}" for i in range(12)}
    # the short list on the page holds them, and the contents count them
    assert _where_to_act_rows(text) >= 12 + 2
    assert re.search(r"Where to act: \d+ accounts, \d+ deals, 1 salespeople", text)


def test_findings_csv_is_the_html_table(tmp_path: Path) -> None:
    folder = _export(tmp_path / "p", seed=4, discounter=True, stalled=5)
    out = goodwill.report(folder, tmp_path / "r.html", threads=1, findings=tmp_path / "f.csv")
    text = out.read_text(encoding="utf-8")
    findings = pd.read_csv(tmp_path / "f.csv")
    assert list(findings.columns) == FINDINGS_COLUMNS
    m = re.search(r'<table[^>]*id="findings-table">(.*?)</table>', text, re.DOTALL)
    assert m is not None
    body_rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", m.group(1), re.DOTALL)
    assert len(body_rows) == len(findings)
    assert [(k, key) for k, key in body_rows] == list(zip(findings["kind"], findings["key"].astype(str)))


def test_pipeline_stall_rule_and_validation(tmp_path: Path) -> None:
    folder = _export(tmp_path / "s", seed=5, stalled=8)
    crm = gio.from_crm_opportunities(folder / "sales_pipeline.csv", products=folder / "products.csv",
                                     accounts=folder / "accounts.csv")
    pipe = goodwill.open_pipeline(crm)
    d = pipe.deals
    assert len(d) == 208
    # stalled exactly when older than the product's 80th percentile of won cycles
    o = crm.opportunities
    won = o[o["deal_stage"] == "Won"]
    cyc = (pd.to_datetime(won["close_date"]) - pd.to_datetime(won["engage_date"])).dt.days
    q80 = cyc.groupby(won["product"].to_numpy()).quantile(0.8)
    expect = d["age_days"] > d["product"].map(q80)
    assert (d["stalled"] == expect).all()
    assert set(d.index[d["stalled"]]) == {f"S{i:05d}" for i in range(8)}
    v = pipe.validation
    assert v is not None and v.holdout_deals > 100
    # one common process: the model must not claim to beat the portfolio rate
    assert not v.beats_portfolio
    assert np.allclose(d.loc[~d["beyond_history"], "win_probability"], pipe.portfolio_rate)
    assert "portfolio rate" in repr(pipe)
    # the expected value's 90% interval: the Jeffreys interval of the portfolio rate times the value
    ok = ~d["beyond_history"]
    wins = float((o.loc[o["status"] == "imported", "deal_stage"] == "Won").sum())
    assert (d.loc[ok, "expected_value_lower"] < d.loc[ok, "expected_value"]).all()
    assert (d.loc[ok, "expected_value"] < d.loc[ok, "expected_value_upper"]).all()
    width = (d.loc[ok, "expected_value_upper"] - d.loc[ok, "expected_value_lower"]) / d.loc[ok, "value_if_won"]
    closed = pipe.closed_deals
    sd = np.sqrt(pipe.portfolio_rate * (1 - pipe.portfolio_rate) / closed)
    assert np.allclose(width, 2 * 1.645 * sd, rtol=0.05)
    assert wins > 0
    # pursuing against walking away: the gain of a deal to pursue is its expected value
    pursue = d["action"] != "walk_away_from_sale"
    assert np.allclose(d.loc[pursue & ok, "gain"], d.loc[pursue & ok, "expected_value"])
    assert (d.loc[pursue, "next_best"] == "walk_away_from_sale").all()
    # reliability bins cover every held-out snapshot
    assert int(v.reliability["count"].sum()) == v.holdout_snapshots


def test_pipeline_model_beats_the_portfolio_when_salespeople_differ(tmp_path: Path) -> None:
    # win probability driven by the salesperson (0.2 to 0.9): the model must find it
    rng = np.random.default_rng(9)
    n = 4000
    reps = np.array([f"Rep {i}" for i in range(8)])
    rate = dict(zip(reps, np.linspace(0.2, 0.9, 8)))
    rep = rng.choice(reps, n)
    won = rng.random(n) < pd.Series(rep).map(rate).to_numpy()
    engage = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D")
    close = engage + pd.to_timedelta(rng.integers(5, 60, n), unit="D")
    frame = pd.DataFrame({
        "opportunity_id": [f"D{i}" for i in range(n)], "sales_agent": rep, "product": "Alpha",
        "account": rng.choice([f"A{i}" for i in range(30)], n), "deal_stage": np.where(won, "Won", "Lost"),
        "engage_date": engage.strftime("%Y-%m-%d"), "close_date": close.strftime("%Y-%m-%d"),
        "close_value": np.where(won, 1000.0, 0.0),
    })
    crm = gio.from_crm_opportunities(frame, products=PRODUCTS)
    pipe = goodwill.open_pipeline(crm)
    assert pipe.validation is not None and pipe.validation.beats_portfolio
    scores = pipe.validation.scores
    assert scores.loc["model", "auc"] > 0.65
    assert scores.loc["model", "log_loss"] < scores.loc["portfolio_rate", "log_loss"]
    assert pipe.coefficients["salesperson win rate (logit, shrunk)"] > 0.5
    # no open deals here; the interval machinery is checked on the stall case below


def test_pipeline_refuses_what_it_cannot_use() -> None:
    with pytest.raises(goodwill.InvalidInputError, match="crm"):
        goodwill.open_pipeline(pd.DataFrame())
    with pytest.raises(goodwill.InvalidInputError, match="stall_quantile"):
        goodwill.PipelineSettings(stall_quantile=1.5).validate()


def test_policy_comparison_on_a_crm_export_runs_on_the_calibrated_market(tmp_path: Path) -> None:
    """Issue 14 point 4: a CRM export's report compares policies on a market
    calibrated to the export (per deal stream), and says so; it no longer
    answers "not calibrated"."""
    folder = _export(tmp_path / "x", seed=6, deals=600)
    text = goodwill.report(folder, tmp_path / "x.html", threads=1).read_text(encoding="utf-8")
    assert '<section id="policy-comparison">' in text
    assert "A simulated market calibrated to this ledger" in text
    assert "the simulator is not calibrated to this data" not in text
