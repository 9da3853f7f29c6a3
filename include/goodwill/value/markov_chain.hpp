// goodwill — discrete-time Markov chains of customer states, fitted from
// replayed relationships, analysed and valued (Pfeifer & Carraway 2000).
//
// Design: a chain is a row-stochastic matrix P over named states (Eigen,
// dense: relationship models have tens of states, not thousands), with the
// counts it was fitted from when it was fitted.
//
// Fitting (counts n_ij of moves i -> j):
//   mle:  P_ij = n_ij / n_i.
//   map:  Dirichlet(α_i·) prior on each row, P_ij = (n_ij + α_ij − 1) /
//         (n_i + Σ_j α_ij − K), the posterior mode (as R markovchain's
//         method "map"); α_ij >= 1 (α = 1 everywhere gives the MLE).
//   A row whose estimate is undefined (no moves out of the state, and for map
//   a flat prior) is made absorbing (P_ii = 1) and reported as unobserved.
// Counts come from a replay (replay.hpp) in one of two ways:
//   - the jump chain: replay_result::transition_counts(), one count per
//     change of state (no self-moves; a step is "the next change");
//   - per period: period_transition_counts() looks at every customer's state
//     at t_k = start + k·period and counts (state at t_k, state at t_k+1),
//     self-moves included — the time-homogeneous chain of Pfeifer & Carraway.
//     A customer enters at the boundary t_k with t_k <= its first event <
//     t_k+1 (at start if it arrived before), so it is counted from the period
//     in which it appeared, not before.
// Confidence intervals (per cell, equal-tailed, at a given level):
//   mle:  the Jeffreys interval of the binomial proportion n_ij out of n_i,
//         Beta(n_ij + ½, n_i − n_ij + ½) quantiles, with the lower end 0 when
//         n_ij = 0 and the upper end 1 when n_ij = n_i (Brown, Cai & DasGupta
//         2001, Statistical Science 16(2) 101–133); NaN for unobserved rows;
//   map:  quantiles of the marginal of the Dirichlet posterior,
//         Beta(n_ij + α_ij, n_i + α_i − n_ij − α_ij), α_i = Σ_j α_ij.
//   Quantiles by Boost.Math's ibeta_inv.
// Analysis: communicating classes (graph of P_ij > 0), recurrent (closed)
// classes, transient states, absorbing states (no mass off the diagonal);
// steady states: one stationary distribution per recurrent class (as R
// markovchain's steadyStates); fundamental matrix N = (I − Q)^-1 over the
// transient states; absorption probabilities B = N·P[transient, absorbing]
// (rows sum to 1 when every recurrent class is an absorbing state; else the
// remainder is the probability of ending in a larger recurrent class); mean
// absorption time t = N·1 (expected steps spent in transient states); mean
// first passage times M_ij (expected steps to first reach j from i, +inf when
// j is not reached with probability 1; M_ii = 0) and mean recurrence times.
// Valuation (Pfeifer & Carraway 2000, J. Interactive Marketing 14(2) 43–55):
//   V_T = Σ_{t=0..T} [(1+d)^-1 P]^t R for a finite horizon T (T = 0: V = R),
//   V   = (I − P/(1+d))^-1 R for an infinite horizon (d > 0).
// Policy change: without_state(s) stops serving state s — its customers earn
// nothing there (R_s is taken as 0) and either stay there for good (s made
// absorbing) or move to a target state at the next step (s's row redirected).
#ifndef GOODWILL_VALUE_MARKOV_CHAIN_HPP
#define GOODWILL_VALUE_MARKOV_CHAIN_HPP

#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/replay.hpp>

#include <Eigen/Dense>
#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace goodwill {

/// How a transition matrix is estimated from counts.
enum class fit_method : std::uint8_t {
  mle = 0, ///< maximum likelihood
  map = 1, ///< posterior mode under a Dirichlet prior
};

/// Per-cell confidence (credible) intervals of a fitted transition matrix.
struct transition_intervals {
  double level = 0.95;
  Eigen::MatrixXd lower, upper;
};

/// A finite discrete-time Markov chain over named states.
class markov_chain {
public:
  markov_chain() = default;

  /// A chain from a row-stochastic matrix (rows must sum to 1 within 1e-9;
  /// they are renormalised exactly). Throws invalid_input otherwise.
  markov_chain(const Eigen::MatrixXd &p, std::vector<std::string> states) {
    check_square(p, "transition_matrix", states);
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
      for (Eigen::Index j = 0; j < p.cols(); ++j)
        if (!std::isfinite(p(i, j)) || p(i, j) < 0.0)
          throw invalid_input("transition_matrix", static_cast<std::int64_t>(i),
                              "holds " + std::to_string(p(i, j)) + " in column " +
                                  std::to_string(j) + "; probabilities must be in [0, 1]");
      const double s = p.row(i).sum();
      if (std::abs(s - 1.0) > 1e-9)
        throw invalid_input("transition_matrix", static_cast<std::int64_t>(i),
                            "sums to " + std::to_string(s) + ", not 1");
    }
    p_ = p;
    for (Eigen::Index i = 0; i < p_.rows(); ++i)
      p_.row(i) /= p_.row(i).sum();
    states_ = std::move(states);
    unserved_.assign(states_.size(), 0);
    unobserved_.assign(states_.size(), 0);
  }

  /// Fit from a count matrix (counts(i, j): moves from i to j). `prior` (map
  /// only) is a K×K matrix of Dirichlet parameters >= 1, or empty for all 1.
  [[nodiscard]] static markov_chain fit(const Eigen::MatrixXd &counts,
                                        std::vector<std::string> states,
                                        fit_method method = fit_method::mle,
                                        const Eigen::MatrixXd &prior = {}) {
    check_square(counts, "counts", states);
    const Eigen::Index k = counts.rows();
    for (Eigen::Index i = 0; i < k; ++i)
      for (Eigen::Index j = 0; j < k; ++j)
        if (!std::isfinite(counts(i, j)) || counts(i, j) < 0.0)
          throw invalid_input("counts", static_cast<std::int64_t>(i),
                              "holds " + std::to_string(counts(i, j)) + " in column " +
                                  std::to_string(j) + "; counts must be finite and >= 0");
    Eigen::MatrixXd alpha = Eigen::MatrixXd::Ones(k, k);
    if (method == fit_method::map && prior.size() != 0) {
      if (prior.rows() != k || prior.cols() != k)
        throw invalid_input("prior", "must be " + std::to_string(k) + "×" + std::to_string(k) +
                                         " like the counts");
      for (Eigen::Index i = 0; i < k; ++i)
        for (Eigen::Index j = 0; j < k; ++j)
          if (!(std::isfinite(prior(i, j)) && prior(i, j) >= 1.0))
            throw invalid_input("prior", static_cast<std::int64_t>(i),
                                "holds " + std::to_string(prior(i, j)) + " in column " +
                                    std::to_string(j) +
                                    "; Dirichlet parameters must be >= 1 for a MAP estimate");
      alpha = prior;
    } else if (method != fit_method::map && prior.size() != 0) {
      throw invalid_input("prior", "is only used by the map method");
    }
    markov_chain mc;
    mc.states_ = std::move(states);
    mc.method_ = method;
    mc.counts_ = counts;
    mc.alpha_ = method == fit_method::map ? alpha : Eigen::MatrixXd();
    mc.p_ = Eigen::MatrixXd::Zero(k, k);
    mc.unserved_.assign(static_cast<std::size_t>(k), 0);
    mc.unobserved_.assign(static_cast<std::size_t>(k), 0);
    for (Eigen::Index i = 0; i < k; ++i) {
      Eigen::RowVectorXd num = counts.row(i);
      if (method == fit_method::map)
        num += alpha.row(i) - Eigen::RowVectorXd::Ones(k);
      const double den = num.sum();
      if (den > 0.0) {
        mc.p_.row(i) = num / den;
      } else {
        mc.p_(i, i) = 1.0;
        mc.unobserved_[static_cast<std::size_t>(i)] = 1;
      }
    }
    return mc;
  }

  /// Number of states.
  [[nodiscard]] std::size_t size() const noexcept { return states_.size(); }
  /// State names.
  [[nodiscard]] const std::vector<std::string> &states() const noexcept { return states_; }
  /// The transition matrix.
  [[nodiscard]] const Eigen::MatrixXd &transition_matrix() const noexcept { return p_; }
  /// The counts fitted from (empty for a chain given by its matrix).
  [[nodiscard]] const Eigen::MatrixXd &counts() const noexcept { return counts_; }
  /// Whether the chain was fitted from counts.
  [[nodiscard]] bool fitted() const noexcept { return counts_.size() != 0; }
  /// The fitting method.
  [[nodiscard]] fit_method method() const noexcept { return method_; }
  /// 1 for states whose row had no data (made absorbing).
  [[nodiscard]] const std::vector<std::uint8_t> &unobserved() const noexcept { return unobserved_; }
  /// 1 for states no longer served (their reward is taken as 0).
  [[nodiscard]] const std::vector<std::uint8_t> &unserved() const noexcept { return unserved_; }

  /// The code of a state name; throws invalid_input if unknown.
  [[nodiscard]] Eigen::Index index_of(const std::string &name) const {
    auto it = std::find(states_.begin(), states_.end(), name);
    if (it == states_.end())
      throw invalid_input("state", "'" + name + "' is not a state of the chain");
    return static_cast<Eigen::Index>(it - states_.begin());
  }

  /// Per-cell intervals at `level` (see the header note). Throws not_fitted
  /// for a chain that was not fitted from counts.
  [[nodiscard]] transition_intervals confidence_intervals(double level = 0.95) const {
    if (!fitted())
      throw not_fitted("confidence intervals need a chain fitted from counts");
    if (!(level > 0.0 && level < 1.0))
      throw invalid_input("level", "must be in (0, 1), got " + std::to_string(level));
    const Eigen::Index k = p_.rows();
    const double lo_q = (1.0 - level) / 2.0, hi_q = 1.0 - lo_q;
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    transition_intervals ci;
    ci.level = level;
    ci.lower = Eigen::MatrixXd::Constant(k, k, nan);
    ci.upper = Eigen::MatrixXd::Constant(k, k, nan);
    for (Eigen::Index i = 0; i < k; ++i) {
      const double n = counts_.row(i).sum();
      if (method_ == fit_method::mle) {
        if (n <= 0.0)
          continue;
        for (Eigen::Index j = 0; j < k; ++j) {
          const double x = counts_(i, j);
          ci.lower(i, j) = x <= 0.0 ? 0.0 : boost::math::ibeta_inv(x + 0.5, n - x + 0.5, lo_q);
          ci.upper(i, j) = x >= n ? 1.0 : boost::math::ibeta_inv(x + 0.5, n - x + 0.5, hi_q);
        }
      } else {
        const double a0 = alpha_.row(i).sum();
        for (Eigen::Index j = 0; j < k; ++j) {
          const double a = counts_(i, j) + alpha_(i, j);
          const double b = n + a0 - a;
          ci.lower(i, j) = boost::math::ibeta_inv(a, b, lo_q);
          ci.upper(i, j) = boost::math::ibeta_inv(a, b, hi_q);
        }
      }
    }
    return ci;
  }

  // ---- structure ----------------------------------------------------------

  /// Communicating classes, each sorted, ordered by their smallest state.
  [[nodiscard]] std::vector<std::vector<Eigen::Index>> communicating_classes() const {
    const auto reach = reachability();
    const Eigen::Index k = p_.rows();
    std::vector<std::vector<Eigen::Index>> out;
    std::vector<char> done(static_cast<std::size_t>(k), 0);
    for (Eigen::Index i = 0; i < k; ++i) {
      if (done[static_cast<std::size_t>(i)])
        continue;
      std::vector<Eigen::Index> cls;
      for (Eigen::Index j = i; j < k; ++j)
        if (reach[idx(i, j, k)] && reach[idx(j, i, k)]) {
          cls.push_back(j);
          done[static_cast<std::size_t>(j)] = 1;
        }
      out.push_back(std::move(cls));
    }
    return out;
  }

  /// The recurrent (closed) classes.
  [[nodiscard]] std::vector<std::vector<Eigen::Index>> recurrent_classes() const {
    std::vector<std::vector<Eigen::Index>> out;
    for (auto &cls : communicating_classes())
      if (is_closed(cls))
        out.push_back(std::move(cls));
    return out;
  }

  /// States in no recurrent class, ascending.
  [[nodiscard]] std::vector<Eigen::Index> transient_states() const {
    std::vector<Eigen::Index> out;
    for (const auto &cls : communicating_classes())
      if (!is_closed(cls))
        out.insert(out.end(), cls.begin(), cls.end());
    std::sort(out.begin(), out.end());
    return out;
  }

  /// States that keep all their mass (P_ii = 1), ascending.
  [[nodiscard]] std::vector<Eigen::Index> absorbing_states() const {
    std::vector<Eigen::Index> out;
    for (Eigen::Index i = 0; i < p_.rows(); ++i) {
      bool absorbing = true;
      for (Eigen::Index j = 0; j < p_.cols() && absorbing; ++j)
        absorbing = j == i || p_(i, j) == 0.0;
      if (absorbing)
        out.push_back(i);
    }
    return out;
  }

  /// Whether every state reaches every other.
  [[nodiscard]] bool is_irreducible() const { return communicating_classes().size() == 1; }

  /// One stationary distribution per recurrent class (rows; zero outside
  /// the class), as R markovchain's steadyStates.
  [[nodiscard]] Eigen::MatrixXd steady_states() const {
    const auto classes = recurrent_classes();
    const Eigen::Index k = p_.rows();
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(classes.size()), k);
    for (std::size_t c = 0; c < classes.size(); ++c) {
      const auto &cls = classes[c];
      const auto m = static_cast<Eigen::Index>(cls.size());
      // π (I − P_CC) = 0 with Σ π = 1: transpose, replace one equation.
      Eigen::MatrixXd a(m, m);
      for (Eigen::Index r = 0; r < m; ++r)
        for (Eigen::Index s = 0; s < m; ++s)
          a(r, s) = (r == s ? 1.0 : 0.0) -
                    p_(cls[static_cast<std::size_t>(s)], cls[static_cast<std::size_t>(r)]);
      a.row(m - 1).setOnes();
      Eigen::VectorXd b = Eigen::VectorXd::Zero(m);
      b(m - 1) = 1.0;
      const Eigen::VectorXd pi = a.fullPivLu().solve(b);
      if (!pi.allFinite() || (a * pi - b).norm() > 1e-8)
        throw numerical_failure("steady state: the linear system could not be solved");
      for (Eigen::Index r = 0; r < m; ++r)
        out(static_cast<Eigen::Index>(c), cls[static_cast<std::size_t>(r)]) = std::max(0.0, pi(r));
      out.row(static_cast<Eigen::Index>(c)) /= out.row(static_cast<Eigen::Index>(c)).sum();
    }
    return out;
  }

  /// N = (I − Q)^-1 over the transient states (rows and columns in the
  /// order of transient_states()).
  [[nodiscard]] Eigen::MatrixXd fundamental_matrix() const {
    const auto t = transient_states();
    const auto m = static_cast<Eigen::Index>(t.size());
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(m, m);
    for (Eigen::Index r = 0; r < m; ++r)
      for (Eigen::Index s = 0; s < m; ++s)
        a(r, s) -= p_(t[static_cast<std::size_t>(r)], t[static_cast<std::size_t>(s)]);
    return invert(a, "fundamental matrix");
  }

  /// B(i, a): probability that transient state i (transient_states() order)
  /// is absorbed in absorbing state a (absorbing_states() order).
  [[nodiscard]] Eigen::MatrixXd absorption_probabilities() const {
    const auto t = transient_states();
    const auto ab = absorbing_states();
    const Eigen::MatrixXd n = fundamental_matrix();
    Eigen::MatrixXd r(static_cast<Eigen::Index>(t.size()), static_cast<Eigen::Index>(ab.size()));
    for (std::size_t i = 0; i < t.size(); ++i)
      for (std::size_t a = 0; a < ab.size(); ++a)
        r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(a)) = p_(t[i], ab[a]);
    return n * r;
  }

  /// Expected number of steps each transient state (transient_states()
  /// order) spends in transient states before it is absorbed.
  [[nodiscard]] Eigen::VectorXd mean_absorption_time() const {
    const Eigen::MatrixXd n = fundamental_matrix();
    return n * Eigen::VectorXd::Ones(n.cols());
  }

  /// M(i, j): expected steps to first reach j from i (+inf where j is not
  /// reached with probability 1); M(i, i) = 0.
  [[nodiscard]] Eigen::MatrixXd mean_first_passage_time() const {
    Eigen::MatrixXd m;
    Eigen::VectorXd rec;
    passage(m, rec);
    return m;
  }

  /// Expected steps to return to each state (1 for an absorbing state, 1/π_i
  /// in an irreducible chain, +inf for a transient state).
  [[nodiscard]] Eigen::VectorXd mean_recurrence_time() const {
    Eigen::MatrixXd m;
    Eigen::VectorXd rec;
    passage(m, rec);
    return rec;
  }

  // ---- value ----------------------------------------------------------------

  /// The longest finite horizon customer_value() takes (periods), and the
  /// most work (periods x states^2); refused up front beyond either.
  static constexpr std::size_t max_horizon = 10'000'000;
  static constexpr double max_horizon_work = 1e10;

  /// Expected discounted value of a customer starting in each state (see the
  /// header note). `rewards`: one per state, earned in the period the
  /// customer is in the state (taken as 0 in unserved states); horizon:
  /// periods T (V = Σ_{t=0..T}), or none for an infinite horizon (needs
  /// discount_rate > 0).
  [[nodiscard]] Eigen::VectorXd customer_value(const Eigen::VectorXd &rewards, double discount_rate,
                                               std::optional<std::size_t> horizon = {}) const {
    const Eigen::Index k = p_.rows();
    if (rewards.size() != k)
      throw invalid_input("rewards", "has " + std::to_string(rewards.size()) + " values for " +
                                         std::to_string(k) + " states");
    for (Eigen::Index i = 0; i < k; ++i)
      if (!std::isfinite(rewards(i)))
        throw invalid_input("rewards", static_cast<std::int64_t>(i), "is not finite");
    if (!(std::isfinite(discount_rate) && discount_rate > -1.0))
      throw invalid_input("discount_rate",
                          "must be finite and > -1, got " + std::to_string(discount_rate));
    Eigen::VectorXd r = rewards;
    for (Eigen::Index i = 0; i < k; ++i)
      if (unserved_[static_cast<std::size_t>(i)])
        r(i) = 0.0;
    const Eigen::MatrixXd m = p_ / (1.0 + discount_rate);
    if (horizon && (*horizon > max_horizon ||
                    static_cast<double>(*horizon) * static_cast<double>(k) * static_cast<double>(k) >
                        max_horizon_work))
      throw invalid_input("horizon", std::to_string(*horizon) + " periods on " + std::to_string(k) +
                                         " states is more than the limit (" +
                                         std::to_string(max_horizon) + " periods and " +
                                         std::to_string(static_cast<std::uint64_t>(max_horizon_work)) +
                                         " periods x states^2); use no horizon (infinite) instead");
    if (horizon) {
      Eigen::VectorXd v = r, term = r;
      for (std::size_t t = 1; t <= *horizon; ++t) {
        term = m * term;
        v += term;
      }
      return v;
    }
    if (!(discount_rate > 0.0))
      throw invalid_input("discount_rate", "must be > 0 for an infinite horizon, got " +
                                               std::to_string(discount_rate));
    const Eigen::MatrixXd a = Eigen::MatrixXd::Identity(k, k) - m;
    return a.partialPivLu().solve(r);
  }

  /// The chain after a policy change: state s is no longer served (reward 0)
  /// and its customers stay there for good (redirect empty) or move to
  /// `redirect` at the next step. The result keeps no counts.
  [[nodiscard]] markov_chain without_state(Eigen::Index s,
                                           std::optional<Eigen::Index> redirect = {}) const {
    const Eigen::Index k = p_.rows();
    if (s < 0 || s >= k)
      throw invalid_input("state", "code " + std::to_string(s) + " is out of range");
    if (redirect && (*redirect < 0 || *redirect >= k))
      throw invalid_input("redirect_to", "code " + std::to_string(*redirect) + " is out of range");
    markov_chain out;
    out.states_ = states_;
    out.p_ = p_;
    out.unserved_ = unserved_;
    out.unobserved_ = unobserved_;
    out.p_.row(s).setZero();
    out.p_(s, redirect ? *redirect : s) = 1.0;
    out.unserved_[static_cast<std::size_t>(s)] = 1;
    return out;
  }

private:
  static void check_square(const Eigen::MatrixXd &m, const char *field,
                           const std::vector<std::string> &states) {
    if (m.rows() != m.cols())
      throw invalid_input(field, "must be square, got " + std::to_string(m.rows()) + "×" +
                                     std::to_string(m.cols()));
    if (m.rows() == 0)
      throw invalid_input(field, "is empty");
    if (states.size() != static_cast<std::size_t>(m.rows()))
      throw invalid_input("states", "has " + std::to_string(states.size()) + " names for " +
                                        std::to_string(m.rows()) + " states");
    for (std::size_t i = 0; i < states.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (states[i] == states[j])
          throw invalid_input("states", static_cast<std::int64_t>(i),
                              "'" + states[i] + "' is listed twice");
  }

  static std::size_t idx(Eigen::Index i, Eigen::Index j, Eigen::Index k) {
    return static_cast<std::size_t>(i * k + j);
  }

  /// reach[i*k+j]: j is reachable from i in zero or more steps.
  [[nodiscard]] std::vector<char> reachability() const {
    const Eigen::Index k = p_.rows();
    std::vector<char> r(static_cast<std::size_t>(k * k), 0);
    for (Eigen::Index i = 0; i < k; ++i)
      for (Eigen::Index j = 0; j < k; ++j)
        r[idx(i, j, k)] = i == j || p_(i, j) > 0.0;
    for (Eigen::Index m = 0; m < k; ++m)
      for (Eigen::Index i = 0; i < k; ++i)
        if (r[idx(i, m, k)])
          for (Eigen::Index j = 0; j < k; ++j)
            if (r[idx(m, j, k)])
              r[idx(i, j, k)] = 1;
    return r;
  }

  [[nodiscard]] bool is_closed(const std::vector<Eigen::Index> &cls) const {
    for (auto i : cls)
      for (Eigen::Index j = 0; j < p_.cols(); ++j)
        if (p_(i, j) > 0.0 && !std::binary_search(cls.begin(), cls.end(), j))
          return false;
    return true;
  }

  static Eigen::MatrixXd invert(const Eigen::MatrixXd &a, const char *what) {
    if (a.rows() == 0)
      return a;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    if (!lu.isInvertible())
      throw numerical_failure(std::string(what) + ": the matrix is singular");
    return lu.inverse();
  }

  void passage(Eigen::MatrixXd &m, Eigen::VectorXd &rec) const {
    const Eigen::Index k = p_.rows();
    constexpr double inf = std::numeric_limits<double>::infinity();
    const auto reach = reachability();
    m = Eigen::MatrixXd::Constant(k, k, inf);
    rec = Eigen::VectorXd::Constant(k, inf);
    for (Eigen::Index j = 0; j < k; ++j) {
      m(j, j) = 0.0;
      // hitting probabilities of j from the states that can reach it
      std::vector<Eigen::Index> a;
      for (Eigen::Index i = 0; i < k; ++i)
        if (i != j && reach[idx(i, j, k)])
          a.push_back(i);
      std::vector<Eigen::Index> sure;
      if (!a.empty()) {
        const auto na = static_cast<Eigen::Index>(a.size());
        Eigen::MatrixXd q = Eigen::MatrixXd::Identity(na, na);
        Eigen::VectorXd b(na);
        for (Eigen::Index r = 0; r < na; ++r) {
          b(r) = p_(a[static_cast<std::size_t>(r)], j);
          for (Eigen::Index s = 0; s < na; ++s)
            q(r, s) -= p_(a[static_cast<std::size_t>(r)], a[static_cast<std::size_t>(s)]);
        }
        const Eigen::VectorXd h = q.fullPivLu().solve(b);
        for (Eigen::Index r = 0; r < na; ++r)
          if (h(r) > 1.0 - 1e-9)
            sure.push_back(a[static_cast<std::size_t>(r)]);
      }
      if (!sure.empty()) {
        const auto ns = static_cast<Eigen::Index>(sure.size());
        Eigen::MatrixXd q = Eigen::MatrixXd::Identity(ns, ns);
        for (Eigen::Index r = 0; r < ns; ++r)
          for (Eigen::Index s = 0; s < ns; ++s)
            q(r, s) -= p_(sure[static_cast<std::size_t>(r)], sure[static_cast<std::size_t>(s)]);
        const Eigen::VectorXd t = q.fullPivLu().solve(Eigen::VectorXd::Ones(ns));
        for (Eigen::Index r = 0; r < ns; ++r)
          m(sure[static_cast<std::size_t>(r)], j) = t(r);
      }
      double back = 1.0;
      for (Eigen::Index s = 0; s < k && std::isfinite(back); ++s)
        if (s != j && p_(j, s) > 0.0)
          back += p_(j, s) * m(s, j);
      rec(j) = back;
    }
  }

  std::vector<std::string> states_;
  Eigen::MatrixXd p_, counts_, alpha_;
  fit_method method_ = fit_method::mle;
  std::vector<std::uint8_t> unserved_, unobserved_;
};

/// Counts of (state at t_k, state at t_k+1), t_k = start + k·period, over all
/// customers of a replay with its transition log (see the header note). The
/// ledger must be the replayed one (it gives each customer's first event);
/// customers without events are not counted. Throws invalid_input for a bad
/// period or range, invalid_state if the replay kept no log.
[[nodiscard]] inline Eigen::MatrixXd period_transition_counts(const replay_result &r,
                                                              const ledger &events, double period,
                                                              double start, double end) {
  if (!r.has_log)
    throw invalid_state("period_transition_counts needs the transition log; replay with keep_log");
  if (!(std::isfinite(period) && period > 0.0))
    throw invalid_input("period", "must be finite and > 0, got " + std::to_string(period));
  if (!std::isfinite(start) || !std::isfinite(end) || !(end > start))
    throw invalid_input("end", "the range [start, end] must be finite with end > start");
  if (events.customer_count() != r.customers)
    throw invalid_input("ledger", "has " + std::to_string(events.customer_count()) +
                                      " customers where the replay has " +
                                      std::to_string(r.customers) + "; pass the replayed ledger");
  const auto n_states = static_cast<Eigen::Index>(r.state_count);
  Eigen::MatrixXd counts = Eigen::MatrixXd::Zero(n_states, n_states);
  const double steps_d = std::floor((end - start) / period);
  if (steps_d < 1.0)
    return counts;
  if (steps_d > 1e7)
    throw invalid_input("period", "gives more than 10 000 000 periods");
  const auto steps = static_cast<std::size_t>(steps_d);
  const auto &order = events.order();
  const auto &offsets = events.customer_offsets();
  const auto times = events.times();
  for (std::size_t c = 0; c < r.customers; ++c) {
    if (offsets[c] == offsets[c + 1])
      continue;
    const double first = times[order[offsets[c]]];
    std::size_t k0 = 0;
    if (first > start) {
      const double kd = std::floor((first - start) / period);
      if (kd >= steps_d)
        continue; // arrives after the last step
      k0 = static_cast<std::size_t>(kd);
    }
    auto rec = r.log.begin() + static_cast<std::ptrdiff_t>(r.log_offsets[c]);
    const auto last = r.log.begin() + static_cast<std::ptrdiff_t>(r.log_offsets[c + 1]);
    state_code s = r.initial;
    auto advance = [&](double t) {
      while (rec != last && rec->time <= t)
        s = (rec++)->to;
    };
    advance(start + static_cast<double>(k0) * period);
    for (std::size_t k = k0; k < steps; ++k) {
      const state_code from = s;
      advance(start + static_cast<double>(k + 1) * period);
      counts(from, s) += 1.0;
    }
  }
  return counts;
}

} // namespace goodwill

#endif // GOODWILL_VALUE_MARKOV_CHAIN_HPP
