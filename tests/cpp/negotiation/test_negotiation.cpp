#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/genius.hpp>

#include "shared_data.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <limits>
#include <memory>

BOOST_AUTO_TEST_SUITE(negotiation)

namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;
using goodwill::issue;
using goodwill::offer_tag;
using goodwill::session_status;

namespace {
// A pie of `levels` slices: outcome x gives party 0 the share x/(levels-1).
goodwill::scenario pie(std::int64_t levels, double d1, double d2) {
  goodwill::outcome_space s({issue::integer("share", 0, levels - 1)});
  Eigen::ArrayXd u1(levels), u2(levels);
  for (std::int64_t x = 0; x < levels; ++x) {
    u1[x] = static_cast<double>(x) / static_cast<double>(levels - 1);
    u2[x] = 1.0 - u1[x];
  }
  return goodwill::scenario(s, u1, u2, 0.0, 0.0, d1, d2, "pie");
}

// Random small discrete scenario with random reservation values.
goodwill::scenario random_scenario(std::uint64_t seed) {
  goodwill::detail::counter_stream s(seed, 99);
  const auto k = 1 + static_cast<std::size_t>(goodwill::detail::u01(s) * 3);
  std::vector<issue> issues;
  for (std::size_t i = 0; i < k; ++i)
    issues.push_back(issue::integer("i" + std::to_string(i), 0,
                                    1 + static_cast<std::int64_t>(goodwill::detail::u01(s) * 6)));
  goodwill::outcome_space space(issues);
  std::vector<std::vector<double>> t1(k), t2(k);
  std::vector<double> w1(k), w2(k);
  for (std::size_t i = 0; i < k; ++i) {
    w1[i] = goodwill::detail::u01(s);
    w2[i] = goodwill::detail::u01(s);
    for (std::uint64_t j = 0; j < space.issues()[i].size(); ++j) {
      t1[i].push_back(goodwill::detail::u01(s));
      t2[i].push_back(goodwill::detail::u01(s));
    }
  }
  const double sw1 = std::accumulate(w1.begin(), w1.end(), 0.0);
  const double sw2 = std::accumulate(w2.begin(), w2.end(), 0.0);
  for (auto &w : w1)
    w /= sw1;
  for (auto &w : w2)
    w /= sw2;
  auto a =
      goodwill::linear_additive_utility::from_tables(space, w1, t1, 0.6 * goodwill::detail::u01(s));
  auto b =
      goodwill::linear_additive_utility::from_tables(space, w2, t2, 0.6 * goodwill::detail::u01(s));
  return goodwill::scenario(a, b);
}

std::vector<std::unique_ptr<goodwill::negotiator>> all_strategies() {
  std::vector<std::unique_ptr<goodwill::negotiator>> v;
  v.push_back(goodwill::boulware());
  v.push_back(goodwill::conceder());
  v.push_back(goodwill::linear_concession(goodwill::acceptance::ac_combi(0.9)));
  v.push_back(goodwill::hardliner(goodwill::acceptance::ac_const(0.7)));
  v.push_back(
      std::make_unique<goodwill::time_dependent>(0.5, 0.1, goodwill::acceptance::ac_time(0.8)));
  v.push_back(std::make_unique<goodwill::tit_for_tat>());
  v.push_back(std::make_unique<goodwill::random_negotiator>(0.3));
  v.push_back(std::make_unique<goodwill::alternatives_offerer>());
  v.push_back(std::make_unique<goodwill::authority_limited>(0.8, 2, 0.05));
  auto modelled = goodwill::boulware(0.3);
  modelled->use_opponent_model(true);
  v.push_back(std::move(modelled));
  return v;
}

goodwill::scenario laptop() {
  const auto d = goodwill_test::shared_data_path("genius/Laptop");
  const auto g = goodwill::load_genius_scenario((d / "Laptop-C-domain.xml").string(),
                                                (d / "Laptop-C-prof1.xml").string(),
                                                (d / "Laptop-C-prof2.xml").string());
  return goodwill::scenario(g.first, g.second, "Laptop");
}
} // namespace

BOOST_AUTO_TEST_CASE(time_dependent_curve) {
  const goodwill::time_dependent b(0.5), l(1.0), c(2.0), h(0.0), k(1.0, 0.2);
  BOOST_TEST(b.f(0.25) == 0.0625, tt::tolerance(1e-12)); // t^(1/e) = t^2
  BOOST_TEST(l.f(0.25) == 0.25, tt::tolerance(1e-12));
  BOOST_TEST(c.f(0.25) == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(h.f(0.99) == 0.0);
  BOOST_TEST(k.f(0.5) == 0.2 + 0.8 * 0.5, tt::tolerance(1e-12));
  BOOST_CHECK_THROW(goodwill::time_dependent(-1.0), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(acceptance_conditions) {
  using A = goodwill::acceptance;
  BOOST_TEST(A::ac_next()(0.6, 0.6, 0.1, 0.0, 0.0));
  BOOST_TEST(!A::ac_next()(0.59, 0.6, 0.1, 0.0, 0.0));
  BOOST_TEST(A::ac_next(1.0, 0.02)(0.59, 0.6, 0.1, 0.0, 0.0));
  BOOST_TEST(A::ac_const(0.5)(0.5, 0.9, 0.1, 0.0, 0.0));
  BOOST_TEST(!A::ac_time(0.9)(0.9, 0.9, 0.5, 0.0, 0.0));
  BOOST_TEST(A::ac_time(0.9)(0.1, 0.9, 0.95, 0.0, 0.0));
  BOOST_TEST(A::ac_combi(0.9)(0.5, 0.9, 0.95, 0.5, 0.0));
  BOOST_TEST(!A::ac_combi(0.9)(0.4, 0.9, 0.95, 0.5, 0.0));
  BOOST_TEST(!A::ac_time(0.0)(0.3, 0.0, 1.0, 0.0, 0.4)); // never below reservation
}

BOOST_AUTO_TEST_CASE(boulware_meets_conceder_on_laptop,
                     GOODWILL_NEEDS_SHARED_DATA("genius/Laptop")) {
  const auto sc = laptop();
  auto a = goodwill::boulware();
  auto b = goodwill::conceder();
  const auto r = goodwill::run_session(sc, *a, *b);
  BOOST_TEST(r.agreement());
  BOOST_TEST(r.u1 == sc.utility(0, r.outcome));
  BOOST_TEST(r.u1 >= r.u2); // the Boulware side gains
  BOOST_REQUIRE(!r.trace.empty());
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const auto &o = r.trace[i];
    BOOST_TEST(o.proposer == i % 2);
    BOOST_TEST(o.round == i / 2);
    BOOST_TEST(o.u1 == sc.utility(0, o.outcome));
    BOOST_TEST(o.u2 == sc.utility(1, o.outcome));
  }
  // The Boulware side opens with its best outcome.
  BOOST_TEST(r.trace[0].u1 == sc.sorted_utility(0).front());
  BOOST_TEST(r.outcome == r.trace.back().outcome);
  // Two hard-liners never agree on Laptop: the deadline ends it.
  auto h1 = goodwill::hardliner();
  auto h2 = goodwill::hardliner();
  goodwill::session_options opt;
  opt.rounds = 10;
  const auto d = goodwill::run_session(sc, *h1, *h2, opt);
  BOOST_TEST(static_cast<int>(d.status) == static_cast<int>(session_status::deadline));
  BOOST_TEST(d.trace.size() == 20u);
  BOOST_TEST(d.u1 == sc.reservation(0));
}

// Rubinstein (1982): with per-offer discount factors d1, d2 the first
// proposer's subgame-perfect share is (1 - d2) / (1 - d1 d2).
BOOST_DATA_TEST_CASE(rubinstein_split_the_pie,
                     bdata::make({0.9, 0.8, 0.95, 0.5}) ^ bdata::make({0.8, 0.9, 0.95, 0.7}), d1,
                     d2) {
  const auto sc = pie(20001, d1, d2);
  goodwill::subgame_perfect a, b;
  goodwill::session_options opt;
  opt.rounds = 150;
  opt.clock = goodwill::discount_clock::offers;
  opt.complete_information = true;
  const auto r = goodwill::run_session(sc, a, b, opt);
  BOOST_REQUIRE(r.agreement());
  BOOST_TEST(r.offers == 1u); // immediate agreement
  const double share = (1.0 - d2) / (1.0 - d1 * d2);
  BOOST_TEST(std::abs(r.u1 - share) <= 1e-3);
  // Second party opening: it gets (1 - d1)/(1 - d1 d2).
  opt.first = 1;
  const auto s = goodwill::run_session(sc, a, b, opt);
  BOOST_TEST(std::abs(s.u2 - (1.0 - d1) / (1.0 - d1 * d2)) <= 1e-3);
}

BOOST_DATA_TEST_CASE(no_agreement_below_reservation_and_reproducible, bdata::xrange(12), seed) {
  const auto sc = random_scenario(static_cast<std::uint64_t>(seed));
  const auto strategies = all_strategies();
  for (const auto &x : strategies)
    for (const auto &y : strategies) {
      auto a = x->clone();
      auto b = y->clone();
      goodwill::session_options opt;
      opt.rounds = 30;
      opt.seed = static_cast<std::uint64_t>(seed);
      const auto r = goodwill::run_session(sc, *a, *b, opt);
      if (r.agreement()) {
        BOOST_TEST(r.u1 >= sc.reservation(0));
        BOOST_TEST(r.u2 >= sc.reservation(1));
      }
      const auto again = goodwill::run_session(sc, *a, *b, opt);
      BOOST_TEST((again.outcome == r.outcome && again.status == r.status &&
                  again.trace.size() == r.trace.size()));
    }
}

// A reused session_result (as run_batch reuses one per worker) must not keep
// anything of the previous session: a deadline after an agreement reports
// the same as a deadline on a fresh result.
BOOST_AUTO_TEST_CASE(reused_result_keeps_nothing_of_the_previous_session) {
  const auto sc = random_scenario(7);
  goodwill::session_options opt;
  opt.rounds = 10;
  goodwill::session_result reused;
  auto c1 = goodwill::conceder();
  auto c2 = goodwill::conceder();
  goodwill::run_session(sc, *c1, *c2, opt, reused);
  auto h1 = goodwill::hardliner(goodwill::acceptance::ac_const(1.01));
  auto h2 = goodwill::hardliner(goodwill::acceptance::ac_const(1.01));
  goodwill::run_session(sc, *h1, *h2, opt, reused);
  auto f1 = goodwill::hardliner(goodwill::acceptance::ac_const(1.01));
  auto f2 = goodwill::hardliner(goodwill::acceptance::ac_const(1.01));
  const auto fresh = goodwill::run_session(sc, *f1, *f2, opt);
  BOOST_TEST(!fresh.agreement());
  BOOST_TEST((reused.status == fresh.status));
  BOOST_TEST(reused.outcome == fresh.outcome);
  BOOST_TEST(reused.t == fresh.t);
  BOOST_TEST(reused.u1 == fresh.u1);
  BOOST_TEST(reused.rounds == fresh.rounds);
}

// A scenario reused with a new reservation value runs exactly as one built
// with it; the bargaining points follow the reservations.
BOOST_AUTO_TEST_CASE(set_reservation_is_a_rebuilt_scenario) {
  const auto base = random_scenario(5);
  for (double r2 : {0.0, 0.3, 0.55, 0.8}) {
    auto reused = base;
    reused.set_reservation(1, r2);
    const goodwill::scenario built(base.space(), base.utility(0), base.utility(1),
                                   base.reservation(0), r2);
    goodwill::session_options opt;
    opt.rounds = 12;
    auto a1 = goodwill::boulware(0.3), a2 = goodwill::conceder(2.0);
    auto b1 = goodwill::boulware(0.3), b2 = goodwill::conceder(2.0);
    const auto x = goodwill::run_session(reused, *a1, *a2, opt);
    const auto y = goodwill::run_session(built, *b1, *b2, opt);
    BOOST_TEST((x.status == y.status));
    BOOST_TEST(x.outcome == y.outcome);
    BOOST_TEST(x.u2 == y.u2);
    BOOST_TEST(x.offers == y.offers);
    BOOST_TEST(reused.nash().exists == built.nash().exists);
    if (built.nash().exists) {
      BOOST_TEST(reused.nash().u1 == built.nash().u1);
      BOOST_TEST(reused.kalai_smorodinsky().u2 == built.kalai_smorodinsky().u2);
    }
  }
  auto sc = base;
  BOOST_CHECK_THROW(sc.set_reservation(2, 0.1), goodwill::invalid_input);
  BOOST_CHECK_THROW(sc.set_reservation(0, std::nan("")), goodwill::invalid_input);
}

// A negotiator reused across sessions (its concession schedule is memoised)
// behaves exactly as a fresh one.
BOOST_AUTO_TEST_CASE(reused_negotiators_behave_as_fresh_ones) {
  auto reused_a = goodwill::boulware(0.4);
  auto reused_b = goodwill::conceder(3.0);
  for (std::uint64_t seed = 20; seed < 30; ++seed) {
    const auto sc = random_scenario(seed);
    goodwill::session_options opt;
    opt.rounds = 5 + static_cast<std::uint32_t>(seed % 7);
    const auto x = goodwill::run_session(sc, *reused_a, *reused_b, opt);
    auto fa = goodwill::boulware(0.4);
    auto fb = goodwill::conceder(3.0);
    const auto y = goodwill::run_session(sc, *fa, *fb, opt);
    BOOST_TEST((x.status == y.status));
    BOOST_TEST(x.outcome == y.outcome);
    BOOST_REQUIRE(x.trace.size() == y.trace.size());
    for (std::size_t i = 0; i < x.trace.size(); ++i)
      BOOST_TEST(x.trace[i].outcome == y.trace[i].outcome);
  }
}

BOOST_AUTO_TEST_CASE(batch_is_thread_count_invariant) {
  std::vector<goodwill::scenario> scs;
  for (std::uint64_t s = 0; s < 4; ++s)
    scs.push_back(random_scenario(100 + s));
  std::vector<const goodwill::scenario *> ptr;
  ptr.reserve(scs.size());
  for (const auto &s : scs)
    ptr.push_back(&s);
  const auto strategies = all_strategies();
  std::vector<const goodwill::negotiator *> strat;
  strat.reserve(strategies.size());
  for (const auto &s : strategies)
    strat.push_back(s.get());
  goodwill::session_options opt;
  opt.rounds = 20;
  const std::vector<std::uint64_t> seeds{1, 2, 3};
  const auto one = goodwill::run_batch(ptr, strat, seeds, opt, 1);
  const auto two = goodwill::run_batch(ptr, strat, seeds, opt, 2);
  const auto three = goodwill::run_batch(ptr, strat, seeds, opt, 3);
  BOOST_REQUIRE_EQUAL(one.size(), 4u * 10u * 10u * 3u);
  bool same = true;
  for (std::size_t i = 0; i < one.size(); ++i)
    for (const auto *o : {&two[i], &three[i]})
      same = same && o->outcome == one[i].outcome && o->status == one[i].status &&
             o->u1 == one[i].u1 && o->rounds == one[i].rounds && o->seed == one[i].seed &&
             o->first == one[i].first && o->second == one[i].second;
  BOOST_TEST(same);
  // Rows are in (scenario, first, second, seed) order.
  BOOST_TEST(one[31].scenario == 0u);
  BOOST_TEST(one[31].first == 1u);
  BOOST_TEST(one[31].second == 0u);
  BOOST_TEST(one[31].seed == 2u);
}

namespace {
// A price negotiation: price 100..200 (seller: higher is better), support
// level basic/standard/premium (seller prefers basic, buyer premium).
goodwill::scenario sale(double seller_reservation = 0.0, double buyer_reservation = 0.0) {
  goodwill::outcome_space s({issue::integer("price", 100, 200),
                             issue::ordinal("support", {"basic", "standard", "premium"})});
  std::vector<goodwill::issue_evaluator> se(2), be(2);
  se[0].linear = goodwill::linear_evaluator{0.01, 0.0, true};
  se[1].table = {1.0, 0.6, 0.0};
  be[0].linear = goodwill::linear_evaluator{-0.01, 1.0, true};
  be[1].table = {0.0, 0.5, 1.0};
  goodwill::linear_additive_utility seller(s, {0.7, 0.3}, se, seller_reservation);
  goodwill::linear_additive_utility buyer(s, {0.6, 0.4}, be, buyer_reservation);
  goodwill::scenario sc(seller, buyer, "sale");
  sc.set_price_issue(0);
  return sc;
}

// A pluggable test opponent: squeezes (its offers get better for itself and
// worse for the other side each turn) and accepts nothing.
class squeezer : public goodwill::negotiator {
public:
  void start(const goodwill::negotiator_setup &s) override {
    s_ = s;
    i_ = 0;
  }
  goodwill::response respond(const goodwill::turn_state &, goodwill::outcome_id) override {
    return goodwill::response::reject;
  }
  goodwill::outcome_id propose(const goodwill::turn_state &) override {
    // Its own ranking, moving towards its best: ever worse for the other side.
    const auto &rank = s_.sc->ranking(s_.me);
    const std::size_t step = 15 * i_++;
    return rank[step >= 150 ? 0 : 150 - step];
  }
  [[nodiscard]] std::unique_ptr<goodwill::negotiator> clone() const override {
    return std::make_unique<squeezer>();
  }
  [[nodiscard]] std::string name() const override { return "squeezer"; }

private:
  goodwill::negotiator_setup s_;
  std::size_t i_ = 0;
};
} // namespace

BOOST_AUTO_TEST_CASE(price_matcher_meets_rival_down_to_floor) {
  const auto sc = sale();
  // Rival quotes 150: above the floor 140, so the seller matches it.
  goodwill::price_matcher seller(140.0, 0.0);
  goodwill::win_lose_buyer buyer(150.0, 0.45);
  goodwill::session_options opt;
  opt.rounds = 20;
  const auto r = goodwill::run_session(sc, seller, buyer, opt);
  BOOST_TEST(r.rival_disclosed);
  bool matched = false;
  for (const auto &o : r.trace) {
    if (o.proposer == 0) {
      BOOST_TEST(sc.price(o.outcome) >= 140.0);
      if (o.tag == offer_tag::price_match) {
        matched = true;
        BOOST_TEST(sc.price(o.outcome) <= 150.0);
      }
    } else {
      BOOST_TEST(o.outcome == sc.ranking(1).front()); // the win-lose buyer never moves
    }
  }
  BOOST_TEST(matched);
  // Rival 120 is below the floor: never matched, never below 140.
  goodwill::win_lose_buyer cheap(120.0, 0.9);
  const auto q = goodwill::run_session(sc, seller, cheap, opt);
  BOOST_TEST(!q.agreement());
  for (const auto &o : q.trace)
    if (o.proposer == 0) {
      BOOST_TEST(sc.price(o.outcome) >= 140.0);
      BOOST_TEST((o.tag != offer_tag::price_match));
    }
  // The ledger shows the shopping and the lost deal.
  goodwill::ledger l;
  goodwill::append_session_events(l, sc, q, {7, 0, 100.0, 1.0, 1.0});
  BOOST_TEST(l.kinds()[0] == static_cast<std::uint8_t>(goodwill::event_kind::proposal));
  bool quote = false;
  for (std::size_t i = 0; i < l.size(); ++i)
    quote = quote ||
            (l.kinds()[i] == static_cast<std::uint8_t>(goodwill::event_kind::competitor_quote) &&
             l.amounts()[i] == 120.0);
  BOOST_TEST(quote);
  const auto last = l[l.size() - 1];
  BOOST_TEST(static_cast<int>(last.kind) == static_cast<int>(goodwill::event_kind::deal_lost));
  BOOST_TEST(last.detail == static_cast<std::int32_t>(goodwill::loss_reason::competitor));
  BOOST_TEST(last.customer == 7u);
}

BOOST_AUTO_TEST_CASE(agreement_goes_to_ledger_as_deal_won) {
  const auto sc = sale();
  auto a = goodwill::boulware();
  auto b = goodwill::conceder();
  const auto r = goodwill::run_session(sc, *a, *b);
  BOOST_REQUIRE(r.agreement());
  goodwill::ledger l;
  const auto n = goodwill::append_session_events(l, sc, r, {3, 0, 10.0, 0.5, 1.0});
  BOOST_TEST(n == l.size());
  const auto last = l[l.size() - 1];
  BOOST_TEST(static_cast<int>(last.kind) == static_cast<int>(goodwill::event_kind::deal_won));
  BOOST_TEST(last.amount == sc.price(r.outcome));
  BOOST_TEST(last.time == 10.0 + 0.5 * r.rounds, tt::tolerance(1e-12));
  // Our concessions sum to the gap between the opening price and our last offer.
  double conceded = 0.0;
  for (std::size_t i = 0; i < l.size(); ++i)
    if (l.kinds()[i] == static_cast<std::uint8_t>(goodwill::event_kind::concession))
      conceded += l.amounts()[i];
  BOOST_TEST(conceded > 0.0);
}

BOOST_AUTO_TEST_CASE(alternatives_offerer_logrolls_under_a_squeeze) {
  const auto sc = sale();
  goodwill::alternatives_offerer seller(0.15, 0.5);
  squeezer buyer;
  goodwill::session_options opt;
  opt.rounds = 12;
  const auto r = goodwill::run_session(sc, seller, buyer, opt);
  std::size_t alternatives = 0;
  double prev = -1.0;
  for (const auto &o : r.trace) {
    if (o.proposer != 0)
      continue;
    if (o.tag == offer_tag::alternative_offered) {
      ++alternatives;
      BOOST_TEST(std::abs(o.u1 - prev) <= 0.15 + 1e-12); // (near) equal value to itself
    }
    prev = o.u1;
  }
  BOOST_TEST(alternatives >= 1u);
  goodwill::ledger l;
  goodwill::append_session_events(l, sc, r, {0, 0, 0.0, 1.0, 1.0});
  std::size_t logged = 0;
  for (std::size_t i = 0; i < l.size(); ++i)
    logged += l.kinds()[i] == static_cast<std::uint8_t>(goodwill::event_kind::alternative_offered);
  BOOST_TEST(logged == alternatives);
}

BOOST_AUTO_TEST_CASE(authority_limited_escalates_with_delay_and_cost) {
  const auto sc = sale();
  goodwill::authority_limited seller(0.7, 3, 0.05, 1.0);
  auto buyer = goodwill::boulware(0.3);
  goodwill::session_options opt;
  opt.rounds = 40;
  const auto r = goodwill::run_session(sc, seller, *buyer, opt);
  BOOST_TEST(seller.escalated());
  std::size_t held = 0;
  for (std::size_t i = 0; i < r.trace.size(); ++i)
    if (r.trace[i].proposer == 0 && r.trace[i].tag == offer_tag::escalation) {
      ++held;
      BOOST_TEST(r.trace[i].outcome == r.trace[i - 2].outcome); // holds its offer
    }
  BOOST_TEST(held == 3u);
  if (r.agreement() && r.u1 < 0.7) {
    BOOST_TEST(r.penalty1 == 0.05);
    BOOST_TEST(r.du1 == r.u1 - 0.05, tt::tolerance(1e-12));
  }
  // Before escalating it never offers below its authority threshold.
  for (const auto &o : r.trace) {
    if (o.proposer == 0 && o.tag == offer_tag::escalation)
      break;
    if (o.proposer == 0)
      BOOST_TEST(o.u1 >= 0.7 - 1e-12);
  }
}

BOOST_AUTO_TEST_CASE(frequency_model_learns_the_opponent) {
  const auto sc = sale();
  goodwill::frequency_model m;
  m.start(sc.space());
  // The opponent always asks for premium support and varies the price.
  for (std::int64_t p = 100; p < 110; ++p) {
    const std::vector<double> v{static_cast<double>(p), 2.0};
    m.update(sc.space().encode(v));
  }
  const std::vector<double> premium{150.0, 2.0}, basic{105.0, 0.0};
  BOOST_TEST(m(sc.space().encode(premium)) > m(sc.space().encode(basic)));
  BOOST_TEST(m.issue_weights()[1] > m.issue_weights()[0]); // the stable issue matters
}

BOOST_AUTO_TEST_CASE(discounting_and_walk_away) {
  const auto sc = pie(101, 0.5, 0.5);
  auto a = goodwill::conceder();
  auto b = goodwill::conceder();
  const auto r = goodwill::run_session(sc, *a, *b);
  BOOST_REQUIRE(r.agreement());
  BOOST_TEST(r.du1 == r.u1 * std::pow(0.5, r.t), tt::tolerance(1e-12));
  BOOST_CHECK_THROW((void)goodwill::run_session(sc, *a, *b, {0}), goodwill::invalid_input);
  goodwill::subgame_perfect sp;
  BOOST_CHECK_THROW((void)goodwill::run_session(sc, sp, *b), goodwill::invalid_input);
}

// ---- private deadlines and reservations (issue 18, item 3) -------------------

namespace {
// Records what it is told and the clock it sees; never accepts, always
// proposes its best outcome.
class probe : public goodwill::negotiator {
public:
  std::uint32_t told_rounds = 0;
  double told_reservation = 0.0, last_t = -1.0;
  int me = 0;
  const goodwill::scenario *sc = nullptr;
  void start(const goodwill::negotiator_setup &s) override {
    told_rounds = s.rounds;
    told_reservation = s.reservation();
    me = s.me;
    sc = s.sc;
  }
  goodwill::response respond(const goodwill::turn_state &s, goodwill::outcome_id) override {
    last_t = s.t;
    return goodwill::response::reject;
  }
  goodwill::outcome_id propose(const goodwill::turn_state &s) override {
    last_t = s.t;
    return sc->ranking(me).front();
  }
  [[nodiscard]] std::unique_ptr<goodwill::negotiator> clone() const override {
    return std::make_unique<probe>(*this);
  }
  [[nodiscard]] std::string name() const override { return "probe"; }
};
} // namespace

BOOST_AUTO_TEST_CASE(private_deadline_and_reservation_are_private) {
  const auto sc = pie(11, 1.0, 1.0);
  probe a, b;
  goodwill::session_options opt;
  opt.rounds = 40;
  opt.own_rounds = {0, 10};
  opt.reservation = {0.3, std::numeric_limits<double>::quiet_NaN()};
  const auto r = goodwill::run_session(sc, a, b, opt);
  // Each is told its own deadline and reservation only.
  BOOST_TEST(a.told_rounds == 40u);
  BOOST_TEST(b.told_rounds == 10u);
  BOOST_TEST(a.told_reservation == 0.3);
  BOOST_TEST(b.told_reservation == 0.0);
  // The session ends at party 1's deadline: 10 rounds, 20 offers; party 1's
  // clock reached 1 on its last turn (k = 19 of 20), party 0's only 19/79.
  BOOST_TEST((r.status == session_status::deadline));
  BOOST_TEST(r.deadline_party == 1);
  BOOST_TEST(r.rounds == 10u);
  BOOST_TEST(b.last_t == 1.0);
  BOOST_TEST(a.last_t == 20.0 / 79.0, tt::tolerance(1e-12)); // responds at k = 20
  // Without agreement each side gets its own reservation value.
  BOOST_TEST(r.u1 == 0.3);
  BOOST_TEST(r.u2 == 0.0);
  // A relative private deadline: 0.25 of 40 rounds = 10 rounds.
  goodwill::session_options rel;
  rel.rounds = 40;
  rel.own_time = {0.25, 1.0};
  probe c, d;
  const auto r2 = goodwill::run_session(sc, c, d, rel);
  BOOST_TEST(c.told_rounds == 10u);
  BOOST_TEST(r2.deadline_party == 0);
  BOOST_TEST(r2.own_rounds[0] == 10u);
  BOOST_TEST(r2.own_rounds[1] == 40u);
  rel.own_time = {0.0, 1.0};
  BOOST_CHECK_THROW((void)goodwill::run_session(sc, c, d, rel), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(end_of_quarter_pressure_shifts_the_deal) {
  // Two identical Boulware negotiators on a 101-slice pie. With the same
  // deadline the deal is near the middle; when the seller (party 1) must
  // close within 20 of the 100 rounds, its own clock runs 5x faster, it
  // concedes early and the buyer, who does not know, gets the larger share.
  const auto sc = pie(101, 1.0, 1.0);
  auto a = goodwill::boulware(0.2), b = goodwill::boulware(0.2);
  goodwill::session_options opt;
  opt.rounds = 100;
  const auto same = goodwill::run_session(sc, *a, *b, opt);
  BOOST_REQUIRE(same.agreement());
  BOOST_TEST(std::abs(same.u1 - same.u2) <= 0.1);
  opt.own_rounds = {0, 20};
  const auto pressed = goodwill::run_session(sc, *a, *b, opt);
  BOOST_REQUIRE(pressed.agreement());
  BOOST_TEST(pressed.u1 > same.u1 + 0.1);
  BOOST_TEST(pressed.rounds <= 20u);
  // Reproducible in batches whatever the thread count.
  std::vector<std::unique_ptr<goodwill::negotiator>> owned;
  owned.push_back(goodwill::boulware(0.2));
  owned.push_back(goodwill::conceder());
  owned.push_back(goodwill::linear_concession());
  std::vector<const goodwill::negotiator *> strat;
  strat.reserve(owned.size());
  for (const auto &o : owned)
    strat.push_back(o.get());
  const std::vector<const goodwill::scenario *> ptr{&sc};
  std::vector<std::uint64_t> seeds{1, 2, 3, 4, 5};
  opt.reservation = {0.2, 0.25};
  const auto one = goodwill::run_batch(ptr, strat, seeds, opt, 1);
  const auto two = goodwill::run_batch(ptr, strat, seeds, opt, 2);
  bool same_rows = one.size() == two.size();
  for (std::size_t i = 0; same_rows && i < one.size(); ++i)
    same_rows = one[i].outcome == two[i].outcome && one[i].u1 == two[i].u1 &&
                one[i].rounds == two[i].rounds && one[i].status == two[i].status;
  BOOST_TEST(same_rows);
  for (const auto &row : one)
    if (row.status == session_status::agreement) {
      BOOST_TEST(row.u1 >= 0.2);
      BOOST_TEST(row.u2 >= 0.25);
    }
}

BOOST_AUTO_TEST_SUITE_END()
