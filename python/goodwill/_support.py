"""The one support check every analysis calls (see :mod:`goodwill.evidence`).

``check(profile, needs, analysis)`` warns a :class:`~goodwill.DataWarning`
naming each missing input and returns the :class:`~goodwill.evidence.Support`
to attach to the result; ``mark`` attaches it to a DataFrame's ``attrs``
(``support``, ``applicable``, ``not_applicable``, ``assumptions``).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence

import pandas as pd

from ._columns import invalid
from .evidence import (
    ANALYSIS_NEEDS,
    Assumption,
    DataWarning,
    EvidenceProfile,
    Support,
    evidence_profile,
)
from .ledger import Ledger


def check(
    profile: EvidenceProfile | Ledger,
    needs: Sequence[str] | None,
    analysis: str,
    *,
    part: str | None = None,
    stacklevel: int = 3,
) -> Support:
    """Check that the data has what ``analysis`` needs (``needs``: names of
    ``goodwill.evidence.DATA_NEEDS``; None: the analysis's row of
    ``ANALYSIS_NEEDS``). Warns one DataWarning per call naming every missing
    input, and returns the Support (``applicable`` False when any is missing).
    With ``part`` (a part of the analysis, e.g. "the firing rule"), the
    missing inputs make only that part not applicable (``Support.partial``)."""
    if isinstance(profile, Ledger):
        profile = evidence_profile(profile)
    if needs is None:
        if analysis not in ANALYSIS_NEEDS:
            raise invalid("analysis", None, f"unknown analysis {analysis!r}; known: {', '.join(ANALYSIS_NEEDS)}")
        needs = ANALYSIS_NEEDS[analysis]
    missing = tuple(profile.missing(needs))
    if missing:
        reasons = "; ".join(reason for _, reason in missing)
        what = "not applicable" if part is None else f"{part} not applicable"
        warnings.warn(f"goodwill.{analysis}: {what}: {reasons}", DataWarning, stacklevel=stacklevel)
    if part is not None:
        return Support(analysis, partial=tuple((part, reason) for _, reason in missing))
    return Support(analysis, missing)


def merge(first: Support, *others: Support) -> Support:
    """One Support holding the missing inputs, parts and assumptions of all (named as the first)."""
    out = first
    for o in others:
        out = dataclasses.replace(out, missing=out.missing + o.missing, partial=out.partial + o.partial,
                                  assumptions=out.assumptions + o.assumptions)
    return out


def with_assumptions(support: Support, assumptions: Sequence[Assumption]) -> Support:
    """The support with these assumptions added."""
    return dataclasses.replace(support, assumptions=support.assumptions + tuple(assumptions))


def mark(frame: pd.DataFrame, support: Support) -> pd.DataFrame:
    """Attach ``support`` to ``frame.attrs`` (and return the frame)."""
    frame.attrs["support"] = support
    frame.attrs["applicable"] = support.applicable
    frame.attrs["not_applicable"] = support.not_applicable
    frame.attrs["assumptions"] = list(support.assumptions)
    return frame
