// goodwill._core.negotiation, elicitation: partial profiles, the eliciting
// negotiator's options, elicitation sessions (with their discovery events)
// and the blind-vs-eliciting batch (negotiation/elicitation.hpp).
#include "negotiation_handle.hpp"
#include "pybind11.hpp"

#include <goodwill/negotiation/elicitation.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace goodwill::bindings {

namespace {

/// A dict of columns, one per (name, field of a row): the rows of a
/// result as the column lists Python turns into a DataFrame.
template <class Rows, class... Fields>
py::dict column_dict(const Rows &rows, const std::pair<const char *, Fields> &...fields) {
  py::dict d;
  auto put = [&](const char *name, const auto &field) {
    using T = std::decay_t<decltype(field(*rows.begin()))>;
    std::vector<T> col;
    col.reserve(rows.size());
    for (const auto &r : rows)
      col.push_back(field(r));
    d[name] = std::move(col);
  };
  (put(fields.first, fields.second), ...);
  return d;
}

/// A (name, field) pair for column_dict.
template <class F> std::pair<const char *, F> col(const char *name, F f) {
  return {name, f};
}

session_options make_session(std::uint32_t rounds, std::uint64_t seed) {
  if (rounds == 0)
    throw invalid_input("rounds", "must be at least 1");
  session_options o;
  o.rounds = rounds;
  o.seed = seed;
  return o;
}

} // namespace

void register_negotiation_elicitation(py::module_ &m) {
  m.attr("ELICITATION_POLICIES") = enum_tuple<elicitation_policy>();
  m.attr("QUESTION_REASONS") = enum_tuple<question_reason>();
  py::class_<partial_profile>(m, "PartialProfile",
                              "What a party knows of its own utility: an interval per outcome.")
      .def_static(
          "from_intervals",
          [](std::vector<double> lo, std::vector<double> hi) {
            return partial_profile(std::move(lo), std::move(hi));
          },
          py::arg("lo"), py::arg("hi"))
      .def_static("from_weight_intervals", &partial_profile::from_weight_intervals,
                  py::arg("utility"), py::arg("weight_lo"), py::arg("weight_hi"))
      .def_static("from_ordering", &partial_profile::from_ordering, py::arg("n"), py::arg("order"),
                  py::arg("umin"), py::arg("umax"))
      .def("__len__", &partial_profile::size)
      .def_property_readonly("known_count", &partial_profile::known_count)
      .def_property_readonly("lo",
                             [](const partial_profile &p) {
                               std::vector<double> v(p.size());
                               for (outcome_id o = 0; o < p.size(); ++o)
                                 v[o] = p.lo(o);
                               return v;
                             })
      .def_property_readonly("hi", [](const partial_profile &p) {
        std::vector<double> v(p.size());
        for (outcome_id o = 0; o < p.size(); ++o)
          v[o] = p.hi(o);
        return v;
      });

  py::class_<elicitation_options>(m, "ElicitationOptions",
                                  "The eliciting negotiator's parameters (C++ defaults).")
      .def(py::init<>())
      .def_property(
          "policy", [](const elicitation_options &o) { return policy_name(o.policy); },
          [](elicitation_options &o, const std::string &s) {
            o.policy = parse_enum<elicitation_policy>(s, "policy");
          })
      .def_readwrite("cost", &elicitation_options::cost)
      .def_readwrite("max_questions", &elicitation_options::max_questions)
      .def_readwrite("per_turn", &elicitation_options::per_turn)
      .def_readwrite("e", &elicitation_options::e)
      .def_readwrite("opponent_model", &elicitation_options::opponent_model)
      .def_readwrite("window", &elicitation_options::window)
      .def("validate", &elicitation_options::validate);

  py::class_<elicitation_run_defaults>(
      m, "ElicitationRunOptions",
      "Elicitation runs' settings outside the negotiator (C++ defaults): hours_per_question "
      "(ledger), spread and confidence (batch).")
      .def(py::init<>())
      .def_readonly("hours_per_question", &elicitation_run_defaults::hours_per_question)
      .def_readonly("spread", &elicitation_run_defaults::spread)
      .def_readonly("confidence", &elicitation_run_defaults::confidence);

  m.def(
      "run_elicitation_session",
      [](const scenario &sc, const partial_profile &profile, const strategy_handle &opponent,
         const elicitation_options &eo, int me, std::uint32_t rounds, std::uint64_t seed,
         double start_time, double days_per_round, double value_scale, double hours_per_question) {
        const auto opt = make_session(rounds, seed);
        eliciting_negotiator el(profile, eo);
        auto opp = opponent.proto->clone();
        elicitation_result r;
        {
          released_gil release; // and interruptible
          r = run_elicitation_session(sc, el, *opp, me, opt);
        }
        ledger l;
        append_elicitation_events(l, sc, r, {0, me, start_time, days_per_round, value_scale},
                                  hours_per_question);
        py::dict d;
        d["status"] = enum_str(r.session.status);
        d["outcome"] = r.session.agreement() ? static_cast<std::int64_t>(r.session.outcome) : -1;
        d["u1"] = r.session.u1;
        d["u2"] = r.session.u2;
        d["du1"] = r.session.du1;
        d["du2"] = r.session.du2;
        d["rounds"] = r.session.rounds;
        d["question_cost"] = r.question_cost;
        d["net"] = r.net;
        d["questions"] = column_dict(
            r.questions, col("round", [](const question_record &q) { return q.round; }),
            col("turn", [](const question_record &q) { return q.turn; }),
            col("outcome", [](const question_record &q) { return std::uint64_t{q.outcome}; }),
            col("answer", [](const question_record &q) { return q.answer; }),
            col("reason",
                [](const question_record &q) { return std::string(enum_str(q.reason)); }));
        d["events"] = ledger_events_dict(l);
        return d;
      },
      py::arg("scenario"), py::arg("profile"), py::arg("opponent"), py::arg("options"),
      py::arg("me") = 0, py::arg("rounds") = session_options{}.rounds, py::arg("seed") = 0,
      py::arg("start_time") = 0.0, py::arg("days_per_round") = 1.0, py::arg("value_scale") = 1.0,
      py::arg("hours_per_question") = elicitation_run_defaults{}.hours_per_question);

  m.def(
      "run_elicitation_batch",
      [](const scenario &sc, const linear_additive_utility &truth, int me,
         const strategy_handle &opponent, const std::vector<elicitation_options> &policies,
         const std::vector<std::uint64_t> &seeds, double spread, std::uint32_t rounds,
         unsigned threads, double confidence) {
        const auto opt = make_session(rounds, 0);
        elicitation_batch_result r;
        {
          released_gil release; // and interruptible
          r = run_elicitation_batch(sc, truth, me, *opponent.proto, policies, seeds, spread, opt,
                                    opponent.python ? 1u : threads, confidence);
        }
        using row_t = elicitation_row;
        using sum_t = elicitation_summary;
        py::dict rows = column_dict(
            r.rows, col("policy", [](const row_t &x) { return x.policy; }),
            col("seed", [](const row_t &x) { return x.seed; }),
            col("status", [](const row_t &x) { return std::string(enum_str(x.status)); }),
            col("outcome",
                [](const row_t &x) {
                  return x.status == session_status::agreement
                             ? static_cast<std::int64_t>(x.outcome)
                             : std::int64_t{-1};
                }),
            col("u", [](const row_t &x) { return x.u; }),
            col("du", [](const row_t &x) { return x.du; }),
            col("opponent_u", [](const row_t &x) { return x.opponent_u; }),
            col("questions", [](const row_t &x) { return x.questions; }),
            col("cost", [](const row_t &x) { return x.cost; }),
            col("net", [](const row_t &x) { return x.net; }),
            col("rounds", [](const row_t &x) { return x.rounds; }));
        py::dict sm =
            column_dict(r.summary, col("policy", [](const sum_t &x) { return x.policy; }),
                        col("n", [](const sum_t &x) { return x.n; }),
                        col("net", [](const sum_t &x) { return x.mean_net; }),
                        col("net_lo", [](const sum_t &x) { return x.net_lo; }),
                        col("net_hi", [](const sum_t &x) { return x.net_hi; }),
                        col("u", [](const sum_t &x) { return x.mean_u; }),
                        col("agreement_rate", [](const sum_t &x) { return x.agreement_rate; }),
                        col("questions", [](const sum_t &x) { return x.mean_questions; }),
                        col("net_gain", [](const sum_t &x) { return x.diff; }),
                        col("net_gain_lo", [](const sum_t &x) { return x.diff_lo; }),
                        col("net_gain_hi", [](const sum_t &x) { return x.diff_hi; }));
        return py::make_tuple(rows, sm);
      },
      py::arg("scenario"), py::arg("truth"), py::arg("me"), py::arg("opponent"),
      py::arg("policies"), py::arg("seeds"), py::arg("spread") = elicitation_run_defaults{}.spread,
      py::arg("rounds") = session_options{}.rounds, py::arg("threads") = 0,
      py::arg("confidence") = elicitation_run_defaults{}.confidence);
}

} // namespace goodwill::bindings
