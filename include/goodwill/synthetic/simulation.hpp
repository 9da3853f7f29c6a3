// goodwill — the policy simulator: seller policies against customer
// archetypes, month by month.
//
// Design: a market of `customers` slots, each simulated over `months` months
// on its own counter-based stream, Philox keyed by (seed, slot)
// (detail/random.hpp): a slot's story depends only on (seed, slot, policy,
// params) and its neighbourhood's referrals (see "referral leads" below),
// never on the thread count. Slots are simulated in fixed blocks, the
// neighbourhoods of simulation_block_customers keys, made in parallel and
// committed in block order (detail/ordered_blocks.hpp): each block's events
// are appended to the ledger (grouped by slot) and its per-month metrics
// added to the totals in that order, so the result is bitwise identical for
// any number of threads. Memory: a block's slot states (about 1 KB each)
// live while the block is stepped month by month; beyond the optional ledger
// (events are linear in customer-months) at most 2 × threads blocks are in
// flight. Speed (benchmarks/RESULTS.md, issue 14): each event kind has its
// own emit (a template), so its evidence channel, counts and profit are
// settled at compile time; an event's fading factor is computed once for the
// measured and the latent trust (the same half-life), with the step between
// two events of one month precomputed; deal growth by tenure is a table; the
// 16-bit draws take a new word without a branch. None of this changes a
// draw or an operation's order: the results are bitwise those of before.
//
// Deals use the negotiation engine (negotiation.hpp), one session per deal:
// a small outcome space of relative price (0.70..1.10 of list, 9 levels) ×
// scope (full, reduced to 70%) × service (standard, premium). The seller's
// utility is the profit of the package; the buyer's utility is the
// archetype's weighting of price, scope and service. The policy's seller
// strategy — price_matcher (meet-or-beat down to the floor),
// alternatives_offerer (logrolling: packages of equal profit the buyer values
// more), Boulware hold on the floor, or linear concession — negotiates with
// the archetype's buyer (time-dependent concession, or the win-lose buyer
// citing the rival quote) for 8 rounds; the agreed package is then priced at
// the deal's list price. The buyer's reservation follows the customer's
// trust at that moment (they pay for a relationship they trust) and the
// rival's quote if there is one (mild, about 88% of list, or deep, about
// 78%): the deal's own numbers, taken to 1/128 of trust and whole points of
// list. Each worker keeps a scenario per archetype (only the buyer's
// reservation changes between deals); sessions are remembered by
// (archetype, trust, quote) in a table the workers share; a session is a
// deterministic function of those, so the memo changes no result.
//
// Customer state is the relationship engine's: every simulated event goes,
// at its own time, through trust.hpp's evidence and then the relationship
// model's transitions (default relationship_selling(); any model can be
// passed) by the replay's rules (replay.hpp's relationship_cursor), so
// replaying the simulated ledger through the same model gives back each
// slot's simulated state. A pending dormancy move (relationship_model.hpp)
// happens before the slot's first event after its due time, and at a month
// end once due before the next month starts, so the month-end counts see it;
// one that no later event of the slot confirms stands only if it is due at or
// before the run's as-of time (params.as_of; default the run's last event
// time, which is what a replay of the ledger settles at): otherwise the
// counts from that month on and the final state are set back to the state
// before it, as the replay has them. Every slot starts in the model's initial state,
// the book at month 0 included (it carries no history). Trust drives
// purchases, referrals and churn: churn hazard = base × 2(1 − trust); the
// model's state drives the lean-in policy (a discovery session for a
// customer "at_risk"); the simulator's own bookkeeping of who is a customer
// (prospect, active, churned, fired) decides which monthly steps run. Price
// matching anchors the customer's reference price lower, which lowers the
// margin of later repeat orders (seed 000's downward spiral). The metrics
// count the slots in each model state at every month end.
//
// Customer archetypes: the table of synthetic/archetypes.hpp
// (simulation_params::model), shared with synthetic_market; this simulator
// reads the fields that header marks "both" and "simulate only".
//
// Mechanisms (each with a switch in model.on and its parameters in the
// model; see archetypes.hpp for the fields):
//  - trust responsiveness: the customer's latent trust takes the seller's
//    effort (meetings, discovery, promises kept, support, alternatives) with
//    the evidence weights of simulated_trust_dynamics() times the archetype's
//    trust_responsiveness (the win-lose negotiator's is 0: effort cannot win
//    it over, seed 000).
//  - referral leads: the slots are grouped in neighbourhoods of
//    simulation_block_customers consecutive keys (aligned to key 0, so a
//    shard by first_customer sees the same neighbours; slots of a
//    neighbourhood outside the run are simulated but not reported), stepped
//    month by month together. The referrals its customers give in a month
//    become leads_per_referral warm leads each, shared next month by its
//    prospects in proportion to the policy's effort on the warm channel
//    (warm_referral_share): a prospect gets a warm lead with chance
//    min(1, leads_per_referral × referrals / prospects), which converts with
//    model.warm.conversion_per_month; warm effort costs
//    model.warm.cost_per_month. Off: baseline_warm_leads a prospect-month
//    whatever the referrals. Cold outreach: model.cold's rate and cost.
//  - conduct at exit: a churned or fired customer comes back (after
//    Exp(return_months)) with chance return_share × (trust at exit /
//    0.5)^return_trust_elasticity (at most 1), × ungracious_return_factor
//    if the policy is not gracious_exit ("I told you so", seed 002). A
//    customer fired by a seller who owns its decisions comes back at
//    owned_fire_return_price or more (seed 003: "returned at a profitable
//    price"); one fired by an authority-limited seller does not accept it
//    and comes back at the old price. Off: return_share, the old price.
//  - rival losses: an agreed deal still goes to a rival with chance
//    rival_win_prob × (1.5 − trust) (every archetype can lose; the RFP
//    idea-taker mostly does).
//  - proposal effort: each proposal takes proposal_hours of custom work.
//  - large deals: a won deal costs large_deal_serve_share × price × (list /
//    the archetype's current median)^large_deal_elasticity to serve
//    (custom work): the biggest deals can cost more than their margin
//    (seed 004).
//  - seller authority: an authority-limited seller (policy authority =
//    limited) escalates an agreement below its escalation_threshold (of
//    list): a meeting with the boss, credibility_cost of evidence against
//    trust, and the buyer walks with chance escalation_loss (seed 003).
//  - meeting saturation: meetings beyond meeting_saturation a month build no
//    trust and add meeting_fatigue of evidence against it each; every
//    meeting costs its hours (seed 004: a schedule, not a siege).
//  - re-trades (seed 001): at the close of every negotiated deal the
//    customer may cut the scope late (scope_cut_prob; an agreed deal is
//    delivered at the reduced scope at the agreed unit price) and, if the
//    seller conceded or matched, demand more (demand_after_concession_prob;
//    an agreed deal gives retrade_concession of list more). Drawn from the
//    slot's second stream (purpose 1), so switching it off leaves every
//    other draw as it was.
//  - win-lose exit: a policy with exit_win_lose counts, in every negotiated
//    deal, the customer's re-trades as the seller sees them (a late scope
//    cut, a demand after a concession: 0..2 a deal); once
//    win_lose_min_deals deals are seen and the mean reaches
//    win_lose_threshold, the seller exits the relationship (a fire event)
//    gracefully: the return follows conduct at exit with no "I told you
//    so" factor, at owned_fire_return_price when the seller owns its
//    decisions. Nothing in the rule reads the archetype: other customers
//    who behave so are exited too, and win-lose negotiators who do not are
//    kept.
//
// The win-lose negotiator prefers the reduced scope and re-trades most (the
// late scope cut of seed 001); the RFP idea-taker (seed 004) has a high
// reservation and mostly lets the deal lapse after taking the proposal.
//
// Policies (see the presets below): the seller strategy and floor margin for
// deals; meeting cadence (days between scheduled meetings, 0: none);
// discovery sessions and promises per year, and the share of promises kept;
// firing: never, the naive "fire the unprofitable" (trailing 12-month profit
// below zero after 6 months), or the seeds' rule (decision.hpp: unprofitable,
// not improving, effort on record and trust still low); new leads from warm
// referrals (converting 6%/month, costing 30/month per prospect, mostly
// loyal partners and growing accounts) versus cold outreach (3%/month, 60,
// mostly shoppers, negotiators and RFP idea-takers); leaning in on customers
// at risk.
#ifndef GOODWILL_SYNTHETIC_SIMULATION_HPP
#define GOODWILL_SYNTHETIC_SIMULATION_HPP

#include <goodwill/decision.hpp>
#include <goodwill/detail/ordered_blocks.hpp>
#include <goodwill/detail/random.hpp>
#include <goodwill/detail/statistics.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/negotiation.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/relationship/relationship_model.hpp>
#include <goodwill/relationship/replay.hpp>
#include <goodwill/relationship/trust.hpp>
#include <goodwill/synthetic/archetypes.hpp>
#include <goodwill/value/profitability.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// Customer archetypes of the simulator: the shared table's (synthetic/archetypes.hpp).
using customer_type = archetype;
inline constexpr std::size_t customer_type_count = archetype_count;
inline constexpr const std::array<std::string_view, customer_type_count> &customer_type_names =
    archetype_names;

/// How the seller negotiates deals.
enum class seller_strategy : std::uint8_t {
  price_matcher = 0, ///< meets or beats a rival quote down to the floor
  alternatives = 1,  ///< offers packages of equal profit (logrolling)
  hold_floor = 2,    ///< Boulware: concedes late, never below the floor
  linear = 3,        ///< linear concession to the floor
};
inline constexpr std::array<std::string_view, 4> seller_strategy_names{
    "price_matcher", "alternatives", "hold_floor", "linear"};
template <> struct enum_traits<seller_strategy> {
  static constexpr const auto &names = seller_strategy_names;
};

/// When the seller fires a customer.
enum class firing_rule : std::uint8_t {
  never = 0,
  unprofitable = 1, ///< trailing 12-month profit < 0 after 6 months
  seeds = 2,        ///< decision.hpp: unprofitable, not improving, effort made, trust low
};
inline constexpr std::array<std::string_view, 3> firing_rule_names{"never", "unprofitable",
                                                                   "seeds"};
template <> struct enum_traits<firing_rule> {
  static constexpr const auto &names = firing_rule_names;
};

/// Who owns the seller's decisions (seed 003).
enum class seller_authority : std::uint8_t {
  owns_floor = 0, ///< knows the floor, decides on the spot, owns a firing
  limited = 1,    ///< must take prices below escalation_threshold to the boss; blames the boss
};
inline constexpr std::array<std::string_view, 2> seller_authority_names{"owns_floor", "limited"};
template <> struct enum_traits<seller_authority> {
  static constexpr const auto &names = seller_authority_names;
};

/// A seller policy.
struct seller_policy {
  std::string name = "custom";
  seller_strategy strategy = seller_strategy::linear;
  double floor_margin = 0.10;         ///< the floor price keeps this margin
  double meeting_cadence_days = 60.0; ///< days between scheduled meetings (0: none)
  double discovery_per_year = 1.0;    ///< discovery sessions per year
  double promises_per_year = 3.0;     ///< promises made per year
  double promise_keep_rate = 0.85;    ///< share of promises kept
  firing_rule firing = firing_rule::never;
  double warm_referral_share = 0.3; ///< new-lead effort on warm referrals (rest: cold outreach)
  /// Lean in (seed 000): hold a discovery session in every month that starts
  /// with the customer in the relationship model's "at_risk" state.
  bool lean_in_at_risk = false;
  customer_thresholds fire_thresholds{}; ///< for firing_rule::seeds
  seller_authority authority = seller_authority::owns_floor;
  /// A limited seller escalates agreements priced below this share of list.
  double escalation_threshold = 0.90;
  /// Never "I told you so": gracious when a customer leaves (seed 002).
  bool gracious_exit = true;
  /// Recognise a win-lose negotiator from its responses and exit gracefully
  /// (seed 001; mechanism win_lose_exit). Each negotiated deal scores the
  /// customer's re-trades at the close (mechanism retrades): 1 for a late
  /// scope cut, 1 for a demand after the seller conceded (0..2).
  bool exit_win_lose = false;
  /// Mean win-lose signals per deal at or above which the seller exits
  /// (in (0, 2]; 2: only a customer who cuts and demands on every deal).
  /// Measured on the default market (4096 slots, 36 months, seed 7, the
  /// trust builder without its firing rule; tests/cpp/test_simulation.cpp
  /// win_lose_exit_picks_out_win_lose_negotiators): at 1.0 after 2 deals it
  /// exits 74% of the win-lose negotiators who were customers and 3% of the
  /// others (RFP idea-takers 12%, price shoppers 8%, loyal partners and
  /// growing accounts under 2%).
  double win_lose_threshold = 1.0;
  /// Deals observed before the seller judges (at least 1).
  double win_lose_min_deals = 2.0;

  void validate() const {
    auto in01 = [](const char *f, double v) {
      if (!(v >= 0.0 && v <= 1.0))
        throw invalid_input(f, "must be in [0, 1], got " + std::to_string(v));
    };
    auto nonneg = [](const char *f, double v) {
      if (!(std::isfinite(v) && v >= 0.0))
        throw invalid_input(f, "must be a finite number >= 0, got " + std::to_string(v));
    };
    if (!(floor_margin >= -1.0 && floor_margin < 1.0))
      throw invalid_input("floor_margin", "must be in [-1, 1)");
    nonneg("meeting_cadence_days", meeting_cadence_days);
    if (meeting_cadence_days > 0.0 && meeting_cadence_days < 1.0)
      throw invalid_input("meeting_cadence_days", "must be 0 (none) or at least 1 day");
    nonneg("discovery_per_year", discovery_per_year);
    nonneg("promises_per_year", promises_per_year);
    if (discovery_per_year > 120 || promises_per_year > 120)
      throw invalid_input("promises_per_year", "at most 120 a year (10 a month)");
    in01("promise_keep_rate", promise_keep_rate);
    in01("warm_referral_share", warm_referral_share);
    if (static_cast<unsigned>(strategy) >= seller_strategy_names.size())
      throw invalid_input("strategy", "unknown seller strategy");
    if (static_cast<unsigned>(firing) >= firing_rule_names.size())
      throw invalid_input("firing", "unknown firing rule");
    if (static_cast<unsigned>(authority) >= seller_authority_names.size())
      throw invalid_input("authority", "unknown seller authority");
    if (!(escalation_threshold >= 0.0 && escalation_threshold <= 1.5))
      throw invalid_input("escalation_threshold", "must be in [0, 1.5]");
    if (!(win_lose_threshold > 0.0 && win_lose_threshold <= 2.0))
      throw invalid_input("win_lose_threshold",
                          "must be in (0, 2], got " + std::to_string(win_lose_threshold));
    if (!(win_lose_min_deals >= 1.0 && win_lose_min_deals <= 1000.0))
      throw invalid_input("win_lose_min_deals",
                          "must be in [1, 1000], got " + std::to_string(win_lose_min_deals));
    fire_thresholds.validate();
  }
};

/// Policy presets named after the essays' sellers.
namespace policies {
/// Meets or beats every rival quote down to a thin floor; meets rarely.
inline seller_policy price_matcher() {
  seller_policy p;
  p.name = "price_matcher";
  p.strategy = seller_strategy::price_matcher;
  p.floor_margin = 0.05;
  p.meeting_cadence_days = 120;
  p.discovery_per_year = 0.2;
  p.promises_per_year = 3;
  p.promise_keep_rate = 0.75;
  p.warm_referral_share = 0.1;
  p.authority = seller_authority::limited;
  p.gracious_exit = false;
  return p;
}
/// Meets monthly, discovers, keeps promises, offers alternatives, fires only
/// by the seeds' rule, grows through warm referrals.
inline seller_policy trust_builder() {
  seller_policy p;
  p.name = "trust_builder";
  p.strategy = seller_strategy::alternatives;
  p.floor_margin = 0.15;
  p.meeting_cadence_days = 30;
  p.discovery_per_year = 3;
  p.promises_per_year = 4;
  p.promise_keep_rate = 0.95;
  p.firing = firing_rule::seeds;
  p.warm_referral_share = 0.7;
  p.lean_in_at_risk = true;
  p.exit_win_lose = true;
  return p;
}
/// Holds a firm floor and walks away from sales below it, never from the customer.
inline seller_policy disciplined_walk_away() {
  seller_policy p;
  p.name = "disciplined_walk_away";
  p.strategy = seller_strategy::hold_floor;
  p.floor_margin = 0.20;
  p.meeting_cadence_days = 60;
  p.discovery_per_year = 1;
  p.promises_per_year = 3;
  p.promise_keep_rate = 0.85;
  p.warm_referral_share = 0.3;
  return p;
}
/// Concedes linearly and fires every customer whose trailing profit is negative.
inline seller_policy fire_the_unprofitable() {
  seller_policy p;
  p.name = "fire_the_unprofitable";
  p.strategy = seller_strategy::linear;
  p.floor_margin = 0.10;
  p.meeting_cadence_days = 90;
  p.discovery_per_year = 0.5;
  p.promises_per_year = 3;
  p.promise_keep_rate = 0.8;
  p.firing = firing_rule::unprofitable;
  p.warm_referral_share = 0.2;
  p.authority = seller_authority::limited;
  p.gracious_exit = false;
  return p;
}
/// The four presets, in this order.
inline std::vector<seller_policy> presets() {
  return {price_matcher(), trust_builder(), disciplined_walk_away(), fire_the_unprofitable()};
}
} // namespace policies

/// What to simulate.
struct simulation_params {
  std::uint32_t customers = 1000; ///< customer slots (ledger keys 0..n-1)
  std::uint32_t months = 36;
  /// The most customer-months (customers x months) a run may ask for; a
  /// larger request is refused up front, naming its size (2^32: about an
  /// hour on one core and more events than a ledger holds).
  static constexpr std::uint64_t max_customer_months = std::uint64_t{1} << 32;
  std::uint64_t seed = 0;
  /// The synthetic-customer model: archetypes, lead channels, mechanisms
  /// (synthetic/archetypes.hpp), shared with synthetic_market.
  market_model model{};
  /// Archetype weights of the initial book, in code order; default the model's.
  std::array<double, customer_type_count> mix = market_model{}.mix;
  double initially_active = 0.6; ///< share of slots that are customers at month 0
  double start_time = 0.0;       ///< day of month 0
  unsigned threads = 1;          ///< 1..256 (detail::max_threads); results do not depend on it
  bool record_ledger = true;     ///< keep the events (else metrics only)
  /// Key of the first slot: slots first_customer .. first_customer +
  /// customers - 1, each exactly as in a run from slot 0 with the same seed
  /// (how goodwill.dask shards a run by customer block).
  std::uint32_t first_customer = 0;
  /// As-of time of the dormancy moves still pending at the end (see the
  /// header note), at most the end of the horizon. NaN: the run's last event
  /// time, as a replay of its ledger (goodwill.dask passes the whole run's to
  /// every block).
  double as_of = std::numeric_limits<double>::quiet_NaN();

  void validate() const {
    if (customers == 0xFFFFFFFFu)
      throw invalid_input("customers", "must be below 4294967295");
    if (static_cast<std::uint64_t>(first_customer) + customers > 0xFFFFFFFFull)
      throw invalid_input("first_customer", "first_customer + customers must be below 4294967296");
    if (months == 0 || months > 1200)
      throw invalid_input("months", "must be between 1 and 1200");
    if (const std::uint64_t work = std::uint64_t{customers} * months; work > max_customer_months)
      throw invalid_input("customers", std::to_string(customers) + " customers x " +
                                           std::to_string(months) + " months is " +
                                           std::to_string(work) +
                                           " customer-months, more than the limit of " +
                                           std::to_string(max_customer_months));
    market_model::validate_mix(mix, "mix");
    model.validate();
    if (!(initially_active >= 0.0 && initially_active <= 1.0))
      throw invalid_input("initially_active", "must be in [0, 1]");
    if (!std::isfinite(start_time))
      throw invalid_input("start_time", "must be finite");
    if (std::isinf(as_of))
      throw invalid_input("as_of", "must be finite or NaN (the run's last event time)");
    if (threads < 1 || threads > detail::max_threads)
      throw invalid_input("threads", "must be between 1 and " +
                                         std::to_string(detail::max_threads) + ", got " +
                                         std::to_string(threads));
  }
};

/// Per-month metrics, one value per month in each column.
struct simulation_metrics {
  static constexpr std::size_t count = 19;
  static constexpr std::array<std::string_view, count> names{
      "revenue",       "gross_margin", "cost_to_serve", "acquisition_cost", "profit",
      "active",        "active_start", "prospects",     "new_customers",    "churned",
      "fired",         "won_back",     "deals",         "deals_won",        "walk_aways",
      "price_matches", "alternatives", "referrals",     "trust_sum"};
  enum index : std::size_t {
    revenue,
    gross_margin,
    cost_to_serve,
    acquisition_cost,
    profit,
    active,
    active_start,
    prospects,
    new_customers,
    churned,
    fired,
    won_back,
    deals,
    deals_won,
    walk_aways,
    price_matches,
    alternatives,
    referrals,
    trust_sum
  };
  std::uint32_t months = 0;
  std::vector<double> values; ///< months × count, row-major by month
  /// The relationship model's states, and how many slots are in each at the
  /// end of every month (months × states, row-major by month).
  std::vector<std::string> state_names;
  std::vector<double> state_counts;

  [[nodiscard]] double at(std::uint32_t month, std::size_t m) const noexcept {
    return values[month * count + m];
  }
  /// Slots in state s at the end of `month`.
  [[nodiscard]] double in_state(std::uint32_t month, state_code s) const noexcept {
    return state_counts[month * state_names.size() + s];
  }
};

/// A simulation's output.
struct simulation_result {
  ledger events; ///< empty unless record_ledger
  simulation_metrics metrics;
  std::vector<customer_type> types; ///< each slot's archetype
  std::vector<state_code> states;   ///< each slot's relationship state at the end
  std::uint64_t customer_months = 0;
  /// The as-of time of `states` and of the last month's state counts
  /// (params.as_of, or the run's last event time; NaN without events).
  double as_of = std::numeric_limits<double>::quiet_NaN();
};

namespace detail {

using type_profile = archetype_profile;

/// std::lround for a finite |x| < 2^52, without the library call: the
/// integer part by truncation and the fraction (exact in binary) rounded
/// half away from zero, as lround does.
[[nodiscard]] inline long round_half_away(double x) noexcept {
  const auto t = static_cast<long>(x);
  const double f = x - static_cast<double>(t);
  return t + (f >= 0.5 ? 1 : 0) - (f <= -0.5 ? 1 : 0);
}

inline constexpr std::array<double, 9> price_levels{0.70, 0.75, 0.80, 0.85, 0.90,
                                                    0.95, 1.00, 1.05, 1.10};
inline constexpr std::array<double, 3> quote_levels{0.0, 0.88, 0.78}; // none, mild, deep
inline constexpr double reduced_scope = 0.7;
inline constexpr double premium_price = 0.06, premium_cost = 0.02;

/// What one negotiated deal came to, relative to its list price.
struct deal_terms {
  bool agreement = false;
  bool seller_walked = false;
  bool reduced = false, premium = false;
  bool matched = false, alternatives = false;
  std::uint8_t concessions = 0;
  std::uint16_t outcome = 0; ///< the agreed package (when agreement)
  double price = 0.0;        ///< revenue relative to list (package price × scope)
  double cost = 0.0;         ///< cost relative to list
};

/// The buyer's reservation utility for a deal: the archetype's, lowered by
/// trust (customers pay for a relationship they trust) and raised to what a
/// rival's quote `quote` (relative to list; 0: none) is worth to them.
[[nodiscard]] inline double buyer_reservation(const type_profile &pr, double trust, double quote,
                                              double rival_u) noexcept {
  double res = pr.buyer_reservation + std::clamp(0.6 * (0.525 - trust), -0.15, 0.15);
  if (quote > 0.0)
    res = std::max(res, rival_u - 0.2 * std::max(0.0, trust - 0.4));
  return std::clamp(res, 0.0, 1.5);
}

/// What the buyer of archetype `pr` gets from a rival's quote `q`.
[[nodiscard]] inline double rival_utility(const type_profile &pr, double q) noexcept {
  return pr.weight_price * (1.10 - q + 0.06) / 0.46 +
         pr.weight_scope * (pr.prefers_reduced_scope ? 0.0 : 1.0);
}

/// Negotiated deal terms by key, in 2^15 slots of 8 bytes (the table stays
/// in L2): the key in the high half, the packed terms in the low half, one
/// atomic word each, so workers share it without locks and never see a torn
/// entry.
class deal_memo {
public:
  static constexpr unsigned bits = 15;
  deal_memo() : slots_(std::size_t{1} << bits) {
    for (auto &s : slots_)
      s.store(~std::uint64_t{0}, std::memory_order_relaxed);
  }
  std::atomic<std::uint64_t> &slot(std::uint32_t key) noexcept {
    return slots_[(key * 0x9E3779B1u) >> (32 - bits)];
  }

private:
  std::vector<std::atomic<std::uint64_t>> slots_;
};

/// A worker's negotiation desk: per archetype, the deal's scenario (the
/// buyer's reservation is set per deal), the policy's seller and the
/// archetype's buyer, reused from deal to deal (run_session resets them).
/// Every deal is one run_session of the negotiation engine with that deal's
/// own trust and rival quote.
class deal_desk {
public:
  /// A desk for `pol`; `memo`, if given, is shared with the run's other
  /// workers (a session's terms are a function of its key, so sharing
  /// changes no result; each key is then negotiated about once per run).
  explicit deal_desk(const seller_policy &pol, const market_model &model, deal_memo *memo = nullptr)
      : strategy_(pol.strategy), model_(&model),
        own_memo_(memo ? nullptr : std::make_unique<deal_memo>()),
        memo_(memo ? memo : own_memo_.get()) {
    std::vector<issue> issues;
    {
      std::vector<std::string> labels;
      labels.reserve(price_levels.size());
      for (double p : price_levels)
        labels.push_back(std::to_string(p));
      issues.push_back(issue::ordinal("price", labels));
      issues.push_back(issue::categorical("scope", {"full", "reduced"}));
      issues.push_back(issue::categorical("service", {"standard", "premium"}));
    }
    const outcome_space space(issues);
    const auto n = static_cast<Eigen::Index>(space.size());
    const std::vector<double> prices(price_levels.begin(), price_levels.end());
    for (std::size_t ty = 0; ty < customer_type_count; ++ty) {
      const auto &pr = model.archetypes[ty];
      auto &d = desk_[ty];
      d.rev.resize(n);
      d.cost.resize(n);
      Eigen::ArrayXd buyer(n);
      for (Eigen::Index o = 0; o < n; ++o) {
        const auto oid = static_cast<outcome_id>(o);
        const double p = price_levels[space.value_index(oid, 0)];
        const bool red = space.value_index(oid, 1) == 1;
        const bool prem = space.value_index(oid, 2) == 1;
        const double sf = red ? reduced_scope : 1.0;
        d.rev[o] = sf * (p + (prem ? premium_price : 0.0));
        d.cost[o] = sf * ((1.0 - pr.margin) + (prem ? premium_cost : 0.0));
        const double price_u = (1.10 - p - (prem ? premium_price : 0.0) + 0.06) / 0.46;
        const double scope_u = pr.prefers_reduced_scope ? (red ? 1.0 : 0.0) : (red ? 0.0 : 1.0);
        buyer[o] = pr.weight_price * price_u + pr.weight_scope * scope_u +
                   pr.weight_service * (prem ? 1.0 : 0.0);
      }
      // The seller's utility: the package's profit, scaled to [0, 1].
      const Eigen::ArrayXd profit = d.rev - d.cost;
      const double pmin = profit.minCoeff(), pmax = profit.maxCoeff();
      const Eigen::ArrayXd seller = (profit - pmin) / (pmax - pmin);
      const double floor_price = (1.0 - pr.margin) / (1.0 - pol.floor_margin);
      const double floor_profit = floor_price - (1.0 - pr.margin);
      d.seller_res = std::clamp((floor_profit - pmin) / (pmax - pmin), 0.0, 1.0);
      d.sc = scenario(space, seller, buyer, d.seller_res, pr.buyer_reservation);
      d.sc.set_price_issue(0, prices);
      switch (pol.strategy) {
      case seller_strategy::price_matcher:
        d.seller = std::make_unique<price_matcher>(floor_price, 0.0, 0.5);
        break;
      case seller_strategy::alternatives:
        d.seller = std::make_unique<alternatives_offerer>(0.05, 0.5);
        break;
      case seller_strategy::hold_floor:
        d.seller = boulware(0.2);
        break;
      case seller_strategy::linear:
        d.seller = linear_concession();
        break;
      }
      d.buyer =
          std::make_unique<time_dependent>(pr.buyer_concession < 0.0 ? 0.2 : pr.buyer_concession);
    }
    opt_.rounds = 8;
  }

  /// Negotiate a deal with a customer of archetype `ty` whose trust is
  /// `trust`, facing a rival quote `quote` (relative to list; 0: none).
  /// Trust is taken to 1/128 and the quote to whole points of list, and
  /// sessions are remembered by (archetype, trust, quote): a session is a
  /// deterministic function of them, so the memo changes no result,
  /// whichever worker runs the deal.
  deal_terms negotiate(customer_type ty, double trust, double quote) {
    const auto tq =
        static_cast<std::uint32_t>(round_half_away(std::clamp(trust, 0.0, 1.0) * 128.0));
    const auto qq =
        static_cast<std::uint32_t>(round_half_away(std::clamp(quote, 0.0, 2.0) * 100.0));
    const std::uint32_t key = (static_cast<std::uint32_t>(ty) << 20) | (tq << 10) | qq;
    auto &slot = memo_->slot(key);
    ++lookups_;
    const std::uint64_t v = slot.load(std::memory_order_relaxed);
    if ((v >> 32) == key)
      return unpack(ty, static_cast<std::uint32_t>(v));
    ++sessions_;
    const deal_terms t = run(ty, tq / 128.0, qq / 100.0);
    slot.store((static_cast<std::uint64_t>(key) << 32) | pack(t), std::memory_order_relaxed);
    return t;
  }

  /// Deals asked for, and sessions actually run (the rest came from the memo).
  [[nodiscard]] std::uint64_t lookups() const noexcept { return lookups_; }
  [[nodiscard]] std::uint64_t sessions() const noexcept { return sessions_; }

private:
  deal_terms run(customer_type ty, double trust, double quote) {
    const auto t = static_cast<std::size_t>(ty);
    const auto &pr = model_->archetypes[t];
    auto &d = desk_[t];
    const double rival_u = quote > 0.0 ? rival_utility(pr, quote) : 0.0;
    d.sc.set_reservation(1, buyer_reservation(pr, trust, quote, rival_u));
    // The win-lose negotiator and the price shopper cite a rival's quote and
    // concede nothing below its worth; everyone else concedes over time.
    const bool shops =
        quote > 0.0 && (pr.buyer_concession < 0.0 || ty == customer_type::price_shopper);
    if (shops) {
      win_lose_buyer b(quote, rival_u);
      run_session(d.sc, *d.seller, b, opt_, res_);
    } else {
      run_session(d.sc, *d.seller, *d.buyer, opt_, res_);
    }
    deal_terms out;
    out.agreement = res_.agreement();
    // The seller walks away from the sale when it ends it, or when the
    // deadline passes with the buyer's last offer below our floor.
    double buyer_last = 1.0;
    for (const auto &rec : res_.trace)
      if (rec.proposer == 1)
        buyer_last = rec.u1;
    out.seller_walked =
        !out.agreement && ((res_.status == session_status::walked_away && res_.ended_by == 0) ||
                           (res_.status == session_status::deadline && buyer_last < d.seller_res));
    bool has_prev = false;
    outcome_id prev = 0;
    for (const auto &rec : res_.trace) {
      if (rec.proposer != 0)
        continue;
      out.matched = out.matched || rec.tag == offer_tag::price_match;
      // A different package that is not a concession: an alternative.
      out.alternatives = out.alternatives || rec.tag == offer_tag::alternative_offered ||
                         (has_prev && rec.outcome != prev && rec.tag == offer_tag::none &&
                          strategy_ == seller_strategy::alternatives);
      has_prev = true;
      prev = rec.outcome;
      if (rec.tag == offer_tag::concession && out.concessions < 250)
        ++out.concessions;
    }
    if (out.agreement) {
      const auto o = static_cast<Eigen::Index>(res_.outcome);
      const auto &space = d.sc.space();
      out.outcome = static_cast<std::uint16_t>(res_.outcome);
      out.reduced = space.value_index(res_.outcome, 1) == 1;
      out.premium = space.value_index(res_.outcome, 2) == 1;
      out.price = d.rev[o];
      out.cost = d.cost[o];
    }
    return out;
  }

  struct archetype_desk {
    scenario sc;
    Eigen::ArrayXd rev, cost;
    double seller_res = 0.0;
    std::unique_ptr<negotiator> seller, buyer;
  };
  seller_strategy strategy_;
  const market_model *model_;
  std::array<archetype_desk, customer_type_count> desk_;
  session_options opt_;
  session_result res_;
  // The terms in 32 bits: the agreed package, six flags and the concession
  // count; price and cost come back from the archetype's tables.
  static std::uint32_t pack(const deal_terms &t) noexcept {
    const std::uint32_t flags = (t.agreement ? 1u : 0u) | (t.seller_walked ? 2u : 0u) |
                                (t.reduced ? 4u : 0u) | (t.premium ? 8u : 0u) |
                                (t.matched ? 16u : 0u) | (t.alternatives ? 32u : 0u);
    return static_cast<std::uint32_t>(t.outcome) | (flags << 16) |
           (static_cast<std::uint32_t>(t.concessions) << 24);
  }
  deal_terms unpack(customer_type ty, std::uint32_t v) const noexcept {
    deal_terms t;
    t.outcome = static_cast<std::uint16_t>(v & 0xFFFFu);
    const std::uint32_t flags = (v >> 16) & 0xFFu;
    t.agreement = (flags & 1u) != 0;
    t.seller_walked = (flags & 2u) != 0;
    t.reduced = (flags & 4u) != 0;
    t.premium = (flags & 8u) != 0;
    t.matched = (flags & 16u) != 0;
    t.alternatives = (flags & 32u) != 0;
    t.concessions = static_cast<std::uint8_t>(v >> 24);
    if (t.agreement) {
      const auto &d = desk_[static_cast<std::size_t>(ty)];
      t.price = d.rev[t.outcome];
      t.cost = d.cost[t.outcome];
    }
    return t;
  }
  std::unique_ptr<deal_memo> own_memo_; // only without a shared one
  deal_memo *memo_;
  std::uint64_t lookups_ = 0, sessions_ = 0;
};

inline constexpr double month_days = 30.4375; // 365.25 / 12, exact in binary

/// Per-block output.
struct sim_block {
  std::vector<customer_id> customer;
  std::vector<double> time;
  std::vector<std::uint8_t> kind;
  std::vector<double> amount;
  std::vector<std::int32_t> detail;
  std::vector<double> metrics; // months × count
  std::vector<double> states;  // months × model states: slots per state at month end
  /// Dormancy moves taken at a month end that no later event of the slot
  /// confirmed: undone after the run if due after the as-of time.
  struct unconfirmed_move {
    customer_id slot;
    std::uint32_t month;
    state_code from, to;
    double due;
  };
  std::vector<unconfirmed_move> unconfirmed;
  double last_time = -std::numeric_limits<double>::infinity(); ///< of its events
};

inline constexpr std::uint32_t simulation_block_customers = 256;

/// Reorders a block's events (slots first..last-1, stepped month by month)
/// so that each slot's are contiguous, in time order (a stable counting sort).
inline void group_by_customer(sim_block &b, std::uint32_t first, std::uint32_t last) {
  const std::size_t n = b.customer.size();
  std::vector<std::size_t> start(static_cast<std::size_t>(last - first) + 1, 0);
  for (auto c : b.customer)
    ++start[c - first + 1];
  for (std::size_t i = 1; i < start.size(); ++i)
    start[i] += start[i - 1];
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i)
    order[start[b.customer[i] - first]++] = static_cast<std::uint32_t>(i);
  auto permute = [&](auto &col) {
    auto copy = col;
    for (std::size_t i = 0; i < n; ++i)
      col[i] = copy[order[i]];
  };
  permute(b.customer);
  permute(b.time);
  permute(b.kind);
  permute(b.amount);
  permute(b.detail);
}

/// What every slot of a run shares (read-only) and what a worker reuses.
struct sim_context {
  const simulation_params &p;
  const seller_policy &pol;
  const relationship_model &model;
  const trust_params &tp; ///< measured trust: what the seller's state machine sees
  /// The customers' own trust dynamics (behaviour), by archetype: effort
  /// weights × trust_responsiveness.
  const std::array<trust_params, customer_type_count> &latent;
  const cost_rates &rates;
  feature_needs need;
  std::optional<state_code> at_risk; ///< the model's "at_risk" state, if any
  /// Whether every archetype's latent trust fades with the measured trust's
  /// half-life (then an event's fading factor is computed once for both).
  bool latent_fade_same = false;
  /// The fading factors of the time step between two events of one month
  /// (step_dt days), as fade_cache computes them.
  std::pair<double, double> step_fade{1.0, 1.0};
  static constexpr double step_dt = 0.25;
  /// By archetype, (1 + deal_growth)^(tenure / 12) for tenure 0..months
  /// months, as slot_story::growth computes it.
  const std::array<std::vector<double>, customer_type_count> *growth = nullptr;
};

/// Simulates one slot, month by month (step), alongside its neighbourhood.
class slot_story {
public:
  /// Slot `c` of the block (`key` its ledger key); `visible`: reported in `out`
  /// (else simulated only for its referrals, into `out` without events).
  slot_story(const sim_context &cx, deal_desk &desk, fade_cache &fade, customer_id c,
             std::uint64_t key, bool visible, sim_block &out)
      : cx_(cx), p_(cx.p), mm_(cx.p.model), pol_(cx.pol), desk_(desk), fade_(fade),
        rng_(cx.p.seed, key), rng2_(cx.p.seed, key, 1), out_(out), id_(c),
        record_(visible && cx.p.record_ledger), cur_(cx.model, cx.tp),
        latent_(trust_state::prior(cx.latent[0])) {}

  /// Month 0's draws: the slot's archetype and whether it is a customer.
  void start() {
    const bool active0 = chance(p_.initially_active);
    if (active0) {
      set_type(categorical(rng_, p_.mix));
      status_ = 1;
    } else {
      // The archetype the slot's prospect would bring on either channel.
      warm_type_ = static_cast<std::uint8_t>(categorical(rng_, mm_.warm.mix));
      set_type(categorical(rng_, mm_.cold.mix));
      status_ = 0;
    }
    meetings_per_month_ =
        pol_.meeting_cadence_days > 0.0 ? month_days / pol_.meeting_cadence_days : 0.0;
  }

  /// Month m; `warm_leads`: warm leads a prospect worked on the warm channel
  /// gets this month (referral_leads), at most 1. Returns the referrals given.
  std::uint32_t step(std::uint32_t m, double warm_leads) {
    month_ = m;
    t_ = p_.start_time + month_days * m;
    step_ = 0;
    referrals_ = 0;
    row_ = &out_.metrics[static_cast<std::size_t>(m) * simulation_metrics::count];
    month_profit_ = 0.0;
    month(warm_leads);
    // a dormancy move due before next month's events happens now
    const double next_month = p_.start_time + month_days * (m + 1);
    if (cur_.due_before(cx_.model, next_month)) {
      const auto mv = cur_.take_due();
      unconfirmed_ = sim_block::unconfirmed_move{id_, m, mv.from, mv.to, mv.time};
      unconfirmed_pending_ = true;
    }
    out_.states[static_cast<std::size_t>(m) * cx_.model.state_count() + cur_.state] += 1.0;
    return referrals_;
  }

  /// After the last month: the slot's pending dormancy move, if any.
  customer_type finish() {
    if (unconfirmed_pending_)
      out_.unconfirmed.push_back(unconfirmed_);
    // The block's last event time: a slot's latest is its trust's (NaN, and
    // ignored, without events).
    out_.last_time = std::max(out_.last_time, cur_.ts.last_time);
    return type_;
  }

  [[nodiscard]] bool prospect_now() const noexcept { return status_ == 0; }
  /// The slot's relationship state after the horizon.
  [[nodiscard]] state_code state() const noexcept { return cur_.state; }

private:
  void set_type(std::size_t t) {
    type_ = static_cast<customer_type>(t);
    prof_ = &mm_.archetypes[t];
    lat_ = &cx_.latent[t];
    log_growth_ = std::log1p(prof_->deal_growth);
    growth_row_ = &(*cx_.growth)[t];
  }

  void month(double warm_leads) {
    if (status_ == 0) {
      prospect(warm_leads);
    } else if (status_ >= 2) {
      if (will_return_ && chance(1.0 / prof_->return_months)) {
        emit<event_kind::returned>();
        status_ = 1;
        add(simulation_metrics::won_back, 1.0);
        price_level_ = std::max(price_level_, return_price_);
      }
      if (status_ != 1)
        return;
    } else {
      add(simulation_metrics::active_start, 1.0);
      active_month();
    }
    if (status_ == 1) {
      ++tenure_;
      add(simulation_metrics::active, 1.0);
      add(simulation_metrics::trust_sum, latent_.trust());
    } else if (status_ == 0) {
      add(simulation_metrics::prospects, 1.0);
    }
  }

  void add(std::size_t m, double v) noexcept { row_[m] += v; }

  // The next 16 random bits: each 64-bit word of the stream gives four,
  // low bits first. A new word is taken (without a branch) when the last
  // one's four are used.
  [[gnu::always_inline]] double draw16() noexcept {
    const std::uint64_t fresh = rng_.peek();
    unsigned need = bits_left_ == 0 ? 1u : 0u;
#if defined(__GNUC__)
    asm("" : "+r"(need)); // keep what follows branch-free (need is 1 every fourth draw)
#endif
    const std::uint64_t mask = std::uint64_t{0} - need; // all ones when a word is taken
    const std::uint64_t w = (fresh & mask) | (bits_ & ~mask);
    rng_.take(need != 0);
    bits_left_ = bits_left_ + 4u * need - 1u;
    bits_ = w >> 16;
    return static_cast<double>(w & 0xFFFFu);
  }
  // True with probability p, to 16 bits: u < p · 2^16 (|error| < 2^-16).
  [[gnu::always_inline]] bool chance(double p) noexcept {
    return draw16() < p * 65536.0;
  }
  // A uniform in [0, 1) to 16 bits.
  double uniform16() noexcept {
    return draw16() / 65536.0;
  }
  // True with probability p (to 2^-53), from the slot's second stream (the
  // re-trades), so that the main stream's draws do not depend on them.
  bool chance2(double p) noexcept {
    return static_cast<double>(rng2_.next() >> 11) * 0x1p-53 < p;
  }

  // An event: into the ledger (if kept) and the metrics, and through the
  // relationship engine at its own time (trust.hpp, then the model's
  // transitions by the replay's rules), so replaying the simulated ledger
  // gives back the simulated states. The kind is a template argument: every
  // call site names its kind, so the kind's branches (evidence channel,
  // counts, profit, metrics) are settled at compile time.
  template <event_kind k>
  [[gnu::noinline]] void emit(double amount = 0.0, std::int32_t detail = 0) {
    const double when = t_ + sim_context::step_dt * step_;
    step_ = std::min(step_ + 1.0, 100.0);
    unconfirmed_pending_ = false; // an event after a month-end dormancy move confirms it
    if (cur_.due_before(cx_.model, when))
      (void)cur_.take_due();
    // The customer's latent trust sees the same events at the same times as
    // the seller's measured trust, so it takes the same time step and the
    // same evidence channel (its deal context follows the same events): one
    // channel lookup and no feature counts (only its alpha and beta are
    // read), with the same arithmetic as trust_state::update.
    const double prev = cur_.ts.last_time;
    double d_step = 1.0; // the measured trust's fading factor for this step
    const evidence_channel ch =
        cur_.ts.update_faded(cx_.tp, k, when, amount, detail, [&](double dt) {
          const auto f = dt == sim_context::step_dt ? cx_.step_fade : fade_(cx_.tp, dt);
          d_step = f.first;
          return f;
        });
    if (when > prev) { // false on the first event (NaN) and when dt == 0
      const double d = cx_.latent_fade_same ? d_step : fade_(*lat_, when - prev).first;
      latent_.alpha = lat_->prior_alpha + (latent_.alpha - lat_->prior_alpha) * d;
      latent_.beta = lat_->prior_beta + (latent_.beta - lat_->prior_beta) * d;
    }
    latent_.alpha += lat_->positive[channel_index(ch)];
    latent_.beta += lat_->negative[channel_index(ch)];
    cur_.state = cur_.next(cx_.model, cx_.tp, cx_.need, k, when, amount);
    const double pr = event_profit(k, amount, detail, cx_.rates);
    month_profit_ += pr;
    if constexpr (traits(k).earns_revenue) {
      add(simulation_metrics::revenue, amount);
      add(simulation_metrics::gross_margin, pr);
    } else {
      add(simulation_metrics::cost_to_serve, -pr);
    }
    add(simulation_metrics::profit, pr);
    if (!record_)
      return;
    out_.customer.push_back(id_);
    out_.time.push_back(when);
    out_.kind.push_back(static_cast<std::uint8_t>(k));
    out_.amount.push_back(amount);
    out_.detail.push_back(detail);
  }

  static std::int32_t bps(double margin) {
    return static_cast<std::int32_t>(round_half_away(std::clamp(margin, -10.0, 1.0) * 1e4));
  }

  // (1 + growth)^(tenure in years), once per tenure month.
  // (from the run's table; a tenure beyond it cannot occur, but is computed).
  double growth() const noexcept {
    if (tenure_ < growth_row_->size()) [[likely]]
      return (*growth_row_)[tenure_];
    return std::exp(log_growth_ * static_cast<double>(tenure_) / 12.0);
  }
  double trust() const noexcept {
    return latent_.trust();
  }

  void prospect(double warm_leads) {
    const double w = pol_.warm_referral_share;
    const double cost = w * mm_.warm.cost_per_month + (1.0 - w) * mm_.cold.cost_per_month;
    add(simulation_metrics::acquisition_cost, cost);
    add(simulation_metrics::profit, -cost);
    // Warm: a referral-made lead (or, with referral_leads off, the warm
    // channel's own rate); cold: outreach.
    const double lead = mm_.on.referral_leads ? warm_leads : mm_.baseline_warm_leads;
    const double p_warm = w * lead * mm_.warm.conversion_per_month;
    const double p_cold = (1.0 - w) * mm_.cold.conversion_per_month;
    if (!chance(p_warm + p_cold))
      return;
    const bool warm = chance(p_warm / (p_warm + p_cold));
    if (warm)
      set_type(warm_type_);
    status_ = 1;
    add(simulation_metrics::new_customers, 1.0);
    emit<event_kind::lead>(
        prof_->deal_size,
        static_cast<std::int32_t>(warm ? lead_source::warm_referral : lead_source::cold_call));
    if (warm)
      emit<event_kind::meeting>(1.0); // the introduction
    emit<event_kind::discovery>(2.0);
    deal();
  }

  void active_month() {
    const auto &pr = *prof_;
    const auto &on = mm_.on;
    // Lean in (seed 000): a customer the relationship engine has at risk
    // gets a discovery session first.
    if (pol_.lean_in_at_risk && cx_.at_risk && cur_.state == *cx_.at_risk) {
      emit<event_kind::discovery>(2.0);
      discovery_ += 2.0;
    }
    // Scheduled meetings; beyond saturation they tire instead of build.
    if (meetings_per_month_ > 0.0) {
      const double whole = std::floor(meetings_per_month_);
      auto k = static_cast<std::uint32_t>(whole);
      if (chance(meetings_per_month_ - whole))
        ++k;
      const double useful = on.meeting_saturation ? mm_.meeting_saturation : 1e9;
      const double w_meeting = lat_->positive[channel_index(evidence_channel::meeting)];
      for (std::uint32_t i = 0; i < k; ++i) {
        emit<event_kind::meeting>(1.5);
        if (static_cast<double>(i) + 1.0 > useful) {
          latent_.alpha -= w_meeting;
          latent_.beta += mm_.meeting_fatigue;
        }
      }
      meetings_ += k;
    }
    if (chance(pol_.discovery_per_year / 12.0)) {
      emit<event_kind::discovery>(2.0);
      discovery_ += 2.0;
    }
    if (chance(pol_.promises_per_year / 12.0)) {
      if (chance(pol_.promise_keep_rate)) {
        emit<event_kind::promise_kept>();
        kept_ += 1.0;
      } else {
        emit<event_kind::promise_broken>();
      }
    }
    if (chance(std::min(1.0, pr.purchases_per_year / 12.0 * (0.5 + trust())))) {
      const double amount = pr.deal_size * pr.order_share * growth() * price_level_;
      emit<event_kind::purchase>(amount, bps(1.0 - (1.0 - pr.margin) / price_level_));
    }
    if (chance(pr.deals_per_year / 12.0))
      deal();
    if (chance(pr.service_per_year / 12.0))
      emit<event_kind::service_issue>(500.0);
    if (chance(pr.support_per_year / 12.0))
      emit<event_kind::support>(2.0);
    const double tr = trust();
    if (chance(std::min(1.0, pr.referrals_per_year / 12.0 * tr * tr))) {
      emit<event_kind::referral_given>();
      add(simulation_metrics::referrals, 1.0);
      ++referrals_;
    }
    // Effort and profit memories (12- and 3-month exponential windows).
    const double a12 = 1.0 / 12.0, a3 = 1.0 / 3.0;
    profit12_ += a12 * (12.0 * month_profit_ - profit12_);
    profit3_ += a3 * (12.0 * month_profit_ - profit3_);
    meetings_ *= 1.0 - a12;
    discovery_ *= 1.0 - a12;
    kept_ *= 1.0 - a12;
    // Firing.
    if (pol_.firing != firing_rule::never && tenure_ >= 6) {
      bool fire = false;
      if (pol_.firing == firing_rule::unprofitable) {
        fire = profit12_ < 0.0;
      } else {
        const auto &th = pol_.fire_thresholds;
        // The 12-month memories of counts, scaled to a yearly sum: adding k a
        // month, then keeping 11/12, settles at 11 k (a year holds 12 k).
        constexpr double scale = 11.0;
        fire = customer_rule(profit12_, profit3_ - profit12_, trust(), meetings_ * 12.0 / scale,
                             discovery_ * 12.0 / scale, kept_ * 12.0 / scale,
                             th) == customer_action::fire;
      }
      if (fire) {
        emit<event_kind::fire>();
        status_ = 3;
        add(simulation_metrics::fired, 1.0);
        exit(true, pol_.gracious_exit);
        return;
      }
    }
    // A recognised win-lose negotiator: exit gracefully (seed 001).
    if (recognised_win_lose()) {
      emit<event_kind::fire>();
      status_ = 3;
      add(simulation_metrics::fired, 1.0);
      exit(true, true);
      return;
    }
    // Churn: hazard grows as trust falls.
    const double hazard = pr.churn_per_year / 12.0 * 2.0 * (1.0 - trust());
    if (chance(hazard)) {
      emit<event_kind::churn>();
      status_ = 2;
      add(simulation_metrics::churned, 1.0);
      exit(false, pol_.gracious_exit);
    }
  }

  // Whether the policy has seen enough of the customer's responses to call it
  // a win-lose negotiator (exit_win_lose, mechanism win_lose_exit).
  [[nodiscard]] bool recognised_win_lose() const noexcept {
    return pol_.exit_win_lose && mm_.on.win_lose_exit && deals_seen_ >= pol_.win_lose_min_deals &&
           win_lose_signals_ >= pol_.win_lose_threshold * deals_seen_;
  }

  // Whether, and at what price, the customer who just left will come back.
  void exit(bool fired, bool gracious) {
    const auto &pr = *prof_;
    double p = pr.return_share;
    return_price_ = 0.0; // the old price level
    if (mm_.on.conduct_at_exit) {
      p *= std::pow(std::clamp(trust() / 0.5, 0.0, 2.0), mm_.return_trust_elasticity);
      if (!gracious)
        p *= mm_.ungracious_return_factor;
      const bool owned = pol_.authority == seller_authority::owns_floor || !mm_.on.seller_authority;
      if (fired && owned)
        return_price_ = mm_.owned_fire_return_price;
    }
    will_return_ = chance(std::min(1.0, p));
    deals_seen_ = win_lose_signals_ = 0.0; // a returning customer is judged afresh
  }

  void deal() {
    const auto &pr = *prof_;
    const auto &on = mm_.on;
    add(simulation_metrics::deals, 1.0);
    const double size = lognormal(rng_, 0.0, mm_.deal_size_sigma);
    const double list = pr.deal_size * growth() * size;
    // A rival's quote, mild or deep, relative to list.
    double quote = 0.0;
    if (chance(pr.quote_prob)) {
      // Mild (around 88% of list) or deep (78%), give or take 4 points.
      const double level = chance(0.5) ? quote_levels[1] : quote_levels[2];
      quote = level + 0.08 * (uniform16() - 0.5);
    }
    const auto d = desk_.negotiate(type_, trust(), quote);
    emit<event_kind::proposal>(list);
    if (on.proposal_effort && pr.proposal_hours > 0.0)
      emit<event_kind::custom_request>(pr.proposal_hours);
    if (quote > 0.0)
      emit<event_kind::competitor_quote>(list * quote);
    if (d.matched) {
      emit<event_kind::price_match>(list * std::max(d.price, quote));
      add(simulation_metrics::price_matches, 1.0);
    }
    if (d.concessions > 0 && d.agreement && d.price < 1.0)
      emit<event_kind::concession>(list * (1.0 - d.price));
    if (d.reduced)
      emit<event_kind::scope_change>(-list * (1.0 - reduced_scope));
    if (d.alternatives) {
      emit<event_kind::alternative_offered>(list * std::max(d.price, 0.7));
      add(simulation_metrics::alternatives, 1.0);
    }
    // Re-trades at the close (seed 001), from the slot's second stream:
    // right before signing the customer cuts the scope late (an agreed deal
    // is delivered at the reduced scope, at the agreed unit price) and, if
    // the seller conceded, demands more (on an agreed deal the seller gives
    // retrade_concession of list; on a failed one the demand ends it). The
    // seller counts them per deal: its win-lose signals.
    double price_rel = d.price, cost_rel = d.cost;
    bool reduced = d.reduced;
    if (on.retrades) {
      double signals = 0.0;
      if (!reduced && chance2(pr.scope_cut_prob)) {
        emit<event_kind::scope_change>(-list * (1.0 - reduced_scope));
        if (d.agreement) {
          price_rel *= reduced_scope;
          cost_rel *= reduced_scope;
          reduced = true;
        }
        signals += 1.0;
      }
      if ((d.concessions > 0 || d.matched) && chance2(pr.demand_after_concession_prob)) {
        if (d.agreement) {
          emit<event_kind::concession>(list * mm_.retrade_concession);
          price_rel -= mm_.retrade_concession;
        }
        signals += 1.0;
      }
      deals_seen_ += 1.0;
      win_lose_signals_ += signals;
    }
    bool agreed = d.agreement;
    loss_reason lost_as = loss_reason::competitor;
    // An authority-limited seller takes a low price to the boss (seed 003).
    if (agreed && on.seller_authority && pol_.authority == seller_authority::limited &&
        price_rel < pol_.escalation_threshold) {
      emit<event_kind::meeting>(1.0);
      latent_.beta += mm_.credibility_cost;
      if (chance(mm_.escalation_loss)) {
        agreed = false;
        lost_as = loss_reason::timing;
      }
    }
    // A rival can take even an agreed deal.
    if (agreed && on.rival_losses && chance(pr.rival_win_prob * (1.5 - trust())))
      agreed = false;
    if (agreed) {
      const double price = list * price_rel;
      emit<event_kind::deal_won>(price, bps(1.0 - cost_rel / price_rel));
      add(simulation_metrics::deals_won, 1.0);
      // The cost-to-serve of the deal grows faster than its size.
      if (on.large_deal_cost && mm_.large_deal_serve_share > 0.0)
        emit<event_kind::custom_request>(price * mm_.large_deal_serve_share *
                                         std::pow(size, mm_.large_deal_elasticity) /
                                         cx_.rates.custom_request_hour);
      // The reference price anchors on what was paid per unit of scope.
      const double unit = price_rel / (reduced ? reduced_scope : 1.0);
      price_level_ = std::clamp(0.7 * price_level_ + 0.3 * unit, 0.6, 1.2);
    } else if (d.agreement) {
      emit<event_kind::deal_lost>(list, static_cast<std::int32_t>(lost_as));
    } else if (d.seller_walked) {
      emit<event_kind::walk_away>(list);
      emit<event_kind::deal_lost>(list, static_cast<std::int32_t>(loss_reason::walked_away));
      add(simulation_metrics::walk_aways, 1.0);
    } else {
      const auto reason = quote > 0.0
                              ? loss_reason::price
                              : (type_ == customer_type::rfp_idea_taker ? loss_reason::competitor
                                                                        : loss_reason::no_decision);
      emit<event_kind::deal_lost>(list, static_cast<std::int32_t>(reason));
    }
  }

  const sim_context &cx_;
  const simulation_params &p_;
  const market_model &mm_;
  const seller_policy &pol_;
  deal_desk &desk_;
  fade_cache &fade_;
  counter_stream rng_;
  counter_stream rng2_; // the re-trades (mechanism retrades)
  sim_block &out_;
  customer_id id_;
  bool record_;
  relationship_cursor cur_; // the seller's view: measured trust and the model's state
  sim_block::unconfirmed_move unconfirmed_{};
  bool unconfirmed_pending_ = false;
  trust_state latent_; // the customer's own trust, which drives behaviour
  const trust_params *lat_ = nullptr;
  customer_type type_ = customer_type::loyal_partner;
  std::uint8_t warm_type_ = 0;
  const type_profile *prof_ = nullptr;
  std::uint8_t status_ = 0; // 0 prospect, 1 active, 2 churned, 3 fired
  bool will_return_ = false;
  std::uint32_t month_ = 0, tenure_ = 0, referrals_ = 0;
  double t_ = 0.0;
  double step_ = 0.0;
  double *row_ = nullptr;
  double meetings_per_month_ = 0.0;
  double month_profit_ = 0.0, profit12_ = 0.0, profit3_ = 0.0;
  double meetings_ = 0.0, discovery_ = 0.0, kept_ = 0.0;
  /// Deals seen and win-lose signals counted since the customer (re)joined.
  double deals_seen_ = 0.0, win_lose_signals_ = 0.0;
  double price_level_ = 1.0, return_price_ = 0.0;
  double log_growth_ = 0.0;
  const std::vector<double> *growth_row_ = nullptr;
  std::uint64_t bits_ = 0;
  unsigned bits_left_ = 0;
};

} // namespace detail

/// How a simulated customer's trust moves: the evidence model of trust.hpp
/// with weights on the seller's effort as well as on the customer's
/// responses. This is a mechanism of the simulated market (its customers
/// respond to effort), not a measurement: replaying a ledger measures trust
/// with trust_params::defaults() or weights fitted by fit_trust.
[[nodiscard]] inline trust_params simulated_trust_dynamics() {
  trust_params p = trust_params::defaults();
  p.positive.fill(0.0);
  p.negative.fill(0.0);
  auto pos = [&](evidence_channel c, double w) { p.positive[detail::channel_index(c)] = w; };
  auto neg = [&](evidence_channel c, double w) { p.negative[detail::channel_index(c)] = w; };
  // Effort the simulated customers respond to (seed 000: understanding the
  // customer's world; seed 003: regular meetings; keeping promises). The
  // meeting weight is replaced by the run's market_model::meeting_trust_weight.
  pos(evidence_channel::meeting, 0.5);
  pos(evidence_channel::discovery, 1.0);
  pos(evidence_channel::promise_kept, 2.0);
  pos(evidence_channel::support, 0.25);
  pos(evidence_channel::alternative_offered, 0.5);
  neg(evidence_channel::price_match, 1.5);
  neg(evidence_channel::concession, 0.5);
  neg(evidence_channel::promise_broken, 3.0);
  neg(evidence_channel::service_issue, 2.0);
  neg(evidence_channel::walk_away, 0.25);
  neg(evidence_channel::fire, 3.0);
  // Their responses, the same weight however a deal was won or lost.
  pos(evidence_channel::referral, 3.0);
  for (auto c : {evidence_channel::won_at_list, evidence_channel::won_after_concession,
                 evidence_channel::won_after_match})
    pos(c, 1.0);
  pos(evidence_channel::purchase, 0.25);
  pos(evidence_channel::refund, 0.25);
  pos(evidence_channel::returned, 1.0);
  neg(evidence_channel::competitor_quote, 0.5);
  neg(evidence_channel::scope_cut, 0.25);
  neg(evidence_channel::scope_added, 0.25);
  neg(evidence_channel::lost_on_price, 0.25);
  neg(evidence_channel::lost_other, 0.25);
  neg(evidence_channel::churn, 3.0);
  return p;
}

/// Called after each block of slots: (slots done, total).
using simulation_progress = std::function<void(std::size_t, std::size_t)>;

/// Simulate `policy` on the market of `params` (see the header comment),
/// stepping every customer's relationship through `model` (default:
/// relationship_selling()). The result is identical for any params.threads.
[[nodiscard]] inline simulation_result simulate(const seller_policy &policy,
                                                const simulation_params &params,
                                                const relationship_model &model,
                                                const simulation_progress &progress = {}) {
  policy.validate();
  params.validate();
  if (params.as_of > params.start_time + detail::month_days * params.months)
    throw invalid_input("as_of", "is after the end of the horizon");
  const auto tp = trust_params::defaults();
  const auto dynamics = simulated_trust_dynamics();
  // Each archetype's latent trust: effort weighed by its responsiveness.
  std::array<trust_params, customer_type_count> latent;
  for (std::size_t a = 0; a < customer_type_count; ++a) {
    latent[a] = dynamics;
    latent[a].positive[detail::channel_index(evidence_channel::meeting)] =
        params.model.meeting_trust_weight;
    if (!params.model.on.trust_responsiveness)
      continue;
    for (auto c :
         {evidence_channel::meeting, evidence_channel::discovery, evidence_channel::promise_kept,
          evidence_channel::support, evidence_channel::alternative_offered})
      latent[a].positive[detail::channel_index(c)] *=
          params.model.archetypes[a].trust_responsiveness;
  }
  const cost_rates rates;
  bool latent_fade_same = true;
  for (const auto &l : latent)
    latent_fade_same = latent_fade_same && l.half_life_days == tp.half_life_days;
  constexpr double step_dt = detail::sim_context::step_dt;
  std::array<std::vector<double>, customer_type_count> growth;
  for (std::size_t a = 0; a < customer_type_count; ++a) {
    const double lg = std::log1p(params.model.archetypes[a].deal_growth);
    growth[a].resize(std::size_t{params.months} + 1);
    for (std::uint32_t n = 0; n <= params.months; ++n)
      growth[a][n] = n == 0 ? 1.0 : std::exp(lg * static_cast<double>(n) / 12.0);
  }
  const detail::sim_context cx{
      params,
      policy,
      model,
      tp,
      latent,
      rates,
      detail::feature_needs(model),
      model.find_state("at_risk"),
      latent_fade_same,
      {std::exp2(-step_dt / tp.half_life_days), std::exp2(-step_dt / tp.activity_half_life_days)},
      &growth};
  const std::size_t n_states = model.state_count();
  simulation_result result;
  const std::uint32_t n = params.customers;
  result.types.resize(n);
  result.states.resize(n);
  result.metrics.months = params.months;
  result.metrics.values.assign(static_cast<std::size_t>(params.months) * simulation_metrics::count,
                               0.0);
  result.metrics.state_names = model.states();
  result.metrics.state_counts.assign(static_cast<std::size_t>(params.months) * n_states, 0.0);
  result.customer_months = static_cast<std::uint64_t>(n) * params.months;
  if (params.record_ledger)
    for (std::uint32_t i = 0; i < n; ++i)
      result.events.intern(static_cast<std::int64_t>(params.first_customer) + i);
  if (n == 0)
    return result;
  // One block per neighbourhood of `block` keys (aligned to key 0) that
  // the run's slots touch.
  const std::size_t block = detail::simulation_block_customers;
  const std::size_t nb0 = params.first_customer / block;
  const std::size_t nblocks = (params.first_customer + n - 1) / block - nb0 + 1;
  if (params.record_ledger) {
    // Generous (about 3 events per customer-month, capped): address space
    // reserved but never touched costs no memory.
    const double guess = 3.2 * static_cast<double>(result.customer_months);
    result.events.reserve(guess >= static_cast<double>(ledger::max_size)
                              ? ledger::max_size
                              : static_cast<std::size_t>(guess));
  }
  // Per worker: a negotiation desk and a trust fade cache, reused from slot
  // to slot (neither changes any result).
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(params.threads, nblocks));
  detail::deal_memo memo;
  std::vector<detail::sim_block::unconfirmed_move> unconfirmed;
  double last_time = -std::numeric_limits<double>::infinity();
  std::vector<std::optional<detail::deal_desk>> desks(threads);
  std::vector<detail::fade_cache> fades(threads);
  std::vector<detail::sim_block> scratch(threads); // the neighbours outside the run
  detail::run_ordered_blocks<detail::sim_block>(
      nblocks, threads,
      [&](std::size_t b, detail::sim_block &out, unsigned worker) {
        auto &desk = desks[worker];
        if (!desk)
          desk.emplace(policy, params.model, &memo);
        auto &other = scratch[worker];
        for (auto *o : {&out, &other}) {
          o->metrics.assign(static_cast<std::size_t>(params.months) * simulation_metrics::count,
                            0.0);
          o->states.assign(static_cast<std::size_t>(params.months) * n_states, 0.0);
          o->unconfirmed.clear();
          o->last_time = -std::numeric_limits<double>::infinity();
        }
        const std::uint64_t key0 = (nb0 + b) * block; // the neighbourhood's first key
        const std::uint64_t lo = std::max<std::uint64_t>(key0, params.first_customer);
        const std::uint64_t hi =
            std::min<std::uint64_t>(key0 + block, std::uint64_t{params.first_customer} + n);
        const auto first = static_cast<std::uint32_t>(lo - params.first_customer);
        const auto last = static_cast<std::uint32_t>(hi - params.first_customer);
        if (params.record_ledger) {
          const std::size_t guess = static_cast<std::size_t>(last - first) * params.months * 3;
          out.customer.reserve(guess);
          out.time.reserve(guess);
          out.kind.reserve(guess);
          out.amount.reserve(guess);
          out.detail.reserve(guess);
        }
        // The whole neighbourhood, stepped month by month together: its
        // referrals of one month are its warm leads of the next.
        std::vector<detail::slot_story> stories;
        stories.reserve(block);
        for (std::uint64_t key = key0; key < key0 + block; ++key) {
          const bool visible = key >= lo && key < hi;
          const auto c = static_cast<customer_id>(visible ? key - params.first_customer : 0);
          stories.emplace_back(cx, *desk, fades[worker], c, key, visible, visible ? out : other);
        }
        for (auto &st : stories)
          st.start();
        double warm_leads = 0.0;
        for (std::uint32_t m = 0; m < params.months; ++m) {
          std::uint64_t referrals = 0, prospects = 0;
          for (auto &st : stories) {
            referrals += st.step(m, warm_leads);
            prospects += st.prospect_now() ? 1u : 0u;
          }
          warm_leads = prospects == 0 ? 0.0
                                      : std::min(1.0, params.model.leads_per_referral *
                                                          static_cast<double>(referrals) /
                                                          static_cast<double>(prospects));
        }
        for (std::uint64_t key = lo; key < hi; ++key) {
          auto &st = stories[key - key0];
          const auto c = static_cast<std::uint32_t>(key - params.first_customer);
          result.types[c] = st.finish();
          result.states[c] = st.state();
        }
        if (params.record_ledger)
          detail::group_by_customer(out, first, last);
      },
      [&](std::size_t b, detail::sim_block &bl) {
        if (params.record_ledger)
          result.events.append(
              std::span<const customer_id>(bl.customer), std::span<const double>(bl.time),
              std::span<const std::uint8_t>(bl.kind), std::span<const double>(bl.amount),
              std::span<const std::int32_t>(bl.detail));
        // Commits come in block order: the sums are the same for any thread count.
        auto &v = result.metrics.values;
        for (std::size_t i = 0; i < v.size(); ++i)
          v[i] += bl.metrics[i];
        auto &sv = result.metrics.state_counts;
        for (std::size_t i = 0; i < sv.size(); ++i)
          sv[i] += bl.states[i];
        unconfirmed.insert(unconfirmed.end(), bl.unconfirmed.begin(), bl.unconfirmed.end());
        last_time = std::max(last_time, bl.last_time);
        bl.unconfirmed.clear();
        bl.last_time = -std::numeric_limits<double>::infinity();
        bl.customer.clear();
        bl.time.clear();
        bl.kind.clear();
        bl.amount.clear();
        bl.detail.clear();
        if (progress)
          progress(std::min<std::size_t>(n, (b + 1) * block), n);
      });
  // Month-end dormancy moves no event confirmed stand only if due by the
  // as-of time: a replay of the ledger cannot see past its last event.
  const double as_of = std::isnan(params.as_of) ? last_time : params.as_of;
  result.as_of = std::isfinite(as_of) ? as_of : std::numeric_limits<double>::quiet_NaN();
  for (const auto &u : unconfirmed) {
    if (u.due <= as_of)
      continue;
    auto &sv = result.metrics.state_counts;
    for (std::uint32_t m = u.month; m < params.months; ++m) {
      sv[static_cast<std::size_t>(m) * n_states + u.to] -= 1.0;
      sv[static_cast<std::size_t>(m) * n_states + u.from] += 1.0;
    }
    result.states[u.slot] = u.from;
  }
  return result;
}

/// simulate() with the default relationship model, relationship_selling().
[[nodiscard]] inline simulation_result simulate(const seller_policy &policy,
                                                const simulation_params &params,
                                                const simulation_progress &progress = {}) {
  static const relationship_model model = relationship_selling();
  return simulate(policy, params, model, progress);
}

} // namespace goodwill

#endif // GOODWILL_SYNTHETIC_SIMULATION_HPP
