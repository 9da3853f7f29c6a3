"""The open pipeline of a CRM export: which deals are stalling, their calibrated
win probability, their expected value, and what to do with each.

Design
------
A deal that is open at age *a* (days since it was engaged) is a different
question from a deal at its start: the deals still open late are the ones
that did not close quickly. So the win model is fitted on *snapshots* of the
closed deals: each closed deal is seen at its engagement and every
``snapshot_days`` after it while it was still open, with its final outcome
(won or lost). The features of a snapshot are the product, the deal's age
(``log1p``), and the salesperson's and the account's win rates from *other*
deals (empirical-Bayes shrunk toward the portfolio; leave-one-out in
training, so a deal's own outcome never predicts itself). The model is a
ridge-penalised logistic regression fitted by Newton's method.

It is validated on a temporal holdout: fitted on the deals closed before the
split (by default the 70% quantile of close dates), scored on the snapshots
of the deals closed after it, beside the portfolio rate of the training
deals — log loss, Brier score, AUC and a reliability table, and the paired
difference in log loss with its standard error over deals. If the model does
not beat the portfolio rate (the difference is not below zero by two
standard errors), the open deals get the portfolio rate instead and the
result says so. The model used for the open deals is refitted on all closed
deals.

A deal is *stalled* when its age exceeds the ``stall_quantile`` (80%) of the
cycle times of the won deals of its product (of all won deals where a product
has fewer than ``min_product_deals``). Its expected value is the win
probability times the median close value of the product's won deals.

The actions are the deal-level half of the essays' distinction: walking away
from a *sale*, never from the customer. ``push`` (on time and at least as
likely to win as the portfolio: put the time in to close), ``offer
alternatives`` (stalled but still likely to win: change the offer, not the
price), ``walk away from the sale`` (stalled and unlikely to win: stop
spending effort on this deal), ``hold`` (on time but less likely than the
portfolio to win, or not yet engaged). Countering needs the customer's
offer, which a CRM export does not record: the result says so.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._columns import invalid

#: Deal actions for open opportunities, in order of urgency.
PIPELINE_ACTIONS = ("walk_away_from_sale", "offer_alternatives", "push", "hold")

_OPEN = ("Prospecting", "Engaging")


@dataclasses.dataclass
class PipelineSettings:
    """Settings of :func:`open_pipeline`.

    Parameters
    ----------
    stall_quantile : float
        A deal older than this quantile of its product's won-deal cycle times
        is stalled.
    min_product_deals : int
        Products with fewer won deals use all won deals' cycle times.
    snapshot_days : float
        Spacing of the training snapshots of a closed deal.
    split_quantile : float
        The temporal holdout starts at this quantile of the close dates.
    prior_strength : float
        Pseudo-deals of the empirical-Bayes shrinkage of salesperson and
        account win rates toward the portfolio.
    ridge : float
        L2 penalty of the logistic regression (per coefficient, intercept not
        penalised).
    walk_away_share : float
        A stalled deal whose win probability is below this share of the
        portfolio rate is one to walk away from.
    bootstrap : int
        Refits (resampled closed deals) for the win probability's interval
        when the model is used.
    seed : int
        Seed of those resamples.

    Examples
    --------
    >>> import goodwill
    >>> goodwill.PipelineSettings(stall_quantile=0.9).stall_quantile
    0.9
    >>> goodwill.PipelineSettings(stall_quantile=1.5).validate()
    Traceback (most recent call last):
      ...
    goodwill.InvalidInputError: field 'stall_quantile': must be in (0, 1)...
    """

    stall_quantile: float = 0.8
    min_product_deals: int = 20
    snapshot_days: float = 14.0
    split_quantile: float = 0.7
    prior_strength: float = 20.0
    ridge: float = 1.0
    walk_away_share: float = 0.75
    bootstrap: int = 100
    seed: int = 0

    def validate(self) -> None:
        """Raise InvalidInputError naming the first setting out of range."""
        checks = [
            ("stall_quantile", 0.0 < self.stall_quantile < 1.0, "must be in (0, 1)"),
            ("min_product_deals", self.min_product_deals >= 1, "must be at least 1"),
            ("snapshot_days", np.isfinite(self.snapshot_days) and self.snapshot_days > 0, "must be positive"),
            ("split_quantile", 0.0 < self.split_quantile < 1.0, "must be in (0, 1)"),
            ("prior_strength", np.isfinite(self.prior_strength) and self.prior_strength > 0, "must be positive"),
            ("ridge", np.isfinite(self.ridge) and self.ridge >= 0, "must be non-negative"),
            ("walk_away_share", 0.0 < self.walk_away_share <= 1.0, "must be in (0, 1]"),
            ("bootstrap", isinstance(self.bootstrap, int) and self.bootstrap >= 20, "must be an integer >= 20"),
        ]
        for name, ok, why in checks:
            if not ok:
                raise invalid(name, None, why)


@dataclasses.dataclass(frozen=True)
class PipelineValidation:
    """How the win model did on the temporal holdout.

    ``scores``: log loss, Brier and AUC of the model and of the portfolio
    rate on the holdout snapshots; ``reliability``: predicted vs observed win
    rate by decile of prediction; ``log_loss_gain`` and its ``gain_se``: the
    mean paired difference (portfolio − model, per deal) and its standard
    error; ``beats_portfolio``: gain > 2 standard errors.

    Parameters
    ----------
    split_date : Timestamp
        Where the holdout starts (deals closed from then on).
    train_deals, holdout_deals, holdout_snapshots : int
        Deals fitted on, deals held out and their snapshots scored.
    scores, reliability : DataFrame
        The scores and the reliability table above.
    log_loss_gain, gain_se : float
        Mean paired log-loss gain over the portfolio rate and its standard error.
    beats_portfolio : bool
        Whether the gain exceeds two standard errors.

    Examples
    --------
    >>> import tempfile, goodwill
    >>> folder = goodwill.io.synthetic_crm_export(tempfile.mkdtemp(), seed=1, stalled=5)
    >>> crm = goodwill.io.from_crm_opportunities(folder + "/sales_pipeline.csv",
    ...                                          products=folder + "/products.csv")
    >>> v = goodwill.open_pipeline(crm).validation
    >>> v.beats_portfolio, v.verdict.startswith("the model does not predict")
    (False, True)
    """

    split_date: pd.Timestamp
    train_deals: int
    holdout_deals: int
    holdout_snapshots: int
    scores: pd.DataFrame
    reliability: pd.DataFrame
    log_loss_gain: float
    gain_se: float
    beats_portfolio: bool

    @property
    def verdict(self) -> str:
        """One sentence: does the model beat the portfolio rate out of sample?"""
        g = f"{self.log_loss_gain:.3f} ± {2 * self.gain_se:.3f}"
        if self.beats_portfolio:
            return f"the model predicts the held-out deals better than the portfolio rate (log-loss gain {g})"
        return (
            f"the model does not predict the held-out deals better than the portfolio rate (log-loss gain {g}); "
            "open deals get the portfolio rate"
        )


@dataclasses.dataclass(frozen=True)
class Pipeline:
    """The open pipeline (:func:`open_pipeline`).

    ``deals``: one row per open opportunity (index ``opportunity_id``):
    ``account`` (<NA> where the export names none), ``sales_agent``,
    ``product``, ``stage``, ``engage_date``, ``age_days``, ``typical_cycle``
    (the stall threshold for its product), ``stalled``, ``beyond_history``
    (older than any closed deal of its product: no probability, NaN),
    ``win_probability``, ``model_probability`` (the fitted model's, shown even
    when it is not used), ``value_if_won`` (the product's median won value),
    ``expected_value`` with its 90% interval ``expected_value_lower`` /
    ``_upper`` (a bootstrap of the closed deals for the model, the Jeffreys
    interval of the portfolio rate otherwise), ``action``, ``next_best`` and
    ``gain`` (the action's expected value against the next best: pursuing
    against walking away from the sale; the seller's time is not costed, an
    assumption the notes list) and ``reason``.
    ``coefficients``: the fitted model's coefficients; ``validation``: its
    holdout scores; ``portfolio_rate``: the closed deals' win rate;
    ``as_of``: the date ages are measured at; ``notes``: what could not be
    done with this export (e.g. countering: no offers recorded).

    Parameters
    ----------
    deals : DataFrame
        The open deals, as above.
    coefficients : Series
        The win model's coefficients.
    validation : PipelineValidation or None
        Its temporal-holdout scores (None when it could not be fitted).
    portfolio_rate : float
        The closed deals' win rate.
    closed_deals : int
        Closed deals the model learnt from.
    as_of : Timestamp
        The date ages are measured at.
    settings : PipelineSettings
        The settings used.
    notes : tuple of str
        What could not be done with this export.

    Examples
    --------
    >>> import tempfile, goodwill
    >>> folder = goodwill.io.synthetic_crm_export(tempfile.mkdtemp(), seed=1, stalled=5)
    >>> crm = goodwill.io.from_crm_opportunities(folder + "/sales_pipeline.csv",
    ...                                          products=folder + "/products.csv")
    >>> p = goodwill.open_pipeline(crm)
    >>> len(p.deals), p.deals.index[p.deals["stalled"]].tolist()
    (205, ['S00000', 'S00001', 'S00002', 'S00003', 'S00004'])
    """

    deals: pd.DataFrame
    coefficients: pd.Series
    validation: PipelineValidation | None
    portfolio_rate: float
    closed_deals: int
    as_of: pd.Timestamp
    settings: PipelineSettings
    notes: tuple[str, ...]

    @property
    def model_used(self) -> str:
        """'model' if the open deals' probabilities come from the fitted model, else 'portfolio rate'."""
        return "model" if self.validation is not None and self.validation.beats_portfolio else "portfolio rate"

    def summary(self) -> pd.DataFrame:
        """Counts, expected value and stalled share by action."""
        d = self.deals
        g = d.groupby("action", observed=False)
        out = pd.DataFrame({"deals": g.size(), "expected_value": g["expected_value"].sum(),
                            "stalled": g["stalled"].sum()})
        return out

    def _repr_html_(self) -> str:
        d = self.deals
        v = self.validation
        lines = [
            (f"<b>goodwill.Pipeline</b>: {len(d):,} open deals as of {self.as_of.date()}, "
             f"{int(d['stalled'].sum()):,} stalled, expected value {d['expected_value'].sum():,.0f}"),
            f"win probability from the {html.escape(self.model_used)}"
            + ("" if v is None else f" ({html.escape(v.verdict)})"),
        ]
        return "<div>" + "<br>".join(lines) + "</div>" + self.summary().to_html(border=0)

    def __repr__(self) -> str:
        d = self.deals
        return (
            f"<goodwill.Pipeline: {len(d):,} open deals, {int(d['stalled'].sum()):,} stalled, "
            f"win probability from the {self.model_used}>"
        )


# ---- the model -------------------------------------------------------------------


def _logistic_fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], ridge: float) -> npt.NDArray[np.float64]:
    """Ridge logistic regression by Newton's method (column 0: intercept, not penalised)."""
    k = x.shape[1]
    beta = np.zeros(k)
    pen = np.full(k, ridge)
    pen[0] = 0.0
    for _ in range(100):
        eta = x @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        w = p * (1.0 - p)
        grad = x.T @ (y - p) - pen * beta
        hess = (x * w[:, None]).T @ x + np.diag(pen) + 1e-9 * np.eye(k)
        step = np.linalg.solve(hess, grad)
        beta += step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return beta


def _predict(x: npt.NDArray[np.float64], beta: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-(x @ beta)))


def _logit(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def _shrunk_rates(
    keys: pd.Series, won: pd.Series, reference_keys: pd.Series, reference_won: pd.Series,
    prior: float, strength: float, leave_one_out: bool,
) -> npt.NDArray[np.float64]:
    """Empirical-Bayes win rate of each key from the reference deals (minus
    the row's own deal when leave_one_out); NaN keys get the prior."""
    stats = pd.DataFrame({"k": reference_keys.to_numpy(), "w": reference_won.to_numpy(dtype=float)}).dropna(
        subset=["k"]).groupby("k")["w"].agg(["sum", "count"])
    s = keys.map(stats["sum"]).to_numpy(dtype=float)
    n = keys.map(stats["count"]).to_numpy(dtype=float)
    s = np.nan_to_num(s)
    n = np.nan_to_num(n)
    if leave_one_out:
        s = s - np.where(keys.notna().to_numpy(), won.to_numpy(dtype=float), 0.0)
        n = n - keys.notna().to_numpy().astype(float)
    rates: npt.NDArray[np.float64] = (s + strength * prior) / (n + strength)
    return rates


def _design(
    frame: pd.DataFrame, products: list[str], reference: pd.DataFrame, prior: float, strength: float,
    leave_one_out: bool,
) -> npt.NDArray[np.float64]:
    cols = [np.ones(len(frame))]
    for p in products[1:]:
        cols.append((frame["product"].to_numpy() == p).astype(float))
    cols.append(np.log1p(frame["age"].to_numpy(dtype=float)))
    for key in ("sales_agent", "account"):
        r = _shrunk_rates(frame[key], frame["won"] if leave_one_out else pd.Series(0.0, index=frame.index),
                          reference[key], reference["won"], prior, strength, leave_one_out)
        cols.append(_logit(r) - _logit(np.array([prior]))[0])
    cols.append(frame["account"].isna().to_numpy().astype(float))
    return np.column_stack(cols)


def _snapshots(closed: pd.DataFrame, every: float) -> pd.DataFrame:
    """Each closed deal at its engagement and every `every` days while open."""
    cycle = closed["cycle"].to_numpy(dtype=float)
    counts = np.floor(np.maximum(cycle, 0.0) / every).astype(int) + 1
    idx = np.repeat(np.arange(len(closed)), counts)
    step = np.concatenate([np.arange(c) for c in counts]) if len(counts) else np.zeros(0, dtype=int)
    out = closed.iloc[idx].copy()
    out["age"] = step * every
    out["deal"] = idx
    return out.reset_index(drop=True)


def _auc(y: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> float:
    pos, neg = y == 1, y == 0
    if not pos.any() or not neg.any():
        return float("nan")
    ranks = pd.Series(p).rank().to_numpy()
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * neg.sum()))


def _scores(y: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> dict[str, float]:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return {
        "log_loss": float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))),
        "brier": float(np.mean((p - y) ** 2)),
        "auc": _auc(y, p),
    }


def _reliability(y: npt.NDArray[np.float64], p: npt.NDArray[np.float64], bins: int = 10) -> pd.DataFrame:
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(0, len(edges) - 2))
    g = pd.DataFrame({"bin": which, "p": p, "y": y}).groupby("bin")
    return pd.DataFrame({"predicted": g["p"].mean(), "observed": g["y"].mean(), "count": g.size()}).reset_index(
        drop=True)


# ---- the pipeline ----------------------------------------------------------------


def open_pipeline(
    crm: Any, *, settings: PipelineSettings | None = None, as_of: Any = None
) -> Pipeline:
    """The open opportunities of a CRM import, with stall, calibrated win
    probability, expected value and action.

    Parameters
    ----------
    crm : goodwill.io.CrmImport
        An import from :func:`goodwill.io.from_crm_opportunities`; its
        ``opportunities`` table holds every row, open deals included (also
        those the export leaves without an account).
    settings : PipelineSettings, optional
        Stall quantile, snapshot spacing, holdout split, shrinkage, ridge.
    as_of : date-like, optional
        The date ages are measured at (default: the import's ``as_of``, else
        the latest date in the export).

    Returns
    -------
    Pipeline
        ``deals`` (one row per open opportunity), the model's coefficients and
        its temporal-holdout ``validation``.

    Examples
    --------
    >>> import tempfile, goodwill
    >>> folder = goodwill.io.synthetic_crm_export(tempfile.mkdtemp(), seed=1, stalled=5)
    >>> crm = goodwill.io.from_crm_opportunities(folder + "/sales_pipeline.csv",
    ...                                          products=folder + "/products.csv")
    >>> p = goodwill.open_pipeline(crm)
    >>> p.model_used, round(p.portfolio_rate, 2)
    ('portfolio rate', 0.61)
    >>> p.deals["action"].value_counts()[["push", "offer_alternatives"]].tolist()
    [200, 5]
    """
    s = settings or PipelineSettings()
    s.validate()
    opps = getattr(crm, "opportunities", None)
    if not isinstance(opps, pd.DataFrame):
        raise invalid("crm", None, "must be a goodwill.io.CrmImport (from from_crm_opportunities)")
    for col in ("opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
                "close_date", "close_value"):
        if col not in opps.columns:
            raise invalid(col, None, "is missing from the import's opportunities table")
    o = opps.copy()
    o["engage_date"] = pd.to_datetime(o["engage_date"], errors="coerce")
    o["close_date"] = pd.to_datetime(o["close_date"], errors="coerce")
    o["account"] = o["account"].astype("string")
    o["sales_agent"] = o["sales_agent"].astype("string")
    o["product"] = o["product"].astype("string")
    closed = o[o["deal_stage"].isin(["Won", "Lost"]) & o["engage_date"].notna() & o["close_date"].notna()]
    if "status" in closed.columns:
        closed = closed[closed["status"] == "imported"]
    closed = closed.assign(
        won=(closed["deal_stage"] == "Won").astype(float),
        cycle=(closed["close_date"] - closed["engage_date"]).dt.days.astype(float),
    )
    if len(closed) < 20 or closed["won"].nunique() < 2:
        raise invalid("opportunities", None,
                      f"has {len(closed):,} closed deals with dates and both outcomes: too few for a win model")
    open_ = o[o["deal_stage"].isin(list(_OPEN))].copy()
    rejected = getattr(crm, "rejected", None)
    dropped = 0
    if isinstance(rejected, pd.DataFrame) and {"category", "opportunity_id"} <= set(rejected.columns):
        bad = set(rejected.loc[rejected["category"] == "invalid", "opportunity_id"])
        keep = ~open_["opportunity_id"].isin(bad)
        dropped = int((~keep).sum())
        open_ = open_[keep]
    if as_of is None:
        as_of = getattr(crm, "as_of", None)
    if as_of is None:
        as_of = max(closed["close_date"].max(), o["engage_date"].max())
    as_of = pd.Timestamp(as_of)
    products = sorted(closed["product"].dropna().unique().tolist())
    won = closed[closed["won"] == 1]

    # stall thresholds by product
    overall_cycle = float(np.quantile(won["cycle"], s.stall_quantile))
    grouped = won.groupby("product")["cycle"]
    by_product = pd.DataFrame({"count": grouped.size(), "q": grouped.quantile(s.stall_quantile)})
    typical = {p: (float(r["q"]) if r["count"] >= s.min_product_deals else overall_cycle)
               for p, r in by_product.iterrows()}
    longest = closed.groupby("product")["cycle"].max().to_dict()
    value_if_won = won.groupby("product")["close_value"].median().to_dict()
    overall_value = float(won["close_value"].median())

    # temporal holdout
    split = pd.Timestamp(closed["close_date"].sort_values().iloc[int(s.split_quantile * (len(closed) - 1))])
    train = closed[closed["close_date"] < split]
    hold = closed[closed["close_date"] >= split]
    validation: PipelineValidation | None = None
    if len(train) >= 20 and train["won"].nunique() == 2 and len(hold) >= 20:
        prior = float(train["won"].mean())
        tr = _snapshots(train, s.snapshot_days)
        xt = _design(tr, products, train, prior, s.prior_strength, leave_one_out=True)
        beta_t = _logistic_fit(xt, tr["won"].to_numpy(dtype=float), s.ridge)
        ho = _snapshots(hold, s.snapshot_days)
        xh = _design(ho, products, train, prior, s.prior_strength, leave_one_out=False)
        ph = _predict(xh, beta_t)
        yh = ho["won"].to_numpy(dtype=float)
        base = np.full(len(yh), prior)
        scores = pd.DataFrame({"model": _scores(yh, ph), "portfolio_rate": _scores(yh, base)}).T
        q = np.clip(ph, 1e-12, 1 - 1e-12)
        ll_m = -(yh * np.log(q) + (1 - yh) * np.log(1 - q))
        ll_b = -(yh * np.log(prior) + (1 - yh) * np.log(1 - prior))
        per_deal = pd.Series(ll_b - ll_m).groupby(ho["deal"].to_numpy()).mean()  # paired, by deal
        gain = float(per_deal.mean())
        se = float(per_deal.std(ddof=1) / np.sqrt(len(per_deal))) if len(per_deal) > 1 else float("inf")
        validation = PipelineValidation(
            split_date=split, train_deals=len(train), holdout_deals=len(hold), holdout_snapshots=len(ho),
            scores=scores, reliability=_reliability(yh, ph), log_loss_gain=gain, gain_se=se,
            beats_portfolio=bool(gain > 2 * se),
        )

    # the model for the open deals: refitted on every closed deal
    rate = float(closed["won"].mean())
    snaps = _snapshots(closed, s.snapshot_days)
    x_all = _design(snaps, products, closed, rate, s.prior_strength, leave_one_out=True)
    beta = _logistic_fit(x_all, snaps["won"].to_numpy(dtype=float), s.ridge)
    names = ["intercept"] + [f"product={p}" for p in products[1:]] + [
        "log1p(age_days)", "salesperson win rate (logit, shrunk)", "account win rate (logit, shrunk)",
        "no account"]
    coefficients = pd.Series(beta, index=names, name="coefficient")

    age = (as_of - open_["engage_date"]).dt.days.astype(float)
    frame = pd.DataFrame({
        "product": open_["product"], "sales_agent": open_["sales_agent"], "account": open_["account"],
        "age": age.fillna(0.0).clip(lower=0.0), "won": 0.0,
    })
    x_open = _design(frame, products, closed, rate, s.prior_strength, leave_one_out=False)
    p_model = _predict(x_open, beta)
    use_model = validation is not None and validation.beats_portfolio
    p_open = p_model if use_model else np.full(len(open_), rate)
    # the probability's 90% interval: a bootstrap of the closed deals (the
    # model refitted on each resample of deals, all snapshots of a deal kept
    # together), or the Jeffreys interval of the portfolio rate
    rng = np.random.default_rng(s.seed)
    if use_model:
        deal_of = snaps["deal"].to_numpy()
        rows_of = pd.Series(np.arange(len(snaps))).groupby(deal_of).apply(np.asarray).to_numpy()
        draws = np.empty((s.bootstrap, len(open_)))
        y_all = snaps["won"].to_numpy(dtype=float)
        for b in range(s.bootstrap):
            pick = np.concatenate(rows_of[rng.integers(0, len(rows_of), len(rows_of))])
            draws[b] = _predict(x_open, _logistic_fit(x_all[pick], y_all[pick], s.ridge))
        p_lo, p_hi = np.quantile(draws, [0.05, 0.95], axis=0)
    else:
        wins = float(closed["won"].sum())
        beta_draws = rng.beta(wins + 0.5, len(closed) - wins + 0.5, 20000)
        lo, hi = np.quantile(beta_draws, [0.05, 0.95])
        p_lo, p_hi = np.full(len(open_), lo), np.full(len(open_), hi)
    thr = open_["product"].map(typical).astype(float).fillna(overall_cycle)
    stalled = (age > thr).fillna(False).to_numpy(dtype=bool)
    vwin = open_["product"].map(value_if_won).astype(float).fillna(overall_value).to_numpy()
    ev = p_open * vwin
    engaged = open_["engage_date"].notna().to_numpy()
    # older than any closed deal of its product: no deal in the data was
    # decided this late, so no probability is estimated (the model would
    # extrapolate) and the sale is one to walk away from (or to close in the CRM)
    oldest = open_["product"].map(longest).astype(float).fillna(float(closed["cycle"].max())).to_numpy()
    beyond = engaged & (age.to_numpy() > oldest)
    p_open = np.where(beyond, np.nan, p_open)
    ev = np.where(beyond, np.nan, ev)
    ev_lo = np.where(beyond, np.nan, p_lo * vwin)
    ev_hi = np.where(beyond, np.nan, p_hi * vwin)
    likely = np.nan_to_num(p_open) >= rate
    walk = beyond | (stalled & (np.nan_to_num(p_open) < s.walk_away_share * rate))
    action = np.where(walk, "walk_away_from_sale",
                      np.where(stalled, "offer_alternatives",
                               np.where(engaged & likely, "push", "hold")))
    reasons = []
    for b, ag, t, p, m in zip(beyond, age.to_numpy(), thr.to_numpy(), p_open, oldest):
        if b:
            reasons.append(f"open {ag:,.0f} days: longer than any deal of this product took to close "
                           f"({m:,.0f} days), so the data holds no deal decided this late")
            continue
        age_text = "not yet engaged" if not np.isfinite(ag) else f"open {ag:,.0f} days (stall at {t:,.0f})"
        reasons.append(f"{age_text}; win probability {p:.0%} vs portfolio {rate:.0%}")
    deals = pd.DataFrame({
        "account": open_["account"].to_numpy(),
        "sales_agent": open_["sales_agent"].to_numpy(),
        "product": open_["product"].to_numpy(),
        "stage": open_["deal_stage"].to_numpy(),
        "engage_date": open_["engage_date"].to_numpy(),
        "age_days": age.to_numpy(),
        "typical_cycle": thr.to_numpy(),
        "stalled": stalled,
        "beyond_history": beyond,
        "win_probability": p_open,
        "model_probability": p_model,
        "value_if_won": vwin,
        "expected_value": ev,
        "expected_value_lower": ev_lo,
        "expected_value_upper": ev_hi,
        "action": pd.Categorical(action, categories=list(PIPELINE_ACTIONS)),
        # pursuing (push, a different offer) against walking away: walking away
        # gains nothing and spends nothing more; the seller's time is not costed
        "next_best": np.where(action == "walk_away_from_sale", "pursue", "walk_away_from_sale"),
        "gain": np.where(action == "walk_away_from_sale", -ev, ev),
        "reason": reasons,
    }, index=pd.Index(open_["opportunity_id"].to_numpy(), name="opportunity_id"))
    deals["account"] = deals["account"].astype("string")
    notes: tuple[str, ...] = (
        "counter: not applicable: the export records no customer offers, so no counter-offer can be priced",
        ("assumed: the seller's time on an open deal is not costed (the export records no effort), so walking "
         "away saves nothing but the time"),)
    if dropped:
        notes += (f"{dropped:,} open rows rejected by the import as invalid are left out",)
    return Pipeline(deals=deals, coefficients=coefficients, validation=validation, portfolio_rate=rate,
                    closed_deals=len(closed), as_of=as_of, settings=s, notes=notes)
