// The old flat path, kept for compatibility: the header is <goodwill/relationship/replay.hpp>.
#ifndef GOODWILL_REPLAY_HPP
#define GOODWILL_REPLAY_HPP
#include <goodwill/relationship/replay.hpp>
#endif // GOODWILL_REPLAY_HPP
