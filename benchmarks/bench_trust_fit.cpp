// fit_trust benchmarks: a ledger drawn from a known trust model
// (synthetic_trust_ledger), 10^6 customers and about 10^7 events (160 days
// of meetings, quotes, referrals, deals with concessions and matches).
// Items/s = events per second of the whole fit (design, optimiser, Hessian,
// validation). Args: customers, threads.
#include <goodwill/relationship/trust_fit.hpp>
#include <goodwill/synthetic/trust_ledger.hpp>

#include <benchmark/benchmark.h>

#include <map>
#include <memory>

namespace {

const goodwill::ledger &trust_ledger(std::uint32_t customers) {
  static std::map<std::uint32_t, std::unique_ptr<goodwill::ledger>> cache;
  auto &slot = cache[customers];
  if (!slot) {
    goodwill::trust_params truth = goodwill::trust_params::defaults();
    truth.positive[static_cast<std::size_t>(goodwill::evidence_channel::meeting)] = 0.3;
    goodwill::trust_ledger_params p;
    p.customers = customers;
    p.days = 160.0;
    p.meetings_per_year = 12.0;
    p.seed = 42;
    slot = std::make_unique<goodwill::ledger>(goodwill::synthetic_trust_ledger(truth, p));
  }
  return *slot;
}

void BM_fit_trust(benchmark::State &state) {
  const auto &l = trust_ledger(static_cast<std::uint32_t>(state.range(0)));
  goodwill::trust_fit_options opt;
  opt.threads = static_cast<unsigned>(state.range(1));
  unsigned iterations = 0;
  for (auto _ : state) {
    auto r = goodwill::fit_trust(l, opt);
    iterations = r.iterations;
    benchmark::DoNotOptimize(r.log_likelihood);
  }
  state.counters["events"] = static_cast<double>(l.size());
  state.counters["lbfgs_iterations"] = iterations;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(l.size()));
}
BENCHMARK(BM_fit_trust)
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Args({100000, 1})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

} // namespace
