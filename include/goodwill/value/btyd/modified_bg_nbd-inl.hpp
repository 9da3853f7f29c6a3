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
  auto ll = [&](const std::array<double, 4> &th, std::array<double, 4> *grad) {
    return log_likelihood_rows(rows, th, grad, options.threads);
  };
  // Default start: ones, with alpha at max(T)/10 (lifetimes' start on its
  // time rescaled by 10/max(T)).
  auto opt = options;
  if (opt.initial_params.empty())
    opt.initial_params = {1.0, detail::max_of(rows.T) / 10, 1.0, 1.0};
  set_fit(detail::fit_ml<4>(ll, true, rows.total_weight, rows.size(), opt));
  return *this;
}

GOODWILL_FUNC double modified_bg_nbd::log_likelihood_rows(const detail::rfm_rows &rows,
                                                          const std::array<double, 4> &th,
                                                          std::array<double, 4> *grad,
                                                          unsigned threads) {
  const double r = th[0], alpha = th[1], a = th[2], b = th[3];
  const double lgr = detail::lgam(r), lbab = detail::lbeta(a, b), la = std::log(alpha),
               lna = std::log(a);
  const double psir = detail::digam(r), psiab = detail::digam(a + b), psib = detail::digam(b);
  // Terms in x alone, once per distinct x: the constant part, ln(b+x) and
  // the digamma differences of the gradient.
  const std::size_t nx = rows.xs.size();
  std::vector<double> cx(nx), lbx(nx), dr(nx), da(nx), db(nx);
  for (std::size_t k = 0; k < nx; ++k) {
    const double x = rows.xs[k];
    cx[k] = detail::lgam(r + x) - lgr + detail::lbeta(a, b + x + 1) - lbab;
    lbx[k] = std::log(b + x);
    if (grad) {
      const double psiabx = detail::digam(a + b + x + 1);
      dr[k] = detail::digam(r + x) - psir;
      da[k] = psiab - psiabx;
      db[k] = psiab + detail::digam(b + x + 1) - psib - psiabx;
    }
  }
  using acc = detail::value_grad<4>;
  const acc total =
      detail::chunked_sum<acc>(rows.size(), threads, [&](std::size_t lo, std::size_t hi) {
        acc s;
        for (std::size_t i = lo; i < hi; ++i) {
          const double x = rows.x[i], tx = rows.t_x[i], T = rows.T[i], w = rows.w[i];
          const std::size_t k = rows.xid[i];
          const double LT = std::log(alpha + T), Ltx = std::log(alpha + tx);
          const double u = lna - lbx[k] + (r + x) * (LT - Ltx);
          s.v += w * (cx[k] + r * la - (r + x) * LT + detail::softplus(u));
          if (!grad)
            continue;
          const double sig = detail::sigmoid(u);
          s.g[0] += w * r * (dr[k] + la - LT + sig * (LT - Ltx));
          s.g[1] += w * alpha *
                    (r / alpha - (r + x) / (alpha + T) +
                     sig * (r + x) * (1 / (alpha + T) - 1 / (alpha + tx)));
          s.g[2] += w * a * (da[k] + sig / a);
          s.g[3] += w * b * (db[k] - sig / (b + x));
        }
        return s;
      });
  if (grad)
    *grad = total.g;
  return total.v;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_MODIFIED_BG_NBD_INL_HPP
