// BTYD fits and predictions on simulated customers, single-threaded: the
// per-row special functions (lnΓ, ψ, ψ', I_x) these call are compiled
// wrappers since issue 16 point 6 (detail/special.hpp); this measures what
// a call into them costs against the inline Boost.Math calls of before.
// 20,000 customers from the BG/NBD process at the CDNOW parameters, T drawn
// between 26 and 52 weeks (so rows do not compress away). Items/s:
// customers per second.
#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/modified_bg_nbd.hpp>
#include <goodwill/value/btyd/pareto_nbd.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

namespace {

struct btyd_sample {
  std::vector<double> x, t_x, T;
};

const btyd_sample &sample() {
  static const btyd_sample s = [] {
    std::vector<double> T(20000);
    std::uint64_t u = 88172645463325252ull;
    for (auto &t : T) {
      u ^= u << 13;
      u ^= u >> 7;
      u ^= u << 17;
      t = 26.0 + static_cast<double>(u % 2600) / 100.0;
    }
    auto d = goodwill::simulate_bg_nbd(goodwill::bg_nbd_params{0.243, 4.414, 0.793, 2.426}, T,
                                       20261202ull, 1);
    return btyd_sample{d.frequency, d.recency, d.T};
  }();
  return s;
}

goodwill::btyd_fit_options one_thread() {
  goodwill::btyd_fit_options o;
  o.threads = 1;
  return o;
}

template <class Model> void BM_fit(benchmark::State &state) {
  const auto &s = sample();
  for (auto _ : state) {
    Model m;
    m.fit(s.x, s.t_x, s.T, {}, one_thread());
    benchmark::DoNotOptimize(m.info().log_likelihood);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.x.size()));
}
BENCHMARK(BM_fit<goodwill::bg_nbd>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fit<goodwill::modified_bg_nbd>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fit<goodwill::pareto_nbd>)->Unit(benchmark::kMillisecond);

template <class Model, class Params> void predict(benchmark::State &state, Params p) {
  const auto &s = sample();
  const Model m(p);
  const std::vector<double> t{10.0};
  for (auto _ : state) {
    auto a = m.probability_alive(s.x, s.t_x, s.T);
    auto e = m.conditional_expected_purchases(t, s.x, s.t_x, s.T);
    benchmark::DoNotOptimize(a.data());
    benchmark::DoNotOptimize(e.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.x.size()));
}
void BM_predict_bg_nbd(benchmark::State &state) {
  predict<goodwill::bg_nbd>(state, goodwill::bg_nbd_params{0.243, 4.414, 0.793, 2.426});
}
void BM_predict_mbg_nbd(benchmark::State &state) {
  predict<goodwill::modified_bg_nbd>(state,
                                     goodwill::modified_bg_nbd_params{0.525, 6.183, 0.891, 1.614});
}
void BM_predict_pareto_nbd(benchmark::State &state) {
  predict<goodwill::pareto_nbd>(state, goodwill::pareto_nbd_params{0.553, 10.578, 0.606, 11.669});
}
BENCHMARK(BM_predict_bg_nbd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_predict_mbg_nbd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_predict_pareto_nbd)->Unit(benchmark::kMillisecond);

// P(X(t) = n), n = 0..49 (BG/NBD: the incomplete beta per n; Pareto/NBD:
// Gauss-Kronrod quadrature per n).
template <class Model, class Params> void pmf(benchmark::State &state, Params p) {
  const Model m(p);
  for (auto _ : state) {
    double sum = 0;
    for (std::uint32_t n = 0; n < 50; ++n)
      sum += m.probability_of_purchases(39.0, n);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
void BM_pmf_bg_nbd(benchmark::State &state) {
  pmf<goodwill::bg_nbd>(state, goodwill::bg_nbd_params{0.243, 4.414, 0.793, 2.426});
}
void BM_pmf_pareto_nbd(benchmark::State &state) {
  pmf<goodwill::pareto_nbd>(state, goodwill::pareto_nbd_params{0.553, 10.578, 0.606, 11.669});
}
BENCHMARK(BM_pmf_bg_nbd)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_pmf_pareto_nbd)->Unit(benchmark::kMicrosecond);

} // namespace
