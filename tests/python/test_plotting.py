"""goodwill.plotting: lifetimes' plots drawn from goodwill's fitters (issue 17, point 4)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import goodwill
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from goodwill import plotting

BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PNBD = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def customers():
    return goodwill.beta_geometric_nbd_model(np.linspace(20.0, 40.0, 1500), 0.243, 4.414, 0.793, 2.426, seed=3)


@pytest.fixture(scope="module")
def bgf(customers):
    return goodwill.BetaGeoFitter().fit(customers["frequency"], customers["recency"], customers["T"])


@pytest.fixture(scope="module")
def transactions():
    rng = np.random.default_rng(5)
    rows = []
    for cust in range(300):
        start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 30)))
        days = np.concatenate([[0], np.sort(rng.integers(1, 200, size=int(rng.integers(0, 6))))])
        rows += [(cust, start + pd.Timedelta(days=int(d))) for d in days]
    return pd.DataFrame(rows, columns=["id", "date"])


def _fitter(cls, params):
    f = cls()
    f.params_ = params
    return f


@pytest.mark.parametrize("cls,params", [(goodwill.BetaGeoFitter, BG), (goodwill.ParetoNBDFitter, PNBD),
                                        (goodwill.ModifiedBetaGeoFitter, BG)])
def test_period_transactions_model_bars_are_the_expected_customers(customers, cls, params):
    model = _fitter(cls, params)
    ax = plotting.plot_period_transactions(model, customers["frequency"], customers["T"], max_frequency=7)
    heights = np.array([p.get_height() for p in ax.patches])
    table = plotting.period_transactions(model, customers["frequency"], customers["T"], 7)
    assert heights.size == 16
    assert np.allclose(heights[:8], table["actual"]) and np.allclose(heights[8:], table["model"])
    assert table["model"].sum() == pytest.approx(len(customers), rel=1e-12)
    assert (table["model"] >= 0).all()
    assert table["actual"].sum() == len(customers)
    # The bars are P(X(T_i) = n) summed over customers: with enough bins their
    # mean is the sum of E[X(T_i)] (an independent function of the model).
    wide = plotting.period_transactions(model, customers["frequency"], customers["T"], 150)
    mean = float(np.dot(np.arange(150), wide["model"].to_numpy()[:150]))
    expected = float(np.sum(model.expected_number_of_purchases_up_to_time(customers["T"].to_numpy())))
    assert mean == pytest.approx(expected, rel=2e-3)
    assert ax.get_ylabel() == "Customers"
    assert "repeat purchases" in ax.get_xlabel()


def test_period_transactions_fits_the_data_it_came_from(customers, bgf):
    table = plotting.period_transactions(bgf, customers["frequency"], customers["T"])
    # Customers drawn from the model: each bin within 4 binomial sd of the expectation.
    n = len(customers)
    sd = np.sqrt(table["model"] * (1 - table["model"] / n))
    assert (np.abs(table["actual"] - table["model"]) < 4 * sd + 1).all()


def test_frequency_recency_matrix(bgf):
    ax = plotting.plot_frequency_recency_matrix(bgf, T=10, max_frequency=12, max_recency=30, time_unit="week")
    z = np.asarray(ax.get_images()[0].get_array())
    assert z.shape == (31, 13)
    assert np.all(np.isfinite(z)) and np.all(z >= 0)
    assert z[30, 5] == pytest.approx(bgf.conditional_expected_number_of_purchases_up_to_time(10, 5, 30, 30))
    # A customer who just bought (recency = age) buys more the more they bought.
    assert np.all(np.diff(z[30]) > 0)
    assert "weeks" in ax.get_ylabel()
    # Defaults: the data fitted.
    default = plotting.plot_frequency_recency_matrix(bgf)
    mf, mt = bgf._extent
    assert np.asarray(default.get_images()[0].get_array()).shape == (int(mt) + 1, int(mf) + 1)


def test_probability_alive_matrix(bgf):
    ax = plotting.plot_probability_alive_matrix(bgf, max_frequency=10, max_recency=39)
    z = np.asarray(ax.get_images()[0].get_array())
    assert z.shape == (40, 11)
    assert np.all((z >= 0) & (z <= 1))
    # BG/NBD: a customer with no repeat purchase cannot have dropped out.
    assert np.allclose(z[:, 0], 1.0)
    # Long silence after many purchases: nearly surely gone.
    assert z[0, 10] < 0.05
    assert np.allclose(z, bgf.conditional_probability_alive_matrix(10, 39))


def test_calibration_purchases_vs_holdout_purchases(bgf):
    rng = np.random.default_rng(1)
    m = pd.DataFrame({"frequency_cal": rng.integers(0, 9, 400).astype(float)})
    m["T_cal"] = 39.0
    m["recency_cal"] = np.where(m["frequency_cal"] > 0, rng.uniform(0, 39, 400), 0.0)
    m["frequency_holdout"] = rng.poisson(m["frequency_cal"] / 2).astype(float)
    m["duration_holdout"] = 26.0
    ax = plotting.plot_calibration_purchases_vs_holdout_purchases(bgf, m, n=7, time_unit="week")
    actual, model = ax.get_lines()[:2]
    table = plotting.calibration_purchases_vs_holdout_purchases(bgf, m, n=7)
    assert np.allclose(actual.get_ydata(), m.groupby("frequency_cal")["frequency_holdout"].mean().iloc[:7])
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(
        26.0, m["frequency_cal"], m["recency_cal"], m["T_cal"]).groupby(m["frequency_cal"]).mean().iloc[:7]
    assert np.allclose(model.get_ydata(), expected)
    assert table["customers"].sum() == int((m["frequency_cal"] < 7).sum())
    assert ax.get_ylabel() == "Mean purchases in the 26-week holdout period"
    by_gap = plotting.calibration_purchases_vs_holdout_purchases(bgf, m, kind="time_since_last_purchase", n=500)
    assert by_gap["customers"].sum() == len(m)
    with pytest.raises(goodwill.InvalidInputError, match="kind"):
        plotting.plot_calibration_purchases_vs_holdout_purchases(bgf, m, kind="monetary")


def test_history_alive(bgf):
    tx = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-03", "2024-01-20"])})
    ax = plotting.plot_history_alive(bgf, 60, tx, "date")
    path = plotting.alive_path(bgf, tx, "date", 60)
    y = ax.get_lines()[0].get_ydata()
    assert len(y) == 60 and np.allclose(y, path.to_numpy())
    assert path.iloc[0] == 1.0 and path.iloc[1] == 1.0  # no repeat purchase yet
    # Day 2: the first repeat purchase (two that day count once), recency = age.
    assert path.iloc[2] == pytest.approx(bgf.conditional_probability_alive(1, 2, 2))
    # Silence lowers P(alive); the next purchase raises it again.
    assert np.all(np.diff(path.iloc[2:19]) < 0) and path.iloc[19] > path.iloc[18]
    assert ax.get_ylim() == (0.0, 1.0) and ax.get_ylabel() == "P(alive)"


def test_cumulative_and_incremental_transactions(bgf, transactions):
    ax = plotting.plot_cumulative_transactions(bgf, transactions, "date", "id", t=210, t_cal=100,
                                               freq_multiplier=7)
    table = goodwill.expected_cumulative_transactions(bgf, transactions, "date", "id", 210, freq_multiplier=7)
    lines = ax.get_lines()
    assert np.allclose(lines[0].get_ydata(), table["actual"]) and np.allclose(lines[1].get_ydata(), table["predicted"])
    assert lines[2].get_xdata()[0] == 100
    assert ax.get_ylabel() == "Cumulative repeat transactions"
    inc = plotting.plot_incremental_transactions(bgf, transactions, "date", "id", t=210, t_cal=100,
                                                 freq_multiplier=7)
    y = inc.get_lines()[1].get_ydata()
    assert np.nansum(y) == pytest.approx(table["predicted"].iloc[-1] - table["predicted"].iloc[0])
    assert "per 7×D period" in inc.get_ylabel()


def test_heterogeneity_plots():
    stats = pytest.importorskip("scipy.stats")
    bgf = _fitter(goodwill.BetaGeoFitter, BG)
    ax = plotting.plot_transaction_rate_heterogeneity(bgf, time_unit="week")
    x, y = ax.get_lines()[0].get_data()
    rv = stats.gamma(BG["r"], scale=1 / BG["alpha"])
    assert x[-1] == pytest.approx(rv.ppf(0.99), rel=1e-8)
    assert np.allclose(y, rv.pdf(x), rtol=1e-10)
    assert "mean: 0.055" in ax.get_title()
    assert ax.get_xlabel() == "Transaction rate λ (purchases per week)"

    ax = plotting.plot_dropout_rate_heterogeneity(bgf)
    x, y = ax.get_lines()[0].get_data()
    rv = stats.beta(BG["a"], BG["b"])
    assert x[-1] == pytest.approx(rv.ppf(0.99), rel=1e-3)
    assert np.allclose(y, rv.pdf(x), rtol=1e-10)

    pnbd = _fitter(goodwill.ParetoNBDFitter, PNBD)
    ax = plotting.plot_dropout_rate_heterogeneity(pnbd, time_unit="week")
    x, y = ax.get_lines()[0].get_data()
    rv = stats.gamma(PNBD["s"], scale=1 / PNBD["beta"])
    assert x[-1] == pytest.approx(rv.ppf(0.99), rel=1e-8)
    assert ax.get_xlabel() == "Dropout rate μ (per week)"
    with pytest.raises(goodwill.InvalidInputError, match="model"):
        plotting.plot_transaction_rate_heterogeneity(goodwill.GammaGammaFitter())


def test_unfitted_model_says_so():
    with pytest.raises(goodwill.NotFittedError):
        plotting.plot_probability_alive_matrix(goodwill.BetaGeoFitter(), 5, 5)


def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(plotting, extraglobs={"goodwill": goodwill, "pd": pd, "np": np},
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 30 and result.failed == 0


def test_period_transactions_bg_bb():
    # BG/BB with the published donations parameters (Fader, Hardie & Shang
    # 2010) on made-up frequencies: 6 opportunities each, so at most 6
    # transactions; the model bars' mean is E[X(6)], another function.
    model = _fitter(goodwill.BetaGeoBetaBinomFitter, {"alpha": 1.204, "beta": 0.750, "gamma": 0.657,
                                                       "delta": 2.783})
    freq = np.repeat(np.arange(7.0), [3464, 1823, 1430, 1085, 1125, 1182, 1000])
    periods = np.full(freq.size, 6.0)
    table = plotting.period_transactions(model, freq, periods, max_frequency=7)
    assert table["model"].sum() == pytest.approx(freq.size, rel=1e-12)
    assert abs(table["model"].iloc[-1]) < 1e-6 * freq.size  # no one has 7+ of 6
    mean = float(np.dot(np.arange(7), table["model"].to_numpy()[:7])) / freq.size
    assert mean == pytest.approx(model.expected_number_of_purchases_up_to_time(6), rel=1e-9)
    ax = plotting.plot_period_transactions(model, freq, periods)
    assert len(ax.patches) == 16
