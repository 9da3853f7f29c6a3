// goodwill — the Gamma-Gamma model of spend per transaction (Fader, Hardie &
// Lee 2005, "The Gamma-Gamma model of monetary value", note 025), and the
// discounted customer lifetime value that combines it with a purchase model.
//
// Design: a customer's transaction values are Gamma(p, ν) with
// ν ~ Gamma(q, γ) across customers; the data are x repeat transactions and
// their mean m. The log-likelihood of (x, m) (note 025, eq. 3, as lifetimes):
//   lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ+mx)
// is maximised over log-parameters with L-BFGS. The conditional expected
// mean spend is (pγ + p x m) / (px + q − 1) (a weighted mean of the
// population mean pγ/(q−1) and the customer's own mean m).
// customer_lifetime_value follows lifetimes' definition: over `months`
// months, the expected purchases of each month (the difference of the
// purchase model's conditional expectations at the month's end and start,
// with `periods_per_month` model time units a month) times the expected spend,
// discounted at `discount_rate` a month.
#ifndef GOODWILL_VALUE_BTYD_GAMMA_GAMMA_HPP
#define GOODWILL_VALUE_BTYD_GAMMA_GAMMA_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/error.hpp>

#include <array>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace goodwill {

/// Parameters of the Gamma-Gamma spend model.
struct gamma_gamma_params {
  double p = 1; ///< shape of a customer's transaction values
  double q = 1; ///< shape of the scale's prior
  double v = 1; ///< rate of the scale's prior (γ in the note; "v" in lifetimes)
};

/// The Gamma-Gamma spend model.
class gamma_gamma : public detail::btyd_fitted<gamma_gamma_params, 3, "Gamma-Gamma"> {
public:
  /// An unfitted model; fit() it before predicting.
  gamma_gamma() = default;
  /// A model with given parameters (treated as fitted).
  explicit gamma_gamma(const gamma_gamma_params &p) : btyd_fitted(p) {
    detail::check_params<3>({p.p, p.q, p.v}, {"p", "q", "v"});
  }

  /// Maximum-likelihood fit to repeat buyers: frequency x ≥ 1 and the mean
  /// value of their repeat transactions m > 0, with optional weights.
  GOODWILL_FUNC gamma_gamma &fit(std::span<const double> frequency,
                                 std::span<const double> monetary_value,
                                 std::span<const double> weights = {},
                                 const btyd_fit_options &options = {});

  /// E[mean spend | x, m]: (pγ + p x m)/(px + q − 1); the population mean
  /// pγ/(q − 1) for x = 0 (NaN when q ≤ 1 and x = 0: no finite mean).
  [[nodiscard]] double conditional_expected_average_profit(double x, double m) const {
    require_fitted();
    const auto &p = params_;
    const double den = p.p * x + p.q - 1;
    // The posterior of the spend rate is Gamma(p·x + q, v + x·m); the mean
    // spend p/rate has E = p(v + x·m)/(p·x + q − 1) when p·x + q > 1 and is
    // infinite otherwise (a heavy-tailed spend the data have not tamed).
    if (!(den > 0))
      return std::numeric_limits<double>::infinity();
    return (p.p * p.v + p.p * x * m) / den;
  }

  /// Vectorised conditional_expected_average_profit (rows checked).
  [[nodiscard]] std::vector<double>
  conditional_expected_average_profit(std::span<const double> x, std::span<const double> m) const {
    require_fitted();
    if (m.size() != x.size())
      throw invalid_input("monetary_value", "must have as many rows as frequency");
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto row = static_cast<std::int64_t>(i);
      if (!std::isfinite(x[i]) || x[i] < 0)
        throw invalid_input("frequency", row, "must be finite and non-negative");
      if (!std::isfinite(m[i]) || m[i] < 0)
        throw invalid_input("monetary_value", row, "must be finite and non-negative");
      out[i] = conditional_expected_average_profit(x[i], m[i]);
    }
    return out;
  }

  /// Log-likelihood of one repeat buyer.
  [[nodiscard]] double log_likelihood(double x, double m) const {
    require_fitted();
    return row_ll(params_, x, m);
  }

private:
  static double row_ll(const gamma_gamma_params &p, double x, double m) {
    const double px = p.p * x;
    return detail::lgam(px + p.q) - detail::lgam(px) - detail::lgam(p.q) + p.q * std::log(p.v) +
           (px - 1) * std::log(m) + px * std::log(x) - (px + p.q) * std::log(p.v + m * x);
  }
};

/// Discounted customer lifetime value, lifetimes' semantics: Σ over months
/// i = 1..months of spend · (E(i·f) − E((i−1)·f)) / (1 + discount_rate)^i,
/// where E(t) is the purchase model's conditional expected purchases in the
/// next t time units and f = periods_per_month (e.g. 4.345 for weeks, 30 for
/// days). `spend` is the expected spend per purchase (e.g. Gamma-Gamma's
/// conditional_expected_average_profit).
template <class PurchaseModel>
[[nodiscard]] double customer_lifetime_value(const PurchaseModel &model, double x, double t_x,
                                             double T, double spend, int months = 12,
                                             double discount_rate = 0.01,
                                             double periods_per_month = 30.0) {
  if (months < 0)
    throw invalid_input("time", "must be non-negative");
  if (!(discount_rate > -1) || !std::isfinite(discount_rate))
    throw invalid_input("discount_rate", "must be finite and > −1");
  if (!(periods_per_month > 0) || !std::isfinite(periods_per_month))
    throw invalid_input("freq", "periods per month must be finite and positive");
  double clv = 0, previous = 0;
  for (int i = 1; i <= months; ++i) {
    const double e = model.conditional_expected_purchases(i * periods_per_month, x, t_x, T);
    clv += spend * (e - previous) / std::pow(1 + discount_rate, i);
    previous = e;
  }
  return clv;
}

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/gamma_gamma-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_GAMMA_GAMMA_HPP
