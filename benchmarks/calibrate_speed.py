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
    ap.add_argument("--deals-only", action="store_true",
                    help="keep only proposals, deals and concessions (a CRM export's view)")
    a = ap.parse_args()
    if a.deals_only:
        # a deals-only ledger keeps about 17 of the 73 events per customer
        full = goodwill.synthetic_market(max(100, a.events // 17), years=3, seed=7).ledger.to_pandas()
        keep = full["kind"].isin(["proposal", "deal_won", "deal_lost", "concession"])
        ledger = goodwill.Ledger.from_frame(full[keep].reset_index(drop=True))
    else:
        # about 72 events per customer over three years with the default table
        ledger = goodwill.synthetic_market(max(100, a.events // 72), years=3, seed=7).ledger
    # deals only: with and without the moment polish, interleaved
    variants = [True, False] if a.deals_only else [True]
    times: dict[bool, list[float]] = {v: [] for v in variants}
    cals: dict[bool, goodwill.Calibration] = {}
    for _ in range(a.repeat):
        for v in variants:
            t0 = time.perf_counter()
            cals[v] = goodwill.calibrate_market(ledger, threads=a.threads, polish=v)
            times[v].append(time.perf_counter() - t0)
    print(f"{platform.node()} {platform.machine()}, load average {os.getloadavg()}")
    for v in variants:
        cal, ts = cals[v], times[v]
        print(
            f"calibrate_market{'' if v else ' (polish=False)'}: {len(ledger):,} events, {cal.customers:,} customers, "
            f"threads {a.threads}: median {statistics.median(ts):.1f} s over {a.repeat} "
            f"({', '.join(f'{t:.1f}' for t in ts)}); {cal.iterations} corrections ({cal.stop_reason}, "
            f"best {cal.best_iteration}, gap {cal.corrections_gap if a.deals_only else cal.gap:.2g}); "
            f"polish steps {cal.polish_steps}; p = {cal.p_value:.3g}"
        )


if __name__ == "__main__":
    main()
