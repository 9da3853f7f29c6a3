"""Buy-till-you-die models and RFM summaries (goodwill.btyd, goodwill.utils)."""

from __future__ import annotations

import math

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ParetoNBDFitter,
)
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def cdnow(shared_data):
    return pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv")


# ---- golden values ---------------------------------------------------------


def test_bg_nbd_reproduces_fader_hardie_lee_2005(cdnow):
    bgf = BetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    # Fader, Hardie & Lee (2005), "Counting your customers the easy way":
    # r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    expected = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    assert np.allclose(bgf.params_[expected.index], expected, atol=5e-4)
    assert bgf.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    # FHL 2005: x = 2, t_x = 30.43, T = 38.86 -> 1.226 purchases in 39 weeks.
    assert bgf.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86) == pytest.approx(
        1.226, abs=5e-4
    )
    # lifetimes 0.11.3 reports se(coef) 0.012557, 0.378221, 0.185719, 0.705345.
    assert np.allclose(bgf.standard_errors_, [0.012557, 0.378221, 0.185719, 0.705345], rtol=0.01)
    summary = bgf.summary
    assert list(summary.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    assert list(summary.index) == ["r", "alpha", "a", "b"]


def test_pareto_nbd_reproduces_published_estimates(cdnow):
    pnbd = ParetoNBDFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    # Fader & Hardie (2005), "A note on deriving the Pareto/NBD model":
    # r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669, LL = -9595.0.
    assert np.allclose(pnbd.params_[["r", "alpha", "s"]], [0.553, 10.578, 0.606], atol=5e-4)
    assert pnbd.params_["beta"] == pytest.approx(11.669, abs=5e-3)
    assert pnbd.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)
    assert (pnbd.standard_errors_ > 0).all()


def test_gamma_gamma_reproduces_note_025(cdnow):
    repeat = cdnow[cdnow["x"] > 0]
    ggf = GammaGammaFitter().fit(repeat["x"], repeat["zbar"])
    # Fader, Hardie & Lee (2005), "The Gamma-Gamma model of monetary value":
    # p = 6.25, q = 3.74, gamma (lifetimes' v) = 15.44.
    assert np.allclose(ggf.params_, [6.25, 3.74, 15.44], atol=1e-2)
    # First ten customers' conditional expected spend (lifetimes docs; the
    # README truncates to cents).
    spend = ggf.conditional_expected_average_profit(cdnow["x"], cdnow["zbar"]).head(10)
    expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    assert np.allclose(spend, expected, atol=0.01)
    assert isinstance(spend, pd.Series)


def test_bg_bb_reproduces_fader_hardie_shang_2010(shared_data):
    d = pd.read_csv(shared_data / "cdnow" / "donations.csv")
    bb = BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
    # Fader, Hardie & Shang (2010): alpha 1.204, beta 0.750, gamma 0.657,
    # delta 2.783; LL = -33,225.6.
    assert np.allclose(bb.params_, [1.204, 0.750, 0.657, 2.783], atol=5e-4)
    assert bb.log_likelihood_ == pytest.approx(-33225.6, abs=0.05)
    table = bb.expected_number_of_transactions_in_first_n_periods(6)
    assert table["model"].sum() == pytest.approx(d["weights"].sum())
    alive = bb.conditional_probability_alive(1, d["frequency"], d["recency"], d["periods"])
    assert ((alive >= 0) & (alive <= 1)).all()


def test_clv_matches_lifetimes_definition(cdnow):
    bgf = BetaGeoFitter().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])
    repeat = cdnow[cdnow["x"] > 0]
    ggf = GammaGammaFitter().fit(repeat["x"], repeat["zbar"])
    clv = ggf.customer_lifetime_value(
        bgf, repeat["x"], repeat["t_x"], repeat["T"], repeat["zbar"], time=12, discount_rate=0.01, freq="W"
    )
    assert clv.index.equals(repeat.index)
    spend = ggf.conditional_expected_average_profit(repeat["x"], repeat["zbar"])
    undiscounted = spend * bgf.conditional_expected_number_of_purchases_up_to_time(
        12 * 4.345, repeat["x"], repeat["t_x"], repeat["T"]
    )
    assert (clv <= undiscounted + 1e-9).all()
    assert (clv > 0.88 * undiscounted).all()  # 1% a month over a year


# ---- RFM summaries -----------------------------------------------------------


def _cdnow_transactions(shared_data):
    t = pd.read_csv(
        shared_data / "cdnow" / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer_id", "id", "date", "cds", "dollars"],
    )
    t["date"] = pd.to_datetime(t["date"].astype(str), format="%Y%m%d")
    return t


def test_calibration_summary_reproduces_published_cdnow_summary(shared_data, cdnow):
    t = _cdnow_transactions(shared_data)
    s = goodwill.calibration_and_holdout_data(
        t, "id", "date", calibration_period_end="1997-09-30", observation_period_end="1998-06-30",
        freq="D", freq_multiplier=7, monetary_value_col="dollars",
    )
    ref = cdnow.set_index("ID")
    assert len(s) == len(ref)
    assert np.array_equal(s["frequency_cal"].to_numpy(), ref["x"].to_numpy())
    assert np.allclose(s["recency_cal"], ref["t_x"], atol=0.0051)
    assert np.allclose(s["T_cal"], ref["T"], atol=0.0051)
    assert np.allclose(s["monetary_value_cal"], ref["zbar"], atol=0.0051)
    assert s["duration_holdout"].iloc[0] == pytest.approx(273 / 7)


def test_summary_collapses_same_period_and_matches_lifetimes_by_hand():
    t = pd.DataFrame(
        {
            "cust": ["b", "a", "a", "a", "a"],
            "when": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02", "2024-01-09", "2024-01-20"]),
            "value": [4.0, 10.0, 20.0, 5.0, 9.0],
        }
    )
    s = goodwill.summary_data_from_transaction_data(
        t, "cust", "when", monetary_value_col="value", observation_period_end="2024-01-31", freq="W"
    )
    # Weeks (Mon-Sun): a buys in weeks 0 (10+20), 1 (5) and 2 (9).
    assert list(s.index) == ["a", "b"]
    assert s.loc["a", "frequency"] == 2
    assert s.loc["a", "recency"] == 2
    assert s.loc["a", "T"] == 4
    assert s.loc["a", "monetary_value"] == pytest.approx(7.0)
    assert s.loc["b", "frequency"] == 0 and s.loc["b", "monetary_value"] == 0


def test_summary_from_ledger():
    ledger = goodwill.Ledger(
        {
            "customer": ["x", "x", "x", "y"],
            "time": [0.0, 3.0, 10.0, 2.0],
            "kind": ["purchase", "meeting", "deal_won", "purchase"],
            "amount": [5.0, 0.0, 7.0, 1.0],
        }
    )
    s = goodwill.summary_data_from_ledger(ledger, period_length=7, observation_end=21)
    assert s.loc["x", "frequency"] == 1 and s.loc["x", "recency"] == 1 and s.loc["x", "T"] == 3
    assert s.loc["x", "monetary_value"] == 7.0
    assert s.loc["y", "frequency"] == 0


# ---- errors ------------------------------------------------------------------


def test_not_fitted_and_bad_rows():
    bgf = BetaGeoFitter()
    with pytest.raises(goodwill.NotFittedError):
        _ = bgf.params_
    with pytest.raises(goodwill.NotFittedError):
        bgf.conditional_probability_alive(1, 1, 2)
    with pytest.raises(goodwill.InvalidInputError, match=r"row 1, field 'recency'"):
        bgf.fit([1, 2], [1, 5], [3, 4])
    with pytest.raises(goodwill.InvalidInputError, match=r"row 0, field 'frequency'"):
        ParetoNBDFitter().fit([-1], [0], [3])
    with pytest.raises(goodwill.InvalidInputError, match=r"field 'T'"):
        bgf.fit([1, 2], [1, 2], [3, float("nan")])
    with pytest.raises(ValueError):  # InvalidInputError is a ValueError
        GammaGammaFitter().fit([1, 0], [2.0, 3.0])
    with pytest.raises(goodwill.NotFittedError):
        GammaGammaFitter().conditional_expected_average_profit(1, 2)


# ---- properties --------------------------------------------------------------

_FITTED = {
    "bg": BetaGeoFitter(),
    "pareto": ParetoNBDFitter(),
}
_FITTED["bg"]._model = goodwill._core.value.BgNbd(0.243, 4.414, 0.793, 2.426)
_FITTED["bg"]._fit = {"params": [0.243, 4.414, 0.793, 2.426]}
_FITTED["pareto"]._model = goodwill._core.value.ParetoNbd(0.553, 10.578, 0.606, 11.669)
_FITTED["pareto"]._fit = {"params": [0.553, 10.578, 0.606, 11.669]}

customers = st.tuples(
    st.integers(min_value=0, max_value=3000),
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=0.01, max_value=1e5),
)


@settings(max_examples=150, deadline=None)
@given(customer=customers, model=st.sampled_from(["bg", "pareto"]))
def test_predictions_are_probabilities_and_monotone(customer, model):
    x, share, T = customer
    tx = 0.0 if x == 0 else share * T
    m = _FITTED[model]
    alive = m.conditional_probability_alive(x, tx, T)
    assert 0.0 <= alive <= 1.0
    previous = 0.0
    for t in (0.5, 10.0, 100.0, 5000.0):
        e = m.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)
        assert math.isfinite(e) and e >= 0
        assert e >= previous - 1e-9 * max(1.0, previous)
        previous = e


@settings(max_examples=12, deadline=None)
@given(
    extreme=st.lists(
        st.tuples(st.integers(100, 900), st.floats(0.5, 1.0), st.floats(100.0, 5000.0)), min_size=1, max_size=5
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_fits_stay_finite_with_extreme_customers(extreme, seed):
    base = goodwill.beta_geometric_nbd_model(39.0, 0.243, 4.414, 0.793, 2.426, size=2000, seed=seed)
    x = np.concatenate([base["frequency"], [e[0] for e in extreme]])
    T = np.concatenate([base["T"], [e[2] for e in extreme]])
    tx = np.concatenate([base["recency"], [e[1] * e[2] for e in extreme]])
    for fitter in (BetaGeoFitter(), ParetoNBDFitter()):
        fitter.fit(x, tx, T)
        assert np.isfinite(fitter.params_).all()
        assert math.isfinite(fitter.log_likelihood_)
        assert fitter.converged_, (type(fitter).__name__, fitter.params_.to_dict())
        alive = fitter.conditional_probability_alive(x, tx, T)
        assert np.all((alive >= 0) & (alive <= 1))


def test_pareto_nbd_stops_at_the_shape_cap_and_says_so():
    # Five customers with 900 purchases in the first half of a 100-week
    # history among 2,000 BG/NBD draws: the likelihood rises as s and beta
    # grow together, so the fit ends at the cap and names s; s has no
    # standard error there, the other parameters' are conditional on it.
    base = goodwill.beta_geometric_nbd_model(39.0, 0.243, 4.414, 0.793, 2.426, size=2000, seed=4294967295)
    x = np.concatenate([base["frequency"], [900.0] * 5])
    tx = np.concatenate([base["recency"], [50.0] * 5])
    T = np.concatenate([base["T"], [100.0] * 5])
    fit = ParetoNBDFitter().fit(x, tx, T)
    assert fit.converged_
    assert fit.at_bound_ == ["s"]
    assert fit.params_["s"] == pytest.approx(1000.0, rel=1e-12)
    summary = fit.summary
    assert math.isnan(summary.loc["s", "se(coef)"]) and math.isnan(summary.loc["s", "lower 95% bound"])
    assert summary.loc[["r", "alpha", "beta"], "se(coef)"].gt(0).all()
    # Interior fits name nothing.
    assert BetaGeoFitter().fit(x, tx, T).at_bound_ == []


def test_simulation_is_seeded_and_thread_invariant():
    a = goodwill.beta_geometric_nbd_model(52.0, 0.5, 6.0, 0.7, 2.5, size=40000, seed=3, threads=1)
    b = goodwill.beta_geometric_nbd_model(52.0, 0.5, 6.0, 0.7, 2.5, size=40000, seed=3, threads=2)
    pd.testing.assert_frame_equal(a, b)
    assert (a["recency"] <= a["T"]).all() and (a["frequency"] >= 0).all()
    fit = BetaGeoFitter().fit(a["frequency"], a["recency"], a["T"])
    truth = pd.Series({"r": 0.5, "alpha": 6.0, "a": 0.7, "b": 2.5})
    assert ((fit.params_ - truth).abs() < 4 * fit.standard_errors_).all()
