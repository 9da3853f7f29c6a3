// goodwill._core.decision: deal and customer decisions (decision.hpp). Columns in,
// columns out; the Python layer (python/goodwill/decision.py) names them.
#include "pybind11.hpp"

#include <goodwill/decision.hpp>

#include <string>
#include <vector>

namespace goodwill::bindings {

namespace {
template <class T> std::span<const T> col(const carray<T> &a, std::size_t n, const char *name) {
  auto s = as_span(a);
  if (s.size() != n)
    throw invalid_input(name, "has " + std::to_string(s.size()) + " entries, expected " +
                                  std::to_string(n));
  return s;
}
} // namespace

void register_decision(py::module_ &m) {
  py::class_<deal_thresholds>(m, "DealThresholds", "Thresholds of the deal rules (decision.hpp).")
      .def(py::init<>())
      .def_readwrite("spiral_trust", &deal_thresholds::spiral_trust)
      .def_readwrite("spiral_matches", &deal_thresholds::spiral_matches)
      .def_readwrite("late_time", &deal_thresholds::late_time)
      .def_readwrite("accept_time", &deal_thresholds::accept_time)
      .def_readwrite("concession_exponent", &deal_thresholds::concession_exponent)
      .def_readwrite("invest_trust", &deal_thresholds::invest_trust)
      .def_readwrite("invest_share", &deal_thresholds::invest_share)
      .def("validate", &deal_thresholds::validate);

  py::class_<customer_thresholds>(m, "CustomerThresholds",
                                  "Thresholds of the customer rules (decision.hpp).")
      .def(py::init<>())
      .def_readwrite("min_profit", &customer_thresholds::min_profit)
      .def_readwrite("min_improvement", &customer_thresholds::min_improvement)
      .def_readwrite("low_trust", &customer_thresholds::low_trust)
      .def_readwrite("min_meetings", &customer_thresholds::min_meetings)
      .def_readwrite("min_discovery_hours", &customer_thresholds::min_discovery_hours)
      .def_readwrite("min_kept_promises", &customer_thresholds::min_kept_promises)
      .def_readwrite("effort_window_days", &customer_thresholds::effort_window_days)
      .def_readwrite("trend_window_days", &customer_thresholds::trend_window_days)
      .def("validate", &customer_thresholds::validate);

  m.attr("DEAL_ACTIONS") = enum_tuple<deal_action>();
  m.attr("CUSTOMER_ACTIONS") = enum_tuple<customer_action>();

  m.def(
      "decide_deals",
      [](const carray<double> &floor_price, const carray<double> &list_price,
         const carray<double> &our_price, const carray<double> &offer,
         const carray<double> &previous_offer, const carray<double> &relative_time,
         const carray<double> &trust, const carray<double> &customer_value,
         const carray<double> &competitor_quote, const carray<double> &scope_cut,
         const carray<std::uint32_t> &price_matches,
         const carray<std::uint8_t> &alternatives_offered, const deal_thresholds &th) {
        const std::size_t n = as_span(floor_price).size();
        std::vector<deal_state> deals(n);
        auto fp = col(floor_price, n, "floor_price"), lp = col(list_price, n, "list_price"),
             op = col(our_price, n, "our_price"), of = col(offer, n, "offer"),
             po = col(previous_offer, n, "previous_offer"),
             rt = col(relative_time, n, "relative_time"), tr = col(trust, n, "trust"),
             cv = col(customer_value, n, "customer_value"),
             cq = col(competitor_quote, n, "competitor_quote"), sc = col(scope_cut, n, "scope_cut");
        auto pm = col(price_matches, n, "price_matches");
        auto ao = col(alternatives_offered, n, "alternatives_offered");
        for (std::size_t i = 0; i < n; ++i)
          deals[i] = {fp[i], lp[i], op[i], of[i], po[i], rt[i],
                      tr[i], cv[i], cq[i], sc[i], pm[i], ao[i] != 0};
        std::vector<deal_decision> r;
        {
          released_gil release; // and interruptible
          r = decide_deals(deals, th);
        }
        deal_decision_columns columns(std::move(r));
        py::list reasons;
        for (const auto &why : columns.reasons)
          reasons.append(py::cast(why));
        py::dict out = columns_dict(columns);
        out["reasons"] = reasons;
        return out;
      },
      py::arg("floor_price"), py::arg("list_price"), py::arg("our_price"), py::arg("offer"),
      py::arg("previous_offer"), py::arg("relative_time"), py::arg("trust"),
      py::arg("customer_value"), py::arg("competitor_quote"), py::arg("scope_cut"),
      py::arg("price_matches"), py::arg("alternatives_offered"), py::arg("thresholds"));

  m.def(
      "gather_evidence",
      [](const ledger &events, double as_of, const customer_thresholds &th,
         const cost_rates &rates) {
        customer_evidence e;
        {
          released_gil release; // and interruptible
          e = gather_evidence(events, as_of, th, rates);
        }
        py::dict out;
        out["meetings"] = to_numpy(std::move(e.meetings));
        out["meeting_hours"] = to_numpy(std::move(e.meeting_hours));
        out["discovery_hours"] = to_numpy(std::move(e.discovery_hours));
        out["promises_kept"] = to_numpy(std::move(e.promises_kept));
        out["promises_broken"] = to_numpy(std::move(e.promises_broken));
        out["recent_profit"] = to_numpy(std::move(e.recent_profit));
        out["previous_profit"] = to_numpy(std::move(e.previous_profit));
        out["profit_trend"] = to_numpy(std::move(e.profit_trend));
        out["profit"] = to_numpy(std::move(e.profit));
        return out;
      },
      py::arg("events"), py::arg("as_of"), py::arg("thresholds"), py::arg("rates"));

  m.def(
      "decide_customers",
      [](const carray<double> &profit, const carray<double> &profit_trend,
         const carray<double> &trust, const carray<double> &meetings,
         const carray<double> &discovery_hours, const carray<double> &promises_kept,
         const customer_thresholds &th) {
        const std::size_t n = as_span(profit).size();
        customer_inputs in{as_span(profit),
                           col(profit_trend, n, "profit_trend"),
                           col(trust, n, "trust"),
                           col(meetings, n, "meetings"),
                           col(discovery_hours, n, "discovery_hours"),
                           col(promises_kept, n, "promises_kept")};
        customer_decisions r;
        {
          released_gil release; // and interruptible
          r = decide_customers(in, th);
        }
        std::vector<std::uint8_t> action(n);
        py::list reasons;
        for (std::size_t i = 0; i < n; ++i) {
          action[i] = static_cast<std::uint8_t>(r.action[i]);
          std::string joined;
          for (const auto &s : r.reasons[i]) {
            if (!joined.empty())
              joined += "; ";
            joined += s;
          }
          reasons.append(py::str(joined));
        }
        py::dict out;
        out["action"] = to_numpy(std::move(action));
        out["unprofitable"] = to_numpy(std::move(r.unprofitable));
        out["improving"] = to_numpy(std::move(r.improving));
        out["effort_made"] = to_numpy(std::move(r.effort_made));
        out["low_trust"] = to_numpy(std::move(r.low_trust));
        out["reasons"] = reasons;
        return out;
      },
      py::arg("profit"), py::arg("profit_trend"), py::arg("trust"), py::arg("meetings"),
      py::arg("discovery_hours"), py::arg("promises_kept"), py::arg("thresholds"));
}

} // namespace goodwill::bindings
