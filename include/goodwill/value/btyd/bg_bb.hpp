// goodwill — the BG/BB model for discrete-time, noncontractual settings
// (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
// noncontractual setting", Marketing Science 29(6)).
//
// Design: at each of n transaction opportunities an alive customer transacts
// with probability p ~ Beta(α, β), and before each opportunity dies with
// probability θ ~ Beta(γ, δ). The data are x transactions, the opportunity
// t_x of the last one and n. The likelihood (FHS 2010, eq. 5)
//   L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
//     + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ)
// is summed by log-sum-exp over distinct (x, t_x, n) rows with weights and
// maximised over log-parameters with L-BFGS (derivative-free: central
// differences). Predictions (FHS 2010 eqs. 7,
// 11, 13): P(X(n) = x), E[X(n)], P(alive at n+m) and E[X(n, n+n*)].
//
// Exact derivatives (log_likelihood_rows; for the covariate fit of
// value/btyd/covariates.hpp): each of a row's terms is u_k = lbeta(α+x,
// β+m_k) + lbeta(γ+c_k, δ+d_k) (c, d, m: 0, n, n−x for the first; 1, t_x+i,
// t_x−x+i for the sum's), less the common lbeta(α,β) + lbeta(γ,δ), and
// ℓ = log Σ_k e^{u_k}. With p_k = e^{u_k−ℓ} the terms' shares, ∇ℓ = Σ p_k
// ∇u_k and ∇²ℓ = Σ p_k ∇²u_k + Σ p_k (∇u_k − ∇ℓ)(∇u_k − ∇ℓ)ᵀ: the
// second sum centred (a covariance of the terms' gradients, never the
// difference Σ p_k ∇u_k∇u_kᵀ − ∇ℓ∇ℓᵀ of two large numbers). ∇u_k and ∇²u_k
// are digamma and trigamma differences, block-diagonal in (α, β) and
// (γ, δ). Terms of share below 1e-18 are left out of the derivatives
// (their contribution is below rounding).
//
// Bounded work: a customer's likelihood sums n − t_x terms and P(X(n) = x)
// n − x, so every period count (n, t_x, x, m) is checked against
// max_periods before anything is summed, and a fit against
// max_likelihood_terms (the terms of one likelihood evaluation over the
// distinct rows): refused with the size in the message, never a loop that
// runs for hours (or, past 2^53, for ever).
#ifndef GOODWILL_VALUE_BTYD_BG_BB_HPP
#define GOODWILL_VALUE_BTYD_BG_BB_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/error.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace goodwill {

/// Parameters of the BG/BB model.
struct bg_bb_params {
  double alpha = 1, beta = 1;  ///< transaction probability p ~ Beta(alpha, beta)
  double gamma = 1, delta = 1; ///< dropout probability θ ~ Beta(gamma, delta)
};

/// The BG/BB model.
class bg_bb : public detail::btyd_fitted<bg_bb_params, 4, "BG/BB"> {
public:
  /// The most transaction opportunities (n, t_x, x, m) a computation takes.
  static constexpr double max_periods = 1e6;
  /// The most terms one likelihood evaluation of a fit may sum (Σ over the
  /// distinct (x, t_x, n) rows of n − t_x + 1).
  static constexpr double max_likelihood_terms = 1e8;

  /// An unfitted model; fit() it before predicting.
  bg_bb() = default;
  /// A model with given parameters (treated as fitted).
  explicit bg_bb(const bg_bb_params &p) : btyd_fitted(p) {
    detail::check_params<4>({p.alpha, p.beta, p.gamma, p.delta},
                            {"alpha", "beta", "gamma", "delta"});
  }

  /// Maximum-likelihood fit to frequency x, recency t_x (the opportunity of
  /// the last transaction, 0 if none) and n_periods, with optional weights.
  GOODWILL_FUNC bg_bb &fit(std::span<const double> frequency, std::span<const double> recency,
                           std::span<const double> n_periods, std::span<const double> weights = {},
                           const btyd_fit_options &options = {});

  /// The log-likelihood of compressed rows (x, t_x, n, weight) at natural
  /// parameters th = (α, β, γ, δ); with grad non-null, its gradient in
  /// log-parameters, and with hess also non-null its Hessian (row-major):
  /// exact, by digamma and trigamma (see the design note). Defined in
  /// bg_bb-inl.hpp.
  GOODWILL_FUNC static double log_likelihood_rows(const detail::rfm_rows &rows,
                                                  const std::array<double, 4> &th,
                                                  std::array<double, 4> *grad, unsigned threads,
                                                  std::array<double, 16> *hess = nullptr);

  /// Refuses rows (compressed by compress_rfm, discrete) whose period counts
  /// or likelihood terms exceed max_periods or max_likelihood_terms.
  GOODWILL_FUNC static void check_fit_rows(const detail::rfm_rows &rows);

  /// Log-likelihood of one customer.
  [[nodiscard]] double log_likelihood(double x, double t_x, double n) const {
    require_fitted();
    check_customer(x, t_x, n);
    return row_ll(params_, x, t_x, n);
  }

  /// P(alive at opportunity n + m | x, t_x, n) (lifetimes' m_periods_in_future).
  [[nodiscard]] double probability_alive(double m, double x, double t_x, double n) const {
    require_fitted();
    check_count("m_periods_in_future", m, true);
    check_customer(x, t_x, n);
    const auto &p = params_;
    return std::exp(detail::lbeta(p.alpha + x, p.beta + n - x) - detail::lbeta(p.alpha, p.beta) +
                    detail::lbeta(p.gamma, p.delta + n + m) - detail::lbeta(p.gamma, p.delta) -
                    row_ll(p, x, t_x, n));
  }

  /// E[transactions in opportunities n+1 .. n+m | x, t_x, n] (FHS 2010 eq. 13).
  [[nodiscard]] double conditional_expected_purchases(double m, double x, double t_x,
                                                      double n) const {
    require_fitted();
    check_count("m_periods_in_future", m, true);
    check_customer(x, t_x, n);
    const auto &p = params_;
    const double lead = detail::lbeta(p.alpha + x + 1, p.beta + n - x) -
                        detail::lbeta(p.alpha, p.beta) - row_ll(p, x, t_x, n);
    return std::exp(lead) * survival_sum(n, m);
  }

  /// E[X(n)]: expected transactions in the first n opportunities (FHS 2010 eq. 9).
  [[nodiscard]] double expected_purchases(double n) const {
    require_fitted();
    check_count("n", n, true);
    const auto &p = params_;
    return p.alpha / (p.alpha + p.beta) * survival_sum(0, n);
  }

  /// P(X(n) = x): probability of x transactions in n opportunities (FHS 2010 eq. 7).
  [[nodiscard]] double probability_of_purchases(double n, double x) const {
    require_fitted();
    check_count("n", n, true);
    check_count("x", x, true);
    if (x > n)
      throw invalid_input("x", "is greater than n (" + std::to_string(x) + " > " +
                                   std::to_string(n) + ")");
    const auto &p = params_;
    auto lchoose = [](double a, double b) {
      return detail::lgam(a + 1) - detail::lgam(b + 1) - detail::lgam(a - b + 1);
    };
    const double lab = detail::lbeta(p.alpha, p.beta), lgd = detail::lbeta(p.gamma, p.delta);
    double acc = lchoose(n, x) + detail::lbeta(p.alpha + x, p.beta + n - x) - lab +
                 detail::lbeta(p.gamma, p.delta + n) - lgd;
    for (double i = x; i <= n - 1; i += 1)
      acc = detail::logaddexp(acc, lchoose(i, x) + detail::lbeta(p.alpha + x, p.beta + i - x) -
                                       lab + detail::lbeta(p.gamma + 1, p.delta + i) - lgd);
    return std::exp(acc);
  }

private:
  static std::string periods_message(double v) {
    return std::to_string(v) + " periods is more than this model takes (at most " +
           std::to_string(static_cast<std::uint64_t>(max_periods)) + ")";
  }
  // A period count: finite, >= 0, <= max_periods, and whole if `whole`.
  static void check_count(const char *field, double v, bool whole) {
    if (!std::isfinite(v) || v < 0)
      throw invalid_input(field, "must be finite and non-negative, got " + std::to_string(v));
    if (v > max_periods)
      throw invalid_input(field, periods_message(v));
    if (whole && v != std::floor(v))
      throw invalid_input(field, "must be a whole number of periods, got " + std::to_string(v));
  }
  // One customer's (x, t_x, n), with compress_rfm's rules for BG/BB.
  static void check_customer(double x, double t_x, double n) {
    check_count("frequency", x, true);
    check_count("recency", t_x, true);
    check_count("n_periods", n, true);
    if (t_x > n)
      throw invalid_input("recency", "is greater than n_periods (" + std::to_string(t_x) + " > " +
                                         std::to_string(n) + ")");
    if (x > t_x)
      throw invalid_input("frequency", "exceeds recency (at most one transaction a period)");
    if (x == 0 && t_x != 0)
      throw invalid_input("recency", "must be 0 when frequency is 0, got " + std::to_string(t_x));
  }
  // Σ_{j=n+1}^{n+m} P(alive at j) = δ/(γ−1)·Γ(γ+δ)/Γ(1+δ)·[Γ(1+δ+n)/Γ(γ+δ+n) −
  // Γ(1+δ+n+m)/Γ(γ+δ+n+m)], summed directly when γ is close to 1.
  [[nodiscard]] double survival_sum(double n, double m) const {
    const auto &p = params_;
    if (std::abs(p.gamma - 1) < 1e-6) {
      double s = 0;
      for (double j = n + 1; j <= n + m; j += 1)
        s += std::exp(detail::lbeta(p.gamma, p.delta + j) - detail::lbeta(p.gamma, p.delta));
      return s;
    }
    const double c = detail::lgam(p.gamma + p.delta) - detail::lgam(1 + p.delta);
    const double a1 = detail::lgam(1 + p.delta + n) - detail::lgam(p.gamma + p.delta + n);
    const double a2 = detail::lgam(1 + p.delta + n + m) - detail::lgam(p.gamma + p.delta + n + m);
    // δ/(γ−1)·e^c·(e^{a1} − e^{a2}) with the difference taken in log space
    // and e^c inside the exponent: at γ = 1000, δ = 10 e^c overflows while
    // e^{a1} underflows (their product is ~1), which made inf·0 = NaN.
    const double lead =
        a1 > a2 ? c + a1 + detail::log1mexp(a2 - a1) : c + a2 + detail::log1mexp(a1 - a2);
    return p.delta / (p.gamma - 1) * (a1 > a2 ? 1.0 : -1.0) * std::exp(lead);
  }
  static double row_ll(const bg_bb_params &p, double x, double t_x, double n) {
    const double lab = detail::lbeta(p.alpha, p.beta), lgd = detail::lbeta(p.gamma, p.delta);
    double acc = detail::lbeta(p.alpha + x, p.beta + n - x) - lab +
                 detail::lbeta(p.gamma, p.delta + n) - lgd;
    for (double i = 0; i <= n - t_x - 1; i += 1)
      acc = detail::logaddexp(acc, detail::lbeta(p.alpha + x, p.beta + t_x - x + i) - lab +
                                       detail::lbeta(p.gamma + 1, p.delta + t_x + i) - lgd);
    return acc;
  }
};

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/bg_bb-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_BG_BB_HPP
