"""Issue 17 point 3, continued: every prediction of a fit with covariates
(each customer with their own scaled parameters, a population function for
given covariate values), robust (sandwich) standard errors, the
ConvergenceWarning of covariate fits, and BG/BB's table from known
parameters."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill.utils import expected_cumulative_transactions

BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PARETO = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
GG = {"p": 6.25, "q": 3.74, "v": 15.44}


def _with_coefficients(fitter: type, params: dict[str, float], life: dict[str, float],
                       trans: dict[str, float]) -> Any:
    """A fitter of known base parameters and coefficients, through its
    versioned pickled state (the public save format)."""
    names = [f"life.{k}" for k in life] + [f"trans.{k}" for k in trans]
    k = len(params) + len(names)
    state = {
        "format": "goodwill.btyd", "version": 1, "class": fitter.__name__, "penalizer_coef": 0.0,
        "fit": {"params": list(params.values()), "standard_errors": [math.nan] * len(params),
                "covariance": np.full((len(params), len(params)), math.nan).tolist(),
                "log_likelihood": math.nan, "iterations": 0, "converged": False, "at_bound": [],
                "customers": 0.0, "rows": 0},
        "extent": None,
        "covariates": {"life": list(life), "trans": list(trans), "names": names,
                       "coefficients": [*life.values(), *trans.values()],
                       "standard_errors": [math.nan] * k, "covariance": np.full((k, k), math.nan).tolist()},
    }
    if fitter is goodwill.GammaGammaFitter:
        state["covariates"] = {"spend": list(trans), "names": [f"spend.{c}" for c in trans],
                               "coefficients": list(trans.values()), "standard_errors": [math.nan] * k,
                               "covariance": np.full((k, k), math.nan).tolist()}
    m = fitter.__new__(fitter)
    m.__setstate__(state)
    return m


def _plain(fitter: type, params: dict[str, float]) -> Any:
    m = fitter()
    m.params_ = params
    return m


def _scaled(fitter: type, params: dict[str, float], g_life: float, g_trans: float, z_life: float,
            z_trans: float) -> dict[str, float]:
    """CLVTools' individual parameters, written out here independently."""
    p = dict(params)
    if fitter is goodwill.BetaGeoFitter:
        p["alpha"] *= math.exp(-g_trans * z_trans)
        p["a"] *= math.exp(g_life * z_life)
        p["b"] *= math.exp(g_life * z_life)
    elif fitter is goodwill.ParetoNBDFitter:
        p["alpha"] *= math.exp(-g_trans * z_trans)
        p["beta"] *= math.exp(-g_life * z_life)
    else:
        p["v"] *= math.exp(g_trans * z_trans)
    return p


CUSTOMERS = pd.DataFrame({"frequency": [0.0, 2.0, 7.0, 1.0], "recency": [0.0, 30.43, 35.0, 5.0],
                          "T": [38.86, 38.86, 39.0, 20.0], "m": [0.0, 35.0, 20.0, 80.0],
                          "z": [-1.3, 0.4, 1.1, 2.0], "w": [0.5, -0.2, 0.0, 1.5]},
                         index=pd.Index(["c1", "c2", "c3", "c4"], name="id"))
PURCHASE = [(goodwill.BetaGeoFitter, BG), (goodwill.ParetoNBDFitter, PARETO)]


def _predictions(m: Any, d: pd.DataFrame, **cov: Any) -> dict[str, Any]:
    f, r, t = d["frequency"], d["recency"], d["T"]
    out = {
        "no_purchase": m.expected_probability_no_purchase(10.0, f, r, t, **cov),
        "p_n": m.probability_of_n_purchases_up_to_time(30.0, 2, **cov) if cov else None,
        "alive_future": m.conditional_probability_alive(f, r, t, future_t=5.0, **cov),
    }
    if isinstance(m, goodwill.ParetoNBDFitter):
        out["cond_p_n"] = m.conditional_probability_of_n_purchases_up_to_time(1, 39.0, f, r, t, **cov)
        out["dert"] = m.discounted_expected_residual_transactions(f, r, t, math.log(1.15) / 52, **cov)
    return out


@pytest.mark.parametrize(("fitter", "params"), PURCHASE)
def test_predictions_at_zero_coefficients_equal_the_covariate_free_model(fitter: type,
                                                                         params: dict[str, float]) -> None:
    m = _with_coefficients(fitter, params, {"w": 0.0}, {"z": 0.0})
    free = _plain(fitter, params)
    d = CUSTOMERS
    got, want = _predictions(m, d, covariates=d), _predictions(free, d)
    for key, value in got.items():
        if key == "p_n":
            np.testing.assert_allclose(value, free.probability_of_n_purchases_up_to_time(30.0, 2), rtol=1e-13)
            continue
        assert isinstance(value, pd.Series) and list(value.index) == list(d.index), key
        np.testing.assert_allclose(value, want[key], rtol=1e-13, err_msg=key)
    np.testing.assert_allclose(m.conditional_probability_alive_matrix(8, 20, covariates={"z": 1.7, "w": -3.0}),
                               free.conditional_probability_alive_matrix(8, 20), rtol=1e-13)


@pytest.mark.parametrize(("fitter", "params"), PURCHASE)
def test_predictions_with_covariates_are_those_of_each_customers_scaled_parameters(
        fitter: type, params: dict[str, float]) -> None:
    g_life, g_trans = 0.35, -0.6
    m = _with_coefficients(fitter, params, {"w": g_life}, {"z": g_trans})
    d = CUSTOMERS
    got = _predictions(m, d, covariates=d)
    for i, (cid, row) in enumerate(d.iterrows()):
        own = _plain(fitter, _scaled(fitter, params, g_life, g_trans, row["w"], row["z"]))
        one = d.loc[[cid]]
        want = _predictions(own, one)
        for key, value in got.items():
            expected = (own.probability_of_n_purchases_up_to_time(30.0, 2) if key == "p_n"
                        else float(np.asarray(want[key])[0]))
            assert float(np.asarray(value)[i]) == pytest.approx(expected, rel=1e-12), (key, cid)
    # the alive matrix of given covariate values (a Series, a mapping or a 1-d array in fitted order)
    own = _plain(fitter, _scaled(fitter, params, g_life, g_trans, -0.5, 1.2))
    want_matrix = own.conditional_probability_alive_matrix(6, 15)
    for values in ({"w": -0.5, "z": 1.2}, pd.Series({"z": 1.2, "w": -0.5}),
                   pd.DataFrame({"w": [-0.5], "z": [1.2]})):
        np.testing.assert_allclose(m.conditional_probability_alive_matrix(6, 15, covariates=values), want_matrix,
                                   rtol=1e-12)
    np.testing.assert_allclose(
        m.conditional_probability_alive_matrix(6, 15, life_covariates=[-0.5], trans_covariates=[1.2]),
        want_matrix, rtol=1e-12)
    with pytest.raises(goodwill.InvalidInputError, match="one customer"):
        m.conditional_probability_alive_matrix(6, 15, covariates=d)
    with pytest.raises(goodwill.InvalidInputError, match="fitted with covariates"):
        m.conditional_probability_alive_matrix(6, 15)
    with pytest.raises(goodwill.InvalidInputError, match="covariates"):
        m.expected_probability_no_purchase(10.0, d["frequency"], d["recency"], d["T"])


def test_customer_lifetime_value_with_covariates_on_both_models() -> None:
    """CLV with a BG/NBD and a Gamma-Gamma fitted with covariates: at γ = 0
    the covariate-free CLV; otherwise each customer's CLV from their own
    scaled parameters in both models."""
    d = CUSTOMERS
    args = (d["frequency"], d["recency"], d["T"], d["m"])
    kw = {"time": 6, "discount_rate": 0.01, "freq": "W"}
    zero_bg = _with_coefficients(goodwill.BetaGeoFitter, BG, {"w": 0.0}, {"z": 0.0})
    zero_gg = _with_coefficients(goodwill.GammaGammaFitter, GG, {}, {"z": 0.0})
    free = _plain(goodwill.GammaGammaFitter, GG).customer_lifetime_value(_plain(goodwill.BetaGeoFitter, BG),
                                                                         *args, **kw)
    got = zero_gg.customer_lifetime_value(zero_bg, *args, **kw, covariates=d)
    np.testing.assert_allclose(got, free, rtol=1e-13)
    assert list(got.index) == list(d.index)
    bg = _with_coefficients(goodwill.BetaGeoFitter, BG, {"w": 0.3}, {"z": 0.5})
    gg = _with_coefficients(goodwill.GammaGammaFitter, GG, {}, {"z": -0.4})
    got = gg.customer_lifetime_value(bg, *args, **kw, covariates=d)
    for i, (cid, row) in enumerate(d.iterrows()):
        own_bg = _plain(goodwill.BetaGeoFitter, _scaled(goodwill.BetaGeoFitter, BG, 0.3, 0.5, row["w"], row["z"]))
        own_gg = _plain(goodwill.GammaGammaFitter, _scaled(goodwill.GammaGammaFitter, GG, 0.0, -0.4, 0.0, row["z"]))
        one = d.loc[[cid]]
        want = own_gg.customer_lifetime_value(own_bg, one["frequency"], one["recency"], one["T"], one["m"], **kw)
        assert got.iloc[i] == pytest.approx(float(want.iloc[0]), rel=1e-12), cid
    # spend covariates apart from the purchase model's
    other = d.assign(z=0.0)
    split = gg.customer_lifetime_value(bg, *args, **kw, covariates=d, spend_covariates=other)
    assert not np.allclose(split, got)
    with pytest.raises(goodwill.InvalidInputError, match="covariates"):
        gg.customer_lifetime_value(bg, *args, **kw)
    # covariates given to two covariate-free models are refused, not ignored
    plain_gg, plain_bg = _plain(goodwill.GammaGammaFitter, GG), _plain(goodwill.BetaGeoFitter, BG)
    with pytest.raises(goodwill.InvalidInputError, match="neither model") as e:
        plain_gg.customer_lifetime_value(plain_bg, *args, **kw, covariates=d)
    assert e.value.field == "covariates"


def _transactions() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for c in range(40):
        start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 30)))
        for k in range(int(rng.integers(1, 6))):
            rows.append({"id": f"u{c}", "date": start + pd.Timedelta(days=int(k * rng.integers(3, 20)))})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("fitter", "params"), PURCHASE)
def test_expected_cumulative_transactions_with_covariates(fitter: type, params: dict[str, float]) -> None:
    tx = _transactions()
    ids = sorted(tx["id"].unique())
    rng = np.random.default_rng(9)
    cov = pd.DataFrame({"z": rng.normal(size=len(ids)), "w": (rng.random(len(ids)) < 0.5).astype(float)},
                       index=pd.Index(ids, name="id"))
    zero = _with_coefficients(fitter, params, {"w": 0.0}, {"z": 0.0})
    free = expected_cumulative_transactions(_plain(fitter, params), tx, "date", "id", t=60, freq_multiplier=7)
    got = expected_cumulative_transactions(zero, tx, "date", "id", t=60, freq_multiplier=7, covariates=cov)
    pd.testing.assert_frame_equal(got, free, rtol=1e-12)
    m = _with_coefficients(fitter, params, {"w": 0.4}, {"z": 0.7})
    got = expected_cumulative_transactions(m, tx, "date", "id", t=60, freq_multiplier=7, covariates=cov)
    # directly: each customer's own model, from the day of their first purchase
    first = tx.groupby("id")["date"].min()
    start = tx["date"].min()
    want = np.zeros(len(got))
    for cid, day in first.items():
        own = _plain(fitter, _scaled(fitter, params, 0.4, 0.7, cov.loc[cid, "w"], cov.loc[cid, "z"]))
        d0 = (day - start).days
        for j, period in enumerate(range(7, 61, 7)):
            if period > d0:
                want[j] += own.expected_number_of_purchases_up_to_time((period - d0) / 7)
    np.testing.assert_allclose(got["predicted"].to_numpy(), want, rtol=1e-12)
    np.testing.assert_array_equal(got["actual"].to_numpy(), free["actual"].to_numpy())
    with pytest.raises(goodwill.InvalidInputError, match="no covariates for customer"):
        expected_cumulative_transactions(m, tx, "date", "id", t=60, covariates=cov.iloc[1:])


def _cdnow(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "cdnow" / "cdnow_customers_summary.csv"
    if not path.exists():
        pytest.skip(f"reference data absent: {path}")
    return pd.read_csv(path, index_col="ID")


@pytest.mark.parametrize("fitter", [goodwill.BetaGeoFitter, goodwill.ParetoNBDFitter])
def test_robust_standard_errors_option(shared_data: Path, fitter: type) -> None:
    """se="robust": the same estimates, the sandwich standard errors (not
    the Hessian's: CDNOW is overdispersed relative to the model; for
    Pareto/NBD's transaction coefficient they are wider), kept through
    pickling."""
    import pickle

    d = _cdnow(shared_data)
    z = pd.DataFrame({"noise": np.random.default_rng(3).normal(size=len(d))}, index=d.index)
    h = fitter().fit(d["frequency"], d["recency"], d["T"], covariates=z)
    r = fitter().fit(d["frequency"], d["recency"], d["T"], covariates=z, se="robust")
    assert h.se_type_ == "hessian" and r.se_type_ == "robust"
    np.testing.assert_allclose(r.summary["coef"], h.summary["coef"], rtol=1e-10)
    se_r, se_h = r.summary.loc["trans.noise", "se(coef)"], h.summary.loc["trans.noise", "se(coef)"]
    assert np.isfinite(se_r) and abs(se_r / se_h - 1) > 0.02
    if fitter is goodwill.ParetoNBDFitter:
        assert se_r > se_h
    back = pickle.loads(pickle.dumps(r))
    assert back.se_type_ == "robust"
    pd.testing.assert_frame_equal(back.summary, r.summary)
    with pytest.raises(goodwill.InvalidInputError, match="'se'"):
        fitter().fit(d["frequency"], d["recency"], d["T"], covariates=z, se="sandwich")
    with pytest.raises(goodwill.InvalidInputError, match="'se'.*covariates"):
        fitter().fit(d["frequency"], d["recency"], d["T"], se="robust")


def test_covariate_fits_warn_when_they_do_not_converge() -> None:
    rng = np.random.default_rng(0)
    n = 500
    z = pd.DataFrame({"z": rng.normal(size=n)})
    x = rng.poisson(2.0, size=n).astype(float)
    rec = np.where(x > 0, 20.0, 0.0)
    T = np.full(n, 30.0)
    for fitter in (goodwill.BetaGeoFitter, goodwill.ParetoNBDFitter):
        with pytest.warns(goodwill.ConvergenceWarning, match=f"{fitter.__name__}: the fit stopped after 1 "):
            fitter().fit(x, rec, T, covariates=z, max_iterations=1)
    m = 10.0 + rng.random(n)
    with pytest.warns(goodwill.ConvergenceWarning, match="GammaGammaFitter: the fit stopped after 1 "):
        goodwill.GammaGammaFitter().fit(np.full(n, 3.0), m, covariates=z, max_iterations=1)


def test_gamma_gamma_names_the_degenerate_limit() -> None:
    """Spends with no dispersion across customers (every customer's ν the
    same): q and v head to infinity together; the warning says so, with and
    without covariates."""
    rng = np.random.default_rng(4)
    n = 3000
    x = 1.0 + (np.arange(n) % 6)
    m = np.array([rng.gamma(6.0, 1.0 / 0.2, size=int(k)).mean() for k in x])
    z = pd.DataFrame({"noise": rng.normal(size=n)})
    for kw in ({}, {"covariates": z}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ggf = goodwill.GammaGammaFitter().fit(x, m, **kw)
        texts = [str(w.message) for w in caught if issubclass(w.category, goodwill.ConvergenceWarning)]
        assert any("head to infinity together" in t and "only q/v is identified" in t for t in texts), texts
        q, v = ggf.params_["q"], ggf.params_["v"]
        assert q >= 999.0  # at the covariate fit's cap (1,000), or beyond: the plain fit does not cap q
        if kw:
            assert ggf.at_bound_ == ["q"]
        assert q / v == pytest.approx(0.2, rel=0.05)


def test_bg_bb_table_from_known_parameters() -> None:
    """params_ set by hand: the table per customer (n_customers defaults to
    1), or for n_customers; after a fit, scaled by the customers fitted (the
    sum of the weights, lifetimes' meaning)."""
    bgbb = goodwill.BetaGeoBetaBinomFitter()
    bgbb.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    per = bgbb.expected_number_of_transactions_in_first_n_periods(6)
    assert per["model"].sum() == pytest.approx(1.0, rel=1e-12)
    assert (per["model"] > 0).all()
    scaled = bgbb.expected_number_of_transactions_in_first_n_periods(6, n_customers=11104)
    np.testing.assert_allclose(scaled["model"], per["model"] * 11104, rtol=1e-14)
    with pytest.raises(goodwill.InvalidInputError, match="n_customers"):
        bgbb.expected_number_of_transactions_in_first_n_periods(6, n_customers=-1)
    freq, rec, n_per = [0, 1, 3, 6], [0, 1, 4, 6], [6, 6, 6, 6]
    w = [3000.0, 1000.0, 500.0, 200.0]
    with warnings.catch_warnings():  # four rows do not identify the four parameters: not the point here
        warnings.simplefilter("ignore", goodwill.ConvergenceWarning)
        fitted = goodwill.BetaGeoBetaBinomFitter().fit(freq, rec, n_per, weights=w)
    table = fitted.expected_number_of_transactions_in_first_n_periods(6)
    assert table["model"].sum() == pytest.approx(sum(w), rel=1e-10)
