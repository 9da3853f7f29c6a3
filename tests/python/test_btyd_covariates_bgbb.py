"""Time-invariant covariates on BetaGeoBetaBinomFitter (issue 17, point 3;
our parameterisation, goodwill/value/btyd/covariates.hpp: alpha_i =
alpha·exp(g_trans·z), gamma_i = gamma·exp(g_life·z))."""

from __future__ import annotations

import pickle
from pathlib import Path

import goodwill
import numpy as np
import pandas as pd
import pytest


def _donors(shared_data: Path) -> pd.DataFrame:
    """The donations data of Fader, Hardie & Shang (2010), one row per donor."""
    path = shared_data / "cdnow" / "donations.csv"
    if not path.exists():
        pytest.skip(f"reference data absent: {path}")
    d = pd.read_csv(path)
    return d.loc[d.index.repeat(d["weights"].astype(int))].reset_index(drop=True)


def _simulate(n: int, seed: int, g_life: float, g_trans: float) -> pd.DataFrame:
    """BG/BB customers with covariates, written out independently of the
    library: p_i ~ Beta(alpha·exp(g_trans·income), beta), theta_i ~
    Beta(gamma·exp(g_life·young), delta); at each opportunity an alive
    customer first dies with probability theta_i, else transacts with
    probability p_i."""
    rng = np.random.default_rng(seed)
    alpha, beta, gamma, delta = 1.2, 0.75, 0.66, 2.8
    young = (rng.random(n) < 0.5).astype(float)
    income = rng.normal(size=n)
    p = rng.beta(alpha * np.exp(g_trans * income), beta)
    theta = rng.beta(gamma * np.exp(g_life * young), delta)
    periods = 8 + np.arange(n) % 8
    x = np.zeros(n)
    tx = np.zeros(n)
    for i in range(n):
        for t in range(1, periods[i] + 1):
            if rng.random() < theta[i]:
                break
            if rng.random() < p[i]:
                x[i] += 1
                tx[i] = t
    return pd.DataFrame({"frequency": x, "recency": tx, "n_periods": periods.astype(float), "young": young,
                         "income": income}, index=pd.RangeIndex(n, name="customer"))


def test_donations_independent_covariate_intervals_cover_zero(shared_data: Path) -> None:
    """(a) The donations data with a covariate drawn independently of
    behaviour (fixed seed): each coefficient's 95% interval covers 0, and the
    base parameters equal the covariate-free fit (FHS 2010's estimates)
    within 0.35 of their standard errors (the C++ suite's tolerance)."""
    d = _donors(shared_data)
    assert len(d) == 11104
    z = np.random.default_rng(2026).normal(size=len(d))
    cov = pd.DataFrame({"noise": z - z.mean()})
    free = goodwill.BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"])
    assert abs(free.params_["alpha"] - 1.204) < 5e-4  # FHS 2010
    m = goodwill.BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"], covariates=cov)
    s = m.summary
    assert list(s.index) == ["alpha", "beta", "gamma", "delta", "life.noise", "trans.noise"]
    for row in ("life.noise", "trans.noise"):
        assert s.loc[row, "lower 95% bound"] < 0 < s.loc[row, "upper 95% bound"], s
    shift = (m.params_ - free.params_).abs() / free.standard_errors_
    assert (shift <= 0.35).all(), shift
    assert m.log_likelihood_ >= free.log_likelihood_ - 1e-6
    assert m.converged_
    robust = goodwill.BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"], covariates=cov,
                                                   se="robust")
    assert robust.se_type_ == "robust"
    np.testing.assert_allclose(robust.params_, m.params_, rtol=1e-12)


def test_recovers_known_coefficients_with_their_sign() -> None:
    """(b) Known coefficients recovered within their 95% intervals, with
    their sign (a positive income coefficient: more transactions; a positive
    'young' life coefficient: more dropout)."""
    d = _simulate(20000, 7, g_life=0.7, g_trans=0.5)
    m = goodwill.BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["n_periods"],
                                              life_covariates=d[["young"]], trans_covariates=d[["income"]])
    s = m.summary
    assert list(s.index[-2:]) == ["life.young", "trans.income"]
    assert s.loc["life.young", "lower 95% bound"] < 0.7 < s.loc["life.young", "upper 95% bound"], s
    assert s.loc["trans.income", "lower 95% bound"] < 0.5 < s.loc["trans.income", "upper 95% bound"], s
    assert s.loc["life.young", "lower 95% bound"] > 0 and s.loc["trans.income", "lower 95% bound"] > 0
    # predictions take the covariates of the customers predicted for
    few = d.iloc[:5]
    e = m.conditional_expected_number_of_purchases_up_to_time(5, few["frequency"], few["recency"],
                                                              few["n_periods"], life_covariates=few,
                                                              trans_covariates=few)
    assert isinstance(e, pd.Series) and list(e.index) == list(few.index) and (e >= 0).all()
    alive = m.conditional_probability_alive(0, few["frequency"], few["recency"], few["n_periods"],
                                            life_covariates=few, trans_covariates=few)
    assert ((alive > 0) & (alive <= 1)).all()
    new = m.expected_number_of_purchases_up_to_time(6, life_covariates=few, trans_covariates=few)
    assert list(new.index) == list(few.index) and (new > 0).all()
    richer = few.assign(income=few["income"] + 1.0)
    assert (m.expected_number_of_purchases_up_to_time(6, life_covariates=few, trans_covariates=richer) > new).all()
    table = m.expected_number_of_transactions_in_first_n_periods(6, life_covariates=few, trans_covariates=few)
    assert abs(float(table["model"].sum()) - 5.0) < 1e-9
    # and with the base covariates (0) they are the base model's
    base = goodwill.BetaGeoBetaBinomFitter()
    base.params_ = m.params_
    zero = few.assign(young=0.0, income=0.0)
    np.testing.assert_allclose(
        m.conditional_probability_alive(1, few["frequency"], few["recency"], few["n_periods"],
                                        life_covariates=zero, trans_covariates=zero),
        base.conditional_probability_alive(1, few["frequency"], few["recency"], few["n_periods"]), rtol=1e-13)


def test_bad_covariates_raise_invalid_input() -> None:
    """(c) Bad covariates and predictions without them are refused by name."""
    d = _simulate(300, 3, 0.3, 0.3)
    f, r, n = d["frequency"], d["recency"], d["n_periods"]
    fitter = goodwill.BetaGeoBetaBinomFitter
    with pytest.raises(goodwill.InvalidInputError, match="'life_covariates': has 299 rows"):
        fitter().fit(f, r, n, covariates=d[["income"]].iloc[:299])
    bad = d[["income"]].copy()
    bad.iloc[17, 0] = np.nan
    with pytest.raises(goodwill.InvalidInputError, match="row 17, field 'trans_covariates'"):
        fitter().fit(f, r, n, trans_covariates=bad)
    with pytest.raises(goodwill.InvalidInputError, match="'trans_covariates': column 0 is constant"):
        fitter().fit(f, r, n, trans_covariates=pd.DataFrame({"c": np.ones(300)}))
    twice = pd.DataFrame({"a": d["income"], "b": 2 * d["income"]})
    with pytest.raises(goodwill.InvalidInputError, match="'life_covariates'.*linear combination"):
        fitter().fit(f, r, n, life_covariates=twice)
    with pytest.raises(goodwill.InvalidInputError, match="penalizer_coef"):
        fitter(penalizer_coef=0.1).fit(f, r, n, covariates=d[["income"]])
    with pytest.raises(goodwill.InvalidInputError, match="'se'"):
        fitter().fit(f, r, n, se="robust")
    m = fitter().fit(f, r, n, covariates=d[["income"]])
    with pytest.raises(goodwill.InvalidInputError, match="covariates"):
        m.conditional_expected_number_of_purchases_up_to_time(5, f, r, n)
    with pytest.raises(goodwill.InvalidInputError, match=r"lacks the covariates \['income'\]"):
        m.conditional_probability_alive(0, f, r, n, covariates=d[["young"]])
    free = fitter().fit(f, r, n)
    with pytest.raises(goodwill.InvalidInputError, match="fitted without covariates"):
        free.conditional_probability_alive(0, f, r, n, covariates=d[["young"]])


def test_covariate_fit_pickles() -> None:
    d = _simulate(400, 4, 0.3, 0.3)
    m = goodwill.BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["n_periods"],
                                              covariates=d[["income", "young"]])
    back = pickle.loads(pickle.dumps(m))
    pd.testing.assert_frame_equal(back.summary, m.summary)
    a = m.conditional_probability_alive(2, d["frequency"], d["recency"], d["n_periods"], covariates=d)
    b = back.conditional_probability_alive(2, d["frequency"], d["recency"], d["n_periods"], covariates=d)
    np.testing.assert_allclose(a, b, rtol=1e-14)
