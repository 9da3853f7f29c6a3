#include <goodwill/detail/random.hpp>
#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/genius.hpp>

#include "shared_data.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>
#include <utility>

BOOST_AUTO_TEST_SUITE(bargaining)

namespace tt = boost::test_tools;
namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;

namespace {
struct reference {
  const char *folder, *domain, *p1, *p2;
  std::uint64_t outcomes;
  std::size_t pareto_pairs;
  double nash1, nash2;
};
// ../shared/data/README.md, "genius/" table (ANAC/Genius scenarios under
// Genius normalisation, reservation values as the disagreement point).
const reference table[] = {
    {"Laptop", "Laptop-C-domain.xml", "Laptop-C-prof1.xml", "Laptop-C-prof2.xml", 27, 4, 1.000,
     0.815},
    {"ItexvsCypress", "ItexvsCypress_domain.xml", "ItexvsCypress_Itex.xml",
     "ItexvsCypress_Cypress.xml", 180, 18, 0.721, 0.670},
    {"EnglandZimbabwe", "EnglandZimbabwe_domain.xml", "England.xml", "Zimbabwe.xml", 576, 25, 0.911,
     0.733},
    {"FiftyFiftyA", "FiftyFifty-A-domain.xml", "FiftyFifty-A-prof1.xml", "FiftyFifty-A-prof2.xml",
     11, 11, 0.5, 0.5},
    {"IntegerDomain", "IntegerDomain.xml", "IntegerDomain-prof1.xml", "IntegerDomain-prof2.xml",
     121, 1, 1.000, 1.000},
};

// Brute force: i is Pareto-optimal iff no j is >= in both and > in one.
std::set<std::uint64_t> brute_frontier(const std::vector<double> &a, const std::vector<double> &b) {
  std::set<std::uint64_t> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < a.size() && !dominated; ++j)
      dominated = a[j] >= a[i] && b[j] >= b[i] && (a[j] > a[i] || b[j] > b[i]);
    if (!dominated)
      out.insert(i);
  }
  return out;
}
} // namespace

BOOST_TEST_DECORATOR(GOODWILL_NEEDS_SHARED_DATA("genius"))
BOOST_DATA_TEST_CASE(genius_reference_table, bdata::xrange(5), k) {
  const auto &r = table[k];
  const auto dir = goodwill_test::shared_data_path("genius") / r.folder;
  BOOST_REQUIRE(fs::exists(dir));
  const auto sc = goodwill::load_genius_scenario((dir / r.domain).string(), (dir / r.p1).string(),
                                                 (dir / r.p2).string());
  BOOST_TEST(sc.space.size() == r.outcomes);
  const Eigen::ArrayXd u1 = sc.first.evaluate_all(), u2 = sc.second.evaluate_all();
  const auto f = goodwill::pareto_frontier({u1.data(), static_cast<std::size_t>(u1.size())},
                                           {u2.data(), static_cast<std::size_t>(u2.size())});
  BOOST_TEST(f.distinct_pairs() == r.pareto_pairs);
  const auto nash = goodwill::nash_point(f, sc.first.reservation(), sc.second.reservation());
  BOOST_REQUIRE(nash.exists);
  BOOST_TEST(nash.u1 == r.nash1, tt::tolerance(1e-3 / std::max(r.nash1, 1e-9)));
  BOOST_TEST(nash.u2 == r.nash2, tt::tolerance(1e-3 / std::max(r.nash2, 1e-9)));
  BOOST_TEST(std::abs(nash.u1 - r.nash1) <= 1e-3);
  BOOST_TEST(std::abs(nash.u2 - r.nash2) <= 1e-3);
  // The Nash outcome is on the frontier; its utilities are the profiles'.
  BOOST_TEST(goodwill::distance_to_frontier(f, nash.u1, nash.u2) == 0.0);
  BOOST_TEST(sc.first(nash.outcome) == nash.u1, tt::tolerance(1e-12));
}

BOOST_DATA_TEST_CASE(frontier_equals_brute_force, bdata::xrange(40), seed) {
  goodwill::detail::counter_stream s(static_cast<std::uint64_t>(seed), 0);
  const auto n = 1 + static_cast<std::size_t>(goodwill::detail::u01(s) * 200);
  // Coarse grids make ties and duplicates common.
  const double grid = seed % 2 ? 10.0 : 1e6;
  std::vector<double> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = std::floor(goodwill::detail::u01(s) * grid) / grid;
    b[i] = std::floor(goodwill::detail::u01(s) * grid) / grid;
  }
  const auto f = goodwill::pareto_frontier(a, b);
  const std::set<std::uint64_t> got(f.outcomes.begin(), f.outcomes.end());
  BOOST_TEST((got == brute_frontier(a, b)));
  for (std::size_t i = 1; i < f.size(); ++i) {
    BOOST_TEST(f.u1[i] <= f.u1[i - 1]);
    BOOST_TEST(f.u2[i] >= f.u2[i - 1]);
  }
  // Nash by brute force over all rational outcomes.
  const double r1 = 0.3, r2 = 0.2;
  double best = -1;
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] >= r1 && b[i] >= r2)
      best = std::max(best, (a[i] - r1) * (b[i] - r2));
  const auto nash = goodwill::nash_point(f, r1, r2);
  BOOST_TEST(nash.exists == (best >= 0));
  if (nash.exists)
    BOOST_TEST((nash.u1 - r1) * (nash.u2 - r2) == best);
  const auto w = goodwill::max_welfare_point(f);
  double wb = -1e300;
  for (std::size_t i = 0; i < n; ++i)
    wb = std::max(wb, a[i] + b[i]);
  BOOST_TEST(w.u1 + w.u2 == wb);
}

BOOST_AUTO_TEST_CASE(hand_made_solutions) {
  // Outcomes: (1,0) (0.8,0.5) (0.6,0.7) (0.3,0.9) (0,1) (0.5,0.5 dominated).
  const std::vector<double> a{1, 0.8, 0.6, 0.3, 0, 0.5}, b{0, 0.5, 0.7, 0.9, 1, 0.5};
  const auto f = goodwill::pareto_frontier(a, b);
  BOOST_TEST(f.size() == 5u);
  const auto nash = goodwill::nash_point(f, 0, 0); // products .4 .42 .27 -> (0.6, 0.7)
  BOOST_TEST(nash.outcome == 2u);
  const auto ks = goodwill::kalai_smorodinsky_point(f, 0, 0); // min(.8,.5)=.5, min(.6,.7)=.6 -> 2
  BOOST_TEST(ks.outcome == 2u);
  const auto ks2 = goodwill::kalai_smorodinsky_point(f, 0.5, 0); // b1=1,b2=.7: (.8,.5): min(.6,.71)
  BOOST_TEST(ks2.outcome == 1u);
  const auto w = goodwill::max_welfare_point(f); // sums 1, 1.3, 1.3, 1.2, 1 -> first: (0.8, 0.5)
  BOOST_TEST(w.outcome == 1u);
  BOOST_TEST(goodwill::distance_to_frontier(f, 0.5, 0.5) == std::hypot(0.1, 0.2),
             tt::tolerance(1e-12));
  BOOST_TEST(goodwill::distance_to(nash, 0.5, 0.5) == std::hypot(0.1, 0.2), tt::tolerance(1e-12));
  const auto none = goodwill::nash_point(f, 0.9, 0.9);
  BOOST_TEST(!none.exists);
  const std::vector<double> c{0.1};
  BOOST_CHECK_THROW((void)goodwill::pareto_frontier(a, c), goodwill::invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
