"""A synthetic market: seeded event streams for customer archetypes.

The generator is in C++ (include/goodwill/market.hpp); the archetypes' rates
are the one table of include/goodwill/synthetic/archetypes.hpp, shared with
:func:`goodwill.simulate` and read here by :func:`market_model` and
:func:`archetype_table`. Each customer has its own counter-based random
stream keyed by ``(seed, customer)``, so the same arguments give the same
ledger, byte for byte, on any number of threads, and customer ``i``'s events
do not depend on how many customers are generated.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Callable, Union

import numpy as np
import pandas as pd

from .. import _core
from .._columns import invalid, threads_arg
from .._progress import progress_printer
from ..ledger import Ledger

ARCHETYPES: tuple[str, ...] = tuple(_core.synthetic.ARCHETYPES)
"""Archetype names, in code order."""

MECHANISMS: tuple[str, ...] = tuple(_core.synthetic.MECHANISMS)
"""The simulator's mechanisms, each with a switch in a :class:`MarketModel`."""

MarketModel = _core.synthetic.MarketModel


def market_model() -> MarketModel:
    """The default synthetic-customer model (defined once, in C++).

    Its archetype table is read with :func:`archetype_table` and changed with
    ``model.set_archetype(name, field, value)``; scalar parameters with
    ``model.get(name)`` / ``model.set(name, value)`` (names in
    ``goodwill.market.MODEL_FIELDS``); mechanism switches with
    ``model.set_mechanism(name, on)`` (names in :data:`MECHANISMS`); the lead
    channels with ``model.channel("warm")`` / ``model.set_channel(...)``.
    Pass it to :func:`synthetic_market` or :func:`goodwill.simulate` as
    ``market=``.

    Returns
    -------
    MarketModel
        A fresh copy of the defaults, changed without affecting others.

    Examples
    --------
    >>> from goodwill.market import market_model
    >>> m = market_model()
    >>> m.set_mechanism("rival_losses", False)
    >>> m.mechanism("rival_losses")
    False
    """
    return _core.synthetic.MarketModel()


MODEL_FIELDS: tuple[str, ...] = tuple(_core.synthetic.MODEL_FIELDS)
"""The scalar parameters of a :class:`MarketModel`."""


def archetype_table(model: MarketModel | None = None) -> pd.DataFrame:
    """The archetype table of ``model`` (default :func:`market_model`): one
    row per archetype, one column per field (units in
    include/goodwill/synthetic/archetypes.hpp).

    Parameters
    ----------
    model : MarketModel, optional
        The model to read (default: the built-in one).

    Returns
    -------
    pandas.DataFrame
        Indexed by archetype (``loyal_partner``, ``price_shopper``, ...).

    Examples
    --------
    >>> from goodwill.market import archetype_table
    >>> float(archetype_table().loc["rfp_idea_taker", "proposal_hours"])
    24.0
    """
    mm = model if model is not None else _core.synthetic.MarketModel()
    table = pd.DataFrame(mm.archetype_table(), index=pd.Index(list(ARCHETYPES), name="archetype"))
    return table


DEFAULT_MIX: dict[str, float] = dict(zip(ARCHETYPES, _core.synthetic.MarketModel().mix))
"""The default weights of the archetypes (the model's)."""

MixLike = Union[Mapping[str, float], Sequence[float]]


@dataclass(frozen=True)
class Market:
    """A generated market: its events and each customer's archetype.

    ``ledger`` names customers by the integer keys ``0..n-1`` and holds each
    customer's events together, in time order. ``archetypes`` is a
    categorical Series of archetype names indexed by those keys.

    Parameters
    ----------
    ledger : Ledger
        The market's events.
    archetypes : pandas.Series
        Each customer's archetype, indexed by its key.

    Examples
    --------
    >>> import goodwill
    >>> m = goodwill.synthetic_market(200, years=1, seed=3)
    >>> m.ledger.n_customers, int(m.archetypes.value_counts()["loyal_partner"])
    (200, 67)
    """

    ledger: Ledger
    archetypes: pd.Series[str]

    def __repr__(self) -> str:
        counts = self.archetypes.value_counts(sort=False)
        mix = ", ".join(f"{name}: {int(n):,}" for name, n in counts.items())
        return f"<goodwill.Market: {len(self.ledger):,} events, {self.ledger.n_customers:,} customers ({mix})>"


def _int_arg(value: object, field: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise invalid(field, None, f"must be an integer, got {value!r}")
    v = int(value)
    if not lo <= v <= hi:
        raise invalid(field, None, f"must be between {lo} and {hi}, got {v}")
    return v


def _float_arg(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise invalid(field, None, f"must be a number, got {value!r}")
    return float(value)


def _mix_weights(mix: MixLike | None) -> list[float]:
    if mix is None:
        return [DEFAULT_MIX[name] for name in ARCHETYPES]
    if isinstance(mix, Mapping):
        unknown = [k for k in mix if k not in ARCHETYPES]
        if unknown:
            raise invalid(
                "mix", None, f"unknown archetype {unknown[0]!r}; known: {', '.join(ARCHETYPES)}"
            )
        raw = [mix.get(name, 0.0) for name in ARCHETYPES]
    elif isinstance(mix, (str, bytes)):
        raise invalid("mix", None, "must be a dict of archetype name to weight")
    else:
        raw = list(mix)
        if len(raw) != len(ARCHETYPES):
            raise invalid("mix", None, f"needs {len(ARCHETYPES)} weights, got {len(raw)}")
    weights: list[float] = []
    for name, w in zip(ARCHETYPES, raw):
        if isinstance(w, bool) or not isinstance(w, numbers.Real) or not math.isfinite(w) or w < 0:
            raise invalid("mix", None, f"the weight of {name!r} must be a finite non-negative number, got {w!r}")
        weights.append(float(w))
    if sum(weights) <= 0:
        raise invalid("mix", None, "at least one weight must be positive")
    return weights


def _progress_printer(total: int) -> Callable[[int, int], None]:
    return progress_printer("synthetic_market", "customers")


#: The C++ market_params' defaults (synthetic_market's defaults), read once.
_PARAMS = _core.synthetic.MarketParams()


def synthetic_market(
    n_customers: int = _PARAMS.customers,
    years: float = _PARAMS.horizon_days / 365.0,
    seed: int = _PARAMS.seed,
    mix: MixLike | None = None,
    threads: int = _PARAMS.threads,
    progress: bool = False,
    *,
    start_time: float = _PARAMS.start_time,
    first_customer: int = _PARAMS.first_customer,
    market: MarketModel | None = None,
) -> Market:
    """Generate a synthetic market of ``n_customers`` over ``years`` years.

    ``mix`` weighs the archetypes (a dict of name to weight, missing names
    weigh 0; weights need not sum to 1; default :data:`DEFAULT_MIX`). Times
    are days from ``start_time``. The default mix gives 22–35 events per
    customer-year (checked in tests/cpp/test_market.cpp; set ``years`` to about ``N / 25`` for ``N`` events per
    customer). The result does not depend on ``threads``. ``first_customer``
    generates the block of customers with keys ``first_customer ..
    first_customer + n_customers - 1``, each exactly as in the whole market
    (how :mod:`goodwill.dask` shards a market). ``market`` is the
    synthetic-customer model (default :func:`market_model`); without ``mix``
    its mix is used (a calibrated market's mix). Bad arguments
    raise :class:`goodwill.InvalidInputError` naming the argument.

    Parameters
    ----------
    n_customers : int
        Customers to generate.
    years : float
        Span of the market, in years of 365 days.
    seed : int
        Seed of the counter-based random numbers.
    mix : dict or sequence, optional
        Archetype weights (above).
    threads : int
        Worker threads; the market does not depend on them.
    progress : bool
        Show a progress bar.
    start_time : float
        Day of the market's start.
    first_customer : int
        First customer key of the block generated (above).
    market : MarketModel, optional
        The synthetic-customer model (above).

    Returns
    -------
    Market
        ``ledger`` and ``archetypes``.

    Examples
    --------
    >>> import goodwill
    >>> m = goodwill.synthetic_market(200, years=1, seed=3)
    >>> len(m.ledger), m.ledger.n_customers
    (5630, 200)
    >>> goodwill.synthetic_market(200, years=1, seed=3, threads=2).ledger == m.ledger
    True
    """
    n = _int_arg(n_customers, "n_customers", 0, 0xFFFFFFFE)
    horizon = _float_arg(years, "years") * 365.0
    if not (math.isfinite(horizon) and horizon > 0):
        raise invalid("years", None, f"must be a positive finite number, got {years!r}")
    s = _int_arg(seed, "seed", 0, 2**64 - 1)
    weights = _mix_weights(mix) if mix is not None or not isinstance(market, _core.synthetic.MarketModel) else list(market.mix)
    t = threads_arg(threads, 1)
    start = _float_arg(start_time, "start_time")
    if not math.isfinite(start):
        raise invalid("start_time", None, f"must be finite, got {start_time!r}")
    first = _int_arg(first_customer, "first_customer", 0, 0xFFFFFFFE)
    if first + n > 0xFFFFFFFF:
        raise invalid("first_customer", None, "first_customer + n_customers must be below 4294967296")
    report = _progress_printer(n) if progress and n > 0 else None
    if market is not None and not isinstance(market, _core.synthetic.MarketModel):
        raise invalid("market", None, f"must be a MarketModel, got {type(market).__name__}")
    params = _core.synthetic.MarketParams()
    if market is not None:
        params.model = market
    params.customers, params.horizon_days, params.seed, params.mix = n, horizon, s, weights
    params.start_time, params.threads, params.first_customer = start, t, first
    core_ledger, codes = _core.synthetic._generate_market(params, report)
    ledger = Ledger.__new__(Ledger)
    ledger._core = core_ledger
    archetypes = pd.Series(
        pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=pd.Index(list(ARCHETYPES))),
        index=pd.Index(ledger.customers, name="customer"),
        name="archetype",
    )
    return Market(ledger=ledger, archetypes=archetypes)
