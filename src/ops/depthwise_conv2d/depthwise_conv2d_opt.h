// DEPTHWISE_CONV_2D int8 optimized kernels: what they share (internal to the op).
//
// Every optimized int8 variant restructures the reference arithmetic in the
// same ways; each is exact for every input the variant's predicate admits.
//
// 1. Folded input offset. The reference computes, in int32 with wrap-around,
//      acc = sum over in-bounds taps k of w[k] * (x[k] + input_offset) + bias
//    Each invoke computes, per output channel oc (into the node's scratch,
//    see EvalScope: 4 bytes per channel that need not live in the arena),
//      bias_eff[oc] = bias[oc] + input_offset * sum over ALL taps of w[k, oc]   (wrapping)
//    and the kernels compute acc = bias_eff + sum over all taps of w * x'
//    where x' is the raw input value for an in-bounds tap and the input zero
//    point (-input_offset) for a tap in the padding: such a tap contributes
//    w * (-input_offset), which cancels its share of the folded term exactly.
//    int32 wrapping addition is addition modulo 2^32 (a ring), so both sums
//    are the same int32 whatever wraps on the way. The padding is
//    materialized, never tested per tap: the kernels read their input rows
//    from a small ring of padded rows (Ring below) whose padding columns and
//    rows hold the input zero point.
//
// 2. The ring. An output row oy reads padded input rows
//    oy * stride_h + ky * dilation_h (ky < KH; padded row = input row + pad_h),
//    i.e. R = (KH - 1) * dilation_h + 1 consecutive padded rows. The ring
//    holds R slots; padded row yp lives in slot yp % R, is filled once (input
//    row or zero-point row, with pad_w zero-point pixels on the left and as
//    many as the window needs on the right) and stays until overwritten. A
//    slot holds `group` channels per pixel (the kernels walk channel groups
//    in their outer loop, so one group's ring is small: R x Wp x group
//    bytes of scratch; Wp = padded width the window reads).
//
// 3. Requantization. The portable kernels call the reference functions
//    (quant::MultiplyByQuantizedMultiplier). The DSP and MVE kernels use
//    cheaper forms, exact under conditions their predicates check
//    (RequantOk below): every channel has shift in [-31, -1] (a multiplier
//    below 0.5, as every real model's depthwise layer) and multiplier >= 0,
//    and its accumulators are bounded: |acc| <= A = |bias| + KH * KW * 128 *
//    255 < 2^30. With e = -shift >= 1:
//    (a) SaturatingRoundingDoublingHighMul(acc, q) never saturates (q >= 0)
//        and its nudge-then-truncate equals floor((acc*q + 2^30) / 2^31) for
//        both signs (for acc*q < 0: trunc((m + 1 - 2^31) / 2^31) with
//        m = acc*q + 2^30 equals floor(m / 2^31)). That is exactly
//        SMMULR(2*acc, q) = floor((2*acc*q + 2^31) / 2^32) when 2*acc fits
//        in int32 (|acc| < 2^30), and exactly MVE's VQRDMULH(acc, q).
//        Its result y has |y| <= |acc| < 2^30.
//    (b) RoundingDivideByPOT(y, e) = floor((y + 2^(e-1) - [y < 0]) / 2^e)
//        (remainder > threshold with threshold = 2^(e-1) - 1 + [y < 0]);
//        [y < 0] = -(y >> 31). Adding the output offset o inside the floor
//        as o * 2^e is exact: floor((n + o*2^e) / 2^e) = floor(n / 2^e) + o.
//        The DSP form adds y + (y >> 31) + (2^(e-1) + o * 2^e) in int32:
//        its predicate also needs A + 1 + 2^(e-1) + |o| * 2^e < 2^31.
//        MVE's VRSHL by -e computes floor((v + 2^(e-1)) / 2^e) without
//        overflow, applied to v = y + (y >> 31) (|v| <= 2^30), then adds o.
//    depthwise_conv2d_opt_test.cc checks both forms (emulated in C++)
//    against the reference functions on edge and random values.
#ifndef MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_OPT_H_
#define MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_OPT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/depthwise_conv2d/depthwise_conv2d.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {
namespace dw_opt {

// The most taps a kernel takes: KH * KW * 2^14 < 2^31 keeps the portable
// kernels' int32 partial sums of w * x exact (|w * x| <= 2^14).
constexpr int32_t kMaxTaps = 131071;
// Largest ring (scratch) the optimized kernels request.
constexpr size_t kMaxRingBytes = 32 * 1024;
// Largest padded width, window height, output height, stride and channel
// count the optimized kernels take (ShapeBounded).
constexpr int64_t kMaxExtent = 1 << 14;

// Shapes every optimized kernel reads (from the tensors; prepare validated them).
struct Shape {
  MOTE_CONV_SHAPE_FIELDS;
  int32_t dm;  // depth multiplier: out_c / in_c
};

inline Shape GetShape(const Tensor& input, const Tensor& filter, const Tensor& output) {
  Shape s;
  FillConvShape(&s, input, filter, output);
  s.dm = s.out_c / s.in_c;
  return s;
}

// Ring of padded input rows for one channel group (see the top of the file).
struct Ring {
  int8_t* data;       // slots * row_bytes
  int32_t slots;      // R
  int32_t wp;         // padded pixels per row
  int32_t group;      // channels (bytes) per pixel in the ring
  int32_t row_bytes;  // wp * group, rounded up to 4
  int32_t filled;     // padded rows [0, filled) have been placed

  int8_t* slot(int32_t yp) { return data + static_cast<size_t>(yp % slots) * row_bytes; }
};

// Ring geometry of a window (slots and padded width).
inline int32_t RingSlots(const ConvWindow& w, int32_t filter_h) {
  return (filter_h - 1) * w.dilation_h + 1;
}
inline int32_t RingWidth(const ConvWindow& w, int32_t filter_w) {
  return (w.out_w - 1) * w.stride_w + (filter_w - 1) * w.dilation_w + 1;
}
inline int32_t RingRowBytes(int32_t wp, int32_t group) { return (wp * group + 3) & ~3; }
inline size_t RingBytes(const ConvWindow& w, int32_t filter_h, int32_t filter_w, int32_t group) {
  return static_cast<size_t>(RingSlots(w, filter_h)) *
         static_cast<size_t>(RingRowBytes(RingWidth(w, filter_w), group));
}

// Fills padded row yp of channels [c0, c0 + lanes) of batch b's input into
// its slot; lanes beyond `lanes` (up to ring.group) get the zero point.
void FillRingRow(Ring& ring, const int8_t* in, const Shape& s, const ConvWindow& w, int32_t b,
                 int32_t yp, int32_t c0, int32_t lanes, int8_t zp);

// Places every padded row output row oy needs that is not there yet.
inline void AdvanceRing(Ring& ring, const int8_t* in, const Shape& s, const ConvWindow& w,
                        int32_t b, int32_t oy, int32_t c0, int32_t lanes, int8_t zp) {
  const int32_t lo = oy * w.stride_h;
  const int32_t hi = lo + (s.filter_h - 1) * w.dilation_h;
  for (int32_t yp = ring.filled > lo ? ring.filled : lo; yp <= hi; ++yp) {
    FillRingRow(ring, in, s, w, b, yp, c0, lanes, zp);
  }
  ring.filled = hi + 1;
}

// The cin1 kernels' contiguous window of `rows` padded rows of `row_bytes`
// each, holding padded rows oy * stride_h + i for output row oy: moves the
// rows the next output row shares up and returns how many (the caller fills
// rows [keep, rows)).
inline int32_t SlideWindow(void* win, int32_t oy, int32_t rows, int32_t stride_h,
                           size_t row_bytes) {
  const int32_t keep = oy == 0 ? 0 : (rows > stride_h ? rows - stride_h : 0);
  if (keep > 0) {
    uint8_t* w = static_cast<uint8_t*>(win);
    memmove(w, w + static_cast<size_t>(stride_h) * row_bytes,
            static_cast<size_t>(keep) * row_bytes);
  }
  return keep;
}

// In a function templated on the stride S (1 or 2) and kClamp: the one
// statement LOOP(arg, clamp) for them, arg = S1 or S2, clamp = CLAMP (the
// activation clamp's code) or "" (no clamp beyond int8). The DSP and MVE
// files pick their assembly loops with it.
#define MOTE_DW_FOR_STRIDE_CLAMP(LOOP, S1, S2, CLAMP) \
  if (S == 1 && !kClamp) LOOP(S1, "");                 \
  if (S == 1 && kClamp) LOOP(S1, CLAMP);               \
  if (S == 2 && !kClamp) LOOP(S2, "");                 \
  if (S == 2 && kClamp) LOOP(S2, CLAMP)

// The DSP form's rounding constant 2^(e-1) + o * 2^e (RequantOk(dsp) keeps
// it within int32).
inline int32_t DspRoundConst(int32_t e, int32_t output_offset) {
  return static_cast<int32_t>((INT64_C(1) << (e - 1)) + output_offset * (INT64_C(1) << e));
}

// True when every channel's requantization fits the MVE form (see (3)
// above), and with `dsp` the DSP form too.
bool RequantOk(const DepthwiseConv2DParams& p, PrepareContext& ctx, bool dsp);

// Conditions every optimized int8 kernel needs: int8 constant filter (and
// bias), taps <= kMaxTaps, ShapeBounded.
bool AppliesS8(const DepthwiseConv2DParams& p, PrepareContext& ctx);
bool ShapeBounded(const ConvWindow& w, int32_t filter_w, int32_t filter_h, int32_t out_c);
// 3x3, dilation 1, depth multiplier 1 (stride any).
bool Is3x3M1(const DepthwiseConv2DParams& p, PrepareContext& ctx);
// 3x3, dilation 1, one input channel, depth multiplier a multiple of 4.
bool Is3x3Cin1(const DepthwiseConv2DParams& p, PrepareContext& ctx);
// No filter value is -128 (weights in [-127, 127], as TFLite's quantizer
// makes them): two products w * x then sum within int16.
bool NoMinWeight(PrepareContext& ctx);

// Fills bias_eff[out_c] (see (1) above).
void ComputeBiasEff(const Tensor& filter, const Tensor* bias, int32_t input_offset,
                    int32_t* bias_eff);

// bias_eff lives at the start of every optimized kernel's scratch (it is
// recomputed each invoke rather than kept in the persistent arena: a few
// instructions per channel against 4 bytes of RAM per channel for the whole
// model's life); the kernel's own scratch follows.
inline size_t BiasEffBytes(int32_t out_c) {
  return (static_cast<size_t>(out_c) * 4 + 15) & ~static_cast<size_t>(15);
}
// What a kernel runs on: copies of the node and params whose bias_eff and
// scratch point into the node's scratch, bias_eff computed.
struct EvalScope {
  DepthwiseConv2DParams params;
  Node node;
  EvalScope(const Node& n, Tensor* tensors);
};

// Portable C++ (depthwise_conv2d_opt.cc).
bool AppliesOpt3x3(const DepthwiseConv2DParams& p, PrepareContext& ctx);
bool AppliesOptGeneric(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8Opt3x3(const Node& node, Tensor* tensors);
void EvalS8OptGeneric(const Node& node, Tensor* tensors);
constexpr int32_t kOptGroup = 8;  // input channels per ring group (portable)

#if defined(__x86_64__) || defined(__i386__)
// x86 AVX2 (depthwise_conv2d_x86.cc; chosen at run time when the CPU has
// AVX2). Their scratch is their own (no bias_eff: they add the input offset
// to the activations, see the file).
bool AppliesAvx23x3(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8Avx23x3(const Node& node, Tensor* tensors);
size_t ScratchAvx23x3(const ConvWindow& w, const Shape& s);
bool AppliesAvx2Generic(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8Avx2Generic(const Node& node, Tensor* tensors);
size_t ScratchAvx2Generic(const ConvWindow& w, const Shape& s);
#endif

#if defined(__ARM_FEATURE_DSP)
// Cortex-M DSP (depthwise_conv2d_dsp.cc).
bool AppliesDsp3x3(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8Dsp3x3(const Node& node, Tensor* tensors);
size_t ScratchDsp3x3(const ConvWindow& w, const Shape& s);
bool AppliesDspCin1(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8DspCin1(const Node& node, Tensor* tensors);
size_t ScratchDspCin1(const ConvWindow& w, const Shape& s);
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
// Cortex-M MVE / Helium (depthwise_conv2d_mve.cc).
bool AppliesMve3x3(const DepthwiseConv2DParams& p, PrepareContext& ctx);
bool AppliesMve3x3Cin1(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8Mve3x3(const Node& node, Tensor* tensors);
void EvalS8Mve3x3Cin1(const Node& node, Tensor* tensors);
size_t ScratchMve3x3(const ConvWindow& w, int32_t in_c);
size_t ScratchMve3x3Cin1(const ConvWindow& w);
bool AppliesMveCin1(const DepthwiseConv2DParams& p, PrepareContext& ctx);
void EvalS8MveCin1(const Node& node, Tensor* tensors);
size_t ScratchMveCin1(const ConvWindow& w, const Shape& s);
#endif

// How a kernel may write its output over its input (ops/streaming.h):
// kRaster      output pixels in raster order, all channels of a pixel at a
//              time (the reference): StreamingGap(shape, 1);
// kRingRows    ring kernels: channel groups outermost, input rows copied in
//              order before the output row that needs them (s8_opt_*,
//              s8_mve_3x3, s8_dsp_3x3 walking rows): RingStreamingGap;
// kRingColumns the same walking columns (s8_dsp_3x3 on a tall narrow
//              output): ColumnStreamingGap;
// kRowsFirst   output rows in raster order, all channels of a row after
//              reading what it needs (s8_dsp_cin1, s8_mve_cin1):
//              StreamingGap(shape, out_w, reads_first).
enum class Stream : uint8_t { kNone, kRaster, kRingRows, kRingColumns, kRowsFirst };

// What prepare needs of an int8 variant besides its kernel
// (depthwise_conv2d_variants.cc defines one per variant).
struct VariantInfo {
  size_t (*scratch)(const ConvWindow& w, const Shape& s);  // null: none
  Stream (*stream)(const ConvWindow& w, const Shape& s);
};

#if defined(__ARM_FEATURE_DSP) && !(defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1))
bool Dsp3x3WalksRows(const ConvWindow& w, const Shape& s);
#endif
int32_t OptGroup(int32_t in_c);  // input channels per ring group of s8_opt_*

}  // namespace dw_opt
}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_OPT_H_
