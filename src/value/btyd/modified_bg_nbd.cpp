// MBG/NBD fitting (value/btyd/modified_bg_nbd-inl.hpp), compiled once.
#include <goodwill/value/btyd/modified_bg_nbd-inl.hpp>
