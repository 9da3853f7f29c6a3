// goodwill — import of Genius (ANAC) negotiation domains and profiles.
//
// Design: a Genius domain XML lists the issues under an <objective>; a
// profile XML repeats them with per-value `evaluation`s (discrete issues) or
// an <evaluator ftype="linear" slope offset> (integer and real issues),
// per-issue <weight index value>, and optionally <reservation value> and
// <discount_factor value>. Genius normalisation is applied: each discrete
// issue's evaluations are divided by that issue's largest evaluation; an
// integer/real issue evaluates offset + slope * (value - lowerbound) clamped
// to [0, 1]. Weights are used as written (Genius files store them summing to
// one). A discount factor of 0 (or >= 1) means no discounting, as in Genius.
// Files are read with the strict reader of detail/xml.hpp: no DTDs, no
// entities, bounded size and depth; anything else is invalid_input.
#ifndef GOODWILL_GENIUS_HPP
#define GOODWILL_GENIUS_HPP

#include <goodwill/detail/xml.hpp>
#include <goodwill/error.hpp>
#include <goodwill/outcome_space.hpp>
#include <goodwill/preferences.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace goodwill {

namespace detail::genius {

/// Concatenate message parts (one allocation).
inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts)
    out += p;
  return out;
}

inline const xml::element *find(const xml::element &e, std::string_view name) {
  if (e.name == name)
    return &e;
  for (const auto &c : e.children)
    if (const auto *f = find(c, name))
      return f;
  return nullptr;
}

inline std::string attr(const xml::element &e, std::string_view key, bool required = true) {
  if (const auto *v = e.attribute(key))
    return *v;
  if (required)
    throw invalid_input("genius", "line " + std::to_string(e.line) + ": <" + e.name +
                                      "> lacks the attribute '" + std::string(key) + "'");
  return {};
}

inline double number(const xml::element &e, std::string_view key) {
  const auto s = attr(e, key);
  double v = 0.0;
  const char *b = s.data();
  const char *end = s.data() + s.size();
  while (b < end && *b == ' ')
    ++b;
  if (b < end && *b == '+')
    ++b;
  const auto r = std::from_chars(b, end, v);
  if (r.ec != std::errc{} || r.ptr != end || !std::isfinite(v))
    throw invalid_input("genius", "line " + std::to_string(e.line) + ": attribute '" +
                                      std::string(key) + "' of <" + e.name + "> is '" + s +
                                      "', not a finite number");
  return v;
}

inline std::string issue_type(const xml::element &is) {
  for (const char *k : {"type", "etype", "vtype"})
    if (const auto *v = is.attribute(k))
      return *v;
  return "discrete";
}

inline std::vector<const xml::element *> issues_of(const xml::element &root, const char *what) {
  const auto *obj = find(root, "objective");
  if (!obj)
    throw invalid_input("genius", std::string(what) + " has no <objective>");
  auto issues = obj->all("issue");
  if (issues.empty())
    throw invalid_input("genius", std::string(what) + " has no <issue>");
  return issues;
}

} // namespace detail::genius

/// The outcome space of a parsed Genius domain document.
inline outcome_space genius_domain(const detail::xml::element &root) {
  namespace g = detail::genius;
  using g::cat;
  std::vector<issue> issues;
  for (const auto *is : g::issues_of(root, "domain")) {
    const auto name = g::attr(*is, "name");
    const auto type = g::issue_type(*is);
    if (type == "discrete") {
      std::vector<std::string> labels;
      for (const auto *item : is->all("item"))
        labels.push_back(g::attr(*item, "value"));
      if (labels.empty())
        throw invalid_input("genius", "discrete issue '" + name + "' has no <item>");
      issues.push_back(issue::categorical(name, std::move(labels)));
    } else if (type == "integer") {
      const double lo = g::number(*is, "lowerbound"), hi = g::number(*is, "upperbound");
      if (lo != std::floor(lo) || hi != std::floor(hi) || std::abs(lo) > 1e15 ||
          std::abs(hi) > 1e15)
        throw invalid_input("genius", "integer issue '" + name + "' has non-integer bounds");
      issues.push_back(
          issue::integer(name, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
    } else if (type == "real") {
      issues.push_back(
          issue::continuous(name, g::number(*is, "lowerbound"), g::number(*is, "upperbound")));
    } else {
      throw invalid_input("genius",
                          cat({"issue '", name, "' has the unsupported type '", type, "'"}));
    }
  }
  return outcome_space(std::move(issues));
}

/// A Genius profile (parsed) over `space`, with Genius normalisation.
inline linear_additive_utility genius_profile(const outcome_space &space,
                                              const detail::xml::element &root) {
  namespace g = detail::genius;
  using g::cat;
  const auto issues = g::issues_of(root, "profile");
  const auto *obj = g::find(root, "objective");
  const auto k = space.issue_count();
  std::vector<double> weights(k, 0.0);
  std::vector<bool> weighted(k, false), seen(k, false);
  std::vector<issue_evaluator> ev(k);
  std::vector<std::string> index_attr(k);
  for (const auto *is : issues) {
    const auto name = g::attr(*is, "name");
    const auto i = space.issue_index(name);
    if (seen[i])
      throw invalid_input("genius", "profile lists issue '" + name + "' twice");
    seen[i] = true;
    index_attr[i] = g::attr(*is, "index", false);
    const auto &dom = space.issues()[i];
    if (dom.kind == issue_kind::categorical || dom.kind == issue_kind::ordinal) {
      std::vector<double> t(dom.labels.size(), 0.0);
      std::vector<bool> have(t.size(), false);
      for (const auto *item : is->all("item")) {
        const auto value = g::attr(*item, "value");
        const auto it = std::find(dom.labels.begin(), dom.labels.end(), value);
        if (it == dom.labels.end())
          throw invalid_input("genius", cat({"profile value '", value, "' of issue '", name,
                                             "' is not in the domain"}));
        const auto j = static_cast<std::size_t>(it - dom.labels.begin());
        t[j] = g::number(*item, "evaluation");
        if (t[j] < 0.0)
          throw invalid_input("genius",
                              cat({"negative evaluation for '", value, "' of '", name, "'"}));
        have[j] = true;
      }
      for (std::size_t j = 0; j < t.size(); ++j)
        if (!have[j])
          throw invalid_input("genius", "profile gives no evaluation for value '" + dom.labels[j] +
                                            "' of issue '" + name + "'");
      const double mx = *std::max_element(t.begin(), t.end());
      if (mx > 0.0)
        for (auto &v : t)
          v /= mx;
      ev[i].table = std::move(t);
    } else {
      const auto *e = is->first("evaluator");
      if (!e)
        throw invalid_input("genius", "numeric issue '" + name + "' has no <evaluator>");
      const auto ftype = g::attr(*e, "ftype");
      if (ftype != "linear")
        throw invalid_input("genius", cat({"evaluator ftype '", ftype, "' of issue '", name,
                                           "' is not supported (only linear)"}));
      ev[i].linear = linear_evaluator{g::number(*e, "slope"), g::number(*e, "offset"), true};
    }
  }
  for (std::size_t i = 0; i < k; ++i)
    if (!seen[i])
      throw invalid_input("genius",
                          "profile does not value issue '" + space.issues()[i].name + "'");
  for (const auto *w : obj->all("weight")) {
    const auto idx = g::attr(*w, "index");
    std::size_t i = k;
    for (std::size_t j = 0; j < k; ++j)
      if (index_attr[j] == idx)
        i = j;
    if (i == k)
      throw invalid_input("genius", "<weight index=\"" + idx + "\"> matches no issue");
    weights[i] = g::number(*w, "value");
    weighted[i] = true;
  }
  for (std::size_t i = 0; i < k; ++i)
    if (!weighted[i])
      throw invalid_input("genius", "no <weight> for issue '" + space.issues()[i].name + "'");
  double reservation = 0.0, discount = 1.0;
  if (const auto *r = g::find(root, "reservation"))
    reservation = g::number(*r, "value");
  if (const auto *d = g::find(root, "discount_factor"))
    discount = g::number(*d, "value");
  if (!(discount > 0.0 && discount < 1.0))
    discount = 1.0;
  return {space, std::move(weights), std::move(ev), reservation, discount};
}

/// Load a Genius domain XML file.
inline outcome_space load_genius_domain(const std::string &path,
                                        const detail::xml::limits &lim = {}) {
  return genius_domain(detail::xml::parse_file(path, lim));
}

/// Load a Genius profile XML file over a domain's outcome space.
inline linear_additive_utility load_genius_profile(const outcome_space &space,
                                                   const std::string &path,
                                                   const detail::xml::limits &lim = {}) {
  try {
    return genius_profile(space, detail::xml::parse_file(path, lim));
  } catch (const invalid_input &e) {
    const std::string what = e.what();
    if (what.find(path) != std::string::npos)
      throw;
    throw invalid_input("genius", "'" + path + "': " + what);
  }
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

#endif // GOODWILL_GENIUS_HPP
