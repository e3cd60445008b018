// DEPTHWISE_CONV_2D int8, x86 AVX2 kernel (intrinsics; only these functions
// are compiled for AVX2, the rest of the build stays baseline x86-64; the
// variant table picks it at run time when the CPU has AVX2).
//
// s8_avx2_3x3      3x3 filter, dilation 1, depth multiplier 1, any stride,
//                  any padding (AppliesAvx23x3): 16 channels per step.
// s8_avx2_generic  any filter, stride, dilation, padding and depth
//                  multiplier whose ring fits (AppliesAvx2Generic): 16
//                  output channels per step.
//
// The arithmetic is the reference's, not the folded form of
// depthwise_conv2d_opt.h (1): acc = bias + sum over taps of
// w * (x + input_offset), with a tap in the padding contributing
// w * 0 = 0 (the reference skips it). Each product |w * (x + off)| <=
// 128 * 255 and each _mm256_madd_epi16 pair sum fits int32 exactly; int32
// addition wraps modulo 2^32, so any order gives the reference's
// accumulator.
//
// The ring (as depthwise_conv2d_opt.h (2), 3 slots, padded width Wp) holds,
// per padded column px and per group of 16 channels, the int16 pairs
// (X[px][c], X[px + 1][c]) with X = x + input_offset (0 in the padding and
// beyond the last column), interleaved the way _mm256_unpack{lo,hi}_epi16
// leave them: 64 bytes per column. An output pixel at padded column x0 then
// reads, per filter row, the entry at x0 (taps 0 and 1, weights (w0, w1))
// and the entry at x0 + 2 (tap 2 and the next column, weights (w2, 0)): 4
// madds per row, no shuffle in the inner loop. The two accumulators hold
// channels {0-3, 8-11} and {4-7, 12-15}; the per-channel constants are
// loaded in the same order, and _mm256_packs_epi32 of the two results puts
// the channels back in order.
//
// s8_avx2_generic uses the same ring with X taken in output-channel order
// (X[px][oc] = x[px][oc / multiplier] + input_offset, one byte shuffle per
// pixel) and the pair (X[px][oc], X[px + dilation_w][oc]) per column: filter
// taps kx and kx + 1 of a row read one entry, weights (w[kx], w[kx + 1]) or
// (w[kx], 0) for the last tap of an odd row; the interleaved weights live in
// scratch after the ring. Requantization: requant_x86.h (exact); a layer
// with a multiplier < 0 or a shift outside [-31, 31] (no real model) uses
// the reference functions per output instead.
#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/conv2d/requant_x86.h"

namespace mote {
namespace ops {
namespace dw_opt {

namespace {

constexpr int32_t kGroup = 16;                  // channels per step
constexpr size_t kEntryBytes = 4 * kGroup;      // int16 pairs of 16 channels
constexpr size_t kMaxAvx2RingBytes = 256 * 1024;

size_t Avx2RingBytes(const ConvWindow& w) {
  return 3 * static_cast<size_t>(RingWidth(w, 3)) * kEntryBytes;
}

// The generic kernel: ring, then KH * ceil(KW / 2) interleaved weight pairs.
size_t GenericRingBytes(const ConvWindow& w, const Shape& s) {
  return static_cast<size_t>(RingSlots(w, s.filter_h)) *
         static_cast<size_t>(RingWidth(w, s.filter_w)) * kEntryBytes;
}
size_t GenericBytes(const ConvWindow& w, const Shape& s) {
  return GenericRingBytes(w, s) +
         static_cast<size_t>(s.filter_h) * static_cast<size_t>((s.filter_w + 1) / 2) * kEntryBytes;
}

// 16 int8 values at p (lanes of them valid), sign-extended to int16.
MOTE_AVX2_INLINE __m256i Load16(const int8_t* p, int32_t lanes) {
  if (lanes == kGroup) {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  int8_t tmp[kGroup] = {};
  memcpy(tmp, p, static_cast<size_t>(lanes));
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(tmp)));
}

// X of padded column px of input row `row` (null: a padding row).
MOTE_AVX2_INLINE __m256i Column(const int8_t* row, const Shape& s, int32_t pad_w, int32_t px,
                                int32_t lanes, __m256i off) {
  const int32_t ix = px - pad_w;
  if (row == nullptr || ix < 0 || ix >= s.in_w) return _mm256_setzero_si256();
  return _mm256_add_epi16(Load16(row + static_cast<size_t>(ix) * s.in_c, lanes), off);
}

// Places padded row yp of channels [c0, c0 + lanes) of batch b in `dst`.
MOTE_AVX2 void FillRow(int8_t* dst, int32_t wp, const int8_t* in, const Shape& s,
                       const ConvWindow& w, int32_t b, int32_t yp, int32_t c0, int32_t lanes,
                       __m256i off) {
  const int32_t y = yp - w.pad_h;
  if (y < 0 || y >= s.in_h) {
    memset(dst, 0, static_cast<size_t>(wp) * kEntryBytes);
    return;
  }
  const int8_t* row = in + ((static_cast<size_t>(b) * s.in_h + y) * s.in_w) * s.in_c + c0;
  __m256i cur = Column(row, s, w.pad_w, 0, lanes, off);
  for (int32_t px = 0; px < wp; ++px) {
    const __m256i next = Column(row, s, w.pad_w, px + 1, lanes, off);  // 0 at px + 1 == wp
    __m256i* e = reinterpret_cast<__m256i*>(dst + static_cast<size_t>(px) * kEntryBytes);
    _mm256_storeu_si256(e, _mm256_unpacklo_epi16(cur, next));
    _mm256_storeu_si256(e + 1, _mm256_unpackhi_epi16(cur, next));
    cur = next;
  }
}

MOTE_AVX2_INLINE __m256i Ld(const int8_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Channel of lane i of accumulator h (0: {0-3, 8-11}, 1: {4-7, 12-15}).
inline int32_t LaneChannel(int32_t h, int32_t i) { return (i < 4 ? i : i + 4) + 4 * h; }

// The layer's output quantization as vectors, and whether the vector
// requantization is exact for every channel (else the scalar one runs).
struct OutQuant {
  const ConvQuant& q;
  __m256i out_off, act_min, act_max;
  bool vector_requant;
  MOTE_AVX2 OutQuant(const ConvQuant& cq, int32_t out_c)
      : q(cq),
        out_off(_mm256_set1_epi32(cq.output_offset)),
        act_min(_mm256_set1_epi32(cq.act_min)),
        act_max(_mm256_set1_epi32(cq.act_max)),
        vector_requant(x86::VectorRequantOk(cq.multiplier, cq.shift, out_c)) {}
};

// One group of kGroup output channels from c0 (`lanes` of them real):
// per-channel constants, padded with the last channel's, in the
// accumulators' lane order; Store requantizes and writes a pixel's group.
struct GroupRequant {
  int32_t mult[kGroup], shift[kGroup];
  x86::Requant8 rq0, rq1;
  __m256i bias0, bias1;

  MOTE_AVX2 GroupRequant(const ConvQuant& q, const int32_t* bias, int32_t c0, int32_t lanes) {
    int32_t bias16[kGroup];
    for (int32_t i = 0; i < kGroup; ++i) {
      const int32_t c = c0 + (i < lanes ? i : lanes - 1);
      mult[i] = q.multiplier[c];
      shift[i] = q.shift[c];
      bias16[i] = bias != nullptr ? bias[c] : 0;
    }
    const __m256i m_a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mult));
    const __m256i m_b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mult + 8));
    const __m256i s_a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(shift));
    const __m256i s_b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(shift + 8));
    const __m256i b_a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias16));
    const __m256i b_b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias16 + 8));
    rq0 = x86::MakeRequant8(_mm256_permute2x128_si256(m_a, m_b, 0x20),
                            _mm256_permute2x128_si256(s_a, s_b, 0x20));
    rq1 = x86::MakeRequant8(_mm256_permute2x128_si256(m_a, m_b, 0x31),
                            _mm256_permute2x128_si256(s_a, s_b, 0x31));
    bias0 = _mm256_permute2x128_si256(b_a, b_b, 0x20);
    bias1 = _mm256_permute2x128_si256(b_a, b_b, 0x31);
  }

  MOTE_AVX2_INLINE void Store(__m256i acc0, __m256i acc1, const OutQuant& oq, int8_t* o,
                              int32_t lanes) const {
    __m128i bytes;
    if (oq.vector_requant) {
      const __m256i y0 = x86::Requantize8(acc0, rq0, oq.out_off, oq.act_min, oq.act_max);
      const __m256i y1 = x86::Requantize8(acc1, rq1, oq.out_off, oq.act_min, oq.act_max);
      const __m256i h = _mm256_packs_epi32(y0, y1);  // channels 0-7 | 8-15
      bytes = _mm_packs_epi16(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
    } else {
      int32_t a[2][8];
      int8_t r[kGroup];
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a[0]), acc0);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a[1]), acc1);
      for (int32_t h = 0; h < 2; ++h) {
        for (int32_t i = 0; i < 8; ++i) {
          const int32_t l = LaneChannel(h, i);
          int32_t v = quant::MultiplyByQuantizedMultiplier(a[h][i], mult[l], shift[l]);
          v = WrappingAdd(v, oq.q.output_offset);
          r[l] = static_cast<int8_t>(quant::Clamp(v, oq.q.act_min, oq.q.act_max));
        }
      }
      bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(r));
    }
    if (lanes == kGroup) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), bytes);
    } else {
      int8_t r[kGroup];
      _mm_storeu_si128(reinterpret_cast<__m128i*>(r), bytes);
      memcpy(o, r, static_cast<size_t>(lanes));
    }
  }
};

}  // namespace

size_t ScratchAvx23x3(const ConvWindow& w, const Shape&) { return Avx2RingBytes(w); }

size_t ScratchAvx2Generic(const ConvWindow& w, const Shape& s) { return GenericBytes(w, s); }

bool AppliesAvx2Generic(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  if (!AppliesS8(p, ctx)) return false;  // bounds the shape: the sizes below are small
  const Shape s = GetShape(ctx.input(0), ctx.input(1), ctx.output(0));
  return GenericBytes(p.window, s) <= kMaxAvx2RingBytes;
}

bool AppliesAvx23x3(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  // AppliesS8 bounds the shape (ShapeBounded), so the ring size is small.
  return AppliesS8(p, ctx) && Is3x3M1(p, ctx) && Avx2RingBytes(p.window) <= kMaxAvx2RingBytes;
}

MOTE_AVX2 void EvalS8Avx23x3(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, q);
  const int32_t* bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;
  const int32_t wp = RingWidth(w, 3);
  const size_t row_bytes = static_cast<size_t>(wp) * kEntryBytes;
  int8_t* ring = reinterpret_cast<int8_t*>(node.scratch);
  const __m256i off = _mm256_set1_epi16(static_cast<int16_t>(q.input_offset));
  const __m256i zero = _mm256_setzero_si256();
  const OutQuant out_q(q, s.out_c);
  const int32_t c_stride = s.out_c;  // == in_c (multiplier 1)

  for (int32_t c0 = 0; c0 < s.in_c; c0 += kGroup) {
    const int32_t lanes = s.in_c - c0 < kGroup ? s.in_c - c0 : kGroup;
    // Weights: per filter row, (w0, w1) pairs and (w2, 0) pairs.
    __m256i wt[3][4];
    for (int32_t ky = 0; ky < 3; ++ky) {
      const int8_t* f = flt + static_cast<size_t>(ky) * 3 * c_stride + c0;
      const __m256i w0 = Load16(f, lanes);
      const __m256i w1 = Load16(f + c_stride, lanes);
      const __m256i w2 = Load16(f + 2 * c_stride, lanes);
      wt[ky][0] = _mm256_unpacklo_epi16(w0, w1);
      wt[ky][1] = _mm256_unpackhi_epi16(w0, w1);
      wt[ky][2] = _mm256_unpacklo_epi16(w2, zero);
      wt[ky][3] = _mm256_unpackhi_epi16(w2, zero);
    }
    const GroupRequant gq(q, bias, c0, lanes);

    for (int32_t b = 0; b < s.batches; ++b) {
      int32_t filled = 0;  // padded rows [0, filled) placed
      for (int32_t oy = 0; oy < w.out_h; ++oy) {
        const int32_t lo = oy * w.stride_h;
        for (int32_t yp = filled > lo ? filled : lo; yp <= lo + 2; ++yp) {
          FillRow(ring + static_cast<size_t>(yp % 3) * row_bytes, wp, in, s, w, b, yp, c0, lanes,
                  off);
        }
        filled = lo + 3;
        const int8_t* r0 = ring + static_cast<size_t>(lo % 3) * row_bytes;
        const int8_t* r1 = ring + static_cast<size_t>((lo + 1) % 3) * row_bytes;
        const int8_t* r2 = ring + static_cast<size_t>((lo + 2) % 3) * row_bytes;
        int8_t* o = out + (static_cast<size_t>(b) * w.out_h + oy) * w.out_w * c_stride + c0;
        for (int32_t ox = 0; ox < w.out_w; ++ox, o += c_stride) {
          const size_t e0 = static_cast<size_t>(ox) * w.stride_w * kEntryBytes;
          const size_t e2 = e0 + 2 * kEntryBytes;
          __m256i acc0 = gq.bias0, acc1 = gq.bias1;
          acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(r0 + e0), wt[0][0]));
          acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(r0 + e0 + 32), wt[0][1]));
          acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(r0 + e2), wt[0][2]));
          acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(r0 + e2 + 32), wt[0][3]));
          acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(r1 + e0), wt[1][0]));
          acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(r1 + e0 + 32), wt[1][1]));
          acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(r1 + e2), wt[1][2]));
          acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(r1 + e2 + 32), wt[1][3]));
          acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(r2 + e0), wt[2][0]));
          acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(r2 + e0 + 32), wt[2][1]));
          acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(r2 + e2), wt[2][2]));
          acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(r2 + e2 + 32), wt[2][3]));
          gq.Store(acc0, acc1, out_q, o, lanes);
        }
      }
    }
  }
}

namespace {

// The generic kernel's per-group view of the input: X[px][o0 + l] =
// x[px][(o0 + l) / dm] + input_offset for l < lanes (lanes beyond repeat the
// last valid channel's input).
struct GroupGather {
  const int8_t* in_end;  // end of the input tensor
  int32_t ic0;           // first input channel of the group
  __m128i idx;           // byte l: (o0 + l) / dm - ic0
  int32_t span;          // input channels the group reads
};

MOTE_AVX2_INLINE __m256i GatherColumn(const int8_t* row, const Shape& s, const GroupGather& g,
                                      int32_t pad_w, int32_t px, __m256i off) {
  const int32_t ix = px - pad_w;
  if (row == nullptr || ix < 0 || ix >= s.in_w) return _mm256_setzero_si256();
  const int8_t* p = row + static_cast<size_t>(ix) * s.in_c + g.ic0;
  __m128i v;
  if (p + 16 <= g.in_end) {
    v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  } else {
    int8_t tmp[16] = {};
    memcpy(tmp, p, static_cast<size_t>(g.span));
    v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(tmp));
  }
  return _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_shuffle_epi8(v, g.idx)), off);
}

MOTE_AVX2 void FillRowGeneric(int8_t* dst, int32_t wp, const int8_t* in, const Shape& s,
                              const ConvWindow& w, const GroupGather& g, int32_t b, int32_t yp,
                              __m256i off) {
  const int32_t y = yp - w.pad_h;
  if (y < 0 || y >= s.in_h) {
    memset(dst, 0, static_cast<size_t>(wp) * kEntryBytes);
    return;
  }
  const int8_t* row = in + ((static_cast<size_t>(b) * s.in_h + y) * s.in_w) * s.in_c;
  const int32_t dw = w.dilation_w;
  for (int32_t px = 0; px < wp; ++px) {
    const __m256i a = GatherColumn(row, s, g, w.pad_w, px, off);
    const __m256i c = px + dw < wp ? GatherColumn(row, s, g, w.pad_w, px + dw, off)
                                   : _mm256_setzero_si256();
    __m256i* e = reinterpret_cast<__m256i*>(dst + static_cast<size_t>(px) * kEntryBytes);
    _mm256_storeu_si256(e, _mm256_unpacklo_epi16(a, c));
    _mm256_storeu_si256(e + 1, _mm256_unpackhi_epi16(a, c));
  }
}

}  // namespace

MOTE_AVX2 void EvalS8Avx2Generic(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, q);
  const int32_t* bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;
  const int32_t wp = RingWidth(w, s.filter_w);
  const int32_t slots = RingSlots(w, s.filter_h);
  const size_t row_bytes = static_cast<size_t>(wp) * kEntryBytes;
  int8_t* ring = reinterpret_cast<int8_t*>(node.scratch);
  __m256i* wt = reinterpret_cast<__m256i*>(ring + static_cast<size_t>(slots) * row_bytes);
  const int32_t pairs = (s.filter_w + 1) / 2;
  const __m256i off = _mm256_set1_epi16(static_cast<int16_t>(q.input_offset));
  const __m256i zero = _mm256_setzero_si256();
  const OutQuant out_q(q, s.out_c);
  const int32_t dm = s.dm;
  GroupGather g;
  g.in_end = in + static_cast<size_t>(s.batches) * s.in_h * s.in_w * s.in_c;

  for (int32_t o0 = 0; o0 < s.out_c; o0 += kGroup) {
    const int32_t lanes = s.out_c - o0 < kGroup ? s.out_c - o0 : kGroup;
    g.ic0 = o0 / dm;
    g.span = (o0 + lanes - 1) / dm - g.ic0 + 1;
    alignas(16) int8_t idx[kGroup];
    for (int32_t l = 0; l < kGroup; ++l) {
      idx[l] = static_cast<int8_t>((o0 + (l < lanes ? l : lanes - 1)) / dm - g.ic0);
    }
    g.idx = _mm_load_si128(reinterpret_cast<const __m128i*>(idx));
    // Weights: row ky, pair j: (w[ky][2j], w[ky][2j + 1] or 0), two halves.
    for (int32_t ky = 0; ky < s.filter_h; ++ky) {
      for (int32_t j = 0; j < pairs; ++j) {
        const int32_t kx = 2 * j;
        const int8_t* f = flt + (static_cast<size_t>(ky) * s.filter_w + kx) * s.out_c + o0;
        const __m256i a = Load16(f, lanes);
        const __m256i c = kx + 1 < s.filter_w ? Load16(f + s.out_c, lanes) : zero;
        __m256i* d = wt + 2 * (static_cast<size_t>(ky) * pairs + j);
        _mm256_storeu_si256(d, _mm256_unpacklo_epi16(a, c));
        _mm256_storeu_si256(d + 1, _mm256_unpackhi_epi16(a, c));
      }
    }
    const GroupRequant gq(q, bias, o0, lanes);

    for (int32_t b = 0; b < s.batches; ++b) {
      int32_t filled = 0;
      for (int32_t oy = 0; oy < w.out_h; ++oy) {
        const int32_t lo = oy * w.stride_h;
        const int32_t hi = lo + (s.filter_h - 1) * w.dilation_h;
        for (int32_t yp = filled > lo ? filled : lo; yp <= hi; ++yp) {
          FillRowGeneric(ring + static_cast<size_t>(yp % slots) * row_bytes, wp, in, s, w, g, b,
                         yp, off);
        }
        filled = hi + 1;
        int8_t* o = out + (static_cast<size_t>(b) * w.out_h + oy) * w.out_w * s.out_c + o0;
        for (int32_t ox = 0; ox < w.out_w; ++ox, o += s.out_c) {
          __m256i acc0 = gq.bias0, acc1 = gq.bias1;
          const size_t x0 = static_cast<size_t>(ox) * w.stride_w;
          for (int32_t ky = 0; ky < s.filter_h; ++ky) {
            const int8_t* row =
                ring + static_cast<size_t>((lo + ky * w.dilation_h) % slots) * row_bytes;
            const __m256i* wk = wt + 2 * static_cast<size_t>(ky) * pairs;
            for (int32_t j = 0; j < pairs; ++j) {
              const int8_t* e =
                  row + (x0 + static_cast<size_t>(2 * j) * w.dilation_w) * kEntryBytes;
              const __m256i w0 = _mm256_loadu_si256(wk + 2 * j);
              const __m256i w1 = _mm256_loadu_si256(wk + 2 * j + 1);
              acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(Ld(e), w0));
              acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(Ld(e + 32), w1));
            }
          }
          gq.Store(acc0, acc1, out_q, o, lanes);
        }
      }
    }
  }
}

}  // namespace dw_opt
}  // namespace ops
}  // namespace mote

#endif  // x86
