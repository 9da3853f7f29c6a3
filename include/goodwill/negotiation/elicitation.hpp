// goodwill — uncertain preferences and elicitation during a negotiation.
//
// Design. A seller often does not know its own (or its organisation's)
// utility of every package; discovery is asking. A partial_profile is what
// one party knows of its own utility: for each outcome an interval [lo, hi]
// with a uniform prior on it (exact once asked), built from
//   * intervals on the weights of a linear-additive profile whose value
//     evaluations are known: u(o) = sum_i w_i v_i(o_i) with w_i in
//     [wlo_i, whi_i] gives u(o) in [sum_i min(wlo_i v, whi_i v),
//     sum_i max(...)] (capped as the profile caps); or
//   * an ordering of some outcomes (best first) within a known utility
//     range [umin, umax]: the j-th of k ranked outcomes starts on the j-th
//     of k equal bands of the range (the expected positions of k ordered
//     uniform draws), outcomes outside the ordering on the whole range;
//     an answer for a ranked outcome bounds the others (those ranked above
//     are at least the answer, those below at most), and the unknown
//     outcomes between two known ones are spread again over equal bands.
// Outcome beliefs are independent (as NegMAS's IPUtilityFunction): an
// answer about one outcome does not move the weight intervals of the others.
//
// Queries. The party may ask its user (or the opponent, in discovery) the
// exact utility of an outcome at a cost c (utility units) per question; the
// answer is the true utility (the scenario's). Each question is recorded
// (round, turn, outcome, answer, the decision it served) and written to a
// ledger as a `discovery` event (amount: hours per question).
//
// Elicitation policies of eliciting_negotiator, an aspiration negotiator
// (time-dependent concession as strategies.hpp's time_dependent, target
// r + (umax - r)(1 - t^(1/e)) over the believed means, AC: accept when the
// believed utility is at least the target, offers: the outcome whose mean
// is at or just above the target, the one the frequency opponent model
// likes best within `window`):
//   * blind: never asks; negotiates on the means of its partial profile.
//   * pandora: Pandora's rule (Weitzman 1979, "Optimal search for the best
//     alternative", Econometrica 47(3)) as Baarslag & Gerding (2015,
//     "Optimal incremental preference elicitation during negotiation",
//     IJCAI) apply it to elicitation during negotiation: an uncertain
//     outcome is a box whose opening costs c; open it iff its reservation
//     index z (E[(U - z)^+] = c) exceeds the fallback. At each decision the
//     box is the outcome the decision turns on and the fallback the
//     aspiration target a: before rejecting a standing offer with mean
//     below a, ask iff z > a (equivalently E[(U - a)^+] > c); before
//     accepting an offer, or proposing an outcome, with mean at or above a,
//     ask iff the mirrored index says so (E[(a - U)^+] > c: the expected
//     loss of an outcome worse than the target, avoided by asking). After an
//     answer the decision is made again on the new belief (up to
//     `per_turn` questions a turn). Deviation from Baarslag & Gerding: they
//     rank all outcomes by p(o) u(o) with an acceptance model p; here the
//     aspiration chooses the candidate and p is taken as 1 (the loss is
//     counted as if the opponent accepted), a myopic one-box version.
//   * full: asks every outcome at its first turn (the "elicit everything"
//     baseline of Baarslag & Gerding), then negotiates on the truth.
// What the eliciting party gets is its discounted utility minus c times
// its questions (net); run_elicitation_batch plays each policy on the same
// scenario and the same per-seed partial profiles (weight intervals drawn
// around the true weights: [w - s*u, w + s*(1 - u)], u ~ U(0, 1) from a
// counter-based stream keyed by the seed, so rows do not depend on the
// thread count) and summarises net utility per policy with Student's t
// intervals, and each policy's paired difference from the first.
#ifndef GOODWILL_NEGOTIATION_ELICITATION_HPP
#define GOODWILL_NEGOTIATION_ELICITATION_HPP

#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/detail/statistics.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation/negotiator.hpp>
#include <goodwill/negotiation/preferences.hpp>
#include <goodwill/negotiation/scenario.hpp>
#include <goodwill/negotiation/session.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace goodwill {

// ---- the partial profile ----------------------------------------------------------

/// E[(a - U)^+] for U uniform on [lo, hi] (a point when lo == hi).
[[nodiscard]] inline double expected_shortfall(double lo, double hi, double a) noexcept {
  if (hi <= lo)
    return std::max(a - lo, 0.0);
  if (a <= lo)
    return 0.0;
  if (a >= hi)
    return a - 0.5 * (lo + hi);
  return (a - lo) * (a - lo) / (2.0 * (hi - lo));
}

/// E[(U - a)^+] for U uniform on [lo, hi].
[[nodiscard]] inline double expected_excess(double lo, double hi, double a) noexcept {
  if (hi <= lo)
    return std::max(lo - a, 0.0);
  if (a >= hi)
    return 0.0;
  if (a <= lo)
    return 0.5 * (lo + hi) - a;
  return (hi - a) * (hi - a) / (2.0 * (hi - lo));
}

/// Weitzman's reservation index of a box U ~ uniform[lo, hi] opened at cost
/// c: the z with E[(U - z)^+] = c (z = hi - sqrt(2 c (hi - lo)) when that is
/// at least lo, else mean - c).
[[nodiscard]] inline double weitzman_index_uniform(double lo, double hi, double c) noexcept {
  if (hi <= lo)
    return lo - c;
  const double z = hi - std::sqrt(2.0 * c * (hi - lo));
  return z >= lo ? z : 0.5 * (lo + hi) - c;
}

/// What a party knows of its own utility: an interval per outcome (uniform
/// prior), exact once known, and optionally an ordering of some outcomes.
class partial_profile {
public:
  partial_profile() = default;

  /// Per-outcome intervals [lo, hi] (lo == hi: known).
  partial_profile(std::vector<double> lo, std::vector<double> hi)
      : lo_(std::move(lo)), hi_(std::move(hi)) {
    if (lo_.size() != hi_.size())
      throw invalid_input("hi", "has " + std::to_string(hi_.size()) + " entries for " +
                                    std::to_string(lo_.size()) + " outcomes in lo");
    if (lo_.empty())
      throw invalid_input("lo", "is empty");
    for (std::size_t o = 0; o < lo_.size(); ++o) {
      if (!std::isfinite(lo_[o]) || !std::isfinite(hi_[o]))
        throw invalid_input("lo", static_cast<std::int64_t>(o), "interval is not finite");
      if (lo_[o] > hi_[o])
        throw invalid_input("hi", static_cast<std::int64_t>(o),
                            "is below lo (" + std::to_string(hi_[o]) + " < " +
                                std::to_string(lo_[o]) + ")");
    }
    known_.assign(lo_.size(), 0);
    for (std::size_t o = 0; o < lo_.size(); ++o)
      known_[o] = lo_[o] == hi_[o] ? 1 : 0;
  }

  /// From intervals on the weights of `u` (its evaluations known); `u`'s
  /// space must be enumerable. Weight i lies in [w_lo[i], w_hi[i]].
  static partial_profile from_weight_intervals(const linear_additive_utility &u,
                                               const std::vector<double> &w_lo,
                                               const std::vector<double> &w_hi) {
    const auto &space = u.space();
    space.require_enumerable();
    const auto k = space.issue_count();
    if (w_lo.size() != k)
      throw invalid_input("weight_lo", "has " + std::to_string(w_lo.size()) + " entries for " +
                                           std::to_string(k) + " issues");
    if (w_hi.size() != k)
      throw invalid_input("weight_hi", "has " + std::to_string(w_hi.size()) + " entries for " +
                                           std::to_string(k) + " issues");
    for (std::size_t i = 0; i < k; ++i) {
      if (!std::isfinite(w_lo[i]) || !std::isfinite(w_hi[i]))
        throw invalid_input("weight_lo", static_cast<std::int64_t>(i), "is not finite");
      if (w_lo[i] > w_hi[i])
        throw invalid_input("weight_hi", static_cast<std::int64_t>(i), "is below weight_lo");
      if (u.evaluators()[i].table.empty())
        throw invalid_input("evaluators", static_cast<std::int64_t>(i),
                            "has no value table (a continuous issue: discretise first)");
    }
    const auto n = static_cast<std::size_t>(space.size());
    std::vector<double> lo(n, 0.0), hi(n, 0.0);
    for (std::size_t o = 0; o < n; ++o) {
      for (std::size_t i = 0; i < k; ++i) {
        const double v = u.evaluators()[i].table[space.value_index(o, i)];
        lo[o] += std::min(w_lo[i] * v, w_hi[i] * v);
        hi[o] += std::max(w_lo[i] * v, w_hi[i] * v);
      }
      lo[o] = std::min(lo[o], u.cap());
      hi[o] = std::min(hi[o], u.cap());
    }
    return partial_profile(std::move(lo), std::move(hi));
  }

  /// From an ordering of some of `n` outcomes (best first) within the
  /// utility range [umin, umax] (see the design note).
  static partial_profile from_ordering(std::size_t n, std::vector<outcome_id> order, double umin,
                                       double umax) {
    if (!std::isfinite(umin) || !std::isfinite(umax) || umin > umax)
      throw invalid_input("umax", "the range [umin, umax] must be finite with umin <= umax");
    if (n == 0)
      throw invalid_input("n", "must be at least 1");
    std::vector<char> seen(n, 0);
    for (std::size_t j = 0; j < order.size(); ++j) {
      if (order[j] >= n)
        throw invalid_input("order", static_cast<std::int64_t>(j),
                            "outcome " + std::to_string(order[j]) + " is outside the space (" +
                                std::to_string(n) + " outcomes)");
      if (seen[order[j]])
        throw invalid_input("order", static_cast<std::int64_t>(j),
                            "outcome " + std::to_string(order[j]) + " appears twice");
      seen[order[j]] = 1;
    }
    partial_profile p(std::vector<double>(n, umin), std::vector<double>(n, umax));
    p.order_ = std::move(order);
    p.umin_ = umin;
    p.umax_ = umax;
    p.spread_order();
    return p;
  }

  [[nodiscard]] std::size_t size() const noexcept { return lo_.size(); }
  [[nodiscard]] double lo(outcome_id o) const noexcept { return lo_[o]; }
  [[nodiscard]] double hi(outcome_id o) const noexcept { return hi_[o]; }
  [[nodiscard]] double mean(outcome_id o) const noexcept { return 0.5 * (lo_[o] + hi_[o]); }
  [[nodiscard]] bool known(outcome_id o) const noexcept { return known_[o] != 0; }
  [[nodiscard]] const std::vector<outcome_id> &ordering() const noexcept { return order_; }
  /// Number of outcomes whose utility is known.
  [[nodiscard]] std::size_t known_count() const noexcept {
    return static_cast<std::size_t>(std::count(known_.begin(), known_.end(), char{1}));
  }

  /// Learn that outcome o's utility is u (an answer overrides the prior,
  /// even outside it); with an ordering, bound the other ranked outcomes.
  void reveal(outcome_id o, double u) {
    if (o >= size())
      throw invalid_input("outcome", "outcome " + std::to_string(o) + " is outside the profile");
    if (!std::isfinite(u))
      throw invalid_input("answer", "is not finite");
    lo_[o] = hi_[o] = u;
    known_[o] = 1;
    if (!order_.empty() && std::find(order_.begin(), order_.end(), o) != order_.end())
      spread_order();
  }

private:
  /// Re-spread the unknown ranked outcomes over equal bands between the
  /// known ones (or the range ends).
  void spread_order() {
    const std::size_t k = order_.size();
    std::size_t j = 0;
    double upper = umax_;
    while (j < k) {
      std::size_t e = j; // [j, e): unknown run
      while (e < k && !known_[order_[e]])
        ++e;
      const double lower = e < k ? std::min(lo_[order_[e]], upper) : umin_;
      const std::size_t m = e - j;
      const double band = m > 0 ? (upper - std::min(lower, upper)) / static_cast<double>(m) : 0.0;
      for (std::size_t q = 0; q < m; ++q) {
        const auto o = order_[j + q];
        hi_[o] = upper - band * static_cast<double>(q);
        lo_[o] = upper - band * static_cast<double>(q + 1);
      }
      if (e < k)
        upper = std::min(upper, lo_[order_[e]]);
      j = e + 1;
    }
  }

  std::vector<double> lo_, hi_;
  std::vector<char> known_;
  std::vector<outcome_id> order_;
  double umin_ = 0.0, umax_ = 1.0;
};

// ---- queries and the eliciting negotiator -------------------------------------------

/// How the eliciting negotiator decides to ask.
enum class elicitation_policy : std::uint8_t { blind = 0, pandora = 1, full = 2 };
template <> struct enum_traits<elicitation_policy> {
  static constexpr std::array<std::string_view, 3> names{"blind", "pandora", "full"};
};

/// Which decision a question served.
enum class question_reason : std::uint8_t { respond = 0, propose = 1, full = 2 };
template <> struct enum_traits<question_reason> {
  static constexpr std::array<std::string_view, 3> names{"respond", "propose", "full"};
};

/// One question asked: when, about which outcome, the answer.
struct question_record {
  std::uint32_t round = 0;
  std::uint32_t turn = 0;
  outcome_id outcome = 0;
  double answer = 0.0;
  question_reason reason = question_reason::respond;
};

/// The eliciting negotiator's parameters.
struct elicitation_options {
  elicitation_policy policy = elicitation_policy::pandora;
  double cost = 0.01;              ///< utility per question
  std::uint32_t max_questions = 0; ///< per session (0: no limit)
  std::uint32_t per_turn = 4;      ///< questions per decision at most
  double e = 0.2;                  ///< aspiration exponent (Boulware < 1)
  bool opponent_model = true;      ///< choose among near-target offers by the frequency model
  double window = 0.05;            ///< the opponent model's window above the target

  void validate() const {
    if (!std::isfinite(cost) || cost < 0.0)
      throw invalid_input("cost", "must be finite and >= 0, got " + std::to_string(cost));
    if (!std::isfinite(e) || e <= 0.0)
      throw invalid_input("e", "must be finite and > 0, got " + std::to_string(e));
    if (!std::isfinite(window) || window < 0.0)
      throw invalid_input("window", "must be finite and >= 0");
    if (per_turn == 0 && policy == elicitation_policy::pandora)
      throw invalid_input("per_turn", "must be at least 1 for the pandora policy");
  }
};

[[nodiscard]] inline std::string policy_name(elicitation_policy p) {
  return std::string(enum_name(p));
}

/// An aspiration negotiator on a partial profile that may ask (see the
/// design note). The scenario's own utilities are the user's answers: the
/// negotiator reads them only through ask().
class eliciting_negotiator : public negotiator {
public:
  eliciting_negotiator(partial_profile profile, elicitation_options opt = {})
      : prior_(std::move(profile)), opt_(opt) {
    opt_.validate();
  }

  void start(const negotiator_setup &setup) override {
    if (setup.sc->size() != prior_.size())
      throw invalid_input("profile", "has " + std::to_string(prior_.size()) +
                                         " outcomes for a scenario of " +
                                         std::to_string(setup.sc->size()));
    setup_ = setup;
    belief_ = prior_;
    questions_.clear();
    has_last_ = false; // a reused negotiator: no concession against the last session's offer
    tag_ = offer_tag::none;
    r_ = setup.reservation();
    if (opt_.opponent_model)
      model_.start(setup.sc->space());
    if (opt_.policy == elicitation_policy::full) {
      const auto n = static_cast<outcome_id>(belief_.size());
      for (outcome_id o = 0; o < n && may_ask(); ++o)
        if (!belief_.known(o))
          ask(o, turn_state{}, question_reason::full, false);
    }
    refresh_range();
  }
  response respond(const turn_state &s, outcome_id offer) override {
    if (opt_.opponent_model)
      model_.update(offer);
    for (std::uint32_t q = 0;; ++q) {
      const double a = target(s.t);
      const bool accept = belief_.mean(offer) >= a && belief_.mean(offer) >= r_;
      if (opt_.policy != elicitation_policy::pandora || belief_.known(offer) ||
          q >= opt_.per_turn || !may_ask())
        return accept ? response::accept : response::reject;
      // Pandora's rule for this box against the fallback a.
      const double lo = belief_.lo(offer), hi = belief_.hi(offer);
      const double thr = std::max(a, r_);
      const bool worth = accept ? expected_shortfall(lo, hi, thr) > opt_.cost
                                : weitzman_index_uniform(lo, hi, opt_.cost) > thr;
      if (!worth)
        return accept ? response::accept : response::reject;
      ask(offer, s, question_reason::respond);
    }
  }
  outcome_id propose(const turn_state &s) override {
    if (umax_ < r_)
      return end_negotiation;
    outcome_id o = choose(target(s.t));
    for (std::uint32_t q = 0; opt_.policy == elicitation_policy::pandora && q < opt_.per_turn &&
                              !belief_.known(o) && may_ask();
         ++q) {
      const double a = std::max(target(s.t), r_);
      if (!(expected_shortfall(belief_.lo(o), belief_.hi(o), a) > opt_.cost))
        break;
      ask(o, s, question_reason::propose);
      o = choose(target(s.t));
    }
    tag_ = has_last_ && belief_.mean(o) < belief_.mean(last_) - 1e-12 ? offer_tag::concession
                                                                      : offer_tag::none;
    last_ = o;
    has_last_ = true;
    return o;
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    return std::make_unique<eliciting_negotiator>(prior_, opt_);
  }
  [[nodiscard]] std::string name() const override {
    return "eliciting(" + policy_name(opt_.policy) + ")";
  }
  [[nodiscard]] offer_tag last_tag() const noexcept override { return tag_; }

  /// The questions of the last session, in order.
  [[nodiscard]] const std::vector<question_record> &questions() const noexcept {
    return questions_;
  }
  /// Their total cost.
  [[nodiscard]] double question_cost() const noexcept {
    return opt_.cost * static_cast<double>(questions_.size());
  }
  [[nodiscard]] const partial_profile &belief() const noexcept { return belief_; }
  [[nodiscard]] const partial_profile &prior() const noexcept { return prior_; }
  [[nodiscard]] const elicitation_options &options() const noexcept { return opt_; }
  /// The aspiration target at own time t.
  [[nodiscard]] double target(double t) const noexcept {
    const double tc = std::clamp(t, 0.0, 1.0);
    return floor_ + (umax_ - floor_) * (1.0 - std::pow(tc, 1.0 / opt_.e));
  }

private:
  [[nodiscard]] bool may_ask() const noexcept {
    return opt_.max_questions == 0 || questions_.size() < opt_.max_questions;
  }
  void ask(outcome_id o, const turn_state &s, question_reason why, bool refresh = true) {
    const double u = setup_.u(o); // the user's answer
    belief_.reveal(o, u);
    questions_.push_back({s.round, s.turn, o, u, why});
    if (refresh)
      refresh_range();
  }
  void refresh_range() noexcept {
    double mx = -std::numeric_limits<double>::infinity();
    double mn = std::numeric_limits<double>::infinity();
    for (outcome_id o = 0; o < belief_.size(); ++o) {
      mx = std::max(mx, belief_.mean(o));
      mn = std::min(mn, belief_.mean(o));
    }
    umax_ = mx;
    floor_ = std::min(mx, std::max(r_, mn));
  }
  /// The outcome whose mean is at or just above `target` (the opponent
  /// model's favourite within the window), else the best believed.
  [[nodiscard]] outcome_id choose(double target) const noexcept {
    const auto n = static_cast<outcome_id>(belief_.size());
    outcome_id at = 0, best = 0;
    double at_mean = std::numeric_limits<double>::infinity();
    double best_mean = -std::numeric_limits<double>::infinity();
    for (outcome_id o = 0; o < n; ++o) {
      const double m = belief_.mean(o);
      if (m > best_mean) {
        best_mean = m;
        best = o;
      }
      if (m >= target && m < at_mean) {
        at_mean = m;
        at = o;
      }
    }
    if (!std::isfinite(at_mean))
      return best;
    if (!opt_.opponent_model || model_.offers_seen() == 0)
      return at;
    outcome_id pick = at;
    double pick_est = model_(at);
    for (outcome_id o = 0; o < n; ++o) {
      const double m = belief_.mean(o);
      if (m >= at_mean && m <= at_mean + opt_.window) {
        const double est = model_(o);
        if (est > pick_est) {
          pick_est = est;
          pick = o;
        }
      }
    }
    return pick;
  }

  partial_profile prior_, belief_;
  elicitation_options opt_;
  negotiator_setup setup_;
  std::vector<question_record> questions_;
  frequency_model model_;
  double r_ = 0.0, umax_ = 1.0, floor_ = 0.0;
  outcome_id last_ = 0;
  bool has_last_ = false;
  offer_tag tag_ = offer_tag::none;
};

// ---- a session with elicitation, and its ledger events ------------------------------------

/// A session whose party `me` elicits: the session and its questions.
struct elicitation_result {
  session_result session;
  int me = 0;
  std::vector<question_record> questions;
  double question_cost = 0.0;
  /// The eliciting party's discounted utility minus its question cost.
  double net = 0.0;
};

/// Run one session: `elicitor` plays party `me`, `opponent` the other.
[[nodiscard]] inline elicitation_result run_elicitation_session(const scenario &sc,
                                                                eliciting_negotiator &elicitor,
                                                                negotiator &opponent, int me = 0,
                                                                const session_options &opt = {}) {
  if (me != 0 && me != 1)
    throw invalid_input("me", "must be 0 or 1, got " + std::to_string(me));
  elicitation_result r;
  r.me = me;
  if (me == 0)
    run_session(sc, elicitor, opponent, opt, r.session);
  else
    run_session(sc, opponent, elicitor, opt, r.session);
  r.questions = elicitor.questions();
  r.question_cost = elicitor.question_cost();
  r.net = (me == 0 ? r.session.du1 : r.session.du2) - r.question_cost;
  return r;
}

/// The settings of elicitation runs outside the negotiator: the ledger's
/// cost of a question and the batch's uncertainty and interval level. The
/// defaults live here once (Python reads them: ElicitationRunOptions).
struct elicitation_run_defaults {
  double hours_per_question = 1.0; ///< a discovery event's amount (hours)
  double spread = 0.3;             ///< batch: width of each weight interval (draw_weight_intervals)
  double confidence = 0.95;        ///< batch: level of the Student's t intervals
};

/// Append a finished elicitation session to a ledger: one `discovery`
/// event per question (amount: hours_per_question, at its round's time),
/// then the session's events (append_session_events). Returns the count.
inline std::size_t append_elicitation_events(
    ledger &l, const scenario &sc, const elicitation_result &r, const ledger_link &link,
    double hours_per_question = elicitation_run_defaults{}.hours_per_question) {
  if (!std::isfinite(hours_per_question) || hours_per_question < 0.0)
    throw invalid_input("hours_per_question", "must be finite and >= 0");
  if (link.we != r.me)
    throw invalid_input("we", "the ledger's party (" + std::to_string(link.we) +
                                  ") is not the eliciting party (" + std::to_string(r.me) + ")");
  if (!std::isfinite(link.start_time) || !std::isfinite(link.days_per_round) ||
      link.days_per_round < 0.0)
    throw invalid_input("days_per_round", "must be finite and >= 0");
  for (const auto &q : r.questions)
    l.append({link.customer, link.start_time + static_cast<double>(q.round) * link.days_per_round,
              event_kind::discovery, hours_per_question, 0});
  return r.questions.size() + append_session_events(l, sc, r.session, link);
}

// ---- a batch: blind against eliciting on the same scenario --------------------------------

/// One session of an elicitation batch.
struct elicitation_row {
  std::uint32_t policy = 0; ///< index into the policies
  std::uint64_t seed = 0;
  session_status status = session_status::deadline;
  outcome_id outcome = 0;
  double u = 0.0;  ///< the eliciting party's true (undiscounted) utility
  double du = 0.0; ///< discounted
  double opponent_u = 0.0;
  std::uint32_t questions = 0;
  double cost = 0.0;
  double net = 0.0; ///< du - cost
  std::uint32_t rounds = 0;
};

/// Per policy: net utility's mean and Student's t interval, agreements,
/// questions, and the paired difference (same seeds) from policy 0.
struct elicitation_summary {
  std::uint32_t policy = 0;
  std::size_t n = 0;
  double mean_net = 0.0, net_lo = 0.0, net_hi = 0.0;
  double mean_u = 0.0, agreement_rate = 0.0, mean_questions = 0.0;
  double diff = 0.0, diff_lo = 0.0, diff_hi = 0.0; ///< net minus policy 0's, paired
};

struct elicitation_batch_result {
  std::vector<elicitation_row> rows; ///< policy-major, then seed
  std::vector<elicitation_summary> summary;
  double confidence = elicitation_run_defaults{}.confidence;
};

/// The eliciting party's weight intervals for one seed: [w - s u, w + s (1 - u)],
/// u ~ U(0, 1) per issue from the stream keyed by (seed, me), lower ends
/// clamped at 0.
inline std::pair<std::vector<double>, std::vector<double>>
draw_weight_intervals(const std::vector<double> &w, double spread, std::uint64_t seed, int me) {
  detail::counter_stream s(seed, static_cast<std::uint64_t>(me), 0x656c6963);
  std::vector<double> lo(w.size()), hi(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double u = detail::u01(s);
    lo[i] = std::max(0.0, w[i] - spread * u);
    hi[i] = w[i] + spread * (1.0 - u);
  }
  return {std::move(lo), std::move(hi)};
}

namespace detail {
inline void mean_interval(const std::vector<double> &x, double confidence, double &mean, double &lo,
                          double &hi) {
  const sample_moments m = moments_of(x); // one draw: no interval, not a zero-width one
  const double h = t_half_width(m.sd, m.n, confidence);
  mean = m.mean;
  lo = mean - h;
  hi = mean + h;
}
} // namespace detail

/// Play party `me` with each policy's eliciting negotiator against
/// `opponent` on `sc` for every seed, the partial profile drawn per seed
/// from `truth`'s weights (draw_weight_intervals with `spread`); `truth`
/// must be the utility function whose evaluate_all gives sc's party `me`.
/// Rows are identical whatever the thread count.
[[nodiscard]] inline elicitation_batch_result run_elicitation_batch(
    const scenario &sc, const linear_additive_utility &truth, int me, const negotiator &opponent,
    const std::vector<elicitation_options> &policies, const std::vector<std::uint64_t> &seeds,
    double spread = elicitation_run_defaults{}.spread, session_options opt = {},
    unsigned threads = 0, double confidence = elicitation_run_defaults{}.confidence) {
  if (me != 0 && me != 1)
    throw invalid_input("me", "must be 0 or 1, got " + std::to_string(me));
  if (policies.empty())
    throw invalid_input("policies", "is empty");
  if (seeds.empty())
    throw invalid_input("seeds", "is empty");
  if (!std::isfinite(spread) || spread < 0.0)
    throw invalid_input("spread", "must be finite and >= 0, got " + std::to_string(spread));
  if (!(confidence > 0.0 && confidence < 1.0))
    throw invalid_input("confidence", "must be in (0, 1)");
  if (truth.space().size() != sc.size())
    throw invalid_input("truth", "is over a space of " + std::to_string(truth.space().size()) +
                                     " outcomes; the scenario has " + std::to_string(sc.size()));
  for (std::size_t i = 0; i < policies.size(); ++i)
    policies[i].validate();
  {
    const auto tu = truth.evaluate_all();
    for (Eigen::Index o = 0; o < tu.size(); ++o)
      if (std::abs(std::min(tu[o], truth.cap()) - sc.utility(me)[o]) > 1e-9)
        throw invalid_input("truth", static_cast<std::int64_t>(o),
                            "does not give the scenario's utility of party " + std::to_string(me));
  }
  opt.keep_trace = false;
  const std::size_t total = policies.size() * seeds.size();
  elicitation_batch_result out;
  out.confidence = confidence;
  out.rows.resize(total);
  // one row per (policy, seed), shared out over the threads (each row its
  // own opponent copy: rows do not depend on the thread count)
  detail::for_each_piece(detail::resolve_threads(threads), total, [&](std::size_t idx) {
    auto opp = opponent.clone();
    const std::size_t pi = idx / seeds.size();
    const auto seed = seeds[idx % seeds.size()];
    const auto [lo, hi] = draw_weight_intervals(truth.weights(), spread, seed, me);
    eliciting_negotiator el(partial_profile::from_weight_intervals(truth, lo, hi), policies[pi]);
    auto o = opt;
    o.seed = seed;
    const auto r = run_elicitation_session(sc, el, *opp, me, o);
    auto &row = out.rows[idx];
    row.policy = static_cast<std::uint32_t>(pi);
    row.seed = seed;
    row.status = r.session.status;
    row.outcome = r.session.outcome;
    row.u = me == 0 ? r.session.u1 : r.session.u2;
    row.du = me == 0 ? r.session.du1 : r.session.du2;
    row.opponent_u = me == 0 ? r.session.u2 : r.session.u1;
    row.questions = static_cast<std::uint32_t>(r.questions.size());
    row.cost = r.question_cost;
    row.net = r.net;
    row.rounds = r.session.rounds;
  });
  const std::size_t ns = seeds.size();
  for (std::size_t pi = 0; pi < policies.size(); ++pi) {
    elicitation_summary s;
    s.policy = static_cast<std::uint32_t>(pi);
    s.n = ns;
    std::vector<double> net(ns), diff(ns);
    double u = 0.0, agree = 0.0, q = 0.0;
    for (std::size_t k = 0; k < ns; ++k) {
      const auto &row = out.rows[pi * ns + k];
      net[k] = row.net;
      diff[k] = row.net - out.rows[k].net;
      u += row.u;
      agree += row.status == session_status::agreement ? 1.0 : 0.0;
      q += static_cast<double>(row.questions);
    }
    detail::mean_interval(net, confidence, s.mean_net, s.net_lo, s.net_hi);
    detail::mean_interval(diff, confidence, s.diff, s.diff_lo, s.diff_hi);
    s.mean_u = u / static_cast<double>(ns);
    s.agreement_rate = agree / static_cast<double>(ns);
    s.mean_questions = q / static_cast<double>(ns);
    out.summary.push_back(s);
  }
  return out;
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_ELICITATION_HPP
