"""No numerical dead ends in the BTYD predictions (issue 17, point 7).

Each prediction is compared with a high-precision reference computed here
with mpmath (60 significant digits) on a grid that reaches the corners:
parameters from 1e-6 to 1e3 (a = 1 exactly included), frequencies 0 to
10^5, ages T from 1e-6 to 1e8 and horizons t from 1e-6 to 10^4. The grid is
deterministic (a seeded sample of the full cartesian product, the same on
every run) so that a failure names its point. Each value must be finite,
agree with the reference to 1e-8 relative, raise no warning, and be
monotone in t where the quantity is.

The references use the closed forms of Fader, Hardie & Lee (2005, "Counting
your customers the easy way", eqs. 8 and 10) in their Euler-transformed
form, whose hypergeometric series has moderate parameters however large the
frequency; at 60 digits the cancellations that defeat double precision do
not matter. At a = 1 exactly the closed form is 0/0 and the reference is
taken at a = 1 + 1e-25 (the value is analytic in a).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator

import goodwill
import numpy as np
import pytest

mp = pytest.importorskip("mpmath")

PARAM_VALUES = (1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3)
# (frequency x, recency t_x, age T): new, young, CDNOW's customer 1516, heavy
# buyers, a last purchase long ago, 10^5 purchases, the age extremes
CUSTOMERS = (
    (0.0, 0.0, 1e-6),
    (0.0, 0.0, 39.0),
    (1.0, 1.0, 39.0),
    (2.0, 30.43, 38.86),
    (10.0, 5.0, 1e4),
    (100.0, 90.0, 100.0),
    (1e5, 1e4, 1e4),
    (1e5, 1e8, 1e8),
    (3.0, 1e-6, 1e8),
    (0.0, 0.0, 1e8),
)
HORIZONS = (1e-6, 1.0, 39.0, 1e4)
RTOL = 1e-8


def _grid(n_params: int, seed: int) -> list[tuple[float, float, float, float]]:
    """A seeded sample of n_params (r, alpha, a, b) from the full product."""
    full = list(itertools.product(PARAM_VALUES, PARAM_VALUES, (*PARAM_VALUES, 1.0), PARAM_VALUES))
    rng = np.random.default_rng(seed)
    picked = [full[i] for i in rng.choice(len(full), n_params, replace=False)]
    # always: CDNOW's published fit (FHL 2005) and a = 1 exactly
    return [(0.243, 4.414, 0.793, 2.426), (0.243, 4.414, 1.0, 2.426), *picked]


def _points(n_params: int, seed: int) -> Iterator[tuple[float, ...]]:
    rng = np.random.default_rng(seed + 1)
    for r, alpha, a, b in _grid(n_params, seed):
        for x, tx, T in CUSTOMERS:
            yield (r, alpha, a, b, x, tx, T, HORIZONS[int(rng.integers(len(HORIZONS)))])


def _bg_alive(r: object, alpha: object, a: object, b: object, x: object, tx: object, T: object) -> object:
    d = (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) if x > 0 else 0  # type: ignore[operator]
    return 1 / (1 + d)  # type: ignore[operator]


def _bg_family_if_alive(k: object, theta: object, t: object, a: object, beta: object) -> object:
    """E[purchases in t | alive] of the BG family with λ ~ Gamma(k, θ) and
    p ~ Beta(a, β): (a+β−1)/(a−1)·(1 − (1−z)^{a−1}·2F1(a+β−1−k, a−1; a+β−1; z)),
    z = t/(θ+t) (FHL 2005 eq. 10 Euler-transformed), at the working precision."""
    if a == 1:
        a = a + mp.mpf("1e-25")  # type: ignore[operator]
    z = t / (theta + t)  # type: ignore[operator]
    C = a + beta - 1  # type: ignore[operator]
    bracket = 1 - (1 - z) ** (a - 1) * mp.hyp2f1(C - k, a - 1, C, z, maxterms=10**6)  # type: ignore[operator]
    return C / (a - 1) * bracket  # type: ignore[operator]


def bg_nbd_conditional_reference(r: float, alpha: float, a: float, b: float, x: float, tx: float,
                                 T: float, t: float) -> float:
    """FHL 2005 eq. 10 at 60 digits: P(alive) times the expectation while
    alive with λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x)."""
    with mp.workdps(60):
        r_, al_, a_, b_, x_, tx_, T_, t_ = (mp.mpf(v) for v in (r, alpha, a, b, x, tx, T, t))
        alive = _bg_alive(r_, al_, a_, b_, x_, tx_, T_)
        return float(alive * _bg_family_if_alive(r_ + x_, al_ + T_, t_, a_, b_ + x_))  # type: ignore[operator]


def mbg_nbd_conditional_reference(r: float, alpha: float, a: float, b: float, x: float, tx: float,
                                  T: float, t: float) -> float:
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007): P(alive) =
    1/(1 + a/(b+x)·((α+T)/(α+t_x))^{r+x}) for every x, and p ~ Beta(a, b+x+1)
    while alive."""
    with mp.workdps(60):
        r_, al_, a_, b_, x_, tx_, T_, t_ = (mp.mpf(v) for v in (r, alpha, a, b, x, tx, T, t))
        alive = 1 / (1 + a_ / (b_ + x_) * ((al_ + T_) / (al_ + tx_)) ** (r_ + x_))
        return float(alive * _bg_family_if_alive(r_ + x_, al_ + T_, t_, a_, b_ + x_ + 1))  # type: ignore[operator]


def mbg_nbd_unconditional_reference(r: float, alpha: float, a: float, b: float, t: float) -> float:
    """E[X(t)] of the MBG/NBD: b/(a+b) (alive after the first purchase) times
    the expectation while alive with p ~ Beta(a, b+1)."""
    with mp.workdps(60):
        r_, al_, a_, b_, t_ = (mp.mpf(v) for v in (r, alpha, a, b, t))
        return float(b_ / (a_ + b_) * _bg_family_if_alive(r_, al_, t_, a_, b_ + 1))  # type: ignore[operator]


def bg_nbd_alive_reference(r: float, alpha: float, a: float, b: float, x: float, tx: float,
                           T: float) -> float:
    """P(alive at T) (FHL 2005, "Computing P(alive)") at 60 digits."""
    with mp.workdps(60):
        return float(_bg_alive(*(mp.mpf(v) for v in (r, alpha, a, b, x, tx, T))))


def bg_nbd_alive_ahead_reference(r: float, alpha: float, a: float, b: float, x: float, tx: float,
                                 T: float, t: float) -> float:
    """P(alive at T + t) = P(alive at T)·E[(1 + p·t/(α+T))^{−(r+x)}], p ~ Beta(a, b+x):
    = P(alive)·(1+w)^{−a}·2F1(a, a+b−r; a+b+x; w/(1+w)), w = t/(α+T) (Euler's
    integral, then Pfaff)."""
    with mp.workdps(60):
        r_, al_, a_, b_, x_, tx_, T_, t_ = (mp.mpf(v) for v in (r, alpha, a, b, x, tx, T, t))
        w = t_ / (al_ + T_)
        ahead = (1 + w) ** (-a_) * mp.hyp2f1(a_, a_ + b_ - r_, a_ + b_ + x_, w / (1 + w), maxterms=10**6)
        return float(_bg_alive(r_, al_, a_, b_, x_, tx_, T_) * ahead)


def _pareto_f(a: object, b: object, z: object) -> object:
    """2F1(a, b; a+1; z), the function of the Pareto/NBD likelihood."""
    return mp.hyp2f1(a, b, a + 1, z, maxterms=10**6)


def _pareto_alive(r: float, alpha: float, s: float, beta: float, x: float, tx: float, T: float) -> object:
    """P(alive at T) of the Pareto/NBD (Fader, Hardie & Lee 2005, "A note on
    deriving the Pareto/NBD model", eqs. 11-12), at the working precision."""
    r_, al_, s_, be_, x_, tx_, T_ = (mp.mpf(v) for v in (r, alpha, s, beta, x, tx, T))
    first = mp.exp(-(r_ + x_) * mp.log(al_ + T_) - s_ * mp.log(be_ + T_))
    c = r_ + s_ + x_
    if al_ >= be_:
        a0 = (_pareto_f(c, s_ + 1, (al_ - be_) / (al_ + tx_)) / (al_ + tx_) ** c
              - _pareto_f(c, s_ + 1, (al_ - be_) / (al_ + T_)) / (al_ + T_) ** c)
    else:
        a0 = (_pareto_f(c, r_ + x_, (be_ - al_) / (be_ + tx_)) / (be_ + tx_) ** c
              - _pareto_f(c, r_ + x_, (be_ - al_) / (be_ + T_)) / (be_ + T_) ** c)
    return first / (first + s_ / c * a0)  # type: ignore[operator]


def pareto_nbd_alive_reference(r: float, alpha: float, s: float, beta: float, x: float, tx: float,
                               T: float) -> float:
    with mp.workdps(60):
        return float(_pareto_alive(r, alpha, s, beta, x, tx, T))  # type: ignore[arg-type]


def pareto_nbd_conditional_reference(r: float, alpha: float, s: float, beta: float, x: float, tx: float,
                                     T: float, t: float) -> float:
    """E[Y(t) | x, t_x, T] = P(alive)·(r+x)(β+T)/((α+T)(s−1))·(1 − ((β+T)/(β+T+t))^{s−1})
    (FHL 2005 note, eq. 22; its limit (r+x)(β+T)/(α+T)·ln((β+T+t)/(β+T)) at s = 1)."""
    with mp.workdps(60):
        r_, al_, s_, be_, x_, T_, t_ = (mp.mpf(v) for v in (r, alpha, s, beta, x, T, t))
        if s_ == 1:
            g = (r_ + x_) / (al_ + T_) * (be_ + T_) * mp.log((be_ + T_ + t_) / (be_ + T_))
        else:
            g = (r_ + x_) * (be_ + T_) / ((al_ + T_) * (s_ - 1)) * (1 - ((be_ + T_) / (be_ + T_ + t_)) ** (s_ - 1))
        return float(_pareto_alive(r, alpha, s, beta, x, tx, T) * g)  # type: ignore[operator]


def _relative_error(got: float, ref: float) -> float:
    if not np.isfinite(got):
        return float("inf")
    return abs(got - ref) / abs(ref) if ref != 0 else abs(got)


def _check(points: list[tuple[float, ...]], got: np.ndarray, reference: Callable[..., float]) -> None:
    worst: list[tuple[float, tuple[float, ...], float, float]] = []
    for p, g in zip(points, got):
        ref = reference(*p)
        assert np.isfinite(ref), p
        err = _relative_error(float(g), ref)
        if err > RTOL:
            worst.append((err, p, float(g), ref))
    worst.sort(reverse=True)
    assert not worst, f"{len(worst)} of {len(points)} points off by more than {RTOL}: {worst[:5]}"


def _fitter(r: float, alpha: float, a: float, b: float) -> goodwill.BetaGeoFitter:
    f = goodwill.BetaGeoFitter()
    f.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
    return f


@pytest.mark.parametrize("seed", [1, 2])
def test_bg_nbd_conditional_expectation_matches_mpmath(seed: int) -> None:
    points = list(_points(40, seed))
    got = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for r, alpha, a, b, x, tx, T, t in points:
            got.append(float(_fitter(r, alpha, a, b).conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)))
    _check(points, np.array(got), bg_nbd_conditional_reference)


@pytest.mark.parametrize("seed", [1, 2])
def test_bg_nbd_unconditional_expectation_matches_mpmath(seed: int) -> None:
    """E[X(t)] (FHL 2005 eq. 7) is eq. 10 at x = t_x = T = 0."""
    points = [(r, al, a, b, 0.0, 0.0, 0.0, t) for (r, al, a, b, _x, _tx, _T, t) in _points(40, seed)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_fitter(*p[:4]).expected_number_of_purchases_up_to_time(p[7])) for p in points]
    _check(points, np.array(got), bg_nbd_conditional_reference)


def test_bg_nbd_probability_alive_matches_mpmath() -> None:
    points = [p[:7] for p in _points(60, 3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_fitter(*p[:4]).conditional_probability_alive(*p[4:])) for p in points]
    _check(points, np.array(got), bg_nbd_alive_reference)


def test_bg_nbd_probability_alive_ahead_matches_mpmath() -> None:
    points = list(_points(40, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_fitter(*p[:4]).conditional_probability_alive(p[4], p[5], p[6], future_t=p[7]))
               for p in points]
    _check(points, np.array(got), bg_nbd_alive_ahead_reference)


@pytest.mark.parametrize("params", _grid(12, 5))
def test_bg_nbd_expectation_is_monotone_in_t(params: tuple[float, float, float, float]) -> None:
    """More time, more expected purchases: non-decreasing on a fine grid of t
    for every customer, and 0 at t = 0."""
    f = _fitter(*params)
    ts = np.concatenate([[0.0], np.geomspace(1e-6, 1e4, 60)])
    for x, tx, T in CUSTOMERS:
        e = np.array([float(f.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)) for t in ts])
        assert e[0] == 0.0
        assert np.all(np.isfinite(e)), (params, x, tx, T)
        # non-decreasing up to rounding
        assert np.all(np.diff(e) >= -1e-12 * np.abs(e[1:])), (params, x, tx, T, e)


def test_the_reference_is_the_published_value() -> None:
    """The reference itself reproduces FHL 2005's 1.226 for customer 1516."""
    assert round(bg_nbd_conditional_reference(0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86, 39), 3) == 1.226


def _pareto(r: float, alpha: float, s: float, beta: float) -> goodwill.ParetoNBDFitter:
    f = goodwill.ParetoNBDFitter()
    f.params_ = {"r": r, "alpha": alpha, "s": s, "beta": beta}
    return f


def test_pareto_nbd_probability_alive_matches_mpmath() -> None:
    points = [p[:7] for p in _points(30, 6)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_pareto(*p[:4]).conditional_probability_alive(*p[4:])) for p in points]
    _check(points, np.array(got), pareto_nbd_alive_reference)


def test_pareto_nbd_conditional_expectation_matches_mpmath() -> None:
    """Includes t = 1e-6 against β + T = 1e8, where log((β+T)/(β+T+t)) in
    double precision lost 3 of the 8 digits (fixed with log1p)."""
    points = list(_points(30, 7))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_pareto(*p[:4]).conditional_expected_number_of_purchases_up_to_time(p[7], *p[4:7]))
               for p in points]
    _check(points, np.array(got), pareto_nbd_conditional_reference)


def test_pareto_nbd_reference_agrees_with_the_integral_form() -> None:
    """The 2F1 of the reference against its Euler integral
    2F1(a, b; a+1; z) = ∫_0^1 (1 − z·u^{1/a})^{−b} du on hard points (a up to
    10^5, z within 1e-12 of 1), so that mpmath's hyp2f1 is not trusted blindly."""
    with mp.workdps(40):
        for a, b, z in [(1e5 + 2, 11, 0.999), (3.5, 1001, 0.9999999), (1e5, 1.000001, 1 - 1e-12)]:
            a_, b_, z_ = mp.mpf(a), mp.mpf(b), mp.mpf(z)
            integral = mp.quad(lambda u, a_=a_, b_=b_, z_=z_: (1 - z_ * u ** (1 / a_)) ** (-b_),
                               [0, mp.mpf("0.5"), 1])
            assert abs(_pareto_f(a_, b_, z_) / integral - 1) < mp.mpf("1e-30")


def _mbg(r: float, alpha: float, a: float, b: float) -> goodwill.ModifiedBetaGeoFitter:
    f = goodwill.ModifiedBetaGeoFitter()
    f.params_ = {"r": r, "alpha": alpha, "a": a, "b": b}
    return f


def test_mbg_nbd_conditional_expectation_matches_mpmath() -> None:
    points = list(_points(40, 10))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_mbg(*p[:4]).conditional_expected_number_of_purchases_up_to_time(p[7], *p[4:7]))
               for p in points]
    _check(points, np.array(got), mbg_nbd_conditional_reference)


def test_mbg_nbd_unconditional_expectation_matches_mpmath() -> None:
    points = [(r, al, a, b, t) for (r, al, a, b, _x, _tx, _T, t) in _points(40, 11)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [float(_mbg(*p[:4]).expected_number_of_purchases_up_to_time(p[4])) for p in points]
    _check(points, np.array(got), mbg_nbd_unconditional_reference)
