// goodwill — relationship_model's JSON reading and writing and its
// compilation into the replay's tables (build, build_dormancy, describe);
// declared in relationship/relationship_model.hpp (the design notes are
// there). Compiled once in src/relationship/relationship_model.cpp, or
// included by the header under GOODWILL_HEADER_ONLY (detail/config.hpp).
#ifndef GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_INL_HPP
#define GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_INL_HPP

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <goodwill/enum_names.hpp>
#include <goodwill/error.hpp>
#include <goodwill/event.hpp>
#include <goodwill/relationship/relationship_model.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

// Defined once: compiled in src/ (GOODWILL_FUNC empty), or inline under
// GOODWILL_HEADER_ONLY (detail/config.hpp).
// NOLINTBEGIN(misc-definitions-in-headers)
namespace goodwill {

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
           std::to_string(v.size()) + " nested " +
           (deep ? "more than 8 deep" : "too large to show");
  std::string out = v.dump();
  if (out.size() > 200)
    out = out.substr(0, 200) + "...";
  return out;
}

} // namespace detail

GOODWILL_FUNC relationship_model relationship_model::from_json(const nlohmann::json &j) {
  auto fail = [](const std::string &m) { throw invalid_state("model JSON: " + m); };
  if (!j.is_object())
    fail("must be an object with 'states', 'initial', 'transitions'");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "states" && it.key() != "initial" && it.key() != "transitions" &&
        it.key() != "dormancy")
      fail("unknown key '" + it.key() + "'");
  if (!j.contains("states") || !j["states"].is_array())
    fail("'states' must be a list of state names");
  std::vector<std::string> states;
  for (const auto &s : j["states"]) {
    if (!s.is_string())
      fail("'states' must be a list of strings, found " + detail::json_brief(s));
    states.push_back(s.get<std::string>());
  }
  std::string initial;
  if (j.contains("initial")) {
    if (!j["initial"].is_string())
      fail("'initial' must be a state name");
    initial = j["initial"].get<std::string>();
  } else if (!states.empty()) {
    initial = states.front();
  }
  std::vector<transition_spec> specs;
  if (j.contains("transitions")) {
    if (!j["transitions"].is_array())
      fail("'transitions' must be a list");
    std::size_t i = 0;
    for (const auto &t : j["transitions"]) {
      const std::string where = "transition " + std::to_string(i++) + ": ";
      if (!t.is_object())
        fail(where + "must be an object with 'from', 'on', 'to'");
      for (auto it = t.begin(); it != t.end(); ++it)
        if (it.key() != "from" && it.key() != "on" && it.key() != "to" && it.key() != "guard")
          fail(where + "unknown key '" + it.key() + "'");
      transition_spec s;
      if (!t.contains("from"))
        fail(where + "'from' is missing");
      const auto &from = t["from"];
      if (from.is_string()) {
        s.from.push_back(from.get<std::string>());
      } else if (from.is_array() && !from.empty()) {
        for (const auto &f : from) {
          if (!f.is_string())
            fail(where + "'from' must hold state names");
          s.from.push_back(f.get<std::string>());
        }
      } else {
        fail(where + "'from' must be a state name, a non-empty list of them or \"*\"");
      }
      if (!t.contains("on") || !t["on"].is_string())
        fail(where + "'on' must be an event kind name");
      if (!t.contains("to") || !t["to"].is_string())
        fail(where + "'to' must be a state name");
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
              fail(where + "a guard condition must be [feature, op, number], found " +
                   detail::json_brief(c));
            try {
              auto parsed =
                  parse_guard(c[0].get<std::string>() + " " + c[1].get<std::string>() + " 0");
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

GOODWILL_FUNC dormancy_rule relationship_model::dormancy_from_json(const nlohmann::json &d) {
  auto fail = [](const std::string &m) { throw invalid_state("model JSON: dormancy: " + m); };
  if (!d.is_object())
    fail("must be an object with 'to' and 'from'");
  dormancy_rule r;
  auto names = [&](const char *key, std::vector<std::string> &out) {
    if (!d.contains(key))
      return;
    const auto &v = d[key];
    out.clear();
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
      return;
    }
    if (!v.is_array())
      fail(std::string("'") + key + "' must be a name or a list of names");
    for (const auto &x : v) {
      if (!x.is_string())
        fail(std::string("'") + key + "' must hold names, found " + detail::json_brief(x));
      out.push_back(x.get<std::string>());
    }
  };
  auto number = [&](const char *key, double &out) {
    if (!d.contains(key))
      return;
    if (!d[key].is_number())
      fail(std::string("'") + key + "' must be a number");
    out = d[key].get<double>();
  };
  for (auto it = d.begin(); it != d.end(); ++it) {
    static constexpr std::array<std::string_view, 9> keys{
        "to", "from", "on", "cancel_on", "days", "min_gaps", "quantile", "min_days", "max_days"};
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
      fail("unknown key '" + it.key() + "'");
  }
  if (!d.contains("to") || !d["to"].is_string())
    fail("'to' must be a state name");
  r.to = d["to"].get<std::string>();
  if (!d.contains("from"))
    fail("'from' is missing");
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

GOODWILL_FUNC relationship_model relationship_model::from_json_string(std::string_view text) {
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

GOODWILL_FUNC nlohmann::json relationship_model::to_json() const {
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
    j["dormancy"] = {{"to", dormancy_.to},
                     {"from", dormancy_.from},
                     {"on", dormancy_.on},
                     {"cancel_on", dormancy_.cancel_on},
                     {"days", dormancy_.days},
                     {"min_gaps", dormancy_.min_gaps},
                     {"quantile", dormancy_.quantile},
                     {"min_days", dormancy_.min_days},
                     {"max_days", dormancy_.max_days}};
  return j;
}

GOODWILL_FUNC std::string relationship_model::describe(std::size_t i) const {
  const auto &s = specs_[i];
  std::string from;
  for (const auto &f : s.from)
    from += (from.empty() ? "" : ",") + f;
  if (s.from.size() > 1)
    from = "[" + from + "]";
  std::string g = to_string(std::span<const condition>(s.guard));
  return "transition " + std::to_string(i) + " (" + from + " -[" + s.on +
         (g.empty() ? "" : " if " + g) + "]-> " + s.to + ")";
}

GOODWILL_FUNC void relationship_model::build() {
  if (states_.empty())
    throw invalid_state("a model needs at least one state");
  if (states_.size() > 0xFFFF)
    throw invalid_state("a model holds at most 65535 states");
  if (specs_.size() > 0xFFFF)
    throw invalid_state("a model holds at most 65535 transitions");
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
    if (s.from.empty())
      throw invalid_state(describe(i) + ": 'from' is empty");
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
              throw invalid_state("ambiguous: " + describe(list[a]) + " and " + describe(list[b]) +
                                  " can both fire in state '" + states_[s] + "' on '" +
                                  std::string(event_kind_names[k]) + "'");
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
      for (const auto &t : candidates(queue[q], static_cast<event_kind>(k)))
        visit(t.to);
    if (has_dormancy() && dormancy_from_[queue[q]])
      visit(dormancy_to_);
  }
  for (std::size_t s = 0; s < ns; ++s)
    if (!seen[s])
      throw invalid_state("state '" + states_[s] + "' is unreachable from the initial state '" +
                          initial_name_ + "'");
}

GOODWILL_FUNC void
relationship_model::build_dormancy(const std::unordered_map<std::string, state_code> &code) {
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
  if (to == code.end())
    fail("unknown state '" + d.to + "' in 'to'");
  dormancy_to_ = to->second;
  if (d.from.empty())
    fail("'from' is empty");
  for (const auto &f : d.from) {
    const auto fc = code.find(f);
    if (fc == code.end())
      fail("unknown state '" + f + "' in 'from'");
    if (fc->second == dormancy_to_)
      fail("'from' holds the target state '" + f + "'");
    if (dormancy_from_[fc->second])
      fail("state '" + f + "' is listed twice in 'from'");
    dormancy_from_[fc->second] = 1;
  }
  auto kinds = [&](const std::vector<std::string> &names, const char *field, std::uint8_t flag) {
    if (names.empty())
      fail(std::string("'") + field + "' is empty");
    for (const auto &n : names) {
      const auto k = event_kind_from_string(n);
      if (!k)
        fail(std::string("unknown event kind '") + n + "' in '" + field + "'");
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
  if (d.min_days > d.max_days)
    fail("'min_days' is above 'max_days'");
  if (!(d.quantile > 0.0 && d.quantile <= 1.0))
    fail("'quantile' must be in (0, 1], got " + std::to_string(d.quantile));
}

} // namespace goodwill

// NOLINTEND(misc-definitions-in-headers)

#endif // GOODWILL_RELATIONSHIP_RELATIONSHIP_MODEL_INL_HPP
