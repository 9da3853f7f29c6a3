"""The ``goodwill`` console command.

``goodwill report [SOURCE] [-o FILE] [--findings CSV]`` writes the HTML report (see
:func:`goodwill.report`); ``goodwill demo`` runs the demo.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="goodwill", description="goodwill: relationship selling, measured")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="write the HTML report")
    rep.add_argument(
        "source",
        nargs="?",
        default=None,
        help="a CRM opportunities export folder (sales_pipeline.csv, accounts.csv, products.csv, "
        "sales_teams.csv) or a saved ledger; default: a simulated market",
    )
    rep.add_argument("-o", "--output", default="goodwill-report.html", help="the HTML file to write")
    rep.add_argument(
        "--findings",
        default=None,
        help="also write every flagged item and recommendation to this CSV file (the table the HTML shows)",
    )
    rep.add_argument("--customers", type=int, default=2000, help="simulated market size (default 2000)")
    rep.add_argument("--years", type=float, default=3.0, help="simulated years (default 3)")
    rep.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    rep.add_argument("--threads", type=int, default=2, help="threads (default 2)")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.add_argument(
        "--trust-sample", type=int, default=None,
        help="fit trust on a seeded random sample of at most this many customers; 0: all "
             "(default: goodwill.report.TRUST_SAMPLE)",
    )
    sub.add_parser("demo", help="run the demo")
    args = parser.parse_args(argv)

    from . import GoodwillError

    if args.command == "demo":
        from .demo import main as demo_main

        return demo_main([])
    from .report import TRUST_SAMPLE, report

    try:
        path = report(
            args.source,
            args.output,
            customers=args.customers,
            years=args.years,
            seed=args.seed,
            threads=args.threads,
            progress=not args.quiet,
            findings=args.findings,
            trust_sample=TRUST_SAMPLE if args.trust_sample is None else (args.trust_sample or None),
        )
    except (GoodwillError, OSError) as exc:
        print(f"goodwill report: {exc}", file=sys.stderr)
        return 2
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
