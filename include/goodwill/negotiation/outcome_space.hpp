// goodwill — outcome spaces: the issues a negotiation is about.
//
// Design: an issue is categorical (unordered labels), ordinal (ordered
// labels), integer (lower..upper) or continuous ([lower, upper]). An outcome
// is one value per issue. It is held as a vector of doubles, one per issue:
// the value index for categorical and ordinal issues, the integer itself for
// integer issues and the real value for continuous ones. When every issue is
// discrete (not continuous) the space is finite and each outcome also has a
// compact id, a mixed-radix number with the last issue varying fastest (the
// order of itertools.product / NegMAS enumeration): id = sum_i k_i * stride_i
// with k_i the zero-based value index. Negotiations run on ids, so a round
// touches integers and precomputed utility arrays only.
//
// Cardinality is computed without enumerating: a product of issue sizes,
// returned as a double (exact up to 2^53, +inf when any issue is continuous).
// Sampling uses the counter-based streams of detail/random.hpp keyed by
// (seed, sample row), so a sample does not depend on how it is split.
#ifndef GOODWILL_NEGOTIATION_OUTCOME_SPACE_HPP
#define GOODWILL_NEGOTIATION_OUTCOME_SPACE_HPP

#include <goodwill/detail/random.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace goodwill {

/// Compact id of an outcome of a discrete outcome space.
using outcome_id = std::uint64_t;

/// The most outcomes goodwill enumerates (outcome tables, utility arrays,
/// scenarios). Larger spaces are refused up front, before anything is
/// allocated, with their cardinality; they can still be sampled.
inline constexpr std::uint64_t max_enumerated_outcomes = 50'000'000;

/// The kind of an issue.
enum class issue_kind : std::uint8_t {
  categorical = 0, ///< unordered labels
  ordinal = 1,     ///< ordered labels (first is lowest)
  integer = 2,     ///< integers lower..upper inclusive
  continuous = 3,  ///< reals in [lower, upper]
};
template <> struct enum_traits<issue_kind> {
  static constexpr std::array<std::string_view, 4> names{"categorical", "ordinal", "integer",
                                                         "continuous"};
};

/// One negotiable issue (price, scope, service level, timing, terms).
struct issue {
  std::string name;
  issue_kind kind = issue_kind::categorical;
  std::vector<std::string> labels; ///< categorical and ordinal issues
  double lower = 0.0;              ///< integer and continuous issues
  double upper = 0.0;

  /// An unordered issue with these labels.
  static issue categorical(std::string name, std::vector<std::string> labels) {
    return labelled(std::move(name), issue_kind::categorical, std::move(labels));
  }
  /// An ordered issue with these labels, lowest first.
  static issue ordinal(std::string name, std::vector<std::string> labels) {
    return labelled(std::move(name), issue_kind::ordinal, std::move(labels));
  }
  /// The integers lower..upper (inclusive).
  static issue integer(std::string name, std::int64_t lower, std::int64_t upper) {
    if (upper < lower)
      throw invalid_input(name, "integer issue with upper bound below lower bound");
    if (upper - lower >= (std::int64_t{1} << 40))
      throw invalid_input(name, "integer issue with more than 2^40 values");
    issue i;
    i.name = std::move(name);
    i.kind = issue_kind::integer;
    i.lower = static_cast<double>(lower);
    i.upper = static_cast<double>(upper);
    return i;
  }
  /// The reals in [lower, upper].
  static issue continuous(std::string name, double lower, double upper) {
    if (!std::isfinite(lower) || !std::isfinite(upper) || upper < lower)
      throw invalid_input(name, "continuous issue needs finite bounds with lower <= upper");
    issue i;
    i.name = std::move(name);
    i.kind = issue_kind::continuous;
    i.lower = lower;
    i.upper = upper;
    return i;
  }

  /// Whether the issue has finitely many values.
  [[nodiscard]] bool discrete() const noexcept { return kind != issue_kind::continuous; }

  /// Number of values (0 for a continuous issue).
  [[nodiscard]] std::uint64_t size() const noexcept {
    switch (kind) {
    case issue_kind::categorical:
    case issue_kind::ordinal:
      return labels.size();
    case issue_kind::integer:
      return static_cast<std::uint64_t>(upper - lower) + 1;
    case issue_kind::continuous:
      return 0;
    }
    return 0;
  }

  /// The outcome value (see the header note) of the value with index k.
  [[nodiscard]] double value_at(std::uint64_t k) const noexcept {
    return kind == issue_kind::integer ? lower + static_cast<double>(k) : static_cast<double>(k);
  }

  /// The value index of an outcome value of a discrete issue.
  [[nodiscard]] std::uint64_t index_of(double value) const {
    const double k = kind == issue_kind::integer ? value - lower : value;
    if (!(k >= 0.0) || k != std::floor(k) || k >= static_cast<double>(size()))
      throw invalid_input(name, "value " + std::to_string(value) + " is not a value of the issue");
    return static_cast<std::uint64_t>(k);
  }

  /// A readable rendering of an outcome value.
  [[nodiscard]] std::string format(double value) const {
    if (kind == issue_kind::categorical || kind == issue_kind::ordinal)
      return labels[index_of(value)];
    if (kind == issue_kind::integer)
      return std::to_string(static_cast<std::int64_t>(value));
    return std::to_string(value);
  }

private:
  static issue labelled(std::string name, issue_kind kind, std::vector<std::string> labels) {
    if (labels.empty())
      throw invalid_input(name, "an issue needs at least one value");
    issue i;
    i.name = std::move(name);
    i.kind = kind;
    i.labels = std::move(labels);
    return i;
  }
};

/// The issues of a negotiation and the outcomes they span.
class outcome_space {
public:
  outcome_space() = default;

  /// A space over these issues (at least one).
  explicit outcome_space(std::vector<issue> issues) : issues_(std::move(issues)) {
    if (issues_.empty())
      throw invalid_input("issues", "an outcome space needs at least one issue");
    strides_.assign(issues_.size(), 0);
    double card = 1.0;
    bool fits = true;
    std::uint64_t stride = 1;
    for (std::size_t i = issues_.size(); i-- > 0;) {
      const auto &is = issues_[i];
      if (is.name.empty())
        throw invalid_input("issues", static_cast<std::int64_t>(i), "an issue needs a name");
      if (!is.discrete()) {
        card = std::numeric_limits<double>::infinity();
        fits = false;
        continue;
      }
      card *= static_cast<double>(is.size());
      strides_[i] = stride;
      if (fits && stride > std::numeric_limits<std::uint64_t>::max() / is.size())
        fits = false;
      else if (fits)
        stride *= is.size();
    }
    cardinality_ = card;
    size_ = fits ? stride : 0;
    // Small spaces keep every outcome's value indices: value_index is then a
    // load, not two 64-bit divisions (negotiators call it in their inner loops).
    const std::size_t k = issues_.size();
    if (size_ > 0 && size_ <= small_table / k) {
      digits_.resize(static_cast<std::size_t>(size_) * k);
      for (std::uint64_t id = 0; id < size_; ++id)
        for (std::size_t i = 0; i < k; ++i)
          digits_[static_cast<std::size_t>(id) * k + i] =
              static_cast<std::uint32_t>((id / strides_[i]) % issues_[i].size());
    }
  }

  [[nodiscard]] const std::vector<issue> &issues() const noexcept { return issues_; }
  [[nodiscard]] std::size_t issue_count() const noexcept { return issues_.size(); }

  /// Whether every issue is discrete.
  [[nodiscard]] bool discrete() const noexcept { return !std::isinf(cardinality_); }

  /// Number of outcomes without enumerating them: +inf with a continuous
  /// issue; exact while below 2^53.
  [[nodiscard]] double cardinality() const noexcept { return cardinality_; }

  /// Number of outcomes as an integer, or 0 if infinite or above 2^64.
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

  /// Mixed-radix stride of issue i (last issue fastest).
  [[nodiscard]] std::uint64_t stride(std::size_t i) const noexcept { return strides_[i]; }

  /// Value index of issue i in the outcome with this id.
  [[nodiscard]] std::uint64_t value_index(outcome_id id, std::size_t i) const noexcept {
    if (!digits_.empty())
      return digits_[static_cast<std::size_t>(id) * issues_.size() + i];
    return (id / strides_[i]) % issues_[i].size();
  }

  /// The outcome values of an id (out has issue_count() entries).
  void decode(outcome_id id, std::span<double> out) const {
    require_enumerable();
    if (id >= size_)
      throw invalid_input("outcome", "id " + std::to_string(id) + " is outside the space");
    for (std::size_t i = 0; i < issues_.size(); ++i)
      out[i] = issues_[i].value_at(value_index(id, i));
  }

  /// The outcome values of an id.
  [[nodiscard]] std::vector<double> decode(outcome_id id) const {
    std::vector<double> v(issues_.size());
    decode(id, v);
    return v;
  }

  /// The id of an outcome given as values (discrete spaces).
  [[nodiscard]] outcome_id encode(std::span<const double> values) const {
    require_enumerable();
    if (values.size() != issues_.size())
      throw invalid_input("outcome", "has " + std::to_string(values.size()) + " values for " +
                                         std::to_string(issues_.size()) + " issues");
    outcome_id id = 0;
    for (std::size_t i = 0; i < issues_.size(); ++i)
      id += issues_[i].index_of(values[i]) * strides_[i];
    return id;
  }

  /// All outcomes as a row-major matrix of values (size() x issue_count()).
  [[nodiscard]] std::vector<double> enumerate(std::uint64_t limit = max_enumerated_outcomes) const {
    require_enumerable();
    if (size_ > limit)
      throw invalid_input("outcome space", "has " + std::to_string(size_) +
                                               " outcomes, more than the enumeration limit " +
                                               std::to_string(limit));
    const std::size_t k = issues_.size();
    std::vector<double> out(static_cast<std::size_t>(size_) * k);
    for (outcome_id id = 0; id < size_; ++id)
      for (std::size_t i = 0; i < k; ++i)
        out[static_cast<std::size_t>(id) * k + i] = issues_[i].value_at(value_index(id, i));
    return out;
  }

  /// The most values (samples x issues) sample() and sample_ids() return
  /// (400 MB of doubles); a larger request is refused up front.
  static constexpr std::uint64_t max_sample_values = 50'000'000;

  /// Throws invalid_input naming `n` if a sample of n is above the limit.
  void check_sample_size(std::size_t n) const {
    const std::uint64_t k = std::max<std::uint64_t>(1, issues_.size());
    if (n > max_sample_values / k)
      throw invalid_input("n", "a sample of " + std::to_string(n) + " outcomes x " +
                                   std::to_string(k) + " issues is more than the limit of " +
                                   std::to_string(max_sample_values) + " values");
  }

  /// n outcomes drawn uniformly and independently, row-major values
  /// (n x issue_count()); row r depends only on (seed, r).
  [[nodiscard]] std::vector<double> sample(std::size_t n, std::uint64_t seed) const {
    check_sample_size(n);
    const std::size_t k = issues_.size();
    std::vector<double> out(n * k);
    for (std::size_t r = 0; r < n; ++r) {
      detail::counter_stream s(seed, r, 0x6f7574636f6d65ULL); // "outcome"
      for (std::size_t i = 0; i < k; ++i) {
        const auto &is = issues_[i];
        double v;
        if (is.discrete()) {
          // Lemire-free unbiased enough: 53-bit uniform times size, floor.
          const auto m = is.size();
          auto j = static_cast<std::uint64_t>(detail::u01(s) * static_cast<double>(m));
          if (j >= m)
            j = m - 1;
          v = is.value_at(j);
        } else {
          v = detail::uniform(s, is.lower, is.upper);
        }
        out[r * k + i] = v;
      }
    }
    return out;
  }

  /// n outcome ids drawn uniformly (discrete spaces); id r depends only on
  /// (seed, r).
  [[nodiscard]] std::vector<outcome_id> sample_ids(std::size_t n, std::uint64_t seed) const {
    require_enumerable();
    check_sample_size(n);
    std::vector<outcome_id> out(n);
    for (std::size_t r = 0; r < n; ++r) {
      detail::counter_stream s(seed, r, 0x6f7574636f6d65ULL);
      outcome_id id = 0;
      for (std::size_t i = 0; i < issues_.size(); ++i) {
        const auto m = issues_[i].size();
        auto j = static_cast<std::uint64_t>(detail::u01(s) * static_cast<double>(m));
        if (j >= m)
          j = m - 1;
        id += j * strides_[i];
      }
      out[r] = id;
    }
    return out;
  }

  /// A discrete copy: each continuous issue becomes an ordinal issue of
  /// `levels` evenly spaced points, labelled by their values.
  [[nodiscard]] outcome_space discretized(std::size_t levels) const {
    if (levels < 2)
      throw invalid_input("levels", "must be at least 2");
    std::vector<issue> out;
    for (const auto &is : issues_) {
      if (is.discrete()) {
        out.push_back(is);
        continue;
      }
      std::vector<std::string> labels(levels);
      for (std::size_t j = 0; j < levels; ++j)
        labels[j] = std::to_string(is.lower + (is.upper - is.lower) * static_cast<double>(j) /
                                                  static_cast<double>(levels - 1));
      out.push_back(issue::ordinal(is.name, std::move(labels)));
    }
    return outcome_space(std::move(out));
  }

  /// Index of the issue with this name.
  [[nodiscard]] std::size_t issue_index(const std::string &name) const {
    for (std::size_t i = 0; i < issues_.size(); ++i)
      if (issues_[i].name == name)
        return i;
    throw invalid_input("issue", "no issue named '" + name + "'");
  }

  /// Throws, naming the cardinality, unless the space has at most `limit`
  /// outcomes (called before allocating anything per outcome).
  void require_enumerable_within(std::uint64_t limit, const char *what) const {
    require_enumerable();
    if (size_ > limit) {
      char card[32];
      std::snprintf(card, sizeof card, "%.6g", cardinality_);
      throw invalid_input("outcome space",
                          "has " + std::to_string(size_) + " (" + card + ") outcomes, more than " +
                              std::to_string(limit) + " that " + what +
                              " enumerates; sample it (sample, sample_ids) instead");
    }
  }

  /// Throws unless the space is discrete and small enough for ids.
  void require_enumerable() const {
    if (!discrete())
      throw invalid_input("outcome space", "has a continuous issue; discretize() it first");
    if (size_ == 0) {
      char card[32];
      std::snprintf(card, sizeof card, "%.6g", cardinality_);
      throw invalid_input("outcome space", std::string("has ") + card +
                                               " outcomes, more than 2^64: too many for ids");
    }
  }

private:
  /// Spaces with at most this many (outcome, issue) pairs keep a table of
  /// value indices (4 bytes each: at most 256 KiB).
  static constexpr std::size_t small_table = std::size_t{1} << 16;

  std::vector<issue> issues_;
  std::vector<std::uint64_t> strides_;
  std::vector<std::uint32_t> digits_;
  double cardinality_ = 0.0;
  std::uint64_t size_ = 0;
};

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_OUTCOME_SPACE_HPP
