// DEPTHWISE_CONV_2D int8, Cortex-M DSP extension (Cortex-M4/M7/M33/M55:
// SMLAD, SMLAxy, SXTB16, SMMULR, SSAT). Compiled only when __ARM_FEATURE_DSP
// is defined; chosen ahead of the portable variants there (and after the MVE
// ones on a core that has both).
//
// s8_dsp_3x3   3x3 filter, dilation 1, stride_w 1 or 2, any stride_h and
//              depth multiplier (AppliesDsp3x3). Input channels go 4 at a
//              time. Two kernels:
//              - planes (most layers): per input channel, the padded rows are
//                widened to int16 pairs of neighbouring pixels in a 3-row
//                ring; one output row of one output channel then runs in
//                assembly with the channel's 6 packed weight pairs, two
//                outputs per step: 3 LDRD of input, 3 LDRD of weights and
//                12 SMLAD/SMLABT for 18 MACs (stride 2: 3 more loads), then
//                the two requantizations. An odd last output is one more step
//                whose second value is overwritten.
//              - pixels (narrow outputs, out_w < 8, depth multiplier 1, C a
//                multiple of 4): per group of 4 channels and output pixel,
//                per tap two LDRD (input already split by SXTB16 in the
//                ring, weights in the group block) and four SMLABB/SMLATT.
// s8_dsp_cin1  one input channel, depth multiplier a multiple of 4, any
//              filter size, dilation_w 1 (AppliesDspCin1; micro_speech's
//              10x8 layer): a window of the plane in int16, pairs of taps by
//              SMLAD against 4 output channels' weight pairs (assembly).
// All read the folded input offset (bias_eff), accumulate 2 * acc (weights
// and bias doubled: |2w| <= 256 fits int16) and requantize with the SMMULR
// form of depthwise_conv2d_opt.h (3): RequantOk(dsp = true).
#if defined(__ARM_FEATURE_DSP)

#include <arm_acle.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"

namespace mote {
namespace ops {
namespace dw_opt {
namespace {

inline int32_t Smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
// Channels 1 and 3 of a 4-byte word as sign-extended int16 pair.
inline int32_t Sxtb16Ror8(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
inline int32_t Sxtb16(int32_t x) { return static_cast<int32_t>(__sxtb16(x)); }

// MultiplyByQuantizedMultiplier(acc, q, -e) + output offset, for |acc| <
// 2^30 and e >= 1 within RequantOk's DSP bound (depthwise_conv2d_opt.h (3)):
// rc = 2^(e-1) + output_offset * 2^e.
inline int32_t Requant(int32_t acc, int32_t q, int32_t rc, int32_t e) {
  const int32_t t = Smmulr(acc * 2, q);
  return (t + (t >> 31) + rc) >> e;
}

template <bool kClamp>
inline int8_t Clamp8(int32_t v, int32_t lo, int32_t hi) {
  v = __ssat(v, 8);
  if (kClamp) {
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
  }
  return static_cast<int8_t>(v);
}

// Per output channel requantization constants of one group.
struct LaneQ {
  int32_t q, rc, e;
};

inline LaneQ MakeLaneQ(const ConvQuant& cq, int32_t oc) {
  const int32_t e = -cq.shift[oc];
  return LaneQ{cq.multiplier[oc], DspRoundConst(e, cq.output_offset), e};
}

// The planes: for each of (up to) 4 input channels, 3 ring slots of `np`
// words; word j of a slot holds padded pixels (2j, 2j + 1) of that row as an
// int16 pair (bottom = 2j). Padded pixel x' is input pixel x' - pad_w.
struct Planes {
  int32_t* data;
  int32_t np;
  int32_t* row(int32_t plane, int32_t yp) const {
    return data + (static_cast<size_t>(plane) * 3 + static_cast<size_t>(yp % 3)) * np;
  }
};

// Words per plane row: the pairs the row kernels read (see RowS1 / RowS2:
// outputs go in pairs, the last pair may hold one unstored output).
int32_t PlaneWords(int32_t len, int32_t stride) {
  const int32_t last = ((len + 1) & ~1) - 1;  // last output of the last pair
  return stride == 1 ? (last - 1) / 2 + 2 : last + 2;
}

// The planes kernel walks "lines" of outputs: rows (normal) or, when the
// output is much taller than wide (keyword spotting's 25x5), columns, so
// that a line is long. A column is convolved like a row with the filter
// transposed; only strides and steps change.
struct Lines {
  int32_t n_lines, len;                // output lines, outputs per line
  int32_t stride_across, stride_along;
  int32_t pad_across, pad_along;
  int32_t in_lines, in_len;
  int32_t in_line_step, in_elem_step;  // bytes
  int32_t out_line_step, out_elem_step;
  bool transposed;
};
Lines MakeLines(const ConvWindow& w, const Shape& s, bool transposed) {
  Lines l;
  l.transposed = transposed;
  if (!transposed) {
    l.n_lines = w.out_h, l.len = w.out_w;
    l.stride_across = w.stride_h, l.stride_along = w.stride_w;
    l.pad_across = w.pad_h, l.pad_along = w.pad_w;
    l.in_lines = s.in_h, l.in_len = s.in_w;
    l.in_line_step = s.in_w * s.in_c, l.in_elem_step = s.in_c;
    l.out_line_step = w.out_w * s.out_c, l.out_elem_step = s.out_c;
  } else {
    l.n_lines = w.out_w, l.len = w.out_h;
    l.stride_across = w.stride_w, l.stride_along = w.stride_h;
    l.pad_across = w.pad_w, l.pad_along = w.pad_h;
    l.in_lines = s.in_w, l.in_len = s.in_h;
    l.in_line_step = s.in_c, l.in_elem_step = s.in_w * s.in_c;
    l.out_line_step = s.out_c, l.out_elem_step = w.out_w * s.out_c;
  }
  return l;
}

// Which kernel s8_dsp_3x3 runs: the pixels kernel, the planes along rows or
// along columns; kNone when neither stride suits the planes.
enum class Kernel3x3 { kNone, kPixels, kRows, kColumns };
bool UsePixelKernel(const ConvWindow& w, const Shape& s);
Kernel3x3 ChooseKernel3x3(const ConvWindow& w, const Shape& s) {
  if (UsePixelKernel(w, s)) return Kernel3x3::kPixels;
  const bool rows = w.stride_w == 1 || w.stride_w == 2;
  const bool cols = w.stride_h == 1 || w.stride_h == 2;
  if (cols && (!rows || w.out_h >= 2 * w.out_w)) return Kernel3x3::kColumns;
  return rows ? Kernel3x3::kRows : Kernel3x3::kNone;
}
}  // namespace

bool Dsp3x3WalksRows(const ConvWindow& w, const Shape& s) {
  return ChooseKernel3x3(w, s) != Kernel3x3::kColumns;
}

namespace {

size_t PlaneBytes(int32_t np) { return static_cast<size_t>(4 * 3 * 4) * static_cast<size_t>(np); }

// (bottom of lo, bottom of hi) and (top of lo, top of hi) as int16 pairs: PKHBT / PKHTB.
inline int32_t Pkhbt(int32_t lo, int32_t hi) {
  return static_cast<int32_t>((static_cast<uint32_t>(lo) & 0xFFFFu) |
                              (static_cast<uint32_t>(hi) << 16));
}
inline int32_t Pkhtb(int32_t hi, int32_t lo) {
  return static_cast<int32_t>((static_cast<uint32_t>(hi) & 0xFFFF0000u) |
                              (static_cast<uint32_t>(lo) >> 16));
}

inline uint32_t Pair(int32_t lo, int32_t hi) {
  return (static_cast<uint32_t>(lo) & 0xFFFFu) | (static_cast<uint32_t>(hi) << 16);
}

// Two pixels' 4 int8 channels (words v0, v1) as int16 pairs (pixel 0 low,
// pixel 1 high), one word per channel: d0..d3[j] for channels 0..3.
__attribute__((always_inline)) inline void SplitPixelPair(int32_t v0, int32_t v1, int32_t j,
                                                          int32_t* d0, int32_t* d1, int32_t* d2,
                                                          int32_t* d3) {
  const int32_t e0 = Sxtb16(v0), e1 = Sxtb16(v1);
  const int32_t o0 = Sxtb16Ror8(v0), o1 = Sxtb16Ror8(v1);
  d0[j] = Pkhbt(e0, e1);
  d2[j] = Pkhtb(e1, e0);
  d1[j] = Pkhbt(o0, o1);
  d3[j] = Pkhtb(o1, o0);
}

// Fills one padded row of (up to) 4 channel planes: d[l] is lane l's slot
// row (np words), src the row's first input pixel at channel c0 (null for a
// row in the padding).
void FillPlanes(int32_t* const d[4], int32_t np, const int8_t* src, int32_t in_w, int32_t pitch,
                int32_t pad_w, int32_t lanes, int8_t zp) {
  const int32_t zpair = static_cast<int32_t>(Pair(zp, zp));
  if (src == nullptr) {
    for (int32_t l = 0; l < lanes; ++l) {
      int32_t* o = d[l];
      for (int32_t j = 0; j < np; ++j) o[j] = zpair;
    }
    return;
  }
  // Pairs j whose two pixels 2j - pad_w, 2j - pad_w + 1 are both inside.
  int32_t j_lo = (pad_w + 1) >> 1;
  int32_t j_hi = (in_w + pad_w) >> 1;
  if (j_hi > np) j_hi = np;
  if (j_lo > j_hi) j_lo = j_hi;
  if (lanes == 4 && (pitch & 3) == 0) {
    const int32_t zp4 = static_cast<int32_t>(static_cast<uint8_t>(zp) * 0x01010101u);
    int32_t* d0 = d[0];
    int32_t* d1 = d[1];
    int32_t* d2 = d[2];
    int32_t* d3 = d[3];
    const int8_t* px = src + (2 * j_lo - pad_w) * pitch;
    for (int32_t j = j_lo; j < j_hi; ++j) {
      const int32_t v0 = *reinterpret_cast<const int32_t*>(px);
      const int32_t v1 = *reinterpret_cast<const int32_t*>(px + pitch);
      px += 2 * pitch;
      SplitPixelPair(v0, v1, j, d0, d1, d2, d3);
    }
    // The few pairs that touch the padding.
    for (int32_t j = 0; j < np; ++j) {
      if (j == j_lo) j = j_hi;
      if (j >= np) break;
      const int32_t x0 = 2 * j - pad_w;
      const int32_t v0 = static_cast<uint32_t>(x0) < static_cast<uint32_t>(in_w)
                             ? *reinterpret_cast<const int32_t*>(src + x0 * pitch)
                             : zp4;
      const int32_t v1 = static_cast<uint32_t>(x0 + 1) < static_cast<uint32_t>(in_w)
                             ? *reinterpret_cast<const int32_t*>(src + (x0 + 1) * pitch)
                             : zp4;
      SplitPixelPair(v0, v1, j, d0, d1, d2, d3);
    }
    return;
  }
  for (int32_t l = 0; l < lanes; ++l) {
    int32_t* o = d[l];
    const int8_t* q = src + (2 * j_lo - pad_w) * pitch + l;
    for (int32_t j = j_lo; j < j_hi; ++j) {
      o[j] = static_cast<int32_t>(Pair(q[0], q[pitch]));
      q += 2 * pitch;
    }
    for (int32_t j = 0; j < np; ++j) {
      if (j == j_lo) j = j_hi;
      if (j >= np) break;
      const int32_t x0 = 2 * j - pad_w;
      const int32_t v0 = static_cast<uint32_t>(x0) < static_cast<uint32_t>(in_w)
                             ? src[x0 * pitch + l] : zp;
      const int32_t v1 = static_cast<uint32_t>(x0 + 1) < static_cast<uint32_t>(in_w)
                             ? src[(x0 + 1) * pitch + l] : zp;
      o[j] = static_cast<int32_t>(Pair(v0, v1));
    }
  }
}

// Per output channel, as the row kernels read it (offsets are fixed in
// their assembly): the packed weights, doubled, W01_k = 2 * (w[k][0],
// w[k][1]) and W12_k = 2 * (w[k][1], w[k][2]) of filter row k; twice
// 2 * bias_eff; q, rc, e of Requant; the activation range. Doubling the
// weights (|2w| <= 256 fits int16) and the bias makes the kernels
// accumulate 2 * acc, which is what SMMULR needs (Requant); 2 * acc fits in
// int32 because |acc| < 2^30 (RequantOk), and the wrapped sum modulo 2^32
// is that value.
struct ChannelK {
  int32_t wk[6];      // 0
  int32_t bias2[2];   // 24
  int32_t q, rc, e;   // 32, 36, 40
  int32_t lo, hi;     // 44, 48
};
static_assert(sizeof(ChannelK) == 52, "row kernels hard-code the layout");

ChannelK MakeChannel(const DepthwiseConv2DParams& p, const int8_t* flt, int32_t out_c,
                     int32_t oc, bool transposed) {
  ChannelK k;
  // Filter line r, tap t along it: w[r][t] (rows) or w[t][r] (columns).
  const int32_t across = transposed ? out_c : 3 * out_c;
  const int32_t along = transposed ? 3 * out_c : out_c;
  for (int32_t r = 0; r < 3; ++r) {
    const int8_t* f = flt + static_cast<size_t>(r) * across + oc;
    k.wk[2 * r] = static_cast<int32_t>(Pair(2 * f[0], 2 * f[along]));
    k.wk[2 * r + 1] = static_cast<int32_t>(Pair(2 * f[along], 2 * f[2 * along]));
  }
  const LaneQ lq = MakeLaneQ(p.quant, oc);
  k.bias2[0] = k.bias2[1] = static_cast<int32_t>(2u * static_cast<uint32_t>(p.bias_eff[oc]));
  k.q = lq.q;
  k.rc = lq.rc;
  k.e = lq.e;
  k.lo = p.quant.act_min;
  k.hi = p.quant.act_max;
  return k;
}

// Requantizes 2 * acc (see ChannelK).
template <bool kClamp>
inline int8_t Out2(int32_t acc2, const ChannelK& k) {
  const int32_t t = Smmulr(acc2, k.q);
  return Clamp8<kClamp>((t + (t >> 31) + k.rc) >> k.e, k.lo, k.hi);
}

// The requantization of both accumulators and the two stores of the row
// kernels: a, b, c are free registers on entry.
#define MOTE_DW_REQUANT_STORE(CLAMP)                               \
  "ldrd %[a], %[b], [%[k], #32]\n\t"                              \
  "ldr %[c], [%[k], #40]\n\t"                                     \
  "smmulr %[acc0], %[acc0], %[a]\n\t"                             \
  "smmulr %[acc1], %[acc1], %[a]\n\t"                             \
  "add %[acc0], %[acc0], %[acc0], asr #31\n\t"                    \
  "add %[acc1], %[acc1], %[acc1], asr #31\n\t"                    \
  "add %[acc0], %[acc0], %[b]\n\t"                                \
  "add %[acc1], %[acc1], %[b]\n\t"                                \
  "asr %[acc0], %[acc0], %[c]\n\t"                                \
  "asr %[acc1], %[acc1], %[c]\n\t"                                \
  "ssat %[acc0], #8, %[acc0]\n\t"                                 \
  "ssat %[acc1], #8, %[acc1]\n\t" CLAMP                           \
  "strb %[acc1], [%[out], %[pitch]]\n\t"                          \
  "strb %[acc0], [%[out]]\n\t"                                    \
  "add %[out], %[out], %[pitch], lsl #1\n\t"
#define MOTE_DW_CLAMP                                              \
  "ldrd %[a], %[b], [%[k], #44]\n\t"                              \
  "cmp %[acc0], %[a]\n\t"                                         \
  "it lt\n\t"                                                     \
  "movlt %[acc0], %[a]\n\t"                                       \
  "cmp %[acc0], %[b]\n\t"                                         \
  "it gt\n\t"                                                     \
  "movgt %[acc0], %[b]\n\t"                                       \
  "cmp %[acc1], %[a]\n\t"                                         \
  "it lt\n\t"                                                     \
  "movlt %[acc1], %[a]\n\t"                                       \
  "cmp %[acc1], %[b]\n\t"                                         \
  "it gt\n\t"                                                     \
  "movgt %[acc1], %[b]\n\t"

#define MOTE_DW_S1_ROW(R, OFF)                                     \
  "ldrd %[a], %[b], [%[" R "]], #4\n\t"                           \
  "ldrd %[c], %[w12], [%[k], #" OFF "]\n\t"                       \
  "smlad %[acc0], %[a], %[c], %[acc0]\n\t"                        \
  "smlabt %[acc0], %[b], %[w12], %[acc0]\n\t"                     \
  "smlabt %[acc1], %[c], %[a], %[acc1]\n\t"                       \
  "smlad %[acc1], %[b], %[w12], %[acc1]\n\t"
#define MOTE_DW_S2_ROW(R, OFF)                                     \
  "ldrd %[a], %[b], [%[" R "]], #8\n\t"                           \
  "ldrd %[c], %[w12], [%[k], #" OFF "]\n\t"                       \
  "smlad %[acc0], %[a], %[c], %[acc0]\n\t"                        \
  "smlabt %[acc0], %[b], %[w12], %[acc0]\n\t"                     \
  "smlad %[acc1], %[b], %[c], %[acc1]\n\t"                        \
  "ldr %[a], [%[" R "]]\n\t"                                      \
  "smlabt %[acc1], %[a], %[w12], %[acc1]\n\t"
#define MOTE_DW_PAIRS(ROW, CLAMP)                                  \
  __asm__ volatile(                                               \
      "1:\n\t"                                                    \
      "ldrd %[acc0], %[acc1], [%[k], #24]\n\t" ROW("r0", "0")     \
          ROW("r1", "8") ROW("r2", "16") MOTE_DW_REQUANT_STORE(CLAMP) \
      "subs %[n], %[n], #1\n\t"                                   \
      "bne 1b\n\t"                                                \
      : [r0] "+r"(r0), [r1] "+r"(r1), [r2] "+r"(r2), [out] "+r"(out), [n] "+r"(pairs), \
        [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [w12] "=&r"(w12), [acc0] "=&r"(acc0), \
        [acc1] "=&r"(acc1)                                        \
      : [k] "r"(k), [pitch] "r"(pitch)                            \
      : "cc", "memory")

// One output row of one channel: out_w outputs, `pitch` bytes apart, from
// the channel's plane rows r0..r2 (padded rows y0, y0 + 1, y0 + 2).
//
// Stride 1: output pair (2i, 2i + 1) reads words i and i + 1 of each row,
// a = (x[2i], x[2i+1]) and b = (x[2i+2], x[2i+3]):
//   out0 += a . W01 + x[2i+2] * w2   (SMLAD; SMLABT: b bottom x W12 top)
//   out1 += x[2i+1] * w0 + b . W12   (SMLABT: W01 bottom x a top; SMLAD)
// Stride 2: output pair (2i, 2i + 1) reads words 2i, 2i + 1, 2i + 2:
//   out0 += (x[4i], x[4i+1]) . W01 + x[4i+2] * w2
//   out1 += (x[4i+2], x[4i+3]) . W01 + x[4i+4] * w2
// The pairs run in assembly (GCC spills the weights otherwise): per pair
// 18 (stride 1) or 21 (stride 2) accumulation instructions, 17 for
// requantization and stores, 2 for the loop. An odd last output is one more
// pair with pitch 0: its second value is stored first and overwritten (the
// plane rows hold the words it reads, see PlaneWords).
template <int S, bool kClamp>
inline void Row(const int32_t* r0, const int32_t* r1, const int32_t* r2, const ChannelK* k,
                int8_t* out, int32_t pitch, int32_t out_w) {
  int32_t pairs = out_w >> 1;
  int32_t a, b, c, w12, acc0, acc1;
  if (pairs > 0) {
    MOTE_DW_FOR_STRIDE_CLAMP(MOTE_DW_PAIRS, MOTE_DW_S1_ROW, MOTE_DW_S2_ROW, MOTE_DW_CLAMP);
  }
  if (out_w & 1) {
    pairs = 1;
    pitch = 0;
    MOTE_DW_FOR_STRIDE_CLAMP(MOTE_DW_PAIRS, MOTE_DW_S1_ROW, MOTE_DW_S2_ROW, MOTE_DW_CLAMP);
  }
}

template <int S, bool kClamp>
void Run3x3(const Node& node, Tensor* tensors, bool transposed) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, cq);
  const Lines ln = MakeLines(p.window, s, transposed);
  const int8_t zp = static_cast<int8_t>(-cq.input_offset);
  const int32_t np = PlaneWords(ln.len, ln.stride_along);
  Planes pl{reinterpret_cast<int32_t*>(node.scratch), np};
  ChannelK* ks = reinterpret_cast<ChannelK*>(node.scratch + PlaneBytes(np));
  const int32_t dm = s.dm;
  const size_t plane_words = static_cast<size_t>(3) * np;  // one lane's 3 slots
  const size_t in_batch = static_cast<size_t>(s.in_h) * s.in_w * s.in_c;
  const size_t out_batch = static_cast<size_t>(p.window.out_h) * p.window.out_w * s.out_c;

  for (int32_t c0 = 0; c0 < s.in_c; c0 += 4) {
    const int32_t lanes = s.in_c - c0 < 4 ? s.in_c - c0 : 4;
    const int32_t nk = lanes * dm;  // output channels c0 * dm ..
    for (int32_t i = 0; i < nk; ++i) {
      ks[i] = MakeChannel(p, flt, s.out_c, c0 * dm + i, transposed);
    }
    for (int32_t b = 0; b < s.batches; ++b) {
      int32_t filled = 0;
      const int8_t* in_b = in + b * in_batch + c0;
      int8_t* oline = out + b * out_batch + c0 * dm;
      for (int32_t o = 0; o < ln.n_lines; ++o, oline += ln.out_line_step) {
        const int32_t y0 = o * ln.stride_across;
        for (int32_t yp = filled > y0 ? filled : y0; yp <= y0 + 2; ++yp) {
          const int32_t y = yp - ln.pad_across;
          const int8_t* src = y >= 0 && y < ln.in_lines ? in_b + y * ln.in_line_step : nullptr;
          int32_t* const d[4] = {pl.row(0, yp), pl.row(1, yp), pl.row(2, yp), pl.row(3, yp)};
          FillPlanes(d, np, src, ln.in_len, ln.in_elem_step, ln.pad_along, lanes, zp);
        }
        filled = y0 + 3;
        const int32_t* r0 = pl.row(0, y0);
        const int32_t* r1 = pl.row(0, y0 + 1);
        const int32_t* r2 = pl.row(0, y0 + 2);
        const ChannelK* k = ks;
        int8_t* op = oline;
        for (int32_t l = 0; l < lanes; ++l) {
          for (int32_t m = 0; m < dm; ++m) {
            Row<S, kClamp>(r0, r1, r2, k++, op++, ln.out_elem_step, ln.len);
          }
          r0 += plane_words;
          r1 += plane_words;
          r2 += plane_words;
        }
      }
    }
  }
}

bool FullRange(const ConvQuant& q) { return q.act_min <= -128 && q.act_max >= 127; }

// ---- Pixel kernel: 4 channels of one output pixel per step ----------------
//
// For narrow outputs (few pixels per row, many channels) the per-row cost of
// the planes dominates; these layers go channel group by channel group, pixel
// by pixel instead. The ring holds 3 padded rows of the group's 4 channels,
// already split by SXTB16: per padded pixel two words, (x[c0], x[c2]) and
// (x[c1], x[c3]) as int16 pairs. The group block holds the doubled weights
// split the same way (per tap: (w[c0], w[c2]), (w[c1], w[c3])), 2 * bias_eff
// and q, rc, e per channel, so that per tap the kernel does two LDRD and four
// SMLAxy (SMLABB for channels 0/1, SMLATT for 2/3).
struct PixBlock {
  int32_t w[18];       // 0: per tap t, words 2t (even channels), 2t + 1 (odd)
  int32_t bias2[4];    // 72
  int32_t qre[4][3];   // 88: q, rc, e of channel l at 88 + 12 l
  int32_t pitch;       // 136
  int32_t lo, hi;      // 140, 144
};
static_assert(sizeof(PixBlock) == 148, "the pixel kernel hard-codes the layout");

// Words per ring slot row: two per padded pixel the window reads.
int32_t PixRowWords(const ConvWindow& w) { return 2 * RingWidth(w, 3); }
size_t PixScratch(const ConvWindow& w) {
  return sizeof(PixBlock) + static_cast<size_t>(3 * 4) * PixRowWords(w);
}
// Small outputs both ways (a line would hold fewer than 8 outputs).
bool UsePixelKernel(const ConvWindow& w, const Shape& s) {
  return s.dm == 1 && s.in_c % 4 == 0 && w.out_w < 8 && w.out_h < 8 &&
         (w.stride_w == 1 || w.stride_w == 2);
}

// One padded row: d gets two words per padded pixel; src is the row's first
// input pixel at channel c0 (null for a row in the padding).
void FillPixRow(int32_t* d, int32_t wpx, const int8_t* src, int32_t in_w, int32_t pitch,
                int32_t pad_w, int32_t zpair) {
  if (src == nullptr) {
    for (int32_t i = 0; i < 2 * wpx; ++i) d[i] = zpair;
    return;
  }
  int32_t x_lo = pad_w < wpx ? pad_w : wpx;
  int32_t x_hi = pad_w + in_w < wpx ? pad_w + in_w : wpx;
  int32_t xp = 0;
  for (; xp < x_lo; ++xp) d[2 * xp] = d[2 * xp + 1] = zpair;
  const int8_t* px = src + (xp - pad_w) * pitch;
  for (; xp < x_hi; ++xp, px += pitch) {
    const int32_t v = *reinterpret_cast<const int32_t*>(px);
    d[2 * xp] = Sxtb16(v);
    d[2 * xp + 1] = Sxtb16Ror8(v);
  }
  for (; xp < wpx; ++xp) d[2 * xp] = d[2 * xp + 1] = zpair;
}

#define MOTE_DW_PX_TAP(R, XOFF, WOFF)                              \
  "ldrd %[xe], %[xo], [%[" R "], #" XOFF "]\n\t"                  \
  "ldrd %[we], %[wo], [%[wp], #" WOFF "]\n\t"                     \
  "smlabb %[a0], %[xe], %[we], %[a0]\n\t"                         \
  "smlatt %[a2], %[xe], %[we], %[a2]\n\t"                         \
  "smlabb %[a1], %[xo], %[wo], %[a1]\n\t"                         \
  "smlatt %[a3], %[xo], %[wo], %[a3]\n\t"
// kx = 0 last, advancing the row pointer by one output pixel.
#define MOTE_DW_PX_TAP0(R, STEP, WOFF)                             \
  "ldrd %[xe], %[xo], [%[" R "]], #" STEP "\n\t"                  \
  "ldrd %[we], %[wo], [%[wp], #" WOFF "]\n\t"                     \
  "smlabb %[a0], %[xe], %[we], %[a0]\n\t"                         \
  "smlatt %[a2], %[xe], %[we], %[a2]\n\t"                         \
  "smlabb %[a1], %[xo], %[wo], %[a1]\n\t"                         \
  "smlatt %[a3], %[xo], %[wo], %[a3]\n\t"
#define MOTE_DW_PX_RQ(A, QOFF, EOFF)                               \
  "ldrd %[we], %[wo], [%[wp], #" QOFF "]\n\t"                     \
  "ldr %[xe], [%[wp], #" EOFF "]\n\t"                             \
  "smmulr %[" A "], %[" A "], %[we]\n\t"                          \
  "add %[" A "], %[" A "], %[" A "], asr #31\n\t"                 \
  "add %[" A "], %[" A "], %[wo]\n\t"                             \
  "asr %[" A "], %[" A "], %[xe]\n\t"                             \
  "ssat %[" A "], #8, %[" A "]\n\t"
#define MOTE_DW_PX_CLAMP1(A)                                       \
  "cmp %[" A "], %[we]\n\t"                                       \
  "it lt\n\t"                                                     \
  "movlt %[" A "], %[we]\n\t"                                     \
  "cmp %[" A "], %[wo]\n\t"                                       \
  "it gt\n\t"                                                     \
  "movgt %[" A "], %[wo]\n\t"
#define MOTE_DW_PX_CLAMP                                           \
  "ldrd %[we], %[wo], [%[wp], #140]\n\t" MOTE_DW_PX_CLAMP1("a0")  \
      MOTE_DW_PX_CLAMP1("a1") MOTE_DW_PX_CLAMP1("a2") MOTE_DW_PX_CLAMP1("a3")
#define MOTE_DW_PX_LOOP(STEP, CLAMP)                               \
  __asm__ volatile(                                               \
      "1:\n\t"                                                    \
      "ldrd %[a0], %[a1], [%[wp], #72]\n\t"                       \
      "ldrd %[a2], %[a3], [%[wp], #80]\n\t"                       \
      MOTE_DW_PX_TAP("p0", "8", "8") MOTE_DW_PX_TAP("p0", "16", "16") \
      MOTE_DW_PX_TAP0("p0", STEP, "0")                            \
      MOTE_DW_PX_TAP("p1", "8", "32") MOTE_DW_PX_TAP("p1", "16", "40") \
      MOTE_DW_PX_TAP0("p1", STEP, "24")                           \
      MOTE_DW_PX_TAP("p2", "8", "56") MOTE_DW_PX_TAP("p2", "16", "64") \
      MOTE_DW_PX_TAP0("p2", STEP, "48")                           \
      MOTE_DW_PX_RQ("a0", "88", "96") MOTE_DW_PX_RQ("a1", "100", "108") \
      MOTE_DW_PX_RQ("a2", "112", "120") MOTE_DW_PX_RQ("a3", "124", "132") CLAMP \
      "strb %[a0], [%[out]]\n\t"                                  \
      "strb %[a1], [%[out], #1]\n\t"                              \
      "strb %[a2], [%[out], #2]\n\t"                              \
      "strb %[a3], [%[out], #3]\n\t"                              \
      "ldr %[xe], [%[wp], #136]\n\t"                              \
      "add %[out], %[out], %[xe]\n\t"                             \
      "ldr %[xe], %[n]\n\t"                                       \
      "subs %[xe], %[xe], #1\n\t"                                 \
      "str %[xe], %[n]\n\t"                                       \
      "bne 1b\n\t"                                                \
      : [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [out] "+r"(out), [n] "+m"(n), \
        [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [xe] "=&r"(xe), \
        [xo] "=&r"(xo), [we] "=&r"(we), [wo] "=&r"(wo)            \
      : [wp] "r"(blk)                                             \
      : "cc", "memory")

// One output row of one group: out_w >= 1 pixels.
template <int S, bool kClamp>
void PixRow(const int32_t* p0, const int32_t* p1, const int32_t* p2, const PixBlock* blk,
            int8_t* out, int32_t out_w) {
  volatile int32_t n = out_w;
  int32_t a0, a1, a2, a3, xe, xo, we, wo;
  MOTE_DW_FOR_STRIDE_CLAMP(MOTE_DW_PX_LOOP, "8", "16", MOTE_DW_PX_CLAMP);
}

template <int S, bool kClamp>
void RunPixel(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, cq);
  const int8_t zp = static_cast<int8_t>(-cq.input_offset);
  const int32_t zpair = static_cast<int32_t>(Pair(zp, zp));
  PixBlock* blk = reinterpret_cast<PixBlock*>(node.scratch);
  int32_t* ring = reinterpret_cast<int32_t*>(node.scratch + sizeof(PixBlock));
  const int32_t row_words = PixRowWords(w);
  const int32_t wpx = row_words / 2;
  const int32_t pitch = s.out_c;
  const size_t in_row = static_cast<size_t>(s.in_w) * s.in_c;
  blk->pitch = pitch;
  blk->lo = cq.act_min;
  blk->hi = cq.act_max;
  for (int32_t c0 = 0; c0 < s.in_c; c0 += 4) {
    for (int32_t t = 0; t < 9; ++t) {
      const int8_t* f = flt + static_cast<size_t>(t) * s.out_c + c0;
      blk->w[2 * t] = static_cast<int32_t>(Pair(2 * f[0], 2 * f[2]));
      blk->w[2 * t + 1] = static_cast<int32_t>(Pair(2 * f[1], 2 * f[3]));
    }
    for (int32_t l = 0; l < 4; ++l) {
      const LaneQ lq = MakeLaneQ(cq, c0 + l);
      blk->bias2[l] = static_cast<int32_t>(2u * static_cast<uint32_t>(p.bias_eff[c0 + l]));
      blk->qre[l][0] = lq.q;
      blk->qre[l][1] = lq.rc;
      blk->qre[l][2] = lq.e;
    }
    for (int32_t b = 0; b < s.batches; ++b) {
      const int8_t* in_b = in + static_cast<size_t>(b) * s.in_h * in_row + c0;
      int8_t* orow = out + static_cast<size_t>(b) * w.out_h * w.out_w * pitch + c0;
      int32_t filled = 0;
      for (int32_t oy = 0; oy < w.out_h; ++oy, orow += static_cast<size_t>(w.out_w) * pitch) {
        const int32_t y0 = oy * w.stride_h;
        for (int32_t yp = filled > y0 ? filled : y0; yp <= y0 + 2; ++yp) {
          const int32_t y = yp - w.pad_h;
          FillPixRow(ring + (yp % 3) * row_words, wpx,
                     y >= 0 && y < s.in_h ? in_b + static_cast<size_t>(y) * in_row : nullptr,
                     s.in_w, s.in_c, w.pad_w, zpair);
        }
        filled = y0 + 3;
        PixRow<S, kClamp>(ring + (y0 % 3) * row_words, ring + ((y0 + 1) % 3) * row_words,
                          ring + ((y0 + 2) % 3) * row_words, blk, orow, w.out_w);
      }
    }
  }
}

// ---- One input channel, any filter: s8_dsp_cin1 ---------------------------
//
// Every output channel reads the same input plane, so a window of the padded
// plane is kept once, widened to int16 (one halfword per padded pixel): the
// rows output row oy reads, (KH - 1) * dilation_h + 1 of them, contiguous
// (moved up by stride_h rows per output row, new rows filled below). The two
// taps (kx, kx + 1) of a filter row are then one (unaligned) word, and SMLAD
// against the packed, doubled weights (w[kx], w[kx + 1]) of an output channel
// does both. Output channels go 4 at a time; a block holds, per group of
// 4, per filter row, per pair of taps, the 4 channels' weight pairs (an odd
// last tap pairs with a zero weight: window rows have one more halfword so
// that it can be read). The accumulation runs in assembly (7 instructions
// per pair of taps and 4 channels); requantization in C.
// Output rows go outermost, every group's block built once up front: the
// window is filled once per output row, and the rows an output row reads are
// read (into the window) before any of its outputs is written, never again
// afterwards: the streaming overlap of StreamingGap(..., out_w, reads_first).
struct Cin1Geo {
  int32_t rows;   // window rows
  int32_t wpx;    // halfwords per row that are read
  int32_t pitch;  // halfwords per row (even)
  int32_t pairs;  // pairs of taps per filter row
};
Cin1Geo MakeCin1Geo(const ConvWindow& w, const Shape& s) {
  Cin1Geo g;
  g.rows = RingSlots(w, s.filter_h);
  g.wpx = RingWidth(w, s.filter_w) + 1;
  g.pitch = (g.wpx + 1) & ~1;
  g.pairs = (s.filter_w + 1) / 2;
  return g;
}
// The block of one group of 4 output channels: weight pairs [ky][pair][4],
// then 2 * bias_eff and rc of the 4 channels. Scratch: every group's block,
// then the window.
size_t Cin1BlockWords(const Shape& s, const Cin1Geo& g) {
  return static_cast<size_t>(4) * s.filter_h * g.pairs + 8;
}
size_t ScratchCin1(const ConvWindow& w, const Shape& s) {
  const Cin1Geo g = MakeCin1Geo(w, s);
  const size_t groups = static_cast<size_t>((s.out_c + 3) / 4);
  return 4 * groups * Cin1BlockWords(s, g) + 2 * static_cast<size_t>(g.rows) * g.pitch;
}

#define MOTE_DW_C1_PAIR(XOFF)                                      \
  "ldr %[x], [%[r], #" XOFF "]\n\t"                               \
  "ldrd %[w0], %[w1], [%[wp]], #8\n\t"                            \
  "smlad %[a0], %[x], %[w0], %[a0]\n\t"                           \
  "smlad %[a1], %[x], %[w1], %[a1]\n\t"                           \
  "ldrd %[w0], %[w1], [%[wp]], #8\n\t"                            \
  "smlad %[a2], %[x], %[w0], %[a2]\n\t"                           \
  "smlad %[a3], %[x], %[w1], %[a3]\n\t"
#define MOTE_DW_C1_ROWS(PAIRS)                                     \
  __asm__ volatile("1:\n\t" PAIRS                                 \
                   "add %[r], %[r], %[skip]\n\t"                  \
                   "subs %[k], %[k], #1\n\t"                      \
                   "bne 1b\n\t"                                   \
                   : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [r] "+r"(r), \
                     [wp] "+r"(wp), [k] "+r"(k), [x] "=&r"(x), [w0] "=&r"(w0), [w1] "=&r"(w1) \
                   : [skip] "r"(skip)                             \
                   : "cc", "memory")

// acc[0..3] += the window at r (kh rows, `skip` bytes apart) times the
// weights at wp, P pairs of taps per row.
template <int P>
inline void Cin1Acc(int32_t* acc, const int16_t* r, const int32_t* wp, int32_t kh, int32_t skip) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], k = kh, x, w0, w1;
  if (P == 1) MOTE_DW_C1_ROWS(MOTE_DW_C1_PAIR("0"));
  if (P == 2) MOTE_DW_C1_ROWS(MOTE_DW_C1_PAIR("0") MOTE_DW_C1_PAIR("4"));
  if (P == 3) MOTE_DW_C1_ROWS(MOTE_DW_C1_PAIR("0") MOTE_DW_C1_PAIR("4") MOTE_DW_C1_PAIR("8"));
  if (P == 4) {
    MOTE_DW_C1_ROWS(MOTE_DW_C1_PAIR("0") MOTE_DW_C1_PAIR("4") MOTE_DW_C1_PAIR("8")
                        MOTE_DW_C1_PAIR("12"));
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

// Any number of pairs: the rows in C.
inline void Cin1AccAny(int32_t* acc, const int16_t* r, const int32_t* wp, int32_t kh,
                       int32_t skip, int32_t pairs) {
  for (int32_t ky = 0; ky < kh; ++ky) {
    for (int32_t j = 0; j < pairs; ++j, wp += 4) {
      int32_t xp;
      memcpy(&xp, r + 2 * j, 4);
      acc[0] = __smlad(xp, wp[0], acc[0]);
      acc[1] = __smlad(xp, wp[1], acc[1]);
      acc[2] = __smlad(xp, wp[2], acc[2]);
      acc[3] = __smlad(xp, wp[3], acc[3]);
    }
    r = reinterpret_cast<const int16_t*>(reinterpret_cast<const int8_t*>(r) + skip);
  }
}

template <int P, bool kClamp>
void RunCin1(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, cq);
  const Cin1Geo g = MakeCin1Geo(w, s);
  const int16_t zp = static_cast<int16_t>(-cq.input_offset);
  const int32_t kh = s.filter_h, kw = s.filter_w, oc_n = s.out_c;
  const size_t block_words = Cin1BlockWords(s, g);
  int32_t* blocks = reinterpret_cast<int32_t*>(node.scratch);
  int16_t* win = reinterpret_cast<int16_t*>(node.scratch + 4 * block_words *
                                                                static_cast<size_t>((oc_n + 3) / 4));
  const int32_t skip = 2 * g.pitch * w.dilation_h;  // bytes from one filter row to the next
  auto fill = [&](const int8_t* in_b, int32_t yp, int16_t* d) {
    const int32_t y = yp - w.pad_h;
    if (y < 0 || y >= s.in_h) {
      for (int32_t i = 0; i < g.wpx; ++i) d[i] = zp;
      return;
    }
    const int8_t* src = in_b + static_cast<size_t>(y) * s.in_w;
    for (int32_t i = 0; i < g.wpx; ++i) {
      const int32_t x = i - w.pad_w;
      d[i] = static_cast<uint32_t>(x) < static_cast<uint32_t>(s.in_w) ? src[x] : zp;
    }
  };
  // Every group's block (the depth multiplier is a multiple of 4).
  for (int32_t c0 = 0; c0 < oc_n; c0 += 4) {
    int32_t* wb = blocks + static_cast<size_t>(c0 / 4) * block_words;
    int32_t* bias2 = wb + static_cast<size_t>(4) * kh * g.pairs;
    int32_t* rcs = bias2 + 4;
    for (int32_t c = 0; c < 4; ++c) {
      const int32_t oc = c0 + c;
      for (int32_t ky = 0; ky < kh; ++ky) {
        for (int32_t j = 0; j < g.pairs; ++j) {
          const int32_t k0 = 2 * j, k1 = 2 * j + 1;
          const int32_t w0 = flt[(static_cast<size_t>(ky) * kw + k0) * oc_n + oc];
          const int32_t w1 = k1 < kw ? flt[(static_cast<size_t>(ky) * kw + k1) * oc_n + oc] : 0;
          wb[(static_cast<size_t>(ky) * g.pairs + j) * 4 + c] =
              static_cast<int32_t>(Pair(2 * w0, 2 * w1));
        }
      }
      bias2[c] = static_cast<int32_t>(2u * static_cast<uint32_t>(p.bias_eff[oc]));
      rcs[c] = MakeLaneQ(cq, oc).rc;
    }
  }
  for (int32_t b = 0; b < s.batches; ++b) {
    const int8_t* in_b = in + static_cast<size_t>(b) * s.in_h * s.in_w;
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      // Window row i holds padded row oy * stride_h + i.
      const int32_t keep =
          SlideWindow(win, oy, g.rows, w.stride_h, 2 * static_cast<size_t>(g.pitch));
      for (int32_t i = keep; i < g.rows; ++i) {
        fill(in_b, oy * w.stride_h + i, win + static_cast<size_t>(i) * g.pitch);
      }
      int8_t* const orow = out + (static_cast<size_t>(b) * w.out_h + oy) * w.out_w * oc_n;
      for (int32_t c0 = 0; c0 < oc_n; c0 += 4) {
        const int32_t* wb = blocks + static_cast<size_t>(c0 / 4) * block_words;
        const int32_t* bias2 = wb + static_cast<size_t>(4) * kh * g.pairs;
        const int32_t* rcs = bias2 + 4;
        int32_t q[4], e[4];
        for (int32_t c = 0; c < 4; ++c) {
          q[c] = cq.multiplier[c0 + c];
          e[c] = -cq.shift[c0 + c];
        }
        int8_t* o = orow + c0;
        const int16_t* r = win;
        for (int32_t ox = 0; ox < w.out_w; ++ox, o += oc_n, r += w.stride_w) {
          int32_t acc[4] = {bias2[0], bias2[1], bias2[2], bias2[3]};
          if (P > 0) {
            Cin1Acc<P>(acc, r, wb, kh, skip);
          } else {
            Cin1AccAny(acc, r, wb, kh, skip, g.pairs);
          }
          for (int32_t c = 0; c < 4; ++c) {
            const int32_t t = Smmulr(acc[c], q[c]);
            o[c] = Clamp8<kClamp>((t + (t >> 31) + rcs[c]) >> e[c], cq.act_min, cq.act_max);
          }
        }
      }
    }
  }
}

}  // namespace

// ComputeBiasEff 4 channels at a time when the channel count is a multiple
// of 4 and the taps are few enough for int16 sums (taps * 128 < 2^15): per
// tap one word, SXTB16 into (c0, c2) and (c1, c3), SADD16 into the sums.
void ComputeBiasEffDsp(const Tensor& filter, const Tensor* bias, int32_t input_offset,
                       int32_t* bias_eff) {
  const int32_t taps = filter.dims[1] * filter.dims[2];
  const int32_t out_c = filter.dims[3];
  if (out_c % 4 != 0 || taps > 255) {
    ComputeBiasEff(filter, bias, input_offset, bias_eff);
    return;
  }
  const int8_t* w = filter.as<int8_t>();
  const int32_t* b = bias != nullptr ? bias->as<int32_t>() : nullptr;
  for (int32_t c0 = 0; c0 < out_c; c0 += 4) {
    int32_t even = 0, odd = 0;
    const int8_t* wt = w + c0;
    for (int32_t t = 0; t < taps; ++t, wt += out_c) {
      int32_t v;
      memcpy(&v, wt, 4);
      even = static_cast<int32_t>(__sadd16(even, Sxtb16(v)));
      odd = static_cast<int32_t>(__sadd16(odd, Sxtb16Ror8(v)));
    }
    const int32_t sums[4] = {static_cast<int16_t>(even), static_cast<int16_t>(odd),
                             even >> 16, odd >> 16};
    for (int32_t c = 0; c < 4; ++c) {
      // Modulo 2^32, like the scalar code (|sum| < 2^15).
      const uint32_t folded = static_cast<uint32_t>(sums[c]) * static_cast<uint32_t>(input_offset);
      const uint32_t base = b != nullptr ? static_cast<uint32_t>(b[c0 + c]) : 0u;
      bias_eff[c0 + c] = static_cast<int32_t>(base + folded);
    }
  }
}

bool AppliesDsp3x3(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  return AppliesS8(p, ctx) && filter.dims[1] == 3 && filter.dims[2] == 3 &&
         p.window.dilation_h == 1 && p.window.dilation_w == 1 &&
         ChooseKernel3x3(p.window, GetShape(ctx.input(0), filter, ctx.output(0))) !=
             Kernel3x3::kNone &&
         RequantOk(p, ctx, true) &&
         p.depth_multiplier <= 64 &&
         ScratchDsp3x3(p.window, GetShape(ctx.input(0), filter, ctx.output(0))) <= kMaxRingBytes;
}

bool AppliesDspCin1(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  const Shape s = GetShape(ctx.input(0), filter, ctx.output(0));
  return AppliesS8(p, ctx) && s.in_c == 1 && s.dm % 4 == 0 && p.window.dilation_w == 1 &&
         RequantOk(p, ctx, true) && ScratchCin1(p.window, s) <= kMaxRingBytes;
}

size_t ScratchDspCin1(const ConvWindow& w, const Shape& s) { return ScratchCin1(w, s); }

void EvalS8DspCin1(const Node& node_in, Tensor* tensors) {
  const EvalScope scope(node_in, tensors);
  const Node& node = scope.node;
  const DepthwiseConv2DParams& p = *static_cast<const DepthwiseConv2DParams*>(node.params);
  const bool full = FullRange(p.quant);
  switch ((node.input(tensors, 1).dims[2] + 1) / 2) {
    case 1: return full ? RunCin1<1, false>(node, tensors) : RunCin1<1, true>(node, tensors);
    case 2: return full ? RunCin1<2, false>(node, tensors) : RunCin1<2, true>(node, tensors);
    case 3: return full ? RunCin1<3, false>(node, tensors) : RunCin1<3, true>(node, tensors);
    case 4: return full ? RunCin1<4, false>(node, tensors) : RunCin1<4, true>(node, tensors);
    default: return full ? RunCin1<0, false>(node, tensors) : RunCin1<0, true>(node, tensors);
  }
}

size_t ScratchDsp3x3(const ConvWindow& w, const Shape& s) {
  const Kernel3x3 k = ChooseKernel3x3(w, s);
  if (k == Kernel3x3::kPixels) return PixScratch(w);
  const Lines ln = MakeLines(w, s, k == Kernel3x3::kColumns);
  return PlaneBytes(PlaneWords(ln.len, ln.stride_along)) +
         sizeof(ChannelK) * 4 * static_cast<size_t>(s.dm);
}

void EvalS8Dsp3x3(const Node& node_in, Tensor* tensors) {
  const EvalScope scope(node_in, tensors);
  const Node& node = scope.node;
  const DepthwiseConv2DParams& p = *static_cast<const DepthwiseConv2DParams*>(node.params);
  const bool full = FullRange(p.quant);
  const Shape s = GetShape(node.input(tensors, 0), node.input(tensors, 1), node.output(tensors, 0));
  const Kernel3x3 k = ChooseKernel3x3(p.window, s);
  if (k == Kernel3x3::kPixels) {
    if (p.window.stride_w == 1) {
      return full ? RunPixel<1, false>(node, tensors) : RunPixel<1, true>(node, tensors);
    }
    return full ? RunPixel<2, false>(node, tensors) : RunPixel<2, true>(node, tensors);
  }
  const bool cols = k == Kernel3x3::kColumns;
  if ((cols ? p.window.stride_h : p.window.stride_w) == 1) {
    return full ? Run3x3<1, false>(node, tensors, cols) : Run3x3<1, true>(node, tensors, cols);
  }
  return full ? Run3x3<2, false>(node, tensors, cols) : Run3x3<2, true>(node, tensors, cols);
}

}  // namespace dw_opt
}  // namespace ops
}  // namespace mote

#endif  // defined(__ARM_FEATURE_DSP)
