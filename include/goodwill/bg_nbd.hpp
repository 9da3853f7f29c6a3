// The old flat path, kept for compatibility: the header is <goodwill/value/btyd/bg_nbd.hpp>.
#ifndef GOODWILL_BG_NBD_HPP
#define GOODWILL_BG_NBD_HPP
#include <goodwill/value/btyd/bg_nbd.hpp>
#endif // GOODWILL_BG_NBD_HPP
