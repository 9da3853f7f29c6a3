// The old flat path, kept for compatibility: the header is <goodwill/negotiation/genius.hpp>.
#ifndef GOODWILL_GENIUS_HPP
#define GOODWILL_GENIUS_HPP
#include <goodwill/negotiation/genius.hpp>
#endif // GOODWILL_GENIUS_HPP
