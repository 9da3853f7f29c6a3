// goodwill — replay: run a ledger through a relationship model.
//
// Design: customers are independent, so a replay walks each customer's events
// in time order (ledger::order(), ties in arrival order) through the model,
// keeping trust evidence (trust.hpp), the counters and the state in locals and
// writing one row of results per customer. With threads > 1 the customers are
// split into contiguous pieces of about equal event counts (16 per thread),
// which the threads take as they finish one (detail::for_each_piece); each
// piece writes its own customers' rows and its own transition log, which
// becomes a piece of the whole log as it is (transition_log: no copy), so the
// result is bit-identical for any thread count. The reading
// order and the latest time are built (once, cached in the ledger) on the
// replay's threads too. What limited two threads (measured on 50 M events,
// 10^6 customers; benchmarks/RESULTS.md) was what ran on one thread — the
// reading order (once as long as the replay itself), the concatenation of
// the logs, the zeroing of ~125 MB of result columns, a scan for the latest
// time — and, on this project's shared VM, fixed halves: one vCPU often ran
// up to 1.4x slower than the other. Now the result columns are only
// reserved (result_column) and first touched by the thread that writes each
// row, the pieces balance the load, and their logs are kept as the pieces of
// the log (transition_log). The hot loop allocates nothing (except to grow
// the log), makes no virtual calls, looks candidate
// transitions up in a dense (state × kind) table and computes the derived
// features only if a guard tests them.
//
// Semantics: events after options.until are ignored. The features and
// counters in the result are those after each customer's last replayed event.
// The log holds every change of state (customer, time, from, to, kind, ledger
// row), sorted by customer then time. state_at(t) is the state after every
// transition at time <= t (the initial state before the first one);
// transition_counts(t0, t1) counts logged transitions with t0 <= time < t1.
//
// Dormancy (relationship_model.hpp): a pending dormancy move happens at its
// due time, before the customer's first event later than it; one still
// pending after the customer's last event happens if it is due at or before
// the replay's as-of time — options.as_of, by default options.until if it is
// finite, else the time of the ledger's last event (the end of the data: a
// customer whose last deal was lost 10 days before the export is not lost
// yet). Either way it is logged at its due time with the kind and ledger row
// of the event that started the clock (for the default model: the last lost
// deal). result.dormancy_due holds the due time of a move still pending at
// the as-of time (NaN if none).
#ifndef GOODWILL_RELATIONSHIP_REPLAY_HPP
#define GOODWILL_RELATIONSHIP_REPLAY_HPP

#include <goodwill/detail/large_page_allocator.hpp>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/relationship_model.hpp>
#include <goodwill/relationship/trust.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <compare>
#include <cstdint>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
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
  /// Pending dormancy moves due at or before this time happen at the end of
  /// the data (NaN: until if finite, else the ledger's last event time).
  /// Must not exceed until.
  double as_of = std::numeric_limits<double>::quiet_NaN();
};

/// One logged change of state.
struct transition_record {
  customer_id customer;
  double time;
  state_code from, to;
  event_kind kind;
  std::uint32_t row; ///< the event's row in the ledger (arrival order)
};

/// A column of a replay result: a std::vector whose large buffers sit on huge
/// pages and whose resize() leaves trivial elements unset, so that each thread
/// of a replay first touches (page-faults) the rows it writes instead of one
/// thread zeroing all of them first.
template <class T> using result_column = detail::uninitialized_column<T>;

/// The transition log of a replay: a random-access sequence of records,
/// customer-major, stored as the pieces the replay's threads wrote (one piece
/// for a one-thread replay). Concatenating the pieces into one buffer cost a
/// two-thread replay of 50 M events ~90 ms of its ~1.2 s (a second write of
/// ~90 MB to fresh pages) and twice the log's memory at its peak; the pieces
/// are kept as they are instead. Read it like a std::vector: size(),
/// operator[], begin()/end() (random-access iterators, fast when walked in
/// order); pieces() gives the contiguous blocks.
class transition_log {
public:
  using value_type = transition_record;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = const transition_record &;
  using const_reference = const transition_record &;
  using piece_type = detail::uninitialized_column<transition_record>;

  /// A random-access iterator that caches the piece it is in.
  class const_iterator {
  public:
    using iterator_category = std::random_access_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using value_type = transition_record;
    using difference_type = std::ptrdiff_t;
    using pointer = const transition_record *;
    using reference = const transition_record &;

    const_iterator() = default;
    reference operator*() const {
      locate();
      return base_[i_ - lo_];
    }
    pointer operator->() const { return &**this; }
    reference operator[](difference_type k) const { return *(*this + k); }
    const_iterator &operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      auto old = *this;
      ++i_;
      return old;
    }
    const_iterator &operator--() {
      --i_;
      return *this;
    }
    const_iterator operator--(int) {
      auto old = *this;
      --i_;
      return old;
    }
    const_iterator &operator+=(difference_type k) {
      i_ = static_cast<std::uint64_t>(static_cast<difference_type>(i_) + k);
      return *this;
    }
    const_iterator &operator-=(difference_type k) { return *this += -k; }
    friend const_iterator operator+(const_iterator it, difference_type k) { return it += k; }
    friend const_iterator operator+(difference_type k, const_iterator it) { return it += k; }
    friend const_iterator operator-(const_iterator it, difference_type k) { return it -= k; }
    friend difference_type operator-(const const_iterator &a, const const_iterator &b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const const_iterator &a, const const_iterator &b) {
      return a.i_ == b.i_;
    }
    friend auto operator<=>(const const_iterator &a, const const_iterator &b) {
      return a.i_ <=> b.i_;
    }

  private:
    friend class transition_log;
    const_iterator(const transition_log *log, std::uint64_t i) : log_(log), i_(i) {}
    void locate() const {
      if (i_ >= lo_ && i_ < hi_)
        return;
      const std::size_t k = log_->piece_of(i_);
      lo_ = log_->starts_[k];
      hi_ = log_->starts_[k + 1];
      base_ = log_->pieces_[k].data();
    }
    const transition_log *log_ = nullptr;
    std::uint64_t i_ = 0;
    // the piece last dereferenced: records [lo_, hi_) at base_
    mutable std::uint64_t lo_ = 0, hi_ = 0;
    mutable const transition_record *base_ = nullptr;
  };
  using iterator = const_iterator;

  transition_log() = default;

  [[nodiscard]] size_type size() const noexcept { return static_cast<size_type>(starts_.back()); }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] const_iterator end() const noexcept { return {this, starts_.back()}; }
  [[nodiscard]] const_iterator cbegin() const noexcept { return begin(); }
  [[nodiscard]] const_iterator cend() const noexcept { return end(); }
  /// Record i (no bounds check, like std::vector::operator[]).
  [[nodiscard]] const_reference operator[](size_type i) const {
    const std::size_t k = piece_of(i);
    return pieces_[k][i - starts_[k]];
  }
  /// Record i; throws std::out_of_range past the end.
  [[nodiscard]] const_reference at(size_type i) const {
    if (i >= size())
      throw std::out_of_range("transition_log::at: record " + std::to_string(i) + " of " +
                              std::to_string(size()));
    return (*this)[i];
  }
  [[nodiscard]] const_reference front() const { return (*this)[0]; }
  [[nodiscard]] const_reference back() const { return (*this)[size() - 1]; }
  /// The contiguous blocks the log is stored as, in order (empty ones left out).
  [[nodiscard]] const std::vector<piece_type> &pieces() const noexcept { return pieces_; }

  /// Append a piece (moved in, left empty); empty pieces are dropped.
  void append_piece(piece_type &&piece) {
    if (piece.empty())
      return;
    const std::uint64_t start = starts_.back();
    pieces_.push_back(std::move(piece));
    starts_.push_back(start + pieces_.back().size());
  }
  void clear() noexcept {
    pieces_.clear();
    starts_.assign(1, 0);
  }

  friend bool operator==(const transition_log &a, const transition_log &b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const auto &x, const auto &y) {
             return x.customer == y.customer && x.time == y.time && x.from == y.from &&
                    x.to == y.to && x.kind == y.kind && x.row == y.row;
           });
  }

private:
  [[nodiscard]] std::size_t piece_of(std::uint64_t i) const {
    // the last piece that starts at or before i (few pieces: 16 per thread)
    const auto it = std::upper_bound(starts_.begin() + 1, starts_.end() - 1, i);
    return static_cast<std::size_t>(it - (starts_.begin() + 1));
  }
  std::vector<piece_type> pieces_;
  std::vector<std::uint64_t> starts_{0}; // pieces_.size() + 1 prefix counts
};

/// What a replay produces, column by column (index: dense customer id).
struct replay_result {
  std::size_t customers = 0;
  std::size_t state_count = 0;
  state_code initial = 0;
  bool has_log = false;

  result_column<state_code> state;
  result_column<double> alpha, beta, trust, engagement, loyalty, price_sensitivity;
  /// Time of the last replayed event; NaN if the customer has none.
  result_column<double> last_time;
  /// counter_count counters per customer, customer-major (order of
  /// feature::meetings .. feature::walk_aways).
  result_column<std::uint32_t> counters;
  /// Number of replayed events per customer.
  result_column<std::uint32_t> events;
  /// Due time of a dormancy move still pending at as_of; NaN if none.
  result_column<double> dormancy_due;
  /// The time the end-of-data dormancy moves were settled at (see the header
  /// note); NaN for an empty ledger.
  double as_of = std::numeric_limits<double>::quiet_NaN();

  /// The log, customer-major, time order within a customer (transition_log:
  /// the pieces the replay's threads wrote, on huge pages, read as one
  /// random-access sequence).
  transition_log log;
  /// log_offsets[c] .. log_offsets[c+1]: customer c's records.
  result_column<std::uint64_t> log_offsets;

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
      auto it = std::upper_bound(first, last, t,
                                 [](double v, const transition_record &r) { return v < r.time; });
      if (it != first)
        out[c] = std::prev(it)->to;
    }
    return out;
  }

  /// counts(i, j): logged transitions from state i to j with t0 <= time < t1.
  [[nodiscard]] Eigen::MatrixXd
  transition_counts(double t0 = -std::numeric_limits<double>::infinity(),
                    double t1 = std::numeric_limits<double>::infinity()) const {
    require_log("transition_counts");
    const auto n = static_cast<Eigen::Index>(state_count);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
    for (const auto &r : log)
      if (r.time >= t0 && r.time < t1)
        m(r.from, r.to) += 1.0;
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
/// top of relationship_model.hpp: the trust evidence, the features, the
/// state and the dormancy clock. The replay and the policy simulator both
/// step customers with it.
struct relationship_cursor {
  trust_state ts;
  state_code state = 0;
  std::uint32_t events = 0;
  double prev = std::numeric_limits<double>::quiet_NaN();
  double f[feature_count] = {};
  /// The dormancy clock: the pending move is due at `due` (+inf: none) to
  /// `due_to`, started at `due_since` by the event of kind `due_kind` at
  /// ledger row `due_row`. A window derived from the gaps is computed only
  /// when it matters: until then (`due_exact` false) `due` is the clock's
  /// start plus the least window it can be (min_days), and the due_* tests
  /// make it exact once that lower bound is passed. The gaps cannot change
  /// in between (a gap ends at business, which stops or restarts the clock).
  double due = std::numeric_limits<double>::infinity();
  double due_since = 0.0;
  std::uint32_t due_row = 0;
  event_kind due_kind = event_kind::deal_lost;
  state_code due_to = 0;
  bool due_exact = true;
  /// Time of the last business event and the latest gaps between business
  /// times (a ring of dormancy_gap_memory; gaps_seen counts all of them).
  double last_business = std::numeric_limits<double>::quiet_NaN();
  std::uint32_t gaps_seen = 0;
  double gaps[dormancy_gap_memory];

  relationship_cursor(const relationship_model &model, const trust_params &p) noexcept
      : ts(trust_state::prior(p)), state(model.initial()) {}

  /// A dormancy move that happened: the log record's fields.
  struct dormancy_move {
    double time;
    state_code from, to;
    event_kind kind;
    std::uint32_t row;
  };

  /// Whether the pending dormancy move is due before an event at t.
  [[nodiscard]] bool due_before(const relationship_model &model, double t) noexcept {
    if (!(due < t)) [[likely]]
      return false;
    return exact_due(model) < t;
  }
  /// Whether it is due at or before time t (the end of the data).
  [[nodiscard]] bool due_by(const relationship_model &model, double t) noexcept {
    if (due == std::numeric_limits<double>::infinity() || !(due <= t))
      return false;
    return exact_due(model) <= t;
  }
  /// The due time of the pending move (+inf: none), made exact.
  double exact_due(const relationship_model &model) noexcept {
    if (!due_exact) {
      due = due_since + window(model.dormancy());
      due_exact = true;
    }
    return due;
  }

  /// Make the pending move (call only after due_before or due_by said so).
  dormancy_move take_due() noexcept {
    const dormancy_move m{due, state, due_to, due_kind, due_row};
    state = due_to;
    due = std::numeric_limits<double>::infinity();
    return m;
  }

  /// The dormancy window of this customer now (relationship_model.hpp).
  [[nodiscard]] double window(const dormancy_rule &d) const noexcept {
    if (d.min_gaps == 0 || gaps_seen < d.min_gaps)
      return d.days;
    const std::size_t n = std::min<std::size_t>(gaps_seen, dormancy_gap_memory);
    double x[dormancy_gap_memory];
    std::copy(gaps, gaps + n, x);
    const double h = static_cast<double>(n - 1) * d.quantile;
    const auto lo = static_cast<std::size_t>(h);
    std::nth_element(x, x + lo, x + n); // x[lo] in place, the larger ones after it
    const double q = lo + 1 < n ? x[lo] + (h - static_cast<double>(lo)) *
                                              (*std::min_element(x + lo + 1, x + n) - x[lo])
                                : x[lo];
    return std::clamp(q, d.min_days, d.max_days);
  }

  /// The state after an event of kind k at t with `amount` (ledger row
  /// `row`), once `ts` has observed it (the caller updates ts, so it may use
  /// a fade cache). A pending dormancy move due before t must have been
  /// taken first (due_before / take_due). Also runs the dormancy clock.
  [[nodiscard]] state_code next(const relationship_model &model, const trust_params &p,
                                const feature_needs &need, event_kind k, double t, double amount,
                                std::uint32_t row = 0) noexcept {
    ++events;
    const std::size_t ci = counter_of(k);
    if (ci < feature_count)
      f[ci] += 1.0;
    constexpr auto f_dsl = static_cast<std::size_t>(feature::days_since_last);
    f[f_dsl] = events == 1 ? std::numeric_limits<double>::infinity() : t - prev;
    prev = t;
    if (need.amount)
      f[static_cast<std::size_t>(feature::amount)] = amount;
    // Business and losses (about a third of the events) also run the losing
    // streak, the gaps and the dormancy clock; the rest skip it in one test.
    // Most events have no transition to test in the current state: then no
    // guard reads the trust features (they are not part of the result).
    const bool stays = model.candidates(state, k).empty();
    const std::uint8_t flags = model.kind_flags(k);
    if (flags != 0) [[unlikely]] {
      business(flags, t);
      if (stays && (flags & relationship_model::flag_arm))
        arm(model, k, t, row, state);
    }
    if (stays) [[likely]]
      return state;
    const state_code to = guarded(model, p, need, k);
    if (to != state && due != std::numeric_limits<double>::infinity() && !model.dormancy_from(to))
      due = std::numeric_limits<double>::infinity(); // left the states where the clock runs
    if (flags & relationship_model::flag_arm)
      arm(model, k, t, row, to);
    return to;
  }

private:
  void business(std::uint8_t flags, double t) noexcept {
    constexpr auto f_lir = static_cast<std::size_t>(feature::losses_in_a_row);
    if (flags & relationship_model::flag_loss)
      f[f_lir] += 1.0;
    if (flags & relationship_model::flag_win)
      f[f_lir] = 0.0;
    if (flags & relationship_model::flag_gap) {
      if (t > last_business) { // false on the first (NaN) and at a repeated time
        gaps[gaps_seen % dormancy_gap_memory] = t - last_business;
        ++gaps_seen;
      }
      last_business = t;
    }
    if (flags & relationship_model::flag_cancel)
      due = std::numeric_limits<double>::infinity();
  }

  // Start (or restart) the dormancy clock if the customer is, after the
  // event, in a state where it runs.
  void arm(const relationship_model &model, event_kind k, double t, std::uint32_t row,
           state_code now) noexcept {
    if (!model.dormancy_from(now))
      return;
    const dormancy_rule &d = model.dormancy();
    due_since = t;
    due_exact = d.min_gaps == 0 || gaps_seen < d.min_gaps;
    due = t + (due_exact ? d.days : d.min_days);
    due_row = row;
    due_kind = k;
    due_to = model.dormancy_target();
  }

  [[nodiscard]] state_code guarded(const relationship_model &model, const trust_params &p,
                                   const feature_needs &need, event_kind k) noexcept {
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

/// The as-of time of a replay (see the header note): options.as_of, else
/// until if finite, else the ledger's last event time (NaN if empty).
[[nodiscard]] inline double replay_as_of(const relationship_model &model, const ledger &l,
                                         const replay_options &opt) {
  if (!std::isnan(opt.as_of))
    return opt.as_of;
  if (std::isfinite(opt.until))
    return opt.until;
  (void)model;
  return l.latest_time(); // NaN for an empty ledger; cached with the order
}

/// Replay customers [c0, c1) writing their rows of r and appending to log.
inline void replay_block(const relationship_model &model, const ledger &l, const trust_params &p,
                         const replay_options &opt, std::size_t c0, std::size_t c1,
                         replay_result &r, detail::uninitialized_column<transition_record> &log) {
  const auto &order = l.order();
  const auto &offsets = l.customer_offsets();
  const auto times = l.ordered_times(); // in reading order: a sequential read
  const auto &codes = l.ordered_codes();
  const auto amounts = l.amounts();
  const feature_needs need(model);
  const bool keep_log = opt.keep_log;
  const double until = opt.until;

  // Rows are visited in customer order, i.e. at random in the columns when
  // the ledger arrived in time order. Times and kinds are read in that
  // order (ledger::ordered_times, ordered_codes); an amount, read only if a
  // guard tests it, is prefetched a few events ahead.
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
      const double rate =
          static_cast<double>(log.size()) / static_cast<double>(offsets[c] - block_start);
      const auto want =
          static_cast<std::size_t>(1.125 * rate * static_cast<double>(block_end - block_start)) +
          1024;
      if (want > log.capacity())
        log.reserve(want);
    }
    if (keep_log)
      r.log_offsets[c] = log.size(); // block-local until replay() adds the base
    relationship_cursor cur(model, p);
    for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
      if (need.amount && i + ahead < block_end)
        GOODWILL_PREFETCH(amounts.data() + order[i + ahead]);
      const std::uint32_t row = order[i];
      const double t = times[i];
      if (t > until)
        break; // events are in time order within a customer
      // the kind and what decides its evidence channel, read in order
      // (ledger::ordered_codes); the amount only if a guard tests it
      const std::uint8_t code = codes[i];
      const auto k = static_cast<event_kind>(code & 0x1Fu);
      const double amount = need.amount ? amounts[row] : 0.0;
      if (cur.due_before(model, t)) [[unlikely]] {
        const auto m = cur.take_due();
        if (keep_log)
          log.push_back(
              transition_record{static_cast<customer_id>(c), m.time, m.from, m.to, m.kind, m.row});
      }
      (void)cur.ts.update(p, k, t, (code & 0x20u) ? -1.0 : 0.0,
                          (code & 0x40u) ? static_cast<std::int32_t>(loss_reason::price) : 0);
      const state_code next = cur.next(model, p, need, k, t, amount, row);
      if (next != cur.state) {
        if (keep_log)
          log.push_back(transition_record{static_cast<customer_id>(c), t, cur.state, next, k, row});
        cur.state = next;
      }
    }
    // the end of the data: a move due by the as-of time happens
    if (cur.due_by(model, opt.as_of)) {
      const auto m = cur.take_due();
      if (keep_log)
        log.push_back(
            transition_record{static_cast<customer_id>(c), m.time, m.from, m.to, m.kind, m.row});
    }
    r.dormancy_due[c] = cur.due == std::numeric_limits<double>::infinity()
                            ? std::numeric_limits<double>::quiet_NaN()
                            : cur.exact_due(model);
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
  if (std::isnan(opt.until))
    throw invalid_input("until", "is NaN");
  if (opt.as_of > opt.until)
    throw invalid_input("as_of", "is after until");
  unsigned threads = detail::resolve_threads(opt.threads);
  // build (and cache) the reading order before any block reads it, on as
  // many threads (a no-op if it is cached; thread-safe)
  l.prepare_order(threads);
  replay_options settled = opt; // the as-of time made explicit for the blocks
  settled.as_of = detail::replay_as_of(model, l, opt);
  const auto &offsets = l.customer_offsets();
  const std::size_t n = l.customer_count();
  replay_result r;
  r.customers = n;
  r.state_count = model.state_count();
  r.initial = model.initial();
  r.has_log = opt.keep_log;
  // every row is written by the block that owns its customer: the resizes
  // only reserve (result_column), so each thread first touches its own rows
  // (zeroing the ~125 MB of columns of 10^6 customers first took 80-190 ms
  // on one thread, a serial part of a two-thread replay of ~1.4 s)
  r.state.resize(n);
  for (auto *column :
       {&r.alpha, &r.beta, &r.trust, &r.engagement, &r.loyalty, &r.price_sensitivity, &r.last_time})
    column->resize(n);
  r.events.resize(n);
  r.dormancy_due.resize(n);
  r.as_of = settled.as_of;
  r.counters.resize(n * counter_count);
  if (opt.keep_log)
    r.log_offsets.resize(n + 1);

  const std::size_t events = l.size();
  if (n < 2 * static_cast<std::size_t>(threads) || events < 100000)
    threads = 1;
  if (threads == 1) {
    detail::uninitialized_column<transition_record> log;
    detail::replay_block(model, l, params, settled, 0, n, r, log);
    r.log.append_piece(std::move(log));
    if (opt.keep_log)
      r.log_offsets[n] = r.log.size();
    return r;
  }
  // pieces of about equal event counts, on customer borders, 16 per thread
  // (at least 2^16 events each), shared out as the threads finish them
  // (detail::for_each_piece): each writes its customers' rows and its own
  // log, so the result does not depend on which thread ran which piece
  const std::size_t want = std::clamp<std::size_t>(events >> 16, 2, 16 * std::size_t{threads});
  std::vector<std::size_t> bounds{0};
  for (std::size_t b = 1; b < want; ++b) {
    const std::uint64_t target = events * b / want;
    auto it = std::lower_bound(offsets.begin(), offsets.end() - 1, target);
    const auto at = static_cast<std::size_t>(it - offsets.begin());
    if (at > bounds.back() && at < n)
      bounds.push_back(at);
  }
  bounds.push_back(n);
  const std::size_t pieces = bounds.size() - 1;
  std::vector<detail::uninitialized_column<transition_record>> logs(pieces);
  detail::for_each_piece(threads, pieces, [&](std::size_t b) {
    detail::replay_block(model, l, params, settled, bounds[b], bounds[b + 1], r, logs[b]);
  });
  if (opt.keep_log) {
    // the pieces' logs become the log's pieces as they are (no copy); each
    // piece's customers' offsets move by the records before it, in parallel
    std::vector<std::uint64_t> base(pieces + 1, 0);
    for (std::size_t b = 0; b < pieces; ++b)
      base[b + 1] = base[b] + logs[b].size();
    detail::for_each_piece(threads, pieces, [&](std::size_t b) {
      if (base[b] != 0)
        for (std::size_t c = bounds[b]; c < bounds[b + 1]; ++c)
          r.log_offsets[c] += base[b];
    });
    r.log_offsets[n] = base[pieces];
    for (auto &piece : logs)
      r.log.append_piece(std::move(piece));
  }
  return r;
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_REPLAY_HPP
