// goodwill._core.negotiation: outcome spaces, utilities, Genius import,
// bargaining analysis, sessions, strategies (built in and Python), batches.
#include "negotiation_handle.hpp"
#include "pybind11.hpp"

#include <goodwill/ledger.hpp>
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/bargaining.hpp>
#include <goodwill/negotiation/genius.hpp>
#include <goodwill/negotiation/multilateral.hpp>
#include <goodwill/negotiation/nonlinear.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>
#include <goodwill/negotiation/tournament.hpp>

#include <pybind11/eigen.h>

#include <array>
#include <memory>
#include <string>
#include <tuple>
#include <variant>

namespace goodwill::bindings {

namespace {

/// A strategy written in Python: an object with propose(state) -> int,
/// respond(state, offer) -> "accept" | "reject" | "walk_away" (or a
/// goodwill response code) and optionally start(setup: dict), name.
/// Calls take the GIL; clones are copy.deepcopy of the object.
class python_negotiator final : public negotiator {
public:
  explicit python_negotiator(py::object obj) : obj_(std::move(obj)) {}
  ~python_negotiator() override {
    py::gil_scoped_acquire gil;
    obj_ = py::object();
  }
  python_negotiator(const python_negotiator &) = delete;
  python_negotiator &operator=(const python_negotiator &) = delete;

  void start(const negotiator_setup &s) override {
    py::gil_scoped_acquire gil;
    if (!py::hasattr(obj_, "start"))
      return;
    py::dict d;
    d["me"] = s.me;
    d["rounds"] = s.rounds;
    d["seed"] = s.seed;
    d["first"] = s.first;
    d["reservation"] = s.reservation();
    d["utility"] =
        py::array_t<double>(static_cast<py::ssize_t>(s.utility().size()), s.utility().data());
    if (s.complete_information)
      d["opponent_utility"] = py::array_t<double>(
          static_cast<py::ssize_t>(s.sc->utility(1 - s.me).size()), s.sc->utility(1 - s.me).data());
    obj_.attr("start")(d);
  }
  response respond(const turn_state &st, outcome_id offer) override {
    py::gil_scoped_acquire gil;
    const py::object r = obj_.attr("respond")(state(st), offer);
    if (py::isinstance<py::str>(r)) {
      const auto s = r.cast<std::string>();
      if (s == "accept")
        return response::accept;
      if (s == "reject")
        return response::reject;
      if (s == "walk_away" || s == "end")
        return response::walk_away;
      throw invalid_input("respond", "returned '" + s + "'; expected accept, reject or walk_away");
    }
    if (py::isinstance<py::bool_>(r))
      return r.cast<bool>() ? response::accept : response::reject;
    throw invalid_input("respond", "must return 'accept', 'reject' or 'walk_away'");
  }
  outcome_id propose(const turn_state &st) override {
    py::gil_scoped_acquire gil;
    const py::object r = obj_.attr("propose")(state(st));
    if (r.is_none())
      return end_negotiation;
    const auto v = r.cast<std::int64_t>();
    if (v < 0)
      throw invalid_input("propose", "returned a negative outcome id");
    return static_cast<outcome_id>(v);
  }
  [[nodiscard]] std::unique_ptr<negotiator> clone() const override {
    py::gil_scoped_acquire gil;
    return std::make_unique<python_negotiator>(py::module_::import("copy").attr("deepcopy")(obj_));
  }
  [[nodiscard]] std::string name() const override {
    py::gil_scoped_acquire gil;
    if (py::hasattr(obj_, "name"))
      return py::str(obj_.attr("name")).cast<std::string>();
    return py::str(py::type::of(obj_).attr("__name__")).cast<std::string>();
  }

private:
  static py::dict state(const turn_state &st) {
    py::dict d;
    d["round"] = st.round;
    d["turn"] = st.turn;
    d["t"] = st.t;
    d["offer"] = st.has_opponent_offer ? py::object(py::int_(st.opponent_offer)) : py::none();
    d["rival_price"] = st.rival_disclosed ? py::object(py::float_(st.rival_price)) : py::none();
    return d;
  }
  py::object obj_;
};

acceptance make_acceptance(const std::string &kind, double alpha, double beta, double c, double T) {
  if (kind == "next")
    return acceptance::ac_next(alpha, beta);
  if (kind == "const")
    return acceptance::ac_const(c);
  if (kind == "time")
    return acceptance::ac_time(T);
  if (kind == "combi")
    return acceptance::ac_combi(T);
  throw invalid_input("acceptance", "'" + kind + "' is not one of next, const, time, combi");
}

py::dict result_dict(const session_result &r) {
  py::dict d;
  d["status"] = static_cast<int>(r.status);
  d["ended_by"] = r.ended_by;
  d["deadline_party"] = r.deadline_party;
  d["own_rounds"] = py::make_tuple(r.own_rounds[0], r.own_rounds[1]);
  d["outcome"] = r.agreement() ? py::object(py::int_(r.outcome)) : py::none();
  d["u1"] = r.u1;
  d["u2"] = r.u2;
  d["du1"] = r.du1;
  d["du2"] = r.du2;
  d["penalty1"] = r.penalty1;
  d["penalty2"] = r.penalty2;
  d["t"] = r.t;
  d["rounds"] = r.rounds;
  d["offers"] = r.offers;
  d["rival_price"] = r.rival_disclosed ? py::object(py::float_(r.rival_price)) : py::none();
  py::dict tr = columns_dict(offer_trace_columns(r.trace));
  d["trace"] = tr;
  return d;
}

session_options make_options(std::uint32_t rounds, int first, const std::string &clock,
                             std::uint64_t seed, bool complete_information, double time_limit) {
  session_options o;
  o.rounds = rounds;
  o.first = first;
  o.clock = parse_enum<discount_clock>(clock, "clock");
  o.seed = seed;
  o.complete_information = complete_information;
  o.time_limit = time_limit;
  return o;
}

// Column-shaped batch rows (one NumPy array per field).
py::tuple point(const bargaining_point &p) {
  return py::make_tuple(p.exists ? py::object(py::int_(p.outcome)) : py::none(), p.u1, p.u2);
}

/// The rows of run_multilateral_batch as columns (one vector per field, no
/// object per row), for columns_dict: utilities is row-major, one value per
/// party of each row (rows × parties).
struct multilateral_columns {
  std::vector<std::uint32_t> scenario;
  std::vector<std::uint64_t> seed;
  std::vector<std::uint8_t> status;
  std::vector<std::uint64_t> outcome;
  std::vector<std::uint32_t> rounds, offers;
  std::vector<double> t, utilities;

  explicit multilateral_columns(std::span<const multilateral_row> rows) {
    for (const auto &r : rows) {
      scenario.push_back(r.scenario);
      seed.push_back(r.seed);
      status.push_back(static_cast<std::uint8_t>(r.status));
      outcome.push_back(r.outcome);
      rounds.push_back(r.rounds);
      offers.push_back(r.offers);
      t.push_back(r.t);
      utilities.insert(utilities.end(), r.utilities.begin(), r.utilities.end());
    }
  }

  template <class F> void for_each(F &&f) {
    f("scenario", scenario);
    f("seed", seed);
    f("status", status);
    f("outcome", outcome);
    f("rounds", rounds);
    f("offers", offers);
    f("t", t);
    f("utilities", utilities);
  }
};

} // namespace

void register_negotiation(py::module_ &m) {
  m.attr("ISSUE_KINDS") = enum_tuple<issue_kind>();
  m.attr("SESSION_STATUSES") = enum_tuple<session_status>();
  m.attr("OFFER_TAGS") = enum_tuple<offer_tag>();
  m.attr("RFP_STATUSES") = enum_tuple<rfp_status>();
  {
    // the response codes of a multilateral trace: response's, then not_asked
    static_assert(goodwill::not_asked == enum_count<response>);
    py::list codes(enum_tuple<response>());
    codes.append("not_asked");
    m.attr("RESPONSES") = py::tuple(codes);
  }
  // ---- outcome space ---------------------------------------------------------
  py::class_<issue>(m, "Issue",
                    R"doc(One negotiable issue: named values (categorical or ordinal), a range of
integers or an interval of reals.

An Issue has no constructor of its own: build it with one of the static
methods ``Issue.categorical(name, values)``, ``Issue.ordinal(name, values)``,
``Issue.integer(name, lower, upper)`` or ``Issue.continuous(name, lower,
upper)``, and give a list of issues to
:class:`goodwill.negotiation.OutcomeSpace`. Bad input (no values, an upper
bound below the lower one, non-finite bounds) raises
:class:`goodwill.InvalidInputError` naming the issue.

Parameters
----------
name : str
    Name of the issue (the column name in outcome frames).
values : list of str
    ``categorical`` and ``ordinal``: the values, in order (ordinal values
    are ordered worst to best or as the domain orders them).
lower, upper : int or float
    ``integer``: the integers ``lower..upper``, both included;
    ``continuous``: the reals in ``[lower, upper]`` (finite bounds).

Attributes
----------
name : str
kind : str
    "categorical", "ordinal", "integer" or "continuous".
labels : list of str
    The values of a categorical or ordinal issue (empty otherwise).
lower, upper : float
    Bounds of an integer or continuous issue.
size : int
    Number of values (``upper - lower + 1`` for an integer issue; 0 for a
    continuous one).
discrete : bool
    Whether the issue has finitely many values.

Examples
--------
>>> from goodwill.negotiation import Issue
>>> price = Issue.integer("price", 100, 200)
>>> price.kind, price.size
('integer', 101)
>>> support = Issue.categorical("support", ["basic", "premium"])
>>> support.size, support.format(1)
(2, 'premium')
>>> delivery = Issue.continuous("delivery", 0.0, 1.0)
>>> delivery.discrete, delivery.size
(False, 0)
)doc")
      .def_static("categorical", &issue::categorical, py::arg("name"), py::arg("values"))
      .def_static("ordinal", &issue::ordinal, py::arg("name"), py::arg("values"))
      .def_static("integer", &issue::integer, py::arg("name"), py::arg("lower"), py::arg("upper"))
      .def_static("continuous", &issue::continuous, py::arg("name"), py::arg("lower"),
                  py::arg("upper"))
      .def_readonly("name", &issue::name)
      .def_property_readonly("kind", [](const issue &i) { return enum_str(i.kind); })
      .def_readonly("labels", &issue::labels)
      .def_readonly("lower", &issue::lower)
      .def_readonly("upper", &issue::upper)
      .def_property_readonly("size", &issue::size)
      .def_property_readonly("discrete", &issue::discrete)
      .def("format", &issue::format, py::arg("value"));

  py::class_<outcome_space>(m, "OutcomeSpace", "Issues and the outcomes they span.")
      .def(py::init<std::vector<issue>>(), py::arg("issues"))
      .def_property_readonly("issues", &outcome_space::issues)
      .def_property_readonly("cardinality", &outcome_space::cardinality)
      .def_property_readonly("size", &outcome_space::size)
      .def_property_readonly("discrete", &outcome_space::discrete)
      .def(
          "enumerate",
          [](const outcome_space &s, std::uint64_t limit) {
            std::vector<double> v;
            {
              released_gil release; // and interruptible
              v = s.enumerate(limit);
            }
            const auto k = static_cast<py::ssize_t>(s.issue_count());
            const auto n = static_cast<py::ssize_t>(v.size()) / k;
            return to_numpy(std::move(v)).reshape({n, k});
          },
          py::arg("limit") = 50'000'000)
      .def(
          "sample",
          [](const outcome_space &s, std::size_t n, std::uint64_t seed) {
            auto v = s.sample(n, seed);
            const auto k = static_cast<py::ssize_t>(s.issue_count());
            return to_numpy(std::move(v)).reshape({static_cast<py::ssize_t>(n), k});
          },
          py::arg("n"), py::arg("seed"))
      .def(
          "sample_ids",
          [](const outcome_space &s, std::size_t n, std::uint64_t seed) {
            return to_numpy(s.sample_ids(n, seed));
          },
          py::arg("n"), py::arg("seed"))
      .def("decode", py::overload_cast<outcome_id>(&outcome_space::decode, py::const_),
           py::arg("id"))
      .def(
          "encode",
          [](const outcome_space &s, const std::vector<double> &v) { return s.encode(v); },
          py::arg("values"))
      .def("discretized", &outcome_space::discretized, py::arg("levels"))
      .def("issue_index", &outcome_space::issue_index, py::arg("name"));

  // ---- preferences -------------------------------------------------------------
  py::class_<linear_additive_utility>(m, "LinearAdditiveUtility",
                                      "Linear-additive utility with reservation and discount.")
      .def(py::init([](const outcome_space &space, std::vector<double> weights,
                       std::vector<std::optional<std::vector<double>>> tables,
                       std::vector<std::optional<std::pair<double, double>>> linear,
                       double reservation, double discount) {
             const auto k = space.issue_count();
             if (tables.size() != k || linear.size() != k)
               throw invalid_input("evaluators", "need one entry per issue");
             std::vector<issue_evaluator> ev(k);
             for (std::size_t i = 0; i < k; ++i) {
               if (tables[i])
                 ev[i].table = *tables[i];
               if (linear[i])
                 ev[i].linear = linear_evaluator{linear[i]->first, linear[i]->second, true};
             }
             return linear_additive_utility(space, std::move(weights), std::move(ev), reservation,
                                            discount);
           }),
           py::arg("space"), py::arg("weights"), py::arg("tables"), py::arg("linear"),
           py::arg("reservation") = 0.0, py::arg("discount") = 1.0)
      .def_property_readonly("space", &linear_additive_utility::space)
      .def_property_readonly("weights", &linear_additive_utility::weights)
      .def_property_readonly("tables",
                             [](const linear_additive_utility &u) {
                               std::vector<std::vector<double>> t;
                               for (const auto &e : u.evaluators())
                                 t.push_back(e.table);
                               return t;
                             })
      .def_property("reservation", &linear_additive_utility::reservation,
                    &linear_additive_utility::set_reservation)
      .def_property("discount", &linear_additive_utility::discount,
                    &linear_additive_utility::set_discount)
      .def_property("cap", &linear_additive_utility::cap, &linear_additive_utility::set_cap,
                    "Upper bound on the utility (1 for Genius profiles, inf for none).")
      .def("__call__",
           [](const linear_additive_utility &u, const std::vector<double> &v) { return u(v); })
      .def("discounted", &linear_additive_utility::discounted, py::arg("u"), py::arg("t"))
      .def("discretized", &linear_additive_utility::discretized, py::arg("levels"))
      .def("evaluate_all",
           [](const linear_additive_utility &u) {
             Eigen::ArrayXd a;
             {
               released_gil release; // and interruptible
               a = u.evaluate_all();
             }
             return std::vector<double>(a.data(), a.data() + a.size());
           })
      .def("evaluate_all_numpy", [](const linear_additive_utility &u) {
        Eigen::ArrayXd a;
        {
          released_gil release; // and interruptible
          a = u.evaluate_all();
        }
        return to_numpy(std::vector<double>(a.data(), a.data() + a.size()));
      });

  m.def(
      "load_genius_domain", [](const std::string &p) { return load_genius_domain(p); },
      py::arg("path"));
  // ---- non-linear preferences (nonlinear.hpp) ---------------------------------------
  // A rectangle from Python: (bounds [(issue, min, max)], utility, weight, exclusive).
  using py_rect =
      std::tuple<std::vector<std::tuple<std::size_t, double, double>>, double, double, bool>;
  py::class_<hyper_rectangle_utility>(m, "HyperRectangleUtility",
                                      "Hyper-rectangle utility (Genius non-linear semantics).")
      .def(py::init([](const outcome_space &space, const std::vector<py_rect> &rects,
                       double reservation, double discount, double max_utility, double cap) {
             ufun_node root;
             for (const auto &[bounds, utility, weight, exclusive] : rects) {
               hyper_rectangle h;
               for (const auto &[i, lo, hi] : bounds)
                 h.bounds.push_back({i, lo, hi});
               h.utility = utility;
               h.weight = weight;
               h.exclusive = exclusive;
               root.rectangles.push_back(std::move(h));
             }
             return hyper_rectangle_utility(space, std::move(root), max_utility, reservation,
                                            discount, cap);
           }),
           py::arg("space"), py::arg("rectangles"), py::arg("reservation") = 0.0,
           py::arg("discount") = 1.0, py::arg("max_utility") = 1.0,
           py::arg("cap") = std::numeric_limits<double>::infinity())
      .def_property_readonly("space", &hyper_rectangle_utility::space)
      .def_property("reservation", &hyper_rectangle_utility::reservation,
                    &hyper_rectangle_utility::set_reservation)
      .def_property_readonly("discount", &hyper_rectangle_utility::discount)
      .def_property_readonly("max_utility", &hyper_rectangle_utility::max_utility)
      .def_property_readonly("cap", &hyper_rectangle_utility::cap)
      .def_property_readonly("rectangle_count", &hyper_rectangle_utility::rectangle_count)
      .def_property_readonly("fast_path", &hyper_rectangle_utility::fast_path)
      .def("__call__",
           [](const hyper_rectangle_utility &u, const std::vector<double> &v) { return u(v); })
      .def("evaluate_all_numpy", [](const hyper_rectangle_utility &u) {
        Eigen::ArrayXd a;
        {
          released_gil release; // and interruptible
          a = u.evaluate_all();
        }
        return to_numpy(std::vector<double>(a.data(), a.data() + a.size()));
      });
  py::class_<weighted_sum_utility>(m, "WeightedSumUtility",
                                   "A weighted sum of utility functions over one space.")
      .def(py::init(
               [](const std::vector<std::variant<linear_additive_utility, hyper_rectangle_utility>>
                      &parts,
                  std::vector<double> weights, double reservation, double discount) {
                 std::vector<weighted_sum_utility::component> c(parts.begin(), parts.end());
                 return weighted_sum_utility(std::move(c), std::move(weights), reservation,
                                             discount);
               }),
           py::arg("parts"), py::arg("weights"), py::arg("reservation") = 0.0,
           py::arg("discount") = 1.0)
      .def_property_readonly("space", &weighted_sum_utility::space)
      .def_property_readonly("reservation", &weighted_sum_utility::reservation)
      .def_property_readonly("discount", &weighted_sum_utility::discount)
      .def_property_readonly("weights", &weighted_sum_utility::weights)
      .def("__call__",
           [](const weighted_sum_utility &u, const std::vector<double> &v) { return u(v); })
      .def("evaluate_all_numpy", [](const weighted_sum_utility &u) {
        Eigen::ArrayXd a;
        {
          released_gil release; // and interruptible
          a = u.evaluate_all();
        }
        return to_numpy(std::vector<double>(a.data(), a.data() + a.size()));
      });
  m.def(
      "load_genius_utility",
      [](const outcome_space &s, const std::string &p) { return load_genius_utility(s, p); },
      py::arg("space"), py::arg("path"),
      "A Genius profile of either kind: LinearAdditiveUtility or HyperRectangleUtility.");
  using any_utility =
      std::variant<linear_additive_utility, hyper_rectangle_utility, weighted_sum_utility>;
  py::class_<approximate_bargaining_options>(
      m, "ApproximateBargainingOptions",
      "How bargaining_analysis and search_scenario sample and search a large or continuous "
      "space (C++ defaults: negotiation/nonlinear.hpp).")
      .def(py::init<>())
      .def_readwrite("samples", &approximate_bargaining_options::samples)
      .def_readwrite("climbs", &approximate_bargaining_options::climbs)
      .def_readwrite("passes", &approximate_bargaining_options::passes)
      .def_readwrite("values_per_issue", &approximate_bargaining_options::values_per_issue)
      .def_readwrite("seed", &approximate_bargaining_options::seed)
      .def_readwrite("exact_limit", &approximate_bargaining_options::exact_limit);
  m.def(
      "bargaining_analysis",
      [](const any_utility &a, const any_utility &b, const approximate_bargaining_options &o) {
        bargaining_analysis_result r;
        {
          released_gil release; // and interruptible
          r = std::visit([&](const auto &x, const auto &y) { return bargaining_analysis(x, y, o); },
                         a, b);
        }
        py::dict d;
        d["values"] = to_numpy(std::move(r.values));
        d["issue_count"] = r.issue_count;
        d["frontier"] =
            py::make_tuple(to_numpy(std::move(r.front.outcomes)), to_numpy(std::move(r.front.u1)),
                           to_numpy(std::move(r.front.u2)));
        d["nash"] = point(r.nash);
        d["kalai_smorodinsky"] = point(r.kalai_smorodinsky);
        d["max_welfare"] = point(r.max_welfare);
        d["approximate"] = r.approximate;
        d["evaluations"] = r.evaluations;
        d["method"] = r.method;
        return d;
      },
      py::arg("u1"), py::arg("u2"), py::arg("options"));

  // ---- bargaining ----------------------------------------------------------------
  m.def(
      "pareto_frontier",
      [](const carray<double> &u1, const carray<double> &u2) {
        pareto_front f;
        {
          const auto a = as_span(u1);
          const auto b = as_span(u2);
          released_gil release; // and interruptible
          f = pareto_frontier(a, b);
        }
        return py::make_tuple(to_numpy(std::move(f.outcomes)), to_numpy(std::move(f.u1)),
                              to_numpy(std::move(f.u2)));
      },
      py::arg("u1"), py::arg("u2"));
  m.def(
      "bargaining_points",
      [](const carray<double> &u1, const carray<double> &u2, double r1, double r2) {
        const auto a = as_span(u1), b = as_span(u2);
        bargaining_point nash, ks, welfare;
        {
          released_gil release; // the frontier is O(n log n) in the outcomes; interruptible
          const auto f = pareto_frontier(a, b);
          nash = nash_point(f, r1, r2);
          ks = kalai_smorodinsky_point(f, r1, r2);
          welfare = max_welfare_point(f, r1, r2);
        }
        py::dict d;
        d["nash"] = point(nash);
        d["kalai_smorodinsky"] = point(ks);
        d["max_welfare"] = point(welfare);
        return d;
      },
      py::arg("u1"), py::arg("u2"), py::arg("r1"), py::arg("r2"));

  // ---- scenario --------------------------------------------------------------------
  py::class_<scenario, std::shared_ptr<scenario>>(m, "Scenario",
                                                  "Two parties' utilities of every outcome.")
      .def(py::init([](const linear_additive_utility &a, const linear_additive_utility &b,
                       const std::string &name) {
             released_gil release; // and interruptible
             return std::make_shared<scenario>(a, b, name);
           }),
           py::arg("u1"), py::arg("u2"), py::arg("name") = "")
      .def(py::init([](const outcome_space &s, Eigen::ArrayXd u1, Eigen::ArrayXd u2, double r1,
                       double r2, double d1, double d2, const std::string &name) {
             released_gil release; // and interruptible
             return std::make_shared<scenario>(s, std::move(u1), std::move(u2), r1, r2, d1, d2,
                                               name);
           }),
           py::arg("space"), py::arg("u1"), py::arg("u2"), py::arg("r1"), py::arg("r2"),
           py::arg("d1") = 1.0, py::arg("d2") = 1.0, py::arg("name") = "")
      .def_property_readonly("name", &scenario::name)
      .def_property_readonly("space", &scenario::space)
      .def_property_readonly("size", &scenario::size)
      .def(
          "utility", [](const scenario &s, int p) -> Eigen::ArrayXd { return s.utility(p); },
          py::arg("party"))
      .def("reservation", &scenario::reservation, py::arg("party"))
      .def("discount", &scenario::discount, py::arg("party"))
      .def_property_readonly("frontier",
                             [](const scenario &s) {
                               const auto &f = s.frontier();
                               return py::make_tuple(
                                   to_numpy(std::vector<std::uint64_t>(f.outcomes)),
                                   to_numpy(std::vector<double>(f.u1)),
                                   to_numpy(std::vector<double>(f.u2)));
                             })
      .def_property_readonly("nash", [](const scenario &s) { return point(s.nash()); })
      .def_property_readonly("kalai_smorodinsky",
                             [](const scenario &s) { return point(s.kalai_smorodinsky()); })
      .def_property_readonly("max_welfare",
                             [](const scenario &s) { return point(s.max_welfare()); })
      .def("set_price_issue", &scenario::set_price_issue, py::arg("issue"),
           py::arg("prices") = std::vector<double>{})
      .def_property_readonly("price_issue", &scenario::price_issue)
      .def("price", &scenario::price, py::arg("outcome"))
      .def(
          "distance_to_frontier",
          [](const scenario &s, double u1, double u2) {
            return distance_to_frontier(s.frontier(), u1, u2);
          },
          py::arg("u1"), py::arg("u2"));

  // ---- strategies ---------------------------------------------------------------------
  py::class_<strategy_handle>(
      m, "Strategy", R"doc(A negotiation strategy: a prototype that each session copies, so one
Strategy can play many sessions, in both roles and on many threads.

A Strategy has no constructor of its own: the functions of
:mod:`goodwill.negotiation` make one (``time_dependent``, ``boulware``,
``conceder``, ``linear``, ``hardliner``, ``tit_for_tat``,
``random_strategy``, ``subgame_perfect``, ``price_matcher``,
``alternatives_offerer``, ``authority_limited``, ``win_lose_buyer``, and
``python_strategy`` for an object with ``propose`` and ``respond``).

Parameters
----------
None
    Strategies are made by the functions above; their parameters are
    documented there.

Attributes
----------
name : str
    The strategy's name, as it appears in batch and tournament results
    (``time_dependent(e=...)`` unless a name was given).
is_python : bool
    Whether it is a Python strategy (runs at Python speed, on one thread).

Examples
--------
>>> from goodwill.negotiation import boulware, time_dependent, tit_for_tat
>>> boulware().name
'boulware'
>>> time_dependent(2.0).name
'time_dependent(e=2.000000)'
>>> tit_for_tat().name, tit_for_tat().is_python
('tit_for_tat', False)
)doc")
      .def_property_readonly("name", [](const strategy_handle &h) { return h.proto->name(); })
      .def_readonly("is_python", &strategy_handle::python);
  auto handle = [](std::unique_ptr<negotiator> n) {
    return strategy_handle{std::shared_ptr<negotiator>(std::move(n)), false};
  };
  m.def(
      "time_dependent",
      [handle](double e, double k, const std::string &ac, double alpha, double beta, double c,
               double T, bool model, const std::string &label) {
        auto n =
            std::make_unique<time_dependent>(e, k, make_acceptance(ac, alpha, beta, c, T), label);
        n->use_opponent_model(model);
        return handle(std::move(n));
      },
      py::arg("e"), py::arg("k") = 0.0, py::arg("acceptance") = "next", py::arg("alpha") = 1.0,
      py::arg("beta") = 0.0, py::arg("c") = 1.0, py::arg("T") = 0.99,
      py::arg("opponent_model") = false, py::arg("label") = "");
  m.def(
      "tit_for_tat",
      [handle](double factor, const std::string &ac, double alpha, double beta, double c, double T,
               bool model) {
        auto n = std::make_unique<tit_for_tat>(factor, make_acceptance(ac, alpha, beta, c, T));
        n->use_opponent_model(model);
        return handle(std::move(n));
      },
      py::arg("factor") = 1.0, py::arg("acceptance") = "next", py::arg("alpha") = 1.0,
      py::arg("beta") = 0.0, py::arg("c") = 1.0, py::arg("T") = 0.99,
      py::arg("opponent_model") = false);
  m.def(
      "random_strategy",
      [handle](double p) { return handle(std::make_unique<random_negotiator>(p)); },
      py::arg("p_accept") = 0.5);
  m.def("subgame_perfect", [handle]() { return handle(std::make_unique<subgame_perfect>()); });
  m.def(
      "price_matcher",
      [handle](double floor, double beat_by, double e) {
        return handle(std::make_unique<price_matcher>(floor, beat_by, e));
      },
      py::arg("floor_price"), py::arg("beat_by") = 0.0, py::arg("e") = 0.2);
  m.def(
      "alternatives_offerer",
      [handle](double tol, double e) {
        return handle(std::make_unique<alternatives_offerer>(tol, e));
      },
      py::arg("tolerance") = 0.02, py::arg("e") = 0.5);
  m.def(
      "authority_limited",
      [handle](double threshold, std::uint32_t delay, double cost, double e) {
        return handle(std::make_unique<authority_limited>(threshold, delay, cost, e));
      },
      py::arg("threshold"), py::arg("delay_rounds") = 2, py::arg("credibility_cost") = 0.05,
      py::arg("e") = 1.0);
  m.def(
      "win_lose_buyer",
      [handle](double rival_price, double rival_utility) {
        return handle(std::make_unique<win_lose_buyer>(rival_price, rival_utility));
      },
      py::arg("rival_price"), py::arg("rival_utility"));
  m.def(
      "python_strategy",
      [](py::object obj) {
        if (!py::hasattr(obj, "propose") || !py::hasattr(obj, "respond"))
          throw invalid_input("strategy", "a Python strategy needs propose() and respond()");
        return strategy_handle{std::make_shared<python_negotiator>(std::move(obj)), true};
      },
      py::arg("obj"));

  // ---- sessions and batches -------------------------------------------------------------
  // Registers the opaque type the handles return; no members are bound.
  // NOLINTNEXTLINE(bugprone-unused-raii)
  py::class_<session_result, std::shared_ptr<session_result>>(m, "SessionResult",
                                                              "A finished session (C++ object).");
  m.def(
      "run_session",
      [](const scenario &sc, const strategy_handle &a, const strategy_handle &b,
         std::uint32_t rounds, int first, const std::string &clock, std::uint64_t seed,
         bool complete_information, double time_limit, std::array<std::uint32_t, 2> own_rounds,
         std::array<double, 2> own_time, std::array<double, 2> reservation) {
        auto opt = make_options(rounds, first, clock, seed, complete_information, time_limit);
        opt.own_rounds = own_rounds;
        opt.own_time = own_time;
        opt.reservation = reservation;
        auto r = std::make_shared<session_result>();
        auto x = a.proto->clone();
        auto y = b.proto->clone();
        {
          released_gil release; // and interruptible
          run_session(sc, *x, *y, opt, *r);
        }
        return py::make_tuple(result_dict(*r), py::cast(r));
      },
      py::arg("scenario"), py::arg("a"), py::arg("b"), py::arg("rounds") = 100,
      py::arg("first") = 0, py::arg("clock") = "relative", py::arg("seed") = 0,
      py::arg("complete_information") = false, py::arg("time_limit") = 0.0,
      py::arg("own_rounds") = session_options{}.own_rounds,
      py::arg("own_time") = session_options{}.own_time,
      py::arg("reservation") = session_options{}.reservation);
  m.def(
      "run_batch",
      [](const std::vector<std::shared_ptr<scenario>> &scs,
         const std::vector<strategy_handle> &strats, const std::vector<std::uint64_t> &seeds,
         std::uint32_t rounds, const std::string &clock, bool complete_information,
         unsigned threads, std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs,
         std::array<std::uint32_t, 2> own_rounds, std::array<double, 2> own_time,
         std::array<double, 2> reservation) {
        std::vector<const scenario *> sp;
        sp.reserve(scs.size());
        for (const auto &s : scs)
          sp.push_back(s.get());
        std::vector<const negotiator *> np;
        np.reserve(strats.size());
        bool python = false;
        for (const auto &h : strats) {
          np.push_back(h.proto.get());
          python = python || h.python;
        }
        auto opt = make_options(rounds, 0, clock, 0, complete_information, 0.0);
        opt.own_rounds = own_rounds;
        opt.own_time = own_time;
        opt.reservation = reservation;
        std::vector<batch_row> rows;
        {
          released_gil release; // and interruptible
          rows = run_batch(sp, np, seeds, opt, python ? 1u : threads, std::move(pairs));
        }
        return columns_dict(batch_columns(rows));
      },
      py::arg("scenarios"), py::arg("strategies"), py::arg("seeds"), py::arg("rounds") = 100,
      py::arg("clock") = "relative", py::arg("complete_information") = false,
      py::arg("threads") = 0,
      py::arg("pairs") = std::vector<std::pair<std::uint32_t, std::uint32_t>>{},
      py::arg("own_rounds") = session_options{}.own_rounds,
      py::arg("own_time") = session_options{}.own_time,
      py::arg("reservation") = session_options{}.reservation);
  m.attr("CLOCKS") = enum_tuple<discount_clock>();
  m.attr("TOURNAMENT_SCORES") = enum_tuple<tournament_score>();
  py::class_<tournament_options>(
      m, "TournamentOptions",
      "A tournament's options (C++ defaults: negotiation/tournament.hpp); rounds and clock are "
      "those of every session.")
      .def(py::init<>())
      .def_property(
          "rounds", [](const tournament_options &o) { return o.session.rounds; },
          [](tournament_options &o, std::uint32_t r) { o.session.rounds = r; })
      .def_property(
          "clock", [](const tournament_options &o) { return enum_str(o.session.clock); },
          [](tournament_options &o, const std::string &c) {
            o.session.clock = parse_enum<discount_clock>(c, "clock");
          })
      .def_property(
          "score", [](const tournament_options &o) { return enum_str(o.score); },
          [](tournament_options &o, const std::string &c) {
            o.score = parse_enum<tournament_score>(c, "score");
          })
      .def_readwrite("self_play", &tournament_options::self_play)
      .def_readwrite("equal_variance", &tournament_options::equal_variance)
      .def_readwrite("confidence", &tournament_options::confidence)
      .def_readwrite("bootstrap", &tournament_options::bootstrap)
      .def_readwrite("bootstrap_seed", &tournament_options::bootstrap_seed)
      .def_readwrite("fdr", &tournament_options::fdr)
      .def_readwrite("threads", &tournament_options::threads);
  m.def(
      "tournament",
      [](const std::vector<std::shared_ptr<scenario>> &scs,
         const std::vector<strategy_handle> &strats, const std::vector<std::uint64_t> &seeds,
         tournament_options opt) {
        std::vector<const scenario *> sp;
        sp.reserve(scs.size());
        for (const auto &s : scs)
          sp.push_back(s.get());
        std::vector<const negotiator *> np;
        np.reserve(strats.size());
        bool python = false;
        for (const auto &h : strats) {
          np.push_back(h.proto.get());
          python = python || h.python;
        }
        if (python) // a Python strategy holds the GIL: one worker
          opt.threads = 1;
        tournament_result r;
        {
          released_gil release; // and interruptible
          r = run_tournament(sp, np, seeds, opt);
        }
        py::dict out;
        auto sessions = columns_dict(batch_columns(r.sessions));
        sessions["score1"] = to_numpy(std::move(r.score1));
        sessions["score2"] = to_numpy(std::move(r.score2));
        out["sessions"] = sessions;
        py::dict rk;
        rk["strategy"] = to_numpy(std::move(r.ranking.strategy));
        rk["n"] = to_numpy(std::move(r.ranking.n));
        rk["mean"] = to_numpy(std::move(r.ranking.mean));
        rk["lower"] = to_numpy(std::move(r.ranking.lower));
        rk["upper"] = to_numpy(std::move(r.ranking.upper));
        rk["sd"] = to_numpy(std::move(r.ranking.sd));
        rk["agreement_rate"] = to_numpy(std::move(r.ranking.agreement_rate));
        out["ranking"] = rk;
        py::dict pw;
        pw["a"] = to_numpy(std::move(r.pairwise.a));
        pw["b"] = to_numpy(std::move(r.pairwise.b));
        pw["difference"] = to_numpy(std::move(r.pairwise.difference));
        pw["t"] = to_numpy(std::move(r.pairwise.t));
        pw["df"] = to_numpy(std::move(r.pairwise.df));
        pw["p"] = to_numpy(std::move(r.pairwise.p));
        pw["q"] = to_numpy(std::move(r.pairwise.q));
        pw["significant"] = to_numpy(std::move(r.pairwise.significant));
        out["pairwise"] = pw;
        return out;
      },
      py::arg("scenarios"), py::arg("strategies"), py::arg("seeds"), py::arg("options"));
  m.def(
      "search_scenario",
      [](const any_utility &a, const any_utility &b, const approximate_bargaining_options &o) {
        searched_scenario r;
        {
          released_gil release; // and interruptible
          r = std::visit([&](const auto &x, const auto &y) { return search_scenario(x, y, o); }, a,
                         b);
        }
        py::dict d;
        d["space"] = r.sc.space();
        const auto &u1 = r.sc.utility(0);
        const auto &u2 = r.sc.utility(1);
        d["u1"] = to_numpy(std::vector<double>(u1.data(), u1.data() + u1.size()));
        d["u2"] = to_numpy(std::vector<double>(u2.data(), u2.data() + u2.size()));
        d["values"] = to_numpy(std::move(r.values));
        d["issue_count"] = r.issue_count;
        d["approximate"] = r.approximate;
        d["method"] = r.method;
        return d;
      },
      py::arg("u1"), py::arg("u2"), py::arg("options"));
  // ---- continuous issues directly (continuous.hpp) ----------------------------------------
  py::class_<continuous_options>(m, "ContinuousOptions",
                                 "A continuous session's options (C++ defaults: continuous.hpp).")
      .def(py::init<>())
      .def_readwrite("rounds", &continuous_options::rounds)
      .def_readwrite("first", &continuous_options::first)
      .def_readwrite("bisection_steps", &continuous_options::bisection_steps)
      .def_readwrite("probes", &continuous_options::probes)
      .def_readwrite("passes", &continuous_options::passes)
      .def_readwrite("discrete_limit", &continuous_options::discrete_limit)
      .def_property("own_rounds", tuple_getter(&continuous_options::own_rounds),
                    array_setter(&continuous_options::own_rounds),
                    "Each party's own deadline in rounds (0: rounds).")
      .def_property("own_time", tuple_getter(&continuous_options::own_time),
                    array_setter(&continuous_options::own_time),
                    "Each party's own deadline as a share of rounds, in (0, 1].")
      .def_property("reservation", tuple_getter(&continuous_options::reservation),
                    array_setter(&continuous_options::reservation),
                    "Each party's private reservation value (NaN: its utility's).")
      .def("validate", &continuous_options::validate);
  m.def(
      "run_continuous_session",
      [](const any_utility &a, const any_utility &b, double e1, double e2,
         const continuous_options &options, const std::string &strategy1,
         const std::string &strategy2, double factor1, double factor2) {
        auto strategy = [](const std::string &name, double e, double factor, std::int64_t party) {
          continuous_strategy st{e};
          st.factor = factor;
          if (name == "tit_for_tat")
            st.which = continuous_strategy::kind::tit_for_tat;
          else if (name != "time_dependent")
            throw invalid_input("strategies", party,
                                "'" + name + "' is not 'time_dependent' or 'tit_for_tat'");
          return st;
        };
        const auto st1 = strategy(strategy1, e1, factor1, 0);
        const auto st2 = strategy(strategy2, e2, factor2, 1);
        continuous_result r;
        {
          released_gil release; // and interruptible
          r = std::visit(
              [&](const auto &x, const auto &y) {
                return run_continuous_session(x, y, st1, st2, options);
              },
              a, b);
        }
        py::dict d;
        d["status"] = enum_str(r.status);
        d["ended_by"] = r.ended_by;
        d["deadline_party"] = r.deadline_party;
        d["own_rounds"] = py::make_tuple(r.own_rounds[0], r.own_rounds[1]);
        d["values"] = r.values;
        d["u1"] = r.u1;
        d["u2"] = r.u2;
        d["t"] = r.t;
        d["rounds"] = r.rounds;
        d["offers"] = r.offers;
        std::vector<std::uint32_t> round;
        std::vector<std::uint8_t> proposer;
        std::vector<double> values, target, u1, u2, t, own_t;
        for (const auto &o : r.trace) {
          round.push_back(o.round);
          proposer.push_back(o.proposer);
          values.insert(values.end(), o.values.begin(), o.values.end());
          target.push_back(o.target);
          u1.push_back(o.u1);
          u2.push_back(o.u2);
          t.push_back(o.t);
          own_t.push_back(o.own_t);
        }
        py::dict tr;
        tr["round"] = to_numpy(std::move(round));
        tr["proposer"] = to_numpy(std::move(proposer));
        tr["values"] = to_numpy(std::move(values));
        tr["target"] = to_numpy(std::move(target));
        tr["u1"] = to_numpy(std::move(u1));
        tr["u2"] = to_numpy(std::move(u2));
        tr["t"] = to_numpy(std::move(t));
        tr["own_t"] = to_numpy(std::move(own_t));
        d["trace"] = tr;
        return d;
      },
      py::arg("u1"), py::arg("u2"), py::arg("e1"), py::arg("e2"), py::arg("options"),
      py::arg("strategy1") = "time_dependent", py::arg("strategy2") = "time_dependent",
      py::arg("factor1") = 1.0, py::arg("factor2") = 1.0);
  // ---- several parties (multilateral.hpp) ------------------------------------------------
  py::class_<multilateral_scenario, std::shared_ptr<multilateral_scenario>>(
      m, "MultilateralScenario", "N parties' utilities of every outcome of one space.")
      .def(py::init([](const outcome_space &s, std::vector<Eigen::ArrayXd> u, std::vector<double> r,
                       std::vector<double> d, const std::string &name) {
             released_gil release; // and interruptible
             return std::make_shared<multilateral_scenario>(s, std::move(u), std::move(r),
                                                            std::move(d), name);
           }),
           py::arg("space"), py::arg("utilities"), py::arg("reservations"), py::arg("discounts"),
           py::arg("name") = "")
      .def_property_readonly("parties", &multilateral_scenario::parties)
      .def_property_readonly("size", &multilateral_scenario::size)
      .def_property_readonly("name", &multilateral_scenario::name);
  m.def(
      "run_multilateral_session",
      [](const multilateral_scenario &sc, const std::vector<strategy_handle> &strats,
         std::uint32_t rounds, std::uint64_t seed) {
        std::vector<std::unique_ptr<negotiator>> own;
        std::vector<negotiator *> ptr;
        own.reserve(strats.size());
        ptr.reserve(strats.size());
        for (const auto &h : strats) {
          own.push_back(h.proto->clone());
          ptr.push_back(own.back().get());
        }
        multilateral_options o;
        o.rounds = rounds;
        o.seed = seed;
        multilateral_result r;
        {
          released_gil release; // and interruptible
          run_multilateral_session(sc, ptr, o, r);
        }
        py::dict d;
        d["status"] = static_cast<int>(r.status);
        d["ended_by"] = r.ended_by;
        d["outcome"] = r.agreement() ? py::object(py::int_(r.outcome)) : py::none();
        d["utilities"] = r.utilities;
        d["discounted"] = r.discounted;
        d["t"] = r.t;
        d["rounds"] = r.rounds;
        d["offers"] = r.offers;
        py::dict tr;
        tr["round"] = to_numpy(std::move(r.trace.round));
        tr["proposer"] = to_numpy(std::move(r.trace.proposer));
        tr["offer"] = to_numpy(std::move(r.trace.offer));
        tr["t"] = to_numpy(std::move(r.trace.t));
        tr["responses"] = to_numpy(std::move(r.trace.responses));
        tr["utilities"] = to_numpy(std::move(r.trace.utilities));
        d["trace"] = tr;
        return d;
      },
      py::arg("scenario"), py::arg("strategies"), py::arg("rounds"), py::arg("seed"));
  m.attr("RFP_CLOSES") = enum_tuple<rfp_close>();
  py::class_<rfp_options>(m, "RFPOptions",
                          "The buyer's RFP policy (C++ defaults: negotiation/multilateral.hpp).")
      .def(py::init<>())
      .def_readwrite("rounds", &rfp_options::rounds)
      .def_readwrite("first", &rfp_options::first)
      .def_readwrite("rival_quotes", &rfp_options::rival_quotes)
      .def_readwrite("quote_margin", &rfp_options::quote_margin)
      .def_property(
          "close", [](const rfp_options &o) { return enum_str(o.close); },
          [](rfp_options &o, const std::string &s) { o.close = parse_enum<rfp_close>(s, "close"); })
      .def_readwrite("shop_rounds", &rfp_options::shop_rounds)
      .def_readwrite("stall_rounds", &rfp_options::stall_rounds)
      .def_readwrite("seed", &rfp_options::seed)
      .def("validate", &rfp_options::validate);
  m.def(
      "run_rfp",
      [](const std::vector<std::shared_ptr<scenario>> &scs, const strategy_handle &buyer,
         const std::vector<strategy_handle> &sellers, const rfp_options &options,
         customer_id customer, double start_time, double days_per_round, double value_scale) {
        std::vector<const scenario *> sp;
        std::vector<std::unique_ptr<negotiator>> own;
        std::vector<negotiator *> bp, spn;
        sp.reserve(scs.size());
        for (const auto &s : scs)
          sp.push_back(s.get());
        if (sellers.size() != scs.size())
          throw invalid_input("sellers", "need one seller strategy per scenario (" +
                                             std::to_string(scs.size()) + ")");
        own.reserve(2 * scs.size());
        bp.reserve(scs.size());
        spn.reserve(scs.size());
        for (std::size_t i = 0; i < scs.size(); ++i) {
          own.push_back(buyer.proto->clone());
          bp.push_back(own.back().get());
          own.push_back(sellers[i].proto->clone());
          spn.push_back(own.back().get());
        }
        rfp_result r;
        std::vector<ledger> books(scs.size());
        {
          released_gil release; // and interruptible
          r = run_rfp(sp, bp, spn, options);
          for (std::size_t s = 0; s < scs.size(); ++s)
            (void)append_rfp_events(
                books[s], sp, r,
                {customer, static_cast<std::uint32_t>(s), start_time, days_per_round, value_scale});
        }
        py::dict d;
        d["winner"] = r.winner >= 0 ? py::object(py::int_(r.winner)) : py::none();
        d["outcome"] = r.winner >= 0 ? py::object(py::int_(r.outcome)) : py::none();
        d["u_buyer"] = r.u_buyer;
        d["first_quote_round"] =
            r.first_quote_round >= 0 ? py::object(py::int_(r.first_quote_round)) : py::none();
        d["u_first"] = r.u_first;
        d["rounds"] = r.rounds;
        py::dict th;
        std::vector<std::uint8_t> status;
        std::vector<std::int32_t> ended_by;
        std::vector<std::uint64_t> outcome;
        std::vector<std::uint8_t> agreed;
        std::vector<double> ub, us;
        std::vector<std::uint32_t> rr, offers, quotes;
        for (const auto &t : r.threads) {
          status.push_back(static_cast<std::uint8_t>(t.status));
          ended_by.push_back(t.ended_by);
          outcome.push_back(t.outcome);
          agreed.push_back(t.agreed ? 1 : 0);
          ub.push_back(t.u_buyer);
          us.push_back(t.u_seller);
          rr.push_back(t.rounds);
          offers.push_back(t.offers);
          quotes.push_back(t.quotes_received);
        }
        th["status"] = to_numpy(std::move(status));
        th["ended_by"] = to_numpy(std::move(ended_by));
        th["outcome"] = to_numpy(std::move(outcome));
        th["agreed"] = to_numpy(std::move(agreed));
        th["u_buyer"] = to_numpy(std::move(ub));
        th["u_seller"] = to_numpy(std::move(us));
        th["rounds"] = to_numpy(std::move(rr));
        th["offers"] = to_numpy(std::move(offers));
        th["quotes_received"] = to_numpy(std::move(quotes));
        d["threads"] = th;
        py::dict q;
        std::vector<std::uint32_t> qr, qt, qf;
        std::vector<std::uint64_t> qo;
        std::vector<double> qu, qp;
        std::vector<std::uint8_t> qh;
        for (const auto &c : r.quotes) {
          qr.push_back(c.round);
          qt.push_back(c.to);
          qf.push_back(c.from);
          qo.push_back(c.offer);
          qu.push_back(c.buyer_utility);
          qp.push_back(c.price);
          qh.push_back(c.held ? 1 : 0);
        }
        q["round"] = to_numpy(std::move(qr));
        q["to"] = to_numpy(std::move(qt));
        q["from"] = to_numpy(std::move(qf));
        q["offer"] = to_numpy(std::move(qo));
        q["buyer_utility"] = to_numpy(std::move(qu));
        q["price"] = to_numpy(std::move(qp));
        q["held"] = to_numpy(std::move(qh));
        d["quotes"] = q;
        py::dict tr;
        std::vector<std::uint32_t> ts, tround;
        std::vector<std::uint8_t> tp, ttag;
        std::vector<std::uint64_t> to;
        std::vector<double> tb, tsl, tt;
        for (const auto &o : r.trace) {
          ts.push_back(o.seller);
          tround.push_back(o.round);
          tp.push_back(o.proposer);
          ttag.push_back(static_cast<std::uint8_t>(o.tag));
          to.push_back(o.outcome);
          tb.push_back(o.u_buyer);
          tsl.push_back(o.u_seller);
          tt.push_back(o.t);
        }
        tr["seller"] = to_numpy(std::move(ts));
        tr["round"] = to_numpy(std::move(tround));
        tr["proposer"] = to_numpy(std::move(tp));
        tr["offer"] = to_numpy(std::move(to));
        tr["u_buyer"] = to_numpy(std::move(tb));
        tr["u_seller"] = to_numpy(std::move(tsl));
        tr["t"] = to_numpy(std::move(tt));
        tr["tag"] = to_numpy(std::move(ttag));
        d["trace"] = tr;
        py::list events;
        for (const auto &l : books)
          events.append(ledger_events_dict(l));
        d["events"] = events;
        return d;
      },
      py::arg("scenarios"), py::arg("buyer"), py::arg("sellers"), py::arg("options"),
      py::arg("customer") = 0, py::arg("start_time") = 0.0, py::arg("days_per_round") = 1.0,
      py::arg("value_scale") = 1.0);
  m.def(
      "run_rfp_batch",
      [](const std::vector<std::vector<std::shared_ptr<scenario>>> &rfps,
         const std::vector<std::vector<strategy_handle>> &sellers,
         const std::vector<strategy_handle> &buyers, const std::vector<std::uint64_t> &seeds,
         const rfp_options &options, unsigned threads) {
        if (sellers.size() != rfps.size())
          throw invalid_input("sellers", "need one list of seller strategies per RFP");
        std::vector<rfp_setup> setups(rfps.size());
        bool python = false;
        for (std::size_t i = 0; i < rfps.size(); ++i) {
          for (const auto &s : rfps[i])
            setups[i].scenarios.push_back(s.get());
          for (const auto &h : sellers[i]) {
            setups[i].sellers.push_back(h.proto.get());
            python = python || h.python;
          }
        }
        std::vector<const negotiator *> bp;
        for (const auto &h : buyers) {
          bp.push_back(h.proto.get());
          python = python || h.python;
        }
        std::vector<rfp_row> rows;
        {
          released_gil release; // and interruptible
          rows = run_rfp_batch(setups, bp, seeds, options, python ? 1u : threads);
        }
        return columns_dict(rfp_columns(rows));
      },
      py::arg("rfps"), py::arg("sellers"), py::arg("buyers"), py::arg("seeds"), py::arg("options"),
      py::arg("threads"));
  m.def(
      "run_multilateral_batch",
      [](const std::vector<std::shared_ptr<multilateral_scenario>> &scs,
         const std::vector<strategy_handle> &strats, const std::vector<std::uint64_t> &seeds,
         std::uint32_t rounds, unsigned threads) {
        std::vector<const multilateral_scenario *> sp;
        sp.reserve(scs.size());
        for (const auto &s : scs)
          sp.push_back(s.get());
        std::vector<const negotiator *> np;
        np.reserve(strats.size());
        bool python = false;
        for (const auto &h : strats) {
          np.push_back(h.proto.get());
          python = python || h.python;
        }
        multilateral_options o;
        o.rounds = rounds;
        std::vector<multilateral_row> rows;
        {
          released_gil release; // and interruptible
          rows = run_multilateral_batch(sp, np, seeds, o, python ? 1u : threads);
        }
        return columns_dict(multilateral_columns(rows));
      },
      py::arg("scenarios"), py::arg("strategies"), py::arg("seeds"), py::arg("rounds"),
      py::arg("threads"));
  m.def(
      "session_events",
      [](const scenario &sc, const session_result &r, int we, double start_time,
         double days_per_round, double value_scale) {
        ledger l;
        append_session_events(l, sc, r, {0, we, start_time, days_per_round, value_scale});
        return ledger_events_dict(l);
      },
      py::arg("scenario"), py::arg("result"), py::arg("we") = 0, py::arg("start_time") = 0.0,
      py::arg("days_per_round") = 1.0, py::arg("value_scale") = 1.0);
}

} // namespace goodwill::bindings
