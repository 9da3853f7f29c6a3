// goodwill — the covariate fits: the design (validation, grouping by
// covariate vector), Newton's method over base parameters and
// coefficients with Hessian or sandwich standard errors, and the models'
// fit(); declared in value/btyd/covariates.hpp (the design notes are
// there). Compiled once in src/value/btyd/covariates.cpp, or included by the
// header under GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_BTYD_COVARIATES_INL_HPP
#define GOODWILL_VALUE_BTYD_COVARIATES_INL_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/covariates.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {
namespace detail {

GOODWILL_FUNC covariate_design design_covariates(std::size_t n,
                                                 std::span<const covariate_matrix> blocks,
                                                 std::span<const char *const> names) {
  covariate_design d;
  d.n = n;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const auto &m = blocks[b];
    if (m.columns == 0 && !m.values.empty())
      throw invalid_input(names[b], "has values but zero columns");
    check_covariate_rows(names[b], m, n);
    d.offset.push_back(d.P);
    d.cols.push_back(m.columns);
    d.P += m.columns;
    // Scale, constancy and collinearity within the block.
    const std::size_t c = m.columns;
    if (c == 0)
      continue;
    Eigen::MatrixXd C =
        Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(c));
    std::vector<double> mean(c, 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < c; ++j)
        mean[j] += m.values[i * c + j] / static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < c; ++j)
        for (std::size_t k = j; k < c; ++k)
          C(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k)) +=
              (m.values[i * c + j] - mean[j]) * (m.values[i * c + k] - mean[k]);
    for (std::size_t j = 0; j < c; ++j) {
      const double var =
          C(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j)) / static_cast<double>(n);
      const double tol = 1e-12 * std::max(1.0, mean[j] * mean[j]);
      if (!(var > tol))
        throw invalid_input(names[b],
                            "column " + std::to_string(j) +
                                " is constant: it is confounded with the parameter it scales "
                                "(the model is not identified)");
      d.scale.push_back(std::sqrt(var));
    }
    Eigen::MatrixXd R(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(c));
    for (std::size_t j = 0; j < c; ++j)
      for (std::size_t k = 0; k < c; ++k) {
        const auto jj = static_cast<Eigen::Index>(std::min(j, k)),
                   kk = static_cast<Eigen::Index>(std::max(j, k));
        R(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k)) =
            C(jj, kk) / static_cast<double>(n) /
            (d.scale[d.offset[b] + j] * d.scale[d.offset[b] + k]);
      }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(R);
    if (es.eigenvalues().minCoeff() < 1e-10) {
      Eigen::Index worst = 0;
      es.eigenvectors().col(0).cwiseAbs().maxCoeff(&worst);
      throw invalid_input(names[b],
                          "column " + std::to_string(worst) +
                              " is a linear combination of the other columns (the model is not "
                              "identified)");
    }
  }
  // Group customers by their covariate vector (lexicographic sort of rows).
  auto value = [&](std::size_t i, std::size_t q) {
    for (std::size_t b = 0; b < blocks.size(); ++b)
      if (q < d.offset[b] + d.cols[b])
        return blocks[b].values[i * d.cols[b] + (q - d.offset[b])];
    return 0.0;
  };
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto less = [&](std::size_t i, std::size_t j) {
    for (std::size_t q = 0; q < d.P; ++q) {
      const double a = value(i, q), c = value(j, q);
      if (a != c)
        return a < c;
    }
    return false;
  };
  std::stable_sort(order.begin(), order.end(), less);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    if (k == 0 || less(order[k - 1], i)) {
      d.groups.emplace_back();
      std::vector<double> z(d.P);
      for (std::size_t q = 0; q < d.P; ++q)
        z[q] = value(i, q) / d.scale[q];
      d.z.push_back(std::move(z));
    }
    d.groups.back().push_back(i);
  }
  return d;
}

template <std::size_t B>
covariate_ml_result<B>
fit_covariates(const covariate_design &d, std::span<const covariate_link> links,
               const std::array<double, B> &start, const std::array<const char *, B> &shapes,
               double total_weight, std::size_t rows, bool large_groups,
               const btyd_fit_options &opt, group_ll_ref<B> group_ll, standard_error_type se,
               row_scores_ref<B> row_scores) {
  if (opt.penalizer_coef != 0.0)
    throw invalid_input("penalizer_coef",
                        "is not supported with covariates (fit with penalizer_coef = 0)");
  using vec = Eigen::VectorXd;
  using mat = Eigen::MatrixXd;
  const auto KB = static_cast<Eigen::Index>(B);
  const auto K = KB + static_cast<Eigen::Index>(d.P);
  const std::size_t ng = d.groups.size();
  // φ_g = J_g θ: the Jacobian of group g (B × K).
  auto jacobian = [&](std::size_t g) {
    mat J = mat::Zero(KB, K);
    for (Eigen::Index b = 0; b < KB; ++b)
      J(b, b) = 1.0;
    for (const auto &l : links)
      for (std::size_t j = 0; j < d.cols[l.block]; ++j) {
        const std::size_t q = d.offset[l.block] + j;
        J(static_cast<Eigen::Index>(l.param), KB + static_cast<Eigen::Index>(q)) +=
            l.sign * d.z[g][q];
      }
    return J;
  };
  struct point {
    vec x;
    double f = inf, ll = nan;
    vec g;    // of f = −LL/N
    mat H_ll; // of −LL
  };
  auto eval = [&](const vec &x) {
    point p;
    p.x = x;
    const unsigned inner = large_groups ? opt.threads : 1u;
    const unsigned outer = large_groups ? 1u : opt.threads;
    bool finite = true;
    const auto total = chunked_sum<dyn_value_grad_hess>(
        ng, outer,
        [&](std::size_t lo, std::size_t hi) {
          dyn_value_grad_hess s;
          s.g = vec::Zero(K);
          s.h = mat::Zero(K, K);
          for (std::size_t g = lo; g < hi; ++g) {
            const mat J = jacobian(g);
            const vec phi = J * x;
            std::array<double, B> th{}, gr{};
            std::array<double, B * B> he{};
            for (std::size_t b = 0; b < B; ++b)
              th[b] = std::exp(phi(static_cast<Eigen::Index>(b)));
            s.v += group_ll(g, th, &gr, &he, inner);
            const Eigen::Map<const Eigen::Matrix<double, int(B), 1>> gv(gr.data());
            const Eigen::Map<const Eigen::Matrix<double, int(B), int(B), Eigen::RowMajor>> hv(
                he.data());
            s.g += J.transpose() * gv;
            s.h += J.transpose() * hv * J;
          }
          return s;
        },
        large_groups ? 1 : 64);
    p.ll = total.v;
    p.f = -p.ll / total_weight;
    p.g = -total.g / total_weight;
    p.H_ll = -total.h;
    finite = std::isfinite(p.f) && p.g.allFinite() && p.H_ll.allFinite();
    if (!finite)
      p.f = inf;
    return p;
  };
  vec cap = vec::Constant(K, inf);
  for (std::size_t b = 0; b < B; ++b)
    if (shapes[b] && *shapes[b])
      cap(static_cast<Eigen::Index>(b)) = std::log(max_shape);
  vec x0 = vec::Zero(K);
  if (!opt.initial_params.empty()) {
    if (opt.initial_params.size() != B && opt.initial_params.size() != static_cast<std::size_t>(K))
      throw invalid_input("initial_params", "needs " + std::to_string(B) + " base parameters, or " +
                                                std::to_string(K) + " with the coefficients");
    for (std::size_t k = 0; k < opt.initial_params.size(); ++k) {
      const double v = opt.initial_params[k];
      if (!std::isfinite(v) || (k < B && !(v > 0)))
        throw invalid_input("initial_params", static_cast<std::int64_t>(k),
                            "must be finite (and positive for a base parameter)");
      x0(static_cast<Eigen::Index>(k)) = k < B ? std::log(v) : v * d.scale[k - B];
    }
  } else {
    for (std::size_t b = 0; b < B; ++b)
      x0(static_cast<Eigen::Index>(b)) = std::log(start[b]);
  }
  x0 = x0.cwiseMin(cap);
  point cur = eval(x0);
  if (!std::isfinite(cur.f))
    throw numerical_failure(
        "the log-likelihood with covariates is not finite at the starting point");
  auto held = [&](const point &p) {
    std::vector<bool> h(static_cast<std::size_t>(K), false);
    for (Eigen::Index i = 0; i < K; ++i)
      h[static_cast<std::size_t>(i)] = p.x(i) >= cap(i) && p.g(i) < 0.0;
    return h;
  };
  auto free_norm = [&](const point &p) {
    const auto h = held(p);
    double s = 0;
    for (Eigen::Index i = 0; i < K; ++i)
      if (!h[static_cast<std::size_t>(i)])
        s += p.g(i) * p.g(i);
    return std::sqrt(s);
  };
  int iterations = 0;
  bool converged = free_norm(cur) <= opt.tolerance;
  while (!converged && iterations < opt.max_iterations) {
    const auto h = held(cur);
    mat H = 0.5 * (cur.H_ll + cur.H_ll.transpose()) / total_weight;
    vec g = cur.g;
    for (Eigen::Index i = 0; i < K; ++i)
      if (h[static_cast<std::size_t>(i)]) {
        H.row(i).setZero();
        H.col(i).setZero();
        H(i, i) = 1.0;
        g(i) = 0.0;
      }
    Eigen::SelfAdjointEigenSolver<mat> es(H);
    vec lambda = es.eigenvalues().cwiseAbs();
    lambda = lambda.cwiseMax(std::max(1e-8 * lambda.maxCoeff(), 1e-300));
    vec step = -es.eigenvectors() * (es.eigenvectors().transpose() * g).cwiseQuotient(lambda);
    const double len = step.norm();
    if (len > 1.0)
      step *= 1.0 / len;
    const double slope = cur.g.dot(step);
    if (!(slope < 0.0))
      break;
    double t = 1.0;
    point next;
    bool accepted = false;
    for (int ls = 0; ls < 60; ++ls) {
      next = eval((cur.x + t * step).cwiseMin(cap));
      if (next.f <= cur.f + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    ++iterations;
    if (!accepted)
      break;
    const double decrease = cur.f - next.f;
    cur = std::move(next);
    converged = free_norm(cur) <= opt.tolerance;
    if (decrease <= 1e-15 * std::max(1.0, std::abs(cur.f)) && t < 1.0)
      break;
  }
  covariate_ml_result<B> res;
  for (std::size_t b = 0; b < B; ++b)
    res.params[b] = std::exp(cur.x(static_cast<Eigen::Index>(b)));
  res.gamma.resize(d.P);
  for (std::size_t q = 0; q < d.P; ++q)
    res.gamma[q] = cur.x(KB + static_cast<Eigen::Index>(q)) / d.scale[q];
  res.info.iterations = iterations;
  res.info.converged = free_norm(cur) <= std::max(opt.tolerance, 1e-5);
  std::vector<bool> fixed(static_cast<std::size_t>(K), false);
  for (std::size_t b = 0; b < B; ++b)
    if (cur.x(static_cast<Eigen::Index>(b)) >= cap(static_cast<Eigen::Index>(b))) {
      res.info.at_bound.emplace_back(shapes[b]);
      fixed[b] = true;
    }
  res.info.customers = total_weight;
  res.info.rows = rows;
  res.info.log_likelihood = cur.ll;
  if (!std::isfinite(res.info.log_likelihood))
    throw numerical_failure("the log-likelihood with covariates is not finite at the optimum");
  // Covariance: the inverse of the exact Hessian of −LL, carried to the
  // natural base parameters and the unscaled coefficients: D H⁻¹ D.
  mat H = 0.5 * (cur.H_ll + cur.H_ll.transpose());
  for (Eigen::Index i = 0; i < K; ++i)
    if (fixed[static_cast<std::size_t>(i)]) {
      H.row(i).setZero();
      H.col(i).setZero();
      H(i, i) = 1.0;
    }
  vec D(K);
  for (Eigen::Index i = 0; i < K; ++i)
    D(i) = i < KB ? res.params[static_cast<std::size_t>(i)]
                  : 1.0 / d.scale[static_cast<std::size_t>(i - KB)];
  mat cov = mat::Constant(K, K, nan);
  Eigen::LDLT<mat> ldlt(H);
  if (ldlt.info() == Eigen::Success && ldlt.isPositive()) {
    const mat Hinv = ldlt.solve(mat::Identity(K, K));
    if (se == standard_error_type::robust) {
      // B = Σ_i s_i s_iᵀ over customers, s_i = J_gᵀ ∇_φ ℓ_i (a row of
      // weight w stands for w customers with the same score).
      const auto meat = chunked_sum<dyn_value_grad_hess>(
          ng, opt.threads,
          [&](std::size_t lo, std::size_t hi) {
            dyn_value_grad_hess s;
            s.g = vec::Zero(K);
            s.h = mat::Zero(K, K);
            for (std::size_t g = lo; g < hi; ++g) {
              const mat J = jacobian(g);
              const vec phi = J * cur.x;
              std::array<double, B> th{};
              for (std::size_t b = 0; b < B; ++b)
                th[b] = std::exp(phi(static_cast<Eigen::Index>(b)));
              row_scores(g, th, [&](double w, const std::array<double, B> &gr) {
                const vec si =
                    J.transpose() * Eigen::Map<const Eigen::Matrix<double, int(B), 1>>(gr.data());
                s.h.noalias() += w * si * si.transpose();
              });
            }
            return s;
          },
          64);
      mat Bm = meat.h;
      for (Eigen::Index i = 0; i < K; ++i)
        if (fixed[static_cast<std::size_t>(i)]) {
          Bm.row(i).setZero();
          Bm.col(i).setZero();
        }
      cov = D.asDiagonal() * (Hinv * Bm * Hinv) * D.asDiagonal();
    } else {
      cov = D.asDiagonal() * Hinv * D.asDiagonal();
    }
  }
  res.se_type = se;
  for (Eigen::Index i = 0; i < K; ++i)
    if (fixed[static_cast<std::size_t>(i)]) {
      cov.row(i).setConstant(nan);
      cov.col(i).setConstant(nan);
    }
  res.covariance = cov;
  res.standard_errors.resize(static_cast<std::size_t>(K));
  for (Eigen::Index i = 0; i < K; ++i)
    res.standard_errors[static_cast<std::size_t>(i)] = cov(i, i) >= 0 ? std::sqrt(cov(i, i)) : nan;
  return res;
}

template <class Traits>
purchase_covariates<Traits> &
purchase_covariates<Traits>::fit(std::span<const double> frequency, std::span<const double> recency,
                                 std::span<const double> T, const covariate_matrix &life,
                                 const covariate_matrix &trans, std::span<const double> weights,
                                 const btyd_fit_options &options, standard_error_type se) {
  const auto all = compress_rfm(frequency, recency, T, weights); // validates, names rows
  const std::array<covariate_matrix, 2> blocks{life, trans};
  static constexpr std::array<const char *, 2> names{"life_covariates", "trans_covariates"};
  const auto d = design_covariates(frequency.size(), blocks, names);
  btyd_fit_options base_opt = options;
  base_opt.initial_params.clear();
  base_opt.penalizer_coef = 0.0;
  model_type base;
  base.fit(frequency, recency, T, weights, base_opt);
  std::vector<typename Traits::rows> groups;
  covariate_design dd = d;
  dd.groups.clear();
  dd.z.clear();
  std::size_t rows = 0, largest = 0;
  for (std::size_t g = 0; g < d.groups.size(); ++g) {
    if (!(group_weight(d.groups[g], weights) > 0))
      continue;
    groups.push_back(Traits::index(group_rows(d.groups[g], frequency, recency, T, weights)));
    rows += groups.back().rows.size();
    largest = std::max(largest, groups.back().rows.size());
    dd.groups.push_back(d.groups[g]);
    dd.z.push_back(d.z[g]);
  }
  const auto res = fit_covariates<4>(
      dd, Traits::links(), param_values<4>(base.params()), Traits::shapes(), all.total_weight, rows,
      largest >= chunk_rows, options,
      [&](std::size_t g, const std::array<double, 4> &th, std::array<double, 4> *grad,
          std::array<double, 16> *hess,
          unsigned threads) { return Traits::ll(groups[g], th, grad, hess, threads); },
      se,
      [&](std::size_t g, const std::array<double, 4> &th, const auto &visit) {
        // one customer's score per distinct row: the row alone, weight 1
        const auto &r = groups[g].rows;
        for (std::size_t k = 0; k < r.size(); ++k) {
          const std::array<double, 1> x1{r.x[k]}, t1{r.t_x[k]}, T1{r.T[k]};
          const auto one = Traits::index(compress_rfm(x1, t1, T1, {}));
          std::array<double, 4> gr{};
          static_cast<void>(Traits::ll(one, th, &gr, nullptr, 1));
          visit(r.w.empty() ? 1.0 : r.w[k], gr);
        }
      });
  this->set_fit(res, {life.columns, trans.columns});
  return *this;
}

} // namespace detail

GOODWILL_FUNC bg_bb_covariates &
bg_bb_covariates::fit(std::span<const double> frequency, std::span<const double> recency,
                      std::span<const double> n_periods, const covariate_matrix &life,
                      const covariate_matrix &trans, std::span<const double> weights,
                      const btyd_fit_options &options, standard_error_type se) {
  // validates and names rows; the bounds on the work of an evaluation
  const auto all = detail::compress_rfm(frequency, recency, n_periods, weights, true);
  bg_bb::check_fit_rows(all);
  const std::array<covariate_matrix, 2> blocks{life, trans};
  static constexpr std::array<const char *, 2> names{"life_covariates", "trans_covariates"};
  const auto d = detail::design_covariates(frequency.size(), blocks, names);
  btyd_fit_options base_opt = options;
  base_opt.initial_params.clear();
  base_opt.penalizer_coef = 0.0;
  bg_bb base;
  base.fit(frequency, recency, n_periods, weights, base_opt);
  std::vector<detail::rfm_rows> groups;
  detail::covariate_design dd = d;
  dd.groups.clear();
  dd.z.clear();
  std::size_t rows = 0, largest = 0;
  for (std::size_t g = 0; g < d.groups.size(); ++g) {
    if (!(detail::group_weight(d.groups[g], weights) > 0))
      continue;
    const auto &idx = d.groups[g];
    std::vector<double> gx, gt, gn, gw;
    for (const auto i : idx) {
      gx.push_back(frequency[i]);
      gt.push_back(recency[i]);
      gn.push_back(n_periods[i]);
      if (!weights.empty())
        gw.push_back(weights[i]);
    }
    groups.push_back(detail::compress_rfm(gx, gt, gn, gw, true));
    rows += groups.back().size();
    largest = std::max(largest, groups.back().size());
    dd.groups.push_back(d.groups[g]);
    dd.z.push_back(d.z[g]);
  }
  const auto res = detail::fit_covariates<4>(
      dd, links(), detail::param_values<4>(base.params()), {"alpha", "beta", "gamma", "delta"},
      all.total_weight, rows, largest >= detail::chunk_rows, options,
      [&](std::size_t g, const std::array<double, 4> &th, std::array<double, 4> *grad,
          std::array<double, 16> *hess, unsigned threads) {
        return bg_bb::log_likelihood_rows(groups[g], th, grad, threads, hess);
      },
      se,
      [&](std::size_t g, const std::array<double, 4> &th, const auto &visit) {
        // one customer's score per distinct row: the row alone, weight 1
        const auto &r = groups[g];
        for (std::size_t k = 0; k < r.size(); ++k) {
          const std::array<double, 1> x1{r.x[k]}, t1{r.t_x[k]}, n1{r.T[k]};
          const auto one = detail::compress_rfm(x1, t1, n1, {}, true);
          std::array<double, 4> gr{};
          static_cast<void>(bg_bb::log_likelihood_rows(one, th, &gr, 1));
          visit(r.w[k], gr);
        }
      });
  set_fit(res, {life.columns, trans.columns});
  return *this;
}

GOODWILL_FUNC gamma_gamma_covariates &
gamma_gamma_covariates::fit(std::span<const double> frequency,
                            std::span<const double> monetary_value, const covariate_matrix &z,
                            std::span<const double> weights, const btyd_fit_options &options,
                            standard_error_type se) {
  if (options.penalizer_coef != 0.0)
    throw invalid_input("penalizer_coef",
                        "is not supported with covariates (fit with penalizer_coef = 0)");
  btyd_fit_options base_opt = options;
  base_opt.initial_params.clear();
  gamma_gamma base;
  base.fit(frequency, monetary_value, weights, base_opt); // validates, names rows
  const std::array<covariate_matrix, 1> blocks{z};
  static constexpr std::array<const char *, 1> names{"covariates"};
  const auto d = detail::design_covariates(frequency.size(), blocks, names);
  struct row {
    double x, m, w;
  };
  std::vector<std::vector<row>> groups;
  detail::covariate_design dd = d;
  dd.groups.clear();
  dd.z.clear();
  double total = 0;
  std::size_t rows = 0, largest = 0;
  for (std::size_t g = 0; g < d.groups.size(); ++g) {
    std::vector<row> rs;
    for (const auto i : d.groups[g]) {
      const double w = weights.empty() ? 1.0 : weights[i];
      if (w > 0)
        rs.push_back({frequency[i], monetary_value[i], w});
      total += w;
    }
    if (rs.empty())
      continue;
    rows += rs.size();
    largest = std::max(largest, rs.size());
    groups.push_back(std::move(rs));
    dd.groups.push_back(d.groups[g]);
    dd.z.push_back(d.z[g]);
  }
  const auto &bp = base.params();
  const std::vector<detail::covariate_link> lk{{2, 0, 1.0}};
  const auto res = detail::fit_covariates<3>(
      dd, lk, {bp.p, bp.q, bp.v}, {"p", "q", ""}, total, rows, false, options,
      [&](std::size_t g, const std::array<double, 3> &th, std::array<double, 3> *grad,
          std::array<double, 9> *hess,
          unsigned /*threads*/) { return group_ll(groups[g], th, grad, hess); },
      se,
      [&](std::size_t g, const std::array<double, 3> &th, const auto &visit) {
        for (const auto &r : groups[g]) {
          const std::array<row, 1> one{row{r.x, r.m, 1.0}};
          std::array<double, 3> gr{};
          static_cast<void>(group_ll(one, th, &gr, nullptr));
          visit(r.w, gr);
        }
      });
  static_cast<void>(largest);
  set_fit(res, {z.columns});
  return *this;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_BTYD_COVARIATES_INL_HPP
