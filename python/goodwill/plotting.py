"""lifetimes' plots for goodwill's buy-till-you-die fitters (matplotlib).

The names and meanings are lifetimes' (``lifetimes.plotting``). goodwill's
fitters do not keep the data they were fitted on (a saved model does not grow
with it), so the plots that compare the model with the data take the data
as arguments. Every function draws on ``ax`` (default: a new figure's axes)
and returns the Axes; times are in the model's time unit, named by
``time_unit`` in the axis labels. Expected counts are exact expectations
under the fitted model (lifetimes simulates the period-transactions bars).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import goodwill
>>> from goodwill.plotting import plot_dropout_rate_heterogeneity
>>> bgf = goodwill.BetaGeoFitter()
>>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
>>> plot_dropout_rate_heterogeneity(bgf).get_xlabel()
'Dropout probability p after each purchase (per purchase)'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import invalid
from .utils import expected_cumulative_transactions
from .value.btyd import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
    _PurchaseFitter,
)

__all__ = [
    "plot_calibration_purchases_vs_holdout_purchases",
    "plot_cumulative_transactions",
    "plot_dropout_rate_heterogeneity",
    "plot_frequency_recency_matrix",
    "plot_history_alive",
    "plot_incremental_transactions",
    "plot_period_transactions",
    "plot_probability_alive_matrix",
    "plot_transaction_rate_heterogeneity",
]

Axes = Any  # matplotlib.axes.Axes (matplotlib is imported lazily)


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    from matplotlib import pyplot as plt

    _, new = plt.subplots()
    return new


def _params(model: Any) -> pd.Series:
    params: pd.Series = model.params_  # raises NotFittedError when the model is not fitted
    return params


def _extent(model: Any, max_frequency: int | None, max_recency: int | None) -> tuple[int, int]:
    """(max_frequency, max_recency): given, else the fitted data's largest frequency and T."""
    extent: tuple[float, float] | None = getattr(model, "_extent", None)
    if extent is None:
        if max_frequency is None or max_recency is None:
            raise invalid("max_frequency", None,
                          "give max_frequency and max_recency (the model was not fitted to data)")
        extent = (0.0, 0.0)
    mf = int(extent[0]) if max_frequency is None else int(max_frequency)
    mr = int(extent[1]) if max_recency is None else int(max_recency)
    if mf < 0 or mr < 0:
        raise invalid("max_frequency", None, "max_frequency and max_recency must be >= 0")
    return mf, mr


def _matrix(ax: Axes, z: npt.NDArray[np.float64], title: str, colorbar_label: str, time_unit: str,
            **kwargs: Any) -> Axes:
    interpolation = kwargs.pop("interpolation", "none")
    image = ax.imshow(z, interpolation=interpolation, origin="upper", aspect="auto", **kwargs)
    ax.set_xlabel("Customer's historical frequency (repeat purchases)")
    ax.set_ylabel(f"Customer's recency (age at last purchase, {time_unit}s)")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    return ax


def period_transactions(
    model: Any, frequency: Any, T: Any, max_frequency: int = 7
) -> pd.DataFrame:
    """The table behind :func:`plot_period_transactions`: customers by
    number of repeat purchases 0..max_frequency − 1 and a last bin
    "max_frequency or more", actual and expected under the model.

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter or BetaGeoBetaBinomFitter
        A fitted model.
    frequency, T : array-like
        Each customer's repeat purchases and age (for BG/BB: opportunities), as at fit.
    max_frequency : int
        Number of single-count bins.

    Returns
    -------
    DataFrame
        Columns ``actual`` and ``model`` (expected customers, Σᵢ P(X(Tᵢ) = n)),
        index the bin labels ("0", ..., "7+"); each column sums to the customers.

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> round(float(period_transactions(bgf, [0, 1, 3], [38.86, 38.86, 30.0])["model"].sum()), 9)
    3.0
    """
    k = int(max_frequency)
    if k < 1:
        raise invalid("max_frequency", None, "must be at least 1")
    x = np.asarray(frequency, dtype=np.float64)
    ages = np.asarray(T, dtype=np.float64)
    if x.shape != ages.shape or x.ndim != 1:
        raise invalid("T", None, "frequency and T must be one-dimensional, of one length")
    _params(model)
    distinct, counts = np.unique(ages, return_counts=True)
    expected = np.zeros(k)
    for age, count in zip(distinct, counts):
        for n in range(k):
            if isinstance(model, BetaGeoBetaBinomFitter):
                p = float(model._bgbb_model().probability_of_purchases(float(age), float(n)))
            else:
                p = float(model.probability_of_n_purchases_up_to_time(float(age), n))
            expected[n] += count * p
    labels = [str(n) for n in range(k)] + [f"{k}+"]
    actual = np.array([np.sum(x == n) for n in range(k)] + [np.sum(x >= k)], dtype=np.float64)
    model_counts = np.append(expected, x.size - expected.sum())
    return pd.DataFrame({"actual": actual, "model": model_counts}, index=pd.Index(labels, name="frequency"))


def plot_period_transactions(
    model: Any,
    frequency: Any,
    T: Any,
    max_frequency: int = 7,
    title: str = "Frequency of repeat transactions",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Customers by number of repeat purchases in the calibration period:
    actual against the model's expectation (lifetimes' plot; the model bars
    are exact expectations, not a simulation, and a last bin collects
    ``max_frequency`` or more purchases).

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter or BetaGeoBetaBinomFitter
        A fitted model.
    frequency, T : array-like
        The customers' repeat purchases and ages (BG/BB: opportunities).
    max_frequency : int
        Number of single-count bins.
    title : str
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``DataFrame.plot.bar``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> plot_period_transactions(bgf, [0, 1, 3], [38.86, 38.86, 30.0]).get_ylabel()
    'Customers'
    """
    table = period_transactions(model, frequency, T, max_frequency)
    ax = _axes(ax)
    table.rename(columns={"actual": "Actual", "model": "Model"}).plot.bar(ax=ax, rot=0, **kwargs)
    ax.set_title(title)
    ax.set_xlabel("Number of calibration period transactions (repeat purchases)")
    ax.set_ylabel("Customers")
    ax.legend()
    return ax


def plot_frequency_recency_matrix(
    model: _PurchaseFitter,
    T: float = 1,
    max_frequency: int | None = None,
    max_recency: int | None = None,
    title: str | None = None,
    time_unit: str = "time unit",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Expected purchases in the next ``T`` time units by frequency
    (columns) and recency (rows) of a customer whose age is
    ``max_recency`` (lifetimes' plot).

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model.
    T : float
        The horizon, in the model's time unit.
    max_frequency, max_recency : int, optional
        The grid (default: the largest frequency and age of the data fitted).
    title : str, optional
        Axes title.
    time_unit : str
        The model's time unit, for the labels.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``imshow``.

    Returns
    -------
    matplotlib Axes
        The image's array is entry ``[recency, frequency]``.

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> plot_frequency_recency_matrix(bgf, 39, 10, 39).get_images()[0].get_array().shape
    (40, 11)
    """
    mf, mr = _extent(model, max_frequency, max_recency)
    rec, freq = np.meshgrid(np.arange(mr + 1, dtype=np.float64), np.arange(mf + 1, dtype=np.float64),
                            indexing="ij")
    z = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(
        float(T), freq.ravel(), rec.ravel(), np.full(freq.size, float(mr))), dtype=np.float64)
    if title is None:
        title = (f"Expected number of future purchases in {T:g} {time_unit}{'s' if T != 1 else ''},\n"
                 f"by frequency and recency of a customer (age {mr} {time_unit}s)")
    return _matrix(_axes(ax), z.reshape(mr + 1, mf + 1), title, "Expected purchases", time_unit, **kwargs)


def plot_probability_alive_matrix(
    model: _PurchaseFitter,
    max_frequency: int | None = None,
    max_recency: int | None = None,
    title: str | None = None,
    time_unit: str = "time unit",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """P(alive) by frequency (columns) and recency (rows) of a customer
    whose age is ``max_recency`` (lifetimes' plot; the values are
    ``model.conditional_probability_alive_matrix``).

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model.
    max_frequency, max_recency : int, optional
        The grid (default: the largest frequency and age of the data fitted).
    title : str, optional
        Axes title.
    time_unit : str
        The model's time unit, for the labels.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``imshow``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> float(plot_probability_alive_matrix(bgf, 10, 39).get_images()[0].get_array().max()) <= 1
    True
    """
    mf, mr = _extent(model, max_frequency, max_recency)
    z = model.conditional_probability_alive_matrix(mf, mr)
    if title is None:
        title = f"Probability customer is alive,\nby frequency and recency of a customer (age {mr} {time_unit}s)"
    kwargs.setdefault("vmin", 0.0)
    kwargs.setdefault("vmax", 1.0)
    return _matrix(_axes(ax), z, title, "P(alive)", time_unit, **kwargs)


_KIND_LABELS = {
    "frequency_cal": "Purchases in calibration period (repeat purchases)",
    "recency_cal": "Age of customer at last purchase ({u}s)",
    "T_cal": "Age of customer at the end of calibration period ({u}s)",
    "time_since_last_purchase": "Time since user made last purchase ({u}s)",
}


def calibration_purchases_vs_holdout_purchases(
    model: _PurchaseFitter, calibration_holdout_matrix: pd.DataFrame, kind: str = "frequency_cal", n: int = 7
) -> pd.DataFrame:
    """The table behind :func:`plot_calibration_purchases_vs_holdout_purchases`:
    mean actual holdout purchases and mean model prediction by ``kind``
    (first ``n`` groups), with the customers in each group.

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model.
    calibration_holdout_matrix : DataFrame
        As :func:`goodwill.calibration_and_holdout_data` returns.
    kind : str
        ``frequency_cal``, ``recency_cal``, ``T_cal`` or ``time_since_last_purchase``.
    n : int
        Number of groups kept.

    Returns
    -------
    DataFrame
        Columns ``frequency_holdout``, ``model_predictions``, ``customers``.

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> m = pd.DataFrame({"frequency_cal": [0.0, 2.0], "recency_cal": [0.0, 30.43], "T_cal": [38.86, 38.86],
    ...                   "frequency_holdout": [0.0, 1.0], "duration_holdout": [39.0, 39.0]})
    >>> round(float(calibration_purchases_vs_holdout_purchases(bgf, m)["model_predictions"][2.0]), 3)
    1.226
    """
    if kind not in _KIND_LABELS:
        raise invalid("kind", None, f"one of {sorted(_KIND_LABELS)}, got {kind!r}")
    summary = calibration_holdout_matrix.copy()
    duration = summary["duration_holdout"]
    summary["model_predictions"] = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(
        duration.to_numpy(), summary["frequency_cal"].to_numpy(), summary["recency_cal"].to_numpy(),
        summary["T_cal"].to_numpy()))
    if kind == "time_since_last_purchase":
        summary[kind] = summary["T_cal"] - summary["recency_cal"]
    grouped = summary.groupby(kind)
    table = grouped[["frequency_holdout", "model_predictions"]].mean()
    table["customers"] = grouped.size()
    return table.iloc[: int(n)]


def plot_calibration_purchases_vs_holdout_purchases(
    model: _PurchaseFitter,
    calibration_holdout_matrix: pd.DataFrame,
    kind: str = "frequency_cal",
    n: int = 7,
    time_unit: str = "time unit",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Mean holdout purchases, actual and predicted, by calibration
    frequency (or recency, age, time since last purchase), lifetimes' plot.

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A model fitted to the calibration columns.
    calibration_holdout_matrix : DataFrame
        As :func:`goodwill.calibration_and_holdout_data` returns.
    kind : str
        ``frequency_cal``, ``recency_cal``, ``T_cal`` or ``time_since_last_purchase``.
    n : int
        Number of groups shown.
    time_unit : str
        The model's time unit, for the labels.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``DataFrame.plot``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> m = pd.DataFrame({"frequency_cal": [0.0, 2.0], "recency_cal": [0.0, 30.43], "T_cal": [38.86, 38.86],
    ...                   "frequency_holdout": [0.0, 1.0], "duration_holdout": [39.0, 39.0]})
    >>> len(plot_calibration_purchases_vs_holdout_purchases(bgf, m).get_lines())
    2
    """
    table = calibration_purchases_vs_holdout_purchases(model, calibration_holdout_matrix, kind, n)
    ax = _axes(ax)
    duration = float(calibration_holdout_matrix["duration_holdout"].iloc[0])
    table[["frequency_holdout", "model_predictions"]].rename(
        columns={"frequency_holdout": "Actual", "model_predictions": "Model"}).plot(ax=ax, marker="o", **kwargs)
    ax.set_title("Actual purchases in holdout period vs predicted purchases")
    ax.set_xlabel(_KIND_LABELS[kind].format(u=time_unit))
    ax.set_ylabel(f"Mean purchases in the {duration:g}-{time_unit} holdout period")
    ax.legend()
    return ax


def alive_path(model: _PurchaseFitter, transactions: pd.DataFrame, datetime_col: str, t: int,
               freq: str = "D") -> pd.Series:
    """P(alive) of one customer at the end of each of the ``t`` periods
    from their first purchase (lifetimes' ``calculate_alive_path``):
    purchases in one period count once, the model's time unit is ``freq``.

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model.
    transactions : DataFrame
        The customer's transactions.
    datetime_col : str
        Their date column.
    t : int
        Number of periods.
    freq : str
        The period (a pandas frequency), the model's time unit.

    Returns
    -------
    Series
        P(alive), indexed by the periods.

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> tx = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-03"])})
    >>> alive_path(bgf, tx, "date", 5).round(3).tolist()  # a repeat purchase on day 2
    [1.0, 1.0, 0.754, 0.719, 0.686]
    """
    t = int(t)
    if t < 1:
        raise invalid("t", None, "must be a positive number of periods")
    dates = pd.to_datetime(transactions[datetime_col])
    if dates.isna().any():
        raise invalid(datetime_col, int(np.flatnonzero(dates.isna().to_numpy())[0]), "not a date")
    if dates.empty:
        raise invalid(datetime_col, None, "the customer has no transactions")
    periods = pd.PeriodIndex(dates, freq=freq).asi8
    start = int(periods.min())
    bought = np.zeros(t, dtype=bool)
    offsets = np.unique(periods - start)
    bought[offsets[offsets < t]] = True
    age = np.arange(t, dtype=np.float64)
    frequency = np.cumsum(bought) - 1.0
    last = np.maximum.accumulate(np.where(bought, age, -1.0))
    p = np.asarray(model.conditional_probability_alive(frequency, last, age), dtype=np.float64)
    index = pd.period_range(pd.Period(ordinal=start, freq=freq), periods=t, freq=freq)
    return pd.Series(p, index=index, name="p_alive")


def plot_history_alive(
    model: _PurchaseFitter,
    t: int,
    transactions: pd.DataFrame,
    datetime_col: str,
    freq: str = "D",
    start_date: Any = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """P(alive) of one customer over the ``t`` periods from their first
    purchase, with their purchases as dashed lines (lifetimes' plot).

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A model whose time unit is ``freq``.
    t : int
        Number of periods.
    transactions : DataFrame
        That customer's transactions.
    datetime_col : str
        Their date column.
    freq : str
        The period, the model's time unit.
    start_date : date-like, optional
        Left end of the x axis (default: the first purchase).
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> tx = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-03"])})
    >>> tuple(float(v) for v in plot_history_alive(bgf, 30, tx, "date").get_ylim())
    (0.0, 1.0)
    """
    path = alive_path(model, transactions, datetime_col, t, freq)
    ax = _axes(ax)
    times = pd.PeriodIndex(path.index).to_timestamp()
    ax.plot(times, path.to_numpy(), "-", label="P(alive)", **kwargs)
    purchases = pd.to_datetime(transactions[datetime_col])
    shown = pd.PeriodIndex(purchases, freq=freq).to_timestamp()
    shown = shown[shown <= times[-1]]
    ax.vlines(shown, ymin=0, ymax=1, colors="r", linestyles="dashed", label="purchases")
    ax.set_ylim(0.0, 1.0)
    ax.set_yticks(np.arange(0, 1.1, 0.1))
    ax.set_xlim(pd.Timestamp(times[0] if start_date is None else start_date), times[-1])
    ax.legend(loc=3)
    ax.set_xlabel(f"Date (period: {freq})")
    ax.set_ylabel("P(alive)")
    ax.set_title("History of P(alive)")
    return ax


def _tracking(model: Any, transactions: pd.DataFrame, datetime_col: str, customer_id_col: str, t: int,
              t_cal: float, datetime_format: str | None, freq: str, set_index_date: bool,
              freq_multiplier: int, incremental: bool, title: str, ylabel: str, ax: Axes | None,
              **kwargs: Any) -> Axes:
    table = expected_cumulative_transactions(model, transactions, datetime_col, customer_id_col, t,
                                             datetime_format=datetime_format, freq=freq,
                                             set_index_date=set_index_date, freq_multiplier=freq_multiplier)
    if incremental:
        table = table - table.shift(1)
    ax = _axes(ax)
    if set_index_date:
        table.index = pd.PeriodIndex(table.index).to_timestamp()
    table.plot(ax=ax, title=title, **kwargs)
    if set_index_date:
        ax.axvline(x=table.index[int(t_cal)], color="r", linestyle="--", label="end of calibration")
        ax.set_xlabel("Date")
    else:
        ax.axvline(x=t_cal, color="r", linestyle="--", label="end of calibration")
        ax.set_xlabel(f"Time since the first transaction ({freq_multiplier}×{freq} periods)")
    ax.set_ylabel(ylabel)
    return ax


def plot_cumulative_transactions(
    model: Any,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    t_cal: float,
    datetime_format: str | None = None,
    freq: str = "D",
    set_index_date: bool = False,
    freq_multiplier: int = 1,
    title: str = "Tracking cumulative transactions",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Cumulative repeat transactions, actual and predicted, with the end of
    calibration ``t_cal`` as a vertical line (lifetimes' plot, from
    :func:`goodwill.expected_cumulative_transactions`).

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model (time unit ``freq_multiplier`` periods ``freq``).
    transactions : DataFrame
        All customers' transactions.
    datetime_col, customer_id_col : str
        Their date and customer columns.
    t : int
        Number of periods tracked.
    t_cal : float
        End of calibration, in rows of the table (model time units).
    datetime_format, freq, set_index_date, freq_multiplier
        As in :func:`goodwill.expected_cumulative_transactions`.
    title : str
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``DataFrame.plot``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 2, 2], "date": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-09"])})
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> plot_cumulative_transactions(bgf, tx, "date", "id", 10, 5).get_ylabel()
    'Cumulative repeat transactions'
    """
    return _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal, datetime_format, freq,
                     set_index_date, freq_multiplier, False, title, "Cumulative repeat transactions", ax,
                     **kwargs)


def plot_incremental_transactions(
    model: Any,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    t_cal: float,
    datetime_format: str | None = None,
    freq: str = "D",
    set_index_date: bool = False,
    freq_multiplier: int = 1,
    title: str = "Tracking transactions per period",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Repeat transactions per period (the increments of
    :func:`plot_cumulative_transactions`), actual and predicted.

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model (time unit ``freq_multiplier`` periods ``freq``).
    transactions : DataFrame
        All customers' transactions.
    datetime_col, customer_id_col : str
        Their date and customer columns.
    t : int
        Number of periods tracked.
    t_cal : float
        End of calibration, in rows of the table (model time units).
    datetime_format, freq, set_index_date, freq_multiplier
        As in :func:`goodwill.expected_cumulative_transactions`.
    title : str
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``DataFrame.plot``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 2, 2], "date": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-09"])})
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> plot_incremental_transactions(bgf, tx, "date", "id", 10, 5).get_ylabel()
    'Repeat transactions per 1×D period'
    """
    return _tracking(model, transactions, datetime_col, customer_id_col, t, t_cal, datetime_format, freq,
                     set_index_date, freq_multiplier, True, title,
                     f"Repeat transactions per {int(freq_multiplier)}×{freq} period", ax, **kwargs)


def _gamma_quantile(shape: float, rate: float, q: float) -> float:
    """Quantile of Gamma(shape, rate) by bisection on the regularised lower
    incomplete gamma function (series; scipy is not a dependency)."""

    def cdf(x: float) -> float:
        if x <= 0:
            return 0.0
        term = total = 1.0 / shape
        n = 0
        while abs(term) > 1e-15 * abs(total) and n < 100000:
            n += 1
            term *= x / (shape + n)
            total += term
        return min(1.0, math.exp(shape * math.log(x) - x - math.lgamma(shape)) * total)

    lo, hi = 0.0, max(1.0, shape)
    while cdf(hi) < q:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if cdf(mid) < q:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * hi:
            break
    return 0.5 * (lo + hi) / rate


def _gamma_density(ax: Axes, shape: float, rate: float, xlabel: str, suptitle: str, **kwargs: Any) -> Axes:
    lim = _gamma_quantile(shape, rate, 0.99)
    x = np.linspace(lim / 1000.0, lim, 200)
    pdf = np.exp(shape * math.log(rate) + (shape - 1) * np.log(x) - rate * x - math.lgamma(shape))
    ax.plot(x, pdf, **kwargs)
    ax.set_title(f"{suptitle}\nmean: {shape / rate:.3f}, var: {shape / rate ** 2:.3f} (Gamma({shape:.3g}, {rate:.3g}))")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Density")
    return ax


def plot_transaction_rate_heterogeneity(
    model: _PurchaseFitter,
    suptitle: str = "Heterogeneity in transaction rate",
    time_unit: str = "time unit",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Density of the purchase rate λ across customers, Gamma(r, alpha),
    up to its 99% quantile (lifetimes' plot), for BG/NBD, MBG/NBD and
    Pareto/NBD.

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model.
    suptitle : str
        First line of the title (the second gives the mean and variance).
    time_unit : str
        The model's time unit, for the labels.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> plot_transaction_rate_heterogeneity(bgf, time_unit="week").get_xlabel()
    'Transaction rate λ (purchases per week)'
    """
    if not isinstance(model, (BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter)):
        raise invalid("model", None, f"a BG/NBD, MBG/NBD or Pareto/NBD fitter, not a {type(model).__name__}")
    p = _params(model)
    return _gamma_density(_axes(ax), float(p["r"]), float(p["alpha"]),
                          f"Transaction rate λ (purchases per {time_unit})", suptitle, **kwargs)


def plot_dropout_rate_heterogeneity(
    model: _PurchaseFitter,
    suptitle: str = "Heterogeneity in dropout probability",
    time_unit: str = "time unit",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Density of the dropout across customers (lifetimes' plot): for
    BG/NBD and MBG/NBD the probability p of dropping out after a purchase,
    Beta(a, b), up to its 99% quantile; for Pareto/NBD the dropout rate μ,
    Gamma(s, beta).

    Parameters
    ----------
    model : BetaGeoFitter, ModifiedBetaGeoFitter or ParetoNBDFitter
        A fitted model.
    suptitle : str
        First line of the title (the second gives the mean and variance).
    time_unit : str
        The model's time unit (Pareto/NBD's rate), for the labels.
    ax : matplotlib Axes, optional
        Where to draw.
    **kwargs
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> pnbd = goodwill.ParetoNBDFitter()
    >>> pnbd.params_ = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    >>> plot_dropout_rate_heterogeneity(pnbd, time_unit="week").get_xlabel()
    'Dropout rate μ (per week)'
    """
    p = _params(model)
    ax = _axes(ax)
    if isinstance(model, ParetoNBDFitter):
        return _gamma_density(ax, float(p["s"]), float(p["beta"]), f"Dropout rate μ (per {time_unit})",
                              suptitle, **kwargs)
    if not isinstance(model, (BetaGeoFitter, ModifiedBetaGeoFitter)):
        raise invalid("model", None, f"a BG/NBD, MBG/NBD or Pareto/NBD fitter, not a {type(model).__name__}")
    a, b = float(p["a"]), float(p["b"])
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)

    def density(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(np.exp((a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - log_beta), dtype=np.float64)

    # Up to the 99% quantile, as lifetimes: the CDF by the midpoint rule on
    # a grid in log(x) (dense near 0, where the density is infinite if a < 1).
    edges = np.concatenate([[0.0], np.logspace(-12, 0, 200001)])
    mids = 0.5 * (edges[1:] + edges[:-1])
    cdf = np.cumsum(density(mids) * np.diff(edges))
    cdf /= cdf[-1]
    lim = float(edges[1:][min(int(np.searchsorted(cdf, 0.99)), cdf.size - 1)])
    x = np.linspace(lim / 400.0, lim, 400)
    ax.plot(x, density(x), **kwargs)
    mean, var = a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    ax.set_title(f"{suptitle}\nmean: {mean:.3f}, var: {var:.3f} (Beta({a:.3g}, {b:.3g}))")
    ax.set_xlabel("Dropout probability p after each purchase (per purchase)")
    ax.set_ylabel("Density")
    return ax
