// Pareto/NBD fitting (value/btyd/pareto_nbd-inl.hpp), compiled once.
#include <goodwill/value/btyd/pareto_nbd-inl.hpp>
