// goodwill — sessions over continuous issues directly: offers are points of
// the issue box, chosen by search on the utility, not picked from an
// enumerated or sampled candidate set.
//
// Design. run_continuous_session plays the alternating-offers protocol of
// session.hpp (turn k belongs to party (first + k) mod 2, a round is two
// turns, R rounds allow 2R offers, t = k / (2R - 1), the owner of turn 2R
// only responds) with offers that are outcome value vectors
// (outcome_space.hpp: the real value of a continuous issue, the value of a
// discrete one). Each party plays a time-dependent strategy (or tit-for-tat,
// below; Faratin et al. 1998, as time_dependent in strategies.hpp): target
// u*(t) = u_min + (u_max - u_min)(1 - t^(1/e)), u_max its utility at its best
// point b, u_min = max(reservation, its utility at its worst point). It
// accepts the standing offer when that is worth at least the offer it would
// make next (AC_next) and at least its reservation.
//
// Choosing the offer for a target (no enumeration): the concession path runs
// from the own best point b to the opponent's latest offer w (before one: the
// own worst point), x(l) = b + l (w - b) on the continuous issues, l in [0, 1];
// discrete issues keep b's values (but see the mixed-space note). The offer is x(l*) with l* found
// by bisection (continuous_options::bisection_steps halvings of [0, 1]) as the largest l the search
// keeps with u(x(l)) >= target: if u(x(1)) >= target the offer is x(1); if u(b) < target it is b.
//   * Linear-additive utilities: every term w_i v_i(x_i) is monotone along
//     the segment from its maximiser b_i, so u(x(l)) is non-increasing and
//     continuous in l and the offer's utility equals the target to within
//     (u(b) - u(x(1))) 2^-steps (1e-15 and below with the default 60 steps).
//     b and the worst point are in closed form (per issue, the better or
//     worse end of a continuous issue, the best or worst table entry).
//   * Other utilities (hyper-rectangle, weighted sums; any type with
//     operator()(std::span<const double>), space(), reservation()): the same
//     bisection keeps u(x(l)) >= target at the lower end, so the offer is
//     worth at least the target (a crossing of the target along the path;
//     with step utilities the step at or above it). b and the worst point are
//     found by a documented local search: coordinate ascent (descent) from the
//     box centre, each pass trying `probes` evenly spaced values of each
//     continuous issue (and every value of a discrete one, at most `probes`
//     spread over it), at most `passes` passes.
// Nothing in a session depends on a number of levels or samples: the only
// search parameters are the bisection depth and, for non-linear
// utilities, the local search's probes.
//
// Discrete issues of a mixed space: when their value combinations number
// at most continuous_options::discrete_limit (default 256), each
// combination d gets its own path (d on the discrete issues, b to w on the
// continuous ones) and its own bisection; among the combinations whose path
// reaches the target, the offer is the one most similar to the opponent's
// latest offer (normalised distance: |x_i - w_i| / range on a continuous
// issue, 1 per differing discrete value; ties keep the own best values),
// the similarity criterion of Faratin, Sierra & Jennings (2002, "Using
// similarity criteria to make issue trade-offs"). Only the discrete part is
// enumerated, and only when it is small; beyond the limit the discrete
// issues stay at the own best values (before a first opponent offer the
// path ends at the own worst point, so similarity is to that).
//
// Tit-for-tat (continuous_strategy::tit_for_tat, as tit_for_tat in
// strategies.hpp): the target is u_max - factor * max(0, u(latest) - u(first)),
// u the party's own utility of the opponent's first and latest offers,
// floored at u_min; the offer for it is found by the same bisection on the
// concession path, and it accepts by AC_next and its reservation. It does not
// use the clock (so a private deadline changes only when the session ends).
//
// Private deadlines and reservations (as session.hpp, same option names and
// semantics): each party may have its own deadline, in rounds (own_rounds,
// 0: `rounds`) or as a share of `rounds` (own_time in (0, 1], rounded up to
// whole rounds; the earlier of the two applies), and its own reservation
// value (reservation, NaN: its utility's), neither told to the other. A
// party's strategy runs on its own clock, t_p = k / (2 R_p - 1) over its own
// R_p rounds, and uses its own reservation as u_min's floor, so it never
// proposes or accepts below it; it sees nothing of the other's deadline or
// reservation (only its offers). The session ends at the earlier deadline
// (status deadline, deadline_party says whose when the two differ); the
// result's t and the trace's t keep the session's clock over `rounds`.
// Without agreement each party gets its own reservation. A party whose best
// point is worth less than its reservation has nothing to propose and walks
// away at its first turn (as the discrete strategies do).
#ifndef GOODWILL_NEGOTIATION_CONTINUOUS_HPP
#define GOODWILL_NEGOTIATION_CONTINUOUS_HPP

#include <goodwill/error.hpp>
#include <goodwill/interrupt.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>
#include <goodwill/negotiation/scenario.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace goodwill {

/// A strategy over a continuous space (header note): time-dependent, or
/// tit-for-tat (behaviour-dependent, as tit_for_tat in strategies.hpp).
struct continuous_strategy {
  double e = 1.0; ///< concession exponent: < 1 Boulware, 1 linear, > 1 conceder, 0 hard-liner
  enum class kind : std::uint8_t {
    time_dependent = 0,
    tit_for_tat = 1
  } which = kind::time_dependent;
  double factor = 1.0; ///< tit-for-tat: utility conceded per unit the opponent improved
  void validate() const {
    if (!std::isfinite(e) || e < 0.0)
      throw invalid_input("e", "must be finite and >= 0");
    if (!std::isfinite(factor) || factor < 0.0)
      throw invalid_input("factor", "must be finite and >= 0");
  }
  static continuous_strategy tit_for_tat(double factor = 1.0) {
    return {1.0, kind::tit_for_tat, factor};
  }
};

/// Options of a continuous session.
struct continuous_options {
  std::uint32_t rounds = 100;         ///< deadline in rounds (2 offers each)
  int first = 0;                      ///< the party that opens
  std::uint32_t bisection_steps = 60; ///< halvings of the concession path
  std::uint32_t probes = 65;          ///< non-linear utilities: values per issue and pass
  std::uint32_t passes = 4;           ///< non-linear utilities: coordinate passes
  bool keep_trace = true;
  /// Mixed spaces: the discrete issues are searched when they have at most
  /// this many value combinations (0 or 1: they stay at the own best values).
  std::uint64_t discrete_limit = 256;
  /// Each party's own deadline in rounds (0: `rounds`), not told to the other.
  std::array<std::uint32_t, 2> own_rounds{0, 0};
  /// Each party's own deadline as a share of `rounds`, in (0, 1] (rounded
  /// up to whole rounds); the earlier of own_rounds and own_time applies.
  std::array<double, 2> own_time{1.0, 1.0};
  /// Each party's private reservation value (NaN: its utility's).
  std::array<double, 2> reservation{std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::quiet_NaN()};
  void validate() const {
    detail::check_rounds_and_first(rounds, first);
    if (bisection_steps == 0 || bisection_steps > 200)
      throw invalid_input("bisection_steps", "must be in [1, 200]");
    if (probes < 2)
      throw invalid_input("probes", "must be at least 2");
    if (passes == 0)
      throw invalid_input("passes", "must be at least 1 (a non-linear utility's best point "
                                    "is searched in passes)");
    for (std::size_t p = 0; p < 2; ++p)
      detail::check_private_terms(p, own_time[p], reservation[p]);
  }
  /// Party p's own deadline in rounds (header note), in [1, rounds].
  [[nodiscard]] std::uint32_t party_rounds(std::size_t p) const {
    return detail::party_rounds(rounds, own_rounds[p], own_time[p]);
  }
};

/// One offer of a continuous trace.
struct continuous_offer {
  std::uint32_t round = 0;
  std::uint8_t proposer = 0;
  std::vector<double> values; ///< the offer, one value per issue
  double target = 0.0;        ///< the proposer's target utility
  double u1 = 0.0, u2 = 0.0;  ///< both parties' utilities of the offer
  double t = 0.0;             ///< the session's relative time
  double own_t = 0.0;         ///< the proposer's time on its own deadline
};

/// The outcome of a continuous session.
struct continuous_result {
  session_status status = session_status::deadline;
  int ended_by = -1;       ///< who accepted or walked away (-1: deadline)
  int deadline_party = -1; ///< whose own deadline ended it (-1: the common one, or none)
  std::array<std::uint32_t, 2> own_rounds{0, 0}; ///< each party's deadline in rounds
  std::vector<double> values;                    ///< the agreement (status == agreement)
  double u1 = 0.0, u2 = 0.0; ///< the agreement's utilities, or the (private) reservations
  double t = 0.0;            ///< session time of the accepted offer, or at the end
  std::uint32_t rounds = 0, offers = 0;
  std::vector<continuous_offer> trace;
  [[nodiscard]] bool agreement() const noexcept { return status == session_status::agreement; }
};

namespace detail {

/// The best (sign +1) or worst (sign -1) point of a linear-additive utility, in closed form.
inline std::vector<double> extreme_point(const linear_additive_utility &u, double sign,
                                         const continuous_options &) {
  const auto &sp = u.space();
  std::vector<double> x(sp.issue_count());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto &is = sp.issues()[i];
    const double w = sign * u.weights()[i];
    const auto &ev = u.evaluators()[i];
    if (is.discrete()) {
      std::size_t best = 0;
      for (std::size_t j = 1; j < ev.table.size(); ++j)
        if (w * ev.table[j] > w * ev.table[best])
          best = j;
      x[i] = is.value_at(best);
    } else {
      const double lo = w * (*ev.linear)(is.lower, is.lower);
      const double hi = w * (*ev.linear)(is.upper, is.lower);
      x[i] = hi > lo ? is.upper : is.lower;
    }
  }
  return x;
}

/// The best or worst point of any other utility: coordinate ascent (header note).
template <class U>
std::vector<double> extreme_point(const U &u, double sign, const continuous_options &opt) {
  const auto &sp = u.space();
  const std::size_t k = sp.issue_count();
  std::vector<double> x(k);
  for (std::size_t i = 0; i < k; ++i) {
    const auto &is = sp.issues()[i];
    x[i] = is.discrete() ? is.value_at(is.size() / 2) : 0.5 * (is.lower + is.upper);
  }
  double fx = sign * u(std::span<const double>(x));
  for (std::uint32_t pass = 0; pass < opt.passes; ++pass) {
    bool improved = false;
    for (std::size_t i = 0; i < k; ++i) {
      const auto &is = sp.issues()[i];
      const double keep = x[i];
      double best = keep, fbest = fx;
      const std::uint64_t m =
          is.discrete() ? std::min<std::uint64_t>(is.size(), opt.probes) : opt.probes;
      for (std::uint64_t j = 0; j < m; ++j) {
        x[i] = is.discrete() ? is.value_at(m == 1 ? 0 : j * (is.size() - 1) / (m - 1))
                             : is.lower + (is.upper - is.lower) * static_cast<double>(j) /
                                              static_cast<double>(m - 1);
        const double f = sign * u(std::span<const double>(x));
        if (f > fbest) {
          fbest = f;
          best = x[i];
        }
      }
      x[i] = best;
      if (fbest > fx) {
        fx = fbest;
        improved = true;
      }
    }
    if (!improved)
      break;
  }
  return x;
}

/// One party's state in a continuous session.
template <class U> struct continuous_party {
  const U *u = nullptr;
  continuous_strategy s;
  std::vector<double> best, worst, path_end, x;
  double umax = 0.0, umin = 0.0, reservation = 0.0;
  /// Own utility of the opponent's first and latest offers (NaN: none yet;
  /// utilities may be negative).
  double first_seen = std::numeric_limits<double>::quiet_NaN(), latest_seen = first_seen;

  void start(const U &uf, continuous_strategy st, const continuous_options &opt, double res) {
    u = &uf;
    s = st;
    best = extreme_point(uf, 1.0, opt);
    worst = extreme_point(uf, -1.0, opt);
    path_end = worst;
    umax = uf(std::span<const double>(best));
    reservation = res;
    umin = std::max(reservation, uf(std::span<const double>(worst)));
    x = best;
  }
  /// Whether some point (its best) is worth its reservation; if not it walks away.
  [[nodiscard]] bool rational() const noexcept { return umax >= reservation; }
  /// Record the own utility of the opponent's standing offer.
  void observe(double u_offer) noexcept {
    if (std::isnan(first_seen))
      first_seen = u_offer;
    latest_seen = u_offer;
  }
  [[nodiscard]] double target(double t) const {
    if (s.which == continuous_strategy::kind::tit_for_tat) {
      const double gain = std::isnan(first_seen) ? 0.0 : std::max(0.0, latest_seen - first_seen);
      return std::max(umin, umax - s.factor * gain);
    }
    const double f = s.e == 0.0 ? 0.0 : std::pow(std::clamp(t, 0.0, 1.0), 1.0 / s.e);
    return umin + (umax - umin) * (1.0 - f);
  }
  /// The offer for time t (header note), written to x; returns its utility.
  double offer(double t, const continuous_options &opt) {
    const double tgt = target(t);
    const auto &sp = u->space();
    const std::size_t k = x.size();
    std::uint64_t combos = 1;
    bool over_limit = false; // checked before multiplying: no wrap-around
    for (std::size_t i = 0; i < k && !over_limit; ++i)
      if (sp.issues()[i].discrete()) {
        const std::uint64_t size = sp.issues()[i].size();
        over_limit = size != 0 && combos > opt.discrete_limit / size;
        combos *= over_limit ? 1 : size;
      }
    if (combos <= 1 || over_limit)
      return along(best, tgt, opt);
    // Every combination of the discrete issues' values (mixed radix), the
    // own best first; among those whose path reaches the target, the offer
    // most similar to the opponent's (header note).
    std::vector<double> base = best, pick;
    std::vector<std::uint64_t> idx(k, 0);
    double pick_u = along(best, tgt, opt), pick_d = std::numeric_limits<double>::infinity();
    if (pick_u >= tgt) {
      pick = x;
      pick_d = distance(x);
    }
    for (std::uint64_t c = 0; c < combos; ++c) {
      for (std::size_t i = 0; i < k; ++i)
        if (sp.issues()[i].discrete())
          base[i] = sp.issues()[i].value_at(idx[i]);
      if (base != best) {
        const double v = along(base, tgt, opt);
        if (v >= tgt) {
          const double d = distance(x);
          if (d < pick_d) {
            pick_d = d;
            pick = x;
            pick_u = v;
          }
        }
      }
      for (std::size_t i = 0; i < k; ++i) { // next combination
        if (!sp.issues()[i].discrete())
          continue;
        if (++idx[i] < sp.issues()[i].size())
          break;
        idx[i] = 0;
      }
    }
    if (pick.empty())
      return along(best, tgt, opt);
    x = pick;
    return pick_u;
  }

private:
  /// Normalised distance of a point to the path's end (the opponent's offer).
  [[nodiscard]] double distance(const std::vector<double> &y) const {
    const auto &sp = u->space();
    double d = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      const auto &is = sp.issues()[i];
      if (is.discrete())
        d += y[i] != path_end[i] ? 1.0 : 0.0;
      else if (is.upper > is.lower)
        d += std::abs(y[i] - path_end[i]) / (is.upper - is.lower);
    }
    return d;
  }
  /// The offer on the path from `base` (its discrete values, best's
  /// continuous ones) towards path_end (header note), written to x.
  double along(const std::vector<double> &base, double tgt, const continuous_options &opt) {
    const auto &sp = u->space();
    auto at = [&](double l) {
      for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = sp.issues()[i].discrete() ? base[i] : best[i] + l * (path_end[i] - best[i]);
      return (*u)(std::span<const double>(x));
    };
    if (at(1.0) >= tgt)
      return (*u)(std::span<const double>(x));
    if (at(0.0) < tgt)
      return (*u)(std::span<const double>(x));
    double lo = 0.0, hi = 1.0; // u(x(lo)) >= tgt > u(x(hi))
    for (std::uint32_t step = 0; step < opt.bisection_steps; ++step) {
      const double mid = 0.5 * (lo + hi);
      if (at(mid) >= tgt)
        lo = mid;
      else
        hi = mid;
    }
    return at(lo);
  }
};

} // namespace detail

/// Run a continuous session between u1's party (0) and u2's party (1), each
/// playing its continuous_strategy (header note).
template <class U1, class U2>
[[nodiscard]] continuous_result
run_continuous_session(const U1 &u1, const U2 &u2, continuous_strategy s1, continuous_strategy s2,
                       const continuous_options &opt = {}) {
  opt.validate();
  s1.validate();
  s2.validate();
  const auto &sp = u1.space();
  if (sp.issue_count() != u2.space().issue_count())
    throw invalid_input("u2", "is over a space of " + std::to_string(u2.space().issue_count()) +
                                  " issues; u1's has " + std::to_string(sp.issue_count()));
  for (std::size_t i = 0; i < sp.issue_count(); ++i) {
    const auto &a = sp.issues()[i];
    const auto &b = u2.space().issues()[i];
    if (a.kind != b.kind || a.lower != b.lower || a.upper != b.upper || a.size() != b.size())
      throw invalid_input("u2", static_cast<std::int64_t>(i),
                          "issue '" + b.name + "' differs from u1's '" + a.name + "'");
  }
  double res[2];
  std::uint32_t own_turns[2];
  continuous_result out;
  for (std::size_t p = 0; p < 2; ++p) {
    res[p] = std::isnan(opt.reservation[p]) ? (p == 0 ? u1.reservation() : u2.reservation())
                                            : opt.reservation[p];
    out.own_rounds[p] = opt.party_rounds(p);
    own_turns[p] = 2 * out.own_rounds[p];
  }
  detail::continuous_party<U1> p0;
  detail::continuous_party<U2> p1;
  p0.start(u1, s1, opt, res[0]);
  p1.start(u2, s2, opt, res[1]);
  const std::uint32_t all_turns = 2 * opt.rounds;
  const std::uint32_t turns = std::min(own_turns[0], own_turns[1]);
  // The session's clock (result, trace) over all rounds; a party's own
  // clock over its own deadline (header note).
  auto clock = [](std::uint32_t k, std::uint32_t n) {
    return n <= 1 ? 1.0 : std::min(1.0, static_cast<double>(k) / static_cast<double>(n - 1));
  };
  std::vector<double> standing;
  double standing_t = 0.0;
  bool has_offer = false;
  std::uint32_t k = 0;
  for (;; ++k) {
    check_interrupt(); // each turn is a break point (interrupt.hpp)
    const int p = (opt.first + static_cast<int>(k)) % 2;
    const double t = clock(k, all_turns);
    const double own_t = clock(k, own_turns[p]);
    if (has_offer) {
      const std::span<const double> o(standing);
      if (p == 0)
        p0.observe(u1(o));
      else
        p1.observe(u2(o));
    }
    // The proposal this party would make now (its next offer), on its own clock.
    const double u_next = p == 0 ? p0.offer(own_t, opt) : p1.offer(own_t, opt);
    const auto &next = p == 0 ? p0.x : p1.x;
    if (has_offer) {
      const std::span<const double> o(standing);
      const double u_o = p == 0 ? u1(o) : u2(o);
      if (u_o >= u_next && u_o >= res[p]) {
        out.status = session_status::agreement;
        out.ended_by = p;
        out.values = standing;
        out.t = standing_t;
        break;
      }
    }
    if (k >= turns) {
      out.t = t;
      if (own_turns[0] != own_turns[1])
        out.deadline_party = own_turns[0] < own_turns[1] ? 0 : 1;
      break;
    }
    if (!(p == 0 ? p0.rational() : p1.rational())) {
      out.status = session_status::walked_away;
      out.ended_by = p;
      out.t = t;
      break;
    }
    // Propose, then the other party concedes towards this offer.
    standing = next;
    has_offer = true;
    standing_t = t;
    ++out.offers;
    if (p == 0)
      p1.path_end = standing;
    else
      p0.path_end = standing;
    if (opt.keep_trace) {
      const std::span<const double> o(standing);
      out.trace.push_back({k / 2, static_cast<std::uint8_t>(p), standing,
                           p == 0 ? p0.target(own_t) : p1.target(own_t), u1(o), u2(o), t, own_t});
    }
  }
  out.rounds = std::min(turns / 2, k / 2 + 1);
  if (out.agreement()) {
    const std::span<const double> o(out.values);
    out.u1 = u1(o);
    out.u2 = u2(o);
  } else {
    out.u1 = res[0];
    out.u2 = res[1];
  }
  return out;
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_CONTINUOUS_HPP
