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
// (finite for x in the hundreds) and log I = log G(t_x) + log(1 − G(T)/G(t_x)).
// Where z is so close to 1 that the series needs more than 5,000 terms (one
// rate much larger than the other, as when the data push s and β to
// infinity), or where G(T) is so close to G(t_x) that the difference would
// lose digits, I is integrated directly in one pass for the value, gradient and
// Hessian: after the substitution v = log f(t_x) − log f(τ) the integrand is
// e^−v times a slowly varying factor, and Gauss–Kronrod panels in v give
// about 1e-15 relative accuracy in ~30 µs (see
// log_pareto_nbd_integral_quadrature). The gradient and Hessian of the
// series are analytic too: the first and second derivative sums over the
// series parameters are accumulated in the same pass, and Newton's
// method maximises the likelihood (8 iterations on CDNOW). For speed the
// τ-free series coefficients are tabulated once per distinct x and the
// series of up to eight τ of the same x are summed in lockstep (SIMD).
// Everything is in log space: P(alive) and the conditional expectation follow
// from the ratio of the two bracket terms without forming L itself.
#ifndef GOODWILL_VALUE_BTYD_PARETO_NBD_HPP
#define GOODWILL_VALUE_BTYD_PARETO_NBD_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/error.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace goodwill {

/// Parameters of the Pareto/NBD model.
struct pareto_nbd_params {
  double r = 1, alpha = 1; ///< purchase rate λ ~ Gamma(shape r, rate alpha)
  double s = 1, beta = 1;  ///< dropout rate μ ~ Gamma(shape s, rate beta)
};

namespace detail {

/// log I and, with `grad` (and `hess`) non-null, its gradient (and Hessian,
/// upper triangle, row-major; only with `grad`) in (r, α, s, β), by quadrature in one pass: the
/// fallback where the series of G needs too many terms (z near 1: one rate
/// much larger than the other, as when the data push s and β to infinity)
/// or where G(t_x) − G(T) would lose digits (series_difference_accurate).
///
/// The integrand f(τ) = (α+τ)^−A (β+τ)^−B, A = r+x, B = s+1, is log-convex
/// and decreasing, often steeply (A in the hundreds). With the substitution
/// v = log f(t_x) − log f(τ) (increasing, so τ(v) is found by Newton's
/// method, which converges monotonically from the left because v(τ) is
/// concave),
///   I = f(t_x) ∫_0^V e^{−v} ψ(v) dv,   ψ = 1/φ(τ(v)),  φ = −(log f)′ > 0,
/// and log ψ rises with slope at most 1/min(A, B): a smooth, slowly varying
/// factor. ψ grows by at most R = max((α+T)/(α+t_x), (β+T)/(β+t_x)) over
/// the range, so the part beyond v = 40 + log R is below 1e-17 of I and is
/// left out. The range is cut into panels at v = 0, 1, 2, 4, 8, …; each is
/// integrated with the 21-point Gauss–Kronrod rule (nodes and weights from
/// Boost.Math) and halved while its Kronrod–Gauss difference exceeds 1e-10
/// of the running total (the Kronrod value is then good to about 1e-15).
/// The derivatives are integrals of f times the derivatives of log f, at the
/// same nodes: ∇log I = E[d], ∇²log I = E[∇²log f + d dᵀ] − E[d] E[d]ᵀ
/// under the weight f/I, with d taken relative to its value at t_x (less
/// cancellation).
/// Defined in value/btyd/pareto_nbd-inl.hpp (compiled in
/// src/value/btyd/pareto_nbd.cpp): the rule's nodes come from Boost.Math.
GOODWILL_FUNC double log_pareto_nbd_integral_quadrature(double r, double alpha, double s,
                                                        double beta, double x, double t_x, double T,
                                                        std::array<double, 4> *grad = nullptr,
                                                        std::array<double, 16> *hess = nullptr);

/// Whether I = G(t_x)(1 − e^d), d = log G(T) − log G(t_x), is accurate from
/// the series: log G carries a rounding error of about 2.2e-16·|log G| (its
/// −c·log(m+τ) term), which becomes a relative error of that over 1 − e^d
/// in I. Kept below 1e-12 with −d > 4.4e-4·|log G| (as 1 − e^d ≥ −d/2 for
/// −d ≤ 1); else (G(T) close to G(t_x): t_x near T, or |log G| in the
/// thousands) I is integrated directly.
inline bool series_difference_accurate(double log_g_tx, double log_g_T) noexcept {
  return log_g_T - log_g_tx < -4.4e-4 * std::max(1.0, std::abs(log_g_tx));
}

/// Coefficients of the series of G(τ) that do not depend on τ (only on x
/// and the parameters): b+k, (b+k)/(k+1), 1/(c+k+1) and H_{k+1} =
/// Σ_{j≤k} 1/(b+j). A fit tabulates them once per distinct x and evaluation
/// and sums the series of every τ of that x with multiplications only.
struct g_coefficients {
  double b = 0, c = 0;
  std::vector<double> bk, rho, inv, H, H2; ///< H2_{k+1} = Σ_{j≤k} 1/(b+j)²
  void reset(double b_, double c_) {
    b = b_;
    c = c_;
    bk.clear();
    rho.clear();
    inv.clear();
    H.clear();
    H2.clear();
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
    H2.resize(n);
    for (; k < n; ++k) {
      const double kk = static_cast<double>(k);
      bk[k] = b + kk;
      rho[k] = bk[k] / (kk + 1.0);
      inv[k] = 1.0 / (c + kk + 1.0);
      H[k] = (k == 0 ? 0.0 : H[k - 1]) + 1.0 / bk[k];
      H2[k] = (k == 0 ? 0.0 : H2[k - 1]) + 1.0 / (bk[k] * bk[k]);
    }
  }
};

/// The series branch of G: m, b, z (see the header comment).
struct g_branch {
  bool a_branch;
  double m, b, z;
};
inline g_branch pareto_g_branch(double r, double alpha, double s, double beta, double x,
                                double tau) noexcept {
  const bool a_branch = alpha >= beta;
  return {a_branch, a_branch ? alpha : beta, a_branch ? s + 1 : r + x,
          a_branch ? (alpha - beta) / (alpha + tau) : (beta - alpha) / (beta + tau)};
}

/// True when the series of G surely needs more than `max_terms` terms, so
/// the caller goes to quadrature without summing it. With u_k the series
/// terms: for b ≥ 1 the terms still grow at k = max_terms when
/// (b+k)·z ≥ k+1; otherwise the stopping rule needs u_k·z/(1−z) below
/// 1e-16 of the sum, while u_k ≥ z^k·min(1, b/k)/(c+k) and the sum is at most
/// (1−z)^−max(b,1)/c.
inline bool g_series_hopeless(double b, double c, double z, double max_terms) noexcept {
  if (!(z > 0) || (z < 0.99 && c < 1e6 && max_terms >= 5000))
    return false; // then u·z/(1−z) < e^−54 < 1e-16/c (no logs on the common path)
  if (b >= 1 && (b + max_terms) * z >= max_terms + 1)
    return true;
  const double log_u = (max_terms + 1) * std::log(z) + std::log(std::min(1.0, b / max_terms)) -
                       std::log(c + max_terms) - std::log1p(-z);
  const double log_sum_max = -std::max(b, 1.0) * std::log1p(-z) - std::log(c);
  return log_u > std::log(1e-16) + log_sum_max;
}

/// log G(τ), its gradient and (with `hess` non-null) its Hessian (upper
/// triangle, row-major) in
/// (r, α, s, β) for up to `g_lanes` values of τ with the same x,
/// G(τ) = ∫_τ^∞ (α+u)^−(r+x) (β+u)^−(s+1) du = (m+τ)^−c Σ_k u_k,
/// u_k = (b)_k/k! z^k/(c+k) (see the header comment for m, b, z; c = r+s+x),
/// with the τ-free coefficients from `tab` (reset to this b and c by the
/// caller). The series of the τ values are summed in lockstep (one term of
/// each per step: independent chains the processor overlaps); each stops
/// contributing once its own stopping rule holds, so every value is the one
/// its series alone gives. The first and second derivative sums over c, b and
/// z (∂u/∂c = −u/(c+k), ∂u/∂b = u·H_k with H_k = Σ_{j<k} 1/(b+j),
/// ∂u/∂z = k·u/z, the z-derivatives written with q_{k−1} and q_{k−2},
/// q_k = (b)_k/k! z^k, so that z = 0 needs no division) are accumulated in
/// the same pass and rescaled together; the stopping rule of
/// log_hyp2f1_series is applied to the largest of the first-derivative term
/// weights. ok[l] = false where 5,000 terms are not enough.
inline constexpr std::size_t g_lanes = 8;
template <bool WithHessian>
void log_g_lanes(double r, double alpha, double s, double beta, double x, const double *tau,
                 std::size_t n, double *log_g, std::array<double, 4> *grad,
                 std::array<double, 16> *hess, std::uint8_t *ok, g_coefficients &tab) {
  const double c = r + s + x;
  using lanes = std::array<double, g_lanes>;
  lanes z{}, iz{}, q{}, qm{}, S{}, Sc{}, Sb{}, Sz{}, Scc{}, Scb{}, Scz{}, Sbb{}, Sbz{}, Szz{},
      scale{}, live{};
  std::array<bool, g_lanes> hopeless{};
  std::size_t running = 0;
  constexpr std::size_t max_terms = 5000;
  const bool a_branch = alpha >= beta;
  const double b = a_branch ? s + 1 : r + x;
  for (std::size_t l = 0; l < n; ++l) {
    z[l] = pareto_g_branch(r, alpha, s, beta, x, tau[l]).z;
    iz[l] = 1.0 / std::max(z[l], 1e-300);
    q[l] = 1.0;
    S[l] = 1.0 / c;
    Sc[l] = -1.0 / (c * c);
    Scc[l] = 2.0 / (c * c * c);
    hopeless[l] = g_series_hopeless(b, c, z[l], double(max_terms));
    live[l] = z[l] == 0 || hopeless[l] ? 0.0 : 1.0;
    if (z[l] == 0) { // the z-derivatives keep their terms in z^0 only
      Sz[l] = b / (c + 1);
      Scz[l] = -b / ((c + 1) * (c + 1));
      Sbz[l] = 1.0 / (c + 1);
      Szz[l] = b * (b + 1) / (c + 2);
    }
    running += live[l] != 0 ? 1u : 0u;
  }
  for (std::size_t k = 0; k < max_terms && running > 0; ++k) {
    if (k + 1 >= tab.bk.size())
      tab.extend(std::min(max_terms + 1, std::max<std::size_t>(2 * tab.bk.size(), 32)));
    const double bk = tab.bk[k], rho = tab.rho[k], inv = tab.inv[k], H = tab.H[k];
    [[maybe_unused]] const double H2 = tab.H2[k];
    // Term K = k+1: q_K = q_k·(b+k)/(k+1)·z, u_K = q_K/(c+K),
    // ∂u_K/∂z = (b+k) q_k/(c+K), ∂²u_K/∂z² = (b+k−1)(b+k) q_{k−1}/(c+K).
    for (std::size_t l = 0; l < g_lanes; ++l) {
      const double qk = q[l];
      const double dz_q = qk * bk * live[l];
      q[l] = qk * rho * z[l];
      const double u = q[l] * inv * live[l];
      S[l] += u;
      Sc[l] -= u * inv;
      Sb[l] += u * H;
      Sz[l] += dz_q * inv;
      if constexpr (WithHessian) {
        Scc[l] += 2.0 * u * inv * inv;
        Scb[l] -= u * H * inv;
        Scz[l] -= dz_q * inv * inv;
        Sbb[l] += u * (H * H - H2);
        Sbz[l] += H * dz_q * inv;
        Szz[l] += qm[l] * (bk - 1.0) * bk * live[l] * inv;
        qm[l] = qk;
      }
    }
    if ((k & 3) != 3) // rescaling and the stopping rule every fourth term
      continue;
    // A term is at most (b+k)·z times the one before: four terms grow S by
    // far less than the 1e58 left above 1e250.
    for (std::size_t l = 0; l < n; ++l)
      if (S[l] > 1e250) {
        for (lanes *v : {&S, &Sc, &Sb, &Sz, &Scc, &Scb, &Scz, &Sbb, &Sbz, &Szz, &q, &qm})
          (*v)[l] *= 1e-250;
        scale[l] += 250.0 * 2.302585092994046;
      }
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
    ok[l] = live[l] == 0 && !hopeless[l] ? 1 : 0;
    if (!ok[l])
      continue;
    const double t = tau[l], at = alpha + t, bt = beta + t;
    const double mt = a_branch ? at : bt, lm = std::log(mt);
    log_g[l] = -c * lm + std::log(S[l]) + scale[l];
    const double dc = Sc[l] / S[l], db = Sb[l] / S[l], dz = Sz[l] / S[l];
    // z and its derivatives in (α, β); b is s+1 (a-branch) or r+x.
    double za, zb, zaa, zab, zbb;
    if (a_branch) {
      za = bt / (at * at), zb = -1.0 / at, zaa = -2.0 * bt / (at * at * at), zab = 1.0 / (at * at),
      zbb = 0.0;
    } else {
      za = -1.0 / bt, zb = at / (bt * bt), zaa = 0.0, zab = 1.0 / (bt * bt),
      zbb = -2.0 * at / (bt * bt * bt);
    }
    // Gradient: −c·log(m+τ) + log S(c, b, z); c = r+s+x.
    const std::size_t ib = a_branch ? 2 : 0, im = a_branch ? 1 : 3;
    std::array<double, 4> g{-lm + dc, dz * za, -lm + dc, dz * zb};
    g[ib] += db;
    g[im] -= c / mt;
    grad[l] = g;
    if constexpr (WithHessian) {
      // Hessian of log S in (c, b, z): S_vv/S − ∇ ∇ᵀ, carried to (r, α, s, β)
      // through J = ∂(c, b, z)/∂θ, plus dz·∇²z and the Hessian of −c·log(m+τ).
      const double iS = 1.0 / S[l];
      const double Dcc = Scc[l] * iS - dc * dc, Dcb = Scb[l] * iS - dc * db,
                   Dcz = Scz[l] * iS - dc * dz;
      const double Dbb = Sbb[l] * iS - db * db, Dbz = Sbz[l] * iS - db * dz,
                   Dzz = Szz[l] * iS - dz * dz;
      const std::array<double, 4> Jc{1, 0, 1, 0},
          Jb{ib == 0 ? 1.0 : 0.0, 0, ib == 2 ? 1.0 : 0.0, 0}, Jz{0, za, 0, zb};
      // Upper triangle only (the caller symmetrises).
      auto &h = hess[l];
      for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i; j < 4; ++j)
          h[i * 4 + j] = Dcc * Jc[i] * Jc[j] + Dbb * Jb[i] * Jb[j] + Dzz * Jz[i] * Jz[j] +
                         Dcb * (Jc[i] * Jb[j] + Jb[i] * Jc[j]) +
                         Dcz * (Jc[i] * Jz[j] + Jz[i] * Jc[j]) +
                         Dbz * (Jb[i] * Jz[j] + Jz[i] * Jb[j]);
      h[1 * 4 + 1] += dz * zaa;
      h[1 * 4 + 3] += dz * zab;
      h[3 * 4 + 3] += dz * zbb;
      // −c·log(m+τ): −(∂c_i ∂lm_j + ∂c_j ∂lm_i) − c ∂²lm_ij, ∂lm = e_m/(m+τ).
      for (const std::size_t i : {std::size_t{0}, std::size_t{2}})
        h[std::min(i, im) * 4 + std::max(i, im)] -= i == im ? 2.0 / mt : 1.0 / mt;
      h[im * 4 + im] += c / (mt * mt);
    }
  }
}

/// log G and its gradient (and Hessian when `hess` is non-null) for up to
/// g_lanes values of τ with the same x (see log_g_lanes).
inline void log_g_with_gradient(double r, double alpha, double s, double beta, double x,
                                const double *tau, std::size_t n, double *log_g,
                                std::array<double, 4> *grad, std::uint8_t *ok, g_coefficients &tab,
                                std::array<double, 16> *hess = nullptr) {
  if (hess)
    log_g_lanes<true>(r, alpha, s, beta, x, tau, n, log_g, grad, hess, ok, tab);
  else
    log_g_lanes<false>(r, alpha, s, beta, x, tau, n, log_g, grad, hess, ok, tab);
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

/// log I = log ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ (−inf when t_x = T)
/// and, with `grad` non-null, its gradient in (r, α, s, β): the series of
/// G(t_x) − G(T) where it is fast and exact, else quadrature.
inline double log_pareto_nbd_integral(double r, double alpha, double s, double beta, double x,
                                      double t_x, double T, std::array<double, 4> *grad = nullptr) {
  if (grad)
    *grad = {0, 0, 0, 0};
  if (!(t_x < T))
    return -inf;
  double gt = 0, gT = 0;
  std::array<double, 4> dt{}, dT{};
  if (log_g_with_gradient(r, alpha, s, beta, x, t_x, gt, dt) &&
      log_g_with_gradient(r, alpha, s, beta, x, T, gT, dT) && series_difference_accurate(gt, gT)) {
    const double d = gT - gt, e = std::exp(d), den = 1.0 - e;
    if (grad)
      for (std::size_t k = 0; k < 4; ++k)
        (*grad)[k] = (dt[k] - e * dT[k]) / den;
    return gt + std::log(den);
  }
  return log_pareto_nbd_integral_quadrature(r, alpha, s, beta, x, t_x, T, grad);
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
class pareto_nbd : public detail::btyd_fitted<pareto_nbd_params, 4, "Pareto/NBD"> {
public:
  /// An unfitted model; fit() it before predicting.
  pareto_nbd() = default;
  /// A model with given parameters (treated as fitted).
  explicit pareto_nbd(const pareto_nbd_params &p) : btyd_fitted(p) {
    detail::check_params<4>({p.r, p.alpha, p.s, p.beta}, {"r", "alpha", "s", "beta"});
  }

  /// Maximum-likelihood fit to frequency (x), recency (t_x) and age T, with
  /// optional weights.
  GOODWILL_FUNC pareto_nbd &fit(std::span<const double> frequency, std::span<const double> recency,
                                std::span<const double> T, std::span<const double> weights = {},
                                const btyd_fit_options &options = {});

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
    const double second =
        std::log(p.s) + detail::log_pareto_nbd_integral(p.r, p.alpha, p.s, p.beta, x, t_x, T);
    return std::exp(first - detail::logaddexp(first, second));
  }

  /// Expected purchases in (T, T+t] given (x, t_x, T).
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x,
                                                      double T) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    // log((β+T)/(β+T+t)) as −log1p: the ratio rounds to 1 when t ≪ β + T
    const double q = -std::log1p(t / (p.beta + T));
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
    return p.r * p.beta / p.alpha * one_minus_pow_over(-std::log1p(t / p.beta), p.s - 1);
  }

  /// P(alive at T + t | x, t_x, T): given the history and being alive at T
  /// the dropout rate is μ ~ Gamma(s, β+T), so
  ///   P = P(alive at T) · ((β+T)/(β+T+t))^s.
  [[nodiscard]] double probability_alive_at(double t, double x, double t_x, double T) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    return probability_alive(x, t_x, T) * std::exp(-p.s * std::log1p(t / (p.beta + T)));
  }

  /// P(X(t) = n): probability of n purchases in (0, t] of a customer just
  /// acquired (Fader & Hardie 2006, note 012, in integral form). With the
  /// lifetime τ ~ Exp(μ) and λ mixed out, P(n purchases by τ) is the NBD
  /// probability NB(n; r, α/(α+τ)); mixing μ ~ Gamma(s, β) out gives
  ///   P = NB(n; r, α/(α+t)) (β/(β+t))^s + (s/β) ∫_0^t NB(n; r, α/(α+τ)) (β/(β+τ))^{s+1} dτ,
  /// a smooth integral taken by adaptive Gauss–Kronrod (61 points, 1e-13).
  [[nodiscard]] double probability_of_purchases(double t, std::uint32_t n) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    return purchases_pmf(p.r, p.alpha, p.s, p.beta, t, n);
  }

  /// P(X(T, T+t) = n | x, t_x, T): n purchases in the next t of a customer
  /// with this history. Dead at T (n = 0 only), or alive at T, after which
  /// (memoryless) the customer is a new one with λ ~ Gamma(r+x, α+T) and
  /// μ ~ Gamma(s, β+T): P = [n=0](1 − P(alive)) + P(alive) · P_{r+x, α+T, s, β+T}(X(t) = n).
  [[nodiscard]] double conditional_probability_of_purchases(double t, std::uint32_t n, double x,
                                                            double t_x, double T) const {
    require_fitted();
    check_horizon(t);
    const auto &p = params_;
    const double alive = probability_alive(x, t_x, T);
    const double future = purchases_pmf(p.r + x, p.alpha + T, p.s, p.beta + T, t, n);
    return (n == 0 ? 1.0 - alive : 0.0) + alive * future;
  }

  /// P(no purchase in (T, T+t] | x, t_x, T): conditional_probability_of_purchases at n = 0.
  [[nodiscard]] double probability_no_purchase(double t, double x, double t_x, double T) const {
    return conditional_probability_of_purchases(t, 0, x, t_x, T);
  }

  /// Discounted expected residual transactions (Fader, Hardie & Lee 2005b,
  /// "RFM and CLV: using iso-value curves", eq. 2) at continuous discount
  /// rate δ per time unit:
  ///   DERT = P(alive) · (r+x)/(α+T) · E[1/(μ+δ)],  μ ~ Gamma(s, β+T),
  ///   E[1/(μ+δ)] = ∫_0^∞ e^{−δu} ((β+T)/(β+T+u))^s du = (β+T)^s δ^{s−1} Ψ(s, s; δ(β+T))
  /// (Ψ: Tricomi's confluent hypergeometric function), integrated by
  /// exp-sinh quadrature after u = v/δ.
  [[nodiscard]] double dert(double delta, double x, double t_x, double T) const {
    require_fitted();
    if (!std::isfinite(delta) || !(delta > 0))
      throw invalid_input("discount_rate",
                          "must be finite and positive, got " + std::to_string(delta));
    const auto &p = params_;
    const double z = delta * (p.beta + T);
    const double v =
        probability_alive(x, t_x, T) * (p.r + x) / (p.alpha + T) * inverse_rate_mean(delta, z);
    if (!std::isfinite(v))
      throw numerical_failure("Pareto/NBD DERT is not finite");
    return v;
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
  [[nodiscard]] std::vector<double>
  conditional_probability_of_purchases(std::span<const double> t, std::uint32_t n,
                                       std::span<const double> x, std::span<const double> t_x,
                                       std::span<const double> T) const {
    require_fitted();
    // The future pmf depends on (t, x, T) only: one integral per distinct
    // triple, the triples shared out over threads (each written once).
    const auto &p = params_;
    check_rows(t, x, t_x, T);
    const bool one = t.size() == 1;
    const auto keys = distinct_keys(x.size(), [&](std::size_t i) {
      return std::array<double, 3>{one ? t[0] : t[i], x[i], T[i]};
    });
    std::vector<double> future(keys.values.size());
    detail::for_each_piece(
        detail::prediction_threads(future.size() * 128), future.size(), [&](std::size_t k) {
          const auto &key = keys.values[k];
          future[k] =
              purchases_pmf(p.r + key[1], p.alpha + key[2], p.s, p.beta + key[2], key[0], n);
        });
    return detail::map_customers_t(t, x, t_x, T, [&](std::size_t i, double) {
      const double alive = probability_alive(x[i], t_x[i], T[i]);
      return (n == 0 ? 1.0 - alive : 0.0) + alive * future[keys.id[i]];
    });
  }
  [[nodiscard]] std::vector<double> dert(double delta, std::span<const double> x,
                                         std::span<const double> t_x,
                                         std::span<const double> T) const {
    require_fitted();
    // dert(delta, x, t_x, T) = P(alive)(r+x)/(α+T) · E_T, E_T = E[1/(μ+δ)]
    // depends on T only: one integral per distinct T.
    if (!std::isfinite(delta) || !(delta > 0))
      throw invalid_input("discount_rate",
                          "must be finite and positive, got " + std::to_string(delta));
    const double one_t = 0;
    check_rows(std::span<const double>(&one_t, 1), x, t_x, T);
    const auto keys =
        distinct_keys(x.size(), [&](std::size_t i) { return std::array<double, 1>{T[i]}; });
    std::vector<double> per_T(keys.values.size());
    detail::for_each_piece(
        detail::prediction_threads(per_T.size() * 128), per_T.size(), [&](std::size_t k) {
          per_T[k] = inverse_rate_mean(delta, delta * (params_.beta + keys.values[k][0]));
        });
    return detail::map_customers(x, t_x, T, [&](std::size_t i) {
      const double v = probability_alive(x[i], t_x[i], T[i]) * (params_.r + x[i]) /
                       (params_.alpha + T[i]) * per_T[keys.id[i]];
      if (!std::isfinite(v))
        throw numerical_failure("Pareto/NBD DERT is not finite");
      return v;
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

  /// Total log-likelihood of compressed rows and, when grad is non-null, its
  /// gradient in log-parameters.
  GOODWILL_FUNC static double log_likelihood_rows(const detail::rfm_rows &rows,
                                                  const std::array<double, 4> &th,
                                                  unsigned threads = 0,
                                                  std::array<double, 4> *grad = nullptr);

  /// log_likelihood_rows on rows indexed by distinct (x, t_x) and (x, T);
  /// with `hess` non-null (and grad non-null), also the Hessian in
  /// log-parameters, row-major.
  GOODWILL_FUNC static double log_likelihood_indexed(const detail::pareto_rows &ix,
                                                     const std::array<double, 4> &th,
                                                     unsigned threads = 0,
                                                     std::array<double, 4> *grad = nullptr,
                                                     std::array<double, 16> *hess = nullptr);

private:
  // Distinct keys of n rows (key(i): an array of doubles) and each row's
  // index among them, by sorting (the order of `values` is that of the keys).
  template <std::size_t K> struct keyed {
    std::vector<std::array<double, K>> values;
    std::vector<std::uint32_t> id;
  };
  template <class Key, class A = std::invoke_result_t<const Key &, std::size_t>>
  static keyed<std::tuple_size_v<A>> distinct_keys(std::size_t n, const Key &key) {
    using array_type = A;
    keyed<std::tuple_size_v<A>> out;
    std::vector<std::pair<array_type, std::uint32_t>> rows(n);
    for (std::size_t i = 0; i < n; ++i)
      rows[i] = {key(i), static_cast<std::uint32_t>(i)};
    std::sort(rows.begin(), rows.end());
    out.id.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      if (j == 0 || rows[j].first != rows[j - 1].first)
        out.values.push_back(rows[j].first);
      out.id[rows[j].second] = static_cast<std::uint32_t>(out.values.size() - 1);
    }
    return out;
  }
  // The checks of map_customers_t up front (horizons, then each row in
  // order), for the work done per distinct key before the per-row pass.
  static void check_rows(std::span<const double> t, std::span<const double> x,
                         std::span<const double> t_x, std::span<const double> T) {
    const std::size_t n = x.size();
    if (t_x.size() != n || T.size() != n)
      throw invalid_input("recency", "frequency, recency and T must have the same length");
    detail::check_horizons(t, n);
    for (std::size_t i = 0; i < n; ++i)
      detail::check_customer(x[i], t_x[i], T[i], static_cast<std::int64_t>(i));
  }
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
  // E[1/(μ+δ)] for μ ~ Gamma(s, β+T), z = δ(β+T): (1/δ) ∫_0^∞ e^{−v} (1 + v/z)^{−s} dv.
  // (by exp-sinh quadrature; defined in pareto_nbd-inl.hpp)
  [[nodiscard]] GOODWILL_FUNC double inverse_rate_mean(double delta, double z) const;
  // log of the NB(n; r, ·) coefficient Γ(r+n)/(Γ(r) n!).
  static double log_nbd_coefficient(double r, std::uint32_t n) {
    const double k = static_cast<double>(n);
    return detail::lgam(r + k) - detail::lgam(r) - detail::lgam(k + 1);
  }
  // log NB(n; r, α/(α+τ)): log P(n purchases in (0, τ]) with λ ~ Gamma(r, α);
  // `coefficient` is log_nbd_coefficient(r, n) (computed once per pmf, not
  // at every quadrature node).
  static double log_nbd(double coefficient, double r, double alpha, double tau, std::uint32_t n) {
    const double k = static_cast<double>(n);
    double v = coefficient - r * std::log1p(tau / alpha);
    if (n > 0) {
      // No narrowing (double += double): clang-tidy 14 flags any infinite
      // constant in a compound assignment, a false positive.
      // NOLINTNEXTLINE(bugprone-narrowing-conversions)
      v += tau > 0 ? k * std::log(tau / (alpha + tau)) : -detail::inf;
    }
    return v;
  }
  // P(X(t) = n) under Pareto/NBD parameters (r, α, s, β) (see probability_of_purchases).
  // (by Gauss-Kronrod quadrature; defined in pareto_nbd-inl.hpp)
  GOODWILL_FUNC static double purchases_pmf(double r, double alpha, double s, double beta, double t,
                                            std::uint32_t n);
  // (1 − exp(k·q)) / k, with its limit −q at k = 0 (q ≤ 0).
  static double one_minus_pow_over(double q, double k) {
    if (std::abs(k) < 1e-12)
      return -q;
    return -std::expm1(k * q) / k;
  }
  static void check_horizon(double t) {
    if (!std::isfinite(t) || t < 0)
      throw invalid_input("t", "must be finite and non-negative, got " + std::to_string(t));
  }
};

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/pareto_nbd-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_PARETO_NBD_HPP
