// The old flat path, kept for compatibility: the header is <goodwill/value/btyd/pareto_nbd.hpp>.
#ifndef GOODWILL_PARETO_NBD_HPP
#define GOODWILL_PARETO_NBD_HPP
#include <goodwill/value/btyd/pareto_nbd.hpp>
#endif // GOODWILL_PARETO_NBD_HPP
