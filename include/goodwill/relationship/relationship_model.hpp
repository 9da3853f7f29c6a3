// goodwill — the relationship model: a finite-state machine over events.
//
// Design: a model has named states (one of them initial) and transitions
// `(from, on, guard) -> to`. `from` is a list of states or "*" (any state);
// `on` is an event kind; `guard` is a conjunction of conditions
// `feature op threshold` (op one of < <= > >= == !=) over the features a
// replay keeps per customer (see `feature`).
//
// Rules (the replay follows them exactly):
//  - Guards are evaluated AFTER the event has updated the customer's trust
//    and counters: "on deal_won [deals_won == 1]" fires on the first win.
//  - Explicit beats wildcard: a "*" transition on kind k is skipped in every
//    state that has an explicit transition on k (whether or not its guard
//    holds).
//  - An event that no transition matches leaves the state unchanged.
//  - A transition whose target is the current state changes nothing and is
//    not logged.
//
// Validation happens at construction and throws goodwill::invalid_state with
// a message naming what is wrong: duplicate or unknown states, unknown event
// kinds or features, guards that can never hold, states unreachable from the
// initial state (a breadth-first search over transitions, guards ignored) and
// ambiguity: two transitions that apply to the same state and event kind whose
// guards can both hold. Each guard is a box of intervals, one per feature;
// two boxes that intersect are ambiguous (`!=` is treated conservatively as
// no restriction). Transitions are numbered from 0 in messages. The check
// compares the transitions of each (state, event kind) pairwise, which is
// bounded up front: at most max_transitions_per_cell may apply to one state
// and kind, and the compiled table at most max_compiled_transitions entries,
// so the work is linear in the model's size (a wildcard list is checked once
// per kind, not once per state).
//
// Dormancy (optional; the default model has it): losing a deal is not losing
// the customer. A `dormancy_rule` says which event kinds start the clock
// (`on`, default deal_lost), in which states (`from`), which kinds stop it
// (`cancel_on`, default deal_won, purchase, return: business with the
// customer), and the state the customer moves to (`to`, e.g. "lost") once the
// clock has run for the dormancy window with nothing to stop it:
//  - after an event of an `on` kind has been through the transitions, if the
//    customer is in a `from` state the clock (re)starts: the move is due at
//    t + window (a later loss moves the due time to its own t + window);
//  - an event of a `cancel_on` kind at a time <= the due time stops the clock,
//    and so does any change of state to a state outside `from` (a churn, a
//    fire); a change between `from` states keeps it running;
//  - the move happens at the due time, before any event later than it, and
//    is logged at the due time with the kind and ledger row of the event that
//    started the clock (replay.hpp: also at the end of the data);
//  - window: `days` (default 180), or — when the customer already has at
//    least `min_gaps` (default 5) gaps between successive distinct times of
//    business (events of the `on` and `cancel_on` kinds) — the `quantile`
//    (default 0.9, linear interpolation) of its last `dormancy_gap_memory`
//    (32) such gaps, clamped to [min_days, max_days] (default 90, 365): a
//    customer who usually buys every 10 months is not lost after 6. The
//    gaps are those up to the event that starts the clock (the one it ends
//    included), so the window never looks ahead.
// The feature `losses_in_a_row` counts deal_lost events since the last
// deal_won or purchase (the triggering event included), so a model can move
// an account that keeps losing to at_risk without calling it lost.
//
// JSON schema (to_json writes guards as lists of triples; from_json accepts
// either form):
//   {"states": ["prospect", ...], "initial": "prospect",
//    "transitions": [{"from": "qualified" | ["a", "b"] | "*",
//                     "on": "proposal", "to": "negotiating",
//                     "guard": [["trust", "<", 0.3], ...]
//                              | "trust < 0.3 and price_matches >= 3"}],
//    "dormancy": {"to": "lost", "from": ["negotiating", ...],
//                 "on": ["deal_lost"], "cancel_on": ["deal_won", ...],
//                 "days": 180, "min_gaps": 5, "quantile": 0.9,
//                 "min_days": 90, "max_days": 365}}
// "guard" may be omitted, null, [] or "" (always true). "dormancy" may be
// omitted or null (no dormancy); inside it only "to" and "from" are
// required, the rest default to dormancy_rule's defaults.
#ifndef GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_HPP
#define GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_HPP

#include <goodwill/detail/config.hpp>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>

#include <nlohmann/json_fwd.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace goodwill {

/// What a guard can test. Trust and its derived features are in [0, 1];
/// counters count the customer's events of a kind so far (including the
/// triggering one); `amount` is the triggering event's amount and
/// `days_since_last` the time since the customer's previous event
/// (+infinity on the first event); `losses_in_a_row` the deal_lost events
/// since the last deal_won or purchase.
enum class feature : std::uint8_t {
  trust = 0,
  engagement,
  loyalty,
  price_sensitivity,
  meetings,
  discoveries,
  proposals,
  competitor_quotes,
  concessions,
  price_matches,
  deals_won,
  deals_lost,
  purchases,
  service_issues,
  promises_kept,
  promises_broken,
  referrals,
  walk_aways,
  amount,
  days_since_last,
  losses_in_a_row,
};

/// Number of features.
inline constexpr std::size_t feature_count = 21;
/// The first counter feature and the number of counters.
inline constexpr std::size_t first_counter = 4;
inline constexpr std::size_t counter_count = 14;

/// Feature names, indexed by code.
inline constexpr std::array<std::string_view, feature_count> feature_names{
    "trust",          "engagement",     "loyalty",       "price_sensitivity",
    "meetings",       "discoveries",    "proposals",     "competitor_quotes",
    "concessions",    "price_matches",  "deals_won",     "deals_lost",
    "purchases",      "service_issues", "promises_kept", "promises_broken",
    "referrals",      "walk_aways",     "amount",        "days_since_last",
    "losses_in_a_row"};
template <> struct enum_traits<feature> { static constexpr const auto &names = feature_names; };

/// The feature with this name, if any.
[[nodiscard]] constexpr std::optional<feature> feature_from_string(std::string_view name) noexcept {
  return enum_from_name<feature>(name);
}

/// The counter feature an event kind increments, or feature_count if none.
[[nodiscard]] constexpr std::size_t counter_of(event_kind k) noexcept {
  switch (k) {
  case event_kind::meeting:
    return static_cast<std::size_t>(feature::meetings);
  case event_kind::discovery:
    return static_cast<std::size_t>(feature::discoveries);
  case event_kind::proposal:
    return static_cast<std::size_t>(feature::proposals);
  case event_kind::competitor_quote:
    return static_cast<std::size_t>(feature::competitor_quotes);
  case event_kind::concession:
    return static_cast<std::size_t>(feature::concessions);
  case event_kind::price_match:
    return static_cast<std::size_t>(feature::price_matches);
  case event_kind::deal_won:
    return static_cast<std::size_t>(feature::deals_won);
  case event_kind::deal_lost:
    return static_cast<std::size_t>(feature::deals_lost);
  case event_kind::purchase:
    return static_cast<std::size_t>(feature::purchases);
  case event_kind::service_issue:
    return static_cast<std::size_t>(feature::service_issues);
  case event_kind::promise_kept:
    return static_cast<std::size_t>(feature::promises_kept);
  case event_kind::promise_broken:
    return static_cast<std::size_t>(feature::promises_broken);
  case event_kind::referral_given:
    return static_cast<std::size_t>(feature::referrals);
  case event_kind::walk_away:
    return static_cast<std::size_t>(feature::walk_aways);
  default:
    return feature_count;
  }
}

/// Comparison operators of guard conditions.
enum class compare_op : std::uint8_t { lt, le, gt, ge, eq, ne };

/// Operator spellings, indexed by code.
inline constexpr std::array<std::string_view, 6> compare_op_names{"<", "<=", ">", ">=", "==", "!="};
template <> struct enum_traits<compare_op> {
  static constexpr const auto &names = compare_op_names;
};

/// One condition `feature op value`.
struct condition {
  feature what = feature::trust;
  compare_op op = compare_op::lt;
  double value = 0.0;

  /// Whether the condition holds for feature value x.
  [[nodiscard]] constexpr bool holds(double x) const noexcept {
    switch (op) {
    case compare_op::lt:
      return x < value;
    case compare_op::le:
      return x <= value;
    case compare_op::gt:
      return x > value;
    case compare_op::ge:
      return x >= value;
    case compare_op::eq:
      return x == value;
    default:
      return x != value;
    }
  }
  friend bool operator==(const condition &, const condition &) = default;
};

/// Parse "trust < 0.3 and price_matches >= 3" (an empty text is an empty
/// guard). Throws invalid_state naming the part it cannot read.
[[nodiscard]] inline std::vector<condition> parse_guard(std::string_view text) {
  std::vector<condition> out;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  auto trim = [&](std::string_view s) {
    while (!s.empty() && is_space(s.front()))
      s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
      s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  if (text.empty())
    return out;
  // split on the word "and" (surrounded by spaces) or "&&"
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (i + 5 <= text.size() && is_space(text[i]) && text.substr(i + 1, 3) == "and" &&
        is_space(text[i + 4])) {
      parts.push_back(text.substr(start, i - start));
      i += 5;
      start = i;
    } else if (text.substr(i, 2) == "&&") {
      parts.push_back(text.substr(start, i - start));
      i += 2;
      start = i;
    } else {
      ++i;
    }
  }
  parts.push_back(text.substr(start));
  for (auto part : parts) {
    part = trim(part);
    const auto op_at = part.find_first_of("<>=!");
    if (part.empty() || op_at == std::string_view::npos)
      throw invalid_state("guard '" + std::string(text) + "': cannot read condition '" +
                          std::string(part) + "' (expected: feature op number)");
    const auto name = trim(part.substr(0, op_at));
    std::size_t op_len = (op_at + 1 < part.size() && part[op_at + 1] == '=') ? 2 : 1;
    const auto op_text = part.substr(op_at, op_len);
    const auto value_text = trim(part.substr(op_at + op_len));
    condition c;
    const auto f = feature_from_string(name);
    if (!f) {
      std::string known;
      for (auto n : feature_names)
        known += (known.empty() ? "" : ", ") + std::string(n);
      throw invalid_state("guard '" + std::string(text) + "': unknown feature '" +
                          std::string(name) + "'; known features: " + known);
    }
    c.what = *f;
    const auto op = std::find(compare_op_names.begin(), compare_op_names.end(), op_text);
    if (op == compare_op_names.end())
      throw invalid_state("guard '" + std::string(text) + "': unknown operator '" +
                          std::string(op_text) + "' (use < <= > >= == !=)");
    c.op = static_cast<compare_op>(op - compare_op_names.begin());
    const auto *first = value_text.data();
    const auto *last = first + value_text.size();
    auto [ptr, ec] = std::from_chars(first, last, c.value);
    if (ec != std::errc() || ptr != last || value_text.empty())
      throw invalid_state("guard '" + std::string(text) + "': '" + std::string(value_text) +
                          "' is not a number");
    out.push_back(c);
  }
  return out;
}

/// A guard as text, e.g. "trust < 0.3 and price_matches >= 3".
[[nodiscard]] inline std::string to_string(std::span<const condition> guard) {
  std::string s;
  for (const auto &c : guard) {
    if (!s.empty())
      s += " and ";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, c.value);
    s += std::string(feature_names[static_cast<std::size_t>(c.what)]) + " " +
         std::string(compare_op_names[static_cast<std::size_t>(c.op)]) + " " +
         std::string(buf, res.ptr);
  }
  return s;
}

/// Code of a state inside a model (its index in states()).
using state_code = std::uint16_t;

/// A transition as users write it, by names.
struct transition_spec {
  /// States it applies to; {"*"} means every state.
  std::vector<std::string> from;
  /// Event kind name ("proposal").
  std::string on;
  /// Target state.
  std::string to;
  /// Conditions that must all hold (after the event's update).
  std::vector<condition> guard;
};

/// How many of a customer's latest gaps between business events a derived
/// dormancy window looks at.
inline constexpr std::size_t dormancy_gap_memory = 32;

/// When a lost deal becomes a lost customer (see "Dormancy" at the top of
/// this header). An empty `to` means no dormancy rule. The defaults of the
/// numbers are the library's documented defaults.
struct dormancy_rule {
  /// The state the customer moves to when the window passes ("": no rule).
  std::string to;
  /// States in which an `on` event starts the clock (and keeps it running).
  std::vector<std::string> from;
  /// Event kinds that start the clock.
  std::vector<std::string> on{"deal_lost"};
  /// Event kinds that stop it: business with the customer.
  std::vector<std::string> cancel_on{"deal_won", "purchase", "return"};
  /// The window (days) of a customer with fewer than min_gaps gaps.
  double days = 180.0;
  /// Gaps needed to derive the window from the customer's own history (0: never).
  std::uint32_t min_gaps = 5;
  /// The quantile of the customer's gaps a derived window takes, in (0, 1].
  double quantile = 0.9;
  /// Bounds of a derived window (days).
  double min_days = 90.0;
  double max_days = 365.0;

  /// Whether the rule is on.
  [[nodiscard]] bool enabled() const noexcept { return !to.empty(); }
  friend bool operator==(const dormancy_rule &, const dormancy_rule &) = default;
};

/// A validated finite-state machine over events. Immutable once built.
class relationship_model {
public:
  /// A transition ready to evaluate: target and a range of conditions.
  struct compiled_transition {
    state_code to;
    std::uint16_t spec; ///< index of the transition_spec
    std::uint32_t cond_begin, cond_end;
  };

  /// Per event kind, what it does besides transitions (bits of kind_flags()).
  enum kind_flag : std::uint8_t {
    flag_loss = 1,   ///< deal_lost: one more loss in a row
    flag_win = 2,    ///< deal_won or purchase: the losing streak ends
    flag_gap = 4,    ///< business: a gap of the dormancy window ends here
    flag_cancel = 8, ///< stops the dormancy clock
    flag_arm = 16,   ///< starts the dormancy clock (in a `from` state)
  };

  /// The most transitions that may apply to one state on one event kind
  /// (explicit ones, or else the wildcard ones): the ambiguity check
  /// compares the transitions of a cell pairwise, so it does at most
  /// max_transitions_per_cell / 2 guard comparisons per (state, transition)
  /// entry, linear in the model's size.
  static constexpr std::size_t max_transitions_per_cell = 256;
  /// The most (state, transition) entries and guard conditions the compiled
  /// table may hold (a wildcard transition is an entry in every state).
  static constexpr std::uint64_t max_compiled_transitions = std::uint64_t{1} << 22;
  static constexpr std::uint64_t max_compiled_conditions = std::uint64_t{1} << 24;

  /// Build and validate; throws invalid_state naming the problem.
  relationship_model(std::vector<std::string> states, std::string initial,
                     std::vector<transition_spec> transitions, dormancy_rule dormancy = {})
      : states_(std::move(states)), initial_name_(std::move(initial)),
        specs_(std::move(transitions)), dormancy_(std::move(dormancy)) {
    build();
  }

  /// Read a model from JSON (see the schema at the top of this header).
  [[nodiscard]] GOODWILL_FUNC static relationship_model from_json(const nlohmann::json &j);

  /// A dormancy rule from its JSON object (see the schema at the top).
  [[nodiscard]] GOODWILL_FUNC static dormancy_rule dormancy_from_json(const nlohmann::json &d);

  /// Read a model from JSON text.
  [[nodiscard]] GOODWILL_FUNC static relationship_model from_json_string(std::string_view text);

  /// The model as JSON (guards as lists of [feature, op, value]). This
  /// header declares nlohmann::json only (<nlohmann/json_fwd.hpp>: the full
  /// header costs every includer about a second to compile); a caller that
  /// uses the value (dump(), operator[]) includes <nlohmann/json.hpp>.
  [[nodiscard]] GOODWILL_FUNC nlohmann::json to_json() const;

  /// State names, indexed by code.
  [[nodiscard]] const std::vector<std::string> &states() const noexcept { return states_; }
  [[nodiscard]] std::size_t state_count() const noexcept { return states_.size(); }
  /// The initial state.
  [[nodiscard]] state_code initial() const noexcept { return initial_; }
  /// The transitions as given.
  [[nodiscard]] const std::vector<transition_spec> &transitions() const noexcept { return specs_; }
  /// The code of a state name, if any.
  [[nodiscard]] std::optional<state_code> find_state(std::string_view name) const {
    auto it = std::find(states_.begin(), states_.end(), name);
    if (it == states_.end())
      return std::nullopt;
    return static_cast<state_code>(it - states_.begin());
  }

  /// The transitions that apply in state s on kind k, in definition order
  /// (explicit ones if any, else the wildcard ones).
  [[nodiscard]] std::span<const compiled_transition> candidates(state_code s,
                                                                event_kind k) const noexcept {
    const auto cell = static_cast<std::size_t>(s) * event_kind_count + static_cast<std::size_t>(k);
    return {compiled_.data() + table_[cell], compiled_.data() + table_[cell + 1]};
  }
  /// All guard conditions (compiled_transition ranges index into this).
  [[nodiscard]] const std::vector<condition> &conditions() const noexcept { return conditions_; }
  /// Bit f is set if some guard tests feature f.
  [[nodiscard]] std::uint32_t features_used() const noexcept { return features_used_; }

  /// The dormancy rule as given (disabled if `to` is empty).
  [[nodiscard]] const dormancy_rule &dormancy() const noexcept { return dormancy_; }
  /// Whether the model has a dormancy rule.
  [[nodiscard]] bool has_dormancy() const noexcept { return dormancy_.enabled(); }
  /// The dormancy rule's target state (meaningful if has_dormancy()).
  [[nodiscard]] state_code dormancy_target() const noexcept { return dormancy_to_; }
  /// Whether the dormancy clock runs in state s.
  [[nodiscard]] bool dormancy_from(state_code s) const noexcept { return dormancy_from_[s] != 0; }
  /// kind_flag bits of kind k.
  [[nodiscard]] std::uint8_t kind_flags(event_kind k) const noexcept {
    return kind_flags_[static_cast<std::size_t>(k)];
  }

  /// Evaluate: the target state after an event of kind k in state s, given
  /// the feature values after the event; s itself if nothing fires.
  [[nodiscard]] state_code next(state_code s, event_kind k, const double *features) const noexcept {
    for (const auto &t : candidates(s, k)) {
      bool ok = true;
      for (auto c = t.cond_begin; c != t.cond_end && ok; ++c)
        ok = conditions_[c].holds(features[static_cast<std::size_t>(conditions_[c].what)]);
      if (ok)
        return t.to;
    }
    return s;
  }

private:
  GOODWILL_FUNC std::string describe(std::size_t i) const;

  // A guard as a box: per feature an interval with open/closed ends.
  struct interval {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false, hi_open = false;
    void add(const condition &c) {
      auto raise_lo = [&](double v, bool open) {
        if (v > lo || (v == lo && open)) {
          lo = v;
          lo_open = open;
        }
      };
      auto lower_hi = [&](double v, bool open) {
        if (v < hi || (v == hi && open)) {
          hi = v;
          hi_open = open;
        }
      };
      switch (c.op) {
      case compare_op::lt:
        lower_hi(c.value, true);
        break;
      case compare_op::le:
        lower_hi(c.value, false);
        break;
      case compare_op::gt:
        raise_lo(c.value, true);
        break;
      case compare_op::ge:
        raise_lo(c.value, false);
        break;
      case compare_op::eq:
        raise_lo(c.value, false);
        lower_hi(c.value, false);
        break;
      case compare_op::ne:
        break; // conservative: no restriction
      }
    }
    bool empty() const { return lo > hi || (lo == hi && (lo_open || hi_open)); }
  };
  static bool can_hold(std::span<const condition> a, std::span<const condition> b) {
    std::array<interval, feature_count> box{};
    for (const auto &c : a)
      box[static_cast<std::size_t>(c.what)].add(c);
    for (const auto &c : b)
      box[static_cast<std::size_t>(c.what)].add(c);
    return std::none_of(box.begin(), box.end(), [](const interval &v) { return v.empty(); });
  }

  GOODWILL_FUNC void build();

  GOODWILL_FUNC void build_dormancy(const std::unordered_map<std::string, state_code> &code);

  std::vector<std::string> states_;
  std::string initial_name_;
  std::vector<transition_spec> specs_;
  dormancy_rule dormancy_;
  state_code dormancy_to_ = 0;
  std::vector<std::uint8_t> dormancy_from_;
  std::array<std::uint8_t, event_kind_count> kind_flags_{};
  state_code initial_ = 0;
  std::vector<std::uint32_t> table_;
  std::vector<compiled_transition> compiled_;
  std::vector<condition> conditions_;
  std::uint32_t features_used_ = 0;
};

/// The default model, encoding the seeds:
///
///  prospect --meeting|discovery--> qualified --proposal--> negotiating
///  {prospect, qualified, negotiating} --deal_won|purchase-->
///      transactional if price-driven (price_matches >= 2, or trust < 0.5),
///      developing otherwise
///  negotiating --walk_away--> qualified
///      (walking away from the sale, not from the customer: seed 000)
///  transactional --deal_won|purchase|promise_kept|discovery [trust >= 0.6]--> developing
///  developing --deal_won|purchase|referral_given [trust >= 0.75]--> partner
///  {transactional, developing, partner} --service_issue|promise_broken|price_match
///      [trust < 0.4]--> at_risk
///  {transactional, developing, partner} --deal_lost [losses_in_a_row >= 3 and
///      trust < 0.5]--> at_risk  (an account that keeps losing deals and whose
///      record has turned is at risk, not lost; a strong account's losing
///      streak among many parallel deals is not)
///  at_risk --meeting|discovery|promise_kept|deal_won|purchase|referral_given
///      [trust >= 0.5]--> developing  (trust rebuilt: seed 000 "lean in")
///  * --churn--> churned;  * --fire--> fired
///  {lost, churned, fired} --return|deal_won|purchase--> won_back  (seeds 002,
///      003: they come back; a won deal or a purchase after the exit is a
///      return even where the CRM logs no `return` event)
///  won_back --deal_won|purchase--> developing if trust >= 0.5 else transactional
///
/// and the dormancy rule: losing a deal is not losing the customer. A
/// deal_lost in negotiating, transactional, developing, partner, at_risk or
/// won_back starts the clock; a won deal, a purchase or a return stops it; the
/// customer becomes `lost` when the window has passed since the last lost
/// deal with none of them: 180 days, or the 90% quantile of the customer's
/// own last 32 gaps between business days once it has 5 or more, within
/// [90, 365] days (`d` overrides the rule's numbers and kinds; its `to` and
/// `from` are the default model's unless given).
[[nodiscard]] inline relationship_model relationship_selling(dormancy_rule d = {}) {
  using C = condition;
  const auto pm_ge2 = C{feature::price_matches, compare_op::ge, 2.0};
  const auto pm_lt2 = C{feature::price_matches, compare_op::lt, 2.0};
  const auto t_lt = [](double v) { return C{feature::trust, compare_op::lt, v}; };
  const auto t_ge = [](double v) { return C{feature::trust, compare_op::ge, v}; };
  std::vector<transition_spec> ts;
  auto add = [&](const std::vector<std::string> &from, const std::vector<std::string> &on,
                 const std::string &to, const std::vector<C> &guard = {}) {
    for (const auto &k : on)
      ts.push_back({from, k, to, guard});
  };
  add({"prospect"}, {"meeting", "discovery"}, "qualified");
  add({"qualified"}, {"proposal"}, "negotiating");
  for (const char *k : {"deal_won", "purchase"}) {
    add({"prospect", "qualified", "negotiating"}, {k}, "transactional", {pm_ge2});
    add({"prospect", "qualified", "negotiating"}, {k}, "transactional", {pm_lt2, t_lt(0.5)});
    add({"prospect", "qualified", "negotiating"}, {k}, "developing", {pm_lt2, t_ge(0.5)});
  }
  add({"negotiating"}, {"walk_away"}, "qualified");
  add({"transactional"}, {"deal_won", "purchase", "promise_kept", "discovery"}, "developing",
      {t_ge(0.6)});
  add({"developing"}, {"deal_won", "purchase", "referral_given"}, "partner", {t_ge(0.75)});
  add({"transactional", "developing", "partner"},
      {"service_issue", "promise_broken", "price_match"}, "at_risk", {t_lt(0.4)});
  add({"transactional", "developing", "partner"}, {"deal_lost"}, "at_risk",
      {C{feature::losses_in_a_row, compare_op::ge, 3.0}, t_lt(0.5)});
  add({"at_risk"},
      {"meeting", "discovery", "promise_kept", "deal_won", "purchase", "referral_given"},
      "developing", {t_ge(0.5)});
  add({"*"}, {"churn"}, "churned");
  add({"*"}, {"fire"}, "fired");
  add({"lost", "churned", "fired"}, {"return", "deal_won", "purchase"}, "won_back");
  add({"won_back"}, {"deal_won", "purchase"}, "developing", {t_ge(0.5)});
  add({"won_back"}, {"deal_won", "purchase"}, "transactional", {t_lt(0.5)});
  if (d.to.empty())
    d.to = "lost";
  if (d.from.empty())
    d.from = {"negotiating", "transactional", "developing", "partner", "at_risk", "won_back"};
  return relationship_model({"prospect", "qualified", "negotiating", "transactional", "developing",
                             "partner", "at_risk", "lost", "churned", "fired", "won_back"},
                            "prospect", std::move(ts), std::move(d));
}

} // namespace goodwill

#ifdef GOODWILL_HEADER_ONLY
#include <goodwill/relationship/relationship_model-inl.hpp>
#endif

#endif // GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_HPP
