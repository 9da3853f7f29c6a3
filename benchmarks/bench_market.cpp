// Synthetic market micro-benchmarks: events generated per second, by threads;
// calibrate_market on a 10^6-event ledger (issue 14: at most 60 s).
#include <goodwill/synthetic/calibrate.hpp>
#include <goodwill/synthetic/market.hpp>

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

// calibrate_market on a ledger of about 10^6 events (13,700 customers x 3
// years, the default model); range(0) = threads of the market generator.
// Each iteration: the mixture fit, 8 simulated-moments corrections (one
// market of the ledger's size each) and the check market.
void BM_calibrate_market(benchmark::State &state) {
  goodwill::market_params p;
  p.customers = 13700;
  p.horizon_days = 3 * 365.0;
  p.seed = 7;
  const auto observed = goodwill::generate_market(p);
  goodwill::calibration_options o;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto r = goodwill::calibrate_market(observed.events, o);
    benchmark::DoNotOptimize(r.chi_square);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(observed.events.size()));
  state.counters["events"] = static_cast<double>(observed.events.size());
}
BENCHMARK(BM_calibrate_market)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(3);

// The random stream alone: 64-bit words per second.
void BM_counter_stream(benchmark::State &state) {
  goodwill::detail::counter_stream s(1, 2);
  for (auto _ : state)
    benchmark::DoNotOptimize(s.next());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_counter_stream);

} // namespace
