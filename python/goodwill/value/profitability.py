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

from .. import _core
from .._columns import invalid
from .._convert import to_core
from .._support import check, mark, with_assumptions
from ..evidence import Assumption, Support
from ..ledger import Ledger


@dataclasses.dataclass
class CostRates:
    """Activity rates of cost-to-serve (currency units), the default margin and
    what counts as revenue.

    Concessions are not costs: the discount is already in the close value.
    The defaults are illustrative; set your own.

    Parameters
    ----------
    meeting_hour, discovery_hour, support_hour, custom_request_hour : float
        Cost per hour (the amount of those events is hours).
    negotiation_round : float
        Cost per round; a round is one ``proposal``, ``competitor_quote``,
        ``concession``, ``price_match``, ``scope_change`` or
        ``alternative_offered`` event, and takes ``hours_per_round`` hours of effort.
    hours_per_round : float
        Effort hours of a negotiation round.
    service_issue, service_issue_amount_share : float
        Fixed cost per service issue, plus this share of the issue's amount
        (its cost to the customer, e.g. credits).
    default_margin : float
        Gross margin (fraction) assumed where a ``deal_won`` or ``purchase``
        has ``MARGIN_UNKNOWN`` as its detail.
    count_deals_won, count_purchases : bool
        Which amounts are revenue (turn one off if your CRM logs a contract as
        a won deal and its orders as purchases).

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a", "a"], "time": [0.0, 1.0],
    ...     "kind": ["support", "purchase"], "amount": [2.0, 1000.0], "detail": [0, 5000]}))
    >>> rates = goodwill.CostRates(support_hour=60.0)
    >>> goodwill.profitability(led, rates).loc["a", ["gross_margin", "cost_to_serve", "profit"]].tolist()
    [500.0, 120.0, 380.0]
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
        return to_core(self, _core.value.CostRates())

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

    What the result rests on is in ``result.attrs["support"]`` (also
    ``attrs["assumptions"]``, a list of :class:`goodwill.evidence.Assumption`):
    ``default_margin`` with the share of revenue (absolute amounts of the
    counted deals won and purchases) whose margin was assumed and the share of
    gross margin that comes from it; and each cost rate left at its built-in,
    illustrative default (a rate equal to the default counts as assumed) with
    the share of cost-to-serve computed with it, plus their total
    (``default cost rates``). Without revenue a :class:`goodwill.DataWarning`
    is issued and ``attrs["applicable"]`` is False.

    Parameters
    ----------
    ledger : Ledger
        The events.
    rates : CostRates, optional
        Cost rates and default margin (default: ``CostRates()``, illustrative).

    Returns
    -------
    DataFrame
        One row per customer, with the columns above; ``attrs["support"]``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a", "a", "b"], "time": [0.0, 1.0, 2.0],
    ...     "kind": ["meeting", "deal_won", "deal_won"], "amount": [2.0, 1000.0, 3000.0],
    ...     "detail": [0, 2000, goodwill.MARGIN_UNKNOWN]}))
    >>> p = goodwill.profitability(led)
    >>> p["profit"].tolist()
    [-100.0, 900.0]
    >>> a = p.attrs["assumptions"][0]
    >>> a.assumption, a.value, a.share, a.of
    ('default_margin', 0.3, 0.75, 'revenue')
    """
    if not isinstance(ledger, Ledger):
        raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
    if rates is not None and not isinstance(rates, CostRates):
        raise invalid("rates", None, f"must be a goodwill.CostRates, got {type(rates).__name__}")
    support = check(ledger, None, "profitability")
    rates = rates or CostRates()
    cols = _core.value.profitability(ledger._core, rates._core())
    frame = pd.DataFrame(cols, index=pd.Index(ledger.customers, name="customer"))
    for name in ("negotiation_rounds", "service_issues"):
        frame[name] = frame[name].astype(np.int64)
    return mark(frame, with_assumptions(support, _assumptions(ledger, rates, frame)))


#: Each cost rate and the profitability column it multiplies.
_RATE_DRIVERS = {
    "meeting_hour": "meeting_hours",
    "discovery_hour": "discovery_hours",
    "negotiation_round": "negotiation_rounds",
    "support_hour": "support_hours",
    "custom_request_hour": "custom_request_hours",
    "service_issue": "service_issues",
    "service_issue_amount_share": "service_issue_amount",
}


def _share(part: float, whole: float) -> float:
    return part / whole if whole != 0 else float("nan")


def _assumptions(ledger: Ledger, rates: CostRates, frame: pd.DataFrame) -> list[Assumption]:
    """The assumptions a profitability table rests on (see :func:`profitability`)."""
    out: list[Assumption] = []
    cols = ledger.to_numpy()
    kinds = cols["kind"]
    counted = np.zeros(len(kinds), dtype=bool)
    if rates.count_deals_won:
        counted |= kinds == _core.EVENT_KINDS.index("deal_won")
    if rates.count_purchases:
        counted |= kinds == _core.EVENT_KINDS.index("purchase")
    amount = cols["amount"][counted]
    unknown = cols["detail"][counted] == _core.MARGIN_UNKNOWN
    if unknown.any():
        revenue = float(np.abs(amount).sum())
        out.append(Assumption("default_margin", rates.default_margin,
                              _share(float(np.abs(amount[unknown]).sum()), revenue), "revenue"))
        out.append(Assumption("default_margin", rates.default_margin,
                              _share(float(amount[unknown].sum()) * rates.default_margin,
                                     float(frame["gross_margin"].sum())), "gross_margin"))
    defaults = _core.value.CostRates()
    total_cost = float(frame["cost_to_serve"].sum())
    assumed_cost, assumed_names = 0.0, []
    for rate, driver in _RATE_DRIVERS.items():
        value = float(getattr(rates, rate))
        if value != float(getattr(defaults, rate)):
            continue
        cost = float(frame[driver].sum()) * value
        if cost == 0.0:
            continue
        assumed_cost += cost
        assumed_names.append(rate)
        out.append(Assumption(rate, value, _share(cost, total_cost), "cost_to_serve"))
    if assumed_names:
        out.append(Assumption("default cost rates", ", ".join(assumed_names), _share(assumed_cost, total_cost),
                              "cost_to_serve"))
    return out


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

    Parameters
    ----------
    curve : DataFrame
        One row per customer, most profitable first.
    summary : Series
        The summary above.
    support : Support, optional
        What the profits rest on (None for given profits).

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> curve, summary = goodwill.whale_curve(pd.Series([500.0, 300.0, -200.0], index=["a", "b", "c"]))
    >>> summary["peak_share"], summary["loss_tail"], int(summary["unprofitable"])
    (1.3333333333333333, 200.0, 1)
    """

    curve: pd.DataFrame
    summary: pd.Series
    #: What the profits rest on (from :func:`profitability`); None for given profits.
    support: Support | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter((self.curve, self.summary))

    def _repr_html_(self) -> str:
        """A notebook summary: profitable and unprofitable customers, the peak and the loss tail."""
        s = self.summary
        peak = float(s["peak_share"])
        peak_text = f"{peak:.0%}" if np.isfinite(peak) else "–"
        return (f"<div><b>goodwill.WhaleCurve</b>: {int(s['customers']):,} customers, "
                f"{int(s['profitable']):,} profitable and {int(s['unprofitable']):,} unprofitable; total profit "
                f"{float(s['total_profit']):,.0f}, peak {peak_text} of it, loss tail {float(s['loss_tail']):,.0f}</div>")

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Plot the curve on ``ax`` (a new figure if None); see :func:`plot_whale_curve`."""
        return plot_whale_curve(self, ax=ax, **kwargs)


ProfitData = Union[Ledger, pd.DataFrame, "pd.Series[Any]", WhaleCurve]


def _profits(data: Any, rates: CostRates | None) -> tuple[pd.Series, Support | None]:
    if isinstance(data, Ledger):
        frame = profitability(data, rates)
        return frame["profit"], frame.attrs.get("support")
    if isinstance(data, pd.DataFrame):
        if "profit" not in data.columns:
            raise invalid("profit", None, "the DataFrame has no 'profit' column")
        return data["profit"], data.attrs.get("support")
    if isinstance(data, pd.Series):
        return data, None
    raise invalid("data", None, f"must be a Ledger, a profitability DataFrame or a Series of profits, "
                                f"got {type(data).__name__}")


def whale_curve(data: ProfitData, rates: CostRates | None = None) -> WhaleCurve:
    """The whale curve of a ledger (profits computed with ``rates``), of a
    :func:`profitability` DataFrame, or of a Series of profits indexed by customer.

    Parameters
    ----------
    data : Ledger, DataFrame or Series
        A ledger, the result of :func:`profitability`, or profits by customer.
    rates : CostRates, optional
        Cost rates, for a ledger (default: ``CostRates()``).

    Returns
    -------
    WhaleCurve
        ``curve`` (ranked cumulative profit) and ``summary`` (``peak_share``,
        ``peak_customer_share``, ``loss_tail``, ...); unpacks as a pair.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> w = goodwill.whale_curve(pd.Series([500.0, 300.0, -200.0], index=["a", "b", "c"]))
    >>> w.curve["customer"].tolist(), w.curve["cumulative_share"].round(3).tolist()
    (['a', 'b', 'c'], [0.833, 1.333, 1.0])
    """
    if isinstance(data, WhaleCurve):
        return data
    profit, support = _profits(data, rates)
    values = np.ascontiguousarray(profit.to_numpy(dtype=np.float64, na_value=np.nan))
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise invalid("profit", int(bad[0]), f"is {values[bad[0]]} (customer {profit.index[bad[0]]!r})")
    w = _core.value.whale_curve(values)
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
    return WhaleCurve(curve, summary, support)


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
    anything :func:`whale_curve` takes, or its result. Returns the Axes.

    Parameters
    ----------
    data : Ledger, DataFrame, Series or WhaleCurve
        What :func:`whale_curve` takes, or its result.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    rates : CostRates, optional
        Cost rates, for a ledger.
    annotate : bool
        Label the peak and the loss tail.
    **kwargs
        Passed to ``ax.plot`` for the curve.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd, goodwill
    >>> ax = goodwill.plot_whale_curve(pd.Series([500.0, 300.0, -200.0], index=["a", "b", "c"]))
    >>> ax.get_ylabel()
    'cumulative share of total profit (%)'
    """
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
