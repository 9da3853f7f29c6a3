// libFuzzer harness: goodwill::ledger::load on arbitrary bytes (the .gwl
// binary format, every version that still loads).
//
// Expected: a goodwill::error (the input is not a ledger, truncated,
// corrupt, inconsistent). Anything else fails the run: a crash, a sanitizer
// report, any other exception (std::bad_alloc from a header that claims more
// than the file holds, std::length_error, ...). A ledger that loads must
// round-trip exactly: saving it and loading the saved bytes gives the same
// bytes again (a load that accepts what save cannot reproduce is a bug).
#include <goodwill/error.hpp>
#include <goodwill/ledger.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char *>(data), size);
  std::istringstream in(bytes);
  try {
    const auto l = goodwill::ledger::load(in);
    std::ostringstream first;
    l.save(first);
    std::istringstream again(first.str());
    const auto back = goodwill::ledger::load(again);
    std::ostringstream second;
    back.save(second);
    if (first.str() != second.str()) {
      std::fputs("ledger: save(load(save(load(x)))) differs from save(load(x))\n", stderr);
      std::abort();
    }
  } catch (const goodwill::error &) {
    // expected: refused by name
  }
  return 0;
}
