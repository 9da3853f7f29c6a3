// goodwill — events: the facts everything else is derived from.
//
// Design: an event is (customer, time, kind, amount, detail, rep). Time is in days
// (float64, any origin), amount in currency units unless the kind says
// otherwise, and detail is a small integer whose meaning depends on the kind
// (a loss reason for deal_lost, a lead source for lead, a margin in basis
// points for deal_won and purchase), and rep is the salesperson who acted
// (no_rep when the data does not say). The numeric codes of kinds, loss reasons
// and lead sources are part of the saved-ledger format: new values are only
// ever appended, never renumbered. Python sees the names ("price_match").
#ifndef GOODWILL_EVENT_HPP
#define GOODWILL_EVENT_HPP

#include <array>
#include <cstdint>
#include <goodwill/enum_names.hpp>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

namespace goodwill {

/// Dense customer identifier inside a ledger (0, 1, 2, ...).
using customer_id = std::uint32_t;

/// Dense salesperson identifier inside a ledger (0, 1, 2, ...; the ledger
/// interns the names, see ledger::intern_rep).
using rep_id = std::uint32_t;

/// The rep of an event that carries no salesperson.
inline constexpr rep_id no_rep = 0xFFFFFFFFu;

/// What happened. The comment after each kind says what `amount` and
/// `detail` mean for it; kinds whose amount may be negative say so.
enum class event_kind : std::uint8_t {
  lead = 0,                ///< a new lead; amount: expected value; detail: lead_source
  meeting = 1,             ///< a meeting held; amount: hours
  discovery = 2,           ///< needs/pain discovery work; amount: hours
  proposal = 3,            ///< we proposed a price; amount: list or asking price
  competitor_quote = 4,    ///< the customer cites a rival quote; amount: that price
  concession = 5,          ///< we gave a discount; amount: discount in currency
  price_match = 6,         ///< we met or beat a rival price; amount: the price; detail: 1 if beaten
  scope_change = 7,        ///< scope changed; amount: change of deal value (negative: a cut)
  alternative_offered = 8, ///< we offered another package; amount: its value
  deal_won = 9,   ///< a deal closed won; amount: close value; detail: margin in basis points
  deal_lost = 10, ///< a deal closed lost; amount: value lost; detail: loss_reason
  purchase =
      11, ///< a purchase; amount: revenue (negative: a refund); detail: margin in basis points
  service_issue = 12,  ///< a service failure; amount: its cost to the customer
  promise_kept = 13,   ///< a promise kept
  promise_broken = 14, ///< a promise broken
  referral_given = 15, ///< the customer referred someone; detail: referred customer id or 0
  walk_away = 16,      ///< we walked away from a sale (not the customer); amount: its value
  fire = 17,           ///< we ended the relationship (fired the customer)
  churn = 18,          ///< the customer left
  returned = 19,       ///< a lost, churned or fired customer came back ("return")
  support = 20,        ///< support given; amount: hours
  custom_request = 21, ///< custom work requested; amount: hours
  opportunity = 22,    ///< an opportunity was opened (a CRM record); amount: its list value or 0
};

/// Number of event kinds.
inline constexpr std::size_t event_kind_count = 23;

/// Who an event is about. The first essay's question ("how much effort have
/// I put into building trust versus ... the transactional game?") needs the
/// seller's effort and the customer's response kept apart: trust is
/// estimated from responses only, and whether effort raises it is an
/// estimated effect (fit_trust), never a built-in weight.
enum class event_role : std::uint8_t {
  neutral = 0,  ///< a record that is neither (a lead, an opportunity opened)
  effort = 1,   ///< something the seller did (or failed to do)
  response = 2, ///< something the customer did
  decision = 3, ///< the seller ended a sale or the relationship (walk_away, fire)
};

/// Names of the roles, indexed by code.
inline constexpr std::array<std::string_view, 4> event_role_names{"neutral", "effort", "response",
                                                                  "decision"};
template <> struct enum_traits<event_role> {
  static constexpr const auto &names = event_role_names;
};

/// What kind of effort an effort event is (none for the other roles).
enum class effort_class : std::uint8_t {
  none = 0,
  trust_building = 1, ///< meetings, discovery, support, alternatives offered, promises kept
  transactional = 2,  ///< concessions and price matches given: the price game
  other = 3,          ///< proposals and custom work: selling effort of neither kind
  failure = 4,        ///< promises broken and service failures
};

/// Names of the effort classes, indexed by code.
inline constexpr std::array<std::string_view, 5> effort_class_names{
    "none", "trust_building", "transactional", "other", "failure"};
template <> struct enum_traits<effort_class> {
  static constexpr const auto &names = effort_class_names;
};

/// Everything goodwill knows about a kind, in one table (indexed by code).
struct event_kind_traits {
  event_kind kind;
  std::string_view name; ///< the string Python uses ("price_match")
  event_role role;
  effort_class effort;
  bool negative_amount; ///< the amount may be negative (scope cuts, refunds)
  bool amount_is_hours; ///< the amount is hours of the seller's time
  bool interaction;     ///< counts as an interaction for engagement
  bool deal_event;      ///< part of a deal (denominator of the price share)
  bool price_event;     ///< about price (numerator of the price share)
  /// A round of a negotiation (a proposal, quote, concession, match, scope
  /// change or alternative): what cost_rates::negotiation_round prices.
  bool negotiation_round;
  bool closes_deal;   ///< ends a deal: deal_won or deal_lost
  bool earns_revenue; ///< revenue, with a margin in `detail`: deal_won or purchase
};

namespace detail {
constexpr event_kind_traits kind_row(event_kind kind, std::string_view name, event_role role,
                                     effort_class effort, bool negative_amount = false,
                                     bool hours = false, bool interaction = true, bool deal = false,
                                     bool price = false, bool round = false, bool close = false,
                                     bool revenue = false) noexcept {
  return {kind,        name, role,  effort, negative_amount, hours,
          interaction, deal, price, round,  close,           revenue};
}
} // namespace detail

/// The kind table. Roles follow DESIGN.md ("Effort and response").
inline constexpr std::array<event_kind_traits, event_kind_count> event_kind_table{{
    detail::kind_row(event_kind::lead, "lead", event_role::neutral, effort_class::none),
    detail::kind_row(event_kind::meeting, "meeting", event_role::effort,
                     effort_class::trust_building, false, true),
    detail::kind_row(event_kind::discovery, "discovery", event_role::effort,
                     effort_class::trust_building, false, true),
    detail::kind_row(event_kind::proposal, "proposal", event_role::effort, effort_class::other,
                     false, false, true, true, false, true),
    detail::kind_row(event_kind::competitor_quote, "competitor_quote", event_role::response,
                     effort_class::none, false, false, true, true, true, true),
    detail::kind_row(event_kind::concession, "concession", event_role::effort,
                     effort_class::transactional, false, false, true, true, true, true),
    detail::kind_row(event_kind::price_match, "price_match", event_role::effort,
                     effort_class::transactional, false, false, true, true, true, true),
    detail::kind_row(event_kind::scope_change, "scope_change", event_role::response,
                     effort_class::none, true, false, true, true, false, true),
    detail::kind_row(event_kind::alternative_offered, "alternative_offered", event_role::effort,
                     effort_class::trust_building, false, false, true, true, false, true),
    detail::kind_row(event_kind::deal_won, "deal_won", event_role::response, effort_class::none,
                     false, false, true, true, false, false, true, true),
    detail::kind_row(event_kind::deal_lost, "deal_lost", event_role::response, effort_class::none,
                     false, false, true, true, false, false, true),
    detail::kind_row(event_kind::purchase, "purchase", event_role::response, effort_class::none,
                     true, false, true, true, false, false, false, true),
    detail::kind_row(event_kind::service_issue, "service_issue", event_role::effort,
                     effort_class::failure),
    detail::kind_row(event_kind::promise_kept, "promise_kept", event_role::effort,
                     effort_class::trust_building),
    detail::kind_row(event_kind::promise_broken, "promise_broken", event_role::effort,
                     effort_class::failure),
    detail::kind_row(event_kind::referral_given, "referral_given", event_role::response,
                     effort_class::none),
    detail::kind_row(event_kind::walk_away, "walk_away", event_role::decision, effort_class::none),
    detail::kind_row(event_kind::fire, "fire", event_role::decision, effort_class::none, false,
                     false, false),
    detail::kind_row(event_kind::churn, "churn", event_role::response, effort_class::none, false,
                     false, false),
    detail::kind_row(event_kind::returned, "return", event_role::response, effort_class::none),
    detail::kind_row(event_kind::support, "support", event_role::effort,
                     effort_class::trust_building, false, true),
    detail::kind_row(event_kind::custom_request, "custom_request", event_role::effort,
                     effort_class::other, false, true),
    // a CRM record of an opening, not an interaction with the customer
    detail::kind_row(event_kind::opportunity, "opportunity", event_role::neutral,
                     effort_class::none, false, false, false),
}};

namespace detail {
constexpr bool kind_table_in_code_order() noexcept {
  for (std::size_t i = 0; i < event_kind_count; ++i)
    if (static_cast<std::size_t>(event_kind_table[i].kind) != i)
      return false;
  return true;
}
} // namespace detail
static_assert(detail::kind_table_in_code_order(), "event_kind_table must be in code order");

/// The traits of a kind.
[[nodiscard]] constexpr const event_kind_traits &traits(event_kind k) noexcept {
  return event_kind_table[static_cast<std::size_t>(k)];
}

namespace detail {
template <std::size_t... I>
constexpr std::array<std::string_view, event_kind_count>
kind_names(std::index_sequence<I...>) noexcept {
  return {event_kind_table[I].name...};
}
} // namespace detail

/// Names of the kinds, indexed by code; these are the strings Python uses.
inline constexpr std::array<std::string_view, event_kind_count> event_kind_names =
    detail::kind_names(std::make_index_sequence<event_kind_count>{});
template <> struct enum_traits<event_kind> {
  static constexpr const auto &names = event_kind_names;
};

/// The name of a kind ("price_match").
[[nodiscard]] constexpr std::string_view to_string(event_kind k) noexcept {
  return enum_name(k);
}

/// The kind with this name, if any.
[[nodiscard]] constexpr std::optional<event_kind>
event_kind_from_string(std::string_view name) noexcept {
  return enum_from_name<event_kind>(name);
}

/// Whether a raw code names a kind.
[[nodiscard]] constexpr bool is_event_kind(std::uint8_t code) noexcept {
  return code < event_kind_count;
}

/// The trait columns, by name, as bindings and tests read them (in table
/// order after kind, name, role and effort).
inline constexpr std::array<std::pair<std::string_view, bool event_kind_traits::*>, 8>
    event_kind_flags{{{"negative_amount", &event_kind_traits::negative_amount},
                      {"amount_is_hours", &event_kind_traits::amount_is_hours},
                      {"interaction", &event_kind_traits::interaction},
                      {"deal_event", &event_kind_traits::deal_event},
                      {"price_event", &event_kind_traits::price_event},
                      {"negotiation_round", &event_kind_traits::negotiation_round},
                      {"closes_deal", &event_kind_traits::closes_deal},
                      {"earns_revenue", &event_kind_traits::earns_revenue}}};

/// Whether the amount of this kind may be negative (scope cuts, refunds).
[[nodiscard]] constexpr bool allows_negative_amount(event_kind k) noexcept {
  return traits(k).negative_amount;
}

/// Why a deal was lost: the `detail` of a deal_lost event.
enum class loss_reason : std::int32_t {
  unspecified = 0,
  price = 1,        ///< a lower price elsewhere
  competitor = 2,   ///< a rival's solution was preferred on other grounds
  no_decision = 3,  ///< the customer did nothing
  timing = 4,       ///< not now
  budget = 5,       ///< no budget
  product_fit = 6,  ///< our product did not fit the need
  relationship = 7, ///< trust or relationship problems
  scope = 8,        ///< a late scope change killed the deal
  walked_away = 9,  ///< we walked away (below our floor)
  other = 10,
};

/// Number of loss reasons.
inline constexpr std::size_t loss_reason_count = 11;

/// Names of the loss reasons, indexed by code.
inline constexpr std::array<std::string_view, loss_reason_count> loss_reason_names{
    "unspecified", "price",        "competitor", "no_decision", "timing", "budget",
    "product_fit", "relationship", "scope",      "walked_away", "other"};
template <> struct enum_traits<loss_reason> {
  static constexpr const auto &names = loss_reason_names;
};

/// Where a lead came from: the `detail` of a lead event.
enum class lead_source : std::int32_t {
  unspecified = 0,
  warm_referral = 1,     ///< introduced by a customer or partner
  cold_call = 2,         ///< cold outreach
  inbound = 3,           ///< the customer came to us
  existing_customer = 4, ///< a new need of a current customer
  event = 5,             ///< a trade show, webinar, conference
  partner = 6,           ///< a channel partner
};

/// Number of lead sources.
inline constexpr std::size_t lead_source_count = 7;

/// Names of the lead sources, indexed by code.
inline constexpr std::array<std::string_view, lead_source_count> lead_source_names{
    "unspecified",       "warm_referral", "cold_call", "inbound",
    "existing_customer", "event",         "partner"};
template <> struct enum_traits<lead_source> {
  static constexpr const auto &names = lead_source_names;
};

/// `detail` of deal_won and purchase events when the margin is not known.
inline constexpr std::int32_t margin_unknown = std::numeric_limits<std::int32_t>::min();

/// One event, as a row. Ledgers store events column by column; this struct
/// is for building and reading single events.
struct event {
  customer_id customer = 0;
  double time = 0.0;
  event_kind kind = event_kind::lead;
  double amount = 0.0;
  std::int32_t detail = 0;
  rep_id rep = no_rep; ///< the salesperson who acted, or no_rep

  friend bool operator==(const event &, const event &) = default;
};

} // namespace goodwill

#endif // GOODWILL_EVENT_HPP
