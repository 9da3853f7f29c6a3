"""calibrate_market on a 10^6-event ledger (issue 14, point 5: <= 60 s).

Builds a synthetic market of about 10^6 events once (outside the timing),
then times goodwill.calibrate_market on its ledger `--repeat` times with the
given threads and prints the median, the corrections run and why they
stopped. Figures worth keeping go to benchmarks/RESULTS.md with machine,
date and load average.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import goodwill


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000, help="about this many events")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    # about 72 events per customer over three years with the default table
    customers = max(100, a.events // 72)
    ledger = goodwill.synthetic_market(customers, years=3, seed=7).ledger
    times = []
    cal = None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        cal = goodwill.calibrate_market(ledger, threads=a.threads)
        times.append(time.perf_counter() - t0)
    assert cal is not None
    print(f"{platform.node()} {platform.machine()}, load average {os.getloadavg()}")
    print(
        f"calibrate_market: {len(ledger):,} events, {cal.customers:,} customers, threads {a.threads}: "
        f"median {statistics.median(times):.1f} s over {a.repeat} ({', '.join(f'{t:.1f}' for t in times)}); "
        f"{cal.iterations} corrections ({cal.stop_reason}, best {cal.best_iteration}, gap {cal.gap:.2g}); "
        f"p = {cal.p_value:.3g}"
    )


if __name__ == "__main__":
    main()
