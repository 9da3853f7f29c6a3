"""Names and private helpers shared by the parts of goodwill.negotiation: the
bound Issue and Strategy, the C++ vocabularies, strategy and private-deadline
arguments."""

from __future__ import annotations

from typing import Any

from .. import _core
from .._errors import invalid

Issue = _core.negotiation.Issue
Strategy = _core.negotiation.Strategy

#: The kinds of an issue (the C++ issue_kind names).
ISSUE_KINDS: list[str] = list(_core.negotiation.ISSUE_KINDS)
#: How a session ends, by code (the C++ session_status names, read from _core).
STATUSES: list[str] = list(_core.negotiation.SESSION_STATUSES)
#: The discount clocks of a session ("relative", "offers"), from C++.
CLOCKS: list[str] = list(_core.negotiation.CLOCKS)
#: What an offer meant, by code (the C++ offer_tag names).
OFFER_TAGS: list[str] = list(_core.negotiation.OFFER_TAGS)


def _strategy(s: Any) -> Strategy:
    if isinstance(s, _core.negotiation.Strategy):
        return s
    if hasattr(s, "propose") and hasattr(s, "respond"):
        return _core.negotiation.python_strategy(s)
    raise invalid("strategy", None, f"{s!r} is not a strategy")


def _private(
    deadlines: tuple[int | None, int | None] | None,
    relative_deadlines: tuple[float | None, float | None] | None,
    reserved_values: tuple[float | None, float | None] | None,
) -> tuple[list[int], list[float], list[float]]:
    """The C++ session_options fields for private deadlines and reservations."""
    def pair(x: Any, what: str) -> tuple[Any, Any]:
        if x is None:
            return (None, None)
        if len(x) != 2:
            raise invalid(what, None, f"needs one entry per party (2), got {len(x)}")
        return (x[0], x[1])

    dl = [0 if v is None else int(v) for v in pair(deadlines, "deadlines")]
    if any(v < 0 for v in dl):
        raise invalid("deadlines", None, "a deadline in rounds must be positive")
    rel = [1.0 if v is None else float(v) for v in pair(relative_deadlines, "relative_deadlines")]
    res = [float("nan") if v is None else float(v) for v in pair(reserved_values, "reserved_values")]
    return dl, rel, res
