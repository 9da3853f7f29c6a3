"""goodwill's Python benchmarks: goodwill and a peer on the same input, one run.

Each comparison builds its input once, times both sides on it in this
process and prints the ratio. Run with ``make bench`` (or directly, after
``pip install .``); ``--quick`` shrinks the inputs for a smoke run.
Figures worth keeping go to benchmarks/RESULTS.md with machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date
from typing import Callable

import goodwill
import numpy as np
import pandas as pd


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def report(name: str, n: int, ours: float, peer_name: str, theirs: float) -> None:
    print(
        f"{name:<38} n={n:>11,}  goodwill {ours * 1e3:9.1f} ms ({n / ours / 1e6:7.1f} M/s)  "
        f"{peer_name} {theirs * 1e3:9.1f} ms  ratio {theirs / ours:6.1f}x"
    )


def event_frame(n: int, customers: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kinds = np.array(goodwill.EVENT_KINDS)
    return pd.DataFrame(
        {
            "customer": rng.integers(0, customers, n),
            "time": np.sort(rng.uniform(0, 3650, n)),
            "kind": kinds[rng.integers(0, 11, n)],  # kinds with non-negative amounts only
            "amount": rng.uniform(0, 10_000, n).round(2),
            "detail": rng.integers(0, 10, n, dtype=np.int32),
        }
    )


def pandas_ingest(df: pd.DataFrame) -> pd.DataFrame:
    """The pandas way of doing what Ledger(df) does: validate and encode."""
    kinds = pd.Categorical(df["kind"], categories=list(goodwill.EVENT_KINDS))
    if (kinds.codes < 0).any():
        raise ValueError("unknown kind")
    if not np.isfinite(df["time"].to_numpy()).all() or not np.isfinite(df["amount"].to_numpy()).all():
        raise ValueError("non-finite")
    if (df["amount"].to_numpy() < 0).any():
        raise ValueError("negative")
    codes, _ = pd.factorize(df["customer"])
    return pd.DataFrame(
        {"customer": codes.astype(np.uint32), "time": df["time"], "kind": kinds, "amount": df["amount"], "detail": df["detail"]}
    )


def bench_ingest(n: int) -> None:
    df = event_frame(n, max(n // 50, 1))
    ours = best_of(lambda: goodwill.Ledger(df))
    theirs = best_of(lambda: pandas_ingest(df))
    report("ledger ingest (validate + encode)", n, ours, "pandas", theirs)


# Per-mille shares of kinds in a CRM-like stream (as in bench_replay.cpp).
_KIND_MIX = {
    "lead": 20, "meeting": 190, "discovery": 80, "proposal": 100, "competitor_quote": 50,
    "concession": 50, "price_match": 40, "scope_change": 10, "alternative_offered": 10,
    "deal_won": 60, "deal_lost": 30, "purchase": 230, "service_issue": 30, "promise_kept": 40,
    "promise_broken": 10, "referral_given": 10, "walk_away": 5, "fire": 1, "churn": 3,
    "return": 2, "support": 29,
}


def crm_like_columns(n: int, customers: int, seed: int = 7) -> dict[str, np.ndarray]:
    """Events in time order across customers (as a CRM export arrives)."""
    rng = np.random.default_rng(seed)
    names = list(_KIND_MIX)
    p = np.array([_KIND_MIX[k] for k in names], dtype=float)
    codes = np.array([goodwill.EVENT_KINDS.index(k) for k in names], dtype=np.uint8)
    return {
        "customer": rng.integers(0, customers, n, dtype=np.int64),
        "time": np.linspace(0.0, 3650.0, n),
        "kind": codes[rng.choice(len(names), n, p=p / p.sum())],
        "amount": rng.integers(0, 10_000, n).astype(np.float64),
    }


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def pandas_trust_fold(df: pd.DataFrame, trust: goodwill.TrustParams) -> pd.Series:
    """The straightforward pandas way: group by customer, loop over each group's events."""
    pos = np.array([trust.positive.get(k, 0.0) for k in goodwill.EVENT_KINDS])
    neg = np.array([trust.negative.get(k, 0.0) for k in goodwill.EVENT_KINDS])
    a0, b0, h = trust.prior_alpha, trust.prior_beta, trust.half_life_days
    out = {}
    for customer, g in df.sort_values(["customer", "time"], kind="stable").groupby("customer", sort=False):
        a, b, last = a0, b0, None
        for t, k in zip(g["time"].to_numpy(), g["kind"].to_numpy()):
            if last is not None and t != last:
                d = 2.0 ** (-(t - last) / h)
                a = a0 + (a - a0) * d
                b = b0 + (b - b0) * d
            a += pos[k]
            b += neg[k]
            last = t
        out[customer] = a / (a + b)
    return pd.Series(out)


def bench_replay(n: int, customers: int) -> None:
    cols = crm_like_columns(n, customers)
    model = goodwill.relationship_selling()
    trust = goodwill.TrustParams()
    inf = float("inf")

    # Memory of a stored ledger (RSS growth while it is built).
    before = rss_bytes()
    core_ledger = goodwill._core.Ledger()
    core_ledger._append_int_rows(cols["customer"], cols["time"], cols["kind"], cols["amount"])
    stored = rss_bytes() - before
    del core_ledger

    # C++ path: the core's own entry points, no Python work per call.
    def core_ingest() -> object:
        led = goodwill._core.Ledger()
        led._append_int_rows(cols["customer"], cols["time"], cols["kind"], cols["amount"])
        return led

    t_core_ingest = best_of(core_ingest, 2)
    core_ledger = core_ingest()
    t_core_replay = best_of(lambda led=core_ledger: model._core.replay(led, trust._core(), 1, inf, True), 2)
    del core_ledger

    # Python bulk path: the public API, DataFrame out.
    def py_ingest() -> goodwill.Ledger:
        return goodwill.Ledger().append(cols["customer"], cols["time"], cols["kind"], cols["amount"])

    t_py_ingest = best_of(py_ingest, 2)
    ledger = py_ingest()
    t_py_replay = best_of(lambda: model.replay(ledger, threads=1).snapshot(), 2)
    snapshot = model.replay(ledger, threads=1).snapshot()
    t_py_replay2 = best_of(lambda: model.replay(ledger, threads=2), 2)

    print(f"replay, {n:,} events / {customers:,} customers (default model, 1 thread):")
    print(f"  C++ core   ingest {t_core_ingest:7.2f} s  replay {t_core_replay:7.2f} s  "
          f"= {n / t_core_replay / 1e6:6.1f} M events/s replay")
    print(f"  Python API ingest {t_py_ingest:7.2f} s  replay+snapshot {t_py_replay:7.2f} s  "
          f"= {n / t_py_replay / 1e6:6.1f} M events/s;  2 threads {n / t_py_replay2 / 1e6:6.1f} M events/s")
    print(f"  Python/C++ time ratio (ingest + replay): "
          f"{(t_py_ingest + t_py_replay) / (t_core_ingest + t_core_replay):.2f}x")
    order = 4 * n + 8 * (customers + 1)  # uint32 per event + uint64 offset per customer
    print(f"  memory: {stored / n:.1f} bytes/event stored (RSS growth), "
          f"{(stored + order) / n:.1f} with the cached reading order")

    df = pd.DataFrame({"customer": cols["customer"], "time": cols["time"], "kind": cols["kind"]})
    t0 = time.perf_counter()
    folded = pandas_trust_fold(df, trust)
    t_pandas = time.perf_counter() - t0
    ours = snapshot["trust"].reindex(folded.index).to_numpy()
    agree = np.allclose(ours, folded.to_numpy(), rtol=1e-12, atol=1e-12)
    report("trust fold (replay vs pandas groupby loop)", n, t_py_replay, "pandas", t_pandas)
    print(f"  trust values agree with the pandas fold: {agree}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke run")
    args = parser.parse_args()
    scale = 1 if args.quick else 20
    print(f"goodwill {goodwill.__version__}, {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {date.today()}")
    bench_ingest(250_000 * scale)
    if args.quick:
        bench_replay(1_000_000, 20_000)
    else:
        bench_replay(50_000_000, 1_000_000)


if __name__ == "__main__":
    main()
