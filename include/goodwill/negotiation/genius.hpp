// goodwill — import of Genius (ANAC) negotiation domains and profiles.
//
// Design: a Genius domain XML lists the issues under an <objective> (or, as
// some official files do, directly under <utility_space>); a profile
// repeats them with per-value `evaluation`s (discrete issues) or an
// <evaluator> (integer and real issues), per-issue <weight index value>,
// and optionally <reservation value> and <discount_factor value>. Values are
// those of Genius 10.4 (genius.core.utility):
//   * EvaluatorDiscrete: evaluation / largest evaluation of the issue, or 0
//     when that largest is below 1e-5; negative evaluations are kept;
//   * EvaluatorInteger: offset + slope * (x - lowerbound), clamped to [0, 1];
//   * EvaluatorReal, bounds as attributes or a <range> child: "linear" with
//     parameter0/parameter1 is parameter1 * x + parameter0 on the raw value,
//     clamped to [0, 1] (slope/offset as for integers is also read);
//     "constant" is parameter0;
//   * weights are matched to issues by index; a weight on the objective's own
//     index (ANAC 2012 Fitness) weighs no issue and is ignored;
//   * AdditiveUtilitySpace.getUtility: sum of weight * evaluation, and 1 when
//     the sum exceeds 1 (the cap is kept on the utility, see preferences.hpp);
//   * a discount factor of 0 (or >= 1) means no discounting.
// goodwill is stricter than Genius where Genius silently guesses: duplicate
// issues, values, evaluations or weights (Genius keeps the last), values
// without an evaluation and weights matching nothing are refused.
//
// Non-linear profiles (utility_space type="nonlinear", ANAC 2014) are read
// by genius_utility into a hyper_rectangle_utility (nonlinear.hpp), as
// Genius 10.4's NonlinearUtilitySpace reads them: the <utility maxutility>
// (NegMAS writes <utility_function maxutility>) holds one root <ufun>
// (attributes aggregation = sum | min | max, default sum, and weight); a
// ufun holds <hyperRectangle> children (attribute utility; NegMAS writes
// utility_function, some files utility_function_value; optional weight)
// and nested <ufun>s; a rectangle's <INCLUDES index min max/> or
// <EXCLUDES .../> bounds name issues by their index attribute (the profile's
// <issue index> list; without one, Genius's 1-based issue numbers); the
// utility is root / maxutility, 1 above 1. Refused as malformed: no
// maxutility or one <= 0, no root ufun, a rectangle with no utility or two
// utility attributes, one with both INCLUDES and EXCLUDES (Genius keeps the
// EXCLUDES silently), a bound on an unknown index, twice on one issue,
// with min above max, a non-integer bound on an integer issue, or a bound on
// a labelled issue (Genius reads integer values only). Every refusal is
// invalid_input "SOURCE:LINE: reason", SOURCE the file path. Files are read
// with the strict reader of detail/xml.hpp (no DTDs or entities, bounded
// size and depth, valid UTF-8 or declared Latin-1, no NUL byte).
#ifndef GOODWILL_NEGOTIATION_GENIUS_HPP
#define GOODWILL_NEGOTIATION_GENIUS_HPP

#include <goodwill/detail/xml.hpp>
#include <goodwill/error.hpp>
#include <goodwill/negotiation/nonlinear.hpp>
#include <goodwill/negotiation/outcome_space.hpp>
#include <goodwill/negotiation/preferences.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace goodwill {

namespace detail::genius {

/// Where a document came from: every refusal is "SOURCE:LINE: reason".
struct origin {
  std::string source = "<string>";

  [[noreturn]] void fail(std::size_t line, const std::string &why) const {
    throw invalid_input("genius", source + ":" + std::to_string(line) + ": " + why);
  }
};

inline const xml::element *find(const xml::element &e, std::string_view name) {
  if (e.name == name)
    return &e;
  for (const auto &c : e.children)
    if (const auto *f = find(c, name))
      return f;
  return nullptr;
}

inline std::string attr(const origin &o, const xml::element &e, std::string_view key,
                        bool required = true) {
  if (const auto *v = e.attribute(key))
    return *v;
  if (required)
    o.fail(e.line, "<" + e.name + "> lacks the attribute '" + std::string(key) + "'");
  return {};
}

/// A number as Java's Double.valueOf reads it (surrounding spaces, a leading '+').
inline double number(const origin &o, const xml::element &e, std::string_view key) {
  const auto s = attr(o, e, key);
  double v = 0.0;
  const char *b = s.data();
  const char *end = s.data() + s.size();
  while (b < end && (*b == ' ' || *b == '\t'))
    ++b;
  while (end > b && (end[-1] == ' ' || end[-1] == '\t'))
    --end;
  if (b < end && *b == '+')
    ++b;
  const auto r = std::from_chars(b, end, v);
  if (r.ec != std::errc{} || r.ptr != end || !std::isfinite(v))
    o.fail(e.line, "attribute '" + std::string(key) + "' of <" + e.name + "> is '" + s +
                       "', not a finite number");
  return v;
}

inline std::string issue_type(const xml::element &is) {
  for (const char *k : {"type", "etype", "vtype"})
    if (const auto *v = is.attribute(k))
      return *v;
  return "discrete";
}

/// The element whose <issue> (and <weight>) children Genius reads: the
/// <objective>, or the root itself when issues sit directly under it.
inline const xml::element &issue_parent(const origin &o, const xml::element &root,
                                        const char *what) {
  if (std::string_view(what) == "profile") {
    if (const auto *ut = find(root, "utility_space"); ut && ut->attribute("type")) {
      const auto &t = *ut->attribute("type");
      if (t == "nonlinear" || t == "NONLINEAR")
        o.fail(ut->line, "profile is a non-linear (hyper-rectangle) utility space: load it with "
                         "genius_utility / load_genius_utility, which read both kinds");
      if (t != "linear" && t != "additive")
        o.fail(ut->line, "profile is a '" + t +
                             "' utility space: only 'linear', 'additive' and 'nonlinear' are read");
    }
    for (const char *nl : {"ufun", "hyperRectangle"})
      if (const auto *x = find(root, nl))
        o.fail(x->line, std::string("profile is a non-linear (hyper-rectangle) profile (<") + nl +
                            ">): load it with genius_utility / load_genius_utility");
  }
  const xml::element *parent = find(root, "objective");
  if (!parent) {
    if (const auto *ut = find(root, "utility_space"); ut && ut->first("issue"))
      parent = ut;
    else if (root.first("issue"))
      parent = &root;
  }
  if (!parent)
    o.fail(root.line, std::string(what) + " has no <objective> and no <issue>");
  if (!parent->first("issue"))
    o.fail(parent->line, std::string(what) + " has no <issue>");
  return *parent;
}

/// Lower and upper bound of a numeric issue: attributes, or a <range> child.
inline std::pair<double, double> bounds(const origin &o, const xml::element &is) {
  if (is.attribute("lowerbound") || is.attribute("upperbound"))
    return {number(o, is, "lowerbound"), number(o, is, "upperbound")};
  if (const auto *r = is.first("range"))
    return {number(o, *r, "lowerbound"), number(o, *r, "upperbound")};
  o.fail(is.line, "numeric issue '" + attr(o, is, "name") +
                      "' has neither lowerbound/upperbound attributes nor a <range>");
}

} // namespace detail::genius

/// The outcome space of a parsed Genius domain document; `source` names the
/// document in error messages.
inline outcome_space genius_domain(const detail::xml::element &root,
                                   const std::string &source = "<string>") {
  namespace g = detail::genius;
  const g::origin o{source};
  std::vector<issue> issues;
  std::vector<std::size_t> lines;
  for (const auto *is : g::issue_parent(o, root, "domain").all("issue")) {
    const auto name = g::attr(o, *is, "name");
    for (std::size_t j = 0; j < issues.size(); ++j)
      if (issues[j].name == name)
        o.fail(is->line, "issue '" + name + "' is declared twice (first at line " +
                             std::to_string(lines[j]) + ")");
    const auto type = g::issue_type(*is);
    if (type == "discrete") {
      std::vector<std::string> labels;
      std::vector<std::size_t> at;
      for (const auto *item : is->all("item")) {
        auto v = g::attr(o, *item, "value");
        for (std::size_t j = 0; j < labels.size(); ++j)
          if (labels[j] == v)
            o.fail(item->line, "discrete issue '" + name + "' lists the value '" + v +
                                   "' twice (first at line " + std::to_string(at[j]) + ")");
        labels.push_back(std::move(v));
        at.push_back(item->line);
      }
      if (labels.empty())
        o.fail(is->line, "discrete issue '" + name + "' has no <item>");
      issues.push_back(issue::categorical(name, std::move(labels)));
    } else if (type == "integer") {
      const auto [lo, hi] = g::bounds(o, *is);
      if (lo != std::floor(lo) || hi != std::floor(hi) || std::abs(lo) > 1e15 ||
          std::abs(hi) > 1e15)
        o.fail(is->line, "integer issue '" + name + "' has non-integer bounds");
      if (hi < lo)
        o.fail(is->line, "integer issue '" + name + "' has upperbound below lowerbound");
      if (hi - lo >= 1099511627776.0)
        o.fail(is->line, "integer issue '" + name + "' has more than 2^40 values");
      issues.push_back(
          issue::integer(name, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
    } else if (type == "real") {
      const auto [lo, hi] = g::bounds(o, *is);
      if (hi < lo)
        o.fail(is->line, "real issue '" + name + "' has upperbound below lowerbound");
      issues.push_back(issue::continuous(name, lo, hi));
    } else {
      o.fail(is->line, "issue '" + name + "' has the unsupported type '" + type + "'");
    }
    lines.push_back(is->line);
  }
  return outcome_space(std::move(issues));
}

/// A Genius profile (parsed) over `space`, evaluated as Genius 10.4's
/// AdditiveUtilitySpace does (see the notes at the top of this header).
inline linear_additive_utility genius_profile(const outcome_space &space,
                                              const detail::xml::element &root,
                                              const std::string &source = "<string>") {
  namespace g = detail::genius;
  const g::origin o{source};
  const auto &parent = g::issue_parent(o, root, "profile");
  const auto k = space.issue_count();
  std::vector<double> weights(k, 0.0);
  std::vector<std::size_t> weight_line(k, 0), issue_line(k, 0);
  std::vector<issue_evaluator> ev(k);
  std::vector<std::string> index_attr(k);
  for (const auto *is : parent.all("issue")) {
    const auto name = g::attr(o, *is, "name");
    std::size_t i = k;
    for (std::size_t j = 0; j < k; ++j)
      if (space.issues()[j].name == name)
        i = j;
    if (i == k)
      o.fail(is->line, "profile issue '" + name + "' is not in the domain");
    if (issue_line[i])
      o.fail(is->line, "profile lists issue '" + name + "' twice (first at line " +
                           std::to_string(issue_line[i]) + ")");
    issue_line[i] = is->line;
    index_attr[i] = g::attr(o, *is, "index", false);
    const auto &dom = space.issues()[i];
    if (dom.kind == issue_kind::categorical || dom.kind == issue_kind::ordinal) {
      std::vector<double> t(dom.labels.size(), 0.0);
      std::vector<std::size_t> have(t.size(), 0);
      for (const auto *item : is->all("item")) {
        const auto value = g::attr(o, *item, "value");
        const auto it = std::find(dom.labels.begin(), dom.labels.end(), value);
        if (it == dom.labels.end())
          o.fail(item->line,
                 "profile value '" + value + "' of issue '" + name + "' is not in the domain");
        const auto j = static_cast<std::size_t>(it - dom.labels.begin());
        if (have[j])
          o.fail(item->line, "profile evaluates value '" + value + "' of issue '" + name +
                                 "' twice (first at line " + std::to_string(have[j]) + ")");
        t[j] = g::number(o, *item, "evaluation");
        have[j] = item->line;
      }
      for (std::size_t j = 0; j < t.size(); ++j)
        if (!have[j])
          o.fail(is->line, "profile gives no evaluation for value '" + dom.labels[j] +
                               "' of issue '" + name + "'");
      // EvaluatorDiscrete.normalize: divided by the largest evaluation, or 0
      // for every value when that is below 1e-5; negative evaluations stay
      // negative (Genius reads them as written).
      const double mx = *std::max_element(t.begin(), t.end());
      for (auto &v : t)
        v = mx < 0.00001 ? 0.0 : v / mx;
      ev[i].table = std::move(t);
    } else {
      const auto *e = is->first("evaluator");
      if (!e)
        o.fail(is->line, "numeric issue '" + name + "' has no <evaluator>");
      const auto ftype = g::attr(o, *e, "ftype", dom.kind == issue_kind::continuous);
      if (dom.kind == issue_kind::integer) {
        // EvaluatorInteger: offset + slope * (x - lowerbound), clamped to
        // [0, 1], lowerbound as the profile states it.
        if (!ftype.empty() && ftype != "linear")
          o.fail(e->line, "evaluator ftype '" + ftype + "' of integer issue '" + name +
                              "' is not supported (Genius reads integer issues as linear)");
        const double slope = g::number(o, *e, "slope"), offset = g::number(o, *e, "offset");
        const double lo = is->attribute("lowerbound") ? g::number(o, *is, "lowerbound") : dom.lower;
        ev[i].linear = linear_evaluator{slope, offset + slope * (dom.lower - lo), true};
      } else if (ftype == "linear") {
        if (e->attribute("parameter0") || e->attribute("parameter1")) {
          // EvaluatorReal, LINEAR: parameter1 * x + parameter0 on the raw
          // value, clamped to [0, 1].
          const double p0 = g::number(o, *e, "parameter0"), p1 = g::number(o, *e, "parameter1");
          ev[i].linear = linear_evaluator{p1, p0 + p1 * dom.lower, true};
        } else {
          ev[i].linear =
              linear_evaluator{g::number(o, *e, "slope"), g::number(o, *e, "offset"), true};
        }
      } else if (ftype == "constant") {
        // EvaluatorReal, CONSTANT: parameter0, not clamped.
        ev[i].linear = linear_evaluator{0.0, g::number(o, *e, "parameter0"), false};
      } else {
        o.fail(e->line, "evaluator ftype '" + ftype + "' of real issue '" + name +
                            "' is not supported (linear and constant only)");
      }
    }
  }
  for (std::size_t i = 0; i < k; ++i)
    if (!issue_line[i])
      o.fail(parent.line, "profile does not value issue '" + space.issues()[i].name + "'");
  // Weights are matched to issues by index, as in Genius; a weight on the
  // objective's own index (ANAC 2012 Fitness) weighs no issue and is ignored.
  const auto *own = parent.name == "objective" ? parent.attribute("index") : nullptr;
  std::vector<std::pair<std::string, std::size_t>> own_weights;
  for (const auto *w : parent.all("weight")) {
    const auto idx = g::attr(o, *w, "index");
    std::size_t i = k;
    for (std::size_t j = 0; j < k; ++j)
      if (index_attr[j] == idx)
        i = j;
    if (i == k) {
      if (own && *own == idx) {
        for (const auto &[x, line] : own_weights)
          if (x == idx)
            o.fail(w->line, "two <weight index=\"" + idx + "\"> (first at line " +
                                std::to_string(line) + ")");
        own_weights.emplace_back(idx, w->line);
        (void)g::number(o, *w, "value");
        continue;
      }
      o.fail(w->line, "<weight index=\"" + idx + "\"> matches no issue");
    }
    if (weight_line[i])
      o.fail(w->line, "two <weight index=\"" + idx + "\"> for issue '" + space.issues()[i].name +
                          "' (first at line " + std::to_string(weight_line[i]) + ")");
    weights[i] = g::number(o, *w, "value");
    weight_line[i] = w->line;
  }
  for (std::size_t i = 0; i < k; ++i)
    if (!weight_line[i])
      o.fail(issue_line[i], "no <weight> for issue '" + space.issues()[i].name + "'");
  double reservation = 0.0, discount = 1.0;
  if (const auto *r = g::find(root, "reservation"))
    reservation = g::number(o, *r, "value");
  if (const auto *d = g::find(root, "discount_factor"))
    discount = g::number(o, *d, "value");
  if (!(discount > 0.0 && discount < 1.0))
    discount = 1.0;
  linear_additive_utility u{space, std::move(weights), std::move(ev), reservation, discount};
  u.set_cap(1.0); // AdditiveUtilitySpace.getUtility: a sum above 1 is 1
  return u;
}

/// A non-linear (hyper-rectangle) Genius profile (parsed) over `space`,
/// evaluated as Genius 10.4's NonlinearUtilitySpace does (header note).
inline hyper_rectangle_utility genius_nonlinear_profile(const outcome_space &space,
                                                        const detail::xml::element &root,
                                                        const std::string &source = "<string>") {
  namespace g = detail::genius;
  namespace x = detail::xml;
  const g::origin o{source};
  const auto k = space.issue_count();
  // Issue numbers: the profile's <issue index name> list, else 1-based.
  std::vector<std::pair<std::string, std::size_t>> numbers;
  {
    const x::element *parent = g::find(root, "objective");
    if (!parent)
      parent = g::find(root, "utility_space");
    if (!parent)
      parent = &root;
    for (const auto *is : parent->all("issue")) {
      const auto name = g::attr(o, *is, "name");
      const auto idx = g::attr(o, *is, "index");
      std::size_t i = k;
      for (std::size_t j = 0; j < k; ++j)
        if (space.issues()[j].name == name)
          i = j;
      if (i == k)
        o.fail(is->line, "profile issue '" + name + "' is not in the domain");
      for (const auto &[other, _] : numbers)
        if (other == idx)
          o.fail(is->line, "two profile issues have index " + idx);
      numbers.emplace_back(idx, i);
    }
    if (numbers.empty())
      for (std::size_t j = 0; j < k; ++j)
        numbers.emplace_back(std::to_string(j + 1), j);
  }
  const x::element *util = g::find(root, "utility");
  if (!util)
    util = g::find(root, "utility_function");
  if (!util)
    o.fail(root.line, "non-linear profile has no <utility maxutility=...> element");
  const double maxu = g::number(o, *util, "maxutility");
  if (!(maxu > 0.0))
    o.fail(util->line, "maxutility is " + g::attr(o, *util, "maxutility") +
                           ": Genius divides by it, it must be > 0");
  const auto *top = util->first("ufun");
  if (!top)
    o.fail(util->line, "<" + util->name + "> has no <ufun>");
  auto bound_of = [&](const x::element &b) {
    const auto idx = g::attr(o, b, "index");
    std::size_t i = k;
    for (const auto &[n, pos] : numbers)
      if (n == idx)
        i = pos;
    if (i == k)
      o.fail(b.line, "<" + b.name + " index=\"" + idx + "\"> names no issue");
    const auto &is = space.issues()[i];
    if (!(is.kind == issue_kind::integer || is.kind == issue_kind::continuous))
      o.fail(b.line, "<" + b.name + "> bounds the labelled issue '" + is.name +
                         "': Genius reads hyper-rectangle bounds on integer issues only");
    rectangle_bound rb{i, g::number(o, b, "min"), g::number(o, b, "max")};
    if (is.kind == issue_kind::integer &&
        (rb.min != std::floor(rb.min) || rb.max != std::floor(rb.max)))
      o.fail(b.line,
             "<" + b.name + "> on integer issue '" + is.name + "' has a non-integer min or max");
    if (rb.max < rb.min)
      o.fail(b.line, "<" + b.name + "> on issue '" + is.name + "' has min above max");
    return rb;
  };
  auto read_node = [&](auto &self, const x::element &e) -> ufun_node {
    ufun_node node;
    if (const auto *ag = e.attribute("aggregation")) {
      std::string a = *ag;
      for (auto &c : a)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (a == "sum")
        node.agg = aggregation::sum;
      else if (a == "min")
        node.agg = aggregation::min;
      else if (a == "max")
        node.agg = aggregation::max;
      else
        o.fail(e.line, "ufun aggregation '" + *ag + "' is not sum, min or max");
    }
    if (e.attribute("weight"))
      node.weight = g::number(o, e, "weight");
    for (const auto &c : e.children) {
      if (c.name == "hyperRectangle") {
        hyper_rectangle r;
        const char *found = nullptr;
        for (const char *key : {"utility", "utility_function", "utility_function_value"})
          if (c.attribute(key)) {
            if (found)
              o.fail(c.line,
                     std::string("<hyperRectangle> has both '") + found + "' and '" + key + "'");
            found = key;
            r.utility = g::number(o, c, key);
          }
        if (!found)
          o.fail(c.line, "<hyperRectangle> has no utility attribute (utility, "
                         "utility_function or utility_function_value)");
        if (c.attribute("weight"))
          r.weight = g::number(o, c, "weight");
        const auto inc = c.all("INCLUDES"), exc = c.all("EXCLUDES");
        if (!inc.empty() && !exc.empty())
          o.fail(c.line, "<hyperRectangle> has both INCLUDES and EXCLUDES (Genius would keep "
                         "only the EXCLUDES)");
        r.exclusive = !exc.empty();
        for (const auto *b : r.exclusive ? exc : inc) {
          auto rb = bound_of(*b);
          for (const auto &prev : r.bounds)
            if (prev.issue == rb.issue)
              o.fail(b->line,
                     "<hyperRectangle> bounds issue '" + space.issues()[rb.issue].name + "' twice");
          r.bounds.push_back(rb);
        }
        node.rectangles.push_back(std::move(r));
      } else if (c.name == "ufun") {
        node.children.push_back(self(self, c));
      }
    }
    return node;
  };
  ufun_node tree = read_node(read_node, *top);
  double reservation = 0.0, discount = 1.0;
  if (const auto *r = g::find(root, "reservation"))
    reservation = g::number(o, *r, "value");
  if (const auto *d = g::find(root, "discount_factor"))
    discount = g::number(o, *d, "value");
  if (!(discount > 0.0 && discount < 1.0))
    discount = 1.0;
  try {
    // NonlinearUtilitySpace.getUtility: root / maxutility, 1 above 1.
    return hyper_rectangle_utility{space, std::move(tree), maxu, reservation, discount, 1.0};
  } catch (const invalid_input &e) {
    o.fail(top->line, e.what());
  }
}

/// Whether a parsed Genius profile is non-linear (utility_space
/// type="nonlinear", or a <ufun> / <hyperRectangle> element).
[[nodiscard]] inline bool genius_is_nonlinear(const detail::xml::element &root) {
  namespace g = detail::genius;
  if (const auto *ut = g::find(root, "utility_space"); ut && ut->attribute("type")) {
    const auto &t = *ut->attribute("type");
    if (t == "nonlinear" || t == "NONLINEAR")
      return true;
  }
  return g::find(root, "ufun") || g::find(root, "hyperRectangle");
}

/// A Genius profile of either kind: linear-additive or hyper-rectangle.
using genius_utility_function = std::variant<linear_additive_utility, hyper_rectangle_utility>;

/// A Genius profile (parsed) of either kind.
inline genius_utility_function genius_utility(const outcome_space &space,
                                              const detail::xml::element &root,
                                              const std::string &source = "<string>") {
  if (genius_is_nonlinear(root))
    return genius_nonlinear_profile(space, root, source);
  return genius_profile(space, root, source);
}

/// Load a Genius profile XML file of either kind over a domain's space.
inline genius_utility_function load_genius_utility(const outcome_space &space,
                                                   const std::string &path,
                                                   const detail::xml::limits &lim = {}) {
  return genius_utility(space, detail::xml::parse_file(path, lim), path);
}

/// Load a Genius domain XML file.
inline outcome_space load_genius_domain(const std::string &path,
                                        const detail::xml::limits &lim = {}) {
  return genius_domain(detail::xml::parse_file(path, lim), path);
}

/// Load a Genius profile XML file over a domain's outcome space.
inline linear_additive_utility load_genius_profile(const outcome_space &space,
                                                   const std::string &path,
                                                   const detail::xml::limits &lim = {}) {
  return genius_profile(space, detail::xml::parse_file(path, lim), path);
}

/// A bilateral Genius scenario: domain and two profiles.
struct genius_scenario {
  outcome_space space;
  linear_additive_utility first;
  linear_additive_utility second;
};

/// Load a domain and two profiles.
inline genius_scenario load_genius_scenario(const std::string &domain, const std::string &profile1,
                                            const std::string &profile2) {
  auto space = load_genius_domain(domain);
  auto a = load_genius_profile(space, profile1);
  auto b = load_genius_profile(space, profile2);
  return {std::move(space), std::move(a), std::move(b)};
}

} // namespace goodwill

#endif // GOODWILL_NEGOTIATION_GENIUS_HPP
