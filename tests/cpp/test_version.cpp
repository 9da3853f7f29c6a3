#include <goodwill/version.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

BOOST_AUTO_TEST_SUITE(version)

BOOST_AUTO_TEST_CASE(string_matches_numbers) {
  const std::string expected = std::to_string(goodwill::version.major) + "." +
                               std::to_string(goodwill::version.minor) + "." +
                               std::to_string(goodwill::version.patch);
  BOOST_TEST(std::string(goodwill::version_string) == expected);
}

BOOST_AUTO_TEST_SUITE_END()
