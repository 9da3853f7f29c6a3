#include <goodwill/ledger.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

BOOST_AUTO_TEST_SUITE(ledger)

using goodwill::event_kind;
using goodwill::ledger;

namespace {
std::uint8_t code(event_kind k) { return static_cast<std::uint8_t>(k); }
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
  BOOST_CHECK_EXCEPTION(l.append(c, good_t, won, neg), goodwill::invalid_input,
                        [](const goodwill::invalid_input &e) {
                          return e.field() == "amount" && *e.row() == 1;
                        });
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
  l.append(1, 5.0, event_kind::meeting);   // row 0
  l.append(0, 3.0, event_kind::meeting);   // row 1
  l.append(1, 2.0, event_kind::proposal);  // row 2
  l.append(1, 5.0, event_kind::deal_won);  // row 3: ties with row 0, comes after
  l.append(0, 1.0, event_kind::lead);      // row 4
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
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
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
    ledger one = base;
    one.prepare_order(1);
    BOOST_TEST(one.is_grouped() == grouped);
    // the reference: a stable sort by customer then time
    std::vector<std::uint32_t> expected(base.size());
    for (std::uint32_t i = 0; i < expected.size(); ++i) expected[i] = i;
    const auto cust = base.customers();
    const auto time = base.times();
    std::stable_sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
      return cust[a] != cust[b] ? cust[a] < cust[b] : time[a] < time[b];
    });
    BOOST_TEST_REQUIRE((one.order() == expected));
    std::vector<std::uint64_t> expected_offsets(base.customer_count() + 1, 0);
    for (const auto c : cust) ++expected_offsets[c + 1];
    for (std::size_t c = 0; c < base.customer_count(); ++c)
      expected_offsets[c + 1] += expected_offsets[c];
    BOOST_TEST_REQUIRE((one.customer_offsets() == expected_offsets));
    for (const unsigned threads : {2u, 3u, 4u, 7u}) {
      ledger l = base;
      l.prepare_order(threads);
      BOOST_TEST(l.is_grouped() == grouped);
      BOOST_TEST((l.order() == one.order()));
      BOOST_TEST((l.customer_offsets() == one.customer_offsets()));
    }
  }
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
        if (i % 2 == 0) l.prepare_order(2);
        seen[i] = l.order();
      });
  }
  for (const auto &s : seen) BOOST_TEST((s == reference.order()));
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

BOOST_AUTO_TEST_SUITE_END()
