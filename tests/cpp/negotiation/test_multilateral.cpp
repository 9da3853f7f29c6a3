// Tests of include/goodwill/negotiation/multilateral.hpp (issue 18, item 5):
// the multilateral SAO session (NegMAS's SAOMechanism with more than two
// negotiators: the offer goes round the table and is accepted when every
// other negotiator accepts it), the RFP with rival quotes and its ledger, and
// batches reproducible across thread counts. The traces below are worked
// out by hand turn by turn.
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/multilateral.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(multilateral)

namespace tt = boost::test_tools;
using namespace goodwill;

namespace {
/// Proposes script[i] at its i-th proposal (the last one after that) and
/// accepts an offer worth at least `accept_at` to it; records the rival
/// prices it was shown.
class scripted final : public negotiator {
public:
  scripted(std::vector<outcome_id> script, double accept_at)
      : script_(std::move(script)), accept_at_(accept_at) {}
  void start(const negotiator_setup &s) override {
    setup_ = s;
    i_ = 0;
    seen.clear();
  }
  response respond(const turn_state &s, outcome_id offer) override {
    if (s.rival_disclosed)
      seen.push_back(s.rival_price);
    return setup_.u(offer) >= accept_at_ ? response::accept : response::reject;
  }
  outcome_id propose(const turn_state &) override {
    const auto o = script_[std::min(i_, script_.size() - 1)];
    ++i_;
    return o;
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<scripted>(script_, accept_at_);
  }
  [[nodiscard]] std::string name() const override { return "scripted"; }
  std::vector<double> seen;

private:
  std::vector<outcome_id> script_;
  double accept_at_;
  negotiator_setup setup_;
  std::size_t i_ = 0;
};

Eigen::ArrayXd arr(std::vector<double> v) {
  return Eigen::Map<Eigen::ArrayXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}
} // namespace

BOOST_AUTO_TEST_CASE(three_parties_by_hand) {
  // One issue of 5 values; utilities of outcomes 0..4:
  //   P0 (1, .8, .6, .4, .2), P1 (.2, .4, .6, .8, 1), P2 (.5, .9, 1, .3, .1).
  // Each hard-lines on its best and accepts anything worth >= 0.6 (AC_const).
  // Turn 0: P0 offers 0.  Turn 1: P1 (0 is worth .2) rejects, offers 4.
  // Turn 2: P2 (4: .1) rejects, offers 2.  Turn 3: P0 (2: .6) accepts.
  // Turn 4: P1 (2: .6) accepts: N - 1 = 2 acceptances, agreement on 2.
  outcome_space space({issue::integer("x", 0, 4)});
  const multilateral_scenario sc(
      space, {arr({1, .8, .6, .4, .2}), arr({.2, .4, .6, .8, 1}), arr({.5, .9, 1, .3, .1})});
  std::vector<std::unique_ptr<time_dependent>> own;
  std::vector<negotiator *> neg;
  for (int p = 0; p < 3; ++p) {
    own.push_back(std::make_unique<time_dependent>(0.0, 0.0, acceptance::ac_const(0.6)));
    neg.push_back(own.back().get());
  }
  multilateral_options opt;
  opt.rounds = 10; // 30 turns: t = k / 29
  const auto r = run_multilateral_session(sc, neg, opt);
  BOOST_REQUIRE(r.agreement());
  BOOST_TEST(r.outcome == 2u);
  BOOST_TEST(r.ended_by == 1);
  BOOST_TEST(r.offers == 3u);
  BOOST_TEST(r.rounds == 2u);                          // turn 4 is in round 1 (0-based)
  BOOST_TEST(r.t == 2.0 / 29.0, tt::tolerance(1e-12)); // the accepted offer's time
  BOOST_TEST(r.utilities == (std::vector<double>{.6, .6, 1.0}), tt::per_element());
  const auto &tr = r.trace;
  BOOST_TEST(tr.offer == (std::vector<outcome_id>{0, 4, 2}), tt::per_element());
  BOOST_TEST(tr.proposer == (std::vector<std::uint32_t>{0, 1, 2}), tt::per_element());
  BOOST_TEST(tr.round == (std::vector<std::uint32_t>{0, 0, 0}), tt::per_element());
  const auto A = static_cast<std::uint8_t>(response::accept);
  const auto R = static_cast<std::uint8_t>(response::reject);
  const auto N = not_asked;
  BOOST_TEST(tr.responses == (std::vector<std::uint8_t>{N, R, N, N, N, R, A, A, N}),
             tt::per_element());
  BOOST_TEST(tr.utilities[2 * 3 + 2] == 1.0); // offer 2 is P2's best
}

BOOST_AUTO_TEST_CASE(no_agreement_ends_at_the_deadline_with_reservations) {
  // Every party insists on its best and accepts only 1: never agreed. With 2
  // rounds, 6 turns; the sixth (k = 6) only responds.
  outcome_space space({issue::integer("x", 0, 2)});
  const multilateral_scenario sc(space, {arr({1, 0, 0}), arr({0, 1, 0}), arr({0, 0, 1})},
                                 {0.1, 0.2, 0.3});
  std::vector<std::unique_ptr<time_dependent>> own;
  std::vector<negotiator *> neg;
  for (int p = 0; p < 3; ++p) {
    own.push_back(std::make_unique<time_dependent>(0.0, 0.0, acceptance::ac_const(1.0)));
    neg.push_back(own.back().get());
  }
  multilateral_options opt;
  opt.rounds = 2;
  const auto r = run_multilateral_session(sc, neg, opt);
  BOOST_TEST(!r.agreement());
  BOOST_TEST((r.status == session_status::deadline));
  BOOST_TEST(r.offers == 6u);
  BOOST_TEST(r.utilities == (std::vector<double>{0.1, 0.2, 0.3}), tt::per_element());
  BOOST_TEST(r.trace.offer.size() == 6u);
  BOOST_TEST(r.trace.responses.size() == 18u);
}

BOOST_AUTO_TEST_CASE(two_parties_is_the_bilateral_session) {
  // With N = 2 the protocol is run_session's, turn for turn.
  std::vector<issue> is = {issue::integer("price", 0, 19), issue::integer("term", 0, 4)};
  outcome_space space(is);
  std::vector<double> t1(20), t2(20), s1(5), s2(5);
  for (int j = 0; j < 20; ++j) {
    t1[static_cast<std::size_t>(j)] = j / 19.0;
    t2[static_cast<std::size_t>(j)] = 1.0 - j / 19.0;
  }
  for (int j = 0; j < 5; ++j) {
    s1[static_cast<std::size_t>(j)] = (j % 3) / 2.0;
    s2[static_cast<std::size_t>(j)] = j / 4.0;
  }
  const auto a = linear_additive_utility::from_tables(space, {0.7, 0.3}, {t1, s1}, 0.1);
  const auto b = linear_additive_utility::from_tables(space, {0.6, 0.4}, {t2, s2}, 0.2);
  const scenario bi(a, b);
  const multilateral_scenario ml(space, {a.evaluate_all(), b.evaluate_all()}, {0.1, 0.2});
  auto x = boulware();
  auto y = conceder();
  session_options so;
  so.rounds = 30;
  const auto rb = run_session(bi, *x, *y, so);
  multilateral_options mo;
  mo.rounds = 30;
  auto x2 = boulware();
  auto y2 = conceder();
  const auto rm = run_multilateral_session(ml, {x2.get(), y2.get()}, mo);
  BOOST_REQUIRE(rb.agreement());
  BOOST_TEST(rm.agreement());
  BOOST_TEST(rm.outcome == rb.outcome);
  BOOST_TEST(rm.offers == rb.offers);
  BOOST_TEST(rm.t == rb.t);
  BOOST_TEST(rm.utilities[0] == rb.u1);
  BOOST_TEST(rm.utilities[1] == rb.u2);
  BOOST_REQUIRE(rm.trace.offer.size() == rb.trace.size());
  for (std::size_t i = 0; i < rb.trace.size(); ++i)
    BOOST_TEST(rm.trace.offer[i] == rb.trace[i].outcome);
}

namespace {
// Price 1..5 (id = price - 1). Buyer (party 0): (5 - p) / 4; seller (party
// 1): (p - 1) / 4. Both sellers share the space and the price issue.
scenario price_scenario(double buyer_r = 0.0, double seller_r = 0.0) {
  outcome_space space({issue::integer("price", 1, 5)});
  scenario sc(space, arr({1, .75, .5, .25, 0}), arr({0, .25, .5, .75, 1}), buyer_r, seller_r);
  sc.set_price_issue(0);
  return sc;
}
} // namespace

BOOST_AUTO_TEST_CASE(rfp_rival_quotes_by_hand) {
  // Buyer: always offers price 1, accepts a price <= 2 (u >= .75).
  // Seller A: offers 5, 4, 3, 2, ... (one step a turn), accepts u >= .5.
  // Seller B: offers 5, 5, 4, 4, ..., accepts u >= .5. The buyer opens.
  //  k=0 buyer offers 1 to both (no seller offer yet: no quote).
  //  k=1 both reject 1; A offers 5, B offers 5.
  //  k=2 buyer rejects both; A's 5 is worth 0 to the buyer, B's 5 too: no
  //      rival beats the own offer, no quote; offers 1 to both.
  //  k=3 A offers 4; B offers 5.
  //  k=4 thread A: B's 5 (0) does not beat A's 4 (.25). Thread B: A's 4
  //      (.25) beats B's 5 (0): quote 1, round 2, A's price 4, cited to B.
  //  k=5 A offers 3; B (shown the rival price 4) offers 4.
  //  k=6 thread A: B's 4 (.25) < A's 3 (.5). Thread B: A's 3 (.5) beats B's 4
  //      (.25) and the .25 cited before: quote 2, round 3, price 3.
  //  k=7 A offers 2; B offers 4.
  //  k=8 the buyer accepts A's 2 (.75); B's thread is still open: A wins,
  //      B is lost to a rival. Buyer .75, seller A .25.
  std::vector<scenario> scs = {price_scenario(), price_scenario()};
  std::vector<const scenario *> sp = {&scs[0], &scs[1]};
  scripted buyer_a({0}, 0.75), buyer_b({0}, 0.75);
  scripted seller_a({4, 3, 2, 1, 0}, 0.5), seller_b({4, 4, 3, 3, 2, 2}, 0.5);
  rfp_options opt;
  opt.rounds = 5;
  opt.close = rfp_close::first_acceptable;
  const auto r = run_rfp(sp, {&buyer_a, &buyer_b}, {&seller_a, &seller_b}, opt);
  BOOST_TEST(r.winner == 0);
  BOOST_TEST(r.outcome == 1u); // price 2
  BOOST_TEST(r.u_buyer == 0.75);
  BOOST_TEST(r.first_quote_round == 4);
  BOOST_TEST(r.u_first == 0.75);
  BOOST_TEST((r.threads[0].status == rfp_status::won));
  BOOST_TEST((r.threads[1].status == rfp_status::lost_to_rival));
  BOOST_TEST(r.threads[0].u_seller == 0.25);
  BOOST_TEST(r.threads[1].u_seller == 0.0); // its reservation
  BOOST_REQUIRE(r.quotes.size() == 2u);
  BOOST_TEST(r.quotes[0].round == 2u);
  BOOST_TEST(r.quotes[0].to == 1u);
  BOOST_TEST(r.quotes[0].from == 0u);
  BOOST_TEST(r.quotes[0].price == 4.0);
  BOOST_TEST(r.quotes[0].buyer_utility == 0.25);
  BOOST_TEST(r.quotes[1].round == 3u);
  BOOST_TEST(r.quotes[1].price == 3.0);
  BOOST_TEST(r.threads[1].quotes_received == 2u);
  BOOST_TEST(r.threads[0].quotes_received == 0u);
  // Seller B saw the rival prices at its later turns (k=5, 7: 4 then 3).
  BOOST_TEST(seller_b.seen == (std::vector<double>{4.0, 3.0}), tt::per_element());
  BOOST_TEST(seller_a.seen.empty());
  // The buyer's offers that carried a quote are tagged.
  std::size_t tagged = 0;
  for (const auto &o : r.trace)
    tagged += o.tag == offer_tag::competitor_quote;
  BOOST_TEST(tagged == 2u);
  // Seller B's ledger: proposal 5 (day 0), competitor_quote 4 (day 2),
  // competitor_quote 3 (day 3), deal_lost to a competitor (day 5).
  ledger l;
  const auto n = append_rfp_events(l, sp, r, {7, 1, 0.0, 1.0, 1.0});
  BOOST_TEST(n == 4u);
  BOOST_TEST(l.kinds()[0] == static_cast<std::uint8_t>(event_kind::proposal));
  BOOST_TEST(l.amounts()[0] == 5.0);
  BOOST_TEST(l.kinds()[1] == static_cast<std::uint8_t>(event_kind::competitor_quote));
  BOOST_TEST(l.amounts()[1] == 4.0);
  BOOST_TEST(l.times()[1] == 2.0);
  BOOST_TEST(l.kinds()[2] == static_cast<std::uint8_t>(event_kind::competitor_quote));
  BOOST_TEST(l.amounts()[2] == 3.0);
  BOOST_TEST(l.times()[2] == 3.0);
  BOOST_TEST(l.kinds()[3] == static_cast<std::uint8_t>(event_kind::deal_lost));
  BOOST_TEST(l.details()[3] == static_cast<std::int32_t>(loss_reason::competitor));
  // Seller A's ledger: proposal 5, then deal_won at price 2 (no quote cited to A).
  ledger la;
  BOOST_TEST(append_rfp_events(la, sp, r, {8, 0, 0.0, 1.0, 1.0}) == 2u);
  BOOST_TEST(la.kinds()[1] == static_cast<std::uint8_t>(event_kind::deal_won));
  BOOST_TEST(la.amounts()[1] == 2.0);
  // Without rival quotes nothing is cited; the same award.
  opt.rival_quotes = false;
  const auto q = run_rfp(sp, {&buyer_a, &buyer_b}, {&seller_a, &seller_b}, opt);
  BOOST_TEST(q.quotes.empty());
  BOOST_TEST(q.winner == 0);
  BOOST_TEST(seller_b.seen.empty());
}

BOOST_AUTO_TEST_CASE(rfp_price_matcher_answers_a_rival_quote) {
  // A boulware buyer against a conceder (A) and a price-matcher (B, floor
  // 2): the buyer cites A's offers to B, and B's matching offer is tagged.
  std::vector<scenario> scs = {price_scenario(), price_scenario()};
  std::vector<const scenario *> sp = {&scs[0], &scs[1]};
  auto b0 = boulware();
  auto b1 = boulware();
  auto a = conceder();
  price_matcher pm(2.0);
  rfp_options opt;
  opt.rounds = 20;
  const auto r = run_rfp(sp, {b0.get(), b1.get()}, {a.get(), &pm}, opt);
  BOOST_TEST(!r.quotes.empty());
  bool matched = false;
  for (const auto &o : r.trace)
    matched = matched || (o.seller == 1 && o.proposer == 1 && o.tag == offer_tag::price_match);
  BOOST_TEST(matched);
  BOOST_TEST(r.winner >= 0);
}

namespace {
// Price 100..200 (id = price - 100): buyer (party 0) 1 - (p - 100) / 100,
// seller (party 1) (p - 100) / 100, reservations as given.
scenario wide_price_scenario(double buyer_r, double seller_r) {
  outcome_space space({issue::integer("price", 100, 200)});
  Eigen::ArrayXd b(101), s(101);
  for (int i = 0; i <= 100; ++i) {
    b[i] = 1.0 - i / 100.0;
    s[i] = i / 100.0;
  }
  scenario sc(space, b, s, buyer_r, seller_r);
  sc.set_price_issue(0);
  return sc;
}
} // namespace

BOOST_AUTO_TEST_CASE(rfp_shopping_beats_closing_at_the_first_quote) {
  // Boulware buyer, seller A linear (reservation 0), seller B a price
  // matcher (floor 110, beats a quote by 5, reservation .1), 10 rounds. The
  // buyer cites A's offers to B, B's undercut comes a turn behind A's
  // concession, so at round 8 the buyer accepts A's 122 (.78) and, in the
  // same turn, B's 127. Closing there awards A at .78. Shopping, the buyer
  // holds A's 122, does not take B's worse 127, cites the held 122 to B and
  // asks B for 121 (the least that beats it), which B accepts: .79.
  auto sa = wide_price_scenario(0.0, 0.0), sb = wide_price_scenario(0.0, 0.1);
  std::vector<const scenario *> sp = {&sa, &sb};
  auto play = [&](rfp_close close) {
    auto b0 = boulware(), b1 = boulware();
    auto a = linear_concession();
    price_matcher pm(110.0, 5.0, 0.1);
    rfp_options o;
    o.rounds = 10;
    o.close = close;
    return run_rfp(sp, {b0.get(), b1.get()}, {a.get(), &pm}, o);
  };
  const auto first = play(rfp_close::first_acceptable);
  const auto shop = play(rfp_close::shop);
  BOOST_TEST(first.winner == 0);
  BOOST_TEST(first.outcome == 22u); // price 122
  BOOST_TEST(first.u_buyer == 0.78, tt::tolerance(1e-12));
  BOOST_TEST(shop.first_quote_round == first.first_quote_round);
  BOOST_TEST(shop.u_first == first.u_buyer);
  BOOST_TEST(shop.winner == 1);
  BOOST_TEST(shop.outcome == 21u); // price 121
  BOOST_TEST(shop.u_buyer > first.u_buyer);
  BOOST_TEST((shop.threads[0].status == rfp_status::lost_to_rival));
  BOOST_TEST((shop.threads[1].status == rfp_status::won));
  // The held quote was cited to B with its price.
  BOOST_REQUIRE(!shop.quotes.empty());
  const auto &held = shop.quotes.back();
  BOOST_TEST(held.held);
  BOOST_TEST(held.to == 1u);
  BOOST_TEST(held.from == 0u);
  BOOST_TEST(held.price == 122.0);
  for (std::size_t i = 0; i + 1 < shop.quotes.size(); ++i)
    BOOST_TEST(!shop.quotes[i].held);
  // No seller offered or agreed below its reservation.
  for (const auto &x : shop.trace)
    if (x.proposer == 1)
      BOOST_TEST(x.u_seller >= sp[x.seller]->reservation(1));
  BOOST_TEST(shop.threads[1].u_seller >= sb.reservation(1));
  // Ledger: B's last competitor_quote carries the held quote's price, then
  // deal_won at 121; A's thread ends deal_lost to a competitor.
  ledger lb, la;
  (void)append_rfp_events(lb, sp, shop, {1, 1, 0.0, 1.0, 1.0});
  (void)append_rfp_events(la, sp, shop, {2, 0, 0.0, 1.0, 1.0});
  double last_quote = 0.0;
  std::size_t quotes = 0;
  for (std::size_t i = 0; i < lb.size(); ++i)
    if (lb.kinds()[i] == static_cast<std::uint8_t>(event_kind::competitor_quote)) {
      last_quote = lb.amounts()[i];
      ++quotes;
    }
  BOOST_TEST(quotes == shop.threads[1].quotes_received);
  BOOST_TEST(last_quote == 122.0);
  BOOST_TEST(lb.kinds()[lb.size() - 1] == static_cast<std::uint8_t>(event_kind::deal_won));
  BOOST_TEST(lb.amounts()[lb.size() - 1] == 121.0);
  BOOST_TEST(la.kinds()[la.size() - 1] == static_cast<std::uint8_t>(event_kind::deal_lost));
  BOOST_TEST(la.details()[la.size() - 1] == static_cast<std::int32_t>(loss_reason::competitor));
}

BOOST_AUTO_TEST_CASE(rfp_shopping_is_never_worse_than_closing_first) {
  // Many RFPs, buyers and seeds: shopping plays the same turns up to the
  // first acceptable quote and only takes better ones after it.
  std::vector<scenario> scs;
  scs.reserve(4);
  for (int k = 0; k < 4; ++k)
    scs.push_back(wide_price_scenario(0.05 * k, 0.3 - 0.07 * k));
  auto con = conceder();
  auto lin = linear_concession();
  auto bou = boulware();
  auto rnd = std::make_unique<random_negotiator>(0.2);
  price_matcher pm(110.0, 3.0, 0.2), pm2(120.0, 0.0, 0.5);
  std::vector<rfp_setup> rfps = {{{&scs[0], &scs[1]}, {con.get(), &pm}},
                                 {{&scs[1], &scs[2], &scs[3]}, {lin.get(), &pm2, bou.get()}},
                                 {{&scs[0], &scs[3]}, {rnd.get(), &pm}},
                                 {{&scs[2], &scs[1], &scs[0]}, {&pm, lin.get(), &pm2}}};
  std::vector<const negotiator *> buyers = {bou.get(), lin.get(), con.get(), rnd.get()};
  std::vector<std::uint64_t> seeds(10);
  for (std::size_t i = 0; i < seeds.size(); ++i)
    seeds[i] = 3 * i + 1;
  rfp_options o;
  o.rounds = 12;
  o.close = rfp_close::first_acceptable;
  const auto first = run_rfp_batch(rfps, buyers, seeds, o, 1);
  o.close = rfp_close::shop;
  const auto shop = run_rfp_batch(rfps, buyers, seeds, o, 1);
  const auto shop2 = run_rfp_batch(rfps, buyers, seeds, o, 2);
  BOOST_REQUIRE(first.size() == shop.size());
  std::size_t better = 0, quoted = 0;
  for (std::size_t i = 0; i < shop.size(); ++i) {
    BOOST_TEST(shop[i].first_quote_round == first[i].first_quote_round);
    BOOST_TEST(shop[i].u_buyer >= first[i].u_buyer);
    if (first[i].winner >= 0) {
      ++quoted;
      BOOST_TEST(shop[i].u_first >= first[i].u_buyer);
    }
    better += shop[i].u_buyer > first[i].u_buyer;
    // the same rows on two threads
    BOOST_TEST(shop2[i].winner == shop[i].winner);
    BOOST_TEST(shop2[i].outcome == shop[i].outcome);
    BOOST_TEST(shop2[i].u_buyer == shop[i].u_buyer);
    BOOST_TEST(shop2[i].quotes == shop[i].quotes);
    BOOST_TEST(shop2[i].rounds == shop[i].rounds);
  }
  BOOST_TEST(quoted > 0u);
  BOOST_TEST(better > 0u);
}

BOOST_AUTO_TEST_CASE(batches_are_the_same_on_one_and_two_threads) {
  std::vector<scenario> scs = {price_scenario(0.1, 0.1), price_scenario(0.0, 0.2),
                               price_scenario(0.2, 0.0)};
  auto con = conceder();
  auto bou = boulware();
  price_matcher pm(2.0);
  std::vector<rfp_setup> rfps = {{{&scs[0], &scs[1]}, {con.get(), &pm}},
                                 {{&scs[0], &scs[1], &scs[2]}, {con.get(), bou.get(), &pm}}};
  auto lin = linear_concession();
  std::vector<const negotiator *> buyers = {bou.get(), lin.get()};
  std::vector<std::uint64_t> seeds(40);
  for (std::size_t i = 0; i < seeds.size(); ++i)
    seeds[i] = i;
  rfp_options opt;
  opt.rounds = 20;
  const auto one = run_rfp_batch(rfps, buyers, seeds, opt, 1);
  const auto two = run_rfp_batch(rfps, buyers, seeds, opt, 2);
  BOOST_REQUIRE(one.size() == std::size_t{2} * 2u * 40u);
  BOOST_REQUIRE(two.size() == one.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    BOOST_TEST(one[i].winner == two[i].winner);
    BOOST_TEST(one[i].outcome == two[i].outcome);
    BOOST_TEST(one[i].u_buyer == two[i].u_buyer);
    BOOST_TEST(one[i].quotes == two[i].quotes);
    BOOST_TEST(one[i].rounds == two[i].rounds);
  }
  BOOST_TEST(one[0].rfp == 0u);
  BOOST_TEST(one.back().rfp == 1u);
  BOOST_TEST(one.back().seed == 39u);
  // Multilateral: random negotiators make the seed matter.
  outcome_space space({issue::integer("x", 0, 9), issue::integer("y", 0, 9)});
  std::vector<multilateral_scenario> ms;
  for (int k = 0; k < 3; ++k) {
    std::vector<Eigen::ArrayXd> u;
    for (int p = 0; p < 3; ++p) {
      Eigen::ArrayXd a(100);
      for (int i = 0; i < 100; ++i)
        a[i] = std::fmod(0.37 * (i + 1) * (p + 1) + 0.11 * k, 1.0);
      u.push_back(a);
    }
    ms.emplace_back(space, u, std::vector<double>{0.2, 0.2, 0.2});
  }
  std::vector<const multilateral_scenario *> mp = {&ms[0], &ms[1], &ms[2]};
  auto r0 = std::make_unique<random_negotiator>(0.3);
  auto r1 = conceder();
  auto r2 = std::make_unique<random_negotiator>(0.6);
  multilateral_options mo;
  mo.rounds = 15;
  const auto m1 = run_multilateral_batch(mp, {r0.get(), r1.get(), r2.get()}, seeds, mo, 1);
  const auto m2 = run_multilateral_batch(mp, {r0.get(), r1.get(), r2.get()}, seeds, mo, 2);
  BOOST_REQUIRE(m1.size() == std::size_t{3} * 40u);
  std::size_t agreements = 0;
  for (std::size_t i = 0; i < m1.size(); ++i) {
    BOOST_TEST((m1[i].status == m2[i].status));
    BOOST_TEST(m1[i].outcome == m2[i].outcome);
    BOOST_TEST(m1[i].offers == m2[i].offers);
    BOOST_TEST(m1[i].utilities == m2[i].utilities, tt::per_element());
    agreements += m1[i].status == session_status::agreement;
  }
  BOOST_TEST(agreements > 0u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_named) {
  outcome_space space({issue::integer("x", 0, 2)});
  BOOST_CHECK_THROW(multilateral_scenario(space, {arr({1, 0, 0})}), invalid_input);
  BOOST_CHECK_THROW(multilateral_scenario(space, {arr({1, 0, 0}), arr({0, 1, 0})}, {0.1}),
                    invalid_input);
  const multilateral_scenario sc(space, {arr({1, 0, 0}), arr({0, 1, 0})});
  auto a = boulware();
  BOOST_CHECK_THROW((void)run_multilateral_session(sc, {a.get()}), invalid_input);
  std::vector<const scenario *> none;
  BOOST_CHECK_THROW((void)run_rfp(none, {}, {}), invalid_input);
  auto s = price_scenario();
  rfp_options o;
  o.quote_margin = -1.0;
  BOOST_CHECK_THROW((void)run_rfp({&s}, {a.get()}, {a.get()}, o), invalid_input);
  auto field = [](const rfp_options &bad) {
    try {
      bad.validate();
    } catch (const invalid_input &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  rfp_options b1;
  b1.shop_rounds = 0;
  BOOST_TEST(field(b1).find("shop_rounds") != std::string::npos);
  b1.close = rfp_close::first_acceptable; // no shopping: no shop rounds needed
  BOOST_TEST(field(b1) == "no error");
  rfp_options b2;
  b2.close = static_cast<rfp_close>(7);
  BOOST_TEST(field(b2).find("close") != std::string::npos);
  rfp_options b3;
  b3.first = 2;
  BOOST_TEST(field(b3).find("first") != std::string::npos);
  rfp_options b4;
  b4.rounds = 0;
  BOOST_TEST(field(b4).find("rounds") != std::string::npos);
  BOOST_CHECK_THROW((void)run_rfp_batch({}, {}, {}, b2), invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
