"""Win-back curves: Kaplan–Meier estimates of the time from lost / churned /
fired to the customer's return, with a Greenwood confidence band.

Spells come from a replay's transition log (``include/goodwill/winback.hpp``
states the exact rule): a spell starts when a customer enters one of the exit
states from outside them, continues through moves among them, and ends at the
first move out (a return); spells still open are censored at the end of the
data (the replay's ``as_of``). A spell starts at the event that caused the
exit: with the default model's dormancy rule a customer is ``lost`` only once
the dormancy window has passed since its last lost deal with no business,
and the spell runs from that lost deal — so a return is measured over the
whole time without business, never less than the window. :func:`kaplan_meier` estimates any (duration, observed) data the same
way, with lifelines-style attributes.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import invalid
from .._support import check
from ..evidence import Support
from ..ledger import Ledger
from . import RelationshipModel, Replay, relationship_selling

_BANDS = {"log-log": 0, "log": 1, "plain": 2}


@dataclasses.dataclass
class SurvivalCurve:
    """A Kaplan–Meier estimate.

    ``table``: one row per distinct time (from 0) with ``timeline``,
    ``at_risk``, ``events``, ``censored``, ``survival``, ``lower``, ``upper``.
    lifelines-style views: :attr:`survival_function_`,
    :attr:`confidence_interval_`, :attr:`event_table`, :attr:`median_` (first
    time S <= 0.5; inf if never) and :attr:`median_confidence_interval_`.
    ``spells``: the win-back spells behind the curve (from :func:`win_back`).
    For win-back, ``survival`` is the share of lost customers NOT yet back.

    Parameters
    ----------
    table : DataFrame
        The estimate, one row per distinct time.
    median_ : float
        First time the survival is at most 0.5 (inf if never).
    median_confidence_interval_ : tuple of float
        Its interval.
    level : float
        Confidence level of the band.
    band : str
        ``"log-log"``, ``"log"`` or ``"plain"``.
    label : str
        Name of the survival column in the lifelines-style views.
    spells : DataFrame, optional
        The win-back spells behind the curve.
    support : Support, optional
        What a win-back curve rests on.

    Examples
    --------
    >>> import goodwill
    >>> km = goodwill.kaplan_meier([5, 8, 12, 12, 20, 31, 40], [1, 1, 0, 1, 1, 0, 1])
    >>> km.median_, km.survival_at([10, 30]).round(3).tolist()
    (20.0, [0.714, 0.381])
    """

    table: pd.DataFrame
    median_: float
    median_confidence_interval_: tuple[float, float]
    level: float
    band: str
    label: str = "KM_estimate"
    spells: pd.DataFrame | None = None
    #: What a win-back curve rests on (:func:`win_back`): not applicable without exits.
    support: Support | None = None

    def _repr_html_(self) -> str:
        """A notebook summary: subjects, events, the median with its interval."""
        t = self.table
        n = int(t["at_risk"].iloc[0]) if len(t) else 0
        events = int(t["events"].sum()) if len(t) else 0
        lo, hi = self.median_confidence_interval_
        med = "not reached" if not np.isfinite(self.median_) else f"{self.median_:,.1f}"
        return (f"<div><b>goodwill.SurvivalCurve</b> ({html.escape(self.label)}): {n:,} subjects, {events:,} events, "
                f"{n - events:,} censored; median {med} ({self.level:.0%} interval {lo:,.1f} to {hi:,.1f}, "
                f"{html.escape(self.band)} band)</div>")

    @property
    def survival_function_(self) -> pd.DataFrame:
        """S(t) indexed by the timeline (as lifelines)."""
        return pd.DataFrame({self.label: self.table["survival"].to_numpy()},
                            index=pd.Index(self.table["timeline"].to_numpy(), name="timeline"))

    @property
    def confidence_interval_(self) -> pd.DataFrame:
        """The pointwise band (as lifelines: ``<label>_lower_<level>``, ``<label>_upper_<level>``)."""
        lo, hi = f"{self.label}_lower_{self.level:g}", f"{self.label}_upper_{self.level:g}"
        return pd.DataFrame({lo: self.table["lower"].to_numpy(), hi: self.table["upper"].to_numpy()},
                            index=pd.Index(self.table["timeline"].to_numpy(), name="timeline"))

    @property
    def event_table(self) -> pd.DataFrame:
        """at_risk, observed, censored per time (lifelines' names)."""
        t = {c: self.table[c].to_numpy() for c in ("events", "censored", "at_risk", "timeline")}
        return pd.DataFrame({"removed": t["events"] + t["censored"], "observed": t["events"],
                             "censored": t["censored"], "at_risk": t["at_risk"]},
                            index=pd.Index(t["timeline"], name="event_at"))

    def survival_at(self, times: Any) -> pd.Series:
        """S(t) at the given times (the estimate at the last timeline point <= t)."""
        t = np.atleast_1d(np.asarray(times, dtype=np.float64))
        timeline = self.table["timeline"].to_numpy()
        pos = np.searchsorted(timeline, t, side="right") - 1
        surv = self.table["survival"].to_numpy()
        values = np.where(pos >= 0, surv[np.clip(pos, 0, None)], 1.0)
        return pd.Series(values, index=pd.Index(t, name="time"), name="survival")

    predict = survival_at

    def plot(self, ax: Any = None, *, ci: bool = True, show_censors: bool | None = None,
             **kwargs: Any) -> Any:
        """Step plot of the estimate with its band and censoring ticks (shown
        by default when there are at most 100 censoring times); returns the Axes."""
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("plotting needs matplotlib: pip install matplotlib") from exc
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        t = self.table
        kwargs.setdefault("label", self.label)
        line = ax.step(t["timeline"], t["survival"], where="post", **kwargs)[0]
        if ci:
            ax.fill_between(t["timeline"], t["lower"], t["upper"], step="post", alpha=0.25,
                            color=line.get_color(), linewidth=0)
        censored = t[t["censored"] > 0]
        if show_censors is None:
            show_censors = len(censored) <= 100
        if show_censors:
            ax.plot(censored["timeline"], censored["survival"], "|", color=line.get_color(),
                    markersize=8)
        if math.isfinite(self.median_):
            ax.axvline(self.median_, color="0.6", linewidth=0.8, linestyle="--")
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("time since the customer was lost")
        ax.set_ylabel("share not yet won back")
        if self.spells is not None:
            ax.set_title("Win-back (Kaplan–Meier)")
        return ax


def kaplan_meier(
    durations: Any,
    event_observed: Any = None,
    *,
    level: float = 0.95,
    band: str = "log-log",
    label: str = "KM_estimate",
) -> SurvivalCurve:
    """Kaplan–Meier estimate of ``durations`` (``event_observed``: truthy for
    an observed event, falsy for censored; all observed if None).

    ``band``: ``"log-log"`` (exponential Greenwood, lifelines' default),
    ``"log"`` (R survival's default) or ``"plain"`` (linear Greenwood).

    Parameters
    ----------
    durations : array-like
        Times to the event or to censoring.
    event_observed : array-like, optional
        Truthy where the event was observed (default: all).
    level : float
        Confidence level of the band.
    band : str
        ``"log-log"``, ``"log"`` or ``"plain"``.
    label : str
        Name of the survival column in the lifelines-style views.

    Returns
    -------
    SurvivalCurve
        The estimate with its band, median and lifelines-style views.

    Examples
    --------
    >>> import goodwill
    >>> km = goodwill.kaplan_meier([5, 8, 12, 12, 20, 31, 40], [1, 1, 0, 1, 1, 0, 1])
    >>> km.table[["timeline", "at_risk", "events", "survival"]].round(3).head(3)
       timeline  at_risk  events  survival
    0       0.0        7       0     1.000
    1       5.0        7       1     0.857
    2       8.0        6       1     0.714
    """
    if band not in _BANDS:
        raise invalid("band", None, f"must be one of {sorted(_BANDS)}, got {band!r}")
    d = pd.Series(durations) if not isinstance(durations, pd.Series) else durations
    try:
        dur = np.ascontiguousarray(d.to_numpy(dtype=np.float64, na_value=np.nan))
    except (TypeError, ValueError):
        raise invalid("duration", None, "must be numbers") from None
    if event_observed is None:
        obs = np.ones(len(dur), dtype=np.uint8)
    else:
        e = np.asarray(event_observed)
        if e.shape != dur.shape:
            raise invalid("event_observed", None, f"has {e.size} rows where durations has {dur.size}")
        obs = np.ascontiguousarray(e.astype(bool).astype(np.uint8))
    bad = np.flatnonzero(~np.isfinite(dur))
    if bad.size:
        raise invalid("duration", int(bad[0]), f"is {dur[bad[0]]}")
    out: dict[str, Any] = _core.relationship.kaplan_meier(dur, obs, float(level), _BANDS[band])
    table = pd.DataFrame({
        "timeline": np.asarray(out["timeline"]),
        "at_risk": np.asarray(out["at_risk"], dtype=np.int64),
        "events": np.asarray(out["events"], dtype=np.int64),
        "censored": np.asarray(out["censored"], dtype=np.int64),
        "survival": np.asarray(out["survival"]),
        "lower": np.asarray(out["lower"]),
        "upper": np.asarray(out["upper"]),
    })
    return SurvivalCurve(table, float(out["median"]), (float(out["median_lower"]), float(out["median_upper"])),
                         float(level), band, label)


def win_back(
    data: Ledger | Replay,
    *,
    exit_states: Sequence[str] = ("lost", "churned", "fired"),
    model: RelationshipModel | None = None,
    end: float | None = None,
    level: float = 0.95,
    band: str = "log-log",
) -> SurvivalCurve:
    """Kaplan–Meier curve of the time from entering an exit state (default:
    lost, churned, fired) to leaving them (a return), from a replay or a
    ledger (replayed through ``model``, default :func:`relationship_selling`).

    Open spells are censored at ``end`` (default: the replay's ``as_of``, the
    ledger's last event unless the replay was given ``until`` or ``as_of``).
    A spell starts at the time of the event that caused the exit (for a
    dormancy move: the last lost deal), so its duration is the time without
    business. The result's ``spells`` lists every spell: customer,
    exit_state, return_state (the exit state itself when censored), start,
    duration, returned.
    Without lost deals, churn or firings in the ledger a
    :class:`goodwill.DataWarning` is issued and ``result.support`` says the
    curve is not applicable.

    Parameters
    ----------
    data : Ledger or Replay
        A ledger (replayed through ``model``) or a replay.
    exit_states : sequence of str
        The states a customer leaves us by.
    model : RelationshipModel, optional
        The model to replay a ledger with (default :func:`relationship_selling`).
    end : float, optional
        Where open spells are censored.
    level : float
        Confidence level of the band.
    band : str
        ``"log-log"``, ``"log"`` or ``"plain"``.

    Returns
    -------
    SurvivalCurve
        The share not yet back against time since the exit, with ``spells``
        and ``support``.

    Examples
    --------
    >>> import goodwill as gw, pandas as pd
    >>> led = gw.Ledger(pd.DataFrame({"customer": ["a", "a", "a", "b"],
    ...     "time": [0.0, 10.0, 250.0, 300.0], "kind": ["purchase", "deal_lost", "purchase", "meeting"],
    ...     "amount": [100.0, 100.0, 100.0, 1.0]}))
    >>> gw.win_back(led).spells[["customer", "start", "duration", "returned"]]
      customer  start  duration  returned
    0        a   10.0     240.0      True
    """
    led = data if isinstance(data, Ledger) else getattr(data, "ledger", None)
    support = check(led, None, "win_back") if isinstance(led, Ledger) else None
    if isinstance(data, Ledger):
        replay = (model or relationship_selling()).replay(data)
    elif isinstance(data, Replay):
        if model is not None:
            raise invalid("model", None, "is only used when data is a Ledger")
        replay = data
    else:
        raise invalid("data", None, f"must be a goodwill.Ledger or Replay, got {type(data).__name__}")
    states = replay.states
    if isinstance(exit_states, str):
        exit_states = [exit_states]
    unknown = [s for s in exit_states if s not in states]
    if unknown:
        raise invalid("exit_states", None, f"{unknown} are not states of the model; states: {states}")
    cut = math.nan if end is None else float(end)
    source = replay._ledger
    cols = _core.relationship.win_back_spells(replay._core, [states.index(s) for s in exit_states], cut,
                                 source._core if source is not None else None)
    keys = replay._keys
    cats = list(states)
    spells = pd.DataFrame({
        "customer": keys[np.asarray(cols["customer"], dtype=np.int64)] if len(keys) else keys[:0],
        "exit_state": pd.Categorical.from_codes(np.asarray(cols["exit_state"], dtype=np.int32), categories=pd.Index(cats)),
        "return_state": pd.Categorical.from_codes(np.asarray(cols["return_state"], dtype=np.int32),
                                                  categories=pd.Index(cats)),
        "start": np.asarray(cols["start"]),
        "duration": np.asarray(cols["duration"]),
        "returned": np.asarray(cols["returned"]).astype(bool),
    })
    curve = kaplan_meier(spells["duration"], spells["returned"], level=level, band=band, label="win_back")
    curve.spells = spells
    curve.support = support
    return curve
