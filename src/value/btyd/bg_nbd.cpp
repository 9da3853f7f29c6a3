// BG/NBD fitting (value/btyd/bg_nbd-inl.hpp), compiled once.
#include <goodwill/value/btyd/bg_nbd-inl.hpp>
