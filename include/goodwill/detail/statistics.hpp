// goodwill — detail: the Student-t interval of a mean, shared by every batch
// summary (the policy simulator's seeds, the elicitation batch, the
// tournament's ranking), and the Benjamini–Hochberg q-values shared by
// every many-comparisons flag (account health, rep scorecards, the
// tournament's pairwise table).
//
// Design: one definition of the sample mean and standard deviation and of
// the t half-width, so that each summary states the same interval the same
// way: mean ± t_{(1+level)/2, n−1} · sd / √n, and no interval (NaN, not zero
// width) from fewer than two values.
#ifndef GOODWILL_DETAIL_STATISTICS_HPP
#define GOODWILL_DETAIL_STATISTICS_HPP

#include <goodwill/detail/special.hpp>
#include <goodwill/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace goodwill {

/// A Student-t confidence interval for a mean of `n` values: mean ± t_{(1+level)/2, n−1} sd / √n.
/// With n < 2 the half-width is NaN.
[[nodiscard]] inline double t_half_width(double sd, std::size_t n, double level = 0.95) {
  if (!(level > 0.0 && level < 1.0))
    throw invalid_input("level", "must be in (0, 1)");
  if (n < 2)
    return std::numeric_limits<double>::quiet_NaN();
  return detail::students_t_quantile(static_cast<double>(n - 1), 0.5 + level / 2.0) * sd /
         std::sqrt(static_cast<double>(n));
}

/// Benjamini–Hochberg q-values of p (NaN entries are not in the family and
/// stay NaN): q_(j) = min_{l >= j} min(1, m p_(l) / l) over the m finite p.
[[nodiscard]] inline std::vector<double> bh_qvalues(std::span<const double> p) {
  std::vector<double> q(p.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> idx;
  idx.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    if (std::isfinite(p[i]))
      idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  const auto m = static_cast<double>(idx.size());
  double running = 1.0;
  for (std::size_t j = idx.size(); j-- > 0;) {
    running = std::min(running, m * p[idx[j]] / static_cast<double>(j + 1));
    q[idx[j]] = running;
  }
  return q;
}

namespace detail {

/// Sample mean and standard deviation (n − 1 in the denominator); the mean
/// of no values is 0 and the sd of fewer than two is NaN.
struct sample_moments {
  double mean = 0.0;
  double sd = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;
};

[[nodiscard]] inline sample_moments moments_of(std::span<const double> x) {
  sample_moments m;
  m.n = x.size();
  if (x.empty())
    return m;
  for (double v : x)
    m.mean += v;
  m.mean /= static_cast<double>(x.size());
  if (x.size() < 2)
    return m;
  double ss = 0.0;
  for (double v : x)
    ss += (v - m.mean) * (v - m.mean);
  m.sd = std::sqrt(ss / static_cast<double>(x.size() - 1));
  return m;
}

} // namespace detail
} // namespace goodwill

#endif // GOODWILL_DETAIL_STATISTICS_HPP
