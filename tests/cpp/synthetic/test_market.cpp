#include <goodwill/synthetic/market.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(market)

using goodwill::archetype;
using goodwill::event_kind;
using goodwill::generate_market;
using goodwill::market_params;
namespace gd = goodwill::detail;

namespace {

std::string bytes_of(const goodwill::ledger &l) {
  std::ostringstream out;
  l.save(out);
  return out.str();
}

market_params small(std::uint32_t n, std::uint64_t seed = 7) {
  market_params p;
  p.customers = n;
  p.seed = seed;
  return p;
}

std::size_t code(event_kind k) {
  return static_cast<std::size_t>(k);
}

/// Event counts by archetype and kind, and customers by archetype.
struct tally {
  std::array<std::array<double, goodwill::event_kind_count>, goodwill::archetype_count> events{};
  std::array<double, goodwill::archetype_count> customers{};
  double per(archetype a, event_kind k) const {
    return events[static_cast<std::size_t>(a)][code(k)];
  }
  double count(archetype a) const { return customers[static_cast<std::size_t>(a)]; }
};

tally count(const goodwill::market &m) {
  tally t;
  for (auto a : m.archetypes)
    ++t.customers[static_cast<std::size_t>(a)];
  const auto c = m.events.customers();
  const auto k = m.events.kinds();
  for (std::size_t i = 0; i < c.size(); ++i)
    ++t.events[static_cast<std::size_t>(m.archetypes[c[i]])][k[i]];
  return t;
}

const goodwill::market &big() {
  static const goodwill::market m = [] {
    auto p = small(20000, 2024);
    p.threads = 2;
    return generate_market(p);
  }();
  return m;
}

} // namespace

// ---- the random toolkit (detail/random.hpp) ---------------------------------

BOOST_AUTO_TEST_CASE(philox_known_answer) {
  // Random123's known-answer vector for philox4x64-10 with zero counter and
  // key (kat_vectors in the Random123 distribution).
  gd::counter_stream s(0, 0, 0);
  BOOST_TEST(s.next() == 0x16554d9eca36314cull);
  BOOST_TEST(s.next() == 0xdb20fe9d672d0fdcull);
  BOOST_TEST(s.next() == 0xd7e772cee186176bull);
  BOOST_TEST(s.next() == 0x7e68b68aec7ba23bull);
  BOOST_TEST(s.words_drawn() == 4u);
}

BOOST_AUTO_TEST_CASE(streams_are_reproducible_and_independent) {
  gd::counter_stream a(1, 5), b(1, 5), c(1, 6), d(2, 5);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    BOOST_TEST(x == b.next());
    same_c += x == c.next();
    same_d += x == d.next();
  }
  BOOST_TEST(same_c == 0);
  BOOST_TEST(same_d == 0);
}

BOOST_AUTO_TEST_CASE(distributions_have_the_right_moments) {
  gd::counter_stream s(42, 0);
  const int n = 200000;
  double su = 0, lo = 1, hi = 0, se = 0, sz = 0, szz = 0, sp = 0, spp = 0, sq = 0, sqq = 0, sb = 0;
  for (int i = 0; i < n; ++i) {
    const double u = gd::u01(s);
    su += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    se += gd::exponential(s, 4.0);
    const double z = gd::normal(s);
    sz += z;
    szz += z * z;
    const double p = gd::poisson(s, 3.5);
    sp += p;
    spp += p * p;
    const double q = gd::poisson(s, 100.0);
    sq += q;
    sqq += q * q;
    sb += gd::bernoulli(s, 0.3) ? 1.0 : 0.0;
  }
  BOOST_TEST(lo >= 0.0);
  BOOST_TEST(hi < 1.0);
  BOOST_TEST(su / n == 0.5, boost::test_tools::tolerance(0.01));
  BOOST_TEST(se / n == 0.25, boost::test_tools::tolerance(0.01));
  BOOST_TEST(std::abs(sz / n) < 0.01);
  BOOST_TEST(szz / n == 1.0, boost::test_tools::tolerance(0.02));
  BOOST_TEST(sp / n == 3.5, boost::test_tools::tolerance(0.01));
  BOOST_TEST(spp / n - (sp / n) * (sp / n) == 3.5, boost::test_tools::tolerance(0.03));
  BOOST_TEST(sq / n == 100.0, boost::test_tools::tolerance(0.005));
  BOOST_TEST(sqq / n - (sq / n) * (sq / n) == 100.0, boost::test_tools::tolerance(0.03));
  BOOST_TEST(sb / n == 0.3, boost::test_tools::tolerance(0.02));
}

BOOST_AUTO_TEST_CASE(categorical_follows_weights_and_skips_zeros) {
  gd::counter_stream s(3, 0);
  const std::array<double, 4> w{0.0, 1.0, 0.0, 3.0};
  std::array<int, 4> hits{};
  for (int i = 0; i < 40000; ++i)
    ++hits[gd::categorical(s, w)];
  BOOST_TEST(hits[0] == 0);
  BOOST_TEST(hits[2] == 0);
  BOOST_TEST(hits[1] / 40000.0 == 0.25, boost::test_tools::tolerance(0.04));
}

// ---- the generator ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(names_round_trip) {
  BOOST_TEST(goodwill::to_string(archetype::win_lose_negotiator) == "win_lose_negotiator");
  BOOST_TEST(static_cast<int>(*goodwill::archetype_from_string("growing_account")) == 4);
  BOOST_TEST(!goodwill::archetype_from_string("whale").has_value());
}

BOOST_AUTO_TEST_CASE(same_seed_same_market) {
  const auto a = generate_market(small(500));
  const auto b = generate_market(small(500));
  BOOST_TEST(a.events.size() > 5000u);
  BOOST_TEST(bytes_of(a.events) == bytes_of(b.events));
  BOOST_TEST((a.archetypes == b.archetypes));
}

BOOST_AUTO_TEST_CASE(thread_count_does_not_change_a_byte) {
  auto p = small(5000); // three blocks of customers
  const auto one = generate_market(p);
  p.threads = 2;
  const auto two = generate_market(p);
  p.threads = 3;
  const auto three = generate_market(p);
  const auto ref = bytes_of(one.events);
  BOOST_TEST((ref == bytes_of(two.events)));
  BOOST_TEST((ref == bytes_of(three.events)));
  BOOST_TEST((one.archetypes == two.archetypes));
}

BOOST_AUTO_TEST_CASE(a_customer_does_not_depend_on_how_many_there_are) {
  const auto few = generate_market(small(100));
  const auto many = generate_market(small(3000));
  const auto n = few.events.size();
  BOOST_REQUIRE(many.events.size() > n);
  for (std::size_t i = 0; i < n; ++i)
    BOOST_TEST((few.events[i] == many.events[i]));
  BOOST_TEST(many.events[n].customer == 100u);
}

BOOST_AUTO_TEST_CASE(different_seeds_differ) {
  const auto a = generate_market(small(200, 1));
  const auto b = generate_market(small(200, 2));
  BOOST_TEST(bytes_of(a.events) != bytes_of(b.events));
}

BOOST_AUTO_TEST_CASE(ledger_is_valid_grouped_and_keyed) {
  auto p = small(3000);
  p.start_time = 1000.0;
  p.horizon_days = 700.0;
  const auto m = generate_market(p);
  const auto &l = m.events;
  BOOST_TEST(l.is_grouped());
  BOOST_TEST(l.customer_count() == 3000u);
  BOOST_TEST(m.archetypes.size() == 3000u);
  BOOST_TEST(static_cast<int>(l.key_kind()) ==
             static_cast<int>(goodwill::customer_key_kind::integer));
  for (std::int64_t i = 0; i < 3000; ++i)
    BOOST_TEST(l.integer_keys()[static_cast<std::size_t>(i)] == i);
  std::vector<char> has_events(3000, 0);
  for (std::size_t i = 0; i < l.size(); ++i) {
    const auto e = l[i];
    goodwill::ledger::validate(e.customer, e.time, static_cast<std::uint8_t>(e.kind), e.amount,
                               static_cast<std::int64_t>(i));
    BOOST_TEST_REQUIRE(e.time >= 1000.0);
    BOOST_TEST_REQUIRE(e.time < 1700.0);
    has_events[e.customer] = 1;
  }
  // Every customer starts with a lead (and at least one discovery).
  for (auto h : has_events)
    BOOST_TEST_REQUIRE(h == 1);
  const auto offsets = l.customer_offsets();
  for (std::size_t c = 0; c < 3000; ++c)
    BOOST_TEST_REQUIRE(static_cast<int>(l[offsets[c]].kind) == static_cast<int>(event_kind::lead));
  // Round trip through the binary format.
  std::istringstream in(bytes_of(l));
  BOOST_TEST(goodwill::ledger::load(in).size() == l.size());
}

BOOST_AUTO_TEST_CASE(validation_names_the_field) {
  auto check = [](market_params p, const std::string &field) {
    try {
      (void)generate_market(p);
      BOOST_ERROR("no error for " + field);
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST(e.field() == field);
    }
  };
  auto p = small(10);
  p.horizon_days = 0.0;
  check(p, "horizon_days");
  p.horizon_days = std::nan("");
  check(p, "horizon_days");
  p = small(10);
  p.start_time = std::numeric_limits<double>::infinity();
  check(p, "start_time");
  p = small(10);
  p.mix = {1.0, -0.5, 0.0, 0.0, 0.0};
  check(p, "mix");
  p.mix = {0.0, 0.0, 0.0, 0.0, 0.0};
  check(p, "mix");
  p.mix = {1.0, std::nan(""), 0.0, 0.0, 0.0};
  check(p, "mix");
  p.mix = {1.0, 1.0, 0.0, 0.0, 0.0};
  p.model.archetypes[3].win_prob = 1.5;
  check(p, "rfp_idea_taker.win_prob");
  p = small(10);
  p.threads = 0;
  check(p, "threads");
  p = small(0xFFFFFFFFu);
  check(p, "customers");
}

BOOST_AUTO_TEST_CASE(no_customers_no_events) {
  const auto m = generate_market(small(0));
  BOOST_TEST(m.events.size() == 0u);
  BOOST_TEST(m.archetypes.empty());
}

BOOST_AUTO_TEST_CASE(mix_weights_choose_archetypes) {
  auto p = small(8000);
  p.mix = {1.0, 3.0, 0.0, 0.0, 0.0};
  const auto m = generate_market(p);
  const auto t = count(m);
  BOOST_TEST(t.count(archetype::win_lose_negotiator) == 0.0);
  BOOST_TEST(t.count(archetype::growing_account) == 0.0);
  BOOST_TEST(t.count(archetype::rfp_idea_taker) == 0.0);
  BOOST_TEST(t.count(archetype::loyal_partner) / 8000.0 == 0.25,
             boost::test_tools::tolerance(0.06));
  p.mix = {0.0, 0.0, 0.0, 0.0, 2.5};
  for (auto a : generate_market(p).archetypes)
    BOOST_TEST_REQUIRE(static_cast<int>(a) == static_cast<int>(archetype::growing_account));
}

BOOST_AUTO_TEST_CASE(progress_reaches_the_total) {
  auto p = small(5000);
  p.threads = 2;
  std::vector<std::size_t> seen;
  (void)generate_market(p, [&](std::size_t done, std::size_t total) {
    BOOST_TEST(total == 5000u);
    seen.push_back(done);
  });
  BOOST_REQUIRE(!seen.empty());
  BOOST_TEST(seen.back() == 5000u);
  BOOST_TEST(std::is_sorted(seen.begin(), seen.end()));
}

BOOST_AUTO_TEST_CASE(an_error_in_a_worker_reaches_the_caller) {
  auto p = small(9000); // five blocks, three threads: the error must not hang
  p.threads = 3;
  std::size_t calls = 0;
  BOOST_CHECK_THROW((void)generate_market(p,
                                          [&](std::size_t, std::size_t) {
                                            if (++calls == 2)
                                              throw std::runtime_error("stop");
                                          }),
                    std::runtime_error);
  BOOST_TEST(calls == 2u);
}

// ---- the archetypes behave as the seeds describe -----------------------------

BOOST_AUTO_TEST_CASE(price_shoppers_get_prices_matched) {
  const auto t = count(big());
  const double shopper = t.per(archetype::price_shopper, event_kind::price_match) /
                         t.per(archetype::price_shopper, event_kind::proposal);
  const double loyal = t.per(archetype::loyal_partner, event_kind::price_match) /
                       t.per(archetype::loyal_partner, event_kind::proposal);
  // 80% quote x 75% match = 0.6 vs 15% x 30% = 0.045 per deal (at list).
  BOOST_TEST(shopper > 0.45);
  BOOST_TEST(loyal < 0.08);
  BOOST_TEST(shopper > 5 * loyal);
}

BOOST_AUTO_TEST_CASE(loyal_partners_refer_and_keep_promises) {
  const auto t = count(big());
  const double years = 3.0;
  const double loyal = t.per(archetype::loyal_partner, event_kind::referral_given) /
                       t.count(archetype::loyal_partner) / years;
  const double shopper = t.per(archetype::price_shopper, event_kind::referral_given) /
                         t.count(archetype::price_shopper) / years;
  BOOST_TEST(loyal > 1.0);
  BOOST_TEST(loyal > 10 * shopper);
  auto broken_share = [&](archetype a) {
    return t.per(a, event_kind::promise_broken) /
           (t.per(a, event_kind::promise_broken) + t.per(a, event_kind::promise_kept));
  };
  BOOST_TEST(broken_share(archetype::loyal_partner) < 0.1);
  BOOST_TEST(broken_share(archetype::win_lose_negotiator) > 0.25);
}

BOOST_AUTO_TEST_CASE(negotiators_cut_scope_late_and_get_walked_away_from) {
  const auto t = count(big());
  auto per_deal = [&](archetype a, event_kind k) {
    return t.per(a, k) / t.per(a, event_kind::proposal);
  };
  BOOST_TEST(per_deal(archetype::win_lose_negotiator, event_kind::scope_change) > 0.35);
  BOOST_TEST(per_deal(archetype::loyal_partner, event_kind::scope_change) < 0.1);
  BOOST_TEST(per_deal(archetype::win_lose_negotiator, event_kind::walk_away) >
             5 * per_deal(archetype::loyal_partner, event_kind::walk_away));
  BOOST_TEST(t.per(archetype::win_lose_negotiator, event_kind::fire) > 0.0);
  BOOST_TEST(t.per(archetype::loyal_partner, event_kind::fire) == 0.0);
  // Scope changes are cuts: negative amounts.
  const auto &l = big().events;
  for (std::size_t i = 0; i < l.size(); ++i)
    if (l.kinds()[i] == code(event_kind::scope_change))
      BOOST_TEST_REQUIRE(l.amounts()[i] < 0.0);
}

BOOST_AUTO_TEST_CASE(growing_accounts_grow) {
  const auto &m = big();
  const auto &l = m.events;
  double first = 0, first_n = 0, last = 0, last_n = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (m.archetypes[l.customers()[i]] != archetype::growing_account ||
        l.kinds()[i] != code(event_kind::proposal))
      continue;
    if (l.times()[i] < 365.0) {
      first += l.amounts()[i];
      ++first_n;
    } else if (l.times()[i] >= 2 * 365.0) {
      last += l.amounts()[i];
      ++last_n;
    }
  }
  BOOST_REQUIRE(first_n > 100);
  BOOST_REQUIRE(last_n > 100);
  // 80% a year: about 1.8^2 = 3.2 between the first and the last year.
  BOOST_TEST(last / last_n > 2.0 * first / first_n);
}

BOOST_AUTO_TEST_CASE(shoppers_churn_more_and_some_return) {
  const auto t = count(big());
  const double shopper =
      t.per(archetype::price_shopper, event_kind::churn) / t.count(archetype::price_shopper);
  const double loyal =
      t.per(archetype::loyal_partner, event_kind::churn) / t.count(archetype::loyal_partner);
  BOOST_TEST(shopper > 3 * loyal);
  BOOST_TEST(t.per(archetype::price_shopper, event_kind::returned) > 0.0);
}

BOOST_AUTO_TEST_CASE(matching_prices_costs_margin) {
  // Margins of won deals preceded (within the deal) by a price match are lower.
  const auto &l = big().events;
  double matched = 0, matched_n = 0, plain = 0, plain_n = 0;
  bool saw_match = false;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const auto k = l.kinds()[i];
    if (k == code(event_kind::proposal))
      saw_match = false;
    else if (k == code(event_kind::price_match))
      saw_match = true;
    else if (k == code(event_kind::deal_won)) {
      (saw_match ? matched : plain) += l.details()[i];
      ++(saw_match ? matched_n : plain_n);
    }
  }
  BOOST_REQUIRE(matched_n > 100);
  BOOST_TEST(matched / matched_n < plain / plain_n - 500.0); // 5 points or more
}

BOOST_AUTO_TEST_CASE(loyal_partners_come_by_referral) {
  const auto &m = big();
  const auto &l = m.events;
  const auto offsets = l.customer_offsets();
  std::array<double, goodwill::archetype_count> warm{}, all{};
  for (std::size_t c = 0; c < m.archetypes.size(); ++c) {
    const auto e = l[offsets[c]]; // the first event is the first lead
    const auto a = static_cast<std::size_t>(m.archetypes[c]);
    ++all[a];
    warm[a] += e.detail == static_cast<std::int32_t>(goodwill::lead_source::warm_referral);
  }
  BOOST_TEST(warm[0] / all[0] == 0.6, boost::test_tools::tolerance(0.08));
  BOOST_TEST(warm[1] / all[1] < 0.1);
}

BOOST_AUTO_TEST_CASE(density_is_documented) {
  // The header comment promises roughly 25-35 events per customer-year for
  // the default mix over three years; the integrator sizes benchmarks by it.
  const auto &m = big();
  const double per_year = static_cast<double>(m.events.size()) / 20000.0 / 3.0;
  BOOST_TEST(per_year > 22.0);
  BOOST_TEST(per_year < 35.0);
}

BOOST_AUTO_TEST_SUITE_END()
