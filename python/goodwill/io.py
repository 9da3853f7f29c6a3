"""Importers: a Ledger from a CRM opportunity export, or from any event table.

:func:`from_crm_opportunities` reads an opportunity table shaped like the
Maven Analytics "CRM Sales Opportunities" export (``sales_pipeline.csv`` with
``accounts.csv``, ``products.csv`` and ``sales_teams.csv``) and turns every
opportunity into events of its customer (the account). It repairs what can be
repaired and rejects what cannot, row by row: every input row either produces
events (``CrmImport.events["row"]``) or appears in ``CrmImport.rejected``;
nothing is dropped silently. Rows are numbered from 0 in input order (line
``row + 2`` of a CSV file with a header).

Events of one opportunity (in this order, so that ties at the same time keep
each deal contiguous):

===============  ===========  ==================================================
kind             time         amount, detail
===============  ===========  ==================================================
``opportunity``  engage_date  list price, or 0 without ``products``: the
                              opportunity was opened (engaged). Engaging, Won
                              and Lost deals. A neutral record: neither the
                              seller's effort nor evidence of trust (the export
                              says nothing about meetings or hours, so none
                              are made up).
``lead``         engage_date  list price (expected value), lead source
                              ``unspecified``: a Prospecting deal with a date.
``proposal``     close_date   list price (``products.sales_price`` × 1 unit; the
                              export has no quantity). Won and Lost deals, at
                              close so that one deal's proposal, concession and
                              close stay together even when an account has many
                              overlapping opportunities (see
                              :func:`goodwill.transactional_spiral`). An open
                              Engaging deal gets its proposal at engage_date
                              (the price on the table at export time).
``concession``   close_date   list price − close_value, when a won deal closed
                              below list. A close above list (a premium: more
                              units, extras or a price rise the export does not
                              show) is **not** a negative concession: no event,
                              and the premium is kept in ``opportunities``.
``deal_won``     close_date   close_value; margin in basis points,
                              ``10000·(close − cost)/close``, when ``products``
                              has a ``unit_cost`` (or ``cost``) column, else
                              :data:`goodwill.MARGIN_UNKNOWN` (``<NA>`` in
                              ``events`` and ``Ledger.to_pandas()``: unknown,
                              not a number).
``deal_lost``    close_date   list price (the value at stake: the export records
                              0 as the close value of every lost deal); loss
                              reason ``unspecified`` (the export has none).
===============  ===========  ==================================================

Without ``products`` there are no list prices: no proposal, lead or
concession amounts can be derived, so only the openings and closes are
written (an opportunity's and a lost deal's amount is then 0) and a ``lead``
has amount 0.

Every event of an opportunity carries its ``sales_agent`` as the event's
``rep`` (none where the agent is missing); :func:`goodwill.account_owners`
derives each account's owner from them.

Times are days (float64) since ``origin``: the earliest engage or close date
among the imported rows unless given.

How the pipeline is read is a table (``_PIPELINE_FIELDS``: each column, whether
it is required, its reader and its accepted spellings) and what is checked is
an ordered list of one small function per field (``_PIPELINE_CHECKS``: the first
rejection of a row wins). The spellings one dataset gets wrong (the shared
export's sectors and office locations) live in :mod:`goodwill._crm_dataset`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._columns import ArrayLike, float_column, invalid, kind_column
from ._crm_dataset import ACCOUNT_SPELLINGS, LOCATION_SPELLING, SECTOR_SPELLING
from .ledger import Ledger, detail_frame_column

__all__ = [
    "DEAL_STAGES",
    "LOCATION_SPELLING",
    "SECTOR_SPELLING",
    "CrmImport",
    "from_crm_opportunities",
    "from_events",
    "synthetic_crm_export",
]

Table = Union[pd.DataFrame, str, "os.PathLike[str]"]

#: Deal stages, keyed by their trimmed lower-case spelling.
DEAL_STAGES: dict[str, str] = {
    "prospecting": "Prospecting",
    "engaging": "Engaging",
    "won": "Won",
    "closed won": "Won",
    "lost": "Lost",
    "closed lost": "Lost",
}
_OPEN = ("Prospecting", "Engaging")
_CLOSED = ("Won", "Lost")

_REPAIR_COLUMNS = ["table", "row", "opportunity_id", "field", "problem", "action"]
_REJECT_COLUMNS = ["row", "opportunity_id", "field", "reason", "category"]
_EVENT_COLUMNS = ["customer", "time", "kind", "amount", "detail", "rep", "date", "opportunity_id", "row"]
_INT32_MAX = np.iinfo(np.int32).max


@dataclasses.dataclass(frozen=True, eq=False)
class CrmImport:
    """What :func:`from_crm_opportunities` made of an export.

    - ``ledger``: the events, a :class:`goodwill.Ledger` keyed by customer;
    - ``events``: the same events, in the ledger's (arrival) order, as a
      DataFrame with the ``date``, source ``opportunity_id`` and input ``row``
      of each: input-row order, each opportunity's events together;
    - ``repairs``: one row per repair or note (``table``, ``row``,
      ``opportunity_id``, ``field``, ``problem``, ``action``), for the
      pipeline and the side tables; a pipeline row may be repaired and still
      be rejected later for another reason;
    - ``rejected``: one row per rejected pipeline row (``row``,
      ``opportunity_id``, ``field``, ``reason``, ``category``: ``"invalid"``
      for bad data, ``"open"`` for an open deal the export cannot place);
    - ``accounts``: the account table cleaned, indexed by account, with the
      owner of each account (see :func:`from_crm_opportunities`);
    - ``opportunities``: the pipeline cleaned, one row per input row, with
      ``status`` (imported / rejected), ``customer``, ``list_price``,
      ``discount`` and ``premium``;
    - ``origin``: the date of time 0 (None if nothing was imported);
    - ``as_of``: the date after which rows were rejected as in the future.

    Parameters
    ----------
    ledger : Ledger
        The events.
    events, repairs, rejected, accounts, opportunities : DataFrame
        The tables above.
    origin, as_of : Timestamp or None
        The date of time 0 and the export date.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> pipeline = pd.DataFrame({"opportunity_id": ["A1", "A2", "A3"],
    ...     "sales_agent": ["Ann", "Ann", "Bo"], "product": ["GTX Pro", "GTXPro", "GTX Pro"],
    ...     "account": ["Acme", "Acme", "Teste"], "deal_stage": ["Won", "Lost", "Won"],
    ...     "engage_date": ["2024-01-02", "2024-01-05", "2024-01-06"],
    ...     "close_date": ["2024-02-01", "2024-02-10", "2024-02-11"],
    ...     "close_value": ["$4,500", None, "100"]})
    >>> products = pd.DataFrame({"product": ["GTX Pro"], "sales_price": [4821.0]})
    >>> accounts = pd.DataFrame({"account": ["Acme"], "sector": ["technolgy"]})
    >>> crm = goodwill.io.from_crm_opportunities(pipeline, accounts=accounts, products=products)
    >>> crm.ledger
    <goodwill.Ledger: 7 events, 1 customers, 1 salespeople>
    >>> crm.events["kind"].tolist()[:4]
    ['opportunity', 'proposal', 'concession', 'deal_won']
    >>> str(crm.origin.date()), str(crm.as_of.date())
    ('2024-01-02', '2024-02-10')
    """

    ledger: Ledger
    events: pd.DataFrame
    repairs: pd.DataFrame
    rejected: pd.DataFrame
    accounts: pd.DataFrame
    opportunities: pd.DataFrame
    origin: pd.Timestamp | None
    as_of: pd.Timestamp | None

    def _repr_html_(self) -> str:
        """A notebook summary: rows, events, customers, repairs and rejections by category."""
        import html

        by = self.rejected["category"].value_counts() if len(self.rejected) else pd.Series(dtype="int64")
        parts = ", ".join(f"{int(v):,} {html.escape(str(k))}" for k, v in by.items())
        return (f"<div><b>goodwill.io.CrmImport</b>: {len(self.opportunities):,} rows &rarr; {len(self.events):,} "
                f"events of {self.ledger.n_customers:,} customers; {len(self.repairs):,} repairs; "
                f"{len(self.rejected):,} rows rejected" + (f" ({parts})" if parts else "") + "</div>")

    def __repr__(self) -> str:
        n = len(self.opportunities)
        return (
            f"<goodwill.io.CrmImport: {n:,} rows -> {len(self.events):,} events of "
            f"{self.ledger.n_customers:,} customers, {len(self.rejected):,} rows rejected, "
            f"{len(self.repairs):,} repairs>"
        )


# ---- helpers -----------------------------------------------------------------


def _read(table: Table, name: str, text_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table.reset_index(drop=True)
    if isinstance(table, (str, os.PathLike)):
        return pd.read_csv(table, dtype={c: str for c in text_columns})
    raise invalid(name, None, f"must be a DataFrame or a path to a CSV file, got {type(table).__name__}")


def _require(frame: pd.DataFrame, table: str, columns: tuple[str, ...]) -> None:
    for col in columns:
        if col not in frame.columns:
            raise invalid(col, None, f"column {col!r} is missing from {table} (has: {', '.join(map(str, frame.columns))})")


def _text(values: pd.Series) -> npt.NDArray[np.object_]:
    """Trimmed strings, None where missing or empty.

    Each distinct value is cleaned once (CRM columns repeat a few names many
    times), so the per-row work is a hash and a take.
    """
    codes, uniques = pd.factorize(pd.Series(values.to_numpy(dtype=object), dtype=object))
    cleaned = np.empty(len(uniques) + 1, dtype=object)  # the last slot: missing (code -1)
    for j, v in enumerate(uniques):
        t = str(v).strip()
        cleaned[j] = t if t else None
    return cleaned[codes]


def _none(values: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """Where an object array holds None (or another missing value)."""
    return np.asarray(pd.isna(values), dtype=bool)


def _timestamp(value: Any, field: str) -> pd.Timestamp:
    """A date argument as a timezone-naive Timestamp, or InvalidInputError naming the field."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise invalid(field, None, f"{value!r} is not a date") from None
    if pd.isna(ts):
        raise invalid(field, None, f"{value!r} is not a date")
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def _ns(ts: pd.Timestamp) -> np.datetime64:
    return np.datetime64(int(ts.value), "ns")


def _key(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Case- and space-insensitive matching keys ("GTXPro" and "GTX Pro" -> "gtxpro")."""
    return np.array([None if v is None else "".join(str(v).split()).casefold() for v in values], dtype=object)


def _to_datetime(values: Any) -> Any:
    """``pandas.to_datetime`` with unparseable values as NaT (ISO and mixed formats)."""
    try:
        return pd.to_datetime(values, errors="coerce", format="mixed")
    except (TypeError, ValueError):  # pandas < 2 has no format="mixed"
        return pd.to_datetime(values, errors="coerce")


def _dates(values: pd.Series) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """Parsed dates (NaT where missing or bad) and a mask of present-but-unparseable values.

    Each distinct value is parsed once."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        arr = values.to_numpy(dtype="datetime64[ns]")
        return arr, np.zeros(len(arr), dtype=bool)
    text = _text(values)
    codes, uniques = pd.factorize(pd.Series(text, dtype=object))
    parsed = np.append(pd.DatetimeIndex(_to_datetime(pd.Series(uniques, dtype=object))).to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    arr = parsed[codes]
    return arr, ~_none(text) & np.isnat(arr)


class _Days:
    """Dates as "YYYY-MM-DD" strings, formatted only for the rows a message needs."""

    def __init__(self, values: npt.NDArray[np.datetime64]) -> None:
        self.values = values

    def __getitem__(self, i: int) -> str:
        return str(np.datetime_as_string(self.values[i], unit="D"))


def _map_distinct(values: npt.NDArray[np.object_], f: Any) -> npt.NDArray[np.object_]:
    """``f`` applied once per distinct non-missing value (None stays None)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    out = np.empty(len(uniques) + 1, dtype=object)
    for j, v in enumerate(uniques):
        out[j] = f(v)
    return out[codes]


_MONEY = r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"


def _money(values: pd.Series) -> npt.NDArray[np.float64]:
    """Amounts written as text with a currency sign or thousands separators
    ("$1,054.00", "1 054 €") as numbers; NaN where that is not the case
    (a decimal comma is not guessed at)."""
    text = pd.Series(values.to_numpy(dtype=object), dtype=object)
    is_text = text.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    out = np.full(len(text), np.nan)
    if not is_text.any():
        return out
    bare = text[is_text].astype(str).str.replace(r"[\s$€£¥]|USD|EUR|GBP", "", regex=True)
    ok = bare.str.match(_MONEY).to_numpy(dtype=bool)
    out[np.flatnonzero(is_text)[ok]] = bare[ok].str.replace(",", "", regex=False).astype(float).to_numpy()
    return out


def _fmt(d: Any) -> str:
    return str(pd.Timestamp(d).date())


class _Log:
    """Repairs and rejections, gathered column-wise; the first rejection of a row wins."""

    def __init__(self, n: int, opp: npt.NDArray[np.object_], errors: str) -> None:
        self.alive = np.ones(n, dtype=bool)
        self.opp = opp
        self.errors = errors
        self.repairs: list[pd.DataFrame] = []
        self.rejected: list[pd.DataFrame] = []

    def repair(
        self,
        mask: npt.NDArray[np.bool_],
        field: str,
        problem: Any,
        action: Any,
        *,
        table: str = "pipeline",
        rows: npt.NDArray[np.int64] | None = None,
    ) -> None:
        if table == "pipeline":
            mask = mask & self.alive
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.repairs.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row": idx if rows is None else rows[idx],
                    "opportunity_id": self.opp[idx] if table == "pipeline" else None,
                    "field": field,
                    "problem": _pick(problem, idx),
                    "action": _pick(action, idx),
                }
            )
        )

    def reject(self, mask: npt.NDArray[np.bool_], field: str, reason: Any, category: str = "invalid") -> None:
        idx = np.flatnonzero(mask & self.alive)
        if not len(idx):
            return
        reasons = _pick(reason, idx)
        if self.errors == "raise" and category == "invalid":
            first = idx[0]
            err = invalid(field, int(first), f"{reasons[0]} (opportunity {self.opp[first]})")
            raise err
        self.alive[idx] = False
        self.rejected.append(
            pd.DataFrame(
                {"row": idx, "opportunity_id": self.opp[idx], "field": field, "reason": reasons, "category": category}
            )
        )

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rep = pd.concat(self.repairs, ignore_index=True) if self.repairs else pd.DataFrame(columns=_REPAIR_COLUMNS)
        rej = pd.concat(self.rejected, ignore_index=True) if self.rejected else pd.DataFrame(columns=_REJECT_COLUMNS)
        order = {"pipeline": 0, "accounts": 1, "products": 2, "sales_teams": 3}
        rep = rep.assign(_t=rep["table"].map(order)).sort_values(["_t", "row"], kind="stable").drop(columns="_t")
        rej = rej.sort_values("row", kind="stable")
        rep["row"] = rep["row"].astype(np.int64)
        rej["row"] = rej["row"].astype(np.int64)
        return rep.reset_index(drop=True)[_REPAIR_COLUMNS], rej.reset_index(drop=True)[_REJECT_COLUMNS]


def _pick(value: Any, idx: npt.NDArray[np.intp]) -> list[Any]:
    """A message per row: a fixed string, a full-length array indexed by row, or a callable of the row."""
    if isinstance(value, str):
        return [value] * len(idx)
    if callable(value):
        return [value(int(i)) for i in idx]
    return [value[i] for i in idx]


def _match(
    given: npt.NDArray[np.object_], known: npt.NDArray[np.object_]
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """Canonical names for ``given``: exact match first, then a unique case- and
    space-insensitive match. Returns (canonical or None, matched fuzzily)."""
    exact = {k for k in known if k is not None}
    by_key: dict[str, list[str]] = {}
    for k, name in zip(_key(known), known):
        if name is not None:
            by_key.setdefault(k, []).append(name)
    codes, uniques = pd.factorize(pd.Series(given, dtype=object))
    canon = np.empty(len(uniques) + 1, dtype=object)  # the last slot: missing (code -1)
    fuzzy_u = np.zeros(len(uniques) + 1, dtype=bool)
    for j, g in enumerate(uniques):
        if g in exact:
            canon[j] = g
        else:
            cands = by_key.get("".join(str(g).split()).casefold(), [])
            if len(cands) == 1:
                canon[j], fuzzy_u[j] = cands[0], True
    return canon[codes], fuzzy_u[codes]


# ---- side tables -----------------------------------------------------------------


def _clean_products(products: pd.DataFrame, log: _Log) -> pd.DataFrame:
    _require(products, "products", ("product", "sales_price"))
    names = _text(products["product"])
    price = pd.to_numeric(products["sales_price"], errors="coerce").to_numpy(dtype=np.float64)
    cost_col = next((c for c in ("unit_cost", "cost") if c in products.columns), None)
    cost = (
        pd.to_numeric(products[cost_col], errors="coerce").to_numpy(dtype=np.float64)
        if cost_col
        else np.full(len(products), np.nan)
    )
    rows = np.arange(len(products), dtype=np.int64)
    bad_price = ~(np.isfinite(price) & (price > 0))
    log.repair(
        bad_price,
        "sales_price",
        lambda i: f"{products['sales_price'].iloc[i]!r} is not a positive price",
        "product unusable: its opportunities are rejected",
        table="products",
        rows=rows,
    )
    missing = np.array([n is None for n in names])
    log.repair(missing, "product", "missing name", "row ignored", table="products", rows=rows)
    seen: dict[str, int] = {}
    dup = np.zeros(len(names), dtype=bool)
    first = np.zeros(len(names), dtype=np.int64)
    for i, n in enumerate(names):
        if n is None:
            continue
        if n in seen:
            dup[i], first[i] = True, seen[n]
        else:
            seen[n] = i
    log.repair(dup, "product", lambda i: f"duplicate of row {first[i]}", "ignored: the first row is used", table="products", rows=rows)
    keep = ~missing & ~dup
    return pd.DataFrame(
        {"list_price": np.where(bad_price, np.nan, price)[keep], "unit_cost": cost[keep]},
        index=pd.Index(names[keep], name="product"),
    )


def _respell(
    values: pd.Series,
    column: str,
    spellings: Mapping[str, str],
    name: str,
    fold: bool,
    log: _Log,
    rows: npt.NDArray[np.int64],
) -> npt.NDArray[np.object_]:
    """A side-table column trimmed (``fold``: lower-cased, inner spaces collapsed) and
    respelt through ``spellings``; each change is a repair naming the table ``name``."""
    raw = _text(values)
    low = np.array([None if s is None else " ".join(s.split()).lower() for s in raw], dtype=object) if fold else raw
    fixed = np.array([None if s is None else spellings.get(s, s) for s in low], dtype=object)
    changed = np.array([r is not None and r != f for r, f in zip(raw, fixed)], dtype=bool)
    log.repair(
        changed,
        column,
        lambda i: f"spelt {raw[i]!r}",
        lambda i: f"set to {fixed[i]!r} ({name})",
        table="accounts",
        rows=rows,
    )
    return fixed


def _clean_accounts(accounts: pd.DataFrame, log: _Log) -> pd.DataFrame:
    _require(accounts, "accounts", ("account",))
    out = accounts.copy()
    rows = np.arange(len(out), dtype=np.int64)
    names = _text(out["account"])
    log.repair(
        np.array([n is not None and n != str(r) for n, r in zip(names, out["account"].to_numpy(dtype=object))]),
        "account",
        "surrounding spaces",
        "trimmed",
        table="accounts",
        rows=rows,
    )
    out["account"] = names
    for column, spellings, name, fold in ACCOUNT_SPELLINGS:
        if column in out.columns:
            out[column] = _respell(out[column], column, spellings, name, fold, log, rows)
    missing = np.array([n is None for n in names])
    log.repair(missing, "account", "missing name", "row ignored", table="accounts", rows=rows)
    dup = pd.Series(names).duplicated().to_numpy() & ~missing
    log.repair(dup, "account", "duplicate account", "ignored: the first row is used", table="accounts", rows=rows)
    out = out[~missing & ~dup]
    if "subsidiary_of" in out.columns:
        parent = _text(out["subsidiary_of"])
        known = set(out["account"])
        orphan = np.array([p is not None and p not in known for p in parent])
        log.repair(
            np.isin(rows, rows[~missing & ~dup][orphan]),
            "subsidiary_of",
            lambda i: f"parent {accounts['subsidiary_of'].iloc[i]!r} is not an account",
            "kept as given",
            table="accounts",
            rows=rows,
        )
        out["subsidiary_of"] = parent
    cleaned: pd.DataFrame = out.set_index("account")
    return cleaned


# ---- the CRM importer: the pipeline's fields -------------------------------------
#
# How the importer reads the pipeline is data, below: _PIPELINE_FIELDS says
# which columns there are, which must be present, how each is read and which
# spellings of its values are accepted; _PIPELINE_CHECKS says, in order, what is
# checked of each field. The first rejection of a row wins (a row rejected for
# its opportunity_id is not also reported for its close_value), and a repair
# is noted only on a row not yet rejected, so the order of _PIPELINE_CHECKS is
# part of what the importer does: a field may be checked at two points (a
# date is first parsed, then placed against the deal's stage and the export
# date). Each check is one small function of the field it names.


class _Rows:
    """The pipeline as the checks see it: every field read once, and the log they write."""

    def __init__(
        self,
        pipe: pd.DataFrame,
        log: _Log,
        customer: str,
        prod: pd.DataFrame | None,
        acc: pd.DataFrame | None,
        teams: pd.DataFrame | None,
        as_of: Any,
    ) -> None:
        n = len(pipe)
        self.pipe, self.log, self.customer, self.n = pipe, log, customer, n
        self.prod, self.acc, self.teams, self.as_of = prod, acc, teams, as_of
        self.as_of_ts: pd.Timestamp | None = None
        none = np.full(n, None, dtype=object)
        nan = np.full(n, np.nan)
        nat: npt.NDArray[np.datetime64] = np.full(n, np.datetime64("NaT", "ns"))
        self.opp: npt.NDArray[np.object_] = log.opp
        self.stage_raw, self.stage = none, none
        self.engage, self.engage_bad = nat, np.zeros(n, dtype=bool)
        self.close, self.close_bad = nat, np.zeros(n, dtype=bool)
        self.cust, self.account, self.account_raw, self.account_canon = none, none, none, none
        self.account_fuzzy = np.zeros(n, dtype=bool)
        self.product, self.product_raw, self.product_canon = none, none, none
        self.product_fuzzy = np.zeros(n, dtype=bool)
        self.list_price, self.unit_cost = nan, nan.copy()
        self.cv_raw: pd.Series = pd.Series(none, dtype=object)
        self.cv, self.money = nan.copy(), nan.copy()
        self.cv_respelt = np.zeros(n, dtype=bool)
        self.agent = none

    # the stage's masks
    @property
    def won(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.stage == "Won", dtype=bool)

    @property
    def lost(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.stage == "Lost", dtype=bool)

    @property
    def closed(self) -> npt.NDArray[np.bool_]:
        return self.won | self.lost

    @property
    def is_open(self) -> npt.NDArray[np.bool_]:
        return np.isin(self.stage.astype(str), _OPEN)

    @property
    def has_engage(self) -> npt.NDArray[np.bool_]:
        return ~np.isnat(self.engage)

    @property
    def has_close(self) -> npt.NDArray[np.bool_]:
        return ~np.isnat(self.close)

    @property
    def cv_present(self) -> npt.NDArray[np.bool_]:
        return ~_none(_text(self.cv_raw))  # "" and "  " are missing too


# -- reading (no check: what each column holds, parsed) --


def _read_opportunity_id(r: _Rows, values: pd.Series) -> None:
    r.opp = _text(values)


def _read_deal_stage(r: _Rows, values: pd.Series) -> None:
    r.stage_raw = _text(values)
    r.stage = _map_distinct(r.stage_raw, lambda v: DEAL_STAGES.get(" ".join(v.split()).lower()))


def _read_engage_date(r: _Rows, values: pd.Series) -> None:
    r.engage, r.engage_bad = _dates(values)


def _read_close_date(r: _Rows, values: pd.Series) -> None:
    r.close, r.close_bad = _dates(values)


def _read_close_value(r: _Rows, values: pd.Series) -> None:
    r.cv_raw = values
    cv = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    r.money = _money(values)
    r.cv_respelt = np.isnan(cv) & ~np.isnan(r.money)
    r.cv = np.where(r.cv_respelt, r.money, cv)


def _read_customer(r: _Rows, values: pd.Series) -> None:
    r.cust = _text(values)


def _read_account(r: _Rows, values: pd.Series) -> None:
    r.account = r.account_raw = _text(values)
    if r.acc is not None:
        r.account_canon, r.account_fuzzy = _match(r.account, r.acc.index.to_numpy(dtype=object))
        fixed = np.where(~_none(r.account_canon), r.account_canon, r.account)
        if r.customer == "account":
            r.cust = fixed
        r.account = fixed


def _read_product(r: _Rows, values: pd.Series) -> None:
    r.product = r.product_raw = _text(values)
    if r.prod is not None:
        r.product_canon, r.product_fuzzy = _match(r.product, r.prod.index.to_numpy(dtype=object))
        ok = ~_none(r.product_canon)
        r.product = np.where(ok, r.product_canon, r.product)
        r.list_price[ok] = r.prod["list_price"].reindex(r.product[ok]).to_numpy(dtype=np.float64)
        r.unit_cost[ok] = r.prod["unit_cost"].reindex(r.product[ok]).to_numpy(dtype=np.float64)


def _read_sales_agent(r: _Rows, values: pd.Series) -> None:
    r.agent = _text(values)


@dataclasses.dataclass(frozen=True)
class _CrmField:
    """One column of the pipeline table as :func:`from_crm_opportunities` reads it.

    Parameters
    ----------
    name : str
        The column (``"customer"``: the column the ``customer`` argument names).
    required : bool
        Whether the column must be present (else InvalidInputError naming it).
    read : callable
        Reads the column into the rows being checked (no rejection: that is a check).
    spellings : mapping, optional
        Accepted spellings of the values (trimmed, lower-cased) and what each is read as.
    required_with : str, optional
        A side table whose presence makes the column required.
    text : bool
        Read from a CSV file as text (ids and names are not numbers).

    Examples
    --------
    >>> from goodwill.io import _PIPELINE_FIELDS
    >>> [f.name for f in _PIPELINE_FIELDS if f.required]
    ['opportunity_id', 'deal_stage', 'engage_date', 'close_date', 'close_value', 'customer']
    """

    name: str
    required: bool
    read: Callable[[_Rows, pd.Series], None] = dataclasses.field(repr=False)
    spellings: Mapping[str, str] | None = None
    required_with: str | None = None
    text: bool = False


#: The pipeline's columns, in the order their presence is checked.
_PIPELINE_FIELDS: tuple[_CrmField, ...] = (
    _CrmField("opportunity_id", True, _read_opportunity_id, text=True),
    _CrmField("deal_stage", True, _read_deal_stage, spellings=DEAL_STAGES, text=True),
    _CrmField("engage_date", True, _read_engage_date),
    _CrmField("close_date", True, _read_close_date),
    _CrmField("close_value", True, _read_close_value),
    _CrmField("customer", True, _read_customer),
    _CrmField("account", False, _read_account, text=True),
    _CrmField("product", False, _read_product, required_with="products", text=True),
    _CrmField("sales_agent", False, _read_sales_agent, text=True),
)


# -- the checks, one function per field (and point of the order) --


def _check_opportunity_id(r: _Rows) -> None:
    """Missing, or a duplicate of an earlier row's id: rejected."""
    opp, n = r.opp, r.n
    r.log.reject(_none(opp), "opportunity_id", "is missing")
    dup = pd.Series(opp, dtype=object).duplicated(keep="first").to_numpy() & ~_none(opp)
    dup_of = np.full(n, -1, dtype=np.int64)
    if dup.any():
        first_at = {o: i for i, o in reversed(list(enumerate(opp)))}
        dup_of[dup] = [first_at[o] for o in opp[dup]]
    r.log.reject(dup_of >= 0, "opportunity_id", lambda i: f"duplicate of row {dup_of[i]}")


def _check_deal_stage(r: _Rows) -> None:
    """Missing or unknown: rejected; another accepted spelling (DEAL_STAGES): repaired."""
    stage_raw, stage = r.stage_raw, r.stage
    r.log.reject(_none(stage_raw), "deal_stage", "is missing")
    r.log.reject(
        ~_none(stage_raw) & _none(stage),
        "deal_stage",
        lambda i: f"unknown stage {stage_raw[i]!r} (known: Prospecting, Engaging, Won, Lost)",
    )
    r.log.repair(
        ~_none(stage) & (stage != stage_raw),
        "deal_stage",
        lambda i: f"spelt {stage_raw[i]!r}",
        lambda i: f"read as {stage[i]!r}",
    )


def _check_date_format(r: _Rows) -> None:
    """An engage_date or close_date given but not a date: rejected."""
    pipe = r.pipe
    r.log.reject(r.engage_bad, "engage_date", lambda i: f"{pipe['engage_date'].iloc[i]!r} is not a date")
    r.log.reject(r.close_bad, "close_date", lambda i: f"{pipe['close_date'].iloc[i]!r} is not a date")


def _check_customer(r: _Rows) -> None:
    """No customer: an open deal is set aside ("open"), a closed one rejected."""
    customer, stage = r.customer, r.stage
    no_cust = _none(r.cust)
    r.log.reject(
        no_cust & r.is_open,
        customer,
        lambda i: f"open deal ({stage[i]}) without {customer}: no customer to attribute it to",
        "open",
    )
    r.log.reject(no_cust, customer, "is missing")


def _check_account(r: _Rows) -> None:
    """With ``accounts``: an account not in it rejected, one matched case- and space-insensitively repaired."""
    if r.acc is None or "account" not in r.pipe.columns:
        return
    given, canon = r.account_raw, r.account_canon
    r.log.reject(
        ~_none(given) & _none(canon),
        "account",
        lambda i: f"account {given[i]!r} is not in the accounts table",
    )
    r.log.repair(r.account_fuzzy, "account", lambda i: f"spelt {given[i]!r}", lambda i: f"matched to {canon[i]!r}")


def _check_product(r: _Rows) -> None:
    """With ``products``: a missing or unknown product, or one without a price, rejected; fuzzy matches repaired."""
    if r.prod is None:
        return
    given, canon = r.product_raw, r.product_canon
    product = r.product
    r.log.reject(_none(given), "product", "is missing")
    r.log.reject(_none(canon), "product", lambda i: f"product {given[i]!r} is not in the products table")
    r.log.repair(
        r.product_fuzzy,
        "product",
        lambda i: f"spelt {given[i]!r}",
        lambda i: f"matched to {canon[i]!r} (case- and space-insensitive)",
    )
    r.log.reject(
        ~_none(canon) & np.isnan(r.list_price),
        "product",
        lambda i: f"product {product[i]!r} has no positive sales_price",
    )


def _check_engage_date(r: _Rows) -> None:
    """An open deal without engage_date has no time: set aside ("open")."""
    stage = r.stage
    r.log.reject(
        r.is_open & ~r.has_engage,
        "engage_date",
        lambda i: f"open deal ({stage[i]}) without engage_date: no time to place it",
        "open",
    )


def _check_close_date(r: _Rows) -> None:
    """A closed deal without close_date, or closed before it was engaged: rejected."""
    stage, closed, has_close = r.stage, r.closed, r.has_close
    engage_day, close_day = _Days(r.engage), _Days(r.close)
    r.log.reject(closed & ~has_close, "close_date", lambda i: f"is missing on a {stage[i]} deal")
    with np.errstate(invalid="ignore"):
        reversed_ = r.has_engage & has_close & closed & (r.close < r.engage)
    r.log.reject(reversed_, "close_date", lambda i: f"{close_day[i]} is before engage_date {engage_day[i]}")


def _check_as_of(r: _Rows) -> None:
    """A date after the export date (``as_of``, default the last close_date kept so far): rejected."""
    closed, has_close = r.closed, r.has_close
    if r.as_of is None:
        dated = closed & has_close & r.log.alive
        r.as_of_ts = pd.Timestamp(r.close[dated].max()) if dated.any() else None
    else:
        r.as_of_ts = _timestamp(r.as_of, "as_of")
    if r.as_of_ts is None:
        return
    limit = _ns(r.as_of_ts)
    engage_day, close_day = _Days(r.engage), _Days(r.close)
    why = "after as_of {} (the {})".format(
        _fmt(r.as_of_ts), "date given" if r.as_of is not None else "last close_date of the export"
    )
    r.log.reject(r.has_engage & (r.engage > limit), "engage_date", lambda i: f"{engage_day[i]} is {why}")
    r.log.reject(closed & has_close & (r.close > limit), "close_date", lambda i: f"{close_day[i]} is {why}")


def _check_close_value(r: _Rows) -> None:
    """A won deal's close value: text with a currency sign repaired; missing, not a number,
    infinite or negative rejected; 0 noted. A value on a lost or open deal: noted, ignored."""
    cv_raw, cv, money, stage = r.cv_raw, r.cv, r.money, r.stage
    won, lost, is_open, closed = r.won, r.lost, r.is_open, r.closed
    r.log.repair(
        r.cv_respelt & closed,
        "close_value",
        lambda i: f"written {cv_raw.iloc[i]!r}",
        lambda i: f"read as {money[i]:g} (currency sign and thousands separators removed)",
    )
    cv_present = r.cv_present
    r.log.reject(won & cv_present & np.isnan(cv), "close_value", lambda i: f"{cv_raw.iloc[i]!r} is not a number")
    r.log.reject(won & ~cv_present, "close_value", "is missing on a Won deal")
    r.log.reject(won & np.isinf(cv), "close_value", lambda i: f"{cv[i]} is not finite")
    with np.errstate(invalid="ignore"):
        r.log.reject(won & (cv < 0), "close_value", lambda i: f"{cv[i]:g} is negative")
        r.log.repair(
            won & (cv == 0),
            "close_value",
            "0 on a Won deal",
            "kept: won at no charge (the whole list price is a concession)",
        )
        priced = r.prod is not None
        r.log.repair(
            (lost | is_open) & cv_present & ~(cv == 0),
            "close_value",
            lambda i: f"{cv_raw.iloc[i]!r} on a {stage[i]} deal",
            lambda i: "ignored: a lost deal's amount is its list price" if lost[i] and priced else "ignored",
        )


def _note_dates_ignored(r: _Rows) -> None:
    """Notes: a close date on an open deal (ignored), a closed deal without engage_date."""
    stage, close_day = r.stage, _Days(r.close)
    r.log.repair(
        r.is_open & r.has_close, "close_date", lambda i: f"{close_day[i]} on an open ({stage[i]}) deal", "ignored"
    )
    r.log.repair(
        r.closed & ~r.has_engage, "engage_date", lambda i: f"missing on a {stage[i]} deal", "no opportunity event"
    )


def _check_sales_agent(r: _Rows) -> None:
    """Notes: a missing sales agent, or one not in ``sales_teams`` (kept either way)."""
    if "sales_agent" not in r.pipe.columns:
        return
    agent = r.agent
    r.log.repair(_none(agent), "sales_agent", "is missing", "kept: no owner from this row")
    if r.teams is not None:
        r.log.repair(
            ~_none(agent) & ~np.isin(agent.astype(str), r.teams.index.to_numpy(dtype=str)),
            "sales_agent",
            lambda i: f"{agent[i]!r} is not in sales_teams",
            "kept: no manager or regional office",
        )


def _note_twins(r: _Rows) -> None:
    """Note: a row identical to an earlier one but for the opportunity id (kept: a distinct deal)."""
    same = pd.DataFrame(
        {
            name: pd.factorize(pd.Series(col, dtype=object))[0]
            for name, col in (("a", r.agent), ("p", r.product), ("c", r.account), ("s", r.stage))
        }
        | {"e": r.engage.view(np.int64), "x": r.close.view(np.int64), "v": r.cv}
    )
    twin = same.duplicated(keep="first").to_numpy() & r.log.alive
    if twin.any():
        first_twin = same.groupby(list(same.columns), dropna=False, sort=False).ngroup().to_numpy()
        first_of = pd.Series(np.arange(r.n, dtype=np.int64)).groupby(first_twin).transform("min").to_numpy()
        r.log.repair(
            twin,
            "opportunity_id",
            lambda i: f"same agent, product, account, stage, dates and value as row {first_of[i]}",
            "kept: distinct opportunity ids are distinct deals",
        )


#: What is checked of the pipeline, in order (the first rejection of a row wins):
#: (the field the check rejects or notes, the check).
_PIPELINE_CHECKS: tuple[tuple[str, Callable[[_Rows], None]], ...] = (
    ("opportunity_id", _check_opportunity_id),
    ("deal_stage", _check_deal_stage),
    ("engage_date, close_date", _check_date_format),
    ("customer", _check_customer),
    ("account", _check_account),
    ("product", _check_product),
    ("engage_date", _check_engage_date),
    ("close_date", _check_close_date),
    ("engage_date, close_date", _check_as_of),
    ("close_value", _check_close_value),
    ("engage_date, close_date", _note_dates_ignored),
    ("sales_agent", _check_sales_agent),
    ("opportunity_id", _note_twins),
)


# ---- the CRM importer -----------------------------------------------------------


def from_crm_opportunities(
    pipeline: Table,
    accounts: Table | None = None,
    products: Table | None = None,
    sales_teams: Table | None = None,
    *,
    customer: str = "account",
    origin: Any = None,
    as_of: Any = None,
    errors: Literal["reject", "raise"] = "reject",
) -> CrmImport:
    """Events from a CRM opportunity export, with what was repaired or rejected, row by row.

    ``pipeline`` (a DataFrame or a CSV path) has the columns opportunity_id,
    sales_agent, product, account, deal_stage, engage_date, close_date,
    close_value; ``accounts``, ``products`` and ``sales_teams`` are optional
    side tables (see ``../shared/data/README.md`` for the shape). The events
    written per opportunity are tabled in the module docstring.

    ``customer``: the pipeline column that names the customer (default the
    account). ``origin``: the date of time 0 (default: the earliest date
    imported). ``as_of``: the export date; a row dated after it is rejected
    (default: the latest close_date in the pipeline, which is right for a
    historical export; pass today's date for a live CRM). ``errors``:
    ``"reject"`` puts bad rows in ``.rejected``; ``"raise"`` raises
    :class:`goodwill.InvalidInputError` naming the first bad row and field
    instead (open deals the export cannot place are rejected in both modes:
    they are not errors).

    Repairs (the row is imported; each is listed in ``.repairs``):

    - close values written as text with a currency sign or thousands
      separators (``"$1,054"``) read as numbers;
    - product names matched to ``products`` case- and space-insensitively
      when there is no exact match (``GTXPro`` -> ``GTX Pro``);
    - account names likewise (``dambase`` for ``Dambase``), deal stages
      case-insensitively (``won``, ``Closed Won`` -> ``Won``);
    - in ``accounts``: sectors trimmed, lower-cased and respelt through
      :data:`SECTOR_SPELLING` (``technolgy`` -> ``technology``), office
      locations through :data:`LOCATION_SPELLING`; duplicate accounts or
      products keep their first row;
    - notes on rows imported as they are: a won deal at 0, a close value on
      a lost or open deal (ignored), a close date on an open deal (ignored), a
      closed deal without engage_date (no opportunity event), a sales agent missing
      from ``sales_teams``, and rows identical to an earlier one but for the
      opportunity id (kept: distinct ids are distinct deals).

    Rejections (``.rejected``, category ``"invalid"``): a missing or duplicate
    opportunity_id (the later rows), an unknown or missing deal stage, a date
    that does not parse, a date after ``as_of``, a missing customer on a
    closed deal, an account not in ``accounts``, a product not in ``products``
    or without a positive price, a closed deal without close_date, a close
    before the engage date, a won deal without a close value, a close value
    that is negative, infinite or not a number. Category ``"open"``: an open
    deal (Prospecting, Engaging) without a customer or without engage_date.

    ``.accounts`` is the account table cleaned, plus per account: the
    opportunities, won and lost deals imported, and the owner as
    :func:`goodwill.account_owners` derives it from the deals' sales agents
    (the agent holding a strict majority of the account's won and lost deals
    in the 365 days before the export's last event; ``<NA>`` where no agent
    does, and ``owner_note`` says so: ``"no majority (top: Ann 40% of 5
    deals)"``), with ``owner_share``, ``owner_deals``, and
    ``owner_manager`` and ``owner_regional_office`` from ``sales_teams``.

    Parameters
    ----------
    pipeline : DataFrame or path
        The opportunity table (a CSV path or a DataFrame).
    accounts, products, sales_teams : DataFrame or path, optional
        The side tables.
    customer : str
        The pipeline column naming the customer.
    origin : date-like, optional
        The date of time 0 (default: the earliest date imported).
    as_of : date-like, optional
        The export date (default: the latest close_date).
    errors : {"reject", "raise"}
        Put bad rows in ``.rejected``, or raise on the first.

    Returns
    -------
    CrmImport
        The ledger, its events, and what was repaired and rejected, row by row.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> pipeline = pd.DataFrame({"opportunity_id": ["A1", "A2", "A3"],
    ...     "sales_agent": ["Ann", "Ann", "Bo"], "product": ["GTX Pro", "GTXPro", "GTX Pro"],
    ...     "account": ["Acme", "Acme", "Teste"], "deal_stage": ["Won", "Lost", "Won"],
    ...     "engage_date": ["2024-01-02", "2024-01-05", "2024-01-06"],
    ...     "close_date": ["2024-02-01", "2024-02-10", "2024-02-11"],
    ...     "close_value": ["$4,500", None, "100"]})
    >>> products = pd.DataFrame({"product": ["GTX Pro"], "sales_price": [4821.0]})
    >>> accounts = pd.DataFrame({"account": ["Acme"], "sector": ["technolgy"]})
    >>> crm = goodwill.io.from_crm_opportunities(pipeline, accounts=accounts, products=products)
    >>> crm.repairs[["row", "field"]].values.tolist()
    [[0, 'close_value'], [1, 'product'], [0, 'sector']]
    >>> crm.rejected[["row", "field", "reason"]].values.tolist()
    [[2, 'account', "account 'Teste' is not in the accounts table"]]
    >>> crm.accounts["sector"].tolist()
    ['technology']
    """
    if errors not in ("reject", "raise"):
        raise invalid("errors", None, f"must be 'reject' or 'raise', got {errors!r}")
    columns = {f.name: (customer if f.name == "customer" else f.name) for f in _PIPELINE_FIELDS}
    pipe = _read(pipeline, "pipeline", tuple(f.name for f in _PIPELINE_FIELDS if f.text))
    _require(pipe, "pipeline", tuple(dict.fromkeys(columns[f.name] for f in _PIPELINE_FIELDS if f.required)))
    given = {"products": products, "accounts": accounts, "sales_teams": sales_teams}
    for f in _PIPELINE_FIELDS:
        if f.required_with is not None and given[f.required_with] is not None and f.name not in pipe.columns:
            raise invalid(f.name, None, f"column {f.name!r} is missing from pipeline (needed with {f.required_with})")
    n = len(pipe)
    log = _Log(n, _text(pipe["opportunity_id"]), errors)

    prod = _clean_products(_read(products, "products", ("product",)), log) if products is not None else None
    acc = _clean_accounts(_read(accounts, "accounts", ("account",)), log) if accounts is not None else None
    teams = None
    if sales_teams is not None:
        teams_raw = _read(sales_teams, "sales_teams", ("sales_agent",))
        _require(teams_raw, "sales_teams", ("sales_agent",))
        teams = teams_raw.assign(sales_agent=_text(teams_raw["sales_agent"]))
        teams = teams[teams["sales_agent"].notna()].drop_duplicates("sales_agent").set_index("sales_agent")

    r = _Rows(pipe, log, customer, prod, acc, teams, as_of)
    for f in _PIPELINE_FIELDS:
        if columns[f.name] in pipe.columns:
            f.read(r, pipe[columns[f.name]])
    for _, check in _PIPELINE_CHECKS:
        check(r)

    # ---- events --------------------------------------------------------------
    opp, stage, cust, agent, cv = r.opp, r.stage, r.cust, r.agent, r.cv
    engage, close, list_price, unit_cost = r.engage, r.close, r.list_price, r.unit_cost
    product, account, as_of_ts = r.product, r.account, r.as_of_ts
    won, lost, closed, has_engage = r.won, r.lost, r.closed, r.has_engage
    alive = log.alive
    all_dates = np.concatenate([engage[alive & has_engage], close[alive & closed]])
    origin_ts: pd.Timestamp | None
    if origin is not None:
        origin_ts = _timestamp(origin, "origin")
    else:
        origin_ts = pd.Timestamp(all_dates.min()) if len(all_dates) else None
    o64 = _ns(origin_ts) if origin_ts is not None else np.datetime64("NaT", "ns")
    day = np.timedelta64(86_400_000_000_000, "ns")

    known_list = ~np.isnan(list_price)
    discount = np.where(won & known_list, np.maximum(list_price - cv, 0.0), np.nan)
    premium = np.where(won & known_list, np.maximum(cv - list_price, 0.0), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = np.where(won & (cv > 0) & np.isfinite(unit_cost), np.round(1e4 * (cv - unit_cost) / cv), np.nan)
    margin = np.clip(margin, -_INT32_MAX, _INT32_MAX)
    margin_code = np.where(np.isnan(margin), _core.MARGIN_UNKNOWN, np.nan_to_num(margin)).astype(np.int64)

    specs = [
        # (mask, seq, date, kind, amount, detail)
        (alive & has_engage & (stage != "Prospecting"), 0, engage, "opportunity", np.nan_to_num(list_price), 0),
        (alive & (stage == "Prospecting"), 0, engage, "lead", np.nan_to_num(list_price), 0),
        (alive & (stage == "Engaging") & known_list, 1, engage, "proposal", list_price, 0),
        (alive & closed & known_list, 1, close, "proposal", list_price, 0),
        (alive & won & known_list & (cv < list_price), 2, close, "concession", list_price - cv, 0),
        (alive & won, 3, close, "deal_won", cv, margin_code),
        (alive & lost, 3, close, "deal_lost", np.nan_to_num(list_price), 0),
    ]
    parts: list[pd.DataFrame] = []
    seqs: list[npt.NDArray[np.int64]] = []
    for mask, seq, when, kind, amount, detail in specs:
        with np.errstate(invalid="ignore"):
            idx = np.flatnonzero(mask)
        det = detail[idx] if isinstance(detail, np.ndarray) else np.full(len(idx), detail, dtype=np.int64)
        parts.append(
            pd.DataFrame(
                {
                    "customer": cust[idx],
                    "time": (when[idx] - o64) / day,
                    "kind": kind,
                    "amount": amount[idx].astype(np.float64),
                    "detail": det.astype(np.int32),
                    "rep": agent[idx],
                    "date": when[idx],
                    "opportunity_id": opp[idx],
                    "row": idx.astype(np.int64),
                }
            )
        )
        seqs.append(np.full(len(idx), seq, dtype=np.int64))
    events = pd.concat(parts, ignore_index=True)
    order = np.lexsort((np.concatenate(seqs), events["row"].to_numpy()))
    events = events.iloc[order].reset_index(drop=True)
    events["time"] = events["time"].astype(np.float64)
    events["kind"] = pd.Categorical(events["kind"], categories=list(_core.EVENT_KINDS))
    ledger = Ledger()
    if len(events):
        ledger.append(
            events["customer"].to_numpy(dtype=object),
            events["time"],
            events["kind"],
            events["amount"],
            events["detail"],
            rep=events["rep"].to_numpy(dtype=object),
        )
    events["detail"] = detail_frame_column(events["detail"].to_numpy(dtype=np.int32))
    events["rep"] = pd.Categorical(events["rep"], categories=ledger.rep_names)

    repairs, rejected = log.frames()
    status = np.where(alive, "imported", "rejected")
    opportunities = pd.DataFrame(
        {
            "opportunity_id": opp,
            "status": status,
            "customer": cust,
            "sales_agent": agent,
            "product": product,
            "account": account,
            "deal_stage": stage,
            "engage_date": engage,
            "close_date": close,
            "close_value": cv,
            "list_price": list_price,
            "discount": discount,
            "premium": premium,
        }
    )
    accounts_out = _account_table(acc, opportunities[alive], teams, _account_owners(events, account))
    return CrmImport(
        ledger=ledger,
        events=events[_EVENT_COLUMNS],
        repairs=repairs,
        rejected=rejected,
        accounts=accounts_out,
        opportunities=opportunities,
        origin=origin_ts,
        as_of=as_of_ts,
    )


def _account_owners(events: pd.DataFrame, account: npt.NDArray[np.object_]) -> pd.DataFrame:
    """account_owners over the events keyed by account (the customer may be another column)."""
    from .relationship import account_owners  # relationship imports the ledger, as this module does

    acct = account[events["row"].to_numpy()] if len(events) else account[:0]
    has = ~_none(acct)
    by_account = Ledger()
    if has.any():
        by_account.append(
            acct[has],
            events["time"].to_numpy()[has],
            events["kind"][has],
            rep=events["rep"].to_numpy(dtype=object)[has],
        )
    return account_owners(by_account)


def _account_table(
    acc: pd.DataFrame | None, imported: pd.DataFrame, teams: pd.DataFrame | None, owners: pd.DataFrame
) -> pd.DataFrame:
    has_account = imported[imported["account"].notna()]
    flags = pd.DataFrame(
        {
            "account": has_account["account"].astype(object),
            "opportunities": np.ones(len(has_account), dtype=np.int64),
            "won": (has_account["deal_stage"] == "Won").to_numpy(dtype=np.int64),
            "lost": (has_account["deal_stage"] == "Lost").to_numpy(dtype=np.int64),
        }
    )
    stats = flags.groupby("account", sort=True)[["opportunities", "won", "lost"]].sum()
    for src, dst in (("owner", "owner"), ("owner_share", "owner_share"), ("deals", "owner_deals"), ("owner_note", "owner_note")):
        stats[dst] = owners[src].reindex(stats.index).to_numpy()
    stats["owner"] = stats["owner"].astype("string")
    named = np.asarray(stats["owner"].astype(object).where(stats["owner"].notna(), None), dtype=object)
    for src, dst in (("manager", "owner_manager"), ("regional_office", "owner_regional_office")):
        if teams is not None and src in teams.columns:
            stats[dst] = teams[src].reindex(named).to_numpy()
        else:
            stats[dst] = None
    if acc is None:
        out = stats
    else:
        out = acc.join(stats, how="left")
        for col in ("opportunities", "won", "lost", "owner_deals"):
            out[col] = out[col].fillna(0).astype(np.int64)
        out["owner_note"] = out["owner_note"].where(out["owner_note"].notna(), "no salesperson recorded")
    out.index.name = "account"
    return out


# ---- the generic importer -------------------------------------------------------

_FIELDS = ("customer", "time", "kind", "amount", "detail", "rep")


def from_events(
    df: pd.DataFrame | Mapping[str, ArrayLike],
    columns: Mapping[str, str] | None = None,
    *,
    time_unit: str = "D",
    origin: Any = None,
    kind_map: Mapping[Any, str] | None = None,
) -> Ledger:
    """A Ledger from an event table with any column names.

    ``columns`` maps goodwill's fields (customer, time, kind, amount,
    detail, rep) to your column names; unnamed fields use their own name.
    Without an amount column amounts are 0; without a detail column details
    are 0, except the margin of ``deal_won`` and ``purchase`` events, which
    is :data:`goodwill.MARGIN_UNKNOWN`; a missing detail (NaN, None,
    ``<NA>``) is MARGIN_UNKNOWN too. ``rep`` names the salesperson who
    acted (strings; None/NaN where none); without a rep column no event
    names one. A column you name explicitly must exist. Time may be datetimes (or date strings): they become days
    since ``origin`` (default: the earliest time). Or numbers in
    ``time_unit`` (a pandas unit: "D", "h", "W", "s", ...): they become days,
    minus ``origin`` (a number in the same unit) if given. ``kind_map`` maps
    your kind names to goodwill's (``{"Call": "meeting"}``); names it does
    not map must already be goodwill kinds. A bad row raises
    :class:`goodwill.InvalidInputError` naming the row and field (the
    Ledger's own validation), and nothing is returned.

    Parameters
    ----------
    df : DataFrame or mapping of columns
        The event table.
    columns : mapping, optional
        goodwill field → your column name.
    time_unit : str
        Unit of numeric times (a pandas unit).
    origin : date-like or number, optional
        Time 0.
    kind_map : mapping, optional
        Your kind names → goodwill's.

    Returns
    -------
    Ledger
        The events, validated.

    Examples
    --------
    >>> import pandas as pd
    >>> from goodwill.io import from_events
    >>> frame = pd.DataFrame({"acct": ["a", "a"], "day": [0.0, 3.0],
    ...                       "what": ["proposal", "deal_won"], "value": [100.0, 90.0],
    ...                       "owner": ["Ann", "Ann"]})
    >>> led = from_events(frame, {"customer": "acct", "time": "day", "kind": "what",
    ...                           "amount": "value", "rep": "owner"})
    >>> led.rep_names
    ['Ann']
    """
    names = {f: f for f in _FIELDS}
    explicit: set[str] = set()
    for field, col in (columns or {}).items():
        if field not in names:
            raise invalid(f"columns[{field}]", None, f"unknown field; the fields are {', '.join(_FIELDS)}")
        names[field] = col
        explicit.add(field)
    frame = df if isinstance(df, pd.DataFrame) else pd.DataFrame(dict(df))
    for field in _FIELDS:
        if names[field] not in frame.columns and (field in ("customer", "time", "kind") or field in explicit):
            raise invalid(field, None, f"column {names[field]!r} is missing (has: {', '.join(map(str, frame.columns))})")
    try:
        unit_days = pd.Timedelta(1, unit=time_unit) / pd.Timedelta(days=1)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise invalid("time_unit", None, f"{time_unit!r} is not a pandas time unit ('D', 'h', 'W', 's', ...)") from None
    times = _event_times(frame[names["time"]], unit_days, origin)

    kinds: Any = frame[names["kind"]]
    if kind_map:
        known = set(_core.EVENT_KINDS)
        for k, v in kind_map.items():
            if v not in known:
                raise invalid(f"kind_map[{k}]", None, f"{v!r} is not a goodwill event kind; known kinds: {', '.join(_core.EVENT_KINDS)}")
        raw = pd.Series(kinds).reset_index(drop=True).astype(object)
        mapped = raw.map(dict(kind_map))
        kinds = pd.Series(np.where(mapped.isna().to_numpy(), raw.to_numpy(), mapped.to_numpy()), dtype=object)
    codes = kind_column(kinds, "kind")
    amount = frame[names["amount"]] if names["amount"] in frame.columns else None
    if names["detail"] in frame.columns:
        detail: Any = frame[names["detail"]]
    else:  # no margins given: unknown, not 0 %
        sales = np.isin(codes, [_core.EVENT_KINDS.index("deal_won"), _core.EVENT_KINDS.index("purchase")])
        detail = np.where(sales, _core.MARGIN_UNKNOWN, 0).astype(np.int32)
    rep = frame[names["rep"]] if names["rep"] in frame.columns else None
    return Ledger().append(frame[names["customer"]], times, codes, amount, detail, rep)


def _event_times(col: pd.Series, unit_days: float, origin: Any) -> npt.NDArray[np.float64]:
    day = pd.Timedelta(days=1)
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        col = col.dt.tz_convert(None)
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        when = pd.DatetimeIndex(col)
    elif pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        t = float_column(col, "time") * unit_days
        if origin is not None:
            try:
                t = t - float(origin) * unit_days
            except (TypeError, ValueError):
                raise invalid("origin", None, f"{origin!r} is not a number (times are numbers)") from None
        return t
    else:
        numbers = pd.to_numeric(col, errors="coerce")
        if numbers.notna().sum() == col.notna().sum():
            return _event_times(numbers, unit_days, origin)
        when = pd.DatetimeIndex(_to_datetime(col))
        bad = col.notna().to_numpy() & when.isna()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise invalid("time", i, f"{col.iloc[i]!r} is neither a date nor a number")
    start = when.min() if origin is None else _timestamp(origin, "origin")
    if pd.isna(start):  # no time at all: every row is NaT, which the ledger reports
        return np.full(len(when), np.nan)
    return np.asarray((when - start) / day, dtype=np.float64)


# ---- a generated export ------------------------------------------------------------


def synthetic_crm_export(
    folder: str | os.PathLike[str],
    *,
    seed: int = 0,
    deals: int = 3000,
    open_deals: int = 200,
    discounter: bool = False,
    declining: bool = False,
    stalled: int = 0,
) -> str:
    """Write a CRM opportunities export (``sales_pipeline.csv``,
    ``accounts.csv``, ``products.csv``) drawn from one common process, with
    optional planted effects, and return the folder.

    Every account and salesperson alike: 40 accounts, 10 salespeople
    (``Rep 00`` .. ``Rep 09``), 3 products at list prices 1,000, 2,500 and
    5,000; deals engaged uniformly over 600 days from 2020-01-01, won with
    probability 0.6, closing 5–89 days after engagement at a discount drawn
    uniformly from 0–10%; the export ends on 2021-09-30 (deals closing after
    it are left out), with ``open_deals`` open deals engaged in its last 40
    days. Planted effects, for testing what an analysis finds:

    - ``discounter``: ``Rep 00`` gives 25–30% discounts without winning more;
    - ``declining``: ``Account 00`` wins 15% of its deals instead of 60%;
    - ``stalled``: that many open ``Gamma`` deals engaged 80–85 days before
      the end (past 80% of the won cycles, within the longest): ids
      ``S00000`` ...

    Parameters
    ----------
    folder : path
        Where to write the three CSV files (created if missing).
    seed : int
        Seed of the generator (NumPy's PCG64).
    deals, open_deals : int
        Closed deals drawn (before the export's end cuts some) and open deals.
    discounter, declining : bool
        Plant the effects above.
    stalled : int
        Planted stalled open deals.

    Returns
    -------
    str
        The folder, ready for :func:`goodwill.report` or
        :func:`from_crm_opportunities`.

    Examples
    --------
    >>> import tempfile, goodwill
    >>> folder = goodwill.io.synthetic_crm_export(tempfile.mkdtemp(), seed=1, stalled=5)
    >>> crm = goodwill.io.from_crm_opportunities(folder + "/sales_pipeline.csv",
    ...     accounts=folder + "/accounts.csv", products=folder + "/products.csv")
    >>> crm.ledger.n_customers
    40
    """
    for name, value in (("deals", deals), ("open_deals", open_deals), ("stalled", stalled)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0:
            raise invalid(name, None, f"must be a non-negative integer, got {value!r}")
    rng = np.random.default_rng(seed)
    products = pd.DataFrame({"product": ["Alpha", "Beta", "Gamma"], "series": ["A", "B", "C"],
                             "sales_price": [1000.0, 2500.0, 5000.0]})
    accounts = [f"Account {i:02d}" for i in range(40)]
    reps = [f"Rep {i:02d}" for i in range(10)]
    start = pd.Timestamp("2020-01-01")
    engage = start + pd.to_timedelta(rng.uniform(0, 600, deals).round(), unit="D")
    cycle = rng.integers(5, 90, deals)
    acc = rng.choice(accounts, deals)
    rep = rng.choice(reps, deals)
    prod = rng.choice(products["product"].to_numpy(), deals)
    p_win = np.full(deals, 0.6)
    if declining:
        p_win[acc == accounts[0]] = 0.15
    won = rng.random(deals) < p_win
    price = pd.Series(prod).map(products.set_index("product")["sales_price"]).to_numpy()
    discount = rng.uniform(0.0, 0.1, deals)
    if discounter:
        discount[rep == reps[0]] = 0.25 + rng.uniform(0.0, 0.05, int((rep == reps[0]).sum()))
    close_value = np.where(won, np.round(price * (1 - discount)), 0.0)
    close = engage + pd.to_timedelta(cycle, unit="D")
    as_of = pd.Timestamp("2021-09-30")
    parts = [pd.DataFrame({
        "opportunity_id": [f"D{i:05d}" for i in range(deals)],
        "sales_agent": rep, "product": prod, "account": acc,
        "deal_stage": np.where(won, "Won", "Lost"),
        "engage_date": engage.strftime("%Y-%m-%d"), "close_date": close.strftime("%Y-%m-%d"),
        "close_value": close_value,
    })]
    opened = as_of - pd.to_timedelta(rng.integers(1, 40, open_deals), unit="D")
    parts.append(pd.DataFrame({
        "opportunity_id": [f"O{i:05d}" for i in range(open_deals)],
        "sales_agent": rng.choice(reps, open_deals), "product": rng.choice(products["product"].to_numpy(), open_deals),
        "account": rng.choice(accounts, open_deals), "deal_stage": "Engaging",
        "engage_date": opened.strftime("%Y-%m-%d"), "close_date": "", "close_value": np.nan,
    }))
    if stalled:
        old = as_of - pd.to_timedelta(rng.integers(80, 86, stalled), unit="D")
        parts.append(pd.DataFrame({
            "opportunity_id": [f"S{i:05d}" for i in range(stalled)],
            "sales_agent": rng.choice(reps, stalled), "product": "Gamma",
            "account": rng.choice(accounts, stalled), "deal_stage": "Engaging",
            "engage_date": old.strftime("%Y-%m-%d"), "close_date": "", "close_value": np.nan,
        }))
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[~(pd.to_datetime(rows["close_date"], errors="coerce") > as_of)]
    out = os.fspath(folder)
    os.makedirs(out, exist_ok=True)
    rows.to_csv(os.path.join(out, "sales_pipeline.csv"), index=False)
    products.to_csv(os.path.join(out, "products.csv"), index=False)
    pd.DataFrame({"account": accounts, "sector": "retail", "year_established": 2000, "revenue": 100.0,
                  "employees": 50, "office_location": "United States", "subsidiary_of": ""}).to_csv(
        os.path.join(out, "accounts.csv"), index=False)
    return out
