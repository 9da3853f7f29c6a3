"""goodwill.calibrate_market: known parameters recovered, moments matched, named errors."""

from __future__ import annotations

import warnings

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill import InvalidInputError
from goodwill.calibration import CALIBRATED_FIELDS, CalibrationWarning
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _known_market() -> goodwill.MarketModel:
    m = goodwill.market_model()
    m.mix = [0.2, 0.4, 0.1, 0.1, 0.2]
    m.set_archetype("price_shopper", "deals_per_year", 6.0)
    m.set_archetype("loyal_partner", "churn_per_year", 0.15)
    m.set_archetype("growing_account", "win_prob", 0.5)
    return m


@pytest.fixture(scope="module")
def observed() -> goodwill.Market:
    return goodwill.synthetic_market(5000, years=3, seed=11, market=_known_market())


@pytest.fixture(scope="module")
def calibration(observed: goodwill.Market) -> goodwill.Calibration:
    return goodwill.calibrate_market(observed.ledger)


#: The rates whose intervals are checked for coverage: all of them. The
#: intervals carry the bootstrap error of each auxiliary value, the gap the
#: corrections leave and the EM-versus-labels estimator difference through
#: each value's estimated slope in its parameter (calibrate.hpp, 2b).
#: Coverage of the 95% intervals measured when written on twenty ledgers of
#: 3,000 customers (seeds 11-30), 100 intervals a field: deals_per_year 95,
#: win_prob 97, concessions 97 (seeds 11-20: 22 of 50 with the former slope-1
#: intervals), churn_per_year 91, return_share 94, deal_size 89,
#: purchases_per_year 93 (27 of 50 at slope 1), meeting_days 93 (43 of 50),
#: the mix 96: 94% over the 800 rate intervals. Those twenty calibrations all
#: used seed 1 for their simulated markets: the simulated market's noise, which
#: the intervals carry (calibrate.hpp, 2b), was one draw for all twenty, and
#: the figures are coverage given that draw (deal_size's mean errors were -1.25
#: to +1.0 of their across-ledger standard deviation). With a seed per ledger
#: (ledger seed + 1000), measured on the same twenty ledgers: deals_per_year 97,
#: win_prob 98, concessions 96, churn_per_year 96, return_share 90, deal_size
#: 94 (mean errors -0.49 to +0.40 standard deviations), purchases_per_year 99,
#: meeting_days 92, the mix 90: 95% over the rates (1 to 6 misses a ledger).
COVERAGE_FIELDS = CALIBRATED_FIELDS


def _coverage(cal: goodwill.Calibration, truth: pd.DataFrame, mix: list[float]) -> tuple[int, int, list[str]]:
    """Fitted rates (COVERAGE_FIELDS) and mix whose 95% interval holds the truth: (inside, total, misses)."""
    p = cal.parameters
    inside, total, misses = 0, 0, []
    for name in p.index:
        for f in COVERAGE_FIELDS:
            if not p.loc[name, f"{f}_fitted"]:
                continue
            total += 1
            t = float(truth.loc[name, f])
            if p.loc[name, f"{f}_lower"] <= t <= p.loc[name, f"{f}_upper"]:
                inside += 1
            else:
                misses.append(f"{name}.{f}: {t} not in [{p.loc[name, f'{f}_lower']:.4g}, {p.loc[name, f'{f}_upper']:.4g}]")
        total += 1
        t = mix[list(p.index).index(name)]
        if p.loc[name, "mix_lower"] <= t <= p.loc[name, "mix_upper"]:
            inside += 1
        else:
            misses.append(f"{name}.mix: {t} not in [{p.loc[name, 'mix_lower']:.4g}, {p.loc[name, 'mix_upper']:.4g}]")
    return inside, total, misses


def test_recovers_known_parameters(calibration: goodwill.Calibration) -> None:
    truth = goodwill.archetype_table(_known_market())
    p = calibration.parameters
    assert list(p.index) == list(goodwill.ARCHETYPES)
    assert p["identified"].all()
    # every fitted parameter has a standard error and an interval around its estimate
    for f in CALIBRATED_FIELDS:
        fitted = p[f"{f}_fitted"].to_numpy(dtype=bool)
        assert fitted.all(), f  # a ledger with every kind of event: all fitted
        assert (p[f"{f}_se"] > 0).all(), f
        assert (p[f"{f}_lower"] <= p[f]).all() and (p[f] <= p[f"{f}_upper"]).all(), f
    # the shoppers' deal rate moved from the table's 4 to the data's 6
    assert p.loc["price_shopper", "deals_per_year_lower"] > 5.0
    assert p.loc["price_shopper", "deals_per_year_start"] == 4.0
    inside, total, misses = _coverage(calibration, truth, [0.2, 0.4, 0.1, 0.1, 0.2])
    # 45 intervals (8 fields and the mix, 5 archetypes); at the measured 94%
    # coverage about 3 misses are expected, 9 or more has probability under 1%
    # (measured on seeds 11-30 at 3,000 customers: 1 to 6 misses a ledger).
    assert total == 45
    assert total - inside <= 8, misses


@pytest.mark.parametrize("seed", [12, 13])
def test_intervals_cover_the_truth_on_other_ledgers(seed: int) -> None:
    # Coverage over independent ledgers from the same known market, each with
    # its own seed for the simulated markets (see COVERAGE_FIELDS; measured
    # when written: 3 misses on seed 12, 1 on seed 13).
    ledger = goodwill.synthetic_market(3000, years=3, seed=seed, market=_known_market()).ledger
    cal = goodwill.calibrate_market(ledger, seed=seed + 1000)
    inside, total, misses = _coverage(cal, goodwill.archetype_table(_known_market()), [0.2, 0.4, 0.1, 0.1, 0.2])
    assert total == 45
    assert total - inside <= 8, misses
    assert cal.stop_reason in ("converged", "stalled")


def test_moments_within_sampling_error(calibration: goodwill.Calibration) -> None:
    m = calibration.moments
    assert list(m.columns) == ["observed", "observed_se", "simulated", "simulated_se", "z", "fitted"]
    assert m["fitted"].all()  # a ledger with every kind of event: every moment fitted
    assert {"deals_per_customer_year", "win_rate", "realisation", "churn_per_customer_year", "return_share"} <= set(m.index)
    assert (m["observed_se"] > 0).all()
    assert (m["z"].abs() < 3.0).all(), m
    assert calibration.p_value > 0.001
    assert calibration.fits
    # the p-value's weights: eigenvalues of the z's correlation, largest first,
    # summing to the moments counted; correlated moments make them unequal
    w = np.asarray(calibration.chi_square_weights)
    assert len(w) == calibration.dof and np.all(np.diff(w) <= 0) and np.all(w > 0)
    assert w.sum() == pytest.approx(calibration.dof, rel=1e-9)
    assert w[0] > 1.2 and w[-1] < 0.8
    # the corrections stop by themselves, before the most allowed, and say why
    assert calibration.stop_reason in ("converged", "stalled")
    assert 1 <= calibration.best_iteration <= calibration.iterations < 30


def test_simulated_ledgers_match_the_input(observed: goodwill.Market, calibration: goodwill.Calibration) -> None:
    # A market drawn from the calibrated model (its mix by default) has the
    # input's summary moments, within their sampling error.
    again = goodwill.synthetic_market(5000, years=3, seed=99, market=calibration.market)
    other = goodwill.calibrate_market(again.ledger, iterations=1)
    a, b = calibration.moments, other.moments
    z = (a["observed"] - b["observed"]) / np.hypot(a["observed_se"], b["observed_se"])
    assert (z.abs() < 3.5).all(), z
    # ... and the policy simulator takes the calibrated market and its mix.
    run = goodwill.simulate("trust_builder", customers=300, months=6, ledger=False, market=calibration.market)
    types = run.customers["customer_type"].value_counts(normalize=True)
    assert types["price_shopper"] > types["win_lose_negotiator"]


def test_a_wrong_model_is_detected(observed: goodwill.Market) -> None:
    # Calibrate with one iteration from a far-off start and the fit is
    # rejected: the check can fail.
    start = goodwill.market_model()
    for name in goodwill.ARCHETYPES:
        start.set_archetype(name, "deals_per_year", 0.5)
    bad = goodwill.calibrate_market(observed.ledger, iterations=1, start=start, min_customers=1e9)
    assert not bad.fits
    assert bad.moments["z"].abs().max() > 3.0


def test_thread_count_invariant(observed: goodwill.Market) -> None:
    a = goodwill.calibrate_market(observed.ledger, iterations=2, threads=1)
    b = goodwill.calibrate_market(observed.ledger, iterations=2, threads=2)
    pd.testing.assert_frame_equal(a.parameters, b.parameters)
    pd.testing.assert_frame_equal(a.moments, b.moments)


def test_result_display(calibration: goodwill.Calibration) -> None:
    html = calibration._repr_html_()
    assert "chi-square" in html and "realisation" in html
    # each fitted value is shown with its interval, each unfitted one as the start's
    p = calibration.parameters
    a = p.index[p["deals_per_year_fitted"]][0]
    lo, hi = p.loc[a, "deals_per_year_lower"], p.loc[a, "deals_per_year_upper"]
    assert f"[{lo:.4g}, {hi:.4g}]" in html
    assert "95% interval" in html
    assert ("(start)" in html) == bool((~p[[f"{f}_fitted" for f in CALIBRATED_FIELDS]]).to_numpy().any())
    assert "Calibration" in repr(calibration)
    assert set(CALIBRATED_FIELDS) <= set(calibration.parameters.columns)
    assert set(calibration.mix) == set(goodwill.ARCHETYPES)
    assert calibration.auxiliary.index.names == ["fit", "archetype"]


def test_named_errors() -> None:
    with pytest.raises(InvalidInputError) as e:
        goodwill.calibrate_market(goodwill.Ledger())
    assert e.value.field == "ledger"
    no_deals = goodwill.Ledger.from_frame(
        pd.DataFrame({"customer": [1, 1], "time": [0.0, 30.0], "kind": ["meeting", "proposal"], "amount": [1.0, 100.0]})
    )
    with pytest.raises(InvalidInputError) as e:
        goodwill.calibrate_market(no_deals)
    assert e.value.field == "deals"
    with pytest.raises(InvalidInputError) as e:
        goodwill.calibrate_market("not a ledger")  # type: ignore[arg-type]
    assert e.value.field == "ledger"
    small = goodwill.synthetic_market(50, seed=1).ledger
    for kwargs, field in [({"iterations": 0}, "iterations"), ({"threads": 0}, "threads"),
                          ({"simulation_factor": 0.0}, "simulation_factor"), ({"horizon_days": -1.0}, "horizon_days"),
                          ({"start": "x"}, "start"), ({"tolerance": -1.0}, "tolerance"),
                          ({"patience": 0}, "patience"), ({"bootstrap": 5}, "bootstrap"),
                          ({"bootstrap": -1}, "bootstrap"), ({"level": 1.0}, "level"),
                          ({"max_half_width": 0.0}, "max_half_width"), ({"patience": True}, "patience"),
                          ({"em_iterations": 0}, "em_iterations"), ({"em_tolerance": -1.0}, "em_tolerance"),
                          ({"em_iterations": 1.5}, "em_iterations"), ({"polish": 1}, "polish"),
                          ({"polish": "yes"}, "polish")]:
        with pytest.raises(InvalidInputError) as e:
            goodwill.calibrate_market(small, **kwargs)  # type: ignore[arg-type]
        assert e.value.field == field


def test_interval_options_reach_the_core(observed: goodwill.Market) -> None:
    # the same fit at two levels: the 80% interval sits inside the 99% one,
    # and a half-width bound of 1e-6 leaves no parameter identified
    wide = goodwill.calibrate_market(observed.ledger, iterations=2, level=0.99, bootstrap=20)
    narrow = goodwill.calibrate_market(observed.ledger, iterations=2, level=0.80, bootstrap=20,
                                       max_half_width=1e-6)
    w, n = wide.parameters, narrow.parameters
    fitted = w["deals_per_year_fitted"]
    assert fitted.any()
    assert (n.loc[fitted, "deals_per_year_lower"] > w.loc[fitted, "deals_per_year_lower"]).all()
    assert (n.loc[fitted, "deals_per_year_upper"] < w.loc[fitted, "deals_per_year_upper"]).all()
    assert not n.loc[fitted, "deals_per_year_identified"].any()


def test_em_options_reach_the_mixture_fit(observed: goodwill.Market) -> None:
    # two EM iterations stop the ledger's mixture fit far short of the
    # default's 300: its per-archetype rates (Calibration.auxiliary) differ
    short = goodwill.calibrate_market(observed.ledger, iterations=1, em_iterations=2)
    full = goodwill.calibrate_market(observed.ledger, iterations=1)
    a, b = short.auxiliary.loc["observed"], full.auxiliary.loc["observed"]
    assert (a - b).abs().to_numpy().max() > 1e-6, (a, b)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(min_value=2.0, max_value=8.0))
def test_deal_frequency_tracks_the_data(rate: float) -> None:
    # Whatever the shoppers' true deal rate, the calibrated market's follows
    # it. The mixture need not put the shoppers in their own component (at
    # 5.5 deals a year 74% of a shoppers-only book went to win_lose_negotiator,
    # found by hypothesis): the labels are not identified there, so the check
    # is on the mix-weighted rate.
    m = goodwill.market_model()
    m.mix = [0.0, 1.0, 0.0, 0.0, 0.0]
    m.set_archetype("price_shopper", "deals_per_year", rate)
    led = goodwill.synthetic_market(1500, years=2, seed=3, market=m).ledger
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)  # its labels: the test below
        cal = goodwill.calibrate_market(led)
    p = cal.parameters
    weighted = float((p["mix"] * p["deals_per_year"]).sum() / p["mix"].sum())
    # either the calibrated rate follows the data or the fit says it does not
    # fit (found by hypothesis after the damped corrections: at 7.19 deals a
    # year the mixture puts 37% of the book in loyal_partner, the weighted
    # rate is 25% high, and p < 1e-4, so the calibration is rejected)
    # Measured when written at 2, 3, 4, 5, 6, 7.19 and 8 deals a year: -1.1%,
    # -3.1%, +1.5%, -5.0%, +4.7%, +24% and -0.9%; the 24% miss (7.19) is
    # rejected (p 1.6e-34), and every one of these books has its split
    # components' labels reported not identified (CalibrationWarning).
    assert abs(weighted / rate - 1.0) < 0.1 or not cal.fits, (rate, weighted, cal.p_value)
    # (the moments of such a book need not fit: at 7 deals a year the deal
    # frequency's z was 4.0; see the xfail below)


def test_single_archetype_book_far_from_the_table_says_its_labels_are_not_identified() -> None:
    # A book of one archetype whose deal rate is far from the table's is split
    # by the mixture over several components, whose unfitted rates (service,
    # promises, referrals, support, deal growth) are then other archetypes':
    # the calibrated model does not reproduce it (events per customer z about
    # -6, mean log deal size -4 at 6 deals a year), and the model cannot
    # identify which archetypes the book holds from these events. The label
    # check says so: by name, with the figures, and with a CalibrationWarning.
    m = goodwill.market_model()
    m.mix = [0.0, 1.0, 0.0, 0.0, 0.0]
    m.set_archetype("price_shopper", "deals_per_year", 6.0)
    led = goodwill.synthetic_market(1500, years=2, seed=3, market=m).ledger
    # the warning is the package's, importable as goodwill.CalibrationWarning
    with pytest.warns(goodwill.CalibrationWarning, match="not identified"):
        cal = goodwill.calibrate_market(led, iterations=8)
    assert goodwill.CalibrationWarning is CalibrationWarning
    assert not cal.labels_identified
    p = cal.parameters
    flagged = list(p.index[~p["label_identified"]])
    assert flagged and "price_shopper" not in flagged, p["label_z"]
    assert (p.loc[flagged, "label_z"].abs() > 3).all()
    assert all(any(n.startswith(a) for n in cal.identification) for a in flagged)
    assert "Not identified" in cal._repr_html_()
    # the fit check agrees: this calibrated model does not reproduce the book
    assert not cal.fits


def test_known_market_labels_are_identified(calibration: goodwill.Calibration) -> None:
    # the same check passes on a market of all five archetypes (the check can pass)
    p = calibration.parameters
    assert calibration.labels_identified, calibration.identification
    assert p["label_identified"].all()
    assert p["label_z"].notna().all()
