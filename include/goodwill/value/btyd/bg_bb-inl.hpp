// goodwill — BG/BB fitting (fit); declared in
// value/btyd/bg_bb.hpp (the design notes are there). Compiled once in
// src/value/btyd/bg_bb.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_BG_BB_INL_HPP
#define GOODWILL_VALUE_BTYD_BG_BB_INL_HPP

#include <array>
#include <cmath>
#include <cstdint>
#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/bg_bb.hpp>
#include <span>
#include <string>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC void bg_bb::check_fit_rows(const detail::rfm_rows &rows) {
  double terms = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows.T[i] > max_periods)
      throw invalid_input("n_periods", periods_message(rows.T[i]));
    terms += rows.T[i] - rows.t_x[i] + 1;
  }
  if (terms > max_likelihood_terms)
    throw invalid_input("n_periods",
                        "one likelihood evaluation would sum " +
                            std::to_string(static_cast<std::uint64_t>(terms)) + " terms over the " +
                            std::to_string(rows.size()) +
                            " distinct (frequency, recency, n_periods) rows (at most " +
                            std::to_string(static_cast<std::uint64_t>(max_likelihood_terms)) + ")");
}

GOODWILL_FUNC bg_bb &bg_bb::fit(std::span<const double> frequency, std::span<const double> recency,
                                std::span<const double> n_periods, std::span<const double> weights,
                                const btyd_fit_options &options) {
  const auto rows = detail::compress_rfm(frequency, recency, n_periods, weights, true);
  check_fit_rows(rows);
  auto ll = [&](const std::array<double, 4> &th, std::array<double, 4> *) {
    const bg_bb_params p{th[0], th[1], th[2], th[3]};
    return detail::chunked_sum<detail::scalar_sum>(
               rows.size(), options.threads,
               [&](std::size_t lo, std::size_t hi) {
                 detail::scalar_sum acc;
                 for (std::size_t i = lo; i < hi; ++i)
                   acc.v += rows.w[i] * row_ll(p, rows.x[i], rows.t_x[i], rows.T[i]);
                 return acc;
               })
        .v;
  };
  const auto res = detail::fit_ml<4>(ll, false, rows.total_weight, rows.size(), options);
  set_fit(res);
  return *this;
}

GOODWILL_FUNC double bg_bb::log_likelihood_rows(const detail::rfm_rows &rows,
                                                const std::array<double, 4> &th,
                                                std::array<double, 4> *grad, unsigned threads,
                                                std::array<double, 16> *hess) {
  const double al = th[0], be = th[1], ga = th[2], de = th[3];
  const bool want_g = grad != nullptr, want_h = want_g && hess != nullptr;
  const double lab = detail::lbeta(al, be), lgd = detail::lbeta(ga, de);
  // The common part −lbeta(α,β) − lbeta(γ,δ) and its derivatives.
  const double psab = want_g ? detail::digam(al + be) : 0.0,
               psgd = want_g ? detail::digam(ga + de) : 0.0;
  const double psa = want_g ? detail::digam(al) : 0.0, psb = want_g ? detail::digam(be) : 0.0,
               psg = want_g ? detail::digam(ga) : 0.0, psd = want_g ? detail::digam(de) : 0.0;
  const double tab = want_h ? detail::trigam(al + be) : 0.0,
               tgd = want_h ? detail::trigam(ga + de) : 0.0;
  const double ta = want_h ? detail::trigam(al) : 0.0, tb = want_h ? detail::trigam(be) : 0.0,
               tg = want_h ? detail::trigam(ga) : 0.0, td = want_h ? detail::trigam(de) : 0.0;
  // Per-term part, in natural parameters (α, β, γ, δ).
  using acc = detail::value_grad_hess<4>;
  const acc total =
      detail::chunked_sum<acc>(rows.size(), threads, [&](std::size_t lo, std::size_t hi) {
        acc s;
        std::vector<double> u;
        std::vector<std::array<double, 4>> gk;
        for (std::size_t r = lo; r < hi; ++r) {
          const double x = rows.x[r], tx = rows.t_x[r], n = rows.T[r], w = rows.w[r];
          const auto K = static_cast<std::size_t>(n - tx) + 1; // the first term and n − t_x more
          // term k: (m, c, d) = (n − x, 0, n) for k = 0, else (t_x − x + i, 1, t_x + i), i = k − 1
          auto mcd = [&](std::size_t k, double &m, double &c, double &d) {
            if (k == 0) {
              m = n - x;
              c = 0;
              d = n;
            } else {
              const double i = static_cast<double>(k - 1);
              m = tx - x + i;
              c = 1;
              d = tx + i;
            }
          };
          const double lax = detail::lgam(al + x), lg0 = detail::lgam(ga),
                       lg1 = detail::lgam(ga + 1);
          u.resize(K);
          double top = -detail::inf;
          for (std::size_t k = 0; k < K; ++k) {
            double m, c, d;
            mcd(k, m, c, d);
            u[k] = lax + detail::lgam(be + m) - detail::lgam(al + be + x + m) +
                   (c == 0 ? lg0 : lg1) + detail::lgam(de + d) - detail::lgam(ga + de + c + d);
            top = std::max(top, u[k]);
          }
          double z = 0;
          for (std::size_t k = 0; k < K; ++k)
            z += std::exp(u[k] - top);
          const double l = top + std::log(z);
          s.v += w * (l - lab - lgd);
          if (!want_g)
            continue;
          // ∇ℓ = Σ p_k ∇u_k + the common part.
          const double psax = detail::digam(al + x), psg0 = psg, psg1 = psg + 1.0 / ga;
          gk.resize(K);
          std::array<double, 4> gl{};
          for (std::size_t k = 0; k < K; ++k) {
            const double p = std::exp(u[k] - l);
            if (!(p > 1e-18)) {
              gk[k] = {detail::nan, 0, 0, 0};
              continue;
            }
            double m, c, d;
            mcd(k, m, c, d);
            const double pS = detail::digam(al + be + x + m), pG = detail::digam(ga + de + c + d);
            gk[k] = {psax - pS, detail::digam(be + m) - pS, (c == 0 ? psg0 : psg1) - pG,
                     detail::digam(de + d) - pG};
            for (std::size_t j = 0; j < 4; ++j)
              gl[j] += p * gk[k][j];
          }
          s.g[0] += w * (gl[0] - psa + psab);
          s.g[1] += w * (gl[1] - psb + psab);
          s.g[2] += w * (gl[2] - psg + psgd);
          s.g[3] += w * (gl[3] - psd + psgd);
          if (!want_h)
            continue;
          // ∇²ℓ = Σ p_k ∇²u_k + Σ p_k (∇u_k − ∇ℓ)(∇u_k − ∇ℓ)ᵀ + the common part.
          const double tax = detail::trigam(al + x), tg1 = tg - 1.0 / (ga * ga);
          std::array<double, 16> hl{};
          for (std::size_t k = 0; k < K; ++k) {
            if (std::isnan(gk[k][0]))
              continue;
            const double p = std::exp(u[k] - l);
            double m, c, d;
            mcd(k, m, c, d);
            const double tS = detail::trigam(al + be + x + m), tG = detail::trigam(ga + de + c + d);
            hl[0] += p * (tax - tS);
            hl[1] += p * (-tS);
            hl[5] += p * (detail::trigam(be + m) - tS);
            hl[10] += p * ((c == 0 ? tg : tg1) - tG);
            hl[11] += p * (-tG);
            hl[15] += p * (detail::trigam(de + d) - tG);
            std::array<double, 4> e{};
            for (std::size_t j = 0; j < 4; ++j)
              e[j] = gk[k][j] - gl[j];
            for (std::size_t i = 0; i < 4; ++i)
              for (std::size_t j = i; j < 4; ++j)
                hl[i * 4 + j] += p * e[i] * e[j];
          }
          auto &H = s.h;
          H[0] += w * (hl[0] - ta + tab);
          H[1] += w * (hl[1] + tab);
          H[2] += w * hl[2];
          H[3] += w * hl[3];
          H[5] += w * (hl[5] - tb + tab);
          H[6] += w * hl[6];
          H[7] += w * hl[7];
          H[10] += w * (hl[10] - tg + tgd);
          H[11] += w * (hl[11] + tgd);
          H[15] += w * (hl[15] - td + tgd);
        }
        return s;
      });
  detail::to_log_parameters<4>(th, total.g, total.h, grad, want_h ? hess : nullptr);
  return total.v;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_BG_BB_INL_HPP
