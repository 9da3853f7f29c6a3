// goodwill — the evidence profile: what a ledger holds, and what it cannot
// support.
//
// Design: one pass over a ledger (customers in time order, as the analyses
// read them) counts, per event kind and per trust evidence channel
// (trust.hpp), the events and the customers with at least one; the share of
// deal_won and purchase events whose margin is known (detail !=
// margin_unknown); the share of deal_lost events whose loss reason is known
// (detail != loss_reason::unspecified); the time span. From those counts
// come flags (has_competitor_data(), has_effort_records(), ...) and the
// inputs ("needs") an analysis can require. A need is a named predicate over
// the profile with a one-line reason used verbatim when it is absent ("the
// data has no competitor quotes or price matches"); check_requirements()
// returns the absent needs of a list, and analysis_needs() holds, once, what
// each of goodwill's analyses needs. Python's goodwill.evidence_profile and
// every analysis's DataWarning read these tables.
//
// Salespeople: the events that name one (ledger::reps()), the salespeople
// named and the customers with at least one such event.
#ifndef GOODWILL_RELATIONSHIP_EVIDENCE_HPP
#define GOODWILL_RELATIONSHIP_EVIDENCE_HPP

#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/trust.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

/// What a ledger holds (see the header note). Counts are over the whole ledger.
struct evidence_profile {
  std::uint64_t events = 0;
  /// Customers of the ledger, and those with at least one event.
  std::uint64_t customers = 0, customers_with_events = 0;
  /// Earliest and latest event time (NaN for an empty ledger).
  double first_time = std::numeric_limits<double>::quiet_NaN();
  double last_time = std::numeric_limits<double>::quiet_NaN();
  /// Per kind (index = code): events, and customers with at least one.
  std::array<std::uint64_t, event_kind_count> kind_events{};
  std::array<std::uint64_t, event_kind_count> kind_customers{};
  /// Per evidence channel (index = code): events, and customers with at least one.
  std::array<std::uint64_t, evidence_channel_count> channel_events{};
  std::array<std::uint64_t, evidence_channel_count> channel_customers{};
  /// Per role (index = event_role code) and effort class (index = code): events.
  std::array<std::uint64_t, event_role_names.size()> role_events{};
  std::array<std::uint64_t, effort_class_names.size()> effort_events{};
  /// deal_won and purchase events, and those whose margin is known.
  std::uint64_t margin_events = 0, margins_known = 0;
  /// deal_lost events, and those with a loss reason other than unspecified.
  std::uint64_t losses = 0, loss_reasons_known = 0;
  /// deal_lost events per loss reason (index = code; out-of-range codes are not counted).
  std::array<std::uint64_t, loss_reason_count> loss_reason_events{};
  /// Events that name a salesperson, the salespeople named, and the
  /// customers with at least one event that names one.
  std::uint64_t rep_events = 0, reps = 0, customers_with_rep = 0;

  [[nodiscard]] std::uint64_t events_of(event_kind k) const noexcept {
    return kind_events[static_cast<std::size_t>(k)];
  }
  [[nodiscard]] std::uint64_t customers_with(event_kind k) const noexcept {
    return kind_customers[static_cast<std::size_t>(k)];
  }
  [[nodiscard]] std::uint64_t events_of(evidence_channel c) const noexcept {
    return channel_events[static_cast<std::size_t>(c)];
  }
  [[nodiscard]] std::uint64_t customers_with(evidence_channel c) const noexcept {
    return channel_customers[static_cast<std::size_t>(c)];
  }
  [[nodiscard]] std::uint64_t events_of(event_role r) const noexcept {
    return role_events[static_cast<std::size_t>(r)];
  }
  [[nodiscard]] std::uint64_t events_of(effort_class e) const noexcept {
    return effort_events[static_cast<std::size_t>(e)];
  }
  /// Last minus first event time, in days (0 for an empty ledger).
  [[nodiscard]] double time_span_days() const noexcept {
    return events ? last_time - first_time : 0.0;
  }
  /// Share of deal_won and purchase events with a known margin; NaN if none.
  [[nodiscard]] double margin_known_share() const noexcept {
    return margin_events ? static_cast<double>(margins_known) / static_cast<double>(margin_events)
                         : std::numeric_limits<double>::quiet_NaN();
  }
  /// Share of deal_lost events with a known loss reason; NaN if none.
  [[nodiscard]] double loss_reason_known_share() const noexcept {
    return losses ? static_cast<double>(loss_reasons_known) / static_cast<double>(losses)
                  : std::numeric_limits<double>::quiet_NaN();
  }

  // ---- flags -------------------------------------------------------------
  /// Competitor quotes or price matches are recorded.
  [[nodiscard]] bool has_competitor_data() const noexcept {
    return events_of(event_kind::competitor_quote) + events_of(event_kind::price_match) > 0;
  }
  /// Concessions are recorded.
  [[nodiscard]] bool has_concessions() const noexcept {
    return events_of(event_kind::concession) > 0;
  }
  /// List prices are known: proposals are recorded.
  [[nodiscard]] bool has_price_data() const noexcept { return events_of(event_kind::proposal) > 0; }
  /// Any of the seller's effort is recorded (event_role::effort).
  [[nodiscard]] bool has_effort_records() const noexcept {
    return events_of(event_role::effort) > 0;
  }
  /// Trust-building effort (meetings, discovery, support, alternatives, kept promises).
  [[nodiscard]] bool has_trust_building_effort() const noexcept {
    return events_of(effort_class::trust_building) > 0;
  }
  /// Any customer response is recorded (event_role::response).
  [[nodiscard]] bool has_responses() const noexcept { return events_of(event_role::response) > 0; }
  /// Deals won or lost are recorded.
  [[nodiscard]] bool has_deal_outcomes() const noexcept {
    return events_of(event_kind::deal_won) + events_of(event_kind::deal_lost) > 0;
  }
  /// Revenue is recorded: deals won or purchases.
  [[nodiscard]] bool has_revenue() const noexcept { return margin_events > 0; }
  /// Some margin is known.
  [[nodiscard]] bool has_margins() const noexcept { return margins_known > 0; }
  /// Some loss reason is known.
  [[nodiscard]] bool has_loss_reasons() const noexcept { return loss_reasons_known > 0; }
  /// Purchases are recorded.
  [[nodiscard]] bool has_purchases() const noexcept { return events_of(event_kind::purchase) > 0; }
  /// Salespeople are recorded: some event names one.
  [[nodiscard]] bool has_reps() const noexcept { return rep_events > 0; }
  /// Something that can end a relationship is recorded: a lost deal, a churn or a firing.
  [[nodiscard]] bool has_exits() const noexcept {
    return events_of(event_kind::deal_lost) + events_of(event_kind::churn) +
               events_of(event_kind::fire) >
           0;
  }
};

/// Profile a ledger (see the header note). One sequential pass in arrival
/// order counts everything but the channels of won deals, keeping a bitmask
/// of kinds and of channels per customer; the channel of a won deal depends
/// on the concessions and matches before it, so a second pass reads, in time
/// order (ledger::order(): computed on first use, not thread-safe on that
/// call), only the kinds of the customers with a won deal.
[[nodiscard]] inline evidence_profile profile_evidence(const ledger &events) {
  static_assert(event_kind_count <= 32 && evidence_channel_count <= 32, "masks are 32 bits");
  evidence_profile p;
  p.events = events.size();
  p.customers = events.customer_count();
  const auto cust = events.customers();
  const auto time = events.times();
  const auto kind = events.kinds();
  const auto amount = events.amounts();
  const auto detail = events.details();
  const auto rep = events.reps();
  std::vector<std::uint32_t> kind_mask(p.customers, 0u), channel_mask(p.customers, 0u);
  std::vector<std::uint8_t> rep_named(events.rep_count(), 0), customer_rep(p.customers, 0);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  deal_context none; // context-free channels ignore it
  for (std::size_t r = 0; r < p.events; ++r) {
    const auto k = static_cast<event_kind>(kind[r]);
    const auto ki = static_cast<std::size_t>(k);
    const auto &tr = traits(k);
    lo = std::min(lo, time[r]);
    hi = std::max(hi, time[r]);
    ++p.kind_events[ki];
    kind_mask[cust[r]] |= 1u << ki;
    ++p.role_events[static_cast<std::size_t>(tr.role)];
    ++p.effort_events[static_cast<std::size_t>(tr.effort)];
    if (tr.earns_revenue) {
      ++p.margin_events;
      if (detail[r] != margin_unknown)
        ++p.margins_known;
    } else if (k == event_kind::deal_lost) {
      ++p.losses;
      const auto reason = detail[r];
      if (reason != static_cast<std::int32_t>(loss_reason::unspecified))
        ++p.loss_reasons_known;
      if (reason >= 0 && static_cast<std::size_t>(reason) < loss_reason_count)
        ++p.loss_reason_events[static_cast<std::size_t>(reason)];
    }
    if (rep[r] != no_rep) {
      ++p.rep_events;
      rep_named[rep[r]] = 1;
      customer_rep[cust[r]] = 1;
    }
    if (k != event_kind::deal_won) {
      none = {};
      const auto ch = static_cast<std::size_t>(channel_of(k, amount[r], detail[r], none));
      ++p.channel_events[ch];
      channel_mask[cust[r]] |= 1u << ch;
    }
  }
  constexpr auto won_bit = 1u << static_cast<std::size_t>(event_kind::deal_won);
  bool any_won = false;
  for (const auto m : kind_mask)
    any_won |= (m & won_bit) != 0;
  if (any_won) {
    const auto &order = events.order();
    const auto &offsets = events.customer_offsets();
    for (std::size_t c = 0; c < p.customers; ++c) {
      if (!(kind_mask[c] & won_bit))
        continue;
      deal_context ctx;
      for (auto i = offsets[c]; i < offsets[c + 1]; ++i) {
        const auto k = static_cast<event_kind>(kind[order[i]]);
        if (k == event_kind::deal_won) {
          const auto ch = static_cast<std::size_t>(channel_of(k, 0.0, 0, ctx));
          ++p.channel_events[ch];
          channel_mask[c] |= 1u << ch;
        } else if (k == event_kind::concession || k == event_kind::price_match ||
                   k == event_kind::deal_lost) {
          (void)channel_of(k, 0.0, 0, ctx); // marks or clears the deal context
        }
      }
    }
  }
  for (const auto named : rep_named)
    p.reps += named;
  for (std::size_t c = 0; c < p.customers; ++c) {
    const auto km = kind_mask[c], cm = channel_mask[c];
    p.customers_with_events += km != 0;
    p.customers_with_rep += customer_rep[c];
    for (std::size_t k = 0; k < event_kind_count; ++k)
      p.kind_customers[k] += (km >> k) & 1u;
    for (std::size_t ch = 0; ch < evidence_channel_count; ++ch)
      p.channel_customers[ch] += (cm >> ch) & 1u;
  }
  if (p.events) {
    p.first_time = lo;
    p.last_time = hi;
  }
  return p;
}

/// An input an analysis may need. Codes are stable (appended only).
enum class data_need : std::uint8_t {
  events = 0,                 ///< any event
  responses = 1,              ///< customer responses (event_role::response)
  deal_outcomes = 2,          ///< deals won or lost
  deals_won = 3,              ///< deals won
  price_game = 4,             ///< competitor quotes, price matches or concessions
  competitor_data = 5,        ///< competitor quotes or price matches
  price_data = 6,             ///< list prices (proposals)
  margins = 7,                ///< known margins on deals won or purchases
  loss_reasons = 8,           ///< known loss reasons
  revenue = 9,                ///< deals won or purchases
  effort_records = 10,        ///< any of the seller's effort
  trust_building_effort = 11, ///< meetings, discovery, support, alternatives, kept promises
  purchases = 12,             ///< purchases
  exits = 13,                 ///< lost deals, churn or firings
  time_span = 14,             ///< events at two or more distinct times
  salespeople = 15,           ///< events that name a salesperson
};

/// Number of needs.
inline constexpr std::size_t data_need_count = 16;

/// One row of the need table: the name Python uses, and the reason shown
/// when the need is absent.
struct data_need_traits {
  data_need need;
  std::string_view name;
  std::string_view missing; ///< completes "not applicable: ..."
};

/// The need table (code order).
inline constexpr std::array<data_need_traits, data_need_count> data_need_table{{
    {data_need::events, "events", "the data has no events"},
    {data_need::responses, "responses",
     "the data has no customer responses (deals won or lost, purchases, quotes, referrals, "
     "returns, churn)"},
    {data_need::deal_outcomes, "deal_outcomes", "the data has no deals won or lost"},
    {data_need::deals_won, "deals_won", "the data has no deals won"},
    {data_need::price_game, "price_game",
     "the data has no competitor quotes, price matches or concessions"},
    {data_need::competitor_data, "competitor_data",
     "the data has no competitor quotes or price matches"},
    {data_need::price_data, "price_data", "the data has no list prices (proposals)"},
    {data_need::margins, "margins", "the data has no known margins"},
    {data_need::loss_reasons, "loss_reasons", "the data has no loss reasons"},
    {data_need::revenue, "revenue", "the data has no revenue (deals won or purchases)"},
    {data_need::effort_records, "effort_records",
     "the data has no records of the seller's effort (meetings, discovery, support, proposals, "
     "concessions, promises)"},
    {data_need::trust_building_effort, "trust_building_effort",
     "the data has no trust-building effort (meetings, discovery, support, alternatives offered, "
     "kept promises)"},
    {data_need::purchases, "purchases", "the data has no purchases"},
    {data_need::exits, "exits", "the data has no lost deals, churn or firings"},
    {data_need::time_span, "time_span", "the data spans no time (all events at one instant)"},
    {data_need::salespeople, "salespeople", "the data names no salesperson"},
}};

namespace detail {
constexpr bool need_table_in_code_order() noexcept {
  for (std::size_t i = 0; i < data_need_count; ++i)
    if (static_cast<std::size_t>(data_need_table[i].need) != i)
      return false;
  return true;
}
} // namespace detail
static_assert(detail::need_table_in_code_order(), "data_need_table must be in code order");

/// The traits of a need.
[[nodiscard]] constexpr const data_need_traits &traits(data_need n) noexcept {
  return data_need_table[static_cast<std::size_t>(n)];
}

/// The need with this name; throws invalid_input (field "needs") for an unknown name.
[[nodiscard]] inline data_need data_need_from_string(std::string_view name) {
  for (const auto &row : data_need_table)
    if (row.name == name)
      return row.need;
  std::string known;
  for (const auto &row : data_need_table)
    known += (known.empty() ? "" : ", ") + std::string(row.name);
  throw invalid_input("needs", "unknown need '" + std::string(name) + "'; known: " + known);
}

/// Whether the profile satisfies a need.
[[nodiscard]] inline bool satisfies(const evidence_profile &p, data_need n) noexcept {
  switch (n) {
  case data_need::events:
    return p.events > 0;
  case data_need::responses:
    return p.has_responses();
  case data_need::deal_outcomes:
    return p.has_deal_outcomes();
  case data_need::deals_won:
    return p.events_of(event_kind::deal_won) > 0;
  case data_need::price_game:
    return p.has_competitor_data() || p.has_concessions();
  case data_need::competitor_data:
    return p.has_competitor_data();
  case data_need::price_data:
    return p.has_price_data();
  case data_need::margins:
    return p.has_margins();
  case data_need::loss_reasons:
    return p.has_loss_reasons();
  case data_need::revenue:
    return p.has_revenue();
  case data_need::effort_records:
    return p.has_effort_records();
  case data_need::trust_building_effort:
    return p.has_trust_building_effort();
  case data_need::purchases:
    return p.has_purchases();
  case data_need::exits:
    return p.has_exits();
  case data_need::time_span:
    return p.time_span_days() > 0.0;
  case data_need::salespeople:
    return p.has_reps();
  }
  return false;
}

/// An absent input: which need, and why ("the data has no ...").
struct missing_input {
  data_need need;
  std::string_view name;
  std::string_view reason;

  friend bool operator==(const missing_input &, const missing_input &) = default;
};

/// The needs of `needs` that the profile does not satisfy, in the order given
/// (duplicates reported once). Empty: the analysis is applicable.
[[nodiscard]] inline std::vector<missing_input>
check_requirements(const evidence_profile &p, std::span<const data_need> needs) {
  std::vector<missing_input> out;
  std::array<bool, data_need_count> done{};
  for (const auto n : needs) {
    const auto i = static_cast<std::size_t>(n);
    if (i >= data_need_count)
      throw invalid_input("needs", "need code " + std::to_string(i) + " is out of range");
    if (done[i] || satisfies(p, n))
      continue;
    done[i] = true;
    out.push_back({n, traits(n).name, traits(n).missing});
  }
  return out;
}

/// What one of goodwill's analyses needs of a ledger.
struct analysis_needs_row {
  std::string_view analysis;
  std::array<data_need, 3> needs; ///< the first `count` are used
  std::size_t count;

  [[nodiscard]] std::span<const data_need> list() const noexcept {
    return std::span<const data_need>(needs.data(), count);
  }
};

/// The needs of every analysis, once (Python's checks read this table).
/// Profitability needs revenue only: unknown margins and cost rates are
/// assumptions the result reports, not absent inputs. The spiral needs
/// competitor quotes or price matches: a discount alone (a concession, or a
/// close below list) is not evidence that the customer shopped the deal
/// around. Parts of an analysis
/// with needs of their own have their own row: the firing rule of the
/// customer decisions (effort made and failed), the loss-reason breakdown of
/// win/loss.
inline constexpr std::array<analysis_needs_row, 10> analysis_needs_table{{
    {"trust", {data_need::responses}, 1},
    {"transactional_spiral", {data_need::deals_won, data_need::competitor_data}, 2},
    {"profitability", {data_need::revenue}, 1},
    {"win_back", {data_need::exits}, 1},
    {"markov_chain", {data_need::events, data_need::time_span}, 2},
    {"customer_decisions", {data_need::revenue}, 1},
    {"fire_rule", {data_need::revenue, data_need::trust_building_effort}, 2},
    {"win_loss", {data_need::deal_outcomes}, 1},
    {"loss_reasons", {data_need::deal_outcomes, data_need::loss_reasons}, 2},
    {"account_owners", {data_need::salespeople, data_need::deal_outcomes}, 2},
}};

/// The needs of an analysis by name; throws invalid_input (field "analysis") if unknown.
[[nodiscard]] inline std::span<const data_need> analysis_needs(std::string_view analysis) {
  for (const auto &row : analysis_needs_table)
    if (row.analysis == analysis)
      return row.list();
  throw invalid_input("analysis", "unknown analysis '" + std::string(analysis) + "'");
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_EVIDENCE_HPP
