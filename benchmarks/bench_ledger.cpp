// Ledger micro-benchmarks: bulk append and the customer/time reading order.
#include <goodwill/ledger.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

namespace {

struct columns {
  std::vector<goodwill::customer_id> customer;
  std::vector<double> time, amount;
  std::vector<std::uint8_t> kind;
  std::vector<std::int32_t> detail;
};

// Events in time order across customers, as a CRM export arrives.
columns make_columns(std::size_t n, std::uint32_t customers) {
  columns c;
  c.customer.resize(n);
  c.time.resize(n);
  c.amount.resize(n);
  c.kind.resize(n);
  c.detail.resize(n);
  std::uint64_t x = 88172645463325252ull;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c.customer[i] = static_cast<std::uint32_t>(x % customers);
    c.time[i] = static_cast<double>(i) * 0.01;
    c.kind[i] = static_cast<std::uint8_t>((x >> 32) % goodwill::event_kind_count);
    c.amount[i] = static_cast<double>((x >> 40) % 10000);
  }
  return c;
}

void BM_ledger_bulk_append(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto cols = make_columns(n, static_cast<std::uint32_t>(n / 50 + 1));
  for (auto _ : state) {
    goodwill::ledger l;
    l.append(cols.customer, cols.time, cols.kind, cols.amount, cols.detail);
    benchmark::DoNotOptimize(l.size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * state.range(0) * 25);
}
BENCHMARK(BM_ledger_bulk_append)->Arg(1 << 16)->Arg(1 << 22)->Unit(benchmark::kMillisecond);

void BM_ledger_order(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto cols = make_columns(n, static_cast<std::uint32_t>(n / 50 + 1));
  goodwill::ledger l;
  l.append(cols.customer, cols.time, cols.kind, cols.amount, cols.detail);
  for (auto _ : state) {
    state.PauseTiming();
    goodwill::ledger copy = l;
    copy.append(0, 1e12, goodwill::event_kind::meeting); // invalidate the cache
    state.ResumeTiming();
    benchmark::DoNotOptimize(copy.order().data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ledger_order)->Arg(1 << 22)->Unit(benchmark::kMillisecond);

} // namespace
