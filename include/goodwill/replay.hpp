// goodwill — replay: run a ledger through a relationship model.
//
// Design: customers are independent, so a replay walks each customer's events
// in time order (ledger::order(), ties in arrival order) through the model,
// keeping trust evidence (trust.hpp), the counters and the state in locals and
// writing one row of results per customer. With threads > 1 the customers are
// split into contiguous blocks of about equal event counts; each block writes
// its own customers' rows and its own transition log, and then copies that
// log to its place in the whole log (customer order), in parallel, so the
// result is bit-identical for any thread count. The reading order is built
// (once, cached in the ledger) on the replay's threads too. Why this scales
// (measured on 50 M events, 10^6 customers; benchmarks/RESULTS.md): the
// blocks' CPU time halves with two threads, so what limited the speed-up
// was what ran on one thread: the reading order (built serially, as long
// as the replay itself), the concatenation of the logs and the first touch
// of ~125 MB of result columns (now on huge pages). The hot loop allocates
// nothing (except to grow the log), makes no virtual calls, looks candidate
// transitions up in a dense (state × kind) table and computes the derived
// features only if a guard tests them.
//
// Semantics: events after options.until are ignored. The features and
// counters in the result are those after each customer's last replayed event.
// The log holds every change of state (customer, time, from, to, kind, ledger
// row), sorted by customer then time. state_at(t) is the state after every
// transition at time <= t (the initial state before the first one);
// transition_counts(t0, t1) counts logged transitions with t0 <= time < t1.
#ifndef GOODWILL_REPLAY_HPP
#define GOODWILL_REPLAY_HPP

#include <goodwill/detail/large_page_allocator.hpp>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship_model.hpp>
#include <goodwill/trust.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#if defined(__GNUC__) || defined(__clang__)
#define GOODWILL_PREFETCH(p) __builtin_prefetch(p)
#else
#define GOODWILL_PREFETCH(p) ((void)(p))
#endif

namespace goodwill {

/// Options of a replay.
struct replay_options {
  /// Worker threads (0: one per hardware thread). Results do not depend on it.
  unsigned threads = 1;
  /// Events with time > until are ignored.
  double until = std::numeric_limits<double>::infinity();
  /// Keep the transition log (needed by state_at and transition_counts).
  bool keep_log = true;
};

/// One logged change of state.
struct transition_record {
  customer_id customer;
  double time;
  state_code from, to;
  event_kind kind;
  std::uint32_t row; ///< the event's row in the ledger (arrival order)
};

/// What a replay produces, column by column (index: dense customer id).
struct replay_result {
  std::size_t customers = 0;
  std::size_t state_count = 0;
  state_code initial = 0;
  bool has_log = false;

  std::vector<state_code> state;
  std::vector<double> alpha, beta, trust, engagement, loyalty, price_sensitivity;
  /// Time of the last replayed event; NaN if the customer has none.
  std::vector<double> last_time;
  /// counter_count counters per customer, customer-major (order of
  /// feature::meetings .. feature::walk_aways).
  std::vector<std::uint32_t> counters;
  /// Number of replayed events per customer.
  std::vector<std::uint32_t> events;

  /// The log, customer-major, time order within a customer (a std::vector
  /// whose large buffers sit on huge pages: growing a log of millions of
  /// records then costs few page faults; its resize() leaves new records
  /// unset, so that the threads of a replay first touch their own parts).
  detail::uninitialized_column<transition_record> log;
  /// log_offsets[c] .. log_offsets[c+1]: customer c's records.
  std::vector<std::uint64_t> log_offsets;

  /// Counter f (a counter feature) of customer c.
  [[nodiscard]] std::uint32_t counter(customer_id c, feature f) const {
    return counters[static_cast<std::size_t>(c) * counter_count +
                    (static_cast<std::size_t>(f) - first_counter)];
  }

  /// Each customer's state after every transition at time <= t.
  [[nodiscard]] std::vector<state_code> state_at(double t) const {
    require_log("state_at");
    std::vector<state_code> out(customers, initial);
    for (std::size_t c = 0; c < customers; ++c) {
      const auto first = log.begin() + static_cast<std::ptrdiff_t>(log_offsets[c]);
      const auto last = log.begin() + static_cast<std::ptrdiff_t>(log_offsets[c + 1]);
      auto it = std::upper_bound(first, last, t, [](double v, const transition_record &r) {
        return v < r.time;
      });
      if (it != first) out[c] = std::prev(it)->to;
    }
    return out;
  }

  /// counts(i, j): logged transitions from state i to j with t0 <= time < t1.
  [[nodiscard]] Eigen::MatrixXd transition_counts(
      double t0 = -std::numeric_limits<double>::infinity(),
      double t1 = std::numeric_limits<double>::infinity()) const {
    require_log("transition_counts");
    const auto n = static_cast<Eigen::Index>(state_count);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
    for (const auto &r : log)
      if (r.time >= t0 && r.time < t1) m(r.from, r.to) += 1.0;
    return m;
  }

private:
  void require_log(const char *what) const {
    if (!has_log)
      throw invalid_state(std::string(what) + " needs the transition log; replay with keep_log");
  }
};

namespace detail {

/// Which features a model's guards read (the rest need not be computed).
struct feature_needs {
  bool trust = false, derived = false, amount = false;
  explicit feature_needs(const relationship_model &model) noexcept {
    const std::uint32_t used = model.features_used();
    trust = (used & 0xFu) != 0; // trust or a derived feature
    derived = (used & 0xEu) != 0;
    amount = ((used >> static_cast<unsigned>(feature::amount)) & 1u) != 0;
  }
};

/// One customer's walk through a model, event by event, by the rules at the
/// top of relationship_model.hpp: the trust evidence, the features and the
/// state. The replay and the policy simulator both step customers with it.
struct relationship_cursor {
  trust_state ts;
  state_code state = 0;
  std::uint32_t events = 0;
  double prev = std::numeric_limits<double>::quiet_NaN();
  double f[feature_count] = {};

  relationship_cursor(const relationship_model &model, const trust_params &p) noexcept
      : ts(trust_state::prior(p)), state(model.initial()) {}

  /// The state after an event of kind k at t with `amount`, once `ts` has
  /// observed it (the caller updates ts, so it may use a fade cache).
  [[nodiscard]] state_code next(const relationship_model &model, const trust_params &p,
                                const feature_needs &need, event_kind k, double t,
                                double amount) noexcept {
    ++events;
    const std::size_t ci = counter_of(k);
    if (ci < feature_count) f[ci] += 1.0;
    constexpr auto f_dsl = static_cast<std::size_t>(feature::days_since_last);
    f[f_dsl] = events == 1 ? std::numeric_limits<double>::infinity() : t - prev;
    prev = t;
    if (need.amount) f[static_cast<std::size_t>(feature::amount)] = amount;
    // Most events have no transition to test in the current state: then no
    // guard reads the trust features (they are not part of the result).
    if (model.candidates(state, k).empty()) return state;
    if (need.trust) {
      f[static_cast<std::size_t>(feature::trust)] = ts.trust();
      if (need.derived) {
        f[static_cast<std::size_t>(feature::engagement)] = ts.engagement(p);
        f[static_cast<std::size_t>(feature::loyalty)] = ts.loyalty();
        f[static_cast<std::size_t>(feature::price_sensitivity)] = ts.price_sensitivity();
      }
    }
    return model.next(state, k, f);
  }
};

/// Replay customers [c0, c1) writing their rows of r and appending to log.
inline void replay_block(const relationship_model &model, const ledger &l,
                         const trust_params &p, const replay_options &opt, std::size_t c0,
                         std::size_t c1, replay_result &r,
                         detail::uninitialized_column<transition_record> &log) {
  const auto &order = l.order();
  const auto &offsets = l.customer_offsets();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  const auto details = l.details();
  const feature_needs need(model);
  const bool keep_log = opt.keep_log;
  const double until = opt.until;

  // Rows are visited in customer order, i.e. at random in the columns when
  // the ledger arrived in time order: prefetch a few events ahead.
  constexpr std::uint64_t ahead = 32;
  const std::uint64_t block_end = offsets[c1];
  // Once 1/64 of the block's events are replayed, the log is reserved for
  // the whole block at the rate of transitions seen so far, plus 1/8 (it
  // still grows if that falls short): growing by doubling from the start
  // first-touched about twice the final log and copied it once over, which
  // cost ~20% of a one-thread replay of 50 M events. Untouched reserved
  // pages cost no memory.
  const std::uint64_t block_start = offsets[c0];
  const std::uint64_t sample_end = block_start + (block_end - block_start) / 64;
  bool reserved = !keep_log;
  for (std::size_t c = c0; c < c1; ++c) {
    if (!reserved && offsets[c] >= sample_end && offsets[c] > block_start) {
      reserved = true;
      const double rate = static_cast<double>(log.size()) /
                          static_cast<double>(offsets[c] - block_start);
      const auto want = static_cast<std::size_t>(
          1.125 * rate * static_cast<double>(block_end - block_start)) + 1024;
      if (want > log.capacity()) log.reserve(want);
    }
    if (keep_log) r.log_offsets[c] = log.size(); // block-local until replay() adds the base
    relationship_cursor cur(model, p);
    for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
      if (i + ahead < block_end) {
        const std::uint32_t later = order[i + ahead];
        GOODWILL_PREFETCH(times.data() + later);
        GOODWILL_PREFETCH(kinds.data() + later);
        if (need.amount) GOODWILL_PREFETCH(amounts.data() + later);
      }
      const std::uint32_t row = order[i];
      const double t = times[row];
      if (t > until) break; // events are in time order within a customer
      const auto k = static_cast<event_kind>(kinds[row]);
      // the amount and detail are read only where they are needed: a
      // guard tests the amount, or they decide the evidence channel
      const double amount =
          (need.amount || k == event_kind::purchase || k == event_kind::scope_change)
              ? amounts[row]
              : 0.0;
      (void)cur.ts.update(p, k, t, amount, k == event_kind::deal_lost ? details[row] : 0);
      const state_code next = cur.next(model, p, need, k, t, amount);
      if (next != cur.state) {
        if (keep_log)
          log.push_back(transition_record{static_cast<customer_id>(c), t, cur.state, next, k, row});
        cur.state = next;
      }
    }
    const trust_state &ts = cur.ts;
    const double *f = cur.f;
    const state_code s = cur.state;
    const std::uint32_t n_events = cur.events;
    r.state[c] = s;
    r.alpha[c] = ts.alpha;
    r.beta[c] = ts.beta;
    r.trust[c] = ts.trust();
    r.engagement[c] = ts.engagement(p);
    r.loyalty[c] = ts.loyalty();
    r.price_sensitivity[c] = ts.price_sensitivity();
    r.last_time[c] = ts.last_time;
    r.events[c] = n_events;
    for (std::size_t j = 0; j < counter_count; ++j)
      r.counters[c * counter_count + j] = static_cast<std::uint32_t>(f[first_counter + j]);
  }
}

} // namespace detail

/// Replay a ledger through a model. Throws invalid_input if the trust
/// parameters are invalid or until is NaN.
[[nodiscard]] inline replay_result replay(const relationship_model &model, const ledger &l,
                                          const trust_params &params = trust_params::defaults(),
                                          const replay_options &opt = {}) {
  params.validate();
  if (std::isnan(opt.until)) throw invalid_input("until", "is NaN");
  unsigned threads = detail::resolve_threads(opt.threads);
  // build (and cache) the reading order before any block reads it, on as
  // many threads (a no-op if it is cached; thread-safe)
  l.prepare_order(threads);
  const auto &offsets = l.customer_offsets();
  const std::size_t n = l.customer_count();
  replay_result r;
  r.customers = n;
  r.state_count = model.state_count();
  r.initial = model.initial();
  r.has_log = opt.keep_log;
  // every row is written by the block that owns its customer
  detail::resize_on_large_pages(r.state, n);
  for (auto *column : {&r.alpha, &r.beta, &r.trust, &r.engagement, &r.loyalty,
                       &r.price_sensitivity, &r.last_time})
    detail::resize_on_large_pages(*column, n);
  detail::resize_on_large_pages(r.events, n);
  detail::resize_on_large_pages(r.counters, n * counter_count);
  if (opt.keep_log) detail::resize_on_large_pages(r.log_offsets, n + 1);

  const std::size_t events = l.size();
  if (n < 2 * static_cast<std::size_t>(threads) || events < 100000) threads = 1;
  // block boundaries: about events/threads events each, on customer borders
  std::vector<std::size_t> bounds{0};
  for (unsigned b = 1; b < threads; ++b) {
    const std::uint64_t target = events * b / threads;
    auto it = std::lower_bound(offsets.begin(), offsets.end() - 1, target);
    bounds.push_back(std::max(bounds.back(), static_cast<std::size_t>(it - offsets.begin())));
  }
  bounds.push_back(n);
  const auto blocks = static_cast<unsigned>(bounds.size() - 1);
  if (blocks == 1) {
    detail::replay_block(model, l, params, opt, 0, n, r, r.log);
    if (opt.keep_log) r.log_offsets[n] = r.log.size();
    return r;
  }
  std::vector<detail::uninitialized_column<transition_record>> logs(blocks);
  detail::run_on_threads(blocks, [&](unsigned b) {
    detail::replay_block(model, l, params, opt, bounds[b], bounds[b + 1], r, logs[b]);
  });
  if (opt.keep_log) {
    // each block copies its log to its place in the whole log (in
    // parallel) and moves its customers' offsets by the records before it;
    // the resize only reserves (the copies first touch the pages, each
    // thread its own: zeroing the log first on one thread took 40-170 ms)
    std::vector<std::uint64_t> base(blocks + 1, 0);
    for (unsigned b = 0; b < blocks; ++b) base[b + 1] = base[b] + logs[b].size();
    r.log.resize(base[blocks]);
    detail::run_on_threads(blocks, [&](unsigned b) {
      std::copy(logs[b].begin(), logs[b].end(), r.log.begin() + static_cast<std::ptrdiff_t>(base[b]));
      logs[b] = {};
      if (base[b] != 0)
        for (std::size_t c = bounds[b]; c < bounds[b + 1]; ++c) r.log_offsets[c] += base[b];
    });
    r.log_offsets[n] = base[blocks];
  }
  return r;
}

} // namespace goodwill

#endif // GOODWILL_REPLAY_HPP
