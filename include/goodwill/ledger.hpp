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
//
// Files (.gwl, format version 3, see save()): a header with every count and
// the body's exact length, protected by its own CRC-32C, and a CRC-32C over
// header and body at the end (why CRC-32C: detail/crc32c.hpp). A reader checks
// the header's checksum and every count against the bytes actually there
// before it allocates anything, reads everything, checks the checksum, and
// only then looks at the content, so a damaged file is refused as damaged,
// never loaded as a different ledger; a file with bytes after its end, a key
// or rep name twice is refused too. Saving to a path is atomic (a temporary
// file beside it, flushed to disk and renamed over it). Versions 1 and 2
// (no checksum) still load, with the same length and content checks.
#ifndef GOODWILL_LEDGER_HPP
#define GOODWILL_LEDGER_HPP

#include <goodwill/detail/atomic_file.hpp>
#include <goodwill/detail/crc32c.hpp>
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
#include <filesystem>
#include <istream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
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

/// Writes bytes to a stream, extending a CRC-32C over them as it goes (in
/// pieces of 1 MiB, so each is checksummed while it is in cache).
class checksummed_writer {
public:
  explicit checksummed_writer(std::ostream &out) noexcept : out_(out) {}
  void bytes(const void *data, std::size_t n) {
    const char *p = static_cast<const char *>(data);
    while (n > 0) {
      const std::size_t k = std::min(n, piece);
      crc_ = crc32c_extend(crc_, p, k);
      out_.write(p, static_cast<std::streamsize>(k));
      p += k;
      n -= k;
    }
  }
  template <class T> void pod(const T &value) { bytes(&value, sizeof(T)); }
  template <class T, class A> void vector(const std::vector<T, A> &v) {
    bytes(v.data(), v.size() * sizeof(T));
  }
  void string(const std::string &s) {
    pod(static_cast<std::uint64_t>(s.size()));
    bytes(s.data(), s.size());
  }
  [[nodiscard]] std::uint32_t crc() const noexcept { return crc_; }

private:
  static constexpr std::size_t piece = std::size_t{1} << 20;
  std::ostream &out_;
  std::uint32_t crc_ = 0;
};

/// Reads bytes from a stream of known remaining size, checking every read
/// against what is left before allocating for it and extending a CRC-32C
/// over what it reads. Messages start with the source ("ledger file 'x'").
class checksummed_reader {
public:
  checksummed_reader(std::istream &in, std::uint64_t size, const std::string &source) noexcept
      : in_(in), remaining_(size), source_(source) {}

  [[nodiscard]] std::uint64_t remaining() const noexcept { return remaining_; }
  [[nodiscard]] std::uint32_t crc() const noexcept { return crc_; }
  [[nodiscard]] const std::string &source() const noexcept { return source_; }

  [[noreturn]] void truncated(const char *what, std::uint64_t needed) const {
    throw invalid_input(source_ + " is truncated: " + what + " need " + std::to_string(needed) +
                        " bytes, " + std::to_string(remaining_) + " are left");
  }

  void bytes(void *data, std::uint64_t n, const char *what) {
    if (n > remaining_)
      truncated(what, n);
    char *p = static_cast<char *>(data);
    std::uint64_t left = n;
    while (left > 0) {
      const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(left, piece));
      in_.read(p, static_cast<std::streamsize>(k));
      if (!in_)
        throw invalid_input(source_ + " could not be read (" + what + ")");
      crc_ = crc32c_extend(crc_, p, k);
      p += k;
      left -= k;
    }
    remaining_ -= n;
  }
  template <class T> T pod(const char *what) {
    T value{};
    bytes(&value, sizeof(T), what);
    return value;
  }
  /// n values into v, after checking that the bytes are there.
  template <class T, class A> void vector(std::vector<T, A> &v, std::uint64_t n, const char *what) {
    if (n > remaining_ / sizeof(T))
      truncated(what, n * sizeof(T)); // n <= 2^32: no overflow
    v.resize(static_cast<std::size_t>(n));
    bytes(v.data(), n * sizeof(T), what);
  }
  std::string string(const char *what) {
    const auto len = pod<std::uint64_t>(what);
    if (len > remaining_)
      truncated(what, len);
    std::string s(static_cast<std::size_t>(len), '\0');
    bytes(s.data(), len, what);
    return s;
  }

private:
  static constexpr std::size_t piece = std::size_t{1} << 20;
  std::istream &in_;
  std::uint64_t remaining_;
  const std::string &source_;
  std::uint32_t crc_ = 0;
};

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
  /// Each event's time in reading order (times()[order()[i]]): a sequential
  /// read for the replay instead of a gather at random rows, which bounded a
  /// one-thread replay of a ledger in arrival order by memory latency. When
  /// the rows are grouped already this is times() itself; otherwise a copy
  /// cached with the order (8 bytes an event).
  [[nodiscard]] std::span<const double> ordered_times() const {
    ensure_order(1);
    if (cache_.grouped)
      return times();
    return {cache_.times.data(), cache_.times.size()};
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

  /// Write the ledger in goodwill's binary format (version 3) to a stream.
  /// Round-trips exactly, bit for bit, through load().
  ///
  /// Layout (little-endian): a 49-byte header — magic "GWLEDGER", u32
  /// version, u8 key kind, u64 customers c, u64 events n, u64 rep names r,
  /// u64 body bytes b, u32 CRC-32C of the 45 bytes before it — then the body
  /// of exactly b bytes: integer keys (c x i64) or string keys (c x {u64
  /// length, bytes}); the columns customer (n x u32), time (n x f64), kind
  /// (n x u8), amount (n x f64), detail (n x i32); the rep names (r x {u64
  /// length, bytes}); the rep column (n x u32). Last, a u32 CRC-32C of every
  /// byte before it (header and body): a file is exactly 53 + b bytes.
  /// Versions 1 (no reps) and 2 (rep names and column after the details, no
  /// body length, no checksums) still load.
  void save(std::ostream &out) const {
    write_to(out);
    if (!out)
      throw error("writing the ledger failed");
  }

  /// Write the ledger to a file, atomically: to a temporary file in the same
  /// directory, flushed to disk and renamed over `path`, so that `path` holds
  /// either the old content or the complete new ledger, never a part (see
  /// detail/atomic_file.hpp). Throws invalid_input naming the file.
  void save(const std::filesystem::path &path) const {
    detail::atomic_file_writer file(path, "ledger file");
    write_to(file.stream());
    file.commit();
  }

  /// Read a ledger written by save() (any format version) from a stream,
  /// which must hold the ledger and nothing after it. Throws invalid_input
  /// on data that is not a ledger, of an unknown version, truncated,
  /// followed by other bytes, corrupt (a checksum that does not match) or
  /// inconsistent (a customer beyond the header, a key or rep name twice, a
  /// row that append() would refuse). Every count in the header is checked
  /// against the bytes there before anything is allocated for it.
  [[nodiscard]] static ledger load(std::istream &in) {
    const std::string source = "ledger file";
    const auto here = in.tellg();
    if (here >= 0) {
      in.seekg(0, std::ios::end);
      const auto end = in.tellg();
      in.seekg(here);
      if (end >= here && in)
        return load_from(in, static_cast<std::uint64_t>(end - here), source);
      in.clear();
    }
    // not seekable: its size is known only once it is read
    std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::istringstream copy(std::move(all));
    const auto size = static_cast<std::uint64_t>(copy.str().size());
    return load_from(copy, size, source);
  }

  /// Read a ledger file written by save(); as load(std::istream&), with
  /// every message naming the file.
  [[nodiscard]] static ledger load(const std::filesystem::path &path) {
    detail::input_file file(path, "ledger file");
    return load_from(file.stream(), file.size(), detail::describe_file("ledger file", path));
  }

  /// The format version save() writes.
  static constexpr std::uint32_t file_version = 3;

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
  static constexpr std::uint64_t header_bytes_v3 = 49;

  /// Bytes of the string list in the format: a u64 length and the bytes each.
  static std::uint64_t string_bytes(const std::vector<std::string> &v) noexcept {
    std::uint64_t b = 0;
    for (const auto &s : v)
      b += 8 + s.size();
    return b;
  }

  void write_to(std::ostream &out) const {
    static_assert(std::endian::native == std::endian::little, "the ledger format is little-endian");
    const std::uint64_t n = size();
    const std::uint64_t key_bytes =
        key_kind_ == customer_key_kind::integer  ? 8 * static_cast<std::uint64_t>(int_keys_.size())
        : key_kind_ == customer_key_kind::string ? string_bytes(string_keys_)
                                                 : 0;
    const std::uint64_t body = key_bytes + 29 * n + string_bytes(rep_names_);
    detail::checksummed_writer w(out);
    w.bytes(file_magic, sizeof(file_magic));
    w.pod(file_version);
    w.pod(static_cast<std::uint8_t>(key_kind_));
    w.pod(static_cast<std::uint64_t>(customer_count_));
    w.pod(n);
    w.pod(static_cast<std::uint64_t>(rep_names_.size()));
    w.pod(body);
    w.pod(w.crc());
    if (key_kind_ == customer_key_kind::integer)
      w.vector(int_keys_);
    if (key_kind_ == customer_key_kind::string)
      for (const auto &s : string_keys_)
        w.string(s);
    w.vector(customer_.get());
    w.vector(time_.get());
    w.vector(kind_.get());
    w.vector(amount_.get());
    w.vector(detail_.get());
    for (const auto &s : rep_names_)
      w.string(s);
    w.vector(rep_.get());
    w.pod(w.crc());
  }

  static std::string hex32(std::uint32_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "0x00000000";
    for (int i = 0; i < 8; ++i)
      s[static_cast<std::size_t>(9 - i)] = digits[(v >> (4 * i)) & 0xFu];
    return s;
  }

  // Reads the format (any version) from `size` bytes of `in`: first every
  // byte, with only the checks that bound what is allocated (each count
  // against the bytes left); then, for version 3, the checksums; only then
  // the content (keys, names, rows), so that a corrupt file is reported as
  // corrupt rather than as whatever its flipped bytes happen to mean.
  static ledger load_from(std::istream &in, std::uint64_t size, const std::string &source) {
    detail::checksummed_reader r(in, size, source);
    char magic[sizeof(file_magic)] = {};
    if (size < sizeof(magic))
      throw invalid_input(source + " is not a goodwill ledger (" + std::to_string(size) +
                          " bytes, too short for the magic bytes)");
    r.bytes(magic, sizeof(magic), "the magic bytes");
    if (std::memcmp(magic, file_magic, sizeof(magic)) != 0)
      throw invalid_input(source + " is not a goodwill ledger (bad magic bytes)");
    const auto version = r.pod<std::uint32_t>("the version");
    if (version < 1 || version > file_version)
      throw invalid_input(source + " has unsupported format version " + std::to_string(version) +
                          " (this build reads 1 to " + std::to_string(file_version) + ")");
    const auto keys = r.pod<std::uint8_t>("the header");
    const auto customers = r.pod<std::uint64_t>("the header");
    const auto n = r.pod<std::uint64_t>("the header");
    std::uint64_t names = 0, body = 0;
    if (version >= 3) {
      names = r.pod<std::uint64_t>("the header");
      body = r.pod<std::uint64_t>("the header");
      const std::uint32_t computed = r.crc();
      const auto stored = r.pod<std::uint32_t>("the header");
      if (stored != computed)
        throw invalid_input(source + " is corrupt: the header checksum does not match (stored " +
                            hex32(stored) + ", computed " + hex32(computed) + ")");
    }
    if (keys > 2)
      throw invalid_input(source + " has an unknown customer key kind " + std::to_string(keys));
    if (n > max_size)
      throw invalid_input(source + "'s header announces " + std::to_string(n) +
                          " events (at most " + std::to_string(max_size) + ")");
    if (customers > 0xFFFFFFFFull)
      throw invalid_input(source + "'s header announces " + std::to_string(customers) +
                          " customers (at most 4294967295)");
    if (names >= no_rep)
      throw invalid_input(source + "'s header announces " + std::to_string(names) +
                          " rep names (at most " + std::to_string(no_rep - 1) + ")");
    const auto kind = static_cast<customer_key_kind>(keys);
    // the least the counts need (string lengths at 8 bytes each); all
    // counts are below 2^32, so no sum overflows
    const std::uint64_t row_bytes = version >= 2 ? 29 : 25;
    const std::uint64_t least = (kind == customer_key_kind::dense ? 0 : 8 * customers) +
                                row_bytes * n + (version == 2 ? 8 : 8 * names);
    if (version >= 3) {
      if (body > r.remaining() || r.remaining() - body != 4) {
        const bool cut = body > r.remaining() || r.remaining() - body < 4;
        throw invalid_input(
            source + " has " + std::to_string(size) + " bytes where its header " + "announces " +
            (body > size ? "more than that" : std::to_string(header_bytes_v3 + body + 4)) +
            (cut ? " (truncated)" : " (bytes after the end)"));
      }
      if (body < least)
        throw invalid_input(source + "'s header announces a body of " + std::to_string(body) +
                            " bytes, too few for " + std::to_string(customers) + " customers, " +
                            std::to_string(n) + " events and " + std::to_string(names) +
                            " rep names (at least " + std::to_string(least) + ")");
    } else if (r.remaining() < least) {
      r.truncated("its header's counts", least);
    }

    ledger result;
    result.key_kind_ = kind;
    if (kind == customer_key_kind::integer) {
      r.vector(result.int_keys_, customers, "integer keys");
    } else if (kind == customer_key_kind::string) {
      result.string_keys_.reserve(static_cast<std::size_t>(customers));
      for (std::uint64_t i = 0; i < customers; ++i)
        result.string_keys_.push_back(r.string("string keys"));
    }
    detail::column<customer_id> c;
    detail::column<double> t, a;
    detail::column<std::uint8_t> k;
    detail::column<std::int32_t> d;
    r.vector(c, n, "customers");
    r.vector(t, n, "times");
    r.vector(k, n, "kinds");
    r.vector(a, n, "amounts");
    r.vector(d, n, "details");
    detail::column<rep_id> reps;
    if (version >= 2) {
      if (version == 2) {
        names = r.pod<std::uint64_t>("the rep names");
        if (names >= no_rep || names > r.remaining() / 8)
          throw invalid_input(source + " announces " + std::to_string(names) +
                              " rep names, more than it can hold");
      }
      result.rep_names_.reserve(static_cast<std::size_t>(names));
      for (std::uint64_t i = 0; i < names; ++i)
        result.rep_names_.push_back(r.string("rep names"));
      r.vector(reps, n, "reps");
    } else {
      reps.assign(static_cast<std::size_t>(n), no_rep);
    }
    if (version >= 3) {
      const std::uint32_t computed = r.crc();
      if (r.remaining() != 4)
        throw invalid_input(source + " is corrupt: its body is not the " + std::to_string(body) +
                            " bytes its header announces");
      const auto stored = r.pod<std::uint32_t>("the checksum");
      if (stored != computed)
        throw invalid_input(source + " is corrupt: the checksum does not match (stored " +
                            hex32(stored) + ", computed " + hex32(computed) + ")");
    } else if (r.remaining() != 0) {
      throw invalid_input(source + " has " + std::to_string(r.remaining()) +
                          " bytes after the end of the ledger");
    }

    // the content
    if (kind == customer_key_kind::integer) {
      result.int_ids_.reserve(result.int_keys_.size());
      for (std::size_t i = 0; i < result.int_keys_.size(); ++i) {
        const auto [at, fresh] =
            result.int_ids_.emplace(result.int_keys_[i], static_cast<customer_id>(i));
        if (!fresh)
          throw invalid_input(source + " names customer key " +
                              std::to_string(result.int_keys_[i]) + " twice (dense ids " +
                              std::to_string(at->second) + " and " + std::to_string(i) + ")");
      }
    } else if (kind == customer_key_kind::string) {
      result.string_ids_.reserve(result.string_keys_.size());
      for (std::size_t i = 0; i < result.string_keys_.size(); ++i) {
        const auto [at, fresh] =
            result.string_ids_.emplace(result.string_keys_[i], static_cast<customer_id>(i));
        if (!fresh)
          throw invalid_input(source + " names customer key '" + result.string_keys_[i] +
                              "' twice (dense ids " + std::to_string(at->second) + " and " +
                              std::to_string(i) + ")");
      }
    }
    for (std::size_t i = 0; i < result.rep_names_.size(); ++i) {
      const std::string &s = result.rep_names_[i];
      if (s.empty() || !result.rep_ids_.emplace(s, static_cast<rep_id>(i)).second)
        throw invalid_input(source + " has an empty or repeated rep name ('" + s + "', rep " +
                            std::to_string(i) + ")");
    }
    for (std::size_t i = 0; i < c.size(); ++i) {
      const auto row = static_cast<std::int64_t>(i);
      if (c[i] >= customers)
        throw invalid_input("customer", row,
                            source + " names customer " + std::to_string(c[i]) + ", beyond the " +
                                std::to_string(customers) + " of its header");
      try {
        validate(c[i], t[i], k[i], a[i], row);
        result.check_rep(reps[i], row);
      } catch (const invalid_input &e) {
        // the same message, saying where
        const std::string prefix = "row " + std::to_string(row) + ", field '" + e.field() + "': ";
        std::string problem = e.what();
        if (problem.compare(0, prefix.size(), prefix) == 0)
          problem.erase(0, prefix.size());
        throw invalid_input(e.field(), row, problem + " (in " + source + ")");
      }
      result.events_with_rep_ += reps[i] != no_rep;
    }
    result.customer_.mutate() = std::move(c);
    result.time_.mutate() = std::move(t);
    result.kind_.mutate() = std::move(k);
    result.amount_.mutate() = std::move(a);
    result.detail_.mutate() = std::move(d);
    result.rep_.mutate() = std::move(reps);
    result.customer_count_ = static_cast<std::size_t>(customers);
    return result;
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
    // not interruptible while the lock is held: an interrupt poll takes
    // Python's GIL, which another caller may hold while it waits for this
    // lock (a deadlock); building the order takes a second or two at most
    const detail::interrupt_inherit uninterruptible(nullptr);
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
    // kinds in reading order, with the channel refinements (ordered_codes),
    // and the times in reading order unless the rows are (ordered_times)
    cache.codes.resize(n);
    if (grouped)
      cache.times = {};
    else
      cache.times.resize(n);
    {
      const auto &kind = kind_.get();
      const auto &amount = amount_.get();
      const auto &details = detail_.get();
      std::uint8_t *codes = cache.codes.data();
      double *ordered_time = grouped ? nullptr : cache.times.data();
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
          if (ordered_time != nullptr)
            ordered_time[i] = time[row];
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
    detail::uninitialized_column<double> times; // first touched by the threads that write it
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
        times = o.times;
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
      times = std::move(o.times);
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
