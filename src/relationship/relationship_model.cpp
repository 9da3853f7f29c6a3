// relationship_model: JSON and compilation (relationship/relationship_model-inl.hpp), compiled
// once.
#include <goodwill/relationship/relationship_model-inl.hpp>
