// goodwill — trust: Beta(α, β) evidence with forgetting, fed by evidence
// channels, and the features derived from it.
//
// Design: each customer carries Beta(α, β) evidence about "this customer
// trusts us". Every event falls into one evidence channel (evidence_channel
// below): a refinement of its kind by what the event says about how the
// customer responded: a deal won at list, after a concession or after a
// price match (the deal's concessions and matches since the previous close),
// a deal lost on price or otherwise (the loss reason), a purchase or a
// refund (the amount's sign), a scope cut or an addition. Every other kind is
// its own channel. An event of channel c first lets the evidence gathered so
// far fade toward the prior with a half-life, then adds positive[c] to α and
// negative[c] to β:
//
//     d      = 2^(-(t - t_prev) / half_life_days)          (d = 1 on the first event)
//     α      = α0 + (α - α0) · d ,   β = β0 + (β - β0) · d
//     α     += positive[c] ,         β += negative[c]
//     trust  = α / (α + β)                                 in (0, 1)
//
// so α = α0 + Σ_j positive[c_j] · 2^(-(t - t_j)/h) exactly (and β alike):
// trust decomposes into per-event contributions (trust_fit.hpp).
//
// Trust is measured from the customer's responses: the default weights put
// evidence on response channels only (event_role::response in event.hpp) and
// none on the seller's effort; whether effort raises trust is estimated by
// fit_trust (relationship/trust_fit.hpp), which fits these weights, the prior
// and the half-life to a ledger. The defaults are the fit's prior.
//
// Three features the seeds tie to trust ("how engaged, how loyal and how price
// sensitive a customer is directly correlates with how much they trust us",
// seed 000) are derived from it, each in [0, 1]:
//
//     engagement        = trust · A / (A + s)
//         A: interactions (event_kind_traits::interaction), each fading with
//            activity_half_life_days; s = engagement_saturation (A = s gives ½).
//     loyalty           = (trust + (W + 1) / (W + L + 2)) / 2
//         W = deals won + purchases, L = deals lost + churns (lifetime counts;
//         the Laplace-smoothed record is ½ with no history).
//     price_sensitivity = ((1 - trust) + (P + ½) / (D + 1)) / 2
//         D: deal events (event_kind_traits::deal_event), P: the price events
//            among them (price_event), both fading with
//            activity_half_life_days; P ≤ D, so the smoothed share lies in (0, 1).
//
// Features are those at the customer's latest event (evidence does not keep
// fading in a snapshot taken later). Updates allocate nothing and call exp2
// only when time has passed.
#ifndef GOODWILL_RELATIONSHIP_TRUST_HPP
#define GOODWILL_RELATIONSHIP_TRUST_HPP

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace goodwill {

/// Where an event's trust evidence goes: its kind, refined for deals won
/// and lost, purchases and scope changes by what the event says about the
/// customer's response. Codes are stable (appended only).
enum class evidence_channel : std::uint8_t {
  won_at_list = 0,          ///< deal_won with no concession or match since the last close
  won_after_concession = 1, ///< deal_won after a concession (and no match)
  won_after_match = 2,      ///< deal_won after a price match
  lost_on_price = 3,        ///< deal_lost, reason price
  lost_other = 4,           ///< deal_lost, any other reason
  purchase = 5,             ///< purchase, amount >= 0
  refund = 6,               ///< purchase, amount < 0
  competitor_quote = 7,     ///< the customer cited a rival quote
  scope_cut = 8,            ///< scope_change, amount < 0 (a late cut)
  scope_added = 9,          ///< scope_change, amount >= 0
  referral = 10,            ///< referral_given
  returned = 11,            ///< return
  churn = 12,               ///< churn
  meeting = 13,
  discovery = 14,
  proposal = 15,
  concession = 16,
  price_match = 17,
  alternative_offered = 18,
  service_issue = 19,
  promise_kept = 20,
  promise_broken = 21,
  support = 22,
  custom_request = 23,
  walk_away = 24,
  fire = 25,
  lead = 26,
  opportunity = 27,
};

/// Number of evidence channels.
inline constexpr std::size_t evidence_channel_count = 28;

/// Which side of the evidence a channel feeds when fit_trust estimates its
/// weight (the other side stays 0): α (trust) or β (distrust), or neither.
enum class evidence_side : std::uint8_t { none = 0, alpha = 1, beta = 2 };
template <> struct enum_traits<evidence_side> {
  static constexpr std::array<std::string_view, 3> names{"none", "alpha", "beta"};
};

/// One row of the channel table.
struct evidence_channel_traits {
  evidence_channel channel;
  std::string_view name;
  event_kind kind;    ///< the kind whose events fall into this channel
  evidence_side side; ///< the side fit_trust estimates
};

/// The channel table (code order). Sides of the responses: a win, a purchase,
/// a referral or a return is evidence of trust; a win after a price match is
/// the meet-or-beat game (seed 000) and counts against, as do losses, rival
/// quotes, refunds, scope cuts (seed 001) and churn. Effort sides say which
/// way fit_trust tests it: trust-building effort toward α, the price game and
/// broken commitments toward β; proposals, custom work, the seller's
/// decisions and neutral records are not fitted.
inline constexpr std::array<evidence_channel_traits, evidence_channel_count> evidence_channel_table{
    {
        {evidence_channel::won_at_list, "won_at_list", event_kind::deal_won, evidence_side::alpha},
        {evidence_channel::won_after_concession, "won_after_concession", event_kind::deal_won,
         evidence_side::alpha},
        {evidence_channel::won_after_match, "won_after_match", event_kind::deal_won,
         evidence_side::beta},
        {evidence_channel::lost_on_price, "lost_on_price", event_kind::deal_lost,
         evidence_side::beta},
        {evidence_channel::lost_other, "lost_other", event_kind::deal_lost, evidence_side::beta},
        {evidence_channel::purchase, "purchase", event_kind::purchase, evidence_side::alpha},
        {evidence_channel::refund, "refund", event_kind::purchase, evidence_side::beta},
        {evidence_channel::competitor_quote, "competitor_quote", event_kind::competitor_quote,
         evidence_side::beta},
        {evidence_channel::scope_cut, "scope_cut", event_kind::scope_change, evidence_side::beta},
        {evidence_channel::scope_added, "scope_added", event_kind::scope_change,
         evidence_side::alpha},
        {evidence_channel::referral, "referral", event_kind::referral_given, evidence_side::alpha},
        {evidence_channel::returned, "returned", event_kind::returned, evidence_side::alpha},
        {evidence_channel::churn, "churn", event_kind::churn, evidence_side::beta},
        {evidence_channel::meeting, "meeting", event_kind::meeting, evidence_side::alpha},
        {evidence_channel::discovery, "discovery", event_kind::discovery, evidence_side::alpha},
        {evidence_channel::proposal, "proposal", event_kind::proposal, evidence_side::none},
        {evidence_channel::concession, "concession", event_kind::concession, evidence_side::beta},
        {evidence_channel::price_match, "price_match", event_kind::price_match,
         evidence_side::beta},
        {evidence_channel::alternative_offered, "alternative_offered",
         event_kind::alternative_offered, evidence_side::alpha},
        {evidence_channel::service_issue, "service_issue", event_kind::service_issue,
         evidence_side::beta},
        {evidence_channel::promise_kept, "promise_kept", event_kind::promise_kept,
         evidence_side::alpha},
        {evidence_channel::promise_broken, "promise_broken", event_kind::promise_broken,
         evidence_side::beta},
        {evidence_channel::support, "support", event_kind::support, evidence_side::alpha},
        {evidence_channel::custom_request, "custom_request", event_kind::custom_request,
         evidence_side::none},
        {evidence_channel::walk_away, "walk_away", event_kind::walk_away, evidence_side::none},
        {evidence_channel::fire, "fire", event_kind::fire, evidence_side::none},
        {evidence_channel::lead, "lead", event_kind::lead, evidence_side::none},
        {evidence_channel::opportunity, "opportunity", event_kind::opportunity,
         evidence_side::none},
    }};

namespace detail {
constexpr bool channel_table_in_code_order() noexcept {
  for (std::size_t i = 0; i < evidence_channel_count; ++i)
    if (static_cast<std::size_t>(evidence_channel_table[i].channel) != i)
      return false;
  return true;
}
} // namespace detail
static_assert(detail::channel_table_in_code_order(),
              "evidence_channel_table must be in code order");

/// The traits of a channel.
[[nodiscard]] constexpr const evidence_channel_traits &traits(evidence_channel c) noexcept {
  return evidence_channel_table[static_cast<std::size_t>(c)];
}

/// The channel with this name, if any.
[[nodiscard]] constexpr std::optional<evidence_channel>
evidence_channel_from_string(std::string_view name) noexcept {
  for (const auto &row : evidence_channel_table)
    if (row.name == name)
      return row.channel;
  return std::nullopt;
}

/// What a customer's open deal has seen since its previous close: the
/// context that tells a win at list from a win after a concession or match.
struct deal_context {
  bool conceded = false;
  bool matched = false;
};

/// The channel of an event, given its deal context (which it then updates:
/// concessions and matches mark it, a close clears it).
[[nodiscard]] constexpr evidence_channel channel_of(event_kind k, double amount, std::int32_t code,
                                                    deal_context &ctx) noexcept {
  switch (k) {
  case event_kind::deal_won: {
    const auto c = ctx.matched    ? evidence_channel::won_after_match
                   : ctx.conceded ? evidence_channel::won_after_concession
                                  : evidence_channel::won_at_list;
    ctx = {};
    return c;
  }
  case event_kind::deal_lost:
    ctx = {};
    return code == static_cast<std::int32_t>(loss_reason::price) ? evidence_channel::lost_on_price
                                                                 : evidence_channel::lost_other;
  case event_kind::purchase:
    return amount < 0.0 ? evidence_channel::refund : evidence_channel::purchase;
  case event_kind::scope_change:
    return amount < 0.0 ? evidence_channel::scope_cut : evidence_channel::scope_added;
  case event_kind::concession:
    ctx.conceded = true;
    return evidence_channel::concession;
  case event_kind::price_match:
    ctx.matched = true;
    return evidence_channel::price_match;
  case event_kind::competitor_quote:
    return evidence_channel::competitor_quote;
  case event_kind::referral_given:
    return evidence_channel::referral;
  case event_kind::returned:
    return evidence_channel::returned;
  case event_kind::churn:
    return evidence_channel::churn;
  case event_kind::meeting:
    return evidence_channel::meeting;
  case event_kind::discovery:
    return evidence_channel::discovery;
  case event_kind::proposal:
    return evidence_channel::proposal;
  case event_kind::alternative_offered:
    return evidence_channel::alternative_offered;
  case event_kind::service_issue:
    return evidence_channel::service_issue;
  case event_kind::promise_kept:
    return evidence_channel::promise_kept;
  case event_kind::promise_broken:
    return evidence_channel::promise_broken;
  case event_kind::support:
    return evidence_channel::support;
  case event_kind::custom_request:
    return evidence_channel::custom_request;
  case event_kind::walk_away:
    return evidence_channel::walk_away;
  case event_kind::fire:
    return evidence_channel::fire;
  case event_kind::lead:
    return evidence_channel::lead;
  case event_kind::opportunity:
    return evidence_channel::opportunity;
  }
  return evidence_channel::lead; // unreachable for a valid kind
}

namespace detail {

constexpr std::size_t kind_index(event_kind k) noexcept {
  return static_cast<std::size_t>(k);
}
constexpr std::size_t channel_index(evidence_channel c) noexcept {
  return static_cast<std::size_t>(c);
}

} // namespace detail

/// Parameters of the trust evidence and of the derived features.
struct trust_params {
  /// Half-life of trust evidence, in days.
  double half_life_days = 180.0;
  /// Prior evidence: trust starts at prior_alpha / (prior_alpha + prior_beta).
  double prior_alpha = 1.0;
  double prior_beta = 1.0;
  /// Evidence added to α (positive) and β (negative) per evidence channel.
  std::array<double, evidence_channel_count> positive{};
  std::array<double, evidence_channel_count> negative{};
  /// Half-life, in days, of the activity counts behind engagement and
  /// price sensitivity.
  double activity_half_life_days = 30.0;
  /// Decayed interaction count at which engagement is half of trust.
  double engagement_saturation = 2.0;

  /// The defaults: the prior of fit_trust, set from the seeds. Evidence on
  /// the customer's responses only; the seller's effort carries none.
  [[nodiscard]] static trust_params defaults() {
    trust_params p;
    auto pos = [&](evidence_channel c, double w) { p.positive[detail::channel_index(c)] = w; };
    auto neg = [&](evidence_channel c, double w) { p.negative[detail::channel_index(c)] = w; };
    // Prior Beta(1, 1): trust ½ and weak, so a few responses decide it.
    // Half-life 180 days: a relationship remembers about two quarters.
    //
    // A referral is the strongest signal (seed 001: experiences customers
    // "will tell their friends about"; seed 003: "convinces customers to
    // call you"). A deal won at our price is evidence of trust, one won only
    // after a concession less so; one won by meeting or beating a rival's
    // price is the transactional game (seed 000) and counts against. A
    // customer who comes back (seed 002) is evidence of trust.
    pos(evidence_channel::referral, 3.0);
    pos(evidence_channel::won_at_list, 1.0);
    pos(evidence_channel::won_after_concession, 0.5);
    pos(evidence_channel::purchase, 0.25);
    pos(evidence_channel::returned, 1.0);
    pos(evidence_channel::scope_added, 0.25);
    neg(evidence_channel::won_after_match, 0.5);
    // "They negotiate us down and shop around ... and then tell us that they
    // have a better price elsewhere" (seed 000).
    neg(evidence_channel::competitor_quote, 0.5);
    neg(evidence_channel::lost_on_price, 1.0);
    // Seed 002: losing a deal "doesn't always mean the end of a
    // relationship": small.
    neg(evidence_channel::lost_other, 0.25);
    neg(evidence_channel::refund, 0.5);
    // Seed 001: a late scope trim is a yellow light, not yet a breach.
    neg(evidence_channel::scope_cut, 0.25);
    // The customer left: large.
    neg(evidence_channel::churn, 3.0);
    return p;
  }

  /// The largest prior count and evidence weight taken: α and β sum
  /// priors, weights and faded evidence, and counts near 1e308 overflow to
  /// infinity (trust 0/0); 1e9 events' worth of evidence is far beyond any
  /// ledger.
  static constexpr double max_evidence = 1e9;

  /// Throws invalid_input naming the field ("positive[price_match]") if a
  /// half-life is not positive and finite, a prior is not positive, finite
  /// and at most max_evidence, or a weight is not finite, non-negative and
  /// at most max_evidence.
  void validate() const {
    auto positive_finite = [](const char *field, double v) {
      if (!(std::isfinite(v) && v > 0.0))
        throw invalid_input(field, "must be positive and finite, got " + std::to_string(v));
    };
    auto bounded = [](const std::string &field, double v) {
      if (v > max_evidence)
        throw invalid_input(field, "must be at most " + std::to_string(max_evidence) + ", got " +
                                       std::to_string(v));
    };
    positive_finite("half_life_days", half_life_days);
    positive_finite("activity_half_life_days", activity_half_life_days);
    positive_finite("prior_alpha", prior_alpha);
    positive_finite("prior_beta", prior_beta);
    positive_finite("engagement_saturation", engagement_saturation);
    bounded("prior_alpha", prior_alpha);
    bounded("prior_beta", prior_beta);
    for (std::size_t i = 0; i < evidence_channel_count; ++i) {
      for (int side = 0; side < 2; ++side) {
        const double w = side == 0 ? positive[i] : negative[i];
        const std::string field = std::string(side == 0 ? "positive[" : "negative[") +
                                  std::string(evidence_channel_table[i].name) + "]";
        if (!(std::isfinite(w) && w >= 0.0))
          throw invalid_input(field, "must be finite and non-negative, got " + std::to_string(w));
        bounded(field, w);
      }
    }
  }
};

namespace detail {
/// What an event of each kind adds to trust_state's counts (0 or 1 each),
/// read as one row instead of five tests per event.
struct count_increments {
  double activity, deal_events, price_events, wins, losses;
};
[[nodiscard]] constexpr std::array<count_increments, event_kind_count>
make_count_increments() noexcept {
  std::array<count_increments, event_kind_count> out{};
  for (std::size_t i = 0; i < event_kind_count; ++i) {
    const auto k = static_cast<event_kind>(i);
    const event_kind_traits &kt = traits(k);
    out[i] = {kt.interaction ? 1.0 : 0.0, kt.deal_event ? 1.0 : 0.0, kt.price_event ? 1.0 : 0.0,
              traits(k).earns_revenue ? 1.0 : 0.0,
              (k == event_kind::deal_lost || k == event_kind::churn) ? 1.0 : 0.0};
  }
  return out;
}
inline constexpr std::array<count_increments, event_kind_count> count_increment_table =
    make_count_increments();

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
  /// The open deal's concessions and matches since the previous close.
  deal_context deal{};

  /// The state before any event, at the prior.
  [[nodiscard]] static trust_state prior(const trust_params &p) noexcept {
    trust_state s;
    s.alpha = p.prior_alpha;
    s.beta = p.prior_beta;
    return s;
  }

  /// Observe an event of kind k at time t with its amount and detail (t
  /// must not precede last_time; an earlier t is treated as no time
  /// passing). Returns the event's evidence channel.
  evidence_channel update(const trust_params &p, event_kind k, double t, double amount,
                          std::int32_t code) noexcept {
    return update(p, k, t, amount, code, [&p](double dt) {
      return std::pair{std::exp2(-dt / p.half_life_days),
                       std::exp2(-dt / p.activity_half_life_days)};
    });
  }
  /// The same for an event whose amount is 0 and detail 0 (a purchase, not a
  /// refund; a loss of unspecified reason).
  evidence_channel update(const trust_params &p, event_kind k, double t) noexcept {
    return update(p, k, t, 0.0, 0);
  }
  evidence_channel update(const trust_params &p, event_kind k, double t,
                          detail::fade_cache &cache) noexcept {
    return update(p, k, t, 0.0, 0, cache);
  }
  /// The same, with the fading factors of a time step remembered in `cache`
  /// (for streams whose steps repeat, as the simulator's do); the result is
  /// bit-identical.
  evidence_channel update(const trust_params &p, event_kind k, double t, double amount,
                          std::int32_t code, detail::fade_cache &cache) noexcept {
    return update(p, k, t, amount, code, [&](double dt) { return cache(p, dt); });
  }

  /// The same, with the fading factors of a time step dt > 0 given by
  /// `fade(dt)`: the pair (2^(-dt / half_life_days), 2^(-dt /
  /// activity_half_life_days)) as the other overloads compute them (for a
  /// caller that knows its steps; the policy simulator).
  template <class Fade>
  evidence_channel update_faded(const trust_params &p, event_kind k, double t, double amount,
                                std::int32_t code, Fade fade) noexcept {
    return update(p, k, t, amount, code, fade);
  }

private:
  template <class Fade>
  [[gnu::always_inline]] evidence_channel update(const trust_params &p, event_kind k, double t,
                                                 double amount, std::int32_t code,
                                                 Fade fade) noexcept {
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
    const evidence_channel c = channel_of(k, amount, code, deal);
    const std::size_t i = detail::channel_index(c);
    alpha += p.positive[i];
    beta += p.negative[i];
    const detail::count_increments &inc =
        detail::count_increment_table[static_cast<std::size_t>(k)];
    activity += inc.activity;
    deal_events += inc.deal_events;
    price_events += inc.price_events;
    wins += inc.wins;
    losses += inc.losses;
    return c;
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

#endif // GOODWILL_RELATIONSHIP_TRUST_HPP
