#include <goodwill/value/btyd/bg_bb.hpp>

#include "btyd_data.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(bg_bb)

namespace tt = boost::test_tools;

namespace {
// Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time
// noncontractual setting", Marketing Science 29(6): the donations data.
const goodwill::bg_bb_params fhs2010{1.204, 0.750, 0.657, 2.783};
} // namespace

BOOST_AUTO_TEST_CASE(donations_reproduce_fader_hardie_shang_2010,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/donations.csv")) {
  const auto d = goodwill_test::read_csv_columns("cdnow/donations.csv");
  BOOST_REQUIRE(!d.empty());
  goodwill::bg_bb m;
  m.fit(d[0], d[1], d[2], d[3]);
  const auto &p = m.params();
  BOOST_TEST(std::abs(p.alpha - 1.204) < 5e-4);
  BOOST_TEST(std::abs(p.beta - 0.750) < 5e-4);
  BOOST_TEST(std::abs(p.gamma - 0.657) < 5e-4);
  BOOST_TEST(std::abs(p.delta - 2.783) < 5e-4);
  // FHS 2010 report LL = -33,225.6.
  BOOST_TEST(std::abs(m.info().log_likelihood - -33225.6) < 0.05);
  BOOST_TEST(m.info().customers == 11104.0);
}

BOOST_AUTO_TEST_CASE(predictions_are_consistent) {
  const goodwill::bg_bb m(fhs2010);
  for (double n : {1.0, 6.0, 30.0}) {
    double total = 0, mean = 0;
    for (double x = 0; x <= n; x += 1) {
      const double p = m.probability_of_purchases(n, x);
      total += p;
      mean += x * p;
    }
    BOOST_TEST(total == 1.0, tt::tolerance(1e-10));
    BOOST_TEST(mean == m.expected_purchases(n), tt::tolerance(1e-9));
  }
  // The closed form of the survival sum matches the direct sum through the
  // γ ≈ 1 branch: compare γ = 1 ± 1e-5 neighbours.
  const goodwill::bg_bb lo(goodwill::bg_bb_params{1.2, 0.75, 1.0 - 2e-6, 2.8});
  const goodwill::bg_bb hi(goodwill::bg_bb_params{1.2, 0.75, 1.0 + 2e-5, 2.8});
  BOOST_TEST(lo.expected_purchases(10) == hi.expected_purchases(10), tt::tolerance(1e-4));
  // P(alive) is in [0, 1] and 1 for a customer who transacted last period
  // with no future periods to survive... decreasing in the look-ahead.
  BOOST_TEST(m.probability_alive(1, 6, 6, 6) > m.probability_alive(5, 6, 6, 6));
  for (double x = 0; x <= 6; x += 1)
    for (double tx = x; tx <= 6; tx += 1) {
      if (x == 0 && tx > 0)
        break;
      const double pa = m.probability_alive(1, x, tx, 6);
      BOOST_TEST((pa >= 0 && pa <= 1));
      BOOST_TEST(m.conditional_expected_purchases(5, x, tx, 6) >= 0);
    }
  BOOST_CHECK_THROW((void)goodwill::bg_bb().params(), goodwill::not_fitted);
}

BOOST_AUTO_TEST_CASE(long_histories_stay_finite) {
  const goodwill::bg_bb m(fhs2010);
  for (double n : {100.0, 1000.0})
    for (double x : {0.0, 50.0, n}) {
      const double tx = x == 0 ? 0 : n;
      BOOST_TEST(std::isfinite(m.log_likelihood(x, tx, n)));
      const double pa = m.probability_alive(10, x, tx, n);
      BOOST_TEST((pa >= 0 && pa <= 1));
      BOOST_TEST(std::isfinite(m.conditional_expected_purchases(100, x, tx, n)));
    }
}

// The exact gradient and Hessian of the log-likelihood over compressed rows
// (log_likelihood_rows, in log-parameters): the value is the sum of the
// customers' log_likelihood; the gradient agrees with central differences
// of the log-likelihood (Richardson-extrapolated, steps 1e-3 and 5e-4 in
// log θ: truncation error O(h⁴)) and the Hessian with the same differences
// of the analytic gradient and, more loosely, with
// second differences of the log-likelihood itself. Relative 1e-6 of the
// largest entry of the gradient (Hessian), so an entry near 0 is not asked
// for digits it does not have. Points: the FHS 2010 donations estimates,
// and ones with parameters at 1e-3 and 1e3 (terms of very different
// sizes in the log-sum-exp).
BOOST_AUTO_TEST_CASE(log_likelihood_rows_exact_gradient_and_hessian) {
  // customers of 1..30 opportunities, with and without transactions
  std::vector<double> x, tx, n, w;
  auto add = [&](double xi, double ti, double ni, double wi) {
    x.push_back(xi);
    tx.push_back(ti);
    n.push_back(ni);
    w.push_back(wi);
  };
  add(0, 0, 6, 3464);
  add(1, 1, 6, 1091);
  add(3, 4, 6, 250);
  add(6, 6, 6, 1203);
  add(2, 5, 6, 150);
  add(0, 0, 1, 10);
  add(1, 1, 1, 12);
  add(5, 12, 30, 7);
  add(20, 30, 30, 3);
  add(1, 2, 25, 40);
  add(10, 22, 30, 5);
  const auto rows = goodwill::detail::compress_rfm(x, tx, n, w, true);
  const std::vector<std::array<double, 4>> points{
      {1.204, 0.750, 0.657, 2.783}, {1e-3, 0.5, 2.0, 1e-3}, {1e3, 1e3, 0.8, 1e3},
      {1e-3, 1e-3, 1e-3, 1e-3},     {1e3, 2.0, 1e-3, 1e3},  {0.3, 1e3, 1e3, 0.05}};
  auto ll = [&](const std::array<double, 4> &t) {
    return goodwill::bg_bb::log_likelihood_rows(rows, t, nullptr, 1);
  };
  auto grad = [&](const std::array<double, 4> &t) {
    std::array<double, 4> g{};
    static_cast<void>(goodwill::bg_bb::log_likelihood_rows(rows, t, &g, 1));
    return g;
  };
  auto shifted = [](std::array<double, 4> t, std::size_t k, double h) {
    t[k] *= std::exp(h);
    return t;
  };
  double worst_g = 0, worst_h = 0, worst_h2 = 0;
  for (const auto &th : points) {
    std::array<double, 4> g{};
    std::array<double, 16> H{};
    const double v = goodwill::bg_bb::log_likelihood_rows(rows, th, &g, 2, &H);
    const goodwill::bg_bb m(goodwill::bg_bb_params{th[0], th[1], th[2], th[3]});
    double direct = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      direct += w[i] * m.log_likelihood(x[i], tx[i], n[i]);
    BOOST_TEST(v == direct, tt::tolerance(1e-12));
    double gmax = 0, hmax = 0;
    for (std::size_t k = 0; k < 4; ++k)
      gmax = std::max(gmax, std::abs(g[k]));
    for (const double e : H)
      hmax = std::max(hmax, std::abs(e));
    for (std::size_t k = 0; k < 4; ++k) {
      auto cd = [&](double h) {
        return (ll(shifted(th, k, h)) - ll(shifted(th, k, -h))) / (2 * h);
      };
      const double fd = (4 * cd(5e-4) - cd(1e-3)) / 3;
      const double err = std::abs(g[k] - fd) / gmax;
      worst_g = std::max(worst_g, err);
      BOOST_TEST(err < 1e-6, "gradient " << k << " at " << th[0] << " " << th[1] << " " << th[2]
                                         << " " << th[3] << ": " << g[k] << " vs " << fd);
      const auto gp = grad(shifted(th, k, 1e-3)), gq = grad(shifted(th, k, -1e-3)),
                 gp2 = grad(shifted(th, k, 5e-4)), gq2 = grad(shifted(th, k, -5e-4));
      for (std::size_t j = 0; j < 4; ++j) {
        const double fdh = (4 * (gp2[j] - gq2[j]) / 1e-3 - (gp[j] - gq[j]) / 2e-3) / 3;
        const double herr = std::abs(H[k * 4 + j] - fdh) / hmax;
        worst_h = std::max(worst_h, herr);
        BOOST_TEST(herr < 1e-6, "hessian " << k << j << " at " << th[0] << " " << th[1] << " "
                                           << th[2] << " " << th[3] << ": " << H[k * 4 + j]
                                           << " vs " << fdh);
        // second differences of the log-likelihood, step 1e-3
        const double h = 1e-3;
        const double d2 =
            (ll(shifted(shifted(th, k, h), j, h)) - ll(shifted(shifted(th, k, h), j, -h)) -
             ll(shifted(shifted(th, k, -h), j, h)) + ll(shifted(shifted(th, k, -h), j, -h))) /
            (4 * h * h);
        const double h2err = std::abs(H[k * 4 + j] - d2) / hmax;
        worst_h2 = std::max(worst_h2, h2err);
        BOOST_TEST(h2err < 1e-4, "hessian " << k << j << " vs second differences: " << H[k * 4 + j]
                                            << " vs " << d2);
      }
      BOOST_TEST(H[k * 4 + k] == H[k * 4 + k]); // finite, not NaN
    }
  }
  BOOST_TEST_MESSAGE("largest relative error: gradient " << worst_g << ", Hessian " << worst_h
                                                         << " (second differences of LL "
                                                         << worst_h2 << ")");
}

BOOST_AUTO_TEST_CASE(bad_input_names_field_and_row) {
  const std::vector<double> x{1, 3}, tx{1, 2}, n{6, 6};
  try {
    goodwill::bg_bb().fit(x, tx, n);
    BOOST_FAIL("expected invalid_input");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "frequency");
    BOOST_TEST(e.row().value() == 1);
  }
}

BOOST_AUTO_TEST_CASE(period_counts_are_bounded_before_any_sum) {
  const goodwill::bg_bb m(fhs2010);
  auto field_of = [](auto &&f) -> std::string {
    try {
      f();
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST_MESSAGE(e.what());
      return e.field() + ": " + e.what();
    }
    return "accepted";
  };
  // 10^9 periods: refused by name and size, not summed
  BOOST_TEST(field_of([&] { (void)m.log_likelihood(0, 0, 1e9); }) ==
             "n_periods: field 'n_periods': 1000000000.000000 periods is more than this model "
             "takes (at most 1000000)");
  BOOST_TEST(field_of([&] { (void)m.probability_of_purchases(1e9, 0); }).rfind("n: ", 0) == 0u);
  BOOST_TEST(field_of([&] { (void)m.expected_purchases(1e17); }).rfind("n: ", 0) == 0u);
  BOOST_TEST(field_of([&] {
               (void)m.probability_alive(1e9, 1, 1, 6);
             }).rfind("m_periods_in_future: ", 0) == 0u);
  BOOST_TEST(field_of([&] {
               (void)m.conditional_expected_purchases(1, 1, 1, 1e12);
             }).rfind("n_periods: ", 0) == 0u);
  // and the rest of a customer's history
  BOOST_TEST(field_of([&] { (void)m.probability_alive(1, 2, 1, 6); }).rfind("frequency: ", 0) ==
             0u);
  BOOST_TEST(field_of([&] { (void)m.probability_alive(1, 1, 7, 6); }).rfind("recency: ", 0) == 0u);
  BOOST_TEST(field_of([&] { (void)m.probability_alive(1, 0.5, 1, 6); }).rfind("frequency: ", 0) ==
             0u);
  BOOST_TEST(field_of([&] {
               (void)m.probability_alive(std::nan(""), 1, 1, 6);
             }).rfind("m_periods_in_future: ", 0) == 0u);
  BOOST_TEST(field_of([&] { (void)m.probability_of_purchases(3, 4); }).rfind("x: ", 0) == 0u);
  // period counts are whole in C++ too, not only in Python: a fractional
  // horizon would be floored by the gamma = 1 sum and interpolated by the
  // closed form, so it is refused by name
  BOOST_TEST(field_of([&] { (void)m.probability_alive(2.5, 1, 1, 6); }) ==
             "m_periods_in_future: field 'm_periods_in_future': must be a whole number of periods, "
             "got 2.500000");
  BOOST_TEST(field_of([&] {
               (void)m.conditional_expected_purchases(0.5, 1, 1, 6);
             }).rfind("m_periods_in_future: ", 0) == 0u);
  BOOST_TEST(field_of([&] { (void)m.expected_purchases(3.25); }).rfind("n: ", 0) == 0u);
  BOOST_TEST(field_of([&] { (void)m.expected_purchases(3); }) == "accepted");
  BOOST_TEST(field_of([&] { (void)m.probability_alive(1e6, 1e6, 1e6, 1e6); }) == "accepted");
  // a fit: each row, then the terms of one likelihood evaluation
  const std::vector<double> one{1}, big{2e6};
  BOOST_TEST(field_of([&] { goodwill::bg_bb().fit(one, one, big); }).rfind("n_periods: ", 0) == 0u);
  std::vector<double> x, tx, n;
  for (int i = 0; i < 200; ++i) { // 200 distinct rows of 10^6 periods: 2e8 terms
    x.push_back(1);
    tx.push_back(1 + i);
    n.push_back(1e6);
  }
  BOOST_TEST(field_of([&] { goodwill::bg_bb().fit(x, tx, n); }) ==
             "n_periods: field 'n_periods': one likelihood evaluation would sum 199980100 terms "
             "over the 200 distinct (frequency, recency, n_periods) rows (at most 100000000)");
}

BOOST_AUTO_TEST_SUITE_END()
