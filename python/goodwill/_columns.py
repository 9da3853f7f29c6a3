"""Vectorised conversion of user columns to the exact arrays the core takes.

Every function here works on whole columns (no per-row Python work) and
raises :class:`goodwill.InvalidInputError` naming the field and the first bad
row, so that a bad value in row 48,213 of an export says so.
"""

from __future__ import annotations

from typing import Any, NoReturn, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._core import EVENT_KINDS, MARGIN_UNKNOWN, NO_REP
from ._errors import invalid as invalid  # noqa: PLC0414  (re-exported: most modules import it from here)

ArrayLike = Union[npt.ArrayLike, "pd.Series[Any]", "pd.Index[Any]"]

_KIND_CATEGORIES = pd.Index(list(EVENT_KINDS))


#: The most threads any ``threads`` argument may ask for (C++ ``detail::max_threads``).
MAX_THREADS = 256


def threads_arg(value: Any, lo: int = 0, field: str = "threads") -> int:
    """A thread count: an integer in [lo, MAX_THREADS] (0: one per core), else InvalidInputError.

    Examples
    --------
    >>> threads_arg(4)
    4
    """
    if isinstance(value, (bool, np.bool_, np.timedelta64)) or not isinstance(value, (int, np.integer)):
        raise invalid(field, None, f"must be an integer, got {value!r}")
    if not lo <= int(value) <= MAX_THREADS:
        zero = " (0: one per hardware thread)" if lo == 0 else ""
        raise invalid(field, None, f"must be between {lo} and {MAX_THREADS}{zero}, got {int(value)}")
    return int(value)


def real_arg(value: Any, field: str, lo: float | None = None, hi: float | None = None) -> float:
    """A finite real scalar in [lo, hi] (either bound optional), else InvalidInputError naming ``field``.

    Refuses bool, complex, strings, datetimes, arrays and every non-real type
    (no silent ``float()`` conversion), NaN and infinities.

    Examples
    --------
    >>> real_arg(0.25, "p", 0.0, 1.0)
    0.25
    """
    if isinstance(value, (bool, np.bool_, np.timedelta64)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise invalid(field, None, f"must be a real number, got {type(value).__name__} {value!r}")
    try:
        x = float(value)
    except OverflowError:
        raise invalid(field, None, f"must be a finite number, got {value!r}") from None
    if not np.isfinite(x):
        raise invalid(field, None, f"must be finite, got {x!r}")
    if lo is not None and hi is not None and not lo <= x <= hi:
        raise invalid(field, None, f"must be in [{lo:g}, {hi:g}], got {x!r}")
    if lo is not None and x < lo:
        raise invalid(field, None, f"must be >= {lo:g}, got {x!r}")
    if hi is not None and x > hi:
        raise invalid(field, None, f"must be <= {hi:g}, got {x!r}")
    return x


def int_arg(value: Any, field: str, lo: int, hi: int) -> int:
    """An integer scalar in [lo, hi], else InvalidInputError naming ``field`` (no bool, no float).

    Examples
    --------
    >>> int_arg(3, "rounds", 0, 10)
    3
    """
    # np.timedelta64 is a NumPy integer type: refused like a datetime
    if isinstance(value, (bool, np.bool_, np.timedelta64)) or not isinstance(value, (int, np.integer)):
        raise invalid(field, None, f"must be an integer, got {type(value).__name__} {value!r}")
    if not lo <= int(value) <= hi:
        raise invalid(field, None, f"must be an integer in [{lo}, {hi}], got {int(value)}")
    return int(value)


def _py(value: Any) -> Any:
    """A NumPy scalar as the plain Python value (for readable messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _values(values: ArrayLike) -> Any:
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy()
    return values


def _is_real(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_, np.timedelta64)
    )


def float_column(values: ArrayLike, field: str) -> npt.NDArray[np.float64]:
    """A contiguous float64 column; NaN stays NaN for the core to report.

    Only real numbers are taken: a boolean, complex, datetime, timedelta or
    string column (or such an element of an object column) is refused naming
    the field and the first such row, never converted (True is not 1.0 days,
    a datetime64 not its nanoseconds). None and ``pd.NA`` in an object
    column are NaN.
    """
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "fiu":
        # nullable Float64/Int64: <NA> is NaN
        return np.ascontiguousarray(pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan))
    raw = _values(values)
    if isinstance(raw, (list, tuple)):
        # NumPy turns [True, 2.5] into [1.0, 2.5]: look for the bools first
        for i, v in enumerate(raw):
            if isinstance(v, (bool, np.bool_)):
                _refuse_row(field, i, "a boolean", v)
    try:
        arr = np.asarray(raw)
    except (TypeError, ValueError) as exc:  # ragged nesting
        raise invalid(field, None, f"must be a one-dimensional column of numbers ({exc})") from None
    if arr.ndim != 1:
        raise invalid(field, None, f"must be one-dimensional, got shape {arr.shape}")
    kind = arr.dtype.kind
    if kind in "fiu":
        return np.ascontiguousarray(arr, dtype=np.float64)
    what = {"b": "a boolean", "c": "a complex number", "m": "a timedelta", "M": "a datetime",
            "U": "a string", "S": "bytes"}
    if kind in what:
        _refuse_row(field, 0 if len(arr) else None, what[kind], arr[0] if len(arr) else None)
    if kind != "O":
        raise invalid(field, None, f"must be numbers, got dtype {arr.dtype}")
    # an object column of numbers (and None/NaN/<NA>) converts in one pass;
    # anything else is looked at row by row, to name the first bad one
    if pd.api.types.infer_dtype(arr, skipna=True) in ("floating", "integer", "mixed-integer-float", "decimal",
                                                       "empty"):
        try:
            return np.ascontiguousarray(pd.to_numeric(pd.Series(arr, copy=False)).to_numpy(
                dtype=np.float64, na_value=np.nan))
        except (TypeError, ValueError, OverflowError):
            pass
    out = np.empty(len(arr), dtype=np.float64)
    for i, v in enumerate(arr):
        if v is None or v is pd.NA:
            out[i] = np.nan
        elif _is_real(v) or type(v).__name__ == "Decimal":
            try:
                out[i] = float(v)
            except OverflowError:
                raise invalid(field, i, f"{_py(v)!r} is too large for a float") from None
        else:
            _refuse_row(field, i, type(v).__name__, v)
    return out


def _refuse_row(field: str, row: int | None, what: str, value: Any) -> NoReturn:
    raise invalid(field, row, f"{_py(value)!r} is {what}, not a number" if what.startswith("a")
                  else f"{_py(value)!r} ({what}) is not a number")


def detail_column(values: ArrayLike, field: str = "detail") -> npt.NDArray[np.int32]:
    """A contiguous int32 column; floats must be whole numbers.

    A missing value (``<NA>`` of a nullable integer column, NaN, None) is an
    unknown detail: :data:`goodwill.MARGIN_UNKNOWN`, as ``to_pandas`` shows
    it, so that a ledger read back from its DataFrame or Parquet file is the
    same ledger.
    """
    dtype = getattr(values, "dtype", None)
    raw: npt.NDArray[Any]
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub":
        raw = pd.Series(values).to_numpy(dtype=np.int64, na_value=MARGIN_UNKNOWN)
    else:
        raw = np.asarray(_values(values))
    if raw.ndim != 1:
        raise invalid(field, None, f"must be one-dimensional, got shape {raw.shape}")
    if raw.dtype.kind in "iub":
        wide = raw.astype(np.int64, copy=False)
    else:
        if raw.dtype == object:
            missing = np.asarray(pd.isna(raw), dtype=bool)
            if missing.any():
                raw = np.where(missing, MARGIN_UNKNOWN, raw)
        f = float_column(raw, field)
        f = np.where(np.isnan(f), float(MARGIN_UNKNOWN), f)
        bad = ~np.isfinite(f) | (f != np.floor(f))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise invalid(field, i, f"{_py(raw[i])!r} is not a whole number")
        wide = f.astype(np.int64)
    out_of_range = (wide < np.iinfo(np.int32).min) | (wide > np.iinfo(np.int32).max)
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise invalid(field, i, f"{wide[i]} does not fit in 32 bits")
    return np.ascontiguousarray(wide, dtype=np.int32)


def kind_column(values: ArrayLike, field: str = "kind") -> npt.NDArray[np.uint8]:
    """Event kinds as codes, from names ("price_match") or integer codes.

    Names are factorised first (one hash pass), so only the distinct names
    are looked up; a pandas categorical column is read through its codes.
    """
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        names = values.cat.categories
    elif isinstance(values, pd.Categorical):
        codes, names = values.codes, values.categories
    elif isinstance(values, pd.Series) and values.dtype.kind not in "iu":
        codes, names = pd.factorize(values)  # hashes Arrow-backed strings in place
    else:
        arr = np.asarray(_values(values))
        if arr.ndim != 1:
            raise invalid(field, None, f"must be one-dimensional, got shape {arr.shape}")
        if arr.dtype.kind in "iu":
            bad = (arr < 0) | (arr >= len(EVENT_KINDS))
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise invalid(field, i, f"unknown event kind code {arr[i]}")
            return np.ascontiguousarray(arr, dtype=np.uint8)
        codes, uniques = pd.factorize(arr)
        names = pd.Index(uniques)
    lookup = _KIND_CATEGORIES.get_indexer(pd.Index(names, dtype=object))
    mapped = np.append(lookup, -1)[codes]  # code -1 (missing) maps to -1
    if (mapped < 0).any():
        i = int(np.flatnonzero(mapped < 0)[0])
        value = _py(names[codes[i]]) if codes[i] >= 0 else None
        raise invalid(
            field,
            i,
            f"unknown event kind {value!r}; known kinds: {', '.join(EVENT_KINDS)}",
        )
    return mapped.astype(np.uint8)


def customer_keys(
    values: ArrayLike, field: str = "customer"
) -> npt.NDArray[np.int64] | tuple[npt.NDArray[np.int64], list[str]]:
    """Customer keys, ready for the core.

    Integer keys come back as one contiguous int64 array (the core maps them
    to dense ids itself, without a hash pass here); string keys as
    ``(codes, unique keys)`` from ``pandas.factorize``. Keys must be all
    integers or all strings.
    """
    raw = _values(values)
    arr = raw if isinstance(raw, pd.Series) else np.asarray(raw)
    if arr.ndim != 1:
        raise invalid(field, None, f"must be one-dimensional, got shape {arr.shape}")
    kind = arr.dtype.kind
    if kind in "iu":
        if kind == "u" and getattr(arr.dtype, "itemsize", 0) == 8 and len(arr) and arr.max() > np.iinfo(np.int64).max:
            i = int(np.flatnonzero(arr > np.iinfo(np.int64).max)[0])
            raise invalid(field, i, f"key {arr[i]} does not fit in 64 signed bits")
        return np.ascontiguousarray(arr, dtype=np.int64)
    if kind == "f":
        f = np.asarray(arr, dtype=np.float64)
        missing = np.isnan(f)
        if missing.any():
            raise invalid(field, int(np.flatnonzero(missing)[0]), "is missing")
        whole = f == np.floor(f)
        if not whole.all():
            i = int(np.flatnonzero(~whole)[0])
            raise invalid(field, i, f"key {_py(f[i])!r} is not a whole number")
        return np.ascontiguousarray(f, dtype=np.int64)
    codes, uniques = pd.factorize(arr)
    if (codes < 0).any():
        raise invalid(field, int(np.flatnonzero(codes < 0)[0]), "is missing")
    keys = list(uniques)
    if keys and not all(isinstance(k, str) for k in keys):
        if all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in keys):
            return np.ascontiguousarray(np.asarray(keys, dtype=np.int64)[codes])
        kinds = {type(k).__name__ for k in keys}
        bad = next(j for j, k in enumerate(keys) if not isinstance(k, str))
        row = int(np.flatnonzero(codes == bad)[0])
        raise invalid(
            field,
            row,
            f"keys must be all integers or all strings, found {sorted(kinds)} "
            f"(first non-string: {keys[bad]!r})",
        )
    return np.ascontiguousarray(codes, dtype=np.int64), [str(k) for k in keys]



def rep_column(values: ArrayLike, field: str = "rep") -> tuple[npt.NDArray[np.int64], list[str]]:
    """Salespeople's names as ``(codes, unique names)``; code -1 where a row names none.

    None, NaN and ``<NA>`` mean "no salesperson"; names are stripped of
    surrounding spaces. A value that is not a string (a number, a bool), or
    a name that is empty, raises :class:`goodwill.InvalidInputError` naming
    the row. A pandas categorical keeps all its categories, in order (so that
    a ledger read back from its own DataFrame names its reps in the same
    order).
    """
    cat: Any = None  # a pandas Categorical
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        cat = pd.Categorical(values)
    elif isinstance(values, pd.Categorical):
        cat = values
    if cat is not None:
        codes = np.asarray(cat.codes, dtype=np.int64)
        names = list(cat.categories)
    else:
        raw = _values(values)
        arr = np.asarray(raw, dtype=object) if not isinstance(raw, np.ndarray) else raw
        if arr.ndim != 1:
            raise invalid(field, None, f"must be one-dimensional, got shape {arr.shape}")
        if arr.dtype.kind in "iufcb":
            if len(arr) and not (arr.dtype.kind == "f" and np.isnan(arr).all()):
                i = 0 if arr.dtype.kind != "f" else int(np.flatnonzero(~np.isnan(arr))[0])
                raise invalid(field, i, f"{_py(arr[i])!r} is not a salesperson's name (a string)")
            return np.full(len(arr), -1, dtype=np.int64), []
        codes, uniques = pd.factorize(pd.Series(arr, dtype=object))
        codes = np.asarray(codes, dtype=np.int64)
        names = list(uniques)
    first: dict[str, int] = {}  # "Ann" and "Ann " are one person
    remap = np.empty(len(names) + 1, dtype=np.int64)
    remap[-1] = -1
    for j, v in enumerate(names):
        where = np.flatnonzero(codes == j)
        row = int(where[0]) if len(where) else None
        if not isinstance(v, str):
            raise invalid(field, row, f"{_py(v)!r} is not a salesperson's name (a string)")
        t = v.strip()
        if not t:
            raise invalid(field, row, "is an empty name (use None for no salesperson)")
        remap[j] = first.setdefault(t, len(first))
    codes = remap[codes]
    cleaned = list(first)
    return np.ascontiguousarray(codes, dtype=np.int64), cleaned


def rep_ids(
    interned: npt.NDArray[np.uint32], codes: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint32]:
    """Rep ids for factorised codes, given the ids of the unique names (-1: NO_REP)."""
    table = np.append(np.asarray(interned, dtype=np.uint32), np.uint32(NO_REP))
    return np.ascontiguousarray(table[codes], dtype=np.uint32)
