// goodwill._core.relationship.account_health / rep_scorecard: health tables as dicts of arrays.
#include "pybind11.hpp"

#include <goodwill/relationship/health.hpp>

#include <string>

namespace goodwill::bindings {

namespace {

health_params make_params(double start, double end, double lookback, std::uint32_t min_deals,
                          std::uint32_t min_groups, double fdr, double level, unsigned threads) {
  health_params p;
  p.start = start;
  p.end = end;
  p.trust_lookback_days = lookback;
  p.min_deals = min_deals;
  p.min_groups = min_groups;
  p.fdr = fdr;
  p.level = level;
  p.threads = threads;
  return p;
}

py::dict to_dict(health_table &&h) {
  py::dict out;
  out["groups"] = h.groups;
  out["deals_won"] = to_numpy(std::move(h.deals_won));
  out["deals_lost"] = to_numpy(std::move(h.deals_lost));
  out["start"] = h.start;
  out["end"] = h.end;
  out["trust_then"] = h.trust_then;
  out["family"] = h.family;
  out["fdr"] = h.fdr;
  out["level"] = h.level;
  py::list metrics;
  for (std::size_t i = 0; i < health_metric_count; ++i) {
    auto &m = h.metrics[i];
    py::dict d;
    d["name"] = enum_str(static_cast<health_metric>(i));
    d["available"] = m.available;
    d["reason"] = m.reason;
    d["method"] = m.method;
    d["n"] = to_numpy(std::move(m.n));
    d["raw"] = to_numpy(std::move(m.raw));
    d["estimate"] = to_numpy(std::move(m.estimate));
    d["lower"] = to_numpy(std::move(m.lower));
    d["upper"] = to_numpy(std::move(m.upper));
    d["p"] = to_numpy(std::move(m.p));
    d["q"] = to_numpy(std::move(m.q));
    d["flag"] = to_numpy(std::move(m.flag));
    d["portfolio"] = m.portfolio;
    d["prior_1"] = m.prior_1;
    d["prior_2"] = m.prior_2;
    d["null_centre"] = m.null_centre;
    d["null_scale"] = m.null_scale;
    d["tested"] = m.tested;
    metrics.append(d);
  }
  out["metrics"] = metrics;
  return out;
}

} // namespace

void register_relationship_health(py::module_ &m) {
  m.attr("HEALTH_METRICS") = enum_tuple<health_metric>();
  m.def(
      "account_health",
      [](const ledger &l, const trust_params &tp, double start, double end, double lookback,
         std::uint32_t min_deals, std::uint32_t min_groups, double fdr, double level,
         unsigned threads) {
        const auto p =
            make_params(start, end, lookback, min_deals, min_groups, fdr, level, threads);
        health_table h;
        {
          released_gil release; // and interruptible
          h = account_health(l, p, tp);
        }
        return to_dict(std::move(h));
      },
      py::arg("ledger"), py::arg("trust"), py::arg("start"), py::arg("end"),
      py::arg("trust_lookback_days"), py::arg("min_deals"), py::arg("min_groups"), py::arg("fdr"),
      py::arg("level"), py::arg("threads"));
  m.def(
      "rep_scorecard",
      [](const ledger &l, const carray<std::uint32_t> &reps, std::size_t rep_count,
         const trust_params &tp, double start, double end, double lookback, std::uint32_t min_deals,
         std::uint32_t min_groups, double fdr, double level) {
        const auto p = make_params(start, end, lookback, min_deals, min_groups, fdr, level, 1);
        const auto r = as_span(reps);
        health_table h;
        {
          released_gil release; // and interruptible
          h = rep_scorecard(l, r, rep_count, p, tp);
        }
        return to_dict(std::move(h));
      },
      py::arg("ledger"), py::arg("reps"), py::arg("rep_count"), py::arg("trust"), py::arg("start"),
      py::arg("end"), py::arg("trust_lookback_days"), py::arg("min_deals"), py::arg("min_groups"),
      py::arg("fdr"), py::arg("level"));
  // The defaults, defined once in C++ (health_params).
  const health_params d;
  py::dict defaults;
  defaults["trust_lookback_days"] = d.trust_lookback_days;
  defaults["min_deals"] = d.min_deals;
  defaults["min_groups"] = d.min_groups;
  defaults["fdr"] = d.fdr;
  defaults["level"] = d.level;
  defaults["threads"] = d.threads;
  m.attr("HEALTH_DEFAULTS") = defaults;
}

} // namespace goodwill::bindings
