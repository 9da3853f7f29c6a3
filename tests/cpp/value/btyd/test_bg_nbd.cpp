#include <goodwill/value/btyd/bg_nbd.hpp>

#include "btyd_data.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(bg_nbd)

namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
// The published CDNOW estimates (Fader, Hardie & Lee 2005, "Counting your
// customers the easy way", Marketing Science 24(2), p. 280).
const goodwill::bg_nbd_params fhl2005{0.243, 4.414, 0.793, 2.426};
} // namespace

BOOST_AUTO_TEST_CASE(cdnow_reproduces_fader_hardie_lee_2005,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/cdnow_customers_summary.csv")) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  BOOST_REQUIRE(!c.empty());
  goodwill::bg_nbd m;
  m.fit(c[1], c[2], c[3]);
  const auto &p = m.params();
  // FHL 2005: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
  BOOST_TEST(std::abs(p.r - 0.243) < 5e-4);
  BOOST_TEST(std::abs(p.alpha - 4.414) < 5e-4);
  BOOST_TEST(std::abs(p.a - 0.793) < 5e-4);
  BOOST_TEST(std::abs(p.b - 2.426) < 5e-4);
  BOOST_TEST(std::abs(m.info().log_likelihood - -9582.4) < 0.05);
  BOOST_TEST(m.info().converged);
  // FHL 2005 (p. 281): a customer with x = 2, t_x = 30.43, T = 38.86 is
  // expected to make 1.226 purchases in the next 39 weeks.
  BOOST_TEST(std::abs(m.conditional_expected_purchases(39, 2, 30.43, 38.86) - 1.226) < 5e-4);
  // Standard errors as lifetimes 0.11.3 reports them for this fit
  // (BetaGeoFitter().fit(...).summary: se 0.012557, 0.378221, 0.185719, 0.705345).
  const auto &se = m.standard_errors();
  BOOST_TEST(se[0] == 0.012557, tt::tolerance(0.01));
  BOOST_TEST(se[1] == 0.378221, tt::tolerance(0.01));
  BOOST_TEST(se[2] == 0.185719, tt::tolerance(0.01));
  BOOST_TEST(se[3] == 0.705345, tt::tolerance(0.01));
}

BOOST_AUTO_TEST_CASE(analytic_gradient_matches_finite_differences) {
  const std::vector<double> x{0, 1, 2, 7, 40, 0, 3}, tx{0, 5, 30.4, 35, 38, 0, 2},
      T{38.9, 20, 38.86, 36, 39, 5, 80};
  const auto rows = goodwill::detail::compress_rfm(x, tx, T, {});
  const std::array<double, 4> th{0.3, 5.0, 0.8, 2.5};
  std::array<double, 4> g{};
  goodwill::bg_nbd::log_likelihood_rows(rows, th, &g);
  for (std::size_t k = 0; k < 4; ++k) {
    auto p = th, q = th;
    const double h = 1e-6;
    p[k] *= std::exp(h);
    q[k] *= std::exp(-h);
    const double fd = (goodwill::bg_nbd::log_likelihood_rows(rows, p, nullptr) -
                       goodwill::bg_nbd::log_likelihood_rows(rows, q, nullptr)) /
                      (2 * h);
    BOOST_TEST(g[k] == fd, tt::tolerance(1e-6));
  }
  // The row sum equals the per-customer log-likelihood.
  const goodwill::bg_nbd m(goodwill::bg_nbd_params{th[0], th[1], th[2], th[3]});
  double direct = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    direct += m.log_likelihood(x[i], tx[i], T[i]);
  BOOST_TEST(goodwill::bg_nbd::log_likelihood_rows(rows, th, nullptr) == direct,
             tt::tolerance(1e-12));
}

// The analytic Hessian in log-parameters (used by the Newton fit and for the
// standard errors) agrees with central differences of the analytic gradient,
// on rows whose T and t_x are mostly distinct (per-row terms) and on rows
// with few distinct values (per-value tables): both paths give the same sums.
BOOST_DATA_TEST_CASE(analytic_hessian_matches_finite_differences, bdata::make({false, true}),
                     repeated) {
  std::vector<double> x{0, 1, 2, 7, 40, 0, 3}, tx{0, 5, 30.4, 35, 38, 0, 2},
      T{38.9, 20, 38.86, 36, 39, 5, 80};
  if (repeated)
    for (int k = 0; k < 3; ++k)
      for (const double xi : {1.0, 2.0, 4.0, 9.0}) {
        x.push_back(xi);
        tx.push_back(30.0 + k);
        T.push_back(38.86);
      }
  const auto ix = goodwill::detail::index_rows(goodwill::detail::compress_rfm(x, tx, T, {}));
  BOOST_TEST(ix.T.used() == repeated);
  const std::array<double, 4> th{0.3, 5.0, 0.8, 2.5};
  std::array<double, 4> g{};
  std::array<double, 16> H{};
  const double ll = goodwill::bg_nbd::log_likelihood_indexed(ix, th, &g, 1, &H);
  double direct = 0;
  const goodwill::bg_nbd m(goodwill::bg_nbd_params{th[0], th[1], th[2], th[3]});
  for (std::size_t i = 0; i < x.size(); ++i)
    direct += m.log_likelihood(x[i], tx[i], T[i]);
  BOOST_TEST(ll == direct, tt::tolerance(1e-12));
  goodwill_test::check_hessian(th, H, [&](const std::array<double, 4> &t) {
    std::array<double, 4> gt{};
    goodwill::bg_nbd::log_likelihood_indexed(ix, t, &gt, 1);
    return gt;
  });
}

// Above z = 0.9, 2F1 goes through the 1 − z transformation: it must agree
// with the (slow) power series, with the Euler-transformed parameters the
// predictions use (a < 1 makes b negative) and with a closed form
// 2F1(1, 1; 2; z) = −ln(1 − z)/z.
BOOST_DATA_TEST_CASE(hyp2f1_transformation_matches_series,
                     bdata::make({0.91, 0.95, 0.99, 0.999}) * bdata::make({0.0, 2.0, 40.0}), z, x) {
  const double a = 0.793 + 2.426 - 1 - 0.243, b = 0.793 - 1, c = 0.793 + 2.426 + x - 1;
  BOOST_TEST(goodwill::detail::hyp2f1(a, b, c, z) ==
                 goodwill::detail::hyp2f1_series(a, b, c, z, 50000000),
             tt::tolerance(1e-8));
  BOOST_TEST(goodwill::detail::hyp2f1(1, 1, 2, z) == -std::log1p(-z) / z, tt::tolerance(1e-12));
}

// Beyond z = 0.9 with a < 1 (the Euler-transformed 2F1's b = a − 1 < 0) the
// power series needs thousands of terms; hyp2f1_near_one takes the linear
// transformation to 1 − z where it is well conditioned. E[X(t)] of the FHL
// 2005 CDNOW fit at t = 100, 546 (the cumulative-transactions horizon) and
// 10^4: mpmath at 40 digits of FHL's eq. (9), Euler-transformed
// (2.1536737127669372548, 5.0839954909911808627, 15.067913315055178434).
BOOST_AUTO_TEST_CASE(expected_purchases_far_beyond_alpha_by_the_transformation) {
  const goodwill::bg_nbd m(fhl2005);
  BOOST_TEST(m.expected_purchases(100) == 2.1536737127669372548, tt::tolerance(1e-10));
  BOOST_TEST(m.expected_purchases(546) == 5.0839954909911808627, tt::tolerance(1e-10));
  BOOST_TEST(m.expected_purchases(1e4) == 15.067913315055178434, tt::tolerance(1e-10));
  const double r = 0.243, al = 4.414, a = 0.793, b = 2.426, C = a + b - 1;
  for (double t : {100.0, 546.0, 1e4}) {
    const double z = t / (al + t);
    const double f = goodwill::detail::hyp2f1_near_one(C - r, a - 1, C, z, al / (al + t));
    BOOST_TEST(std::isfinite(f));
    BOOST_TEST(f == goodwill::detail::hyp2f1_series(C - r, a - 1, C, z, 50000000),
               tt::tolerance(1e-10));
  }
  // refused (NaN, the caller integrates): z at most 0.9, c − a − b within
  // 1e-3 of 0 or beyond ±1, parameters above 100
  BOOST_TEST(std::isnan(goodwill::detail::hyp2f1_near_one(1.9, -0.2, 2.2, 0.9, 0.1)));
  BOOST_TEST(std::isnan(goodwill::detail::hyp2f1_near_one(1.9, -0.2, 1.7005, 0.95, 0.05)));
  BOOST_TEST(std::isnan(goodwill::detail::hyp2f1_near_one(1.9, -0.2, 4.0, 0.95, 0.05)));
  BOOST_TEST(std::isnan(goodwill::detail::hyp2f1_near_one(150.0, -0.2, 150.5, 0.95, 0.05)));
}

BOOST_AUTO_TEST_CASE(predictions_are_consistent) {
  const goodwill::bg_nbd m(fhl2005);
  // A new customer is a customer with x = 0 observed for T = 0.
  for (double t : {0.5, 10.0, 39.0, 200.0})
    BOOST_TEST(m.conditional_expected_purchases(t, 0, 0, 0) == m.expected_purchases(t),
               tt::tolerance(1e-10));
  // P(X(t) = n) is a distribution whose mean is E[X(t)].
  double total = 0, mean = 0;
  for (std::uint32_t n = 0; n < 400; ++n) {
    const double p = m.probability_of_purchases(39, n);
    total += p;
    mean += n * p;
  }
  BOOST_TEST(total == 1.0, tt::tolerance(1e-9));
  BOOST_TEST(mean == m.expected_purchases(39), tt::tolerance(1e-6));
  BOOST_TEST(m.probability_alive(0, 0, 40) == 1.0);
  BOOST_CHECK_THROW((void)m.conditional_expected_purchases(-1, 1, 1, 2), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)goodwill::bg_nbd().params(), goodwill::not_fitted);
  BOOST_CHECK_THROW((void)goodwill::bg_nbd().probability_alive(1, 1, 2), goodwill::not_fitted);
}

// Customers with hundreds of purchases and long histories: everything finite,
// P(alive) in [0, 1], expectations non-negative and increasing in the horizon.
BOOST_DATA_TEST_CASE(extreme_customers_stay_finite,
                     bdata::make({0.0, 1.0, 150.0, 500.0, 2000.0}) *
                         bdata::make({0.0, 0.5, 0.999}) * bdata::make({1.0, 1000.0, 20000.0}),
                     x, recency_share, T) {
  const goodwill::bg_nbd m(fhl2005);
  const double tx = x == 0 ? 0.0 : std::max(recency_share * T, 1e-3);
  const double pa = m.probability_alive(x, tx, T);
  BOOST_TEST((pa >= 0 && pa <= 1));
  BOOST_TEST(std::isfinite(m.log_likelihood(x, tx, T)));
  double prev = 0;
  for (double t : {1.0, 39.0, 1000.0, 1e5}) {
    const double e = m.conditional_expected_purchases(t, x, tx, T);
    BOOST_TEST(std::isfinite(e));
    BOOST_TEST(e >= prev - 1e-12);
    prev = e;
  }
}

// Fitting data drawn from the model recovers the parameters, and the fit does
// not depend on the number of threads.
BOOST_AUTO_TEST_CASE(simulation_round_trip_and_thread_invariance) {
  const goodwill::bg_nbd_params truth{0.5, 6.0, 0.7, 2.5};
  std::vector<double> T(60000);
  for (std::size_t i = 0; i < T.size(); ++i)
    T[i] = 20.0 + static_cast<double>(i % 53);
  const auto s1 = goodwill::simulate_bg_nbd(truth, T, 42, 1);
  const auto s2 = goodwill::simulate_bg_nbd(truth, T, 42, 2);
  BOOST_TEST(s1.frequency == s2.frequency);
  BOOST_TEST(s1.recency == s2.recency);
  goodwill::btyd_fit_options one, two;
  one.threads = 1;
  two.threads = 2;
  goodwill::bg_nbd m1, m2;
  m1.fit(s1.frequency, s1.recency, s1.T, {}, one);
  m2.fit(s1.frequency, s1.recency, s1.T, {}, two);
  BOOST_TEST(m1.params().r == m2.params().r);
  BOOST_TEST(m1.params().b == m2.params().b);
  BOOST_TEST(m1.info().log_likelihood == m2.info().log_likelihood);
  const auto &p = m1.params();
  const auto &se = m1.standard_errors();
  BOOST_TEST(std::abs(p.r - truth.r) < 4 * se[0]);
  BOOST_TEST(std::abs(p.alpha - truth.alpha) < 4 * se[1]);
  BOOST_TEST(std::abs(p.a - truth.a) < 4 * se[2]);
  BOOST_TEST(std::abs(p.b - truth.b) < 4 * se[3]);
  // Extreme customers in the data keep the fit finite.
  auto x = s1.frequency, tx = s1.recency, TT = s1.T;
  x.push_back(800);
  tx.push_back(71.5);
  TT.push_back(72);
  goodwill::bg_nbd m3;
  m3.fit(x, tx, TT);
  BOOST_TEST(std::isfinite(m3.info().log_likelihood));
}

// A fit can end at the boundary a, b -> inf with a/(a+b) fixed (every
// customer drops out with the same probability q); the predictions must then
// approach the fixed-q model, whose expected purchases in (T, T+t] for a
// customer alive at T are (1/q)·(1 − ((α+T)/(α+T+q·t))^(r+x)) (the posterior
// of λ is Gamma(r+x, α+T); purchases until dropout are geometric with mean
// 1/q, at rate λ, so dropout comes at rate λq). Parameters from a fit that
// reached the boundary on a synthetic portfolio.

// Every customer with the same dropout probability (a, b huge, a/(a+b) =
// 0.2): the likelihood keeps rising as a and b grow, so the Newton fit must
// stop at the shape cap, say so, and still recover the dropout probability.
BOOST_AUTO_TEST_CASE(homogeneous_dropout_stops_at_the_shape_cap) {
  const goodwill::bg_nbd_params truth{0.8, 6.0, 2e5, 8e5};
  const std::vector<double> T(20000, 52.0);
  const auto sim = goodwill::simulate_bg_nbd(truth, T, 9, 2);
  goodwill::bg_nbd m;
  m.fit(sim.frequency, sim.recency, sim.T);
  const auto &info = m.info();
  BOOST_TEST(std::isfinite(info.log_likelihood));
  BOOST_TEST(info.converged);
  BOOST_TEST(!info.at_bound.empty());
  for (const auto &name : info.at_bound)
    BOOST_TEST((name == "a" || name == "b"));
  const auto &p = m.params();
  BOOST_TEST(std::max(p.a, p.b) == goodwill::detail::max_shape,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(p.a / (p.a + p.b) == 0.2, boost::test_tools::tolerance(0.15));
  // Standard errors: NaN for a capped shape, finite for the free parameters.
  const auto se = m.standard_errors();
  BOOST_TEST(std::isnan(se[p.a >= p.b ? 2 : 3]));
  BOOST_TEST((std::isfinite(se[0]) && std::isfinite(se[1])));
  BOOST_TEST(p.r / p.alpha == truth.r / truth.alpha, boost::test_tools::tolerance(0.1));
}

BOOST_AUTO_TEST_CASE(boundary_fit_predictions_approach_the_fixed_dropout_model) {
  const goodwill::bg_nbd_params p{5.971508745996664, 54.813427952812376, 7702000.114384749,
                                  244559633.77754554};
  const goodwill::bg_nbd m(p);
  const double x = 15, t_x = 129, T = 159, t = 26;
  const double e = m.conditional_expected_purchases(t, x, t_x, T);
  const double q = p.a / (p.a + p.b);
  const double limit = (1.0 / q) * (1.0 - std::pow((p.alpha + T) / (p.alpha + T + q * t), p.r + x));
  const double alive = m.probability_alive(x, t_x, T);
  BOOST_TEST(std::isfinite(e));
  BOOST_TEST(e == alive * limit, tt::tolerance(1e-4));
}

BOOST_AUTO_TEST_CASE(bad_input_names_field_and_row) {
  const std::vector<double> x{1, 2}, tx{1, 5}, T{3, 4};
  try {
    goodwill::bg_nbd().fit(x, tx, T);
    BOOST_FAIL("expected invalid_input");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "recency");
    BOOST_TEST(e.row().value() == 1);
  }
  const std::vector<double> neg{-1, 2}, ok{1, 2}, big{4, 4};
  BOOST_CHECK_THROW(goodwill::bg_nbd().fit(neg, ok, big), goodwill::invalid_input);
  const std::vector<double> nan{1, std::nan("")};
  BOOST_CHECK_THROW(goodwill::bg_nbd().fit(ok, nan, big), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(future_alive_and_no_purchase_match_direct_integrals) {
  const goodwill::bg_nbd m(fhl2005);
  // References: mpmath (30 digits) of P(alive at T) times the integral of
  // (1 + p t/(α+T))^−(r+x) over p ~ Beta(a, b+x) (the λ ~ Gamma(r+x, α+T)
  // expectation of e^{−λpt} taken in closed form, the p one numerically).
  BOOST_TEST(std::abs(m.probability_alive_at(39, 2, 30.43, 38.86) - 0.56713803562792994) < 1e-12);
  BOOST_TEST(std::abs(m.probability_alive_at(10, 0, 0, 38.86) - 0.98694069156888307) < 1e-12);
  BOOST_TEST(std::abs(m.probability_alive_at(100, 25, 37, 38) - 0.38616333342642762) < 1e-12);
  BOOST_TEST(m.probability_alive_at(0, 2, 30.43, 38.86) == m.probability_alive(2, 30.43, 38.86));
  // P(alive at T + t) falls with t; P(no purchase in (T, T+t]) falls with t
  // (from 1 at t = 0) and stays in [P(dead at T), 1].
  double prev_alive = 1, prev_none = 1;
  for (double t : {0.0, 1.0, 10.0, 100.0, 1000.0}) {
    const double al = m.probability_alive_at(t, 3, 20, 38),
                 none = m.probability_no_purchase(t, 3, 20, 38);
    BOOST_TEST(al <= prev_alive);
    BOOST_TEST(none <= prev_none);
    BOOST_TEST(none >= 1.0 - m.probability_alive(3, 20, 38));
    prev_alive = al;
    prev_none = none;
  }
  BOOST_TEST(m.probability_no_purchase(0, 3, 20, 38) == 1.0);
  // Vector horizons: one per customer, or one for all; errors name the row.
  const std::vector<double> x{0, 2, 7}, tx{0, 30.43, 35}, T{38.86, 38.86, 38.86}, t{5, 39, 52};
  const auto e = m.conditional_expected_purchases(t, x, tx, T);
  const auto one = m.conditional_expected_purchases(std::vector<double>{39}, x, tx, T);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(e[i] == m.conditional_expected_purchases(t[i], x[i], tx[i], T[i]));
    BOOST_TEST(one[i] == m.conditional_expected_purchases(39, x[i], tx[i], T[i]));
  }
  try {
    (void)m.probability_alive_at(std::vector<double>{1, 2, std::nan("")}, x, tx, T);
    BOOST_FAIL("NaN horizon accepted");
  } catch (const goodwill::invalid_input &err) {
    BOOST_TEST(err.field() == "t");
    BOOST_TEST((err.row() == 2));
  }
}

// Reference values computed with mpmath at 60 digits by the references in
// tests/python/test_btyd_numerics.py (FHL 2005 eq. 10, Euler-transformed;
// P(alive ahead) by Euler's integral and Pfaff): points where the closed form
// in double precision is 0/0 (a = 1), cancels (t ≪ α + T), alternates or
// loses digits near z = 1.
BOOST_AUTO_TEST_CASE(predictions_match_high_precision_references_at_the_corners) {
  struct point {
    goodwill::bg_nbd_params p;
    double x, t_x, T, t, expected;
  };
  const point points[] = {
      {{0.243, 4.414, 1.0, 2.426}, 2, 30.43, 38.86, 39, 1.1021367860399558}, // a = 1 exactly
      {{0.1, 1.0, 1e-6, 1000.0}, 0, 0, 1e-6, 39, 3.899996018504594},      // z = 0.975, a + b = 1000
      {{1e-6, 1e-6, 1e-3, 1.0}, 0, 0, 1e-6, 1e4, 4894.476636564568},      // 1 − z = 2e-10
      {{0.001, 10.0, 10.0, 1e-6}, 0, 0, 1e8, 1.0, 9.999998949950116e-12}, // t ≪ α + T
  };
  for (const auto &pt : points) {
    const goodwill::bg_nbd m(pt.p);
    BOOST_TEST(m.conditional_expected_purchases(pt.t, pt.x, pt.t_x, pt.T) == pt.expected,
               tt::tolerance(1e-9));
  }
  // P(alive at T + t) where the series alternates over ~990 terms (r = 1000)
  const goodwill::bg_nbd m({1000.0, 0.1, 10.0, 0.1});
  BOOST_TEST(m.probability_alive_at(1e4, 2, 30.43, 38.86) == 3.520255367376641e-154,
             tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(closed_form_and_quadrature_agree_where_both_hold) {
  // CDNOW's fit (a = 0.793): the closed form holds; the quadrature of the
  // posterior expectation must give the same value
  const goodwill::bg_nbd m(fhl2005);
  const double alive = m.probability_alive(2, 30.43, 38.86);
  const double q = alive * goodwill::detail::bg_nbd_alive_expectation(fhl2005.r + 2,
                                                                      39 / (fhl2005.alpha + 38.86),
                                                                      fhl2005.a, fhl2005.b + 2);
  BOOST_TEST(m.conditional_expected_purchases(39, 2, 30.43, 38.86) == q, tt::tolerance(1e-12));
  const double s =
      alive * goodwill::detail::bg_nbd_survival_expectation(
                  fhl2005.r + 2, 39 / (fhl2005.alpha + 38.86), fhl2005.a, fhl2005.b + 2);
  BOOST_TEST(m.probability_alive_at(39, 2, 30.43, 38.86) == s, tt::tolerance(1e-12));
  // the expectation is continuous through a = 1 (where the closed form is 0/0)
  const double at_one = goodwill::bg_nbd({0.243, 4.414, 1.0, 2.426})
                            .conditional_expected_purchases(39, 2, 30.43, 38.86);
  const double below = goodwill::bg_nbd({0.243, 4.414, 1.0 - 1e-7, 2.426})
                           .conditional_expected_purchases(39, 2, 30.43, 38.86);
  const double above = goodwill::bg_nbd({0.243, 4.414, 1.0 + 1e-7, 2.426})
                           .conditional_expected_purchases(39, 2, 30.43, 38.86);
  BOOST_TEST(at_one == below, tt::tolerance(1e-6));
  BOOST_TEST(at_one == above, tt::tolerance(1e-6));
}

BOOST_AUTO_TEST_SUITE_END()
