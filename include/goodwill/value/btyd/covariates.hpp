// goodwill — time-invariant covariates on the BG/NBD, Pareto/NBD, BG/BB
// and Gamma-Gamma models (issue 17, point 3).
//
// Design: the parameterisation of CLVTools (Bachmann, Meierer & Näf; its
// src/bgnbd_LL.cpp and src/pnbd_staticcov_LL_ind.cpp, after Fader & Hardie
// 2007, "Incorporating time-invariant covariates into the Pareto/NBD and
// BG/NBD models", note 019). A customer i with covariates z_life,i (the
// attrition process) and z_trans,i (the purchase process) has
//   BG/NBD:     α_i = α·exp(−γ_trans·z_trans,i),
//               a_i = a·exp(γ_life·z_life,i),  b_i = b·exp(γ_life·z_life,i);
//   Pareto/NBD: α_i = α·exp(−γ_trans·z_trans,i), β_i = β·exp(−γ_life·z_life,i);
// the shapes r (and s) are common. So a positive γ_trans raises the
// expected purchase rate r/α_i; for Pareto/NBD a positive γ_life raises the
// dropout rate s/β_i; for BG/NBD a positive γ_life scales a and b together
// (the mean dropout probability a/(a+b) is unchanged, its spread shrinks).
//   Gamma-Gamma (not in CLVTools, which has no spend covariates; our choice,
//   by analogy): the rate of the prior of ν, v_i = v·exp(γ_spend·z_i), so
//   the expected spend per transaction p·v_i/(q−1) is multiplied by
//   exp(γ_spend·z_i): a positive coefficient means higher spend.
//   BG/BB (CLVTools' bgbb is a stub: "not yet implemented", with or
//   without covariates; our choice, by analogy): the first shape of each
//   Beta, α_i = α·exp(γ_trans·z_trans,i) and γ_i = γ·exp(γ_life·z_life,i),
//   β and δ common. A positive γ_trans raises the mean transaction
//   probability α_i/(α_i+β) (as BG/NBD's raises the purchase rate); a
//   positive γ_life raises the mean dropout probability γ_i/(γ_i+δ) (as
//   Pareto/NBD's raises the dropout rate). Not BG/NBD's scaling of both
//   dropout shapes together: that leaves the mean dropout probability
//   unchanged, so a covariate of churn itself would show only in the
//   spread.
// The coefficients are reported on the covariates' own scale; internally
// each column is divided by its standard deviation (a better conditioned
// Newton problem), which changes nothing in the estimates.
//
// Fitting: customers are grouped by their covariate vector; within a group
// the rows are the model's compressed sufficient statistics, and the
// group's log-likelihood with its exact (analytic) gradient and Hessian in
// the log of the group's individual parameters is the covariate-free
// model's own (bg_nbd::log_likelihood_indexed,
// pareto_nbd::log_likelihood_indexed, bg_bb::log_likelihood_rows; for
// Gamma-Gamma the analytic derivatives below). The individual log-parameters are linear in the full
// parameter vector θ = (log base parameters, γ_life, γ_trans), φ_g = J_g θ,
// so ∇_θℓ = Σ_g J_gᵀ∇_φℓ_g and ∇²_θℓ = Σ_g J_gᵀ∇²_φℓ_g J_g: the Hessian is
// exact, and the standard errors are from its inverse (base parameters
// carried to the natural scale by the delta method) or, with
// standard_error_type::robust, the sandwich H⁻¹BH⁻¹ with B = Σ_i s_i s_iᵀ
// the customers' scores s_i = J_gᵀ∇_φℓ_i (one pass over the distinct rows
// at the optimum). Why robust: on CDNOW with a covariate independent of
// behaviour the Hessian is exact (checked against second differences) yet
// its 95% intervals for the transaction coefficient cover 0 in 91 of 100
// draws (Pareto/NBD; BG/NBD 94): the data are overdispersed relative to the
// model, the information equality fails, and the sandwich intervals cover
// in 98 of 100 for both (tests/cpp/value/btyd/test_covariates.cpp). On
// FHS 2010's donations data BG/BB is closer to the truth: Hessian and
// sandwich intervals alike cover 0 in 56–57 of 60 draws. The work is
// O(distinct (x, t_x, T, z) rows): with a few discrete covariate levels it
// is that of a few covariate-free fits; with continuous covariates every
// customer is a row. Newton's method (eigenvalue-modified Hessian, steps of
// length ≤ 1, Armijo halving, shape parameters capped at detail::max_shape
// as in the covariate-free fits) starts from the covariate-free fit with
// γ = 0 (BG/BB: all four base parameters are Beta shapes, all capped). The
// covariate-free classes (bg_nbd, pareto_nbd, bg_bb, gamma_gamma) are
// untouched: their fits keep their own code path and speed (bg_bb's its
// derivative-free L-BFGS; its exact derivatives serve the covariate fit).
//
// Not covered: MBG/NBD. The machinery needs each model's exact gradient
// and Hessian of a group's log-likelihood in its log-parameters. Since its
// Newton fit modified_bg_nbd has them (log_likelihood_rows with the
// Hessian), so MBG/NBD covariates are that reuse, not yet wired here; its
// fitter refuses covariates.
//
// Identification: a constant covariate column is confounded with the base
// parameter it scales (log α, log a and log b, log β, log v; BG/BB's
// log α, log γ) and columns
// that are linear combinations of each other are confounded with each other;
// both raise invalid_input naming the covariate field and column.
#ifndef GOODWILL_VALUE_BTYD_COVARIATES_HPP
#define GOODWILL_VALUE_BTYD_COVARIATES_HPP

#include <goodwill/detail/btyd.hpp>
#include <goodwill/detail/config.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/value/btyd/bg_bb.hpp>
#include <goodwill/value/btyd/bg_nbd.hpp>
#include <goodwill/value/btyd/gamma_gamma.hpp>
#include <goodwill/value/btyd/pareto_nbd.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// How a covariate fit's standard errors are computed. `hessian`: the
/// inverse of the exact Hessian of −LL (valid when the model is the data's
/// true law). `robust`: the sandwich (Huber-White) estimator H⁻¹ B H⁻¹,
/// B = Σ_i s_i s_iᵀ the outer products of the customers' score
/// contributions — lifelines' `robust=True`, statsmodels' cov_type "HC0",
/// CLVTools' robust standard errors; valid under misspecification (data
/// overdispersed relative to the model). B costs one pass over the
/// distinct rows.
enum class standard_error_type : std::uint8_t { hessian, robust };
template <> struct enum_traits<standard_error_type> {
  static constexpr std::array<std::string_view, 2> names{"hessian", "robust"};
};

/// Covariates of customers: a row-major matrix, one row per customer and
/// `columns` columns (`values.size()` = rows × columns). Zero columns: the
/// process has no covariates.
struct covariate_matrix {
  std::span<const double> values;
  std::size_t columns = 0;
};

namespace detail {

/// Refuses a covariate block (named `name`) that is not `n` rows of finite
/// values: the row count and the row and column of the first non-finite one.
inline void check_covariate_rows(const std::string &name, const covariate_matrix &m,
                                 std::size_t n) {
  if (m.values.size() != n * m.columns)
    throw invalid_input(name, "has " +
                                  std::to_string(m.columns == 0 ? 0 : m.values.size() / m.columns) +
                                  " rows where 'frequency' has " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m.columns; ++j)
      if (!std::isfinite(m.values[i * m.columns + j]))
        throw invalid_input(name, static_cast<std::int64_t>(i),
                            "column " + std::to_string(j) + " is not finite");
}

/// Which base parameter a covariate block scales, and with which sign:
/// φ_param += sign·γ_block·z_block.
struct covariate_link {
  std::size_t param;
  std::size_t block;
  double sign;
};

/// Covariate blocks validated, scaled and grouped.
struct covariate_design {
  std::size_t n = 0;
  std::vector<std::size_t> offset, cols; ///< per block, into the P covariates
  std::size_t P = 0;
  std::vector<double> scale;                    ///< per covariate: its standard deviation
  std::vector<std::vector<std::size_t>> groups; ///< customers with the same covariates
  std::vector<std::vector<double>> z;           ///< per group: its scaled covariates (P)
};

/// Validate the covariate blocks of n customers (rows, finiteness, no
/// constant column, no collinear columns) and group the customers by their
/// covariate vector.
GOODWILL_FUNC covariate_design design_covariates(std::size_t n,
                                                 std::span<const covariate_matrix> blocks,
                                                 std::span<const char *const> names);

/// A value, gradient and Hessian of dynamic size, for chunked sums.
struct dyn_value_grad_hess {
  double v = 0;
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  dyn_value_grad_hess &operator+=(const dyn_value_grad_hess &o) {
    v += o.v;
    if (o.g.size() == 0)
      return *this;
    if (g.size() == 0) {
      g = o.g;
      h = o.h;
    } else {
      g += o.g;
      h += o.h;
    }
    return *this;
  }
};

/// The result of a covariate fit: base parameters (natural scale), the
/// coefficients (the covariates' own scale), the covariance of them all
/// (base parameters first, then the blocks in order) and diagnostics.
template <std::size_t B> struct covariate_ml_result {
  std::array<double, B> params{};
  std::vector<double> gamma;
  std::vector<double> standard_errors;
  Eigen::MatrixXd covariance;
  btyd_fit_info info;
  standard_error_type se_type = standard_error_type::hessian;
};

/// `group_ll(g, theta, grad, hess, threads)`, see fit_covariates.
template <std::size_t B>
using group_ll_ref =
    function_ref<double(std::size_t, const std::array<double, B> &, std::array<double, B> *,
                        std::array<double, B * B> *, unsigned)>;
/// `visit(w, grad)`: one distinct row's weight and score.
template <std::size_t B>
using score_visit_ref = function_ref<void(double, const std::array<double, B> &)>;
/// `row_scores(g, theta, visit)`, see fit_covariates.
template <std::size_t B>
using row_scores_ref =
    function_ref<void(std::size_t, const std::array<double, B> &, score_visit_ref<B>)>;

/// Newton's method over θ = (log base parameters, scaled coefficients) for
/// the grouped log-likelihood. `group_ll(g, theta, grad, hess, threads)`
/// returns group g's log-likelihood at natural individual parameters theta
/// with its gradient and Hessian in their logarithms (when non-null).
/// `row_scores(g, theta, visit)` calls visit(w, grad) for each distinct row
/// of group g (weight w, the gradient of one customer's log-likelihood in
/// the log individual parameters): the sandwich's B for `se` = robust.
/// Defined in value/btyd/covariates-inl.hpp; compiled for B = 3 (Gamma-Gamma)
/// and 4 (BG/NBD, Pareto/NBD, BG/BB) in src/value/btyd/covariates.cpp.
template <std::size_t B>
covariate_ml_result<B>
fit_covariates(const covariate_design &d, std::span<const covariate_link> links,
               const std::array<double, B> &start, const std::array<const char *, B> &shapes,
               double total_weight, std::size_t rows, bool large_groups,
               const btyd_fit_options &opt, group_ll_ref<B> group_ll, standard_error_type se,
               row_scores_ref<B> row_scores);

#ifndef GOODWILL_HEADER_ONLY
extern template covariate_ml_result<3>
fit_covariates<3>(const covariate_design &, std::span<const covariate_link>,
                  const std::array<double, 3> &, const std::array<const char *, 3> &, double,
                  std::size_t, bool, const btyd_fit_options &, group_ll_ref<3>, standard_error_type,
                  row_scores_ref<3>);
extern template covariate_ml_result<4>
fit_covariates<4>(const covariate_design &, std::span<const covariate_link>,
                  const std::array<double, 4> &, const std::array<const char *, 4> &, double,
                  std::size_t, bool, const btyd_fit_options &, group_ll_ref<4>, standard_error_type,
                  row_scores_ref<4>);
#endif

/// What every covariate model shares: the fitted state and the individual
/// parameters of a customer from their covariates.
template <class Params, std::size_t B> class covariate_model {
public:
  [[nodiscard]] bool fitted() const noexcept { return fitted_; }
  /// Base parameters (those of a customer whose covariates are all 0).
  [[nodiscard]] const Params &params() const {
    require_fitted();
    return params_;
  }
  /// Coefficients of block `block` (in the order of the fit's blocks).
  [[nodiscard]] std::vector<double> coefficients(std::size_t block) const {
    require_fitted();
    if (block >= cols_.size())
      throw invalid_input("block", "no covariate block " + std::to_string(block));
    return {gamma_.begin() + static_cast<std::ptrdiff_t>(offset(block)),
            gamma_.begin() + static_cast<std::ptrdiff_t>(offset(block) + cols_[block])};
  }
  /// All coefficients, blocks in order.
  [[nodiscard]] const std::vector<double> &coefficients() const {
    require_fitted();
    return gamma_;
  }
  /// Standard errors: the B base parameters, then the coefficients.
  [[nodiscard]] const std::vector<double> &standard_errors() const {
    require_fitted();
    return se_;
  }
  /// How the standard errors were computed (hessian for known parameters).
  [[nodiscard]] standard_error_type se_type() const {
    require_fitted();
    return se_type_;
  }
  /// Covariance matrix (base parameters, then the coefficients): the
  /// inverse of the exact Hessian of −LL, or the sandwich with it (the fit's
  /// standard_error_type); delta method for the base parameters.
  [[nodiscard]] const Eigen::MatrixXd &covariance() const {
    require_fitted();
    return cov_;
  }
  /// Fit diagnostics.
  [[nodiscard]] const btyd_fit_info &info() const {
    require_fitted();
    return info_;
  }
  /// Number of covariate columns in each block.
  [[nodiscard]] const std::vector<std::size_t> &block_columns() const noexcept { return cols_; }

  /// The individual parameters of a customer whose covariates in each block
  /// are `z[block]` (spans of that block's column count).
  [[nodiscard]] Params individual(std::span<const std::span<const double>> z) const {
    require_fitted();
    auto th = param_values<B>(params_);
    std::array<double, B> phi{};
    for (const auto &l : links_) {
      double dot = 0;
      for (std::size_t j = 0; j < cols_[l.block]; ++j)
        dot += z[l.block][j] * gamma_[offset(l.block) + j];
      phi[l.param] += l.sign * dot;
    }
    for (std::size_t b = 0; b < B; ++b)
      th[b] *= std::exp(phi[b]);
    return std::bit_cast<Params>(th);
  }

protected:
  covariate_model(std::vector<covariate_link> links, std::vector<const char *> names)
      : links_(std::move(links)), names_(std::move(names)) {}

  void set_state(const Params &p, std::vector<double> gamma, std::vector<std::size_t> cols) {
    std::size_t total = 0;
    for (const auto c : cols)
      total += c;
    if (gamma.size() != total)
      throw invalid_input("coefficients", "has " + std::to_string(gamma.size()) + " values for " +
                                              std::to_string(total) + " covariates");
    for (std::size_t q = 0; q < gamma.size(); ++q)
      if (!std::isfinite(gamma[q]))
        throw invalid_input("coefficients", static_cast<std::int64_t>(q), "must be finite");
    params_ = p;
    gamma_ = std::move(gamma);
    cols_ = std::move(cols);
    const std::size_t K = B + total;
    se_.assign(K, nan);
    cov_ =
        Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(K), nan);
    info_ = {};
    se_type_ = standard_error_type::hessian;
    fitted_ = true;
  }
  void set_fit(const covariate_ml_result<B> &res, std::vector<std::size_t> cols) {
    set_state(std::bit_cast<Params>(res.params), res.gamma, std::move(cols));
    se_ = res.standard_errors;
    cov_ = res.covariance;
    info_ = res.info;
    se_type_ = res.se_type;
  }
  void require_fitted() const {
    if (!fitted_)
      throw not_fitted("the covariate model is not fitted: call fit() first");
  }
  [[nodiscard]] std::size_t offset(std::size_t block) const {
    std::size_t o = 0;
    for (std::size_t b = 0; b < block; ++b)
      o += cols_[b];
    return o;
  }
  /// Check prediction covariates of n customers (one matrix per block, of
  /// the fitted column counts, finite).
  void check_prediction_covariates(std::size_t n, std::span<const covariate_matrix> blocks) const {
    require_fitted();
    if (blocks.size() != cols_.size())
      throw invalid_input("covariates",
                          "needs " + std::to_string(cols_.size()) + " covariate blocks");
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      const auto &m = blocks[b];
      if (m.columns != cols_[b])
        throw invalid_input(names_[b], "has " + std::to_string(m.columns) +
                                           " columns where the model was fitted with " +
                                           std::to_string(cols_[b]));
      check_covariate_rows(names_[b], m, n);
    }
  }
  /// The individual parameters of customer i of checked blocks.
  [[nodiscard]] Params individual_row(std::size_t i,
                                      std::span<const covariate_matrix> blocks) const {
    std::array<std::span<const double>, 4> z{};
    for (std::size_t b = 0; b < blocks.size(); ++b)
      z[b] = blocks[b].values.subspan(i * blocks[b].columns, blocks[b].columns);
    return individual(std::span<const std::span<const double>>(z.data(), blocks.size()));
  }

  Params params_{};
  std::vector<covariate_link> links_;
  std::vector<const char *> names_;

private:
  std::vector<double> gamma_, se_;
  std::vector<std::size_t> cols_;
  Eigen::MatrixXd cov_;
  btyd_fit_info info_{};
  standard_error_type se_type_ = standard_error_type::hessian;
  bool fitted_ = false;
};

/// Rows of the customers of one covariate group, compressed.
inline rfm_rows group_rows(const std::vector<std::size_t> &idx, std::span<const double> x,
                           std::span<const double> t_x, std::span<const double> T,
                           std::span<const double> w) {
  std::vector<double> gx, gt, gT, gw;
  gx.reserve(idx.size());
  gt.reserve(idx.size());
  gT.reserve(idx.size());
  for (const auto i : idx) {
    gx.push_back(x[i]);
    gt.push_back(t_x[i]);
    gT.push_back(T[i]);
    if (!w.empty())
      gw.push_back(w[i]);
  }
  return compress_rfm(gx, gt, gT, gw);
}

/// The total weight of the rows of a group (0 for a group of zero weights:
/// compress_rfm refuses those, so the caller drops them).
inline double group_weight(const std::vector<std::size_t> &idx, std::span<const double> w) {
  if (w.empty())
    return static_cast<double>(idx.size());
  double s = 0;
  for (const auto i : idx)
    s += w[i];
  return s;
}

} // namespace detail

namespace detail {

/// What the BG/NBD and Pareto/NBD covariate models share: the purchase
/// model `Traits::model` of each customer from their life and transaction
/// covariates, the grouped fit and the vectorised predictions.
template <class Traits>
class purchase_covariates : public covariate_model<typename Traits::params, 4> {
  using base_t = covariate_model<typename Traits::params, 4>;

public:
  using model_type = typename Traits::model;
  using params_type = typename Traits::params;

  /// Maximum-likelihood fit with covariates `life` and `trans` (one row per
  /// customer; either may have zero columns), from the covariate-free fit.
  /// Defined in value/btyd/covariates-inl.hpp (compiled for both models in
  /// src/value/btyd/covariates.cpp).
  purchase_covariates &fit(std::span<const double> frequency, std::span<const double> recency,
                           std::span<const double> T, const covariate_matrix &life,
                           const covariate_matrix &trans, std::span<const double> weights = {},
                           const btyd_fit_options &options = {},
                           standard_error_type se = standard_error_type::hessian);

  /// The model of one customer with covariates z_life and z_trans.
  [[nodiscard]] model_type customer(std::span<const double> z_life,
                                    std::span<const double> z_trans) const {
    this->require_fitted();
    if (z_life.size() != this->block_columns()[0])
      throw invalid_input("life_covariates",
                          "needs " + std::to_string(this->block_columns()[0]) + " values");
    if (z_trans.size() != this->block_columns()[1])
      throw invalid_input("trans_covariates",
                          "needs " + std::to_string(this->block_columns()[1]) + " values");
    const std::array<std::span<const double>, 2> z{z_life, z_trans};
    return model_type(this->individual(z));
  }

  /// P(alive at T) of each customer, with their covariates.
  [[nodiscard]] std::vector<double> probability_alive(std::span<const double> x,
                                                      std::span<const double> t_x,
                                                      std::span<const double> T,
                                                      const covariate_matrix &life,
                                                      const covariate_matrix &trans) const {
    const auto blocks = checked(x.size(), life, trans);
    return map_customers(x, t_x, T, [&](std::size_t i) {
      return model_type(this->individual_row(i, blocks)).probability_alive(x[i], t_x[i], T[i]);
    });
  }
  /// P(alive at T + t) of each customer (t of size 1 or n).
  [[nodiscard]] std::vector<double>
  probability_alive_at(std::span<const double> t, std::span<const double> x,
                       std::span<const double> t_x, std::span<const double> T,
                       const covariate_matrix &life, const covariate_matrix &trans) const {
    const auto blocks = checked(x.size(), life, trans);
    return map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return model_type(this->individual_row(i, blocks))
          .probability_alive_at(ti, x[i], t_x[i], T[i]);
    });
  }
  /// Expected repeat purchases in (T, T + t] of each customer (t of size 1 or n).
  [[nodiscard]] std::vector<double>
  conditional_expected_purchases(std::span<const double> t, std::span<const double> x,
                                 std::span<const double> t_x, std::span<const double> T,
                                 const covariate_matrix &life,
                                 const covariate_matrix &trans) const {
    const auto blocks = checked(x.size(), life, trans);
    return map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return model_type(this->individual_row(i, blocks))
          .conditional_expected_purchases(ti, x[i], t_x[i], T[i]);
    });
  }
  /// Expected purchases in (0, t] of newly acquired customers with these
  /// covariates (`n` customers, one row each; t of size 1 or n).
  [[nodiscard]] std::vector<double> expected_purchases(std::span<const double> t, std::size_t n,
                                                       const covariate_matrix &life,
                                                       const covariate_matrix &trans) const {
    return map_new_customers(
        t, n, life, trans, [](const model_type &m, double ti) { return m.expected_purchases(ti); });
  }

  /// P(no purchase in (T, T + t]) of each customer (t of size 1 or n).
  [[nodiscard]] std::vector<double>
  probability_no_purchase(std::span<const double> t, std::span<const double> x,
                          std::span<const double> t_x, std::span<const double> T,
                          const covariate_matrix &life, const covariate_matrix &trans) const {
    const auto blocks = checked(x.size(), life, trans);
    return map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return model_type(this->individual_row(i, blocks))
          .probability_no_purchase(ti, x[i], t_x[i], T[i]);
    });
  }
  /// P(X(t) = purchases) of newly acquired customers with these covariates
  /// (`n` customers, one row each; t of size 1 or n).
  [[nodiscard]] std::vector<double> probability_of_purchases(std::span<const double> t,
                                                             std::uint32_t purchases, std::size_t n,
                                                             const covariate_matrix &life,
                                                             const covariate_matrix &trans) const {
    return map_new_customers(t, n, life, trans, [purchases](const model_type &m, double ti) {
      return m.probability_of_purchases(ti, purchases);
    });
  }
  /// P(purchases in (T, T + t] | x, t_x, T) of each customer (Pareto/NBD).
  [[nodiscard]] std::vector<double> conditional_probability_of_purchases(
      std::span<const double> t, std::uint32_t purchases, std::span<const double> x,
      std::span<const double> t_x, std::span<const double> T, const covariate_matrix &life,
      const covariate_matrix &trans) const requires requires(const model_type &m) {
    m.conditional_probability_of_purchases(1.0, 0u, 0.0, 0.0, 1.0);
  }
  {
    const auto blocks = checked(x.size(), life, trans);
    return map_customers_t(t, x, t_x, T, [&](std::size_t i, double ti) {
      return model_type(this->individual_row(i, blocks))
          .conditional_probability_of_purchases(ti, purchases, x[i], t_x[i], T[i]);
    });
  }
  /// DERT of each customer at continuous discount rate delta (Pareto/NBD).
  [[nodiscard]] std::vector<double> dert(double delta, std::span<const double> x,
                                         std::span<const double> t_x, std::span<const double> T,
                                         const covariate_matrix &life,
                                         const covariate_matrix &trans) const requires
      requires(const model_type &m) {
    m.dert(1.0, 0.0, 0.0, 1.0);
  }
  {
    const auto blocks = checked(x.size(), life, trans);
    return map_customers(x, t_x, T, [&](std::size_t i) {
      return model_type(this->individual_row(i, blocks)).dert(delta, x[i], t_x[i], T[i]);
    });
  }

protected:
  purchase_covariates() : base_t(Traits::links(), {"life_covariates", "trans_covariates"}) {}
  void set_known(const params_type &p, std::vector<double> gamma_life,
                 const std::vector<double> &gamma_trans) {
    check_params<4>(param_values<4>(p), Traits::names());
    const std::vector<std::size_t> cols{gamma_life.size(), gamma_trans.size()};
    gamma_life.insert(gamma_life.end(), gamma_trans.begin(), gamma_trans.end());
    this->set_state(p, std::move(gamma_life), cols);
  }

private:
  /// f(model of customer i, t_i) for `n` newly acquired customers with
  /// these covariates (one row each; t of size 1 or n).
  template <class F>
  std::vector<double> map_new_customers(std::span<const double> t, std::size_t n,
                                        const covariate_matrix &life, const covariate_matrix &trans,
                                        const F &f) const {
    const auto blocks = checked(n, life, trans);
    check_horizons(t, n);
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = f(model_type(this->individual_row(i, blocks)), t.size() == 1 ? t[0] : t[i]);
    return out;
  }
  std::array<covariate_matrix, 2> checked(std::size_t n, const covariate_matrix &life,
                                          const covariate_matrix &trans) const {
    const std::array<covariate_matrix, 2> blocks{life, trans};
    this->check_prediction_covariates(n, blocks);
    return blocks;
  }
};

struct bg_nbd_covariate_traits {
  using model = bg_nbd;
  using params = bg_nbd_params;
  using rows = indexed_rows;
  static rows index(rfm_rows r) { return index_rows(std::move(r)); }
  static double ll(const rows &g, const std::array<double, 4> &th, std::array<double, 4> *grad,
                   std::array<double, 16> *hess, unsigned threads) {
    return bg_nbd::log_likelihood_indexed(g, th, grad, threads, hess);
  }
  /// α by exp(−γ_trans·z_trans); a and b by exp(γ_life·z_life) (CLVTools).
  static std::vector<covariate_link> links() { return {{1, 1, -1.0}, {2, 0, 1.0}, {3, 0, 1.0}}; }
  static std::array<const char *, 4> shapes() { return {"r", "", "a", "b"}; }
  static std::array<const char *, 4> names() { return {"r", "alpha", "a", "b"}; }
};

struct pareto_nbd_covariate_traits {
  using model = pareto_nbd;
  using params = pareto_nbd_params;
  using rows = pareto_rows;
  static rows index(rfm_rows r) { return index_pareto_rows(std::move(r)); }
  static double ll(const rows &g, const std::array<double, 4> &th, std::array<double, 4> *grad,
                   std::array<double, 16> *hess, unsigned threads) {
    return pareto_nbd::log_likelihood_indexed(g, th, threads, grad, hess);
  }
  /// α by exp(−γ_trans·z_trans); β by exp(−γ_life·z_life) (CLVTools).
  static std::vector<covariate_link> links() { return {{1, 1, -1.0}, {3, 0, -1.0}}; }
  static std::array<const char *, 4> shapes() { return {"r", "", "s", ""}; }
  static std::array<const char *, 4> names() { return {"r", "alpha", "s", "beta"}; }
};

} // namespace detail

/// BG/NBD with time-invariant covariates (CLVTools' parameterisation; see
/// the design note): block 0 = life covariates (a and b scaled by
/// exp(γ_life·z)), block 1 = transaction covariates (α by exp(−γ_trans·z)).
class bg_nbd_covariates : public detail::purchase_covariates<detail::bg_nbd_covariate_traits> {
public:
  /// An unfitted model; fit() it before predicting.
  bg_nbd_covariates() = default;
  /// A model with given base parameters and coefficients (treated as fitted).
  bg_nbd_covariates(const bg_nbd_params &p, std::vector<double> gamma_life,
                    const std::vector<double> &gamma_trans) {
    set_known(p, std::move(gamma_life), gamma_trans);
  }
};

/// Pareto/NBD with time-invariant covariates (CLVTools' parameterisation):
/// block 0 = life covariates (β scaled by exp(−γ_life·z): a positive
/// coefficient raises the dropout rate s/β_i), block 1 = transaction
/// covariates (α by exp(−γ_trans·z)).
class pareto_nbd_covariates
    : public detail::purchase_covariates<detail::pareto_nbd_covariate_traits> {
public:
  /// An unfitted model; fit() it before predicting.
  pareto_nbd_covariates() = default;
  /// A model with given base parameters and coefficients (treated as fitted).
  pareto_nbd_covariates(const pareto_nbd_params &p, std::vector<double> gamma_life,
                        const std::vector<double> &gamma_trans) {
    set_known(p, std::move(gamma_life), gamma_trans);
  }
};

/// BG/BB with time-invariant covariates (our parameterisation, see the
/// design note): block 0 = life covariates (γ scaled by exp(γ_life·z): a
/// positive coefficient raises the mean dropout probability γ_i/(γ_i + δ)),
/// block 1 = transaction covariates (α by exp(γ_trans·z): a positive
/// coefficient raises the mean transaction probability α_i/(α_i + β)).
class bg_bb_covariates : public detail::covariate_model<bg_bb_params, 4> {
public:
  /// An unfitted model; fit() it before predicting.
  bg_bb_covariates() : covariate_model(links(), {"life_covariates", "trans_covariates"}) {}
  /// A model with given base parameters and coefficients (treated as fitted).
  bg_bb_covariates(const bg_bb_params &p, std::vector<double> gamma_life,
                   const std::vector<double> &gamma_trans)
      : bg_bb_covariates() {
    detail::check_params<4>(detail::param_values<4>(p), {"alpha", "beta", "gamma", "delta"});
    const std::vector<std::size_t> cols{gamma_life.size(), gamma_trans.size()};
    gamma_life.insert(gamma_life.end(), gamma_trans.begin(), gamma_trans.end());
    set_state(p, std::move(gamma_life), cols);
  }

  /// γ by exp(γ_life·z_life) (param 2, block 0); α by exp(γ_trans·z_trans)
  /// (param 0, block 1).
  static std::vector<detail::covariate_link> links() { return {{0, 1, 1.0}, {2, 0, 1.0}}; }

  /// Maximum-likelihood fit to frequency x, recency t_x and n_periods (as
  /// bg_bb::fit) with covariates `life` and `trans` (one row per customer;
  /// either may have zero columns), from the covariate-free fit. Defined in
  /// value/btyd/covariates-inl.hpp.
  GOODWILL_FUNC bg_bb_covariates &
  fit(std::span<const double> frequency, std::span<const double> recency,
      std::span<const double> n_periods, const covariate_matrix &life,
      const covariate_matrix &trans, std::span<const double> weights = {},
      const btyd_fit_options &options = {}, standard_error_type se = standard_error_type::hessian);

  /// The BG/BB model of one customer with covariates z_life and z_trans.
  [[nodiscard]] bg_bb customer(std::span<const double> z_life,
                               std::span<const double> z_trans) const {
    require_fitted();
    if (z_life.size() != block_columns()[0])
      throw invalid_input("life_covariates",
                          "needs " + std::to_string(block_columns()[0]) + " values");
    if (z_trans.size() != block_columns()[1])
      throw invalid_input("trans_covariates",
                          "needs " + std::to_string(block_columns()[1]) + " values");
    const std::array<std::span<const double>, 2> z{z_life, z_trans};
    return bg_bb(individual(z));
  }

  /// P(alive at opportunity n + m) of each customer (m of size 1 or n).
  [[nodiscard]] std::vector<double>
  probability_alive(std::span<const double> m, std::span<const double> x,
                    std::span<const double> t_x, std::span<const double> n,
                    const covariate_matrix &life, const covariate_matrix &trans) const {
    const auto blocks = checked(x.size(), life, trans);
    return detail::map_customers_t(m, x, t_x, n, [&](std::size_t i, double mi) {
      return bg_bb(individual_row(i, blocks)).probability_alive(mi, x[i], t_x[i], n[i]);
    });
  }
  /// E[transactions in opportunities n+1 .. n+m] of each customer (m of
  /// size 1 or n).
  [[nodiscard]] std::vector<double>
  conditional_expected_purchases(std::span<const double> m, std::span<const double> x,
                                 std::span<const double> t_x, std::span<const double> n,
                                 const covariate_matrix &life,
                                 const covariate_matrix &trans) const {
    const auto blocks = checked(x.size(), life, trans);
    return detail::map_customers_t(m, x, t_x, n, [&](std::size_t i, double mi) {
      return bg_bb(individual_row(i, blocks))
          .conditional_expected_purchases(mi, x[i], t_x[i], n[i]);
    });
  }
  /// E[X(n)] of `count` newly acquired customers with these covariates (one
  /// row each; n of size 1 or count).
  [[nodiscard]] std::vector<double> expected_purchases(std::span<const double> n, std::size_t count,
                                                       const covariate_matrix &life,
                                                       const covariate_matrix &trans) const {
    const auto blocks = checked(count, life, trans);
    detail::check_horizons(n, count);
    std::vector<double> out(count);
    for (std::size_t i = 0; i < count; ++i)
      out[i] = bg_bb(individual_row(i, blocks)).expected_purchases(n.size() == 1 ? n[0] : n[i]);
    return out;
  }
  /// P(X(n) = x) of `count` newly acquired customers with these covariates
  /// (one row each).
  [[nodiscard]] std::vector<double> probability_of_purchases(double n, double x, std::size_t count,
                                                             const covariate_matrix &life,
                                                             const covariate_matrix &trans) const {
    const auto blocks = checked(count, life, trans);
    std::vector<double> out(count);
    for (std::size_t i = 0; i < count; ++i)
      out[i] = bg_bb(individual_row(i, blocks)).probability_of_purchases(n, x);
    return out;
  }

private:
  std::array<covariate_matrix, 2> checked(std::size_t n, const covariate_matrix &life,
                                          const covariate_matrix &trans) const {
    const std::array<covariate_matrix, 2> blocks{life, trans};
    check_prediction_covariates(n, blocks);
    return blocks;
  }
};

/// Gamma-Gamma with time-invariant spend covariates (our parameterisation,
/// see the design note): v_i = v·exp(γ·z_i), so the expected spend per
/// transaction p·v_i/(q − 1) is multiplied by exp(γ·z_i).
class gamma_gamma_covariates : public detail::covariate_model<gamma_gamma_params, 3> {
public:
  /// An unfitted model; fit() it before predicting.
  gamma_gamma_covariates() : covariate_model({{2, 0, 1.0}}, {"covariates"}) {}
  /// A model with given base parameters and coefficients (treated as fitted).
  gamma_gamma_covariates(const gamma_gamma_params &p, std::vector<double> gamma)
      : gamma_gamma_covariates() {
    detail::check_params<3>({p.p, p.q, p.v}, {"p", "q", "v"});
    const std::vector<std::size_t> cols{gamma.size()};
    set_state(p, std::move(gamma), cols);
  }

  /// Maximum-likelihood fit to repeat buyers (frequency ≥ 1, mean spend
  /// > 0) with covariates `z` (one row per customer), from the
  /// covariate-free fit.
  /// Defined in value/btyd/covariates-inl.hpp.
  GOODWILL_FUNC gamma_gamma_covariates &
  fit(std::span<const double> frequency, std::span<const double> monetary_value,
      const covariate_matrix &z, std::span<const double> weights = {},
      const btyd_fit_options &options = {}, standard_error_type se = standard_error_type::hessian);

  /// The Gamma-Gamma model of one customer with covariates z.
  [[nodiscard]] gamma_gamma customer(std::span<const double> z) const {
    require_fitted();
    if (z.size() != block_columns()[0])
      throw invalid_input("covariates", "needs " + std::to_string(block_columns()[0]) + " values");
    const std::array<std::span<const double>, 1> zs{z};
    return gamma_gamma(individual(zs));
  }

  /// E[mean spend | x, m] of each customer, with their covariates.
  [[nodiscard]] std::vector<double>
  conditional_expected_average_profit(std::span<const double> x, std::span<const double> m,
                                      const covariate_matrix &z) const {
    const std::array<covariate_matrix, 1> blocks{z};
    check_prediction_covariates(x.size(), blocks);
    if (m.size() != x.size())
      throw invalid_input("monetary_value", "must have as many rows as frequency");
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto row = static_cast<std::int64_t>(i);
      if (!std::isfinite(x[i]) || x[i] < 0)
        throw invalid_input("frequency", row, "must be finite and non-negative");
      if (!std::isfinite(m[i]) || m[i] < 0)
        throw invalid_input("monetary_value", row, "must be finite and non-negative");
      out[i] =
          gamma_gamma(individual_row(i, blocks)).conditional_expected_average_profit(x[i], m[i]);
    }
    return out;
  }

  /// The log-likelihood of rows (x, m, w) at (p, q, v) with its gradient
  /// and Hessian in log-parameters (analytic: digamma and trigamma terms).
  template <class Rows>
  static double group_ll(const Rows &rows, const std::array<double, 3> &th,
                         std::array<double, 3> *grad, std::array<double, 9> *hess) {
    const double p = th[0], q = th[1], v = th[2];
    double ll = 0;
    std::array<double, 3> g{};
    std::array<double, 9> h{};
    const double lgq = detail::lgam(q), psiq = detail::digam(q), t1q = detail::trigam(q),
                 lv = std::log(v);
    for (const auto &r : rows) {
      const double x = r.x, m = r.m, w = r.w, px = p * x, vm = v + m * x, lvm = std::log(vm);
      ll += w * (detail::lgam(px + q) - detail::lgam(px) - lgq + q * lv + (px - 1) * std::log(m) +
                 px * std::log(x) - (px + q) * lvm);
      if (!grad)
        continue;
      const double psi1 = detail::digam(px + q), psi0 = detail::digam(px);
      g[0] += w * x * (psi1 - psi0 + std::log(m) + std::log(x) - lvm);
      g[1] += w * (psi1 - psiq + lv - lvm);
      g[2] += w * (q / v - (px + q) / vm);
      if (!hess)
        continue;
      const double t1 = detail::trigam(px + q), t0 = detail::trigam(px);
      h[0] += w * x * x * (t1 - t0);
      h[1] += w * x * t1;
      h[2] += w * (-x / vm);
      h[4] += w * (t1 - t1q);
      h[5] += w * (1 / v - 1 / vm);
      h[8] += w * (-q / (v * v) + (px + q) / (vm * vm));
    }
    h[3] = h[1];
    h[6] = h[2];
    h[7] = h[5];
    detail::to_log_parameters<3>(th, g, h, grad, grad ? hess : nullptr);
    return ll;
  }
};

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/btyd/covariates-inl.hpp>
#endif

#endif // GOODWILL_VALUE_BTYD_COVARIATES_HPP
