// goodwill._core.synthetic.generate_market: the synthetic market generator; and
// _calibrate_market, its calibration to a ledger (synthetic/calibrate.hpp).
//
// The Python function goodwill.synthetic_market (python/goodwill/market.py)
// checks and converts its arguments, then calls _generate_market here; the
// generation runs without the GIL (reacquired only to report progress).
#include "pybind11.hpp"

#include <goodwill/synthetic/calibrate.hpp>
#include <goodwill/synthetic/market.hpp>

#include <array>
#include <string>
#include <vector>

namespace goodwill::bindings {

void register_synthetic_market(py::module_ &m) {
  m.attr("ARCHETYPES") = enum_tuple<archetype>();
  m.attr("MECHANISMS") = name_tuple(mechanism_names);
  {
    py::tuple mf(model_fields.size());
    for (std::size_t i = 0; i < model_fields.size(); ++i)
      mf[i] = py::str(std::string(model_fields[i].first));
    m.attr("MODEL_FIELDS") = mf;
  }

  // The shared synthetic-customer model (synthetic/archetypes.hpp).
  auto archetype_index = [](const std::string &name) {
    const auto a = archetype_from_string(name);
    if (!a)
      throw invalid_input("archetype", "unknown archetype '" + name + "'");
    return static_cast<std::size_t>(*a);
  };
  auto field_of = [](const std::string &field) {
    for (const auto &[n, ptr] : archetype_fields)
      if (n == field)
        return ptr;
    throw invalid_input("field", "unknown archetype field '" + field + "'");
  };
  auto model_field = [](const std::string &field) {
    for (const auto &[n, ptr] : model_fields)
      if (n == field)
        return ptr;
    throw invalid_input("field", "unknown model parameter '" + field + "'");
  };
  auto channel = [](market_model &mm, const std::string &name) -> lead_channel & {
    if (name == "warm")
      return mm.warm;
    if (name == "cold")
      return mm.cold;
    throw invalid_input("channel", "must be 'warm' or 'cold', got '" + name + "'");
  };
  py::class_<market_model>(
      m, "MarketModel", R"doc(The synthetic-customer model shared by synthetic_market and simulate.

Its fields and defaults are defined once, in C++ (include/goodwill/market.hpp
and include/goodwill/synthetic/archetypes.hpp): the archetype mix and table,
the scalar parameters (get / set), the lead channels (channel /
set_channel) and the mechanism switches (mechanism / set_mechanism).

Parameters
----------
None
    ``MarketModel()`` (or :func:`goodwill.market_model`) gives the
    defaults; :func:`goodwill.calibrate_market` gives one fitted to a ledger.

Examples
--------
>>> import goodwill
>>> m = goodwill.market_model()
>>> round(sum(m.mix), 6)
1.0
>>> m.set_mechanism("rival_losses", False)
>>> m.mechanism("rival_losses"), goodwill.market_model().mechanism("rival_losses")
(False, True)
)doc")
      .def(py::init<>())
      .def("copy", [](const market_model &mm) { return mm; })
      .def_property("mix", tuple_getter(&market_model::mix), array_setter(&market_model::mix))
      .def(
          "archetype_table",
          [](const market_model &mm) {
            py::dict out;
            for (const auto &[n, ptr] : archetype_fields) {
              py::list col;
              for (const auto &a : mm.archetypes)
                col.append(a.*ptr);
              out[py::str(std::string(n))] = col;
            }
            py::list red;
            for (const auto &a : mm.archetypes)
              red.append(a.prefers_reduced_scope);
            out["prefers_reduced_scope"] = red;
            return out;
          },
          "Field name -> the archetypes' values, in code order.")
      .def(
          "set_archetype",
          [=](market_model &mm, const std::string &name, const std::string &field, double v) {
            auto &a = mm.archetypes[archetype_index(name)];
            if (field == "prefers_reduced_scope")
              a.prefers_reduced_scope = v != 0.0;
            else
              a.*field_of(field) = v;
          },
          py::arg("archetype"), py::arg("field"), py::arg("value"))
      .def("get", [=](const market_model &mm, const std::string &f) { return mm.*model_field(f); })
      .def("set", [=](market_model &mm, const std::string &f, double v) { mm.*model_field(f) = v; })
      .def("mechanism",
           [](market_model &mm, const std::string &n) { return mechanism_switch(mm.on, n); })
      .def("set_mechanism",
           [](market_model &mm, const std::string &n, bool v) { mechanism_switch(mm.on, n) = v; })
      .def("channel",
           [=](market_model &mm, const std::string &name) {
             const auto &c = channel(mm, name);
             py::dict d;
             d["conversion_per_month"] = c.conversion_per_month;
             d["cost_per_month"] = c.cost_per_month;
             d["mix"] = c.mix;
             return d;
           })
      .def("set_channel",
           [=](market_model &mm, const std::string &name, const std::string &field, double v) {
             auto &c = channel(mm, name);
             if (field == "conversion_per_month")
               c.conversion_per_month = v;
             else if (field == "cost_per_month")
               c.cost_per_month = v;
             else
               throw invalid_input("field", "unknown channel field '" + field + "'");
           })
      .def("validate", &market_model::validate);

  py::class_<goodwill::market_params>(
      m, "MarketParams",
      R"doc(The parameters of a synthetic market (market_params, synthetic/market.hpp).

Every field and its default is defined once, in C++; goodwill.synthetic_market
fills one from its arguments.

Examples
--------
>>> import goodwill
>>> p = goodwill._core.synthetic.MarketParams()
>>> p.customers, p.horizon_days
(1000, 1095.0)
)doc")
      .def(py::init<>())
      .def_readwrite("customers", &goodwill::market_params::customers,
                     "Number of customers (keys first_customer ..).")
      .def_readwrite("horizon_days", &goodwill::market_params::horizon_days,
                     "Length of the period in days (> 0).")
      .def_readwrite("seed", &goodwill::market_params::seed,
                     "The seed: same seed and parameters, same market, on any thread count.")
      .def_readwrite("model", &goodwill::market_params::model,
                     "The synthetic-customer model (a MarketModel).")
      .def_property("mix", tuple_getter(&goodwill::market_params::mix),
                    array_setter(&goodwill::market_params::mix),
                    "Weights of the archetypes in code order (need not sum to 1).")
      .def_readwrite("start_time", &goodwill::market_params::start_time,
                     "Time of the start of the period, in days.")
      .def_readwrite("threads", &goodwill::market_params::threads,
                     "Worker threads; the result does not depend on them.")
      .def_readwrite("first_customer", &goodwill::market_params::first_customer,
                     "Key of the first customer generated.")
      .def("validate", &goodwill::market_params::validate);

  m.def(
      "_generate_market",
      [](const goodwill::market_params &params, const std::optional<py::function> &progress) {
        const auto report = progress_adapter<goodwill::market_progress>(progress);
        goodwill::market result;
        {
          released_gil release; // and interruptible
          result = goodwill::generate_market(params, report);
        }
        std::vector<std::uint8_t> kinds(result.archetypes.size());
        for (std::size_t i = 0; i < kinds.size(); ++i)
          kinds[i] = static_cast<std::uint8_t>(result.archetypes[i]);
        return py::make_tuple(py::cast(std::move(result.events)), to_numpy(std::move(kinds)));
      },
      py::arg("params"), py::arg("progress") = py::none(),
      "Generate a synthetic market: (Ledger, archetype codes by customer).");

  py::class_<calibration_options>(m, "CalibrationOptions",
                                  "Options of calibrate_market (synthetic/calibrate.hpp).")
      .def(py::init<>())
      .def_readwrite("iterations", &calibration_options::iterations)
      .def_readwrite("tolerance", &calibration_options::tolerance)
      .def_readwrite("patience", &calibration_options::patience)
      .def_readwrite("polish", &calibration_options::polish)
      .def_readwrite("bootstrap", &calibration_options::bootstrap)
      .def_readwrite("level", &calibration_options::level)
      .def_readwrite("max_half_width", &calibration_options::max_half_width)
      .def_readwrite("simulation_factor", &calibration_options::simulation_factor)
      .def_readwrite("seed", &calibration_options::seed)
      .def_readwrite("threads", &calibration_options::threads)
      .def_readwrite("em_iterations", &calibration_options::em_iterations)
      .def_readwrite("em_tolerance", &calibration_options::em_tolerance)
      .def_readwrite("min_customers", &calibration_options::min_customers)
      .def_readwrite("horizon_days", &calibration_options::horizon_days)
      .def_readwrite("start", &calibration_options::start)
      .def("validate", &calibration_options::validate);
  m.attr("CALIBRATED_FIELDS") = name_tuple(calibrated_fields);
  // The result and its parts as bound structs (fields read where C++
  // defines them; std::array fields arrive as lists, one per archetype).
  py::class_<auxiliary_fit>(m, "AuxiliaryFit",
                            "The moment-level mixture fit of a ledger (auxiliary_fit).")
      .def_readonly("mix", &auxiliary_fit::mix)
      .def_readonly("customers", &auxiliary_fit::customers)
      .def_readonly("deals_per_year", &auxiliary_fit::deals_per_year)
      .def_readonly("win_rate", &auxiliary_fit::win_rate)
      .def_readonly("realisation", &auxiliary_fit::realisation)
      .def_readonly("churn_per_year", &auxiliary_fit::churn_per_year)
      .def_readonly("return_rate", &auxiliary_fit::return_rate)
      .def_readonly("log_size", &auxiliary_fit::log_size)
      .def_readonly("size_sd", &auxiliary_fit::size_sd)
      .def_readonly("quote_rate", &auxiliary_fit::quote_rate)
      .def_readonly("purchases_per_year", &auxiliary_fit::purchases_per_year)
      .def_readonly("meetings_per_year", &auxiliary_fit::meetings_per_year)
      .def_readonly("other_per_year", &auxiliary_fit::other_per_year)
      .def_readonly("log_likelihood", &auxiliary_fit::log_likelihood)
      .def_readonly("separation", &auxiliary_fit::separation)
      .def_readonly("iterations", &auxiliary_fit::iterations)
      .def_readonly("n", &auxiliary_fit::n);
  py::class_<calibration_moment>(m, "CalibrationMoment",
                                 "One fitted moment, observed against simulated.")
      .def_readonly("name", &calibration_moment::name)
      .def_readonly("observed", &calibration_moment::observed)
      .def_readonly("observed_se", &calibration_moment::observed_se)
      .def_readonly("simulated", &calibration_moment::simulated)
      .def_readonly("simulated_se", &calibration_moment::simulated_se)
      .def_readonly("z", &calibration_moment::z)
      .def_readonly("fitted", &calibration_moment::fitted);
  py::class_<calibration_result>(m, "CalibrationResult",
                                 "What calibrate_market returns (calibration_result).")
      .def_readonly("model", &calibration_result::model)
      .def_readonly("start", &calibration_result::start)
      .def_readonly("observed", &calibration_result::observed)
      .def_readonly("simulated", &calibration_result::simulated)
      .def_readonly("identified", &calibration_result::identified)
      .def_readonly("moments", &calibration_result::moments)
      .def_readonly("chi_square", &calibration_result::chi_square)
      .def_readonly("p_value", &calibration_result::p_value)
      .def_readonly("chi_square_weights", &calibration_result::chi_square_weights)
      .def_readonly("iterations", &calibration_result::iterations)
      .def_readonly("max_change", &calibration_result::max_change)
      .def_readonly("stop_reason", &calibration_result::stop_reason)
      .def_readonly("gap", &calibration_result::gap)
      .def_readonly("best_iteration", &calibration_result::best_iteration)
      .def_readonly("restarted", &calibration_result::restarted)
      .def_readonly("first_run_gap", &calibration_result::first_run_gap)
      .def_readonly("polish_steps", &calibration_result::polish_steps)
      .def_readonly("corrections_gap", &calibration_result::corrections_gap)
      .def_readonly("se", &calibration_result::se)
      .def_readonly("lower", &calibration_result::lower)
      .def_readonly("upper", &calibration_result::upper)
      .def_readonly("fitted", &calibration_result::fitted)
      .def_readonly("field_identified", &calibration_result::field_identified)
      .def_readonly("slope", &calibration_result::slope)
      .def_readonly("label_identified", &calibration_result::label_identified)
      .def_readonly("label_z", &calibration_result::label_z)
      .def_readonly("identification", &calibration_result::identification)
      .def_readonly("mix_se", &calibration_result::mix_se)
      .def_readonly("mix_lower", &calibration_result::mix_lower)
      .def_readonly("mix_upper", &calibration_result::mix_upper)
      .def_readonly("customers", &calibration_result::customers)
      .def_readonly("events", &calibration_result::events)
      .def_readonly("start_time", &calibration_result::start_time)
      .def_readonly("horizon_days", &calibration_result::horizon_days)
      .def_readonly("not_fitted", &calibration_result::not_fitted)
      .def_property_readonly("deals_only",
                             [](const calibration_result &r) { return r.evidence.deals_only(); })
      .def_readonly("accounts", &calibration_result::accounts)
      .def_readonly("streams_per_account", &calibration_result::streams_per_account);
  m.def(
      "_calibrate_market",
      [](const ledger &events, const calibration_options &opt) {
        released_gil release; // and interruptible
        return calibrate_market(events, opt);
      },
      py::arg("ledger"), py::arg("options"), "Calibrate the synthetic-customer model to a ledger.");
}

} // namespace goodwill::bindings
