"""goodwill.negotiation as a package (issue 16, point 1): one module per part of
include/goodwill/negotiation, the package re-exporting what the single module
had; and goodwill._core's submodules, one per folder of include/goodwill."""

from __future__ import annotations

import importlib
import pickle
import sys

import goodwill
import goodwill.negotiation
import pytest

# Every public name of goodwill.negotiation when it was one module
# (python/goodwill/negotiation.py at 1c9f0a6: its top-level classes,
# functions and constants, and the Ledger it imported), captured before the
# split.
OLD_PUBLIC = [
    "BargainingAnalysis",
    "ContinuousResult",
    "ElicitationBatchResult",
    "ElicitationKeywords",
    "ElicitationResult",
    "GeniusUtility",
    "HyperRectangleUtilityFunction",
    "ISSUE_KINDS",
    "Issue",
    "Ledger",
    "LinearAdditiveUtilityFunction",
    "MultilateralResult",
    "Negotiator",
    "OFFER_TAGS",
    "OutcomeSpace",
    "PartialProfile",
    "RESPONSES",
    "RFPResult",
    "RFP_CLOSES",
    "RFP_STATUSES",
    "STATUSES",
    "Scenario",
    "SessionResult",
    "Strategy",
    "TournamentResult",
    "UtilityFunction",
    "WeightedUtilityFunction",
    "alternatives_offerer",
    "authority_limited",
    "bargaining_analysis",
    "boulware",
    "conceder",
    "custom_utility",
    "elicitation_batch",
    "hardliner",
    "kalai_smorodinsky_point",
    "linear",
    "load_genius_scenario",
    "load_genius_utilities",
    "max_welfare_point",
    "nash_point",
    "pareto_frontier",
    "plot_session",
    "price_matcher",
    "python_strategy",
    "random_strategy",
    "run_batch",
    "run_continuous_session",
    "run_elicitation_session",
    "run_multilateral_batch",
    "run_multilateral_session",
    "run_rfp",
    "run_rfp_batch",
    "run_session",
    "search_scenario",
    "subgame_perfect",
    "time_dependent",
    "tit_for_tat",
    "tournament",
    "win_lose_buyer",
]


@pytest.mark.parametrize("name", OLD_PUBLIC)
def test_every_old_public_name_still_resolves(name: str) -> None:
    obj = getattr(goodwill.negotiation, name)
    assert obj is not None
    # classes and functions say which part defines them
    module = getattr(obj, "__module__", "")
    if isinstance(obj, type) or callable(obj):
        assert module.startswith(("goodwill.negotiation.", "goodwill._core", "goodwill.ledger")), (name, module)


def test_all_is_the_old_all_and_resolves() -> None:
    assert set(goodwill.negotiation.__all__) <= set(OLD_PUBLIC)
    assert len(goodwill.negotiation.__all__) == 51
    for name in goodwill.negotiation.__all__:
        assert hasattr(goodwill.negotiation, name)


def test_parts_mirror_the_headers() -> None:
    parts = ["outcome_space", "preferences", "bargaining", "scenario", "strategies", "session",
             "tournament", "multilateral", "continuous", "elicitation"]
    for part in parts:
        module = importlib.import_module(f"goodwill.negotiation.{part}")
        assert module.__name__ == f"goodwill.negotiation.{part}"
    assert goodwill.negotiation.run_session.__module__ == "goodwill.negotiation.session"
    assert goodwill.negotiation.Scenario.__module__ == "goodwill.negotiation.scenario"
    assert goodwill.negotiation.run_rfp.__module__ == "goodwill.negotiation.multilateral"


SUBMODULES = {
    "relationship": "Replay",
    "negotiation": "Issue",
    "value": "BgNbd",
    "synthetic": "MarketParams",
    "decision": "DealThresholds",
}


@pytest.mark.parametrize("name", sorted(SUBMODULES))
def test_core_submodules_import_by_name(name: str) -> None:
    full = f"goodwill._core.{name}"
    module = importlib.import_module(full)
    assert sys.modules[full] is module is getattr(goodwill._core, name)
    assert module.__name__ == full
    cls = getattr(module, SUBMODULES[name])
    assert cls.__module__ == full
    # moved, not copied: the flat name is gone from _core
    assert not hasattr(goodwill._core, SUBMODULES[name])


def test_core_top_level_types_stay() -> None:
    assert goodwill._core.Ledger.__module__ == "goodwill._core"
    assert issubclass(goodwill._core.InvalidInputError, ValueError)
    led = goodwill._core.Ledger()
    assert len(pickle.loads(pickle.dumps(led))) == 0
    with pytest.raises(goodwill.InvalidInputError):
        goodwill._core._testing.throw_error("invalid_input", "bad", "price", 3)

