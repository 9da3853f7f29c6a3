#include <goodwill/synthetic/calibrate.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

BOOST_AUTO_TEST_SUITE(calibrate)

using goodwill::calibrate_market;
using goodwill::calibration_options;
using goodwill::generate_market;
using goodwill::market_params;

namespace {

/// A market drawn from known parameters away from the table's defaults.
market_params known(std::uint32_t n, std::uint64_t seed = 42) {
  market_params p;
  p.customers = n;
  p.seed = seed;
  p.mix = {0.2, 0.4, 0.1, 0.1, 0.2};
  p.model.archetypes[1].deals_per_year = 6.0;
  p.model.archetypes[0].churn_per_year = 0.15;
  p.model.archetypes[4].win_prob = 0.5;
  return p;
}

bool throws_field(const goodwill::ledger &l, const std::string &field,
                  const calibration_options &o = {}) {
  try {
    (void)calibrate_market(l, o);
  } catch (const goodwill::invalid_input &e) {
    return e.field() == field;
  }
  return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(recovers_known_parameters_and_moments) {
  const auto p = known(6000);
  const auto mk = generate_market(p);
  const auto r = calibrate_market(mk.events);
  // Every summary moment of the ledger is matched by a fresh market drawn
  // from the calibrated model within its sampling error.
  BOOST_TEST(r.moments.size() == 8u);
  for (const auto &m : r.moments) {
    BOOST_TEST_INFO(m.name << ": " << m.observed << " vs " << m.simulated << ", z " << m.z);
    BOOST_TEST(std::abs(m.z) < 3.0);
  }
  BOOST_TEST(r.p_value > 0.001);
  // The parameters it was drawn from, within these tolerances (6,000
  // customers: about 20% relative for the smaller groups' rates).
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    const auto &a = r.model.archetypes[k];
    const auto &t = p.model.archetypes[k];
    BOOST_TEST_INFO(goodwill::archetype_names[k]);
    BOOST_TEST(r.identified[k]);
    BOOST_TEST(std::abs(r.model.mix[k] - p.mix[k]) < 0.04);
    BOOST_TEST(std::abs(a.deals_per_year / t.deals_per_year - 1.0) < 0.15);
    BOOST_TEST(std::abs(a.win_prob - t.win_prob) < 0.08);
    BOOST_TEST(std::abs(a.churn_per_year / t.churn_per_year - 1.0) < 0.25);
    BOOST_TEST(std::abs(a.return_share - t.return_share) < 0.12);
    BOOST_TEST(std::abs(a.deal_size / t.deal_size - 1.0) < 0.06);
  }
  // The deal frequency of the price shoppers moved from the table's 4 to about 6.
  BOOST_TEST(r.model.archetypes[1].deals_per_year > 5.0);
}

BOOST_AUTO_TEST_CASE(detects_a_model_that_does_not_fit) {
  // The moments of a market drawn from other parameters are far off: the
  // check is able to fail.
  const auto mk = generate_market(known(3000));
  auto r = calibrate_market(mk.events);
  market_params other = known(3000, 9);
  other.model.archetypes[1].deals_per_year = 2.0;
  const auto sim = generate_market(other);
  const auto a = calibrate_market(sim.events);
  BOOST_TEST(std::abs(a.moments[0].observed - r.moments[0].observed) >
             4.0 * std::hypot(a.moments[0].observed_se, r.moments[0].observed_se));
}

BOOST_AUTO_TEST_CASE(thread_count_invariant) {
  const auto mk = generate_market(known(1500));
  calibration_options o1, o2;
  o1.iterations = o2.iterations = 3;
  o2.threads = 2;
  const auto a = calibrate_market(mk.events, o1);
  const auto b = calibrate_market(mk.events, o2);
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    BOOST_TEST(a.model.mix[k] == b.model.mix[k]);
    for (const auto &[name, ptr] : goodwill::archetype_fields) {
      const bool same = a.model.archetypes[k].*ptr == b.model.archetypes[k].*ptr;
      BOOST_TEST_INFO(name);
      BOOST_TEST(same);
    }
  }
  BOOST_TEST(a.chi_square == b.chi_square);
}

BOOST_AUTO_TEST_CASE(named_errors) {
  goodwill::ledger empty;
  BOOST_TEST(throws_field(empty, "ledger"));
  goodwill::ledger no_deals;
  const goodwill::customer_id c = no_deals.intern(std::int64_t{1});
  no_deals.append(c, 0.0, goodwill::event_kind::meeting, 1.0);
  no_deals.append(c, 30.0, goodwill::event_kind::proposal, 1000.0);
  BOOST_TEST(throws_field(no_deals, "deals"));
  goodwill::ledger one_instant;
  const goodwill::customer_id d = one_instant.intern(std::int64_t{1});
  one_instant.append(d, 5.0, goodwill::event_kind::deal_won, 1000.0);
  BOOST_TEST(throws_field(one_instant, "time"));
  const auto mk = generate_market(known(50));
  calibration_options bad;
  bad.iterations = 0;
  BOOST_TEST(throws_field(mk.events, "iterations", bad));
  bad = {};
  bad.threads = 0;
  BOOST_TEST(throws_field(mk.events, "threads", bad));
  bad = {};
  bad.simulation_factor = 0.0;
  BOOST_TEST(throws_field(mk.events, "simulation_factor", bad));
}

BOOST_AUTO_TEST_CASE(small_groups_keep_their_start_rates) {
  // Without any RFP idea-takers in the ledger, their rates are not identified.
  auto p = known(1500);
  p.mix = {0.3, 0.4, 0.1, 0.0, 0.2};
  const auto mk = generate_market(p);
  const auto r = calibrate_market(mk.events);
  BOOST_TEST(!r.identified[3]);
  BOOST_TEST(r.model.archetypes[3].deals_per_year == r.start.archetypes[3].deals_per_year);
  BOOST_TEST(r.model.mix[3] < 0.03);
}

BOOST_AUTO_TEST_SUITE_END()
