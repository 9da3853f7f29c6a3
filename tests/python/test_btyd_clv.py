"""Issue 17: vector horizons, MBG/NBD, sBG, Pareto/NBD probabilities and
DERT, alive matrices, cumulative transactions, saved models."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
    ShiftedBetaGeoFitter,
)
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "pickles"

# Fader, Hardie & Lee (2005) CDNOW BG/NBD and Pareto/NBD estimates.
BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PNBD = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


@pytest.fixture(scope="module")
def cdnow(shared_data):
    return pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv")


def _with(cls, params):
    m = cls()
    m.params_ = params
    return m


# ---- point 1: vector horizons ----------------------------------------------


@pytest.mark.parametrize("cls,params", [(BetaGeoFitter, BG), (ParetoNBDFitter, PNBD),
                                        (ModifiedBetaGeoFitter, BG)])
def test_t_may_be_a_series_aligned_with_customers(cls, params):
    m = _with(cls, params)
    idx = pd.Index(["a", "b", "c"], name="customer")
    x = pd.Series([0.0, 2.0, 7.0], index=idx)
    tx = pd.Series([0.0, 30.43, 35.0], index=idx)
    T = pd.Series([38.86, 38.86, 38.86], index=idx)
    t = pd.Series([39.0, 5.0, 52.0], index=["c", "b", "a"])  # another order: aligned by index
    out = m.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)
    assert isinstance(out, pd.Series) and out.index.equals(idx)
    for key in idx:
        one = m.conditional_expected_number_of_purchases_up_to_time(float(t[key]), float(x[key]), float(tx[key]),
                                                                     float(T[key]))
        assert out[key] == one
    # An array t of the customers' length; a scalar t; arrays keep arrays.
    arr = m.conditional_expected_number_of_purchases_up_to_time(t.reindex(idx).to_numpy(), x, tx, T)
    assert np.array_equal(arr.to_numpy(), out.to_numpy())
    assert isinstance(m.predict(39, x.to_numpy(), tx.to_numpy(), T.to_numpy()), np.ndarray)
    with pytest.raises(goodwill.InvalidInputError, match="'t'"):
        m.conditional_expected_number_of_purchases_up_to_time([1.0, 2.0], x, tx, T)
    with pytest.raises(goodwill.InvalidInputError, match="row 1, field 't'"):
        m.conditional_expected_number_of_purchases_up_to_time(pd.Series([1.0], index=["a"]), x, tx, T)
    with pytest.raises(goodwill.InvalidInputError, match="row 2, field 't'"):
        m.conditional_expected_number_of_purchases_up_to_time(np.array([1.0, 2.0, -1.0]), x, tx, T)


def test_series_t_from_calibration_and_holdout_keeps_the_index(cdnow):
    bgf = BetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    data = cdnow.set_index("ID")
    horizon = 78.0 - data["T"]  # per-customer horizon, as duration_holdout per customer
    out = bgf.predict(horizon, data["x"], data["t_x"], data["T"])
    assert out.index.equals(data.index)
    assert out.iloc[5] == pytest.approx(bgf.predict(float(horizon.iloc[5]), float(data["x"].iloc[5]),
                                                    float(data["t_x"].iloc[5]), float(data["T"].iloc[5])))


def test_bg_bb_horizons_per_customer():
    m = _with(BetaGeoBetaBinomFitter, {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783})
    x, tx, n = pd.Series([0, 3, 6.0]), pd.Series([0, 4, 6.0]), pd.Series([6, 6, 6.0])
    m_future = pd.Series([1.0, 5.0, 10.0])
    e = m.conditional_expected_number_of_purchases_up_to_time(m_future, x, tx, n)
    a = m.conditional_probability_alive(m_future, x, tx, n)
    for i in range(3):
        assert e[i] == m.conditional_expected_number_of_purchases_up_to_time(m_future[i], x[i], tx[i], n[i])
        assert a[i] == m.conditional_probability_alive(m_future[i], x[i], tx[i], n[i])


# ---- point 2: models and functions -------------------------------------------


def test_modified_bg_nbd_reproduces_lifetimes_on_cdnow(cdnow):
    mbgf = ModifiedBetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    # BTYDplus / lifetimes' test_params_out_is_close_to_BTYDplus: 0.525, 6.183,
    # 0.891, 1.614; lifetimes 0.11.3 fits 0.524838, 6.182988, 0.891356, 1.614000.
    assert np.allclose(mbgf.params_, [0.524838, 6.182988, 0.891356, 1.614000], atol=5e-4)
    assert mbgf.converged_
    # lifetimes 0.11.3 on this fit.
    assert mbgf.predict(39, 2, 30.43, 38.86) == pytest.approx(1.262671, abs=2e-4)
    assert mbgf.conditional_probability_alive(0, 0, 38.86) == pytest.approx(0.389716, abs=1e-4)
    assert np.allclose(mbgf.expected_number_of_purchases_up_to_time(np.array([1.0, 32.0, 78.0])),
                       [0.05306063, 1.03660937, 1.80363619], rtol=2e-4)
    assert (mbgf.standard_errors_ > 0).all()
    assert list(mbgf.summary.index) == ["r", "alpha", "a", "b"]


def test_pareto_nbd_probabilities_of_n_purchases():
    pnbd = _with(ParetoNBDFitter, PNBD)
    # lifetimes 0.11.3 conditional_probability_of_n_purchases_up_to_time.
    assert pnbd.conditional_probability_of_n_purchases_up_to_time(1, 39, 2, 30.43, 38.86) == pytest.approx(
        0.21928749790096388, abs=1e-9)
    assert pnbd.conditional_probability_of_n_purchases_up_to_time(0, 10, 0, 0, 38.86) == pytest.approx(
        0.9728836368223552, abs=1e-9)
    # mpmath (30 digits) of the Pareto/NBD mixture.
    assert pnbd.probability_of_n_purchases_up_to_time(30, 3) == pytest.approx(0.046630236729897121, abs=1e-12)
    total = sum(pnbd.probability_of_n_purchases_up_to_time(39, n) for n in range(300))
    assert total == pytest.approx(1.0, abs=1e-10)
    x = pd.Series([0.0, 2.0], index=["u", "v"])
    out = pnbd.conditional_probability_of_n_purchases_up_to_time(0, pd.Series([10.0, 39.0], index=["u", "v"]), x,
                                                                 x * 15, pd.Series([38.86, 38.86], index=["u", "v"]))
    assert out.index.tolist() == ["u", "v"]
    assert np.allclose(out, pnbd.expected_probability_no_purchase([10.0, 39.0], x, x * 15, [38.86, 38.86]))


def test_dert_matches_hyperu_closed_form():
    pnbd = _with(ParetoNBDFitter, PNBD)
    # Fader, Hardie & Lee (2005b) eq. 2 evaluated with mpmath's hyperu.
    d = pnbd.discounted_expected_residual_transactions([2, 0], [30.43, 0], [38.86, 38.86], math.log(1.15) / 52)
    assert np.allclose(d, [6.5017305375642293, 0.47845766951460794], rtol=1e-11)


@pytest.mark.parametrize("cls,params", [(BetaGeoFitter, BG), (ParetoNBDFitter, PNBD)])
def test_future_alive_and_no_purchase(cls, params):
    m = _with(cls, params)
    now = m.conditional_probability_alive(2, 30.43, 38.86)
    later = m.conditional_probability_alive(2, 30.43, 38.86, future_t=np.array([0.0, 10.0, 100.0]))
    assert later[0] == pytest.approx(now)
    assert later[0] > later[1] > later[2] > 0
    none = m.expected_probability_no_purchase(np.array([1.0, 10.0, 100.0]), [2] * 3, [30.43] * 3, [38.86] * 3)
    assert 1 > none[0] > none[1] > none[2] >= 1 - now - 1e-12
    if cls is BetaGeoFitter:
        # mpmath (30 digits): P(alive) times the Beta(a, b+x) mean of (1 + p t/(alpha+T))^-(r+x).
        assert later[2] == pytest.approx(m.conditional_probability_alive(2, 30.43, 38.86, future_t=100.0))
        assert m.conditional_probability_alive(2, 30.43, 38.86, future_t=39) == pytest.approx(0.56713803562792994,
                                                                                              abs=1e-12)


@pytest.mark.parametrize("cls,params", [(BetaGeoFitter, BG), (ParetoNBDFitter, PNBD),
                                        (ModifiedBetaGeoFitter, BG)])
def test_alive_matrix_is_lifetimes_layout(cls, params):
    m = _with(cls, params)
    z = m.conditional_probability_alive_matrix(max_frequency=5, max_recency=12)
    assert z.shape == (13, 6)
    for rec in (0, 7, 12):
        for freq in (0, 3, 5):
            assert z[rec, freq] == m.conditional_probability_alive(freq, rec, 12)
    with pytest.raises(goodwill.InvalidInputError, match="max_frequency"):
        m.conditional_probability_alive_matrix()


def test_alive_matrix_defaults_to_the_data(cdnow):
    bgf = BetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    z = bgf.conditional_probability_alive_matrix()
    assert z.shape == (int(cdnow["T"].max()) + 1, int(cdnow["x"].max()) + 1)


def test_sbg_reproduces_fader_hardie_2007():
    # Fader & Hardie (2007), "How to project customer retention", table 1 and
    # the estimates: regular alpha = 0.704, beta = 1.182; high end 0.668, 3.806.
    regular = ShiftedBetaGeoFitter().fit_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
    high = ShiftedBetaGeoFitter().fit_survivors([1000, 869, 743, 653, 593, 551, 517, 491])
    assert np.allclose(regular.params_, [0.704, 1.182], atol=5e-4)
    assert np.allclose(high.params_, [0.668, 3.806], atol=5e-4)
    assert (regular.standard_errors_ > 0).all()
    s = regular.survival_function(np.arange(1, 13.0))
    assert np.allclose(s[1:] / s[:-1], regular.retention_rate(np.arange(2, 13.0)))
    proj = regular.expected_survivors(1000, 12)
    assert proj.iloc[0] == 1000 and proj.is_monotonic_decreasing
    # The same fit from per-customer rows (churned at t, or active after 7).
    lost = -np.diff([1000, 631, 468, 382, 326, 289, 262, 241])
    periods = np.r_[np.arange(1, 8), 7]
    churned = np.r_[np.ones(7), 0]
    rows = ShiftedBetaGeoFitter().fit(periods, churned, weights=np.r_[lost, 241])
    assert np.allclose(rows.params_, regular.params_, rtol=1e-6)
    with pytest.raises(goodwill.InvalidInputError, match="row 1, field 'periods'"):
        ShiftedBetaGeoFitter().fit([1, 0.5], [1, 0])


@settings(max_examples=40, deadline=None)
@given(alpha=st.floats(0.05, 50), beta=st.floats(0.05, 50), d=st.floats(0.01, 1.0))
def test_sbg_del_is_the_discounted_survival_sum(alpha, beta, d):
    m = _with(ShiftedBetaGeoFitter, {"alpha": alpha, "beta": beta})
    t = np.arange(0, 4000, dtype=np.float64)
    direct = float(np.sum(m.survival_function(t) * (1 + d) ** -t))
    assert m.discounted_expected_lifetime(d) == pytest.approx(direct, rel=1e-8)


def test_expected_cumulative_transactions_counts_and_predicts():
    tx = pd.DataFrame({
        "id": [1, 1, 1, 2, 2, 3],
        "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-04", "2024-01-02", "2024-01-09",
                                "2024-01-05"]),
    })
    bgf = _with(BetaGeoFitter, BG)
    out = goodwill.expected_cumulative_transactions(bgf, tx, "date", "id", t=10)
    # Repeat purchases (distinct customer-days after the first): day 3 (id 1), day 8 (id 2).
    assert out["actual"].tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
    # Predicted at period i: cohorts of day 0 (1), day 1 (1), day 4 (1).
    e = lambda v: bgf.expected_number_of_purchases_up_to_time(float(v)) if v > 0 else 0.0
    for i in range(1, 11):
        want = e(i) + e(i - 1) + e(i - 4)
        assert out["predicted"].iloc[i - 1] == pytest.approx(want, rel=1e-12)


def test_calibration_without_customers_is_a_named_error():
    tx = pd.DataFrame({"id": [1, 2], "date": pd.to_datetime(["2024-03-01", "2024-03-05"])})
    with pytest.raises(goodwill.InvalidInputError, match="calibration period holds no customers"):
        goodwill.calibration_and_holdout_data(tx, "id", "date", calibration_period_end="2024-02-01",
                                              observation_period_end="2024-04-01")


# ---- point 5: saved models ----------------------------------------------------


def _fitted(cdnow):
    repeat = cdnow[cdnow["x"] > 0]
    return [
        BetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"]),
        ParetoNBDFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"]),
        ModifiedBetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"]),
        GammaGammaFitter().fit(repeat["x"], repeat["zbar"]),
        BetaGeoBetaBinomFitter().fit([0, 3, 6, 2], [0, 4, 6, 5], [6, 6, 6, 6], weights=[10, 5, 3, 2]),
        ShiftedBetaGeoFitter().fit_survivors([1000, 631, 468, 382, 326, 289, 262, 241]),
    ]


def test_every_fitter_pickles_and_saves(cdnow, tmp_path):
    for m in _fitted(cdnow):
        back = pickle.loads(pickle.dumps(m))
        assert type(back) is type(m)
        assert back.params_.equals(m.params_)
        assert np.array_equal(back.standard_errors_, m.standard_errors_, equal_nan=True)
        assert back.log_likelihood_ == m.log_likelihood_
        path = tmp_path / f"{type(m).__name__}.pkl"
        m.save_model(path)
        assert path.stat().st_size < 4000  # parameters and diagnostics only, not the data
        loaded = type(m)().load_model(path)
        assert loaded.params_.equals(m.params_)
        if isinstance(m, (BetaGeoFitter, ParetoNBDFitter, ModifiedBetaGeoFitter)):
            assert loaded.predict(39, 2, 30.43, 38.86) == m.predict(39, 2, 30.43, 38.86)
            assert np.array_equal(loaded.conditional_probability_alive_matrix(),
                                  m.conditional_probability_alive_matrix())
    with pytest.raises(goodwill.InvalidInputError, match="not a ParetoNBDFitter"):
        ParetoNBDFitter().load_model(tmp_path / "BetaGeoFitter.pkl")


def test_pickles_of_format_1_kept_as_fixtures_still_load():
    # Written by goodwill with STATE_VERSION 1 (tests/data/pickles/make.py).
    bgf = pickle.loads((FIXTURES / "bg_nbd_v1.pkl").read_bytes())
    assert bgf.params_.round(3).to_dict() == BG
    assert bgf.predict(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)
    sbg = pickle.loads((FIXTURES / "sbg_v1.pkl").read_bytes())
    assert np.allclose(sbg.params_, [0.704, 1.182], atol=5e-4)


def test_newer_state_is_refused():
    state = _with(BetaGeoFitter, BG).__getstate__()
    state["version"] = goodwill.btyd.STATE_VERSION + 1
    with pytest.raises(goodwill.InvalidInputError, match="newer"):
        BetaGeoFitter().__setstate__(state)


@pytest.mark.parametrize("cls,params", [(BetaGeoFitter, BG), (ParetoNBDFitter, PNBD), (ModifiedBetaGeoFitter, BG),
                                        (GammaGammaFitter, {"p": 6.25, "q": 3.74, "v": 15.44}),
                                        (ShiftedBetaGeoFitter, {"alpha": 0.704, "beta": 1.182})])
def test_params_can_be_set(cls, params):
    m = cls()
    m.params_ = params
    assert m.params_.to_dict() == params
    assert m.standard_errors_.isna().all()
    with pytest.raises(goodwill.InvalidInputError):
        m.params_ = {k: -1.0 for k in params}
    with pytest.raises(goodwill.InvalidInputError, match="missing"):
        m.params_ = dict(list(params.items())[1:])
