"""Negotiation strategies: the built-in ones and strategies written in Python
(negotiation/strategies.hpp, negotiation/negotiator.hpp)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _core
from .._columns import int_arg, real_arg
from ._common import Strategy

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
