// Gamma-Gamma fitting (value/btyd/gamma_gamma-inl.hpp), compiled once.
#include <goodwill/value/btyd/gamma_gamma-inl.hpp>
