#include <goodwill/profitability.hpp>
#include <goodwill/replay.hpp>
#include <goodwill/simulation.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

BOOST_AUTO_TEST_SUITE(simulation)

using goodwill::event_kind;
using M = goodwill::simulation_metrics;
namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
goodwill::simulation_params small(unsigned threads = 1) {
  goodwill::simulation_params p;
  p.customers = 3000; // three blocks (1024 each)
  p.months = 24;
  p.seed = 7;
  p.threads = threads;
  return p;
}
double total(const goodwill::simulation_metrics &m, std::size_t k) {
  double s = 0.0;
  for (std::uint32_t i = 0; i < m.months; ++i)
    s += m.at(i, k);
  return s;
}
} // namespace

BOOST_DATA_TEST_CASE(identical_for_any_thread_count, bdata::make({2u, 3u, 8u}), threads) {
  const auto pol = goodwill::policies::trust_builder();
  const auto a = goodwill::simulate(pol, small(1));
  const auto b = goodwill::simulate(pol, small(threads));
  BOOST_TEST(a.metrics.values == b.metrics.values); // bitwise
  BOOST_TEST(a.events.size() == b.events.size());
  BOOST_TEST(
      (a.events.times().size() == b.events.times().size() &&
       std::equal(a.events.times().begin(), a.events.times().end(), b.events.times().begin())));
  BOOST_TEST(
      std::equal(a.events.amounts().begin(), a.events.amounts().end(), b.events.amounts().begin()));
  BOOST_TEST(
      std::equal(a.events.kinds().begin(), a.events.kinds().end(), b.events.kinds().begin()));
}

BOOST_AUTO_TEST_CASE(a_slot_does_not_depend_on_the_market_size) {
  auto p = small();
  const auto a = goodwill::simulate(goodwill::policies::price_matcher(), p);
  p.customers = 100;
  const auto b = goodwill::simulate(goodwill::policies::price_matcher(), p);
  // The first 100 slots' events are a prefix of the bigger run (customer order).
  BOOST_REQUIRE(b.events.size() < a.events.size());
  BOOST_TEST(
      std::equal(b.events.amounts().begin(), b.events.amounts().end(), a.events.amounts().begin()));
  for (std::size_t c = 0; c < 100; ++c)
    BOOST_TEST(static_cast<int>(a.types[c]) == static_cast<int>(b.types[c]));
}

BOOST_AUTO_TEST_CASE(metrics_agree_with_the_ledger) {
  for (const auto &pol : goodwill::policies::presets()) {
    const auto r = goodwill::simulate(pol, small());
    const auto prof = goodwill::profitability(r.events);
    const double rev = std::accumulate(prof.revenue.begin(), prof.revenue.end(), 0.0);
    const double gm = std::accumulate(prof.gross_margin.begin(), prof.gross_margin.end(), 0.0);
    const double cts = std::accumulate(prof.cost_to_serve.begin(), prof.cost_to_serve.end(), 0.0);
    BOOST_TEST(total(r.metrics, M::revenue) == rev, tt::tolerance(1e-9));
    BOOST_TEST(total(r.metrics, M::gross_margin) == gm, tt::tolerance(1e-9));
    BOOST_TEST(total(r.metrics, M::cost_to_serve) == cts, tt::tolerance(1e-9));
    BOOST_TEST(total(r.metrics, M::profit) == gm - cts - total(r.metrics, M::acquisition_cost),
               tt::tolerance(1e-9));
    // Event counts.
    std::array<double, goodwill::event_kind_count> counts{};
    for (auto k : r.events.kinds())
      counts[k] += 1.0;
    auto n = [&](event_kind k) { return counts[static_cast<std::size_t>(k)]; };
    BOOST_TEST(total(r.metrics, M::churned) == n(event_kind::churn));
    BOOST_TEST(total(r.metrics, M::fired) == n(event_kind::fire));
    BOOST_TEST(total(r.metrics, M::won_back) == n(event_kind::returned));
    BOOST_TEST(total(r.metrics, M::deals_won) == n(event_kind::deal_won));
    BOOST_TEST(total(r.metrics, M::deals) == n(event_kind::proposal));
    BOOST_TEST(total(r.metrics, M::walk_aways) == n(event_kind::walk_away));
    BOOST_TEST(total(r.metrics, M::price_matches) == n(event_kind::price_match));
    BOOST_TEST(total(r.metrics, M::referrals) == n(event_kind::referral_given));
    BOOST_TEST(total(r.metrics, M::new_customers) == n(event_kind::lead));
    // Conservation of customers: active now = active before + new + back - gone.
    for (std::uint32_t m = 1; m < r.metrics.months; ++m)
      BOOST_TEST(r.metrics.at(m, M::active) ==
                 r.metrics.at(m - 1, M::active) + r.metrics.at(m, M::new_customers) +
                     r.metrics.at(m, M::won_back) - r.metrics.at(m, M::churned) -
                     r.metrics.at(m, M::fired));
    BOOST_TEST(r.events.is_grouped());
  }
}

BOOST_AUTO_TEST_CASE(policies_behave_as_the_essays_say) {
  auto p = small();
  p.customers = 4000;
  p.months = 36;
  const auto matcher = goodwill::simulate(goodwill::policies::price_matcher(), p);
  const auto builder = goodwill::simulate(goodwill::policies::trust_builder(), p);
  const auto firer = goodwill::simulate(goodwill::policies::fire_the_unprofitable(), p);
  const auto walker = goodwill::simulate(goodwill::policies::disciplined_walk_away(), p);
  // Only the matcher matches; only the price-matcher/never-firing sellers fire nobody.
  BOOST_TEST(total(matcher.metrics, M::price_matches) > 0.0);
  BOOST_TEST(total(builder.metrics, M::price_matches) == 0.0);
  BOOST_TEST(total(matcher.metrics, M::fired) == 0.0);
  BOOST_TEST(total(walker.metrics, M::fired) == 0.0);
  BOOST_TEST(total(firer.metrics, M::fired) > total(builder.metrics, M::fired));
  BOOST_TEST(total(builder.metrics, M::alternatives) > 0.0);
  // Trust builders keep more trust than price matchers (mean over active months).
  const auto mean_trust = [](const goodwill::simulation_result &r) {
    return total(r.metrics, M::trust_sum) / total(r.metrics, M::active);
  };
  BOOST_TEST(mean_trust(builder) > mean_trust(matcher));
  // Margins: matching erodes them.
  const auto margin = [](const goodwill::simulation_result &r) {
    return total(r.metrics, M::gross_margin) / total(r.metrics, M::revenue);
  };
  BOOST_TEST(margin(walker) > margin(matcher));
}


BOOST_AUTO_TEST_CASE(replaying_the_ledger_gives_back_the_simulated_states) {
  // The simulator steps every slot through the relationship engine at each
  // event's own time; the replay of its ledger must land in the same states,
  // at every month end.
  const auto model = goodwill::relationship_selling();
  for (const auto &pol : goodwill::policies::presets()) {
    auto p = small();
    p.customers = 1500;
    const auto r = goodwill::simulate(pol, p);
    const auto rep = goodwill::replay(model, r.events);
    BOOST_REQUIRE(rep.customers == p.customers);
    std::size_t same = 0;
    for (std::size_t c = 0; c < p.customers; ++c)
      same += rep.state[c] == r.states[c] ? 1u : 0u;
    BOOST_TEST(same == p.customers);
    BOOST_REQUIRE(r.metrics.state_names == model.states());
    for (std::uint32_t m = 0; m < p.months; m += 5) {
      const double month_end = p.start_time + goodwill::detail::month_days * (m + 1) - 1e-9;
      const auto at = rep.state_at(month_end);
      for (goodwill::state_code s = 0; s < model.state_count(); ++s) {
        const auto n = std::count(at.begin(), at.end(), s);
        BOOST_TEST(r.metrics.in_state(m, s) == static_cast<double>(n));
      }
    }
    // The states carry the policies' stories: some customers became partners,
    // some were at risk, and the exits are where the metrics say.
    const auto last = p.months - 1;
    const auto code = [&](const char *name) { return *model.find_state(name); };
    BOOST_TEST(r.metrics.in_state(last, code("partner")) + r.metrics.in_state(last, code("developing")) > 0.0);
    double churned = 0.0;
    for (std::uint32_t m = 0; m < p.months; ++m)
      churned += r.metrics.at(m, M::churned);
    BOOST_TEST(r.metrics.in_state(last, code("churned")) <= churned);
  }
}

BOOST_AUTO_TEST_CASE(any_relationship_model_can_drive_the_states) {
  // A two-state model: customer until churned or fired.
  const goodwill::relationship_model model(
      {"customer", "gone"}, "customer",
      {{{"customer"}, "churn", "gone", {}}, {{"customer"}, "fire", "gone", {}},
       {{"gone"}, "return", "customer", {}}});
  auto p = small();
  const auto r = goodwill::simulate(goodwill::policies::fire_the_unprofitable(), p, model);
  BOOST_TEST(r.metrics.state_names.size() == 2u);
  for (std::uint32_t m = 0; m < p.months; ++m) {
    BOOST_TEST(r.metrics.in_state(m, 0) + r.metrics.in_state(m, 1) == double(p.customers));
  }
  // gone at a month end = churned + fired so far - returned so far.
  double gone = 0.0;
  for (std::uint32_t m = 0; m < p.months; ++m) {
    gone += r.metrics.at(m, M::churned) + r.metrics.at(m, M::fired) - r.metrics.at(m, M::won_back);
    BOOST_TEST(r.metrics.in_state(m, 1) == gone);
  }
  // The state machine does not change the story: the same metrics as with the default model.
  const auto d = goodwill::simulate(goodwill::policies::fire_the_unprofitable(), p);
  BOOST_TEST(d.metrics.values == r.metrics.values);
}

BOOST_AUTO_TEST_CASE(leaning_in_on_customers_at_risk) {
  auto p = small();
  auto pol = goodwill::policies::trust_builder();
  BOOST_TEST(pol.lean_in_at_risk);
  const auto with = goodwill::simulate(pol, p);
  pol.lean_in_at_risk = false;
  const auto without = goodwill::simulate(pol, p);
  const auto count = [](const goodwill::ledger &l, event_kind k) {
    return std::count(l.kinds().begin(), l.kinds().end(), static_cast<std::uint8_t>(k));
  };
  BOOST_TEST(count(with.events, event_kind::discovery) > count(without.events, event_kind::discovery));
  // Every extra discovery follows a month that ended at risk.
  const auto model = goodwill::relationship_selling();
  const auto at_risk = *model.find_state("at_risk");
  double at_risk_months = 0.0;
  for (std::uint32_t m = 0; m + 1 < p.months; ++m)
    at_risk_months += with.metrics.in_state(m, at_risk);
  BOOST_TEST(at_risk_months > 0.0);
}

BOOST_AUTO_TEST_CASE(every_deal_is_its_own_session_and_the_memo_is_exact) {
  // The desk remembers sessions; a fresh desk per deal (no memo, fresh
  // negotiators) must give the same terms in any order, for every strategy.
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const auto &pol : goodwill::policies::presets()) {
    goodwill::detail::deal_desk desk(pol);
    std::size_t differ_within_old_band = 0;
    for (int i = 0; i < 400; ++i) {
      const auto ty = static_cast<goodwill::customer_type>(gen() % goodwill::customer_type_count);
      const double trust = unit(gen);
      const double quote = unit(gen) < 0.5 ? 0.0 : 0.72 + 0.22 * unit(gen);
      const auto a = desk.negotiate(ty, trust, quote);
      goodwill::detail::deal_desk fresh(pol);
      const auto b = fresh.negotiate(ty, trust, quote);
      BOOST_TEST((a.agreement == b.agreement && a.seller_walked == b.seller_walked &&
                  a.reduced == b.reduced && a.premium == b.premium && a.matched == b.matched &&
                  a.alternatives == b.alternatives && a.concessions == b.concessions &&
                  a.price == b.price && a.cost == b.cost));
      // Trust acts continuously: 0.45 and 0.6 were one band of the old scripts.
      const auto lo = desk.negotiate(ty, 0.45, quote), hi = desk.negotiate(ty, 0.6, quote);
      differ_within_old_band += (lo.price != hi.price || lo.agreement != hi.agreement) ? 1u : 0u;
    }
    BOOST_TEST(desk.sessions() < desk.lookups());
    BOOST_TEST(differ_within_old_band > 0u, pol.name);
  }
}

BOOST_AUTO_TEST_CASE(metrics_only_mode_gives_the_same_metrics) {
  auto p = small(2);
  const auto a = goodwill::simulate(goodwill::policies::disciplined_walk_away(), p);
  p.record_ledger = false;
  const auto b = goodwill::simulate(goodwill::policies::disciplined_walk_away(), p);
  BOOST_TEST(b.events.size() == 0u);
  BOOST_TEST(a.metrics.values == b.metrics.values);
}

BOOST_AUTO_TEST_CASE(bad_parameters_name_the_field) {
  auto p = small();
  p.months = 0;
  BOOST_CHECK_EXCEPTION((void)goodwill::simulate(goodwill::policies::trust_builder(), p),
                        goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) { return e.field() == "months"; });
  auto pol = goodwill::policies::trust_builder();
  pol.warm_referral_share = 1.5;
  BOOST_CHECK_EXCEPTION(
      (void)goodwill::simulate(pol, small()), goodwill::invalid_input,
      [](const goodwill::invalid_input &e) { return e.field() == "warm_referral_share"; });
}

BOOST_AUTO_TEST_CASE(t_interval_matches_tables) {
  // With 2 degrees of freedom the t quantile has the closed form
  // (2p - 1) / sqrt(2p(1 - p)); p = 0.975 gives 4.30265... (R: qt(0.975, 2)).
  const double p = 0.975;
  BOOST_TEST(goodwill::t_half_width(1.0, 3, 0.95) ==
                 (2 * p - 1) / std::sqrt(2 * p * (1 - p)) / std::sqrt(3.0),
             tt::tolerance(1e-12));
  BOOST_TEST(goodwill::t_half_width(2.0, 3, 0.95) == 2.0 * goodwill::t_half_width(1.0, 3, 0.95),
             tt::tolerance(1e-12));
  BOOST_TEST(std::isnan(goodwill::t_half_width(1.0, 1)));
}

BOOST_AUTO_TEST_CASE(customer_months_are_bounded_up_front) {
  goodwill::simulation_params p = small();
  p.customers = 0xFFFFFFFEu;
  p.months = 36;
  try {
    p.validate();
    BOOST_FAIL("accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "customers");
    BOOST_TEST(std::string(e.what()).find("154618822584 customer-months") != std::string::npos);
  }
  p.customers = 1u << 27;
  p.months = 32; // exactly the limit
  BOOST_CHECK_NO_THROW(p.validate());
  p.threads = 257;
  BOOST_CHECK_THROW(p.validate(), goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
