#include <goodwill/ledger.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

BOOST_AUTO_TEST_SUITE(ledger)

using goodwill::event_kind;
using goodwill::ledger;

namespace {
std::uint8_t code(event_kind k) {
  return static_cast<std::uint8_t>(k);
}

std::string bytes_of(const ledger &l) {
  std::ostringstream out;
  l.save(out);
  return out.str();
}

ledger from_bytes(const std::string &bytes) {
  std::istringstream in(bytes);
  return ledger::load(in);
}

template <class T> void put(std::string &bytes, std::size_t at, T value) {
  std::memcpy(bytes.data() + at, &value, sizeof(T));
}

template <class T> T get(const std::string &bytes, std::size_t at) {
  T value{};
  std::memcpy(&value, bytes.data() + at, sizeof(T));
  return value;
}

// Recompute both checksums of a version 3 file after a deliberate change,
// so that a test reaches the check behind them.
void reseal(std::string &bytes) {
  put(bytes, 45, goodwill::detail::crc32c(bytes.data(), 45));
  put(bytes, bytes.size() - 4, goodwill::detail::crc32c(bytes.data(), bytes.size() - 4));
}

std::string message_of(const std::string &bytes) {
  try {
    (void)from_bytes(bytes);
  } catch (const goodwill::invalid_input &e) {
    return e.what();
  }
  return "(loaded)";
}

ledger small_keyed_ledger() {
  ledger l;
  const auto ann = l.intern_rep("Ann");
  const std::vector<std::string> keys{"acme", "globex", "initech"};
  const std::vector<std::int64_t> codes{0, 1, 2, 0};
  const std::vector<double> t{1.0, 2.0, 3.0, 4.5};
  const std::vector<std::uint8_t> k{code(event_kind::lead), code(event_kind::deal_won),
                                    code(event_kind::deal_lost), code(event_kind::purchase)};
  const std::vector<double> a{10.0, 200.0, 30.0, -4.0};
  const std::vector<std::int32_t> d{3, 2100, 1, goodwill::margin_unknown};
  const std::vector<goodwill::rep_id> r{ann, goodwill::no_rep, ann, goodwill::no_rep};
  l.append_keyed(std::span<const std::string>(keys), codes, t, k, a, d, r);
  return l;
}
} // namespace

BOOST_AUTO_TEST_CASE(bulk_append_and_columns) {
  ledger l;
  const std::vector<goodwill::customer_id> c{0, 1, 0};
  const std::vector<double> t{1.0, 2.0, 3.0};
  const std::vector<std::uint8_t> k{code(event_kind::meeting), code(event_kind::deal_won),
                                    code(event_kind::purchase)};
  const std::vector<double> a{1.5, 1200.0, -50.0};
  l.append(c, t, k, a);
  BOOST_TEST(l.size() == 3u);
  BOOST_TEST(l.customer_count() == 2u);
  BOOST_TEST(l[1].amount == 1200.0);
  BOOST_TEST(l[2].detail == 0);
  BOOST_TEST(static_cast<int>(l[2].kind) == static_cast<int>(event_kind::purchase));
}

BOOST_AUTO_TEST_CASE(bad_rows_name_row_and_field_and_append_nothing) {
  ledger l;
  const std::vector<goodwill::customer_id> c{0, 1, 2};
  const std::vector<double> t{1.0, std::nan(""), 3.0};
  const std::vector<std::uint8_t> k{0, 0, 0};
  try {
    l.append(c, t, k);
    BOOST_FAIL("a NaN time was accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "time");
    BOOST_TEST(*e.row() == 1);
    BOOST_TEST(std::string(e.what()) == "row 1, field 'time': is NaN");
  }
  BOOST_TEST(l.size() == 0u);

  const std::vector<double> good_t{1.0, 2.0, 3.0};
  const std::vector<std::uint8_t> bad_k{0, 0, 99};
  try {
    l.append(c, good_t, bad_k);
    BOOST_FAIL("an unknown kind was accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "kind");
    BOOST_TEST(*e.row() == 2);
  }
  const std::vector<double> neg{0.0, -5.0, 0.0};
  const std::vector<std::uint8_t> won(3, code(event_kind::deal_won));
  BOOST_CHECK_EXCEPTION(
      l.append(c, good_t, won, neg), goodwill::invalid_input,
      [](const goodwill::invalid_input &e) { return e.field() == "amount" && *e.row() == 1; });
  const std::vector<double> inf{0.0, 0.0, std::numeric_limits<double>::infinity()};
  BOOST_CHECK_EXCEPTION(l.append(c, good_t, k, inf), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) {
                          return std::string(e.what()) == "row 2, field 'amount': is +infinity";
                        });
  const std::vector<double> short_t{1.0};
  BOOST_CHECK_THROW(l.append(c, short_t, k), goodwill::invalid_input);
  BOOST_TEST(l.size() == 0u);
}

BOOST_AUTO_TEST_CASE(order_is_stable_by_customer_then_time) {
  ledger l;
  l.append(1, 5.0, event_kind::meeting);  // row 0
  l.append(0, 3.0, event_kind::meeting);  // row 1
  l.append(1, 2.0, event_kind::proposal); // row 2
  l.append(1, 5.0, event_kind::deal_won); // row 3: ties with row 0, comes after
  l.append(0, 1.0, event_kind::lead);     // row 4
  BOOST_TEST(!l.is_grouped());
  const std::vector<std::uint32_t> expected{4, 1, 2, 0, 3};
  BOOST_TEST(l.order() == expected, boost::test_tools::per_element());
  const std::vector<std::uint64_t> offsets{0, 2, 5};
  BOOST_TEST(l.customer_offsets() == offsets, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(grouped_ledger_has_identity_order) {
  ledger l;
  l.append(0, 1.0, event_kind::lead);
  l.append(0, 1.0, event_kind::meeting);
  l.append(2, 0.5, event_kind::lead);
  BOOST_TEST(l.is_grouped());
  BOOST_TEST(l.customer_offsets()[1] == 2u);
  BOOST_TEST(l.customer_offsets()[2] == 2u); // customer 1 has no events
}

namespace {
// n events of `customers` customers in random order, times with ties (and,
// with `grouped`, sorted by customer then time: the identity order)
ledger random_ledger(std::size_t n, std::uint32_t customers, bool grouped, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<goodwill::customer_id> c(n);
  std::vector<double> t(n);
  std::vector<std::uint8_t> k(n, code(event_kind::meeting));
  for (std::size_t i = 0; i < n; ++i) {
    c[i] = static_cast<goodwill::customer_id>(rng() % customers);
    t[i] = static_cast<double>(rng() % 50);
  }
  if (grouped) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i)
      idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      return c[a] != c[b] ? c[a] < c[b] : t[a] < t[b];
    });
    std::vector<goodwill::customer_id> c2(n);
    std::vector<double> t2(n);
    for (std::size_t i = 0; i < n; ++i) {
      c2[i] = c[idx[i]];
      t2[i] = t[idx[i]];
    }
    c.swap(c2);
    t.swap(t2);
  }
  ledger l;
  l.append(c, t, k);
  return l;
}
} // namespace

BOOST_AUTO_TEST_CASE(order_is_the_same_for_any_thread_count) {
  for (const bool grouped : {false, true}) {
    // 300 k rows: up to 4 threads (64 Ki rows a thread at least); 1.5
    // events a customer, so about a fifth of the customers have none
    const ledger base = random_ledger(300000, 200000, grouped, 7);
    // Each thread count orders a copy of its own: prepare_order() is const
    // but caches, and base's cached order would leave nothing to build.
    // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
    ledger one = base;
    one.prepare_order(1);
    BOOST_TEST(one.is_grouped() == grouped);
    // the reference: a stable sort by customer then time
    std::vector<std::uint32_t> expected(base.size());
    for (std::uint32_t i = 0; i < expected.size(); ++i)
      expected[i] = i;
    const auto cust = base.customers();
    const auto time = base.times();
    std::stable_sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
      return cust[a] != cust[b] ? cust[a] < cust[b] : time[a] < time[b];
    });
    BOOST_TEST_REQUIRE((one.order() == expected));
    std::vector<std::uint64_t> expected_offsets(base.customer_count() + 1, 0);
    for (const auto c : cust)
      ++expected_offsets[c + 1];
    for (std::size_t c = 0; c < base.customer_count(); ++c)
      expected_offsets[c + 1] += expected_offsets[c];
    BOOST_TEST_REQUIRE((one.customer_offsets() == expected_offsets));
    for (const unsigned threads : {2u, 3u, 4u, 7u}) {
      ledger l = base; // NOLINT(performance-unnecessary-copy-initialization): as `one`
      l.prepare_order(threads);
      BOOST_TEST(l.is_grouped() == grouped);
      BOOST_TEST((l.order() == one.order()));
      BOOST_TEST((l.customer_offsets() == one.customer_offsets()));
      BOOST_TEST(l.latest_time() == one.latest_time());
      // times in reading order: each thread wrote its part of the copy
      const auto ordered = l.ordered_times();
      BOOST_TEST_REQUIRE(ordered.size() == base.size());
      bool same = true;
      for (std::size_t i = 0; i < ordered.size(); ++i)
        same = same && ordered[i] == time[expected[i]];
      BOOST_TEST(same);
    }
    // grouped rows need no copy: ordered_times() is times() itself
    BOOST_TEST((one.ordered_times().data() == one.times().data()) == grouped);
    // the latest time, cached with the order
    BOOST_TEST(one.latest_time() == *std::max_element(time.begin(), time.end()));
  }
}

BOOST_AUTO_TEST_CASE(latest_time_follows_appends) {
  ledger l;
  BOOST_TEST(std::isnan(l.latest_time()));
  l.append(0, 5.0, event_kind::purchase);
  l.append(1, 2.0, event_kind::purchase);
  BOOST_TEST(l.latest_time() == 5.0);
  l.append(1, 7.5, event_kind::purchase); // invalidates the cache
  BOOST_TEST(l.latest_time() == 7.5);
  const ledger copy = l; // copies take the cached value
  BOOST_TEST(copy.latest_time() == 7.5);
}

BOOST_AUTO_TEST_CASE(order_built_by_concurrent_readers_once) {
  // readers of one ledger (no appends) may ask for its order at once
  const ledger l = random_ledger(300000, 5000, false, 11);
  ledger reference = l;
  reference.prepare_order(1);
  std::vector<std::vector<std::uint32_t>> seen(4);
  {
    std::vector<std::jthread> readers;
    for (unsigned i = 0; i < seen.size(); ++i)
      readers.emplace_back([&, i] {
        if (i % 2 == 0)
          l.prepare_order(2);
        seen[i] = l.order();
      });
  }
  for (const auto &s : seen)
    BOOST_TEST((s == reference.order()));
  // an append invalidates the cached order; the rebuilt one has the new row
  ledger grown = l;
  grown.append(0, -1.0, event_kind::lead);
  BOOST_TEST(grown.order()[0] == l.size());
  BOOST_TEST(grown.customer_offsets()[1] == l.customer_offsets()[1] + 1);
}

BOOST_AUTO_TEST_CASE(shared_snapshot_survives_growth) {
  ledger l;
  l.append(0, 1.0, event_kind::lead, 10.0);
  auto snapshot = l.share_amounts();
  for (int i = 0; i < 1000; ++i)
    l.append(0, 2.0 + i, event_kind::meeting, 1.0);
  BOOST_TEST(snapshot->size() == 1u);
  BOOST_TEST((*snapshot)[0] == 10.0);
  BOOST_TEST(l.size() == 1001u);
}

BOOST_AUTO_TEST_CASE(keys_map_to_dense_ids) {
  ledger l;
  BOOST_TEST(l.intern(std::string_view("acme")) == 0u);
  BOOST_TEST(l.intern(std::string_view("globex")) == 1u);
  BOOST_TEST(l.intern(std::string_view("acme")) == 0u);
  BOOST_TEST(l.customer_count() == 2u);
  BOOST_CHECK_THROW(l.intern(std::int64_t{7}), goodwill::invalid_input);
  BOOST_CHECK_EXCEPTION(l.append(5, 1.0, event_kind::lead), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) { return e.field() == "customer"; });
}

BOOST_AUTO_TEST_CASE(integer_keys_per_row) {
  for (const std::int64_t base : {std::int64_t{0}, std::int64_t{1} << 40}) { // table / hash paths
    ledger l;
    const std::vector<std::int64_t> keys{base + 7, base + 3, base + 7, base + 9};
    const std::vector<double> t{1, 2, 3, 4};
    const std::vector<std::uint8_t> k(4, code(event_kind::meeting));
    l.append_integer_keys(keys, t, k);
    const std::vector<std::int64_t> expected_keys{base + 7, base + 3, base + 9};
    BOOST_TEST(l.integer_keys() == expected_keys, boost::test_tools::per_element());
    const std::vector<goodwill::customer_id> expected_ids{0, 1, 0, 2};
    BOOST_TEST(std::vector<goodwill::customer_id>(l.customers().begin(), l.customers().end()) ==
                   expected_ids,
               boost::test_tools::per_element());
    // a second batch reuses known keys and adds new ones after them
    const std::vector<std::int64_t> more{base + 9, base + 1};
    l.append_integer_keys(more, std::vector<double>{5, 6}, std::vector<std::uint8_t>(2, 0));
    BOOST_TEST(l[4].customer == 2u);
    BOOST_TEST(l[5].customer == 3u);
    BOOST_TEST(*l.find(base + 1) == 3u);
    // a bad row appends nothing and maps no new key
    const std::vector<double> bad_t{1, std::nan("")};
    BOOST_CHECK_THROW(l.append_integer_keys(std::vector<std::int64_t>{base + 100, base + 101},
                                            bad_t, std::vector<std::uint8_t>(2, 0)),
                      goodwill::invalid_input);
    BOOST_TEST(l.size() == 6u);
    BOOST_TEST(l.customer_count() == 4u);
  }
}

BOOST_AUTO_TEST_CASE(save_load_round_trips_exactly) {
  ledger l;
  const auto a = l.intern(std::string_view("Acme Corporation"));
  const auto b = l.intern(std::string_view("Zoom\xC3\xA9 Ltd"));
  l.append(b, 0.1 + 0.2, event_kind::deal_won, 1234.5678, 2150);
  l.append(a, -3.25, event_kind::scope_change, -100.0);
  l.append(a, 1e-300, event_kind::purchase, 5e-324, goodwill::margin_unknown);
  std::stringstream buffer;
  l.save(buffer);
  const ledger back = ledger::load(buffer);
  BOOST_TEST(back.size() == l.size());
  BOOST_TEST(back.string_keys() == l.string_keys(), boost::test_tools::per_element());
  for (std::size_t i = 0; i < l.size(); ++i)
    BOOST_TEST((back[i] == l[i]));
  BOOST_TEST(back.find(std::string_view("Acme Corporation")).value() == a);
  BOOST_TEST(!back.find(std::string_view("Initech")).has_value());
}

BOOST_AUTO_TEST_CASE(load_rejects_garbage_and_truncation) {
  std::stringstream garbage("not a ledger at all");
  BOOST_CHECK_THROW((void)ledger::load(garbage), goodwill::invalid_input);
  ledger l;
  l.append(0, 1.0, event_kind::lead);
  std::stringstream buffer;
  l.save(buffer);
  const std::string bytes = buffer.str();
  std::stringstream cut(bytes.substr(0, bytes.size() - 3));
  BOOST_CHECK_THROW((void)ledger::load(cut), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(reps_are_interned_and_stored_per_event) {
  ledger l;
  BOOST_TEST(!l.has_reps());
  BOOST_TEST(l.rep_count() == 0u);
  const auto ann = l.intern_rep("Ann");
  const auto bob = l.intern_rep("Bob");
  BOOST_TEST(ann == 0u);
  BOOST_TEST(bob == 1u);
  BOOST_TEST(l.intern_rep("Ann") == ann);
  BOOST_TEST(l.find_rep("Bob").value() == bob);
  BOOST_TEST(!l.find_rep("Cy").has_value());
  BOOST_TEST(!l.has_reps()); // interned, but no event names them yet
  l.append(0, 1.0, event_kind::lead);
  BOOST_TEST(l.reps().size() == 1u);
  BOOST_TEST(l.reps()[0] == goodwill::no_rep);
  BOOST_TEST(!l.has_reps());
  l.append(goodwill::event{1, 2.0, event_kind::deal_won, 100.0, 2000, bob});
  BOOST_TEST(l.has_reps());
  BOOST_TEST(l[1].rep == bob);
  BOOST_TEST(l[0].rep == goodwill::no_rep);

  const std::vector<goodwill::customer_id> c{0, 1, 2};
  const std::vector<double> t{3.0, 4.0, 5.0};
  const std::vector<std::uint8_t> k(3, code(event_kind::deal_lost));
  const std::vector<goodwill::rep_id> r{ann, goodwill::no_rep, bob};
  l.append(c, t, k, {}, {}, r);
  // without a rep column, the rows get no_rep
  l.append(c, t, k);
  const std::vector<goodwill::rep_id> want{
      goodwill::no_rep, bob, ann, goodwill::no_rep, bob, goodwill::no_rep, goodwill::no_rep,
      goodwill::no_rep};
  BOOST_TEST(std::vector<goodwill::rep_id>(l.reps().begin(), l.reps().end()) == want,
             boost::test_tools::per_element());
  BOOST_TEST(l.events_with_rep() == 3u);
  BOOST_TEST(l.rep_names() == (std::vector<std::string>{"Ann", "Bob"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bad_reps_name_field_and_row_and_append_nothing) {
  ledger l;
  (void)l.intern_rep("Ann");
  const std::vector<goodwill::customer_id> c{0, 1, 2};
  const std::vector<double> t{1.0, 2.0, 3.0};
  const std::vector<std::uint8_t> k(3, 0);
  const std::vector<goodwill::rep_id> r{0, 0, 7};
  try {
    l.append(c, t, k, {}, {}, r);
    BOOST_FAIL("an unknown rep id was accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(e.field() == "rep");
    BOOST_TEST(*e.row() == 2);
  }
  BOOST_TEST(l.size() == 0u);
  const std::vector<goodwill::rep_id> short_r{0};
  BOOST_CHECK_THROW(l.append(c, t, k, {}, {}, short_r), goodwill::invalid_input);
  BOOST_CHECK_THROW(l.append(goodwill::event{0, 1.0, event_kind::lead, 0.0, 0, 1}),
                    goodwill::invalid_input);
  BOOST_CHECK_THROW((void)l.intern_rep(""), goodwill::invalid_input);
  // keyed appends check reps before interning any customer key
  const std::vector<std::string> keys{"a", "b"};
  const std::vector<std::int64_t> codes{0, 1, 0};
  BOOST_CHECK_THROW(l.append_keyed(std::span<const std::string>(keys), codes, t, k, {}, {}, r),
                    goodwill::invalid_input);
  BOOST_TEST(l.customer_count() == 0u);
  BOOST_CHECK_THROW(l.append_integer_keys(codes, t, k, {}, {}, r), goodwill::invalid_input);
  BOOST_TEST(l.size() == 0u);
  // discarding names no event uses
  (void)l.intern_rep("Bob");
  l.discard_reps_from(1);
  BOOST_TEST(l.rep_count() == 1u);
  BOOST_TEST(!l.find_rep("Bob").has_value());
  l.append(0, 1.0, event_kind::lead, 0.0, 0, 0);
  BOOST_CHECK_THROW(l.discard_reps_from(0), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(keyed_appends_carry_reps) {
  ledger l;
  const auto ann = l.intern_rep("Ann");
  const std::vector<std::string> keys{"x", "y"};
  const std::vector<std::int64_t> codes{1, 0};
  const std::vector<double> t{1.0, 2.0};
  const std::vector<std::uint8_t> k(2, code(event_kind::deal_won));
  const std::vector<goodwill::rep_id> r{goodwill::no_rep, ann};
  l.append_keyed(std::span<const std::string>(keys), codes, t, k, {}, {}, r);
  BOOST_TEST(l[1].rep == ann);
  BOOST_TEST(l[0].rep == goodwill::no_rep);
  ledger m;
  const auto bob = m.intern_rep("Bob");
  const std::vector<std::int64_t> ikeys{10, 20};
  const std::vector<goodwill::rep_id> r2{bob, bob};
  m.append_integer_keys(ikeys, t, k, {}, {}, r2);
  BOOST_TEST(m.events_with_rep() == 2u);
  BOOST_TEST(m[0].rep == bob);
}

BOOST_AUTO_TEST_CASE(save_load_round_trips_reps) {
  ledger l;
  const auto a = l.intern(std::string_view("Acme"));
  const auto ann = l.intern_rep("Ann \xC3\x85se");
  (void)l.intern_rep("Unused");
  const auto bob = l.intern_rep("Bob");
  l.append(goodwill::event{a, 1.0, event_kind::deal_won, 10.0, goodwill::margin_unknown, bob});
  l.append(a, 2.0, event_kind::deal_lost, 5.0, 1);
  l.append(goodwill::event{a, 3.0, event_kind::opportunity, 7.0, 0, ann});
  std::stringstream buffer;
  l.save(buffer);
  const std::string bytes = buffer.str();
  const ledger back = ledger::load(buffer);
  BOOST_TEST(back.rep_names() == l.rep_names(), boost::test_tools::per_element());
  BOOST_TEST(back.has_reps());
  BOOST_TEST(back.events_with_rep() == 2u);
  for (std::size_t i = 0; i < l.size(); ++i)
    BOOST_TEST((back[i] == l[i]));
  BOOST_TEST(back.find_rep("Bob").value() == bob);
  std::stringstream again;
  back.save(again);
  BOOST_TEST((again.str() == bytes)); // bit for bit
  // a truncated rep column is an error, not a short ledger
  std::stringstream cut(bytes.substr(0, bytes.size() - 2));
  BOOST_CHECK_THROW((void)ledger::load(cut), goodwill::invalid_input);
  // an event naming a rep beyond the names is an error (the last rep id
  // sits before the 4-byte checksum)
  std::string bad = bytes;
  put<goodwill::rep_id>(bad, bad.size() - 8, 9);
  reseal(bad);
  BOOST_TEST(message_of(bad).find("row 2, field 'rep'") != std::string::npos);
  bad[bad.size() - 1] ^= 1; // and without the reseal, a checksum error
  BOOST_TEST(message_of(bad).find("checksum does not match") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(version_1_file_still_loads) {
  // tests/data/ledger_v1.gwl was written by main @370c903, before reps
  // (see tests/data/README.md).
  const auto path = std::filesystem::path(GOODWILL_TEST_DATA) / "ledger_v1.gwl";
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in.good(), "fixture missing: " << path);
  const ledger l = ledger::load(in);
  BOOST_TEST(l.size() == 5u);
  BOOST_TEST(l.string_keys() == (std::vector<std::string>{"acme", "globex", "initech"}),
             boost::test_tools::per_element());
  BOOST_TEST(!l.has_reps());
  BOOST_TEST(l.rep_count() == 0u);
  BOOST_TEST(l.reps().size() == 5u);
  for (const auto r : l.reps())
    BOOST_TEST(r == goodwill::no_rep);
  BOOST_TEST(
      (l[2] == goodwill::event{0, 3.0, event_kind::deal_won, 4200.0, goodwill::margin_unknown}));
  BOOST_TEST((l[3] == goodwill::event{2, 4.0, event_kind::deal_lost, 900.0, 1}));
  BOOST_TEST(l[4].detail == 2500);
  BOOST_TEST(l[4].amount == -50.0);
  // and it is written back as version 3
  std::stringstream out;
  l.save(out);
  const std::string bytes = out.str();
  BOOST_TEST(bytes[8] == '\x03');
  std::stringstream again(bytes);
  const ledger back = ledger::load(again);
  for (std::size_t i = 0; i < l.size(); ++i)
    BOOST_TEST((back[i] == l[i]));
}

BOOST_AUTO_TEST_CASE(load_rejects_unknown_versions) {
  ledger l;
  l.append(0, 1.0, event_kind::lead);
  std::stringstream buffer;
  l.save(buffer);
  for (const char v : {'\x00', '\x04'}) {
    std::string bytes = buffer.str();
    bytes[8] = v;
    std::stringstream in(bytes);
    BOOST_CHECK_THROW((void)ledger::load(in), goodwill::invalid_input);
  }
}

BOOST_AUTO_TEST_CASE(version_2_file_still_loads) {
  // tests/data/ledger_v2.gwl was written by main @da48227, the last save of
  // format version 2 (see tests/data/README.md)
  const auto path = std::filesystem::path(GOODWILL_TEST_DATA) / "ledger_v2.gwl";
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(path), "fixture missing: " << path);
  const ledger l = ledger::load(path);
  BOOST_TEST(l.size() == 6u);
  BOOST_TEST(l.integer_keys() == (std::vector<std::int64_t>{-7, 42, 9000000000}),
             boost::test_tools::per_element());
  BOOST_TEST(l.rep_names() == (std::vector<std::string>{"Ann", "Unused", "Bob \xC3\x85se"}),
             boost::test_tools::per_element());
  BOOST_TEST(l.events_with_rep() == 4u);
  BOOST_TEST((l[0] == goodwill::event{0, 0.5, event_kind::proposal, 8000.0, 0, 0}));
  BOOST_TEST((l[2] == goodwill::event{0, 2.0, event_kind::price_match, 7100.0, 1, 2}));
  BOOST_TEST((l[3] ==
              goodwill::event{2, 3.25, event_kind::deal_won, 7000.0, goodwill::margin_unknown, 2}));
  BOOST_TEST(
      (l[4] == goodwill::event{1, 4.0, event_kind::purchase, -120.5, 1800, goodwill::no_rep}));
  BOOST_TEST((l[5] == goodwill::event{0, 400.0, event_kind::churn, 0.0, 0, 0}));
  // written back as version 3, it reads back the same
  const std::string bytes = bytes_of(l);
  BOOST_TEST(get<std::uint32_t>(bytes, 8) == 3u);
  BOOST_TEST((bytes == bytes_of(from_bytes(bytes))));
  // a version 2 file with a byte after its end is refused, naming the file
  std::ifstream in(path, std::ios::binary);
  std::string v2{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  BOOST_TEST(message_of(v2 + "x").find("1 bytes after the end") != std::string::npos);
  BOOST_TEST(message_of(v2.substr(0, v2.size() - 1)).find("truncated") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(version_3_layout_and_exact_length) {
  const ledger l = small_keyed_ledger();
  const std::string bytes = bytes_of(l);
  BOOST_TEST(get<std::uint32_t>(bytes, 8) == 3u);
  BOOST_TEST(get<std::uint64_t>(bytes, 13) == 3u); // customers
  BOOST_TEST(get<std::uint64_t>(bytes, 21) == 4u); // events
  BOOST_TEST(get<std::uint64_t>(bytes, 29) == 1u); // rep names
  const auto body = get<std::uint64_t>(bytes, 37);
  // keys (8 + 4) + (8 + 6) + (8 + 7), 29 bytes an event, rep name 8 + 3
  BOOST_TEST(body == 12u + 14u + 15u + 4u * 29u + 11u);
  BOOST_TEST(bytes.size() == 49u + body + 4u);
  BOOST_TEST(get<std::uint32_t>(bytes, 45) == goodwill::detail::crc32c(bytes.data(), 45));
  BOOST_TEST(get<std::uint32_t>(bytes, bytes.size() - 4) ==
             goodwill::detail::crc32c(bytes.data(), bytes.size() - 4));
  // one byte more, or any number fewer, is refused
  BOOST_TEST(message_of(bytes + '\0').find("bytes after the end") != std::string::npos);
  std::size_t loaded = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    try {
      (void)from_bytes(bytes.substr(0, n));
      ++loaded;
    } catch (const goodwill::invalid_input &) {
    }
  }
  BOOST_TEST(loaded == 0u);
}

BOOST_AUTO_TEST_CASE(every_single_byte_change_is_refused) {
  const std::string bytes = bytes_of(small_keyed_ledger());
  std::size_t loaded = 0, other_errors = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    for (const unsigned flip : {0x01u, 0x80u, 0xFFu}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ flip);
      try {
        (void)from_bytes(bad);
        ++loaded;
      } catch (const goodwill::invalid_input &) {
      } catch (...) {
        ++other_errors;
      }
    }
  BOOST_TEST(loaded == 0u);
  BOOST_TEST(other_errors == 0u);
}

BOOST_AUTO_TEST_CASE(header_counts_are_checked_before_allocating) {
  // a version 2 header claiming 2^32 - 2 events with nothing after it (the
  // 29-byte file of the issue): "truncated", without allocating 120 GB
  std::string v2 = "GWLEDGER";
  v2.resize(29, '\0');
  put<std::uint32_t>(v2, 8, 2);
  put<std::uint8_t>(v2, 12, 0);
  put<std::uint64_t>(v2, 13, 1);
  put<std::uint64_t>(v2, 21, 0xFFFFFFFEull);
  BOOST_TEST(message_of(v2).find("truncated") != std::string::npos);
  // a string key claiming 2^32 bytes
  ledger one;
  (void)one.intern(std::string_view("k"));
  one.append(0, 1.0, event_kind::lead);
  std::string bytes = bytes_of(one);
  put<std::uint64_t>(bytes, 49, std::uint64_t{1} << 32);
  reseal(bytes);
  BOOST_TEST(message_of(bytes).find("truncated") != std::string::npos);
  // version 3 headers with big counts and a sealed header checksum
  const std::string good = bytes_of(small_keyed_ledger());
  for (const std::size_t at : {13u, 21u, 29u, 37u})
    for (const std::uint64_t v : {std::uint64_t{0xFFFFFFFEu}, std::uint64_t{1} << 40,
                                  ~std::uint64_t{0}, std::uint64_t{0}}) {
      std::string bad = good;
      put<std::uint64_t>(bad, at, v);
      put(bad, 45, goodwill::detail::crc32c(bad.data(), 45));
      BOOST_CHECK_THROW((void)from_bytes(bad), goodwill::invalid_input);
    }
  // and an unsealed one is reported as a corrupt header
  std::string bad = good;
  put<std::uint64_t>(bad, 21, 0xFFFFFFFEull);
  BOOST_TEST(message_of(bad).find("header checksum") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_and_rep_names_are_refused) {
  ledger ints;
  const std::vector<std::int64_t> keys{7, 8};
  const std::vector<double> t{1.0, 2.0};
  const std::vector<std::uint8_t> k(2, code(event_kind::lead));
  ints.append_integer_keys(keys, t, k);
  std::string bytes = bytes_of(ints);
  put<std::int64_t>(bytes, 49 + 8, 7); // the second customer is also 7
  reseal(bytes);
  BOOST_TEST(message_of(bytes).find("names customer key 7 twice") != std::string::npos);

  // string keys sit at 49: {u64 2, "ab"}, {u64 2, "cd"}
  const std::string twice = [&] {
    ledger l;
    (void)l.intern(std::string_view("ab"));
    (void)l.intern(std::string_view("cd"));
    l.append(0, 1.0, event_kind::lead);
    std::string b = bytes_of(l);
    b.replace(49 + 8 + 2 + 8, 2, "ab");
    reseal(b);
    return b;
  }();
  BOOST_TEST(message_of(twice).find("names customer key 'ab' twice") != std::string::npos);
  ledger reps;
  (void)reps.intern_rep("Al");
  (void)reps.intern_rep("Bo");
  reps.append(0, 1.0, event_kind::lead);
  std::string r = bytes_of(reps);
  const auto at = r.find("Bo");
  BOOST_REQUIRE(at != std::string::npos);
  r.replace(at, 2, "Al");
  reseal(r);
  BOOST_TEST(message_of(r).find("repeated rep name") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(file_save_is_atomic_and_errors_name_the_file) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("goodwill-ledger-test-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "events.gwl";
  const ledger l = small_keyed_ledger();
  l.save(path);
  BOOST_TEST((bytes_of(ledger::load(path)) == bytes_of(l)));
  // saving over an existing file replaces it whole and keeps its permissions
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
  ledger bigger = l;
  bigger.append(1, 9.0, event_kind::meeting, 2.0);
  bigger.save(path);
  BOOST_TEST(ledger::load(path).size() == 5u);
  BOOST_TEST((std::filesystem::status(path).permissions() ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto &e : std::filesystem::directory_iterator(dir))
    ++files;
  BOOST_TEST(files == 1u); // no temporary file left
  // errors name the file
  const auto missing = dir / "missing.gwl";
  try {
    (void)ledger::load(missing);
    BOOST_FAIL("a missing file loaded");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(std::string(e.what()).find(missing.string()) != std::string::npos);
  }
  {
    std::string bytes = bytes_of(l);
    bytes[60] ^= 4;
    std::ofstream(dir / "bad.gwl", std::ios::binary) << bytes;
  }
  try {
    (void)ledger::load(dir / "bad.gwl");
    BOOST_FAIL("a corrupt file loaded");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(std::string(e.what()).find((dir / "bad.gwl").string()) != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("checksum") != std::string::npos);
  }
  BOOST_CHECK_THROW(l.save(dir / "no-such-dir" / "x.gwl"), goodwill::invalid_input);
  BOOST_CHECK_THROW(l.save(dir), goodwill::invalid_input);
  BOOST_CHECK_THROW((void)ledger::load(dir), goodwill::invalid_input);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
