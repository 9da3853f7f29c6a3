// goodwill._core.generate_market: the synthetic market generator.
//
// The Python function goodwill.synthetic_market (python/goodwill/market.py)
// checks and converts its arguments, then calls _generate_market here; the
// generation runs without the GIL (reacquired only to report progress).
#include "pybind11.hpp"

#include <goodwill/market.hpp>

#include <array>
#include <string>
#include <vector>

namespace goodwill::bindings {

void register_market(py::module_ &m) {
  py::tuple names(goodwill::archetype_count);
  for (std::size_t i = 0; i < goodwill::archetype_count; ++i)
    names[i] = py::str(std::string(goodwill::archetype_names[i]));
  m.attr("ARCHETYPES") = names;

  m.def(
      "_generate_market",
      [](std::uint32_t customers, double horizon_days, std::uint64_t seed,
         const std::array<double, goodwill::archetype_count> &mix, double start_time,
         unsigned threads, const std::optional<py::function> &progress,
         std::uint32_t first_customer) {
        goodwill::market_params p;
        p.customers = customers;
        p.horizon_days = horizon_days;
        p.seed = seed;
        p.mix = mix;
        p.start_time = start_time;
        p.threads = threads;
        p.first_customer = first_customer;
        goodwill::market_progress report;
        if (progress && !progress->is_none())
          report = [&progress](std::size_t done, std::size_t total) {
            py::gil_scoped_acquire acquire;
            (*progress)(done, total);
          };
        goodwill::market result;
        {
          py::gil_scoped_release release;
          result = goodwill::generate_market(p, report);
        }
        std::vector<std::uint8_t> kinds(result.archetypes.size());
        for (std::size_t i = 0; i < kinds.size(); ++i)
          kinds[i] = static_cast<std::uint8_t>(result.archetypes[i]);
        return py::make_tuple(py::cast(std::move(result.events)),
                              to_numpy(std::move(kinds)));
      },
      py::arg("customers"), py::arg("horizon_days"), py::arg("seed"), py::arg("mix"),
      py::arg("start_time") = 0.0, py::arg("threads") = 1,
      py::arg("progress") = py::none(), py::arg("first_customer") = 0u,
      "Generate a synthetic market: (Ledger, archetype codes by customer).");
}

} // namespace goodwill::bindings
