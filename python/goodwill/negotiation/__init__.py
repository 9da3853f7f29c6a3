"""Bilateral negotiation: outcome spaces, utilities, Genius scenarios, bargaining
analysis, alternating-offers sessions (SAO), strategies and batch runs.

Names follow NegMAS where they can: ``OutcomeSpace`` and issues,
``LinearAdditiveUtilityFunction`` (``values``, ``weights``,
``reserved_value``), an SAO-like session with ``n_steps`` rounds (in each
step both parties act once), ``pareto_frontier``, ``nash_point``,
``kalai_smorodinsky_point``. The work happens in C++; Python strategies and
custom utility callables are supported but run at Python speed.
"""

from __future__ import annotations

# The package re-exports every public name goodwill.negotiation had as one
# module (tests/python/test_negotiation_layout.py), including the ones outside
# __all__ (the vocabularies, UtilityFunction, GeniusUtility, Ledger).
from ..ledger import Ledger as Ledger
from ._common import CLOCKS as CLOCKS
from ._common import ISSUE_KINDS as ISSUE_KINDS
from ._common import OFFER_TAGS as OFFER_TAGS
from ._common import STATUSES as STATUSES
from ._common import Issue, Strategy
from .bargaining import (
    BargainingAnalysis,
    bargaining_analysis,
    kalai_smorodinsky_point,
    max_welfare_point,
    nash_point,
    pareto_frontier,
)
from .continuous import ContinuousResult, run_continuous_session
from .elicitation import (
    ElicitationBatchResult,
    ElicitationKeywords,
    ElicitationResult,
    PartialProfile,
    elicitation_batch,
    run_elicitation_session,
)
from .multilateral import (
    RESPONSES as RESPONSES,
)
from .multilateral import (
    RFP_CLOSES as RFP_CLOSES,
)
from .multilateral import (
    RFP_STATUSES as RFP_STATUSES,
)
from .multilateral import (
    MultilateralResult,
    RFPResult,
    run_multilateral_batch,
    run_multilateral_session,
    run_rfp,
    run_rfp_batch,
    search_scenario,
)
from .outcome_space import OutcomeSpace
from .preferences import (
    GeniusUtility as GeniusUtility,
)
from .preferences import (
    HyperRectangleUtilityFunction,
    LinearAdditiveUtilityFunction,
    WeightedUtilityFunction,
    custom_utility,
)
from .preferences import (
    UtilityFunction as UtilityFunction,
)
from .scenario import Scenario, load_genius_scenario, load_genius_utilities
from .session import SessionResult, plot_session, run_batch, run_session
from .strategies import (
    Negotiator,
    alternatives_offerer,
    authority_limited,
    boulware,
    conceder,
    hardliner,
    linear,
    price_matcher,
    python_strategy,
    random_strategy,
    subgame_perfect,
    time_dependent,
    tit_for_tat,
    win_lose_buyer,
)
from .tournament import TOURNAMENT_SCORES as TOURNAMENT_SCORES
from .tournament import TournamentResult, tournament

__all__ = [
    "BargainingAnalysis",
    "ContinuousResult",
    "ElicitationBatchResult",
    "ElicitationKeywords",
    "ElicitationResult",
    "HyperRectangleUtilityFunction",
    "Issue",
    "LinearAdditiveUtilityFunction",
    "MultilateralResult",
    "Negotiator",
    "OutcomeSpace",
    "PartialProfile",
    "RFPResult",
    "Scenario",
    "SessionResult",
    "Strategy",
    "TournamentResult",
    "WeightedUtilityFunction",
    "alternatives_offerer",
    "authority_limited",
    "bargaining_analysis",
    "boulware",
    "conceder",
    "custom_utility",
    "elicitation_batch",
    "hardliner",
    "kalai_smorodinsky_point",
    "linear",
    "load_genius_scenario",
    "load_genius_utilities",
    "max_welfare_point",
    "nash_point",
    "pareto_frontier",
    "plot_session",
    "price_matcher",
    "python_strategy",
    "random_strategy",
    "run_batch",
    "run_continuous_session",
    "run_elicitation_session",
    "run_multilateral_batch",
    "run_multilateral_session",
    "run_rfp",
    "run_rfp_batch",
    "run_session",
    "search_scenario",
    "subgame_perfect",
    "time_dependent",
    "tit_for_tat",
    "tournament",
    "win_lose_buyer",
]
