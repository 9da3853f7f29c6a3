// sBG fitting (value/btyd/sbg-inl.hpp), compiled once.
#include <goodwill/value/btyd/sbg-inl.hpp>
