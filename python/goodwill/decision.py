"""Decisions with reasons: what to do with a deal, and with a customer.

The rules follow the relationship-selling essays (see ``decision.hpp`` for the
exact rules): walk away from a *sale* below the floor unless the relationship
justifies it, never from the customer because of one sale; answer a late scope
cut or a squeeze with alternatives; never meet or beat a rival quote below the
floor; and fire a customer only when they are unprofitable after
cost-to-serve, not improving, and real trust-building effort is on record and
has failed. Every recommendation says why, with the numbers, and names who
owns it (the account's salesperson).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from . import _core
from ._columns import float_column, int_arg, invalid
from ._convert import to_core
from ._support import check, mark, merge, with_assumptions
from .evidence import ANALYSIS_NEEDS, Assumption, DataWarning, Support
from .ledger import Ledger

DEAL_ACTIONS: list[str] = list(_core.decision.DEAL_ACTIONS)
CUSTOMER_ACTIONS: list[str] = list(_core.decision.CUSTOMER_ACTIONS)

__all__ = [
    "CUSTOMER_ACTIONS",
    "DEAL_ACTIONS",
    "CustomerThresholds",
    "DealDecision",
    "DealThresholds",
    "decide_customers",
    "decide_deal",
    "decide_deals",
]


_MAX_U32 = 2**32 - 1


@dataclasses.dataclass
class DealThresholds:
    """Thresholds of the deal rules (for :func:`decide_deal`, :func:`decide_deals`).

    Parameters
    ----------
    spiral_trust, spiral_matches : float, int
        Trust below ``spiral_trust`` after at least ``spiral_matches`` recent
        price matches is a transactional spiral (we stop matching, and grant
        no discount below the floor).
    late_time : float
        A scope cut at or after this relative time (0..1) is late.
    accept_time : float
        Above the floor and this late, accept.
    concession_exponent : float
        e of the counter-offer schedule ``floor + (list − floor)(1 − t^(1/e))``.
    invest_trust, invest_share : float
        A sale below the floor is accepted only with trust ≥ ``invest_trust``
        and a shortfall ≤ ``invest_share`` × the relationship value.

    Examples
    --------
    >>> import goodwill
    >>> strict = goodwill.DealThresholds(spiral_matches=1)
    >>> goodwill.decide_deal(floor_price=800, list_price=1000, offer=900, trust=0.3,
    ...                      price_matches=1, thresholds=strict).numbers["spiral"]
    True
    """

    spiral_trust: float = 0.4
    spiral_matches: int = 2
    late_time: float = 0.5
    accept_time: float = 0.9
    concession_exponent: float = 0.5
    invest_trust: float = 0.6
    invest_share: float = 0.05

    def _core(self) -> Any:
        return to_core(self, _core.decision.DealThresholds())


@dataclasses.dataclass
class CustomerThresholds:
    """Thresholds of the customer rules (for :func:`decide_customers`).

    Parameters
    ----------
    min_profit : float
        Profit after cost-to-serve below this is unprofitable.
    min_improvement : float
        A profit trend (profit of the last ``trend_window_days`` minus the
        window before) above this is improving.
    low_trust : float
        Trust below this is low.
    min_meetings, min_discovery_hours, min_kept_promises : float
        The trust-building effort that must be on record within
        ``effort_window_days`` before ``as_of`` before firing is considered.
    effort_window_days, trend_window_days : float
        The windows (days) of the effort and of the profit trend.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> evidence = pd.DataFrame({"profit": [-500.0], "profit_trend": [-100.0], "trust": [0.3],
    ...     "meetings": [6.0], "discovery_hours": [4.0], "promises_kept": [3.0]}, index=["Initech"])
    >>> th = goodwill.CustomerThresholds(low_trust=0.35, min_meetings=6)
    >>> goodwill.decide_customers(evidence=evidence, thresholds=th).loc["Initech", "action"]
    'fire'
    """

    min_profit: float = 0.0
    min_improvement: float = 0.0
    low_trust: float = 0.4
    min_meetings: float = 4
    min_discovery_hours: float = 2.0
    min_kept_promises: float = 2
    effort_window_days: float = 365.0
    trend_window_days: float = 365.0

    def _core(self) -> Any:
        return to_core(self, _core.decision.CustomerThresholds())


@dataclasses.dataclass
class DealDecision:
    """One deal's recommendation: ``action`` (accept, counter,
    offer_alternatives, walk_away — from the sale, not the customer), the
    ``counter_price`` when countering, the ``reasons`` and the ``numbers``.

    Parameters
    ----------
    action : str
        ``"accept"``, ``"counter"``, ``"offer_alternatives"`` or ``"walk_away"``.
    counter_price : float
        Our counter-offer (NaN unless countering).
    reasons : list of str
        One sentence per rule that applied.
    numbers : dict
        The deal's inputs and the derived ``gap_to_floor``, ``allowance``,
        ``spiral`` and ``rival_below_floor``.

    Examples
    --------
    >>> import goodwill
    >>> d = goodwill.decide_deal(floor_price=800, list_price=1000, offer=850)
    >>> d.action, d.counter_price
    ('counter', 1000.0)
    """

    action: str
    counter_price: float
    reasons: list[str]
    numbers: dict[str, Any]

    def _repr_html_(self) -> str:
        """A notebook summary: the action, the counter price and the reasons."""
        import html

        price = f" at {self.counter_price:,.2f}" if np.isfinite(self.counter_price) else ""
        items = "".join(f"<li>{html.escape(r)}</li>" for r in self.reasons)
        return f"<div><b>{html.escape(self.action.replace('_', ' '))}</b>{price}<ul>{items}</ul></div>"


_DEAL_COLUMNS: dict[str, Any] = {
    "floor_price": None,
    "list_price": None,
    "our_price": np.nan,
    "offer": None,
    "previous_offer": np.nan,
    "relative_time": 0.0,
    "trust": 0.5,
    "customer_value": 0.0,
    "competitor_quote": np.nan,
    "scope_cut": 0.0,
    "price_matches": 0,
    "alternatives_offered": False,
}


#: Optional deal columns whose default is an assumption about the deal (value: what is assumed).
_ASSUMED_DEAL_COLUMNS: dict[str, Any] = {
    "trust": 0.5,
    "customer_value": 0.0,
    "relative_time": 0.0,
    "our_price": "the list price",
}


def decide_deals(deals: pd.DataFrame, thresholds: DealThresholds | None = None) -> pd.DataFrame:
    """Recommend what to do with each deal (one row per deal, same index).

    Columns of ``deals``: ``floor_price`` (our floor: the lowest price the
    salesperson owns), ``list_price``, ``offer`` (the customer's current offer)
    are required; optional: ``our_price`` (our standing counter-offer; default
    the list price), ``previous_offer``, ``relative_time`` (0..1, default 0),
    ``trust`` (0..1, e.g. ``Replay.snapshot()['trust']``; default 0.5),
    ``customer_value`` (expected future profit of the relationship, e.g. from
    a MarkovChain valuation or the profit history; default 0),
    ``competitor_quote``, ``scope_cut`` (fraction cut), ``price_matches``
    (recent matches with this customer), ``alternatives_offered`` (bool).

    Returns ``action`` (categorical), ``counter_price``, ``gap_to_floor``,
    ``allowance`` (how much below the floor the relationship would justify),
    ``spiral``, ``rival_below_floor`` and ``reasons`` (a list of sentences).
    An optional column left out is an assumption: ``result.attrs["assumptions"]``
    lists each (``trust`` = 0.5, ``customer_value`` = 0, ...) with the share of
    deals resting on it (1.0: the column was absent).

    Parameters
    ----------
    deals : DataFrame
        One row per deal, with the columns above.
    thresholds : DealThresholds, optional
        The rules' thresholds (default: ``DealThresholds()``).

    Returns
    -------
    DataFrame
        Same index as ``deals``: ``action``, ``counter_price``,
        ``gap_to_floor``, ``allowance``, ``spiral``, ``rival_below_floor``,
        ``reasons``; ``attrs["assumptions"]`` and ``attrs["support"]``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> d = goodwill.decide_deals(pd.DataFrame({"floor_price": [80.0], "list_price": [100.0], "offer": [70.0]}))
    >>> sorted(a.assumption for a in d.attrs["assumptions"])
    ['customer_value', 'our_price', 'relative_time', 'trust']
    """
    if not isinstance(deals, pd.DataFrame):
        raise invalid("deals", None, f"must be a pandas DataFrame, got {type(deals).__name__}")
    args: dict[str, np.ndarray] = {}
    n = len(deals)
    assumed: list[Assumption] = []
    for name, default in _DEAL_COLUMNS.items():
        if name in deals.columns:
            values = deals[name]
        elif default is None:
            raise invalid(name, None, "is a required column")
        else:
            values = pd.Series(default, index=deals.index)
            if name in _ASSUMED_DEAL_COLUMNS:
                assumed.append(Assumption(name, _ASSUMED_DEAL_COLUMNS[name], 1.0 if n else float("nan"), "deals"))
        if name == "price_matches":
            v = float_column(values, name)
            bad = ~np.isfinite(v) | (v < 0) | (v != np.floor(v)) | (v > _MAX_U32)
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise invalid(name, row, f"must be a whole number in [0, {_MAX_U32}], got {v[row]!r}")
            args[name] = np.ascontiguousarray(v, dtype=np.uint32)
        elif name == "alternatives_offered":
            args[name] = np.ascontiguousarray(values.fillna(False).astype(bool).to_numpy(), dtype=np.uint8)
        else:
            args[name] = float_column(values, name)
    out = _core.decision.decide_deals(**args, thresholds=(thresholds or DealThresholds())._core())
    frame = pd.DataFrame(
        {
            "action": pd.Categorical.from_codes(np.asarray(out["action"], dtype=np.int8), categories=pd.Index(DEAL_ACTIONS)),
            "counter_price": np.asarray(out["counter_price"]),
            "gap_to_floor": np.asarray(out["gap_to_floor"]),
            "allowance": np.asarray(out["allowance"]),
            "spiral": np.asarray(out["spiral"]).astype(bool),
            "rival_below_floor": np.asarray(out["rival_below_floor"]).astype(bool),
            "reasons": list(cast("list[Any]", out["reasons"])),
        },
        index=deals.index,
    )
    assert len(frame) == n
    return mark(frame, Support("deal_decisions", assumptions=tuple(assumed)))


def decide_deal(
    *,
    floor_price: float,
    list_price: float,
    offer: float,
    thresholds: DealThresholds | None = None,
    **state: Any,
) -> DealDecision:
    """Recommend what to do with one deal; keyword arguments as the columns
    of :func:`decide_deals`.

    Parameters
    ----------
    floor_price, list_price, offer : float
        Our floor, the list price and the customer's current offer.
    thresholds : DealThresholds, optional
        The rules' thresholds (default: ``DealThresholds()``).
    **state
        Any optional column of :func:`decide_deals` (``trust``,
        ``competitor_quote``, ``price_matches``, ``customer_value``,
        ``alternatives_offered``, ...).

    Returns
    -------
    DealDecision
        The action, counter price, reasons and numbers.

    Examples
    --------
    >>> import goodwill
    >>> d = goodwill.decide_deal(floor_price=800, list_price=1000, offer=760,
    ...                          competitor_quote=770, trust=0.3, price_matches=3,
    ...                          alternatives_offered=True)
    >>> d.action
    'walk_away'
    >>> d.reasons[-1]
    'walk away from this sale, not from the customer: keep meeting them and build trust for the next one'
    """
    unknown = set(state) - set(_DEAL_COLUMNS)
    if unknown:
        raise invalid(min(unknown), None, "is not a deal field")
    if "price_matches" in state:  # a count: 2.0 is not one here (a column of whole floats is)
        state["price_matches"] = int_arg(state["price_matches"], "price_matches", 0, _MAX_U32)
    row = {"floor_price": floor_price, "list_price": list_price, "offer": offer, **state}
    r = decide_deals(pd.DataFrame([row]), thresholds).iloc[0]
    numbers = {k: row.get(k, _DEAL_COLUMNS[k]) for k in _DEAL_COLUMNS}
    numbers.update(
        gap_to_floor=float(r["gap_to_floor"]),
        allowance=float(r["allowance"]),
        spiral=bool(r["spiral"]),
        rival_below_floor=bool(r["rival_below_floor"]),
    )
    return DealDecision(str(r["action"]), float(r["counter_price"]), list(r["reasons"]), numbers)


def _series(values: Any, index: pd.Index, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        s = values.reindex(index)
    else:
        arr = np.asarray(values)
        if arr.shape != (len(index),):
            raise invalid(name, None, f"needs one value per customer ({len(index)}), got shape {arr.shape}")
        s = pd.Series(arr, index=index)
    return s


def decide_customers(
    ledger: Ledger | None = None,
    *,
    owner: pd.Series | Mapping[Any, str] | None = None,
    as_of: float | None = None,
    thresholds: CustomerThresholds | None = None,
    rates: Any = None,
    trust: pd.Series | None = None,
    evidence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """keep / invest_in_trust / reprice / fire for every customer, with the
    owner and the reasons.

    From a ledger: ``profit`` after cost-to-serve (:func:`goodwill.profitability`
    with ``rates``), ``trust`` (the relationship-selling replay up to
    ``as_of``, unless a ``trust`` Series is passed), and the evidence as of
    ``as_of`` (default: the last event): meetings, discovery hours and kept
    promises in the effort window, and the profit ``trend`` (last window minus
    the one before). ``owner``: the salesperson who owns each account (e.g.
    ``goodwill.io.from_crm_opportunities(...).accounts['owner']``); customers
    without one get ``<NA>``. Without ``owner``, a ledger that names
    salespeople gives each customer its :func:`goodwill.account_owners`
    owner (a rep with a majority of its recent deals, else ``<NA>``), and an
    ``owner_note`` column says why where there is none.

    Without a ledger, pass ``evidence``: a DataFrame indexed by customer with
    ``profit``, ``profit_trend``, ``trust``, ``meetings``,
    ``discovery_hours``, ``promises_kept``.

    ``fire`` is recommended only when the customer is unprofitable, not
    improving, the effort is on record and trust is still low.

    From a ledger, ``result.attrs["support"]`` says what the decisions rest
    on: without revenue they are not applicable; without trust-building
    effort records (meetings, discovery, support, kept promises) the firing
    rule is not (a :class:`goodwill.DataWarning` says so, and no customer can
    be fired); the profit's assumptions (default margin, default cost rates)
    are those of :func:`goodwill.profitability`.

    Parameters
    ----------
    ledger : Ledger, optional
        The events; or None with ``evidence``.
    owner : Series or mapping, optional
        Account → owning salesperson.
    as_of : float, optional
        The day of the decision (default: the ledger's last event).
    thresholds : CustomerThresholds, optional
        The rules' thresholds (default: ``CustomerThresholds()``).
    rates : CostRates, optional
        Cost rates for the profit (default: ``CostRates()``).
    trust : Series, optional
        Trust per customer, instead of the replay's.
    evidence : DataFrame, optional
        The evidence per customer, without a ledger (columns above).

    Returns
    -------
    DataFrame
        Per customer: ``action`` (keep, invest_in_trust, reprice, fire),
        ``owner``, ``profit``, ``profit_trend``, ``trust``, the effort on
        record and ``reasons``; ``attrs["support"]``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a"], "time": [0.0], "kind": ["deal_won"],
    ...     "amount": [100.0], "detail": [goodwill.MARGIN_UNKNOWN]}))
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", goodwill.DataWarning)
    ...     d = goodwill.decide_customers(led)
    >>> d.attrs["support"].partial[0][0]
    'the firing rule'
    """
    from .relationship import relationship_selling
    from .value.profitability import CostRates

    th = thresholds or CustomerThresholds()
    core_th = th._core()
    if ledger is not None:
        if not isinstance(ledger, Ledger):
            raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
        index = pd.Index(ledger.customers, name="customer")
        rates = rates or CostRates()
        if as_of is not None:
            when = float(as_of)
        else:
            when = float(np.max(ledger.to_numpy()["time"])) if len(ledger) else 0.0
        support = merge(
            check(ledger, ANALYSIS_NEEDS["customer_decisions"], "decide_customers"),
            check(ledger, ANALYSIS_NEEDS["fire_rule"], "decide_customers", part="the firing rule"),
        )
        support = with_assumptions(support, _profit_assumptions(ledger, rates))
        ev = pd.DataFrame(
            {k: np.asarray(v) for k, v in _core.decision.gather_evidence(ledger._core, when, core_th, rates._core()).items()},
            index=index,
        )
        if trust is None:
            snap = relationship_selling().replay(ledger, until=when).snapshot()
            ev["trust"] = snap["trust"].to_numpy()
        else:
            ev["trust"] = _series(trust, index, "trust").to_numpy(dtype=float)
    elif evidence is not None:
        support = Support("customer_decisions")
        ev = evidence.copy()
        index = ev.index
        for name in ("profit", "profit_trend", "trust", "meetings", "discovery_hours", "promises_kept"):
            if name not in ev.columns:
                raise invalid(name, None, "is a required column of evidence")
    else:
        raise invalid("ledger", None, "pass a ledger or an evidence DataFrame")
    cols = {
        name: np.ascontiguousarray(pd.to_numeric(ev[name]).to_numpy(dtype=np.float64))
        for name in ("profit", "profit_trend", "trust", "meetings", "discovery_hours", "promises_kept")
    }
    out = _core.decision.decide_customers(**cols, thresholds=core_th)
    frame = pd.DataFrame(index=index)
    frame["action"] = pd.Categorical.from_codes(np.asarray(out["action"], dtype=np.int8), categories=pd.Index(CUSTOMER_ACTIONS))
    if owner is None and ledger is not None and ledger.has_reps:
        from .relationship import account_owners

        owners = account_owners(ledger)
        frame["owner"] = owners["owner"].reindex(index)
        frame["owner_note"] = owners["owner_note"].reindex(index)
    elif owner is None:
        frame["owner"] = pd.Series(pd.NA, index=index, dtype="string")
    else:
        own = owner if isinstance(owner, pd.Series) else pd.Series(dict(owner))
        frame["owner"] = own.reindex(index).astype("string")
    for name in ev.columns:
        frame[name] = ev[name].to_numpy()
    for name in ("unprofitable", "improving", "effort_made", "low_trust"):
        frame[name] = np.asarray(out[name]).astype(bool)
    frame["reasons"] = list(cast("list[Any]", out["reasons"]))
    return mark(frame, support)


def _profit_assumptions(ledger: Ledger, rates: Any) -> tuple[Assumption, ...]:
    """The assumptions of the profit the decisions use (those of goodwill.profitability)."""
    import warnings

    from .value.profitability import profitability

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the decisions warn themselves
        return tuple(profitability(ledger, rates).attrs["support"].assumptions)
