// goodwill — the library's version, the one source shared by CMake and Python.
//
// CMake reads the three macros below (see the top-level CMakeLists.txt) and
// scikit-build-core reads them for the wheel's metadata (pyproject.toml), so a
// release changes these lines and nothing else.
#ifndef GOODWILL_VERSION_HPP
#define GOODWILL_VERSION_HPP

#define GOODWILL_VERSION_MAJOR 0
#define GOODWILL_VERSION_MINOR 1
#define GOODWILL_VERSION_PATCH 0

#define GOODWILL_DETAIL_STR2(x) #x
#define GOODWILL_DETAIL_STR(x) GOODWILL_DETAIL_STR2(x)

/// The version as a string literal, e.g. "0.1.0".
#define GOODWILL_VERSION_STRING                                                                    \
  GOODWILL_DETAIL_STR(GOODWILL_VERSION_MAJOR)                                                      \
  "." GOODWILL_DETAIL_STR(GOODWILL_VERSION_MINOR) "." GOODWILL_DETAIL_STR(GOODWILL_VERSION_PATCH)

namespace goodwill {

/// The library's version, as major, minor and patch numbers.
struct version_info {
  int major;
  int minor;
  int patch;
};

/// The version of the headers in use.
inline constexpr version_info version{GOODWILL_VERSION_MAJOR, GOODWILL_VERSION_MINOR,
                                      GOODWILL_VERSION_PATCH};

/// The version of the headers in use, as "major.minor.patch".
inline constexpr const char *version_string = GOODWILL_VERSION_STRING;

} // namespace goodwill

#endif // GOODWILL_VERSION_HPP
