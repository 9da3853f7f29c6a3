"""Scale-out over a Dask cluster: shard a simulated market, and score a large ledger.

Customers are independent in every goodwill analysis, and goodwill's random
numbers are counter-based (keyed by seed and customer), so work splits by
**customer block** (and by **seed**) with results equal, value for value, to
the single-process run:

* :func:`synthetic_market` generates blocks of customers on the workers
  (``goodwill.synthetic_market(first_customer=...)``) and concatenates them;
* :func:`markets` generates one market per seed;
* :func:`simulate` runs the policy simulator by seed and customer block, and
  :func:`compare_policies` runs every (policy, seed) pair as a task and
  aggregates exactly as :func:`goodwill.compare_policies` does;
* :func:`score` splits a ledger into customer blocks, replays each block
  through the relationship model and computes profitability on a worker, and
  returns one DataFrame indexed by customer.

Every function takes a ``distributed.Client`` (``client=None`` uses the
current default client). goodwill's objects (Ledger, RelationshipModel,
TrustParams, CostRates, Market) pickle, so they travel to worker processes.
Install with ``pip install "dask[distributed]"``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._errors import invalid
from .ledger import Ledger, rep_name_array
from .relationship import RelationshipModel, TrustParams, relationship_selling
from .synthetic.market import Market, MixLike
from .synthetic.market import synthetic_market as _local_market

if TYPE_CHECKING:
    from .synthetic.simulation import Simulation

__all__ = [
    "compare_policies",
    "concat_ledgers",
    "markets",
    "score",
    "simulate",
    "split_ledger",
    "synthetic_market",
]


def _client(client: Any) -> Any:
    if client is not None:
        return client
    try:
        from distributed import get_client
    except ImportError as exc:  # pragma: no cover - dask is an optional dependency
        raise ImportError('goodwill.dask needs Dask: pip install "dask[distributed]"') from exc
    return get_client()


def _blocks(n: int, block: int) -> list[tuple[int, int]]:
    if block < 1:
        raise invalid("block_customers", None, f"must be at least 1, got {block}")
    return [(a, min(n, a + block)) for a in range(0, n, block)]


def concat_ledgers(parts: Sequence[Ledger]) -> Ledger:
    """One ledger holding the events of ``parts`` in order (customer keys kept).

    Every part must name customers the same way (all integer or all string
    keys)."""
    out = Ledger()
    for part in parts:
        keys = part.customers
        if len(keys):  # customers without events keep their place too
            if keys.dtype == object:
                out._core._intern_str_keys([str(k) for k in keys])
            else:
                out._core._intern_int_keys(np.ascontiguousarray(keys, dtype=np.int64))
        if part.rep_names:  # salespeople keep their names (and unused ones their place)
            out._core._intern_reps(part.rep_names)
        if len(part) == 0:
            continue
        cols = part.to_numpy()
        reps = rep_name_array(cols["rep"], part.rep_names) if part.has_reps else None
        out.append(part.customers[cols["customer"]], cols["time"], cols["kind"], cols["amount"], cols["detail"], reps)
    return out


def split_ledger(ledger: Ledger, blocks: int) -> list[Ledger]:
    """Split a ledger into ``blocks`` ledgers of whole customers (contiguous
    dense-id ranges of about equal size); the events of each customer stay
    together and in arrival order."""
    if blocks < 1:
        raise invalid("blocks", None, f"must be at least 1, got {blocks}")
    cols = ledger.to_numpy()
    keys = ledger.customers
    n = ledger.n_customers
    bounds = np.linspace(0, n, blocks + 1).round().astype(np.int64)
    out = []
    cust = cols["customer"].astype(np.int64)
    block_of = np.searchsorted(bounds[1:], cust, side="right")
    order = np.argsort(block_of, kind="stable")
    starts = np.searchsorted(block_of[order], np.arange(blocks + 1))
    for b in range(blocks):
        rows = order[starts[b] : starts[b + 1]]
        part = Ledger()
        if ledger.rep_names:
            part._core._intern_reps(ledger.rep_names)
        if len(rows):
            reps = rep_name_array(cols["rep"][rows], ledger.rep_names) if ledger.has_reps else None
            part.append(keys[cust[rows]], cols["time"][rows], cols["kind"][rows],
                        cols["amount"][rows], cols["detail"][rows], reps)
        out.append(part)
    return out


def _market_block(n: int, years: float, seed: int, mix: MixLike | None, start_time: float,
                  first: int) -> Market:
    return _local_market(n_customers=n, years=years, seed=seed, mix=mix, threads=1,
                         start_time=start_time, first_customer=first)


def synthetic_market(
    n_customers: int,
    years: float = 3.0,
    seed: int = 0,
    mix: MixLike | None = None,
    *,
    client: Any = None,
    block_customers: int = 50_000,
    start_time: float = 0.0,
) -> Market:
    """:func:`goodwill.synthetic_market` generated in customer blocks on a
    Dask cluster; equal to the single-process market (same events in the same
    order, same archetypes)."""
    c = _client(client)
    parts = _blocks(int(n_customers), int(block_customers))
    futures = [c.submit(_market_block, b - a, years, seed, mix, start_time, a, pure=False) for a, b in parts]
    markets_ = c.gather(futures)
    ledger = concat_ledgers([m.ledger for m in markets_])
    archetypes = pd.concat([m.archetypes for m in markets_]) if markets_ else pd.Series(dtype="category")
    return Market(ledger=ledger, archetypes=archetypes)


def markets(
    seeds: Sequence[int],
    n_customers: int,
    years: float = 3.0,
    mix: MixLike | None = None,
    *,
    client: Any = None,
    start_time: float = 0.0,
) -> dict[int, Market]:
    """One simulated market per seed, generated on the cluster (a task per seed)."""
    c = _client(client)
    futures = {s: c.submit(_market_block, int(n_customers), years, s, mix, start_time, 0, pure=False)
               for s in seeds}
    return {s: f.result() for s, f in futures.items()}


def _score_block(ledger: Ledger, model: RelationshipModel, trust: TrustParams | None, rates: Any,
                 as_of: float | None = None) -> pd.DataFrame:
    from .value.profitability import profitability

    snap = model.replay(ledger, trust=trust, as_of=as_of).snapshot()
    prof = profitability(ledger, rates).drop(columns=["service_issues"])  # the snapshot counts them too
    return snap.join(prof, how="left")


def score(
    ledger: Ledger,
    *,
    client: Any = None,
    model: RelationshipModel | None = None,
    trust: TrustParams | None = None,
    rates: Any = None,
    blocks: int | None = None,
) -> pd.DataFrame:
    """Replay ``ledger`` through ``model`` (default :func:`relationship_selling`)
    and compute profitability, by customer block on the cluster. Returns the
    replay snapshot joined with :func:`goodwill.profitability` (less its
    ``service_issues`` count, which the snapshot has), indexed by
    customer, in the ledger's customer order — equal to the same computation
    in one process."""
    c = _client(client)
    model = model or relationship_selling()
    if blocks is None:
        workers = len(c.scheduler_info().get("workers", {})) or 1
        blocks = max(1, 2 * workers)
    parts = split_ledger(ledger, int(blocks))
    remote_model = c.scatter(model, broadcast=True)
    # every block settles pending dormancy moves at the whole ledger's end
    times = ledger.to_numpy()["time"]
    as_of = float(times.max()) if len(times) else None
    futures = [c.submit(_score_block, p, remote_model, trust, rates, as_of, pure=False) for p in parts if len(p)]
    frames = c.gather(futures)
    if not frames:
        return _score_block(ledger, model, trust, rates)
    scored: pd.DataFrame = pd.concat(frames)
    return scored


def _simulate_task(policy: Any, customers: int, months: int, seed: int, mix: Any, ledger: bool,
                   first: int, as_of: float | None = None) -> Any:
    from .synthetic.simulation import simulate as _simulate

    return _simulate(policy, customers, months, seed, 1, mix=mix, ledger=ledger, first_customer=first,
                     as_of=as_of)


def simulate(
    policy: Any = "trust_builder",
    customers: int = 1000,
    months: int = 36,
    seeds: Sequence[int] = (0,),
    *,
    client: Any = None,
    block_customers: int | None = None,
    mix: Any = None,
    ledger: bool = True,
) -> dict[int, Simulation]:
    """:func:`goodwill.simulate` on the cluster, a task per seed and customer
    block (``block_customers`` slots; default: one block per seed). Returns
    ``{seed: Simulation}`` (each unpacks as ``(ledger, metrics)``; its
    ``customers`` table holds every block's slots). The ledger and every count equal the local
    run's; money and trust sums over blocks are added block by block, so they
    agree with the local run up to floating-point rounding (relative 1e-12)."""
    from .synthetic.simulation import METRICS, _keep_deprecated_attrs, _metrics_frame
    from .synthetic.simulation import Simulation as _Simulation

    c = _client(client)
    n = int(customers)
    parts = _blocks(n, int(block_customers)) if block_customers else [(0, n)]
    futures = {
        int(s): [c.submit(_simulate_task, policy, b - a, months, int(s), mix, ledger, a, pure=False) for a, b in parts]
        for s in seeds
    }
    out = {}
    for s, fs in futures.items():
        results = c.gather(fs)
        if len(results) == 1:
            out[s] = results[0]
            continue
        # Pending dormancy moves are settled at the whole run's last event
        # time: blocks that ended earlier run again with it (same events).
        ends = [r.as_of for r in results]
        known = [e for e in ends if not math.isnan(e)]
        if known:
            end = max(known)
            redo = [i for i, e in enumerate(ends) if e != end]
            again = c.gather([c.submit(_simulate_task, policy, parts[i][1] - parts[i][0], months, s, mix, ledger,
                                       parts[i][0], end, pure=False) for i in redo])
            for i, r in zip(redo, again):
                results[i] = r
        values = sum(r.metrics[list(METRICS)].to_numpy() for r in results)
        frame = _metrics_frame(values)
        table = pd.concat([r.customers for r in results])
        states = results[0].states
        for r in results[1:]:
            states = states + r.states
        as_of = max(known) if known else math.nan
        # deprecated copies (Simulation's fields hold them), as simulate keeps them
        _keep_deprecated_attrs(frame, policy=results[0].policy,
                               customer_types=pd.Categorical(table["customer_type"]), states=states,
                               final_state=pd.Categorical(table["final_state"]), as_of=as_of)
        led = concat_ledgers([r.ledger for r in results]) if ledger else None
        out[s] = _Simulation((led, frame), table, states, as_of, results[0].policy)
    return out


def compare_policies(
    policies: Sequence[Any] | None = None,
    *,
    seeds: Any = 5,
    customers: int = 1000,
    months: int = 36,
    level: float = 0.95,
    mix: Any = None,
    client: Any = None,
) -> pd.DataFrame:
    """:func:`goodwill.compare_policies` with one task per (policy, seed) on
    the cluster; the same table as the local run."""
    from .synthetic.simulation import _aggregate, _comparison_plan, _summary_run

    c = _client(client)
    pols, seed_list = _comparison_plan(policies, seeds, level)
    futures = [c.submit(_summary_run, p, s, customers, months, 1, mix, pure=False) for p in pols for s in seed_list]
    return _aggregate(c.gather(futures), level, len(seed_list))
