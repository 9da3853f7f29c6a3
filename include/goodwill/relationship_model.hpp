// The old flat path, kept for compatibility: the header is
// <goodwill/relationship/relationship_model.hpp>.
#ifndef GOODWILL_RELATIONSHIP_MODEL_HPP
#define GOODWILL_RELATIONSHIP_MODEL_HPP
#include <goodwill/relationship/relationship_model.hpp>
#endif // GOODWILL_RELATIONSHIP_MODEL_HPP
