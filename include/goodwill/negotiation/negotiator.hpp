// goodwill — the negotiator interface, acceptance conditions and the opponent model.
//
// Design: negotiators implement a small virtual interface (start, respond,
// propose, clone); everything they need per turn is precomputed in start(),
// so a round allocates nothing. A negotiator's setup carries only its own
// deadline and reservation (private deadlines, see session.hpp), and its
// turn's relative time t runs from 0 to 1 over its own deadline. Acceptance
// conditions AC_next, AC_const, AC_time, AC_combi (Baarslag et al. 2014); a
// frequency opponent model (value counts per issue, issue weights from how
// rarely the opponent changes the value).
#ifndef GOODWILL_NEGOTIATION_NEGOTIATOR_HPP
#define GOODWILL_NEGOTIATION_NEGOTIATOR_HPP

#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/scenario.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace goodwill {

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

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_NEGOTIATOR_HPP
