// goodwill._core.generate_market: the synthetic market generator; and
// _calibrate_market, its calibration to a ledger (synthetic/calibrate.hpp).
//
// The Python function goodwill.synthetic_market (python/goodwill/market.py)
// checks and converts its arguments, then calls _generate_market here; the
// generation runs without the GIL (reacquired only to report progress).
#include "pybind11.hpp"

#include <goodwill/synthetic/market.hpp>
#include <goodwill/synthetic/calibrate.hpp>

#include <array>
#include <string>
#include <vector>

namespace goodwill::bindings {

void register_market(py::module_ &m) {
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
  py::class_<market_model>(m, "MarketModel", R"doc(The synthetic-customer model shared by synthetic_market and simulate.

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
      .def_readwrite("mix", &market_model::mix)
      .def("archetype_table",
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
      .def("set_mechanism", [](market_model &mm, const std::string &n,
                               bool v) { mechanism_switch(mm.on, n) = v; })
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
>>> p = goodwill._core.MarketParams()
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
      .def_readwrite("mix", &goodwill::market_params::mix,
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
        return py::make_tuple(py::cast(std::move(result.events)),
                              to_numpy(std::move(kinds)));
      },
      py::arg("params"), py::arg("progress") = py::none(),
      "Generate a synthetic market: (Ledger, archetype codes by customer).");

  py::class_<calibration_options>(m, "CalibrationOptions",
                                  "Options of calibrate_market (synthetic/calibrate.hpp).")
      .def(py::init<>())
      .def_readwrite("iterations", &calibration_options::iterations)
      .def_readwrite("tolerance", &calibration_options::tolerance)
      .def_readwrite("patience", &calibration_options::patience)
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
  m.def(
      "_calibrate_market",
      [](const ledger &events, const calibration_options &opt) {
        calibration_result r;
        {
          released_gil release; // and interruptible
          r = calibrate_market(events, opt);
        }
        auto aux = [](const auxiliary_fit &f) {
          py::dict d;
          d["mix"] = f.mix;
          d["customers"] = f.customers;
          d["deals_per_year"] = f.deals_per_year;
          d["win_rate"] = f.win_rate;
          d["realisation"] = f.realisation;
          d["churn_per_year"] = f.churn_per_year;
          d["return_rate"] = f.return_rate;
          d["log_size"] = f.log_size;
          d["size_sd"] = f.size_sd;
          d["quote_rate"] = f.quote_rate;
          d["purchases_per_year"] = f.purchases_per_year;
          d["meetings_per_year"] = f.meetings_per_year;
          d["log_likelihood"] = f.log_likelihood;
          d["iterations"] = f.iterations;
          return d;
        };
        py::list moments;
        for (const auto &mo : r.moments)
          moments.append(py::make_tuple(mo.name, mo.observed, mo.observed_se, mo.simulated,
                                        mo.simulated_se, mo.z, mo.fitted));
        py::dict out;
        out["model"] = r.model;
        out["start"] = r.start;
        out["observed"] = aux(r.observed);
        out["simulated"] = aux(r.simulated);
        out["identified"] = r.identified;
        out["moments"] = moments;
        out["chi_square"] = r.chi_square;
        out["p_value"] = r.p_value;
        out["iterations"] = r.iterations;
        out["max_change"] = r.max_change;
        out["stop_reason"] = r.stop_reason;
        out["gap"] = r.gap;
        out["best_iteration"] = r.best_iteration;
        out["se"] = r.se;
        out["lower"] = r.lower;
        out["upper"] = r.upper;
        out["fitted"] = r.fitted;
        out["field_identified"] = r.field_identified;
        out["slope"] = r.slope;
        out["label_identified"] = r.label_identified;
        out["label_z"] = r.label_z;
        out["identification"] = r.identification;
        out["mix_se"] = r.mix_se;
        out["mix_lower"] = r.mix_lower;
        out["mix_upper"] = r.mix_upper;
        out["customers"] = r.customers;
        out["events"] = r.events;
        out["start_time"] = r.start_time;
        out["horizon_days"] = r.horizon_days;
        out["not_fitted"] = r.not_fitted;
        out["deals_only"] = r.evidence.deals_only();
        out["accounts"] = r.accounts;
        out["streams_per_account"] = r.streams_per_account;
        return out;
      },
      py::arg("ledger"), py::arg("options"),
      "Calibrate the synthetic-customer model to a ledger (a dict of the result's parts).");
}

} // namespace goodwill::bindings
