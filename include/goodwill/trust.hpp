// The old flat path, kept for compatibility: the header is <goodwill/relationship/trust.hpp>.
#ifndef GOODWILL_TRUST_HPP
#define GOODWILL_TRUST_HPP
#include <goodwill/relationship/trust.hpp>
#endif // GOODWILL_TRUST_HPP
