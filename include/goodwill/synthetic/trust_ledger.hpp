// goodwill — a ledger whose deal outcomes are drawn from a known trust model.
//
// Design: for checking fit_trust (relationship/trust_fit.hpp) against a known
// truth. Each customer, independently and reproducibly (Random123 stream
// keyed by (seed, customer)), gets Poisson streams over [0, days): meetings
// (trust-building effort), competitor quotes and referrals (responses), and
// deals. Before a deal the seller may concede (probability concession_share,
// one day before the close) or match a rival price (match_share). Each deal
// is won with probability trust just before it under `truth`, so the
// outcomes carry exactly the evidence model fit_trust assumes; a lost deal's
// reason is `price` with probability price_loss_share. With null = true every
// deal is won with the same probability truth.prior_alpha / (prior_alpha +
// prior_beta) whatever the history: data with no trust signal at all.
#ifndef GOODWILL_SYNTHETIC_TRUST_LEDGER_HPP
#define GOODWILL_SYNTHETIC_TRUST_LEDGER_HPP

#include <goodwill/detail/random.hpp>
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/trust.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace goodwill {

/// Parameters of synthetic_trust_ledger. Rates are per customer and year.
struct trust_ledger_params {
  std::uint32_t customers = 1000;
  double days = 730.0;
  double deals_per_year = 6.0;
  double meetings_per_year = 6.0;
  double quotes_per_year = 2.0;
  double referrals_per_year = 0.5;
  double concession_share = 0.3;
  double match_share = 0.15;
  double price_loss_share = 0.5;
  /// Outcomes independent of the history (win probability = prior mean).
  bool null = false;
  std::uint64_t seed = 1;

  /// Throws invalid_input naming the field.
  void validate() const {
    if (customers == 0)
      throw invalid_input("customers", "must be at least 1");
    if (customers > 100'000'000u)
      throw invalid_input("customers", "at most 100,000,000, got " + std::to_string(customers));
    auto nonneg = [](const char *f, double v, double hi) {
      if (!(std::isfinite(v) && v >= 0.0 && v <= hi))
        throw invalid_input(f,
                            "must be in [0, " + std::to_string(hi) + "], got " + std::to_string(v));
    };
    nonneg("days", days, 36500.0);
    nonneg("deals_per_year", deals_per_year, 365.0);
    nonneg("meetings_per_year", meetings_per_year, 365.0);
    nonneg("quotes_per_year", quotes_per_year, 365.0);
    nonneg("referrals_per_year", referrals_per_year, 365.0);
    nonneg("concession_share", concession_share, 1.0);
    nonneg("match_share", match_share, 1.0);
    nonneg("price_loss_share", price_loss_share, 1.0);
    if (!(days > 0.0))
      throw invalid_input("days", "must be positive");
  }
};

/// A ledger drawn from `truth` (see the design note); dense customer ids.
[[nodiscard]] inline ledger synthetic_trust_ledger(const trust_params &truth,
                                                   const trust_ledger_params &p) {
  truth.validate();
  p.validate();
  ledger out;
  struct pending {
    double t;
    event_kind k;
  };
  std::vector<pending> plan;
  for (std::uint32_t c = 0; c < p.customers; ++c) {
    detail::counter_stream rng(p.seed, c, 7);
    auto uniform = [&] {
      return (static_cast<double>(rng.next() >> 11) + 0.5) * detail::two_pow_minus_53;
    };
    plan.clear();
    auto stream = [&](double per_year, event_kind k) {
      if (per_year <= 0.0)
        return;
      const double rate = per_year / 365.25;
      for (double t = -std::log(uniform()) / rate; t < p.days; t += -std::log(uniform()) / rate)
        plan.push_back({t, k});
    };
    stream(p.meetings_per_year, event_kind::meeting);
    stream(p.quotes_per_year, event_kind::competitor_quote);
    stream(p.referrals_per_year, event_kind::referral_given);
    stream(p.deals_per_year, event_kind::deal_won); // a deal to decide
    std::sort(plan.begin(), plan.end(),
              [](const pending &a, const pending &b) { return a.t < b.t; });
    auto ts = trust_state::prior(truth);
    double prev = -1.0;
    auto emit = [&](double t, event_kind k, double amount, std::int32_t code) {
      out.append(event{c, t, k, amount, code});
      (void)ts.update(truth, k, t, amount, code);
      prev = t;
    };
    for (const auto &e : plan) {
      if (e.k != event_kind::deal_won) {
        emit(e.t, e.k, e.k == event_kind::meeting ? 1.0 : 0.0, 0);
        continue;
      }
      // a concession or a match just before the close (strictly between the
      // previous event and the close, so time order is kept)
      const double before = 0.5 * (std::max(prev, e.t - 0.01) + e.t);
      if (uniform() < p.match_share)
        emit(before, event_kind::price_match, 90.0, 0);
      else if (uniform() < p.concession_share)
        emit(before, event_kind::concession, 5.0, 0);
      // trust just before the close: the evidence so far, faded to e.t
      trust_state probe = ts;
      if (e.t > probe.last_time) {
        const double d = std::exp2(-(e.t - probe.last_time) / truth.half_life_days);
        probe.alpha = truth.prior_alpha + (probe.alpha - truth.prior_alpha) * d;
        probe.beta = truth.prior_beta + (probe.beta - truth.prior_beta) * d;
      }
      const double pw =
          p.null ? truth.prior_alpha / (truth.prior_alpha + truth.prior_beta) : probe.trust();
      if (uniform() < pw) {
        emit(e.t, event_kind::deal_won, 100.0, margin_unknown);
      } else {
        const auto reason =
            uniform() < p.price_loss_share ? loss_reason::price : loss_reason::no_decision;
        emit(e.t, event_kind::deal_lost, 100.0, static_cast<std::int32_t>(reason));
      }
    }
  }
  return out;
}

} // namespace goodwill

#endif // GOODWILL_SYNTHETIC_TRUST_LEDGER_HPP
