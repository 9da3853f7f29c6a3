// goodwill — Pareto/NBD fitting (fit, log_likelihood_rows, log_likelihood_indexed); declared in
// value/btyd/pareto_nbd.hpp (the design notes are there). Compiled once in
// src/value/btyd/pareto_nbd.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_PARETO_NBD_INL_HPP
#define GOODWILL_VALUE_BTYD_PARETO_NBD_INL_HPP

#include <algorithm>
#include <array>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <cstdint>
#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/pareto_nbd.hpp>
#include <map>
#include <span>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

namespace detail {

GOODWILL_FUNC double log_pareto_nbd_integral_quadrature(double r, double alpha, double s,
                                                        double beta, double x, double t_x, double T,
                                                        std::array<double, 4> *grad,
                                                        std::array<double, 16> *hess) {
  const bool with_gradient = grad != nullptr, with_hessian = with_gradient && hess != nullptr;
  if (!(t_x < T))
    return -inf;
  const double A = r + x, B = s + 1, a0 = alpha + t_x, b0 = beta + t_x, U = T - t_x;
  auto v_of = [&](double u) { return A * std::log1p(u / a0) + B * std::log1p(u / b0); };
  auto phi_of = [&](double u) { return A / (a0 + u) + B / (b0 + u); };
  const double V = v_of(U);
  const double v_end = std::min(V, 40.0 + std::log(std::max((alpha + T) / a0, (beta + T) / b0)));
  // Moments of the weight e^{−v}ψ: value, d − d(t_x), and the Hessian terms.
  struct moments {
    double w = 0;
    std::array<double, 4> m1{};
    std::array<double, 10> m2{}; // (0,0) (0,1) (0,2) (0,3) (1,1) (1,2) (1,3) (2,2) (2,3) (3,3)
    void add(const moments &o, double scale) {
      w += scale * o.w;
      for (std::size_t k = 0; k < 4; ++k)
        m1[k] += scale * o.m1[k];
      for (std::size_t k = 0; k < 10; ++k)
        m2[k] += scale * o.m2[k];
    }
  };
  const double dA0 = A / a0, dB0 = B / b0;
  // The integrand at v, with u the node's τ − t_x (started from the left).
  auto node = [&](double v, double &u, moments &m) {
    for (int it = 0; it < 60; ++it) {
      const double res = v - v_of(u);
      const double step = res / phi_of(u);
      u += step;
      if (std::abs(res) <= 1e-16 * std::max(1.0, v) || !(step > 1e-17 * u))
        break;
    }
    u = std::min(std::max(u, 0.0), U);
    const double at = a0 + u, bt = b0 + u;
    const double wt = std::exp(-v_of(u)) / (A / at + B / bt);
    m.w = wt;
    if (with_gradient) {
      const double d[4] = {-std::log1p(u / a0), dA0 - A / at, -std::log1p(u / b0), dB0 - B / bt};
      for (std::size_t k = 0; k < 4; ++k)
        m.m1[k] = wt * d[k];
      if (with_hessian) {
        std::size_t q = 0;
        for (std::size_t i = 0; i < 4; ++i)
          for (std::size_t j = i; j < 4; ++j)
            m.m2[q++] = wt * d[i] * d[j];
        // ∇²log f: (r,α) −1/(α+τ), (α,α) A/(α+τ)², (s,β) −1/(β+τ), (β,β) B/(β+τ)².
        m.m2[1] -= wt / at;
        m.m2[4] += wt * A / (at * at);
        m.m2[8] -= wt / bt;
        m.m2[9] += wt * B / (bt * bt);
      }
    }
  };
  using gk = boost::math::quadrature::gauss_kronrod<double, 21>;
  using gl = boost::math::quadrature::gauss<double, 10>;
  const auto &xk = gk::abscissa();
  const auto &wk = gk::weights();
  const auto &wg = gl::weights();
  // One panel: Kronrod moments and the Gauss value; u_left is the τ − t_x
  // of the panel's left end (Newton starts there, nodes taken left to right).
  auto panel = [&](double lo, double hi, double u_left, moments &out, double &gauss) {
    const double c = 0.5 * (lo + hi), h = 0.5 * (hi - lo);
    out = moments{};
    gauss = 0;
    double u = u_left;
    moments m;
    // Nodes left to right: −x_10 … −x_1, 0, x_1 … x_10 (index 0 is the centre).
    for (int i = static_cast<int>(xk.size()) - 1; i >= -static_cast<int>(xk.size()) + 1; --i) {
      const std::size_t k = static_cast<std::size_t>(std::abs(i));
      const double t = i > 0 ? -xk[k] : xk[k];
      node(c + h * t, u, m);
      out.add(m, h * wk[k]);
      if (k % 2 == 1) // Gauss-10 nodes are the odd Kronrod indices
        gauss += h * wg[k / 2] * m.w;
    }
    return u;
  };
  struct piece {
    double lo, hi, u_lo;
    moments m;
    double err;
  };
  std::vector<piece> pieces;
  double total = 0, u = 0;
  for (double lo = 0, hi = std::min(1.0, v_end); lo < v_end;
       lo = hi, hi = std::min(2 * hi, v_end)) {
    piece p{lo, hi, u, {}, 0};
    double g = 0;
    u = panel(lo, hi, u, p.m, g);
    p.err = std::abs(p.m.w - g);
    total += p.m.w;
    pieces.push_back(p);
  }
  // Halve pieces whose error estimate is too large (depth-limited).
  for (std::size_t i = 0; i < pieces.size() && pieces.size() < 4096;) {
    if (pieces[i].err <= 1e-10 * total ||
        pieces[i].hi - pieces[i].lo < 1e-6 * std::max(1.0, pieces[i].hi)) {
      ++i;
      continue;
    }
    const piece p = pieces[i];
    const double mid = 0.5 * (p.lo + p.hi);
    piece left{p.lo, mid, p.u_lo, {}, 0}, right{mid, p.hi, 0, {}, 0};
    double gl_ = 0, gr_ = 0;
    right.u_lo = panel(p.lo, mid, p.u_lo, left.m, gl_);
    panel(mid, p.hi, right.u_lo, right.m, gr_);
    left.err = std::abs(left.m.w - gl_);
    right.err = std::abs(right.m.w - gr_);
    total += left.m.w + right.m.w - p.m.w;
    pieces[i] = left;
    pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(i) + 1, right);
  }
  moments sum;
  for (const piece &p : pieces)
    sum.add(p.m, 1.0);
  if (!(sum.w > 0) || !std::isfinite(sum.w))
    throw numerical_failure("Pareto/NBD: the likelihood integral could not be computed");
  if (with_gradient) {
    const double iw = 1.0 / sum.w;
    const double d0[4] = {-std::log(a0), -dA0, -std::log(b0), -dB0};
    std::array<double, 4> e{};
    for (std::size_t k = 0; k < 4; ++k) {
      e[k] = sum.m1[k] * iw;
      (*grad)[k] = d0[k] + e[k];
    }
    if (with_hessian) {
      std::size_t q = 0;
      for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i; j < 4; ++j)
          (*hess)[i * 4 + j] = sum.m2[q++] * iw - e[i] * e[j];
    }
  }
  return -A * std::log(a0) - B * std::log(b0) + std::log(sum.w);
}

} // namespace detail

GOODWILL_FUNC double pareto_nbd::inverse_rate_mean(double delta, double z) const {
  boost::math::quadrature::exp_sinh<double> integrator;
  const double s = params_.s;
  return integrator.integrate([&](double v) { return std::exp(-v - s * std::log1p(v / z)); }, 0.0,
                              detail::inf, 1e-14) /
         delta;
}

GOODWILL_FUNC double pareto_nbd::purchases_pmf(double r, double alpha, double s, double beta,
                                               double t, std::uint32_t n) {
  const double c = log_nbd_coefficient(r, n);
  const double alive_part = std::exp(log_nbd(c, r, alpha, t, n) - s * std::log1p(t / beta));
  if (t == 0)
    return alive_part;
  auto f = [&](double tau) {
    return std::exp(log_nbd(c, r, alpha, tau, n) - (s + 1) * std::log1p(tau / beta));
  };
  // The integrand lives where the count's mode (ατ = n/r) and the death
  // time (scale β/(s+1)) meet, which can be a sliver of (0, t): one
  // adaptive rule over (0, t) then sees zeros at all its nodes and returns
  // 0 (r = s = 1000, α = 1, β = 10, t = 10⁴, n = 100: 0 against 7e-6). So
  // (0, t) is cut at a doubling grid from below the smaller of the two
  // scales up to t: every piece is [a, 2a], on which 61 nodes resolve any
  // feature wider than a few percent of its position.
  using gk = boost::math::quadrature::gauss_kronrod<double, 61>;
  const double mode = n > 0 ? alpha * static_cast<double>(n) / r : t;
  double lo = std::min({mode, beta / (s + 1), t}) / 16;
  if (!(lo > 0))
    lo = t * 1e-300;
  double dead_part = gk::integrate(f, 0.0, std::min(lo, t), 10, 1e-13);
  for (double a = lo; a < t; a *= 2)
    dead_part += gk::integrate(f, a, std::min(2 * a, t), 10, 1e-13);
  dead_part *= s / beta;
  return alive_part + dead_part;
}

GOODWILL_FUNC pareto_nbd &pareto_nbd::fit(std::span<const double> frequency,
                                          std::span<const double> recency,
                                          std::span<const double> T,
                                          std::span<const double> weights,
                                          const btyd_fit_options &options) {
  const auto indexed =
      detail::index_pareto_rows(detail::compress_rfm(frequency, recency, T, weights));
  const auto &rows = indexed.rows;
  auto ll = [&](const std::array<double, 4> &th, std::array<double, 4> *grad,
                std::array<double, 16> *hess) {
    return log_likelihood_indexed(indexed, th, options.threads, grad, hess);
  };
  // Default start: ones, with the rates alpha and beta at max(T)/10 (the
  // point lifetimes starts from, on its rescaled time).
  auto opt = options;
  if (opt.initial_params.empty()) {
    const double scale = detail::max_of(rows.T) / 10;
    opt.initial_params = {1.0, scale, 1.0, scale};
  }
  const auto res =
      detail::fit_ml_newton<4>(ll, rows.total_weight, rows.size(), opt, {"r", "", "s", ""});
  set_fit(res);
  return *this;
}

GOODWILL_FUNC double pareto_nbd::log_likelihood_rows(const detail::rfm_rows &rows,
                                                     const std::array<double, 4> &th,
                                                     unsigned threads,
                                                     std::array<double, 4> *grad) {
  return log_likelihood_indexed(detail::index_pareto_rows(rows), th, threads, grad);
}

GOODWILL_FUNC double pareto_nbd::log_likelihood_indexed(const detail::pareto_rows &ix,
                                                        const std::array<double, 4> &th,
                                                        unsigned threads,
                                                        std::array<double, 4> *grad,
                                                        std::array<double, 16> *hess) {
  const auto &rows = ix.rows;
  const pareto_nbd_params p{th[0], th[1], th[2], th[3]};
  const bool want_h = grad != nullptr && hess != nullptr;
  const std::size_t nx = rows.xs.size();
  std::vector<double> cx(nx), dcx(nx), tcx(nx);
  const double lgr = detail::lgam(p.r), psir = grad ? detail::digam(p.r) : 0.0,
               t1r = want_h ? detail::trigam(p.r) : 0.0;
  for (std::size_t k = 0; k < nx; ++k) {
    cx[k] = detail::lgam(p.r + rows.xs[k]) - lgr;
    dcx[k] = grad ? detail::digam(p.r + rows.xs[k]) - psir : 0.0;
    tcx[k] = want_h ? detail::trigam(p.r + rows.xs[k]) - t1r : 0.0;
  }
  // G with its gradient (and Hessian) at each distinct (x, τ); ok = 0
  // where the series needs more than 5,000 terms (those rows fall back to
  // quadrature). The pairs are sorted by x: the τ-free series coefficients
  // are tabulated once per run of equal x.
  struct g_table {
    std::vector<double> g;
    std::vector<std::array<double, 4>> d;
    std::vector<std::array<double, 16>> h;
    std::vector<std::uint8_t> ok;
  };
  auto tabulate = [&](const std::vector<double> &xs, const std::vector<double> &taus,
                      const std::vector<std::uint32_t> &xid) {
    g_table t;
    t.g.resize(xs.size());
    t.d.resize(xs.size());
    t.h.resize(want_h ? xs.size() : 0);
    t.ok.resize(xs.size());
    detail::chunked_sum<detail::scalar_sum>(
        xs.size(), threads,
        [&](std::size_t lo, std::size_t hi) {
          detail::g_coefficients tab;
          for (std::size_t i = lo; i < hi;) {
            if (i == lo || xid[i] != xid[i - 1])
              tab.reset(detail::pareto_g_branch(p.r, p.alpha, p.s, p.beta, xs[i], taus[i]).b,
                        p.r + p.s + xs[i]);
            // A block of up to g_lanes values of τ with this x.
            std::size_t n = 1;
            while (n < detail::g_lanes && i + n < hi && xid[i + n] == xid[i])
              ++n;
            detail::log_g_with_gradient(p.r, p.alpha, p.s, p.beta, xs[i], &taus[i], n, &t.g[i],
                                        &t.d[i], &t.ok[i], tab, want_h ? &t.h[i] : nullptr);
            i += n;
          }
          return detail::scalar_sum{};
        },
        2048);
    return t;
  };
  const g_table A = tabulate(ix.a_x, ix.a_tau, ix.a_xid), B = tabulate(ix.b_x, ix.b_tau, ix.b_xid);
  // Rows integrated by quadrature cost ~30 µs each: smaller chunks then,
  // so that they spread over the threads (the chunking depends on the data
  // and parameters only, so results stay the same for any thread count).
  const bool quadrature_rows = std::find(A.ok.begin(), A.ok.end(), 0) != A.ok.end() ||
                               std::find(B.ok.begin(), B.ok.end(), 0) != B.ok.end();
  // Terms in T alone, once per distinct T.
  const detail::shifted_logs laT(ix.T_ix, rows.T, p.alpha), lbT(ix.T_ix, rows.T, p.beta);
  const double la = std::log(p.alpha), lb = std::log(p.beta), ls = std::log(p.s);
  // Natural-parameter gradient and Hessian (r, alpha, s, beta), carried to
  // log-parameters at the end.
  using acc = detail::value_grad_hess<4>;
  const acc total = detail::chunked_sum<acc>(
      rows.size(), threads,
      [&](std::size_t lo, std::size_t hi) {
        acc a;
        for (std::size_t i = lo; i < hi; ++i) {
          const double x = rows.x[i], tx = rows.t_x[i], T = rows.T[i], w = rows.w[i];
          const auto [LaT, iaT] = laT.at(i);
          const auto [LbT, ibT] = lbT.at(i);
          const double first = -(p.r + x) * LaT - p.s * LbT;
          std::array<double, 4> gi{};
          std::array<double, 16> hi_{}; // Hessian of log I
          double log_i = -detail::inf;
          if (tx < T) {
            const std::uint32_t ia = ix.a_id[i], ib = ix.b_id[i];
            const double gt = A.g[ia], gT = B.g[ib];
            if (A.ok[ia] && B.ok[ib] && detail::series_difference_accurate(gt, gT)) {
              // I = G(t_x) − G(T) = G(t_x)(1 − e), e = exp(gT − gt).
              const double d = gT - gt, e = std::exp(d);
              const double den = 1.0 - e;
              if (grad)
                for (std::size_t k = 0; k < 4; ++k)
                  gi[k] = (A.d[ia][k] - e * B.d[ib][k]) / den;
              if (want_h) {
                // ∇²log I = [∇²G_t/G_t − e ∇²G_T/G_T]/(1−e) − ∇log I ∇log Iᵀ,
                // ∇²G/G = ∇²log G + ∇log G ∇log Gᵀ.
                const auto &da = A.d[ia], &db = B.d[ib];
                for (std::size_t k = 0; k < 4; ++k)
                  for (std::size_t j = k; j < 4; ++j) // upper triangle
                    hi_[k * 4 + j] = (A.h[ia][k * 4 + j] + da[k] * da[j] -
                                      e * (B.h[ib][k * 4 + j] + db[k] * db[j])) /
                                         den -
                                     gi[k] * gi[j];
              }
              log_i = gt + std::log(den);
            } else {
              // Quadrature: the value, and the derivatives asked for.
              log_i = detail::log_pareto_nbd_integral_quadrature(p.r, p.alpha, p.s, p.beta, x, tx,
                                                                 T, grad ? &gi : nullptr,
                                                                 want_h ? &hi_ : nullptr);
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
          const std::array<double, 4> g1{-LaT, -(p.r + x) * iaT, -LbT, -p.s * ibT},
              g2{gi[0], gi[1], 1.0 / p.s + gi[2], gi[3]};
          a.g[0] += w * (dcx[rows.xid[i]] + la + w1 * g1[0] + w2 * g2[0]);
          a.g[1] += w * (p.r / p.alpha + w1 * g1[1] + w2 * g2[1]);
          a.g[2] += w * (lb + w1 * g1[2] + w2 * g2[2]);
          a.g[3] += w * (p.s / p.beta + w1 * g1[3] + w2 * g2[3]);
          if (!want_h)
            continue;
          // ∇²ℓ = ∇²(constant terms) + w1 ∇²first + w2 ∇²second
          //       + w1 w2 (∇first − ∇second)(∇first − ∇second)ᵀ.
          auto &H = a.h;
          H[0] += w * tcx[rows.xid[i]];
          H[1] += w / p.alpha;
          H[5] -= w * p.r / (p.alpha * p.alpha);
          H[11] += w / p.beta;
          H[15] -= w * p.s / (p.beta * p.beta);
          H[1] -= w * w1 * iaT;
          H[5] += w * w1 * (p.r + x) * iaT * iaT;
          H[11] -= w * w1 * ibT;
          H[15] += w * w1 * p.s * ibT * ibT;
          if (w2 > 0) {
            const double ww = w * w1 * w2;
            for (std::size_t k = 0; k < 4; ++k)
              for (std::size_t j = k; j < 4; ++j)
                H[k * 4 + j] += w * w2 * hi_[k * 4 + j] + ww * (g1[k] - g2[k]) * (g1[j] - g2[j]);
            H[10] -= w * w2 / (p.s * p.s);
          }
        }
        return a;
      },
      quadrature_rows ? 128 : 4096);
  detail::to_log_parameters<4>(th, total.g, total.h, grad, want_h ? hess : nullptr);
  return total.v;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_PARETO_NBD_INL_HPP
