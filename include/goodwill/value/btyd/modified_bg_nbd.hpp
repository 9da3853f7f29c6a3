// goodwill — the modified BG/NBD model (MBG/NBD: Batislam, Denizel &
// Filiztekin 2007, "Empirical validation and comparison of models for
// customer base analysis", IJRM 24(3); Wagner & Hoppe 2008, erratum), in
// lifetimes' parameterisation (ModifiedBetaGeoFitter).
//
// Design: as BG/NBD (purchases at Poisson rate λ ~ Gamma(r, α), dropout with
// probability p ~ Beta(a, b)), except that the customer may also drop out at
// time 0, right after the first purchase: a customer with no repeat
// purchase is not surely alive. Per customer (x, t_x, T):
//   ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + lnB(a, b+x+1) − lnB(a, b) − (r+x) ln(α+T)
//       + softplus(u),   u = ln a − ln(b+x) + (r+x)(ln(α+T) − ln(α+t_x)),
// P(alive) = σ(−u). The likelihood is summed over distinct (x, t_x, T) rows
// with its analytic gradient and Hessian in log-parameters and maximised by
// Newton's method (detail::fit_ml_newton, as BG/NBD; the standard errors
// from that Hessian).
// Predictions use the Euler transform, as bg_nbd.hpp,
//   2F1(r+x, b+x+1; a+b+x; z)(1−z)^{r+x} = (1−z)^{a−1} 2F1(a+b−r, a−1; a+b+x; z),
// so that nothing grows with x, through the same well-conditioned closed form
// or quadrature (detail::bg_expected_if_alive) with p ~ Beta(a, b+x+1).
#ifndef GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_HPP
#define GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/error.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace goodwill {

/// Parameters of the MBG/NBD model (lifetimes' names).
struct modified_bg_nbd_params {
  double r = 1, alpha = 1; ///< purchase rate λ ~ Gamma(shape r, rate alpha)
  double a = 1, b = 1;     ///< dropout probability p ~ Beta(a, b)
};

/// The MBG/NBD model: fit by maximum likelihood, predict per customer.
class modified_bg_nbd : public detail::btyd_fitted<modified_bg_nbd_params, 4, "MBG/NBD"> {
public:
  /// An unfitted model; fit() it before predicting.
  modified_bg_nbd() = default;
  /// A model with given parameters (treated as fitted).
  explicit modified_bg_nbd(const modified_bg_nbd_params &p) : btyd_fitted(p) {
    detail::check_params<4>({p.r, p.alpha, p.a, p.b}, {"r", "alpha", "a", "b"});
  }

  /// Maximum-likelihood fit to frequency (x), recency (t_x) and age T, with
  /// optional weights (counts of identical customers).
  GOODWILL_FUNC modified_bg_nbd &fit(std::span<const double> frequency,
                                     std::span<const double> recency, std::span<const double> T,
                                     std::span<const double> weights = {},
                                     const btyd_fit_options &options = {});

  /// Total log-likelihood of compressed rows at natural parameters th and,
  /// with grad non-null, its gradient in log-parameters; with hess non-null
  /// too, the exact Hessian in log-parameters (row-major 4 x 4).
  GOODWILL_FUNC static double log_likelihood_rows(const detail::rfm_rows &rows,
                                                  const std::array<double, 4> &th,
                                                  std::array<double, 4> *grad, unsigned threads = 0,
                                                  std::array<double, 16> *hess = nullptr);

  /// Log-likelihood of one customer.
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const {
    require_fitted();
    const auto &p = params_;
    detail::rfm_rows rows;
    rows.x = {x};
    rows.t_x = {t_x};
    rows.T = {T};
    rows.w = {1.0};
    rows.xs = {x};
    rows.xid = {0};
    return log_likelihood_rows(rows, {p.r, p.alpha, p.a, p.b}, nullptr, 1);
  }

  /// P(alive at T | x, t_x, T) (Batislam et al. 2007, appendix A, eq. 5).
  [[nodiscard]] double probability_alive(double x, double t_x, double T) const {
    require_fitted();
    return detail::sigmoid(-alive_logit(x, t_x, T));
  }

  /// Expected repeat purchases in (T, T+t] given (x, t_x, T) (Wagner &
  /// Hoppe 2008): (a+b+x)/(a−1) · (1 − (1−z)^{a−1} 2F1(a+b−r, a−1; a+b+x; z)) · P(alive),
  /// z = t/(α+T+t).
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x,
                                                      double T) const {
    require_fitted();
    check_horizon(t);
    if (t == 0)
      return 0.0;
    const auto &p = params_;
    // alive at T: λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x+1) (the purchase at
    // time 0 is a dropout chance too); closed form or quadrature
    const double e = detail::bg_expected_if_alive(p.r + x, p.alpha + T, t, p.a, p.b + x + 1) *
                     probability_alive(x, t_x, T);
    if (!std::isfinite(e))
      throw numerical_failure("MBG/NBD conditional expectation is not finite");
    return e;
  }

  /// Expected repeat purchases in (0, t] of a customer just acquired
  /// (Batislam et al. 2007): b/(a−1) · (1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))).
  [[nodiscard]] double expected_purchases(double t) const {
    require_fitted();
    check_horizon(t);
    if (t == 0)
      return 0.0;
    const auto &p = params_;
    // alive after the first purchase with probability b/(a+b), then
    // p ~ Beta(a, b+1): closed form or quadrature (detail::bg_expected_if_alive)
    const double e =
        p.b / (p.a + p.b) * detail::bg_expected_if_alive(p.r, p.alpha, t, p.a, p.b + 1);
    if (!std::isfinite(e))
      throw numerical_failure("MBG/NBD expected purchases are not finite");
    return e;
  }

  /// P(X(t) = n) of a customer just acquired (Batislam et al. 2007):
  ///   B(a, b+n+1)/B(a, b) · NB(n; r, α/(α+t)) + B(a+1, b+n)/B(a, b) · P(NB ≥ n).
  [[nodiscard]] double probability_of_purchases(double t, std::uint32_t n) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    const double k = static_cast<double>(n);
    const double q = p.alpha / (p.alpha + t);
    double first = detail::lbeta(p.a, p.b + k + 1) - detail::lbeta(p.a, p.b) +
                   detail::lgam(p.r + k) - detail::lgam(p.r) - detail::lgam(k + 1) +
                   p.r * std::log(q);
    if (n > 0) {
      // No narrowing (double += double): clang-tidy 14 flags any infinite
      // constant in a compound assignment, a false positive.
      // NOLINTNEXTLINE(bugprone-narrowing-conversions)
      first += t > 0 ? k * std::log(t / (p.alpha + t)) : -detail::inf;
    }
    // P(NB ≥ n) = I^c_q(r, n) = I_{1−q}(n, r), at 1 − q = t/(α+t) computed as
    // such (near q = 1 the complement would lose the digits; see bg_nbd.hpp)
    const double tail = n > 0 ? detail::ibeta(k, p.r, t / (p.alpha + t)) : 1.0;
    return std::exp(first) +
           std::exp(detail::lbeta(p.a + 1, p.b + k) - detail::lbeta(p.a, p.b)) * tail;
  }

  /// Vectorised forms (t of size 1 or one per customer; rows checked, errors
  /// name the row).
  [[nodiscard]] std::vector<double> probability_alive(std::span<const double> x,
                                                      std::span<const double> t_x,
                                                      std::span<const double> T) const {
    require_fitted();
    return detail::map_customers(
        x, t_x, T, [&](std::size_t i) { return probability_alive(x[i], t_x[i], T[i]); });
  }
  [[nodiscard]] std::vector<double>
  conditional_expected_purchases(std::span<const double> t, std::span<const double> x,
                                 std::span<const double> t_x, std::span<const double> T) const {
    require_fitted();
    return detail::map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return conditional_expected_purchases(ti, x[i], t_x[i], T[i]);
    });
  }

private:
  static void check_horizon(double t) {
    if (!std::isfinite(t) || t < 0)
      throw invalid_input("t", "must be finite and non-negative, got " + std::to_string(t));
  }
  [[nodiscard]] double alive_logit(double x, double t_x, double T) const {
    const auto &p = params_;
    return std::log(p.a) - std::log(p.b + x) +
           (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
  }
};

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/modified_bg_nbd-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_HPP
