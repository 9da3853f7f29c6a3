// fit_trust and its internals (relationship/trust_fit-inl.hpp), compiled once.
#include <goodwill/relationship/trust_fit-inl.hpp>
