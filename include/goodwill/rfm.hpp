// The old flat path, kept for compatibility: the header is <goodwill/value/rfm.hpp>.
#ifndef GOODWILL_RFM_HPP
#define GOODWILL_RFM_HPP
#include <goodwill/value/rfm.hpp>
#endif // GOODWILL_RFM_HPP
