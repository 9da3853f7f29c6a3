#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/genius.hpp>

#include "shared_data.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(genius)

namespace tt = boost::test_tools;
namespace fs = std::filesystem;
namespace xml = goodwill::detail::xml;

namespace {
const fs::path data = goodwill_test::shared_data_path("genius");

std::string message_of(const std::string &doc, xml::limits lim = {}) {
  try {
    (void)xml::parse(doc, lim);
  } catch (const goodwill::invalid_input &e) {
    return e.what();
  }
  return "no error";
}
bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}
} // namespace

BOOST_AUTO_TEST_CASE(xml_reader_basics) {
  const auto e = xml::parse("<?xml version='1.0'?><!-- c --><a x=\"1 &lt; 2 &amp; &#65;&#x42;\">"
                            "<b y='q'/> text <![CDATA[<raw>]]></a>");
  BOOST_TEST(e.name == "a");
  BOOST_TEST(*e.attribute("x") == "1 < 2 & AB");
  BOOST_TEST(e.children.size() == 1u);
  BOOST_TEST(*e.first("b")->attribute("y") == "q");
  BOOST_TEST(e.text == "text <raw>");
}

BOOST_AUTO_TEST_CASE(hostile_documents_are_rejected) {
  // Billion laughs: entity expansion bomb.
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<lolz>&lol2;</lolz>";
  BOOST_TEST(contains(message_of(laughs), "DOCTYPE and ENTITY declarations are not accepted"));
  // External entity (XXE).
  const std::string xxe = "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "
                          "\"file:///etc/passwd\">]><foo>&xxe;</foo>";
  BOOST_TEST(contains(message_of(xxe), "DOCTYPE"));
  // An undeclared entity is never expanded.
  BOOST_TEST(contains(message_of("<foo>&xxe;</foo>"), "entity &xxe; is not accepted"));
  BOOST_TEST(contains(message_of("<foo a='&xxe;'/>"), "entity &xxe; is not accepted"));
  // Deep nesting: an error at the limit, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 100000; ++i)
    deep += "<a>";
  BOOST_TEST(contains(message_of(deep), "nested deeper than the limit of 64"));
  // Size bound.
  const std::string big = "<a>" + std::string(5000, 'x') + "</a>";
  BOOST_TEST(
      contains(message_of(big, xml::limits{1024, 64, 1000, 64}), "more than the limit of 1024"));
  // Truncated and ill-formed.
  BOOST_TEST(contains(message_of("<a><b x=\"1\"></b>"), "is not closed"));
  BOOST_TEST(contains(message_of("<a><b x=\"1"), "truncated"));
  BOOST_TEST(contains(message_of("<a></b>"), "does not match"));
  BOOST_TEST(contains(message_of(""), "no root element"));
  BOOST_TEST(contains(message_of("<a>&#0;</a>"), "not a valid character"));
  BOOST_TEST(contains(message_of("<a x='1' x='2'/>"), "duplicate attribute"));
}

BOOST_AUTO_TEST_CASE(hostile_files_are_rejected) {
  const auto dir = fs::temp_directory_path();
  const auto huge = (dir / "goodwill_huge_genius.xml").string();
  {
    std::ofstream out(huge, std::ios::binary);
    out << "<utility_space>";
    const std::string chunk(1 << 20, ' ');
    for (int i = 0; i < 17; ++i)
      out << chunk;
    out << "</utility_space>";
  }
  try {
    (void)goodwill::load_genius_domain(huge);
    BOOST_FAIL("a 17 MiB file was accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(contains(e.what(), "more than the limit of 16777216"));
  }
  fs::remove(huge);
}

BOOST_AUTO_TEST_CASE(truncated_laptop_profile_is_rejected,
                     GOODWILL_NEEDS_SHARED_DATA("genius/Laptop")) {
  const auto dir = fs::temp_directory_path();
  // A real profile cut in the middle.
  std::ifstream in(data / "Laptop" / "Laptop-C-prof1.xml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto cut = (dir / "goodwill_truncated_genius.xml").string();
  std::ofstream(cut) << text.substr(0, text.size() / 2);
  const auto space =
      goodwill::load_genius_domain((data / "Laptop" / "Laptop-C-domain.xml").string());
  try {
    (void)goodwill::load_genius_profile(space, cut);
    BOOST_FAIL("a truncated profile was accepted");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(contains(e.what(), "truncated"));
    BOOST_TEST(contains(e.what(), cut));
  }
  fs::remove(cut);
}

BOOST_AUTO_TEST_CASE(laptop_profile_normalisation, GOODWILL_NEEDS_SHARED_DATA("genius/Laptop")) {
  const auto sc = goodwill::load_genius_scenario((data / "Laptop" / "Laptop-C-domain.xml").string(),
                                                 (data / "Laptop" / "Laptop-C-prof1.xml").string(),
                                                 (data / "Laptop" / "Laptop-C-prof2.xml").string());
  BOOST_TEST(sc.space.size() == 27u);
  // prof1, Laptop: Dell 12, Macintosh 20, HP 30 -> divided by 30.
  BOOST_TEST(sc.first.evaluators()[0].table[0] == 0.4, tt::tolerance(1e-12));
  BOOST_TEST(sc.first.evaluators()[0].table[2] == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(sc.first.weights()[0] == 0.4452125771655631, tt::tolerance(1e-15));
  BOOST_TEST(sc.first.reservation() == 0.0);
  BOOST_TEST(sc.first.discount() == 1.0);
}

BOOST_AUTO_TEST_CASE(integer_domain_linear_evaluator,
                     GOODWILL_NEEDS_SHARED_DATA("genius/IntegerDomain")) {
  const auto d = data / "IntegerDomain";
  const auto sc = goodwill::load_genius_scenario((d / "IntegerDomain.xml").string(),
                                                 (d / "IntegerDomain-prof1.xml").string(),
                                                 (d / "IntegerDomain-prof2.xml").string());
  BOOST_TEST(sc.space.size() == 121u);
  // prof1 price: 0.3 + 0.08 (v + 5), clamped: v = -5 -> 0.3, v = 3 -> 0.94, v = 4 -> 1.02 -> 1.
  const auto &t = sc.first.evaluators()[0].table;
  BOOST_TEST(t[0] == 0.3, tt::tolerance(1e-12));
  BOOST_TEST(t[8] == 0.94, tt::tolerance(1e-12));
  BOOST_TEST(t[9] == 1.0, tt::tolerance(1e-12));
  // discount_factor 0.0 in the file: no discounting (Genius convention).
  BOOST_TEST(sc.first.discount() == 1.0);
}

BOOST_AUTO_TEST_CASE(profile_errors_name_the_problem) {
  const auto space = goodwill::genius_domain(
      xml::parse("<u><objective><issue index='1' name='x' type='discrete'><item value='a'/><item "
                 "value='b'/></issue></objective></u>"));
  const auto bad_value = xml::parse("<u><objective><issue index='1' name='x'><item value='a' "
                                    "evaluation='1'/><item value='c' evaluation='2'/></issue>"
                                    "<weight index='1' value='1'/></objective></u>");
  BOOST_CHECK_EXCEPTION((void)goodwill::genius_profile(space, bad_value), goodwill::invalid_input,
                        [](const auto &e) { return contains(e.what(), "'c' of issue 'x'"); });
  const auto no_weight = xml::parse("<u><objective><issue index='1' name='x'><item value='a' "
                                    "evaluation='1'/><item value='b' evaluation='2'/></issue>"
                                    "</objective></u>");
  BOOST_CHECK_EXCEPTION((void)goodwill::genius_profile(space, no_weight), goodwill::invalid_input,
                        [](const auto &e) { return contains(e.what(), "no <weight>"); });
  const auto nan = xml::parse("<u><objective><issue index='1' name='x'><item value='a' "
                              "evaluation='zz'/><item value='b' evaluation='2'/></issue>"
                              "<weight index='1' value='1'/></objective></u>");
  BOOST_CHECK_EXCEPTION((void)goodwill::genius_profile(space, nan), goodwill::invalid_input,
                        [](const auto &e) { return contains(e.what(), "not a finite number"); });
}

// ---- issue 18, item 1: Genius 10.4 formats and refusals, one small file each
// (tests/data/genius_cases). Expected values are worked out by hand from the
// Genius 10.4 sources named in the README there.
namespace {
const fs::path cases = fs::path(GOODWILL_TEST_DATA) / "genius_cases";
std::string at(const char *name) {
  return (cases / name).string();
}
template <class F> std::string refusal(F &&f) {
  try {
    f();
  } catch (const goodwill::invalid_input &e) {
    return e.what();
  }
  return "no error";
}
std::size_t count(const std::string &s, const std::string &part) {
  std::size_t n = 0;
  for (auto p = s.find(part); p != std::string::npos; p = s.find(part, p + 1))
    ++n;
  return n;
}
} // namespace

BOOST_AUTO_TEST_CASE(utility_capped_at_one_as_genius) {
  // AdditiveUtilitySpace.getUtility: weights 0.6 + 0.5; x a=10 b=5, y a=4 b=2
  // (divided by the largest: 1, 0.5). (a, a) sums to 1.1 and Genius returns 1.
  const auto space = goodwill::load_genius_domain(at("xy_domain.xml"));
  const auto u = goodwill::load_genius_profile(space, at("cap_profile.xml"));
  BOOST_TEST(u.cap() == 1.0);
  const auto all = u.evaluate_all();
  BOOST_TEST(all[0] == 1.0);
  BOOST_TEST(all[1] == 0.85, tt::tolerance(1e-12)); // 0.6 + 0.5 * 0.5
  BOOST_TEST(all[2] == 0.8, tt::tolerance(1e-12));  // 0.6 * 0.5 + 0.5
  BOOST_TEST(all[3] == 0.55, tt::tolerance(1e-12));
  BOOST_TEST(u(goodwill::outcome_id{0}) == 1.0);
  const std::vector<double> aa{0.0, 0.0};
  BOOST_TEST(u(aa) == 1.0);
  BOOST_TEST(u.range().second == 1.0);
  // The cap changes the bargaining analysis: the Nash product uses 1, not 1.1.
  const goodwill::scenario sc(u, u);
  BOOST_TEST(sc.utility(0, 0) == 1.0);
}

BOOST_AUTO_TEST_CASE(weight_on_the_objective_index_is_ignored) {
  // ANAC 2012 Fitness: <weight index="0"> on the objective itself weighs no issue.
  const auto space = goodwill::load_genius_domain(at("fitness_domain.xml"));
  const auto u = goodwill::load_genius_profile(space, at("fitness_profile.xml"));
  BOOST_TEST(u.weights()[0] == 0.7);
  BOOST_TEST(u.weights()[1] == 0.3);
  const auto all = u.evaluate_all();
  BOOST_TEST(all[0] == 0.7 / 3 + 0.3, tt::tolerance(1e-12)); // Monday 1/3, Morning 2/2
  BOOST_TEST(all[3] == 1.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(negative_evaluations_as_genius) {
  // ANAC 2010 Travel style: Location -2, 4, 0 -> -0.5, 1, 0 (divided by 4);
  // Hotel -1, 0: largest below 1e-5, so both evaluate to 0.
  const auto space = goodwill::load_genius_domain(at("travel_domain.xml"));
  const auto u = goodwill::load_genius_profile(space, at("travel_profile.xml"));
  BOOST_TEST(u.evaluators()[0].table[0] == -0.5);
  BOOST_TEST(u.evaluators()[2].table[0] == 0.0);
  BOOST_TEST(u.evaluators()[2].table[1] == 0.0);
  const std::vector<double> ams_1w_hostel{0, 0, 0}, bar_2w{1, 1, 1}, cairo_1w{2, 0, 1};
  BOOST_TEST(u(ams_1w_hostel) == -0.2, tt::tolerance(1e-12)); // 0.6 * -0.5 + 0.2 * 0.5
  BOOST_TEST(u(bar_2w) == 0.8, tt::tolerance(1e-12));
  BOOST_TEST(u(cairo_1w) == 0.1, tt::tolerance(1e-12));
  BOOST_TEST(u.range().first == -0.2, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(issues_directly_under_utility_space) {
  const auto space = goodwill::load_genius_domain(at("flat_domain.xml"));
  BOOST_TEST(space.size() == 6u);
  const auto u = goodwill::load_genius_profile(space, at("flat_profile.xml"));
  BOOST_TEST(u.reservation() == 0.25);
  // colour red 3/6, blue 1; seats 0.5 + 0.25 (s - 1).
  const std::vector<double> red1{0, 1}, blue2{1, 2}, blue3{1, 3};
  BOOST_TEST(u(red1) == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(u(blue2) == 0.85, tt::tolerance(1e-12));
  BOOST_TEST(u(blue3) == 1.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(real_issue_in_range_and_parameter_form) {
  // EvaluatorReal LINEAR: parameter1 * x + parameter0 on the raw value,
  // clamped: 0.1 x - 0.5 -> 10: 0.5, 12: 0.7, 18: 1.3 -> 1.
  const auto space = goodwill::load_genius_domain(at("real_domain.xml"));
  BOOST_TEST(!space.discrete());
  BOOST_TEST(space.issues()[0].lower == 10.0);
  BOOST_TEST(space.issues()[0].upper == 20.0);
  const auto u = goodwill::load_genius_profile(space, at("real_profile.xml"));
  const std::vector<double> p10_red{10.0, 0}, p12_blue{12.0, 1}, p18_blue{18.0, 1};
  BOOST_TEST(u(p10_red) == 0.375, tt::tolerance(1e-12)); // 0.5 * 0.5 + 0.5 * 0.25
  BOOST_TEST(u(p12_blue) == 0.85, tt::tolerance(1e-12));
  BOOST_TEST(u(p18_blue) == 1.0, tt::tolerance(1e-12));
  // A session runs on it after discretising: 11 price points 10, 11, ..., 20.
  const auto d = u.discretized(11);
  BOOST_TEST(d.evaluators()[0].table[2] == 0.7, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(encodings) {
  const auto s = goodwill::load_genius_domain(at("latin1_declared_domain.xml"));
  BOOST_TEST(s.issues()[0].labels[0] == "Caf\xC3\xA9"); // transcoded to UTF-8
  const auto m =
      refusal([] { (void)goodwill::load_genius_domain(at("latin1_undeclared_domain.xml")); });
  BOOST_TEST(contains(m, at("latin1_undeclared_domain.xml") + ":5: byte 0xE9"));
  BOOST_TEST(contains(m, "not valid UTF-8"));
  BOOST_TEST(contains(message_of("<?xml version='1.0' encoding='UTF-16'?><a/>"),
                      "declared encoding 'utf-16' is not supported"));
  BOOST_TEST(contains(message_of("<a>\xC0\x80</a>"), "not valid UTF-8"));     // overlong NUL
  BOOST_TEST(contains(message_of("<a>\xED\xA0\x80</a>"), "not valid UTF-8")); // surrogate
  BOOST_TEST(contains(message_of("<a>\xE2\x82</a>"), "not valid UTF-8"));     // truncated
  BOOST_TEST(message_of("<a>\xE2\x82\xAC \xF0\x9F\x98\x80</a>") == "no error");
}

BOOST_AUTO_TEST_CASE(refusals_name_file_line_and_reason_once) {
  const auto nul = refusal([] { (void)goodwill::load_genius_domain(at("nul_domain.xml")); });
  BOOST_TEST(contains(nul, at("nul_domain.xml") + ":5: NUL byte"));
  const auto dv =
      refusal([] { (void)goodwill::load_genius_domain(at("duplicate_value_domain.xml")); });
  BOOST_TEST(dv == "field 'genius': " + at("duplicate_value_domain.xml") +
                       ":7: discrete issue 'support' lists the value 'basic' twice (first at "
                       "line 5)");
  const auto space = goodwill::load_genius_domain(at("xy_domain.xml"));
  const auto dw = refusal(
      [&] { (void)goodwill::load_genius_profile(space, at("duplicate_weight_profile.xml")); });
  BOOST_TEST(dw == "field 'genius': " + at("duplicate_weight_profile.xml") +
                       ":13: two <weight index=\"1\"> for issue 'x' (first at line 11)");
  const auto nl =
      refusal([&] { (void)goodwill::load_genius_profile(space, at("nonlinear_profile.xml")); });
  // The linear-additive loader sends a non-linear profile to the loader of
  // both kinds; that one reads it (test_nonlinear.cpp) or, for this file
  // (no <utility maxutility>), refuses it as malformed with file and line.
  BOOST_TEST(contains(nl, at("nonlinear_profile.xml") +
                              ":1: profile is a non-linear (hyper-rectangle) utility space"));
  const auto nl2 =
      refusal([&] { (void)goodwill::load_genius_utility(space, at("nonlinear_profile.xml")); });
  BOOST_TEST(nl2 == "field 'genius': " + at("nonlinear_profile.xml") +
                        ":1: non-linear profile has no <utility maxutility=...> element");
  // A domain-level error names the file; a profile error has one prefix.
  const auto cut = (fs::temp_directory_path() / "goodwill_case_cut.xml").string();
  std::ofstream(cut) << "<utility_space>\n<objective index='0'>\n<issue index='1' name='x'";
  const auto c = refusal([&] { (void)goodwill::load_genius_profile(space, cut); });
  BOOST_TEST(count(c, cut) == 1u);
  BOOST_TEST(contains(c, cut + ":3: "));
  fs::remove(cut);
  const auto bad = refusal([] {
    (void)goodwill::genius_domain(xml::parse("<u>\n<issue name='x' type='real'/></u>"), "d.xml");
  });
  BOOST_TEST(contains(bad, "field 'genius': d.xml:2: numeric issue 'x' has neither"));
}

BOOST_AUTO_TEST_CASE(huge_space_refused_before_allocating_but_sampled) {
  const auto space = goodwill::load_genius_domain(at("huge_domain.xml"));
  BOOST_TEST(space.cardinality() == 1e10);
  const auto u = goodwill::load_genius_profile(space, at("huge_profile.xml"));
  const auto m = refusal([&] { (void)u.evaluate_all(); });
  BOOST_TEST(contains(m, "has 10000000000 (1e+10) outcomes, more than 50000000"));
  const auto m2 = refusal([&] { (void)goodwill::scenario(u, u); });
  BOOST_TEST(contains(m2, "10000000000"));
  // Sampling and point evaluation still work: u = sum 0.1 * k_i / 9.
  const auto rows = space.sample(8, 42);
  for (std::size_t r = 0; r < 8; ++r) {
    const std::span<const double> o(rows.data() + r * 10, 10);
    double want = 0.0;
    for (double k : o)
      want += 0.1 * k / 9.0;
    BOOST_TEST(u(o) == want, tt::tolerance(1e-12));
  }
  const auto ids = space.sample_ids(4, 7);
  BOOST_TEST(ids.size() == 4u);
  BOOST_TEST(u(ids[0]) == u(space.decode(ids[0])), tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_SUITE_END()
