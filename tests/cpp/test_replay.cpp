#include <goodwill/replay.hpp>

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <random>
#include <thread>
#include <vector>

BOOST_AUTO_TEST_SUITE(replay)

using goodwill::event_kind;
using goodwill::ledger;
using goodwill::relationship_model;

namespace {

// a --meeting--> b --deal_won [deals_won >= 2]--> c ; * --churn--> a
relationship_model tiny() {
  return relationship_model::from_json_string(R"({"states": ["a", "b", "c"], "initial": "a",
      "transitions": [{"from": "a", "on": "meeting", "to": "b"},
                      {"from": "b", "on": "deal_won", "to": "c", "guard": "deals_won >= 2"},
                      {"from": "*", "on": "churn", "to": "a"}]})");
}

ledger random_ledger(std::size_t events, std::uint32_t customers, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint32_t> cust(0, customers - 1);
  std::uniform_int_distribution<int> kind(0, 21);
  std::uniform_real_distribution<double> time(0.0, 1000.0);
  std::vector<goodwill::customer_id> c(events);
  std::vector<double> t(events), a(events);
  std::vector<std::uint8_t> k(events);
  for (std::size_t i = 0; i < events; ++i) {
    c[i] = cust(rng);
    t[i] = std::floor(time(rng)); // ties happen
    k[i] = static_cast<std::uint8_t>(kind(rng));
    a[i] = 10.0;
  }
  ledger l;
  l.append(c, t, k, a);
  return l;
}

bool same(const goodwill::replay_result &x, const goodwill::replay_result &y) {
  auto eq = [](const auto &u, const auto &v) {
    return u.size() == v.size() &&
           std::memcmp(u.data(), v.data(), u.size() * sizeof(u[0])) == 0;
  };
  if (x.log.size() != y.log.size()) return false;
  for (std::size_t i = 0; i < x.log.size(); ++i) {
    const auto &p = x.log[i], &q = y.log[i];
    if (p.customer != q.customer || p.time != q.time || p.from != q.from || p.to != q.to ||
        p.kind != q.kind || p.row != q.row)
      return false;
  }
  return eq(x.state, y.state) && eq(x.alpha, y.alpha) && eq(x.beta, y.beta) &&
         eq(x.trust, y.trust) && eq(x.last_time, y.last_time) &&
         eq(x.engagement, y.engagement) && eq(x.loyalty, y.loyalty) &&
         eq(x.price_sensitivity, y.price_sensitivity) && eq(x.counters, y.counters) &&
         eq(x.log_offsets, y.log_offsets) && eq(x.events, y.events);
}

} // namespace

BOOST_AUTO_TEST_CASE(tiny_model_state_path_and_log) {
  ledger l;
  // customer 1 arrives out of time order; customer 2 has no events... customer 0 churns
  l.append(1, 5.0, event_kind::deal_won);  // row 0
  l.append(1, 1.0, event_kind::meeting);   // row 1: a -> b at t=1
  l.append(0, 2.0, event_kind::meeting);   // row 2: a -> b at t=2
  l.append(1, 9.0, event_kind::deal_won);  // row 3: deals_won = 2: b -> c at t=9
  l.append(0, 3.0, event_kind::churn);     // row 4: b -> a at t=3
  l.append(3, 4.0, event_kind::proposal);  // row 5: nothing fires; customer 2 has no events
  const auto m = tiny();
  const auto r = goodwill::replay(m, l);
  BOOST_TEST_REQUIRE(r.customers == 4u);
  BOOST_TEST((r.state == std::vector<goodwill::state_code>{0, 2, 0, 0}));
  BOOST_TEST_REQUIRE(r.log.size() == 4u);
  BOOST_TEST(r.log[0].customer == 0u);
  BOOST_TEST(r.log[0].time == 2.0);
  BOOST_TEST(r.log[0].row == 2u);
  BOOST_TEST(r.log[1].from == 1);
  BOOST_TEST(r.log[1].to == 0);
  BOOST_TEST((r.log[1].kind == event_kind::churn));
  BOOST_TEST(r.log[2].customer == 1u);
  BOOST_TEST(r.log[2].time == 1.0);
  BOOST_TEST(r.log[3].time == 9.0);
  BOOST_TEST(r.log[3].row == 3u);
  BOOST_TEST((r.log_offsets == std::vector<std::uint64_t>{0, 2, 4, 4, 4}));
  BOOST_TEST(r.counter(1, goodwill::feature::deals_won) == 2u);
  BOOST_TEST(r.counter(1, goodwill::feature::meetings) == 1u);
  BOOST_TEST(r.events[2] == 0u);
  BOOST_TEST(std::isnan(r.last_time[2]));
  BOOST_TEST(r.last_time[1] == 9.0);
  // state_at
  BOOST_TEST((r.state_at(0.5) == std::vector<goodwill::state_code>{0, 0, 0, 0}));
  BOOST_TEST((r.state_at(2.0) == std::vector<goodwill::state_code>{1, 1, 0, 0}));
  BOOST_TEST((r.state_at(5.0) == std::vector<goodwill::state_code>{0, 1, 0, 0}));
  BOOST_TEST((r.state_at(100.0) == std::vector<goodwill::state_code>{0, 2, 0, 0}));
  // counts in [t0, t1)
  const auto all = r.transition_counts();
  BOOST_TEST(all(0, 1) == 2.0);
  BOOST_TEST(all(1, 0) == 1.0);
  BOOST_TEST(all(1, 2) == 1.0);
  BOOST_TEST(all.sum() == 4.0);
  const auto early = r.transition_counts(1.0, 3.0);
  BOOST_TEST(early(0, 1) == 2.0);
  BOOST_TEST(early.sum() == 2.0);
  // until: events after t=4 ignored
  goodwill::replay_options opt;
  opt.until = 4.0;
  const auto cut = goodwill::replay(m, l, goodwill::trust_params::defaults(), opt);
  BOOST_TEST((cut.state == std::vector<goodwill::state_code>{0, 1, 0, 0}));
  BOOST_TEST(cut.counter(1, goodwill::feature::deals_won) == 0u);
}

BOOST_AUTO_TEST_CASE(trust_in_result_matches_hand_computation) {
  goodwill::trust_params p; // zero weights
  p.half_life_days = 10.0;
  p.positive[static_cast<std::size_t>(goodwill::evidence_channel::meeting)] = 1.0;
  p.negative[static_cast<std::size_t>(goodwill::evidence_channel::price_match)] = 2.0;
  ledger l;
  l.append(0, 20.0, event_kind::meeting);
  l.append(0, 0.0, event_kind::meeting);
  l.append(0, 10.0, event_kind::price_match);
  const auto r = goodwill::replay(tiny(), l, p);
  // same sequence as trust/hand_computed_sequence: 9/17
  BOOST_TEST(r.trust[0] == 9.0 / 17.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(r.alpha[0] == 2.25, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(guards_see_the_event_they_fire_on) {
  // deals_won == 1 holds on the first win, since counters update first
  const auto m = relationship_model::from_json_string(R"({"states": ["a", "b"], "initial": "a",
      "transitions": [{"from": "a", "on": "deal_won", "to": "b", "guard": "deals_won == 1 and amount > 100"}]})");
  ledger l;
  l.append(0, 1.0, event_kind::deal_won, 50.0);
  l.append(1, 1.0, event_kind::deal_won, 500.0);
  const auto r = goodwill::replay(m, l);
  BOOST_TEST(r.state[0] == 0);
  BOOST_TEST(r.state[1] == 1);
}

BOOST_AUTO_TEST_CASE(thread_count_invariance) {
  const auto l = random_ledger(300000, 5000, 42);
  const auto m = goodwill::relationship_selling();
  goodwill::replay_options one, two, five;
  one.threads = 1;
  two.threads = 2;
  five.threads = 5;
  const auto r1 = goodwill::replay(m, l, goodwill::trust_params::defaults(), one);
  const auto r2 = goodwill::replay(m, l, goodwill::trust_params::defaults(), two);
  const auto r5 = goodwill::replay(m, l, goodwill::trust_params::defaults(), five);
  BOOST_TEST(r1.log.size() > 1000u);
  BOOST_TEST(same(r1, r2));
  BOOST_TEST(same(r1, r5));
  // every state is a model state; every trust value in [0, 1]
  for (std::size_t c = 0; c < r1.customers; ++c) {
    BOOST_TEST_REQUIRE(r1.state[c] < m.state_count());
    BOOST_TEST_REQUIRE((r1.trust[c] >= 0.0 && r1.trust[c] <= 1.0));
  }
  // the log is sorted by customer then time, and consistent with the final state
  for (std::size_t c = 0; c < r1.customers; ++c) {
    auto s = r1.initial;
    for (auto i = r1.log_offsets[c]; i < r1.log_offsets[c + 1]; ++i) {
      BOOST_TEST_REQUIRE(r1.log[i].customer == c);
      BOOST_TEST_REQUIRE(r1.log[i].from == s);
      if (i > r1.log_offsets[c]) BOOST_TEST_REQUIRE(r1.log[i - 1].time <= r1.log[i].time);
      s = r1.log[i].to;
    }
    BOOST_TEST_REQUIRE(s == r1.state[c]);
  }
}

BOOST_AUTO_TEST_CASE(thread_count_invariance_without_log_and_with_fresh_order) {
  // each replay gets a copy of the ledger without its reading order, so the
  // order is built on the replay's threads (as for a user's first replay)
  const auto base = random_ledger(400000, 3000, 9);
  const auto m = goodwill::relationship_selling();
  for (const bool keep_log : {false, true}) {
    goodwill::replay_options opt;
    opt.keep_log = keep_log;
    opt.threads = 1;
    ledger l1 = base;
    const auto r1 = goodwill::replay(m, l1, goodwill::trust_params::defaults(), opt);
    BOOST_TEST(r1.log.empty() == !keep_log);
    for (const unsigned threads : {2u, 3u, 8u}) {
      opt.threads = threads;
      ledger l = base;
      BOOST_TEST(same(r1, goodwill::replay(m, l, goodwill::trust_params::defaults(), opt)));
    }
  }
}

BOOST_AUTO_TEST_CASE(concurrent_replays_of_one_ledger) {
  // two callers (e.g. two Python threads, the GIL released) replay one
  // ledger whose reading order is not built yet: one builds it, both agree
  const auto l = random_ledger(300000, 2000, 5);
  const auto m = goodwill::relationship_selling();
  ledger copy = l;
  const auto reference = goodwill::replay(m, copy);
  std::vector<goodwill::replay_result> results(3);
  {
    std::vector<std::jthread> callers;
    for (unsigned i = 0; i < results.size(); ++i)
      callers.emplace_back([&, i] {
        goodwill::replay_options opt;
        opt.threads = i + 1;
        results[i] = goodwill::replay(m, l, goodwill::trust_params::defaults(), opt);
      });
  }
  for (const auto &r : results) BOOST_TEST(same(reference, r));
}

BOOST_AUTO_TEST_CASE(no_log_means_no_state_at) {
  ledger l;
  l.append(0, 1.0, event_kind::meeting);
  goodwill::replay_options opt;
  opt.keep_log = false;
  const auto r = goodwill::replay(tiny(), l, goodwill::trust_params::defaults(), opt);
  BOOST_TEST(r.state[0] == 1);
  BOOST_CHECK_THROW((void)r.state_at(0.0), goodwill::invalid_state);
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_rejected) {
  ledger l;
  auto p = goodwill::trust_params::defaults();
  p.prior_alpha = 0.0;
  BOOST_CHECK_THROW((void)goodwill::replay(tiny(), l, p), goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
