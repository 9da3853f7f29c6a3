// The old flat path, kept for compatibility: the header is <goodwill/value/markov_chain.hpp>.
#ifndef GOODWILL_MARKOV_CHAIN_HPP
#define GOODWILL_MARKOV_CHAIN_HPP
#include <goodwill/value/markov_chain.hpp>
#endif // GOODWILL_MARKOV_CHAIN_HPP
