// goodwill — the synthetic-customer model shared by the market generator
// (market.hpp, goodwill.synthetic_market) and the policy simulator
// (simulation.hpp, goodwill.simulate).
//
// Design: one archetype table (the seeds' cast: loyal partner, price
// shopper, win-lose negotiator, RFP idea-taker, growing account), written
// once below with designated initialisers, and one `market_model` holding
// that table, the lead channels, the default mix and the parameters and
// switches of the behavioural mechanisms the simulator speaks to. Both
// generators read their rates from a market_model; Python reads the table
// (goodwill.market_model()) and passes changed copies back. Units are in
// the field names' comments: rates per year unless "per month", sizes in
// currency units, shares in [0, 1]. The values live only here; comments
// elsewhere point to this header instead of copying them.
//
// Which generator reads what:
//  - both: deal rate and size, growth, margin at list, repeat orders, rival
//    quotes, late scope cuts, service issues, referrals, churn, return after
//    exit;
//  - synthetic_market only (a statistical event stream): lead sources,
//    discovery, meeting interval, match/concession/walk-away
//    propensities, win probability, promises, support, loss reasons;
//  - simulate only (deals negotiated, policies chosen): the buyer's
//    preferences, and the mechanisms (`mechanisms` switches, each with its
//    own parameters): trust responsiveness to effort, referral-made warm
//    leads, return depending on trust and conduct at exit, losses to rivals,
//    proposal effort, the cost-to-serve of large deals, the seller's
//    authority, meeting saturation, re-trades after agreement (late scope
//    cuts, demands after concessions) and the win-lose exit.
#ifndef GOODWILL_SYNTHETIC_ARCHETYPES_HPP
#define GOODWILL_SYNTHETIC_ARCHETYPES_HPP

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace goodwill {

/// The customer archetypes of the synthetic market and the simulator.
enum class archetype : std::uint8_t {
  loyal_partner = 0,       ///< trusts us, meets monthly, refers others
  price_shopper = 1,       ///< shops every deal around, asks us to match
  win_lose_negotiator = 2, ///< cuts scope late, squeezes, cannot be won over
  rfp_idea_taker = 3,      ///< asks for proposals, takes the ideas, rarely buys (seed 004)
  growing_account = 4,     ///< deal sizes and orders grow over time
};

/// Number of archetypes.
inline constexpr std::size_t archetype_count = 5;

/// Names of the archetypes, indexed by code.
inline constexpr std::array<std::string_view, archetype_count> archetype_names{
    "loyal_partner", "price_shopper", "win_lose_negotiator", "rfp_idea_taker", "growing_account"};
template <> struct enum_traits<archetype> { static constexpr const auto &names = archetype_names; };

/// The name of an archetype ("price_shopper").
[[nodiscard]] constexpr std::string_view to_string(archetype a) noexcept {
  return enum_name(a);
}

/// The archetype with this name, if any.
[[nodiscard]] constexpr std::optional<archetype>
archetype_from_string(std::string_view name) noexcept {
  return enum_from_name<archetype>(name);
}

/// One archetype's behaviour. Rates per year unless noted.
struct archetype_profile {
  // --- read by both generators ---
  double deals_per_year = 0.0;     ///< new deals a year
  double deal_size = 0.0;          ///< median list price of a deal (currency)
  double deal_growth = 0.0;        ///< yearly growth of deal and order size (0.8: +80% a year)
  double margin = 0.0;             ///< gross margin at list price
  double purchases_per_year = 0.0; ///< repeat orders a year
  double order_share = 0.0;        ///< a repeat order's size as a share of the deal size
  double quote_prob = 0.0;         ///< a rival's quote is cited, per deal
  double service_per_year = 0.0;   ///< service issues a year
  double referrals_per_year = 0.0; ///< referrals a year (simulate: at trust 1, × trust²)
  double churn_per_year = 0.0;     ///< churn hazard a year (simulate: × 2(1 − trust))
  double return_share = 0.0;  ///< share of exits that ever come back (simulate: see mechanisms)
  double return_months = 0.0; ///< mean months until a returning customer is back
  // --- synthetic_market only ---
  std::array<double, lead_source_count> lead_sources{}; ///< weights by lead_source
  double discovery_extra = 0.0; ///< Poisson mean of discovery sessions beyond the first
  double meeting_days = 0.0;    ///< mean days between scheduled meetings
  double meeting_jitter = 0.0;  ///< interval × U(1 − jitter, 1 + jitter)
  double match_prob = 0.0;      ///< we match a rival quote
  double beat_prob = 0.0;       ///< we beat it by 3% (given a match)
  double concessions = 0.0;     ///< Poisson mean of concessions per deal
  double concession_size = 0.0; ///< share of the price per concession (mean)
  /// Late scope cut per deal (seed 001). simulate: per agreed deal, right
  /// before signing (mechanism retrades).
  double scope_cut_prob = 0.0;
  double alternative_prob = 0.0; ///< we offer an alternative after a cut
  double walk_away_prob = 0.0;   ///< the seller walks away from the deal
  double fire_prob = 0.0;        ///< the seller fires the customer after a walk-away
  double win_prob = 0.0;         ///< base win probability of a deal
  double promises_per_year = 0.0;
  double broken_share = 0.0;                            ///< share of promises broken
  double support_per_year = 0.0;                        ///< support contacts a year
  std::array<double, loss_reason_count> loss_reasons{}; ///< weights by loss_reason
  double events_per_year = 0.0; ///< measured density; only to reserve memory
  // --- simulate only: the buyer in a negotiated deal ---
  double weight_price = 0.0, weight_scope = 0.0, weight_service = 0.0; ///< buyer's utility weights
  double buyer_concession = 0.0; ///< time-dependent concession exponent; < 0: cites the rival quote
  double buyer_reservation = 0.0;     ///< buyer's reservation utility before trust and quotes
  bool prefers_reduced_scope = false; ///< the scope weight goes to the reduced scope (seed 001)
  // --- simulate only: the mechanisms' per-archetype parameters ---
  /// How strongly the customer's trust responds to the seller's effort
  /// (meetings, discovery, promises kept, support, alternatives): a factor
  /// on those evidence weights. 0: cannot be won over (seed 000's "then and
  /// only then").
  double trust_responsiveness = 1.0;
  /// Chance that a negotiated agreement still goes to a rival, at trust 0.5
  /// (× (1.5 − trust)): every archetype can lose deals.
  double rival_win_prob = 0.0;
  /// Seller hours a proposal takes (custom work, priced at cost_rates).
  double proposal_hours = 0.0;
  /// Chance that, after the seller conceded in a deal (a concession or a
  /// price match), the customer comes back with a further demand once the
  /// deal is agreed (mechanism retrades; seed 001's win-lose negotiator).
  double demand_after_concession_prob = 0.0;
};

/// A lead channel: how prospects become customers.
struct lead_channel {
  double conversion_per_month = 0.0; ///< chance a prospect worked this channel converts, a month
  double cost_per_month = 0.0;       ///< cost of working a prospect on it for a month (currency)
  std::array<double, archetype_count> mix{}; ///< archetype weights of the customers it brings
};

/// Switches of the simulator's mechanisms: `true` runs the mechanism, `false`
/// replaces it by its neutral baseline (see each).
struct mechanism_switches {
  /// Trust responds to effort by archetype (trust_responsiveness). Off: every
  /// archetype responds with factor 1.
  bool trust_responsiveness = true;
  /// Warm leads come from referrals given by customers of the same
  /// neighbourhood of slots (see simulation.hpp). Off: warm leads come at the
  /// warm channel's rate whatever the referrals.
  bool referral_leads = true;
  /// Return after exit depends on the trust at exit and the seller's conduct
  /// (gracious or not; whether the seller owned a firing). Off: every exit
  /// returns with the archetype's return_share, at the same price.
  bool conduct_at_exit = true;
  /// Negotiated agreements can still be lost to a rival (rival_win_prob).
  bool rival_losses = true;
  /// Proposals take seller hours (proposal_hours).
  bool proposal_effort = true;
  /// A deal's cost-to-serve grows with its size (large_deal_*).
  bool large_deal_cost = true;
  /// An authority-limited seller escalates below its threshold: delay
  /// (escalation_loss) and credibility (credibility_cost). Off: every seller
  /// acts as if owning its floor.
  bool seller_authority = true;
  /// Meetings beyond meeting_saturation a month build no trust and tire the
  /// customer (meeting_fatigue). Off: every meeting builds trust alike.
  bool meeting_saturation = true;
  /// Re-trades after agreement (seed 001): right before signing, the
  /// customer cuts the scope late (scope_cut_prob: the deal is delivered at
  /// the reduced scope, at the agreed unit price) and, after the seller
  /// conceded, demands more (demand_after_concession_prob: the seller gives
  /// retrade_concession of list). Drawn from the slot's own second stream,
  /// so with the switch off every other draw is as without the mechanism.
  bool retrades = true;
  /// A policy with exit_win_lose watches each agreed deal for the win-lose
  /// negotiator's responses (the re-trades: a late scope cut, a demand after
  /// a concession; seed 001) and, once the mean signals per agreed deal
  /// reach its win_lose_threshold, exits the relationship gracefully (an
  /// owned firing with no "I told you so", so the return follows
  /// conduct_at_exit). Off: no policy exits on these signals.
  bool win_lose_exit = true;
};

/// Names of the switches, in declaration order.
inline constexpr std::array<std::string_view, 10> mechanism_names{
    "trust_responsiveness", "referral_leads",     "conduct_at_exit",
    "rival_losses",         "proposal_effort",    "large_deal_cost",
    "seller_authority",     "meeting_saturation", "retrades",
    "win_lose_exit"};

/// The switch of the mechanism named `name` (throws invalid_input if unknown).
[[nodiscard]] inline bool &mechanism_switch(mechanism_switches &m, std::string_view name) {
  bool *all[] = {&m.trust_responsiveness, &m.referral_leads,     &m.conduct_at_exit,
                 &m.rival_losses,         &m.proposal_effort,    &m.large_deal_cost,
                 &m.seller_authority,     &m.meeting_saturation, &m.retrades,
                 &m.win_lose_exit};
  for (std::size_t i = 0; i < mechanism_names.size(); ++i)
    if (mechanism_names[i] == name)
      return *all[i];
  throw invalid_input("mechanism", "unknown mechanism '" + std::string(name) + "'");
}

// ---------------------------------------------------------------------------
// The table (the only copy).

namespace archetype_table {
// lead sources: unspecified, warm_referral, cold_call, inbound,
//               existing_customer, event, partner
// loss reasons: unspecified, price, competitor, no_decision, timing, budget,
//               product_fit, relationship, scope, walked_away, other
inline constexpr archetype_profile loyal_partner{
    .deals_per_year = 3,
    .deal_size = 20000,
    .deal_growth = 0.03,
    .margin = 0.35,
    .purchases_per_year = 4,
    .order_share = 0.25,
    .quote_prob = 0.15,
    .service_per_year = 1.0,
    .referrals_per_year = 3,
    .churn_per_year = 0.05,
    .return_share = 0.5,
    .return_months = 6,
    .lead_sources = {0, .60, .05, .15, 0, .10, .10},
    .discovery_extra = 2.0,
    .meeting_days = 30,
    .meeting_jitter = 0.2,
    .match_prob = 0.30,
    .beat_prob = 0.10,
    .concessions = 0.2,
    .concession_size = 0.03,
    .scope_cut_prob = 0.05,
    .alternative_prob = 0.5,
    .walk_away_prob = 0.01,
    .fire_prob = 0.0,
    .win_prob = 0.75,
    .promises_per_year = 4,
    .broken_share = 0.05,
    .support_per_year = 4,
    .loss_reasons = {0, 0, .2, .3, .3, .2, 0, 0, 0, 0, 0},
    .events_per_year = 31,
    .weight_price = .4,
    .weight_scope = .3,
    .weight_service = .3,
    .buyer_concession = 2.0,
    .buyer_reservation = 0.30,
    .prefers_reduced_scope = false,
    .trust_responsiveness = 1.0,
    .rival_win_prob = 0.06,
    .proposal_hours = 4,
    .demand_after_concession_prob = 0.05};
inline constexpr archetype_profile price_shopper{
    .deals_per_year = 4,
    .deal_size = 8000,
    .deal_growth = 0.0,
    .margin = 0.22,
    .purchases_per_year = 1,
    .order_share = 0.30,
    .quote_prob = 0.80,
    .service_per_year = 0.5,
    .referrals_per_year = 0.1,
    .churn_per_year = 0.35,
    .return_share = 0.4,
    .return_months = 6,
    .lead_sources = {0, .05, .35, .45, 0, .15, 0},
    .discovery_extra = 0.3,
    .meeting_days = 120,
    .meeting_jitter = 0.9,
    .match_prob = 0.75,
    .beat_prob = 0.30,
    .concessions = 1.0,
    .concession_size = 0.05,
    .scope_cut_prob = 0.10,
    .alternative_prob = 0.3,
    .walk_away_prob = 0.05,
    .fire_prob = 0.10,
    .win_prob = 0.50,
    .promises_per_year = 2,
    .broken_share = 0.15,
    .support_per_year = 2,
    .loss_reasons = {0, .6, .2, .1, 0, .1, 0, 0, 0, 0, 0},
    .events_per_year = 20,
    .weight_price = .8,
    .weight_scope = .1,
    .weight_service = .1,
    .buyer_concession = 0.5,
    .buyer_reservation = 0.40,
    .prefers_reduced_scope = false,
    .trust_responsiveness = 0.5,
    .rival_win_prob = 0.20,
    .proposal_hours = 3,
    .demand_after_concession_prob = 0.15};
inline constexpr archetype_profile win_lose_negotiator{
    .deals_per_year = 2.5,
    .deal_size = 25000,
    .deal_growth = 0.0,
    .margin = 0.20,
    .purchases_per_year = 0.5,
    .order_share = 0.20,
    .quote_prob = 0.50,
    .service_per_year = 0.8,
    .referrals_per_year = 0.05,
    .churn_per_year = 0.25,
    .return_share = 0.2,
    .return_months = 6,
    .lead_sources = {0, .05, .45, .35, 0, .15, 0},
    .discovery_extra = 0.8,
    .meeting_days = 60,
    .meeting_jitter = 0.5,
    .match_prob = 0.50,
    .beat_prob = 0.20,
    .concessions = 1.5,
    .concession_size = 0.06,
    .scope_cut_prob = 0.50,
    .alternative_prob = 0.5,
    .walk_away_prob = 0.15,
    .fire_prob = 0.30,
    .win_prob = 0.50,
    .promises_per_year = 4,
    .broken_share = 0.35,
    .support_per_year = 4,
    .loss_reasons = {0, .3, .1, .2, 0, 0, 0, .2, .2, 0, 0},
    .events_per_year = 20,
    .weight_price = .75,
    .weight_scope = .15,
    .weight_service = .1,
    .buyer_concession = -1.0,
    .buyer_reservation = 0.45,
    .prefers_reduced_scope = true,
    .trust_responsiveness = 0.0,
    .rival_win_prob = 0.15,
    .proposal_hours = 8,
    .demand_after_concession_prob = 0.70};
inline constexpr archetype_profile rfp_idea_taker{
    .deals_per_year = 2,
    .deal_size = 30000,
    .deal_growth = 0.0,
    .margin = 0.25,
    .purchases_per_year = 0.2,
    .order_share = 0.10,
    .quote_prob = 0.90,
    .service_per_year = 0.3,
    .referrals_per_year = 0.0,
    .churn_per_year = 0.40,
    .return_share = 0.1,
    .return_months = 6,
    .lead_sources = {0, .02, .20, .60, 0, .18, 0},
    .discovery_extra = 0.5,
    .meeting_days = 90,
    .meeting_jitter = 0.5,
    .match_prob = 0.50,
    .beat_prob = 0.20,
    .concessions = 1.0,
    .concession_size = 0.05,
    .scope_cut_prob = 0.20,
    .alternative_prob = 0.3,
    .walk_away_prob = 0.10,
    .fire_prob = 0.10,
    .win_prob = 0.15,
    .promises_per_year = 2,
    .broken_share = 0.30,
    .support_per_year = 1,
    .loss_reasons = {0, .2, .5, .2, 0, .1, 0, 0, 0, 0, 0},
    .events_per_year = 15,
    .weight_price = .6,
    .weight_scope = .3,
    .weight_service = .1,
    .buyer_concession = 0.2,
    .buyer_reservation = 0.70,
    .prefers_reduced_scope = false,
    .trust_responsiveness = 0.2,
    .rival_win_prob = 0.60,
    .proposal_hours = 24,
    .demand_after_concession_prob = 0.15};
inline constexpr archetype_profile growing_account{
    .deals_per_year = 3,
    .deal_size = 10000,
    .deal_growth = 0.80,
    .margin = 0.30,
    .purchases_per_year = 8,
    .order_share = 0.15,
    .quote_prob = 0.30,
    .service_per_year = 0.7,
    .referrals_per_year = 1,
    .churn_per_year = 0.08,
    .return_share = 0.5,
    .return_months = 6,
    .lead_sources = {0, .40, .20, .30, 0, 0, .10},
    .discovery_extra = 1.5,
    .meeting_days = 30,
    .meeting_jitter = 0.2,
    .match_prob = 0.40,
    .beat_prob = 0.10,
    .concessions = 0.4,
    .concession_size = 0.04,
    .scope_cut_prob = 0.05,
    .alternative_prob = 0.5,
    .walk_away_prob = 0.02,
    .fire_prob = 0.0,
    .win_prob = 0.65,
    .promises_per_year = 4,
    .broken_share = 0.10,
    .support_per_year = 4,
    .loss_reasons = {0, 0, .25, .25, .25, .25, 0, 0, 0, 0, 0},
    .events_per_year = 33,
    .weight_price = .4,
    .weight_scope = .4,
    .weight_service = .2,
    .buyer_concession = 1.0,
    .buyer_reservation = 0.30,
    .prefers_reduced_scope = false,
    .trust_responsiveness = 1.0,
    .rival_win_prob = 0.08,
    .proposal_hours = 4,
    .demand_after_concession_prob = 0.05};
} // namespace archetype_table

/// The synthetic-customer model: the archetype table, the default mix, the
/// lead channels and the mechanisms with their parameters.
struct market_model {
  std::array<archetype_profile, archetype_count> archetypes{
      archetype_table::loyal_partner, archetype_table::price_shopper,
      archetype_table::win_lose_negotiator, archetype_table::rfp_idea_taker,
      archetype_table::growing_account};
  /// Default archetype weights of a book (loyal, shopper, win-lose, RFP, growing).
  std::array<double, archetype_count> mix{0.35, 0.25, 0.10, 0.10, 0.20};
  /// Warm leads (introductions by customers): convert well, cost little.
  /// conversion_per_month: the chance a warm lead worked for a month converts.
  lead_channel warm{
      .conversion_per_month = 0.35, .cost_per_month = 30.0, .mix = {0.50, 0.10, 0.05, 0.05, 0.30}};
  /// referral_leads off: warm leads a prospect gets a month whatever the referrals.
  double baseline_warm_leads = 0.17;
  /// Cold outreach (conversion_per_month: a prospect worked on it for a month converts): converts
  /// poorly, costs more, brings the transactional cast.
  lead_channel cold{
      .conversion_per_month = 0.03, .cost_per_month = 60.0, .mix = {0.20, 0.35, 0.15, 0.15, 0.15}};
  mechanism_switches on{};
  /// Spread of a deal's list price around the archetype's median: × LogNormal(0, sigma).
  double deal_size_sigma = 0.5;
  /// referral_leads: warm leads one referral makes (a referral is shared by
  /// the neighbourhood's prospects worked on the warm channel next month).
  double leads_per_referral = 1.0;
  /// conduct_at_exit: return chance × (trust at exit / 0.5)^return_trust_elasticity.
  double return_trust_elasticity = 1.0;
  /// conduct_at_exit: return chance factor after an ungracious exit ("I told you so").
  double ungracious_return_factor = 0.3;
  /// conduct_at_exit: price level at which a customer fired by a seller who
  /// owned the decision returns (relative to list; seed 002).
  double owned_fire_return_price = 1.05;
  /// large_deal_cost: cost-to-serve of a won deal as a share of its price at
  /// the archetype's median size, × (size / median)^large_deal_elasticity.
  double large_deal_serve_share = 0.06;
  double large_deal_elasticity = 1.0;
  /// seller_authority: chance the buyer walks while a limited seller escalates.
  double escalation_loss = 0.15;
  /// seller_authority: trust evidence against the seller per escalation.
  double credibility_cost = 0.5;
  /// Evidence for trust one scheduled meeting adds (before the archetype's
  /// trust_responsiveness); each costs its hours at cost_rates.
  double meeting_trust_weight = 0.5;
  /// meeting_saturation: meetings a month that still build trust.
  double meeting_saturation = 1.0;
  /// meeting_saturation: trust evidence against per meeting beyond saturation.
  double meeting_fatigue = 0.6;
  /// retrades: the further concession a customer's demand after a
  /// concession takes, as a share of the deal's list price.
  double retrade_concession = 0.03;

  /// Throws invalid_input naming the first bad field.
  void validate() const {
    auto nonneg = [](const std::string &f, double v) {
      if (!(std::isfinite(v) && v >= 0.0))
        throw invalid_input(f, "must be a finite number >= 0, got " + std::to_string(v));
    };
    auto share = [](const std::string &f, double v) {
      if (!(v >= 0.0 && v <= 1.0))
        throw invalid_input(f, "must be in [0, 1], got " + std::to_string(v));
    };
    for (std::size_t i = 0; i < archetype_count; ++i) {
      const auto &a = archetypes[i];
      const std::string n = std::string(archetype_names[i]) + ".";
      nonneg(n + "deals_per_year", a.deals_per_year);
      if (!(std::isfinite(a.deal_size) && a.deal_size > 0.0))
        throw invalid_input(n + "deal_size", "must be a positive finite number");
      if (!(a.deal_growth > -1.0 && a.deal_growth <= 10.0))
        throw invalid_input(n + "deal_growth", "must be in (-1, 10]");
      if (!(a.margin > -1.0 && a.margin < 1.0))
        throw invalid_input(n + "margin", "must be in (-1, 1)");
      nonneg(n + "purchases_per_year", a.purchases_per_year);
      nonneg(n + "order_share", a.order_share);
      share(n + "quote_prob", a.quote_prob);
      nonneg(n + "service_per_year", a.service_per_year);
      nonneg(n + "referrals_per_year", a.referrals_per_year);
      nonneg(n + "churn_per_year", a.churn_per_year);
      share(n + "return_share", a.return_share);
      if (!(std::isfinite(a.return_months) && a.return_months >= 1.0))
        throw invalid_input(n + "return_months", "must be at least 1");
      for (double w : a.lead_sources)
        nonneg(n + "lead_sources", w);
      nonneg(n + "discovery_extra", a.discovery_extra);
      if (!(std::isfinite(a.meeting_days) && a.meeting_days >= 1.0))
        throw invalid_input(n + "meeting_days", "must be at least 1");
      if (!(a.meeting_jitter >= 0.0 && a.meeting_jitter < 1.0))
        throw invalid_input(n + "meeting_jitter", "must be in [0, 1)");
      for (auto [f, v] : {std::pair{"match_prob", a.match_prob},
                          {"beat_prob", a.beat_prob},
                          {"scope_cut_prob", a.scope_cut_prob},
                          {"alternative_prob", a.alternative_prob},
                          {"walk_away_prob", a.walk_away_prob},
                          {"fire_prob", a.fire_prob},
                          {"win_prob", a.win_prob},
                          {"broken_share", a.broken_share},
                          {"rival_win_prob", a.rival_win_prob},
                          {"demand_after_concession_prob", a.demand_after_concession_prob}})
        share(n + f, v);
      nonneg(n + "concessions", a.concessions);
      share(n + "concession_size", a.concession_size);
      nonneg(n + "promises_per_year", a.promises_per_year);
      nonneg(n + "support_per_year", a.support_per_year);
      double lr = 0.0;
      for (double w : a.loss_reasons) {
        nonneg(n + "loss_reasons", w);
        lr += w;
      }
      if (!(lr > 0.0))
        throw invalid_input(n + "loss_reasons", "at least one weight must be positive");
      nonneg(n + "events_per_year", a.events_per_year);
      for (auto [f, v] : {std::pair{"weight_price", a.weight_price},
                          {"weight_scope", a.weight_scope},
                          {"weight_service", a.weight_service}})
        share(n + f, v);
      if (!std::isfinite(a.buyer_concession) || a.buyer_concession == 0.0)
        throw invalid_input(n + "buyer_concession", "must be finite and non-zero");
      if (!(a.buyer_reservation >= 0.0 && a.buyer_reservation <= 1.5))
        throw invalid_input(n + "buyer_reservation", "must be in [0, 1.5]");
      if (!(a.trust_responsiveness >= 0.0 && a.trust_responsiveness <= 10.0))
        throw invalid_input(n + "trust_responsiveness", "must be in [0, 10]");
      nonneg(n + "proposal_hours", a.proposal_hours);
    }
    validate_mix(mix, "mix");
    for (auto [name, ch] : {std::pair{"warm", &warm}, {"cold", &cold}}) {
      share(std::string(name) + ".conversion_per_month", ch->conversion_per_month);
      nonneg(std::string(name) + ".cost_per_month", ch->cost_per_month);
      validate_mix(ch->mix, std::string(name) + ".mix");
    }
    if (!(deal_size_sigma >= 0.0 && deal_size_sigma <= 3.0))
      throw invalid_input("deal_size_sigma", "must be in [0, 3]");
    nonneg("leads_per_referral", leads_per_referral);
    share("baseline_warm_leads", baseline_warm_leads);
    nonneg("return_trust_elasticity", return_trust_elasticity);
    share("ungracious_return_factor", ungracious_return_factor);
    if (!(owned_fire_return_price >= 0.6 && owned_fire_return_price <= 1.2))
      throw invalid_input("owned_fire_return_price", "must be in [0.6, 1.2]");
    nonneg("large_deal_serve_share", large_deal_serve_share);
    nonneg("large_deal_elasticity", large_deal_elasticity);
    share("escalation_loss", escalation_loss);
    nonneg("credibility_cost", credibility_cost);
    nonneg("meeting_trust_weight", meeting_trust_weight);
    nonneg("meeting_saturation", meeting_saturation);
    nonneg("meeting_fatigue", meeting_fatigue);
    if (!(retrade_concession >= 0.0 && retrade_concession <= 0.5))
      throw invalid_input("retrade_concession",
                          "must be in [0, 0.5], got " + std::to_string(retrade_concession));
  }

  /// Throws invalid_input(field) unless `w` holds finite non-negative weights, not all zero.
  static void validate_mix(const std::array<double, archetype_count> &w, const std::string &field) {
    double total = 0.0;
    for (std::size_t i = 0; i < archetype_count; ++i) {
      if (!(std::isfinite(w[i]) && w[i] >= 0.0))
        throw invalid_input(field, "the weight of '" + std::string(archetype_names[i]) +
                                       "' must be finite and non-negative, got " +
                                       std::to_string(w[i]));
      total += w[i];
    }
    if (!(total > 0.0))
      throw invalid_input(field, "at least one weight must be positive");
  }
};

/// The scalar per-archetype fields by name (for Python and tables), in order
/// (the arrays lead_sources and loss_reasons and the flag prefers_reduced_scope
/// are set by name in the bindings).
inline constexpr std::array<std::pair<std::string_view, double archetype_profile::*>, 37>
    archetype_fields{{
        {"deals_per_year", &archetype_profile::deals_per_year},
        {"deal_size", &archetype_profile::deal_size},
        {"deal_growth", &archetype_profile::deal_growth},
        {"margin", &archetype_profile::margin},
        {"purchases_per_year", &archetype_profile::purchases_per_year},
        {"order_share", &archetype_profile::order_share},
        {"quote_prob", &archetype_profile::quote_prob},
        {"service_per_year", &archetype_profile::service_per_year},
        {"referrals_per_year", &archetype_profile::referrals_per_year},
        {"churn_per_year", &archetype_profile::churn_per_year},
        {"return_share", &archetype_profile::return_share},
        {"return_months", &archetype_profile::return_months},
        {"discovery_extra", &archetype_profile::discovery_extra},
        {"meeting_days", &archetype_profile::meeting_days},
        {"meeting_jitter", &archetype_profile::meeting_jitter},
        {"match_prob", &archetype_profile::match_prob},
        {"beat_prob", &archetype_profile::beat_prob},
        {"concessions", &archetype_profile::concessions},
        {"concession_size", &archetype_profile::concession_size},
        {"scope_cut_prob", &archetype_profile::scope_cut_prob},
        {"alternative_prob", &archetype_profile::alternative_prob},
        {"walk_away_prob", &archetype_profile::walk_away_prob},
        {"fire_prob", &archetype_profile::fire_prob},
        {"win_prob", &archetype_profile::win_prob},
        {"promises_per_year", &archetype_profile::promises_per_year},
        {"broken_share", &archetype_profile::broken_share},
        {"support_per_year", &archetype_profile::support_per_year},
        {"events_per_year", &archetype_profile::events_per_year},
        {"weight_price", &archetype_profile::weight_price},
        {"weight_scope", &archetype_profile::weight_scope},
        {"weight_service", &archetype_profile::weight_service},
        {"buyer_concession", &archetype_profile::buyer_concession},
        {"buyer_reservation", &archetype_profile::buyer_reservation},
        {"trust_responsiveness", &archetype_profile::trust_responsiveness},
        {"rival_win_prob", &archetype_profile::rival_win_prob},
        {"proposal_hours", &archetype_profile::proposal_hours},
        {"demand_after_concession_prob", &archetype_profile::demand_after_concession_prob},
    }};

/// The scalar model parameters by name (for Python), in order.
inline constexpr std::array<std::pair<std::string_view, double market_model::*>, 14> model_fields{{
    {"deal_size_sigma", &market_model::deal_size_sigma},
    {"baseline_warm_leads", &market_model::baseline_warm_leads},
    {"leads_per_referral", &market_model::leads_per_referral},
    {"return_trust_elasticity", &market_model::return_trust_elasticity},
    {"ungracious_return_factor", &market_model::ungracious_return_factor},
    {"owned_fire_return_price", &market_model::owned_fire_return_price},
    {"large_deal_serve_share", &market_model::large_deal_serve_share},
    {"large_deal_elasticity", &market_model::large_deal_elasticity},
    {"escalation_loss", &market_model::escalation_loss},
    {"credibility_cost", &market_model::credibility_cost},
    {"meeting_trust_weight", &market_model::meeting_trust_weight},
    {"meeting_saturation", &market_model::meeting_saturation},
    {"meeting_fatigue", &market_model::meeting_fatigue},
    {"retrade_concession", &market_model::retrade_concession},
}};

} // namespace goodwill

#endif // GOODWILL_SYNTHETIC_ARCHETYPES_HPP
