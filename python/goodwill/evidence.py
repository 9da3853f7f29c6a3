"""The evidence profile: what a ledger holds, and what it cannot support.

:func:`evidence_profile` says which response and effort kinds a ledger holds
and how many customers have each, whether margins, list prices and loss
reasons are known, and the time span. Every analysis checks it (through
``goodwill._support``): where an input is absent it warns a
:class:`DataWarning` and marks its result not applicable; where it rests on
an assumption (a default margin, default cost rates) the result carries the
assumption and the share of the result that rests on it (:class:`Support`).
The counts, flags and needs are computed in C++ (``include/goodwill/evidence.hpp``).

Salespeople: ``rep_events`` (events that name one), ``reps`` (salespeople
named) and ``customers_with_rep``; ``has_reps``.
"""

from __future__ import annotations

import dataclasses
import html
import math
import weakref
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from . import _core
from ._columns import invalid
from .ledger import Ledger

__all__ = [
    "ANALYSIS_NEEDS",
    "DATA_NEEDS",
    "Assumption",
    "DataWarning",
    "EvidenceProfile",
    "Support",
    "evidence_profile",
    "support_of",
]

#: Every need an analysis may have, with the reason shown when it is absent.
DATA_NEEDS: dict[str, str] = dict(zip(_core.relationship.DATA_NEED_TABLE["need"], _core.relationship.DATA_NEED_TABLE["missing"]))
#: What each of goodwill's analyses needs (from ``analysis_needs_table`` in C++).
ANALYSIS_NEEDS: dict[str, list[str]] = {k: list(v) for k, v in _core.relationship.ANALYSIS_NEEDS.items()}

_FLAGS = (
    "has_competitor_data",
    "has_concessions",
    "has_price_data",
    "has_effort_records",
    "has_trust_building_effort",
    "has_responses",
    "has_deal_outcomes",
    "has_revenue",
    "has_margins",
    "has_loss_reasons",
    "has_purchases",
    "has_exits",
    "has_reps",
)


class DataWarning(UserWarning):
    """An analysis ran on data that lacks one of its inputs: its result (or a
    part of it) is not applicable. The message names the analysis and the
    missing input ("the data has no competitor quotes or price matches").

    Examples
    --------
    >>> import warnings, pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a"], "time": [0.0],
    ...     "kind": ["deal_won"], "amount": [100.0]}))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     s = goodwill.transactional_spiral(led)
    >>> [str(w.message) for w in caught if w.category is goodwill.DataWarning]
    ['goodwill.transactional_spiral: not applicable: the data has no competitor quotes or price matches']
    """


class Assumption(NamedTuple):
    """An assumption a result rests on: what was assumed, its value, and the
    share (0..1) of ``of`` (e.g. "revenue", "cost_to_serve") that rests on it.

    Parameters
    ----------
    assumption : str
        What was assumed (e.g. ``"default_margin"``).
    value : Any
        The value assumed.
    share : float
        Share (0..1) of ``of`` that rests on it.
    of : str
        The quantity it is a share of.

    Examples
    --------
    >>> import goodwill
    >>> a = goodwill.Assumption("default_margin", 0.3, 1.0, "revenue")
    >>> a.share, a.of
    (1.0, 'revenue')
    """

    assumption: str
    value: Any
    share: float
    of: str


@dataclasses.dataclass(frozen=True)
class Support:
    """What a result rests on: the analysis, its missing inputs
    (``(need, reason)`` pairs; none when applicable), the parts of it that do
    not apply (``(part, reason)``, e.g. the firing rule of the customer
    decisions without effort records) and its assumptions.

    Parameters
    ----------
    analysis : str
        The analysis (e.g. ``"goodwill.transactional_spiral"``).
    missing : tuple of (need, reason) pairs
        Inputs the data lacks; empty when the analysis applies.
    assumptions : tuple of Assumption
        What the result assumed, with the share resting on each.
    partial : tuple of (part, reason) pairs
        Parts of the result that do not apply.

    Examples
    --------
    >>> import goodwill
    >>> s = goodwill.Support("demo", missing=(("competitor", "the data has no competitor quotes"),),
    ...                      assumptions=(goodwill.Assumption("default_margin", 0.3, 0.5, "revenue"),))
    >>> s.applicable, s.not_applicable
    (False, 'the data has no competitor quotes')
    >>> s.lines()
    ['not applicable: the data has no competitor quotes', 'assumed default_margin = 0.3 for 50% of revenue']
    """

    analysis: str
    missing: tuple[tuple[str, str], ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    partial: tuple[tuple[str, str], ...] = ()

    @property
    def applicable(self) -> bool:
        """Whether every input the analysis needs is in the data."""
        return not self.missing

    @property
    def not_applicable(self) -> str | None:
        """Why the analysis does not apply ("the data has no ..."), or None."""
        return "; ".join(reason for _, reason in self.missing) if self.missing else None

    def assumptions_frame(self) -> pd.DataFrame:
        """The assumptions as a DataFrame: assumption, value, share, of."""
        return pd.DataFrame(list(self.assumptions), columns=list(Assumption._fields))

    def lines(self) -> list[str]:
        """One sentence per missing input and per assumption (for reports)."""
        out = [f"not applicable: {reason}" for _, reason in self.missing]
        out += [f"{part} not applicable: {reason}" for part, reason in self.partial]
        for a in self.assumptions:
            share = "–" if not math.isfinite(a.share) else f"{a.share:.0%}"
            out.append(f"assumed {a.assumption} = {a.value} for {share} of {a.of}")
        return out


def support_of(result: Any) -> Support | None:
    """The :class:`Support` of an analysis's result: a DataFrame's
    ``attrs["support"]`` or an object's ``support`` attribute (None if it has none).

    Parameters
    ----------
    result : DataFrame, Series or object
        The result of a goodwill analysis.

    Returns
    -------
    Support or None
        What the result rests on, or None if it carries no support.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a"], "time": [0.0],
    ...     "kind": ["purchase"], "amount": [100.0]}))
    >>> s = goodwill.support_of(goodwill.profitability(led))
    >>> s.analysis, s.applicable
    ('profitability', True)
    >>> goodwill.support_of(42) is None
    True
    """
    if isinstance(result, (pd.DataFrame, pd.Series)):
        s = result.attrs.get("support")
    else:
        s = getattr(result, "support", None)
    return s if isinstance(s, Support) else None


class EvidenceProfile:
    """What a ledger holds (see :func:`evidence_profile`).

    Attributes: ``events``, ``customers``, ``customers_with_events``,
    ``first_time``, ``last_time``, ``time_span_days``; ``margin_events``
    (deals won and purchases), ``margins_known``, ``margin_known_share``
    (NaN without such events); ``losses``, ``loss_reasons_known``,
    ``loss_reason_known_share``; the flags ``has_competitor_data``,
    ``has_concessions``, ``has_price_data`` (proposals: list prices),
    ``has_effort_records``, ``has_trust_building_effort``, ``has_responses``,
    ``has_deal_outcomes``, ``has_revenue``, ``has_margins``,
    ``has_loss_reasons``, ``has_purchases``, ``has_exits``, ``has_reps``;
    salespeople: ``rep_events`` (events that name one), ``reps`` (salespeople
    named), ``customers_with_rep``; ``needs`` (each
    need's name → satisfied). Tables: :attr:`kinds` (per event kind: role,
    effort class, events, customers, customer_share), :attr:`channels` (per
    trust evidence channel), :attr:`loss_reasons`.

    Parameters
    ----------
    raw : dict
        The compiled core's profile; build one with :func:`evidence_profile`.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a", "b"], "time": [0.0, 3.0],
    ...     "kind": ["meeting", "deal_lost"], "amount": [1.0, 500.0]}))
    >>> p = goodwill.evidence_profile(led)
    >>> p.customers, p.losses, p.has_trust_building_effort, p.has_reps
    (2, 1, True, False)
    """

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        for name in ("events", "customers", "customers_with_events", "margin_events", "margins_known",
                     "losses", "loss_reasons_known", "rep_events", "reps", "customers_with_rep"):
            setattr(self, name, int(raw[name]))
        for name in ("first_time", "last_time", "time_span_days", "margin_known_share", "loss_reason_known_share"):
            setattr(self, name, float(raw[name]))
        for name in _FLAGS:
            setattr(self, name, bool(raw["flags"][name]))
        self.needs: dict[str, bool] = {str(k): bool(v) for k, v in raw["needs"].items()}

    events: int
    customers: int
    customers_with_events: int
    margin_events: int
    margins_known: int
    losses: int
    loss_reasons_known: int
    rep_events: int
    reps: int
    customers_with_rep: int
    first_time: float
    last_time: float
    time_span_days: float
    margin_known_share: float
    loss_reason_known_share: float
    has_competitor_data: bool
    has_concessions: bool
    has_price_data: bool
    has_effort_records: bool
    has_trust_building_effort: bool
    has_responses: bool
    has_deal_outcomes: bool
    has_revenue: bool
    has_margins: bool
    has_loss_reasons: bool
    has_purchases: bool
    has_exits: bool
    has_reps: bool

    @property
    def kinds(self) -> pd.DataFrame:
        """One row per event kind (from the C++ kind table): role,
        effort_class, events, customers (with at least one) and
        customer_share (of the ledger's customers)."""
        t = _core.EVENT_KIND_TABLE
        customers = np.asarray(self._raw["kind_customers"], dtype=np.int64)
        return pd.DataFrame(
            {
                "role": pd.Categorical(t["role"], categories=list(_core.EVENT_ROLES)),
                "effort_class": pd.Categorical(t["effort_class"], categories=list(_core.EFFORT_CLASSES)),
                "events": np.asarray(self._raw["kind_events"], dtype=np.int64),
                "customers": customers,
                "customer_share": customers / self.customers if self.customers else np.full(len(customers), np.nan),
            },
            index=pd.Index(list(t["kind"]), name="kind"),
        )

    @property
    def channels(self) -> pd.DataFrame:
        """One row per trust evidence channel: kind, events, customers."""
        t = _core.EVIDENCE_CHANNEL_TABLE
        return pd.DataFrame(
            {
                "kind": list(t["kind"]),
                "events": np.asarray(self._raw["channel_events"], dtype=np.int64),
                "customers": np.asarray(self._raw["channel_customers"], dtype=np.int64),
            },
            index=pd.Index(list(t["channel"]), name="channel"),
        )

    @property
    def loss_reasons(self) -> pd.Series:
        """Deals lost per loss reason (``unspecified``: no reason recorded)."""
        return pd.Series(np.asarray(self._raw["loss_reason_events"], dtype=np.int64),
                         index=pd.Index(list(_core.LOSS_REASONS), name="loss_reason"), name="deals_lost")

    @property
    def flags(self) -> dict[str, bool]:
        """The ``has_*`` flags by name."""
        return {name: bool(getattr(self, name)) for name in _FLAGS}

    def missing(self, needs: Iterable[str]) -> list[tuple[str, str]]:
        """The needs (names of :data:`DATA_NEEDS`) the data does not satisfy,
        as ``(need, reason)`` pairs, each once, in the order given."""
        out: list[tuple[str, str]] = []
        for need in needs:
            if need not in DATA_NEEDS:
                raise invalid("needs", None, f"unknown need {need!r}; known: {', '.join(DATA_NEEDS)}")
            if not self.needs[need] and all(need != n for n, _ in out):
                out.append((need, DATA_NEEDS[need]))
        return out

    def summary(self) -> pd.DataFrame:
        """The headline facts, one row each (fact, value)."""
        def share(v: float) -> str:
            return "–" if not math.isfinite(v) else f"{v:.0%}"

        span = "–" if not self.events else f"{self.first_time:,.1f} to {self.last_time:,.1f} ({self.time_span_days:,.0f} days)"
        rows = [
            ("events", f"{self.events:,}"),
            ("customers", f"{self.customers:,} ({self.customers_with_events:,} with events)"),
            ("time span", span),
            ("margins known", f"{share(self.margin_known_share)} of {self.margin_events:,} deals won and purchases"),
            ("loss reasons known", f"{share(self.loss_reason_known_share)} of {self.losses:,} deals lost"),
            ("list prices (proposals)", f"{self._kind_events('proposal'):,} proposals"),
            ("competitor quotes / price matches",
             f"{self._kind_events('competitor_quote'):,} / {self._kind_events('price_match'):,}"),
            ("salespeople recorded",
             f"{self.reps:,} salespeople on {self.rep_events:,} events ({self.customers_with_rep:,} customers)"
             if self.has_reps else "none"),
        ]
        return pd.DataFrame(rows, columns=["fact", "value"]).set_index("fact")

    def _kind_events(self, kind: str) -> int:
        return int(self._raw["kind_events"][list(_core.EVENT_KINDS).index(kind)])

    def __repr__(self) -> str:
        present = [n for n, ok in self.needs.items() if ok]
        absent = [n for n, ok in self.needs.items() if not ok]
        return (f"<goodwill.EvidenceProfile: {self.events:,} events, {self.customers:,} customers; "
                f"has {', '.join(present) or 'nothing'}; lacks {', '.join(absent) or 'nothing'}>")

    def _repr_html_(self) -> str:
        kinds = self.kinds
        kinds = kinds[kinds["events"] > 0]
        lacks = "".join(f"<li>{html.escape(r)}</li>" for n, r in self.missing(DATA_NEEDS) if n != "events")
        return (
            "<div><b>goodwill.EvidenceProfile</b>" + self.summary().to_html(border=0)
            + "<p>Event kinds present:</p>" + kinds.to_html(border=0, float_format=lambda v: f"{v:.1%}")
            + (f"<p>The data has not:</p><ul>{lacks}</ul>" if lacks else "") + "</div>"
        )


_CACHE: weakref.WeakKeyDictionary[Any, tuple[int, EvidenceProfile]] = weakref.WeakKeyDictionary()


def evidence_profile(ledger: Ledger) -> EvidenceProfile:
    """What ``ledger`` holds: per kind and trust channel the events and the
    customers with at least one, margins / list prices / loss reasons known,
    the time span, flags and the needs of the analyses.

    Parameters
    ----------
    ledger : Ledger
        The events to profile (the result is cached while the ledger does not grow).

    Returns
    -------
    EvidenceProfile
        Counts, shares, flags (``has_competitor_data``, ``has_margins``, ...)
        and the tables ``kinds``, ``channels`` and ``loss_reasons``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> led = goodwill.Ledger(pd.DataFrame({"customer": ["a", "a"], "time": [0.0, 5.0],
    ...     "kind": ["proposal", "deal_won"], "amount": [100.0, 90.0], "detail": [0, 2500]}))
    >>> p = goodwill.evidence_profile(led)
    >>> p.has_margins, p.has_competitor_data, int(p.kinds.loc["deal_won", "customers"])
    (True, False, 1)
    """
    if not isinstance(ledger, Ledger):
        raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
    core = ledger._core
    n = len(ledger)
    try:
        hit = _CACHE.get(core)
    except TypeError:  # pragma: no cover - a core without weak references
        hit = None
    if hit is not None and hit[0] == n:  # the ledger is append-only: same length, same events
        return hit[1]
    profile = EvidenceProfile(_core.relationship.evidence_profile(core))
    try:
        _CACHE[core] = (n, profile)
    except TypeError:  # pragma: no cover
        pass
    return profile

