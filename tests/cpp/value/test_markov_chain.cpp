#include <goodwill/value/markov_chain.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

BOOST_AUTO_TEST_SUITE(markov_chain)

using goodwill::event_kind;
using goodwill::fit_method;
using goodwill::markov_chain;
namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;

namespace {
std::vector<std::string> names(std::size_t k) {
  std::vector<std::string> s;
  for (std::size_t i = 0; i < k; ++i)
    s.push_back("s" + std::to_string(i + 1));
  return s;
}

// Pfeifer & Carraway (2000), "Modeling customer relationships as Markov
// chains", J. Interactive Marketing 14(2) 43–55: the recency example. A
// customer 1, 2, 3 or 4+ periods after the last purchase buys with
// probability p = (.30, .20, .05, 0); a buyer goes back to state 1, others
// move one state on; state 4 is absorbing (a former customer). Rewards
// R = (36, −4, −4, 0) (margin 40 − mailing cost 4 for a buyer; −4 for a
// mailed non-buyer), d = 0.2.
markov_chain pfeifer_carraway() {
  const double p[4] = {0.30, 0.20, 0.05, 0.0};
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(4, 4);
  for (Eigen::Index i = 0; i < 4; ++i) {
    m(i, 0) += p[i];
    m(i, std::min<Eigen::Index>(i + 1, 3)) += 1.0 - p[i];
  }
  return markov_chain(m, names(4));
}
Eigen::VectorXd pc_rewards() {
  return Eigen::Vector4d(36.0, -4.0, -4.0, 0.0);
}
} // namespace

BOOST_AUTO_TEST_CASE(pfeifer_carraway_infinite_horizon) {
  // The paper's figure: V = (50.44, 3.14, −1.90, 0), to the cent.
  const auto v = pfeifer_carraway().customer_value(pc_rewards(), 0.2);
  BOOST_TEST(std::abs(v(0) - 50.44) < 0.005);
  BOOST_TEST(std::abs(v(1) - 3.14) < 0.005);
  BOOST_TEST(std::abs(v(2) - (-1.90)) < 0.005);
  BOOST_TEST(v(3) == 0.0);
}

BOOST_AUTO_TEST_CASE(finite_horizon_sums_the_series) {
  const auto mc = pfeifer_carraway();
  const auto r = pc_rewards();
  // T = 0: this period's reward only; T = 1: R + P R / 1.2 (by hand:
  // state 1: 36 + (0.3·36 + 0.7·(−4))/1.2 = 36 + 8/1.2).
  BOOST_TEST((mc.customer_value(r, 0.2, 0) - r).norm() == 0.0);
  const auto v1 = mc.customer_value(r, 0.2, 1);
  BOOST_TEST(v1(0) == 36.0 + 8.0 / 1.2, tt::tolerance(1e-12));
  BOOST_TEST(v1(1) == -4.0 + (0.2 * 36.0 + 0.8 * -4.0) / 1.2, tt::tolerance(1e-12));
  // a long horizon converges to the infinite one
  const auto inf = mc.customer_value(r, 0.2);
  BOOST_TEST((mc.customer_value(r, 0.2, 400) - inf).norm() < 1e-9);
  BOOST_CHECK_THROW((void)mc.customer_value(r, 0.0), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)mc.customer_value(Eigen::Vector3d(1, 2, 3), 0.2),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW((void)mc.customer_value(r, -1.0, 5), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(policy_change_stops_serving_a_state) {
  // Stop mailing customers 3 periods after their last purchase: they no
  // longer buy or cost anything and become former customers next period.
  // By hand: V3 = 0, V2 = −4 + 0.2 V1 / 1.2, V1 = 36 + (0.3 V1 + 0.7 V2) / 1.2
  // => V1 = 2424/47, V2 = 216/47 (up from 50.44 and 3.14: state 3 lost money).
  const auto mc = pfeifer_carraway();
  const auto changed = mc.without_state(2, Eigen::Index{3});
  const auto v = changed.customer_value(pc_rewards(), 0.2);
  BOOST_TEST(v(0) == 2424.0 / 47.0, tt::tolerance(1e-12));
  BOOST_TEST(v(1) == 216.0 / 47.0, tt::tolerance(1e-12));
  BOOST_TEST(v(2) == 0.0);
  BOOST_TEST(changed.unserved()[2] == 1);
  BOOST_TEST(changed.transition_matrix()(2, 3) == 1.0);
  // without a target the state becomes absorbing
  const auto kept = mc.without_state(2);
  BOOST_TEST(kept.transition_matrix()(2, 2) == 1.0);
  BOOST_TEST(kept.absorbing_states().size() == 2u);
  BOOST_CHECK_THROW((void)mc.without_state(7), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(structure_of_the_recency_chain) {
  const auto mc = pfeifer_carraway();
  BOOST_TEST(mc.absorbing_states() == (std::vector<Eigen::Index>{3}), tt::per_element());
  BOOST_TEST(mc.transient_states() == (std::vector<Eigen::Index>{0, 1, 2}), tt::per_element());
  BOOST_TEST(!mc.is_irreducible());
  const auto b = mc.absorption_probabilities();
  BOOST_TEST(b.rows() == 3);
  for (Eigen::Index i = 0; i < 3; ++i)
    BOOST_TEST(b(i, 0) == 1.0, tt::tolerance(1e-12));
  const auto ss = mc.steady_states();
  BOOST_TEST(ss.rows() == 1);
  BOOST_TEST(ss(0, 3) == 1.0);
  // t = 1 + Q t on the transient states
  const auto t = mc.mean_absorption_time();
  const auto &p = mc.transition_matrix();
  for (Eigen::Index i = 0; i < 3; ++i)
    BOOST_TEST(t(i) == 1.0 + p(i, 0) * t(0) + p(i, 1) * t(1) + p(i, 2) * t(2),
               tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(gamblers_ruin) {
  // Fair gambler's ruin on 0..4 (Feller, An Introduction to Probability
  // Theory, vol. I, XIV.2–3): from i, ruin at 4 with probability i/4 and the
  // expected duration is i(4 − i).
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(5, 5);
  m(0, 0) = m(4, 4) = 1.0;
  for (Eigen::Index i = 1; i < 4; ++i)
    m(i, i - 1) = m(i, i + 1) = 0.5;
  const markov_chain mc(m, names(5));
  BOOST_TEST(mc.absorbing_states() == (std::vector<Eigen::Index>{0, 4}), tt::per_element());
  const auto b = mc.absorption_probabilities();
  const auto t = mc.mean_absorption_time();
  for (Eigen::Index i = 1; i < 4; ++i) {
    BOOST_TEST(b(i - 1, 1) == static_cast<double>(i) / 4.0, tt::tolerance(1e-12));
    BOOST_TEST(b(i - 1, 0) == 1.0 - static_cast<double>(i) / 4.0, tt::tolerance(1e-12));
    BOOST_TEST(t(i - 1) == static_cast<double>(i * (4 - i)), tt::tolerance(1e-12));
  }
  const auto ss = mc.steady_states();
  BOOST_TEST(ss.rows() == 2);
  BOOST_TEST(ss(0, 0) == 1.0);
  BOOST_TEST(ss(1, 4) == 1.0);
  // first passage: 4 is not reached for sure from 1..3, never from 0
  const auto mfp = mc.mean_first_passage_time();
  BOOST_TEST(std::isinf(mfp(1, 4)));
  BOOST_TEST(std::isinf(mfp(0, 4)));
  const auto rec = mc.mean_recurrence_time();
  BOOST_TEST(rec(0) == 1.0);
  BOOST_TEST(std::isinf(rec(2)));
}

BOOST_DATA_TEST_CASE(two_state_chain, bdata::make({0.1, 0.3, 0.9}) * bdata::make({0.2, 0.5, 1.0}),
                     a, b) {
  // [[1−a, a], [b, 1−b]]: π = (b, a)/(a + b), first passage 0→1 is
  // geometric with mean 1/a, recurrence times 1/π.
  Eigen::MatrixXd m(2, 2);
  m << 1 - a, a, b, 1 - b;
  const markov_chain mc(m, {"x", "y"});
  BOOST_TEST(mc.is_irreducible());
  const auto ss = mc.steady_states();
  BOOST_TEST(ss(0, 0) == b / (a + b), tt::tolerance(1e-12));
  BOOST_TEST(ss(0, 1) == a / (a + b), tt::tolerance(1e-12));
  const auto mfp = mc.mean_first_passage_time();
  BOOST_TEST(mfp(0, 1) == 1.0 / a, tt::tolerance(1e-12));
  BOOST_TEST(mfp(1, 0) == 1.0 / b, tt::tolerance(1e-12));
  BOOST_TEST(mfp(0, 0) == 0.0);
  const auto rec = mc.mean_recurrence_time();
  BOOST_TEST(rec(0) == (a + b) / b, tt::tolerance(1e-12));
  BOOST_TEST(rec(1) == (a + b) / a, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(mle_and_map_estimates) {
  Eigen::MatrixXd n(3, 3);
  n << 6, 3, 1, //
      0, 0, 0,  //
      2, 0, 2;
  const auto mle = markov_chain::fit(n, {"a", "b", "c"});
  const auto &p = mle.transition_matrix();
  BOOST_TEST(p(0, 0) == 0.6, tt::tolerance(1e-12));
  BOOST_TEST(p(0, 1) == 0.3, tt::tolerance(1e-12));
  BOOST_TEST(p(2, 2) == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(p(1, 1) == 1.0); // no data: absorbing, flagged
  BOOST_TEST(mle.unobserved()[1] == 1);
  BOOST_TEST(mle.unobserved()[0] == 0);
  // MAP with Dirichlet(2, 2, 2) rows: (n + 1)/(n_i + 3)
  const auto map =
      markov_chain::fit(n, {"a", "b", "c"}, fit_method::map, Eigen::MatrixXd::Constant(3, 3, 2.0));
  BOOST_TEST(map.transition_matrix()(0, 0) == 7.0 / 13.0, tt::tolerance(1e-12));
  BOOST_TEST(map.transition_matrix()(1, 2) == 1.0 / 3.0, tt::tolerance(1e-12));
  BOOST_TEST(map.transition_matrix()(2, 1) == 1.0 / 7.0, tt::tolerance(1e-12));
  // a flat prior gives the MLE
  const auto flat = markov_chain::fit(n, {"a", "b", "c"}, fit_method::map);
  BOOST_TEST((flat.transition_matrix() - p).norm() == 0.0);
  BOOST_CHECK_THROW((void)markov_chain::fit(n, {"a", "b", "c"}, fit_method::map,
                                            Eigen::MatrixXd::Constant(3, 3, 0.5)),
                    goodwill::invalid_input);
  Eigen::MatrixXd bad = n;
  bad(2, 0) = -1;
  BOOST_CHECK_THROW((void)markov_chain::fit(bad, {"a", "b", "c"}), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)markov_chain::fit(n, {"a", "b", "a"}), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)markov_chain::fit(n, {"a", "b"}), goodwill::invalid_input);
  Eigen::MatrixXd notstoch = Eigen::MatrixXd::Identity(2, 2);
  notstoch(0, 1) = 0.5;
  BOOST_CHECK_THROW(markov_chain(notstoch, {"x", "y"}), goodwill::invalid_input);
}

BOOST_DATA_TEST_CASE(map_intervals_in_closed_form, bdata::make({1, 4, 19}), count) {
  // Two states, counts (n, 0), flat Dirichlet(1, 1) prior: the posterior
  // marginal of P_00 is Beta(n + 1, 1), whose q-quantile is q^(1/(n+1)); that
  // of P_01 is Beta(1, n + 1), quantile 1 − (1 − q)^(1/(n+1)).
  const double n = count;
  Eigen::MatrixXd c(2, 2);
  c << n, 0, 1, 1;
  const auto mc = markov_chain::fit(c, {"x", "y"}, fit_method::map);
  const auto ci = mc.confidence_intervals(0.9);
  BOOST_TEST(ci.lower(0, 0) == std::pow(0.05, 1.0 / (n + 1)), tt::tolerance(1e-10));
  BOOST_TEST(ci.upper(0, 0) == std::pow(0.95, 1.0 / (n + 1)), tt::tolerance(1e-10));
  BOOST_TEST(ci.lower(0, 1) == 1.0 - std::pow(0.95, 1.0 / (n + 1)), tt::tolerance(1e-10));
  BOOST_TEST(ci.upper(0, 1) == 1.0 - std::pow(0.05, 1.0 / (n + 1)), tt::tolerance(1e-10));
}

BOOST_AUTO_TEST_CASE(jeffreys_intervals) {
  Eigen::MatrixXd c(3, 3);
  c << 5, 15, 0, //
      0, 0, 0,   //
      7, 0, 0;
  const auto mc = markov_chain::fit(c, {"a", "b", "c"});
  const auto ci = mc.confidence_intervals(0.95);
  // x = 0: lower end 0; x = n: upper end 1 (Brown, Cai & DasGupta 2001)
  BOOST_TEST(ci.lower(0, 2) == 0.0);
  BOOST_TEST(ci.upper(2, 0) == 1.0);
  BOOST_TEST(std::isnan(ci.lower(1, 1))); // no data
  // symmetry: the interval of 5/20 mirrors that of 15/20
  BOOST_TEST(ci.lower(0, 0) == 1.0 - ci.upper(0, 1), tt::tolerance(1e-10));
  BOOST_TEST(ci.upper(0, 0) == 1.0 - ci.lower(0, 1), tt::tolerance(1e-10));
  BOOST_TEST(ci.lower(0, 0) < 0.25);
  BOOST_TEST(ci.upper(0, 0) > 0.25);
  // a wider level gives a wider interval
  const auto ci99 = mc.confidence_intervals(0.99);
  BOOST_TEST(ci99.lower(0, 0) < ci.lower(0, 0));
  BOOST_TEST(ci99.upper(0, 0) > ci.upper(0, 0));
  BOOST_CHECK_THROW((void)mc.confidence_intervals(1.0), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)pfeifer_carraway().confidence_intervals(), goodwill::not_fitted);
}

BOOST_AUTO_TEST_CASE(counts_per_period_from_a_replay) {
  // a --meeting--> b --deal_won [deals_won >= 2]--> c ; * --churn--> a
  const auto model = goodwill::relationship_model::from_json_string(
      R"({"states": ["a", "b", "c"], "initial": "a",
          "transitions": [{"from": "a", "on": "meeting", "to": "b"},
                          {"from": "b", "on": "deal_won", "to": "c", "guard": "deals_won >= 2"},
                          {"from": "*", "on": "churn", "to": "a"}]})");
  goodwill::ledger l;
  l.append(0, 1, event_kind::meeting);
  l.append(0, 5, event_kind::deal_won, 100);
  l.append(0, 9, event_kind::deal_won, 100);
  l.append(1, 2, event_kind::meeting);
  l.append(1, 3, event_kind::churn);
  l.append(2, 14, event_kind::proposal, 10);
  const auto r = goodwill::replay(model, l);
  // boundaries 0, 4, 8, 12, 16. Customer 0: a b b c c; customer 1: a a a a a;
  // customer 2 arrives at 14, counted from 12: a a.
  const auto c = goodwill::period_transition_counts(r, l, 4.0, 0.0, 16.0);
  Eigen::MatrixXd want(3, 3);
  want << 5, 1, 0, //
      0, 1, 1,     //
      0, 0, 1;
  BOOST_TEST((c - want).norm() == 0.0);
  // the jump chain counts changes only
  const auto jumps = r.transition_counts();
  BOOST_TEST(jumps(0, 1) == 2.0);
  BOOST_TEST(jumps(1, 0) == 1.0);
  BOOST_TEST(jumps(1, 2) == 1.0);
  BOOST_CHECK_THROW((void)goodwill::period_transition_counts(r, l, 0.0, 0.0, 16.0),
                    goodwill::invalid_input);
  goodwill::replay_options nolog;
  nolog.keep_log = false;
  BOOST_CHECK_THROW(
      (void)goodwill::period_transition_counts(
          goodwill::replay(model, l, goodwill::trust_params::defaults(), nolog), l, 4.0, 0.0, 16.0),
      goodwill::invalid_state);
}

// Properties over random chains: rows sum to 1 after fitting, the steady
// state is a fixed point, the infinite-horizon value solves V = R + P V/(1+d).
BOOST_DATA_TEST_CASE(random_chain_properties, bdata::make({1, 2, 3, 4, 5}), seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  std::uniform_int_distribution<int> cnt(0, 9);
  const Eigen::Index k = 2 + seed;
  Eigen::MatrixXd c(k, k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j)
      c(i, j) = 1 + cnt(rng); // irreducible
  const auto mc = markov_chain::fit(c, names(static_cast<std::size_t>(k)));
  const auto &p = mc.transition_matrix();
  for (Eigen::Index i = 0; i < k; ++i)
    BOOST_TEST(p.row(i).sum() == 1.0, tt::tolerance(1e-12));
  const auto ss = mc.steady_states();
  BOOST_REQUIRE(ss.rows() == 1);
  BOOST_TEST((ss * p - ss).norm() < 1e-12);
  const auto rec = mc.mean_recurrence_time();
  for (Eigen::Index i = 0; i < k; ++i)
    BOOST_TEST(rec(i) == 1.0 / ss(0, i), tt::tolerance(1e-9));
  Eigen::VectorXd r = Eigen::VectorXd::LinSpaced(k, -5.0, 20.0);
  const auto v = mc.customer_value(r, 0.1);
  BOOST_TEST((v - (r + p * v / 1.1)).norm() < 1e-9);
}

BOOST_AUTO_TEST_CASE(horizons_are_bounded_up_front) {
  const auto mc = pfeifer_carraway();
  const auto r = pc_rewards();
  try {
    (void)mc.customer_value(r, 0.2, std::size_t{1'000'000'000'000});
    BOOST_FAIL("accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "horizon");
    BOOST_TEST(std::string(e.what()).find("1000000000000 periods") != std::string::npos);
  }
  BOOST_CHECK_THROW((void)mc.customer_value(r, 0.2, markov_chain::max_horizon + 1),
                    goodwill::invalid_input);
  BOOST_TEST(mc.customer_value(r, 0.2, 100'000).allFinite());
}

BOOST_AUTO_TEST_SUITE_END()
