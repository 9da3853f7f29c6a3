"""goodwill.Ledger: bulk appends, validation, views, persistence."""

from __future__ import annotations

import pickle
import re

import goodwill
import numpy as np
import pandas as pd
import pytest
from goodwill.ledger import NO_REP
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
        np.testing.assert_array_equal(back.to_numpy()["detail"], df["detail"].to_numpy())
        # the DataFrame shows MARGIN_UNKNOWN as <NA>, everything else as it is
        unknown = df["detail"].to_numpy() == goodwill.MARGIN_UNKNOWN
        assert out["detail"].isna().to_numpy().tolist() == unknown.tolist()
        np.testing.assert_array_equal(out["detail"].to_numpy(dtype=np.int64, na_value=goodwill.MARGIN_UNKNOWN), df["detail"].to_numpy())
        assert goodwill.Ledger(out) == ledger  # and reads back as the same ledger


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


# ---- salespeople (reps) and unknown margins ----------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"


def rep_frame() -> pd.DataFrame:
    return frame().assign(rep=["Ann", None, "Bob", np.nan])


def test_rep_column_is_interned_and_shown():
    ledger = goodwill.Ledger(rep_frame())
    assert ledger.rep_names == ["Ann", "Bob"]
    assert ledger.has_reps
    ids = ledger.to_numpy()["rep"]
    assert ids.dtype == np.uint32 and not ids.flags.writeable
    assert ids.tolist() == [0, 0xFFFFFFFF, 1, 0xFFFFFFFF]
    out = ledger.to_pandas()
    assert isinstance(out["rep"].dtype, pd.CategoricalDtype)
    assert list(out["rep"].cat.categories) == ["Ann", "Bob"]
    assert out["rep"].isna().tolist() == [False, True, False, True]
    assert out["rep"].astype(object).iloc[2] == "Bob"
    # appends intern new names after the old ones; names are stripped
    ledger.append(["acme"], [9.0], ["deal_won"], rep=[" Cy "])
    ledger.append(["acme"], [9.5], ["deal_won"], rep=["Ann"])
    assert ledger.rep_names == ["Ann", "Bob", "Cy"]
    assert ledger.to_numpy()["rep"][-2:].tolist() == [2, 0]


def test_no_rep_column_means_no_reps():
    ledger = goodwill.Ledger(frame())
    assert not ledger.has_reps and ledger.rep_names == []
    assert "rep" not in ledger.to_pandas().columns
    assert (ledger.to_numpy()["rep"] == 0xFFFFFFFF).all()
    assert not goodwill.Ledger(frame().assign(rep=None)).has_reps


def test_rep_from_a_categorical_keeps_its_categories():
    reps = pd.Categorical(["Bob", None, "Bob", "Ann"], categories=["Zed", "Bob", "Ann"])
    ledger = goodwill.Ledger(frame().assign(rep=reps))
    assert ledger.rep_names == ["Zed", "Bob", "Ann"]
    assert ledger.to_numpy()["rep"].tolist() == [1, 0xFFFFFFFF, 1, 2]


@pytest.mark.parametrize(
    ("reps", "row", "message"),
    [
        (["Ann", None, 7, "Bob"], 2, "7 is not a salesperson's name"),
        (["Ann", True, "Bob", "Bob"], 1, "True is not a salesperson's name"),
        (["Ann", "  ", "Bob", "Bob"], 1, "empty name"),
        (np.array([1.0, np.nan, 2.0, 3.0]), 0, "1.0 is not a salesperson's name"),
        (np.array([5, 6, 7, 8]), 0, "5 is not a salesperson's name"),
    ],
)
def test_bad_rep_is_named_and_nothing_is_appended(reps, row, message):
    ledger = goodwill.Ledger(rep_frame())
    with pytest.raises(goodwill.InvalidInputError, match=message) as info:
        ledger.append_frame(frame().assign(rep=reps))
    assert info.value.field == "rep" and info.value.row == row
    assert str(info.value).startswith(f"row {row}, field 'rep'")
    assert len(ledger) == 4 and ledger.rep_names == ["Ann", "Bob"]


def test_failed_append_interns_no_rep():
    ledger = goodwill.Ledger(rep_frame())
    bad = frame().assign(rep=["Dee", "Eve", "Ann", None], time=[1.0, np.nan, 2.0, 3.0])
    with pytest.raises(goodwill.InvalidInputError, match="row 1, field 'time'"):
        ledger.append_frame(bad)
    assert ledger.rep_names == ["Ann", "Bob"] and len(ledger) == 4
    with pytest.raises(goodwill.InvalidInputError, match="field 'rep': has 2 rows"):
        ledger.append(["a"] * 3, [1.0, 2.0, 3.0], ["lead"] * 3, rep=["Dee", "Eve"])
    assert ledger.rep_names == ["Ann", "Bob"]


def test_unknown_margin_is_na_not_int_min():
    u = goodwill.MARGIN_UNKNOWN
    ledger = goodwill.Ledger().append(
        ["a", "a", "b"], [0.0, 1.0, 2.0], ["deal_won", "purchase", "deal_lost"], [10.0, 5.0, 3.0], [u, 2500, 1]
    )
    out = ledger.to_pandas()
    assert out["detail"].dtype == "Int32"
    assert out["detail"].isna().tolist() == [True, False, False]
    assert out["detail"].iloc[1] == 2500
    assert -2147483648 not in out["detail"].dropna().tolist()
    assert "<NA>" in out.to_string()
    assert ledger.to_numpy()["detail"][0] == u  # the raw view keeps the code
    # read back from its own DataFrame: the same ledger
    assert goodwill.Ledger(out) == ledger
    # NaN and None details are unknown margins too
    nan = goodwill.Ledger().append(["a", "a"], [0.0, 1.0], ["deal_won", "purchase"], [1.0, 1.0], [np.nan, None])
    assert nan.to_numpy()["detail"].tolist() == [u, u]


def test_save_load_keeps_reps_binary_and_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    u = goodwill.MARGIN_UNKNOWN
    ledger = goodwill.Ledger(rep_frame().assign(kind=["deal_won", "lead", "proposal", "deal_lost"], detail=[u, 1, 0, 1]))
    ledger.append(["zeta"], [7.0], ["opportunity"], [55.0], rep=["Cy"])
    for name in ("led.gwl", "led.parquet"):
        path = tmp_path / name
        ledger.save(path)
        back = goodwill.Ledger.load(path)
        assert back == ledger, name
        assert back.rep_names == ["Ann", "Bob", "Cy"]
        pd.testing.assert_frame_equal(back.to_pandas(), ledger.to_pandas())
    assert pickle.loads(pickle.dumps(ledger)) == ledger


def test_version_1_file_still_loads():
    path = FIXTURES / "ledger_v1.gwl"  # written by main @370c903, before reps
    ledger = goodwill.Ledger.load(path)
    assert len(ledger) == 5 and list(ledger.customers) == ["acme", "globex", "initech"]
    assert not ledger.has_reps and ledger.rep_names == []
    out = ledger.to_pandas()
    assert list(out["kind"].astype(str)) == ["lead", "meeting", "deal_won", "deal_lost", "purchase"]
    assert out["detail"].isna().tolist() == [False, False, True, False, False]
    assert out["detail"].iloc[4] == 2500
    # written back in the current format, it reads the same
    assert goodwill.Ledger.from_bytes(ledger.to_bytes()) == ledger


def test_version_2_file_still_loads():
    path = FIXTURES / "ledger_v2.gwl"  # written by main @da48227, the last version 2 save
    ledger = goodwill.Ledger.load(path)
    assert len(ledger) == 6 and list(ledger.customers) == [-7, 42, 9000000000]
    assert ledger.rep_names == ["Ann", "Unused", "Bob \u00c5se"]
    out = ledger.to_pandas()
    assert list(out["kind"].astype(str)) == [
        "proposal", "competitor_quote", "price_match", "deal_won", "purchase", "churn"
    ]
    assert out["amount"].tolist() == [8000.0, 7100.0, 7100.0, 7000.0, -120.5, 0.0]
    assert out["detail"].isna().tolist() == [False, False, False, True, False, False]
    assert ledger.to_bytes()[8] == 3  # written back as version 3
    assert goodwill.Ledger.from_bytes(ledger.to_bytes()) == ledger
    data = path.read_bytes()
    with pytest.raises(goodwill.InvalidInputError, match="bytes after the end"):
        goodwill.Ledger.from_bytes(data + b"\0")


def test_damaged_files_are_refused_naming_the_file(tmp_path):
    ledger = goodwill.Ledger(frame())
    path = tmp_path / "events.gwl"
    ledger.save(path)
    data = path.read_bytes()
    assert len(data) == 53 + int.from_bytes(data[37:45], "little")
    loaded = 0
    for i in range(len(data)):
        bad = bytearray(data)
        bad[i] ^= 0x10
        path.write_bytes(bytes(bad))
        try:
            goodwill.Ledger.load(path)
            loaded += 1
        except goodwill.InvalidInputError as exc:
            assert str(path) in str(exc)
    assert loaded == 0
    for cut in (0, 7, 48, len(data) - 1):
        path.write_bytes(data[:cut])
        with pytest.raises(goodwill.InvalidInputError, match=re.escape(str(path))):
            goodwill.Ledger.load(path)
    path.write_bytes(data + b"junk")
    with pytest.raises(goodwill.InvalidInputError, match="bytes after the end"):
        goodwill.Ledger.load(path)
    with pytest.raises(goodwill.InvalidInputError, match="missing.gwl"):
        goodwill.Ledger.load(tmp_path / "missing.gwl")


def test_save_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    ledger = goodwill.Ledger(frame())
    for name in ("events.gwl", "events.parquet"):
        path = tmp_path / name
        ledger.save(path)
        before = path.read_bytes()
        bigger = goodwill.Ledger(frame())
        bigger.append(["zeta"], [9.0], ["lead"])
        bigger.save(path)
        assert len(goodwill.Ledger.load(path)) == 5
        ledger.save(path)
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gwl", "events.parquet"]

    # a writer that fails half-way leaves the old file and no temporary one
    def broken(self, target, **kwargs):
        with open(target, "wb") as f:
            f.write(b"PAR1 half")
        raise OSError(28, "No space left on device")

    import pyarrow.parquet as pq

    monkeypatch.setattr(pq, "write_table", broken)
    path = tmp_path / "events.parquet"
    before = path.read_bytes()
    with pytest.raises(goodwill.InvalidInputError, match=r"events\.parquet.*No space left"):
        ledger.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gwl", "events.parquet"]
    with pytest.raises(goodwill.InvalidInputError, match="directory does not exist"):
        ledger.save(tmp_path / "nowhere" / "x.gwl")


def test_parquet_round_trips_exactly(tmp_path):
    # customers without events, dense ids out of first-appearance order, the
    # three key kinds, salespeople and unknown details: the same bytes back
    pytest.importorskip("pyarrow")
    ledgers = {}
    s = goodwill.Ledger()
    times, kinds = np.array([1.0, 2.0, 3.0]), np.array([0, 9, 9], dtype=np.uint8)
    ids = s._core._intern_reps(["Bo", "Ann"])
    s._core._append_str_keys(["zed", "quiet", "acme"], np.array([2, 0, 2], dtype=np.int64), times, kinds,
                             np.array([0.0, 5.0, 7.0]), np.array([0, goodwill.MARGIN_UNKNOWN, 3], dtype=np.int32),
                             np.array([ids[1], NO_REP, ids[0]], dtype=np.uint32))
    ledgers["string"] = s
    i = goodwill.Ledger()
    i._core._append_int_keys(np.array([70, 5, 900], dtype=np.int64), np.array([1, 1, 0], dtype=np.int64), times, kinds)
    ledgers["integer"] = i
    d = goodwill.Ledger()
    d._core._append_dense(np.array([3, 0, 3], dtype=np.uint32), times, kinds)
    ledgers["dense"] = d
    for kind, led in ledgers.items():
        assert led._core.key_kind == kind
        path = tmp_path / f"{kind}.parquet"
        led.save(path)
        back = goodwill.Ledger.load(path)
        assert back._core.key_kind == kind
        assert back.n_customers == led.n_customers
        assert list(back.customers) == list(led.customers)
        assert back == led, kind
    # "quiet" has no events and keeps its dense id 1
    assert list(goodwill.Ledger.load(tmp_path / "string.parquet").customers) == ["zed", "quiet", "acme"]
    # a Parquet file of events from another tool still loads, as an event table
    plain = tmp_path / "plain.parquet"
    frame().to_parquet(plain, index=False)
    assert len(goodwill.Ledger.load(plain)) == len(frame())


def test_parquet_metadata_that_does_not_match_is_named(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import json

    import pyarrow.parquet as pq

    led = goodwill.Ledger(frame())
    path = tmp_path / "led.parquet"
    led.save(path)
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"goodwill"])
    cases = {
        "keys": dict(meta, keys=meta["keys"][:-1]),
        "version": dict(meta, version=99),
        "twice": dict(meta, keys=["x"] * len(meta["keys"])),
        "not in the metadata's keys": dict(meta, keys=[f"x{i}" for i in range(len(meta["keys"]))]),
    }
    for message, bad in cases.items():
        broken = table.replace_schema_metadata({**table.schema.metadata, b"goodwill": json.dumps(bad).encode()})
        pq.write_table(broken, tmp_path / "bad.parquet")
        with pytest.raises(goodwill.InvalidInputError, match=re.escape(message)) as err:
            goodwill.Ledger.load(tmp_path / "bad.parquet")
        assert "bad.parquet" in str(err.value) and err.value.field == "path"
    assert pa is not None


def test_corrupt_parquet_is_an_invalid_input_error(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(goodwill.InvalidInputError, match=re.escape(str(path))):
        goodwill.Ledger.load(path)
    with pytest.raises(goodwill.InvalidInputError, match="missing.parquet"):
        goodwill.Ledger.load(tmp_path / "missing.parquet")


# ---- account owners ----------------------------------------------------------------


def owners_ledger() -> goodwill.Ledger:
    rows = [
        # acme: Ann 3 of 4 deals -> owner
        ("acme", 10, "deal_won", "Ann"), ("acme", 20, "deal_lost", "Ann"), ("acme", 30, "deal_won", "Bob"),
        ("acme", 40, "deal_won", "Ann"), ("acme", 41, "meeting", "Bob"), ("acme", 42, "opportunity", "Bob"),
        # globex: Ann 2, Bob 2, Cy 1 -> no majority, top 40% of 5
        ("globex", 1, "deal_won", "Ann"), ("globex", 2, "deal_won", "Bob"), ("globex", 3, "deal_lost", "Cy"),
        ("globex", 4, "deal_won", "Ann"), ("globex", 5, "deal_won", "Bob"),
        # initech: a deal without a rep only
        ("initech", 60, "deal_won", None),
        # umbrella: no deal at all
        ("umbrella", 100, "lead", "Ann"),
    ]
    f = pd.DataFrame(rows, columns=["customer", "time", "kind", "rep"])
    return goodwill.Ledger(f)


def test_account_owners_with_and_without_majority():
    out = goodwill.account_owners(owners_ledger())
    assert list(out.index) == ["acme", "globex", "initech", "umbrella"]
    assert out.index.name == "customer"
    assert out.loc["acme", "owner"] == "Ann"
    assert out.loc["acme", "owner_share"] == 0.75 and out.loc["acme", "deals"] == 4
    assert out.loc["acme", "owner_note"] == "Ann 75% of 4 deals"
    assert pd.isna(out.loc["globex", "owner"])
    assert out.loc["globex", "top_rep"] == "Bob"  # tie with Ann: Bob's latest deal is later
    assert out.loc["globex", "owner_note"] == "no majority (top: Bob 40% of 5 deals, tied with 1 other)"
    for quiet in ("initech", "umbrella"):
        assert pd.isna(out.loc[quiet, "owner"]) and out.loc[quiet, "owner_note"] == "no salesperson recorded"
    assert out.loc["initech", "unattributed_deals"] == 1
    assert out["owner"].dtype == "string"
    assert out.attrs["window_days"] == 365.0 and out.attrs["window_end"] == 100.0


def test_account_owners_window():
    ledger = goodwill.Ledger().append(
        ["a"] * 5, [0.0, 10.0, 20.0, 900.0, 1000.0], ["deal_won"] * 5, rep=["Ann", "Ann", "Ann", "Bob", "Bob"]
    )
    assert goodwill.account_owners(ledger).loc["a", "owner"] == "Bob"
    assert goodwill.account_owners(ledger, window_days=5000).loc["a", "owner"] == "Ann"
    for bad in (0, -3, float("nan")):
        with pytest.raises(goodwill.InvalidInputError, match="window_days"):
            goodwill.account_owners(ledger, window_days=bad)
    with pytest.raises(goodwill.InvalidInputError, match="window_days"):
        goodwill.account_owners(ledger, window_days="long")  # type: ignore[arg-type]
    empty = goodwill.account_owners(goodwill.Ledger())
    assert empty.empty and "owner_note" in empty.columns


rep_rows = st.lists(
    st.tuples(
        st.sampled_from(["acme", "globex", "initech"]),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.sampled_from(["deal_won", "deal_lost", "opportunity", "purchase", "meeting"]),
        st.one_of(st.none(), st.sampled_from(["Ann", "Bob", "Çelik", "李"]), st.text(min_size=1, max_size=6)),
        st.one_of(st.just(goodwill.MARGIN_UNKNOWN), st.integers(-(2**31) + 1, 2**31 - 1)),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(rep_rows)
def test_reps_round_trip_bytes_and_pandas(rows):
    rows = [r for r in rows if r[3] is None or r[3].strip()]  # empty names are rejected (tested above)
    df = pd.DataFrame(rows, columns=["customer", "time", "kind", "rep", "detail"])
    ledger = goodwill.Ledger(df) if rows else goodwill.Ledger()
    assert goodwill.Ledger.from_bytes(ledger.to_bytes()) == ledger
    named = [r[3].strip() for r in rows if r[3] is not None]
    assert ledger.rep_names == list(dict.fromkeys(named))
    assert ledger.has_reps == bool(named)
    ids = ledger.to_numpy()["rep"]
    names = ledger.rep_names
    assert [None if i == 0xFFFFFFFF else names[i] for i in ids] == [None if r[3] is None else r[3].strip() for r in rows]
    if rows:
        out = ledger.to_pandas()
        assert goodwill.Ledger(out) == ledger
        assert out["detail"].isna().tolist() == [r[4] == goodwill.MARGIN_UNKNOWN for r in rows]


def test_customer_decisions_take_owners_from_the_reps():
    ledger = owners_ledger()
    rec = goodwill.decide_customers(ledger)
    assert rec.loc["acme", "owner"] == "Ann"
    assert pd.isna(rec.loc["globex", "owner"])
    assert rec.loc["globex", "owner_note"].startswith("no majority (top: Bob 40% of 5 deals")
    # an owner given explicitly wins, and no note is made up
    given = goodwill.decide_customers(ledger, owner={"acme": "Zed"})
    assert given.loc["acme", "owner"] == "Zed" and "owner_note" not in given
