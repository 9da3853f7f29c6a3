// goodwill._core: the compiled half of the Python package.
#include "pybind11.hpp"

#include <goodwill/version.hpp>

PYBIND11_MODULE(_core, m) {
  m.doc() = "goodwill's C++ core; use the goodwill package, not this module.";
  m.attr("__version__") = goodwill::version_string;
  using namespace goodwill::bindings;
  register_error(m);
  register_event(m);
  register_ledger(m);
  register_spiral(m);
  register_evidence(m);
  register_relationship(m);
  register_health(m);
  register_market(m);
  register_negotiation(m);
  register_negotiation_elicitation(m);
  register_value(m);
  register_btyd(m);
  register_decision(m);
  register_simulation(m);
}
