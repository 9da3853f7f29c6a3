// goodwill._core.synthetic: the policy simulator (simulation.hpp). The Python layer
// (python/goodwill/simulation.py) names the policies, the metrics and the
// seeds; the simulation runs without the GIL (reacquired only for progress).
#include "pybind11.hpp"

#include <goodwill/synthetic/simulation.hpp>

#include <optional>
#include <string>
#include <vector>

namespace goodwill::bindings {

void register_synthetic_simulation(py::module_ &m) {
  m.attr("CUSTOMER_TYPES") = enum_tuple<customer_type>();
  m.attr("SELLER_STRATEGIES") = enum_tuple<seller_strategy>();
  m.attr("FIRING_RULES") = enum_tuple<firing_rule>();
  m.attr("SELLER_AUTHORITIES") = enum_tuple<seller_authority>();
  m.attr("SIMULATION_METRICS") = name_tuple(simulation_metrics::names);

  py::class_<seller_policy>(m, "SellerPolicy", "A seller policy of the simulator (simulation.hpp).")
      .def(py::init<>())
      .def_readwrite("name", &seller_policy::name)
      .def_property(
          "strategy", [](const seller_policy &p) { return enum_str(p.strategy); },
          [](seller_policy &p, const std::string &s) {
            p.strategy = parse_enum<seller_strategy>(s, "strategy");
          })
      .def_readwrite("floor_margin", &seller_policy::floor_margin)
      .def_readwrite("meeting_cadence_days", &seller_policy::meeting_cadence_days)
      .def_readwrite("discovery_per_year", &seller_policy::discovery_per_year)
      .def_readwrite("promises_per_year", &seller_policy::promises_per_year)
      .def_readwrite("promise_keep_rate", &seller_policy::promise_keep_rate)
      .def_property(
          "firing", [](const seller_policy &p) { return enum_str(p.firing); },
          [](seller_policy &p, const std::string &s) {
            p.firing = parse_enum<firing_rule>(s, "firing");
          })
      .def_readwrite("warm_referral_share", &seller_policy::warm_referral_share)
      .def_readwrite("lean_in_at_risk", &seller_policy::lean_in_at_risk)
      .def_readwrite("fire_thresholds", &seller_policy::fire_thresholds)
      .def_property(
          "authority", [](const seller_policy &p) { return enum_str(p.authority); },
          [](seller_policy &p, const std::string &s) {
            p.authority = parse_enum<seller_authority>(s, "authority");
          })
      .def_readwrite("escalation_threshold", &seller_policy::escalation_threshold)
      .def_readwrite("gracious_exit", &seller_policy::gracious_exit)
      .def_readwrite("exit_win_lose", &seller_policy::exit_win_lose)
      .def_readwrite("win_lose_threshold", &seller_policy::win_lose_threshold)
      .def_readwrite("win_lose_min_deals", &seller_policy::win_lose_min_deals)
      .def("validate", &seller_policy::validate);

  m.def("policy_presets", [] { return policies::presets(); });

  py::class_<simulation_params>(
      m, "SimulationParams",
      R"doc(The parameters of one simulation run (simulation_params, synthetic/simulation.hpp).

Every field and its default is defined once, in C++; goodwill.simulate
fills one from its arguments.

Examples
--------
>>> import goodwill
>>> p = goodwill._core.SimulationParams()
>>> p.customers, p.months, p.initially_active
(1000, 36, 0.6)
)doc")
      .def(py::init<>())
      .def_readwrite("customers", &simulation_params::customers,
                     "Customer slots (ledger keys first_customer ..).")
      .def_readwrite("months", &simulation_params::months, "Months simulated (1..1200).")
      .def_readwrite("seed", &simulation_params::seed, "Seed of the counter-based random numbers.")
      .def_readwrite("model", &simulation_params::model,
                     "The synthetic-customer model (a MarketModel).")
      .def_property("mix", tuple_getter(&simulation_params::mix),
                    array_setter(&simulation_params::mix),
                    "Archetype weights of the initial book, in code order.")
      .def_readwrite("initially_active", &simulation_params::initially_active,
                     "Share of the slots that are customers at month 0.")
      .def_readwrite("start_time", &simulation_params::start_time, "Day of month 0.")
      .def_readwrite("threads", &simulation_params::threads,
                     "Worker threads; the result does not depend on them.")
      .def_readwrite("record_ledger", &simulation_params::record_ledger,
                     "Keep the events (else metrics only).")
      .def_readwrite("first_customer", &simulation_params::first_customer,
                     "Key of the first slot simulated.")
      .def_readwrite("as_of", &simulation_params::as_of,
                     "When pending dormancy moves are settled (NaN: the last event time).")
      .def("validate", &simulation_params::validate);

  m.def(
      "simulate",
      [](const seller_policy &policy, const simulation_params &params,
         const relationship_model *model, const std::optional<py::function> &progress) {
        const auto report = progress_adapter<simulation_progress>(progress);
        simulation_result r;
        {
          released_gil release; // and interruptible
          r = model ? simulate(policy, params, *model, report) : simulate(policy, params, report);
        }
        std::vector<std::uint8_t> types(r.types.size());
        for (std::size_t i = 0; i < types.size(); ++i)
          types[i] = static_cast<std::uint8_t>(r.types[i]);
        py::array_t<double> metrics({static_cast<py::ssize_t>(r.metrics.months),
                                     static_cast<py::ssize_t>(simulation_metrics::count)});
        std::copy(r.metrics.values.begin(), r.metrics.values.end(), metrics.mutable_data());
        const auto n_states = static_cast<py::ssize_t>(r.metrics.state_names.size());
        py::array_t<double> states({static_cast<py::ssize_t>(r.metrics.months), n_states});
        std::copy(r.metrics.state_counts.begin(), r.metrics.state_counts.end(),
                  states.mutable_data());
        std::vector<std::uint16_t> final_states(r.states.begin(), r.states.end());
        return py::make_tuple(py::cast(std::move(r.events)), metrics, to_numpy(std::move(types)),
                              states, to_numpy(std::move(final_states)),
                              py::cast(r.metrics.state_names), r.as_of);
      },
      py::arg("policy"), py::arg("params"), py::arg("model") = nullptr,
      py::arg("progress") = py::none(),
      "Simulate a policy: (Ledger, months x metrics array, archetype codes by slot, months x "
      "state counts, final state codes by slot, state names, the as-of time of the final "
      "states).");

  m.def("t_half_width", &t_half_width, py::arg("sd"), py::arg("n"), py::arg("level") = 0.95,
        "Half-width of the Student-t confidence interval of a mean of n values.");
}

} // namespace goodwill::bindings
