#include <goodwill/bg_nbd.hpp>
#include <goodwill/pareto_nbd.hpp>

#include "btyd_data.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(pareto_nbd)

namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
// Published CDNOW estimates (Fader & Hardie 2005, "A note on deriving the
// Pareto/NBD model and related expressions"; also Fader, Hardie & Lee 2005).
const goodwill::pareto_nbd_params published{0.553, 10.578, 0.606, 11.669};

// The integral by brute-force quadrature in log-time (reference).
double reference_log_integral(double r, double alpha, double s, double beta, double x, double tx, double T) {
  auto lf = [&](double tau) { return -(r + x) * std::log(alpha + tau) - (s + 1) * std::log(beta + tau); };
  const double l0 = lf(tx);
  const double v = boost::math::quadrature::gauss_kronrod<double, 61>::integrate(
      [&](double tau) { return std::exp(lf(tau) - l0); }, tx, T, 30, 1e-13);
  return l0 + std::log(v);
}
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

BOOST_AUTO_TEST_CASE(cdnow_reproduces_published_estimates) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  if (c.empty()) {
    BOOST_TEST_MESSAGE("../shared/data absent: skipped");
    return;
  }
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
  for (const auto &th : {std::array<double, 4>{0.553, 10.578, 0.606, 11.669}, std::array<double, 4>{0.5, 20, 0.6, 0.01},
                         std::array<double, 4>{0.5, 3, 2.6, 9}, std::array<double, 4>{1, 1, 1, 1}}) {
    std::array<double, 4> g{};
    const double f = goodwill::pareto_nbd::log_likelihood_rows(rows, th, 1, &g);
    BOOST_TEST(f == goodwill::pareto_nbd::log_likelihood_rows(rows, th, 1), boost::test_tools::tolerance(1e-12));
    for (std::size_t k = 0; k < 4; ++k) {
      auto p = th, q = th;
      const double h = 1e-5;
      p[k] *= std::exp(h);
      q[k] *= std::exp(-h);
      const double fd = (goodwill::pareto_nbd::log_likelihood_rows(rows, p, 1) -
                         goodwill::pareto_nbd::log_likelihood_rows(rows, q, 1)) / (2 * h);
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
  for (const auto &th : {std::array<double, 4>{0.553, 10.578, 0.606, 11.669}, std::array<double, 4>{0.5, 20, 0.6, 0.01},
                         std::array<double, 4>{0.5, 3, 2.6, 9}}) {
    const goodwill::pareto_nbd m(goodwill::pareto_nbd_params{th[0], th[1], th[2], th[3]});
    double direct = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      direct += m.log_likelihood(x[i], tx[i], T[i]);
    std::array<double, 4> g{};
    BOOST_TEST(goodwill::pareto_nbd::log_likelihood_rows(rows, th, 1, &g) == direct, boost::test_tools::tolerance(1e-11));
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
  for (const auto &th : {std::array<double, 4>{0.553, 10.578, 0.606, 11.669}, std::array<double, 4>{0.5, 3, 2.6, 9},
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
  BOOST_TEST(goodwill::detail::log_pareto_nbd_integral(r, a, s, a, x, tx, T) == closed, boost::test_tools::tolerance(1e-12));
}

BOOST_DATA_TEST_CASE(extreme_customers_stay_finite,
                     bdata::make({0.0, 1.0, 150.0, 500.0, 2000.0}) * bdata::make({0.001, 0.5, 0.999}) *
                         bdata::make({1.0, 1000.0, 20000.0}),
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
    BOOST_TEST(m.conditional_expected_purchases(t, 0, 0, 1e-12) == m.expected_purchases(t), boost::test_tools::tolerance(1e-9));
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
BOOST_AUTO_TEST_CASE(customers_with_T_zero_do_not_change_the_fit) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  if (c.empty()) {
    BOOST_TEST_MESSAGE("../shared/data absent: skipped");
    return;
  }
  auto x = c[1], tx = c[2], T = c[3];
  for (int k = 0; k < 25; ++k) {
    x.push_back(0.0);
    tx.push_back(0.0);
    T.push_back(0.0);
  }
  goodwill::pareto_nbd a, b;
  a.fit(c[1], c[2], c[3]);
  b.fit(x, tx, T);
  BOOST_TEST(b.info().log_likelihood == a.info().log_likelihood, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(b.params().beta == a.params().beta, boost::test_tools::tolerance(1e-5));
  goodwill::bg_nbd g, h;
  g.fit(c[1], c[2], c[3]);
  h.fit(x, tx, T);
  BOOST_TEST(h.info().log_likelihood == g.info().log_likelihood, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(h.params().b == g.params().b, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(h.probability_alive(0.0, 0.0, 0.0) == 1.0);
  BOOST_CHECK_THROW((void)h.fit(std::vector<double>{1.0}, std::vector<double>{0.0}, std::vector<double>{0.0}),
                    goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
