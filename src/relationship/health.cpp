// Account health and rep scorecards (relationship/health-inl.hpp), compiled once.
#include <goodwill/relationship/health-inl.hpp>
