// The old flat path, kept for compatibility: the header is <goodwill/value/btyd/bg_bb.hpp>.
#ifndef GOODWILL_BG_BB_HPP
#define GOODWILL_BG_BB_HPP
#include <goodwill/value/btyd/bg_bb.hpp>
#endif // GOODWILL_BG_BB_HPP
