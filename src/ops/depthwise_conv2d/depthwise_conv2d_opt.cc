// DEPTHWISE_CONV_2D int8, portable optimized kernels (plain C++, no
// intrinsics) and what every optimized variant shares (predicates, bias_eff,
// the padded-row ring): the restructured arithmetic of depthwise_conv2d_opt.h
// (folded input offset, padding read from a zero-point ring instead of
// tested per tap) on any CPU, so the host and a Cortex-M without DSP run it
// and the oracle replay checks it on the host.
//
// s8_opt_3x3      3x3 filter, dilation 1, any stride, any depth multiplier
//                 (AppliesOpt3x3): the 9 taps unrolled.
// s8_opt_generic  any other filter size, stride, dilation and multiplier
//                 whose ring fits kMaxRingBytes (AppliesOptGeneric).
// Both walk groups of kOptGroup input channels; per group, output rows top
// to bottom, each reading its padded rows from the ring. Requantization is
// the reference's (quant::MultiplyByQuantizedMultiplier).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"

namespace mote {
namespace ops {
namespace dw_opt {

int32_t OptGroup(int32_t in_c) { return in_c < kOptGroup ? in_c : kOptGroup; }

void FillRingRow(Ring& ring, const int8_t* in, const Shape& s, const ConvWindow& w, int32_t b,
                 int32_t yp, int32_t c0, int32_t lanes, int8_t zp) {
  int8_t* dst = ring.slot(yp);
  const int32_t y = yp - w.pad_h;
  const int32_t g = ring.group;
  if (y < 0 || y >= s.in_h) {
    memset(dst, zp, static_cast<size_t>(ring.wp) * g);
    return;
  }
  // Columns: [0, x_lo) padding, [x_lo, x_hi) input, [x_hi, wp) padding.
  int32_t x_lo = w.pad_w < ring.wp ? w.pad_w : ring.wp;
  int32_t x_hi = w.pad_w + s.in_w < ring.wp ? w.pad_w + s.in_w : ring.wp;
  if (x_hi < x_lo) x_hi = x_lo;
  memset(dst, zp, static_cast<size_t>(x_lo) * g);
  memset(dst + static_cast<size_t>(x_hi) * g, zp, static_cast<size_t>(ring.wp - x_hi) * g);
  const int8_t* src = in + ((static_cast<size_t>(b) * s.in_h + y) * s.in_w) * s.in_c + c0;
  int8_t* d = dst + static_cast<size_t>(x_lo) * g;
  const int32_t n = x_hi - x_lo;
  if (lanes == s.in_c && g == s.in_c) {
    memcpy(d, src, static_cast<size_t>(n) * g);
    return;
  }
  if (g == 4 && lanes == 4) {
    for (int32_t i = 0; i < n; ++i) {
      memcpy(d + 4 * i, src + static_cast<size_t>(i) * s.in_c, 4);
    }
    return;
  }
  for (int32_t i = 0; i < n; ++i) {
    const int8_t* px = src + static_cast<size_t>(i) * s.in_c;
    int8_t* o = d + static_cast<size_t>(i) * g;
    int32_t l = 0;
    for (; l < lanes; ++l) o[l] = px[l];
    for (; l < g; ++l) o[l] = zp;
  }
}

bool AppliesS8(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  (void)p;
  const Tensor& input = ctx.input(0);
  const Tensor& filter = ctx.input(1);
  if (input.type != DType::kInt8 || filter.type != DType::kInt8) return false;
  if (!filter.is_constant() || filter.data == nullptr) return false;
  if (ctx.has_input(2) && (!ctx.input(2).is_constant() || ctx.input(2).data == nullptr)) {
    return false;
  }
  const int64_t taps = static_cast<int64_t>(filter.dims[1]) * filter.dims[2];
  return taps > 0 && taps <= kMaxTaps &&
         ShapeBounded(p.window, filter.dims[2], filter.dims[1], filter.dims[3]);
}

bool ShapeBounded(const ConvWindow& w, int32_t filter_w, int32_t filter_h, int32_t out_c) {
  // Every ring, window and block size the kernels compute is then a small
  // int32.
  const int64_t wp = static_cast<int64_t>(w.out_w - 1) * w.stride_w +
                     static_cast<int64_t>(filter_w - 1) * w.dilation_w + 1;
  const int64_t rows = static_cast<int64_t>(filter_h - 1) * w.dilation_h + 1;
  return wp <= kMaxExtent && rows <= kMaxExtent && w.out_h <= kMaxExtent &&
         w.stride_h <= kMaxExtent && out_c <= kMaxExtent;
}

bool Is3x3M1(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  return filter.dims[1] == 3 && filter.dims[2] == 3 && p.window.dilation_h == 1 &&
         p.window.dilation_w == 1 && p.depth_multiplier == 1;
}

bool Is3x3Cin1(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  return filter.dims[1] == 3 && filter.dims[2] == 3 && p.window.dilation_h == 1 &&
         p.window.dilation_w == 1 && ctx.input(0).dims[3] == 1 && p.depth_multiplier % 4 == 0;
}

bool NoMinWeight(PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  const int8_t* w = filter.as<int8_t>();
  const int32_t n = filter.elements();
  for (int32_t i = 0; i < n; ++i) {
    if (w[i] == -128) return false;
  }
  return true;
}

bool RequantOk(const DepthwiseConv2DParams& p, PrepareContext& ctx, bool dsp) {
  const Tensor& filter = ctx.input(1);
  const int32_t out_c = filter.dims[3];
  const int64_t taps = static_cast<int64_t>(filter.dims[1]) * filter.dims[2];
  const int32_t* bias = ctx.has_input(2) ? ctx.input(2).as<int32_t>() : nullptr;
  const int64_t out_offset = p.quant.output_offset < 0 ? -p.quant.output_offset
                                                       : p.quant.output_offset;
  const ChannelScales cs = ConvChannelScales(ctx.input(0), filter, ctx.output(0));
  for (int32_t c = 0; c < out_c; ++c) {
    int32_t multiplier = 0, shift = 0;
    ChannelMultiplier(cs, c, &multiplier, &shift);
    const int32_t e = -shift;
    if (e < 1 || e > 31 || multiplier < 0) return false;
    const int64_t b = bias != nullptr ? bias[c] : 0;
    const int64_t bound = (b < 0 ? -b : b) + taps * 128 * 255;  // |acc|
    if (bound >= (INT64_C(1) << 30)) return false;
    if (dsp && bound + 1 + (INT64_C(1) << (e - 1)) + (out_offset << e) >= (INT64_C(1) << 31)) {
      return false;
    }
  }
  return true;
}

void ComputeBiasEff(const Tensor& filter, const Tensor* bias, int32_t input_offset,
                    int32_t* bias_eff) {
  const int32_t taps = filter.dims[1] * filter.dims[2];
  const int32_t out_c = filter.dims[3];
  const int8_t* w = filter.as<int8_t>();
  const int32_t* b = bias != nullptr ? bias->as<int32_t>() : nullptr;
  for (int32_t c = 0; c < out_c; ++c) {
    int64_t sum = 0;
    for (int32_t k = 0; k < taps; ++k) sum += w[static_cast<size_t>(k) * out_c + c];
    // Modulo 2^32, like the reference's wrapping accumulator.
    const uint32_t folded = static_cast<uint32_t>(static_cast<int64_t>(input_offset) * sum);
    const uint32_t base = b != nullptr ? static_cast<uint32_t>(b[c]) : 0u;
    bias_eff[c] = static_cast<int32_t>(base + folded);
  }
}

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
// depthwise_conv2d_mve.cc: 16 channels at a time.
void ComputeBiasEffMve(const Tensor& filter, const Tensor* bias, int32_t input_offset,
                       int32_t* bias_eff);
#elif defined(__ARM_FEATURE_DSP)
// depthwise_conv2d_dsp.cc: 4 channels at a time.
void ComputeBiasEffDsp(const Tensor& filter, const Tensor* bias, int32_t input_offset,
                       int32_t* bias_eff);
#endif

EvalScope::EvalScope(const Node& n, Tensor* tensors)
    : params(*static_cast<const DepthwiseConv2DParams*>(n.params)), node(n) {
  const Tensor& filter = n.input(tensors, 1);
  const Tensor* bias = n.has_input(2) ? &n.input(tensors, 2) : nullptr;
  int32_t* bias_eff = reinterpret_cast<int32_t*>(n.scratch);
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
  ComputeBiasEffMve(filter, bias, params.quant.input_offset, bias_eff);
#elif defined(__ARM_FEATURE_DSP)
  ComputeBiasEffDsp(filter, bias, params.quant.input_offset, bias_eff);
#else
  ComputeBiasEff(filter, bias, params.quant.input_offset, bias_eff);
#endif
  params.bias_eff = bias_eff;
  node.params = &params;
  node.scratch = n.scratch + BiasEffBytes(filter.dims[3]);
}

namespace {

bool RingFits(const DepthwiseConv2DParams& p, PrepareContext& ctx, int32_t group) {
  const Tensor& filter = ctx.input(1);
  return RingBytes(p.window, filter.dims[1], filter.dims[2], group) <= kMaxRingBytes;
}

// KH, KW > 0: compile-time filter size; 0: read from the shape.
template <int KH, int KW>
void RunOpt(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(DepthwiseConv2DParams, q);
  const int8_t zp = static_cast<int8_t>(-q.input_offset);
  const int32_t kh = KH > 0 ? KH : s.filter_h;
  const int32_t kw = KW > 0 ? KW : s.filter_w;
  const int32_t dh = KH > 0 ? 1 : w.dilation_h;
  const int32_t dw = KW > 0 ? 1 : w.dilation_w;
  const int32_t sw = w.stride_w;
  const int32_t dm = s.dm;

  Ring ring;
  ring.data = reinterpret_cast<int8_t*>(node.scratch);
  ring.slots = RingSlots(w, s.filter_h);
  ring.wp = RingWidth(w, s.filter_w);
  ring.group = OptGroup(s.in_c);
  ring.row_bytes = RingRowBytes(ring.wp, ring.group);
  const int32_t g = ring.group;

  const int8_t* rows[KH > 0 ? KH : 1];
  for (int32_t b = 0; b < s.batches; ++b) {
    for (int32_t c0 = 0; c0 < s.in_c; c0 += g) {
      const int32_t lanes = s.in_c - c0 < g ? s.in_c - c0 : g;
      ring.filled = 0;
      for (int32_t oy = 0; oy < w.out_h; ++oy) {
        AdvanceRing(ring, in, s, w, b, oy, c0, lanes, zp);
        int8_t* out_row = out + (static_cast<size_t>(b) * w.out_h + oy) * w.out_w * s.out_c;
        if (KH > 0) {
          for (int32_t ky = 0; ky < kh; ++ky) rows[ky] = ring.slot(oy * w.stride_h + ky);
        }
        for (int32_t ox = 0; ox < w.out_w; ++ox) {
          const int32_t x0 = ox * sw;
          for (int32_t l = 0; l < lanes; ++l) {
            const int32_t ic = c0 + l;
            for (int32_t m = 0; m < dm; ++m) {
              const int32_t oc = ic * dm + m;
              int32_t sum = 0;  // |sum| <= taps * 2^14 < 2^31
              for (int32_t ky = 0; ky < kh; ++ky) {
                const int8_t* row =
                    KH > 0 ? rows[ky] : ring.slot(oy * w.stride_h + ky * dh);
                const int8_t* fr = flt + static_cast<size_t>(ky) * kw * s.out_c + oc;
                for (int32_t kx = 0; kx < kw; ++kx) {
                  sum += fr[static_cast<size_t>(kx) * s.out_c] *
                         row[static_cast<size_t>(x0 + kx * dw) * g + l];
                }
              }
              int32_t acc = WrappingAdd(sum, p.bias_eff[oc]);
              acc = quant::MultiplyByQuantizedMultiplier(acc, q.multiplier[oc], q.shift[oc]);
              acc = WrappingAdd(acc, q.output_offset);
              out_row[static_cast<size_t>(ox) * s.out_c + oc] =
                  static_cast<int8_t>(quant::Clamp(acc, q.act_min, q.act_max));
            }
          }
        }
      }
    }
  }
}

}  // namespace

bool AppliesOpt3x3(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  return AppliesS8(p, ctx) && filter.dims[1] == 3 && filter.dims[2] == 3 &&
         p.window.dilation_h == 1 && p.window.dilation_w == 1 &&
         RingFits(p, ctx, OptGroup(ctx.input(0).dims[3]));
}

bool AppliesOptGeneric(const DepthwiseConv2DParams& p, PrepareContext& ctx) {
  return AppliesS8(p, ctx) && RingFits(p, ctx, OptGroup(ctx.input(0).dims[3]));
}

void EvalS8Opt3x3(const Node& node, Tensor* tensors) {
  const EvalScope scope(node, tensors);
  RunOpt<3, 3>(scope.node, tensors);
}
void EvalS8OptGeneric(const Node& node, Tensor* tensors) {
  const EvalScope scope(node, tensors);
  RunOpt<0, 0>(scope.node, tensors);
}

}  // namespace dw_opt
}  // namespace ops
}  // namespace mote
