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

from . import decision, evidence, io, negotiation, simulation, utils
from . import decision as decide
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
from .btyd import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
    ShiftedBetaGeoFitter,
    beta_geometric_nbd_model,
)
from .event import EVIDENCE_CHANNELS, event_kinds, evidence_channels
from .health import HEALTH_METRICS, Health, account_health, rep_scorecard
from .decision import (
    CustomerThresholds,
    DealDecision,
    DealThresholds,
    decide_customers,
    decide_deal,
    decide_deals,
)
from .evidence import (
    Assumption,
    DataWarning,
    EvidenceProfile,
    Support,
    evidence_profile,
    support_of,
)
from .ledger import Ledger
from .market import ARCHETYPES, Market, synthetic_market
from .markov import ConfidenceIntervals, MarkovChain
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
from .profitability import CostRates, WhaleCurve, plot_whale_curve, profitability, whale_curve
from .relationship import RelationshipModel, Replay, TrustParams, account_owners, relationship_selling
from .report import report
from .simulation import POLICIES, SellerPolicy, compare_policies, plot_policy_comparison, simulate
from .spiral import transactional_spiral
from .trust import TrustFit, effort, fit_trust, synthetic_trust_ledger
from .utils import (
    calibration_and_holdout_data,
    expected_cumulative_transactions,
    summary_data_from_ledger,
    summary_data_from_transaction_data,
)
from .winback import SurvivalCurve, kaplan_meier, win_back

__version__: str = _core.__version__

__all__ = [
    "ARCHETYPES",
    "EVENT_KINDS",
    "HEALTH_METRICS",
    "Health",
    "EVIDENCE_CHANNELS",
    "LEAD_SOURCES",
    "LOSS_REASONS",
    "MARGIN_UNKNOWN",
    "POLICIES",
    "Assumption",
    "BetaGeoBetaBinomFitter",
    "BetaGeoFitter",
    "ConfidenceIntervals",
    "CostRates",
    "CustomerThresholds",
    "DataWarning",
    "DealDecision",
    "DealThresholds",
    "EvidenceProfile",
    "GammaGammaFitter",
    "ModifiedBetaGeoFitter",
    "GoodwillError",
    "InvalidInputError",
    "InvalidStateError",
    "InvalidTransitionError",
    "Ledger",
    "LinearAdditiveUtilityFunction",
    "Market",
    "MarkovChain",
    "NotFittedError",
    "NumericalError",
    "OutcomeSpace",
    "ParetoNBDFitter",
    "ShiftedBetaGeoFitter",
    "RelationshipModel",
    "Replay",
    "Scenario",
    "SellerPolicy",
    "Support",
    "SurvivalCurve",
    "TrustFit",
    "TrustParams",
    "WhaleCurve",
    "account_owners",
    "__version__",
    "account_health",
    "beta_geometric_nbd_model",
    "calibration_and_holdout_data",
    "compare_policies",
    "decide",
    "decide_customers",
    "decide_deal",
    "decide_deals",
    "effort",
    "event_kinds",
    "evidence_channels",
    "fit_trust",
    "decision",
    "evidence",
    "evidence_profile",
    "expected_cumulative_transactions",
    "io",
    "kalai_smorodinsky_point",
    "kaplan_meier",
    "load_genius_scenario",
    "nash_point",
    "negotiation",
    "pareto_frontier",
    "plot_policy_comparison",
    "plot_whale_curve",
    "profitability",
    "relationship_selling",
    "rep_scorecard",
    "report",
    "run_batch",
    "run_session",
    "simulate",
    "simulation",
    "summary_data_from_ledger",
    "synthetic_trust_ledger",
    "summary_data_from_transaction_data",
    "support_of",
    "synthetic_market",
    "transactional_spiral",
    "utils",
    "whale_curve",
    "win_back",
]
