"""Buy-till-you-die models in lifetimes' vocabulary: BG/NBD, Pareto/NBD,
Gamma-Gamma spend and BG/BB, fitted by maximum likelihood in C++.

The fitters take and return pandas objects: pass Series (customers as the
index) and you get Series back with the same index; pass arrays or scalars
and you get arrays or floats. Parameters are in :attr:`params_` (a Series),
their standard errors (from the inverse Hessian) in :attr:`standard_errors_`,
and :attr:`summary` is lifetimes' table (coef, se(coef), 95% bounds).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._columns import threads_arg

ArrayLike = Any

__all__ = [
    "BetaGeoBetaBinomFitter",
    "BetaGeoFitter",
    "GammaGammaFitter",
    "ParetoNBDFitter",
    "beta_geometric_nbd_model",
]

# Months → model time units, as lifetimes' customer_lifetime_value(freq=...).
_PERIODS_PER_MONTH = {"W": 4.345, "M": 1.0, "D": 30.0, "H": 30.0 * 24.0}


def _column(values: ArrayLike, name: str) -> npt.NDArray[np.float64]:
    """A contiguous float64 copy-free view where possible; errors name the field."""
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    try:
        arr = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise _core.InvalidInputError(f"field '{name}': not numeric ({exc})") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise _core.InvalidInputError(f"field '{name}': must be one-dimensional")
    return arr


def _shape_like(result: npt.NDArray[np.float64], like: ArrayLike) -> Any:
    """Return result as a Series (index of `like`), a float, or an array."""
    if isinstance(like, pd.Series):
        return pd.Series(np.asarray(result), index=like.index)
    if np.ndim(like) == 0:
        return float(result[0])
    return np.asarray(result)


class _Fitter:
    """What every fitter shares: parameters, standard errors, summary."""

    _param_names: tuple[str, ...] = ()
    _model_name = ""

    def __init__(self, penalizer_coef: float = 0.0) -> None:
        self.penalizer_coef = float(penalizer_coef)
        self._model: Any = None
        self._fit: dict[str, Any] | None = None

    # ---- fitted state -------------------------------------------------------

    def _require_fit(self) -> dict[str, Any]:
        if self._fit is None:
            raise _core.NotFittedError(
                f"this {type(self).__name__} is not fitted yet: call .fit(...) first"
            )
        return self._fit

    def _set_fit(self, result: dict[str, Any]) -> None:
        self._fit = result

    def _fit_kwargs(self, weights: ArrayLike | None, initial_params: Sequence[float] | None,
                    tol: float, max_iterations: int, threads: int) -> dict[str, Any]:
        return {
            "weights": None if weights is None else _column(weights, "weights"),
            "penalizer_coef": self.penalizer_coef,
            "threads": threads_arg(threads),
            "tolerance": float(tol),
            "max_iterations": int(max_iterations),
            "initial_params": [] if initial_params is None else [float(v) for v in initial_params],
        }

    @property
    def params_(self) -> pd.Series:
        """Fitted parameters, named as in lifetimes."""
        return pd.Series(self._require_fit()["params"], index=list(self._param_names), dtype=float)

    @property
    def standard_errors_(self) -> pd.Series:
        """Standard errors of the parameters (inverse Hessian, delta method)."""
        return pd.Series(self._require_fit()["standard_errors"], index=list(self._param_names), dtype=float)

    @property
    def variance_matrix_(self) -> pd.DataFrame:
        """Covariance matrix of the parameters."""
        names = list(self._param_names)
        return pd.DataFrame(np.asarray(self._require_fit()["covariance"]), index=names, columns=names)

    @property
    def log_likelihood_(self) -> float:
        """Log-likelihood at the fitted parameters (without the penalty)."""
        return float(self._require_fit()["log_likelihood"])

    @property
    def converged_(self) -> bool:
        """Whether the optimiser met its gradient tolerance."""
        return bool(self._require_fit()["converged"])

    @property
    def at_bound_(self) -> list[str]:
        """Shape parameters the fit left at their cap of 1,000 (BG/NBD: r, a,
        b; Pareto/NBD: r, s): the data push them to infinity, where that rate
        is the same for every customer. Empty for an interior optimum. Their
        standard errors are NaN; the other parameters' are conditional on
        them."""
        return [str(name) for name in self._require_fit().get("at_bound", [])]

    @property
    def summary(self) -> pd.DataFrame:
        """lifetimes' summary table: coef, se(coef), lower/upper 95% bound."""
        coef, se = self.params_, self.standard_errors_
        return pd.DataFrame(
            {
                "coef": coef,
                "se(coef)": se,
                "lower 95% bound": coef - 1.96 * se,
                "upper 95% bound": coef + 1.96 * se,
            }
        )

    def _repr_html_(self) -> str:
        """A notebook summary: the fit's size and the parameter table with 95% bounds."""
        if self._fit is None:
            return f"<b>goodwill.{type(self).__name__}</b>: not fitted"
        head = (f"<b>goodwill.{type(self).__name__}</b>: fitted with {self._fit['customers']:,.0f} subjects"
                + (f"; at a bound: {', '.join(self.at_bound_)}" if self.at_bound_ else ""))
        return f"<div>{head}</div>" + self.summary.to_html(border=0, float_format=lambda v: f"{v:.4g}")

    def __repr__(self) -> str:
        if self._fit is None:
            return f"<goodwill.{type(self).__name__}: not fitted>"
        params = ", ".join(f"{k}: {v:.2f}" for k, v in self.params_.items())
        return (
            f"<goodwill.{type(self).__name__}: fitted with {self._fit['customers']:,.0f} subjects, {params}>"
        )


class _PurchaseFitter(_Fitter):
    """Continuous-time purchase models (BG/NBD, Pareto/NBD)."""

    _core_class: Any = None

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: Sequence[float] | None = None,
        verbose: bool = False,
        tol: float = 1e-9,
        max_iterations: int = 1000,
        threads: int = 0,
    ) -> _PurchaseFitter:
        """Fit by maximum likelihood to each customer's repeat purchases
        (``frequency``), time of the last one (``recency``) and age ``T``
        (same time unit), optionally with ``weights`` (counts of identical
        customers). Raises :class:`goodwill.InvalidInputError` naming the
        field and row of bad data (negative frequency, recency > T, NaN)."""
        model = self._core_class()
        result = model.fit(
            _column(frequency, "frequency"),
            _column(recency, "recency"),
            _column(T, "T"),
            **self._fit_kwargs(weights, initial_params, tol, max_iterations, threads),
        )
        self._model = model
        self._set_fit(result)
        if verbose:
            print(f"{type(self).__name__}: LL {result['log_likelihood']:.4f} after {result['iterations']} iterations")
        return self

    def _model_or_raise(self) -> Any:
        self._require_fit()
        return self._model

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Any:
        """Expected repeat purchases in the next ``t`` time units of customers
        with the given history."""
        model = self._model_or_raise()
        out = model.conditional_expected_purchases(
            float(t), _column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T")
        )
        return _shape_like(out, frequency)

    predict = conditional_expected_number_of_purchases_up_to_time

    def conditional_probability_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> Any:
        """Probability that each customer is still alive at T."""
        model = self._model_or_raise()
        out = model.probability_alive(_column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T"))
        return _shape_like(out, frequency)

    def expected_number_of_purchases_up_to_time(self, t: ArrayLike) -> Any:
        """Expected repeat purchases in (0, t] of a customer just acquired."""
        model = self._model_or_raise()
        ts = _column(t, "t")
        out = np.array([model.expected_purchases(float(v)) for v in ts])
        return _shape_like(out, t)


class BetaGeoFitter(_PurchaseFitter):
    """BG/NBD (Fader, Hardie & Lee 2005): parameters r, alpha, a, b."""

    _param_names = ("r", "alpha", "a", "b")
    _core_class = _core.BgNbd

    def probability_of_n_purchases_up_to_time(self, t: float, n: int) -> float:
        """P(X(t) = n) for a customer just acquired."""
        return float(self._model_or_raise().probability_of_purchases(float(t), int(n)))


class ParetoNBDFitter(_PurchaseFitter):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987): r, alpha, s, beta."""

    _param_names = ("r", "alpha", "s", "beta")
    _core_class = _core.ParetoNbd


class GammaGammaFitter(_Fitter):
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005 note): p, q, v."""

    _param_names = ("p", "q", "v")

    def fit(
        self,
        frequency: ArrayLike,
        monetary_value: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: Sequence[float] | None = None,
        verbose: bool = False,
        tol: float = 1e-9,
        max_iterations: int = 1000,
        threads: int = 0,
    ) -> GammaGammaFitter:
        """Fit to repeat buyers: ``frequency`` ≥ 1 and ``monetary_value`` > 0,
        the mean value of their repeat purchases."""
        model = _core.GammaGamma()
        result = model.fit(
            _column(frequency, "frequency"),
            _column(monetary_value, "monetary_value"),
            **self._fit_kwargs(weights, initial_params, tol, max_iterations, threads),
        )
        self._model = model
        self._set_fit(result)
        if verbose:
            print(f"GammaGammaFitter: LL {result['log_likelihood']:.4f}")
        return self

    def conditional_expected_average_profit(
        self, frequency: ArrayLike | None = None, monetary_value: ArrayLike | None = None
    ) -> Any:
        """E[mean spend | frequency, monetary_value]; without arguments, the
        population mean p·v/(q − 1)."""
        self._require_fit()
        if frequency is None and monetary_value is None:
            p, q, v = self._fit["params"]  # type: ignore[index]
            return p * v / (q - 1) if q > 1 else float("nan")
        if frequency is None or monetary_value is None:
            raise _core.InvalidInputError("field 'monetary_value': give both frequency and monetary_value")
        out = self._model.conditional_expected_average_profit(
            _column(frequency, "frequency"), _column(monetary_value, "monetary_value")
        )
        return _shape_like(out, frequency)

    def customer_lifetime_value(
        self,
        transaction_prediction_model: _PurchaseFitter,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        monetary_value: ArrayLike,
        time: int = 12,
        discount_rate: float = 0.01,
        freq: str = "D",
    ) -> Any:
        """Discounted CLV over ``time`` months, lifetimes' definition: each
        month's expected purchases (from ``transaction_prediction_model``,
        whose time unit is ``freq``) times the expected spend, discounted at
        ``discount_rate`` a month."""
        self._require_fit()
        if freq not in _PERIODS_PER_MONTH:
            raise _core.InvalidInputError(f"field 'freq': one of {sorted(_PERIODS_PER_MONTH)}, got {freq!r}")
        if int(time) < 0:
            raise _core.InvalidInputError("field 'time': must be non-negative")
        factor = _PERIODS_PER_MONTH[freq]
        spend = np.asarray(self.conditional_expected_average_profit(
            _column(frequency, "frequency"), _column(monetary_value, "monetary_value")))
        f, r, t_ = _column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T")
        clv = np.zeros_like(f)
        previous = np.zeros_like(f)
        for i in range(1, int(time) + 1):
            e = np.asarray(transaction_prediction_model.conditional_expected_number_of_purchases_up_to_time(
                i * factor, f, r, t_))
            clv += spend * (e - previous) / (1.0 + discount_rate) ** i
            previous = e
        if isinstance(frequency, pd.Series):
            return pd.Series(clv, index=frequency.index, name="clv")
        return clv


class BetaGeoBetaBinomFitter(_Fitter):
    """BG/BB (Fader, Hardie & Shang 2010), discrete time: alpha, beta, gamma, delta."""

    _param_names = ("alpha", "beta", "gamma", "delta")

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: Sequence[float] | None = None,
        verbose: bool = False,
        tol: float = 1e-9,
        max_iterations: int = 1000,
        threads: int = 0,
    ) -> BetaGeoBetaBinomFitter:
        """Fit to transactions ``frequency``, the opportunity of the last one
        ``recency`` (0 if none) and ``n_periods`` opportunities, optionally
        with ``weights`` (as lifetimes' donations data)."""
        model = _core.BgBb()
        result = model.fit(
            _column(frequency, "frequency"),
            _column(recency, "recency"),
            _column(n_periods, "n_periods"),
            **self._fit_kwargs(weights, initial_params, tol, max_iterations, threads),
        )
        self._model = model
        self._set_fit(result)
        if verbose:
            print(f"BetaGeoBetaBinomFitter: LL {result['log_likelihood']:.4f}")
        return self

    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: float, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> Any:
        """Expected transactions in the next ``m_periods_in_future`` opportunities."""
        self._require_fit()
        out = self._model.conditional_expected_purchases(
            float(m_periods_in_future), _column(frequency, "frequency"), _column(recency, "recency"),
            _column(n_periods, "n_periods"))
        return _shape_like(out, frequency)

    def conditional_probability_alive(
        self, m_periods_in_future: float, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> Any:
        """P(alive at opportunity n_periods + m_periods_in_future)."""
        self._require_fit()
        out = self._model.probability_alive(
            float(m_periods_in_future), _column(frequency, "frequency"), _column(recency, "recency"),
            _column(n_periods, "n_periods"))
        return _shape_like(out, frequency)

    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> pd.DataFrame:
        """P(X(n) = x) for x = 0..n times the number of customers fitted, as
        lifetimes (column ``model``, index ``frequency``)."""
        fit = self._require_fit()
        probs = [self._model.probability_of_purchases(float(n), float(x)) for x in range(int(n) + 1)]
        return pd.DataFrame(
            {"model": np.asarray(probs) * fit["customers"]},
            index=pd.RangeIndex(int(n) + 1, name="frequency"),
        )

    def expected_number_of_purchases_up_to_time(self, n: float) -> float:
        """E[X(n)]: expected transactions in the first n opportunities."""
        self._require_fit()
        return float(self._model.expected_purchases(float(n)))


def beta_geometric_nbd_model(
    T: ArrayLike, r: float, alpha: float, a: float, b: float, size: int | None = None, seed: int = 0,
    threads: int = 0,
) -> pd.DataFrame:
    """Customers drawn from the BG/NBD process (lifetimes.generate_data's
    ``beta_geometric_nbd_model``): ``T`` is each customer's age, a scalar
    repeated ``size`` times or an array. Counter-based random numbers: the
    same ``seed`` gives the same customers on any number of threads."""
    ts = _column(T, "T")
    if size is not None:
        if ts.size != 1:
            raise _core.InvalidInputError("field 'size': give size only with a scalar T")
        ts = np.full(int(size), ts[0])
    x, tx = _core.simulate_bg_nbd(float(r), float(alpha), float(a), float(b), ts, int(seed), threads_arg(threads))
    return pd.DataFrame({"frequency": np.asarray(x), "recency": np.asarray(tx), "T": ts})
