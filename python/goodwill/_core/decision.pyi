"""Type stubs for goodwill._core.decision (bindings/register_decision.cpp)."""

import numpy as np
import numpy.typing as npt
from goodwill._core import Ledger, _pybind11_type
from goodwill._core.value import CostRates

# decision.hpp
DEAL_ACTIONS: tuple[str, ...]
CUSTOMER_ACTIONS: tuple[str, ...]

class DealThresholds(metaclass=_pybind11_type):
    spiral_trust: float
    spiral_matches: int
    late_time: float
    accept_time: float
    concession_exponent: float
    invest_trust: float
    invest_share: float
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

class CustomerThresholds(metaclass=_pybind11_type):
    min_profit: float
    min_improvement: float
    low_trust: float
    min_meetings: float
    min_discovery_hours: float
    min_kept_promises: float
    effort_window_days: float
    trend_window_days: float
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def decide_deals(
    floor_price: npt.NDArray[np.float64],
    list_price: npt.NDArray[np.float64],
    our_price: npt.NDArray[np.float64],
    offer: npt.NDArray[np.float64],
    previous_offer: npt.NDArray[np.float64],
    relative_time: npt.NDArray[np.float64],
    trust: npt.NDArray[np.float64],
    customer_value: npt.NDArray[np.float64],
    competitor_quote: npt.NDArray[np.float64],
    scope_cut: npt.NDArray[np.float64],
    price_matches: npt.NDArray[np.uint32],
    alternatives_offered: npt.NDArray[np.uint8],
    thresholds: DealThresholds,
) -> dict[str, object]: ...
def gather_evidence(
    events: Ledger, as_of: float, thresholds: CustomerThresholds, rates: CostRates
) -> dict[str, npt.NDArray[np.float64]]: ...
def decide_customers(
    profit: npt.NDArray[np.float64],
    profit_trend: npt.NDArray[np.float64],
    trust: npt.NDArray[np.float64],
    meetings: npt.NDArray[np.float64],
    discovery_hours: npt.NDArray[np.float64],
    promises_kept: npt.NDArray[np.float64],
    thresholds: CustomerThresholds,
) -> dict[str, object]: ...
