"""Bargaining analysis: the Pareto frontier and the Nash, Kalai-Smorodinsky and
maximum-welfare points (negotiation/bargaining.hpp)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from .._columns import int_arg
from .outcome_space import OutcomeSpace
from .preferences import UtilityFunction

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


def _approximate_options(**given: int | None) -> Any:
    """The C++ ApproximateBargainingOptions (its defaults) with the given
    fields set, each checked by name."""
    o = _core.negotiation.ApproximateBargainingOptions()
    for key, v in given.items():
        if v is not None:
            setattr(o, key, int_arg(v, key, 0, 2**63 - 1))
    return o


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
    (``_core.negotiation.ApproximateBargainingOptions()``).

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
    o = _approximate_options(samples=samples, climbs=climbs, passes=passes,
                             values_per_issue=values_per_issue, seed=seed, exact_limit=exact_limit)
    return BargainingAnalysis(u1.outcome_space, _core.negotiation.bargaining_analysis(u1._core, u2._core, o))
