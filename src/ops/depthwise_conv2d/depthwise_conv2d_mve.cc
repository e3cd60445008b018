// DEPTHWISE_CONV_2D int8, Cortex-M MVE (Helium, integer): compiled only when
// __ARM_FEATURE_MVE has its integer bit; chosen ahead of the DSP and portable
// variants there. The pixel loops are inline assembly (GCC 12 hoists and
// spills the intrinsics versions).
//
// s8_mve_3x3       3x3 filter, dilation 1, depth multiplier 1, stride_w 1 or 2
//                  (AppliesMve3x3). Channel groups of 16, one vector per
//                  padded pixel: the group's input rows go into a ring of
//                  padded rows (16 bytes per pixel), its weights, biases and
//                  requantization constants into a block, once per group.
//                  Per output pixel and pair of taps: VMULLB/VMULLT.S8 give
//                  the int16 products of the even/odd channels, the two taps'
//                  products are added in int16 (|w * x| <= 127 * 128, so a sum
//                  of two fits: the predicate refuses a filter holding -128,
//                  NoMinWeight), and VMOVLB/VMOVLT widen them into four int32
//                  accumulators holding channels {0,4,8,12}, {1,5,9,13},
//                  {2,6,10,14}, {3,7,11,15}. Requantization is vector
//                  (VQRDMULH, VRSHL, depthwise_conv2d_opt.h (3)); VQMOVNB/T
//                  narrow the four accumulators back to the 16 channels in
//                  order (with int8 saturation), one VSTRB (predicated on a
//                  last group of fewer than 16 channels). A layer of exactly
//                  8 channels at stride 1 puts two neighbouring output pixels
//                  in one vector instead (pair mode).
// s8_mve_3x3_cin1  3x3 filter, dilation 1, one input channel, depth
//                  multiplier a multiple of 8 (AppliesMve3x3Cin1; person
//                  detection's first layer): each input tap, a scalar, feeds 8
//                  output channels through VMLA (vector by scalar) into two
//                  int32 accumulators of channels {0,2,4,6} and {1,3,5,7}.
// s8_mve_cin1      one input channel, depth multiplier a multiple of 4, filter
//                  width <= 16, dilation_w 1 (AppliesMveCin1; micro_speech's
//                  10x8 layer): lanes are the taps of a filter row, VMLADAVA.S8
//                  per output channel and filter row.
// All read the folded input offset (bias_eff) and need RequantOk.
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)

#include <arm_acle.h>
#include <arm_mve.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"

namespace mote {
namespace ops {
namespace dw_opt {
namespace {

bool FullRange(const ConvQuant& q) { return q.act_min <= -128 && q.act_max >= 127; }

// Per 16-channel group. Accumulator k (0..3) holds channels 4i + k in lane i.
struct Block {
  int8_t w[9][16];        // per tap, the 16 channels' weights (0 past the last channel)
  int32_t bias[4][4];     // bias_eff, lane order of the accumulators
  int32_t mult[4][4];     // multiplier
  int32_t nshift[4][4];   // -e (VRSHL by a negative amount shifts right, rounding)
};

size_t BlockBytes() { return (sizeof(Block) + 15) & ~static_cast<size_t>(15); }

// One padded row of the group's ring (16 bytes per padded pixel); src is the
// row's first input pixel at channel c0, null for a row in the padding.
void FillRow(int8_t* d, int32_t wpx, const int8_t* src, int32_t in_w, int32_t pitch,
             int32_t pad_w, int32_t lanes, int8_t zp) {
  const int8x16_t z = vdupq_n_s8(zp);
  if (src == nullptr) {
    for (int32_t xp = 0; xp < wpx; ++xp) vstrbq_s8(d + 16 * xp, z);
    return;
  }
  const int32_t x_lo = pad_w < wpx ? pad_w : wpx;
  int32_t x_hi = pad_w + in_w < wpx ? pad_w + in_w : wpx;
  if (x_hi < x_lo) x_hi = x_lo;
  int32_t xp = 0;
  for (; xp < x_lo; ++xp) vstrbq_s8(d + 16 * xp, z);
  const int8_t* px = src + (xp - pad_w) * pitch;
  if (lanes == 16) {
    for (; xp < x_hi; ++xp, px += pitch) vstrbq_s8(d + 16 * xp, vldrbq_s8(px));
  } else {
    const mve_pred16_t p = vctp8q(static_cast<uint32_t>(lanes));
    for (; xp < x_hi; ++xp, px += pitch) {
      vstrbq_s8(d + 16 * xp, vpselq_s8(vldrbq_z_s8(px, p), z, p));
    }
  }
  for (; xp < wpx; ++xp) vstrbq_s8(d + 16 * xp, z);
}


// The pixel loop, in assembly (GCC reorders and spills the intrinsics
// version): per pixel 4 bias loads, per tap 2 loads, VMULLB/VMULLT.S8 and
// four VMOVL + VADD (12), per accumulator 7 for requantization, 6 to narrow,
// the store and 4 of loop. q0..q3 are the accumulators (channels 4i + k in
// lane i of qk), q4..q7 temporaries. Block offsets: weights 0, bias 144,
// mult 208, nshift 272 (static_asserts below).
// The int16 products in q6 (VMULLB) and q7 (VMULLT), widened and added to
// the accumulators q0..q3 (q4 a temporary).
#define MOTE_DW_MVE_WIDEN_ADD                                      \
  "vmovlb.s16 q4, q6\n\t"                                         \
  "vadd.i32 q0, q0, q4\n\t"                                       \
  "vmovlt.s16 q4, q6\n\t"                                         \
  "vadd.i32 q2, q2, q4\n\t"                                       \
  "vmovlb.s16 q4, q7\n\t"                                         \
  "vadd.i32 q1, q1, q4\n\t"                                       \
  "vmovlt.s16 q4, q7\n\t"                                         \
  "vadd.i32 q3, q3, q4\n\t"
// One tap: LOAD puts the 16 input bytes in q4; times the weights at WOFF
// into the accumulators.
#define MOTE_DW_MVE_MAC(LOAD, WOFF)                                \
  LOAD                                                            \
  "vldrw.u32 q5, [%[blk], #" WOFF "]\n\t"                          \
  "vmullb.s8 q6, q4, q5\n\t"                                      \
  "vmullt.s8 q7, q4, q5\n\t"                                      \
  MOTE_DW_MVE_WIDEN_ADD
#define MOTE_DW_MVE_TAP(R, XOFF, WOFF) \
  MOTE_DW_MVE_MAC("vldrb.u8 q4, [%[" R "], #" XOFF "]\n\t", WOFF)
// kx = 0 last, advancing the row pointer by one output pixel.
#define MOTE_DW_MVE_TAP0(R, STEP, WOFF) \
  MOTE_DW_MVE_MAC("vldrb.u8 q4, [%[" R "]], #" STEP "\n\t", WOFF)
// Requantization of one accumulator (depthwise_conv2d_opt.h (3)): VQRDMULH
// is SaturatingRoundingDoublingHighMul exactly; adding y >> 31 (-1 for
// y < 0) and then VRSHL by -e is RoundingDivideByPOT (e >= 1); + zp.
#define MOTE_DW_MVE_RQ(Q, MOFF, SOFF)                              \
  "vldrw.u32 q4, [%[blk], #" MOFF "]\n\t"                         \
  "vqrdmulh.s32 " Q ", " Q ", q4\n\t"                             \
  "vshr.s32 q4, " Q ", #31\n\t"                                   \
  "vadd.i32 " Q ", " Q ", q4\n\t"                                 \
  "vldrw.u32 q4, [%[blk], #" SOFF "]\n\t"                         \
  "vrshl.s32 " Q ", " Q ", q4\n\t"                                \
  "vadd.i32 " Q ", " Q ", %[zp]\n\t"
// A pair of taps: the second tap's int16 products are added to the first's
// before widening (|w * x| <= 127 * 128: two fit in int16, NoMinWeight).
// VMULLB.S8 may write one of its sources (only the 32-bit form forbids it),
// which leaves no spare register; w is loaded again for VMULLT.
#define MOTE_DW_MVE_PAIR(RA, XA, WA, RB, XB, WB)                    \
  "vldrb.u8 q4, [%[" RA "], #" XA "]\n\t"                         \
  "vldrw.u32 q5, [%[blk], #" WA "]\n\t"                           \
  "vmullb.s8 q6, q4, q5\n\t"                                      \
  "vmullt.s8 q7, q4, q5\n\t"                                      \
  "vldrb.u8 q4, [%[" RB "], #" XB "]\n\t"                         \
  "vldrw.u32 q5, [%[blk], #" WB "]\n\t"                           \
  "vmullb.s8 q5, q4, q5\n\t"                                      \
  "vadd.i16 q6, q6, q5\n\t"                                       \
  "vldrw.u32 q5, [%[blk], #" WB "]\n\t"                           \
  "vmullt.s8 q4, q4, q5\n\t"                                      \
  "vadd.i16 q7, q7, q4\n\t"                                       \
  MOTE_DW_MVE_WIDEN_ADD
// Taps (ky, 1) and (ky, 2) pair up in each row, (0, 0) with (1, 0); (2, 0)
// comes alone, last, and advances r2 (r0, r1 advance by ADD).
#define MOTE_DW_MVE_BODY(X1, X2, STEP, CLAMP, STORE)               \
  "1:\n\t"                                                        \
  "vldrw.u32 q0, [%[blk], #144]\n\t"                              \
  "vldrw.u32 q1, [%[blk], #160]\n\t"                              \
  "vldrw.u32 q2, [%[blk], #176]\n\t"                              \
  "vldrw.u32 q3, [%[blk], #192]\n\t"                              \
  MOTE_DW_MVE_PAIR("r0", X1, "16", "r0", X2, "32")                 \
  MOTE_DW_MVE_PAIR("r1", X1, "64", "r1", X2, "80")                 \
  MOTE_DW_MVE_PAIR("r2", X1, "112", "r2", X2, "128")               \
  MOTE_DW_MVE_PAIR("r0", "0", "0", "r1", "0", "48")                \
  "add %[r0], %[r0], #" STEP "\n\t"                               \
  "add %[r1], %[r1], #" STEP "\n\t"                               \
  MOTE_DW_MVE_TAP0("r2", STEP, "96")                              \
  MOTE_DW_MVE_RQ("q0", "208", "272") MOTE_DW_MVE_RQ("q1", "224", "288") \
  MOTE_DW_MVE_RQ("q2", "240", "304") MOTE_DW_MVE_RQ("q3", "256", "320") \
  "vqmovnb.s32 q4, q0\n\t"                                        \
  "vqmovnt.s32 q4, q2\n\t"                                        \
  "vqmovnb.s32 q5, q1\n\t"                                        \
  "vqmovnt.s32 q5, q3\n\t"                                        \
  "vqmovnb.s16 q6, q4\n\t"                                        \
  "vqmovnt.s16 q6, q5\n\t" CLAMP STORE                            \
  "add %[out], %[out], %[pitch]\n\t"                              \
  "subs %[n], %[n], #1\n\t"                                       \
  "bne 1b\n\t"
#define MOTE_DW_MVE_CLAMP                                          \
  "vdup.8 q0, %[lo]\n\t"                                          \
  "vdup.8 q1, %[hi]\n\t"                                          \
  "vmax.s8 q6, q6, q0\n\t"                                        \
  "vmin.s8 q6, q6, q1\n\t"
#define MOTE_DW_MVE_STORE "vstrb.8 q6, [%[out]]\n\t"
#define MOTE_DW_MVE_STORE_P                                        \
  "vpst\n\t"                                                      \
  "vstrbt.8 q6, [%[out]]\n\t"
#define MOTE_DW_MVE_ASM(X1, X2, STEP, CLAMP, STORE)                \
  __asm__ volatile(MOTE_DW_MVE_BODY(X1, X2, STEP, CLAMP, STORE)   \
                   : [r0] "+r"(r0), [r1] "+r"(r1), [r2] "+r"(r2), [out] "+r"(out), [n] "+r"(n) \
                   : [blk] "r"(blk), [pitch] "r"(pitch), [zp] "r"(zp), [lo] "r"(lo), [hi] "r"(hi) \
                   : "cc", "memory", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", \
                     "d10", "d11", "d12", "d13", "d14", "d15")

static_assert(offsetof(Block, bias) == 144 && offsetof(Block, mult) == 208 &&
                  offsetof(Block, nshift) == 272,
              "the pixel loop hard-codes the block layout");

// n >= 1 steps of one row of one group; `pred` is the store predicate
// (0xFFFF: all 16 lanes). A step is one output pixel (G = 16: 16 channels,
// the ring holds 16 bytes per padded pixel) or two (G = 8, stride 1: a layer
// of 8 channels; the ring holds the row as it is, 8 bytes per pixel, so one
// 16-byte load is a tap of two neighbouring outputs, and the block holds
// every weight twice).
template <int S, int G, bool kClamp>
__attribute__((noinline)) void Steps(const int8_t* r0, const int8_t* r1, const int8_t* r2, const Block* blk, int8_t* out,
           int32_t pitch, int32_t n, int32_t zp, int32_t lo, int32_t hi, mve_pred16_t pred) {
#define MOTE_DW_MVE_VARIANTS(STORE)                                             \
  if (G == 16 && S == 1 && !kClamp) MOTE_DW_MVE_ASM("16", "32", "16", "", STORE); \
  if (G == 16 && S == 1 && kClamp) MOTE_DW_MVE_ASM("16", "32", "16", MOTE_DW_MVE_CLAMP, STORE); \
  if (G == 16 && S == 2 && !kClamp) MOTE_DW_MVE_ASM("16", "32", "32", "", STORE); \
  if (G == 16 && S == 2 && kClamp) MOTE_DW_MVE_ASM("16", "32", "32", MOTE_DW_MVE_CLAMP, STORE); \
  if (G == 8 && !kClamp) MOTE_DW_MVE_ASM("8", "16", "16", "", STORE);           \
  if (G == 8 && kClamp) MOTE_DW_MVE_ASM("8", "16", "16", MOTE_DW_MVE_CLAMP, STORE);
  if (pred != 0xFFFF) {
    __asm__ volatile("vmsr p0, %0" : : "r"(static_cast<uint32_t>(pred)));
    MOTE_DW_MVE_VARIANTS(MOTE_DW_MVE_STORE_P)
    return;
  }
  MOTE_DW_MVE_VARIANTS(MOTE_DW_MVE_STORE)
#undef MOTE_DW_MVE_VARIANTS
}

// G = 8 needs 8 channels and stride 1 (see Steps).
bool PairMode(const ConvWindow& w, int32_t in_c) { return in_c == 8 && w.stride_w == 1; }
// Ring row bytes: 16 per padded pixel, or 8 (pair mode, plus one pixel that
// the second half of a last odd pair reads), rounded up to 16.
int32_t RowBytes(const ConvWindow& w, int32_t in_c) {
  if (PairMode(w, in_c)) return (8 * (RingWidth(w, 3) + 1) + 15) & ~15;
  return 16 * RingWidth(w, 3);
}

// One padded row of the pair-mode ring: the input row (8 bytes per pixel)
// with zero-point pixels around it.
void FillRow8(int8_t* d, int32_t wpx, const int8_t* src, int32_t in_w, int32_t pad_w,
              int8_t zp) {
  const int32_t bytes = 8 * wpx;
  if (src == nullptr) {
    memset(d, zp, static_cast<size_t>(bytes));
    return;
  }
  const int32_t x_lo = pad_w < wpx ? pad_w : wpx;
  int32_t x_hi = pad_w + in_w < wpx ? pad_w + in_w : wpx;
  if (x_hi < x_lo) x_hi = x_lo;
  memset(d, zp, static_cast<size_t>(8 * x_lo));
  memcpy(d + 8 * x_lo, src + 8 * (x_lo - pad_w), static_cast<size_t>(8 * (x_hi - x_lo)));
  memset(d + 8 * x_hi, zp, static_cast<size_t>(8 * (wpx - x_hi)));
}

template <int S, int G, bool kClamp>
void Run3x3(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, cq);
  const int8_t zp = static_cast<int8_t>(-cq.input_offset);
  Block* block = reinterpret_cast<Block*>(node.scratch);
  int8_t* ring = reinterpret_cast<int8_t*>(node.scratch + BlockBytes());
  const int32_t row_bytes = RowBytes(w, s.in_c);
  const int32_t wpx = RingWidth(w, 3);
  const int32_t pitch = s.out_c;
  const size_t in_row = static_cast<size_t>(s.in_w) * s.in_c;
  const int32_t out_zp = cq.output_offset;

  for (int32_t c0 = 0; c0 < s.in_c; c0 += G) {
    const int32_t lanes = s.in_c - c0 < 16 ? s.in_c - c0 : 16;  // G = 8: 8
    if (G == 16 && lanes == 16) {
      for (int32_t t = 0; t < 9; ++t) {
        vstrbq_s8(block->w[t], vldrbq_s8(flt + static_cast<size_t>(t) * s.out_c + c0));
      }
      // VLD4 de-interleaves by 4: vector k lane i = channel 4i + k.
      const int32x4x4_t bias = vld4q_s32(p.bias_eff + c0);
      const int32x4x4_t mult = vld4q_s32(cq.multiplier + c0);
      const int32x4x4_t shift = vld4q_s32(cq.shift + c0);
      for (int k = 0; k < 4; ++k) {
        vstrwq_s32(block->bias[k], bias.val[k]);
        vstrwq_s32(block->mult[k], mult.val[k]);
        vstrwq_s32(block->nshift[k], shift.val[k]);
      }
    } else {
      memset(block, 0, sizeof(Block));
      for (int32_t l = 0; l < 16; ++l) {
        const int32_t c = G == 8 ? l & 7 : l;
        if (c >= lanes) continue;
        const int32_t oc = c0 + c;
        for (int32_t t = 0; t < 9; ++t) {
          block->w[t][l] = flt[static_cast<size_t>(t) * s.out_c + oc];
        }
        block->bias[l & 3][l >> 2] = p.bias_eff[oc];
        block->mult[l & 3][l >> 2] = cq.multiplier[oc];
        block->nshift[l & 3][l >> 2] = cq.shift[oc];
      }
    }
    const mve_pred16_t pred = lanes == 16 || G == 8 ? 0xFFFF : vctp8q(static_cast<uint32_t>(lanes));
    for (int32_t b = 0; b < s.batches; ++b) {
      const int8_t* in_b = in + static_cast<size_t>(b) * s.in_h * in_row + c0;
      int8_t* orow = out + static_cast<size_t>(b) * w.out_h * w.out_w * pitch + c0;
      int32_t filled = 0;
      for (int32_t oy = 0; oy < w.out_h; ++oy, orow += static_cast<size_t>(w.out_w) * pitch) {
        const int32_t y0 = oy * w.stride_h;
        for (int32_t yp = filled > y0 ? filled : y0; yp <= y0 + 2; ++yp) {
          const int32_t y = yp - w.pad_h;
          const int8_t* src =
              y >= 0 && y < s.in_h ? in_b + static_cast<size_t>(y) * in_row : nullptr;
          if (G == 8) {
            FillRow8(ring + (yp % 3) * row_bytes, wpx, src, s.in_w, w.pad_w, zp);
          } else {
            FillRow(ring + (yp % 3) * row_bytes, wpx, src, s.in_w, s.in_c, w.pad_w, lanes, zp);
          }
        }
        filled = y0 + 3;
        const int8_t* r0 = ring + (y0 % 3) * row_bytes;
        const int8_t* r1 = ring + ((y0 + 1) % 3) * row_bytes;
        const int8_t* r2 = ring + ((y0 + 2) % 3) * row_bytes;
        if (G == 16) {
          Steps<S, G, kClamp>(r0, r1, r2, block, orow, pitch, w.out_w, out_zp, cq.act_min,
                              cq.act_max, pred);
        } else {
          const int32_t pairs = w.out_w / 2;
          if (pairs > 0) {
            Steps<S, G, kClamp>(r0, r1, r2, block, orow, 16, pairs, out_zp, cq.act_min,
                                cq.act_max, 0xFFFF);
          }
          if (w.out_w & 1) {
            Steps<S, G, kClamp>(r0 + 16 * pairs, r1 + 16 * pairs, r2 + 16 * pairs, block,
                                orow + 16 * pairs, 16, 1, out_zp, cq.act_min, cq.act_max, 0x00FF);
          }
        }
      }
    }
  }
}

// One input channel, 8 output channels per pass: accumulators of channels
// {0, 2, 4, 6} and {1, 3, 5, 7} of the pass (so that VQMOVNB/T put them back
// in order); the weights are widened to int32 in the same lane order.
struct Cin1Block {
  int32_t w[9][2][4];   // per tap, the two accumulators' weights
  int32_t bias[2][4];
  int32_t mult[2][4];
  int32_t nshift[2][4];
};

size_t Cin1Bytes() { return (sizeof(Cin1Block) + 15) & ~static_cast<size_t>(15); }

// The pixel loop of the one-input-channel kernel, in assembly: per pixel 2
// bias loads, per tap LDRSB and two (VLDRW, VMLA) pairs, 7 per accumulator
// to requantize, 3 to narrow, the store and 3 of loop. q0 = channels
// {0, 2, 4, 6}, q1 = {1, 3, 5, 7}. Block offsets: w 0, bias 288, mult 320,
// nshift 352.
#define MOTE_DW_C1_TAP(R, X, WOFF0, WOFF1)                          \
  "ldrsb %[x], [%[" R "], #" X "]\n\t"                            \
  "vldrw.u32 q2, [%[blk], #" WOFF0 "]\n\t"                        \
  "vmla.s32 q0, q2, %[x]\n\t"                                     \
  "vldrw.u32 q3, [%[blk], #" WOFF1 "]\n\t"                        \
  "vmla.s32 q1, q3, %[x]\n\t"
#define MOTE_DW_C1_TAP0(R, STEP, WOFF0, WOFF1)                      \
  "ldrsb %[x], [%[" R "]], #" STEP "\n\t"                         \
  "vldrw.u32 q2, [%[blk], #" WOFF0 "]\n\t"                        \
  "vmla.s32 q0, q2, %[x]\n\t"                                     \
  "vldrw.u32 q3, [%[blk], #" WOFF1 "]\n\t"                        \
  "vmla.s32 q1, q3, %[x]\n\t"
#define MOTE_DW_C1_RQ(Q, MOFF, SOFF)                               \
  "vldrw.u32 q2, [%[blk], #" MOFF "]\n\t"                         \
  "vqrdmulh.s32 " Q ", " Q ", q2\n\t"                             \
  "vshr.s32 q2, " Q ", #31\n\t"                                   \
  "vadd.i32 " Q ", " Q ", q2\n\t"                                 \
  "vldrw.u32 q2, [%[blk], #" SOFF "]\n\t"                         \
  "vrshl.s32 " Q ", " Q ", q2\n\t"                                \
  "vadd.i32 " Q ", " Q ", %[zp]\n\t"
#define MOTE_DW_C1_CLAMP                                           \
  "vdup.16 q0, %[lo]\n\t"                                         \
  "vdup.16 q1, %[hi]\n\t"                                         \
  "vmax.s16 q2, q2, q0\n\t"                                       \
  "vmin.s16 q2, q2, q1\n\t"
#define MOTE_DW_C1_ASM(STEP, CLAMP)                                \
  __asm__ volatile(                                               \
      "1:\n\t"                                                    \
      "vldrw.u32 q0, [%[blk], #288]\n\t"                          \
      "vldrw.u32 q1, [%[blk], #304]\n\t"                          \
      MOTE_DW_C1_TAP("r0", "1", "32", "48") MOTE_DW_C1_TAP("r0", "2", "64", "80") \
      MOTE_DW_C1_TAP0("r0", STEP, "0", "16")                      \
      MOTE_DW_C1_TAP("r1", "1", "128", "144") MOTE_DW_C1_TAP("r1", "2", "160", "176") \
      MOTE_DW_C1_TAP0("r1", STEP, "96", "112")                    \
      MOTE_DW_C1_TAP("r2", "1", "224", "240") MOTE_DW_C1_TAP("r2", "2", "256", "272") \
      MOTE_DW_C1_TAP0("r2", STEP, "192", "208")                   \
      MOTE_DW_C1_RQ("q0", "320", "352") MOTE_DW_C1_RQ("q1", "336", "368") \
      "vqmovnb.s32 q2, q0\n\t"                                    \
      "vqmovnt.s32 q2, q1\n\t" CLAMP                              \
      "vqmovnb.s16 q3, q2\n\t"                                    \
      "vstrb.16 q3, [%[out]]\n\t" /* widening store: out in r0..r7 */ \
      "add %[out], %[out], %[pitch]\n\t"                          \
      "subs %[n], %[n], #1\n\t"                                   \
      "bne 1b\n\t"                                                \
      : [r0] "+r"(r0), [r1] "+r"(r1), [r2] "+r"(r2), [out] "+l"(out), [n] "+r"(n), \
        [x] "=&r"(x)                                              \
      : [blk] "r"(blk), [pitch] "r"(pitch), [zp] "r"(zp), [lo] "r"(lo), [hi] "r"(hi) \
      : "cc", "memory", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7")

static_assert(offsetof(Cin1Block, bias) == 288 && offsetof(Cin1Block, mult) == 320 &&
                  offsetof(Cin1Block, nshift) == 352,
              "the pixel loop hard-codes the block layout");

// n >= 1 output pixels of one row, 8 channels each.
template <int S, bool kClamp>
__attribute__((noinline)) void Cin1Pixels(const int8_t* r0, const int8_t* r1, const int8_t* r2,
                                          const Cin1Block* blk, int8_t* out, int32_t pitch,
                                          int32_t n, int32_t zp, int32_t lo, int32_t hi) {
  int32_t x;
  MOTE_DW_FOR_STRIDE_CLAMP(MOTE_DW_C1_ASM, "1", "2", MOTE_DW_C1_CLAMP);
}

template <int S, bool kClamp>
void RunCin1(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, cq);
  const int8_t zp = static_cast<int8_t>(-cq.input_offset);
  Cin1Block* block = reinterpret_cast<Cin1Block*>(node.scratch);
  Ring ring;
  ring.data = reinterpret_cast<int8_t*>(node.scratch + Cin1Bytes());
  ring.slots = 3;
  ring.wp = RingWidth(w, 3);
  ring.group = 1;
  ring.row_bytes = RingRowBytes(ring.wp, 1);
  const int32_t pitch = s.out_c;
  const int32_t out_zp = cq.output_offset;

  for (int32_t c0 = 0; c0 < s.out_c; c0 += 8) {
    for (int32_t i = 0; i < 8; ++i) {
      const int32_t oc = c0 + i;
      for (int32_t t = 0; t < 9; ++t) block->w[t][i & 1][i >> 1] = flt[t * s.out_c + oc];
      block->bias[i & 1][i >> 1] = p.bias_eff[oc];
      block->mult[i & 1][i >> 1] = cq.multiplier[oc];
      block->nshift[i & 1][i >> 1] = cq.shift[oc];
    }
    for (int32_t b = 0; b < s.batches; ++b) {
      ring.filled = 0;
      int8_t* orow = out + static_cast<size_t>(b) * w.out_h * w.out_w * pitch + c0;
      for (int32_t oy = 0; oy < w.out_h; ++oy, orow += static_cast<size_t>(w.out_w) * pitch) {
        AdvanceRing(ring, in, s, w, b, oy, 0, 1, zp);
        const int32_t y0 = oy * w.stride_h;
        const int8_t* r0 = ring.slot(y0);
        const int8_t* r1 = ring.slot(y0 + 1);
        const int8_t* r2 = ring.slot(y0 + 2);
        Cin1Pixels<S, kClamp>(r0, r1, r2, block, orow, pitch, w.out_w, out_zp, cq.act_min,
                              cq.act_max);
      }
    }
  }
}

// ---- One input channel, filter width <= 16: s8_mve_cin1 -------------------
//
// Lanes are taps here: a filter row of one output channel is a 16-byte
// vector (weights past KW are 0) and VMLADAVA.S8 adds its dot product with
// the 16 window bytes at the row's first tap to a scalar accumulator. The
// window keeps the (KH - 1) * dilation_h + 1 padded input rows of the current
// output row contiguous (moved up by stride_h rows per output row), with 16
// readable bytes past the last pixel. Per filter row: one window load, then
// per output channel one weight load and one VMLADAVA; output channels go 4
// at a time (depth multiplier a multiple of 4). Requantization is the DSP
// form (SMMULR, depthwise_conv2d_opt.h (3)). Output rows go outermost, every
// group's weight rows laid out once up front: the window is filled once per
// output row, before any of that row's outputs is written, and no input row
// is read again afterwards (StreamingGap(..., out_w, reads_first)).
struct Cin1Window {
  int32_t rows, wpx, pitch;
};
Cin1Window MakeCin1Window(const ConvWindow& w, const Shape& s) {
  Cin1Window g;
  g.rows = RingSlots(w, s.filter_h);
  g.wpx = RingWidth(w, s.filter_w);
  g.pitch = (g.wpx + 16 + 15) & ~15;
  return g;
}
// Every group of 4 output channels' weight rows [ky][4][16], then the window.
size_t ScratchCin1(const ConvWindow& w, const Shape& s) {
  const Cin1Window g = MakeCin1Window(w, s);
  const size_t groups = static_cast<size_t>((s.out_c + 3) / 4);
  return groups * 4 * s.filter_h * 16 + static_cast<size_t>(g.rows) * g.pitch;
}

inline int32_t Smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

// acc[0..3] += the dot products of kh window rows (`step` bytes apart, from
// r) with 4 channels' weight rows (wp: [ky][4][16]); in assembly, as GCC
// keeps the accumulators in memory: per filter row one window load, four
// (VLDRW, VMLADAVA) pairs and 3 of loop. VMLADAVA accumulates into an even
// register (constraint "Te").
__attribute__((noinline)) void Cin1Rows(int32_t* acc, const int8_t* r, const int8_t* wp,
                                        int32_t kh, int32_t step) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
#define MOTE_DW_MC1(A)                                             \
  "vldrw.u32 q1, [%[wp]], #16\n\t"                                \
  "vmladava.s8 %[" A "], q0, q1\n\t"
  __asm__ volatile(
      "1:\n\t"
      "vldrb.u8 q0, [%[r]]\n\t"
      "add %[r], %[r], %[step]\n\t"
      MOTE_DW_MC1("a0") MOTE_DW_MC1("a1") MOTE_DW_MC1("a2") MOTE_DW_MC1("a3")
      "subs %[k], %[k], #1\n\t"
      "bne 1b\n\t"
      : [a0] "+Te"(a0), [a1] "+Te"(a1), [a2] "+Te"(a2), [a3] "+Te"(a3), [r] "+r"(r),
        [wp] "+r"(wp), [k] "+r"(kh)
      : [step] "r"(step)
      : "cc", "memory", "d0", "d1", "d2", "d3");
#undef MOTE_DW_MC1
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

template <bool kClamp>
void RunCin1Any(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, cq);
  const Cin1Window g = MakeCin1Window(w, s);
  const int8_t zp = static_cast<int8_t>(-cq.input_offset);
  const int32_t kh = s.filter_h, kw = s.filter_w, oc_n = s.out_c;
  const size_t block_bytes = static_cast<size_t>(4) * kh * 16;
  int8_t* blocks = reinterpret_cast<int8_t*>(node.scratch);  // per group [ky][4][16]
  int8_t* win = blocks + block_bytes * static_cast<size_t>((oc_n + 3) / 4);
  const size_t row_step = static_cast<size_t>(w.dilation_h) * g.pitch;
  memset(blocks, 0, block_bytes * static_cast<size_t>((oc_n + 3) / 4));
  for (int32_t c0 = 0; c0 < oc_n; c0 += 4) {
    int8_t* wb = blocks + static_cast<size_t>(c0 / 4) * block_bytes;
    for (int32_t c = 0; c < 4; ++c) {
      const int32_t oc = c0 + c;
      for (int32_t ky = 0; ky < kh; ++ky) {
        for (int32_t kx = 0; kx < kw; ++kx) {
          wb[(static_cast<size_t>(ky) * 4 + c) * 16 + kx] =
              flt[(static_cast<size_t>(ky) * kw + kx) * oc_n + oc];
        }
      }
    }
  }
  for (int32_t b = 0; b < s.batches; ++b) {
    const int8_t* in_b = in + static_cast<size_t>(b) * s.in_h * s.in_w;
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t keep = SlideWindow(win, oy, g.rows, w.stride_h, static_cast<size_t>(g.pitch));
      for (int32_t i = keep; i < g.rows; ++i) {
        int8_t* d = win + static_cast<size_t>(i) * g.pitch;
        const int32_t y = oy * w.stride_h + i - w.pad_h;
        memset(d, zp, static_cast<size_t>(g.pitch));
        if (y < 0 || y >= s.in_h) continue;
        const int32_t x_lo = w.pad_w < g.wpx ? w.pad_w : g.wpx;
        const int32_t x_hi = w.pad_w + s.in_w < g.wpx ? w.pad_w + s.in_w : g.wpx;
        if (x_hi > x_lo) {
          memcpy(d + x_lo, in_b + static_cast<size_t>(y) * s.in_w + (x_lo - w.pad_w),
                 static_cast<size_t>(x_hi - x_lo));
        }
      }
      int8_t* const orow = out + (static_cast<size_t>(b) * w.out_h + oy) * w.out_w * oc_n;
      for (int32_t c0 = 0; c0 < oc_n; c0 += 4) {
        const int8_t* wb = blocks + static_cast<size_t>(c0 / 4) * block_bytes;
        int32_t q[4], rc[4], e[4];
        for (int32_t c = 0; c < 4; ++c) {
          q[c] = cq.multiplier[c0 + c];
          e[c] = -cq.shift[c0 + c];
          rc[c] = DspRoundConst(e[c], cq.output_offset);
        }
        int8_t* o = orow + c0;
        const int8_t* r = win;
        for (int32_t ox = 0; ox < w.out_w; ++ox, o += oc_n, r += w.stride_w) {
          int32_t acc[4] = {p.bias_eff[c0], p.bias_eff[c0 + 1], p.bias_eff[c0 + 2],
                            p.bias_eff[c0 + 3]};
          Cin1Rows(acc, r, wb, kh, static_cast<int32_t>(row_step));
          for (int32_t c = 0; c < 4; ++c) {
            const int32_t t = Smmulr(acc[c] * 2, q[c]);
            int32_t v = __ssat((t + (t >> 31) + rc[c]) >> e[c], 8);
            if (kClamp) v = v < cq.act_min ? cq.act_min : (v > cq.act_max ? cq.act_max : v);
            o[c] = static_cast<int8_t>(v);
          }
        }
      }
    }
  }
}

}  // namespace

// ComputeBiasEff 16 channels at a time (int32 lanes, predicated tail):
// bias + input_offset * (sum of the taps), wrapping like the scalar one.
void ComputeBiasEffMve(const Tensor& filter, const Tensor* bias, int32_t input_offset,
                       int32_t* bias_eff) {
  const int32_t taps = filter.dims[1] * filter.dims[2];
  const int32_t out_c = filter.dims[3];
  const int8_t* w = filter.as<int8_t>();
  const int32_t* b = bias != nullptr ? bias->as<int32_t>() : nullptr;
  for (int32_t c0 = 0; c0 < out_c; c0 += 16) {
    const int32_t left = out_c - c0;
    const mve_pred16_t p0 = vctp32q(static_cast<uint32_t>(left));
    const mve_pred16_t p1 = vctp32q(static_cast<uint32_t>(left > 4 ? left - 4 : 0));
    const mve_pred16_t p2 = vctp32q(static_cast<uint32_t>(left > 8 ? left - 8 : 0));
    const mve_pred16_t p3 = vctp32q(static_cast<uint32_t>(left > 12 ? left - 12 : 0));
    int32x4_t s0 = vdupq_n_s32(0), s1 = s0, s2 = s0, s3 = s0;
    const int8_t* wt = w + c0;
    for (int32_t t = 0; t < taps; ++t, wt += out_c) {
      s0 = vaddq_s32(s0, vldrbq_z_s32(wt, p0));
      s1 = vaddq_s32(s1, vldrbq_z_s32(wt + 4, p1));
      s2 = vaddq_s32(s2, vldrbq_z_s32(wt + 8, p2));
      s3 = vaddq_s32(s3, vldrbq_z_s32(wt + 12, p3));
    }
    // |sum| <= taps * 128 < 2^31; the product wraps like the scalar code.
    s0 = vmulq_n_s32(s0, input_offset);
    s1 = vmulq_n_s32(s1, input_offset);
    s2 = vmulq_n_s32(s2, input_offset);
    s3 = vmulq_n_s32(s3, input_offset);
    if (b != nullptr) {
      s0 = vaddq_s32(s0, vldrwq_z_s32(b + c0, p0));
      s1 = vaddq_s32(s1, vldrwq_z_s32(b + c0 + 4, p1));
      s2 = vaddq_s32(s2, vldrwq_z_s32(b + c0 + 8, p2));
      s3 = vaddq_s32(s3, vldrwq_z_s32(b + c0 + 12, p3));
    }
    vstrwq_p_s32(bias_eff + c0, s0, p0);
    vstrwq_p_s32(bias_eff + c0 + 4, s1, p1);
    vstrwq_p_s32(bias_eff + c0 + 8, s2, p2);
    vstrwq_p_s32(bias_eff + c0 + 12, s3, p3);
  }
}

bool AppliesMve3x3(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  return AppliesS8(p, ctx) && Is3x3M1(p, ctx) && RequantOk(p, ctx, false) && NoMinWeight(ctx) &&
         (p.window.stride_w == 1 || p.window.stride_w == 2) &&
         ScratchMve3x3(p.window, ctx.input(0).dims[3]) <= kMaxRingBytes;
}

bool AppliesMve3x3Cin1(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  return AppliesS8(p, ctx) && Is3x3Cin1(p, ctx) && p.depth_multiplier % 8 == 0 &&
         RequantOk(p, ctx, false) && (p.window.stride_w == 1 || p.window.stride_w == 2) &&
         Cin1Bytes() + RingBytes(p.window, 3, 3, 1) <= kMaxRingBytes;
}

size_t ScratchMve3x3(const ConvWindow& w, int32_t in_c) {
  return BlockBytes() + 3 * static_cast<size_t>(RowBytes(w, in_c));
}
size_t ScratchMve3x3Cin1(const ConvWindow& w) { return Cin1Bytes() + RingBytes(w, 3, 3, 1); }

bool AppliesMveCin1(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  const Shape s = GetShape(ctx.input(0), ctx.input(1), ctx.output(0));
  return AppliesS8(p, ctx) && s.in_c == 1 && s.out_c % 4 == 0 && s.filter_w <= 16 &&
         p.window.dilation_w == 1 &&
         RequantOk(p, ctx, true) && ScratchCin1(p.window, s) <= kMaxRingBytes;
}

size_t ScratchMveCin1(const ConvWindow& w, const Shape& s) { return ScratchCin1(w, s); }

void EvalS8MveCin1(const Node& node_in, Tensor* tensors) {
  const EvalScope scope(node_in, tensors);
  const Node& node = scope.node;
  const DepthwiseConv2DParams& p = *static_cast<const DepthwiseConv2DParams*>(node.params);
  return FullRange(p.quant) ? RunCin1Any<false>(node, tensors) : RunCin1Any<true>(node, tensors);
}

void EvalS8Mve3x3(const Node& node_in, Tensor* tensors) {
  const EvalScope scope(node_in, tensors);
  const Node& node = scope.node;
  const DepthwiseConv2DParams& p = *static_cast<const DepthwiseConv2DParams*>(node.params);
  const bool full = FullRange(p.quant);
  if (PairMode(p.window, node.input(tensors, 0).dims[3])) {
    return full ? Run3x3<1, 8, false>(node, tensors) : Run3x3<1, 8, true>(node, tensors);
  }
  if (p.window.stride_w == 1) {
    return full ? Run3x3<1, 16, false>(node, tensors) : Run3x3<1, 16, true>(node, tensors);
  }
  return full ? Run3x3<2, 16, false>(node, tensors) : Run3x3<2, 16, true>(node, tensors);
}

void EvalS8Mve3x3Cin1(const Node& node_in, Tensor* tensors) {
  const EvalScope scope(node_in, tensors);
  const Node& node = scope.node;
  const DepthwiseConv2DParams& p = *static_cast<const DepthwiseConv2DParams*>(node.params);
  const bool full = FullRange(p.quant);
  if (p.window.stride_w == 1) {
    return full ? RunCin1<1, false>(node, tensors) : RunCin1<1, true>(node, tensors);
  }
  return full ? RunCin1<2, false>(node, tensors) : RunCin1<2, true>(node, tensors);
}

}  // namespace dw_opt
}  // namespace ops
}  // namespace mote

#endif  // defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
