// goodwill — the maximum-likelihood fitters of the BTYD models (fit_ml:
// L-BFGS; fit_ml_newton: projected Newton) and their covariance, and the
// Beta expectations by tanh-sinh quadrature (beta_expectation and the BG/NBD
// alive and survival expectations, the slow path of its predictions); declared in
// detail/btyd.hpp (the design notes are there). Compiled once in
// src/detail/btyd.cpp, or included by detail/btyd.hpp under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_DETAIL_BTYD_INL_HPP
#define GOODWILL_DETAIL_BTYD_INL_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/error.hpp>

#include <Eigen/Dense>
#include <LBFGS.h>
#include <boost/math/quadrature/tanh_sinh.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <exception>
#include <utility>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill::detail {

template <class H> double beta_expectation(double a, double beta, const H &h) {
  // integrate(f, a, b) is not const in Boost 1.74: one integrator per thread
  static thread_local boost::math::quadrature::tanh_sinh<double> integrator;
  const double log_norm = -lbeta(a, beta);
  auto integrate = [](auto &&f, double lo, double hi) {
    return hi > lo ? integrator.integrate(f, lo, hi, 1e-13) : 0.0;
  };
  // density × h at p (with q = 1 − p given exactly), 0 where it vanishes
  auto g = [&](double p, double q) {
    const double lp = p > 0 ? std::log(p) : -inf, lq = q > 0 ? std::log(q) : -inf;
    const double l = (a == 1 ? 0.0 : (a - 1) * lp) + (beta == 1 ? 0.0 : (beta - 1) * lq);
    return l == -inf ? 0.0 : h(p) * std::exp(log_norm + l);
  };
  if (a < 1 || beta < 1) {
    double left, right;
    if (a < 1) { // u = p^a on [0, ½]: p^{a−1} dp = du/a
      const double inv = 1 / a, la = std::log(a);
      left = integrate(
          [&](double u) {
            const double p = u > 0 ? std::exp(std::log(u) * inv) : 0.0;
            return h(p) * std::exp(log_norm - la + (beta - 1) * std::log1p(-p));
          },
          0.0, std::exp(-a * std::log(2.0)));
    } else {
      left = integrate([&](double p) { return g(p, 1 - p); }, 0.0, 0.5);
    }
    if (beta < 1) { // v = (1−p)^β on [½, 1]: (1−p)^{β−1} dp = −dv/β
      const double inv = 1 / beta, lb = std::log(beta);
      right = integrate(
          [&](double v) {
            const double q = v > 0 ? std::exp(std::log(v) * inv) : 0.0;
            return h(1 - q) * std::exp(log_norm - lb + (a - 1) * std::log1p(-q));
          },
          0.0, std::exp(-beta * std::log(2.0)));
    } else {
      right = integrate([&](double p) { return g(p, 1 - p); }, 0.5, 1.0);
    }
    return left + right;
  }
  auto f = [&](double p) { return g(p, 1 - p); };
  const double mean = a / (a + beta);
  const double sd = std::sqrt(a * beta / ((a + beta) * (a + beta) * (a + beta + 1)));
  const double lo = std::max(mean - 10 * sd, 0.0), hi = std::min(mean + 10 * sd, 1.0);
  if (lo <= 0.01 && hi >= 0.99)
    return integrate(f, 0.0, 1.0);
  return integrate(f, 0.0, lo) + integrate(f, lo, hi) + integrate(f, hi, 1.0);
}

GOODWILL_FUNC double bg_nbd_alive_expectation(double k, double w, double a, double beta) {
  return beta_expectation(a, beta, [k, w](double p) {
    if (p * w < 1e-300)
      return k * w;
    return -std::expm1(-k * std::log1p(p * w)) / p;
  });
}

GOODWILL_FUNC double bg_nbd_survival_expectation(double k, double w, double a, double beta) {
  return beta_expectation(a, beta, [k, w](double p) { return std::exp(-k * std::log1p(p * w)); });
}

/// Covariance and standard errors of the natural parameters from the Hessian
/// H of −LL in log-parameters (delta method); NaN when H is not positive
/// definite. Parameters in `fixed` (ended at the shape cap: not a stationary
/// point, the likelihood still rising) get NaN; the others' covariance is
/// then conditional on them (the inverse of the free block).
template <std::size_t K>
void set_covariance(ml_result<K> &res, Eigen::Matrix<double, int(K), int(K)> H,
                    const std::array<bool, K> &fixed) {
  using mat = Eigen::Matrix<double, int(K), int(K)>;
  constexpr int KI = int(K);
  H = (0.5 * (H + H.transpose())).eval();
  for (int i = 0; i < KI; ++i)
    if (fixed[static_cast<std::size_t>(i)]) {
      H.row(i).setZero();
      H.col(i).setZero();
      H(i, i) = 1.0;
    }
  mat cov;
  Eigen::LDLT<mat> ldlt(H);
  if (ldlt.info() == Eigen::Success && ldlt.isPositive()) {
    const mat inv = ldlt.solve(mat::Identity());
    for (int i = 0; i < KI; ++i)
      for (int j = 0; j < KI; ++j)
        cov(i, j) = inv(i, j) * res.params[static_cast<std::size_t>(i)] *
                    res.params[static_cast<std::size_t>(j)];
  } else {
    cov.setConstant(nan);
  }
  for (int i = 0; i < KI; ++i)
    if (fixed[static_cast<std::size_t>(i)]) {
      cov.row(i).setConstant(nan);
      cov.col(i).setConstant(nan);
    }
  res.covariance = cov;
  for (int k = 0; k < KI; ++k)
    res.standard_errors[static_cast<std::size_t>(k)] = cov(k, k) >= 0 ? std::sqrt(cov(k, k)) : nan;
}

/// Maximise a log-likelihood over K positive parameters.
/// `loglik(theta, grad)` returns the total log-likelihood at natural
/// parameters theta and, when grad is non-null, its gradient with respect to
/// log theta (models without an analytic gradient pass `analytic = false`:
/// central differences are used then).
template <std::size_t K>
ml_result<K> fit_ml(loglik_ref<K> loglik, bool analytic, double total_weight, std::size_t rows,
                    const btyd_fit_options &opt) {
  using vec = Eigen::VectorXd;
  constexpr int KI = int(K);
  using arr = std::array<double, K>;
  auto to_theta = [](const vec &lp) {
    arr t{};
    for (int k = 0; k < KI; ++k)
      t[static_cast<std::size_t>(k)] = std::exp(lp(k));
    return t;
  };
  // Total log-likelihood and its gradient in log-parameters.
  auto ll_grad = [&](const vec &lp, arr &g) {
    const arr t = to_theta(lp);
    if (analytic)
      return loglik(t, &g);
    const double f0 = loglik(t, nullptr);
    for (int k = 0; k < KI; ++k) {
      const double h = 1e-6;
      vec p = lp, q = lp;
      p(k) += h;
      q(k) -= h;
      g[static_cast<std::size_t>(k)] =
          (loglik(to_theta(p), nullptr) - loglik(to_theta(q), nullptr)) / (2 * h);
    }
    return f0;
  };
  // The best point seen, with its unpenalised LL and gradient (the fit ends
  // there: no evaluation is repeated at it).
  vec best_x = vec::Zero(KI), best_grad = vec::Zero(KI);
  double best_f = inf, best_ll = nan;
  arr best_g{};
  // The last point evaluated (LBFGSpp evaluates its starting point again).
  vec last_x;
  double last_f = inf;
  vec last_grad;
  auto objective = [&](const vec &lp, vec &grad) {
    if (last_x.size() == KI && lp == last_x) {
      grad = last_grad;
      return last_f;
    }
    arr g{};
    const double ll = ll_grad(lp, g);
    double f = -ll / total_weight;
    for (int k = 0; k < KI; ++k) {
      const double th = std::exp(lp(k));
      f += opt.penalizer_coef * th * th;
      grad(k) = -g[static_cast<std::size_t>(k)] / total_weight + 2 * opt.penalizer_coef * th * th;
    }
    if (!std::isfinite(f) || !grad.allFinite()) {
      grad.setZero();
      f = inf;
    } else if (f < best_f) {
      best_f = f;
      best_x = lp;
      best_grad = grad;
      best_ll = ll;
      best_g = g;
    }
    last_x = lp;
    last_f = f;
    last_grad = grad;
    return f;
  };
  vec x = start_point<K>(opt);
  LBFGSpp::LBFGSParam<double> param;
  param.epsilon = opt.tolerance;
  param.epsilon_rel = 0;
  param.past = 0;
  param.max_iterations = opt.max_iterations;
  param.max_linesearch = 60;
  int iterations = 0;
  {
    vec g0(KI);
    if (!std::isfinite(objective(x, g0)))
      throw numerical_failure("the log-likelihood is not finite at the starting point");
  }
  // Restart from the best point after a line-search failure (LBFGSpp throws
  // when no step decreases the objective, typically at the optimum already,
  // where the gradient is dominated by rounding); stop once a restart no
  // longer improves the objective.
  param.past = 1;
  param.delta = 1e-13;
  for (int attempt = 0; attempt < 4; ++attempt) {
    LBFGSpp::LBFGSSolver<double> solver(param);
    vec y = best_x;
    double fy = 0;
    const double before = best_f;
    try {
      iterations += solver.minimize(objective, y, fy);
      break;
    } catch (const std::exception &) {
      if (!(before - best_f > 1e-11 * std::max(1.0, std::abs(best_f))))
        break;
    }
  }
  x = best_x;
  ml_result<K> res;
  res.params = to_theta(x);
  res.info.iterations = iterations;
  res.info.converged = std::isfinite(best_f) && best_grad.norm() <= std::max(opt.tolerance, 1e-5);
  res.info.customers = total_weight;
  res.info.rows = rows;
  res.info.log_likelihood = best_ll;
  if (!std::isfinite(res.info.log_likelihood))
    throw numerical_failure("the log-likelihood is not finite at the optimum");
  // Hessian of −LL in log-parameters by forward differences of the gradient
  // (K gradient evaluations; O(h) error, ~1e-5 relative on the errors).
  Eigen::Matrix<double, int(K), int(K)> H;
  const double h = 1e-5;
  for (int i = 0; i < KI; ++i) {
    vec p = x;
    p(i) += h;
    arr gp{};
    ll_grad(p, gp);
    for (int j = 0; j < KI; ++j)
      H(i, j) = -(gp[static_cast<std::size_t>(j)] - best_g[static_cast<std::size_t>(j)]) / h;
  }
  set_covariance<K>(res, H);
  return res;
}

/// Newton's method in log-parameters. `shapes` names the shape parameters
/// (capped at max_shape; the others are free), in parameter order ("" for a
/// free one). A capped parameter is held at the cap while the gradient
/// pushes it outward (projected Newton); the fit is converged when the
/// gradient of the free parameters meets the tolerance.
template <std::size_t K>
ml_result<K> fit_ml_newton(loglik_hess_ref<K> loglik, double total_weight, std::size_t rows,
                           const btyd_fit_options &opt, const std::array<const char *, K> &shapes) {
  constexpr int KI = int(K);
  using vec = Eigen::Matrix<double, int(K), 1>;
  using mat = Eigen::Matrix<double, int(K), int(K)>;
  using arr = std::array<double, K>;
  struct point {
    vec x;
    double f = inf, ll = nan;
    vec g;
    mat H;    // of the objective
    mat H_ll; // of −LL (no penalty), for the covariance
  };
  auto eval = [&](const vec &lp, bool with_derivatives) {
    point p;
    p.x = lp;
    arr t{}, g{};
    std::array<double, K * K> h{};
    for (std::size_t k = 0; k < K; ++k)
      t[k] = std::exp(lp(static_cast<Eigen::Index>(k)));
    p.ll = with_derivatives ? loglik(t, &g, &h) : loglik(t, nullptr, nullptr);
    p.f = -p.ll / total_weight;
    for (std::size_t k = 0; k < K; ++k)
      p.f += opt.penalizer_coef * t[k] * t[k];
    if (!std::isfinite(p.f)) {
      p.f = inf;
      return p;
    }
    if (with_derivatives) {
      for (int i = 0; i < KI; ++i) {
        const auto ui = static_cast<std::size_t>(i);
        p.g(i) = -g[ui] / total_weight + 2 * opt.penalizer_coef * t[ui] * t[ui];
        for (int j = 0; j < KI; ++j) {
          p.H_ll(i, j) = -h[ui * K + static_cast<std::size_t>(j)];
          p.H(i, j) = p.H_ll(i, j) / total_weight;
        }
        p.H(i, i) += 4 * opt.penalizer_coef * t[ui] * t[ui];
      }
      if (!p.g.allFinite() || !p.H.allFinite())
        p.f = inf;
    }
    return p;
  };
  vec cap;
  for (int i = 0; i < KI; ++i) {
    const char *name = shapes[static_cast<std::size_t>(i)];
    cap(i) = name && *name ? std::log(max_shape) : inf;
  }
  // Parameters held at the cap: at it, with the gradient pushing outward.
  auto held = [&](const point &p) {
    Eigen::Array<bool, int(K), 1> h;
    for (int i = 0; i < KI; ++i)
      h(i) = p.x(i) >= cap(i) && p.g(i) < 0.0;
    return h;
  };
  auto free_gradient = [&](const point &p) {
    const auto h = held(p);
    vec g = p.g;
    for (int i = 0; i < KI; ++i)
      if (h(i))
        g(i) = 0.0;
    return g;
  };
  vec x0 = start_point<K>(opt);
  x0 = x0.cwiseMin(cap);
  point cur = eval(x0, true);
  if (!std::isfinite(cur.f))
    throw numerical_failure("the log-likelihood is not finite at the starting point");
  int iterations = 0;
  bool converged = free_gradient(cur).norm() <= opt.tolerance;
  while (!converged && iterations < opt.max_iterations) {
    // Newton with the held parameters fixed. A free parameter whose step
    // would cross the cap is pinned: it moves exactly to the cap, and the
    // others take the Newton step given that move, −H_ff⁻¹(g_f + H_fp·d_p)
    // (stepping past the cap and projecting back bends the step: the line
    // search then crawls towards the cap without reaching it).
    auto pinned = held(cur);
    vec step = vec::Zero();
    for (int round = 0; round <= KI; ++round) {
      const mat Hs = 0.5 * (cur.H + cur.H.transpose());
      vec d = vec::Zero();
      for (int i = 0; i < KI; ++i)
        if (pinned(i))
          d(i) = cap(i) - cur.x(i);
      vec g = cur.g + Hs * d;
      mat H = Hs;
      for (int i = 0; i < KI; ++i)
        if (pinned(i)) {
          H.row(i).setZero();
          H.col(i).setZero();
          H(i, i) = 1.0;
          g(i) = 0.0;
        }
      Eigen::SelfAdjointEigenSolver<mat> es(H);
      vec lambda = es.eigenvalues().cwiseAbs();
      const double floor = std::max(1e-8 * lambda.maxCoeff(), 1e-300);
      lambda = lambda.cwiseMax(floor);
      step = d - es.eigenvectors() * (es.eigenvectors().transpose() * g).cwiseQuotient(lambda);
      bool more = false;
      for (int i = 0; i < KI; ++i)
        if (!pinned(i) && cur.x(i) + step(i) > cap(i)) {
          pinned(i) = true;
          more = true;
        }
      if (!more)
        break;
    }
    const double len = step.norm();
    if (len > 1.0)
      step *= 1.0 / len;
    const double slope = cur.g.dot(step);
    if (!(slope < 0.0))
      break; // no descent left
    // Halve until the objective decreases enough; the accepted point is
    // evaluated with its derivatives at once (near the optimum the first
    // trial is accepted, so this costs no extra evaluation).
    double t = 1.0;
    point next;
    bool accepted = false;
    for (int ls = 0; ls < 60; ++ls) {
      vec trial = (cur.x + t * step).cwiseMin(cap);
      for (int i = 0; i < KI; ++i)
        if (pinned(i) && t == 1.0 && len <= 1.0)
          trial(i) = cap(i); // exactly at the cap, whatever the rounding
      next = eval(trial, true);
      if (next.f <= cur.f + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    ++iterations;
    if (!accepted)
      break; // no decrease along a descent direction: rounding level reached
    const double decrease = cur.f - next.f;
    cur = std::move(next);
    converged = free_gradient(cur).norm() <= opt.tolerance;
    // Progress at rounding level: the gradient cannot get smaller.
    if (decrease <= 1e-15 * std::max(1.0, std::abs(cur.f)) && t < 1.0)
      break;
  }
  ml_result<K> res;
  for (std::size_t k = 0; k < K; ++k)
    res.params[k] = std::exp(cur.x(static_cast<Eigen::Index>(k)));
  res.info.iterations = iterations;
  res.info.converged = free_gradient(cur).norm() <= std::max(opt.tolerance, 1e-5);
  std::array<bool, K> fixed{};
  for (int i = 0; i < KI; ++i)
    if (cur.x(i) >= cap(i)) {
      res.info.at_bound.emplace_back(shapes[static_cast<std::size_t>(i)]);
      fixed[static_cast<std::size_t>(i)] = true;
    }
  res.info.customers = total_weight;
  res.info.rows = rows;
  res.info.log_likelihood = cur.ll;
  if (!std::isfinite(res.info.log_likelihood))
    throw numerical_failure("the log-likelihood is not finite at the optimum");
  set_covariance<K>(res, cur.H_ll, fixed);
  return res;
}

} // namespace goodwill::detail

// NOLINTEND(misc-definitions-in-headers)

#endif
