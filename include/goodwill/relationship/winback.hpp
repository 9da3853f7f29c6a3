// goodwill — win-back: how long lost, churned and fired customers take to
// come back, as a Kaplan–Meier curve with a Greenwood confidence band.
//
// Spells (win_back_spells) come from a replay's transition log, so that
// "lost" and "returned" mean what the relationship model says they mean:
//   - a spell starts when a customer moves from a state outside the exit set
//     into one inside it (default model: lost, churned, fired);
//   - moves inside the exit set (lost -> churned) continue the same spell;
//   - the spell ends, observed, at the first move out of the exit set (default
//     model: to won_back, on a return, a won deal or a purchase); its
//     duration is that move's time minus the spell's start;
//   - a spell still open at `end` (default: the replay's as-of time, which is
//     the last replayed event of the whole ledger unless the replay was given
//     until or as_of) is censored there; log records after `end` are ignored.
//   - given the replayed ledger, a spell starts at the time of the event that
//     caused the exit (its record's row) rather than the record's time: for a
//     dormancy move (relationship_model.hpp) that is the last lost deal, so
//     the duration is the whole time without business — never shorter than
//     the dormancy window — and not the time since the window ran out.
//   A customer can have several spells. Times are the ledger's (days).
//
// Kaplan–Meier (kaplan_meier): at each distinct duration t (events or
// censorings), n = subjects with duration >= t, d = observed returns at t,
// c = censored at t; S(t) = Π (1 − d/n). Greenwood: Var S = S² Σ d/(n(n−d)).
// Pointwise band at `level`, z = Φ^-1(1 − (1 − level)/2), σ² = Σ d/(n(n−d)):
//   log_log (default; lifelines' "exponential Greenwood", Kalbfleisch &
//            Prentice): S^exp(±z σ / log S);
//   log     (R survival's default conf.type = "log"): S·exp(±z σ), upper
//            clipped at 1;
//   plain   (Greenwood's linear band): S ± z S σ, clipped to [0, 1].
// While S = 1 the band is [1, 1]; once S = 0 it is [0, 0]. The timeline starts
// at 0 (S = 1) unless a duration is negative (then at the smallest one).
// Median: the smallest t with S(t) <= 0.5 (+inf if none); its interval
// (Brookmeyer & Crowley 1982, as lifelines' median_survival_times on the band)
// is [first t where the lower band <= 0.5, first t where the upper band <= 0.5].
#ifndef GOODWILL_RELATIONSHIP_WINBACK_HPP
#define GOODWILL_RELATIONSHIP_WINBACK_HPP

#include <goodwill/detail/special.hpp>
#include <goodwill/error.hpp>
#include <goodwill/relationship/replay.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace goodwill {

/// How the pointwise confidence band of a Kaplan–Meier curve is built.
enum class km_band : std::uint8_t {
  log_log = 0, ///< exponential Greenwood (lifelines' default)
  log = 1,     ///< log transform (R survival's default)
  plain = 2,   ///< linear Greenwood
};

/// A Kaplan–Meier estimate, one row per distinct time.
struct survival_table {
  std::vector<double> timeline;
  std::vector<std::uint32_t> at_risk, events, censored;
  std::vector<double> survival, lower, upper;
  /// Σ d/(n(n−d)) up to each time (Greenwood; Var S = S²·this).
  std::vector<double> greenwood;
  double level = 0.95;
  double median = std::numeric_limits<double>::infinity();
  double median_lower = std::numeric_limits<double>::infinity();
  double median_upper = std::numeric_limits<double>::infinity();

  [[nodiscard]] std::size_t size() const noexcept { return timeline.size(); }

  /// S(t): the estimate at the last time <= t (1 before the first).
  [[nodiscard]] double survival_at(double t) const {
    auto it = std::upper_bound(timeline.begin(), timeline.end(), t);
    if (it == timeline.begin())
      return 1.0;
    return survival[static_cast<std::size_t>(it - timeline.begin()) - 1];
  }
};

/// Kaplan–Meier estimate of durations, observed[i] != 0 for an observed event
/// (0: censored). Throws invalid_input naming the field and row for a
/// non-finite duration, for columns of different lengths or a bad level.
[[nodiscard]] inline survival_table kaplan_meier(std::span<const double> durations,
                                                 std::span<const std::uint8_t> observed,
                                                 double level = 0.95,
                                                 km_band band = km_band::log_log) {
  const std::size_t n = durations.size();
  if (observed.size() != n)
    throw invalid_input("observed", "has " + std::to_string(observed.size()) +
                                        " rows where 'duration' has " + std::to_string(n));
  if (!(level > 0.0 && level < 1.0))
    throw invalid_input("level", "must be in (0, 1), got " + std::to_string(level));
  if (n > 0xFFFFFFFFu)
    throw invalid_input("duration", "too many subjects");
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(durations[i]))
      throw invalid_input("duration", static_cast<std::int64_t>(i), "is not finite");
  std::vector<std::uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  std::sort(idx.begin(), idx.end(),
            [&](std::uint32_t a, std::uint32_t b) { return durations[a] < durations[b]; });
  const double z = detail::normal_quantile(1.0 - (1.0 - level) / 2.0);
  survival_table t;
  t.level = level;
  const double origin = n > 0 ? std::min(0.0, durations[idx[0]]) : 0.0;
  auto push = [&](double time, std::uint32_t risk, std::uint32_t d, std::uint32_t c, double s,
                  double gw) {
    t.timeline.push_back(time);
    t.at_risk.push_back(risk);
    t.events.push_back(d);
    t.censored.push_back(c);
    t.survival.push_back(s);
    t.greenwood.push_back(gw);
    double lo = s, hi = s;
    if (s <= 0.0) {
      lo = hi = 0.0;
    } else if (s < 1.0) {
      const double sigma = std::sqrt(gw);
      switch (band) {
      case km_band::log_log: {
        const double w = z * sigma / std::log(s); // negative
        lo = std::pow(s, std::exp(-w));
        hi = std::pow(s, std::exp(w));
        break;
      }
      case km_band::log:
        lo = s * std::exp(-z * sigma);
        hi = std::min(1.0, s * std::exp(z * sigma));
        break;
      case km_band::plain:
        lo = std::max(0.0, s - z * s * sigma);
        hi = std::min(1.0, s + z * s * sigma);
        break;
      }
    }
    t.lower.push_back(lo);
    t.upper.push_back(hi);
  };
  std::size_t i = 0;
  if (n == 0 || durations[idx[0]] > origin)
    push(origin, static_cast<std::uint32_t>(n), 0, 0, 1.0, 0.0);
  double s = 1.0, gw = 0.0;
  while (i < n) {
    const double time = durations[idx[i]];
    const auto risk = static_cast<std::uint32_t>(n - i);
    std::uint32_t d = 0, c = 0;
    for (; i < n && durations[idx[i]] == time; ++i)
      (observed[idx[i]] ? d : c) += 1;
    if (d > 0) {
      s *= 1.0 - static_cast<double>(d) / static_cast<double>(risk);
      if (d < risk)
        gw += static_cast<double>(d) / (static_cast<double>(risk) * static_cast<double>(risk - d));
      else
        s = 0.0;
    }
    push(time, risk, d, c, s, gw);
  }
  auto first_at_or_below = [&](const std::vector<double> &curve) {
    for (std::size_t r = 0; r < curve.size(); ++r)
      if (curve[r] <= 0.5)
        return t.timeline[r];
    return std::numeric_limits<double>::infinity();
  };
  t.median = first_at_or_below(t.survival);
  t.median_lower = first_at_or_below(t.lower);
  t.median_upper = first_at_or_below(t.upper);
  return t;
}

/// Win-back spells, one row per spell (see the header note).
struct win_back_spell_table {
  std::vector<customer_id> customer;
  std::vector<state_code> exit_state;   ///< the state the spell started in
  std::vector<state_code> return_state; ///< where it ended (= exit_state if censored)
  std::vector<double> start, duration;
  std::vector<std::uint8_t> returned; ///< 1 observed, 0 censored

  [[nodiscard]] std::size_t size() const noexcept { return customer.size(); }
};

/// Spells from the exit states `exits` (state codes of the replayed model)
/// back to any other state. `end`: censoring time (NaN: the replay's as-of
/// time, else the last replayed event). `event_times`: the replayed ledger's
/// time column (ledger::times()); given, a spell starts at the time of the
/// event that caused the exit (see the header note), empty: at the record's
/// time. Throws invalid_state without a transition log and invalid_input
/// for an unknown state code or times that are not the replayed ledger's.
[[nodiscard]] inline win_back_spell_table
win_back_spells(const replay_result &r, std::span<const state_code> exits,
                double end = std::numeric_limits<double>::quiet_NaN(),
                std::span<const double> event_times = {}) {
  if (!r.has_log)
    throw invalid_state("win_back_spells needs the transition log; replay with keep_log");
  std::vector<char> is_exit(r.state_count, 0);
  for (std::size_t i = 0; i < exits.size(); ++i) {
    if (exits[i] >= r.state_count)
      throw invalid_input("exit_states", static_cast<std::int64_t>(i),
                          "state code " + std::to_string(exits[i]) +
                              " is not a state of the model");
    is_exit[exits[i]] = 1;
  }
  if (std::isnan(end) && !std::isnan(r.as_of))
    end = r.as_of;
  if (std::isnan(end)) {
    end = -std::numeric_limits<double>::infinity();
    for (double t : r.last_time)
      if (!std::isnan(t))
        end = std::max(end, t);
  }
  if (!event_times.empty())
    for (const auto &rec : r.log)
      if (rec.row >= event_times.size())
        throw invalid_input("event_times", "has " + std::to_string(event_times.size()) +
                                               " rows but the log names row " +
                                               std::to_string(rec.row) +
                                               ": not the replayed ledger's times");
  win_back_spell_table s;
  for (std::size_t c = 0; c < r.customers; ++c) {
    bool open = false;
    double start = 0.0;
    state_code exit = 0;
    for (auto k = r.log_offsets[c]; k < r.log_offsets[c + 1]; ++k) {
      const auto &rec = r.log[k];
      if (rec.time > end)
        break;
      if (!open && is_exit[rec.to] && !is_exit[rec.from]) {
        open = true;
        start = event_times.empty() ? rec.time : std::min(rec.time, event_times[rec.row]);
        exit = rec.to;
      } else if (open && !is_exit[rec.to]) {
        s.customer.push_back(static_cast<customer_id>(c));
        s.exit_state.push_back(exit);
        s.return_state.push_back(rec.to);
        s.start.push_back(start);
        s.duration.push_back(rec.time - start);
        s.returned.push_back(1);
        open = false;
      }
    }
    if (open) {
      s.customer.push_back(static_cast<customer_id>(c));
      s.exit_state.push_back(exit);
      s.return_state.push_back(exit);
      s.start.push_back(start);
      s.duration.push_back(end - start);
      s.returned.push_back(0);
    }
  }
  return s;
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_WINBACK_HPP
