// The Boost.Test label `slow`: a case that takes 1-15 seconds in the plain
// build (RelWithDebInfo on the 2-core CI machine) because its point is a
// statistical property on a large sample (recovery of known parameters,
// interval coverage, a fit check rejecting a wrong model, the label check on
// a one-archetype book) or an exact Hessian by quadrature. Declared with
//
//   BOOST_AUTO_TEST_CASE(name, *GOODWILL_SLOW)
//
// Every ctest entry runs it, in the plain build and in make test-cpp's
// ASan+UBSan build at -O1 (2026-12-03: the slow cases took 152 s there on one
// core, the rest of the suite 35 s on two; at -O0 they had taken 20-30 times
// their plain time, 10.8 s of calibrate cases 290 s, and were left out). The
// label lets a developer leave them out of a quick run:
//
//   goodwill_tests --run_test='!@slow'
#ifndef GOODWILL_TESTS_SLOW_HPP
#define GOODWILL_TESTS_SLOW_HPP

#include <boost/test/unit_test.hpp>

#define GOODWILL_SLOW boost::unit_test::label("slow")

#endif // GOODWILL_TESTS_SLOW_HPP
