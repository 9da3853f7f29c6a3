"""Scenarios (an outcome space and both parties' utilities) and the Genius
import (negotiation/scenario.hpp, negotiation/genius.hpp)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from .outcome_space import OutcomeSpace
from .preferences import (
    GeniusUtility,
    HyperRectangleUtilityFunction,
    LinearAdditiveUtilityFunction,
    UtilityFunction,
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
