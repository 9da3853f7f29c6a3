// The synthetic CRM-like ledger of the replay benchmarks (bench_replay.cpp,
// replay_scaling.cpp): events in time order across customers, a
// lifecycle-shaped mix of kinds, one xorshift stream (same ledger every run).
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

// Per-mille weights of kinds in a CRM export.
inline std::vector<std::uint8_t> kind_table() {
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
                                            {event_kind::support, 29}};
  std::vector<std::uint8_t> t;
  for (auto [k, w] : mix)
    for (int i = 0; i < w; ++i)
      t.push_back(static_cast<std::uint8_t>(k));
  return t;
}

/// The ledger of n events over `customers` customers, without a reading
/// order (the last one made is kept: copies share its columns).
inline std::shared_ptr<goodwill::ledger> make_ledger(std::size_t n, std::uint32_t customers) {
  static std::map<std::pair<std::size_t, std::uint32_t>, std::shared_ptr<goodwill::ledger>> cache;
  auto &slot = cache[{n, customers}];
  if (slot)
    return slot;
  cache.clear(); // keep one ledger in memory at a time
  const auto table = kind_table();
  std::vector<goodwill::customer_id> c(n);
  std::vector<double> t(n), a(n);
  std::vector<std::uint8_t> k(n);
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
  }
  auto l = std::make_shared<goodwill::ledger>();
  l->append(c, t, k, a); // no reading order yet: copies start without one
  cache[{n, customers}] = l;
  return l;
}

} // namespace goodwill_bench

#endif // GOODWILL_BENCHMARKS_REPLAY_LEDGER_HPP
