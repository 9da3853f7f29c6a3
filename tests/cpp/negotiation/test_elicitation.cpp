// Tests of negotiation/elicitation.hpp: partial profiles, the value of a
// question, the eliciting negotiator and the blind-vs-eliciting batch.
#include <goodwill/detail/random.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/elicitation.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(elicitation)

namespace tt = boost::test_tools;
using goodwill::elicitation_options;
using goodwill::elicitation_policy;
using goodwill::issue;
using goodwill::linear_additive_utility;
using goodwill::partial_profile;

namespace {
// Three issues (5 x 4 x 6 = 120 outcomes), seller tables drawn from a
// counter stream, the buyer's drawn from the same stream, with other weights.
struct sale {
  goodwill::outcome_space space;
  linear_additive_utility seller, buyer;
  goodwill::scenario sc;
};
sale make_sale() {
  std::vector<issue> is;
  const std::vector<std::size_t> m{5, 4, 6};
  for (std::size_t i = 0; i < m.size(); ++i) {
    std::vector<std::string> labels;
    for (std::size_t j = 0; j < m[i]; ++j)
      labels.push_back("v" + std::to_string(j));
    is.push_back(issue::categorical("i" + std::to_string(i), labels));
  }
  goodwill::outcome_space space(is);
  goodwill::detail::counter_stream s(7, 1);
  std::vector<std::vector<double>> ts, tb;
  for (auto k : m) {
    std::vector<double> a(k), b(k);
    for (std::size_t j = 0; j < k; ++j) {
      a[j] = goodwill::detail::u01(s);
      b[j] = goodwill::detail::u01(s);
    }
    ts.push_back(a);
    tb.push_back(b);
  }
  auto seller = linear_additive_utility::from_tables(space, {0.5, 0.3, 0.2}, ts, 0.1);
  auto buyer = linear_additive_utility::from_tables(space, {0.2, 0.3, 0.5}, tb, 0.1);
  goodwill::scenario sc(seller, buyer, "sale");
  return {space, seller, buyer, sc};
}

// Midpoint-rule E[f(U)], U ~ uniform[lo, hi].
template <class F> double integrate(double lo, double hi, F f) {
  const int n = 200000;
  double s = 0.0;
  for (int i = 0; i < n; ++i)
    s += f(lo + (hi - lo) * (i + 0.5) / n);
  return s / n;
}
} // namespace

BOOST_AUTO_TEST_CASE(value_of_a_question_matches_integration) {
  for (double a : {-0.1, 0.2, 0.35, 0.6, 0.9}) {
    const double lo = 0.2, hi = 0.7;
    BOOST_TEST(goodwill::expected_shortfall(lo, hi, a) ==
                   integrate(lo, hi, [a](double u) { return std::max(a - u, 0.0); }),
               tt::tolerance(1e-6));
    BOOST_TEST(goodwill::expected_excess(lo, hi, a) ==
                   integrate(lo, hi, [a](double u) { return std::max(u - a, 0.0); }),
               tt::tolerance(1e-6));
  }
  // Weitzman's index: E[(U - z)^+] = c, inside and below the interval.
  for (double c : {0.001, 0.02, 0.2, 0.5}) {
    const double z = goodwill::weitzman_index_uniform(0.2, 0.7, c);
    BOOST_TEST(goodwill::expected_excess(0.2, 0.7, z) == c, tt::tolerance(1e-9));
  }
}

BOOST_AUTO_TEST_CASE(weight_intervals_bound_the_truth) {
  const auto s = make_sale();
  const auto truth = s.seller.evaluate_all();
  const auto p = partial_profile::from_weight_intervals(s.seller, {0.4, 0.2, 0.1}, {0.6, 0.5, 0.2});
  BOOST_TEST(p.size() == s.sc.size());
  BOOST_TEST(p.known_count() == 0u);
  for (goodwill::outcome_id o = 0; o < p.size(); ++o) {
    BOOST_TEST(p.lo(o) <= truth[static_cast<Eigen::Index>(o)] + 1e-12);
    BOOST_TEST(p.hi(o) >= truth[static_cast<Eigen::Index>(o)] - 1e-12);
  }
  // Exact weights: every outcome known, at its utility.
  const auto exact =
      partial_profile::from_weight_intervals(s.seller, s.seller.weights(), s.seller.weights());
  BOOST_TEST(exact.known_count() == s.sc.size());
  BOOST_TEST(exact.mean(17) == truth[17], tt::tolerance(1e-12));
  BOOST_CHECK_EXCEPTION(
      partial_profile::from_weight_intervals(s.seller, {0.4, 0.6, 0.1}, {0.6, 0.5, 0.2}),
      goodwill::invalid_input, [](const goodwill::invalid_input &e) {
        return std::string(e.what()).find("weight_hi") != std::string::npos &&
               std::string(e.what()).find('1') != std::string::npos;
      });
  BOOST_CHECK_THROW(partial_profile::from_weight_intervals(s.seller, {0.4, 0.2}, {0.6, 0.5}),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW(partial_profile({0.5, 0.2}, {0.6, 0.1}), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(ordering_spreads_bands_and_answers_bound_the_rest) {
  // 6 outcomes, 4 ranked (3 > 0 > 5 > 1) in [0, 1]: bands of 0.25.
  auto p = partial_profile::from_ordering(6, {3, 0, 5, 1}, 0.0, 1.0);
  BOOST_TEST(p.hi(3) == 1.0);
  BOOST_TEST(p.lo(3) == 0.75);
  BOOST_TEST(p.lo(0) == 0.5);
  BOOST_TEST(p.hi(1) == 0.25);
  BOOST_TEST(p.lo(1) == 0.0);
  BOOST_TEST(p.lo(2) == 0.0); // not ranked: the whole range
  BOOST_TEST(p.hi(2) == 1.0);
  // 0 answers 0.4: 3 is in [0.4, 1]; 5 and 1 share [0, 0.4] in two bands.
  p.reveal(0, 0.4);
  BOOST_TEST(p.known(0));
  BOOST_TEST(p.lo(3) == 0.4, tt::tolerance(1e-12));
  BOOST_TEST(p.hi(3) == 1.0);
  BOOST_TEST(p.hi(5) == 0.4, tt::tolerance(1e-12));
  BOOST_TEST(p.lo(5) == 0.2, tt::tolerance(1e-12));
  BOOST_TEST(p.hi(1) == 0.2, tt::tolerance(1e-12));
  BOOST_TEST(p.lo(1) == 0.0);
  BOOST_CHECK_THROW(partial_profile::from_ordering(6, {3, 0, 3}, 0.0, 1.0),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW(partial_profile::from_ordering(6, {9}, 0.0, 1.0), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(policies_ask_as_documented) {
  const auto s = make_sale();
  const auto prof =
      partial_profile::from_weight_intervals(s.seller, {0.35, 0.15, 0.05}, {0.65, 0.45, 0.35});
  auto opp = goodwill::boulware();
  goodwill::session_options so;
  so.rounds = 30;
  elicitation_options blind{elicitation_policy::blind};
  goodwill::eliciting_negotiator b(prof, blind);
  auto rb = goodwill::run_elicitation_session(s.sc, b, *opp, 0, so);
  BOOST_TEST(rb.questions.empty());
  BOOST_TEST(rb.net == rb.session.du1);

  elicitation_options full{elicitation_policy::full};
  full.cost = 0.001;
  goodwill::eliciting_negotiator f(prof, full);
  auto rf = goodwill::run_elicitation_session(s.sc, f, *opp, 0, so);
  BOOST_TEST(rf.questions.size() == s.sc.size());
  BOOST_TEST(rf.net == rf.session.du1 - 0.001 * static_cast<double>(s.sc.size()),
             tt::tolerance(1e-12));

  elicitation_options pan;
  pan.cost = 0.001;
  goodwill::eliciting_negotiator e(prof, pan);
  auto re = goodwill::run_elicitation_session(s.sc, e, *opp, 0, so);
  BOOST_TEST(!re.questions.empty());
  std::vector<char> asked(s.sc.size(), 0);
  for (const auto &q : re.questions) {
    BOOST_TEST(q.answer == s.sc.utility(0, q.outcome)); // the user's true utility
    BOOST_TEST(!asked[q.outcome]);                      // never the same outcome twice
    asked[q.outcome] = 1;
  }
  // A budget caps the questions.
  pan.max_questions = 2;
  goodwill::eliciting_negotiator e2(prof, pan);
  BOOST_TEST(goodwill::run_elicitation_session(s.sc, e2, *opp, 0, so).questions.size() <= 2u);

  // Each question is a discovery event in the ledger, before the close.
  goodwill::ledger l;
  goodwill::ledger_link link;
  link.customer = 3;
  const auto n = goodwill::append_elicitation_events(l, s.sc, re, link, 0.5);
  BOOST_TEST(n == l.size());
  std::size_t disc = 0;
  for (std::size_t i = 0; i < l.size(); ++i)
    if (l[i].kind == goodwill::event_kind::discovery) {
      ++disc;
      BOOST_TEST(l[i].amount == 0.5);
    }
  BOOST_TEST(disc == re.questions.size());
  link.we = 1;
  BOOST_CHECK_THROW(goodwill::append_elicitation_events(l, s.sc, re, link),
                    goodwill::invalid_input);
  elicitation_options bad;
  bad.cost = -1.0;
  BOOST_CHECK_THROW(goodwill::eliciting_negotiator(prof, bad), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(batch_eliciting_beats_blind_at_low_cost_and_not_at_high_cost) {
  const auto s = make_sale();
  auto opp = goodwill::boulware();
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t k = 0; k < 60; ++k)
    seeds.push_back(k);
  goodwill::session_options so;
  so.rounds = 30;
  std::vector<elicitation_options> pol(3);
  pol[0].policy = elicitation_policy::blind;
  pol[1].policy = elicitation_policy::pandora;
  pol[2].policy = elicitation_policy::full;
  for (auto &p : pol)
    p.cost = 0.001;
  const auto r1 = goodwill::run_elicitation_batch(s.sc, s.seller, 0, *opp, pol, seeds, 0.3, so, 1);
  const auto r2 = goodwill::run_elicitation_batch(s.sc, s.seller, 0, *opp, pol, seeds, 0.3, so, 2);
  BOOST_REQUIRE(r1.rows.size() == 3 * seeds.size());
  for (std::size_t i = 0; i < r1.rows.size(); ++i) {
    BOOST_TEST(r1.rows[i].net == r2.rows[i].net);
    BOOST_TEST(r1.rows[i].outcome == r2.rows[i].outcome);
    BOOST_TEST(r1.rows[i].questions == r2.rows[i].questions);
  }
  for (const auto &x : r1.summary)
    BOOST_TEST_MESSAGE(x.policy << " net " << x.mean_net << " u " << x.mean_u << " q "
                                << x.mean_questions << " diff " << x.diff << " [" << x.diff_lo
                                << "," << x.diff_hi << "] agree " << x.agreement_rate);
  const auto &pandora = r1.summary[1];
  BOOST_TEST(pandora.mean_questions > 0.0);
  BOOST_TEST(pandora.diff_lo > 0.0); // the paired interval excludes 0
  BOOST_TEST(pandora.net_lo <= pandora.mean_net);
  BOOST_TEST(pandora.net_hi >= pandora.mean_net);

  // At a cost of 0.5 a question is never worth it: pandora asks nothing and
  // plays as blind; full pays for every outcome.
  for (auto &p : pol)
    p.cost = 0.5;
  const auto hi = goodwill::run_elicitation_batch(s.sc, s.seller, 0, *opp, pol, seeds, 0.3, so, 2);
  BOOST_TEST(hi.summary[1].mean_questions == 0.0);
  BOOST_TEST(hi.summary[1].diff == 0.0);
  BOOST_TEST(hi.summary[2].diff_hi < 0.0);
  for (std::size_t k = 0; k < seeds.size(); ++k)
    BOOST_TEST(hi.rows[seeds.size() + k].net == hi.rows[k].net);

  BOOST_CHECK_THROW(goodwill::run_elicitation_batch(s.sc, s.buyer, 0, *opp, pol, seeds, 0.3, so),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW(goodwill::run_elicitation_batch(s.sc, s.seller, 0, *opp, pol, seeds, -0.1, so),
                    goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
