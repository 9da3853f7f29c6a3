"""The transactional spiral: who is stuck in the meet-or-beat price game."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _core
from .ledger import Ledger

_BASIS = ["none", "margin", "price_realisation"]


def transactional_spiral(
    ledger: Ledger,
    *,
    min_matched_wins: int = 2,
    min_matched_share: float = 0.5,
    max_margin_trend: float = 0.0,
    min_concession_depth: float = 0.10,
) -> pd.DataFrame:
    """Per-customer measures of the "downward spiral" and a flag.

    A deal opens with a ``proposal`` (amount: list price) and closes with
    ``deal_won`` or ``deal_lost``. Columns, one row per customer (indexed by
    the ledger's customer keys):

    - ``competitor_quotes``, ``price_matches``, ``concessions``, ``deals_won``,
      ``deals_lost``: counts;
    - ``won_after_match``: won deals that needed a price match, and
      ``matched_win_share`` = won_after_match / deals_won;
    - ``mean_concession_depth``: mean over won deals of 1 − close/list (or
      concessions/(close + concessions) without a list price), in [0, 1];
    - ``margin_trend``: least-squares slope of margin % over won deals, in
      points per 365 days; where a margin is unknown the price kept,
      100·(1 − depth), stands in (``margin_basis`` says which);
    - ``transactional_spiral``: won_after_match ≥ ``min_matched_wins`` and
      matched_win_share ≥ ``min_matched_share`` and margin_trend <
      ``max_margin_trend`` (or, with no trend, mean_concession_depth ≥
      ``min_concession_depth``).
    """
    cols = _core.transactional_spiral(
        ledger._core,
        min_matched_wins=min_matched_wins,
        min_matched_share=min_matched_share,
        max_margin_trend=max_margin_trend,
        min_concession_depth=min_concession_depth,
    )
    basis = pd.Categorical.from_codes(np.asarray(cols.pop("margin_basis"), dtype=np.int8), categories=_BASIS)
    flag = np.asarray(cols.pop("transactional_spiral")).astype(bool)
    frame = pd.DataFrame(cols, index=pd.Index(ledger.customers, name="customer"))
    frame["margin_basis"] = basis
    frame["transactional_spiral"] = flag
    return frame
