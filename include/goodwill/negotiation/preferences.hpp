// goodwill — preferences over outcomes: linear-additive utility functions.
//
// Design: u(o) = sum_i w_i * v_i(o_i). For a discrete issue v_i is a table of
// per-value evaluations (an integer issue's table may come from a linear
// evaluator); for a continuous issue v_i is linear, offset + slope * (x -
// lower), clamped to [0, 1] as Genius does. A utility function also carries
// the party's reservation value (what walking away is worth) and a discount
// factor d: with time t the discounted utility is u * d^t, t being relative
// time in [0, 1] as in Genius (or another unit the negotiation chooses). A
// factor outside (0, 1] means "no discounting" (Genius stores 0 for that).
// An optional cap bounds the sum from above: Genius's
// AdditiveUtilitySpace.getUtility returns 1 for any sum above 1, so Genius
// profiles carry cap 1 (none by default: +inf).
//
// Over a discrete space every outcome's utility is computed at once into an
// Eigen array by the mixed-radix layout of outcome_space: issue i contributes
// its table repeated in blocks of stride_i, so the whole array costs one pass
// per issue and no per-outcome decoding.
#ifndef GOODWILL_NEGOTIATION_PREFERENCES_HPP
#define GOODWILL_NEGOTIATION_PREFERENCES_HPP

#include <goodwill/error.hpp>
#include <goodwill/negotiation/outcome_space.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace goodwill {

/// offset + slope * (x - lower), optionally clamped to [0, 1].
struct linear_evaluator {
  double slope = 0.0;
  double offset = 0.0;
  bool clamp = true;

  [[nodiscard]] double operator()(double x, double lower) const noexcept {
    const double v = offset + slope * (x - lower);
    return clamp ? std::clamp(v, 0.0, 1.0) : v;
  }
};

/// How one issue is valued: a table over value indices or a linear evaluator.
struct issue_evaluator {
  std::vector<double> table;              ///< discrete issues
  std::optional<linear_evaluator> linear; ///< numeric issues (fills the table of integer issues)
};

/// A linear-additive utility function with reservation value and discount.
class linear_additive_utility {
public:
  linear_additive_utility() = default;

  /// Weights and evaluators, one per issue of `space`. Integer issues with a
  /// linear evaluator get their table filled from it.
  linear_additive_utility(outcome_space space, std::vector<double> weights,
                          std::vector<issue_evaluator> evaluators, double reservation = 0.0,
                          double discount = 1.0)
      : space_(std::move(space)), weights_(std::move(weights)), evals_(std::move(evaluators)),
        reservation_(reservation), discount_(discount) {
    const auto k = space_.issue_count();
    if (weights_.size() != k)
      throw invalid_input("weights", "has " + std::to_string(weights_.size()) + " entries for " +
                                         std::to_string(k) + " issues");
    if (evals_.size() != k)
      throw invalid_input("evaluators", "has " + std::to_string(evals_.size()) + " entries for " +
                                            std::to_string(k) + " issues");
    for (std::size_t i = 0; i < k; ++i) {
      const auto &is = space_.issues()[i];
      auto &e = evals_[i];
      if (!std::isfinite(weights_[i]))
        throw invalid_input("weights", static_cast<std::int64_t>(i), "is not finite");
      if (is.kind == issue_kind::integer && e.linear && e.table.empty()) {
        e.table.resize(is.size());
        for (std::uint64_t j = 0; j < is.size(); ++j)
          e.table[j] = (*e.linear)(is.value_at(j), is.lower);
      }
      if (is.discrete()) {
        if (e.table.size() != is.size())
          throw invalid_input("evaluators", static_cast<std::int64_t>(i),
                              "issue '" + is.name + "' has " + std::to_string(is.size()) +
                                  " values but " + std::to_string(e.table.size()) + " evaluations");
        for (double v : e.table)
          if (!std::isfinite(v))
            throw invalid_input("evaluators", static_cast<std::int64_t>(i),
                                "issue '" + is.name + "' has a non-finite evaluation");
      } else if (!e.linear) {
        throw invalid_input("evaluators", static_cast<std::int64_t>(i),
                            "continuous issue '" + is.name + "' needs a linear evaluator");
      }
    }
    if (!std::isfinite(reservation_))
      throw invalid_input("reservation", "is not finite");
    if (!std::isfinite(discount_))
      throw invalid_input("discount", "is not finite");
  }

  /// A utility from per-issue tables only (every issue discrete).
  static linear_additive_utility from_tables(outcome_space space, std::vector<double> weights,
                                             std::vector<std::vector<double>> tables,
                                             double reservation = 0.0, double discount = 1.0) {
    std::vector<issue_evaluator> ev(tables.size());
    for (std::size_t i = 0; i < tables.size(); ++i)
      ev[i].table = std::move(tables[i]);
    return {std::move(space), std::move(weights), std::move(ev), reservation, discount};
  }

  [[nodiscard]] const outcome_space &space() const noexcept { return space_; }
  [[nodiscard]] const std::vector<double> &weights() const noexcept { return weights_; }
  [[nodiscard]] const std::vector<issue_evaluator> &evaluators() const noexcept { return evals_; }
  /// Utility of walking away (no agreement).
  [[nodiscard]] double reservation() const noexcept { return reservation_; }
  /// The discount factor d (1: none).
  [[nodiscard]] double discount() const noexcept { return discount_; }
  void set_reservation(double r) {
    if (!std::isfinite(r))
      throw invalid_input("reservation", "is not finite");
    reservation_ = r;
  }
  void set_discount(double d) {
    if (!std::isfinite(d))
      throw invalid_input("discount", "is not finite");
    discount_ = d;
  }

  /// The cap on the utility: u = min(sum, cap); +inf for none.
  [[nodiscard]] double cap() const noexcept { return cap_; }
  void set_cap(double c) {
    if (std::isnan(c))
      throw invalid_input("cap", "is NaN");
    cap_ = c;
  }

  /// d^t, or 1 when d is outside (0, 1) (Genius: no discounting).
  [[nodiscard]] double discount_at(double t) const noexcept {
    return (discount_ > 0.0 && discount_ < 1.0) ? std::pow(discount_, t) : 1.0;
  }

  /// u(o) * d^t.
  [[nodiscard]] double discounted(double u, double t) const noexcept { return u * discount_at(t); }

  /// Utility of an outcome given as values.
  [[nodiscard]] double operator()(std::span<const double> values) const {
    if (values.size() != weights_.size())
      throw invalid_input("outcome", "has the wrong number of values");
    double u = 0.0;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      const auto &is = space_.issues()[i];
      const double v = is.discrete() ? evals_[i].table[is.index_of(values[i])]
                                     : (*evals_[i].linear)(values[i], is.lower);
      u += weights_[i] * v;
    }
    return std::min(u, cap_);
  }

  /// Utility of an outcome id (discrete spaces).
  [[nodiscard]] double operator()(outcome_id id) const noexcept {
    double u = 0.0;
    for (std::size_t i = 0; i < weights_.size(); ++i)
      u += weights_[i] * evals_[i].table[space_.value_index(id, i)];
    return std::min(u, cap_);
  }

  /// Utilities of every outcome, indexed by id (discrete spaces).
  [[nodiscard]] Eigen::ArrayXd evaluate_all() const {
    space_.require_enumerable_within(max_enumerated_outcomes, "evaluate_all");
    const auto n = static_cast<Eigen::Index>(space_.size());
    Eigen::ArrayXd u = Eigen::ArrayXd::Zero(n);
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      const auto stride = static_cast<Eigen::Index>(space_.stride(i));
      const auto m = static_cast<Eigen::Index>(space_.issues()[i].size());
      const double w = weights_[i];
      const auto &t = evals_[i].table;
      const Eigen::Index period = stride * m;
      for (Eigen::Index base = 0; base < n; base += period)
        for (Eigen::Index j = 0; j < m; ++j)
          u.segment(base + j * stride, stride) += w * t[static_cast<std::size_t>(j)];
    }
    if (cap_ < std::numeric_limits<double>::infinity())
      u = u.min(cap_);
    return u;
  }

  /// The same preferences over space().discretized(levels): each continuous
  /// issue becomes `levels` evenly spaced values whose evaluations come
  /// from its linear evaluator (so a negotiation can run on it).
  [[nodiscard]] linear_additive_utility discretized(std::size_t levels) const {
    auto space = space_.discretized(levels);
    auto ev = evals_;
    for (std::size_t i = 0; i < ev.size(); ++i) {
      const auto &is = space_.issues()[i];
      if (is.discrete())
        continue;
      ev[i].table.resize(levels);
      for (std::size_t j = 0; j < levels; ++j)
        ev[i].table[j] = (*ev[i].linear)(is.lower + (is.upper - is.lower) * static_cast<double>(j) /
                                                        static_cast<double>(levels - 1),
                                         is.lower);
      ev[i].linear.reset();
    }
    linear_additive_utility out{std::move(space), weights_, std::move(ev), reservation_, discount_};
    out.cap_ = cap_;
    return out;
  }

  /// The largest and smallest utility over the space (discrete or not).
  [[nodiscard]] std::pair<double, double> range() const {
    double lo = 0.0, hi = 0.0;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      const auto &is = space_.issues()[i];
      double a, b;
      if (is.discrete()) {
        const auto [mn, mx] = std::minmax_element(evals_[i].table.begin(), evals_[i].table.end());
        a = *mn;
        b = *mx;
      } else {
        const double x = (*evals_[i].linear)(is.lower, is.lower);
        const double y = (*evals_[i].linear)(is.upper, is.lower);
        a = std::min(x, y);
        b = std::max(x, y);
      }
      lo += std::min(weights_[i] * a, weights_[i] * b);
      hi += std::max(weights_[i] * a, weights_[i] * b);
    }
    return {std::min(lo, cap_), std::min(hi, cap_)};
  }

private:
  outcome_space space_;
  std::vector<double> weights_;
  std::vector<issue_evaluator> evals_;
  double reservation_ = 0.0;
  double discount_ = 1.0;
  double cap_ = std::numeric_limits<double>::infinity();
};

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_PREFERENCES_HPP
