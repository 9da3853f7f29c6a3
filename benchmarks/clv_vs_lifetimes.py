"""The functions added for issue 17 against lifetimes, in the same run.

For every new function lifetimes also has, goodwill and lifetimes are timed
on the same inputs, interleaved call by call (so that both see the same load
of this shared machine), and the medians (and bests) compared; the largest
difference of their results is printed beside the ratio. Functions lifetimes
lacks (DERT, future P(alive), P(no purchase), sBG) are timed against a direct
NumPy/SciPy evaluation of the same closed form, named in the output.

Inputs: the CDNOW summary and transaction log of ../shared/data (2,357
customers; the 39-week calibration fit of Fader, Hardie & Lee 2005).
lifetimes is a benchmark-only peer (pip install lifetimes).

With ``--large N`` (default 100,000; 0 skips) the per-customer functions are
timed again on N customers drawn from the CDNOW parameters, where the peer's
NumPy vectorisation pays most; a last table prints every ratio against the
issue's bar of 50x.

Usage: python benchmarks/clv_vs_lifetimes.py [--rounds 15] [--large 100000] [--large-only]
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import goodwill
import numpy as np
import pandas as pd
from scipy import special

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cdnow"
BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PNBD = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def pnbd_pmf_quad(p, t, n):
    """P(X(t) = n) of the Pareto/NBD (Fader & Hardie 2006, note 012) as the
    integral over the lifetime, by SciPy's quad: NB(n; r, α/(α+t))(β/(β+t))^s
    + (s/β)∫_0^t NB(n; r, α/(α+τ))(β/(β+τ))^(s+1) dτ."""
    from scipy import integrate

    r, al, s, be = p.values()

    def nb(tau):
        return math.exp(special.gammaln(r + n) - special.gammaln(r) - special.gammaln(n + 1)
                        + r * math.log(al / (al + tau)) + n * math.log(tau / (al + tau))) if tau > 0 else float(n == 0)

    tail = integrate.quad(lambda u: nb(u) * (be / (be + u)) ** (s + 1), 0.0, t, epsabs=0, epsrel=1e-12)[0]
    return nb(t) * (be / (be + t)) ** s + s / be * tail


#: Every row compared in this run: (size label, function, goodwill median s, peer median s, peer).
ROWS: list[tuple[str, str, float, float, str]] = []
SIZE = "CDNOW"


DERT_PEER = "NumPy/SciPy FHL 2005b: lifetimes P(alive) x hyperu"


def dert_scipy(lpn, x, tx, T, delta):
    """DERT of Fader, Hardie & Lee (2005b, eq. 2) in NumPy/SciPy, the whole
    closed form (lifetimes has no DERT): P(alive) by lifetimes' Pareto/NBD
    (its hyp2f1 form), times (r+x)/(α+T) · (β+T)^s δ^(s−1) Ψ(s, s; δ(β+T))."""
    r, al, s, be = lpn.params_[["r", "alpha", "s", "beta"]].to_numpy()
    pal = lpn.conditional_probability_alive(x, tx, T)
    return pal * (r + x) / (al + T) * (be + T) ** s * delta ** (s - 1) * special.hyperu(s, s, delta * (be + T))


def compare(name, ours, theirs, rounds, peer="lifetimes"):
    """Interleave the two callables `rounds` times; medians, bests, max |diff|."""
    ours_t, theirs_t = [], []
    a = b = None
    for _ in range(rounds):
        t, b = timed(theirs)
        theirs_t.append(t)
        t, a = timed(ours)
        ours_t.append(t)
    diff = float("nan")
    try:
        diff = float(np.nanmax(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))
    except (TypeError, ValueError):
        pass
    mo, mt = statistics.median(ours_t), statistics.median(theirs_t)
    ROWS.append((SIZE, name, mo, mt, peer))
    print(f"| {name} | {mo * 1e3:.3f} ms | {mt * 1e3:.3f} ms ({peer}) | {mt / mo:.0f}x "
          f"(bests {min(theirs_t) / min(ours_t):.0f}x) | {diff:.1e} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--from-cumulative", action="store_true", help="only expected_cumulative_transactions on")
    ap.add_argument("--large", type=int, default=100_000,
                    help="customers drawn from the fitted models for the per-customer functions (0: skip)")
    ap.add_argument("--large-only", action="store_true", help="only the drawn-customer rows")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import lifetimes
    import lifetimes.utils as lu

    k = args.rounds
    d = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    x, tx, T = d["frequency"], d["recency"], d["T"]
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
          f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"lifetimes {lifetimes.__version__}; {k} interleaved rounds, medians\n")
    print("| function (CDNOW, 2,357 customers) | goodwill | peer | ratio | max abs diff |")
    print("| --- | --- | --- | --- | --- |")

    if args.large_only:
        large(args.large, max(3, k // 3), lifetimes)
        summary()
        return

    # MBG/NBD fit.
    if not args.from_cumulative:
        compare("ModifiedBetaGeoFitter.fit", lambda: goodwill.ModifiedBetaGeoFitter().fit(x, tx, T).params_.to_numpy(),
                lambda: lifetimes.ModifiedBetaGeoFitter().fit(x, tx, T).params_.to_numpy(), max(3, k // 3))

    def with_params(cls, params):
        m = cls()
        m.params_ = pd.Series(params) if cls.__module__.startswith("lifetimes") else params
        return m

    gbg, lbg = with_params(goodwill.BetaGeoFitter, BG), with_params(lifetimes.BetaGeoFitter, BG)
    gmb, lmb = with_params(goodwill.ModifiedBetaGeoFitter, BG), with_params(lifetimes.ModifiedBetaGeoFitter, BG)
    gpn, lpn = with_params(goodwill.ParetoNBDFitter, PNBD), with_params(lifetimes.ParetoNBDFitter, PNBD)

    # Per-customer horizon t (point 1).
    horizon = 78.0 - T
    if not args.from_cumulative:
        for name, g, l in (("BG/NBD", gbg, lbg), ("MBG/NBD", gmb, lmb), ("Pareto/NBD", gpn, lpn)):
            compare(f"{name} conditional expectation, t per customer",
                    lambda g=g: g.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T),
                    lambda l=l: l.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T),
                    k if name != "Pareto/NBD" else max(3, k // 3))
        # MBG/NBD predictions beyond the conditional expectation.
        compare("MBG/NBD conditional_probability_alive",
                lambda: gmb.conditional_probability_alive(x, tx, T),
                lambda: lmb.conditional_probability_alive(x, tx, T), k)
        compare("MBG/NBD expected_number_of_purchases_up_to_time (40 t)",
                lambda: gmb.expected_number_of_purchases_up_to_time(np.arange(40.0)),
                lambda: lmb.expected_number_of_purchases_up_to_time(np.arange(40.0)), k)
        compare("MBG/NBD probability_of_n_purchases_up_to_time (n = 0..9)",
                lambda: [gmb.probability_of_n_purchases_up_to_time(39.0, n) for n in range(10)],
                lambda: [lmb.probability_of_n_purchases_up_to_time(39.0, n) for n in range(10)], k)
        # Pareto/NBD P(n purchases in (T, T+39]).
        for n in (0, 2):
            compare(f"Pareto/NBD P(X(T,T+39)={n} \\| history)",
                    lambda n=n: gpn.conditional_probability_of_n_purchases_up_to_time(n, 39, x, tx, T),
                    lambda n=n: lpn.conditional_probability_of_n_purchases_up_to_time(n, 39, x, tx, T), max(3, k // 3))
        # Alive matrices.
        for name, g, l in (("BG/NBD", gbg, lbg), ("MBG/NBD", gmb, lmb), ("Pareto/NBD", gpn, lpn)):
            compare(f"{name} alive matrix 15x40",
                    lambda g=g: g.conditional_probability_alive_matrix(max_frequency=14, max_recency=39),
                    lambda l=l: l.conditional_probability_alive_matrix(max_frequency=14, max_recency=39),
                    max(3, k // 3) if name == "Pareto/NBD" else k)
    # expected_cumulative_transactions on the full CDNOW log (first 2,357 ids).
    master = pd.read_csv(DATA / "CDNOW_master.txt", sep=r"\s+", header=0,
                         names=["id", "date", "cds", "dollars"], dtype={"id": int, "date": str})
    log = master[master["id"] <= 2357].copy()
    log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
    compare("expected_cumulative_transactions (BG/NBD, 546 days)",
            lambda: goodwill.expected_cumulative_transactions(gbg, log, "date", "id", 546).to_numpy(),
            lambda: lu.expected_cumulative_transactions(lbg, log, "date", "id", 546).to_numpy(), max(3, k // 3))
    # Saved models.
    tmp = Path(tempfile.mkdtemp())

    def ours_save_load():
        gbg.save_model(tmp / "g.pkl")
        return goodwill.BetaGeoFitter().load_model(tmp / "g.pkl").params_.to_numpy()

    def theirs_save_load():
        lbg.save_model(str(tmp / "l.pkl"), save_data=False)
        m = lifetimes.BetaGeoFitter()
        m.load_model(str(tmp / "l.pkl"))
        return m.params_.to_numpy()

    compare("save_model + load_model (BG/NBD)", ours_save_load, theirs_save_load, k)

    # Without a lifetimes counterpart: SciPy of the same closed form.
    xa, txa, Ta = (v.to_numpy(float) for v in (x, tx, T))
    delta = math.log(1.15) / 52
    compare("Pareto/NBD DERT (15%/year)",
            lambda: gpn.discounted_expected_residual_transactions(xa, txa, Ta, delta),
            lambda: dert_scipy(lpn, xa, txa, Ta, delta), k, peer=DERT_PEER)
    compare("Pareto/NBD P(X(39)=n), n = 0..9 (new customer)",
            lambda: [gpn.probability_of_n_purchases_up_to_time(39.0, n) for n in range(10)],
            lambda: [pnbd_pmf_quad(PNBD, 39.0, n) for n in range(10)], max(3, k // 3),
            peer="SciPy quad of the same integral (lifetimes has none)")
    rb, ab, a, b = BG.values()
    compare("BG/NBD P(alive at T+39)",
            lambda: gbg.conditional_probability_alive(xa, txa, Ta, future_t=39.0),
            lambda: lbg.conditional_probability_alive(xa, txa, Ta) * special.hyp2f1(rb + xa, a, a + b + xa,
                                                                                    -39.0 / (ab + Ta)),
            k, peer="lifetimes P(alive) x SciPy hyp2f1")
    compare("BG/NBD P(no purchase in 39)",
            lambda: gbg.expected_probability_no_purchase(39.0, xa, txa, Ta),
            lambda: 1 - lbg.conditional_probability_alive(xa, txa, Ta) * (1 - ((ab + Ta) / (ab + Ta + 39)) ** (rb + xa)),
            k, peer="lifetimes P(alive) x NumPy")
    surv = np.array([1000, 631, 468, 382, 326, 289, 262, 241.0])

    def scipy_sbg():
        from scipy.optimize import minimize

        lost, t = -np.diff(surv), np.arange(1, 8)

        def nll(lp):
            aa, bb = np.exp(lp)
            return -(np.sum(lost * (special.betaln(aa + 1, bb + t - 1) - special.betaln(aa, bb)))
                     + surv[-1] * (special.betaln(aa, bb + 7) - special.betaln(aa, bb)))

        return np.exp(minimize(nll, [0.0, 0.0], method="L-BFGS-B", tol=1e-12).x)

    compare("sBG fit (Fader & Hardie 2007, regular)",
            lambda: goodwill.ShiftedBetaGeoFitter().fit_survivors(surv).params_.to_numpy(), scipy_sbg, k,
            peer="SciPy L-BFGS-B")
    if args.large > 0:
        large(args.large, max(3, k // 3), lifetimes)
    summary()


def draw_bg(n, seed=2026):
    """n customers of the BG/NBD with the CDNOW parameters (goodwill's
    counter-based simulator), ages spread as CDNOW's (27..39 weeks + 39)."""
    T = 39.0 + 27.0 + (np.arange(n) % 85) / 7.0
    d = goodwill.beta_geometric_nbd_model(T, *BG.values(), seed=seed)
    return (d["frequency"].to_numpy(float), d["recency"].to_numpy(float), d["T"].to_numpy(float))


def draw_pareto(n, seed=2026):
    """n customers of the Pareto/NBD with the CDNOW parameters (NumPy):
    λ ~ Gamma(r, α), μ ~ Gamma(s, β), lifetime Exp(μ), purchases Poisson(λ)
    while alive; recency the last of x uniform purchase times."""
    rng = np.random.default_rng(seed)
    r, al, s, be = PNBD.values()
    T = 39.0 + 27.0 + (np.arange(n) % 85) / 7.0
    lam, mu = rng.gamma(r, 1 / al, n), rng.gamma(s, 1 / be, n)
    alive = np.minimum(rng.exponential(1 / mu), T)
    x = rng.poisson(lam * alive).astype(float)
    tx = np.where(x > 0, alive * rng.random(n) ** (1 / np.maximum(x, 1)), 0.0)
    return x, tx, T


def large(n, rounds, lifetimes):
    """The per-customer functions on n customers drawn from the fitted
    models: the size where NumPy's vectorisation pays on the peer side."""
    global SIZE
    SIZE = f"{n:,} drawn"
    print(f"\n| function ({n:,} customers drawn from the CDNOW parameters) | goodwill | peer | ratio | max abs diff |")
    print("| --- | --- | --- | --- | --- |")
    gbg, lbg = goodwill.BetaGeoFitter(), lifetimes.BetaGeoFitter()
    gmb, lmb = goodwill.ModifiedBetaGeoFitter(), lifetimes.ModifiedBetaGeoFitter()
    gpn, lpn = goodwill.ParetoNBDFitter(), lifetimes.ParetoNBDFitter()
    for g, l, p in ((gbg, lbg, BG), (gmb, lmb, BG), (gpn, lpn, PNBD)):
        g.params_, l.params_ = p, pd.Series(p)
    x, tx, T = draw_bg(n)
    h = 78.0 - T + 39.0
    for name, g, l in (("BG/NBD", gbg, lbg), ("MBG/NBD", gmb, lmb)):
        compare(f"{name} conditional expectation, t per customer",
                lambda g=g: g.conditional_expected_number_of_purchases_up_to_time(h, x, tx, T),
                lambda l=l: l.conditional_expected_number_of_purchases_up_to_time(h, x, tx, T), rounds)
    compare("MBG/NBD conditional_probability_alive", lambda: gmb.conditional_probability_alive(x, tx, T),
            lambda: lmb.conditional_probability_alive(x, tx, T), rounds)
    rb, ab, a, b = BG.values()
    compare("BG/NBD P(alive at T+39)", lambda: gbg.conditional_probability_alive(x, tx, T, future_t=39.0),
            lambda: lbg.conditional_probability_alive(x, tx, T) * special.hyp2f1(rb + x, a, a + b + x, -39.0 / (ab + T)),
            rounds, peer="lifetimes P(alive) x SciPy hyp2f1")
    compare("BG/NBD P(no purchase in 39)", lambda: gbg.expected_probability_no_purchase(39.0, x, tx, T),
            lambda: 1 - lbg.conditional_probability_alive(x, tx, T) * (1 - ((ab + T) / (ab + T + 39)) ** (rb + x)),
            rounds, peer="lifetimes P(alive) x NumPy")
    x, tx, T = draw_pareto(n)
    h = 78.0 - T + 39.0
    compare("Pareto/NBD conditional expectation, t per customer",
            lambda: gpn.conditional_expected_number_of_purchases_up_to_time(h, x, tx, T),
            lambda: lpn.conditional_expected_number_of_purchases_up_to_time(h, x, tx, T), rounds)
    for m in (0, 2):
        compare(f"Pareto/NBD P(X(T,T+39)={m} \\| history)",
                lambda m=m: gpn.conditional_probability_of_n_purchases_up_to_time(m, 39, x, tx, T),
                lambda m=m: lpn.conditional_probability_of_n_purchases_up_to_time(m, 39, x, tx, T), rounds)
    delta = math.log(1.15) / 52
    compare("Pareto/NBD DERT (15%/year)", lambda: gpn.discounted_expected_residual_transactions(x, tx, T, delta),
            lambda: dert_scipy(lpn, x, tx, T, delta), rounds, peer=DERT_PEER)


def summary():
    """The ratio of every row against the issue's bar of 50x (issue 17 point 9)."""
    print("\n| size | function | ratio (peer / goodwill, medians) | >= 50x |")
    print("| --- | --- | ---: | --- |")
    for size, name, mo, mt, peer in ROWS:
        print(f"| {size} | {name} ({peer}) | {mt / mo:.1f}x | {'yes' if mt / mo >= 50 else 'no'} |")


if __name__ == "__main__":
    main()
