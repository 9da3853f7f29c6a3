// The Boost.Test label `slow`: a case that takes 1-15 seconds in the plain
// build (RelWithDebInfo on the 2-core CI machine) because its point is a
// statistical property on a large sample (recovery of known parameters,
// interval coverage, a fit check rejecting a wrong model, the label check on
// a one-archetype book) or an exact Hessian by quadrature. Declared with
//
//   BOOST_AUTO_TEST_CASE(name, *GOODWILL_SLOW)
//
// The plain build runs it with every other case. The ASan+UBSan build of
// make test-sanitize (-O0, 20-30 times slower: 10.8 s of calibrate cases took
// 290 s there) leaves it out (tests/cpp/CMakeLists.txt): the sanitizers find
// memory and undefined-behaviour errors on a code path, not in the size of a
// sample, and each suite keeps small cases on its paths (calibrate: the
// full-evidence corrections in thread_count_invariant and
// small_groups_keep_their_start_rates; the deals-only corrections and the
// label check run only in the plain build). Measured before the label: calibrate 505 s and
// covariates 312 s of the sanitizer stage's 10 minutes of tests.
#ifndef GOODWILL_TESTS_SLOW_HPP
#define GOODWILL_TESTS_SLOW_HPP

#include <boost/test/unit_test.hpp>

#define GOODWILL_SLOW boost::unit_test::label("slow")

#endif // GOODWILL_TESTS_SLOW_HPP
