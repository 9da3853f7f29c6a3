// goodwill._core.value: RFM summaries and the buy-till-you-die models (BG/NBD,
// Pareto/NBD, Gamma-Gamma, BG/BB). The Python layer (goodwill.btyd,
// goodwill.utils) gives them lifetimes' names and pandas in and out.
#include "pybind11.hpp"

#include <goodwill/value/btyd/bg_bb.hpp>
#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/covariates.hpp>
#include <goodwill/value/btyd/gamma_gamma.hpp>
#include <goodwill/value/btyd/modified_bg_nbd.hpp>
#include <goodwill/value/btyd/pareto_nbd.hpp>
#include <goodwill/value/btyd/sbg.hpp>
#include <goodwill/value/rfm.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace goodwill::bindings {
namespace {

using f64 = carray<double>;

std::span<const double> opt_span(const std::optional<f64> &a) {
  return a ? as_span(*a) : std::span<const double>{};
}

btyd_fit_options fit_options(double penalizer_coef, unsigned threads, double tolerance,
                             int max_iterations, std::vector<double> initial) {
  btyd_fit_options o;
  o.penalizer_coef = penalizer_coef;
  o.threads = threads;
  o.tolerance = tolerance;
  o.max_iterations = max_iterations;
  o.initial_params = std::move(initial);
  return o;
}

// A fitted model's state as the dict the Python layer reads.
template <class Model, std::size_t K> py::dict fit_result(const Model &m) {
  py::dict d;
  const auto params = detail::param_values<K>(m.params());
  d["params"] = std::vector<double>(params.begin(), params.end());
  const auto &se = m.standard_errors();
  d["standard_errors"] = std::vector<double>(se.begin(), se.end());
  const auto &cov = m.covariance();
  py::array_t<double> c({static_cast<py::ssize_t>(K), static_cast<py::ssize_t>(K)});
  auto cm = c.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < static_cast<py::ssize_t>(K); ++i)
    for (py::ssize_t j = 0; j < static_cast<py::ssize_t>(K); ++j)
      cm(i, j) = cov(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  d["covariance"] = c;
  const auto &info = m.info();
  d["log_likelihood"] = info.log_likelihood;
  d["iterations"] = info.iterations;
  d["converged"] = info.converged;
  d["at_bound"] = info.at_bound;
  d["customers"] = info.customers;
  d["rows"] = info.rows;
  return d;
}

template <std::size_t> using data_column = f64;

// Model.fit(<data columns named `names`>, weights=None, penalizer_coef=0,
// threads=0, tolerance=1e-9, max_iterations=1000, initial_params=[]): the
// fit with the GIL released, then fit_result.
template <class Model, std::size_t K, std::size_t... I>
void def_fit(py::class_<Model> &cls, const std::array<const char *, sizeof...(I)> &names,
             std::index_sequence<I...> /*columns*/) {
  cls.def(
      "fit",
      [](Model &self, const data_column<I> &...columns, const std::optional<f64> &w,
         double penalizer_coef, unsigned threads, double tolerance, int max_iterations,
         std::vector<double> initial) {
        const auto o =
            fit_options(penalizer_coef, threads, tolerance, max_iterations, std::move(initial));
        {
          released_gil release; // and interruptible
          self.fit(as_span(columns)..., opt_span(w), o);
        }
        return fit_result<Model, K>(self);
      },
      py::arg(names[I])..., py::arg("weights") = py::none(), py::arg("penalizer_coef") = 0.0,
      py::arg("threads") = 0u, py::arg("tolerance") = 1e-9, py::arg("max_iterations") = 1000,
      py::arg("initial_params") = std::vector<double>{});
}
template <class Model, std::size_t K, std::size_t N>
void def_fit(py::class_<Model> &cls, const std::array<const char *, N> &names) {
  def_fit<Model, K>(cls, names, std::make_index_sequence<N>{});
}

py::dict summary_dict(rfm_summary &&s) {
  py::dict d;
  const bool holdout = s.has_holdout();
  d["customer"] = to_numpy(std::move(s.customer));
  d["frequency"] = to_numpy(std::move(s.frequency));
  d["recency"] = to_numpy(std::move(s.recency));
  d["T"] = to_numpy(std::move(s.T));
  d["monetary_value"] = to_numpy(std::move(s.monetary_value));
  if (holdout) {
    d["frequency_holdout"] = to_numpy(std::move(s.frequency_holdout));
    d["monetary_value_holdout"] = to_numpy(std::move(s.monetary_value_holdout));
    d["duration_holdout"] = s.duration_holdout;
  }
  return d;
}

rfm_options make_rfm_options(double period_length, double origin, double observation_end,
                             double calibration_end) {
  rfm_options o;
  o.period_length = period_length;
  o.origin = origin;
  o.observation_end = observation_end;
  o.calibration_end = calibration_end;
  return o;
}

// Vectorised (x, t_x, T) predictions with the GIL released.
template <class F>
py::array_t<double> per_customer(const f64 &x, const f64 &tx, const f64 &T, F f) {
  const auto xs = as_span(x), ts = as_span(tx), Ts = as_span(T);
  std::vector<double> out;
  {
    released_gil release; // and interruptible
    out = f(xs, ts, Ts);
  }
  return to_numpy(std::move(out));
}

// Vectorised (t, x, t_x, T) predictions, t of size 1 or one per customer,
// with the GIL released.
template <class F>
py::array_t<double> per_customer_t(const f64 &t, const f64 &x, const f64 &tx, const f64 &T, F f) {
  const auto ts = as_span(t), xs = as_span(x), txs = as_span(tx), Ts = as_span(T);
  std::vector<double> out;
  {
    released_gil release; // and interruptible
    out = f(ts, xs, txs, Ts);
  }
  return to_numpy(std::move(out));
}

// f(t) over an array of t, with the GIL released, in pieces of 64 horizons
// shared out over the hardware threads from 4,096 horizons on (f is pure: each
// out[i] is written once, so the result does not depend on the thread
// count; the lowest failing piece's error, i.e. the first bad horizon's, is
// rethrown).
template <class F> py::array_t<double> per_horizon(const f64 &t, F f) {
  const auto ts = as_span(t);
  std::vector<double> out(ts.size());
  {
    released_gil release; // and interruptible
    constexpr std::size_t piece = 64;
    const std::size_t n = ts.size(), pieces = (n + piece - 1) / piece;
    detail::for_each_piece(n >= 64 * piece ? detail::resolve_threads(0) : 1u, pieces,
                           [&](std::size_t p) {
                             for (std::size_t i = p * piece; i < std::min(n, (p + 1) * piece); ++i)
                               out[i] = f(ts[i]);
                           });
  }
  return to_numpy(std::move(out));
}

} // namespace

// ---- covariate models (value/btyd/covariates.hpp) ---------------------------

using m64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

// A 2-d covariate array (rows = customers) as a covariate_matrix view.
covariate_matrix as_covariates(const m64 &a, const char *field) {
  if (a.ndim() != 2)
    throw invalid_input(field, "must be a two-dimensional array (customers × covariates)");
  return {{a.data(), static_cast<std::size_t>(a.size())}, static_cast<std::size_t>(a.shape(1))};
}

template <class Model, std::size_t B = 4> py::dict covariate_fit_result(const Model &m) {
  py::dict d;
  const auto params = detail::param_values<B>(m.params());
  d["params"] = std::vector<double>(params.begin(), params.end());
  d["coefficients"] = m.coefficients();
  d["standard_errors"] = m.standard_errors();
  const auto &cov = m.covariance();
  const auto K = static_cast<py::ssize_t>(cov.rows());
  py::array_t<double> c({K, K});
  auto cm = c.mutable_unchecked<2>();
  for (py::ssize_t i = 0; i < K; ++i)
    for (py::ssize_t j = 0; j < K; ++j)
      cm(i, j) = cov(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  d["covariance"] = c;
  const auto &info = m.info();
  d["log_likelihood"] = info.log_likelihood;
  d["iterations"] = info.iterations;
  d["converged"] = info.converged;
  d["at_bound"] = info.at_bound;
  d["customers"] = info.customers;
  d["rows"] = info.rows;
  d["se"] = enum_str(m.se_type());
  return d;
}

// A covariate model's class with its constructors and fit (life and
// transaction covariates); `age` names the third column (T, or BG/BB's
// n_periods). The caller adds the model's predictions.
template <class Model, class params = typename Model::params_type>
py::class_<Model> def_covariate_fit(py::module_ &m, const char *name, const char *doc,
                                    const char *age) {
  py::class_<Model> cls(m, name, doc);
  cls.def(py::init<>())
      .def(py::init([](const std::array<double, 4> &p, std::vector<double> life,
                       const std::vector<double> &trans) {
             return Model(std::bit_cast<params>(p), std::move(life), trans);
           }),
           py::arg("params"), py::arg("life_coefficients"), py::arg("trans_coefficients"))
      .def(
          "fit",
          [](Model &self, const f64 &x, const f64 &tx, const f64 &T, const m64 &life,
             const m64 &trans, const std::optional<f64> &w, unsigned threads, double tolerance,
             int max_iterations, std::vector<double> initial, const std::string &se) {
            const auto o = fit_options(0.0, threads, tolerance, max_iterations, std::move(initial));
            const auto l = as_covariates(life, "life_covariates"),
                       t = as_covariates(trans, "trans_covariates");
            const auto st = parse_enum<standard_error_type>(se, "se");
            {
              released_gil release; // and interruptible
              self.fit(as_span(x), as_span(tx), as_span(T), l, t, opt_span(w), o, st);
            }
            return covariate_fit_result(self);
          },
          py::arg("frequency"), py::arg("recency"), py::arg(age), py::arg("life"), py::arg("trans"),
          py::arg("weights") = py::none(), py::arg("threads") = 0u, py::arg("tolerance") = 1e-9,
          py::arg("max_iterations") = 1000, py::arg("initial_params") = std::vector<double>{},
          py::arg("se") = "hessian");
  return cls;
}

// BgNbdCov / ParetoNbdCov: fit with life and transaction covariates, and the
// predictions that take the covariates of the customers predicted for.
template <class Model>
void def_purchase_covariates(py::module_ &m, const char *name, const char *doc) {
  auto cls = def_covariate_fit<Model>(m, name, doc, "T");
  cls.def("probability_no_purchase",
          [](const Model &self, const f64 &h, const f64 &x, const f64 &tx, const f64 &T,
             const m64 &life, const m64 &trans) {
            const auto l = as_covariates(life, "life_covariates"),
                       t = as_covariates(trans, "trans_covariates");
            std::vector<double> out;
            {
              released_gil release; // and interruptible
              out = self.probability_no_purchase(as_span(h), as_span(x), as_span(tx), as_span(T), l,
                                                 t);
            }
            return to_numpy(std::move(out));
          })
      .def("probability_of_purchases",
           [](const Model &self, const f64 &h, std::uint32_t purchases, std::size_t n,
              const m64 &life, const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             std::vector<double> out;
             {
               released_gil release; // and interruptible
               out = self.probability_of_purchases(as_span(h), purchases, n, l, t);
             }
             return to_numpy(std::move(out));
           })
      .def("probability_alive",
           [](const Model &self, const f64 &x, const f64 &tx, const f64 &T, const m64 &life,
              const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             return per_customer(x, tx, T, [&](auto a, auto b, auto c) {
               return self.probability_alive(a, b, c, l, t);
             });
           })
      .def("probability_alive_at",
           [](const Model &self, const f64 &h, const f64 &x, const f64 &tx, const f64 &T,
              const m64 &life, const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             return per_customer_t(h, x, tx, T, [&](auto hh, auto a, auto b, auto c) {
               return self.probability_alive_at(hh, a, b, c, l, t);
             });
           })
      .def("conditional_expected_purchases",
           [](const Model &self, const f64 &h, const f64 &x, const f64 &tx, const f64 &T,
              const m64 &life, const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             return per_customer_t(h, x, tx, T, [&](auto hh, auto a, auto b, auto c) {
               return self.conditional_expected_purchases(hh, a, b, c, l, t);
             });
           })
      .def("expected_purchases",
           [](const Model &self, const f64 &h, std::size_t n, const m64 &life, const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             const auto hs = as_span(h);
             std::vector<double> out;
             {
               released_gil release; // and interruptible
               out = self.expected_purchases(hs, n, l, t);
             }
             return to_numpy(std::move(out));
           });
  if constexpr (requires(const Model &mm, std::span<const double> v, covariate_matrix c) {
                  mm.dert(1.0, v, v, v, c, c);
                }) {
    cls.def("conditional_probability_of_purchases",
            [](const Model &self, const f64 &h, std::uint32_t purchases, const f64 &x,
               const f64 &tx, const f64 &T, const m64 &life, const m64 &trans) {
              const auto l = as_covariates(life, "life_covariates"),
                         t = as_covariates(trans, "trans_covariates");
              std::vector<double> out;
              {
                released_gil release; // and interruptible
                out = self.conditional_probability_of_purchases(as_span(h), purchases, as_span(x),
                                                                as_span(tx), as_span(T), l, t);
              }
              return to_numpy(std::move(out));
            })
        .def("dert", [](const Model &self, double delta, const f64 &x, const f64 &tx, const f64 &T,
                        const m64 &life, const m64 &trans) {
          const auto l = as_covariates(life, "life_covariates"),
                     t = as_covariates(trans, "trans_covariates");
          std::vector<double> out;
          {
            released_gil release; // and interruptible
            out = self.dert(delta, as_span(x), as_span(tx), as_span(T), l, t);
          }
          return to_numpy(std::move(out));
        });
  }
}

void register_value_btyd(py::module_ &m) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  m.attr("MAX_SHAPE") = detail::max_shape; // the cap of the fitted shape parameters
  m.attr("SE_TYPES") = enum_tuple<standard_error_type>();
  m.def(
      "rfm_summary",
      [](const carray<std::uint32_t> &customer, std::size_t n_customers, const f64 &time,
         const std::optional<f64> &amount, double period_length, double origin,
         double observation_end, double calibration_end) {
        const auto c = as_span(customer);
        const auto t = as_span(time);
        const auto a = opt_span(amount);
        rfm_summary s;
        {
          released_gil release; // and interruptible
          s = summarize_transactions(
              c, n_customers, t, a,
              make_rfm_options(period_length, origin, observation_end, calibration_end));
        }
        return summary_dict(std::move(s));
      },
      py::arg("customer"), py::arg("n_customers"), py::arg("time"), py::arg("amount") = py::none(),
      py::arg("period_length") = 1.0, py::arg("origin") = 0.0, py::arg("observation_end") = nan,
      py::arg("calibration_end") = nan);
  m.def(
      "rfm_summary_ledger",
      [](const ledger &events, double period_length, double origin, double observation_end,
         double calibration_end) {
        rfm_summary s;
        {
          released_gil release; // and interruptible
          s = summarize_ledger(
              events, make_rfm_options(period_length, origin, observation_end, calibration_end));
        }
        return summary_dict(std::move(s));
      },
      py::arg("events"), py::arg("period_length") = 7.0, py::arg("origin") = 0.0,
      py::arg("observation_end") = nan, py::arg("calibration_end") = nan);

  // ---- BG/NBD -------------------------------------------------------------
  py::class_<bg_nbd> bg_nbd_class(m, "BgNbd", "The BG/NBD model (see bg_nbd.hpp).");
  bg_nbd_class.def(py::init<>())
      .def(py::init([](double r, double alpha, double a, double b) {
             return bg_nbd(bg_nbd_params{r, alpha, a, b});
           }),
           py::arg("r"), py::arg("alpha"), py::arg("a"), py::arg("b"))
      .def("conditional_expected_purchases",
           [](const bg_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.conditional_expected_purchases(h, a, b, c);
             });
           })
      .def("probability_alive",
           [](const bg_nbd &self, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer(
                 x, tx, T, [&](auto a, auto b, auto c) { return self.probability_alive(a, b, c); });
           })
      .def("probability_alive_at",
           [](const bg_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.probability_alive_at(h, a, b, c);
             });
           })
      .def("probability_no_purchase",
           [](const bg_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.probability_no_purchase(h, a, b, c);
             });
           })
      .def("expected_purchases",
           [](const bg_nbd &self, double t) { return self.expected_purchases(t); })
      .def("expected_purchases_many",
           [](const bg_nbd &self, const f64 &t) {
             return per_horizon(t, [&](double h) { return self.expected_purchases(h); });
           })
      .def("probability_of_purchases", [](const bg_nbd &self, double t, std::uint32_t n) {
        return self.probability_of_purchases(t, n);
      });
  def_fit<bg_nbd, 4>(bg_nbd_class, std::array<const char *, 3>{"frequency", "recency", "T"});
  m.def(
      "simulate_bg_nbd",
      [](double r, double alpha, double a, double b, const f64 &T, std::uint64_t seed,
         unsigned threads) {
        const auto Ts = as_span(T);
        bg_nbd_sample s;
        {
          released_gil release; // and interruptible
          s = simulate_bg_nbd(bg_nbd_params{r, alpha, a, b}, Ts, seed, threads);
        }
        return py::make_tuple(to_numpy(std::move(s.frequency)), to_numpy(std::move(s.recency)));
      },
      py::arg("r"), py::arg("alpha"), py::arg("a"), py::arg("b"), py::arg("T"), py::arg("seed"),
      py::arg("threads") = 0u);

  // ---- Pareto/NBD -----------------------------------------------------------
  py::class_<pareto_nbd> pareto_nbd_class(m, "ParetoNbd",
                                          "The Pareto/NBD model (see pareto_nbd.hpp).");
  pareto_nbd_class.def(py::init<>())
      .def(py::init([](double r, double alpha, double s, double beta) {
             return pareto_nbd(pareto_nbd_params{r, alpha, s, beta});
           }),
           py::arg("r"), py::arg("alpha"), py::arg("s"), py::arg("beta"))
      .def("conditional_expected_purchases",
           [](const pareto_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.conditional_expected_purchases(h, a, b, c);
             });
           })
      .def("probability_alive",
           [](const pareto_nbd &self, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer(
                 x, tx, T, [&](auto a, auto b, auto c) { return self.probability_alive(a, b, c); });
           })
      .def("probability_alive_at",
           [](const pareto_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.probability_alive_at(h, a, b, c);
             });
           })
      .def("probability_no_purchase",
           [](const pareto_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.probability_no_purchase(h, a, b, c);
             });
           })
      .def("conditional_probability_of_purchases",
           [](const pareto_nbd &self, const f64 &t, std::uint32_t n, const f64 &x, const f64 &tx,
              const f64 &T) {
             return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
               return self.conditional_probability_of_purchases(h, n, a, b, c);
             });
           })
      .def("dert",
           [](const pareto_nbd &self, double delta, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer(x, tx, T,
                                 [&](auto a, auto b, auto c) { return self.dert(delta, a, b, c); });
           })
      .def("probability_of_purchases",
           [](const pareto_nbd &self, double t, std::uint32_t n) {
             return self.probability_of_purchases(t, n);
           })
      .def("expected_purchases",
           [](const pareto_nbd &self, double t) { return self.expected_purchases(t); })
      .def("expected_purchases_many", [](const pareto_nbd &self, const f64 &t) {
        return per_horizon(t, [&](double h) { return self.expected_purchases(h); });
      });
  def_fit<pareto_nbd, 4>(pareto_nbd_class,
                         std::array<const char *, 3>{"frequency", "recency", "T"});

  // ---- Gamma-Gamma ----------------------------------------------------------
  py::class_<gamma_gamma> gamma_gamma_class(m, "GammaGamma",
                                            "The Gamma-Gamma spend model (see gamma_gamma.hpp).");
  gamma_gamma_class.def(py::init<>())
      .def(py::init([](double p, double q, double v) {
             return gamma_gamma(gamma_gamma_params{p, q, v});
           }),
           py::arg("p"), py::arg("q"), py::arg("v"))
      .def("conditional_expected_average_profit",
           [](const gamma_gamma &self, const f64 &x, const f64 &mv) {
             std::vector<double> out;
             {
               released_gil release; // and interruptible
               out = self.conditional_expected_average_profit(as_span(x), as_span(mv));
             }
             return to_numpy(std::move(out));
           });
  def_fit<gamma_gamma, 3>(gamma_gamma_class,
                          std::array<const char *, 2>{"frequency", "monetary_value"});

  // ---- BG/BB ----------------------------------------------------------------
  py::class_<bg_bb> bg_bb_class(m, "BgBb", "The BG/BB model (see bg_bb.hpp).");
  bg_bb_class.def(py::init<>())
      .def(py::init([](double alpha, double beta, double gamma, double delta) {
             return bg_bb(bg_bb_params{alpha, beta, gamma, delta});
           }),
           py::arg("alpha"), py::arg("beta"), py::arg("gamma"), py::arg("delta"))
      .def("conditional_expected_purchases",
           [](const bg_bb &self, const f64 &m_periods, const f64 &x, const f64 &tx, const f64 &n) {
             return per_customer_t(m_periods, x, tx, n, [&](auto h, auto a, auto b, auto c) {
               return detail::map_customers_t(h, a, b, c, [&](std::size_t i, double ahead) {
                 return self.conditional_expected_purchases(ahead, a[i], b[i], c[i]);
               });
             });
           })
      .def("probability_alive",
           [](const bg_bb &self, const f64 &m_periods, const f64 &x, const f64 &tx, const f64 &n) {
             return per_customer_t(m_periods, x, tx, n, [&](auto h, auto a, auto b, auto c) {
               return detail::map_customers_t(h, a, b, c, [&](std::size_t i, double ahead) {
                 return self.probability_alive(ahead, a[i], b[i], c[i]);
               });
             });
           })
      .def("expected_purchases",
           [](const bg_bb &self, double n) { return self.expected_purchases(n); })
      .def("probability_of_purchases", [](const bg_bb &self, double n, double x) {
        return self.probability_of_purchases(n, x);
      });
  def_fit<bg_bb, 4>(bg_bb_class, std::array<const char *, 3>{"frequency", "recency", "n_periods"});

  // ---- MBG/NBD --------------------------------------------------------------
  py::class_<modified_bg_nbd> mbg_class(m, "ModifiedBgNbd",
                                        "The MBG/NBD model (see value/btyd/modified_bg_nbd.hpp).");
  mbg_class.def(py::init<>())
      .def(py::init([](double r, double alpha, double a, double b) {
             return modified_bg_nbd(modified_bg_nbd_params{r, alpha, a, b});
           }),
           py::arg("r"), py::arg("alpha"), py::arg("a"), py::arg("b"))
      .def(
          "conditional_expected_purchases",
          [](const modified_bg_nbd &self, const f64 &t, const f64 &x, const f64 &tx, const f64 &T) {
            return per_customer_t(t, x, tx, T, [&](auto h, auto a, auto b, auto c) {
              return self.conditional_expected_purchases(h, a, b, c);
            });
          })
      .def("probability_alive",
           [](const modified_bg_nbd &self, const f64 &x, const f64 &tx, const f64 &T) {
             return per_customer(
                 x, tx, T, [&](auto a, auto b, auto c) { return self.probability_alive(a, b, c); });
           })
      .def("expected_purchases",
           [](const modified_bg_nbd &self, double t) { return self.expected_purchases(t); })
      .def("expected_purchases_many",
           [](const modified_bg_nbd &self, const f64 &t) {
             return per_horizon(t, [&](double h) { return self.expected_purchases(h); });
           })
      .def("probability_of_purchases", [](const modified_bg_nbd &self, double t, std::uint32_t n) {
        return self.probability_of_purchases(t, n);
      });
  def_fit<modified_bg_nbd, 4>(mbg_class, std::array<const char *, 3>{"frequency", "recency", "T"});

  // ---- sBG ------------------------------------------------------------------
  py::class_<sbg> sbg_class(m, "Sbg",
                            "The shifted-beta-geometric retention model (see value/btyd/sbg.hpp).");
  sbg_class.def(py::init<>())
      .def(py::init([](double alpha, double beta) {
             return sbg(sbg_params{alpha, beta});
           }),
           py::arg("alpha"), py::arg("beta"))
      .def(
          "fit_survivors",
          [](sbg &self, const f64 &survivors, double penalizer_coef, unsigned threads,
             double tolerance, int max_iterations, std::vector<double> initial) {
            const auto o =
                fit_options(penalizer_coef, threads, tolerance, max_iterations, std::move(initial));
            const auto s = as_span(survivors);
            {
              released_gil release; // and interruptible
              self.fit_survivors(s, o);
            }
            return fit_result<sbg, 2>(self);
          },
          py::arg("survivors"), py::arg("penalizer_coef") = 0.0, py::arg("threads") = 0u,
          py::arg("tolerance") = 1e-9, py::arg("max_iterations") = 1000,
          py::arg("initial_params") = std::vector<double>{})
      .def("survival",
           [](const sbg &self, const f64 &t) {
             return per_horizon(t, [&](double h) { return self.survival(h); });
           })
      .def("probability_churn",
           [](const sbg &self, const f64 &t) {
             return per_horizon(t, [&](double h) { return self.probability_churn(h); });
           })
      .def("retention_rate",
           [](const sbg &self, const f64 &t) {
             return per_horizon(t, [&](double h) { return self.retention_rate(h); });
           })
      .def("derl",
           [](const sbg &self, double d, const f64 &n) {
             return per_horizon(n, [&](double h) { return self.derl(d, h); });
           })
      .def("discounted_expected_lifetime",
           [](const sbg &self, double d) { return self.discounted_expected_lifetime(d); });
  def_fit<sbg, 2>(sbg_class, std::array<const char *, 2>{"periods", "churned"});

  def_purchase_covariates<bg_nbd_covariates>(
      m, "BgNbdCov", "BG/NBD with time-invariant covariates (see value/btyd/covariates.hpp).");
  def_purchase_covariates<pareto_nbd_covariates>(
      m, "ParetoNbdCov",
      "Pareto/NBD with time-invariant covariates (see value/btyd/covariates.hpp).");
  def_covariate_fit<bg_bb_covariates, bg_bb_params>(
      m, "BgBbCov", "BG/BB with time-invariant covariates (see value/btyd/covariates.hpp).",
      "n_periods")
      .def("conditional_expected_purchases",
           [](const bg_bb_covariates &self, const f64 &h, const f64 &x, const f64 &tx, const f64 &n,
              const m64 &life, const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             return per_customer_t(h, x, tx, n, [&](auto hh, auto a, auto b, auto c) {
               return self.conditional_expected_purchases(hh, a, b, c, l, t);
             });
           })
      .def("probability_alive",
           [](const bg_bb_covariates &self, const f64 &h, const f64 &x, const f64 &tx, const f64 &n,
              const m64 &life, const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             return per_customer_t(h, x, tx, n, [&](auto hh, auto a, auto b, auto c) {
               return self.probability_alive(hh, a, b, c, l, t);
             });
           })
      .def("expected_purchases",
           [](const bg_bb_covariates &self, const f64 &n, std::size_t count, const m64 &life,
              const m64 &trans) {
             const auto l = as_covariates(life, "life_covariates"),
                        t = as_covariates(trans, "trans_covariates");
             const auto ns = as_span(n);
             std::vector<double> out;
             {
               released_gil release; // and interruptible
               out = self.expected_purchases(ns, count, l, t);
             }
             return to_numpy(std::move(out));
           })
      .def("probability_of_purchases", [](const bg_bb_covariates &self, double n, double x,
                                          std::size_t count, const m64 &life, const m64 &trans) {
        const auto l = as_covariates(life, "life_covariates"),
                   t = as_covariates(trans, "trans_covariates");
        std::vector<double> out;
        {
          released_gil release; // and interruptible
          out = self.probability_of_purchases(n, x, count, l, t);
        }
        return to_numpy(std::move(out));
      });
  py::class_<gamma_gamma_covariates>(
      m, "GammaGammaCov", "Gamma-Gamma with spend covariates (see value/btyd/covariates.hpp).")
      .def(py::init<>())
      .def(py::init([](const std::array<double, 3> &p, std::vector<double> coefficients) {
             return gamma_gamma_covariates(gamma_gamma_params{p[0], p[1], p[2]},
                                           std::move(coefficients));
           }),
           py::arg("params"), py::arg("coefficients"))
      .def(
          "fit",
          [](gamma_gamma_covariates &self, const f64 &x, const f64 &mv, const m64 &z,
             const std::optional<f64> &w, unsigned threads, double tolerance, int max_iterations,
             std::vector<double> initial, const std::string &se) {
            const auto o = fit_options(0.0, threads, tolerance, max_iterations, std::move(initial));
            const auto zc = as_covariates(z, "covariates");
            const auto st = parse_enum<standard_error_type>(se, "se");
            {
              released_gil release; // and interruptible
              self.fit(as_span(x), as_span(mv), zc, opt_span(w), o, st);
            }
            return covariate_fit_result<gamma_gamma_covariates, 3>(self);
          },
          py::arg("frequency"), py::arg("monetary_value"), py::arg("covariates"),
          py::arg("weights") = py::none(), py::arg("threads") = 0u, py::arg("tolerance") = 1e-9,
          py::arg("max_iterations") = 1000, py::arg("initial_params") = std::vector<double>{},
          py::arg("se") = "hessian")
      .def("conditional_expected_average_profit",
           [](const gamma_gamma_covariates &self, const f64 &x, const f64 &mv, const m64 &z) {
             const auto zc = as_covariates(z, "covariates");
             std::vector<double> out;
             {
               released_gil release; // and interruptible
               out = self.conditional_expected_average_profit(as_span(x), as_span(mv), zc);
             }
             return to_numpy(std::move(out));
           });
}

} // namespace goodwill::bindings
