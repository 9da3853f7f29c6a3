// goodwill._core.relationship.evidence_profile: what a ledger holds, as plain Python
// values; and the need tables (data_need_table, analysis_needs_table).
#include "pybind11.hpp"

#include <goodwill/relationship/evidence.hpp>

#include <string>

namespace goodwill::bindings {

namespace {
template <std::size_t N> py::list as_list(const std::array<std::uint64_t, N> &a) {
  py::list out;
  for (const auto v : a)
    out.append(v);
  return out;
}

py::list names_of(std::span<const goodwill::data_need> needs) {
  py::list out;
  for (const auto n : needs)
    out.append(std::string(goodwill::traits(n).name));
  return out;
}
} // namespace

void register_relationship_evidence(py::module_ &m) {
  m.def(
      "evidence_profile",
      [](const goodwill::ledger &events) {
        goodwill::evidence_profile p;
        std::vector<std::uint8_t> satisfied(goodwill::data_need_count);
        {
          released_gil release; // and interruptible
          p = goodwill::profile_evidence(events);
          for (std::size_t i = 0; i < goodwill::data_need_count; ++i)
            satisfied[i] = goodwill::satisfies(p, static_cast<goodwill::data_need>(i));
        }
        py::dict out;
        out["events"] = p.events;
        out["customers"] = p.customers;
        out["customers_with_events"] = p.customers_with_events;
        out["first_time"] = p.first_time;
        out["last_time"] = p.last_time;
        out["time_span_days"] = p.time_span_days();
        out["kind_events"] = as_list(p.kind_events);
        out["kind_customers"] = as_list(p.kind_customers);
        out["channel_events"] = as_list(p.channel_events);
        out["channel_customers"] = as_list(p.channel_customers);
        out["role_events"] = as_list(p.role_events);
        out["effort_events"] = as_list(p.effort_events);
        out["margin_events"] = p.margin_events;
        out["margins_known"] = p.margins_known;
        out["margin_known_share"] = p.margin_known_share();
        out["losses"] = p.losses;
        out["loss_reasons_known"] = p.loss_reasons_known;
        out["loss_reason_known_share"] = p.loss_reason_known_share();
        out["loss_reason_events"] = as_list(p.loss_reason_events);
        out["rep_events"] = p.rep_events;
        out["reps"] = p.reps;
        out["customers_with_rep"] = p.customers_with_rep;
        py::dict flags;
        flags["has_competitor_data"] = p.has_competitor_data();
        flags["has_concessions"] = p.has_concessions();
        flags["has_price_data"] = p.has_price_data();
        flags["has_effort_records"] = p.has_effort_records();
        flags["has_trust_building_effort"] = p.has_trust_building_effort();
        flags["has_responses"] = p.has_responses();
        flags["has_deal_outcomes"] = p.has_deal_outcomes();
        flags["has_revenue"] = p.has_revenue();
        flags["has_margins"] = p.has_margins();
        flags["has_loss_reasons"] = p.has_loss_reasons();
        flags["has_purchases"] = p.has_purchases();
        flags["has_exits"] = p.has_exits();
        flags["has_reps"] = p.has_reps();
        out["flags"] = flags;
        py::dict needs;
        for (std::size_t i = 0; i < goodwill::data_need_count; ++i)
          needs[py::str(std::string(goodwill::data_need_table[i].name))] = bool(satisfied[i]);
        out["needs"] = needs;
        return out;
      },
      py::arg("events"));
  {
    py::dict table;
    py::list name, missing;
    for (const auto &row : goodwill::data_need_table) {
      name.append(std::string(row.name));
      missing.append(std::string(row.missing));
    }
    table["need"] = name;
    table["missing"] = missing;
    m.attr("DATA_NEED_TABLE") = table;
  }
  {
    py::dict table;
    for (const auto &row : goodwill::analysis_needs_table)
      table[py::str(std::string(row.analysis))] = names_of(row.list());
    m.attr("ANALYSIS_NEEDS") = table;
  }
}

} // namespace goodwill::bindings
