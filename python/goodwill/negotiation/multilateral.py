"""Several parties: multilateral sessions and requests for proposals
(negotiation/multilateral.hpp)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import int_arg, real_arg, threads_arg
from .._errors import invalid
from ..ledger import Ledger
from ._common import OFFER_TAGS, STATUSES, _strategy
from .bargaining import _approximate_options
from .outcome_space import OutcomeSpace
from .preferences import UtilityFunction
from .scenario import Scenario

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
    o = _approximate_options(samples=samples, climbs=climbs, passes=passes,
                             values_per_issue=values_per_issue, seed=seed, exact_limit=exact_limit)
    r = _core.negotiation.search_scenario(u1._core, u2._core, o)
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
