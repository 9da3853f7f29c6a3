"""Customer recommendations priced in money: the expected profit of the
recommended action against the next best one over a stated horizon, with an
interval, and each action's break-even.

Design
------
The unit is the customer's profit run-rate ``P``: its profit after
cost-to-serve over the last window (``recent_profit`` of
:func:`goodwill.decide_customers`, one ``trend_window_days`` window, by
default 365 days), and its revenue ``R`` (deals won and purchases) in the
same window. The horizon ``H`` is one such window ahead; money in it is
discounted to its middle, ``δ = (1 + r)^(−H / 730 days)`` at the annual rate
``r``. Two portfolio rates come from the data, each with a customer-bootstrap
interval:

- retention ``ρ``: of the customers with business (a deal won or a purchase)
  in the window before the last, the share with business in the last;
- return ``q``: of the exits (lost, churned or fired, :func:`goodwill.win_back`
  spells) decided at the horizon — back within ``H``, or followed for all of
  ``H`` without a return — the share back; 0 when the data holds no exits
  (then said so).

The actions' expected profit over the horizon:

- ``keep``: ``ρ·P·δ``;
- ``fire``: ``q·ρ·P·δ / 2`` — served no more, unless it returns on the same
  terms, on average half-way through the horizon; the profit recovered by
  firing is ``fire − keep = −ρ·P·δ·(1 − q/2)``;
- ``reprice``: prices raised by the break-even increase ``x* = max(0, −P/R)``
  with volume unchanged (an assumption, listed): ``ρ·(P + x*·R)·δ``;
- ``invest_in_trust``: its break-even spend is ``ρ·δ·max(0, P_med − P)``,
  the most that pays back if the effort brings the customer to the portfolio's
  median run-rate ``P_med`` (an assumption, listed); at that spend its expected
  profit equals keep's, so it is priced by its break-even, not by a gain.

The recommended action is the one :func:`goodwill.decide_customers` gives;
``gain`` is its expected profit minus that of the best other priced action
(keep, fire, reprice), with the interval from the bootstrap of ``ρ`` and
``q``. The customer's own profit is taken as measured (one window: no
interval can be drawn from it), which the result says.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._columns import invalid
from .evidence import Assumption, Support
from .ledger import Ledger


def _business_windows(led: pd.DataFrame, as_of: float, window: float) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per customer: business in the previous window, in the last, and revenue in the last."""
    biz = led[led["kind"].isin(["deal_won", "purchase"])]
    recent = biz[(biz["time"] > as_of - window) & (biz["time"] <= as_of)]
    previous = biz[(biz["time"] > as_of - 2 * window) & (biz["time"] <= as_of - window)]
    revenue = recent.groupby("customer", observed=True)["amount"].sum()
    return (previous.groupby("customer", observed=True).size() > 0,
            recent.groupby("customer", observed=True).size() > 0, revenue)


def _return_outcomes(ledger: Ledger, horizon: float) -> np.ndarray:
    """One entry per exit spell that is decided at the horizon: True if back
    within it, False if followed for the whole horizon without a return
    (spells censored earlier are left out)."""
    from .relationship.winback import win_back

    spells = win_back(ledger).spells
    if spells is None or len(spells) == 0:
        return np.zeros(0, dtype=bool)
    back = spells["returned"].to_numpy(dtype=bool) & (spells["duration"].to_numpy(dtype=float) <= horizon)
    decided = back | (spells["duration"].to_numpy(dtype=float) >= horizon)
    return back[decided]


def price_recommendations(
    ledger: Ledger,
    decisions: pd.DataFrame | None = None,
    *,
    horizon_days: float = 365.0,
    annual_discount_rate: float = 0.10,
    bootstrap: int = 500,
    level: float = 0.90,
    seed: int = 0,
) -> pd.DataFrame:
    """Price every customer recommendation: expected profit of the action
    against the next best over the horizon, its interval and break-evens.

    Parameters
    ----------
    ledger : Ledger
        The events the decisions were taken on.
    decisions : DataFrame, optional
        :func:`goodwill.decide_customers` of the ledger (computed if omitted).
    horizon_days : float
        The horizon, also the window of the run-rate (default 365 days: the
        decisions' trend window).
    annual_discount_rate : float
        Discount rate per year (default 10%).
    bootstrap : int
        Customer-bootstrap draws for the retention and return intervals.
    level : float
        Interval level (default 90%).
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Indexed by customer: ``action``, ``expected_profit`` (of the action),
        ``next_best``, ``next_best_profit``, ``gain`` with ``gain_lower`` /
        ``gain_upper``, ``run_rate`` (P), ``revenue`` (R),
        ``break_even_price_increase`` (x*, NaN without revenue),
        ``recovered_by_firing`` (net of the return chance),
        ``break_even_trust_spend``, and the ``keep`` / ``fire`` / ``reprice``
        expected profits. ``attrs["support"]`` lists every assumption (horizon,
        discount rate, volume on reprice, the median target of trust
        building, and the profit's own: default margin, cost rates) with the
        share of the result resting on it; ``attrs["rates"]`` holds ρ and q
        with their intervals and counts.

    Examples
    --------
    >>> import goodwill
    >>> m = goodwill.synthetic_market(n_customers=300, years=3, seed=3)
    >>> priced = goodwill.price_recommendations(m.ledger)  # doctest: +SKIP
    >>> priced[["action", "expected_profit", "next_best", "gain", "gain_lower", "gain_upper"]].head()  # doctest: +SKIP
    """
    from .decision import decide_customers

    for name, value, ok in (("horizon_days", horizon_days, np.isfinite(horizon_days) and horizon_days > 0),
                            ("annual_discount_rate", annual_discount_rate,
                             np.isfinite(annual_discount_rate) and annual_discount_rate > -1),
                            ("level", level, 0 < level < 1),
                            ("bootstrap", bootstrap, isinstance(bootstrap, int) and bootstrap >= 10)):
        if not ok:
            raise invalid(name, None, f"is out of range: {value!r}")
    if decisions is None:
        decisions = decide_customers(ledger)
    if "recent_profit" not in decisions.columns or "action" not in decisions.columns:
        raise invalid("decisions", None, "must be goodwill.decide_customers output (action, recent_profit)")
    led = ledger.to_pandas()
    if not len(led):
        raise invalid("ledger", None, "is empty")
    as_of = float(led["time"].max())
    before, after, revenue = _business_windows(led, as_of, horizon_days)
    active = before.index[before.to_numpy()]
    kept = after.reindex(active, fill_value=False).to_numpy(dtype=bool)
    if len(active) < 10:
        raise invalid("ledger", None, f"has {len(active)} customers with business in the window before the last: "
                      "too few to estimate retention")
    rng = np.random.default_rng(seed)
    rho = float(kept.mean())
    # resampling a yes/no column with replacement: its mean is Binomial(n, share) / n
    rho_draws = rng.binomial(len(kept), rho, bootstrap) / len(kept)
    back = _return_outcomes(ledger, horizon_days)
    exits = len(back)
    q = float(back.mean()) if exits else 0.0
    q_draws = rng.binomial(exits, q, bootstrap) / exits if exits else np.zeros(bootstrap)
    delta = (1.0 + annual_discount_rate) ** (-horizon_days / 730.0)

    P = decisions["recent_profit"].to_numpy(dtype=float)
    R = revenue.reindex(decisions.index, fill_value=0.0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_star = np.where(R > 0, np.maximum(0.0, -P / R), np.nan)
    p_med = float(np.median(P))

    def values(r: Any, qq: Any) -> dict[str, Any]:
        keep = r * P * delta
        fire = qq * r * P * delta / 2.0
        reprice = r * (P + np.nan_to_num(x_star) * R) * delta
        return {"keep": keep, "fire": fire, "reprice": reprice}

    point = values(rho, q)
    actions = decisions["action"].astype(str).to_numpy()
    names = ["keep", "fire", "reprice"]

    def gain_of(v: dict[str, Any]) -> tuple[Any, Any, Any]:
        table = np.column_stack([np.broadcast_to(v[k], P.shape) for k in names])
        own = np.where(actions == "invest_in_trust", table[:, 0],
                       table[np.arange(len(P)), [names.index(a) if a in names else 0 for a in actions]])
        others = table.copy()
        for j, k in enumerate(names):
            others[actions == k, j] = -np.inf
        others[actions == "invest_in_trust", 0] = -np.inf  # invest is priced against the others by break-even
        best = others.argmax(axis=1)
        return own, table[np.arange(len(P)), best], np.asarray(names)[best]

    own, nxt, nxt_name = gain_of(point)
    gains = np.empty((bootstrap, len(P)))
    for b in range(bootstrap):
        o, n_, _ = gain_of(values(rho_draws[b], q_draws[b]))
        gains[b] = o - n_
    lo, hi = np.quantile(gains, [(1 - level) / 2, (1 + level) / 2], axis=0)
    out = pd.DataFrame({
        "action": decisions["action"],
        "expected_profit": own,
        "next_best": nxt_name,
        "next_best_profit": nxt,
        "gain": own - nxt,
        "gain_lower": lo,
        "gain_upper": hi,
        "run_rate": P,
        "revenue": R,
        "break_even_price_increase": x_star,
        "recovered_by_firing": point["fire"] - point["keep"],
        "break_even_trust_spend": rho * delta * np.maximum(0.0, p_med - P),
        "keep_profit": point["keep"],
        "fire_profit": point["fire"],
        "reprice_profit": point["reprice"],
    }, index=decisions.index)
    inherited = decisions.attrs.get("support")
    assumptions = [
        Assumption("horizon_days", horizon_days, 1.0, "expected profit"),
        Assumption("annual_discount_rate", annual_discount_rate, 1.0, "expected profit"),
        Assumption("volume unchanged on reprice", True, float(np.mean(actions == "reprice")), "customers"),
        Assumption("trust building reaches the portfolio median run-rate", round(p_med, 2),
                   float(np.mean(actions == "invest_in_trust")), "customers"),
        Assumption("customer's own profit measured in one window (no interval from it)", True, 1.0, "customers"),
    ]
    if inherited is not None:
        assumptions += list(inherited.assumptions)
    partial: tuple[tuple[str, str], ...] = ()
    if not exits:
        partial = (("return after firing", ("not applicable: the data has no lost, churned or fired customers, "
                                            "so the chance of a return is taken as 0")),)
    out.attrs["support"] = Support("price_recommendations", assumptions=tuple(assumptions), partial=partial)
    a_lo, a_hi = np.quantile(rho_draws, [(1 - level) / 2, (1 + level) / 2])
    q_lo, q_hi = np.quantile(q_draws, [(1 - level) / 2, (1 + level) / 2])
    out.attrs["rates"] = pd.DataFrame({
        "estimate": [rho, q], "lower": [a_lo, q_lo], "upper": [a_hi, q_hi], "n": [len(kept), exits],
    }, index=pd.Index(["retention", "return_within_horizon"], name="rate"))
    out.attrs["level"] = level
    out.attrs["horizon_days"] = horizon_days
    out.attrs["annual_discount_rate"] = annual_discount_rate
    return out
