#include <goodwill/negotiation/preferences.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(preferences)

using goodwill::issue;
namespace tt = boost::test_tools;

namespace {
goodwill::linear_additive_utility example() {
  goodwill::outcome_space s({issue::categorical("vendor", {"a", "b", "c"}),
                             issue::integer("price", 10, 14),
                             issue::ordinal("sla", {"basic", "premium"})});
  std::vector<goodwill::issue_evaluator> ev(3);
  ev[0].table = {0.2, 1.0, 0.5};
  ev[1].linear = goodwill::linear_evaluator{-0.3, 1.0, true}; // 1, .7, .4, .1, 0 (clamped)
  ev[2].table = {0.0, 1.0};
  return {s, {0.5, 0.3, 0.2}, ev, 0.25, 0.9};
}
} // namespace

BOOST_AUTO_TEST_CASE(hand_computed_utilities) {
  const auto u = example();
  const std::vector<double> o{1.0, 11.0, 1.0}; // b, 11, premium
  BOOST_TEST(u(o) == 0.5 * 1.0 + 0.3 * 0.7 + 0.2 * 1.0, tt::tolerance(1e-12));
  const std::vector<double> o2{0.0, 14.0, 0.0}; // clamped at 0
  BOOST_TEST(u(o2) == 0.5 * 0.2, tt::tolerance(1e-12));
  BOOST_TEST(u.evaluators()[1].table.size() == 5u);
  const auto [lo, hi] = u.range();
  BOOST_TEST(lo == 0.1, tt::tolerance(1e-12));
  BOOST_TEST(hi == 1.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(vectorised_matches_per_outcome) {
  const auto u = example();
  const auto all = u.evaluate_all();
  BOOST_REQUIRE_EQUAL(static_cast<std::size_t>(all.size()), u.space().size());
  for (goodwill::outcome_id id = 0; id < u.space().size(); ++id) {
    const auto v = u.space().decode(id);
    BOOST_TEST(all[static_cast<Eigen::Index>(id)] == u(v), tt::tolerance(1e-12));
    BOOST_TEST(u(id) == u(v), tt::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(discounting_as_genius) {
  auto u = example();
  BOOST_TEST(u.discounted(0.8, 0.5) == 0.8 * std::sqrt(0.9), tt::tolerance(1e-12));
  BOOST_TEST(u.discounted(0.8, 0.0) == 0.8, tt::tolerance(1e-12));
  u.set_discount(0.0); // Genius: 0 means no discounting
  BOOST_TEST(u.discounted(0.8, 1.0) == 0.8, tt::tolerance(1e-12));
  BOOST_TEST(u.reservation() == 0.25);
}

BOOST_AUTO_TEST_CASE(continuous_issue_and_validation) {
  goodwill::outcome_space s({issue::continuous("price", 100.0, 200.0)});
  std::vector<goodwill::issue_evaluator> ev(1);
  ev[0].linear = goodwill::linear_evaluator{0.01, 0.0, true};
  const goodwill::linear_additive_utility u(s, {1.0}, ev);
  const std::vector<double> o{150.0};
  BOOST_TEST(u(o) == 0.5, tt::tolerance(1e-12));
  const auto d5 = u.discretized(5); // 100, 125, ..., 200
  BOOST_TEST(d5.space().size() == 5u);
  BOOST_TEST(d5(goodwill::outcome_id{1}) == 0.25, tt::tolerance(1e-12));
  BOOST_TEST(d5.space().issues()[0].labels[1] == std::to_string(125.0));
  std::vector<goodwill::issue_evaluator> none(1);
  BOOST_CHECK_THROW(goodwill::linear_additive_utility(s, {1.0}, none), goodwill::invalid_input);
  BOOST_CHECK_THROW(goodwill::linear_additive_utility(s, {1.0, 2.0}, ev), goodwill::invalid_input);
  goodwill::outcome_space d({issue::categorical("x", {"a", "b"})});
  BOOST_CHECK_THROW(goodwill::linear_additive_utility::from_tables(d, {1.0}, {{0.5}}),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW(goodwill::linear_additive_utility::from_tables(d, {1.0}, {{0.5, NAN}}),
                    goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
