// goodwill — counter-based random numbers and a small distribution toolkit.
//
// Design: a stream is Philox4x64-10 (Random123; Salmon et al., "Parallel
// random numbers: as easy as 1, 2, 3", SC 2011) keyed by (seed, stream id),
// e.g. (seed, customer). Its counter is (block, purpose, 0, 0): each call
// of the bijection yields four 64-bit words, handed out in order. A stream
// therefore depends only on its key, never on other streams, on the order in
// which streams are used, or on the number of threads.
//
// Methods (all documented so that results can be reproduced elsewhere):
//   u01         (x >> 11) * 2^-53: the top 53 bits of one word, in [0, 1).
//   u01_open    ((x >> 11) + 1) * 2^-53, in (0, 1]: safe for log().
//   exponential -log(u01_open) / rate, or x mean (inversion).
//   bernoulli   u01 < p.
//   normal      Box-Muller, cosine branch only (two words per draw).
//   lognormal   exp(mu + sigma * normal).
//   poisson     inversion by sequential search for mean <= 64; above it the
//               normal approximation floor(mean + sqrt(mean) z + 0.5),
//               clamped at 0.
//   categorical inversion over non-negative weights (need not sum to 1).
#ifndef GOODWILL_DETAIL_RANDOM_HPP
#define GOODWILL_DETAIL_RANDOM_HPP

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#endif
#include <Random123/philox.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>

namespace goodwill::detail {

/// A reproducible stream of 64-bit words: Philox4x64-10 keyed by
/// (seed, stream), counter (block, purpose, 0, 0).
class counter_stream {
public:
  using engine = r123::Philox4x64;

  counter_stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t purpose = 0) noexcept
      : key_{{seed, stream}}, ctr_{{0, purpose, 0, 0}} {}

  /// The next 64-bit word.
  std::uint64_t next() noexcept {
    if (used_ == 4) [[unlikely]]
      refill();
    return out_[used_++];
  }

  /// The word next() would return, without taking it (the same stream:
  /// only the moment the next block is computed may come earlier).
  std::uint64_t peek() noexcept {
    if (used_ == 4) [[unlikely]]
      refill();
    return out_[used_];
  }
  /// Take the word peek() returned if `yes` (no branch: for callers that
  /// take a word on a condition, e.g. every fourth 16-bit draw).
  void take(bool yes) noexcept { used_ += yes ? 1u : 0u; }

  /// Number of 64-bit words drawn so far.
  [[nodiscard]] std::uint64_t words_drawn() const noexcept { return ctr_[0] * 4 - (4 - used_); }

private:
  void refill() noexcept {
    out_ = engine{}(ctr_, key_);
    ++ctr_[0];
    used_ = 0;
  }

  engine::key_type key_;
  engine::ctr_type ctr_;
  engine::ctr_type out_{};
  unsigned used_ = 4;
};

inline constexpr double two_pow_minus_53 = 1.0 / 9007199254740992.0;

/// Uniform on [0, 1) from the top 53 bits of a word.
inline double u01(counter_stream &s) noexcept {
  return static_cast<double>(s.next() >> 11) * two_pow_minus_53;
}

/// Uniform on (0, 1].
inline double u01_open(counter_stream &s) noexcept {
  return static_cast<double>((s.next() >> 11) + 1) * two_pow_minus_53;
}

/// Uniform on [lo, hi).
inline double uniform(counter_stream &s, double lo, double hi) noexcept {
  return lo + (hi - lo) * u01(s);
}

/// Exponential with the given rate (mean 1/rate), by inversion.
inline double exponential(counter_stream &s, double rate) noexcept {
  return -std::log(u01_open(s)) / rate;
}

/// Exponential with the given mean, by inversion (no division).
inline double exponential_mean(counter_stream &s, double mean) noexcept {
  return -std::log(u01_open(s)) * mean;
}

/// True with probability p.
inline bool bernoulli(counter_stream &s, double p) noexcept {
  return u01(s) < p;
}

/// Standard normal by Box-Muller (cosine branch).
inline double normal(counter_stream &s) noexcept {
  const double r = std::sqrt(-2.0 * std::log(u01_open(s)));
  return r * std::cos(2.0 * std::numbers::pi * u01(s));
}

/// Lognormal: exp(mu + sigma * Z).
inline double lognormal(counter_stream &s, double mu, double sigma) noexcept {
  return std::exp(mu + sigma * normal(s));
}

/// Poisson with the given mean (see the header comment for the method).
inline std::uint32_t poisson(counter_stream &s, double mean) noexcept {
  if (!(mean > 0.0))
    return 0;
  if (mean > 64.0) {
    const double x = std::floor(mean + std::sqrt(mean) * normal(s) + 0.5);
    return x <= 0.0 ? 0u : static_cast<std::uint32_t>(x);
  }
  const double u = u01(s);
  double p = std::exp(-mean);
  double cdf = p;
  std::uint32_t k = 0;
  while (u >= cdf && k < 1000) {
    ++k;
    p *= mean / static_cast<double>(k);
    cdf += p;
    if (p == 0.0 && cdf <= u) // numerical tail: stop at the mode's far side
      break;
  }
  return k;
}

/// Index drawn with probability proportional to non-negative weights
/// (total > 0 is the caller's duty).
inline std::size_t categorical(counter_stream &s, std::span<const double> weights) noexcept {
  double total = 0.0;
  for (double w : weights)
    total += w;
  double x = u01(s) * total;
  for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
    if (x < weights[i])
      return i;
    x -= weights[i];
  }
  // The last index with a positive weight (guards rounding at the top end).
  for (std::size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0.0)
      return i;
  return 0;
}

} // namespace goodwill::detail

#endif // GOODWILL_DETAIL_RANDOM_HPP
