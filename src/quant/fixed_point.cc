#include "quant/fixed_point.h"

#include <cmath>
#include <cstring>

namespace mote {
namespace quant {

namespace {

// TFLite's QuantizeMultiplier after the rounding: a significand that rounded
// up to 2^31 is halved, exponents below -31 flush to zero.
void StoreMultiplier(int64_t q, int exponent, int32_t* multiplier, int* shift) {
  if (q == (INT64_C(1) << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q = 0;
  }
  *multiplier = static_cast<int32_t>(q);
  *shift = exponent;
}

}  // namespace

void QuantizeMultiplier(double real_multiplier, int32_t* multiplier, int* shift) {
  if (real_multiplier == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double fraction = std::frexp(real_multiplier, &exponent);
  const int64_t q =
      static_cast<int64_t>(std::round(fraction * static_cast<double>(INT64_C(1) << 31)));
  StoreMultiplier(q, exponent, multiplier, shift);
}

namespace {

// A positive finite float as m * 2^e with m in [2^23, 2^24).
struct Unpacked {
  uint32_t m;
  int e;
};

Unpacked UnpackPositive(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  const int exp_field = static_cast<int>((bits >> 23) & 0xff);
  Unpacked u;
  u.m = bits & 0x7fffffu;
  if (exp_field == 0) {  // subnormal: m * 2^-149, normalized below
    u.e = -149;
    while (u.m != 0 && u.m < (1u << 23)) {
      u.m <<= 1;
      --u.e;
    }
  } else {
    u.m |= 1u << 23;
    u.e = exp_field - 150;
  }
  return u;
}

}  // namespace

void QuantizeScaleRatio(float a, float b, float c, int32_t* multiplier, int* shift) {
  const Unpacked ua = UnpackPositive(a);
  const Unpacked ub = UnpackPositive(b);
  const Unpacked uc = UnpackPositive(c);
  if (ua.m == 0 || ub.m == 0 || uc.m == 0) {  // zero (callers pass > 0)
    *multiplier = 0;
    *shift = 0;
    return;
  }
  // N = ma * mb in [2^46, 2^48), D = mc in [2^23, 2^24). Normalize N by
  // `a` left shifts (0..2) so that N / D is in [2^24, 2^25); then
  // Q = floor(N * 2^32 / D) is in [2^56, 2^57): 57 bits, 4 below the 53
  // a double keeps. Long division with 32-bit steps: the running remainder
  // stays below D < 2^24, so (r << 8) | next byte fits 32 bits. (Constant
  // shifts only: a variable 64-bit shift is a library call on a Cortex-M.)
  uint64_t n = static_cast<uint64_t>(ua.m) * ub.m;
  const uint32_t d = uc.m;
  int norm = 0;
  if (n < (UINT64_C(1) << 47)) {
    n <<= 1;
    ++norm;
  }
  if (n < (static_cast<uint64_t>(d) << 24)) {
    n <<= 1;
    ++norm;
  }
  // n < 2 * d * 2^24 < 2^49. First chunk: bits 48..24 (< 2^25).
  uint32_t cur = static_cast<uint32_t>(n >> 24);
  uint64_t q = cur / d;  // 1 (N / D in [2^24, 2^25))
  uint32_t r = cur % d;
  const uint32_t low24 = static_cast<uint32_t>(n) & 0xffffffu;
  const uint32_t bytes[7] = {(low24 >> 16) & 0xffu, (low24 >> 8) & 0xffu, low24 & 0xffu, 0, 0, 0,
                             0};  // the rest of N, then 4 zero bytes (N * 2^32)
  for (int i = 0; i < 7; ++i) {
    cur = (r << 8) | bytes[i];
    q = (q << 8) | (cur / d);
    r = cur % d;
  }
  // The exact quotient is (q + r / D) * 2^(ea + eb - ec - 32 - norm), q in
  // [2^56, 2^57).
  const uint64_t low = q & 15u;
  uint64_t sig = q >> 4;  // in [2^52, 2^53)
  // Round to nearest, ties to even. (An exact tie cannot occur: the exact
  // quotient N / D has at most 48 significant bits when it terminates.)
  if (low > 8u || (low == 8u && (r != 0 || (sig & 1) != 0))) ++sig;
  int exponent = ua.e + ub.e - uc.e - 32 - norm + 57;  // frexp's: value = sig / 2^53 * 2^exponent
  if (sig == (UINT64_C(1) << 53)) {
    sig >>= 1;
    ++exponent;
  }
  // std::round(sig / 2^53 * 2^31): half away from zero (sig > 0).
  StoreMultiplier(static_cast<int64_t>((sig + (UINT64_C(1) << 21)) >> 22), exponent, multiplier,
                  shift);
}

void QuantizeMultiplierSmallerThanOneExp(double real_multiplier, int32_t* multiplier,
                                         int* left_shift) {
  QuantizeMultiplier(real_multiplier, multiplier, left_shift);
}

void QuantizeMultiplierGreaterThanOne(double real_multiplier, int32_t* multiplier,
                                      int* left_shift) {
  QuantizeMultiplier(real_multiplier, multiplier, left_shift);
}

}  // namespace quant
}  // namespace mote
