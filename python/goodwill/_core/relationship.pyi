"""Type stubs for goodwill._core.relationship (bindings/register_relationship*.cpp)."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from goodwill._core import Ledger, _pybind11_type

OWNER_WINDOW_DAYS: float

def account_owners(ledger: Ledger, window_days: float = ...) -> dict[str, Any]: ...

SPIRAL_STAGES: tuple[str, ...]
MARGIN_BASES: tuple[str, ...]
SPIRAL_DEFAULTS: dict[str, Any]

def transactional_spiral(
    events: Ledger,
    min_matched_wins: int,
    min_matched_share: float,
    max_margin_trend: float,
    min_concession_depth: float,
    min_bottomed_wins: int,
    max_flat_trend: float,
    max_bottomed_margin: float,
) -> dict[str, npt.NDArray[np.generic]]: ...

DATA_NEED_TABLE: dict[str, list[str]]
ANALYSIS_NEEDS: dict[str, list[str]]

def evidence_profile(events: Ledger) -> dict[str, Any]: ...

FEATURES: tuple[str, ...]
COUNTERS: tuple[str, ...]

class TrustParams(metaclass=_pybind11_type):
    half_life_days: float
    activity_half_life_days: float
    prior_alpha: float
    prior_beta: float
    engagement_saturation: float
    positive: list[float]
    negative: list[float]
    def __init__(self) -> None: ...
    @staticmethod
    def defaults() -> TrustParams: ...
    def validate(self) -> None: ...

class TrustFitOptions(metaclass=_pybind11_type):
    target: str
    split_time: float
    holdout_share: float
    period_days: float
    prior: TrustParams
    weight_prior_scale: float
    log_prior_scale: float
    fit_effort: bool
    fit_half_life: bool
    threads: int
    max_iterations: int
    sample_customers: int
    sample_seed: int
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

TRUST_TARGETS: tuple[str, ...]

class TrustFitResult(metaclass=_pybind11_type):
    @property
    def params(self) -> TrustParams: ...
    @property
    def log_likelihood(self) -> float: ...
    @property
    def log_likelihood_prior(self) -> float: ...
    @property
    def outcomes(self) -> int: ...
    @property
    def customers(self) -> int: ...
    @property
    def sampled_from(self) -> int: ...
    @property
    def events(self) -> int: ...
    @property
    def base_rate(self) -> float: ...
    @property
    def iterations(self) -> int: ...
    @property
    def converged(self) -> bool: ...
    @property
    def target(self) -> str: ...
    def parameter_columns(self) -> dict[str, Any]: ...
    def validation(self) -> dict[str, Any]: ...

def fit_trust(ledger: Ledger, options: TrustFitOptions) -> TrustFitResult: ...
def trust_contributions(
    ledger: Ledger, customer: int, trust: TrustParams, until: float = ...
) -> dict[str, Any]: ...
def effort_profile(ledger: Ledger, until: float = ...) -> dict[str, npt.NDArray[Any]]: ...

class TrustLedgerParams(metaclass=_pybind11_type):
    customers: int
    days: float
    deals_per_year: float
    meetings_per_year: float
    quotes_per_year: float
    referrals_per_year: float
    concession_share: float
    match_share: float
    price_loss_share: float
    null: bool
    seed: int
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def synthetic_trust_ledger(truth: TrustParams, params: TrustLedgerParams) -> Ledger: ...

class RelationshipModel(metaclass=_pybind11_type):
    @staticmethod
    def from_json(text: str) -> RelationshipModel: ...
    def to_json(self) -> str: ...
    @property
    def states(self) -> list[str]: ...
    @property
    def initial(self) -> str: ...
    def replay(
        self,
        ledger: Ledger,
        trust: TrustParams,
        threads: int = 1,
        until: float = ...,
        keep_log: bool = True,
        as_of: float = ...,
    ) -> Replay: ...

class DormancyRule(metaclass=_pybind11_type):
    to: str
    from_: list[str]
    on: list[str]
    cancel_on: list[str]
    days: float
    min_gaps: int
    quantile: float
    min_days: float
    max_days: float
    def __init__(self) -> None: ...


def relationship_selling(dormancy: DormancyRule = ...) -> RelationshipModel: ...

class Replay(metaclass=_pybind11_type):
    @property
    def customers(self) -> int: ...
    @property
    def has_log(self) -> bool: ...
    @property
    def state(self) -> npt.NDArray[np.uint16]: ...
    @property
    def alpha(self) -> npt.NDArray[np.float64]: ...
    @property
    def beta(self) -> npt.NDArray[np.float64]: ...
    @property
    def trust(self) -> npt.NDArray[np.float64]: ...
    @property
    def engagement(self) -> npt.NDArray[np.float64]: ...
    @property
    def loyalty(self) -> npt.NDArray[np.float64]: ...
    @property
    def price_sensitivity(self) -> npt.NDArray[np.float64]: ...
    @property
    def last_time(self) -> npt.NDArray[np.float64]: ...
    @property
    def events(self) -> npt.NDArray[np.uint32]: ...
    @property
    def dormancy_due(self) -> npt.NDArray[np.float64]: ...
    @property
    def as_of(self) -> float: ...
    @property
    def counters(self) -> npt.NDArray[np.uint32]: ...
    def log_columns(self) -> dict[str, npt.NDArray[np.generic]]: ...
    def state_at(self, time: float) -> npt.NDArray[np.uint16]: ...
    def transition_counts(self, start: float, end: float) -> npt.NDArray[np.float64]: ...

def kaplan_meier(
    durations: npt.NDArray[np.float64], observed: npt.NDArray[np.uint8], level: float = 0.95, band: int = 0
) -> dict[str, object]: ...
def win_back_spells(
    replay: Replay, exit_states: Sequence[int], end: float = ..., ledger: Ledger | None = None
) -> dict[str, npt.NDArray[np.generic]]: ...

HEALTH_METRICS: tuple[str, ...]
HEALTH_DEFAULTS: dict[str, Any]

def account_health(
    ledger: Ledger,
    trust: TrustParams,
    start: float,
    end: float,
    trust_lookback_days: float,
    min_deals: int,
    min_groups: int,
    fdr: float,
    level: float,
    threads: int,
) -> dict[str, Any]: ...
def rep_scorecard(
    ledger: Ledger,
    reps: npt.NDArray[np.uint32],
    rep_count: int,
    trust: TrustParams,
    start: float,
    end: float,
    trust_lookback_days: float,
    min_deals: int,
    min_groups: int,
    fdr: float,
    level: float,
) -> dict[str, Any]: ...
