// CONV_2D int8 optimized kernels: what they share (internal to the op).
//
// Every optimized int8 variant keeps the reference's accumulator and
// changes how it is computed and requantized; both are exact, for every
// input the kernel can see.
//
// 1. The accumulator. The reference computes, in int32 with wrap-around,
//      acc = bias + sum_k w[k] * (x[k] + input_offset)
//    (each product exact: |w * (x + off)| <= 128 * 255). Wrapping int32
//    addition is addition modulo 2^32, a ring, so any order or grouping of
//    the same terms gives the same int32, whatever overflows on the way.
//    - portable and DSP: the same products (x + input_offset fits int16, so
//      the DSP kernels add the offset while widening the activations to
//      int16, once per activation, and SMLAD wraps modulo 2^32);
//    - MVE: acc = bias + input_offset * sum_k w[k] + sum_k w[k] * x[k], the
//      sums taken with VMLADAVA / VADDVA on raw int8 (both wrap), which is
//      the same sum modulo 2^32, hence the same int32.
//    A tap in the padding (which the reference skips) is fed to the kernels
//    as the input zero point -input_offset, whose term w * 0 (or
//    w * (-input_offset) + input_offset * w) is exactly 0.
//    No per-channel precomputation is stored: the persistent arena holds
//    only the reference's multipliers and shifts.
//
// 2. One rounding instead of two (RequantizeS8 below, and its DSP / MVE
//    forms). TFLite's MultiplyByQuantizedMultiplier(a, b, shift) with
//    shift = -e <= -1 (a multiplier below 0.5, i.e. every real model's
//    conv) and b >= 0 is
//      y = SaturatingRoundingDoublingHighMul(a, b), r = RoundingDivideByPOT(y, e).
//    (i)  SRDHM never saturates for b >= 0 (that needs a = b = INT32_MIN); its
//         nudge-then-truncate equals y = floor((a*b + 2^30) / 2^31) for both
//         signs of a*b (for a*b < 0: trunc((m + 1 - 2^31) / 2^31) with
//         m = a*b + 2^30 is ceil((m + 1) / 2^31) - 1 = floor(m / 2^31)).
//    (ii) RoundingDivideByPOT(y, e) = floor((y + 2^(e-1) - s) / 2^e) with
//         s = [y < 0] (remainder > threshold, threshold = 2^(e-1) - 1 + s).
//    (iii) floor((floor(m / 2^31) + c) / 2^e) = floor((m + c*2^31) / 2^(31+e))
//         for integer c, so
//           r = floor((a*b + 2^30 + 2^(30+e) - s*2^31) / 2^(31+e)),
//         and adding the output offset o inside is exact too:
//           r + o = floor((a*b + 2^30 + 2^(30+e) + o*2^(31+e) - s*2^31) / 2^(31+e)).
//    (iv) s = [y < 0] = [a*b + 2^30 < 0]. The DSP form uses s' = [a < 0]
//         instead; they differ only when a < 0 and a*b >= -2^30, i.e. b = 0
//         or (a = -1, b = 2^30). Then a*b + 2^30 is 0 or 2^30 and with either
//         s the numerator lies in [0, 2^(31+e)) for e >= 1: r = 0 both ways.
//    |r| < 2^30 for e >= 1, so r + o never wraps (the reference's
//    WrappingAdd does not wrap either). Channels with shift >= 0 use the
//    reference functions (quant::MultiplyByQuantizedMultiplier) unchanged.
//    conv2d_opt_test.cc checks RequantizeS8 against the reference functions
//    on edge values and random ones.
#ifndef MOTE_OPS_CONV2D_CONV2D_OPT_H_
#define MOTE_OPS_CONV2D_CONV2D_OPT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/conv2d/conv2d.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {
namespace conv_opt {

// Largest dot-product length (KH * KW * C_in) the optimized kernels take:
// 2 * K * 128 * 255 < 2^31, so that any sum of K products w * (x + offset),
// even doubled, is exact in int32 (the bias is added separately, wrapping).
constexpr int32_t kMaxDepth = 32767;

// Shapes every optimized int8 kernel reads (from the tensors; prepare
// validated them).
struct Shape {
  MOTE_CONV_SHAPE_FIELDS;
  int32_t depth;  // filter_h * filter_w * in_c: one output's dot product
};

inline Shape GetShape(const Tensor& input, const Tensor& filter, const Tensor& output) {
  Shape s;
  FillConvShape(&s, input, filter, output);
  s.depth = s.filter_h * s.filter_w * s.in_c;
  return s;
}

// MultiplyByQuantizedMultiplier(acc, multiplier, shift) + output_offset,
// clamped to [act_min, act_max]: bit-identical to the reference's
// requantization (see the top of this file), in one 64-bit rounding when
// shift <= -1 and multiplier >= 0.
inline int32_t RequantizeS8(int32_t acc, int32_t multiplier, int32_t shift, const ConvQuant& q) {
  int32_t r;
  if (shift <= -1 && multiplier >= 0) {
    const int e = -shift;
    const int64_t m = static_cast<int64_t>(acc) * multiplier + (INT64_C(1) << 30);
    const int64_t num = m + (INT64_C(1) << (30 + e)) - (m < 0 ? (INT64_C(1) << 31) : 0);
    r = static_cast<int32_t>(num >> (31 + e)) + q.output_offset;  // |.| < 2^30 + 128
  } else {
    r = WrappingAdd(quant::MultiplyByQuantizedMultiplier(acc, multiplier, shift),
                    q.output_offset);
  }
  return quant::Clamp(r, q.act_min, q.act_max);
}

// The DSP and MVE kernels' MakeGeometry: given max_pixels (a local, what
// a tile's bytes allow), sets g.tile_pixels for g.pixels output pixels: at
// most kTilePixels, a multiple of kPixels (a power of 2) and at least
// kPixels; one tile when a second would be small (up to a quarter more
// bytes), else balanced tiles. (A macro over the caller's g, max_pixels,
// kPixels and kTilePixels: as an inline function GCC compiles it into a
// longer path.)
#define MOTE_CONV_TILE_PIXELS(g, max_pixels)                                              \
  if (max_pixels > kTilePixels) max_pixels = kTilePixels;                                 \
  max_pixels &= ~(kPixels - 1);                                                           \
  if (max_pixels < kPixels) max_pixels = kPixels;                                         \
  if (g.pixels <= max_pixels + max_pixels / 4) {                                          \
    max_pixels = (g.pixels + kPixels - 1) & ~(kPixels - 1);                               \
  }                                                                                       \
  const int32_t tiles = (g.pixels + max_pixels - 1) / max_pixels;                         \
  const int32_t per_tile = (g.pixels + tiles - 1) / tiles; /* balanced tiles */           \
  g.tile_pixels = (per_tile + kPixels - 1) & ~(kPixels - 1)

// In a function templated on the pixel count P (1 to 4): EXPAND(4) when
// P == 4, else EXPAND(3), ... (if constexpr: only that one is compiled). The
// ISA files pick their P-pixel assembly with it.
#define MOTE_CONV_FOR_P(EXPAND) \
  if constexpr (P == 4) {       \
    EXPAND(4);                  \
  } else if constexpr (P == 3) { \
    EXPAND(3);                  \
  } else if constexpr (P == 2) { \
    EXPAND(2);                  \
  } else {                      \
    EXPAND(1);                  \
  }

// Small copies and fills for im2col (4 bytes at a time: unaligned word
// access is fine on the Cortex-M cores and x86). Kept as loops: a call to
// memcpy / memset costs more than these few bytes.
#if defined(__GNUC__) && !defined(__clang__)
#define MOTE_CONV_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define MOTE_CONV_NO_LIBCALLS
#endif
MOTE_CONV_NO_LIBCALLS inline void CopyBytes(int8_t* dst, const int8_t* src, size_t n) {
  for (; n >= 4; n -= 4, src += 4, dst += 4) {
    uint32_t w;
    memcpy(&w, src, 4);
    memcpy(dst, &w, 4);
  }
  for (; n > 0; --n) *dst++ = *src++;
}
MOTE_CONV_NO_LIBCALLS inline void FillBytes(int8_t* dst, int8_t v, size_t n) {
  const uint32_t w = static_cast<uint8_t>(v) * 0x01010101u;
  for (; n >= 4; n -= 4, dst += 4) memcpy(dst, &w, 4);
  for (; n > 0; --n) *dst++ = v;
}

// Writes one output pixel's receptive field (filter_h x filter_w x in_c, the
// filter's layout) to `dst`; taps outside the input get the input zero
// point. Copy and Fill are CopyBytes / FillBytes or an ISA's own.
template <void (*Copy)(int8_t*, const int8_t*, size_t), void (*Fill)(int8_t*, int8_t, size_t)>
inline void Im2ColPixelWith(const Conv2DParams& p, const Shape& s, const int8_t* in, int32_t b,
                            int32_t oy, int32_t ox, int8_t* dst) {
  const ConvWindow& w = p.window;
  const int8_t zero = static_cast<int8_t>(-p.quant.input_offset);
  const int32_t y0 = oy * w.stride_h - w.pad_h;
  const int32_t x0 = ox * w.stride_w - w.pad_w;
  const size_t row = static_cast<size_t>(s.in_c);
  const size_t span = row * static_cast<size_t>(s.filter_w);
  // Every tap of a filter row inside the input and contiguous: one copy.
  const bool row_inside = w.dilation_w == 1 && x0 >= 0 && x0 + s.filter_w <= s.in_w;
  const size_t line_bytes = static_cast<size_t>(s.in_w) * row;
  if (row_inside && y0 >= 0 && y0 + (s.filter_h - 1) * w.dilation_h < s.in_h) {
    // The whole window inside: filter_h copies.
    const int8_t* src = in + ((static_cast<size_t>(b) * s.in_h + y0) * s.in_w + x0) * row;
    const size_t step = static_cast<size_t>(w.dilation_h) * line_bytes;
    for (int32_t ky = 0; ky < s.filter_h; ++ky, dst += span, src += step) Copy(dst, src, span);
    return;
  }
  for (int32_t ky = 0; ky < s.filter_h; ++ky, dst += span) {
    const int32_t y = y0 + ky * w.dilation_h;
    if (y < 0 || y >= s.in_h) {
      Fill(dst, zero, span);
      continue;
    }
    const int8_t* line = in + (static_cast<size_t>(b) * s.in_h + y) * line_bytes;
    if (row_inside) {
      Copy(dst, line + static_cast<size_t>(x0) * row, span);
      continue;
    }
    for (int32_t kx = 0; kx < s.filter_w; ++kx) {
      const int32_t x = x0 + kx * w.dilation_w;
      if (x >= 0 && x < s.in_w) {
        Copy(dst + kx * row, line + static_cast<size_t>(x) * row, row);
      } else {
        Fill(dst + kx * row, zero, row);
      }
    }
  }
}

inline void Im2ColPixel(const Conv2DParams& p, const Shape& s, const int8_t* in, int32_t b,
                        int32_t oy, int32_t ox, int8_t* dst) {
  Im2ColPixelWith<CopyBytes, FillBytes>(p, s, in, b, oy, ox, dst);
}

// True when every output pixel reads exactly one input pixel, the one at the
// same position (1x1 filter, stride 1, no padding): the convolution is a
// matrix product over contiguous rows of C_in bytes.
bool IsPointwise(const Conv2DParams& p, PrepareContext& ctx);

// The conditions every optimized int8 kernel needs: int8 filter, no groups,
// depth <= kMaxDepth. (The kernels' requantization also assumes multipliers
// >= 0: the model reader accepts only finite scales > 0, so every
// QuantizeMultiplier'd effective scale is >= 0.)
bool AppliesS8(const Conv2DParams& p, PrepareContext& ctx);
inline bool AppliesS8Pointwise(const Conv2DParams& p, PrepareContext& ctx) {
  return AppliesS8(p, ctx) && IsPointwise(p, ctx);
}

// max over output channels c of 255 * sum_k |w[c, k]| (255 * 128 * depth
// when the filter is not a constant): no dot product
// sum_k w[c, k] * (x[k] + input_offset) exceeds it in magnitude, whatever the
// input (|x + input_offset| <= 255). Below 2^30 (depth <= kMaxDepth). A
// channel whose |bias| < 2^30 - DotBound has an accumulator below 2^30 in
// magnitude: twice it still fits int32 (conv2d_dsp.cc uses that).
int32_t DotBound(const Tensor& filter);

// Portable C++ (no intrinsics): 4 output channels x 2 pixels per block.
void EvalS8Opt1x1(const Node& node, Tensor* tensors);
void EvalS8OptGeneric(const Node& node, Tensor* tensors);
size_t ScratchS8OptGeneric(const Shape& s);

#if defined(__x86_64__) || defined(__i386__)
// x86 AVX2 (conv2d_x86.cc; chosen at run time when the CPU has AVX2; same
// predicates as the portable pair).
void EvalS8Avx21x1(const Node& node, Tensor* tensors);
void EvalS8Avx2Generic(const Node& node, Tensor* tensors);
size_t ScratchS8Avx2(const Shape& s, bool generic);
#endif

#if defined(__ARM_FEATURE_DSP)
// Cortex-M DSP (conv2d_dsp.cc).
void EvalS8Dsp1x1(const Node& node, Tensor* tensors);
void EvalS8DspGeneric(const Node& node, Tensor* tensors);
size_t ScratchS8Dsp(const Shape& s, bool generic);
// Output pixels per tile: the DSP kernels widen a tile's inputs into
// scratch, then write the tile's outputs (every channel), tile after tile
// in raster order (the streaming-overlap block, ops/streaming.h).
int32_t TilePixelsS8Dsp(const Shape& s);
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
// Cortex-M MVE / Helium (conv2d_mve.cc).
void EvalS8Mve1x1(const Node& node, Tensor* tensors);
void EvalS8MveGeneric(const Node& node, Tensor* tensors);
size_t ScratchS8Mve1x1(const Shape& s);
size_t ScratchS8MveGeneric(const Shape& s);
// Output pixels per tile, as TilePixelsS8Dsp (copied to scratch, then written).
int32_t TilePixelsS8Mve(const Shape& s);
#endif

}  // namespace conv_opt
}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_CONV2D_CONV2D_OPT_H_
