#include <goodwill/bargaining.hpp>
#include <goodwill/genius.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

BOOST_AUTO_TEST_SUITE(genius)

namespace tt = boost::test_tools;
namespace fs = std::filesystem;
namespace xml = goodwill::detail::xml;

namespace {
const fs::path data = fs::path(GOODWILL_SHARED_DATA) / "genius";

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
  if (!fs::exists(data))
    return;
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

BOOST_AUTO_TEST_CASE(laptop_profile_normalisation) {
  if (!fs::exists(data))
    return;
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

BOOST_AUTO_TEST_CASE(integer_domain_linear_evaluator) {
  if (!fs::exists(data))
    return;
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

BOOST_AUTO_TEST_SUITE_END()
