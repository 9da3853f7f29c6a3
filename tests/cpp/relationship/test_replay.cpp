#include <goodwill/relationship/replay.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
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
    // memcmp must not see the null data() of an empty vector
    return u.size() == v.size() &&
           (u.empty() || std::memcmp(u.data(), v.data(), u.size() * sizeof(u[0])) == 0);
  };
  if (x.log.size() != y.log.size())
    return false;
  for (std::size_t i = 0; i < x.log.size(); ++i) {
    const auto &p = x.log[i], &q = y.log[i];
    if (p.customer != q.customer || p.time != q.time || p.from != q.from || p.to != q.to ||
        p.kind != q.kind || p.row != q.row)
      return false;
  }
  return eq(x.state, y.state) && eq(x.alpha, y.alpha) && eq(x.beta, y.beta) &&
         eq(x.trust, y.trust) && eq(x.last_time, y.last_time) && eq(x.engagement, y.engagement) &&
         eq(x.loyalty, y.loyalty) && eq(x.price_sensitivity, y.price_sensitivity) &&
         eq(x.counters, y.counters) && eq(x.log_offsets, y.log_offsets) && eq(x.events, y.events) &&
         eq(x.dormancy_due, y.dormancy_due) &&
         std::bit_cast<std::uint64_t>(x.as_of) == std::bit_cast<std::uint64_t>(y.as_of);
}

} // namespace

BOOST_AUTO_TEST_CASE(tiny_model_state_path_and_log) {
  ledger l;
  // customer 1 arrives out of time order; customer 2 has no events... customer 0 churns
  l.append(1, 5.0, event_kind::deal_won); // row 0
  l.append(1, 1.0, event_kind::meeting);  // row 1: a -> b at t=1
  l.append(0, 2.0, event_kind::meeting);  // row 2: a -> b at t=2
  l.append(1, 9.0, event_kind::deal_won); // row 3: deals_won = 2: b -> c at t=9
  l.append(0, 3.0, event_kind::churn);    // row 4: b -> a at t=3
  l.append(3, 4.0, event_kind::proposal); // row 5: nothing fires; customer 2 has no events
  const auto m = tiny();
  const auto r = goodwill::replay(m, l);
  BOOST_TEST_REQUIRE(r.customers == 4u);
  BOOST_TEST(std::ranges::equal(r.state, std::vector<goodwill::state_code>{0, 2, 0, 0}));
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
  BOOST_TEST(std::ranges::equal(r.log_offsets, std::vector<std::uint64_t>{0, 2, 4, 4, 4}));
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
  BOOST_TEST(std::ranges::equal(cut.state, std::vector<goodwill::state_code>{0, 1, 0, 0}));
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
  // dormancy moves are among them: logged later than the loss that started the clock
  const auto times = l.times();
  const auto lost = *m.find_state("lost");
  const auto moves = std::count_if(r1.log.begin(), r1.log.end(), [&](const auto &rec) {
    return rec.to == lost && rec.kind == event_kind::deal_lost && rec.time > times[rec.row];
  });
  BOOST_TEST(moves > 100);
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
      if (i > r1.log_offsets[c])
        BOOST_TEST_REQUIRE(r1.log[i - 1].time <= r1.log[i].time);
      s = r1.log[i].to;
    }
    BOOST_TEST_REQUIRE(s == r1.state[c]);
  }
}

namespace {

// The default model on a hand-written ledger; customer 9 only marks the end
// of the data (its meeting at `end`).
struct story {
  ledger l;
  std::vector<std::uint32_t> rows;
  std::uint32_t add(goodwill::customer_id c, double t, event_kind k, double amount = 0.0,
                    std::int32_t detail = 0) {
    rows.push_back(static_cast<std::uint32_t>(l.size()));
    l.append(c, t, k, amount, detail);
    return rows.back();
  }
};

std::vector<goodwill::transition_record> log_of(const goodwill::replay_result &r, std::size_t c) {
  return {r.log.begin() + static_cast<std::ptrdiff_t>(r.log_offsets[c]),
          r.log.begin() + static_cast<std::ptrdiff_t>(r.log_offsets[c + 1])};
}

} // namespace

BOOST_AUTO_TEST_CASE(a_lost_deal_beside_a_won_one_is_not_a_lost_customer) {
  const auto m = goodwill::relationship_selling();
  const auto lost = *m.find_state("lost");
  story s;
  // two opportunities in parallel: one lost at 30, the other won at 35;
  // later a third lost at 200, 100 days before the end of the data (300)
  s.add(0, 0, event_kind::meeting, 1);
  s.add(0, 0, event_kind::proposal, 1000);
  s.add(0, 0, event_kind::proposal, 1000);
  s.add(0, 30, event_kind::deal_lost, 1000, 1);
  s.add(0, 35, event_kind::deal_won, 1000, 3000);
  s.add(0, 100, event_kind::proposal, 1000);
  s.add(0, 200, event_kind::deal_lost, 1000, 1);
  s.add(9, 300, event_kind::meeting, 1);
  const auto r = goodwill::replay(m, s.l);
  BOOST_TEST(r.as_of == 300.0);
  for (const auto &rec : log_of(r, 0))
    BOOST_TEST(rec.to != lost);
  BOOST_TEST(r.state[0] != lost);
  BOOST_TEST((r.state[0] == *m.find_state("developing") ||
              r.state[0] == *m.find_state("transactional"))); // won at 35: a customer
  // the clock of the last loss runs: lost at 380 unless business comes first
  BOOST_TEST(r.dormancy_due[0] == 380.0);
  for (double t : {30.0, 31.0, 200.0, 299.0, 300.0})
    BOOST_TEST(r.state_at(t)[0] != lost);
  BOOST_TEST(std::isnan(r.dormancy_due[1]));
}

BOOST_AUTO_TEST_CASE(the_last_deal_lost_with_nothing_after_is_lost_at_loss_plus_window) {
  const auto m = goodwill::relationship_selling();
  const auto lost = *m.find_state("lost");
  story s;
  s.add(0, 0, event_kind::purchase, 100, 3000);
  const auto loss0 = s.add(0, 50, event_kind::deal_lost, 100, 1);
  // 1: the same, then a meeting after the window: the move comes first
  s.add(1, 0, event_kind::purchase, 100, 3000);
  const auto loss1 = s.add(1, 50, event_kind::deal_lost, 100, 1);
  s.add(1, 300, event_kind::meeting, 1);
  // 2: the same, then a purchase after the window: lost at 230, won back at 300
  s.add(2, 0, event_kind::purchase, 100, 3000);
  s.add(2, 50, event_kind::deal_lost, 100, 1);
  s.add(2, 300, event_kind::purchase, 100, 3000);
  // 3: a purchase on the last day of the window stops the clock
  s.add(3, 0, event_kind::purchase, 100, 3000);
  s.add(3, 50, event_kind::deal_lost, 100, 1);
  s.add(3, 230, event_kind::purchase, 100, 3000);
  // 4: a churn stops it (the customer left: churned, not lost)
  s.add(4, 0, event_kind::purchase, 100, 3000);
  s.add(4, 50, event_kind::deal_lost, 100, 1);
  s.add(4, 60, event_kind::churn);
  // 5: three losses in a row: at risk at once, lost 180 days after the last
  s.add(5, 0, event_kind::purchase, 100, 3000);
  s.add(5, 10, event_kind::deal_lost, 100, 1);
  s.add(5, 20, event_kind::deal_lost, 100, 1);
  const auto loss5 = s.add(5, 30, event_kind::deal_lost, 100, 1);
  s.add(9, 400, event_kind::meeting, 1);
  const auto r = goodwill::replay(m, s.l);
  BOOST_TEST(r.as_of == 400.0);
  const auto l0 = log_of(r, 0);
  BOOST_REQUIRE(!l0.empty());
  BOOST_TEST(l0.back().to == lost);
  BOOST_TEST(l0.back().time == 230.0);
  BOOST_TEST((l0.back().kind == event_kind::deal_lost));
  BOOST_TEST(l0.back().row == loss0);
  BOOST_TEST(r.state[0] == lost);
  BOOST_TEST(std::isnan(r.dormancy_due[0]));
  BOOST_TEST(r.state_at(229.999)[0] != lost);
  BOOST_TEST(r.state_at(230.0)[0] == lost);
  const auto l1 = log_of(r, 1);
  BOOST_TEST(l1.back().to == lost);
  BOOST_TEST(l1.back().time == 230.0);
  BOOST_TEST(l1.back().row == loss1);
  const auto l2 = log_of(r, 2);
  BOOST_REQUIRE(l2.size() >= 2u);
  BOOST_TEST(l2[l2.size() - 2].to == lost);
  BOOST_TEST(l2[l2.size() - 2].time == 230.0);
  BOOST_TEST(l2.back().to == *m.find_state("won_back"));
  BOOST_TEST(l2.back().time == 300.0);
  for (const auto &rec : log_of(r, 3))
    BOOST_TEST(rec.to != lost);
  BOOST_TEST(r.state[4] == *m.find_state("churned"));
  for (const auto &rec : log_of(r, 4))
    BOOST_TEST(rec.to != lost);
  BOOST_TEST(r.state_at(30.0)[5] == *m.find_state("at_risk"));
  BOOST_TEST(r.state_at(209.0)[5] == *m.find_state("at_risk"));
  BOOST_TEST(log_of(r, 5).back().time == 210.0);
  BOOST_TEST(log_of(r, 5).back().row == loss5);
  BOOST_TEST(r.state[5] == lost);

  // The as-of time: until if given, or as_of; a move due later is pending.
  goodwill::replay_options opt;
  opt.until = 200.0;
  const auto early = goodwill::replay(m, s.l, goodwill::trust_params::defaults(), opt);
  BOOST_TEST(early.as_of == 200.0);
  BOOST_TEST(early.state[0] != lost);
  BOOST_TEST(early.dormancy_due[0] == 230.0);
  opt.until = std::numeric_limits<double>::infinity();
  opt.as_of = 229.0;
  BOOST_TEST(goodwill::replay(m, s.l, goodwill::trust_params::defaults(), opt).state[0] != lost);
  opt.as_of = 230.0;
  BOOST_TEST(goodwill::replay(m, s.l, goodwill::trust_params::defaults(), opt).state[0] == lost);
  opt.until = 100.0;
  BOOST_CHECK_THROW((void)goodwill::replay(m, s.l, goodwill::trust_params::defaults(), opt),
                    goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(the_window_comes_from_the_customers_own_gaps) {
  const auto m = goodwill::relationship_selling();
  const auto lost = *m.find_state("lost");
  story s;
  // 0: buys every 100 days (6 gaps), loses at 650 (a 7th gap of 50):
  //    the 90% quantile of {50, 100 x 6} is 100 -> lost at 750
  for (int i = 0; i <= 6; ++i)
    s.add(0, 100.0 * i, event_kind::purchase, 100, 3000);
  s.add(0, 650, event_kind::deal_lost, 100, 1);
  // 1: buys every 300 days: not lost after 180 days, but after 300 (at 2150)
  for (int i = 0; i <= 6; ++i)
    s.add(1, 300.0 * i, event_kind::purchase, 100, 3000);
  s.add(1, 1850, event_kind::deal_lost, 100, 1);
  // 2: 4 gaps only (the loss's included): the default 180 days -> 530
  for (int i = 0; i <= 3; ++i)
    s.add(2, 100.0 * i, event_kind::purchase, 100, 3000);
  s.add(2, 350, event_kind::deal_lost, 100, 1);
  // 3: buys every 10 days: the window is clamped to min_days (90) -> 150
  for (int i = 0; i <= 5; ++i)
    s.add(3, 10.0 * i, event_kind::purchase, 100, 3000);
  s.add(3, 60, event_kind::deal_lost, 100, 1);
  // 4: buys every 700 days: clamped to max_days (365) -> 2465 + 365
  for (int i = 0; i <= 5; ++i)
    s.add(4, 700.0 * i, event_kind::purchase, 100, 3000);
  s.add(4, 3510, event_kind::deal_lost, 100, 1);
  // 5: as 1, with a meeting at 2000 — past the least window (1850 + 90) but
  //    inside its own (300): not lost then; lost at 2150
  for (int i = 0; i <= 6; ++i)
    s.add(5, 300.0 * i, event_kind::purchase, 100, 3000);
  s.add(5, 1850, event_kind::deal_lost, 100, 1);
  s.add(5, 2000, event_kind::meeting, 1);
  // 6: as 1, with a purchase at 2100: never lost
  for (int i = 0; i <= 6; ++i)
    s.add(6, 300.0 * i, event_kind::purchase, 100, 3000);
  s.add(6, 1850, event_kind::deal_lost, 100, 1);
  s.add(6, 2100, event_kind::purchase, 100, 3000);
  // 7: as 1 but the loss comes at 4900 after a gap of 3100: the quantile
  //    (1420) is capped at 365, so the move is still pending at 5000
  for (int i = 0; i <= 6; ++i)
    s.add(7, 300.0 * i, event_kind::purchase, 100, 3000);
  s.add(7, 4900, event_kind::deal_lost, 100, 1);
  s.add(9, 5000, event_kind::meeting, 1);
  const auto r = goodwill::replay(m, s.l);
  BOOST_TEST(r.state_at(2000.0)[5] != lost);
  BOOST_TEST(r.state[5] == lost);
  BOOST_TEST(log_of(r, 5).back().time == 2150.0);
  for (const auto &rec : log_of(r, 6))
    BOOST_TEST(rec.to != lost);
  BOOST_TEST(r.state[7] != lost);
  BOOST_TEST(r.dormancy_due[7] == 5265.0);
  const double expect[] = {750.0, 2150.0, 530.0, 150.0, 3875.0};
  for (std::size_t c = 0; c < 5; ++c) {
    BOOST_TEST_CONTEXT("customer " << c) {
      BOOST_TEST(r.state[c] == lost);
      BOOST_TEST(log_of(r, c).back().time == expect[c]);
    }
  }
  // min_gaps = 0: always the default window
  goodwill::dormancy_rule fixed;
  fixed.min_gaps = 0;
  const auto r0 = goodwill::replay(goodwill::relationship_selling(fixed), s.l);
  BOOST_TEST(log_of(r0, 0).back().time == 830.0);
  BOOST_TEST(log_of(r0, 1).back().time == 2030.0);
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
    // copies on purpose: replay() takes the ledger const but caches its
    // reading order, which base would then hand to every later replay
    // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
    ledger l1 = base;
    const auto r1 = goodwill::replay(m, l1, goodwill::trust_params::defaults(), opt);
    BOOST_TEST(r1.log.empty() == !keep_log);
    for (const unsigned threads : {2u, 3u, 8u}) {
      opt.threads = threads;
      ledger l = base; // NOLINT(performance-unnecessary-copy-initialization): as l1
      BOOST_TEST(same(r1, goodwill::replay(m, l, goodwill::trust_params::defaults(), opt)));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_log_of_a_threaded_replay_reads_as_one_sequence) {
  // a two-thread replay keeps its pieces' logs as they are: the log must read
  // exactly like the one-thread log by index, by iterator and by piece
  const auto base = random_ledger(400000, 3000, 4);
  const auto m = goodwill::relationship_selling();
  goodwill::replay_options opt;
  opt.threads = 1;
  const auto r1 = goodwill::replay(m, base, goodwill::trust_params::defaults(), opt);
  opt.threads = 2;
  const auto r2 = goodwill::replay(m, base, goodwill::trust_params::defaults(), opt);
  BOOST_TEST_REQUIRE(r1.log.pieces().size() == 1u);
  BOOST_TEST_REQUIRE(r2.log.pieces().size() > 2u);
  BOOST_TEST_REQUIRE(r2.log.size() == r1.log.size());
  BOOST_TEST(r2.log == r1.log);
  std::size_t in_pieces = 0;
  for (const auto &p : r2.log.pieces())
    in_pieces += p.size();
  BOOST_TEST(in_pieces == r2.log.size());
  // by index across every piece border, and iterator arithmetic
  const auto same_record = [](const goodwill::transition_record &a,
                              const goodwill::transition_record &b) {
    return a.customer == b.customer && a.time == b.time && a.row == b.row && a.from == b.from &&
           a.to == b.to;
  };
  std::uint64_t border = 0;
  for (const auto &p : r2.log.pieces()) {
    border += p.size();
    for (const std::uint64_t i : {border - 1, border}) {
      if (i >= r2.log.size())
        continue;
      BOOST_TEST_REQUIRE(same_record(r2.log[i], r1.log[i]));
      BOOST_TEST_REQUIRE(
          same_record(*(r2.log.begin() + static_cast<std::ptrdiff_t>(i)), r1.log[i]));
      BOOST_TEST_REQUIRE(
          same_record(r2.log.end()[-static_cast<std::ptrdiff_t>(r2.log.size() - i)], r1.log[i]));
    }
  }
  BOOST_TEST((r2.log.end() - r2.log.begin()) == static_cast<std::ptrdiff_t>(r2.log.size()));
  BOOST_TEST(std::is_sorted(r2.log.begin(), r2.log.end(),
                            [](const auto &a, const auto &b) { return a.customer < b.customer; }));
  static_assert(std::random_access_iterator<goodwill::transition_log::const_iterator>);
  BOOST_CHECK_THROW((void)r2.log.at(r2.log.size()), std::out_of_range);
  BOOST_TEST(same_record(r2.log.back(), r1.log.back()));
  // walking backwards across the borders
  auto it = r2.log.end();
  std::size_t back = r1.log.size();
  while (it != r2.log.begin()) {
    --it;
    --back;
    BOOST_TEST_REQUIRE(same_record(*it, r1.log[back]));
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
  for (const auto &r : results)
    BOOST_TEST(same(reference, r));
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
