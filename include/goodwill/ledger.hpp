// goodwill — the ledger: a columnar, append-only store of events.
//
// Design: events are stored column by column (structure of arrays: customer,
// time, kind, amount, detail, rep; 29 bytes an event). Columns are shared,
// copy-on-write buffers, so NumPy can view them without copying and a view
// stays valid (as a snapshot) when the ledger grows afterwards. Events are
// kept in arrival order; the order in which analyses read them (by customer,
// then time, ties in arrival order: a stable sort) is computed once and
// cached until the next append; the build is thread-safe and can use several
// threads (prepare_order), with the same result for any thread count. Customers are dense ids
// 0..n-1; the ledger can map external keys (64-bit integers or strings, not both) to them.
// Salespeople ("reps") are interned the same way: dense rep ids indexing
// rep_names(), no_rep on an event that names none. The rep column always has
// one entry per event (no_rep throughout for a ledger without reps).
// Appends validate every row first and append nothing if any row is bad, so
// nothing is ever dropped silently.
#ifndef GOODWILL_LEDGER_HPP
#define GOODWILL_LEDGER_HPP

#include <goodwill/detail/large_page_allocator.hpp>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <istream>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace goodwill {

namespace detail {

/// A vector shared by reference and copied before it is changed while shared.
template <class T> class shared_column {
public:
  [[nodiscard]] const column<T> &get() const noexcept { return *data_; }
  [[nodiscard]] column<T> &mutate() {
    if (data_.use_count() > 1)
      data_ = std::make_shared<column<T>>(*data_);
    return *data_;
  }
  [[nodiscard]] std::shared_ptr<const column<T>> share() const noexcept { return data_; }

private:
  std::shared_ptr<column<T>> data_ = std::make_shared<column<T>>();
};

template <class T> void write_pod(std::ostream &out, const T &value) {
  out.write(reinterpret_cast<const char *>(&value), sizeof(T));
}

template <class T> T read_pod(std::istream &in, const char *what) {
  T value{};
  in.read(reinterpret_cast<char *>(&value), sizeof(T));
  if (!in)
    throw invalid_input(std::string("ledger file is truncated while reading ") + what);
  return value;
}

template <class T, class A> void write_vector(std::ostream &out, const std::vector<T, A> &v) {
  out.write(reinterpret_cast<const char *>(v.data()),
            static_cast<std::streamsize>(v.size() * sizeof(T)));
}

template <class T, class A>
void read_vector(std::istream &in, std::vector<T, A> &v, std::uint64_t n, const char *what) {
  v.resize(static_cast<std::size_t>(n));
  in.read(reinterpret_cast<char *>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
  if (!in)
    throw invalid_input(std::string("ledger file is truncated while reading ") + what);
}

} // namespace detail

/// How a ledger names its customers to the outside world.
enum class customer_key_kind : std::uint8_t {
  dense = 0,   ///< the dense ids themselves are the keys
  integer = 1, ///< 64-bit integer keys, mapped to dense ids
  string = 2,  ///< string keys, mapped to dense ids
};

/// A columnar, append-only store of events.
class ledger {
public:
  /// Maximum number of events (row indices are 32-bit).
  static constexpr std::size_t max_size = 0xFFFFFFFEu;

  ledger() = default;

  /// Number of events.
  [[nodiscard]] std::size_t size() const noexcept { return customer_.get().size(); }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  /// Number of customers: one more than the largest dense id seen or mapped.
  [[nodiscard]] std::size_t customer_count() const noexcept { return customer_count_; }

  /// Reserve room for n events in total.
  void reserve(std::size_t n) {
    customer_.mutate().reserve(n);
    time_.mutate().reserve(n);
    kind_.mutate().reserve(n);
    amount_.mutate().reserve(n);
    detail_.mutate().reserve(n);
    rep_.mutate().reserve(n);
  }

  /// Append one event. Throws invalid_input (naming the field; the row is
  /// the position the event would take) and appends nothing if it is bad.
  void append(const event &e) {
    validate(e.customer, e.time, static_cast<std::uint8_t>(e.kind), e.amount,
             static_cast<std::int64_t>(size()));
    check_key(e.customer, static_cast<std::int64_t>(size()));
    check_rep(e.rep, static_cast<std::int64_t>(size()));
    push(e.customer, e.time, static_cast<std::uint8_t>(e.kind), e.amount, e.detail, e.rep);
  }

  /// Append one event given field by field.
  void append(customer_id customer, double time, event_kind kind, double amount = 0.0,
              std::int32_t detail = 0, rep_id rep = no_rep) {
    append(event{customer, time, kind, amount, detail, rep});
  }

  /// Append columns of equal length. `kinds` holds raw codes (see
  /// event_kind); `amounts` and `details` may be empty (all zero), `reps`
  /// may be empty (no rep on any row; else rep ids from intern_rep() or
  /// no_rep). Every row is checked before anything is appended; an error
  /// names the row as its zero-based position in these columns.
  void append(std::span<const customer_id> customers, std::span<const double> times,
              std::span<const std::uint8_t> kinds, std::span<const double> amounts = {},
              std::span<const std::int32_t> details = {}, std::span<const rep_id> reps = {}) {
    const std::size_t n = customers.size();
    check_length("time", times.size(), n);
    check_length("kind", kinds.size(), n);
    if (!amounts.empty())
      check_length("amount", amounts.size(), n);
    if (!details.empty())
      check_length("detail", details.size(), n);
    if (!reps.empty())
      check_length("rep", reps.size(), n);
    if (size() + n > max_size)
      throw invalid_input("a ledger holds at most " + std::to_string(max_size) + " events");
    customer_id largest = 0;
    for (std::size_t i = 0; i < n; ++i) {
      validate(customers[i], times[i], kinds[i], amounts.empty() ? 0.0 : amounts[i],
               static_cast<std::int64_t>(i));
      check_key(customers[i], static_cast<std::int64_t>(i));
      largest = std::max(largest, customers[i]);
    }
    std::size_t with_rep = 0;
    for (std::size_t i = 0; i < reps.size(); ++i) {
      check_rep(reps[i], static_cast<std::int64_t>(i));
      with_rep += reps[i] != no_rep;
    }
    if (n == 0)
      return;
    invalidate();
    append_range(customer_.mutate(), customers);
    append_range(time_.mutate(), times);
    append_range(kind_.mutate(), kinds);
    if (amounts.empty())
      amount_.mutate().resize(size(), 0.0);
    else
      append_range(amount_.mutate(), amounts);
    if (details.empty())
      detail_.mutate().resize(size(), 0);
    else
      append_range(detail_.mutate(), details);
    if (reps.empty())
      rep_.mutate().resize(size(), no_rep);
    else
      append_range(rep_.mutate(), reps);
    events_with_rep_ += with_rep;
    grow_customers(largest);
  }

  /// Append columns whose customers are named by keys: row i belongs to the
  /// customer with key `keys[codes[i]]` (codes and unique keys as
  /// pandas.factorize returns them; a negative code is a missing customer).
  /// Key is std::int64_t or std::string. Every row is checked before any key
  /// is mapped or any event appended.
  template <class Key>
  void append_keyed(std::span<const Key> keys, std::span<const std::int64_t> codes,
                    std::span<const double> times, std::span<const std::uint8_t> kinds,
                    std::span<const double> amounts = {},
                    std::span<const std::int32_t> details = {}, std::span<const rep_id> reps = {}) {
    const std::size_t n = codes.size();
    check_length("time", times.size(), n);
    check_length("kind", kinds.size(), n);
    if (!amounts.empty())
      check_length("amount", amounts.size(), n);
    if (!details.empty())
      check_length("detail", details.size(), n);
    if (!reps.empty())
      check_length("rep", reps.size(), n);
    const auto nkeys = static_cast<std::int64_t>(keys.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto row = static_cast<std::int64_t>(i);
      if (codes[i] < 0)
        throw invalid_input("customer", row, "is missing");
      if (codes[i] >= nkeys)
        throw invalid_input("customer", row,
                            "code " + std::to_string(codes[i]) + " is beyond the " +
                                std::to_string(nkeys) + " keys given");
      validate(0, times[i], kinds[i], amounts.empty() ? 0.0 : amounts[i], row);
      if (!reps.empty())
        check_rep(reps[i], row);
    }
    std::vector<customer_id> ids(keys.size());
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if constexpr (std::is_same_v<Key, std::string>)
        ids[j] = intern(std::string_view(keys[j]));
      else
        ids[j] = intern(static_cast<std::int64_t>(keys[j]));
    }
    std::vector<customer_id> customers(n);
    for (std::size_t i = 0; i < n; ++i)
      customers[i] = ids[static_cast<std::size_t>(codes[i])];
    append(std::span<const customer_id>(customers), times, kinds, amounts, details, reps);
  }

  /// Append columns whose customers are integer keys, one per row. New keys
  /// get dense ids in order of first appearance. Compact non-negative keys
  /// (the usual 0..n or 1..n ids) are mapped through a direct-address table,
  /// others through a hash map. Every row is checked first.
  void append_integer_keys(std::span<const std::int64_t> keys, std::span<const double> times,
                           std::span<const std::uint8_t> kinds,
                           std::span<const double> amounts = {},
                           std::span<const std::int32_t> details = {},
                           std::span<const rep_id> reps = {}) {
    const std::size_t n = keys.size();
    check_length("time", times.size(), n);
    check_length("kind", kinds.size(), n);
    if (!amounts.empty())
      check_length("amount", amounts.size(), n);
    if (!details.empty())
      check_length("detail", details.size(), n);
    if (!reps.empty())
      check_length("rep", reps.size(), n);
    if (n == 0)
      return;
    if (size() + n > max_size)
      throw invalid_input("a ledger holds at most " + std::to_string(max_size) + " events");
    std::int64_t lo = keys[0], hi = keys[0];
    for (std::size_t i = 0; i < n; ++i) {
      validate(0, times[i], kinds[i], amounts.empty() ? 0.0 : amounts[i],
               static_cast<std::int64_t>(i));
      if (!reps.empty())
        check_rep(reps[i], static_cast<std::int64_t>(i));
      lo = std::min(lo, keys[i]);
      hi = std::max(hi, keys[i]);
    }
    require_keys(customer_key_kind::integer); // after the checks: a bad append changes nothing
    std::vector<customer_id> customers(n);
    constexpr customer_id none = 0xFFFFFFFFu;
    const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (lo >= 0 && span < 4 * (n + int_keys_.size()) + 1024) {
      std::vector<customer_id> table(static_cast<std::size_t>(span) + 1, none);
      for (std::size_t id = 0; id < int_keys_.size(); ++id)
        if (int_keys_[id] >= lo && int_keys_[id] <= hi)
          table[static_cast<std::size_t>(int_keys_[id] - lo)] = static_cast<customer_id>(id);
      for (std::size_t i = 0; i < n; ++i) {
        auto &slot = table[static_cast<std::size_t>(keys[i] - lo)];
        if (slot == none)
          slot = intern(keys[i]);
        customers[i] = slot;
      }
    } else {
      for (std::size_t i = 0; i < n; ++i)
        customers[i] = intern(keys[i]);
    }
    append(std::span<const customer_id>(customers), times, kinds, amounts, details, reps);
  }

  /// The event at row i (arrival order).
  [[nodiscard]] event operator[](std::size_t i) const {
    return event{customer_.get()[i], time_.get()[i],   static_cast<event_kind>(kind_.get()[i]),
                 amount_.get()[i],   detail_.get()[i], rep_.get()[i]};
  }

  /// Columns, in arrival order. Valid until the next append.
  [[nodiscard]] std::span<const customer_id> customers() const noexcept { return customer_.get(); }
  [[nodiscard]] std::span<const double> times() const noexcept { return time_.get(); }
  [[nodiscard]] std::span<const std::uint8_t> kinds() const noexcept { return kind_.get(); }
  [[nodiscard]] std::span<const double> amounts() const noexcept { return amount_.get(); }
  [[nodiscard]] std::span<const std::int32_t> details() const noexcept { return detail_.get(); }
  /// The salesperson of each event (an index into rep_names(), or no_rep).
  [[nodiscard]] std::span<const rep_id> reps() const noexcept { return rep_.get(); }

  /// Shared, immutable snapshots of the columns: they stay valid and
  /// unchanged however the ledger changes afterwards.
  [[nodiscard]] auto share_customers() const noexcept { return customer_.share(); }
  [[nodiscard]] auto share_times() const noexcept { return time_.share(); }
  [[nodiscard]] auto share_kinds() const noexcept { return kind_.share(); }
  [[nodiscard]] auto share_amounts() const noexcept { return amount_.share(); }
  [[nodiscard]] auto share_details() const noexcept { return detail_.share(); }
  [[nodiscard]] auto share_reps() const noexcept { return rep_.share(); }

  // ---- salespeople ------------------------------------------------------

  /// Number of salespeople interned (events may name fewer).
  [[nodiscard]] std::size_t rep_count() const noexcept { return rep_names_.size(); }

  /// Salespeople's names, indexed by rep_id.
  [[nodiscard]] const std::vector<std::string> &rep_names() const noexcept { return rep_names_; }

  /// Whether any event names a salesperson.
  [[nodiscard]] bool has_reps() const noexcept { return events_with_rep_ > 0; }

  /// Number of events that name a salesperson.
  [[nodiscard]] std::size_t events_with_rep() const noexcept { return events_with_rep_; }

  /// The rep id of a salesperson's name, created if new. Throws
  /// invalid_input (field "rep") on an empty name or when the ids run out.
  rep_id intern_rep(std::string_view name) {
    if (name.empty())
      throw invalid_input("rep", "a salesperson's name is empty");
    auto it = rep_ids_.find(std::string(name));
    if (it != rep_ids_.end())
      return it->second;
    if (rep_names_.size() >= no_rep)
      throw invalid_input("rep",
                          "a ledger holds at most " + std::to_string(no_rep) + " salespeople");
    const auto id = static_cast<rep_id>(rep_names_.size());
    rep_names_.emplace_back(name);
    rep_ids_.emplace(rep_names_.back(), id);
    return id;
  }

  /// The rep id of a name, if the ledger knows it.
  [[nodiscard]] std::optional<rep_id> find_rep(std::string_view name) const {
    auto it = rep_ids_.find(std::string(name));
    return it == rep_ids_.end() ? std::nullopt : std::optional(it->second);
  }

  /// Forget the salespeople with ids >= first (to undo intern_rep() calls
  /// for an append that then failed). Throws invalid_input if an event
  /// names one of them.
  void discard_reps_from(rep_id first) {
    if (first >= rep_names_.size())
      return;
    for (const auto r : rep_.get())
      if (r != no_rep && r >= first)
        throw invalid_input("rep", "salesperson '" + rep_names_[r] +
                                       "' is named by an event and cannot be discarded");
    for (std::size_t i = first; i < rep_names_.size(); ++i)
      rep_ids_.erase(rep_names_[i]);
    rep_names_.resize(first);
  }

  // ---- customer keys ----------------------------------------------------

  /// How customers are named: dense ids, integer keys or string keys.
  [[nodiscard]] customer_key_kind key_kind() const noexcept { return key_kind_; }

  /// The dense id of an integer key, created if new.
  customer_id intern(std::int64_t key) {
    require_keys(customer_key_kind::integer);
    auto [it, inserted] = int_ids_.try_emplace(key, static_cast<customer_id>(int_keys_.size()));
    if (inserted) {
      int_keys_.push_back(key);
      grow_customers(it->second);
    }
    return it->second;
  }

  /// The dense id of a string key, created if new.
  customer_id intern(std::string_view key) {
    require_keys(customer_key_kind::string);
    auto it = string_ids_.find(std::string(key));
    if (it != string_ids_.end())
      return it->second;
    const auto id = static_cast<customer_id>(string_keys_.size());
    string_keys_.emplace_back(key);
    string_ids_.emplace(string_keys_.back(), id);
    grow_customers(id);
    return id;
  }

  /// The dense id of an integer key, if the ledger knows it.
  [[nodiscard]] std::optional<customer_id> find(std::int64_t key) const {
    if (key_kind_ != customer_key_kind::integer)
      return std::nullopt;
    auto it = int_ids_.find(key);
    return it == int_ids_.end() ? std::nullopt : std::optional(it->second);
  }

  /// The dense id of a string key, if the ledger knows it.
  [[nodiscard]] std::optional<customer_id> find(std::string_view key) const {
    if (key_kind_ != customer_key_kind::string)
      return std::nullopt;
    auto it = string_ids_.find(std::string(key));
    return it == string_ids_.end() ? std::nullopt : std::optional(it->second);
  }

  /// Integer keys, indexed by dense id (key_kind() == integer).
  [[nodiscard]] const std::vector<std::int64_t> &integer_keys() const noexcept { return int_keys_; }
  /// String keys, indexed by dense id (key_kind() == string).
  [[nodiscard]] const std::vector<std::string> &string_keys() const noexcept {
    return string_keys_;
  }

  // ---- reading order ----------------------------------------------------

  /// Rows sorted by customer, then time, ties in arrival order. Together
  /// with customer_offsets(), customer c's events are
  /// order()[offsets[c] .. offsets[c+1]). Computed on first use after an
  /// append (O(n) counting sort, plus a stable sort of customers whose events
  /// arrived out of time order) and cached. Safe to call from several threads
  /// at once on a ledger nobody appends to meanwhile: the first caller
  /// builds the order, the others wait for it.
  [[nodiscard]] const std::vector<std::uint32_t> &order() const {
    ensure_order(1);
    return cache_.order;
  }
  /// Offsets into order() of each customer's events (customer_count()+1).
  [[nodiscard]] const std::vector<std::uint64_t> &customer_offsets() const {
    ensure_order(1);
    return cache_.offsets;
  }
  /// Whether the ledger's rows are already grouped by customer in time order
  /// (then order() is the identity).
  [[nodiscard]] bool is_grouped() const {
    ensure_order(1);
    return cache_.grouped;
  }
  /// Each event's kind in reading order (order()[i]'s kind in bit 0-4),
  /// with what decides its trust evidence channel: bit 5 set if its amount
  /// is negative (a refund, a scope cut), bit 6 if it is a deal lost on
  /// price. A sequential read for the replay instead of three gathers.
  [[nodiscard]] const std::vector<std::uint8_t> &ordered_codes() const {
    ensure_order(1);
    return cache_.codes;
  }
  /// The time of the latest event (NaN if the ledger is empty); cached with
  /// the reading order, so a replay that needs it does not scan the times.
  [[nodiscard]] double latest_time() const {
    ensure_order(1);
    return cache_.latest;
  }
  /// Build and cache the reading order now, on up to `threads` threads (0:
  /// one per hardware thread), unless it is cached already. The order is the
  /// same for any number of threads; thread-safe like order().
  void prepare_order(unsigned threads = 0) const { ensure_order(threads); }

  // ---- persistence ------------------------------------------------------

  /// Write the ledger in goodwill's binary format (version 2). Round-trips
  /// exactly, bit for bit, through load().
  ///
  /// Layout (little-endian): magic "GWLEDGER", u32 version, u8 key kind,
  /// u64 customers, u64 events n; integer keys (customers x i64) or string
  /// keys (customers x {u64 length, bytes}); the columns customer (n x u32),
  /// time (n x f64), kind (n x u8), amount (n x f64), detail (n x i32).
  /// Version 2 adds: u64 rep names r, r x {u64 length, bytes}, rep
  /// (n x u32). Version 1 files (without the last three) still load, with
  /// no reps.
  void save(std::ostream &out) const {
    static_assert(std::endian::native == std::endian::little, "the ledger format is little-endian");
    out.write(file_magic, sizeof(file_magic));
    detail::write_pod(out, file_version);
    detail::write_pod(out, static_cast<std::uint8_t>(key_kind_));
    detail::write_pod(out, static_cast<std::uint64_t>(customer_count_));
    detail::write_pod(out, static_cast<std::uint64_t>(size()));
    if (key_kind_ == customer_key_kind::integer)
      detail::write_vector(out, int_keys_);
    if (key_kind_ == customer_key_kind::string)
      for (const auto &s : string_keys_)
        write_string(out, s);
    detail::write_vector(out, customer_.get());
    detail::write_vector(out, time_.get());
    detail::write_vector(out, kind_.get());
    detail::write_vector(out, amount_.get());
    detail::write_vector(out, detail_.get());
    detail::write_pod(out, static_cast<std::uint64_t>(rep_names_.size()));
    for (const auto &s : rep_names_)
      write_string(out, s);
    detail::write_vector(out, rep_.get());
    if (!out)
      throw error("writing the ledger failed");
  }

  /// Read a ledger written by save(). Throws invalid_input on a file that is
  /// not a ledger, of an unknown version, truncated or inconsistent.
  [[nodiscard]] static ledger load(std::istream &in) {
    char magic[sizeof(file_magic)] = {};
    in.read(magic, sizeof(magic));
    if (!in || std::memcmp(magic, file_magic, sizeof(magic)) != 0)
      throw invalid_input("not a goodwill ledger file (bad magic bytes)");
    const auto version = detail::read_pod<std::uint32_t>(in, "the version");
    if (version < 1 || version > file_version)
      throw invalid_input("unsupported ledger file version " + std::to_string(version) +
                          " (this build reads 1 to " + std::to_string(file_version) + ")");
    const auto keys = detail::read_pod<std::uint8_t>(in, "the key kind");
    if (keys > 2)
      throw invalid_input("ledger file has an unknown customer key kind " + std::to_string(keys));
    const auto customers = detail::read_pod<std::uint64_t>(in, "the header");
    const auto n = detail::read_pod<std::uint64_t>(in, "the header");
    if (n > max_size || customers > 0xFFFFFFFFull)
      throw invalid_input("ledger file header is inconsistent");
    ledger result;
    result.key_kind_ = static_cast<customer_key_kind>(keys);
    if (result.key_kind_ == customer_key_kind::integer) {
      detail::read_vector(in, result.int_keys_, customers, "integer keys");
      for (std::size_t i = 0; i < result.int_keys_.size(); ++i)
        result.int_ids_.emplace(result.int_keys_[i], static_cast<customer_id>(i));
    } else if (result.key_kind_ == customer_key_kind::string) {
      result.string_keys_.reserve(static_cast<std::size_t>(customers));
      for (std::uint64_t i = 0; i < customers; ++i) {
        std::string s = read_string(in, "string keys");
        result.string_ids_.emplace(s, static_cast<customer_id>(i));
        result.string_keys_.push_back(std::move(s));
      }
    }
    detail::column<customer_id> c;
    detail::column<double> t, a;
    detail::column<std::uint8_t> k;
    detail::column<std::int32_t> d;
    detail::read_vector(in, c, n, "customers");
    detail::read_vector(in, t, n, "times");
    detail::read_vector(in, k, n, "kinds");
    detail::read_vector(in, a, n, "amounts");
    detail::read_vector(in, d, n, "details");
    detail::column<rep_id> r;
    if (version >= 2) {
      const auto names = detail::read_pod<std::uint64_t>(in, "the rep names");
      if (names >= no_rep)
        throw invalid_input("ledger file header is inconsistent (rep names)");
      for (std::uint64_t i = 0; i < names; ++i) {
        std::string s = read_string(in, "rep names");
        if (s.empty() || result.rep_ids_.count(s) != 0)
          throw invalid_input("ledger file has an empty or repeated rep name");
        result.rep_ids_.emplace(s, static_cast<rep_id>(i));
        result.rep_names_.push_back(std::move(s));
      }
      detail::read_vector(in, r, n, "reps");
    } else {
      r.assign(static_cast<std::size_t>(n), no_rep);
    }
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i] >= customers)
        throw invalid_input("customer", static_cast<std::int64_t>(i),
                            "ledger file names a customer beyond its header");
      result.validate(c[i], t[i], k[i], a[i], static_cast<std::int64_t>(i));
      result.check_rep(r[i], static_cast<std::int64_t>(i));
      result.events_with_rep_ += r[i] != no_rep;
    }
    result.customer_.mutate() = std::move(c);
    result.time_.mutate() = std::move(t);
    result.kind_.mutate() = std::move(k);
    result.amount_.mutate() = std::move(a);
    result.detail_.mutate() = std::move(d);
    result.rep_.mutate() = std::move(r);
    result.customer_count_ = static_cast<std::size_t>(customers);
    return result;
  }

  /// Validate one row; throws invalid_input naming the field and `row`.
  static void validate(customer_id customer, double time, std::uint8_t kind, double amount,
                       std::int64_t row) {
    if (customer == 0xFFFFFFFFu)
      throw invalid_input("customer", row, "id 4294967295 is reserved");
    if (!std::isfinite(time))
      throw invalid_input("time", row, describe_nonfinite(time));
    if (!is_event_kind(kind))
      throw invalid_input("kind", row, "unknown event kind code " + std::to_string(kind));
    if (!std::isfinite(amount))
      throw invalid_input("amount", row, describe_nonfinite(amount));
    const auto k = static_cast<event_kind>(kind);
    if (amount < 0.0 && !allows_negative_amount(k))
      throw invalid_input("amount", row,
                          "is negative (" + std::to_string(amount) + "), which a '" +
                              std::string(to_string(k)) + "' event does not allow");
  }

private:
  static constexpr char file_magic[8] = {'G', 'W', 'L', 'E', 'D', 'G', 'E', 'R'};
  static constexpr std::uint32_t file_version = 2;

  static void write_string(std::ostream &out, const std::string &s) {
    detail::write_pod(out, static_cast<std::uint64_t>(s.size()));
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
  }

  static std::string read_string(std::istream &in, const char *what) {
    const auto len = detail::read_pod<std::uint64_t>(in, what);
    if (len > (std::uint64_t{1} << 32))
      throw invalid_input(std::string("ledger file has an implausible length in ") + what);
    std::string s(static_cast<std::size_t>(len), '\0');
    in.read(s.data(), static_cast<std::streamsize>(len));
    if (!in)
      throw invalid_input(std::string("ledger file is truncated while reading ") + what);
    return s;
  }

  void check_rep(rep_id r, std::int64_t row) const {
    if (r != no_rep && r >= rep_names_.size())
      throw invalid_input("rep", row,
                          "rep id " + std::to_string(r) + " is not interned (the ledger has " +
                              std::to_string(rep_names_.size()) +
                              " salespeople); intern the name first");
  }

  static std::string describe_nonfinite(double v) {
    return std::isnan(v) ? "is NaN" : (v > 0 ? "is +infinity" : "is -infinity");
  }

  static void check_length(const char *field, std::size_t got, std::size_t n) {
    if (got != n)
      throw invalid_input(field, "has " + std::to_string(got) + " rows where 'customer' has " +
                                     std::to_string(n));
  }

  template <class T> static void append_range(detail::column<T> &v, std::span<const T> values) {
    v.insert(v.end(), values.begin(), values.end());
  }

  std::size_t key_count() const noexcept {
    return key_kind_ == customer_key_kind::integer ? int_keys_.size() : string_keys_.size();
  }

  void check_key(customer_id c, std::int64_t row) const {
    if (key_kind_ != customer_key_kind::dense && c >= key_count())
      throw invalid_input("customer", row,
                          "dense id " + std::to_string(c) +
                              " has no key; intern the customer's key first");
  }

  void require_keys(customer_key_kind wanted) {
    if (key_kind_ == wanted)
      return;
    if (key_kind_ == customer_key_kind::dense && customer_count_ == 0) {
      key_kind_ = wanted;
      return;
    }
    throw invalid_input("customer", std::string("this ledger names customers by ") +
                                        key_kind_name(key_kind_) + "; it cannot also take " +
                                        key_kind_name(wanted) + " keys");
  }

  static const char *key_kind_name(customer_key_kind k) {
    switch (k) {
    case customer_key_kind::integer:
      return "integer keys";
    case customer_key_kind::string:
      return "string keys";
    default:
      return "dense ids";
    }
  }

  void grow_customers(customer_id largest) {
    customer_count_ = std::max(customer_count_, static_cast<std::size_t>(largest) + 1);
    invalidate();
  }

  void push(customer_id c, double t, std::uint8_t k, double a, std::int32_t d, rep_id r) {
    invalidate();
    rep_.mutate().push_back(r);
    events_with_rep_ += r != no_rep;
    customer_.mutate().push_back(c);
    time_.mutate().push_back(t);
    kind_.mutate().push_back(k);
    amount_.mutate().push_back(a);
    detail_.mutate().push_back(d);
    grow_customers(c);
  }

  void invalidate() noexcept { cache_.valid.store(false, std::memory_order_relaxed); }

  void ensure_order(unsigned threads) const {
    if (cache_.valid.load(std::memory_order_acquire))
      return;
    const std::lock_guard lock(cache_.mutex);
    if (cache_.valid.load(std::memory_order_relaxed))
      return;
    build_order(threads);
    cache_.valid.store(true, std::memory_order_release);
  }

  // The reading order on T threads. Rows are cut into T chunks in arrival
  // order; each thread counts its chunk's events per customer, the counts
  // become each chunk's first position within each customer's range (chunk
  // 0's events of a customer first), and each thread scatters its chunk:
  // ties stay in arrival order, as with one thread. Customers are then cut
  // into T ranges of about equal event counts, and each thread checks (and
  // if need be stable-sorts) its customers' events by time.
  void build_order(unsigned threads) const {
    const auto &cust = customer_.get();
    const auto &time = time_.get();
    const std::size_t n = cust.size();
    const std::size_t nc = customer_count_;
    auto &cache = cache_;
    unsigned nt = detail::resolve_threads(threads);
    // at least 64 Ki rows a thread (a thread start costs about what
    // ordering 10^4 rows does); the count arrays (threads × customers) stay
    // within a few times the row count
    nt = static_cast<unsigned>(std::min<std::size_t>(nt, std::max<std::size_t>(1, n >> 16)));
    while (nt > 1 && nt * nc > 4 * n + (std::size_t{1} << 22))
      --nt;
    const auto chunk = [&](unsigned t) { return n * t / nt; };
    const auto cust_chunk = [&](unsigned t) { return nc * t / nt; };

    // Already grouped by customer in time order? Then the order is identity.
    std::vector<char> in_order(nt, 1);
    detail::run_on_threads(nt, [&](unsigned t) {
      for (std::size_t i = std::max<std::size_t>(1, chunk(t)); i < chunk(t + 1); ++i)
        if (!(cust[i - 1] < cust[i] || (cust[i - 1] == cust[i] && time[i - 1] <= time[i]))) {
          in_order[t] = 0;
          break;
        }
    });
    const bool grouped =
        std::all_of(in_order.begin(), in_order.end(), [](char v) { return v != 0; });
    cache.offsets.assign(nc + 1, 0);
    std::uint64_t *offsets = cache.offsets.data();
    detail::resize_on_large_pages(cache.order, n);
    std::uint32_t *order = cache.order.data();
    if (grouped) {
      // customers c with cust[i-1] < c <= cust[i] start at row i (no two
      // threads write the same offset: customer ids do not decrease)
      detail::run_on_threads(nt, [&](unsigned t) {
        for (std::size_t i = chunk(t); i < chunk(t + 1); ++i) {
          order[i] = static_cast<std::uint32_t>(i);
          const std::size_t from = i == 0 ? 0 : static_cast<std::size_t>(cust[i - 1]) + 1;
          for (std::size_t c = from; c <= cust[i]; ++c)
            offsets[c] = i;
        }
      });
      for (std::size_t c = n == 0 ? 0 : static_cast<std::size_t>(cust[n - 1]) + 1; c <= nc; ++c)
        offsets[c] = n;
    } else {
      // pos[t][c]: events of customer c in chunk t, then where chunk t's next
      // event of c goes (row positions fit in 32 bits: n <= max_size)
      std::vector<std::vector<std::uint32_t>> pos(nt);
      detail::run_on_threads(nt, [&](unsigned t) {
        auto &p = pos[t];
        p.assign(nc, 0); // first touched by the thread that uses it
        for (std::size_t i = chunk(t); i < chunk(t + 1); ++i)
          ++p[cust[i]];
      });
      // positions: a sum over each customer range, then the ranges in order
      std::vector<std::uint64_t> range_start(nt + 1, 0);
      detail::run_on_threads(nt, [&](unsigned t) {
        std::uint64_t sum = 0;
        for (std::size_t c = cust_chunk(t); c < cust_chunk(t + 1); ++c)
          for (unsigned u = 0; u < nt; ++u)
            sum += pos[u][c];
        range_start[t + 1] = sum;
      });
      for (unsigned t = 0; t < nt; ++t)
        range_start[t + 1] += range_start[t];
      detail::run_on_threads(nt, [&](unsigned t) {
        std::uint64_t at = range_start[t];
        for (std::size_t c = cust_chunk(t); c < cust_chunk(t + 1); ++c) {
          offsets[c] = at;
          for (unsigned u = 0; u < nt; ++u) {
            const std::uint32_t count = pos[u][c];
            pos[u][c] = static_cast<std::uint32_t>(at);
            at += count;
          }
        }
      });
      offsets[nc] = n;
      detail::run_on_threads(nt, [&](unsigned t) {
        std::uint32_t *p = pos[t].data();
        for (std::size_t i = chunk(t); i < chunk(t + 1); ++i)
          order[p[cust[i]]++] = static_cast<std::uint32_t>(i);
      });
      pos = {};
      // time order within each customer, by customer ranges of about
      // n / nt events each
      std::vector<std::size_t> first_customer(nt + 1, nc);
      first_customer[0] = 0;
      for (unsigned t = 1; t < nt; ++t)
        first_customer[t] = static_cast<std::size_t>(
            std::lower_bound(offsets, offsets + nc, static_cast<std::uint64_t>(chunk(t))) -
            offsets);
      detail::run_on_threads(nt, [&](unsigned t) {
        const auto by_time = [&](std::uint32_t a, std::uint32_t b) { return time[a] < time[b]; };
        for (std::size_t c = first_customer[t]; c < first_customer[t + 1]; ++c) {
          std::uint32_t *first = order + offsets[c], *last = order + offsets[c + 1];
          if (!std::is_sorted(first, last, by_time))
            std::stable_sort(first, last, by_time);
        }
      });
    }
    cache.grouped = grouped;
    // kinds in reading order, with the channel refinements (ordered_codes)
    cache.codes.resize(n);
    {
      const auto &kind = kind_.get();
      const auto &amount = amount_.get();
      const auto &details = detail_.get();
      std::uint8_t *codes = cache.codes.data();
      std::vector<double> latest(nt, -std::numeric_limits<double>::infinity());
      detail::run_on_threads(nt, [&](unsigned t) {
        double m = latest[t];
        for (std::size_t i = chunk(t); i < chunk(t + 1); ++i)
          m = std::max(m, time[i]); // finite (append checks), so a plain max
        latest[t] = m;
        for (std::size_t i = chunk(t); i < chunk(t + 1); ++i) {
          const std::uint32_t row = order[i];
          const std::uint8_t k = kind[row];
          const bool price = k == static_cast<std::uint8_t>(event_kind::deal_lost) &&
                             details[row] == static_cast<std::int32_t>(loss_reason::price);
          codes[i] = static_cast<std::uint8_t>(k | (amount[row] < 0.0 ? 0x20u : 0u) |
                                               (price ? 0x40u : 0u));
        }
      });
      cache.latest = n == 0 ? std::numeric_limits<double>::quiet_NaN()
                            : *std::max_element(latest.begin(), latest.end());
    }
  }

  /// The cached reading order. Copies take the order only if it is built
  /// (a ledger being read by other threads is never appended to, so the
  /// flag cannot fall meanwhile); each ledger has its own lock.
  struct order_cache {
    std::vector<std::uint32_t> order;
    std::vector<std::uint8_t> codes;
    std::vector<std::uint64_t> offsets;
    double latest = std::numeric_limits<double>::quiet_NaN();
    bool grouped = true;
    std::atomic<bool> valid{false};
    std::mutex mutex;

    order_cache() = default;
    order_cache(const order_cache &o) { *this = o; }
    order_cache(order_cache &&o) noexcept { *this = std::move(o); }
    order_cache &operator=(const order_cache &o) {
      if (this == &o)
        return *this;
      const bool built = o.valid.load(std::memory_order_acquire);
      if (built) {
        order = o.order;
        codes = o.codes;
        offsets = o.offsets;
        latest = o.latest;
        grouped = o.grouped;
      }
      valid.store(built, std::memory_order_relaxed);
      return *this;
    }
    order_cache &operator=(order_cache &&o) noexcept {
      if (this == &o)
        return *this;
      const bool built = o.valid.load(std::memory_order_acquire);
      order = std::move(o.order);
      codes = std::move(o.codes);
      offsets = std::move(o.offsets);
      latest = o.latest;
      grouped = o.grouped;
      valid.store(built, std::memory_order_relaxed);
      o.valid.store(false, std::memory_order_relaxed);
      return *this;
    }
    ~order_cache() = default;
  };

  detail::shared_column<customer_id> customer_;
  detail::shared_column<double> time_;
  detail::shared_column<std::uint8_t> kind_;
  detail::shared_column<double> amount_;
  detail::shared_column<std::int32_t> detail_;
  detail::shared_column<rep_id> rep_;
  std::size_t customer_count_ = 0;
  std::size_t events_with_rep_ = 0;
  std::vector<std::string> rep_names_;
  std::unordered_map<std::string, rep_id> rep_ids_;

  customer_key_kind key_kind_ = customer_key_kind::dense;
  std::vector<std::int64_t> int_keys_;
  std::unordered_map<std::int64_t, customer_id> int_ids_;
  std::vector<std::string> string_keys_;
  std::unordered_map<std::string, customer_id> string_ids_;

  mutable order_cache cache_;
};

} // namespace goodwill

#endif // GOODWILL_LEDGER_HPP
