// goodwill._core negotiation, elicitation: partial profiles, the eliciting
// negotiator's options, elicitation sessions (with their discovery events)
// and the blind-vs-eliciting batch (negotiation/elicitation.hpp).
#include "negotiation_handle.hpp"
#include "pybind11.hpp"

#include <goodwill/negotiation/elicitation.hpp>

#include <string>
#include <vector>

namespace goodwill::bindings {

namespace {

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
        std::vector<std::uint32_t> qr, qt;
        std::vector<std::uint64_t> qo;
        std::vector<double> qa;
        std::vector<std::string> qw;
        for (const auto &q : r.questions) {
          qr.push_back(q.round);
          qt.push_back(q.turn);
          qo.push_back(q.outcome);
          qa.push_back(q.answer);
          qw.emplace_back(enum_str(q.reason));
        }
        py::dict qd;
        qd["round"] = qr;
        qd["turn"] = qt;
        qd["outcome"] = qo;
        qd["answer"] = qa;
        qd["reason"] = qw;
        d["questions"] = qd;
        py::dict ev;
        ev["time"] = std::vector<double>(l.times().begin(), l.times().end());
        ev["kind"] = std::vector<std::uint8_t>(l.kinds().begin(), l.kinds().end());
        ev["amount"] = std::vector<double>(l.amounts().begin(), l.amounts().end());
        ev["detail"] = std::vector<std::int32_t>(l.details().begin(), l.details().end());
        d["events"] = ev;
        return d;
      },
      py::arg("scenario"), py::arg("profile"), py::arg("opponent"), py::arg("options"),
      py::arg("me") = 0, py::arg("rounds") = session_options{}.rounds, py::arg("seed") = 0,
      py::arg("start_time") = 0.0, py::arg("days_per_round") = 1.0, py::arg("value_scale") = 1.0,
      py::arg("hours_per_question") = 1.0);

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
        const auto n = r.rows.size();
        std::vector<std::uint32_t> policy(n), questions(n), rnds(n);
        std::vector<std::uint64_t> seed(n);
        std::vector<std::int64_t> outcome(n);
        std::vector<std::string> status(n);
        std::vector<double> u(n), du(n), ou(n), cost(n), net(n);
        for (std::size_t i = 0; i < n; ++i) {
          const auto &x = r.rows[i];
          policy[i] = x.policy;
          seed[i] = x.seed;
          status[i] = enum_str(x.status);
          outcome[i] =
              x.status == session_status::agreement ? static_cast<std::int64_t>(x.outcome) : -1;
          u[i] = x.u;
          du[i] = x.du;
          ou[i] = x.opponent_u;
          questions[i] = x.questions;
          cost[i] = x.cost;
          net[i] = x.net;
          rnds[i] = x.rounds;
        }
        py::dict rows;
        rows["policy"] = policy;
        rows["seed"] = seed;
        rows["status"] = status;
        rows["outcome"] = outcome;
        rows["u"] = u;
        rows["du"] = du;
        rows["opponent_u"] = ou;
        rows["questions"] = questions;
        rows["cost"] = cost;
        rows["net"] = net;
        rows["rounds"] = rnds;
        py::dict sm;
        std::vector<std::uint32_t> sp;
        std::vector<std::size_t> sn;
        std::vector<double> mn, lo, hi, mu, ag, mq, df, dlo, dhi;
        for (const auto &s : r.summary) {
          sp.push_back(s.policy);
          sn.push_back(s.n);
          mn.push_back(s.mean_net);
          lo.push_back(s.net_lo);
          hi.push_back(s.net_hi);
          mu.push_back(s.mean_u);
          ag.push_back(s.agreement_rate);
          mq.push_back(s.mean_questions);
          df.push_back(s.diff);
          dlo.push_back(s.diff_lo);
          dhi.push_back(s.diff_hi);
        }
        sm["policy"] = sp;
        sm["n"] = sn;
        sm["net"] = mn;
        sm["net_lo"] = lo;
        sm["net_hi"] = hi;
        sm["u"] = mu;
        sm["agreement_rate"] = ag;
        sm["questions"] = mq;
        sm["net_gain"] = df;
        sm["net_gain_lo"] = dlo;
        sm["net_gain_hi"] = dhi;
        return py::make_tuple(rows, sm);
      },
      py::arg("scenario"), py::arg("truth"), py::arg("me"), py::arg("opponent"),
      py::arg("policies"), py::arg("seeds"), py::arg("spread"),
      py::arg("rounds") = session_options{}.rounds, py::arg("threads") = 0,
      py::arg("confidence") = 0.95);
}

} // namespace goodwill::bindings
