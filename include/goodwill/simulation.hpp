// The old flat path, kept for compatibility: the header is <goodwill/synthetic/simulation.hpp>.
#ifndef GOODWILL_SIMULATION_HPP
#define GOODWILL_SIMULATION_HPP
#include <goodwill/synthetic/simulation.hpp>
#endif // GOODWILL_SIMULATION_HPP
