"""Negotiations per second: goodwill (Python batch API and one-by-one sessions)
against NegMAS's SAOMechanism, same scenarios, same run.

Boulware against conceder with a 100-round deadline on the Genius Laptop and
ItexvsCypress scenarios (../shared/data/genius), both Genius-normalised.
NegMAS's time-based curve is 1 - t^e (e = 4 Boulware, 0.25 conceder); the
same curves in Faratin's form f(t) = t^(1/e) are e = 0.25 and 4, which is
what goodwill runs. NegMAS is a benchmark-only peer: ``pip install negmas``.

Run after ``pip install .``: ``python benchmarks/negotiation_vs_negmas.py``
(``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from datetime import date
from pathlib import Path

import goodwill
import numpy as np
from goodwill import negotiation as neg

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"
SCENARIOS = {
    "Laptop": ("Laptop-C-domain.xml", "Laptop-C-prof1.xml", "Laptop-C-prof2.xml"),
    "ItexvsCypress": ("ItexvsCypress_domain.xml", "ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml"),
}


def goodwill_batch(sc: neg.Scenario, n: int, threads: int) -> tuple[float, float]:
    strategies = {"boulware": neg.time_dependent(0.25, name="boulware"), "conceder": neg.time_dependent(4.0, name="conceder")}
    seeds = range(n // 2)  # both orders x n/2 seeds = n sessions
    t0 = time.perf_counter()
    frame = neg.run_batch({sc.name: sc}, strategies, seeds, n_steps=100, threads=threads,
                          pairs=[("boulware", "conceder"), ("conceder", "boulware")])
    dt = time.perf_counter() - t0
    bc = frame[(frame["first"] == "boulware") & (frame["second"] == "conceder")]
    return len(frame) / dt, float(bc["rounds"].mean())


def goodwill_sessions(sc: neg.Scenario, n: int) -> float:
    a, b = neg.time_dependent(0.25), neg.time_dependent(4.0)
    t0 = time.perf_counter()
    for _ in range(n):
        neg.run_session(sc, a, b, n_steps=100)
    return n / (time.perf_counter() - t0)


def negmas_sessions(folder: Path, n: int) -> tuple[float, float, object]:
    from negmas import SAOMechanism
    from negmas.inout import Scenario
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator

    s = Scenario.from_genius_folder(folder, ignore_discount=True)
    s = s.normalize()
    steps = []
    t0 = time.perf_counter()
    for _ in range(n):
        m = SAOMechanism(outcome_space=s.outcome_space, n_steps=100)
        m.add(BoulwareTBNegotiator(name="boulware"), ufun=s.ufuns[0])
        m.add(ConcederTBNegotiator(name="conceder"), ufun=s.ufuns[1])
        st = m.run()
        steps.append(st.step)
    dt = time.perf_counter() - t0
    return n / dt, float(np.mean(steps)), st.agreement


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    n_negmas = 10 if args.quick else 50
    n_batch = 2_000 if args.quick else 40_000
    n_single = 200 if args.quick else 2_000
    print(f"# negotiation_vs_negmas {date.today()} {platform.machine()} {os.cpu_count()} cores, goodwill {goodwill.__version__}")
    try:
        import negmas

        have_negmas = True
        print(f"# negmas {negmas.__version__}")
    except ImportError as exc:  # pragma: no cover - environment dependent
        have_negmas = False
        print(f"# negmas unavailable: {exc!r}")
    for name, (dom, p1, p2) in SCENARIOS.items():
        folder = DATA / name
        if not folder.is_dir():
            print(f"{name}: ../shared/data/genius not found, skipped")
            continue
        sc = neg.load_genius_scenario(folder / dom, folder / p1, folder / p2, name=name)
        batch2, rounds = goodwill_batch(sc, n_batch, threads=2)
        batch1, _ = goodwill_batch(sc, n_batch, threads=1)
        single = goodwill_sessions(sc, n_single)
        line = (f"{name:<14} goodwill batch 2 threads {batch2:12,.0f}/s  1 thread {batch1:12,.0f}/s  "
                f"run_session {single:9,.0f}/s  (mean rounds {rounds:.1f})")
        if have_negmas:
            theirs, steps, _ = negmas_sessions(folder, n_negmas)
            line += (f"  NegMAS SAOMechanism {theirs:7.1f}/s (mean steps {steps:.1f})"
                     f"  ratio batch(2t) {batch2 / theirs:9,.0f}x  batch(1t) {batch1 / theirs:9,.0f}x"
                     f"  run_session {single / theirs:7,.0f}x")
        print(line)


if __name__ == "__main__":
    main()
