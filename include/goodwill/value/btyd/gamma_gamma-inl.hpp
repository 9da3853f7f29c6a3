// goodwill — Gamma-Gamma fitting (fit); declared in
// value/btyd/gamma_gamma.hpp (the design notes are there). Compiled once in
// src/value/btyd/gamma_gamma.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_GAMMA_GAMMA_INL_HPP
#define GOODWILL_VALUE_BTYD_GAMMA_GAMMA_INL_HPP

#include <array>
#include <cmath>
#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/gamma_gamma.hpp>
#include <span>
#include <string>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC gamma_gamma &gamma_gamma::fit(std::span<const double> frequency,
                                            std::span<const double> monetary_value,
                                            std::span<const double> weights,
                                            const btyd_fit_options &options) {
  const std::size_t n = frequency.size();
  if (monetary_value.size() != n)
    throw invalid_input("monetary_value", "has " + std::to_string(monetary_value.size()) +
                                              " rows where 'frequency' has " + std::to_string(n));
  if (!weights.empty() && weights.size() != n)
    throw invalid_input("weights", "has " + std::to_string(weights.size()) +
                                       " rows where 'frequency' has " + std::to_string(n));
  if (n == 0)
    throw invalid_input("frequency", "no customers to fit");
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::int64_t>(i);
    if (!std::isfinite(frequency[i]) || frequency[i] < 1 ||
        frequency[i] != std::floor(frequency[i]))
      throw invalid_input("frequency", row,
                          "must be a whole number ≥ 1 (fit on repeat buyers only), got " +
                              std::to_string(frequency[i]));
    if (!std::isfinite(monetary_value[i]) || monetary_value[i] <= 0)
      throw invalid_input("monetary_value", row,
                          "must be finite and positive, got " + std::to_string(monetary_value[i]));
    const double w = weights.empty() ? 1.0 : weights[i];
    if (!std::isfinite(w) || w < 0)
      throw invalid_input("weights", row, "must be finite and non-negative");
    total += w;
  }
  if (!(total > 0))
    throw invalid_input("weights", "sum to zero: nothing to fit");
  auto ll = [&](const std::array<double, 3> &th, std::array<double, 3> *) {
    const gamma_gamma_params p{th[0], th[1], th[2]};
    return detail::chunked_sum<detail::scalar_sum>(
               n, options.threads,
               [&](std::size_t lo, std::size_t hi) {
                 detail::scalar_sum acc;
                 for (std::size_t i = lo; i < hi; ++i)
                   acc.v += (weights.empty() ? 1.0 : weights[i]) *
                            row_ll(p, frequency[i], monetary_value[i]);
                 return acc;
               })
        .v;
  };
  const auto res = detail::fit_ml<3>(ll, false, total, n, options);
  set_fit(res);
  return *this;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_GAMMA_GAMMA_INL_HPP
