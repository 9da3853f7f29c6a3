// goodwill — MBG/NBD fitting (fit, log_likelihood_rows); declared in
// value/btyd/modified_bg_nbd.hpp (the design notes are there). Compiled once in
// src/value/btyd/modified_bg_nbd.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_INL_HPP
#define GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_INL_HPP

#include <array>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <cstdint>
#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/modified_bg_nbd.hpp>
#include <span>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC modified_bg_nbd &modified_bg_nbd::fit(std::span<const double> frequency,
                                                    std::span<const double> recency,
                                                    std::span<const double> T,
                                                    std::span<const double> weights,
                                                    const btyd_fit_options &options) {
  const auto rows = detail::compress_rfm(frequency, recency, T, weights);
  auto ll = [&](const std::array<double, 4> &th, std::array<double, 4> *grad,
                std::array<double, 16> *hess) {
    return log_likelihood_rows(rows, th, grad, options.threads, hess);
  };
  // Default start: ones, with alpha at max(T)/10 (lifetimes' start on its
  // time rescaled by 10/max(T)).
  auto opt = options;
  if (opt.initial_params.empty())
    opt.initial_params = {1.0, detail::max_of(rows.T) / 10, 1.0, 1.0};
  set_fit(detail::fit_ml_newton<4>(ll, rows.total_weight, rows.size(), opt, {"r", "", "a", "b"}));
  return *this;
}

GOODWILL_FUNC double modified_bg_nbd::log_likelihood_rows(const detail::rfm_rows &rows,
                                                          const std::array<double, 4> &th,
                                                          std::array<double, 4> *grad,
                                                          unsigned threads,
                                                          std::array<double, 16> *hess) {
  const double r = th[0], alpha = th[1], a = th[2], b = th[3];
  const bool want_h = grad != nullptr && hess != nullptr;
  const double lgr = detail::lgam(r), lbab = detail::lbeta(a, b), la = std::log(alpha),
               lna = std::log(a);
  const double psir = detail::digam(r), psiab = detail::digam(a + b), psib = detail::digam(b);
  const double t1r = want_h ? detail::trigam(r) : 0.0, t1ab = want_h ? detail::trigam(a + b) : 0.0,
               t1b = want_h ? detail::trigam(b) : 0.0;
  // Terms in x alone, once per distinct x: the constant part, ln(b+x), the
  // digamma differences of the gradient (d*) and the trigamma differences
  // of the Hessian (t*).
  const std::size_t nx = rows.xs.size();
  std::vector<double> cx(nx), lbx(nx), ibx(nx), dr(nx), da(nx), db(nx), tr(nx), tab(nx), tbb(nx);
  for (std::size_t k = 0; k < nx; ++k) {
    const double x = rows.xs[k];
    cx[k] = detail::lgam(r + x) - lgr + detail::lbeta(a, b + x + 1) - lbab;
    lbx[k] = std::log(b + x);
    ibx[k] = 1.0 / (b + x);
    if (grad) {
      const double psiabx = detail::digam(a + b + x + 1);
      dr[k] = detail::digam(r + x) - psir;
      da[k] = psiab - psiabx;
      db[k] = psiab + detail::digam(b + x + 1) - psib - psiabx;
    }
    if (want_h) {
      const double t1abx = detail::trigam(a + b + x + 1);
      tr[k] = detail::trigam(r + x) - t1r;
      tab[k] = t1ab - t1abx;
      tbb[k] = t1ab + detail::trigam(b + x + 1) - t1b - t1abx;
    }
  }
  const double ial = 1.0 / alpha, ia = 1.0 / a;
  // ℓ = A + softplus(u): A = cx + r ln α − (r+x) ln(α+T), u = ln a − ln(b+x)
  // + (r+x)(ln(α+T) − ln(α+t_x)). Natural-parameter gradient and Hessian
  // (r, α, a, b): ∇²ℓ = ∇²A + σ ∇²u + σ(1−σ) ∇u ∇uᵀ (upper triangle),
  // carried to log-parameters at the end.
  using acc = detail::value_grad_hess<4>;
  const acc total =
      detail::chunked_sum<acc>(rows.size(), threads, [&](std::size_t lo, std::size_t hi) {
        acc s;
        auto &H = s.h;
        for (std::size_t i = lo; i < hi; ++i) {
          const double x = rows.x[i], tx = rows.t_x[i], T = rows.T[i], w = rows.w[i];
          const std::size_t k = rows.xid[i];
          const double LT = std::log(alpha + T), Ltx = std::log(alpha + tx);
          const double rx = r + x;
          const double u = lna - lbx[k] + rx * (LT - Ltx);
          s.v += w * (cx[k] + r * la - rx * LT + detail::softplus(u));
          if (!grad)
            continue;
          const double sig = detail::sigmoid(u);
          const double iT = 1.0 / (alpha + T), itx = 1.0 / (alpha + tx);
          const double ug[4] = {LT - Ltx, rx * (iT - itx), ia, -ibx[k]};
          s.g[0] += w * (dr[k] + la - LT + sig * ug[0]);
          s.g[1] += w * (r * ial - rx * iT + sig * ug[1]);
          s.g[2] += w * (da[k] + sig * ug[2]);
          s.g[3] += w * (db[k] + sig * ug[3]);
          if (!want_h)
            continue;
          const double sp = sig * (1.0 - sig);
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
          H[15] += w * (tbb[k] + sig * ug[3] * ug[3] + sp * ug[3] * ug[3]);
        }
        return s;
      });
  detail::to_log_parameters<4>(th, total.g, total.h, grad, want_h ? hess : nullptr);
  return total.v;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_INL_HPP
