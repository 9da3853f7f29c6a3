// The old flat path, kept for compatibility: the header is
// <goodwill/negotiation/outcome_space.hpp>.
#ifndef GOODWILL_OUTCOME_SPACE_HPP
#define GOODWILL_OUTCOME_SPACE_HPP
#include <goodwill/negotiation/outcome_space.hpp>
#endif // GOODWILL_OUTCOME_SPACE_HPP
