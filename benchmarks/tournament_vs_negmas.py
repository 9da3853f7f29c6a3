"""Tournament throughput: goodwill.negotiation.tournament against NegMAS's
cartesian_tournament, same strategies, same scenarios, same run.

Boulware, conceder and linear time-based strategies (NegMAS's
BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator; goodwill's
time_dependent with e = 0.25, 4 and 1, the same curves in Faratin's form, see
negotiation_vs_negmas.py) on the Genius Laptop and ItexvsCypress scenarios
(../shared/data/genius), 100 rounds, self-play included. NegMAS rotates the
preferences (2 x scenarios x 3^2 x repetitions sessions); goodwill runs each
ordered pair on each scenario (3^2 x scenarios x seeds sessions), so goodwill
is given 2 x repetitions seeds: both run the same number of sessions. NegMAS
runs serially in-process (njobs=-1), no files or plots.

The machine is shared and noisy: the three measurements (NegMAS, goodwill on
one thread, on two) are interleaved, repeated, and their medians reported.

Run after ``pip install .`` and ``pip install negmas``:
``python benchmarks/tournament_vs_negmas.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import goodwill
from goodwill import negotiation as neg

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"
SCENARIOS = {
    "Laptop": ("Laptop-C-domain.xml", "Laptop-C-prof1.xml", "Laptop-C-prof2.xml"),
    "ItexvsCypress": ("ItexvsCypress_domain.xml", "ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml"),
}


def negmas_run(reps: int) -> tuple[float, int, list[str]]:
    from negmas.inout import Scenario
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator
    from negmas.tournaments.neg import cartesian_tournament

    scenarios = [Scenario.from_genius_folder(DATA / n, ignore_discount=True).normalize() for n in SCENARIOS]
    t0 = time.perf_counter()
    r = cartesian_tournament(
        competitors=[BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator], scenarios=scenarios,
        n_repetitions=reps, n_steps=100, njobs=-1, verbosity=0, path=None, plot_fraction=0.0,
        save_stats=False, save_scenario_figs=False, self_play=True, rotate_ufuns=True,
    )
    dt = time.perf_counter() - t0
    order = [str(s).replace("TBNegotiator", "").lower() for s in r.final_scores["strategy"]]
    return dt, len(r.details), order


def goodwill_run(seeds: int, threads: int) -> tuple[float, int, list[str]]:
    scenarios = {n: neg.load_genius_scenario(DATA / n / d, DATA / n / a, DATA / n / b, name=n)
                 for n, (d, a, b) in SCENARIOS.items()}
    strategies = {"boulware": neg.time_dependent(0.25), "conceder": neg.time_dependent(4.0),
                  "linear": neg.time_dependent(1.0)}
    t0 = time.perf_counter()
    r = neg.tournament(strategies, scenarios, seeds=seeds, n_steps=100, threads=threads)
    dt = time.perf_counter() - t0
    return dt, len(r.sessions), list(r.ranking["strategy"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import negmas

    reps = 1 if args.quick else 3
    repeats = 1 if args.quick else args.repeats
    big = 2_000 if args.quick else 5_000  # goodwill's own, larger tournament (seeds)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# tournament_vs_negmas {stamp} {platform.machine()} {platform.processor() or ''} "
          f"{os.cpu_count()} cores (shared), Python {platform.python_version()}, goodwill {goodwill.__version__}, "
          f"negmas {negmas.__version__}; repeats {repeats}, interleaved, medians")
    rates: dict[str, list[float]] = {"negmas": [], "gw1": [], "gw2": [], "gw1_big": [], "gw2_big": []}
    sizes: dict[str, int] = {}
    orders: dict[str, list[str]] = {}
    for _ in range(repeats):
        dt, n, orders["negmas"] = negmas_run(reps)
        rates["negmas"].append(n / dt)
        sizes["negmas"] = n
        for key, seeds, threads in (("gw1", 2 * reps, 1), ("gw2", 2 * reps, 2), ("gw1_big", big, 1),
                                    ("gw2_big", big, 2)):
            dt, n, orders["goodwill"] = goodwill_run(seeds, threads)
            rates[key].append(n / dt)
            sizes[key] = n
    med = {k: statistics.median(v) for k, v in rates.items()}
    print(f"NegMAS cartesian_tournament: {sizes['negmas']} sessions, {med['negmas']:,.1f} sessions/s "
          f"(runs {', '.join(f'{x:,.1f}' for x in rates['negmas'])}); ranking {orders['negmas']}")
    for key, label in (("gw1", "1 thread"), ("gw2", "2 threads"), ("gw1_big", "1 thread"), ("gw2_big", "2 threads")):
        print(f"goodwill tournament {label:<9} {sizes[key]:>7} sessions: {med[key]:12,.0f} sessions/s "
              f"= {med[key] / med['negmas']:9,.0f}x NegMAS (runs {', '.join(f'{x:,.0f}' for x in rates[key])})")
    print(f"goodwill ranking {orders['goodwill']}")


if __name__ == "__main__":
    main()
