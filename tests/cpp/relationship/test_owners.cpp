#include <goodwill/relationship/owners.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

BOOST_AUTO_TEST_SUITE(owners)

using goodwill::event;
using goodwill::event_kind;
using goodwill::ledger;
using goodwill::no_rep;

BOOST_AUTO_TEST_CASE(majority_owner_and_no_majority) {
  ledger l;
  const auto ann = l.intern_rep("Ann");
  const auto bob = l.intern_rep("Bob");
  const auto cy = l.intern_rep("Cy");
  // customer 0: Ann 3 of 4 deals -> owner Ann, 75%
  l.append(event{0, 10.0, event_kind::deal_won, 1.0, 0, ann});
  l.append(event{0, 20.0, event_kind::deal_lost, 1.0, 0, ann});
  l.append(event{0, 30.0, event_kind::deal_won, 1.0, 0, bob});
  l.append(event{0, 40.0, event_kind::deal_won, 1.0, 0, ann});
  // non-deal events with a rep do not count
  l.append(event{0, 41.0, event_kind::meeting, 1.0, 0, bob});
  l.append(event{0, 42.0, event_kind::opportunity, 1.0, 0, bob});
  l.append(event{0, 43.0, event_kind::proposal, 1.0, 0, bob});
  // customer 1: Ann 2, Bob 2, Cy 1 of 5 -> no owner, top 40%, one tie
  for (const auto &[t, r] : std::vector<std::pair<double, goodwill::rep_id>>{
           {1.0, ann}, {2.0, bob}, {3.0, cy}, {4.0, ann}, {5.0, bob}})
    l.append(event{1, t, event_kind::deal_won, 1.0, 0, r});
  // customer 2: exactly half (Ann 1 of 2) is not a majority
  l.append(event{2, 50.0, event_kind::deal_won, 1.0, 0, ann});
  l.append(event{2, 51.0, event_kind::deal_lost, 1.0, 0, cy});
  // customer 3: deals without a rep only
  l.append(3, 60.0, event_kind::deal_won, 1.0);
  // customer 4: no deals at all
  l.append(4, 100.0, event_kind::lead);

  const auto r = goodwill::account_owners(l);
  BOOST_REQUIRE(r.accounts.size() == 5u);
  BOOST_TEST(r.window_end == 100.0);
  BOOST_TEST(r.window_start == 100.0 - 365.0);

  const auto &a0 = r.accounts[0];
  BOOST_TEST(a0.owner == ann);
  BOOST_TEST(a0.top == ann);
  BOOST_TEST(a0.deals == 4u);
  BOOST_TEST(a0.top_deals == 3u);
  BOOST_TEST(a0.share == 0.75);
  BOOST_TEST(a0.tied == 0u);

  const auto &a1 = r.accounts[1];
  BOOST_TEST(!a1.has_owner());
  BOOST_TEST(a1.deals == 5u);
  BOOST_TEST(a1.top_deals == 2u);
  BOOST_TEST(a1.share == 0.4);
  BOOST_TEST(a1.tied == 1u);
  BOOST_TEST(a1.top == bob); // tie broken by the later latest deal (Bob at 5 vs Ann at 4)

  const auto &a2 = r.accounts[2];
  BOOST_TEST(!a2.has_owner());
  BOOST_TEST(a2.share == 0.5);
  BOOST_TEST(a2.top == cy); // tie: Cy's deal is later

  const auto &a3 = r.accounts[3];
  BOOST_TEST(!a3.has_owner());
  BOOST_TEST(a3.top == no_rep);
  BOOST_TEST(a3.deals == 0u);
  BOOST_TEST(a3.unattributed == 1u);
  BOOST_TEST(std::isnan(a3.share));

  const auto &a4 = r.accounts[4];
  BOOST_TEST(a4.deals == 0u);
  BOOST_TEST(a4.unattributed == 0u);
  BOOST_TEST(!a4.has_owner());
}

BOOST_AUTO_TEST_CASE(window_keeps_only_recent_deals) {
  ledger l;
  const auto ann = l.intern_rep("Ann");
  const auto bob = l.intern_rep("Bob");
  // Ann sold three deals long ago; Bob the two recent ones.
  for (double t : {0.0, 10.0, 20.0})
    l.append(event{0, t, event_kind::deal_won, 1.0, 0, ann});
  for (double t : {900.0, 1000.0})
    l.append(event{0, t, event_kind::deal_won, 1.0, 0, bob});
  const auto all = goodwill::account_owners(l, {.window_days = 5000.0});
  BOOST_TEST(all.accounts[0].owner == ann);
  BOOST_TEST(all.accounts[0].deals == 5u);
  const auto recent = goodwill::account_owners(l); // 365 days before t = 1000
  BOOST_TEST(recent.accounts[0].owner == bob);
  BOOST_TEST(recent.accounts[0].deals == 2u);
  BOOST_TEST(recent.accounts[0].share == 1.0);
  // the window's start is inclusive
  const auto edge = goodwill::account_owners(l, {.window_days = 100.0});
  BOOST_TEST(edge.accounts[0].deals == 2u);
}

BOOST_AUTO_TEST_CASE(out_of_order_rows_and_empty_ledger) {
  ledger l;
  const auto ann = l.intern_rep("Ann");
  const auto bob = l.intern_rep("Bob");
  l.append(event{1, 5.0, event_kind::deal_won, 1.0, 0, bob});
  l.append(event{0, 4.0, event_kind::deal_won, 1.0, 0, ann});
  l.append(event{1, 3.0, event_kind::deal_lost, 1.0, 0, bob});
  l.append(event{0, 2.0, event_kind::deal_lost, 1.0, 0, bob});
  l.append(event{1, 1.0, event_kind::deal_lost, 1.0, 0, ann});
  const auto r = goodwill::account_owners(l);
  BOOST_TEST(r.accounts[1].owner == bob);
  BOOST_TEST(r.accounts[1].top_deals == 2u);
  BOOST_TEST(!r.accounts[0].has_owner());
  BOOST_TEST(r.accounts[0].top == ann);

  const auto empty = goodwill::account_owners(ledger{});
  BOOST_TEST(empty.accounts.empty());
}

BOOST_AUTO_TEST_CASE(bad_window_is_named) {
  ledger l;
  for (double w : {0.0, -1.0, std::nan("")}) {
    try {
      (void)goodwill::account_owners(l, {.window_days = w});
      BOOST_FAIL("a bad window was accepted");
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST(e.field() == "window_days");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
