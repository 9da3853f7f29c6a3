// The special and distribution functions of detail/special.hpp (Boost.Math),
// compiled once.
#include <goodwill/detail/special-inl.hpp>
