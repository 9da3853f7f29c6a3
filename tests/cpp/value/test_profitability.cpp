#include <goodwill/value/profitability.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(profitability)

using goodwill::event_kind;
namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
// Rates chosen so that every cost is easy to add by hand.
goodwill::cost_rates rates() {
  goodwill::cost_rates r;
  r.meeting_hour = 100;
  r.discovery_hour = 50;
  r.negotiation_round = 20;
  r.support_hour = 10;
  r.custom_request_hour = 30;
  r.service_issue = 200;
  r.service_issue_amount_share = 0.5;
  r.hours_per_round = 0.5;
  r.default_margin = 0.25;
  return r;
}

// Customer 0 ("the whale"): a 10 000 deal at 40% margin and a 2 000 purchase
//   with unknown margin, 3 h of meetings, one proposal.
// Customer 1 ("the big contract that costs more than it brings"): a 5 000 deal
//   at 20%, a refund of 500 at 20%, four negotiation rounds, 20 h of support,
//   10 h of custom work, two service issues costing the customer 100 each.
// Customer 2: no events.
// Customer 3: a 1 000 purchase at 50%, 1 h discovery.
goodwill::ledger example() {
  goodwill::ledger l;
  l.append(0, 0, event_kind::meeting, 2.0);
  l.append(1, 0, event_kind::proposal, 6000);
  l.append(0, 1, event_kind::proposal, 11000);
  l.append(1, 1, event_kind::competitor_quote, 5000);
  l.append(1, 2, event_kind::price_match, 5000);
  l.append(1, 3, event_kind::concession, 1000);
  l.append(0, 2, event_kind::deal_won, 10000, 4000);
  l.append(1, 4, event_kind::deal_won, 5000, 2000);
  l.append(0, 3, event_kind::meeting, 1.0);
  l.append(0, 4, event_kind::purchase, 2000, goodwill::margin_unknown);
  l.append(1, 5, event_kind::support, 20.0);
  l.append(1, 6, event_kind::custom_request, 10.0);
  l.append(1, 7, event_kind::service_issue, 100.0);
  l.append(1, 8, event_kind::service_issue, 100.0);
  l.append(1, 9, event_kind::purchase, -500, 2000);
  l.append(3, 0, event_kind::discovery, 1.0);
  l.append(3, 1, event_kind::purchase, 1000, 5000);
  l.append(3, 2, event_kind::churn);
  return l;
}
} // namespace

BOOST_AUTO_TEST_CASE(hand_computed_profit) {
  const auto t = goodwill::profitability(example(), rates());
  BOOST_REQUIRE_EQUAL(t.size(), 4u);
  // customer 0: revenue 12 000; margin 4 000 + 0.25 × 2 000 = 4 500
  BOOST_TEST(t.revenue[0] == 12000.0, tt::tolerance(1e-12));
  BOOST_TEST(t.gross_margin[0] == 4500.0, tt::tolerance(1e-12));
  BOOST_TEST(t.assumed_margin_revenue[0] == 2000.0, tt::tolerance(1e-12));
  BOOST_TEST(t.negotiation_rounds[0] == 1u);
  // cost: 3 h × 100 + 1 round × 20 = 320; effort 3 + 0.5 = 3.5 h
  BOOST_TEST(t.cost_to_serve[0] == 320.0, tt::tolerance(1e-12));
  BOOST_TEST(t.profit[0] == 4180.0, tt::tolerance(1e-12));
  BOOST_TEST(t.effort_hours[0] == 3.5, tt::tolerance(1e-12));
  BOOST_TEST(t.profit_per_hour[0] == 4180.0 / 3.5, tt::tolerance(1e-12));
  // customer 1: revenue 4 500, margin 0.2 × 4 500 = 900;
  // cost: 4 rounds × 20 + 20 h × 10 + 10 h × 30 + 2 × 200 + 0.5 × 200 = 1 080
  BOOST_TEST(t.revenue[1] == 4500.0, tt::tolerance(1e-12));
  BOOST_TEST(t.gross_margin[1] == 900.0, tt::tolerance(1e-12));
  BOOST_TEST(t.negotiation_rounds[1] == 4u);
  BOOST_TEST(t.service_issues[1] == 2u);
  BOOST_TEST(t.cost_to_serve[1] == 1080.0, tt::tolerance(1e-12));
  BOOST_TEST(t.profit[1] == -180.0, tt::tolerance(1e-12));
  BOOST_TEST(t.effort_hours[1] == 32.0, tt::tolerance(1e-12));
  // customer 2: nothing at all
  BOOST_TEST(t.profit[2] == 0.0);
  BOOST_TEST(std::isnan(t.profit_per_hour[2]));
  // customer 3: 500 margin − 50 discovery
  BOOST_TEST(t.profit[3] == 450.0, tt::tolerance(1e-12));
  BOOST_TEST(t.profit_per_hour[3] == 450.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(revenue_sources_are_configurable) {
  auto r = rates();
  r.count_purchases = false;
  const auto t = goodwill::profitability(example(), r);
  BOOST_TEST(t.revenue[0] == 10000.0, tt::tolerance(1e-12));
  BOOST_TEST(t.assumed_margin_revenue[0] == 0.0);
  BOOST_TEST(t.revenue[3] == 0.0);
  r.count_purchases = true;
  r.count_deals_won = false;
  BOOST_TEST(goodwill::profitability(example(), r).revenue[1] == -500.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_input_is_named) {
  auto r = rates();
  r.support_hour = -1;
  BOOST_CHECK_EXCEPTION((void)goodwill::profitability(example(), r), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) {
                          return std::string(e.what()).find("support_hour") != std::string::npos;
                        });
  r = rates();
  r.default_margin = 1.5;
  BOOST_CHECK_THROW((void)goodwill::profitability(example(), r), goodwill::invalid_input);
  auto l = example();
  l.append(0, 10, event_kind::purchase, 10, 12000); // 120% margin
  BOOST_CHECK_EXCEPTION((void)goodwill::profitability(l, rates()), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) {
                          const std::string w = e.what();
                          return w.find("detail") != std::string::npos &&
                                 w.find("18") != std::string::npos;
                        });
  const std::vector<double> bad{1.0, std::nan("")};
  BOOST_CHECK_THROW((void)goodwill::whale_curve(bad), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(whale_curve_of_the_example) {
  const auto t = goodwill::profitability(example(), rates());
  const auto w = goodwill::whale_curve(t.profit);
  // ranked: 0 (4 180), 3 (450), 2 (0), 1 (−180); total 4 450
  BOOST_TEST(w.order == (std::vector<std::uint32_t>{0, 3, 2, 1}), tt::per_element());
  BOOST_TEST(w.total_profit == 4450.0, tt::tolerance(1e-12));
  BOOST_TEST(w.peak_profit == 4630.0, tt::tolerance(1e-12));
  BOOST_TEST(w.peak_share == 4630.0 / 4450.0, tt::tolerance(1e-12));
  BOOST_TEST(w.peak_customer_share == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(w.loss_tail == 180.0, tt::tolerance(1e-12));
  BOOST_TEST(w.profitable == 2u);
  BOOST_TEST(w.unprofitable == 1u);
  BOOST_TEST(w.cumulative_share[0] == 4180.0 / 4450.0, tt::tolerance(1e-12));
  BOOST_TEST(w.cumulative_share[2] == 4630.0 / 4450.0, tt::tolerance(1e-12));
  BOOST_TEST(w.cumulative_share[3] == 1.0);
}

// Property sweep: a curve over random profits ends at exactly 1, rises while
// profits are positive and falls through the loss tail; its peak is its max.
BOOST_DATA_TEST_CASE(whale_curve_shape, bdata::make({1, 2, 3, 4, 5, 6, 7}), seed) {
  std::vector<double> p;
  unsigned x = static_cast<unsigned>(seed) * 2654435761u;
  for (int i = 0; i < 50 * seed; ++i) {
    x = x * 1664525u + 1013904223u;
    p.push_back(static_cast<double>(x % 2001u) - 600.0);
  }
  const auto w = goodwill::whale_curve(p);
  BOOST_REQUIRE(w.total_profit > 0.0);
  BOOST_TEST(w.cumulative_share.back() == 1.0);
  double peak = -1e300;
  for (std::size_t r = 0; r < p.size(); ++r) {
    peak = std::max(peak, w.cumulative_share[r]);
    if (r > 0) {
      const double step = w.cumulative_share[r] - w.cumulative_share[r - 1];
      if (p[w.order[r]] > 0)
        BOOST_TEST(step > 0.0);
      if (p[w.order[r]] < 0)
        BOOST_TEST(step < 0.0);
    }
  }
  BOOST_TEST(w.peak_share == peak, tt::tolerance(1e-12));
  BOOST_TEST(w.peak_share >= 1.0);
}

BOOST_AUTO_TEST_CASE(whale_curve_without_positive_total) {
  const std::vector<double> p{-1.0, -2.0};
  const auto w = goodwill::whale_curve(p);
  BOOST_TEST(std::isnan(w.cumulative_share[0]));
  BOOST_TEST(std::isnan(w.peak_share));
  BOOST_TEST(w.loss_tail == 3.0);
  BOOST_TEST(w.peak_customer_share == 0.0);
  const auto e = goodwill::whale_curve(std::vector<double>{});
  BOOST_TEST(e.order.empty());
}

BOOST_AUTO_TEST_SUITE_END()
