#include <goodwill/relationship/relationship_model.hpp>
#include <goodwill/relationship/replay.hpp>
#include <goodwill/relationship/trust_fit.hpp>
#include <goodwill/synthetic/trust_ledger.hpp>

#include <boost/test/unit_test.hpp>

#include "slow.hpp"

#include <cmath>
#include <map>
#include <string>

BOOST_AUTO_TEST_SUITE(trust_fit)

using goodwill::event_kind;
using goodwill::evidence_channel;
using goodwill::trust_params;

namespace {
std::size_t idx(evidence_channel c) {
  return static_cast<std::size_t>(c);
}

// A known truth: prior mean 0.4, half-life 120 days, responses and the
// effect of meetings on trust.
trust_params truth() {
  trust_params p;
  p.prior_alpha = 0.8;
  p.prior_beta = 1.2;
  p.half_life_days = 120.0;
  p.positive[idx(evidence_channel::won_at_list)] = 1.0;
  p.positive[idx(evidence_channel::won_after_concession)] = 0.6;
  p.negative[idx(evidence_channel::won_after_match)] = 0.8;
  p.negative[idx(evidence_channel::lost_on_price)] = 1.5;
  p.negative[idx(evidence_channel::lost_other)] = 0.5;
  p.negative[idx(evidence_channel::competitor_quote)] = 0.7;
  p.positive[idx(evidence_channel::referral)] = 2.0;
  p.positive[idx(evidence_channel::meeting)] = 0.3;
  return p;
}

std::map<std::string, double> truth_by_name() {
  return {{"prior_mean", 0.4},
          {"half_life_days", 120.0},
          {"won_at_list", 1.0},
          {"won_after_concession", 0.6},
          {"won_after_match", 0.8},
          {"lost_on_price", 1.5},
          {"lost_other", 0.5},
          {"competitor_quote", 0.7},
          {"referral", 2.0},
          {"trust_building_effort", 0.3},
          {"transactional_effort", 0.0}};
}

const goodwill::trust_fit_parameter &param(const goodwill::trust_fit_result &r,
                                           const std::string &name) {
  for (const auto &p : r.parameters)
    if (p.name == name)
      return p;
  BOOST_FAIL("no parameter " + name);
  return r.parameters.front();
}
} // namespace

BOOST_AUTO_TEST_CASE(recovers_known_weights_and_half_life_within_intervals, *GOODWILL_SLOW) {
  // Over 40 seeds (a fixed set), each 95% interval must cover the truth in
  // >= 90% of them.
  const auto tr = truth();
  const auto names = truth_by_name();
  std::map<std::string, int> covered;
  const int seeds = 40;
  for (int s = 0; s < seeds; ++s) {
    goodwill::trust_ledger_params gp;
    gp.customers = 800;
    gp.seed = 100 + static_cast<std::uint64_t>(s);
    const auto l = goodwill::synthetic_trust_ledger(tr, gp);
    goodwill::trust_fit_options opt;
    const auto r = goodwill::fit_trust(l, opt);
    BOOST_TEST(r.converged);
    for (const auto &[name, value] : names) {
      const auto &p = param(r, name);
      const bool in = p.lower <= value && value <= p.upper;
      covered[name] += in ? 1 : 0;
      if (!in)
        BOOST_TEST_MESSAGE(name << " seed " << s << ": " << p.estimate << " [" << p.lower << ", "
                                << p.upper << "]");
    }
    if (s == 0) {
      BOOST_TEST(param(r, "half_life_days").estimate == 120.0, boost::test_tools::tolerance(0.5));
      BOOST_TEST(param(r, "lost_on_price").estimate == 1.5, boost::test_tools::tolerance(0.5));
      // the fit predicts better than the portfolio rate out of sample
      BOOST_TEST(r.validation.beats_portfolio);
      BOOST_TEST(r.validation.scores[0].log_loss < r.validation.scores[1].log_loss);
      BOOST_TEST(r.validation.scores[0].auc > 0.6);
    }
  }
  for (const auto &[name, n] : covered)
    BOOST_TEST(n >= 36, name << " covered in " << n << " of " << seeds << " seeds");
}

BOOST_AUTO_TEST_CASE(null_data_give_small_weights_and_no_gain) {
  auto tr = truth();
  goodwill::trust_ledger_params gp;
  gp.customers = 3000;
  gp.null = true;
  gp.seed = 7;
  const auto l = goodwill::synthetic_trust_ledger(tr, gp);
  const auto r = goodwill::fit_trust(l);
  BOOST_TEST(!r.validation.beats_portfolio);
  for (const auto &p : r.parameters) {
    if (p.side.empty())
      continue;
    BOOST_TEST(p.lower < 0.1, p.name << " lower bound " << p.lower);
  }
  // AUC of the fit near 1/2 on data without signal
  BOOST_TEST(std::abs(r.validation.scores[0].auc - 0.5) < 0.05);
}

BOOST_AUTO_TEST_CASE(same_result_for_any_thread_count) {
  goodwill::trust_ledger_params gp;
  gp.customers = 5000;
  gp.seed = 3;
  const auto l = goodwill::synthetic_trust_ledger(truth(), gp);
  goodwill::trust_fit_options one, three;
  one.threads = 1;
  three.threads = 3;
  const auto a = goodwill::fit_trust(l, one), b = goodwill::fit_trust(l, three);
  BOOST_TEST(a.log_likelihood == b.log_likelihood);
  BOOST_TEST(a.iterations == b.iterations);
  for (std::size_t i = 0; i < a.parameters.size(); ++i) {
    BOOST_TEST(a.parameters[i].estimate == b.parameters[i].estimate);
    BOOST_TEST((std::isnan(a.parameters[i].std_error) == std::isnan(b.parameters[i].std_error)));
  }
}

BOOST_AUTO_TEST_CASE(a_customer_sample_fits_the_same_truth, *GOODWILL_SLOW) {
  // 6,000 customers, fitted on a sample of 1,500: the sample is exactly that
  // size, the same for any thread count, changes with the seed, and its 95%
  // intervals still cover the truth (wider than the full fit's)
  goodwill::trust_ledger_params gp;
  gp.customers = 6000;
  gp.seed = 21;
  const auto l = goodwill::synthetic_trust_ledger(truth(), gp);
  goodwill::trust_fit_options all, one, two, other;
  one.sample_customers = two.sample_customers = other.sample_customers = 1500;
  two.threads = 2;
  other.sample_seed = 99;
  const auto full = goodwill::fit_trust(l, all);
  const auto a = goodwill::fit_trust(l, one), b = goodwill::fit_trust(l, two);
  const auto c = goodwill::fit_trust(l, other);
  BOOST_TEST(full.sampled_from == 0u);
  BOOST_TEST(a.sampled_from == full.customers); // every customer here has deals before the split
  BOOST_TEST(a.customers <= 1500u);
  BOOST_TEST(a.customers >= 1400u); // a few have outcomes only after the split
  BOOST_TEST(a.outcomes < full.outcomes / 3);
  BOOST_TEST(a.log_likelihood == b.log_likelihood);
  BOOST_TEST(a.log_likelihood != c.log_likelihood);
  // 11 intervals of 95%: at least 9 cover the truth (3 or more misses has
  // probability ~1.5% for independent intervals)
  const auto names = truth_by_name();
  int covered = 0;
  for (const auto &[name, value] : names) {
    const auto &p = param(a, name), &q = param(full, name);
    const bool in = p.lower <= value && value <= p.upper;
    covered += in ? 1 : 0;
    if (!in)
      BOOST_TEST_MESSAGE(name << ": " << p.estimate << " [" << p.lower << ", " << p.upper << "]");
    BOOST_TEST(p.upper - p.lower >= q.upper - q.lower, name);
  }
  BOOST_TEST(covered >= 9);
  BOOST_TEST(a.validation.beats_portfolio);
  // more than the eligible customers: every customer, no sample
  goodwill::trust_fit_options big;
  big.sample_customers = 1000000;
  const auto d = goodwill::fit_trust(l, big);
  BOOST_TEST(d.sampled_from == 0u);
  BOOST_TEST(d.log_likelihood == full.log_likelihood);
  goodwill::trust_fit_options bad;
  bad.sample_customers = 1;
  BOOST_CHECK_THROW((void)goodwill::fit_trust(l, bad), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(contributions_sum_to_the_replayed_trust) {
  goodwill::trust_ledger_params gp;
  gp.customers = 200;
  gp.seed = 11;
  const auto l = goodwill::synthetic_trust_ledger(truth(), gp);
  const auto model = goodwill::relationship_selling();
  for (const auto &p : {trust_params::defaults(), truth()}) {
    const auto r = goodwill::replay(model, l, p);
    for (goodwill::customer_id c = 0; c < 200; ++c) {
      const auto parts = goodwill::trust_contributions(l, c, p);
      double sum = parts.prior;
      for (double v : parts.contribution)
        sum += v;
      BOOST_TEST(sum == r.trust[c], boost::test_tools::tolerance(1e-12));
      BOOST_TEST(parts.trust == r.trust[c], boost::test_tools::tolerance(1e-12));
      BOOST_TEST(parts.alpha == r.alpha[c], boost::test_tools::tolerance(1e-12));
    }
  }
  // hand-checked: prior Beta(1, 1), one won deal at list (+1 alpha) and a
  // price loss 10 days later (+1 beta), half-life 10: at t = 10,
  // alpha = 1 + 0.5, beta = 2: trust 1.5/3.5; contributions
  // (0.5 * 1 - 0) / (3.5 * 2) = 1/14 and (0 - 1 * 1) / 7 = -1/7
  goodwill::ledger one;
  one.append(goodwill::event{0, 0.0, event_kind::deal_won, 10.0, 0});
  one.append(goodwill::event{0, 10.0, event_kind::deal_lost, 10.0, 1});
  trust_params p;
  p.half_life_days = 10.0;
  p.positive[idx(evidence_channel::won_at_list)] = 1.0;
  p.negative[idx(evidence_channel::lost_on_price)] = 1.0;
  const auto parts = goodwill::trust_contributions(one, 0, p);
  BOOST_TEST(parts.contribution.size() == 2u);
  BOOST_TEST(parts.contribution[0] == 1.0 / 14.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(parts.contribution[1] == -1.0 / 7.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(parts.trust == 1.5 / 3.5, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(bad_input_gets_a_named_error) {
  auto field_of = [](auto &&f) -> std::string {
    try {
      f();
    } catch (const goodwill::invalid_input &e) {
      return e.field();
    }
    return "(accepted)";
  };
  goodwill::ledger meetings;
  for (goodwill::customer_id c = 0; c < 5; ++c)
    meetings.append(goodwill::event{c, 1.0, event_kind::meeting, 1.0, 0});
  BOOST_TEST(field_of([&] { (void)goodwill::fit_trust(meetings); }) == "target");
  goodwill::ledger single;
  for (int i = 0; i < 30; ++i)
    single.append(goodwill::event{0, double(i),
                                  i % 2 ? event_kind::deal_won : event_kind::deal_lost, 1.0, 0});
  BOOST_TEST(field_of([&] { (void)goodwill::fit_trust(single); }) == "ledger");
  goodwill::trust_ledger_params gp;
  gp.customers = 50;
  const auto l = goodwill::synthetic_trust_ledger(truth(), gp);
  goodwill::trust_fit_options opt;
  opt.split_time = 1e6;
  BOOST_TEST(field_of([&] { (void)goodwill::fit_trust(l, opt); }) == "split_time");
  opt.split_time = -5.0;
  BOOST_TEST(field_of([&] { (void)goodwill::fit_trust(l, opt); }) == "split_time");
  opt = {};
  opt.holdout_share = 1.5;
  BOOST_TEST(field_of([&] { (void)goodwill::fit_trust(l, opt); }) == "holdout_share");
  opt = {};
  opt.target = goodwill::trust_target::purchases;
  BOOST_TEST(field_of([&] { (void)goodwill::fit_trust(l, opt); }) == "target");
  BOOST_TEST(field_of([&] { (void)goodwill::trust_contributions(l, 999, truth()); }) == "customer");
}

BOOST_AUTO_TEST_CASE(purchase_target_fits_per_period) {
  // purchases every period for half the customers, none for the other half
  goodwill::ledger l;
  for (goodwill::customer_id c = 0; c < 40; ++c) {
    l.append(goodwill::event{c, 0.0, event_kind::lead, 0.0, 0});
    if (c % 2 == 0)
      for (int m = 0; m < 12; ++m)
        l.append(goodwill::event{c, 30.0 * m + 5.0, event_kind::purchase, 10.0, 0});
  }
  l.append(goodwill::event{1, 360.0, event_kind::meeting, 1.0, 0});
  goodwill::trust_fit_options opt;
  opt.target = goodwill::trust_target::purchases;
  const auto r = goodwill::fit_trust(l, opt);
  // the purchase weight is strongly positive: a buyer keeps buying
  BOOST_TEST(param(r, "purchase").estimate > 1.0);
  BOOST_TEST(r.validation.beats_portfolio);
  BOOST_TEST(r.outcomes + r.validation.outcomes == 40u * 12u);
}

BOOST_AUTO_TEST_SUITE_END()
