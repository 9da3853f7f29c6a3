// Writes the generated part of the fuzzing seed corpora (tests/fuzz/corpus/):
// ledgers saved by goodwill in the current format (version 3) and model JSON
// written by relationship_model::to_json(). Run by `make fuzz-seeds`; the
// output is committed, so the fuzzers never need it at run time. Version 1
// and 2 ledgers are copied from tests/data (written by older goodwill).
#include <goodwill/ledger.hpp>
#include <goodwill/relationship/relationship_model.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace {
void write(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}
void save(const goodwill::ledger &l, const std::string &path) {
  std::ofstream out(path, std::ios::binary);
  l.save(out);
}
} // namespace

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  const std::string dir = argv[1];
  using K = goodwill::event_kind;
  const auto c = [](K k) { return static_cast<std::uint8_t>(k); };
  {
    goodwill::ledger l; // empty
    save(l, dir + "/ledger_load/v3_empty.gwl");
  }
  {
    goodwill::ledger l; // dense ids, no keys, no reps
    l.append(0, 1.0, K::purchase, 120.0);
    l.append(1, 2.5, K::proposal, 800.0);
    l.append(0, 3.0, K::churn);
    save(l, dir + "/ledger_load/v3_dense.gwl");
  }
  {
    goodwill::ledger l; // integer keys and reps
    const auto ann = l.intern_rep("Ann");
    const auto bob = l.intern_rep("Bob \xC3\x85se");
    const std::vector<std::int64_t> keys{-7, 42, -7, 9000000000, 42};
    const std::vector<double> t{0.5, 1.0, 2.0, 3.25, 4.0};
    const std::vector<std::uint8_t> k{c(K::proposal), c(K::competitor_quote), c(K::price_match),
                                      c(K::deal_won), c(K::purchase)};
    const std::vector<double> a{8000.0, 7100.0, 7100.0, 7000.0, -120.5};
    const std::vector<std::int32_t> d{0, 0, 1, goodwill::margin_unknown, 1800};
    const std::vector<goodwill::rep_id> r{ann, goodwill::no_rep, bob, bob, goodwill::no_rep};
    l.append_integer_keys(keys, t, k, a, d, r);
    save(l, dir + "/ledger_load/v3_integer_keys_reps.gwl");
  }
  {
    goodwill::ledger l; // string keys
    const std::vector<std::string> keys{"acme", "globex"};
    const std::vector<std::int64_t> codes{0, 1, 0};
    const std::vector<double> t{1.0, 2.0, 3.0};
    const std::vector<std::uint8_t> k{c(K::lead), c(K::meeting), c(K::purchase)};
    const std::vector<double> a{0.0, 0.0, 50.0};
    l.append_keyed<std::string>(keys, codes, t, k, a);
    save(l, dir + "/ledger_load/v3_string_keys.gwl");
  }
  write(dir + "/model_json/relationship_selling.json",
        goodwill::relationship_selling().to_json().dump(2));
  return 0;
}
