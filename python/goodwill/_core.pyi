"""Type stubs for goodwill's compiled core (bindings/*.cpp)."""

from typing import Callable, Optional, Sequence

import numpy as np
import numpy.typing as npt

__version__: str

EVENT_KINDS: tuple[str, ...]
LOSS_REASONS: tuple[str, ...]
LEAD_SOURCES: tuple[str, ...]
MARGIN_UNKNOWN: int
ARCHETYPES: tuple[str, ...]

class GoodwillError(Exception):
    field: Optional[str]
    row: Optional[int]

class InvalidInputError(GoodwillError, ValueError): ...
class InvalidStateError(GoodwillError, ValueError): ...
class InvalidTransitionError(InvalidStateError): ...
class NotFittedError(GoodwillError, RuntimeError): ...
class NumericalError(GoodwillError, RuntimeError): ...

class Ledger:
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
        amounts: Optional[npt.NDArray[np.float64]] = None,
        details: Optional[npt.NDArray[np.int32]] = None,
    ) -> None: ...
    def _append_int_keys(
        self,
        keys: npt.NDArray[np.int64],
        codes: npt.NDArray[np.int64],
        times: npt.NDArray[np.float64],
        kinds: npt.NDArray[np.uint8],
        amounts: Optional[npt.NDArray[np.float64]] = None,
        details: Optional[npt.NDArray[np.int32]] = None,
    ) -> None: ...
    def _append_str_keys(
        self,
        keys: list[str],
        codes: npt.NDArray[np.int64],
        times: npt.NDArray[np.float64],
        kinds: npt.NDArray[np.uint8],
        amounts: Optional[npt.NDArray[np.float64]] = None,
        details: Optional[npt.NDArray[np.int32]] = None,
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
    def integer_keys(self) -> npt.NDArray[np.int64]: ...
    @property
    def string_keys(self) -> list[str]: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Ledger: ...

def _generate_market(
    customers: int,
    horizon_days: float,
    seed: int,
    mix: Sequence[float],
    start_time: float = 0.0,
    threads: int = 1,
    progress: Optional[Callable[[int, int], None]] = None,
) -> tuple[Ledger, npt.NDArray[np.uint8]]: ...

class _testing:
    @staticmethod
    def throw_error(kind: str, message: str, field: str = "", row: int = -1) -> None: ...
