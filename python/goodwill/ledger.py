"""The Ledger: goodwill's columnar, append-only store of events."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._columns import (
    ArrayLike,
    customer_keys,
    detail_column,
    float_column,
    kind_column,
    rep_column,
    rep_ids,
)
from ._errors import invalid
from ._files import atomic_path, file_error

_COLUMNS = ("customer", "time", "kind", "amount", "detail", "rep")

#: The rep id of an event without a salesperson (``to_numpy()["rep"]``).
NO_REP: int = int(_core.NO_REP)


class Ledger:
    """Events ``(customer, time, kind, amount, detail, rep)``, stored column by column.

    Customers are named by integer or string keys (not both in one ledger);
    times are in days (float64, any origin); kinds are names from
    :data:`goodwill.EVENT_KINDS` (or their integer codes). ``rep`` is the
    salesperson who acted (optional; a name, None where the data does not
    say); names are interned like customer keys (:attr:`rep_names`). Appends are
    vectorised and atomic: a bad row raises :class:`goodwill.InvalidInputError`
    naming the row and field, and nothing is appended.

    Events keep their arrival order; analyses read each customer's events in
    time order, ties in arrival order (a stable sort).

    Parameters
    ----------
    data : DataFrame or mapping of columns, optional
        Events to start with: columns ``customer``, ``time``, ``kind`` and
        optionally ``amount``, ``detail``, ``rep`` (see :meth:`append_frame`).
    **columns : str
        Other column names for those fields, e.g. ``customer="account"``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> ledger = goodwill.Ledger(pd.DataFrame({
    ...     "customer": ["Acme", "Acme", "Globex"], "time": [0.0, 14.0, 4.0],
    ...     "kind": ["meeting", "deal_won", "proposal"], "amount": [1.5, 11500.0, 8000.0]}))
    >>> len(ledger), ledger.n_customers, list(ledger.customers)
    (3, 2, ['Acme', 'Globex'])
    >>> ledger.to_pandas()["kind"].tolist()
    ['meeting', 'deal_won', 'proposal']
    """

    __slots__ = ("_core",)

    def __init__(self, data: pd.DataFrame | Mapping[str, ArrayLike] | None = None, **columns: str) -> None:
        self._core = _core.Ledger()
        if data is not None:
            self.append_frame(data, **columns)

    # ---- building ---------------------------------------------------------

    def append(
        self,
        customer: ArrayLike,
        time: ArrayLike,
        kind: ArrayLike,
        amount: ArrayLike | None = None,
        detail: ArrayLike | None = None,
        rep: ArrayLike | None = None,
    ) -> Ledger:
        """Append columns of events; returns ``self`` for chaining.

        ``rep`` holds salespeople's names (None/NaN: no salesperson). Nothing
        is appended, and no name interned, if any row is bad.

        Examples
        --------
        >>> led = Ledger().append(["acme", "acme"], [1.0, 2.0], ["proposal", "deal_won"],
        ...                       [100.0, 90.0], rep=["Ann", None])
        >>> led.rep_names
        ['Ann']
        """
        times = float_column(time, "time")
        kinds = kind_column(kind, "kind")
        amounts = None if amount is None else float_column(amount, "amount")
        details = None if detail is None else detail_column(detail, "detail")
        rep_codes = None if rep is None else rep_column(rep, "rep")
        keys = customer_keys(customer, "customer")
        n = len(keys[0]) if isinstance(keys, tuple) else len(keys)
        for name, col in (
            ("time", times),
            ("kind", kinds),
            ("amount", amounts),
            ("detail", details),
            ("rep", None if rep_codes is None else rep_codes[0]),
        ):
            if col is not None and len(col) != n:
                raise invalid(name, None, f"has {len(col)} rows where 'customer' has {n}")
        mark = self._core.rep_count
        reps = None
        if rep_codes is not None and len(rep_codes[1]):
            reps = rep_ids(self._core._intern_reps(rep_codes[1]), rep_codes[0])
        try:
            if isinstance(keys, tuple):
                codes, names = keys
                self._core._append_str_keys(names, codes, times, kinds, amounts, details, reps)
            else:
                self._core._append_int_rows(keys, times, kinds, amounts, details, reps)
        except BaseException:
            self._core._discard_reps_from(mark)  # the append failed: intern nothing
            raise
        return self

    def append_frame(
        self,
        frame: pd.DataFrame | Mapping[str, ArrayLike],
        *,
        customer: str = "customer",
        time: str = "time",
        kind: str = "kind",
        amount: str | None = "amount",
        detail: str | None = "detail",
        rep: str | None = "rep",
    ) -> Ledger:
        """Append the rows of a DataFrame (or a mapping of columns).

        ``amount`` and ``detail`` columns are optional (zero when absent), and
        so is ``rep`` (the salesperson's name; none when absent); the keyword
        arguments name the columns to read.
        """
        for name, col in (("customer", customer), ("time", time), ("kind", kind)):
            if col not in frame:
                raise invalid(name, None, f"column {col!r} is missing")
        return self.append(
            frame[customer],
            frame[time],
            frame[kind],
            frame[amount] if amount is not None and amount in frame else None,
            frame[detail] if detail is not None and detail in frame else None,
            frame[rep] if rep is not None and rep in frame else None,
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | Mapping[str, ArrayLike], **columns: str) -> Ledger:
        """A new ledger holding the rows of ``frame`` (see :meth:`append_frame`)."""
        return cls(frame, **columns)

    # ---- reading ----------------------------------------------------------

    def __len__(self) -> int:
        return len(self._core)

    @property
    def n_customers(self) -> int:
        """Number of distinct customers."""
        return int(self._core.customer_count)

    @property
    def customers(self) -> npt.NDArray[Any]:
        """Customer keys indexed by dense id (int64, or object array of str)."""
        if self._core.key_kind == "string":
            return np.array(self._core.string_keys, dtype=object)
        if self._core.key_kind == "integer":
            return np.asarray(self._core.integer_keys)
        return np.arange(self.n_customers, dtype=np.int64)

    @property
    def rep_names(self) -> list[str]:
        """Salespeople's names, indexed by rep id (``to_numpy()["rep"]``)."""
        return list(self._core.rep_names)

    @property
    def has_reps(self) -> bool:
        """Whether any event names a salesperson."""
        return bool(self._core.has_reps)

    def to_numpy(self) -> dict[str, npt.NDArray[Any]]:
        """Zero-copy, read-only views of the columns.

        ``customer`` holds dense ids (index :attr:`customers` with them for
        keys), ``kind`` codes into :data:`goodwill.EVENT_KINDS`, ``detail``
        raw int32 details (:data:`goodwill.MARGIN_UNKNOWN` where a margin is
        unknown) and ``rep`` dense rep ids (uint32; index :attr:`rep_names`
        with them; :data:`NO_REP` = 0xFFFFFFFF where none). A view is a
        snapshot: later appends do not change it.
        """
        c = self._core
        return {
            "customer": c.customer,
            "time": c.time,
            "kind": c.kind,
            "amount": c.amount,
            "detail": c.detail,
            "rep": c.rep,
        }

    def to_pandas(self) -> pd.DataFrame:
        """The events as a DataFrame.

        Columns: customer keys, time, kind (categorical), amount, detail
        (nullable ``Int32``: ``<NA>`` where the detail is
        :data:`goodwill.MARGIN_UNKNOWN`, a margin the data does not give) and,
        when the ledger names salespeople, rep (categorical of
        :attr:`rep_names`; NaN where an event names none).

        Examples
        --------
        >>> import goodwill
        >>> led = Ledger().append(["a"], [0.0], ["deal_won"], [10.0], [goodwill.MARGIN_UNKNOWN], rep=["Ann"])
        >>> led.to_pandas()[["detail", "rep"]]
           detail  rep
        0    <NA>  Ann
        """
        cols = self.to_numpy()
        keys = self.customers
        frame = pd.DataFrame(
            {
                "customer": keys[cols["customer"]] if len(keys) else keys[:0],
                "time": cols["time"],
                "kind": pd.Categorical.from_codes(cols["kind"].astype(np.int8), categories=pd.Index(list(_core.EVENT_KINDS))),
                "amount": cols["amount"],
                "detail": detail_frame_column(cols["detail"]),
            }
        )
        if self.has_reps:
            frame["rep"] = rep_categorical(cols["rep"], self.rep_names)
        return frame

    def __repr__(self) -> str:
        reps = f", {len(self._core.rep_names):,} salespeople" if self.has_reps else ""
        return f"<goodwill.Ledger: {len(self):,} events, {self.n_customers:,} customers{reps}>"

    # ---- persistence ------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The ledger in goodwill's versioned binary format (also what pickle uses)."""
        return bytes(self._core.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> Ledger:
        """A ledger read from :meth:`to_bytes` output."""
        out = cls.__new__(cls)
        out._core = _core.Ledger.from_bytes(data)
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the ledger: Parquet for ``*.parquet`` (needs pyarrow), else goodwill's binary format.

        Both keep everything and read back exactly (``Ledger.load(path) ==
        ledger``): salespeople, customers without events and the customers'
        dense ids. Parquet holds :meth:`to_pandas` (unknown details as nulls,
        rep as a dictionary column) and, in the file's metadata under
        ``goodwill``, the key kind, every customer key in dense-id order and
        the salespeople's names in id order; a Parquet file without that
        metadata (written by another tool) loads as an event table. The ``.gwl`` format (version 3) carries its length and a
        CRC-32C checksum, so a damaged file is refused on load. Saving is
        atomic: the data goes to a temporary file in the same directory,
        flushed to disk and renamed over ``path``, so ``path`` holds either
        its old content or the whole new ledger, even if the process dies
        mid-save. A failure raises :class:`goodwill.InvalidInputError` naming
        the file (which is then unchanged).

        Examples
        --------
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "events.gwl")
        >>> goodwill.Ledger({"customer": [1], "time": [0.0], "kind": ["lead"]}).save(path)
        >>> len(goodwill.Ledger.load(path))
        1
        """
        target = os.fspath(path)
        if str(target).endswith(".parquet"):
            _save_parquet(self, target)
        else:
            self._core.save(str(target))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Ledger:
        """Read a ledger written by :meth:`save` (``.gwl`` of any format version, or Parquet).

        A file that is missing, truncated, followed by other bytes, corrupt
        (its checksum does not match) or inconsistent (Parquet: metadata that
        does not match the rows) raises :class:`goodwill.InvalidInputError`
        naming the file.
        """
        target = os.fspath(path)
        if str(target).endswith(".parquet"):
            return _load_parquet(cls, target)
        out = cls.__new__(cls)
        out._core = _core.Ledger.load(str(target))
        return out

    def __getstate__(self) -> bytes:
        return self.to_bytes()

    def __setstate__(self, state: bytes) -> None:
        self._core = _core.Ledger.from_bytes(state)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    __hash__ = None  # type: ignore[assignment]


def detail_frame_column(details: npt.NDArray[np.int32]) -> pd.arrays.IntegerArray:
    """Details as a nullable Int32 array: ``<NA>`` where MARGIN_UNKNOWN."""
    d = np.asarray(details, dtype=np.int32)
    return pd.arrays.IntegerArray(d.copy(), d == np.int32(_core.MARGIN_UNKNOWN))


def rep_categorical(reps: npt.NDArray[np.uint32], names: list[str]) -> pd.Categorical:
    """Rep ids as a Categorical of names (NaN where NO_REP)."""
    r = np.asarray(reps)
    codes = np.where(r == NO_REP, -1, r.astype(np.int64))
    return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=object))


def rep_name_array(reps: npt.NDArray[np.uint32], names: list[str]) -> npt.NDArray[np.object_]:
    """Rep ids as an object array of names (None where NO_REP), for re-appending."""
    table = np.array(list(names) + [None], dtype=object)
    r = np.asarray(reps)
    return table[np.where(r == NO_REP, len(names), r.astype(np.int64))]


#: Version of the ``goodwill`` metadata a Parquet ledger carries.
PARQUET_META_VERSION = 1


def _save_parquet(led: Ledger, target: str) -> None:
    """The events as a Parquet table, with what makes the round trip exact in its metadata."""
    import json

    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        raise file_error("Parquet file", target, f"needs pyarrow ({exc})") from None
    frame = led.to_pandas()
    kind = led._core.key_kind
    keys = led.customers
    meta = {
        "version": PARQUET_META_VERSION,
        "key_kind": kind,
        "customers": int(led.n_customers),
        "keys": [] if kind == "dense" else [k if isinstance(k, str) else int(k) for k in keys.tolist()],
        "rep_names": list(led.rep_names),
    }
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"goodwill": json.dumps(meta).encode()})
    with atomic_path(target, "Parquet file") as tmp:
        try:
            pq.write_table(table, tmp)
        except OSError as exc:
            raise file_error("Parquet file", target, str(exc.strerror or exc)) from None
        except Exception as exc:  # noqa: BLE001 - pyarrow's own errors
            raise file_error("Parquet file", target, f"{type(exc).__name__}: {exc}") from None


def _load_parquet(cls: type[Ledger], target: str) -> Ledger:
    import json

    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

        table = pq.read_table(target)
        frame = table.to_pandas()
    except ImportError as exc:
        raise file_error("Parquet file", target, f"needs pyarrow ({exc})") from None
    except OSError as exc:
        raise file_error("Parquet file", target, str(exc.strerror or exc)) from None
    except Exception as exc:  # noqa: BLE001 - pyarrow's own errors on a damaged file
        raise file_error("Parquet file", target, f"{type(exc).__name__}: {exc}") from None
    for col in ("customer", "time", "kind"):
        if col not in frame.columns:
            raise file_error("Parquet file", target, f"has no {col!r} column (not a saved ledger)")
    frame["kind"] = frame["kind"].astype(str)
    raw = (table.schema.metadata or {}).get(b"goodwill")
    if raw is None:  # written by another tool: an event table
        return cls(frame)
    try:
        meta = json.loads(raw)
        version, kind = int(meta["version"]), str(meta["key_kind"])
        n, keys, rep_names = int(meta["customers"]), list(meta["keys"]), [str(r) for r in meta["rep_names"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise file_error("Parquet file", target, f"has unreadable goodwill metadata ({exc})") from None
    if version != PARQUET_META_VERSION:
        raise file_error("Parquet file", target, f"has goodwill metadata version {version}; this goodwill reads "
                         f"version {PARQUET_META_VERSION}")
    if kind not in ("dense", "integer", "string") or (kind != "dense" and len(keys) != n):
        raise file_error("Parquet file", target, f"has goodwill metadata for {n:,} customers of kind {kind!r} "
                         f"but {len(keys):,} keys")
    out = cls.__new__(cls)
    out._core = _core.Ledger()
    times = float_column(frame["time"], "time")
    kinds = kind_column(frame["kind"], "kind")
    amounts = float_column(frame["amount"], "amount") if "amount" in frame.columns else None
    details = detail_column(frame["detail"], "detail") if "detail" in frame.columns else None
    reps = None
    if rep_names:
        ids = out._core._intern_reps(rep_names)
        if "rep" not in frame.columns:
            raise file_error("Parquet file", target, "names salespeople in its metadata but has no 'rep' column")
        codes = pd.Categorical(frame["rep"], categories=pd.Index(rep_names, dtype=object)).codes
        if ((codes < 0) & frame["rep"].notna().to_numpy()).any():
            row = int(np.flatnonzero((codes < 0) & frame["rep"].notna().to_numpy())[0])
            raise file_error("Parquet file", target, f"row {row}: salesperson {frame['rep'].iloc[row]!r} is not "
                             "in the metadata's names")
        reps = np.where(codes < 0, NO_REP, ids[np.maximum(codes, 0)]).astype(np.uint32)
    if kind == "dense":
        customers = np.asarray(frame["customer"])
        if customers.dtype.kind not in "iu" or (len(customers) and (customers.min() < 0 or customers.max() >= n)):
            raise file_error("Parquet file", target, f"has dense customer ids outside 0..{n - 1}")
        out._core._append_dense(customers.astype(np.uint32), times, kinds, amounts, details, reps)
        if out._core.customer_count != n:
            raise file_error("Parquet file", target, f"has events of {out._core.customer_count:,} customers "
                             f"where its metadata says {n:,}")
        return out
    try:
        index = pd.Index(keys, dtype=object if kind == "string" else np.int64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise file_error("Parquet file", target, f"has goodwill metadata keys that are not {kind} keys ({exc})") from None
    if not index.is_unique:
        dup = index[index.duplicated()][0]
        raise file_error("Parquet file", target, f"has goodwill metadata naming customer {dup!r} twice")
    row_codes = index.get_indexer(pd.Index(frame["customer"].to_numpy()))
    if (row_codes < 0).any():
        row = int(np.flatnonzero(row_codes < 0)[0])
        raise file_error("Parquet file", target, f"row {row}: customer {frame['customer'].iloc[row]!r} is not in "
                         "the metadata's keys")
    codes64 = row_codes.astype(np.int64)
    if kind == "string":
        out._core._append_str_keys([str(k) for k in keys], codes64, times, kinds, amounts, details, reps)
    else:
        out._core._append_int_keys(np.asarray(keys, dtype=np.int64), codes64, times, kinds, amounts, details, reps)
    return out
