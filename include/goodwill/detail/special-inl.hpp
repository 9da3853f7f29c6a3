// goodwill — the special and distribution functions declared in
// detail/special.hpp, with Boost.Math. Compiled once in
// src/detail/special.cpp, or included by detail/special.hpp under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_DETAIL_SPECIAL_INL_HPP
#define GOODWILL_DETAIL_SPECIAL_INL_HPP

#include <goodwill/detail/special.hpp>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <utility>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill::detail {

/// Boost.Math in double precision (no promotion to long double: 5–10× faster).
using fast_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

GOODWILL_FUNC double lgam(double x) {
  return boost::math::lgamma(x, fast_policy());
}
GOODWILL_FUNC double digam(double x) {
  return boost::math::digamma(x, fast_policy());
}
GOODWILL_FUNC double trigam(double x) {
  return boost::math::trigamma(x, fast_policy());
}
GOODWILL_FUNC std::pair<double, int> lgam_signed(double x) {
  int sign = 1;
  const double l = boost::math::lgamma(x, &sign, fast_policy());
  return {l, sign};
}
GOODWILL_FUNC double ibeta(double a, double b, double x) {
  return boost::math::ibeta(a, b, x, fast_policy());
}
GOODWILL_FUNC double normal_quantile(double p) {
  return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}
GOODWILL_FUNC double chi_squared_upper_tail(double dof, double x) {
  return boost::math::cdf(
      boost::math::complement(boost::math::chi_squared_distribution<double>(dof), x));
}
GOODWILL_FUNC double students_t_quantile(double dof, double p) {
  return boost::math::quantile(boost::math::students_t_distribution<double>(dof), p);
}
GOODWILL_FUNC double students_t_upper_tail(double dof, double t) {
  return boost::math::cdf(
      boost::math::complement(boost::math::students_t_distribution<double>(dof), t));
}

} // namespace goodwill::detail
// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_DETAIL_SPECIAL_INL_HPP
