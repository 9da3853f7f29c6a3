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

#include <goodwill/detail/config.hpp>
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/replay.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>
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
  [[nodiscard]] GOODWILL_FUNC static markov_chain fit(const Eigen::MatrixXd &counts,
                                                      std::vector<std::string> states,
                                                      fit_method method = fit_method::mle,
                                                      const Eigen::MatrixXd &prior = {});

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
  [[nodiscard]] GOODWILL_FUNC Eigen::Index index_of(const std::string &name) const;

  /// Per-cell intervals at `level` (see the header note). Throws not_fitted
  /// for a chain that was not fitted from counts.
  [[nodiscard]] GOODWILL_FUNC transition_intervals confidence_intervals(double level = 0.95) const;

  // ---- structure ----------------------------------------------------------

  /// Communicating classes, each sorted, ordered by their smallest state.
  [[nodiscard]] GOODWILL_FUNC std::vector<std::vector<Eigen::Index>> communicating_classes() const;

  /// The recurrent (closed) classes.
  [[nodiscard]] GOODWILL_FUNC std::vector<std::vector<Eigen::Index>> recurrent_classes() const;

  /// States in no recurrent class, ascending.
  [[nodiscard]] GOODWILL_FUNC std::vector<Eigen::Index> transient_states() const;

  /// States that keep all their mass (P_ii = 1), ascending.
  [[nodiscard]] GOODWILL_FUNC std::vector<Eigen::Index> absorbing_states() const;

  /// Whether every state reaches every other.
  [[nodiscard]] bool is_irreducible() const { return communicating_classes().size() == 1; }

  /// One stationary distribution per recurrent class (rows; zero outside
  /// the class), as R markovchain's steadyStates.
  [[nodiscard]] GOODWILL_FUNC Eigen::MatrixXd steady_states() const;

  /// N = (I − Q)^-1 over the transient states (rows and columns in the
  /// order of transient_states()).
  [[nodiscard]] GOODWILL_FUNC Eigen::MatrixXd fundamental_matrix() const;

  /// B(i, a): probability that transient state i (transient_states() order)
  /// is absorbed in absorbing state a (absorbing_states() order).
  [[nodiscard]] GOODWILL_FUNC Eigen::MatrixXd absorption_probabilities() const;

  /// Expected number of steps each transient state (transient_states()
  /// order) spends in transient states before it is absorbed.
  [[nodiscard]] Eigen::VectorXd mean_absorption_time() const {
    const Eigen::MatrixXd n = fundamental_matrix();
    return n * Eigen::VectorXd::Ones(n.cols());
  }

  /// M(i, j): expected steps to first reach j from i (+inf where j is not
  /// reached with probability 1); M(i, i) = 0.
  [[nodiscard]] GOODWILL_FUNC Eigen::MatrixXd mean_first_passage_time() const;

  /// Expected steps to return to each state (1 for an absorbing state, 1/π_i
  /// in an irreducible chain, +inf for a transient state).
  [[nodiscard]] GOODWILL_FUNC Eigen::VectorXd mean_recurrence_time() const;

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
  [[nodiscard]] GOODWILL_FUNC Eigen::VectorXd
  customer_value(const Eigen::VectorXd &rewards, double discount_rate,
                 std::optional<std::size_t> horizon = {}) const;

  /// The chain after a policy change: state s is no longer served (reward 0)
  /// and its customers stay there for good (redirect empty) or move to
  /// `redirect` at the next step. The result keeps no counts.
  [[nodiscard]] GOODWILL_FUNC markov_chain
  without_state(Eigen::Index s, std::optional<Eigen::Index> redirect = {}) const;

private:
  GOODWILL_FUNC static void check_square(const Eigen::MatrixXd &m, const char *field,
                                         const std::vector<std::string> &states);

  static std::size_t idx(Eigen::Index i, Eigen::Index j, Eigen::Index k) {
    return static_cast<std::size_t>(i * k + j);
  }

  /// reach[i*k+j]: j is reachable from i in zero or more steps.
  [[nodiscard]] GOODWILL_FUNC std::vector<char> reachability() const;

  [[nodiscard]] GOODWILL_FUNC bool is_closed(const std::vector<Eigen::Index> &cls) const;

  GOODWILL_FUNC static Eigen::MatrixXd invert(const Eigen::MatrixXd &a, const char *what);

  GOODWILL_FUNC void passage(Eigen::MatrixXd &m, Eigen::VectorXd &rec) const;

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
[[nodiscard]] GOODWILL_FUNC Eigen::MatrixXd period_transition_counts(const replay_result &r,
                                                                     const ledger &events,
                                                                     double period, double start,
                                                                     double end);

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/value/markov_chain-inl.hpp>
#endif

#endif // GOODWILL_VALUE_MARKOV_CHAIN_HPP
