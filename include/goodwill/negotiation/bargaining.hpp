// goodwill — bargaining analysis of a bilateral negotiation.
//
// Design: given both parties' utilities of every outcome (arrays indexed by
// outcome), the Pareto frontier is found by one sort and one sweep,
// O(n log n): order outcomes by u1 descending (ties: u2 descending) and keep
// each outcome whose u2 is strictly above every u2 seen before it, plus exact
// duplicates of the last kept utility pair (they are not dominated either).
// The frontier is returned in that order (u1 falling, u2 rising).
//
// The bargaining solutions are then scans of the frontier (every solution is
// Pareto-optimal): Nash maximises (u1 - r1)(u2 - r2) over outcomes at or
// above both reservation values r (the disagreement point); Kalai-Smorodinsky
// maximises min_i (u_i - r_i)/(b_i - r_i), b_i being party i's best utility
// among those outcomes; maximum welfare maximises u1 + u2. Ties go to the
// outcome met first (higher u1). Distances are Euclidean in utility space.
#ifndef GOODWILL_NEGOTIATION_BARGAINING_HPP
#define GOODWILL_NEGOTIATION_BARGAINING_HPP

#include <goodwill/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace goodwill {

/// The Pareto-optimal outcomes, u1 falling and u2 rising.
struct pareto_front {
  std::vector<std::uint64_t> outcomes; ///< indices into the utility arrays
  std::vector<double> u1;
  std::vector<double> u2;

  [[nodiscard]] std::size_t size() const noexcept { return outcomes.size(); }
  /// Number of distinct utility pairs on the frontier.
  [[nodiscard]] std::size_t distinct_pairs() const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < u1.size(); ++i)
      n += i == 0 || u1[i] != u1[i - 1] || u2[i] != u2[i - 1];
    return n;
  }
};

/// A point of the utility space reached by an outcome.
struct bargaining_point {
  std::uint64_t outcome = 0;
  double u1 = std::numeric_limits<double>::quiet_NaN();
  double u2 = std::numeric_limits<double>::quiet_NaN();
  /// False when no outcome qualifies (e.g. none is at or above both
  /// reservation values); u1, u2 are then NaN.
  bool exists = false;
};

namespace detail {
inline void check_utilities(std::span<const double> u1, std::span<const double> u2) {
  if (u1.size() != u2.size())
    throw invalid_input("u2", "has " + std::to_string(u2.size()) + " utilities, u1 has " +
                                  std::to_string(u1.size()));
  for (std::size_t i = 0; i < u1.size(); ++i) {
    if (std::isnan(u1[i]))
      throw invalid_input("u1", static_cast<std::int64_t>(i), "is NaN");
    if (std::isnan(u2[i]))
      throw invalid_input("u2", static_cast<std::int64_t>(i), "is NaN");
  }
}
} // namespace detail

/// Pareto frontier of outcomes with utilities u1[i], u2[i] (sort and sweep).
[[nodiscard]] inline pareto_front pareto_frontier(std::span<const double> u1,
                                                  std::span<const double> u2) {
  detail::check_utilities(u1, u2);
  struct row {
    double a, b;
    std::uint64_t i;
  };
  std::vector<row> rows(u1.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i] = {u1[i], u2[i], i};
  std::sort(rows.begin(), rows.end(), [](const row &x, const row &y) {
    if (x.a != y.a)
      return x.a > y.a;
    if (x.b != y.b)
      return x.b > y.b;
    return x.i < y.i;
  });
  pareto_front f;
  double best = -std::numeric_limits<double>::infinity();
  for (const auto &r : rows) {
    const bool dup = !f.u1.empty() && r.a == f.u1.back() && r.b == f.u2.back();
    if (r.b > best || dup) {
      f.outcomes.push_back(r.i);
      f.u1.push_back(r.a);
      f.u2.push_back(r.b);
      best = std::max(best, r.b);
    }
  }
  return f;
}

/// Nash bargaining point: max (u1 - r1)(u2 - r2) over outcomes with u1 >= r1
/// and u2 >= r2.
[[nodiscard]] inline bargaining_point nash_point(const pareto_front &f, double r1, double r2) {
  bargaining_point p;
  double best = -1.0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f.u1[i] < r1 || f.u2[i] < r2)
      continue;
    const double v = (f.u1[i] - r1) * (f.u2[i] - r2);
    if (v > best) {
      best = v;
      p = {f.outcomes[i], f.u1[i], f.u2[i], true};
    }
  }
  return p;
}

/// Kalai-Smorodinsky point: max of min_i (u_i - r_i)/(b_i - r_i) over the
/// individually rational outcomes (b_i: party i's best among them).
[[nodiscard]] inline bargaining_point kalai_smorodinsky_point(const pareto_front &f, double r1,
                                                              double r2) {
  double b1 = -std::numeric_limits<double>::infinity(), b2 = b1;
  for (std::size_t i = 0; i < f.size(); ++i)
    if (f.u1[i] >= r1 && f.u2[i] >= r2) {
      b1 = std::max(b1, f.u1[i]);
      b2 = std::max(b2, f.u2[i]);
    }
  bargaining_point p;
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f.u1[i] < r1 || f.u2[i] < r2)
      continue;
    const double g1 = b1 > r1 ? (f.u1[i] - r1) / (b1 - r1) : 1.0;
    const double g2 = b2 > r2 ? (f.u2[i] - r2) / (b2 - r2) : 1.0;
    const double v = std::min(g1, g2);
    if (v > best) {
      best = v;
      p = {f.outcomes[i], f.u1[i], f.u2[i], true};
    }
  }
  return p;
}

/// Maximum welfare point: max u1 + u2 (optionally only individually rational
/// outcomes: pass the reservation values, or -inf to consider all).
[[nodiscard]] inline bargaining_point
max_welfare_point(const pareto_front &f, double r1 = -std::numeric_limits<double>::infinity(),
                  double r2 = -std::numeric_limits<double>::infinity()) {
  bargaining_point p;
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f.u1[i] < r1 || f.u2[i] < r2)
      continue;
    const double v = f.u1[i] + f.u2[i];
    if (v > best) {
      best = v;
      p = {f.outcomes[i], f.u1[i], f.u2[i], true};
    }
  }
  return p;
}

/// Euclidean distance from (u1, u2) to the nearest frontier point (0 for a
/// Pareto-optimal agreement).
[[nodiscard]] inline double distance_to_frontier(const pareto_front &f, double u1, double u2) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < f.size(); ++i)
    best = std::min(best, std::hypot(f.u1[i] - u1, f.u2[i] - u2));
  return best;
}

/// Euclidean distance from (u1, u2) to a bargaining point.
[[nodiscard]] inline double distance_to(const bargaining_point &p, double u1, double u2) noexcept {
  return std::hypot(p.u1 - u1, p.u2 - u2);
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_BARGAINING_HPP
