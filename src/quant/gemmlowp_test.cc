// gemmlowp fixed-point pieces (quant/gemmlowp.h). Expected values are
// derived by hand in the comments; the transcendental results are checked
// exactly where the arithmetic makes them exact, otherwise for their
// structure (which factors are applied) and against libm within a small
// tolerance.
#include "quant/gemmlowp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mote {
namespace quant {
namespace {

constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr double kTwo31 = 2147483648.0;

TEST(Gemmlowp, CountLeadingZeros) {
  EXPECT_EQ(CountLeadingZeros32(0), 32);
  EXPECT_EQ(CountLeadingZeros32(1), 31);
  EXPECT_EQ(CountLeadingZeros32(1u << 19), 12);  // 1.0 in Q12.19
  EXPECT_EQ(CountLeadingZeros32(0x80000000u), 0);
  EXPECT_EQ(CountLeadingZeros32(0x180000u), 11);  // 3 << 19: bits 19 and 20
}

TEST(Gemmlowp, SaturatingAdd) {
  EXPECT_EQ(SaturatingAdd(5, -7), -2);
  EXPECT_EQ(SaturatingAdd(kMax, 1), kMax);
  EXPECT_EQ(SaturatingAdd(kMin, -1), kMin);
  EXPECT_EQ(SaturatingAdd(1 << 30, 1 << 30), kMax);  // 2^31 does not fit
}

TEST(Gemmlowp, SaturatingRoundingMultiplyByPot) {
  // Left shifts: 3 * 4 = 12; the threshold for exponent 2 is 2^29 - 1.
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(3, 2), 12);
  EXPECT_EQ(SaturatingRoundingMultiplyByPot((1 << 29) - 1, 2), kMax - 3);  // (2^29 - 1) * 4
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(1 << 29, 2), kMax);
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(-((1 << 29) - 1), 2), -(kMax - 3));
  // -2^29 * 4 = -2^31 would fit, but gemmlowp's threshold is symmetric.
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(-(1 << 29), 2), kMin);
  // Right shifts round half away from zero: 5 / 2 = 2.5 -> 3, -5 / 2 -> -3,
  // 7 / 4 = 1.75 -> 2, -6 / 4 = -1.5 -> -2.
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(5, -1), 3);
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(-5, -1), -3);
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(7, -2), 2);
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(-6, -2), -2);
  EXPECT_EQ(SaturatingRoundingMultiplyByPot(-123, 0), -123);
}

TEST(Gemmlowp, RoundingHalfSum) {
  EXPECT_EQ(RoundingHalfSum(1, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(RoundingHalfSum(-1, -2), -2);  // -1.5 -> -2
  EXPECT_EQ(RoundingHalfSum(4, 6), 5);
  EXPECT_EQ(RoundingHalfSum(kMax, kMax), kMax);  // computed without overflow
  EXPECT_EQ(RoundingHalfSum(0, kMax), 1 << 30);  // (2^31 - 1 + 1) / 2
}

TEST(Gemmlowp, ExpOnIntervalIsExactAtTheExpansionPoint) {
  // a = -1/8 (raw -2^28): x = a + 1/8 = 0, so every power of x and the
  // polynomial vanish and the result is the constant exp(-1/8) itself:
  // round(0.8824969025845955 * 2^31) = 1895147668.
  EXPECT_EQ(ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(-(1 << 28)), 1895147668);
  // Elsewhere on [-1/4, 0) it tracks exp() to the accuracy of a 4th-order
  // Taylor polynomial (about 2.3e-7 at the ends of the interval).
  for (double v : {-0.25, -0.2, -0.125, -0.01, -1.0 / (1 << 20)}) {
    const int32_t raw = static_cast<int32_t>(std::lround(v * kTwo31));
    EXPECT_NEAR(ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(raw) / kTwo31, std::exp(v), 3e-7) << v;
  }
}

TEST(Gemmlowp, ExpOnNegativeValuesStructure) {
  // exp(0) is One(): INT32_MAX.
  EXPECT_EQ(ExpOnNegativeValues<5>(0), kMax);
  // a = -1.0 in Q5.26 (raw -2^26). a & (2^24 - 1) = 0, so the interval part
  // gets -1/4 (Q5.26 raw -2^24, rescaled to Q0.31: -2^29) and the remainder
  // is -2^24 + 2^26 = 3 * 2^24: bits 24 (1/4) and 25 (1/2). So
  // exp(-1) = exp_interval(-1/4) * exp(-1/4) * exp(-1/2).
  const int32_t quarter = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(-(1 << 29));
  const int32_t expected = SaturatingRoundingDoublingHighMul(
      SaturatingRoundingDoublingHighMul(quarter, 1672461947), 1302514674);
  EXPECT_EQ(ExpOnNegativeValues<5>(-(1 << 26)), expected);
  EXPECT_NEAR(expected / kTwo31, std::exp(-1.0), 3e-7);
  // a = -1/4 exactly: no remainder bits, only the interval part.
  EXPECT_EQ(ExpOnNegativeValues<5>(-(1 << 24)), quarter);
  // a = -32 (INT32_MIN): every factor applies; exp(-32) * 2^31 ~ 2.7e-5
  // rounds to 0.
  EXPECT_EQ(ExpOnNegativeValues<5>(kMin), 0);
  // A sweep against libm.
  for (double v : {-0.001, -0.3, -1.5, -2.75, -5.0, -10.0, -17.3, -31.9}) {
    const int32_t raw = static_cast<int32_t>(std::lround(v * (1 << 26)));
    EXPECT_NEAR(ExpOnNegativeValues<5>(raw) / kTwo31, std::exp(raw / 67108864.0), 3e-7) << v;
  }
}

TEST(Gemmlowp, OneOverOnePlusX) {
  // 1 / (1 + 0) = 1: INT32_MAX up to the Newton-Raphson error.
  EXPECT_NEAR(OneOverOnePlusXForXIn01(0) / kTwo31, 1.0, 1e-8);
  // 1 / (1 + 1/2) = 2/3.
  EXPECT_NEAR(OneOverOnePlusXForXIn01(1 << 30) / kTwo31, 2.0 / 3.0, 1e-8);
  // 1 / (1 + 3/4) = 4/7.
  EXPECT_NEAR(OneOverOnePlusXForXIn01(3 << 29) / kTwo31, 4.0 / 7.0, 1e-8);
}

TEST(Gemmlowp, GetReciprocal) {
  int n = 0;
  // 1.0 in Q12.19 (2^19): 12 leading zeros, so 0 bits over unit; the
  // normalised fraction is 0 and the reciprocal is 1/(1+0).
  EXPECT_EQ(GetReciprocal(1 << 19, 12, &n), OneOverOnePlusXForXIn01(0));
  EXPECT_EQ(n, 0);
  // 3.0 = 2^1 * 1.5: 11 leading zeros, 1 bit over unit, fraction 1/2
  // (raw 2^30), so 1/3 = (2/3) * 2^-1.
  EXPECT_EQ(GetReciprocal(3 << 19, 12, &n), OneOverOnePlusXForXIn01(1 << 30));
  EXPECT_EQ(n, 1);
  // 512.0 = 2^28: 3 leading zeros, 9 bits over unit.
  GetReciprocal(1 << 28, 12, &n);
  EXPECT_EQ(n, 9);
}

}  // namespace
}  // namespace quant
}  // namespace mote
