#include <goodwill/decision.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(decision)

using goodwill::customer_action;
using goodwill::deal_action;
using goodwill::event_kind;
namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
goodwill::deal_state base_deal() {
  goodwill::deal_state d;
  d.floor_price = 800;
  d.list_price = 1000;
  d.offer = 900;
  d.relative_time = 0.25;
  d.trust = 0.7;
  d.customer_value = 10000;
  return d;
}
bool mentions(const std::vector<std::string> &reasons, const std::string &what) {
  for (const auto &r : reasons)
    if (r.find(what) != std::string::npos)
      return true;
  return false;
}
} // namespace

BOOST_AUTO_TEST_CASE(accepts_an_offer_at_our_price) {
  auto d = base_deal();
  d.offer = 1000;
  const auto r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::accept));
  BOOST_TEST(mentions(r.reasons, "meets our price"));
}

BOOST_AUTO_TEST_CASE(counters_above_the_floor_on_the_concession_schedule) {
  auto d = base_deal();
  const auto r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::counter));
  // e = 0.5: f + (list - f)(1 - t^2) = 800 + 200 * (1 - 1/16) = 987.5
  BOOST_TEST(r.counter_price == 987.5, tt::tolerance(1e-12));
  BOOST_TEST(r.gap_to_floor == 100.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(accepts_above_the_floor_near_the_deadline) {
  auto d = base_deal();
  d.relative_time = 0.95;
  BOOST_TEST(static_cast<int>(goodwill::decide_deal(d).action) ==
             static_cast<int>(deal_action::accept));
}

BOOST_AUTO_TEST_CASE(answers_a_late_scope_cut_with_alternatives) {
  auto d = base_deal();
  d.scope_cut = 0.3;
  d.relative_time = 0.7;
  auto r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::offer_alternatives));
  BOOST_TEST(mentions(r.reasons, "late scope cut of 30%"));
  // An early cut is not "late": we counter.
  d.relative_time = 0.1;
  BOOST_TEST(static_cast<int>(goodwill::decide_deal(d).action) ==
             static_cast<int>(deal_action::counter));
}

BOOST_AUTO_TEST_CASE(answers_a_squeeze_with_alternatives) {
  auto d = base_deal();
  d.previous_offer = 950;
  const auto r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::offer_alternatives));
  BOOST_TEST(mentions(r.reasons, "price squeeze"));
}

BOOST_AUTO_TEST_CASE(never_meets_a_rival_quote_below_the_floor) {
  auto d = base_deal();
  d.offer = 750;
  d.competitor_quote = 760;
  d.trust = 0.9; // even with high trust and a large relationship value
  d.customer_value = 1e6;
  auto r = goodwill::decide_deal(d);
  BOOST_TEST(r.rival_below_floor);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::offer_alternatives));
  d.alternatives_offered = true;
  r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::walk_away));
  BOOST_TEST(mentions(r.reasons, "not from the customer"));
  BOOST_TEST(mentions(r.reasons, "never meet or beat"));
}

BOOST_AUTO_TEST_CASE(relationship_value_can_justify_a_sale_below_the_floor) {
  auto d = base_deal();
  d.offer = 780; // 20 below the floor; allowance 5% of 10000 = 500
  auto r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::accept));
  BOOST_TEST(r.allowance == 500.0, tt::tolerance(1e-12));
  d.customer_value = 100; // allowance 5: not enough
  d.alternatives_offered = true;
  r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::walk_away));
}

BOOST_AUTO_TEST_CASE(low_trust_and_repeated_matching_is_a_spiral) {
  auto d = base_deal();
  d.trust = 0.2;
  d.price_matches = 3;
  d.competitor_quote = 850;
  d.our_price = 950;
  auto r = goodwill::decide_deal(d);
  BOOST_TEST(r.spiral);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::counter));
  BOOST_TEST(r.counter_price == 950.0); // holds its price, no match
  // Below the floor a spiral customer is never granted an investment.
  d.offer = 790;
  d.customer_value = 1e6;
  d.alternatives_offered = true;
  r = goodwill::decide_deal(d);
  BOOST_TEST(static_cast<int>(r.action) == static_cast<int>(deal_action::walk_away));
}

BOOST_AUTO_TEST_CASE(bad_deals_name_field_and_row) {
  std::vector<goodwill::deal_state> v{base_deal(), base_deal()};
  v[1].list_price = 700;
  BOOST_CHECK_EXCEPTION(
      goodwill::decide_deals(v), goodwill::invalid_input,
      [](const goodwill::invalid_input &e) { return e.field() == "list_price" && e.row() == 1; });
}

// ---- customers -------------------------------------------------------------------

// Every combination of the four conditions: fire only when all hold.
BOOST_DATA_TEST_CASE(fire_needs_all_three_conditions, bdata::xrange(16), mask) {
  const bool unprof = mask & 1, improving = mask & 2, effort = mask & 4, low = mask & 8;
  std::vector<double> profit{unprof ? -500.0 : 500.0};
  std::vector<double> trend{improving ? 100.0 : -100.0};
  std::vector<double> trust{low ? 0.2 : 0.7};
  std::vector<double> meetings{effort ? 6.0 : 1.0};
  std::vector<double> disc{effort ? 4.0 : 0.0};
  std::vector<double> kept{effort ? 3.0 : 0.0};
  const auto r = goodwill::decide_customers({profit, trend, trust, meetings, disc, kept});
  const auto a = r.action[0];
  BOOST_TEST((a == customer_action::fire) == (unprof && !improving && effort && low));
  if (unprof && !improving && !effort)
    BOOST_TEST(static_cast<int>(a) == static_cast<int>(customer_action::invest_in_trust));
  if (unprof && !improving && effort && !low)
    BOOST_TEST(static_cast<int>(a) == static_cast<int>(customer_action::reprice));
  if (!unprof && !low)
    BOOST_TEST(static_cast<int>(a) == static_cast<int>(customer_action::keep));
  BOOST_TEST(!r.reasons[0].empty());
  BOOST_TEST(static_cast<int>(goodwill::customer_rule(profit[0], trend[0], trust[0], meetings[0],
                                                      disc[0], kept[0], {})) ==
             static_cast<int>(a));
}

BOOST_AUTO_TEST_CASE(evidence_from_a_ledger) {
  goodwill::ledger l;
  // customer 0: in the last year 2 meetings (3 h), 1.5 h discovery, one kept promise,
  // a won deal of 1000 at 20% margin; the year before a purchase of 500 at 40%.
  l.append(0, 100, event_kind::purchase, 500, 4000);
  l.append(0, 400, event_kind::meeting, 1.0);
  l.append(0, 500, event_kind::meeting, 2.0);
  l.append(0, 510, event_kind::discovery, 1.5);
  l.append(0, 520, event_kind::promise_kept);
  l.append(0, 600, event_kind::deal_won, 1000, 2000);
  l.append(0, 800, event_kind::meeting, 5.0); // after as_of: ignored
  l.append(1, 10, event_kind::meeting, 1.0);  // before both windows
  goodwill::cost_rates rates;
  rates.meeting_hour = 100;
  rates.discovery_hour = 100;
  const auto e = goodwill::gather_evidence(l, 700.0, {}, rates);
  BOOST_TEST(e.meetings[0] == 2.0);
  BOOST_TEST(e.meeting_hours[0] == 3.0);
  BOOST_TEST(e.discovery_hours[0] == 1.5);
  BOOST_TEST(e.promises_kept[0] == 1.0);
  // recent: 1000*0.2 - 3*100 - 1.5*100 = -250; previous: 500*0.4 = 200
  BOOST_TEST(e.recent_profit[0] == -250.0, tt::tolerance(1e-12));
  BOOST_TEST(e.previous_profit[0] == 200.0, tt::tolerance(1e-12));
  BOOST_TEST(e.profit_trend[0] == -450.0, tt::tolerance(1e-12));
  BOOST_TEST(e.meetings[1] == 0.0);
  BOOST_TEST(e.profit[0] == -50.0, tt::tolerance(1e-12));
  BOOST_TEST(e.profit[1] == -100.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_customer_inputs_name_field_and_row) {
  std::vector<double> ok{1.0, 1.0}, trust{0.5, 1.5};
  BOOST_CHECK_EXCEPTION(
      goodwill::decide_customers({ok, ok, trust, ok, ok, ok}), goodwill::invalid_input,
      [](const goodwill::invalid_input &e) { return e.field() == "trust" && e.row() == 1; });
}

BOOST_AUTO_TEST_SUITE_END()
