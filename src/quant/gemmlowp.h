// mote: the pieces of gemmlowp's fixed-point library (fixedpoint/fixedpoint.h)
// that TensorFlow Lite's reference int8 SOFTMAX is built from, bit for bit.
//
// gemmlowp represents a real number as an int32 "raw" value with a number of
// integer bits m fixed at compile time (FixedPoint<int32_t, m>, "Qm.(31-m)"):
// real = raw / 2^(31 - m). Q0.31 holds [-1, 1), Q5.26 holds [-32, 32), and
// so on. The operations below are written on raw int32 values; the integer
// bits of each argument and result are stated in the comments.
//
//   * Multiplying Qa by Qb gives Q(a+b): the raw product is
//     SaturatingRoundingDoublingHighMul (round(x * y / 2^31), fixed_point.h).
//   * Rescale from Qa to Qb multiplies the raw value by 2^(a - b): a
//     saturating left shift when a > b, a rounding right shift otherwise
//     (SaturatingRoundingMultiplyByPot).
//   * exp(x) for x <= 0 (ExpOnNegativeValues) splits x = q + r where q is a
//     multiple of 1/4 and r in [-1/4, 0): exp(r) comes from a 4th-order
//     Taylor polynomial around -1/8, and exp(q) is a product of the
//     constants exp(-1/4), exp(-1/2), exp(-1), ..., exp(-16), one for each
//     bit set in -q ("barrel shifter").
//   * 1/(1+x) for x in [0, 1) (OneOverOnePlusXForXIn01) runs three
//     Newton-Raphson steps on the half denominator (1+x)/2, starting from
//     48/17 - 32/17 * d, all in Q2.29.
//   * GetReciprocal (from TFLite's kernels/internal/common.h) normalises a
//     positive Qm value to 1+f with f in [0, 1), returns 1/(1+f) in Q0.31 and
//     how many bits the value had above 1.0.
//
// gemmlowp's plain additions do not saturate and overflow is undefined
// behaviour there; for the arguments TFLite's softmax passes they never
// overflow, and here they are computed with wrap-around (WrapAdd/WrapSub)
// so that the code has no undefined behaviour at all.
#ifndef MOTE_QUANT_GEMMLOWP_H_
#define MOTE_QUANT_GEMMLOWP_H_

#include <cstdint>
#include <limits>

#include "quant/fixed_point.h"

namespace mote {
namespace quant {

inline int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// a + b clamped to the int32 range.
inline int32_t SaturatingAdd(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  if (sum > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  if (sum < std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(sum);
}

// Number of leading zero bits of x; 32 for x == 0 (TFLite's CountLeadingZeros).
inline int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  int n = 0;
  while ((x & 0x80000000u) == 0) {
    x <<= 1;
    ++n;
  }
  return n;
}

// gemmlowp's SaturatingRoundingMultiplyByPOT<exponent>: x * 2^exponent.
// exponent > 0: left shift, saturating when |x| exceeds 2^(31-exponent) - 1
// (note the symmetric threshold: -2^(31-exponent) saturates to INT32_MIN even
// though its shifted value is representable); exponent < 0: rounding right
// shift (RoundingDivideByPOT). |exponent| <= 31.
inline int32_t SaturatingRoundingMultiplyByPot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return RoundingDivideByPOT(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((INT64_C(1) << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return ShiftLeftWrapping(x, exponent);
}

// gemmlowp's RoundingHalfSum: (a + b) / 2 rounded to nearest, ties away from
// zero (VRHADD).
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(a) for a in [-1/4, 0); a and the result in Q0.31.
inline int32_t ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int32_t a) {
  const int32_t kConstantTerm = 1895147668;    // exp(-1/8) in Q0.31
  const int32_t kConstant1Over3 = 715827883;   // 1/3 in Q0.31
  // Taylor expansion around -1/8: x = a + 1/8.
  const int32_t x = WrapAdd(a, INT32_C(1) << 28);
  const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);
  const int32_t x3 = SaturatingRoundingDoublingHighMul(x2, x);
  const int32_t x4 = SaturatingRoundingDoublingHighMul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPOT(x4, 2);
  const int32_t poly = RoundingDivideByPOT(
      WrapAdd(SaturatingRoundingDoublingHighMul(WrapAdd(x4_over_4, x3), kConstant1Over3), x2), 1);
  // exp(-1/8) * (1 + x + x^2/2 + x^3/6 + x^4/24)
  return WrapAdd(kConstantTerm, SaturatingRoundingDoublingHighMul(kConstantTerm, WrapAdd(x, poly)));
}

// exp(a) for a <= 0; a in Q(kIntegerBits).(31 - kIntegerBits), the result in
// Q0.31 (exp(0) = INT32_MAX, gemmlowp's One()). Instantiated with 5 integer
// bits by SOFTMAX; kIntegerBits in [1, 29].
template <int kIntegerBits>
int32_t ExpOnNegativeValues(int32_t a) {
  static_assert(kIntegerBits >= 1 && kIntegerBits <= 29, "unsupported format");
  constexpr int kFractionalBits = 31 - kIntegerBits;
  constexpr int32_t kOneQuarter = INT32_C(1) << (kFractionalBits - 2);
  const int32_t mask = kOneQuarter - 1;
  // a = (a mod 1/4 - 1/4) - remainder, with a mod 1/4 - 1/4 in [-1/4, 0).
  const int32_t a_mod_quarter_minus_one_quarter = WrapSub(a & mask, kOneQuarter);
  int32_t result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      SaturatingRoundingMultiplyByPot(a_mod_quarter_minus_one_quarter, kIntegerBits));
  const int32_t remainder = WrapSub(a_mod_quarter_minus_one_quarter, a);

  // One factor exp(-2^e) per set bit of the remainder (a multiple of 1/4).
  struct Factor {
    int exponent;        // the bit stands for 2^exponent
    int32_t multiplier;  // exp(-2^exponent) in Q0.31
  };
  constexpr Factor kFactors[] = {
      {-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
      {2, 39332535},    {3, 720401},      {4, 242},
  };
  for (const Factor& f : kFactors) {
    if (kIntegerBits > f.exponent) {
      const int shift = kFractionalBits + f.exponent;
      if ((remainder & (INT32_C(1) << shift)) != 0) {
        result = SaturatingRoundingDoublingHighMul(result, f.multiplier);
      }
    }
  }
  // Below -32 the result is 0 (only reachable with more than 5 integer bits).
  if (kIntegerBits > 5) {
    const int32_t clamp = -(INT32_C(1) << (kIntegerBits > 5 ? 36 - kIntegerBits : 0));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = std::numeric_limits<int32_t>::max();
  return result;
}

// 1 / (1 + a) for a in [0, 1); a and the result in Q0.31.
inline int32_t OneOverOnePlusXForXIn01(int32_t a) {
  // half_denominator = (1 + a) / 2 in Q0.31 (1 is INT32_MAX here).
  const int32_t half_denominator = RoundingHalfSum(a, std::numeric_limits<int32_t>::max());
  // Newton-Raphson in Q2.29, starting from 48/17 - 32/17 * half_denominator.
  const int32_t kConstant48Over17 = 1515870810;      // Q2.29
  const int32_t kConstantNeg32Over17 = -1010580540;  // Q2.29
  const int32_t kOneQ2 = INT32_C(1) << 29;           // 1.0 in Q2.29
  int32_t x = WrapAdd(kConstant48Over17,
                      SaturatingRoundingDoublingHighMul(half_denominator, kConstantNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x = WrapSub(kOneQ2, half_denominator_times_x);
    // x * (1 - d x) is Q4.27; Rescale<2> takes it back to Q2.29.
    x = WrapAdd(x, SaturatingRoundingMultiplyByPot(
                       SaturatingRoundingDoublingHighMul(x, one_minus_half_denominator_times_x), 2));
  }
  // x approximates 1/d = 2/(1+a) in Q2.29; 1/(1+a) = x/2: the same raw value
  // read as Q1.30, rescaled to Q0.31.
  return SaturatingRoundingMultiplyByPot(x, 1);
}

// TFLite's GetReciprocal: for x > 0 in Q(x_integer_digits), writes 1/x as a
// Q0.31 value r and a count n = *num_bits_over_unit such that
// 1/x = r * 2^-n (n may be negative when x < 1).
inline int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros32(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // x << headroom_plus_one has its leading 1 at bit 31; dropping that bit
  // leaves the fraction f of x = 2^k * (1 + f), in Q0.31.
  const uint32_t normalized =
      headroom_plus_one >= 32 ? 0u : static_cast<uint32_t>(x) << headroom_plus_one;
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(normalized - (UINT32_C(1) << 31));
  return OneOverOnePlusXForXIn01(shifted_sum_minus_one);
}

}  // namespace quant
}  // namespace mote

#endif  // MOTE_QUANT_GEMMLOWP_H_
