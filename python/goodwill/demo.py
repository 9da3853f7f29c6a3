"""goodwill's main job: a simulated portfolio through the relationship engine.

Run it with ``make demo`` or ``python -m goodwill.demo``. It needs nothing
but goodwill itself: the portfolio is generated here (seeded, so every run
prints the same figures).
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

import goodwill


def _section(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def portfolio_summary(market: goodwill.Market, years: float) -> pd.DataFrame:
    """Per archetype: customers, events a year, price matches per deal, win rate, referrals, churn."""
    ledger = market.ledger
    codes = ledger.to_numpy()
    kinds = pd.Categorical.from_codes(codes["kind"].astype("int8"), categories=pd.Index(list(goodwill.EVENT_KINDS)))
    archetype = market.archetypes.to_numpy()[codes["customer"]]
    counts = pd.crosstab(archetype, kinds, dropna=False)
    customers = market.archetypes.value_counts()
    summary = pd.DataFrame(
        {
            "customers": customers,
            "events_per_year": counts.sum(axis=1) / customers / years,
            "price_matches_per_deal": counts["price_match"] / counts["proposal"],
            "win_rate": counts["deal_won"] / (counts["deal_won"] + counts["deal_lost"]),
            "referrals_per_year": counts["referral_given"] / customers / years,
            "churned": counts["churn"] / customers,
        }
    )
    return summary.reindex(list(goodwill.ARCHETYPES))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m goodwill.demo", description=__doc__)
    parser.add_argument("--customers", type=int, default=2000, help="portfolio size (default 2000)")
    parser.add_argument("--years", type=float, default=3.0, help="years of history (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--threads", type=int, default=2, help="replay threads (default 2)")
    parser.add_argument(
        "--report", default="goodwill-report.html", help="where to write the HTML report ('' for none)"
    )
    args = parser.parse_args(argv)

    print(f"goodwill {goodwill.__version__}: relationship selling, replayed")
    started = time.perf_counter()
    market = goodwill.synthetic_market(
        n_customers=args.customers, years=args.years, seed=args.seed, threads=args.threads
    )
    ledger = market.ledger
    print(f"portfolio: {ledger.n_customers:,} customers, {len(ledger):,} events over {args.years:g} years "
          f"(seed {args.seed})")
    print(portfolio_summary(market, args.years).round(2).to_string())

    model = goodwill.relationship_selling()
    replay = model.replay(ledger, threads=args.threads)
    snap = replay.snapshot()
    snap["archetype"] = market.archetypes.reindex(snap.index).to_numpy()

    _section("Where the customers are now (state by archetype)")
    table = pd.crosstab(snap["state"], snap["archetype"], margins=True, margins_name="all")
    print(table.to_string())

    _section("Trust and its features by archetype (means)")
    features = ["trust", "engagement", "loyalty", "price_sensitivity"]
    print(snap.groupby("archetype", observed=True)[features].mean().round(3).to_string())

    _section("Most common transitions")
    log = replay.transitions()
    top = log.groupby(["from", "to", "event"], observed=True).size().sort_values(ascending=False).head(12)
    print(top.rename("count").to_string())

    _section("Customers in a transactional spiral (meet-or-beat, falling margins)")
    spiral = goodwill.transactional_spiral(ledger)
    spiral["archetype"] = market.archetypes.reindex(spiral.index).to_numpy()
    caught = spiral[spiral["transactional_spiral"]]
    share = caught["archetype"].value_counts().reindex(market.archetypes.cat.categories, fill_value=0)
    print(f"{len(caught):,} of {len(spiral):,} customers; by archetype:")
    print(share.to_string())
    cols = ["archetype", "deals_won", "won_after_match", "matched_win_share", "mean_concession_depth", "margin_trend"]
    worst = caught.sort_values("margin_trend").head(8)[cols]
    print()
    print(worst.round(3).to_string())
    if args.report:
        path = goodwill.report(market, args.report, threads=args.threads)
        _section("Report")
        print(f"the HTML report (state flow, trust, spiral, win/loss) is at {path}")
    print(f"\ndone in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
