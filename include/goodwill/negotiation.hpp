// goodwill — bilateral alternating-offers negotiation (SAO) and strategies.
//
// Design: a scenario holds a discrete outcome space and both parties'
// utilities of every outcome (Eigen arrays, indexed by outcome id), their
// reservation values and discount factors, and precomputed rankings (ids by
// utility, best first) and bargaining points. A session runs two negotiators
// on it. Turn k (k = 0, 1, ...) belongs to party (first + k) mod 2: it first
// responds to the standing offer (accept, reject, walk away), then, if it
// rejected, proposes. A round is two turns (each party proposes once), so a
// deadline of R rounds allows 2R offers; the party owning turn 2R only
// responds. Relative time is t = k / (2R - 1) (0 at the first offer, 1 at the
// last), or elapsed / limit when a wall-clock limit is given (not
// reproducible). Discounting uses u * d^tau with tau = t (Genius) or tau = k
// (offers, for Rubinstein games). An agreement is discounted at the time of
// the accepted offer. The trace records every offer with round, proposer,
// outcome, both (undiscounted) utilities, time and a tag saying what the
// offer meant (concession, price match, alternative package, escalation).
//
// Private deadlines and reservations (a sales negotiation's end-of-quarter
// pressure): each party may have its own deadline, in rounds or as a share
// of the session's rounds, and its own reservation value, neither told to
// the other. A negotiator's setup carries only its own deadline and
// reservation, and its turn's relative time t runs from 0 to 1 over its own
// deadline; the session ends at the earlier deadline (that party leaves:
// status deadline, deadline_party says who). Discounting keeps the session's
// clock. Without agreement each party gets its own (private) reservation.
//
// Negotiators implement a small virtual interface (start, respond, propose,
// clone); everything they need per turn is precomputed in start(), so a
// round allocates nothing. Built in: time-dependent concession
// f(t) = k + (1 - k) t^(1/e) (Boulware e < 1, linear e = 1, conceder e > 1,
// hard-liner e = 0) with target utility u_min + (u_max - u_min)(1 - f(t));
// tit-for-tat; acceptance conditions AC_next, AC_const, AC_time, AC_combi
// (Baarslag et al. 2014); a frequency opponent model (value counts per
// issue, issue weights from how rarely the opponent changes the value); a
// subgame-perfect negotiator by backward induction (complete information);
// and the behaviours of the relationship-selling essays: a competitor
// price-matcher, an alternatives offerer (logrolling), an authority-limited
// seller and a win-lose buyer. No built-in negotiator accepts or proposes an
// outcome below its own reservation value.
#ifndef GOODWILL_NEGOTIATION_HPP
#define GOODWILL_NEGOTIATION_HPP

#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace goodwill {

/// What propose() returns to end the negotiation instead of offering.
inline constexpr outcome_id end_negotiation = ~outcome_id{0};

/// A negotiator's answer to an offer.
enum class response : std::uint8_t { accept = 0, reject = 1, walk_away = 2 };

/// What an offer meant (for traces and the ledger).
enum class offer_tag : std::uint8_t {
  none = 0,
  concession = 1,          ///< lower own utility than the previous own offer
  price_match = 2,         ///< meets or beats a disclosed rival quote
  alternative_offered = 3, ///< a different package of (near) equal own utility
  escalation = 4,          ///< holding while the decision is escalated
  competitor_quote = 5,    ///< the offer came with a rival quote disclosed
};

/// How a session ended.
enum class session_status : std::uint8_t { agreement = 0, walked_away = 1, deadline = 2 };

/// The clock used for discounting: relative time (Genius) or offer count.
enum class discount_clock : std::uint8_t { relative = 0, offers = 1 };

/// Two parties' utilities of every outcome of a discrete space.
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

/// What a negotiator is told when a session starts.
struct negotiator_setup {
  const scenario *sc = nullptr;
  int me = 0;                 ///< 0: first utility function, 1: second
  std::uint32_t rounds = 100; ///< this negotiator's own deadline in rounds
  discount_clock clock = discount_clock::relative;
  std::uint64_t seed = 0;            ///< for randomised negotiators
  bool complete_information = false; ///< may read the opponent's utilities
  int first = 0;                     ///< the party that opens
  /// This negotiator's private reservation value (NaN: the scenario's).
  double own_reservation = std::numeric_limits<double>::quiet_NaN();

  [[nodiscard]] const Eigen::ArrayXd &utility() const noexcept { return sc->utility(me); }
  [[nodiscard]] double u(outcome_id o) const noexcept { return sc->utility(me, o); }
  [[nodiscard]] double reservation() const noexcept {
    return std::isnan(own_reservation) ? sc->reservation(me) : own_reservation;
  }
};

/// The state of the session at a negotiator's turn.
struct turn_state {
  std::uint32_t round = 0; ///< 0-based round
  std::uint32_t turn = 0;  ///< offers made so far
  double t = 0.0;          ///< relative time in [0, 1] of this negotiator's own deadline
  double tau = 0.0;        ///< the discounting clock (t or the turn)
  bool has_opponent_offer = false;
  outcome_id opponent_offer = 0; ///< the standing offer (when has_opponent_offer)
  bool rival_disclosed = false;  ///< a rival quote was cited to us
  double rival_price = 0.0;      ///< the rival's price, when disclosed
};

/// A bilateral negotiation strategy (pluggable: derive and implement).
class negotiator {
public:
  virtual ~negotiator() = default;
  /// Called once before the first turn; precompute here.
  virtual void start(const negotiator_setup &setup) = 0;
  /// Answer the standing offer.
  virtual response respond(const turn_state &s, outcome_id offer) = 0;
  /// Make an offer (called after respond() returned reject, or to open), or
  /// return end_negotiation to walk away.
  virtual outcome_id propose(const turn_state &s) = 0;
  /// A fresh copy with the same parameters (for batch runs).
  [[nodiscard]] virtual std::unique_ptr<negotiator> clone() const = 0;
  /// A short name ("boulware(e=0.2)").
  [[nodiscard]] virtual std::string name() const = 0;
  /// What the last proposal meant (default: inferred by the session).
  [[nodiscard]] virtual offer_tag last_tag() const noexcept { return offer_tag::none; }
  /// A rival quote this negotiator cites to the other side, if it shops.
  [[nodiscard]] virtual std::optional<double> rival_quote() const noexcept { return std::nullopt; }
  /// A utility cost the negotiator bears on agreement (e.g. credibility).
  [[nodiscard]] virtual double penalty() const noexcept { return 0.0; }
};

// ---- acceptance conditions and opponent model ---------------------------------

/// Acceptance conditions (Baarslag, Hindriks & Jonker 2014). Every one also
/// requires the offer to be at least the reservation value.
struct acceptance {
  enum class kind : std::uint8_t { next = 0, constant = 1, time = 2, combi = 3 } which = kind::next;
  double alpha = 1.0; ///< AC_next: alpha * u(offer) + beta >= u(my next offer)
  double beta = 0.0;
  double c = 1.0;  ///< AC_const: u(offer) >= c
  double T = 0.99; ///< AC_time / AC_combi: t >= T

  static acceptance ac_next(double a = 1.0, double b = 0.0) {
    return {kind::next, a, b, 1.0, 0.99};
  }
  static acceptance ac_const(double c) { return {kind::constant, 1.0, 0.0, c, 0.99}; }
  static acceptance ac_time(double T) { return {kind::time, 1.0, 0.0, 1.0, T}; }
  /// AC_next, or after time T any offer at least as good as the best received.
  static acceptance ac_combi(double T) { return {kind::combi, 1.0, 0.0, 1.0, T}; }

  [[nodiscard]] bool operator()(double u_offer, double u_next, double t, double best_received,
                                double reservation) const noexcept {
    if (u_offer < reservation)
      return false;
    switch (which) {
    case kind::next:
      return alpha * u_offer + beta >= u_next;
    case kind::constant:
      return u_offer >= c;
    case kind::time:
      return t >= T;
    case kind::combi:
      return u_offer >= u_next || (t >= T && u_offer >= best_received);
    }
    return false;
  }
  [[nodiscard]] std::string describe() const {
    switch (which) {
    case kind::next:
      return "AC_next";
    case kind::constant:
      return "AC_const(" + std::to_string(c) + ")";
    case kind::time:
      return "AC_time(" + std::to_string(T) + ")";
    case kind::combi:
      return "AC_combi(" + std::to_string(T) + ")";
    }
    return "?";
  }
};

/// Frequency opponent model: counts how often the opponent offered each
/// value of each issue; estimated utility = sum_i w_i * count_i(v) / max_i,
/// issue weights growing (by `learning`) each time an issue keeps its value
/// between consecutive offers (as in the HardHeaded agent), normalised.
class frequency_model {
public:
  void start(const outcome_space &space, double learning = 0.1) {
    space_ = &space;
    learning_ = learning;
    const auto k = space.issue_count();
    offset_.assign(k + 1, 0);
    for (std::size_t i = 0; i < k; ++i)
      offset_[i + 1] = offset_[i] + static_cast<std::size_t>(space.issues()[i].size());
    counts_.assign(offset_[k], 0.0);
    maxc_.assign(k, 0.0);
    w_.assign(k, 1.0 / static_cast<double>(k));
    have_last_ = false;
    offers_ = 0;
  }
  /// Record an opponent offer.
  void update(outcome_id o) noexcept {
    const auto k = w_.size();
    if (have_last_) {
      double total = 0.0;
      for (std::size_t i = 0; i < k; ++i) {
        if (space_->value_index(o, i) == space_->value_index(last_, i))
          w_[i] += learning_;
        total += w_[i];
      }
      for (auto &w : w_)
        w /= total;
    }
    for (std::size_t i = 0; i < k; ++i) {
      auto &c = counts_[offset_[i] + space_->value_index(o, i)];
      c += 1.0;
      maxc_[i] = std::max(maxc_[i], c);
    }
    last_ = o;
    have_last_ = true;
    ++offers_;
  }
  /// Estimated opponent utility of an outcome, in [0, 1].
  [[nodiscard]] double operator()(outcome_id o) const noexcept {
    if (offers_ == 0)
      return 0.0;
    double u = 0.0;
    for (std::size_t i = 0; i < w_.size(); ++i)
      u += w_[i] * counts_[offset_[i] + space_->value_index(o, i)] / maxc_[i];
    return u;
  }
  [[nodiscard]] std::size_t offers_seen() const noexcept { return offers_; }
  [[nodiscard]] const std::vector<double> &issue_weights() const noexcept { return w_; }

private:
  const outcome_space *space_ = nullptr;
  std::vector<std::size_t> offset_;
  std::vector<double> counts_, maxc_, w_;
  double learning_ = 0.1;
  outcome_id last_ = 0;
  bool have_last_ = false;
  std::size_t offers_ = 0;
};

// ---- a common base: aspiration over the own ranking ----------------------------

/// Shared machinery: own ranking, utility range, best received, opponent
/// model, and choosing an outcome for a target utility.
class ranked_negotiator : public negotiator {
public:
  void start(const negotiator_setup &setup) override {
    setup_ = setup;
    const auto &sorted = setup.sc->sorted_utility(setup.me);
    umax_ = sorted.front();
    umin_ = std::max(setup.reservation(), sorted.back());
    best_received_ = -std::numeric_limits<double>::infinity();
    if (use_model_)
      model_.start(setup.sc->space());
    has_last_ = false;
    tag_ = offer_tag::none;
  }
  [[nodiscard]] offer_tag last_tag() const noexcept override { return tag_; }

  /// Whether some outcome is at or above the reservation value; if not, the
  /// built-in negotiators walk away at their first turn.
  [[nodiscard]] bool has_rational_outcome() const noexcept {
    return setup_.sc->sorted_utility(setup_.me).front() >= setup_.reservation();
  }

  /// Use the frequency model to pick, among outcomes whose own utility lies
  /// in [target, target + window], the one the opponent likes best.
  void use_opponent_model(bool on, double window = 0.05) {
    use_model_ = on;
    window_ = window;
  }

protected:
  void observe(outcome_id offer) noexcept {
    best_received_ = std::max(best_received_, setup_.u(offer));
    if (use_model_)
      model_.update(offer);
  }
  /// Position in the ranking of the worst outcome with utility >= target
  /// (0 if even the best is below target).
  [[nodiscard]] std::size_t position_for(double target) const noexcept {
    const auto &sorted = setup_.sc->sorted_utility(setup_.me);
    // sorted is non-increasing: find the first entry < target.
    const auto it = std::partition_point(sorted.begin(), sorted.end(),
                                         [target](double v) { return v >= target; });
    const auto n = static_cast<std::size_t>(it - sorted.begin());
    return n == 0 ? 0 : n - 1;
  }
  /// The outcome to offer for a target utility.
  [[nodiscard]] outcome_id choose(double target) const noexcept {
    const auto &rank = setup_.sc->ranking(setup_.me);
    const auto &sorted = setup_.sc->sorted_utility(setup_.me);
    const auto pos = position_for(std::max(target, umin_));
    if (!use_model_ || model_.offers_seen() == 0)
      return rank[pos];
    // Scan upward from pos while within the window (bounded scan).
    outcome_id best = rank[pos];
    double best_est = model_(best);
    const double top = sorted[pos] + window_;
    std::size_t scanned = 0;
    for (std::size_t i = pos; i-- > 0 && sorted[i] <= top && scanned < 256; ++scanned) {
      const double est = model_(rank[i]);
      if (est > best_est) {
        best_est = est;
        best = rank[i];
      }
    }
    return best;
  }
  void remember(outcome_id o) noexcept {
    if (has_last_ && setup_.u(o) < setup_.u(last_) - 1e-12)
      tag_ = offer_tag::concession;
    else
      tag_ = offer_tag::none;
    last_ = o;
    has_last_ = true;
  }

  negotiator_setup setup_;
  double umax_ = 1.0, umin_ = 0.0;
  double best_received_ = 0.0;
  bool use_model_ = false;
  double window_ = 0.05;
  frequency_model model_;
  outcome_id last_ = 0;
  bool has_last_ = false;
  offer_tag tag_ = offer_tag::none;
};

/// Time-dependent concession (Faratin et al. 1998; Genius TimeDependentAgent):
/// f(t) = k + (1 - k) t^(1/e), target = u_min + (u_max - u_min)(1 - f(t)),
/// u_min = max(reservation, worst outcome).
class time_dependent : public ranked_negotiator {
public:
  explicit time_dependent(double e, double k = 0.0, acceptance ac = acceptance::ac_next(),
                          std::string label = {})
      : e_(e), k_(k), ac_(ac), label_(std::move(label)) {
    if (!(e >= 0.0) || !std::isfinite(e))
      throw invalid_input("e", "must be finite and >= 0");
    if (!(k >= 0.0 && k <= 1.0))
      throw invalid_input("k", "must be in [0, 1]");
  }
  [[nodiscard]] double f(double t) const noexcept {
    if (e_ == 0.0)
      return k_;
    // pow dominates a session's cost, and a session asks for the same few
    // times (k / (turns - 1)) at every turn and in every session a reused
    // negotiator runs: remember them in a small direct-mapped table (a hit
    // only on the exact same t, so the value is the same as computed).
    const double tc = std::clamp(t, 0.0, 1.0);
    auto &slot = f_cache_[static_cast<std::size_t>(tc * 63.0 + 0.5) & 63u];
    if (slot.first == tc)
      return slot.second;
    const double v = k_ + (1.0 - k_) * std::pow(tc, 1.0 / e_);
    slot = {tc, v};
    return v;
  }
  [[nodiscard]] double target(double t) const noexcept {
    return umin_ + (umax_ - umin_) * (1.0 - f(t));
  }
  response respond(const turn_state &s, outcome_id offer) override {
    observe(offer);
    const double u_next = setup_.u(choose(target(s.t)));
    return ac_(setup_.u(offer), u_next, s.t, best_received_, setup_.reservation())
               ? response::accept
               : response::reject;
  }
  outcome_id propose(const turn_state &s) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const auto o = choose(target(s.t));
    remember(o);
    return o;
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    auto c = std::make_unique<time_dependent>(e_, k_, ac_, label_);
    c->use_opponent_model(use_model_, window_);
    return c;
  }
  [[nodiscard]] std::string name() const override {
    if (!label_.empty())
      return label_;
    return "time_dependent(e=" + std::to_string(e_) + ")";
  }

protected:
  double e_, k_;
  acceptance ac_;
  std::string label_;

private:
  // (t, f(t)) pairs; NaN keys never match.
  mutable std::array<std::pair<double, double>, 64> f_cache_ = [] {
    std::array<std::pair<double, double>, 64> a{};
    a.fill({std::numeric_limits<double>::quiet_NaN(), 0.0});
    return a;
  }();
};

/// Boulware (e < 1: concedes late).
inline std::unique_ptr<time_dependent> boulware(double e = 0.2,
                                                acceptance ac = acceptance::ac_next()) {
  return std::make_unique<time_dependent>(e, 0.0, ac, "boulware");
}
/// Linear concession (e = 1).
inline std::unique_ptr<time_dependent> linear_concession(acceptance ac = acceptance::ac_next()) {
  return std::make_unique<time_dependent>(1.0, 0.0, ac, "linear");
}
/// Conceder (e > 1: concedes early).
inline std::unique_ptr<time_dependent> conceder(double e = 5.0,
                                                acceptance ac = acceptance::ac_next()) {
  return std::make_unique<time_dependent>(e, 0.0, ac, "conceder");
}
/// Hard-liner (e = 0: never concedes).
inline std::unique_ptr<time_dependent> hardliner(acceptance ac = acceptance::ac_next()) {
  return std::make_unique<time_dependent>(0.0, 0.0, ac, "hardliner");
}

/// Tit-for-tat (relative, in own utility): concede as much utility as the
/// opponent's offers have improved for us since their first offer, times
/// `factor`; never below the reservation value.
class tit_for_tat : public ranked_negotiator {
public:
  explicit tit_for_tat(double factor = 1.0, acceptance ac = acceptance::ac_next())
      : factor_(factor), ac_(ac) {}
  void start(const negotiator_setup &setup) override {
    ranked_negotiator::start(setup);
    first_ = -1.0;
    latest_ = -1.0;
  }
  response respond(const turn_state &s, outcome_id offer) override {
    observe(offer);
    const double u = setup_.u(offer);
    if (first_ < 0.0)
      first_ = u;
    latest_ = u;
    const double u_next = setup_.u(choose(target()));
    return ac_(u, u_next, s.t, best_received_, setup_.reservation()) ? response::accept
                                                                     : response::reject;
  }
  outcome_id propose(const turn_state &) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const auto o = choose(target());
    remember(o);
    return o;
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    auto c = std::make_unique<tit_for_tat>(factor_, ac_);
    c->use_opponent_model(use_model_, window_);
    return c;
  }
  [[nodiscard]] std::string name() const override { return "tit_for_tat"; }

private:
  [[nodiscard]] double target() const noexcept {
    const double gain = first_ < 0.0 ? 0.0 : std::max(0.0, latest_ - first_);
    return std::max(umin_, umax_ - factor_ * gain);
  }
  double factor_;
  acceptance ac_;
  double first_ = -1.0, latest_ = -1.0;
};

/// Offers and accepts at random (above its reservation value): a baseline.
class random_negotiator : public ranked_negotiator {
public:
  explicit random_negotiator(double p_accept = 0.5) : p_(p_accept) {}
  void start(const negotiator_setup &setup) override {
    ranked_negotiator::start(setup);
    stream_ = detail::counter_stream(setup.seed, static_cast<std::uint64_t>(setup.me), 0x72616e64);
    rational_ = position_for(setup.reservation()) + 1;
    if (setup.sc->sorted_utility(setup.me).front() < setup.reservation())
      rational_ = 0;
  }
  response respond(const turn_state &, outcome_id offer) override {
    if (setup_.u(offer) < setup_.reservation())
      return response::reject;
    return detail::bernoulli(stream_, p_) ? response::accept : response::reject;
  }
  outcome_id propose(const turn_state &) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const auto &rank = setup_.sc->ranking(setup_.me);
    const std::size_t n = rational_ == 0 ? 1 : rational_;
    auto i = static_cast<std::size_t>(detail::u01(stream_) * static_cast<double>(n));
    i = std::min(i, n - 1);
    remember(rank[i]);
    return rank[i];
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<random_negotiator>(p_);
  }
  [[nodiscard]] std::string name() const override { return "random"; }

private:
  double p_;
  detail::counter_stream stream_{0, 0};
  std::size_t rational_ = 0;
};

/// Subgame-perfect play by backward induction over the deadline (needs
/// complete information: both utilities, reservations and discounts). At the
/// last turn the proposer takes the best outcome the responder still
/// accepts; earlier, the responder accepts exactly what is worth at least
/// its continuation value, and the proposer offers its best such outcome.
/// In split-the-pie with per-offer discounts this converges to Rubinstein's
/// (1 - d2)/(1 - d1 d2) as the horizon grows.
class subgame_perfect : public negotiator {
public:
  void start(const negotiator_setup &s) override {
    if (!s.complete_information)
      throw invalid_input("subgame_perfect", "needs complete information (session option)");
    s_ = s;
    const auto &sc = *s.sc;
    const std::uint32_t turns = 2 * s.rounds;
    plan_.assign(turns, 0);
    plan_ok_.assign(turns, 0);
    threshold_.assign(turns + 1, 0.0);
    const auto n = sc.size();
    first_party_ = s.first;
    auto tau = [&](std::uint32_t k) {
      return s.clock == discount_clock::offers
                 ? static_cast<double>(k)
                 : (turns <= 1 ? 0.0 : static_cast<double>(k) / static_cast<double>(turns - 1));
    };
    // v[p]: party p's value (discounted) of the game from turn k on.
    double v[2] = {sc.reservation(0) * sc.discount_at(0, tau(turns)),
                   sc.reservation(1) * sc.discount_at(1, tau(turns))};
    for (std::uint32_t k = turns; k-- > 0;) {
      const int p = (first_party_ + static_cast<int>(k)) % 2, q = 1 - p;
      const double dp = sc.discount_at(p, tau(k)), dq = sc.discount_at(q, tau(k));
      // The responder q accepts an offer made at turn k iff its value >= v[q].
      if (q == s.me)
        threshold_[k] = v[q];
      double best = -std::numeric_limits<double>::infinity();
      outcome_id arg = 0;
      for (outcome_id o = 0; o < n; ++o) {
        if (sc.utility(q, o) * dq >= v[q] - 1e-12 && sc.utility(p, o) > best &&
            sc.utility(p, o) >= sc.reservation(p)) {
          best = sc.utility(p, o);
          arg = o;
        }
      }
      if (best * dp >= v[p] && std::isfinite(best)) {
        if (p == s.me) {
          plan_[k] = arg;
          plan_ok_[k] = 1;
        }
        const double vq = sc.utility(q, arg) * dq;
        v[p] = best * dp;
        v[q] = vq;
      } else if (p == s.me) {
        plan_[k] = sc.ranking(p).front(); // not meant to be accepted
        plan_ok_[k] = 0;
      }
    }
  }
  response respond(const turn_state &st, outcome_id offer) override {
    const auto k = st.turn - 1; // the offer was made at the previous turn
    const double d = s_.sc->discount_at(s_.me, tau_of(k));
    return s_.u(offer) * d >= threshold_[k] - 1e-12 && s_.u(offer) >= s_.reservation()
               ? response::accept
               : response::reject;
  }
  outcome_id propose(const turn_state &st) override { return plan_[st.turn]; }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<subgame_perfect>();
  }
  [[nodiscard]] std::string name() const override { return "subgame_perfect"; }

private:
  double tau_of(std::uint32_t k) const noexcept {
    const std::uint32_t turns = 2 * s_.rounds;
    return s_.clock == discount_clock::offers
               ? static_cast<double>(k)
               : (turns <= 1 ? 0.0 : static_cast<double>(k) / static_cast<double>(turns - 1));
  }
  negotiator_setup s_;
  int first_party_ = 0;
  std::vector<outcome_id> plan_;
  std::vector<std::uint8_t> plan_ok_;
  std::vector<double> threshold_;
};

// ---- the essays' behaviours -------------------------------------------------------

/// Competitor price-matcher (a seller; higher price is better for it): runs
/// a time-dependent schedule, and once a rival quote is disclosed offers its
/// best package priced at the quote (meet) or `beat_by` below it (beat), never
/// below its floor price; a quote below the floor is not matched.
class price_matcher : public time_dependent {
public:
  price_matcher(double floor_price, double beat_by = 0.0, double e = 0.2,
                acceptance ac = acceptance::ac_next())
      : time_dependent(e, 0.0, ac, "price_matcher"), floor_(floor_price), beat_(beat_by) {}
  void start(const negotiator_setup &s) override {
    if (!s.sc->price_issue())
      throw invalid_input("price_matcher", "the scenario has no price issue (set_price_issue)");
    time_dependent::start(s);
  }
  response respond(const turn_state &s, outcome_id offer) override {
    observe(offer);
    const double u = setup_.u(offer);
    if (u < setup_.reservation() || setup_.sc->price(offer) < floor_)
      return response::reject;
    const double u_next = setup_.u(next(s));
    return ac_(u, u_next, s.t, best_received_, setup_.reservation()) ? response::accept
                                                                     : response::reject;
  }
  outcome_id propose(const turn_state &s) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const auto o = next(s);
    const bool had = has_last_;
    const auto prev = last_;
    remember(o);
    // A match is news once: when the matching package is first put forward.
    if (matched_now_ && (!had || prev != o))
      tag_ = offer_tag::price_match;
    return o;
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<price_matcher>(floor_, beat_, e_, ac_);
  }
  [[nodiscard]] std::string name() const override { return "price_matcher"; }

private:
  outcome_id next(const turn_state &s) noexcept {
    matched_now_ = false;
    const auto &sc = *setup_.sc;
    const auto &rank = sc.ranking(setup_.me);
    const double tgt = target(s.t);
    if (s.rival_disclosed) {
      const double cap = s.rival_price - beat_;
      if (cap >= floor_) {
        // Best own package priced in [floor, cap] and at or above reservation.
        for (auto o : rank) {
          if (setup_.u(o) < setup_.reservation())
            break;
          const double p = sc.price(o);
          if (p <= cap && p >= floor_) {
            matched_now_ = true;
            return o;
          }
        }
      }
    }
    // Schedule, but never below the floor price.
    const auto pos = position_for(std::max(tgt, umin_));
    for (std::size_t i = pos + 1; i-- > 0;)
      if (sc.price(rank[i]) >= floor_)
        return rank[i];
    return rank.front();
  }
  double floor_, beat_;
  bool matched_now_ = false;
};

/// Alternatives offerer (logrolling): on each turn, rather than only
/// conceding, it looks for a package it has not offered yet whose own
/// utility is within `tolerance` of its last offer and that the opponent
/// (frequency model) values more; it concedes along its schedule only when
/// no such alternative is left. An alternative answering a squeeze (the
/// opponent's offer got worse for us) is tagged alternative_offered.
class alternatives_offerer : public time_dependent {
public:
  explicit alternatives_offerer(double tolerance = 0.02, double e = 0.5,
                                acceptance ac = acceptance::ac_next())
      : time_dependent(e, 0.0, ac, "alternatives_offerer"), tol_(tolerance) {
    use_opponent_model(true, tolerance);
  }
  void start(const negotiator_setup &s) override {
    time_dependent::start(s);
    offered_.assign(s.sc->size(), 0);
    prev_opp_ = -1.0;
    squeeze_ = false;
  }
  response respond(const turn_state &s, outcome_id offer) override {
    const double u = setup_.u(offer);
    squeeze_ = prev_opp_ >= 0.0 && u < prev_opp_ - 1e-12;
    prev_opp_ = u;
    return time_dependent::respond(s, offer);
  }
  outcome_id propose(const turn_state &s) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const auto &rank = setup_.sc->ranking(setup_.me);
    const auto &sorted = setup_.sc->sorted_utility(setup_.me);
    if (has_last_ && model_.offers_seen() > 0) {
      const double level = setup_.u(last_);
      const double tgt = target(s.t);
      if (tgt >= level - tol_) {
        // Unoffered packages of (near) equal own utility, best for the opponent.
        const double top = level + tol_;
        const auto from =
            static_cast<std::size_t>(std::partition_point(sorted.begin(), sorted.end(),
                                                          [top](double v) { return v > top; }) -
                                     sorted.begin());
        const auto lo = position_for(std::max(level - tol_, umin_));
        outcome_id best = last_;
        double best_est = -1.0;
        std::size_t scanned = 0;
        for (std::size_t i = from; i <= lo && i < rank.size() && scanned < 512; ++i, ++scanned) {
          const auto o = rank[i];
          if (offered_[o] || setup_.u(o) < setup_.reservation())
            continue;
          const double est = model_(o);
          if (est > best_est) {
            best_est = est;
            best = o;
          }
        }
        if (best_est >= 0.0 && model_(best) > model_(last_)) {
          offered_[best] = 1;
          const bool squeeze = squeeze_;
          last_ = best;
          tag_ = squeeze ? offer_tag::alternative_offered : offer_tag::none;
          return best;
        }
      }
    }
    // Concede along the schedule, never back above the last offer.
    const auto o = choose(has_last_ ? std::min(target(s.t), setup_.u(last_)) : target(s.t));
    offered_[o] = 1;
    remember(o);
    return o;
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<alternatives_offerer>(tol_, e_, ac_);
  }
  [[nodiscard]] std::string name() const override { return "alternatives_offerer"; }

private:
  double tol_;
  std::vector<std::uint8_t> offered_;
  double prev_opp_ = -1.0;
  bool squeeze_ = false;
};

/// Authority-limited seller: its own authority ends at utility `threshold`.
/// To go below it (never below the reservation value) it must escalate: it
/// holds its last offer for `delay_rounds` of its turns, rejecting anything
/// below the threshold meanwhile, and bears `credibility_cost` (a utility
/// penalty reported with the result) if a deal is then struck below the
/// threshold.
class authority_limited : public time_dependent {
public:
  authority_limited(double threshold, std::uint32_t delay_rounds = 2,
                    double credibility_cost = 0.05, double e = 1.0,
                    acceptance ac = acceptance::ac_next())
      : time_dependent(e, 0.0, ac, "authority_limited"), theta_(threshold), delay_(delay_rounds),
        cost_(credibility_cost) {}
  void start(const negotiator_setup &s) override {
    time_dependent::start(s);
    escalated_ = false;
    waiting_ = 0;
    below_ = false;
  }
  response respond(const turn_state &s, outcome_id offer) override {
    observe(offer);
    const double u = setup_.u(offer);
    const double floor = escalated_ && waiting_ == 0 ? setup_.reservation() : theta_;
    if (u < std::max(floor, setup_.reservation()))
      return response::reject;
    const double u_next = setup_.u(choose(bounded(s.t)));
    if (ac_(u, u_next, s.t, best_received_, setup_.reservation())) {
      below_ = u < theta_;
      return response::accept;
    }
    return response::reject;
  }
  outcome_id propose(const turn_state &s) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const double tgt = target(s.t);
    if (tgt < theta_ && !escalated_ && theta_ > setup_.reservation()) {
      escalated_ = true;
      waiting_ = delay_;
    }
    if (waiting_ > 0) {
      --waiting_;
      tag_ = offer_tag::escalation;
      if (has_last_)
        return last_;
    }
    const auto o = choose(bounded(s.t));
    remember(o);
    return o;
  }
  [[nodiscard]] double penalty() const noexcept override { return below_ ? cost_ : 0.0; }
  [[nodiscard]] bool escalated() const noexcept { return escalated_; }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<authority_limited>(theta_, delay_, cost_, e_, ac_);
  }
  [[nodiscard]] std::string name() const override { return "authority_limited"; }

private:
  [[nodiscard]] double bounded(double t) const noexcept {
    const double tgt = target(t);
    return escalated_ && waiting_ == 0 ? tgt : std::max(tgt, theta_);
  }
  double theta_;
  std::uint32_t delay_;
  double cost_;
  bool escalated_ = false;
  std::uint32_t waiting_ = 0;
  bool below_ = false;
};

/// Win-lose buyer: concedes nothing (always offers its best outcome),
/// accepts only offers worth at least `rival_utility` to it (the competitor's
/// deal is its outside option) and its reservation value, and shops: it
/// cites the rival's price `rival_price` to the other side.
class win_lose_buyer : public ranked_negotiator {
public:
  win_lose_buyer(double rival_price, double rival_utility)
      : rival_price_(rival_price), rival_u_(rival_utility) {}
  response respond(const turn_state &, outcome_id offer) override {
    observe(offer);
    const double u = setup_.u(offer);
    return u >= rival_u_ && u >= setup_.reservation() ? response::accept : response::reject;
  }
  outcome_id propose(const turn_state &) override {
    if (!has_rational_outcome())
      return end_negotiation;
    const auto o = setup_.sc->ranking(setup_.me).front();
    remember(o);
    tag_ = offer_tag::competitor_quote;
    return o;
  }
  [[nodiscard]] std::optional<double> rival_quote() const noexcept override { return rival_price_; }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<win_lose_buyer>(rival_price_, rival_u_);
  }
  [[nodiscard]] std::string name() const override { return "win_lose_buyer"; }

private:
  double rival_price_, rival_u_;
};

// ---- the session ------------------------------------------------------------------

/// One offer of a trace.
struct offer_record {
  std::uint32_t round = 0;
  std::uint8_t proposer = 0;
  offer_tag tag = offer_tag::none;
  outcome_id outcome = 0;
  double u1 = 0.0, u2 = 0.0; ///< undiscounted utilities
  double t = 0.0;            ///< relative time
};

/// Session options.
struct session_options {
  std::uint32_t rounds = 100; ///< deadline in rounds (2 offers each)
  double time_limit = 0.0;    ///< > 0: wall-clock deadline in seconds (not reproducible)
  discount_clock clock = discount_clock::relative;
  int first = 0; ///< party that opens
  std::uint64_t seed = 0;
  bool complete_information = false;
  bool keep_trace = true;
  /// Each party's own deadline in rounds (0: `rounds`), not told to the other.
  std::array<std::uint32_t, 2> own_rounds{0, 0};
  /// Each party's own deadline as a share of `rounds`, in (0, 1] (rounded
  /// up to whole rounds); the earlier of own_rounds and own_time applies.
  std::array<double, 2> own_time{1.0, 1.0};
  /// Each party's private reservation value (NaN: the scenario's).
  std::array<double, 2> reservation{std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::quiet_NaN()};
};

/// The outcome of a session.
struct session_result {
  session_status status = session_status::deadline;
  int ended_by = -1;       ///< who accepted or walked away (-1: deadline)
  int deadline_party = -1; ///< whose own deadline ended it (-1: the common one, or none)
  std::uint32_t own_rounds[2] = {0, 0}; ///< each party's deadline in rounds
  outcome_id outcome = 0;               ///< the agreement (status == agreement)
  double u1 = 0.0, u2 = 0.0;   ///< undiscounted utilities of the agreement, or reservations
  double du1 = 0.0, du2 = 0.0; ///< discounted (and penalised) utilities
  double penalty1 = 0.0, penalty2 = 0.0;
  double t = 0.0;           ///< relative time at the end
  std::uint32_t rounds = 0; ///< rounds started
  std::uint32_t offers = 0;
  bool rival_disclosed = false;
  double rival_price = 0.0;
  std::vector<offer_record> trace;

  [[nodiscard]] bool agreement() const noexcept { return status == session_status::agreement; }
};

/// Run one session; `out` is reused (its trace keeps its capacity).
inline void run_session(const scenario &sc, negotiator &a, negotiator &b,
                        const session_options &opt, session_result &out) {
  if (opt.rounds == 0)
    throw invalid_input("rounds", "must be at least 1");
  if (opt.first != 0 && opt.first != 1)
    throw invalid_input("first", "must be 0 or 1");
  negotiator *neg[2] = {&a, &b};
  const std::uint32_t all_turns = 2 * opt.rounds;
  // Private deadlines: each party's own turns; the session ends at the earlier.
  std::uint32_t own_turns[2];
  double res[2];
  for (int p = 0; p < 2; ++p) {
    const auto q = static_cast<std::size_t>(p);
    const double ot = opt.own_time[q];
    if (!(ot > 0.0 && ot <= 1.0))
      throw invalid_input("own_time", static_cast<std::int64_t>(p),
                          "must be in (0, 1], got " + std::to_string(ot));
    if (std::isinf(opt.reservation[q]))
      throw invalid_input("reservation", static_cast<std::int64_t>(p), "is infinite");
    std::uint32_t r = opt.own_rounds[q] == 0 ? opt.rounds : std::min(opt.rounds, opt.own_rounds[q]);
    const auto by_time =
        static_cast<std::uint32_t>(std::ceil(ot * static_cast<double>(opt.rounds) - 1e-9));
    r = std::max<std::uint32_t>(1, std::min(r, by_time));
    own_turns[p] = 2 * r;
    out.own_rounds[p] = r;
    res[p] = std::isnan(opt.reservation[q]) ? sc.reservation(p) : opt.reservation[q];
  }
  const std::uint32_t turns = std::min(own_turns[0], own_turns[1]);
  for (int p = 0; p < 2; ++p) {
    negotiator_setup s;
    s.sc = &sc;
    s.me = p;
    s.rounds = own_turns[p] / 2;
    s.own_reservation = opt.reservation[static_cast<std::size_t>(p)];
    s.clock = opt.clock;
    s.seed = opt.seed;
    s.complete_information = opt.complete_information;
    s.first = opt.first;
    neg[p]->start(s);
  }
  out.trace.clear();
  if (opt.keep_trace)
    out.trace.reserve(turns);
  // `out` is reused across sessions (run_batch): reset every field, so no
  // value of an earlier session (an agreement's outcome, its time) leaks
  // into this one — that made batch rows depend on which sessions a worker
  // thread happened to run before.
  out.status = session_status::deadline;
  out.ended_by = -1;
  out.deadline_party = -1;
  out.outcome = 0;
  out.t = 0.0;
  out.rival_disclosed = false;
  out.rival_price = 0.0;
  // The clock is read only for a wall-clock deadline.
  const auto t0 = opt.time_limit > 0.0 ? std::chrono::steady_clock::now()
                                       : std::chrono::steady_clock::time_point{};
  // Session time (discounting, the result) over all rounds; a party's own
  // time over its own deadline.
  auto rel_time = [&](std::uint32_t k) {
    if (opt.time_limit > 0.0) {
      const std::chrono::duration<double> el = std::chrono::steady_clock::now() - t0;
      return std::min(1.0, el.count() / opt.time_limit);
    }
    return all_turns <= 1
               ? 1.0
               : std::min(1.0, static_cast<double>(k) / static_cast<double>(all_turns - 1));
  };
  auto own_time = [&](int p, std::uint32_t k, double t) {
    if (own_turns[p] == all_turns)
      return t;
    if (opt.time_limit > 0.0)
      return std::min(1.0, t * static_cast<double>(all_turns) / static_cast<double>(own_turns[p]));
    return own_turns[p] <= 1
               ? 1.0
               : std::min(1.0, static_cast<double>(k) / static_cast<double>(own_turns[p] - 1));
  };
  turn_state st[2];
  outcome_id standing = 0;
  double standing_tau = 0.0, standing_t = 0.0;
  std::uint32_t k = 0;
  for (;; ++k) {
    const int p = (opt.first + static_cast<int>(k)) % 2;
    const double t = rel_time(k);
    auto &s = st[p];
    s.round = k / 2;
    s.turn = k;
    s.t = own_time(p, k, t);
    s.tau = opt.clock == discount_clock::offers ? static_cast<double>(k) : t;
    s.rival_disclosed = out.rival_disclosed;
    s.rival_price = out.rival_price;
    if (k > 0) {
      s.has_opponent_offer = true;
      s.opponent_offer = standing;
      const auto r = neg[p]->respond(s, standing);
      if (r == response::accept) {
        out.status = session_status::agreement;
        out.ended_by = p;
        out.outcome = standing;
        out.t = standing_t;
        break;
      }
      if (r == response::walk_away) {
        out.status = session_status::walked_away;
        out.ended_by = p;
        out.t = t;
        break;
      }
    }
    if (k >= turns || (opt.time_limit > 0.0 && s.t >= 1.0)) {
      out.t = t;
      if (own_turns[0] != own_turns[1])
        out.deadline_party = opt.time_limit > 0.0 ? p : (own_turns[0] < own_turns[1] ? 0 : 1);
      break;
    }
    const auto o = neg[p]->propose(s);
    if (o == end_negotiation) {
      out.status = session_status::walked_away;
      out.ended_by = p;
      out.t = t;
      break;
    }
    if (o >= sc.size())
      throw invalid_input("offer", "negotiator '" + neg[p]->name() + "' proposed outcome " +
                                       std::to_string(o) + " outside the space");
    if (const auto q = neg[p]->rival_quote(); q && !out.rival_disclosed) {
      out.rival_disclosed = true;
      out.rival_price = *q;
    }
    standing = o;
    standing_t = t;
    standing_tau = s.tau;
    if (opt.keep_trace)
      out.trace.push_back({k / 2, static_cast<std::uint8_t>(p), neg[p]->last_tag(), o,
                           sc.utility(0, o), sc.utility(1, o), t});
  }
  out.offers = std::min(k, turns);
  out.rounds = (out.offers + 1) / 2;
  out.penalty1 = a.penalty();
  out.penalty2 = b.penalty();
  if (out.agreement()) {
    out.u1 = sc.utility(0, out.outcome);
    out.u2 = sc.utility(1, out.outcome);
    out.du1 = out.u1 * sc.discount_at(0, standing_tau) - out.penalty1;
    out.du2 = out.u2 * sc.discount_at(1, standing_tau) - out.penalty2;
  } else {
    const double tau = opt.clock == discount_clock::offers ? static_cast<double>(k) : out.t;
    out.u1 = res[0];
    out.u2 = res[1];
    out.du1 = out.u1 * sc.discount_at(0, tau);
    out.du2 = out.u2 * sc.discount_at(1, tau);
  }
}

/// Run one session and return its result.
[[nodiscard]] inline session_result run_session(const scenario &sc, negotiator &a, negotiator &b,
                                                const session_options &opt = {}) {
  session_result r;
  run_session(sc, a, b, opt, r);
  return r;
}

// ---- batch runs ---------------------------------------------------------------------

/// One row of a batch: which scenario, strategies and seed, and the result
/// (without trace) with distances to the frontier and to the Nash point.
struct batch_row {
  std::uint32_t scenario = 0, first = 0, second = 0;
  std::uint64_t seed = 0;
  session_status status = session_status::deadline;
  outcome_id outcome = 0;
  double u1 = 0.0, u2 = 0.0, du1 = 0.0, du2 = 0.0;
  std::uint32_t rounds = 0;
  double t = 0.0;
  double pareto_distance = 0.0, nash_distance = 0.0, welfare = 0.0;
};

/// Run every (scenario, strategy i as party 0, strategy j as party 1, seed)
/// combination (all ordered pairs, i == j included) on `threads` threads.
/// Rows are in that nested order and identical whatever the thread count.
/// `pairs`, if not empty, restricts the strategy pairs.
[[nodiscard]] inline std::vector<batch_row>
run_batch(const std::vector<const scenario *> &scenarios,
          const std::vector<const negotiator *> &strategies,
          const std::vector<std::uint64_t> &seeds, session_options opt = {}, unsigned threads = 0,
          std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs = {}) {
  if (pairs.empty())
    for (std::uint32_t i = 0; i < strategies.size(); ++i)
      for (std::uint32_t j = 0; j < strategies.size(); ++j)
        pairs.emplace_back(i, j);
  for (const auto &[i, j] : pairs)
    if (i >= strategies.size() || j >= strategies.size())
      throw invalid_input("pairs", "a strategy index is out of range");
  for (const auto *s : scenarios)
    if (!s)
      throw invalid_input("scenarios", "a scenario is null");
  const std::size_t per_scenario = pairs.size() * seeds.size();
  const std::size_t total = scenarios.size() * per_scenario;
  std::vector<batch_row> rows(total);
  threads = detail::resolve_threads(threads);
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(total, 1)));
  opt.keep_trace = false;
  std::vector<bargaining_point> nash(scenarios.size());
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    nash[i] = scenarios[i]->nash();
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::atomic<bool> stop{false};
  auto work = [&] {
    session_result res;
    std::vector<std::unique_ptr<negotiator>> a(strategies.size()), b(strategies.size());
    for (std::size_t i = 0; i < strategies.size(); ++i) {
      a[i] = strategies[i]->clone();
      b[i] = strategies[i]->clone();
    }
    try {
      for (;;) {
        // Chunks of 16 rows keep the counter cold.
        const std::size_t begin = next.fetch_add(16);
        if (begin >= total || stop.load())
          break;
        for (std::size_t idx = begin; idx < std::min(total, begin + 16); ++idx) {
          const std::size_t si = idx / per_scenario;
          const std::size_t rest = idx % per_scenario;
          const auto &[i, j] = pairs[rest / seeds.size()];
          const auto seed = seeds[rest % seeds.size()];
          const auto &sc = *scenarios[si];
          auto o = opt;
          o.seed = seed;
          run_session(sc, *a[i], *b[j], o, res);
          auto &row = rows[idx];
          row.scenario = static_cast<std::uint32_t>(si);
          row.first = i;
          row.second = j;
          row.seed = seed;
          row.status = res.status;
          row.outcome = res.outcome;
          row.u1 = res.u1;
          row.u2 = res.u2;
          row.du1 = res.du1;
          row.du2 = res.du2;
          row.rounds = res.rounds;
          row.t = res.t;
          row.welfare = res.u1 + res.u2;
          row.pareto_distance = distance_to_frontier(sc.frontier(), res.u1, res.u2);
          row.nash_distance = nash[si].exists ? distance_to(nash[si], res.u1, res.u2)
                                              : std::numeric_limits<double>::quiet_NaN();
        }
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure)
        failure = std::current_exception();
      stop = true;
    }
  };
  if (threads <= 1) {
    work();
  } else {
    detail::run_on_threads(threads, [&](unsigned) { work(); });
  }
  if (failure)
    std::rethrow_exception(failure);
  return rows;
}

// ---- the relationship link -------------------------------------------------------------

/// How a session is written to a ledger: who "we" are (the seller's party),
/// the customer and the time axis (days), and how to value a package in
/// currency (the scenario's price issue, else value_scale * our utility).
struct ledger_link {
  customer_id customer = 0;
  int we = 0;              ///< our party (0 or 1)
  double start_time = 0.0; ///< days at the first offer
  double days_per_round = 1.0;
  double value_scale = 1.0; ///< currency per utility unit without a price issue
};

/// Append a finished session's events to a ledger: a proposal (our first
/// offer), concessions, a competitor quote when the other side shopped,
/// price matches, alternative packages, and the close: deal_won (amount:
/// the agreed value, margin unknown) or walk_away + deal_lost / deal_lost
/// (reason: competitor if a rival quote was cited, else walked_away,
/// no_decision at the deadline). Returns the number of events appended.
inline std::size_t append_session_events(ledger &l, const scenario &sc, const session_result &r,
                                         const ledger_link &link) {
  if (link.we != 0 && link.we != 1)
    throw invalid_input("we", "must be 0 or 1");
  if (!std::isfinite(link.start_time) || !std::isfinite(link.days_per_round) ||
      link.days_per_round < 0.0)
    throw invalid_input("days_per_round", "must be finite and >= 0");
  const auto value = [&](outcome_id o) {
    return sc.price_issue() ? sc.price(o) : link.value_scale * sc.utility(link.we, o);
  };
  const auto time_of = [&](double round) { return link.start_time + round * link.days_per_round; };
  std::vector<event> ev;
  bool opened = false, quoted = false;
  double last_value = 0.0;
  for (const auto &rec : r.trace) {
    const double tm = time_of(static_cast<double>(rec.round));
    if (rec.proposer != link.we) {
      if (!quoted && r.rival_disclosed && rec.tag == offer_tag::competitor_quote) {
        ev.push_back({link.customer, tm, event_kind::competitor_quote, std::abs(r.rival_price), 0});
        quoted = true;
      }
      continue;
    }
    const double v = value(rec.outcome);
    if (!opened) {
      ev.push_back({link.customer, tm, event_kind::proposal, std::abs(v), 0});
      opened = true;
    } else if (rec.tag == offer_tag::price_match) {
      ev.push_back({link.customer, tm, event_kind::price_match, std::abs(v),
                    r.rival_disclosed && v < r.rival_price ? 1 : 0});
    } else if (rec.tag == offer_tag::alternative_offered) {
      ev.push_back({link.customer, tm, event_kind::alternative_offered, std::abs(v), 0});
    } else if (rec.tag == offer_tag::concession) {
      ev.push_back({link.customer, tm, event_kind::concession, std::abs(last_value - v), 0});
    }
    last_value = v;
  }
  const double end = time_of(static_cast<double>(r.rounds));
  if (r.agreement()) {
    ev.push_back(
        {link.customer, end, event_kind::deal_won, std::abs(value(r.outcome)), margin_unknown});
  } else {
    const double lost = opened ? std::abs(last_value) : 0.0;
    if (r.status == session_status::walked_away && r.ended_by == link.we) {
      ev.push_back({link.customer, end, event_kind::walk_away, lost, 0});
      ev.push_back({link.customer, end, event_kind::deal_lost, lost,
                    static_cast<std::int32_t>(loss_reason::walked_away)});
    } else {
      const auto why = r.rival_disclosed                         ? loss_reason::competitor
                       : r.status == session_status::walked_away ? loss_reason::price
                                                                 : loss_reason::no_decision;
      ev.push_back(
          {link.customer, end, event_kind::deal_lost, lost, static_cast<std::int32_t>(why)});
    }
  }
  for (const auto &e : ev)
    l.append(e);
  return ev.size();
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_HPP
