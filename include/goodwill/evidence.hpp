// The old flat path, kept for compatibility: the header is <goodwill/relationship/evidence.hpp>.
#ifndef GOODWILL_EVIDENCE_HPP
#define GOODWILL_EVIDENCE_HPP
#include <goodwill/relationship/evidence.hpp>
#endif // GOODWILL_EVIDENCE_HPP
