"""One generic converter (goodwill._convert.to_core) fills every bound parameter struct."""

from __future__ import annotations

import dataclasses

import goodwill
import pytest
from goodwill import _core
from goodwill._convert import to_core

CLASSES = [
    (goodwill.DealThresholds, _core.decision.DealThresholds),
    (goodwill.CustomerThresholds, _core.decision.CustomerThresholds),
    (goodwill.CostRates, _core.value.CostRates),
    (goodwill.SellerPolicy, _core.synthetic.SellerPolicy),
    (goodwill.TrustParams, _core.relationship.TrustParams),
]


@pytest.mark.parametrize(("cls", "core_cls"), CLASSES, ids=lambda c: getattr(c, "__name__", ""))
def test_defaults_fill_the_struct_as_its_own_defaults(cls, core_cls):
    """Every field lands on the struct member of its name; the Python defaults are the C++ ones."""
    core = cls()._core()
    fresh = core_cls.defaults() if hasattr(core_cls, "defaults") else core_cls()
    for f in dataclasses.fields(cls):
        got, want = getattr(core, f.name), getattr(fresh, f.name)
        if isinstance(want, (int, float, str, bool, list)):
            assert got == want, f.name


def test_the_four_converters_are_one():
    for cls, core_cls in CLASSES:
        assert type(to_core(cls(), core_cls())) is core_cls


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: goodwill.CostRates(meeting_hour=True), "meeting_hour"),  # was read as 1.0
        (lambda: goodwill.CostRates(meeting_hour="150"), "meeting_hour"),  # was float("150")
        (lambda: goodwill.CostRates(count_purchases=1), "count_purchases"),  # was bool(1)
        (lambda: goodwill.SellerPolicy(meeting_cadence_days="30"), "meeting_cadence_days"),
        (lambda: goodwill.SellerPolicy(fire_thresholds={"low_trust": 0.2}), "fire_thresholds"),
        (lambda: goodwill.SellerPolicy(fire_thresholds=goodwill.CustomerThresholds(low_trust=2.0)), "low_trust"),
        (lambda: goodwill.DealThresholds(spiral_matches=1.5), "spiral_matches"),
        (lambda: goodwill.TrustParams(positive={"nope": 1.0}), "positive[nope]"),
        (lambda: goodwill.TrustParams(negative=[1.0]), "negative"),
    ],
)
def test_bad_values_are_refused_naming_the_field(make, field):
    with pytest.raises(goodwill.InvalidInputError) as info:
        make()._core()
    assert info.value.field == field
