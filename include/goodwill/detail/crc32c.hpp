// goodwill — detail: CRC-32C (Castagnoli), the checksum of the .gwl ledger file.
//
// Design: why CRC-32C and why written here. The ledger file needs a checksum
// that catches every single-byte flip and every burst of up to 32 bits (a CRC
// does, by construction; a 32-bit FNV or a sum does not guarantee it), that is
// cheap next to writing the bytes (the file format must not cost more than a
// few percent of a save), and that adds no dependency to a header-first
// library. CRC-32C is the polynomial iSCSI, ext4, Btrfs and SCTP use
// (RFC 3720 appendix B.4), with a hardware instruction on every x86-64 since
// 2008 (SSE4.2 `crc32`) and on ARMv8. The maintained implementations are not
// available here as Debian packages with headers (xxHash is, as a runtime
// library only; zlib has CRC-32, without the hardware instruction, and would
// become a link dependency of every consumer), so the ~80 lines are here: the
// standard table-driven algorithm (slicing by 8, tables built at compile
// time) and, where the CPU has SSE4.2, the instruction, chosen at run time.
// Both are tested against the RFC 3720 check values and against each other.
//
// Speed: the `crc32` instruction has a latency of 3 cycles and a throughput
// of one a cycle, so one chain of it runs at a third of what the unit can
// do (2.9 GB/s on the benchmark machine). Blocks of 3 x 4 KiB are therefore
// checksummed as three independent chains, and the three register values
// combined: the register after A then B (|B| = L bytes) is the register
// after A multiplied by x^(8L) modulo the polynomial, XOR the register of B
// alone (a CRC is linear), and multiplying by the fixed x^(8 * 4096) is a
// linear map of 32 bits, tabled (4 x 256 entries, built at compile time).
// Pieces shorter than a block go through one chain.
//
// crc32c_extend(crc, data, n) is the CRC of the bytes before followed by
// data (start from 0), so a file can be checksummed piece by piece as it is
// written or read: crc32c_extend(crc32c_extend(0, a), b) == crc32c(a ++ b).
#ifndef GOODWILL_DETAIL_CRC32C_HPP
#define GOODWILL_DETAIL_CRC32C_HPP

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define GOODWILL_DETAIL_CRC32C_X86 1
#include <nmmintrin.h>
#endif

namespace goodwill::detail {

namespace crc32c_impl {

/// The Castagnoli polynomial 0x1EDC6F41, bit-reflected.
inline constexpr std::uint32_t polynomial = 0x82F63B78u;

using table_set = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr table_set make_tables() {
  table_set t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c >> 1) ^ (polynomial & (0u - (c & 1u)));
    t[0][i] = c;
  }
  for (std::size_t s = 1; s < 8; ++s)
    for (std::uint32_t i = 0; i < 256; ++i)
      t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFFu];
  return t;
}

inline constexpr table_set tables = make_tables();

/// a * b modulo the polynomial, bit-reflected (bit 31 is x^0), as zlib's
/// multmodp.
constexpr std::uint32_t multiply_mod(std::uint32_t a, std::uint32_t b) noexcept {
  std::uint32_t product = 0;
  for (std::uint32_t m = 1u << 31; m != 0; m >>= 1) {
    if (a & m)
      product ^= b;
    b = (b & 1u) ? (b >> 1) ^ polynomial : b >> 1;
  }
  return product;
}

/// x^(8n) modulo the polynomial, bit-reflected: what a register is
/// multiplied by when n zero bytes pass through it.
constexpr std::uint32_t x_pow_8n(std::uint64_t n) noexcept {
  std::uint32_t result = 1u << 31; // x^0
  std::uint32_t square = 1u << 23; // x^8
  for (; n != 0; n >>= 1) {
    if (n & 1u)
      result = multiply_mod(result, square);
    square = multiply_mod(square, square);
  }
  return result;
}

/// The bytes of one lane of the interleaved hardware path.
inline constexpr std::size_t lane_bytes = 4096;

using shift_table = std::array<std::array<std::uint32_t, 256>, 4>;

/// shift[j][b]: (b << 8j) times x^(8 * lane_bytes), so that a register is
/// moved past one lane of zeros by four look-ups.
constexpr shift_table make_shift_table() {
  shift_table t{};
  const std::uint32_t by = x_pow_8n(lane_bytes);
  for (std::uint32_t j = 0; j < 4; ++j)
    for (std::uint32_t b = 0; b < 256; ++b)
      t[j][b] = multiply_mod(by, b << (8 * j));
  return t;
}

inline constexpr shift_table lane_shift = make_shift_table();

/// The register times x^(8 * lane_bytes).
constexpr std::uint32_t shift_one_lane(std::uint32_t crc) noexcept {
  return lane_shift[0][crc & 0xFFu] ^ lane_shift[1][(crc >> 8) & 0xFFu] ^
         lane_shift[2][(crc >> 16) & 0xFFu] ^ lane_shift[3][crc >> 24];
}

/// The register update (no pre- or post-inversion), table-driven.
inline std::uint32_t update_portable(std::uint32_t crc, const unsigned char *p,
                                     std::size_t n) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    while (n >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      w ^= crc;
      crc = tables[7][w & 0xFFu] ^ tables[6][(w >> 8) & 0xFFu] ^ tables[5][(w >> 16) & 0xFFu] ^
            tables[4][(w >> 24) & 0xFFu] ^ tables[3][(w >> 32) & 0xFFu] ^
            tables[2][(w >> 40) & 0xFFu] ^ tables[1][(w >> 48) & 0xFFu] ^ tables[0][w >> 56];
      p += 8;
      n -= 8;
    }
  }
  for (; n > 0; --n)
    crc = tables[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
  return crc;
}

#ifdef GOODWILL_DETAIL_CRC32C_X86
/// The register update with the SSE4.2 instruction (8 bytes a step).
__attribute__((target("sse4.2"))) inline std::uint32_t
update_sse42(std::uint32_t crc, const unsigned char *p, std::size_t n) noexcept {
#if defined(__x86_64__)
  // three chains over the three lanes of a block, combined (design note)
  for (; n >= 3 * lane_bytes; n -= 3 * lane_bytes, p += 3 * lane_bytes) {
    std::uint64_t c0 = crc, c1 = 0, c2 = 0;
    for (std::size_t i = 0; i < lane_bytes; i += 8) {
      std::uint64_t w0, w1, w2;
      std::memcpy(&w0, p + i, 8);
      std::memcpy(&w1, p + lane_bytes + i, 8);
      std::memcpy(&w2, p + 2 * lane_bytes + i, 8);
      c0 = _mm_crc32_u64(c0, w0);
      c1 = _mm_crc32_u64(c1, w1);
      c2 = _mm_crc32_u64(c2, w2);
    }
    crc = shift_one_lane(shift_one_lane(static_cast<std::uint32_t>(c0)) ^
                         static_cast<std::uint32_t>(c1)) ^
          static_cast<std::uint32_t>(c2);
  }
  std::uint64_t c = crc;
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    c = _mm_crc32_u64(c, w);
  }
  crc = static_cast<std::uint32_t>(c);
#endif
  for (; n >= 4; n -= 4, p += 4) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    crc = _mm_crc32_u32(crc, w);
  }
  for (; n > 0; --n)
    crc = _mm_crc32_u8(crc, *p++);
  return crc;
}

inline bool cpu_has_sse42() noexcept {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") != 0;
  }();
  return has;
}
#endif

} // namespace crc32c_impl

/// The CRC-32C of the bytes before (whose CRC is `crc`; 0 for none)
/// followed by the n bytes at data.
[[nodiscard]] inline std::uint32_t crc32c_extend(std::uint32_t crc, const void *data,
                                                 std::size_t n) noexcept {
  const auto *p = static_cast<const unsigned char *>(data);
#ifdef GOODWILL_DETAIL_CRC32C_X86
  if (crc32c_impl::cpu_has_sse42())
    return ~crc32c_impl::update_sse42(~crc, p, n);
#endif
  return ~crc32c_impl::update_portable(~crc, p, n);
}

/// The CRC-32C of n bytes (RFC 3720: "123456789" gives 0xE3069283).
[[nodiscard]] inline std::uint32_t crc32c(const void *data, std::size_t n) noexcept {
  return crc32c_extend(0, data, n);
}

/// The table-driven CRC-32C whatever the CPU has (to test the fast path).
[[nodiscard]] inline std::uint32_t crc32c_portable(const void *data, std::size_t n) noexcept {
  return ~crc32c_impl::update_portable(~0u, static_cast<const unsigned char *>(data), n);
}

} // namespace goodwill::detail

#endif // GOODWILL_DETAIL_CRC32C_HPP
