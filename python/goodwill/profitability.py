"""Customer profitability after activity-based cost-to-serve, and the whale curve.

"Is this customer worth it?" — revenue and gross margin from won deals and
purchases, minus what it costs to serve the customer (meetings, discovery,
negotiation rounds, support, custom work, service issues), per customer; and
the whale curve of cumulative profit against customers ranked by profit. The
formulas are documented in ``include/goodwill/profitability.hpp``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, Union

import numpy as np
import pandas as pd

from . import _core
from ._columns import invalid
from .ledger import Ledger


@dataclasses.dataclass
class CostRates:
    """Activity rates of cost-to-serve (currency units), the default margin and
    what counts as revenue.

    - ``meeting_hour``, ``discovery_hour``, ``support_hour``,
      ``custom_request_hour``: per hour (the amount of those events is hours);
    - ``negotiation_round``: per round; a round is one ``proposal``,
      ``competitor_quote``, ``concession``, ``price_match``, ``scope_change``
      or ``alternative_offered`` event, and takes ``hours_per_round`` hours of
      effort;
    - ``service_issue``: fixed cost per issue, plus ``service_issue_amount_share``
      times the issue's amount (its cost to the customer, e.g. credits);
    - ``default_margin``: gross margin (fraction) assumed where a ``deal_won``
      or ``purchase`` has ``MARGIN_UNKNOWN`` as its detail;
    - ``count_deals_won`` / ``count_purchases``: which amounts are revenue
      (turn one off if your CRM logs a contract as a won deal and its orders as
      purchases).

    Concessions are not costs: the discount is already in the close value.
    The defaults are illustrative; set your own.
    """

    meeting_hour: float = 150.0
    discovery_hour: float = 150.0
    negotiation_round: float = 100.0
    support_hour: float = 80.0
    custom_request_hour: float = 120.0
    service_issue: float = 250.0
    service_issue_amount_share: float = 0.0
    hours_per_round: float = 1.0
    default_margin: float = 0.30
    count_deals_won: bool = True
    count_purchases: bool = True

    def _core(self) -> Any:
        r = _core.CostRates()
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            try:
                setattr(r, f.name, bool(value) if f.type in ("bool", bool) else float(value))
            except (TypeError, ValueError):
                raise invalid(f.name, None, f"{value!r} is not a number") from None
        r.validate()
        return r

    def validate(self) -> None:
        """Raise InvalidInputError naming the field if a rate is bad."""
        self._core()


def profitability(ledger: Ledger, rates: CostRates | None = None) -> pd.DataFrame:
    """Per-customer profitability, one row per customer (indexed by the ledger's keys).

    Columns: ``revenue``, ``gross_margin``, ``assumed_margin_revenue`` (revenue
    that carried the default margin), the activity drivers ``meeting_hours``,
    ``discovery_hours``, ``negotiation_rounds``, ``support_hours``,
    ``custom_request_hours``, ``service_issues``, ``service_issue_amount``, then
    ``cost_to_serve``, ``profit`` (= gross_margin − cost_to_serve),
    ``effort_hours`` and ``profit_per_hour`` (NaN without effort).
    """
    if not isinstance(ledger, Ledger):
        raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
    if rates is not None and not isinstance(rates, CostRates):
        raise invalid("rates", None, f"must be a goodwill.CostRates, got {type(rates).__name__}")
    cols = _core.profitability(ledger._core, (rates or CostRates())._core())
    frame = pd.DataFrame(cols, index=pd.Index(ledger.customers, name="customer"))
    for name in ("negotiation_rounds", "service_issues"):
        frame[name] = frame[name].astype(np.int64)
    return frame


@dataclasses.dataclass
class WhaleCurve:
    """A whale curve: ``curve`` (one row per customer, most profitable first)
    and ``summary``. Unpacks as ``curve, summary = goodwill.whale_curve(...)``.

    ``curve`` columns: ``customer``, ``profit``, ``cumulative_profit``,
    ``cumulative_share`` (of the total profit; NaN when the total is not
    positive) and ``customer_share`` (rank / customers); index: ``rank`` from 1.

    ``summary``: ``customers``, ``total_profit``, ``peak_profit`` (Σ positive
    profits), ``peak_share`` (the curve's maximum), ``peak_customer_share``
    (the share of customers at the peak: the profitable ones), ``loss_tail``
    (profit destroyed by the unprofitable customers, ≥ 0), ``profitable`` and
    ``unprofitable`` (counts).
    """

    curve: pd.DataFrame
    summary: pd.Series

    def __iter__(self) -> Iterator[Any]:
        return iter((self.curve, self.summary))

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Plot the curve on ``ax`` (a new figure if None); see :func:`plot_whale_curve`."""
        return plot_whale_curve(self, ax=ax, **kwargs)


ProfitData = Union[Ledger, pd.DataFrame, "pd.Series[Any]", WhaleCurve]


def _profits(data: Any, rates: CostRates | None) -> pd.Series:
    if isinstance(data, Ledger):
        return profitability(data, rates)["profit"]
    if isinstance(data, pd.DataFrame):
        if "profit" not in data.columns:
            raise invalid("profit", None, "the DataFrame has no 'profit' column")
        return data["profit"]
    if isinstance(data, pd.Series):
        return data
    raise invalid("data", None, f"must be a Ledger, a profitability DataFrame or a Series of profits, "
                                f"got {type(data).__name__}")


def whale_curve(data: ProfitData, rates: CostRates | None = None) -> WhaleCurve:
    """The whale curve of a ledger (profits computed with ``rates``), of a
    :func:`profitability` DataFrame, or of a Series of profits indexed by customer."""
    if isinstance(data, WhaleCurve):
        return data
    profit = _profits(data, rates)
    values = np.ascontiguousarray(profit.to_numpy(dtype=np.float64, na_value=np.nan))
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise invalid("profit", int(bad[0]), f"is {values[bad[0]]} (customer {profit.index[bad[0]]!r})")
    w = _core.whale_curve(values)
    order = np.asarray(w["order"], dtype=np.int64)
    n = len(values)
    curve = pd.DataFrame(
        {
            "customer": profit.index.to_numpy()[order],
            "profit": values[order],
            "cumulative_profit": np.asarray(w["cumulative_profit"]),
            "cumulative_share": np.asarray(w["cumulative_share"]),
            "customer_share": np.arange(1, n + 1, dtype=np.float64) / max(n, 1),
        },
        index=pd.RangeIndex(1, n + 1, name="rank"),
    )
    summary = pd.Series(
        {
            "customers": n,
            "total_profit": w["total_profit"],
            "peak_profit": w["peak_profit"],
            "peak_share": w["peak_share"],
            "peak_customer_share": w["peak_customer_share"],
            "loss_tail": w["loss_tail"],
            "profitable": w["profitable"],
            "unprofitable": w["unprofitable"],
        },
        name="whale_curve",
        dtype=object,
    )
    return WhaleCurve(curve, summary)


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install matplotlib") from exc
    return plt


def plot_whale_curve(data: ProfitData, ax: Any = None, *, rates: CostRates | None = None,
                     annotate: bool = True, **kwargs: Any) -> Any:
    """Plot a whale curve (percent of total profit against percent of
    customers, from the origin), the 100% line and the peak. ``data`` is
    anything :func:`whale_curve` takes, or its result. Returns the Axes."""
    w = whale_curve(data, rates)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    curve, s = w.curve, w.summary
    if not np.isfinite(s["peak_share"]):
        raise invalid("profit", None, "the total profit is not positive: the whale curve has no scale")
    x = np.concatenate([[0.0], curve["customer_share"].to_numpy()]) * 100
    y = np.concatenate([[0.0], curve["cumulative_share"].to_numpy()]) * 100
    kwargs.setdefault("color", "C0")
    ax.plot(x, y, **kwargs)
    ax.axhline(100.0, color="0.6", linewidth=0.8, linestyle="--")
    px, py = s["peak_customer_share"] * 100, s["peak_share"] * 100
    ax.plot([px], [py], "o", color=kwargs["color"])
    if annotate:
        ax.annotate(
            f"peak {py:.0f}% at {px:.0f}% of customers\nloss tail {s['loss_tail']:,.0f}",
            (px, py), textcoords="offset points", xytext=(-8 if px > 60 else 8, -28), fontsize=8,
            ha="right" if px > 60 else "left",
        )
    ax.set_xlabel("customers ranked by profit (%)")
    ax.set_ylabel("cumulative share of total profit (%)")
    ax.set_title("Whale curve")
    ax.set_xlim(0, 100)
    return ax
