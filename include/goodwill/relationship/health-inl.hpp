// goodwill — account health and rep scorecards: the one pass over the
// ledger, the empirical-Bayes shrinkage (beta-binomial, normal), the tests
// and q-values; declared in relationship/health.hpp (the design notes are
// there). Compiled once in src/relationship/health.cpp, or included by the
// header under GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_RELATIONSHIP_HEALTH_INL_HPP
#define GOODWILL_RELATIONSHIP_HEALTH_INL_HPP

#include <algorithm>
#include <array>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <goodwill/detail/parallel_for.hpp>
#include <goodwill/detail/special.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/health.hpp>
#include <goodwill/relationship/trust.hpp>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

GOODWILL_FUNC beta_binomial_prior fit_beta_binomial(std::span<const std::uint32_t> x,
                                                    std::span<const std::uint32_t> n) {
  beta_binomial_prior pr;
  double sx = 0, sn = 0, sn2 = 0;
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (n[i] == 0)
      continue;
    ++pr.groups;
    sx += x[i];
    sn += n[i];
    sn2 += static_cast<double>(n[i]) * n[i];
  }
  if (sn == 0)
    return pr;
  pr.mean = sx / sn;
  const double mu = pr.mean;
  if (!(mu > 0 && mu < 1) || pr.groups < 2)
    return pr;
  double s = 0;
  for (std::size_t i = 0; i < n.size(); ++i)
    if (n[i] > 0) {
      const double d = static_cast<double>(x[i]) / n[i] - mu;
      s += n[i] * d * d;
    }
  const auto k = static_cast<double>(pr.groups);
  const double denom = (sn - k) - (sn2 - sn) / sn;
  double rho = denom > 0 ? (s / (mu * (1 - mu)) - (k - 1)) / denom : 0.0;
  const double rho_floor = 1.0 / (sn + 1.0); // a + b <= Σn
  rho = std::clamp(rho, rho_floor, 0.999);
  pr.rho = rho;
  const double m = 1.0 / rho - 1.0;
  pr.a = mu * m;
  pr.b = (1 - mu) * m;
  return pr;
}

GOODWILL_FUNC double midp_binomial(std::uint32_t x, std::uint32_t n, double p0) {
  if (n == 0)
    return std::numeric_limits<double>::quiet_NaN();
  if (p0 <= 0.0)
    return x == 0 ? 1.0 : 0.0;
  if (p0 >= 1.0)
    return x == n ? 1.0 : 0.0;
  const boost::math::binomial_distribution<double> bin(n, p0);
  const double eq = boost::math::pdf(bin, x);
  const double below = x == 0 ? 0.0 : boost::math::cdf(bin, x - 1.0);
  const double above = x == n ? 0.0 : boost::math::cdf(boost::math::complement(bin, x));
  return std::min(1.0, 2.0 * std::min(below + 0.5 * eq, above + 0.5 * eq));
}

GOODWILL_FUNC normal_eb_result normal_eb(std::span<const double> x, std::span<const double> v) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  normal_eb_result r;
  double sw = 0, sw2 = 0, swx = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(v[i]) && v[i] > 0) {
      const double w = 1.0 / v[i];
      ++r.groups;
      sw += w;
      sw2 += w * w;
      swx += w * x[i];
    }
  r.estimate.assign(x.size(), nan);
  r.variance.assign(x.size(), nan);
  if (r.groups < 2)
    return r;
  const double mw = swx / sw;
  double qstat = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(v[i]) && v[i] > 0)
      qstat += (x[i] - mw) * (x[i] - mw) / v[i];
  const double c = sw - sw2 / sw;
  r.tau2 = c > 0 ? std::max(0.0, (qstat - static_cast<double>(r.groups - 1)) / c) : 0.0;
  double ws = 0, wsx = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(v[i]) && v[i] > 0) {
      const double w = 1.0 / (v[i] + r.tau2);
      ws += w;
      wsx += w * x[i];
    }
  r.mean = wsx / ws;
  r.weight = ws;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isfinite(x[i]) && std::isfinite(v[i]) && v[i] > 0) {
      const double b = r.tau2 / (r.tau2 + v[i]);
      r.estimate[i] = r.mean + b * (x[i] - r.mean);
      r.variance[i] = b * v[i] + (1 - b) * (1 - b) / ws;
    } else {
      r.estimate[i] = r.mean;
      r.variance[i] = r.tau2 + 1.0 / ws;
    }
  }
  return r;
}

namespace detail {

inline constexpr std::uint32_t no_group = no_rep;

/// Running mean and sum of squared deviations (Welford).
struct moments {
  std::uint32_t n = 0;
  double mean = 0, m2 = 0;
  void add(double x) noexcept {
    ++n;
    const double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  void merge(const moments &o) noexcept {
    if (o.n == 0)
      return;
    if (n == 0) {
      *this = o;
      return;
    }
    const double nn = static_cast<double>(n) + o.n;
    const double d = o.mean - mean;
    mean += d * o.n / nn;
    m2 += o.m2 + d * d * n * o.n / nn;
    n += o.n;
  }
};

/// Per-group accumulators filled by the pass over the ledger.
struct health_accumulators {
  std::vector<std::uint32_t> won, lost, first_half, second_half;
  std::vector<moments> realisation, depth, log_cycle, trust_close, trust_recent, trust_before;
  // accounts only: trust evidence at end and at end - lookback (faded), and
  // whether the account had an event by then
  std::vector<double> a_now, b_now, a_then, b_then;
  std::vector<std::uint8_t> seen_then, seen;
  // accounts only: the closes' share of that evidence and the sums of their
  // fading weights d (to end) and e (to end − lookback) behind its null
  // distribution: Σd, Σe, Σd², Σde, Σe², closes up to end
  std::vector<double> close_pos_now, close_neg_now, close_pos_then, close_neg_then;
  std::vector<double> sd, se, sdd, sde, see;
  std::vector<std::uint32_t> closes_to_end;

  void resize(std::size_t g, bool accounts) {
    for (auto *v : {&won, &lost, &first_half, &second_half})
      v->assign(g, 0);
    for (auto *v : {&realisation, &depth, &log_cycle, &trust_close, &trust_recent, &trust_before})
      v->assign(g, moments{});
    if (accounts) {
      for (auto *v : {&a_now, &b_now, &a_then, &b_then})
        v->assign(g, std::numeric_limits<double>::quiet_NaN());
      seen_then.assign(g, 0);
      seen.assign(g, 0);
      for (auto *v : {&close_pos_now, &close_neg_now, &close_pos_then, &close_neg_then, &sd, &se,
                      &sdd, &sde, &see})
        v->assign(g, 0.0);
      closes_to_end.assign(g, 0);
    }
  }
};

/// Ledger-level facts found by a pass (kept per thread, then summed).
struct health_facts {
  std::uint64_t won_with_list = 0, concession_events = 0, openings = 0, positive_cycles = 0;
  /// Closes up to the end by evidence channel (won at list, after concession,
  /// after match, lost on price, lost otherwise): the portfolio's response mix.
  std::array<std::uint64_t, 5> close_channels{};
  void add(const health_facts &o) noexcept {
    for (std::size_t i = 0; i < close_channels.size(); ++i)
      close_channels[i] += o.close_channels[i];
    won_with_list += o.won_with_list;
    concession_events += o.concession_events;
    openings += o.openings;
    positive_cycles += o.positive_cycles;
  }
};

/// Evidence faded from its last event to time t.
inline std::pair<double, double> faded(const trust_state &s, const trust_params &p, double t) {
  if (!(t > s.last_time))
    return {s.alpha, s.beta};
  const double d = std::exp2(-(t - s.last_time) / p.half_life_days);
  return {p.prior_alpha + (s.alpha - p.prior_alpha) * d,
          p.prior_beta + (s.beta - p.prior_beta) * d};
}

/// Walk customers [c0, c1). groups: nullptr → the group is the customer
/// (account mode, writes trust evidence); else group = (*groups)[row of close].
inline void health_pass(const ledger &l, const trust_params &tp, double start, double end,
                        double then, std::size_t c0, std::size_t c1,
                        std::span<const std::uint32_t> groups, bool accounts,
                        health_accumulators &acc, health_facts &facts) {
  const auto &order = l.order();
  const auto &offsets = l.customer_offsets();
  const auto times = l.times();
  const auto kinds = l.kinds();
  const auto amounts = l.amounts();
  const auto details = l.details();
  const double mid = 0.5 * (start + end);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> opens; // this customer's unmatched opportunity openings (FIFO)
  for (std::size_t c = c0; c < c1; ++c) {
    opens.clear();
    std::size_t head = 0;
    trust_state ts = trust_state::prior(tp);
    trust_state ts_then = ts;
    bool then_taken = false, any = false;
    double list = nan, conceded = 0, first_open = nan;
    for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
      const std::uint32_t row = order[i];
      const double t = times[row];
      if (t > end)
        break;
      if (!then_taken && t > then) {
        ts_then = ts;
        then_taken = true;
      }
      const auto k = static_cast<event_kind>(kinds[row]);
      const double a = amounts[row];
      const evidence_channel ch = ts.update(tp, k, t, a, details[row]);
      any = true;
      if (accounts && traits(k).closes_deal) {
        const auto ci = static_cast<std::size_t>(ch); // the five close channels are codes 0..4
        ++facts.close_channels[ci];
        const double d = std::exp2(-(end - t) / tp.half_life_days);
        const double e = t <= then ? std::exp2(-(then - t) / tp.half_life_days) : 0.0;
        const double wp = tp.positive[ci], wn = tp.negative[ci];
        acc.close_pos_now[c] += wp * d;
        acc.close_neg_now[c] += wn * d;
        acc.close_pos_then[c] += wp * e;
        acc.close_neg_then[c] += wn * e;
        acc.sd[c] += d;
        acc.se[c] += e;
        acc.sdd[c] += d * d;
        acc.sde[c] += d * e;
        acc.see[c] += e * e;
        ++acc.closes_to_end[c];
      }
      switch (k) {
      case event_kind::opportunity:
        opens.push_back(t);
        break;
      case event_kind::lead:
        if (std::isnan(first_open))
          first_open = t;
        break;
      case event_kind::proposal:
        list = a;
        if (std::isnan(first_open))
          first_open = t;
        break;
      case event_kind::concession:
        conceded += a;
        ++facts.concession_events;
        break;
      case event_kind::deal_won:
      case event_kind::deal_lost: {
        double opened = nan;
        if (head < opens.size())
          opened = opens[head++];
        else
          opened = first_open;
        if (t >= start) {
          const std::uint32_t g = accounts ? static_cast<std::uint32_t>(c) : groups[row];
          if (g != no_group) {
            const bool won = k == event_kind::deal_won;
            ++(won ? acc.won : acc.lost)[g];
            ++(t > mid ? acc.second_half : acc.first_half)[g];
            if (won) {
              if (std::isfinite(list) && list > 0) {
                acc.realisation[g].add(a / list);
                ++facts.won_with_list;
              }
              if (a + conceded > 0)
                acc.depth[g].add(conceded / (a + conceded));
            }
            if (std::isfinite(opened)) {
              const double days = std::max(0.0, t - opened);
              acc.log_cycle[g].add(std::log1p(days));
              ++facts.openings;
              if (days > 0)
                ++facts.positive_cycles;
            }
            if (!accounts) {
              const double tr = ts.trust();
              acc.trust_close[g].add(tr);
              (t > then ? acc.trust_recent : acc.trust_before)[g].add(tr);
            }
          }
        }
        list = nan;
        conceded = 0;
        first_open = nan;
        break;
      }
      default:
        break;
      }
    }
    if (accounts && any) {
      if (!then_taken)
        ts_then = ts;
      const auto [an, bn] = faded(ts, tp, end);
      acc.a_now[c] = an;
      acc.b_now[c] = bn;
      acc.seen[c] = 1;
      if (ts_then.last_time <= then) { // had an event by then
        const auto [at, bt] = faded(ts_then, tp, then);
        acc.a_then[c] = at;
        acc.b_then[c] = bt;
        acc.seen_then[c] = 1;
      } else {
        acc.a_then[c] = tp.prior_alpha;
        acc.b_then[c] = tp.prior_beta;
      }
    }
  }
}

// normal_quantile: detail/special.hpp (the same Boost.Math call).

inline double two_sided_normal_p(double z) {
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

/// Median and 1.4826·MAD of the finite values (empirical null of z).
inline std::pair<double, double> robust_centre_scale(std::vector<double> z) {
  std::erase_if(z, [](double v) { return !std::isfinite(v); });
  if (z.empty())
    return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  auto median = [](std::vector<double> &v) {
    const std::size_t h = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
    double m = v[h];
    if (v.size() % 2 == 0)
      m = 0.5 * (m + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h)));
    return m;
  };
  const double centre = median(z);
  for (auto &v : z)
    v = std::fabs(v - centre);
  return {centre, 1.4826 * median(z)};
}

/// Beta-binomial metric: x successes of n. `ratio`: report π/(1−π).
inline void beta_binomial_metric(health_metric_columns &m, std::span<const std::uint32_t> x,
                                 std::span<const std::uint32_t> n, const health_params &hp,
                                 bool ratio) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t g = n.size();
  auto scale = [ratio](double pi) { return ratio ? pi / (1.0 - pi) : pi; };
  m.n.assign(n.begin(), n.end());
  m.raw.assign(g, nan);
  m.estimate.assign(g, nan);
  m.lower.assign(g, nan);
  m.upper.assign(g, nan);
  m.p.assign(g, nan);
  for (std::size_t i = 0; i < g; ++i)
    if (n[i] > 0)
      m.raw[i] = ratio ? (n[i] == x[i] ? std::numeric_limits<double>::infinity()
                                       : static_cast<double>(x[i]) / (n[i] - x[i]))
                       : static_cast<double>(x[i]) / n[i];
  const beta_binomial_prior pr = fit_beta_binomial(x, n);
  if (pr.groups == 0) {
    m.reason = "no group has data";
    return;
  }
  m.available = true;
  m.portfolio = scale(pr.mean);
  if (pr.groups < hp.min_groups) {
    m.reason = "estimates and tests need at least " + std::to_string(hp.min_groups) +
               " groups with data (the portfolio prior); " + std::to_string(pr.groups) + " have";
    return;
  }
  if (!std::isfinite(pr.a)) {
    m.reason = ratio ? "every close falls in one half of the window: no variation to test"
                     : "every deal has the same outcome: no variation to test";
    return;
  }
  m.prior_1 = pr.a;
  m.prior_2 = pr.b;
  const double lo_q = 0.5 * (1 - hp.level), hi_q = 1 - lo_q;
  struct cell {
    double mean, lo, hi, p;
  };
  std::unordered_map<std::uint64_t, cell> cache;
  for (std::size_t i = 0; i < g; ++i) {
    const std::uint64_t key = (static_cast<std::uint64_t>(x[i]) << 32) | n[i];
    auto it = cache.find(key);
    if (it == cache.end()) {
      const double a = pr.a + x[i], b = pr.b + (n[i] - x[i]);
      cell c{};
      c.mean = a / (a + b);
      c.lo = boost::math::ibeta_inv(a, b, lo_q);
      c.hi = boost::math::ibeta_inv(a, b, hi_q);
      c.p = n[i] >= hp.min_deals ? midp_binomial(x[i], n[i], pr.mean) : nan;
      it = cache.emplace(key, c).first;
    }
    m.estimate[i] = scale(it->second.mean);
    m.lower[i] = scale(it->second.lo);
    m.upper[i] = scale(it->second.hi);
    m.p[i] = it->second.p;
    m.tested += std::isfinite(m.p[i]) ? 1u : 0u;
  }
}

/// Normal-normal metric on x̄ with sampling variance v; n observations each.
/// `empirical_null`: test with Efron's empirical null; `tested(i)`: may i be tested.
/// `back`: the reported scale (identity, or exp(·) − 1 for log cycle time).
template <class Tested, class Back>
void normal_metric(health_metric_columns &m, const std::vector<double> &xbar,
                   const std::vector<double> &v, std::vector<std::uint32_t> n,
                   const health_params &hp, bool empirical_null, Tested tested, Back back,
                   const std::vector<double> *null_mean = nullptr) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t g = xbar.size();
  m.n = std::move(n);
  m.raw.assign(g, nan);
  m.estimate.assign(g, nan);
  m.lower.assign(g, nan);
  m.upper.assign(g, nan);
  m.p.assign(g, nan);
  for (std::size_t i = 0; i < g; ++i)
    if (std::isfinite(xbar[i]))
      m.raw[i] = back(xbar[i]);
  const normal_eb_result eb = normal_eb(xbar, v);
  std::size_t with_data = 0;
  for (std::size_t i = 0; i < g; ++i)
    with_data += std::isfinite(xbar[i]) ? 1u : 0u;
  if (with_data == 0) {
    m.reason = "no group has data";
    return;
  }
  m.available = true;
  if (eb.groups < hp.min_groups) {
    m.reason = "estimates and tests need at least " + std::to_string(hp.min_groups) +
               " groups with a sampling variance; " + std::to_string(eb.groups) + " have";
    return;
  }
  m.portfolio = back(eb.mean);
  m.prior_1 = eb.mean;
  m.prior_2 = std::sqrt(eb.tau2);
  const double zq = normal_quantile(0.5 * (1 + hp.level));
  std::vector<double> z(g, nan);
  for (std::size_t i = 0; i < g; ++i) {
    const double s = std::sqrt(eb.variance[i]);
    m.estimate[i] = back(eb.estimate[i]);
    m.lower[i] = back(eb.estimate[i] - zq * s);
    m.upper[i] = back(eb.estimate[i] + zq * s);
    if (std::isfinite(xbar[i]) && std::isfinite(v[i]) && v[i] > 0 && tested(i))
      z[i] = (xbar[i] - (null_mean ? (*null_mean)[i] : eb.mean)) / std::sqrt(v[i]);
  }
  std::size_t nz = 0;
  for (double zi : z)
    nz += std::isfinite(zi) ? 1u : 0u;
  double centre = 0, scale = 1;
  if (empirical_null) {
    if (nz < hp.min_groups) {
      m.reason = "tests use an empirical null, which needs at least " +
                 std::to_string(hp.min_groups) + " testable groups; " + std::to_string(nz) +
                 " have";
      return;
    }
    std::tie(centre, scale) = robust_centre_scale(z);
    // the empirical null may only widen the theoretical one: with few groups
    // its scale is itself noisy, and a narrower null would flag that noise
    scale = std::max(scale, 1.0);
    m.null_centre = centre;
    m.null_scale = scale;
  }
  for (std::size_t i = 0; i < g; ++i)
    if (std::isfinite(z[i])) {
      m.p[i] = two_sided_normal_p((z[i] - centre) / scale);
      ++m.tested;
    }
  if (scale > 1.0) {
    // the empirical null says the sampling variance is scale² times v: the
    // estimates and intervals use that variance too
    std::vector<double> wide(v);
    for (auto &x : wide)
      x *= scale * scale;
    const normal_eb_result ew = normal_eb(xbar, wide);
    m.portfolio = back(ew.mean);
    m.prior_1 = ew.mean;
    m.prior_2 = std::sqrt(ew.tau2);
    for (std::size_t i = 0; i < g; ++i) {
      const double s = std::sqrt(ew.variance[i]);
      m.estimate[i] = back(ew.estimate[i]);
      m.lower[i] = back(ew.estimate[i] - zq * s);
      m.upper[i] = back(ew.estimate[i] + zq * s);
    }
  }
}

inline health_table finish(const health_accumulators &acc, const health_facts &facts, std::size_t g,
                           const health_params &hp, const trust_params &tpar, bool accounts,
                           double start, double end, double then, bool have_log_window) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  health_table out;
  out.groups = g;
  out.start = start;
  out.end = end;
  out.trust_then = then;
  out.fdr = hp.fdr;
  out.level = hp.level;
  out.deals_won = acc.won;
  out.deals_lost = acc.lost;
  std::vector<std::uint32_t> closed(g);
  for (std::size_t i = 0; i < g; ++i)
    closed[i] = acc.won[i] + acc.lost[i];
  auto identity = [](double x) { return x; };
  auto enough = [&](const std::vector<std::uint32_t> &cnt) {
    return [&cnt, &hp](std::size_t i) { return cnt[i] >= hp.min_deals; };
  };

  // win rate
  {
    auto &m = out[health_metric::win_rate];
    m.method = "beta-binomial empirical Bayes (method of moments), two-sided mid-p binomial "
               "test against the portfolio win rate";
    beta_binomial_metric(m, acc.won, closed, hp, false);
  }
  // deal flow
  {
    auto &m = out[health_metric::deal_flow];
    m.method = "closes in the second half of the window / first half; beta-binomial empirical "
               "Bayes on the second-half share, mid-p binomial test against the portfolio share";
    beta_binomial_metric(m, acc.second_half, closed, hp, true);
  }
  // pooled normal-normal metrics from moments
  auto pooled = [&](health_metric which, const std::vector<moments> &mo, auto back,
                    const char *method, const char *missing, bool empirical_null) {
    auto &m = out[which];
    m.method = method;
    std::vector<double> xbar(g, nan), v(g, nan);
    std::vector<std::uint32_t> n(g, 0);
    double ss = 0, df = 0;
    for (std::size_t i = 0; i < g; ++i) {
      n[i] = mo[i].n;
      if (mo[i].n > 0) {
        xbar[i] = mo[i].mean;
        ss += mo[i].m2;
        df += mo[i].n - 1.0;
      }
    }
    const double s2 = df > 0 ? ss / df : nan;
    if (!(s2 > 0)) {
      bool anyd = false;
      for (auto k : n)
        anyd = anyd || k > 0;
      m.n = n;
      m.raw.assign(g, nan);
      for (std::size_t i = 0; i < g; ++i)
        if (n[i] > 0)
          m.raw[i] = back(xbar[i]);
      m.estimate = m.lower = m.upper = m.p = std::vector<double>(g, nan);
      m.available = anyd;
      m.reason = anyd ? "no variation within groups (pooled variance 0 or no group with 2 "
                        "observations): no estimates or tests"
                      : missing;
      return;
    }
    for (std::size_t i = 0; i < g; ++i)
      if (n[i] > 0)
        v[i] = s2 / n[i];
    normal_metric(m, xbar, v, n, hp, empirical_null, enough(n), back);
  };

  const auto unavailable = [&](health_metric k, const char *reason) {
    auto &m = out[k];
    m.reason = reason;
    m.n.assign(g, 0);
  };
  if (facts.won_with_list == 0) {
    unavailable(health_metric::realisation,
                "not available: no won deal has a list price (the ledger has no proposal "
                "before a won close)");
  } else {
    pooled(health_metric::realisation, acc.realisation, identity,
           "close value / list price per won deal; normal-normal empirical Bayes (pooled "
           "within-group variance, DerSimonian-Laird between-group variance), z-test with an "
           "empirical null (centred on the median group)",
           "not available", true);
  }
  if (facts.concession_events == 0) {
    unavailable(health_metric::concession_depth,
                "not available: the ledger records no concession events (a depth of 0 would "
                "be made up)");
  } else {
    pooled(health_metric::concession_depth, acc.depth, identity,
           "concessions / (close value + concessions) per won deal; normal-normal empirical "
           "Bayes, z-test with an empirical null (centred on the median group)",
           "not available: no won deals", true);
  }
  if (facts.openings == 0 || facts.positive_cycles == 0) {
    unavailable(health_metric::cycle_time,
                facts.openings == 0
                    ? "not available: no close has an opening (opportunity, lead or proposal "
                      "before it)"
                    : "not available: every opening is at its close's time (the ledger records "
                      "no opening before a close)");
  } else {
    pooled(
        health_metric::cycle_time, acc.log_cycle, [](double x) { return std::expm1(x); },
        "days from opening to close, on log(1 + days); normal-normal empirical Bayes, "
        "z-test with an empirical null (openings are paired with closes first in, first "
        "out, which distorts the within-account spread); estimate exp(mean) - 1 days",
        "not available", true);
  }

  // trust
  if (accounts) {
    // H0: the account's closes are draws from the portfolio's mix of close
    // channels, at the account's own times; its other events are as they
    // are. The evidence is linear in the channel weights, so its null mean
    // and covariance are exact; trust's follow by the delta method.
    const auto &cc = facts.close_channels;
    const double total =
        static_cast<double>(std::accumulate(cc.begin(), cc.end(), std::uint64_t{0}));
    double ep = 0, en = 0, epp = 0, enn = 0, epn = 0;
    for (std::size_t ci = 0; ci < cc.size() && total > 0; ++ci) {
      const double pi = static_cast<double>(cc[ci]) / total;
      const double wp = tpar.positive[ci], wn = tpar.negative[ci];
      ep += pi * wp;
      en += pi * wn;
      epp += pi * wp * wp;
      enn += pi * wn * wn;
      epn += pi * wp * wn;
    }
    const double vpp = epp - ep * ep, vnn = enn - en * en, vpn = epn - ep * en;
    std::vector<double> x(g, nan), v(g, nan), m0(g, nan), d(g, nan), dv(g, nan), dm0(g, nan);
    std::vector<std::uint32_t> n_trust(g, 0);
    for (std::size_t i = 0; i < g; ++i) {
      if (!acc.seen[i])
        continue;
      n_trust[i] = acc.closes_to_end[i];
      x[i] = acc.a_now[i] / (acc.a_now[i] + acc.b_now[i]);
      const double xt = acc.a_then[i] / (acc.a_then[i] + acc.b_then[i]);
      d[i] = x[i] - xt;
      // null means of the evidence
      const double a1 = acc.a_now[i] - acc.close_pos_now[i] + ep * acc.sd[i];
      const double b1 = acc.b_now[i] - acc.close_neg_now[i] + en * acc.sd[i];
      const double a2 = acc.a_then[i] - acc.close_pos_then[i] + ep * acc.se[i];
      const double b2 = acc.b_then[i] - acc.close_neg_then[i] + en * acc.se[i];
      const double f1 = a1 / (a1 + b1), f2 = a2 / (a2 + b2);
      // gradients of α/(α+β)
      const double g1a = b1 / ((a1 + b1) * (a1 + b1)), g1b = -a1 / ((a1 + b1) * (a1 + b1));
      const double g2a = b2 / ((a2 + b2) * (a2 + b2)), g2b = -a2 / ((a2 + b2) * (a2 + b2));
      auto quad = [&](double ua, double ub, double wa, double wb, double s) {
        return s * (ua * wa * vpp + (ua * wb + ub * wa) * vpn + ub * wb * vnn);
      };
      const double var1 = quad(g1a, g1b, g1a, g1b, acc.sdd[i]);
      const double var2 = quad(g2a, g2b, g2a, g2b, acc.see[i]);
      const double cov12 = quad(g1a, g1b, g2a, g2b, acc.sde[i]);
      m0[i] = f1;
      v[i] = var1 > 0 ? var1 : nan;
      dm0[i] = f1 - f2;
      const double vd = var1 + var2 - 2 * cov12;
      dv[i] = vd > 0 ? vd : nan;
    }
    {
      auto &m = out[health_metric::trust];
      m.method = "trust evidence at the end of the window (Beta(alpha, beta) of trust.hpp, "
                 "faded to the end); null: the account's closes drawn from the portfolio's mix "
                 "of close channels at their own times (exact evidence mean and variance, delta "
                 "method for trust); normal-normal empirical Bayes with that variance, z-test";
      normal_metric(m, x, v, n_trust, hp, false, enough(n_trust), identity, &m0);
    }
    {
      auto &m = out[health_metric::trust_trend];
      m.method = "trust at the end minus trust lookback days earlier, same null as trust "
                 "(covariance of the two included); normal-normal empirical Bayes, z-test";
      if (!have_log_window) {
        unavailable(health_metric::trust_trend,
                    "not available: the window is shorter than the trust lookback");
      } else {
        normal_metric(m, d, dv, n_trust, hp, false, enough(n_trust), identity, &dm0);
      }
    }
  } else {
    pooled(health_metric::trust, acc.trust_close, identity,
           "mean customer trust just after the group's closes; normal-normal empirical Bayes "
           "(pooled variance), z-test with an empirical null",
           "not available: no closes", true);
    auto &m = out[health_metric::trust_trend];
    m.method = "mean trust after closes in the last lookback days minus after earlier closes; "
               "normal-normal empirical Bayes (pooled variance), z-test with an empirical null";
    if (!have_log_window) {
      unavailable(health_metric::trust_trend,
                  "not available: the window is shorter than the trust lookback");
    } else {
      std::vector<double> dd(g, nan), dv(g, nan);
      std::vector<std::uint32_t> nn(g, 0);
      double ss = 0, df = 0;
      for (std::size_t i = 0; i < g; ++i)
        for (const auto *mo : {&acc.trust_recent[i], &acc.trust_before[i]})
          if (mo->n > 0) {
            ss += mo->m2;
            df += mo->n - 1.0;
          }
      const double s2 = df > 0 ? ss / df : nan;
      for (std::size_t i = 0; i < g; ++i) {
        const auto &r = acc.trust_recent[i], &b = acc.trust_before[i];
        nn[i] = std::min(r.n, b.n);
        if (r.n > 0 && b.n > 0 && s2 > 0) {
          dd[i] = r.mean - b.mean;
          dv[i] = s2 * (1.0 / r.n + 1.0 / b.n);
        }
      }
      if (!(s2 > 0)) {
        m.reason = "no variation of trust within groups: no estimates or tests";
        m.n = nn;
      } else {
        normal_metric(
            m, dd, dv, nn, hp, true,
            [&](std::size_t i) { return closed[i] >= hp.min_deals && nn[i] >= 2; }, identity);
      }
    }
  }

  // Benjamini–Hochberg across every metric's tests
  std::vector<double> all;
  for (auto &m : out.metrics)
    if (!m.p.empty())
      all.insert(all.end(), m.p.begin(), m.p.end());
  const std::vector<double> q = bh_qvalues(all);
  std::size_t off = 0;
  for (auto &m : out.metrics) {
    if (m.p.empty()) {
      m.p.assign(g, nan);
      m.q.assign(g, nan);
      m.flag.assign(g, 0);
      if (m.raw.empty())
        m.raw = m.estimate = m.lower = m.upper = std::vector<double>(g, nan);
      if (m.n.size() != g)
        m.n.assign(g, 0);
      continue;
    }
    m.q.assign(q.begin() + static_cast<std::ptrdiff_t>(off),
               q.begin() + static_cast<std::ptrdiff_t>(off + g));
    off += g;
    m.flag.assign(g, 0);
    for (std::size_t i = 0; i < g; ++i)
      m.flag[i] = m.q[i] <= hp.fdr ? 1 : 0;
  }
  for (double pv : all)
    out.family += std::isfinite(pv) ? 1u : 0u;
  return out;
}

inline std::pair<double, double> ledger_span(const ledger &l) {
  const auto t = l.times();
  if (t.empty())
    throw invalid_input("ledger", "is empty: no deals to assess");
  const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
  return {*lo, *hi};
}

} // namespace detail

GOODWILL_FUNC health_table account_health(const ledger &l, const health_params &hp,
                                          const trust_params &tp) {
  hp.validate();
  tp.validate();
  const auto [lo, hi] = detail::ledger_span(l);
  const double start = std::isnan(hp.start) ? lo : hp.start;
  const double end = std::isnan(hp.end) ? hi : hp.end;
  if (!(start <= end))
    throw invalid_input("start", "is after the end of the window");
  const double then = end - hp.trust_lookback_days;
  const std::size_t n = l.customer_count();
  const auto &offsets = l.customer_offsets();
  (void)l.order(); // computed (and cached) before any thread reads it
  unsigned threads = detail::resolve_threads(hp.threads);
  if (n < 2 * static_cast<std::size_t>(threads) || l.size() < 100000)
    threads = 1;
  detail::health_accumulators acc;
  acc.resize(n, true);
  std::vector<std::size_t> bounds{0};
  for (unsigned b = 1; b < threads; ++b) {
    const std::uint64_t target = l.size() * b / threads;
    auto it = std::lower_bound(offsets.begin(), offsets.end() - 1, target);
    bounds.push_back(std::max(bounds.back(), static_cast<std::size_t>(it - offsets.begin())));
  }
  bounds.push_back(n);
  const std::size_t blocks = bounds.size() - 1;
  // every block writes only its own customers' rows of acc; the ledger-level
  // facts are kept per block and summed afterwards
  std::vector<detail::health_facts> facts(blocks);
  if (blocks == 1) {
    detail::health_pass(l, tp, start, end, then, 0, n, {}, true, acc, facts[0]);
  } else {
    detail::run_on_threads(static_cast<unsigned>(blocks), [&](unsigned b) {
      detail::health_pass(l, tp, start, end, then, bounds[b], bounds[b + 1], {}, true, acc,
                          facts[b]);
    });
  }
  for (std::size_t b = 1; b < blocks; ++b)
    facts[0].add(facts[b]);
  return detail::finish(acc, facts[0], n, hp, tp, true, start, end, then,
                        end - start > hp.trust_lookback_days);
}

GOODWILL_FUNC health_table rep_scorecard(const ledger &l, std::span<const std::uint32_t> reps,
                                         std::size_t rep_count, const health_params &hp,
                                         const trust_params &tp) {
  hp.validate();
  tp.validate();
  if (reps.size() != l.size())
    throw invalid_input("rep", "has " + std::to_string(reps.size()) +
                                   " rows where the ledger has " + std::to_string(l.size()));
  for (std::size_t i = 0; i < reps.size(); ++i)
    if (reps[i] != detail::no_group && reps[i] >= rep_count)
      throw invalid_input("rep", static_cast<std::int64_t>(i),
                          "id " + std::to_string(reps[i]) + " is beyond the " +
                              std::to_string(rep_count) + " salespeople");
  const auto [lo, hi] = detail::ledger_span(l);
  const double start = std::isnan(hp.start) ? lo : hp.start;
  const double end = std::isnan(hp.end) ? hi : hp.end;
  if (!(start <= end))
    throw invalid_input("start", "is after the end of the window");
  const double then = end - hp.trust_lookback_days;
  detail::health_accumulators acc;
  acc.resize(rep_count, false);
  detail::health_facts facts;
  detail::health_pass(l, tp, start, end, then, 0, l.customer_count(), reps, false, acc, facts);
  return detail::finish(acc, facts, rep_count, hp, tp, false, start, end, then,
                        end - start > hp.trust_lookback_days);
}

GOODWILL_FUNC health_table rep_scorecard(const ledger &l, const health_params &hp,
                                         const trust_params &tp) {
  if (!l.has_reps())
    throw invalid_input("rep", "the ledger names no salesperson: no scorecard");
  return rep_scorecard(l, l.reps(), l.rep_count(), hp, tp);
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_RELATIONSHIP_HEALTH_INL_HPP
