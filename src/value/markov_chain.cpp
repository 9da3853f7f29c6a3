// The Markov-chain algebra (value/markov_chain-inl.hpp), compiled once.
#include <goodwill/value/markov_chain-inl.hpp>
