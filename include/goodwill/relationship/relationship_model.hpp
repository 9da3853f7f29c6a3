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

#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>

#include <nlohmann/json.hpp>

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
    "trust",          "engagement",     "loyalty",         "price_sensitivity",
    "meetings",       "discoveries",    "proposals",       "competitor_quotes",
    "concessions",    "price_matches",  "deals_won",       "deals_lost",
    "purchases",      "service_issues", "promises_kept",   "promises_broken",
    "referrals",      "walk_aways",     "amount",          "days_since_last",
    "losses_in_a_row"};
template <> struct enum_traits<feature> { static constexpr const auto &names = feature_names; };

/// The feature with this name, if any.
[[nodiscard]] constexpr std::optional<feature>
feature_from_string(std::string_view name) noexcept {
  return enum_from_name<feature>(name);
}

/// The counter feature an event kind increments, or feature_count if none.
[[nodiscard]] constexpr std::size_t counter_of(event_kind k) noexcept {
  switch (k) {
  case event_kind::meeting: return static_cast<std::size_t>(feature::meetings);
  case event_kind::discovery: return static_cast<std::size_t>(feature::discoveries);
  case event_kind::proposal: return static_cast<std::size_t>(feature::proposals);
  case event_kind::competitor_quote: return static_cast<std::size_t>(feature::competitor_quotes);
  case event_kind::concession: return static_cast<std::size_t>(feature::concessions);
  case event_kind::price_match: return static_cast<std::size_t>(feature::price_matches);
  case event_kind::deal_won: return static_cast<std::size_t>(feature::deals_won);
  case event_kind::deal_lost: return static_cast<std::size_t>(feature::deals_lost);
  case event_kind::purchase: return static_cast<std::size_t>(feature::purchases);
  case event_kind::service_issue: return static_cast<std::size_t>(feature::service_issues);
  case event_kind::promise_kept: return static_cast<std::size_t>(feature::promises_kept);
  case event_kind::promise_broken: return static_cast<std::size_t>(feature::promises_broken);
  case event_kind::referral_given: return static_cast<std::size_t>(feature::referrals);
  case event_kind::walk_away: return static_cast<std::size_t>(feature::walk_aways);
  default: return feature_count;
  }
}

namespace detail {

/// The deepest nesting of arrays and objects model JSON may have (a model
/// needs 4: the model, its transitions, a transition, a guard condition).
inline constexpr std::size_t max_json_depth = 64;

/// The first place where `text` nests arrays or objects deeper than
/// `limit` (outside strings), or npos. A linear scan, no recursion: it runs
/// before the parser and before anything that recurses (dump, the checks).
[[nodiscard]] inline std::size_t json_too_deep_at(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit)
        return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

/// A JSON value for a message: dumped if shallow and short, else described
/// (dump() recurses, so a deeply nested value is never dumped).
[[nodiscard]] inline std::string json_brief(const nlohmann::json &v) {
  // depth by an explicit stack, at most 8 levels looked at
  std::vector<std::pair<const nlohmann::json *, std::size_t>> stack{{&v, 1}};
  bool deep = false;
  std::size_t seen = 0;
  while (!stack.empty() && !deep && seen < 1000) {
    const auto [x, d] = stack.back();
    stack.pop_back();
    ++seen;
    if (x->is_structured()) {
      if (d > 8)
        deep = true;
      else
        for (const auto &e : *x)
          stack.emplace_back(&e, d + 1);
    }
  }
  if (deep || seen >= 1000)
    return std::string("a ") + (v.is_array() ? "list" : "object") + " of " +
           std::to_string(v.size()) + " nested " + (deep ? "more than 8 deep" : "too large to show");
  std::string out = v.dump();
  if (out.size() > 200)
    out = out.substr(0, 200) + "...";
  return out;
}

} // namespace detail

/// Comparison operators of guard conditions.
enum class compare_op : std::uint8_t { lt, le, gt, ge, eq, ne };

/// Operator spellings, indexed by code.
inline constexpr std::array<std::string_view, 6> compare_op_names{"<", "<=", ">",
                                                                  ">=", "==", "!="};
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
    case compare_op::lt: return x < value;
    case compare_op::le: return x <= value;
    case compare_op::gt: return x > value;
    case compare_op::ge: return x >= value;
    case compare_op::eq: return x == value;
    default: return x != value;
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
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
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
      for (auto n : feature_names) known += (known.empty() ? "" : ", ") + std::string(n);
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
    if (!s.empty()) s += " and ";
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
  [[nodiscard]] static relationship_model from_json(const nlohmann::json &j) {
    auto fail = [](const std::string &m) { throw invalid_state("model JSON: " + m); };
    if (!j.is_object()) fail("must be an object with 'states', 'initial', 'transitions'");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "states" && it.key() != "initial" && it.key() != "transitions" &&
          it.key() != "dormancy")
        fail("unknown key '" + it.key() + "'");
    if (!j.contains("states") || !j["states"].is_array())
      fail("'states' must be a list of state names");
    std::vector<std::string> states;
    for (const auto &s : j["states"]) {
      if (!s.is_string()) fail("'states' must be a list of strings, found " + detail::json_brief(s));
      states.push_back(s.get<std::string>());
    }
    std::string initial;
    if (j.contains("initial")) {
      if (!j["initial"].is_string()) fail("'initial' must be a state name");
      initial = j["initial"].get<std::string>();
    } else if (!states.empty()) {
      initial = states.front();
    }
    std::vector<transition_spec> specs;
    if (j.contains("transitions")) {
      if (!j["transitions"].is_array()) fail("'transitions' must be a list");
      std::size_t i = 0;
      for (const auto &t : j["transitions"]) {
        const std::string where = "transition " + std::to_string(i++) + ": ";
        if (!t.is_object()) fail(where + "must be an object with 'from', 'on', 'to'");
        for (auto it = t.begin(); it != t.end(); ++it)
          if (it.key() != "from" && it.key() != "on" && it.key() != "to" && it.key() != "guard")
            fail(where + "unknown key '" + it.key() + "'");
        transition_spec s;
        if (!t.contains("from")) fail(where + "'from' is missing");
        const auto &from = t["from"];
        if (from.is_string()) {
          s.from.push_back(from.get<std::string>());
        } else if (from.is_array() && !from.empty()) {
          for (const auto &f : from) {
            if (!f.is_string()) fail(where + "'from' must hold state names");
            s.from.push_back(f.get<std::string>());
          }
        } else {
          fail(where + "'from' must be a state name, a non-empty list of them or \"*\"");
        }
        if (!t.contains("on") || !t["on"].is_string()) fail(where + "'on' must be an event kind name");
        if (!t.contains("to") || !t["to"].is_string()) fail(where + "'to' must be a state name");
        s.on = t["on"].get<std::string>();
        s.to = t["to"].get<std::string>();
        if (t.contains("guard")) {
          const auto &g = t["guard"];
          if (g.is_string()) {
            try {
              s.guard = parse_guard(g.get<std::string>());
            } catch (const invalid_state &e) {
              fail(where + e.what());
            }
          } else if (g.is_array()) {
            for (const auto &c : g) {
              if (!c.is_array() || c.size() != 3 || !c[0].is_string() || !c[1].is_string() ||
                  !c[2].is_number())
                fail(where + "a guard condition must be [feature, op, number], found " + detail::json_brief(c));
              try {
                auto parsed = parse_guard(c[0].get<std::string>() + " " +
                                          c[1].get<std::string>() + " 0");
                parsed.front().value = c[2].get<double>();
                s.guard.push_back(parsed.front());
              } catch (const invalid_state &e) {
                fail(where + e.what());
              }
            }
          } else if (!g.is_null()) {
            fail(where + "'guard' must be a string or a list of [feature, op, number]");
          }
        }
        specs.push_back(std::move(s));
      }
    }
    dormancy_rule dormancy;
    if (j.contains("dormancy") && !j["dormancy"].is_null())
      dormancy = dormancy_from_json(j["dormancy"]);
    return relationship_model(std::move(states), std::move(initial), std::move(specs),
                              std::move(dormancy));
  }

  /// A dormancy rule from its JSON object (see the schema at the top).
  [[nodiscard]] static dormancy_rule dormancy_from_json(const nlohmann::json &d) {
    auto fail = [](const std::string &m) { throw invalid_state("model JSON: dormancy: " + m); };
    if (!d.is_object()) fail("must be an object with 'to' and 'from'");
    dormancy_rule r;
    auto names = [&](const char *key, std::vector<std::string> &out) {
      if (!d.contains(key)) return;
      const auto &v = d[key];
      out.clear();
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
        return;
      }
      if (!v.is_array()) fail(std::string("'") + key + "' must be a name or a list of names");
      for (const auto &x : v) {
        if (!x.is_string()) fail(std::string("'") + key + "' must hold names, found " + detail::json_brief(x));
        out.push_back(x.get<std::string>());
      }
    };
    auto number = [&](const char *key, double &out) {
      if (!d.contains(key)) return;
      if (!d[key].is_number()) fail(std::string("'") + key + "' must be a number");
      out = d[key].get<double>();
    };
    for (auto it = d.begin(); it != d.end(); ++it) {
      static constexpr std::array<std::string_view, 9> keys{
          "to", "from", "on", "cancel_on", "days", "min_gaps", "quantile", "min_days", "max_days"};
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
        fail("unknown key '" + it.key() + "'");
    }
    if (!d.contains("to") || !d["to"].is_string()) fail("'to' must be a state name");
    r.to = d["to"].get<std::string>();
    if (!d.contains("from")) fail("'from' is missing");
    names("from", r.from);
    names("on", r.on);
    names("cancel_on", r.cancel_on);
    number("days", r.days);
    number("quantile", r.quantile);
    number("min_days", r.min_days);
    number("max_days", r.max_days);
    if (d.contains("min_gaps")) {
      const auto &g = d["min_gaps"];
      if (!g.is_number_integer() || g.get<std::int64_t>() < 0 ||
          g.get<std::int64_t>() > std::int64_t{1} << 30)
        fail("'min_gaps' must be a non-negative integer");
      r.min_gaps = static_cast<std::uint32_t>(g.get<std::int64_t>());
    }
    return r;
  }

  /// Read a model from JSON text.
  [[nodiscard]] static relationship_model from_json_string(std::string_view text) {
    if (const auto at = detail::json_too_deep_at(text, detail::max_json_depth);
        at != std::string_view::npos)
      throw invalid_state("model JSON: nested more than " + std::to_string(detail::max_json_depth) +
                          " arrays or objects deep (at character " + std::to_string(at) +
                          "); a model needs 4");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
      throw invalid_state(std::string("model JSON: cannot parse: ") + e.what());
    }
    return from_json(j);
  }

  /// The model as JSON (guards as lists of [feature, op, value]).
  [[nodiscard]] nlohmann::json to_json() const {
    nlohmann::json j;
    j["states"] = states_;
    j["initial"] = initial_name_;
    auto ts = nlohmann::json::array();
    for (const auto &s : specs_) {
      nlohmann::json t;
      if (s.from.size() == 1)
        t["from"] = s.from.front();
      else
        t["from"] = s.from;
      t["on"] = s.on;
      t["to"] = s.to;
      auto g = nlohmann::json::array();
      for (const auto &c : s.guard)
        g.push_back({std::string(feature_names[static_cast<std::size_t>(c.what)]),
                     std::string(compare_op_names[static_cast<std::size_t>(c.op)]), c.value});
      t["guard"] = g;
      ts.push_back(t);
    }
    j["transitions"] = ts;
    if (dormancy_.enabled())
      j["dormancy"] = {{"to", dormancy_.to},         {"from", dormancy_.from},
                       {"on", dormancy_.on},         {"cancel_on", dormancy_.cancel_on},
                       {"days", dormancy_.days},     {"min_gaps", dormancy_.min_gaps},
                       {"quantile", dormancy_.quantile}, {"min_days", dormancy_.min_days},
                       {"max_days", dormancy_.max_days}};
    return j;
  }

  /// State names, indexed by code.
  [[nodiscard]] const std::vector<std::string> &states() const noexcept { return states_; }
  [[nodiscard]] std::size_t state_count() const noexcept { return states_.size(); }
  /// The initial state.
  [[nodiscard]] state_code initial() const noexcept { return initial_; }
  /// The transitions as given.
  [[nodiscard]] const std::vector<transition_spec> &transitions() const noexcept {
    return specs_;
  }
  /// The code of a state name, if any.
  [[nodiscard]] std::optional<state_code> find_state(std::string_view name) const {
    auto it = std::find(states_.begin(), states_.end(), name);
    if (it == states_.end()) return std::nullopt;
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
  [[nodiscard]] state_code next(state_code s, event_kind k,
                                const double *features) const noexcept {
    for (const auto &t : candidates(s, k)) {
      bool ok = true;
      for (auto c = t.cond_begin; c != t.cond_end && ok; ++c)
        ok = conditions_[c].holds(features[static_cast<std::size_t>(conditions_[c].what)]);
      if (ok) return t.to;
    }
    return s;
  }

private:
  std::string describe(std::size_t i) const {
    const auto &s = specs_[i];
    std::string from;
    for (const auto &f : s.from) from += (from.empty() ? "" : ",") + f;
    if (s.from.size() > 1) from = "[" + from + "]";
    std::string g = to_string(std::span<const condition>(s.guard));
    return "transition " + std::to_string(i) + " (" + from + " -[" + s.on +
           (g.empty() ? "" : " if " + g) + "]-> " + s.to + ")";
  }

  // A guard as a box: per feature an interval with open/closed ends.
  struct interval {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false, hi_open = false;
    void add(const condition &c) {
      auto raise_lo = [&](double v, bool open) {
        if (v > lo || (v == lo && open)) { lo = v; lo_open = open; }
      };
      auto lower_hi = [&](double v, bool open) {
        if (v < hi || (v == hi && open)) { hi = v; hi_open = open; }
      };
      switch (c.op) {
      case compare_op::lt: lower_hi(c.value, true); break;
      case compare_op::le: lower_hi(c.value, false); break;
      case compare_op::gt: raise_lo(c.value, true); break;
      case compare_op::ge: raise_lo(c.value, false); break;
      case compare_op::eq: raise_lo(c.value, false); lower_hi(c.value, false); break;
      case compare_op::ne: break; // conservative: no restriction
      }
    }
    bool empty() const { return lo > hi || (lo == hi && (lo_open || hi_open)); }
  };
  static bool can_hold(std::span<const condition> a, std::span<const condition> b) {
    std::array<interval, feature_count> box{};
    for (const auto &c : a) box[static_cast<std::size_t>(c.what)].add(c);
    for (const auto &c : b) box[static_cast<std::size_t>(c.what)].add(c);
    return std::none_of(box.begin(), box.end(), [](const interval &v) { return v.empty(); });
  }

  void build() {
    if (states_.empty()) throw invalid_state("a model needs at least one state");
    if (states_.size() > 0xFFFF) throw invalid_state("a model holds at most 65535 states");
    if (specs_.size() > 0xFFFF) throw invalid_state("a model holds at most 65535 transitions");
    std::unordered_map<std::string, state_code> code;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      if (states_[i].empty() || states_[i] == "*")
        throw invalid_state("state " + std::to_string(i) + ": '" + states_[i] +
                            "' is not a valid state name");
      if (!code.emplace(states_[i], static_cast<state_code>(i)).second)
        throw invalid_state("state '" + states_[i] + "' is listed twice");
    }
    auto it = code.find(initial_name_);
    if (it == code.end())
      throw invalid_state("initial state '" + initial_name_ + "' is not among the states");
    initial_ = it->second;

    const std::size_t ns = states_.size();
    // explicit[s][k] and wildcard[k]: spec indices
    std::vector<std::vector<std::uint16_t>> expl(ns * event_kind_count);
    std::vector<std::vector<std::uint16_t>> wild(event_kind_count);
    std::vector<state_code> target(specs_.size());
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      const auto &s = specs_[i];
      const auto kind = event_kind_from_string(s.on);
      if (!kind)
        throw invalid_state(describe(i) + ": unknown event kind '" + s.on + "'");
      auto to = code.find(s.to);
      if (to == code.end())
        throw invalid_state(describe(i) + ": unknown state '" + s.to + "' in 'to'");
      target[i] = to->second;
      if (s.from.empty()) throw invalid_state(describe(i) + ": 'from' is empty");
      for (const auto &c : s.guard) {
        if (static_cast<std::size_t>(c.what) >= feature_count)
          throw invalid_state(describe(i) + ": unknown feature code " +
                              std::to_string(static_cast<int>(c.what)));
        if (static_cast<std::size_t>(c.op) >= compare_op_names.size())
          throw invalid_state(describe(i) + ": unknown operator code");
        if (std::isnan(c.value))
          throw invalid_state(describe(i) + ": a guard threshold is NaN");
        features_used_ |= 1u << static_cast<unsigned>(c.what);
      }
      if (!can_hold(s.guard, {}))
        throw invalid_state(describe(i) + ": its guard can never hold");
      const auto k = static_cast<std::size_t>(*kind);
      if (s.from.size() == 1 && s.from.front() == "*") {
        wild[k].push_back(static_cast<std::uint16_t>(i));
        continue;
      }
      for (const auto &f : s.from) {
        if (f == "*")
          throw invalid_state(describe(i) + ": \"*\" must stand alone in 'from'");
        auto fc = code.find(f);
        if (fc == code.end())
          throw invalid_state(describe(i) + ": unknown state '" + f + "' in 'from'");
        auto &cell = expl[fc->second * event_kind_count + k];
        // the spec indices of a cell grow with i: a repeat is the last one
        if (!cell.empty() && cell.back() == static_cast<std::uint16_t>(i))
          throw invalid_state(describe(i) + ": state '" + f + "' is listed twice in 'from'");
        cell.push_back(static_cast<std::uint16_t>(i));
      }
    }
    // the sizes, checked before the pairwise ambiguity check and the table
    std::uint64_t compiled_count = 0, condition_count = 0;
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t k = 0; k < event_kind_count; ++k) {
        const auto cell = s * event_kind_count + k;
        const auto &list = expl[cell].empty() ? wild[k] : expl[cell];
        if (list.size() > max_transitions_per_cell)
          throw invalid_state(std::to_string(list.size()) + " transitions apply in state '" +
                              states_[s] + "' on '" + std::string(event_kind_names[k]) +
                              "' (at most " + std::to_string(max_transitions_per_cell) +
                              " may apply to one state and event kind)");
        compiled_count += list.size();
        for (auto i : list)
          condition_count += specs_[i].guard.size();
      }
    if (compiled_count > max_compiled_transitions || condition_count > max_compiled_conditions)
      throw invalid_state(
          "the model's transition table would hold " + std::to_string(compiled_count) +
          " (state, transition) entries with " + std::to_string(condition_count) +
          " guard conditions (at most " + std::to_string(max_compiled_transitions) + " and " +
          std::to_string(max_compiled_conditions) + "; wildcard transitions count once per state)");
    // compile the dense table, checking ambiguity per cell
    // (a wildcard list is the same in every state: checked once per kind)
    table_.assign(ns * event_kind_count + 1, 0);
    compiled_.reserve(static_cast<std::size_t>(compiled_count));
    conditions_.reserve(static_cast<std::size_t>(condition_count));
    std::array<bool, event_kind_count> wild_checked{};
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t k = 0; k < event_kind_count; ++k) {
        const auto cell = s * event_kind_count + k;
        const bool is_wild = expl[cell].empty();
        const auto &list = is_wild ? wild[k] : expl[cell];
        if (!is_wild || !wild_checked[k]) {
          for (std::size_t a = 0; a < list.size(); ++a)
            for (std::size_t b = a + 1; b < list.size(); ++b)
              if (can_hold(specs_[list[a]].guard, specs_[list[b]].guard))
                throw invalid_state("ambiguous: " + describe(list[a]) + " and " +
                                    describe(list[b]) + " can both fire in state '" + states_[s] +
                                    "' on '" + std::string(event_kind_names[k]) + "'");
          wild_checked[k] = wild_checked[k] || is_wild;
        }
        for (auto i : list) {
          compiled_transition t{target[i], i, static_cast<std::uint32_t>(conditions_.size()), 0};
          conditions_.insert(conditions_.end(), specs_[i].guard.begin(), specs_[i].guard.end());
          t.cond_end = static_cast<std::uint32_t>(conditions_.size());
          compiled_.push_back(t);
        }
        table_[cell + 1] = static_cast<std::uint32_t>(compiled_.size());
      }
    build_dormancy(code);
    // reachability (a dormancy move is an edge from each `from` state)
    std::vector<char> seen(ns, 0);
    std::vector<state_code> queue{initial_};
    seen[initial_] = 1;
    auto visit = [&](state_code to) {
      if (!seen[to]) {
        seen[to] = 1;
        queue.push_back(to);
      }
    };
    for (std::size_t q = 0; q < queue.size(); ++q) {
      for (std::size_t k = 0; k < event_kind_count; ++k)
        for (const auto &t : candidates(queue[q], static_cast<event_kind>(k))) visit(t.to);
      if (has_dormancy() && dormancy_from_[queue[q]]) visit(dormancy_to_);
    }
    for (std::size_t s = 0; s < ns; ++s)
      if (!seen[s])
        throw invalid_state("state '" + states_[s] + "' is unreachable from the initial state '" +
                            initial_name_ + "'");
  }

  void build_dormancy(const std::unordered_map<std::string, state_code> &code) {
    kind_flags_.fill(0);
    kind_flags_[static_cast<std::size_t>(event_kind::deal_lost)] |= flag_loss;
    kind_flags_[static_cast<std::size_t>(event_kind::deal_won)] |= flag_win;
    kind_flags_[static_cast<std::size_t>(event_kind::purchase)] |= flag_win;
    dormancy_from_.assign(states_.size(), 0);
    const auto &d = dormancy_;
    if (!d.enabled()) {
      if (!d.from.empty())
        throw invalid_state("dormancy: 'from' is given but 'to' is empty");
      return;
    }
    auto fail = [](const std::string &m) { throw invalid_state("dormancy: " + m); };
    const auto to = code.find(d.to);
    if (to == code.end()) fail("unknown state '" + d.to + "' in 'to'");
    dormancy_to_ = to->second;
    if (d.from.empty()) fail("'from' is empty");
    for (const auto &f : d.from) {
      const auto fc = code.find(f);
      if (fc == code.end()) fail("unknown state '" + f + "' in 'from'");
      if (fc->second == dormancy_to_) fail("'from' holds the target state '" + f + "'");
      if (dormancy_from_[fc->second]) fail("state '" + f + "' is listed twice in 'from'");
      dormancy_from_[fc->second] = 1;
    }
    auto kinds = [&](const std::vector<std::string> &names, const char *field, std::uint8_t flag) {
      if (names.empty()) fail(std::string("'") + field + "' is empty");
      for (const auto &n : names) {
        const auto k = event_kind_from_string(n);
        if (!k) fail(std::string("unknown event kind '") + n + "' in '" + field + "'");
        auto &fl = kind_flags_[static_cast<std::size_t>(*k)];
        if (fl & (flag_arm | flag_cancel))
          fail("event kind '" + n + "' is listed twice (in 'on' or 'cancel_on')");
        fl = static_cast<std::uint8_t>(fl | flag | flag_gap);
      }
    };
    kinds(d.on, "on", flag_arm);
    kinds(d.cancel_on, "cancel_on", flag_cancel);
    auto positive = [&](double v, const char *field) {
      if (!(v > 0.0) || !std::isfinite(v))
        fail(std::string("'") + field + "' must be a positive number of days, got " +
             std::to_string(v));
    };
    positive(d.days, "days");
    positive(d.min_days, "min_days");
    positive(d.max_days, "max_days");
    if (d.min_days > d.max_days) fail("'min_days' is above 'max_days'");
    if (!(d.quantile > 0.0 && d.quantile <= 1.0))
      fail("'quantile' must be in (0, 1], got " + std::to_string(d.quantile));
  }

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
  auto add = [&](std::vector<std::string> from, std::vector<std::string> on, std::string to,
                 std::vector<C> guard = {}) {
    for (auto &k : on) ts.push_back({from, k, to, guard});
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
  add({"transactional", "developing", "partner"}, {"service_issue", "promise_broken", "price_match"},
      "at_risk", {t_lt(0.4)});
  add({"transactional", "developing", "partner"}, {"deal_lost"}, "at_risk",
      {C{feature::losses_in_a_row, compare_op::ge, 3.0}, t_lt(0.5)});
  add({"at_risk"}, {"meeting", "discovery", "promise_kept", "deal_won", "purchase", "referral_given"},
      "developing", {t_ge(0.5)});
  add({"*"}, {"churn"}, "churned");
  add({"*"}, {"fire"}, "fired");
  add({"lost", "churned", "fired"}, {"return", "deal_won", "purchase"}, "won_back");
  add({"won_back"}, {"deal_won", "purchase"}, "developing", {t_ge(0.5)});
  add({"won_back"}, {"deal_won", "purchase"}, "transactional", {t_lt(0.5)});
  if (d.to.empty()) d.to = "lost";
  if (d.from.empty())
    d.from = {"negotiating", "transactional", "developing", "partner", "at_risk", "won_back"};
  return relationship_model({"prospect", "qualified", "negotiating", "transactional", "developing",
                             "partner", "at_risk", "lost", "churned", "fired", "won_back"},
                            "prospect", std::move(ts), std::move(d));
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_HPP
