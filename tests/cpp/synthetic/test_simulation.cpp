#include <goodwill/relationship/replay.hpp>
#include <goodwill/synthetic/simulation.hpp>
#include <goodwill/value/profitability.hpp>

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
  // Only the alternatives offerer offers alternatives.
  BOOST_TEST(total(matcher.metrics, M::alternatives) == 0.0);
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
      for (std::size_t k = 0; k < model.state_count(); ++k) {
        const auto s = static_cast<goodwill::state_code>(k);
        const auto n = std::count(at.begin(), at.end(), s);
        BOOST_TEST(r.metrics.in_state(m, s) == static_cast<double>(n));
      }
    }
    // The states carry the policies' stories: some customers became partners,
    // some were at risk, and the exits are where the metrics say.
    const auto last = p.months - 1;
    const auto code = [&](const char *name) { return *model.find_state(name); };
    BOOST_TEST(r.metrics.in_state(last, code("partner")) +
                   r.metrics.in_state(last, code("developing")) >
               0.0);
    double churned = 0.0;
    for (std::uint32_t m = 0; m < p.months; ++m)
      churned += r.metrics.at(m, M::churned);
    BOOST_TEST(r.metrics.in_state(last, code("churned")) <= churned);
  }
}

BOOST_AUTO_TEST_CASE(any_relationship_model_can_drive_the_states) {
  // A two-state model: customer until churned or fired.
  const goodwill::relationship_model model({"customer", "gone"}, "customer",
                                           {{{"customer"}, "churn", "gone", {}},
                                            {{"customer"}, "fire", "gone", {}},
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
  BOOST_TEST(count(with.events, event_kind::discovery) >
             count(without.events, event_kind::discovery));
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
  const goodwill::market_model mm;
  for (const auto &pol : goodwill::policies::presets()) {
    goodwill::detail::deal_desk desk(pol, mm);
    std::size_t differ_within_old_band = 0;
    for (int i = 0; i < 400; ++i) {
      const auto ty = static_cast<goodwill::customer_type>(gen() % goodwill::customer_type_count);
      const double trust = unit(gen);
      const double quote = unit(gen) < 0.5 ? 0.0 : 0.72 + 0.22 * unit(gen);
      const auto a = desk.negotiate(ty, trust, quote);
      goodwill::detail::deal_desk fresh(pol, mm);
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

// Each mechanism's switch moves the outcome in the direction its
// documentation (synthetic/archetypes.hpp, simulation.hpp) says, on a small
// market; on 1 and 2 threads alike.
namespace {
struct switch_case {
  const char *mechanism;
  goodwill::seller_policy (*policy)();
  std::size_t metric; // numerator; divided by `per` when per < count
  std::size_t per;
  int sign; // +1: the metric is larger with the mechanism on
};
double measure(const goodwill::simulation_result &r, const switch_case &c) {
  const double v = total(r.metrics, c.metric);
  return c.per < M::count ? v / total(r.metrics, c.per) : v;
}
goodwill::seller_policy weekly_builder() {
  auto p = goodwill::policies::trust_builder();
  p.meeting_cadence_days = 7;
  return p;
}
const switch_case switch_cases[] = {
    // Win-lose negotiators cannot be won over: less trust in the book.
    {"trust_responsiveness", &goodwill::policies::trust_builder, M::trust_sum, M::active, -1},
    // The trust builder's customers refer more than the baseline warm rate brings.
    {"referral_leads", &goodwill::policies::trust_builder, M::new_customers, M::count, +1},
    // An ungracious seller loses the returns.
    {"conduct_at_exit", &goodwill::policies::price_matcher, M::won_back, M::count, -1},
    {"rival_losses", &goodwill::policies::trust_builder, M::deals_won, M::count, -1},
    {"proposal_effort", &goodwill::policies::trust_builder, M::cost_to_serve, M::count, +1},
    {"large_deal_cost", &goodwill::policies::trust_builder, M::cost_to_serve, M::count, +1},
    // The limited seller escalates: lost deals.
    {"seller_authority", &goodwill::policies::price_matcher, M::deals_won, M::count, -1},
    // Weekly meetings tire the customer.
    {"meeting_saturation", &weekly_builder, M::trust_sum, M::active, -1},
    // Late scope cuts and demands after concessions: less revenue a won deal.
    {"retrades", &goodwill::policies::price_matcher, M::revenue, M::deals_won, -1},
    // The trust builder exits the customers it recognises as win-lose.
    {"win_lose_exit", &goodwill::policies::trust_builder, M::fired, M::count, +1},
};
} // namespace

BOOST_AUTO_TEST_CASE(every_mechanism_switch_moves_the_outcome_its_way) {
  for (const auto &c : switch_cases) {
    auto p = small();
    p.customers = 2048;
    p.record_ledger = false;
    const auto pol = c.policy();
    const double on = measure(goodwill::simulate(pol, p), c);
    goodwill::mechanism_switch(p.model.on, c.mechanism) = false;
    const auto off_run = goodwill::simulate(pol, p);
    const double off = measure(off_run, c);
    BOOST_TEST((c.sign > 0 ? on > off : on < off), c.mechanism << ": on " << on << ", off " << off);
    p.threads = 2;
    BOOST_TEST(goodwill::simulate(pol, p).metrics.values == off_run.metrics.values, c.mechanism);
  }
}

BOOST_AUTO_TEST_CASE(win_lose_exit_picks_out_win_lose_negotiators) {
  // Recognition from the customer's responses (the re-trades at the close:
  // late scope cuts, demands after concessions), never from its archetype:
  // on the default market (4096 slots, 36 months, seed 7) the trust builder
  // without its firing rule (so every fire is a win-lose exit), at the
  // default threshold (mean 1.0 signals a deal after 2 deals), exits a clear
  // majority of the win-lose negotiators who were customers and few others.
  goodwill::simulation_params p;
  p.customers = 4096;
  p.months = 36;
  p.seed = 7;
  p.threads = 2;
  auto pol = goodwill::policies::trust_builder();
  pol.firing = goodwill::firing_rule::never;
  const auto r = goodwill::simulate(pol, p);
  std::vector<char> seen(p.customers, 0), fired(p.customers, 0);
  const auto &l = r.events;
  for (std::size_t i = 0; i < l.size(); ++i) {
    seen[l.customers()[i]] = 1;
    if (l.kinds()[i] == static_cast<std::uint8_t>(event_kind::fire))
      fired[l.customers()[i]] = 1;
  }
  std::array<double, goodwill::archetype_count> n{}, out{};
  for (std::uint32_t s = 0; s < p.customers; ++s)
    if (seen[s]) {
      const auto t = static_cast<std::size_t>(r.types[s]);
      n[t] += 1.0;
      out[t] += fired[s];
    }
  const auto wl = static_cast<std::size_t>(goodwill::archetype::win_lose_negotiator);
  const double recall = out[wl] / n[wl];
  double others = 0.0, others_out = 0.0;
  for (std::size_t t = 0; t < goodwill::archetype_count; ++t)
    if (t != wl) {
      others += n[t];
      others_out += out[t];
    }
  BOOST_TEST(n[wl] > 250.0);
  BOOST_TEST(recall > 0.65, "recall " << recall); // measured 0.744
  BOOST_TEST(others_out / others < 0.05, "false positives " << others_out / others); // 0.033
  const auto loyal = static_cast<std::size_t>(goodwill::archetype::loyal_partner);
  BOOST_TEST(out[loyal] / n[loyal] < 0.01); // 0.002
  // With the re-trades off there is nothing to recognise.
  p.model.on.retrades = false;
  BOOST_TEST(total(goodwill::simulate(pol, p).metrics, M::fired) == 0.0);
}

BOOST_AUTO_TEST_CASE(referrals_make_warm_customers) {
  // More leads per referral, more warm customers (trust builder, warm effort 70%).
  auto p = small();
  p.customers = 2048;
  p.model.leads_per_referral = 0.0;
  const auto none = goodwill::simulate(goodwill::policies::trust_builder(), p);
  p.model.leads_per_referral = 3.0;
  const auto many = goodwill::simulate(goodwill::policies::trust_builder(), p);
  auto warm = [](const goodwill::simulation_result &r) {
    double n = 0;
    for (std::size_t i = 0; i < r.events.size(); ++i)
      n += r.events.kinds()[i] == static_cast<std::uint8_t>(event_kind::lead) &&
           r.events.details()[i] == static_cast<std::int32_t>(goodwill::lead_source::warm_referral);
    return n;
  };
  BOOST_TEST(warm(none) == 0.0);
  BOOST_TEST(warm(many) > 0.0);
}

BOOST_AUTO_TEST_CASE(large_deals_can_cost_more_than_their_margin) {
  // With the large-deal cost on, some won deals' serve cost exceeds their margin.
  auto p = small();
  p.customers = 1024;
  const auto r = goodwill::simulate(goodwill::policies::trust_builder(), p);
  const goodwill::cost_rates rates;
  std::size_t above = 0, won = 0;
  const auto &l = r.events;
  for (std::size_t i = 0; i + 1 < l.size(); ++i) {
    if (l.kinds()[i] != static_cast<std::uint8_t>(event_kind::deal_won))
      continue;
    ++won;
    const double margin = l.amounts()[i] * l.details()[i] / 1e4;
    if (l.kinds()[i + 1] == static_cast<std::uint8_t>(event_kind::custom_request) &&
        l.amounts()[i + 1] * rates.custom_request_hour > margin)
      ++above;
  }
  BOOST_TEST(won > 100u);
  BOOST_TEST(above > 0u);
  BOOST_TEST(above < won / 4);
}

// The essays' claims as emergent behaviour, each with the parameters under
// which it holds and a case where it does not.

BOOST_AUTO_TEST_CASE(a_meeting_schedule_pays_but_too_many_meetings_do_not) {
  // Holds when a meeting carries enough trust (meeting_trust_weight 4, the
  // trust builder): every 60 days beats no meetings, weekly loses to both.
  // Does not hold at the default weight 0.5: no schedule at all earns most.
  auto p = small();
  p.customers = 2048;
  p.record_ledger = false;
  auto profit_at = [&](double cadence, double weight) {
    auto pol = goodwill::policies::trust_builder();
    pol.meeting_cadence_days = cadence;
    auto q = p;
    q.model.meeting_trust_weight = weight;
    return total(goodwill::simulate(pol, q).metrics, M::profit);
  };
  const double none = profit_at(0, 4.0), bimonthly = profit_at(60, 4.0), weekly = profit_at(7, 4.0);
  BOOST_TEST(bimonthly > none);
  BOOST_TEST(weekly < none);
  BOOST_TEST(profit_at(0, 0.5) > profit_at(60, 0.5));
}

BOOST_AUTO_TEST_CASE(never_saying_i_told_you_so_brings_customers_back) {
  // Holds with conduct_at_exit on (ungracious_return_factor < 1): a gracious
  // price matcher wins back more customers; with the mechanism off, conduct
  // changes nothing.
  auto p = small();
  p.customers = 2048;
  p.record_ledger = false;
  auto back = [&](bool gracious, bool on) {
    auto pol = goodwill::policies::price_matcher();
    pol.gracious_exit = gracious;
    auto q = p;
    q.model.on.conduct_at_exit = on;
    return total(goodwill::simulate(pol, q).metrics, M::won_back);
  };
  BOOST_TEST(back(true, true) > 1.5 * back(false, true));
  BOOST_TEST(back(true, false) == back(false, false));
}

BOOST_AUTO_TEST_CASE(rfp_idea_takers_take_effort_and_rarely_buy) {
  // Holds with rival_losses and proposal_effort on: RFP idea-takers win few
  // of their deals and cost proposal hours; with both off they win most.
  auto p = small();
  p.customers = 1024;
  p.mix = {0.0, 0.0, 0.0, 1.0, 0.0};
  p.initially_active = 1.0;
  p.record_ledger = false;
  const auto pol = goodwill::policies::trust_builder();
  const auto on = goodwill::simulate(pol, p);
  p.model.on.rival_losses = false;
  p.model.on.proposal_effort = false;
  const auto off = goodwill::simulate(pol, p);
  const double won_on = total(on.metrics, M::deals_won) / total(on.metrics, M::deals);
  const double won_off = total(off.metrics, M::deals_won) / total(off.metrics, M::deals);
  BOOST_TEST(won_on < 0.5 * won_off);
  BOOST_TEST(total(on.metrics, M::cost_to_serve) > total(off.metrics, M::cost_to_serve));
}

namespace {
// The trust builder without its effort: no meetings, discovery, promises or
// leaning in; everything else (floor, alternatives, warm share, firing) equal.
goodwill::seller_policy effortless_builder() {
  auto p = goodwill::policies::trust_builder();
  p.meeting_cadence_days = 0;
  p.discovery_per_year = 0;
  p.promises_per_year = 0;
  p.lean_in_at_risk = false;
  return p;
}
goodwill::simulation_params emergent_market() {
  goodwill::simulation_params p;
  p.customers = 2048;
  p.months = 36;
  p.seed = 7;
  p.threads = 2;
  p.record_ledger = false;
  return p;
}
double profit_of(const goodwill::seller_policy &pol, const goodwill::simulation_params &p) {
  return total(goodwill::simulate(pol, p).metrics, M::profit);
}
} // namespace

BOOST_AUTO_TEST_CASE(trust_building_effort_pays_only_when_customers_respond) {
  // Seed 000's "then and only then", emergent (2048 slots, 36 months, seed
  // 7): the trust builder's effort (meetings every 30 days, 3 discovery
  // sessions and 4 promises a year, leaning in) against the same policy
  // without it.
  // Holds: a meeting carries evidence 4 (meeting_trust_weight) and the
  // archetypes respond as in the table: the effort earns more (+7%).
  auto p = emergent_market();
  p.model.meeting_trust_weight = 4.0;
  BOOST_TEST(profit_of(goodwill::policies::trust_builder(), p) >
             1.03 * profit_of(effortless_builder(), p));
  // Does not hold: the same market with every archetype's
  // trust_responsiveness at 0 (no customer responds): the effort is pure
  // cost (-19%).
  auto deaf = p;
  for (auto &a : deaf.model.archetypes)
    a.trust_responsiveness = 0.0;
  BOOST_TEST(profit_of(goodwill::policies::trust_builder(), deaf) <
             0.9 * profit_of(effortless_builder(), deaf));
  // Nor at the default meeting weight 0.5: the meetings cost more than the
  // trust they buy (-1%).
  const auto def = emergent_market();
  BOOST_TEST(profit_of(goodwill::policies::trust_builder(), def) <
             profit_of(effortless_builder(), def));
}

BOOST_AUTO_TEST_CASE(the_trust_builder_beats_the_matcher_even_without_responses) {
  // What the first essay's comparison does NOT need in this model: with no
  // customer responding to effort (trust_responsiveness 0 everywhere) and
  // referral leads, conduct at exit and seller authority switched off, the
  // trust builder still earns more than the price matcher (2048 slots, 36
  // months, seed 7): its lead mix carries it (70% of new-lead effort on the
  // warm channel, whose leads convert at 35% a month against cold
  // outreach's 3%), not trust. The claim "trust building wins only when
  // customers respond" holds for the effort (test above), not for the
  // policy as a whole.
  auto p = emergent_market();
  for (auto &a : p.model.archetypes)
    a.trust_responsiveness = 0.0;
  p.model.on.referral_leads = false;
  p.model.on.conduct_at_exit = false;
  p.model.on.seller_authority = false;
  BOOST_TEST(profit_of(goodwill::policies::trust_builder(), p) >
             profit_of(goodwill::policies::price_matcher(), p));
  // With the matcher's warm share (10%) the builder loses this market
  // (57.4 M against 61.5 M; its strategy and floor change little).
  auto builder = goodwill::policies::trust_builder();
  builder.warm_referral_share = 0.1;
  BOOST_TEST(profit_of(builder, p) < profit_of(goodwill::policies::price_matcher(), p));
}

BOOST_AUTO_TEST_CASE(firing_after_effort_pays_unless_the_customers_would_have_come_good) {
  // Seed 003's rule (fire the unprofitable, not improving, low-trust
  // customer only after real effort), emergent: the trust builder (win-lose
  // exit off, so every fire is the rule's) against the same policy that
  // never fires (2048 slots, 36 months, seed 7).
  auto with = goodwill::policies::trust_builder();
  with.exit_win_lose = false;
  auto never = with;
  never.firing = goodwill::firing_rule::never;
  // Holds on the default market (+1.5%), and still with no return after an
  // exit (return_share 0: +1.4%) and with no service, support, proposal or
  // large-deal costs (+0.45%): the fired customers' losses outweigh what
  // they would bring back.
  const auto p = emergent_market();
  BOOST_TEST(profit_of(with, p) > 1.01 * profit_of(never, p));
  auto cheap = p;
  for (auto &a : cheap.model.archetypes) {
    a.service_per_year = a.support_per_year = a.proposal_hours = 0.0;
    a.return_share = 0.0;
  }
  cheap.model.large_deal_serve_share = 0.0;
  BOOST_TEST(profit_of(with, cheap) > profit_of(never, cheap));
  // Does not pay when every account grows 300% a year (deal_growth 3): the
  // customers it fires would have grown into profit (gain under 0.1%).
  auto growing = p;
  for (auto &a : growing.model.archetypes)
    a.deal_growth = 3.0;
  const double g_never = profit_of(never, growing);
  BOOST_TEST(profit_of(with, growing) - g_never < 1e-3 * std::abs(g_never));
  // Nor when every customer responds strongly to effort (responsiveness 3,
  // meeting weight 4): trust never stays low, the rule fires no one.
  auto responsive = p;
  responsive.model.meeting_trust_weight = 4.0;
  for (auto &a : responsive.model.archetypes)
    a.trust_responsiveness = 3.0;
  const auto r = goodwill::simulate(with, responsive);
  BOOST_TEST(total(r.metrics, M::fired) == 0.0);
  BOOST_TEST(total(r.metrics, M::profit) == profit_of(never, responsive));
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
