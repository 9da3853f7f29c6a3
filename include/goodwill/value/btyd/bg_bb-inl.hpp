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

GOODWILL_FUNC bg_bb &bg_bb::fit(std::span<const double> frequency, std::span<const double> recency,
                                std::span<const double> n_periods, std::span<const double> weights,
                                const btyd_fit_options &options) {
  const auto rows = detail::compress_rfm(frequency, recency, n_periods, weights, true);
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

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_BG_BB_INL_HPP
