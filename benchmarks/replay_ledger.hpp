// The synthetic CRM-like ledger of the benchmarks (bench_replay.cpp,
// replay_scaling.cpp, bench_value.cpp): events in time order across
// customers, a lifecycle-shaped mix of kinds, one xorshift stream (same
// ledger every run).
#ifndef GOODWILL_BENCHMARKS_REPLAY_LEDGER_HPP
#define GOODWILL_BENCHMARKS_REPLAY_LEDGER_HPP

#include <goodwill/ledger.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace goodwill_bench {

using goodwill::event_kind;

// Per-mille weights of kinds in a CRM export; `custom_request` per mille
// are taken from support's 29 (the value benchmarks use 10).
inline std::vector<std::uint8_t> kind_table(int custom_request = 0) {
  const std::pair<event_kind, int> mix[] = {{event_kind::lead, 20},
                                            {event_kind::meeting, 190},
                                            {event_kind::discovery, 80},
                                            {event_kind::proposal, 100},
                                            {event_kind::competitor_quote, 50},
                                            {event_kind::concession, 50},
                                            {event_kind::price_match, 40},
                                            {event_kind::scope_change, 10},
                                            {event_kind::alternative_offered, 10},
                                            {event_kind::deal_won, 60},
                                            {event_kind::deal_lost, 30},
                                            {event_kind::purchase, 230},
                                            {event_kind::service_issue, 30},
                                            {event_kind::promise_kept, 40},
                                            {event_kind::promise_broken, 10},
                                            {event_kind::referral_given, 10},
                                            {event_kind::walk_away, 5},
                                            {event_kind::fire, 1},
                                            {event_kind::churn, 3},
                                            {event_kind::returned, 2},
                                            {event_kind::support, 29 - custom_request},
                                            {event_kind::custom_request, custom_request}};
  std::vector<std::uint8_t> t;
  for (auto [k, w] : mix)
    for (int i = 0; i < w; ++i)
      t.push_back(static_cast<std::uint8_t>(k));
  return t;
}

/// What the ledger carries besides the replay's columns.
struct ledger_shape {
  int custom_request = 0;         ///< per mille of events, taken from support
  bool hours_and_margins = false; ///< hours on time kinds, margins on 3 in 4 sales
};

/// n events over `customers` customers, without a reading order.
inline std::shared_ptr<goodwill::ledger> build_ledger(std::size_t n, std::uint32_t customers,
                                                      const ledger_shape &shape = {}) {
  const auto table = kind_table(shape.custom_request);
  std::vector<goodwill::customer_id> c(n);
  std::vector<double> t(n), a(n);
  std::vector<std::uint8_t> k(n);
  std::vector<std::int32_t> d(shape.hours_and_margins ? n : 0);
  std::uint64_t x = 88172645463325252ull;
  const double span = 3650.0; // ten years
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c[i] = static_cast<std::uint32_t>(x % customers);
    t[i] = static_cast<double>(i) * span / static_cast<double>(n);
    k[i] = table[(x >> 32) % table.size()];
    a[i] = static_cast<double>((x >> 44) % 10000);
    if (shape.hours_and_margins) {
      const auto kind = static_cast<event_kind>(k[i]);
      if (kind == event_kind::meeting || kind == event_kind::discovery ||
          kind == event_kind::support || kind == event_kind::custom_request)
        a[i] = static_cast<double>((x >> 44) % 8) * 0.5;
      d[i] = (x >> 20) % 4 == 0 ? goodwill::margin_unknown
                                : static_cast<std::int32_t>((x >> 24) % 6000);
    }
  }
  auto l = std::make_shared<goodwill::ledger>();
  if (shape.hours_and_margins)
    l->append(c, t, k, a, d);
  else
    l->append(c, t, k, a); // no reading order yet: copies start without one
  return l;
}

/// The replay benchmarks' ledger of n events over `customers` customers
/// (the last one made is kept: copies share its columns).
inline std::shared_ptr<goodwill::ledger> make_ledger(std::size_t n, std::uint32_t customers) {
  static std::map<std::pair<std::size_t, std::uint32_t>, std::shared_ptr<goodwill::ledger>> cache;
  auto &slot = cache[{n, customers}];
  if (slot)
    return slot;
  cache.clear(); // keep one ledger in memory at a time
  auto l = build_ledger(n, customers);
  cache[{n, customers}] = l;
  return l;
}

} // namespace goodwill_bench

#endif // GOODWILL_BENCHMARKS_REPLAY_LEDGER_HPP
