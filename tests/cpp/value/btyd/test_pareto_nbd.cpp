#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/pareto_nbd.hpp>

#include "btyd_data.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

BOOST_AUTO_TEST_SUITE(pareto_nbd)

namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
// Published CDNOW estimates (Fader & Hardie 2005, "A note on deriving the
// Pareto/NBD model and related expressions"; also Fader, Hardie & Lee 2005).
const goodwill::pareto_nbd_params published{0.553, 10.578, 0.606, 11.669};

// The integral by brute-force adaptive quadrature in τ, in long double, the
// integrand relative to its value at t_x written with log1p (no rounding
// noise from the large logs to stop the subdivision); reference.
double reference_log_integral(double r, double alpha, double s, double beta, double x, double tx,
                              double T) {
  const long double A = r + x, B = s + 1, a0 = alpha + tx, b0 = beta + tx;
  auto rel = [&](long double tau) {
    const long double u = tau - tx;
    return std::exp(-A * std::log1p(u / a0) - B * std::log1p(u / b0));
  };
  const long double v = boost::math::quadrature::gauss_kronrod<long double, 61>::integrate(
      rel, static_cast<long double>(tx), static_cast<long double>(T), 18, 1e-15L);
  return static_cast<double>(-A * std::log(a0) - B * std::log(b0) + std::log(v));
}
// Seeded uniform and log-uniform draws for parameter sweeps.
struct random_draws {
  std::mt19937_64 rng;
  explicit random_draws(std::uint64_t seed) : rng(seed) {}
  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  }
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
};
// 60 customers: repeated T values, one to twenty t_x per x, some with 200+
// purchases.
std::array<std::vector<double>, 3> mixed_customers() {
  std::vector<double> x, tx, T;
  for (int i = 0; i < 60; ++i) {
    const double xi = static_cast<double>(i % 7 == 0 ? 0 : 1 + i % 5 + (i % 11 == 0 ? 200 : 0));
    x.push_back(xi);
    T.push_back(30.0 + (i % 3) * 4.5);
    tx.push_back(xi == 0 ? 0.0 : 0.4 * static_cast<double>(i % 23) + (i % 2) * 1.3);
  }
  return {x, tx, T};
}
} // namespace

BOOST_AUTO_TEST_CASE(cdnow_reproduces_published_estimates,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/cdnow_customers_summary.csv")) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  BOOST_REQUIRE(!c.empty());
  goodwill::pareto_nbd m;
  m.fit(c[1], c[2], c[3]);
  const auto &p = m.params();
  BOOST_TEST(std::abs(p.r - published.r) < 5e-4);
  BOOST_TEST(std::abs(p.alpha - published.alpha) < 5e-4);
  BOOST_TEST(std::abs(p.s - published.s) < 5e-4);
  BOOST_TEST(std::abs(p.beta - published.beta) < 5e-3);
  // Fader & Hardie (2005 note): LL = -9595.0.
  BOOST_TEST(std::abs(m.info().log_likelihood - -9595.0) < 0.05);
  BOOST_TEST(m.info().converged);
  for (double se : m.standard_errors())
    BOOST_TEST((std::isfinite(se) && se > 0));
}

// The hypergeometric evaluation of the likelihood integral, on both branches
// (α ≥ β and α < β), agrees with direct quadrature, including customers with
// hundreds of purchases and branches where z is close to 1.
BOOST_DATA_TEST_CASE(integral_matches_quadrature,
                     bdata::make({0.0, 3.0, 300.0}) * bdata::make({0.05, 11.669, 400.0}), x, beta) {
  const double r = 0.553, alpha = 10.578, s = 0.606;
  for (auto [tx, T] : {std::pair{0.0, 38.86}, std::pair{30.43, 38.86}, std::pair{1.0, 500.0}}) {
    if (x == 0 && tx > 0)
      continue;
    const double got = goodwill::detail::log_pareto_nbd_integral(r, alpha, s, beta, x, tx, T);
    const double ref = reference_log_integral(r, alpha, s, beta, x, tx, T);
    BOOST_TEST(got == ref, boost::test_tools::tolerance(1e-9));
  }
  BOOST_TEST(goodwill::detail::log_pareto_nbd_integral(r, alpha, s, beta, x, 5, 5) == -INFINITY);
}

// The analytic gradient (series differentiated term by term, quadrature
// where the series is too slow) agrees with central differences, for
// parameters on both branches and near z = 1, with extreme customers in.
BOOST_AUTO_TEST_CASE(analytic_gradient_matches_finite_differences) {
  const std::vector<double> x{0, 0, 1, 2, 7, 500, 3}, tx{0, 0, 5, 30.4, 35, 30, 0.01},
      T{38.9, 20, 20, 38.86, 36, 38.9, 3000};
  const auto rows = goodwill::detail::compress_rfm(x, tx, T, {});
  for (const auto &th :
       {std::array<double, 4>{0.553, 10.578, 0.606, 11.669},
        std::array<double, 4>{0.5, 20, 0.6, 0.01}, std::array<double, 4>{0.5, 3, 2.6, 9},
        std::array<double, 4>{1, 1, 1, 1}}) {
    std::array<double, 4> g{};
    const double f = goodwill::pareto_nbd::log_likelihood_rows(rows, th, 1, &g);
    BOOST_TEST(f == goodwill::pareto_nbd::log_likelihood_rows(rows, th, 1),
               boost::test_tools::tolerance(1e-12));
    for (std::size_t k = 0; k < 4; ++k) {
      auto p = th, q = th;
      const double h = 1e-5;
      p[k] *= std::exp(h);
      q[k] *= std::exp(-h);
      const double fd = (goodwill::pareto_nbd::log_likelihood_rows(rows, p, 1) -
                         goodwill::pareto_nbd::log_likelihood_rows(rows, q, 1)) /
                        (2 * h);
      BOOST_TEST(g[k] == fd, boost::test_tools::tolerance(1e-6));
    }
  }
}

// The fit's likelihood (series of up to eight τ per x summed in lockstep,
// terms in T tabulated per distinct T, gradient by the same pass) equals the
// sum of the per-customer log-likelihoods (one series per customer), on both
// branches, with groups of one to twenty τ per x and repeated T values.
BOOST_AUTO_TEST_CASE(row_sum_matches_per_customer_likelihood) {
  auto [x, tx, T] = mixed_customers();
  const auto rows = goodwill::detail::compress_rfm(x, tx, T, {});
  BOOST_TEST(goodwill::detail::index_pareto_rows(rows).T_ix.used());
  for (const auto &th :
       {std::array<double, 4>{0.553, 10.578, 0.606, 11.669},
        std::array<double, 4>{0.5, 20, 0.6, 0.01}, std::array<double, 4>{0.5, 3, 2.6, 9}}) {
    const goodwill::pareto_nbd m(goodwill::pareto_nbd_params{th[0], th[1], th[2], th[3]});
    double direct = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      direct += m.log_likelihood(x[i], tx[i], T[i]);
    std::array<double, 4> g{};
    BOOST_TEST(goodwill::pareto_nbd::log_likelihood_rows(rows, th, 1, &g) == direct,
               boost::test_tools::tolerance(1e-11));
  }
}

// The analytic Hessian in log-parameters (second-derivative sums of the
// series, used by the Newton fit and for the standard errors) agrees with
// central differences of the analytic gradient, on both branches, with a
// customer whose t_x = T and one with 200+ purchases in.
BOOST_AUTO_TEST_CASE(analytic_hessian_matches_finite_differences) {
  auto [x, tx, T] = mixed_customers();
  x.push_back(3);
  tx.push_back(10);
  T.push_back(10);
  const auto ix = goodwill::detail::index_pareto_rows(goodwill::detail::compress_rfm(x, tx, T, {}));
  for (const auto &th :
       {std::array<double, 4>{0.553, 10.578, 0.606, 11.669}, std::array<double, 4>{0.5, 3, 2.6, 9},
        std::array<double, 4>{1.3, 7, 0.4, 5}}) {
    std::array<double, 4> g{};
    std::array<double, 16> H{};
    goodwill::pareto_nbd::log_likelihood_indexed(ix, th, 1, &g, &H);
    goodwill_test::check_hessian(th, H, [&](const std::array<double, 4> &t) {
      std::array<double, 4> gt{};
      goodwill::pareto_nbd::log_likelihood_indexed(ix, t, 1, &gt);
      return gt;
    });
  }
}

BOOST_AUTO_TEST_CASE(equal_rates_have_a_closed_form) {
  // α = β: I = [(α+t_x)^-(c) − (α+T)^-(c)] / c with c = r+s+x.
  const double r = 0.5, a = 7.0, s = 0.8, x = 4, tx = 10, T = 40, c = r + s + x;
  const double closed = std::log((std::pow(a + tx, -c) - std::pow(a + T, -c)) / c);
  BOOST_TEST(goodwill::detail::log_pareto_nbd_integral(r, a, s, a, x, tx, T) == closed,
             boost::test_tools::tolerance(1e-12));
}

BOOST_DATA_TEST_CASE(extreme_customers_stay_finite,
                     bdata::make({0.0, 1.0, 150.0, 500.0, 2000.0}) *
                         bdata::make({0.001, 0.5, 0.999}) * bdata::make({1.0, 1000.0, 20000.0}),
                     x, recency_share, T) {
  const goodwill::pareto_nbd m(published);
  const double tx = x == 0 ? 0.0 : recency_share * T;
  const double pa = m.probability_alive(x, tx, T);
  BOOST_TEST((pa >= 0 && pa <= 1));
  BOOST_TEST(std::isfinite(m.log_likelihood(x, tx, T)));
  double prev = 0;
  for (double t : {1.0, 39.0, 1000.0, 1e5}) {
    const double e = m.conditional_expected_purchases(t, x, tx, T);
    BOOST_TEST(std::isfinite(e));
    BOOST_TEST(e >= prev);
    prev = e;
  }
}

BOOST_AUTO_TEST_CASE(predictions_are_consistent) {
  const goodwill::pareto_nbd m(published);
  // A customer with x = 0 at T = 0 is a new customer.
  for (double t : {1.0, 39.0, 500.0})
    BOOST_TEST(m.conditional_expected_purchases(t, 0, 0, 1e-12) == m.expected_purchases(t),
               boost::test_tools::tolerance(1e-9));
  BOOST_TEST(m.probability_alive(5, 38, 38) == 1.0, boost::test_tools::tolerance(1e-12));
  // The likelihood of x purchases: summing P over the outcomes of a tiny
  // window is not practical; check instead that P(alive) falls as the
  // customer stays silent.
  BOOST_TEST(m.probability_alive(5, 10, 20) > m.probability_alive(5, 10, 40));
  BOOST_CHECK_THROW((void)goodwill::pareto_nbd().params(), goodwill::not_fitted);
}

// A customer whose first purchase falls on the last day observed has T = 0
// (lifetimes' summaries produce such rows); the probability of no repeat
// purchase in no time is 1, so such rows change neither model's fit.
BOOST_AUTO_TEST_CASE(customers_with_T_zero_do_not_change_the_fit,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/cdnow_customers_summary.csv")) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  BOOST_REQUIRE(!c.empty());
  auto x = c[1], tx = c[2], T = c[3];
  for (int k = 0; k < 25; ++k) {
    x.push_back(0.0);
    tx.push_back(0.0);
    T.push_back(0.0);
  }
  goodwill::pareto_nbd a, b;
  a.fit(c[1], c[2], c[3]);
  b.fit(x, tx, T);
  BOOST_TEST(b.info().log_likelihood == a.info().log_likelihood,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(b.params().beta == a.params().beta, boost::test_tools::tolerance(1e-5));
  goodwill::bg_nbd g, h;
  g.fit(c[1], c[2], c[3]);
  h.fit(x, tx, T);
  BOOST_TEST(h.info().log_likelihood == g.info().log_likelihood,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.params().b == g.params().b, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(h.probability_alive(0.0, 0.0, 0.0) == 1.0);
  BOOST_CHECK_THROW(
      (void)h.fit(std::vector<double>{1.0}, std::vector<double>{0.0}, std::vector<double>{0.0}),
      goodwill::invalid_input);
}

// The one-pass quadrature (value, gradient and Hessian at the same nodes,
// substitution v = log f(t_x) − log f(τ)) where the series is hopeless: one
// rate far above the other (z near 1 on either branch), hundreds of
// purchases, t_x close to T. Value against brute-force quadrature in τ;
// gradient against central differences of the value; Hessian against
// central differences of the gradient.
BOOST_DATA_TEST_CASE(quadrature_matches_brute_force_and_differences,
                     bdata::make({0.0, 4.0, 900.0}) * bdata::make({0, 1, 2}), x, setting) {
  using goodwill::detail::log_pareto_nbd_integral_quadrature;
  // (r, α, s, β): dropout homogeneous (s, β huge), purchase rate
  // homogeneous (r, α huge), CDNOW-like.
  const std::array<std::array<double, 4>, 3> thetas{
      {{0.2, 2.0, 1000.0, 52718.0}, {800.0, 40000.0, 0.6, 11.7}, {0.553, 10.578, 0.606, 11.669}}};
  const auto th = thetas[static_cast<std::size_t>(setting)];
  for (auto [tx, T] : {std::pair{0.0, 39.0}, std::pair{20.0, 39.0}, std::pair{38.9, 39.0},
                       std::pair{50.0, 100.0}}) {
    if (x == 0 && tx > 0)
      continue;
    std::array<double, 4> g{};
    std::array<double, 16> H{};
    const double v =
        log_pareto_nbd_integral_quadrature(th[0], th[1], th[2], th[3], x, tx, T, &g, &H);
    BOOST_TEST(v == reference_log_integral(th[0], th[1], th[2], th[3], x, tx, T),
               tt::tolerance(1e-11));
    BOOST_TEST(v == (log_pareto_nbd_integral_quadrature(th[0], th[1], th[2], th[3], x, tx, T)));
    for (std::size_t k = 0; k < 4; ++k) {
      auto p = th, q = th;
      const double h = 1e-6 * th[k];
      p[k] += h;
      q[k] -= h;
      std::array<double, 4> gp{}, gq{};
      const double fp = log_pareto_nbd_integral_quadrature(p[0], p[1], p[2], p[3], x, tx, T, &gp);
      const double fq = log_pareto_nbd_integral_quadrature(q[0], q[1], q[2], q[3], x, tx, T, &gq);
      // Compared as derivatives in log θ; the differences carry rounding
      // of about 1e-16·|log I|/1e-6.
      const double scale = std::max({1.0, std::abs(g[k] * th[k]), 1e-3 * std::abs(v)});
      BOOST_TEST(std::abs(g[k] - (fp - fq) / (2 * h)) * th[k] < 1e-6 * scale);
      for (std::size_t j = k; j < 4; ++j)
        BOOST_TEST(std::abs(H[k * 4 + j] - (gp[j] - gq[j]) / (2 * h)) * th[k] * th[j] <
                   1e-6 * std::max(1.0, std::abs(H[k * 4 + j] * th[k] * th[j])));
    }
  }
}

// Where the series works, series and quadrature agree (value and gradient),
// over a sweep of parameters on both branches.
BOOST_AUTO_TEST_CASE(series_and_quadrature_agree) {
  using goodwill::detail::log_pareto_nbd_integral_quadrature;
  random_draws draw(17);
  int compared = 0;
  for (int i = 0; i < 400; ++i) {
    const double r = draw.log_uniform(0.05, 20), alpha = draw.log_uniform(0.1, 200),
                 s = draw.log_uniform(0.05, 20), beta = draw.log_uniform(0.1, 200),
                 x = std::floor(draw.log_uniform(1, 400)) - 1, T = draw.log_uniform(1, 300),
                 tx = x == 0 ? 0.0 : T * draw.uniform(0, 0.9);
    double gt = 0, gT = 0;
    std::array<double, 4> dt{}, dT{}, gs{}, gq{};
    if (!goodwill::detail::log_g_with_gradient(r, alpha, s, beta, x, tx, gt, dt) ||
        !goodwill::detail::log_g_with_gradient(r, alpha, s, beta, x, T, gT, dT) ||
        !goodwill::detail::series_difference_accurate(gt, gT))
      continue;
    ++compared;
    const double series =
        goodwill::detail::log_pareto_nbd_integral(r, alpha, s, beta, x, tx, T, &gs);
    const double quad = log_pareto_nbd_integral_quadrature(r, alpha, s, beta, x, tx, T, &gq);
    BOOST_TEST(std::abs(series - quad) < 1e-12 * std::max(1.0, std::abs(series)));
    for (std::size_t k = 0; k < 4; ++k)
      BOOST_TEST(std::abs(gs[k] - gq[k]) < 1e-10 * std::max(1.0, std::abs(gs[k])));
  }
  BOOST_TEST(compared > 300);
}

// g_series_hopeless only gives up on series that cannot stop within 5,000
// terms: simulate the lanes' stopping rule (term weight ≥ u_{k+1}, ratio
// bound ≥ z) on random (b, c, z) it calls hopeless; the rule must never
// fire. It does call the series of the extreme fit below hopeless.
BOOST_AUTO_TEST_CASE(hopeless_series_cannot_stop_in_time) {
  using goodwill::detail::g_series_hopeless;
  random_draws draw(5);
  int hopeless = 0;
  for (int i = 0; i < 3000; ++i) {
    const double b = draw.log_uniform(0.01, 3000), c = b + draw.log_uniform(0.01, 3000),
                 z = 1 - draw.log_uniform(1e-6, 0.5);
    if (!g_series_hopeless(b, c, z, 5000))
      continue;
    ++hopeless;
    // log q_k, log S_k (partial sums of u_k = q_k/(c+k)).
    double lq = 0, lS = -std::log(c);
    bool fired = false;
    for (int k = 0; k < 5000 && !fired; ++k) {
      const double kk = k;
      lq += std::log((b + kk) / (kk + 1) * z);
      const double lu = lq - std::log(c + kk + 1);
      lS = std::max(lS, lu) + std::log1p(std::exp(-std::abs(lS - lu)));
      const double bound = std::max(1.0, (b + kk + 1) / (kk + 2)) * z;
      fired = bound < 1 && lu + std::log(bound / (1 - bound)) <= std::log(1e-16) + lS;
    }
    BOOST_TEST(!fired, "b=" << b << " c=" << c << " z=" << z);
  }
  BOOST_TEST(hopeless > 500);
  BOOST_TEST(g_series_hopeless(900.2, 1900.2, 1 - 2.0 / 52718, 5000));
  BOOST_TEST(g_series_hopeless(0.2, 1000.2, 1 - 2.0 / 52718, 5000));
  BOOST_TEST(!g_series_hopeless(0.606 + 1, 0.553 + 0.606 + 3, (11.669 - 10.578) / 11.669, 5000));
}

// Homogeneous dropout (every customer's lifetime exponential with the same
// μ): the likelihood rises as s and β go to infinity together. The fit stops
// at the shape cap, converges there with β free, and recovers μ = s/β and
// the mean purchase rate r/α. The data include customers with 900
// purchases, whose series are hopeless near the cap (quadrature rows): this
// fit took minutes before the one-pass quadrature and the pinned Newton
// step, and its likelihood equals the sum of brute-force per-row integrals.
BOOST_AUTO_TEST_CASE(homogeneous_dropout_stops_at_the_shape_cap) {
  const double r = 0.8, alpha = 4.0, mu = 0.02;
  std::mt19937_64 rng(11);
  std::vector<double> x, tx, T;
  for (int i = 0; i < 3000; ++i) {
    const double Ti = 20.0 + 40.0 * (i % 7) / 6.0;
    const double lambda = std::gamma_distribution<double>(r, 1.0 / alpha)(rng);
    const double end = std::min(Ti, std::exponential_distribution<double>(mu)(rng));
    double t = 0, last = 0, n = 0;
    while (lambda > 0) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > end)
        break;
      last = t;
      ++n;
    }
    x.push_back(n);
    tx.push_back(last);
    T.push_back(Ti);
  }
  for (int i = 0; i < 5; ++i) {
    x.push_back(900);
    tx.push_back(50);
    T.push_back(60);
  }
  goodwill::pareto_nbd m, m1;
  m.fit(x, tx, T);
  goodwill::btyd_fit_options one_thread;
  one_thread.threads = 1;
  m1.fit(x, tx, T, {}, one_thread);
  const auto &info = m.info();
  BOOST_TEST(info.converged);
  BOOST_TEST(info.iterations < 40);
  // Quadrature rows are summed in small chunks: still the same bits for any
  // number of threads.
  BOOST_TEST(m1.info().log_likelihood == info.log_likelihood);
  BOOST_TEST(m1.params().beta == m.params().beta);
  BOOST_TEST(info.at_bound == std::vector<std::string>{"s"});
  const auto &p = m.params();
  BOOST_TEST(p.s == goodwill::detail::max_shape, tt::tolerance(1e-12));
  BOOST_TEST(p.s / p.beta == mu, tt::tolerance(0.25));
  // No standard error for s at the cap; β's is conditional on s there, so
  // it measures μ = s/β: about 0.25 × β would be a wide but honest interval.
  const auto se = m.standard_errors();
  BOOST_TEST(std::isnan(se[2]));
  BOOST_TEST((std::isfinite(se[3]) && se[3] > 0 && se[3] < 0.5 * p.beta));
  BOOST_TEST((std::isfinite(se[0]) && std::isfinite(se[1])));
  // Mean purchase rate, the five 900-purchase customers (15 a week) included.
  BOOST_TEST(p.r / p.alpha == (3000 * r / alpha + 5 * 900.0 / 60) / 3005, tt::tolerance(0.1));
  // The fit's likelihood is the sum of the per-customer ones; those agree
  // with brute-force integrals for the extreme customers and every 60th other.
  double direct = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ll = m.log_likelihood(x[i], tx[i], T[i]);
    direct += ll;
    if (i % 60 != 0 && x[i] < 900)
      continue;
    const double first = -(p.r + x[i]) * std::log(p.alpha + T[i]) - p.s * std::log(p.beta + T[i]);
    const double second =
        std::log(p.s) + reference_log_integral(p.r, p.alpha, p.s, p.beta, x[i], tx[i], T[i]);
    const double ref = std::lgamma(p.r + x[i]) - std::lgamma(p.r) + p.r * std::log(p.alpha) +
                       p.s * std::log(p.beta) + std::max(first, second) +
                       std::log1p(std::exp(-std::abs(first - second)));
    BOOST_TEST(ll == ref, tt::tolerance(1e-10));
  }
  BOOST_TEST(info.log_likelihood == direct, tt::tolerance(1e-11));
}

BOOST_AUTO_TEST_CASE(probability_of_purchases_and_dert_match_references) {
  // Fader & Hardie (2005) CDNOW estimates.
  const goodwill::pareto_nbd m(goodwill::pareto_nbd_params{0.553, 10.578, 0.606, 11.669});
  // Unconditional P(X(t) = n): mpmath (30 digits) of the same mixture,
  // also as a two-dimensional integral over μ and the lifetime (agree).
  BOOST_TEST(std::abs(m.probability_of_purchases(2, 0) - 0.91284160907846677) < 1e-12);
  BOOST_TEST(std::abs(m.probability_of_purchases(2, 1) - 0.076430034337528773) < 1e-12);
  BOOST_TEST(std::abs(m.probability_of_purchases(30, 3) - 0.046630236729897121) < 1e-12);
  BOOST_TEST(std::abs(m.probability_of_purchases(78, 10) - 0.0078667374200153455) < 1e-13);
  // Conditional: lifetimes 0.11.3 ParetoNBDFitter.conditional_probability_of_n_purchases_up_to_time
  // (its closed form, Fader & Hardie note 012) with these parameters.
  BOOST_TEST(std::abs(m.conditional_probability_of_purchases(39, 0, 2, 30.43, 38.86) -
                      0.4080627236064643) < 1e-9);
  BOOST_TEST(std::abs(m.conditional_probability_of_purchases(39, 1, 2, 30.43, 38.86) -
                      0.21928749790096388) < 1e-9);
  BOOST_TEST(std::abs(m.conditional_probability_of_purchases(39, 3, 2, 30.43, 38.86) -
                      0.09565534629635002) < 1e-9);
  BOOST_TEST(std::abs(m.conditional_probability_of_purchases(10, 0, 0, 0, 38.86) -
                      0.9728836368223552) < 1e-9);
  BOOST_TEST(std::abs(m.conditional_probability_of_purchases(10, 2, 0, 0, 38.86) -
                      0.0030227771346788626) < 1e-11);
  BOOST_TEST(std::abs(m.conditional_probability_of_purchases(39, 5, 10, 35, 38.86) -
                      0.08085145071589585) < 1e-9);
  // The pmfs sum to one and their means are the closed-form expectations.
  double total = 0, mean = 0, ctotal = 0, cmean = 0;
  for (std::uint32_t n = 0; n < 400; ++n) {
    const double pn = m.probability_of_purchases(39, n),
                 cn = m.conditional_probability_of_purchases(39, n, 4, 30, 38);
    total += pn;
    mean += n * pn;
    ctotal += cn;
    cmean += n * cn;
  }
  BOOST_TEST(std::abs(total - 1) < 1e-11);
  BOOST_TEST(std::abs(mean / m.expected_purchases(39) - 1) < 1e-9);
  BOOST_TEST(std::abs(ctotal - 1) < 1e-11);
  BOOST_TEST(std::abs(cmean / m.conditional_expected_purchases(39, 4, 30, 38) - 1) < 1e-9);
  BOOST_TEST(m.probability_no_purchase(39, 2, 30.43, 38.86) ==
             m.conditional_probability_of_purchases(39, 0, 2, 30.43, 38.86));
  // P(alive at T + t) = P(alive) ((β+T)/(β+T+t))^s.
  BOOST_TEST(m.probability_alive_at(39, 2, 30.43, 38.86) ==
                 m.probability_alive(2, 30.43, 38.86) *
                     std::pow((11.669 + 38.86) / (11.669 + 38.86 + 39), 0.606),
             tt::tolerance(1e-14));
  // DERT (Fader, Hardie & Lee 2005b, eq. 2) against mpmath's hyperu:
  // P(alive)(r+x)/(α+T) (β+T)^s δ^{s−1} U(s, s; δ(β+T)); δ = ln(1.15)/52
  // (15% a year, weekly), and δ = 0.1.
  const double weekly = std::log(1.15) / 52;
  BOOST_TEST(std::abs(m.dert(weekly, 2, 30.43, 38.86) / 6.5017305375642293 - 1) < 1e-11);
  BOOST_TEST(std::abs(m.dert(weekly, 0, 0, 38.86) / 0.47845766951460794 - 1) < 1e-11);
  BOOST_TEST(std::abs(m.dert(0.1, 10, 38, 39) / 1.9035522921189541 - 1) < 1e-11);
  BOOST_CHECK_THROW((void)m.dert(0, 1, 1, 2), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(expectation_keeps_its_digits_when_t_is_small_against_beta_plus_T) {
  // mpmath at 60 digits (tests/python/test_btyd_numerics.py): with
  // log((β+T)/(β+T+t)) taken directly the ratio rounds to 1 and 3 of the
  // digits were lost
  const goodwill::pareto_nbd m({0.1, 0.1, 10.0, 1e-6});
  BOOST_TEST(m.conditional_expected_purchases(1e-6, 0, 0, 1e8) == 1.258925550289584e-156,
             boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_SUITE_END()
