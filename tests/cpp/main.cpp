// The goodwill Boost.Test executable: suites live in test_<header>.cpp.
#define BOOST_TEST_MODULE goodwill
#include <boost/test/unit_test.hpp>
