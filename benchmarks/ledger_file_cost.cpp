// The cost of the .gwl format version 3 (checksums, exact length checks) and
// of the atomic save, against the old save path, in one run (issue 15,
// point 7): a 10^7-event ledger saved and loaded repeatedly, the variants
// interleaved round by round (the machine is shared and noisy), medians
// reported.
//
//   old save   version 2 writer as of main @da48227: std::ofstream on the
//              target (truncates it first), the columns written as they are
//   old save + fsync   the same, then an fsync of the file: the durable
//              baseline (what the old save would cost if it waited for the
//              disk too)
//   new save   ledger::save(path): CRC-32C over everything, a temporary file,
//              fsync, rename over the target, fsync of the directory
//   new save without fsync   ledger::save's path (temporary file, rename)
//              with the two fsyncs left out (atomic_file_writer's unsynced
//              mode): the cost of the atomic save without durability
//   new save, format only   the same bytes through std::ofstream on the
//              target (the cost of the format alone)
//   old load   version 2 reader as of main @da48227 (the columns read into
//              vectors, every row validated)
//   new load   ledger::load(path) (size checks, CRC-32C, the same validation)
//
// Each variant's wall time and CPU time (user + system, std::clock) are
// taken; on a loaded machine the CPU time shows the work a variant adds
// (the checksum) more steadily than the wall time, which also holds the
// wait for the disk (the fsync).
//
// Usage: goodwill_ledger_file_cost [events=10000000] [rounds=5] [dir=/tmp]
#include <goodwill/ledger.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

using clock_type = std::chrono::steady_clock;

template <class T> void write_pod(std::ostream &out, const T &v) {
  out.write(reinterpret_cast<const char *>(&v), sizeof(T));
}
template <class V> void write_vec(std::ostream &out, const V &v) {
  out.write(reinterpret_cast<const char *>(v.data()),
            static_cast<std::streamsize>(v.size() * sizeof(v[0])));
}
template <class T> T read_pod(std::istream &in) {
  T v{};
  in.read(reinterpret_cast<char *>(&v), sizeof(T));
  return v;
}
template <class V> void read_vec(std::istream &in, V &v, std::uint64_t n) {
  v.resize(static_cast<std::size_t>(n));
  in.read(reinterpret_cast<char *>(v.data()), static_cast<std::streamsize>(n * sizeof(v[0])));
}

// The version 2 writer of main @da48227 (dense keys, no reps: the benchmark
// ledger's case).
void old_save(const goodwill::ledger &l, const std::filesystem::path &p) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write("GWLEDGER", 8);
  write_pod(out, std::uint32_t{2});
  write_pod(out, std::uint8_t{0});
  write_pod(out, static_cast<std::uint64_t>(l.customer_count()));
  write_pod(out, static_cast<std::uint64_t>(l.size()));
  write_vec(out, l.customers());
  write_vec(out, l.times());
  write_vec(out, l.kinds());
  write_vec(out, l.amounts());
  write_vec(out, l.details());
  write_pod(out, std::uint64_t{0});
  write_vec(out, l.reps());
  if (!out)
    std::abort();
}

// The version 2 reader of main @da48227, as far as a dense ledger needs it:
// the columns read, every row validated.
std::size_t old_load(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  char magic[8];
  in.read(magic, 8);
  (void)read_pod<std::uint32_t>(in);
  (void)read_pod<std::uint8_t>(in);
  const auto customers = read_pod<std::uint64_t>(in);
  const auto n = read_pod<std::uint64_t>(in);
  goodwill::detail::column<goodwill::customer_id> c;
  goodwill::detail::column<double> t, a;
  goodwill::detail::column<std::uint8_t> k;
  goodwill::detail::column<std::int32_t> d;
  goodwill::detail::column<goodwill::rep_id> r;
  read_vec(in, c, n);
  read_vec(in, t, n);
  read_vec(in, k, n);
  read_vec(in, a, n);
  read_vec(in, d, n);
  (void)read_pod<std::uint64_t>(in);
  read_vec(in, r, n);
  if (!in)
    std::abort();
  std::size_t with_rep = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i] >= customers)
      std::abort();
    goodwill::ledger::validate(c[i], t[i], k[i], a[i], static_cast<std::int64_t>(i));
    with_rep += r[i] != goodwill::no_rep;
  }
  return c.size() + with_rep;
}

double seconds(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

} // namespace

int main(int argc, char **argv) {
  const std::size_t n = argc > 1 ? std::stoull(argv[1]) : 10'000'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::filesystem::path dir = argc > 3 ? argv[3] : "/tmp";
  goodwill::ledger l;
  {
    std::mt19937_64 rng(15);
    std::vector<goodwill::customer_id> c(n);
    std::vector<double> t(n), a(n);
    std::vector<std::uint8_t> k(n);
    std::vector<std::int32_t> d(n);
    for (std::size_t i = 0; i < n; ++i) {
      c[i] = static_cast<goodwill::customer_id>(rng() % 100000);
      t[i] = static_cast<double>(rng() % 3650000) / 1000.0;
      k[i] = static_cast<std::uint8_t>(goodwill::event_kind::purchase);
      a[i] = static_cast<double>(rng() % 100000) / 10.0;
      d[i] = static_cast<std::int32_t>(rng() % 10000);
    }
    l.append(c, t, k, a, d);
  }
  const auto old_path = dir / "goodwill-bench-old.gwl";
  const auto new_path = dir / "goodwill-bench-new.gwl";
  const auto plain_path = dir / "goodwill-bench-plain.gwl";
  const auto unsynced_path = dir / "goodwill-bench-unsynced.gwl";
  std::map<std::string, std::vector<double>> times, cpu;
  std::size_t check = 0;
  for (int r = 0; r < rounds; ++r) {
    // the order of the variants rotates from round to round
    for (int v = 0; v < 7; ++v) {
      const int which = (v + r) % 7;
      // a load reads a file saved beforehand, outside the timing
      if (which == 3 && !std::filesystem::exists(old_path))
        old_save(l, old_path);
      if (which == 4 && !std::filesystem::exists(new_path))
        l.save(new_path);
      const std::clock_t c0 = std::clock();
      const auto t0 = clock_type::now();
      const char *name = "";
      switch (which) {
      case 0:
        old_save(l, old_path);
        name = "old save (v2, truncating ofstream)";
        break;
      case 1:
        l.save(new_path);
        name = "new save (v3, atomic: temp + fsync + rename)";
        break;
      case 2: {
        std::ofstream out(plain_path, std::ios::binary | std::ios::trunc);
        l.save(out);
        out.close();
        name = "new save, format only (v3 through ofstream, no fsync)";
        break;
      }
      case 6: {
        old_save(l, old_path);
        const int fd = ::open(old_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0)
          std::abort();
        ::close(fd);
        name = "old save + fsync (durable baseline)";
        break;
      }
      case 3:
        check += old_load(old_path);
        name = "old load (v2 reader)";
        break;
      case 4:
        check += goodwill::ledger::load(new_path).size();
        name = "new load (v3: size checks + CRC-32C)";
        break;
      default: {
        goodwill::detail::atomic_file_writer file(
            unsynced_path, "ledger file",
            goodwill::detail::atomic_file_writer::durability::unsynced);
        l.save(file.stream());
        file.commit();
        name = "new save without fsync (v3, temp + rename)";
        break;
      }
      }
      times[name].push_back(seconds(t0, clock_type::now()));
      cpu[name].push_back(static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    }
  }
  std::printf("%zu events (%.0f MB a file), %d rounds, medians (min-max):\n", n,
              static_cast<double>(std::filesystem::file_size(new_path)) / 1e6, rounds);
  for (const auto &[name, v] : times)
    std::printf("  %-55s %.3f s (%.3f-%.3f), CPU %.3f s\n", name.c_str(), median(v),
                *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()),
                median(cpu[name]));
  // the same comparison round by round (each round's variants ran within a
  // few seconds of each other, so a round's ratio is less exposed to the
  // machine's load changing than the ratio of the medians)
  const auto &old_save_t = times["old save (v2, truncating ofstream)"];
  const auto &old_load_t = times["old load (v2 reader)"];
  std::printf("median of the per-round ratios to the old path:\n");
  for (const auto &[name, v] : times) {
    if (name.rfind("old ", 0) == 0)
      continue;
    const auto &base = name.find("load") != std::string::npos ? old_load_t : old_save_t;
    std::vector<double> ratio;
    for (std::size_t i = 0; i < v.size() && i < base.size(); ++i)
      ratio.push_back(v[i] / base[i]);
    std::printf("  %-55s %+.1f%%\n", name.c_str(), 100.0 * (median(ratio) - 1.0));
  }
  {
    // the durable save against the durable baseline
    const auto &base = times["old save + fsync (durable baseline)"];
    const auto &ns = times["new save (v3, atomic: temp + fsync + rename)"];
    std::vector<double> ratio;
    for (std::size_t i = 0; i < ns.size() && i < base.size(); ++i)
      ratio.push_back(ns[i] / base[i]);
    std::printf("  %-55s %+.1f%%\n", "new save against old save + fsync",
                100.0 * (median(ratio) - 1.0));
  }
  {
    std::vector<double> ratio;
    const auto &ns = times["new save (v3, atomic: temp + fsync + rename)"];
    const auto &nl = times["new load (v3: size checks + CRC-32C)"];
    for (std::size_t i = 0; i < ns.size(); ++i)
      ratio.push_back((ns[i] + nl[i]) / (old_save_t[i] + old_load_t[i]));
    std::printf("  %-55s %+.1f%%\n", "save + load (new atomic save + new load)",
                100.0 * (median(ratio) - 1.0));
  }
  std::printf("(check %zu)\n", check);
  std::filesystem::remove(old_path);
  std::filesystem::remove(new_path);
  std::filesystem::remove(plain_path);
  std::filesystem::remove(unsynced_path);
}
