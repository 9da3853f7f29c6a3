// goodwill._core: the compiled half of the Python package.
//
// Laid out as include/goodwill is (after boost-histogram's _core): the
// top-level types (Event vocabularies, Ledger, the errors, the version, the
// interrupt hook) on _core itself, and one submodule per folder —
// _core.relationship, _core.negotiation, _core.value (with value/btyd),
// _core.synthetic, _core.decision — each filled by that folder's
// register_<folder>*.cpp.
#include "pybind11.hpp"

#include <goodwill/version.hpp>

namespace {

/// A submodule of _core, registered in sys.modules under its full name
/// (goodwill._core.<name>) so that `import goodwill._core.<name>` works.
py::module_ submodule(py::module_ &core, const char *name, const char *doc) {
  auto sub = core.def_submodule(name, doc);
  py::module_::import("sys").attr("modules")[sub.attr("__name__")] = sub;
  return sub;
}

} // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "goodwill's C++ core; use the goodwill package, not this module.";
  m.attr("__version__") = goodwill::version_string;
  using namespace goodwill::bindings;
  register_error(m);
  register_event(m);
  register_ledger(m);

  auto relationship = submodule(m, "relationship",
                                "Trust, relationship models and replay, spiral, evidence, health "
                                "and win-back (include/goodwill/relationship).");
  register_relationship(relationship);
  register_relationship_spiral(relationship);
  register_relationship_evidence(relationship);
  register_relationship_health(relationship);
  register_relationship_winback(relationship);

  auto negotiation =
      submodule(m, "negotiation",
                "Outcome spaces, utilities, bargaining, sessions, strategies, "
                "batches, multilateral and elicitation (include/goodwill/negotiation).");
  register_negotiation(negotiation);
  register_negotiation_elicitation(negotiation);

  auto value = submodule(m, "value",
                         "Profitability, Markov chains and the buy-till-you-die models "
                         "(include/goodwill/value and value/btyd).");
  register_value(value);
  register_value_btyd(value);

  auto synthetic = submodule(m, "synthetic",
                             "The synthetic market, its calibration and the policy simulator "
                             "(include/goodwill/synthetic).");
  register_synthetic_market(synthetic);
  register_synthetic_simulation(synthetic);

  auto decision = submodule(m, "decision", "Deal and customer decisions (decision.hpp).");
  register_decision(decision);
}
