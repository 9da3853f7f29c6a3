"""Work is bounded up front (issue 15, point 4): a request whose size is
known before starting is checked against a documented limit and refused
with the size in the message, before anything is allocated or looped over.

Each case would run for minutes (or until MemoryError) if the check were
missing, so a regression shows as a hang or an error other than the one
asserted here.
"""

from __future__ import annotations

import goodwill
import numpy as np
import pytest
from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario


def _refused(call, *sizes: str, field: str | None = None) -> str:
    with pytest.raises(goodwill.InvalidInputError) as info:
        call()
    message = str(info.value)
    for size in sizes:
        assert size in message, message
    if field is not None:
        assert info.value.field == field
    return message


def test_outcome_space_enumeration_is_refused_by_cardinality() -> None:
    space = OutcomeSpace({"a": 10**5, "b": 10**5, "c": 10**5})  # 10^15 outcomes
    _refused(lambda: space.enumerate(), "1000000000000000", "50000000")


def test_a_scenario_on_a_huge_space_is_refused_before_utilities() -> None:
    space = OutcomeSpace({"a": 10**5, "b": 10**5, "c": 10**5})
    u = LinearAdditiveUtilityFunction({"a": [0.0] * 10**5, "b": [0.0] * 10**5, "c": [0.0] * 10**5},
                                      [0.4, 0.3, 0.3], space)
    _refused(lambda: Scenario(u, u), "1000000000000000")


def test_samples_are_refused_by_size() -> None:
    space = OutcomeSpace({"a": 10, "b": 5})
    _refused(lambda: space.sample(10**10), "10000000000", field="n")
    _refused(lambda: space.sample_ids(10**10), "10000000000", field="n")
    assert len(space.sample(5)) == 5


def test_simulated_customer_months_are_refused_by_size() -> None:
    _refused(lambda: goodwill.simulate("trust_builder", customers=2**32 - 2, months=36, ledger=False),
             "4294967294")


def test_markov_horizons_are_refused_by_size() -> None:
    mc = goodwill.MarkovChain(np.array([[0.9, 0.1], [0.2, 0.8]]), states=["active", "lapsed"])
    _refused(lambda: mc.customer_value([1.0, 0.0], 0.1, horizon=10**12), "1000000000000", field="horizon")
    # the infinite horizon is the way to ask for it, and costs one solve
    assert mc.customer_value([1.0, 0.0], 0.1).notna().all()


def test_bg_bb_period_counts_are_refused_by_size() -> None:
    bgbb = goodwill.BetaGeoBetaBinomFitter()
    bgbb.params_ = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    _refused(lambda: bgbb.conditional_probability_alive(0, 1, 1, 10**9), "1000000000", field="n_periods")
    _refused(lambda: bgbb.conditional_expected_number_of_purchases_up_to_time(10**9, 1, 1, 6), "1000000000",
             field="m_periods_in_future")
    _refused(lambda: bgbb.expected_number_of_purchases_up_to_time(1e17), "100000000000000000", field="n")
    _refused(lambda: bgbb.expected_number_of_transactions_in_first_n_periods(10**6), "1000000", field="n")
    _refused(lambda: goodwill.BetaGeoBetaBinomFitter().fit([1.0], [1.0], [2e6]), "2000000", field="n_periods")
    # 200 distinct histories of 10^6 periods: 2e8 terms a likelihood evaluation
    x = np.ones(200)
    _refused(lambda: goodwill.BetaGeoBetaBinomFitter().fit(x, np.arange(1.0, 201.0), np.full(200, 1e6)),
             "199980100", field="n_periods")


def test_the_ambiguity_check_is_bounded() -> None:
    def model(n: int) -> dict:
        return {"states": ["a", "b"], "initial": "a",
                "transitions": [{"from": "a", "on": "meeting", "to": "b"}]
                + [{"from": "*", "on": "deal_won", "to": "a", "guard": f"deals_won == {i}"} for i in range(n)]}

    assert goodwill.RelationshipModel.from_dict(model(256)).states == ["a", "b"]
    with pytest.raises(goodwill.InvalidStateError, match="257 transitions apply in state 'a' on 'deal_won'"):
        goodwill.RelationshipModel.from_dict(model(257))
