// goodwill — the built-in negotiation strategies.
//
// Design: time-dependent concession f(t) = k + (1 - k) t^(1/e) (Boulware
// e < 1, linear e = 1, conceder e > 1, hard-liner e = 0) with target utility
// u_min + (u_max - u_min)(1 - f(t)); tit-for-tat; a random negotiator; a
// subgame-perfect negotiator by backward induction (complete information);
// and the behaviours of the relationship-selling essays: a competitor
// price-matcher, an alternatives offerer (logrolling), an authority-limited
// seller and a win-lose buyer. No built-in negotiator accepts or proposes an
// outcome below its own reservation value.
#ifndef GOODWILL_NEGOTIATION_STRATEGIES_HPP
#define GOODWILL_NEGOTIATION_STRATEGIES_HPP

#include <goodwill/detail/random.hpp>
#include <goodwill/error.hpp>
#include <goodwill/negotiation/negotiator.hpp>
#include <goodwill/negotiation/scenario.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace goodwill {

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
    auto &slot = f_cache_[static_cast<std::size_t>(tc * 63.0) & 63u];
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
    first_ = std::numeric_limits<double>::quiet_NaN(); // none yet (utilities may be negative)
    latest_ = first_;
  }
  response respond(const turn_state &s, outcome_id offer) override {
    observe(offer);
    const double u = setup_.u(offer);
    if (std::isnan(first_))
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
    const double gain = std::isnan(first_) ? 0.0 : std::max(0.0, latest_ - first_);
    return std::max(umin_, umax_ - factor_ * gain);
  }
  double factor_;
  acceptance ac_;
  double first_ = std::numeric_limits<double>::quiet_NaN(), latest_ = first_;
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

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_STRATEGIES_HPP
