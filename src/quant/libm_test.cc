// quant/libm: expected values are the results of the oracle host's C library
// (glibc 2.36, x86-64 with FMA: expf, tanhf, fma), printed with %a. The
// full check (all 2^32 floats against that glibc) is too slow for a unit
// test; these points include the inputs where glibc's results are not the
// correctly rounded values.
#include "quant/libm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace mote {
namespace {

TEST(FmaExact, SingleRounding) {
  // (1 + 2^-52)^2 - 1 = 2^-51 + 2^-104, a tie between 2^-51 and its
  // successor: to even, 2^-51. A multiply then add would give 2^-51 too,
  // but the next two need the unrounded product.
  EXPECT_EQ(quant::FmaExact(0x1.0000000000001p0, 0x1.0000000000001p0, -1.0), 0x1p-51);
  // (2 - 2^-52)^2 - (4 - 2^-50) = -(2^-51 - 2^-104) -> -0x1.fffffffffffffp-52.
  EXPECT_EQ(quant::FmaExact(0x1.fffffffffffffp0, 0x1.fffffffffffffp0, -0x1.fffffffffffffp1),
            -0x1.fffffffffffffp-52);
  // 3 * 0x1.5555555555555p-2 = 1 - 2^-54 exactly: minus 1 leaves -2^-54.
  EXPECT_EQ(quant::FmaExact(3.0, 0x1.5555555555555p-2, -1.0), -0x1p-54);
  EXPECT_EQ(quant::FmaExact(2.0, 3.0, 1.0), 7.0);
  EXPECT_EQ(quant::FmaExact(0.0, 3.0, 1.5), 1.5);
  EXPECT_EQ(quant::FmaExact(2.0, 3.0, -6.0), 0.0);
}

TEST(ExpF, MatchesGlibc) {
  EXPECT_EQ(quant::ExpF(0.0f), 1.0f);
  EXPECT_EQ(quant::ExpF(1.0f), 0x1.5bf0a8p+1f);
  EXPECT_EQ(quant::ExpF(-1.0f), 0x1.78b564p-2f);
  EXPECT_EQ(quant::ExpF(-10.0f), 0x1.7cd79cp-15f);
  EXPECT_EQ(quant::ExpF(10.0f), 0x1.5829dcp+14f);
  EXPECT_EQ(quant::ExpF(0.5f), 0x1.a61298p+0f);
  EXPECT_EQ(quant::ExpF(88.0f), 0x1.f1056ep+126f);
  EXPECT_EQ(quant::ExpF(-100.0f), 0x1.bp-145f);  // subnormal result
  // glibc differs from the correctly rounded value here (0x1.0001fep+0).
  EXPECT_EQ(quant::ExpF(0x1.fefe02p-16f), 0x1.0002p+0f);
  // These two need the reduction r = x 32/ln2 - k as one fused operation.
  EXPECT_EQ(quant::ExpF(0x1.04845ep+5f), 0x1.f93e38p+46f);
  EXPECT_EQ(quant::ExpF(-0x1.f8cbb2p+5f), 0x1.f45326p-92f);
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(quant::ExpF(100.0f), inf);
  EXPECT_EQ(quant::ExpF(-inf), 0.0f);
  EXPECT_EQ(quant::ExpF(inf), inf);
  EXPECT_TRUE(std::isnan(quant::ExpF(std::numeric_limits<float>::quiet_NaN())));
}

TEST(TanhF, MatchesGlibc) {
  EXPECT_EQ(quant::TanhF(0.5f), 0x1.d9353ep-2f);
  EXPECT_EQ(quant::TanhF(1.0f), 0x1.85efacp-1f);
  EXPECT_EQ(quant::TanhF(-2.0f), -0x1.ed9506p-1f);
  EXPECT_EQ(quant::TanhF(0.1f), 0x1.983d78p-4f);
  EXPECT_EQ(quant::TanhF(9.0f), 0x1.fffffep-1f);
  EXPECT_EQ(quant::TanhF(22.0f), 1.0f);
  EXPECT_EQ(quant::TanhF(1e-30f), 1e-30f);
  // fdlibm's tanhf is off by one ulp here (correctly rounded: the input).
  EXPECT_EQ(quant::TanhF(0x1.000002p-25f), 0x1.000004p-25f);
  EXPECT_EQ(quant::TanhF(-0.0f), -0.0f);
  EXPECT_TRUE(std::signbit(quant::TanhF(-0.0f)));
  EXPECT_EQ(quant::TanhF(-std::numeric_limits<float>::infinity()), -1.0f);
}

TEST(CastToInt32, X86Semantics) {
  EXPECT_EQ(quant::CastToInt32(2.9f), 2);
  EXPECT_EQ(quant::CastToInt32(-2.9f), -2);
  EXPECT_EQ(quant::CastToInt32(-2147483648.0f), INT32_MIN);
  EXPECT_EQ(quant::CastToInt32(2147483520.0f), 2147483520);
  EXPECT_EQ(quant::CastToInt32(2147483648.0f), INT32_MIN);
  EXPECT_EQ(quant::CastToInt32(std::numeric_limits<float>::quiet_NaN()), INT32_MIN);
  EXPECT_EQ(quant::CastToInt32(-std::numeric_limits<float>::infinity()), INT32_MIN);
}

}  // namespace
}  // namespace mote
