// CONV_2D int8 on the Cortex-M DSP extension (SXTB16, SXTAB16, SADD16,
// SMLAD, SMMLAR, SMLAL, SSAT): Cortex-M4/M7/M33. The table lists these in a
// build with the DSP extension but without MVE (which lists its own),
// instead of the portable ones.
//
// s8_dsp_1x1      pointwise convolutions (1x1, stride 1, no padding).
// s8_dsp_generic  any other int8 convolution AppliesS8 accepts; each output
//                 pixel's receptive field is first gathered (im2col,
//                 padding = input zero point) into scratch.
// Assumes conv_opt::AppliesS8 (no groups, depth <= kMaxDepth; multipliers
// >= 0); the arithmetic is that of conv2d_opt.h.
//
// Data flow (all operands int16, in scratch, so that the inner loop only
// loads and multiplies):
// - The output pixels are processed in tiles of up to kTilePixels (and at
//   most kTileBytes of scratch). A tile's activations are widened once to
//   int16 v = 2 * (x + input_offset) (twice the reference's factor, see
//   below), in blocks of P = 4 pixels (the tile's last block may hold 1-3)
//   interleaved per group of 4 input values g, so that one LDM fetches two
//   pixels' worth:
//     block word [g * 2P + 2 * j + h] = 2 * (SXTB16(x_j[4g..4g+3] ROR 8h) + offset)
//   (h = 0: values 4g, 4g+2; h = 1: values 4g+1, 4g+3).
// - Per output channel, its filter row (int8, in flash) is widened once per
//   tile the same way into 2 words per group; the row and the blocks are
//   zero-padded to whole groups (a zero weight cancels the padding).
// - Inner loop, per group and block of 4 pixels: LDRD (weights), 2 LDM
//   (activations), 8 SMLAD: 11 instructions for 16 MACs. SMLAD wraps modulo
//   2^32, like the reference's accumulator (it only sets Q).
// Weights are never copied whole: RAM holds one widened row and one tile.
//
// With the doubled activations (|v| <= 510) a block's accumulators hold
// D = 2 * sum_k w * (x + offset) exactly (|D| < 2^31, depth <= kMaxDepth).
// Requantization (per output, exact; derivation in conv2d_opt.h). A channel
// is fast when its shift is -e with 1 <= e <= 21 and |bias| < 2^30 -
// Conv2DParams::dot_bound: its accumulator a = bias + D / 2 is then below
// 2^30 in magnitude, the kernel starts from 2 * bias and holds A = 2a
// exactly, and with the output offset o folded in
//   out = SSAT8((SMMLAR(A, b, (2o + 1) * 2^(e-1)) - [A<0]) >> e)
// SMMLAR(A, b, C) = C + floor((2ab + 2^31) / 2^32) = C + SRDHM(a, b) (exact:
// no saturation for b >= 0), and with C = 2^(e-1) + o*2^e this is
// RoundingDivideByPOT's floor((y + 2^(e-1) - s) / 2^e) + o (conv2d_opt.h
// (ii), with s = [a<0] as in (iv)); |y + C| < 2^30 + 2^28: no overflow.
// Then the activation clamp when it is narrower than int8 (SSAT8 clamps to
// int8, which equals the reference's clamp to [-128, 127]).
// Other channels (e.g. the dead channels some models carry: bias +-2^30,
// shift -26..-31) start from 0 and take a = bias + D / 2 (wrapping), then
// the SMLAL form of conv2d_opt.h (iii)-(iv) when 2 <= e <= 31 (see
// FullBlocksWideAsm), else the generic conv_opt::RequantizeS8. Layers with
// an activation clamp narrower than int8, and the last 1-3 pixels of a tile,
// requantize in C (Requant) from the same accumulators.
#if defined(__ARM_FEATURE_DSP)

#include <arm_acle.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/conv2d/conv2d_opt.h"

namespace mote {
namespace ops {
namespace conv_opt {
namespace {

constexpr int kPixels = 4;            // pixels per block
constexpr int32_t kTilePixels = 32;   // pixels per tile, at most
constexpr int32_t kTileBytes = 8192;  // a tile's widened activations, at most (see MakeGeometry)
constexpr int32_t kMaxTilePixels = kTilePixels + kTilePixels / 4;  // MakeGeometry's largest

// SXTB16 of the word rotated right by 8: bytes 1 and 3 sign-extended to
// halfwords (GCC 12's arm_acle.h has no __ror to fold into __sxtb16).
// The assembly below names its registers and tells GCC what it clobbers; r7
// is usable because the library is built without a frame pointer.
inline uint32_t Sxtb16Ror8(uint32_t x) {
  uint32_t r;
  asm("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}

inline uint32_t Load4(const int8_t* p) {
  uint32_t word;
  memcpy(&word, p, 4);  // LDR: unaligned access is fine on v7-M / v8-M
  return word;
}

// The last 1-3 values of a row as a word, zero-padded (a word read could
// pass the end of the tensor).
inline uint32_t LoadTail(const int8_t* p, int32_t n) {
  uint32_t word = 0;
  for (int32_t i = 0; i < n; ++i) {
    word |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  }
  return word;
}

struct Geometry {
  int32_t groups;       // ceil(depth / 4)
  int32_t groups_even;  // rounded up to even (the row's extra group is zero)
  int32_t pixels;       // output pixels, all batches
  int32_t tile_pixels;  // a multiple of 4
};

Geometry MakeGeometry(const Shape& s) {
  Geometry g;
  g.groups = (s.depth + 3) / 4;
  g.groups_even = (g.groups + 1) & ~1;
  g.pixels = s.batches * s.out_h * s.out_w;
  const int32_t pixel_bytes = 2 * 4 * g.groups_even;
  int32_t max_pixels = kTileBytes / pixel_bytes;
  // On a small layer the tile should not rival the activations in RAM: at
  // most half the input's bytes, when that costs at most one more tile on a
  // layer of three or more (the extra tile widens every filter row once
  // more). Keyword spotting's 25x5x64 pointwise layers: 5 tiles of 28
  // pixels instead of 4 of 32, 512 bytes less at the arena's peak.
  if (max_pixels > kTilePixels) max_pixels = kTilePixels;
  const int64_t in_bytes = static_cast<int64_t>(s.batches) * s.in_h * s.in_w * s.in_c;
  const int64_t small_cap = (in_bytes / (2 * pixel_bytes)) & ~static_cast<int64_t>(kPixels - 1);
  if (small_cap >= kPixels && small_cap < max_pixels) {
    const int64_t tiles = (g.pixels + max_pixels - 1) / max_pixels;
    if (tiles >= 3 && (g.pixels + small_cap - 1) / small_cap <= tiles + 1) {
      max_pixels = static_cast<int32_t>(small_cap);
    }
  }
  MOTE_CONV_TILE_PIXELS(g, max_pixels);
  return g;
}

// Widens one pixel's operands, v = 2 * (x + offset), into slot j of a
// block of `stride` / 2 pixels.
void WidenPixel(const int8_t* src, int32_t depth, uint32_t off2, int32_t j, int32_t stride,
                uint32_t* block) {
  int32_t full = depth / 4;
  uint32_t* dst = block + 2 * j;
  if (stride == 2 * kPixels && (reinterpret_cast<uintptr_t>(src) & 3) == 0 && full >= 4) {
    // 4 groups per iteration: LDM, then per word SXTAB16 (sign-extend and
    // add the offset) x 2, SADD16 x 2 (doubling), STRD.
    int32_t n = full / 4;
    full -= 4 * n;
#define MOTE_DSP_WIDEN_ONE(r)                    \
  "sxtab16 r0, %[off], " r "\n\t"                \
  "sxtab16 r1, %[off], " r ", ror #8\n\t"        \
  "sadd16  r0, r0, r0\n\t"                       \
  "sadd16  r1, r1, r1\n\t"                       \
  "strd    r0, r1, [%[d]], #32\n\t"
    asm volatile(
        "1:\n\t"
        "ldmia   %[s]!, {r2, r3, r4, r5}\n\t" MOTE_DSP_WIDEN_ONE("r2") MOTE_DSP_WIDEN_ONE("r3")
            MOTE_DSP_WIDEN_ONE("r4") MOTE_DSP_WIDEN_ONE("r5")
        "subs    %[n], %[n], #1\n\t"
        "bne     1b\n\t"
        : [s] "+r"(src), [d] "+r"(dst), [n] "+r"(n)
        : [off] "r"(off2)
        : "r0", "r1", "r2", "r3", "r4", "r5", "cc", "memory");
#undef MOTE_DSP_WIDEN_ONE
  }
  auto put = [&](uint32_t word) {
    const uint32_t lo = __sxtab16(off2, word);
    const uint32_t hi = __sadd16(Sxtb16Ror8(word), off2);
    dst[0] = __sadd16(lo, lo);
    dst[1] = __sadd16(hi, hi);
    dst += stride;
  };
  for (; full > 0; --full, src += 4) put(Load4(src));
  const int32_t rest = depth & 3;
  if (rest > 0) put(LoadTail(src, rest));
}

// Widens one filter row into 2 words per group, zero-padded to an even
// number of groups (the blocks' padded group may hold anything: x * 0 = 0).
void WidenRow(const int8_t* src, int32_t depth, uint32_t* dst) {
  int32_t full = depth / 4;
  if ((reinterpret_cast<uintptr_t>(src) & 3) == 0 && full >= 4) {
    // 4 groups per iteration: LDM, 8 SXTB16, 2 STM.
    int32_t n = full / 4;
    full -= 4 * n;
    asm volatile(
        "1:\n\t"
        "ldmia   %[s]!, {r4, r5, r6, r7}\n\t"
        "sxtb16  r0, r4\n\t"
        "sxtb16  r1, r4, ror #8\n\t"
        "sxtb16  r2, r5\n\t"
        "sxtb16  r3, r5, ror #8\n\t"
        "stmia   %[d]!, {r0, r1, r2, r3}\n\t"
        "sxtb16  r0, r6\n\t"
        "sxtb16  r1, r6, ror #8\n\t"
        "sxtb16  r2, r7\n\t"
        "sxtb16  r3, r7, ror #8\n\t"
        "stmia   %[d]!, {r0, r1, r2, r3}\n\t"
        "subs    %[n], %[n], #1\n\t"
        "bne     1b\n\t"
        : [s] "+r"(src), [d] "+r"(dst), [n] "+r"(n)
        :
        : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "cc", "memory");
  }
  for (; full > 0; --full, src += 4, dst += 2) {
    const uint32_t w0 = Load4(src);
    dst[0] = __sxtb16(w0);
    dst[1] = Sxtb16Ror8(w0);
  }
  const int32_t rest = depth & 3;
  if (rest > 0) {
    const uint32_t word = LoadTail(src, rest);
    dst[0] = __sxtb16(word);
    dst[1] = Sxtb16Ror8(word);
    dst += 2;
  }
  if (((depth + 3) / 4) & 1) {  // the zero group that makes the count even
    dst[0] = 0;
    dst[1] = 0;
  }
}

// One group: the widened weights at w (2 words) against the P pixels of the
// block at x (2P words); advances both.
#define MOTE_DSP_W "ldrd   %[wl], %[wh], [%[w]], #8\n\t"
#define MOTE_DSP_X4 "ldmia  %[x]!, {%[x0], %[x1], %[x2], %[x3]}\n\t"
#define MOTE_DSP_X2 "ldrd   %[x0], %[x1], [%[x]], #8\n\t"
#define MOTE_DSP_MAC(a, lo, hi)                    \
  "smlad  %[" a "], %[wl], %[" lo "], %[" a "]\n\t" \
  "smlad  %[" a "], %[wh], %[" hi "], %[" a "]\n\t"
#define MOTE_DSP_GROUP4                                                                     \
  MOTE_DSP_W MOTE_DSP_X4 MOTE_DSP_MAC("a0", "x0", "x1") MOTE_DSP_MAC("a1", "x2", "x3")      \
      MOTE_DSP_X4 MOTE_DSP_MAC("a2", "x0", "x1") MOTE_DSP_MAC("a3", "x2", "x3")
#define MOTE_DSP_GROUP3                                                                     \
  MOTE_DSP_W MOTE_DSP_X4 MOTE_DSP_MAC("a0", "x0", "x1") MOTE_DSP_MAC("a1", "x2", "x3")      \
      MOTE_DSP_X2 MOTE_DSP_MAC("a2", "x0", "x1")
#define MOTE_DSP_GROUP2 \
  MOTE_DSP_W MOTE_DSP_X4 MOTE_DSP_MAC("a0", "x0", "x1") MOTE_DSP_MAC("a1", "x2", "x3")
#define MOTE_DSP_GROUP1 MOTE_DSP_W MOTE_DSP_X2 MOTE_DSP_MAC("a0", "x0", "x1")

// LDM's register list must ascend in the order of the words it loads: the
// four activation words live in fixed, ascending registers.
#define MOTE_DSP_OPERANDS                                                                  \
  [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [w] "+r"(w), [x] "+r"(x),     \
      [wl] "=&r"(wl), [wh] "=&r"(wh), [x0] "=&r"(x0), [x1] "=&r"(x1), [x2] "=&r"(x2),       \
      [x3] "=&r"(x3), [n] "+r"(pairs)

// Accumulates the widened row (`pairs` x 2 groups) against the block of P
// pixels at x (aj for pixel j); advances x past the block.
template <int P>
__attribute__((always_inline)) inline void DotBlock(const uint32_t* w, const uint32_t*& x,
                                                    int32_t pairs, int32_t& a0, int32_t& a1,
                                                    int32_t& a2, int32_t& a3) {
  register uint32_t x0 asm("r2");
  register uint32_t x1 asm("r3");
  register uint32_t x2 asm("r4");
  register uint32_t x3 asm("r5");
  uint32_t wl, wh;
#define MOTE_DSP_LOOP(GROUP)                                                             \
  asm volatile("1:\n\t" GROUP GROUP "subs   %[n], %[n], #1\n\t"                          \
               "bne    1b\n\t"                                                           \
               : MOTE_DSP_OPERANDS                                                       \
               :                                                                         \
               : "cc", "memory")
#define MOTE_DSP_LOOP_P(n) MOTE_DSP_LOOP(MOTE_DSP_GROUP##n)
  MOTE_CONV_FOR_P(MOTE_DSP_LOOP_P)
#undef MOTE_DSP_LOOP_P
#undef MOTE_DSP_LOOP
}

// Per-channel requantization constants (see the top of the file).
struct ChannelQuant {
  int32_t mult;
  int32_t shift;
  int32_t add;  // fast: C = (2o + 1) * 2^(e-1)
  int32_t asr;  // fast: e
  int32_t bias;
  bool fast;    // the SMMLAR path
  bool wide;    // else the SMLAL path (2 <= e <= 31); else RequantizeS8
};

inline ChannelQuant MakeChannelQuant(const ConvQuant& q, const int32_t* bias, int32_t dot_bound,
                                     int32_t c) {
  ChannelQuant k;
  k.mult = q.multiplier[c];
  k.shift = q.shift[c];
  k.bias = bias != nullptr ? bias[c] : 0;
  const uint32_t e1 = static_cast<uint32_t>(-k.shift - 1);  // e - 1
  const int32_t limit = (1 << 30) - dot_bound;  // > 0
  k.fast = e1 <= 20u && k.bias < limit && k.bias > -limit;
  k.wide = !k.fast && k.shift <= -2;
  k.add = k.fast ? (2 * q.output_offset + 1) * (1 << e1) : 0;
  k.asr = static_cast<int32_t>(e1) + 1;
  return k;
}

// The accumulator start: 2 * bias for a fast channel, else 0.
inline int32_t Init(const ChannelQuant& k) { return k.fast ? 2 * k.bias : 0; }

// The output for a block accumulator (see Init).
inline int8_t Requant(int32_t a, const ChannelQuant& k, const ConvQuant& q, bool clamp) {
  if (k.fast) {
    int32_t y;
    asm("smmlar %[y], %[a], %[b], %[c]" : [y] "=r"(y) : [a] "r"(a), [b] "r"(k.mult), [c] "r"(k.add));
    y -= static_cast<int32_t>(static_cast<uint32_t>(a) >> 31);
    const int32_t r = __ssat(y >> k.asr, 8);
    return static_cast<int8_t>(clamp ? quant::Clamp(r, q.act_min, q.act_max) : r);
  }
  return static_cast<int8_t>(RequantizeS8(WrappingAdd(k.bias, a >> 1), k.mult, k.shift, q));
}

// One channel over a block of P < 4 pixels: outputs at o, o + out_c, ...
template <int P>
__attribute__((always_inline)) inline void TailBlock(const uint32_t* row, const uint32_t*& x,
                                                     int32_t pairs, const ChannelQuant& k,
                                                     const ConvQuant& q, bool clamp, int8_t* o,
                                                     int32_t out_c) {
  const int32_t init = Init(k);
  int32_t a0 = init, a1 = init, a2 = init, a3 = init;
  DotBlock<P>(row, x, pairs, a0, a1, a2, a3);
  o[0] = Requant(a0, k, q, clamp);
  if (P > 1) o[out_c] = Requant(a1, k, q, clamp);
  if (P > 2) o[2 * out_c] = Requant(a2, k, q, clamp);
}

// What the assembly below reads (offsets are part of its code).
struct AsmArgs {
  int32_t odd;          // 0: pairs is odd (the first quad iteration does 1 pair)
  const uint32_t* row;  // 4
  int32_t quads;        // 8: ceil(pairs / 2) iterations of 2 pairs
  int32_t init;         // 12: the accumulators' start
  int32_t asr;          // 16: e
  int32_t mult;         // 20
  int32_t add;          // 24: C
  int8_t* out;          // 28: advances by 4 * stride per block
  int32_t blocks;       // 32: >= 1, counts down
  int32_t stride;       // 36: out_c
  int32_t* acc;         // 40: FullBlocksDotAsm's output, advances
  int32_t bias;         // 44: FullBlocksWideAsm: bias, 2^(e-2), mult, e - 1, o
  int32_t hi;           // 48
  int32_t wide_mult;    // 52
  int32_t wide_asr;     // 56
  int32_t offset;       // 60
};

#define MOTE_DSP_ASM_GROUP                \
  "ldrd   r10, r11, [r6], #8\n\t"         \
  "ldmia  lr!, {r2, r3, r4, r5}\n\t"      \
  "smlad  r0, r10, r2, r0\n\t"            \
  "smlad  r0, r11, r3, r0\n\t"            \
  "smlad  r1, r10, r4, r1\n\t"            \
  "smlad  r1, r11, r5, r1\n\t"            \
  "ldmia  lr!, {r2, r3, r4, r5}\n\t"      \
  "smlad  r8, r10, r2, r8\n\t"            \
  "smlad  r8, r11, r3, r8\n\t"            \
  "smlad  r9, r10, r4, r9\n\t"            \
  "smlad  r9, r11, r5, r9\n\t"

// A block's dot product: a0..a3 in r0, r1, r8, r9.
#define MOTE_DSP_ASM_DOT                                       \
  "ldm    ip, {r2, r6, r7, r8}\n\t"                            \
  "mov    r0, r8\n\t"                                          \
  "mov    r1, r8\n\t"                                          \
  "mov    r9, r8\n\t"                                          \
  "cbnz   r2, 2f\n\t"                                          \
  "1:\n\t" MOTE_DSP_ASM_GROUP MOTE_DSP_ASM_GROUP               \
  "2:\n\t" MOTE_DSP_ASM_GROUP MOTE_DSP_ASM_GROUP               \
  "subs   r7, r7, #1\n\t"                                      \
  "bne    1b\n\t"

// A noinline function void NAME(AsmArgs* args, const uint32_t* x) that
// runs, per block, MOTE_DSP_ASM_DOT and then TAIL (which ends the block loop
// with "bne 0b"); args in ip, x in lr, r0-r11 free.
#define MOTE_DSP_ASM_BLOCKS_FN(NAME, TAIL)                                                \
  __attribute__((noinline)) void NAME(AsmArgs* args, const uint32_t* x) {                 \
    register AsmArgs* pa asm("ip") = args;                                                \
    register const uint32_t* px asm("lr") = x;                                            \
    asm volatile("0:\n\t" MOTE_DSP_ASM_DOT TAIL                                            \
                 : [pa] "+r"(pa), [px] "+r"(px)                                           \
                 :                                                                        \
                 : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", \
                   "cc", "memory");                                                       \
  }

// The common case in one piece of assembly, so that nothing spills: a fast
// channel, no clamp beyond int8; `blocks` full blocks of 4 pixels of one
// channel. Registers: a0..a3 = r0, r1, r8, r9; activation words r2-r5
// (ascending for LDM); weights r10, r11; row pointer r6; loop counter r7;
// x in lr; args in ip. The dot loop runs 4 groups per iteration (entered
// half-way when the pair count is odd). r7 is free: the library is built
// without a frame pointer.
MOTE_DSP_ASM_BLOCKS_FN(FullBlocksAsm,
      "ldr    r7, [ip, #16]\n\t"
      "ldrd   r10, r11, [ip, #20]\n\t"
      "smmlar r2, r0, r10, r11\n\t"
      "smmlar r3, r1, r10, r11\n\t"
      "smmlar r4, r8, r10, r11\n\t"
      "smmlar r5, r9, r10, r11\n\t"
      "sub    r2, r2, r0, lsr #31\n\t"
      "sub    r3, r3, r1, lsr #31\n\t"
      "sub    r4, r4, r8, lsr #31\n\t"
      "sub    r5, r5, r9, lsr #31\n\t"
      "asr    r2, r2, r7\n\t"
      "asr    r3, r3, r7\n\t"
      "asr    r4, r4, r7\n\t"
      "asr    r5, r5, r7\n\t"
      "ssat   r2, #8, r2\n\t"
      "ssat   r3, #8, r3\n\t"
      "ssat   r4, #8, r4\n\t"
      "ssat   r5, #8, r5\n\t"
      "ldrd   r6, r7, [ip, #28]\n\t"
      "ldr    r10, [ip, #36]\n\t"
      "strb   r2, [r6]\n\t"
      "strb   r3, [r6, r10]\n\t"
      "add    r6, r6, r10, lsl #1\n\t"
      "strb   r4, [r6]\n\t"
      "strb   r5, [r6, r10]\n\t"
      "add    r6, r6, r10, lsl #1\n\t"
      "subs   r7, r7, #1\n\t"
      "strd   r6, r7, [ip, #28]\n\t"
      "bne    0b\n\t")

// The same dot products, accumulators stored to args->acc (4 per block).
MOTE_DSP_ASM_BLOCKS_FN(FullBlocksDotAsm,
      "ldr    r2, [ip, #40]\n\t"
      "stmia  r2!, {r0, r1, r8, r9}\n\t"
      "str    r2, [ip, #40]\n\t"
      "ldr    r7, [ip, #32]\n\t"
      "subs   r7, r7, #1\n\t"
      "str    r7, [ip, #32]\n\t"
      "bne    0b\n\t")
// The SMLAL path (channels that are not fast, 2 <= e <= 31; the
// accumulators start from 0): a = bias + D / 2 (wrapping), then with
// s = [a<0], lo:hi = 2^30 + 2^31 s : 2^(e-2) - s, lo:hi += a * b,
// out = SSAT8((hi >> (e - 1)) + o): floor((a*b + 2^30 + 2^(30+e) - s*2^31)
// / 2^(31+e)) + o as in conv2d_opt.h (iii)-(iv).
#define MOTE_DSP_ASM_WIDE(a)                 \
  "and    r2, " a ", #0x80000000\n\t"        \
  "orr    r2, r2, #0x40000000\n\t"           \
  "add    r3, r5, " a ", asr #31\n\t"        \
  "smlal  r2, r3, " a ", r6\n\t"             \
  "asr    r3, r3, r7\n\t"                    \
  "add    r3, r3, r4\n\t"                    \
  "ssat   r3, #8, r3\n\t"
MOTE_DSP_ASM_BLOCKS_FN(FullBlocksWideAsm,
      "add    r2, ip, #44\n\t"
      "ldm    r2, {r4, r5, r6, r7}\n\t"
      "add    r0, r4, r0, asr #1\n\t"
      "add    r1, r4, r1, asr #1\n\t"
      "add    r8, r4, r8, asr #1\n\t"
      "add    r9, r4, r9, asr #1\n\t"
      "ldr    r4, [ip, #60]\n\t"
      "ldr    r10, [ip, #28]\n\t"
      "ldr    r11, [ip, #36]\n\t"
      MOTE_DSP_ASM_WIDE("r0")
      "strb   r3, [r10]\n\t"
      MOTE_DSP_ASM_WIDE("r1")
      "strb   r3, [r10, r11]\n\t"
      "add    r10, r10, r11, lsl #1\n\t"
      MOTE_DSP_ASM_WIDE("r8")
      "strb   r3, [r10]\n\t"
      MOTE_DSP_ASM_WIDE("r9")
      "strb   r3, [r10, r11]\n\t"
      "add    r10, r10, r11, lsl #1\n\t"
      "str    r10, [ip, #28]\n\t"
      "ldr    r7, [ip, #32]\n\t"
      "subs   r7, r7, #1\n\t"
      "str    r7, [ip, #32]\n\t"
      "bne    0b\n\t")
#undef MOTE_DSP_ASM_WIDE
#undef MOTE_DSP_ASM_GROUP
#undef MOTE_DSP_ASM_DOT
#undef MOTE_DSP_ASM_BLOCKS_FN

template <bool kPointwise>
void Run(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(Conv2DParams, q);
  const bool clamp = q.act_min > -128 || q.act_max < 127;
  const Geometry geo = MakeGeometry(s);
  const int32_t* bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;

  const int32_t pairs = geo.groups_even / 2;
  const int32_t block_words = 2 * kPixels * geo.groups_even;
  uint32_t* row = reinterpret_cast<uint32_t*>(node.scratch);
  uint32_t* tile = row + 2 * geo.groups_even;
  int8_t* col = reinterpret_cast<int8_t*>(tile + (geo.tile_pixels / kPixels) * block_words);
  const uint32_t off2 = (static_cast<uint32_t>(q.input_offset) & 0xFFFFu) * 0x10001u;
  const int32_t per_batch = s.out_h * s.out_w;
  const int32_t out_c = s.out_c;
  int32_t accs[kMaxTilePixels];

  for (int32_t t0 = 0; t0 < geo.pixels; t0 += geo.tile_pixels) {
    const int32_t n = geo.pixels - t0 < geo.tile_pixels ? geo.pixels - t0 : geo.tile_pixels;
    const int32_t full_blocks = n / kPixels;
    const int32_t rest = n - kPixels * full_blocks;
    for (int32_t i = 0; i < n; ++i) {
      const int32_t b = i / kPixels;
      const int32_t width = b < full_blocks ? kPixels : rest;
      uint32_t* block = tile + b * block_words;
      const int32_t px = t0 + i;
      const int8_t* src;
      if (kPointwise) {
        src = in + static_cast<size_t>(px) * s.in_c;
      } else {
        Im2ColPixel(p, s, in, px / per_batch, (px % per_batch) / s.out_w, px % s.out_w, col);
        src = col;
      }
      WidenPixel(src, s.depth, off2, i % kPixels, 2 * width, block);
    }
    int8_t* o_tile = out + static_cast<size_t>(t0) * out_c;
    AsmArgs args;
    args.odd = pairs & 1;
    args.row = row;
    args.quads = (pairs + 1) / 2;
    args.stride = out_c;
    for (int32_t c = 0; c < out_c; ++c) {
      WidenRow(flt + static_cast<size_t>(c) * s.depth, s.depth, row);
      const ChannelQuant k = MakeChannelQuant(q, bias, p.dot_bound, c);
      const uint32_t* x = tile;
      int8_t* o = o_tile + c;
      if (full_blocks > 0) {
        args.init = Init(k);
        args.blocks = full_blocks;
        if (k.fast && !clamp) {
          args.asr = k.asr;
          args.mult = k.mult;
          args.add = k.add;
          args.out = o;
          FullBlocksAsm(&args, x);
        } else if (k.wide && !clamp) {
          args.bias = k.bias;
          args.hi = 1 << (-k.shift - 2);
          args.wide_mult = k.mult;
          args.wide_asr = -k.shift - 1;
          args.offset = q.output_offset;
          args.out = o;
          FullBlocksWideAsm(&args, x);
        } else {
          args.acc = accs;
          FullBlocksDotAsm(&args, x);
          for (int32_t i = 0; i < kPixels * full_blocks; ++i) {
            o[i * out_c] = Requant(accs[i], k, q, clamp);
          }
        }
        x += full_blocks * block_words;
        o += full_blocks * kPixels * out_c;
      }
      if (rest == 3) TailBlock<3>(row, x, pairs, k, q, clamp, o, out_c);
      if (rest == 2) TailBlock<2>(row, x, pairs, k, q, clamp, o, out_c);
      if (rest == 1) TailBlock<1>(row, x, pairs, k, q, clamp, o, out_c);
    }
  }
}

}  // namespace

int32_t TilePixelsS8Dsp(const Shape& s) { return MakeGeometry(s).tile_pixels; }

size_t ScratchS8Dsp(const Shape& s, bool generic) {
  const Geometry g = MakeGeometry(s);
  // The widened row, the tile, then one pixel's im2col row (generic only).
  const size_t words = static_cast<size_t>(2 * g.groups_even) * (1 + g.tile_pixels);
  return 4 * words + (generic ? static_cast<size_t>(4 * g.groups) : 0);
}

void EvalS8Dsp1x1(const Node& node, Tensor* tensors) { Run<true>(node, tensors); }
void EvalS8DspGeneric(const Node& node, Tensor* tensors) { Run<false>(node, tensors); }

}  // namespace conv_opt
}  // namespace ops
}  // namespace mote

#endif  // __ARM_FEATURE_DSP
