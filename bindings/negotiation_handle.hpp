// goodwill bindings — the strategy handle shared by the negotiation
// registration files (register_negotiation.cpp, register_negotiation_elicitation.cpp).
#ifndef GOODWILL_BINDINGS_NEGOTIATION_HANDLE_HPP
#define GOODWILL_BINDINGS_NEGOTIATION_HANDLE_HPP

#include <goodwill/negotiation/negotiator.hpp>

#include <memory>

namespace goodwill::bindings {

/// A strategy handle for Python: owns a prototype, cloned for each session.
struct strategy_handle {
  std::shared_ptr<negotiator> proto;
  bool python = false;
};

} // namespace goodwill::bindings

#endif // GOODWILL_BINDINGS_NEGOTIATION_HANDLE_HPP
