// The old flat path, kept for compatibility: the header is <goodwill/value/btyd/gamma_gamma.hpp>.
#ifndef GOODWILL_GAMMA_GAMMA_HPP
#define GOODWILL_GAMMA_GAMMA_HPP
#include <goodwill/value/btyd/gamma_gamma.hpp>
#endif // GOODWILL_GAMMA_GAMMA_HPP
