"""Outcome spaces: issues and their discrete outcomes (negotiation/outcome_space.hpp)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from .._columns import int_arg

# ---- outcome space ----------------------------------------------------------------


def _make_issue(name: str, values: Any) -> _core.negotiation.Issue:
    """NegMAS-like ``make_issue``: a list of labels, an int n (0..n-1), a
    (lo, hi) pair of ints (integer issue) or of floats (continuous issue)."""
    if isinstance(values, _core.negotiation.Issue):
        return values
    if isinstance(values, (int, np.integer)):
        return _core.negotiation.Issue.integer(name, 0, int(values) - 1)
    if isinstance(values, tuple) and len(values) == 2:
        lo, hi = values
        if isinstance(lo, (int, np.integer)) and isinstance(hi, (int, np.integer)):
            return _core.negotiation.Issue.integer(name, int(lo), int(hi))
        return _core.negotiation.Issue.continuous(name, float(lo), float(hi))
    return _core.negotiation.Issue.categorical(name, [str(v) for v in values])


class OutcomeSpace:
    """Issues and the outcomes they span.

    ``OutcomeSpace([Issue.categorical("support", [...]), Issue.integer("price", 100, 200)])``
    or ``OutcomeSpace({"support": ["basic", "premium"], "price": (100, 200)})``.
    Outcome ids number the outcomes of a discrete space with the last issue
    varying fastest (as ``itertools.product``).

    Parameters
    ----------
    issues : sequence of Issue, or mapping of str to values
        The issues, in order. A mapping gives each issue name its values, as
        NegMAS's ``make_issue``: a list of labels (categorical issue), an int
        ``n`` (the integers 0..n-1), a pair of ints (the integers lo..hi,
        both included) or a pair of floats (the reals in [lo, hi]). An
        ``Issue`` may also be given as a value.

    Examples
    --------
    >>> from goodwill.negotiation import OutcomeSpace
    >>> space = OutcomeSpace({"support": ["basic", "premium"], "price": (100, 102)})
    >>> len(space)
    6
    >>> space.outcome(4)
    {'support': 'premium', 'price': 101}
    >>> space.outcome_id({"support": "basic", "price": 102})
    2
    >>> OutcomeSpace({"seats": 4, "discount": (0.0, 0.2)}).cardinality
    inf
    """

    __slots__ = ("_core",)

    def __init__(self, issues: Sequence[_core.negotiation.Issue] | Mapping[str, Any] | _core.negotiation.OutcomeSpace) -> None:
        if isinstance(issues, _core.negotiation.OutcomeSpace):
            self._core = issues
            return
        if isinstance(issues, Mapping):
            issues = [_make_issue(k, v) for k, v in issues.items()]
        self._core = _core.negotiation.OutcomeSpace(list(issues))

    @property
    def issues(self) -> list[_core.negotiation.Issue]:
        return list(self._core.issues)

    @property
    def issue_names(self) -> list[str]:
        return [i.name for i in self._core.issues]

    @property
    def cardinality(self) -> float:
        """Number of outcomes, without enumerating (``inf`` with a continuous issue)."""
        return self._core.cardinality

    def __len__(self) -> int:
        if not self._core.discrete:
            raise TypeError("a continuous outcome space has no length; see .cardinality")
        return int(self._core.size)

    @property
    def is_discrete(self) -> bool:
        return self._core.discrete

    def _frame(self, values: npt.NDArray[np.float64], labels: bool) -> pd.DataFrame:
        cols: dict[str, Any] = {}
        for j, issue in enumerate(self._core.issues):
            col = values[:, j]
            if issue.kind in ("categorical", "ordinal") and labels:
                cat = pd.Categorical.from_codes(col.astype(np.int64), categories=pd.Index(list(issue.labels)),
                                                ordered=issue.kind == "ordinal")
                cols[issue.name] = cat
            elif issue.kind == "integer":
                cols[issue.name] = col.astype(np.int64)
            else:
                cols[issue.name] = col
        return pd.DataFrame(cols)

    def enumerate(self, *, labels: bool = True, limit: int = 50_000_000) -> pd.DataFrame:
        """Every outcome, one row per outcome id (index ``outcome``)."""
        frame = self._frame(np.asarray(self._core.enumerate(int_arg(limit, "limit", 0, 2**64 - 1))), labels)
        frame.index.name = "outcome"
        return frame

    def sample(self, n: int, seed: int = 0, *, labels: bool = True) -> pd.DataFrame:
        """``n`` outcomes drawn uniformly; row ``r`` depends only on ``(seed, r)``."""
        return self._frame(np.asarray(self._core.sample(int_arg(n, "n", 0, 2**63 - 1),
                                                        int_arg(seed, "seed", 0, 2**64 - 1))), labels)

    def sample_ids(self, n: int, seed: int = 0) -> npt.NDArray[np.uint64]:
        return np.asarray(self._core.sample_ids(int_arg(n, "n", 0, 2**63 - 1), int_arg(seed, "seed", 0, 2**64 - 1)))

    def outcome(self, outcome_id: int) -> dict[str, Any]:
        """An outcome id as ``{issue: value}`` (labels for categorical issues)."""
        values = self._core.decode(int(outcome_id))
        out: dict[str, Any] = {}
        for issue, v in zip(self._core.issues, values):
            if issue.kind in ("categorical", "ordinal"):
                out[issue.name] = issue.labels[int(v)]
            elif issue.kind == "integer":
                out[issue.name] = int(v)
            else:
                out[issue.name] = v
        return out

    def outcome_id(self, outcome: Mapping[str, Any]) -> int:
        """The id of an outcome given as ``{issue: value}``."""
        values = []
        for issue in self._core.issues:
            v = outcome[issue.name]
            if issue.kind in ("categorical", "ordinal") and not isinstance(v, (int, np.integer)):
                v = list(issue.labels).index(str(v))
            values.append(float(v))
        return int(self._core.encode(values))

    def __repr__(self) -> str:
        return f"OutcomeSpace({', '.join(f'{i.name}:{i.kind}' for i in self._core.issues)}; {self.cardinality:g} outcomes)"
