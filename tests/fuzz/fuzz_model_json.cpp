// libFuzzer harness: the relationship-model JSON reader and the guard parser
// (include/goodwill/relationship_model.hpp) on arbitrary bytes.
//
// The input is read as model JSON (relationship_model::from_json_string) and
// as a guard expression (parse_guard). Expected: a goodwill::error. A model
// that loads must round-trip: its to_json() written out and read back gives
// the same JSON (a model goodwill writes but cannot read back is a bug).
// Anything else (a crash, stack overflow, a sanitizer report, another
// exception such as nlohmann::json's) fails the run.
#include <goodwill/error.hpp>
#include <goodwill/relationship/relationship_model.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  try {
    const auto m = goodwill::relationship_model::from_json_string(text);
    const std::string written = m.to_json().dump();
    try {
      const auto back = goodwill::relationship_model::from_json_string(written);
      if (back.to_json().dump() != written) {
        std::fprintf(stderr, "model JSON: round trip differs:\n%s\n", written.c_str());
        std::abort();
      }
    } catch (const goodwill::error &e) {
      std::fprintf(stderr, "model JSON: to_json() output cannot be read back: %s\n%s\n", e.what(),
                   written.c_str());
      std::abort();
    }
  } catch (const goodwill::error &) {
    // expected: refused by name
  }
  try {
    (void)goodwill::parse_guard(text);
  } catch (const goodwill::error &) {
    // expected
  }
  return 0;
}
