"""Uncertain preferences and elicitation (negotiation/elicitation.hpp)."""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, TypedDict, Unpack

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from .._columns import int_arg, real_arg, threads_arg
from .._errors import invalid
from ..ledger import Ledger
from ._common import STATUSES, _strategy
from .preferences import LinearAdditiveUtilityFunction
from .scenario import Scenario

# ---- uncertain preferences and elicitation (negotiation/elicitation.hpp) -----------------


class PartialProfile:
    """What a negotiator knows of its own utility: an interval per outcome
    (a uniform prior on it; exact once asked). Build it from intervals on
    the weights of a linear-additive profile whose value evaluations are
    known, from per-outcome intervals, or from an ordering of some outcomes.

    Parameters
    ----------
    core : goodwill._core.negotiation.PartialProfile
        Made by the class methods below, not directly.

    Attributes
    ----------
    lo, hi : numpy.ndarray
        Each outcome's interval.
    known_count : int
        Outcomes whose utility is known (interval of width 0).

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, PartialProfile
    >>> space = OutcomeSpace({"term": ["1y", "3y"], "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"term": [0.2, 1.0], "support": [1.0, 0.0]},
    ...                                        [0.6, 0.4], space)
    >>> p = PartialProfile.from_weight_intervals(seller, [0.5, 0.3], [0.7, 0.5])
    >>> p.lo.round(2).tolist(), p.hi.round(2).tolist()
    ([0.4, 0.1, 0.8, 0.5], [0.64, 0.14, 1.2, 0.7])
    >>> PartialProfile.from_ordering(4, [2, 0], 0.0, 1.0).lo.tolist()
    [0.0, 0.0, 0.5, 0.0]
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.negotiation.PartialProfile) -> None:
        self._core = core

    @classmethod
    def from_weight_intervals(cls, ufun: LinearAdditiveUtilityFunction, weight_lo: Sequence[float],
                              weight_hi: Sequence[float]) -> PartialProfile:
        """Weight i of ``ufun`` lies in [weight_lo[i], weight_hi[i]]; its value
        evaluations are known."""
        return cls(_core.negotiation.PartialProfile.from_weight_intervals(ufun._core, [float(x) for x in weight_lo],
                                                              [float(x) for x in weight_hi]))

    @classmethod
    def from_intervals(cls, lo: npt.ArrayLike, hi: npt.ArrayLike) -> PartialProfile:
        """One interval [lo[o], hi[o]] per outcome id."""
        return cls(_core.negotiation.PartialProfile.from_intervals(np.asarray(lo, dtype=np.float64).tolist(),
                                                       np.asarray(hi, dtype=np.float64).tolist()))

    @classmethod
    def from_ordering(cls, n: int, order: Sequence[int], umin: float = 0.0, umax: float = 1.0) -> PartialProfile:
        """``order`` ranks some of the ``n`` outcomes, best first, within the
        utility range [umin, umax]; the k ranked outcomes start on k equal
        bands of the range, an answer bounds the others."""
        return cls(_core.negotiation.PartialProfile.from_ordering(int(n), [int(o) for o in order], float(umin), float(umax)))

    @property
    def lo(self) -> npt.NDArray[np.float64]:
        return np.asarray(self._core.lo, dtype=np.float64)

    @property
    def hi(self) -> npt.NDArray[np.float64]:
        return np.asarray(self._core.hi, dtype=np.float64)

    @property
    def known_count(self) -> int:
        return int(self._core.known_count)

    def __len__(self) -> int:
        return len(self._core)

    def __repr__(self) -> str:
        return f"PartialProfile({len(self)} outcomes, {self.known_count} known)"


class ElicitationKeywords(TypedDict, total=False):
    """The eliciting negotiator's options as keywords of
    :func:`run_elicitation_session` and :func:`elicitation_batch`; a keyword
    left out (or None) keeps the C++ default (:class:`goodwill._core.negotiation.ElicitationOptions`).
    A type for annotations (``**options: Unpack[ElicitationKeywords]``): a
    plain dict of these keys.

    Parameters
    ----------
    policy : {"pandora", "blind", "full"}
        When to ask (:func:`run_elicitation_session` only; a batch takes ``policies``).
    cost : float
        Cost per question (utility units).
    max_questions : int
        Question budget (0: none).
    per_turn : int
        Questions per decision.
    e : float
        Concession exponent.
    opponent_model : bool
        Whether to choose among near-target offers by a frequency opponent model.
    window : float
        That model's utility window.

    Examples
    --------
    >>> from goodwill.negotiation import ElicitationKeywords
    >>> options: ElicitationKeywords = {"cost": 0.01, "max_questions": 5}
    >>> sorted(options)
    ['cost', 'max_questions']
    """

    policy: str | None
    cost: float | None
    max_questions: int | None
    per_turn: int | None
    e: float | None
    opponent_model: bool | None
    window: float | None


def _keyword_check(hint: Any) -> Callable[[Any, str], Any]:
    """The check of one keyword of ElicitationKeywords, from its type: the
    integers are the C++ std::uint32_t counts, the reals any finite number."""
    kind = next(t for t in typing.get_args(hint) if t is not type(None))
    if kind is bool:
        return lambda v, k: bool(v)
    if kind is int:
        return lambda v, k: int_arg(v, k, 0, 4294967295)
    return lambda v, k: real_arg(v, k)


#: The keywords' checks, derived from ElicitationKeywords (the one list of
#: them) so that a keyword is declared once; policy is checked apart.
_ELICITATION_SETTERS: dict[str, Callable[[Any, str], Any]] = {
    key: _keyword_check(hint)
    for key, hint in typing.get_type_hints(ElicitationKeywords).items()
    if key != "policy"
}


def _elicitation_options(policy: str | None, options: Mapping[str, Any]) -> _core.negotiation.ElicitationOptions:
    """The C++ ElicitationOptions (its defaults) with ``policy`` and the
    given keywords set, each checked by name; an unknown keyword is refused."""
    o = _core.negotiation.ElicitationOptions()
    if policy is not None:
        if not isinstance(policy, str):
            raise invalid("policy", None, f"must be one of {list(_core.negotiation.ELICITATION_POLICIES)}, got {policy!r}")
        o.policy = policy
    for key, value in options.items():
        if key not in _ELICITATION_SETTERS:
            raise invalid(key, None, f"is not an elicitation option (one of {sorted(_ELICITATION_SETTERS)})")
        if value is not None:
            setattr(o, key, _ELICITATION_SETTERS[key](value, key))
    o.validate()
    return o


class ElicitationResult:
    """A finished session in which one party elicited its preferences.

    Parameters
    ----------
    scenario : Scenario
        The scenario played.
    d : dict
        The C++ result (made by :func:`run_elicitation_session`).

    Attributes
    ----------
    status : str
        "agreement", "walked_away" or "deadline".
    outcome : int or None
        The agreed outcome id.
    utilities, discounted_utilities : tuple of float
        Both parties' true utilities (reservations without agreement).
    question_cost : float
        Cost of the questions asked (utility units).
    net : float
        The eliciting party's discounted utility minus ``question_cost``.
    questions : pandas.DataFrame
        round, turn, outcome, answer, reason ("respond", "propose", "full").

    Examples
    --------
    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, PartialProfile,
    ...                                   Scenario, boulware, run_elicitation_session)
    >>> space = OutcomeSpace({"term": ["1y", "3y"], "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"term": [0.2, 1.0], "support": [1.0, 0.0]}, [0.6, 0.4], space)
    >>> buyer = LinearAdditiveUtilityFunction({"term": [1.0, 0.0], "support": [0.0, 1.0]}, [0.3, 0.7], space)
    >>> p = PartialProfile.from_weight_intervals(seller, [0.3, 0.1], [0.9, 0.7])
    >>> r = run_elicitation_session(Scenario(seller, buyer), p, boulware(), policy="full", cost=0.01, n_steps=10)
    >>> len(r.questions), round(r.question_cost, 2), r.questions["reason"].iloc[0]
    (4, 0.04, 'full')
    """

    __slots__ = ("_events", "discounted_utilities", "net", "outcome", "question_cost", "questions",
                 "rounds", "scenario", "status", "utilities")

    def __init__(self, scenario: Scenario, d: dict[str, Any]) -> None:
        self.scenario = scenario
        self.status = str(d["status"])
        self.outcome = None if int(d["outcome"]) < 0 else int(d["outcome"])
        self.utilities = (float(d["u1"]), float(d["u2"]))
        self.discounted_utilities = (float(d["du1"]), float(d["du2"]))
        self.rounds = int(d["rounds"])
        self.question_cost = float(d["question_cost"])
        self.net = float(d["net"])
        q = d["questions"]
        self.questions = pd.DataFrame({
            "round": np.asarray(q["round"], dtype=np.int64),
            "turn": np.asarray(q["turn"], dtype=np.int64),
            "outcome": np.asarray(q["outcome"], dtype=np.int64),
            "answer": np.asarray(q["answer"], dtype=np.float64),
            "reason": pd.Categorical(q["reason"], categories=list(_core.negotiation.QUESTION_REASONS)),
        })
        self._events: dict[str, Any] = d["events"]

    @property
    def agreement(self) -> dict[str, Any] | None:
        return None if self.outcome is None else self.scenario.outcome_space.outcome(self.outcome)

    def to_ledger(self, ledger: Ledger, customer: Any) -> int:
        """Append one ``discovery`` event per question (amount: the hours
        given to :func:`run_elicitation_session`), then the session's events
        (as :meth:`SessionResult.to_ledger`), for ``customer``. Returns the
        number of events."""
        ev = self._events
        n = len(ev["kind"])
        if n:
            ledger.append([customer] * n, ev["time"], np.asarray(ev["kind"], dtype=np.uint8), ev["amount"],
                          np.asarray(ev["detail"], dtype=np.int32))
        return n

    def __repr__(self) -> str:
        return (f"ElicitationResult({self.status}, outcome={self.outcome}, questions={len(self.questions)}, "
                f"net={self.net:.4f})")


def run_elicitation_session(
    scenario: Scenario,
    profile: PartialProfile,
    opponent: Any,
    *,
    party: int = 0,
    n_steps: int = 100,
    seed: int = 0,
    hours_per_question: float | None = None,
    start_time: float = 0.0,
    days_per_round: float = 1.0,
    value_scale: float = 1.0,
    **options: Unpack[ElicitationKeywords],
) -> ElicitationResult:
    """One session in which party ``party`` negotiates on a partial profile
    of its own utility and may ask its user the exact utility of an outcome
    at ``cost`` a question (the answer is the scenario's utility), against
    ``opponent``.

    The eliciting negotiator concedes in time (target r + (u_max - r)(1 -
    t^(1/e)) over the believed means). Policies: ``"blind"`` never asks;
    ``"pandora"`` applies Pandora's rule (Weitzman 1979) as Baarslag &
    Gerding (2015, "Optimal incremental preference elicitation during
    negotiation", IJCAI) do for elicitation: before a decision (accept or
    reject the standing offer, propose the outcome its target picks) it
    asks about the outcome the decision turns on iff the expected value of
    the answer exceeds the cost; ``"full"`` asks every outcome first. Each
    question is a ``discovery`` event in :meth:`ElicitationResult.to_ledger`.

    Parameters
    ----------
    scenario : Scenario
        The scenario; party ``party``'s utilities are the user's answers.
    profile : PartialProfile
        What the eliciting party knows before asking.
    opponent : Strategy
        The other party.
    party : int, default 0
        The eliciting party.
    n_steps : int, default 100
        Rounds.
    seed : int, default 0
        Passed to the opponent.
    hours_per_question : float, optional
        A discovery event's hours in the ledger; None: the C++ default
        (``_core.negotiation.ElicitationRunOptions().hours_per_question``, 1).
    start_time, days_per_round, value_scale : float
        The ledger link: the time axis (days), and value per utility unit
        without a price issue.
    **options
        The eliciting negotiator's options (:class:`ElicitationKeywords`:
        policy, cost, max_questions, per_turn, e, opponent_model, window);
        one left out keeps the C++ default (policy "pandora").

    Returns
    -------
    ElicitationResult

    Examples
    --------
    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, PartialProfile,
    ...                                   Scenario, boulware, run_elicitation_session)
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale")
    >>> p = PartialProfile.from_weight_intervals(seller, [0.5, 0.1], [0.9, 0.5])
    >>> r = run_elicitation_session(sc, p, boulware(), cost=0.001, n_steps=30)
    >>> r.status, len(r.questions) > 0, r.net == r.discounted_utilities[0] - r.question_cost
    ('agreement', True, True)
    """
    given: dict[str, Any] = dict(options)
    o = _elicitation_options(given.pop("policy", None), given)
    hours = _core.negotiation.ElicitationRunOptions().hours_per_question if hours_per_question is None else real_arg(
        hours_per_question, "hours_per_question", 0.0)
    d = _core.negotiation.run_elicitation_session(
        scenario._core, profile._core, _strategy(opponent), o,
        int_arg(party, "party", 0, 1), int_arg(n_steps, "n_steps", 1, 4294967295), int_arg(seed, "seed", 0, 2**63 - 1),
        float(start_time), float(days_per_round), float(value_scale), hours)
    return ElicitationResult(scenario, d)


class ElicitationBatchResult:
    """Blind against eliciting on one scenario: per-session rows and a
    summary of net utility per policy with intervals.

    Parameters
    ----------
    sessions, summary : pandas.DataFrame
        Made by :func:`elicitation_batch`.

    Attributes
    ----------
    sessions : pandas.DataFrame
        One row per (policy, seed): policy, seed, status, outcome (-1: none),
        u (true utility of the eliciting party), du (discounted),
        opponent_u, questions, cost, net (du - cost), rounds.
    summary : pandas.DataFrame
        Per policy: n, net and its Student's t interval (net_lo, net_hi),
        u, agreement_rate, questions, and net_gain: the paired (same seed)
        difference in net from the first policy with its interval
        (net_gain_lo, net_gain_hi).

    Examples
    --------
    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, Scenario,
    ...                                   boulware, elicitation_batch)
    >>> space = OutcomeSpace({"term": ["1y", "3y"], "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"term": [0.2, 1.0], "support": [1.0, 0.0]}, [0.6, 0.4], space)
    >>> buyer = LinearAdditiveUtilityFunction({"term": [1.0, 0.0], "support": [0.0, 1.0]}, [0.3, 0.7], space)
    >>> b = elicitation_batch(Scenario(seller, buyer), boulware(), policies=["blind", "full"], cost=0.01,
    ...                       seeds=range(5), n_steps=10)
    >>> len(b.sessions), b.summary["questions"].tolist()
    (10, [0.0, 4.0])
    """

    __slots__ = ("confidence", "sessions", "summary")

    def __init__(self, sessions: pd.DataFrame, summary: pd.DataFrame, confidence: float) -> None:
        self.sessions = sessions
        self.summary = summary
        self.confidence = confidence

    def __repr__(self) -> str:
        return f"ElicitationBatchResult({len(self.sessions)} sessions, {len(self.summary)} policies)"


def elicitation_batch(
    scenario: Scenario,
    opponent: Any,
    *,
    party: int = 0,
    policies: Sequence[str] = tuple(_core.negotiation.ELICITATION_POLICIES),
    spread: float | None = None,
    seeds: Iterable[int] = range(100),
    n_steps: int = 100,
    threads: int = 0,
    confidence: float | None = None,
    **options: Unpack[ElicitationKeywords],
) -> ElicitationBatchResult:
    """Play each elicitation policy for party ``party`` against ``opponent``
    on the same scenario, once per seed, each seed drawing the party's
    partial profile around its true weights: weight i in [w_i - spread u_i,
    w_i + spread (1 - u_i)], u_i ~ U(0, 1) from a counter-based stream keyed
    by the seed (lower ends clamped at 0). Every policy meets the same
    profiles, so the net gain over the first policy is a paired difference.
    Rows are identical whatever ``threads``.

    Parameters
    ----------
    scenario : Scenario
        Built from two utility functions; party ``party``'s must be a
        :class:`LinearAdditiveUtilityFunction` (its weights are what is
        uncertain).
    opponent : Strategy
        The other party.
    party : int, default 0
        The eliciting party.
    policies : sequence of str, default every policy (``_core.negotiation.ELICITATION_POLICIES``: blind, pandora, full)
        The policies compared (the first is the baseline of net_gain).
    spread : float, optional
        Width of each weight interval; None: the C++ default
        (``_core.negotiation.ElicitationRunOptions().spread``, 0.3).
    seeds : iterable of int, default range(100)
        One profile (and session) per seed.
    n_steps : int, default 100
        Rounds per session.
    threads : int, default 0
        Worker threads (0: all cores); results do not depend on it.
    confidence : float, optional
        Level of the intervals; None: the C++ default
        (``_core.negotiation.ElicitationRunOptions().confidence``, 0.95).
    **options
        The eliciting negotiator's options but policy (:class:`ElicitationKeywords`:
        cost, max_questions, per_turn, e, opponent_model, window), as in
        :func:`run_elicitation_session`; one left out keeps the C++ default.

    Returns
    -------
    ElicitationBatchResult

    Examples
    --------
    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, Scenario,
    ...                                   boulware, elicitation_batch)
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale")
    >>> b = elicitation_batch(sc, boulware(), cost=0.001, seeds=range(40), n_steps=30)
    >>> b.summary["policy"].tolist(), b.summary["questions"].tolist()[::2]  # (100, premium) is known: 0
    (['blind', 'pandora', 'full'], [0.0, 201.0])
    >>> bool(b.summary["questions"][1] > 0)
    True
    """
    if scenario.ufuns is None or not isinstance(scenario.ufuns[int_arg(party, "party", 0, 1)],
                                                LinearAdditiveUtilityFunction):
        raise invalid("scenario", None, "needs a linear-additive utility function for the eliciting party "
                      "(its weights are what is uncertain); build it with Scenario(u1, u2)")
    names = [str(p) for p in policies]
    if not names:
        raise invalid("policies", None, "is empty")
    if "policy" in options:
        raise invalid("policy", None, "a batch compares `policies` (a sequence of policy names)")
    opts = [_elicitation_options(p, options) for p in names]
    seeds = [int_arg(s, "seeds", 0, 2**63 - 1) for s in seeds]
    run = _core.negotiation.ElicitationRunOptions()  # the C++ defaults
    spread = run.spread if spread is None else real_arg(spread, "spread", 0.0)
    confidence = run.confidence if confidence is None else real_arg(confidence, "confidence", 0.0, 1.0)
    truth = scenario.ufuns[party]
    assert isinstance(truth, LinearAdditiveUtilityFunction)
    rows, sm = _core.negotiation.run_elicitation_batch(
        scenario._core, truth._core, party, _strategy(opponent), opts, seeds, float(spread),
        int_arg(n_steps, "n_steps", 1, 4294967295), threads_arg(threads), float(confidence))
    cat = pd.CategoricalDtype(list(dict.fromkeys(names)))
    sessions = pd.DataFrame({
        "policy": pd.Series([names[i] for i in rows["policy"]], dtype=cat),
        "seed": np.asarray(rows["seed"], dtype=np.int64),
        "status": pd.Categorical(rows["status"], categories=STATUSES),
        "outcome": np.asarray(rows["outcome"], dtype=np.int64),
        "u": np.asarray(rows["u"], dtype=np.float64),
        "du": np.asarray(rows["du"], dtype=np.float64),
        "opponent_u": np.asarray(rows["opponent_u"], dtype=np.float64),
        "questions": np.asarray(rows["questions"], dtype=np.int64),
        "cost": np.asarray(rows["cost"], dtype=np.float64),
        "net": np.asarray(rows["net"], dtype=np.float64),
        "rounds": np.asarray(rows["rounds"], dtype=np.int64),
    })
    summary = pd.DataFrame({"policy": pd.Series([names[i] for i in sm["policy"]], dtype=cat),
                            "n": np.asarray(sm["n"], dtype=np.int64)})
    for k in ("net", "net_lo", "net_hi", "u", "agreement_rate", "questions", "net_gain", "net_gain_lo", "net_gain_hi"):
        summary[k] = np.asarray(sm[k], dtype=np.float64)
    return ElicitationBatchResult(sessions, summary, float(confidence))
