"""Each C++ error class crosses into Python as the documented exception."""

from __future__ import annotations

import ast
import pathlib

import goodwill
import pytest
from goodwill._core import _testing

CASES = [
    ("invalid_input", goodwill.InvalidInputError, ValueError),
    ("invalid_state", goodwill.InvalidStateError, ValueError),
    ("invalid_transition", goodwill.InvalidTransitionError, ValueError),
    ("not_fitted", goodwill.NotFittedError, RuntimeError),
    ("numerical_failure", goodwill.NumericalError, RuntimeError),
    ("error", goodwill.GoodwillError, Exception),
]


@pytest.mark.parametrize(("kind", "cls", "builtin"), CASES)
def test_each_error_crosses_with_its_message(kind, cls, builtin):
    message = f"the {kind} message, with ünïcode and 'quotes'"
    with pytest.raises(cls) as info:
        _testing.throw_error(kind, message)
    assert str(info.value) == message
    assert isinstance(info.value, goodwill.GoodwillError)
    assert isinstance(info.value, builtin)
    assert type(info.value) is cls


def test_transition_error_is_a_state_error():
    with pytest.raises(goodwill.InvalidStateError):
        _testing.throw_error("invalid_transition", "fired -> partner on meeting")


def test_invalid_input_carries_field_and_row():
    with pytest.raises(goodwill.InvalidInputError) as info:
        _testing.throw_error("invalid_input", "is NaN", field="amount", row=48213)
    assert str(info.value) == "row 48213, field 'amount': is NaN"
    assert info.value.field == "amount"
    assert info.value.row == 48213


def test_invalid_input_without_row():
    with pytest.raises(goodwill.InvalidInputError) as info:
        _testing.throw_error("invalid_input", "must be positive", field="half_life")
    assert info.value.field == "half_life"
    assert info.value.row is None


def test_standard_exceptions_keep_their_python_types():
    with pytest.raises(ValueError, match="unknown error kind"):
        _testing.throw_error("bogus", "x")


def test_exception_names_are_public():
    assert goodwill.InvalidInputError.__module__ == "goodwill"
    assert goodwill.InvalidInputError.__name__ == "InvalidInputError"


def _tiny_ledger() -> goodwill.Ledger:
    return goodwill.Ledger({"customer": [1, 1, 2], "time": [0.0, 5.0, 1.0], "kind": ["lead", "deal_won", "lead"]})


THREAD_CALLS = [
    ("replay", 0, lambda t: goodwill.relationship_selling().replay(_tiny_ledger(), threads=t)),
    ("synthetic_market", 1, lambda t: goodwill.synthetic_market(n_customers=3, years=0.1, threads=t)),
    ("simulate", 1, lambda t: goodwill.simulate(customers=3, months=1, threads=t)),
    ("fit_trust", 0, lambda t: goodwill.fit_trust(_tiny_ledger(), threads=t)),
]


@pytest.mark.parametrize(("name", "lowest", "call"), THREAD_CALLS, ids=[c[0] for c in THREAD_CALLS])
@pytest.mark.parametrize("bad", [-1, 257, 2**40, True, 2.0, "2"])
def test_thread_counts_are_validated_by_name(name, lowest, call, bad):
    with pytest.raises(goodwill.InvalidInputError, match="field 'threads'") as info:
        call(bad)
    assert info.value.field == "threads"
    if isinstance(bad, int) and not isinstance(bad, bool):
        assert "256" in str(info.value)


@pytest.mark.parametrize(("name", "lowest", "call"), THREAD_CALLS, ids=[c[0] for c in THREAD_CALLS])
def test_lowest_thread_count_is_refused_below(name, lowest, call):
    with pytest.raises(goodwill.InvalidInputError, match="field 'threads'"):
        call(lowest - 1)


# ---- every InvalidInputError of the Python layer comes from one helper ----------

_PACKAGE = pathlib.Path(goodwill.__file__).parent
_BANNED = ("InvalidInputError", "ValueError")


def _direct_raises(source: str) -> list[int]:
    """Lines constructing InvalidInputError or ValueError (``X(...)``, ``_core.X(...)``)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in _BANNED:
                lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_direct_raise():
    assert _direct_raises("raise _core.InvalidInputError(\"field 'x': bad\")") == [1]
    assert _direct_raises("from ._core import InvalidInputError\nerr = InvalidInputError('x')") == [2]
    assert _direct_raises("raise ValueError('x')") == [1]
    assert _direct_raises("raise invalid('x', None, 'bad')") == []


def test_no_module_raises_invalid_input_itself():
    """Only goodwill._errors.invalid constructs the error: the others raise what it returns,
    so every error of the Python layer has its ``.field`` and ``.row`` set."""
    files = sorted(p for p in _PACKAGE.rglob("*.py") if p.name != "_errors.py")
    assert len(files) > 20  # the scan reads the package
    found = {str(p.relative_to(_PACKAGE)): lines for p in files if (lines := _direct_raises(p.read_text()))}
    assert found == {}


def test_python_layer_errors_carry_field_and_row():
    import pandas as pd
    from goodwill import utils

    with pytest.raises(goodwill.InvalidInputError) as info:
        utils.summary_data_from_transaction_data(pd.DataFrame({"id": [1]}), "id", "date")
    assert (str(info.value), info.value.field, info.value.row) == ("field 'date': no such column", "date", None)
    with pytest.raises(goodwill.InvalidInputError) as info:
        utils.summary_data_from_transaction_data(
            pd.DataFrame({"id": [1, None], "date": ["2024-01-01", "2024-01-02"]}), "id", "date")
    assert (info.value.field, info.value.row) == ("id", 1)
    assert "row 1, field 'id'" in str(info.value)


def test_file_errors_name_the_path(tmp_path):
    with pytest.raises(goodwill.InvalidInputError) as info:
        goodwill.Ledger.load(str(tmp_path / "nowhere.parquet"))
    assert info.value.field == "path"
    assert info.value.row is None
    assert "nowhere.parquet" in str(info.value)
