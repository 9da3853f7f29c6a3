// Non-linear preferences (issue 18, item 2): every outcome's utility of a
// 10^6-outcome space (6 integer issues of 10 values) for a linear-additive
// utility against hyper-rectangle utilities of 100 and 1,000 rectangles (each
// bounding 1-3 issues, 1/4 of them EXCLUDES), by the difference-array path
// and by the per-issue interval index; and one outcome at a time through the
// index (what sampling and search on spaces too big to enumerate use).
#include <goodwill/negotiation/nonlinear.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

goodwill::outcome_space space6() {
  std::vector<goodwill::issue> is;
  for (int i = 0; i < 6; ++i)
    is.push_back(goodwill::issue::integer("i" + std::to_string(i), 0, 9));
  return goodwill::outcome_space(std::move(is));
}

std::vector<goodwill::hyper_rectangle> rectangles(std::size_t n) {
  std::uint64_t s = 42;
  auto next = [&s](std::uint64_t m) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (s >> 33) % m;
  };
  std::vector<goodwill::hyper_rectangle> out;
  for (std::size_t r = 0; r < n; ++r) {
    goodwill::hyper_rectangle h;
    h.utility = static_cast<double>(1 + next(100));
    h.exclusive = next(4) == 0;
    const auto nb = 1 + next(3);
    std::vector<std::size_t> used;
    for (std::uint64_t b = 0; b < nb; ++b) {
      const std::size_t i = next(6);
      bool dup = false;
      for (auto u : used)
        dup = dup || u == i;
      if (dup)
        continue;
      used.push_back(i);
      const double a = static_cast<double>(next(10));
      h.bounds.push_back({i, a, std::min(9.0, a + static_cast<double>(next(5)))});
    }
    out.push_back(h);
  }
  return out;
}

void BM_evaluate_all_linear_additive(benchmark::State &state) {
  const auto sp = space6();
  std::vector<std::vector<double>> t(6, std::vector<double>(10));
  for (auto &v : t)
    for (int j = 0; j < 10; ++j)
      v[static_cast<std::size_t>(j)] = j / 9.0;
  const auto u =
      goodwill::linear_additive_utility::from_tables(sp, std::vector<double>(6, 1.0 / 6), t);
  for (auto _ : state)
    benchmark::DoNotOptimize(u.evaluate_all());
  state.SetItemsProcessed(state.iterations() * 1000000);
}
BENCHMARK(BM_evaluate_all_linear_additive)->Unit(benchmark::kMillisecond);

// range(0): rectangles; range(1): 1 difference array, 0 interval index per outcome.
void BM_evaluate_all_hyper_rectangles(benchmark::State &state) {
  const auto sp = space6();
  const auto u = goodwill::hyper_rectangle_utility::from_rectangles(
      sp, rectangles(static_cast<std::size_t>(state.range(0))));
  const bool fast = state.range(1) == 1;
  for (auto _ : state)
    benchmark::DoNotOptimize(fast ? u.evaluate_all() : u.evaluate_all_indexed());
  state.SetItemsProcessed(state.iterations() * 1000000);
  state.SetLabel(fast && u.fast_path() ? "difference array" : "interval index");
}
BENCHMARK(BM_evaluate_all_hyper_rectangles)
    ->Args({100, 1})
    ->Args({100, 0})
    ->Args({1000, 1})
    ->Args({1000, 0})
    ->Unit(benchmark::kMillisecond);

// One outcome through the interval index (1,000 rectangles, 6 issues).
void BM_evaluate_one_hyper_rectangles(benchmark::State &state) {
  const auto sp = space6();
  const auto u = goodwill::hyper_rectangle_utility::from_rectangles(
      sp, rectangles(static_cast<std::size_t>(state.range(0))));
  const auto sample = sp.sample(1024, 1);
  std::size_t r = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(u(std::span<const double>(sample.data() + (r & 1023) * 6, 6)));
    ++r;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_evaluate_one_hyper_rectangles)->Arg(100)->Arg(1000);

} // namespace
