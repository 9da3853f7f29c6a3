// Tests of include/goodwill/negotiation/nonlinear.hpp and the non-linear
// Genius loader (issue 18, item 2).
//
// Semantics checked against the Genius sources (Escheck/NegotiatorGUI,
// NegotiatorGUI/src/negotiator/utility/): InclusiveHyperRectangle.getUtility
// (utility * weight when min <= v <= max for every bound, else 0; no bounds:
// always), ExclusiveHyperRectangle.getUtility (utility * weight as soon as one
// bound is violated, else 0), UtilityFunction.getUtility (sum / min / max of
// the rectangles' values and of each child ufun times its weight; a rectangle
// that does not count still enters the min or max as 0) and
// NonlinearUtilitySpace (root / maxutility, 1 above 1; the layout
// <utility maxutility><ufun><hyperRectangle utility><INCLUDES index min max/>).
// NegMAS writes the same layout with <utility_function maxutility> and
// <hyperRectangle utility_function="..."> (yasserfarouk/negmas,
// HyperRectangleUtilityFunction's XML example); both are read.
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/genius.hpp>
#include <goodwill/negotiation/nonlinear.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(nonlinear)

namespace tt = boost::test_tools;
namespace fs = std::filesystem;
using namespace goodwill;

namespace {
outcome_space grid(int issues, int values) {
  std::vector<issue> is;
  is.reserve(static_cast<std::size_t>(issues));
  for (int i = 0; i < issues; ++i)
    is.push_back(issue::integer("i" + std::to_string(i), 0, values - 1));
  return outcome_space(std::move(is));
}
double at(const hyper_rectangle_utility &u, std::vector<double> v) {
  return u(v);
}
template <class F> std::string refusal(F &&f) {
  try {
    f();
  } catch (const invalid_input &e) {
    return e.what();
  }
  return "no error";
}
const fs::path cases = fs::path(GOODWILL_TEST_DATA) / "genius_cases";
} // namespace

BOOST_AUTO_TEST_CASE(includes_excludes_and_unbounded_rectangles_sum) {
  // x, y in 0..4. R1 INCLUDES x in [1,2], y in [1,2], utility 2.
  // R2 INCLUDES x in [2,4], utility 3, weight 0.5 (worth 1.5).
  // R3 EXCLUDES y in [0,1], utility 1: worth 1 when y is outside [0,1].
  // R4 no bounds, utility 0.5: always worth 0.5.
  const auto space = grid(2, 5);
  std::vector<hyper_rectangle> r(4);
  r[0] = {{{0, 1, 2}, {1, 1, 2}}, 2.0, 1.0, false};
  r[1] = {{{0, 2, 4}}, 3.0, 0.5, false};
  r[2] = {{{1, 0, 1}}, 1.0, 1.0, true};
  r[3] = {{}, 0.5, 1.0, false};
  const auto u = hyper_rectangle_utility::from_rectangles(space, r);
  // (2,2): R1 2 + R2 1.5 + R3 1 (y = 2 outside [0,1]) + R4 0.5 = 5.
  BOOST_TEST(at(u, {2, 2}) == 5.0, tt::tolerance(1e-12));
  // (0,0): only R4 (R3: y = 0 inside its box, so 0) = 0.5.
  BOOST_TEST(at(u, {0, 0}) == 0.5, tt::tolerance(1e-12));
  // (4,1): R2 1.5 + R4 0.5 = 2 (R1: x = 4 out; R3: y = 1 inside).
  BOOST_TEST(at(u, {4, 1}) == 2.0, tt::tolerance(1e-12));
  // (1,1): R1 2 + R4 0.5 = 2.5.
  BOOST_TEST(at(u, {1, 1}) == 2.5, tt::tolerance(1e-12));
  // (1,3): R3 1 + R4 0.5 = 1.5 (R1: y = 3 out; R2: x = 1 out).
  BOOST_TEST(at(u, {1, 3}) == 1.5, tt::tolerance(1e-12));
  // The difference-array path equals the interval index on every outcome.
  BOOST_TEST(u.fast_path());
  const auto all = u.evaluate_all();
  for (outcome_id id = 0; id < space.size(); ++id)
    BOOST_TEST(all[static_cast<Eigen::Index>(id)] == u(id), tt::tolerance(1e-12));
  BOOST_TEST(all[static_cast<Eigen::Index>(space.encode(std::vector<double>{2, 2}))] == 5.0,
             tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(continuous_bounds_are_closed) {
  outcome_space space({issue::continuous("price", 0.0, 10.0), issue::integer("n", 1, 3)});
  std::vector<hyper_rectangle> r = {{{{0, 2.5, 5.0}}, 1.0, 1.0, false}};
  const auto u = hyper_rectangle_utility::from_rectangles(space, r);
  BOOST_TEST(at(u, {2.5, 1}) == 1.0);
  BOOST_TEST(at(u, {5.0, 2}) == 1.0);
  BOOST_TEST(at(u, {2.4999, 1}) == 0.0);
  BOOST_TEST(at(u, {5.0001, 3}) == 0.0);
  BOOST_TEST(at(u, {3.7, 3}) == 1.0);
  BOOST_CHECK_THROW((void)u.evaluate_all(), invalid_input); // continuous: not enumerable
}

BOOST_AUTO_TEST_CASE(min_max_trees_and_the_index_path_agree_with_brute_force) {
  // A min node over {R in [0,3] worth 4, R in [2,5] worth 6}: at x = 2 both
  // count, min 4; at x = 0 the second is 0, min 0; at x = 5 the first is 0.
  // A max child with weight 2 over {y in [1,1] worth 1, y in [0,4] worth 3}.
  const auto space = grid(2, 6);
  ufun_node root;
  root.agg = aggregation::sum;
  ufun_node mn;
  mn.agg = aggregation::min;
  mn.rectangles = {{{{0, 0, 3}}, 4.0, 1.0, false}, {{{0, 2, 5}}, 6.0, 1.0, false}};
  ufun_node mx;
  mx.agg = aggregation::max;
  mx.weight = 2.0;
  mx.rectangles = {{{{1, 1, 1}}, 1.0, 1.0, false}, {{{1, 0, 4}}, 3.0, 1.0, false}};
  root.children = {mn, mx};
  const hyper_rectangle_utility u(space, root, 2.0);
  // (2, 1): min(4, 6) = 4; max(1, 3) * 2 = 6; (4 + 6) / 2 = 5.
  BOOST_TEST(at(u, {2, 1}) == 5.0, tt::tolerance(1e-12));
  // (0, 5): min(4, 0) = 0; max(0, 0) * 2 = 0; 0.
  BOOST_TEST(at(u, {0, 5}) == 0.0, tt::tolerance(1e-12));
  // (3, 4): min(4, 6) = 4; max(0, 3) * 2 = 6; 5.
  BOOST_TEST(at(u, {3, 4}) == 5.0, tt::tolerance(1e-12));
  BOOST_TEST(!u.fast_path());
  const auto all = u.evaluate_all();
  for (outcome_id id = 0; id < space.size(); ++id)
    BOOST_TEST(all[static_cast<Eigen::Index>(id)] == u(id), tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(fast_path_matches_index_path_on_random_rectangles) {
  // 200 random rectangles (inclusive and exclusive, 1-3 bounds) on 4 x 7 x 5 x 6.
  outcome_space space({issue::integer("a", 0, 3), issue::integer("b", -3, 3),
                       issue::categorical("c", {"p", "q", "r", "s", "t"}),
                       issue::integer("d", 10, 15)});
  std::vector<hyper_rectangle> rects;
  std::uint64_t s = 12345;
  auto next = [&s](std::uint64_t m) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (s >> 33) % m;
  };
  for (int r = 0; r < 200; ++r) {
    hyper_rectangle h;
    h.utility = static_cast<double>(next(100)) / 10.0;
    h.exclusive = next(3) == 0;
    const std::size_t nb = 1 + next(3);
    std::vector<std::size_t> used;
    for (std::size_t b = 0; b < nb; ++b) {
      const std::size_t i = next(4);
      if (std::find(used.begin(), used.end(), i) != used.end())
        continue;
      used.push_back(i);
      const auto &is = space.issues()[i];
      const double lo = is.value_at(0), m = static_cast<double>(is.size());
      const double a = lo + static_cast<double>(next(static_cast<std::uint64_t>(m)));
      const double z = a + static_cast<double>(next(3));
      h.bounds.push_back({i, a, z});
    }
    rects.push_back(h);
  }
  const auto u = hyper_rectangle_utility::from_rectangles(space, rects);
  BOOST_TEST(u.fast_path());
  const auto all = u.evaluate_all();
  const auto indexed = u.evaluate_all_indexed();
  double worst = 0.0;
  for (outcome_id id = 0; id < space.size(); ++id) {
    // brute force, straight from the Genius rules
    const auto v = space.decode(id);
    double want = 0.0;
    for (const auto &h : rects) {
      bool inside = true;
      for (const auto &b : h.bounds)
        inside = inside && b.min <= v[b.issue] && v[b.issue] <= b.max;
      want += (h.exclusive ? !inside : inside) ? h.utility : 0.0;
    }
    worst = std::max(worst, std::abs(all[static_cast<Eigen::Index>(id)] - want));
    worst = std::max(worst, std::abs(u(id) - want));
    worst = std::max(worst, std::abs(indexed[static_cast<Eigen::Index>(id)] - want));
  }
  BOOST_TEST(worst < 1e-9);
}

BOOST_AUTO_TEST_CASE(genius_nonlinear_profile_loads_as_genius_evaluates) {
  const auto dom = (cases / "nl_domain.xml").string();
  const auto prof = (cases / "nl_profile.xml").string();
  const auto space = load_genius_domain(dom);
  const auto any = load_genius_utility(space, prof);
  BOOST_REQUIRE(std::holds_alternative<hyper_rectangle_utility>(any));
  const auto &u = std::get<hyper_rectangle_utility>(any);
  BOOST_TEST(u.rectangle_count() == 6u);
  BOOST_TEST(u.reservation() == 0.3);
  BOOST_TEST(u.discount() == 1.0); // 0 in the file: no discounting
  // Rectangles (issue1, issue2, issue3), maxutility 90:
  //  R1 40: i1 in [2,5] and i2 in [0,3];  R2 30: i3 in [7,9];
  //  R3 EXCLUDES i1 in [0,4], i3 in [0,4], 20 x weight 0.5 = 10 when outside;
  //  R4 10 always;  child max (weight 2) of {15: i2 in [5,9], 25: i2 in [8,9]}.
  // (3,1,8): 40 + 30 + 10 (i3 = 8 outside) + 10 + 2*max(0,0) = 90 -> 1.
  BOOST_TEST(at(u, {3, 1, 8}) == 1.0, tt::tolerance(1e-12));
  // (6,9,8): 0 + 30 + 10 + 10 + 2*25 = 100 -> 100/90 above 1 -> 1 (cap).
  BOOST_TEST(at(u, {6, 9, 8}) == 1.0, tt::tolerance(1e-12));
  // (2,6,0): 0 + 0 + 0 (2 and 0 inside R3's box) + 10 + 2*max(15,0) = 40 -> 0.4444.
  BOOST_TEST(at(u, {2, 6, 0}) == 40.0 / 90.0, tt::tolerance(1e-12));
  // (0,0,0): 10 -> 0.1111.
  BOOST_TEST(at(u, {0, 0, 0}) == 10.0 / 90.0, tt::tolerance(1e-12));
  // (5,2,3): 40 + 0 + 10 (i1 = 5 outside [0,4]) + 10 + 0 = 60 -> 0.6667.
  BOOST_TEST(at(u, {5, 2, 3}) == 60.0 / 90.0, tt::tolerance(1e-12));
  const auto all = u.evaluate_all();
  BOOST_TEST(all.size() == 1000);
  for (outcome_id id = 0; id < 1000; ++id)
    BOOST_TEST(all[static_cast<Eigen::Index>(id)] == u(id), tt::tolerance(1e-12));
  // The same file through a session: scenario arrays from both kinds.
  const auto lin = load_genius_utility(space, prof); // same profile both sides is fine
  const auto sc = make_scenario(u, std::get<hyper_rectangle_utility>(lin), "nl");
  BOOST_TEST(sc.size() == 1000u);
  BOOST_TEST(sc.utility(0, space.encode(std::vector<double>{2, 6, 0})) == 40.0 / 90.0,
             tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(negmas_layout_reads_too) {
  // NegMAS's writer: <utility_function maxutility>, utility_function="..." and
  // no profile issue list (bound indices are Genius's 1-based issue numbers).
  const auto space = grid(2, 4);
  const auto doc = detail::xml::parse("<utility_space type=\"nonlinear\">\n"
                                      "<utility_function maxutility=\"4\">\n"
                                      "<ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n"
                                      "<hyperRectangle utility_function=\"2.0\">\n"
                                      "<INCLUDES index=\"1\" min=\"1\" max=\"2\"/>\n"
                                      "<INCLUDES index=\"2\" min=\"1\" max=\"2\"/>\n"
                                      "</hyperRectangle>\n"
                                      "<hyperRectangle utility_function_value=\"1.0\">\n"
                                      "<INCLUDES index=\"2\" min=\"2\" max=\"3\"/>\n"
                                      "</hyperRectangle>\n"
                                      "</ufun></utility_function></utility_space>");
  const auto u = genius_nonlinear_profile(space, doc, "n.xml");
  // (1,2): 2 + 1 = 3 -> 3/4; (0,3): 1 -> 1/4; (2,1): 2 -> 1/2.
  BOOST_TEST(at(u, {1, 2}) == 0.75);
  BOOST_TEST(at(u, {0, 3}) == 0.25);
  BOOST_TEST(at(u, {2, 1}) == 0.5);
}

BOOST_AUTO_TEST_CASE(malformed_nonlinear_profiles_are_refused_with_file_line_reason) {
  const auto space = grid(2, 4);
  const std::string head = "<utility_space type=\"nonlinear\">\n"
                           "<utility maxutility=\"MAXU\">\n"
                           "<ufun aggregation=\"AGG\">\n";
  const std::string tail = "</ufun>\n</utility>\n</utility_space>\n";
  // The file: line 1 <utility_space>, 2 <utility>, 3 <ufun>, 4.. rectangles.
  auto load = [&](const std::string &rects, const std::string &maxu = "1",
                  const std::string &agg = "sum") {
    auto h = head;
    h.replace(h.find("MAXU"), 4, maxu);
    h.replace(h.find("AGG"), 3, agg);
    const auto path = (fs::temp_directory_path() / "goodwill_nl_case.xml").string();
    std::ofstream(path) << h << rects << tail;
    auto m = refusal([&] { (void)load_genius_utility(space, path); });
    fs::remove(path);
    const std::string prefix = "field 'genius': " + path + ":";
    if (m.rfind(prefix, 0) != 0)
      return m; // not a refusal with one file prefix (then the test fails on it)
    return m.substr(prefix.size());
  };
  auto rect = [](const std::string &attrs, const std::string &bounds) {
    return "<hyperRectangle " + attrs + ">\n" + bounds + "</hyperRectangle>\n";
  };
  const std::string b1 = "<INCLUDES index=\"1\" min=\"0\" max=\"1\"/>\n";
  BOOST_TEST(load(rect("utility=\"1\"", b1)) == "no error");
  BOOST_TEST(load(rect("utility=\"1\"", b1), "0") ==
             "2: maxutility is 0: Genius divides by it, it must be > 0");
  BOOST_TEST(load(rect("utility=\"1\"", b1), "1", "avg") ==
             "3: ufun aggregation 'avg' is not sum, min or max");
  BOOST_TEST(load(rect("utility=\"1\"", b1 + "<EXCLUDES index=\"2\" min=\"0\" max=\"1\"/>\n")) ==
             "4: <hyperRectangle> has both INCLUDES and EXCLUDES (Genius would keep only the "
             "EXCLUDES)");
  BOOST_TEST(load(rect("utility=\"1\"", "<INCLUDES index=\"7\" min=\"0\" max=\"1\"/>\n")) ==
             "5: <INCLUDES index=\"7\"> names no issue");
  BOOST_TEST(load(rect("utility=\"1\"", "<INCLUDES index=\"1\" min=\"2\" max=\"1\"/>\n")) ==
             "5: <INCLUDES> on issue 'i0' has min above max");
  BOOST_TEST(load(rect("utility=\"1\"", "<INCLUDES index=\"2\" min=\"0.5\" max=\"1\"/>\n")) ==
             "5: <INCLUDES> on integer issue 'i1' has a non-integer min or max");
  BOOST_TEST(load(rect("weight=\"1\"", b1)) ==
             "4: <hyperRectangle> has no utility attribute (utility, utility_function or "
             "utility_function_value)");
  BOOST_TEST(load(rect("utility=\"1\" utility_function=\"2\"", b1)) ==
             "4: <hyperRectangle> has both 'utility' and 'utility_function'");
  BOOST_TEST(load(rect("utility=\"1\"", b1 + "<INCLUDES index=\"1\" min=\"1\" max=\"2\"/>\n")) ==
             "6: <hyperRectangle> bounds issue 'i0' twice");
  BOOST_TEST(load(rect("utility=\"x\"", b1)) ==
             "4: attribute 'utility' of <hyperRectangle> is 'x', not a finite number");
  // Labelled issues: Genius reads bounds on integer values only.
  outcome_space lab({issue::categorical("colour", {"red", "blue"})});
  const auto doc = detail::xml::parse("<utility_space type=\"nonlinear\"><utility maxutility=\"1\">"
                                      "<ufun><hyperRectangle utility=\"1\"><INCLUDES index=\"1\" "
                                      "min=\"0\" max=\"0\"/></hyperRectangle></ufun></utility>"
                                      "</utility_space>");
  BOOST_TEST(refusal([&] { (void)genius_utility(lab, doc, "c.xml"); }) ==
             "field 'genius': c.xml:1: <INCLUDES> bounds the labelled issue 'colour': Genius "
             "reads hyper-rectangle bounds on integer issues only");
}

BOOST_AUTO_TEST_CASE(values_that_would_overflow_are_refused) {
  // 1e200 over maxutility 1e-120 is 1e320: not a double.
  const auto space = grid(1, 3);
  ufun_node root;
  root.rectangles = {{{{0, 0, 1}}, 1e200, 1.0, false}};
  BOOST_CHECK_THROW(hyper_rectangle_utility(space, root, 1e-120), invalid_input);
  BOOST_CHECK_NO_THROW(hyper_rectangle_utility(space, root, 1.0));
}

BOOST_AUTO_TEST_CASE(weighted_sum_of_functions) {
  // u = 0.5 * linear + 2 * rectangles over x, y in 0..2.
  // linear: weights (0.6, 0.4), tables x: (0, 0.5, 1), y: (1, 0.5, 0).
  // rectangles: x in [1,2] and y in [1,2] worth 0.25.
  const auto space = grid(2, 3);
  const auto lin =
      linear_additive_utility::from_tables(space, {0.6, 0.4}, {{0.0, 0.5, 1.0}, {1.0, 0.5, 0.0}});
  std::vector<hyper_rectangle> r = {{{{0, 1, 2}, {1, 1, 2}}, 0.25, 1.0, false}};
  const auto hr = hyper_rectangle_utility::from_rectangles(space, r);
  const weighted_sum_utility w({lin, hr}, {0.5, 2.0}, 0.1);
  // (1,1): linear 0.6*0.5 + 0.4*0.5 = 0.5; rect 0.25; 0.5*0.5 + 2*0.25 = 0.75.
  BOOST_TEST(w(std::vector<double>{1, 1}) == 0.75, tt::tolerance(1e-12));
  // (0,0): linear 0.4; rect 0; 0.2.
  BOOST_TEST(w(std::vector<double>{0, 0}) == 0.2, tt::tolerance(1e-12));
  // (2,2): linear 0.6; rect 0.25; 0.3 + 0.5 = 0.8.
  BOOST_TEST(w(std::vector<double>{2, 2}) == 0.8, tt::tolerance(1e-12));
  const auto all = w.evaluate_all();
  for (outcome_id id = 0; id < space.size(); ++id)
    BOOST_TEST(all[static_cast<Eigen::Index>(id)] == w(space.decode(id)), tt::tolerance(1e-12));
  BOOST_TEST(w.reservation() == 0.1);
  BOOST_CHECK_THROW(weighted_sum_utility({lin}, {1.0, 2.0}), invalid_input);
  BOOST_CHECK_THROW(
      weighted_sum_utility({lin, hyper_rectangle_utility::from_rectangles(grid(3, 3), {})},
                           {1.0, 1.0}),
      invalid_input);
}

BOOST_AUTO_TEST_CASE(sessions_run_on_nonlinear_preferences) {
  // A hyper-rectangle seller against a linear buyer: the session runs on the
  // scenario's arrays, and an agreement's utility is the rectangles' value.
  const auto space = grid(3, 6);
  std::vector<hyper_rectangle> r = {{{{0, 3, 5}}, 0.5, 1.0, false},
                                    {{{1, 2, 5}, {2, 0, 2}}, 0.5, 1.0, false},
                                    {{{2, 4, 5}}, 0.3, 1.0, true}};
  const auto seller = hyper_rectangle_utility::from_rectangles(space, r, 0.2);
  const auto buyer = linear_additive_utility::from_tables(
      space, {0.5, 0.3, 0.2},
      {{1, 0.8, 0.6, 0.4, 0.2, 0}, {1, 0.8, 0.6, 0.4, 0.2, 0}, {0, 0.2, 0.4, 0.6, 0.8, 1}}, 0.2);
  const auto sc = make_scenario(seller, buyer, "mixed");
  auto a = boulware();
  auto b = conceder();
  session_options opt;
  opt.rounds = 50;
  const auto res = run_session(sc, *a, *b, opt);
  BOOST_REQUIRE(res.agreement());
  BOOST_TEST(res.u1 == seller(space.decode(res.outcome)), tt::tolerance(1e-12));
  BOOST_TEST(res.u2 == buyer(space.decode(res.outcome)), tt::tolerance(1e-12));
  BOOST_TEST(res.u1 >= 0.2);
  BOOST_TEST(res.u2 >= 0.2);
}

BOOST_AUTO_TEST_CASE(approximate_bargaining_matches_exact_on_a_small_space) {
  // 10 x 10 x 10 = 1000 outcomes: the exact analysis enumerates them; the
  // approximate one (exact_limit 0) sees 300 uniform draws and climbs. The
  // tolerance stated for this case: the approximate Nash product within 2%
  // of the exact one, the approximate frontier within 0.05 (Euclidean, in
  // utility) of the exact frontier at every point, and both flagged right.
  const auto space = grid(3, 10);
  std::vector<hyper_rectangle> r = {{{{0, 5, 9}}, 0.4, 1.0, false},
                                    {{{1, 0, 4}, {2, 3, 8}}, 0.4, 1.0, false},
                                    {{{0, 0, 2}, {1, 7, 9}}, 0.3, 1.0, false},
                                    {{}, 0.1, 1.0, false}};
  const auto u1 = hyper_rectangle_utility::from_rectangles(space, r, 0.1);
  std::vector<std::vector<double>> tables(3);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 10; ++j)
      tables[static_cast<std::size_t>(i)].push_back(i == 1 ? j / 9.0 : 1.0 - j / 9.0);
  const auto u2 = linear_additive_utility::from_tables(space, {0.5, 0.3, 0.2}, tables, 0.1);
  const auto exact = bargaining_analysis(u1, u2);
  BOOST_TEST(!exact.approximate);
  BOOST_TEST(exact.method == "exact enumeration");
  BOOST_TEST(exact.evaluations == 1000u);
  // The exact analysis is the scenario's.
  const auto sc = make_scenario(u1, u2);
  const auto sn = sc.nash();
  BOOST_TEST(exact.nash.u1 == sn.u1, tt::tolerance(1e-12));
  BOOST_TEST(exact.nash.u2 == sn.u2, tt::tolerance(1e-12));
  BOOST_TEST(exact.front.distinct_pairs() == sc.frontier().distinct_pairs());
  approximate_bargaining_options opt;
  opt.exact_limit = 0;
  opt.samples = 300;
  opt.seed = 7;
  const auto approx = bargaining_analysis(u1, u2, opt);
  BOOST_TEST(approx.approximate);
  BOOST_TEST(approx.method.find("uniform sample of 300") == 0u);
  BOOST_REQUIRE(approx.nash.exists);
  const double pe = (exact.nash.u1 - 0.1) * (exact.nash.u2 - 0.1);
  const double pa = (approx.nash.u1 - 0.1) * (approx.nash.u2 - 0.1);
  BOOST_TEST(pa <= pe + 1e-12); // the pool is a subset: never better than exact
  BOOST_TEST(pa >= 0.98 * pe);
  for (std::size_t i = 0; i < approx.front.size(); ++i)
    BOOST_TEST(distance_to_frontier(exact.front, approx.front.u1[i], approx.front.u2[i]) < 0.05);
  // Every reported point is a real outcome with those utilities.
  for (std::size_t i = 0; i < approx.front.size(); ++i) {
    const auto row = approx.front.outcomes[i];
    const std::span<const double> o(approx.values.data() + row * 3, 3);
    BOOST_TEST(u1(o) == approx.front.u1[i]);
    BOOST_TEST(u2(o) == approx.front.u2[i]);
  }
  // Reproducible from the seed.
  const auto again = bargaining_analysis(u1, u2, opt);
  BOOST_TEST(again.nash.u1 == approx.nash.u1);
  BOOST_TEST(again.evaluations == approx.evaluations);
}

BOOST_AUTO_TEST_CASE(approximate_bargaining_on_a_space_too_big_to_enumerate) {
  // 30 issues of 100 values: 1e60 outcomes. No enumeration is attempted.
  const auto space = grid(30, 100);
  std::vector<hyper_rectangle> r;
  for (std::size_t i = 0; i < 30; ++i)
    r.push_back({{{i, 50, 99}}, 1.0 / 30.0, 1.0, false});
  const auto u1 = hyper_rectangle_utility::from_rectangles(space, r);
  std::vector<hyper_rectangle> q;
  for (std::size_t i = 0; i < 30; ++i)
    q.push_back({{{i, 0, 59}}, 1.0 / 30.0, 1.0, false});
  const auto u2 = hyper_rectangle_utility::from_rectangles(space, q);
  BOOST_CHECK_THROW((void)u1.evaluate_all(), invalid_input);
  approximate_bargaining_options opt;
  opt.samples = 2000;
  const auto res = bargaining_analysis(u1, u2, opt);
  BOOST_TEST(res.approximate);
  // Every issue at 50..59 gives both their best (1, 1): the climb finds it
  // from the sample frontier (a uniform draw has each issue there w.p. 0.1).
  BOOST_TEST(res.nash.u1 == 1.0, tt::tolerance(1e-9));
  BOOST_TEST(res.nash.u2 == 1.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(sessions_on_a_space_too_big_to_enumerate) {
  // 1e60 outcomes: the session runs on the candidates the search found, and
  // the agreement's utilities are those of the outcome it stands for.
  const auto space = grid(30, 100);
  std::vector<hyper_rectangle> r, q;
  for (std::size_t i = 0; i < 30; ++i) {
    r.push_back({{{i, 50, 99}}, 1.0 / 30.0, 1.0, false});
    q.push_back({{{i, 0, 69}}, 1.0 / 30.0, 1.0, false});
  }
  const auto seller = hyper_rectangle_utility::from_rectangles(space, r, 0.3);
  const auto buyer = hyper_rectangle_utility::from_rectangles(space, q, 0.3);
  approximate_bargaining_options opt;
  opt.samples = 3000;
  const auto ss = search_scenario(seller, buyer, opt, "big");
  BOOST_TEST(ss.approximate);
  BOOST_TEST(ss.sc.size() >= 3000u); // the sample (no duplicates at 1e60) and the climbs
  BOOST_TEST(ss.values.size() == ss.sc.size() * 30u);
  auto a = boulware();
  auto b = conceder();
  session_options so;
  so.rounds = 60;
  const auto res = run_session(ss.sc, *a, *b, so);
  BOOST_REQUIRE(res.agreement());
  const std::span<const double> o(ss.values.data() + res.outcome * 30, 30);
  BOOST_TEST(res.u1 == seller(o));
  BOOST_TEST(res.u2 == buyer(o));
  BOOST_TEST(res.u1 >= 0.3);
  BOOST_TEST(res.u2 >= 0.3);
  // Both can have 1 (every issue at 50..69): the search finds that outcome.
  BOOST_TEST(ss.sc.nash().u1 == 1.0, tt::tolerance(1e-9));
  BOOST_TEST(ss.sc.nash().u2 == 1.0, tt::tolerance(1e-9));
  // On an enumerable space the candidates are every outcome, once each.
  const auto small = grid(2, 4);
  const auto e = search_scenario(hyper_rectangle_utility::from_rectangles(small, {}),
                                 hyper_rectangle_utility::from_rectangles(small, {}));
  BOOST_TEST(!e.approximate);
  BOOST_TEST(e.sc.size() == 16u);
  BOOST_TEST(e.sc.space().issues()[0].labels[5] == "1|1");
}

BOOST_AUTO_TEST_SUITE_END()
