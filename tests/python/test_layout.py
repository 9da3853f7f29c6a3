"""The domain packages (goodwill.value, goodwill.relationship, goodwill.synthetic) and the old module names kept for compatibility."""

from __future__ import annotations

import importlib
import pickle
import sys
import warnings

import goodwill
import pytest

MOVED = {
    "btyd": "goodwill.value.btyd",
    "markov": "goodwill.value.markov",
    "profitability": "goodwill.value.profitability",
    "market": "goodwill.synthetic.market",
    "simulation": "goodwill.synthetic.simulation",
    "calibration": "goodwill.synthetic.calibration",
    "trust": "goodwill.relationship.trust",
    "health": "goodwill.relationship.health",
    "spiral": "goodwill.relationship.spiral",
    "winback": "goodwill.relationship.winback",
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_name_is_the_new_module(old: str) -> None:
    new = importlib.import_module(MOVED[old])
    assert importlib.import_module(f"goodwill.{old}") is new
    assert sys.modules[f"goodwill.{old}"] is new


def test_from_old_module_imports_the_same_objects() -> None:
    from goodwill.btyd import BetaGeoFitter
    from goodwill.calibration import CALIBRATED_FIELDS
    from goodwill.simulation import simulate
    from goodwill.synthetic.calibration import CALIBRATED_FIELDS as new_fields

    assert BetaGeoFitter is goodwill.BetaGeoFitter is goodwill.value.btyd.BetaGeoFitter
    assert simulate is goodwill.simulate is goodwill.synthetic.simulation.simulate
    assert CALIBRATED_FIELDS is new_fields


def test_profitability_stays_the_function() -> None:
    # importing the old module name must not rebind goodwill.profitability
    importlib.import_module("goodwill.profitability")
    import goodwill.profitability

    assert callable(goodwill.profitability)
    assert goodwill.profitability is goodwill.value.profitability.profitability


def test_classes_live_in_the_new_modules_and_pickle_by_them() -> None:
    assert goodwill.BetaGeoFitter.__module__ == "goodwill.value.btyd"
    assert goodwill.MarkovChain.__module__ == "goodwill.value.markov"
    assert goodwill.Health.__module__ == "goodwill.relationship.health"
    assert goodwill.RelationshipModel.__module__ == "goodwill.relationship"
    rates = goodwill.CostRates()
    assert pickle.loads(pickle.dumps(rates)) == rates


def test_decision_has_one_name() -> None:
    assert "decision" in goodwill.__all__
    assert "decide" not in goodwill.__all__
    with pytest.warns(DeprecationWarning, match="goodwill.decision"):
        old = goodwill.decide
    assert old is goodwill.decision
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert goodwill.decision.decide_deal is goodwill.decide_deal
    with pytest.raises(AttributeError):
        _ = goodwill.no_such_name  # type: ignore[attr-defined]


def test_domain_packages_are_public() -> None:
    assert {"value", "synthetic"} <= set(goodwill.__all__)
    assert set(goodwill.value.__all__) == {"btyd", "markov", "profitability"}
    assert set(goodwill.synthetic.__all__) == {"calibration", "market", "simulation"}
