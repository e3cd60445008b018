// CONV_2D int8, x86 AVX2 kernels (intrinsics; only these functions are
// compiled for AVX2, the rest of the build stays baseline x86-64; the
// variant tables pick them at run time when the CPU has AVX2).
//
// s8_avx2_1x1      pointwise convolutions (AppliesS8Pointwise): a matrix
//                  product over the input's contiguous pixel rows.
// s8_avx2_generic  any other int8 convolution AppliesS8 accepts: each output
//                  pixel's receptive field is first gathered (im2col, padding
//                  = input zero point) into scratch.
// Both: per pair of output pixels, the operands are widened once to int16
// with the input offset added (x + input_offset in [-255, 255]) into scratch
// rows padded with zeros to a multiple of 16; then every block of 4 output
// channels accumulates _mm256_madd_epi16(x + offset, w) over the depth, 16
// products per instruction (each pair sum |.| <= 2 * 255 * 128, exact in
// int32), 2 pixels x 4 channels = 8 accumulators, reduced horizontally at
// the end. The products are the reference's w * (x + input_offset) and int32
// addition wraps modulo 2^32 (conv2d_opt.h (1)): any order gives the
// reference's accumulator. Padding lanes (beyond the depth) multiply a zero
// operand, so whatever weight bytes they read contribute 0 (weights are read
// 16 bytes at a time; a read that would leave the filter tensor is copied
// instead). Requantization: requant_x86.h, 8 outputs at a time, exact; a
// layer with a multiplier < 0 or a shift outside [-31, 31] (no real model)
// uses conv_opt::RequantizeS8 per output instead.
#include "ops/conv2d/conv2d_opt.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/conv2d/requant_x86.h"

namespace mote {
namespace ops {
namespace conv_opt {

namespace {

using x86::MakeRequant8;
using x86::Requant8;
using x86::Requantize8;

inline int32_t PaddedDepth(int32_t depth) { return (depth + 15) & ~15; }

// x + offset, widened to int16, for n bytes of src; zeros up to kp.
MOTE_AVX2 void Widen(const int8_t* src, int32_t n, int32_t kp, int16_t offset, int16_t* dst) {
  const __m256i off = _mm256_set1_epi16(offset);
  int32_t k = 0;
  for (; k + 16 <= n; k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + k),
                        _mm256_add_epi16(_mm256_cvtepi8_epi16(v), off));
  }
  for (; k < n; ++k) dst[k] = static_cast<int16_t>(src[k] + offset);
  for (; k < kp; ++k) dst[k] = 0;
}

struct Gemm {
  const int8_t* w;      // [out_c][depth]
  const int8_t* w_end;  // end of the filter
  int32_t depth;
  int32_t kp;  // depth rounded up to 16
  int32_t out_c;
  const int32_t* bias;  // null: none
  const ConvQuant* q;
  bool vector_requant;
  // The last (partial) block of 4 channels: multipliers, shifts and biases
  // padded with copies of the last channel's.
  int32_t tail_mult[4], tail_shift[4], tail_bias[4];
};

// 16 weights at w[k..k+16): loaded directly unless that would read past the
// filter, then copied (the bytes beyond the row meet zero operands).
MOTE_AVX2_INLINE __m256i LoadW(const Gemm& g, const int8_t* p) {
  if (p + 16 <= g.w_end) {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  int8_t tmp[16] = {};
  memcpy(tmp, p, static_cast<size_t>(g.w_end - p));
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(tmp)));
}

MOTE_AVX2_INLINE __m256i Bcast128(const int32_t* p) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// Every output channel of two pixels whose widened operands are a0 and a1
// (kp int16 each); writes o0[c] and, when o1 is not null, o1[c].
MOTE_AVX2 void TwoPixels(const Gemm& g, const int16_t* a0, const int16_t* a1, int8_t* o0,
                         int8_t* o1) {
  const int32_t k_full = g.depth & ~15;
  const bool tail = g.kp != k_full;
  const __m256i out_off = _mm256_set1_epi32(g.q->output_offset);
  const __m256i act_min = _mm256_set1_epi32(g.q->act_min);
  const __m256i act_max = _mm256_set1_epi32(g.q->act_max);
  for (int32_t c = 0; c < g.out_c; c += 4) {
    const int32_t n = g.out_c - c < 4 ? g.out_c - c : 4;
    const int8_t* w[4];
    for (int32_t j = 0; j < 4; ++j) {
      w[j] = g.w + static_cast<size_t>(c + (j < n ? j : n - 1)) * g.depth;
    }
    __m256i s00 = _mm256_setzero_si256(), s01 = s00, s02 = s00, s03 = s00;
    __m256i s10 = s00, s11 = s00, s12 = s00, s13 = s00;
    int32_t k = 0;
    for (; k < k_full; k += 16) {
      const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a0 + k));
      const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a1 + k));
      __m256i v = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[0] + k)));
      s00 = _mm256_add_epi32(s00, _mm256_madd_epi16(x0, v));
      s10 = _mm256_add_epi32(s10, _mm256_madd_epi16(x1, v));
      v = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[1] + k)));
      s01 = _mm256_add_epi32(s01, _mm256_madd_epi16(x0, v));
      s11 = _mm256_add_epi32(s11, _mm256_madd_epi16(x1, v));
      v = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[2] + k)));
      s02 = _mm256_add_epi32(s02, _mm256_madd_epi16(x0, v));
      s12 = _mm256_add_epi32(s12, _mm256_madd_epi16(x1, v));
      v = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[3] + k)));
      s03 = _mm256_add_epi32(s03, _mm256_madd_epi16(x0, v));
      s13 = _mm256_add_epi32(s13, _mm256_madd_epi16(x1, v));
    }
    if (tail) {
      const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a0 + k));
      const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a1 + k));
      __m256i v = LoadW(g, w[0] + k);
      s00 = _mm256_add_epi32(s00, _mm256_madd_epi16(x0, v));
      s10 = _mm256_add_epi32(s10, _mm256_madd_epi16(x1, v));
      v = LoadW(g, w[1] + k);
      s01 = _mm256_add_epi32(s01, _mm256_madd_epi16(x0, v));
      s11 = _mm256_add_epi32(s11, _mm256_madd_epi16(x1, v));
      v = LoadW(g, w[2] + k);
      s02 = _mm256_add_epi32(s02, _mm256_madd_epi16(x0, v));
      s12 = _mm256_add_epi32(s12, _mm256_madd_epi16(x1, v));
      v = LoadW(g, w[3] + k);
      s03 = _mm256_add_epi32(s03, _mm256_madd_epi16(x0, v));
      s13 = _mm256_add_epi32(s13, _mm256_madd_epi16(x1, v));
    }
    // Horizontal sums: [p0 c0..c3 | p1 c0..c3].
    const __m256i u0 = _mm256_hadd_epi32(_mm256_hadd_epi32(s00, s01), _mm256_hadd_epi32(s02, s03));
    const __m256i u1 = _mm256_hadd_epi32(_mm256_hadd_epi32(s10, s11), _mm256_hadd_epi32(s12, s13));
    __m256i acc = _mm256_add_epi32(_mm256_permute2x128_si256(u0, u1, 0x20),
                                   _mm256_permute2x128_si256(u0, u1, 0x31));
    const bool full = n == 4;
    const int32_t* mult = full ? g.q->multiplier + c : g.tail_mult;
    const int32_t* shift = full ? g.q->shift + c : g.tail_shift;
    if (g.bias != nullptr) acc = _mm256_add_epi32(acc, Bcast128(full ? g.bias + c : g.tail_bias));
    int8_t r0[4], r1[4];
    if (g.vector_requant) {
      const Requant8 rq = MakeRequant8(Bcast128(mult), Bcast128(shift));
      const __m256i r = Requantize8(acc, rq, out_off, act_min, act_max);
      const __m256i b = _mm256_packs_epi16(_mm256_packs_epi32(r, r), _mm256_setzero_si256());
      const int32_t v0 = _mm256_cvtsi256_si32(b);
      const int32_t v1 = _mm_cvtsi128_si32(_mm256_extracti128_si256(b, 1));
      memcpy(r0, &v0, 4);
      memcpy(r1, &v1, 4);
    } else {
      int32_t sums[8];
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums), acc);
      for (int32_t j = 0; j < 4; ++j) {
        r0[j] = static_cast<int8_t>(RequantizeS8(sums[j], mult[j], shift[j], *g.q));
        r1[j] = static_cast<int8_t>(RequantizeS8(sums[4 + j], mult[j], shift[j], *g.q));
      }
    }
    if (full) {
      memcpy(o0 + c, r0, 4);
      if (o1 != nullptr) memcpy(o1 + c, r1, 4);
    } else {
      for (int32_t j = 0; j < n; ++j) o0[c + j] = r0[j];
      if (o1 != nullptr) {
        for (int32_t j = 0; j < n; ++j) o1[c + j] = r1[j];
      }
    }
  }
}

void MakeGemm(const Conv2DParams& p, const Node& node, Tensor* tensors, const Shape& s,
              Gemm* g) {
  const Tensor& filter = node.input(tensors, 1);
  g->w = filter.as<int8_t>();
  g->w_end = g->w + static_cast<size_t>(s.out_c) * s.depth;
  g->depth = s.depth;
  g->kp = PaddedDepth(s.depth);
  g->out_c = s.out_c;
  g->bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;
  g->q = &p.quant;
  g->vector_requant = x86::VectorRequantOk(p.quant.multiplier, p.quant.shift, s.out_c);
  const int32_t c0 = s.out_c & ~3;
  for (int32_t j = 0; j < 4; ++j) {
    const int32_t c = c0 + j < s.out_c ? c0 + j : s.out_c - 1;
    g->tail_mult[j] = p.quant.multiplier[c];
    g->tail_shift[j] = p.quant.shift[c];
    g->tail_bias[j] = g->bias != nullptr ? g->bias[c] : 0;
  }
}

}  // namespace

size_t ScratchS8Avx2(const Shape& s, bool generic) {
  const size_t kp = static_cast<size_t>(PaddedDepth(s.depth));
  return 2 * kp * sizeof(int16_t) + (generic ? kp : 0);
}

MOTE_AVX2 void EvalS8Avx21x1(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(Conv2DParams, cq);
  Gemm g;
  MakeGemm(p, node, tensors, s, &g);
  int16_t* a0 = reinterpret_cast<int16_t*>(node.scratch);
  int16_t* a1 = a0 + g.kp;
  const int16_t off = static_cast<int16_t>(cq.input_offset);
  const int32_t pixels = s.batches * s.out_h * s.out_w;
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    Widen(in + static_cast<size_t>(px) * s.in_c, s.depth, g.kp, off, a0);
    if (two) Widen(in + static_cast<size_t>(px + 1) * s.in_c, s.depth, g.kp, off, a1);
    int8_t* o0 = out + static_cast<size_t>(px) * s.out_c;
    TwoPixels(g, a0, two ? a1 : a0, o0, two ? o0 + s.out_c : nullptr);
  }
}

MOTE_AVX2 void EvalS8Avx2Generic(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(Conv2DParams, cq);
  Gemm g;
  MakeGemm(p, node, tensors, s, &g);
  int16_t* a0 = reinterpret_cast<int16_t*>(node.scratch);
  int16_t* a1 = a0 + g.kp;
  int8_t* col = reinterpret_cast<int8_t*>(a1 + g.kp);
  const int16_t off = static_cast<int16_t>(cq.input_offset);
  const int32_t per_batch = s.out_h * s.out_w;
  const int32_t pixels = s.batches * per_batch;
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    Im2ColPixel(p, s, in, px / per_batch, (px % per_batch) / s.out_w, px % s.out_w, col);
    Widen(col, s.depth, g.kp, off, a0);
    if (two) {
      const int32_t q = px + 1;
      Im2ColPixel(p, s, in, q / per_batch, (q % per_batch) / s.out_w, q % s.out_w, col);
      Widen(col, s.depth, g.kp, off, a1);
    }
    int8_t* o0 = out + static_cast<size_t>(px) * s.out_c;
    TwoPixels(g, a0, two ? a1 : a0, o0, two ? o0 + s.out_c : nullptr);
  }
}

}  // namespace conv_opt
}  // namespace ops
}  // namespace mote

#endif  // x86
