// The old flat path, kept for compatibility: the header is <goodwill/value/profitability.hpp>.
#ifndef GOODWILL_PROFITABILITY_HPP
#define GOODWILL_PROFITABILITY_HPP
#include <goodwill/value/profitability.hpp>
#endif // GOODWILL_PROFITABILITY_HPP
