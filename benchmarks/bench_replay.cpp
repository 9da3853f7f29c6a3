// Replay benchmarks: a synthetic CRM-like ledger (events in time order across
// customers, a lifecycle-shaped mix of kinds) through the default model.
// Items/s = events replayed per second. Args: events, customers, threads,
// keep_log, cached: 1 = the ledger's reading order is built (and cached)
// before the timing, as in a repeated analysis; 0 = every replay gets a
// fresh ledger (columns shared, no order), so its time includes building the
// reading order, as for a user's first replay of a ledger.
#include <goodwill/replay.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace {

using goodwill::event_kind;

// Per-mille weights of kinds in a CRM export.
std::vector<std::uint8_t> kind_table() {
  const std::pair<event_kind, int> mix[] = {
      {event_kind::lead, 20},          {event_kind::meeting, 190},
      {event_kind::discovery, 80},     {event_kind::proposal, 100},
      {event_kind::competitor_quote, 50}, {event_kind::concession, 50},
      {event_kind::price_match, 40},   {event_kind::scope_change, 10},
      {event_kind::alternative_offered, 10}, {event_kind::deal_won, 60},
      {event_kind::deal_lost, 30},     {event_kind::purchase, 230},
      {event_kind::service_issue, 30}, {event_kind::promise_kept, 40},
      {event_kind::promise_broken, 10}, {event_kind::referral_given, 10},
      {event_kind::walk_away, 5},      {event_kind::fire, 1},
      {event_kind::churn, 3},          {event_kind::returned, 2},
      {event_kind::support, 29}};
  std::vector<std::uint8_t> t;
  for (auto [k, w] : mix)
    for (int i = 0; i < w; ++i) t.push_back(static_cast<std::uint8_t>(k));
  return t;
}

std::shared_ptr<goodwill::ledger> make_ledger(std::size_t n, std::uint32_t customers) {
  static std::map<std::pair<std::size_t, std::uint32_t>, std::shared_ptr<goodwill::ledger>> cache;
  auto &slot = cache[{n, customers}];
  if (slot) return slot;
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

void BM_replay_default_model(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto customers = static_cast<std::uint32_t>(state.range(1));
  const auto base = make_ledger(n, customers);
  const bool cached = state.range(4) != 0;
  const auto model = goodwill::relationship_selling();
  goodwill::replay_options opt;
  opt.threads = static_cast<unsigned>(state.range(2));
  opt.keep_log = state.range(3) != 0;
  std::optional<goodwill::ledger> l(*base); // shares the columns
  if (cached) (void)l->order(); // built outside the timing
  std::size_t transitions = 0;
  for (auto _ : state) {
    if (!cached) {
      state.PauseTiming();
      l.emplace(*base); // without a reading order
      state.ResumeTiming();
    }
    auto r = goodwill::replay(model, *l, goodwill::trust_params::defaults(), opt);
    transitions = r.log.size();
    benchmark::DoNotOptimize(r.state.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["transitions"] = static_cast<double>(transitions);
}
BENCHMARK(BM_replay_default_model)
    ->ArgNames({"events", "customers", "threads", "log", "cached"})
    ->Args({5'000'000, 100'000, 1, 1, 1})
    ->Args({5'000'000, 100'000, 2, 1, 1})
    ->Args({50'000'000, 1'000'000, 1, 1, 1})
    ->Args({50'000'000, 1'000'000, 2, 1, 1})
    ->Args({50'000'000, 1'000'000, 1, 0, 1})
    ->Args({50'000'000, 1'000'000, 2, 0, 1})
    ->Args({50'000'000, 1'000'000, 1, 1, 0})
    ->Args({50'000'000, 1'000'000, 2, 1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace
