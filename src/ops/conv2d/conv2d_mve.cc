// CONV_2D int8 on Cortex-M MVE (Helium, integer): Cortex-M55/M85. The table
// lists only these (then the reference) when the build targets MVE.
//
// s8_mve_1x1      pointwise convolutions (1x1, stride 1, no padding).
// s8_mve_generic  any other int8 convolution AppliesS8 accepts; each output
//                 pixel's receptive field is gathered (im2col, padding =
//                 input zero point) first.
// Assumes conv_opt::AppliesS8 (no groups, depth <= kMaxDepth; multipliers
// >= 0).
//
// Blocking: 2 output channels x 4 output pixels, 8 accumulators in the even
// registers VMLADAVA needs (r0-r12, lr). The dot products run on raw int8
// with VMLADAVA.S8 (16 MACs into a scalar): per 16 input values 2 + 4
// VLDRB, 8 VMLADAVA, SUBS + BNE: 16 instructions for 128 MACs; a last
// partial group of 16 loads the weights predicated (VCTP, VPST: nothing is
// read past a filter row, and the zeroed lanes cancel whatever the scratch
// holds there).
// Data: tiles of up to kTilePixels output pixels; a tile's operand rows
// (the input's pixel rows, or im2col rows) are copied into scratch in blocks
// of 4 pixels interleaved per 16 bytes, so that one pointer walks them:
//   block byte [g * 64 + 16 * j + i] = x_j[16 g + i]
// A tile's last 1-3 pixels form one narrower block (P = 1-3: 16 P bytes per
// group, P pixels' loads and VMLADAVAs); its requantization vectors repeat
// the last pixel in the missing lanes, stored again to that pixel's address.
//
// The input offset (conv2d_opt.h, 1.): a channel's accumulators start from
// bias + input_offset * sum_k w[k] (wrapping), computed once per invoke for
// every channel (VADDVA.S8) into scratch; VMLADAVA then adds sum_k w * x
// with wrap-around: the same int32 as the reference's, modulo 2^32. The
// persistent arena holds nothing more.
//
// Requantization, per channel on the vector of its 4 pixels' accumulators:
//   y = VQRDMULH(a, b)                  = SaturatingRoundingDoublingHighMul
//                                         (bit-exact; b >= 0 never saturates)
//   y = y + (y >> 31)                   = y - [y < 0]  (no wrap: y > INT32_MIN)
//   r = VRSHL(y, -e)                    = floor((y - [y<0] + 2^(e-1)) / 2^e)
//                                         = RoundingDivideByPOT(y, e) (e >= 1;
//                                         VRSHL rounds in extended precision)
//   out = min(max(r + o, act_min), act_max), VSTRB.32 scatter.
// This needs shift = -e <= -1 (or a zero multiplier); a channel pair with a
// shift >= 0 (multiplier >= 0.5, rare) stores its accumulators and
// requantizes in C (conv_opt::RequantizeS8). FIELD-NOTES reports that CMSIS-NN's MVE
// requantization rounds ties differently; the sequence above is TFLite's.
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)

#include <cstddef>
#include <cstdint>

#include "ops/conv2d/conv2d_opt.h"

namespace mote {
namespace ops {
namespace conv_opt {
namespace {

constexpr int32_t kPixels = 4;        // pixels per block
constexpr int32_t kTilePixels = 32;   // pixels per tile, at most (see MakeGeometry)
constexpr int32_t kTileBytes = 4096;  // a tile's rows, at most (see MakeGeometry)

struct Geometry {
  int32_t padded;       // depth rounded up to 16
  int32_t pixels;       // output pixels, all batches
  int32_t tile_pixels;  // a multiple of 4
};

Geometry MakeGeometry(const Shape& s) {
  Geometry g;
  g.padded = (s.depth + 15) & ~15;
  g.pixels = s.batches * s.out_h * s.out_w;
  int32_t max_pixels = kTileBytes / g.padded;
  MOTE_CONV_TILE_PIXELS(g, max_pixels);
  return g;
}

// What the assembly reads (offsets are part of its code).
struct alignas(8) MveArgs {
  const int8_t* w0;     // 0: the two filter rows
  const int8_t* w1;     // 4
  const int8_t* x;      // 8: the first block; blocks follow each other
  int32_t groups;       // 12: full groups of 16 input values
  int32_t start0;       // 16: accumulator start, channel 0
  int32_t start1;       // 20: channel 1
  int8_t* out;          // 24: channel 0's output for pixel 0; advances
  int32_t out_step;     // 28: 4 * out_c
  int32_t tail;         // 32: depth % 16
  int32_t blocks;       // 36: >= 1, counts down
  int32_t mult0;        // 40
  int32_t neg_e0;       // 44: -e
  int32_t mult1;        // 48
  int32_t neg_e1;       // 52
  int32_t out_off;      // 56
  int32_t ch1;          // 60: channel 1's output offset (1, or 0 for a lone channel)
  int32_t* acc;         // 64: BlocksDotMve's output, advances
  int32_t groups_m1;    // 68: groups - 1 (BlocksMve with groups >= 1)
  int32_t act_min[4];   // 72
  int32_t act_max[4];   // 88
  uint32_t offsets[4];  // 104: scatter offsets, pixel j at j * out_c
  const int8_t* x_end;  // 120: BlocksMve stops when x reaches it
  int32_t pad;          // 124
  // BlocksMve's loop over channel pairs (each pair reloads 16..52 and w0, w1):
  const int32_t* starts;  // 128: advances by 2
  const int32_t* mults;   // 132
  const int32_t* shifts;  // 136
  int8_t* out_pair;       // 140: the first block's output for channel 0; advances by 2
  int32_t pairs;          // 144: >= 1, counts down
  int32_t depth;          // 148
  const int8_t* x_tile;   // 152: the first block
};

// One group of 16 for the P pixels of a block (x advances by 16 P); the
// first group of a block uses VMLADAV (no accumulate), the others VMLADAVA.
#define MOTE_MVE_PX(op, q, a, b)            \
  "vldrb.u8 " q ", [r5], #16\n\t"           \
  op ".s8 " a ", q0, " q "\n\t"             \
  op ".s8 " b ", q1, " q "\n\t"
#define MOTE_MVE_X1(op) MOTE_MVE_PX(op, "q2", "r0", "r2")
#define MOTE_MVE_X2(op) MOTE_MVE_X1(op) MOTE_MVE_PX(op, "q3", "r4", "r6")
#define MOTE_MVE_X3(op) MOTE_MVE_X2(op) MOTE_MVE_PX(op, "q2", "r8", "r10")
#define MOTE_MVE_X4(op) MOTE_MVE_X3(op) MOTE_MVE_PX(op, "q3", "r12", "lr")
#define MOTE_MVE_W "vldrb.u8 q0, [r1], #16\n\t" "vldrb.u8 q1, [r3], #16\n\t"
#define MOTE_MVE_W_TAIL            \
  "ldr    r7, [r9, #32]\n\t"       \
  "vctp.8 r7\n\t"                  \
  "vpstt\n\t"                      \
  "vldrbt.u8 q0, [r1]\n\t"         \
  "vldrbt.u8 q1, [r3]\n\t"

// A block's dot products (without the start): channel 0 in r0, r4, r8, r12
// (pixels 0-3), channel 1 in r2, r6, r10, lr. Args in r9; x in r5 (kept
// across blocks). Three shapes: full groups and a partial one, full groups
// only, a partial group only.
#define MOTE_MVE_DOT_GT(X)                        \
  "ldrd   r1, r3, [r9, #0]\n\t" MOTE_MVE_W X("vmladav") \
  "ldr    r7, [r9, #68]\n\t"                      \
  "cbz    r7, 2f\n\t"                             \
  "1:\n\t" MOTE_MVE_W X("vmladava")               \
  "subs   r7, r7, #1\n\t"                         \
  "bne    1b\n\t"                                 \
  "2:\n\t" MOTE_MVE_W_TAIL X("vmladava")
#define MOTE_MVE_DOT_G(X)                         \
  "ldrd   r1, r3, [r9, #0]\n\t" MOTE_MVE_W X("vmladav") \
  "ldr    r7, [r9, #68]\n\t"                      \
  "cbz    r7, 2f\n\t"                             \
  "1:\n\t" MOTE_MVE_W X("vmladava")               \
  "subs   r7, r7, #1\n\t"                         \
  "bne    1b\n\t"                                 \
  "2:\n\t"
#define MOTE_MVE_DOT_T(X) "ldrd   r1, r3, [r9, #0]\n\t" MOTE_MVE_W_TAIL X("vmladav")

// The general shape with the accumulators starting from the starts (for
// BlocksDotMve): any number of full groups, then the partial one if any.
#define MOTE_MVE_DOT_ANY(X)                     \
  "ldrd   r1, r3, [r9, #0]\n\t"                 \
  "ldrd   r0, r2, [r9, #16]\n\t"                \
  "mov    r4, r0\n\t"                           \
  "mov    r8, r0\n\t"                           \
  "mov    r12, r0\n\t"                          \
  "mov    r6, r2\n\t"                           \
  "mov    r10, r2\n\t"                          \
  "mov    lr, r2\n\t"                           \
  "ldr    r7, [r9, #12]\n\t"                    \
  "cbz    r7, 2f\n\t"                           \
  "1:\n\t" MOTE_MVE_W X("vmladava")             \
  "subs   r7, r7, #1\n\t"                       \
  "bne    1b\n\t"                               \
  "2:\n\t"                                      \
  "ldr    r7, [r9, #32]\n\t"                    \
  "cbz    r7, 3f\n\t"                           \
  "vctp.8 r7\n\t"                               \
  "vpstt\n\t"                                   \
  "vldrbt.u8 q0, [r1]\n\t"                      \
  "vldrbt.u8 q1, [r3]\n\t" X("vmladava")        \
  "3:\n\t"

// Packs channel 0's (q0) and channel 1's (q1) accumulators of the P pixels,
// the missing lanes repeating the last pixel.
#define MOTE_MVE_PACK(a0, a1, a2, a3, b0, b1, b2, b3) \
  "vmov   q0[2], q0[0], " a0 ", " a2 "\n\t"           \
  "vmov   q0[3], q0[1], " a1 ", " a3 "\n\t"           \
  "vmov   q1[2], q1[0], " b0 ", " b2 "\n\t"           \
  "vmov   q1[3], q1[1], " b1 ", " b3 "\n\t"
#define MOTE_MVE_PACK1 MOTE_MVE_PACK("r0", "r0", "r0", "r0", "r2", "r2", "r2", "r2")
#define MOTE_MVE_PACK2 MOTE_MVE_PACK("r0", "r4", "r4", "r4", "r2", "r6", "r6", "r6")
#define MOTE_MVE_PACK3 MOTE_MVE_PACK("r0", "r4", "r8", "r8", "r2", "r6", "r10", "r10")
#define MOTE_MVE_PACK4 MOTE_MVE_PACK("r0", "r4", "r8", "r12", "r2", "r6", "r10", "lr")

// Adds the starts (wrapping, like the scalar accumulators would have),
// requantizes both vectors and scatters them to the block's outputs.
#define MOTE_MVE_REQUANT_STORE                  \
  "ldrd   r1, r3, [r9, #16]\n\t"                \
  "vadd.i32 q0, q0, r1\n\t"                     \
  "vadd.i32 q1, q1, r3\n\t"                     \
  "ldrd   r1, r3, [r9, #40]\n\t"                \
  "ldrd   r7, r11, [r9, #48]\n\t"               \
  "vqrdmulh.s32 q0, q0, r1\n\t"                 \
  "vqrdmulh.s32 q1, q1, r7\n\t"                 \
  "vshr.s32 q2, q0, #31\n\t"                    \
  "vshr.s32 q3, q1, #31\n\t"                    \
  "vadd.i32 q0, q0, q2\n\t"                     \
  "vadd.i32 q1, q1, q3\n\t"                     \
  "vrshl.s32 q0, r3\n\t"                        \
  "vrshl.s32 q1, r11\n\t"                       \
  "ldrd   r1, r3, [r9, #56]\n\t"                \
  "vadd.i32 q0, q0, r1\n\t"                     \
  "vadd.i32 q1, q1, r1\n\t"                     \
  "vmax.s32 q0, q0, q5\n\t"                     \
  "vmax.s32 q1, q1, q5\n\t"                     \
  "vmin.s32 q0, q0, q6\n\t"                     \
  "vmin.s32 q1, q1, q6\n\t"                     \
  "ldrd   r0, r2, [r9, #24]\n\t"                \
  "add    r3, r0, r3\n\t"                       \
  "vstrb.32 q0, [r0, q7]\n\t"                   \
  "vstrb.32 q1, [r3, q7]\n\t"                   \
  "add    r0, r0, r2\n\t"                       \
  "str    r0, [r9, #24]\n\t"

#define MOTE_MVE_NEXT_BLOCK      \
  "ldr    r1, [r9, #36]\n\t"     \
  "subs   r1, r1, #1\n\t"        \
  "str    r1, [r9, #36]\n\t"     \
  "bne    0b\n\t"
#define MOTE_MVE_NEXT_BLOCK_X    \
  "ldr    r1, [r9, #120]\n\t"    \
  "cmp    r5, r1\n\t"            \
  "bne    0b\n\t"

// Per channel pair: its starts, multipliers and shifts into the fields the
// block loop reads, its first output, the first block.
#define MOTE_MVE_PAIR                           \
  "ldr    r1, [r9, #128]\n\t"                  \
  "ldrd   r0, r2, [r1], #8\n\t"                \
  "str    r1, [r9, #128]\n\t"                  \
  "strd   r0, r2, [r9, #16]\n\t"               \
  "ldr    r1, [r9, #132]\n\t"                  \
  "ldrd   r0, r2, [r1], #8\n\t"                \
  "str    r1, [r9, #132]\n\t"                  \
  "ldr    r1, [r9, #136]\n\t"                  \
  "ldrd   r3, r4, [r1], #8\n\t"                \
  "str    r1, [r9, #136]\n\t"                  \
  "strd   r0, r3, [r9, #40]\n\t"               \
  "strd   r2, r4, [r9, #48]\n\t"               \
  "ldr    r0, [r9, #140]\n\t"                  \
  "str    r0, [r9, #24]\n\t"                   \
  "add    r0, r0, #2\n\t"                      \
  "str    r0, [r9, #140]\n\t"                  \
  "ldr    r5, [r9, #152]\n\t"
// After a pair: the next two filter rows; the next pair.
#define MOTE_MVE_NEXT_PAIR                      \
  "ldrd   r1, r3, [r9, #0]\n\t"                \
  "ldr    r0, [r9, #148]\n\t"                  \
  "add    r1, r1, r0, lsl #1\n\t"              \
  "add    r3, r3, r0, lsl #1\n\t"              \
  "strd   r1, r3, [r9, #0]\n\t"                \
  "ldr    r0, [r9, #144]\n\t"                  \
  "subs   r0, r0, #1\n\t"                      \
  "str    r0, [r9, #144]\n\t"                  \
  "bne    9b\n\t"

#define MOTE_MVE_BLOCKS(DOT, PACK)                                                            \
  asm volatile(                                                                               \
      "add    r1, r9, #72\n\t"                                                                \
      "vldrw.u32 q5, [r1]\n\t"                                                                \
      "vldrw.u32 q6, [r1, #16]\n\t"                                                           \
      "vldrw.u32 q7, [r1, #32]\n\t"                                                           \
      "9:\n\t" MOTE_MVE_PAIR                                                                  \
      "0:\n\t" DOT PACK MOTE_MVE_REQUANT_STORE MOTE_MVE_NEXT_BLOCK_X MOTE_MVE_NEXT_PAIR       \
      : [pa] "+r"(pa)                                                                         \
      :                                                                                       \
      : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r10", "r11", "r12", "lr", "q0", \
        "q1", "q2", "q3", "q4", "q5", "q6", "q7", "cc", "memory")

#define MOTE_MVE_BLOCKS_DOT(X)                                                                \
  asm volatile(                                                                               \
      "ldr    r5, [r9, #8]\n\t"                                                               \
      "0:\n\t" MOTE_MVE_DOT_ANY(X)                                                            \
      "ldr    r1, [r9, #64]\n\t"                                                              \
      "stmia  r1!, {r0, r2, r4, r6, r8, r10, r12, lr}\n\t"                                    \
      "str    r1, [r9, #64]\n\t" MOTE_MVE_NEXT_BLOCK                                          \
      : [pa] "+r"(pa)                                                                         \
      :                                                                                       \
      : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r10", "r11", "r12", "lr", "q0", \
        "q1", "q2", "q3", "cc", "memory")

// The depth's shape: full groups of 16 and a partial one (kGT), full groups
// only (kG), a partial group only (kT).
enum DepthShape { kGT, kG, kT };

// For args->pairs channel pairs from args->w0 on: the blocks of P pixels
// from args->x_tile up to args->x_end, requantized and stored (scatter
// offsets from args: pixel j at offsets[j]).
#define MOTE_MVE_BLOCKS_P(XP, PACKP)                          \
  if constexpr (S == kGT) {                                   \
    MOTE_MVE_BLOCKS(MOTE_MVE_DOT_GT(XP), PACKP);              \
  } else if constexpr (S == kG) {                             \
    MOTE_MVE_BLOCKS(MOTE_MVE_DOT_G(XP), PACKP);               \
  } else {                                                    \
    MOTE_MVE_BLOCKS(MOTE_MVE_DOT_T(XP), PACKP);               \
  }
template <int P, DepthShape S>
__attribute__((noinline)) void BlocksMve(MveArgs* args) {
  register MveArgs* pa asm("r9") = args;
#define MOTE_MVE_BLOCKS_PN(n) MOTE_MVE_BLOCKS_P(MOTE_MVE_X##n, MOTE_MVE_PACK##n)
  MOTE_CONV_FOR_P(MOTE_MVE_BLOCKS_PN)
#undef MOTE_MVE_BLOCKS_PN
}
#undef MOTE_MVE_BLOCKS_P

using BlocksFn = void (*)(MveArgs*);

template <int P>
BlocksFn PickBlocks(int32_t depth) {
  if (depth < 16) return BlocksMve<P, kT>;
  return depth % 16 == 0 ? BlocksMve<P, kG> : BlocksMve<P, kGT>;
}

// The same dot products, started from the starts, the 8 accumulators of
// each block stored to args->acc: channel 0 pixels 0-3 at [0, 2, 4, 6],
// channel 1 at [1, 3, 5, 7] (pixels >= P hold the start).
template <int P>
__attribute__((noinline)) void BlocksDotMve(MveArgs* args) {
  register MveArgs* pa asm("r9") = args;
#define MOTE_MVE_BLOCKS_DOT_N(n) MOTE_MVE_BLOCKS_DOT(MOTE_MVE_X##n)
  MOTE_CONV_FOR_P(MOTE_MVE_BLOCKS_DOT_N)
#undef MOTE_MVE_BLOCKS_DOT_N
}
#undef MOTE_MVE_PX
#undef MOTE_MVE_X1
#undef MOTE_MVE_X2
#undef MOTE_MVE_X3
#undef MOTE_MVE_X4
#undef MOTE_MVE_W
#undef MOTE_MVE_W_TAIL
#undef MOTE_MVE_DOT_GT
#undef MOTE_MVE_DOT_G
#undef MOTE_MVE_DOT_T
#undef MOTE_MVE_DOT_ANY
#undef MOTE_MVE_NEXT_BLOCK_X
#undef MOTE_MVE_PAIR
#undef MOTE_MVE_NEXT_PAIR
#undef MOTE_MVE_PACK
#undef MOTE_MVE_PACK1
#undef MOTE_MVE_PACK2
#undef MOTE_MVE_PACK3
#undef MOTE_MVE_PACK4
#undef MOTE_MVE_REQUANT_STORE
#undef MOTE_MVE_NEXT_BLOCK
#undef MOTE_MVE_BLOCKS
#undef MOTE_MVE_BLOCKS_DOT

// A tail-predicated loop over %[n] bytes (16 a pass, lr the counter).
#define MOTE_MVE_TP_LOOP(BODY) \
  "dlstp.8 lr, %[n]\n\t"      \
  "1:\n\t" BODY "letp   lr, 1b\n\t"

// sum_k w[k] over one filter row (VADDVA.S8, tail-predicated).
int32_t RowSum(const int8_t* w, int32_t depth) {
  int32_t sum = 0;
  asm volatile(
      MOTE_MVE_TP_LOOP(
        "vldrb.u8 q0, [%[w]], #16\n\t"
        "vaddva.s8 %[s], q0\n\t")
      : [s] "+Te"(sum), [w] "+r"(w)
      : [n] "r"(depth)
      : "lr", "q0", "memory");
  return sum;
}

// The same for 4 consecutive rows (sums[0..3]).
void RowSums4(const int8_t* w, int32_t depth, int32_t* sums) {
  register int32_t s0 asm("r0") = 0;
  register int32_t s1 asm("r2") = 0;
  register int32_t s2 asm("r4") = 0;
  register int32_t s3 asm("r6") = 0;
  const int8_t* w1 = w + depth;
  const int8_t* w2 = w1 + depth;
  const int8_t* w3 = w2 + depth;
  asm volatile(
      MOTE_MVE_TP_LOOP(
        "vldrb.u8 q0, [%[w0]], #16\n\t"
        "vaddva.s8 %[s0], q0\n\t"
        "vldrb.u8 q1, [%[w1]], #16\n\t"
        "vaddva.s8 %[s1], q1\n\t"
        "vldrb.u8 q2, [%[w2]], #16\n\t"
        "vaddva.s8 %[s2], q2\n\t"
        "vldrb.u8 q3, [%[w3]], #16\n\t"
        "vaddva.s8 %[s3], q3\n\t")
      : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [w0] "+r"(w), [w1] "+r"(w1),
        [w2] "+r"(w2), [w3] "+r"(w3)
      : [n] "r"(depth)
      : "lr", "q0", "q1", "q2", "q3", "memory");
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
}

// im2col's copies and fills, tail-predicated (a few instructions for the
// short spans of a filter row).
void CopyMve(int8_t* dst, const int8_t* src, size_t n) {
  asm volatile(
      MOTE_MVE_TP_LOOP(
        "vldrb.u8 q0, [%[s]], #16\n\t"
        "vstrb.8 q0, [%[d]], #16\n\t")
      : [s] "+r"(src), [d] "+r"(dst)
      : [n] "r"(n)
      : "lr", "q0", "memory");
}
void FillMve(int8_t* dst, int8_t v, size_t n) {
  asm volatile(
      "vdup.8 q0, %[v]\n\t"
      MOTE_MVE_TP_LOOP(
        "vstrb.8 q0, [%[d]], #16\n\t")
      : [d] "+r"(dst)
      : [n] "r"(n), [v] "r"(static_cast<int32_t>(v))
      : "lr", "q0", "memory");
}

// Copies one operand row (depth bytes) into slot j of a block of P
// pixels: 16 bytes every 16 P (a partial last group leaves the slot's other
// bytes as they are: the predicated weight loads zero those lanes).
template <int P>
void PutRow(const int8_t* src, int32_t depth, int8_t* dst) {
  asm volatile(
      MOTE_MVE_TP_LOOP(
        "vldrb.u8 q0, [%[s]], #16\n\t"
        "vstrb.8 q0, [%[d]], %[step]\n\t")
      : [s] "+r"(src), [d] "+r"(dst)
      : [n] "r"(depth), [step] "i"(16 * P)
      : "lr", "q0", "memory");
}

// True when BlocksMve's requantization is exact for channel c: shift <= -1
// (see the top of the file), or a zero multiplier (y = 0, no fix-up, and a
// shift of 0 leaves 0).
inline bool VectorOk(const ConvQuant& q, int32_t c) {
  return q.shift[c] <= -1 || q.multiplier[c] == 0;
}

// Every channel pair over `blocks` blocks of P pixels at x; out is the
// first pixel's output row, args.offsets the pixels' offsets from it. Runs
// of pairs BlocksMve can requantize go to it in one call; the other pairs
// (and a last lone channel) store their accumulators and requantize in C.
template <int P>
void Channels(const Conv2DParams& p, const Shape& s, const int8_t* flt, const int32_t* starts,
              const int8_t* x, int32_t blocks, int8_t* out, MveArgs& args) {
  const ConvQuant& q = p.quant;
  const int32_t out_c = s.out_c;
  const int32_t depth = s.depth;
  const size_t block_bytes = static_cast<size_t>(P) * ((depth + 15) & ~15);
  const BlocksFn run = PickBlocks<P>(depth);
  int32_t accs[2 * kPixels];
  int32_t c = 0;
  while (c < out_c) {
    int32_t end = c;  // [c, end): a run of whole pairs BlocksMve takes
    while (end + 2 <= out_c && VectorOk(q, end) && VectorOk(q, end + 1)) end += 2;
    if (end > c) {
      args.w0 = flt + static_cast<size_t>(c) * depth;
      args.w1 = args.w0 + depth;
      args.starts = starts + c;
      args.mults = q.multiplier + c;
      args.shifts = q.shift + c;
      args.out_pair = out + c;
      args.pairs = (end - c) / 2;
      args.x_tile = x;
      args.x_end = x + static_cast<size_t>(blocks) * block_bytes;
      args.ch1 = 1;
      run(&args);
      c = end;
      continue;
    }
    const int32_t c1 = c + 1 < out_c ? c + 1 : c;
    args.w0 = flt + static_cast<size_t>(c) * depth;
    args.w1 = flt + static_cast<size_t>(c1) * depth;
    args.start0 = starts[c];
    args.start1 = starts[c1];
    for (int32_t b = 0; b < blocks; ++b) {
      args.x = x + static_cast<size_t>(b) * block_bytes;
      args.blocks = 1;
      args.acc = accs;
      BlocksDotMve<P>(&args);
      for (int32_t j = 0; j < P; ++j) {
        int8_t* o = out + static_cast<size_t>(b) * args.out_step + args.offsets[j];
        o[c1] = static_cast<int8_t>(RequantizeS8(accs[2 * j + 1], q.multiplier[c1], q.shift[c1], q));
        o[c] = static_cast<int8_t>(RequantizeS8(accs[2 * j], q.multiplier[c], q.shift[c], q));
      }
    }
    c += 2;
  }
}

template <bool kPointwise>
void Run(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(Conv2DParams, q);
  const Geometry geo = MakeGeometry(s);
  const int32_t* bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;
  const int32_t out_c = s.out_c;
  const int32_t depth = s.depth;

  // Scratch: starts[out_c], the tile's blocks, one im2col row (generic).
  int32_t* starts = reinterpret_cast<int32_t*>(node.scratch);
  int8_t* tile = reinterpret_cast<int8_t*>(starts + ((out_c + 3) & ~3));
  int8_t* col = tile + static_cast<size_t>(geo.tile_pixels) * geo.padded;
  int32_t c = 0;
  for (; c + 4 <= out_c; c += 4) RowSums4(flt + static_cast<size_t>(c) * depth, depth, starts + c);
  for (; c < out_c; ++c) starts[c] = RowSum(flt + static_cast<size_t>(c) * depth, depth);
  for (c = 0; c < out_c; ++c) {
    const uint32_t folded = static_cast<uint32_t>(q.input_offset) * static_cast<uint32_t>(starts[c]);
    starts[c] = static_cast<int32_t>((bias != nullptr ? static_cast<uint32_t>(bias[c]) : 0u) + folded);
  }

  MveArgs args;
  args.depth = depth;
  args.groups = depth / 16;
  args.groups_m1 = depth / 16 - 1;
  args.tail = depth % 16;
  args.out_step = kPixels * out_c;
  args.out_off = q.output_offset;
  args.pad = 0;
  args.acc = nullptr;
  args.x_end = nullptr;
  for (int i = 0; i < 4; ++i) {
    args.act_min[i] = q.act_min;
    args.act_max[i] = q.act_max;
  }
  const int32_t per_batch = s.out_h * s.out_w;
  auto row = [&](int32_t px) -> const int8_t* {
    if (kPointwise) return in + static_cast<size_t>(px) * s.in_c;
    Im2ColPixelWith<CopyMve, FillMve>(p, s, in, px / per_batch, (px % per_batch) / s.out_w,
                                      px % s.out_w, col);
    return col;
  };

  for (int32_t t0 = 0; t0 < geo.pixels; t0 += geo.tile_pixels) {
    const int32_t n = geo.pixels - t0 < geo.tile_pixels ? geo.pixels - t0 : geo.tile_pixels;
    const int32_t full = n / kPixels;
    const int32_t rest = n - kPixels * full;
    // Full blocks of 4 pixels, then one block of the 1-3 others.
    for (int32_t i = 0; i < kPixels * full; ++i) {
      PutRow<kPixels>(row(t0 + i), depth, tile + (i / kPixels) * kPixels * geo.padded + 16 * (i % kPixels));
    }
    int8_t* rest_block = tile + static_cast<size_t>(full) * kPixels * geo.padded;
    for (int32_t j = 0; j < rest; ++j) {
      const int8_t* src = row(t0 + kPixels * full + j);
      if (rest == 1) PutRow<1>(src, depth, rest_block + 16 * j);
      if (rest == 2) PutRow<2>(src, depth, rest_block + 16 * j);
      if (rest == 3) PutRow<3>(src, depth, rest_block + 16 * j);
    }
    for (int32_t j = 0; j < kPixels; ++j) {
      args.offsets[j] = static_cast<uint32_t>(j * out_c);
    }
    int8_t* o = out + static_cast<size_t>(t0) * out_c;
    if (full > 0) Channels<4>(p, s, flt, starts, tile, full, o, args);
    if (rest > 0) {
      for (int32_t j = 0; j < kPixels; ++j) {
        args.offsets[j] = static_cast<uint32_t>((j < rest ? j : rest - 1) * out_c);
      }
      o += static_cast<size_t>(full) * kPixels * out_c;
      if (rest == 1) Channels<1>(p, s, flt, starts, rest_block, 1, o, args);
      if (rest == 2) Channels<2>(p, s, flt, starts, rest_block, 1, o, args);
      if (rest == 3) Channels<3>(p, s, flt, starts, rest_block, 1, o, args);
    }
  }
}

}  // namespace

int32_t TilePixelsS8Mve(const Shape& s) { return MakeGeometry(s).tile_pixels; }

size_t ScratchS8Mve1x1(const Shape& s) {
  const Geometry g = MakeGeometry(s);
  return ((static_cast<size_t>(s.out_c) + 3) & ~static_cast<size_t>(3)) * 4 +
         static_cast<size_t>(g.tile_pixels) * static_cast<size_t>(g.padded);
}

size_t ScratchS8MveGeneric(const Shape& s) {
  return ScratchS8Mve1x1(s) + static_cast<size_t>(s.depth);
}

void EvalS8Mve1x1(const Node& node, Tensor* tensors) { Run<true>(node, tensors); }
void EvalS8MveGeneric(const Node& node, Tensor* tensors) { Run<false>(node, tensors); }

}  // namespace conv_opt
}  // namespace ops
}  // namespace mote

#endif  // __ARM_FEATURE_MVE
