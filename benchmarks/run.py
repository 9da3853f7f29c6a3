"""goodwill's Python benchmarks: goodwill and a peer on the same input, one run.

Each comparison builds its input once, times both sides on it in this
process and prints the ratio. Run with ``make bench`` (or directly, after
``pip install .``); ``--quick`` shrinks the inputs for a smoke run.
Figures worth keeping go to benchmarks/RESULTS.md with machine and date.
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

import goodwill


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
    codes, uniques = pd.factorize(df["customer"])
    return pd.DataFrame(
        {"customer": codes.astype(np.uint32), "time": df["time"], "kind": kinds, "amount": df["amount"], "detail": df["detail"]}
    )


def bench_ingest(n: int) -> None:
    df = event_frame(n, max(n // 50, 1))
    ours = best_of(lambda: goodwill.Ledger(df))
    theirs = best_of(lambda: pandas_ingest(df))
    report("ledger ingest (validate + encode)", n, ours, "pandas", theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, for a smoke run")
    args = parser.parse_args()
    scale = 1 if args.quick else 20
    print(f"goodwill {goodwill.__version__}, {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {date.today()}")
    bench_ingest(250_000 * scale)


if __name__ == "__main__":
    main()
