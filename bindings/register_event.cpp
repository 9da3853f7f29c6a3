// Event vocabularies: kind, loss reason and lead source names by code.
#include "pybind11.hpp"

#include <goodwill/event.hpp>
#include <goodwill/relationship/trust.hpp>

#include <string>

namespace goodwill::bindings {

void register_event(py::module_ &m) {
  m.attr("EVENT_KINDS") = enum_tuple<event_kind>();
  m.attr("LOSS_REASONS") = enum_tuple<loss_reason>();
  m.attr("LEAD_SOURCES") = enum_tuple<lead_source>();
  m.attr("MARGIN_UNKNOWN") = goodwill::margin_unknown;
  m.attr("NO_REP") = goodwill::no_rep;
  m.attr("EVENT_ROLES") = enum_tuple<event_role>();
  m.attr("EFFORT_CLASSES") = enum_tuple<effort_class>();
  // the kind table, column-shaped: name, role, effort class, then every flag
  {
    py::dict table;
    py::list name, role, effort;
    for (const auto &row : goodwill::event_kind_table) {
      name.append(std::string(row.name));
      role.append(enum_str(row.role));
      effort.append(enum_str(row.effort));
    }
    table["kind"] = name;
    table["role"] = role;
    table["effort_class"] = effort;
    for (const auto &[flag, member] : goodwill::event_kind_flags) {
      py::list column;
      for (const auto &row : goodwill::event_kind_table)
        column.append(row.*member);
      table[py::str(std::string(flag))] = column;
    }
    m.attr("EVENT_KIND_TABLE") = table;
  }
  {
    py::dict table;
    py::list name, kind, side;
    for (const auto &row : goodwill::evidence_channel_table) {
      name.append(std::string(row.name));
      kind.append(std::string(goodwill::to_string(row.kind)));
      side.append(enum_str(row.side));
    }
    table["channel"] = name;
    table["kind"] = kind;
    table["fit_side"] = side;
    m.attr("EVIDENCE_CHANNEL_TABLE") = table;
    py::tuple names_t(goodwill::evidence_channel_count);
    for (std::size_t i = 0; i < goodwill::evidence_channel_count; ++i)
      names_t[i] = py::str(std::string(goodwill::evidence_channel_table[i].name));
    m.attr("EVIDENCE_CHANNELS") = names_t;
  }
}

} // namespace goodwill::bindings
