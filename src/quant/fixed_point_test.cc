// QuantizeScaleRatio (integer only) against QuantizeMultiplier on the double
// expression TFLite evaluates: double(a) * double(b) / double(c).
#include "quant/fixed_point.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace mote {
namespace quant {
namespace {

float FromBits(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

// Returns true when both agree; records the first mismatch.
bool Agrees(float a, float b, float c, std::string* what) {
  int32_t m_ref = 0, m_int = 0;
  int s_ref = 0, s_int = 0;
  QuantizeMultiplier(static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(c),
                     &m_ref, &s_ref);
  QuantizeScaleRatio(a, b, c, &m_int, &s_int);
  if (m_ref == m_int && s_ref == s_int) return true;
  char buf[200];
  snprintf(buf, sizeof buf, "a=%a b=%a c=%a: double (%ld, %d), integer (%ld, %d)",
           static_cast<double>(a), static_cast<double>(b), static_cast<double>(c),
           static_cast<long>(m_ref), s_ref, static_cast<long>(m_int), s_int);
  *what = buf;
  return false;
}

TEST(QuantizeScaleRatio, EdgeValues) {
  const std::vector<float> v = {
      1.0f, 0.5f, 2.0f, 3.0f, 0.1f, 1.0f / 3.0f, 255.0f, 1.0f / 255.0f, 1.0f / 128.0f,
      FLT_MAX, FLT_MIN, FLT_TRUE_MIN, FromBits(0x007fffffu), FromBits(0x00400000u),
      FromBits(0x3f7fffffu), FromBits(0x3f800001u), FromBits(0x7f7ffffeu), 1e-10f, 1e10f,
      std::nextafter(1.0f, 2.0f), std::nextafter(1.0f, 0.0f), 0.0039215689f, 0.0234375f};
  std::string what;
  size_t n = 0;
  for (float a : v)
    for (float b : v)
      for (float c : v) {
        ASSERT_TRUE(Agrees(a, b, c, &what)) << what;
        ++n;
      }
  EXPECT_EQ(n, v.size() * v.size() * v.size());
}

// Scales as models have them (1e-6 .. 10), random bits, plus mantissas with
// few bits set (exact quotients: the ties of both roundings), plus any
// positive finite float.
TEST(QuantizeScaleRatio, RandomTriples) {
  std::mt19937 rng(20261126);
  std::uniform_real_distribution<float> log_scale(-14.0f, 2.5f);
  std::uniform_int_distribution<uint32_t> any_bits(1u, 0x7f7fffffu);
  std::uniform_int_distribution<int> pick(0, 3);
  auto draw = [&]() -> float {
    switch (pick(rng)) {
      case 0:
        return std::exp(log_scale(rng));
      case 1:
        return any_bits(rng) == 0 ? 1.0f : FromBits(any_bits(rng));
      case 2: {  // 1..3 mantissa bits set, exponent in a model-like range
        uint32_t mant = 0;
        for (int i = 0; i < 3; ++i) mant |= 1u << (rng() % 23);
        if (rng() % 2) mant = 0;
        const uint32_t exp = 100 + rng() % 40;
        return FromBits((exp << 23) | mant);
      }
      default: {  // a small integer times a power of two
        const float m = static_cast<float>(1 + rng() % 4096);
        return std::ldexp(m, static_cast<int>(rng() % 40) - 30);
      }
    }
  };
  std::string what;
  int mismatches = 0;
  const int kCases = 2000000;
  for (int i = 0; i < kCases; ++i) {
    const float a = draw(), b = draw(), c = draw();
    if (!Agrees(a, b, c, &what)) {
      if (mismatches++ == 0) ADD_FAILURE() << what;
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << kCases;
}

// Ties of the final 31-bit rounding: multipliers whose frexp fraction is
// exactly (2j + 1) / 2^32 above a multiple of 2^-31 (c a power of two, so
// the quotient is exact).
TEST(QuantizeScaleRatio, HalfwayCasesRoundUp) {
  std::string what;
  for (uint32_t j = 0; j < 4096; ++j) {
    // a = (2^23 + j) * 2^-23 (exact float), b = 1 + 2^-k: the product's bits
    // land at many positions, c = 2^-e shifts the exponent only.
    const float a = FromBits((127u << 23) | (j * 2047u % (1u << 23)));
    for (int k = 1; k <= 23; ++k) {
      const float b = 1.0f + std::ldexp(1.0f, -k);
      ASSERT_TRUE(Agrees(a, b, 0.25f, &what)) << what;
      ASSERT_TRUE(Agrees(a, b, 4096.0f, &what)) << what;
    }
  }
}

// Triples whose double quotient, rounded to 53 bits, lands exactly on a
// 31-bit halfway point while the exact quotient lies just below it: the
// 53-bit rounding decides the result (a truncating quotient would round
// down). Found by a search over a's mantissa with the double expression;
// the expected values come from QuantizeMultiplier, as everywhere here.
TEST(QuantizeScaleRatio, RoundingTo53BitsDecides) {
  const uint32_t triples[][3] = {
      {0x3c103c03u, 0x3f9e0651u, 0x3d4ccccdu}, {0x3c7b01abu, 0x3f9e0651u, 0x3d4ccccdu},
      {0x3c07dbbcu, 0x3f9e0651u, 0x3e2aaaabu}, {0x3c704889u, 0x3f9e0651u, 0x3e2aaaabu},
      {0x3c3f5b0fu, 0x3f9e0651u, 0x3b803039u}, {0x3c41359cu, 0x3f9e0651u, 0x3b803039u},
      {0x3c7e85e5u, 0x3f9e0651u, 0x3b803039u}, {0x3c006db7u, 0x3c1d4952u, 0x3d4ccccdu},
      {0x3c21fd90u, 0x3c1d4952u, 0x3d4ccccdu}, {0x3c19b6a5u, 0x3c1d4952u, 0x3e2aaaabu},
      {0x3c3b9eb1u, 0x3c1d4952u, 0x3e2aaaabu}, {0x3c180e79u, 0x3c1d4952u, 0x3b803039u},
  };
  std::string what;
  for (const auto& t : triples) {
    const float a = FromBits(t[0]), b = FromBits(t[1]), c = FromBits(t[2]);
    int e = 0;
    const double frac =
        std::frexp(static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(c), &e);
    const double x = frac * 2147483648.0;
    ASSERT_EQ(x - std::floor(x), 0.5) << "not a halfway case";
    ASSERT_TRUE(Agrees(a, b, c, &what)) << what;
  }
}

}  // namespace
}  // namespace quant
}  // namespace mote
