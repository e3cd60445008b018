// x86 AVX2 requantization shared by the CONV_2D and DEPTHWISE_CONV_2D AVX2
// kernels (conv2d_x86.cc, depthwise_conv2d_x86.cc): eight int32 accumulators
// at once, bit-identical to the reference
//   Clamp(WrappingAdd(quant::MultiplyByQuantizedMultiplier(acc, m, shift), o),
//         act_min, act_max)
// for every acc, every multiplier m >= 0 and every shift in [-31, 31]
// (QuantizeMultiplier gives m in {0} u [2^30, 2^31) and the kernels check the
// shift range per invoke, falling back to the scalar functions otherwise).
//
// Per lane, with l = max(shift, 0) and e = max(-shift, 0):
//  1. a = acc << l, wrapping (_mm256_sllv_epi32 = quant::ShiftLeftWrapping).
//  2. SaturatingRoundingDoublingHighMul(a, m) never saturates (m >= 0, so
//     never a = m = INT32_MIN) and its nudge-then-truncate equals
//     y = floor((a*m + 2^30) / 2^31) for both signs of a*m (for a*m < 0:
//     trunc(n / 2^31) with n = a*m + 1 - 2^30 < 0 is ceil(n / 2^31) =
//     floor((n + 2^31 - 1) / 2^31) = floor((a*m + 2^30) / 2^31)). y fits
//     int32 (|a*m| < 2^62), so y is bits 31..62 of the 64-bit v = a*m + 2^30
//     (_mm256_mul_epi32 gives a*m exactly): the low dword of v >> 31
//     (logical) for the even lanes, the high dword of v << 1 for the odd.
//  3. RoundingDivideByPOT(y, e) computed exactly as the reference, lane-wise:
//     mask = 2^e - 1, remainder = y & mask, threshold = (mask >> 1) + [y < 0],
//     (y >> e) + [remainder > threshold] (e <= 31: every count is in range).
//  4. + o wrapping (_mm256_add_epi32), then min/max with the activation range.
// requant_x86_test (in conv2d_x86_test.cc) checks it against the scalar
// functions on edge and random values.
#ifndef MOTE_OPS_CONV2D_REQUANT_X86_H_
#define MOTE_OPS_CONV2D_REQUANT_X86_H_

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <cstdint>

#define MOTE_AVX2 __attribute__((target("avx2")))
#define MOTE_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline

namespace mote {
namespace ops {
namespace x86 {

// Per-lane constants of one requantization (8 channels).
struct Requant8 {
  __m256i mult;   // multiplier (>= 0)
  __m256i lsh;    // max(shift, 0)
  __m256i rsh;    // max(-shift, 0)
  __m256i mask;   // 2^rsh - 1
  __m256i half;   // mask >> 1
};

MOTE_AVX2_INLINE Requant8 MakeRequant8(__m256i mult, __m256i shift) {
  Requant8 r;
  const __m256i zero = _mm256_setzero_si256();
  r.mult = mult;
  r.lsh = _mm256_max_epi32(shift, zero);
  r.rsh = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  r.mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), r.rsh), _mm256_set1_epi32(1));
  r.half = _mm256_srai_epi32(r.mask, 1);
  return r;
}

// MultiplyByQuantizedMultiplier(acc, mult, shift) per lane (see the top).
MOTE_AVX2_INLINE __m256i MulQuant8(__m256i acc, const Requant8& k) {
  const __m256i a = _mm256_sllv_epi32(acc, k.lsh);
  const __m256i r30 = _mm256_set1_epi64x(INT64_C(1) << 30);
  const __m256i pe = _mm256_add_epi64(_mm256_mul_epi32(a, k.mult), r30);
  const __m256i po = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(k.mult, 32)), r30);
  const __m256i y = _mm256_blend_epi32(_mm256_srli_epi64(pe, 31), _mm256_slli_epi64(po, 1), 0xAA);
  const __m256i rem = _mm256_and_si256(y, k.mask);
  const __m256i neg = _mm256_cmpgt_epi32(_mm256_setzero_si256(), y);  // -1 where y < 0
  const __m256i thr = _mm256_sub_epi32(k.half, neg);
  return _mm256_sub_epi32(_mm256_srav_epi32(y, k.rsh), _mm256_cmpgt_epi32(rem, thr));
}

// The whole requantization: + output offset, clamp.
MOTE_AVX2_INLINE __m256i Requantize8(__m256i acc, const Requant8& k, __m256i out_offset,
                                     __m256i act_min, __m256i act_max) {
  const __m256i r = _mm256_add_epi32(MulQuant8(acc, k), out_offset);
  return _mm256_min_epi32(_mm256_max_epi32(r, act_min), act_max);
}

// True when every shift of `n` channels is in [-31, 31] and every multiplier
// >= 0: the vector form applies to all of them.
inline bool VectorRequantOk(const int32_t* multiplier, const int32_t* shift, int32_t n) {
  for (int32_t c = 0; c < n; ++c) {
    if (multiplier[c] < 0 || shift[c] < -31 || shift[c] > 31) return false;
  }
  return true;
}

}  // namespace x86
}  // namespace ops
}  // namespace mote

#endif  // x86
#endif  // MOTE_OPS_CONV2D_REQUANT_X86_H_
