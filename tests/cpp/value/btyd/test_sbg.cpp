#include <goodwill/value/btyd/sbg.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(sbg)

namespace {
// Fader & Hardie (2007), "How to project customer retention", Journal of
// Interactive Marketing 21(1), table 1: customers still active at the start
// of years 1..8 of two segments of 1,000 customers each.
const std::vector<double> regular{1000, 631, 468, 382, 326, 289, 262, 241};
const std::vector<double> high_end{1000, 869, 743, 653, 593, 551, 517, 491};
} // namespace

BOOST_AUTO_TEST_CASE(fader_hardie_2007_example_is_reproduced) {
  // FH 2007 (section "Estimating model parameters"): regular alpha = 0.704,
  // beta = 1.182; high end alpha = 0.668, beta = 3.806 (fitted to the
  // seven years of data).
  goodwill::sbg reg, high;
  reg.fit_survivors(regular);
  high.fit_survivors(high_end);
  BOOST_TEST(std::abs(reg.params().alpha - 0.704) < 5e-4);
  BOOST_TEST(std::abs(reg.params().beta - 1.182) < 5e-4);
  BOOST_TEST(std::abs(high.params().alpha - 0.668) < 5e-4);
  BOOST_TEST(std::abs(high.params().beta - 3.806) < 5e-4);
  BOOST_TEST(reg.info().converged);
  BOOST_TEST(reg.info().customers == 1000.0);
  // The log-likelihood is the one of the survivor table.
  double ll = 0;
  for (std::size_t t = 1; t < regular.size(); ++t)
    ll += (regular[t - 1] - regular[t]) * std::log(reg.probability_churn(static_cast<double>(t)));
  ll += regular.back() * std::log(reg.survival(7));
  BOOST_TEST(std::abs(reg.info().log_likelihood - ll) < 1e-9);
}

BOOST_AUTO_TEST_CASE(survival_retention_and_lifetimes_are_consistent) {
  const goodwill::sbg m(goodwill::sbg_params{0.704, 1.182});
  double s = 1;
  for (int t = 1; t <= 50; ++t) {
    // S(t) = S(t−1) r_t and P(T = t) = S(t−1) − S(t).
    const double next = s * m.retention_rate(t);
    BOOST_TEST(std::abs(m.survival(t) - next) < 1e-14);
    BOOST_TEST(std::abs(m.probability_churn(t) - (s - next)) < 1e-14);
    BOOST_TEST(m.retention_rate(t + 1) > m.retention_rate(t));
    s = next;
  }
  // DEL and DERL against their defining sums (Fader & Hardie 2010):
  // DEL = Σ_{t≥0} S(t)/(1+d)^t; DERL(n) = Σ_{k≥1} S(n−1+k)/S(n−1) /(1+d)^(k−1).
  const double d = 0.1;
  double del = 0, derl = 0;
  for (int t = 0; t < 3000; ++t)
    del += m.survival(t) * std::pow(1 + d, -t);
  const double n = 5;
  for (int k = 1; k < 3000; ++k)
    derl += m.survival(n - 1 + k) / m.survival(n - 1) * std::pow(1 + d, -(k - 1));
  BOOST_TEST(std::abs(m.discounted_expected_lifetime(d) / del - 1) < 1e-10);
  BOOST_TEST(std::abs(m.derl(d, n) / derl - 1) < 1e-10);
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_field_and_row) {
  goodwill::sbg m;
  BOOST_CHECK_THROW((void)m.survival(1), goodwill::not_fitted);
  try {
    m.fit(std::vector<double>{1, 0.5}, std::vector<double>{1, 0});
    BOOST_FAIL("fractional period accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "periods");
    BOOST_TEST((e.row() == 1));
  }
  BOOST_CHECK_THROW(m.fit_survivors(std::vector<double>{100, 120}), goodwill::invalid_input);
  BOOST_CHECK_THROW(m.fit(std::vector<double>{1, 2}, std::vector<double>{1, 2}),
                    goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
