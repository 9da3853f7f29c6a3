// goodwill — cartesian negotiation tournaments with a ranking that carries
// its support.
//
// Design: a tournament is run_batch over every scenario x ordered strategy
// pair x seed, so each strategy meets each other (and, with self_play, itself)
// in both roles, as NegMAS's cartesian_tournament does with rotated
// preferences. Each session gives two scores, one per side: the side's
// "advantage", (u - r) / (u_max - r) with r its reservation value and u_max
// its best utility in the scenario (NegMAS 0.16's default final score,
// cartesian.py; 0 when u_max = r, and 0 for a session without agreement),
// or its raw utility, or the session's welfare, by tournament_options::score.
// Every statistic is computed from these per-side scores:
//   * ranking: per strategy the number of scores, their mean and an
//     interval of the mean at `confidence`: Student's t interval
//     mean ± t_{n-1} sd / sqrt(n) by default (O(n), and the mean of
//     thousands of bounded scores is close to normal), or with bootstrap > 0
//     a percentile-bootstrap interval (`bootstrap` resamples drawn from
//     counter-based streams keyed by (bootstrap_seed, strategy), so the
//     interval is the same whatever the thread count; O(n * bootstrap));
//     strategies are ranked by mean, ties in the order given;
//   * pairwise: for every pair of strategies a two-sided two-sample t-test
//     of the scores, Welch's by default (equal_variance = true gives
//     Student's pooled test, NegMAS's pairwise_tests default, scipy's
//     ttest_ind), and Benjamini–Hochberg q-values over all pairs: a pair is
//     significant when q <= fdr, which controls the false-discovery rate of
//     the "significant" flags at fdr (BH's condition: independent or
//     positively dependent tests).
// Scores within a strategy are not independent (shared scenarios, seeds
// and opponents); the tests and intervals treat them as independent draws,
// which the result says in its assumptions.
#ifndef GOODWILL_NEGOTIATION_TOURNAMENT_HPP
#define GOODWILL_NEGOTIATION_TOURNAMENT_HPP

#include <goodwill/detail/random.hpp>
#include <goodwill/detail/special.hpp>
#include <goodwill/detail/statistics.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/negotiation.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// What a side of a session scores in a tournament.
enum class tournament_score : std::uint8_t {
  advantage = 0, ///< utility minus own reservation value (NegMAS's default)
  utility = 1,   ///< the side's undiscounted utility (reservation without agreement)
  welfare = 2,   ///< u1 + u2 of the session, for both sides
};
template <> struct enum_traits<tournament_score> {
  static constexpr std::array<std::string_view, 3> names{"advantage", "utility", "welfare"};
};

/// Options of a tournament. The defaults are the ones used everywhere.
struct tournament_options {
  session_options session{}; ///< rounds, clock, ... of every session
  tournament_score score = tournament_score::advantage;
  bool self_play = true;       ///< also run each strategy against itself (NegMAS default)
  bool equal_variance = false; ///< Student's pooled t-test instead of Welch's
  double confidence = 0.95;    ///< level of the ranking intervals
  std::uint32_t bootstrap = 0; ///< 0: t intervals; else resamples of a percentile bootstrap
  std::uint64_t bootstrap_seed = 0x746f75726e616d65ULL; // "tourname"
  double fdr = 0.05;    ///< Benjamini–Hochberg false-discovery rate
  unsigned threads = 0; ///< 0: all cores; results do not depend on it
};

/// What a scenario's advantage is measured against, per party.
struct tournament_sides {
  std::array<double, 2> reservation{}; ///< reservation values
  std::array<double, 2> best{};        ///< largest utility over the outcomes
};

/// Ranking columns, one entry per strategy, best first.
struct tournament_ranking {
  std::vector<std::uint32_t> strategy; ///< index into the strategies given
  std::vector<std::uint64_t> n;        ///< scores (sides of sessions) it played
  std::vector<double> mean, lower, upper, sd;
  std::vector<double> agreement_rate; ///< share of its sessions that agreed
};

/// Pairwise comparison columns, one entry per unordered pair (a < b).
struct tournament_pairwise {
  std::vector<std::uint32_t> a, b;
  std::vector<double> difference; ///< mean(a) - mean(b)
  std::vector<double> t, df, p, q;
  std::vector<std::uint8_t> significant; ///< q <= fdr
};

/// A tournament's sessions, per-side scores, ranking and pairwise tests.
struct tournament_result {
  std::vector<batch_row> sessions;
  std::vector<double> score1, score2; ///< per session: first's and second's score
  tournament_ranking ranking;
  tournament_pairwise pairwise;
  tournament_options options;
};

namespace detail::tournament {

/// Two-sample t, df and two-sided p: Welch's (Welch–Satterthwaite df), or
/// Student's with pooled variance when `pooled`.
inline void welch(std::span<const double> x, std::span<const double> y, double &t, double &df,
                  double &p, bool pooled = false) {
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  t = df = p = nan;
  if (x.size() < 2 || y.size() < 2)
    return;
  auto moments = [](std::span<const double> v, double &m, double &var) {
    m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double s = 0.0;
    for (double e : v)
      s += (e - m) * (e - m);
    var = s / static_cast<double>(v.size() - 1);
  };
  double mx, vx, my, vy;
  moments(x, mx, vx);
  moments(y, my, vy);
  const double nx = static_cast<double>(x.size()), ny = static_cast<double>(y.size());
  const double a = vx / nx, b = vy / ny;
  if (a + b <= 0.0) {
    // Both constant: equal means are no evidence, different means are certain.
    t = mx == my ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), mx - my);
    df = nx + ny - 2.0;
    p = mx == my ? 1.0 : 0.0;
    return;
  }
  if (pooled) {
    const double sp = ((nx - 1.0) * vx + (ny - 1.0) * vy) / (nx + ny - 2.0);
    t = (mx - my) / std::sqrt(sp * (1.0 / nx + 1.0 / ny));
    df = nx + ny - 2.0;
  } else {
    t = (mx - my) / std::sqrt(a + b);
    df = (a + b) * (a + b) / (a * a / (nx - 1.0) + b * b / (ny - 1.0));
  }
  p = 2.0 * goodwill::detail::students_t_upper_tail(df, std::fabs(t));
}

} // namespace detail::tournament

/// The statistics of a tournament from its sessions (run_tournament calls
/// it; exposed so that rows from elsewhere can be ranked the same way).
/// `strategies` is the number of strategies; `sides` gives each scenario's
/// reservation value and best utility of each party.
[[nodiscard]] inline tournament_result rank_tournament(std::vector<batch_row> rows,
                                                       std::size_t strategies,
                                                       const std::vector<tournament_sides> &sides,
                                                       const tournament_options &opt = {}) {
  if (!(opt.confidence > 0.0 && opt.confidence < 1.0))
    throw invalid_input("confidence", "must be in (0, 1), got " + std::to_string(opt.confidence));
  if (!(opt.fdr > 0.0 && opt.fdr < 1.0))
    throw invalid_input("fdr", "must be in (0, 1), got " + std::to_string(opt.fdr));
  if (opt.bootstrap != 0 && opt.bootstrap < 100)
    throw invalid_input("bootstrap", "needs 0 (t intervals) or at least 100 resamples, got " +
                                         std::to_string(opt.bootstrap));
  tournament_result out;
  out.options = opt;
  const auto n = rows.size();
  out.score1.resize(n);
  out.score2.resize(n);
  std::vector<std::vector<double>> by(strategies);
  std::vector<std::uint64_t> agreed(strategies, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto &r = rows[i];
    if (r.scenario >= sides.size() || r.first >= strategies || r.second >= strategies)
      throw invalid_input("sessions", static_cast<std::int64_t>(i),
                          "names a scenario or strategy out of range");
    double s1 = r.u1, s2 = r.u2;
    if (opt.score == tournament_score::advantage) {
      const auto &sd = sides[r.scenario];
      auto adv = [](double u, double res, double best) {
        return best != res ? (u - res) / (best - res) : 0.0;
      };
      s1 = adv(r.u1, sd.reservation[0], sd.best[0]);
      s2 = adv(r.u2, sd.reservation[1], sd.best[1]);
    } else if (opt.score == tournament_score::welfare) {
      s1 = s2 = r.welfare;
    }
    out.score1[i] = s1;
    out.score2[i] = s2;
    by[r.first].push_back(s1);
    by[r.second].push_back(s2);
    const bool ok = r.status == session_status::agreement;
    agreed[r.first] += ok;
    agreed[r.second] += ok;
  }
  // Ranking with percentile-bootstrap intervals of the mean.
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> mean(strategies, nan), lo(strategies, nan), hi(strategies, nan),
      sd(strategies, nan);
  const double alpha = 1.0 - opt.confidence;
  std::vector<double> boot(opt.bootstrap);
  for (std::size_t s = 0; s < strategies; ++s) {
    const auto &v = by[s];
    if (v.empty())
      continue;
    const detail::sample_moments mo = detail::moments_of(v);
    const double m = mo.mean;
    mean[s] = m;
    if (v.size() > 1)
      sd[s] = mo.sd;
    if (opt.bootstrap == 0) {
      if (v.size() > 1) {
        const double half = t_half_width(mo.sd, v.size(), opt.confidence);
        lo[s] = m - half;
        hi[s] = m + half;
      }
      continue;
    }
    detail::counter_stream rng(opt.bootstrap_seed, s, 0x626f6f74ULL); // "boot"
    const auto k = static_cast<double>(v.size());
    for (auto &b : boot) {
      double acc = 0.0;
      for (std::size_t j = 0; j < v.size(); ++j) {
        auto at = static_cast<std::size_t>(detail::u01(rng) * k);
        acc += v[std::min(at, v.size() - 1)];
      }
      b = acc / k;
    }
    std::sort(boot.begin(), boot.end());
    auto quantile = [&](double q) {
      const double pos = q * static_cast<double>(boot.size() - 1);
      const auto f = static_cast<std::size_t>(std::floor(pos));
      const auto c = std::min(f + 1, boot.size() - 1);
      return boot[f] + (boot[c] - boot[f]) * (pos - static_cast<double>(f));
    };
    lo[s] = quantile(alpha / 2.0);
    hi[s] = quantile(1.0 - alpha / 2.0);
  }
  std::vector<std::uint32_t> order(strategies);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const double a = std::isnan(mean[x]) ? -std::numeric_limits<double>::infinity() : mean[x];
    const double b = std::isnan(mean[y]) ? -std::numeric_limits<double>::infinity() : mean[y];
    return a > b;
  });
  auto &rk = out.ranking;
  for (auto s : order) {
    rk.strategy.push_back(s);
    rk.n.push_back(by[s].size());
    rk.mean.push_back(mean[s]);
    rk.lower.push_back(lo[s]);
    rk.upper.push_back(hi[s]);
    rk.sd.push_back(sd[s]);
    rk.agreement_rate.push_back(
        by[s].empty() ? nan : static_cast<double>(agreed[s]) / static_cast<double>(by[s].size()));
  }
  // Pairwise Welch tests, BH over all pairs.
  auto &pw = out.pairwise;
  for (std::uint32_t a = 0; a < strategies; ++a)
    for (std::uint32_t b = a + 1; b < strategies; ++b) {
      double t, df, p;
      detail::tournament::welch(by[a], by[b], t, df, p, opt.equal_variance);
      pw.a.push_back(a);
      pw.b.push_back(b);
      pw.difference.push_back(mean[a] - mean[b]);
      pw.t.push_back(t);
      pw.df.push_back(df);
      pw.p.push_back(p);
    }
  pw.q = bh_qvalues(pw.p);
  pw.significant.resize(pw.q.size());
  for (std::size_t i = 0; i < pw.q.size(); ++i)
    pw.significant[i] = std::isfinite(pw.q[i]) && pw.q[i] <= opt.fdr ? 1 : 0;
  out.sessions = std::move(rows);
  return out;
}

/// A cartesian tournament: every scenario x ordered strategy pair (each
/// strategy in both roles; i == j only with self_play) x seed, run on
/// opt.threads threads, then ranked (rank_tournament). Identical whatever
/// the thread count.
[[nodiscard]] inline tournament_result
run_tournament(const std::vector<const scenario *> &scenarios,
               const std::vector<const negotiator *> &strategies,
               const std::vector<std::uint64_t> &seeds, const tournament_options &opt = {}) {
  if (strategies.size() < 2)
    throw invalid_input("strategies", "a tournament needs at least two strategies");
  if (scenarios.empty())
    throw invalid_input("scenarios", "a tournament needs at least one scenario");
  if (seeds.empty())
    throw invalid_input("seeds", "a tournament needs at least one seed");
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t i = 0; i < strategies.size(); ++i)
    for (std::uint32_t j = 0; j < strategies.size(); ++j)
      if (i != j || opt.self_play)
        pairs.emplace_back(i, j);
  std::vector<tournament_sides> res;
  for (const auto *s : scenarios) {
    if (!s)
      throw invalid_input("scenarios", "a scenario is null");
    res.push_back({{s->reservation(0), s->reservation(1)},
                   {s->sorted_utility(0).front(), s->sorted_utility(1).front()}});
  }
  auto rows = run_batch(scenarios, strategies, seeds, opt.session, opt.threads, std::move(pairs));
  return rank_tournament(std::move(rows), strategies.size(), res, opt);
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_TOURNAMENT_HPP
