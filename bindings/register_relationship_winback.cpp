// goodwill._core.relationship: Kaplan–Meier curves and win-back spells
// (relationship/winback.hpp) as dicts of arrays.
#include "pybind11.hpp"

#include <goodwill/relationship/winback.hpp>

#include <limits>
#include <vector>

namespace goodwill::bindings {

void register_relationship_winback(py::module_ &m) {
  m.def(
      "kaplan_meier",
      [](const carray<double> &durations, const carray<std::uint8_t> &observed, double level,
         int band) {
        if (band < 0 || band > 2)
          throw invalid_input("band", "unknown confidence band");
        const auto d = as_span(durations);
        const auto e = as_span(observed);
        survival_table t;
        {
          released_gil release; // and interruptible
          t = kaplan_meier(d, e, level, static_cast<km_band>(band));
        }
        py::dict out;
        out["timeline"] = to_numpy(std::move(t.timeline));
        out["at_risk"] = to_numpy(std::move(t.at_risk));
        out["events"] = to_numpy(std::move(t.events));
        out["censored"] = to_numpy(std::move(t.censored));
        out["survival"] = to_numpy(std::move(t.survival));
        out["lower"] = to_numpy(std::move(t.lower));
        out["upper"] = to_numpy(std::move(t.upper));
        out["greenwood"] = to_numpy(std::move(t.greenwood));
        out["median"] = t.median;
        out["median_lower"] = t.median_lower;
        out["median_upper"] = t.median_upper;
        return out;
      },
      py::arg("durations"), py::arg("observed"), py::arg("level") = 0.95, py::arg("band") = 0);

  m.def(
      "win_back_spells",
      [](const replay_result &r, const std::vector<state_code> &exits, double end,
         const ledger *l) {
        win_back_spell_table s;
        {
          released_gil release; // and interruptible
          s = win_back_spells(r, exits, end, l ? l->times() : std::span<const double>{});
        }
        py::dict out;
        out["customer"] = to_numpy(std::move(s.customer));
        out["exit_state"] = to_numpy(std::move(s.exit_state));
        out["return_state"] = to_numpy(std::move(s.return_state));
        out["start"] = to_numpy(std::move(s.start));
        out["duration"] = to_numpy(std::move(s.duration));
        out["returned"] = to_numpy(std::move(s.returned));
        return out;
      },
      py::arg("replay"), py::arg("exit_states"),
      py::arg("end") = std::numeric_limits<double>::quiet_NaN(), py::arg("ledger") = nullptr);
}

} // namespace goodwill::bindings
