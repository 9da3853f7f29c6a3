"""Issue 17 point 9: the per-customer predictions run in pieces over threads
from 262,144 customers on (and Pareto/NBD's P(n purchases) and DERT evaluate
one integral per distinct key); the results must be the same, bit for bit,
as those of the serial path (fewer than 262,144 customers per call), and errors
must still name the first bad row."""

from __future__ import annotations

import os

import goodwill
import numpy as np
import pytest

BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PNBD = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


def _with(cls, params):
    m = cls()
    m.params_ = params
    return m


def _customers(n=300000, seed=7):
    """n customers with repeated (x, T) pairs (weekly ages, small counts) and
    continuous recencies, as a summary of a daily log gives."""
    rng = np.random.default_rng(seed)
    T = 20.0 + rng.integers(0, 60, n) / 7.0
    x = rng.poisson(1.5, n).astype(float)
    tx = np.where(x > 0, np.floor(T * rng.random(n) * 100) / 100, 0.0)
    return x, tx, T


def _chunked(fn, *cols, size=100000):
    """fn over chunks of `size` (< 262,144: the serial path), concatenated."""
    n = cols[0].size
    return np.concatenate([np.asarray(fn(*(c[i:i + size] for c in cols))) for i in range(0, n, size)])


@pytest.mark.parametrize("cls,params", [(goodwill.BetaGeoFitter, BG), (goodwill.ModifiedBetaGeoFitter, BG),
                                        (goodwill.ParetoNBDFitter, PNBD)])
def test_threaded_predictions_equal_serial(cls, params):
    m = _with(cls, params)
    x, tx, T = _customers()
    h = 39.0 + (T % 3.0)
    whole = m.conditional_expected_number_of_purchases_up_to_time(h, x, tx, T)
    parts = _chunked(lambda a, b, c, d: m.conditional_expected_number_of_purchases_up_to_time(a, b, c, d),
                     h, x, tx, T)
    np.testing.assert_array_equal(whole, parts)
    np.testing.assert_array_equal(m.conditional_probability_alive(x, tx, T),
                                  _chunked(m.conditional_probability_alive, x, tx, T))


@pytest.mark.parametrize("n", [0, 2])
def test_pareto_probability_of_n_equal_serial(n):
    m = _with(goodwill.ParetoNBDFitter, PNBD)
    x, tx, T = _customers()
    whole = m.conditional_probability_of_n_purchases_up_to_time(n, 39.0, x, tx, T)
    parts = _chunked(lambda a, b, c: m.conditional_probability_of_n_purchases_up_to_time(n, 39.0, a, b, c), x, tx, T)
    np.testing.assert_array_equal(whole, parts)
    # one customer at a time (no keys shared): the same values
    for i in (0, 17, 299999):
        assert whole[i] == m.conditional_probability_of_n_purchases_up_to_time(n, 39.0, x[i], tx[i], T[i])


def test_pareto_dert_equal_serial():
    m = _with(goodwill.ParetoNBDFitter, PNBD)
    x, tx, T = _customers()
    delta = np.log(1.15) / 52
    whole = m.discounted_expected_residual_transactions(x, tx, T, delta)
    np.testing.assert_array_equal(whole, _chunked(
        lambda a, b, c: m.discounted_expected_residual_transactions(a, b, c, delta), x, tx, T))
    for i in (0, 200001):
        assert whole[i] == m.discounted_expected_residual_transactions(x[i], tx[i], T[i], delta)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every path is serial")
def test_pareto_per_key_integrals_on_threads_equal_serial():
    """The per-key integrals go to threads from 2,048 distinct keys (128
    customers' worth each): 3,000 customers with continuous ages give 3,000
    (t, x, T) keys and 3,000 T keys, against chunks of 1,000 (serial)."""
    m = _with(goodwill.ParetoNBDFitter, PNBD)
    rng = np.random.default_rng(11)
    T = 20.0 + 40.0 * rng.random(3000)
    x = rng.poisson(1.5, 3000).astype(float)
    tx = np.where(x > 0, T * rng.random(3000), 0.0)
    assert np.unique(T).size == 3000
    whole = m.conditional_probability_of_n_purchases_up_to_time(1, 39.0, x, tx, T)
    np.testing.assert_array_equal(whole, _chunked(
        lambda a, b, c: m.conditional_probability_of_n_purchases_up_to_time(1, 39.0, a, b, c),
        x, tx, T, size=1000))
    delta = np.log(1.15) / 52
    dert = m.discounted_expected_residual_transactions(x, tx, T, delta)
    np.testing.assert_array_equal(dert, _chunked(
        lambda a, b, c: m.discounted_expected_residual_transactions(a, b, c, delta), x, tx, T, size=1000))


def test_threaded_error_names_first_bad_row():
    m = _with(goodwill.ParetoNBDFitter, PNBD)
    x, tx, T = _customers()
    tx[170000] = T[170000] + 1.0  # recency > T, in the eleventh piece of 16,384
    tx[290000] = T[290000] + 1.0
    for call in (lambda: m.conditional_probability_alive(x, tx, T),
                 lambda: m.conditional_probability_of_n_purchases_up_to_time(0, 39.0, x, tx, T),
                 lambda: m.discounted_expected_residual_transactions(x, tx, T, 0.01)):
        with pytest.raises(goodwill.InvalidInputError, match="170000"):
            call()


def test_expected_purchases_many_equal_one_by_one():
    m = _with(goodwill.BetaGeoFitter, BG)
    t = np.arange(5000.0) / 7.0
    many = m.expected_number_of_purchases_up_to_time(t)
    one = np.array([m.expected_number_of_purchases_up_to_time(v) for v in t[::397]])
    np.testing.assert_array_equal(many[::397], one)
