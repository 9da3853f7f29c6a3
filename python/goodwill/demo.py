"""goodwill's main job, for now: events through the C++ core and back.

Run it with ``make demo`` or ``python -m goodwill.demo``. It needs nothing
but goodwill itself: the data are made up here.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

import goodwill


def small_event_table() -> pd.DataFrame:
    """A week in the life of three accounts, as a CRM might log it."""
    rows = [
        ("Acme Corp", 0.0, "lead", 0.0, 1),
        ("Acme Corp", 3.0, "meeting", 1.5, 0),
        ("Acme Corp", 5.0, "discovery", 4.0, 0),
        ("Acme Corp", 9.0, "proposal", 12000.0, 0),
        ("Acme Corp", 14.0, "deal_won", 11500.0, 3200),
        ("Globex", 1.0, "lead", 0.0, 2),
        ("Globex", 4.0, "proposal", 8000.0, 0),
        ("Globex", 6.0, "competitor_quote", 7100.0, 0),
        ("Globex", 7.0, "price_match", 7100.0, 0),
        ("Globex", 8.0, "deal_won", 7100.0, 900),
        ("Initech", 2.0, "lead", 0.0, 3),
        ("Initech", 5.0, "proposal", 5000.0, 0),
        ("Initech", 11.0, "deal_lost", 5000.0, 1),
    ]
    return pd.DataFrame(rows, columns=["customer", "time", "kind", "amount", "detail"])


def main(argv: list[str] | None = None) -> int:
    print(f"goodwill {goodwill.__version__}")
    table = small_event_table()
    ledger = goodwill.Ledger(table)
    print(ledger)
    back = ledger.to_pandas()
    won = back[back["kind"] == "deal_won"].groupby("customer", observed=True)["amount"].sum()
    per_customer = back.groupby("customer", observed=True).agg(
        events=("kind", "size"), first=("time", "min"), last=("time", "max")
    )
    per_customer["won_value"] = won.reindex(per_customer.index).fillna(0.0)
    print(per_customer.to_string())
    assert np.array_equal(back["amount"].to_numpy(), table["amount"].to_numpy())
    synthetic_market_summary()
    return 0


def synthetic_market_summary(n_customers: int = 2000, seed: int = 0) -> pd.DataFrame:
    """A seeded synthetic market (3 years), summarised by archetype."""
    market = goodwill.synthetic_market(n_customers, years=3.0, seed=seed)
    print(market)
    events = market.ledger.to_pandas()
    events["archetype"] = market.archetypes.to_numpy()[market.ledger.to_numpy()["customer"]]
    counts = events.groupby(["archetype", "kind"], observed=False).size().unstack(fill_value=0)
    customers = market.archetypes.value_counts()
    summary = pd.DataFrame(
        {
            "customers": customers,
            "events_per_year": counts.sum(axis=1) / customers / 3.0,
            "price_match_per_deal": counts["price_match"] / counts["proposal"],
            "win_rate": counts["deal_won"] / (counts["deal_won"] + counts["deal_lost"]),
            "referrals_per_year": counts["referral_given"] / customers / 3.0,
            "churned": counts["churn"] / customers,
        }
    ).reindex(list(goodwill.ARCHETYPES))
    print(summary.round(2).to_string())
    return summary


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
