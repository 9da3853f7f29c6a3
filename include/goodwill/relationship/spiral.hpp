// goodwill — the transactional spiral, per customer.
//
// Design: the first seed's "downward spiral" — the customer dangles the sale,
// we price it, they negotiate us down and shop it around, cite a better price
// elsewhere, we meet or beat it, and the game repeats — leaves a trace in the
// ledger that this header measures deal by deal. A deal opens with a proposal
// (its amount is the list price) and closes with deal_won or deal_lost; the
// competitor quotes, price matches and concessions in between belong to it.
// Events outside an open deal still count in the customer's totals.
//
// Per won deal:
//   concession depth  = 1 − close/list when the list price is known (a
//                       proposal opened the deal), else concessions/(close +
//                       concessions); clamped to [0, 1];
//   margin %          = detail/100 of deal_won (basis points) when known.
// Per customer:
//   margin_trend      = least-squares slope of margin % against time, in
//                       percentage points per 365 days, over won deals. If any
//                       won deal has an unknown margin, the price kept,
//                       100·(1 − concession depth), stands in for all of them
//                       (margin_basis = price_realisation); NaN with fewer
//                       than two won deals at distinct times.
//   matched_win_share = won deals with a price match / won deals.
//   won_after_concession = won deals with a concession and no price match
//                       (as the trust channel of the same name, trust.hpp,
//                       except that a proposal also opens a new deal here);
//   lost_on_price     = deals lost with loss reason price;
//   margin_level      = mean margin % over won deals (margin_basis margin),
//                       or mean price kept % (price_realisation); NaN if none.
// Two stages of the spiral (spiral_params, all configurable):
//   falling      = won_after_match ≥ min_matched_wins
//                  and matched_win_share ≥ min_matched_share
//                  and (margin_trend < max_margin_trend, or, when the trend
//                       is NaN, mean concession depth ≥ min_concession_depth).
//   bottomed_out = the price game has been won many times at a flat, low
//                  margin (a flat, low spiral is bottomed out even when its
//                  noisy trend dips below max_margin_trend):
//                  won_after_match + won_after_concession ≥ min_bottomed_wins
//                  and (won_after_match + won_after_concession) / deals_won
//                      ≥ min_matched_share
//                  and |margin_trend| ≤ max_flat_trend (a known trend)
//                  and low: margin_level ≤ max_bottomed_margin (basis margin)
//                       or, on the price-realisation basis, mean concession
//                       depth ≥ min_concession_depth.
//   transactional_spiral = falling or bottomed_out; stage says which
//                  (bottomed_out when both hold).
// The counts the flag rests on (competitor_quotes, won_after_match,
// won_after_concession, lost_on_price) are returned with it.
#ifndef GOODWILL_RELATIONSHIP_SPIRAL_HPP
#define GOODWILL_RELATIONSHIP_SPIRAL_HPP

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// Thresholds of the transactional-spiral flag.
struct spiral_params {
  /// Won deals that needed a price match, at least.
  std::uint32_t min_matched_wins = 2;
  /// Share of won deals that needed a price match, at least.
  double min_matched_share = 0.5;
  /// The margin trend (points per year) must be below this. A fall of less
  /// than 2 points a year is within the noise of a few deals: flat, not falling.
  double max_margin_trend = -2.0;
  /// Used instead of the trend when it is unknown: mean concession depth.
  /// Also the "low" test of a bottomed-out spiral when margins are unknown.
  double min_concession_depth = 0.10;
  /// Bottomed out: matched or conceded wins, at least.
  std::uint32_t min_bottomed_wins = 3;
  /// Bottomed out: the margin trend is flat, |trend| at most this (points per year).
  double max_flat_trend = 2.0;
  /// Bottomed out: the mean margin is low, at most this (percent; margin basis).
  double max_bottomed_margin = 15.0;

  /// Throws invalid_input naming the offending field.
  void validate() const {
    if (!(min_matched_share >= 0.0 && min_matched_share <= 1.0))
      throw invalid_input("min_matched_share",
                          "must be in [0, 1], got " + std::to_string(min_matched_share));
    if (!std::isfinite(max_margin_trend))
      throw invalid_input("max_margin_trend", "must be finite");
    if (!(min_concession_depth >= 0.0 && min_concession_depth <= 1.0))
      throw invalid_input("min_concession_depth",
                          "must be in [0, 1], got " + std::to_string(min_concession_depth));
    if (!(std::isfinite(max_flat_trend) && max_flat_trend >= 0.0))
      throw invalid_input("max_flat_trend",
                          "must be a finite number >= 0, got " + std::to_string(max_flat_trend));
    if (!std::isfinite(max_bottomed_margin))
      throw invalid_input("max_bottomed_margin", "must be finite");
  }
};

/// Where a customer's margin trend comes from.
enum class margin_basis : std::uint8_t {
  none = 0,              ///< no won deals
  margin = 1,            ///< margins recorded on deal_won
  price_realisation = 2, ///< 100·close/list stands in for unknown margins
};
template <> struct enum_traits<margin_basis> {
  static constexpr std::array<std::string_view, 3> names{"none", "margin", "price_realisation"};
};

/// Which stage of the spiral a customer is in (see the header note).
enum class spiral_stage : std::uint8_t {
  none = 0,
  falling = 1,      ///< matched wins at a falling margin
  bottomed_out = 2, ///< matched or conceded wins at a flat, low margin
};

/// Names of the stages, indexed by code.
inline constexpr std::array<std::string_view, 3> spiral_stage_names{"none", "falling",
                                                                    "bottomed_out"};
template <> struct enum_traits<spiral_stage> {
  static constexpr const auto &names = spiral_stage_names;
};

/// The spiral measures of every customer, column by column (index = dense id).
struct spiral_summary {
  std::vector<std::uint32_t> competitor_quotes, price_matches, concessions;
  std::vector<std::uint32_t> deals_won, deals_lost, won_after_match;
  std::vector<std::uint32_t> won_after_concession, lost_on_price;
  std::vector<double> mean_concession_depth; ///< over won deals; NaN if none
  std::vector<double> matched_win_share;     ///< NaN if no won deals
  std::vector<double> margin_trend;          ///< points per 365 days; NaN if unknown
  std::vector<double> margin_level;          ///< mean margin % or price kept %; NaN if none
  std::vector<margin_basis> basis;
  std::vector<spiral_stage> stage;
  std::vector<std::uint8_t> transactional_spiral;

  [[nodiscard]] std::size_t size() const noexcept { return deals_won.size(); }
};

namespace detail {

/// Least-squares slope of y on x; NaN unless x takes two distinct values.
inline double ols_slope(const std::vector<double> &x, const std::vector<double> &y) {
  const std::size_t n = x.size();
  if (n < 2)
    return std::numeric_limits<double>::quiet_NaN();
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  return sxx > 0 ? sxy / sxx : std::numeric_limits<double>::quiet_NaN();
}

} // namespace detail

/// Measure the transactional spiral of every customer in the ledger.
[[nodiscard]] inline spiral_summary transactional_spiral(const ledger &events,
                                                         const spiral_params &params = {}) {
  params.validate();
  const std::size_t n = events.customer_count();
  const auto &order = events.order();
  const auto &offsets = events.customer_offsets();
  const auto time = events.times();
  const auto kind = events.kinds();
  const auto amount = events.amounts();
  const auto detail = events.details();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  spiral_summary s;
  for (auto *v : {&s.competitor_quotes, &s.price_matches, &s.concessions, &s.deals_won,
                  &s.deals_lost, &s.won_after_match, &s.won_after_concession, &s.lost_on_price})
    v->assign(n, 0);
  s.mean_concession_depth.assign(n, nan);
  s.matched_win_share.assign(n, nan);
  s.margin_trend.assign(n, nan);
  s.margin_level.assign(n, nan);
  s.basis.assign(n, margin_basis::none);
  s.stage.assign(n, spiral_stage::none);
  s.transactional_spiral.assign(n, 0);

  std::vector<double> won_time, won_margin, won_kept;
  for (std::size_t c = 0; c < n; ++c) {
    won_time.clear();
    won_margin.clear();
    won_kept.clear();
    bool all_margins_known = true;
    double depth_sum = 0;
    // the open deal
    double list = nan, conceded = 0;
    bool matched = false, any_concession = false;
    for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
      const auto r = order[i];
      const double a = amount[r];
      switch (static_cast<event_kind>(kind[r])) {
      case event_kind::proposal:
        list = a;
        conceded = 0;
        matched = false;
        any_concession = false;
        break;
      case event_kind::competitor_quote:
        ++s.competitor_quotes[c];
        break;
      case event_kind::price_match:
        ++s.price_matches[c];
        matched = true;
        break;
      case event_kind::concession:
        ++s.concessions[c];
        conceded += a;
        any_concession = true;
        break;
      case event_kind::deal_won: {
        ++s.deals_won[c];
        if (matched)
          ++s.won_after_match[c];
        else if (any_concession)
          ++s.won_after_concession[c];
        double depth = 0;
        if (std::isfinite(list) && list > 0)
          depth = 1.0 - a / list;
        else if (a + conceded > 0)
          depth = conceded / (a + conceded);
        depth = std::clamp(depth, 0.0, 1.0);
        depth_sum += depth;
        won_time.push_back(time[r]);
        won_kept.push_back(100.0 * (1.0 - depth));
        if (detail[r] == margin_unknown)
          all_margins_known = false;
        else
          won_margin.push_back(static_cast<double>(detail[r]) / 100.0);
        list = nan;
        conceded = 0;
        matched = false;
        any_concession = false;
        break;
      }
      case event_kind::deal_lost:
        ++s.deals_lost[c];
        if (detail[r] == static_cast<std::int32_t>(loss_reason::price))
          ++s.lost_on_price[c];
        list = nan;
        conceded = 0;
        matched = false;
        any_concession = false;
        break;
      default:
        break;
      }
    }
    const auto won = s.deals_won[c];
    if (won == 0)
      continue;
    s.mean_concession_depth[c] = depth_sum / won;
    s.matched_win_share[c] = static_cast<double>(s.won_after_match[c]) / won;
    s.basis[c] = all_margins_known ? margin_basis::margin : margin_basis::price_realisation;
    const auto &level = all_margins_known ? won_margin : won_kept;
    s.margin_trend[c] = detail::ols_slope(won_time, level) * 365.0;
    double level_sum = 0;
    for (const double v : level)
      level_sum += v;
    s.margin_level[c] = level_sum / static_cast<double>(level.size());
    const bool declining = std::isnan(s.margin_trend[c])
                               ? s.mean_concession_depth[c] >= params.min_concession_depth
                               : s.margin_trend[c] < params.max_margin_trend;
    const bool falling = s.won_after_match[c] >= params.min_matched_wins &&
                         s.matched_win_share[c] >= params.min_matched_share && declining;
    const auto gamed = s.won_after_match[c] + s.won_after_concession[c];
    const bool flat =
        std::isfinite(s.margin_trend[c]) && std::abs(s.margin_trend[c]) <= params.max_flat_trend;
    const bool low = all_margins_known ? s.margin_level[c] <= params.max_bottomed_margin
                                       : s.mean_concession_depth[c] >= params.min_concession_depth;
    const bool bottomed = gamed >= params.min_bottomed_wins &&
                          static_cast<double>(gamed) / won >= params.min_matched_share && flat &&
                          low;
    s.stage[c] = bottomed  ? spiral_stage::bottomed_out
                 : falling ? spiral_stage::falling
                           : spiral_stage::none;
    s.transactional_spiral[c] = falling || bottomed;
  }
  return s;
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_SPIRAL_HPP
