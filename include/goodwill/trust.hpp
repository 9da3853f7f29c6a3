// goodwill — trust: Beta(α, β) evidence with forgetting, and the features
// derived from it.
//
// Design: each customer carries Beta(α, β) evidence about "this customer
// trusts us". An event of kind k first lets the evidence gathered so far fade
// toward the prior, then adds positive[k] to α and negative[k] to β:
//
//     d      = 2^(-(t - t_prev) / half_life_days)          (d = 1 on the first event)
//     α      = α0 + (α - α0) · d ,   β = β0 + (β - β0) · d
//     α     += positive[k] ,         β += negative[k]
//     trust  = α / (α + β)                                 in (0, 1)
//
// Three features the seeds tie to trust ("how engaged, how loyal and how price
// sensitive a customer is directly correlates with how much they trust us",
// seed 000) are derived from it, each in [0, 1]:
//
//     engagement        = trust · A / (A + s)
//         A: interactions (every kind but churn and fire), each fading with
//            activity_half_life_days; s = engagement_saturation (A = s gives ½).
//     loyalty           = (trust + (W + 1) / (W + L + 2)) / 2
//         W = deals won + purchases, L = deals lost + churns (lifetime counts;
//         the Laplace-smoothed record is ½ with no history).
//     price_sensitivity = ((1 - trust) + (P + ½) / (D + 1)) / 2
//         D: deal events (proposal, competitor_quote, concession, price_match,
//            scope_change, alternative_offered, deal_won, deal_lost, purchase),
//         P: the price events among them (competitor_quote, concession,
//            price_match), both fading with activity_half_life_days; P ≤ D,
//            so the smoothed share lies in (0, 1).
//
// Features are those at the customer's latest event (evidence does not keep
// fading in a snapshot taken later). Updates allocate nothing and call exp2
// only when time has passed.
#ifndef GOODWILL_TRUST_HPP
#define GOODWILL_TRUST_HPP

#include <goodwill/error.hpp>
#include <goodwill/event.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

namespace goodwill {

namespace detail {

constexpr std::size_t kind_index(event_kind k) noexcept {
  return static_cast<std::size_t>(k);
}

/// Kinds that count as an interaction for engagement (all but churn, fire).
constexpr bool is_interaction(event_kind k) noexcept {
  return k != event_kind::churn && k != event_kind::fire;
}

/// Kinds that are part of a deal (the denominator of the price share).
constexpr bool is_deal_event(event_kind k) noexcept {
  switch (k) {
  case event_kind::proposal:
  case event_kind::competitor_quote:
  case event_kind::concession:
  case event_kind::price_match:
  case event_kind::scope_change:
  case event_kind::alternative_offered:
  case event_kind::deal_won:
  case event_kind::deal_lost:
  case event_kind::purchase:
    return true;
  default:
    return false;
  }
}

/// Kinds that are about price (the numerator of the price share).
constexpr bool is_price_event(event_kind k) noexcept {
  return k == event_kind::competitor_quote || k == event_kind::concession ||
         k == event_kind::price_match;
}

} // namespace detail

/// Parameters of the trust evidence and of the derived features.
struct trust_params {
  /// Half-life of trust evidence, in days.
  double half_life_days = 180.0;
  /// Prior evidence: trust starts at prior_alpha / (prior_alpha + prior_beta).
  double prior_alpha = 1.0;
  double prior_beta = 1.0;
  /// Evidence added to α (positive) and β (negative) per event kind.
  std::array<double, event_kind_count> positive{};
  std::array<double, event_kind_count> negative{};
  /// Half-life, in days, of the activity counts behind engagement and
  /// price sensitivity.
  double activity_half_life_days = 30.0;
  /// Decayed interaction count at which engagement is half of trust.
  double engagement_saturation = 2.0;

  /// The defaults, justified from the seeds (see the comments inside).
  [[nodiscard]] static trust_params defaults() {
    trust_params p;
    auto pos = [&](event_kind k, double w) { p.positive[detail::kind_index(k)] = w; };
    auto neg = [&](event_kind k, double w) { p.negative[detail::kind_index(k)] = w; };
    // Prior Beta(1, 1): trust ½ and weak, so a few events decide it.
    // Half-life 180 days: a relationship remembers about two quarters.
    //
    // Trust builders. Seed 000: "understanding the customer and their world,
    // their pain" -> discovery counts more than a meeting. Seed 003: regular
    // meetings, exploring "through their eyes". Keeping a promise is direct
    // evidence of trustworthiness (seed 003: "they want to trust that you
    // have their best interests at heart"). A referral is the strongest
    // signal (seed 001: experiences customers "will tell their friends
    // about"; seed 003: "convinces customers to call you").
    pos(event_kind::meeting, 0.5);
    pos(event_kind::discovery, 1.0);
    pos(event_kind::promise_kept, 2.0);
    pos(event_kind::referral_given, 3.0);
    pos(event_kind::deal_won, 1.0);
    pos(event_kind::purchase, 0.25);
    pos(event_kind::support, 0.25);
    // Seed 001: offering alternatives instead of acquiescing to a late scope
    // cut explores a win-win; seed 002: customers we lost well come back.
    pos(event_kind::alternative_offered, 0.5);
    pos(event_kind::returned, 1.0);
    // The transactional game (seed 000): "they negotiate us down and shop
    // around ... we either meet or beat the price" - the downward spiral.
    neg(event_kind::price_match, 1.5);
    neg(event_kind::competitor_quote, 0.5);
    neg(event_kind::concession, 0.5);
    // Seed 001: a late scope trim is a yellow light, not yet a breach.
    neg(event_kind::scope_change, 0.25);
    // Broken promises and service failures are direct evidence against
    // trust (seed 002: "the service hasn't matched their expectations, or
    // the product hasn't delivered what was promised").
    neg(event_kind::promise_broken, 3.0);
    neg(event_kind::service_issue, 2.0);
    // Seed 002: losing a deal "doesn't always mean the end of a
    // relationship": small. Seed 000: walking away from a sale is not
    // walking away from the customer: small.
    neg(event_kind::deal_lost, 0.25);
    neg(event_kind::walk_away, 0.25);
    // The relationship ended, by them or by us: large.
    neg(event_kind::churn, 3.0);
    neg(event_kind::fire, 3.0);
    // lead, proposal, custom_request: no evidence either way.
    return p;
  }

  /// Throws invalid_input naming the field ("positive[price_match]") if a
  /// half-life is not positive and finite, a prior is not positive and
  /// finite, or a weight is not finite and non-negative.
  void validate() const {
    auto positive_finite = [](const char *field, double v) {
      if (!(std::isfinite(v) && v > 0.0))
        throw invalid_input(field, "must be positive and finite, got " + std::to_string(v));
    };
    positive_finite("half_life_days", half_life_days);
    positive_finite("activity_half_life_days", activity_half_life_days);
    positive_finite("prior_alpha", prior_alpha);
    positive_finite("prior_beta", prior_beta);
    positive_finite("engagement_saturation", engagement_saturation);
    for (std::size_t i = 0; i < event_kind_count; ++i) {
      for (int side = 0; side < 2; ++side) {
        const double w = side == 0 ? positive[i] : negative[i];
        if (!(std::isfinite(w) && w >= 0.0))
          throw invalid_input(std::string(side == 0 ? "positive[" : "negative[") +
                                  std::string(event_kind_names[i]) + "]",
                              "must be finite and non-negative, got " + std::to_string(w));
      }
    }
  }
};

namespace detail {
/// The fading factors (2^(-dt / half_life), 2^(-dt / activity_half_life))
/// of recent time steps dt, in a small direct-mapped table: a hit needs the
/// exact same dt (and parameters), so its factors are those exp2 gives.
class fade_cache {
public:
  std::pair<double, double> operator()(const trust_params &p, double dt) noexcept {
    if (p.half_life_days != half_life_ || p.activity_half_life_days != activity_half_life_) {
      for (auto &e : slots_)
        e.dt = std::numeric_limits<double>::quiet_NaN();
      half_life_ = p.half_life_days;
      activity_half_life_ = p.activity_half_life_days;
    }
    std::uint64_t bits = 0;
    std::memcpy(&bits, &dt, sizeof bits);
    auto &e = slots_[(bits ^ (bits >> 29) ^ (bits >> 45)) & (slots_.size() - 1)];
    if (e.dt != dt) {
      e.dt = dt;
      e.d = std::exp2(-dt / p.half_life_days);
      e.da = std::exp2(-dt / p.activity_half_life_days);
    }
    return {e.d, e.da};
  }

private:
  struct entry {
    double dt = std::numeric_limits<double>::quiet_NaN(), d = 1.0, da = 1.0;
  };
  std::array<entry, 256> slots_{};
  double half_life_ = std::numeric_limits<double>::quiet_NaN();
  double activity_half_life_ = std::numeric_limits<double>::quiet_NaN();
};
} // namespace detail

/// One customer's evidence: trust and the activity behind the features.
struct trust_state {
  double alpha = 1.0;
  double beta = 1.0;
  /// Time of the latest event; NaN before the first.
  double last_time = std::numeric_limits<double>::quiet_NaN();
  /// Decayed counts (activity half-life): interactions, deal and price events.
  double activity = 0.0;
  double deal_events = 0.0;
  double price_events = 0.0;
  /// Lifetime record for loyalty: wins (deals won + purchases) and losses
  /// (deals lost + churns).
  double wins = 0.0;
  double losses = 0.0;

  /// The state before any event, at the prior.
  [[nodiscard]] static trust_state prior(const trust_params &p) noexcept {
    trust_state s;
    s.alpha = p.prior_alpha;
    s.beta = p.prior_beta;
    return s;
  }

  /// Observe an event of kind k at time t (t must not precede last_time;
  /// an earlier t is treated as no time passing).
  void update(const trust_params &p, event_kind k, double t) noexcept {
    update(p, k, t, [&p](double dt) {
      return std::pair{std::exp2(-dt / p.half_life_days),
                       std::exp2(-dt / p.activity_half_life_days)};
    });
  }
  /// The same, with the fading factors of a time step remembered in `cache`
  /// (for streams whose steps repeat, as the simulator's do); the result is
  /// bit-identical to update(p, k, t).
  void update(const trust_params &p, event_kind k, double t, detail::fade_cache &cache) noexcept {
    update(p, k, t, [&](double dt) { return cache(p, dt); });
  }

private:
  template <class Fade> void update(const trust_params &p, event_kind k, double t, Fade fade) noexcept {
    if (t > last_time) { // false on the first event (NaN) and when dt == 0
      const double dt = t - last_time;
      const auto [d, da] = fade(dt);
      alpha = p.prior_alpha + (alpha - p.prior_alpha) * d;
      beta = p.prior_beta + (beta - p.prior_beta) * d;
      activity *= da;
      deal_events *= da;
      price_events *= da;
    }
    if (!(last_time >= t)) // keep the latest time (also replaces NaN)
      last_time = t;
    const std::size_t i = detail::kind_index(k);
    alpha += p.positive[i];
    beta += p.negative[i];
    activity += detail::is_interaction(k) ? 1.0 : 0.0;
    deal_events += detail::is_deal_event(k) ? 1.0 : 0.0;
    price_events += detail::is_price_event(k) ? 1.0 : 0.0;
    wins += (k == event_kind::deal_won || k == event_kind::purchase) ? 1.0 : 0.0;
    losses += (k == event_kind::deal_lost || k == event_kind::churn) ? 1.0 : 0.0;
  }

public:

  /// α / (α + β).
  [[nodiscard]] double trust() const noexcept { return alpha / (alpha + beta); }

  /// trust · A / (A + s).
  [[nodiscard]] double engagement(const trust_params &p) const noexcept {
    return trust() * activity / (activity + p.engagement_saturation);
  }

  /// (trust + (W + 1) / (W + L + 2)) / 2.
  [[nodiscard]] double loyalty() const noexcept {
    return 0.5 * (trust() + (wins + 1.0) / (wins + losses + 2.0));
  }

  /// ((1 - trust) + (P + ½) / (D + 1)) / 2.
  [[nodiscard]] double price_sensitivity() const noexcept {
    return 0.5 * ((1.0 - trust()) + (price_events + 0.5) / (deal_events + 1.0));
  }
};

} // namespace goodwill

#endif // GOODWILL_TRUST_HPP
