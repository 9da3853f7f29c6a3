from __future__ import annotations

from goodwill import demo


def test_demo_runs_and_reports_real_numbers(capsys):
    assert demo.main([]) == 0
    out = capsys.readouterr().out
    assert "13 events, 3 customers" in out
    # Acme's won value went through the C++ core and back.
    assert "11500.0" in out
