// Customer-value benchmarks: profitability (one pass over the columns) and
// the whale curve on a large CRM-like ledger; Markov-chain fitting from a
// replay (monthly states) and Pfeifer–Carraway valuation; a Pareto/NBD fit
// on data with extreme customers (the likelihood pushes s and β to infinity
// and the hypergeometric series is hopeless: quadrature rows, shape cap).
// The CDNOW fits against lifetimes are in btyd_vs_lifetimes.py.
// Items/s: events per second (profitability), customers per second (whale
// curve, period counts), valuations per second (Markov value).
#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/pareto_nbd.hpp>
#include <goodwill/value/markov_chain.hpp>
#include <goodwill/value/profitability.hpp>

#include <benchmark/benchmark.h>

#include "replay_ledger.hpp"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace {

// n events over `customers` customers in time order across customers (ten
// years), 1% custom requests; hours on time kinds, margins known for 3 in 4
// sales.
std::shared_ptr<goodwill::ledger> value_ledger(std::size_t n, std::uint32_t customers) {
  static std::shared_ptr<goodwill::ledger> cached;
  static std::pair<std::size_t, std::uint32_t> key{};
  if (cached && key == std::make_pair(n, customers))
    return cached;
  cached.reset();
  cached =
      goodwill_bench::build_ledger(n, customers, {.custom_request = 10, .hours_and_margins = true});
  key = {n, customers};
  return cached;
}

void BM_profitability(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto l = value_ledger(n, static_cast<std::uint32_t>(state.range(1)));
  const goodwill::cost_rates rates;
  for (auto _ : state) {
    auto t = goodwill::profitability(*l, rates);
    benchmark::DoNotOptimize(t.profit.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(n));
}
BENCHMARK(BM_profitability)->Args({4'200'000, 100'000})->Unit(benchmark::kMillisecond);

void BM_whale_curve(benchmark::State &state) {
  const auto customers = static_cast<std::uint32_t>(state.range(1));
  const auto l = value_ledger(static_cast<std::size_t>(state.range(0)), customers);
  const auto t = goodwill::profitability(*l);
  for (auto _ : state) {
    auto w = goodwill::whale_curve(t.profit);
    benchmark::DoNotOptimize(w.cumulative_share.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * customers);
}
BENCHMARK(BM_whale_curve)->Args({4'200'000, 100'000})->Unit(benchmark::kMillisecond);

// Monthly state counts of a replayed ledger (the replay itself is outside
// the timed loop), then the MLE fit.
void BM_markov_fit_monthly(benchmark::State &state) {
  const auto customers = static_cast<std::uint32_t>(state.range(1));
  const auto l = value_ledger(static_cast<std::size_t>(state.range(0)), customers);
  const auto model = goodwill::relationship_selling();
  const auto r = goodwill::replay(model, *l);
  for (auto _ : state) {
    const auto counts = goodwill::period_transition_counts(r, *l, 30.0, 0.0, 3650.0);
    auto mc = goodwill::markov_chain::fit(counts, model.states());
    benchmark::DoNotOptimize(mc.transition_matrix().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * customers);
}
BENCHMARK(BM_markov_fit_monthly)->Args({4'200'000, 100'000})->Unit(benchmark::kMillisecond);

// Analysis + infinite- and 120-period valuation of the fitted 11-state chain.
void BM_markov_value(benchmark::State &state) {
  const auto l = value_ledger(4'200'000, 100'000);
  const auto model = goodwill::relationship_selling();
  const auto r = goodwill::replay(model, *l);
  const auto mc = goodwill::markov_chain::fit(
      goodwill::period_transition_counts(r, *l, 30.0, 0.0, 3650.0), model.states());
  Eigen::VectorXd rewards =
      Eigen::VectorXd::LinSpaced(static_cast<Eigen::Index>(mc.size()), -10.0, 100.0);
  const bool finite = state.range(0) != 0;
  for (auto _ : state) {
    auto v = finite ? mc.customer_value(rewards, 0.01, 120) : mc.customer_value(rewards, 0.01);
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_markov_value)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_markov_analysis(benchmark::State &state) {
  const auto l = value_ledger(4'200'000, 100'000);
  const auto model = goodwill::relationship_selling();
  const auto r = goodwill::replay(model, *l);
  const auto mc = goodwill::markov_chain::fit(
      goodwill::period_transition_counts(r, *l, 30.0, 0.0, 3650.0), model.states());
  for (auto _ : state) {
    auto ss = mc.steady_states();
    auto m = mc.mean_first_passage_time();
    benchmark::DoNotOptimize(ss.data());
    benchmark::DoNotOptimize(m.data());
  }
}
BENCHMARK(BM_markov_analysis)->Unit(benchmark::kMicrosecond);

// 2,000 customers drawn from the BG/NBD process (CDNOW parameters, T = 39
// weeks) and five who bought 900 times in the first half of a 100-week
// history. Items/s: fits per second.
void BM_pareto_nbd_fit_extreme_customers(benchmark::State &state) {
  const std::vector<double> T0(2000, 39.0);
  const auto sample = goodwill::simulate_bg_nbd(goodwill::bg_nbd_params{0.243, 4.414, 0.793, 2.426},
                                                T0, 4294967295ull, 1);
  std::vector<double> x(sample.frequency), tx(sample.recency), T(sample.T);
  for (int i = 0; i < 5; ++i) {
    x.push_back(900);
    tx.push_back(50);
    T.push_back(100);
  }
  goodwill::btyd_fit_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    goodwill::pareto_nbd m;
    m.fit(x, tx, T, {}, options);
    benchmark::DoNotOptimize(m.info().log_likelihood);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_pareto_nbd_fit_extreme_customers)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

} // namespace