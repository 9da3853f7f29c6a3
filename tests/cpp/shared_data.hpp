// Test helpers for the golden-value cases that read ../shared/data (the
// reference data sets kept beside the checkout, not shipped with it; see
// their README). Such a case is declared with a decorator:
//
//   BOOST_AUTO_TEST_CASE(name, GOODWILL_NEEDS_SHARED_DATA("cdnow/donations.csv"))
//
// (BOOST_TEST_DECORATOR(GOODWILL_NEEDS_SHARED_DATA(...)) before a
// BOOST_DATA_TEST_CASE). The case then carries the label `shared_data` and a
// precondition: when the file is absent Boost.Test reports the case as
// skipped, naming the missing path, instead of running it and passing with no
// assertion. ctest runs the labelled cases as one entry, `shared_data`,
// which it reports as Skipped when they are (tests/cpp/CMakeLists.txt); the
// per-suite entries leave them out.
#ifndef GOODWILL_TESTS_SHARED_DATA_HPP
#define GOODWILL_TESTS_SHARED_DATA_HPP

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <utility>

namespace goodwill_test {

/// A path under ../shared/data (GOODWILL_SHARED_DATA, set by CMake).
inline std::filesystem::path shared_data_path(const std::string &relative) {
  return std::filesystem::path(GOODWILL_SHARED_DATA) / relative;
}

/// Boost.Test precondition: the file or folder `relative` exists under
/// ../shared/data; the message names the path that is missing.
struct shared_data_present {
  std::string relative;

  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id /*unused*/) const {
    const auto path = shared_data_path(relative);
    boost::test_tools::assertion_result present(std::filesystem::exists(path));
    if (!present)
      present.message() << "reference data absent: " << path.string();
    return present;
  }
};

} // namespace goodwill_test

/// Decorators of a golden-value case reading `relative` under ../shared/data.
#define GOODWILL_NEEDS_SHARED_DATA(relative)                                                       \
  *boost::unit_test::label("shared_data") *                                                        \
      boost::unit_test::precondition(goodwill_test::shared_data_present{relative})

#endif // GOODWILL_TESTS_SHARED_DATA_HPP
