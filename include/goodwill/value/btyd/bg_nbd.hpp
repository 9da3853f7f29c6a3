// goodwill — the BG/NBD buy-till-you-die model (Fader, Hardie & Lee 2005,
// "Counting your customers the easy way", Marketing Science 24(2)).
//
// Design: while alive a customer buys as a Poisson process of rate
// λ ~ Gamma(r, α); after each repeat purchase they drop out with
// probability p ~ Beta(a, b). A customer's data are x repeat purchases, the
// time t_x of the last one and the length T of observation, all measured from
// the first purchase. The log-likelihood (FHL 2005, eq. 6), in log space:
//   ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + lnB(a, b+x) − lnB(a, b) − (r+x) ln(α+T)
//       + [x>0]·softplus(ln a − ln(b+x−1) + (r+x)(ln(α+T) − ln(α+t_x)))
// is summed over distinct (x, t_x, T) rows (terms in x alone computed once per
// distinct x, in T or t_x alone once per distinct value), in chunks over both
// cores, with its analytic gradient and Hessian in log-parameters
//   ∇²ℓ = ∇²A + σ(u)∇²u + σ(u)(1−σ(u))∇u∇uᵀ  (A: the terms outside softplus(u));
// Newton's method maximises it (7 iterations on CDNOW). Predictions use the Euler transform
//   2F1(r+x, b+x; a+b+x−1; z)(1−z)^{r+x} = (1−z)^{a−1} 2F1(a+b−1−r, a−1; a+b+x−1; z)
// so that nothing grows with x: finite for customers with hundreds of
// purchases. Where that closed form is ill conditioned (a near 1, long
// alternating series, t small against α + T, z near 1) the predictions are
// the posterior expectations over the dropout probability by quadrature
// (detail::bg_expected_if_alive, detail::beta_expectation in
// detail/btyd.hpp), checked against 60-digit references in
// tests/python/test_btyd_numerics.py. simulate_bg_nbd draws customers from the model with
// counter-based random numbers (one Philox stream per customer).
#ifndef GOODWILL_VALUE_BTYD_BG_NBD_HPP
#define GOODWILL_VALUE_BTYD_BG_NBD_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/detail/special.hpp>
#include <goodwill/error.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace goodwill {

/// Parameters of the BG/NBD model.
struct bg_nbd_params {
  double r = 1, alpha = 1; ///< purchase rate λ ~ Gamma(shape r, rate alpha)
  double a = 1, b = 1;     ///< dropout probability p ~ Beta(a, b)
};

namespace detail {

/// Gamma(shape, 1) variate, returned as its logarithm (Marsaglia & Tsang
/// 2000; shape < 1 by the boost G(a) = G(a+1)·U^{1/a}).
inline double log_gamma_variate(counter_stream &s, double shape) {
  double extra = 0;
  if (shape < 1) {
    extra = std::log(u01_open(s)) / shape;
    shape += 1;
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = normal(s);
    double v = 1 + c * z;
    if (v <= 0)
      continue;
    v = v * v * v;
    const double u = u01_open(s);
    if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v))
      return std::log(d * v) + extra;
  }
}

} // namespace detail

/// The BG/NBD model: fit by maximum likelihood, predict per customer.
class bg_nbd : public detail::btyd_fitted<bg_nbd_params, 4, "BG/NBD"> {
public:
  /// An unfitted model; fit() it before predicting.
  bg_nbd() = default;
  /// A model with given parameters (treated as fitted).
  explicit bg_nbd(const bg_nbd_params &p) : btyd_fitted(p) {
    detail::check_params<4>({p.r, p.alpha, p.a, p.b}, {"r", "alpha", "a", "b"});
  }

  /// Maximum-likelihood fit to customers' frequency (repeat purchases x),
  /// recency (t_x) and age T, with optional weights (counts of identical
  /// customers).
  GOODWILL_FUNC bg_nbd &fit(std::span<const double> frequency, std::span<const double> recency,
                            std::span<const double> T, std::span<const double> weights = {},
                            const btyd_fit_options &options = {});

  /// Log-likelihood of one customer.
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const {
    require_fitted();
    const auto &p = params_;
    double ll = detail::lgam(p.r + x) - detail::lgam(p.r) + p.r * std::log(p.alpha) +
                detail::lbeta(p.a, p.b + x) - detail::lbeta(p.a, p.b) -
                (p.r + x) * std::log(p.alpha + T);
    if (x > 0)
      ll += detail::softplus(std::log(p.a) - std::log(p.b + x - 1) +
                             (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x)));
    return ll;
  }

  /// P(alive at T | x, t_x, T) (FHL 2005 note "Computing P(alive)").
  [[nodiscard]] double probability_alive(double x, double t_x, double T) const {
    require_fitted();
    return detail::sigmoid(-alive_logit(x, t_x, T));
  }

  /// Expected repeat purchases in (T, T+t] given (x, t_x, T) (FHL 2005 eq. 10).
  /// Closed form (the Euler-transformed 2F1, in log space where its terms
  /// are positive) where it is well conditioned; otherwise — a near 1, where
  /// the closed form is 0/0; r > a + b + 1, where the series alternates over
  /// many terms and cancels; a value outside its bounds — the expectation
  /// over the posterior dropout probability by quadrature
  /// (detail::bg_nbd_alive_expectation).
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x,
                                                      double T) const {
    require_fitted();
    check_horizon(t);
    if (t == 0)
      return 0.0;
    const double alive = detail::sigmoid(-alive_logit(x, t_x, T));
    const double e = alive * expected_if_alive(t, x, T);
    if (!std::isfinite(e))
      throw numerical_failure("BG/NBD conditional expectation is not finite");
    return e;
  }

  /// Expected purchases in (0, t] of a customer just acquired (FHL 2005 eq. 7):
  /// the conditional expectation of a customer with x = t_x = T = 0.
  [[nodiscard]] double expected_purchases(double t) const {
    require_fitted();
    check_horizon(t);
    if (t == 0)
      return 0.0;
    const double e = expected_if_alive(t, 0.0, 0.0);
    if (!std::isfinite(e))
      throw numerical_failure("BG/NBD expected purchases are not finite");
    return e;
  }

  /// P(X(t) = n): probability of n purchases in (0, t] (FHL 2005 eq. 8).
  [[nodiscard]] double probability_of_purchases(double t, std::uint32_t n) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    const double x = static_cast<double>(n);
    const double q = p.alpha / (p.alpha + t);
    double first = detail::lbeta(p.a, p.b + x) - detail::lbeta(p.a, p.b) + detail::lgam(p.r + x) -
                   detail::lgam(p.r) - detail::lgam(x + 1) + p.r * std::log(q);
    if (n > 0) {
      // No narrowing (double += double): clang-tidy 14 flags any infinite
      // constant in a compound assignment, a false positive.
      // NOLINTNEXTLINE(bugprone-narrowing-conversions)
      first += t > 0 ? x * std::log(t / (p.alpha + t)) : -detail::inf;
    }
    double prob = std::exp(first);
    if (n > 0) {
      // 1 − NBD cdf at n−1 = upper regularised incomplete beta
      // I^c_q(r, n) = I_{1−q}(n, r), taken at 1 − q = t/(α+t) computed as
      // such: near q = 1 (t ≪ α) the complement 1 − q would keep only the
      // digits q has beyond 1 (at t/α = 1e-9, seven of them).
      const double tail = detail::ibeta(x, p.r, t / (p.alpha + t));
      prob += std::exp(detail::lbeta(p.a + 1, p.b + x - 1) - detail::lbeta(p.a, p.b)) * tail;
    }
    return prob;
  }

  /// P(alive at T + t | x, t_x, T): a customer alive at T dies at the first
  /// of the purchases that turn out fatal, a thinned Poisson process of rate
  /// λp, and given the history and being alive at T, λ ~ Gamma(r+x, α+T) and
  /// p ~ Beta(a, b+x) independently. So
  ///   P = P(alive at T) · E[e^{−λpt}] = P(alive at T) · 2F1(r+x, a; a+b+x; −t/(α+T)),
  /// evaluated (Pfaff, then Euler) as (1+z)^{−a} 2F1(a+b−r, a; a+b+x; t/(α+T+t)),
  /// z = t/(α+T): nothing grows with x. Where that series is slow or
  /// alternates (t/(α+T+t) > 0.9, or r > a + b + 1) the expectation is taken
  /// by quadrature (detail::bg_nbd_survival_expectation). At t = 0 it is
  /// probability_alive.
  [[nodiscard]] double probability_alive_at(double t, double x, double t_x, double T) const {
    require_fitted();
    check_horizon(t);
    const double alive = probability_alive(x, t_x, T);
    if (t == 0)
      return alive;
    const auto &p = params_;
    const double w = t / (p.alpha + T), u = t / (p.alpha + T + t);
    const double A = p.a + p.b - p.r;
    double v = detail::nan;
    if (u <= 0.9 && A >= -1) {
      // the series, well conditioned here (at most one sign change)
      const double f = detail::hyp2f1_series(A, p.a, p.a + p.b + x, u);
      const double ahead = std::exp(-p.a * std::log1p(w)) * f;
      if (std::isfinite(ahead) && ahead > 0 && ahead <= 1 + 1e-12)
        v = alive * ahead;
    }
    if (!std::isfinite(v)) // u near 1 or an alternating series: quadrature
      v = alive * detail::bg_nbd_survival_expectation(p.r + x, w, p.a, p.b + x);
    if (!std::isfinite(v))
      throw numerical_failure("BG/NBD future P(alive) is not finite");
    return v;
  }

  /// P(no purchase in (T, T+t] | x, t_x, T): dead at T, or alive with no
  /// purchase event in t (a BG/NBD customer dies only at a purchase), so
  ///   P = 1 − P(alive at T) · (1 − ((α+T)/(α+T+t))^{r+x}).
  [[nodiscard]] double probability_no_purchase(double t, double x, double t_x, double T) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    const double none_if_alive = std::exp(-(p.r + x) * std::log1p(t / (p.alpha + T)));
    return 1.0 - probability_alive(x, t_x, T) * (1.0 - none_if_alive);
  }

  /// Vectorised forms with a horizon per customer (t of size 1 or n; rows
  /// checked, errors name the row).
  [[nodiscard]] std::vector<double>
  conditional_expected_purchases(std::span<const double> t, std::span<const double> x,
                                 std::span<const double> t_x, std::span<const double> T) const {
    require_fitted();
    return detail::map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return conditional_expected_purchases(ti, x[i], t_x[i], T[i]);
    });
  }
  [[nodiscard]] std::vector<double> probability_alive_at(std::span<const double> t,
                                                         std::span<const double> x,
                                                         std::span<const double> t_x,
                                                         std::span<const double> T) const {
    require_fitted();
    return detail::map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return probability_alive_at(ti, x[i], t_x[i], T[i]);
    });
  }
  [[nodiscard]] std::vector<double> probability_no_purchase(std::span<const double> t,
                                                            std::span<const double> x,
                                                            std::span<const double> t_x,
                                                            std::span<const double> T) const {
    require_fitted();
    return detail::map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return probability_no_purchase(ti, x[i], t_x[i], T[i]);
    });
  }

  /// Vectorised forms (rows checked; errors name the row).
  [[nodiscard]] std::vector<double> probability_alive(std::span<const double> x,
                                                      std::span<const double> t_x,
                                                      std::span<const double> T) const {
    require_fitted();
    return detail::map_customers(
        x, t_x, T, [&](std::size_t i) { return probability_alive(x[i], t_x[i], T[i]); });
  }
  [[nodiscard]] std::vector<double>
  conditional_expected_purchases(double t, std::span<const double> x, std::span<const double> t_x,
                                 std::span<const double> T) const {
    require_fitted();
    check_horizon(t);
    return detail::map_customers(x, t_x, T, [&](std::size_t i) {
      return conditional_expected_purchases(t, x[i], t_x[i], T[i]);
    });
  }

  /// Total log-likelihood of compressed rows and its gradient in log-parameters.
  GOODWILL_FUNC static double log_likelihood_rows(const detail::rfm_rows &rows,
                                                  const std::array<double, 4> &th,
                                                  std::array<double, 4> *grad,
                                                  unsigned threads = 0);

  /// log_likelihood_rows on rows with their distinct T and t_x indexed; with
  /// `hess` non-null (and grad non-null), also the Hessian in
  /// log-parameters, row-major.
  GOODWILL_FUNC static double log_likelihood_indexed(const detail::indexed_rows &ix,
                                                     const std::array<double, 4> &th,
                                                     std::array<double, 4> *grad,
                                                     unsigned threads = 0,
                                                     std::array<double, 16> *hess = nullptr);

private:
  static void check_horizon(double t) {
    if (!std::isfinite(t) || t < 0)
      throw invalid_input("t", "must be finite and non-negative, got " + std::to_string(t));
  }
  /// E[purchases in (T, T+t] | alive at T, x, T]: λ ~ Gamma(r+x, α+T) and
  /// p ~ Beta(a, b+x) a posteriori (detail::bg_expected_if_alive).
  [[nodiscard]] double expected_if_alive(double t, double x, double T) const {
    const auto &p = params_;
    return detail::bg_expected_if_alive(p.r + x, p.alpha + T, t, p.a, p.b + x);
  }

  [[nodiscard]] double alive_logit(double x, double t_x, double T) const {
    if (x <= 0)
      return -detail::inf;
    const auto &p = params_;
    return std::log(p.a) - std::log(p.b + x - 1) +
           (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
  }
};

/// Customers drawn from the BG/NBD process.
struct bg_nbd_sample {
  std::vector<double> frequency, recency, T;
};

/// Draw one customer per entry of T (each observed for T[i] after their first
/// purchase) from the BG/NBD process, as lifetimes'
/// beta_geometric_nbd_model: exponential gaps of rate λ, death with
/// probability p after each repeat purchase. Reproducible from the seed and
/// independent of the number of threads (one counter-based stream per customer).
[[nodiscard]] inline bg_nbd_sample simulate_bg_nbd(const bg_nbd_params &p,
                                                   std::span<const double> T, std::uint64_t seed,
                                                   unsigned threads = 0) {
  detail::check_params<4>({p.r, p.alpha, p.a, p.b}, {"r", "alpha", "a", "b"});
  for (std::size_t i = 0; i < T.size(); ++i)
    if (!std::isfinite(T[i]) || T[i] <= 0)
      throw invalid_input("T", static_cast<std::int64_t>(i), "must be finite and positive");
  bg_nbd_sample out;
  const std::size_t n = T.size();
  out.frequency.resize(n);
  out.recency.resize(n);
  out.T.assign(T.begin(), T.end());
  detail::chunked_sum<detail::scalar_sum>(n, threads, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      detail::counter_stream s(seed, i);
      const double lambda = std::exp(detail::log_gamma_variate(s, p.r)) / p.alpha;
      const double g1 = detail::log_gamma_variate(s, p.a), g2 = detail::log_gamma_variate(s, p.b);
      const double death = 1.0 / (1.0 + std::exp(g2 - g1)); // G1 / (G1 + G2)
      double t = 0, x = 0, tx = 0;
      if (lambda > 0) {
        for (;;) {
          t += detail::exponential(s, lambda);
          if (!(t < T[i]))
            break;
          x += 1;
          tx = t;
          if (detail::u01(s) < death)
            break;
        }
      }
      out.frequency[i] = x;
      out.recency[i] = tx;
    }
    return detail::scalar_sum{};
  });
  return out;
}

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/bg_nbd-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_BG_NBD_HPP
