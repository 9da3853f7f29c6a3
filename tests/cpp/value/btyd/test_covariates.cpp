#include <goodwill/value/btyd/covariates.hpp>

#include "btyd_data.hpp"

#include <boost/test/unit_test.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>
#include <vector>

BOOST_AUTO_TEST_SUITE(covariates)

namespace tt = boost::test_tools;

namespace {

/// Standard normal variates from a fixed seed (splitmix64 + Box-Muller:
/// the same numbers on every platform).
std::vector<double> normals(std::size_t n, std::uint64_t seed) {
  auto next = [&seed]() {
    seed += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = seed;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 0.5) / 9007199254740992.0;
  };
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = next(), v = next();
    out[i] = std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
  return out;
}

std::vector<double> centred(std::vector<double> z) {
  double m = 0;
  for (const double v : z)
    m += v / static_cast<double>(z.size());
  for (double &v : z)
    v -= m;
  return z;
}

struct synthetic {
  std::vector<double> x, t_x, T, z_life, z_trans;
};

/// BG/NBD customers whose individual parameters follow CLVTools' static
/// covariate parameterisation, written out here independently of the
/// library's own (covariate_model::individual): α_i = α·exp(−g_trans·z_trans),
/// a_i = a·exp(g_life·z_life), b_i = b·exp(g_life·z_life). z_life is binary
/// (half the customers), z_trans standard normal.
synthetic simulate_bg_cov(const goodwill::bg_nbd_params &p, double g_life, double g_trans, std::size_t n,
                          std::uint64_t seed) {
  synthetic s;
  s.z_trans = normals(n, seed);
  const auto u = normals(n, seed + 1);
  for (std::size_t i = 0; i < n; ++i) {
    s.z_life.push_back(u[i] > 0 ? 1.0 : 0.0);
    const double T = 30.0 + static_cast<double>(i % 10); // ages 30..39
    goodwill::bg_nbd_params q = p;
    q.alpha = p.alpha * std::exp(-g_trans * s.z_trans[i]);
    q.a = p.a * std::exp(g_life * s.z_life[i]);
    q.b = p.b * std::exp(g_life * s.z_life[i]);
    const std::vector<double> Ti{T};
    const auto one = goodwill::simulate_bg_nbd(q, Ti, seed * 1000003ULL + i, 1);
    s.x.push_back(one.frequency[0]);
    s.t_x.push_back(one.recency[0]);
    s.T.push_back(T);
  }
  return s;
}

goodwill::covariate_matrix column(const std::vector<double> &v) { return {v, 1}; }

/// The checks of an independent covariate (see the CDNOW cases).
template <std::size_t B, class Model>
void check_independent_covariate(const std::array<double, B> &pf, const std::array<double, B> &se_free,
                                 double ll_free, const std::array<double, B> &pc, const Model &m) {
  BOOST_TEST(m.info().converged);
  const auto &se = m.standard_errors();
  const auto g = m.coefficients();
  const std::size_t P = g.size();
  BOOST_REQUIRE_EQUAL(se.size(), B + P);
  for (std::size_t k = 0; k < P; ++k) {
    BOOST_TEST_MESSAGE("gamma " << k << " = " << g[k] << " ± " << 1.96 * se[B + k]);
    BOOST_TEST(std::isfinite(se[B + k]));
    BOOST_TEST(std::abs(g[k]) < 1.96 * se[B + k]);
  }
  for (std::size_t k = 0; k < B; ++k) {
    BOOST_TEST_MESSAGE("base " << k << ": " << pc[k] << " vs free " << pf[k] << " (se " << se_free[k] << ")");
    BOOST_TEST(std::abs(pc[k] - pf[k]) <= 0.25 * se_free[k]);
    BOOST_TEST(se[k] == se_free[k], tt::tolerance(0.05));
  }
  const double gain = m.info().log_likelihood - ll_free;
  BOOST_TEST_MESSAGE("log-likelihood gain " << gain);
  BOOST_TEST(gain >= -1e-6);
  BOOST_TEST(gain < 3.0);
}

} // namespace

// (a) CDNOW with a covariate drawn independently of behaviour (fixed seed,
// centred), on both processes: each coefficient's 95% interval covers 0,
// and the base parameters equal the covariate-free fit to the tolerance the
// extra parameters imply. That tolerance: the base parameters are those of
// a customer with z = 0, and a coefficient γ̂ within its interval of 0
// changes the spread of the individual parameters θ·exp(±γ̂z) around them
// (by about exp(γ̂²Var z/2): 5% for CDNOW's γ̂_life = −0.32), so the base
// parameters move by a fraction of their own standard errors: we require
// |Δθ| ≤ 0.25·se(θ) (observed at most 0.18·se, for a), the standard errors
// of θ to change by under 5%, and the log-likelihood gain to be below 3
// (the χ²₂ 95% quantile / 2: the covariate explains nothing).
BOOST_AUTO_TEST_CASE(bg_nbd_cdnow_independent_covariate_covers_zero,
                     GOODWILL_NEEDS_SHARED_DATA("cdnow/cdnow_customers_summary.csv")) {
  const auto c = goodwill_test::read_csv_columns("cdnow/cdnow_customers_summary.csv");
  BOOST_REQUIRE(!c.empty());
  const auto z = centred(normals(c[1].size(), 17));
  goodwill::bg_nbd free;
  free.fit(c[1], c[2], c[3]);
  goodwill::bg_nbd_covariates m;
  m.fit(c[1], c[2], c[3], column(z), column(z));
  check_independent_covariate<4>(goodwill::detail::param_values<4>(free.params()), free.standard_errors(),
                                 free.info().log_likelihood, goodwill::detail::param_values<4>(m.params()), m);
}

// (b) data generated with known coefficients: recovered within their 95%
// intervals, with the sign CLVTools uses (a positive γ_trans means more
// purchases): the generator is written out in this file, so a flipped sign
// in the library would give γ̂_trans ≈ −0.5, outside the interval.
BOOST_AUTO_TEST_CASE(bg_nbd_recovers_known_coefficients) {
  const goodwill::bg_nbd_params truth{0.8, 5.0, 0.8, 2.5};
  const double g_life = 0.6, g_trans = 0.5;
  const auto s = simulate_bg_cov(truth, g_life, g_trans, 20000, 5);
  goodwill::bg_nbd_covariates m;
  m.fit(s.x, s.t_x, s.T, column(s.z_life), column(s.z_trans));
  BOOST_TEST(m.info().converged);
  const auto &se = m.standard_errors();
  const auto g = m.coefficients();
  BOOST_TEST_MESSAGE("gamma_life " << g[0] << " ± " << 1.96 * se[4] << ", gamma_trans " << g[1] << " ± "
                                   << 1.96 * se[5]);
  BOOST_TEST(std::abs(g[0] - g_life) < 1.96 * se[4]);
  BOOST_TEST(std::abs(g[1] - g_trans) < 1.96 * se[5]);
  // the sign: the interval of γ_trans excludes 0 and −0.5
  BOOST_TEST(g[1] - 1.96 * se[5] > 0.0);
  const auto pc = goodwill::detail::param_values<4>(m.params());
  const auto pt = goodwill::detail::param_values<4>(truth);
  for (std::size_t k = 0; k < 4; ++k) {
    BOOST_TEST_MESSAGE("base " << k << ": " << pc[k] << " ± " << 1.96 * se[k] << " (true " << pt[k] << ")");
    BOOST_TEST(std::abs(pc[k] - pt[k]) < 2.58 * se[k]); // 99%: four parameters
  }
  // A customer with z_trans = 1 buys more than one with z_trans = 0.
  const std::vector<double> z0{0.0}, z1{1.0};
  BOOST_TEST(m.customer(z0, z1).expected_purchases(10) > m.customer(z0, z0).expected_purchases(10));
  // α of that customer is α·exp(−γ_trans), a and b are a·exp(γ_life), b·exp(γ_life)
  const auto q = m.customer(z1, z1).params();
  BOOST_TEST(q.alpha == m.params().alpha * std::exp(-g[1]), tt::tolerance(1e-12));
  BOOST_TEST(q.a == m.params().a * std::exp(g[0]), tt::tolerance(1e-12));
  BOOST_TEST(q.b == m.params().b * std::exp(g[0]), tt::tolerance(1e-12));
  // Grouping: the binary life covariate alone gives at most two groups of
  // compressed rows, as many as two covariate-free fits.
  goodwill::bg_nbd_covariates life_only;
  life_only.fit(s.x, s.t_x, s.T, column(s.z_life), {});
  BOOST_TEST(life_only.info().rows <= 2 * goodwill::bg_nbd().fit(s.x, s.t_x, s.T).info().rows);
  BOOST_TEST(life_only.coefficients().size() == 1u);
}

// The standard errors are those of the exact Hessian: they agree with the
// inverse of central second differences of the summed per-customer
// log-likelihoods (an independent evaluation) to 1e-3.
BOOST_AUTO_TEST_CASE(bg_nbd_standard_errors_from_the_exact_hessian) {
  const auto s = simulate_bg_cov({0.8, 5.0, 0.8, 2.5}, 0.4, -0.3, 3000, 11);
  goodwill::bg_nbd_covariates m;
  m.fit(s.x, s.t_x, s.T, column(s.z_life), column(s.z_trans));
  BOOST_REQUIRE(m.info().converged);
  const auto p0 = goodwill::detail::param_values<4>(m.params());
  const auto g0 = m.coefficients();
  Eigen::VectorXd th(6);
  for (int k = 0; k < 4; ++k)
    th(k) = std::log(p0[static_cast<std::size_t>(k)]);
  th(4) = g0[0];
  th(5) = g0[1];
  auto ll = [&](const Eigen::VectorXd &v) {
    const goodwill::bg_nbd_params p{std::exp(v(0)), std::exp(v(1)), std::exp(v(2)), std::exp(v(3))};
    goodwill::bg_nbd_covariates at(p, {v(4)}, {v(5)});
    double sum = 0;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      const std::vector<double> zl{s.z_life[i]}, zt{s.z_trans[i]};
      sum += at.customer(zl, zt).log_likelihood(s.x[i], s.t_x[i], s.T[i]);
    }
    return sum;
  };
  const double h = 1e-4;
  Eigen::MatrixXd H(6, 6);
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      Eigen::VectorXd a = th, b = th, c = th, d = th;
      a(i) += h, a(j) += h;
      b(i) += h, b(j) -= h;
      c(i) -= h, c(j) += h;
      d(i) -= h, d(j) -= h;
      H(i, j) = -(ll(a) - ll(b) - ll(c) + ll(d)) / (4 * h * h);
    }
  const Eigen::MatrixXd inv = H.inverse();
  for (int k = 0; k < 6; ++k) {
    const double scale = k < 4 ? p0[static_cast<std::size_t>(k)] : 1.0;
    BOOST_TEST(m.standard_errors()[static_cast<std::size_t>(k)] == std::sqrt(inv(k, k)) * scale,
               tt::tolerance(1e-3));
  }
}

BOOST_AUTO_TEST_CASE(bg_nbd_bad_covariates_name_field_and_row) {
  const std::vector<double> x{0, 1, 2, 3}, tx{0, 5, 10, 20}, T{30, 30, 30, 30};
  goodwill::bg_nbd_covariates m;
  const std::vector<double> three{1, 2, 3}, nan_row{0.5, 1, std::nan(""), 2}, constant{2, 2, 2, 2};
  auto message = [&](const goodwill::covariate_matrix &life, const goodwill::covariate_matrix &trans) {
    try {
      m.fit(x, tx, T, life, trans);
    } catch (const goodwill::invalid_input &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  BOOST_TEST(message(column(three), {}).find("field 'life_covariates': has 3 rows") != std::string::npos);
  BOOST_TEST(message({}, column(nan_row)) == "row 2, field 'trans_covariates': column 0 is not finite");
  BOOST_TEST(message(column(constant), {}).find("column 0 is constant") != std::string::npos);
  const std::vector<double> collinear{1, 2, 2, 4, 3, 6, 4, 8}; // column 1 = 2 × column 0
  BOOST_TEST(message({collinear, 2}, {}).find("linear combination") != std::string::npos);
  BOOST_CHECK_THROW(goodwill::bg_nbd_covariates().probability_alive(x, tx, T, column(x), {}),
                    goodwill::not_fitted);
  const goodwill::bg_nbd_covariates known({0.243, 4.414, 0.793, 2.426}, {0.1}, {});
  BOOST_CHECK_THROW(static_cast<void>(known.probability_alive(x, tx, T, column(three), {})), goodwill::invalid_input);
  BOOST_CHECK_THROW(static_cast<void>(known.probability_alive(x, tx, T, {}, column(x))), goodwill::invalid_input);
  // with z = 0 the predictions are the base model's
  const std::vector<double> zero(4, 0.0);
  const auto pa = known.probability_alive(x, tx, T, column(zero), {});
  const goodwill::bg_nbd base({0.243, 4.414, 0.793, 2.426});
  for (std::size_t i = 0; i < 4; ++i)
    BOOST_TEST(pa[i] == base.probability_alive(x[i], tx[i], T[i]), tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_SUITE_END()
