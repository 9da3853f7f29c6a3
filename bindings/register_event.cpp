// Event vocabularies: kind, loss reason and lead source names by code.
#include "pybind11.hpp"

#include <goodwill/event.hpp>

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
}

} // namespace goodwill::bindings
