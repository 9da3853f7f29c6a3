// goodwill._core.relationship.transactional_spiral: per-customer spiral measures as arrays.
#include "pybind11.hpp"

#include <goodwill/relationship/spiral.hpp>

namespace goodwill::bindings {

void register_relationship_spiral(py::module_ &m) {
  m.def(
      "transactional_spiral",
      [](const goodwill::ledger &events, std::uint32_t min_matched_wins, double min_matched_share,
         double max_margin_trend, double min_concession_depth, std::uint32_t min_bottomed_wins,
         double max_flat_trend, double max_bottomed_margin) {
        goodwill::spiral_params p;
        p.min_matched_wins = min_matched_wins;
        p.min_matched_share = min_matched_share;
        p.max_margin_trend = max_margin_trend;
        p.min_concession_depth = min_concession_depth;
        p.min_bottomed_wins = min_bottomed_wins;
        p.max_flat_trend = max_flat_trend;
        p.max_bottomed_margin = max_bottomed_margin;
        goodwill::spiral_summary s;
        {
          released_gil release; // and interruptible
          s = goodwill::transactional_spiral(events, p);
        }
        std::vector<std::uint8_t> basis(s.basis.size()), stage(s.stage.size());
        for (std::size_t i = 0; i < basis.size(); ++i) {
          basis[i] = static_cast<std::uint8_t>(s.basis[i]);
          stage[i] = static_cast<std::uint8_t>(s.stage[i]);
        }
        py::dict out;
        out["competitor_quotes"] = to_numpy(std::move(s.competitor_quotes));
        out["price_matches"] = to_numpy(std::move(s.price_matches));
        out["concessions"] = to_numpy(std::move(s.concessions));
        out["deals_won"] = to_numpy(std::move(s.deals_won));
        out["deals_lost"] = to_numpy(std::move(s.deals_lost));
        out["won_after_match"] = to_numpy(std::move(s.won_after_match));
        out["won_after_concession"] = to_numpy(std::move(s.won_after_concession));
        out["lost_on_price"] = to_numpy(std::move(s.lost_on_price));
        out["matched_win_share"] = to_numpy(std::move(s.matched_win_share));
        out["mean_concession_depth"] = to_numpy(std::move(s.mean_concession_depth));
        out["margin_trend"] = to_numpy(std::move(s.margin_trend));
        out["margin_level"] = to_numpy(std::move(s.margin_level));
        out["margin_basis"] = to_numpy(std::move(basis));
        out["spiral_stage"] = to_numpy(std::move(stage));
        out["transactional_spiral"] = to_numpy(std::move(s.transactional_spiral));
        return out;
      },
      py::arg("events"), py::arg("min_matched_wins"), py::arg("min_matched_share"),
      py::arg("max_margin_trend"), py::arg("min_concession_depth"), py::arg("min_bottomed_wins"),
      py::arg("max_flat_trend"), py::arg("max_bottomed_margin"));
  m.attr("SPIRAL_STAGES") = enum_tuple<spiral_stage>();
  m.attr("MARGIN_BASES") = enum_tuple<margin_basis>();
  // the parameter defaults, defined once (in C++)
  {
    const goodwill::spiral_params d;
    py::dict defaults;
    defaults["min_matched_wins"] = d.min_matched_wins;
    defaults["min_matched_share"] = d.min_matched_share;
    defaults["max_margin_trend"] = d.max_margin_trend;
    defaults["min_concession_depth"] = d.min_concession_depth;
    defaults["min_bottomed_wins"] = d.min_bottomed_wins;
    defaults["max_flat_trend"] = d.max_flat_trend;
    defaults["max_bottomed_margin"] = d.max_bottomed_margin;
    m.attr("SPIRAL_DEFAULTS") = defaults;
  }
}

} // namespace goodwill::bindings
