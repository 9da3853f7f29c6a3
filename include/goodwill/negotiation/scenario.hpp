// goodwill — a bilateral negotiation's scenario, and the vocabulary of a session.
//
// Design: a scenario holds a discrete outcome space and both parties'
// utilities of every outcome (Eigen arrays, indexed by outcome id), their
// reservation values and discount factors, and precomputed rankings (ids by
// utility, best first) and bargaining points. A session (session.hpp) runs two
// negotiators (negotiator.hpp, strategies.hpp) on it; the enums here say how
// they answer (response), what an offer meant (offer_tag), how a session ended
// (session_status) and which clock discounts (discount_clock).
#ifndef GOODWILL_NEGOTIATION_SCENARIO_HPP
#define GOODWILL_NEGOTIATION_SCENARIO_HPP

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goodwill {

/// What propose() returns to end the negotiation instead of offering.
inline constexpr outcome_id end_negotiation = ~outcome_id{0};

/// A negotiator's answer to an offer.
enum class response : std::uint8_t { accept = 0, reject = 1, walk_away = 2 };
template <> struct enum_traits<response> {
  static constexpr std::array<std::string_view, 3> names{"accept", "reject", "walk_away"};
};

/// What an offer meant (for traces and the ledger).
enum class offer_tag : std::uint8_t {
  none = 0,
  concession = 1,          ///< lower own utility than the previous own offer
  price_match = 2,         ///< meets or beats a disclosed rival quote
  alternative_offered = 3, ///< a different package of (near) equal own utility
  escalation = 4,          ///< holding while the decision is escalated
  competitor_quote = 5,    ///< the offer came with a rival quote disclosed
};
template <> struct enum_traits<offer_tag> {
  static constexpr std::array<std::string_view, 6> names{
      "none", "concession", "price_match", "alternative_offered", "escalation", "competitor_quote"};
};

/// How a session ended.
enum class session_status : std::uint8_t { agreement = 0, walked_away = 1, deadline = 2 };
template <> struct enum_traits<session_status> {
  static constexpr std::array<std::string_view, 3> names{"agreement", "walked_away", "deadline"};
};

/// The clock used for discounting: relative time (Genius) or offer count.
enum class discount_clock : std::uint8_t { relative = 0, offers = 1 };
template <> struct enum_traits<discount_clock> {
  static constexpr std::array<std::string_view, 2> names{"relative", "offers"};
};

/// Two parties' utilities of every outcome of a discrete space.
// '__i0' (bugprone-reserved-identifier) is the index clang gives the
// implicit copy of the array members (u_[2], ...), not a name of ours.
// NOLINTNEXTLINE(bugprone-reserved-identifier)
class scenario {
public:
  scenario() = default;

  /// From two linear-additive utility functions over the same space.
  scenario(const linear_additive_utility &a, const linear_additive_utility &b,
           std::string name = {})
      : scenario(a.space(), a.evaluate_all(), b.evaluate_all(), a.reservation(), b.reservation(),
                 a.discount(), b.discount(), std::move(name)) {
    if (a.space().size() != b.space().size() || a.space().issue_count() != b.space().issue_count())
      throw invalid_input("scenario", "the two utility functions are over different spaces");
  }

  /// From utility arrays (e.g. a custom utility evaluated once per outcome).
  scenario(outcome_space space, Eigen::ArrayXd u1, Eigen::ArrayXd u2, double r1, double r2,
           double d1 = 1.0, double d2 = 1.0, std::string name = {})
      : space_(std::move(space)), name_(std::move(name)) {
    space_.require_enumerable();
    const auto n = static_cast<Eigen::Index>(space_.size());
    if (u1.size() != n || u2.size() != n)
      throw invalid_input("utilities", "need one utility per outcome (" + std::to_string(n) + ")");
    for (Eigen::Index i = 0; i < n; ++i)
      if (!std::isfinite(u1[i]) || !std::isfinite(u2[i]))
        throw invalid_input("utilities", static_cast<std::int64_t>(i), "is not finite");
    if (!std::isfinite(r1) || !std::isfinite(r2))
      throw invalid_input("reservation", "is not finite");
    u_[0] = std::move(u1);
    u_[1] = std::move(u2);
    r_[0] = r1;
    r_[1] = r2;
    d_[0] = d1;
    d_[1] = d2;
    for (int p = 0; p < 2; ++p) {
      auto &rank = rank_[p];
      rank.resize(static_cast<std::size_t>(n));
      std::iota(rank.begin(), rank.end(), outcome_id{0});
      const auto &u = u_[p];
      std::stable_sort(rank.begin(), rank.end(), [&u](outcome_id x, outcome_id y) {
        return u[static_cast<Eigen::Index>(x)] > u[static_cast<Eigen::Index>(y)];
      });
      sorted_[p].resize(rank.size());
      for (std::size_t i = 0; i < rank.size(); ++i)
        sorted_[p][i] = u[static_cast<Eigen::Index>(rank[i])];
    }
    front_ = pareto_frontier({u_[0].data(), static_cast<std::size_t>(n)},
                             {u_[1].data(), static_cast<std::size_t>(n)});
  }

  /// Change party p's reservation value (0 or 1). Reusing a scenario this
  /// way skips the rankings and the frontier.
  void set_reservation(int p, double r) {
    if (p != 0 && p != 1)
      throw invalid_input("party", "must be 0 or 1, got " + std::to_string(p));
    if (!std::isfinite(r))
      throw invalid_input("reservation", "is not finite");
    r_[p] = r;
  }

  [[nodiscard]] const std::string &name() const noexcept { return name_; }
  [[nodiscard]] const outcome_space &space() const noexcept { return space_; }
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(u_[0].size()); }
  /// Utilities of party p (0 or 1) for every outcome.
  [[nodiscard]] const Eigen::ArrayXd &utility(int p) const noexcept { return u_[p]; }
  [[nodiscard]] double utility(int p, outcome_id o) const noexcept {
    return u_[p][static_cast<Eigen::Index>(o)];
  }
  /// Outcome ids by party p's utility, best first (ties: lower id first).
  [[nodiscard]] const std::vector<outcome_id> &ranking(int p) const noexcept { return rank_[p]; }
  /// Party p's utilities in ranking order (non-increasing).
  [[nodiscard]] const std::vector<double> &sorted_utility(int p) const noexcept {
    return sorted_[p];
  }
  [[nodiscard]] double reservation(int p) const noexcept { return r_[p]; }
  [[nodiscard]] double discount(int p) const noexcept { return d_[p]; }
  [[nodiscard]] double discount_at(int p, double tau) const noexcept {
    return (d_[p] > 0.0 && d_[p] < 1.0) ? std::pow(d_[p], tau) : 1.0;
  }
  [[nodiscard]] const pareto_front &frontier() const noexcept { return front_; }
  /// The bargaining solutions on the frontier under the current reservation
  /// values (computed on each call: a scenario whose reservations change from
  /// session to session pays for them only when asked).
  [[nodiscard]] bargaining_point nash() const { return nash_point(front_, r_[0], r_[1]); }
  [[nodiscard]] bargaining_point kalai_smorodinsky() const {
    return kalai_smorodinsky_point(front_, r_[0], r_[1]);
  }
  [[nodiscard]] bargaining_point max_welfare() const {
    return max_welfare_point(front_, r_[0], r_[1]);
  }

  /// Declare the price issue: the currency amount of each of its values
  /// (default: the integer value, or the first number in a label such as
  /// "$4.37"). Used by price-aware negotiators and by the ledger link.
  void set_price_issue(std::size_t issue_index, std::vector<double> prices = {}) {
    if (issue_index >= space_.issue_count())
      throw invalid_input("price_issue", "no issue with index " + std::to_string(issue_index));
    const auto &is = space_.issues()[issue_index];
    if (prices.empty()) {
      prices.resize(is.size());
      for (std::uint64_t j = 0; j < is.size(); ++j)
        prices[j] = is.kind == issue_kind::integer ? is.value_at(j) : parse_number(is, j);
    }
    if (prices.size() != is.size())
      throw invalid_input("prices", "need one price per value of issue '" + is.name + "'");
    for (double p : prices)
      if (!std::isfinite(p))
        throw invalid_input("prices", "a price is not finite");
    price_issue_ = issue_index;
    prices_ = std::move(prices);
  }
  [[nodiscard]] std::optional<std::size_t> price_issue() const noexcept { return price_issue_; }
  /// The price of an outcome (requires a price issue).
  [[nodiscard]] double price(outcome_id o) const noexcept {
    return prices_[space_.value_index(o, *price_issue_)];
  }

private:
  static double parse_number(const issue &is, std::uint64_t j) {
    const auto &s = is.labels[j];
    const auto b = s.find_first_of("0123456789");
    if (b == std::string::npos)
      throw invalid_input("prices", "value '" + s + "' of issue '" + is.name +
                                        "' has no number; pass prices explicitly");
    std::size_t start = b;
    if (start > 0 && s[start - 1] == '-')
      --start;
    return std::stod(s.substr(start));
  }

  outcome_space space_;
  std::string name_;
  Eigen::ArrayXd u_[2];
  std::vector<outcome_id> rank_[2];
  std::vector<double> sorted_[2];
  double r_[2] = {0.0, 0.0};
  double d_[2] = {1.0, 1.0};
  pareto_front front_;
  std::optional<std::size_t> price_issue_;
  std::vector<double> prices_;
};

namespace detail {

/// The most rounds a two-party session takes (its 2 turns a round are
/// counted in 32 bits).
inline constexpr std::uint32_t max_rounds = 0x7fffffffU;

/// The checks every session's options share: 1 to max_rounds rounds, and
/// the opening party 0 or 1.
inline void check_rounds_and_first(std::uint32_t rounds, int first) {
  if (rounds == 0)
    throw invalid_input("rounds", "must be at least 1");
  if (rounds > max_rounds)
    throw invalid_input("rounds", "must be at most 2^31 - 1 (turns are counted in 32 bits)");
  if (first != 0 && first != 1)
    throw invalid_input("first", "must be 0 or 1, got " + std::to_string(first));
}

/// A party's private terms: its own deadline as a share of the rounds in
/// (0, 1], and a reservation value that is not infinite (NaN: the default).
inline void check_private_terms(std::size_t party, double own_time, double reservation) {
  if (!(own_time > 0.0 && own_time <= 1.0))
    throw invalid_input("own_time", static_cast<std::int64_t>(party),
                        "must be in (0, 1], got " + std::to_string(own_time));
  if (std::isinf(reservation))
    throw invalid_input("reservation", static_cast<std::int64_t>(party), "is infinite");
}

/// A party's own deadline in rounds, in [1, rounds]: the earlier of
/// `own_rounds` (0: none) and `own_time` x rounds rounded up.
[[nodiscard]] inline std::uint32_t party_rounds(std::uint32_t rounds, std::uint32_t own_rounds,
                                                double own_time) {
  const std::uint32_t r = own_rounds == 0 ? rounds : std::min(rounds, own_rounds);
  const auto by_time =
      static_cast<std::uint32_t>(std::ceil(own_time * static_cast<double>(rounds) - 1e-9));
  return std::max<std::uint32_t>(1, std::min(r, by_time));
}

} // namespace detail

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_SCENARIO_HPP
