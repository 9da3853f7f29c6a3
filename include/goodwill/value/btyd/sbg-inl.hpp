// goodwill — sBG fitting (fit, fit_survivors); declared in
// value/btyd/sbg.hpp (the design notes are there). Compiled once in
// src/value/btyd/sbg.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_SBG_INL_HPP
#define GOODWILL_VALUE_BTYD_SBG_INL_HPP

#include <array>
#include <cmath>
#include <cstdint>
#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/sbg.hpp>
#include <span>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC sbg &sbg::fit(std::span<const double> periods, std::span<const double> churned,
                            std::span<const double> weights, const btyd_fit_options &options) {
  const std::size_t n = periods.size();
  if (churned.size() != n)
    throw invalid_input("churned", "periods and churned must have the same length");
  if (!weights.empty() && weights.size() != n)
    throw invalid_input("weights", "must have one entry per row");
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::int64_t>(i);
    if (!std::isfinite(periods[i]) || periods[i] < 1 || periods[i] != std::floor(periods[i]))
      throw invalid_input("periods", row,
                          "must be a whole number ≥ 1, got " + std::to_string(periods[i]));
    if (churned[i] != 0 && churned[i] != 1)
      throw invalid_input("churned", row, "must be 0 or 1, got " + std::to_string(churned[i]));
    const double w = weights.empty() ? 1.0 : weights[i];
    if (!std::isfinite(w) || w < 0)
      throw invalid_input("weights", row, "must be finite and non-negative");
    total += w;
  }
  if (!(total > 0))
    throw invalid_input("weights", "no customers to fit");
  auto ll = [&](const std::array<double, 2> &th, std::array<double, 2> *grad) {
    const double a = th[0], b = th[1];
    const double lbab = detail::lbeta(a, b), psiab = detail::digam(a + b), psia = detail::digam(a),
                 psib = detail::digam(b), psia1 = detail::digam(a + 1);
    double v = 0, ga = 0, gb = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double t = periods[i], w = weights.empty() ? 1.0 : weights[i];
      if (w == 0)
        continue;
      const double psiabt = detail::digam(a + b + t);
      if (churned[i] == 1) {
        v += w * (detail::lbeta(a + 1, b + t - 1) - lbab);
        ga += w * (psia1 - psiabt - psia + psiab);
        gb += w * (detail::digam(b + t - 1) - psiabt - psib + psiab);
      } else {
        v += w * (detail::lbeta(a, b + t) - lbab);
        ga += w * (psiab - psiabt);
        gb += w * (detail::digam(b + t) - psiabt - psib + psiab);
      }
    }
    if (grad)
      *grad = {a * ga, b * gb};
    return v;
  };
  set_fit(detail::fit_ml<2>(ll, true, total, n, options));
  return *this;
}

GOODWILL_FUNC sbg &sbg::fit_survivors(std::span<const double> survivors,
                                      const btyd_fit_options &options) {
  if (survivors.size() < 2)
    throw invalid_input("survivors", "needs the starting count and at least one period");
  std::vector<double> periods, churned, weights;
  for (std::size_t t = 1; t < survivors.size(); ++t) {
    const double lost = survivors[t - 1] - survivors[t];
    if (!std::isfinite(survivors[t]) || survivors[t] < 0 || lost < 0)
      throw invalid_input("survivors", static_cast<std::int64_t>(t),
                          "must be finite, non-negative and non-increasing");
    periods.push_back(static_cast<double>(t));
    churned.push_back(1);
    weights.push_back(lost);
  }
  periods.push_back(static_cast<double>(survivors.size() - 1));
  churned.push_back(0);
  weights.push_back(survivors.back());
  return fit(periods, churned, weights, options);
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_SBG_INL_HPP
