from __future__ import annotations

import goodwill
from goodwill import demo


def test_demo_runs_and_reports_real_numbers(capsys, tmp_path):
    report = tmp_path / "demo.html"
    assert demo.main(["--customers", "300", "--years", "2", "--seed", "5", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert f"is at {report.resolve()}" in out
    assert '<section id="state-flow">' in report.read_text(encoding="utf-8")
    assert "portfolio: 300 customers" in out
    for section in ("state by archetype", "Most common transitions", "transactional spiral"):
        assert section in out
    # the state table's total row counts every customer once
    market = goodwill.synthetic_market(n_customers=300, years=2, seed=5)
    snap = goodwill.relationship_selling().replay(market.ledger).snapshot()
    assert len(snap) == 300
    assert f"{len(market.ledger):,} events" in out
