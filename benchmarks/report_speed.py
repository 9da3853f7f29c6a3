"""How long the main job takes: goodwill.report on the CRM export and on a
10^6-customer ledger (issue 13, point 7: <= 10 s and <= 2 minutes).

Times each report end to end (load, trust fit, replay, every section, HTML),
`--repeat` times, and prints the median with the per-section split of the
last run. The ledger is built once, outside the timing (a simulated market
saved as a Ledger: the report treats it as a user's ledger, so there is no
policy comparison). The CRM part says "skipped" when ../shared/data is absent.
Figures worth keeping go to benchmarks/RESULTS.md with machine and date.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import goodwill
from goodwill.report import SECTIONS

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "crm_sales_opportunities"


def timed_sections() -> dict[str, float]:
    """Wrap every section builder to record its time (seconds) in the returned dict."""
    spent: dict[str, float] = {}
    wrapped = []
    for sid, title, build in SECTIONS:
        def timed(ctx, build=build, sid=sid):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return build(ctx)
            finally:
                spent[sid] = time.perf_counter() - t0
        wrapped.append((sid, title, timed))
    SECTIONS[:] = wrapped
    return spent


def run(name: str, source: object, repeat: int, threads: int, spent: dict[str, float]) -> None:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            spent.clear()
            t0 = time.perf_counter()
            goodwill.report(source, Path(tmp) / "r.html", threads=threads)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t0)
    split = ", ".join(f"{k} {v:.1f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])[:6])
    print(f"{name}: median {statistics.median(times):.1f} s over {repeat} runs "
          f"[{', '.join(f'{t:.1f}' for t in times)}]; slowest sections (s): {split}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--years", type=float, default=1.0, help="years of the simulated ledger (default 1)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(f"report speed, {date.today()}, {platform.machine()}, {args.threads} threads")
    spent = timed_sections()
    if SHARED.is_dir():
        run("CRM export (85 accounts, 8,800 opportunities)", SHARED, args.repeat, args.threads, spent)
    else:
        print(f"CRM export: skipped ({SHARED} is absent)")
    t0 = time.perf_counter()
    market = goodwill.synthetic_market(n_customers=args.customers, years=args.years, seed=7, threads=args.threads)
    ledger = market.ledger
    print(f"ledger: {args.customers:,} customers, {len(ledger):,} events (built in {time.perf_counter() - t0:.0f} s)")
    run(f"{args.customers:,}-customer ledger", ledger, args.repeat, args.threads, spent)


if __name__ == "__main__":
    main()
