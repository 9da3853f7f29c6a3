"""goodwill.simulate against a vectorised NumPy simulation of a simplified market.

Both sides simulate the same number of customer slots for the same months in
this process. The NumPy side is the usual way to write such a simulation in
a notebook: one array per state variable, one pass over all customers per
month (Beta trust evidence with forgetting, meetings, purchases, deals
priced from a (type, trust band, quote band) table, service issues,
referrals, churn and win-back). It is *simpler* than goodwill's (no ledger,
no promises, no firing rules, no per-event trust updates), so the ratio
understates the difference in work done. Memory: peak RSS of a fresh process
per market size (``--memory``), to check it grows linearly with customers.

Run after ``pip install .``: ``python benchmarks/simulation_vs_numpy.py``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date

import goodwill
import numpy as np


def numpy_market(customers: int, months: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = customers
    mix = np.array([0.35, 0.25, 0.10, 0.10, 0.20])
    typ = rng.choice(5, size=n, p=mix)
    deals_pm = np.array([3, 4, 2.5, 2, 3])[typ] / 12
    size = np.array([20000, 8000, 25000, 30000, 10000.0])[typ]
    margin = np.array([0.35, 0.22, 0.20, 0.25, 0.30])[typ]
    purch_pm = np.array([4, 1, 0.5, 0.2, 8])[typ] / 12
    quote_p = np.array([0.15, 0.80, 0.50, 0.90, 0.30])[typ]
    churn_pm = np.array([0.05, 0.35, 0.25, 0.40, 0.08])[typ] / 12
    ret_pm = np.array([0.08, 0.06, 0.03, 0.02, 0.08])[typ]
    # relative price by (trust band, quote band): a stand-in for the negotiated scripts
    price = np.array([[0.95, 0.88, 0.80], [1.0, 0.9, 0.82], [1.05, 0.95, 0.85]])
    active = rng.random(n) < 0.6
    alpha = np.ones(n)
    beta = np.ones(n)
    decay = 2.0 ** (-30.4375 / 180.0)
    out = {k: np.zeros(months) for k in ("revenue", "gross_margin", "cost", "active", "churned", "won_back", "trust_sum")}
    for m in range(months):
        alpha = 1.0 + (alpha - 1.0) * decay
        beta = 1.0 + (beta - 1.0) * decay
        trust = alpha / (alpha + beta)
        meet = active & (rng.random(n) < 30.4375 / 30)
        alpha += 0.5 * meet
        buy = active & (rng.random(n) < np.minimum(1, purch_pm * (0.5 + trust)))
        rev = np.where(buy, size * 0.2, 0.0)
        gm = rev * margin
        deal = active & (rng.random(n) < deals_pm)
        quote = deal & (rng.random(n) < quote_p)
        qb = np.where(quote, 1 + (rng.random(n) < 0.5), 0)
        tb = np.digitize(trust, [0.4, 0.65])
        list_price = size * np.exp(0.4 * rng.standard_normal(n))
        won = deal & (rng.random(n) < 0.7)
        p = price[tb, qb]
        rev_deal = np.where(won, list_price * p, 0.0)
        rev += rev_deal
        gm += np.where(won, list_price * (p - (1 - margin)), 0.0)
        alpha += 1.0 * won
        beta += 0.5 * quote + 0.25 * (deal & ~won)
        issue = active & (rng.random(n) < 0.06)
        beta += 2.0 * issue
        cost = 225.0 * meet + 250.0 * issue + 100.0 * deal * (1 + quote)
        trust = alpha / (alpha + beta)
        churn = active & (rng.random(n) < churn_pm * 2 * (1 - trust))
        back = ~active & (rng.random(n) < ret_pm)
        beta += 3.0 * churn
        alpha += 1.0 * back
        active = (active & ~churn) | back
        out["revenue"][m] = rev.sum()
        out["gross_margin"][m] = gm.sum()
        out["cost"][m] = cost.sum()
        out["active"][m] = active.sum()
        out["churned"][m] = churn.sum()
        out["won_back"][m] = back.sum()
        out["trust_sum"][m] = trust[active].sum()
    return out


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def peak_rss_mb(customers: int, months: int, ledger: bool) -> float:
    """Growth of the peak RSS of a fresh process across one simulate() call."""
    code = (
        "import resource, goodwill\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"goodwill.simulate('trust_builder', customers={customers}, months={months}, seed=1, threads=2, ledger={ledger})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory", action="store_true", help="also measure peak RSS at 1x, 2x, 4x customers")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    if a.quick:
        a.customers = 20_000
    n, m = a.customers, a.months
    cm = n * m
    print(f"# {date.today()} {platform.node()} {platform.processor() or platform.machine()} "
          f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f}")
    if a.memory:
        # First, while this process is small: Linux children inherit the
        # parent's peak RSS as their starting ru_maxrss.
        for k in (1, 2, 4):
            print(f"peak RSS growth, {k * n // 4:,} customers x {m} months with ledger: "
                  f"{peak_rss_mb(k * n // 4, m, True):.0f} MB; metrics only: {peak_rss_mb(k * n // 4, m, False):.0f} MB")
    ours = best_of(lambda: goodwill.simulate("trust_builder", customers=n, months=m, seed=1, threads=a.threads, ledger=False))
    ours_ledger = best_of(lambda: goodwill.simulate("trust_builder", customers=n, months=m, seed=1, threads=a.threads), repeat=1)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    goodwill.simulate("trust_builder", customers=n, months=m, seed=1, threads=1, ledger=False)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu_one = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    theirs = best_of(lambda: numpy_market(n, m, 1))
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    numpy_market(n, m, 1)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu_numpy = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(f"simulate (metrics only, {a.threads} threads)  {cm:,} customer-months  {ours * 1e3:8.1f} ms  {cm / ours / 1e6:6.1f} M customer-months/s")
    print(f"simulate (with ledger, {a.threads} threads)   {cm:,} customer-months  {ours_ledger * 1e3:8.1f} ms  {cm / ours_ledger / 1e6:6.1f} M customer-months/s")
    print(f"simulate (1 thread, CPU time)           {cm / cpu_one / 1e6:6.1f} M customer-months per CPU-second")
    print(f"numpy simplified market (1 process)     {cm:,} customer-months  {theirs * 1e3:8.1f} ms  {cm / theirs / 1e6:6.1f} M customer-months/s")
    print(f"numpy simplified market (CPU time)      {cm / cpu_numpy / 1e6:6.1f} M customer-months per CPU-second")
    print(f"ratio numpy / goodwill (metrics only, wall, goodwill on {a.threads} threads): {theirs / ours:.1f}x")
    print(f"ratio numpy / goodwill per CPU-second (1 thread each): {cpu_numpy / cpu_one:.1f}x")


if __name__ == "__main__":
    main()
