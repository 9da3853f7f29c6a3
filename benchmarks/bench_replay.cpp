// Replay benchmarks: a synthetic CRM-like ledger (events in time order across
// customers, a lifecycle-shaped mix of kinds) through the default model.
// Items/s = events replayed per second. Args: events, customers, threads,
// keep_log, cached: 1 = the ledger's reading order is built (and cached)
// before the timing, as in a repeated analysis; 0 = every replay gets a
// fresh ledger (columns shared, no order), so its time includes building the
// reading order, as for a user's first replay of a ledger.
#include "replay_ledger.hpp"

#include <goodwill/relationship/replay.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>

namespace {

using goodwill_bench::make_ledger;

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
  if (cached)
    (void)l->order(); // built outside the timing
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
