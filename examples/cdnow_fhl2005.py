"""The CDNOW study of Fader, Hardie & Lee (2005), "Counting your customers
the easy way: an alternative to the Pareto/NBD model", Marketing Science
24(2), 275-284, reproduced with goodwill.

Data: the 1/10 systematic sample of the CDNOW cohort (2,357 customers whose
first purchase was in Q1 1997), ``CDNOW_sample.txt`` from Bruce Hardie's site
(http://brucehardie.com/datasets/, also shipped by lifetimes and BTYD).
Calibration: weeks 1-39 (to 1997-09-30); holdout: weeks 40-78 (to
1998-06-30). Purchases on one day count once; time is in weeks.

What it prints and plots:

* BG/NBD and Pareto/NBD fitted on the calibration period, beside the
  published estimates (BG/NBD: FHL 2005 section 5; Pareto/NBD: the same
  paper / Fader & Hardie's note 009) and log-likelihoods.
* Total repeat transactions in the 39-week holdout: actual against each
  model's prediction, both the sum of the customers' conditional
  expectations (FHL eq. 10) and the unconditional cohort forecast (the
  tracking plot's week-78 minus week-39 figure).
* Conditional expectations by number of calibration repeat transactions
  (0, 1, ..., 6, 7+): mean holdout transactions, actual and predicted
  (FHL 2005 Figure 4).

Published figures beside goodwill's: the estimates, log-likelihoods and the
worked example (FHL 2005), and the holdout's actual side (customers and mean
holdout transactions by calibration frequency, as printed by the BTYD
walkthrough of McCarthy & Wadsworth). The forecast totals and conditional
expectations are goodwill's from those estimates; this example does not
quote the paper's own printed forecast numbers. On this data (weeks 40-78:
1,882 actual repeat transactions) both models under-forecast: BG/NBD by
12.1% (sum of conditional expectations) / 11.4% (cohort forecast),
Pareto/NBD by 11.5% / 7.3%; tests/python/test_cdnow_study.py holds these
within stated tolerances.

Run:  python examples/cdnow_fhl2005.py PATH/TO/CDNOW_sample.txt [-o cdnow_fhl2005.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import goodwill
import numpy as np
import pandas as pd

CALIBRATION_END = "1997-09-30"
OBSERVATION_END = "1998-06-30"
HOLDOUT_WEEKS = 39.0

#: Published estimates (weekly time unit) and log-likelihoods on this
#: calibration summary: FHL 2005 (BG/NBD), Fader & Hardie 2005 note 009 and
#: FHL 2005 (Pareto/NBD).
PUBLISHED = {
    "BG/NBD": {"params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, "log_likelihood": -9582.4},
    "Pareto/NBD": {"params": {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669},
                   "log_likelihood": -9595.0},
}
#: FHL 2005's worked example: a customer with x = 2, t_x = 30.43, T = 38.86
#: is expected to make 1.226 repeat purchases in the next 39 weeks (BG/NBD).
PUBLISHED_EXAMPLE = 1.226


def load_transactions(path: str | Path) -> pd.DataFrame:
    """CDNOW_sample.txt: master id, sample id, date (YYYYMMDD), CDs, dollars."""
    tx = pd.read_csv(path, sep=r"\s+", header=None, names=["customer_id", "id", "date", "cds", "dollars"])
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    return tx


def study(path: str | Path) -> dict[str, Any]:
    """Fit both models on weeks 1-39 and score them on weeks 40-78."""
    tx = load_transactions(path)
    data = goodwill.calibration_and_holdout_data(
        tx, "id", "date", calibration_period_end=CALIBRATION_END, observation_period_end=OBSERVATION_END,
        freq="D", freq_multiplier=7)
    x, tx_, t_cal = data["frequency_cal"], data["recency_cal"], data["T_cal"]
    models = {
        "BG/NBD": goodwill.BetaGeoFitter().fit(x, tx_, t_cal),
        "Pareto/NBD": goodwill.ParetoNBDFitter().fit(x, tx_, t_cal),
    }
    bins = x.clip(upper=7).astype(int)
    table = pd.DataFrame({"customers": bins.value_counts().sort_index(),
                          "actual": data["frequency_holdout"].groupby(bins).mean()})
    totals: dict[str, float] = {"actual": float(data["frequency_holdout"].sum())}
    # The unconditional forecast: each customer's expected repeat purchases
    # between their age at week 39 and 39 weeks later (the cohort tracking
    # forecast of FHL 2005 Figure 3, summed over weeks 40-78).
    unconditional: dict[str, float] = {}
    fits: dict[str, Any] = {}
    for name, model in models.items():
        conditional = model.conditional_expected_number_of_purchases_up_to_time(HOLDOUT_WEEKS, x, tx_, t_cal)
        table[name] = conditional.groupby(bins).mean()
        totals[name] = float(conditional.sum())
        ages = t_cal.to_numpy()
        unconditional[name] = float(np.sum(
            model.expected_number_of_purchases_up_to_time(ages + HOLDOUT_WEEKS)
            - model.expected_number_of_purchases_up_to_time(ages)))
        fits[name] = {"params": model.params_, "standard_errors": model.standard_errors_,
                      "log_likelihood": model.log_likelihood_}
    table.index = [str(i) if i < 7 else "7+" for i in table.index]
    table.index.name = "calibration repeat transactions"
    example = float(models["BG/NBD"].conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86))
    return {"data": data, "models": models, "fits": fits, "conditional": table, "totals": totals,
            "unconditional": unconditional, "example": example, "transactions": tx}


def plot(result: dict[str, Any], path: str | Path) -> None:
    """Write the study's figure: conditional expectations (FHL Figure 4) and
    weekly cumulative repeat transactions with the BG/NBD forecast."""
    import matplotlib

    matplotlib.use("Agg")
    from goodwill.plotting import plot_cumulative_transactions
    from matplotlib import pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    table = result["conditional"]
    left.plot(table.index, table["actual"], "k-o", label="Actual")
    left.plot(table.index, table["BG/NBD"], "b--s", label="BG/NBD (goodwill)")
    left.plot(table.index, table["Pareto/NBD"], "g:^", label="Pareto/NBD (goodwill)")
    left.set_xlabel("Repeat transactions in weeks 1-39 (calibration)")
    left.set_ylabel("Mean repeat transactions in weeks 40-78 (per customer)")
    left.set_title("Conditional expectations, CDNOW 1/10 sample\n(FHL 2005, Figure 4)")
    left.legend()
    # Row i of the tracking table is the end of week i + 1: row 38 ends the calibration.
    plot_cumulative_transactions(result["models"]["BG/NBD"], result["transactions"], "date", "id",
                                 t=78 * 7, t_cal=38, freq="D", freq_multiplier=7, ax=right,
                                 title="Cumulative repeat transactions, BG/NBD forecast")
    right.set_xlabel("Week since 1997-01-01 (model time unit: week)")
    totals = result["totals"]
    fig.text(0.5, 0.005, (f"Weeks 40-78 holdout: actual {totals['actual']:.0f} repeat transactions; "
                          f"BG/NBD {totals['BG/NBD']:.0f}, Pareto/NBD {totals['Pareto/NBD']:.0f} "
                          f"(sum of conditional expectations, 2,357 customers)"), ha="center", fontsize=9)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def report(result: dict[str, Any]) -> str:
    lines = ["CDNOW 1/10 sample, 2,357 customers; calibration weeks 1-39, holdout weeks 40-78", ""]
    for name, published in PUBLISHED.items():
        fit = result["fits"][name]
        lines.append(f"{name}: parameter  published  goodwill  (se)")
        for k, v in published["params"].items():
            lines.append(f"  {k:>6}  {v:9.3f}  {fit['params'][k]:8.3f}  ({fit['standard_errors'][k]:.3f})")
        lines.append(f"  log-likelihood  published {published['log_likelihood']:.1f}  "
                     f"goodwill {fit['log_likelihood']:.1f}")
    lines.append(f"BG/NBD example (x=2, t_x=30.43, T=38.86, 39 weeks): published {PUBLISHED_EXAMPLE}, "
                 f"goodwill {result['example']:.3f}")
    t = result["totals"]
    lines += ["", "Holdout repeat transactions (weeks 40-78):", f"  actual                         {t['actual']:.0f}"]
    for name in PUBLISHED:
        err = 100 * (t[name] - t["actual"]) / t["actual"]
        lines.append(f"  {name:<10} conditional sum     {t[name]:.1f}  ({err:+.1f}%)")
        u = result["unconditional"][name]
        lines.append(f"  {name:<10} unconditional       {u:.1f}  ({100 * (u - t['actual']) / t['actual']:+.1f}%)")
    lines += ["", "Conditional expectations (mean holdout transactions by calibration transactions):",
              result["conditional"].round(3).to_string()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sample", help="CDNOW_sample.txt")
    parser.add_argument("-o", "--output", default="cdnow_fhl2005.png", help="the figure to write (PNG)")
    args = parser.parse_args(argv)
    result = study(args.sample)
    print(report(result))
    plot(result, args.output)
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
