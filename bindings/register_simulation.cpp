// goodwill._core: the policy simulator (simulation.hpp). The Python layer
// (python/goodwill/simulation.py) names the policies, the metrics and the
// seeds; the simulation runs without the GIL (reacquired only for progress).
#include "pybind11.hpp"

#include <goodwill/synthetic/simulation.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace goodwill::bindings {

namespace {
template <class E, std::size_t N>
E enum_from(const std::array<std::string_view, N> &names, const std::string &s, const char *field) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s)
      return static_cast<E>(i);
  std::string all;
  for (auto n : names)
    all += (all.empty() ? "" : ", ") + std::string(n);
  throw invalid_input(field, "must be one of " + all + ", got '" + s + "'");
}
template <std::size_t N> py::tuple name_tuple(const std::array<std::string_view, N> &names) {
  py::tuple t(N);
  for (std::size_t i = 0; i < N; ++i)
    t[i] = py::str(std::string(names[i]));
  return t;
}
} // namespace

void register_simulation(py::module_ &m) {
  m.attr("CUSTOMER_TYPES") = name_tuple(customer_type_names);
  m.attr("SELLER_STRATEGIES") = name_tuple(seller_strategy_names);
  m.attr("FIRING_RULES") = name_tuple(firing_rule_names);
  m.attr("SELLER_AUTHORITIES") = name_tuple(seller_authority_names);
  m.attr("SIMULATION_METRICS") = name_tuple(simulation_metrics::names);

  py::class_<seller_policy>(m, "SellerPolicy", "A seller policy of the simulator (simulation.hpp).")
      .def(py::init<>())
      .def_readwrite("name", &seller_policy::name)
      .def_property(
          "strategy",
          [](const seller_policy &p) {
            return std::string(seller_strategy_names[static_cast<std::size_t>(p.strategy)]);
          },
          [](seller_policy &p, const std::string &s) {
            p.strategy = enum_from<seller_strategy>(seller_strategy_names, s, "strategy");
          })
      .def_readwrite("floor_margin", &seller_policy::floor_margin)
      .def_readwrite("meeting_cadence_days", &seller_policy::meeting_cadence_days)
      .def_readwrite("discovery_per_year", &seller_policy::discovery_per_year)
      .def_readwrite("promises_per_year", &seller_policy::promises_per_year)
      .def_readwrite("promise_keep_rate", &seller_policy::promise_keep_rate)
      .def_property(
          "firing",
          [](const seller_policy &p) {
            return std::string(firing_rule_names[static_cast<std::size_t>(p.firing)]);
          },
          [](seller_policy &p, const std::string &s) {
            p.firing = enum_from<firing_rule>(firing_rule_names, s, "firing");
          })
      .def_readwrite("warm_referral_share", &seller_policy::warm_referral_share)
      .def_readwrite("lean_in_at_risk", &seller_policy::lean_in_at_risk)
      .def_readwrite("fire_thresholds", &seller_policy::fire_thresholds)
      .def_property(
          "authority",
          [](const seller_policy &p) {
            return std::string(seller_authority_names[static_cast<std::size_t>(p.authority)]);
          },
          [](seller_policy &p, const std::string &s) {
            p.authority = enum_from<seller_authority>(seller_authority_names, s, "authority");
          })
      .def_readwrite("escalation_threshold", &seller_policy::escalation_threshold)
      .def_readwrite("gracious_exit", &seller_policy::gracious_exit)
      .def_readwrite("exit_win_lose", &seller_policy::exit_win_lose)
      .def_readwrite("win_lose_threshold", &seller_policy::win_lose_threshold)
      .def_readwrite("win_lose_min_deals", &seller_policy::win_lose_min_deals)
      .def("validate", &seller_policy::validate);

  m.def("policy_presets", [] { return policies::presets(); });

  m.def(
      "simulate",
      [](const seller_policy &policy, std::uint32_t customers, std::uint32_t months,
         std::uint64_t seed, const std::array<double, customer_type_count> &mix,
         double initially_active, double start_time, unsigned threads, bool record_ledger,
         const std::optional<py::function> &progress, std::uint32_t first_customer,
         const relationship_model *model, double as_of, const market_model *market) {
        simulation_params p;
        if (market)
          p.model = *market;
        p.as_of = as_of;
        p.first_customer = first_customer;
        p.customers = customers;
        p.months = months;
        p.seed = seed;
        p.mix = mix;
        p.initially_active = initially_active;
        p.start_time = start_time;
        p.threads = threads;
        p.record_ledger = record_ledger;
        simulation_progress report;
        if (progress && !progress->is_none())
          report = [&progress](std::size_t done, std::size_t total) {
            py::gil_scoped_acquire acquire;
            (*progress)(done, total);
          };
        simulation_result r;
        {
          released_gil release; // and interruptible
          r = model ? simulate(policy, p, *model, report) : simulate(policy, p, report);
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
      py::arg("policy"), py::arg("customers"), py::arg("months"), py::arg("seed"), py::arg("mix"),
      py::arg("initially_active") = 0.6, py::arg("start_time") = 0.0, py::arg("threads") = 1,
      py::arg("record_ledger") = true, py::arg("progress") = py::none(),
      py::arg("first_customer") = 0u, py::arg("model") = nullptr,
      py::arg("as_of") = std::numeric_limits<double>::quiet_NaN(), py::arg("market") = nullptr,
      "Simulate a policy: (Ledger, months x metrics array, archetype codes by slot, months x "
      "state counts, final state codes by slot, state names, the as-of time of the final "
      "states).");

  m.def("t_half_width", &t_half_width, py::arg("sd"), py::arg("n"), py::arg("level") = 0.95,
        "Half-width of the Student-t confidence interval of a mean of n values.");
}

} // namespace goodwill::bindings
