// The old flat path, kept for compatibility: the header is <goodwill/negotiation/preferences.hpp>.
#ifndef GOODWILL_PREFERENCES_HPP
#define GOODWILL_PREFERENCES_HPP
#include <goodwill/negotiation/preferences.hpp>
#endif // GOODWILL_PREFERENCES_HPP
