// goodwill — the seller's effort per customer, by kind of effort.
//
// Design: the first essay asks "how much effort have I put into building
// trust versus the effort I have put into playing the transactional game?".
// effort_profile answers it from the ledger alone: per customer, the number
// of effort events of each class (event_kind_traits::effort: trust-building,
// transactional, other, failure) and the hours of those whose amount is hours
// (meetings, discovery, support, custom work), and the share of trust-building
// effort in trust-building plus transactional effort, by count and by hours
// (NaN where there is neither). Responses are counted alongside, so effort
// and response can be compared but are never mixed. Hours are only what the
// ledger records: a kind whose amount is not hours adds to the count only.
#ifndef GOODWILL_RELATIONSHIP_EFFORT_HPP
#define GOODWILL_RELATIONSHIP_EFFORT_HPP

#include <goodwill/ledger.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace goodwill {

/// Per customer (dense id), column by column.
struct effort_profile_result {
  std::size_t customers = 0;
  /// counts[class][c] and hours[class][c], class = effort_class code 1..4
  /// (index 0, "none", is unused and zero).
  std::array<std::vector<std::uint32_t>, 5> counts;
  std::array<std::vector<double>, 5> hours;
  std::vector<std::uint32_t> responses;
  /// trust-building / (trust-building + transactional), by count and by hours.
  std::vector<double> trust_building_share, trust_building_hours_share;
};

/// The effort profile of every customer (events at or before `until`).
[[nodiscard]] inline effort_profile_result
effort_profile(const ledger &l, double until = std::numeric_limits<double>::infinity()) {
  if (std::isnan(until))
    throw invalid_input("until", "is NaN");
  const std::size_t n = l.customer_count();
  effort_profile_result r;
  r.customers = n;
  for (auto &v : r.counts)
    v.assign(n, 0);
  for (auto &v : r.hours)
    v.assign(n, 0.0);
  r.responses.assign(n, 0);
  const auto cust = l.customers();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (times[i] > until)
      continue;
    const auto &kt = traits(static_cast<event_kind>(kinds[i]));
    const auto c = cust[i];
    if (kt.role == event_role::response)
      ++r.responses[c];
    if (kt.role != event_role::effort)
      continue;
    const auto e = static_cast<std::size_t>(kt.effort);
    ++r.counts[e][c];
    if (kt.amount_is_hours)
      r.hours[e][c] += amounts[i];
  }
  const auto tb = static_cast<std::size_t>(effort_class::trust_building);
  const auto tx = static_cast<std::size_t>(effort_class::transactional);
  r.trust_building_share.resize(n);
  r.trust_building_hours_share.resize(n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t c = 0; c < n; ++c) {
    const double a = r.counts[tb][c], b = r.counts[tx][c];
    r.trust_building_share[c] = a + b > 0 ? a / (a + b) : nan;
    // transactional effort records no hours: the hours share is of the
    // trust-building hours in all effort hours (NaN with no hours at all)
    double all = 0.0;
    for (std::size_t k = 1; k < 5; ++k)
      all += r.hours[k][c];
    r.trust_building_hours_share[c] = all > 0 ? r.hours[tb][c] / all : nan;
  }
  return r;
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_EFFORT_HPP
