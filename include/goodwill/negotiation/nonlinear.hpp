// goodwill — non-linear preferences: hyper-rectangle utility functions and
// weighted sums of utility functions.
//
// Design: a hyper-rectangle is a set of bounds [min, max] on some issues'
// values with a utility and a weight. As in Genius 10.4
// (genius.core.utility.NonlinearUtilitySpace, InclusiveHyperRectangle,
// ExclusiveHyperRectangle, UtilityFunction):
//   * an INCLUDES rectangle is worth utility * weight when every bound holds
//     (min <= value <= max), else 0; one without bounds is always worth it;
//   * an EXCLUDES rectangle is worth utility * weight when some bound is
//     violated (the outcome lies outside the box), else 0;
//   * a ufun node aggregates its rectangles and its child ufuns (each child
//     times its own weight) by sum (the default), min or max;
//   * the profile's utility is root / maxutility, and 1 if that is above 1.
// Values are outcome values (outcome_space.hpp): the integer itself for
// integer issues, the real value for continuous ones, the value index for
// labelled issues.
//
// Evaluation. A per-issue interval index: the bounds' end points of issue i
// cut the line into cells (each end point its own cell, the open gaps
// between them others); each cell holds a bit mask of the rectangles whose
// bound on issue i it violates. An outcome's violated set is the OR of its
// issues' cell masks (one binary search per issue, R/64 words); with a
// sum-only tree the value is the sum of the rectangles that count (bit
// masks of INCLUDES, EXCLUDES and unbounded rectangles select them), visited
// bit by bit in the tree's order. A single
// evaluation costs O(k log b + k R / 64 + hits) whatever the space's size — what
// sampling and search on spaces too big to enumerate use. Over an enumerable
// space with a sum-only tree, evaluate_all() is at linear-additive speed: each
// rectangle adds its value at the 2^c corners of its box in a difference
// array (c: issues it bounds), and one prefix-sum pass per issue along the
// mixed-radix layout turns corners into boxes (k passes over n, as for a
// linear-additive utility). Trees with min/max nodes, or rectangles whose
// corners exceed n, use the interval index per outcome.
//
// A weighted sum u(o) = sum_k w_k u_k(o) of linear-additive and
// hyper-rectangle utilities (NegMAS's WeightedUtilityFunction) evaluates its
// components and adds them; evaluate_all() adds their arrays.
#ifndef GOODWILL_NEGOTIATION_NONLINEAR_HPP
#define GOODWILL_NEGOTIATION_NONLINEAR_HPP

#include <goodwill/error.hpp>
#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>
#include <goodwill/negotiation/scenario.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace goodwill {

/// One bound of a hyper-rectangle: min <= value of issue `issue` <= max.
struct rectangle_bound {
  std::size_t issue = 0; ///< 0-based issue position in the space
  double min = 0.0;
  double max = 0.0;
};

/// A hyper-rectangle constraint with its utility (Genius semantics, see the
/// header note).
struct hyper_rectangle {
  std::vector<rectangle_bound> bounds;
  double utility = 0.0;
  double weight = 1.0;
  bool exclusive = false; ///< EXCLUDES: worth utility * weight outside the box
};

/// How a ufun node combines its rectangles and children.
enum class aggregation : std::uint8_t { sum = 0, min = 1, max = 2 };

/// A node of a Genius non-linear utility tree.
struct ufun_node {
  aggregation agg = aggregation::sum;
  double weight = 1.0; ///< applied by the parent (the root's is ignored, as in Genius)
  std::vector<hyper_rectangle> rectangles;
  std::vector<ufun_node> children;
};

/// A hyper-rectangle utility function with reservation value and discount.
class hyper_rectangle_utility {
public:
  hyper_rectangle_utility() = default;

  /// A tree of ufun nodes over `space`; the utility is root / max_utility,
  /// capped at `cap` (Genius: 1).
  hyper_rectangle_utility(outcome_space space, ufun_node root, double max_utility = 1.0,
                          double reservation = 0.0, double discount = 1.0,
                          double cap = std::numeric_limits<double>::infinity())
      : space_(std::move(space)), root_(std::move(root)), max_utility_(max_utility),
        reservation_(reservation), discount_(discount), cap_(cap) {
    if (!(std::isfinite(max_utility_) && max_utility_ > 0.0))
      throw invalid_input("max_utility",
                          "must be finite and > 0, got " + std::to_string(max_utility_));
    if (!std::isfinite(reservation_))
      throw invalid_input("reservation", "is not finite");
    if (!std::isfinite(discount_))
      throw invalid_input("discount", "is not finite");
    if (std::isnan(cap_))
      throw invalid_input("cap", "is NaN");
    index_node(root_);
    bound_values(root_, 1.0, true);
    build_cells();
    build_sum();
  }

  /// A flat sum of rectangles (NegMAS's HyperRectangleUtilityFunction).
  static hyper_rectangle_utility from_rectangles(outcome_space space,
                                                 std::vector<hyper_rectangle> rects,
                                                 double reservation = 0.0, double discount = 1.0) {
    ufun_node root;
    root.rectangles = std::move(rects);
    return {std::move(space), std::move(root), 1.0, reservation, discount};
  }

  [[nodiscard]] const outcome_space &space() const noexcept { return space_; }
  [[nodiscard]] const ufun_node &root() const noexcept { return root_; }
  [[nodiscard]] double max_utility() const noexcept { return max_utility_; }
  [[nodiscard]] double reservation() const noexcept { return reservation_; }
  [[nodiscard]] double discount() const noexcept { return discount_; }
  [[nodiscard]] double cap() const noexcept { return cap_; }
  /// Number of rectangles in the whole tree.
  [[nodiscard]] std::size_t rectangle_count() const noexcept { return flat_.size(); }
  void set_reservation(double r) {
    if (!std::isfinite(r))
      throw invalid_input("reservation", "is not finite");
    reservation_ = r;
  }
  void set_cap(double c) {
    if (std::isnan(c))
      throw invalid_input("cap", "is NaN");
    cap_ = c;
  }
  [[nodiscard]] double discount_at(double t) const noexcept {
    return (discount_ > 0.0 && discount_ < 1.0) ? std::pow(discount_, t) : 1.0;
  }

  /// Utility of an outcome given as values (any space, enumerable or not).
  [[nodiscard]] double operator()(std::span<const double> values) const {
    if (values.size() != space_.issue_count())
      throw invalid_input("outcome", "has " + std::to_string(values.size()) + " values for " +
                                         std::to_string(space_.issue_count()) + " issues");
    if (words_ <= small_words) {
      std::array<std::uint64_t, small_words> buf{};
      return finish(raw(values, std::span<std::uint64_t>(buf.data(), words_)));
    }
    std::vector<std::uint64_t> mask(words_, 0);
    return finish(raw(values, mask));
  }

  /// Utility of an outcome id (enumerable spaces).
  [[nodiscard]] double operator()(outcome_id id) const { return (*this)(space_.decode(id)); }

  /// Utilities of every outcome, indexed by id (enumerable spaces).
  [[nodiscard]] Eigen::ArrayXd evaluate_all() const {
    space_.require_enumerable_within(max_enumerated_outcomes, "evaluate_all");
    const auto n = static_cast<Eigen::Index>(space_.size());
    if (sum_only(root_)) {
      // Corner budget: at most n corners over all rectangles.
      double corners = 0.0;
      for (const auto &f : flat_)
        corners += std::ldexp(1.0, static_cast<int>(f.r.bounds.size()));
      if (corners <= static_cast<double>(n) + 64.0)
        return finish_all(difference_array());
    }
    return evaluate_all_indexed();
  }

  /// Utilities of every outcome through the interval index, one outcome at
  /// a time (what evaluate_all() falls back to; for checks and benchmarks).
  [[nodiscard]] Eigen::ArrayXd evaluate_all_indexed() const {
    space_.require_enumerable_within(max_enumerated_outcomes, "evaluate_all");
    const auto n = static_cast<Eigen::Index>(space_.size());
    Eigen::ArrayXd u(n);
    const auto k = space_.issue_count();
    std::vector<double> v(k);
    std::vector<std::uint64_t> mask(words_);
    for (Eigen::Index id = 0; id < n; ++id) {
      for (std::size_t i = 0; i < k; ++i)
        v[i] = space_.issues()[i].value_at(space_.value_index(static_cast<outcome_id>(id), i));
      std::fill(mask.begin(), mask.end(), 0);
      u[id] = raw(v, mask);
    }
    return finish_all(std::move(u));
  }

  /// Whether evaluate_all() takes the difference-array path (sum-only tree
  /// with few enough corners).
  [[nodiscard]] bool fast_path() const {
    if (!sum_only(root_) || space_.size() == 0)
      return false;
    double corners = 0.0;
    for (const auto &f : flat_)
      corners += std::ldexp(1.0, static_cast<int>(f.r.bounds.size()));
    return corners <= static_cast<double>(space_.size()) + 64.0;
  }

private:
  struct flat_rect {
    hyper_rectangle r; // a copy: the class stays copyable without fix-ups
    double factor;     ///< product of the weights of the nodes above (sum-only paths)
  };
  struct cell_index {
    std::vector<double> points;       ///< sorted distinct end points
    std::vector<std::uint64_t> masks; ///< (2 * points + 1) cells x words
  };

  void index_node(ufun_node &node, double factor = 1.0, bool root = true) {
    if (!std::isfinite(node.weight))
      throw invalid_input("weight", "a ufun weight is not finite");
    const double f = root ? factor : factor * node.weight;
    for (std::size_t r = 0; r < node.rectangles.size(); ++r) {
      auto &rect = node.rectangles[r];
      if (!std::isfinite(rect.utility) || !std::isfinite(rect.weight))
        throw invalid_input("rectangles", static_cast<std::int64_t>(flat_.size()),
                            "utility and weight must be finite");
      for (const auto &b : rect.bounds) {
        if (b.issue >= space_.issue_count())
          throw invalid_input("rectangles", static_cast<std::int64_t>(flat_.size()),
                              "bounds issue " + std::to_string(b.issue) + ", the space has " +
                                  std::to_string(space_.issue_count()) + " issues");
        if (!(std::isfinite(b.min) && std::isfinite(b.max)) || b.max < b.min)
          throw invalid_input("rectangles", static_cast<std::int64_t>(flat_.size()),
                              "needs finite bounds with min <= max");
      }
      for (std::size_t a = 0; a < rect.bounds.size(); ++a)
        for (std::size_t c = a + 1; c < rect.bounds.size(); ++c)
          if (rect.bounds[a].issue == rect.bounds[c].issue)
            throw invalid_input("rectangles", static_cast<std::int64_t>(flat_.size()),
                                "bounds issue '" + space_.issues()[rect.bounds[a].issue].name +
                                    "' twice");
      flat_.push_back({rect, f});
    }
    for (auto &c : node.children)
      index_node(c, f, false);
  }

  // Every value the tree can produce stays finite: the sum of |utility *
  // weight * weights above| (and of the +-2^31 start of an empty min or max
  // node, as Genius starts them) over maxutility is below 1e300.
  void bound_values(const ufun_node &node, double factor, bool root) {
    const double f = root ? factor : factor * node.weight;
    if (node.agg != aggregation::sum && node.rectangles.empty() && node.children.empty())
      magnitude_ += 2147483647.0 * std::abs(f);
    for (const auto &r : node.rectangles)
      magnitude_ += std::abs(r.utility * r.weight * f);
    for (const auto &c : node.children)
      bound_values(c, f, false);
    if (root && !(magnitude_ / max_utility_ < 1e300))
      throw invalid_input("rectangles", "utilities and weights are too large for maxutility " +
                                            std::to_string(max_utility_) +
                                            " (values would overflow)");
  }

  void build_cells() {
    const auto k = space_.issue_count();
    words_ = (flat_.size() + 63) / 64;
    cells_.assign(k, {});
    for (std::size_t i = 0; i < k; ++i) {
      auto &ci = cells_[i];
      for (const auto &f : flat_)
        for (const auto &b : f.r.bounds)
          if (b.issue == i) {
            ci.points.push_back(b.min);
            ci.points.push_back(b.max);
          }
      std::sort(ci.points.begin(), ci.points.end());
      ci.points.erase(std::unique(ci.points.begin(), ci.points.end()), ci.points.end());
      const std::size_t cells = 2 * ci.points.size() + 1;
      ci.masks.assign(cells * words_, 0);
      // Cell c: even c = the gap before points[c/2] (or after the last), odd
      // c = the point points[c/2] itself. A representative value decides.
      for (std::size_t c = 0; c < cells; ++c) {
        for (std::size_t r = 0; r < flat_.size(); ++r)
          for (const auto &b : flat_[r].r.bounds) {
            if (b.issue != i)
              continue;
            bool inside;
            if (c % 2 == 1) {
              const double x = ci.points[c / 2];
              inside = b.min <= x && x <= b.max;
            } else {
              // The open gap (points[c/2 - 1], points[c/2]): inside iff min is
              // at or below its left end and max at or above its right end.
              const std::size_t g = c / 2;
              const double left =
                  g == 0 ? -std::numeric_limits<double>::infinity() : ci.points[g - 1];
              const double right =
                  g == ci.points.size() ? std::numeric_limits<double>::infinity() : ci.points[g];
              inside = b.min <= left && right <= b.max;
            }
            if (!inside)
              ci.masks[c * words_ + r / 64] |= std::uint64_t{1} << (r % 64);
          }
      }
    }
  }

  [[nodiscard]] std::size_t cell_of(const cell_index &ci, double x) const noexcept {
    const auto it = std::lower_bound(ci.points.begin(), ci.points.end(), x);
    const auto j = static_cast<std::size_t>(it - ci.points.begin());
    return (it != ci.points.end() && *it == x) ? 2 * j + 1 : 2 * j;
  }

  void violated(std::span<const double> values, std::span<std::uint64_t> mask) const noexcept {
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      const auto &ci = cells_[i];
      if (ci.points.empty())
        continue;
      const auto *m = &ci.masks[cell_of(ci, values[i]) * words_];
      for (std::size_t w = 0; w < words_; ++w)
        mask[w] |= m[w];
    }
  }

  // Rectangles are numbered in the tree's depth-first order (index_node), so
  // a walk in the same order meets them with `next` counting up.
  [[nodiscard]] double node_value(const ufun_node &node, std::span<const std::uint64_t> mask,
                                  std::size_t &next) const noexcept {
    double acc = node.agg == aggregation::min   ? static_cast<double>(2147483647)
                 : node.agg == aggregation::max ? -static_cast<double>(2147483647)
                                                : 0.0;
    auto add = [&](double v) {
      switch (node.agg) {
      case aggregation::sum:
        acc += v;
        break;
      case aggregation::min:
        acc = std::min(acc, v);
        break;
      case aggregation::max:
        acc = std::max(acc, v);
        break;
      }
    };
    for (const auto &rect : node.rectangles) {
      const std::size_t r = next++;
      const bool out = (mask[r / 64] >> (r % 64)) & 1u;
      const bool counts = rect.bounds.empty() ? true : (rect.exclusive ? out : !out);
      add(counts ? rect.utility * rect.weight : 0.0);
    }
    for (const auto &c : node.children)
      add(node_value(c, mask, next) * c.weight);
    return acc;
  }

  /// The tree's value before maxutility and the cap; `mask` zeroed, words_ long.
  [[nodiscard]] double raw(std::span<const double> values,
                           std::span<std::uint64_t> mask) const noexcept {
    violated(values, mask);
    if (!sum_tree_) {
      std::size_t next = 0;
      return node_value(root_, mask, next);
    }
    // Sum-only: the rectangles that count — INCLUDES whose box holds the
    // outcome, EXCLUDES whose box does not, and those without bounds — added
    // in the tree's order, as Genius adds them (no cancellation).
    double u = 0.0;
    for (std::size_t w = 0; w < words_; ++w) {
      std::uint64_t in = ((~mask[w]) & inclusive_[w]) | (mask[w] & exclusive_[w]) | always_[w];
      while (in) {
        const auto b = static_cast<std::size_t>(std::countr_zero(in));
        u += value_[w * 64 + b];
        in &= in - 1;
      }
    }
    return u;
  }

  void build_sum() {
    sum_tree_ = sum_only(root_);
    value_.assign(flat_.size(), 0.0);
    inclusive_.assign(words_, 0);
    exclusive_.assign(words_, 0);
    always_.assign(words_, 0);
    for (std::size_t r = 0; r < flat_.size(); ++r) {
      const auto &f = flat_[r];
      value_[r] = f.r.utility * f.r.weight * f.factor;
      const auto bit = std::uint64_t{1} << (r % 64);
      (f.r.bounds.empty() ? always_ : f.r.exclusive ? exclusive_ : inclusive_)[r / 64] |= bit;
    }
  }

  [[nodiscard]] static bool sum_only(const ufun_node &node) noexcept {
    if (node.agg != aggregation::sum)
      return false;
    for (const auto &c : node.children)
      if (!sum_only(c))
        return false;
    return true;
  }

  [[nodiscard]] Eigen::ArrayXd difference_array() const {
    const auto n = static_cast<Eigen::Index>(space_.size());
    const auto k = space_.issue_count();
    Eigen::ArrayXd d = Eigen::ArrayXd::Zero(n);
    double everywhere = 0.0;
    std::vector<std::uint64_t> lo(k), hi(k); // value-index box, hi exclusive
    for (const auto &f : flat_) {
      const auto &rect = f.r;
      const double v = rect.utility * rect.weight * f.factor;
      if (rect.bounds.empty() || rect.exclusive)
        everywhere += v; // an exclusive box then subtracts v inside
      if (rect.bounds.empty())
        continue;
      bool empty = false;
      for (std::size_t i = 0; i < k; ++i) {
        lo[i] = 0;
        hi[i] = space_.issues()[i].size();
      }
      for (const auto &b : rect.bounds) {
        const auto &is = space_.issues()[b.issue];
        // Value indices j with min <= value_at(j) <= max (values increase with j).
        const double off = is.kind == issue_kind::integer ? is.lower : 0.0;
        const double a = std::ceil(b.min - off), z = std::floor(b.max - off);
        const double m = static_cast<double>(is.size());
        const double a2 = std::max(a, 0.0), z2 = std::min(z, m - 1.0);
        if (z2 < a2) {
          empty = true;
          break;
        }
        lo[b.issue] = static_cast<std::uint64_t>(a2);
        hi[b.issue] = static_cast<std::uint64_t>(z2) + 1;
      }
      if (empty)
        continue;
      const double sv = rect.exclusive ? -v : v;
      // 2^c corners: each bounded issue at lo (+) or hi (-, skipped at the edge).
      const auto c = rect.bounds.size();
      for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << c); ++bits) {
        std::uint64_t id = 0;
        double sign = sv;
        bool inside = true;
        for (std::size_t i = 0; i < k; ++i)
          id += lo[i] * space_.stride(i);
        for (std::size_t j = 0; j < c; ++j) {
          const auto is = rect.bounds[j].issue;
          if ((bits >> j) & 1u) {
            if (hi[is] >= space_.issues()[is].size()) {
              inside = false;
              break;
            }
            id += (hi[is] - lo[is]) * space_.stride(is);
            sign = -sign;
          }
        }
        if (inside)
          d[static_cast<Eigen::Index>(id)] += sign;
      }
    }
    // Prefix sums along each issue of the mixed-radix layout.
    for (std::size_t i = 0; i < k; ++i) {
      const auto stride = static_cast<Eigen::Index>(space_.stride(i));
      const auto m = static_cast<Eigen::Index>(space_.issues()[i].size());
      const Eigen::Index period = stride * m;
      for (Eigen::Index base = 0; base < n; base += period)
        for (Eigen::Index j = 1; j < m; ++j)
          d.segment(base + j * stride, stride) += d.segment(base + (j - 1) * stride, stride);
    }
    d += everywhere;
    return d;
  }

  [[nodiscard]] double finish(double raw) const noexcept {
    return std::min(raw / max_utility_, cap_);
  }
  [[nodiscard]] Eigen::ArrayXd finish_all(Eigen::ArrayXd raw) const {
    raw /= max_utility_;
    if (cap_ < std::numeric_limits<double>::infinity())
      raw = raw.min(cap_);
    return raw;
  }

  outcome_space space_;
  ufun_node root_;
  double max_utility_ = 1.0;
  double reservation_ = 0.0;
  double discount_ = 1.0;
  double cap_ = std::numeric_limits<double>::infinity();
  std::vector<flat_rect> flat_;
  std::vector<cell_index> cells_;
  std::size_t words_ = 0;
  static constexpr std::size_t small_words = 32; ///< masks up to 2,048 rectangles on the stack
  bool sum_tree_ = true;
  double magnitude_ = 0.0;
  std::vector<double> value_; ///< utility * weight * the weights above, per rectangle
  std::vector<std::uint64_t> inclusive_, exclusive_, always_; ///< rectangle kinds as bit masks
};

/// A weighted sum of utility functions over one space: u = sum_k w_k u_k
/// (NegMAS WeightedUtilityFunction), with its own reservation and discount.
class weighted_sum_utility {
public:
  using component = std::variant<linear_additive_utility, hyper_rectangle_utility>;

  weighted_sum_utility() = default;
  weighted_sum_utility(std::vector<component> parts, std::vector<double> weights,
                       double reservation = 0.0, double discount = 1.0)
      : parts_(std::move(parts)), weights_(std::move(weights)), reservation_(reservation),
        discount_(discount) {
    if (parts_.empty())
      throw invalid_input("parts", "a weighted sum needs at least one utility function");
    if (weights_.size() != parts_.size())
      throw invalid_input("weights", "has " + std::to_string(weights_.size()) + " entries for " +
                                         std::to_string(parts_.size()) + " utility functions");
    for (std::size_t i = 0; i < weights_.size(); ++i)
      if (!std::isfinite(weights_[i]))
        throw invalid_input("weights", static_cast<std::int64_t>(i), "is not finite");
    const auto &s0 = space();
    for (std::size_t i = 1; i < parts_.size(); ++i) {
      const auto &s =
          std::visit([](const auto &u) -> const outcome_space & { return u.space(); }, parts_[i]);
      bool same = s.issue_count() == s0.issue_count();
      for (std::size_t j = 0; same && j < s.issue_count(); ++j)
        same = s.issues()[j].name == s0.issues()[j].name &&
               s.issues()[j].kind == s0.issues()[j].kind &&
               s.issues()[j].size() == s0.issues()[j].size();
      if (!same)
        throw invalid_input("parts", static_cast<std::int64_t>(i),
                            "is over a different outcome space than the first");
    }
    if (!std::isfinite(reservation_))
      throw invalid_input("reservation", "is not finite");
  }

  [[nodiscard]] const outcome_space &space() const noexcept {
    return std::visit([](const auto &u) -> const outcome_space & { return u.space(); },
                      parts_.front());
  }
  [[nodiscard]] double reservation() const noexcept { return reservation_; }
  [[nodiscard]] double discount() const noexcept { return discount_; }
  [[nodiscard]] const std::vector<double> &weights() const noexcept { return weights_; }
  [[nodiscard]] const std::vector<component> &parts() const noexcept { return parts_; }

  [[nodiscard]] double operator()(std::span<const double> values) const {
    double u = 0.0;
    for (std::size_t i = 0; i < parts_.size(); ++i)
      u += weights_[i] * std::visit([&](const auto &f) { return f(values); }, parts_[i]);
    return u;
  }
  [[nodiscard]] Eigen::ArrayXd evaluate_all() const {
    Eigen::ArrayXd u =
        weights_[0] * std::visit([](const auto &f) { return f.evaluate_all(); }, parts_[0]);
    for (std::size_t i = 1; i < parts_.size(); ++i)
      u += weights_[i] * std::visit([](const auto &f) { return f.evaluate_all(); }, parts_[i]);
    return u;
  }

private:
  std::vector<component> parts_;
  std::vector<double> weights_;
  double reservation_ = 0.0;
  double discount_ = 1.0;
};

/// A bilateral scenario from any two utility functions over one enumerable
/// space (linear-additive, hyper-rectangle, weighted sums): every outcome is
/// evaluated once, and sessions and strategies then run on the arrays.
template <class U1, class U2>
[[nodiscard]] scenario make_scenario(const U1 &a, const U2 &b, std::string name = {}) {
  const auto &sa = a.space();
  const auto &sb = b.space();
  if (sa.issue_count() != sb.issue_count() || sa.size() != sb.size())
    throw invalid_input("scenario", "the two utility functions are over different spaces");
  return scenario(sa, a.evaluate_all(), b.evaluate_all(), a.reservation(), b.reservation(),
                  a.discount(), b.discount(), std::move(name));
}

// ---- bargaining analysis on spaces too big to enumerate --------------------------
//
// Method (documented, approximate): (1) draw `samples` outcomes uniformly
// (outcome_space::sample, reproducible from the seed) and keep their Pareto
// frontier; (2) from up to `climbs` frontier points, evenly spread along it,
// and from each party's best sample, climb by coordinate ascent on the
// scalarisation lambda u1 + (1 - lambda) u2, lambda the point's position on
// the frontier (1 for party 1's best, 0 for party 2's): each pass tries, for
// every issue, every value of a discrete issue with at most `values_per_issue`
// values, else `values_per_issue` evenly spaced values plus the neighbours of
// the current one, and keeps the best change; at most `passes` passes per
// climb. Every outcome reached joins the pool; (3) the frontier, Nash,
// Kalai-Smorodinsky and maximum-welfare points are those of the pool. The
// result is a subset of the outcomes, so every point it reports is reachable
// (utilities exact, optimality not guaranteed): `approximate` says so.

/// Options of the approximate bargaining analysis.
struct approximate_bargaining_options {
  std::size_t samples = 20000;       ///< uniform draws
  std::size_t climbs = 64;           ///< frontier points refined by coordinate ascent
  std::size_t passes = 4;            ///< coordinate-ascent passes per climb
  std::size_t values_per_issue = 64; ///< candidate values tried per issue and pass
  std::uint64_t seed = 0;
  /// Spaces with at most this many outcomes are analysed exactly (every
  /// outcome evaluated): the result then has approximate = false.
  std::uint64_t exact_limit = 1'000'000;
};

/// Result of bargaining_analysis: the frontier over `values` (row-major,
/// one row per kept outcome; front.outcomes index rows), the solutions, and
/// whether the analysis was approximate.
struct bargaining_analysis_result {
  std::vector<double> values; ///< kept outcomes x issue_count()
  std::size_t issue_count = 0;
  pareto_front front;
  bargaining_point nash, kalai_smorodinsky, max_welfare;
  bool approximate = false;    ///< true: sampled and searched, not enumerated
  std::size_t evaluations = 0; ///< outcomes evaluated (both utilities)
  std::string method;          ///< "exact enumeration" or the sampling method
};

/// Pareto frontier, Nash, Kalai-Smorodinsky and maximum-welfare points of
/// two utility functions (anything with space(), reservation() and
/// operator()(span<const double>)): exact on spaces of at most
/// opt.exact_limit outcomes, else the approximate method above.
template <class U1, class U2>
[[nodiscard]] bargaining_analysis_result
bargaining_analysis(const U1 &u1, const U2 &u2, const approximate_bargaining_options &opt = {}) {
  const auto &space = u1.space();
  if (space.issue_count() != u2.space().issue_count())
    throw invalid_input("u2", "is over a different outcome space than u1");
  const std::size_t k = space.issue_count();
  const double r1 = u1.reservation(), r2 = u2.reservation();
  bargaining_analysis_result res;
  res.issue_count = k;
  std::vector<double> a, b;
  auto finish = [&] {
    res.front = pareto_frontier(a, b);
    res.nash = nash_point(res.front, r1, r2);
    res.kalai_smorodinsky = kalai_smorodinsky_point(res.front, r1, r2);
    res.max_welfare = max_welfare_point(res.front, r1, r2);
    return res;
  };
  if (space.discrete() && space.size() > 0 && space.size() <= opt.exact_limit) {
    res.values = space.enumerate(opt.exact_limit);
    const std::size_t n = static_cast<std::size_t>(space.size());
    a.resize(n);
    b.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::span<const double> o(res.values.data() + i * k, k);
      a[i] = u1(o);
      b[i] = u2(o);
    }
    res.evaluations = n;
    res.method = "exact enumeration";
    return finish();
  }
  if (opt.samples == 0)
    throw invalid_input("samples", "must be at least 1");
  res.approximate = true;
  res.method = "uniform sample of " + std::to_string(opt.samples) + " (seed " +
               std::to_string(opt.seed) + "), coordinate ascent from " +
               std::to_string(opt.climbs) + " frontier points (" + std::to_string(opt.passes) +
               " passes, " + std::to_string(opt.values_per_issue) + " values per issue)";
  res.values = space.sample(opt.samples, opt.seed);
  a.resize(opt.samples);
  b.resize(opt.samples);
  for (std::size_t i = 0; i < opt.samples; ++i) {
    const std::span<const double> o(res.values.data() + i * k, k);
    a[i] = u1(o);
    b[i] = u2(o);
  }
  res.evaluations = opt.samples;
  const auto sample_front = pareto_frontier(a, b);
  // Starting points: evenly spread along the sample frontier (u1 falling),
  // lambda from 1 (party 1's best) to 0.
  std::vector<std::pair<std::size_t, double>> starts;
  const std::size_t fn = sample_front.size();
  const std::size_t m = std::min(opt.climbs, fn);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t pos = m == 1 ? 0 : j * (fn - 1) / (m - 1);
    const double lambda = m == 1 ? 0.5 : 1.0 - static_cast<double>(j) / static_cast<double>(m - 1);
    starts.emplace_back(static_cast<std::size_t>(sample_front.outcomes[pos]), lambda);
  }
  std::vector<double> cur(k), cand(k);
  for (const auto &[row, lambda] : starts) {
    std::copy_n(res.values.begin() + static_cast<std::ptrdiff_t>(row * k), k, cur.begin());
    double cu1 = a[row], cu2 = b[row];
    double score = lambda * cu1 + (1.0 - lambda) * cu2;
    for (std::size_t pass = 0; pass < opt.passes; ++pass) {
      bool improved = false;
      for (std::size_t i = 0; i < k; ++i) {
        const auto &is = space.issues()[i];
        std::vector<double> tries;
        const double lo = is.discrete() ? is.value_at(0) : is.lower;
        const double hi = is.discrete() ? is.value_at(is.size() - 1) : is.upper;
        if (is.discrete() && is.size() <= opt.values_per_issue) {
          for (std::uint64_t j = 0; j < is.size(); ++j)
            tries.push_back(is.value_at(j));
        } else {
          const std::size_t q = std::max<std::size_t>(2, opt.values_per_issue);
          for (std::size_t j = 0; j < q; ++j) {
            double x = lo + (hi - lo) * static_cast<double>(j) / static_cast<double>(q - 1);
            if (is.discrete())
              x = std::round(x);
            tries.push_back(x);
          }
          const double step = is.discrete() ? 1.0 : (hi - lo) / static_cast<double>(8 * q);
          for (const double d : {-step, step})
            if (cur[i] + d >= lo && cur[i] + d <= hi)
              tries.push_back(cur[i] + d);
        }
        double best = score, bx = cur[i], bu1 = cu1, bu2 = cu2;
        cand = cur;
        for (const double x : tries) {
          if (x == cur[i])
            continue;
          cand[i] = x;
          const double v1 = u1(std::span<const double>(cand)),
                       v2 = u2(std::span<const double>(cand));
          ++res.evaluations;
          const double sc = lambda * v1 + (1.0 - lambda) * v2;
          if (sc > best + 1e-15) {
            best = sc;
            bx = x;
            bu1 = v1;
            bu2 = v2;
          }
        }
        if (bx != cur[i]) {
          cur[i] = bx;
          cu1 = bu1;
          cu2 = bu2;
          score = best;
          improved = true;
          res.values.insert(res.values.end(), cur.begin(), cur.end());
          a.push_back(cu1);
          b.push_back(cu2);
        }
      }
      if (!improved)
        break;
    }
  }
  return finish();
}

// ---- sessions on spaces too big to enumerate -------------------------------------------
//
// A session needs every outcome's utility (scenario.hpp); on a space too big
// to enumerate it runs on a candidate set found by search on the utilities:
// the outcomes bargaining_analysis evaluates (the uniform sample, and every
// outcome the coordinate ascent reaches towards each party's best and along
// the frontier), without duplicates. The candidates become the values of one
// categorical issue "candidate" (labels: the issue values, '|'-separated), so
// every strategy chooses its offers by utility among them. On an enumerable
// space within exact_limit the candidates are all outcomes.

/// A scenario over candidate outcomes, and what each candidate is.
struct searched_scenario {
  scenario sc;                ///< over one issue "candidate" (ids index the rows below)
  std::vector<double> values; ///< candidates x issue_count outcome values
  std::size_t issue_count = 0;
  bool approximate = false; ///< true: a searched subset, not every outcome
  std::string method;
};

/// The candidate-set scenario of two utility functions (see above).
template <class U1, class U2>
[[nodiscard]] searched_scenario search_scenario(const U1 &a, const U2 &b,
                                                const approximate_bargaining_options &opt = {},
                                                std::string name = {}) {
  auto res = bargaining_analysis(a, b, opt);
  const std::size_t k = res.issue_count;
  const std::size_t rows = k == 0 ? 0 : res.values.size() / k;
  std::vector<std::size_t> order(rows);
  for (std::size_t i = 0; i < rows; ++i)
    order[i] = i;
  auto row_less = [&](std::size_t x, std::size_t y) {
    return std::lexicographical_compare(res.values.begin() + static_cast<std::ptrdiff_t>(x * k),
                                        res.values.begin() + static_cast<std::ptrdiff_t>(x * k + k),
                                        res.values.begin() + static_cast<std::ptrdiff_t>(y * k),
                                        res.values.begin() +
                                            static_cast<std::ptrdiff_t>(y * k + k));
  };
  std::stable_sort(order.begin(), order.end(), row_less);
  order.erase(
      std::unique(order.begin(), order.end(),
                  [&](std::size_t x, std::size_t y) { return !row_less(x, y) && !row_less(y, x); }),
      order.end());
  searched_scenario out;
  out.issue_count = k;
  out.approximate = res.approximate;
  out.method = res.method;
  const auto &space = a.space();
  std::vector<std::string> labels;
  labels.reserve(order.size());
  out.values.reserve(order.size() * k);
  Eigen::ArrayXd u1(static_cast<Eigen::Index>(order.size())),
      u2(static_cast<Eigen::Index>(order.size()));
  for (std::size_t j = 0; j < order.size(); ++j) {
    const std::span<const double> o(res.values.data() + order[j] * k, k);
    out.values.insert(out.values.end(), o.begin(), o.end());
    std::string lab;
    for (std::size_t i = 0; i < k; ++i) {
      const auto &is = space.issues()[i];
      if (i)
        lab += '|';
      if (is.discrete()) {
        lab += is.format(o[i]);
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", o[i]);
        lab += buf;
      }
    }
    labels.push_back(std::move(lab));
    u1[static_cast<Eigen::Index>(j)] = a(o);
    u2[static_cast<Eigen::Index>(j)] = b(o);
  }
  out.sc = scenario(outcome_space({issue::categorical("candidate", std::move(labels))}),
                    std::move(u1), std::move(u2), a.reservation(), b.reservation(), a.discount(),
                    b.discount(), std::move(name));
  return out;
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_NONLINEAR_HPP
