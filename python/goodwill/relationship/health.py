"""Account health and the salesperson scorecard: differences from the portfolio, tested.

:func:`account_health` (per account) and :func:`rep_scorecard` (per
salesperson) measure win rate, price realisation, concession depth, cycle
time, deal-flow trend, trust and its trend; each metric gets the group's own
value, an empirical-Bayes (shrunk) estimate with an equal-tailed interval
(90% by default), a two-sided p-value against the portfolio and a
Benjamini–Hochberg q-value over every (group, metric) tested; a group is
flagged on a metric where q <= ``fdr`` (0.10). Definitions and statistics are
in ``include/goodwill/relationship/health.hpp``:

- a deal closes with ``deal_won`` (close value) or ``deal_lost``; its list
  price is the latest ``proposal`` since the previous close, its concessions
  the ``concession`` amounts since then, its opening the oldest unmatched
  ``opportunity`` (first in, first out) or else the first ``lead`` or
  ``proposal`` since the previous close;
- ``win_rate`` = won / closed; ``realisation`` = close value / list (won deals
  with a list price); ``concession_depth`` = concessions / (close value +
  concessions) (won deals); ``cycle_time`` = close − opening in days
  (analysed on log(1 + days)); ``deal_flow`` = closes in the second half of
  the window / closes in the first half; ``trust`` = the trust evidence at the
  window's end; ``trust_trend`` = trust at the end − trust ``trust_lookback_days``
  earlier (salespeople: the customers' trust after their closes);
- win rate and deal flow: beta-binomial empirical Bayes (method of moments),
  mid-p binomial test; the others: normal-normal empirical Bayes
  (DerSimonian–Laird), z-test (an account's trust against the null of its
  closes drawn from the portfolio's response mix; the others against an
  empirical null centred on the median group, never narrower than N(0, 1)).

A flag rests on the group's own data (its p and q against the portfolio);
its shrunk estimate can still lie near the portfolio value when the groups,
as a whole, barely differ (a small between-group variance shrinks everyone
hard).

A metric the ledger cannot support (no proposals: no realisation; no
concessions: no depth; no openings: no cycle time) has no columns in
:attr:`Health.table`; :attr:`Health.metrics` says why.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from .._columns import invalid, threads_arg
from ..ledger import Ledger
from . import TrustParams

#: The metrics, in column order.
HEALTH_METRICS: tuple[str, ...] = tuple(_core.relationship.HEALTH_METRICS)
_DEFAULTS: dict[str, Any] = dict(_core.relationship.HEALTH_DEFAULTS)

_METRIC_COLUMNS = ("available", "reason", "portfolio", "tested", "flagged", "prior_1", "prior_2",
                   "null_centre", "null_scale", "method")


class Health:
    """What :func:`account_health` and :func:`rep_scorecard` return.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per account (or salesperson): ``deals_won``, ``deals_lost``
        and, per available metric ``m``: ``m`` (the group's own value),
        ``m_n`` (observations behind it), ``m_estimate``, ``m_lower``,
        ``m_upper`` (shrunk estimate and interval), ``m_p``, ``m_q`` (NaN:
        not tested) and ``m_flag``.
    metrics : pandas.DataFrame
        One row per metric: whether it is available and why not, the
        portfolio value the tests compare with, groups tested and flagged, the
        prior (beta-binomial a, b; normal-normal mean and between-group sd on
        the analysis scale), the empirical null used (if any) and the method.
    flags : pandas.DataFrame
        One row per flag: group, metric, value, estimate, interval,
        portfolio, p and q, sorted by q.
    window : tuple of float
        The closes analysed: (start, end), in the ledger's days.
    family : int
        Tests in the Benjamini–Hochberg family (all metrics together).

    Parameters
    ----------
    raw : dict
        The compiled core's result; build one with :func:`account_health` or
        :func:`rep_scorecard`.
    index : pandas.Index
        The accounts (or salespeople), in the core's order.
    kind : str
        ``"account"`` or ``"rep"``.

    Examples
    --------
    >>> import tempfile, goodwill
    >>> folder = goodwill.io.synthetic_crm_export(tempfile.mkdtemp(), seed=1, declining=True)
    >>> crm = goodwill.io.from_crm_opportunities(folder + "/sales_pipeline.csv",
    ...                                          products=folder + "/products.csv")
    >>> h = goodwill.account_health(crm.ledger)
    >>> sorted(h.flags.loc[h.flags["customer"] == "Account 00", "metric"])
    ['trust', 'win_rate']
    """

    def __init__(self, raw: dict[str, Any], index: pd.Index, kind: str) -> None:
        self.kind = kind
        self.window: tuple[float, float] = (float(raw["start"]), float(raw["end"]))
        self.trust_then = float(raw["trust_then"])
        self.family = int(raw["family"])
        self.fdr = float(raw["fdr"])
        self.level = float(raw["level"])
        cols: dict[str, Any] = {
            "deals_won": np.asarray(raw["deals_won"], dtype=np.int64),
            "deals_lost": np.asarray(raw["deals_lost"], dtype=np.int64),
        }
        rows = []
        flag_rows = []
        for m in raw["metrics"]:
            name = str(m["name"])
            flag = np.asarray(m["flag"]).astype(bool)
            rows.append({
                "metric": name,
                "available": bool(m["available"]),
                "reason": str(m["reason"]),
                "portfolio": float(m["portfolio"]),
                "tested": int(m["tested"]),
                "flagged": int(flag.sum()),
                "prior_1": float(m["prior_1"]),
                "prior_2": float(m["prior_2"]),
                "null_centre": float(m["null_centre"]),
                "null_scale": float(m["null_scale"]),
                "method": str(m["method"]),
            })
            if not m["available"]:
                continue
            cols[name] = np.asarray(m["raw"])
            cols[f"{name}_n"] = np.asarray(m["n"], dtype=np.int64)
            for part in ("estimate", "lower", "upper", "p", "q"):
                cols[f"{name}_{part}"] = np.asarray(m[part])
            cols[f"{name}_flag"] = flag
            for i in (int(j) for j in np.flatnonzero(flag)):
                flag_rows.append({
                    kind: index[i],
                    "metric": name,
                    "value": float(m["raw"][i]),
                    "estimate": float(m["estimate"][i]),
                    "lower": float(m["lower"][i]),
                    "upper": float(m["upper"][i]),
                    "portfolio": float(m["portfolio"]),
                    "n": int(m["n"][i]),
                    "p": float(m["p"][i]),
                    "q": float(m["q"][i]),
                })
        self.table = pd.DataFrame(cols, index=index)
        self.metrics = pd.DataFrame(rows).set_index("metric")
        self.flags = pd.DataFrame(
            flag_rows, columns=[kind, "metric", "value", "estimate", "lower", "upper", "portfolio", "n", "p", "q"]
        ).sort_values("q", kind="stable").reset_index(drop=True)

    @property
    def notes(self) -> list[str]:
        """One line per metric that is not (fully) available, with its reason."""
        return [f"{name}: {row.reason}" for name, row in self.metrics.iterrows() if row.reason]

    def __repr__(self) -> str:
        flagged = self.table.filter(like="_flag").any(axis=1).sum() if len(self.table) else 0
        return (
            f"<Health of {len(self.table)} {self.kind}s, closes in [{self.window[0]:g}, {self.window[1]:g}]: "
            f"{len(self.flags)} flags on {flagged} {self.kind}s at FDR {self.fdr:g} "
            f"({self.family} tests)>"
        )

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(repr(self))}</b></p>"]
        summary = self.metrics[["available", "portfolio", "tested", "flagged", "reason"]]
        parts.append(summary.to_html())
        if len(self.flags):
            parts.append(self.flags.to_html(index=False, float_format=lambda v: f"{v:.4g}"))
        else:
            parts.append(f"<p>No {self.kind} differs from the portfolio at FDR {self.fdr:g}.</p>")
        return "\n".join(parts)


def _params(
    trust: TrustParams | None, start: float | None, end: float | None, trust_lookback_days: float | None,
    min_deals: int | None, min_groups: int | None, fdr: float | None, level: float | None,
) -> dict[str, Any]:
    def num(name: str, value: float | None) -> float:
        if value is None:
            return float(_DEFAULTS[name]) if name in _DEFAULTS else math.nan
        try:
            return float(value)
        except (TypeError, ValueError):
            raise invalid(name, None, f"{value!r} is not a number") from None

    return {
        "trust": (trust if trust is not None else TrustParams())._core(),
        "start": num("start", start),
        "end": num("end", end),
        "trust_lookback_days": num("trust_lookback_days", trust_lookback_days),
        "min_deals": int(_DEFAULTS["min_deals"] if min_deals is None else min_deals),
        "min_groups": int(_DEFAULTS["min_groups"] if min_groups is None else min_groups),
        "fdr": num("fdr", fdr),
        "level": num("level", level),
    }


def account_health(
    ledger: Ledger,
    *,
    trust: TrustParams | None = None,
    start: float | None = None,
    end: float | None = None,
    trust_lookback_days: float | None = None,
    min_deals: int | None = None,
    min_groups: int | None = None,
    fdr: float | None = None,
    level: float | None = None,
    threads: int | None = None,
) -> Health:
    """Per account: win rate, realisation, concession depth, cycle time, deal flow, trust, trust trend.

    Parameters
    ----------
    ledger : Ledger
        The events; deals are read from them (see the module docstring).
    trust : TrustParams, optional
        Trust evidence parameters (default ``TrustParams()``; pass the fitted
        ones of :func:`goodwill.fit_trust` where available).
    start, end : float, optional
        The window of closes (default: the ledger's first and last event time).
    trust_lookback_days : float, optional
        Trust trend looks this far back from ``end`` (default 90).
    min_deals : int, optional
        Observations a group needs to be tested on a metric (default 5).
    min_groups : int, optional
        Groups with data a metric needs for its portfolio prior (default 10).
    fdr : float, optional
        Benjamini–Hochberg false-discovery rate of the flags (default 0.10).
    level : float, optional
        Level of the intervals (default 0.90).
    threads : int, optional
        Threads for the pass over the ledger (0: all cores; default 1). The
        result does not depend on it.

    Returns
    -------
    Health
        ``.table`` indexed by account key, ``.metrics``, ``.flags``.

    Examples
    --------
    >>> h = goodwill.account_health(ledger)            # doctest: +SKIP
    >>> h.flags[["customer", "metric", "value", "portfolio", "q"]]   # doctest: +SKIP
    """
    p = _params(trust, start, end, trust_lookback_days, min_deals, min_groups, fdr, level)
    raw = _core.relationship.account_health(
        ledger._core, threads=threads_arg(_DEFAULTS["threads"] if threads is None else threads), **p
    )
    return Health(raw, pd.Index(ledger.customers, name="customer"), "customer")


def _ledger_reps(ledger: Ledger) -> tuple[npt.NDArray[np.uint32], list[str]] | None:
    core = ledger._core
    if not core.has_reps:
        return None
    return np.ascontiguousarray(core.rep, dtype=np.uint32), list(core.rep_names)


def rep_scorecard(
    ledger: Ledger,
    reps: Any = None,
    *,
    trust: TrustParams | None = None,
    start: float | None = None,
    end: float | None = None,
    trust_lookback_days: float | None = None,
    min_deals: int | None = None,
    min_groups: int | None = None,
    fdr: float | None = None,
    level: float | None = None,
) -> Health:
    """Per salesperson: the metrics of :func:`account_health` over the deals whose close carries them.

    Parameters
    ----------
    ledger : Ledger
        The events.
    reps : sequence, optional
        The salesperson of each ledger row (arrival order, as
        ``ledger.to_pandas()``); missing values mean none. Default: the
        ledger's own salesperson column, if it has one.
    trust, start, end, trust_lookback_days, min_deals, min_groups, fdr, level
        As in :func:`account_health`. Trust is the customer's trust just after
        each close; trust trend compares closes in the last
        ``trust_lookback_days`` with earlier ones.

    Returns
    -------
    Health
        ``.table`` indexed by salesperson name.

    Examples
    --------
    >>> card = goodwill.rep_scorecard(crm.ledger)      # doctest: +SKIP
    >>> card.table[["win_rate", "win_rate_estimate", "win_rate_q"]]   # doctest: +SKIP
    """
    if reps is None:
        found = _ledger_reps(ledger)
        if found is None:
            raise invalid("reps", None, "the ledger has no salesperson column; pass reps= (one per row)")
        codes, names = found
    else:
        values = pd.Series(reps).reset_index(drop=True)
        if len(values) != len(ledger):
            raise invalid("reps", None, f"has {len(values)} rows where the ledger has {len(ledger)}")
        fact, uniques = pd.factorize(values, sort=True)
        codes = np.where(fact < 0, 0xFFFFFFFF, fact).astype(np.uint32)
        names = [str(u) for u in uniques]
    p = _params(trust, start, end, trust_lookback_days, min_deals, min_groups, fdr, level)
    raw = _core.relationship.rep_scorecard(ledger._core, np.ascontiguousarray(codes, dtype=np.uint32), len(names), **p)
    return Health(raw, pd.Index(names, name="rep"), "rep")
