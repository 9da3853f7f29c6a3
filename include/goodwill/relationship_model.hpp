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
// no restriction). Transitions are numbered from 0 in messages.
//
// JSON schema (to_json writes guards as lists of triples; from_json accepts
// either form):
//   {"states": ["prospect", ...], "initial": "prospect",
//    "transitions": [{"from": "qualified" | ["a", "b"] | "*",
//                     "on": "proposal", "to": "negotiating",
//                     "guard": [["trust", "<", 0.3], ...]
//                              | "trust < 0.3 and price_matches >= 3"}]}
// "guard" may be omitted, null, [] or "" (always true).
#ifndef GOODWILL_RELATIONSHIP_MODEL_HPP
#define GOODWILL_RELATIONSHIP_MODEL_HPP

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
/// (+infinity on the first event).
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
};

/// Number of features.
inline constexpr std::size_t feature_count = 20;
/// The first counter feature and the number of counters.
inline constexpr std::size_t first_counter = 4;
inline constexpr std::size_t counter_count = 14;

/// Feature names, indexed by code.
inline constexpr std::array<std::string_view, feature_count> feature_names{
    "trust",          "engagement",     "loyalty",         "price_sensitivity",
    "meetings",       "discoveries",    "proposals",       "competitor_quotes",
    "concessions",    "price_matches",  "deals_won",       "deals_lost",
    "purchases",      "service_issues", "promises_kept",   "promises_broken",
    "referrals",      "walk_aways",     "amount",          "days_since_last"};

/// The feature with this name, if any.
[[nodiscard]] constexpr std::optional<feature>
feature_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < feature_count; ++i)
    if (feature_names[i] == name)
      return static_cast<feature>(i);
  return std::nullopt;
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

/// Comparison operators of guard conditions.
enum class compare_op : std::uint8_t { lt, le, gt, ge, eq, ne };

/// Operator spellings, indexed by code.
inline constexpr std::array<std::string_view, 6> compare_op_names{"<", "<=", ">",
                                                                  ">=", "==", "!="};

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

/// A validated finite-state machine over events. Immutable once built.
class relationship_model {
public:
  /// A transition ready to evaluate: target and a range of conditions.
  struct compiled_transition {
    state_code to;
    std::uint16_t spec; ///< index of the transition_spec
    std::uint32_t cond_begin, cond_end;
  };

  /// Build and validate; throws invalid_state naming the problem.
  relationship_model(std::vector<std::string> states, std::string initial,
                     std::vector<transition_spec> transitions)
      : states_(std::move(states)), initial_name_(std::move(initial)),
        specs_(std::move(transitions)) {
    build();
  }

  /// Read a model from JSON (see the schema at the top of this header).
  [[nodiscard]] static relationship_model from_json(const nlohmann::json &j) {
    auto fail = [](const std::string &m) { throw invalid_state("model JSON: " + m); };
    if (!j.is_object()) fail("must be an object with 'states', 'initial', 'transitions'");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "states" && it.key() != "initial" && it.key() != "transitions")
        fail("unknown key '" + it.key() + "'");
    if (!j.contains("states") || !j["states"].is_array())
      fail("'states' must be a list of state names");
    std::vector<std::string> states;
    for (const auto &s : j["states"]) {
      if (!s.is_string()) fail("'states' must be a list of strings, found " + s.dump());
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
                fail(where + "a guard condition must be [feature, op, number], found " + c.dump());
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
    return relationship_model(std::move(states), std::move(initial), std::move(specs));
  }

  /// Read a model from JSON text.
  [[nodiscard]] static relationship_model from_json_string(std::string_view text) {
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
      std::vector<state_code> seen;
      for (const auto &f : s.from) {
        if (f == "*")
          throw invalid_state(describe(i) + ": \"*\" must stand alone in 'from'");
        auto fc = code.find(f);
        if (fc == code.end())
          throw invalid_state(describe(i) + ": unknown state '" + f + "' in 'from'");
        if (std::find(seen.begin(), seen.end(), fc->second) != seen.end())
          throw invalid_state(describe(i) + ": state '" + f + "' is listed twice in 'from'");
        seen.push_back(fc->second);
        expl[fc->second * event_kind_count + k].push_back(static_cast<std::uint16_t>(i));
      }
    }
    // compile the dense table, checking ambiguity per cell
    table_.assign(ns * event_kind_count + 1, 0);
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t k = 0; k < event_kind_count; ++k) {
        const auto cell = s * event_kind_count + k;
        const auto &list = expl[cell].empty() ? wild[k] : expl[cell];
        for (std::size_t a = 0; a < list.size(); ++a)
          for (std::size_t b = a + 1; b < list.size(); ++b)
            if (can_hold(specs_[list[a]].guard, specs_[list[b]].guard))
              throw invalid_state("ambiguous: " + describe(list[a]) + " and " + describe(list[b]) +
                                  " can both fire in state '" + states_[s] + "' on '" +
                                  std::string(event_kind_names[k]) + "'");
        for (auto i : list) {
          compiled_transition t{target[i], i, static_cast<std::uint32_t>(conditions_.size()), 0};
          conditions_.insert(conditions_.end(), specs_[i].guard.begin(), specs_[i].guard.end());
          t.cond_end = static_cast<std::uint32_t>(conditions_.size());
          compiled_.push_back(t);
        }
        table_[cell + 1] = static_cast<std::uint32_t>(compiled_.size());
      }
    // reachability
    std::vector<char> seen(ns, 0);
    std::vector<state_code> queue{initial_};
    seen[initial_] = 1;
    for (std::size_t q = 0; q < queue.size(); ++q)
      for (std::size_t k = 0; k < event_kind_count; ++k)
        for (const auto &t : candidates(queue[q], static_cast<event_kind>(k)))
          if (!seen[t.to]) {
            seen[t.to] = 1;
            queue.push_back(t.to);
          }
    for (std::size_t s = 0; s < ns; ++s)
      if (!seen[s])
        throw invalid_state("state '" + states_[s] + "' is unreachable from the initial state '" +
                            initial_name_ + "'");
  }

  std::vector<std::string> states_;
  std::string initial_name_;
  std::vector<transition_spec> specs_;
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
///  negotiating --deal_lost--> lost;  negotiating --walk_away--> qualified
///      (walking away from the sale, not from the customer: seed 000)
///  transactional --deal_won|purchase|promise_kept|discovery [trust >= 0.6]--> developing
///  developing --deal_won|purchase|referral_given [trust >= 0.75]--> partner
///  {transactional, developing, partner} --service_issue|promise_broken|price_match
///      [trust < 0.4]--> at_risk
///  at_risk --meeting|discovery|promise_kept|deal_won|purchase|referral_given
///      [trust >= 0.5]--> developing  (trust rebuilt: seed 000 "lean in")
///  at_risk --deal_lost--> lost
///  * --churn--> churned;  * --fire--> fired
///  {lost, churned, fired} --return|deal_won|purchase--> won_back  (seeds 002,
///      003: they come back; a won deal or a purchase after the exit is a
///      return even where the CRM logs no `return` event)
///  won_back --deal_won|purchase--> developing if trust >= 0.5 else transactional
///  won_back --deal_lost--> lost
[[nodiscard]] inline relationship_model relationship_selling() {
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
  add({"negotiating"}, {"deal_lost"}, "lost");
  add({"negotiating"}, {"walk_away"}, "qualified");
  add({"transactional"}, {"deal_won", "purchase", "promise_kept", "discovery"}, "developing",
      {t_ge(0.6)});
  add({"developing"}, {"deal_won", "purchase", "referral_given"}, "partner", {t_ge(0.75)});
  add({"transactional", "developing", "partner"}, {"service_issue", "promise_broken", "price_match"},
      "at_risk", {t_lt(0.4)});
  add({"at_risk"}, {"meeting", "discovery", "promise_kept", "deal_won", "purchase", "referral_given"},
      "developing", {t_ge(0.5)});
  add({"at_risk"}, {"deal_lost"}, "lost");
  add({"*"}, {"churn"}, "churned");
  add({"*"}, {"fire"}, "fired");
  add({"lost", "churned", "fired"}, {"return", "deal_won", "purchase"}, "won_back");
  add({"won_back"}, {"deal_won", "purchase"}, "developing", {t_ge(0.5)});
  add({"won_back"}, {"deal_won", "purchase"}, "transactional", {t_lt(0.5)});
  add({"won_back"}, {"deal_lost"}, "lost");
  return relationship_model({"prospect", "qualified", "negotiating", "transactional", "developing",
                             "partner", "at_risk", "lost", "churned", "fired", "won_back"},
                            "prospect", std::move(ts));
}

} // namespace goodwill

#endif // GOODWILL_RELATIONSHIP_MODEL_HPP
