// goodwill — decisions with reasons: what to do with a deal, and with a
// customer.
//
// Design: two rule sets that follow the relationship-selling essays
// (../shared/seeds) and explain themselves. Every recommendation carries the
// numbers it used and one sentence per rule that fired, so a sales leader can
// check it. Both are plain functions of numbers (no hidden state), vectorised
// over arrays; the Python layer (goodwill.decision) gathers the numbers from a
// ledger.
//
// Deals (seed 000: "walking away from a sale ... can be a valid strategy, done
// right. Walking away from the customer, well that's a different story"; seed
// 001: answer a late squeeze with "are there some other alternatives?"):
//
//   A salesperson owns a floor price. With the customer's offer o, our
//   standing price p (list price before the first counter), floor f, rival
//   quote q, relative time t, trust τ and relationship value V:
//   1. spiral      = τ < spiral_trust and price matches ≥ spiral_matches
//                    (low trust + repeated matching: the transactional
//                    spiral; we stop matching).
//   2. o ≥ p                               → accept (the customer met our price).
//   3. a late scope cut (t ≥ late_time) or a squeeze (o below the customer's
//      previous offer), alternatives not yet offered
//                                          → offer_alternatives.
//   4. o ≥ f: t ≥ accept_time              → accept (deadline near, above floor);
//      otherwise                           → counter at
//      c = max(f, o, f + (p_list − f)(1 − t^(1/e))) (time-dependent
//      concession, Faratin et al. 1998), never meeting a rival quote if
//      spiral.
//   5. o < f (below the floor): the shortfall s = f − o is accepted as an
//      investment only when τ ≥ invest_trust, not spiral, no rival quote
//      below the floor, and s ≤ invest_share × V; a rival quote below the
//      floor is never met or beaten. Otherwise offer_alternatives if none
//      were offered yet, else walk_away — from the sale, never from the
//      customer (the reasons say so).
//
// Customers (seed 000: "if we really put in the effort and we still can't get
// the customers' trust, then and only then"; seed 002: the salesperson owns
// the decision):
//
//   unprofitable = profit < min_profit (profit after cost-to-serve,
//                  profitability.hpp)
//   improving    = profit_trend > min_improvement (profit in the last
//                  trend_window_days minus profit in the window before)
//   effort made  = meetings ≥ min_meetings and discovery hours ≥
//                  min_discovery_hours and kept promises ≥ min_kept_promises,
//                  all within effort_window_days before as_of
//   low trust    = trust < low_trust
//
//   fire            ⇔ unprofitable ∧ ¬improving ∧ effort made ∧ low trust
//   reprice         ⇔ unprofitable ∧ ¬improving ∧ effort made ∧ ¬low trust
//   invest_in_trust ⇔ (unprofitable ∧ ¬improving ∧ ¬effort made)
//                     ∨ (¬unprofitable ∧ low trust)
//   keep            otherwise (profitable with trust, or improving).
//   `fire` needs all three of the essay's conditions; nothing else fires.
#ifndef GOODWILL_DECISION_HPP
#define GOODWILL_DECISION_HPP

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/value/profitability.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

// ---- deals ---------------------------------------------------------------------

/// What to do with a deal.
enum class deal_action : std::uint8_t {
  accept = 0,             ///< take the customer's offer
  counter = 1,            ///< make a counter-offer (counter_price)
  offer_alternatives = 2, ///< offer other packages (scope/service) instead of price
  walk_away = 3,          ///< walk away from this sale (not from the customer)
};
inline constexpr std::array<std::string_view, 4> deal_action_names{
    "accept", "counter", "offer_alternatives", "walk_away"};
template <> struct enum_traits<deal_action> {
  static constexpr const auto &names = deal_action_names;
};

/// One deal's negotiation state and context (prices in currency units).
struct deal_state {
  double floor_price = 0.0; ///< our floor: the lowest price we own (> 0)
  double list_price = 0.0;  ///< our opening price (>= floor)
  double our_price = std::numeric_limits<double>::quiet_NaN(); ///< our standing offer (NaN: list)
  double offer = 0.0; ///< the customer's current offer (>= 0)
  double previous_offer =
      std::numeric_limits<double>::quiet_NaN(); ///< their previous offer (NaN: none)
  double relative_time = 0.0;                   ///< 0 at the first offer, 1 at the deadline
  double trust = 0.5;                           ///< the customer's trust in us, in [0, 1]
  double customer_value = 0.0; ///< expected future profit of the relationship (>= 0)
  double competitor_quote = std::numeric_limits<double>::quiet_NaN(); ///< rival price (NaN: none)
  double scope_cut = 0.0;            ///< fraction of the scope cut by the customer (0: none)
  std::uint32_t price_matches = 0;   ///< recent price matches with this customer
  bool alternatives_offered = false; ///< alternatives already on the table
};

/// Thresholds of the deal rules (see the header comment).
struct deal_thresholds {
  double spiral_trust = 0.4;        ///< below this trust, repeated matching is a spiral
  std::uint32_t spiral_matches = 2; ///< ... with at least this many recent price matches
  double late_time = 0.5;           ///< a scope cut at or after this time is "late"
  double accept_time = 0.9;         ///< above the floor and this late: accept
  double concession_exponent = 0.5; ///< e of the counter schedule (< 1: Boulware)
  double invest_trust = 0.6;        ///< trust needed to accept below the floor
  double invest_share = 0.05;       ///< at most this share of the relationship value

  void validate() const {
    auto unit = [](const char *f, double v) {
      if (!(v >= 0.0 && v <= 1.0))
        throw invalid_input(f, "must be in [0, 1], got " + std::to_string(v));
    };
    unit("spiral_trust", spiral_trust);
    unit("late_time", late_time);
    unit("accept_time", accept_time);
    unit("invest_trust", invest_trust);
    unit("invest_share", invest_share);
    if (!(concession_exponent > 0.0 && std::isfinite(concession_exponent)))
      throw invalid_input("concession_exponent", "must be a positive finite number");
  }
};

/// A deal recommendation with its numbers and reasons.
struct deal_decision {
  deal_action action = deal_action::counter;
  double counter_price = std::numeric_limits<double>::quiet_NaN(); ///< when action == counter
  double gap_to_floor = 0.0; ///< offer − floor (negative: below the floor)
  double allowance = 0.0;    ///< invest_share × customer_value
  bool spiral = false;       ///< low trust + repeated price matching
  bool rival_below_floor = false;
  std::vector<std::string> reasons;
};

/// Deal decisions column by column (one NumPy array each in Python; `action`
/// holds deal_action codes). The reasons stay one list of strings per deal.
struct deal_decision_columns {
  std::vector<std::uint8_t> action;
  std::vector<double> counter_price, gap_to_floor, allowance;
  std::vector<std::uint8_t> spiral, rival_below_floor;
  std::vector<std::vector<std::string>> reasons;

  deal_decision_columns() = default;
  explicit deal_decision_columns(std::vector<deal_decision> &&rows) {
    for_each([n = rows.size()](const char *, auto &col) { col.resize(n); });
    reasons.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto &r = rows[i];
      action[i] = static_cast<std::uint8_t>(r.action);
      counter_price[i] = r.counter_price;
      gap_to_floor[i] = r.gap_to_floor;
      allowance[i] = r.allowance;
      spiral[i] = r.spiral;
      rival_below_floor[i] = r.rival_below_floor;
      reasons[i] = std::move(r.reasons);
    }
  }

  /// f(name, column) for every numeric column, in the order Python shows them.
  template <class F> void for_each(F &&f) {
    f("action", action);
    f("counter_price", counter_price);
    f("gap_to_floor", gap_to_floor);
    f("allowance", allowance);
    f("spiral", spiral);
    f("rival_below_floor", rival_below_floor);
  }
};

namespace detail {
inline std::string money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}
inline std::string num(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
inline std::string pct(double v) {
  return num(100.0 * v, 0) + "%";
}
} // namespace detail

/// Validate one deal; `row` names it in errors.
inline void validate_deal(const deal_state &d, std::int64_t row = -1) {
  auto fin = [&](const char *f, double v) {
    if (!std::isfinite(v))
      throw invalid_input(f, row, "must be finite, got " + std::to_string(v));
  };
  fin("floor_price", d.floor_price);
  fin("list_price", d.list_price);
  fin("offer", d.offer);
  fin("relative_time", d.relative_time);
  fin("trust", d.trust);
  fin("customer_value", d.customer_value);
  fin("scope_cut", d.scope_cut);
  if (!(d.floor_price > 0.0))
    throw invalid_input("floor_price", row, "must be positive");
  if (d.list_price < d.floor_price)
    throw invalid_input("list_price", row, "must be at least the floor price");
  if (d.offer < 0.0)
    throw invalid_input("offer", row, "must be >= 0");
  if (d.relative_time < 0.0 || d.relative_time > 1.0)
    throw invalid_input("relative_time", row, "must be in [0, 1]");
  if (d.trust < 0.0 || d.trust > 1.0)
    throw invalid_input("trust", row, "must be in [0, 1]");
  if (d.customer_value < 0.0)
    throw invalid_input("customer_value", row, "must be >= 0");
  if (d.scope_cut < 0.0 || d.scope_cut > 1.0)
    throw invalid_input("scope_cut", row, "must be in [0, 1]");
  if (!std::isnan(d.our_price) && !(std::isfinite(d.our_price) && d.our_price > 0.0))
    throw invalid_input("our_price", row, "must be positive or NaN");
  if (!std::isnan(d.competitor_quote) &&
      !(std::isfinite(d.competitor_quote) && d.competitor_quote >= 0.0))
    throw invalid_input("competitor_quote", row, "must be >= 0 or NaN");
  if (!std::isnan(d.previous_offer) &&
      !(std::isfinite(d.previous_offer) && d.previous_offer >= 0.0))
    throw invalid_input("previous_offer", row, "must be >= 0 or NaN");
}

/// Recommend what to do with one deal (see the header comment).
[[nodiscard]] inline deal_decision decide_deal(const deal_state &d,
                                               const deal_thresholds &th = {}) {
  using detail::money;
  using detail::num;
  using detail::pct;
  deal_decision r;
  const double p = std::isnan(d.our_price) ? d.list_price : d.our_price;
  const double f = d.floor_price;
  const double o = d.offer;
  const double t = d.relative_time;
  const bool has_rival = !std::isnan(d.competitor_quote);
  r.gap_to_floor = o - f;
  r.allowance = th.invest_share * d.customer_value;
  r.spiral = d.trust < th.spiral_trust && d.price_matches >= th.spiral_matches;
  r.rival_below_floor = has_rival && d.competitor_quote < f;
  auto &why = r.reasons;
  if (r.spiral)
    why.push_back("transactional spiral: trust " + num(d.trust) + " < " + num(th.spiral_trust) +
                  " after " + std::to_string(d.price_matches) +
                  " recent price matches; we stop meeting or beating prices");
  if (o >= p) {
    r.action = deal_action::accept;
    why.push_back("the offer " + money(o) + " meets our price " + money(p));
    return r;
  }
  const bool late_cut = d.scope_cut > 0.0 && t >= th.late_time;
  const bool squeeze = !std::isnan(d.previous_offer) && o < d.previous_offer;
  if ((late_cut || squeeze) && !d.alternatives_offered) {
    r.action = deal_action::offer_alternatives;
    if (late_cut)
      why.push_back("late scope cut of " + pct(d.scope_cut) + " at time " + num(t) +
                    ": answer with alternative packages, not a lower price");
    if (squeeze)
      why.push_back("price squeeze: the offer fell from " + money(d.previous_offer) + " to " +
                    money(o) + "; ask which alternatives they would consider");
    return r;
  }
  if (o >= f) {
    if (t >= th.accept_time) {
      r.action = deal_action::accept;
      why.push_back("the offer " + money(o) + " is " + money(o - f) + " above our floor " +
                    money(f) + " and the deadline is near (time " + num(t) + ")");
      return r;
    }
    const double schedule = f + (d.list_price - f) * (1.0 - std::pow(std::clamp(t, 0.0, 1.0),
                                                                     1.0 / th.concession_exponent));
    double c = std::max({f, o, std::min(schedule, p)});
    if (r.spiral) {
      c = p;
      why.push_back("we hold our price " + money(p) +
                    (has_rival ? " and do not match the rival quote " + money(d.competitor_quote)
                               : std::string()) +
                    " in a transactional spiral");
    } else if (has_rival && d.competitor_quote >= f) {
      why.push_back("the rival quote " + money(d.competitor_quote) +
                    " is above our floor; lead with value before price");
    }
    r.action = deal_action::counter;
    r.counter_price = c;
    why.push_back("the offer " + money(o) + " is above our floor " + money(f) +
                  " but below our price " + money(p) + "; counter at " + money(c) +
                  " (concession schedule at time " + num(t) + ")");
    return r;
  }
  // Below the floor.
  const double shortfall = f - o;
  why.push_back("the offer " + money(o) + " is " + money(shortfall) + " below our floor " +
                money(f));
  if (r.rival_below_floor)
    why.push_back("the rival quote " + money(d.competitor_quote) + " is below our floor " +
                  money(f) + ": we never meet or beat it");
  const bool invest =
      d.trust >= th.invest_trust && !r.spiral && !r.rival_below_floor && shortfall <= r.allowance;
  if (invest) {
    r.action = deal_action::accept;
    why.push_back("the relationship justifies it: trust " + num(d.trust) +
                  " >= " + num(th.invest_trust) + " and the shortfall is within " +
                  pct(th.invest_share) + " of the relationship value " + money(d.customer_value) +
                  " (" + money(r.allowance) + ")");
    return r;
  }
  if (shortfall > r.allowance)
    why.push_back("the shortfall exceeds " + pct(th.invest_share) + " of the relationship value " +
                  money(d.customer_value) + " (" + money(r.allowance) + ")");
  else if (d.trust < th.invest_trust)
    why.push_back("trust " + num(d.trust) + " is below " + num(th.invest_trust) +
                  ": a discount buys no loyalty here");
  if (!d.alternatives_offered) {
    r.action = deal_action::offer_alternatives;
    why.push_back("offer alternative packages that fit our floor before walking away");
    return r;
  }
  r.action = deal_action::walk_away;
  why.push_back("walk away from this sale, not from the customer: keep meeting them and "
                "build trust for the next one");
  return r;
}

/// Recommend for many deals (row i of the result for deals[i]).
[[nodiscard]] inline std::vector<deal_decision> decide_deals(std::span<const deal_state> deals,
                                                             const deal_thresholds &th = {}) {
  th.validate();
  for (std::size_t i = 0; i < deals.size(); ++i)
    validate_deal(deals[i], static_cast<std::int64_t>(i));
  std::vector<deal_decision> out;
  out.reserve(deals.size());
  for (const auto &d : deals)
    out.push_back(decide_deal(d, th));
  return out;
}

// ---- customers -------------------------------------------------------------------

/// What to do with a customer.
enum class customer_action : std::uint8_t {
  keep = 0,            ///< profitable with trust, or improving
  invest_in_trust = 1, ///< meet, discover, keep promises: the effort is not on record yet
  reprice = 2,         ///< trust holds but the price does not cover cost-to-serve
  fire = 3,            ///< unprofitable, not improving, and real effort failed
};
inline constexpr std::array<std::string_view, 4> customer_action_names{"keep", "invest_in_trust",
                                                                       "reprice", "fire"};
template <> struct enum_traits<customer_action> {
  static constexpr const auto &names = customer_action_names;
};

/// Thresholds of the customer rules (see the header comment).
struct customer_thresholds {
  double min_profit = 0.0;           ///< profit below this is unprofitable
  double min_improvement = 0.0;      ///< profit trend above this is improving
  double low_trust = 0.4;            ///< trust below this is low
  double min_meetings = 4;           ///< meetings within the effort window
  double min_discovery_hours = 2.0;  ///< discovery hours within the effort window
  double min_kept_promises = 2;      ///< promises kept within the effort window
  double effort_window_days = 365.0; ///< the effort must be this recent
  double trend_window_days = 365.0;  ///< profit trend: this window vs the one before

  void validate() const {
    auto fin = [](const char *f, double v) {
      if (!std::isfinite(v))
        throw invalid_input(f, "must be finite, got " + std::to_string(v));
    };
    fin("min_profit", min_profit);
    fin("min_improvement", min_improvement);
    if (!(low_trust >= 0.0 && low_trust <= 1.0))
      throw invalid_input("low_trust", "must be in [0, 1]");
    auto nonneg = [](const char *f, double v) {
      if (!(std::isfinite(v) && v >= 0.0))
        throw invalid_input(f, "must be a finite number >= 0, got " + std::to_string(v));
    };
    nonneg("min_meetings", min_meetings);
    nonneg("min_discovery_hours", min_discovery_hours);
    nonneg("min_kept_promises", min_kept_promises);
    if (!(std::isfinite(effort_window_days) && effort_window_days > 0.0))
      throw invalid_input("effort_window_days", "must be positive");
    if (!(std::isfinite(trend_window_days) && trend_window_days > 0.0))
      throw invalid_input("trend_window_days", "must be positive");
  }
};

/// Per-customer evidence gathered from a ledger (index = dense id).
struct customer_evidence {
  std::vector<double> meetings;        ///< meetings within the effort window
  std::vector<double> meeting_hours;   ///< their hours
  std::vector<double> discovery_hours; ///< discovery hours within the effort window
  std::vector<double> promises_kept;   ///< within the effort window
  std::vector<double> promises_broken; ///< within the effort window
  std::vector<double> recent_profit;   ///< profit in (as_of − w, as_of]
  std::vector<double> previous_profit; ///< profit in (as_of − 2w, as_of − w]
  std::vector<double> profit_trend;    ///< recent − previous
  std::vector<double> profit;          ///< lifetime profit up to as_of (as profitability())

  [[nodiscard]] std::size_t size() const noexcept { return meetings.size(); }
};

/// The profit one event contributes under `rates` (revenue × margin minus
/// its cost-to-serve), as in profitability().
[[nodiscard]] inline double event_profit(event_kind k, double amount, std::int32_t detail,
                                         const cost_rates &rates) noexcept {
  switch (k) {
  case event_kind::deal_won:
  case event_kind::purchase: {
    if (k == event_kind::deal_won ? !rates.count_deals_won : !rates.count_purchases)
      return 0.0;
    const double m =
        detail == margin_unknown ? rates.default_margin : static_cast<double>(detail) / 10000.0;
    return amount * m;
  }
  case event_kind::meeting:
    return -amount * rates.meeting_hour;
  case event_kind::discovery:
    return -amount * rates.discovery_hour;
  case event_kind::support:
    return -amount * rates.support_hour;
  case event_kind::custom_request:
    return -amount * rates.custom_request_hour;
  case event_kind::service_issue:
    return -rates.service_issue - amount * rates.service_issue_amount_share;
  default:
    return traits(k).negotiation_round ? -rates.negotiation_round : 0.0;
  }
}

/// Gather the evidence of every customer of the ledger as of `as_of` (events
/// after it are ignored).
[[nodiscard]] inline customer_evidence gather_evidence(const ledger &events, double as_of,
                                                       const customer_thresholds &th = {},
                                                       const cost_rates &rates = {}) {
  th.validate();
  rates.validate();
  if (!std::isfinite(as_of))
    throw invalid_input("as_of", "must be finite");
  const std::size_t n = events.customer_count();
  customer_evidence e;
  for (auto *v :
       {&e.meetings, &e.meeting_hours, &e.discovery_hours, &e.promises_kept, &e.promises_broken,
        &e.recent_profit, &e.previous_profit, &e.profit_trend, &e.profit})
    v->assign(n, 0.0);
  const auto cust = events.customers();
  const auto time = events.times();
  const auto kind = events.kinds();
  const auto amount = events.amounts();
  const auto detail = events.details();
  const double effort_from = as_of - th.effort_window_days;
  const double recent_from = as_of - th.trend_window_days;
  const double previous_from = as_of - 2.0 * th.trend_window_days;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const double ti = time[i];
    if (ti > as_of)
      continue;
    const auto c = cust[i];
    const auto k = static_cast<event_kind>(kind[i]);
    if (traits(k).earns_revenue && detail[i] != margin_unknown && detail[i] > 10000)
      throw invalid_input("detail", static_cast<std::int64_t>(i),
                          "margin of " + std::to_string(detail[i]) + " basis points is above 100%");
    const double pr = event_profit(k, amount[i], detail[i], rates);
    e.profit[c] += pr;
    if (ti <= previous_from)
      continue;
    (ti > recent_from ? e.recent_profit : e.previous_profit)[c] += pr;
    if (ti <= effort_from)
      continue;
    switch (k) {
    case event_kind::meeting:
      e.meetings[c] += 1.0;
      e.meeting_hours[c] += amount[i];
      break;
    case event_kind::discovery:
      e.discovery_hours[c] += amount[i];
      break;
    case event_kind::promise_kept:
      e.promises_kept[c] += 1.0;
      break;
    case event_kind::promise_broken:
      e.promises_broken[c] += 1.0;
      break;
    default:
      break;
    }
  }
  for (std::size_t c = 0; c < n; ++c)
    e.profit_trend[c] = e.recent_profit[c] - e.previous_profit[c];
  return e;
}

/// Inputs of the customer rules, one entry per customer.
struct customer_inputs {
  std::span<const double> profit;       ///< after cost-to-serve
  std::span<const double> profit_trend; ///< > min_improvement: improving
  std::span<const double> trust;        ///< in [0, 1]
  std::span<const double> meetings;
  std::span<const double> discovery_hours;
  std::span<const double> promises_kept;
};

/// The customer rule for one customer, without the reasons (used by the
/// simulator): the same conditions as decide_customers().
[[nodiscard]] inline customer_action customer_rule(double profit, double profit_trend, double trust,
                                                   double meetings, double discovery_hours,
                                                   double promises_kept,
                                                   const customer_thresholds &th) noexcept {
  const bool unprof = profit < th.min_profit;
  const bool low = trust < th.low_trust;
  if (!unprof)
    return low ? customer_action::invest_in_trust : customer_action::keep;
  if (profit_trend > th.min_improvement)
    return customer_action::keep;
  const bool effort = meetings >= th.min_meetings && discovery_hours >= th.min_discovery_hours &&
                      promises_kept >= th.min_kept_promises;
  if (!effort)
    return customer_action::invest_in_trust;
  return low ? customer_action::fire : customer_action::reprice;
}

/// Customer recommendations with their flags and reasons.
struct customer_decisions {
  std::vector<customer_action> action;
  std::vector<std::uint8_t> unprofitable, improving, effort_made, low_trust;
  std::vector<std::vector<std::string>> reasons;
  [[nodiscard]] std::size_t size() const noexcept { return action.size(); }
};

/// Recommend keep / invest_in_trust / reprice / fire for every customer (see
/// the header comment). Throws invalid_input naming the field and row.
[[nodiscard]] inline customer_decisions decide_customers(const customer_inputs &in,
                                                         const customer_thresholds &th = {}) {
  using detail::money;
  using detail::num;
  th.validate();
  const std::size_t n = in.profit.size();
  auto check = [n](const char *f, std::span<const double> v) {
    if (v.size() != n)
      throw invalid_input(f, "has " + std::to_string(v.size()) + " entries, profit has " +
                                 std::to_string(n));
    for (std::size_t i = 0; i < n; ++i)
      if (std::isnan(v[i]) || std::isinf(v[i]))
        throw invalid_input(f, static_cast<std::int64_t>(i), "is not a finite number");
  };
  check("profit", in.profit);
  check("profit_trend", in.profit_trend);
  check("trust", in.trust);
  check("meetings", in.meetings);
  check("discovery_hours", in.discovery_hours);
  check("promises_kept", in.promises_kept);
  for (std::size_t i = 0; i < n; ++i)
    if (in.trust[i] < 0.0 || in.trust[i] > 1.0)
      throw invalid_input("trust", static_cast<std::int64_t>(i), "must be in [0, 1]");
  customer_decisions r;
  r.action.resize(n);
  r.unprofitable.resize(n);
  r.improving.resize(n);
  r.effort_made.resize(n);
  r.low_trust.resize(n);
  r.reasons.resize(n);
  const std::string window = num(th.effort_window_days, 0) + " days";
  for (std::size_t i = 0; i < n; ++i) {
    const bool unprof = in.profit[i] < th.min_profit;
    const bool impr = in.profit_trend[i] > th.min_improvement;
    const bool effort = in.meetings[i] >= th.min_meetings &&
                        in.discovery_hours[i] >= th.min_discovery_hours &&
                        in.promises_kept[i] >= th.min_kept_promises;
    const bool low = in.trust[i] < th.low_trust;
    r.unprofitable[i] = unprof;
    r.improving[i] = impr;
    r.effort_made[i] = effort;
    r.low_trust[i] = low;
    auto &why = r.reasons[i];
    why.push_back(std::string(unprof ? "unprofitable" : "profitable") +
                  " after cost-to-serve: profit " + money(in.profit[i]) +
                  (unprof ? " < " : " >= ") + money(th.min_profit));
    const std::string effort_text =
        num(in.meetings[i], 0) + " meetings, " + num(in.discovery_hours[i], 1) +
        " discovery hours, " + num(in.promises_kept[i], 0) + " kept promises in " + window +
        " (needs " + num(th.min_meetings, 0) + ", " + num(th.min_discovery_hours, 1) + ", " +
        num(th.min_kept_promises, 0) + ")";
    const std::string trust_text =
        "trust " + num(in.trust[i]) + (low ? " < " : " >= ") + num(th.low_trust);
    customer_action a;
    if (!unprof) {
      if (low) {
        a = customer_action::invest_in_trust;
        why.push_back(trust_text + ": profitable but fragile; invest in the relationship");
      } else {
        a = customer_action::keep;
        why.push_back(trust_text);
      }
    } else if (impr) {
      a = customer_action::keep;
      why.push_back("improving: profit trend " + money(in.profit_trend[i]) + " > " +
                    money(th.min_improvement) + " (last window vs the one before)");
    } else {
      why.push_back("not improving: profit trend " + money(in.profit_trend[i]) +
                    " <= " + money(th.min_improvement));
      if (!effort) {
        a = customer_action::invest_in_trust;
        why.push_back("trust-building effort not on record: " + effort_text +
                      "; forget the sale and build trust first");
      } else if (!low) {
        a = customer_action::reprice;
        why.push_back("effort on record (" + effort_text + ") and " + trust_text +
                      ": the relationship holds, the price does not; reprice");
      } else {
        a = customer_action::fire;
        why.push_back("real effort on record (" + effort_text + ") and " + trust_text +
                      " still: the owner tells the customer in person");
      }
    }
    r.action[i] = a;
  }
  return r;
}

} // namespace goodwill

#endif // GOODWILL_DECISION_HPP
