// The old flat path, kept for compatibility: the header is <goodwill/negotiation/bargaining.hpp>.
#ifndef GOODWILL_BARGAINING_HPP
#define GOODWILL_BARGAINING_HPP
#include <goodwill/negotiation/bargaining.hpp>
#endif // GOODWILL_BARGAINING_HPP
