// mote: the integer arithmetic of TensorFlow Lite's int8 kernels, bit for bit.
//
// A real multiplier M (e.g. input_scale * weight_scale / output_scale) is
// stored as a Q31 significand q in [2^30, 2^31) and a power-of-two exponent
// `shift`, M ~= q * 2^(shift - 31) (QuantizeMultiplier). Applying it to an
// int32 accumulator x is done the way TFLite does by default (not its
// TFLITE_SINGLE_ROUNDING build option), in two roundings:
//   1. x is shifted left by max(shift, 0) (wrapping like a 32-bit register),
//   2. SaturatingRoundingDoublingHighMul: round(x * q / 2^31), ties away from
//      zero, saturating the one overflow case INT32_MIN * INT32_MIN,
//   3. RoundingDivideByPOT by max(-shift, 0): round to nearest, ties away
//      from zero.
// Every kernel that requantizes uses exactly these functions, so there is one
// place that defines "TFLite rounding" for mote.
#ifndef MOTE_QUANT_FIXED_POINT_H_
#define MOTE_QUANT_FIXED_POINT_H_

#include <cstdint>
#include <limits>

namespace mote {
namespace quant {

inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  const bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  const int32_t high = static_cast<int32_t>((ab + nudge) / (INT64_C(1) << 31));
  return overflow ? std::numeric_limits<int32_t>::max() : high;
}

// x / 2^exponent rounded to nearest, ties away from zero; 0 <= exponent <= 31.
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((INT64_C(1) << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^shift with the wrap-around of a 32-bit register (TFLite computes
// `x * (1 << shift)` in int32; we reproduce its two's-complement result
// without the undefined behaviour).
inline int32_t ShiftLeftWrapping(int32_t x, int shift) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << shift);
}

// round(x * multiplier * 2^(shift - 31)) the TFLite way (see top of file).
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(ShiftLeftWrapping(x, left_shift), multiplier),
      right_shift);
}

// For multipliers known to be < 1 (shift <= 0): TFLite's
// MultiplyByQuantizedMultiplierSmallerThanOneExp.
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOneExp(int32_t x, int32_t multiplier,
                                                              int left_shift) {
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, multiplier), -left_shift);
}

// For multipliers known to be >= 1: TFLite's
// MultiplyByQuantizedMultiplierGreaterThanOne.
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x, int32_t multiplier,
                                                           int left_shift) {
  return SaturatingRoundingDoublingHighMul(ShiftLeftWrapping(x, left_shift), multiplier);
}

// Splits a real multiplier into a Q31 significand and an exponent, exactly
// as TFLite's QuantizeMultiplier: significand = round(frac * 2^31) with
// frexp's frac in [0.5, 1); a significand that rounds up to 2^31 is halved;
// exponents below -31 flush to zero. Negative multipliers are not used.
void QuantizeMultiplier(double real_multiplier, int32_t* multiplier, int* shift);

// TFLite's QuantizeMultiplierSmallerThanOneExp (real in (0, 1)).
void QuantizeMultiplierSmallerThanOneExp(double real_multiplier, int32_t* multiplier,
                                         int* left_shift);

// TFLite's QuantizeMultiplierGreaterThanOne (real > 1).
void QuantizeMultiplierGreaterThanOne(double real_multiplier, int32_t* multiplier,
                                      int* left_shift);

// QuantizeMultiplier(double(a) * double(b) / double(c)) for finite floats
// a, b, c > 0 (subnormals included), bit for bit, in integer arithmetic only:
// no double on the device path, a few dozen instructions on a Cortex-M (it
// runs per channel per invoke, see ops::ChannelQuant). Proof sketch:
// double(a) * double(b) is exact (24 + 24 significant bits <= 53), so the
// double expression is RN53(A / C), the exact quotient rounded to 53 bits,
// ties to even; the range of floats keeps it a normal double. The quotient
// is taken with enough bits plus a sticky remainder to round it to 53 bits
// exactly as the FPU does, then to 31 bits half up as std::round does.
// fixed_point_test.cc compares it with QuantizeMultiplier on edge and
// random triples.
void QuantizeScaleRatio(float a, float b, float c, int32_t* multiplier, int* shift);

inline int32_t Clamp(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

}  // namespace quant
}  // namespace mote

#endif  // MOTE_QUANT_FIXED_POINT_H_
