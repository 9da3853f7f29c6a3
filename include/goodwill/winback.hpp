// The old flat path, kept for compatibility: the header is <goodwill/relationship/winback.hpp>.
#ifndef GOODWILL_WINBACK_HPP
#define GOODWILL_WINBACK_HPP
#include <goodwill/relationship/winback.hpp>
#endif // GOODWILL_WINBACK_HPP
