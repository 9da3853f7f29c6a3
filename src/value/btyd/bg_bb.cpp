// BG/BB fitting (value/btyd/bg_bb-inl.hpp), compiled once.
#include <goodwill/value/btyd/bg_bb-inl.hpp>
