// Sessions over continuous issues directly (issue 18, item 3): offers are
// points of the box found by bisection on the utility along the concession
// path, so they hit the target utility (linear-additive) or reach it
// (non-linear), and the result has no enumeration size to depend on; the
// discretised sessions approach it as their grids get finer.
#include <goodwill/negotiation.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
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
  o = {};
  o.passes = 0;
  BOOST_TEST(field({1.0}, o).find("passes") != std::string::npos);
  o = {};
  o.rounds = detail::max_rounds + 1u; // 2 turns a round would wrap in 32 bits
  BOOST_TEST(field({1.0}, o).find("rounds") != std::string::npos);
  const linear_additive_utility other(outcome_space({issue::continuous("price", 0, 1)}), {1.0},
                                      {lin(1.0, 0.0)});
  BOOST_CHECK_THROW((void)run_continuous_session(s, other, {1.0}, {1.0}), invalid_input);
}

// ---- private deadlines and reservations (as session.hpp) ---------------------------------

BOOST_AUTO_TEST_CASE(private_deadline_ends_the_session_at_that_sides_deadline) {
  const auto s = seller(), b = buyer();
  continuous_options o;
  o.rounds = 100;
  o.own_rounds = {0, 30}; // the buyer's end of quarter
  o.reservation = {0.4, std::numeric_limits<double>::quiet_NaN()};
  const continuous_strategy boulware{0.2};
  const auto r = run_continuous_session(s, b, boulware, boulware, o);
  BOOST_TEST((r.status == session_status::deadline));
  BOOST_TEST(r.deadline_party == 1);
  BOOST_TEST(r.own_rounds[0] == 100u);
  BOOST_TEST(r.own_rounds[1] == 30u);
  BOOST_TEST(r.offers == 60u);
  BOOST_TEST(r.rounds == 30u);
  BOOST_TEST(r.t == 60.0 / 199.0, tt::tolerance(1e-15)); // the session's clock
  BOOST_TEST(r.u1 == 0.4);                               // each side its own (private) reservation
  BOOST_TEST(r.u2 == 0.1);
  BOOST_REQUIRE_EQUAL(r.trace.size(), 60u);
  for (std::size_t k = 0; k < r.trace.size(); ++k) {
    const auto &x = r.trace[k];
    BOOST_TEST(x.t == static_cast<double>(k) / 199.0, tt::tolerance(1e-15));
    // The buyer's clock runs over its own 30 rounds, the seller's over 100.
    const double own = x.proposer == 1 ? static_cast<double>(k) / 59.0 : x.t;
    BOOST_TEST(x.own_t == own, tt::tolerance(1e-15));
    const double floor = x.proposer == 0 ? 0.4 : 0.1;
    BOOST_TEST(x.target == floor + (1.0 - floor) * (1.0 - std::pow(own, 5.0)),
               tt::tolerance(1e-12));
  }
  // The buyer conceded to its reservation at its own deadline.
  BOOST_TEST(r.trace.back().proposer == 1);
  BOOST_TEST(r.trace.back().u2 == 0.1, tt::tolerance(1e-12));
  // The same deadline as a share of the rounds gives the same session.
  o.own_rounds = {0, 0};
  o.own_time = {1.0, 0.3};
  const auto q = run_continuous_session(s, b, boulware, boulware, o);
  BOOST_TEST(q.deadline_party == 1);
  BOOST_REQUIRE_EQUAL(q.trace.size(), r.trace.size());
  for (std::size_t k = 0; k < q.trace.size(); ++k)
    BOOST_TEST(q.trace[k].values == r.trace[k].values, tt::per_element());
  // Reproducible: the same options give the same trace, bit for bit.
  const auto again = run_continuous_session(s, b, boulware, boulware, o);
  BOOST_REQUIRE_EQUAL(again.trace.size(), q.trace.size());
  for (std::size_t k = 0; k < q.trace.size(); ++k) {
    BOOST_TEST(again.trace[k].values == q.trace[k].values, tt::per_element());
    BOOST_TEST(again.trace[k].u1 == q.trace[k].u1);
  }
}

BOOST_AUTO_TEST_CASE(the_other_side_does_not_see_a_private_deadline_or_reservation) {
  const auto s = seller(), b = buyer();
  continuous_options open;
  open.rounds = 100;
  continuous_options priv = open;
  priv.own_rounds = {0, 30};
  priv.reservation = {0.45, std::numeric_limits<double>::quiet_NaN()};
  const continuous_strategy boulware{0.2};
  const auto a = run_continuous_session(s, b, boulware, boulware, open);
  const auto p = run_continuous_session(s, b, boulware, boulware, priv);
  // Without private terms the session runs longer than the buyer's 30 rounds.
  BOOST_REQUIRE(a.offers > p.offers);
  std::size_t seller_turns = 0, buyer_turns = 0;
  for (std::size_t k = 0; k < p.trace.size(); ++k) {
    const auto &x = a.trace[k], &y = p.trace[k];
    if (y.proposer == 0) {
      // The seller's clock and target are the same whatever the buyer's deadline;
      // only its own reservation (0.45 instead of 0.1) moves its floor.
      BOOST_TEST(y.own_t == x.own_t);
      BOOST_TEST(y.target - 0.45 == (x.target - 0.1) * (0.55 / 0.9), tt::tolerance(1e-12));
      ++seller_turns;
    } else {
      // The buyer's target depends on its own clock only, not on the seller's
      // private reservation: the same as in an open session of 30 rounds.
      BOOST_TEST(y.target == 0.1 + 0.9 * (1.0 - std::pow(y.own_t, 5.0)), tt::tolerance(1e-12));
      ++buyer_turns;
    }
  }
  BOOST_TEST(seller_turns == 30u);
  BOOST_TEST(buyer_turns == 30u);
  // A buyer with the same 30 rounds but the seller's reservation left as is:
  // the buyer's targets do not change with the seller's private reservation.
  continuous_options only_deadline = priv;
  only_deadline.reservation = open.reservation;
  const auto d = run_continuous_session(s, b, boulware, boulware, only_deadline);
  BOOST_REQUIRE_EQUAL(d.trace.size(), p.trace.size());
  for (std::size_t k = 1; k < p.trace.size(); k += 2)
    BOOST_TEST(d.trace[k].target == p.trace[k].target);
}

BOOST_AUTO_TEST_CASE(reservations_hold_on_every_offer_and_acceptance) {
  const auto s = seller(), b = buyer();
  std::size_t agreed = 0, failed = 0, binding = 0;
  for (const double r1 : {0.3, 0.5, 0.55, 0.7})
    for (const double r2 : {0.2, 0.45, 0.55})
      for (const double e : {0.2, 1.0, 4.0})
        for (const std::uint32_t deadline : {0u, 10u, 40u}) {
          continuous_options o;
          o.rounds = 50;
          o.own_rounds = {deadline, 0};
          o.reservation = {r1, r2};
          const auto r = run_continuous_session(s, b, {e}, {1.0 / e}, o);
          for (const auto &x : r.trace) {
            const double own = x.proposer == 0 ? x.u1 : x.u2;
            const double floor = x.proposer == 0 ? r1 : r2;
            BOOST_TEST(own >= floor - 1e-12);
            binding += std::abs(own - floor) <= 1e-9; // conceded down to it
          }
          if (r.agreement()) {
            ++agreed;
            BOOST_TEST(r.u1 >= r1 - 1e-12);
            BOOST_TEST(r.u2 >= r2 - 1e-12);
          } else {
            ++failed;
            BOOST_TEST(r.u1 == r1);
            BOOST_TEST(r.u2 == r2);
          }
        }
  // The grid has both outcomes, and the reservation floor is reached, not
  // just never approached.
  BOOST_TEST(agreed > 0u);
  BOOST_TEST(failed > 0u);
  BOOST_TEST(binding > 0u);
}

BOOST_AUTO_TEST_CASE(a_side_with_nothing_above_its_reservation_walks_away) {
  const auto s = seller(), b = buyer();
  continuous_options o;
  o.reservation = {1.5, std::numeric_limits<double>::quiet_NaN()};
  const auto r = run_continuous_session(s, b, {1.0}, {1.0}, o);
  BOOST_TEST((r.status == session_status::walked_away));
  BOOST_TEST(r.ended_by == 0);
  BOOST_TEST(r.offers == 0u);
  BOOST_TEST(r.u1 == 1.5);
  o.first = 1; // the buyer opens; the seller cannot accept it and walks away
  const auto q = run_continuous_session(s, b, {1.0}, {1.0}, o);
  BOOST_TEST((q.status == session_status::walked_away));
  BOOST_TEST(q.ended_by == 0);
  BOOST_TEST(q.offers == 1u);
}

BOOST_AUTO_TEST_CASE(bad_private_terms_are_named) {
  const auto s = seller(), b = buyer();
  auto field = [&](continuous_options o) {
    try {
      (void)run_continuous_session(s, b, {1.0}, {1.0}, o);
    } catch (const invalid_input &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (const double bad : {0.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    continuous_options o;
    o.own_time = {1.0, bad};
    const auto m = field(o);
    BOOST_TEST(m.find("own_time") != std::string::npos, m);
  }
  continuous_options o;
  o.reservation = {std::numeric_limits<double>::infinity(), 0.0};
  BOOST_TEST(field(o).find("reservation") != std::string::npos);
  // A deadline past the session's rounds is the session's.
  o = {};
  o.rounds = 20;
  o.own_rounds = {500, 0};
  const auto r = run_continuous_session(s, b, {1.0}, {1.0}, o);
  BOOST_TEST(r.own_rounds[0] == 20u);
  BOOST_TEST(r.deadline_party == -1);
}

// ---- tit-for-tat over the box ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tit_for_tat_concedes_what_the_opponent_conceded) {
  const auto s = seller(), b = buyer();
  continuous_options o;
  o.rounds = 40;
  for (const double factor : {0.5, 1.0, 2.0}) {
    const auto r = run_continuous_session(s, b, continuous_strategy::tit_for_tat(factor), {1.0}, o);
    BOOST_REQUIRE(r.trace.size() >= 4u);
    double first = -1.0, latest = -1.0;
    std::size_t on = 0, seller_offers = 0;
    for (const auto &x : r.trace) {
      if (x.proposer == 1) {
        if (first < 0.0)
          first = x.u1;
        latest = x.u1;
        continue;
      }
      // The target by hand: u_max 1 less factor times the buyer's improvement
      // (in the seller's utility) since its first offer, floored at .1.
      const double gain = first < 0.0 ? 0.0 : std::max(0.0, latest - first);
      BOOST_TEST(x.target == std::max(0.1, 1.0 - factor * gain), tt::tolerance(1e-12));
      BOOST_TEST((std::abs(x.u1 - x.target) <= 1e-9 || x.u1 > x.target));
      on += std::abs(x.u1 - x.target) <= 1e-9;
      ++seller_offers;
    }
    BOOST_TEST(on + 1 >= seller_offers); // on target but for the end game
    BOOST_TEST(first < latest);          // the buyer conceded, so the seller did
    BOOST_REQUIRE(r.agreement());
    BOOST_TEST(r.u1 >= 0.1);
    BOOST_TEST(r.u2 >= 0.1);
  }
  // Against a hard-liner there is nothing to reciprocate: no concession, no deal.
  const auto h = run_continuous_session(s, b, continuous_strategy::tit_for_tat(), {0.0}, o);
  BOOST_TEST((h.status == session_status::deadline));
  for (const auto &x : h.trace)
    BOOST_TEST((x.proposer == 0 ? x.u1 : x.u2) == 1.0);
  // Its reservation is private and respected, and a private deadline still ends it.
  o.reservation = {0.6, std::numeric_limits<double>::quiet_NaN()};
  o.own_rounds = {15, 0};
  const auto q = run_continuous_session(s, b, continuous_strategy::tit_for_tat(2.0), {0.2}, o);
  for (const auto &x : q.trace)
    if (x.proposer == 0)
      BOOST_TEST(x.u1 >= 0.6 - 1e-12);
  if (q.agreement())
    BOOST_TEST(q.u1 >= 0.6 - 1e-12);
  else
    BOOST_TEST(q.deadline_party == 0);
  BOOST_CHECK_THROW(
      (void)run_continuous_session(s, b, continuous_strategy::tit_for_tat(-1.0), {1.0}, o),
      invalid_input);
}

BOOST_AUTO_TEST_CASE(tit_for_tat_reciprocates_below_zero) {
  // The seller's utilities are all in [-1, 0] (unclamped evaluators offset
  // by -1): the opponent's first offer is negative, and must still be the
  // reference the gain is measured from (a "none yet" marker of -1 would be
  // overwritten each turn, and the seller would never concede).
  auto below = [](double slope) {
    issue_evaluator e;
    e.linear = linear_evaluator{slope, -1.0, false};
    return e;
  };
  const linear_additive_utility s(box(), {0.7, 0.3}, {below(0.01), below(1.0 / 29.0)}, -0.9);
  const auto b = buyer();
  continuous_options o;
  o.rounds = 40;
  const auto r = run_continuous_session(s, b, continuous_strategy::tit_for_tat(1.0), {1.0}, o);
  double first = std::numeric_limits<double>::quiet_NaN(), latest = first, lowest = 0.0;
  for (const auto &x : r.trace) {
    if (x.proposer == 1) {
      if (std::isnan(first))
        first = x.u1;
      latest = x.u1;
    } else {
      lowest = std::min(lowest, x.u1);
    }
  }
  BOOST_REQUIRE(!std::isnan(first));
  BOOST_TEST(first < 0.0);
  BOOST_TEST(first < latest); // the buyer conceded ...
  BOOST_TEST(lowest < -0.05); // ... so the seller did, from its best (0)
  BOOST_TEST(r.agreement());
}

// ---- discrete issues of a mixed space, by the same search ----------------------------------

BOOST_AUTO_TEST_CASE(discrete_issues_of_a_mixed_space_are_searched) {
  // Price [100, 200] as a real and support {basic, premium, gold}: the seller
  // prefers basic, the buyer gold, and the buyer weighs support more.
  const outcome_space sp({issue::continuous("price", 100, 200),
                          issue::categorical("support", {"basic", "premium", "gold"})});
  issue_evaluator tab_s, tab_b;
  tab_s.table = {1.0, 0.6, 0.0};
  tab_b.table = {0.0, 0.5, 1.0};
  const linear_additive_utility s(sp, {0.8, 0.2}, {lin(0.01, 0.0), tab_s}, 0.1);
  const linear_additive_utility b(sp, {0.4, 0.6}, {lin(-0.01, 1.0), tab_b}, 0.1);
  continuous_options o;
  o.rounds = 40;
  const auto r = run_continuous_session(s, b, {1.0}, {1.0}, o);
  std::size_t seller_non_best = 0, on = 0;
  for (const auto &x : r.trace) {
    const double own = x.proposer == 0 ? x.u1 : x.u2;
    BOOST_TEST(own >= x.target - 1e-9); // every offer reaches its target
    on += std::abs(own - x.target) <= 1e-9;
    seller_non_best += x.proposer == 0 && x.values[1] != 0.0;
    BOOST_TEST((x.values[1] == 0.0 || x.values[1] == 1.0 || x.values[1] == 2.0));
  }
  BOOST_TEST(on + 2 >= r.trace.size());
  // The seller trades support for price: it offers other support than its best.
  BOOST_TEST(seller_non_best > 0u);
  BOOST_REQUIRE(r.agreement());
  // With the search off the discrete issues stay at each side's best values.
  o.discrete_limit = 0;
  const auto q = run_continuous_session(s, b, {1.0}, {1.0}, o);
  for (const auto &x : q.trace)
    BOOST_TEST(x.values[1] == (x.proposer == 0 ? 0.0 : 2.0));
  // Searching the discrete part gives the pair more than keeping it fixed
  // (the agreement trades support, which the buyer values more).
  BOOST_TEST(r.u1 + r.u2 > (q.agreement() ? q.u1 + q.u2 : 0.2));
  // Pure continuous spaces are unchanged by the option.
  continuous_options c;
  c.discrete_limit = 0;
  const auto a = run_continuous_session(seller(), buyer(), {1.0}, {1.0}, c);
  const auto d = run_continuous_session(seller(), buyer(), {1.0}, {1.0});
  BOOST_REQUIRE_EQUAL(a.trace.size(), d.trace.size());
  BOOST_TEST(a.values == d.values, tt::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
