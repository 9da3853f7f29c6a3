"""penalizer_coef is lifetimes' penalty (issue 17, point 6).

lifetimes 0.11.3 fits BG/NBD, MBG/NBD and Pareto/NBD in time rescaled so that
the oldest customer's age is 1 (``lifetimes.utils._scale_time``: 1 / max T),
minimising the mean negative log-likelihood (Pareto/NBD: the sum divided by
the mean weight) plus ``penalizer_coef * sum(params ** 2)`` of the rescaled
parameters, then divides the rate parameters by the scale. goodwill's fitters
do the same when ``penalizer_coef > 0``; these golden values were computed
once with lifetimes 0.11.3 (pip, numpy/scipy/autograd of this venv) by

    d = pd.read_csv("cdnow/cdnow_customers_summary.csv")
    lifetimes.BetaGeoFitter(penalizer_coef=c).fit(d.frequency, d.recency, d["T"]).params_
    lifetimes.ModifiedBetaGeoFitter(penalizer_coef=c).fit(...).params_
    lifetimes.ParetoNBDFitter(penalizer_coef=c).fit(...).params_

for c = 0.1 and c = 10 (full precision as printed by repr).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from goodwill import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

LIFETIMES_0_11_3 = {
    (BetaGeoFitter, 0.1): [0.23094701386573424, 4.2192875236191, 0.12865474020745932, 0.26712679605042017],
    (BetaGeoFitter, 10.0): [0.08646024860455145, 1.0683471455240119, 0.011904978273155863, 0.024863058631167285],
    (ModifiedBetaGeoFitter, 0.1): [0.40821961633248555, 5.312090014958165, 0.20482191780780956,
                                   0.3467883787625017],
    (ModifiedBetaGeoFitter, 10.0): [0.08893750170540043, 1.600840089895036, 1.4445203316434015e-05,
                                    0.005367475444125342],
    (ParetoNBDFitter, 0.1): [0.5535481174279813, 10.577660957321962, 0.6008277827935506, 11.496101587957748],
    (ParetoNBDFitter, 10.0): [0.5455117655212293, 10.312019070526441, 0.44837780517129344, 7.1194795164880595],
}
# lifetimes' optimisers: BFGS with tol 1e-7 (BG/NBD, MBG/NBD; goodwill agrees
# to 2e-6 relative), Nelder-Mead (Pareto/NBD; agreement 1.5e-4 relative).
RTOL = {BetaGeoFitter: 1e-5, ModifiedBetaGeoFitter: 1e-5, ParetoNBDFitter: 5e-4}


@pytest.fixture(scope="module")
def cdnow(shared_data):
    return pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary.csv")


@pytest.mark.parametrize(("cls", "c"), list(LIFETIMES_0_11_3), ids=lambda v: getattr(v, "__name__", str(v)))
def test_penalised_fit_reproduces_lifetimes(cdnow, cls, c):
    fitter = cls(penalizer_coef=c).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert fitter.converged_
    assert np.allclose(fitter.params_.to_numpy(), LIFETIMES_0_11_3[(cls, c)], rtol=RTOL[cls], atol=0)


def test_penalty_ignores_the_time_unit(cdnow):
    # lifetimes' rescaling makes the penalised fit the same whatever unit the
    # ages are in: days give the weekly fit with alpha in days (x 7).
    weeks = BetaGeoFitter(penalizer_coef=0.1).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    days = BetaGeoFitter(penalizer_coef=0.1).fit(cdnow["frequency"], cdnow["recency"] * 7, cdnow["T"] * 7)
    assert days.params_["alpha"] == pytest.approx(7 * weeks.params_["alpha"], rel=1e-6)
    assert np.allclose(days.params_[["r", "a", "b"]], weeks.params_[["r", "a", "b"]], rtol=1e-6)
    assert days.standard_errors_["alpha"] == pytest.approx(7 * weeks.standard_errors_["alpha"], rel=1e-4)


def test_log_likelihood_is_in_the_data_time_unit(cdnow):
    # With a vanishing penalty the rescaled fit is the unpenalised one: same
    # parameters and the same log-likelihood (the Jacobian of the rescaling is
    # added back), FHL 2005's -9582.4.
    tiny = BetaGeoFitter(penalizer_coef=1e-12).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    plain = BetaGeoFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert np.allclose(tiny.params_, plain.params_, rtol=1e-5)
    assert tiny.log_likelihood_ == pytest.approx(plain.log_likelihood_, abs=1e-6)
    assert np.allclose(tiny.standard_errors_, plain.standard_errors_, rtol=1e-4)
    assert plain.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)


def test_penalty_shrinks_towards_zero(cdnow):
    args = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    norms = [float(np.sum(ParetoNBDFitter(penalizer_coef=c).fit(*args).params_[["r", "s"]] ** 2))
             for c in (0.0, 0.1, 10.0)]
    assert norms[0] > norms[1] > norms[2]


def test_weighted_pareto_nbd_penalty_is_lifetimes_per_row(cdnow):
    # lifetimes' Pareto/NBD divides the weighted LL by the mean weight, so the
    # penalty weighs more against 1,016 distinct rows than 2,357 customers:
    # lifetimes 0.11.3, ParetoNBDFitter(penalizer_coef=0.1).fit(g.frequency,
    # g.recency, g["T"], weights=g.w) on the distinct rows g of the summary.
    g = cdnow.groupby(["frequency", "recency", "T"]).size().rename("w").reset_index()
    assert len(g) == 1016
    fitter = ParetoNBDFitter(penalizer_coef=0.1).fit(g["frequency"], g["recency"], g["T"], weights=g["w"])
    lifetimes_params = [0.5538898043188336, 10.578022177542078, 0.5942558537064779, 11.287173677193191]
    assert np.allclose(fitter.params_.to_numpy(), lifetimes_params, rtol=5e-4, atol=0)
    # BG/NBD divides by the weights' sum: compressing the rows changes nothing.
    bg_rows = BetaGeoFitter(penalizer_coef=0.1).fit(g["frequency"], g["recency"], g["T"], weights=g["w"])
    assert np.allclose(bg_rows.params_.to_numpy(), LIFETIMES_0_11_3[(BetaGeoFitter, 0.1)], rtol=1e-5, atol=0)
