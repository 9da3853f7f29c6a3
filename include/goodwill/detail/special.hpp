// goodwill — detail: the special functions and distribution functions the
// public headers use (log-gamma, digamma, trigamma, the regularised
// incomplete beta, and the normal, χ² and Student-t quantiles and tails),
// declared here and defined with Boost.Math in detail/special-inl.hpp.
//
// Design (issue 16 point 6): Boost.Math is an implementation detail, as fmt
// keeps its formatting engine out of its headers. Including Boost.Math's
// special functions and distributions costs about a second of parsing and
// instantiation in every includer (benchmarks/RESULTS.md); these wrappers
// are compiled once in src/detail/special.cpp, or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp). Each wrapper calls Boost.Math
// with the policy its callers used before, so the results are the same bit
// for bit: the gamma-family functions and ibeta in double precision
// (promote_double<false>: 5–10× faster, the BTYD likelihoods' policy), the
// distribution functions with Boost's default policy (long double inside).
// Errors are Boost's (std::domain_error and friends), as before.
#ifndef GOODWILL_DETAIL_SPECIAL_HPP
#define GOODWILL_DETAIL_SPECIAL_HPP

#include <goodwill/detail/config.hpp>

#include <utility>

namespace goodwill::detail {

/// ln|Γ(x)| (Boost.Math, double precision throughout).
[[nodiscard]] GOODWILL_FUNC double lgam(double x);
/// ψ(x), the digamma function (Boost.Math, double precision).
[[nodiscard]] GOODWILL_FUNC double digam(double x);
/// ψ'(x), the trigamma function (Boost.Math, double precision).
[[nodiscard]] GOODWILL_FUNC double trigam(double x);
/// ln|Γ(x)| and the sign of Γ(x) (Boost.Math's lgamma with its sign output;
/// no pole check: see log_gamma_signed in detail/btyd.hpp).
[[nodiscard]] GOODWILL_FUNC std::pair<double, int> lgam_signed(double x);
/// The regularised incomplete beta function I_x(a, b) (Boost.Math's ibeta,
/// double precision).
[[nodiscard]] GOODWILL_FUNC double ibeta(double a, double b, double x);
/// The standard normal quantile Φ⁻¹(p) (Boost.Math, default policy).
[[nodiscard]] GOODWILL_FUNC double normal_quantile(double p);
/// P(X > x) for X ~ χ² with `dof` degrees of freedom (Boost.Math's
/// complement cdf, default policy).
[[nodiscard]] GOODWILL_FUNC double chi_squared_upper_tail(double dof, double x);
/// The quantile t_p of Student's t with `dof` degrees of freedom
/// (Boost.Math, default policy).
[[nodiscard]] GOODWILL_FUNC double students_t_quantile(double dof, double p);
/// P(T > t) for T ~ Student's t with `dof` degrees of freedom (Boost.Math's
/// complement cdf, default policy).
[[nodiscard]] GOODWILL_FUNC double students_t_upper_tail(double dof, double t);

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
[[nodiscard]] inline double lbeta(double a, double b) {
  return lgam(a) + lgam(b) - lgam(a + b);
}

} // namespace goodwill::detail

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/detail/special-inl.hpp>
#endif

#endif // GOODWILL_DETAIL_SPECIAL_HPP
