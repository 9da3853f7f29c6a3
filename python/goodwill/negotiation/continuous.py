"""Continuous issues negotiated directly (negotiation/continuous.hpp)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import int_arg, real_arg
from .._errors import invalid
from ._common import _private
from .outcome_space import OutcomeSpace
from .preferences import UtilityFunction

# ---- continuous issues directly (negotiation/continuous.hpp) ------------------------------


def _values_dict(space: OutcomeSpace, values: Sequence[float]) -> dict[str, Any]:
    """An outcome given as issue values, as ``{issue: value}`` (labels for labelled issues)."""
    out: dict[str, Any] = {}
    for issue, v in zip(space.issues, values):
        if issue.kind in ("categorical", "ordinal"):
            out[issue.name] = issue.labels[int(v)]
        elif issue.kind == "integer":
            out[issue.name] = int(v)
        else:
            out[issue.name] = float(v)
    return out


class ContinuousResult:
    """A finished session over continuous issues (:func:`run_continuous_session`).

    Parameters
    ----------
    space : OutcomeSpace
        The session's space.
    d : dict
        The C++ result.

    Attributes
    ----------
    status : str
        "agreement", "walked_away" (a party with no point worth its
        reservation) or "deadline".
    agreement : dict or None
        The agreed point as ``{issue: value}``, None without agreement.
    utilities : tuple of float
        Both parties' utilities of the agreement, or their own (private)
        reservations.
    ended_by : int or None
        The party that accepted or walked away.
    deadline_party : int or None
        The party whose private deadline ended the session (None: the common
        deadline, or it did not end by deadline).
    own_rounds : tuple of int
        Each party's deadline in rounds.
    t : float
        The session's relative time (over ``n_steps``) of the accepted offer,
        or at the end.
    rounds, offers : int
        Rounds started and offers made.
    trace : pandas.DataFrame
        Every offer: round, proposer (0 or 1), one column per issue, target
        (the proposer's target utility), u1, u2, t (the session's clock) and
        own_t (the proposer's clock over its own deadline).

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, run_continuous_session
    >>> space = OutcomeSpace({"price": (100.0, 200.0)})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0)}, [1.0], space, reserved_value=0.1)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0)}, [1.0], space, reserved_value=0.1)
    >>> type(run_continuous_session(seller, buyer, n_steps=10)).__name__
    'ContinuousResult'
    """

    __slots__ = ("agreement", "deadline_party", "ended_by", "offers", "own_rounds", "rounds", "status", "t", "trace",
                 "utilities")

    def __init__(self, space: OutcomeSpace, d: dict[str, Any]) -> None:
        self.status: str = str(d["status"])
        self.agreement: dict[str, Any] | None = (_values_dict(space, d["values"]) if self.status == "agreement"
                                                 else None)
        self.utilities: tuple[float, float] = (float(d["u1"]), float(d["u2"]))
        self.ended_by: int | None = None if d["ended_by"] < 0 else int(d["ended_by"])
        self.deadline_party: int | None = None if d["deadline_party"] < 0 else int(d["deadline_party"])
        self.own_rounds: tuple[int, int] = (int(d["own_rounds"][0]), int(d["own_rounds"][1]))
        self.t: float = float(d["t"])
        self.rounds: int = int(d["rounds"])
        self.offers: int = int(d["offers"])
        tr = d["trace"]
        k = len(space.issue_names)
        values = np.asarray(tr["values"], dtype=np.float64).reshape(-1, k)
        cols: dict[str, Any] = {"round": np.asarray(tr["round"], dtype=np.int64),
                                "proposer": np.asarray(tr["proposer"], dtype=np.int64)}
        for i, issue in enumerate(space.issues):
            col = values[:, i]
            if issue.kind in ("categorical", "ordinal"):
                cols[issue.name] = pd.Categorical.from_codes(col.astype(np.int64),
                                                             categories=pd.Index(list(issue.labels)))
            elif issue.kind == "integer":
                cols[issue.name] = col.astype(np.int64)
            else:
                cols[issue.name] = col
        for key in ("target", "u1", "u2", "t", "own_t"):
            cols[key] = np.asarray(tr[key], dtype=np.float64)
        self.trace = pd.DataFrame(cols)

    def __repr__(self) -> str:
        return f"ContinuousResult({self.status}, agreement={self.agreement}, offers={self.offers})"


def run_continuous_session(
    u1: UtilityFunction,
    u2: UtilityFunction,
    *,
    e1: float = 1.0,
    e2: float = 1.0,
    n_steps: int | None = None,
    first: int | None = None,
    bisection_steps: int | None = None,
    probes: int | None = None,
    passes: int | None = None,
    deadlines: tuple[int | None, int | None] | None = None,
    relative_deadlines: tuple[float | None, float | None] | None = None,
    reserved_values: tuple[float | None, float | None] | None = None,
    strategies: tuple[str, str] = ("time_dependent", "time_dependent"),
    factors: tuple[float, float] = (1.0, 1.0),
    discrete_limit: int | None = None,
) -> ContinuousResult:
    """An alternating-offers session over the issue box directly (continuous
    issues as reals, no discretising, no candidate set): each party plays a
    time-dependent strategy (target ``u_min + (u_max - u_min)(1 - t^(1/e))``,
    AC_next) and makes the offer on its concession path — from its own best
    point towards the opponent's latest offer — whose utility is its target,
    found by bisection on the utility. For linear-additive utilities the
    offer is on target (to 1e-15) and the best point is in closed form; for
    others it is worth at least the target and the best point comes from a
    coordinate search (``probes`` values per issue, ``passes`` passes).
    Defaults come from C++ (``_core.negotiation.ContinuousOptions()``).

    Discrete issues in a mixed space are searched too when their value
    combinations number at most ``discrete_limit`` (default {discrete_limit}): each
    combination gets its own path and bisection, and of those that reach the
    target the offer is the one most similar to the opponent's latest offer
    (Faratin, Sierra & Jennings 2002). Only the discrete part is enumerated,
    and only when it is that small; beyond it (or with ``discrete_limit=0``)
    the discrete issues stay at the party's own best values.

    ``strategies`` picks each party's strategy: "time_dependent" (above) or
    "tit_for_tat" (behaviour-dependent, as :func:`tit_for_tat`): its target
    is ``u_max - factor * max(0, u(latest) - u(first))``, its own utility of
    the opponent's first and latest offers, floored at ``u_min``; the offer
    for it is found by the same bisection, and it accepts by AC_next.

    Private information, per party, as in :func:`run_session` (None: none of
    its own): ``deadlines``, its own deadline in rounds; ``relative_deadlines``,
    its own deadline as a share of ``n_steps`` in (0, 1] (the earlier of the
    two applies); ``reserved_values``, its own reservation value instead of
    its utility function's. Neither party is told the other's: each
    strategy's clock runs over its own deadline and its targets never go
    below its own reservation, so it neither proposes nor accepts below it;
    the session ends at the earlier deadline (``result.deadline_party`` says
    whose), and without agreement each side gets its own reservation. A
    party with no point worth its reservation walks away at its first turn.

    Parameters
    ----------
    u1, u2 : LinearAdditiveUtilityFunction, HyperRectangleUtilityFunction or WeightedUtilityFunction
        The two parties' utilities over one space (reservation values from them).
    e1, e2 : float, default 1.0
        Each party's concession exponent (< 1 Boulware, 1 linear, > 1 conceder, 0 hard-liner).
    n_steps : int, optional
        Rounds (default {rounds}).
    first : int, optional
        The party that opens (default {first}).
    bisection_steps, probes, passes : int, optional
        The search's depth (default {bisection_steps} halvings) and, for non-linear
        utilities, the coordinate search's settings (default {probes}, {passes}).
    deadlines, relative_deadlines, reserved_values : pair, optional
        Each party's private deadline (rounds, or share of ``n_steps``) and
        reservation value, as above.
    strategies : pair of str, default ("time_dependent", "time_dependent")
        Each party's strategy, "time_dependent" or "tit_for_tat".
    factors : pair of float, default (1.0, 1.0)
        Each tit-for-tat party's factor (utility conceded per unit the
        opponent improved); unused by a time-dependent party.
    discrete_limit : int, optional
        Most value combinations of the discrete issues searched (default {discrete_limit}).

    Returns
    -------
    ContinuousResult

    Examples
    --------
    Price 100..200 as a real and delivery 1..30 days, opposed preferences:

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, run_continuous_session
    >>> space = OutcomeSpace({"price": (100.0, 200.0), "days": (1.0, 30.0)})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "days": (1 / 29, 0.0)}, [0.7, 0.3], space,
    ...                                        reserved_value=0.1)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "days": (-1 / 29, 1.0)}, [0.6, 0.4], space,
    ...                                       reserved_value=0.1)
    >>> r = run_continuous_session(seller, buyer, n_steps=40)
    >>> r.status, {k: round(v, 3) for k, v in r.agreement.items()}
    ('agreement', {'price': 149.873, 'days': 15.463})
    >>> own = r.trace["u1"].where(r.trace["proposer"] == 0, r.trace["u2"])
    >>> float((own - r.trace["target"]).abs().max()) < 1e-12
    True

    The buyer's private deadline of 12 rounds ends the session; the seller,
    not told it, concedes on its own 40-round clock and gets its private
    reservation of 0.4:

    >>> q = run_continuous_session(seller, buyer, e1=0.2, e2=0.2, n_steps=40, deadlines=(None, 12),
    ...                            reserved_values=(0.4, None))
    >>> q.status, q.deadline_party, q.own_rounds, q.utilities, q.offers
    ('deadline', 1, (40, 12), (0.4, 0.1), 24)
    >>> last = q.trace.iloc[-1]
    >>> int(last["proposer"]), round(float(last["own_t"]), 3), round(float(last["u2"]), 3), round(float(last["t"]), 3)
    (1, 1.0, 0.1, 0.291)

    Tit-for-tat against a linear conceder, the seller conceding half of
    what the buyer concedes to it:

    >>> t = run_continuous_session(seller, buyer, n_steps=40, strategies=("tit_for_tat", "time_dependent"),
    ...                            factors=(0.5, 1.0))
    >>> t.status, round(t.utilities[0], 3) > round(r.utilities[0], 3)
    ('agreement', True)
    """
    o = _core.negotiation.ContinuousOptions()  # the C++ defaults
    if n_steps is not None:
        o.rounds = int_arg(n_steps, "n_steps", 1, 2**31 - 1)
    if first is not None:
        o.first = int_arg(first, "first", -(2**31), 2**31 - 1)
    if bisection_steps is not None:
        o.bisection_steps = int_arg(bisection_steps, "bisection_steps", 0, 2**32 - 1)
    if probes is not None:
        o.probes = int_arg(probes, "probes", 0, 2**32 - 1)
    if passes is not None:
        o.passes = int_arg(passes, "passes", 0, 2**32 - 1)
    if discrete_limit is not None:
        o.discrete_limit = int_arg(discrete_limit, "discrete_limit", 0, 2**63 - 1)
    o.own_rounds, o.own_time, o.reservation = _private(deadlines, relative_deadlines, reserved_values)
    o.validate()  # the ranges are C++'s (ContinuousOptions::validate); the strategy names too
    if len(strategies) != 2:
        raise invalid("strategies", None, f"needs one entry per party (2), got {len(strategies)}")
    if len(factors) != 2:
        raise invalid("factors", None, f"needs one entry per party (2), got {len(factors)}")
    f1, f2 = (real_arg(f, "factors", 0.0) for f in factors)
    d = _core.negotiation.run_continuous_session(u1._core, u2._core, real_arg(e1, "e1", 0.0), real_arg(e2, "e2", 0.0), o,
                                     str(strategies[0]), str(strategies[1]), f1, f2)
    return ContinuousResult(u1.outcome_space, d)


def _with_defaults(doc: str | None) -> str:
    """The docstring with the C++ defaults (ContinuousOptions) filled in."""
    o = _core.negotiation.ContinuousOptions()
    out = doc or ""
    for name in ("rounds", "first", "bisection_steps", "probes", "passes", "discrete_limit"):
        out = out.replace("{" + name + "}", str(getattr(o, name)))
    return out


run_continuous_session.__doc__ = _with_defaults(run_continuous_session.__doc__)
