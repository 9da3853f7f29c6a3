// goodwill — batch runs of negotiation sessions.
//
// Design: run_batch plays every (scenario, ordered strategy pair, seed)
// combination on threads; each thread plays on its own clones of the
// strategies (start() resets them per session), taking chunks of 16 rows
// from a shared counter, and writes one row per session (no trace) with its
// distances to the Pareto frontier and to the Nash point. Rows are in the
// nested order and identical whatever the thread count; the first exception
// stops the other threads and is rethrown.
#ifndef GOODWILL_NEGOTIATION_BATCH_HPP
#define GOODWILL_NEGOTIATION_BATCH_HPP

#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/error.hpp>
#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/negotiator.hpp>
#include <goodwill/negotiation/scenario.hpp>
#include <goodwill/negotiation/session.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

namespace goodwill {

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

/// A batch's rows column by column: what the bindings hand to Python as one
/// NumPy array per column (no object per row). `outcome` is -1 for a session
/// without agreement; `status` holds session_status codes.
struct batch_columns {
  std::vector<std::uint32_t> scenario, first, second;
  std::vector<std::uint64_t> seed;
  std::vector<std::uint8_t> status;
  std::vector<std::int64_t> outcome;
  std::vector<double> u1, u2, du1, du2;
  std::vector<std::uint32_t> rounds;
  std::vector<double> t, pareto_distance, nash_distance, welfare;

  batch_columns() = default;
  explicit batch_columns(std::span<const batch_row> rows) {
    for_each([n = rows.size()](const char *, auto &col) { col.resize(n); });
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto &x = rows[i];
      scenario[i] = x.scenario;
      first[i] = x.first;
      second[i] = x.second;
      seed[i] = x.seed;
      status[i] = static_cast<std::uint8_t>(x.status);
      outcome[i] =
          x.status == session_status::agreement ? static_cast<std::int64_t>(x.outcome) : -1;
      u1[i] = x.u1;
      u2[i] = x.u2;
      du1[i] = x.du1;
      du2[i] = x.du2;
      rounds[i] = x.rounds;
      t[i] = x.t;
      pareto_distance[i] = x.pareto_distance;
      nash_distance[i] = x.nash_distance;
      welfare[i] = x.welfare;
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return scenario.size(); }

  /// f(name, column) for every column, in the order Python shows them.
  template <class F> void for_each(F &&f) {
    f("scenario", scenario);
    f("first", first);
    f("second", second);
    f("seed", seed);
    f("status", status);
    f("outcome", outcome);
    f("u1", u1);
    f("u2", u2);
    f("du1", du1);
    f("du2", du2);
    f("rounds", rounds);
    f("t", t);
    f("pareto_distance", pareto_distance);
    f("nash_distance", nash_distance);
    f("welfare", welfare);
  }
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

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_BATCH_HPP
