"""The policy simulator: seller policies against customer archetypes, month by month.

``simulate`` runs one policy on a market of customer slots and returns the
goodwill ledger of the simulated events with per-month metrics;
``compare_policies`` runs several policies over several seeds and reports
means with Student-t confidence intervals; ``plot_policy_comparison`` draws
them. See ``simulation.hpp`` for the model (archetypes, policies, deals
negotiated by the negotiation engine, trust from the relationship engine).
Results are identical for any number of threads.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._columns import int_arg, invalid, real_arg, threads_arg
from .._convert import to_core
from .._progress import progress_printer
from ..decision import CustomerThresholds
from ..ledger import Ledger
from ..relationship import RelationshipModel

if TYPE_CHECKING:  # Python 3.9 has no typing.Self
    from typing_extensions import Self

CUSTOMER_TYPES: tuple[str, ...] = tuple(_core.synthetic.CUSTOMER_TYPES)
SELLER_STRATEGIES: tuple[str, ...] = tuple(_core.synthetic.SELLER_STRATEGIES)
FIRING_RULES: tuple[str, ...] = tuple(_core.synthetic.FIRING_RULES)
SELLER_AUTHORITIES: tuple[str, ...] = tuple(_core.synthetic.SELLER_AUTHORITIES)
METRICS: tuple[str, ...] = tuple(_core.synthetic.SIMULATION_METRICS)

__all__ = [
    "CUSTOMER_TYPES",
    "POLICIES",
    "SellerPolicy",
    "Simulation",
    "compare_policies",
    "explain_policies",
    "plot_policy_comparison",
    "simulate",
]


#: The C++ seller_policy's defaults, read once.
_DEFAULT: Any = _core.synthetic.SellerPolicy()
#: The C++ simulation_params' defaults (simulate's defaults), read once.
_PARAMS = _core.synthetic.SimulationParams()


@dataclasses.dataclass
class SellerPolicy:
    """A seller policy.

    - ``strategy``: how deals are negotiated — ``price_matcher`` (meet or
      beat a rival quote down to the floor), ``alternatives`` (offer packages
      of equal profit the buyer values more), ``hold_floor`` (Boulware,
      concede late, never below the floor) or ``linear``;
    - ``floor_margin``: the floor price keeps this margin;
    - ``meeting_cadence_days``: days between scheduled meetings (0: none);
    - ``discovery_per_year``, ``promises_per_year``, ``promise_keep_rate``;
    - ``firing``: ``never``, ``unprofitable`` (trailing 12-month profit below
      zero) or ``seeds`` (goodwill.decide's rule with ``fire_thresholds``);
    - ``warm_referral_share``: new-lead effort on warm referrals, the rest on
      cold outreach;
    - ``lean_in_at_risk``: hold a discovery session in every month that
      starts with the customer ``at_risk`` in the relationship model (seed
      000's "lean in");
    - ``authority``: ``owns_floor`` (decides on the spot, owns a firing) or
      ``limited`` (takes prices below ``escalation_threshold`` of list to the
      boss, and blames the boss for a firing; seed 003);
    - ``gracious_exit``: never "I told you so" when a customer leaves (seed 002);
    - ``exit_win_lose``: recognise a win-lose negotiator from its responses
      and exit the relationship gracefully (seed 001; mechanism
      ``win_lose_exit``): every negotiated deal scores the customer's
      re-trades at the close (mechanism ``retrades``) — 1 for a late scope
      cut, 1 for a demand after the seller conceded (0..2) — and once
      ``win_lose_min_deals`` deals are seen and their mean reaches
      ``win_lose_threshold`` the seller exits, with no "I told you so".

    The defaults are the C++ ``seller_policy``'s (include/goodwill/simulation.hpp).

    Parameters
    ----------
    name, strategy, floor_margin, meeting_cadence_days, discovery_per_year, promises_per_year, promise_keep_rate, firing, warm_referral_share, lean_in_at_risk, fire_thresholds, authority, escalation_threshold, gracious_exit, exit_win_lose, win_lose_threshold, win_lose_min_deals
        The fields above; any left out keep the C++ defaults.

    Examples
    --------
    >>> from goodwill import SellerPolicy
    >>> p = SellerPolicy(name="patient", exit_win_lose=True, win_lose_threshold=1.5)
    >>> p.win_lose_min_deals
    2.0
    """

    name: str = _DEFAULT.name
    strategy: str = _DEFAULT.strategy
    floor_margin: float = _DEFAULT.floor_margin
    meeting_cadence_days: float = _DEFAULT.meeting_cadence_days
    discovery_per_year: float = _DEFAULT.discovery_per_year
    promises_per_year: float = _DEFAULT.promises_per_year
    promise_keep_rate: float = _DEFAULT.promise_keep_rate
    firing: str = _DEFAULT.firing
    warm_referral_share: float = _DEFAULT.warm_referral_share
    lean_in_at_risk: bool = _DEFAULT.lean_in_at_risk
    fire_thresholds: CustomerThresholds = dataclasses.field(default_factory=CustomerThresholds)
    authority: str = _DEFAULT.authority
    escalation_threshold: float = _DEFAULT.escalation_threshold
    gracious_exit: bool = _DEFAULT.gracious_exit
    exit_win_lose: bool = _DEFAULT.exit_win_lose
    win_lose_threshold: float = _DEFAULT.win_lose_threshold
    win_lose_min_deals: float = _DEFAULT.win_lose_min_deals

    def _core(self) -> Any:
        return to_core(self, _core.synthetic.SellerPolicy())


def _presets() -> dict[str, SellerPolicy]:
    out = {}
    for p in _core.synthetic.policy_presets():
        out[p.name] = SellerPolicy(
            name=p.name,
            strategy=p.strategy,
            floor_margin=p.floor_margin,
            meeting_cadence_days=p.meeting_cadence_days,
            discovery_per_year=p.discovery_per_year,
            promises_per_year=p.promises_per_year,
            promise_keep_rate=p.promise_keep_rate,
            firing=p.firing,
            warm_referral_share=p.warm_referral_share,
            lean_in_at_risk=p.lean_in_at_risk,
            authority=p.authority,
            escalation_threshold=p.escalation_threshold,
            gracious_exit=p.gracious_exit,
            exit_win_lose=p.exit_win_lose,
            win_lose_threshold=p.win_lose_threshold,
            win_lose_min_deals=p.win_lose_min_deals,
        )
    return out


#: The preset policies by name: price_matcher, trust_builder,
#: disciplined_walk_away, fire_the_unprofitable.
POLICIES: dict[str, SellerPolicy] = _presets()


def _policy(policy: SellerPolicy | str) -> SellerPolicy:
    if isinstance(policy, SellerPolicy):
        return policy
    if isinstance(policy, str) and policy in POLICIES:
        return dataclasses.replace(POLICIES[policy])
    raise invalid("policy", None, f"must be a SellerPolicy or one of {sorted(POLICIES)}, got {policy!r}")


def _count(name: str, value: Any, lo: int, hi: int) -> int:
    return int_arg(value, name, lo, hi)


def _mix(mix: Mapping[str, float] | Sequence[float] | None) -> list[float]:
    if mix is None:
        return list(_core.synthetic.MarketModel().mix)
    if isinstance(mix, Mapping):
        unknown = set(mix) - set(CUSTOMER_TYPES)
        if unknown:
            raise invalid("mix", None, f"unknown customer type {min(unknown)!r}; known: {list(CUSTOMER_TYPES)}")
        return [float(mix.get(t, 0.0)) for t in CUSTOMER_TYPES]
    values = [float(v) for v in mix]
    if len(values) != len(CUSTOMER_TYPES):
        raise invalid("mix", None, f"needs {len(CUSTOMER_TYPES)} weights ({', '.join(CUSTOMER_TYPES)})")
    return values


def _printer(desc: str) -> Callable[[int, int], None]:
    return progress_printer(desc)


def _metrics_frame(values: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(np.asarray(values), columns=list(METRICS))
    frame.index = pd.RangeIndex(len(frame), name="month")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["margin"] = frame["gross_margin"] / frame["revenue"]
        frame["retention"] = 1.0 - (frame["churned"] + frame["fired"]) / frame["active_start"]
        frame["mean_trust"] = frame["trust_sum"] / frame["active"]
    return frame



#: The simulate() outputs that moved from ``metrics.attrs`` to :class:`Simulation`,
#: with where to read them now.
_MOVED_ATTRS: dict[str, str] = {
    "customer_types": "Simulation.customers['customer_type']",
    "final_state": "Simulation.customers['final_state']",
    "states": "Simulation.states",
    "as_of": "Simulation.as_of",
    "policy": "Simulation.policy",
}


class _DeprecatedAttrs(dict[Hashable, Any]):
    """``metrics.attrs`` of a simulate() result: the moved entries still read,
    with a DeprecationWarning naming the :class:`Simulation` field."""

    def _warn(self, key: Hashable) -> None:
        if isinstance(key, str) and key in _MOVED_ATTRS:
            warnings.warn(
                f"metrics.attrs[{key!r}] is deprecated and goes in the next release "
                f"(pandas drops attrs in many operations): read {_MOVED_ATTRS[key]}",
                DeprecationWarning, stacklevel=3)

    def __getitem__(self, key: Hashable) -> Any:
        self._warn(key)
        return super().__getitem__(key)

    def get(self, key: Hashable, default: Any = None) -> Any:
        self._warn(key)
        return super().get(key, default)


def _keep_deprecated_attrs(frame: pd.DataFrame, **entries: Any) -> None:
    """Fill ``frame.attrs`` with the moved entries for this release; reading
    one warns (on the frame itself: pandas copies attrs to derived frames as a
    plain dict)."""
    attrs = _DeprecatedAttrs(frame.attrs)
    attrs.update(entries)
    object.__setattr__(frame, "_attrs", attrs)  # the attrs setter would copy to a plain dict
    if frame.attrs is not attrs:  # a pandas that keeps attrs elsewhere: plain entries, no warning
        frame.attrs.update(entries)


class Simulation(tuple[Optional[Ledger], pd.DataFrame]):  # Optional: a base class is evaluated on 3.9
    """What :func:`simulate` returns: unpacks as ``(ledger, metrics)``, and holds the rest.

    The per-customer outputs are a table of their own, not ``metrics.attrs``
    (which pandas drops in many operations): ``customers`` has one row per
    simulated slot (index ``customer``, the ledger's customer key) with its
    ``customer_type`` (archetype) and ``final_state`` (its relationship state
    at the end, as :meth:`RelationshipModel.replay` gives it for the ledger).
    ``states`` counts the slots in each state at every month end (indexed by
    month); ``as_of`` is when pending dormancy moves were settled; ``policy``
    the policy's name.

    ``metrics.attrs`` still holds ``customer_types``, ``final_state``,
    ``states``, ``as_of`` and ``policy`` for this release (deprecated: read
    them here; reading one from the returned frame's ``attrs`` issues a
    DeprecationWarning; frames pandas derives from it carry plain copies).

    Parameters
    ----------
    items : tuple of (Ledger or None, DataFrame)
        The ledger and the monthly metrics.
    customers : DataFrame, optional
        One row per slot: customer_type, final_state.
    states : DataFrame, optional
        Slots per state at each month end.
    as_of : float
        When pending dormancy moves were settled.
    policy : str
        The policy's name.

    Examples
    --------
    >>> import goodwill
    >>> run = goodwill.simulate("trust_builder", customers=50, months=3, ledger=False)
    >>> ledger, metrics = run
    >>> list(run.customers.columns), len(run.customers)
    (['customer_type', 'final_state'], 50)
    """

    customers: pd.DataFrame
    states: pd.DataFrame
    as_of: float
    policy: str

    def __new__(
        cls,
        items: tuple[Ledger | None, pd.DataFrame],
        customers: pd.DataFrame | None = None,
        states: pd.DataFrame | None = None,
        as_of: float = math.nan,
        policy: str = "",
    ) -> Self:
        self = super().__new__(cls, items)
        self.customers = customers if customers is not None else pd.DataFrame(
            {"customer_type": pd.Series(dtype=object), "final_state": pd.Series(dtype=object)})
        self.states = states if states is not None else pd.DataFrame()
        self.as_of = float(as_of)
        self.policy = str(policy)
        return self

    @property
    def ledger(self) -> Ledger | None:
        """The events (None when run with ``ledger=False``)."""
        return self[0]

    @property
    def metrics(self) -> pd.DataFrame:
        """The monthly metrics."""
        return self[1]

    def __repr__(self) -> str:
        return (f"<goodwill.Simulation: policy {self.policy!r}, {len(self.customers):,} customers, "
                f"{len(self.metrics):,} months>")


def simulate(
    policy: SellerPolicy | str = "trust_builder",
    customers: int = _PARAMS.customers,
    months: int = _PARAMS.months,
    seed: int = _PARAMS.seed,
    threads: int = _PARAMS.threads,
    *,
    mix: Mapping[str, float] | Sequence[float] | None = None,
    initially_active: float = _PARAMS.initially_active,
    start_time: float = _PARAMS.start_time,
    ledger: bool = _PARAMS.record_ledger,
    progress: bool = False,
    first_customer: int = _PARAMS.first_customer,
    model: RelationshipModel | None = None,
    as_of: float | None = None,
    market: Any = None,
) -> Simulation:
    """Simulate ``policy`` month by month on ``customers`` slots.

    Returns a :class:`Simulation`, which unpacks as ``(ledger, metrics)``:
    the goodwill :class:`Ledger` of every
    simulated event (customers 0..n−1; ``None`` with ``ledger=False``, which
    is faster) and a DataFrame indexed by month with revenue, gross_margin,
    cost_to_serve, acquisition_cost, profit, active, active_start, prospects,
    new_customers, churned, fired, won_back, deals, deals_won, walk_aways,
    price_matches, alternatives, referrals, trust_sum, and the derived
    margin, retention (1 − (churned + fired) / active_start) and mean_trust.
    ``result.customers`` has one row per slot: its archetype
    (``customer_type``) and ``final_state``.

    Every deal is a negotiation-engine session on the deal's own trust and
    rival quote, and every event steps the customer through the relationship
    engine: ``model`` (default :func:`relationship_selling`).
    ``result.states`` counts the slots in each of its states at
    every month end (a DataFrame indexed by month), and
    ``result.customers["final_state"]`` holds each slot's state at the end —
    the states :meth:`RelationshipModel.replay` gives for the ledger.
    (``metrics.attrs`` holds these too, deprecated: pandas drops attrs.)
    Identical for any ``threads``. ``first_customer`` simulates the slots
    ``first_customer .. first_customer + customers - 1``, each exactly as in
    a run from slot 0 (how :mod:`goodwill.dask` shards a run).

    A dormancy move of the model (a customer lost once the window has passed
    since its last lost deal) still pending at the end stands if it is due
    by ``as_of`` — default the run's last event time, which is what a replay
    of the ledger settles at; ``result.as_of`` holds the one used
    (goodwill.dask passes the whole run's to each block).

    ``market`` is the synthetic-customer model (:func:`goodwill.market_model`;
    archetypes, lead channels, mechanisms and their switches), shared with
    :func:`goodwill.synthetic_market`; without ``mix``, the book's mix is
    the market's (a calibrated market's, :func:`goodwill.calibrate_market`).

    Parameters
    ----------
    policy : SellerPolicy or str
        The seller's policy, or a preset's name.
    customers, months : int
        Customer slots and months simulated.
    seed : int
        Seed of the counter-based random numbers.
    threads : int
        Worker threads; the result does not depend on them.
    mix : dict or sequence, optional
        Archetype weights of the book (above).
    initially_active : float
        Share of the slots that are customers at the start (in [0, 1]).
    start_time : float
        Day of the first month's start.
    ledger : bool
        Keep the ledger of events (False: faster, ``None`` returned).
    progress : bool
        Show a progress bar.
    first_customer : int
        First slot simulated (above).
    model : RelationshipModel, optional
        The relationship model (above).
    as_of : float, optional
        When pending dormancy moves are settled (above).
    market : MarketModel, optional
        The synthetic-customer model (above).

    Returns
    -------
    Simulation
        Unpacks as (Ledger or None, DataFrame): the events and the monthly
        metrics; ``.customers``, ``.states``, ``.as_of``, ``.policy`` (above).

    Examples
    --------
    >>> from goodwill import simulate
    >>> _, m = simulate("trust_builder", customers=200, months=6, ledger=False)
    >>> int(m["active"].iloc[0]) > 0
    True
    """
    pol = _policy(policy)._core()
    n = _count("customers", customers, 0, 2**32 - 2)
    m = _count("months", months, 1, 1200)
    s = _count("seed", seed, 0, 2**64 - 1)
    t = threads_arg(threads, 1)
    first = _count("first_customer", first_customer, 0, 2**32 - 2)
    if first + n > 2**32 - 1:
        raise invalid("first_customer", None, "first_customer + customers must be below 4294967296")
    report = _printer(f"simulate {pol.name}") if progress and n > 0 else None
    if model is not None and not isinstance(model, RelationshipModel):
        raise invalid("model", None, f"must be a RelationshipModel, got {type(model).__name__}")
    settle = math.nan if as_of is None else real_arg(as_of, "as_of")
    if market is not None and not isinstance(market, _core.synthetic.MarketModel):
        raise invalid("market", None, f"must be a MarketModel, got {type(market).__name__}")
    params = _core.synthetic.SimulationParams()
    if market is not None:
        params.model = market
    params.customers, params.months, params.seed, params.threads = n, m, s, t
    params.mix = _mix(mix) if mix is not None or market is None else list(market.mix)
    params.initially_active = real_arg(initially_active, "initially_active", 0.0, 1.0)
    params.start_time = real_arg(start_time, "start_time")
    params.record_ledger = bool(ledger)
    params.first_customer = first
    params.as_of = settle
    core_ledger, values, types, states, final, names, used = _core.synthetic.simulate(
        pol, params, model._core if model is not None else None, report)
    frame = _metrics_frame(values)
    kinds = pd.Categorical.from_codes(np.asarray(types, dtype=np.int8), categories=pd.Index(list(CUSTOMER_TYPES)))
    ends = pd.Categorical.from_codes(np.asarray(final, dtype=np.int32), categories=pd.Index(list(names)))
    counts = pd.DataFrame(np.asarray(states), columns=list(names), index=frame.index)
    # deprecated (Simulation's fields hold them): kept for one release
    _keep_deprecated_attrs(frame, policy=pol.name, customer_types=kinds, states=counts, final_state=ends,
                           as_of=float(used))
    out: Ledger | None = None
    if ledger:
        out = Ledger.__new__(Ledger)
        out._core = core_ledger
    return Simulation((out, frame), _customer_table(kinds, ends, first), counts, float(used), pol.name)


def _customer_table(kinds: Any, ends: Any, first: int) -> pd.DataFrame:
    """The per-customer outputs: one row per slot, keyed as the ledger keys them."""
    index = pd.RangeIndex(first, first + len(kinds), name="customer")
    return pd.DataFrame({"customer_type": kinds, "final_state": ends}, index=index)


#: The per-run summaries compared across policies.
SUMMARY = ("profit", "margin", "retention", "win_backs", "mean_trust", "revenue", "fired", "walk_aways")


def _summary(frame: pd.DataFrame) -> dict[str, float]:
    last = frame.iloc[-1]
    total_start = frame["active_start"].sum()
    return {
        "profit": float(frame["profit"].sum()),
        "margin": float(frame["gross_margin"].sum() / frame["revenue"].sum()) if frame["revenue"].sum() else float("nan"),
        "retention": float(1.0 - (frame["churned"].sum() + frame["fired"].sum()) / total_start) if total_start else float("nan"),
        "win_backs": float(frame["won_back"].sum()),
        "mean_trust": float(last["mean_trust"]),
        "revenue": float(frame["revenue"].sum()),
        "fired": float(frame["fired"].sum()),
        "walk_aways": float(frame["walk_aways"].sum()),
    }


def compare_policies(
    policies: Sequence[SellerPolicy | str] | None = None,
    *,
    seeds: int | Sequence[int] = 5,
    customers: int = 1000,
    months: int = 36,
    threads: int = 1,
    level: float = 0.95,
    mix: Mapping[str, float] | Sequence[float] | None = None,
    progress: bool = False,
    market: Any = None,
) -> pd.DataFrame:
    """Run every policy with every seed and compare.

    Returns a DataFrame indexed by policy with, for each of profit (total),
    margin (gross margin / revenue), retention (1 − monthly exits / active
    customer-months), win_backs, mean_trust (at the last month), revenue,
    fired and walk_aways: ``<m>`` (mean over seeds), ``<m>_sd``,
    ``<m>_low`` and ``<m>_high`` (Student-t interval at ``level``; NaN with
    one seed). ``attrs['runs']`` holds the per-seed summaries. ``market``:
    the synthetic-customer model (default :func:`goodwill.market_model`; e.g.
    a :func:`goodwill.calibrate_market` result's ``.market``).

    Parameters
    ----------
    policies : sequence of SellerPolicy or str, optional
        The policies (default: every preset).
    seeds : int or sequence of int
        Seeds (an int n: seeds 0..n-1); every policy runs on the same ones.
    customers, months : int
        Size and length of each simulated market.
    threads : int
        Worker threads; the table does not depend on them.
    level : float
        Confidence level of the intervals.
    mix : dict or sequence, optional
        Archetype weights of the market.
    progress : bool
        Show a progress bar.
    market : MarketModel, optional
        The synthetic-customer model (above).

    Returns
    -------
    pandas.DataFrame
        Indexed by policy, the columns above.

    Examples
    --------
    >>> import goodwill
    >>> c = goodwill.compare_policies(["trust_builder", "price_matcher"], seeds=2, customers=200, months=12)
    >>> c.index.tolist(), c.loc["price_matcher", ["profit_low", "profit", "profit_high"]].round(-3).tolist()
    (['trust_builder', 'price_matcher'], [952000.0, 1100000.0, 1249000.0])
    """
    pols, seed_list = _comparison_plan(policies, seeds, level)
    report = _printer("compare_policies") if progress else None
    runs = []
    total = len(pols) * len(seed_list)
    for i, pol in enumerate(pols):
        for j, seed in enumerate(seed_list):
            runs.append(_summary_run(pol, seed, customers, months, threads, mix, market))
            if report:
                report(i * len(seed_list) + j + 1, total)
    return _aggregate(runs, level, len(seed_list))


def _comparison_plan(
    policies: Sequence[SellerPolicy | str] | None, seeds: int | Sequence[int], level: float
) -> tuple[list[SellerPolicy], list[int]]:
    """Checked policies and seeds of a comparison."""
    pols = [_policy(p) for p in (policies if policies is not None else list(POLICIES))]
    if not pols:
        raise invalid("policies", None, "needs at least one policy")
    seed_list = list(range(_count("seeds", seeds, 1, 10_000))) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
    if not seed_list:
        raise invalid("seeds", None, "needs at least one seed")
    if not 0.0 < level < 1.0:
        raise invalid("level", None, f"must be in (0, 1), got {level!r}")
    return pols, seed_list


def _summary_run(
    pol: SellerPolicy, seed: int, customers: int, months: int, threads: int,
    mix: Mapping[str, float] | Sequence[float] | None, market: Any = None,
) -> dict[str, Any]:
    """One (policy, seed) run of a comparison, summarised."""
    _, frame = simulate(pol, customers, months, seed, threads, mix=mix, ledger=False, market=market)
    return {"policy": pol.name, "seed": seed, **_summary(frame)}


def _aggregate(runs: Sequence[Mapping[str, Any]], level: float, n: int) -> pd.DataFrame:
    """Means, standard deviations and Student-t intervals over seeds, by policy."""
    table = pd.DataFrame(list(runs))
    rows = {}
    for name, group in table.groupby("policy", sort=False):
        row: dict[str, float] = {}
        for metric in SUMMARY:
            values = group[metric].to_numpy(dtype=float)
            mean = float(np.mean(values))
            sd = float(np.std(values, ddof=1)) if n > 1 else float("nan")
            half = _core.synthetic.t_half_width(sd, n, level) if n > 1 else float("nan")
            row[metric] = mean
            row[f"{metric}_sd"] = sd
            row[f"{metric}_low"] = mean - half
            row[f"{metric}_high"] = mean + half
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "policy"
    out.attrs["runs"] = table
    out.attrs["level"] = level
    out.attrs["seeds"] = n
    return out


#: Headline parameters of :func:`explain_policies` and their (low, high)
#: values; the defaults are in include/goodwill/synthetic/archetypes.hpp.
HEADLINE_PARAMETERS: dict[str, tuple[float, float]] = {
    "leads_per_referral": (0.5, 2.0),
    "return_trust_elasticity": (0.5, 2.0),
    "ungracious_return_factor": (0.1, 0.6),
    "large_deal_serve_share": (0.03, 0.12),
    "escalation_loss": (0.05, 0.30),
    "meeting_fatigue": (0.2, 1.2),
}

#: The summaries :func:`explain_policies` reports changes in.
EXPLAINED = ("profit", "margin", "retention")


def explain_policies(
    policies: Sequence[SellerPolicy | str] | None = None,
    *,
    seeds: int | Sequence[int] = 5,
    customers: int = 1000,
    months: int = 36,
    threads: int = 1,
    level: float = 0.95,
    mix: Mapping[str, float] | Sequence[float] | None = None,
    mechanisms: Sequence[str] | None = None,
    parameters: Mapping[str, tuple[float, float]] | None = None,
    market: Any = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Which mechanism makes which policy win: ablation and sensitivity.

    Runs every policy on every seed with the model ``market`` (default
    :func:`goodwill.market_model`), then again with each mechanism in
    ``mechanisms`` (default all of :data:`goodwill.market.MECHANISMS`)
    switched off in turn, and with each parameter of ``parameters``
    (default :data:`HEADLINE_PARAMETERS`, name -> (low, high)) at its low
    and its high value. Returns a DataFrame indexed by (variant, policy) —
    variant ``"<mechanism> off"``, ``"<parameter> low"`` or ``"<parameter>
    high"`` — with, for profit, margin and retention: ``<m>_base`` (the
    baseline mean), ``<m>_change`` (the mean over seeds of the paired
    change, variant − baseline, same seed), ``<m>_change_low`` and
    ``<m>_change_high`` (Student-t interval at ``level``; NaN with one
    seed); ``value`` (the parameter's value, NaN for a switch) and
    ``changes_nothing`` (True when no seed's profit, margin or retention
    moved at all: the switch or parameter does not touch that policy).
    ``attrs['baseline']`` holds the baseline :func:`compare_policies`
    table, ``attrs['runs']`` the per-seed summaries. Identical for any
    ``threads``.

    Parameters
    ----------
    policies : sequence of SellerPolicy or str, optional
        The policies (default: the presets, as :func:`compare_policies`).
    seeds : int or sequence of int
        Seeds (an int n: seeds 0..n-1); each variant runs on the same seeds.
    customers, months : int
        Size and length of each simulated market.
    threads : int
        Worker threads; the table does not depend on them.
    level : float
        Confidence level of the intervals.
    mix : dict or sequence, optional
        Archetype weights of the market.
    mechanisms : sequence of str, optional
        The mechanisms to switch off in turn (default: all).
    parameters : dict, optional
        Parameter name -> (low, high) (default :data:`HEADLINE_PARAMETERS`;
        ``{}``: none).
    market : MarketModel, optional
        The synthetic-customer model (default :func:`goodwill.market_model`).
    progress : bool
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        Indexed by (variant, policy), the columns above.

    Examples
    --------
    >>> from goodwill import explain_policies
    >>> t = explain_policies(["price_matcher"], seeds=2, customers=100, months=6,
    ...                      mechanisms=["rival_losses"], parameters={})
    >>> list(t.index.get_level_values("variant"))
    ['rival_losses off']
    """
    from .market import MECHANISMS

    pols, seed_list = _comparison_plan(policies, seeds, level)
    base_model = market if market is not None else _core.synthetic.MarketModel()
    if not isinstance(base_model, _core.synthetic.MarketModel):
        raise invalid("market", None, f"must be a MarketModel, got {type(base_model).__name__}")
    mech = list(MECHANISMS) if mechanisms is None else list(mechanisms)
    for name in mech:
        if name not in MECHANISMS:
            raise invalid("mechanisms", None, f"unknown mechanism {name!r}; known: {', '.join(MECHANISMS)}")
    params = dict(HEADLINE_PARAMETERS if parameters is None else parameters)
    variants: list[tuple[str, float, Any]] = []
    for name in mech:
        mm = base_model.copy()
        mm.set_mechanism(name, False)
        variants.append((f"{name} off", math.nan, mm))
    for name, bounds in params.items():
        try:
            low, high = (float(bounds[0]), float(bounds[1]))
        except (TypeError, ValueError, IndexError):
            raise invalid("parameters", None, f"{name!r} needs (low, high), got {bounds!r}") from None
        for tag, value in (("low", low), ("high", high)):
            mm = base_model.copy()
            mm.set(name, value)
            mm.validate()
            variants.append((f"{name} {tag}", value, mm))
    report = _printer("explain_policies") if progress else None
    total = (1 + len(variants)) * len(pols) * len(seed_list)
    done = 0
    base: dict[tuple[str, int], dict[str, Any]] = {}
    base_runs = []
    for pol in pols:
        for seed in seed_list:
            r = _summary_run(pol, seed, customers, months, threads, mix, base_model)
            base[(pol.name, seed)] = r
            base_runs.append(r)
            done += 1
            if report:
                report(done, total)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    all_runs = [dict(r, variant="baseline") for r in base_runs]
    n = len(seed_list)
    for variant, value, mm in variants:
        for pol in pols:
            deltas: dict[str, list[float]] = {k: [] for k in EXPLAINED}
            for seed in seed_list:
                r = _summary_run(pol, seed, customers, months, threads, mix, mm)
                all_runs.append(dict(r, variant=variant))
                b = base[(pol.name, seed)]
                for k in EXPLAINED:
                    deltas[k].append(float(r[k]) - float(b[k]))
                done += 1
                if report:
                    report(done, total)
            row: dict[str, Any] = {"value": value}
            for k in EXPLAINED:
                d = np.asarray(deltas[k], dtype=float)
                mean = float(np.mean(d))
                sd = float(np.std(d, ddof=1)) if n > 1 else float("nan")
                half = _core.synthetic.t_half_width(sd, n, level) if n > 1 else float("nan")
                row[f"{k}_base"] = float(np.mean([base[(pol.name, s)][k] for s in seed_list]))
                row[f"{k}_change"] = mean
                row[f"{k}_change_low"] = mean - half
                row[f"{k}_change_high"] = mean + half
            row["changes_nothing"] = bool(all(np.all(np.asarray(deltas[k]) == 0.0) for k in EXPLAINED))
            rows[(variant, pol.name)] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index = pd.MultiIndex.from_tuples(list(rows), names=["variant", "policy"])
    out.attrs["baseline"] = _aggregate(base_runs, level, n)
    out.attrs["runs"] = pd.DataFrame(all_runs)
    out.attrs["level"] = level
    out.attrs["seeds"] = n
    return out


def plot_policy_comparison(
    comparison: pd.DataFrame,
    metrics: Sequence[str] = ("profit", "margin", "retention", "mean_trust"),
    axes: Any = None,
) -> Any:
    """Bar charts of the policy means with their confidence intervals (one
    panel per metric); returns the matplotlib axes.

    Parameters
    ----------
    comparison : pandas.DataFrame
        A :func:`compare_policies` table.
    metrics : sequence of str
        The metrics to draw, one panel each.
    axes : matplotlib axes, optional
        Where to draw (one per metric); default: a new figure.

    Returns
    -------
    numpy.ndarray of matplotlib Axes
        One per metric.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import goodwill
    >>> c = goodwill.compare_policies(["trust_builder", "price_matcher"], seeds=2, customers=100, months=6)
    >>> axes = goodwill.plot_policy_comparison(c, metrics=("profit", "retention"))
    >>> [ax.get_title() for ax in axes]
    ['profit', 'retention']
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 3.2), squeeze=False)
        axes = axes[0]
    names = list(comparison.index)
    x = np.arange(len(names))
    for ax, metric in zip(axes, metrics):
        mean = comparison[metric].to_numpy(dtype=float)
        low = comparison[f"{metric}_low"].to_numpy(dtype=float)
        high = comparison[f"{metric}_high"].to_numpy(dtype=float)
        err = np.vstack([mean - low, high - mean])
        err = np.where(np.isfinite(err), err, 0.0)
        ax.bar(x, mean, yerr=err, capsize=4, color="#4c72b0")
        ax.set_xticks(x)
        ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
        ax.set_title(metric)
    level = comparison.attrs.get("level", 0.95)
    axes[0].figure.suptitle(f"policy comparison ({round(100 * level)}% t intervals over seeds)", fontsize=9)
    axes[0].figure.tight_layout()
    return axes
