// The Boost.Test label `statistical`: a case whose point is a statistical
// property (recovery of known parameters, interval coverage, a fit check
// rejecting a wrong model) on a sample large enough for it, so that it runs
// for seconds where the others take milliseconds. Declared with
//
//   BOOST_AUTO_TEST_CASE(name, *GOODWILL_STATISTICAL)
//
// The plain build runs it with every other case. The ASan+UBSan build of
// make test-sanitize (-O0, 10-20 times slower) leaves it out
// (tests/cpp/CMakeLists.txt): the code paths such a case reaches are the
// ones its suite's small cases reach, and the sanitizers find memory and
// undefined-behaviour errors on a path, not in the size of a sample. Measured
// on the 2-core CI machine: the calibrate suite took 505 s and covariates
// 312 s under the sanitizers, most of the stage's 10 minutes.
#ifndef GOODWILL_TESTS_STATISTICAL_HPP
#define GOODWILL_TESTS_STATISTICAL_HPP

#include <boost/test/unit_test.hpp>

#define GOODWILL_STATISTICAL boost::unit_test::label("statistical")

#endif // GOODWILL_TESTS_STATISTICAL_HPP
