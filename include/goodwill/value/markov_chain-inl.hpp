// goodwill — the Markov-chain algebra: fitting, intervals, classes,
// steady states, absorption and passage times, customer value, policy
// changes and period transition counts; declared in value/markov_chain.hpp
// (the design notes are there). Compiled once in
// src/value/markov_chain.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_VALUE_MARKOV_CHAIN_INL_HPP
#define GOODWILL_VALUE_MARKOV_CHAIN_INL_HPP

#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/replay.hpp>
#include <goodwill/value/markov_chain.hpp>

#include <Eigen/Dense>
#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC markov_chain markov_chain::fit(const Eigen::MatrixXd &counts,
                                             std::vector<std::string> states, fit_method method,
                                             const Eigen::MatrixXd &prior) {
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

GOODWILL_FUNC Eigen::Index markov_chain::index_of(const std::string &name) const {
  auto it = std::find(states_.begin(), states_.end(), name);
  if (it == states_.end())
    throw invalid_input("state", "'" + name + "' is not a state of the chain");
  return static_cast<Eigen::Index>(it - states_.begin());
}

GOODWILL_FUNC transition_intervals markov_chain::confidence_intervals(double level) const {
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

GOODWILL_FUNC std::vector<std::vector<Eigen::Index>> markov_chain::communicating_classes() const {
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

GOODWILL_FUNC std::vector<std::vector<Eigen::Index>> markov_chain::recurrent_classes() const {
  std::vector<std::vector<Eigen::Index>> out;
  for (auto &cls : communicating_classes())
    if (is_closed(cls))
      out.push_back(std::move(cls));
  return out;
}

GOODWILL_FUNC std::vector<Eigen::Index> markov_chain::transient_states() const {
  std::vector<Eigen::Index> out;
  for (const auto &cls : communicating_classes())
    if (!is_closed(cls))
      out.insert(out.end(), cls.begin(), cls.end());
  std::sort(out.begin(), out.end());
  return out;
}

GOODWILL_FUNC std::vector<Eigen::Index> markov_chain::absorbing_states() const {
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

GOODWILL_FUNC Eigen::MatrixXd markov_chain::steady_states() const {
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

GOODWILL_FUNC Eigen::MatrixXd markov_chain::fundamental_matrix() const {
  const auto t = transient_states();
  const auto m = static_cast<Eigen::Index>(t.size());
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(m, m);
  for (Eigen::Index r = 0; r < m; ++r)
    for (Eigen::Index s = 0; s < m; ++s)
      a(r, s) -= p_(t[static_cast<std::size_t>(r)], t[static_cast<std::size_t>(s)]);
  return invert(a, "fundamental matrix");
}

GOODWILL_FUNC Eigen::MatrixXd markov_chain::absorption_probabilities() const {
  const auto t = transient_states();
  const auto ab = absorbing_states();
  const Eigen::MatrixXd n = fundamental_matrix();
  Eigen::MatrixXd r(static_cast<Eigen::Index>(t.size()), static_cast<Eigen::Index>(ab.size()));
  for (std::size_t i = 0; i < t.size(); ++i)
    for (std::size_t a = 0; a < ab.size(); ++a)
      r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(a)) = p_(t[i], ab[a]);
  return n * r;
}

GOODWILL_FUNC Eigen::MatrixXd markov_chain::mean_first_passage_time() const {
  Eigen::MatrixXd m;
  Eigen::VectorXd rec;
  passage(m, rec);
  return m;
}

GOODWILL_FUNC Eigen::VectorXd markov_chain::mean_recurrence_time() const {
  Eigen::MatrixXd m;
  Eigen::VectorXd rec;
  passage(m, rec);
  return rec;
}

GOODWILL_FUNC Eigen::VectorXd
markov_chain::customer_value(const Eigen::VectorXd &rewards, double discount_rate,
                             std::optional<std::size_t> horizon) const {
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
    throw invalid_input("horizon",
                        std::to_string(*horizon) + " periods on " + std::to_string(k) +
                            " states is more than the limit (" + std::to_string(max_horizon) +
                            " periods and " +
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

GOODWILL_FUNC markov_chain markov_chain::without_state(Eigen::Index s,
                                                       std::optional<Eigen::Index> redirect) const {
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

GOODWILL_FUNC void markov_chain::check_square(const Eigen::MatrixXd &m, const char *field,
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

GOODWILL_FUNC std::vector<char> markov_chain::reachability() const {
  const Eigen::Index k = p_.rows();
  std::vector<char> r(static_cast<std::size_t>(k * k), 0);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j)
      r[idx(i, j, k)] = static_cast<char>(i == j || p_(i, j) > 0.0);
  for (Eigen::Index m = 0; m < k; ++m)
    for (Eigen::Index i = 0; i < k; ++i)
      if (r[idx(i, m, k)])
        for (Eigen::Index j = 0; j < k; ++j)
          if (r[idx(m, j, k)])
            r[idx(i, j, k)] = 1;
  return r;
}

GOODWILL_FUNC bool markov_chain::is_closed(const std::vector<Eigen::Index> &cls) const {
  for (auto i : cls)
    for (Eigen::Index j = 0; j < p_.cols(); ++j)
      if (p_(i, j) > 0.0 && !std::binary_search(cls.begin(), cls.end(), j))
        return false;
  return true;
}

GOODWILL_FUNC Eigen::MatrixXd markov_chain::invert(const Eigen::MatrixXd &a, const char *what) {
  if (a.rows() == 0)
    return a;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
  if (!lu.isInvertible())
    throw numerical_failure(std::string(what) + ": the matrix is singular");
  return lu.inverse();
}

GOODWILL_FUNC void markov_chain::passage(Eigen::MatrixXd &m, Eigen::VectorXd &rec) const {
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

GOODWILL_FUNC Eigen::MatrixXd period_transition_counts(const replay_result &r, const ledger &events,
                                                       double period, double start, double end) {
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

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_VALUE_MARKOV_CHAIN_INL_HPP
