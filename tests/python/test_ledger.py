"""goodwill.Ledger: bulk appends, validation, views, persistence."""

from __future__ import annotations

import pickle
import re

import goodwill
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ["acme", "globex", "acme", "initech"],
            "time": [3.0, 1.0, 1.0, 2.5],
            "kind": ["meeting", "lead", "proposal", "deal_lost"],
            "amount": [1.0, 0.0, 9000.0, 4000.0],
            "detail": [0, 1, 0, 1],
        }
    )


def test_round_trip_through_pandas():
    ledger = goodwill.Ledger(frame())
    assert len(ledger) == 4
    assert ledger.n_customers == 3
    back = ledger.to_pandas()
    pd.testing.assert_frame_equal(
        back.assign(kind=back["kind"].astype(str)), frame(), check_dtype=False
    )
    assert back["kind"].dtype == "category"
    assert list(ledger.customers) == ["acme", "globex", "initech"]


def test_integer_customer_keys():
    ledger = goodwill.Ledger().append([1001, 7, 1001], [0.0, 1.0, 2.0], ["lead", "lead", "meeting"])
    assert ledger.customers.tolist() == [1001, 7]
    assert ledger.to_pandas()["customer"].tolist() == [1001, 7, 1001]
    with pytest.raises(goodwill.InvalidInputError, match="integer keys"):
        ledger.append(["acme"], [1.0], ["lead"])


def test_numpy_views_are_zero_copy_and_read_only():
    ledger = goodwill.Ledger(frame())
    views = ledger.to_numpy()
    assert views["time"].dtype == np.float64
    assert views["kind"].dtype == np.uint8
    assert views["customer"].dtype == np.uint32
    assert not views["amount"].flags.writeable
    assert not views["amount"].flags.owndata  # a view of the C++ buffer
    with pytest.raises(ValueError):
        views["amount"][0] = 1.0
    # A view is a snapshot: growing the ledger leaves it intact.
    ledger.append(["acme"] * 1000, np.arange(1000.0), ["meeting"] * 1000)
    assert len(views["amount"]) == 4
    assert views["amount"][2] == 9000.0
    assert len(ledger.to_numpy()["amount"]) == 1004


@pytest.mark.parametrize(
    ("column", "value", "field", "message"),
    [
        ("time", np.nan, "time", "is NaN"),
        ("time", np.inf, "time", "is +infinity"),
        ("amount", -np.inf, "amount", "is -infinity"),
        ("amount", -5.0, "amount", "is negative"),
        ("kind", "discount", "kind", "unknown event kind 'discount'"),
        ("customer", None, "customer", "is missing"),
        ("detail", 2.5, "detail", "not a whole number"),
    ],
)
def test_bad_row_is_named_and_nothing_is_appended(column, value, field, message):
    bad = frame()
    bad[column] = bad[column].astype(object)
    bad.loc[2, column] = value
    ledger = goodwill.Ledger(frame())
    with pytest.raises(goodwill.InvalidInputError, match=re.escape(message)) as info:
        ledger.append_frame(bad)
    assert info.value.field == field
    assert info.value.row == 2
    assert f"row 2, field '{field}'" in str(info.value)
    assert len(ledger) == 4


def test_negative_amount_allowed_for_scope_cuts_and_refunds():
    ledger = goodwill.Ledger().append(["a", "a"], [1.0, 2.0], ["scope_change", "purchase"], [-2000.0, -50.0])
    assert ledger.to_numpy()["amount"].tolist() == [-2000.0, -50.0]


def test_missing_column_is_named():
    with pytest.raises(goodwill.InvalidInputError, match="field 'kind'"):
        goodwill.Ledger(frame().drop(columns="kind"))


def test_mismatched_lengths():
    with pytest.raises(goodwill.InvalidInputError, match="field 'time'"):
        goodwill.Ledger().append(["a", "b"], [1.0], ["lead", "lead"])


def test_save_load_binary_and_parquet(tmp_path):
    ledger = goodwill.Ledger(frame())
    for name in ("events.gwl", "events.parquet"):
        ledger.save(tmp_path / name)
        back = goodwill.Ledger.load(tmp_path / name)
        assert back == ledger
    assert pickle.loads(pickle.dumps(ledger)) == ledger


def test_load_rejects_other_files(tmp_path):
    path = tmp_path / "not.gwl"
    path.write_bytes(b"PAR1 this is not a ledger")
    with pytest.raises(goodwill.InvalidInputError, match="not a goodwill ledger"):
        goodwill.Ledger.load(path)


events = st.lists(
    st.tuples(
        st.one_of(st.integers(-(2**62), 2**62), st.text(min_size=1, max_size=8)),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(goodwill.EVENT_KINDS),
        st.floats(min_value=0, allow_nan=False, allow_infinity=False),
        st.integers(-(2**31), 2**31 - 1),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(events)
def test_binary_round_trip_is_exact(rows):
    # keys must be all ints or all strings: keep the first row's type
    if rows:
        keep = type(rows[0][0])
        rows = [r for r in rows if type(r[0]) is keep]
    df = pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"])
    ledger = goodwill.Ledger(df) if rows else goodwill.Ledger()
    back = goodwill.Ledger.from_bytes(ledger.to_bytes())
    assert back == ledger
    if rows:
        out = back.to_pandas()
        assert out["customer"].tolist() == df["customer"].tolist()
        np.testing.assert_array_equal(out["time"].to_numpy(), df["time"].to_numpy(dtype=float))
        assert out["kind"].astype(str).tolist() == df["kind"].tolist()
        np.testing.assert_array_equal(out["detail"].to_numpy(), df["detail"].to_numpy())


@pytest.mark.parametrize(
    "keys",
    [
        np.array([5, 2**40, 5, -3], dtype=np.int64),  # sparse keys: the hash path
        np.array([5, 1, 5, 3], dtype=np.uint16),  # compact keys: the table path
        np.array([5.0, 1.0, 5.0, 3.0]),  # whole floats (e.g. read from CSV with gaps)
        pd.Series([5, 1, 5, 3], dtype=object),
    ],
)
def test_integer_keys_in_first_appearance_order(keys):
    ledger = goodwill.Ledger().append(keys, [0.0, 1.0, 2.0, 3.0], ["lead"] * 4)
    expected = list(dict.fromkeys(int(k) for k in keys))
    assert ledger.customers.tolist() == expected
    assert ledger.to_pandas()["customer"].tolist() == [int(k) for k in keys]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (np.array([1.0, np.nan]), "row 1, field 'customer': is missing"),
        (np.array([1.0, 2.5]), "row 1, field 'customer': key 2.5 is not a whole number"),
        (pd.Series([1, None, 3], dtype=object), "row 1, field 'customer': is missing"),
        (pd.Series(["a", 3], dtype=object), "keys must be all integers or all strings"),
    ],
)
def test_bad_customer_keys(keys, message):
    n = len(keys)
    with pytest.raises(goodwill.InvalidInputError, match=re.escape(message)):
        goodwill.Ledger().append(keys, np.arange(n, dtype=float), ["lead"] * n)
