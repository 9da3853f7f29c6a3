// Synthetic market micro-benchmarks: events generated per second, by threads.
#include <goodwill/market.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

// 100k customers x 3 years with the default mix (about 7.8 M events);
// range(0) = threads. Includes appending to the ledger (25 bytes/event).
void BM_market_generate(benchmark::State &state) {
  goodwill::market_params p;
  p.customers = 100000;
  p.horizon_days = 3 * 365.0;
  p.seed = 1;
  p.threads = static_cast<unsigned>(state.range(0));
  std::size_t events = 0;
  for (auto _ : state) {
    auto m = goodwill::generate_market(p);
    events = m.events.size();
    benchmark::DoNotOptimize(events);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(events) * 25);
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_market_generate)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The random stream alone: 64-bit words per second.
void BM_counter_stream(benchmark::State &state) {
  goodwill::detail::counter_stream s(1, 2);
  for (auto _ : state)
    benchmark::DoNotOptimize(s.next());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_counter_stream);

} // namespace
