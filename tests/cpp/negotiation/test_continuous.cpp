// Sessions over continuous issues directly (issue 18, item 3): offers are
// points of the box found by bisection on the utility along the concession
// path, so they hit the target utility (linear-additive) or reach it
// (non-linear), and the result has no enumeration size to depend on; the
// discretised sessions approach it as their grids get finer.
#include <goodwill/negotiation.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <span>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(continuous)

namespace tt = boost::test_tools;
using namespace goodwill;

namespace {
// Price [100, 200] and delivery [1, 30] days: the seller wants a high price
// and a late delivery, the buyer the opposite, with other weights.
outcome_space box() {
  return outcome_space({issue::continuous("price", 100, 200), issue::continuous("days", 1, 30)});
}
issue_evaluator lin(double slope, double offset) {
  issue_evaluator e;
  e.linear = linear_evaluator{slope, offset, true};
  return e;
}
linear_additive_utility seller(double r = 0.1) {
  return {box(), {0.7, 0.3}, {lin(0.01, 0.0), lin(1.0 / 29.0, 0.0)}, r};
}
linear_additive_utility buyer(double r = 0.1) {
  return {box(), {0.6, 0.4}, {lin(-0.01, 1.0), lin(-1.0 / 29.0, 1.0)}, r};
}
double u_at(const linear_additive_utility &u, std::vector<double> x) {
  return u(std::span<const double>(x));
}
} // namespace

BOOST_AUTO_TEST_CASE(offers_hit_the_target_utility) {
  const auto s = seller(), b = buyer();
  continuous_options o;
  o.rounds = 40;
  for (const double e : {0.2, 1.0, 5.0}) {
    const auto r = run_continuous_session(s, b, {e}, {1.0}, o);
    BOOST_REQUIRE(!r.trace.empty());
    for (const auto &x : r.trace) {
      // The target by hand: u_max 1 (best corner), u_min the reservation .1
      // (both worst corners are worth 0), f(t) = t^(1/e) for the seller.
      const double f = x.proposer == 0 ? std::pow(x.t, 1.0 / e) : x.t;
      const double target = 0.1 + 0.9 * (1.0 - f);
      BOOST_TEST(x.target == target, tt::tolerance(1e-12));
      const double u = x.proposer == 0 ? x.u1 : x.u2;
      // Either on target, or the whole path is above it (the opponent's offer is better).
      BOOST_TEST((std::abs(u - x.target) <= 1e-9 || u > x.target));
      BOOST_TEST(u >= (x.proposer == 0 ? s.reservation() : b.reservation()) - 1e-12);
      BOOST_TEST(x.values[0] >= 100.0);
      BOOST_TEST(x.values[0] <= 200.0);
      BOOST_TEST(x.values[1] >= 1.0);
      BOOST_TEST(x.values[1] <= 30.0);
    }
    // The opening offer (t = 0) is the seller's best corner, exactly.
    BOOST_TEST(r.trace[0].values == (std::vector<double>{200.0, 30.0}), tt::per_element());
    // Strictly inside the box: a concession no grid holds (not a multiple of 1/1000).
    bool off_grid = false;
    for (const auto &x : r.trace)
      off_grid = off_grid || std::abs(x.values[0] * 10.0 - std::round(x.values[0] * 10.0)) > 1e-6;
    BOOST_TEST(off_grid);
    BOOST_REQUIRE(r.agreement());
    BOOST_TEST(r.u1 >= s.reservation());
    BOOST_TEST(r.u2 >= b.reservation());
    BOOST_TEST(r.u1 == u_at(s, r.values));
  }
  // Most offers are on target (the path reaches below it until the end game).
  const auto r = run_continuous_session(s, b, {1.0}, {1.0}, o);
  std::size_t on = 0;
  for (const auto &x : r.trace)
    on += std::abs((x.proposer == 0 ? x.u1 : x.u2) - x.target) <= 1e-9;
  BOOST_TEST(on + 2 >= r.trace.size());
}

BOOST_AUTO_TEST_CASE(discretised_sessions_approach_the_continuous_one) {
  // One price issue: the continuous session has no grid; the same strategies
  // on grids of 11, 101 and 1001 prices land closer to it as the grid gets
  // finer (they can only offer grid points at or above their targets).
  outcome_space sp({issue::continuous("price", 100, 200)});
  const linear_additive_utility s(sp, {1.0}, {lin(0.01, 0.0)}, 0.1);
  const linear_additive_utility b(sp, {1.0}, {lin(-0.01, 1.0)}, 0.1);
  continuous_options o;
  o.rounds = 30;
  const auto c = run_continuous_session(s, b, {1.0}, {1.0}, o);
  BOOST_REQUIRE(c.agreement());
  std::vector<double> gap;
  for (const std::size_t levels : {11u, 101u, 1001u}) {
    const scenario sc(s.discretized(levels), b.discretized(levels));
    auto x = linear_concession();
    auto y = linear_concession();
    session_options so;
    so.rounds = 30;
    const auto d = run_session(sc, *x, *y, so);
    BOOST_REQUIRE(d.agreement());
    gap.push_back(std::abs(d.u1 - c.u1));
  }
  BOOST_TEST(gap[2] <= gap[0]);
  BOOST_TEST(gap[2] < 0.01);
  // The continuous result is its own: rerunning gives the same point.
  const auto again = run_continuous_session(s, b, {1.0}, {1.0}, o);
  BOOST_TEST(again.values == c.values, tt::per_element());
  BOOST_TEST(again.offers == c.offers);
}

BOOST_AUTO_TEST_CASE(non_linear_utilities_reach_the_target) {
  // A hyper-rectangle buyer (worth .6 for price <= 150, .4 more for delivery
  // within 10 days) against the linear seller: a step utility, so offers are
  // worth at least the target (the step at or above it), found by search.
  const auto sp = box();
  const auto nb = hyper_rectangle_utility::from_rectangles(
      sp, {{{{0, 100.0, 150.0}}, 0.6, 1.0, false}, {{{1, 1.0, 10.0}}, 0.4, 1.0, false}}, 0.1);
  const auto s = seller();
  continuous_options o;
  o.rounds = 30;
  const auto r = run_continuous_session(s, nb, {1.0}, {1.0}, o);
  BOOST_REQUIRE(!r.trace.empty());
  for (const auto &x : r.trace) {
    const double u = x.proposer == 0 ? x.u1 : x.u2;
    BOOST_TEST(u >= x.target - 1e-12);
  }
  // The buyer's best point (local search) is worth its maximum, 1.
  BOOST_TEST(r.trace[1].u2 == 1.0);
  BOOST_TEST(r.agreement());
  BOOST_TEST(r.u2 >= 0.1);
}

BOOST_AUTO_TEST_CASE(bad_input_is_named) {
  const auto s = seller(), b = buyer();
  auto field = [&](continuous_strategy a, continuous_options o) {
    try {
      (void)run_continuous_session(s, b, a, {1.0}, o);
    } catch (const invalid_input &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  BOOST_TEST(field({-1.0}, {}).find("'e'") != std::string::npos);
  continuous_options o;
  o.rounds = 0;
  BOOST_TEST(field({1.0}, o).find("rounds") != std::string::npos);
  o = {};
  o.bisection_steps = 0;
  BOOST_TEST(field({1.0}, o).find("bisection_steps") != std::string::npos);
  o = {};
  o.first = 3;
  BOOST_TEST(field({1.0}, o).find("first") != std::string::npos);
  const linear_additive_utility other(outcome_space({issue::continuous("price", 0, 1)}), {1.0},
                                      {lin(1.0, 0.0)});
  BOOST_CHECK_THROW((void)run_continuous_session(s, other, {1.0}, {1.0}), invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
