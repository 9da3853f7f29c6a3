#include <goodwill/relationship/spiral.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>

BOOST_AUTO_TEST_SUITE(spiral)

using goodwill::event_kind;
namespace tt = boost::test_tools;

namespace {
// Customer 0: three won deals, two after a price match, margins 30%, 20%,
// 25% at days 10, 110, 210.
// Customer 1: two won deals at list price, no matching.
// Customer 2: margins unknown; list 1000 then 1000, closed at 800 and 700
// after matching (events arrive out of time order on purpose).
goodwill::ledger example() {
  goodwill::ledger l;
  l.append(0, 0, event_kind::proposal, 1000);
  l.append(0, 5, event_kind::competitor_quote, 900);
  l.append(0, 6, event_kind::price_match, 900);
  l.append(0, 10, event_kind::deal_won, 900, 3000);
  l.append(0, 100, event_kind::proposal, 1000);
  l.append(0, 105, event_kind::price_match, 850);
  l.append(0, 110, event_kind::deal_won, 850, 2000);
  l.append(0, 200, event_kind::proposal, 1000);
  l.append(0, 210, event_kind::deal_won, 1000, 2500);
  l.append(1, 0, event_kind::proposal, 500);
  l.append(1, 3, event_kind::deal_won, 500, 4000);
  l.append(1, 30, event_kind::proposal, 500);
  l.append(1, 40, event_kind::deal_won, 500, 4100);
  l.append(1, 50, event_kind::deal_lost, 300, 1);
  l.append(2, 365, event_kind::deal_won, 700, goodwill::margin_unknown);
  l.append(2, 0, event_kind::proposal, 1000);
  l.append(2, 10, event_kind::price_match, 800);
  l.append(2, 20, event_kind::deal_won, 800, goodwill::margin_unknown);
  l.append(2, 300, event_kind::proposal, 1000);
  l.append(2, 310, event_kind::concession, 300);
  l.append(2, 320, event_kind::price_match, 700);
  return l;
}
} // namespace

BOOST_AUTO_TEST_CASE(hand_computed_measures) {
  const auto s = goodwill::transactional_spiral(example());
  BOOST_REQUIRE_EQUAL(s.size(), 3u);
  BOOST_TEST(s.deals_won[0] == 3u);
  BOOST_TEST(s.won_after_match[0] == 2u);
  BOOST_TEST(s.competitor_quotes[0] == 1u);
  BOOST_TEST(s.matched_win_share[0] == 2.0 / 3.0, tt::tolerance(1e-12));
  // depths 0.10, 0.15, 0 -> mean 0.25/3
  BOOST_TEST(s.mean_concession_depth[0] == 0.25 / 3.0, tt::tolerance(1e-12));
  // slope of (10,30),(110,20),(210,25): sxy = -500, sxx = 20000 -> -0.025/day
  BOOST_TEST(s.margin_trend[0] == -0.025 * 365.0, tt::tolerance(1e-12));
  BOOST_TEST(static_cast<int>(s.basis[0]) == static_cast<int>(goodwill::margin_basis::margin));
  BOOST_TEST(s.transactional_spiral[0] == 1);

  BOOST_TEST(s.deals_lost[1] == 1u);
  BOOST_TEST(s.won_after_match[1] == 0u);
  // 40.00% -> 41.00% over 37 days
  BOOST_TEST(s.margin_trend[1] == 1.0 / 37.0 * 365.0, tt::tolerance(1e-12));
  BOOST_TEST(s.transactional_spiral[1] == 0);

  // customer 2: price kept 80% at day 20, 70% at day 365 (deal 2 closes last)
  BOOST_TEST(static_cast<int>(s.basis[2]) ==
             static_cast<int>(goodwill::margin_basis::price_realisation));
  BOOST_TEST(s.won_after_match[2] == 2u);
  BOOST_TEST(s.concessions[2] == 1u);
  BOOST_TEST(s.mean_concession_depth[2] == 0.25, tt::tolerance(1e-12));
  BOOST_TEST(s.margin_trend[2] == -10.0 / 345.0 * 365.0, tt::tolerance(1e-12));
  BOOST_TEST(s.transactional_spiral[2] == 1);
}

BOOST_AUTO_TEST_CASE(thresholds_are_respected) {
  goodwill::spiral_params strict;
  strict.min_matched_wins = 3;
  const auto s = goodwill::transactional_spiral(example(), strict);
  BOOST_TEST(s.transactional_spiral[0] == 0);
  BOOST_TEST(s.transactional_spiral[2] == 0);
}

BOOST_AUTO_TEST_CASE(unknown_trend_falls_back_to_concession_depth) {
  goodwill::ledger l; // two matched wins on the same day: no trend
  for (int d = 0; d < 2; ++d) {
    l.append(0, 1, event_kind::proposal, 100);
    l.append(0, 1, event_kind::price_match, 80);
    l.append(0, 1, event_kind::deal_won, 80, 1000);
  }
  auto s = goodwill::transactional_spiral(l);
  BOOST_TEST(std::isnan(s.margin_trend[0]));
  BOOST_TEST(s.transactional_spiral[0] == 1); // depth 0.2 >= 0.1
  goodwill::spiral_params p;
  p.min_concession_depth = 0.25;
  s = goodwill::transactional_spiral(l, p);
  BOOST_TEST(s.transactional_spiral[0] == 0);
}

BOOST_AUTO_TEST_CASE(bad_params_are_named) {
  goodwill::spiral_params p;
  p.min_matched_share = 1.5;
  BOOST_CHECK_EXCEPTION(
      (void)goodwill::transactional_spiral(goodwill::ledger{}, p), goodwill::invalid_input,
      [](const goodwill::invalid_input &e) { return e.field() == "min_matched_share"; });
}

BOOST_AUTO_TEST_CASE(customers_without_deals_have_nan_measures) {
  goodwill::ledger l;
  l.append(3, 1, event_kind::meeting, 1);
  const auto s = goodwill::transactional_spiral(l);
  BOOST_REQUIRE_EQUAL(s.size(), 4u);
  BOOST_TEST(std::isnan(s.matched_win_share[3]));
  BOOST_TEST(s.transactional_spiral[3] == 0);
}

namespace {
// `wins` deals a month apart, each after a quote and a match (or a
// concession), closed at `margin_bp`, rising by `step_bp` per deal.
goodwill::ledger price_game(int wins, std::int32_t margin_bp, std::int32_t step_bp,
                            bool concede = false) {
  goodwill::ledger l;
  for (int d = 0; d < wins; ++d) {
    const double t = 30.0 * d;
    l.append(0, t, event_kind::proposal, 1000);
    l.append(0, t + 1, event_kind::competitor_quote, 850);
    if (concede)
      l.append(0, t + 2, event_kind::concession, 150);
    else
      l.append(0, t + 2, event_kind::price_match, 850);
    l.append(0, t + 3, event_kind::deal_won, 850, margin_bp + d * step_bp);
  }
  return l;
}
} // namespace

BOOST_AUTO_TEST_CASE(bottomed_out_spiral_is_caught) {
  // six matched wins at a flat 8% margin: not falling, but bottomed out
  const auto s = goodwill::transactional_spiral(price_game(6, 800, 0));
  BOOST_TEST(s.margin_trend[0] == 0.0, tt::tolerance(1e-12));
  BOOST_TEST(s.margin_level[0] == 8.0, tt::tolerance(1e-12));
  BOOST_TEST(static_cast<int>(s.stage[0]) ==
             static_cast<int>(goodwill::spiral_stage::bottomed_out));
  BOOST_TEST(s.transactional_spiral[0] == 1);
  BOOST_TEST(s.won_after_match[0] == 6u);
  BOOST_TEST(s.competitor_quotes[0] == 6u);
  BOOST_TEST(s.won_after_concession[0] == 0u);
}

BOOST_AUTO_TEST_CASE(a_slight_dip_of_a_flat_low_margin_is_bottomed_out) {
  // 8.0% falling by 0.01 points a month: the falling rule holds too, but
  // the spiral is flat and low: bottomed out
  const auto s = goodwill::transactional_spiral(price_game(6, 800, -1));
  BOOST_TEST(s.margin_trend[0] < 0.0);
  BOOST_TEST(static_cast<int>(s.stage[0]) ==
             static_cast<int>(goodwill::spiral_stage::bottomed_out));
}

BOOST_AUTO_TEST_CASE(conceded_wins_bottom_out_too) {
  const auto s = goodwill::transactional_spiral(price_game(4, 900, 0, true));
  BOOST_TEST(s.won_after_match[0] == 0u);
  BOOST_TEST(s.won_after_concession[0] == 4u);
  BOOST_TEST(static_cast<int>(s.stage[0]) ==
             static_cast<int>(goodwill::spiral_stage::bottomed_out));
}

BOOST_AUTO_TEST_CASE(a_healthy_flat_margin_is_not_a_spiral) {
  // matched wins at a flat but healthy 35% margin: not low
  auto s = goodwill::transactional_spiral(price_game(6, 3500, 0));
  BOOST_TEST(s.transactional_spiral[0] == 0);
  // low but rising by 1 point a month (12 points a year): not flat
  s = goodwill::transactional_spiral(price_game(6, 800, 100));
  BOOST_TEST(s.margin_trend[0] > 2.0);
  BOOST_TEST(s.transactional_spiral[0] == 0);
  // too few gamed wins
  s = goodwill::transactional_spiral(price_game(2, 800, 0));
  BOOST_TEST(s.transactional_spiral[0] == 0);
  // the thresholds are the documented ones
  goodwill::spiral_params p;
  p.max_bottomed_margin = 5.0;
  s = goodwill::transactional_spiral(price_game(6, 800, 0), p);
  BOOST_TEST(s.transactional_spiral[0] == 0);
}

BOOST_AUTO_TEST_CASE(a_falling_margin_is_falling_and_losses_on_price_are_counted) {
  auto l = price_game(4, 2000, -200); // 20% falling by 2 points a month
  l.append(0, 200, event_kind::deal_lost, 1000, 1);
  l.append(0, 210, event_kind::deal_lost, 1000, 3);
  const auto s = goodwill::transactional_spiral(l);
  BOOST_TEST(static_cast<int>(s.stage[0]) == static_cast<int>(goodwill::spiral_stage::falling));
  BOOST_TEST(s.lost_on_price[0] == 1u);
  BOOST_TEST(s.deals_lost[0] == 2u);
}

BOOST_AUTO_TEST_CASE(bad_bottom_params_are_named) {
  goodwill::spiral_params p;
  p.max_flat_trend = -1;
  BOOST_CHECK_EXCEPTION(
      (void)goodwill::transactional_spiral(goodwill::ledger{}, p), goodwill::invalid_input,
      [](const goodwill::invalid_input &e) { return e.field() == "max_flat_trend"; });
}

BOOST_AUTO_TEST_SUITE_END()
