// goodwill — the Pareto/NBD buy-till-you-die model (Schmittlein, Morrison &
// Colombo 1987; likelihood as in Fader & Hardie 2005, "A note on deriving the
// Pareto/NBD model and related expressions").
//
// Design: while alive a customer buys at Poisson rate λ ~ Gamma(r, α) and
// dies after an exponential lifetime of rate μ ~ Gamma(s, β). The
// likelihood of (x, t_x, T) is
//   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s·I ],
//   I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ.
// I is the difference G(t_x) − G(T) of G(τ) = ∫_τ^∞ (same integrand), and
//   G(τ) = (m+τ)^−(r+s+x) / (r+s+x) · 2F1(r+s+x, b; r+s+x+1; z(τ)),
// taking the branch with 0 ≤ z < 1 (Fader & Hardie): m = α, b = s+1,
// z = (α−β)/(α+τ) when α ≥ β; m = β, b = r+x, z = (β−α)/(β+τ) otherwise. All
// series terms are positive, so G is summed in log space with rescaling
// (finite for x in the hundreds) and log I = log G(t_x) + log1mexp(...). Where
// z is so close to 1 that the series needs more than 5,000 terms, I is
// integrated directly (adaptive Gauss–Kronrod, scaled by its value at t_x).
// The gradient is analytic: the derivative sums over the series parameters
// are accumulated in the same pass (quadrature of the derivatives where the
// series is too slow).
// Everything is in log space: P(alive) and the conditional expectation follow
// from the ratio of the two bracket terms without forming L itself.
#ifndef GOODWILL_PARETO_NBD_HPP
#define GOODWILL_PARETO_NBD_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cmath>
#include <span>
#include <vector>

namespace goodwill {

/// Parameters of the Pareto/NBD model.
struct pareto_nbd_params {
  double r = 1, alpha = 1; ///< purchase rate λ ~ Gamma(shape r, rate alpha)
  double s = 1, beta = 1;  ///< dropout rate μ ~ Gamma(shape s, rate beta)
};

namespace detail {

/// log I = log ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ (−inf when t_x = T).
inline double log_pareto_nbd_integral(double r, double alpha, double s, double beta, double x,
                                      double t_x, double T) {
  if (!(t_x < T))
    return -inf;
  const double c = r + s + x;
  auto log_g = [&](double tau) {
    if (alpha >= beta)
      return -c * std::log(alpha + tau) - std::log(c) +
             log_hyp2f1_series(c, s + 1, c + 1, (alpha - beta) / (alpha + tau), 5000);
    return -c * std::log(beta + tau) - std::log(c) +
           log_hyp2f1_series(c, r + x, c + 1, (beta - alpha) / (beta + tau), 5000);
  };
  const double gt = log_g(t_x), gT = log_g(T);
  if (std::isfinite(gt) && std::isfinite(gT) && gT < gt)
    return gt + log1mexp(gT - gt);
  // Direct quadrature: the integrand decreases from t_x, so scale by f(t_x).
  auto log_f = [&](double tau) { return -(r + x) * std::log(alpha + tau) - (s + 1) * std::log(beta + tau); };
  const double l0 = log_f(t_x);
  double err = 0;
  const double v = boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
      [&](double tau) { return std::exp(log_f(tau) - l0); }, t_x, T, 20, 1e-12, &err);
  if (!(v > 0) || !std::isfinite(v))
    throw numerical_failure("Pareto/NBD: the likelihood integral could not be computed");
  return l0 + std::log(v);
}

/// Coefficients of the series of G(τ) that do not depend on τ (only on x
/// and the parameters): b+k, (b+k)/(k+1), 1/(c+k+1) and H_{k+1} =
/// Σ_{j≤k} 1/(b+j). A fit tabulates them once per distinct x and evaluation
/// and sums the series of every τ of that x with multiplications only.
struct g_coefficients {
  double b = 0, c = 0;
  std::vector<double> bk, rho, inv, H;
  void reset(double b_, double c_) {
    b = b_;
    c = c_;
    bk.clear();
    rho.clear();
    inv.clear();
    H.clear();
  }
  /// Make terms 0..n−1 available.
  void extend(std::size_t n) {
    std::size_t k = bk.size();
    if (n <= k)
      return;
    bk.resize(n);
    rho.resize(n);
    inv.resize(n);
    H.resize(n);
    for (; k < n; ++k) {
      const double kk = static_cast<double>(k);
      bk[k] = b + kk;
      rho[k] = bk[k] / (kk + 1.0);
      inv[k] = 1.0 / (c + kk + 1.0);
      H[k] = (k == 0 ? 0.0 : H[k - 1]) + 1.0 / bk[k];
    }
  }
};

/// The series branch of G: m, b, z (see the header comment).
struct g_branch {
  bool a_branch;
  double m, b, z;
};
inline g_branch pareto_g_branch(double r, double alpha, double s, double beta, double x, double tau) noexcept {
  const bool a_branch = alpha >= beta;
  return {a_branch, a_branch ? alpha : beta, a_branch ? s + 1 : r + x,
          a_branch ? (alpha - beta) / (alpha + tau) : (beta - alpha) / (beta + tau)};
}

/// log G(τ) and its gradient in (r, α, s, β) for up to `g_lanes` values of
/// τ with the same x, G(τ) = ∫_τ^∞ (α+u)^−(r+x) (β+u)^−(s+1) du =
/// (m+τ)^−c Σ_k (b)_k/k! z^k/(c+k) (see the header comment for m, b, z;
/// c = r+s+x), with the τ-free coefficients from `tab` (reset to this b and c
/// by the caller). The series of the τ values are summed in lockstep (one
/// term of each per step: independent chains the processor overlaps); each
/// stops contributing once its own stopping rule holds, so every value is the
/// one its series alone gives. The derivative sums over c, b and z are
/// accumulated in the same pass and rescaled together; the stopping rule of
/// log_hyp2f1_series is applied to the largest of the three term weights.
/// ok[l] = false where 5,000 terms are not enough.
inline constexpr std::size_t g_lanes = 8;
inline void log_g_with_gradient(double r, double alpha, double s, double beta, double x, const double *tau,
                                std::size_t n, double *log_g, std::array<double, 4> *grad, std::uint8_t *ok,
                                g_coefficients &tab) {
  const double c = r + s + x;
  std::array<double, g_lanes> z{}, iz{}, q{}, S{}, Sc{}, Sb{}, Sz{}, scale{}, live{};
  std::size_t running = 0;
  double b = 0;
  for (std::size_t l = 0; l < n; ++l) {
    const auto br = pareto_g_branch(r, alpha, s, beta, x, tau[l]);
    b = br.b;
    z[l] = br.z;
    iz[l] = 1.0 / std::max(z[l], 1e-300);
    q[l] = 1.0;
    S[l] = 1.0 / c;
    Sc[l] = -1.0 / (c * c);
    live[l] = z[l] == 0 ? 0.0 : 1.0;
    if (z[l] == 0)
      Sz[l] = b / (c + 1);
    running += z[l] == 0 ? 0u : 1u;
  }
  constexpr std::size_t max_terms = 5000;
  for (std::size_t k = 0; k < max_terms && running > 0; ++k) {
    if (k + 1 >= tab.bk.size())
      tab.extend(std::min(max_terms + 1, std::max<std::size_t>(2 * tab.bk.size(), 32)));
    const double bk = tab.bk[k], rho = tab.rho[k], inv = tab.inv[k], H = tab.H[k];
    bool big = false;
    for (std::size_t l = 0; l < g_lanes; ++l) {
      // d/dz of the (k+1)-th term: (k+1) q_{k+1}/z = (b+k) q_k (before the update).
      const double dz_q = q[l] * bk * live[l];
      q[l] *= rho * z[l];
      const double u = q[l] * inv * live[l];
      S[l] += u;
      Sc[l] -= u * inv;
      Sb[l] += u * H;
      Sz[l] += dz_q * inv;
      big |= S[l] > 1e250;
    }
    if (big)
      for (std::size_t l = 0; l < n; ++l)
        if (S[l] > 1e250) {
          S[l] *= 1e-250;
          Sc[l] *= 1e-250;
          Sb[l] *= 1e-250;
          Sz[l] *= 1e-250;
          q[l] *= 1e-250;
          scale[l] += 250.0 * 2.302585092994046;
        }
    if ((k & 3) != 3) // the stopping rule every fourth term
      continue;
    // Every later term ratio is at most max(1, (b+j)/(j+1))·z, j = k+1.
    const double rho1 = std::max(1.0, tab.rho[k + 1]);
    for (std::size_t l = 0; l < n; ++l) {
      if (live[l] == 0)
        continue;
      const double bound = rho1 * z[l];
      const double weight = q[l] * inv * (1.0 + H + (static_cast<double>(k) + 2.0) * iz[l]);
      if (bound < 1.0 && weight * bound / (1.0 - bound) <= 1e-16 * S[l]) {
        live[l] = 0;
        --running;
      }
    }
  }
  for (std::size_t l = 0; l < n; ++l) {
    ok[l] = live[l] == 0 ? 1 : 0;
    if (!ok[l])
      continue;
    const double t = tau[l];
    const bool a_branch = alpha >= beta;
    const double lm = std::log((a_branch ? alpha : beta) + t);
    log_g[l] = -c * lm + std::log(S[l]) + scale[l];
    const double dc = -lm + Sc[l] / S[l], db = Sb[l] / S[l], dz = Sz[l] / S[l];
    if (a_branch) {
      grad[l] = {dc, -c / (alpha + t) + dz * (beta + t) / ((alpha + t) * (alpha + t)), dc + db, -dz / (alpha + t)};
    } else {
      grad[l] = {dc + db, -dz / (beta + t), dc, -c / (beta + t) + dz * (alpha + t) / ((beta + t) * (beta + t))};
    }
  }
}

/// log G(τ) and its gradient at one τ; false when 5,000 terms are not enough.
inline bool log_g_with_gradient(double r, double alpha, double s, double beta, double x, double tau,
                                double &log_g, std::array<double, 4> &grad) {
  g_coefficients tab;
  tab.reset(pareto_g_branch(r, alpha, s, beta, x, tau).b, r + s + x);
  std::uint8_t ok = 0;
  log_g_with_gradient(r, alpha, s, beta, x, &tau, 1, &log_g, &grad, &ok, tab);
  return ok != 0;
}

/// log I and its gradient in (r, α, s, β); I as in log_pareto_nbd_integral.
inline double log_pareto_nbd_integral_gradient(double r, double alpha, double s, double beta, double x,
                                               double t_x, double T, std::array<double, 4> &grad) {
  grad = {0, 0, 0, 0};
  if (!(t_x < T))
    return -inf;
  double gt = 0, gT = 0;
  std::array<double, 4> dt{}, dT{};
  if (log_g_with_gradient(r, alpha, s, beta, x, t_x, gt, dt) &&
      log_g_with_gradient(r, alpha, s, beta, x, T, gT, dT) && gT < gt) {
    const double d = gT - gt, e = std::exp(d), den = -std::expm1(d);
    for (std::size_t k = 0; k < 4; ++k)
      grad[k] = (dt[k] - e * dT[k]) / den;
    return gt + log1mexp(d);
  }
  // Quadrature of the integrand and of its derivatives.
  auto log_f = [&](double tau) { return -(r + x) * std::log(alpha + tau) - (s + 1) * std::log(beta + tau); };
  const double l0 = log_f(t_x);
  auto integrate = [&](auto weight) {
    return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
        [&](double tau) { return weight(tau) * std::exp(log_f(tau) - l0); }, t_x, T, 20, 1e-12);
  };
  const double v = integrate([](double) { return 1.0; });
  if (!(v > 0) || !std::isfinite(v))
    throw numerical_failure("Pareto/NBD: the likelihood integral could not be computed");
  grad[0] = -integrate([&](double tau) { return std::log(alpha + tau); }) / v;
  grad[1] = -(r + x) * integrate([&](double tau) { return 1.0 / (alpha + tau); }) / v;
  grad[2] = -integrate([&](double tau) { return std::log(beta + tau); }) / v;
  grad[3] = -(s + 1) * integrate([&](double tau) { return 1.0 / (beta + tau); }) / v;
  return l0 + std::log(v);
}

/// Compressed rows plus the distinct (x, t_x) and (x, T) pairs: G(τ) depends
/// on a row only through (x, τ), so each distinct pair's series is summed once
/// per evaluation (CDNOW: 586 + 464 series instead of 2 × 1,016).
struct pareto_rows {
  rfm_rows rows;
  std::vector<double> a_x, a_tau, b_x, b_tau; ///< distinct (x, t_x) and (x, T), sorted by x
  std::vector<std::uint32_t> a_id, b_id;      ///< per row
  std::vector<std::uint32_t> a_xid, b_xid;    ///< per pair: index of its x in rows.xs
  value_index T_ix;                           ///< distinct T
};

inline pareto_rows index_pareto_rows(rfm_rows rows) {
  pareto_rows out;
  const std::size_t n = rows.size();
  out.a_id.resize(n);
  out.b_id.resize(n);
  // Rows are sorted by (x, t_x, T): equal (x, t_x) are adjacent.
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 0 || rows.x[i] != rows.x[i - 1] || rows.t_x[i] != rows.t_x[i - 1]) {
      out.a_x.push_back(rows.x[i]);
      out.a_tau.push_back(rows.t_x[i]);
      out.a_xid.push_back(rows.xid[i]);
    }
    out.a_id[i] = static_cast<std::uint32_t>(out.a_x.size() - 1);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i)
    order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t p, std::uint32_t q) {
    return rows.x[p] != rows.x[q] ? rows.x[p] < rows.x[q] : rows.T[p] < rows.T[q];
  });
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t i = order[j];
    if (j == 0 || rows.x[i] != rows.x[order[j - 1]] || rows.T[i] != rows.T[order[j - 1]]) {
      out.b_x.push_back(rows.x[i]);
      out.b_tau.push_back(rows.T[i]);
      out.b_xid.push_back(rows.xid[i]);
    }
    out.b_id[i] = static_cast<std::uint32_t>(out.b_x.size() - 1);
  }
  out.T_ix = index_values(rows.T);
  out.rows = std::move(rows);
  return out;
}

} // namespace detail

/// The Pareto/NBD model: fit by maximum likelihood, predict per customer.
class pareto_nbd {
public:
  /// An unfitted model; fit() it before predicting.
  pareto_nbd() = default;
  /// A model with given parameters (treated as fitted).
  explicit pareto_nbd(const pareto_nbd_params &p) : params_(p), fitted_(true) {
    detail::check_params<4>({p.r, p.alpha, p.s, p.beta}, {"r", "alpha", "s", "beta"});
  }

  /// Maximum-likelihood fit to frequency (x), recency (t_x) and age T, with
  /// optional weights.
  pareto_nbd &fit(std::span<const double> frequency, std::span<const double> recency,
                  std::span<const double> T, std::span<const double> weights = {},
                  const btyd_fit_options &options = {}) {
    const auto indexed = detail::index_pareto_rows(detail::compress_rfm(frequency, recency, T, weights));
    const auto &rows = indexed.rows;
    auto ll = [&](const std::array<double, 4> &th, std::array<double, 4> *grad) {
      return log_likelihood_indexed(indexed, th, options.threads, grad);
    };
    // Default start: ones, with the rates alpha and beta at max(T)/10 (the
    // point lifetimes starts from, on its rescaled time).
    auto opt = options;
    if (opt.initial_params.empty()) {
      const double scale = detail::max_of(rows.T) / 10;
      opt.initial_params = {1.0, scale, 1.0, scale};
    }
    const auto res = detail::fit_ml<4>(ll, true, rows.total_weight, rows.size(), opt);
    params_ = {res.params[0], res.params[1], res.params[2], res.params[3]};
    se_ = res.standard_errors;
    cov_ = res.covariance;
    info_ = res.info;
    fitted_ = true;
    return *this;
  }

  [[nodiscard]] bool fitted() const noexcept { return fitted_; }
  /// The parameters; throws not_fitted before fit().
  [[nodiscard]] const pareto_nbd_params &params() const {
    require_fitted();
    return params_;
  }
  /// Standard errors of (r, alpha, s, beta) from the inverse Hessian.
  [[nodiscard]] const std::array<double, 4> &standard_errors() const {
    require_fitted();
    return se_;
  }
  /// Covariance matrix of (r, alpha, s, beta).
  [[nodiscard]] const Eigen::Matrix4d &covariance() const {
    require_fitted();
    return cov_;
  }
  /// Fit diagnostics.
  [[nodiscard]] const btyd_fit_info &info() const {
    require_fitted();
    return info_;
  }

  /// Log-likelihood of one customer.
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const {
    require_fitted();
    const auto &p = params_;
    return detail::lgam(p.r + x) - detail::lgam(p.r) + row_log_likelihood(p, x, t_x, T);
  }

  /// P(alive at T | x, t_x, T).
  [[nodiscard]] double probability_alive(double x, double t_x, double T) const {
    require_fitted();
    const auto &p = params_;
    const double first = log_first(p, x, T);
    const double second = std::log(p.s) + detail::log_pareto_nbd_integral(p.r, p.alpha, p.s, p.beta, x, t_x, T);
    return std::exp(first - detail::logaddexp(first, second));
  }

  /// Expected purchases in (T, T+t] given (x, t_x, T).
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x, double T) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    const double q = std::log((p.beta + T) / (p.beta + T + t));
    const double e = (p.r + x) * (p.beta + T) / (p.alpha + T) * one_minus_pow_over(q, p.s - 1) *
                     probability_alive(x, t_x, T);
    if (!std::isfinite(e))
      throw numerical_failure("Pareto/NBD conditional expectation is not finite");
    return e;
  }

  /// Expected purchases in (0, t] of a customer just acquired.
  [[nodiscard]] double expected_purchases(double t) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    return p.r * p.beta / p.alpha * one_minus_pow_over(std::log(p.beta / (p.beta + t)), p.s - 1);
  }

  /// Vectorised forms (rows checked; errors name the row).
  [[nodiscard]] std::vector<double> probability_alive(std::span<const double> x, std::span<const double> t_x,
                                                      std::span<const double> T) const {
    require_fitted();
    return detail::map_customers(x, t_x, T, [&](std::size_t i) { return probability_alive(x[i], t_x[i], T[i]); });
  }
  [[nodiscard]] std::vector<double> conditional_expected_purchases(double t, std::span<const double> x,
                                                                   std::span<const double> t_x,
                                                                   std::span<const double> T) const {
    require_fitted();
    check_horizon(t);
    return detail::map_customers(
        x, t_x, T, [&](std::size_t i) { return conditional_expected_purchases(t, x[i], t_x[i], T[i]); });
  }

  /// Total log-likelihood of compressed rows and, when grad is non-null, its
  /// gradient in log-parameters.
  static double log_likelihood_rows(const detail::rfm_rows &rows, const std::array<double, 4> &th,
                                    unsigned threads = 0, std::array<double, 4> *grad = nullptr) {
    return log_likelihood_indexed(detail::index_pareto_rows(rows), th, threads, grad);
  }

  /// log_likelihood_rows on rows indexed by distinct (x, t_x) and (x, T).
  static double log_likelihood_indexed(const detail::pareto_rows &ix, const std::array<double, 4> &th,
                                       unsigned threads = 0, std::array<double, 4> *grad = nullptr) {
    const auto &rows = ix.rows;
    const pareto_nbd_params p{th[0], th[1], th[2], th[3]};
    const std::size_t nx = rows.xs.size();
    std::vector<double> cx(nx), dcx(nx);
    const double lgr = detail::lgam(p.r), psir = detail::digam(p.r);
    for (std::size_t k = 0; k < nx; ++k) {
      cx[k] = detail::lgam(p.r + rows.xs[k]) - lgr;
      dcx[k] = grad ? detail::digam(p.r + rows.xs[k]) - psir : 0.0;
    }
    // G and its gradient at each distinct (x, τ); ok = 0 where the series
    // needs more than 5,000 terms (those rows fall back to quadrature). The
    // pairs are sorted by x: the τ-free series coefficients are tabulated
    // once per run of equal x.
    struct g_table {
      std::vector<double> g;
      std::vector<std::array<double, 4>> d;
      std::vector<std::uint8_t> ok;
    };
    auto tabulate = [&](const std::vector<double> &xs, const std::vector<double> &taus,
                        const std::vector<std::uint32_t> &xid) {
      g_table t;
      t.g.resize(xs.size());
      t.d.resize(xs.size());
      t.ok.resize(xs.size());
      detail::chunked_sum<detail::scalar_sum>(xs.size(), threads, [&](std::size_t lo, std::size_t hi) {
        detail::g_coefficients tab;
        for (std::size_t i = lo; i < hi;) {
          if (i == lo || xid[i] != xid[i - 1])
            tab.reset(detail::pareto_g_branch(p.r, p.alpha, p.s, p.beta, xs[i], taus[i]).b, p.r + p.s + xs[i]);
          // A block of up to g_lanes values of τ with this x.
          std::size_t n = 1;
          while (n < detail::g_lanes && i + n < hi && xid[i + n] == xid[i])
            ++n;
          detail::log_g_with_gradient(p.r, p.alpha, p.s, p.beta, xs[i], &taus[i], n, &t.g[i], &t.d[i], &t.ok[i], tab);
          i += n;
        }
        return detail::scalar_sum{};
      }, 2048);
      return t;
    };
    const g_table A = tabulate(ix.a_x, ix.a_tau, ix.a_xid), B = tabulate(ix.b_x, ix.b_tau, ix.b_xid);
    // Terms in T alone, once per distinct T.
    const detail::shifted_logs laT(ix.T_ix, p.alpha), lbT(ix.T_ix, p.beta);
    const double la = std::log(p.alpha), lb = std::log(p.beta), ls = std::log(p.s);
    using acc = detail::value_grad<4>;
    const acc total = detail::chunked_sum<acc>(rows.size(), threads, [&](std::size_t lo, std::size_t hi) {
      acc a;
      for (std::size_t i = lo; i < hi; ++i) {
        const double x = rows.x[i], tx = rows.t_x[i], T = rows.T[i], w = rows.w[i];
        double LaT, LbT, iaT, ibT;
        if (ix.T_ix.used()) {
          const std::uint32_t j = ix.T_ix.id[i];
          LaT = laT.log[j];
          LbT = lbT.log[j];
          iaT = laT.inv[j];
          ibT = lbT.inv[j];
        } else {
          LaT = std::log(p.alpha + T);
          LbT = std::log(p.beta + T);
          iaT = 1.0 / (p.alpha + T);
          ibT = 1.0 / (p.beta + T);
        }
        const double first = -(p.r + x) * LaT - p.s * LbT;
        std::array<double, 4> gi{};
        double log_i = -detail::inf;
        if (tx < T) {
          const std::uint32_t ia = ix.a_id[i], ib = ix.b_id[i];
          const double gt = A.g[ia], gT = B.g[ib];
          if (A.ok[ia] && B.ok[ib] && gT < gt) {
            // I = G(t_x) − G(T) = G(t_x)(1 − e), e = exp(gT − gt).
            const double d = gT - gt, e = std::exp(d);
            const double den = d < -0.6931471805599453 ? 1.0 - e : -std::expm1(d);
            if (grad)
              for (std::size_t k = 0; k < 4; ++k)
                gi[k] = (A.d[ia][k] - e * B.d[ib][k]) / den;
            log_i = gt + std::log(den);
          } else {
            log_i = detail::log_pareto_nbd_integral_gradient(p.r, p.alpha, p.s, p.beta, x, tx, T, gi);
          }
        }
        // log(exp(first) + exp(second)) and the share w2 of the second term,
        // from one exp (as the softplus of BG/NBD).
        const double second = ls + log_i;
        const double delta = second - first;
        const double e = std::exp(-std::abs(delta));
        const double total_log = std::max(first, second) + std::log(1.0 + e);
        a.v += w * (cx[rows.xid[i]] + p.r * la + p.s * lb + total_log);
        if (!grad)
          continue;
        const double w2 = delta > 0 ? 1.0 / (1.0 + e) : e / (1.0 + e), w1 = 1 - w2;
        const double g_r = dcx[rows.xid[i]] + la + w1 * -LaT + w2 * gi[0];
        const double g_a = p.r / p.alpha + w1 * -(p.r + x) * iaT + w2 * gi[1];
        const double g_s = lb + w1 * -LbT + w2 * (1.0 / p.s + gi[2]);
        const double g_b = p.s / p.beta + w1 * -p.s * ibT + w2 * gi[3];
        a.g[0] += w * g_r * p.r;
        a.g[1] += w * g_a * p.alpha;
        a.g[2] += w * g_s * p.s;
        a.g[3] += w * g_b * p.beta;
      }
      return a;
    }, 4096);
    if (grad)
      *grad = total.g;
    return total.v;
  }

private:
  static double log_first(const pareto_nbd_params &p, double x, double T) {
    return -(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  }
  // log L without lnΓ(r+x) − lnΓ(r).
  static double row_log_likelihood(const pareto_nbd_params &p, double x, double t_x, double T) {
    const double first = log_first(p, x, T);
    const double second =
        std::log(p.s) + detail::log_pareto_nbd_integral(p.r, p.alpha, p.s, p.beta, x, t_x, T);
    return p.r * std::log(p.alpha) + p.s * std::log(p.beta) + detail::logaddexp(first, second);
  }
  // (1 − exp(k·q)) / k, with its limit −q at k = 0 (q ≤ 0).
  static double one_minus_pow_over(double q, double k) {
    if (std::abs(k) < 1e-12)
      return -q;
    return -std::expm1(k * q) / k;
  }
  void require_fitted() const {
    if (!fitted_)
      throw not_fitted("the Pareto/NBD model is not fitted: call fit() first");
  }
  static void check_horizon(double t) {
    if (!std::isfinite(t) || t < 0)
      throw invalid_input("t", "must be finite and non-negative, got " + std::to_string(t));
  }

  pareto_nbd_params params_{};
  std::array<double, 4> se_{};
  Eigen::Matrix4d cov_ = Eigen::Matrix4d::Constant(detail::nan);
  btyd_fit_info info_{};
  bool fitted_ = false;
};

} // namespace goodwill

#endif // GOODWILL_PARETO_NBD_HPP
