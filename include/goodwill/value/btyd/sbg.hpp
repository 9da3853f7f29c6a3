// goodwill — the shifted-beta-geometric model of contractual retention
// (sBG: Fader & Hardie 2007, "How to project customer retention", Journal of
// Interactive Marketing 21(1); Fader & Hardie 2010, "Customer-base valuation
// in a contractual setting: the perils of ignoring heterogeneity", Marketing
// Science 29(1), for DERL).
//
// Design: at the end of each period a customer renews with probability
// 1 − θ, θ ~ Beta(α, β) across customers, so the lifetime in periods is
// shifted-geometric given θ. Mixed over θ:
//   P(T = t) = B(α+1, β+t−1) / B(α, β),   S(t) = P(T > t) = B(α, β+t) / B(α, β),
//   retention r_t = S(t)/S(t−1) = (β+t−1)/(α+β+t−1) (rising with t: the
// survivors are the low-θ customers). A data row is a customer (or a weight
// of identical ones) who churned at the end of period t (contributes
// ln P(T = t)), or is still active after t periods (ln S(t)). The
// log-likelihood and its analytic gradient in log-parameters are summed over
// rows and maximised by L-BFGS.
#ifndef GOODWILL_VALUE_BTYD_SBG_HPP
#define GOODWILL_VALUE_BTYD_SBG_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/error.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace goodwill {

/// Parameters of the sBG model: churn probability θ ~ Beta(alpha, beta).
struct sbg_params {
  double alpha = 1, beta = 1;
};

/// The shifted-beta-geometric model (see the header comment).
class sbg : public detail::btyd_fitted<sbg_params, 2, "sBG"> {
public:
  /// An unfitted model; fit() it before predicting.
  sbg() = default;
  /// A model with given parameters (treated as fitted).
  explicit sbg(const sbg_params &p) : btyd_fitted(p) {
    detail::check_params<2>({p.alpha, p.beta}, {"alpha", "beta"});
  }

  /// Maximum-likelihood fit: `periods[i]` ≥ 1 whole periods, `churned[i]`
  /// 1 when the customer left at the end of period periods[i], 0 when still
  /// active after it; optional weights (counts of identical customers).
  GOODWILL_FUNC sbg &fit(std::span<const double> periods, std::span<const double> churned,
                         std::span<const double> weights = {},
                         const btyd_fit_options &options = {});

  /// Fit to a survivor curve: survivors[0] customers start, survivors[t] are
  /// still active after t periods (non-increasing), as the tables of Fader &
  /// Hardie (2007).
  GOODWILL_FUNC sbg &fit_survivors(std::span<const double> survivors,
                                   const btyd_fit_options &options = {});

  /// S(t) = P(still active after t periods) = B(α, β+t)/B(α, β); t ≥ 0 real.
  [[nodiscard]] double survival(double t) const {
    require_fitted();
    check_period(t, 0);
    const auto &p = params_;
    return std::exp(detail::lbeta(p.alpha, p.beta + t) - detail::lbeta(p.alpha, p.beta));
  }

  /// P(T = t): churn at the end of period t ≥ 1, B(α+1, β+t−1)/B(α, β).
  [[nodiscard]] double probability_churn(double t) const {
    require_fitted();
    check_period(t, 1);
    const auto &p = params_;
    return std::exp(detail::lbeta(p.alpha + 1, p.beta + t - 1) - detail::lbeta(p.alpha, p.beta));
  }

  /// Retention rate of period t ≥ 1: r_t = (β+t−1)/(α+β+t−1).
  [[nodiscard]] double retention_rate(double t) const {
    require_fitted();
    check_period(t, 1);
    const auto &p = params_;
    return (p.beta + t - 1) / (p.alpha + p.beta + t - 1);
  }

  /// Discounted expected residual lifetime (Fader & Hardie 2010, eq. 6) of a
  /// customer who has just made their n-th renewal (n ≥ 1 periods paid), at
  /// discount rate d per period:
  ///   DERL = (β+n−1)/(α+β+n−1) · 2F1(1, β+n; α+β+n; 1/(1+d)),
  /// the expected discounted number of the payments still to come: θ given
  /// n active periods is Beta(α, β+n−1), the k-th future payment is made
  /// with probability (β+n−1)_k/(α+β+n−1)_k and, as in Fader & Hardie,
  /// discounted by (1+d)^−(k−1) (the next renewal's payment undiscounted).
  [[nodiscard]] double derl(double d, double n) const {
    require_fitted();
    if (!std::isfinite(d) || !(d > 0))
      throw invalid_input("discount_rate", "must be finite and positive, got " + std::to_string(d));
    check_period(n, 1);
    const auto &p = params_;
    const double v =
        (p.beta + n - 1) / (p.alpha + p.beta + n - 1) * f21(p.beta + n, p.alpha + p.beta + n, d);
    if (!std::isfinite(v))
      throw numerical_failure("sBG DERL is not finite");
    return v;
  }

  /// Discounted expected lifetime of a new customer (Fader & Hardie 2010,
  /// eq. 3), the first payment included: DEL = 2F1(1, β; α+β; 1/(1+d)).
  [[nodiscard]] double discounted_expected_lifetime(double d) const {
    require_fitted();
    if (!std::isfinite(d) || !(d > 0))
      throw invalid_input("discount_rate", "must be finite and positive, got " + std::to_string(d));
    const auto &p = params_;
    return f21(p.beta, p.alpha + p.beta, d);
  }

private:
  // 2F1(1, b; c; 1/(1+d)). Its power series has positive terms shrinking
  // like (1+d)^−k, so for d ≥ 0.001 (under 40,000 terms) it is summed
  // directly: the 1 − z transformation of detail::hyp2f1 loses digits when
  // c − 1 − b = α − 1 is close to an integer (α near 1).
  static double f21(double b, double c, double d) {
    const double z = 1 / (1 + d);
    return d >= 1e-3 ? detail::hyp2f1_series(1, b, c, z) : detail::hyp2f1(1, b, c, z);
  }
  static void check_period(double t, double min) {
    if (!std::isfinite(t) || t < min)
      throw invalid_input("t", "must be finite and at least " + std::to_string(min) + ", got " +
                                   std::to_string(t));
  }
};

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/sbg-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_SBG_HPP
