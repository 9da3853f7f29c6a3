// goodwill — customer profitability after activity-based cost-to-serve, and
// the whale curve.
//
// Design: one pass over the ledger's columns in arrival order (no sort is
// needed: every measure is a sum per customer), accumulating per customer:
//
//   revenue        = Σ amount of deal_won and purchase events (a purchase may
//                    be negative: a refund). Either kind can be left out
//                    (cost_rates::count_deals_won / count_purchases) for CRMs
//                    that log a contract as a won deal AND its orders as
//                    purchases, which would otherwise count twice.
//   gross_margin   = Σ amount × margin, margin = detail / 10 000 (basis
//                    points) when known, cost_rates::default_margin when the
//                    detail is margin_unknown; `assumed_margin_revenue` says
//                    how much revenue carried the assumed margin.
//   cost_to_serve  = meeting hours × meeting_hour
//                  + discovery hours × discovery_hour
//                  + negotiation rounds × negotiation_round
//                  + support hours × support_hour
//                  + custom-request hours × custom_request_hour
//                  + service issues × service_issue
//                  + Σ service-issue amounts × service_issue_amount_share.
//                    A negotiation round is one proposal, competitor_quote,
//                    concession, price_match, scope_change or
//                    alternative_offered event (the negotiation_round flag
//                    of event.hpp's kind table): each is one exchange of the
//                    haggle that a salesperson must prepare and answer.
//                    Concession amounts are NOT costs here: the discount is
//                    already in the lower close value (revenue).
//   profit         = gross_margin − cost_to_serve
//   effort_hours   = meeting + discovery + support + custom-request hours
//                    + rounds × hours_per_round (a round's amount is a price,
//                    not hours, so its effort is the configured hours).
//   profit_per_hour = profit / effort_hours; NaN when effort_hours is 0.
//
// Every customer of the ledger gets a row, including those with no events.
//
// The whale curve (Kaplan & Narayanan 2001; Cooper & Kaplan 1991) ranks
// customers by profit, most profitable first (ties by dense id), and plots the
// cumulative profit as a share of the total profit against the share of
// customers. It rises above 100% while customers are profitable, peaks at the
// last profitable customer (peak_share = Σ positive profits / total profit),
// and falls back to exactly 100% through the loss tail (loss_tail = −Σ
// negative profits, the profit the unprofitable customers destroy). Shares are
// NaN when the total profit is not positive (the curve has no meaningful
// scale then); the absolute cumulative profits are always reported.
#ifndef GOODWILL_VALUE_PROFITABILITY_HPP
#define GOODWILL_VALUE_PROFITABILITY_HPP

#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace goodwill {

/// Activity rates of cost-to-serve, the default margin and what counts as
/// revenue. Rates are in currency units; the defaults are illustrative (a
/// loaded sales hour of 150, support and custom work cheaper) — set your own.
struct cost_rates {
  double meeting_hour = 150.0;        ///< per hour of meeting (amount of `meeting`)
  double discovery_hour = 150.0;      ///< per hour of discovery (amount of `discovery`)
  double negotiation_round = 100.0;   ///< per negotiation round (see the header note)
  double support_hour = 80.0;         ///< per hour of support (amount of `support`)
  double custom_request_hour = 120.0; ///< per hour of custom work (amount of `custom_request`)
  double service_issue = 250.0;       ///< fixed cost per service issue
  /// Share of a service issue's amount (its cost to the customer) that we
  /// bear, e.g. as credits; 0 by default.
  double service_issue_amount_share = 0.0;
  /// Effort hours a negotiation round takes.
  double hours_per_round = 1.0;
  /// Gross margin (a fraction of revenue) assumed where the margin is unknown.
  double default_margin = 0.30;
  bool count_deals_won = true; ///< deal_won amounts are revenue
  bool count_purchases = true; ///< purchase amounts are revenue

  /// Throws invalid_input naming the offending field.
  void validate() const {
    auto nonneg = [](const char *field, double v) {
      if (!(std::isfinite(v) && v >= 0.0))
        throw invalid_input(field, "must be a finite number >= 0, got " + std::to_string(v));
    };
    nonneg("meeting_hour", meeting_hour);
    nonneg("discovery_hour", discovery_hour);
    nonneg("negotiation_round", negotiation_round);
    nonneg("support_hour", support_hour);
    nonneg("custom_request_hour", custom_request_hour);
    nonneg("service_issue", service_issue);
    nonneg("service_issue_amount_share", service_issue_amount_share);
    nonneg("hours_per_round", hours_per_round);
    if (!(std::isfinite(default_margin) && default_margin <= 1.0))
      throw invalid_input("default_margin",
                          "must be a finite fraction <= 1, got " + std::to_string(default_margin));
  }
};

/// Per-customer profitability, column by column (index = dense id).
struct profitability_table {
  std::vector<double> revenue, gross_margin, assumed_margin_revenue;
  std::vector<double> meeting_hours, discovery_hours, support_hours, custom_request_hours;
  std::vector<std::uint32_t> negotiation_rounds, service_issues;
  std::vector<double> service_issue_amount;
  std::vector<double> cost_to_serve, profit, effort_hours, profit_per_hour;

  [[nodiscard]] std::size_t size() const noexcept { return revenue.size(); }
};

/// Profitability of every customer of the ledger. Throws invalid_input
/// (naming the field and row) for a deal_won or purchase whose margin is
/// above 10 000 basis points (100%).
[[nodiscard]] inline profitability_table profitability(const ledger &events,
                                                       const cost_rates &rates = {}) {
  rates.validate();
  const std::size_t n = events.customer_count();
  const auto cust = events.customers();
  const auto kind = events.kinds();
  const auto amount = events.amounts();
  const auto detail = events.details();
  // Per-customer accumulators side by side (one cache line per customer):
  // customers are visited in arrival order, i.e. at random.
  struct acc {
    double revenue = 0, margin = 0, assumed = 0, meeting = 0, discovery = 0, support = 0,
           custom = 0, issue_amount = 0;
    std::uint32_t rounds = 0, issues = 0;
  };
  std::vector<acc> a(n);
  const std::size_t m = events.size();
  for (std::size_t i = 0; i < m; ++i) {
    acc &x = a[cust[i]];
    const double v = amount[i];
    const auto k = static_cast<event_kind>(kind[i]);
    switch (k) {
    case event_kind::deal_won:
    case event_kind::purchase: {
      if (k == event_kind::deal_won ? !rates.count_deals_won : !rates.count_purchases)
        break;
      const std::int32_t d = detail[i];
      double margin = rates.default_margin;
      if (d == margin_unknown) {
        x.assumed += v;
      } else {
        if (d > 10000)
          throw invalid_input("detail", static_cast<std::int64_t>(i),
                              "margin of " + std::to_string(d) + " basis points is above 100%");
        margin = static_cast<double>(d) / 10000.0;
      }
      x.revenue += v;
      x.margin += v * margin;
      break;
    }
    case event_kind::meeting:
      x.meeting += v;
      break;
    case event_kind::discovery:
      x.discovery += v;
      break;
    case event_kind::support:
      x.support += v;
      break;
    case event_kind::custom_request:
      x.custom += v;
      break;
    case event_kind::service_issue:
      ++x.issues;
      x.issue_amount += v;
      break;
    default:
      if (traits(k).negotiation_round)
        ++x.rounds;
      break;
    }
  }
  profitability_table t;
  for (auto *col :
       {&t.revenue, &t.gross_margin, &t.assumed_margin_revenue, &t.meeting_hours,
        &t.discovery_hours, &t.support_hours, &t.custom_request_hours, &t.service_issue_amount})
    col->resize(n);
  t.negotiation_rounds.resize(n);
  t.service_issues.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    t.revenue[c] = a[c].revenue;
    t.gross_margin[c] = a[c].margin;
    t.assumed_margin_revenue[c] = a[c].assumed;
    t.meeting_hours[c] = a[c].meeting;
    t.discovery_hours[c] = a[c].discovery;
    t.support_hours[c] = a[c].support;
    t.custom_request_hours[c] = a[c].custom;
    t.service_issue_amount[c] = a[c].issue_amount;
    t.negotiation_rounds[c] = a[c].rounds;
    t.service_issues[c] = a[c].issues;
  }
  t.cost_to_serve.resize(n);
  t.profit.resize(n);
  t.effort_hours.resize(n);
  t.profit_per_hour.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    const double rounds = static_cast<double>(t.negotiation_rounds[c]);
    t.cost_to_serve[c] =
        t.meeting_hours[c] * rates.meeting_hour + t.discovery_hours[c] * rates.discovery_hour +
        rounds * rates.negotiation_round + t.support_hours[c] * rates.support_hour +
        t.custom_request_hours[c] * rates.custom_request_hour +
        static_cast<double>(t.service_issues[c]) * rates.service_issue +
        t.service_issue_amount[c] * rates.service_issue_amount_share;
    t.profit[c] = t.gross_margin[c] - t.cost_to_serve[c];
    t.effort_hours[c] = t.meeting_hours[c] + t.discovery_hours[c] + t.support_hours[c] +
                        t.custom_request_hours[c] + rounds * rates.hours_per_round;
    t.profit_per_hour[c] = t.effort_hours[c] > 0.0 ? t.profit[c] / t.effort_hours[c]
                                                   : std::numeric_limits<double>::quiet_NaN();
  }
  return t;
}

/// The whale curve of a set of customer profits (see the header note).
struct whale_curve_result {
  /// Customers (positions in the input) ranked by profit, most profitable first.
  std::vector<std::uint32_t> order;
  /// Cumulative profit after each ranked customer, and its share of the total
  /// (NaN when total_profit <= 0).
  std::vector<double> cumulative_profit, cumulative_share;
  double total_profit = 0.0;
  /// Σ of positive profits (the height of the peak in currency).
  double peak_profit = 0.0;
  /// Highest cumulative share (NaN when total_profit <= 0) and the share of
  /// customers at which it is reached (0 when no customer is profitable).
  double peak_share = 0.0, peak_customer_share = 0.0;
  /// Profit destroyed by the unprofitable customers: −Σ negative profits (>= 0).
  double loss_tail = 0.0;
  std::size_t profitable = 0, unprofitable = 0;
};

/// Compute the whale curve. Throws invalid_input (naming the row) if a profit
/// is not finite.
[[nodiscard]] inline whale_curve_result whale_curve(std::span<const double> profit) {
  const std::size_t n = profit.size();
  if (n > 0xFFFFFFFFu)
    throw invalid_input("profit", "too many customers for a whale curve");
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(profit[i]))
      throw invalid_input("profit", static_cast<std::int64_t>(i), "is not finite");
  whale_curve_result w;
  w.order.resize(n);
  std::iota(w.order.begin(), w.order.end(), 0u);
  std::stable_sort(w.order.begin(), w.order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return profit[a] > profit[b]; });
  w.cumulative_profit.resize(n);
  double run = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    const double p = profit[w.order[r]];
    run += p;
    w.cumulative_profit[r] = run;
    if (p > 0) {
      ++w.profitable;
      w.peak_profit += p;
    } else if (p < 0) {
      ++w.unprofitable;
      w.loss_tail -= p;
    }
  }
  // the exact total (the running sum may differ in the last bits)
  w.total_profit = w.peak_profit - w.loss_tail;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  w.cumulative_share.resize(n);
  const bool scaled = w.total_profit > 0.0;
  for (std::size_t r = 0; r < n; ++r)
    w.cumulative_share[r] = scaled ? w.cumulative_profit[r] / w.total_profit : nan;
  if (scaled && n > 0)
    w.cumulative_share[n - 1] = 1.0;
  w.peak_share = scaled ? w.peak_profit / w.total_profit : nan;
  w.peak_customer_share = n > 0 ? static_cast<double>(w.profitable) / static_cast<double>(n) : 0.0;
  return w;
}

} // namespace goodwill

#endif // GOODWILL_VALUE_PROFITABILITY_HPP
