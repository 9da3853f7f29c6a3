#include <goodwill/synthetic/calibrate.hpp>

#include <boost/test/unit_test.hpp>

#include "slow.hpp"

#include <cmath>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(calibrate)

using goodwill::calibrate_market;
using goodwill::calibration_options;
using goodwill::generate_market;
using goodwill::market_params;

namespace {

/// A market drawn from known parameters away from the table's defaults.
market_params known(std::uint32_t n, std::uint64_t seed = 42) {
  market_params p;
  p.customers = n;
  p.seed = seed;
  p.mix = {0.2, 0.4, 0.1, 0.1, 0.2};
  p.model.archetypes[1].deals_per_year = 6.0;
  p.model.archetypes[0].churn_per_year = 0.15;
  p.model.archetypes[4].win_prob = 0.5;
  return p;
}

/// The ledger's deal events only, as a CRM export of opportunities records
/// them (no churn, return, purchase, meeting or rival quote).
goodwill::ledger deals_only(const goodwill::ledger &l) {
  goodwill::ledger out;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const auto e = l[i];
    using goodwill::event_kind;
    if (e.kind == event_kind::proposal || e.kind == event_kind::deal_won ||
        e.kind == event_kind::deal_lost || e.kind == event_kind::concession)
      out.append(e);
  }
  return out;
}

bool throws_field(const goodwill::ledger &l, const std::string &field,
                  const calibration_options &o = {}) {
  try {
    (void)calibrate_market(l, o);
  } catch (const goodwill::invalid_input &e) {
    return e.field() == field;
  }
  return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(recovers_known_parameters_and_moments, *GOODWILL_SLOW) {
  const auto p = known(6000);
  const auto mk = generate_market(p);
  const auto r = calibrate_market(mk.events);
  // Every summary moment of the ledger is matched by a fresh market drawn
  // from the calibrated model within its sampling error.
  BOOST_TEST(r.moments.size() == 8u);
  for (const auto &m : r.moments) {
    BOOST_TEST_INFO(m.name << ": " << m.observed << " vs " << m.simulated << ", z " << m.z);
    BOOST_TEST(std::abs(m.z) < 3.0);
  }
  BOOST_TEST(r.p_value > 0.001);
  // The parameters it was drawn from, within these tolerances (6,000
  // customers: about 20% relative for the smaller groups' rates).
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    const auto &a = r.model.archetypes[k];
    const auto &t = p.model.archetypes[k];
    BOOST_TEST_INFO(goodwill::archetype_names[k]);
    BOOST_TEST(r.identified[k]);
    BOOST_TEST(std::abs(r.model.mix[k] - p.mix[k]) < 0.04);
    BOOST_TEST(std::abs(a.deals_per_year / t.deals_per_year - 1.0) < 0.15);
    BOOST_TEST(std::abs(a.win_prob - t.win_prob) < 0.08);
    BOOST_TEST(std::abs(a.churn_per_year / t.churn_per_year - 1.0) < 0.25);
    BOOST_TEST(std::abs(a.return_share - t.return_share) < 0.12);
    BOOST_TEST(std::abs(a.deal_size / t.deal_size - 1.0) < 0.06);
  }
  // The deal frequency of the price shoppers moved from the table's 4 to about 6.
  BOOST_TEST(r.model.archetypes[1].deals_per_year > 5.0);
  // Every fitted parameter has an interval around its estimate, and the
  // corrections stopped by themselves.
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k)
    for (std::size_t j = 0; j < goodwill::calibrated_fields.size(); ++j) {
      BOOST_TEST_INFO(goodwill::archetype_names[k] << " " << goodwill::calibrated_fields[j]);
      BOOST_TEST(r.fitted[k][j]);
      BOOST_TEST(r.se[k][j] > 0.0);
      BOOST_TEST(r.lower[k][j] < r.upper[k][j]);
    }
  // Each fitted parameter's slope (its auxiliary value's, on the
  // estimation scale) is estimated; deal sizes map at slope 1, the
  // concessions well below it (rival quotes and scope cuts also discount).
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    BOOST_TEST_INFO(goodwill::archetype_names[k]);
    BOOST_TEST(std::abs(r.slope[k][5] - 1.0) < 0.02);
    BOOST_TEST(r.slope[k][2] > 0.05);
    BOOST_TEST(r.slope[k][2] < 0.8);
    // every component's customers look like its archetype (the label check)
    BOOST_TEST(r.label_identified[k]);
    BOOST_TEST(std::isfinite(r.label_z[k]));
  }
  BOOST_TEST(r.identification.empty());
  BOOST_TEST((r.stop_reason == "converged" || r.stop_reason == "stalled" ||
              r.stop_reason == "iterations"));
  BOOST_TEST(r.best_iteration >= 1u);
  BOOST_TEST(r.best_iteration <= r.iterations);
}

BOOST_AUTO_TEST_CASE(deal_size_intervals_cover_the_truth_over_ledgers, *GOODWILL_SLOW) {
  // Coverage of the deal-size 95% intervals over ten ledgers of 3,000
  // customers from known parameters (seeds 11-20), each calibrated with its
  // own seed for the simulated markets (ledger seed + 1000): a coverage
  // experiment that holds the calibration seed fixed for every ledger holds
  // the simulated market's noise (which the interval carries) at one draw,
  // and measures coverage given that draw. Measured when written: 47 of 50
  // inside, 94 of 100 on seeds 11-30; with seed 1 for every ledger 43 of 50
  // (89 of 100 on seeds 11-30: mean errors -1.25 to +1.0 of their
  // across-ledger standard deviation, -0.49 to +0.40 with a seed per ledger).
  std::size_t inside = 0, total = 0;
  for (std::uint64_t s = 11; s <= 20; ++s) {
    auto p = known(3000, s);
    const auto mk = generate_market(p);
    calibration_options o;
    o.seed = s + 1000;
    const auto r = calibrate_market(mk.events, o);
    for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
      BOOST_TEST(r.fitted[k][5]);
      const double t = p.model.archetypes[k].deal_size;
      ++total;
      inside += r.lower[k][5] <= t && t <= r.upper[k][5] ? 1u : 0u;
    }
  }
  BOOST_TEST(total == 50u);
  BOOST_TEST(inside >= 45u); // 90%
}

BOOST_AUTO_TEST_CASE(detects_a_model_that_does_not_fit, *GOODWILL_SLOW) {
  // The moments of a market drawn from other parameters are far off: the
  // check is able to fail.
  const auto mk = generate_market(known(3000));
  auto r = calibrate_market(mk.events);
  market_params other = known(3000, 9);
  other.model.archetypes[1].deals_per_year = 2.0;
  const auto sim = generate_market(other);
  const auto a = calibrate_market(sim.events);
  BOOST_TEST(std::abs(a.moments[0].observed - r.moments[0].observed) >
             4.0 * std::hypot(a.moments[0].observed_se, r.moments[0].observed_se));
}

BOOST_AUTO_TEST_CASE(thread_count_invariant) {
  const auto mk = generate_market(known(1500));
  calibration_options o1, o2;
  o1.iterations = o2.iterations = 3;
  o2.threads = 2;
  const auto a = calibrate_market(mk.events, o1);
  const auto b = calibrate_market(mk.events, o2);
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    BOOST_TEST(a.model.mix[k] == b.model.mix[k]);
    for (const auto &[name, ptr] : goodwill::archetype_fields) {
      const bool same = a.model.archetypes[k].*ptr == b.model.archetypes[k].*ptr;
      BOOST_TEST_INFO(name);
      BOOST_TEST(same);
    }
  }
  BOOST_TEST(a.chi_square == b.chi_square);
  // the intervals too: the bootstrap's replicates run on both threads
  auto same_or_nan = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k)
    for (std::size_t j = 0; j < goodwill::calibrated_fields.size(); ++j) {
      BOOST_TEST_INFO(k << "," << j);
      BOOST_TEST(same_or_nan(a.se[k][j], b.se[k][j]));
      BOOST_TEST(same_or_nan(a.lower[k][j], b.lower[k][j]));
    }
}

BOOST_AUTO_TEST_CASE(thread_count_invariant_deals_only) {
  // the deals-only path: the EM of every simulated market, the restart rule
  // and the moment polish
  const auto led = deals_only(generate_market(known(1500, 3)).events);
  calibration_options o1, o2;
  o1.iterations = o2.iterations = 4;
  o1.bootstrap = o2.bootstrap = 12;
  o2.threads = 2;
  const auto a = calibrate_market(led, o1);
  const auto b = calibrate_market(led, o2);
  BOOST_TEST_MESSAGE("polish steps " << a.polish_steps << ", restarted " << a.restarted);
  BOOST_TEST(a.polish_steps == b.polish_steps);
  BOOST_TEST(a.gap == b.gap);
  BOOST_TEST(a.chi_square == b.chi_square);
  BOOST_TEST(a.model.deal_size_sigma == b.model.deal_size_sigma);
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    BOOST_TEST(a.model.mix[k] == b.model.mix[k]);
    BOOST_TEST(a.model.archetypes[k].deals_per_year == b.model.archetypes[k].deals_per_year);
    BOOST_TEST(a.model.archetypes[k].win_prob == b.model.archetypes[k].win_prob);
    for (std::size_t j = 0; j < goodwill::calibrated_fields.size(); ++j)
      BOOST_TEST((a.se[k][j] == b.se[k][j] || (std::isnan(a.se[k][j]) && std::isnan(b.se[k][j]))));
  }
}

BOOST_AUTO_TEST_CASE(named_errors) {
  goodwill::ledger empty;
  BOOST_TEST(throws_field(empty, "ledger"));
  goodwill::ledger no_deals;
  const goodwill::customer_id c = no_deals.intern(std::int64_t{1});
  no_deals.append(c, 0.0, goodwill::event_kind::meeting, 1.0);
  no_deals.append(c, 30.0, goodwill::event_kind::proposal, 1000.0);
  BOOST_TEST(throws_field(no_deals, "deals"));
  goodwill::ledger one_instant;
  const goodwill::customer_id d = one_instant.intern(std::int64_t{1});
  one_instant.append(d, 5.0, goodwill::event_kind::deal_won, 1000.0);
  BOOST_TEST(throws_field(one_instant, "time"));
  const auto mk = generate_market(known(50));
  calibration_options bad;
  bad.iterations = 0;
  BOOST_TEST(throws_field(mk.events, "iterations", bad));
  bad = {};
  bad.threads = 0;
  BOOST_TEST(throws_field(mk.events, "threads", bad));
  bad = {};
  bad.simulation_factor = 0.0;
  BOOST_TEST(throws_field(mk.events, "simulation_factor", bad));
}

BOOST_AUTO_TEST_CASE(small_groups_keep_their_start_rates) {
  // Without any RFP idea-takers in the ledger, their rates are not identified.
  auto p = known(1500);
  p.mix = {0.3, 0.4, 0.1, 0.0, 0.2};
  const auto mk = generate_market(p);
  const auto r = calibrate_market(mk.events);
  BOOST_TEST(!r.identified[3]);
  BOOST_TEST(r.model.archetypes[3].deals_per_year == r.start.archetypes[3].deals_per_year);
  BOOST_TEST(r.model.mix[3] < 0.03);
}

BOOST_AUTO_TEST_CASE(deals_only_ledger_fits_what_it_holds_and_names_the_rest, *GOODWILL_SLOW) {
  // A market drawn from known parameters, seen as a CRM export sees it.
  const auto p = known(3000);
  const auto mk = generate_market(p);
  const auto r = calibrate_market(deals_only(mk.events));
  BOOST_TEST(r.evidence.deals_only());
  BOOST_TEST(r.streams_per_account == 1.0); // deals one after another: one stream each
  // Unrecorded quantities are not fitted and keep the start model's values.
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k) {
    const auto &a = r.model.archetypes[k];
    const auto &s = r.start.archetypes[k];
    BOOST_TEST(a.churn_per_year == s.churn_per_year);
    BOOST_TEST(a.return_share == s.return_share);
    BOOST_TEST(a.purchases_per_year == s.purchases_per_year);
    BOOST_TEST(a.meeting_days == s.meeting_days);
    BOOST_TEST(a.margin == s.margin);
  }
  std::string named;
  for (const auto &n : r.not_fitted)
    named += n + "\n";
  for (const char *f : {"churn_per_year", "return_share", "purchases_per_year", "meeting_days",
                        "quote_prob", "events per customer", "margin"})
    BOOST_TEST(named.find(f) != std::string::npos, f);
  std::size_t fitted = 0;
  for (const auto &m : r.moments) {
    BOOST_TEST_INFO(m.name << ": " << m.observed << " vs " << m.simulated << ", z " << m.z);
    if (m.name == "churn_per_customer_year" || m.name == "return_share" ||
        m.name == "events_per_customer") {
      BOOST_TEST(!m.fitted);
      BOOST_TEST(std::isnan(m.z));
      continue;
    }
    BOOST_TEST(m.fitted);
    ++fitted;
    // What the deals support is recovered within sampling error: win rate,
    // realisation, deal size and revenue; deal frequency to 8%.
    if (m.name == "win_rate" || m.name == "realisation" || m.name == "mean_log_deal_size" ||
        m.name == "revenue_per_customer_year")
      BOOST_TEST(std::abs(m.z) < 3.0);
    // The simulated market's exposures are measured as the ledger's (from
    // the first recorded event, not the unrecorded lead) and the total deal
    // frequency anchors the corrections: deal frequency within 3 standard
    // errors and 4% (measured on seeds 1-5 and 42 when written: 0.7% to
    // 2.6% low, z at most 2.05; before, 1.1% to 4.3% low with z up to 3.4).
    // Over 24 pairs of ledger seed (1-8) and calibration seed (1, 5, 9):
    // |z| < 2.1 in all 24 since a run that stalls far from the ledger is
    // run again with the simulated markets' EM started from the ledger's fit
    // (before: |z| > 3 in 4, where the corrections stalled 4.5-11 standard
    // errors from the ledger; the test below); revenue per customer-year's
    // misses follow the calibration seed (all low at seed 1, mostly high at
    // 13): the simulated market's noise, not a bias.
    if (m.name == "deals_per_customer_year") {
      BOOST_TEST(std::abs(m.z) < 3.0);
      BOOST_TEST(std::abs(m.simulated / m.observed - 1.0) < 0.04);
    }
  }
  BOOST_TEST(fitted == 5u);
}

BOOST_AUTO_TEST_CASE(deals_only_corrections_that_stall_far_from_the_ledger_run_again,
                     *GOODWILL_SLOW) {
  // Ledger seed 4, calibration seed 9: one of the four pairs of the 24
  // (ledger seeds 1-8, calibration seeds 1, 5, 9) whose corrections, with
  // the simulated markets' EM started from the table, stalled 4.5-11
  // standard errors from the ledger (here 9.4, deals per customer-year z
  // 6.8, revenue z -6.4: their labels jumped between simulated markets).
  // Run again with the EM started from the ledger's fit, measured when
  // written: gap 2.2, z 1.72 and -1.07 (the other three: gaps 1.3, 1.1, 1.7,
  // deal-frequency z 0.19, -0.11, -0.02). A pair that did not stall (ledger
  // seed 1, calibration seed 1: gap 1.4) is not run again.
  const auto mk = generate_market(known(3000, 4));
  calibration_options o;
  o.seed = 9;
  const auto r = calibrate_market(deals_only(mk.events), o);
  BOOST_TEST(r.restarted);
  BOOST_TEST(r.first_run_gap > 3.0);
  BOOST_TEST(r.corrections_gap < 3.0);
  BOOST_TEST(r.corrections_gap < r.first_run_gap);
  for (const auto &m : r.moments)
    if (m.name == "deals_per_customer_year" || m.name == "revenue_per_customer_year") {
      BOOST_TEST_INFO(m.name << ": " << m.observed << " vs " << m.simulated);
      BOOST_TEST(std::abs(m.z) < 3.0);
    }
  o.seed = 1;
  const auto calm = calibrate_market(deals_only(generate_market(known(3000, 1)).events), o);
  BOOST_TEST(!calm.restarted);
  BOOST_TEST(std::isnan(calm.first_run_gap));
  BOOST_TEST(calm.corrections_gap <= 3.0);
}

BOOST_AUTO_TEST_CASE(deals_only_moment_polish_brings_the_summary_moments_within_their_error,
                     *GOODWILL_SLOW) {
  // Ledger seed 3, calibration seed 5, one of the two of the 24 pairs
  // (ledger seeds 1-8, calibration seeds 1, 5, 9) that did not fit after the
  // corrections alone: mean log deal size z -3.73 (Σ z² 19.6, p 0.010; the
  // other, ledger 3 / calibration 1: revenue z 3.25). The corrections step
  // every archetype's parameters by its own auxiliary values, which deals
  // alone tell apart poorly; the moments' levels are the same for all of
  // them. The polish (undamped steps on those levels, each kept while the
  // moments come closer) then fits: measured when written, 2 steps, Σ z²
  // 9.94, p 0.11, every |z| < 2.5; all 24 pairs fit (Σ z² mean 8.2 -> 6.1).
  const auto led = deals_only(generate_market(known(3000, 3)).events);
  calibration_options o;
  o.seed = 5;
  o.polish = false;
  const auto before = calibrate_market(led, o);
  BOOST_TEST(before.polish_steps == 0u);
  BOOST_TEST(before.gap == before.corrections_gap);
  double before_z = 0.0;
  for (const auto &m : before.moments)
    if (m.name == "mean_log_deal_size")
      before_z = m.z;
  BOOST_TEST(before_z < -3.0);
  o.polish = true;
  const auto r = calibrate_market(led, o);
  BOOST_TEST(r.polish_steps >= 1u);
  BOOST_TEST(r.polish_steps <= o.patience);
  BOOST_TEST(r.corrections_gap == before.corrections_gap); // the same corrections
  BOOST_TEST(r.chi_square < before.chi_square);
  BOOST_TEST(r.p_value >= 0.05);
  for (const auto &m : r.moments)
    if (m.fitted) {
      BOOST_TEST_INFO(m.name << ": z " << m.z);
      BOOST_TEST(std::abs(m.z) < 3.0);
    }
}

BOOST_AUTO_TEST_CASE(weighted_chi_square_tail_is_exact) {
  using goodwill::detail::chi_squared_upper_tail;
  using goodwill::detail::weighted_chi_square_upper_tail;
  // equal weights: the chi-square tail on as many degrees of freedom
  for (std::size_t m : {1u, 2u, 5u, 8u})
    for (double x : {0.5, 9.0, 25.0}) {
      BOOST_TEST_INFO("m " << m << ", x " << x);
      // to 1e-6 absolute (one weight: the integrand decays slowest, the
      // quadrature is cut at 2·10⁶ steps)
      BOOST_TEST(std::abs(weighted_chi_square_upper_tail(std::vector<double>(m, 1.0), x) -
                          chi_squared_upper_tail(static_cast<double>(m), x)) < 1e-6);
    }
  // 0.1 χ²₁ + 1.9 χ²₁ above 10: 0.02245 by 4·10⁶ draws (standard error 7e-5)
  BOOST_TEST(std::abs(weighted_chi_square_upper_tail({0.1, 1.9}, 10.0) - 0.02245) < 3e-4);
  // the eigenvalues of a correlation matrix sum to its size
  const auto ev =
      goodwill::detail::symmetric_eigenvalues({1.0, 0.6, 0.2, 0.6, 1.0, 0.4, 0.2, 0.4, 1.0}, 3);
  BOOST_TEST(ev[0] + ev[1] + ev[2] == 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(ev[0] * ev[1] * ev[2] == 1.0 - 0.36 - 0.04 - 0.16 + 2 * 0.6 * 0.2 * 0.4,
             boost::test_tools::tolerance(1e-10)); // the determinant
}

BOOST_AUTO_TEST_CASE(fit_check_p_values_hold_their_level_on_correlated_moments, *GOODWILL_SLOW) {
  // The fit check of a model that is right: 400 pairs of independent
  // deals-only markets drawn from the same parameters, one as the ledger,
  // one as the check market. The five fitted moments' z's are correlated
  // (revenue per customer-year is deal frequency x win rate x realisation
  // x deal size; smallest eigenvalue of their correlation about 0.08), so
  // Σ z² is Σ λ_j χ²₁, not χ² on 5: read as χ² on 5 it gave p < 0.05 in 32
  // of the 400 and p < 0.01 in 13 (3.3%: the deals-only fit check's excess
  // failures, issue 14 point 4); with the weights, 21 and 6 (measured when
  // written; expected 20 ± 4.4 and 4 ± 2).
  using namespace goodwill;
  int p05 = 0, p01 = 0;
  for (std::uint64_t i = 0; i < 400; ++i) {
    const auto a = known(1500, 1000 + 2 * i), b = known(1500, 1001 + 2 * i);
    const auto ca =
        detail::calib_summaries(deals_only(generate_market(a).events), 0.0, a.horizon_days);
    const auto cb =
        detail::calib_summaries(deals_only(generate_market(b).events), 0.0, b.horizon_days);
    auto mo = detail::calib_moments(ca);
    const auto ms = detail::calib_moments(cb);
    for (std::size_t j = 0; j < mo.size(); ++j) {
      mo[j].simulated = ms[j].observed;
      mo[j].simulated_se = ms[j].observed_se;
      mo[j].fitted = mo[j].name != "churn_per_customer_year" && mo[j].name != "return_share" &&
                     mo[j].name != "events_per_customer";
      mo[j].z = mo[j].fitted ? (mo[j].observed - mo[j].simulated) /
                                   std::hypot(mo[j].observed_se, mo[j].simulated_se)
                             : std::nan("");
    }
    const auto t = detail::moment_fit_test(mo, detail::calib_moment_covariance(ca),
                                           detail::calib_moment_covariance(cb));
    BOOST_TEST(t.weights.size() == 5u);
    p05 += t.p_value < 0.05;
    p01 += t.p_value < 0.01;
  }
  BOOST_TEST_MESSAGE("p < 0.05: " << p05 << ", p < 0.01: " << p01 << " of 400");
  BOOST_TEST(p05 <= 28);
  BOOST_TEST(p01 <= 9);
}

BOOST_AUTO_TEST_CASE(deals_only_fit_check_reads_sum_of_squares_with_its_weights, *GOODWILL_SLOW) {
  // Ledger seed 4, calibration seed 5 (of the 24 pairs of issue 14 point
  // 4): Σ z² 15.29 over five moments, above χ²₅'s 1% point (15.09): p
  // 0.0092 read as χ² on 5, a failed check; the z's are correlated and Σ
  // z² is Σ λ_j χ²₁: p 0.029 (measured when written).
  // The corrections alone (the moment polish, the test above, brings this
  // pair to Σ z² 8.5).
  const auto mk = generate_market(known(3000, 4));
  calibration_options o;
  o.seed = 5;
  o.polish = false;
  const auto r = calibrate_market(deals_only(mk.events), o);
  BOOST_TEST(r.chi_square_weights.size() == 5u);
  double sum = 0.0;
  for (double w : r.chi_square_weights)
    sum += w;
  BOOST_TEST(sum == 5.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(r.chi_square_weights.back() < 0.3); // revenue restates the other four
  BOOST_TEST(r.chi_square_weights.front() > 1.8);
  BOOST_TEST(r.chi_square > 15.09);
  BOOST_TEST(r.p_value > 0.01);
  BOOST_TEST(r.p_value ==
             goodwill::detail::weighted_chi_square_upper_tail(r.chi_square_weights, r.chi_square));
}

BOOST_AUTO_TEST_CASE(accounts_with_concurrent_deals_become_deal_streams) {
  // Two accounts: one with four deals open side by side all the time (each
  // 100 days, a new one every 25 days), one with one deal at a time.
  goodwill::ledger l;
  using goodwill::event_kind;
  for (int d = 0; d < 40; ++d) {
    const double open = 25.0 * d, close = open + 100.0;
    l.append({0, open, event_kind::opportunity, 1000.0, 0});
    l.append({0, close, event_kind::proposal, 1000.0, 0});
    l.append({0, close, d % 2 ? event_kind::deal_won : event_kind::deal_lost, 1000.0, 0});
  }
  for (int d = 0; d < 10; ++d) {
    const double open = 100.0 * d, close = open + 90.0;
    l.append({1, open, event_kind::opportunity, 500.0, 0});
    l.append({1, close, event_kind::proposal, 500.0, 0});
    l.append({1, close, event_kind::deal_won, 450.0, 0});
  }
  calibration_options o;
  o.iterations = 2;
  o.min_customers = 1.0;
  const auto r = calibrate_market(l, o);
  BOOST_TEST(r.accounts == 2u);
  BOOST_TEST(r.customers == 5u); // 4 streams + 1
  BOOST_TEST(r.streams_per_account == 2.5);
}

BOOST_AUTO_TEST_CASE(single_archetype_book_says_its_labels_are_not_identified, *GOODWILL_SLOW) {
  // A book of price shoppers only, at 6 deals a year (the table's 4): the
  // mixture splits it over several components, whose unfitted rates
  // (service, promises, referrals, support; deal growth) are then other
  // archetypes'. The label check names them (measured when written: the
  // components fitted to win_lose_negotiator and growing_account show 3.3
  // and 2.8 such events a year where their profiles give 6.4 and 4.8; z -8
  // and -19) and keeps the shoppers' own component.
  market_params p;
  p.customers = 1500;
  p.horizon_days = 730;
  p.seed = 3;
  p.mix = {0, 1, 0, 0, 0};
  p.model.archetypes[1].deals_per_year = 6.0;
  calibration_options o;
  o.iterations = 8;
  const auto r = calibrate_market(generate_market(p).events, o);
  BOOST_TEST(r.label_identified[1]);
  BOOST_TEST(!r.identification.empty());
  std::size_t flagged = 0;
  for (std::size_t k = 0; k < goodwill::archetype_count; ++k)
    if (!r.label_identified[k]) {
      ++flagged;
      BOOST_TEST(r.identified[k]); // only fitted components are checked
      BOOST_TEST(std::abs(r.label_z[k]) > 3.0);
    }
  BOOST_TEST(flagged == r.identification.size());
  BOOST_TEST(r.identification[0].find("are not") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
