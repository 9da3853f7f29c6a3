#include <goodwill/value/btyd/modified_bg_nbd.hpp>

#include "btyd_data.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(modified_bg_nbd)

namespace {
// Parameters of the R BTYD walkthrough's BG/NBD fit, used by lifetimes'
// tests of ModifiedBetaGeoFitter.probability_of_n_purchases_up_to_time.
const goodwill::modified_bg_nbd_params btyd_walkthrough{0.243, 4.414, 0.793, 2.426};
} // namespace

BOOST_AUTO_TEST_CASE(cdnow_reproduces_btydplus_and_lifetimes,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/cdnow_customers_summary.csv")) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  BOOST_REQUIRE(!c.empty());
  goodwill::modified_bg_nbd m;
  m.fit(c[1], c[2], c[3]);
  const auto &p = m.params();
  // BTYDplus (Platzer) and lifetimes' test_params_out_is_close_to_BTYDplus:
  // r = 0.525, alpha = 6.183, a = 0.891, b = 1.614; lifetimes 0.11.3 fits
  // 0.524838, 6.182988, 0.891356, 1.614000.
  BOOST_TEST(std::abs(p.r - 0.524838) < 5e-5);
  BOOST_TEST(std::abs(p.alpha - 6.182988) < 5e-4);
  BOOST_TEST(std::abs(p.a - 0.891356) < 5e-4);
  BOOST_TEST(std::abs(p.b - 1.614000) < 5e-4);
  BOOST_TEST(m.info().converged);
  // lifetimes 0.11.3 on this fit: E[X(39) | x=2, t_x=30.43, T=38.86] = 1.262671,
  // P(alive) = 0.706126 (x = 2) and 0.389716 (x = 0, T = 38.86).
  BOOST_TEST(std::abs(m.conditional_expected_purchases(39, 2, 30.43, 38.86) - 1.262671) < 2e-4);
  BOOST_TEST(std::abs(m.probability_alive(2, 30.43, 38.86) - 0.706126) < 1e-4);
  BOOST_TEST(std::abs(m.probability_alive(0, 0, 38.86) - 0.389716) < 1e-4);
  // Hardie's spreadsheet via lifetimes' test_expectation_returns_same_value_Hardie_excel_sheet
  // (lifetimes 0.11.3 values on this fit).
  const double times[] = {0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0};
  const double expected[] = {0.00777962, 0.05306063, 0.15079302,
                             1.03347067, 1.03660937, 1.80363619};
  for (int i = 0; i < 6; ++i)
    BOOST_TEST(std::abs(m.expected_purchases(times[i]) / expected[i] - 1) < 2e-4);
}

// The analytic gradient and Hessian in log-parameters (the Newton fit and
// the standard errors use them) agree with the value summed row by row and
// with central differences of the value and of the gradient, on rows with
// x = 0 (where the softplus term still counts) and large x.
BOOST_AUTO_TEST_CASE(analytic_gradient_and_hessian_match_finite_differences) {
  const std::vector<double> x{0, 1, 2, 7, 40, 0, 3, 2}, tx{0, 5, 30.4, 35, 38, 0, 2, 30.4},
      T{38.9, 20, 38.86, 36, 39, 5, 80, 38.86};
  const auto rows = goodwill::detail::compress_rfm(x, tx, T, {});
  for (const std::array<double, 4> th :
       {std::array<double, 4>{0.3, 5.0, 0.8, 2.5}, std::array<double, 4>{2.0, 0.5, 3.0, 0.4}}) {
    std::array<double, 4> g{};
    std::array<double, 16> H{};
    const double ll = goodwill::modified_bg_nbd::log_likelihood_rows(rows, th, &g, 1, &H);
    double direct = 0;
    const goodwill::modified_bg_nbd m(goodwill::modified_bg_nbd_params{th[0], th[1], th[2], th[3]});
    for (std::size_t i = 0; i < x.size(); ++i)
      direct += m.log_likelihood(x[i], tx[i], T[i]);
    BOOST_TEST(ll == direct, boost::test_tools::tolerance(1e-12));
    for (std::size_t k = 0; k < 4; ++k) {
      // d ll / d log th_k by central differences
      const double h = 1e-6;
      auto up = th, down = th;
      up[k] *= std::exp(h);
      down[k] *= std::exp(-h);
      const double fd = (goodwill::modified_bg_nbd::log_likelihood_rows(rows, up, nullptr, 1) -
                         goodwill::modified_bg_nbd::log_likelihood_rows(rows, down, nullptr, 1)) /
                        (2 * h);
      BOOST_TEST(g[k] == fd, boost::test_tools::tolerance(1e-6));
    }
    goodwill_test::check_hessian(th, H, [&](const std::array<double, 4> &t) {
      std::array<double, 4> gt{};
      goodwill::modified_bg_nbd::log_likelihood_rows(rows, t, &gt, 1);
      return gt;
    });
  }
}

BOOST_AUTO_TEST_CASE(probability_of_purchases_matches_lifetimes_and_sums_to_one) {
  const goodwill::modified_bg_nbd m(btyd_walkthrough);
  // lifetimes 0.11.3 ModifiedBetaGeoFitter with these parameters.
  BOOST_TEST(std::abs(m.probability_of_purchases(2, 10) / 1.0067035387044638e-07 - 1) < 1e-9);
  BOOST_TEST(std::abs(m.probability_of_purchases(30, 0) - 0.7038986113075905) < 1e-12);
  BOOST_TEST(std::abs(m.probability_of_purchases(30, 1) - 0.13436095323785088) < 1e-12);
  BOOST_TEST(std::abs(m.probability_of_purchases(30, 11) - 0.0018496134489608975) < 1e-14);
  // The pmf sums to one and its mean is E[X(t)].
  double total = 0, mean = 0;
  for (std::uint32_t n = 0; n < 4000; ++n) {
    const double pn = m.probability_of_purchases(30, n);
    total += pn;
    mean += n * pn;
  }
  BOOST_TEST(std::abs(total - 1) < 1e-10);
  BOOST_TEST(std::abs(mean / m.expected_purchases(30) - 1) < 1e-8);
}

BOOST_AUTO_TEST_CASE(vector_horizons_and_errors_name_the_row) {
  const goodwill::modified_bg_nbd m(btyd_walkthrough);
  const std::vector<double> x{0, 2, 5}, tx{0, 30.43, 20}, T{38.86, 38.86, 38.86}, t{1, 39, 100};
  const auto e = m.conditional_expected_purchases(t, x, tx, T);
  for (std::size_t i = 0; i < 3; ++i)
    BOOST_TEST(e[i] == m.conditional_expected_purchases(t[i], x[i], tx[i], T[i]));
  const std::vector<double> bad{1, -1, 2};
  try {
    (void)m.conditional_expected_purchases(bad, x, tx, T);
    BOOST_FAIL("negative horizon accepted");
  } catch (const goodwill::invalid_input &err) {
    BOOST_TEST(err.field() == "t");
    BOOST_TEST((err.row() == 1));
  }
  BOOST_CHECK_THROW((void)m.conditional_expected_purchases(std::vector<double>{1, 2}, x, tx, T),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW((void)goodwill::modified_bg_nbd{}.probability_alive(1, 1, 2),
                    goodwill::not_fitted);
}

BOOST_AUTO_TEST_SUITE_END()
