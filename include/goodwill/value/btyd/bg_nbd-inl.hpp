// goodwill — BG/NBD fitting (fit, log_likelihood_rows, log_likelihood_indexed); declared in
// value/btyd/bg_nbd.hpp (the design notes are there). Compiled once in
// src/value/btyd/bg_nbd.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_BG_NBD_INL_HPP
#define GOODWILL_VALUE_BTYD_BG_NBD_INL_HPP

#include <algorithm>
#include <array>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <cstdint>
#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/bg_nbd.hpp>
#include <span>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC bg_nbd &bg_nbd::fit(std::span<const double> frequency,
                                  std::span<const double> recency, std::span<const double> T,
                                  std::span<const double> weights,
                                  const btyd_fit_options &options) {
  const auto ix = detail::index_rows(detail::compress_rfm(frequency, recency, T, weights));
  const auto &rows = ix.rows;
  auto ll = [&](const std::array<double, 4> &th, std::array<double, 4> *grad,
                std::array<double, 16> *hess) {
    return log_likelihood_indexed(ix, th, grad, options.threads, hess);
  };
  // Default start: ones, with the rate alpha at max(T)/10 (lifetimes starts
  // from ones on time rescaled by 10/max(T): the same point).
  auto opt = options;
  if (opt.initial_params.empty())
    opt.initial_params = {1.0, detail::max_of(rows.T) / 10, 1.0, 1.0};
  const auto res =
      detail::fit_ml_newton<4>(ll, rows.total_weight, rows.size(), opt, {"r", "", "a", "b"});
  set_fit(res);
  return *this;
}

GOODWILL_FUNC double bg_nbd::log_likelihood_rows(const detail::rfm_rows &rows,
                                                 const std::array<double, 4> &th,
                                                 std::array<double, 4> *grad, unsigned threads) {
  return log_likelihood_indexed(detail::index_rows(rows), th, grad, threads);
}

GOODWILL_FUNC double bg_nbd::log_likelihood_indexed(const detail::indexed_rows &ix,
                                                    const std::array<double, 4> &th,
                                                    std::array<double, 4> *grad, unsigned threads,
                                                    std::array<double, 16> *hess) {
  const auto &rows = ix.rows;
  const double r = th[0], alpha = th[1], a = th[2], b = th[3];
  const std::size_t nx = rows.xs.size();
  const bool want_h = grad != nullptr && hess != nullptr;
  // Terms in x alone: constant part and its derivatives (first: d*, second: t*).
  std::vector<double> cx(nx), dr(nx), da(nx), db(nx), tr(nx), tab(nx), tbb(nx), logab(nx), ib1(nx);
  const double lgr = detail::lgam(r), lbab = detail::lbeta(a, b);
  const double psir = detail::digam(r), psiab = detail::digam(a + b), psib = detail::digam(b);
  const double t1r = want_h ? detail::trigam(r) : 0.0, t1ab = want_h ? detail::trigam(a + b) : 0.0,
               t1b = want_h ? detail::trigam(b) : 0.0;
  for (std::size_t k = 0; k < nx; ++k) {
    const double x = rows.xs[k];
    cx[k] = detail::lgam(r + x) - lgr + detail::lbeta(a, b + x) - lbab;
    if (grad) {
      const double psiabx = detail::digam(a + b + x);
      dr[k] = detail::digam(r + x) - psir;
      da[k] = psiab - psiabx;
      db[k] = detail::digam(b + x) - psiabx - psib + psiab;
    }
    if (want_h) {
      const double t1abx = detail::trigam(a + b + x);
      tr[k] = detail::trigam(r + x) - t1r;
      tab[k] = t1ab - t1abx;
      tbb[k] = detail::trigam(b + x) - t1abx - t1b + t1ab;
    }
    logab[k] = x > 0 ? std::log(a) - std::log(b + x - 1) : 0.0;
    ib1[k] = x > 0 ? 1.0 / (b + x - 1) : 0.0;
  }
  // Terms in T alone and in t_x alone, once per distinct value.
  const detail::shifted_logs lT(ix.T, rows.T, alpha), ltx(ix.t_x, rows.t_x, alpha);
  const double lalpha = std::log(alpha), ia = 1.0 / a, ial = 1.0 / alpha;
  // Natural-parameter gradient and Hessian (r, alpha, a, b), carried to
  // log-parameters at the end.
  using acc = detail::value_grad_hess<4>;
  const acc total =
      detail::chunked_sum<acc>(rows.size(), threads, [&](std::size_t lo, std::size_t hi) {
        acc s;
        auto &H = s.h;
        for (std::size_t i = lo; i < hi; ++i) {
          const double x = rows.x[i], w = rows.w[i];
          const std::size_t k = rows.xid[i];
          const auto [L1, iT] = lT.at(i);
          const double rx = r + x;
          double ll = cx[k] + r * lalpha - rx * L1;
          // A = the terms outside the softplus.
          const double Ar = dr[k] + lalpha - L1, Aal = r * ial - rx * iT;
          if (x == 0) {
            s.v += w * ll;
            if (grad) {
              s.g[0] += w * Ar;
              s.g[1] += w * Aal;
              s.g[2] += w * da[k];
              s.g[3] += w * db[k];
            }
            if (want_h) {
              H[0] += w * tr[k];
              H[1] += w * (ial - iT);
              H[5] += w * (-r * ial * ial + rx * iT * iT);
              H[10] += w * tab[k];
              H[11] += w * tab[k];
              H[15] += w * tbb[k];
            }
            continue;
          }
          const auto [L2, itx] = ltx.at(i);
          const double u = logab[k] + rx * (L1 - L2);
          const double e = std::exp(-std::abs(u)); // one exp for softplus and sigmoid
          // log(1 + e) rather than log1p(e): e is in (0, 1], so the absolute
          // error is below 2e-16 per row (what a sum of log-likelihoods
          // needs), and glibc's log is about three times faster than log1p.
          ll += std::max(u, 0.0) + std::log(1.0 + e);
          s.v += w * ll;
          if (!grad)
            continue;
          const double sig = u >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
          // The gradient of u.
          const double ur = L1 - L2, ual = rx * (iT - itx), ub = -ib1[k];
          s.g[0] += w * (Ar + sig * ur);
          s.g[1] += w * (Aal + sig * ual);
          s.g[2] += w * (da[k] + sig * ia);
          s.g[3] += w * (db[k] + sig * ub);
          if (!want_h)
            continue;
          // ∇²ℓ = ∇²A + σ ∇²u + σ(1−σ) ∇u ∇uᵀ (upper triangle).
          const double sp = sig * (1.0 - sig);
          const double ug[4] = {ur, ual, ia, ub};
          H[0] += w * (tr[k] + sp * ug[0] * ug[0]);
          H[1] += w * (ial - iT + sig * (iT - itx) + sp * ug[0] * ug[1]);
          H[2] += w * sp * ug[0] * ug[2];
          H[3] += w * sp * ug[0] * ug[3];
          H[5] += w * (-r * ial * ial + rx * iT * iT + sig * rx * (itx * itx - iT * iT) +
                       sp * ug[1] * ug[1]);
          H[6] += w * sp * ug[1] * ug[2];
          H[7] += w * sp * ug[1] * ug[3];
          H[10] += w * (tab[k] - sig * ia * ia + sp * ug[2] * ug[2]);
          H[11] += w * (tab[k] + sp * ug[2] * ug[3]);
          H[15] += w * (tbb[k] + sig * ub * ub + sp * ug[3] * ug[3]);
        }
        return s;
      });
  detail::to_log_parameters<4>(th, total.g, total.h, grad, want_h ? hess : nullptr);
  return total.v;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_BG_NBD_INL_HPP
