"""goodwill: customers, sales negotiations and relationship states.

The compiled core lives in ``goodwill._core``; this package is the thin,
pandas-speaking layer over it.
"""

from __future__ import annotations

try:
    from . import _core
except ImportError as _exc:  # pragma: no cover - exercised only on broken installs
    raise ImportError(
        "goodwill's compiled core (goodwill._core) could not be imported: "
        f"{_exc}. Build and install it from a source checkout with "
        "`pip install .` (or `pip install -e .` while developing; `make demo` "
        "installs every dependency first). It needs a C++20 compiler, CMake, "
        "Eigen 3 and pybind11."
    ) from _exc

# the old module names (goodwill.btyd, goodwill.trust, goodwill.simulation, ...)
# are the modules of goodwill.value, goodwill.relationship and goodwill.synthetic;
# importing them here, before the function profitability is bound, keeps
# goodwill.profitability the function
from . import (  # noqa: F401
    btyd,
    calibration,
    decision,
    evidence,
    health,
    io,
    market,
    markov,
    negotiation,
    simulation,
    spiral,
    synthetic,
    trust,
    utils,
    value,
    winback,
)
from . import profitability as _profitability_module  # noqa: F401
from ._core import (
    EVENT_KINDS,
    LEAD_SOURCES,
    LOSS_REASONS,
    MARGIN_UNKNOWN,
    GoodwillError,
    InvalidInputError,
    InvalidStateError,
    InvalidTransitionError,
    NotFittedError,
    NumericalError,
)
from .decision import (
    CustomerThresholds,
    DealDecision,
    DealThresholds,
    decide_customers,
    decide_deal,
    decide_deals,
)
from .event import EVIDENCE_CHANNELS, event_kinds, evidence_channels
from .evidence import (
    Assumption,
    DataWarning,
    EvidenceProfile,
    Support,
    evidence_profile,
    support_of,
)
from .ledger import Ledger
from .negotiation import (
    LinearAdditiveUtilityFunction,
    OutcomeSpace,
    Scenario,
    kalai_smorodinsky_point,
    load_genius_scenario,
    nash_point,
    pareto_frontier,
    run_batch,
    run_session,
)
from .pipeline import (
    PIPELINE_ACTIONS,
    Pipeline,
    PipelineSettings,
    PipelineValidation,
    open_pipeline,
)
from .pricing import price_recommendations
from .relationship import (
    RelationshipModel,
    Replay,
    TrustParams,
    account_owners,
    relationship_selling,
)
from .relationship.health import HEALTH_METRICS, Health, account_health, rep_scorecard
from .relationship.spiral import transactional_spiral
from .relationship.trust import TrustFit, effort, fit_trust, synthetic_trust_ledger
from .relationship.winback import SurvivalCurve, kaplan_meier, win_back
from .report import report
from .synthetic.calibration import Calibration, CalibrationWarning, calibrate_market
from .synthetic.market import (
    ARCHETYPES,
    MECHANISMS,
    Market,
    MarketModel,
    archetype_table,
    market_model,
    synthetic_market,
)
from .synthetic.simulation import (
    POLICIES,
    SellerPolicy,
    Simulation,
    compare_policies,
    explain_policies,
    plot_policy_comparison,
    simulate,
)
from .utils import (
    calibration_and_holdout_data,
    expected_cumulative_transactions,
    summary_data_from_ledger,
    summary_data_from_transaction_data,
)
from .value.btyd import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    ConvergenceWarning,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
    ShiftedBetaGeoFitter,
    beta_geometric_nbd_model,
)
from .value.markov import ConfidenceIntervals, MarkovChain
from .value.profitability import CostRates, WhaleCurve, plot_whale_curve, profitability, whale_curve

__version__: str = _core.__version__


def _document_errors() -> None:
    """Add an example to the docstrings of the compiled exception classes.

    The classes are made in ``bindings/register_error.cpp`` with a one-line
    docstring; ``help()`` shows the example below it.
    """
    examples = {
        GoodwillError: """
    Every error goodwill raises is one: input errors are also ``ValueError``
    (:class:`InvalidInputError`, :class:`InvalidStateError`,
    :class:`InvalidTransitionError`), failures of state or numerics also
    ``RuntimeError`` (:class:`NotFittedError`, :class:`NumericalError`).

    Examples
    --------
    >>> import goodwill
    >>> try:
    ...     goodwill.MarkovChain().transition_matrix
    ... except goodwill.GoodwillError as e:
    ...     print(type(e).__name__, isinstance(e, RuntimeError))
    NotFittedError True
    """,
        InvalidInputError: """
    Examples
    --------
    >>> import goodwill
    >>> try:
    ...     goodwill.Ledger({"customer": [1, 1], "time": [0.0, float("nan")],
    ...                      "kind": ["meeting", "meeting"], "amount": [1.0, 1.0]})
    ... except goodwill.InvalidInputError as e:
    ...     print(e.field, e.row, isinstance(e, ValueError))
    time 1 True
    """,
        InvalidStateError: """
    Examples
    --------
    >>> import goodwill
    >>> try:
    ...     goodwill.RelationshipModel.from_dict({"states": ["a", "b"], "initial": "c",
    ...                                           "transitions": []})
    ... except goodwill.InvalidStateError as e:
    ...     print(isinstance(e, ValueError))
    True
    """,
        InvalidTransitionError: """
    A kind of :class:`InvalidStateError`, so one ``except`` catches both.

    Examples
    --------
    >>> import goodwill
    >>> issubclass(goodwill.InvalidTransitionError, goodwill.InvalidStateError)
    True
    """,
        NotFittedError: """
    Examples
    --------
    >>> import goodwill
    >>> try:
    ...     goodwill.MarkovChain().steady_states()
    ... except goodwill.NotFittedError as e:
    ...     print(e)
    this MarkovChain has no transition matrix: give one or call fit()
    """,
        NumericalError: """
    Raised when a fit or a computation cannot reach a finite answer; also a
    ``RuntimeError``.

    Examples
    --------
    >>> import goodwill
    >>> issubclass(goodwill.NumericalError, (goodwill.GoodwillError, RuntimeError))
    True
    """,
    }
    for cls, extra in examples.items():
        if "Examples" not in (cls.__doc__ or ""):
            cls.__doc__ = (cls.__doc__ or "").rstrip() + "\n" + extra


_document_errors()

__all__ = [
    "ARCHETYPES",
    "EVENT_KINDS",
    "EVIDENCE_CHANNELS",
    "HEALTH_METRICS",
    "LEAD_SOURCES",
    "LOSS_REASONS",
    "MARGIN_UNKNOWN",
    "MECHANISMS",
    "PIPELINE_ACTIONS",
    "POLICIES",
    "Assumption",
    "BetaGeoBetaBinomFitter",
    "BetaGeoFitter",
    "Calibration",
    "CalibrationWarning",
    "ConfidenceIntervals",
    "ConvergenceWarning",
    "CostRates",
    "CustomerThresholds",
    "DataWarning",
    "DealDecision",
    "DealThresholds",
    "EvidenceProfile",
    "GammaGammaFitter",
    "GoodwillError",
    "Health",
    "InvalidInputError",
    "InvalidStateError",
    "InvalidTransitionError",
    "Ledger",
    "LinearAdditiveUtilityFunction",
    "Market",
    "MarketModel",
    "MarkovChain",
    "ModifiedBetaGeoFitter",
    "NotFittedError",
    "NumericalError",
    "OutcomeSpace",
    "ParetoNBDFitter",
    "Pipeline",
    "PipelineSettings",
    "PipelineValidation",
    "RelationshipModel",
    "Replay",
    "Scenario",
    "SellerPolicy",
    "ShiftedBetaGeoFitter",
    "Simulation",
    "Support",
    "SurvivalCurve",
    "TrustFit",
    "TrustParams",
    "WhaleCurve",
    "__version__",
    "account_health",
    "account_owners",
    "archetype_table",
    "beta_geometric_nbd_model",
    "calibrate_market",
    "calibration_and_holdout_data",
    "compare_policies",
    "decide_customers",
    "decide_deal",
    "decide_deals",
    "decision",
    "effort",
    "event_kinds",
    "evidence",
    "evidence_channels",
    "evidence_profile",
    "expected_cumulative_transactions",
    "explain_policies",
    "fit_trust",
    "io",
    "kalai_smorodinsky_point",
    "kaplan_meier",
    "load_genius_scenario",
    "market_model",
    "nash_point",
    "negotiation",
    "open_pipeline",
    "pareto_frontier",
    "plot_policy_comparison",
    "plot_whale_curve",
    "price_recommendations",
    "profitability",
    "relationship_selling",
    "rep_scorecard",
    "report",
    "run_batch",
    "run_session",
    "simulate",
    "simulation",
    "summary_data_from_ledger",
    "summary_data_from_transaction_data",
    "support_of",
    "synthetic",
    "synthetic_market",
    "synthetic_trust_ledger",
    "transactional_spiral",
    "utils",
    "value",
    "whale_curve",
    "win_back",
]


def __getattr__(name: str) -> object:
    # goodwill.decide was a second name of goodwill.decision; one name now
    if name == "decide":
        import warnings

        warnings.warn("goodwill.decide is goodwill.decision", DeprecationWarning, stacklevel=2)
        return decision
    raise AttributeError(f"module 'goodwill' has no attribute {name!r}")
