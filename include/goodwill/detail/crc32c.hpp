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
