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
from .ledger import Ledger
from .spiral import transactional_spiral
from .relationship import RelationshipModel, Replay, TrustParams, relationship_selling
from .market import ARCHETYPES, Market, synthetic_market
from .report import report
from . import io
from . import negotiation
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
from .markov import ConfidenceIntervals, MarkovChain
from .winback import SurvivalCurve, kaplan_meier, win_back
from . import utils
from .btyd import (
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ParetoNBDFitter,
    beta_geometric_nbd_model,
)
from .utils import calibration_and_holdout_data, summary_data_from_ledger, summary_data_from_transaction_data
from . import decision
from . import decision as decide
from .decision import CustomerThresholds, DealDecision, DealThresholds, decide_customers, decide_deal, decide_deals
from . import simulation
from .simulation import POLICIES, SellerPolicy, compare_policies, plot_policy_comparison, simulate

__version__: str = _core.__version__

__all__ = [
    "ARCHETYPES",
    "ConfidenceIntervals",
    "CustomerThresholds",
    "DealDecision",
    "DealThresholds",
    "CostRates",
    "BetaGeoBetaBinomFitter",
    "BetaGeoFitter",
    "GammaGammaFitter",
    "ParetoNBDFitter",
    "EVENT_KINDS",
    "LEAD_SOURCES",
    "LOSS_REASONS",
    "MARGIN_UNKNOWN",
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
    "POLICIES",
    "SellerPolicy",
    "OutcomeSpace",
    "RelationshipModel",
    "SurvivalCurve",
    "Replay",
    "Scenario",
    "TrustParams",
    "WhaleCurve",
    "__version__",
    "compare_policies",
    "decide",
    "decide_customers",
    "decide_deal",
    "decide_deals",
    "decision",
    "io",
    "kalai_smorodinsky_point",
    "load_genius_scenario",
    "nash_point",
    "negotiation",
    "pareto_frontier",
    "run_batch",
    "run_session",
    "kaplan_meier",
    "plot_policy_comparison",
    "plot_whale_curve",
    "profitability",
    "beta_geometric_nbd_model",
    "calibration_and_holdout_data",
    "summary_data_from_ledger",
    "summary_data_from_transaction_data",
    "utils",
    "transactional_spiral",
    "relationship_selling",
    "simulate",
    "simulation",
    "report",
    "synthetic_market",
    "whale_curve",
    "win_back",
]
