"""Calibrate the synthetic-customer model to an observed ledger.

:func:`calibrate_market` estimates, from a goodwill :class:`Ledger`, the
archetype mix and each archetype's deal frequency, win probability, price
realisation (through the concessions), churn hazard, return share and deal
size. The method is in include/goodwill/synthetic/calibrate.hpp: a mixture
of the five archetypes fitted to the customers' histories by maximum
likelihood (EM), then corrections by simulated moments through the market
generator, and a check of the ledger's summary moments against a fresh
market drawn from the calibrated model, each with its sampling error. The
calibrated :class:`MarketModel` goes to :func:`goodwill.synthetic_market`
and :func:`goodwill.simulate` as ``market=`` (its mix is the calibrated
mix).
"""

from __future__ import annotations

import html
import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _core
from .._columns import invalid, threads_arg
from ..ledger import Ledger
from .market import ARCHETYPES, Market, MarketModel

CALIBRATED_FIELDS: tuple[str, ...] = tuple(_core.synthetic.CALIBRATED_FIELDS)
#: The per-archetype rates of the auxiliary (mixture) fit shown in
#: ``Calibration.auxiliary``: fields of ``_core.synthetic.AuxiliaryFit``
#: (other_per_year: the service issues, promises, referrals and support
#: contacts a year the label check reads, never matched).
_AUX_COLUMNS: tuple[str, ...] = (
    "mix", "customers", "deals_per_year", "win_rate", "realisation", "churn_per_year", "return_rate",
    "log_size", "size_sd", "quote_rate", "purchases_per_year", "meetings_per_year", "other_per_year",
)

__all__ = ["CALIBRATED_FIELDS", "Calibration", "CalibrationWarning", "calibrate_market"]


class CalibrationWarning(UserWarning):
    """calibrate_market could not identify part of the model: a fitted
    archetype's customers do not show that archetype's unfitted event rates
    (``Calibration.identification`` says which, with the figures).

    A pipeline that must not go on with such a model can make it an error
    with ``warnings.simplefilter("error", goodwill.CalibrationWarning)``.

    Examples
    --------
    >>> import goodwill
    >>> issubclass(goodwill.CalibrationWarning, UserWarning)
    True
    >>> goodwill.CalibrationWarning.__module__
    'goodwill.synthetic.calibration'
    """


@dataclass(frozen=True)
class Calibration:
    """The result of :func:`calibrate_market`.

    - ``market``: the calibrated :class:`MarketModel` (``market.mix`` is the
      calibrated mix); pass it as ``market=`` to :func:`goodwill.simulate` or
      :func:`goodwill.synthetic_market`;
    - ``parameters``: one row per archetype: ``mix`` and the fields of
      :data:`CALIBRATED_FIELDS`, with ``<field>_start`` (the start model's
      value) and ``identified`` (enough customers to fit its rates);
    - ``moments``: the ledger's summary moments (``observed``,
      ``observed_se``) against a fresh market drawn from the calibrated model
      (``simulated``, ``simulated_se``), with ``z`` = difference / combined
      standard error;
    - ``auxiliary``: the mixture model fitted by maximum likelihood to the
      ledger (``observed``) and to the returned model's simulated market
      (``simulated``), by archetype; ``separation`` (observed, simulated):
      the mean over customers of their largest posterior component share
      (1: every customer clearly one archetype; 1/5: none told apart);
    - ``chi_square``, ``dof``, ``p_value``: Σ z² over the moments and its
      tail probability (a small p: the model does not reproduce the
      ledger); the z's are correlated (the moments are read off the same
      customers), so the tail is that of Σ λ_j χ²₁ with λ the eigenvalues
      of their correlation matrix (``chi_square_weights``, largest first;
      they sum to ``dof``), not of χ² on ``dof``;
    - ``iterations``, ``max_change``: the simulated-moments corrections run
      and the last one's largest relative change; ``stop_reason``
      (``"converged"``: the gap fell to ``tolerance``; ``"stalled"``: no
      better gap for ``patience`` corrections, or none at the smallest
      step; ``"iterations"``), ``gap``
      (root-mean-square gap of the returned model's simulated auxiliary
      values to the observed ones, in their standard errors) and
      ``best_iteration`` (the correction the returned model comes from);
      on a deals-only ledger ``restarted`` (the corrections stalled more
      than 3 standard errors from the ledger with the simulated markets'
      mixture started from the table, were run again started from the
      ledger's fit, and that run was kept) and ``first_run_gap`` (the first
      run's gap when a second was run, kept or not; NaN otherwise);
      on a deals-only ledger also ``polish_steps`` (the moment-polish steps
      kept after the corrections: undamped steps on the levels the summary
      moments measure, deal frequency, win rate, realisation, deal size
      and its spread, each kept only while it brings the simulated moments
      closer to the ledger's; see option ``polish``) and
      ``corrections_gap`` (the gap before them; ``gap`` is after: the
      polish trades some of the per-archetype fit for the moments', so
      ``gap`` can be the larger);
    - in ``parameters``, per field ``<field>_se`` (standard error on the
      estimation scale: log, logit for probabilities; the bootstrap error of
      its auxiliary value, the gap the corrections leave and, on a ledger
      with every kind of event, the difference between the EM and the
      labelled fit of the calibrated model's market, each divided by
      ``<field>_slope``, that value's estimated slope in the parameter),
      ``<field>_lower``
      and ``<field>_upper`` (the ``level`` interval), ``<field>_fitted`` and
      ``<field>_identified`` (fitted with an interval narrow enough, see
      ``weakly_identified``); ``mix_se``, ``mix_lower``, ``mix_upper``;
    - ``customers``, ``events``, ``start_time``, ``horizon_days``: what was fitted;
    - ``not_fitted``: one sentence per parameter group the ledger cannot
      support (its events are never recorded: a CRM export holds deals
      only), kept at ``start``'s values, naming the assumption; their
      moments have ``fitted`` False and are left out of the chi-square;
    - ``identification``: one sentence per fitted archetype whose label is
      not identified (``parameters['label_identified']`` False): its
      customers' service issues, promises, referrals and support contacts
      a year differ from what that archetype's profile gives them (|z| > 3
      and more than 25%), so the rates calibration does not fit (those,
      deal growth, margins) are another archetype's than theirs; e.g. a
      book of one archetype split over several components. calibrate_market
      warns (:class:`CalibrationWarning`); ``labels_identified`` is False;
      ``parameters['label_z']`` holds each checked component's z;
    - ``deals_only``, ``accounts``, ``streams_per_account``: a ledger of
      deals only whose accounts run deals side by side is fitted per deal
      stream (an account's time-average number of open opportunities), so
      a simulated customer stands for one stream of an account's deals.

    Parameters
    ----------
    market, parameters, moments, auxiliary, separation, chi_square, dof, p_value, chi_square_weights, iterations, max_change, customers, events, start_time, horizon_days, not_fitted, deals_only, accounts, streams_per_account, stop_reason, gap, best_iteration, restarted, first_run_gap, polish_steps, corrections_gap, level, identification
        The fields above; :func:`calibrate_market` builds the result (there
        is no reason to build one by hand).

    Examples
    --------
    >>> import goodwill
    >>> cal = goodwill.calibrate_market(goodwill.synthetic_market(2000, years=3, seed=1).ledger)
    >>> cal.customers, cal.dof, round(sum(cal.mix.values()), 6)
    (2000, 8, 1.0)
    >>> bool((cal.moments["z"].abs() < 3).all()), round(cal.p_value, 2)
    (True, 0.92)
    """

    market: MarketModel
    parameters: pd.DataFrame
    moments: pd.DataFrame
    auxiliary: pd.DataFrame
    separation: tuple[float, float]
    chi_square: float
    dof: int
    p_value: float
    chi_square_weights: tuple[float, ...]
    iterations: int
    max_change: float
    customers: int
    events: int
    start_time: float
    horizon_days: float
    not_fitted: tuple[str, ...] = ()
    deals_only: bool = False
    accounts: int = 0
    streams_per_account: float = 1.0
    stop_reason: str = ""
    gap: float = 0.0
    best_iteration: int = 0
    restarted: bool = False
    first_run_gap: float = math.nan
    polish_steps: int = 0
    corrections_gap: float = math.nan
    level: float = 0.95
    identification: tuple[str, ...] = ()

    @property
    def labels_identified(self) -> bool:
        """False when some fitted archetype's label is not identified (see ``identification``)."""
        return not self.identification

    @property
    def weakly_identified(self) -> list[tuple[str, str]]:
        """(archetype, field) pairs fitted but not identified: their interval's
        half-width on the estimation scale exceeds the option max_half_width."""
        p = self.parameters
        return [
            (str(a), f)
            for f in CALIBRATED_FIELDS
            for a in p.index
            if bool(p.loc[a, f"{f}_fitted"]) and not bool(p.loc[a, f"{f}_identified"])
        ]

    @property
    def mix(self) -> dict[str, float]:
        """The calibrated archetype mix, by name."""
        return dict(zip(ARCHETYPES, (float(w) for w in self.market.mix)))

    @property
    def fits(self) -> bool:
        """True when every moment is within three standard errors and p ≥ 0.01."""
        z = self.moments["z"].to_numpy(dtype=float)
        return bool(np.all(np.abs(z[np.isfinite(z)]) < 3.0) and self.p_value >= 0.01)

    def __repr__(self) -> str:
        return (
            f"<goodwill.Calibration: {self.customers:,} customers, {self.events:,} events, "
            f"{self.horizon_days:.0f} days; chi-square {self.chi_square:.2f} on {self.dof} moments "
            f"(p = {self.p_value:.3g}); {self.iterations} corrections, {self.stop_reason}>"
        )

    def _repr_html_(self) -> str:
        """A notebook summary: the fit, the calibrated parameters and the moments."""
        verdict = "reproduces" if self.fits else "does <b>not</b> reproduce"
        head = (
            f"<b>goodwill.Calibration</b>: {self.customers:,} customers, {self.events:,} events over "
            f"{self.horizon_days:.0f} days. The calibrated model {verdict} the ledger's summary moments: "
            f"chi-square {self.chi_square:.2f} on {self.dof} moments, p = {self.p_value:.3g} "
            f"({self.iterations} simulated-moments corrections, last relative change "
            f"{self.max_change:.2g}; stopped: {self.stop_reason}, gap {self.gap:.2g} standard errors"
            + (
                f"; run a second time with the mixture of the simulated markets started from the "
                f"ledger's fit, the first run having stalled {self.first_run_gap:.2g} standard errors away"
                if self.restarted
                else ""
            )
            + (
                f"; then {self.polish_steps} moment-polish step{'s' if self.polish_steps != 1 else ''} "
                f"on the levels of the summary moments (gap before them {self.corrections_gap:.2g})"
                if self.polish_steps
                else ""
            )
            + ")."
        )
        def fmt(v: float) -> str:
            return f"{v:.4g}"

        # each value with its interval; a value not fitted is the start model's
        p = self.parameters
        shown = pd.DataFrame(index=p.index)
        shown["mix"] = [f"{fmt(v)} [{fmt(lo)}, {fmt(hi)}]"
                        for v, lo, hi in zip(p["mix"], p["mix_lower"], p["mix_upper"])]
        for f in CALIBRATED_FIELDS:
            shown[f] = [
                f"{fmt(v)} [{fmt(lo)}, {fmt(hi)}]" if fitted else f"{fmt(v)} (start)"
                for v, lo, hi, fitted in zip(p[f], p[f"{f}_lower"], p[f"{f}_upper"], p[f"{f}_fitted"])
            ]
        shown["identified"] = p["identified"]
        params: str = shown.to_html(border=0)
        moments: str = self.moments.to_html(float_format=fmt, border=0)
        return (
            f"<div>{head}</div><div><i>calibrated parameters [{round(100 * self.level)}% interval]</i>{params}</div>"
            f"<div><i>moments: observed vs simulated (standard errors)</i>{moments}</div><div><small>"
            + html.escape("Method: include/goodwill/synthetic/calibrate.hpp (mixture MLE, simulated moments).")
            + "".join(f"<br>Not fitted: {html.escape(n)}" for n in self.not_fitted)
            + "".join(f"<br>Not identified: {html.escape(n)}" for n in self.identification)
            + (
                "<br>Weakly identified (wide intervals): "
                + html.escape(", ".join(f"{a} {f}" for a, f in self.weakly_identified))
                if self.weakly_identified
                else ""
            )
            + "</small></div>"
        )

def _num(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise invalid(field, None, f"must be a number, got {value!r}")
    return float(value)


def calibrate_market(
    ledger: Ledger | Market,
    *,
    iterations: int | None = None,
    seed: int | None = None,
    threads: int = 1,
    simulation_factor: float | None = None,
    horizon_days: float | None = None,
    min_customers: float | None = None,
    start: MarketModel | None = None,
    tolerance: float | None = None,
    patience: int | None = None,
    polish: bool | None = None,
    bootstrap: int | None = None,
    level: float | None = None,
    max_half_width: float | None = None,
    em_iterations: int | None = None,
    em_tolerance: float | None = None,
) -> Calibration:
    """Estimate the synthetic market's parameters from an observed ledger.

    Fits the archetype mix and, for each archetype, ``deals_per_year``,
    ``win_prob``, ``concessions`` (the price realisation), ``churn_per_year``,
    ``return_share`` and ``deal_size``: a mixture of the archetypes fitted to
    the customers' deals, wins, proposals, quotes, purchases, meetings, churn
    and returns by maximum likelihood, then corrected by simulated moments
    until markets generated from the model give the same fitted values
    (include/goodwill/synthetic/calibrate.hpp). Every other parameter stays
    at ``start``'s (default :func:`goodwill.market_model`). An archetype with
    fewer than ``min_customers`` effective customers keeps its start rates
    (``parameters['identified']`` is False). Options left ``None`` take the
    C++ defaults (goodwill::calibration_options). The result does not depend
    on ``threads``.

    Parameters
    ----------
    ledger : Ledger or Market
        The observed events (a CRM export read into a Ledger, or a generated
        market). Needs closed deals (deal_won / deal_lost) and priced proposals.
    iterations : int, optional
        Simulated-moments corrections (each generates one market of the
        ledger's size).
    seed : int, optional
        Seed of the simulated markets (the check market uses ``seed + 1``).
    threads : int
        Threads of the market generator, the bootstrap's replicates and the
        mixture fits' passes.
    simulation_factor : float, optional
        Simulated customers per observed customer.
    horizon_days : float, optional
        Length of the observed period (default: the ledger's span).
    min_customers : float, optional
        Effective customers an archetype needs for its rates to be fitted.
    start : MarketModel, optional
        The starting point and all parameters not calibrated.
    tolerance : float, optional
        Converged when the root-mean-square gap between simulated and
        observed auxiliary values, in standard errors, is at most this.
    patience : int, optional
        Stalled when the best gap has not improved for this many corrections.
    polish : bool, optional
        Deals-only ledgers: after the corrections, up to ``patience``
        undamped steps on the levels the summary moments measure, each kept
        only while it brings the simulated moments closer to the ledger's
        (``polish_steps`` in the result). False: the corrections' model as
        it is.
    bootstrap : int, optional
        Bootstrap replicates (customers resampled) behind the standard errors
        and intervals of ``parameters``.
    level : float, optional
        Confidence level of the intervals (``*_lower`` / ``*_upper``).
    max_half_width : float, optional
        A fitted parameter is identified when its interval's half-width on the
        estimation scale (log, or logit for probabilities) is at most this.
    em_iterations : int, optional
        Most EM iterations of each mixture fit (the ledger's and each
        simulated market's).
    em_tolerance : float, optional
        A mixture fit stops when its mean log-likelihood per customer changes
        by less than this.

    Returns
    -------
    Calibration
        ``.market`` for ``simulate(..., market=...)``; ``.parameters``,
        ``.moments`` (observed vs simulated with standard errors, z) and the
        fit's chi-square.

    Raises
    ------
    InvalidInputError
        naming ``ledger`` (no events), ``deals`` (no closed deal),
        ``proposal`` (no priced proposal), ``time`` (no time span) or the bad option.

    Examples
    --------
    >>> import goodwill
    >>> observed = goodwill.synthetic_market(2000, years=3, seed=1).ledger
    >>> cal = goodwill.calibrate_market(observed)
    >>> bool(cal.moments.loc["win_rate", "observed"] > 0)
    True
    >>> _, metrics = goodwill.simulate("trust_builder", customers=200, months=6,
    ...                                ledger=False, market=cal.market)
    """
    if isinstance(ledger, Market):
        ledger = ledger.ledger
    if not isinstance(ledger, Ledger):
        raise invalid("ledger", None, f"must be a goodwill Ledger, got {type(ledger).__name__}")
    opt = _core.synthetic.CalibrationOptions()
    if iterations is not None:
        if isinstance(iterations, bool) or not isinstance(iterations, numbers.Integral):
            raise invalid("iterations", None, f"must be an integer, got {iterations!r}")
        if not 1 <= int(iterations) <= 100:
            raise invalid("iterations", None, f"must be between 1 and 100, got {iterations}")
        opt.iterations = int(iterations)
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= int(seed) < 2**64 - 1:
            raise invalid("seed", None, f"must be an integer in [0, 2^64 - 1), got {seed!r}")
        opt.seed = int(seed)
    opt.threads = threads_arg(threads, 1)
    if simulation_factor is not None:
        opt.simulation_factor = _num(simulation_factor, "simulation_factor")
    if horizon_days is not None:
        h = _num(horizon_days, "horizon_days")
        if not (math.isfinite(h) and h > 0):
            raise invalid("horizon_days", None, f"must be a positive finite number, got {horizon_days!r}")
        opt.horizon_days = h
    if min_customers is not None:
        opt.min_customers = _num(min_customers, "min_customers")
    for name, value in (("tolerance", tolerance), ("level", level), ("max_half_width", max_half_width),
                        ("em_tolerance", em_tolerance)):
        if value is not None:
            setattr(opt, name, _num(value, name))
    for name, count in (("patience", patience), ("bootstrap", bootstrap), ("em_iterations", em_iterations)):
        if count is not None:
            if isinstance(count, bool) or not isinstance(count, numbers.Integral) or not 0 <= int(count) < 2**32:
                raise invalid(name, None, f"must be a non-negative integer, got {count!r}")
            setattr(opt, name, int(count))
    if polish is not None:
        if not isinstance(polish, (bool, np.bool_)):
            raise invalid("polish", None, f"must be True or False, got {polish!r}")
        opt.polish = bool(polish)
    if start is not None:
        if not isinstance(start, _core.synthetic.MarketModel):
            raise invalid("start", None, f"must be a MarketModel, got {type(start).__name__}")
        opt.start = start
    opt.validate()
    r = _core.synthetic._calibrate_market(ledger._core, opt)
    model: MarketModel = r.model
    start_model: MarketModel = r.start
    table = pd.DataFrame(model.archetype_table(), index=pd.Index(list(ARCHETYPES), name="archetype"))
    start_table = pd.DataFrame(start_model.archetype_table(), index=table.index)
    params = pd.DataFrame(index=table.index)
    params["mix"] = list(model.mix)
    params["mix_start"] = list(start_model.mix)
    for f in CALIBRATED_FIELDS:
        params[f] = table[f]
        params[f"{f}_start"] = start_table[f]
    params["identified"] = list(r.identified)
    level = float(opt.level)
    params["mix_se"] = list(r.mix_se)
    params["mix_lower"] = list(r.mix_lower)
    params["mix_upper"] = list(r.mix_upper)
    for j, f in enumerate(CALIBRATED_FIELDS):
        params[f"{f}_se"] = [float(row[j]) for row in r.se]
        params[f"{f}_lower"] = [float(row[j]) for row in r.lower]
        params[f"{f}_upper"] = [float(row[j]) for row in r.upper]
        params[f"{f}_fitted"] = [bool(row[j]) for row in r.fitted]
        params[f"{f}_identified"] = [bool(row[j]) for row in r.field_identified]
        params[f"{f}_slope"] = [float(row[j]) for row in r.slope]
    params["label_identified"] = [bool(x) for x in r.label_identified]
    params["label_z"] = [float(x) for x in r.label_z]
    params["customers"] = list(r.observed.customers)
    moment_columns = ("observed", "observed_se", "simulated", "simulated_se", "z", "fitted")
    moments = pd.DataFrame(
        {c: [getattr(mo, c) for mo in r.moments] for c in moment_columns},
        index=pd.Index([mo.name for mo in r.moments], name="moment"),
    )
    aux = pd.concat(
        {
            "observed": pd.DataFrame({k: getattr(r.observed, k) for k in _AUX_COLUMNS}, index=table.index),
            "simulated": pd.DataFrame({k: getattr(r.simulated, k) for k in _AUX_COLUMNS}, index=table.index),
        },
        names=["fit", "archetype"],
    )
    dof = int(np.isfinite(moments["z"].to_numpy(dtype=float)).sum())
    result = Calibration(
        market=model,
        parameters=params,
        moments=moments,
        auxiliary=aux,
        separation=(float(r.observed.separation), float(r.simulated.separation)),
        chi_square=float(r.chi_square),
        dof=dof,
        p_value=float(r.p_value),
        chi_square_weights=tuple(float(w) for w in r.chi_square_weights),
        iterations=int(r.iterations),
        max_change=float(r.max_change),
        customers=int(r.customers),
        events=int(r.events),
        start_time=float(r.start_time),
        horizon_days=float(r.horizon_days),
        not_fitted=tuple(str(x) for x in r.not_fitted),
        deals_only=bool(r.deals_only),
        accounts=int(r.accounts),
        streams_per_account=float(r.streams_per_account),
        stop_reason=str(r.stop_reason),
        gap=float(r.gap),
        best_iteration=int(r.best_iteration),
        restarted=bool(r.restarted),
        first_run_gap=float(r.first_run_gap),
        polish_steps=int(r.polish_steps),
        corrections_gap=float(r.corrections_gap),
        level=level,
        identification=tuple(str(x) for x in r.identification),
    )
    if result.identification:
        warnings.warn(
            "calibrate_market: archetype labels not identified: " + "; ".join(result.identification),
            CalibrationWarning,
            stacklevel=2,
        )
    return result
