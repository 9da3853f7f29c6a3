// Tests for goodwill/detail/statistics.hpp: the Student-t half-width against
// a closed form and R's qt, the sample moments, and no interval from fewer
// than two values.
#include <goodwill/detail/statistics.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

namespace tt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(statistics)

BOOST_AUTO_TEST_CASE(t_interval_matches_tables) {
  // With 2 degrees of freedom the t quantile has the closed form
  // (2p - 1) / sqrt(2p(1 - p)); p = 0.975 gives 4.30265... (R: qt(0.975, 2)).
  const double p = 0.975;
  BOOST_TEST(goodwill::t_half_width(1.0, 3, 0.95) ==
                 (2 * p - 1) / std::sqrt(2 * p * (1 - p)) / std::sqrt(3.0),
             tt::tolerance(1e-12));
  BOOST_TEST(goodwill::t_half_width(2.0, 3, 0.95) == 2.0 * goodwill::t_half_width(1.0, 3, 0.95),
             tt::tolerance(1e-12));
  // R: qt(0.95, 9) = 1.833113 (a 90% interval from 10 values)
  BOOST_TEST(goodwill::t_half_width(std::sqrt(10.0), 10, 0.90) == 1.833113, tt::tolerance(1e-6));
  BOOST_TEST(std::isnan(goodwill::t_half_width(1.0, 1)));
  BOOST_CHECK_EXCEPTION((void)goodwill::t_half_width(1.0, 5, 1.0), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) { return e.field() == "level"; });
}

BOOST_AUTO_TEST_CASE(moments_of_a_sample) {
  const std::vector<double> x{2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0};
  const auto m = goodwill::detail::moments_of(x);
  BOOST_TEST(m.n == 8u);
  BOOST_TEST(m.mean == 5.0, tt::tolerance(1e-15));
  // sum of squares 32 over n - 1 = 7
  BOOST_TEST(m.sd == std::sqrt(32.0 / 7.0), tt::tolerance(1e-15));
  const std::vector<double> one{3.5};
  const auto o = goodwill::detail::moments_of(one);
  BOOST_TEST(o.mean == 3.5);
  BOOST_TEST(std::isnan(o.sd)); // one value: no spread, not a zero one
  BOOST_TEST(goodwill::detail::moments_of(std::vector<double>{}).mean == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
