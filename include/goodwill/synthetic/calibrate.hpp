// goodwill — calibrate the synthetic-customer model to an observed ledger.
//
// Design: indirect inference (a method of simulated moments whose moments
// are the parameters of an auxiliary model fitted by maximum likelihood).
//
//  1. The auxiliary model, fitted by EM (maximum likelihood): each customer
//     belongs to one of the five archetypes with probability mix[k]; given
//     its archetype, over its exposure E (days from its first event to the
//     end of the ledger — a simulated market is seen as the ledger records
//     it, so its exposure starts at its first event of a recorded kind, or
//     at its lead when the ledger records opportunities: a deals-only view
//     starts at the first proposal on both sides, a CRM export at the
//     opportunity the generator writes as a lead — less the time between an exit — churn or fire —
//     and its return) it closes D deals ~ Poisson(deal_rate E), wins W of
//     them ~ Binomial(D, win_rate), churns C ~ Poisson(churn_rate E), comes
//     back R of its X exits ~ Binomial(X, return_rate), and proposes at log
//     list prices ~ Normal(log_size, size_sd²). The price realisation (won
//     price / the deal's last proposal) is a posterior-weighted mean, not
//     part of the likelihood. The components start from the start model's
//     table (component k is archetype k), the same start for every ledger,
//     so the auxiliary fit is one fixed function of the data.
//  2. The map from the generator's parameters to the auxiliary ones is not
//     closed-form (deals take time, quotes cut the win chance, late
//     returns are censored by the horizon), so it is solved by simulation:
//     from the start model with the observed auxiliary values, generate a
//     market (market.hpp's generate_market) of the same size, horizon and
//     start, fit the auxiliary model to it, and correct each calibrated
//     parameter by the gap between observed and simulated auxiliary values
//     (rates and sizes multiplicatively, probabilities on the logit scale,
//     the realisation through the concessions' Poisson mean), with common
//     random numbers (one seed) across iterations. The corrections are
//     damped: each is measured by its gap, the root-mean-square distance of
//     the simulated auxiliary values and summary moments (point 3's, but
//     events per customer) from the observed ones in the observed values'
//     standard errors (below); one that does not shrink the best gap so far
//     is retried from the best model with half the step (down to 1/8; a
//     success grows it back by 1.5). The loop stops "converged" when the
//     best gap is at most options.tolerance (0.1 standard errors), "stalled"
//     after options.patience corrections without a better gap or when one
//     fails at the smallest step, or at options.iterations; the model returned is the best one, and
//     the result says how many corrections ran, which one it is and why the loop stopped. (Before:
//     8 undamped corrections, the last one kept; on the real CRM export it oscillated, 44
//     chi-square on 5 at 8 and a collapse at 40.)
//  2b. Standard errors and intervals. The observed auxiliary values' errors
//     come from a bootstrap over customers (options.bootstrap resamples,
//     each refitted by EM from the observed fit so that components keep
//     their labels; Philox keyed by options.seed: deterministic; the
//     replicates run on options.threads, and every EM's passes run in
//     blocks of detail::em_block customers on them, summed in block order:
//     the result does not depend on the thread count). The
//     estimator solves aux_sim(θ) = aux_obs, so Var θ ≈ J⁻¹ (V_obs + V_sim)
//     J⁻ᵀ with V_sim = V_obs / simulation_factor (the simulated market's
//     own noise; common random numbers do not remove it). The corrections
//     assume J is the identity on the estimation scale (log for rates,
//     sizes, concessions and meeting_days, logit for win_prob and
//     return_share, the share for the mix); the intervals do not: J's
//     diagonal is estimated at the calibrated model by forward differences
//     (each field moved by detail::jacobian_step on its scale for every
//     fitted archetype at once, one market per field, the loop's seed:
//     common random numbers), and se(θ) = se(aux) × sqrt(1 + 1 /
//     simulation_factor) / slope (slope floored at detail::min_slope), the
//     interval θ ± z se on that scale, carried back (calibration_result::
//     slope). Measured slopes on a full ledger: deal sizes 1, meeting_days
//     and churn about 1, deal rates 0.6-0.7 (a deal takes time), win_prob
//     0.6-1.1, purchases 0.3-0.9 (won deals are invoiced too),
//     concessions 0.16-0.42 (quotes and scope cuts discount too): the
//     slope-1 intervals of the last two covered the truth in 62% of seeds.
//     Two more errors enter se(θ), each carried through the slope: what the
//     corrections leave of the value's gap (they stop short of solving the
//     equation), and the difference between the two estimators on a full
//     ledger (the ledger fitted by EM, the simulated markets by their known
//     labels: EM's misassignments, measured on the calibrated model's
//     market as EM from the ledger's fit against the labelled fit; one more
//     market). Coverage of the 95% intervals on 20 ledgers of 3,000
//     customers from known parameters (seeds 11-30, 100 intervals a field),
//     each calibrated with its own seed (ledger seed + 1000): deals_per_year
//     97, win_prob 98, concessions 96, churn_per_year 96, return_share 90,
//     deal_size 94, purchases_per_year 99, meeting_days 92, the mix 90. With
//     seed 1 for all twenty the simulated market's noise, which the
//     intervals carry, is one draw for all of them and the coverage is
//     coverage given that draw: deal_size 89 (its mean errors -1.25 to +1.0
//     of their across-ledger standard deviation, with a seed per ledger
//     -0.49 to +0.40; the intervals are not too narrow: across-ledger
//     standard deviation / mean se 0.75-1.09), the others 91-97 (with
//     slope 1 and neither error, seeds 11-20: concessions 22 of 50,
//     purchases 27, meeting_days 43).
//     The exact observed information of the
//     mixture is not used: the calibrated parameters are not its
//     parameters, and the label uncertainty of a weakly separated mixture
//     is what the bootstrap sees and the information of a fit does not.
//     Coverage is checked by tests/python/test_calibration.py on ledgers
//     drawn from known parameters. A fitted parameter is identified when
//     its interval's half-width on the estimation scale is at most
//     options.max_half_width (0.5: a factor 1.65 either way for a rate), so
//     `identified` is driven by how much the ledger says, not only by the
//     component's size.
//  2c. The label check. A component's calibrated rates are its
//     customers', but everything calibration does not fit (service issues,
//     promises, referrals, support, deal growth, margins) is its
//     archetype's. When the ledger records service issues, promises,
//     referrals or support, each fitted component's rate of them (its
//     customers', posterior-weighted) is compared with the rate its
//     archetype's profile gives the same customers in the last simulated
//     market (labelled); a component more than 25% and 3 standard errors
//     (bootstrap) off is not label-identified (calibration_result::
//     label_identified, with a sentence in `identification`). A book of
//     one archetype far from the table is the case: the mixture splits it
//     over components whose unfitted rates are other archetypes' (1,500
//     price shoppers at 6 deals a year: the components called
//     win_lose_negotiator and growing_account show 3.3 and 2.8 such events
//     a year where their profiles give 6.4 and 4.8), and the check of
//     point 3 then fails on events per customer and deal sizes.
//  3. Fit quality: the ledger's summary moments (deals and churn per
//     customer-year, win rate, realisation, return share, mean log deal
//     size, events and revenue per customer-year) against those of a fresh
//     market drawn from the calibrated model (another seed), each with its
//     sampling error (ratio estimators over customers, delta method), the
//     z-scores, their sum of squares Σ z² and its p-value. The moments are
//     read off the same customers, so their z's are correlated (deals only:
//     revenue per customer-year with the win rate 0.67, the realisation
//     0.56, the mean log size 0.46; realisation with mean log size 0.57;
//     the smallest eigenvalue of the correlation about 0.08): Σ z² is then
//     distributed as Σ λ_j χ²₁, λ the eigenvalues of the z's correlation
//     matrix (the ledger's and the check market's joint delta-method
//     covariances summed, over the z's standard errors), and p is that
//     tail (Imhof's inversion). Read as χ² on the number of moments, as
//     before, a right model failed: of 400 pairs of independent deals-only
//     markets from the same parameters, p < 0.01 in 13 (3.3%) and p < 0.05
//     in 32; with the weights 6 and 21. The joint distance dᵀ Σ⁻¹ d is not
//     the statistic: the corrections weigh each moment by its own error,
//     and what they leave lies mostly where the moments' sampling
//     variance is least (revenue against its factors, which
//     deal_size_sigma absorbs), where that distance magnifies it (80
//     pairs below: 13 at p < 0.01 against 8 for Σ z² read as χ²₅).
//
// Calibrated: the mix and, per archetype, deals_per_year, win_prob,
// concessions (for the realisation), churn_per_year, return_share,
// deal_size, purchases_per_year and meeting_days (the last two: events the
// mixture reads to tell the archetypes apart, which a misassigned share of
// customers would otherwise get wrong). Everything else stays at the start model's values (the
// table in archetypes.hpp unless another start is given). An archetype with fewer than
// min_customers effective customers in the ledger keeps its start rates (reported as not
// identified); its mix weight is still fitted. The result does not depend on options.threads (the
// market generator is thread-invariant and the fits run on one thread in customer order).
//
// What the ledger holds decides what is fitted. A CRM export of
// opportunities (io.from_crm_opportunities) records deals only: proposals
// (list prices), concessions, won amounts and dates, and lost deals, but no
// churn, fire or return, no repeat orders, meetings or rival quotes. A
// quantity whose events never occur in the ledger is not evidence that it is
// zero, only that it was not recorded: its terms are left out of the
// auxiliary likelihood, its parameters keep the start model's values (the
// assumption is named in calibration_result::not_fitted) and the moments it
// drives (churn, return share; on a deals-only ledger also events per
// customer, which restate the deals in the importer's layout) are reported
// with fitted = false and left out of the chi-square. The simulated markets
// are seen through the same lens: their events of kinds the ledger never
// records are ignored (a churn the ledger could not have shown does not end
// a simulated customer's exposure). What such a ledger does support is
// fitted as for any other: the mix (from deal frequency, size and win rate),
// deals_per_year, win_prob, concessions (the realisation: won amount / list
// price) and deal_size, checked on deals and revenue per customer-year, win
// rate, realisation and mean log deal size. No margin is read from a CRM
// export (it holds none): the simulator's margins stay the start model's.
//
// A deals-only ledger also differs in its unit: a CRM account runs many
// opportunities side by side, a synthetic customer one deal at a time. Its
// accounts are cut into deal streams (detail::deal_streams: as many as the
// account's time-average open opportunities, its deals dealt to them in
// turn) and the model's customers are those streams (calibration_result::
// accounts, streams_per_account). Because deals alone tell the archetypes
// apart poorly, the simulated markets are fitted by the same EM as the
// ledger (not by their known labels). That EM's labels depend on where it
// starts. It starts from the table, as the ledger's fit does; when those
// corrections stall more than detail::restart_gap standard errors from the
// ledger they are run again with the EM started from the ledger's fit and
// the run with the smaller gap is kept (calibration_result::restarted,
// first_run_gap). From the table alone the labels jumped between simulated
// markets once the corrections moved the model far from it, and the
// corrections stalled 4.5-11 standard errors from the data in 4 of 24 pairs
// of ledger seed 1-8 and calibration seed 1, 5, 9 (3,000 customers); from the
// ledger's fit alone a real CRM export no longer fitted. The slopes behind
// the intervals use the kept run's start.
//
// The corrections step each archetype's parameters by its own auxiliary
// values, which deals alone tell apart poorly, and they stall with the
// summary moments up to 3.7 standard errors from the ledger's. Then, on a
// deals-only ledger, the moment polish (options.polish): up to
// options.patience undamped steps on the levels those moments measure, the
// same for every fitted archetype (deal rates by the log ratio of deal
// frequency, win probabilities by the logit difference of the win rate,
// concessions by the ratio of discounts, deal sizes by the mean log size's
// difference, each clamped; σ² by twice what they leave of revenue's log
// ratio), each kept only while it shrinks the moments' part of the gap
// (calibration_result::polish_steps; corrections_gap is the gap before it;
// the restart reads that, and gap, after the polish, can be larger: it
// trades some of the per-archetype fit for the moments'). The fit check
// (point 3) on the 24 pairs: with the corrections alone 22 fit (21 with p
// read as χ²₅, when ledger 4 / calibration 5, Σ z² 15.29, had p 0.0092,
// then 0.029; the two that did not had a moment beyond 3 standard errors:
// ledger 3 / calibration 1, revenue z 3.25; ledger 3 / calibration 5, mean
// log size -3.73); with the polish all 24, Σ z² 6.1 on average (8.2
// before). A pair's z is what the calibration leaves (ledger against the
// calibration market at the calibrated model) plus the difference between
// the calibration market (the seed) and the check market (seed + 1), which
// every ledger calibrated with that seed shares: seeds 5 and 6 differ by
// -2.1 standard errors in mean log deal size at the true parameters, and
// the eight ledgers of calibration seed 5 miss it low (z -1.9 to -3.7
// before the polish), so the 24 pairs are three draws of that noise, not
// 24. Over 80 pairs (ledger seeds 1-4, calibration seeds 11, 13, ..., 49)
// 77 fit with the polish, Σ z² 5.3 on average (corrections alone: 78, 6.6;
// 72 with p read as χ²₅). The three that do not are three ledgers with
// calibration seed 49 (deal frequency z 3.0-3.55: one draw of the seed's
// noise; a right model, two independent markets of 3,000 customers at
// the true parameters, fails the same rule, p < 0.01 or some |z| >= 3, in
// 5 of 400); the corrections alone failed on two other pairs, each run again
// after a first run stalled far from the ledger (deal frequency z -4.6 and
// +4.0). More simulated customers (simulation_factor 4; corrections alone:
// 23 of the 24 fit, Σ z² 3.8) shrink the calibration market's noise but
// the z's then carry the ledger's full error against the check market's
// quarter, a looser check.
// The polish and the stop at the damping floor (a correction that fails at
// detail::min_damping ends the run: the next would repeat it) cut the
// corrections on the 24 pairs from 10-23 to 8-20; without the polish the
// models are as before, bit for bit.
// deal_size_sigma is moved by the revenue per customer-year (revenue
// follows the mean size, exp(σ²/2) times the median), so it also takes up
// what the other corrections leave of revenue: 0.487-0.600 on the 24 pairs
// (truth 0.5), and the spread of log list prices in the calibration market
// 0.71-0.78 against the ledgers' 0.74-0.755 (calibration seed 9). Matched
// to that spread instead, σ came to 0.55 ± 0.005 on those ledgers, but the
// real CRM export (seven products' list prices, not lognormal) no longer
// fitted (gap 5.2, revenue z -6.8); the fitted deal rates are scaled together by what is left of
// the total deal frequency's gap after the per-component corrections (the
// components' own rates are noisy there); and the price cuts the ledger cannot see (matched rival
// quotes, late scope cuts) are scaled with the concessions to reach the
// realisation (named in not_fitted).
#ifndef GOODWILL_SYNTHETIC_CALIBRATE_HPP
#define GOODWILL_SYNTHETIC_CALIBRATE_HPP

#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/detail/special.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/synthetic/archetypes.hpp>
#include <goodwill/synthetic/market.hpp>

#include <cstdio>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace goodwill {

/// How to calibrate (defaults here, read by Python).
struct calibration_options {
  /// Most simulated-moments corrections (each generates one market); the
  /// loop stops earlier when converged or stalled (see the header note).
  unsigned iterations = 30;
  /// Converged when the root-mean-square gap between the simulated and the
  /// observed auxiliary values, in the observed values' standard errors, is
  /// at most this.
  double tolerance = 0.1;
  /// Stalled: the best gap has not improved for this many corrections.
  unsigned patience = 6;
  /// Deals only: after the corrections, the moment polish (at most
  /// `patience` undamped steps on the levels of the summary moments; see
  /// the header note). False: the corrections' model as it is.
  bool polish = true;
  /// Bootstrap replicates (customers resampled) of the auxiliary fit, for
  /// the standard errors and intervals of the calibrated parameters.
  unsigned bootstrap = 40;
  /// Confidence level of the intervals.
  double level = 0.95;
  /// A fitted parameter is identified when its interval's half-width on the
  /// estimation scale (log, or logit for probabilities) is at most this.
  double max_half_width = 0.5;
  /// Simulated customers per observed customer in each correction.
  double simulation_factor = 1.0;
  /// Seed of the simulated markets (the check market uses seed + 1).
  std::uint64_t seed = 1;
  /// Worker threads (1..256) of the market generator, the bootstrap's
  /// replicates and the EM's passes; the result does not depend on it.
  unsigned threads = 1;
  /// EM iterations of the auxiliary fit, and its convergence (change of mean log-likelihood).
  unsigned em_iterations = 300;
  double em_tolerance = 1e-9;
  /// An archetype needs this many effective customers for its rates to be fitted.
  double min_customers = 30.0;
  /// Length of the observed period in days; NaN: the ledger's span (last − first event time).
  double horizon_days = std::numeric_limits<double>::quiet_NaN();
  /// The starting point and every parameter not calibrated.
  market_model start{};

  /// Throws invalid_input naming the first bad field.
  void validate() const {
    if (iterations < 1 || iterations > 100)
      throw invalid_input("iterations", "must be between 1 and 100");
    if (!(tolerance >= 0.0 && std::isfinite(tolerance)))
      throw invalid_input("tolerance", "must be a finite number >= 0");
    if (patience < 1 || patience > 100)
      throw invalid_input("patience", "must be between 1 and 100");
    if (bootstrap < 10 || bootstrap > 2000)
      throw invalid_input("bootstrap", "must be between 10 and 2000");
    if (!(level > 0.5 && level < 1.0))
      throw invalid_input("level", "must be in (0.5, 1)");
    if (!(max_half_width > 0.0 && std::isfinite(max_half_width)))
      throw invalid_input("max_half_width", "must be a positive finite number");
    if (!(simulation_factor >= 0.1 && simulation_factor <= 20.0))
      throw invalid_input("simulation_factor", "must be in [0.1, 20]");
    if (threads < 1 || threads > detail::max_threads)
      throw invalid_input("threads",
                          "must be between 1 and " + std::to_string(detail::max_threads));
    if (em_iterations < 1 || em_iterations > 100000)
      throw invalid_input("em_iterations", "must be between 1 and 100000");
    if (!(em_tolerance >= 0.0 && std::isfinite(em_tolerance)))
      throw invalid_input("em_tolerance", "must be a finite number >= 0");
    if (!(min_customers >= 1.0 && std::isfinite(min_customers)))
      throw invalid_input("min_customers", "must be a finite number >= 1");
    if (!std::isnan(horizon_days) && !(horizon_days > 0.0 && std::isfinite(horizon_days)))
      throw invalid_input("horizon_days",
                          "must be a positive finite number (or NaN: the ledger's span)");
    start.validate();
  }
};

/// The calibrated parameters of each archetype, in the order reported.
inline constexpr std::array<std::string_view, 8> calibrated_fields{
    "deals_per_year", "win_prob",  "concessions",        "churn_per_year",
    "return_share",   "deal_size", "purchases_per_year", "meeting_days"};

/// The auxiliary model's parameters (per archetype), fitted by EM.
struct auxiliary_fit {
  std::array<double, archetype_count> mix{};            ///< share of customers
  std::array<double, archetype_count> customers{};      ///< effective customers (posterior sums)
  std::array<double, archetype_count> deals_per_year{}; ///< closed deals per exposure-year
  std::array<double, archetype_count> win_rate{};       ///< won / closed deals
  std::array<double, archetype_count> realisation{};    ///< won price / last proposal
  std::array<double, archetype_count> churn_per_year{}; ///< churn events per exposure-year
  std::array<double, archetype_count> return_rate{};    ///< returns / exits
  std::array<double, archetype_count> log_size{};       ///< mean log proposal
  std::array<double, archetype_count> size_sd{};        ///< sd of log proposal
  /// Rival quotes per proposal (identifying only), positive purchases and
  /// meetings per exposure-year.
  std::array<double, archetype_count> quote_rate{};
  std::array<double, archetype_count> purchases_per_year{};
  std::array<double, archetype_count> meetings_per_year{};
  /// Service issues, promises, referrals and support per exposure-year (not
  /// fitted: the label check).
  std::array<double, archetype_count> other_per_year{};
  double log_likelihood = 0.0; ///< at the fit (total)
  /// How well the components are told apart: the customers' mean largest
  /// posterior archetype probability at the last E-step (1: each customer
  /// surely of one archetype; 1/K: not told apart at all).
  double separation = 1.0;
  unsigned iterations = 0; ///< EM iterations run
  std::size_t n = 0;       ///< customers fitted
};

/// One summary moment: observed against simulated from the calibrated model.
struct calibration_moment {
  std::string name;
  double observed = 0.0, observed_se = 0.0;
  double simulated = 0.0, simulated_se = 0.0;
  /// (observed − simulated) / sqrt(observed_se² + simulated_se²); NaN when not fitted.
  double z = 0.0;
  /// False when the ledger records none of the events behind the moment (see
  /// the header note): it is shown, but not fitted nor in the chi-square.
  bool fitted = true;
};

/// Which kinds of evidence a ledger holds (any event of them at all).
struct calibration_evidence {
  bool exits = true;     ///< churn, fire or return events
  bool purchases = true; ///< repeat orders (positive purchases)
  bool meetings = true;  ///< meetings
  bool quotes = true;    ///< rival quotes
  /// Deals only: none of the above (a CRM export of opportunities).
  [[nodiscard]] bool deals_only() const noexcept {
    return !exits && !purchases && !meetings && !quotes;
  }
};

/// What calibrate_market returns.
struct calibration_result {
  /// The calibrated model (its mix is the calibrated mix): pass it to
  /// generate_market (with mix = model.mix) or simulate.
  market_model model;
  /// The start model's values of the calibrated fields (for comparison).
  market_model start;
  auxiliary_fit observed;  ///< the auxiliary fit to the ledger
  auxiliary_fit simulated; ///< the same fit to the last simulated market
  /// Whether each archetype had min_customers effective customers.
  std::array<bool, archetype_count> identified{};
  std::vector<calibration_moment> moments; ///< against the check market (seed + 1)
  double chi_square = 0.0; ///< Σ z² over the fitted moments (those with a finite z)
  /// P(Σ z² >= chi_square) when the model fits: the z's are correlated (the
  /// moments are read off the same customers), so Σ z² is distributed as
  /// Σ λ_j χ²₁ with λ = chi_square_weights, not as χ² on as many degrees of
  /// freedom as moments (see the header note, point 3).
  double p_value = 0.0;
  /// The eigenvalues of the fitted z's correlation matrix, largest first
  /// (they sum to the number of fitted moments; all 1 if uncorrelated).
  std::vector<double> chi_square_weights;
  unsigned iterations = 0; ///< corrections run
  double max_change = 0.0; ///< the last correction's largest relative change
  /// Why the corrections stopped: "converged" (gap <= tolerance), "stalled"
  /// (no better gap for `patience` corrections, or none at the smallest
  /// step) or "iterations" (the most run).
  std::string stop_reason;
  /// The returned model's gap (root-mean-square, in observed standard
  /// errors) and the correction it came from (1-based; 0: the first guess).
  double gap = 0.0;
  unsigned best_iteration = 0;
  /// Deals only: whether the corrections were run a second time with the
  /// simulated markets' EM started from the ledger's fit (the first run,
  /// EM from the table, stalled more than detail::restart_gap standard
  /// errors from the ledger) and that run was kept; first_run_gap is the
  /// first run's gap when a second was run (kept or not), NaN otherwise.
  bool restarted = false;
  double first_run_gap = std::numeric_limits<double>::quiet_NaN();
  /// Deals only: the moment-polish steps kept after the corrections (at
  /// most `patience`; see the header note), 0 otherwise; corrections_gap is
  /// the kept run's gap before them (gap is after).
  unsigned polish_steps = 0;
  double corrections_gap = std::numeric_limits<double>::quiet_NaN();
  /// Standard errors of the calibrated parameters on their estimation scale
  /// (log; logit for win_prob and return_share), lower and upper bounds of
  /// their `level` intervals, and whether each is fitted and identified (see
  /// the header note); NaN and false for a parameter kept at its start value.
  std::array<std::array<double, calibrated_fields.size()>, archetype_count> se{}, lower{}, upper{};
  std::array<std::array<bool, calibrated_fields.size()>, archetype_count> fitted{},
      field_identified{};
  std::array<double, archetype_count> mix_se{}, mix_lower{}, mix_upper{};
  /// The estimated slope of each fitted parameter's auxiliary value in the
  /// parameter, on the estimation scale (the Jacobian's diagonal, by a
  /// forward difference; see the header note); NaN when not fitted.
  std::array<std::array<double, calibrated_fields.size()>, archetype_count> slope{};
  /// The label check: false for a fitted component whose customers do not
  /// show its archetype's unfitted event rates (service issues, promises,
  /// referrals, support: |z| above 3 and more than 25% apart), with one
  /// sentence per such component in `identification`; label_z is the z
  /// (NaN when not checked: the ledger records none of those events, or
  /// the component is not fitted).
  std::array<bool, archetype_count> label_identified{};
  std::array<double, archetype_count> label_z{};
  std::vector<std::string> identification;
  std::size_t customers = 0, events = 0; ///< of the ledger
  double start_time = 0.0, horizon_days = 0.0;
  /// What the ledger holds, and what it could not support: one sentence per
  /// parameter group kept at the start model's values, naming the assumption.
  calibration_evidence evidence;
  std::vector<std::string> not_fitted;
  /// Accounts of the ledger, and the deal streams per account the model's
  /// customers stand for (1: a customer is an account; see the header note).
  std::size_t accounts = 0;
  double streams_per_account = 1.0;
};

namespace detail {

/// One customer's sufficient statistics for the auxiliary model.
struct calib_customer {
  double exposure = 0.0; // days
  double deals = 0.0, won = 0.0, churn = 0.0, exits = 0.0, returns = 0.0;
  double proposals = 0.0, log_sum = 0.0, log_sq = 0.0;
  double real_sum = 0.0, real_n = 0.0;
  double events = 0.0, revenue = 0.0;
  double quotes = 0.0, purchases = 0.0, meetings = 0.0; // identify the archetypes only
  /// Service issues, promises, referrals and support: not fitted, the check
  /// of each component's label (see calibration_result::label_identified).
  double other = 0.0;
};

/// Which event kinds occur in a ledger at all.
using recorded_kinds = std::array<bool, event_kind_count>;
inline recorded_kinds kinds_recorded(const ledger &l) {
  recorded_kinds r{};
  for (auto k : l.kinds())
    r[k] = true;
  return r;
}

/// Which events open a customer's exposure in a ledger that records the
/// kinds `recorded`: an event of a recorded kind, and the generator's lead
/// when the ledger records opportunities (a CRM export opens each deal with
/// an opportunity event where the generator writes a lead).
inline recorded_kinds exposure_openers(const recorded_kinds &recorded) noexcept {
  recorded_kinds o = recorded;
  if (recorded[static_cast<std::size_t>(event_kind::opportunity)])
    o[static_cast<std::size_t>(event_kind::lead)] = true;
  return o;
}

/// Per-customer statistics of a ledger observed from `start` to `end`.
/// `ids`, if given, receives each summary's dense customer id. With
/// `recorded`, events of the other kinds are ignored (a simulated market
/// seen as the observed ledger records it: a churn it does not record does
/// not end a customer's exposure). With `opens`, a customer's exposure
/// starts at its first event of those kinds, and a customer without one is
/// not observed: a simulated market seen through the ledger's lens has its
/// exposures measured as the ledger's are (a deals-only view starts at the
/// first proposal, not at the unrecorded lead).
inline std::vector<calib_customer> calib_summaries(const ledger &l, double start, double end,
                                                   std::vector<std::uint32_t> *ids = nullptr,
                                                   const recorded_kinds *recorded = nullptr,
                                                   const recorded_kinds *opens = nullptr) {
  const auto &order = l.order();
  const auto &off = l.customer_offsets();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  std::vector<calib_customer> out;
  out.reserve(l.customer_count());
  for (std::size_t c = 0; c < l.customer_count(); ++c) {
    const auto b = off[c], e = off[c + 1];
    if (b == e)
      continue; // a key without events: not observed
    auto first = b;
    if (opens)
      while (first < e && !(*opens)[kinds[order[first]]])
        ++first;
    if (first == e)
      continue; // nothing the ledger would have recorded: not observed
    calib_customer s;
    double since = std::max(start, times[order[first]]);
    bool active = true;
    double last_proposal = 0.0;
    for (auto i = b; i < e; ++i) {
      const auto r = order[i];
      const double t = std::min(times[r], end);
      const auto k = static_cast<event_kind>(kinds[r]);
      if (recorded && !(*recorded)[kinds[r]])
        continue;
      const double a = amounts[r];
      s.events += 1.0;
      switch (k) {
      case event_kind::proposal:
        if (a > 0.0 && std::isfinite(a)) {
          s.proposals += 1.0;
          const double la = std::log(a);
          s.log_sum += la;
          s.log_sq += la * la;
          last_proposal = a;
        }
        break;
      case event_kind::deal_won:
        s.deals += 1.0;
        s.won += 1.0;
        if (last_proposal > 0.0 && a > 0.0 && std::isfinite(a)) {
          s.real_sum += a / last_proposal;
          s.real_n += 1.0;
        }
        if (std::isfinite(a))
          s.revenue += a;
        last_proposal = 0.0;
        break;
      case event_kind::deal_lost:
        s.deals += 1.0;
        last_proposal = 0.0;
        break;
      case event_kind::competitor_quote:
        s.quotes += 1.0;
        break;
      case event_kind::purchase:
        if (a > 0.0)
          s.purchases += 1.0;
        break;
      case event_kind::meeting:
        s.meetings += 1.0;
        break;
      case event_kind::service_issue:
      case event_kind::promise_kept:
      case event_kind::promise_broken:
      case event_kind::referral_given:
      case event_kind::support:
        s.other += 1.0;
        break;
      case event_kind::churn:
      case event_kind::fire:
        if (k == event_kind::churn)
          s.churn += 1.0;
        s.exits += 1.0;
        if (active)
          s.exposure += std::max(0.0, t - since);
        active = false;
        break;
      case event_kind::returned:
        s.returns += 1.0;
        if (!active)
          since = t;
        active = true;
        break;
      default:
        break;
      }
    }
    if (active)
      s.exposure += std::max(0.0, end - since);
    s.exposure = std::max(s.exposure, 1.0); // at least a day: a customer seen once was exposed
    s.returns = std::min(s.returns, s.exits);
    s.quotes = std::min(s.quotes, s.proposals);
    out.push_back(s);
    if (ids)
      ids->push_back(static_cast<std::uint32_t>(c));
  }
  return out;
}

/// The auxiliary model's start: component k from the model's archetype k.
inline auxiliary_fit auxiliary_start(const market_model &m) {
  auxiliary_fit f;
  for (std::size_t k = 0; k < archetype_count; ++k) {
    const auto &a = m.archetypes[k];
    f.mix[k] = m.mix[k];
    f.deals_per_year[k] = std::max(a.deals_per_year, 0.05);
    const double w =
        a.win_prob * (1.0 - a.walk_away_prob) * (1.0 - a.quote_prob * (1.0 - a.match_prob) * 0.65);
    f.win_rate[k] = std::clamp(w, 0.01, 0.99);
    f.realisation[k] = 1.0;
    f.churn_per_year[k] = std::max(a.churn_per_year, 0.01);
    f.return_rate[k] = std::clamp(a.return_share, 0.01, 0.99);
    f.log_size[k] = std::log(a.deal_size);
    f.size_sd[k] = std::max(m.deal_size_sigma, 0.1);
    f.quote_rate[k] = std::clamp(a.quote_prob, 0.01, 0.99);
    // a won deal is invoiced once, besides the repeat orders
    f.purchases_per_year[k] = std::max(a.purchases_per_year + a.deals_per_year * w, 0.05);
    f.meetings_per_year[k] = 365.0 / a.meeting_days;
    f.other_per_year[k] = std::max(
        a.service_per_year + a.promises_per_year + a.referrals_per_year + a.support_per_year, 1e-3);
  }
  double t = 0.0;
  for (double w : f.mix)
    t += w;
  for (double &w : f.mix)
    w = std::max(w / t, 1e-3);
  return f;
}

/// The M-step's responsibility-weighted sums over some customers (one
/// array per statistic, by component).
struct m_step_sums {
  static constexpr std::size_t K = archetype_count;
  std::array<double, K> r{}, rE{}, rD{}, rW{}, rC{}, rX{}, rR{}, rP{}, rS1{}, rS2{}, rRs{}, rRn{},
      rQ{}, rPu{}, rMe{}, rOt{};
  /// Adds customer s with archetype probabilities q.
  void add(const calib_customer &s, const std::array<double, K> &q) noexcept {
    for (std::size_t k = 0; k < K; ++k) {
      const double w = q[k];
      r[k] += w;
      rE[k] += w * s.exposure;
      rD[k] += w * s.deals;
      rW[k] += w * s.won;
      rC[k] += w * s.churn;
      rX[k] += w * s.exits;
      rR[k] += w * s.returns;
      rP[k] += w * s.proposals;
      rS1[k] += w * s.log_sum;
      rS2[k] += w * s.log_sq;
      rRs[k] += w * s.real_sum;
      rRn[k] += w * s.real_n;
      rQ[k] += w * s.quotes;
      rPu[k] += w * s.purchases;
      rMe[k] += w * s.meetings;
      rOt[k] += w * s.other;
    }
  }
  /// Adds another block's sums.
  void add(const m_step_sums &o) noexcept {
    auto acc = [](std::array<double, K> &x, const std::array<double, K> &y) {
      for (std::size_t k = 0; k < K; ++k)
        x[k] += y[k];
    };
    acc(r, o.r), acc(rE, o.rE), acc(rD, o.rD), acc(rW, o.rW), acc(rC, o.rC), acc(rX, o.rX);
    acc(rR, o.rR), acc(rP, o.rP), acc(rS1, o.rS1), acc(rS2, o.rS2), acc(rRs, o.rRs);
    acc(rRn, o.rRn), acc(rQ, o.rQ), acc(rPu, o.rPu), acc(rMe, o.rMe), acc(rOt, o.rOt);
  }
};

/// The auxiliary model's M-step from the sums over n customers.
inline void m_step(const m_step_sums &t, double n, auxiliary_fit &f) {
  constexpr std::size_t K = archetype_count;
  const double yr = 365.0;
  for (std::size_t k = 0; k < K; ++k) {
    f.customers[k] = t.r[k];
    f.mix[k] = std::max(t.r[k] / n, 1e-6);
    if (t.rE[k] > 0.0) {
      f.deals_per_year[k] = std::max(t.rD[k] / t.rE[k] * yr, 1e-3);
      f.churn_per_year[k] = std::max(t.rC[k] / t.rE[k] * yr, 1e-4);
      f.purchases_per_year[k] = std::max(t.rPu[k] / t.rE[k] * yr, 1e-3);
      f.meetings_per_year[k] = std::max(t.rMe[k] / t.rE[k] * yr, 1e-3);
      f.other_per_year[k] = std::max(t.rOt[k] / t.rE[k] * yr, 1e-3);
    }
    if (t.rD[k] > 1e-9)
      f.win_rate[k] = std::clamp(t.rW[k] / t.rD[k], 1e-4, 1.0 - 1e-4);
    if (t.rX[k] > 1e-9)
      f.return_rate[k] = std::clamp(t.rR[k] / t.rX[k], 1e-4, 1.0 - 1e-4);
    if (t.rP[k] > 1e-9) {
      f.quote_rate[k] = std::clamp(t.rQ[k] / t.rP[k], 1e-4, 1.0 - 1e-4);
      f.log_size[k] = t.rS1[k] / t.rP[k];
      f.size_sd[k] = std::sqrt(std::max(t.rS2[k] / t.rP[k] - f.log_size[k] * f.log_size[k], 0.01));
    }
    if (t.rRn[k] > 1e-9)
      f.realisation[k] = t.rRs[k] / t.rRn[k];
  }
}

/// Keep `init`'s values of the auxiliary parameters whose evidence the
/// ledger does not record (the M-step would estimate them as zero).
inline void keep_unrecorded(auxiliary_fit &f, const auxiliary_fit &init,
                            const calibration_evidence &ev) noexcept {
  if (!ev.exits) {
    f.churn_per_year = init.churn_per_year;
    f.return_rate = init.return_rate;
  }
  if (!ev.quotes)
    f.quote_rate = init.quote_rate;
  if (!ev.purchases)
    f.purchases_per_year = init.purchases_per_year;
  if (!ev.meetings)
    f.meetings_per_year = init.meetings_per_year;
}

/// What evidence a ledger whose recorded kinds are `r` holds.
inline calibration_evidence calib_evidence(const recorded_kinds &r) noexcept {
  auto has = [&](event_kind k) { return r[static_cast<std::size_t>(k)]; };
  calibration_evidence ev;
  ev.exits = has(event_kind::churn) || has(event_kind::fire) || has(event_kind::returned);
  ev.purchases = has(event_kind::purchase);
  ev.meetings = has(event_kind::meeting);
  ev.quotes = has(event_kind::competitor_quote);
  return ev;
}

/// Customers per block of the EM's passes: the blocks' sums are added in
/// block order, whatever thread ran them.
inline constexpr std::size_t em_block = 4096;

/// Fit the auxiliary mixture by EM from `init` (see the header note). Each
/// pass runs its blocks of em_block customers on up to `threads` threads;
/// the result does not depend on the thread count.
inline auxiliary_fit fit_auxiliary(const std::vector<calib_customer> &cs, const auxiliary_fit &init,
                                   unsigned max_iter, double tol,
                                   const calibration_evidence &ev = {}, unsigned threads = 1) {
  constexpr std::size_t K = archetype_count;
  auxiliary_fit f = init;
  f.n = cs.size();
  const double n = static_cast<double>(cs.size());
  const std::size_t blocks = (cs.size() + em_block - 1) / em_block;
  struct block_sums {
    m_step_sums m;
    double ll = 0.0, sep = 0.0;
  };
  std::vector<block_sums> part(blocks);
  double prev = -std::numeric_limits<double>::infinity();
  const double yr = 365.0;
  for (unsigned it = 0; it < max_iter; ++it) {
    // E-step, with the M-step's sums of each block.
    std::array<double, K> lmix{}, ldr{}, lw{}, l1w{}, lch{}, lr{}, l1r{}, lsd{}, lq{}, l1q{}, lpu{},
        lme{};
    for (std::size_t k = 0; k < K; ++k) {
      lmix[k] = std::log(std::max(f.mix[k], 1e-300));
      ldr[k] = std::log(f.deals_per_year[k] / yr);
      lw[k] = std::log(f.win_rate[k]);
      l1w[k] = std::log1p(-f.win_rate[k]);
      lch[k] = std::log(f.churn_per_year[k] / yr);
      lr[k] = std::log(f.return_rate[k]);
      l1r[k] = std::log1p(-f.return_rate[k]);
      lsd[k] = std::log(f.size_sd[k]);
      lq[k] = std::log(f.quote_rate[k]);
      l1q[k] = std::log1p(-f.quote_rate[k]);
      lpu[k] = std::log(f.purchases_per_year[k] / yr);
      lme[k] = std::log(f.meetings_per_year[k] / yr);
    }
    for_each_piece(threads, blocks, [&](std::size_t blk) {
      block_sums out;
      const std::size_t lo = blk * em_block, hi = std::min(cs.size(), lo + em_block);
      for (std::size_t i = lo; i < hi; ++i) {
        const auto &s = cs[i];
        std::array<double, K> lp{};
        double mx = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < K; ++k) {
          const double E = s.exposure;
          double v = lmix[k];
          v += s.deals * ldr[k] - f.deals_per_year[k] / yr * E;
          v += s.won * lw[k] + (s.deals - s.won) * l1w[k];
          // Terms of evidence the ledger never records are left out: their
          // absence is not information about the archetype.
          if (ev.exits) {
            v += s.churn * lch[k] - f.churn_per_year[k] / yr * E;
            v += s.returns * lr[k] + (s.exits - s.returns) * l1r[k];
          }
          if (ev.quotes)
            v += s.quotes * lq[k] + (s.proposals - s.quotes) * l1q[k];
          if (ev.purchases)
            v += s.purchases * lpu[k] - f.purchases_per_year[k] / yr * E;
          if (ev.meetings)
            v += s.meetings * lme[k] - f.meetings_per_year[k] / yr * E;
          if (s.proposals > 0.0) {
            const double mu = f.log_size[k], var = f.size_sd[k] * f.size_sd[k];
            v += -s.proposals * lsd[k] -
                 (s.log_sq - 2.0 * mu * s.log_sum + s.proposals * mu * mu) / (2.0 * var);
          }
          lp[k] = v;
          mx = std::max(mx, v);
        }
        double z = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
          lp[k] = std::exp(lp[k] - mx);
          z += lp[k];
        }
        out.ll += mx + std::log(z);
        double top = 0.0;
        for (std::size_t k = 0; k < K; ++k) {
          lp[k] /= z;
          top = std::max(top, lp[k]);
        }
        out.sep += top;
        out.m.add(s, lp);
      }
      part[blk] = out;
    });
    m_step_sums total;
    double ll = 0.0, sep = 0.0;
    for (const auto &p : part) {
      total.add(p.m);
      ll += p.ll;
      sep += p.sep;
    }
    f.log_likelihood = ll;
    f.separation = cs.empty() ? 1.0 : sep / n;
    f.iterations = it + 1;
    m_step(total, n, f);
    keep_unrecorded(f, init, ev);
    if (std::abs(ll - prev) <= tol * n)
      break;
    prev = ll;
  }
  return f;
}

/// The auxiliary model fitted with each customer's archetype known.
inline auxiliary_fit fit_auxiliary_labelled(const std::vector<calib_customer> &cs,
                                            const std::vector<archetype> &labels,
                                            const auxiliary_fit &init) {
  auxiliary_fit f = init;
  f.n = cs.size();
  m_step_sums t;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    std::array<double, archetype_count> q{};
    q[static_cast<std::size_t>(labels[i])] = 1.0;
    t.add(cs[i], q);
  }
  m_step(t, static_cast<double>(cs.size()), f);
  return f;
}

/// Number of auxiliary values per archetype on the estimation scale: the
/// calibrated fields (in calibrated_fields' order), the mix, then the log
/// rate of the other events (the label check; never matched).
inline constexpr std::size_t aux_values = calibrated_fields.size() + 2;
using aux_vector = std::array<std::array<double, aux_values>, archetype_count>;

/// The auxiliary values behind each calibrated field, on its estimation
/// scale: log deal rate, logit win rate, log(1 - realisation) (the
/// concessions), log churn rate, logit return rate, mean log size, log
/// purchase rate, −log meeting rate (log meeting_days), and the mix share
/// itself (a component may be empty: no log).
inline aux_vector aux_scale(const auxiliary_fit &f) {
  aux_vector v{};
  for (std::size_t k = 0; k < archetype_count; ++k) {
    auto lg = [](double p) {
      const double q = std::clamp(p, 1e-4, 1.0 - 1e-4);
      return std::log(q / (1.0 - q));
    };
    v[k][0] = std::log(std::max(f.deals_per_year[k], 1e-6));
    v[k][1] = lg(f.win_rate[k]);
    v[k][2] = std::log(std::max(1.0 - f.realisation[k], 1e-4));
    v[k][3] = std::log(std::max(f.churn_per_year[k], 1e-6));
    v[k][4] = lg(f.return_rate[k]);
    v[k][5] = f.log_size[k];
    v[k][6] = std::log(std::max(f.purchases_per_year[k], 1e-6));
    v[k][7] = -std::log(std::max(f.meetings_per_year[k], 1e-6));
    v[k][8] = f.mix[k];
    v[k][9] = std::log(std::max(f.other_per_year[k], 1e-6));
  }
  return v;
}

/// Bootstrap standard errors of the auxiliary values (aux_scale) of the
/// fit `at` to `cs`: `reps` resamples of the customers (with replacement,
/// a Philox stream keyed by `seed` and the replicate), each refitted by EM
/// from `at` (so the components keep their labels), the standard deviation
/// over replicates. The replicates run on up to `threads` threads, each
/// keeping its own values; they are summed in replicate order, so the
/// result is the same for any thread count.
inline aux_vector aux_bootstrap_se(const std::vector<calib_customer> &cs, const auxiliary_fit &at,
                                   unsigned reps, std::uint64_t seed, unsigned em_iterations,
                                   double em_tolerance, const calibration_evidence &ev,
                                   unsigned threads = 1) {
  std::vector<aux_vector> values(reps);
  const auto n = static_cast<double>(cs.size());
  for_each_piece(threads, reps, [&](std::size_t b) {
    counter_stream rng(seed, b, 0xB007u);
    std::vector<calib_customer> re(cs.size());
    for (auto &c : re)
      c = cs[std::min(cs.size() - 1, static_cast<std::size_t>(u01(rng) * n))];
    values[b] = aux_scale(fit_auxiliary(re, at, em_iterations, em_tolerance, ev));
  });
  aux_vector sum{}, sq{};
  for (const auto &v : values)
    for (std::size_t k = 0; k < archetype_count; ++k)
      for (std::size_t j = 0; j < aux_values; ++j) {
        sum[k][j] += v[k][j];
        sq[k][j] += v[k][j] * v[k][j];
      }
  aux_vector se{};
  const double r = reps;
  for (std::size_t k = 0; k < archetype_count; ++k)
    for (std::size_t j = 0; j < aux_values; ++j) {
      const double m = sum[k][j] / r;
      se[k][j] = std::sqrt(std::max(0.0, (sq[k][j] - r * m * m) / (r - 1.0)));
    }
  return se;
}

/// Ratio estimator Σy / Σx over customers with its delta-method standard error.
template <class Y, class X>
std::pair<double, double> ratio_moment(const std::vector<calib_customer> &cs, Y y, X x) {
  double sy = 0.0, sx = 0.0;
  for (const auto &s : cs) {
    sy += y(s);
    sx += x(s);
  }
  if (!(sx > 0.0))
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double R = sy / sx;
  double ss = 0.0;
  for (const auto &s : cs) {
    const double d = y(s) - R * x(s);
    ss += d * d;
  }
  const double n = static_cast<double>(cs.size());
  const double se =
      n > 1.0 ? std::sqrt(ss * n / (n - 1.0)) / sx : std::numeric_limits<double>::quiet_NaN();
  return {R, se};
}

/// The summary moments, each a ratio estimator Σy / Σx over customers, in
/// the order reported.
struct calib_moment_def {
  const char *name;
  double (*y)(const calib_customer &);
  double (*x)(const calib_customer &);
};
inline constexpr std::array<calib_moment_def, 8> calib_moment_defs{{
    {"deals_per_customer_year", [](const calib_customer &s) { return s.deals; },
     [](const calib_customer &s) { return s.exposure / 365.0; }},
    {"win_rate", [](const calib_customer &s) { return s.won; },
     [](const calib_customer &s) { return s.deals; }},
    {"realisation", [](const calib_customer &s) { return s.real_sum; },
     [](const calib_customer &s) { return s.real_n; }},
    {"churn_per_customer_year", [](const calib_customer &s) { return s.churn; },
     [](const calib_customer &s) { return s.exposure / 365.0; }},
    {"return_share", [](const calib_customer &s) { return s.returns; },
     [](const calib_customer &s) { return s.exits; }},
    {"mean_log_deal_size", [](const calib_customer &s) { return s.log_sum; },
     [](const calib_customer &s) { return s.proposals; }},
    {"events_per_customer", [](const calib_customer &s) { return s.events; },
     [](const calib_customer &) { return 1.0; }},
    {"revenue_per_customer_year", [](const calib_customer &s) { return s.revenue; },
     [](const calib_customer &s) { return s.exposure / 365.0; }},
}};
inline constexpr std::size_t calib_moment_count = calib_moment_defs.size();
/// Positions in calib_moment_defs of the moments the corrections read.
inline constexpr std::size_t moment_deals = 0, moment_win = 1, moment_realisation = 2,
                             moment_log_size = 5;
using moment_covariance = std::array<std::array<double, calib_moment_count>, calib_moment_count>;

/// The summary moments of a ledger's customers: (name, value, standard error).
inline std::vector<calibration_moment> calib_moments(const std::vector<calib_customer> &cs) {
  std::vector<calibration_moment> out;
  for (const auto &d : calib_moment_defs) {
    calibration_moment m;
    m.name = d.name;
    std::tie(m.observed, m.observed_se) = ratio_moment(cs, d.y, d.x);
    out.push_back(m);
  }
  return out;
}

/// The summary moments' joint sampling covariance: ratio_moment's delta
/// method for every pair (each customer's influence (y − R x) / Σx,
/// cross-multiplied; the diagonal is the squared standard errors). The
/// moments are read off the same customers, so their errors are
/// correlated: revenue per customer-year is deal frequency × win rate ×
/// realisation × deal size. NaN where a moment is NaN.
inline moment_covariance calib_moment_covariance(const std::vector<calib_customer> &cs) {
  constexpr std::size_t M = calib_moment_count;
  const double n = static_cast<double>(cs.size());
  std::array<double, M> sy{}, sx{}, R{};
  for (const auto &s : cs)
    for (std::size_t j = 0; j < M; ++j) {
      sy[j] += calib_moment_defs[j].y(s);
      sx[j] += calib_moment_defs[j].x(s);
    }
  for (std::size_t j = 0; j < M; ++j)
    R[j] = sx[j] > 0.0 ? sy[j] / sx[j] : std::numeric_limits<double>::quiet_NaN();
  moment_covariance cov{};
  std::array<double, M> d{};
  for (const auto &s : cs) {
    for (std::size_t j = 0; j < M; ++j)
      d[j] = (calib_moment_defs[j].y(s) - R[j] * calib_moment_defs[j].x(s)) / sx[j];
    for (std::size_t a = 0; a < M; ++a)
      for (std::size_t b = 0; b <= a; ++b)
        cov[a][b] += d[a] * d[b];
  }
  const double f = n > 1.0 ? n / (n - 1.0) : std::numeric_limits<double>::quiet_NaN();
  for (std::size_t a = 0; a < M; ++a)
    for (std::size_t b = 0; b <= a; ++b)
      cov[b][a] = cov[a][b] = cov[a][b] * f;
  return cov;
}

/// The eigenvalues of a symmetric matrix (row-major, m × m; cyclic Jacobi
/// rotations until the off-diagonal is below 1e-13 of the norm). For the
/// fit check's at most 8 × 8 correlation matrix; Eigen's
/// SelfAdjointEigenSolver would bring <Eigen/Eigenvalues> into this public
/// header, which includes no Eigen (compile time, issue 16 point 6).
inline std::vector<double> symmetric_eigenvalues(std::vector<double> a, std::size_t m) {
  auto at = [&](std::size_t i, std::size_t j) -> double & { return a[i * m + j]; };
  double norm = 0.0;
  for (double v : a)
    norm += v * v;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0;
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = i + 1; j < m; ++j)
        off += at(i, j) * at(i, j);
    if (!(off > 1e-26 * norm))
      break;
    for (std::size_t p = 0; p < m; ++p)
      for (std::size_t q = p + 1; q < m; ++q) {
        if (at(p, q) == 0.0)
          continue;
        const double th = (at(q, q) - at(p, p)) / (2.0 * at(p, q));
        const double t = (th >= 0.0 ? 1.0 : -1.0) / (std::abs(th) + std::sqrt(th * th + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (std::size_t k = 0; k < m; ++k) { // columns p, q
          const double kp = at(k, p), kq = at(k, q);
          at(k, p) = c * kp - s * kq;
          at(k, q) = s * kp + c * kq;
        }
        for (std::size_t k = 0; k < m; ++k) { // rows p, q
          const double pk = at(p, k), qk = at(q, k);
          at(p, k) = c * pk - s * qk;
          at(q, k) = s * pk + c * qk;
        }
      }
  }
  std::vector<double> ev(m);
  for (std::size_t i = 0; i < m; ++i)
    ev[i] = at(i, i);
  return ev;
}

/// P(Q > x) for Q = Σ λ_j χ²₁ (independent; λ_j >= 0): Imhof's (1961)
/// inversion of the characteristic function, P = 1/2 + (1/π) ∫₀^∞ sin θ(u)
/// / (u ρ(u)) du with θ(u) = ½ Σ atan(λ_j u) − ½ x u and ρ(u) = Π (1 +
/// λ_j² u²)^{1/4}, by the trapezoid rule with 24 steps a period of the
/// oscillation, up to where the tail's bound is below 1e-7 (at most 2·10⁶
/// steps; one weight: the χ²₁ tail). With every λ_j = 1 it is the χ² tail
/// on as many degrees of freedom.
inline double weighted_chi_square_upper_tail(const std::vector<double> &lambda, double x) {
  std::vector<double> l;
  for (double v : lambda)
    if (v > 1e-12)
      l.push_back(v);
  if (l.empty())
    return x < 0.0 ? 1.0 : 0.0;
  if (!(x > 0.0))
    return 1.0;
  if (l.size() == 1)
    return chi_squared_upper_tail(1.0, x / l[0]);
  const double m = static_cast<double>(l.size());
  double sum = 0.0, log_root = 0.0;
  for (double v : l) {
    sum += v;
    log_root += 0.5 * std::log(v);
  }
  auto f = [&](double u) {
    if (u == 0.0)
      return 0.5 * (sum - x);
    double th = -0.5 * x * u, lr = 0.0;
    for (double v : l) {
      th += 0.5 * std::atan(v * u);
      lr += 0.25 * std::log1p(v * v * u * u);
    }
    return std::sin(th) / (u * std::exp(lr));
  };
  const double h = std::min(0.05, 2.0 * 3.141592653589793 / (0.5 * (x + sum)) / 24.0);
  // tail bound: ∫_U^∞ du / (u ρ(u)) <= (2/m) U^{−m/2} / Π sqrt(λ_j)
  const double U = std::exp((std::log(2.0 / m) - log_root - std::log(1e-7)) / (0.5 * m));
  const auto steps = static_cast<std::size_t>(std::min(2e6, std::ceil(U / h)));
  double integral = 0.5 * f(0.0);
  for (std::size_t i = 1; i < steps; ++i)
    integral += f(static_cast<double>(i) * h);
  integral += 0.5 * f(static_cast<double>(steps) * h);
  integral *= h;
  return std::clamp(0.5 + integral / 3.141592653589793, 0.0, 1.0);
}

/// The fit check's chi-square of the moments with a finite z (their
/// `simulated` fields from a sample independent of the ledger's, whose
/// moment covariances are cov_obs and cov_sim): Σ z², the eigenvalues of
/// the z's correlation matrix (the two covariances summed over the z's
/// standard errors) and P(Σ λ_j χ²₁ >= Σ z²), the p-value (see the header
/// note, point 3).
struct moment_test {
  double chi_square = 0.0;
  std::vector<double> weights;
  double p_value = std::numeric_limits<double>::quiet_NaN();
};
inline moment_test moment_fit_test(const std::vector<calibration_moment> &mo,
                                   const moment_covariance &cov_obs,
                                   const moment_covariance &cov_sim) {
  moment_test t;
  std::vector<std::size_t> used;
  for (std::size_t i = 0; i < mo.size() && i < calib_moment_count; ++i)
    if (mo[i].fitted && std::isfinite(mo[i].z)) {
      t.chi_square += mo[i].z * mo[i].z;
      used.push_back(i);
    }
  const std::size_t u = used.size();
  if (u == 0)
    return t;
  std::vector<double> corr(u * u);
  bool finite = true;
  for (std::size_t a = 0; a < u; ++a)
    for (std::size_t b = 0; b < u; ++b) {
      const std::size_t i = used[a], j = used[b];
      const double sa = std::hypot(mo[i].observed_se, mo[i].simulated_se);
      const double sb = std::hypot(mo[j].observed_se, mo[j].simulated_se);
      const double c = a == b ? 1.0 : (cov_obs[i][j] + cov_sim[i][j]) / (sa * sb);
      finite = finite && std::isfinite(c);
      corr[a * u + b] = c;
    }
  if (finite) {
    t.weights = symmetric_eigenvalues(std::move(corr), u);
    std::sort(t.weights.rbegin(), t.weights.rend());
    t.p_value = weighted_chi_square_upper_tail(t.weights, t.chi_square);
  } else { // a covariance the samples do not give: the z's taken as uncorrelated
    t.weights.assign(u, 1.0);
    t.p_value = chi_squared_upper_tail(static_cast<double>(u), t.chi_square);
  }
  return t;
}

/// A deals-only ledger's accounts cut into concurrent deal streams (see the
/// header note): an account's number of streams is its time-average number
/// of open opportunities (opportunity events less closes so far), rounded,
/// at least 1; its closed deals (each from its proposal to its close) and
/// its opportunities are dealt to its streams in turn; streams are numbered
/// densely, account by account. Returns the new ledger and the mean streams
/// per account.
inline std::pair<ledger, double> deal_streams(const ledger &l, double end) {
  const auto &order = l.order();
  const auto &off = l.customer_offsets();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  const auto details = l.details();
  ledger out;
  customer_id next = 0;
  double accounts = 0.0, streams_total = 0.0;
  for (std::size_t c = 0; c < l.customer_count(); ++c) {
    const auto b = off[c], e = off[c + 1];
    if (b == e)
      continue;
    // Time-average open opportunities over the account's exposure.
    double open = 0.0, area = 0.0, prev = times[order[b]];
    const double first = prev;
    for (auto i = b; i < e; ++i) {
      const auto r = order[i];
      const double t = std::min(times[r], end);
      area += open * std::max(0.0, t - prev);
      prev = t;
      const auto k = static_cast<event_kind>(kinds[r]);
      if (k == event_kind::opportunity)
        open += 1.0;
      else if (traits(k).closes_deal && open > 0.0)
        open -= 1.0;
    }
    area += open * std::max(0.0, end - prev);
    const double span = std::max(end - first, 1.0);
    const auto k = static_cast<customer_id>(std::max(1.0, std::round(area / span)));
    accounts += 1.0;
    streams_total += static_cast<double>(k);
    // Deal the deals (proposal .. close) and opportunities in turn.
    customer_id deal_to = 0, opp_to = 0;
    for (auto i = b; i < e; ++i) {
      const auto r = order[i];
      const auto kind = static_cast<event_kind>(kinds[r]);
      customer_id s = deal_to;
      if (kind == event_kind::opportunity) {
        s = opp_to;
        opp_to = (opp_to + 1) % k;
      }
      out.append(event{next + s, times[r], kind, amounts[r], details[r]});
      if (traits(kind).closes_deal)
        deal_to = (deal_to + 1) % k;
    }
    next += k;
  }
  return {std::move(out), accounts > 0.0 ? streams_total / accounts : 1.0};
}

/// The step of the Jacobian's forward differences on the estimation scale
/// (log, logit), and the least slope an interval divides by.
inline constexpr double jacobian_step = 0.2;
inline constexpr double min_slope = 0.05;
/// Deals only: a first run of corrections whose best gap (in standard
/// errors) is above this is run again with the simulated markets' EM started
/// from the ledger's fit. Of 24 pairs of ledger seed 1-8 and calibration
/// seed 1, 5, 9 (3,000 customers) the first run ended at most 2.2 from the
/// ledger where it did not stall, 4.5-11 where it did.
inline constexpr double restart_gap = 3.0;

/// The smallest damping of a correction (its step's fraction): a failed
/// correction is retried with half the step down to this, and one that fails
/// here ends the run ("stalled"; the next would repeat it).
inline constexpr double min_damping = 0.125;

/// The label check's thresholds: |z| and |log ratio| (25%).
inline constexpr double label_z = 3.0;
inline constexpr double label_log_ratio = 0.22314355131420976;

inline double calibration_logit(double p) {
  return std::log(p / (1.0 - p));
}
inline double inv_logit(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

} // namespace detail

/// Calibrate the synthetic-customer model to `observed` (see the header
/// note). Throws invalid_input naming the field: "ledger" if it has no
/// events, "deals" if it has no closed deal (deal_won / deal_lost),
/// "proposal" if it has no priced proposal, "time" if its span is empty,
/// and the options' fields.
[[nodiscard]] inline calibration_result calibrate_market(const ledger &observed,
                                                         const calibration_options &opt = {}) {
  opt.validate();
  if (observed.empty())
    throw invalid_input("ledger", "has no events: nothing to calibrate to");
  const auto times = observed.times();
  double t0 = std::numeric_limits<double>::infinity(), t1 = -t0;
  for (double t : times) {
    if (!std::isfinite(t))
      continue;
    t0 = std::min(t0, t);
    t1 = std::max(t1, t);
  }
  const double horizon = std::isnan(opt.horizon_days) ? t1 - t0 : opt.horizon_days;
  if (!(horizon > 0.0))
    throw invalid_input("time", "the ledger spans no time (all events at one instant)");
  const auto recorded = detail::kinds_recorded(observed);
  const auto ev = detail::calib_evidence(recorded);
  // A deals-only ledger whose accounts run deals side by side: the model's
  // customers are the accounts' deal streams.
  ledger streams;
  const ledger *fit_on = &observed;
  double per_account = 1.0;
  if (ev.deals_only()) {
    auto [sl, m] = detail::deal_streams(observed, t0 + horizon);
    if (m > 1.0) {
      streams = std::move(sl);
      fit_on = &streams;
      per_account = m;
    }
  }
  const auto obs = detail::calib_summaries(*fit_on, t0, t0 + horizon);
  double deals = 0.0, props = 0.0;
  for (const auto &s : obs) {
    deals += s.deals;
    props += s.proposals;
  }
  if (!(deals > 0.0))
    throw invalid_input("deals", "the ledger has no closed deal (deal_won or deal_lost): win rates "
                                 "and deal frequencies cannot be estimated");
  if (!(props > 0.0))
    throw invalid_input("proposal", "the ledger has no proposal with a positive amount: deal sizes "
                                    "cannot be estimated");

  calibration_result res;
  res.start = opt.start;
  res.customers = obs.size();
  res.events = observed.size();
  res.start_time = t0;
  res.horizon_days = horizon;
  res.evidence = ev;
  res.accounts =
      per_account > 1.0 ? detail::calib_summaries(observed, t0, t0 + horizon).size() : obs.size();
  res.streams_per_account = per_account;
  if (!ev.exits)
    res.not_fitted.emplace_back(
        "churn_per_year, return_share: the ledger records no churn, fire or return, so neither "
        "churn nor return can be estimated; both keep the start model's values (assumed)");
  if (!ev.purchases)
    res.not_fitted.emplace_back(
        "purchases_per_year: the ledger records no repeat order; kept at the start model's "
        "values (assumed)");
  if (!ev.meetings)
    res.not_fitted.emplace_back(
        "meeting_days: the ledger records no meeting; kept at the start model's values (assumed)");
  if (!ev.quotes)
    res.not_fitted.emplace_back(
        "quote_prob: the ledger records no rival quote; if it records no scope change either, "
        "the price cuts of matched quotes and late scope cuts cannot be told from concessions, "
        "so quote_prob and scope_cut_prob are scaled with concessions to match the realisation "
        "(assumed: in the start model's proportions); otherwise kept at the start model's values");
  if (ev.deals_only())
    res.not_fitted.emplace_back(
        "events per customer: a deals-only ledger's events are its deals' as its importer lays "
        "them out (one concession event per discount), not the generator's; shown, not fitted");
  if (ev.deals_only())
    res.not_fitted.emplace_back(
        "margin and every other parameter: a CRM export records deals only (no margin, no cost, "
        "no relationship events); they keep the start model's values (assumed)");
  const auto init = detail::auxiliary_start(opt.start);
  res.observed =
      detail::fit_auxiliary(obs, init, opt.em_iterations, opt.em_tolerance, ev, opt.threads);
  const auto &ao = res.observed;
  for (std::size_t k = 0; k < archetype_count; ++k)
    res.identified[k] = ao.customers[k] >= opt.min_customers;

  // The first guess: the observed auxiliary values taken at face value.
  market_model m = opt.start;
  for (std::size_t k = 0; k < archetype_count; ++k) {
    m.mix[k] = ao.mix[k];
    if (!res.identified[k])
      continue;
    auto &a = m.archetypes[k];
    a.deals_per_year = ao.deals_per_year[k];
    if (ev.exits) {
      a.churn_per_year = ao.churn_per_year[k];
      a.return_share = std::clamp(ao.return_rate[k], 0.0, 1.0);
    }
    a.deal_size = std::exp(ao.log_size[k]);
    a.win_prob = std::clamp(a.win_prob * ao.win_rate[k] / init.win_rate[k], 1e-4, 1.0 - 1e-4);
  }

  market_params mp;
  mp.customers = static_cast<std::uint32_t>(
      std::max(1.0, std::round(static_cast<double>(obs.size()) * opt.simulation_factor)));
  mp.horizon_days = horizon;
  mp.start_time = t0;
  mp.threads = opt.threads;
  std::vector<archetype> labels;
  detail::recorded_kinds generated{}; // kinds the generator emitted (last market)
  const auto openers = detail::exposure_openers(recorded);
  auto sim_summaries = [&](const market_model &mm, std::uint64_t seed) {
    mp.model = mm;
    mp.mix = mm.mix;
    mp.seed = seed;
    const auto gen = generate_market(mp);
    generated = detail::kinds_recorded(gen.events);
    std::vector<std::uint32_t> ids;
    // seen as the observed ledger records it (only its kinds of event)
    auto cs = detail::calib_summaries(gen.events, t0, t0 + horizon, &ids, &recorded, &openers);
    labels.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      labels[i] = gen.archetypes[ids[i]];
    return cs;
  };

  // Standard errors of the observed auxiliary values (bootstrap over
  // customers) and which of them the corrections match.
  constexpr std::size_t K = archetype_count;
  constexpr std::size_t F = calibrated_fields.size();
  const auto obs_v = detail::aux_scale(ao);
  const auto obs_se = detail::aux_bootstrap_se(obs, ao, opt.bootstrap, opt.seed, opt.em_iterations,
                                               opt.em_tolerance, ev, opt.threads);
  std::array<std::array<bool, detail::aux_values>, K> use{};
  for (std::size_t k = 0; k < K; ++k) {
    use[k][F] = true; // the mix
    if (!res.identified[k])
      continue;
    use[k][0] = use[k][1] = use[k][2] = use[k][5] = true;
    use[k][3] = use[k][4] = ev.exits;
    use[k][6] = ev.purchases;
    use[k][7] = ev.meetings;
  }
  auto revenue_rate = [](const std::vector<detail::calib_customer> &cs) {
    double r = 0.0, e = 0.0;
    for (const auto &c : cs) {
      r += c.revenue;
      e += c.exposure;
    }
    return e > 0.0 ? r / e : 0.0;
  };
  const double ro = revenue_rate(obs);
  // On a deals-only ledger deal_size_sigma is matched to the revenue rate
  // (its log, in its delta-method standard error).
  const double ro_se = detail::ratio_moment(
                           obs, [](const detail::calib_customer &c) { return c.revenue; },
                           [](const detail::calib_customer &c) { return c.exposure; })
                           .second /
                       std::max(ro, 1e-300);
  const double n_obs = static_cast<double>(obs.size());
  // a share's binomial error, the least error a mix share has (an empty
  // component's bootstrap spread is nil)
  const auto share_se_floor = [n_obs](double share) {
    const double p = std::clamp(share, 0.0, 1.0);
    return std::sqrt((p * (1.0 - p) + 1.0 / n_obs) / n_obs);
  };
  // The summary moments the check reads also enter the gap (the per-archetype
  // values of a weakly separated mixture are noisy; their aggregates are not).
  const auto obs_m = detail::calib_moments(obs);
  auto moment_used = [&](const std::string &name) {
    if (name == "events_per_customer")
      return false; // its kinds are matched in the check, not here
    if (!ev.exits && (name == "churn_per_customer_year" || name == "return_share"))
      return false;
    return true;
  };
  // The summary moments' part of the gap: Σ d² and the count of terms, for
  // simulated moments sm and revenue per customer-year rs.
  auto moment_terms = [&](const std::vector<calibration_moment> &sm, double rs, double &ss,
                          double &n) {
    for (std::size_t i = 0; i < obs_m.size(); ++i) {
      const auto &o = obs_m[i];
      if (!moment_used(o.name) || !(o.observed_se > 0.0) || !std::isfinite(sm[i].observed))
        continue;
      const double d = (sm[i].observed - o.observed) / o.observed_se;
      ss += d * d;
      n += 1.0;
    }
    if (ev.deals_only() && ro > 0.0 && rs > 0.0 && ro_se > 0.0) {
      const double d = std::log(rs / ro) / ro_se;
      ss += d * d;
      n += 1.0;
    }
  };
  // sm: the simulated market's summary moments (detail::calib_moments)
  auto gap_of = [&](const auxiliary_fit &as, double rs, const std::vector<calibration_moment> &sm) {
    const auto v = detail::aux_scale(as);
    double ss = 0.0, n = 0.0;
    moment_terms(sm, rs, ss, n);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = 0; j < detail::aux_values; ++j)
        if (use[k][j]) {
          // floors: a share's binomial error, else 1e-3 on the estimation scale
          const double floor = j == F ? share_se_floor(obs_v[k][F]) : 1e-3;
          const double d = (v[k][j] - obs_v[k][j]) / std::max(obs_se[k][j], floor);
          ss += d * d;
          n += 1.0;
        }
    return n > 0.0 ? std::sqrt(ss / n) : 0.0;
  };

  // Damped corrections from the best model so far: a correction that does
  // not shrink the gap is retried from the best model with half the step.
  // One run from first_guess, the simulated markets' EM (deals only)
  // started from em_start; fills out's iterations, best_iteration,
  // stop_reason, max_change, simulated and gap, returns the best model.
  auto corrections = [&](const market_model &first_guess, const auxiliary_fit &em_start,
                         calibration_result &out, std::vector<calibration_moment> &sm_out,
                         double &rs_out) -> market_model {
    market_model cur = first_guess;
    market_model best = cur;
    auxiliary_fit best_as;
    std::vector<calibration_moment> best_sm;
    double best_gap = std::numeric_limits<double>::infinity(), best_rs = 0.0, best_dr = 0.0,
           lambda = 1.0;
    unsigned since_best = 0;
    out.stop_reason = "iterations";
    for (unsigned it = 0; it < opt.iterations; ++it) {
      const auto sim = sim_summaries(cur, opt.seed);
      // With every kind of evidence the mixture tells the archetypes apart
      // and the simulated market is fitted with its known labels; on a
      // ledger that records less (a CRM export) the EM misassigns customers,
      // and the simulated market takes the same estimator as the ledger.
      // Its components' labels are the EM's, which depend on where it
      // starts: em_start (see the header note).
      const double rs_now = revenue_rate(sim);
      const auto fitted_sim = ev.deals_only()
                                  ? detail::fit_auxiliary(sim, em_start, opt.em_iterations,
                                                          opt.em_tolerance, ev, opt.threads)
                                  : detail::fit_auxiliary_labelled(sim, labels, init);
      auto sm_now = detail::calib_moments(sim);
      const double g = gap_of(fitted_sim, rs_now, sm_now);
      out.iterations = it + 1;
      if (g < best_gap) {
        best = cur;
        best_as = fitted_sim;
        best_gap = g;
        best_rs = rs_now;
        best_sm = std::move(sm_now);
        best_dr = best_sm[detail::moment_deals].observed;
        out.best_iteration = it + 1;
        since_best = 0;
        lambda = std::min(1.0, lambda * 1.5);
      } else {
        ++since_best;
        const bool at_floor = lambda <= detail::min_damping;
        lambda = std::max(detail::min_damping, lambda * 0.5);
        cur = best;
        // At the floor the next correction, from the same best model with
        // the same step and common random numbers, would repeat this one.
        if (at_floor) {
          out.stop_reason = "stalled";
          break;
        }
      }
      if (best_gap <= opt.tolerance) {
        out.stop_reason = "converged";
        break;
      }
      if (since_best >= opt.patience) {
        out.stop_reason = "stalled";
        break;
      }
      if (it + 1 == opt.iterations)
        break;
      const auto &as = best_as;
      double change = 0.0;
      auto mult = [&](double &v, double target, double got, double lo, double hi) {
        if (!(got > 1e-12) || !(target > 1e-12))
          return;
        const double nv =
            std::clamp(v * std::pow(std::clamp(target / got, 0.5, 2.0), lambda), lo, hi);
        change = std::max(change, std::abs(nv - v) / std::max(std::abs(v), 1e-9));
        v = nv;
      };
      auto logit_step = [&](double &v, double target, double got) {
        const double vv = std::clamp(v, 1e-4, 1.0 - 1e-4);
        const double nv = std::clamp(
            detail::inv_logit(detail::calibration_logit(vv) +
                              lambda *
                                  (detail::calibration_logit(std::clamp(target, 1e-4, 1.0 - 1e-4)) -
                                   detail::calibration_logit(std::clamp(got, 1e-4, 1.0 - 1e-4)))),
            0.0, 1.0);
        change = std::max(change, std::abs(nv - v) / std::max(v, 1e-3));
        v = nv;
      };
      // The spread of deal sizes (deal_size_sigma, one for the model): on a
      // deals-only ledger the sizes are most of what there is, and revenue
      // follows their mean, exp(σ²/2) times the median's: σ² moves by twice
      // the log ratio of observed to simulated revenue per customer-year.
      if (ev.deals_only()) {
        const double rs = best_rs;
        if (ro > 0.0 && rs > 0.0) {
          const double s2 = cur.deal_size_sigma * cur.deal_size_sigma;
          const double ns2 =
              std::clamp(s2 + lambda * std::clamp(2.0 * std::log(ro / rs), -0.5, 0.5), 0.0, 9.0);
          const double ns = std::sqrt(ns2);
          change = std::max(change, std::abs(ns - cur.deal_size_sigma) /
                                        std::max(cur.deal_size_sigma, 0.05));
          cur.deal_size_sigma = ns;
        }
      }
      std::array<double, archetype_count> mix = cur.mix;
      for (std::size_t k = 0; k < archetype_count; ++k)
        mult(mix[k], ao.mix[k], as.mix[k], 1e-6, 1.0);
      double tot = 0.0;
      for (double w : mix)
        tot += w;
      for (std::size_t k = 0; k < archetype_count; ++k)
        cur.mix[k] = mix[k] / tot;
      for (std::size_t k = 0; k < archetype_count; ++k) {
        if (!out.identified[k])
          continue;
        auto &a = cur.archetypes[k];
        mult(a.deals_per_year, ao.deals_per_year[k], as.deals_per_year[k], 1e-3, 365.0);
        if (ev.exits)
          mult(a.churn_per_year, ao.churn_per_year[k], as.churn_per_year[k], 0.0, 50.0);
        logit_step(a.win_prob, ao.win_rate[k], as.win_rate[k]);
        if (ev.exits)
          logit_step(a.return_share, ao.return_rate[k], as.return_rate[k]);
        {
          const double nv =
              a.deal_size *
              std::exp(lambda * std::clamp(ao.log_size[k] - as.log_size[k], -0.7, 0.7));
          change = std::max(change, std::abs(nv - a.deal_size) / a.deal_size);
          a.deal_size = nv;
        }
        // Repeat orders and meeting cadence: the events the mixture also reads.
        if (ev.purchases)
          mult(a.purchases_per_year, ao.purchases_per_year[k], as.purchases_per_year[k], 0.0,
               365.0);
        if (ev.meetings) {
          double per_year = 365.0 / a.meeting_days;
          mult(per_year, ao.meetings_per_year[k], as.meetings_per_year[k], 365.0 / 3650.0, 365.0);
          a.meeting_days = 365.0 / per_year;
        }
        // Realisation: the discount (1 − realisation) through the concessions.
        // A ledger that records no rival quote and no scope change cannot
        // tell their price cuts from concessions: all three propensities are
        // scaled alike (named in not_fitted).
        mult(a.concessions, 1.0 - ao.realisation[k], 1.0 - as.realisation[k], 0.0, 20.0);
        if (!ev.quotes && !recorded[static_cast<std::size_t>(event_kind::scope_change)]) {
          mult(a.quote_prob, 1.0 - ao.realisation[k], 1.0 - as.realisation[k], 0.0, 1.0);
          mult(a.scope_cut_prob, 1.0 - ao.realisation[k], 1.0 - as.realisation[k], 0.0, 1.0);
        }
      }
      // The ledger's deal frequency as a whole: on a deals-only ledger the
      // mixture's components are weakly told apart, so their deal rates are
      // noisy and their corrections need not move the total as far as the
      // data says; all the fitted rates are scaled by what is left of the
      // gap between observed and simulated deals per customer-year after the
      // per-archetype corrections (their expected change, mix-weighted).
      if (ev.deals_only() && best_dr > 0.0 && obs_m[detail::moment_deals].observed > 0.0) {
        double before = 0.0, after = 0.0;
        for (std::size_t k = 0; k < archetype_count; ++k)
          if (out.identified[k]) {
            before += cur.mix[k] * best.archetypes[k].deals_per_year;
            after += cur.mix[k] * cur.archetypes[k].deals_per_year;
          }
        if (before > 0.0 && after > 0.0) {
          const double want = std::pow(
              std::clamp(obs_m[detail::moment_deals].observed / best_dr, 0.5, 2.0), lambda);
          const double extra = std::clamp(want / (after / before), 0.8, 1.25);
          for (std::size_t k = 0; k < archetype_count; ++k)
            if (out.identified[k]) {
              auto &dp = cur.archetypes[k].deals_per_year;
              dp = std::clamp(dp * extra, 1e-3, 365.0);
            }
          change = std::max(change, std::abs(extra - 1.0));
        }
      }
      out.max_change = change;
    }
    out.simulated = best_as;
    out.gap = best_gap;
    sm_out = std::move(best_sm);
    rs_out = best_rs;
    return best;
  };
  // Deals only, after the corrections of the kept run: the moment polish
  // (see the header note). Undamped steps on the levels the summary moments
  // measure, each archetype's alike, kept while they shrink the moments'
  // part of the gap; updates best (the model), best_sm and best_rs (its
  // market's moments and revenue rate), out's simulated, gap and
  // polish_steps.
  auto polish = [&](market_model &best, std::vector<calibration_moment> &best_sm, double best_rs,
                    const auxiliary_fit &em_start, calibration_result &out) {
    out.polish_steps = 0;
    auxiliary_fit best_as = out.simulated;
    double best_gap = out.gap;
    std::vector<detail::calib_customer> best_sim;
    if (!best_sm.empty()) {
      auto moment_gap = [&](const std::vector<calibration_moment> &sm, double rs) {
        double ss = 0.0, n = 0.0;
        moment_terms(sm, rs, ss, n);
        return n > 0.0 ? std::sqrt(ss / n) : 0.0;
      };
      auto clamped_logit = [](double p) {
        return detail::calibration_logit(std::clamp(p, 1e-4, 1.0 - 1e-4));
      };
      double best_mg = moment_gap(best_sm, best_rs);
      for (unsigned step = 0; step < opt.patience; ++step) {
        const auto &sm = best_sm;
        const auto level = [&](std::size_t j) { return obs_m[j].observed / sm[j].observed; };
        const double dl = std::log(level(detail::moment_deals));
        const double wl = clamped_logit(obs_m[detail::moment_win].observed) -
                          clamped_logit(sm[detail::moment_win].observed);
        // the discount 1 − realisation, through the concessions
        const double rl = (1.0 - obs_m[detail::moment_realisation].observed) /
                          std::max(1.0 - sm[detail::moment_realisation].observed, 1e-9);
        const double ml =
            obs_m[detail::moment_log_size].observed - sm[detail::moment_log_size].observed;
        if (!std::isfinite(dl) || !std::isfinite(wl) || !std::isfinite(rl) || !std::isfinite(ml))
          break;
        market_model c = best;
        const double f = std::clamp(rl, 0.8, 1.25);
        for (std::size_t k = 0; k < archetype_count; ++k) {
          if (!out.identified[k])
            continue;
          auto &a = c.archetypes[k];
          a.deals_per_year =
              std::clamp(a.deals_per_year * std::exp(std::clamp(dl, -0.2, 0.2)), 1e-3, 365.0);
          a.win_prob = std::clamp(
              detail::inv_logit(clamped_logit(a.win_prob) + std::clamp(wl, -0.5, 0.5)), 0.0, 1.0);
          a.deal_size *= std::exp(std::clamp(ml, -0.2, 0.2));
          a.concessions = std::clamp(a.concessions * f, 0.0, 20.0);
          if (!ev.quotes && !recorded[static_cast<std::size_t>(event_kind::scope_change)]) {
            a.quote_prob = std::clamp(a.quote_prob * f, 0.0, 1.0);
            a.scope_cut_prob = std::clamp(a.scope_cut_prob * f, 0.0, 1.0);
          }
        }
        if (ro > 0.0 && best_rs > 0.0) {
          // Revenue per customer-year is deals × win rate × realisation ×
          // exp(mean log size + σ²/2): σ² takes twice what the other levels
          // leave of revenue's log ratio.
          const double left = std::log(ro / best_rs) - dl - std::log(level(detail::moment_win)) -
                              std::log(level(detail::moment_realisation)) - ml;
          const double s2 = c.deal_size_sigma * c.deal_size_sigma;
          c.deal_size_sigma =
              std::sqrt(std::clamp(s2 + std::clamp(2.0 * left, -0.5, 0.5), 0.0, 9.0));
        }
        auto sim = sim_summaries(c, opt.seed);
        const double rs = revenue_rate(sim);
        auto smn = detail::calib_moments(sim);
        const double mg = moment_gap(smn, rs);
        if (!(mg < best_mg))
          break;
        best = c;
        best_sm = std::move(smn);
        best_rs = rs;
        best_mg = mg;
        best_sim = std::move(sim);
        ++out.polish_steps;
      }
    }
    // the mixture fit of the kept step's market only (the steps read moments)
    if (out.polish_steps > 0) {
      best_as = detail::fit_auxiliary(best_sim, em_start, opt.em_iterations, opt.em_tolerance, ev,
                                      opt.threads);
      best_gap = gap_of(best_as, best_rs, best_sm);
    }
    out.simulated = best_as;
    out.gap = best_gap;
  };
  // The simulated markets' EM (deals only) starts from the table, as the
  // ledger's does; when those corrections stall far from the ledger
  // (detail::restart_gap) they are run again with the EM started from the
  // ledger's fit, and the run with the smaller gap is kept (see the header
  // note).
  const auxiliary_fit *em_start = &init;
  {
    std::vector<calibration_moment> sm;
    double rs = 0.0;
    market_model first = corrections(m, init, res, sm, rs);
    if (ev.deals_only() && res.gap > detail::restart_gap) {
      calibration_result again = res; // the corrections' fields are all it changes
      std::vector<calibration_moment> sm2;
      double rs2 = 0.0;
      market_model second = corrections(m, ao, again, sm2, rs2);
      const double first_gap = res.gap;
      if (again.gap < first_gap) {
        res = std::move(again);
        res.restarted = true;
        first = second;
        sm = std::move(sm2);
        rs = rs2;
        em_start = &ao;
      }
      res.first_run_gap = first_gap;
    }
    res.corrections_gap = res.gap;
    if (ev.deals_only() && opt.polish)
      polish(first, sm, rs, *em_start, res);
    m = first;
  }
  m.validate();
  res.model = m;

  // Intervals (see the header note): the observed auxiliary values' bootstrap
  // standard errors, carried to the parameters through the estimated slope
  // of each auxiliary value in its parameter on the estimation scale (the
  // Jacobian's diagonal, by a forward difference with common random
  // numbers: each field moved by jacobian_step for every fitted archetype
  // at once, one market per field), inflated by the simulated market's own
  // noise.
  const auto base = detail::aux_scale(res.simulated);
  // With every kind of evidence the simulated markets are fitted with their
  // known labels, the ledger by EM: the two estimators differ by the EM's
  // misassignments, which the corrections do not see. Their difference on
  // the calibrated model's market (EM from the ledger's fit against the
  // labelled fit) is carried to each parameter's error through its slope.
  detail::aux_vector mislabel{};
  if (!ev.deals_only()) {
    const auto sim = sim_summaries(m, opt.seed);
    const auto em = detail::aux_scale(
        detail::fit_auxiliary(sim, ao, opt.em_iterations, opt.em_tolerance, ev, opt.threads));
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = 0; j < detail::aux_values; ++j)
        mislabel[k][j] = em[k][j] - base[k][j];
  }
  {
    for (std::size_t k = 0; k < K; ++k)
      res.slope[k].fill(std::numeric_limits<double>::quiet_NaN());
    for (std::size_t j = 0; j < F; ++j) {
      bool any = false;
      for (std::size_t k = 0; k < K; ++k)
        any = any || use[k][j];
      if (!any)
        continue;
      const double h = detail::jacobian_step;
      const double up = std::exp(h);
      market_model mm = m;
      auto logit_up = [h](double &v) {
        v = detail::inv_logit(detail::calibration_logit(std::clamp(v, 1e-4, 1.0 - 1e-4)) + h);
      };
      for (std::size_t k = 0; k < K; ++k) {
        if (!use[k][j])
          continue;
        auto &a = mm.archetypes[k];
        switch (j) {
        case 0:
          a.deals_per_year *= up;
          break;
        case 1:
          logit_up(a.win_prob);
          break;
        case 2:
          a.concessions *= up;
          // moved together in the corrections when the ledger cannot tell them apart
          if (!ev.quotes && !recorded[static_cast<std::size_t>(event_kind::scope_change)]) {
            a.quote_prob = std::min(1.0, a.quote_prob * up);
            a.scope_cut_prob = std::min(1.0, a.scope_cut_prob * up);
          }
          break;
        case 3:
          a.churn_per_year *= up;
          break;
        case 4:
          logit_up(a.return_share);
          break;
        case 5:
          a.deal_size *= up;
          break;
        case 6:
          a.purchases_per_year *= up;
          break;
        default:
          a.meeting_days *= up;
          break;
        }
      }
      const auto sim = sim_summaries(mm, opt.seed);
      // deals only: the EM from the start the kept corrections used
      const auto fit = ev.deals_only() ? detail::fit_auxiliary(sim, *em_start, opt.em_iterations,
                                                               opt.em_tolerance, ev, opt.threads)
                                       : detail::fit_auxiliary_labelled(sim, labels, init);
      const auto moved = detail::aux_scale(fit);
      for (std::size_t k = 0; k < K; ++k)
        if (use[k][j])
          res.slope[k][j] = (moved[k][j] - base[k][j]) / h;
    }
  }
  {
    const double zq = detail::normal_quantile(0.5 + opt.level / 2.0);
    const double inflate = std::sqrt(1.0 + 1.0 / opt.simulation_factor);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t k = 0; k < K; ++k) {
      const auto &a = m.archetypes[k];
      const std::array<double, F> value{a.deals_per_year,     a.win_prob,     a.concessions,
                                        a.churn_per_year,     a.return_share, a.deal_size,
                                        a.purchases_per_year, a.meeting_days};
      for (std::size_t j = 0; j < F; ++j) {
        const bool logit = j == 1 || j == 4;
        const double v = value[j];
        const bool ok =
            use[k][j] && std::isfinite(obs_se[k][j]) && (logit ? v > 0.0 && v < 1.0 : v > 0.0);
        res.fitted[k][j] = use[k][j];
        if (!ok) {
          res.se[k][j] = res.lower[k][j] = res.upper[k][j] = nan;
          res.field_identified[k][j] = false;
          continue;
        }
        // a slope below min_slope (or of the wrong sign) says the value
        // barely moves its auxiliary value: the interval is that wide
        const double slope = std::isfinite(res.slope[k][j]) ? res.slope[k][j] : 1.0;
        // the corrections stop short of solving aux_sim(θ) = aux_obs (the
        // returned model's gap is not nil): what is left of this value's
        // gap, carried to the parameter, is an error of its own
        const double left = (base[k][j] - obs_v[k][j]) / std::max(slope, detail::min_slope);
        const double wrong = mislabel[k][j] / std::max(slope, detail::min_slope);
        const double se =
            std::hypot(std::hypot(obs_se[k][j] * inflate / std::max(slope, detail::min_slope),
                                  std::isfinite(left) ? left : 0.0),
                       std::isfinite(wrong) ? wrong : 0.0);
        res.se[k][j] = se;
        if (logit) {
          const double x = detail::calibration_logit(v);
          res.lower[k][j] = detail::inv_logit(x - zq * se);
          res.upper[k][j] = detail::inv_logit(x + zq * se);
        } else {
          res.lower[k][j] = v * std::exp(-zq * se);
          res.upper[k][j] = v * std::exp(zq * se);
        }
        res.field_identified[k][j] = zq * se <= opt.max_half_width;
      }
      // the mix on its own scale (a share; a component may be empty: then
      // the binomial floor, not a zero-width interval)
      const double se = std::max(obs_se[k][F], share_se_floor(m.mix[k])) * inflate;
      res.mix_se[k] = se;
      res.mix_lower[k] = std::max(0.0, m.mix[k] - zq * se);
      res.mix_upper[k] = std::min(1.0, m.mix[k] + zq * se);
    }
  }

  // The label check (see the header note): each fitted component's service
  // issues, promises, referrals and support, which the calibration does not
  // fit, against those its archetype's profile gives the same customers.
  {
    auto has = [&](event_kind k) { return recorded[static_cast<std::size_t>(k)]; };
    const bool other = has(event_kind::service_issue) || has(event_kind::promise_kept) ||
                       has(event_kind::promise_broken) || has(event_kind::referral_given) ||
                       has(event_kind::support);
    const auto sim_v = detail::aux_scale(res.simulated);
    constexpr std::size_t O = F + 1;
    res.label_identified.fill(true);
    res.label_z.fill(std::numeric_limits<double>::quiet_NaN());
    for (std::size_t k = 0; other && k < K; ++k) {
      if (!res.identified[k])
        continue;
      const double se = obs_se[k][O] * std::sqrt(1.0 + 1.0 / opt.simulation_factor);
      const double d = obs_v[k][O] - sim_v[k][O];
      // the gap's floor on the estimation scale: a spread of nil over the
      // bootstrap (no such events in any replicate) does not hide a gap
      const double z = d / std::max(se, 1e-3);
      res.label_z[k] = z;
      if (std::isfinite(z) && std::abs(z) > detail::label_z &&
          std::abs(d) > detail::label_log_ratio) {
        res.label_identified[k] = false;
        const char *fmt =
            "%s: the %.0f customers fitted to it have %.3g service issues, promises, referrals "
            "and support contacts a year, its profile gives them %.3g (z %.1f): they are not "
            "%s customers, and the rates calibration does not fit (those, deal growth, margins) "
            "are that archetype's, not theirs";
        const std::string name(archetype_names[k]);
        const double c = ao.customers[k], got = std::exp(obs_v[k][O]), want = std::exp(sim_v[k][O]);
        // sized by a first call: the sentence is never cut short
        const int len = std::snprintf(nullptr, 0, fmt, name.c_str(), c, got, want, z, name.c_str());
        std::string text(static_cast<std::size_t>(std::max(len, 0)) + 1, '\0');
        std::snprintf(text.data(), text.size(), fmt, name.c_str(), c, got, want, z, name.c_str());
        text.pop_back();
        res.identification.push_back(std::move(text));
      }
    }
  }

  // Fit quality on a fresh market from the calibrated model.
  const auto check = sim_summaries(m, opt.seed + 1);
  // Events per customer count the kinds both the ledger and the generator
  // have (a CRM export's opportunity events have no counterpart).
  detail::recorded_kinds both{};
  for (std::size_t i = 0; i < both.size(); ++i)
    both[i] = recorded[i] && generated[i];
  std::vector<detail::calib_customer> obs_both;
  if (both != recorded)
    obs_both = detail::calib_summaries(*fit_on, t0, t0 + horizon, nullptr, &both);
  const auto &obs_check = both == recorded ? obs : obs_both;
  res.moments = detail::calib_moments(obs_check);
  const auto sm = detail::calib_moments(check);
  for (std::size_t i = 0; i < res.moments.size(); ++i) {
    auto &mo = res.moments[i];
    mo.simulated = sm[i].observed;
    mo.simulated_se = sm[i].observed_se;
    // Moments of evidence the ledger does not record are shown, not fitted.
    // On a deals-only ledger the events are the deals' own, laid out by its
    // importer (a CRM export: opportunity, proposal, one concession per
    // discount, close), so events per customer restates the deal count in
    // the importer's layout, not the generator's: shown, not fitted.
    if ((!ev.exits && (mo.name == "churn_per_customer_year" || mo.name == "return_share")) ||
        (ev.deals_only() && mo.name == "events_per_customer")) {
      mo.fitted = false;
      mo.z = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double se = std::hypot(mo.observed_se, mo.simulated_se);
    mo.z = se > 0.0 ? (mo.observed - mo.simulated) / se : std::numeric_limits<double>::quiet_NaN();
  }
  const auto test = detail::moment_fit_test(res.moments, detail::calib_moment_covariance(obs_check),
                                            detail::calib_moment_covariance(check));
  res.chi_square = test.chi_square;
  res.chi_square_weights = test.weights;
  res.p_value = test.p_value;
  return res;
}

} // namespace goodwill

#endif // GOODWILL_SYNTHETIC_CALIBRATE_HPP
