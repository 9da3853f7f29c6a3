"""The HTML report: sections, embedded plots, the CLI, and a real browser render."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import goodwill
import pandas as pd
import pytest
from goodwill.report import SECTIONS

SECTION_IDS = [sid for sid, _, _ in SECTIONS]


@pytest.fixture(scope="module")
def small_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "r.html"
    return goodwill.report(None, out, customers=300, years=2, seed=5, threads=1)


def test_default_report_has_every_section_and_embeds_its_plots(small_report: Path) -> None:
    text = small_report.read_text(encoding="utf-8")
    for sid in SECTION_IDS:
        if sid != "data-quality":
            assert f'<section id="{sid}">' in text, sid
    assert "the data did not come from a CRM import" in text
    # self-contained: plots are data URIs, nothing is fetched
    assert "src=\"http" not in text and "href=\"http" not in text
    plots = re.findall(r'<img class="plot"[^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(plots) >= 3
    assert "300 customers" in text


def test_report_counts_match_the_ledger(tmp_path: Path) -> None:
    market = goodwill.synthetic_market(n_customers=200, years=2, seed=11)
    path = goodwill.report(market, tmp_path / "m.html", threads=1)
    text = path.read_text(encoding="utf-8")
    led = market.ledger.to_pandas()
    won = int((led["kind"] == "deal_won").sum())
    lost = int((led["kind"] == "deal_lost").sum())
    assert f"{won:,} won, {lost:,} lost" in text
    assert f"{len(market.ledger):,} events" in text


def test_section_that_does_not_apply_is_listed_with_its_reason(tmp_path: Path) -> None:
    events = pd.DataFrame(
        {"customer": ["a", "a", "b"], "time": [0.0, 1.0, 2.0], "kind": ["lead", "meeting", "meeting"]}
    )
    text = goodwill.report(events, tmp_path / "e.html", threads=1).read_text(encoding="utf-8")
    assert 'id="not-applicable"' in text
    assert "no deal was won or lost" in text
    assert '<section id="overview">' in text


def test_report_from_the_crm_export(shared_data: Path, tmp_path: Path) -> None:
    crm_dir = shared_data / "crm_sales_opportunities"
    text = goodwill.report(crm_dir, tmp_path / "crm.html", threads=1).read_text(encoding="utf-8")
    assert '<section id="data-quality">' in text
    assert "85 customers" in text  # the export's 85 accounts
    assert "4,238 won, 2,473 lost" in text  # deal_stage counts of sales_pipeline.csv
    # trust is fitted and validated; on this export it does not beat the
    # portfolio rate, and the report says so instead of trusting the defaults
    assert "Trust: fitted and validated" in text
    assert "does not predict the next outcome better than the portfolio rate" in text
    assert "Relationship states in this report use the default weights, since the fit did not validate" in text
    assert "Not shown: per-customer trust values" in text
    # account health: the one FDR-controlled flag (Doncon's short cycle time), no salesperson
    assert "Accounts and salespeople that stand out" in text
    assert "No salesperson stands out" in text


def test_bad_source_is_named(tmp_path: Path) -> None:
    with pytest.raises(goodwill.InvalidInputError, match="source"):
        goodwill.report(tmp_path / "missing", tmp_path / "x.html")
    with pytest.raises(TypeError, match="source must be"):
        goodwill.report(42, tmp_path / "x.html")  # type: ignore[arg-type]


def test_cli_writes_the_report_and_shows_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from goodwill.cli import main

    out = tmp_path / "cli.html"
    assert main(["report", "-o", str(out), "--customers", "150", "--years", "1", "--threads", "1"]) == 0
    captured = capsys.readouterr()
    assert "report written to" in captured.out and str(out.resolve()) in captured.out
    assert f"{len(SECTIONS) + 3}/{len(SECTIONS) + 3}" in captured.err  # the progress bar finished
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert "neither a CRM export folder" in capsys.readouterr().err


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_report_renders_in_headless_chromium(small_report: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no chromium on this machine (make test installs Debian's chromium)")
    proc = subprocess.run(  # noqa: PLW1510 - the return code is asserted below
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            small_report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    root = re.search(r"<html[^>]*>", dom)
    assert root is not None, dom[:500]
    attrs = root.group(0)
    assert 'data-status="rendered"' in attrs, attrs
    assert 'data-broken-plots="0"' in attrs and 'data-errors' not in attrs
    assert f'data-sections="{len(SECTIONS) - 1}"' in attrs  # all but data quality (no CRM)
    for sid in SECTION_IDS:
        assert f'id="{sid}"' in dom or sid == "data-quality"
