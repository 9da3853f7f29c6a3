// goodwill — the trust fit (fit_trust) and its internals: the design
// (evidence groups), the objective with its exact gradient and Hessian, the
// L-BFGS-B run and the validation; declared in relationship/trust_fit.hpp
// (the design notes are there). Compiled once in
// src/relationship/trust_fit.cpp, or included by the header under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_RELATIONSHIP_TRUST_FIT_INL_HPP
#define GOODWILL_RELATIONSHIP_TRUST_FIT_INL_HPP

#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/trust.hpp>
#include <goodwill/relationship/trust_fit.hpp>

#include <Eigen/Dense>
#include <LBFGSB.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

namespace detail {

/// One record of the fit's per-customer stream: evidence, an outcome, or both.
struct trust_record {
  double time;
  std::uint8_t group;   ///< fitted group, or no_channel_group
  std::uint8_t channel; ///< evidence channel (its fixed weights), or no_channel
  std::uint8_t outcome; ///< 0 none, 1 success, 2 failure
};
inline constexpr std::uint8_t no_channel_group = 0xFF;
inline constexpr std::uint8_t no_channel = 0xFF;

/// The group a channel's fitted weight belongs to, before numbering:
/// the channel itself (responses) or an effort class (effort).
inline int group_key(const evidence_channel_traits &row, bool fit_effort) noexcept {
  if (row.side == evidence_side::none)
    return -1;
  const auto &kt = traits(row.kind);
  if (kt.role == event_role::response)
    return static_cast<int>(row.channel);
  if (kt.role == event_role::effort && fit_effort) {
    switch (kt.effort) {
    case effort_class::trust_building:
      return 100;
    case effort_class::transactional:
      return 101;
    case effort_class::failure:
      return 102;
    default:
      return -1;
    }
  }
  return -1;
}

inline std::string group_name(int key) {
  switch (key) {
  case 100:
    return "trust_building_effort";
  case 101:
    return "transactional_effort";
  case 102:
    return "failure_effort";
  default:
    return std::string(evidence_channel_table[static_cast<std::size_t>(key)].name);
  }
}

/// The ledger as per-customer record streams, with the groups that have data.
struct trust_design {
  std::vector<trust_record> records;
  std::vector<std::uint64_t> offsets; // per customer (dense id), size n + 1
  std::vector<int> group_keys;        // fitted groups
  std::vector<evidence_side> group_side;
  std::vector<std::vector<std::uint8_t>> group_channels;
  std::vector<std::size_t> group_events, group_customers;
  std::array<std::uint8_t, evidence_channel_count> channel_group{};
  double split = 0.0;
  std::size_t fit_outcomes = 0, fit_successes = 0, fit_customers = 0, holdout_outcomes = 0;
  std::size_t sampled_from = 0; // customers eligible for the sample (0: no sample)
};

inline trust_design build_trust_design(const ledger &l, const trust_fit_options &opt) {
  const std::size_t n = l.customer_count();
  const auto &order = l.order();
  const auto &offsets = l.customer_offsets();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  const auto details = l.details();
  const bool deals = opt.target == trust_target::deals;

  // customers with outcomes (the checks), and those the sample may take
  std::size_t outcome_customers = 0;
  std::vector<std::uint32_t> eligible;
  for (std::size_t c = 0; c < n; ++c) {
    bool any = false;
    for (auto i = offsets[c]; i < offsets[c + 1] && !any; ++i) {
      const auto k = static_cast<event_kind>(kinds[order[i]]);
      any = deals ? traits(k).closes_deal : (k == event_kind::purchase && amounts[order[i]] > 0.0);
    }
    outcome_customers += any ? 1 : 0;
    if (deals ? any : offsets[c] != offsets[c + 1])
      eligible.push_back(static_cast<std::uint32_t>(c));
  }
  if (outcome_customers == 0)
    throw invalid_input("target", deals ? "the ledger has no deal_won or deal_lost events: "
                                          "there is no deal outcome to predict"
                                        : "the ledger has no purchases: there is no purchase "
                                          "outcome to predict");
  if (outcome_customers < 2)
    throw invalid_input("ledger", "only one customer has " +
                                      std::string(deals ? "deal outcomes" : "purchases") +
                                      "; fit_trust needs at least 2 customers");

  trust_design d;
  // the sample: the eligible customers with the least draws (ties by id)
  std::vector<char> keep(n, 1);
  if (opt.sample_customers > 0 && opt.sample_customers < eligible.size()) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> draws;
    draws.reserve(eligible.size());
    for (const auto c : eligible)
      draws.emplace_back(counter_stream(opt.sample_seed, c, 0x7472757374ull /* "trust" */).next(),
                         c);
    const auto cut = draws.begin() + static_cast<std::ptrdiff_t>(opt.sample_customers);
    std::nth_element(draws.begin(), cut, draws.end());
    keep.assign(n, 0);
    for (auto it = draws.begin(); it != cut; ++it)
      keep[it->second] = 1;
    d.sampled_from = eligible.size();
  }

  // outcome times of the customers fitted, for the default split and the
  // range check (the purchase target: its periods)
  double t_end = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < l.size(); ++i)
    t_end = std::max(t_end, times[i]);
  std::vector<double> sorted;
  for (std::size_t c = 0; c < n; ++c) {
    if (!keep[c] || offsets[c] == offsets[c + 1])
      continue;
    if (deals) {
      for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
        const auto k = static_cast<event_kind>(kinds[order[i]]);
        if (traits(k).closes_deal)
          sorted.push_back(times[order[i]]);
      }
    } else {
      const double t0 = times[order[offsets[c]]];
      for (double s = t0; s < t_end; s += opt.period_days)
        sorted.push_back(s);
    }
  }
  std::sort(sorted.begin(), sorted.end());
  if (std::isnan(opt.split_time)) {
    const auto at = static_cast<std::size_t>(
        std::floor((1.0 - opt.holdout_share) * static_cast<double>(sorted.size())));
    d.split = sorted[std::min(at, sorted.size() - 1)];
    if (d.split <= sorted.front())
      d.split = std::nextafter(sorted.front(), INFINITY);
  } else {
    d.split = opt.split_time;
  }
  const auto before = static_cast<std::size_t>(
      std::lower_bound(sorted.begin(), sorted.end(), d.split) - sorted.begin());
  if (before == 0 || before == sorted.size())
    throw invalid_input("split_time", "split_time " + std::to_string(d.split) +
                                          " leaves no outcomes on one side: the outcomes span [" +
                                          std::to_string(sorted.front()) + ", " +
                                          std::to_string(sorted.back()) + "]");

  // groups: keys present among fit-period evidence
  std::array<int, evidence_channel_count> key_of{};
  for (std::size_t ch = 0; ch < evidence_channel_count; ++ch)
    key_of[ch] = group_key(evidence_channel_table[ch], opt.fit_effort);
  std::vector<int> keys_present;
  d.channel_group.fill(no_channel_group);

  d.offsets.assign(n + 1, 0);
  d.records.reserve(d.sampled_from == 0
                        ? l.size()
                        : static_cast<std::size_t>(static_cast<double>(l.size()) * 1.1 *
                                                   static_cast<double>(opt.sample_customers) /
                                                   static_cast<double>(d.sampled_from)));
  std::vector<std::size_t> key_events(200, 0), key_customers(200, 0);
  std::vector<std::uint32_t> key_seen(200, 0xFFFFFFFFu);
  for (std::size_t c = 0; c < n; ++c) {
    d.offsets[c] = d.records.size();
    deal_context ctx;
    const auto first = offsets[c], last = offsets[c + 1];
    if (first == last || !keep[c])
      continue; // no events, or not in the sample
    const double t0 = times[order[first]];
    bool customer_fits = false;
    for (auto i = first; i < last; ++i) {
      const auto row = order[i];
      const double t = times[row];
      const auto k = static_cast<event_kind>(kinds[row]);
      const auto ch = channel_of(k, amounts[row], details[row], ctx);
      const auto chi = static_cast<std::size_t>(ch);
      std::uint8_t outcome = 0;
      if (deals && traits(k).closes_deal)
        outcome = k == event_kind::deal_won ? 1 : 2;
      const int key = key_of[chi];
      if (key >= 0 && t < d.split) {
        const auto ku = static_cast<std::size_t>(key);
        ++key_events[ku];
        if (key_seen[ku] != c) {
          key_seen[ku] = static_cast<std::uint32_t>(c);
          ++key_customers[ku];
        }
      }
      const bool has_fixed = opt.prior.positive[chi] != 0.0 || opt.prior.negative[chi] != 0.0;
      if (key >= 0 || has_fixed || outcome != 0)
        d.records.push_back({t, no_channel_group, static_cast<std::uint8_t>(chi), outcome});
    }
    if (!deals) {
      // one outcome record per period [t0 + kP, t0 + (k+1)P) that starts
      // before the ledger's end: 1 if it holds a purchase
      const auto periods = static_cast<std::size_t>(std::ceil((t_end - t0) / opt.period_days));
      std::vector<std::uint8_t> bought(periods, 0);
      for (auto i = first; i < last; ++i) {
        const auto row = order[i];
        if (static_cast<event_kind>(kinds[row]) != event_kind::purchase || !(amounts[row] > 0.0))
          continue;
        const auto p = static_cast<std::size_t>(std::floor((times[row] - t0) / opt.period_days));
        if (p < periods)
          bought[p] = 1;
      }
      for (std::size_t p = 0; p < periods; ++p)
        d.records.push_back({t0 + static_cast<double>(p) * opt.period_days, no_channel_group,
                             no_channel, static_cast<std::uint8_t>(bought[p] ? 1 : 2)});
      std::stable_sort(
          d.records.begin() + static_cast<std::ptrdiff_t>(d.offsets[c]), d.records.end(),
          [](const trust_record &x, const trust_record &y) { return x.time < y.time; });
    }
    for (auto j = d.offsets[c]; j < d.records.size(); ++j) {
      const auto &r = d.records[j];
      if (r.outcome != 0) {
        if (r.time < d.split) {
          ++d.fit_outcomes;
          d.fit_successes += r.outcome == 1 ? 1 : 0;
          customer_fits = true;
        } else {
          ++d.holdout_outcomes;
        }
      }
    }
    d.fit_customers += customer_fits ? 1 : 0;
  }
  d.offsets[n] = d.records.size();
  if (d.fit_outcomes < 10)
    throw invalid_input("split_time",
                        "only " + std::to_string(d.fit_outcomes) +
                            " outcomes fall before the split; fit_trust needs at least 10");

  // number the groups with fit-period events
  std::array<int, 200> number{};
  number.fill(-1);
  for (int key = 0; key < 200; ++key) {
    if (key_events[static_cast<std::size_t>(key)] == 0)
      continue;
    number[static_cast<std::size_t>(key)] = static_cast<int>(d.group_keys.size());
    d.group_keys.push_back(key);
    d.group_events.push_back(key_events[static_cast<std::size_t>(key)]);
    d.group_customers.push_back(key_customers[static_cast<std::size_t>(key)]);
    d.group_channels.emplace_back();
  }
  d.group_side.resize(d.group_keys.size(), evidence_side::none);
  for (std::size_t ch = 0; ch < evidence_channel_count; ++ch) {
    const int key = key_of[ch];
    if (key < 0 || number[static_cast<std::size_t>(key)] < 0)
      continue;
    const auto g = static_cast<std::size_t>(number[static_cast<std::size_t>(key)]);
    d.channel_group[ch] = static_cast<std::uint8_t>(g);
    d.group_side[g] = evidence_channel_table[ch].side;
    d.group_channels[g].push_back(static_cast<std::uint8_t>(ch));
  }
  for (auto &r : d.records)
    r.group = r.channel == no_channel ? no_channel_group : d.channel_group[r.channel];
  return d;
}

/// The point of the optimiser: logit(prior mean), log(half-life), group weights.
struct trust_point {
  double m = 0.5, kappa = 2.0, lambda = 0.0;
  std::vector<double> w; // per group
};

/// Fixed weights per channel and side (those not fitted).
struct trust_fixed {
  std::array<double, evidence_channel_count> a{}, b{};
};

inline constexpr std::size_t trust_chunk = 2048;

/// Log-likelihood of the fit outcomes and its gradient with respect to
/// (logit m, log h, w_g), summed over fixed customer chunks in chunk order.
class trust_objective {
public:
  trust_objective(const trust_design &d, const trust_fixed &fx, unsigned threads)
      : d_(d), fx_(fx), threads_(threads) {}

  double operator()(const trust_point &pt, Eigen::VectorXd *grad) const {
    const std::size_t n = d_.offsets.size() - 1;
    const std::size_t chunks = (n + trust_chunk - 1) / trust_chunk;
    const std::size_t G = pt.w.size();
    const std::size_t P = G + 2;
    std::vector<double> part(chunks * (P + 1), 0.0);
    auto work = [&](std::size_t k) {
      double *out = &part[k * (P + 1)];
      const std::size_t c0 = k * trust_chunk, c1 = std::min(n, c0 + trust_chunk);
      for (std::size_t c = c0; c < c1; ++c)
        customer(pt, c, out, grad != nullptr);
    };
    run_chunks(chunks, work);
    double v = 0.0;
    if (grad)
      grad->setZero(static_cast<Eigen::Index>(P));
    for (std::size_t k = 0; k < chunks; ++k) {
      const double *out = &part[k * (P + 1)];
      v += out[0];
      if (grad)
        for (std::size_t j = 0; j < P; ++j)
          (*grad)(static_cast<Eigen::Index>(j)) += out[1 + j];
    }
    return v;
  }

  template <class Work> void run_chunks(std::size_t chunks, const Work &work) const {
    const unsigned t = std::max(1u, std::min<unsigned>(threads_, static_cast<unsigned>(chunks)));
    std::atomic<std::size_t> next{0};
    run_on_threads(t, [&](unsigned) {
      for (std::size_t k; (k = next.fetch_add(1)) < chunks;)
        work(k);
    });
  }

private:
  void customer(const trust_point &pt, std::size_t c, double *out, bool want_grad) const {
    const std::size_t G = pt.w.size();
    // per group decayed sums S and D; fixed evidence sums and their D
    double S[64] = {}, D[64] = {};
    double FA = 0.0, FB = 0.0, DFA = 0.0, DFB = 0.0;
    const double a0 = pt.kappa * pt.m, b0 = pt.kappa * (1.0 - pt.m);
    const double lam = pt.lambda;
    double prev = std::numeric_limits<double>::quiet_NaN();
    const auto first = d_.offsets[c], last = d_.offsets[c + 1];
    std::size_t i = first;
    while (i < last) {
      const double t = d_.records[i].time;
      if (t > prev) {
        const double dt = t - prev, e = std::exp(-lam * dt);
        for (std::size_t g = 0; g < G; ++g) {
          D[g] = e * (D[g] + dt * S[g]);
          S[g] *= e;
        }
        DFA = e * (DFA + dt * FA);
        FA *= e;
        DFB = e * (DFB + dt * FB);
        FB *= e;
      }
      prev = t;
      std::size_t j = i;
      // outcomes at t, from the evidence before t
      for (; j < last && d_.records[j].time == t; ++j) {
        const auto &r = d_.records[j];
        if (r.outcome == 0 || !(t < d_.split))
          continue;
        double A = a0 + FA, B = b0 + FB, dA = DFA, dB = DFB;
        for (std::size_t g = 0; g < G; ++g) {
          if (d_.group_side[g] == evidence_side::alpha) {
            A += pt.w[g] * S[g];
            dA += pt.w[g] * D[g];
          } else {
            B += pt.w[g] * S[g];
            dB += pt.w[g] * D[g];
          }
        }
        const bool y = r.outcome == 1;
        const double sum = A + B;
        out[0] += (y ? std::log(A) : std::log(B)) - std::log(sum);
        if (!want_grad)
          continue;
        const double gA = (y ? 1.0 / A : 0.0) - 1.0 / sum;
        const double gB = (y ? 0.0 : 1.0 / B) - 1.0 / sum;
        // d/d logit m: dα0 = κ m (1 - m), dβ0 = -κ m (1 - m)
        const double dm = pt.kappa * pt.m * (1.0 - pt.m);
        out[1] += gA * dm - gB * dm;
        // d/d log h = λ · (Σ w D) (evidence grows with the half-life)
        out[2] += lam * (gA * dA + gB * dB);
        for (std::size_t g = 0; g < G; ++g)
          out[3 + g] += (d_.group_side[g] == evidence_side::alpha ? gA : gB) * S[g];
      }
      // then the evidence at t
      for (; i < j; ++i) {
        const auto &r = d_.records[i];
        if (r.channel == no_channel)
          continue;
        if (r.group != no_channel_group)
          S[r.group] += 1.0;
        // the non-fitted side(s) of this channel
        const double fa = fx_.a[r.channel], fb = fx_.b[r.channel];
        FA += fa;
        FB += fb;
      }
    }
  }

  const trust_design &d_;
  const trust_fixed &fx_;
  unsigned threads_;
};

/// Trust just before each outcome under channel-level weights p (the
/// replay's model), for every outcome record, in record order.
inline void trust_predictions(const trust_design &d, const trust_params &p,
                              std::vector<double> &pred) {
  pred.assign(d.records.size(), std::numeric_limits<double>::quiet_NaN());
  const double lam = std::log(2.0) / p.half_life_days;
  const std::size_t n = d.offsets.size() - 1;
  for (std::size_t c = 0; c < n; ++c) {
    double A = 0.0, B = 0.0, prev = std::numeric_limits<double>::quiet_NaN();
    std::size_t i = d.offsets[c];
    const auto last = d.offsets[c + 1];
    while (i < last) {
      const double t = d.records[i].time;
      if (t > prev) {
        const double e = std::exp(-lam * (t - prev));
        A *= e;
        B *= e;
      }
      prev = t;
      std::size_t j = i;
      for (; j < last && d.records[j].time == t; ++j)
        if (d.records[j].outcome != 0)
          pred[j] = (p.prior_alpha + A) / (p.prior_alpha + A + p.prior_beta + B);
      for (; i < j; ++i) {
        const auto ch = d.records[i].channel;
        if (ch == no_channel)
          continue;
        A += p.positive[ch];
        B += p.negative[ch];
      }
    }
  }
}

inline trust_score score_predictions(std::string name, const std::vector<double> &p,
                                     const std::vector<std::uint8_t> &y) {
  trust_score s;
  s.model = std::move(name);
  const std::size_t n = p.size();
  constexpr double eps = 1e-15;
  double ll = 0.0, br = 0.0;
  std::array<double, 10> sp{}, so{};
  for (std::size_t i = 0; i < n; ++i) {
    const double q = std::clamp(p[i], eps, 1.0 - eps);
    ll -= y[i] ? std::log(q) : std::log1p(-q);
    br += (p[i] - y[i]) * (p[i] - y[i]);
    const auto b = std::min<std::size_t>(9, static_cast<std::size_t>(std::max(0.0, p[i]) * 10.0));
    ++s.bin_count[b];
    sp[b] += p[i];
    so[b] += y[i];
  }
  s.log_loss = ll / static_cast<double>(n);
  s.brier = br / static_cast<double>(n);
  for (std::size_t b = 0; b < 10; ++b) {
    const auto cnt = static_cast<double>(s.bin_count[b]);
    s.bin_predicted[b] = s.bin_count[b] ? sp[b] / cnt : std::numeric_limits<double>::quiet_NaN();
    s.bin_observed[b] = s.bin_count[b] ? so[b] / cnt : std::numeric_limits<double>::quiet_NaN();
  }
  // AUC: Mann-Whitney with mid-ranks for ties
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  double rank_sum = 0.0, pos = 0.0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && p[idx[j]] == p[idx[i]])
      ++j;
    const double mid = 0.5 * static_cast<double>(i + 1 + j);
    for (std::size_t k = i; k < j; ++k)
      if (y[idx[k]]) {
        rank_sum += mid;
        pos += 1.0;
      }
    i = j;
  }
  const double neg = static_cast<double>(n) - pos;
  s.auc = (pos > 0 && neg > 0) ? (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
                               : std::numeric_limits<double>::quiet_NaN();
  return s;
}

inline double logit(double p) {
  return std::log(p / (1.0 - p));
}
inline double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

} // namespace detail

GOODWILL_FUNC trust_fit_result fit_trust(const ledger &l, const trust_fit_options &opt) {
  opt.validate();
  const unsigned threads = detail::resolve_threads(opt.threads);
  const auto d = detail::build_trust_design(l, opt);
  const std::size_t G = d.group_keys.size();
  if (G > 64)
    throw invalid_state("fit_trust: more than 64 evidence groups");
  const trust_params &pr = opt.prior;

  // fixed weights: everything but the fitted side of a fitted channel
  detail::trust_fixed fx;
  fx.a = pr.positive;
  fx.b = pr.negative;
  std::vector<double> w0(G, 0.0);
  for (std::size_t g = 0; g < G; ++g) {
    double sum = 0.0;
    for (auto ch : d.group_channels[g]) {
      const bool alpha = d.group_side[g] == evidence_side::alpha;
      sum += alpha ? pr.positive[ch] : pr.negative[ch];
      (alpha ? fx.a : fx.b)[ch] = 0.0;
    }
    w0[g] = sum / static_cast<double>(d.group_channels[g].size());
  }

  const double kappa = pr.prior_alpha + pr.prior_beta;
  const double m0 = pr.prior_alpha / kappa, h0 = pr.half_life_days;
  const double x_m0 = detail::logit(m0), x_h0 = std::log(h0);
  const Eigen::Index P = static_cast<Eigen::Index>(G + 2);
  const double nfit = static_cast<double>(d.fit_outcomes);
  const detail::trust_objective objective(d, fx, threads);

  auto point = [&](const Eigen::VectorXd &x) {
    detail::trust_point pt;
    pt.kappa = kappa;
    pt.m = detail::logistic(x(0));
    pt.lambda = std::log(2.0) / std::exp(x(1));
    pt.w.resize(G);
    for (std::size_t g = 0; g < G; ++g)
      pt.w[g] = x(static_cast<Eigen::Index>(2 + g));
    return pt;
  };
  const double sw = opt.weight_prior_scale, sl = opt.log_prior_scale;
  // negative penalised log-likelihood (unscaled) and its gradient
  auto penalised = [&](const Eigen::VectorXd &x, Eigen::VectorXd *grad) {
    double v = -objective(point(x), grad);
    if (grad)
      *grad = -*grad;
    auto pen = [&](Eigen::Index j, double centre, double scale) {
      if (!std::isfinite(scale))
        return;
      const double z = (x(j) - centre) / scale;
      v += 0.5 * z * z;
      if (grad)
        (*grad)(j) += z / scale;
    };
    pen(0, x_m0, sl);
    pen(1, x_h0, sl);
    for (std::size_t g = 0; g < G; ++g)
      pen(static_cast<Eigen::Index>(2 + g), w0[g], sw);
    if (!opt.fit_half_life && grad)
      (*grad)(1) = 0.0;
    return v;
  };

  Eigen::VectorXd x(P), lb(P), ub(P);
  x(0) = x_m0;
  x(1) = x_h0;
  lb(0) = -15.0;
  ub(0) = 15.0;
  lb(1) = opt.fit_half_life ? std::log(0.5) : x_h0;
  ub(1) = opt.fit_half_life ? std::log(36500.0) : x_h0;
  for (std::size_t g = 0; g < G; ++g) {
    const auto j = static_cast<Eigen::Index>(2 + g);
    x(j) = w0[g];
    lb(j) = 0.0;
    ub(j) = 1e6;
  }
  const double ll_prior = objective(point(x), nullptr);

  LBFGSpp::LBFGSBParam<double> param;
  param.max_iterations = static_cast<int>(opt.max_iterations);
  param.epsilon = 1e-7;
  param.epsilon_rel = 1e-7;
  param.past = 3;
  param.delta = 1e-10;
  param.max_linesearch = 60;
  LBFGSpp::LBFGSBSolver<double> solver(param);
  auto f = [&](const Eigen::VectorXd &xx, Eigen::VectorXd &g) {
    const double v = penalised(xx, &g) / nfit;
    g /= nfit;
    return v;
  };
  trust_fit_result res;
  double fx_value = 0.0;
  int iters = 0;
  bool converged = true;
  try {
    iters = solver.minimize(f, x, fx_value, lb, ub);
  } catch (const std::exception &) {
    // a line-search failure near the optimum: keep the best point reached
    converged = false;
  }
  if (!x.allFinite())
    throw numerical_failure("fit_trust: the optimiser left the finite range");
  res.iterations = static_cast<unsigned>(std::max(0, iters));
  res.converged = converged && iters < static_cast<int>(opt.max_iterations);

  // Hessian of the penalised objective by central differences of the gradient
  Eigen::MatrixXd H(P, P);
  {
    Eigen::VectorXd gp(P), gm(P);
    for (Eigen::Index j = 0; j < P; ++j) {
      const double h = 1e-5 * std::max(1.0, std::abs(x(j)));
      Eigen::VectorXd xp = x, xm = x;
      xp(j) += h;
      xm(j) -= h;
      if (j >= 2)
        xm(j) = std::max(xm(j), 0.0);
      penalised(xp, &gp);
      penalised(xm, &gm);
      H.col(j) = (gp - gm) / (xp(j) - xm(j));
    }
    H = 0.5 * (H + H.transpose()).eval();
  }
  Eigen::VectorXd grad(P);
  penalised(x, &grad);
  std::vector<bool> bound(static_cast<std::size_t>(P), false);
  if (!opt.fit_half_life)
    bound[1] = true;
  for (std::size_t g = 0; g < G; ++g) {
    const auto j = static_cast<Eigen::Index>(2 + g);
    bound[static_cast<std::size_t>(j)] = x(j) <= 1e-9 && grad(j) >= 0.0;
  }
  std::vector<Eigen::Index> free;
  for (Eigen::Index j = 0; j < P; ++j)
    if (!bound[static_cast<std::size_t>(j)])
      free.push_back(j);
  Eigen::MatrixXd cov = Eigen::MatrixXd::Constant(P, P, std::numeric_limits<double>::quiet_NaN());
  if (!free.empty()) {
    const auto nf = static_cast<Eigen::Index>(free.size());
    Eigen::MatrixXd Hf(nf, nf);
    for (Eigen::Index a = 0; a < nf; ++a)
      for (Eigen::Index b = 0; b < nf; ++b)
        Hf(a, b) = H(free[static_cast<std::size_t>(a)], free[static_cast<std::size_t>(b)]);
    Eigen::LDLT<Eigen::MatrixXd> ldlt(Hf);
    if (ldlt.info() == Eigen::Success && ldlt.isPositive()) {
      const Eigen::MatrixXd inv = ldlt.solve(Eigen::MatrixXd::Identity(nf, nf));
      for (Eigen::Index a = 0; a < nf; ++a)
        for (Eigen::Index b = 0; b < nf; ++b)
          cov(free[static_cast<std::size_t>(a)], free[static_cast<std::size_t>(b)]) = inv(a, b);
    }
  }
  constexpr double z95 = 1.959963984540054;
  auto se = [&](Eigen::Index j) { return std::sqrt(cov(j, j)); };
  {
    trust_fit_parameter pm;
    pm.name = "prior_mean";
    pm.estimate = detail::logistic(x(0));
    pm.std_error = pm.estimate * (1.0 - pm.estimate) * se(0);
    pm.lower = detail::logistic(x(0) - z95 * se(0));
    pm.upper = detail::logistic(x(0) + z95 * se(0));
    pm.prior_value = m0;
    res.parameters.push_back(pm);
    trust_fit_parameter ph;
    ph.name = "half_life_days";
    ph.estimate = std::exp(x(1));
    ph.at_bound = !opt.fit_half_life || x(1) <= lb(1) + 1e-9 || x(1) >= ub(1) - 1e-9;
    ph.std_error = ph.at_bound ? std::numeric_limits<double>::quiet_NaN() : ph.estimate * se(1);
    ph.lower = ph.at_bound ? ph.estimate : std::exp(x(1) - z95 * se(1));
    ph.upper = ph.at_bound ? ph.estimate : std::exp(x(1) + z95 * se(1));
    ph.prior_value = h0;
    res.parameters.push_back(ph);
  }
  res.params = pr;
  res.params.prior_alpha = kappa * detail::logistic(x(0));
  res.params.prior_beta = kappa - res.params.prior_alpha;
  res.params.half_life_days = std::exp(x(1));
  for (std::size_t g = 0; g < G; ++g) {
    const auto j = static_cast<Eigen::Index>(2 + g);
    trust_fit_parameter pw;
    pw.name = detail::group_name(d.group_keys[g]);
    pw.side = d.group_side[g] == evidence_side::alpha ? "alpha" : "beta";
    pw.estimate = x(j);
    pw.prior_value = w0[g];
    pw.events = d.group_events[g];
    pw.customers = d.group_customers[g];
    pw.at_bound = bound[static_cast<std::size_t>(j)];
    if (pw.at_bound) {
      // one-sided 95% upper bound from the local quadratic of the
      // penalised log-likelihood along this weight: g w + H w²/2 = 1.92
      pw.std_error = std::numeric_limits<double>::quiet_NaN();
      const double hjj = std::max(H(j, j), 1e-300), gj = grad(j);
      pw.lower = 0.0;
      pw.upper = (-gj + std::sqrt(gj * gj + 2.0 * 1.920729410347062 * hjj)) / hjj;
    } else {
      pw.std_error = se(j);
      pw.lower = std::max(0.0, x(j) - z95 * se(j));
      pw.upper = x(j) + z95 * se(j);
    }
    res.parameters.push_back(pw);
    for (auto ch : d.group_channels[g])
      (d.group_side[g] == evidence_side::alpha ? res.params.positive : res.params.negative)[ch] =
          x(j);
  }
  res.params.validate();
  res.target = opt.target;
  res.log_likelihood = objective(point(x), nullptr);
  res.log_likelihood_prior = ll_prior;
  res.outcomes = d.fit_outcomes;
  res.customers = d.fit_customers;
  res.sampled_from = d.sampled_from;
  res.events = l.size();
  res.base_rate = static_cast<double>(d.fit_successes) / nfit;

  // ---- validation on the held-out outcomes ----
  std::vector<double> fitted, defaults;
  detail::trust_predictions(d, res.params, fitted);
  detail::trust_predictions(d, pr, defaults);
  auto &v = res.validation;
  v.split_time = d.split;
  std::vector<double> pf, pp, pc, pd;
  std::vector<std::uint8_t> y;
  std::vector<double> diff_by_customer, count_by_customer;
  const std::size_t n = d.offsets.size() - 1;
  constexpr double eps = 1e-15;
  double diff_sum = 0.0;
  for (std::size_t c = 0; c < n; ++c) {
    double wins = 0.0, total = 0.0, diff = 0.0, held = 0.0;
    std::size_t i = d.offsets[c];
    const auto last = d.offsets[c + 1];
    while (i < last) {
      const double t = d.records[i].time;
      std::size_t j = i;
      double dw = 0.0, dn = 0.0;
      for (; j < last && d.records[j].time == t; ++j) {
        const auto &r = d.records[j];
        if (r.outcome == 0)
          continue;
        const bool yy = r.outcome == 1;
        if (!(t < d.split)) {
          y.push_back(yy ? 1 : 0);
          pf.push_back(fitted[j]);
          pp.push_back(res.base_rate);
          pc.push_back((wins + 2.0 * res.base_rate) / (total + 2.0));
          pd.push_back(defaults[j]);
          const double qf = std::clamp(fitted[j], eps, 1 - eps);
          const double qp = std::clamp(res.base_rate, eps, 1 - eps);
          diff += -(yy ? std::log(qf) : std::log1p(-qf)) + (yy ? std::log(qp) : std::log1p(-qp));
          held += 1.0;
        }
        dw += yy ? 1.0 : 0.0;
        dn += 1.0;
      }
      wins += dw;
      total += dn;
      i = j;
    }
    if (held > 0.0) {
      diff_by_customer.push_back(diff);
      count_by_customer.push_back(held);
      diff_sum += diff;
    }
  }
  v.outcomes = y.size();
  v.customers = diff_by_customer.size();
  double ysum = 0.0;
  for (auto yy : y)
    ysum += yy;
  v.observed_rate = v.outcomes ? ysum / static_cast<double>(v.outcomes) : 0.0;
  v.scores.push_back(detail::score_predictions("fitted", pf, y));
  v.scores.push_back(detail::score_predictions("portfolio_rate", pp, y));
  v.scores.push_back(detail::score_predictions("customer_rate", pc, y));
  v.scores.push_back(detail::score_predictions("defaults", pd, y));
  const double N = static_cast<double>(v.outcomes);
  v.log_loss_difference = diff_sum / N;
  {
    // customer-clustered standard error of the mean difference
    double ss = 0.0;
    const auto &counts = count_by_customer;
    for (std::size_t c = 0; c < counts.size(); ++c) {
      const double r = diff_by_customer[c] - counts[c] * v.log_loss_difference;
      ss += r * r;
    }
    const double C = static_cast<double>(counts.size());
    v.log_loss_difference_se =
        C > 1 ? std::sqrt(ss * C / (C - 1.0)) / N : std::numeric_limits<double>::quiet_NaN();
  }
  v.beats_portfolio = v.log_loss_difference < -1.6448536269514722 * v.log_loss_difference_se;
  return res;
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_RELATIONSHIP_TRUST_FIT_INL_HPP
