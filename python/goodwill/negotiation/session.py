"""Alternating-offers sessions and batches of them (negotiation/session.hpp,
negotiation/batch.hpp)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import threads_arg
from .._errors import invalid
from ..ledger import Ledger
from ._common import OFFER_TAGS, STATUSES, _private, _strategy
from .scenario import Scenario

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
