// goodwill — trust fitted to a ledger, validated out of sample, and explained.
//
// Design: trust (trust.hpp) is a Beta(α, β) evidence model with forgetting,
// so a customer's evidence just before time t is
//
//     A(t) = α0 + Σ_{j: t_j < t} a_j · e^{-λ (t - t_j)},   B(t) likewise with b_j,
//     λ = ln 2 / half_life_days,  trust(t) = A / (A + B),
//
// with a_j, b_j the weights of event j's evidence channel. fit_trust fits the
// prior mean m = α0 / (α0 + β0), the half-life and one non-negative weight
// per evidence group by maximum (penalised) likelihood of each customer's
// next outcome: P(outcome = 1) = trust just before it (events at the same
// time are not yet seen). Targets: `deals` (each deal_won = 1, deal_lost = 0)
// or `purchases` (per period of period_days from the customer's first event:
// 1 if it holds a purchase). The prior strength α0 + β0 stays that of the
// prior parameters: trust is unchanged when α0, β0 and every weight are
// scaled together, so the weights are in units of prior pseudo-counts.
//
// Groups: each response channel with events in the fit period gets its own
// weight on its side (evidence_channel_traits::side); the seller's effort is
// fitted as three effects, one weight each shared by its channels: trust-
// building effort toward α, transactional effort (concessions, matches
// given) toward β, broken commitments toward β. Whether effort raises trust
// is the trust-building weight with its interval, not an assumption. All
// other weights (the other side of each channel, channels without events,
// proposals, decisions, neutral records) stay at the prior's values.
//
// Penalty: each weight ~ N(prior weight, weight_prior_scale²), logit m and
// log half-life ~ N(prior, log_prior_scale²): weak, so defaults decide only
// when the data are thin. Optimiser: L-BFGS-B (LBFGSpp) with the exact
// gradient (per-group decayed sums S_g = Σ e^{-λΔ} and D_g = Σ Δ e^{-λΔ}
// carried along each customer). Standard errors from the inverse of the
// Hessian (central differences of the exact gradient) over the parameters
// not at a bound; a weight at 0 gets a NaN standard error and a one-sided
// upper bound from the local quadratic. Sums run over fixed chunks of
// customers added in chunk order, so results are identical for any thread
// count.
//
// Validation: outcomes at or after split_time are held out (evidence keeps
// accumulating through them: each prediction is one step ahead). They are
// scored by log loss, Brier score, AUC and a 10-bin reliability table for
// the fitted model and three baselines: the portfolio rate of the fit
// period, each customer's own smoothed rate (wins + 2·rate)/(outcomes + 2)
// over its earlier outcomes, and the prior parameters (today's hand-set
// defaults). beats_portfolio says whether the fitted log loss is below the
// portfolio's by more than 1.645 customer-clustered standard errors.
#ifndef GOODWILL_RELATIONSHIP_TRUST_FIT_HPP
#define GOODWILL_RELATIONSHIP_TRUST_FIT_HPP

#include <goodwill/detail/config.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/trust.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// What fit_trust predicts.
enum class trust_target : std::uint8_t {
  deals = 0,     ///< each decided deal: deal_won 1, deal_lost 0
  purchases = 1, ///< each period of period_days: a purchase in it or not
};

/// Names of the targets, indexed by code.
inline constexpr std::array<std::string_view, 2> trust_target_names{"deals", "purchases"};
template <> struct enum_traits<trust_target> {
  static constexpr const auto &names = trust_target_names;
};

/// Options of fit_trust.
struct trust_fit_options {
  trust_target target = trust_target::deals;
  /// Outcomes at or after this time are held out for validation. NaN: the
  /// time before which (1 - holdout_share) of the outcomes fall.
  double split_time = std::numeric_limits<double>::quiet_NaN();
  /// Share of outcomes held out when split_time is NaN.
  double holdout_share = 0.2;
  /// Period of the purchases target, in days.
  double period_days = 30.0;
  /// Prior (starting point and penalty centre) and prior strength α0 + β0.
  trust_params prior = trust_params::defaults();
  /// Standard deviation of the Gaussian penalty on each weight (inf: none).
  double weight_prior_scale = 2.0;
  /// Standard deviation of the penalty on logit(prior mean) and log(half-life).
  double log_prior_scale = 3.0;
  /// Estimate the effect of the seller's effort (else effort weights stay at the prior's).
  bool fit_effort = true;
  /// Estimate the half-life (else it stays at the prior's).
  bool fit_half_life = true;
  /// Worker threads (0: one per hardware thread). Results do not depend on it.
  unsigned threads = 1;
  unsigned max_iterations = 300;
  /// Fit (and validate) on a random sample of at most this many customers
  /// (0: every customer). The parameters are the portfolio's (a prior mean,
  /// a half-life, a dozen weights), so 10^5 customers pin them down well:
  /// at 10^6 customers the fit otherwise dominates the report's time. The
  /// customers eligible are those with outcomes of the target (deals: a
  /// deal won or lost; purchases: any event); the sample is the ones with
  /// the least Philox draw under sample_seed, the same for any thread count.
  std::size_t sample_customers = 0;
  std::uint64_t sample_seed = 2026;

  /// Throws invalid_input naming the field.
  void validate() const {
    prior.validate();
    if (!(std::isnan(split_time) || std::isfinite(split_time)))
      throw invalid_input("split_time", "must be finite (or NaN for the default split)");
    if (!(holdout_share > 0.0 && holdout_share < 1.0))
      throw invalid_input("holdout_share",
                          "must be in (0, 1), got " + std::to_string(holdout_share));
    if (!(std::isfinite(period_days) && period_days > 0.0))
      throw invalid_input("period_days", "must be positive and finite");
    if (!(weight_prior_scale > 0.0))
      throw invalid_input("weight_prior_scale", "must be positive (inf: no penalty)");
    if (!(log_prior_scale > 0.0))
      throw invalid_input("log_prior_scale", "must be positive (inf: no penalty)");
    if (max_iterations == 0)
      throw invalid_input("max_iterations", "must be at least 1");
    if (sample_customers == 1)
      throw invalid_input("sample_customers", "must be 0 (every customer) or at least 2");
  }
};

/// One fitted parameter.
struct trust_fit_parameter {
  std::string name; ///< "prior_mean", "half_life_days", a channel or an effort group
  std::string side; ///< "alpha", "beta" or "" (prior mean, half-life)
  double estimate = 0.0;
  double std_error = 0.0; ///< NaN at a bound
  double lower = 0.0;     ///< 95% interval
  double upper = 0.0;
  double prior_value = 0.0;
  bool at_bound = false;
  std::size_t events = 0;    ///< events behind it in the fit period (weights)
  std::size_t customers = 0; ///< customers with such events
};

/// Scores of one predictor on the held-out outcomes.
struct trust_score {
  std::string model;
  double log_loss = 0.0, brier = 0.0, auc = 0.0;
  /// Reliability table: 10 bins of predicted probability [k/10, (k+1)/10).
  std::array<std::size_t, 10> bin_count{};
  std::array<double, 10> bin_predicted{}, bin_observed{};
};

/// Out-of-sample validation of a trust fit.
struct trust_validation {
  double split_time = 0.0;
  std::size_t outcomes = 0, customers = 0;
  double observed_rate = 0.0;
  /// fitted, portfolio_rate, customer_rate, defaults (in that order).
  std::vector<trust_score> scores;
  /// Mean log loss of the fit minus the portfolio rate's, and its
  /// customer-clustered standard error.
  double log_loss_difference = 0.0, log_loss_difference_se = 0.0;
  bool beats_portfolio = false;
};

/// What fit_trust returns.
struct trust_fit_result {
  trust_params params; ///< usable by replay
  std::vector<trust_fit_parameter> parameters;
  trust_target target = trust_target::deals;
  double log_likelihood = 0.0;       ///< of the fit outcomes at the estimate (no penalty)
  double log_likelihood_prior = 0.0; ///< the same at the prior parameters
  std::size_t outcomes = 0, customers = 0, events = 0;
  /// Customers eligible for the sample it was fitted on; 0 if every
  /// customer was used (options.sample_customers 0, or at least as many).
  std::size_t sampled_from = 0;
  double base_rate = 0.0; ///< observed rate of the fit outcomes
  unsigned iterations = 0;
  bool converged = false;
  trust_validation validation;
};

/// Fit trust to a ledger and validate it on later outcomes (see the design
/// note). Throws invalid_input naming the field when the ledger holds no
/// outcome of the target, only one customer has outcomes, or split_time
/// leaves no outcome on one side.
/// Defined in relationship/trust_fit-inl.hpp (compiled in
/// src/relationship/trust_fit.cpp; inline under GOODWILL_HEADER_ONLY).
[[nodiscard]] GOODWILL_FUNC trust_fit_result fit_trust(const ledger &l,
                                                       const trust_fit_options &opt = {});

/// One event's share of a customer's trust.
struct trust_contribution_rows {
  double prior = 0.0; ///< α0 / (α0 + β0)
  double trust = 0.0; ///< prior + Σ contribution
  double alpha = 0.0, beta = 0.0;
  std::vector<std::uint32_t> row; ///< ledger row (arrival order)
  std::vector<double> time;
  std::vector<event_kind> kind;
  std::vector<evidence_channel> channel;
  std::vector<double> weight; ///< +α weight or -β weight of the channel
  std::vector<double> fade;   ///< 2^(-(t_last - t) / half_life)
  std::vector<double> contribution;
};

/// The exact decomposition of customer c's trust after its last event at or
/// before `until`: trust = prior + Σ_j contribution_j with
///     contribution_j = (a_j d_j β0 − b_j d_j α0) / ((α + β)(α0 + β0)),
/// a_j, b_j the weights of event j's channel and d_j its fading factor.
/// Events whose channel has no weight are left out.
[[nodiscard]] inline trust_contribution_rows
trust_contributions(const ledger &l, customer_id c, const trust_params &p,
                    double until = std::numeric_limits<double>::infinity()) {
  p.validate();
  if (c >= l.customer_count())
    throw invalid_input("customer", "dense id " + std::to_string(c) + " is not in the ledger (" +
                                        std::to_string(l.customer_count()) + " customers)");
  if (std::isnan(until))
    throw invalid_input("until", "is NaN");
  const auto &order = l.order();
  const auto &offsets = l.customer_offsets();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  const auto details = l.details();
  trust_contribution_rows out;
  deal_context ctx;
  double t_last = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> a, b;
  for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
    const auto row = order[i];
    if (times[row] > until)
      break;
    const auto k = static_cast<event_kind>(kinds[row]);
    const auto ch = channel_of(k, amounts[row], details[row], ctx);
    t_last = times[row];
    const auto chi = static_cast<std::size_t>(ch);
    if (p.positive[chi] == 0.0 && p.negative[chi] == 0.0)
      continue;
    out.row.push_back(row);
    out.time.push_back(times[row]);
    out.kind.push_back(k);
    out.channel.push_back(ch);
    a.push_back(p.positive[chi]);
    b.push_back(p.negative[chi]);
  }
  const double a0 = p.prior_alpha, b0 = p.prior_beta, s0 = a0 + b0;
  double A = a0, B = b0;
  out.fade.resize(a.size());
  for (std::size_t j = 0; j < a.size(); ++j) {
    out.fade[j] = std::exp2(-(t_last - out.time[j]) / p.half_life_days);
    A += a[j] * out.fade[j];
    B += b[j] * out.fade[j];
  }
  out.alpha = A;
  out.beta = B;
  out.prior = a0 / s0;
  const double S = A + B;
  out.weight.resize(a.size());
  out.contribution.resize(a.size());
  double sum = out.prior;
  for (std::size_t j = 0; j < a.size(); ++j) {
    out.weight[j] = a[j] > 0.0 ? a[j] : -b[j];
    out.contribution[j] = (a[j] * out.fade[j] * b0 - b[j] * out.fade[j] * a0) / (S * s0);
    sum += out.contribution[j];
  }
  out.trust = sum;
  return out;
}

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/relationship/trust_fit-inl.hpp>
#endif

#endif // GOODWILL_RELATIONSHIP_TRUST_FIT_HPP
