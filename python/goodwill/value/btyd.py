"""Buy-till-you-die models in lifetimes' vocabulary: BG/NBD, Pareto/NBD,
Gamma-Gamma spend and BG/BB, fitted by maximum likelihood in C++.

The fitters take and return pandas objects: pass Series (customers as the
index) and you get Series back with the same index; pass arrays or scalars
and you get arrays or floats. Parameters are in :attr:`params_` (a Series),
their standard errors (from the inverse Hessian) in :attr:`standard_errors_`,
and :attr:`summary` is lifetimes' table (coef, se(coef), 95% bounds).
"""

from __future__ import annotations

import os
import pickle
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from .._columns import float_column, int_arg, invalid, real_arg, threads_arg

ArrayLike = Any

__all__ = [
    "BetaGeoBetaBinomFitter",
    "BetaGeoFitter",
    "ConvergenceWarning",
    "GammaGammaFitter",
    "ModifiedBetaGeoFitter",
    "ParetoNBDFitter",
    "ShiftedBetaGeoFitter",
    "beta_geometric_nbd_model",
]

#: Version of the pickled state of every fitter (``__getstate__``); a
#: fitter unpickles states of this version or older.
STATE_VERSION = 1

# Months → model time units, as lifetimes' customer_lifetime_value(freq=...).
_PERIODS_PER_MONTH = {"W": 4.345, "M": 1.0, "D": 30.0, "H": 30.0 * 24.0}


def _column(values: ArrayLike, name: str) -> npt.NDArray[np.float64]:
    """A contiguous float64 copy-free view where possible (a scalar is one
    row); only real numbers (no bool, complex, datetime or string: see
    ``_columns.float_column``); errors name the field."""
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    if isinstance(values, np.ndarray):
        values = values.reshape(1) if values.ndim == 0 else values
    elif not isinstance(values, (list, tuple)):
        values = [values]  # a scalar (or a value float_column refuses by name)
    return float_column(values, name)


def _covariate_block(values: ArrayLike, n: int, field: str,
                     names: Sequence[str] | None = None) -> tuple[npt.NDArray[np.float64], list[str]]:
    """Covariates as a C-contiguous (n, k) float64 array and their names.

    ``values`` is a DataFrame (names: its columns), a Series (its name), a
    1-d or 2-d array (names ``x0``, ``x1``, ...) or None (no covariates).
    With ``names`` (the names fitted), a DataFrame's columns are taken by
    name and an array must have that many columns. Errors name the field
    (and the row of a non-finite value)."""
    if values is None:
        if names:
            raise invalid(field, None, f"the model was fitted with covariates {list(names)}: give those of the "
                "customers predicted for"
            )
        return np.zeros((n, 0)), []
    if isinstance(values, pd.Series):
        values = values.to_frame(name=str(values.name) if values.name is not None else "x0")
    if isinstance(values, pd.DataFrame):
        cols = [str(c) for c in values.columns]
        if names is not None:
            missing = [c for c in names if c not in cols]
            if missing:
                raise invalid(field, None, f"lacks the covariates {missing} the model was fitted with")
            values = values[list(names)]
            cols = list(names)
        arr = values.to_numpy()
    else:
        arr = np.asarray(values)
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        cols = [f"x{j}" for j in range(arr.shape[1] if arr.ndim == 2 else 0)]
        if names is not None:
            if arr.ndim != 2 or arr.shape[1] != len(names):
                raise invalid(field, None, f"needs {len(names)} columns {list(names)}, got shape {arr.shape}"
                )
            cols = list(names)
    if arr.ndim != 2:
        raise invalid(field, None, "must be a table of customers × covariates")
    if arr.dtype.kind not in "biuf":
        raise invalid(field, None, f"covariates must be numbers, got dtype {arr.dtype}")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.shape[0] != n:
        raise invalid(field, None, f"has {arr.shape[0]} rows where 'frequency' has {n}")
    return arr, cols


def _covariate_blocks(covariates: ArrayLike, life: ArrayLike, trans: ArrayLike, n: int,
                      names: Mapping[str, list[str]] | None = None
                      ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[str], list[str]]:
    """The life and transaction covariates: ``life_covariates`` /
    ``trans_covariates`` where given, else ``covariates`` for both."""
    life = covariates if life is None else life
    trans = covariates if trans is None else trans
    if names is not None:
        lv, ln = (np.zeros((n, 0)), []) if not names["life"] else _covariate_block(life, n, "life_covariates", names["life"])
        tv, tn = (np.zeros((n, 0)), []) if not names["trans"] else _covariate_block(trans, n, "trans_covariates",
                                                                                  names["trans"])
    else:
        lv, ln = _covariate_block(life, n, "life_covariates")
        tv, tn = _covariate_block(trans, n, "trans_covariates")
    return lv, tv, ln, tn


def _covariate_rows(*blocks: ArrayLike) -> int:
    """The number of customers of the first covariate block given."""
    for b in blocks:
        if b is not None:
            return int(np.asarray(b).shape[0]) if not isinstance(b, (pd.DataFrame, pd.Series)) else len(b)
    raise invalid("covariates", None, "the model was fitted with covariates: give those of the "
                                  "customers predicted for")


def _shape_like(result: npt.NDArray[np.float64], like: ArrayLike, t: ArrayLike = 0.0) -> Any:
    """Return result as a Series (index of `like`, else of a Series `t`), a
    float (scalar `like` and `t`), or an array."""
    if isinstance(like, pd.Series):
        return pd.Series(np.asarray(result), index=like.index)
    if isinstance(t, pd.Series) and len(t) == len(result):
        return pd.Series(np.asarray(result), index=t.index)
    if np.ndim(like) == 0 and np.ndim(t) == 0:
        return float(result[0])
    return np.asarray(result)


def _horizon(t: ArrayLike, like: ArrayLike, name: str = "t") -> npt.NDArray[np.float64]:
    """Horizons as a float64 array of one entry (every customer) or one per
    customer. A Series ``t`` with a Series of customers is aligned on their
    index (customers missing from ``t`` raise InvalidInputError naming the
    row); otherwise ``t`` must be a scalar or as long as the customers."""
    if isinstance(t, pd.Series) and isinstance(like, pd.Series) and not t.index.equals(like.index):
        aligned = t.reindex(like.index)
        missing = np.flatnonzero(aligned.isna().to_numpy())
        if missing.size:
            raise invalid(name, int(missing[0]), f"no horizon for customer {like.index[missing[0]]!r}")
        t = aligned
    arr = _column(t, name)
    n = 1 if np.ndim(like) == 0 else len(like)
    if arr.size not in (1, n):
        raise invalid(name, None, f"must be a scalar or have one entry per customer ({n}), got {arr.size}")
    return arr


def _customers(t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, name: str = "t",
               T_name: str = "T") -> tuple[npt.NDArray[np.float64], ...]:
    """(t, frequency, recency, T) columns for a prediction: ``t`` as in
    :func:`_horizon`; one customer (scalars) with several horizons is
    repeated over them."""
    x, r, big_t = _column(frequency, "frequency"), _column(recency, "recency"), _column(T, T_name)
    if np.ndim(frequency) == 0 and np.ndim(t) != 0 and x.size == 1 and r.size == 1 and big_t.size == 1:
        h = _column(t, name)
        return h, np.repeat(x, h.size), np.repeat(r, h.size), np.repeat(big_t, h.size)
    return _horizon(t, frequency, name), x, r, big_t


def _periods(values: ArrayLike, name: str) -> ArrayLike:
    """BG/BB period counts (scalar or column), refused by name and row unless
    finite, non-negative and whole (the core then checks its limit);
    returned as given, for the shape of the result."""
    arr = _column(values, name)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr != np.floor(arr))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise invalid(name, i if arr.size > 1 else None,
                      f"must be a finite non-negative whole number of periods, got {arr[i]!r}")
    return values


#: A shape parameter below this is reported as heading to 0 (ConvergenceWarning).
SHAPE_FLOOR = 1e-6
#: The most iterations a fit may be asked for.
MAX_ITERATIONS = 1_000_000
#: The most periods expected_number_of_transactions_in_first_n_periods
#: tabulates (its work grows as n²).
MAX_TABLE_PERIODS = 10_000


def _tolerance(tol: Any) -> float:
    value = real_arg(tol, "tol", 0.0)
    if value <= 0.0:
        raise invalid("tol", None, f"must be > 0, got {value!r}")
    return value


#: Standard errors of a fit with covariates: the inverse Hessian, or the
#: sandwich (Huber-White; lifelines' ``robust=True``, statsmodels' "HC0").
SE_TYPES: tuple[str, ...] = tuple(_core.value.SE_TYPES)


def _se_arg(se: Any, with_covariates: bool) -> str:
    """The ``se`` argument of a fit, refused by name unless one of SE_TYPES
    (``"robust"`` only with covariates)."""
    if not isinstance(se, str) or se not in SE_TYPES:
        raise invalid("se", None, f"must be one of {list(SE_TYPES)}, got {se!r}")
    if se == "robust" and not with_covariates:
        raise invalid("se", None, "robust standard errors are computed for fits with covariates only "
                      "(give covariates, or se='hessian')")
    return se


def _sequence(values: Any, field: str) -> list[Any]:
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
        raise invalid(field, None, f"must be a sequence of numbers, got {values!r}")
    return list(values)


class ConvergenceWarning(UserWarning):
    """A fit that did not reach an interior optimum, and why: the optimiser
    stopped at ``max_iterations`` or without meeting its gradient tolerance,
    a shape parameter heads to its cap (the data push it to infinity), or
    the Hessian at the optimum is singular so the standard errors are NaN.
    The fitted values are kept; the warning says which of them to distrust.

    Examples
    --------
    >>> import warnings
    >>> import goodwill
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", goodwill.ConvergenceWarning)
    ...     goodwill.BetaGeoFitter().fit([1, 2, 0], [5.0, 9.0, 0.0], [10.0, 10.0, 10.0],
    ...                                  max_iterations=1)
    Traceback (most recent call last):
    ...
    goodwill.value.btyd.ConvergenceWarning: BetaGeoFitter: the fit stopped after 1 iterations ...
    """


class _Fitter:
    """What every fitter shares: parameters, standard errors, summary,
    pickling (versioned state: parameters and fit diagnostics, never the
    data) and ``save_model`` / ``load_model``."""

    _param_names: tuple[str, ...] = ()
    #: Parameters in the data's units besides the purchase models' rate
    #: parameters (``_rate_params``): never reported as heading to 0.
    _scale_params: tuple[str, ...] = ()
    _model_name = ""
    _core_class: Any = None

    def __init__(self, penalizer_coef: float = 0.0) -> None:
        self.penalizer_coef = real_arg(penalizer_coef, "penalizer_coef", 0.0)
        self._model: Any = None
        self._fit: dict[str, Any] | None = None
        #: (largest frequency, largest T) of the data fitted, for the
        #: defaults of conditional_probability_alive_matrix.
        self._extent: tuple[float, float] | None = None
        #: With covariates: the core covariate model and what was fitted
        #: (names per process, coefficients, their standard errors and the
        #: full covariance), else None.
        self._cov_model: Any = None
        self._cov: dict[str, Any] | None = None

    # ---- state: pickling and saved models -----------------------------------

    def __getstate__(self) -> dict[str, Any]:
        fit = None
        if self._fit is not None:
            fit = {k: (np.asarray(v).tolist() if k == "covariance" else v) for k, v in self._fit.items()}
        return {
            "format": "goodwill.btyd",
            "version": STATE_VERSION,
            "class": type(self).__name__,
            "penalizer_coef": self.penalizer_coef,
            "fit": fit,
            "extent": self._extent,
            "covariates": None if self._cov is None else {
                k: (np.asarray(v).tolist() if k == "covariance" else v) for k, v in self._cov.items()
            },
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        if state.get("format") != "goodwill.btyd" or not isinstance(state.get("version"), int):
            raise invalid("state", None, "not a pickled goodwill fitter")
        if state["version"] > STATE_VERSION:
            raise invalid(
                "version", None,
                f"state version {state['version']} is newer than this goodwill reads ({STATE_VERSION}): upgrade goodwill",
            )
        if state["class"] != type(self).__name__:
            raise invalid("class", None, f"the state is of a {state['class']}, not a {type(self).__name__}")
        self.penalizer_coef = float(state["penalizer_coef"])
        extent = state.get("extent")
        self._extent = None if extent is None else (float(extent[0]), float(extent[1]))
        self._model = None
        self._fit = None
        fit = state.get("fit")
        if fit is not None:
            restored = dict(fit)
            restored["covariance"] = np.asarray(fit["covariance"], dtype=np.float64)
            self._model = self._core_class(*[float(v) for v in fit["params"]])
            self._fit = restored
        self._cov_model = None
        self._cov = None
        cov = state.get("covariates")
        if cov is not None and fit is not None:
            self._cov = dict(cov)
            self._cov["covariance"] = np.asarray(cov["covariance"], dtype=np.float64)
            self._cov_model = self._make_cov_model([float(v) for v in fit["params"]], self._cov)
            self._model = None

    def save_model(self, path: str | os.PathLike[str]) -> None:
        """Write the fitter (parameters, standard errors, diagnostics; not
        the data, so the file does not grow with it) to ``path`` as a pickle
        of its versioned state.

        Examples
        --------
        >>> bgf = goodwill.BetaGeoFitter()
        >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> bgf.save_model("bgf.pkl")
        >>> goodwill.BetaGeoFitter().load_model("bgf.pkl").params_["r"]
        0.243
        """
        with open(path, "wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def load_model(self, path: str | os.PathLike[str]) -> Any:
        """Load a fitter written by :meth:`save_model` into this one (same
        class; raises InvalidInputError otherwise) and return self."""
        with open(path, "rb") as fh:
            other = pickle.load(fh)
        if type(other) is not type(self):
            raise invalid("path", None, f"holds a {type(other).__name__}, not a {type(self).__name__}")
        self.__setstate__(other.__getstate__())
        return self

    # ---- fitted state -------------------------------------------------------

    def _require_fit(self) -> dict[str, Any]:
        if self._fit is None:
            raise _core.NotFittedError(
                f"this {type(self).__name__} is not fitted yet: call .fit(...) first"
            )
        return self._fit

    def _set_fit(self, result: dict[str, Any]) -> None:
        self._fit = result
        self._warn_convergence(result)

    def _warn_convergence(self, result: Mapping[str, Any], labels: Sequence[str] | None = None,
                          stacklevel: int = 4) -> None:
        """A ConvergenceWarning for each reason the fit is not an interior
        optimum with finite standard errors (issue 17: never NaN silently).
        ``labels``: the names of all of ``result["standard_errors"]`` (a fit
        with covariates: the base parameters, then the coefficients);
        ``stacklevel``: that of the user's call to ``fit``, from here."""
        name = type(self).__name__
        at_bound = [str(n) for n in result.get("at_bound", [])]
        if not bool(result.get("converged", True)):
            warnings.warn(
                f"{name}: the fit stopped after {int(result.get('iterations', 0))} iterations without "
                "meeting its gradient tolerance (the max_iterations cap or a failed line search); "
                "the parameters are the last iterate, not an optimum: raise max_iterations or "
                "pass initial_params",
                ConvergenceWarning, stacklevel=stacklevel)
        degenerate = self._degenerate_limit(at_bound, result)
        if degenerate:
            warnings.warn(f"{name}: {degenerate}", ConvergenceWarning, stacklevel=stacklevel)
        elif at_bound:
            warnings.warn(
                f"{name}: {', '.join(at_bound)} reached the cap of {_core.value.MAX_SHAPE:,.0f} (the data push "
                f"{'it' if len(at_bound) == 1 else 'them'} to infinity: that rate is the same for every "
                "customer); the standard error of "
                f"{'it' if len(at_bound) == 1 else 'them'} is NaN and the others are conditional on "
                f"{'it' if len(at_bound) == 1 else 'them'}",
                ConvergenceWarning, stacklevel=stacklevel)
        names = list(self._param_names)
        # shape parameters (no unit) heading to 0, their lower bound; the
        # rate and spend scales (BG/NBD's alpha, Pareto's alpha and beta,
        # Gamma-Gamma's v) carry the data's units and may be small legitimately
        scales = {names[k] for k in getattr(self, "_rate_params", ()) if k < len(names)} | set(self._scale_params)
        params = [float(v) for v in result.get("params", [])]
        to_zero = [n for n, v in zip(names, params) if n not in scales and 0 < v < SHAPE_FLOOR]
        if to_zero:
            warnings.warn(
                f"{name}: {', '.join(f'{n} = {v:.3g}' for n, v in zip(names, params) if n in to_zero)} "
                f"heads to 0, its lower bound (below {SHAPE_FLOOR:g}): the data put no weight on "
                "that side of the mixture; predictions are the limit, standard errors unreliable",
                ConvergenceWarning, stacklevel=stacklevel)
        se = np.asarray(result.get("standard_errors", []), dtype=np.float64)
        labels = list(labels) if labels is not None else names + [str(i) for i in range(len(names), se.size)]
        singular = [labels[i] for i in np.flatnonzero(~np.isfinite(se)) if labels[i] not in at_bound]
        if singular and int(result.get("rows", 0)) > 0:
            warnings.warn(
                f"{name}: no finite standard error for {', '.join(singular)}: the Hessian of the "
                "log-likelihood is singular or not negative definite there (the data do not "
                "identify these parameters)",
                ConvergenceWarning, stacklevel=stacklevel)

    def _degenerate_limit(self, at_bound: Sequence[str], result: Mapping[str, Any]) -> str:
        """A model-specific description of the limit a fit at a bound heads
        to ("" : the generic cap message)."""
        return ""

    def _fit_kwargs(self, weights: ArrayLike | None, initial_params: Sequence[float] | None,
                    tol: float, max_iterations: int, threads: int) -> dict[str, Any]:
        return {
            "weights": None if weights is None else _column(weights, "weights"),
            "penalizer_coef": self.penalizer_coef,
            "threads": threads_arg(threads),
            "tolerance": _tolerance(tol),
            "max_iterations": int_arg(max_iterations, "max_iterations", 1, MAX_ITERATIONS),
            "initial_params": [] if initial_params is None else [
                real_arg(v, f"initial_params[{i}]") for i, v in enumerate(_sequence(initial_params, "initial_params"))
            ],
        }

    @property
    def params_(self) -> pd.Series:
        """Fitted parameters, named as in lifetimes. Settable (a mapping or
        Series by name, or a sequence in this order) to predict from known
        parameters: the fitter is then fitted with them, standard errors and
        log-likelihood NaN (no data)."""
        return pd.Series(self._require_fit()["params"], index=list(self._param_names), dtype=float)

    @params_.setter
    def params_(self, values: Mapping[str, float] | pd.Series | Sequence[float]) -> None:
        names = list(self._param_names)
        if isinstance(values, (Mapping, pd.Series)):
            unknown = sorted(set(values.keys()) - set(names))
            missing = [n for n in names if n not in values]
            if unknown or missing:
                raise invalid("params_", None, f"needs exactly {names}; missing {missing}, unknown {unknown}")
            vals = [float(values[n]) for n in names]
        else:
            vals = [float(v) for v in values]
            if len(vals) != len(names):
                raise invalid("params_", None, f"needs {len(names)} values {names}")
        model = self._core_class(*vals)  # validates: finite and positive
        k = len(names)
        self._model = model
        self._fit = {
            "params": vals,
            "standard_errors": [float("nan")] * k,
            "covariance": np.full((k, k), np.nan),
            "log_likelihood": float("nan"),
            "iterations": 0,
            "converged": False,
            "at_bound": [],
            "customers": 0.0,
            "rows": 0,
        }
        self._extent = None
        self._cov_model = None
        self._cov = None

    def _make_cov_model(self, params: list[float], cov: Mapping[str, Any]) -> Any:
        """The core covariate model of given base parameters and coefficients."""
        k = len(cov["life"])
        coef = [float(v) for v in cov["coefficients"]]
        return self._cov_class(params, coef[:k], coef[k:])

    #: The core covariate model class (None: the model takes no covariates).
    _cov_class: Any = None

    @property
    def covariate_names_(self) -> list[str]:
        """Names of the coefficients of a fit with covariates, as in
        :attr:`summary` (``life.<name>``, ``trans.<name>``; Gamma-Gamma:
        ``spend.<name>``); empty without."""
        self._require_fit()
        return [] if self._cov is None else list(self._cov["names"])

    @property
    def se_type_(self) -> str:
        """How the standard errors were computed: ``"hessian"`` (the inverse
        of the Hessian) or ``"robust"`` (the sandwich over customers; fits
        with covariates and ``se="robust"``)."""
        self._require_fit()
        return "hessian" if self._cov is None else str(self._cov.get("se", "hessian"))

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
        if self._cov is not None:
            names = self.covariate_names_
            k = len(self._param_names)
            coef = pd.concat([coef, pd.Series(self._cov["coefficients"], index=names, dtype=float)])
            se = pd.concat([se, pd.Series(self._cov["standard_errors"][k:], index=names, dtype=float)])
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


class _ProcessCovariateFitter(_Fitter):
    """Models with life and transaction covariates (BG/NBD, Pareto/NBD,
    BG/BB): the fitted covariate state and the prediction covariates."""

    def _store_process_fit(self, model: Any, result: Mapping[str, Any], life_names: list[str],
                           trans_names: list[str], stacklevel: int = 5) -> None:
        """Keep a covariate fit: the core model, the coefficients by name and
        the base parameters' part of the covariance (``stacklevel``: that of
        the user's call to ``fit`` for the warnings, from here)."""
        k = len(self._param_names)
        full_cov = np.asarray(result["covariance"], dtype=np.float64)
        self._cov = {
            "life": life_names,
            "trans": trans_names,
            "names": [f"life.{c}" for c in life_names] + [f"trans.{c}" for c in trans_names],
            "coefficients": [float(v) for v in result["coefficients"]],
            "standard_errors": [float(v) for v in result["standard_errors"]],
            "covariance": full_cov,
            "se": str(result["se"]),
        }
        fit = dict(result)
        del fit["coefficients"]
        fit["standard_errors"] = [float(v) for v in result["standard_errors"]][:k]
        fit["covariance"] = full_cov[:k, :k]
        self._model = None
        self._cov_model = model
        self._fit = fit
        self._warn_convergence(result, [*self._param_names, *self._cov["names"]], stacklevel=stacklevel + 1)

    def _covariates_for(self, n: int, covariates: ArrayLike, life: ArrayLike, trans: ArrayLike
                        ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The prediction covariates of n customers, by the fitted names."""
        assert self._cov is not None
        lv, tv, _, _ = _covariate_blocks(covariates, life, trans, n,
                                         {"life": self._cov["life"], "trans": self._cov["trans"]})
        return lv, tv

    def _no_covariates(self, covariates: ArrayLike, life: ArrayLike, trans: ArrayLike) -> None:
        if covariates is not None or life is not None or trans is not None:
            raise invalid("covariates", None, "the model was fitted without covariates")

    def _one_customer(self, covariates: ArrayLike, life: ArrayLike, trans: ArrayLike
                      ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The covariates of one customer (a mapping or Series by name, a
        one-row DataFrame, or a 1-d array in the fitted order) as (1, k)
        blocks; a population function (the alive matrix) is for them."""
        def row(v: ArrayLike, field: str) -> ArrayLike:
            if v is None or isinstance(v, pd.DataFrame):
                if isinstance(v, pd.DataFrame) and len(v) != 1:
                    raise invalid(field, None, f"needs the covariates of one customer, got {len(v)} rows")
                return v
            if isinstance(v, (Mapping, pd.Series)):
                return pd.DataFrame([{str(k): val for k, val in v.items()}])
            arr = np.asarray(v, dtype=np.float64)
            if arr.ndim > 1 and arr.shape[0] != 1:
                raise invalid(field, None, f"needs the covariates of one customer, got shape {arr.shape}")
            return arr.reshape(1, -1)
        return self._covariates_for(1, row(covariates, "covariates"), row(life, "life_covariates"),
                                    row(trans, "trans_covariates"))

    def _new_customers(self, covariates: ArrayLike, life: ArrayLike, trans: ArrayLike
                       ) -> tuple[int, npt.NDArray[np.float64], npt.NDArray[np.float64], Any]:
        """Customers given only by their covariates (a prediction for newly
        acquired ones): their number, blocks and the index of a DataFrame."""
        n = _covariate_rows(covariates, life, trans)
        lv, tv = self._covariates_for(n, covariates, life, trans)
        like = next((c for c in (covariates, life, trans) if isinstance(c, (pd.DataFrame, pd.Series))), None)
        return n, lv, tv, None if like is None else like.index


class _PurchaseFitter(_ProcessCovariateFitter):
    """Continuous-time purchase models (BG/NBD, MBG/NBD, Pareto/NBD)."""

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
        covariates: ArrayLike | None = None,
        life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
        se: str = "hessian",
    ) -> _PurchaseFitter:
        """Fit by maximum likelihood to each customer's repeat purchases
        (``frequency``), time of the last one (``recency``) and age ``T``
        (same time unit), optionally with ``weights`` (counts of identical
        customers). Raises :class:`goodwill.InvalidInputError` naming the
        field and row of bad data (negative frequency, recency > T, NaN).

        ``penalizer_coef`` (set on the fitter) is lifetimes' penalty: the
        fit is made in time rescaled so that the oldest customer's age is 1,
        minimising the mean negative log-likelihood (Pareto/NBD: the sum
        over rows divided by the mean weight, as lifetimes) plus
        ``penalizer_coef`` times the sum of the squared rescaled parameters;
        parameters, standard errors and log-likelihood are reported in the
        data's time unit, and the fit does not depend on that unit.

        ``covariates`` (a DataFrame, Series or array, one row per customer)
        are time-invariant covariates of both processes, in CLVTools'
        parameterisation (``goodwill/value/btyd/covariates.hpp``); give
        ``life_covariates`` and/or ``trans_covariates`` for different ones
        per process (a process given neither has none). BG/NBD: α_i =
        α·exp(−γ_trans·z), a_i, b_i = a, b·exp(γ_life·z); Pareto/NBD: α_i =
        α·exp(−γ_trans·z), β_i = β·exp(−γ_life·z). The coefficients are in
        :attr:`summary` (rows ``life.<name>``, ``trans.<name>``) with
        standard errors from the exact Hessian; :attr:`params_` are the
        base parameters (a customer whose covariates are 0), and predictions
        then need the covariates of the customers predicted for. Not with
        ``penalizer_coef`` > 0.

        ``se`` (fits with covariates): ``"hessian"`` (default), standard
        errors from the inverse of the exact Hessian; ``"robust"``, the
        sandwich (Huber-White) estimator over customers, H⁻¹(Σᵢ sᵢsᵢᵀ)H⁻¹
        with sᵢ a customer's score (lifelines' ``robust=True``,
        statsmodels' ``cov_type="HC0"``, CLVTools' robust standard errors):
        valid when the data are overdispersed relative to the model, as
        CDNOW is (its Hessian intervals of an independent covariate's
        coefficient cover 0 less often than 95%). :attr:`se_type_` says
        which.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> z = pd.DataFrame({"z": rng.normal(size=400)})
        >>> T = np.full(400, 30.0)
        >>> x = rng.poisson(3.0 * np.exp(0.3 * z["z"].to_numpy()) / 3).astype(float)
        >>> rec = np.where(x > 0, 20.0, 0.0)
        >>> bgf = goodwill.BetaGeoFitter().fit(x, rec, T, trans_covariates=z)
        >>> list(bgf.summary.index)
        ['r', 'alpha', 'a', 'b', 'trans.z']
        """
        with_cov = covariates is not None or life_covariates is not None or trans_covariates is not None
        se = _se_arg(se, with_cov)
        if with_cov:
            return self._fit_covariates(frequency, recency, T, weights, initial_params, verbose, tol,
                                        max_iterations, threads, covariates, life_covariates, trans_covariates, se)
        x, rec, big_t = _column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T")
        kwargs = self._fit_kwargs(weights, initial_params, tol, max_iterations, threads)
        scale = 1.0
        if self.penalizer_coef > 0 and big_t.size and np.max(big_t) > 0:
            # lifetimes' penalty: fit in time rescaled so that the oldest
            # customer's age is 1 (lifetimes.utils._scale_time), the penalty
            # on the rescaled parameters; Pareto/NBD's log-likelihood summed
            # over rows (lifetimes divides by the mean weight, not the sum).
            scale = 1.0 / float(np.max(big_t))
            rec, big_t = rec * scale, big_t * scale
            if self._penalty_per_row:
                kwargs["penalizer_coef"] = self.penalizer_coef / float(x.size)
            if kwargs["initial_params"]:
                kwargs["initial_params"] = [v * scale if k in self._rate_params else v
                                            for k, v in enumerate(kwargs["initial_params"])]
        model = self._core_class()
        result = model.fit(x, rec, big_t, **kwargs)
        if scale != 1.0:
            result = self._unscale(result, scale, x, kwargs["weights"])
            model = self._core_class(*[float(v) for v in result["params"]])
        self._model = model
        self._cov_model = None
        self._cov = None
        self._set_fit(result)
        self._extent = (float(np.max(_column(frequency, "frequency"), initial=0.0)),
                        float(np.max(_column(T, "T"), initial=0.0)))
        if verbose:
            print(f"{type(self).__name__}: LL {result['log_likelihood']:.4f} after {result['iterations']} iterations")
        return self

    def _fit_covariates(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
                        weights: ArrayLike | None, initial_params: Sequence[float] | None, verbose: bool,
                        tol: float, max_iterations: int, threads: int, covariates: ArrayLike,
                        life_covariates: ArrayLike, trans_covariates: ArrayLike, se: str) -> _PurchaseFitter:
        """The fit with covariates (see :meth:`fit`)."""
        if self._cov_class is None:
            raise invalid("covariates", None, f"{type(self).__name__} takes no covariates")
        if self.penalizer_coef > 0:
            raise invalid("penalizer_coef", None, "is not supported with covariates (fit with penalizer_coef = 0)"
            )
        x, rec, big_t = _column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T")
        life, trans, life_names, trans_names = _covariate_blocks(covariates, life_covariates, trans_covariates,
                                                                 x.size)
        kwargs = self._fit_kwargs(weights, initial_params, tol, max_iterations, threads)
        del kwargs["penalizer_coef"]
        model = self._cov_class()
        result = model.fit(x, rec, big_t, life, trans, se=se, **kwargs)
        self._store_process_fit(model, result, life_names, trans_names)
        self._extent = (float(np.max(x, initial=0.0)), float(np.max(big_t, initial=0.0)))
        if verbose:
            print(f"{type(self).__name__}: LL {result['log_likelihood']:.4f} after {result['iterations']} iterations")
        return self

    def _expected_purchases_grid(self, lags: npt.NDArray[np.float64], covariates: ArrayLike, life: ArrayLike,
                                 trans: ArrayLike) -> npt.NDArray[np.float64]:
        """E[X(lag)] of newly acquired customers with these covariates, one
        row per customer and one column per lag (one core call)."""
        n, lv, tv, _ = self._new_customers(covariates, life, trans)
        k = lags.size
        out = self._cov_model.expected_purchases(
            np.ascontiguousarray(np.tile(lags, n)), n * k,
            np.ascontiguousarray(np.repeat(lv, k, axis=0)), np.ascontiguousarray(np.repeat(tv, k, axis=0)))
        return np.array(out, dtype=np.float64).reshape(n, k)

    #: Indices of the rate parameters (in 1/time units): alpha, and beta of Pareto/NBD.
    _rate_params: tuple[int, ...] = (1,)
    #: lifetimes' Pareto/NBD objective is −ΣwLL/mean(w) + cΣθ², the others' −ΣwLL/Σw + cΣθ².
    _penalty_per_row = False

    def _unscale(self, result: dict[str, Any], scale: float, x: npt.NDArray[np.float64],
                 weights: npt.NDArray[np.float64] | None) -> dict[str, Any]:
        """A fit in time multiplied by ``scale`` back in the data's time
        unit: rate parameters, their standard errors and covariances divided
        by ``scale``; the log-likelihood gains Σ w·x·log(scale) (each
        purchase time's density is in 1/time)."""
        out = dict(result)
        factor = np.array([scale if k in self._rate_params else 1.0 for k in range(len(self._param_names))])
        out["params"] = [float(v) / f for v, f in zip(result["params"], factor)]
        out["standard_errors"] = [float(v) / f for v, f in zip(result["standard_errors"], factor)]
        out["covariance"] = np.asarray(result["covariance"], dtype=np.float64) / np.outer(factor, factor)
        w = np.ones_like(x) if weights is None else weights
        out["log_likelihood"] = float(result["log_likelihood"]) + float(np.dot(w, x)) * float(np.log(scale))
        return out

    def _model_or_raise(self) -> Any:
        self._require_fit()
        if self._cov_model is not None:
            raise invalid("covariates", None, f"this {type(self).__name__} was fitted with covariates: give those "
                "of the customers predicted for (covariates, life_covariates or trans_covariates)")
        return self._model

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """Expected repeat purchases in the next ``t`` time units of customers
        with the given history.

        Parameters
        ----------
        t : float or array-like
            One horizon for every customer, or one per customer (an array as
            long as ``frequency``, or a Series aligned on its index).
        frequency, recency, T : float or array-like
            Repeat purchases, time of the last one and age, as at fit.
        covariates, life_covariates, trans_covariates : DataFrame or array, optional
            For a fit with covariates: those of the customers predicted for
            (one row each; a DataFrame's columns taken by the fitted names).

        Returns
        -------
        float, ndarray or Series
            A Series with the index of ``frequency`` (or of a Series ``t``)
            when one is given.

        Examples
        --------
        >>> bgf = goodwill.BetaGeoFitter()
        >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> round(bgf.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86), 3)
        1.226
        >>> bgf.conditional_expected_number_of_purchases_up_to_time([10, 39], [2, 2], [30.43, 30.43], [38.86, 38.86])
        array([0.3932..., 1.2259...])
        """
        if self._cov_model is not None:
            cols = _customers(t, frequency, recency, T)
            out = self._cov_model.conditional_expected_purchases(
                *cols, *self._covariates_for(cols[1].size, covariates, life_covariates, trans_covariates))
            return _shape_like(out, frequency, t)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        model = self._model_or_raise()
        out = model.conditional_expected_purchases(*_customers(t, frequency, recency, T))
        return _shape_like(out, frequency, t)

    predict = conditional_expected_number_of_purchases_up_to_time

    def conditional_probability_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> Any:
        """Probability that each customer is still alive at T."""
        model = self._model_or_raise()
        out = model.probability_alive(_column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T"))
        return _shape_like(out, frequency)

    def conditional_probability_alive_matrix(
        self, max_frequency: int | None = None, max_recency: int | None = None,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> npt.NDArray[np.float64]:
        """P(alive) on the grid of frequencies 0..max_frequency and recencies
        0..max_recency for customers of age T = max_recency (lifetimes'
        meaning): entry ``[recency, frequency]``. The defaults are the largest
        frequency and T of the data fitted. For a fit with covariates the
        matrix is that of customers with the covariate values given
        (``covariates`` or ``life_covariates`` / ``trans_covariates``: a
        mapping or Series by name, a one-row DataFrame or a 1-d array in the
        fitted order).

        Examples
        --------
        >>> bgf = goodwill.BetaGeoFitter()
        >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> bgf.conditional_probability_alive_matrix(max_frequency=10, max_recency=39).shape
        (40, 11)
        """
        self._require_fit()
        if self._cov_model is None:
            self._no_covariates(covariates, life_covariates, trans_covariates)
            model = self._model_or_raise()
        if (max_frequency is None or max_recency is None) and self._extent is None:
            raise invalid("max_frequency", None, "give max_frequency and max_recency (no data was fitted)")
        mf = int(self._extent[0]) if max_frequency is None else int(max_frequency)  # type: ignore[index]
        mr = int(self._extent[1]) if max_recency is None else int(max_recency)  # type: ignore[index]
        if mf < 0 or mr < 0:
            raise invalid("max_frequency", None, "max_frequency and max_recency must be >= 0")
        rec, freq = np.meshgrid(np.arange(mr + 1, dtype=np.float64), np.arange(mf + 1, dtype=np.float64),
                                indexing="ij")
        cols = (np.ascontiguousarray(freq.ravel()), np.ascontiguousarray(rec.ravel()), np.full(freq.size, float(mr)))
        if self._cov_model is not None:
            lv, tv = self._one_customer(covariates, life_covariates, trans_covariates)
            out = self._cov_model.probability_alive(
                *cols, np.ascontiguousarray(np.repeat(lv, freq.size, axis=0)),
                np.ascontiguousarray(np.repeat(tv, freq.size, axis=0)))
        else:
            out = model.probability_alive(*cols)
        return np.asarray(out).reshape(mr + 1, mf + 1)

    def expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """Expected repeat purchases in (0, t] of a customer just acquired;
        for a fit with covariates, of each customer whose covariates are
        given (one row each; ``t`` a scalar or one per customer; a Series
        with the covariates' index when they are a DataFrame)."""
        if self._cov_model is not None:
            n, lv, tv, index = self._new_customers(covariates, life_covariates, trans_covariates)
            out = self._cov_model.expected_purchases(_column(t, "t"), n, lv, tv)
            return pd.Series(out, index=index) if index is not None else np.asarray(out)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        model = self._model_or_raise()
        out = model.expected_purchases_many(_column(t, "t"))
        return _shape_like(out, t)


class _AliveHorizonFitter(_PurchaseFitter):
    """BG/NBD and Pareto/NBD: alive and no-purchase probabilities ahead of T."""

    def conditional_probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, future_t: ArrayLike = 0.0,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """Probability that each customer is alive at ``T + future_t``
        (``future_t`` = 0: at T), given their history; ``future_t`` is a
        scalar or one per customer.

        Examples
        --------
        >>> bgf = goodwill.BetaGeoFitter()
        >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> round(bgf.conditional_probability_alive(2, 30.43, 38.86, future_t=39), 4)
        0.5671

        For a fit with covariates, give those of the customers
        (``covariates``, or ``life_covariates`` / ``trans_covariates``).
        """
        if self._cov_model is not None:
            cols = _customers(future_t, frequency, recency, T, "future_t")
            out = self._cov_model.probability_alive_at(
                *cols, *self._covariates_for(cols[1].size, covariates, life_covariates, trans_covariates))
            return _shape_like(out, frequency, future_t)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        model = self._model_or_raise()
        out = model.probability_alive_at(*_customers(future_t, frequency, recency, T, "future_t"))
        return _shape_like(out, frequency, future_t)

    def expected_probability_no_purchase(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """Probability of no purchase in (T, T + t] given the history
        (PyMC-Marketing's ``expected_probability_no_purchase``); ``t`` is a
        scalar or one per customer. For a fit with covariates, give those of
        the customers.

        Examples
        --------
        >>> bgf = goodwill.BetaGeoFitter()
        >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        >>> 0 < bgf.expected_probability_no_purchase(39, 2, 30.43, 38.86) < 1
        True
        """
        if self._cov_model is not None:
            cols = _customers(t, frequency, recency, T)
            out = self._cov_model.probability_no_purchase(
                *cols, *self._covariates_for(cols[1].size, covariates, life_covariates, trans_covariates))
            return _shape_like(out, frequency, t)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        model = self._model_or_raise()
        out = model.probability_no_purchase(*_customers(t, frequency, recency, T))
        return _shape_like(out, frequency, t)

    def _probability_of_n(self, t: ArrayLike, n: int, covariates: ArrayLike, life: ArrayLike,
                          trans: ArrayLike) -> Any:
        """P(X(t) = n) of a customer just acquired; with covariates, of each
        customer whose covariates are given (``t`` a scalar or one each)."""
        if int(n) < 0:
            raise invalid("n", None, "must be non-negative")
        if self._cov_model is not None:
            m, lv, tv, index = self._new_customers(covariates, life, trans)
            out = self._cov_model.probability_of_purchases(_column(t, "t"), int(n), m, lv, tv)
            return pd.Series(out, index=index) if index is not None else np.asarray(out)
        self._no_covariates(covariates, life, trans)
        return float(self._model_or_raise().probability_of_purchases(float(t), int(n)))


class BetaGeoFitter(_AliveHorizonFitter):
    """BG/NBD (Fader, Hardie & Lee 2005): parameters r, alpha, a, b.

    Parameters
    ----------
    penalizer_coef : float, default 0.0
        L2 penalty on the parameters, with lifetimes' meaning: added to the
        mean negative log-likelihood on the time scale where the oldest
        customer's age is 1 (0: plain maximum likelihood).

    Examples
    --------
    With the published CDNOW parameters (FHL 2005), customer 1516's expected
    purchases in the next 39 weeks (FHL 2005, 1.226) and P(alive):

    >>> import goodwill
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> round(float(bgf.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86)), 3)
    1.226
    >>> round(float(bgf.conditional_probability_alive(2, 30.43, 38.86)), 3)
    0.727
    """

    _param_names = ("r", "alpha", "a", "b")
    _core_class = _core.value.BgNbd
    _cov_class = _core.value.BgNbdCov

    def probability_of_n_purchases_up_to_time(
        self, t: ArrayLike, n: int, covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """P(X(t) = n) for a customer just acquired (a float); for a fit with
        covariates, of each customer whose covariates are given (``t`` a
        scalar or one per customer; a Series with a DataFrame's index)."""
        return self._probability_of_n(t, n, covariates, life_covariates, trans_covariates)


class ParetoNBDFitter(_AliveHorizonFitter):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987): r, alpha, s, beta.

    Parameters
    ----------
    penalizer_coef : float, default 0.0
        L2 penalty on the parameters, with lifetimes' meaning: added to the
        mean negative log-likelihood on the time scale where the oldest
        customer's age is 1 (0: plain maximum likelihood).

    Examples
    --------
    With the CDNOW parameters of Fader, Hardie & Lee (2005b), the same
    customer as in :class:`BetaGeoFitter`'s example:

    >>> import goodwill
    >>> pnbd = goodwill.ParetoNBDFitter()
    >>> pnbd.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    >>> round(float(pnbd.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86)), 3)
    1.455
    >>> round(float(pnbd.conditional_probability_alive(2, 30.43, 38.86)), 3)
    0.869
    """

    _param_names = ("r", "alpha", "s", "beta")
    _core_class = _core.value.ParetoNbd
    _cov_class = _core.value.ParetoNbdCov
    _rate_params = (1, 3)
    _penalty_per_row = True

    def probability_of_n_purchases_up_to_time(
        self, t: ArrayLike, n: int, covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """P(X(t) = n) for a customer just acquired (Fader & Hardie 2006,
        note 012, as a one-dimensional integral over the lifetime); for a
        fit with covariates, of each customer whose covariates are given.

        Examples
        --------
        >>> pnbd = goodwill.ParetoNBDFitter()
        >>> pnbd.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
        >>> round(pnbd.probability_of_n_purchases_up_to_time(30, 3), 6)
        0.04663
        """
        return self._probability_of_n(t, n, covariates, life_covariates, trans_covariates)

    def conditional_probability_of_n_purchases_up_to_time(
        self, n: int, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """P(n purchases in (T, T + t] | frequency, recency, T), lifetimes'
        argument order; ``t`` is a scalar or one per customer. For a fit
        with covariates, give those of the customers.

        Examples
        --------
        >>> pnbd = goodwill.ParetoNBDFitter()
        >>> pnbd.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
        >>> round(pnbd.conditional_probability_of_n_purchases_up_to_time(1, 39, 2, 30.43, 38.86), 6)
        0.219287
        """
        if int(n) < 0:
            raise invalid("n", None, "must be non-negative")
        h, x, r, big_t = _customers(t, frequency, recency, T)
        if self._cov_model is not None:
            out = self._cov_model.conditional_probability_of_purchases(
                h, int(n), x, r, big_t, *self._covariates_for(x.size, covariates, life_covariates, trans_covariates))
            return _shape_like(out, frequency, t)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        out = self._model_or_raise().conditional_probability_of_purchases(h, int(n), x, r, big_t)
        return _shape_like(out, frequency, t)

    def discounted_expected_residual_transactions(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, discount_rate: float,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """DERT (Fader, Hardie & Lee 2005b, "RFM and CLV: using iso-value
        curves"): the expected number of future transactions, each discounted
        continuously at ``discount_rate`` per time unit (e.g. ln(1.15)/52 for
        15% a year on weekly data). Multiply by the expected spend for the
        residual value of a customer. For a fit with covariates, give those
        of the customers.

        Examples
        --------
        >>> import math
        >>> pnbd = goodwill.ParetoNBDFitter()
        >>> pnbd.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
        >>> round(pnbd.discounted_expected_residual_transactions(2, 30.43, 38.86, math.log(1.15) / 52), 4)
        6.5017
        """
        cols = (_column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T"))
        if self._cov_model is not None:
            out = self._cov_model.dert(float(discount_rate), *cols,
                                       *self._covariates_for(cols[0].size, covariates, life_covariates,
                                                             trans_covariates))
            return _shape_like(out, frequency)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        out = self._model_or_raise().dert(float(discount_rate), *cols)
        return _shape_like(out, frequency)


class ModifiedBetaGeoFitter(_PurchaseFitter):
    """MBG/NBD (Batislam, Denizel & Filiztekin 2007; Wagner & Hoppe 2008) in
    lifetimes' parameterisation: r, alpha, a, b. As BG/NBD, but a customer
    may drop out right after the first purchase too.

    Parameters
    ----------
    penalizer_coef : float, default 0.0
        L2 penalty on the parameters, with lifetimes' meaning: added to the
        mean negative log-likelihood on the time scale where the oldest
        customer's age is 1 (0: plain maximum likelihood).

    Examples
    --------
    >>> import goodwill
    >>> mbgf = goodwill.ModifiedBetaGeoFitter()
    >>> mbgf.params_ = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
    >>> round(mbgf.conditional_probability_alive(0, 0, 38.86), 3)
    0.39
    """

    _param_names = ("r", "alpha", "a", "b")
    _core_class = _core.value.ModifiedBgNbd

    def probability_of_n_purchases_up_to_time(self, t: float, n: int) -> float:
        """P(X(t) = n) for a customer just acquired."""
        if int(n) < 0:
            raise invalid("n", None, "must be non-negative")
        return float(self._model_or_raise().probability_of_purchases(float(t), int(n)))


class GammaGammaFitter(_Fitter):
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005 note): p, q, v.

    Parameters
    ----------
    penalizer_coef : float, default 0.0
        L2 penalty, c times the sum of the squared parameters, added to
        the mean negative log-likelihood (0: plain maximum likelihood).

    Examples
    --------
    With the CDNOW parameters of the note, a customer with 2 repeat
    purchases averaging 35.0 is expected to spend, per purchase:

    >>> import goodwill
    >>> ggf = goodwill.GammaGammaFitter()
    >>> ggf.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    >>> round(float(ggf.conditional_expected_average_profit(2, 35.0)), 3)
    35.039
    """

    _param_names = ("p", "q", "v")
    _scale_params = ("v",)
    _core_class = _core.value.GammaGamma

    def _degenerate_limit(self, at_bound: Sequence[str], result: Mapping[str, Any]) -> str:
        """q at its cap, or beyond it (the covariate-free fit does not cap
        q): q and v head to infinity together (ν ~ Gamma(q, v) becomes a
        point mass at q/v), so only q/v is identified."""
        q, v = (float(t) for t in result["params"][1:3])
        if "q" not in at_bound and not q >= 0.999 * _core.value.MAX_SHAPE:
            return ""
        return (f"q = {q:.4g} and v = {v:.4g} head to infinity together, the "
                f"degenerate limit where every customer's spend rate ν is q/v = {q / v:.4g} (the spends are "
                "no more dispersed across customers than within them); only q/v is identified, so the "
                "standard errors of q and v are unreliable and the expected spend is p·v/(q − 1) → p·v/q")

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
        covariates: ArrayLike | None = None,
        se: str = "hessian",
    ) -> GammaGammaFitter:
        """Fit to repeat buyers: ``frequency`` ≥ 1 and ``monetary_value`` > 0,
        the mean value of their repeat purchases.

        ``covariates`` (a DataFrame, Series or array, one row per buyer):
        time-invariant spend covariates, v_i = v·exp(γ·z_i), so the expected
        spend per transaction is multiplied by exp(γ·z_i)
        (``goodwill/value/btyd/covariates.hpp``); the coefficients are the
        :attr:`summary` rows ``spend.<name>``, with standard errors from the
        exact Hessian (``se="hessian"``) or the sandwich over customers
        (``se="robust"``, see :meth:`BetaGeoFitter.fit`), and
        :meth:`conditional_expected_average_profit` then needs the
        covariates of the customers predicted for.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(1)
        >>> z = pd.DataFrame({"premium": rng.normal(size=300)})
        >>> x = np.full(300, 3.0)
        >>> m = rng.gamma(6.0, 35.0 * np.exp(0.4 * z["premium"].to_numpy()) / 6.0)
        >>> ggf = goodwill.GammaGammaFitter().fit(x, m, covariates=z)
        >>> list(ggf.summary.index)
        ['p', 'q', 'v', 'spend.premium']
        """
        se = _se_arg(se, covariates is not None)
        if covariates is not None:
            if self.penalizer_coef > 0:
                raise invalid("penalizer_coef", None, "is not supported with covariates (fit with penalizer_coef = 0)"
                )
            x = _column(frequency, "frequency")
            z, names = _covariate_block(covariates, x.size, "covariates")
            kwargs = self._fit_kwargs(weights, initial_params, tol, max_iterations, threads)
            del kwargs["penalizer_coef"]
            cov_model = _core.value.GammaGammaCov()
            result = cov_model.fit(x, _column(monetary_value, "monetary_value"), z, se=se, **kwargs)
            full = np.asarray(result["covariance"], dtype=np.float64)
            self._cov = {
                "spend": names,
                "names": [f"spend.{c}" for c in names],
                "coefficients": [float(v) for v in result["coefficients"]],
                "standard_errors": [float(v) for v in result["standard_errors"]],
                "covariance": full,
                "se": str(result["se"]),
            }
            fit = dict(result)
            del fit["coefficients"]
            fit["standard_errors"] = [float(v) for v in result["standard_errors"]][:3]
            fit["covariance"] = full[:3, :3]
            self._model = None
            self._cov_model = cov_model
            self._fit = fit
            self._warn_convergence(result, [*self._param_names, *self._cov["names"]], stacklevel=3)
            if verbose:
                print(f"GammaGammaFitter: LL {result['log_likelihood']:.4f}")
            return self
        model = _core.value.GammaGamma()
        result = model.fit(
            _column(frequency, "frequency"),
            _column(monetary_value, "monetary_value"),
            **self._fit_kwargs(weights, initial_params, tol, max_iterations, threads),
        )
        self._model = model
        self._cov_model = None
        self._cov = None
        self._set_fit(result)
        if verbose:
            print(f"GammaGammaFitter: LL {result['log_likelihood']:.4f}")
        return self

    def _make_cov_model(self, params: list[float], cov: Mapping[str, Any]) -> Any:
        return _core.value.GammaGammaCov(params, [float(v) for v in cov["coefficients"]])

    def conditional_expected_average_profit(
        self, frequency: ArrayLike | None = None, monetary_value: ArrayLike | None = None,
        covariates: ArrayLike | None = None,
    ) -> Any:
        """E[mean spend | frequency, monetary_value]; without arguments, the
        population mean p·v/(q − 1) (of a customer whose covariates are 0,
        for a fit with covariates). Infinite (``inf``, not NaN) where
        p·frequency + q ≤ 1: the spend's mixing distribution then has no mean.
        For a fit with covariates give those of the customers
        (``covariates``, one row each, columns by the fitted names)."""
        self._require_fit()
        if self._cov_model is not None and frequency is not None and monetary_value is not None:
            x = _column(frequency, "frequency")
            z, _ = _covariate_block(covariates, x.size, "covariates", self._cov["spend"])  # type: ignore[index]
            out = self._cov_model.conditional_expected_average_profit(
                x, _column(monetary_value, "monetary_value"), z)
            return _shape_like(out, frequency)
        if covariates is not None and self._cov_model is None:
            raise invalid("covariates", None, "the model was fitted without covariates")
        if frequency is None and monetary_value is None:
            p, q, v = self._fit["params"]  # type: ignore[index]
            return p * v / (q - 1) if q > 1 else float("inf")
        if frequency is None or monetary_value is None:
            raise invalid("monetary_value", None, "give both frequency and monetary_value")
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
        covariates: ArrayLike | None = None,
        life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
        spend_covariates: ArrayLike | None = None,
    ) -> Any:
        """Discounted CLV over ``time`` months, lifetimes' definition: each
        month's expected purchases (from ``transaction_prediction_model``,
        whose time unit is ``freq``) times the expected spend, discounted at
        ``discount_rate`` a month.

        Either model may be fitted with covariates: ``covariates`` (one row
        per customer, a DataFrame's columns taken by each model's fitted
        names) serve both, ``life_covariates`` / ``trans_covariates`` the
        purchase model's processes and ``spend_covariates`` this model's
        spend, each customer with their own scaled parameters."""
        self._require_fit()
        if freq not in _PERIODS_PER_MONTH:
            raise invalid("freq", None, f"one of {sorted(_PERIODS_PER_MONTH)}, got {freq!r}")
        if int(time) < 0:
            raise invalid("time", None, "must be non-negative")
        factor = _PERIODS_PER_MONTH[freq]
        spend_z = spend_covariates if spend_covariates is not None else covariates
        spend = np.asarray(self.conditional_expected_average_profit(
            _column(frequency, "frequency"), _column(monetary_value, "monetary_value"),
            covariates=spend_z if self._cov_model is not None else None))
        if self._cov_model is None and spend_covariates is not None:
            raise invalid("spend_covariates", None, "the GammaGammaFitter was fitted without covariates")
        purchase_z: dict[str, Any] = {}
        if getattr(transaction_prediction_model, "_cov_model", None) is not None:
            purchase_z = {"covariates": covariates, "life_covariates": life_covariates,
                          "trans_covariates": trans_covariates}
        elif life_covariates is not None or trans_covariates is not None:
            raise invalid("life_covariates", None, "the transaction model was fitted without covariates")
        if covariates is not None and self._cov_model is None and not purchase_z:
            raise invalid("covariates", None, "neither model was fitted with covariates")
        f, r, t_ = _column(frequency, "frequency"), _column(recency, "recency"), _column(T, "T")
        clv = np.zeros_like(f)
        previous = np.zeros_like(f)
        for i in range(1, int(time) + 1):
            e = np.asarray(transaction_prediction_model.conditional_expected_number_of_purchases_up_to_time(
                i * factor, f, r, t_, **purchase_z))
            clv += spend * (e - previous) / (1.0 + discount_rate) ** i
            previous = e
        if isinstance(frequency, pd.Series):
            return pd.Series(clv, index=frequency.index, name="clv")
        return clv


class BetaGeoBetaBinomFitter(_ProcessCovariateFitter):
    """BG/BB (Fader, Hardie & Shang 2010), discrete time: alpha, beta, gamma, delta.

    Parameters
    ----------
    penalizer_coef : float, default 0.0
        L2 penalty, c times the sum of the squared parameters, added to
        the mean negative log-likelihood (0: plain maximum likelihood).

    Examples
    --------
    With the published donation-data parameters (FHS 2010), a donor with 3
    transactions in 6 periods, the last in period 4:

    >>> import goodwill
    >>> bgbb = goodwill.BetaGeoBetaBinomFitter()
    >>> bgbb.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    >>> round(float(bgbb.conditional_probability_alive(0, 3, 4, 6)), 3)
    0.472
    >>> round(float(bgbb.conditional_expected_number_of_purchases_up_to_time(5, 3, 4, 6)), 3)
    1.034
    """

    _param_names = ("alpha", "beta", "gamma", "delta")
    _core_class = _core.value.BgBb
    _cov_class = _core.value.BgBbCov

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
        covariates: ArrayLike | None = None,
        life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
        se: str = "hessian",
    ) -> BetaGeoBetaBinomFitter:
        """Fit to transactions ``frequency``, the opportunity of the last one
        ``recency`` (0 if none) and ``n_periods`` opportunities, optionally
        with ``weights`` (as lifetimes' donations data).

        Parameters
        ----------
        frequency, recency, n_periods : array-like
            One entry per customer (or per group of identical ones, with
            ``weights``); whole numbers of periods, frequency ≤ recency ≤
            n_periods.
        weights : array-like, optional
            Counts of identical customers.
        initial_params : sequence of float, optional
            Starting point: the four base parameters (with covariates, the
            coefficients may follow, on the covariates' scale).
        verbose : bool, default False
            Print the log-likelihood at the end.
        tol, max_iterations, threads
            The optimiser's gradient tolerance, iteration cap and threads.
        covariates, life_covariates, trans_covariates : DataFrame, Series or array, optional
            Time-invariant covariates (one row per customer): ``covariates``
            for both processes, or ``life_covariates`` and/or
            ``trans_covariates`` per process (a process given neither has
            none). Our parameterisation (CLVTools has no BG/BB with
            covariates; ``goodwill/value/btyd/covariates.hpp``): α_i =
            α·exp(γ_trans·z) and γ_i = γ·exp(γ_life·z), β and δ common, so a
            positive ``trans.<name>`` coefficient raises the mean transaction
            probability α_i/(α_i+β) and a positive ``life.<name>`` the mean
            dropout probability γ_i/(γ_i+δ). The coefficients are in
            :attr:`summary`; :attr:`params_` are the base parameters (a
            customer whose covariates are 0), and predictions then need the
            covariates of the customers predicted for. Not with
            ``penalizer_coef`` > 0.
        se : {"hessian", "robust"}, default "hessian"
            With covariates: standard errors from the inverse of the exact
            Hessian, or the sandwich over customers (see
            :meth:`BetaGeoFitter.fit`).

        Returns
        -------
        BetaGeoBetaBinomFitter
            self, fitted.

        Examples
        --------
        Customers over 6 opportunities whose transaction probability rises
        with a covariate z (α_i = 1.2·exp(0.5·z)); an alive customer first
        survives each opportunity (θ ~ Beta(0.66, 2.8)), then transacts:

        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> n = 2000
        >>> z = rng.normal(size=n)
        >>> p = rng.beta(1.2 * np.exp(0.5 * z), 0.75)
        >>> alive = np.cumprod(rng.random((n, 6)) > rng.beta(0.66, 2.8, size=(n, 1)), axis=1) > 0
        >>> buy = alive & (rng.random((n, 6)) < p[:, None])
        >>> x = buy.sum(axis=1).astype(float)
        >>> rec = np.where(x > 0, 6 - np.argmax(buy[:, ::-1], axis=1), 0).astype(float)
        >>> bgbb = goodwill.BetaGeoBetaBinomFitter().fit(x, rec, np.full(n, 6.0),
        ...                                              trans_covariates=pd.DataFrame({"z": z}))
        >>> list(bgbb.summary.index)
        ['alpha', 'beta', 'gamma', 'delta', 'trans.z']
        >>> round(float(bgbb.summary.loc["trans.z", "coef"]), 2)
        0.55
        """
        with_cov = covariates is not None or life_covariates is not None or trans_covariates is not None
        se = _se_arg(se, with_cov)
        x, rec, n = _column(frequency, "frequency"), _column(recency, "recency"), _column(n_periods, "n_periods")
        kwargs = self._fit_kwargs(weights, initial_params, tol, max_iterations, threads)
        if with_cov:
            if self.penalizer_coef > 0:
                raise invalid("penalizer_coef", None, "is not supported with covariates (fit with penalizer_coef = 0)")
            life, trans, life_names, trans_names = _covariate_blocks(covariates, life_covariates, trans_covariates,
                                                                     x.size)
            del kwargs["penalizer_coef"]
            cov_model = _core.value.BgBbCov()
            result = cov_model.fit(x, rec, n, life, trans, se=se, **kwargs)
            self._store_process_fit(cov_model, result, life_names, trans_names, stacklevel=4)
        else:
            model = _core.value.BgBb()
            result = model.fit(x, rec, n, **kwargs)
            self._model = model
            self._cov_model = None
            self._cov = None
            self._set_fit(result)
        if verbose:
            print(f"BetaGeoBetaBinomFitter: LL {result['log_likelihood']:.4f}")
        return self

    def _bgbb_model(self) -> Any:
        """The covariate-free core model (a fit with covariates needs the
        customers' covariates: refused by name)."""
        self._require_fit()
        if self._cov_model is not None:
            raise invalid("covariates", None, "this BetaGeoBetaBinomFitter was fitted with covariates: give those "
                          "of the customers predicted for (covariates, life_covariates or trans_covariates)")
        return self._model

    def conditional_expected_number_of_purchases_up_to_time(
        self, m_periods_in_future: ArrayLike, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """Expected transactions in the next ``m_periods_in_future``
        opportunities (a scalar or one per customer). For a fit with
        covariates, give those of the customers (one row each)."""
        self._require_fit()
        _periods(m_periods_in_future, "m_periods_in_future")
        _periods(n_periods, "n_periods")
        cols = _customers(m_periods_in_future, frequency, recency, n_periods, "m_periods_in_future", "n_periods")
        if self._cov_model is not None:
            out = self._cov_model.conditional_expected_purchases(
                *cols, *self._covariates_for(cols[1].size, covariates, life_covariates, trans_covariates))
        else:
            self._no_covariates(covariates, life_covariates, trans_covariates)
            out = self._bgbb_model().conditional_expected_purchases(*cols)
        return _shape_like(out, frequency, m_periods_in_future)

    def conditional_probability_alive(
        self, m_periods_in_future: ArrayLike, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike,
        covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """P(alive at opportunity n_periods + m_periods_in_future);
        ``m_periods_in_future`` is a scalar or one per customer. For a fit
        with covariates, give those of the customers (one row each)."""
        self._require_fit()
        _periods(m_periods_in_future, "m_periods_in_future")
        _periods(n_periods, "n_periods")
        cols = _customers(m_periods_in_future, frequency, recency, n_periods, "m_periods_in_future", "n_periods")
        if self._cov_model is not None:
            out = self._cov_model.probability_alive(
                *cols, *self._covariates_for(cols[1].size, covariates, life_covariates, trans_covariates))
        else:
            self._no_covariates(covariates, life_covariates, trans_covariates)
            out = self._bgbb_model().probability_alive(*cols)
        return _shape_like(out, frequency, m_periods_in_future)

    def expected_number_of_transactions_in_first_n_periods(
        self, n: int, n_customers: float | None = None, covariates: ArrayLike | None = None,
        life_covariates: ArrayLike | None = None, trans_covariates: ArrayLike | None = None,
    ) -> pd.DataFrame:
        """P(X(n) = x) for x = 0..n times ``n_customers``, as lifetimes
        (column ``model``, index ``frequency``). ``n_customers`` defaults to
        the number of customers fitted (lifetimes' meaning: the sum of the
        weights); for parameters set by hand (:attr:`params_`, no data) it
        defaults to 1, the probabilities per customer. For a fit with
        covariates give those of the customers to tabulate (one row each):
        the table is the mean of their P(X(n) = x), times ``n_customers``
        (default: the number of customers given).

        Examples
        --------
        >>> bgbb = goodwill.BetaGeoBetaBinomFitter()
        >>> bgbb.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
        >>> table = bgbb.expected_number_of_transactions_in_first_n_periods(6, n_customers=11104)
        >>> round(float(table["model"].sum()))
        11104
        """
        fit = self._require_fit()
        n = int_arg(n, "n", 0, MAX_TABLE_PERIODS)
        if self._cov_model is not None:
            count, lv, tv, _ = self._new_customers(covariates, life_covariates, trans_covariates)
            scale = float(count) if n_customers is None else real_arg(n_customers, "n_customers", 0.0)
            probs = [float(np.mean(self._cov_model.probability_of_purchases(float(n), float(x), count, lv, tv)))
                     for x in range(n + 1)]
        else:
            self._no_covariates(covariates, life_covariates, trans_covariates)
            if n_customers is None:
                scale = float(fit["customers"]) if float(fit["customers"]) > 0 else 1.0
            else:
                scale = real_arg(n_customers, "n_customers", 0.0)
            model = self._bgbb_model()
            probs = [model.probability_of_purchases(float(n), float(x)) for x in range(n + 1)]
        return pd.DataFrame(
            {"model": np.asarray(probs) * scale},
            index=pd.RangeIndex(int(n) + 1, name="frequency"),
        )

    def expected_number_of_purchases_up_to_time(
        self, n: float, covariates: ArrayLike | None = None, life_covariates: ArrayLike | None = None,
        trans_covariates: ArrayLike | None = None,
    ) -> Any:
        """E[X(n)]: expected transactions in the first n opportunities (a
        float); for a fit with covariates, of each customer whose covariates
        are given (one row each; a Series with a DataFrame's index)."""
        self._require_fit()
        periods = real_arg(n, "n", 0.0)
        if periods != np.floor(periods):
            raise invalid("n", None, f"must be a whole number of periods, got {periods!r}")
        if self._cov_model is not None:
            count, lv, tv, index = self._new_customers(covariates, life_covariates, trans_covariates)
            out = self._cov_model.expected_purchases(np.array([periods]), count, lv, tv)
            return pd.Series(out, index=index) if index is not None else np.asarray(out)
        self._no_covariates(covariates, life_covariates, trans_covariates)
        return float(self._bgbb_model().expected_purchases(periods))


class ShiftedBetaGeoFitter(_Fitter):
    """Shifted-beta-geometric retention model for contractual customers
    (sBG: Fader & Hardie 2007, "How to project customer retention"): each
    period a customer churns with probability θ ~ Beta(alpha, beta).

    Parameters
    ----------
    penalizer_coef : float, default 0.0
        L2 penalty, c times the sum of the squared parameters, added to
        the mean negative log-likelihood (0: plain maximum likelihood).

    Examples
    --------
    >>> import goodwill
    >>> sbg = goodwill.ShiftedBetaGeoFitter().fit_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> sbg.params_.round(3).tolist()
    [0.704, 1.182]
    >>> round(sbg.retention_rate(8), 3)  # (beta + 7) / (alpha + beta + 7)
    0.921
    """

    _param_names = ("alpha", "beta")
    _core_class = _core.value.Sbg

    def fit(
        self,
        periods: ArrayLike,
        churned: ArrayLike,
        weights: ArrayLike | None = None,
        initial_params: Sequence[float] | None = None,
        verbose: bool = False,
        tol: float = 1e-9,
        max_iterations: int = 1000,
        threads: int = 0,
    ) -> ShiftedBetaGeoFitter:
        """Fit to customers (or ``weights`` of identical ones) who churned at
        the end of period ``periods`` (``churned`` = 1) or are still active
        after ``periods`` periods (``churned`` = 0); periods are whole, ≥ 1."""
        model = _core.value.Sbg()
        result = model.fit(_column(periods, "periods"), _column(churned, "churned"),
                           **self._fit_kwargs(weights, initial_params, tol, max_iterations, threads))
        self._model = model
        self._set_fit(result)
        if verbose:
            print(f"ShiftedBetaGeoFitter: LL {result['log_likelihood']:.4f}")
        return self

    def fit_survivors(
        self, survivors: ArrayLike, initial_params: Sequence[float] | None = None, tol: float = 1e-9,
        max_iterations: int = 1000,
    ) -> ShiftedBetaGeoFitter:
        """Fit to a survivor curve: ``survivors[0]`` customers start and
        ``survivors[t]`` are still active after t periods."""
        model = _core.value.Sbg()
        kw = self._fit_kwargs(None, initial_params, tol, max_iterations, 1)
        del kw["weights"]
        result = model.fit_survivors(_column(survivors, "survivors"), **kw)
        self._model = model
        self._set_fit(result)
        return self

    def survival_function(self, t: ArrayLike) -> Any:
        """S(t): share of a cohort still active after t periods."""
        self._require_fit()
        return _shape_like(self._model.survival(_column(t, "t")), t)

    def probability_of_churn(self, t: ArrayLike) -> Any:
        """P(T = t): share of a cohort churning at the end of period t ≥ 1."""
        self._require_fit()
        return _shape_like(self._model.probability_churn(_column(t, "t")), t)

    def retention_rate(self, t: ArrayLike) -> Any:
        """r_t = S(t)/S(t−1), the share of the customers active in period
        t − 1 who renew for period t (t ≥ 1); it rises with t."""
        self._require_fit()
        return _shape_like(self._model.retention_rate(_column(t, "t")), t)

    def expected_survivors(self, n_customers: float, periods: int) -> pd.Series:
        """The cohort of ``n_customers`` projected over periods 0..periods."""
        self._require_fit()
        t = np.arange(int(periods) + 1, dtype=np.float64)
        return pd.Series(float(n_customers) * np.asarray(self._model.survival(t)),
                         index=pd.RangeIndex(int(periods) + 1, name="period"), name="survivors")

    def discounted_expected_lifetime(self, discount_rate: float) -> float:
        """DEL (Fader & Hardie 2010): expected discounted number of payments
        of a new customer, the first included, at ``discount_rate`` per period."""
        self._require_fit()
        return float(self._model.discounted_expected_lifetime(float(discount_rate)))

    def discounted_expected_residual_lifetime(self, discount_rate: float, n_periods: ArrayLike) -> Any:
        """DERL (Fader & Hardie 2010, eq. 6) of customers active for
        ``n_periods`` periods: expected discounted number of the payments
        still to come, the next one undiscounted."""
        self._require_fit()
        return _shape_like(self._model.derl(float(discount_rate), _column(n_periods, "n_periods")), n_periods)


def beta_geometric_nbd_model(
    T: ArrayLike, r: float, alpha: float, a: float, b: float, size: int | None = None, seed: int = 0,
    threads: int = 0,
) -> pd.DataFrame:
    """Customers drawn from the BG/NBD process (lifetimes.generate_data's
    ``beta_geometric_nbd_model``): ``T`` is each customer's age, a scalar
    repeated ``size`` times or an array. Counter-based random numbers: the
    same ``seed`` gives the same customers on any number of threads.

    Parameters
    ----------
    T : float or array-like
        Each customer's age (time since the first purchase).
    r, alpha, a, b : float
        The BG/NBD parameters (as :class:`BetaGeoFitter`'s ``params_``).
    size : int, optional
        Number of customers when ``T`` is a scalar.
    seed : int, default 0
        Seed of the counter-based random numbers.
    threads : int, default 0
        Worker threads (0: one per core); the customers do not depend on it.

    Returns
    -------
    pandas.DataFrame
        ``frequency``, ``recency`` and ``T`` per customer, lifetimes' RFM
        summary columns, ready for :meth:`BetaGeoFitter.fit`.

    Examples
    --------
    >>> import goodwill
    >>> d = goodwill.beta_geometric_nbd_model(39, 0.243, 4.414, 0.793, 2.426, size=5, seed=1)
    >>> d["frequency"].tolist(), bool((d["recency"] <= d["T"]).all())
    ([8.0, 1.0, 0.0, 3.0, 0.0], True)
    """
    ts = _column(T, "T")
    if size is not None:
        if ts.size != 1:
            raise invalid("size", None, "give size only with a scalar T")
        ts = np.full(int(size), ts[0])
    x, tx = _core.value.simulate_bg_nbd(float(r), float(alpha), float(a), float(b), ts, int(seed), threads_arg(threads))
    return pd.DataFrame({"frequency": np.asarray(x), "recency": np.asarray(tx), "T": ts})
