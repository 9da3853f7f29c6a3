#include <goodwill/negotiation/outcome_space.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <set>

BOOST_AUTO_TEST_SUITE(outcome_space)

using goodwill::issue;
namespace tt = boost::test_tools;

namespace {
goodwill::outcome_space mixed() {
  return goodwill::outcome_space(
      {issue::categorical("colour", {"red", "green", "blue"}),
       issue::ordinal("service", {"bronze", "silver", "gold", "platinum"}),
       issue::integer("seats", -2, 2)});
}
} // namespace

BOOST_AUTO_TEST_CASE(cardinality_without_enumerating) {
  const auto s = mixed();
  BOOST_TEST(s.cardinality() == 60.0);
  BOOST_TEST(s.size() == 60u);
  BOOST_TEST(s.discrete());
  // 40 issues of 10 values: 1e40 outcomes, counted not enumerated.
  std::vector<issue> big;
  big.reserve(40);
  for (int i = 0; i < 40; ++i)
    big.push_back(issue::integer("i" + std::to_string(i), 0, 9));
  const goodwill::outcome_space b(big);
  BOOST_TEST(b.cardinality() == 1e40, tt::tolerance(1e-12));
  BOOST_TEST(b.size() == 0u); // does not fit 64 bits
  BOOST_CHECK_THROW(b.require_enumerable(), goodwill::invalid_input);
  const goodwill::outcome_space c(
      {issue::integer("n", 0, 3), issue::continuous("price", 1.0, 2.0)});
  BOOST_TEST(std::isinf(c.cardinality()));
  BOOST_TEST(!c.discrete());
  BOOST_CHECK_THROW((void)c.enumerate(), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(enumeration_order_and_round_trip) {
  const auto s = mixed();
  const auto all = s.enumerate();
  BOOST_REQUIRE_EQUAL(all.size(), 60u * 3u);
  // Last issue fastest: outcome 1 is (red, bronze, -1); outcome 5 is (red, silver, -2).
  BOOST_TEST(all[3 * 1 + 2] == -1.0);
  BOOST_TEST(all[3 * 5 + 1] == 1.0);
  BOOST_TEST(all[3 * 5 + 2] == -2.0);
  BOOST_TEST(all[3 * 59 + 0] == 2.0);
  std::set<std::vector<double>> distinct;
  for (goodwill::outcome_id id = 0; id < s.size(); ++id) {
    const auto v = s.decode(id);
    BOOST_TEST(s.encode(v) == id);
    distinct.insert(v);
  }
  BOOST_TEST(distinct.size() == 60u);
  BOOST_TEST(s.issues()[1].format(2.0) == "gold");
  BOOST_CHECK_THROW((void)s.decode(60), goodwill::invalid_input);
  const std::vector<double> bad{0.0, 0.0, 3.0};
  BOOST_CHECK_THROW((void)s.encode(bad), goodwill::invalid_input);
}

BOOST_AUTO_TEST_CASE(value_indices_of_small_and_large_spaces) {
  // Small spaces answer value_index from a table, large ones by division:
  // both must agree with decode.
  const auto s = mixed();
  for (goodwill::outcome_id id = 0; id < s.size(); ++id) {
    const auto v = s.decode(id);
    for (std::size_t i = 0; i < s.issue_count(); ++i)
      BOOST_TEST(s.issues()[i].value_at(s.value_index(id, i)) == v[i]);
  }
  const goodwill::outcome_space big({issue::integer("a", 0, 99), issue::integer("b", 0, 99),
                                     issue::integer("c", 0, 99)}); // 1e6 outcomes: no table
  for (goodwill::outcome_id id :
       {goodwill::outcome_id{0}, goodwill::outcome_id{123456}, goodwill::outcome_id{999999}}) {
    BOOST_TEST(big.value_index(id, 0) == id / 10000);
    BOOST_TEST(big.value_index(id, 1) == (id / 100) % 100);
    BOOST_TEST(big.value_index(id, 2) == id % 100);
  }
}

BOOST_AUTO_TEST_CASE(seeded_sampling) {
  const goodwill::outcome_space s(
      {issue::integer("n", 0, 9), issue::continuous("price", 1.0, 2.0)});
  const auto a = s.sample(2000, 7);
  const auto b = s.sample(2000, 7);
  const auto c = s.sample(2000, 8);
  BOOST_TEST(a == b);
  BOOST_TEST(a != c);
  // Rows do not depend on how many are drawn.
  const auto head = s.sample(10, 7);
  BOOST_TEST(std::equal(head.begin(), head.end(), a.begin()));
  double mean_n = 0, mean_p = 0;
  for (std::size_t r = 0; r < 2000; ++r) {
    BOOST_TEST((a[2 * r] >= 0 && a[2 * r] <= 9 && a[2 * r] == std::floor(a[2 * r])));
    BOOST_TEST((a[2 * r + 1] >= 1.0 && a[2 * r + 1] < 2.0));
    mean_n += a[2 * r] / 2000;
    mean_p += a[2 * r + 1] / 2000;
  }
  // Uniform means 4.5 (sd 2.87/sqrt(2000)=0.064) and 1.5 (sd 0.0065): 5 sd bands.
  BOOST_TEST(std::abs(mean_n - 4.5) < 0.33);
  BOOST_TEST(std::abs(mean_p - 1.5) < 0.033);
  const auto ids = mixed().sample_ids(500, 3);
  for (auto id : ids)
    BOOST_TEST(id < 60u);
}

BOOST_AUTO_TEST_CASE(validation) {
  BOOST_CHECK_THROW(issue::integer("x", 3, 2), goodwill::invalid_input);
  BOOST_CHECK_THROW(issue::categorical("x", {}), goodwill::invalid_input);
  BOOST_CHECK_THROW(issue::continuous("x", 0.0, NAN), goodwill::invalid_input);
  BOOST_CHECK_THROW(goodwill::outcome_space(std::vector<issue>{}), goodwill::invalid_input);
  const auto d = goodwill::outcome_space({issue::continuous("p", 0.0, 1.0)}).discretized(11);
  BOOST_TEST(d.size() == 11u);
}

BOOST_AUTO_TEST_CASE(samples_are_bounded_up_front) {
  const auto s = mixed();
  const std::size_t limit = goodwill::outcome_space::max_sample_values / 3;
  for (const std::size_t n : {limit + 1, std::size_t{10'000'000'000}}) {
    try {
      (void)s.sample(n, 1);
      BOOST_FAIL("sampled " << n);
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST(e.field() == "n");
      BOOST_TEST(std::string(e.what()).find(std::to_string(n)) != std::string::npos);
    }
    BOOST_CHECK_THROW((void)s.sample_ids(n, 1), goodwill::invalid_input);
  }
  BOOST_TEST(s.sample(10, 1).size() == 30u);
}

BOOST_AUTO_TEST_SUITE_END()
