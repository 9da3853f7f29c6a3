// Negotiation micro-benchmarks: sessions per second (Boulware vs conceder,
// 100 rounds) on the Genius Laptop and ItexvsCypress scenarios, batches on
// both cores, and the Pareto frontier of a 10^6-outcome space.
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/genius.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <optional>

namespace {

namespace fs = std::filesystem;

std::optional<goodwill::scenario> load(const char *folder, const char *dom, const char *p1,
                                       const char *p2) {
  const auto d = fs::path(GOODWILL_SHARED_DATA) / "genius" / folder;
  if (!fs::exists(d))
    return std::nullopt;
  const auto g =
      goodwill::load_genius_scenario((d / dom).string(), (d / p1).string(), (d / p2).string());
  return goodwill::scenario(g.first, g.second, folder);
}

std::optional<goodwill::scenario> scenario_for(std::int64_t which) {
  if (which == 0)
    return load("Laptop", "Laptop-C-domain.xml", "Laptop-C-prof1.xml", "Laptop-C-prof2.xml");
  return load("ItexvsCypress", "ItexvsCypress_domain.xml", "ItexvsCypress_Itex.xml",
              "ItexvsCypress_Cypress.xml");
}

// One session at a time, trace kept; range(0): 0 Laptop, 1 ItexvsCypress.
void BM_session_boulware_conceder(benchmark::State &state) {
  const auto sc = scenario_for(state.range(0));
  if (!sc) {
    state.SkipWithError("../shared/data/genius not found");
    return;
  }
  auto a = goodwill::boulware();
  auto b = goodwill::conceder();
  goodwill::session_options opt;
  opt.rounds = 100;
  goodwill::session_result r;
  for (auto _ : state) {
    goodwill::run_session(*sc, *a, *b, opt, r);
    benchmark::DoNotOptimize(r.outcome);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["offers"] = static_cast<double>(r.offers);
  state.counters["agreement"] = r.agreement() ? 1.0 : 0.0;
  state.SetLabel(sc->name());
}
BENCHMARK(BM_session_boulware_conceder)->Arg(0)->Arg(1);

// A batch of 20,000 sessions (boulware x conceder, both orders, 5,000 seeds)
// on range(1) threads; items = sessions.
void BM_batch_boulware_conceder(benchmark::State &state) {
  const auto sc = scenario_for(state.range(0));
  if (!sc) {
    state.SkipWithError("../shared/data/genius not found");
    return;
  }
  auto a = goodwill::boulware();
  auto b = goodwill::conceder();
  std::vector<std::uint64_t> seeds(5000);
  for (std::size_t i = 0; i < seeds.size(); ++i)
    seeds[i] = i;
  goodwill::session_options opt;
  opt.rounds = 100;
  const std::vector<const goodwill::scenario *> scs{&*sc};
  const std::vector<const goodwill::negotiator *> strat{a.get(), b.get()};
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs{{0, 1}, {1, 0}};
  std::size_t n = 0;
  for (auto _ : state) {
    const auto rows =
        goodwill::run_batch(scs, strat, seeds, opt, static_cast<unsigned>(state.range(1)), pairs);
    n = rows.size();
    benchmark::DoNotOptimize(rows.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetLabel(sc->name());
}
BENCHMARK(BM_batch_boulware_conceder)
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Pareto frontier (sort and sweep) of 10^6 random outcomes.
void BM_pareto_frontier_1e6(benchmark::State &state) {
  const std::size_t n = 1'000'000;
  std::vector<double> u1(n), u2(n);
  goodwill::detail::counter_stream s(7, 0);
  for (std::size_t i = 0; i < n; ++i) {
    u1[i] = goodwill::detail::u01(s);
    u2[i] = goodwill::detail::u01(s);
  }
  std::size_t size = 0;
  for (auto _ : state) {
    const auto f = goodwill::pareto_frontier(u1, u2);
    size = f.size();
    benchmark::DoNotOptimize(f.outcomes.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.counters["frontier"] = static_cast<double>(size);
}
BENCHMARK(BM_pareto_frontier_1e6)->Unit(benchmark::kMillisecond);

// Scenario construction (utilities of all outcomes, rankings, frontier) for
// a 10^6-outcome linear-additive space: 6 issues of 10 values.
void BM_scenario_1e6(benchmark::State &state) {
  std::vector<goodwill::issue> issues;
  for (int i = 0; i < 6; ++i)
    issues.push_back(goodwill::issue::integer("i" + std::to_string(i), 0, 9));
  goodwill::outcome_space space(issues);
  std::vector<std::vector<double>> t1(6), t2(6);
  goodwill::detail::counter_stream s(3, 0);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 10; ++j) {
      t1[static_cast<std::size_t>(i)].push_back(goodwill::detail::u01(s));
      t2[static_cast<std::size_t>(i)].push_back(goodwill::detail::u01(s));
    }
  const auto a =
      goodwill::linear_additive_utility::from_tables(space, std::vector<double>(6, 1.0 / 6), t1);
  const auto b =
      goodwill::linear_additive_utility::from_tables(space, std::vector<double>(6, 1.0 / 6), t2);
  for (auto _ : state) {
    goodwill::scenario sc(a, b);
    benchmark::DoNotOptimize(sc.frontier().size());
  }
  state.SetItemsProcessed(state.iterations() * 1'000'000);
}
BENCHMARK(BM_scenario_1e6)->Unit(benchmark::kMillisecond);

} // namespace
