"""Ctrl-C stops a long computation (interrupt.hpp; issue 15, point 4).

A SIGINT sent to the process while a compiled computation runs with the GIL
released is seen within the poll interval: the computation stops, its
threads are joined, KeyboardInterrupt is raised in the caller, and the
library works normally afterwards.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import goodwill
import pytest


def _interrupt_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to the process")
@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_stops_a_long_simulation(threads: int) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("Python handles signals on the main thread only")
    # 2 x 10^8 customer-months: minutes of work on this machine, stopped
    # after 0.3 s (no ledger kept, so memory stays small either way)
    timer = _interrupt_after(0.3)
    started = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            goodwill.simulate("trust_builder", customers=2_000_000, months=100, seed=3,
                              threads=threads, ledger=False)
    finally:
        timer.cancel()
    assert time.perf_counter() - started < 60.0  # stopped, not run to its end
    # nothing is left behind: the same call on a small market gives its result
    _, metrics = goodwill.simulate("trust_builder", customers=200, months=12, seed=3,
                                   threads=threads, ledger=False)
    assert len(metrics) > 0


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to the process")
def test_ctrl_c_stops_a_replay_and_the_ledger_stays_usable() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("Python handles signals on the main thread only")
    market = goodwill.synthetic_market(n_customers=300_000, years=3, seed=2, threads=2)
    model = goodwill.relationship_selling()
    full = model.replay(market.ledger, threads=2)  # builds and caches the reading order
    # interrupt a few replays: each either finishes first or stops with
    # KeyboardInterrupt; any that stopped leaves the ledger as it was
    for delay in (0.01, 0.05, 0.1):
        timer = _interrupt_after(delay)
        try:
            model.replay(market.ledger, threads=2)
        except KeyboardInterrupt:
            pass  # stopped: the ledger must be as before
        finally:
            timer.cancel()
            time.sleep(0.2)  # a late signal lands here, outside the replays
    again = model.replay(market.ledger, threads=2)
    assert (again.snapshot()["trust"] == full.snapshot()["trust"]).all()
