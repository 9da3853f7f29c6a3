"""The transactional spiral: who is stuck in the meet-or-beat price game."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._support import check, mark
from ..ledger import Ledger

_BASIS = pd.Index(list(_core.relationship.MARGIN_BASES))
_STAGES = pd.Index(list(_core.relationship.SPIRAL_STAGES))
_D = _core.relationship.SPIRAL_DEFAULTS  # the defaults, defined once in C++ (spiral_params)

#: The response counts a flag rests on, as (column, words) in the order ``rests_on`` names them.
_RESTS_ON = (
    ("won_after_match", "matched wins"),
    ("won_after_concession", "conceded wins"),
    ("competitor_quotes", "competitor quotes"),
    ("lost_on_price", "lost on price"),
)


def _rests_on(frame: pd.DataFrame) -> pd.Series:
    parts = [frame[col].astype(np.int64).astype(str) + f" {words}" for col, words in _RESTS_ON]
    text = parts[0]
    for p in parts[1:]:
        text = text + ", " + p
    return text.where(frame["transactional_spiral"], "")


def transactional_spiral(
    ledger: Ledger,
    *,
    min_matched_wins: int = _D["min_matched_wins"],
    min_matched_share: float = _D["min_matched_share"],
    max_margin_trend: float = _D["max_margin_trend"],
    min_concession_depth: float = _D["min_concession_depth"],
    min_bottomed_wins: int = _D["min_bottomed_wins"],
    max_flat_trend: float = _D["max_flat_trend"],
    max_bottomed_margin: float = _D["max_bottomed_margin"],
) -> pd.DataFrame:
    """Per-customer measures of the "downward spiral", its stage and a flag.

    A deal opens with a ``proposal`` (amount: list price) and closes with
    ``deal_won`` or ``deal_lost``. Columns, one row per customer (indexed by
    the ledger's customer keys):

    - ``competitor_quotes``, ``price_matches``, ``concessions``, ``deals_won``,
      ``deals_lost``: counts;
    - ``won_after_match``: won deals that needed a price match, and
      ``matched_win_share`` = won_after_match / deals_won;
      ``won_after_concession``: won deals with a concession and no match;
      ``lost_on_price``: deals lost with reason price;
    - ``mean_concession_depth``: mean over won deals of 1 − close/list (or
      concessions/(close + concessions) without a list price), in [0, 1];
    - ``margin_trend``: least-squares slope of margin % over won deals, in
      points per 365 days; where a margin is unknown the price kept,
      100·(1 − depth), stands in (``margin_basis`` says which);
      ``margin_level``: the mean of the same (margin % or price kept %);
    - ``spiral_stage``: ``falling`` — won_after_match ≥ ``min_matched_wins``
      and matched_win_share ≥ ``min_matched_share`` and margin_trend <
      ``max_margin_trend`` (or, with no trend, mean_concession_depth ≥
      ``min_concession_depth``); ``bottomed_out`` — matched + conceded
      wins ≥ ``min_bottomed_wins`` and their share of
      wins ≥ ``min_matched_share``, at a flat (|margin_trend| ≤
      ``max_flat_trend``) and low margin (margin_level ≤
      ``max_bottomed_margin`` percent; with unknown margins,
      mean_concession_depth ≥ ``min_concession_depth``), which wins over
      falling when both hold; else ``none``;
    - ``transactional_spiral``: the stage is not none; ``rests_on`` names the
      responses the flag rests on (empty when not flagged).

    The rules are in ``include/goodwill/spiral.hpp``. With no deals won, or
    no competitor quotes or price matches in the ledger, the spiral cannot be
    seen (a discount alone is not evidence that the deal was shopped around): a :class:`goodwill.DataWarning` is issued and
    ``result.attrs["applicable"]`` is False (``attrs["not_applicable"]``
    says why; ``attrs["support"]`` holds both).

    Parameters
    ----------
    ledger : Ledger
        The events.
    min_matched_wins, min_matched_share, max_margin_trend, min_concession_depth : int, float
        The thresholds of the ``falling`` stage (above).
    min_bottomed_wins, max_flat_trend, max_bottomed_margin : int, float
        The thresholds of the ``bottomed_out`` stage (above).

    Returns
    -------
    DataFrame
        One row per customer: the columns above; ``attrs["applicable"]``,
        ``attrs["not_applicable"]`` and ``attrs["support"]``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> rows = [("a", 30.0 * d + k, kind, 850.0, 800 if kind == "deal_won" else 0)
    ...         for d in range(5) for k, kind in enumerate(["proposal", "competitor_quote",
    ...                                                    "price_match", "deal_won"])]
    >>> led = goodwill.Ledger(pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"]))
    >>> goodwill.transactional_spiral(led).loc["a", ["spiral_stage", "rests_on"]].tolist()
    ['bottomed_out', '5 matched wins, 0 conceded wins, 5 competitor quotes, 0 lost on price']
    """
    support = check(ledger, None, "transactional_spiral")
    cols = _core.relationship.transactional_spiral(
        ledger._core,
        min_matched_wins=min_matched_wins,
        min_matched_share=min_matched_share,
        max_margin_trend=max_margin_trend,
        min_concession_depth=min_concession_depth,
        min_bottomed_wins=min_bottomed_wins,
        max_flat_trend=max_flat_trend,
        max_bottomed_margin=max_bottomed_margin,
    )
    basis = pd.Categorical.from_codes(np.asarray(cols.pop("margin_basis"), dtype=np.int8), categories=_BASIS)
    stage = pd.Categorical.from_codes(np.asarray(cols.pop("spiral_stage"), dtype=np.int8), categories=_STAGES)
    flag = np.asarray(cols.pop("transactional_spiral")).astype(bool)
    frame = pd.DataFrame(cols, index=pd.Index(ledger.customers, name="customer"))
    frame["margin_basis"] = basis
    frame["spiral_stage"] = stage
    frame["transactional_spiral"] = flag
    frame["rests_on"] = _rests_on(frame)
    return mark(frame, support)
