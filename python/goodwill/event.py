"""The event vocabulary: kinds, who they are about, and the trust evidence channels.

Every event kind is the seller's *effort* (meetings, discovery, proposals,
support, custom work, alternatives offered, concessions and price matches
given, promises kept or broken, service failures), the customer's *response*
(deals won or lost, purchases and refunds, competitor quotes cited, scope
changes, referrals, returns, churn), a seller's *decision* (walking away from
a sale, firing the customer) or a *neutral* record (a lead, an opportunity
opened). The table is defined once, in C++ (``include/goodwill/event.hpp``);
these functions show it.
"""

from __future__ import annotations

import pandas as pd

from . import _core

__all__ = ["EVENT_KINDS", "EVIDENCE_CHANNELS", "event_kinds", "evidence_channels"]

EVENT_KINDS: tuple[str, ...] = tuple(_core.EVENT_KINDS)
#: Evidence channels: event kinds refined by the customer's response (a deal
#: won at list, after a concession or after a match; lost on price or not; a
#: purchase or a refund; a scope cut or addition). See ``trust.hpp``.
EVIDENCE_CHANNELS: tuple[str, ...] = tuple(_core.EVIDENCE_CHANNELS)


def event_kinds() -> pd.DataFrame:
    """The kind table: one row per event kind.

    Returns
    -------
    pandas.DataFrame
        Indexed by kind name, with columns ``role`` (``effort``, ``response``,
        ``decision`` or ``neutral``), ``effort_class`` (``trust_building``,
        ``transactional``, ``other``, ``failure`` or ``none``) and the flags
        ``negative_amount``, ``amount_is_hours``, ``interaction``,
        ``deal_event``, ``price_event``, ``negotiation_round`` (priced by
        :class:`CostRates`' ``negotiation_round``), ``closes_deal``
        (``deal_won``, ``deal_lost``) and ``earns_revenue`` (``deal_won``,
        ``purchase``: a margin in ``detail``).

    Examples
    --------
    >>> import goodwill
    >>> goodwill.event_kinds().loc["price_match", ["role", "effort_class"]].tolist()
    ['effort', 'transactional']
    """
    table = dict(_core.EVENT_KIND_TABLE)
    return pd.DataFrame(table).set_index("kind")


def evidence_channels() -> pd.DataFrame:
    """The trust evidence channels: one row per channel.

    Returns
    -------
    pandas.DataFrame
        Indexed by channel name, with the event ``kind`` whose events fall
        into it, its ``role`` and the ``fit_side`` (``alpha``, ``beta`` or
        ``none``) on which :func:`goodwill.fit_trust` estimates its weight.

    Examples
    --------
    >>> import goodwill
    >>> goodwill.evidence_channels().loc["won_after_match", "fit_side"]
    'beta'
    """
    frame = pd.DataFrame(dict(_core.EVIDENCE_CHANNEL_TABLE)).set_index("channel")
    roles = event_kinds()["role"]
    frame.insert(1, "role", roles.reindex(frame["kind"]).to_numpy())
    return frame
