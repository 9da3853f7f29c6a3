// Policy simulator: customer-months per second by threads (issue 6: >= 10 M
// customer-months/s on 2 cores for the default market), metrics only and
// with the ledger recorded; memory per customer slot.
#include <goodwill/synthetic/simulation.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

// 200k slots x 36 months (7.2 M customer-months) with the trust_builder
// policy and the default mix; range(0) = threads, range(1) = record ledger.
void BM_simulate(benchmark::State &state) {
  goodwill::simulation_params p;
  p.customers = 200000;
  p.months = 36;
  p.seed = 1;
  p.threads = static_cast<unsigned>(state.range(0));
  p.record_ledger = state.range(1) != 0;
  const auto pol = goodwill::policies::trust_builder();
  std::size_t events = 0;
  for (auto _ : state) {
    auto r = goodwill::simulate(pol, p);
    events = r.events.size();
    benchmark::DoNotOptimize(r.metrics.values.data());
  }
  const auto cm = static_cast<std::int64_t>(p.customers) * p.months;
  state.SetItemsProcessed(state.iterations() * cm);
  state.counters["customer_months_per_s"] =
      benchmark::Counter(static_cast<double>(cm), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_simulate)
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The cost of the mechanisms (synthetic/archetypes.hpp): the same run as
// BM_simulate/2/0 with every mechanism switched off.
void BM_simulate_mechanisms_off(benchmark::State &state) {
  goodwill::simulation_params p;
  p.customers = 200000;
  p.months = 36;
  p.seed = 1;
  p.threads = 2;
  p.record_ledger = false;
  for (auto name : goodwill::mechanism_names)
    goodwill::mechanism_switch(p.model.on, name) = false;
  const auto pol = goodwill::policies::trust_builder();
  for (auto _ : state) {
    auto r = goodwill::simulate(pol, p);
    benchmark::DoNotOptimize(r.metrics.values.data());
  }
  const auto cm = static_cast<std::int64_t>(p.customers) * p.months;
  state.SetItemsProcessed(state.iterations() * cm);
  state.counters["customer_months_per_s"] =
      benchmark::Counter(static_cast<double>(cm), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_simulate_mechanisms_off)->Unit(benchmark::kMillisecond)->UseRealTime();

// Every preset policy, 2 threads, metrics only.
void BM_simulate_policy(benchmark::State &state) {
  goodwill::simulation_params p;
  p.customers = 100000;
  p.months = 36;
  p.seed = 2;
  p.threads = 2;
  p.record_ledger = false;
  const auto pol = goodwill::policies::presets()[static_cast<std::size_t>(state.range(0))];
  for (auto _ : state) {
    auto r = goodwill::simulate(pol, p);
    benchmark::DoNotOptimize(r.metrics.values.data());
  }
  state.SetLabel(pol.name);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.customers) * p.months);
}
BENCHMARK(BM_simulate_policy)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
