# Random123 (<Random123/philox.h>) and LBFGSpp (<LBFGS.h>, <LBFGSB.h>) are
# header-only and ship no CMake package. This file finds their include
# directories and makes each an imported target that goodwill::goodwill
# links: goodwill::random123 and goodwill::lbfgspp. It is included by the
# build (CMakeLists.txt) and installed beside goodwillConfig.cmake, which
# includes it too, so a consumer needs no include path of its own wherever
# the headers live: a prefix in CMAKE_PREFIX_PATH (<prefix>/include), or the
# cache variables GOODWILL_RANDOM123_INCLUDE_DIR / GOODWILL_LBFGSPP_INCLUDE_DIR.
#
# Sets goodwill_HEADER_ONLY_DEPENDENCIES_FOUND (TRUE/FALSE) and, when one is
# missing, goodwill_HEADER_ONLY_DEPENDENCIES_MESSAGE naming it.

set(goodwill_HEADER_ONLY_DEPENDENCIES_FOUND TRUE)
set(goodwill_HEADER_ONLY_DEPENDENCIES_MESSAGE "")

find_path(GOODWILL_RANDOM123_INCLUDE_DIR Random123/philox.h
          DOC "Random123 headers (Debian: librandom123-dev)")
find_path(GOODWILL_LBFGSPP_INCLUDE_DIR LBFGS.h
          DOC "LBFGSpp headers LBFGS.h, LBFGSB.h (Debian: liblbfgspp-dev)")

foreach(_gw_dep IN ITEMS RANDOM123 LBFGSPP)
  string(TOLOWER ${_gw_dep} _gw_dep_lower)
  if(TARGET goodwill::${_gw_dep_lower})
    continue()
  endif()
  if(NOT GOODWILL_${_gw_dep}_INCLUDE_DIR)
    set(goodwill_HEADER_ONLY_DEPENDENCIES_FOUND FALSE)
    string(APPEND goodwill_HEADER_ONLY_DEPENDENCIES_MESSAGE
           " ${_gw_dep_lower} headers not found (set GOODWILL_${_gw_dep}_INCLUDE_DIR or add its"
           " prefix to CMAKE_PREFIX_PATH; Debian: lib${_gw_dep_lower}-dev).")
    continue()
  endif()
  add_library(goodwill::${_gw_dep_lower} INTERFACE IMPORTED)
  set_target_properties(goodwill::${_gw_dep_lower} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${GOODWILL_${_gw_dep}_INCLUDE_DIR}")
endforeach()
unset(_gw_dep)
unset(_gw_dep_lower)
