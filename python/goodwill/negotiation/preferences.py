"""Utility functions over an outcome space: linear-additive, hyper-rectangle,
weighted and custom (negotiation/preferences.hpp, negotiation/nonlinear.hpp)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable

import numpy as np
import numpy.typing as npt

from .. import _core
from .._core.negotiation import HyperRectangleUtility as _CoreHyperRectangle
from .._core.negotiation import LinearAdditiveUtility as _CoreUtility
from .._errors import invalid
from .outcome_space import OutcomeSpace

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
