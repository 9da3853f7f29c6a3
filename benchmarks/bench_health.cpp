// account_health benchmarks: 10^6 accounts with about five deals each (an
// opportunity, then at the close a proposal at list, a concession when below
// list and deal_won or deal_lost: ~17 M events), rows grouped by customer in
// time order. Items/s = customers per second. Arg: threads.
#include <goodwill/relationship/health.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace {

using goodwill::event_kind;

std::shared_ptr<goodwill::ledger> make_ledger(std::uint32_t customers) {
  static std::shared_ptr<goodwill::ledger> cached;
  static std::uint32_t cached_n = 0;
  if (cached && cached_n == customers)
    return cached;
  std::uint64_t x = 88172645463325252ull;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  auto uniform = [&] { return static_cast<double>(next() >> 11) * 0x1.0p-53; };
  std::vector<goodwill::customer_id> c;
  std::vector<double> t, a;
  std::vector<std::uint8_t> k;
  std::vector<std::int32_t> d;
  const std::size_t reserve = static_cast<std::size_t>(customers) * 18;
  c.reserve(reserve);
  t.reserve(reserve);
  a.reserve(reserve);
  k.reserve(reserve);
  d.reserve(reserve);
  auto push = [&](std::uint32_t cu, double ti, event_kind ki, double am, std::int32_t de) {
    c.push_back(cu);
    t.push_back(ti);
    k.push_back(static_cast<std::uint8_t>(ki));
    a.push_back(am);
    d.push_back(de);
  };
  for (std::uint32_t cu = 0; cu < customers; ++cu) {
    const int deals = 2 + static_cast<int>(next() % 7); // 2..8, mean 5
    double time = 0;
    for (int j = 0; j < deals; ++j) {
      time += 10.0 + 100.0 * uniform();
      const double close = time + 5.0 + 60.0 * uniform();
      push(cu, time, event_kind::opportunity, 0.0, 0);
      push(cu, close, event_kind::proposal, 1000.0, 0);
      if (uniform() < 0.5) {
        const double r = 0.7 + 0.3 * uniform();
        push(cu, close, event_kind::concession, 1000.0 * (1 - r), 0);
        push(cu, close, event_kind::deal_won, 1000.0 * r, goodwill::margin_unknown);
      } else {
        push(cu, close, event_kind::deal_lost, 1000.0, 1);
      }
      time = close;
    }
  }
  auto l = std::make_shared<goodwill::ledger>();
  l->append(c, t, k, a, d);
  (void)l->order();
  cached = l;
  cached_n = customers;
  return l;
}

void BM_account_health(benchmark::State &state) {
  const auto customers = static_cast<std::uint32_t>(state.range(0));
  const auto l = make_ledger(customers);
  goodwill::health_params p;
  p.threads = static_cast<unsigned>(state.range(1));
  std::size_t flags = 0;
  for (auto _ : state) {
    const auto h = goodwill::account_health(*l, p);
    flags = 0;
    for (const auto &m : h.metrics)
      for (auto f : m.flag)
        flags += f;
    benchmark::DoNotOptimize(flags);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * customers);
  state.counters["events"] = static_cast<double>(l->size());
  state.counters["flags"] = static_cast<double>(flags);
}

} // namespace

BENCHMARK(BM_account_health)
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
