// libFuzzer harness: the Genius XML reader (include/goodwill/genius.hpp and
// detail/xml.hpp) on arbitrary bytes, linear and non-linear profiles.
//
// The input is a domain document, optionally followed by the separator
// "\n<!--goodwill-fuzz-profile-->\n" and a profile document: the domain is
// parsed and read as an outcome space; if that succeeds and a profile
// follows, the profile is read over that space and one outcome is valued.
// Expected: a goodwill::error. Anything else (a crash, a sanitizer report,
// another exception, a utility that is not finite or above the cap of 1)
// fails the run. Below 0 is allowed: Genius profiles may have negative
// evaluations (ANAC 2010 Travel, tests/data/genius_cases/README.md).
#include <goodwill/error.hpp>
#include <goodwill/negotiation/genius.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

namespace {
constexpr std::string_view separator = "\n<!--goodwill-fuzz-profile-->\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char *>(data), size);
  const auto at = all.find(separator);
  const auto domain_text = all.substr(0, at);
  try {
    namespace xml = goodwill::detail::xml;
    const auto space = goodwill::genius_domain(xml::parse(domain_text, {}, "domain"), "domain");
    if (at == std::string_view::npos)
      return 0;
    const auto profile_text = all.substr(at + separator.size());
    // Both kinds: linear-additive and non-linear (hyper-rectangle) profiles.
    const auto any =
        goodwill::genius_utility(space, xml::parse(profile_text, {}, "profile"), "profile");
    if (space.discrete() && space.size() > 0) {
      const double v = std::visit([](const auto &u) { return u(goodwill::outcome_id{0}); }, any);
      if (!(std::isfinite(v) && v <= 1.0)) {
        std::fprintf(stderr, "genius: utility of outcome 0 is %g (not finite or above 1)\n", v);
        std::abort();
      }
    }
  } catch (const goodwill::error &) {
    // expected: refused by name
  }
  return 0;
}
