// goodwill._core.transactional_spiral: per-customer spiral measures as arrays.
#include "pybind11.hpp"

#include <goodwill/spiral.hpp>

namespace goodwill::bindings {

void register_spiral(py::module_ &m) {
  m.def(
      "transactional_spiral",
      [](const goodwill::ledger &events, std::uint32_t min_matched_wins, double min_matched_share,
         double max_margin_trend, double min_concession_depth) {
        goodwill::spiral_params p;
        p.min_matched_wins = min_matched_wins;
        p.min_matched_share = min_matched_share;
        p.max_margin_trend = max_margin_trend;
        p.min_concession_depth = min_concession_depth;
        goodwill::spiral_summary s;
        {
          py::gil_scoped_release release;
          s = goodwill::transactional_spiral(events, p);
        }
        std::vector<std::uint8_t> basis(s.basis.size());
        for (std::size_t i = 0; i < basis.size(); ++i)
          basis[i] = static_cast<std::uint8_t>(s.basis[i]);
        py::dict out;
        out["competitor_quotes"] = to_numpy(std::move(s.competitor_quotes));
        out["price_matches"] = to_numpy(std::move(s.price_matches));
        out["concessions"] = to_numpy(std::move(s.concessions));
        out["deals_won"] = to_numpy(std::move(s.deals_won));
        out["deals_lost"] = to_numpy(std::move(s.deals_lost));
        out["won_after_match"] = to_numpy(std::move(s.won_after_match));
        out["matched_win_share"] = to_numpy(std::move(s.matched_win_share));
        out["mean_concession_depth"] = to_numpy(std::move(s.mean_concession_depth));
        out["margin_trend"] = to_numpy(std::move(s.margin_trend));
        out["margin_basis"] = to_numpy(std::move(basis));
        out["transactional_spiral"] = to_numpy(std::move(s.transactional_spiral));
        return out;
      },
      py::arg("events"), py::arg("min_matched_wins") = 2, py::arg("min_matched_share") = 0.5,
      py::arg("max_margin_trend") = 0.0, py::arg("min_concession_depth") = 0.10);
}

} // namespace goodwill::bindings
