// goodwill — how the library is built: compiled (the default) or header-only.
//
// Design (after fmt's FMT_HEADER_ONLY):
// - By default goodwill is a compiled library (CMake target
//   goodwill::goodwill, built from src/). The heavy numerical code — the
//   BTYD fitters, the covariate fits, the trust fit, the Markov-chain
//   algebra — is declared in the public headers and defined in
//   implementation headers `<x>-inl.hpp` next to them, which src/<domain>/
//   <x>.cpp compiles once. An includer then parses and instantiates none of
//   it: no public header includes Boost.Math (special functions and
//   distributions go through detail/special.hpp, compiled in
//   src/detail/special.cpp), LBFGSpp or nlohmann/json.hpp (json_fwd.hpp
//   only), nor Eigen's eigen solvers where the public types do not need them.
// - With GOODWILL_HEADER_ONLY defined (target goodwill::goodwill-header-only,
//   or -DGOODWILL_HEADER_ONLY on a hand-written command line) each public
//   header includes its implementation header itself and the functions are
//   `inline` (GOODWILL_FUNC): nothing to link. Every translation unit of one
//   program must agree: mixing the two modes breaks the one-definition rule.
#ifndef GOODWILL_DETAIL_CONFIG_HPP
#define GOODWILL_DETAIL_CONFIG_HPP

#ifdef GOODWILL_HEADER_ONLY
#define GOODWILL_FUNC inline
#else
#define GOODWILL_FUNC
#endif

#endif
