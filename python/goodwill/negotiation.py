"""Bilateral negotiation: outcome spaces, utilities, Genius scenarios, bargaining
analysis, alternating-offers sessions (SAO), strategies and batch runs.

Names follow NegMAS where they can: ``OutcomeSpace`` and issues,
``LinearAdditiveUtilityFunction`` (``values``, ``weights``,
``reserved_value``), an SAO-like session with ``n_steps`` rounds (in each
step both parties act once), ``pareto_frontier``, ``nash_point``,
``kalai_smorodinsky_point``. The work happens in C++; Python strategies and
custom utility callables are supported but run at Python speed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, TypedDict, Unpack

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._columns import int_arg, real_arg, threads_arg
from ._core.negotiation import HyperRectangleUtility as _CoreHyperRectangle
from ._core.negotiation import LinearAdditiveUtility as _CoreUtility
from ._errors import invalid
from .ledger import Ledger

Issue = _core.negotiation.Issue
Strategy = _core.negotiation.Strategy

#: The kinds of an issue (the C++ issue_kind names).
ISSUE_KINDS: list[str] = list(_core.negotiation.ISSUE_KINDS)
#: How a session ends, by code (the C++ session_status names, read from _core).
STATUSES: list[str] = list(_core.negotiation.SESSION_STATUSES)
#: What an offer meant, by code (the C++ offer_tag names).
OFFER_TAGS: list[str] = list(_core.negotiation.OFFER_TAGS)

__all__ = [
    "BargainingAnalysis",
    "ContinuousResult",
    "ElicitationBatchResult",
    "ElicitationKeywords",
    "ElicitationResult",
    "HyperRectangleUtilityFunction",
    "Issue",
    "LinearAdditiveUtilityFunction",
    "MultilateralResult",
    "Negotiator",
    "OutcomeSpace",
    "PartialProfile",
    "RFPResult",
    "Scenario",
    "SessionResult",
    "Strategy",
    "TournamentResult",
    "WeightedUtilityFunction",
    "alternatives_offerer",
    "authority_limited",
    "bargaining_analysis",
    "boulware",
    "conceder",
    "custom_utility",
    "elicitation_batch",
    "hardliner",
    "kalai_smorodinsky_point",
    "linear",
    "load_genius_scenario",
    "load_genius_utilities",
    "max_welfare_point",
    "nash_point",
    "pareto_frontier",
    "plot_session",
    "price_matcher",
    "python_strategy",
    "random_strategy",
    "run_batch",
    "run_continuous_session",
    "run_elicitation_session",
    "run_multilateral_batch",
    "run_multilateral_session",
    "run_rfp",
    "run_rfp_batch",
    "run_session",
    "search_scenario",
    "subgame_perfect",
    "time_dependent",
    "tit_for_tat",
    "tournament",
    "win_lose_buyer",
]


# ---- outcome space ----------------------------------------------------------------


def _make_issue(name: str, values: Any) -> _core.negotiation.Issue:
    """NegMAS-like ``make_issue``: a list of labels, an int n (0..n-1), a
    (lo, hi) pair of ints (integer issue) or of floats (continuous issue)."""
    if isinstance(values, _core.negotiation.Issue):
        return values
    if isinstance(values, (int, np.integer)):
        return _core.negotiation.Issue.integer(name, 0, int(values) - 1)
    if isinstance(values, tuple) and len(values) == 2:
        lo, hi = values
        if isinstance(lo, (int, np.integer)) and isinstance(hi, (int, np.integer)):
            return _core.negotiation.Issue.integer(name, int(lo), int(hi))
        return _core.negotiation.Issue.continuous(name, float(lo), float(hi))
    return _core.negotiation.Issue.categorical(name, [str(v) for v in values])


class OutcomeSpace:
    """Issues and the outcomes they span.

    ``OutcomeSpace([Issue.categorical("support", [...]), Issue.integer("price", 100, 200)])``
    or ``OutcomeSpace({"support": ["basic", "premium"], "price": (100, 200)})``.
    Outcome ids number the outcomes of a discrete space with the last issue
    varying fastest (as ``itertools.product``).

    Parameters
    ----------
    issues : sequence of Issue, or mapping of str to values
        The issues, in order. A mapping gives each issue name its values, as
        NegMAS's ``make_issue``: a list of labels (categorical issue), an int
        ``n`` (the integers 0..n-1), a pair of ints (the integers lo..hi,
        both included) or a pair of floats (the reals in [lo, hi]). An
        ``Issue`` may also be given as a value.

    Examples
    --------
    >>> from goodwill.negotiation import OutcomeSpace
    >>> space = OutcomeSpace({"support": ["basic", "premium"], "price": (100, 102)})
    >>> len(space)
    6
    >>> space.outcome(4)
    {'support': 'premium', 'price': 101}
    >>> space.outcome_id({"support": "basic", "price": 102})
    2
    >>> OutcomeSpace({"seats": 4, "discount": (0.0, 0.2)}).cardinality
    inf
    """

    __slots__ = ("_core",)

    def __init__(self, issues: Sequence[_core.negotiation.Issue] | Mapping[str, Any] | _core.negotiation.OutcomeSpace) -> None:
        if isinstance(issues, _core.negotiation.OutcomeSpace):
            self._core = issues
            return
        if isinstance(issues, Mapping):
            issues = [_make_issue(k, v) for k, v in issues.items()]
        self._core = _core.negotiation.OutcomeSpace(list(issues))

    @property
    def issues(self) -> list[_core.negotiation.Issue]:
        return list(self._core.issues)

    @property
    def issue_names(self) -> list[str]:
        return [i.name for i in self._core.issues]

    @property
    def cardinality(self) -> float:
        """Number of outcomes, without enumerating (``inf`` with a continuous issue)."""
        return self._core.cardinality

    def __len__(self) -> int:
        if not self._core.discrete:
            raise TypeError("a continuous outcome space has no length; see .cardinality")
        return int(self._core.size)

    @property
    def is_discrete(self) -> bool:
        return self._core.discrete

    def _frame(self, values: npt.NDArray[np.float64], labels: bool) -> pd.DataFrame:
        cols: dict[str, Any] = {}
        for j, issue in enumerate(self._core.issues):
            col = values[:, j]
            if issue.kind in ("categorical", "ordinal") and labels:
                cat = pd.Categorical.from_codes(col.astype(np.int64), categories=pd.Index(list(issue.labels)),
                                                ordered=issue.kind == "ordinal")
                cols[issue.name] = cat
            elif issue.kind == "integer":
                cols[issue.name] = col.astype(np.int64)
            else:
                cols[issue.name] = col
        return pd.DataFrame(cols)

    def enumerate(self, *, labels: bool = True, limit: int = 50_000_000) -> pd.DataFrame:
        """Every outcome, one row per outcome id (index ``outcome``)."""
        frame = self._frame(np.asarray(self._core.enumerate(int_arg(limit, "limit", 0, 2**64 - 1))), labels)
        frame.index.name = "outcome"
        return frame

    def sample(self, n: int, seed: int = 0, *, labels: bool = True) -> pd.DataFrame:
        """``n`` outcomes drawn uniformly; row ``r`` depends only on ``(seed, r)``."""
        return self._frame(np.asarray(self._core.sample(int_arg(n, "n", 0, 2**63 - 1),
                                                        int_arg(seed, "seed", 0, 2**64 - 1))), labels)

    def sample_ids(self, n: int, seed: int = 0) -> npt.NDArray[np.uint64]:
        return np.asarray(self._core.sample_ids(int_arg(n, "n", 0, 2**63 - 1), int_arg(seed, "seed", 0, 2**64 - 1)))

    def outcome(self, outcome_id: int) -> dict[str, Any]:
        """An outcome id as ``{issue: value}`` (labels for categorical issues)."""
        values = self._core.decode(int(outcome_id))
        out: dict[str, Any] = {}
        for issue, v in zip(self._core.issues, values):
            if issue.kind in ("categorical", "ordinal"):
                out[issue.name] = issue.labels[int(v)]
            elif issue.kind == "integer":
                out[issue.name] = int(v)
            else:
                out[issue.name] = v
        return out

    def outcome_id(self, outcome: Mapping[str, Any]) -> int:
        """The id of an outcome given as ``{issue: value}``."""
        values = []
        for issue in self._core.issues:
            v = outcome[issue.name]
            if issue.kind in ("categorical", "ordinal") and not isinstance(v, (int, np.integer)):
                v = list(issue.labels).index(str(v))
            values.append(float(v))
        return int(self._core.encode(values))

    def __repr__(self) -> str:
        return f"OutcomeSpace({', '.join(f'{i.name}:{i.kind}' for i in self._core.issues)}; {self.cardinality:g} outcomes)"


# ---- preferences ------------------------------------------------------------------


class LinearAdditiveUtilityFunction:
    """u(o) = sum_i weights[i] * values[i](o_i), with a reservation value and a
    discount factor (u * d^t, t relative time as in Genius; d outside (0, 1]
    means none).

    ``values`` maps each issue name to a dict {label: evaluation} or a list
    (one evaluation per value) for discrete issues, or to ``(slope, offset)``
    for a linear evaluator ``offset + slope * (x - lower)`` clamped to [0, 1]
    (integer and continuous issues).

    Parameters
    ----------
    values : mapping of str to dict, list or (float, float)
        Evaluations of every issue of ``outcome_space``, as above (every
        issue needs one; evaluations are used as given, not normalised).
    weights : mapping of str to float, or sequence of float, optional
        Weight of each issue (by name, missing names weigh 0, or in issue
        order). Default: equal weights summing to 1.
    outcome_space : OutcomeSpace
        The space the utility is defined on (required).
    reserved_value : float, default 0.0
        Utility of no agreement.
    discount_factor : float, default 1.0
        ``d`` in ``u * d^t``; outside (0, 1] no discounting.

    Raises
    ------
    goodwill.InvalidInputError
        Without ``outcome_space``, for an unknown issue name, or an issue
        without evaluations (or missing a value's evaluation).

    Examples
    --------
    >>> from goodwill.negotiation import OutcomeSpace
    >>> space = OutcomeSpace({"support": ["basic", "premium"], "price": (100, 102)})
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction
    >>> buyer = LinearAdditiveUtilityFunction(
    ...     {"support": {"basic": 0.0, "premium": 1.0}, "price": (-0.5, 1.0)},
    ...     {"support": 0.6, "price": 0.4}, space, reserved_value=0.2)
    >>> round(buyer({"support": "premium", "price": 101}), 6)
    0.8
    >>> buyer.evaluate_all().round(6)  # by outcome id: basic 100..102, premium 100..102
    array([0.4, 0.2, 0. , 1. , 0.8, 0.6])
    >>> buyer.reserved_value
    0.2
    """

    __slots__ = ("_core", "outcome_space")
    _core: _core.negotiation.LinearAdditiveUtility
    outcome_space: OutcomeSpace

    def __init__(
        self,
        values: Mapping[str, Any],
        weights: Mapping[str, float] | Sequence[float] | None = None,
        outcome_space: OutcomeSpace | None = None,
        *,
        reserved_value: float = 0.0,
        discount_factor: float = 1.0,
        _core_obj: _CoreUtility | None = None,
    ) -> None:
        if _core_obj is not None:
            self._core = _core_obj
            self.outcome_space = outcome_space if outcome_space is not None else OutcomeSpace(_core_obj.space)
            return
        if outcome_space is None:
            raise invalid("outcome_space", None, "is required")
        self.outcome_space = outcome_space
        names = outcome_space.issue_names
        unknown = set(values) - set(names)
        if unknown:
            raise invalid("values", None, f"unknown issues {sorted(unknown)}")
        if weights is None:
            w = [1.0 / len(names)] * len(names)
        elif isinstance(weights, Mapping):
            w = [float(weights.get(n, 0.0)) for n in names]
        else:
            w = [float(x) for x in weights]
        tables: list[list[float] | None] = []
        linear: list[tuple[float, float] | None] = []
        for issue in outcome_space.issues:
            spec = values.get(issue.name)
            if spec is None:
                raise invalid("values", None, f"issue '{issue.name}' has no evaluations")
            if isinstance(spec, tuple) and len(spec) == 2 and issue.kind in ("integer", "continuous"):
                tables.append(None)
                linear.append((float(spec[0]), float(spec[1])))
            elif isinstance(spec, Mapping):
                labels = list(issue.labels) if issue.kind in ("categorical", "ordinal") else [
                    int(issue.lower) + k for k in range(int(issue.size))
                ]
                missing = [lab for lab in labels if lab not in spec and str(lab) not in spec]
                if missing:
                    raise invalid("values", None, f"issue '{issue.name}' has no evaluation for {missing[:5]}")
                tables.append([float(spec[lab] if lab in spec else spec[str(lab)]) for lab in labels])
                linear.append(None)
            else:
                tables.append([float(x) for x in spec])
                linear.append(None)
        self._core = _core.negotiation.LinearAdditiveUtility(
            outcome_space._core, w, tables, linear, float(reserved_value), float(discount_factor)
        )

    @property
    def reserved_value(self) -> float:
        return self._core.reservation

    @reserved_value.setter
    def reserved_value(self, v: float) -> None:
        self._core.reservation = float(v)

    @property
    def discount_factor(self) -> float:
        return self._core.discount

    @property
    def weights(self) -> list[float]:
        return list(self._core.weights)

    @property
    def cap(self) -> float:
        """Upper bound on the utility: 1 for Genius profiles (Genius returns 1
        for any weighted sum above 1), ``inf`` for none."""
        return float(self._core.cap)

    def __call__(self, outcome: Mapping[str, Any] | int) -> float:
        if isinstance(outcome, (int, np.integer)):
            outcome = self.outcome_space.outcome(int(outcome))
        values = []
        for issue in self.outcome_space.issues:
            v = outcome[issue.name]
            if issue.kind in ("categorical", "ordinal") and not isinstance(v, (int, np.integer)):
                v = list(issue.labels).index(str(v))
            values.append(float(v))
        return float(self._core(values))

    def evaluate_all(self) -> npt.NDArray[np.float64]:
        """Utilities of every outcome, indexed by outcome id (vectorised in C++)."""
        return np.asarray(self._core.evaluate_all_numpy())

    def discounted(self, u: float, t: float) -> float:
        return float(self._core.discounted(u, t))

    def discretized(self, levels: int) -> LinearAdditiveUtilityFunction:
        """The same preferences with each continuous issue cut into ``levels``
        evenly spaced values (labelled by value), so that sessions can run."""
        core = self._core.discretized(int(levels))
        return LinearAdditiveUtilityFunction({}, _core_obj=core, outcome_space=OutcomeSpace(core.space))


def _values_of(outcome_space: OutcomeSpace, outcome: Mapping[str, Any] | int) -> list[float]:
    """An outcome (``{issue: value}`` or an id) as the C++ value vector."""
    if isinstance(outcome, (int, np.integer)):
        outcome = outcome_space.outcome(int(outcome))
    values = []
    for issue in outcome_space.issues:
        v = outcome[issue.name]
        if issue.kind in ("categorical", "ordinal") and not isinstance(v, (int, np.integer)):
            v = list(issue.labels).index(str(v))
        values.append(float(v))
    return values


class HyperRectangleUtilityFunction:
    """A non-linear utility: hyper-rectangles over issue values, each with a
    utility, the utilities of the rectangles that hold an outcome summed (as
    NegMAS's ``HyperRectangleUtilityFunction`` and Genius's non-linear
    profiles).

    A rectangle is a mapping with ``utility`` (float), optional ``weight``
    (default 1; it is worth ``utility * weight``) and either ``includes`` or
    ``excludes``: ``{issue: (min, max)}`` with closed bounds on the issue's
    values (integers for integer issues, reals for continuous ones, value
    indices for labelled issues). An ``includes`` rectangle counts when every
    bound holds; an ``excludes`` rectangle when some bound is violated (the
    outcome lies outside its box, Genius's ``EXCLUDES``); one with neither
    always counts. Genius files load through :func:`load_genius_utilities`.

    Parameters
    ----------
    rectangles : sequence of mapping
        The rectangles, as described above.
    outcome_space : OutcomeSpace
        The issues (discrete or continuous; it need not be enumerable).
    reserved_value : float, default 0.0
        Utility of no agreement.
    discount_factor : float, default 1.0
        ``u * d^t``; a factor outside (0, 1) means none.

    Examples
    --------
    >>> from goodwill.negotiation import HyperRectangleUtilityFunction, OutcomeSpace
    >>> space = OutcomeSpace({"term": (1, 5), "support": (0, 2)})
    >>> u = HyperRectangleUtilityFunction(
    ...     [{"utility": 0.5, "includes": {"term": (3, 5), "support": (2, 2)}},  # premium only with 3+ years
    ...      {"utility": 0.25, "includes": {"term": (1, 2)}},
    ...      {"utility": 0.125, "excludes": {"support": (0, 0)}}], space)
    >>> u({"term": 3, "support": 2}), u({"term": 1, "support": 0}), u({"term": 4, "support": 1})
    (0.625, 0.25, 0.125)
    >>> u.evaluate_all().reshape(5, 3)[2]  # term 3: support 0, 1, 2
    array([0.   , 0.125, 0.625])
    """

    __slots__ = ("_core", "outcome_space")
    _core: _core.negotiation.HyperRectangleUtility
    outcome_space: OutcomeSpace

    def __init__(
        self,
        rectangles: Sequence[Mapping[str, Any]],
        outcome_space: OutcomeSpace | None = None,
        *,
        reserved_value: float = 0.0,
        discount_factor: float = 1.0,
        _core_obj: _CoreHyperRectangle | None = None,
    ) -> None:
        if _core_obj is not None:
            self._core = _core_obj
            self.outcome_space = outcome_space if outcome_space is not None else OutcomeSpace(_core_obj.space)
            return
        if outcome_space is None:
            raise invalid("outcome_space", None, "is required")
        self.outcome_space = outcome_space
        names = outcome_space.issue_names
        rects: list[tuple[list[tuple[int, float, float]], float, float, bool]] = []
        for row, r in enumerate(rectangles):
            if "utility" not in r:
                raise invalid("rectangles", row, "has no 'utility'")
            if "includes" in r and "excludes" in r:
                raise invalid("rectangles", row, "has both 'includes' and 'excludes'")
            box = r.get("excludes", r.get("includes", {}))
            bounds = []
            for name, (lo, hi) in box.items():
                if name not in names:
                    raise invalid("rectangles", row, f"no issue named '{name}'")
                bounds.append((names.index(name), float(lo), float(hi)))
            rects.append((bounds, float(r["utility"]), float(r.get("weight", 1.0)), "excludes" in r))
        self._core = _core.negotiation.HyperRectangleUtility(
            outcome_space._core, rects, float(reserved_value), float(discount_factor)
        )

    @property
    def reserved_value(self) -> float:
        return float(self._core.reservation)

    @reserved_value.setter
    def reserved_value(self, v: float) -> None:
        self._core.reservation = float(v)

    @property
    def discount_factor(self) -> float:
        return float(self._core.discount)

    @property
    def cap(self) -> float:
        """Upper bound on the utility: 1 for Genius profiles, ``inf`` for none."""
        return float(self._core.cap)

    @property
    def rectangle_count(self) -> int:
        return int(self._core.rectangle_count)

    @property
    def max_utility(self) -> float:
        """The divisor of the rectangles' sum (a Genius profile's ``maxutility``; 1 otherwise)."""
        return float(self._core.max_utility)

    @property
    def fast_path(self) -> bool:
        """Whether :meth:`evaluate_all` runs at linear-additive speed (every
        rectangle summed, none nested, and few enough corners)."""
        return bool(self._core.fast_path)

    def __call__(self, outcome: Mapping[str, Any] | int) -> float:
        return float(self._core(_values_of(self.outcome_space, outcome)))

    def evaluate_all(self) -> npt.NDArray[np.float64]:
        """Utilities of every outcome, indexed by outcome id (C++; at
        linear-additive speed for sum-only rectangles)."""
        return np.asarray(self._core.evaluate_all_numpy())

    def __repr__(self) -> str:
        return f"HyperRectangleUtilityFunction({self.rectangle_count} rectangles, reserved_value={self.reserved_value})"


class WeightedUtilityFunction:
    """A weighted sum of utility functions over one space,
    ``u(o) = sum_k weights[k] * ufuns[k](o)`` (NegMAS's
    ``WeightedUtilityFunction``): mix a linear-additive part with package
    deals written as hyper-rectangles.

    Parameters
    ----------
    ufuns : sequence of LinearAdditiveUtilityFunction or HyperRectangleUtilityFunction
        The parts, all over the same outcome space.
    weights : sequence of float
        One weight per part.
    reserved_value : float, default 0.0
        Utility of no agreement.
    discount_factor : float, default 1.0
        ``u * d^t``; a factor outside (0, 1) means none.

    Examples
    --------
    >>> from goodwill.negotiation import (HyperRectangleUtilityFunction, LinearAdditiveUtilityFunction,
    ...                                   OutcomeSpace, WeightedUtilityFunction)
    >>> space = OutcomeSpace({"term": (1, 3), "support": ["basic", "premium"]})
    >>> price = LinearAdditiveUtilityFunction({"term": [0.0, 0.5, 1.0], "support": [1.0, 0.0]}, [0.5, 0.5], space)
    >>> bundle = HyperRectangleUtilityFunction([{"utility": 1.0, "includes": {"term": (3, 3), "support": (1, 1)}}],
    ...                                        space)
    >>> u = WeightedUtilityFunction([price, bundle], [0.75, 0.25], reserved_value=0.1)
    >>> u({"term": 3, "support": "premium"}), u({"term": 2, "support": "basic"})  # 0.75*0.5 + 0.25*1, 0.75*0.75
    (0.625, 0.5625)
    """

    __slots__ = ("_core", "outcome_space")
    _core: _core.negotiation.WeightedSumUtility
    outcome_space: OutcomeSpace

    def __init__(
        self,
        ufuns: Sequence[LinearAdditiveUtilityFunction | HyperRectangleUtilityFunction],
        weights: Sequence[float],
        *,
        reserved_value: float = 0.0,
        discount_factor: float = 1.0,
    ) -> None:
        if not ufuns:
            raise invalid("ufuns", None, "needs at least one utility function")
        self.outcome_space = ufuns[0].outcome_space
        self._core = _core.negotiation.WeightedSumUtility(
            [u._core for u in ufuns], [float(w) for w in weights], float(reserved_value), float(discount_factor)
        )

    @property
    def reserved_value(self) -> float:
        return float(self._core.reservation)

    @property
    def discount_factor(self) -> float:
        return float(self._core.discount)

    @property
    def weights(self) -> list[float]:
        return list(self._core.weights)

    def __call__(self, outcome: Mapping[str, Any] | int) -> float:
        return float(self._core(_values_of(self.outcome_space, outcome)))

    def evaluate_all(self) -> npt.NDArray[np.float64]:
        """Utilities of every outcome, indexed by outcome id."""
        return np.asarray(self._core.evaluate_all_numpy())


UtilityFunction = LinearAdditiveUtilityFunction | HyperRectangleUtilityFunction | WeightedUtilityFunction
GeniusUtility = LinearAdditiveUtilityFunction | HyperRectangleUtilityFunction


def custom_utility(outcome_space: OutcomeSpace, fn: Callable[[dict[str, Any]], float]) -> npt.NDArray[np.float64]:
    """Evaluate a Python callable ``fn({issue: value}) -> float`` on every
    outcome (slower: one Python call per outcome) into an array usable by
    :meth:`Scenario.from_arrays`.

    Parameters
    ----------
    outcome_space : OutcomeSpace
        A discrete space (its outcomes are enumerated).
    fn : callable
        Called with each outcome as ``{issue: value}`` (labels for
        categorical issues, ints for integer ones); returns its utility.

    Returns
    -------
    numpy.ndarray
        ``fn`` of every outcome, indexed by outcome id (float64).

    Examples
    --------
    >>> from goodwill.negotiation import OutcomeSpace
    >>> space = OutcomeSpace({"support": ["basic", "premium"], "price": (100, 102)})
    >>> from goodwill.negotiation import custom_utility
    >>> custom_utility(space, lambda o: (o["price"] - 100) / 2 - 0.25 * (o["support"] == "premium"))
    array([ 0.  ,  0.5 ,  1.  , -0.25,  0.25,  0.75])
    """
    frame = outcome_space.enumerate()
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    return np.fromiter((float(fn(r)) for r in records), dtype=np.float64, count=len(records))


# ---- bargaining -------------------------------------------------------------------


def pareto_frontier(u1: npt.ArrayLike, u2: npt.ArrayLike) -> pd.DataFrame:
    """Pareto-optimal outcomes (indices into u1/u2), u1 falling: a sorted sweep, O(n log n).

    Parameters
    ----------
    u1, u2 : array_like
        Both parties' utilities of every outcome (same length).

    Returns
    -------
    pandas.DataFrame
        One row per Pareto-optimal outcome, ``u1`` falling: ``outcome``
        (index into ``u1``/``u2``), ``u1``, ``u2``.

    Examples
    --------
    >>> from goodwill.negotiation import pareto_frontier
    >>> u1 = [0.0, 0.6, 0.95, 1.0, 0.5]
    >>> u2 = [1.0, 0.6, 0.3, 0.0, 0.5]
    >>> pareto_frontier(u1, u2)  # outcome 4 is dominated by outcome 1
       outcome    u1   u2
    0        3  1.00  0.0
    1        2  0.95  0.3
    2        1  0.60  0.6
    3        0  0.00  1.0
    """
    a = np.ascontiguousarray(u1, dtype=np.float64)
    b = np.ascontiguousarray(u2, dtype=np.float64)
    idx, f1, f2 = _core.negotiation.pareto_frontier(a, b)
    return pd.DataFrame({"outcome": np.asarray(idx, dtype=np.int64), "u1": f1, "u2": f2})


def _points(
    u1: npt.ArrayLike, u2: npt.ArrayLike, r1: float, r2: float
) -> dict[str, tuple[int | None, float, float]]:
    return _core.negotiation.bargaining_points(
        np.ascontiguousarray(u1, dtype=np.float64), np.ascontiguousarray(u2, dtype=np.float64), float(r1), float(r2)
    )


def nash_point(u1: npt.ArrayLike, u2: npt.ArrayLike, r1: float = 0.0, r2: float = 0.0) -> tuple[int | None, float, float]:
    """(outcome, u1, u2) maximising (u1 - r1)(u2 - r2) over outcomes at or above
    both reservation values; (None, nan, nan) if there is none.

    Parameters
    ----------
    u1, u2 : array_like
        Both parties' utilities of every outcome (same length).
    r1, r2 : float, default 0.0
        Reservation values (the disagreement point).

    Returns
    -------
    tuple of (int or None, float, float)
        The outcome (index into ``u1``/``u2``) and its two utilities;
        ``(None, nan, nan)`` when no outcome is at or above both reservation
        values.

    Examples
    --------
    >>> from goodwill.negotiation import nash_point
    >>> u1 = [0.0, 0.6, 0.95, 1.0, 0.5]
    >>> u2 = [1.0, 0.6, 0.3, 0.0, 0.5]
    >>> nash_point(u1, u2)
    (1, 0.6, 0.6)
    >>> nash_point(u1, u2, r1=0.7)  # party 1 needs 0.7: the point moves its way
    (2, 0.95, 0.3)
    >>> nash_point(u1, u2, r1=1.5)
    (None, nan, nan)
    """
    return _points(u1, u2, r1, r2)["nash"]


def kalai_smorodinsky_point(u1: npt.ArrayLike, u2: npt.ArrayLike, r1: float = 0.0, r2: float = 0.0) -> tuple[int | None, float, float]:
    """(outcome, u1, u2) maximising the smaller relative gain over the disagreement point.

    Each party's gain ``u - r`` is taken relative to its best gain over the
    outcomes at or above both reservation values (its ideal point).

    Parameters
    ----------
    u1, u2 : array_like
        Both parties' utilities of every outcome (same length).
    r1, r2 : float, default 0.0
        Reservation values (the disagreement point).

    Returns
    -------
    tuple of (int or None, float, float)
        The outcome (index into ``u1``/``u2``) and its two utilities;
        ``(None, nan, nan)`` when no outcome is at or above both reservation
        values.

    Examples
    --------
    >>> from goodwill.negotiation import kalai_smorodinsky_point
    >>> u1 = [0.0, 0.6, 0.95, 1.0, 0.5]
    >>> u2 = [1.0, 0.6, 0.3, 0.0, 0.5]
    >>> kalai_smorodinsky_point(u1, u2)
    (1, 0.6, 0.6)
    >>> kalai_smorodinsky_point(u1, u2, r1=0.7)
    (2, 0.95, 0.3)
    """
    return _points(u1, u2, r1, r2)["kalai_smorodinsky"]


def max_welfare_point(u1: npt.ArrayLike, u2: npt.ArrayLike, r1: float = -np.inf, r2: float = -np.inf) -> tuple[int | None, float, float]:
    """(outcome, u1, u2) maximising u1 + u2 (over outcomes at or above r1, r2).

    Parameters
    ----------
    u1, u2 : array_like
        Both parties' utilities of every outcome (same length).
    r1, r2 : float, default -inf
        Reservation values (default: every outcome counts).

    Returns
    -------
    tuple of (int or None, float, float)
        The outcome (index into ``u1``/``u2``) and its two utilities;
        ``(None, nan, nan)`` when no outcome is at or above both reservation
        values.

    Examples
    --------
    >>> from goodwill.negotiation import max_welfare_point, nash_point
    >>> u1 = [0.0, 0.6, 0.95, 1.0, 0.5]
    >>> u2 = [1.0, 0.6, 0.3, 0.0, 0.5]
    >>> max_welfare_point(u1, u2)  # welfare 1.25, against 1.2 at the Nash point
    (2, 0.95, 0.3)
    >>> nash_point(u1, u2)
    (1, 0.6, 0.6)
    """
    return _points(u1, u2, r1, r2)["max_welfare"]


class BargainingAnalysis:
    """What :func:`bargaining_analysis` found: the Pareto frontier as outcomes
    with both utilities, the Nash, Kalai-Smorodinsky and maximum-welfare
    points, and whether the analysis was exact or approximate.

    Built by :func:`bargaining_analysis`, not by hand.

    Parameters
    ----------
    outcome_space : OutcomeSpace
        The space the outcomes come from.
    d : dict
        The C++ result (values, frontier, points, approximate, evaluations, method).

    Attributes
    ----------
    frontier : pandas.DataFrame
        One row per frontier outcome (u1 falling): the issue values, ``u1``, ``u2``.
    nash, kalai_smorodinsky, max_welfare : dict or None
        ``{issue: value, ..., "u1": .., "u2": ..}``; None when no outcome is at
        or above both reservation values.
    approximate : bool
        True when the space was sampled and searched (too big to enumerate):
        every point is a real outcome with its exact utilities, but better
        outcomes may exist.
    evaluations : int
        Outcomes evaluated.
    method : str
        ``"exact enumeration"`` or the sampling method with its settings.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, bargaining_analysis
    >>> space = OutcomeSpace({"price": (0, 9), "term": (1, 3)})
    >>> seller = LinearAdditiveUtilityFunction({"price": (1 / 9, 0.0), "term": [0.0, 0.5, 1.0]}, [0.5, 0.5], space)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-1 / 9, 1.0), "term": [1.0, 0.5, 0.0]}, [0.8, 0.2], space)
    >>> a = bargaining_analysis(seller, buyer)
    >>> a.approximate, a.evaluations, a.method
    (False, 30, 'exact enumeration')
    """

    __slots__ = ("approximate", "evaluations", "frontier", "kalai_smorodinsky", "max_welfare", "method", "nash")

    def __init__(self, outcome_space: OutcomeSpace, d: dict[str, Any]) -> None:
        k = int(d["issue_count"])
        values = np.asarray(d["values"], dtype=np.float64).reshape(-1, k)
        rows, u1, u2 = d["frontier"]
        rows = np.asarray(rows, dtype=np.int64)

        def outcome(row: int) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for issue, v in zip(outcome_space.issues, values[row]):
                if issue.kind in ("categorical", "ordinal"):
                    out[issue.name] = issue.labels[int(v)]
                elif issue.kind == "integer":
                    out[issue.name] = int(v)
                else:
                    out[issue.name] = float(v)
            return out

        frame = pd.DataFrame([outcome(int(r)) for r in rows], columns=outcome_space.issue_names)
        frame["u1"] = np.asarray(u1, dtype=np.float64)
        frame["u2"] = np.asarray(u2, dtype=np.float64)
        self.frontier = frame

        def point(p: tuple[int | None, float, float]) -> dict[str, Any] | None:
            if p[0] is None:
                return None
            return {**outcome(int(p[0])), "u1": float(p[1]), "u2": float(p[2])}

        self.nash = point(d["nash"])
        self.kalai_smorodinsky = point(d["kalai_smorodinsky"])
        self.max_welfare = point(d["max_welfare"])
        self.approximate = bool(d["approximate"])
        self.evaluations = int(d["evaluations"])
        self.method = str(d["method"])

    def __repr__(self) -> str:
        kind = "approximate" if self.approximate else "exact"
        return f"BargainingAnalysis({kind}, {len(self.frontier)} frontier outcomes, nash={self.nash})"


def bargaining_analysis(
    u1: UtilityFunction,
    u2: UtilityFunction,
    *,
    samples: int | None = None,
    climbs: int | None = None,
    passes: int | None = None,
    values_per_issue: int | None = None,
    seed: int | None = None,
    exact_limit: int | None = None,
) -> BargainingAnalysis:
    """Pareto frontier and bargaining points of two utility functions (any
    kind), exact on spaces small enough to enumerate, approximate on larger
    ones (continuous issues, 10^10 outcomes and up) — and the result says which.

    The approximate method: ``samples`` uniform draws (reproducible from
    ``seed``) and their frontier; from ``climbs`` points spread along it,
    coordinate ascent on ``lambda u1 + (1 - lambda) u2`` (lambda the point's
    place on the frontier), each pass trying every value of a small issue or
    ``values_per_issue`` evenly spaced values (and the neighbours) of a large
    or continuous one, at most ``passes`` passes; the frontier and points of
    every outcome reached. Defaults come from C++
    (``_core.negotiation.approximate_bargaining_defaults()``).

    Parameters
    ----------
    u1, u2 : LinearAdditiveUtilityFunction, HyperRectangleUtilityFunction or WeightedUtilityFunction
        The two parties' utilities over one space (reservation values from them).
    samples, climbs, passes, values_per_issue, seed : int, optional
        The approximate method's settings (see above).
    exact_limit : int, optional
        Spaces with at most this many outcomes are enumerated (exact).

    Returns
    -------
    BargainingAnalysis
        Frontier, Nash, Kalai-Smorodinsky and maximum-welfare points, and the
        ``approximate`` flag with the method used.

    Examples
    --------
    Thirty issues of 100 values (10^60 outcomes), a package bonus each side:

    >>> from goodwill.negotiation import HyperRectangleUtilityFunction, OutcomeSpace, bargaining_analysis
    >>> space = OutcomeSpace({f"i{k}": (0, 99) for k in range(30)})
    >>> seller = HyperRectangleUtilityFunction(
    ...     [{"utility": 1 / 30, "includes": {f"i{k}": (50, 99)}} for k in range(30)], space)
    >>> buyer = HyperRectangleUtilityFunction(
    ...     [{"utility": 1 / 30, "includes": {f"i{k}": (0, 59)}} for k in range(30)], space)
    >>> a = bargaining_analysis(seller, buyer, samples=2000)
    >>> a.approximate, round(a.nash["u1"], 9), round(a.nash["u2"], 9)
    (True, 1.0, 1.0)
    >>> a.method
    'uniform sample of 2000 (seed 0), coordinate ascent from 64 frontier points (4 passes, 64 values per issue)'
    """
    d = dict(_core.negotiation.approximate_bargaining_defaults())
    for key, v in (("samples", samples), ("climbs", climbs), ("passes", passes),
                   ("values_per_issue", values_per_issue), ("seed", seed), ("exact_limit", exact_limit)):
        if v is not None:
            d[key] = int_arg(v, key, 0, 2**63 - 1)
    return BargainingAnalysis(
        u1.outcome_space,
        _core.negotiation.bargaining_analysis(u1._core, u2._core, d["samples"], d["climbs"], d["passes"],
                                  d["values_per_issue"], d["seed"], d["exact_limit"]),
    )


# ---- scenario ------------------------------------------------------------------------


class Scenario:
    """Two parties' utilities of every outcome of a discrete space, with the
    bargaining points precomputed. Build from two utility functions, from
    arrays (e.g. :func:`custom_utility`, with :meth:`Scenario.from_arrays`),
    or from Genius files (:func:`load_genius_scenario`).

    Parameters
    ----------
    u1, u2 : LinearAdditiveUtilityFunction, HyperRectangleUtilityFunction or WeightedUtilityFunction
        The first and second party's utilities, on the same discrete outcome
        space (their reservation values and discount factors come along).
    name : str, default ""
        Name used in batch and tournament results.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> len(sc)
    202
    >>> sc.outcome_space.outcome(179)
    {'price': 189, 'support': 'premium'}
    >>> sc.nash_point, sc.reserved_values
    ((179, 0.623, 0.466), (0.2, 0.1))
    >>> sc.pareto_frontier().head(2)
       outcome     u1     u2
    0      200  1.000  0.000
    1      198  0.993  0.006
    """

    __slots__ = ("_core", "outcome_space", "ufuns")
    _core: _core.negotiation.Scenario
    outcome_space: OutcomeSpace
    ufuns: tuple[UtilityFunction, UtilityFunction] | None

    def __init__(self, u1: UtilityFunction, u2: UtilityFunction, name: str = "") -> None:
        if isinstance(u1, LinearAdditiveUtilityFunction) and isinstance(u2, LinearAdditiveUtilityFunction):
            self._core = _core.negotiation.Scenario(u1._core, u2._core, name)
        else:
            # non-linear preferences: every outcome evaluated once (C++), then
            # the same scenario machinery (rankings, frontier) as for linear ones
            self._core = _core.negotiation.Scenario(
                u1.outcome_space._core, u1.evaluate_all(), u2.evaluate_all(),
                u1.reserved_value, u2.reserved_value, u1.discount_factor, u2.discount_factor, name,
            )
        self.outcome_space = u1.outcome_space
        self.ufuns = (u1, u2)

    @classmethod
    def from_arrays(
        cls,
        outcome_space: OutcomeSpace,
        u1: npt.ArrayLike,
        u2: npt.ArrayLike,
        *,
        reserved_values: tuple[float, float] = (0.0, 0.0),
        discount_factors: tuple[float, float] = (1.0, 1.0),
        name: str = "",
    ) -> Scenario:
        self = cls.__new__(cls)
        self._core = _core.negotiation.Scenario(
            outcome_space._core,
            np.asarray(u1, dtype=np.float64),
            np.asarray(u2, dtype=np.float64),
            float(reserved_values[0]),
            float(reserved_values[1]),
            float(discount_factors[0]),
            float(discount_factors[1]),
            name,
        )
        self.outcome_space = outcome_space
        self.ufuns = None
        return self

    @property
    def name(self) -> str:
        return self._core.name

    def __len__(self) -> int:
        return int(self._core.size)

    def utilities(self) -> pd.DataFrame:
        """u1 and u2 of every outcome (index: outcome id)."""
        return pd.DataFrame({"u1": self._core.utility(0), "u2": self._core.utility(1)}, index=pd.RangeIndex(len(self), name="outcome"))

    @property
    def reserved_values(self) -> tuple[float, float]:
        return (self._core.reservation(0), self._core.reservation(1))

    def pareto_frontier(self) -> pd.DataFrame:
        idx, f1, f2 = self._core.frontier
        return pd.DataFrame({"outcome": np.asarray(idx, dtype=np.int64), "u1": f1, "u2": f2})

    @property
    def nash_point(self) -> tuple[int | None, float, float]:
        return self._core.nash

    @property
    def kalai_smorodinsky_point(self) -> tuple[int | None, float, float]:
        return self._core.kalai_smorodinsky

    @property
    def max_welfare_point(self) -> tuple[int | None, float, float]:
        return self._core.max_welfare

    @property
    def price_issue(self) -> str | None:
        """The name of the price issue (:meth:`set_price_issue`), or None."""
        i = self._core.price_issue
        return None if i is None else self.outcome_space.issues[int(i)].name

    def set_price_issue(self, issue: str, prices: Sequence[float] | None = None) -> Scenario:
        """Declare the price issue (currency per value; default: the integer
        value or the number in a label such as "$4.37")."""
        self._core.set_price_issue(self.outcome_space._core.issue_index(issue), list(prices or []))
        return self

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, {len(self)} outcomes, nash={self.nash_point})"


def load_genius_utilities(
    domain: str | os.PathLike[str], profile1: str | os.PathLike[str], profile2: str | os.PathLike[str]
) -> tuple[OutcomeSpace, GeniusUtility, GeniusUtility]:
    """A Genius domain and two profiles as an outcome space and two utility
    functions, without enumerating the outcomes.

    Profiles may be linear-additive or non-linear (``utility_space
    type="nonlinear"``, ANAC 2014: hyper-rectangles in a ``<ufun>`` tree),
    read as Genius 10.4's ``NonlinearUtilitySpace`` reads them (utility
    divided by ``maxutility``, 1 above 1); a malformed non-linear profile is
    refused as ``FILE:LINE: reason``.

    Use it for spaces too large for :func:`load_genius_scenario` (more than
    50 million outcomes: that refuses them, naming the cardinality) or with
    real issues: the space can still be sampled and the utilities evaluated.

    Parameters
    ----------
    domain : str or os.PathLike
        The Genius domain file (issues and their values).
    profile1, profile2 : str or os.PathLike
        The two parties' utility profiles on that domain.

    Returns
    -------
    tuple of (OutcomeSpace, utility function, utility function)
        The space and the two utility functions (each a
        LinearAdditiveUtilityFunction or a HyperRectangleUtilityFunction),
        evaluated as :func:`load_genius_scenario` describes.

    Raises
    ------
    goodwill.InvalidInputError
        For a file goodwill's strict reader refuses, as ``FILE:LINE: reason``.

    Examples
    --------
    A two-issue domain written on the fly (discrete evaluations are divided by
    the issue's largest, so red 3 and blue 6 become 0.5 and 1):

    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "domain.xml").write_text(
    ...     '<negotiation_template><utility_space number_of_issues="2">'
    ...     '<issue index="1" name="colour" type="discrete">'
    ...     '<item index="1" value="red"/><item index="2" value="blue"/></issue>'
    ...     '<issue index="2" name="seats" lowerbound="1" upperbound="3" type="integer"/>'
    ...     '</utility_space></negotiation_template>')
    >>> def profile(red, blue, slope, offset):
    ...     return ('<utility_space><issue index="1" name="colour" type="discrete">'
    ...             f'<item index="1" value="red" evaluation="{red}"/>'
    ...             f'<item index="2" value="blue" evaluation="{blue}"/></issue>'
    ...             '<issue index="2" name="seats" lowerbound="1" upperbound="3" type="integer">'
    ...             f'<evaluator ftype="linear" slope="{slope}" offset="{offset}"/></issue>'
    ...             '<weight index="1" value="0.4"/><weight index="2" value="0.6"/>'
    ...             '<reservation value="0.25"/></utility_space>')
    >>> _ = (d / "seller.xml").write_text(profile(3, 6, 0.25, 0.5))
    >>> _ = (d / "buyer.xml").write_text(profile(6, 3, -0.5, 1.0))
    >>> from goodwill.negotiation import load_genius_utilities
    >>> space, seller, buyer = load_genius_utilities(d / "domain.xml", d / "seller.xml", d / "buyer.xml")
    >>> space
    OutcomeSpace(colour:categorical, seats:integer; 6 outcomes)
    >>> seller({"colour": "red", "seats": 3}), seller.weights, seller.reserved_value
    (0.8, [0.4, 0.6], 0.25)
    >>> buyer.evaluate_all()  # red counts 1, blue 0.5; seats 1, 2, 3 count 1, 0.5, 0
    array([1. , 0.7, 0.4, 0.8, 0.5, 0.2])
    """
    space = _core.negotiation.load_genius_domain(os.fspath(domain))
    os_ = OutcomeSpace(space)

    def wrap(core: _core.negotiation.LinearAdditiveUtility | _core.negotiation.HyperRectangleUtility) -> GeniusUtility:
        if isinstance(core, _core.negotiation.HyperRectangleUtility):
            return HyperRectangleUtilityFunction([], _core_obj=core, outcome_space=os_)
        return LinearAdditiveUtilityFunction({}, _core_obj=core, outcome_space=os_)

    return (
        os_,
        wrap(_core.negotiation.load_genius_utility(space, os.fspath(profile1))),
        wrap(_core.negotiation.load_genius_utility(space, os.fspath(profile2))),
    )


def load_genius_scenario(
    domain: str | os.PathLike[str], profile1: str | os.PathLike[str], profile2: str | os.PathLike[str], name: str = ""
) -> Scenario:
    """A Genius (ANAC) domain and two profiles, evaluated as Genius 10.4 does.

    Discrete evaluations are divided by the issue's largest (negative ones
    kept), integer and real issues use Genius's linear evaluators, and a
    utility above 1 is 1 (Genius's cap). Files are read with goodwill's own
    strict XML reader: DTDs and entities are refused, size (16 MiB) and
    nesting (64) are bounded, text must be UTF-8 (or declare ISO-8859-1) and
    hold no NUL byte; duplicate values or weights are refused. Every refusal
    is a :class:`goodwill.InvalidInputError` reading ``FILE:LINE: reason``.
    Spaces above 50 million outcomes are refused with their cardinality:
    load them with :func:`load_genius_utilities` and sample.

    Parameters
    ----------
    domain : str or os.PathLike
        The Genius domain file (issues and their values).
    profile1, profile2 : str or os.PathLike
        The first and second party's utility profiles on that domain.
    name : str, default ""
        Name of the scenario; default: the name of the domain's folder.

    Returns
    -------
    Scenario
        Both parties' utilities of every outcome, with the Pareto frontier and
        the bargaining points.

    Raises
    ------
    goodwill.InvalidInputError
        For a file the reader refuses (``FILE:LINE: reason``) or a space above
        50 million outcomes.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "domain.xml").write_text(
    ...     '<negotiation_template><utility_space number_of_issues="2">'
    ...     '<issue index="1" name="colour" type="discrete">'
    ...     '<item index="1" value="red"/><item index="2" value="blue"/></issue>'
    ...     '<issue index="2" name="seats" lowerbound="1" upperbound="3" type="integer"/>'
    ...     '</utility_space></negotiation_template>')
    >>> def profile(red, blue, slope, offset):
    ...     return ('<utility_space><issue index="1" name="colour" type="discrete">'
    ...             f'<item index="1" value="red" evaluation="{red}"/>'
    ...             f'<item index="2" value="blue" evaluation="{blue}"/></issue>'
    ...             '<issue index="2" name="seats" lowerbound="1" upperbound="3" type="integer">'
    ...             f'<evaluator ftype="linear" slope="{slope}" offset="{offset}"/></issue>'
    ...             '<weight index="1" value="0.4"/><weight index="2" value="0.6"/>'
    ...             '<reservation value="0.25"/></utility_space>')
    >>> _ = (d / "seller.xml").write_text(profile(3, 6, 0.25, 0.5))
    >>> _ = (d / "buyer.xml").write_text(profile(6, 3, -0.5, 1.0))
    >>> from goodwill.negotiation import load_genius_scenario
    >>> sc = load_genius_scenario(d / "domain.xml", d / "seller.xml", d / "buyer.xml", name="cars")
    >>> sc
    Scenario('cars', 6 outcomes, nash=(3, 0.7, 0.8))
    >>> sc.outcome_space.outcome(3)
    {'colour': 'blue', 'seats': 1}
    >>> sc.utilities()
               u1   u2
    outcome
    0        0.50  1.0
    1        0.65  0.7
    2        0.80  0.4
    3        0.70  0.8
    4        0.85  0.5
    5        1.00  0.2
    """
    _, a, b = load_genius_utilities(domain, profile1, profile2)
    return Scenario(a, b, name or os.path.basename(os.path.dirname(os.fspath(domain))))


# ---- strategies ----------------------------------------------------------------------


def time_dependent(e: float, k: float = 0.0, *, acceptance: str = "next", alpha: float = 1.0, beta: float = 0.0,
                   c: float = 1.0, T: float = 0.99, opponent_model: bool = False, name: str = "") -> Strategy:
    """Time-dependent concession f(t) = k + (1 - k) t^(1/e); acceptance one of
    "next" (alpha u + beta >= u(next offer)), "const" (u >= c), "time" (t >= T),
    "combi" (AC_next, or after T anything as good as the best received).

    At relative time t the strategy offers an outcome whose own utility is
    about ``1 - f(t)`` of the way from its best outcome down to its
    reservation value.

    Parameters
    ----------
    e : float
        Concession exponent: below 1 concedes late (Boulware), 1 linearly,
        above 1 early (Conceder), 0 never.
    k : float, default 0.0
        Share of the concession made at once, at t = 0.
    acceptance : str, default "next"
        Acceptance condition: "next", "const", "time" or "combi" (above).
    alpha, beta : float, default 1.0 and 0.0
        Parameters of "next" (and "combi").
    c : float, default 1.0
        Threshold of "const".
    T : float, default 0.99
        Relative time of "time" (and "combi").
    opponent_model : bool, default False
        Among outcomes of about the target utility, offer the one the
        opponent (estimated from its offers) likes most.
    name : str, default ""
        Name in results; default ``time_dependent(e=...)``.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    Who concedes later gets more (party 1 sells, party 2 buys):

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import run_session, time_dependent
    >>> run_session(sc, time_dependent(0.2), time_dependent(5.0), n_steps=20).agreement
    {'price': 174, 'support': 'basic'}
    >>> run_session(sc, time_dependent(5.0), time_dependent(0.2), n_steps=20).agreement
    {'price': 135, 'support': 'premium'}
    >>> time_dependent(2.0).name
    'time_dependent(e=2.000000)'
    """
    return _core.negotiation.time_dependent(
        real_arg(e, "e", 0.0), real_arg(k, "k", 0.0, 1.0), acceptance, real_arg(alpha, "alpha"),
        real_arg(beta, "beta"), real_arg(c, "c", 0.0, 1.0), real_arg(T, "T", 0.0, 1.0), opponent_model, name)


def boulware(e: float = 0.2, **kw: Any) -> Strategy:
    """Concedes late (e < 1): a :func:`time_dependent` strategy named "boulware".

    Parameters
    ----------
    e : float, default 0.2
        Concession exponent (below 1).
    **kw
        Any other keyword argument of :func:`time_dependent` (``k``,
        ``acceptance``, ``alpha``, ``beta``, ``c``, ``T``,
        ``opponent_model``, ``name``).

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, run_session
    >>> r = run_session(sc, boulware(), conceder(), n_steps=20)
    >>> r.agreement, round(r.utilities[0], 3), round(r.utilities[1], 3)
    ({'price': 174, 'support': 'basic'}, 0.818, 0.156)
    >>> boulware().name
    'boulware'
    """
    return time_dependent(e, name=kw.pop("name", "boulware"), **kw)


def conceder(e: float = 5.0, **kw: Any) -> Strategy:
    """Concedes early (e > 1): a :func:`time_dependent` strategy named "conceder".

    Parameters
    ----------
    e : float, default 5.0
        Concession exponent (above 1).
    **kw
        Any other keyword argument of :func:`time_dependent` (``k``,
        ``acceptance``, ``alpha``, ``beta``, ``c``, ``T``,
        ``opponent_model``, ``name``).

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, run_session
    >>> r = run_session(sc, conceder(), boulware(), n_steps=20)  # the seller concedes early
    >>> r.agreement, round(r.utilities[0], 3), round(r.utilities[1], 3)
    ({'price': 135, 'support': 'premium'}, 0.245, 0.79)
    """
    return time_dependent(e, name=kw.pop("name", "conceder"), **kw)


def linear(**kw: Any) -> Strategy:
    """Concedes linearly in time (e = 1): a :func:`time_dependent` strategy named "linear".

    Parameters
    ----------
    **kw
        Any other keyword argument of :func:`time_dependent` (``k``,
        ``acceptance``, ``alpha``, ``beta``, ``c``, ``T``,
        ``opponent_model``, ``name``).

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import linear, run_session
    >>> r = run_session(sc, linear(), linear(), n_steps=20)
    >>> r.agreement, r.rounds
    ({'price': 188, 'support': 'premium'}, 12)
    """
    return time_dependent(1.0, name=kw.pop("name", "linear"), **kw)


def hardliner(**kw: Any) -> Strategy:
    """Never concedes (e = 0): a :func:`time_dependent` strategy named "hardliner".

    Parameters
    ----------
    **kw
        Any other keyword argument of :func:`time_dependent` (``k``,
        ``acceptance``, ``alpha``, ``beta``, ``c``, ``T``,
        ``opponent_model``, ``name``).

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    Against a buyer who will not go below its reservation value, the
    deadline passes and each side gets its own reservation value:

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import conceder, hardliner, run_session
    >>> r = run_session(sc, hardliner(), conceder(), n_steps=20)
    >>> r.status, r.agreement, r.utilities
    ('deadline', None, (0.2, 0.1))
    """
    return time_dependent(0.0, name=kw.pop("name", "hardliner"), **kw)


def tit_for_tat(factor: float = 1.0, *, acceptance: str = "next", opponent_model: bool = False) -> Strategy:
    """Concedes as much (own) utility as the opponent's offers have improved for us.

    Parameters
    ----------
    factor : float, default 1.0
        Own concession per unit of the opponent's improvement.
    acceptance : str, default "next"
        Acceptance condition, as in :func:`time_dependent`.
    opponent_model : bool, default False
        Offer, among outcomes of the target utility, the one the opponent
        (estimated from its offers) likes most.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    Mirroring a Boulware seller, the buyer ends near the Nash point
    (0.623, 0.466):

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, run_session, tit_for_tat
    >>> r = run_session(sc, boulware(), tit_for_tat(), n_steps=20)
    >>> r.agreement, round(r.utilities[0], 3), round(r.utilities[1], 3)
    ({'price': 176, 'support': 'premium'}, 0.532, 0.544)
    """
    return _core.negotiation.tit_for_tat(real_arg(factor, "factor", 0.0), acceptance, 1.0, 0.0, 1.0, 0.99, opponent_model)


def random_strategy(p_accept: float = 0.5) -> Strategy:
    """Random rational offers, accepts rational offers with probability p (seeded).

    Parameters
    ----------
    p_accept : float, default 0.5
        Probability of accepting an offer at or above its reservation value.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    The session's ``seed`` fixes the draws: the same seed gives the same
    agreement.

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import conceder, random_strategy, run_session
    >>> [run_session(sc, random_strategy(0.3), conceder(), n_steps=20, seed=s).outcome for s in (0, 1, 2, 0)]
    [46, 199, 91, 46]
    """
    return _core.negotiation.random_strategy(real_arg(p_accept, "p_accept", 0.0, 1.0))


def subgame_perfect() -> Strategy:
    """Backward induction over the deadline (needs ``complete_information=True``).

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    Rubinstein's split of a pie with discount factors 0.9 and 0.8 per offer:
    the first mover gets (1 - 0.8) / (1 - 0.9 * 0.8) = 0.714 at once.

    >>> import numpy as np
    >>> from goodwill.negotiation import OutcomeSpace, Scenario, run_session, subgame_perfect
    >>> x = np.arange(1001) / 1000
    >>> pie = Scenario.from_arrays(OutcomeSpace({"share": (0, 1000)}), x, 1 - x,
    ...                            discount_factors=(0.9, 0.8))
    >>> r = run_session(pie, subgame_perfect(), subgame_perfect(), n_steps=100, clock="offers",
    ...                 complete_information=True)
    >>> r.agreement, r.rounds
    ({'share': 716}, 1)
    """
    return _core.negotiation.subgame_perfect()


def price_matcher(floor_price: float, beat_by: float = 0.0, e: float = 0.2) -> Strategy:
    """A seller who meets (or beats by ``beat_by``) a cited rival quote, never below ``floor_price``.

    Otherwise it concedes as :func:`time_dependent` with exponent ``e``. The
    scenario needs a price issue (:meth:`Scenario.set_price_issue`).

    Parameters
    ----------
    floor_price : float
        The lowest price it will offer.
    beat_by : float, default 0.0
        How much below the rival quote it offers.
    e : float, default 0.2
        Concession exponent when there is no quote to meet.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import price_matcher, run_session, win_lose_buyer
    >>> r = run_session(sc, price_matcher(floor_price=140), win_lose_buyer(150, 0.3), n_steps=20)
    >>> r.agreement, r.rival_price, r.rounds
    ({'price': 150, 'support': 'basic'}, 150.0, 2)
    >>> r.trace["tag"].tolist()[:3]
    ['none', 'competitor_quote', 'price_match']
    """
    return _core.negotiation.price_matcher(real_arg(floor_price, "floor_price"), real_arg(beat_by, "beat_by", 0.0), real_arg(e, "e", 0.0))


def alternatives_offerer(tolerance: float = 0.02, e: float = 0.5) -> Strategy:
    """Answers squeezes with other packages of (near) equal own utility the opponent likes more (logrolling).

    Before conceding it offers packages it has not offered yet, within
    ``tolerance`` of its last offer's own utility, that the opponent
    (estimated from its offers) likes more; an alternative answering a
    squeeze (the opponent's offer got worse for us) is tagged
    ``alternative_offered`` in the trace. Otherwise it concedes as
    :func:`time_dependent` with exponent ``e``.

    Parameters
    ----------
    tolerance : float, default 0.02
        How far (in own utility) an alternative may be from the last offer.
    e : float, default 0.5
        Concession exponent.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    With a wide tolerance it holds its level longer than the time-dependent
    strategy of the same exponent, which concedes at every round:

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import alternatives_offerer, conceder, run_session, time_dependent
    >>> def seller_offers(strategy):
    ...     tr = run_session(sc, strategy, conceder(), n_steps=20).trace
    ...     return tr[tr["proposer"] == 0]["u1"].round(3).tolist()[:6]
    >>> seller_offers(alternatives_offerer(0.15))
    [1.0, 1.0, 0.993, 0.993, 0.993, 0.993]
    >>> seller_offers(time_dependent(0.5))
    [1.0, 1.0, 0.993, 0.986, 0.972, 0.951]
    """
    return _core.negotiation.alternatives_offerer(real_arg(tolerance, "tolerance", 0.0, 1.0), real_arg(e, "e", 0.0))


def authority_limited(threshold: float, delay_rounds: int = 2, credibility_cost: float = 0.05, e: float = 1.0) -> Strategy:
    """A seller who must escalate below ``threshold``: holds its offer ``delay_rounds`` turns and pays ``credibility_cost``.

    It concedes as :func:`time_dependent` with exponent ``e``; when its
    schedule first goes below ``threshold`` it escalates (trace tag
    ``escalation``), and an agreement below ``threshold`` costs it
    ``credibility_cost`` of discounted utility.

    Parameters
    ----------
    threshold : float
        Own utility below which it needs approval.
    delay_rounds : int, default 2
        Turns it holds its offer while escalating.
    credibility_cost : float, default 0.05
        Utility lost on an agreement below ``threshold``.
    e : float, default 1.0
        Concession exponent.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import authority_limited, boulware, run_session
    >>> r = run_session(sc, authority_limited(0.7, delay_rounds=3), boulware(0.3), n_steps=40)
    >>> int((r.trace["tag"] == "escalation").sum())
    3
    """
    return _core.negotiation.authority_limited(
        real_arg(threshold, "threshold"), int_arg(delay_rounds, "delay_rounds", 0, 2**31 - 1),
        real_arg(credibility_cost, "credibility_cost", 0.0, 1.0), real_arg(e, "e", 0.0))


def win_lose_buyer(rival_price: float, rival_utility: float) -> Strategy:
    """Concedes nothing, cites a rival quote, accepts only deals worth ``rival_utility`` or more.

    Parameters
    ----------
    rival_price : float
        The rival's quote it cites (``SessionResult.rival_price``).
    rival_utility : float
        Own utility of the rival's deal: it accepts nothing worth less.

    Returns
    -------
    Strategy
        A prototype: each session plays a fresh copy of it.

    Examples
    --------
    The seller matches the quote of 150 with basic support, worth 0.3 to
    this buyer: enough against a rival worth 0.3, not against one worth 0.5.

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import price_matcher, run_session, win_lose_buyer
    >>> [run_session(sc, price_matcher(floor_price=140), win_lose_buyer(150, v), n_steps=20).status
    ...  for v in (0.3, 0.5)]
    ['agreement', 'deadline']
    """
    return _core.negotiation.win_lose_buyer(real_arg(rival_price, "rival_price"), real_arg(rival_utility, "rival_utility", 0.0, 1.0))


class Negotiator:
    """Base class for strategies written in Python (slower than the built-in ones:
    one Python call per turn). Override :meth:`propose` (return an outcome id,
    or None to walk away) and :meth:`respond` (return "accept", "reject" or
    "walk_away"); :meth:`start` receives ``{"me", "rounds", "seed", "first",
    "reservation", "utility"}`` (utility: own utility of every outcome).
    Batch runs use ``copy.deepcopy`` of the object for each worker.
    :func:`run_session` and :func:`run_batch` take an instance directly (or
    through :func:`python_strategy`).

    Examples
    --------
    A buyer who asks for its best deal and takes anything worth 0.5 to it:

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> import numpy as np
    >>> from goodwill.negotiation import Negotiator
    >>> class Firm(Negotiator):
    ...     name = "firm"
    ...     def propose(self, state):
    ...         return int(np.argmax(self.utility))  # always its best outcome
    ...     def respond(self, state, offer):
    ...         return "accept" if self.utility[offer] >= 0.5 else "reject"
    >>> from goodwill.negotiation import conceder, run_session
    >>> r = run_session(sc, conceder(), Firm(), n_steps=20)
    >>> r.agreement, round(r.utilities[1], 3)
    ({'price': 113, 'support': 'basic'}, 0.522)
    """

    name = "python"

    def start(self, setup: dict[str, Any]) -> None:
        self.setup = setup
        self.utility = np.asarray(setup["utility"])
        self.reservation = setup["reservation"]

    def propose(self, state: dict[str, Any]) -> int | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def respond(self, state: dict[str, Any], offer: int) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


def python_strategy(obj: Any) -> Strategy:
    """Wrap a Python object with ``propose(state)`` and ``respond(state, offer)``.

    Parameters
    ----------
    obj : object
        A :class:`Negotiator` or any object with ``propose`` and ``respond``
        (and optionally ``start`` and ``name``).

    Returns
    -------
    Strategy
        A strategy that runs ``obj`` at Python speed (on one thread).

    Raises
    ------
    goodwill.InvalidInputError
        When ``obj`` lacks ``propose`` or ``respond``.

    Examples
    --------
    >>> import numpy as np
    >>> from goodwill.negotiation import Negotiator
    >>> class Firm(Negotiator):
    ...     name = "firm"
    ...     def propose(self, state):
    ...         return int(np.argmax(self.utility))  # always its best outcome
    ...     def respond(self, state, offer):
    ...         return "accept" if self.utility[offer] >= 0.5 else "reject"
    >>> from goodwill.negotiation import python_strategy
    >>> s = python_strategy(Firm())
    >>> s.name, s.is_python
    ('firm', True)
    """
    return _core.negotiation.python_strategy(obj)


def _strategy(s: Any) -> Strategy:
    if isinstance(s, _core.negotiation.Strategy):
        return s
    if hasattr(s, "propose") and hasattr(s, "respond"):
        return _core.negotiation.python_strategy(s)
    raise invalid("strategy", None, f"{s!r} is not a strategy")


# ---- sessions ---------------------------------------------------------------------------


class SessionResult:
    """A finished session: status, agreement, utilities and the full trace
    (built as a DataFrame on first access). ``deadline_party`` is the party
    whose private deadline ended the session (None: the common deadline, or
    it did not end by deadline); ``own_rounds`` each party's deadline.
    :func:`run_session` builds it; there is no reason to build one by hand.

    Parameters
    ----------
    scenario : Scenario
        The scenario the session was played on.
    d : dict
        The session's fields as the C++ session returns them.
    core_result : object
        The C++ result (for :meth:`to_ledger`).

    Attributes
    ----------
    status : str
        "agreement", "walked_away" or "deadline".
    outcome : int or None
        The agreed outcome id.
    utilities, discounted_utilities : tuple of float
        Both parties' utilities of the result (own reservation values without
        agreement), undiscounted and discounted.
    ended_by : int or None
        The party that accepted or walked away.
    rounds : int
        Rounds played. ``relative_time`` is the time at the end.
    rival_price : float or None
        The rival quote cited during the session, if any.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, run_session
    >>> r = run_session(sc, boulware(), conceder(), n_steps=20)
    >>> r.status, r.agreement, r.rounds, r.ended_by
    ('agreement', {'price': 174, 'support': 'basic'}, 15, 0)
    >>> r.trace.head(3)
       round  proposer  offer     u1     u2         t   tag
    0      0         0    200  1.000  0.000  0.000000  none
    1      0         1    145  0.504  0.568  0.025641  none
    2      1         0    200  1.000  0.000  0.051282  none
    >>> round(r.pareto_distance, 3), round(r.nash_distance, 3)
    (0.0, 0.366)
    """

    __slots__ = (
        "_core_result",
        "_raw_trace",
        "_trace",
        "deadline_party",
        "discounted_utilities",
        "ended_by",
        "outcome",
        "own_rounds",
        "relative_time",
        "rival_price",
        "rounds",
        "scenario",
        "status",
        "utilities",
    )

    def __init__(self, scenario: Scenario, d: dict[str, Any], core_result: Any) -> None:
        self.scenario = scenario
        self.status: str = STATUSES[d["status"]]
        self.outcome: int | None = d["outcome"]
        self.utilities: tuple[float, float] = (d["u1"], d["u2"])
        self.discounted_utilities: tuple[float, float] = (d["du1"], d["du2"])
        self.ended_by: int | None = None if d["ended_by"] < 0 else d["ended_by"]
        self.deadline_party: int | None = None if d["deadline_party"] < 0 else d["deadline_party"]
        self.own_rounds: tuple[int, int] = (int(d["own_rounds"][0]), int(d["own_rounds"][1]))
        self.rounds: int = d["rounds"]
        self.relative_time: float = d["t"]
        self.rival_price: float | None = d["rival_price"]
        self._raw_trace = d["trace"]
        self._trace: pd.DataFrame | None = None
        self._core_result = core_result

    @property
    def agreement(self) -> dict[str, Any] | None:
        """The agreed outcome as ``{issue: value}``, or None."""
        return None if self.outcome is None else self.scenario.outcome_space.outcome(self.outcome)

    @property
    def trace(self) -> pd.DataFrame:
        """Every offer: round, proposer (0/1), offer (outcome id), u1, u2, t, tag."""
        if self._trace is None:
            tr = self._raw_trace
            self._trace = pd.DataFrame({
                "round": np.asarray(tr["round"], dtype=np.int64),
                "proposer": np.asarray(tr["proposer"], dtype=np.int64),
                "offer": np.asarray(tr["offer"], dtype=np.int64),
                "u1": tr["u1"],
                "u2": tr["u2"],
                "t": tr["t"],
                "tag": pd.Categorical.from_codes(np.asarray(tr["tag"], dtype=np.int8), categories=pd.Index(OFFER_TAGS)),
            })
        return self._trace

    def __repr__(self) -> str:
        return (f"SessionResult({self.status}, agreement={self.agreement}, utilities={self.utilities}, "
                f"rounds={self.rounds})")

    @property
    def pareto_distance(self) -> float:
        return float(self.scenario._core.distance_to_frontier(*self.utilities))

    @property
    def nash_distance(self) -> float:
        _, n1, n2 = self.scenario.nash_point
        return float(np.hypot(self.utilities[0] - n1, self.utilities[1] - n2))

    def to_ledger(
        self,
        ledger: Ledger,
        customer: Any,
        *,
        we: int = 0,
        start_time: float = 0.0,
        days_per_round: float = 1.0,
        value_scale: float = 1.0,
    ) -> int:
        """Append the session's events (proposal, concession, competitor_quote,
        price_match, alternative_offered, deal_won / walk_away / deal_lost) for
        ``customer`` to a Ledger, so the negotiation moves trust and state.
        Amounts are prices when the scenario has a price issue, else
        ``value_scale`` * our utility. Returns the number of events."""
        ev = _core.negotiation.session_events(self.scenario._core, self._core_result, we, start_time, days_per_round, value_scale)
        n = len(ev["kind"])
        if n:
            ledger.append([customer] * n, ev["time"], np.asarray(ev["kind"], dtype=np.uint8), ev["amount"], np.asarray(ev["detail"], dtype=np.int32))
        return n

    def plot(self, ax: Any = None) -> Any:
        return plot_session(self, ax=ax)


def run_session(
    scenario: Scenario,
    a: Any,
    b: Any,
    *,
    n_steps: int = 100,
    first: int = 0,
    clock: str = "relative",
    seed: int = 0,
    complete_information: bool = False,
    time_limit: float = 0.0,
    deadlines: tuple[int | None, int | None] | None = None,
    relative_deadlines: tuple[float | None, float | None] | None = None,
    reserved_values: tuple[float | None, float | None] | None = None,
) -> SessionResult:
    """Run one alternating-offers session (SAO): ``n_steps`` rounds, each party
    proposing once per round; ``time_limit`` > 0 adds a wall-clock deadline in
    seconds (then runs are not reproducible). ``clock``: discount by relative
    time ("relative", Genius) or by offers made ("offers", Rubinstein).

    Private information, per party (None: none of its own): ``deadlines``, its
    own deadline in rounds; ``relative_deadlines``, its own deadline as a share
    of ``n_steps`` in (0, 1]; ``reserved_values``, its own reservation value
    instead of the scenario's. Neither party is told the other's: each
    strategy's clock runs over its own deadline, the session ends at the
    earlier one (``result.deadline_party`` says whose), and without agreement
    each side gets its own reservation value.

    Parameters
    ----------
    scenario : Scenario
        The scenario (party 1 is its first utility).
    a, b : Strategy or Negotiator
        Party 1's and party 2's strategies (a Python object with ``propose``
        and ``respond`` is wrapped by :func:`python_strategy`).
    n_steps : int, default 100
        Rounds before the common deadline.
    first : int, default 0
        The party that proposes first (0 or 1).
    clock : str, default "relative"
        "relative" or "offers", as above.
    seed : int, default 0
        Seed of randomised strategies: a session is reproducible.
    complete_information : bool, default False
        Tell each strategy the other's utilities (needed by
        :func:`subgame_perfect`).
    time_limit : float, default 0.0
        Wall-clock deadline in seconds (0: none).
    deadlines, relative_deadlines, reserved_values : pair, optional
        Each party's private deadline (rounds, or share of ``n_steps``) and
        reservation value, as above.

    Returns
    -------
    SessionResult
        Status, agreement, utilities and the trace of offers.

    Examples
    --------
    The buyer's private deadline of 30 rounds ends the session; the seller's
    private reservation value of 0.4 is what it gets:

    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, run_session
    >>> r = run_session(sc, boulware(), conceder(), n_steps=100,
    ...                 deadlines=(None, 30), reserved_values=(0.4, None))
    >>> r.status, r.deadline_party, r.own_rounds, r.utilities
    ('deadline', 1, (100, 30), (0.4, 0.1))
    >>> run_session(sc, boulware(), conceder(), n_steps=100).agreement  # no private terms
    {'price': 174, 'support': 'basic'}
    """
    d, res = _core.negotiation.run_session(scenario._core, _strategy(a), _strategy(b), int(n_steps), int(first), clock, int(seed),
                               bool(complete_information), float(time_limit), *_private(deadlines, relative_deadlines,
                                                                                          reserved_values))
    return SessionResult(scenario, d, res)


def _private(
    deadlines: tuple[int | None, int | None] | None,
    relative_deadlines: tuple[float | None, float | None] | None,
    reserved_values: tuple[float | None, float | None] | None,
) -> tuple[list[int], list[float], list[float]]:
    """The C++ session_options fields for private deadlines and reservations."""
    def pair(x: Any, what: str) -> tuple[Any, Any]:
        if x is None:
            return (None, None)
        if len(x) != 2:
            raise invalid(what, None, f"needs one entry per party (2), got {len(x)}")
        return (x[0], x[1])

    dl = [0 if v is None else int(v) for v in pair(deadlines, "deadlines")]
    if any(v < 0 for v in dl):
        raise invalid("deadlines", None, "a deadline in rounds must be positive")
    rel = [1.0 if v is None else float(v) for v in pair(relative_deadlines, "relative_deadlines")]
    res = [float("nan") if v is None else float(v) for v in pair(reserved_values, "reserved_values")]
    return dl, rel, res


def run_batch(
    scenarios: Mapping[str, Scenario] | Sequence[Scenario],
    strategies: Mapping[str, Any] | Sequence[Any],
    seeds: Iterable[int] = (0,),
    *,
    n_steps: int = 100,
    clock: str = "relative",
    threads: int = 0,
    pairs: Sequence[tuple[Any, Any]] | None = None,
    progress: bool = False,
    deadlines: tuple[int | None, int | None] | None = None,
    relative_deadlines: tuple[float | None, float | None] | None = None,
    reserved_values: tuple[float | None, float | None] | None = None,
) -> pd.DataFrame:
    """Every scenario x ordered strategy pair (first, second) x seed, run in
    C++ on ``threads`` threads (0: all cores); results identical whatever the
    thread count. Python strategies run on one thread (they need the GIL).
    One row per session: scenario, first, second, seed, status, outcome
    (-1 without agreement), u1, u2, discounted du1, du2, rounds, t,
    pareto_distance, nash_distance, welfare. ``pairs`` restricts the
    matchups to these (first, second) pairs of strategy names or indices.
    ``progress=True`` reports each finished scenario on stderr.
    ``deadlines``, ``relative_deadlines``, ``reserved_values``: each party's
    private deadline and reservation, as in :func:`run_session`.

    Parameters
    ----------
    scenarios : mapping of str to Scenario, or sequence of Scenario
        The scenarios (a mapping names them; else their ``name``).
    strategies : mapping of str to Strategy, or sequence of Strategy
        The strategies (a mapping names them; else their ``name``; repeated
        names get ``#k`` suffixes).
    seeds : iterable of int, default (0,)
        One session per seed for each matchup.
    n_steps : int, default 100
        Rounds per session.
    clock : str, default "relative"
        As in :func:`run_session`.
    threads : int, default 0
        Worker threads (0: all cores); results do not depend on it.
    pairs : sequence of (first, second), optional
        Only these matchups (strategy names or indices); default all.
    progress : bool, default False
        Report each finished scenario on stderr.
    deadlines, relative_deadlines, reserved_values : pair, optional
        As in :func:`run_session`.

    Returns
    -------
    pandas.DataFrame
        One row per session, with the columns above (``scenario``,
        ``first``, ``second`` and ``status`` categorical).

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, run_batch
    >>> b = run_batch({"sale": sc}, {"boulware": boulware(), "conceder": conceder()},
    ...               seeds=[0, 1], n_steps=20)
    >>> len(b)  # 1 scenario x 4 ordered pairs x 2 seeds
    8
    >>> b[b["seed"] == 0][["first", "second", "status", "outcome"]]
          first    second     status  outcome
    0  boulware  boulware  agreement      175
    2  boulware  conceder  agreement      148
    4  conceder  boulware  agreement       71
    6  conceder  conceder  agreement       56
    """
    private = _private(deadlines, relative_deadlines, reserved_values)
    if isinstance(scenarios, Mapping):
        sc_names, sc_list = list(scenarios.keys()), list(scenarios.values())
    else:
        sc_list = list(scenarios)
        sc_names = [s.name or f"scenario{i}" for i, s in enumerate(sc_list)]
    if isinstance(strategies, Mapping):
        st_names, st_list = list(strategies.keys()), [_strategy(s) for s in strategies.values()]
    else:
        st_list = [_strategy(s) for s in strategies]
        st_names = [s.name for s in st_list]
    seeds = [int(s) for s in seeds]
    def index(x: Any) -> int:
        if isinstance(x, (int, np.integer)):
            return int(x)
        if x not in st_names:
            raise invalid("pairs", None, f"no strategy named {x!r}")
        return st_names.index(x)

    pair_idx = [(index(a), index(b)) for a, b in (pairs or [])]
    frames = []
    for i, sc in enumerate(sc_list):
        d = _core.negotiation.run_batch([sc._core], st_list, seeds, int(n_steps), clock, False, threads_arg(threads), pair_idx, *private)
        f = pd.DataFrame({k: np.asarray(v) for k, v in d.items()})
        f["scenario"] = i
        frames.append(f)
        if progress:
            print(f"negotiation batch: scenario {i + 1}/{len(sc_list)} ({sc_names[i]}) done", file=sys.stderr)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    frame["scenario"] = pd.Categorical.from_codes(frame["scenario"].to_numpy(), categories=pd.Index(sc_names))
    names = st_names if len(set(st_names)) == len(st_names) else [f"{n}#{k}" for k, n in enumerate(st_names)]
    frame["first"] = pd.Categorical.from_codes(frame["first"].to_numpy().astype(np.int64), categories=pd.Index(names))
    frame["second"] = pd.Categorical.from_codes(frame["second"].to_numpy().astype(np.int64), categories=pd.Index(names))
    frame["status"] = pd.Categorical.from_codes(frame["status"].to_numpy().astype(np.int8), categories=pd.Index(STATUSES))
    frame["outcome"] = frame["outcome"].astype(np.int64)
    frame["seed"] = frame["seed"].astype(np.int64)
    return frame


# ---- tournaments ---------------------------------------------------------------------


class TournamentResult:
    """What :func:`tournament` returns (:func:`tournament` builds it; there is
    no reason to build one by hand).

    Attributes
    ----------
    sessions : pandas.DataFrame
        One row per session (the columns of :func:`run_batch`, plus ``score1``
        and ``score2``, the first's and second's scores).
    ranking : pandas.DataFrame
        One row per strategy, best first: ``strategy``, ``n`` (scores: sides of
        sessions it played), ``mean``, ``lower``/``upper`` (interval of the
        mean at ``confidence``: Student's t, or a percentile bootstrap with
        ``bootstrap`` > 0), ``sd``, ``agreement_rate``.
    pairwise : pandas.DataFrame
        One row per pair of strategies: ``a``, ``b``, ``difference`` (mean a -
        mean b), Welch's (or Student's) ``t``, ``df``, two-sided ``p``, Benjamini–Hochberg
        ``q`` over all pairs, ``significant`` (q <= fdr).
    support : dict
        The data and assumptions behind every number (also in each frame's
        ``attrs["support"]``).

    Parameters
    ----------
    sessions, ranking, pairwise : pandas.DataFrame
        The frames above.
    support : dict
        As above.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, tournament
    >>> res = tournament({"boulware": boulware(), "conceder": conceder()}, [sc], seeds=2, n_steps=20)
    >>> res
    TournamentResult(8 sessions; boulware 0.618 [0.479, 0.756], conceder 0.214 [0.076, 0.353])
    >>> res.support["interval"]
    "Student's t interval of the mean, level 0.95"
    """

    __slots__ = ("pairwise", "ranking", "sessions", "support")

    def __init__(self, sessions: pd.DataFrame, ranking: pd.DataFrame, pairwise: pd.DataFrame,
                 support: dict[str, Any]) -> None:
        self.sessions = sessions
        self.ranking = ranking
        self.pairwise = pairwise
        self.support = support

    def __repr__(self) -> str:
        top = ", ".join(f"{r.strategy} {r.mean:.3f} [{r.lower:.3f}, {r.upper:.3f}]"
                        for r in self.ranking.head(3).itertuples())
        return f"TournamentResult({len(self.sessions)} sessions; {top})"


def tournament(
    strategies: Mapping[str, Any] | Sequence[Any],
    scenarios: Mapping[str, Scenario] | Sequence[Scenario],
    seeds: Iterable[int] | int = 1,
    *,
    n_steps: int | None = None,
    clock: str = "relative",
    score: str | None = None,
    self_play: bool | None = None,
    equal_variance: bool | None = None,
    confidence: float | None = None,
    bootstrap: int | None = None,
    bootstrap_seed: int | None = None,
    fdr: float | None = None,
    threads: int | None = None,
) -> TournamentResult:
    """A cartesian tournament, as NegMAS's ``cartesian_tournament``: every
    scenario x ordered pair of strategies (each strategy in both roles; itself
    too with ``self_play``) x seed, run in C++ with the GIL released, then a
    ranking with intervals and pairwise significance tests.

    Each side of a session scores its ``score``: "advantage" ((u - r) /
    (u_max - r), r its reservation value and u_max its best utility in the
    scenario: NegMAS's default final score; 0 without agreement), "utility",
    or "welfare" (u1 + u2). Intervals are Student's t intervals of each
    strategy's mean score, or with ``bootstrap`` > 0 percentile-bootstrap
    intervals (that many resamples from counter-based streams, so results do
    not depend on ``threads``); pairs are compared by
    Welch's two-sided t-test (``equal_variance=True``: Student's pooled test,
    NegMAS's ``pairwise_tests`` default) and the Benjamini–Hochberg procedure
    over all pairs controls the false-discovery rate of ``significant`` at
    ``fdr``.
    Defaults (None) are those of the C++ ``tournament_options``: 100 rounds,
    advantage, self-play, 95 % t intervals, FDR 0.05, all cores.
    ``seeds`` is an iterable of seeds or a count (seeds 0..n-1).

    Parameters
    ----------
    strategies : mapping of str to Strategy, or sequence of Strategy
        The strategies (a mapping names them; else their ``name``; repeated
        names get ``#k`` suffixes).
    scenarios : mapping of str to Scenario, or sequence of Scenario
        The scenarios (a mapping names them; else their ``name``).
    seeds : iterable of int, or int, default 1
        The seeds, or a count of seeds 0..n-1.
    n_steps : int, optional
        Rounds per session.
    clock : str, default "relative"
        As in :func:`run_session`.
    score : str, optional
        "advantage", "utility" or "welfare".
    self_play : bool, optional
        Also match each strategy with itself.
    equal_variance : bool, optional
        Student's pooled test instead of Welch's.
    confidence : float, optional
        Level of the intervals.
    bootstrap : int, optional
        Bootstrap resamples (0: Student's t intervals).
    bootstrap_seed : int, optional
        Seed of the bootstrap streams.
    fdr : float, optional
        False-discovery rate of ``significant``.
    threads : int, optional
        Worker threads (0: all cores); results do not depend on it.

    Returns
    -------
    TournamentResult
        The sessions, the ranking with intervals, the pairwise tests and
        their support.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, tournament
    >>> res = tournament({"boulware": boulware(), "conceder": conceder()}, [sc], seeds=2, n_steps=20)
    >>> res.ranking[["rank", "strategy", "n", "agreement_rate"]]
       rank  strategy  n  agreement_rate
    0     1  boulware  8             1.0
    1     2  conceder  8             1.0
    >>> res.ranking["mean"].round(3).tolist()
    [0.618, 0.214]
    >>> bool(res.pairwise.loc[0, "significant"]), round(float(res.pairwise.loc[0, "q"]), 5)
    (True, 0.00025)
    """
    d: dict[str, Any] = dict(_core.negotiation.tournament_defaults())
    if isinstance(scenarios, Mapping):
        sc_names, sc_list = list(scenarios.keys()), list(scenarios.values())
    else:
        sc_list = list(scenarios)
        sc_names = [s.name or f"scenario{i}" for i, s in enumerate(sc_list)]
    if isinstance(strategies, Mapping):
        st_names, st_list = [str(k) for k in strategies], [_strategy(s) for s in strategies.values()]
    else:
        st_list = [_strategy(s) for s in strategies]
        st_names = [s.name for s in st_list]
    if len(set(st_names)) != len(st_names):
        st_names = [f"{n}#{k}" for k, n in enumerate(st_names)]
    seed_list = list(range(int(seeds))) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
    opt: dict[str, Any] = {
        "rounds": int(d["rounds"] if n_steps is None else n_steps),
        "score": str(d["score"] if score is None else score),
        "self_play": bool(d["self_play"] if self_play is None else self_play),
        "equal_variance": bool(d["equal_variance"] if equal_variance is None else equal_variance),
        "confidence": float(d["confidence"] if confidence is None else confidence),
        "bootstrap": int(d["bootstrap"] if bootstrap is None else bootstrap),
        "bootstrap_seed": int(d["bootstrap_seed"] if bootstrap_seed is None else bootstrap_seed),
        "fdr": float(d["fdr"] if fdr is None else fdr),
        "threads": int(d["threads"] if threads is None else threads),
    }
    out = _core.negotiation.tournament([s._core for s in sc_list], st_list, seed_list, opt["rounds"], clock, opt["score"],
                           opt["self_play"], opt["equal_variance"], opt["confidence"], opt["bootstrap"], opt["bootstrap_seed"],
                           opt["fdr"], opt["threads"])
    # Columns converted before the frame is built: one construction, no copies.
    cols: dict[str, Any] = {k: np.asarray(v) for k, v in out["sessions"].items()}
    st_dtype = pd.CategoricalDtype(st_names)
    cols["scenario"] = pd.Categorical.from_codes(cols["scenario"].astype(np.int64), dtype=pd.CategoricalDtype(sc_names))
    cols["first"] = pd.Categorical.from_codes(cols["first"].astype(np.int64), dtype=st_dtype)
    cols["second"] = pd.Categorical.from_codes(cols["second"].astype(np.int64), dtype=st_dtype)
    cols["status"] = pd.Categorical.from_codes(cols["status"].astype(np.int8), dtype=pd.CategoricalDtype(STATUSES))
    cols["outcome"] = cols["outcome"].astype(np.int64, copy=False)
    cols["seed"] = cols["seed"].astype(np.int64, copy=False)
    sessions = pd.DataFrame(cols, copy=False)
    ranking = pd.DataFrame({k: np.asarray(v) for k, v in out["ranking"].items()})
    ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    ranking["strategy"] = [st_names[int(i)] for i in ranking["strategy"]]
    pairwise = pd.DataFrame({k: np.asarray(v) for k, v in out["pairwise"].items()})
    pairwise["a"] = [st_names[int(i)] for i in pairwise["a"]]
    pairwise["b"] = [st_names[int(i)] for i in pairwise["b"]]
    pairwise["significant"] = pairwise["significant"].astype(bool)
    support = {
        "sessions": len(sessions),
        "scenarios": sc_names,
        "strategies": st_names,
        "seeds": len(seed_list),
        "score": opt["score"],
        "interval": (f"percentile bootstrap of the mean, {opt['bootstrap']} resamples" if opt["bootstrap"]
                     else "Student's t interval of the mean") + f", level {opt['confidence']}",
        "test": ("Student's pooled" if opt["equal_variance"] else "Welch's")
        + " two-sample t-test, two-sided, on per-side scores",
        "multiple_testing": f"Benjamini-Hochberg over {len(pairwise)} pairs, FDR {opt['fdr']}",
        "assumptions": [
            ("scores of a strategy are treated as independent draws, although sessions share scenarios, "
             "seeds and opponents"),
            "a session without agreement gives each side its reservation value",
        ],
        **{k: opt[k] for k in ("rounds", "self_play", "threads")},
    }
    for frame in (sessions, ranking, pairwise):
        frame.attrs["support"] = support
    return TournamentResult(sessions, ranking, pairwise, support)


def plot_session(result: SessionResult, ax: Any = None) -> Any:
    """Offers of both parties in utility space over the Pareto frontier, with
    the Nash point and the agreement. Needs matplotlib; returns the Axes.

    Parameters
    ----------
    result : SessionResult
        A finished session.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new 5 x 5 inch figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, u1 across and u2 up.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, plot_session, run_session
    >>> ax = plot_session(run_session(sc, boulware(), conceder(), n_steps=20))
    >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    ('sale: agreement', 'u1', 'u2')
    >>> [line.get_label() for line in ax.get_lines()]
    ['Pareto frontier', 'party 1 offers', 'party 2 offers', 'Nash', 'agreement']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plot_session needs matplotlib (pip install matplotlib)") from exc
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    sc = result.scenario
    u = sc.utilities()
    ax.scatter(u["u1"], u["u2"], s=6, color="0.85", label="outcomes")
    front = sc.pareto_frontier()
    ax.plot(front["u1"], front["u2"], "-", color="0.3", lw=1, label="Pareto frontier")
    tr = result.trace
    for p, colour in ((0, "tab:blue"), (1, "tab:orange")):
        mine = tr[tr["proposer"] == p]
        ax.plot(mine["u1"], mine["u2"], "o-", ms=3, lw=0.8, color=colour, label=f"party {p + 1} offers")
    _, n1, n2 = sc.nash_point
    if np.isfinite(n1):
        ax.plot([n1], [n2], "k*", ms=12, label="Nash")
    if result.outcome is not None:
        ax.plot([result.utilities[0]], [result.utilities[1]], "rs", ms=9, mfc="none", label="agreement")
    ax.set_xlabel("u1")
    ax.set_ylabel("u2")
    ax.set_title(f"{sc.name}: {result.status}")
    ax.legend(loc="lower left", fontsize=7)
    return ax


# ---- several parties: multilateral sessions and RFPs (issue 18, item 5) -------------------

#: The response codes of a multilateral trace (C++ response names, then not_asked).
RESPONSES: list[str] = list(_core.negotiation.RESPONSES)
#: How an RFP thread ends, by code (the C++ rfp_status names).
RFP_STATUSES: list[str] = list(_core.negotiation.RFP_STATUSES)


def _multilateral_core(ufuns: Sequence[UtilityFunction], name: str) -> _core.negotiation.MultilateralScenario:
    if len(ufuns) < 2:
        raise invalid("ufuns", None, f"a multilateral session needs at least 2 parties, got {len(ufuns)}")
    space = ufuns[0].outcome_space
    return _core.negotiation.MultilateralScenario(
        space._core, [u.evaluate_all() for u in ufuns], [float(u.reserved_value) for u in ufuns],
        [float(u.discount_factor) for u in ufuns], name,
    )


class MultilateralResult:
    """A finished multilateral session: status, agreement, every party's
    utility and the trace (one row per offer with every party's response).

    Built by :func:`run_multilateral_session`, not by hand.

    Parameters
    ----------
    outcome_space : OutcomeSpace
        The space of the offers.
    d : dict
        The C++ result.

    Attributes
    ----------
    status : str
        ``"agreement"``, ``"walked_away"`` or ``"deadline"``.
    outcome : int or None
        The agreed outcome id.
    utilities, discounted_utilities : tuple of float
        Each party's utility of the agreement (its reservation value without one).
    ended_by : int or None
        The party whose acceptance completed the agreement, or who walked away.
    rounds, offers : int
        Rounds started and offers made.
    relative_time : float
        Time of the accepted offer (or of the end), in [0, 1].

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, conceder
    >>> from goodwill.negotiation import run_multilateral_session
    >>> space = OutcomeSpace({"x": (0, 2)})
    >>> u = [LinearAdditiveUtilityFunction({"x": t}, [1.0], space) for t in ([1, .5, 0], [0, .5, 1], [.5, 1, .5])]
    >>> r = run_multilateral_session(u, [conceder(), conceder(), conceder()], n_steps=5)
    >>> type(r).__name__, r.status, r.agreement
    ('MultilateralResult', 'agreement', {'x': 1})
    """

    __slots__ = ("_d", "_trace", "discounted_utilities", "ended_by", "offers", "outcome", "outcome_space",
                 "relative_time", "rounds", "status", "utilities")

    def __init__(self, outcome_space: OutcomeSpace, d: dict[str, Any]) -> None:
        self.outcome_space = outcome_space
        self._d = d
        self._trace: pd.DataFrame | None = None
        self.status: str = STATUSES[int(d["status"])]
        self.outcome: int | None = d["outcome"]
        self.utilities: tuple[float, ...] = tuple(float(u) for u in d["utilities"])
        self.discounted_utilities: tuple[float, ...] = tuple(float(u) for u in d["discounted"])
        self.ended_by: int | None = None if d["ended_by"] < 0 else int(d["ended_by"])
        self.rounds: int = int(d["rounds"])
        self.offers: int = int(d["offers"])
        self.relative_time: float = float(d["t"])

    @property
    def agreement(self) -> dict[str, Any] | None:
        """The agreed outcome as ``{issue: value}``, or None."""
        return None if self.outcome is None else self.outcome_space.outcome(self.outcome)

    @property
    def trace(self) -> pd.DataFrame:
        """Every offer: round, proposer, offer (outcome id), t, then per party
        ``response_<p>`` (accept, reject, walk_away or not_asked: the proposer,
        and parties after the first rejection) and ``u_<p>``."""
        if self._trace is None:
            tr = self._d["trace"]
            n = len(self.utilities)
            resp = np.asarray(tr["responses"], dtype=np.uint8).reshape(-1, n)
            util = np.asarray(tr["utilities"], dtype=np.float64).reshape(-1, n)
            cols: dict[str, Any] = {
                "round": np.asarray(tr["round"]),
                "proposer": np.asarray(tr["proposer"]),
                "offer": np.asarray(tr["offer"]),
                "t": np.asarray(tr["t"]),
            }
            for p in range(n):
                cols[f"response_{p}"] = pd.Categorical.from_codes(resp[:, p].astype(np.int64),
                                                                  categories=pd.Index(RESPONSES))
            for p in range(n):
                cols[f"u_{p}"] = util[:, p]
            self._trace = pd.DataFrame(cols)
        return self._trace

    def __repr__(self) -> str:
        return (f"MultilateralResult({self.status}, outcome={self.outcome}, "
                f"utilities={tuple(round(u, 4) for u in self.utilities)}, rounds={self.rounds})")


def run_multilateral_session(
    ufuns: Sequence[UtilityFunction],
    strategies: Sequence[Any],
    *,
    n_steps: int = 100,
    seed: int = 0,
    name: str = "",
) -> MultilateralResult:
    """A multilateral alternating-offers session (NegMAS's ``SAOMechanism``
    with more than two negotiators): parties take turns in order; each answers
    the standing offer and, if it rejects, makes its own; an offer is agreed
    when every other party has accepted it in turn; a walk-away ends it.

    Each strategy sees its own utilities (built-in strategies play
    unchanged); with two parties this is :func:`run_session`, turn for turn.

    Parameters
    ----------
    ufuns : sequence of utility functions
        One per party, over one discrete space (reservation values and
        discount factors from them).
    strategies : sequence of Strategy
        One per party, in turn order.
    n_steps : int, default 100
        Deadline in rounds (each party one turn per round).
    seed : int, default 0
        For randomised strategies.
    name : str, default ""
        Name of the scenario.

    Returns
    -------
    MultilateralResult
        Status, agreement, utilities and the trace as a pandas DataFrame.

    Examples
    --------
    Three parties over five outcomes; each insists on its best and accepts
    anything worth 0.6: party 2's offer of outcome 2 is accepted by parties 0
    and 1 in turn.

    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace,
    ...                                   run_multilateral_session, time_dependent)
    >>> space = OutcomeSpace({"x": (0, 4)})
    >>> u = [LinearAdditiveUtilityFunction({"x": t}, [1.0], space) for t in
    ...      ([1, .8, .6, .4, .2], [.2, .4, .6, .8, 1], [.5, .9, 1, .3, .1])]
    >>> firm = time_dependent(0.0, acceptance="const", c=0.6)
    >>> r = run_multilateral_session(u, [firm, firm, firm], n_steps=10)
    >>> r.status, r.agreement, r.utilities
    ('agreement', {'x': 2}, (0.6, 0.6, 1.0))
    >>> r.trace[["round", "proposer", "offer", "response_0", "response_1", "response_2"]]
       round  proposer  offer response_0 response_1 response_2
    0      0         0      0  not_asked     reject  not_asked
    1      0         1      4  not_asked  not_asked     reject
    2      0         2      2     accept     accept  not_asked
    """
    sc = _multilateral_core(ufuns, name)
    strats = [_strategy(s) for s in strategies]
    d = _core.negotiation.run_multilateral_session(sc, strats, int_arg(n_steps, "n_steps", 1, 2**31 - 1),
                                       int_arg(seed, "seed", 0, 2**64 - 1))
    return MultilateralResult(ufuns[0].outcome_space, d)


class RFPResult:
    """A finished RFP: the award, each seller's thread, every rival quote the
    buyer cited, the offers, and each seller's ledger events.

    Built by :func:`run_rfp`, not by hand.

    Parameters
    ----------
    scenarios : sequence of Scenario
        The sellers' scenarios (buyer party 0, seller party 1).
    d : dict
        The C++ result.

    Attributes
    ----------
    winner : int or None
        The seller awarded (index), None without agreement.
    outcome : int or None
        The awarded outcome id (in the winner's scenario).
    buyer_utility : float
        The award's utility to the buyer (its reservation without one).
    first_quote_round : int or None
        Round of the first acceptable quote (an agreement in some thread), None without one.
    first_quote_utility : float
        The quote the buyer held at the end of that turn (NaN without one):
        at least what closing at the first acceptable quote awards, and
        ``buyer_utility`` minus it is what shopping on gained after it.
    rounds : int
        Rounds started.
    threads : pandas.DataFrame
        One row per seller: status (won, walked_away, deadline, lost_to_rival),
        agreed, outcome, u_buyer, u_seller, rounds, offers, quotes_received.
    quotes : pandas.DataFrame
        One row per rival quote cited: round, to, from, offer, buyer_utility,
        price (NaN without a price issue), held (the quote was an agreement the
        buyer held while shopping, not an open offer).
    trace : pandas.DataFrame
        Every offer: seller, round, proposer (buyer or seller), offer,
        u_buyer, u_seller, t, tag (competitor_quote on the buyer's offers that
        cited a rival).

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario, conceder, run_rfp
    >>> space = OutcomeSpace({"price": (1, 3)})
    >>> b = LinearAdditiveUtilityFunction({"price": [1, .5, 0]}, [1.0], space)
    >>> s = LinearAdditiveUtilityFunction({"price": [0, .5, 1]}, [1.0], space)
    >>> r = run_rfp([Scenario(b, s), Scenario(b, s)], conceder(), [conceder(), conceder()], n_steps=5)
    >>> type(r).__name__, r.winner, list(r.threads["status"])
    ('RFPResult', 0, ['won', 'lost_to_rival'])
    """

    __slots__ = ("_events", "buyer_utility", "first_quote_round", "first_quote_utility", "outcome", "quotes", "rounds",
                 "scenarios", "threads", "trace", "winner")

    def __init__(self, scenarios: Sequence[Scenario], d: dict[str, Any]) -> None:
        self.scenarios = list(scenarios)
        self.winner: int | None = d["winner"]
        self.outcome: int | None = d["outcome"]
        self.buyer_utility: float = float(d["u_buyer"])
        self.first_quote_round: int | None = d["first_quote_round"]
        self.first_quote_utility: float = float(d["u_first"])
        self.rounds: int = int(d["rounds"])
        th = d["threads"]
        self.threads = pd.DataFrame({
            "seller": np.arange(len(self.scenarios)),
            "status": pd.Categorical.from_codes(np.asarray(th["status"], dtype=np.int64),
                                                categories=pd.Index(RFP_STATUSES)),
            "agreed": np.asarray(th["agreed"], dtype=bool),
            "outcome": np.asarray(th["outcome"]),
            "u_buyer": np.asarray(th["u_buyer"]),
            "u_seller": np.asarray(th["u_seller"]),
            "rounds": np.asarray(th["rounds"]),
            "offers": np.asarray(th["offers"]),
            "quotes_received": np.asarray(th["quotes_received"]),
        })
        self.quotes = pd.DataFrame({k: np.asarray(d["quotes"][k]) for k in
                                    ("round", "to", "from", "offer", "buyer_utility", "price")})
        self.quotes["held"] = np.asarray(d["quotes"]["held"], dtype=bool)
        tr = d["trace"]
        self.trace = pd.DataFrame({
            "seller": np.asarray(tr["seller"]),
            "round": np.asarray(tr["round"]),
            "proposer": pd.Categorical.from_codes(np.asarray(tr["proposer"], dtype=np.int64),
                                                  categories=pd.Index(["buyer", "seller"])),
            "offer": np.asarray(tr["offer"]),
            "u_buyer": np.asarray(tr["u_buyer"]),
            "u_seller": np.asarray(tr["u_seller"]),
            "t": np.asarray(tr["t"]),
            "tag": pd.Categorical.from_codes(np.asarray(tr["tag"], dtype=np.int64),
                                             categories=pd.Index(OFFER_TAGS)),
        })
        self._events: list[dict[str, Any]] = list(d["events"])

    @property
    def agreement(self) -> dict[str, Any] | None:
        """The awarded outcome as ``{issue: value}``, or None."""
        if self.winner is None or self.outcome is None:
            return None
        return self.scenarios[self.winner].outcome_space.outcome(self.outcome)

    def events(self, seller: int) -> pd.DataFrame:
        """Seller ``seller``'s thread as ledger events (time in rounds from 0):
        proposal, concessions, one competitor_quote per rival quote cited to it,
        price matches, then deal_won or deal_lost (reason competitor when the
        buyer awarded another seller)."""
        e = self._events[int_arg(seller, "seller", 0, len(self._events) - 1)]
        return pd.DataFrame({
            "time": np.asarray(e["time"], dtype=np.float64),
            "kind": pd.Categorical.from_codes(np.asarray(e["kind"], dtype=np.int64),
                                              categories=pd.Index(list(_core.EVENT_KINDS))),
            "amount": np.asarray(e["amount"], dtype=np.float64),
            "detail": np.asarray(e["detail"], dtype=np.int32),
        })

    def to_ledger(
        self,
        ledger: Ledger,
        customer: Any,
        seller: int,
        *,
        start_time: float = 0.0,
        days_per_round: float = 1.0,
    ) -> int:
        """Append seller ``seller``'s events (see :meth:`events`) for
        ``customer`` (the buyer) to a Ledger, a round being ``days_per_round``
        days from ``start_time``. Returns the number of events."""
        e = self._events[int_arg(seller, "seller", 0, len(self._events) - 1)]
        n = len(e["kind"])
        if n:
            times = float(start_time) + np.asarray(e["time"], dtype=np.float64) * float(days_per_round)
            ledger.append([customer] * n, times, np.asarray(e["kind"], dtype=np.uint8), e["amount"],
                          np.asarray(e["detail"], dtype=np.int32))
        return n

    def __repr__(self) -> str:
        return f"RFPResult(winner={self.winner}, buyer_utility={self.buyer_utility:.4g}, quotes={len(self.quotes)})"


RFP_CLOSES: list[str] = list(_core.negotiation.RFP_CLOSES)


def _rfp_options(n_steps: int | None, first: int | None, rival_quotes: bool | None, quote_margin: float | None,
                 close: str | None, shop_rounds: int | None, stall_rounds: int | None,
                 seed: int | None) -> Any:
    """The C++ RFPOptions (its defaults) with the given fields set, checked by name."""
    o = _core.negotiation.RFPOptions()
    if n_steps is not None:
        o.rounds = int_arg(n_steps, "n_steps", 1, 2**31 - 1)
    if first is not None:
        o.first = int_arg(first, "first", 0, 1)
    if rival_quotes is not None:
        o.rival_quotes = bool(rival_quotes)
    if quote_margin is not None:
        o.quote_margin = real_arg(quote_margin, "quote_margin", 0.0)
    if close is not None:
        if close not in RFP_CLOSES:
            raise invalid("close", None, f"must be one of {RFP_CLOSES}, got {close!r}")
        o.close = close
    if shop_rounds is not None:
        o.shop_rounds = int_arg(shop_rounds, "shop_rounds", 0, 2**32 - 1)
    if stall_rounds is not None:
        o.stall_rounds = int_arg(stall_rounds, "stall_rounds", 0, 2**32 - 1)
    if seed is not None:
        o.seed = int_arg(seed, "seed", 0, 2**64 - 1)
    o.validate()
    return o


def run_rfp(
    scenarios: Sequence[Scenario],
    buyer: Any,
    sellers: Sequence[Any],
    *,
    n_steps: int | None = None,
    first: int | None = None,
    rival_quotes: bool | None = None,
    quote_margin: float | None = None,
    close: str | None = None,
    shop_rounds: int | None = None,
    stall_rounds: int | None = None,
    seed: int | None = None,
    value_scale: float = 1.0,
) -> RFPResult:
    """A request for proposals: one buyer negotiating with several sellers at
    once, each in its own alternating-offers thread, all threads in lockstep.

    At each of its turns in seller s's thread the buyer looks at the other
    sellers' best offers so far (and, shopping, the quote it holds); when the
    best of them (for the buyer) beats seller s's best by more than
    ``quote_margin`` and beats what was cited to s before, the buyer cites it
    as a rival quote: seller s's strategy sees it from then on
    (``price_matcher`` meets or beats it, never below its floor or
    reservation; the time-dependent strategies hold to their schedule), the
    buyer's offer is tagged ``competitor_quote`` and the citation becomes a
    competitor_quote event (amount: the quote's price, or value) in seller
    s's ledger.

    An agreement in a thread is an acceptable quote. ``close="first_acceptable"``
    awards at the first turn with one (of the threads agreeing then, the
    best for the buyer). ``close="shop"`` (the default) holds the best quote
    so far and shops on: the buyer cites it to the open sellers, accepts only
    offers that beat it (by more than ``quote_margin``, or at all when its
    strategy accepts them), asks for no less than it, and awards the best
    quote after ``shop_rounds`` further rounds, or once ``stall_rounds``
    rounds pass with no seller improving its offer, or when no thread is
    open. Both play the same turns up to the first quote, so shopping is
    never worse for the buyer. Every thread not awarded ends lost to a rival
    (deal_lost, reason competitor, in its ledger). Defaults come from C++
    (``_core.negotiation.RFPOptions()``).

    Parameters
    ----------
    scenarios : sequence of Scenario
        One per seller: the buyer is party 0 (u1), the seller party 1 (u2).
    buyer : Strategy
        The buyer's strategy (a copy plays each thread).
    sellers : sequence of Strategy
        One per scenario.
    n_steps : int, optional
        Deadline in rounds of every thread (default 100).
    first : int, optional
        0: the buyer opens every thread (default); 1: the sellers do.
    rival_quotes : bool, optional
        Whether the buyer cites rival offers (default True).
    quote_margin : float, optional
        Cite a rival (and, shopping, accept against the held quote) only when
        it is better for the buyer by more than this (default 0).
    close : {"shop", "first_acceptable"}, optional
        Whether the buyer shops on after the first acceptable quote (default "shop").
    shop_rounds : int, optional
        Shopping: further rounds after the first acceptable quote (default 10, at least 1).
    stall_rounds : int, optional
        Shopping: stop after this many rounds without any seller improving (default 3; 0: never).
    seed : int, optional
        For randomised strategies (default 0).
    value_scale : float, default 1.0
        Currency per utility unit in the ledger events of a scenario without a price issue.

    Returns
    -------
    RFPResult
        The award, the threads, the quotes and the trace (pandas DataFrames).

    Examples
    --------
    Two sellers of one product, price 100..200; the buyer concedes slowly,
    seller 0 linearly, seller 1 beats any rival price by 5 down to 110. At
    round 8 the buyer accepts seller 0's 122: closing there awards it;
    shopping on, the buyer holds 122, cites it to seller 1 and gets 121:

    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, Scenario,
    ...                                   boulware, linear, price_matcher, run_rfp)
    >>> space = OutcomeSpace({"price": (100, 200)})
    >>> buyer_u = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0)}, [1.0], space)
    >>> scs = [Scenario(buyer_u, LinearAdditiveUtilityFunction({"price": (0.01, 0.0)}, [1.0], space,
    ...                                                        reserved_value=r)).set_price_issue("price")
    ...        for r in (0.0, 0.1)]
    >>> sellers = [linear(), price_matcher(110.0, beat_by=5.0, e=0.1)]
    >>> first = run_rfp(scs, boulware(), sellers, n_steps=10, close="first_acceptable")
    >>> first.winner, first.agreement, first.buyer_utility
    (0, {'price': 122}, 0.78)
    >>> r = run_rfp(scs, boulware(), sellers, n_steps=10)  # close="shop"
    >>> r.winner, r.agreement, r.buyer_utility, r.first_quote_round, r.first_quote_utility
    (1, {'price': 121}, 0.79, 8, 0.78)
    >>> r.threads[["seller", "status", "quotes_received"]]
       seller         status  quotes_received
    0       0  lost_to_rival                0
    1       1            won                8
    >>> r.quotes.tail(2)  # seller 0's open offer, then the quote the buyer held
       round  to  from  offer  buyer_utility  price   held
    6      7   1     0     32           0.68  132.0  False
    7      8   1     0     22           0.78  122.0   True
    >>> list(r.events(1)["kind"])[-3:], list(r.events(1)["amount"])[-3:]
    (['price_match', 'competitor_quote', 'deal_won'], [127.0, 122.0, 121.0])
    """
    if len(scenarios) != len(sellers):
        raise invalid("sellers", None, f"{len(sellers)} strategies for {len(scenarios)} scenarios")
    o = _rfp_options(n_steps, first, rival_quotes, quote_margin, close, shop_rounds, stall_rounds, seed)
    d = _core.negotiation.run_rfp([s._core for s in scenarios], _strategy(buyer), [_strategy(s) for s in sellers], o,
                      0, 0.0, 1.0, real_arg(value_scale, "value_scale", 0.0))
    return RFPResult(scenarios, d)


def run_rfp_batch(
    rfps: Sequence[tuple[Sequence[Scenario], Sequence[Any]]],
    buyers: Sequence[Any],
    seeds: Iterable[int] = (0,),
    *,
    n_steps: int | None = None,
    first: int | None = None,
    rival_quotes: bool | None = None,
    quote_margin: float | None = None,
    close: str | None = None,
    shop_rounds: int | None = None,
    stall_rounds: int | None = None,
    threads: int = 0,
) -> pd.DataFrame:
    """Every (RFP, buyer strategy, seed) on ``threads`` threads; the rows are
    the same whatever the thread count.

    Parameters
    ----------
    rfps : sequence of (scenarios, seller strategies)
        Each RFP: one scenario and one seller strategy per seller (see :func:`run_rfp`).
    buyers : sequence of Strategy
        The buyer strategies to try.
    seeds : iterable of int, default (0,)
        Seeds for randomised strategies.
    n_steps, first, rival_quotes, quote_margin, close, shop_rounds, stall_rounds : optional
        As in :func:`run_rfp`.
    threads : int, default 0
        Threads (0: one per core; Python strategies run on one).

    Returns
    -------
    pandas.DataFrame
        One row per run: rfp, buyer (its name), seed, winner (-1: none),
        outcome, u_buyer, u_winner (NaN without award), u_first (the quote
        held after the turn of the first acceptable quote, at least what
        closing there awards; NaN: none),
        first_quote_round (-1: none), rounds, quotes.

    Examples
    --------
    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, Scenario,
    ...                                   boulware, conceder, linear, price_matcher, run_rfp_batch)
    >>> space = OutcomeSpace({"price": (1, 5)})
    >>> b = LinearAdditiveUtilityFunction({"price": [1, .75, .5, .25, 0]}, [1.0], space)
    >>> s = LinearAdditiveUtilityFunction({"price": [0, .25, .5, .75, 1]}, [1.0], space)
    >>> scs = [Scenario(b, s).set_price_issue("price") for _ in range(2)]
    >>> rows = run_rfp_batch([(scs, [conceder(), price_matcher(2.0)])], [boulware(), linear()], n_steps=20)
    >>> rows[["buyer", "winner", "u_buyer", "u_first", "quotes"]]
          buyer  winner  u_buyer  u_first  quotes
    0  boulware       0     0.75     0.75       3
    1    linear       0     0.75     0.75       3
    """
    o = _rfp_options(n_steps, first, rival_quotes, quote_margin, close, shop_rounds, stall_rounds, None)
    bs = [_strategy(b) for b in buyers]
    d = _core.negotiation.run_rfp_batch([[s._core for s in r[0]] for r in rfps], [[_strategy(x) for x in r[1]] for r in rfps],
                            bs, [int_arg(s, "seeds", 0, 2**64 - 1) for s in seeds], o, threads_arg(threads))
    frame = pd.DataFrame({k: np.asarray(v) for k, v in d.items()})
    frame["buyer"] = [bs[int(i)].name for i in frame["buyer"]]
    return frame


def run_multilateral_batch(
    scenarios: Sequence[Sequence[UtilityFunction]],
    strategies: Sequence[Any],
    seeds: Iterable[int] = (0,),
    *,
    n_steps: int = 100,
    threads: int = 0,
) -> pd.DataFrame:
    """Every (scenario, seed) of a multilateral session with the same
    strategies on ``threads`` threads; the rows are the same whatever the
    thread count.

    Parameters
    ----------
    scenarios : sequence of sequences of utility functions
        Each scenario: one utility function per party.
    strategies : sequence of Strategy
        One per party, in turn order.
    seeds : iterable of int, default (0,)
        Seeds for randomised strategies.
    n_steps : int, default 100
        Deadline in rounds.
    threads : int, default 0
        Threads (0: one per core; Python strategies run on one).

    Returns
    -------
    pandas.DataFrame
        One row per session: scenario, seed, status, outcome, rounds, offers,
        t, and ``u_<p>`` for every party.

    Examples
    --------
    >>> from goodwill.negotiation import (LinearAdditiveUtilityFunction, OutcomeSpace, conceder,
    ...                                   random_strategy, run_multilateral_batch)
    >>> space = OutcomeSpace({"x": (0, 4)})
    >>> u = [LinearAdditiveUtilityFunction({"x": t}, [1.0], space) for t in
    ...      ([1, .8, .6, .4, .2], [.2, .4, .6, .8, 1], [.5, .9, 1, .3, .1])]
    >>> rows = run_multilateral_batch([u], [conceder(), random_strategy(0.5), conceder()], range(3), n_steps=10)
    >>> len(rows), list(rows.columns)
    (3, ['scenario', 'seed', 'status', 'outcome', 'rounds', 'offers', 't', 'u_0', 'u_1', 'u_2'])
    """
    cores = [_multilateral_core(s, "") for s in scenarios]
    n = len(strategies)
    d = _core.negotiation.run_multilateral_batch(cores, [_strategy(s) for s in strategies],
                                     [int_arg(s, "seeds", 0, 2**64 - 1) for s in seeds],
                                     int_arg(n_steps, "n_steps", 1, 2**31 - 1), threads_arg(threads))
    frame = pd.DataFrame({k: np.asarray(d[k]) for k in ("scenario", "seed", "status", "outcome", "rounds", "offers", "t")})
    frame["status"] = pd.Categorical.from_codes(frame["status"].to_numpy().astype(np.int64),
                                                categories=pd.Index(STATUSES))
    u = np.asarray(d["utilities"], dtype=np.float64).reshape(-1, n) if n else np.zeros((len(frame), 0))
    for p in range(n):
        frame[f"u_{p}"] = u[:, p]
    return frame


def search_scenario(
    u1: UtilityFunction,
    u2: UtilityFunction,
    *,
    samples: int | None = None,
    climbs: int | None = None,
    passes: int | None = None,
    values_per_issue: int | None = None,
    seed: int | None = None,
    exact_limit: int | None = None,
    name: str = "",
) -> tuple[Scenario, pd.DataFrame]:
    """A scenario for sessions on a space too big to enumerate (non-linear
    preferences over 10^10 outcomes and up, continuous issues): the outcomes
    :func:`bargaining_analysis` evaluates — a uniform sample and every outcome
    its coordinate ascent reaches towards each party's best and along the
    frontier — become the candidates, and strategies choose their offers by
    utility among them. On a space within ``exact_limit`` the candidates are
    all outcomes. Over continuous issues, :func:`run_continuous_session`
    negotiates on the box directly (offers by search on the utility, no
    candidate set).

    Parameters
    ----------
    u1, u2 : LinearAdditiveUtilityFunction, HyperRectangleUtilityFunction or WeightedUtilityFunction
        The two parties' utilities over one space.
    samples, climbs, passes, values_per_issue, seed, exact_limit : int, optional
        The search's settings (see :func:`bargaining_analysis`).
    name : str, default ""
        Name of the scenario.

    Returns
    -------
    tuple of (Scenario, pandas.DataFrame)
        The scenario over one issue ``candidate`` (outcome ids index the
        candidates), and the candidates' issue values (one row per id).

    Examples
    --------
    >>> from goodwill.negotiation import (HyperRectangleUtilityFunction, OutcomeSpace, boulware,
    ...                                   conceder, run_session, search_scenario)
    >>> space = OutcomeSpace({f"i{k}": (0, 99) for k in range(30)})  # 10^60 outcomes
    >>> seller = HyperRectangleUtilityFunction(
    ...     [{"utility": 1 / 30, "includes": {f"i{k}": (50, 99)}} for k in range(30)], space, reserved_value=0.3)
    >>> buyer = HyperRectangleUtilityFunction(
    ...     [{"utility": 1 / 30, "includes": {f"i{k}": (0, 69)}} for k in range(30)], space, reserved_value=0.3)
    >>> sc, candidates = search_scenario(seller, buyer, samples=3000)
    >>> r = run_session(sc, boulware(), conceder(), n_steps=60)
    >>> o = candidates.iloc[r.outcome].to_dict()
    >>> r.status, r.utilities == (seller(o), buyer(o))
    ('agreement', True)
    """
    d = dict(_core.negotiation.approximate_bargaining_defaults())
    for key, v in (("samples", samples), ("climbs", climbs), ("passes", passes),
                   ("values_per_issue", values_per_issue), ("seed", seed), ("exact_limit", exact_limit)):
        if v is not None:
            d[key] = int_arg(v, key, 0, 2**63 - 1)
    r = _core.negotiation.search_scenario(u1._core, u2._core, d["samples"], d["climbs"], d["passes"],
                              d["values_per_issue"], d["seed"], d["exact_limit"])
    sc = Scenario.from_arrays(
        OutcomeSpace(r["space"]), r["u1"], r["u2"],
        reserved_values=(u1.reserved_value, u2.reserved_value),
        discount_factors=(u1.discount_factor, u2.discount_factor), name=name,
    )
    space = u1.outcome_space
    k = int(r["issue_count"])
    values = np.asarray(r["values"], dtype=np.float64).reshape(-1, k)
    cols: dict[str, Any] = {}
    for j, issue in enumerate(space.issues):
        col = values[:, j]
        if issue.kind in ("categorical", "ordinal"):
            cols[issue.name] = pd.Categorical.from_codes(col.astype(np.int64), categories=pd.Index(list(issue.labels)))
        elif issue.kind == "integer":
            cols[issue.name] = col.astype(np.int64)
        else:
            cols[issue.name] = col
    return sc, pd.DataFrame(cols)


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
    combinations number at most ``discrete_limit`` (default 256): each
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
        Rounds (default 100).
    first : int, optional
        The party that opens (default 0).
    bisection_steps, probes, passes : int, optional
        The search's depth (default 60 halvings) and, for non-linear
        utilities, the coordinate search's settings (default 65, 4).
    deadlines, relative_deadlines, reserved_values : pair, optional
        Each party's private deadline (rounds, or share of ``n_steps``) and
        reservation value, as above.
    strategies : pair of str, default ("time_dependent", "time_dependent")
        Each party's strategy, "time_dependent" or "tit_for_tat".
    factors : pair of float, default (1.0, 1.0)
        Each tit-for-tat party's factor (utility conceded per unit the
        opponent improved); unused by a time-dependent party.
    discrete_limit : int, optional
        Most value combinations of the discrete issues searched (default 256).

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
        o.first = int_arg(first, "first", 0, 1)
    if bisection_steps is not None:
        o.bisection_steps = int_arg(bisection_steps, "bisection_steps", 1, 200)
    if probes is not None:
        o.probes = int_arg(probes, "probes", 2, 2**32 - 1)
    if passes is not None:
        o.passes = int_arg(passes, "passes", 0, 2**32 - 1)
    if discrete_limit is not None:
        o.discrete_limit = int_arg(discrete_limit, "discrete_limit", 0, 2**63 - 1)
    o.own_rounds, o.own_time, o.reservation = _private(deadlines, relative_deadlines, reserved_values)
    o.validate()
    if len(strategies) != 2:
        raise invalid("strategies", None, f"needs one entry per party (2), got {len(strategies)}")
    for i, name in enumerate(strategies):
        if name not in ("time_dependent", "tit_for_tat"):
            raise invalid("strategies", i, f"{name!r} is not 'time_dependent' or 'tit_for_tat'")
    if len(factors) != 2:
        raise invalid("factors", None, f"needs one entry per party (2), got {len(factors)}")
    f1, f2 = (real_arg(f, "factors", 0.0) for f in factors)
    d = _core.negotiation.run_continuous_session(u1._core, u2._core, real_arg(e1, "e1", 0.0), real_arg(e2, "e2", 0.0), o,
                                     str(strategies[0]), str(strategies[1]), f1, f2)
    return ContinuousResult(u1.outcome_space, d)


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


_ELICITATION_SETTERS: dict[str, Callable[[Any, str], Any]] = {
    "cost": lambda v, k: real_arg(v, k),
    "max_questions": lambda v, k: int_arg(v, k, 0, 4294967295),
    "per_turn": lambda v, k: int_arg(v, k, 0, 4294967295),
    "e": lambda v, k: real_arg(v, k),
    "opponent_model": lambda v, k: bool(v),
    "window": lambda v, k: real_arg(v, k),
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
