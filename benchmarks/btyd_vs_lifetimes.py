"""goodwill's buy-till-you-die fits against lifetimes, in the same run.

1. BG/NBD and Pareto/NBD on the CDNOW summary (../shared/data): wall time of
   each fit (median and best of repeated runs in this process, goodwill and
   lifetimes interleaved run by run so that both see the same machine load),
   the ratio of the medians (and of the bests), and both log-likelihoods, each
   evaluated by an independent NumPy/SciPy implementation of the likelihood
   at the parameters each library reached (lifetimes reports its own on
   rescaled time, so its number is not comparable directly).
2. A BG/NBD fit on 10 million customers drawn from the BG/NBD process
   (counter-based random numbers in C++), in a fresh subprocess so that its
   peak RSS is its own: generation time, fit time, peak RSS.

lifetimes is a benchmark-only peer: `pip install lifetimes` (0.11.3 works with
numpy 2 / pandas 3 / scipy 1.17 as long as T is passed as d["T"], not d.T,
which is the transpose in pandas).

Usage: python benchmarks/btyd_vs_lifetimes.py [--customers 10000000] [--skip-lifetimes] [--skip-synthetic]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import goodwill
import numpy as np
import pandas as pd
from scipy import integrate
from scipy.special import betaln, gammaln

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cdnow"


def bg_nbd_ll(p, x, tx, T):
    r, alpha, a, b = p
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    u = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)), -np.inf)
    return float(np.sum(ll + np.logaddexp(0.0, u)))


def pareto_nbd_ll(p, x, tx, T):
    r, alpha, s, beta = p
    total = 0.0
    for xi, ti, Ti in zip(x, tx, T):
        integral = 0.0
        if ti < Ti:
            integral = integrate.quad(lambda u, xi=xi: (alpha + u) ** -(r + xi) * (beta + u) ** -(s + 1), ti, Ti,
                                      epsabs=0, epsrel=1e-12, limit=200)[0]
        first = (alpha + Ti) ** -(r + xi) * (beta + Ti) ** -s
        total += gammaln(r + xi) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + np.log(first + s * integral)
    return float(total)


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def cdnow(skip_lifetimes: bool) -> dict:
    d = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    x, tx, T = d["frequency"], d["recency"], d["T"]
    xa, txa, Ta = (v.to_numpy(float) for v in (x, tx, T))
    out = {}
    for name, ours_cls, ll_fn, repeat_ours, repeat_theirs in (
        ("BG/NBD", goodwill.BetaGeoFitter, bg_nbd_ll, 40, 8),
        ("Pareto/NBD", goodwill.ParetoNBDFitter, pareto_nbd_ll, 40, 8),
    ):
        theirs_cls = None
        if not skip_lifetimes:
            import lifetimes

            theirs_cls = lifetimes.BetaGeoFitter if name == "BG/NBD" else lifetimes.ParetoNBDFitter
        # Interleaved: after each lifetimes fit, repeat_ours / repeat_theirs
        # goodwill fits (a user's call: pandas Series in, fitted params out).
        ours_t, theirs_t, ours, theirs = [], [], None, None
        per_round = max(1, repeat_ours // repeat_theirs)
        for _ in range(repeat_theirs if theirs_cls else 1):
            if theirs_cls is not None:
                t, theirs = timed(lambda cls=theirs_cls: cls().fit(x, tx, T))
                theirs_t.append(t)
            for _ in range(per_round if theirs_cls else repeat_ours):
                t, ours = timed(lambda cls=ours_cls: cls().fit(x, tx, T))
                ours_t.append(t)
        row = {
            "goodwill_median_s": statistics.median(ours_t),
            "goodwill_best_s": min(ours_t),
            "goodwill_runs": len(ours_t),
            "goodwill_params": ours.params_.round(4).to_dict(),
            "goodwill_ll": ll_fn(ours.params_.to_numpy(), xa, txa, Ta),
            "goodwill_ll_reported": ours.log_likelihood_,
        }
        if theirs_cls is not None:
            row.update(
                lifetimes_median_s=statistics.median(theirs_t),
                lifetimes_best_s=min(theirs_t),
                lifetimes_runs=len(theirs_t),
                lifetimes_params=theirs.params_.round(4).to_dict(),
                lifetimes_ll=ll_fn(theirs.params_.to_numpy(), xa, txa, Ta),
                ratio=statistics.median(theirs_t) / statistics.median(ours_t),
                ratio_best=min(theirs_t) / min(ours_t),
            )
        out[name] = row
    return out


def synthetic(n: int) -> dict:
    truth = (0.243, 4.414, 0.793, 2.426)
    T = 26.0 + (np.arange(n) % 53).astype(np.float64)  # 53 weekly cohorts, 26..78 weeks
    t0 = time.perf_counter()
    sample = goodwill.beta_geometric_nbd_model(T, *truth, seed=2026)
    t_gen = time.perf_counter() - t0
    del T
    t0 = time.perf_counter()
    fit = goodwill.BetaGeoFitter().fit(sample["frequency"], sample["recency"], sample["T"])
    t_fit = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "customers": n,
        "generate_s": t_gen,
        "fit_s": t_fit,
        "peak_rss_mb": peak_kb / 1024,
        "params": fit.params_.round(4).to_dict(),
        "standard_errors": fit.standard_errors_.round(5).to_dict(),
        "truth": dict(zip(["r", "alpha", "a", "b"], truth)),
        "converged": fit.converged_,
        "distinct_rows": int(fit._fit["rows"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=10_000_000)
    ap.add_argument("--skip-lifetimes", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true", help="only the CDNOW comparison")
    ap.add_argument("--synthetic-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.synthetic_only:
        print(json.dumps(synthetic(args.customers)))
        return
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    if DATA.is_dir():
        for name, row in cdnow(args.skip_lifetimes).items():
            print(f"\n## {name} on CDNOW (2,357 customers)")
            for k, v in row.items():
                print(f"  {k}: {v:.6f}" if isinstance(v, float) else f"  {k}: {v}")
            if "ratio" in row:
                better = row["goodwill_ll"] >= row["lifetimes_ll"] - 1e-6
                print(f"  => goodwill {row['ratio']:.1f}x faster (medians; bests: {row['ratio_best']:.1f}x); "
                      f"LL at least as good: {better}")
    else:
        print("../shared/data absent: CDNOW comparison skipped")
    if args.skip_synthetic:
        return
    res = subprocess.run([sys.executable, __file__, "--synthetic-only", "--customers", str(args.customers)],
                         capture_output=True, text=True, check=True)
    syn = json.loads(res.stdout.strip().splitlines()[-1])
    print(f"\n## BG/NBD on {syn['customers']:,} synthetic customers")
    for k, v in syn.items():
        print(f"  {k}: {v:.4g}" if isinstance(v, float) else f"  {k}: {v}")


if __name__ == "__main__":
    main()
