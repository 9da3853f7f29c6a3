// goodwill._core: TrustParams, RelationshipModel, Replay.
//
// The Python layer (python/goodwill/relationship.py) speaks dicts, JSON and
// pandas; this file passes models as JSON text, trust parameters as a plain
// struct and replay results as read-only NumPy views of the C++ result
// (kept alive by the Replay object).
#include "pybind11.hpp"

#include <goodwill/replay.hpp>

#include <memory>
#include <string>

namespace goodwill::bindings {

namespace {

template <class T>
py::array_t<T> member_view(const py::object &owner, const std::vector<T> &v,
                           std::vector<py::ssize_t> shape = {}) {
  if (shape.empty()) shape = {static_cast<py::ssize_t>(v.size())};
  std::vector<py::ssize_t> strides(shape.size(), static_cast<py::ssize_t>(sizeof(T)));
  for (std::size_t i = shape.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * shape[i + 1];
  py::array_t<T> a(shape, strides, v.data(), owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

template <class T, class F> py::array_t<T> log_column(const replay_result &r, F get) {
  std::vector<T> out(r.log.size());
  for (std::size_t i = 0; i < r.log.size(); ++i) out[i] = static_cast<T>(get(r.log[i]));
  return to_numpy(std::move(out));
}

} // namespace

void register_relationship(py::module_ &m) {
  py::class_<trust_params>(m, "TrustParams", "Trust evidence parameters (see trust.hpp).")
      .def(py::init<>())
      .def_static("defaults", &trust_params::defaults)
      .def_readwrite("half_life_days", &trust_params::half_life_days)
      .def_readwrite("activity_half_life_days", &trust_params::activity_half_life_days)
      .def_readwrite("prior_alpha", &trust_params::prior_alpha)
      .def_readwrite("prior_beta", &trust_params::prior_beta)
      .def_readwrite("engagement_saturation", &trust_params::engagement_saturation)
      .def_readwrite("positive", &trust_params::positive)
      .def_readwrite("negative", &trust_params::negative)
      .def("validate", &trust_params::validate);

  py::class_<relationship_model>(m, "RelationshipModel",
                                 "A validated finite-state machine over events.")
      .def_static(
          "from_json",
          [](const std::string &text) { return relationship_model::from_json_string(text); },
          py::arg("text"))
      .def("to_json", [](const relationship_model &rm) { return rm.to_json().dump(); })
      .def_property_readonly("states", &relationship_model::states)
      .def_property_readonly("initial",
                             [](const relationship_model &rm) { return rm.states()[rm.initial()]; })
      .def(
          "replay",
          [](const relationship_model &rm, const ledger &l, const trust_params &p, unsigned threads,
             double until, bool keep_log, double as_of) {
            replay_options opt;
            opt.threads = threads;
            opt.until = until;
            opt.keep_log = keep_log;
            opt.as_of = as_of;
            py::gil_scoped_release release;
            return std::make_shared<replay_result>(replay(rm, l, p, opt));
          },
          py::arg("ledger"), py::arg("trust"), py::arg("threads") = 1,
          py::arg("until") = std::numeric_limits<double>::infinity(), py::arg("keep_log") = true,
          py::arg("as_of") = std::numeric_limits<double>::quiet_NaN());
  py::class_<dormancy_rule>(m, "DormancyRule",
                            "When a lost deal becomes a lost customer (relationship_model.hpp).")
      .def(py::init<>())
      .def_readwrite("to", &dormancy_rule::to)
      .def_readwrite("from_", &dormancy_rule::from)
      .def_readwrite("on", &dormancy_rule::on)
      .def_readwrite("cancel_on", &dormancy_rule::cancel_on)
      .def_readwrite("days", &dormancy_rule::days)
      .def_readwrite("min_gaps", &dormancy_rule::min_gaps)
      .def_readwrite("quantile", &dormancy_rule::quantile)
      .def_readwrite("min_days", &dormancy_rule::min_days)
      .def_readwrite("max_days", &dormancy_rule::max_days);

  m.def("relationship_selling", &relationship_selling, py::arg("dormancy") = dormancy_rule{},
        "The default relationship-selling model (see relationship_model.hpp).");
  m.attr("DORMANCY_GAP_MEMORY") = dormancy_gap_memory;
  m.attr("FEATURES") = py::tuple(py::cast(std::vector<std::string>(feature_names.begin(),
                                                                   feature_names.end())));
  m.attr("COUNTERS") = py::tuple(py::cast(std::vector<std::string>(
      feature_names.begin() + first_counter, feature_names.begin() + first_counter + counter_count)));

  py::class_<replay_result, std::shared_ptr<replay_result>>(m, "Replay",
                                                            "The result of a replay.")
      .def_property_readonly("customers", [](const replay_result &r) { return r.customers; })
      .def_property_readonly("has_log", [](const replay_result &r) { return r.has_log; })
      .def_property_readonly("state", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().state);
      })
      .def_property_readonly("alpha", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().alpha);
      })
      .def_property_readonly("beta", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().beta);
      })
      .def_property_readonly("trust", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().trust);
      })
      .def_property_readonly("engagement", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().engagement);
      })
      .def_property_readonly("loyalty", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().loyalty);
      })
      .def_property_readonly("price_sensitivity", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().price_sensitivity);
      })
      .def_property_readonly("last_time", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().last_time);
      })
      .def_property_readonly("events", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().events);
      })
      .def_property_readonly("dormancy_due", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().dormancy_due);
      })
      .def_property_readonly("as_of", [](const replay_result &r) { return r.as_of; })
      .def_property_readonly("counters", [](py::object self) {
        const auto &r = self.cast<const replay_result &>();
        return member_view(self, r.counters,
                           {static_cast<py::ssize_t>(r.customers),
                            static_cast<py::ssize_t>(counter_count)});
      })
      .def_property_readonly("log_offsets", [](py::object self) {
        return member_view(self, self.cast<const replay_result &>().log_offsets);
      })
      .def("log_columns",
           [](const replay_result &r) {
             py::dict d;
             d["customer"] = log_column<std::uint32_t>(r, [](const auto &x) { return x.customer; });
             d["time"] = log_column<double>(r, [](const auto &x) { return x.time; });
             d["from"] = log_column<std::uint16_t>(r, [](const auto &x) { return x.from; });
             d["to"] = log_column<std::uint16_t>(r, [](const auto &x) { return x.to; });
             d["kind"] = log_column<std::uint8_t>(r, [](const auto &x) { return x.kind; });
             d["row"] = log_column<std::uint32_t>(r, [](const auto &x) { return x.row; });
             return d;
           })
      .def(
          "state_at",
          [](const replay_result &r, double t) {
            std::vector<state_code> out;
            {
              py::gil_scoped_release release;
              out = r.state_at(t);
            }
            return to_numpy(std::move(out));
          },
          py::arg("time"))
      .def(
          "transition_counts",
          [](const replay_result &r, double t0, double t1) {
            Eigen::MatrixXd c;
            {
              py::gil_scoped_release release;
              c = r.transition_counts(t0, t1);
            }
            const auto n = static_cast<py::ssize_t>(c.rows());
            py::array_t<double> out({n, n});
            auto v = out.mutable_unchecked<2>();
            for (py::ssize_t i = 0; i < n; ++i)
              for (py::ssize_t j = 0; j < n; ++j) v(i, j) = c(i, j);
            return out;
          },
          py::arg("start"), py::arg("end"));
}

} // namespace goodwill::bindings
