// goodwill — account health and the salesperson scorecard: differences from
// the portfolio that are tested, not eyeballed.
//
// Design. One pass over each customer's events (time order, ties in arrival
// order) finds its deals and its trust; the deals are then grouped by account
// (account_health) or by the salesperson on the close event (rep_scorecard)
// and every group gets, per metric, its raw value, an empirical-Bayes (shrunk)
// estimate with an equal-tailed interval (90% by default), and — where it has
// enough data — a two-sided p-value for "different from the portfolio". The
// p-values of every (group, metric) tested form one Benjamini–Hochberg family;
// q-values are returned and a group is flagged on a metric where q <= fdr
// (0.10 by default).
//
// Deals (closes with time in the window [start, end]; default: the ledger's
// first and last event time):
//   a deal closes with deal_won (amount: close value) or deal_lost;
//   its list price   = the amount of the customer's latest `proposal` since
//                      the previous close (none: not known);
//   its concessions  = the sum of `concession` amounts since the previous close;
//   its opening      = the oldest `opportunity` event not yet matched to a
//                      close (first opened, first closed), else the first
//                      `lead` or `proposal` since the previous close (none:
//                      not known). Every opportunity event is matched to at
//                      most one close.
// Metrics:
//   win_rate         = won / (won + lost);
//   realisation      = close value / list price, per won deal with a known
//                      list price > 0, averaged per group;
//   concession_depth = concessions / (close value + concessions), per won deal
//                      (the share of the price before concessions given away);
//   cycle_time       = close time − opening, in days, per deal (won or lost)
//                      with a known opening; analysed on log(1 + days), the
//                      estimate reported back in days as exp(mean) − 1;
//   deal_flow        = closes in the second half of the window / closes in the
//                      first half (a rate ratio: the halves are equally long);
//   trust            = accounts: α/(α+β) of the trust evidence (trust.hpp,
//                      with the given trust_params) after every event at or
//                      before `end`, faded to `end`; salespeople: the mean,
//                      over their deals, of the customer's trust just after
//                      the close;
//   trust_trend      = accounts: trust at `end` − trust at end − lookback
//                      (90 days), each faded to its time; salespeople: mean
//                      trust after their closes in (end − lookback, end] −
//                      the mean after their earlier closes.
// A metric whose input the ledger lacks is not available, with the reason:
// realisation without any won deal with a list price (no proposals),
// concession depth without any `concession` event (0 would be made up),
// cycle time without any opening before a close, trust trend when the window
// is shorter than the lookback.
//
// Statistics (k = groups with data for the metric):
//   win_rate, deal_flow: beta-binomial empirical Bayes. Portfolio rate
//     μ = Σx/Σn; intra-class correlation ρ by the method of moments (Kleinman
//     1973): S = Σ n_i (x_i/n_i − μ)²,
//       ρ = (S/(μ(1−μ)) − (k−1)) / (Σ(n_i−1) − Σ n_i(n_i−1)/Σn),
//     prior Beta(μM, (1−μ)M) with M = 1/ρ − 1, M capped at Σn (the prior is
//     never more informative than every deal pooled). Posterior
//     Beta(a + x_i, b + n_i − x_i): mean, equal-tailed quantiles (Boost.Math).
//     Test of H0 "rate = μ": two-sided mid-p binomial tail probability,
//     p = min(1, 2·min(P(X<x) + ½P(X=x), P(X>x) + ½P(X=x))), X ~ Bin(n_i, μ).
//     deal_flow's rate is π = second-half share of closes; its estimate and
//     interval are π/(1−π) of the posterior's.
//   realisation, concession_depth, log cycle time (and the salespeople's
//     trust and trust trend): normal-normal empirical Bayes. Sampling
//     variance v_i = s²/n_i with s² the within-group variance pooled over all
//     groups (a common within-group spread is assumed); between-group variance
//     τ² by the DerSimonian–Laird method of moments; portfolio mean
//     μ = Σ w_i x̄_i / Σ w_i, w_i = 1/(v_i + τ²); shrunk estimate
//     μ + B_i (x̄_i − μ), B_i = τ²/(τ² + v_i), posterior variance
//     B_i v_i + (1 − B_i)²/Σw (Morris 1983: the second term carries μ's
//     uncertainty), normal interval. Test: z = (x̄_i − μ)/√v_i, against an
//     empirical null (below).
//   trust, trust_trend of accounts: H0 "the account's closes are draws from
//     the portfolio's mix of close channels (won at list / after concession /
//     after match, lost on price / otherwise), at the account's own close
//     times; its other events as they are". The evidence is linear in the
//     channel weights (trust.hpp), so its null mean and covariance are exact
//     sums over the closes of the fading weights; trust's (and the trend's,
//     with the covariance of its two ends) follow by the delta method. That
//     null variance is v_i of the normal-normal EB, and z = (trust − null
//     mean)/√v_i.
//   realisation, concession depth, cycle time and the salespeople's trust
//     and trust trend: the z-test uses Efron's (2004) empirical null — z
//     centred and scaled by the median and 1.4826·MAD of the tested groups'
//     z, the scale never below 1 (it may only widen the theoretical null).
//     The centre makes the test "different from the typical (median) group":
//     a few very different groups pull the precision-weighted mean μ away
//     from the rest, and against μ the rest would be flagged in turn. The
//     scale absorbs a sampling variance the pooled variance gets wrong:
//     openings are paired with closes first in, first out (the ledger has no
//     deal ids), and one account's deals share its trust. An empirical null
//     needs min_groups tested groups. Where its scale exceeds 1 the
//     sampling variances are multiplied by scale² for the estimates and
//     intervals too.
// Tests need at least min_deals observations of the metric in the group
// (won deals with a list price for realisation, closed deals for win rate,
// deal flow and trust); others get NaN p and q, and no flag. The portfolio
// estimates need at least min_groups groups with data (else the metric's
// estimates are NaN, with the reason). p-values are computed against a
// portfolio value that includes the group itself (slightly conservative).
// A flag rests on the group's own data (p, q); its shrunk estimate may still
// lie near the portfolio when the between-group variance is small.
// The BH family is every (group, metric) pair with a finite p-value, across
// all metrics of the one call: m = that count, q_(j) = min_{l >= j} m p_(l)/l.
#ifndef GOODWILL_RELATIONSHIP_HEALTH_HPP
#define GOODWILL_RELATIONSHIP_HEALTH_HPP

#include <goodwill/detail/config.hpp>
#include <goodwill/detail/statistics.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/trust.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace goodwill {

/// The metrics of account_health and rep_scorecard, in column order.
enum class health_metric : std::uint8_t {
  win_rate = 0,
  realisation = 1,
  concession_depth = 2,
  cycle_time = 3,
  deal_flow = 4,
  trust = 5,
  trust_trend = 6,
};

/// Number of health metrics.
inline constexpr std::size_t health_metric_count = 7;

/// Names of the metrics, indexed by code.
inline constexpr std::array<std::string_view, health_metric_count> health_metric_names{
    "win_rate",  "realisation", "concession_depth", "cycle_time",
    "deal_flow", "trust",       "trust_trend"};
template <> struct enum_traits<health_metric> {
  static constexpr const auto &names = health_metric_names;
};

/// Options of account_health and rep_scorecard.
struct health_params {
  /// The window of closes [start, end]; NaN: the ledger's first (last) event time.
  double start = std::numeric_limits<double>::quiet_NaN();
  double end = std::numeric_limits<double>::quiet_NaN();
  /// Trust trend: trust at end minus trust this many days earlier.
  double trust_lookback_days = 90.0;
  /// Observations of a metric a group needs to be tested on it.
  std::uint32_t min_deals = 5;
  /// Groups with data a metric needs for its portfolio prior (and empirical null).
  std::uint32_t min_groups = 10;
  /// Benjamini–Hochberg false-discovery rate of the flags.
  double fdr = 0.10;
  /// Level of the equal-tailed intervals.
  double level = 0.90;
  /// Worker threads for the pass over the ledger (account_health; 0: one per
  /// hardware thread). Results do not depend on it.
  unsigned threads = 1;

  /// Throws invalid_input naming the offending field.
  void validate() const {
    if (!std::isnan(start) && !std::isfinite(start))
      throw invalid_input("start", "must be finite or NaN");
    if (!std::isnan(end) && !std::isfinite(end))
      throw invalid_input("end", "must be finite or NaN");
    if (!std::isnan(start) && !std::isnan(end) && !(start < end))
      throw invalid_input("end", "must be after start");
    if (!(std::isfinite(trust_lookback_days) && trust_lookback_days > 0))
      throw invalid_input("trust_lookback_days", "must be positive and finite");
    if (min_deals < 1)
      throw invalid_input("min_deals", "must be at least 1");
    if (min_groups < 3)
      throw invalid_input("min_groups", "must be at least 3");
    if (!(fdr > 0.0 && fdr < 1.0))
      throw invalid_input("fdr", "must be in (0, 1), got " + std::to_string(fdr));
    if (!(level > 0.0 && level < 1.0))
      throw invalid_input("level", "must be in (0, 1), got " + std::to_string(level));
  }
};

/// One metric's columns (index: group) and what the portfolio says.
struct health_metric_columns {
  /// False when the ledger lacks the metric's input; `reason` says which.
  bool available = false;
  /// Why the metric (or its estimates, or its tests) is not available; empty if all are.
  std::string reason;
  /// The method and its assumptions, in words.
  std::string method;
  /// Observations behind the group's value (deals, won deals with a list, ...).
  std::vector<std::uint32_t> n;
  /// The group's own value (NaN without data), its shrunk estimate and interval.
  std::vector<double> raw, estimate, lower, upper;
  /// Two-sided p-value against the portfolio and BH q-value (NaN: not tested).
  std::vector<double> p, q;
  /// q <= fdr.
  std::vector<std::uint8_t> flag;
  /// The portfolio value the tests compare with (on the reported scale).
  double portfolio = std::numeric_limits<double>::quiet_NaN();
  /// Prior: beta-binomial a, b; normal-normal mean and between-group sd (on
  /// the analysis scale: log(1 + days) for cycle time).
  double prior_1 = std::numeric_limits<double>::quiet_NaN();
  double prior_2 = std::numeric_limits<double>::quiet_NaN();
  /// Empirical null (trust): centre and scale of z; NaN where not used.
  double null_centre = std::numeric_limits<double>::quiet_NaN();
  double null_scale = std::numeric_limits<double>::quiet_NaN();
  /// Groups tested.
  std::uint32_t tested = 0;
};

/// What account_health and rep_scorecard return, column by column.
struct health_table {
  std::size_t groups = 0;
  /// Closes in the window per group.
  std::vector<std::uint32_t> deals_won, deals_lost;
  std::array<health_metric_columns, health_metric_count> metrics;
  /// The window used and the time trust trend looks back to.
  double start = 0, end = 0, trust_then = 0;
  /// Size of the Benjamini–Hochberg family (tests across all metrics) and its rate.
  std::size_t family = 0;
  double fdr = 0.10, level = 0.90;

  [[nodiscard]] health_metric_columns &operator[](health_metric m) noexcept {
    return metrics[static_cast<std::size_t>(m)];
  }
  [[nodiscard]] const health_metric_columns &operator[](health_metric m) const noexcept {
    return metrics[static_cast<std::size_t>(m)];
  }
};

// ---- statistics, usable on their own ---------------------------------------

// bh_qvalues (Benjamini–Hochberg q-values): detail/statistics.hpp, shared
// with the tournament.

/// A Beta prior for rates x_i / n_i across groups by the method of moments.
struct beta_binomial_prior {
  double mean = std::numeric_limits<double>::quiet_NaN(); ///< μ = Σx / Σn
  double rho = std::numeric_limits<double>::quiet_NaN();  ///< intra-class correlation 1/(a+b+1)
  double a = std::numeric_limits<double>::quiet_NaN(), b = std::numeric_limits<double>::quiet_NaN();
  std::size_t groups = 0; ///< groups with n_i > 0
};

/// Fit Beta(a, b) to successes x and trials n by the method of moments (see
/// the design note); a + b is capped at Σn. NaN fields when Σn = 0 or μ is 0 or 1.
[[nodiscard]] GOODWILL_FUNC beta_binomial_prior fit_beta_binomial(std::span<const std::uint32_t> x,
                                                                  std::span<const std::uint32_t> n);

/// Two-sided mid-p binomial test of x successes in n trials against rate p0.
[[nodiscard]] GOODWILL_FUNC double midp_binomial(std::uint32_t x, std::uint32_t n, double p0);

/// Normal-normal empirical Bayes for group means with sampling variances v
/// (groups with v NaN have no data and get the prior).
struct normal_eb_result {
  double mean = std::numeric_limits<double>::quiet_NaN(); ///< μ (precision weighted)
  double tau2 = std::numeric_limits<double>::quiet_NaN(); ///< between-group variance
  double weight = 0;                                      ///< Σ 1/(v_i + τ²)
  std::size_t groups = 0;
  std::vector<double> estimate, variance; ///< shrunk estimate and its posterior variance
};

/// Fit μ and τ² (DerSimonian–Laird) and shrink each x_i by B_i = τ²/(τ² + v_i).
[[nodiscard]] GOODWILL_FUNC normal_eb_result normal_eb(std::span<const double> x,
                                                       std::span<const double> v);

/// Per account (index: dense customer id): win rate, price realisation,
/// concession depth, cycle time, deal-flow trend, trust and its trend, each
/// with a shrunk estimate, an interval, a p-value, a BH q-value and a flag
/// (definitions and statistics in the design note at the top of this header).
/// Throws invalid_input on bad parameters or an empty ledger.
[[nodiscard]] GOODWILL_FUNC health_table
account_health(const ledger &l, const health_params &hp = {},
               const trust_params &tp = trust_params::defaults());

/// Per salesperson: the same metrics over the deals whose close event
/// carries that salesperson. `reps[row]` is the salesperson of ledger row
/// `row` (arrival order; no_rep: none), `rep_count` the number of
/// salespeople (ids 0 .. rep_count−1; the ledger's own column: l.reps(),
/// l.rep_count()). Trust and its trend are those of the
/// customers at the salesperson's closes (see the design note).
/// Throws invalid_input on bad parameters, an empty ledger, a reps column of
/// the wrong length or a rep id out of range (naming the row).
[[nodiscard]] GOODWILL_FUNC health_table
rep_scorecard(const ledger &l, std::span<const std::uint32_t> reps, std::size_t rep_count,
              const health_params &hp = {}, const trust_params &tp = trust_params::defaults());

/// Per salesperson of the ledger's own rep column (ledger::reps(); index:
/// rep id, names in ledger::rep_names()). Throws invalid_input if the ledger
/// names no salesperson.
[[nodiscard]] GOODWILL_FUNC health_table
rep_scorecard(const ledger &l, const health_params &hp = {},
              const trust_params &tp = trust_params::defaults());

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/relationship/health-inl.hpp>
#endif

#endif // GOODWILL_RELATIONSHIP_HEALTH_HPP
