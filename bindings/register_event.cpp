// Event vocabularies: kind, loss reason and lead source names by code.
#include "pybind11.hpp"

#include <goodwill/event.hpp>
#include <goodwill/relationship/trust.hpp>

#include <string>

namespace goodwill::bindings {

namespace {
template <std::size_t N>
py::tuple names(const std::array<std::string_view, N> &values) {
  py::tuple t(N);
  for (std::size_t i = 0; i < N; ++i)
    t[i] = py::str(std::string(values[i]));
  return t;
}
} // namespace

void register_event(py::module_ &m) {
  m.attr("EVENT_KINDS") = names(goodwill::event_kind_names);
  m.attr("LOSS_REASONS") = names(goodwill::loss_reason_names);
  m.attr("LEAD_SOURCES") = names(goodwill::lead_source_names);
  m.attr("MARGIN_UNKNOWN") = goodwill::margin_unknown;
  m.attr("NO_REP") = goodwill::no_rep;
  m.attr("EVENT_ROLES") = names(goodwill::event_role_names);
  m.attr("EFFORT_CLASSES") = names(goodwill::effort_class_names);
  // the kind table, column-shaped: name, role, effort class, flags
  {
    py::dict table;
    py::list name, role, effort, negative, hours, interaction, deal, price;
    for (const auto &row : goodwill::event_kind_table) {
      name.append(std::string(row.name));
      role.append(std::string(goodwill::event_role_names[static_cast<std::size_t>(row.role)]));
      effort.append(
          std::string(goodwill::effort_class_names[static_cast<std::size_t>(row.effort)]));
      negative.append(row.negative_amount);
      hours.append(row.amount_is_hours);
      interaction.append(row.interaction);
      deal.append(row.deal_event);
      price.append(row.price_event);
    }
    table["kind"] = name;
    table["role"] = role;
    table["effort_class"] = effort;
    table["negative_amount"] = negative;
    table["amount_is_hours"] = hours;
    table["interaction"] = interaction;
    table["deal_event"] = deal;
    table["price_event"] = price;
    m.attr("EVENT_KIND_TABLE") = table;
  }
  {
    py::dict table;
    py::list name, kind, side;
    constexpr std::array<std::string_view, 3> sides{"none", "alpha", "beta"};
    for (const auto &row : goodwill::evidence_channel_table) {
      name.append(std::string(row.name));
      kind.append(std::string(goodwill::to_string(row.kind)));
      side.append(std::string(sides[static_cast<std::size_t>(row.side)]));
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
