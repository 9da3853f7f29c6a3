#include <goodwill/detail/crc32c.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

BOOST_AUTO_TEST_SUITE(crc32c)

using goodwill::detail::crc32c_extend;
using goodwill::detail::crc32c_portable;

BOOST_AUTO_TEST_CASE(rfc_3720_check_values) {
  // the check value of the CRC catalogue and RFC 3720 appendix B.4
  BOOST_TEST(goodwill::detail::crc32c("123456789", 9) == 0xE3069283u);
  BOOST_TEST(crc32c_portable("123456789", 9) == 0xE3069283u);
  BOOST_TEST(goodwill::detail::crc32c("", 0) == 0u);
  std::vector<unsigned char> zeros(32, 0), ones(32, 0xFF), up(32), down(32);
  for (int i = 0; i < 32; ++i) {
    up[static_cast<std::size_t>(i)] = static_cast<unsigned char>(i);
    down[static_cast<std::size_t>(i)] = static_cast<unsigned char>(31 - i);
  }
  for (const bool portable : {false, true}) {
    const auto f = [&](const std::vector<unsigned char> &v) {
      return portable ? crc32c_portable(v.data(), v.size())
                      : goodwill::detail::crc32c(v.data(), v.size());
    };
    BOOST_TEST(f(zeros) == 0x8A9136AAu);
    BOOST_TEST(f(ones) == 0x62A8AB43u);
    BOOST_TEST(f(up) == 0x46DD794Eu);
    BOOST_TEST(f(down) == 0x113FDB5Cu);
  }
}

BOOST_AUTO_TEST_CASE(fast_path_equals_table_path_and_pieces_compose) {
  std::mt19937_64 rng(15);
  std::vector<unsigned char> data(5000);
  for (auto &b : data)
    b = static_cast<unsigned char>(rng());
  std::size_t mismatches = 0, bad_splits = 0;
  for (std::size_t offset = 0; offset < 9; ++offset)
    for (std::size_t n = 0; n + offset <= data.size(); n += n < 70 ? 1 : 997) {
      const unsigned char *p = data.data() + offset;
      const std::uint32_t whole = goodwill::detail::crc32c(p, n);
      mismatches += whole != crc32c_portable(p, n);
      for (const std::size_t cut : {std::size_t{0}, n / 3, n / 2, n})
        bad_splits += crc32c_extend(crc32c_extend(0, p, cut), p + cut, n - cut) != whole;
    }
  BOOST_TEST(mismatches == 0u);
  BOOST_TEST(bad_splits == 0u);
}

BOOST_AUTO_TEST_CASE(every_single_bit_flip_changes_the_crc) {
  std::vector<unsigned char> data(512);
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<unsigned char>(i * 7);
  const std::uint32_t base = goodwill::detail::crc32c(data.data(), data.size());
  std::size_t same = 0;
  for (std::size_t i = 0; i < data.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      data[i] = static_cast<unsigned char>(data[i] ^ (1u << bit));
      same += goodwill::detail::crc32c(data.data(), data.size()) == base;
      data[i] = static_cast<unsigned char>(data[i] ^ (1u << bit));
    }
  BOOST_TEST(same == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
