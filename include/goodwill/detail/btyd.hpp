// goodwill — internals shared by the buy-till-you-die models (bg_nbd.hpp,
// pareto_nbd.hpp, gamma_gamma.hpp, bg_bb.hpp).
//
// Design:
// - Customers are compressed to sufficient statistics: the likelihoods depend
//   on a customer only through (x, t_x, T), so identical rows are merged into
//   one row with a weight (a CDNOW summary in weeks shrinks ~2×, a summary
//   of daily data with a common T far more).
// - Rows are summed in fixed chunks of `chunk_rows`; chunks are spread over
//   threads and their partial sums added in chunk order, so the result is
//   bit-for-bit the same for any number of threads.
// - Fits maximise the log-likelihood over log-parameters: by Newton's method
//   (fit_ml_newton) where the model has an analytic Hessian (BG/NBD,
//   MBG/NBD, Pareto/NBD: about eight iterations), else with L-BFGS (LBFGSpp,
//   fit_ml). Standard errors come from the inverse Hessian of −LL in
//   log-parameters (analytic for the Newton fits, forward differences of
//   the gradient for the L-BFGS fits),
//   carried to the natural parameters by the delta method (exact at a
//   stationary point).
// - Terms that depend on one column only (x, T or t_x) are computed once per
//   distinct value and evaluation (value_index, shifted_logs).
// - Numerics in log space throughout: softplus/log-sum-exp instead of
//   1 + exp(u), lgamma/digamma from Boost.Math (behind detail/special.hpp:
//   compiled, so that includers do not parse Boost.Math).
// - Compiled, not inline (detail/config.hpp): the fitters (fit_ml,
//   fit_ml_newton, set_covariance) and the Beta expectations by quadrature
//   are defined in btyd-inl.hpp and compiled once in src/detail/btyd.cpp;
//   they take the log-likelihood as a function_ref, so that each is a
//   template on the parameter count only. Each model's fit() and likelihood
//   sums live in value/btyd/<model>-inl.hpp likewise; the per-row kernels
//   and the predictions stay here and in the model headers, inline.
#ifndef GOODWILL_DETAIL_BTYD_HPP
#define GOODWILL_DETAIL_BTYD_HPP

#include <goodwill/detail/config.hpp>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/detail/special.hpp>
#include <goodwill/error.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace goodwill {

/// Options of every BTYD fit.
struct btyd_fit_options {
  /// L2 penalty on the parameters in the data's time unit: the fit
  /// minimises −LL/N + penalizer_coef·Σθ² (N = number of customers). The
  /// Python fitters give it lifetimes' meaning by fitting in time rescaled
  /// to max T = 1 (python/goodwill/btyd.py, _PurchaseFitter.fit).
  double penalizer_coef = 0.0;
  /// Threads for the likelihood (0: all hardware threads). Results do not
  /// depend on it.
  unsigned threads = 0;
  /// Convergence: gradient norm of −LL/N in log-parameters below this.
  double tolerance = 1e-9;
  /// Iteration cap (Newton or L-BFGS iterations).
  int max_iterations = 1000;
  /// Starting point (natural parameters); empty: all ones (as lifetimes).
  std::vector<double> initial_params;
};

/// Diagnostics of a fit.
struct btyd_fit_info {
  double log_likelihood = std::numeric_limits<double>::quiet_NaN(); ///< at the optimum, unpenalised
  int iterations = 0;                                               ///< Newton or L-BFGS iterations
  bool converged = false;                                           ///< gradient tolerance met
  /// Shape parameters that ended at the cap (max_shape): the data push
  /// them to infinity, where the Gamma (or Beta) mixing becomes a point
  /// mass — that rate is the same for every customer. Their standard
  /// errors are NaN; the other parameters' are conditional on them.
  std::vector<std::string> at_bound;
  double customers = 0; ///< sum of weights
  std::size_t rows = 0; ///< distinct sufficient-statistic rows
};

namespace detail {

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr std::size_t chunk_rows = 1u << 14;

/// log(1 + exp(u)) without overflow.
inline double softplus(double u) noexcept {
  return u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u));
}
/// 1 / (1 + exp(−u)).
inline double sigmoid(double u) noexcept {
  if (u >= 0)
    return 1.0 / (1.0 + std::exp(-u));
  const double e = std::exp(u);
  return e / (1.0 + e);
}
/// log(exp(a) + exp(b)).
inline double logaddexp(double a, double b) noexcept {
  if (a == -inf)
    return b;
  if (b == -inf)
    return a;
  const double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::abs(a - b)));
}
/// log(1 − exp(d)) for d ≤ 0 (Mächler's log1mexp).
inline double log1mexp(double d) noexcept {
  if (d == 0)
    return -inf;
  return d > -0.6931471805599453 ? std::log(-std::expm1(d)) : std::log1p(-std::exp(d));
}

/// Gauss' hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1 and
/// c > 0, a, b > −1, by its power series, returned as log (all terms are
/// positive under these conditions, so no cancellation). Convergence: stop
/// when the next term's ratio bound ρ < 1 gives a tail term·ρ/(1−ρ) below
/// 1e-17 of the sum; the running sum is rescaled so that huge values (large
/// a, b) do not overflow. Returns NaN when `max_terms` are not enough.
inline double log_hyp2f1_series(double a, double b, double c, double z,
                                int max_terms = 200000) noexcept {
  if (z == 0)
    return 0.0;
  double term = 1.0, sum = 1.0, log_scale = 0.0;
  for (int k = 0; k < max_terms; ++k) {
    const double kk = static_cast<double>(k);
    const double ratio = (a + kk) * (b + kk) / ((c + kk) * (kk + 1.0)) * z;
    term *= ratio;
    sum += term;
    if (sum > 1e250) {
      sum *= 1e-250;
      term *= 1e-250;
      log_scale += 250.0 * 2.302585092994046;
    }
    // A bound on every later term ratio: (a+j)(b+j)/((c+j)(j+1)) is, for j
    // beyond k, at most max(1, (a+j)/(j+1))·max(1, (b+j)/(c+j)) at j=k+1.
    const double j = kk + 1.0;
    const double bound = std::max(1.0, (a + j) / (j + 1.0)) * std::max(1.0, (b + j) / (c + j)) * z;
    if (bound < 1.0 && term * bound / (1.0 - bound) <= 1e-17 * sum)
      return std::log(sum) + log_scale;
  }
  return nan;
}

/// Gauss' hypergeometric function 2F1(a, b; c; z) for |z| < 1 and c > 0,
/// any real a, b, by its power series, less `one_less` (0 or 1: 2F1 − 1 keeps
/// its relative precision when 2F1 is near 1, as for small z). Used where the
/// value is moderate: the Euler-transformed forms in the BG/NBD predictions.
/// Convergence: once j > max(−a, −b) every later term ratio is bounded by
/// ρ = max(1, |a+j|/(j+1))·max(1, |b+j|/(c+j))·|z|; stop when ρ < 1 and the
/// tail bound |term|·ρ/(1−ρ) is below 1e-17·|sum|. NaN after `max_terms`.
inline double hyp2f1_series_from(double a, double b, double c, double z, double one_less,
                                 int max_terms) noexcept {
  if (z == 0)
    return 1.0 - one_less;
  double term = 1.0, sum = 1.0 - one_less;
  const double jmin = std::max({0.0, -a, -b});
  for (int k = 0; k < max_terms; ++k) {
    const double kk = static_cast<double>(k);
    term *= (a + kk) * (b + kk) / ((c + kk) * (kk + 1.0)) * z;
    sum += term;
    if (term == 0)
      return sum;
    const double j = kk + 1.0;
    if (j <= jmin)
      continue;
    const double bound = std::max(1.0, std::abs(a + j) / (j + 1.0)) *
                         std::max(1.0, std::abs(b + j) / (c + j)) * std::abs(z);
    if (bound < 1.0 && std::abs(term) * bound / (1.0 - bound) <= 1e-17 * std::abs(sum))
      return sum;
  }
  return nan;
}

/// 2F1(a, b; c; z) by its power series (hyp2f1_series_from).
inline double hyp2f1_series(double a, double b, double c, double z,
                            int max_terms = 200000) noexcept {
  return hyp2f1_series_from(a, b, c, z, 0.0, max_terms);
}

/// 2F1(a, b; c; z) − 1 by its power series (hyp2f1_series_from).
inline double hyp2f1m1_series(double a, double b, double c, double z,
                              int max_terms = 200000) noexcept {
  return hyp2f1_series_from(a, b, c, z, 1.0, max_terms);
}

/// ln|Γ(x)| and the sign of Γ(x); sign 0 at the poles (x = 0, −1, −2, …).
inline std::pair<double, int> log_gamma_signed(double x) {
  if (x <= 0 && x == std::floor(x))
    return {inf, 0};
  return lgam_signed(x);
}

/// The two terms of 2F1(a, b; c; z)'s linear transformation to 1 − z
/// (Abramowitz & Stegun 15.3.6), d = c − a − b not an integer:
/// Γ(c)Γ(d)/(Γ(c−a)Γ(c−b))·2F1(a, b; 1−d; 1−z) and
/// Γ(c)Γ(−d)/(Γ(a)Γ(b))·(1−z)^d·2F1(c−a, c−b; d+1; 1−z), the gamma factors
/// in log space; a term with 1/Γ at a pole is 0.
inline std::pair<double, double> hyp2f1_one_minus_z_terms(double a, double b, double c,
                                                          double one_minus_z) {
  const double d = c - a - b;
  const auto gc = log_gamma_signed(c), gd = log_gamma_signed(d), gmd = log_gamma_signed(-d);
  const auto gca = log_gamma_signed(c - a), gcb = log_gamma_signed(c - b);
  const auto ga = log_gamma_signed(a), gb = log_gamma_signed(b);
  double first = 0, second = 0;
  if (gca.second != 0 && gcb.second != 0)
    first = gc.second * gd.second * gca.second * gcb.second *
            std::exp(gc.first + gd.first - gca.first - gcb.first) *
            hyp2f1_series(a, b, 1 - d, one_minus_z);
  if (ga.second != 0 && gb.second != 0)
    second = gc.second * gmd.second * ga.second * gb.second *
             std::exp(d * std::log(one_minus_z) + gc.first + gmd.first - ga.first - gb.first) *
             hyp2f1_series(c - a, c - b, d + 1, one_minus_z);
  return {first, second};
}

/// 2F1(a, b; c; z) for 0 ≤ z < 1, c > 0: the power series for z ≤ 0.9; above,
/// the linear transformation to 1 − z (hyp2f1_one_minus_z_terms), whose two
/// series converge fast there. Falls back to the long power series when
/// c − a − b is (nearly) an integer.
inline double hyp2f1(double a, double b, double c, double z) {
  if (z <= 0.9)
    return hyp2f1_series(a, b, c, z);
  const double d = c - a - b;
  if (std::abs(d - std::round(d)) > 1e-9) {
    const auto [first, second] = hyp2f1_one_minus_z_terms(a, b, c, 1 - z);
    const double v = first + second;
    if (std::isfinite(v))
      return v;
  }
  return hyp2f1_series(a, b, c, z, 2000000);
}

/// 2F1(a, b; c; z) for 0.9 < z < 1 by the linear transformation to 1 − z
/// (hyp2f1_one_minus_z_terms), where it is well conditioned, else NaN
/// (the caller then integrates): d = c − a − b in (−1, 1) and at least 1e-3
/// from 0 (both 1 − z series have positive third parameters; the two terms'
/// gamma factors stay moderate), |a|, |b|, c at most 100 (the gamma factors'
/// logs below 1e3, so their rounding stays near 1e-13), and the two terms
/// not cancelling by more than 1e3. For BG/NBD predictions with a < 1 at
/// horizons far beyond α (z > 0.9): the power series there needs thousands
/// of terms and was replaced by quadrature (25 µs a value).
inline double hyp2f1_near_one(double a, double b, double c, double z, double one_minus_z) {
  const double d = c - a - b;
  if (!(z > 0.9 && z < 1.0) || !(std::abs(d) < 1.0 && std::abs(d) >= 1e-3) ||
      !(std::abs(a) <= 100.0 && std::abs(b) <= 100.0 && c > 0.0 && c <= 100.0))
    return nan;
  const auto [first, second] = hyp2f1_one_minus_z_terms(a, b, c, one_minus_z);
  const double v = first + second;
  if (!std::isfinite(v) || std::abs(first) + std::abs(second) > 1e3 * std::abs(v))
    return nan;
  return v;
}

/// E[h(p)] for p ~ Beta(a, β) and a bounded, positive, smooth h (so no
/// cancellation), for the BG/NBD predictions whose closed forms are ill
/// conditioned at some parameters. Integrated by tanh-sinh quadrature (Boost.Math) on [0, ½] and
/// [½, 1]; a singular end of the Beta density is made flat by a change of variable (u = p^a on the
/// left when a < 1, v = (1−p)^β on the right when β < 1); a narrow interior peak (a and β large) is
/// bracketed by the mean ± 10 standard deviations so that the quadrature sees it. Defined in
/// detail/btyd-inl.hpp (compiled in src/detail/btyd.cpp).
template <class H> double beta_expectation(double a, double beta, const H &h);

/// E_p[(1 − (1 + p·w)^{−k})/p], p ~ Beta(a, β): a BG/NBD customer's expected
/// purchases while alive, given λ ~ Gamma(k, θ) and w = t/θ (the integrand is
/// at most k·w, its limit at p = 0).
GOODWILL_FUNC double bg_nbd_alive_expectation(double k, double w, double a, double beta);

/// E_p[(1 + p·w)^{−k}], p ~ Beta(a, β): the probability that a BG/NBD customer
/// alive now is still alive after t, given λ ~ Gamma(k, θ) and w = t/θ.
GOODWILL_FUNC double bg_nbd_survival_expectation(double k, double w, double a, double beta);

/// E_p[(1 − (1 + p·t/θ)^{−k})/p] for p ~ Beta(a, β): the expected purchases
/// in the next t of a customer of the BG family (BG/NBD, MBG/NBD) who is
/// alive now, with λ ~ Gamma(k, θ) and p ~ Beta(a, β) a posteriori. The
/// closed form is (a+β−1)/(a−1)·(1 − (1−z)^{a−1}·2F1(a+β−1−k, a−1; a+β−1; z)),
/// z = t/(θ+t) (FHL 2005 eq. 10 Euler-transformed; Batislam et al. 2007). It
/// is used when it is well conditioned: |a − 1| ≥ 1e-3 (else 0/0),
/// a + β − 1 − k ≥ −1 (else the series alternates over many terms),
/// 1 − (1−z)^{a−1}·2F1 not a difference of nearly equal terms (at most 4
/// digits lost: t small against θ), z ≤ 0.9 unless every term of the series
/// is positive or hyp2f1_near_one's transformation to 1 − z is well
/// conditioned (it loses digits at large parameters: 4e-8 at z = 0.975,
/// a + β = 1000; within its bounds at most 9.5e-11 relative against mpmath
/// on the 721 of 8,000 random points with z in (0.9, 1 − 1e-6) it took),
/// 1 − z ≥ 1e-6, and a
/// value inside its bounds 0 < E ≤ k·t/θ. Otherwise beta_expectation gives
/// it by quadrature.
inline double bg_expected_if_alive(double k, double theta, double t, double a, double beta) {
  const double w = t / theta, upper = k * w;
  const double C = a + beta - 1, A = C - k, B = a - 1;
  const double z = t / (theta + t), one_minus_z = theta / (theta + t);
  if (std::abs(B) >= 1e-3 && A >= -1 && one_minus_z >= 1e-6) {
    double log_f = nan;
    // small z: log1p of 2F1 − 1 keeps the digits that 1 + (2F1 − 1) drops
    const double m1 = z <= 0.5 ? hyp2f1m1_series(A, B, C, z) : nan;
    if (std::isfinite(m1) && m1 > -1) {
      log_f = std::log1p(m1);
    } else if (A >= 0 && B >= 0) {
      log_f = log_hyp2f1_series(A, B, C, z, 400000);
    } else if (z <= 0.9) {
      const double f = hyp2f1_series(A, B, C, z);
      if (f > 0)
        log_f = std::log(f);
    } else {
      const double f = hyp2f1_near_one(A, B, C, z, one_minus_z);
      if (f > 0)
        log_f = std::log(f);
    }
    // 1 − (1−z)^B·F cancels when its log is small against its terms
    const double lz = B * std::log1p(-z), sum = lz + log_f;
    const bool conditioned = std::abs(lz) + std::abs(log_f) <= 1e4 * std::abs(sum);
    const double e = C / B * -std::expm1(sum);
    if (conditioned && std::isfinite(e) && e > 0 && e <= upper * (1 + 1e-12))
      return e;
  }
  return bg_nbd_alive_expectation(k, w, a, beta);
}

/// Rows of sufficient statistics (x, t_x, T) with weights, sorted by x, with
/// the index of each row's x among the distinct x values (for terms that
/// depend on x only).
struct rfm_rows {
  std::vector<double> x, t_x, T, w;
  std::vector<std::uint32_t> xid;
  std::vector<double> xs; ///< distinct x values, ascending
  double total_weight = 0;
  [[nodiscard]] std::size_t size() const noexcept { return x.size(); }
};

/// Validate (frequency, recency, T, weights) and merge identical rows.
/// `discrete`: BG/BB conventions (recency and T are whole periods, x ≤ t_x).
inline rfm_rows compress_rfm(std::span<const double> x, std::span<const double> t_x,
                             std::span<const double> T, std::span<const double> weights,
                             bool discrete = false) {
  // BG/BB calls T n_periods (as its Python fitter does)
  const char *const T_name = discrete ? "n_periods" : "T";
  const std::size_t n = x.size();
  if (t_x.size() != n)
    throw invalid_input("recency", "has " + std::to_string(t_x.size()) +
                                       " rows where 'frequency' has " + std::to_string(n));
  if (T.size() != n)
    throw invalid_input(T_name, "has " + std::to_string(T.size()) + " rows where 'frequency' has " +
                                    std::to_string(n));
  if (!weights.empty() && weights.size() != n)
    throw invalid_input("weights", "has " + std::to_string(weights.size()) +
                                       " rows where 'frequency' has " + std::to_string(n));
  if (n == 0)
    throw invalid_input("frequency", "no customers to fit");
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::int64_t>(i);
    if (!std::isfinite(x[i]) || x[i] < 0 || x[i] != std::floor(x[i]))
      throw invalid_input("frequency", row,
                          "must be a finite non-negative whole number, got " +
                              std::to_string(x[i]));
    if (!std::isfinite(t_x[i]) || t_x[i] < 0)
      throw invalid_input("recency", row,
                          "must be finite and non-negative, got " + std::to_string(t_x[i]));
    // T = 0 (first purchase at the end of the observation window, as
    // lifetimes' summaries produce) is allowed: such a customer has x = 0 and
    // contributes a likelihood of 1, nothing to the fit.
    if (!std::isfinite(T[i]) || T[i] < 0)
      throw invalid_input(T_name, row,
                          "must be finite and non-negative, got " + std::to_string(T[i]));
    if (T[i] == 0 && x[i] != 0)
      throw invalid_input("frequency", row,
                          std::string("must be 0 when ") + T_name + " is 0, got " +
                              std::to_string(x[i]));
    if (t_x[i] > T[i])
      throw invalid_input("recency", row,
                          std::string("is greater than ") + T_name + " (" + std::to_string(t_x[i]) +
                              " > " + std::to_string(T[i]) + ")");
    if (x[i] == 0 && t_x[i] != 0)
      throw invalid_input("recency", row,
                          "must be 0 when frequency is 0, got " + std::to_string(t_x[i]));
    if (discrete) {
      if (t_x[i] != std::floor(t_x[i]))
        throw invalid_input("recency", row,
                            "must be a whole number of periods, got " + std::to_string(t_x[i]));
      if (T[i] != std::floor(T[i]))
        throw invalid_input(T_name, row,
                            "must be a whole number of periods, got " + std::to_string(T[i]));
      if (x[i] > t_x[i])
        throw invalid_input("frequency", row, "exceeds recency (at most one transaction a period)");
    }
    if (!weights.empty() && (!std::isfinite(weights[i]) || weights[i] < 0))
      throw invalid_input("weights", row,
                          "must be finite and non-negative, got " + std::to_string(weights[i]));
  }
  struct r4 {
    double x, t, T, w;
  };
  std::vector<r4> rows(n);
  for (std::size_t i = 0; i < n; ++i)
    rows[i] = {x[i], t_x[i], T[i], weights.empty() ? 1.0 : weights[i]};
  std::sort(rows.begin(), rows.end(), [](const r4 &p, const r4 &q) {
    if (p.x != q.x)
      return p.x < q.x;
    if (p.t != q.t)
      return p.t < q.t;
    return p.T < q.T;
  });
  rfm_rows out;
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (m > 0 && rows[m - 1].x == rows[i].x && rows[m - 1].t == rows[i].t &&
        rows[m - 1].T == rows[i].T)
      rows[m - 1].w += rows[i].w;
    else
      rows[m++] = rows[i];
  }
  rows.resize(m);
  out.x.resize(m);
  out.t_x.resize(m);
  out.T.resize(m);
  out.w.resize(m);
  out.xid.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    out.x[i] = rows[i].x;
    out.t_x[i] = rows[i].t;
    out.T[i] = rows[i].T;
    out.w[i] = rows[i].w;
    if (out.xs.empty() || out.xs.back() != rows[i].x)
      out.xs.push_back(rows[i].x);
    out.xid[i] = static_cast<std::uint32_t>(out.xs.size() - 1);
    out.total_weight += rows[i].w;
  }
  if (!(out.total_weight > 0))
    throw invalid_input("weights", "sum to zero: nothing to fit");
  return out;
}

/// The distinct values of a column and each row's index among them, so that
/// terms in one value (log(α+T), 1/(α+T), ...) are computed once per distinct
/// value and evaluation (CDNOW: 84 distinct T, 257 distinct t_x among 1,016
/// rows). Empty (`used()` false) when more than half the rows, or more than
/// 65,536 values, are distinct: then a table saves little (and would not stay
/// in cache) and per-row terms are computed directly.
struct value_index {
  std::vector<double> values;
  std::vector<std::uint32_t> id;
  [[nodiscard]] bool used() const noexcept { return !id.empty(); }
};

inline value_index index_values(const std::vector<double> &v) {
  value_index out;
  const std::size_t limit = std::min<std::size_t>(v.size() / 2, std::size_t{1} << 16);
  std::unordered_map<double, std::uint32_t> seen;
  out.id.resize(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto [it, inserted] =
        seen.try_emplace(v[i], static_cast<std::uint32_t>(out.values.size()));
    if (inserted) {
      if (out.values.size() >= limit)
        return {};
      out.values.push_back(v[i]);
    }
    out.id[i] = it->second;
  }
  return out;
}

/// Compressed rows with their distinct T and t_x indexed (BG/NBD, Pareto/NBD).
struct indexed_rows {
  rfm_rows rows;
  value_index T, t_x;
};

inline indexed_rows index_rows(rfm_rows rows) {
  indexed_rows out;
  out.T = index_values(rows.T);
  out.t_x = index_values(rows.t_x);
  out.rows = std::move(rows);
  return out;
}

/// log(offset + v) and 1/(offset + v) over the distinct values of an index;
/// at(i) gives them for row i (tabulated, or computed when the column is
/// not indexed).
struct shifted_logs {
  const value_index &ix;
  const std::vector<double> &column;
  double offset;
  std::vector<double> log, inv;
  shifted_logs(const value_index &index, const std::vector<double> &col, double off)
      : ix(index), column(col), offset(off), log(index.values.size()), inv(index.values.size()) {
    for (std::size_t j = 0; j < ix.values.size(); ++j) {
      log[j] = std::log(offset + ix.values[j]);
      inv[j] = 1.0 / (offset + ix.values[j]);
    }
  }
  [[nodiscard]] std::pair<double, double> at(std::size_t i) const {
    if (ix.used())
      return {log[ix.id[i]], inv[ix.id[i]]};
    return {std::log(offset + column[i]), 1.0 / (offset + column[i])};
  }
};

/// A gradient and Hessian (upper triangle used) in natural parameters θ
/// carried to log-parameters: g_i θ_i and θ_i θ_j H_ij + δ_ij θ_i g_i
/// (symmetric, row-major). Either output may be null.
template <std::size_t K>
void to_log_parameters(const std::array<double, K> &th, const std::array<double, K> &g,
                       const std::array<double, K * K> &h, std::array<double, K> *grad,
                       std::array<double, K * K> *hess) {
  if (grad)
    for (std::size_t k = 0; k < K; ++k)
      (*grad)[k] = g[k] * th[k];
  if (hess)
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t j = i; j < K; ++j) {
        double v = th[i] * th[j] * h[i * K + j];
        if (i == j)
          v += th[i] * g[i];
        (*hess)[i * K + j] = v;
        (*hess)[j * K + i] = v;
      }
}

/// Largest element (the data's maximum T, for default starting points).
inline double max_of(const std::vector<double> &v) {
  double m = 0;
  for (const double d : v)
    m = std::max(m, d);
  return m > 0 ? m : 1.0;
}

/// Sum f(begin, end) over fixed chunks of [0, n) on `threads` threads; the
/// partial results are added in chunk order (thread-count independent).
template <class Partial, class F>
Partial chunked_sum(std::size_t n, unsigned threads, const F &f, std::size_t chunk = chunk_rows) {
  const std::size_t nchunks = (n + chunk - 1) / chunk;
  if (nchunks <= 1) // one chunk: no threads (and no look-up of the core count, a system call)
    return n == 0 ? Partial{} : f(std::size_t{0}, n);
  std::vector<Partial> parts(nchunks);
  unsigned nt = resolve_threads(threads);
  nt = static_cast<unsigned>(std::min<std::size_t>(nt, nchunks));
  run_on_threads(nt, [&](unsigned tid) {
    for (std::size_t c = tid; c < nchunks; c += nt)
      parts[c] = f(c * chunk, std::min(n, (c + 1) * chunk));
  });
  Partial total{};
  for (const auto &p : parts)
    total += p;
  return total;
}

/// A value with its gradient, for chunked sums.
template <std::size_t K> struct value_grad {
  double v = 0;
  std::array<double, K> g{};
  value_grad &operator+=(const value_grad &o) noexcept {
    v += o.v;
    for (std::size_t k = 0; k < K; ++k)
      g[k] += o.g[k];
    return *this;
  }
};

/// A value with its gradient and Hessian (row-major K×K), for chunked sums.
template <std::size_t K> struct value_grad_hess {
  double v = 0;
  std::array<double, K> g{};
  std::array<double, K * K> h{};
  value_grad_hess &operator+=(const value_grad_hess &o) noexcept {
    v += o.v;
    for (std::size_t k = 0; k < K; ++k)
      g[k] += o.g[k];
    for (std::size_t k = 0; k < K * K; ++k)
      h[k] += o.h[k];
    return *this;
  }
};

/// A scalar sum, for chunked sums.
struct scalar_sum {
  double v = 0;
  scalar_sum &operator+=(const scalar_sum &o) noexcept {
    v += o.v;
    return *this;
  }
};

/// The result of a maximum-likelihood fit of K parameters.
template <std::size_t K> struct ml_result {
  std::array<double, K> params{};
  std::array<double, K> standard_errors{};
  Eigen::Matrix<double, int(K), int(K)> covariance;
  btyd_fit_info info;
};

/// Starting point in log-parameters (options.initial_params, else zeros) and
/// the checks of the options every fit shares.
template <std::size_t K> Eigen::Matrix<double, int(K), 1> start_point(const btyd_fit_options &opt) {
  if (!(opt.penalizer_coef >= 0) || !std::isfinite(opt.penalizer_coef))
    throw invalid_input("penalizer_coef", "must be finite and non-negative");
  Eigen::Matrix<double, int(K), 1> x = Eigen::Matrix<double, int(K), 1>::Zero();
  if (!opt.initial_params.empty()) {
    if (opt.initial_params.size() != K)
      throw invalid_input("initial_params", "must hold " + std::to_string(K) + " values");
    for (std::size_t k = 0; k < K; ++k) {
      const double v = opt.initial_params[k];
      if (!(v > 0) || !std::isfinite(v))
        throw invalid_input("initial_params", "must be finite and positive");
      x(static_cast<Eigen::Index>(k)) = std::log(v);
    }
  }
  return x;
}

/// A non-owning reference to a callable (the log-likelihoods the fitters
/// call): the fitters are then templates on K only, instantiated once in
/// src/detail/btyd.cpp rather than in every includer for every lambda. One
/// indirect call per evaluation of the likelihood (a pass over all rows).
template <class Sig> class function_ref;
template <class R, class... A> class function_ref<R(A...)> {
public:
  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, function_ref> &&
           std::is_invocable_r_v<R, const F &, A...>) function_ref(const F &f)
  noexcept // NOLINT(google-explicit-constructor): a lambda converts implicitly
      : obj_(static_cast<const void *>(std::addressof(f))), call_([](const void *o, A... a) -> R {
          return (*static_cast<const F *>(o))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

private:
  const void *obj_;
  R (*call_)(const void *, A...);
};

/// `loglik(theta, grad)`, see fit_ml.
template <std::size_t K>
using loglik_ref = function_ref<double(const std::array<double, K> &, std::array<double, K> *)>;
/// `loglik(theta, grad, hess)`, see fit_ml_newton.
template <std::size_t K>
using loglik_hess_ref = function_ref<double(const std::array<double, K> &, std::array<double, K> *,
                                            std::array<double, K * K> *)>;

/// Covariance and standard errors of the natural parameters from the Hessian
/// H of −LL in log-parameters (delta method); NaN when H is not positive
/// definite. Parameters in `fixed` (ended at the shape cap: not a stationary
/// point, the likelihood still rising) get NaN; the others' covariance is
/// then conditional on them (the inverse of the free block).
template <std::size_t K>
void set_covariance(ml_result<K> &res, Eigen::Matrix<double, int(K), int(K)> H,
                    const std::array<bool, K> &fixed = {});

/// Maximise a log-likelihood over K positive parameters (L-BFGS).
/// `loglik(theta, grad)` returns the total log-likelihood at natural
/// parameters theta and, when grad is non-null, its gradient with respect to
/// log theta (models without an analytic gradient pass `analytic = false`:
/// central differences are used then). Defined in btyd-inl.hpp; compiled for
/// K = 2, 3, 4 in src/detail/btyd.cpp.
template <std::size_t K>
ml_result<K> fit_ml(loglik_ref<K> loglik, bool analytic, double total_weight, std::size_t rows,
                    const btyd_fit_options &opt);

/// Maximise a log-likelihood over K positive parameters by Newton's method,
/// for models with an analytic Hessian. `loglik(theta, grad, hess)` returns
/// the total log-likelihood at natural parameters theta and, when grad and
/// hess are non-null, its gradient and Hessian with respect to log theta.
///
/// Each step solves with the Hessian of the objective (−LL/N plus the
/// penalty) whose eigenvalues are made positive (|λ|, at least 1e-8 of the
/// largest: a descent direction even where the objective is not convex), is
/// capped at length 1 in log-parameters, and is halved until the objective
/// decreases enough (Armijo). Near the optimum the steps are plain Newton
/// steps: quadratic convergence, a handful of evaluations where L-BFGS needs
/// twenty, and the Hessian for the standard errors is exact and comes free.
/// Shape parameters are capped here: a Gamma with shape 1,000 has a
/// coefficient of variation of 3%, so the population is homogeneous in that
/// rate. Without a cap, data that push a shape to infinity (Pareto/NBD with
/// no heterogeneity in dropout: s, β → ∞ with s/β fixed) keep the Newton
/// steps walking off, each evaluation slower than the last.
inline constexpr double max_shape = 1000.0;

/// Newton's method in log-parameters. `shapes` names the shape parameters
/// (capped at max_shape; the others are free), in parameter order ("" for a
/// free one). A capped parameter is held at the cap while the gradient
/// pushes it outward (projected Newton); the fit is converged when the
/// gradient of the free parameters meets the tolerance. Defined in
/// btyd-inl.hpp; compiled for K = 4 in src/detail/btyd.cpp.
template <std::size_t K>
ml_result<K> fit_ml_newton(loglik_hess_ref<K> loglik, double total_weight, std::size_t rows,
                           const btyd_fit_options &opt,
                           const std::array<const char *, K> &shapes = {});

#ifndef GOODWILL_HEADER_ONLY
extern template void set_covariance<2>(ml_result<2> &, Eigen::Matrix<double, 2, 2>,
                                       const std::array<bool, 2> &);
extern template void set_covariance<3>(ml_result<3> &, Eigen::Matrix<double, 3, 3>,
                                       const std::array<bool, 3> &);
extern template void set_covariance<4>(ml_result<4> &, Eigen::Matrix<double, 4, 4>,
                                       const std::array<bool, 4> &);
extern template ml_result<2> fit_ml<2>(loglik_ref<2>, bool, double, std::size_t,
                                       const btyd_fit_options &);
extern template ml_result<3> fit_ml<3>(loglik_ref<3>, bool, double, std::size_t,
                                       const btyd_fit_options &);
extern template ml_result<4> fit_ml<4>(loglik_ref<4>, bool, double, std::size_t,
                                       const btyd_fit_options &);
extern template ml_result<4> fit_ml_newton<4>(loglik_hess_ref<4>, double, std::size_t,
                                              const btyd_fit_options &,
                                              const std::array<const char *, 4> &);
#endif

/// A model name as a template argument ("BG/NBD"), for the not-fitted error.
template <std::size_t N> struct model_name {
  char text[N]{};
  constexpr model_name(const char (&s)[N]) { std::copy_n(s, N, text); }
};

/// The parameters of a model (a struct of K doubles) as an array, in the
/// order of their declaration.
template <std::size_t K, class Params> std::array<double, K> param_values(const Params &p) {
  static_assert(sizeof(Params) == K * sizeof(double) && std::is_trivially_copyable_v<Params>);
  return std::bit_cast<std::array<double, K>>(p);
}

/// The fitted state every BTYD model shares: parameters, their standard
/// errors and covariance, the fit's diagnostics and whether the model is
/// fitted, each read back through an accessor that throws not_fitted before
/// fit() (or construction from parameters).
template <class Params, std::size_t K, model_name Name> class btyd_fitted {
public:
  [[nodiscard]] bool fitted() const noexcept { return fitted_; }
  /// The parameters; throws not_fitted before fit().
  [[nodiscard]] const Params &params() const {
    require_fitted();
    return params_;
  }
  /// Standard errors of the parameters (in their declaration order), from the
  /// inverse Hessian of −LL by the delta method.
  [[nodiscard]] const std::array<double, K> &standard_errors() const {
    require_fitted();
    return se_;
  }
  /// Covariance matrix of the parameters (declaration order).
  [[nodiscard]] const Eigen::Matrix<double, int(K), int(K)> &covariance() const {
    require_fitted();
    return cov_;
  }
  /// Fit diagnostics (log-likelihood, iterations, rows).
  [[nodiscard]] const btyd_fit_info &info() const {
    require_fitted();
    return info_;
  }

protected:
  btyd_fitted() = default;
  explicit btyd_fitted(const Params &p) : params_(p), fitted_(true) {}

  /// Store the result of a maximum-likelihood fit.
  void set_fit(const ml_result<K> &res) {
    static_assert(sizeof(Params) == K * sizeof(double) && std::is_trivially_copyable_v<Params>);
    params_ = std::bit_cast<Params>(res.params);
    se_ = res.standard_errors;
    cov_ = res.covariance;
    info_ = res.info;
    fitted_ = true;
  }
  void require_fitted() const {
    if (!fitted_)
      throw not_fitted(std::string("the ") + Name.text + " model is not fitted: call fit() first");
  }

  Params params_{};

private:
  std::array<double, K> se_{};
  Eigen::Matrix<double, int(K), int(K)> cov_ = Eigen::Matrix<double, int(K), int(K)>::Constant(nan);
  btyd_fit_info info_{};
  bool fitted_ = false;
};

/// Throws invalid_input unless the parameters are finite and positive.
template <std::size_t K>
void check_params(const std::array<double, K> &p, const std::array<const char *, K> &names) {
  for (std::size_t k = 0; k < K; ++k)
    if (!(p[k] > 0) || !std::isfinite(p[k]))
      throw invalid_input(names[k], "must be finite and positive, got " + std::to_string(p[k]));
}

/// Throws invalid_input unless one customer's (x, t_x, T) is admissible.
inline void check_customer(double x, double t_x, double T, std::int64_t row) {
  if (!std::isfinite(x) || x < 0)
    throw invalid_input("frequency", row,
                        "must be finite and non-negative, got " + std::to_string(x));
  if (!std::isfinite(t_x) || t_x < 0)
    throw invalid_input("recency", row,
                        "must be finite and non-negative, got " + std::to_string(t_x));
  if (!std::isfinite(T) || T < 0)
    throw invalid_input("T", row, "must be finite and non-negative, got " + std::to_string(T));
  if (t_x > T)
    throw invalid_input("recency", row,
                        "is greater than T (" + std::to_string(t_x) + " > " + std::to_string(T) +
                            ")");
}

/// Customers per piece of a prediction shared out over threads, and the
/// fewest customers for which threads are started. Measured on the shared
/// 2-core VM under load 5-10 (benchmarks/RESULTS.md, 2026-12-02, issue 17
/// point 9): at 2,357 customers a thread start cost up to 40x the
/// closed-form rows it took (MBG/NBD P(alive) 0.08 -> 3 ms), and at 10^5 the
/// threaded closed forms were still slower (2.8 -> 11.9 ms: no core free for
/// the second thread), so threads start only from 262,144 customers.
inline constexpr std::size_t prediction_piece = 16384;
inline constexpr std::size_t prediction_parallel_min = 262144;

/// Threads for a prediction over n customers: one per hardware thread from
/// prediction_parallel_min customers on, else 1.
inline unsigned prediction_threads(std::size_t n) {
  return n >= prediction_parallel_min ? resolve_threads(0) : 1u;
}

/// Apply f(i) to every customer i of (x, t_x, T) after checking the row, in
/// pieces of prediction_piece customers shared out over prediction_threads:
/// f must be a pure function of i (each out[i] is written by one piece only,
/// so the result does not depend on the thread count). The error of the
/// lowest failing piece is rethrown; within a piece rows run in order, so an
/// error names the first bad row, as a serial loop would.
template <class F>
std::vector<double> map_customers(std::span<const double> x, std::span<const double> t_x,
                                  std::span<const double> T, const F &f) {
  const std::size_t n = x.size();
  if (t_x.size() != n || T.size() != n)
    throw invalid_input("recency", "frequency, recency and T must have the same length");
  std::vector<double> out(n);
  const std::size_t pieces = (n + prediction_piece - 1) / prediction_piece;
  for_each_piece(prediction_threads(n), pieces, [&](std::size_t p) {
    const std::size_t end = std::min(n, (p + 1) * prediction_piece);
    for (std::size_t i = p * prediction_piece; i < end; ++i) {
      check_customer(x[i], t_x[i], T[i], static_cast<std::int64_t>(i));
      out[i] = f(i);
    }
  });
  return out;
}

/// Throws invalid_input unless the horizons t (one for every customer, or
/// one per customer of n) are finite and non-negative; errors name the row.
inline void check_horizons(std::span<const double> t, std::size_t n) {
  if (t.size() != 1 && t.size() != n)
    throw invalid_input("t", "must be a scalar or have one entry per customer (" +
                                 std::to_string(n) + "), got " + std::to_string(t.size()));
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!std::isfinite(t[i]) || t[i] < 0)
      throw invalid_input("t", static_cast<std::int64_t>(i),
                          "must be finite and non-negative, got " + std::to_string(t[i]));
}

/// Apply f(i, t_i) to every customer i of (x, t_x, T) after checking the row,
/// with t_i = t[0] when t holds one horizon and t[i] when it holds one per
/// customer.
template <class F>
std::vector<double> map_customers_t(std::span<const double> t, std::span<const double> x,
                                    std::span<const double> t_x, std::span<const double> T,
                                    const F &f) {
  check_horizons(t, x.size());
  const bool one = t.size() == 1;
  return map_customers(x, t_x, T, [&](std::size_t i) { return f(i, one ? t[0] : t[i]); });
}

} // namespace detail
} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/detail/btyd-inl.hpp>
#endif

#endif // GOODWILL_DETAIL_BTYD_HPP
