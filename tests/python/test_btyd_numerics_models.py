"""No numerical dead ends, continued (issue 17, point 7): the predictions not
covered by test_btyd_numerics.py, each against an mpmath reference at 60
digits on a grid that reaches the corners, plus the ConvergenceWarning of a
fit that does not reach an interior optimum.

- BG/NBD and Pareto/NBD P(X(t) = n) for a new customer; Pareto/NBD's
  P(n purchases in (T, T+t] | history), P(alive at T + t) and DERT;
- BG/BB (Fader, Hardie & Shang 2010): P(alive), conditional and
  unconditional expected transactions, P(X(n) = x), with γ = 1 exactly;
- sBG (Fader & Hardie 2007, 2010): survival, churn, retention, DEL, DERL;
- Gamma-Gamma (Fader, Hardie & Lee 2005c): the conditional expected spend,
  infinite where the mixing distribution has no mean.

The references are written from the published formulas in a form that is
independent of goodwill's: sums and integrals taken directly at 60 digits
(mpmath's tanh-sinh quadrature, its regularised incomplete beta and gamma),
where goodwill uses closed forms, series and double-precision quadrature.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Sequence

import goodwill
import numpy as np
import pytest

mp = pytest.importorskip("mpmath")

PARAM_VALUES = (1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3)
RTOL = 1e-8


def _grid(n: int, seed: int, ones: Sequence[int] = ()) -> list[tuple[float, float, float, float]]:
    """A seeded sample of n four-parameter points from PARAM_VALUES⁴; the
    positions in ``ones`` also take the value 1 exactly (a closed form's
    0/0 case)."""
    axes = [(*PARAM_VALUES, 1.0) if k in ones else PARAM_VALUES for k in range(4)]
    full = list(itertools.product(*axes))
    rng = np.random.default_rng(seed)
    return [full[i] for i in rng.choice(len(full), n, replace=False)]


def _relative_error(got: float, ref: float) -> float:
    if not np.isfinite(got):
        return float("inf")
    return abs(got - ref) / abs(ref) if ref != 0 else abs(got)


def _check(cases: list[tuple[tuple[float, ...], float, float]]) -> None:
    """cases: (point, goodwill's value, reference); every value finite and
    within RTOL of its reference."""
    bad = sorted(((_relative_error(g, r), p, g, r) for p, g, r in cases if _relative_error(g, r) > RTOL),
                 reverse=True)
    assert all(np.isfinite(r) for _p, _g, r in cases)
    assert not bad, f"{len(bad)} of {len(cases)} points off by more than {RTOL}: {bad[:5]}"


def _quiet(fn: Callable[[], object]) -> float:
    """fn() as a float, every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return float(fn())  # type: ignore[arg-type]


# ---- references ---------------------------------------------------------------------


def _nb(r: object, alpha: object, x: object, t: object) -> object:
    """P(N(t) = x) for a Poisson count whose rate is Gamma(r, alpha) (the NBD)."""
    if t == 0:
        return mp.mpf(1) if x == 0 else mp.mpf(0)
    return mp.exp(mp.loggamma(r + x) - mp.loggamma(r) - mp.loggamma(x + 1)  # type: ignore[operator]
                  + r * mp.log(alpha / (alpha + t)) + x * mp.log(t / (alpha + t)))  # type: ignore[operator]


def bg_nbd_pn_reference(r: float, alpha: float, a: float, b: float, t: float, n: float) -> float:
    """FHL 2005 ("Counting your customers the easy way") eq. 8, the sum over
    j < n written as the NBD's upper tail I_z(n, r), z = t/(α+t)."""
    with mp.workdps(60):
        r_, al_, a_, b_, t_, n_ = (mp.mpf(v) for v in (r, alpha, a, b, t, n))
        out = mp.beta(a_, b_ + n_) / mp.beta(a_, b_) * _nb(r_, al_, n_, t_)
        if n > 0:
            tail = mp.betainc(n_, r_, 0, t_ / (al_ + t_), regularized=True)
            out += mp.beta(a_ + 1, b_ + n_ - 1) / mp.beta(a_, b_) * tail
        return float(out)


def mbg_nbd_pn_reference(r: float, alpha: float, a: float, b: float, t: float, n: float) -> float:
    """Batislam, Denizel & Filiztekin 2007: B(a, b+n+1)/B(a, b)·NB(n) +
    B(a+1, b+n)/B(a, b)·P(NB ≥ n), the tail as I_z(n, r), z = t/(α+t)."""
    with mp.workdps(60):
        r_, al_, a_, b_, t_, n_ = (mp.mpf(v) for v in (r, alpha, a, b, t, n))
        tail = mp.betainc(n_, r_, 0, t_ / (al_ + t_), regularized=True) if n > 0 else mp.mpf(1)
        return float(mp.beta(a_, b_ + n_ + 1) / mp.beta(a_, b_) * _nb(r_, al_, n_, t_)
                     + mp.beta(a_ + 1, b_ + n_) / mp.beta(a_, b_) * tail)


def _pareto_pn(r: object, alpha: object, s: object, beta: object, t: object, n: object) -> object:
    """P(X(t) = n) of the Pareto/NBD by its definition: alive through t
    (E[e^{−μt}] = (β/(β+t))^s) with an NBD count, or dead at τ < t with the
    NBD count of (0, τ], the density of τ being sβ^s/(β+τ)^{s+1}; the
    integral by tanh-sinh quadrature, split at the count's mode ατ = n/r."""
    alive = _nb(r, alpha, n, t) * (beta / (beta + t)) ** s  # type: ignore[operator]

    def dead(u: object) -> object:
        return _nb(r, alpha, n, u) * s * beta ** s / (beta + u) ** (s + 1)  # type: ignore[operator]

    # cut at the count's mode and at every decade below t (the mass can sit
    # in a sliver near 0: a death scale β/(s+1) of 1e-7 against t = 10^4)
    # and on a linear grid of 16 pieces (a broad peak inside one decade)
    cuts = {t * mp.mpf(10) ** -k for k in range(1, 25)} | {t * k / 16 for k in range(17)}
    mode = alpha * n / r  # type: ignore[operator]
    if 0 < mode < t:  # type: ignore[operator]
        cuts.add(mode)
    return alive + mp.quad(dead, sorted(cuts))  # type: ignore[operator]


def pareto_pn_reference(r: float, alpha: float, s: float, beta: float, t: float, n: float) -> float:
    """At 30 digits: the quadrature's cost grows with the precision and the
    integrand has no cancellation to absorb."""
    with mp.workdps(30):
        return float(_pareto_pn(*(mp.mpf(v) for v in (r, alpha, s, beta, t, n))))  # type: ignore[arg-type]


def _pareto_f(a: object, b: object, z: object) -> object:
    return mp.hyp2f1(a, b, a + 1, z, maxterms=10**6)  # type: ignore[operator]


def _pareto_alive(r: object, alpha: object, s: object, beta: object, x: object, tx: object, T: object) -> object:
    """P(alive at T), FHL 2005 note eqs. 11-12 (as in test_btyd_numerics)."""
    first = mp.exp(-(r + x) * mp.log(alpha + T) - s * mp.log(beta + T))  # type: ignore[operator]
    c = r + s + x  # type: ignore[operator]
    if alpha >= beta:  # type: ignore[operator]
        a0 = (_pareto_f(c, s + 1, (alpha - beta) / (alpha + tx)) / (alpha + tx) ** c  # type: ignore[operator]
              - _pareto_f(c, s + 1, (alpha - beta) / (alpha + T)) / (alpha + T) ** c)  # type: ignore[operator]
    else:
        a0 = (_pareto_f(c, r + x, (beta - alpha) / (beta + tx)) / (beta + tx) ** c  # type: ignore[operator]
              - _pareto_f(c, r + x, (beta - alpha) / (beta + T)) / (beta + T) ** c)  # type: ignore[operator]
    return first / (first + s / c * a0)  # type: ignore[operator]


def pareto_conditional_pn_reference(r: float, alpha: float, s: float, beta: float, x: float, tx: float,
                                    T: float, t: float, n: float) -> float:
    """Alive at T (then λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T), independent)
    the count in (T, T+t] is a new customer's with those posteriors; dead at
    T it is 0. At 40 digits (P(alive)'s cancellations need more than 30)."""
    with mp.workdps(40):
        r_, al_, s_, be_, x_, tx_, T_, t_, n_ = (mp.mpf(v) for v in (r, alpha, s, beta, x, tx, T, t, n))
        pa = _pareto_alive(r_, al_, s_, be_, x_, tx_, T_)
        out = pa * _pareto_pn(r_ + x_, al_ + T_, s_, be_ + T_, t_, n_)  # type: ignore[operator]
        if n == 0:
            out += 1 - pa  # type: ignore[operator]
        return float(out)  # type: ignore[arg-type]


def pareto_alive_ahead_reference(r: float, alpha: float, s: float, beta: float, x: float, tx: float,
                                 T: float, t: float) -> float:
    """P(alive at T + t) = P(alive at T)·E[e^{−μt} | alive] = P(alive)·((β+T)/(β+T+t))^s."""
    with mp.workdps(60):
        r_, al_, s_, be_, x_, tx_, T_, t_ = (mp.mpf(v) for v in (r, alpha, s, beta, x, tx, T, t))
        return float(_pareto_alive(r_, al_, s_, be_, x_, tx_, T_)  # type: ignore[operator]
                     * ((be_ + T_) / (be_ + T_ + t_)) ** s_)


def pareto_dert_reference(r: float, alpha: float, s: float, beta: float, x: float, tx: float, T: float,
                          delta: float) -> float:
    """DERT = E[∫_T^∞ λ·e^{−δ(τ−T)}·1{alive at τ} dτ] = P(alive)·E[λ]·E[1/(δ+μ)]
    with the posteriors given alive; E[1/(δ+μ)] for μ ~ Gamma(s, b) is
    b^s δ^{s−1} e^{bδ} Γ(1−s, bδ) (the upper incomplete gamma)."""
    with mp.workdps(60):
        r_, al_, s_, be_, x_, tx_, T_, d_ = (mp.mpf(v) for v in (r, alpha, s, beta, x, tx, T, delta))
        b = be_ + T_
        inv = b ** s_ * d_ ** (s_ - 1) * mp.exp(b * d_) * mp.gammainc(1 - s_, b * d_)
        return float(_pareto_alive(r_, al_, s_, be_, x_, tx_, T_) * (r_ + x_) / (al_ + T_) * inv)  # type: ignore[operator]


def _bb(a: object, b: object, c: object, d: object) -> object:
    """B(a, b)/B(c, d)."""
    return mp.exp(mp.log(mp.beta(a, b)) - mp.log(mp.beta(c, d)))


def _bgbb_likelihood(al: object, be: object, ga: object, de: object, x: object, tx: object, n: object) -> object:
    """FHS 2010 eq. 5, its sum taken term by term."""
    out = _bb(al + x, be + n - x, al, be) * _bb(ga, de + n, ga, de)  # type: ignore[operator]
    for i in range(int(n - tx)):  # type: ignore[operator]
        out += _bb(al + x, be + tx - x + i, al, be) * _bb(ga + 1, de + tx + i, ga, de)  # type: ignore[operator]
    return out


def bgbb_alive_reference(al: float, be: float, ga: float, de: float, m: float, x: float, tx: float,
                         n: float) -> float:
    """P(alive at opportunity n + m | x, t_x, n), FHS 2010 eq. 11 (m = 0) with
    the dropout over the next m opportunities."""
    with mp.workdps(60):
        v = [mp.mpf(u) for u in (al, be, ga, de, x, tx, n)]
        al_, be_, ga_, de_, x_, _tx, n_ = v
        num = _bb(al_ + x_, be_ + n_ - x_, al_, be_) * _bb(ga_, de_ + n_ + m, ga_, de_)  # type: ignore[operator]
        return float(num / _bgbb_likelihood(*v))  # type: ignore[operator]


def bgbb_conditional_reference(al: float, be: float, ga: float, de: float, m: float, x: float, tx: float,
                               n: float) -> float:
    """E[transactions in n+1 .. n+m | x, t_x, n], FHS 2010 eq. 13 with its
    bracket as the sum Σ_{j=n+1}^{n+m} B(γ, δ+j)/B(γ, δ) taken term by term."""
    with mp.workdps(60):
        v = [mp.mpf(u) for u in (al, be, ga, de, x, tx, n)]
        al_, be_, ga_, de_, x_, _tx, n_ = v
        alive_sum = mp.fsum(_bb(ga_, de_ + j, ga_, de_) for j in range(int(n) + 1, int(n + m) + 1))  # type: ignore[operator]
        lead = _bb(al_ + x_ + 1, be_ + n_ - x_, al_, be_)  # type: ignore[operator]
        return float(lead * alive_sum / _bgbb_likelihood(*v))  # type: ignore[operator]


def bgbb_unconditional_reference(al: float, be: float, ga: float, de: float, n: float) -> float:
    """E[X(n)] = α/(α+β)·Σ_{j=1}^{n} B(γ, δ+j)/B(γ, δ) (FHS 2010 eq. 9 as a sum)."""
    with mp.workdps(60):
        al_, be_, ga_, de_ = (mp.mpf(u) for u in (al, be, ga, de))
        return float(al_ / (al_ + be_) * mp.fsum(_bb(ga_, de_ + j, ga_, de_) for j in range(1, int(n) + 1)))


def bgbb_pn_reference(al: float, be: float, ga: float, de: float, n: float, x: float) -> float:
    """P(X(n) = x), FHS 2010 eq. 7, with binomial coefficients exact."""
    with mp.workdps(60):
        al_, be_, ga_, de_ = (mp.mpf(u) for u in (al, be, ga, de))
        ni, xi = int(n), int(x)
        out = mp.binomial(ni, xi) * _bb(al_ + xi, be_ + ni - xi, al_, be_) * _bb(ga_, de_ + ni, ga_, de_)
        for i in range(xi, ni):
            out += mp.binomial(i, xi) * _bb(al_ + xi, be_ + i - xi, al_, be_) * _bb(ga_ + 1, de_ + i, ga_, de_)
        return float(out)


# ---- BG/NBD and Pareto/NBD: counts ----------------------------------------------------

COUNT_CASES = ((1e-6, 0), (1e-6, 1), (1.0, 0), (39.0, 1), (39.0, 5), (1e4, 0), (1e4, 100))


def _bgf(r: float, alpha: float, a: float, b: float) -> goodwill.BetaGeoFitter:
    f = goodwill.BetaGeoFitter()
    f.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
    return f


def _pnbd(r: float, alpha: float, s: float, beta: float) -> goodwill.ParetoNBDFitter:
    f = goodwill.ParetoNBDFitter()
    f.params_ = {"r": r, "alpha": alpha, "s": s, "beta": beta}
    return f


def _count_points(n: int, seed: int, ones: Sequence[int]) -> list[tuple[float, ...]]:
    rng = np.random.default_rng(seed + 100)
    out = []
    for params in [(0.243, 4.414, 0.793, 2.426), *_grid(n, seed, ones)]:
        for k in rng.choice(len(COUNT_CASES), 3, replace=False):
            out.append((*params, *COUNT_CASES[int(k)]))
    return out


def test_bg_nbd_probability_of_n_purchases_matches_mpmath() -> None:
    pts = _count_points(40, 21, ones=(2,))
    _check([(p, _quiet(lambda p=p: _bgf(*p[:4]).probability_of_n_purchases_up_to_time(p[4], int(p[5]))),
             bg_nbd_pn_reference(*p)) for p in pts])


def test_mbg_nbd_probability_of_n_purchases_matches_mpmath() -> None:
    def mbg(r: float, alpha: float, a: float, b: float) -> goodwill.ModifiedBetaGeoFitter:
        f = goodwill.ModifiedBetaGeoFitter()
        f.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
        return f
    pts = _count_points(40, 26, ones=(2,))
    _check([(p, _quiet(lambda p=p: mbg(*p[:4]).probability_of_n_purchases_up_to_time(p[4], int(p[5]))),
             mbg_nbd_pn_reference(*p)) for p in pts])


def test_bg_nbd_probabilities_of_n_purchases_sum_to_one() -> None:
    """Σ_n P(X(t) = n) = 1 at CDNOW's fit (FHL 2005) over t = 39 weeks."""
    f = _bgf(0.243, 4.414, 0.793, 2.426)
    total = sum(f.probability_of_n_purchases_up_to_time(39.0, n) for n in range(400))
    assert abs(total - 1) < 1e-10


def test_pareto_probability_of_n_purchases_matches_mpmath() -> None:
    pts = _count_points(8, 22, ones=(2,))
    _check([(p, _quiet(lambda p=p: _pnbd(*p[:4]).probability_of_n_purchases_up_to_time(p[4], int(p[5]))),
             pareto_pn_reference(*p)) for p in pts])


# (frequency, recency, T) as in test_btyd_numerics, less the 10^5 purchases
# over 10^8 (its P(alive) is 1 to all 60 digits, the count probabilities 0)
PARETO_CUSTOMERS = ((0.0, 0.0, 39.0), (1.0, 1.0, 39.0), (2.0, 30.43, 38.86), (10.0, 5.0, 1e4),
                    (100.0, 90.0, 100.0), (3.0, 1e-6, 1e8), (0.0, 0.0, 1e-6))


def _pareto_points(n: int, seed: int) -> list[tuple[float, ...]]:
    rng = np.random.default_rng(seed + 200)
    out = []
    for params in [(0.55, 10.58, 0.61, 11.67), *_grid(n, seed, ones=(2,))]:
        for k in rng.choice(len(PARETO_CUSTOMERS), 2, replace=False):
            out.append((*params, *PARETO_CUSTOMERS[int(k)]))
    return out


def test_pareto_conditional_probability_of_n_purchases_matches_mpmath() -> None:
    rng = np.random.default_rng(23)
    cases = []
    for p in _pareto_points(6, 23):
        t, n = COUNT_CASES[int(rng.integers(len(COUNT_CASES)))]
        got = _quiet(lambda p=p, t=t, n=n: _pnbd(*p[:4]).conditional_probability_of_n_purchases_up_to_time(
            int(n), t, *p[4:7]))
        cases.append(((*p, t, n), got, pareto_conditional_pn_reference(*p, t, n)))
    _check(cases)


def test_pareto_probability_alive_ahead_matches_mpmath() -> None:
    rng = np.random.default_rng(24)
    cases = []
    for p in _pareto_points(30, 24):
        t = (1e-6, 1.0, 39.0, 1e4)[int(rng.integers(4))]
        got = _quiet(lambda p=p, t=t: _pnbd(*p[:4]).conditional_probability_alive(*p[4:7], future_t=t))
        cases.append(((*p, t), got, pareto_alive_ahead_reference(*p, t)))
    _check(cases)


def test_pareto_dert_matches_mpmath() -> None:
    """Discount rates from 15% a year on weekly data (ln 1.15/52) to 1 a period."""
    rng = np.random.default_rng(25)
    cases = []
    for p in _pareto_points(25, 25):
        d = (float(np.log(1.15) / 52), 0.01, 0.1, 1.0)[int(rng.integers(4))]
        got = _quiet(lambda p=p, d=d: _pnbd(*p[:4]).discounted_expected_residual_transactions(*p[4:7], d))
        cases.append(((*p, d), got, pareto_dert_reference(*p, d)))
    _check(cases)


# ---- BG/BB ------------------------------------------------------------------------

# (x, t_x, n): none, one, FHS 2010's (3, 4, 6), every opportunity, a long
# history, many transactions, a last purchase long ago
BGBB_CUSTOMERS = ((0.0, 0.0, 6.0), (1.0, 1.0, 6.0), (3.0, 4.0, 6.0), (6.0, 6.0, 6.0),
                  (0.0, 0.0, 1000.0), (500.0, 900.0, 1000.0), (2.0, 3.0, 2000.0))
BGBB_HORIZONS = (1.0, 5.0, 100.0, 1000.0)


def _bgbb(al: float, be: float, ga: float, de: float) -> goodwill.BetaGeoBetaBinomFitter:
    f = goodwill.BetaGeoBetaBinomFitter()
    f.params_ = {"alpha": al, "beta": be, "gamma": ga, "delta": de}
    return f


def _bgbb_points(n: int, seed: int) -> list[tuple[float, ...]]:
    """Parameters: FHS 2010's donation fit and a grid with γ = 1 exactly (the
    closed form's 0/0); two customers and one horizon each."""
    rng = np.random.default_rng(seed + 300)
    out = []
    for params in [(1.204, 0.750, 0.657, 2.783), (1.204, 0.750, 1.0, 2.783), *_grid(n, seed, ones=(2,))]:
        for k in rng.choice(len(BGBB_CUSTOMERS), 2, replace=False):
            out.append((*params, BGBB_HORIZONS[int(rng.integers(len(BGBB_HORIZONS)))], *BGBB_CUSTOMERS[int(k)]))
    return out


def test_bgbb_probability_alive_matches_mpmath() -> None:
    _check([(p, _quiet(lambda p=p: _bgbb(*p[:4]).conditional_probability_alive(*p[4:])),
             bgbb_alive_reference(*p)) for p in _bgbb_points(30, 31)])


def test_bgbb_conditional_expectation_matches_mpmath() -> None:
    _check([(p, _quiet(lambda p=p: _bgbb(*p[:4]).conditional_expected_number_of_purchases_up_to_time(*p[4:])),
             bgbb_conditional_reference(*p)) for p in _bgbb_points(30, 32)])


def test_bgbb_unconditional_expectation_and_counts_match_mpmath() -> None:
    rng = np.random.default_rng(33)
    exp_cases, pn_cases = [], []
    for params in [(1.204, 0.750, 0.657, 2.783), (1.204, 0.750, 1.0, 2.783), *_grid(30, 33, ones=(2,))]:
        n = (1.0, 6.0, 100.0, 1000.0)[int(rng.integers(4))]
        exp_cases.append(((*params, n), _quiet(lambda q=params, n=n: _bgbb(*q).expected_number_of_purchases_up_to_time(n)),
                          bgbb_unconditional_reference(*params, n)))
        m = (0.0, 1.0, 6.0, 60.0)[int(rng.integers(4))]
        nn = max(m, 6.0) if m < 60 else 100.0
        # P(X(n) = x) itself (the public frame multiplies it by the customers
        # fitted, none when params_ is set)
        share = _quiet(lambda q=params, nn=nn, m=m: _bgbb(*q)._model.probability_of_purchases(nn, m))
        pn_cases.append(((*params, nn, m), share, bgbb_pn_reference(*params, nn, m)))
    _check(exp_cases)
    _check(pn_cases)


# ---- sBG ---------------------------------------------------------------------------


def _sbg(al: float, be: float) -> goodwill.ShiftedBetaGeoFitter:
    f = goodwill.ShiftedBetaGeoFitter()
    f.params_ = {"alpha": al, "beta": be}
    return f


SBG_PARAMS = [(0.668, 3.806), (0.704, 1.182), *itertools.product(PARAM_VALUES, PARAM_VALUES)]


@pytest.mark.parametrize("al,be", SBG_PARAMS)
def test_sbg_survival_churn_and_retention_match_mpmath(al: float, be: float) -> None:
    """S(t) = B(α, β+t)/B(α, β), P(T = t) = B(α+1, β+t−1)/B(α, β),
    r_t = (β+t−1)/(α+β+t−1) (Fader & Hardie 2007, eqs. 1-3)."""
    f = _sbg(al, be)
    ts = np.array([1, 2, 7, 100, 10_000, 1_000_000], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        surv = np.asarray(f.survival_function(ts), dtype=float)
        churn = np.asarray(f.probability_of_churn(ts), dtype=float)
        ret = np.asarray(f.retention_rate(ts), dtype=float)
    cases = []
    with mp.workdps(60):
        a, b = mp.mpf(al), mp.mpf(be)
        for t, s_, c_, r_ in zip(ts, surv, churn, ret):
            tt = mp.mpf(t)
            cases.append(((al, be, t, 0.0), float(s_), float(_bb(a, b + tt, a, b))))
            cases.append(((al, be, t, 1.0), float(c_), float(_bb(a + 1, b + tt - 1, a, b))))
            cases.append(((al, be, t, 2.0), float(r_), float((b + tt - 1) / (a + b + tt - 1))))
    _check(cases)


def _sbg_del(a: object, b: object, d: object) -> object:
    """DEL = Σ_{t≥0} S(t)/(1+d)^t = 2F1(1, β; α+β; 1/(1+d)) (Fader & Hardie 2010, eq. 5)."""
    return mp.hyp2f1(1, b, a + b, 1 / (1 + d))  # type: ignore[operator]


def _sbg_derl(a: object, b: object, d: object, n: object) -> object:
    """DERL after n − 1 renewals = Σ_{t≥n} S(t)/S(n−1)/(1+d)^{t−n}
    = (β+n−1)/(α+β+n−1)·2F1(1, β+n; α+β+n; 1/(1+d)) (Fader & Hardie 2010, eq. 6)."""
    return (b + n - 1) / (a + b + n - 1) * mp.hyp2f1(1, b + n, a + b + n, 1 / (1 + d))  # type: ignore[operator]


def test_sbg_closed_forms_are_the_sums() -> None:
    """The two closed forms above against their defining sums (mpmath's
    nsum), at the published fit (α = 0.668, β = 3.806; Fader & Hardie 2007)
    and a slow-decaying one (α = 0.1)."""
    with mp.workdps(30):
        for al, be, d, n in [(0.668, 3.806, 0.1, 5), (0.1, 1.0, 0.01, 1)]:
            a, b, dd, nn = mp.mpf(al), mp.mpf(be), mp.mpf(d), mp.mpf(n)
            direct = mp.nsum(lambda t, a=a, b=b, dd=dd: _bb(a, b + t, a, b) / (1 + dd) ** t, [0, mp.inf])
            assert abs(_sbg_del(a, b, dd) / direct - 1) < mp.mpf("1e-15")
            derl = mp.nsum(lambda t, a=a, b=b, dd=dd, nn=nn: _bb(a, b + t, a, b + nn - 1) / (1 + dd) ** (t - nn),
                           [nn, mp.inf])
            assert abs(_sbg_derl(a, b, dd, nn) / derl - 1) < mp.mpf("1e-15")


def test_sbg_discounted_lifetimes_match_mpmath() -> None:
    cases = []
    for al, be in SBG_PARAMS:
        f = _sbg(al, be)
        for d in (0.01, 0.1, 1.0):
            with mp.workdps(60):
                ref = float(_sbg_del(mp.mpf(al), mp.mpf(be), mp.mpf(d)))
            cases.append(((al, be, d, 0.0), _quiet(lambda f=f, d=d: f.discounted_expected_lifetime(d)), ref))
            for n in (1.0, 5.0, 100.0):
                with mp.workdps(60):
                    ref = float(_sbg_derl(mp.mpf(al), mp.mpf(be), mp.mpf(d), mp.mpf(n)))
                got = _quiet(lambda f=f, d=d, n=n: np.asarray(f.discounted_expected_residual_lifetime(d, [n]))[0])
                cases.append(((al, be, d, n), got, ref))
    _check(cases)


# ---- Gamma-Gamma -----------------------------------------------------------------------


def test_gamma_gamma_conditional_spend_matches_mpmath() -> None:
    """E[M | x, m̄] = p(v + x·m̄)/(p·x + q − 1) (Fader, Hardie & Lee 2005c,
    eq. 5): the posterior of the spend rate is Gamma(px + q, v + x·m̄)."""
    grid = list(itertools.product(PARAM_VALUES, PARAM_VALUES, PARAM_VALUES))
    rng = np.random.default_rng(41)
    cases = []
    for p, q, v in [grid[i] for i in rng.choice(len(grid), 60, replace=False)] + [(6.25, 3.74, 15.44)]:
        f = goodwill.GammaGammaFitter()
        f.params_ = {"p": p, "q": q, "v": v}
        xs = np.array([1.0, 2.0, 10.0, 1e5])
        ms = np.array([0.01, 35.08, 1e3, 1e6])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = np.asarray(f.conditional_expected_average_profit(xs, ms), dtype=float)
        with mp.workdps(60):
            for x, m, g in zip(xs, ms, got):
                den = mp.mpf(p) * x + q - 1
                if den <= 0:
                    assert g == np.inf, (p, q, v, x, m, g)
                    continue
                cases.append(((p, q, v, x, m), float(g), float(mp.mpf(p) * (v + mp.mpf(x) * m) / den)))
    _check(cases)


def test_gamma_gamma_mean_is_infinite_without_a_mean() -> None:
    """q ≤ 1: the population's spend has no mean; a customer with x = 0 gets
    inf (not NaN), one whose purchases tame the tail a finite value."""
    f = goodwill.GammaGammaFitter()
    f.params_ = {"p": 6.25, "q": 0.8, "v": 15.4}
    got = np.asarray(f.conditional_expected_average_profit([0.0, 1.0], [0.0, 20.0]), dtype=float)
    assert got[0] == np.inf
    assert got[1] == pytest.approx(6.25 * (15.4 + 20.0) / (6.25 + 0.8 - 1), rel=1e-14)
    assert f.conditional_expected_average_profit() == np.inf


# ---- ConvergenceWarning -----------------------------------------------------------------


def test_a_fit_stopped_by_its_iteration_cap_says_so() -> None:
    with pytest.warns(goodwill.ConvergenceWarning, match=r"stopped after 1 iterations"):
        goodwill.BetaGeoFitter().fit([1, 2, 0, 4], [5.0, 9.0, 0.0, 8.0], [10.0, 10.0, 10.0, 12.0],
                                     max_iterations=1)


def test_a_shape_parameter_at_its_cap_is_named() -> None:
    """Identical customers who all buy at the same rate: Pareto/NBD's s (or
    r) is pushed to its cap of 1,000, and the warning names it."""
    x = np.repeat([3.0, 5.0], 50)
    tx, T = np.repeat([30.0, 35.0], 50), np.full(100, 39.0)
    with pytest.warns(goodwill.ConvergenceWarning, match=r"reached the cap of 1,000") as record:
        fit = goodwill.ParetoNBDFitter().fit(x, tx, T)
    named = [n for n in fit.at_bound_ if any(f"{n} reached" in str(w.message) or f", {n}" in str(w.message)
                                             for w in record)]
    assert fit.at_bound_ and named == fit.at_bound_


def test_a_shape_parameter_heading_to_zero_is_named() -> None:
    """BG/BB on four donors (lifetimes' donation layout, weights): the dropout
    shape γ heads to 0, below 1e-6, and the warning says so by name."""
    with pytest.warns(goodwill.ConvergenceWarning, match=r"gamma = [0-9.e-]+ heads to 0"):
        goodwill.BetaGeoBetaBinomFitter().fit([0, 3, 6, 2], [0, 4, 6, 5], [6, 6, 6, 6], weights=[10, 5, 3, 2])


def test_a_good_fit_warns_nothing() -> None:
    """BG/NBD on customers drawn from its own process with CDNOW's
    parameters: an interior optimum, finite standard errors, no warning."""
    data = goodwill.beta_geometric_nbd_model(T=39.0, r=0.243, alpha=4.414, a=0.793, b=2.426, size=3000, seed=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error", goodwill.ConvergenceWarning)
        fit = goodwill.BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
    assert fit.converged_ and not fit.at_bound_
    assert np.all(np.isfinite(fit.standard_errors_))
