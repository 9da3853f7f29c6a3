// goodwill._core.value: customer value — profitability, the whale curve,
// Markov chains (value/profitability.hpp, value/markov_chain.hpp).
//
// The Python layer (python/goodwill/profitability.py, markov.py) names the
// rows and columns; this file passes columns as NumPy arrays and matrices
// through pybind11's Eigen casters (small: states × states).
#include "pybind11.hpp"

#include <goodwill/relationship/replay.hpp>
#include <goodwill/value/markov_chain.hpp>
#include <goodwill/value/profitability.hpp>

#include <pybind11/eigen.h>

#include <optional>
#include <string>

namespace goodwill::bindings {

namespace {

std::vector<std::int64_t> to_int64(const std::vector<Eigen::Index> &v) {
  return {v.begin(), v.end()};
}

fit_method method_from(const std::string &name) {
  if (name == "mle")
    return fit_method::mle;
  if (name == "map")
    return fit_method::map;
  throw invalid_input("method", "must be 'mle' or 'map', got '" + name + "'");
}

} // namespace

void register_value(py::module_ &m) {
  py::class_<cost_rates>(m, "CostRates", "Activity rates of cost-to-serve (profitability.hpp).")
      .def(py::init<>())
      .def_readwrite("meeting_hour", &cost_rates::meeting_hour)
      .def_readwrite("discovery_hour", &cost_rates::discovery_hour)
      .def_readwrite("negotiation_round", &cost_rates::negotiation_round)
      .def_readwrite("support_hour", &cost_rates::support_hour)
      .def_readwrite("custom_request_hour", &cost_rates::custom_request_hour)
      .def_readwrite("service_issue", &cost_rates::service_issue)
      .def_readwrite("service_issue_amount_share", &cost_rates::service_issue_amount_share)
      .def_readwrite("hours_per_round", &cost_rates::hours_per_round)
      .def_readwrite("default_margin", &cost_rates::default_margin)
      .def_readwrite("count_deals_won", &cost_rates::count_deals_won)
      .def_readwrite("count_purchases", &cost_rates::count_purchases)
      .def("validate", &cost_rates::validate);

  m.def(
      "profitability",
      [](const ledger &events, const cost_rates &rates) {
        profitability_table t;
        {
          released_gil release; // and interruptible
          t = profitability(events, rates);
        }
        py::dict out;
        out["revenue"] = to_numpy(std::move(t.revenue));
        out["gross_margin"] = to_numpy(std::move(t.gross_margin));
        out["assumed_margin_revenue"] = to_numpy(std::move(t.assumed_margin_revenue));
        out["meeting_hours"] = to_numpy(std::move(t.meeting_hours));
        out["discovery_hours"] = to_numpy(std::move(t.discovery_hours));
        out["negotiation_rounds"] = to_numpy(std::move(t.negotiation_rounds));
        out["support_hours"] = to_numpy(std::move(t.support_hours));
        out["custom_request_hours"] = to_numpy(std::move(t.custom_request_hours));
        out["service_issues"] = to_numpy(std::move(t.service_issues));
        out["service_issue_amount"] = to_numpy(std::move(t.service_issue_amount));
        out["cost_to_serve"] = to_numpy(std::move(t.cost_to_serve));
        out["profit"] = to_numpy(std::move(t.profit));
        out["effort_hours"] = to_numpy(std::move(t.effort_hours));
        out["profit_per_hour"] = to_numpy(std::move(t.profit_per_hour));
        return out;
      },
      py::arg("events"), py::arg("rates"));

  m.def(
      "whale_curve",
      [](const carray<double> &profit) {
        const auto p = as_span(profit);
        whale_curve_result w;
        {
          released_gil release; // and interruptible
          w = whale_curve(p);
        }
        py::dict out;
        out["order"] = to_numpy(std::move(w.order));
        out["cumulative_profit"] = to_numpy(std::move(w.cumulative_profit));
        out["cumulative_share"] = to_numpy(std::move(w.cumulative_share));
        out["total_profit"] = w.total_profit;
        out["peak_profit"] = w.peak_profit;
        out["peak_share"] = w.peak_share;
        out["peak_customer_share"] = w.peak_customer_share;
        out["loss_tail"] = w.loss_tail;
        out["profitable"] = w.profitable;
        out["unprofitable"] = w.unprofitable;
        return out;
      },
      py::arg("profit"));

  py::class_<markov_chain>(m, "MarkovChain", "A finite Markov chain (markov_chain.hpp).")
      .def(py::init<const Eigen::MatrixXd &, std::vector<std::string>>(), py::arg("matrix"),
           py::arg("states"))
      .def_static(
          "fit",
          [](const Eigen::MatrixXd &counts, std::vector<std::string> states,
             const std::string &method, std::optional<Eigen::MatrixXd> prior) {
            return markov_chain::fit(counts, std::move(states), method_from(method),
                                     prior ? *prior : Eigen::MatrixXd());
          },
          py::arg("counts"), py::arg("states"), py::arg("method") = "mle",
          py::arg("prior") = py::none())
      .def_property_readonly("states", &markov_chain::states)
      .def_property_readonly("transition_matrix", &markov_chain::transition_matrix)
      .def_property_readonly("counts", &markov_chain::counts)
      .def_property_readonly("fitted", &markov_chain::fitted)
      .def_property_readonly(
          "method",
          [](const markov_chain &c) { return c.method() == fit_method::map ? "map" : "mle"; })
      .def_property_readonly("unobserved", &markov_chain::unobserved)
      .def_property_readonly("unserved", &markov_chain::unserved)
      .def(
          "confidence_intervals",
          [](const markov_chain &c, double level) {
            const auto ci = c.confidence_intervals(level);
            return py::make_tuple(ci.lower, ci.upper);
          },
          py::arg("level") = 0.95)
      .def("communicating_classes",
           [](const markov_chain &c) {
             std::vector<std::vector<std::int64_t>> out;
             for (const auto &cls : c.communicating_classes())
               out.push_back(to_int64(cls));
             return out;
           })
      .def("recurrent_classes",
           [](const markov_chain &c) {
             std::vector<std::vector<std::int64_t>> out;
             for (const auto &cls : c.recurrent_classes())
               out.push_back(to_int64(cls));
             return out;
           })
      .def("transient_states", [](const markov_chain &c) { return to_int64(c.transient_states()); })
      .def("absorbing_states", [](const markov_chain &c) { return to_int64(c.absorbing_states()); })
      .def("is_irreducible", &markov_chain::is_irreducible)
      .def("steady_states", &markov_chain::steady_states)
      .def("fundamental_matrix", &markov_chain::fundamental_matrix)
      .def("absorption_probabilities", &markov_chain::absorption_probabilities)
      .def("mean_absorption_time", &markov_chain::mean_absorption_time)
      .def("mean_first_passage_time", &markov_chain::mean_first_passage_time)
      .def("mean_recurrence_time", &markov_chain::mean_recurrence_time)
      .def(
          "customer_value",
          [](const markov_chain &c, const Eigen::VectorXd &rewards, double d,
             std::optional<std::size_t> horizon) { return c.customer_value(rewards, d, horizon); },
          py::arg("rewards"), py::arg("discount_rate"), py::arg("horizon") = py::none())
      .def(
          "without_state",
          [](const markov_chain &c, Eigen::Index s, std::optional<Eigen::Index> redirect) {
            return c.without_state(s, redirect);
          },
          py::arg("state"), py::arg("redirect_to") = py::none());

  m.def(
      "period_transition_counts",
      [](const replay_result &r, const ledger &events, double period, double start, double end) {
        released_gil release; // and interruptible
        return period_transition_counts(r, events, period, start, end);
      },
      py::arg("replay"), py::arg("ledger"), py::arg("period"), py::arg("start"), py::arg("end"));
}

} // namespace goodwill::bindings
