"""Type stubs for goodwill._core.negotiation (bindings/register_negotiation*.cpp)."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from goodwill._core import _pybind11_type

# ---- negotiation (bindings/register_negotiation.cpp) ---------------------------

ISSUE_KINDS: tuple[str, ...]
SESSION_STATUSES: tuple[str, ...]
ELICITATION_POLICIES: tuple[str, ...]
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
CLOCKS: tuple[str, ...]
TOURNAMENT_SCORES: tuple[str, ...]

class TournamentOptions(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    rounds: int
    clock: str
    score: str
    self_play: bool
    equal_variance: bool
    confidence: float
    bootstrap: int
    bootstrap_seed: int
    fdr: float
    threads: int

def tournament(
    scenarios: Sequence[Scenario],
    strategies: Sequence[Strategy],
    seeds: Sequence[int],
    options: TournamentOptions,
) -> dict[str, dict[str, npt.NDArray[np.generic]]]: ...
def session_events(
    scenario: Scenario,
    result: SessionResult,
    we: int = ...,
    start_time: float = ...,
    days_per_round: float = ...,
    value_scale: float = ...,
) -> dict[str, list[float]]: ...
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
class ApproximateBargainingOptions(metaclass=_pybind11_type):
    def __init__(self) -> None: ...
    samples: int
    climbs: int
    passes: int
    values_per_issue: int
    seed: int
    exact_limit: int

def bargaining_analysis(
    u1: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    u2: LinearAdditiveUtility | HyperRectangleUtility | WeightedSumUtility,
    options: ApproximateBargainingOptions,
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
    @property
    def own_rounds(self) -> tuple[int, int]: ...
    @own_rounds.setter
    def own_rounds(self, value: Sequence[int]) -> None: ...
    @property
    def own_time(self) -> tuple[float, float]: ...
    @own_time.setter
    def own_time(self, value: Sequence[float]) -> None: ...
    @property
    def reservation(self) -> tuple[float, float]: ...
    @reservation.setter
    def reservation(self, value: Sequence[float]) -> None: ...
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
    options: ApproximateBargainingOptions,
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
