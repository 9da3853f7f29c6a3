"""Time-invariant covariates on BetaGeoFitter and ParetoNBDFitter (issue 17,
point 3; CLVTools' parameterisation, goodwill/value/btyd/covariates.hpp)."""

from __future__ import annotations

import pickle
from pathlib import Path

import goodwill
import numpy as np
import pandas as pd
import pytest

FITTERS = [goodwill.BetaGeoFitter, goodwill.ParetoNBDFitter]


def _cdnow(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "cdnow" / "cdnow_customers_summary.csv"
    if not path.exists():
        pytest.skip(f"reference data absent: {path}")
    return pd.read_csv(path, index_col="ID")


def _simulate_bg(n: int, seed: int, g_life: float, g_trans: float) -> pd.DataFrame:
    """BG/NBD customers with covariates, written out independently of the
    library: alpha_i = alpha·exp(−g_trans·z_t), a_i, b_i = a, b·exp(g_life·z_l)."""
    rng = np.random.default_rng(seed)
    r, alpha, a, b = 0.8, 5.0, 0.8, 2.5
    z_l = (rng.random(n) < 0.5).astype(float)
    z_t = rng.normal(size=n)
    lam = rng.gamma(r, 1.0 / (alpha * np.exp(-g_trans * z_t)))
    p = rng.beta(a * np.exp(g_life * z_l), b * np.exp(g_life * z_l))
    T = 30.0 + (np.arange(n) % 10)
    x = np.zeros(n)
    tx = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1.0 / lam[i])
            if t >= T[i]:
                break
            x[i] += 1
            tx[i] = t
            if rng.random() < p[i]:
                break
    return pd.DataFrame({"frequency": x, "recency": tx, "T": T, "loyal": z_l, "income": z_t},
                        index=pd.RangeIndex(n, name="customer"))


@pytest.mark.parametrize("fitter", FITTERS)
def test_cdnow_independent_covariate_intervals_cover_zero(shared_data: Path, fitter: type) -> None:
    """(a) CDNOW with a covariate drawn independently of behaviour (fixed
    seed): each coefficient's 95% interval covers 0, and the base parameters
    equal the covariate-free fit within 0.35 of their standard errors (the
    tolerance of the C++ suite `covariates`, where it is derived)."""
    d = _cdnow(shared_data)
    z = np.random.default_rng(2026).normal(size=len(d))
    cov = pd.DataFrame({"noise": z - z.mean()}, index=d.index)
    free = fitter().fit(d["frequency"], d["recency"], d["T"])
    m = fitter().fit(d["frequency"], d["recency"], d["T"], covariates=cov)
    s = m.summary
    assert list(s.index) == [*free.params_.index, "life.noise", "trans.noise"]
    for row in ("life.noise", "trans.noise"):
        assert s.loc[row, "lower 95% bound"] < 0 < s.loc[row, "upper 95% bound"], s
    shift = (m.params_ - free.params_).abs() / free.standard_errors_
    assert (shift <= 0.35).all(), shift
    assert m.log_likelihood_ >= free.log_likelihood_ - 1e-6
    assert m.converged_


def test_bg_nbd_recovers_known_coefficients_with_their_sign() -> None:
    """(b) Known coefficients recovered within their 95% intervals; the
    generator above fixes the sign (positive g_trans: more purchases), so a
    flipped convention would estimate about −0.5 and fail."""
    d = _simulate_bg(20000, 7, g_life=0.6, g_trans=0.5)
    m = goodwill.BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"],
                                     life_covariates=d[["loyal"]], trans_covariates=d[["income"]])
    s = m.summary
    assert list(s.index[-2:]) == ["life.loyal", "trans.income"]
    assert s.loc["life.loyal", "lower 95% bound"] < 0.6 < s.loc["life.loyal", "upper 95% bound"], s
    assert s.loc["trans.income", "lower 95% bound"] < 0.5 < s.loc["trans.income", "upper 95% bound"], s
    assert s.loc["trans.income", "lower 95% bound"] > 0
    # predictions take the covariates of the customers predicted for
    few = d.iloc[:5]
    e = m.conditional_expected_number_of_purchases_up_to_time(10, few["frequency"], few["recency"], few["T"],
                                                              life_covariates=few, trans_covariates=few)
    assert isinstance(e, pd.Series) and list(e.index) == list(few.index)
    assert (e >= 0).all()
    alive = m.conditional_probability_alive(few["frequency"], few["recency"], few["T"],
                                            life_covariates=few, trans_covariates=few)
    assert ((alive > 0) & (alive <= 1)).all()
    new = m.expected_number_of_purchases_up_to_time(10, life_covariates=few, trans_covariates=few)
    assert list(new.index) == list(few.index) and (new > 0).all()
    # a new customer with a higher transaction covariate buys more (the sign)
    richer = few.assign(income=few["income"] + 1.0)
    new_rich = m.expected_number_of_purchases_up_to_time(10, life_covariates=few, trans_covariates=richer)
    assert (new_rich > new).all()


@pytest.mark.parametrize("fitter", FITTERS)
def test_bad_covariates_raise_invalid_input(fitter: type) -> None:
    d = _simulate_bg(200, 3, 0.3, 0.3)
    f, r, t = d["frequency"], d["recency"], d["T"]
    with pytest.raises(goodwill.InvalidInputError, match="'life_covariates': has 199 rows"):
        fitter().fit(f, r, t, covariates=d[["income"]].iloc[:199])
    bad = d[["income"]].copy()
    bad.iloc[17, 0] = np.nan
    with pytest.raises(goodwill.InvalidInputError, match="row 17, field 'life_covariates'"):
        fitter().fit(f, r, t, covariates=bad)
    with pytest.raises(goodwill.InvalidInputError, match="constant"):
        fitter().fit(f, r, t, trans_covariates=pd.DataFrame({"c": np.ones(200)}))
    with pytest.raises(goodwill.InvalidInputError, match="penalizer_coef"):
        fitter(penalizer_coef=0.1).fit(f, r, t, covariates=d[["income"]])
    m = fitter().fit(f, r, t, covariates=d[["income"]])
    with pytest.raises(goodwill.InvalidInputError, match="covariates"):
        m.conditional_expected_number_of_purchases_up_to_time(10, f, r, t)
    with pytest.raises(goodwill.InvalidInputError, match=r"lacks the covariates \['income'\]"):
        m.conditional_probability_alive(f, r, t, covariates=d[["loyal"]])
    with pytest.raises(goodwill.InvalidInputError, match="covariates"):
        m.conditional_probability_alive_matrix(3, 3)


@pytest.mark.parametrize("fitter", FITTERS)
def test_covariate_fit_pickles(fitter: type) -> None:
    d = _simulate_bg(300, 4, 0.3, 0.3)
    m = fitter().fit(d["frequency"], d["recency"], d["T"], covariates=d[["income", "loyal"]])
    back = pickle.loads(pickle.dumps(m))
    pd.testing.assert_frame_equal(back.summary, m.summary)
    a = m.conditional_probability_alive(d["frequency"], d["recency"], d["T"], covariates=d)
    b = back.conditional_probability_alive(d["frequency"], d["recency"], d["T"], covariates=d)
    np.testing.assert_allclose(a, b, rtol=1e-14)


def test_gamma_gamma_spend_covariate() -> None:
    """Gamma-Gamma with a spend covariate: v_i = v·exp(γ·z), generated here
    with γ = 0.4 (nu_i ~ Gamma(q, rate v·exp(γz)), spends Gamma(p, rate
    nu_i)): recovered within its 95% interval, positive (higher spend), and
    predictions take the covariates."""
    rng = np.random.default_rng(11)
    n = 4000
    z = rng.normal(size=n)
    nu = rng.gamma(4.0, 1.0 / (15.0 * np.exp(0.4 * z)))
    x = 1.0 + (np.arange(n) % 8)
    m = np.array([rng.gamma(6.0, 1.0 / nu[i], size=int(x[i])).mean() for i in range(n)])
    cov = pd.DataFrame({"premium": z})
    ggf = goodwill.GammaGammaFitter().fit(x, m, covariates=cov)
    s = ggf.summary
    assert list(s.index) == ["p", "q", "v", "spend.premium"]
    assert s.loc["spend.premium", "lower 95% bound"] < 0.4 < s.loc["spend.premium", "upper 95% bound"], s
    assert s.loc["spend.premium", "lower 95% bound"] > 0
    hi = ggf.conditional_expected_average_profit(np.array([2.0]), np.array([30.0]), covariates=np.array([[1.0]]))
    lo = ggf.conditional_expected_average_profit(np.array([2.0]), np.array([30.0]), covariates=np.array([[0.0]]))
    assert hi[0] > lo[0]
    with pytest.raises(goodwill.InvalidInputError, match="covariates"):
        ggf.conditional_expected_average_profit(np.array([2.0]), np.array([30.0]))
    back = pickle.loads(pickle.dumps(ggf))
    pd.testing.assert_frame_equal(back.summary, s)
    bad = cov.copy()
    bad.iloc[3, 0] = np.inf
    with pytest.raises(goodwill.InvalidInputError, match="row 3, field 'covariates'"):
        goodwill.GammaGammaFitter().fit(x, m, covariates=bad)


def test_gamma_gamma_cdnow_independent_covariate(shared_data: Path) -> None:
    """CDNOW's repeat buyers with an independent covariate (fixed seed): the
    interval covers 0 and p, q, v stay within 0.35 se of the plain fit."""
    path = shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv"
    if not path.exists():
        pytest.skip(f"reference data absent: {path}")
    d = pd.read_csv(path)
    d = d[d["x"] > 0]
    z = np.random.default_rng(2026).normal(size=len(d))
    free = goodwill.GammaGammaFitter().fit(d["x"], d["zbar"])
    m = goodwill.GammaGammaFitter().fit(d["x"], d["zbar"], covariates=pd.DataFrame({"noise": z - z.mean()}))
    s = m.summary
    assert s.loc["spend.noise", "lower 95% bound"] < 0 < s.loc["spend.noise", "upper 95% bound"], s
    shift = (m.params_ - free.params_).abs() / free.standard_errors_
    assert (shift <= 0.35).all(), shift
