#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/gamma_gamma.hpp>

#include "btyd_data.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(gamma_gamma)

namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(
    cdnow_reproduces_fader_hardie_lee_note_025,
    GOODWILL_NEEDS_SHARED_DATA("cdnow/cdnow_customers_summary_with_transactions.csv")) {
  const auto c =
      goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary_with_transactions.csv");
  BOOST_REQUIRE(!c.empty());
  std::vector<double> x, m;
  for (std::size_t i = 0; i < c[0].size(); ++i)
    if (c[1][i] > 0) {
      x.push_back(c[1][i]);
      m.push_back(c[4][i]);
    }
  BOOST_REQUIRE_EQUAL(x.size(), 946u);
  goodwill::gamma_gamma g;
  g.fit(x, m);
  // Fader, Hardie & Lee (2005), "The Gamma-Gamma model of monetary value":
  // p = 6.25, q = 3.74, gamma = 15.44.
  BOOST_TEST(std::abs(g.params().p - 6.25) < 5e-3);
  BOOST_TEST(std::abs(g.params().q - 3.74) < 5e-3);
  BOOST_TEST(std::abs(g.params().v - 15.44) < 1e-2);
  // Conditional expected mean spend of the first ten customers (lifetimes
  // documentation on the same data, as listed in ../shared/data/README.md,
  // which truncates to cents: lifetimes prints 24.658619 for the first).
  const double expected[10] = {24.65, 18.91, 35.17, 35.17, 35.17,
                               71.46, 18.91, 35.17, 27.28, 35.17};
  for (std::size_t i = 0; i < 10; ++i)
    BOOST_TEST(std::abs(g.conditional_expected_average_profit(c[1][i], c[4][i]) - expected[i]) <
               0.01);
}

BOOST_AUTO_TEST_CASE(clv_matches_its_definition) {
  const goodwill::gamma_gamma g(goodwill::gamma_gamma_params{6.25, 3.74, 15.44});
  const goodwill::bg_nbd b(goodwill::bg_nbd_params{0.243, 4.414, 0.793, 2.426});
  const double spend = g.conditional_expected_average_profit(2, 22.35);
  // Without discounting the CLV is spend × expected purchases over the horizon.
  BOOST_TEST(goodwill::customer_lifetime_value(b, 2, 30.43, 38.86, spend, 12, 0.0, 4.345) ==
                 spend * b.conditional_expected_purchases(12 * 4.345, 2, 30.43, 38.86),
             tt::tolerance(1e-10));
  // Discounting lowers it; month by month by hand.
  double by_hand = 0;
  for (int i = 1; i <= 3; ++i)
    by_hand += spend *
               (b.conditional_expected_purchases(i * 30.0, 2, 30.43, 38.86) -
                b.conditional_expected_purchases((i - 1) * 30.0, 2, 30.43, 38.86)) /
               std::pow(1.01, i);
  BOOST_TEST(goodwill::customer_lifetime_value(b, 2, 30.43, 38.86, spend, 3, 0.01, 30.0) == by_hand,
             tt::tolerance(1e-12));
  // The population mean for a customer without repeat purchases.
  BOOST_TEST(g.conditional_expected_average_profit(0, 0) == 6.25 * 15.44 / 2.74,
             tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_input_names_field_and_row) {
  const std::vector<double> x{1, 0}, m{3, 4};
  try {
    goodwill::gamma_gamma().fit(x, m);
    BOOST_FAIL("expected invalid_input");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "frequency");
    BOOST_TEST(e.row().value() == 1);
  }
  const std::vector<double> ok{1, 2}, neg{3, -1};
  BOOST_CHECK_THROW(goodwill::gamma_gamma().fit(ok, neg), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)goodwill::gamma_gamma().params(), goodwill::not_fitted);
}

BOOST_AUTO_TEST_CASE(extreme_buyers_stay_finite) {
  const goodwill::gamma_gamma g(goodwill::gamma_gamma_params{6.25, 3.74, 15.44});
  for (double x : {1.0, 500.0, 1e5})
    for (double m : {1e-3, 35.0, 1e6}) {
      BOOST_TEST(std::isfinite(g.log_likelihood(x, m)));
      const double e = g.conditional_expected_average_profit(x, m);
      BOOST_TEST((e > 0 && std::isfinite(e)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
