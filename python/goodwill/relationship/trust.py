"""Trust fitted to a ledger, validated out of sample, and the seller's effort.

:func:`fit_trust` estimates the trust evidence model (``TrustParams``: the
prior mean, the forgetting half-life and a non-negative weight per response
channel, plus the effect of the seller's effort) by maximum likelihood of
each customer's next outcome, and scores it on later outcomes against simple
baselines. :func:`effort` reports the seller's effort per customer, kept
apart from the customer's responses. :func:`synthetic_trust_ledger` draws a
ledger from a known trust model, to check the fit. The model is described in
``include/goodwill/relationship/trust_fit.hpp``.
"""

from __future__ import annotations

import dataclasses
import html
import math
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import invalid, threads_arg
from ..ledger import Ledger
from . import TrustParams

__all__ = ["TrustFit", "effort", "fit_trust", "synthetic_trust_ledger"]

TARGETS: tuple[str, ...] = tuple(_core.relationship.TRUST_TARGETS)
_OPTIONS = _core.relationship.TrustFitOptions()


def _require_ledger(ledger: Any) -> Ledger:
    if not isinstance(ledger, Ledger):
        raise invalid("ledger", None, f"must be a goodwill.Ledger, got {type(ledger).__name__}")
    return ledger


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise invalid(field, None, f"must be a number, got {value!r}")
    return float(value)


def _count(value: Any, field: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < low:
        raise invalid(field, None, f"must be an integer >= {low}, got {value!r}")
    return int(value)


@dataclasses.dataclass(frozen=True)
class TrustValidation:
    """Out-of-sample scores of a trust fit (outcomes at or after ``split_time``).

    ``scores``: log loss, Brier score and AUC of the fitted model and of three
    baselines (``portfolio_rate``, ``customer_rate``, ``defaults``).
    ``reliability``: per model and bin of predicted probability, the count,
    mean prediction and observed rate. ``beats_portfolio``: the fitted log
    loss is below the portfolio rate's by more than 1.645 customer-clustered
    standard errors.
    """

    split_time: float
    outcomes: int
    customers: int
    observed_rate: float
    scores: pd.DataFrame
    reliability: pd.DataFrame
    log_loss_difference: float
    log_loss_difference_se: float
    beats_portfolio: bool

    @property
    def verdict(self) -> str:
        """One line: does the trust history predict better than the portfolio rate?"""
        fitted = float(self.scores["log_loss"].to_numpy()[0])
        base = float(self.scores["log_loss"].to_numpy()[1])
        diff = f"{self.log_loss_difference:+.4f} ± {self.log_loss_difference_se:.4f}"
        if self.beats_portfolio:
            return (
                f"Trust predicts the next outcome better than the portfolio rate on "
                f"{self.outcomes:,} held-out outcomes (log loss {fitted:.4f} vs {base:.4f}, "
                f"difference {diff})"
            )
        return (
            f"Trust does not predict the next outcome better than the portfolio rate on "
            f"{self.outcomes:,} held-out outcomes (log loss {fitted:.4f} vs {base:.4f}, "
            f"difference {diff}): treat per-customer trust as unsupported by this data"
        )


class TrustFit:
    """The result of :func:`fit_trust`.

    Attributes
    ----------
    params : TrustParams
        The fitted parameters; pass them to ``RelationshipModel.replay(trust=...)``.
    parameters : pandas.DataFrame
        One row per fitted parameter: ``side``, ``estimate``, ``std_error``,
        95% ``lower``/``upper``, the ``prior`` value, ``at_bound``, and the
        ``events`` and ``customers`` behind each weight.
    validation : TrustValidation
        Scores on the held-out outcomes against the baselines.

    Parameters
    ----------
    core : goodwill._core.TrustFit
        The compiled result; made by :func:`fit_trust`.

    Examples
    --------
    >>> import goodwill
    >>> fit = goodwill.fit_trust(goodwill.synthetic_trust_ledger(customers=300, seed=1))
    >>> list(fit.validation.scores.index)
    ['fitted', 'portfolio_rate', 'customer_rate', 'defaults']
    >>> bool(fit.params.half_life_days > 0)
    True
    """

    __slots__ = ("_core", "parameters", "params", "validation")

    def __init__(self, core: Any) -> None:
        self._core = core
        self.params = TrustParams._from_core(core.params)
        cols = core.parameter_columns()
        self.parameters = pd.DataFrame(
            {k: cols[k] for k in ("side", "estimate", "std_error", "lower", "upper", "prior", "at_bound", "events", "customers")},
            index=pd.Index(list(cols["name"]), name="parameter"),
        )
        v = core.validation()
        scores = pd.DataFrame(
            [{k: s[k] for k in ("model", "log_loss", "brier", "auc")} for s in v["scores"]]
        ).set_index("model")
        rows = []
        for s in v["scores"]:
            for b in range(10):
                rows.append(
                    {
                        "model": s["model"],
                        "bin": f"[{b / 10:.1f}, {(b + 1) / 10:.1f})",
                        "count": int(s["bin_count"][b]),
                        "predicted": float(s["bin_predicted"][b]),
                        "observed": float(s["bin_observed"][b]),
                    }
                )
        self.validation = TrustValidation(
            split_time=float(v["split_time"]),
            outcomes=int(v["outcomes"]),
            customers=int(v["customers"]),
            observed_rate=float(v["observed_rate"]),
            scores=scores,
            reliability=pd.DataFrame(rows),
            log_loss_difference=float(v["log_loss_difference"]),
            log_loss_difference_se=float(v["log_loss_difference_se"]),
            beats_portfolio=bool(v["beats_portfolio"]),
        )

    @property
    def target(self) -> str:
        """``"deals"`` or ``"purchases"``."""
        return str(self._core.target)

    @property
    def log_likelihood(self) -> float:
        """Log-likelihood of the fit outcomes at the estimate (without the penalty)."""
        return float(self._core.log_likelihood)

    @property
    def log_likelihood_prior(self) -> float:
        """Log-likelihood of the same outcomes at the prior (the starting parameters).

        ``log_likelihood - log_likelihood_prior`` is what fitting gained on the
        training outcomes; ``validation`` says whether it holds out of sample.
        """
        return float(self._core.log_likelihood_prior)

    @property
    def converged(self) -> bool:
        """Whether the optimiser met its tolerance."""
        return bool(self._core.converged)

    @property
    def outcomes(self) -> int:
        """Outcomes before the split (the fit's data)."""
        return int(self._core.outcomes)

    @property
    def customers(self) -> int:
        """Customers with outcomes before the split (in the sample, if one was drawn)."""
        return int(self._core.customers)

    @property
    def sampled_from(self) -> int:
        """Customers the fit's sample was drawn from; 0 if every customer was used."""
        return int(self._core.sampled_from)

    @property
    def effort_effect(self) -> pd.DataFrame:
        """The estimated effects of the seller's effort on trust (rows of ``parameters``)."""
        return self.parameters[self.parameters.index.str.endswith("_effort")]

    def summary(self) -> str:
        """A few lines: the data used, the fit, and the validation verdict."""
        def est(name: str, col: str) -> float:
            return float(self.parameters[col].to_numpy()[self.parameters.index.get_loc(name)])

        lines = [
            (f"fit_trust ({self.target}): {self.outcomes:,} outcomes of {self.customers:,} customers"
            + (f" (a random sample of {self.sampled_from:,})" if self.sampled_from else "")
            + f" before day {self.validation.split_time:g}; base rate {self._core.base_rate:.3f}; "
            f"{'converged' if self.converged else 'NOT converged'} in {self._core.iterations} iterations"),
            (f"prior mean {est('prior_mean', 'estimate'):.3f} "
            f"[{est('prior_mean', 'lower'):.3f}, {est('prior_mean', 'upper'):.3f}], "
            f"half-life {est('half_life_days', 'estimate'):.0f} days "
            f"[{est('half_life_days', 'lower'):.0f}, {est('half_life_days', 'upper'):.0f}]"),
        ]
        for name, row in self.effort_effect.iterrows():
            lines.append(
                f"{name}: {row['estimate']:.3f} [{row['lower']:.3f}, {row['upper']:.3f}] "
                f"({row['events']:,} events)"
            )
        lines.append(self.validation.verdict)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<TrustFit {self.target}: {self.outcomes:,} outcomes; {self.validation.verdict}>"

    def _repr_html_(self) -> str:
        rows = "".join(f"<li>{html.escape(line)}</li>" for line in self.summary().splitlines())
        return f"<div><strong>goodwill.TrustFit</strong><ul>{rows}</ul></div>"


def fit_trust(
    ledger: Ledger,
    target: str = "deals",
    split_time: float | None = None,
    *,
    prior: TrustParams | None = None,
    holdout_share: float = _OPTIONS.holdout_share,
    period_days: float = _OPTIONS.period_days,
    weight_prior_scale: float = _OPTIONS.weight_prior_scale,
    log_prior_scale: float = _OPTIONS.log_prior_scale,
    fit_effort: bool = _OPTIONS.fit_effort,
    fit_half_life: bool = _OPTIONS.fit_half_life,
    threads: int = _OPTIONS.threads,
    max_iterations: int = _OPTIONS.max_iterations,
    sample_customers: int | None = None,
    sample_seed: int = _OPTIONS.sample_seed,
) -> TrustFit:
    """Fit trust to a ledger by maximum likelihood of each customer's next outcome.

    Trust just before an outcome is the predicted probability of success:
    ``target="deals"`` predicts each decided deal (won 1, lost 0);
    ``target="purchases"`` predicts, per period of ``period_days`` from the
    customer's first event, whether it holds a purchase. The prior mean, the
    half-life and a non-negative weight per response channel (and the effect
    of the seller's trust-building, transactional and failed effort) are
    fitted; outcomes at or after ``split_time`` are held out and scored.

    Parameters
    ----------
    ledger : Ledger
        The events.
    target : {"deals", "purchases"}
        What to predict.
    split_time : float, optional
        Outcomes at or after this time are held out. Default: the time before
        which ``1 - holdout_share`` of the outcomes fall.
    prior : TrustParams, optional
        Starting point and centre of the weak penalty (default: the defaults).
    holdout_share, period_days, weight_prior_scale, log_prior_scale, fit_effort, fit_half_life, threads, max_iterations
        See ``goodwill._core.relationship.TrustFitOptions`` (trust_fit.hpp); results are
        identical for any ``threads``.
    sample_customers : int, optional
        Fit and validate on a random sample of at most this many customers
        (those with outcomes of the target), drawn with ``sample_seed``; the
        same sample for any ``threads``. None: every customer. The parameters
        are the portfolio's, so 10^5 customers pin them down; the intervals
        widen accordingly. ``TrustFit.sampled_from`` says how many customers
        the sample was drawn from.
    sample_seed : int
        Seed of the sample.

    Returns
    -------
    TrustFit
        Fitted ``params`` (for ``replay``), ``parameters`` with intervals, and
        ``validation`` against the baselines.

    Raises
    ------
    InvalidInputError
        The ledger holds no outcome of the target, only one customer has
        outcomes, or ``split_time`` leaves no outcome on one side.

    Examples
    --------
    >>> import goodwill
    >>> led = goodwill.synthetic_trust_ledger(customers=300, seed=1)
    >>> fit = goodwill.fit_trust(led)
    >>> bool(fit.parameters.loc["lost_on_price", "estimate"] > 0)
    True
    """
    led = _require_ledger(ledger)
    opt = _core.relationship.TrustFitOptions()
    if target not in TARGETS:
        raise invalid("target", None, f"unknown target {target!r}; known: {', '.join(TARGETS)}")
    opt.target = target
    if split_time is not None:
        t = _number(split_time, "split_time")
        if not math.isfinite(t):
            raise invalid("split_time", None, f"must be finite, got {split_time!r}")
        opt.split_time = t
    opt.prior = (prior if prior is not None else TrustParams())._core()
    opt.holdout_share = _number(holdout_share, "holdout_share")
    opt.period_days = _number(period_days, "period_days")
    opt.weight_prior_scale = _number(weight_prior_scale, "weight_prior_scale")
    opt.log_prior_scale = _number(log_prior_scale, "log_prior_scale")
    opt.fit_effort = bool(fit_effort)
    opt.fit_half_life = bool(fit_half_life)
    opt.threads = threads_arg(threads)
    opt.max_iterations = _count(max_iterations, "max_iterations", 1)
    if sample_customers is not None:
        opt.sample_customers = _count(sample_customers, "sample_customers", 2)
    opt.sample_seed = _count(sample_seed, "sample_seed", 0)
    return TrustFit(_core.relationship.fit_trust(led._core, opt))


def effort(ledger: Ledger, until: float | None = None) -> pd.DataFrame:
    """The seller's effort per customer, by class, kept apart from responses.

    Parameters
    ----------
    ledger : Ledger
    until : float, optional
        Only events at or before this time.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer: ``<class>_events`` and ``<class>_hours`` for the
        classes trust_building, transactional, other and failure (hours only
        where the ledger records hours), ``responses``, and
        ``trust_building_share`` (trust-building / (trust-building +
        transactional) events) and ``trust_building_hours_share``; NaN where
        there is no such effort.

    Examples
    --------
    >>> import goodwill
    >>> led = goodwill.Ledger({"customer": ["a", "a", "a"], "time": [0.0, 1.0, 2.0],
    ...                        "kind": ["meeting", "price_match", "deal_won"],
    ...                        "amount": [2.0, 90.0, 100.0]})
    >>> float(goodwill.effort(led).loc["a", "trust_building_share"])
    0.5
    """
    led = _require_ledger(ledger)
    cut = math.inf if until is None else _number(until, "until")
    cols = _core.relationship.effort_profile(led._core, cut)
    return pd.DataFrame({k: np.asarray(v) for k, v in cols.items()}, index=pd.Index(led.customers, name="customer"))


def synthetic_trust_ledger(
    truth: TrustParams | None = None,
    *,
    customers: int = 1000,
    days: float = 730.0,
    null: bool = False,
    seed: int = 1,
    **rates: float,
) -> Ledger:
    """A ledger whose deal outcomes are drawn from a known trust model.

    Each deal is won with probability trust just before it under ``truth``
    (``null=True``: with the prior mean, whatever the history). Use it to
    check :func:`fit_trust` recovers what was planted.

    Parameters
    ----------
    truth : TrustParams, optional
        The true parameters (default: the defaults).
    customers, days, null, seed
        Size, span, no-signal switch, seed.
    **rates
        ``deals_per_year``, ``meetings_per_year``, ``quotes_per_year``,
        ``referrals_per_year``, ``concession_share``, ``match_share``,
        ``price_loss_share`` (see ``_core.relationship.TrustLedgerParams``).

    Returns
    -------
    Ledger
        The drawn events (meetings, quotes, concessions, matches, referrals,
        deals won and lost), customers keyed 0 .. customers − 1.

    Examples
    --------
    >>> import goodwill
    >>> goodwill.synthetic_trust_ledger(customers=50, seed=2)
    <goodwill.Ledger: 1,675 events, 50 customers>
    """
    p = _core.relationship.TrustLedgerParams()
    p.customers = _count(customers, "customers", 1)
    p.days = _number(days, "days")
    p.null = bool(null)
    p.seed = _count(seed, "seed")
    for name, value in rates.items():
        if not hasattr(p, name) or name in ("customers", "days", "null", "seed"):
            raise invalid(name, None, "unknown rate; known: deals_per_year, meetings_per_year, "
                          "quotes_per_year, referrals_per_year, concession_share, match_share, "
                          "price_loss_share")
        setattr(p, name, _number(value, name))
    core = _core.relationship.synthetic_trust_ledger((truth if truth is not None else TrustParams())._core(), p)
    out = Ledger.__new__(Ledger)
    out._core = core
    return out
