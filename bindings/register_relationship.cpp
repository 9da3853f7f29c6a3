// goodwill._core.relationship: TrustParams, RelationshipModel, Replay, account owners.
//
// The Python layer (python/goodwill/relationship.py) speaks dicts, JSON and
// pandas; this file passes models as JSON text, trust parameters as a plain
// struct and replay results as read-only NumPy views of the C++ result
// (kept alive by the Replay object).
#include "pybind11.hpp"

#include <goodwill/relationship/effort.hpp>
#include <goodwill/relationship/owners.hpp>
#include <goodwill/relationship/replay.hpp>
#include <goodwill/relationship/trust_fit.hpp>
#include <goodwill/synthetic/trust_ledger.hpp>

#include <nlohmann/json.hpp> // relationship_model::to_json's value (dump)

#include <memory>
#include <string>

namespace goodwill::bindings {

namespace {

template <class T, class A>
py::array_t<T> member_view(const py::object &owner, const std::vector<T, A> &v,
                           std::vector<py::ssize_t> shape = {}) {
  if (shape.empty())
    shape = {static_cast<py::ssize_t>(v.size())};
  std::vector<py::ssize_t> strides(shape.size(), static_cast<py::ssize_t>(sizeof(T)));
  for (std::size_t i = shape.size() - 1; i-- > 0;)
    strides[i] = strides[i + 1] * shape[i + 1];
  py::array_t<T> a(shape, strides, v.data(), owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

template <class T, class F> py::array_t<T> log_column(const replay_result &r, F get) {
  std::vector<T> out(r.log.size());
  std::size_t i = 0;
  for (const auto &piece : r.log.pieces()) // contiguous blocks, in order
    for (const auto &rec : piece)
      out[i++] = static_cast<T>(get(rec));
  return to_numpy(std::move(out));
}

} // namespace

py::dict score_dict(const trust_score &s) {
  py::dict d;
  d["model"] = s.model;
  d["log_loss"] = s.log_loss;
  d["brier"] = s.brier;
  d["auc"] = s.auc;
  d["bin_count"] = s.bin_count;
  d["bin_predicted"] = s.bin_predicted;
  d["bin_observed"] = s.bin_observed;
  return d;
}

void register_trust_fit(py::module_ &m) {
  py::class_<trust_fit_options>(m, "TrustFitOptions", "Options of fit_trust (trust_fit.hpp).")
      .def(py::init<>())
      .def_property(
          "target", [](const trust_fit_options &o) { return enum_str(o.target); },
          [](trust_fit_options &o, const std::string &name) {
            o.target = parse_enum<trust_target>(name, "target");
          })
      .def_readwrite("split_time", &trust_fit_options::split_time)
      .def_readwrite("holdout_share", &trust_fit_options::holdout_share)
      .def_readwrite("period_days", &trust_fit_options::period_days)
      .def_readwrite("prior", &trust_fit_options::prior)
      .def_readwrite("weight_prior_scale", &trust_fit_options::weight_prior_scale)
      .def_readwrite("log_prior_scale", &trust_fit_options::log_prior_scale)
      .def_readwrite("fit_effort", &trust_fit_options::fit_effort)
      .def_readwrite("fit_half_life", &trust_fit_options::fit_half_life)
      .def_readwrite("threads", &trust_fit_options::threads)
      .def_readwrite("max_iterations", &trust_fit_options::max_iterations)
      .def_readwrite("sample_customers", &trust_fit_options::sample_customers)
      .def_readwrite("sample_seed", &trust_fit_options::sample_seed)
      .def("validate", &trust_fit_options::validate);
  m.attr("TRUST_TARGETS") = enum_tuple<trust_target>();

  py::class_<trust_fit_result>(m, "TrustFitResult", "The result of fit_trust.")
      .def_readonly("params", &trust_fit_result::params)
      .def_readonly("log_likelihood", &trust_fit_result::log_likelihood)
      .def_readonly("log_likelihood_prior", &trust_fit_result::log_likelihood_prior)
      .def_readonly("outcomes", &trust_fit_result::outcomes)
      .def_readonly("customers", &trust_fit_result::customers)
      .def_readonly("sampled_from", &trust_fit_result::sampled_from)
      .def_readonly("events", &trust_fit_result::events)
      .def_readonly("base_rate", &trust_fit_result::base_rate)
      .def_readonly("iterations", &trust_fit_result::iterations)
      .def_readonly("converged", &trust_fit_result::converged)
      .def_property_readonly("target", [](const trust_fit_result &r) { return enum_str(r.target); })
      .def("parameter_columns",
           [](const trust_fit_result &r) {
             py::dict d;
             py::list name, side;
             std::vector<double> est, se, lo, hi, prior;
             std::vector<bool> bound;
             std::vector<std::uint64_t> events, customers;
             for (const auto &p : r.parameters) {
               name.append(p.name);
               side.append(p.side);
               est.push_back(p.estimate);
               se.push_back(p.std_error);
               lo.push_back(p.lower);
               hi.push_back(p.upper);
               prior.push_back(p.prior_value);
               bound.push_back(p.at_bound);
               events.push_back(p.events);
               customers.push_back(p.customers);
             }
             d["name"] = name;
             d["side"] = side;
             d["estimate"] = to_numpy(std::move(est));
             d["std_error"] = to_numpy(std::move(se));
             d["lower"] = to_numpy(std::move(lo));
             d["upper"] = to_numpy(std::move(hi));
             d["prior"] = to_numpy(std::move(prior));
             d["at_bound"] = py::cast(bound);
             d["events"] = to_numpy(std::move(events));
             d["customers"] = to_numpy(std::move(customers));
             return d;
           })
      .def("validation", [](const trust_fit_result &r) {
        const auto &v = r.validation;
        py::dict d;
        d["split_time"] = v.split_time;
        d["outcomes"] = v.outcomes;
        d["customers"] = v.customers;
        d["observed_rate"] = v.observed_rate;
        py::list scores;
        for (const auto &s : v.scores)
          scores.append(score_dict(s));
        d["scores"] = scores;
        d["log_loss_difference"] = v.log_loss_difference;
        d["log_loss_difference_se"] = v.log_loss_difference_se;
        d["beats_portfolio"] = v.beats_portfolio;
        return d;
      });

  m.def(
      "fit_trust",
      [](const ledger &l, const trust_fit_options &opt) {
        released_gil release; // and interruptible
        return fit_trust(l, opt);
      },
      py::arg("ledger"), py::arg("options"));

  m.def(
      "trust_contributions",
      [](const ledger &l, customer_id c, const trust_params &p, double until) {
        trust_contribution_rows r;
        {
          released_gil release; // and interruptible
          r = trust_contributions(l, c, p, until);
        }
        py::dict d;
        d["prior"] = r.prior;
        d["trust"] = r.trust;
        d["alpha"] = r.alpha;
        d["beta"] = r.beta;
        d["row"] = to_numpy(std::move(r.row));
        d["time"] = to_numpy(std::move(r.time));
        std::vector<std::uint8_t> kinds(r.kind.size()), channels(r.channel.size());
        for (std::size_t i = 0; i < kinds.size(); ++i) {
          kinds[i] = static_cast<std::uint8_t>(r.kind[i]);
          channels[i] = static_cast<std::uint8_t>(r.channel[i]);
        }
        d["kind"] = to_numpy(std::move(kinds));
        d["channel"] = to_numpy(std::move(channels));
        d["weight"] = to_numpy(std::move(r.weight));
        d["fade"] = to_numpy(std::move(r.fade));
        d["contribution"] = to_numpy(std::move(r.contribution));
        return d;
      },
      py::arg("ledger"), py::arg("customer"), py::arg("trust"),
      py::arg("until") = std::numeric_limits<double>::infinity());

  m.def(
      "effort_profile",
      [](const ledger &l, double until) {
        effort_profile_result r;
        {
          released_gil release; // and interruptible
          r = effort_profile(l, until);
        }
        py::dict d;
        for (std::size_t k = 1; k < enum_count<effort_class>; ++k) {
          const auto name = enum_str(static_cast<effort_class>(k));
          d[py::str(name + "_events")] = to_numpy(std::move(r.counts[k]));
          d[py::str(name + "_hours")] = to_numpy(std::move(r.hours[k]));
        }
        d["responses"] = to_numpy(std::move(r.responses));
        d["trust_building_share"] = to_numpy(std::move(r.trust_building_share));
        d["trust_building_hours_share"] = to_numpy(std::move(r.trust_building_hours_share));
        return d;
      },
      py::arg("ledger"), py::arg("until") = std::numeric_limits<double>::infinity());

  py::class_<trust_ledger_params>(m, "TrustLedgerParams",
                                  "Parameters of synthetic_trust_ledger (trust_ledger.hpp).")
      .def(py::init<>())
      .def_readwrite("customers", &trust_ledger_params::customers)
      .def_readwrite("days", &trust_ledger_params::days)
      .def_readwrite("deals_per_year", &trust_ledger_params::deals_per_year)
      .def_readwrite("meetings_per_year", &trust_ledger_params::meetings_per_year)
      .def_readwrite("quotes_per_year", &trust_ledger_params::quotes_per_year)
      .def_readwrite("referrals_per_year", &trust_ledger_params::referrals_per_year)
      .def_readwrite("concession_share", &trust_ledger_params::concession_share)
      .def_readwrite("match_share", &trust_ledger_params::match_share)
      .def_readwrite("price_loss_share", &trust_ledger_params::price_loss_share)
      .def_readwrite("null", &trust_ledger_params::null)
      .def_readwrite("seed", &trust_ledger_params::seed)
      .def("validate", &trust_ledger_params::validate);
  m.def(
      "synthetic_trust_ledger",
      [](const trust_params &truth, const trust_ledger_params &p) {
        released_gil release; // and interruptible
        return synthetic_trust_ledger(truth, p);
      },
      py::arg("truth"), py::arg("params"));
}

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
            released_gil release; // and interruptible
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

  register_trust_fit(m);
  m.attr("OWNER_WINDOW_DAYS") = owner_params{}.window_days;
  m.def(
      "account_owners",
      [](const ledger &l, double window_days) {
        owners_result r;
        {
          released_gil release; // and interruptible
          r = account_owners(l, owner_params{window_days});
        }
        const auto column = [&](auto get) {
          using T = decltype(get(r.accounts.front()));
          std::vector<T> v(r.accounts.size());
          for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = get(r.accounts[i]);
          return to_numpy(std::move(v));
        };
        py::dict d;
        d["owner"] = column([](const account_owner &a) { return a.owner; });
        d["top"] = column([](const account_owner &a) { return a.top; });
        d["top_deals"] = column([](const account_owner &a) { return a.top_deals; });
        d["deals"] = column([](const account_owner &a) { return a.deals; });
        d["unattributed"] = column([](const account_owner &a) { return a.unattributed; });
        d["tied"] = column([](const account_owner &a) { return a.tied; });
        d["share"] = column([](const account_owner &a) { return a.share; });
        d["window_start"] = r.window_start;
        d["window_end"] = r.window_end;
        d["window_days"] = r.window_days;
        return d;
      },
      py::arg("ledger"), py::arg("window_days") = owner_params{}.window_days,
      "Each account's owner: the rep with a strict majority of its recent deals (owners.hpp).");

  m.def("relationship_selling", &relationship_selling, py::arg("dormancy") = dormancy_rule{},
        "The default relationship-selling model (see relationship_model.hpp).");
  m.attr("FEATURES") = enum_tuple<feature>();
  m.attr("COUNTERS") =
      name_tuple(std::span(enum_names<feature>()).subspan(first_counter, counter_count));

  py::class_<replay_result, std::shared_ptr<replay_result>>(m, "Replay", "The result of a replay.")
      .def_property_readonly("customers", [](const replay_result &r) { return r.customers; })
      .def_property_readonly("has_log", [](const replay_result &r) { return r.has_log; })
      .def_property_readonly("state",
                             [](const py::object &self) {
                               return member_view(self, self.cast<const replay_result &>().state);
                             })
      .def_property_readonly("alpha",
                             [](const py::object &self) {
                               return member_view(self, self.cast<const replay_result &>().alpha);
                             })
      .def_property_readonly("beta",
                             [](const py::object &self) {
                               return member_view(self, self.cast<const replay_result &>().beta);
                             })
      .def_property_readonly("trust",
                             [](const py::object &self) {
                               return member_view(self, self.cast<const replay_result &>().trust);
                             })
      .def_property_readonly("engagement",
                             [](const py::object &self) {
                               return member_view(self,
                                                  self.cast<const replay_result &>().engagement);
                             })
      .def_property_readonly("loyalty",
                             [](const py::object &self) {
                               return member_view(self, self.cast<const replay_result &>().loyalty);
                             })
      .def_property_readonly("price_sensitivity",
                             [](const py::object &self) {
                               return member_view(
                                   self, self.cast<const replay_result &>().price_sensitivity);
                             })
      .def_property_readonly("last_time",
                             [](const py::object &self) {
                               return member_view(self,
                                                  self.cast<const replay_result &>().last_time);
                             })
      .def_property_readonly("events",
                             [](const py::object &self) {
                               return member_view(self, self.cast<const replay_result &>().events);
                             })
      .def_property_readonly("dormancy_due",
                             [](const py::object &self) {
                               return member_view(self,
                                                  self.cast<const replay_result &>().dormancy_due);
                             })
      .def_property_readonly("as_of", [](const replay_result &r) { return r.as_of; })
      .def_property_readonly("counters",
                             [](const py::object &self) {
                               const auto &r = self.cast<const replay_result &>();
                               return member_view(self, r.counters,
                                                  {static_cast<py::ssize_t>(r.customers),
                                                   static_cast<py::ssize_t>(counter_count)});
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
              released_gil release; // and interruptible
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
              released_gil release; // and interruptible
              c = r.transition_counts(t0, t1);
            }
            const auto n = static_cast<py::ssize_t>(c.rows());
            py::array_t<double> out({n, n});
            auto v = out.mutable_unchecked<2>();
            for (py::ssize_t i = 0; i < n; ++i)
              for (py::ssize_t j = 0; j < n; ++j)
                v(i, j) = c(i, j);
            return out;
          },
          py::arg("start"), py::arg("end"));
}

} // namespace goodwill::bindings
