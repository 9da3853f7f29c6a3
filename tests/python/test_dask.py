"""goodwill.dask on a LocalCluster with two worker processes: goodwill's objects
pickle across processes, and sharded results equal the single-process run."""

from __future__ import annotations

import pickle

import goodwill
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
gdask = pytest.importorskip("goodwill.dask")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_objects_pickle():
    market = goodwill.synthetic_market(n_customers=50, years=1, seed=3)
    for obj in (market, market.ledger, goodwill.relationship_selling(), goodwill.TrustParams(), goodwill.CostRates()):
        back = pickle.loads(pickle.dumps(obj))
        if isinstance(obj, goodwill.Market):
            assert back.ledger == obj.ledger and back.archetypes.equals(obj.archetypes)
        else:
            assert back == obj


def test_market_blocks_equal_the_whole_market():
    whole = goodwill.synthetic_market(n_customers=300, years=2, seed=9)
    parts = [goodwill.synthetic_market(n_customers=b - a, years=2, seed=9, first_customer=a)
             for a, b in [(0, 120), (120, 121), (121, 300)]]
    joined = gdask.concat_ledgers([p.ledger for p in parts])
    assert joined == whole.ledger
    assert pd.concat([p.archetypes for p in parts]).equals(whole.archetypes)


def test_first_customer_is_checked():
    with pytest.raises(goodwill.InvalidInputError, match="first_customer"):
        goodwill.synthetic_market(n_customers=10, first_customer=2**32 - 5)


def test_sharded_market_on_two_worker_processes_equals_single_process(client):
    whole = goodwill.synthetic_market(n_customers=1000, years=2, seed=21)
    sharded = gdask.synthetic_market(1000, years=2, seed=21, client=client, block_customers=300)
    assert sharded.ledger == whole.ledger
    assert sharded.archetypes.equals(whole.archetypes)
    # the work ran in other processes
    pids = client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2


def test_markets_by_seed(client):
    got = gdask.markets([1, 2], 200, years=1, client=client)
    for s in (1, 2):
        assert got[s].ledger == goodwill.synthetic_market(n_customers=200, years=1, seed=s).ledger
    assert got[1].ledger != got[2].ledger


def test_sharded_scoring_equals_single_process(client):
    ledger = goodwill.synthetic_market(n_customers=800, years=2, seed=4).ledger
    model = goodwill.relationship_selling()
    prof = goodwill.profitability(ledger).drop(columns=["service_issues"])
    expected = model.replay(ledger).snapshot().join(prof, how="left")
    got = gdask.score(ledger, client=client, blocks=5)
    pd.testing.assert_frame_equal(got, expected)


def test_split_ledger_keeps_every_event_and_string_keys():
    events = pd.DataFrame({
        "customer": ["b", "a", "b", "c", "a", "d"],
        "time": [3.0, 1.0, 0.0, 2.0, 5.0, 1.0],
        "kind": ["meeting", "lead", "lead", "proposal", "deal_won", "lead"],
        "amount": [1.0, 0.0, 0.0, 100.0, 90.0, 0.0],
    })
    ledger = goodwill.Ledger(events)
    parts = gdask.split_ledger(ledger, 3)
    assert sum(len(p) for p in parts) == len(ledger)
    assert sorted(k for p in parts for k in p.customers) == ["a", "b", "c", "d"]
    back = gdask.concat_ledgers(parts).to_pandas().sort_values(["customer", "time"]).reset_index(drop=True)
    want = ledger.to_pandas().sort_values(["customer", "time"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, want)
    with pytest.raises(goodwill.InvalidInputError, match="blocks"):
        gdask.split_ledger(ledger, 0)


def test_split_and_concat_keep_reps_and_unknown_margins():
    events = pd.DataFrame({
        "customer": ["b", "a", "b", "c", "a", "d"],
        "time": [3.0, 1.0, 0.0, 2.0, 5.0, 1.0],
        "kind": ["deal_won", "lead", "lead", "proposal", "deal_won", "lead"],
        "detail": [goodwill.MARGIN_UNKNOWN, 0, 0, 0, 1500, 0],
        "rep": ["Bob", None, "Ann", None, "Ann", None],
    })
    ledger = goodwill.Ledger(events)
    parts = gdask.split_ledger(ledger, 3)
    assert all(p.rep_names == ["Bob", "Ann"] for p in parts)
    joined = gdask.concat_ledgers(parts)
    assert joined.rep_names == ["Bob", "Ann"]
    back = joined.to_pandas().sort_values(["customer", "time"]).reset_index(drop=True)
    want = ledger.to_pandas().sort_values(["customer", "time"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, want)
    assert back["detail"].isna().sum() == 1


def test_policy_simulation_by_seed_and_comparison_equal_local_runs(client):
    got = gdask.simulate("price_matcher", customers=150, months=12, seeds=[3, 4], client=client)
    for seed in (3, 4):
        ledger, metrics = goodwill.simulate("price_matcher", customers=150, months=12, seed=seed)
        assert got[seed][0] == ledger
        pd.testing.assert_frame_equal(got[seed][1], metrics)
    blocks = gdask.simulate("trust_builder", customers=300, months=12, seeds=[5], client=client,
                            block_customers=110)
    ledger, metrics = goodwill.simulate("trust_builder", customers=300, months=12, seed=5)
    assert blocks[5][0] == ledger
    pd.testing.assert_frame_equal(blocks[5][1], metrics, rtol=1e-12, check_exact=False)
    run = goodwill.simulate("trust_builder", customers=300, months=12, seed=5, ledger=False)
    assert list(blocks[5].customers["customer_type"]) == list(run.customers["customer_type"])
    pd.testing.assert_frame_equal(blocks[5].states, run.states)
    assert list(blocks[5].customers["final_state"]) == list(run.customers["final_state"])
    local = goodwill.compare_policies(["price_matcher", "trust_builder"], seeds=3, customers=120, months=12)
    remote = gdask.compare_policies(["price_matcher", "trust_builder"], seeds=3, customers=120, months=12,
                                    client=client)
    pd.testing.assert_frame_equal(remote, local)


def test_blocked_simulation_holds_every_blocks_customers(client):
    """A run split in blocks gives the local run's per-customer table and state counts as fields."""
    blocks = gdask.simulate("trust_builder", customers=300, months=12, seeds=[5], client=client,
                            block_customers=110)[5]
    local = goodwill.simulate("trust_builder", customers=300, months=12, seed=5)
    assert isinstance(blocks, goodwill.Simulation)
    pd.testing.assert_frame_equal(blocks.customers, local.customers)
    pd.testing.assert_frame_equal(blocks.states, local.states)
    assert blocks.as_of == local.as_of and blocks.policy == local.policy
