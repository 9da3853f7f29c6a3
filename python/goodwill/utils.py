"""RFM summaries of transaction logs, with lifetimes' names and semantics.

``summary_data_from_transaction_data`` and ``calibration_and_holdout_data``
behave as in lifetimes (transactions in the same period collapse into one
purchase whose value is their sum; ``monetary_value`` is the mean of the
repeat purchases), with the summing done in C++. One difference: with
``freq="M"`` (or any calendar frequency) recency and T are whole periods,
where lifetimes divides day differences by an average month.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._errors import invalid
from .ledger import Ledger

__all__ = [
    "calibration_and_holdout_data",
    "expected_cumulative_transactions",
    "summary_data_from_ledger",
    "summary_data_from_transaction_data",
]


def _ordinals(dates: pd.Series, freq: str, field: str) -> np.ndarray:
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise invalid(field, row, "missing date")
    unit = _DATETIME_UNITS.get(freq)
    if unit is not None and isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M":
        # tz-naive datetime64: a "D"/"h"/"min"/"s" period's ordinal is the
        # count of those units since 1970-01-01, floored (NumPy's cast
        # floors), as Period's; without building Period objects
        return dates.to_numpy().astype(f"datetime64[{unit}]").astype(np.int64).astype(np.float64)
    return np.asarray(dates.dt.to_period(freq).array.asi8, dtype=np.float64)


#: pandas period aliases whose ordinals are NumPy datetime64 unit counts.
_DATETIME_UNITS = {"D": "D", "h": "h", "H": "h", "min": "m", "T": "m", "s": "s", "S": "s"}


def _period_ordinal(value: Any, freq: str) -> int:
    return int(pd.Period(pd.Timestamp(value), freq=freq).ordinal)


def _prepare(transactions: pd.DataFrame, customer_id_col: str, datetime_col: str,
             monetary_value_col: str | None, datetime_format: str | None,
             ) -> tuple[pd.Series, np.ndarray, pd.Index, np.ndarray | None]:
    for col in (customer_id_col, datetime_col) + ((monetary_value_col,) if monetary_value_col else ()):
        if col not in transactions.columns:
            raise invalid(col, None, "no such column")
    dates = pd.to_datetime(transactions[datetime_col], format=datetime_format)
    codes, uniques = pd.factorize(transactions[customer_id_col], sort=True)
    if (codes < 0).any():
        row = int(np.flatnonzero(codes < 0)[0])
        raise invalid(customer_id_col, row, "missing customer id")
    amount = None
    if monetary_value_col:
        try:
            amount = np.ascontiguousarray(transactions[monetary_value_col].to_numpy(dtype=np.float64))
        except (TypeError, ValueError) as exc:
            raise invalid(monetary_value_col, None, f"not numeric ({exc})") from None
    return dates, np.ascontiguousarray(codes.astype(np.uint32)), uniques, amount


def _frame(cols: dict[str, Any], uniques: Any, index_name: str, monetary: bool, freq_multiplier: float,
           suffix: str = "") -> pd.DataFrame:
    idx = pd.Index(np.asarray(uniques)[np.asarray(cols["customer"], dtype=np.int64)], name=index_name)
    out = pd.DataFrame(
        {
            "frequency" + suffix: np.asarray(cols["frequency"]),
            "recency" + suffix: np.asarray(cols["recency"]) / freq_multiplier,
            "T" + suffix: np.asarray(cols["T"]) / freq_multiplier,
        },
        index=idx,
    )
    if monetary:
        out["monetary_value" + suffix] = np.asarray(cols["monetary_value"])
    return out


def summary_data_from_transaction_data(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: str | None = None,
    datetime_format: str | None = None,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
) -> pd.DataFrame:
    """One row per customer: ``frequency`` (repeat purchase periods),
    ``recency`` (last − first purchase period), ``T`` (end of observation −
    first purchase period) and, with ``monetary_value_col``,
    ``monetary_value`` (mean value of the repeat purchase periods), in units
    of ``freq`` (a pandas period alias: "D", "W", "M", "h", ...) divided by
    ``freq_multiplier``. Transactions after ``observation_period_end``
    (default: the last one) are ignored.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction.
    customer_id_col, datetime_col : str
        The columns of the customer and of the date.
    monetary_value_col : str, optional
        The column of the transaction's value.
    datetime_format : str, optional
        ``strftime`` format of a text date column.
    observation_period_end : date-like, optional
        The end of observation (default: the last transaction).
    freq : str
        The period: a pandas alias ("D", "W", "M", "h", ...).
    freq_multiplier : float
        Divide the periods by this.

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency``, ``recency``, ``T`` and, with
        ``monetary_value_col``, ``monetary_value``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> tx = pd.DataFrame({"id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-10", "2024-01-05"]),
    ...     "amount": [10.0, 20.0, 40.0, 5.0]})
    >>> goodwill.summary_data_from_transaction_data(tx, "id", "date", monetary_value_col="amount")
        frequency  recency    T  monetary_value
    id
    a         2.0      9.0  9.0            30.0
    b         0.0      0.0  5.0             0.0
    """
    dates, codes, uniques, amount = _prepare(transactions, customer_id_col, datetime_col,
                                             monetary_value_col, datetime_format)
    ords = _ordinals(dates, freq, datetime_col)
    end = dates.max() if observation_period_end is None else observation_period_end
    cols = _core.value.rfm_summary(codes, len(uniques), ords, amount, 1.0, 0.0, float(_period_ordinal(end, freq)))
    return _frame(cols, uniques, customer_id_col, monetary_value_col is not None, freq_multiplier)


def calibration_and_holdout_data(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end: Any,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: str | None = None,
    monetary_value_col: str | None = None,
) -> pd.DataFrame:
    """The calibration summary (columns suffixed ``_cal``) of transactions up
    to ``calibration_period_end``, joined with the holdout counts of
    ``(calibration_period_end, observation_period_end]``:
    ``frequency_holdout`` (purchase periods), ``monetary_value_holdout``
    (mean transaction value) and ``duration_holdout`` (periods).

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction.
    customer_id_col, datetime_col : str
        The columns of the customer and of the date.
    calibration_period_end : date-like
        The end of the calibration period.
    observation_period_end : date-like, optional
        The end of the holdout (default: the last transaction).
    freq, freq_multiplier, datetime_format, monetary_value_col
        As in :func:`summary_data_from_transaction_data`.

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency_cal``, ``recency_cal``, ``T_cal``
        (and ``monetary_value_cal``), ``frequency_holdout`` (and
        ``monetary_value_holdout``), ``duration_holdout``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> tx = pd.DataFrame({"id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-10", "2024-01-05"]),
    ...     "amount": [10.0, 20.0, 40.0, 5.0]})
    >>> goodwill.calibration_and_holdout_data(tx, "id", "date", calibration_period_end="2024-01-05",
    ...                                       observation_period_end="2024-01-10")
        frequency_cal  recency_cal  T_cal  frequency_holdout  duration_holdout
    id
    a             1.0          2.0    4.0                1.0               5.0
    b             0.0          0.0    0.0                0.0               5.0
    """
    dates, codes, uniques, amount = _prepare(transactions, customer_id_col, datetime_col,
                                             monetary_value_col, datetime_format)
    cal_end = pd.Timestamp(calibration_period_end)
    obs_end = dates.max() if observation_period_end is None else pd.Timestamp(observation_period_end)
    if not cal_end < obs_end:
        raise invalid("calibration_period_end", None, "must be before observation_period_end")
    if not bool((dates <= cal_end).any()):
        raise invalid(
            "calibration_period_end", None,
            f"the calibration period holds no customers (no transaction on or before {cal_end}; "
            f"the first is on {dates.min()})",
        )
    ords = _ordinals(dates, freq, datetime_col)
    # Split on the raw timestamps as lifetimes does: holdout rows are moved
    # by 0.75 inside their period so that they fall after the calibration end
    # (ordinal + 0.5) without changing their period.
    keep = (dates <= obs_end).to_numpy()
    holdout = (dates > cal_end).to_numpy()
    time = ords + np.where(holdout, 0.75, 0.0)
    cal_ord, obs_ord = _period_ordinal(cal_end, freq), _period_ordinal(obs_end, freq)
    sel = np.flatnonzero(keep)
    cols = _core.value.rfm_summary(
        np.ascontiguousarray(codes[sel]), len(uniques), np.ascontiguousarray(time[sel]),
        None if amount is None else np.ascontiguousarray(amount[sel]),
        1.0, 0.0, obs_ord + 0.9, cal_ord + 0.5)
    out = _frame(cols, uniques, customer_id_col, monetary_value_col is not None, freq_multiplier, "_cal")
    out["frequency_holdout"] = np.asarray(cols["frequency_holdout"])
    if monetary_value_col is not None:
        out["monetary_value_holdout"] = np.asarray(cols["monetary_value_holdout"])
    out["duration_holdout"] = float(cols["duration_holdout"]) / freq_multiplier
    return out


def expected_cumulative_transactions(
    model: Any,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    datetime_format: str | None = None,
    freq: str = "D",
    set_index_date: bool = False,
    freq_multiplier: int = 1,
    covariates: pd.DataFrame | None = None,
    life_covariates: pd.DataFrame | None = None,
    trans_covariates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Actual and model-predicted cumulative repeat transactions over the
    ``t`` periods from the first transaction (lifetimes' function of the same
    name; Fader, Hardie & Lee 2005, note 008). A customer's transactions in
    one period count once; each cohort (customers whose first purchase falls
    in the same period) contributes its size times
    ``model.expected_number_of_purchases_up_to_time`` of its age, in periods
    divided by ``freq_multiplier`` (the model's time unit).

    Parameters
    ----------
    model : fitter
        A fitted (or ``params_``-set) BG/NBD, MBG/NBD or Pareto/NBD fitter.
    transactions : pandas.DataFrame
        One row per transaction.
    datetime_col, customer_id_col : str
        The columns of the transaction time and the customer.
    t : int
        Number of periods (of ``freq``) from the first transaction.
    datetime_format : str, optional
        ``strftime`` format of ``datetime_col`` when it holds strings.
    freq : str, default "D"
        The period (a pandas frequency).
    set_index_date : bool, default False
        Index the result by the periods' dates instead of 0, 1, ...
    freq_multiplier : int, default 1
        Periods of ``freq`` per unit of the model's time.
    covariates, life_covariates, trans_covariates : DataFrame, optional
        For a model fitted with covariates: those of the customers, indexed
        by the values of ``customer_id_col`` (columns by the fitted names);
        each customer then contributes ``expected_number_of_purchases_up_to_time``
        with their own covariates from their first purchase on.

    Returns
    -------
    DataFrame
        Columns ``actual`` and ``predicted``, one row per ``freq_multiplier``
        periods (index 0.., or the periods with ``set_index_date``).

    Examples
    --------
    >>> import goodwill, pandas as pd
    >>> from goodwill.utils import expected_cumulative_transactions
    >>> tx = pd.DataFrame({"id": [1, 1, 2, 2], "date": pd.to_datetime(
    ...     ["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-09"])})
    >>> bgf = goodwill.BetaGeoFitter()
    >>> bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> expected_cumulative_transactions(bgf, tx, "date", "id", t=10).shape
    (10, 2)
    """
    t, fm = int(t), int(freq_multiplier)
    if t < 1 or fm < 1:
        raise invalid("t", None, "t and freq_multiplier must be positive integers")
    dates, codes, uniques, _ = _prepare(transactions, customer_id_col, datetime_col, None, datetime_format)
    ords = _ordinals(dates, freq, datetime_col).astype(np.int64)
    start = int(ords.min())
    keep = ords <= start + t
    offset, cust = ords[keep] - start, codes[keep].astype(np.int64)
    # Distinct (customer, period) purchases; the first of each customer starts its cohort.
    pairs = np.unique(cust * (t + 1) + offset)
    pc, po = pairs // (t + 1), pairs % (t + 1)
    first = np.ones(pairs.size, dtype=bool)
    first[1:] = pc[1:] != pc[:-1]
    cohort = np.bincount(po[first], minlength=t + 1).astype(np.float64)
    repeats = np.bincount(po[~first], minlength=t + 1).astype(np.float64)
    # E[X(lag / fm)] for lags 0..t, then predicted(i) = sum_{d < i} cohort[d] E(i - d).
    lags = np.arange(t + 1, dtype=np.float64) / fm
    if getattr(model, "_cov_model", None) is not None:
        conv = _cohorts_with_covariates(model, lags, pc[first], po[first], uniques, customer_id_col,
                                        covariates, life_covariates, trans_covariates)
    else:
        if covariates is not None or life_covariates is not None or trans_covariates is not None:
            raise invalid("covariates", None, "the model was fitted without covariates")
        expected = np.array(model.expected_number_of_purchases_up_to_time(lags), dtype=np.float64)
        expected[0] = 0.0
        conv = np.convolve(cohort, expected)[: t + 1]
    steps = np.arange(1, t // fm + 1) * fm
    predicted = conv[steps]
    actual = np.cumsum(repeats)[steps - 1]
    if set_index_date:
        periods = pd.period_range(pd.Period(ordinal=start, freq=freq), periods=t + 1, freq=freq)
        index: Any = periods[fm - 1 : -1 : fm]
    else:
        index = range(t // fm)
    return pd.DataFrame({"actual": actual, "predicted": predicted}, index=index)


def _cohorts_with_covariates(model: Any, lags: np.ndarray, customers: np.ndarray, starts: np.ndarray,
                             uniques: Any, customer_id_col: str, covariates: Any, life: Any, trans: Any
                             ) -> np.ndarray:
    """Σ_c E_c(i − d_c) over the customers c (first purchase in period d_c)
    for i = 0..t, E_c the expected purchases of customer c's covariates:
    customers with the same covariates share one curve (the sum is a
    (periods × distinct covariates) count matrix times their curves)."""
    ids = pd.Index(np.asarray(uniques)[customers])

    def rows(frame: Any, field: str) -> Any:
        if frame is None:
            return None
        if not isinstance(frame, (pd.DataFrame, pd.Series)):
            raise invalid(field, None, f"must be a DataFrame indexed by {customer_id_col!r}")
        missing = ~ids.isin(frame.index)
        if missing.any():
            raise invalid(field, None, f"no covariates for customer {ids[np.flatnonzero(missing)[0]]!r}")
        return frame.loc[ids]

    blocks = model._covariates_for(ids.size, rows(covariates, "covariates"), rows(life, "life_covariates"),
                                   rows(trans, "trans_covariates"))
    z = np.hstack(blocks)
    distinct, which = np.unique(z, axis=0, return_inverse=True)
    which = np.asarray(which).reshape(-1)
    k = blocks[0].shape[1]
    curves = model._expected_purchases_grid(lags, None, np.ascontiguousarray(distinct[:, :k]),
                                            np.ascontiguousarray(distinct[:, k:]))
    curves[:, 0] = 0.0
    n = lags.size
    counts = np.zeros((n, distinct.shape[0]))
    np.add.at(counts, (starts, which), 1.0)
    by_start = counts @ curves  # [d, lag]: the expected purchases of cohort d at that lag
    out = np.zeros(n)
    for d in range(n):
        out[d:] += by_start[d, : n - d]
    return out


def summary_data_from_ledger(
    ledger: Ledger,
    period_length: float = 7.0,
    observation_end: float | None = None,
    calibration_end: float | None = None,
    origin: float = 0.0,
) -> pd.DataFrame:
    """RFM summary of a :class:`goodwill.Ledger`'s ``purchase`` and
    ``deal_won`` events (refunds, negative amounts, are not purchases).
    Ledger times are days: ``period_length=7`` gives weeks. With
    ``calibration_end`` the holdout columns are added as in
    :func:`calibration_and_holdout_data`. Indexed by the ledger's customer keys.

    Parameters
    ----------
    ledger : Ledger
        The events.
    period_length : float
        Days per period (7: weeks).
    observation_end : float, optional
        End of observation, in the ledger's days (default: the last event).
    calibration_end : float, optional
        End of calibration; adds the holdout columns.
    origin : float
        The day periods are counted from.

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency``, ``recency``, ``T``,
        ``monetary_value`` (in periods), and the holdout columns with
        ``calibration_end``.

    Examples
    --------
    >>> import goodwill
    >>> led = goodwill.Ledger({"customer": ["a", "a", "a", "b"], "time": [0.0, 7.0, 21.0, 3.0],
    ...                        "kind": ["purchase"] * 4, "amount": [10.0, 20.0, 40.0, 5.0]})
    >>> goodwill.summary_data_from_ledger(led, period_length=7, observation_end=28.0)
              frequency  recency    T  monetary_value
    customer
    a               2.0      3.0  4.0            30.0
    b               0.0      0.0  4.0             0.0
    """
    nan = float("nan")
    cols = _core.value.rfm_summary_ledger(
        ledger._core, float(period_length), float(origin),
        nan if observation_end is None else float(observation_end),
        nan if calibration_end is None else float(calibration_end))
    out = _frame(cols, ledger.customers, "customer", True, 1.0)
    if calibration_end is not None:
        out["frequency_holdout"] = np.asarray(cols["frequency_holdout"])
        out["monetary_value_holdout"] = np.asarray(cols["monetary_value_holdout"])
        out["duration_holdout"] = float(cols["duration_holdout"])
    return out
