"""Type stubs for goodwill's compiled core (bindings/*.cpp)."""

from collections.abc import Sequence
from typing import Any, Callable, Protocol, overload

import numpy as np
import numpy.typing as npt
from typing_extensions import TypeAlias

class _pybind11_type(type):
    """The metaclass of every class bound with pybind11.

    At runtime it is ``pybind11_builtins.pybind11_type``, a module that has no
    stub; this stand-in (private, so stubtest does not look for it at
    runtime) lets stubtest see that the bound classes have a metaclass of
    their own.
    """

__version__: str

EVENT_KINDS: tuple[str, ...]
LOSS_REASONS: tuple[str, ...]
EVENT_ROLES: tuple[str, ...]
EFFORT_CLASSES: tuple[str, ...]
EVENT_KIND_TABLE: dict[str, list[Any]]
EVIDENCE_CHANNELS: tuple[str, ...]
EVIDENCE_CHANNEL_TABLE: dict[str, list[str]]
LEAD_SOURCES: tuple[str, ...]
MARGIN_UNKNOWN: int
NO_REP: int
OWNER_WINDOW_DAYS: float
ARCHETYPES: tuple[str, ...]

class GoodwillError(Exception):
    field: str | None
    row: int | None

class InvalidInputError(GoodwillError, ValueError): ...
class InvalidStateError(GoodwillError, ValueError): ...
class InvalidTransitionError(InvalidStateError): ...
class NotFittedError(GoodwillError, RuntimeError): ...
class NumericalError(GoodwillError, RuntimeError): ...

class Ledger(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    def __len__(self) -> int: ...
    @property
    def customer_count(self) -> int: ...
    @property
    def key_kind(self) -> str: ...
    def _append_dense(
        self,
        customers: npt.NDArray[np.uint32],
        times: npt.NDArray[np.float64],
        kinds: npt.NDArray[np.uint8],
        amounts: npt.NDArray[np.float64] | None = None,
        details: npt.NDArray[np.int32] | None = None,
        reps: npt.NDArray[np.uint32] | None = None,
    ) -> None: ...
    def _append_int_rows(
        self,
        keys: npt.NDArray[np.int64],
        times: npt.NDArray[np.float64],
        kinds: npt.NDArray[np.uint8],
        amounts: npt.NDArray[np.float64] | None = None,
        details: npt.NDArray[np.int32] | None = None,
        reps: npt.NDArray[np.uint32] | None = None,
    ) -> None: ...
    def _append_int_keys(
        self,
        keys: npt.NDArray[np.int64],
        codes: npt.NDArray[np.int64],
        times: npt.NDArray[np.float64],
        kinds: npt.NDArray[np.uint8],
        amounts: npt.NDArray[np.float64] | None = None,
        details: npt.NDArray[np.int32] | None = None,
        reps: npt.NDArray[np.uint32] | None = None,
    ) -> None: ...
    def _append_str_keys(
        self,
        keys: list[str],
        codes: npt.NDArray[np.int64],
        times: npt.NDArray[np.float64],
        kinds: npt.NDArray[np.uint8],
        amounts: npt.NDArray[np.float64] | None = None,
        details: npt.NDArray[np.int32] | None = None,
        reps: npt.NDArray[np.uint32] | None = None,
    ) -> None: ...
    @property
    def customer(self) -> npt.NDArray[np.uint32]: ...
    @property
    def time(self) -> npt.NDArray[np.float64]: ...
    @property
    def kind(self) -> npt.NDArray[np.uint8]: ...
    @property
    def amount(self) -> npt.NDArray[np.float64]: ...
    @property
    def detail(self) -> npt.NDArray[np.int32]: ...
    @property
    def rep(self) -> npt.NDArray[np.uint32]: ...
    @property
    def rep_names(self) -> list[str]: ...
    @property
    def rep_count(self) -> int: ...
    @property
    def has_reps(self) -> bool: ...
    def _intern_reps(self, names: Sequence[str]) -> npt.NDArray[np.uint32]: ...
    def _discard_reps_from(self, first: int) -> None: ...
    @property
    def integer_keys(self) -> npt.NDArray[np.int64]: ...
    @property
    def string_keys(self) -> list[str]: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: str) -> None: ...
    @staticmethod
    def load(path: str) -> Ledger: ...
    def _intern_int_keys(self, keys: npt.NDArray[np.int64]) -> None: ...
    def _intern_str_keys(self, keys: Sequence[str]) -> None: ...
    @staticmethod
    def from_bytes(data: bytes) -> Ledger: ...

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

class MarketParams(metaclass=_pybind11_type):
    customers: int
    horizon_days: float
    seed: int
    model: MarketModel
    mix: list[float]
    start_time: float
    threads: int
    first_customer: int
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def _generate_market(
    params: MarketParams,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Ledger, npt.NDArray[np.uint8]]: ...

MECHANISMS: tuple[str, ...]
MODEL_FIELDS: tuple[str, ...]

class MarketModel(metaclass=_pybind11_type):
    mix: list[float]
    def __init__(self) -> None: ...
    def copy(self) -> MarketModel: ...
    def archetype_table(self) -> dict[str, list[float]]: ...
    def set_archetype(self, archetype: str, field: str, value: float) -> None: ...
    def get(self, name: str) -> float: ...
    def set(self, name: str, value: float) -> None: ...
    def mechanism(self, name: str) -> bool: ...
    def set_mechanism(self, name: str, on: bool) -> None: ...
    def channel(self, name: str) -> dict[str, Any]: ...
    def set_channel(self, name: str, field: str, value: float) -> None: ...
    def validate(self) -> None: ...

CALIBRATED_FIELDS: tuple[str, ...]

class CalibrationOptions(metaclass=_pybind11_type):
    iterations: int
    tolerance: float
    patience: int
    bootstrap: int
    level: float
    max_half_width: float
    simulation_factor: float
    seed: int
    threads: int
    em_iterations: int
    em_tolerance: float
    min_customers: float
    horizon_days: float
    start: MarketModel
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def _calibrate_market(ledger: Ledger, options: CalibrationOptions) -> dict[str, Any]: ...

class _TestingModule(Protocol):
    """The submodule ``_core._testing`` (hooks for goodwill's own tests)."""

    def throw_error(self, kind: str, message: str, field: str = "", row: int = -1) -> None: ...

_testing: _TestingModule

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

# ---- negotiation (bindings/register_negotiation.cpp) ---------------------------

ISSUE_KINDS: tuple[str, ...]
SESSION_STATUSES: tuple[str, ...]
ELICITATION_POLICIES: tuple[str, ...]
MAX_SHAPE: float
SE_TYPES: tuple[str, ...]
QUESTION_REASONS: tuple[str, ...]
OFFER_TAGS: tuple[str, ...]
RFP_STATUSES: tuple[str, ...]
RESPONSES: tuple[str, ...]

class Issue(metaclass=_pybind11_type):
    @staticmethod
    def categorical(name: str, values: Sequence[str]) -> Issue: ...
    @staticmethod
    def ordinal(name: str, values: Sequence[str]) -> Issue: ...
    @staticmethod
    def integer(name: str, lower: int, upper: int) -> Issue: ...
    @staticmethod
    def continuous(name: str, lower: float, upper: float) -> Issue: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def labels(self) -> list[str]: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def size(self) -> int: ...
    @property
    def discrete(self) -> bool: ...
    def format(self, value: float) -> str: ...

class OutcomeSpace(metaclass=_pybind11_type):
    def __init__(self, issues: Sequence[Issue]) -> None: ...
    @property
    def issues(self) -> list[Issue]: ...
    @property
    def cardinality(self) -> float: ...
    @property
    def size(self) -> int: ...
    @property
    def discrete(self) -> bool: ...
    def enumerate(self, limit: int = ...) -> npt.NDArray[np.float64]: ...
    def sample(self, n: int, seed: int) -> npt.NDArray[np.float64]: ...
    def sample_ids(self, n: int, seed: int) -> npt.NDArray[np.uint64]: ...
    def decode(self, id: int) -> list[float]: ...
    def encode(self, values: Sequence[float]) -> int: ...
    def discretized(self, levels: int) -> OutcomeSpace: ...
    def issue_index(self, name: str) -> int: ...

class LinearAdditiveUtility(metaclass=_pybind11_type):
    def __init__(
        self,
        space: OutcomeSpace,
        weights: Sequence[float],
        tables: Sequence[Sequence[float] | None],
        linear: Sequence[tuple[float, float] | None],
        reservation: float = ...,
        discount: float = ...,
    ) -> None: ...
    @property
    def space(self) -> OutcomeSpace: ...
    @property
    def weights(self) -> list[float]: ...
    @property
    def tables(self) -> list[list[float]]: ...
    reservation: float
    cap: float
    discount: float
    def __call__(self, values: Sequence[float]) -> float: ...
    def discounted(self, u: float, t: float) -> float: ...
    def discretized(self, levels: int) -> LinearAdditiveUtility: ...
    def evaluate_all(self) -> list[float]: ...
    def evaluate_all_numpy(self) -> npt.NDArray[np.float64]: ...

def load_genius_domain(path: str) -> OutcomeSpace: ...
def pareto_frontier(
    u1: npt.NDArray[np.float64], u2: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def bargaining_points(
    u1: npt.NDArray[np.float64], u2: npt.NDArray[np.float64], r1: float, r2: float
) -> dict[str, tuple[int | None, float, float]]: ...

class Scenario(metaclass=_pybind11_type):
    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def space(self) -> OutcomeSpace: ...
    @property
    def size(self) -> int: ...
    def utility(self, party: int) -> npt.NDArray[np.float64]: ...
    def reservation(self, party: int) -> float: ...
    def discount(self, party: int) -> float: ...
    @property
    def frontier(
        self,
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @property
    def nash(self) -> tuple[int | None, float, float]: ...
    @property
    def kalai_smorodinsky(self) -> tuple[int | None, float, float]: ...
    @property
    def max_welfare(self) -> tuple[int | None, float, float]: ...
    def set_price_issue(self, issue: int, prices: Sequence[float] = ...) -> None: ...
    @property
    def price_issue(self) -> int | None: ...
    def price(self, outcome: int) -> float: ...
    def distance_to_frontier(self, u1: float, u2: float) -> float: ...

class Strategy(metaclass=_pybind11_type):
    @property
    def name(self) -> str: ...
    @property
    def is_python(self) -> bool: ...

class SessionResult(metaclass=_pybind11_type): ...

def time_dependent(
    e: float,
    k: float = ...,
    acceptance: str = ...,
    alpha: float = ...,
    beta: float = ...,
    c: float = ...,
    T: float = ...,
    opponent_model: bool = ...,
    label: str = ...,
) -> Strategy: ...
def tit_for_tat(
    factor: float = ...,
    acceptance: str = ...,
    alpha: float = ...,
    beta: float = ...,
    c: float = ...,
    T: float = ...,
    opponent_model: bool = ...,
) -> Strategy: ...
def random_strategy(p_accept: float = ...) -> Strategy: ...
def subgame_perfect() -> Strategy: ...
def price_matcher(floor_price: float, beat_by: float = ..., e: float = ...) -> Strategy: ...
def alternatives_offerer(tolerance: float = ..., e: float = ...) -> Strategy: ...
def authority_limited(
    threshold: float, delay_rounds: int = ..., credibility_cost: float = ..., e: float = ...
) -> Strategy: ...
def win_lose_buyer(rival_price: float, rival_utility: float) -> Strategy: ...
def python_strategy(obj: object) -> Strategy: ...
def run_session(
    scenario: Scenario,
    a: Strategy,
    b: Strategy,
    rounds: int = ...,
    first: int = ...,
    clock: str = ...,
    seed: int = ...,
    complete_information: bool = ...,
    time_limit: float = ...,
    own_rounds: Sequence[int] = ...,
    own_time: Sequence[float] = ...,
    reservation: Sequence[float] = ...,
) -> tuple[dict[str, object], SessionResult]: ...
def run_batch(
    scenarios: Sequence[Scenario],
    strategies: Sequence[Strategy],
    seeds: Sequence[int],
    rounds: int = ...,
    clock: str = ...,
    complete_information: bool = ...,
    threads: int = ...,
    pairs: Sequence[tuple[int, int]] = ...,
    own_rounds: Sequence[int] = ...,
    own_time: Sequence[float] = ...,
    reservation: Sequence[float] = ...,
) -> dict[str, npt.NDArray[np.generic]]: ...
def tournament(
    scenarios: Sequence[Scenario],
    strategies: Sequence[Strategy],
    seeds: Sequence[int],
    rounds: int,
    clock: str,
    score: str,
    self_play: bool,
    equal_variance: bool,
    confidence: float,
    bootstrap: int,
    bootstrap_seed: int,
    fdr: float,
    threads: int,
) -> dict[str, dict[str, npt.NDArray[np.generic]]]: ...
def tournament_defaults() -> dict[str, object]: ...
def session_events(
    scenario: Scenario,
    result: SessionResult,
    we: int = ...,
    start_time: float = ...,
    days_per_round: float = ...,
    value_scale: float = ...,
) -> dict[str, list[float]]: ...
# ---- customer value (bindings/register_value.cpp) ----------------------------

class CostRates(metaclass=_pybind11_type):
    meeting_hour: float
    discovery_hour: float
    negotiation_round: float
    support_hour: float
    custom_request_hour: float
    service_issue: float
    service_issue_amount_share: float
    hours_per_round: float
    default_margin: float
    count_deals_won: bool
    count_purchases: bool
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def profitability(events: Ledger, rates: CostRates) -> dict[str, npt.NDArray[np.generic]]: ...
def whale_curve(profit: npt.NDArray[np.float64]) -> dict[str, object]: ...

class MarkovChain(metaclass=_pybind11_type):
    def __init__(self, matrix: npt.NDArray[np.float64], states: Sequence[str]) -> None: ...
    @staticmethod
    def fit(
        counts: npt.NDArray[np.float64],
        states: Sequence[str],
        method: str = "mle",
        prior: npt.NDArray[np.float64] | None = None,
    ) -> MarkovChain: ...
    @property
    def states(self) -> list[str]: ...
    @property
    def transition_matrix(self) -> npt.NDArray[np.float64]: ...
    @property
    def counts(self) -> npt.NDArray[np.float64]: ...
    @property
    def fitted(self) -> bool: ...
    @property
    def method(self) -> str: ...
    @property
    def unobserved(self) -> list[int]: ...
    @property
    def unserved(self) -> list[int]: ...
    def confidence_intervals(
        self, level: float = 0.95
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    def communicating_classes(self) -> list[list[int]]: ...
    def recurrent_classes(self) -> list[list[int]]: ...
    def transient_states(self) -> list[int]: ...
    def absorbing_states(self) -> list[int]: ...
    def is_irreducible(self) -> bool: ...
    def steady_states(self) -> npt.NDArray[np.float64]: ...
    def fundamental_matrix(self) -> npt.NDArray[np.float64]: ...
    def absorption_probabilities(self) -> npt.NDArray[np.float64]: ...
    def mean_absorption_time(self) -> npt.NDArray[np.float64]: ...
    def mean_first_passage_time(self) -> npt.NDArray[np.float64]: ...
    def mean_recurrence_time(self) -> npt.NDArray[np.float64]: ...
    def customer_value(
        self, rewards: npt.NDArray[np.float64], discount_rate: float, horizon: int | None = None
    ) -> npt.NDArray[np.float64]: ...
    def without_state(self, state: int, redirect_to: int | None = None) -> MarkovChain: ...

def period_transition_counts(
    replay: Replay, ledger: Ledger, period: float, start: float, end: float
) -> npt.NDArray[np.float64]: ...

def kaplan_meier(
    durations: npt.NDArray[np.float64], observed: npt.NDArray[np.uint8], level: float = 0.95, band: int = 0
) -> dict[str, object]: ...
def win_back_spells(
    replay: Replay, exit_states: Sequence[int], end: float = ..., ledger: Ledger | None = None
) -> dict[str, npt.NDArray[np.generic]]: ...
# ---- buy-till-you-die (register_btyd.cpp) -------------------------------------

_F64: TypeAlias = npt.NDArray[np.float64]

def rfm_summary(
    customer: npt.NDArray[np.uint32],
    n_customers: int,
    time: _F64,
    amount: _F64 | None = None,
    period_length: float = 1.0,
    origin: float = 0.0,
    observation_end: float = ...,
    calibration_end: float = ...,
) -> dict[str, Any]: ...
def rfm_summary_ledger(
    events: Ledger,
    period_length: float = 7.0,
    origin: float = 0.0,
    observation_end: float = ...,
    calibration_end: float = ...,
) -> dict[str, Any]: ...
def simulate_bg_nbd(
    r: float, alpha: float, a: float, b: float, T: _F64, seed: int, threads: int = 0
) -> tuple[_F64, _F64]: ...


class BgNbd(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, r: float, alpha: float, a: float, b: float) -> None: ...
    def fit(
        self, frequency: _F64, recency: _F64, T: _F64, weights: _F64 | None = None,
        penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def conditional_expected_purchases(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_alive(self, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_alive_at(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_no_purchase(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def expected_purchases(self, t: float) -> float: ...
    def expected_purchases_many(self, t: _F64) -> _F64: ...
    def probability_of_purchases(self, t: float, n: int) -> float: ...

class ParetoNbd(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, r: float, alpha: float, s: float, beta: float) -> None: ...
    def fit(
        self, frequency: _F64, recency: _F64, T: _F64, weights: _F64 | None = None,
        penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def conditional_expected_purchases(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_alive(self, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_alive_at(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_no_purchase(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def conditional_probability_of_purchases(self, t: _F64, n: int, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def dert(self, delta: float, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_of_purchases(self, t: float, n: int) -> float: ...
    def expected_purchases(self, t: float) -> float: ...
    def expected_purchases_many(self, t: _F64) -> _F64: ...

class ModifiedBgNbd(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, r: float, alpha: float, a: float, b: float) -> None: ...
    def fit(
        self, frequency: _F64, recency: _F64, T: _F64, weights: _F64 | None = None,
        penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def conditional_expected_purchases(self, t: _F64, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def probability_alive(self, x: _F64, tx: _F64, T: _F64) -> _F64: ...
    def expected_purchases(self, t: float) -> float: ...
    def expected_purchases_many(self, t: _F64) -> _F64: ...
    def probability_of_purchases(self, t: float, n: int) -> float: ...

class Sbg(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, alpha: float, beta: float) -> None: ...
    def fit(
        self, periods: _F64, churned: _F64, weights: _F64 | None = None,
        penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def fit_survivors(
        self, survivors: _F64, penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def survival(self, t: _F64) -> _F64: ...
    def probability_churn(self, t: _F64) -> _F64: ...
    def retention_rate(self, t: _F64) -> _F64: ...
    def derl(self, d: float, n: _F64) -> _F64: ...
    def discounted_expected_lifetime(self, d: float) -> float: ...

class GammaGamma(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, p: float, q: float, v: float) -> None: ...
    def fit(
        self, frequency: _F64, monetary_value: _F64, weights: _F64 | None = None,
        penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def conditional_expected_average_profit(self, x: _F64, mv: _F64) -> _F64: ...

class BgBb(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, alpha: float, beta: float, gamma: float, delta: float) -> None: ...
    def fit(
        self, frequency: _F64, recency: _F64, n_periods: _F64, weights: _F64 | None = None,
        penalizer_coef: float = 0.0, threads: int = 0, tolerance: float = 1e-9,
        max_iterations: int = 1000, initial_params: list[float] = ...,
    ) -> dict[str, Any]: ...
    def conditional_expected_purchases(self, m_periods: _F64, x: _F64, tx: _F64, n: _F64) -> _F64: ...
    def probability_alive(self, m_periods: _F64, x: _F64, tx: _F64, n: _F64) -> _F64: ...
    def expected_purchases(self, n: float) -> float: ...
    def probability_of_purchases(self, n: float, x: float) -> float: ...

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

# simulation.hpp
CUSTOMER_TYPES: tuple[str, ...]
SELLER_STRATEGIES: tuple[str, ...]
FIRING_RULES: tuple[str, ...]
SELLER_AUTHORITIES: tuple[str, ...]
SIMULATION_METRICS: tuple[str, ...]

class SellerPolicy(metaclass=_pybind11_type):
    name: str
    strategy: str
    floor_margin: float
    meeting_cadence_days: float
    discovery_per_year: float
    promises_per_year: float
    promise_keep_rate: float
    firing: str
    warm_referral_share: float
    lean_in_at_risk: bool
    fire_thresholds: CustomerThresholds
    authority: str
    escalation_threshold: float
    gracious_exit: bool
    exit_win_lose: bool
    win_lose_threshold: float
    win_lose_min_deals: float
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def policy_presets() -> list[SellerPolicy]: ...
class SimulationParams(metaclass=_pybind11_type):
    customers: int
    months: int
    seed: int
    model: MarketModel
    mix: list[float]
    initially_active: float
    start_time: float
    threads: int
    record_ledger: bool
    first_customer: int
    as_of: float
    def __init__(self) -> None: ...
    def validate(self) -> None: ...

def simulate(
    policy: SellerPolicy,
    params: SimulationParams,
    model: RelationshipModel | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[
    Ledger,
    npt.NDArray[np.float64],
    npt.NDArray[np.uint8],
    npt.NDArray[np.float64],
    npt.NDArray[np.uint16],
    list[str],
    float,
]: ...
def t_half_width(sd: float, n: int, level: float = 0.95) -> float: ...

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


# ---- BTYD covariate models (value/btyd/covariates.hpp) ----------------------

class BgNbdCov(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, params: Sequence[float], life_coefficients: Sequence[float],
                 trans_coefficients: Sequence[float]) -> None: ...
    def fit(
        self, frequency: _F64, recency: _F64, T: _F64, life: _F64, trans: _F64, weights: _F64 | None = None,
        threads: int = 0, tolerance: float = 1e-9, max_iterations: int = 1000, initial_params: list[float] = ...,
        se: str = "hessian",
    ) -> dict[str, Any]: ...
    def probability_alive(self, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...
    def probability_alive_at(self, t: _F64, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...
    def conditional_expected_purchases(self, t: _F64, x: _F64, tx: _F64, T: _F64, life: _F64,
                                       trans: _F64) -> _F64: ...
    def expected_purchases(self, t: _F64, n: int, life: _F64, trans: _F64) -> _F64: ...
    def probability_no_purchase(self, t: _F64, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...
    def probability_of_purchases(self, t: _F64, purchases: int, n: int, life: _F64, trans: _F64) -> _F64: ...

class ParetoNbdCov(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, params: Sequence[float], life_coefficients: Sequence[float],
                 trans_coefficients: Sequence[float]) -> None: ...
    def fit(
        self, frequency: _F64, recency: _F64, T: _F64, life: _F64, trans: _F64, weights: _F64 | None = None,
        threads: int = 0, tolerance: float = 1e-9, max_iterations: int = 1000, initial_params: list[float] = ...,
        se: str = "hessian",
    ) -> dict[str, Any]: ...
    def probability_alive(self, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...
    def probability_alive_at(self, t: _F64, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...
    def conditional_expected_purchases(self, t: _F64, x: _F64, tx: _F64, T: _F64, life: _F64,
                                       trans: _F64) -> _F64: ...
    def expected_purchases(self, t: _F64, n: int, life: _F64, trans: _F64) -> _F64: ...
    def probability_no_purchase(self, t: _F64, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...
    def probability_of_purchases(self, t: _F64, purchases: int, n: int, life: _F64, trans: _F64) -> _F64: ...
    def conditional_probability_of_purchases(self, t: _F64, purchases: int, x: _F64, tx: _F64, T: _F64,
                                             life: _F64, trans: _F64) -> _F64: ...
    def dert(self, delta: float, x: _F64, tx: _F64, T: _F64, life: _F64, trans: _F64) -> _F64: ...

class GammaGammaCov(metaclass=_pybind11_type):
    @overload
    def __init__(self) -> None: ...
    @overload
    def __init__(self, params: Sequence[float], coefficients: Sequence[float]) -> None: ...
    def fit(
        self, frequency: _F64, monetary_value: _F64, covariates: _F64, weights: _F64 | None = None,
        threads: int = 0, tolerance: float = 1e-9, max_iterations: int = 1000, initial_params: list[float] = ...,
        se: str = "hessian",
    ) -> dict[str, Any]: ...
    def conditional_expected_average_profit(self, x: _F64, mv: _F64, covariates: _F64) -> _F64: ...
# ---- negotiation: non-linear preferences (issue 18, item 2) ----

class HyperRectangleUtility(metaclass=_pybind11_type):
    def __init__(
        self,
        space: OutcomeSpace,
        rectangles: Sequence[tuple[Sequence[tuple[int, float, float]], float, float, bool]],
        reservation: float = ...,
        discount: float = ...,
        max_utility: float = ...,
        cap: float = ...,
    ) -> None: ...
    @property
    def space(self) -> OutcomeSpace: ...
    reservation: float
    @property
    def discount(self) -> float: ...
    @property
    def max_utility(self) -> float: ...
    @property
    def cap(self) -> float: ...
    @property
    def rectangle_count(self) -> int: ...
    @property
    def fast_path(self) -> bool: ...
    def __call__(self, values: Sequence[float]) -> float: ...
    def evaluate_all_numpy(self) -> npt.NDArray[np.float64]: ...

class WeightedSumUtility(metaclass=_pybind11_type):
    def __init__(
        self,
        parts: Sequence[LinearAdditiveUtility | HyperRectangleUtility],
        weights: Sequence[float],
        reservation: float = ...,
        discount: float = ...,
    ) -> None: ...
    @property
    def space(self) -> OutcomeSpace: ...
    @property
    def reservation(self) -> float: ...
    @property
    def discount(self) -> float: ...
    @property
    def weights(self) -> list[float]: ...
    def __call__(self, values: Sequence[float]) -> float: ...
    def evaluate_all_numpy(self) -> npt.NDArray[np.float64]: ...

def load_genius_utility(space: OutcomeSpace, path: str) -> LinearAdditiveUtility | HyperRectangleUtility: ...
def approximate_bargaining_defaults() -> dict[str, int]: ...
def bargaining_analysis(
    u1: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    u2: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    samples: int,
    climbs: int,
    passes: int,
    values_per_issue: int,
    seed: int,
    exact_limit: int,
) -> dict[str, Any]: ...

# ---- negotiation: several parties (issue 18, item 5) ----

class MultilateralScenario(metaclass=_pybind11_type):
    def __init__(
        self,
        space: OutcomeSpace,
        utilities: Sequence[npt.NDArray[np.float64]],
        reservations: Sequence[float],
        discounts: Sequence[float],
        name: str = ...,
    ) -> None: ...
    @property
    def parties(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def name(self) -> str: ...

class ContinuousOptions(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    rounds: int
    first: int
    bisection_steps: int
    probes: int
    passes: int
    discrete_limit: int
    own_rounds: list[int]
    own_time: list[float]
    reservation: list[float]
    def validate(self) -> None: ...

def run_continuous_session(
    u1: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    u2: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    e1: float,
    e2: float,
    options: ContinuousOptions,
    strategy1: str = "time_dependent",
    strategy2: str = "time_dependent",
    factor1: float = 1.0,
    factor2: float = 1.0,
) -> dict[str, Any]: ...
def run_multilateral_session(
    scenario: MultilateralScenario, strategies: Sequence[Strategy], rounds: int, seed: int
) -> dict[str, Any]: ...
RFP_CLOSES: tuple[str, ...]

class RFPOptions(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    rounds: int
    first: int
    rival_quotes: bool
    quote_margin: float
    close: str
    shop_rounds: int
    stall_rounds: int
    seed: int
    def validate(self) -> None: ...

def run_rfp(
    scenarios: Sequence[Scenario],
    buyer: Strategy,
    sellers: Sequence[Strategy],
    options: RFPOptions,
    customer: int = ...,
    start_time: float = ...,
    days_per_round: float = ...,
    value_scale: float = ...,
) -> dict[str, Any]: ...
def run_rfp_batch(
    rfps: Sequence[Sequence[Scenario]],
    sellers: Sequence[Sequence[Strategy]],
    buyers: Sequence[Strategy],
    seeds: Sequence[int],
    options: RFPOptions,
    threads: int,
) -> dict[str, Any]: ...
def run_multilateral_batch(
    scenarios: Sequence[MultilateralScenario],
    strategies: Sequence[Strategy],
    seeds: Sequence[int],
    rounds: int,
    threads: int,
) -> dict[str, Any]: ...
def search_scenario(
    u1: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    u2: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    samples: int,
    climbs: int,
    passes: int,
    values_per_issue: int,
    seed: int,
    exact_limit: int,
) -> dict[str, Any]: ...

# ---- negotiation: elicitation (register_negotiation_elicitation.cpp) ----

class PartialProfile(metaclass=_pybind11_type):
    def __init__(self, *args: object, **kwargs: object) -> None: ...
    @staticmethod
    def from_intervals(lo: Sequence[float], hi: Sequence[float]) -> PartialProfile: ...
    @staticmethod
    def from_weight_intervals(
        utility: LinearAdditiveUtility, weight_lo: Sequence[float], weight_hi: Sequence[float]
    ) -> PartialProfile: ...
    @staticmethod
    def from_ordering(n: int, order: Sequence[int], umin: float, umax: float) -> PartialProfile: ...
    def __len__(self) -> int: ...
    @property
    def known_count(self) -> int: ...
    @property
    def lo(self) -> list[float]: ...
    @property
    def hi(self) -> list[float]: ...

class ElicitationOptions(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    policy: str
    cost: float
    max_questions: int
    per_turn: int
    e: float
    opponent_model: bool
    window: float
    def validate(self) -> None: ...

class ElicitationRunOptions(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    @property
    def hours_per_question(self) -> float: ...
    @property
    def spread(self) -> float: ...
    @property
    def confidence(self) -> float: ...

def run_elicitation_session(
    scenario: Scenario,
    profile: PartialProfile,
    opponent: Strategy,
    options: ElicitationOptions,
    me: int = ...,
    rounds: int = ...,
    seed: int = ...,
    start_time: float = ...,
    days_per_round: float = ...,
    value_scale: float = ...,
    hours_per_question: float = ...,
) -> dict[str, Any]: ...
def run_elicitation_batch(
    scenario: Scenario,
    truth: LinearAdditiveUtility,
    me: int,
    opponent: Strategy,
    policies: Sequence[ElicitationOptions],
    seeds: Sequence[int],
    spread: float = ...,
    rounds: int = ...,
    threads: int = ...,
    confidence: float = ...,
) -> tuple[dict[str, Any], dict[str, Any]]: ...
