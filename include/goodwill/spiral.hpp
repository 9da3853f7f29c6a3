// The old flat path, kept for compatibility: the header is <goodwill/relationship/spiral.hpp>.
#ifndef GOODWILL_SPIRAL_HPP
#define GOODWILL_SPIRAL_HPP
#include <goodwill/relationship/spiral.hpp>
#endif // GOODWILL_SPIRAL_HPP
