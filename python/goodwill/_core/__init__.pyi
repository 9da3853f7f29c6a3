"""Type stubs for goodwill's compiled core (bindings/*.cpp): the top-level types (errors, event
vocabularies, Ledger, the version) and the submodules, one per folder of include/goodwill."""

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from . import decision as decision
from . import negotiation as negotiation
from . import relationship as relationship
from . import synthetic as synthetic
from . import value as value

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

class _TestingModule(Protocol):
    """The submodule ``_core._testing`` (hooks for goodwill's own tests)."""

    def throw_error(self, kind: str, message: str, field: str = "", row: int = -1) -> None: ...

_testing: _TestingModule
