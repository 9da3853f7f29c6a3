"""Trust, relationship models and replay: where customers stand, and how they got there.

A :class:`RelationshipModel` is a finite-state machine over ledger events
(states; transitions ``(from, on, guard) -> to``). Replaying a
:class:`goodwill.Ledger` through it gives each customer's state, trust and
features, the log of state changes, the state at any time, and transition
counts between states. :func:`relationship_selling` is the default model
encoding the seeds; the rules and formulas are documented in
``include/goodwill/{trust,relationship_model,replay}.hpp``.

Model JSON/dict schema::

    {"states": ["prospect", ...], "initial": "prospect",
     "transitions": [{"from": "qualified" | ["a", "b"] | "*",
                      "on": "proposal", "to": "negotiating",
                      "guard": [["trust", "<", 0.3], ...]
                               | "trust < 0.3 and price_matches >= 3"}],
     "dormancy": {"to": "lost", "from": ["negotiating", ...],   # optional
                  "on": ["deal_lost"], "cancel_on": ["deal_won", "purchase", "return"],
                  "days": 180, "min_gaps": 5, "quantile": 0.9,
                  "min_days": 90, "max_days": 365}}

Guards are evaluated after the event has updated trust and counters; an
explicit ``from`` beats ``"*"`` (a wildcard transition is skipped in states
with an explicit transition on that kind); an event no transition matches
leaves the state unchanged.

Dormancy: losing a deal is not losing the customer. With a ``dormancy``
rule, an ``on`` event (a lost deal) in a ``from`` state starts a clock; a
``cancel_on`` event (business: a won deal, a purchase, a return) or a move
out of the ``from`` states stops it; if it runs for the window the customer
moves to ``to`` at last loss + window, logged at that time with the lost
deal's row. The window is ``days``, or, for a customer with ``min_gaps`` or
more gaps between its business days, the ``quantile`` of its last 32 gaps
within [``min_days``, ``max_days``]. A move still pending after the
customer's last event happens if due by the replay's ``as_of`` (default:
``until``, else the ledger's last event time); :meth:`Replay.snapshot`'s
``dormancy_due`` shows the ones still pending. The feature
``losses_in_a_row`` (lost deals since the last won deal or purchase) lets a
guard react to repeated losses.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sys
import time as _time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import invalid, real_arg, threads_arg
from .._convert import to_core
from .._files import atomic_path, file_error
from .._support import check
from ..event import EVIDENCE_CHANNELS
from ..ledger import Ledger

FEATURES: tuple[str, ...] = tuple(_core.relationship.FEATURES)
COUNTERS: tuple[str, ...] = tuple(_core.relationship.COUNTERS)
_KINDS: tuple[str, ...] = tuple(_core.EVENT_KINDS)


def _weights(values: Any) -> dict[str, float]:
    return {k: float(v) for k, v in zip(EVIDENCE_CHANNELS, values)}


def _channel_weights(given: Any, side: str) -> list[float]:
    """``{channel: weight}`` as the struct's weight per channel (0 where not given)."""
    if not isinstance(given, Mapping):
        raise invalid(side, None, "must be a dict of evidence channel name -> weight")
    weights = [0.0] * len(EVIDENCE_CHANNELS)
    for kind, w in given.items():
        if kind not in EVIDENCE_CHANNELS:
            raise invalid(f"{side}[{kind}]", None, f"unknown evidence channel; known: {', '.join(EVIDENCE_CHANNELS)}")
        weights[EVIDENCE_CHANNELS.index(kind)] = real_arg(w, f"{side}[{kind}]")
    return weights


_DEFAULTS = _core.relationship.TrustParams.defaults()
_DORMANCY = _core.relationship.DormancyRule()
#: The documented defaults of a dormancy rule's numbers and kinds (from C++).
DORMANCY_DEFAULTS: dict[str, Any] = {
    "on": list(_DORMANCY.on),
    "cancel_on": list(_DORMANCY.cancel_on),
    "days": float(_DORMANCY.days),
    "min_gaps": int(_DORMANCY.min_gaps),
    "quantile": float(_DORMANCY.quantile),
    "min_days": float(_DORMANCY.min_days),
    "max_days": float(_DORMANCY.max_days),
}


@dataclasses.dataclass
class TrustParams:
    """Beta(α, β) trust evidence with forgetting, and the derived features' constants.

    ``positive`` and ``negative`` map evidence channel names
    (:data:`EVIDENCE_CHANNELS`) to the evidence an event of that channel adds
    to α and β; a channel missing from a dict you pass has weight 0.
    ``TrustParams()`` holds the defaults set from the seeds (see
    ``include/goodwill/trust.hpp``): evidence on the customer's responses
    only. :func:`goodwill.fit_trust` fits them to a ledger.

    Parameters
    ----------
    half_life_days : float
        Half-life of the evidence's fading toward the prior.
    prior_alpha, prior_beta : float
        The Beta prior; trust starts at ``prior_alpha / (prior_alpha + prior_beta)``.
    positive, negative : dict of str to float
        Evidence added to α and to β per event of each channel.
    activity_half_life_days : float
        Half-life of the recent activity behind engagement.
    engagement_saturation : float
        Recent activity at which engagement saturates.

    Examples
    --------
    >>> import goodwill
    >>> defaults = goodwill.TrustParams()
    >>> defaults.positive["referral"], defaults.positive["won_at_list"], defaults.positive["meeting"]
    (3.0, 1.0, 0.0)
    >>> p = goodwill.TrustParams(half_life_days=90.0, positive={"referral": 2.0})
    >>> p.half_life_days, p.positive      # every other positive channel: weight 0
    (90.0, {'referral': 2.0})
    """

    half_life_days: float = _DEFAULTS.half_life_days
    prior_alpha: float = _DEFAULTS.prior_alpha
    prior_beta: float = _DEFAULTS.prior_beta
    positive: dict[str, float] = dataclasses.field(default_factory=lambda: _weights(_DEFAULTS.positive),
                                                   metadata={"to_core": _channel_weights})
    negative: dict[str, float] = dataclasses.field(default_factory=lambda: _weights(_DEFAULTS.negative),
                                                   metadata={"to_core": _channel_weights})
    activity_half_life_days: float = _DEFAULTS.activity_half_life_days
    engagement_saturation: float = _DEFAULTS.engagement_saturation

    @classmethod
    def defaults(cls) -> TrustParams:
        """The default parameters (same as ``TrustParams()``)."""
        return cls()

    @classmethod
    def _from_core(cls, core: Any) -> TrustParams:
        return cls(
            half_life_days=float(core.half_life_days),
            prior_alpha=float(core.prior_alpha),
            prior_beta=float(core.prior_beta),
            positive=_weights(core.positive),
            negative=_weights(core.negative),
            activity_half_life_days=float(core.activity_half_life_days),
            engagement_saturation=float(core.engagement_saturation),
        )

    def _core(self) -> Any:
        return to_core(self, _core.relationship.TrustParams())

    def validate(self) -> None:
        """Raise InvalidInputError naming the field if a parameter is bad."""
        self._core()


class RelationshipModel:
    """A validated finite-state machine over events (see the module docstring).

    Build one with :meth:`from_dict` or :meth:`from_json`; an invalid model
    raises :class:`goodwill.InvalidStateError` saying what is wrong. Models
    pickle (through their JSON form).

    Parameters
    ----------
    core : goodwill._core.relationship.RelationshipModel
        The compiled model; build one with :meth:`from_dict`,
        :meth:`from_json` or :func:`relationship_selling`.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> ledger = goodwill.Ledger(pd.DataFrame({
    ...     "customer": ["Acme", "Acme", "Acme", "Globex"], "time": [0.0, 3.0, 14.0, 4.0],
    ...     "kind": ["meeting", "proposal", "deal_won", "meeting"],
    ...     "amount": [1.5, 12000.0, 11500.0, 1.0]}))
    >>> model = goodwill.RelationshipModel.from_dict({
    ...     "states": ["lead", "engaged", "won"], "initial": "lead",
    ...     "transitions": [{"from": "lead", "on": "meeting", "to": "engaged"},
    ...                     {"from": "engaged", "on": "deal_won", "to": "won"}]})
    >>> model.replay(ledger).snapshot()["state"].tolist()
    ['won', 'engaged']
    """

    __slots__ = ("_core",)

    def __init__(self, core: Any) -> None:
        self._core = core

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any]) -> RelationshipModel:
        """A model from a dict in the documented schema."""
        try:
            text = json.dumps(spec)
        except RecursionError:
            raise _core.InvalidStateError("model JSON: the dict is nested too deep to encode") from None
        except (TypeError, ValueError) as exc:
            raise _core.InvalidStateError(f"model JSON: cannot encode the dict: {exc}") from None
        return cls(_core.relationship.RelationshipModel.from_json(text))

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> RelationshipModel:
        """A model from JSON text, or from the path of a JSON file.

        A string is JSON text if it starts with ``{`` or ``[`` or names no
        existing file (so text that is not JSON is refused as model JSON,
        InvalidStateError, not as a missing file); a file that cannot be read
        raises InvalidInputError naming it.
        """
        if isinstance(source, str) and (source.lstrip().startswith(("{", "[")) or not os.path.isfile(source)):
            text = source
        elif not isinstance(source, (str, os.PathLike)):
            raise invalid("source", None, f"must be JSON text or a path, got {type(source).__name__}")
        else:
            try:
                with open(source, encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise file_error("model JSON file", source, str(exc)) from None
        return cls(_core.relationship.RelationshipModel.from_json(text))

    def to_dict(self) -> dict[str, Any]:
        """The model as a dict (guards as lists of ``[feature, op, value]``)."""
        return json.loads(self._core.to_json())  # type: ignore[no-any-return]

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str:
        """The model as JSON text; also written to ``path`` if given (atomically)."""
        text = json.dumps(self.to_dict(), indent=indent)
        if path is not None:  # atomically: a temporary file renamed over it
            with atomic_path(path, "model JSON file") as tmp, open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    @property
    def states(self) -> list[str]:
        """State names, in model order."""
        return list(self._core.states)

    @property
    def initial(self) -> str:
        """The initial state."""
        return str(self._core.initial)

    @property
    def dormancy(self) -> dict[str, Any] | None:
        """The dormancy rule (a dict in the schema's form), or None."""
        rule = self.to_dict().get("dormancy")
        return dict(rule) if rule else None

    def with_dormancy(self, **changes: Any) -> RelationshipModel:
        """A copy of the model with its dormancy rule changed, e.g.
        ``model.with_dormancy(days=120, min_gaps=0)``; a model without one
        needs ``to`` and ``from_`` (``from`` is a keyword). ``None`` for a key
        restores its default.

        Examples
        --------
        >>> import goodwill
        >>> goodwill.relationship_selling().with_dormancy(days=90).dormancy["days"]
        90.0
        """
        spec = self.to_dict()
        rule = dict(spec.get("dormancy") or {})
        for key, value in changes.items():
            name = "from" if key == "from_" else key
            if value is None:
                rule.pop(name, None)
                if name in DORMANCY_DEFAULTS:
                    rule[name] = DORMANCY_DEFAULTS[name]
            else:
                rule[name] = value
        spec["dormancy"] = rule
        return RelationshipModel.from_dict(spec)

    def replay(
        self,
        ledger: Ledger,
        *,
        trust: TrustParams | None = None,
        threads: int = 1,
        until: float | None = None,
        as_of: float | None = None,
        progress: bool = False,
    ) -> Replay:
        """Replay ``ledger`` through the model.

        ``threads``: worker threads (0 = all cores); results are identical for
        any count. ``until``: events after this time are ignored. ``as_of``:
        the time the data ends (the export date), at which dormancy moves
        still pending after a customer's last event happen if due (default:
        ``until``, else the ledger's last event time); at most ``until``.
        Trust is measured from the customer's responses: a ledger without any gives a
        :class:`goodwill.DataWarning` (``Replay.support`` says so).
        """
        if not isinstance(ledger, Ledger):
            raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
        threads = threads_arg(threads)
        cut = math.inf if until is None else float(until)
        if math.isnan(cut):
            raise invalid("until", None, "is NaN")
        support = check(ledger, None, "trust")
        settle = math.nan if as_of is None else float(as_of)
        if as_of is not None and not math.isfinite(settle):
            raise invalid("as_of", None, f"must be a finite time, got {as_of!r}")
        if settle > cut:
            raise invalid("as_of", None, f"is after until ({settle} > {cut})")
        params = (trust if trust is not None else TrustParams())._core()
        started = _time.perf_counter()
        core = self._core.replay(ledger._core, params, int(threads), cut, True, settle)
        if progress:
            took = _time.perf_counter() - started
            print(
                f"goodwill: replayed {len(ledger):,} events of {ledger.n_customers:,} customers "
                f"in {took:.3f} s",
                file=sys.stderr,
            )
        return Replay(core, self.states, ledger.customers, ledger=ledger, trust=params, until=cut,
                      support=support)

    def __getstate__(self) -> str:
        return str(self._core.to_json())

    def __setstate__(self, state: str) -> None:
        self._core = _core.relationship.RelationshipModel.from_json(state)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RelationshipModel):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<goodwill.RelationshipModel: {len(self.states)} states, "
            f"{len(self.to_dict()['transitions'])} transitions, initial {self.initial!r}>"
        )


def relationship_selling(dormancy: Mapping[str, Any] | None = None) -> RelationshipModel:
    """The default model encoding the seeds.

    States: prospect, qualified, negotiating, transactional, developing,
    partner, at_risk, lost, churned, fired, won_back. See
    ``include/goodwill/relationship_model.hpp`` for every transition. A lost
    deal does not make a lost customer: the customer becomes ``lost`` only
    when the window has passed since its last lost deal with no won deal,
    purchase or return (180 days, or the 90% quantile of its own last 32 gaps
    between business days once it has 5, within [90, 365] days); three
    losses in a row with trust below 0.5 make a customer ``at_risk``. ``dormancy``: changes to the
    rule's numbers or kinds (keys of :data:`DORMANCY_DEFAULTS`, or ``to`` /
    ``from``).

    Parameters
    ----------
    dormancy : dict, optional
        Changes to the dormancy rule, e.g. ``{"days": 120, "min_gaps": 0}``.

    Returns
    -------
    RelationshipModel
        The validated default model.

    Examples
    --------
    >>> import goodwill
    >>> goodwill.relationship_selling().dormancy["days"]
    180.0
    >>> goodwill.relationship_selling({"days": 120, "min_gaps": 0}).dormancy["min_gaps"]
    0
    """
    model = RelationshipModel(_core.relationship.relationship_selling())
    if dormancy is None:
        return model
    if not isinstance(dormancy, Mapping):
        raise invalid("dormancy", None, f"must be a dict of rule settings, got {type(dormancy).__name__}")
    return model.with_dormancy(**{("from_" if k == "from" else str(k)): v for k, v in dormancy.items()})


class Replay:
    """Per-customer results of :meth:`RelationshipModel.replay`.

    Not picklable (replay again from the pickled ledger and model instead).

    Parameters
    ----------
    core : goodwill._core.relationship.Replay
        The compiled result; made by :meth:`RelationshipModel.replay`.
    states : list of str
        The model's states.
    keys : ndarray
        The customer keys, by dense id.
    ledger : Ledger, optional
        The ledger replayed.
    trust : TrustParams, optional
        The trust parameters used.
    until : float
        The replay's end time.
    support : Support, optional
        What the replay rests on.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> ledger = goodwill.Ledger(pd.DataFrame({
    ...     "customer": ["Acme", "Acme", "Acme", "Globex"], "time": [0.0, 3.0, 14.0, 4.0],
    ...     "kind": ["meeting", "proposal", "deal_won", "meeting"],
    ...     "amount": [1.5, 12000.0, 11500.0, 1.0]}))
    >>> replay = goodwill.relationship_selling().replay(ledger)
    >>> replay.snapshot()["state"].tolist()
    ['developing', 'qualified']
    >>> replay.transitions()[["customer", "from", "to"]].values.tolist()[:2]
    [['Acme', 'prospect', 'qualified'], ['Acme', 'qualified', 'negotiating']]
    """

    __slots__ = ("_core", "_keys", "_ledger", "_states", "_support", "_trust", "_until")

    def __init__(
        self,
        core: Any,
        states: list[str],
        keys: np.ndarray,
        *,
        ledger: Ledger | None = None,
        trust: Any = None,
        until: float = math.inf,
        support: Any = None,
    ) -> None:
        self._core = core
        self._states = states
        self._keys = keys
        self._ledger = ledger
        self._trust = trust
        self._until = until
        self._support = support

    @property
    def ledger(self) -> Ledger | None:
        """The replayed ledger (None if unknown)."""
        return self._ledger

    @property
    def support(self) -> Any:
        """What the trust values rest on (a :class:`goodwill.evidence.Support`)."""
        return self._support

    @property
    def as_of(self) -> float:
        """The time the replay settled pending dormancy moves at (NaN for an empty ledger)."""
        return float(self._core.as_of)

    def trust_contributions(self, customer: Any) -> pd.DataFrame:
        """The exact decomposition of one customer's trust into its events.

        Trust is ``prior + Σ contribution``: each event adds its channel's
        weight (to α, positive; to β, negative) faded to the customer's last
        event, and moves trust by ``(a·d·β0 − b·d·α0) / ((α + β)(α0 + β0))``.

        Parameters
        ----------
        customer
            The customer's key, as in :meth:`snapshot`'s index.

        Returns
        -------
        pandas.DataFrame
            One row for the prior (``kind`` "prior") and one per event with
            evidence: ``row`` (the ledger row), ``time``, ``kind``, ``channel``,
            ``weight``, ``fade``, ``contribution``; ``contribution`` sums to the
            snapshot's trust. Sorted by time.

        Examples
        --------
        >>> import goodwill
        >>> led = goodwill.Ledger({"customer": ["a", "a"], "time": [0.0, 30.0],
        ...                        "kind": ["deal_won", "referral_given"]})
        >>> parts = goodwill.relationship_selling().replay(led).trust_contributions("a")
        >>> round(parts["contribution"].sum(), 12) == round(float(
        ...     goodwill.relationship_selling().replay(led).snapshot().loc["a", "trust"]), 12)
        True
        """
        if self._ledger is None or self._trust is None:
            raise _core.InvalidStateError("this Replay does not hold its ledger; replay again")
        matches = np.flatnonzero(self._keys == customer) if len(self._keys) else np.array([], dtype=np.intp)
        if len(matches) != 1:
            raise invalid("customer", None, f"{customer!r} is not a customer of the replayed ledger")
        r = _core.relationship.trust_contributions(self._ledger._core, int(matches[0]), self._trust, self._until)
        channels = pd.Categorical.from_codes(np.asarray(r["channel"], dtype=np.int16), categories=pd.Index(EVIDENCE_CHANNELS))
        kinds = np.asarray(_KINDS, dtype=object)[np.asarray(r["kind"], dtype=np.intp)]
        body = pd.DataFrame(
            {
                "row": np.asarray(r["row"], dtype=np.int64),
                "time": np.asarray(r["time"]),
                "kind": kinds,
                "channel": channels.astype(object),
                "weight": np.asarray(r["weight"]),
                "fade": np.asarray(r["fade"]),
                "contribution": np.asarray(r["contribution"]),
            }
        )
        head = pd.DataFrame(
            {"row": [-1], "time": [np.nan], "kind": ["prior"], "channel": ["prior"],
             "weight": [np.nan], "fade": [np.nan], "contribution": [float(r["prior"])]}
        )
        return pd.concat([head, body], ignore_index=True)

    @property
    def states(self) -> list[str]:
        """The model's state names."""
        return list(self._states)

    def _index(self) -> pd.Index:
        index: pd.Index = pd.Index(self._keys, name="customer")
        return index

    def _categorical(self, codes: np.ndarray) -> pd.Categorical:
        states: pd.Index = pd.Index(self._states, dtype=object)
        return pd.Categorical.from_codes(codes.astype(np.int32), categories=states)

    def snapshot(self) -> pd.DataFrame:
        """One row per customer (indexed by the ledger's keys): state, trust,
        alpha, beta, engagement, loyalty, price_sensitivity, the counters,
        events, last_event_time (NaN without events) and dormancy_due (when a
        dormancy move still pending at :attr:`as_of` will happen unless
        business comes first; NaN if none). Features are those after each
        customer's last replayed event."""
        c = self._core
        cols: dict[str, Any] = {
            "state": self._categorical(c.state),
            "trust": np.array(c.trust),
            "alpha": np.array(c.alpha),
            "beta": np.array(c.beta),
            "engagement": np.array(c.engagement),
            "loyalty": np.array(c.loyalty),
            "price_sensitivity": np.array(c.price_sensitivity),
        }
        counters = np.array(c.counters, dtype=np.int64)
        for j, name in enumerate(COUNTERS):
            cols[name] = counters[:, j]
        cols["events"] = np.array(c.events, dtype=np.int64)
        cols["last_event_time"] = np.array(c.last_time)
        cols["dormancy_due"] = np.array(c.dormancy_due)
        return pd.DataFrame(cols, index=self._index())

    def state_at(self, time: float) -> pd.Series:
        """Each customer's state after every transition at or before ``time``."""
        t = float(time)
        if math.isnan(t):
            raise invalid("time", None, "is NaN")
        return pd.Series(self._categorical(self._core.state_at(t)), index=self._index(), name="state")

    def transitions(self) -> pd.DataFrame:
        """The log of state changes: customer, time, from, to, event (and the
        ledger row), sorted by customer then time."""
        log = self._core.log_columns()
        keys = self._keys
        return pd.DataFrame(
            {
                "customer": keys[log["customer"]] if len(keys) else keys[:0],
                "time": log["time"],
                "from": self._categorical(log["from"]),
                "to": self._categorical(log["to"]),
                "event": pd.Categorical.from_codes(log["kind"].astype(np.int32), categories=pd.Index(list(_KINDS))),
                "row": log["row"].astype(np.int64),
            }
        )

    def transition_counts(self, start: float | None = None, end: float | None = None) -> pd.DataFrame:
        """Counts of transitions from (rows) to (columns) with start <= time < end."""
        t0 = -math.inf if start is None else float(start)
        t1 = math.inf if end is None else float(end)
        counts = self._core.transition_counts(t0, t1).astype(np.int64)
        return pd.DataFrame(
            counts,
            index=pd.Index(self._states, name="from"),
            columns=pd.Index(self._states, name="to"),
        )

    def __len__(self) -> int:
        return int(self._core.customers)

    def __reduce__(self) -> Any:
        raise TypeError("goodwill.Replay is not picklable; pickle the ledger and model and replay again")

    def __repr__(self) -> str:
        return f"<goodwill.Replay: {len(self):,} customers, {len(self._states)} states>"

    def _repr_html_(self) -> str:
        """A notebook summary: customers, logged transitions and where the customers are now."""
        snap = self.snapshot()
        counts = snap["state"].value_counts().reindex(self._states, fill_value=0)
        counts = counts[counts > 0]
        table = pd.DataFrame({"customers": counts, "share": (counts / max(1, len(snap))).map("{:.1%}".format)})
        head = (f"<b>goodwill.Replay</b>: {len(self):,} customers, {len(self._states)} states"
                + (f", {len(self.transitions()):,} transitions logged" if self._core.has_log else ""))
        return f"<div>{head}</div>" + table.to_html(border=0)


# ---- account owners ----------------------------------------------------------------

#: Default window of :func:`account_owners`, in days (defined in C++, owners.hpp).
OWNER_WINDOW_DAYS: float = float(_core.relationship.OWNER_WINDOW_DAYS)


def account_owners(ledger: Ledger, window_days: float | None = None) -> pd.DataFrame:
    """Each account's owner: the salesperson with a strict majority of its recent deals.

    Among a customer's deals (``deal_won`` and ``deal_lost`` events that
    name a rep) in the ``window_days`` (default :data:`OWNER_WINDOW_DAYS`,
    365) before the ledger's last event, the rep with the most deals is the
    ``top_rep`` (ties: the one whose latest deal is later); it is the
    ``owner`` only if it holds more than half of them. Otherwise ``owner``
    is missing and ``owner_note`` says so, with the support: ``"no majority
    (top: Ann 40% of 5 deals)"``; a customer with no such deal gets ``"no
    salesperson recorded"``. Deals in the window that name no rep are counted
    in ``unattributed_deals`` and left out of the share.

    Returns a DataFrame indexed by customer key with columns ``owner``
    (string, ``<NA>`` without a majority), ``owner_share`` (the top rep's
    share, NaN without deals), ``top_rep``, ``top_rep_deals``, ``deals``
    (rep'd deals in the window), ``unattributed_deals``, ``tied`` (other
    reps with as many deals as the top one) and ``owner_note``; ``attrs``
    holds the window (``window_start``, ``window_end``, ``window_days``).

    Parameters
    ----------
    ledger : Ledger
        Events that name their salesperson (``rep``).
    window_days : float, optional
        The window before the last event (default :data:`OWNER_WINDOW_DAYS`).

    Returns
    -------
    DataFrame
        One row per customer, the columns above.

    Examples
    --------
    >>> import goodwill
    >>> led = goodwill.Ledger().append(
    ...     ["acme"] * 3 + ["zeta"] * 2, [1, 2, 3, 4, 5], ["deal_won"] * 5,
    ...     rep=["Ann", "Ann", "Bob", "Ann", "Bob"])
    >>> owners = goodwill.account_owners(led)
    >>> owners["owner"].tolist()
    ['Ann', <NA>]
    >>> owners["owner_note"].tolist()
    ['Ann 67% of 3 deals', 'no majority (top: Bob 50% of 2 deals, tied with 1 other)']
    """
    if not isinstance(ledger, Ledger):
        raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
    w = OWNER_WINDOW_DAYS if window_days is None else window_days
    try:
        w = float(w)
    except (TypeError, ValueError):
        raise invalid("window_days", None, f"{window_days!r} is not a number") from None
    r = _core.relationship.account_owners(ledger._core, w)
    names = np.array(ledger.rep_names + [None], dtype=object)
    no_rep = np.uint32(_core.NO_REP)

    def name_of(ids: Any) -> Any:
        ids = np.asarray(ids)
        return names[np.where(ids == no_rep, len(names) - 1, ids.astype(np.int64))]

    owner = name_of(r["owner"])
    top = name_of(r["top"])
    share = np.asarray(r["share"], dtype=np.float64)
    deals = np.asarray(r["deals"], dtype=np.int64)
    top_deals = np.asarray(r["top_deals"], dtype=np.int64)
    tied = np.asarray(r["tied"], dtype=np.int64)
    notes = np.empty(len(owner), dtype=object)
    for i in range(len(owner)):
        if deals[i] == 0:
            notes[i] = "no salesperson recorded"
            continue
        support = f"{top[i]} {share[i]:.0%} of {deals[i]} deal{'s' if deals[i] != 1 else ''}"
        if tied[i]:
            support += f", tied with {tied[i]} other{'s' if tied[i] != 1 else ''}"
        notes[i] = support if owner[i] is not None else f"no majority (top: {support})"
    out = pd.DataFrame(
        {
            "owner": pd.array(owner, dtype="string"),
            "owner_share": share,
            "top_rep": pd.array(top, dtype="string"),
            "top_rep_deals": top_deals,
            "deals": deals,
            "unattributed_deals": np.asarray(r["unattributed"], dtype=np.int64),
            "tied": tied,
            "owner_note": notes,
        },
        index=pd.Index(ledger.customers, name="customer"),
    )
    out.attrs.update(window_start=r["window_start"], window_end=r["window_end"], window_days=r["window_days"])
    return out
