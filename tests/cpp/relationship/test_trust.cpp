#include <goodwill/relationship/trust.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <ostream>
#include <string>

namespace goodwill {
// printable in test messages
inline std::ostream &operator<<(std::ostream &os, evidence_channel c) {
  return os << traits(c).name;
}
} // namespace goodwill

BOOST_AUTO_TEST_SUITE(trust)

using goodwill::event_kind;
using goodwill::evidence_channel;
using goodwill::trust_params;
using goodwill::trust_state;

namespace {
std::size_t idx(evidence_channel c) {
  return static_cast<std::size_t>(c);
}

trust_params small_params() {
  trust_params p; // all weights zero
  p.half_life_days = 10.0;
  p.activity_half_life_days = 10.0;
  p.engagement_saturation = 2.0;
  p.positive[idx(evidence_channel::meeting)] = 1.0;
  p.negative[idx(evidence_channel::price_match)] = 2.0;
  return p;
}
} // namespace

BOOST_AUTO_TEST_CASE(prior_is_the_starting_trust) {
  trust_params p = small_params();
  p.prior_alpha = 3.0;
  p.prior_beta = 1.0;
  const auto s = trust_state::prior(p);
  BOOST_TEST(s.trust() == 0.75);
  BOOST_TEST(std::isnan(s.last_time));
}

BOOST_AUTO_TEST_CASE(fade_cache_gives_the_same_bits) {
  // The cached fading factors are the ones exp2 gives: the same state, bit
  // for bit, on a stream of repeated and irregular steps.
  const auto p = trust_params::defaults();
  goodwill::detail::fade_cache cache;
  auto a = trust_state::prior(p), b = trust_state::prior(p);
  double t = 0.0;
  for (int i = 0; i < 2000; ++i) {
    t += (i % 5 == 0) ? 30.4375 : (i % 7 == 0 ? 0.1 * (i % 13) : 0.25);
    const auto k =
        static_cast<event_kind>(static_cast<std::size_t>(i) % goodwill::event_kind_count);
    a.update(p, k, t);
    b.update(p, k, t, cache);
    BOOST_TEST(a.alpha == b.alpha);
    BOOST_TEST(a.beta == b.beta);
    BOOST_TEST(a.activity == b.activity);
  }
  // Other parameters: the cache starts over.
  auto q = p;
  q.half_life_days = 50.0;
  auto c = trust_state::prior(q), d = trust_state::prior(q);
  c.update(q, event_kind::meeting, 1.0);
  d.update(q, event_kind::meeting, 1.0, cache);
  c.update(q, event_kind::meeting, 31.4375);
  d.update(q, event_kind::meeting, 31.4375, cache);
  BOOST_TEST(c.alpha == d.alpha);
}

BOOST_AUTO_TEST_CASE(hand_computed_sequence) {
  // half-life 10 days, prior Beta(1,1), meeting +1 to alpha, price_match +2 to beta.
  // t=0  meeting:     alpha = 2,                        beta = 1
  // t=10 price_match: d = 1/2: alpha = 1 + 1*0.5 = 1.5,  beta = 1 + 0 = 1, + 2 = 3
  // t=20 meeting:     d = 1/2: alpha = 1 + 0.5*0.5 + 1 = 2.25, beta = 1 + 2*0.5 = 2
  // trust = 2.25 / 4.25 = 9/17
  const auto p = small_params();
  auto s = trust_state::prior(p);
  s.update(p, event_kind::meeting, 0.0);
  BOOST_TEST(s.alpha == 2.0);
  s.update(p, event_kind::price_match, 10.0);
  BOOST_TEST(s.alpha == 1.5);
  BOOST_TEST(s.beta == 3.0);
  s.update(p, event_kind::meeting, 20.0);
  BOOST_TEST(s.alpha == 2.25, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(s.beta == 2.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(s.trust() == 9.0 / 17.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(s.last_time == 20.0);
  // activity (half-life 10): 1 -> 0.5 + 1 = 1.5 -> 0.75 + 1 = 1.75
  // engagement = 9/17 * 1.75 / (1.75 + 2) = 63/255
  BOOST_TEST(s.engagement(p) == 63.0 / 255.0, boost::test_tools::tolerance(1e-14));
  // one price event at t=10, decayed to 0.5 at t=20 (it is also the only deal event):
  // share = (0.5 + 0.5) / (0.5 + 1) = 2/3; price_sensitivity = (8/17 + 2/3) / 2 = 29/51
  BOOST_TEST(s.price_sensitivity() == 29.0 / 51.0, boost::test_tools::tolerance(1e-14));
  // no wins or losses: record 1/2; loyalty = (9/17 + 1/2) / 2 = 35/68
  BOOST_TEST(s.loyalty() == 35.0 / 68.0, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(simultaneous_events_do_not_decay) {
  const auto p = small_params();
  auto s = trust_state::prior(p);
  s.update(p, event_kind::meeting, 5.0);
  s.update(p, event_kind::meeting, 5.0);
  BOOST_TEST(s.alpha == 3.0);
  BOOST_TEST(s.activity == 2.0);
}

BOOST_AUTO_TEST_CASE(loyalty_counts_wins_and_losses) {
  trust_params p = small_params();
  auto s = trust_state::prior(p);
  s.update(p, event_kind::deal_won, 0.0);
  s.update(p, event_kind::purchase, 0.0);
  s.update(p, event_kind::churn, 0.0);
  // trust stays 1/2 (no weights on these kinds); record (2+1)/(2+1+2) = 3/5
  BOOST_TEST(s.loyalty() == 0.5 * (0.5 + 0.6), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(defaults_follow_the_seeds_and_validate) {
  const auto p = trust_params::defaults();
  p.validate();
  // Trust is measured from the customer's responses: no effort channel
  // carries evidence, and every response kind's channels do.
  for (const auto &row : goodwill::evidence_channel_table) {
    const auto role = goodwill::traits(row.kind).role;
    const double w = p.positive[idx(row.channel)] + p.negative[idx(row.channel)];
    if (role == goodwill::event_role::response)
      BOOST_TEST(w > 0.0, row.name);
    else
      BOOST_TEST(w == 0.0, row.name);
  }
  BOOST_TEST(p.positive[idx(evidence_channel::referral)] >
             p.positive[idx(evidence_channel::won_at_list)]);
  BOOST_TEST(p.positive[idx(evidence_channel::won_at_list)] >
             p.positive[idx(evidence_channel::won_after_concession)]);
  BOOST_TEST(p.negative[idx(evidence_channel::lost_on_price)] >
             p.negative[idx(evidence_channel::lost_other)]);
  // the transactional spiral (rival quotes, wins only by matching) lowers
  // trust; wins at our price and referrals raise it; effort alone changes nothing
  auto spiral = trust_state::prior(p), loyal = trust_state::prior(p),
       effort = trust_state::prior(p);
  for (int m = 0; m < 6; ++m) {
    const double t = 30.0 * m;
    spiral.update(p, event_kind::competitor_quote, t);
    spiral.update(p, event_kind::price_match, t);
    spiral.update(p, event_kind::deal_won, t);
    loyal.update(p, event_kind::deal_won, t);
    loyal.update(p, event_kind::referral_given, t);
    effort.update(p, event_kind::meeting, t);
    effort.update(p, event_kind::discovery, t);
    effort.update(p, event_kind::promise_kept, t);
  }
  BOOST_TEST(spiral.trust() < 0.25);
  BOOST_TEST(loyal.trust() > 0.8);
  BOOST_TEST(effort.trust() == 0.5);
  BOOST_TEST(spiral.price_sensitivity() > loyal.price_sensitivity());
}

BOOST_AUTO_TEST_CASE(channels_refine_kinds_by_the_response) {
  using goodwill::channel_of;
  goodwill::deal_context ctx;
  BOOST_TEST(channel_of(event_kind::deal_won, 100.0, 0, ctx) == evidence_channel::won_at_list);
  BOOST_TEST(channel_of(event_kind::concession, 5.0, 0, ctx) == evidence_channel::concession);
  BOOST_TEST(channel_of(event_kind::deal_won, 95.0, 0, ctx) ==
             evidence_channel::won_after_concession);
  // the close cleared the context
  BOOST_TEST(channel_of(event_kind::deal_won, 100.0, 0, ctx) == evidence_channel::won_at_list);
  (void)channel_of(event_kind::concession, 5.0, 0, ctx);
  (void)channel_of(event_kind::price_match, 90.0, 0, ctx);
  BOOST_TEST(channel_of(event_kind::deal_won, 90.0, 0, ctx) == evidence_channel::won_after_match);
  (void)channel_of(event_kind::price_match, 90.0, 0, ctx);
  BOOST_TEST(channel_of(event_kind::deal_lost, 90.0,
                        static_cast<std::int32_t>(goodwill::loss_reason::price),
                        ctx) == evidence_channel::lost_on_price);
  // a loss clears the context too
  BOOST_TEST(channel_of(event_kind::deal_won, 100.0, 0, ctx) == evidence_channel::won_at_list);
  BOOST_TEST(channel_of(event_kind::deal_lost, 90.0,
                        static_cast<std::int32_t>(goodwill::loss_reason::budget),
                        ctx) == evidence_channel::lost_other);
  BOOST_TEST(channel_of(event_kind::purchase, -3.0, 0, ctx) == evidence_channel::refund);
  BOOST_TEST(channel_of(event_kind::purchase, 3.0, 0, ctx) == evidence_channel::purchase);
  BOOST_TEST(channel_of(event_kind::scope_change, -3.0, 0, ctx) == evidence_channel::scope_cut);
  BOOST_TEST(channel_of(event_kind::scope_change, 3.0, 0, ctx) == evidence_channel::scope_added);
  // every channel's kind maps back into it for some context
  for (const auto &row : goodwill::evidence_channel_table)
    BOOST_TEST(goodwill::evidence_channel_from_string(row.name).value() == row.channel);
  // every kind falls into a channel of its own kind
  for (std::size_t k = 0; k < goodwill::event_kind_count; ++k) {
    goodwill::deal_context c2;
    const auto ch = channel_of(static_cast<event_kind>(k), 1.0, 0, c2);
    BOOST_TEST(static_cast<std::size_t>(goodwill::traits(ch).kind) == k);
  }
}

BOOST_AUTO_TEST_CASE(kind_table_roles) {
  using goodwill::effort_class;
  using goodwill::event_role;
  BOOST_TEST(goodwill::event_kind_names[19] == "return");
  BOOST_TEST(goodwill::event_kind_names[22] == "opportunity");
  BOOST_TEST((goodwill::traits(event_kind::meeting).effort == effort_class::trust_building));
  BOOST_TEST((goodwill::traits(event_kind::price_match).effort == effort_class::transactional));
  BOOST_TEST((goodwill::traits(event_kind::competitor_quote).role == event_role::response));
  BOOST_TEST((goodwill::traits(event_kind::opportunity).role == event_role::neutral));
  BOOST_TEST((goodwill::traits(event_kind::fire).role == event_role::decision));
  // effort classes only on effort kinds
  for (const auto &row : goodwill::event_kind_table)
    BOOST_TEST(((row.role == event_role::effort) == (row.effort != effort_class::none)), row.name);
}

BOOST_AUTO_TEST_CASE(validate_names_the_field) {
  auto expect = [](trust_params p, const std::string &field) {
    try {
      p.validate();
      BOOST_FAIL("accepted bad " + field);
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST(e.field() == field);
    }
  };
  auto p = trust_params::defaults();
  p.half_life_days = 0.0;
  expect(p, "half_life_days");
  p = trust_params::defaults();
  p.half_life_days = std::numeric_limits<double>::infinity();
  expect(p, "half_life_days");
  p = trust_params::defaults();
  p.prior_beta = -1.0;
  expect(p, "prior_beta");
  p = trust_params::defaults();
  p.positive[idx(evidence_channel::price_match)] = std::nan("");
  expect(p, "positive[price_match]");
  p = trust_params::defaults();
  p.negative[idx(evidence_channel::churn)] = -0.5;
  expect(p, "negative[churn]");
  // counts that would overflow α + β (trust 0/0) are refused
  p = trust_params::defaults();
  p.prior_alpha = 1e308;
  expect(p, "prior_alpha");
  p = trust_params::defaults();
  p.prior_beta = 2 * trust_params::max_evidence;
  expect(p, "prior_beta");
  p = trust_params::defaults();
  p.positive[idx(evidence_channel::referral)] = 1e10;
  expect(p, "positive[referral]");
  p = trust_params::defaults();
  p.prior_alpha = trust_params::max_evidence;
  p.negative[idx(evidence_channel::churn)] = trust_params::max_evidence;
  BOOST_CHECK_NO_THROW(p.validate());
}

BOOST_AUTO_TEST_CASE(features_stay_in_unit_interval_under_extreme_weights) {
  trust_params p;
  p.positive.fill(1e300);
  p.negative.fill(0.0);
  auto s = trust_state::prior(p);
  for (int i = 0; i < 50; ++i)
    s.update(p, static_cast<event_kind>(static_cast<std::size_t>(i) % goodwill::event_kind_count),
             i * 0.1);
  for (double v : {s.trust(), s.engagement(p), s.loyalty(), s.price_sensitivity()}) {
    BOOST_TEST(v >= 0.0);
    BOOST_TEST(v <= 1.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
