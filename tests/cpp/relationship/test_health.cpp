#include <goodwill/relationship/health.hpp>

#include <boost/math/special_functions/beta.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>
#include <set>

BOOST_AUTO_TEST_SUITE(health)

using goodwill::event_kind;
using goodwill::health_metric;
namespace tt = boost::test_tools;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// What an account's deals are drawn from.
struct account_process {
  double win = 0.5;         ///< win probability
  double realisation = 0.9; ///< mean close / list of a won deal
  double realisation_sd = 0.05;
  double log_cycle = 3.0; ///< mean log days from opening to close
  double log_cycle_sd = 0.5;
};

/// A ledger of `accounts` accounts, each with about `deals` deals opened
/// uniformly over two years: an opportunity at its opening, then at its close
/// a proposal at list 1000, a concession of list − close when below list, and
/// deal_won or deal_lost. process(i) gives account i's process; rep(i, j) the
/// salesperson of deal j (written into `reps` per row).
template <class Process>
goodwill::ledger deals_ledger(std::uint64_t seed, std::size_t accounts, std::size_t deals,
                              Process process, std::vector<std::uint32_t> *reps = nullptr,
                              std::uint32_t rep_count = 1,
                              const std::set<std::uint32_t> &low_rep = {}) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> z(0.0, 1.0);
  std::poisson_distribution<int> nd(static_cast<double>(deals));
  goodwill::ledger l;
  struct ev {
    double t;
    int order;
    event_kind k;
    double amount;
    std::int32_t detail;
    std::uint32_t rep;
  };
  std::vector<ev> evs;
  for (std::size_t a = 0; a < accounts; ++a) {
    const account_process p = process(a);
    evs.clear();
    const int n = std::max(1, nd(rng));
    for (int j = 0; j < n; ++j) {
      const std::uint32_t rep = static_cast<std::uint32_t>(rng() % rep_count);
      const double open = 700.0 * u(rng);
      const double cycle = std::exp(p.log_cycle + p.log_cycle_sd * z(rng));
      const double close = open + cycle;
      const double win = low_rep.count(rep) ? p.win - 0.2 : p.win;
      const bool won = u(rng) < win;
      evs.push_back({open, 0, event_kind::opportunity, 0.0, 0, rep});
      evs.push_back({close, 1, event_kind::proposal, 1000.0, 0, rep});
      if (won) {
        const double r = std::clamp(p.realisation + p.realisation_sd * z(rng), 0.3, 1.2);
        if (r < 1.0)
          evs.push_back({close, 2, event_kind::concession, 1000.0 * (1.0 - r), 0, rep});
        evs.push_back({close, 3, event_kind::deal_won, 1000.0 * r, goodwill::margin_unknown, rep});
      } else {
        evs.push_back({close, 3, event_kind::deal_lost, 1000.0, 0, rep});
      }
    }
    std::sort(evs.begin(), evs.end(), [](const ev &x, const ev &y) {
      return x.t < y.t || (x.t == y.t && x.order < y.order);
    });
    for (const auto &e : evs) {
      l.append(static_cast<goodwill::customer_id>(a), e.t, e.k, e.amount, e.detail);
      if (reps)
        reps->push_back(e.rep);
    }
  }
  return l;
}

std::size_t flagged_groups(const goodwill::health_table &h,
                           std::vector<std::uint8_t> *any = nullptr) {
  std::vector<std::uint8_t> f(h.groups, 0);
  for (const auto &m : h.metrics)
    for (std::size_t i = 0; i < h.groups; ++i)
      f[i] = f[i] || m.flag[i];
  if (any)
    *any = f;
  return static_cast<std::size_t>(std::count(f.begin(), f.end(), 1));
}

} // namespace

BOOST_AUTO_TEST_CASE(bh_qvalues_by_hand_and_by_definition) {
  const std::vector<double> p{0.01, 0.04, 0.03, 0.20, nan};
  const auto q = goodwill::bh_qvalues(p);
  BOOST_TEST(q[0] == 0.04, tt::tolerance(1e-12));
  BOOST_TEST(q[1] == 4 * 0.04 / 3, tt::tolerance(1e-12));
  BOOST_TEST(q[2] == 4 * 0.04 / 3, tt::tolerance(1e-12));
  BOOST_TEST(q[3] == 0.20, tt::tolerance(1e-12));
  BOOST_TEST(std::isnan(q[4]));
  // direct computation: q_i = min over p_j >= p_i of m p_j / rank(p_j), capped at 1
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> r(200);
  for (auto &v : r)
    v = std::pow(u(rng), 3.0);
  const auto qr = goodwill::bh_qvalues(r);
  const double m = static_cast<double>(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    double best = 1.0;
    for (std::size_t j = 0; j < r.size(); ++j) {
      if (r[j] < r[i])
        continue;
      const auto rank = static_cast<double>(
          std::count_if(r.begin(), r.end(), [&](double v) { return v <= r[j]; }));
      best = std::min(best, m * r[j] / rank);
    }
    BOOST_TEST(qr[i] == best, tt::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(beta_binomial_prior_by_hand) {
  // x = (2, 8) of n = (10, 10): mu = 0.5, S = 1.8, S/(mu(1-mu)) - (k-1) = 6.2,
  // denominator (20 - 2) - (200 - 20)/20 = 9: rho = 6.2/9, a = b = mu (1/rho - 1).
  const std::vector<std::uint32_t> x{2, 8}, n{10, 10};
  const auto pr = goodwill::fit_beta_binomial(x, n);
  BOOST_TEST(pr.mean == 0.5);
  BOOST_TEST(pr.rho == 6.2 / 9.0, tt::tolerance(1e-12));
  const double m = 9.0 / 6.2 - 1.0;
  BOOST_TEST(pr.a == 0.5 * m, tt::tolerance(1e-12));
  BOOST_TEST(pr.b == 0.5 * m, tt::tolerance(1e-12));
  // identical rates: rho at its floor 1/(Σn + 1), so a + b = Σn
  const std::vector<std::uint32_t> x2{5, 5, 5}, n2{10, 10, 10};
  const auto flat = goodwill::fit_beta_binomial(x2, n2);
  BOOST_TEST(flat.a + flat.b == 30.0, tt::tolerance(1e-9));
  // recovers rho = 1/(a+b+1) of Beta(2, 3) from 4000 groups of 20
  std::mt19937_64 rng(11);
  std::gamma_distribution<double> ga(2.0, 1.0), gb(3.0, 1.0);
  std::vector<std::uint32_t> xs, ns;
  for (int i = 0; i < 4000; ++i) {
    const double g1 = ga(rng), g2 = gb(rng);
    std::binomial_distribution<std::uint32_t> b(20, g1 / (g1 + g2));
    xs.push_back(b(rng));
    ns.push_back(20);
  }
  const auto fit = goodwill::fit_beta_binomial(xs, ns);
  BOOST_TEST(fit.mean == 0.4, tt::tolerance(0.02));
  BOOST_TEST(fit.rho == 1.0 / 6.0, tt::tolerance(0.1));
}

BOOST_AUTO_TEST_CASE(midp_binomial_by_hand) {
  // n = 2, p = 1/2: P(0) = 1/4 → 2·(0 + 1/8) = 1/4; x = 1 is the centre: 1
  BOOST_TEST(goodwill::midp_binomial(0, 2, 0.5) == 0.25, tt::tolerance(1e-12));
  BOOST_TEST(goodwill::midp_binomial(1, 2, 0.5) == 1.0, tt::tolerance(1e-12));
  // n = 10, p = 0.2, x = 6: upper tail P(X > 6) + P(6)/2
  double up = 0, eq = 0;
  for (int k = 6; k <= 10; ++k) {
    const double pk = std::tgamma(11.0) / (std::tgamma(k + 1.0) * std::tgamma(11.0 - k)) *
                      std::pow(0.2, k) * std::pow(0.8, 10 - k);
    if (k == 6)
      eq = pk;
    else
      up += pk;
  }
  BOOST_TEST(goodwill::midp_binomial(6, 10, 0.2) == 2 * (up + 0.5 * eq), tt::tolerance(1e-10));
}

BOOST_AUTO_TEST_CASE(normal_eb_by_hand) {
  // x = (0, 4), v = (1, 1): Q = 8, c = 1, tau2 = 7, mu = 2, B = 7/8:
  // estimates 0.25 and 3.75, variance 7/8 + (1/8)^2 / (2/8) = 0.9375
  const std::vector<double> x{0.0, 4.0, nan}, v{1.0, 1.0, nan};
  const auto r = goodwill::normal_eb(x, v);
  BOOST_TEST(r.tau2 == 7.0, tt::tolerance(1e-12));
  BOOST_TEST(r.mean == 2.0, tt::tolerance(1e-12));
  BOOST_TEST(r.estimate[0] == 0.25, tt::tolerance(1e-12));
  BOOST_TEST(r.estimate[1] == 3.75, tt::tolerance(1e-12));
  BOOST_TEST(r.variance[0] == 0.9375, tt::tolerance(1e-12));
  // no data: the prior
  BOOST_TEST(r.estimate[2] == 2.0, tt::tolerance(1e-12));
  BOOST_TEST(r.variance[2] == 7.0 + 4.0, tt::tolerance(1e-12)); // tau2 + 1/Σw, Σw = 2/8
  // x = (0, 1, 2), v = 1: Q = 2 = k − 1 → tau2 = 0, everyone at the mean
  const std::vector<double> x3{0.0, 1.0, 2.0}, v3{1.0, 1.0, 1.0};
  const auto r3 = goodwill::normal_eb(x3, v3);
  BOOST_TEST(r3.tau2 == 0.0);
  BOOST_TEST(r3.estimate[0] == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(r3.variance[0] == 1.0 / 3.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(definitions_on_a_small_ledger) {
  // 12 accounts; account a has a + 1 won deals and one lost deal. Every deal:
  // opportunity at 10·j, proposal 100 and close at 10·j + 4 (cycle 4 days);
  // won deals close at 90 (a concession of 10) except account 0's, at list.
  goodwill::ledger l;
  for (goodwill::customer_id a = 0; a < 12; ++a) {
    for (std::uint32_t j = 0; j <= a + 1; ++j) {
      const double t0 = 10.0 * j, t1 = t0 + 4.0;
      const bool won = j <= a;
      l.append(a, t0, event_kind::opportunity);
      l.append(a, t1, event_kind::proposal, 100.0);
      if (won && a != 0)
        l.append(a, t1, event_kind::concession, 10.0);
      l.append(a, t1, won ? event_kind::deal_won : event_kind::deal_lost,
               won ? (a == 0 ? 100.0 : 90.0) : 100.0, won ? goodwill::margin_unknown : 1);
    }
  }
  goodwill::health_params hp;
  hp.start = 0;
  hp.end = 200;
  const auto h = goodwill::account_health(l, hp);
  BOOST_TEST(h.groups == 12u);
  BOOST_TEST(h.deals_won[3] == 4u);
  BOOST_TEST(h.deals_lost[3] == 1u);
  const auto &w = h[health_metric::win_rate];
  BOOST_TEST(w.available);
  BOOST_TEST(w.raw[3] == 0.8, tt::tolerance(1e-12));
  // the estimate is the posterior mean under the method-of-moments prior
  std::vector<std::uint32_t> x, n;
  for (std::uint32_t a = 0; a < 12; ++a) {
    x.push_back(a + 1);
    n.push_back(a + 2);
  }
  const auto pr = goodwill::fit_beta_binomial(x, n);
  BOOST_TEST(w.prior_1 == pr.a, tt::tolerance(1e-12));
  BOOST_TEST(w.estimate[3] == (pr.a + 4) / (pr.a + pr.b + 5), tt::tolerance(1e-12));
  BOOST_TEST(w.lower[3] == boost::math::ibeta_inv(pr.a + 4, pr.b + 1, 0.05), tt::tolerance(1e-12));
  BOOST_TEST(w.portfolio == pr.mean, tt::tolerance(1e-12));
  // min_deals = 5: accounts 0..2 (2..4 deals) are not tested
  BOOST_TEST(std::isnan(w.p[2]));
  BOOST_TEST(std::isfinite(w.p[3]));
  BOOST_TEST(w.p[3] == goodwill::midp_binomial(4, 5, pr.mean), tt::tolerance(1e-12));
  const auto &r = h[health_metric::realisation];
  BOOST_TEST(r.available);
  BOOST_TEST(r.raw[0] == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(r.raw[5] == 0.9, tt::tolerance(1e-12));
  BOOST_TEST(r.n[5] == 6u);
  const auto &d = h[health_metric::concession_depth];
  BOOST_TEST(d.raw[5] == 0.1, tt::tolerance(1e-12));
  BOOST_TEST(d.raw[0] == 0.0);
  const auto &c = h[health_metric::cycle_time];
  BOOST_TEST(c.available);
  BOOST_TEST(c.raw[7] == 4.0, tt::tolerance(1e-9));
  // every cycle is 4 days: no within-account variance, no estimates or tests
  BOOST_TEST(std::isnan(c.estimate[7]));
  BOOST_TEST(!c.reason.empty());
  // deal flow: window midpoint 100; account 11 closes at 4..124: 3 of 13 after
  const auto &f = h[health_metric::deal_flow];
  BOOST_TEST(f.n[11] == 13u);
  BOOST_TEST(f.raw[11] == 3.0 / 10.0, tt::tolerance(1e-12));
  // trust at the end: the evidence of trust.hpp, faded to day 200
  {
    const auto tp = goodwill::trust_params::defaults();
    goodwill::trust_state s = goodwill::trust_state::prior(tp);
    for (std::uint32_t j = 0; j <= 4; ++j) {
      const double t1 = 10.0 * j + 4.0;
      s.update(tp, event_kind::opportunity, 10.0 * j);
      s.update(tp, event_kind::proposal, t1, 100.0, 0);
      if (j <= 3)
        s.update(tp, event_kind::concession, t1, 10.0, 0);
      s.update(tp, j <= 3 ? event_kind::deal_won : event_kind::deal_lost, t1, j <= 3 ? 90.0 : 100.0,
               j <= 3 ? goodwill::margin_unknown : 1);
    }
    const double dd = std::exp2(-(200.0 - 44.0) / tp.half_life_days);
    const double a = tp.prior_alpha + (s.alpha - tp.prior_alpha) * dd;
    const double b = tp.prior_beta + (s.beta - tp.prior_beta) * dd;
    BOOST_TEST(h[health_metric::trust].raw[3] == a / (a + b), tt::tolerance(1e-12));
  }
  // the BH family is every finite p across metrics
  std::size_t finite = 0;
  for (const auto &m : h.metrics)
    for (double p : m.p)
      finite += std::isfinite(p) ? 1u : 0u;
  BOOST_TEST(h.family == finite);
}

BOOST_AUTO_TEST_CASE(missing_inputs_are_not_available_with_a_reason) {
  // only closes: no proposals, concessions or openings
  goodwill::ledger l;
  for (goodwill::customer_id a = 0; a < 12; ++a)
    for (int j = 0; j < 6; ++j)
      l.append(a, 30.0 * j + a, j % 2 ? event_kind::deal_won : event_kind::deal_lost, 100.0);
  const auto h = goodwill::account_health(l);
  BOOST_TEST(h[health_metric::win_rate].available);
  for (auto m :
       {health_metric::realisation, health_metric::concession_depth, health_metric::cycle_time}) {
    const auto &c = h[m];
    BOOST_TEST(!c.available);
    BOOST_TEST(c.reason.find("not available") != std::string::npos);
    BOOST_TEST(std::all_of(c.raw.begin(), c.raw.end(), [](double v) { return std::isnan(v); }));
    BOOST_TEST(std::count(c.flag.begin(), c.flag.end(), 1) == 0);
  }
  // window shorter than the lookback: no trust trend
  goodwill::health_params hp;
  hp.trust_lookback_days = 1000;
  const auto h2 = goodwill::account_health(l, hp);
  BOOST_TEST(!h2[health_metric::trust_trend].available);
  // bad parameters are named
  hp = {};
  hp.fdr = 1.5;
  BOOST_CHECK_EXCEPTION((void)goodwill::account_health(l, hp), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) {
                          return std::string(e.what()).find("fdr") != std::string::npos;
                        });
  BOOST_CHECK_THROW((void)goodwill::account_health(goodwill::ledger{}), goodwill::invalid_input);
  const std::vector<std::uint32_t> short_reps(3, 0);
  BOOST_CHECK_THROW((void)goodwill::rep_scorecard(l, short_reps, 1), goodwill::invalid_input);
}

// One common process: no account differs. Over 20 seeds of 100 accounts × ~40
// deals, the BH flags must be (statistically) absent. With exact p-values, BH
// at 0.10 under the complete null flags something in at most 10% of seeds;
// we require at most 5 of 20 seeds with any flag (P = 1.1% of failing when the
// rate is exactly 10%) and at most 0.5 flagged accounts per seed on average.
BOOST_AUTO_TEST_CASE(null_data_has_no_flags) {
  std::size_t seeds_with_flags = 0, flags = 0;
  std::array<std::size_t, goodwill::health_metric_count> by_metric{};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto l = deals_ledger(seed, 100, 40, [](std::size_t) { return account_process{}; });
    const auto h = goodwill::account_health(l);
    for (std::size_t m = 0; m < goodwill::health_metric_count; ++m) {
      BOOST_TEST_REQUIRE(h.metrics[m].available, h.metrics[m].reason);
      by_metric[m] += static_cast<std::size_t>(
          std::count(h.metrics[m].flag.begin(), h.metrics[m].flag.end(), 1));
    }
    const std::size_t f = flagged_groups(h);
    flags += f;
    seeds_with_flags += f > 0 ? 1u : 0u;
  }
  BOOST_TEST_MESSAGE("null: seeds with a flag " << seeds_with_flags << "/20, flags " << flags);
  for (std::size_t m = 0; m < goodwill::health_metric_count; ++m)
    BOOST_TEST_MESSAGE("  " << goodwill::health_metric_names[m] << ": " << by_metric[m]);
  BOOST_TEST(seeds_with_flags <= 5u);
  BOOST_TEST(static_cast<double>(flags) / 20.0 <= 0.5);
}

// Planted effects: of 100 accounts with ~100 deals, accounts 0..4 win 0.2
// less often (0.3 instead of 0.5) and accounts 5..9 realise 10 points less
// (0.8 of list instead of 0.9). Recall (planted accounts flagged on their
// planted metric) must average >= 0.8 and the false-discovery proportion
// among flagged accounts <= 0.2 on average, over 10 seeds.
BOOST_AUTO_TEST_CASE(planted_effects_are_found) {
  double recall = 0, fdp = 0;
  const int seeds = 10;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto l =
        deals_ledger(1000u + static_cast<std::uint64_t>(seed), 100, 100, [](std::size_t a) {
          account_process p;
          if (a < 5)
            p.win = 0.3;
          else if (a < 10)
            p.realisation = 0.8;
          return p;
        });
    const auto h = goodwill::account_health(l);
    std::vector<std::uint8_t> any;
    const std::size_t f = flagged_groups(h, &any);
    std::size_t found = 0, false_flags = 0;
    for (std::size_t a = 0; a < 5; ++a)
      found += h[health_metric::win_rate].flag[a];
    for (std::size_t a = 5; a < 10; ++a)
      found += h[health_metric::realisation].flag[a];
    for (std::size_t a = 10; a < 100; ++a)
      false_flags += any[a];
    recall += static_cast<double>(found) / 10.0;
    fdp += f ? static_cast<double>(false_flags) / static_cast<double>(f) : 0.0;
    // the planted win rate is below the portfolio's, and its interval says so
    BOOST_TEST(h[health_metric::win_rate].estimate[0] < h[health_metric::win_rate].portfolio);
  }
  recall /= seeds;
  fdp /= seeds;
  BOOST_TEST_MESSAGE("planted: recall " << recall << ", false-discovery proportion " << fdp);
  BOOST_TEST(recall >= 0.8);
  BOOST_TEST(fdp <= 0.2);
}

BOOST_AUTO_TEST_CASE(threads_do_not_change_the_result) {
  const auto l = deals_ledger(5, 8000, 5, [](std::size_t) { return account_process{}; });
  BOOST_TEST_REQUIRE(l.size() >= 100000u);
  goodwill::health_params one, two;
  two.threads = 2;
  const auto a = goodwill::account_health(l, one);
  const auto b = goodwill::account_health(l, two);
  for (std::size_t m = 0; m < goodwill::health_metric_count; ++m) {
    BOOST_TEST(a.metrics[m].n == b.metrics[m].n, tt::per_element());
    for (std::size_t i = 0; i < a.groups; ++i) {
      const double x = a.metrics[m].estimate[i], y = b.metrics[m].estimate[i];
      BOOST_TEST((x == y || (std::isnan(x) && std::isnan(y))));
      const double p = a.metrics[m].q[i], q = b.metrics[m].q[i];
      BOOST_TEST((p == q || (std::isnan(p) && std::isnan(q))));
    }
  }
}

// Salespeople: 20 reps over 60 accounts of ~80 deals (~240 deals a rep);
// reps 0 and 1 win 0.2 less often. Over 5 seeds: at least 8 of the 10 planted
// found, at most 2 other reps flagged, and at most 2 flags on null data.
BOOST_AUTO_TEST_CASE(rep_scorecard_finds_a_planted_rep) {
  std::size_t found = 0, false_flags = 0, null_flags = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<std::uint32_t> reps;
    const auto l = deals_ledger(seed, 60, 80, [](std::size_t) { return account_process{}; }, &reps,
                                20, {0, 1});
    const auto h = goodwill::rep_scorecard(l, reps, 20);
    BOOST_TEST(h.groups == 20u);
    if (seed == 1) { // the ledger's own rep column gives the same scorecard
      goodwill::ledger with_reps;
      for (int r = 0; r < 20; ++r)
        BOOST_TEST(with_reps.intern_rep("rep" + std::to_string(r)) ==
                   static_cast<goodwill::rep_id>(r));
      for (std::size_t i = 0; i < l.size(); ++i) {
        auto e = l[i];
        e.rep = reps[i];
        with_reps.append(e);
      }
      const auto h2 = goodwill::rep_scorecard(with_reps);
      BOOST_TEST(h2.metrics[0].estimate == h.metrics[0].estimate, tt::per_element());
      BOOST_TEST(h2.metrics[0].q == h.metrics[0].q, tt::per_element());
      BOOST_CHECK_THROW((void)goodwill::rep_scorecard(l), goodwill::invalid_input);
    }
    const auto &w = h[health_metric::win_rate];
    found += static_cast<std::size_t>(w.flag[0]) + w.flag[1];
    std::vector<std::uint8_t> any;
    (void)flagged_groups(h, &any);
    for (std::size_t r = 2; r < 20; ++r)
      false_flags += any[r];
    std::vector<std::uint32_t> reps0;
    const auto l0 = deals_ledger(
        100 + seed, 60, 40, [](std::size_t) { return account_process{}; }, &reps0, 20);
    const auto h0 = goodwill::rep_scorecard(l0, reps0, 20);
    null_flags += flagged_groups(h0);
    // every close counted once
    std::uint32_t closes = 0;
    for (std::size_t r = 0; r < 20; ++r)
      closes += h.deals_won[r] + h.deals_lost[r];
    std::uint32_t ledger_closes = 0;
    for (auto k : l.kinds())
      ledger_closes += k == static_cast<std::uint8_t>(event_kind::deal_won) ||
                       k == static_cast<std::uint8_t>(event_kind::deal_lost);
    BOOST_TEST(closes == ledger_closes);
  }
  BOOST_TEST_MESSAGE("reps: planted found " << found << "/10, false flags " << false_flags
                                            << ", null flags " << null_flags);
  BOOST_TEST(found >= 8u);
  BOOST_TEST(false_flags <= 2u);
  BOOST_TEST(null_flags <= 2u);
}

BOOST_AUTO_TEST_SUITE_END()
