// The old flat path, kept for compatibility: the header is <goodwill/synthetic/market.hpp>.
#ifndef GOODWILL_MARKET_HPP
#define GOODWILL_MARKET_HPP
#include <goodwill/synthetic/market.hpp>
#endif // GOODWILL_MARKET_HPP
