// CONV_2D prepare and registration, plus the window/quantization helpers
// shared with DEPTHWISE_CONV_2D. What is checked follows TensorFlow Lite's
// conv.cc Prepare and PopulateConvolutionQuantizationParams; where TFLite
// would crash or overflow at invoke (grouped shapes that do not divide,
// coordinates beyond int32, multipliers beyond 2^31) mote rejects the model
// here instead.
//
// Versions (TFLite's op_version.cc): 1 float, 3 int8 (per-channel or
// per-tensor weights), 6 grouped convolution. The registration covers 1..6;
// what versions 2/5 (hybrid: float activations with int8 weights) and 4
// (int16 activations) add is rejected below by dtype as Unsupported, so a
// model gets that message rather than a bare version mismatch. 7 (int4
// weights) and 8 (int16 with int64 bias) are not registered.
#include "ops/conv2d/conv2d.h"

#include <cstddef>
#include <cstdint>
#include <limits>

#include "ops/conv2d/conv2d_opt.h"
#include "quant/fixed_point.h"
#include "ops/variant.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {

Status PrepareConvWindow(PrepareContext& ctx, int8_t padding, int32_t stride_h, int32_t stride_w,
                         int32_t dilation_h, int32_t dilation_w, int32_t in_h, int32_t in_w,
                         int32_t filter_h, int32_t filter_w, ConvWindow* window) {
  if (padding != static_cast<int8_t>(Padding::kSame) &&
      padding != static_cast<int8_t>(Padding::kValid)) {
    return ctx.Error("padding %d is neither SAME nor VALID", padding);
  }
  if (stride_h <= 0 || stride_w <= 0) {
    return ctx.Error("strides must be > 0, are h=%d w=%d", static_cast<int>(stride_h),
                     static_cast<int>(stride_w));
  }
  if (dilation_h <= 0 || dilation_w <= 0) {
    return ctx.Error("dilation factors must be > 0, are h=%d w=%d", static_cast<int>(dilation_h),
                     static_cast<int>(dilation_w));
  }
  if (filter_h <= 0 || filter_w <= 0) {
    return ctx.Error("filter is %dx%d, must be at least 1x1", static_cast<int>(filter_h),
                     static_cast<int>(filter_w));
  }
  const Padding pad = static_cast<Padding>(padding);
  window->stride_h = stride_h;
  window->stride_w = stride_w;
  window->dilation_h = dilation_h;
  window->dilation_w = dilation_w;
  window->out_h = ComputeOutSize(pad, in_h, filter_h, stride_h, dilation_h);
  window->out_w = ComputeOutSize(pad, in_w, filter_w, stride_w, dilation_w);
  int32_t offset = 0;
  window->pad_h = ComputePadding(stride_h, dilation_h, in_h, filter_h, window->out_h, &offset);
  window->pad_w = ComputePadding(stride_w, dilation_w, in_w, filter_w, window->out_w, &offset);

  // The kernels form o * stride - pad + k * dilation in int32 for every
  // output o < out and tap k < filter: make sure none of these overflows.
  const int64_t kMax = std::numeric_limits<int32_t>::max();
  const int64_t reach_h = (static_cast<int64_t>(window->out_h) - 1) * stride_h +
                          (static_cast<int64_t>(filter_h) - 1) * dilation_h;
  const int64_t reach_w = (static_cast<int64_t>(window->out_w) - 1) * stride_w +
                          (static_cast<int64_t>(filter_w) - 1) * dilation_w;
  if (reach_h > kMax || reach_w > kMax || window->pad_h < 0 || window->pad_w < 0) {
    return ctx.Unsupported(
        "window (stride %dx%d, dilation %dx%d, filter %dx%d) reaches beyond int32",
        static_cast<int>(stride_h), static_cast<int>(stride_w), static_cast<int>(dilation_h),
        static_cast<int>(dilation_w), static_cast<int>(filter_h), static_cast<int>(filter_w));
  }
  return Status::Ok();
}

namespace {

// Per-tensor int8 quantization of an activation tensor.
Status CheckActivationS8(PrepareContext& ctx, const Tensor& t, const char* what) {
  if (t.num_scales == 0) return ctx.Error("%s ('%s') is int8 but not quantized", what, t.name);
  return CheckPerTensorQuant(ctx, t, what);
}

}  // namespace

Status PrepareConvQuantS8(PrepareContext& ctx, const Tensor& input, const Tensor& filter,
                          const Tensor* bias, const Tensor& output, int32_t channels,
                          int8_t activation, ConvQuant* quant) {
  MOTE_RETURN_IF_ERROR(CheckActivationS8(ctx, input, "input 0"));
  MOTE_RETURN_IF_ERROR(CheckActivationS8(ctx, output, "output 0"));
  if (filter.type != DType::kInt8) {
    return ctx.Unsupported("filter ('%s') is %s; int8 activations need int8 weights", filter.name,
                           DTypeName(filter.type));
  }
  if (filter.num_scales == 0)
    return ctx.Error("filter ('%s') is int8 but not quantized", filter.name);
  if (filter.num_scales != 1 && filter.num_scales != channels) {
    return ctx.Error("filter ('%s') has %d scales, expected 1 or one per output channel (%d)",
                     filter.name, static_cast<int>(filter.num_scales), static_cast<int>(channels));
  }
  if (!(filter.flags & kTensorSymmetric)) {
    return ctx.Unsupported(
        "filter ('%s') has a non-zero zero point; int8 weights must be symmetric", filter.name);
  }
  if (bias != nullptr) {
    MOTE_RETURN_IF_ERROR(CheckType(ctx, *bias, DType::kInt32, "input 2 (bias)"));
    if (bias->num_scales > 0 && !(bias->flags & kTensorSymmetric)) {
      return ctx.Error("bias ('%s') has a non-zero zero point", bias->name);
    }
  }
  quant->input_offset = -input.zero_point;
  quant->output_offset = output.zero_point;
  MOTE_RETURN_IF_ERROR(
      ActivationRangeInt8(ctx, activation, output, &quant->act_min, &quant->act_max));
  if (quant->act_min > quant->act_max) {
    return ctx.Error("fused activation range [%d, %d] is empty for the output quantization",
                     static_cast<int>(quant->act_min), static_cast<int>(quant->act_max));
  }

  ChannelScales cs = ConvChannelScales(input, filter, output);
  cs.channels = channels;
  for (int32_t c = 0; c < channels; ++c) {
    int32_t multiplier = 0, exponent = 0;
    ChannelMultiplier(cs, c, &multiplier, &exponent);
    // A left shift of 32 or more is undefined in TFLite's kernels; no real
    // model comes near (it means an effective scale >= 2^31).
    if (exponent > 31) {
      const float filter_scale = filter.num_scales > 1 ? filter.scales[c] : filter.scale;
      return ctx.Unsupported("channel %d: effective scale %g is too large", static_cast<int>(c),
                             static_cast<double>(input.scale) * static_cast<double>(filter_scale) /
                                 static_cast<double>(output.scale));
    }
  }
  quant->multiplier = nullptr;
  quant->shift = nullptr;
  return Status::Ok();
}

StreamingShape ConvStreamingShape(PrepareContext& ctx, const ConvWindow& window) {
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  return StreamingShape{in.dims[0],   in.dims[1],      in.dims[2],      in.dims[3],
                        out.dims[1],  out.dims[2],     out.dims[3],     window.stride_h,
                        window.stride_w, window.pad_h, window.pad_w};
}

Status PrepareConvF32(PrepareContext& ctx, const Tensor& filter, const Tensor* bias,
                      int8_t activation, float* act_min, float* act_max) {
  if (filter.type != DType::kFloat32) {
    return ctx.Unsupported(
        "filter ('%s') is %s; float activations need float weights (hybrid "
        "kernels are not supported)",
        filter.name, DTypeName(filter.type));
  }
  if (bias != nullptr)
    MOTE_RETURN_IF_ERROR(CheckType(ctx, *bias, DType::kFloat32, "input 2 (bias)"));
  return ActivationRangeFloat(ctx, activation, act_min, act_max);
}

namespace {

// Kernel variants (see ops/variant.h): optimized first, the reference last.
// The int8 ones are described in conv2d_opt.h and their own files
// (conv2d_mve.cc, conv2d_dsp.cc, conv2d_opt.cc). Each ISA's pair takes
// exactly what the next ISA's pair would (same predicates), so a build
// lists only its best pair: the others could never run and would only
// cost flash.
const KernelVariant<Conv2DParams> kS8Variants[] = {
#if defined(__x86_64__) || defined(__i386__)
    {"s8_avx2_1x1", kIsaAvx2, conv_opt::AppliesS8Pointwise, conv_opt::EvalS8Avx21x1},
    {"s8_avx2_generic", kIsaAvx2, conv_opt::AppliesS8, conv_opt::EvalS8Avx2Generic},
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
    {"s8_mve_1x1", kIsaArmMve, conv_opt::AppliesS8Pointwise, conv_opt::EvalS8Mve1x1},
    {"s8_mve_generic", kIsaArmMve, conv_opt::AppliesS8, conv_opt::EvalS8MveGeneric},
#elif defined(__ARM_FEATURE_DSP)
    {"s8_dsp_1x1", kIsaArmDsp, conv_opt::AppliesS8Pointwise, conv_opt::EvalS8Dsp1x1},
    {"s8_dsp_generic", kIsaArmDsp, conv_opt::AppliesS8, conv_opt::EvalS8DspGeneric},
#else
    {"s8_opt_1x1", kIsaNone, conv_opt::AppliesS8Pointwise, conv_opt::EvalS8Opt1x1},
    {"s8_opt_generic", kIsaNone, conv_opt::AppliesS8, conv_opt::EvalS8OptGeneric},
#endif
    {"reference", kIsaNone, nullptr, EvalConv2DS8Reference},
};

// Scratch bytes the chosen int8 kernel needs (planned, shared between ops).
size_t S8ScratchBytes(EvalFn eval, PrepareContext& ctx) {
  const conv_opt::Shape s = conv_opt::GetShape(ctx.input(0), ctx.input(1), ctx.output(0));
#if defined(__x86_64__) || defined(__i386__)
  if (eval == conv_opt::EvalS8Avx21x1) return conv_opt::ScratchS8Avx2(s, false);
  if (eval == conv_opt::EvalS8Avx2Generic) return conv_opt::ScratchS8Avx2(s, true);
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
  if (eval == conv_opt::EvalS8Mve1x1) return conv_opt::ScratchS8Mve1x1(s);
  if (eval == conv_opt::EvalS8MveGeneric) return conv_opt::ScratchS8MveGeneric(s);
#elif defined(__ARM_FEATURE_DSP)
  if (eval == conv_opt::EvalS8Dsp1x1 || eval == conv_opt::EvalS8DspGeneric) {
    return conv_opt::ScratchS8Dsp(s, eval == conv_opt::EvalS8DspGeneric);
  }
#else
  if (eval == conv_opt::EvalS8OptGeneric) return conv_opt::ScratchS8OptGeneric(s);
#endif
  return 0;
}
// Output pixels the chosen int8 kernel completes at a time, in raster
// order, reading only those pixels' windows meanwhile (ops/streaming.h); 0
// for a kernel that does not stream (no overlap). *reads_first: the kernel
// reads a whole block (into scratch) before it writes any of it.
int32_t S8BlockPixels(EvalFn eval, PrepareContext& ctx, bool* reads_first) {
  *reads_first = false;
  // The reference: pixel by pixel, each channel's window read as it is written.
  if (eval == EvalConv2DS8Reference) return 1;
#if defined(__x86_64__) || defined(__i386__)
  // A pair of pixels: both read into scratch before either is written.
  if (eval == conv_opt::EvalS8Avx21x1 || eval == conv_opt::EvalS8Avx2Generic) {
    *reads_first = true;
    return 2;
  }
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
  // Tiles: every pixel's operands copied into the tile, then the outputs.
  if (eval == conv_opt::EvalS8Mve1x1 || eval == conv_opt::EvalS8MveGeneric) {
    *reads_first = true;
    return conv_opt::TilePixelsS8Mve(
        conv_opt::GetShape(ctx.input(0), ctx.input(1), ctx.output(0)));
  }
#elif defined(__ARM_FEATURE_DSP)
  // Tiles: every pixel's operands widened into the tile, then the outputs.
  if (eval == conv_opt::EvalS8Dsp1x1 || eval == conv_opt::EvalS8DspGeneric) {
    *reads_first = true;
    return conv_opt::TilePixelsS8Dsp(
        conv_opt::GetShape(ctx.input(0), ctx.input(1), ctx.output(0)));
  }
#else
  (void)ctx;
  // Pairs of pixels; the generic one gathers both im2col rows first, the
  // pointwise one reads the input rows while it writes.
  if (eval == conv_opt::EvalS8OptGeneric) {
    *reads_first = true;
    return 2;
  }
  if (eval == conv_opt::EvalS8Opt1x1) return 2;
#endif
  return 0;
}

const KernelVariant<Conv2DParams> kF32Variants[] = {
    {"reference", kIsaNone, nullptr, EvalConv2DF32Reference},
};

Status PrepareConv2D(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 2, 3, 1));
  const auto* opts = ctx.op().builtin_options_as_Conv2DOptions();
  if (opts == nullptr) return ctx.Error("Conv2DOptions missing");
  const Tensor& input = ctx.input(0);
  const Tensor& filter = ctx.input(1);
  const Tensor* bias = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  Tensor& output = ctx.output(0);

  if (input.type != DType::kInt8 && input.type != DType::kFloat32) {
    return ctx.Unsupported("input 0 ('%s') is %s; CONV_2D supports int8 and float32", input.name,
                           DTypeName(input.type));
  }
  MOTE_RETURN_IF_ERROR(CheckType(ctx, output, input.type, "output 0"));
  MOTE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, "input 0"));
  MOTE_RETURN_IF_ERROR(CheckRank(ctx, filter, 4, "input 1 (filter)"));

  // Channels: the filter's input depth divides the input's (groups of it).
  const int32_t in_c = input.dims[3];
  const int32_t out_c = filter.dims[0];
  const int32_t filter_c = filter.dims[3];
  if (filter_c <= 0)
    return ctx.Error("filter ('%s') has input depth %d", filter.name, static_cast<int>(filter_c));
  if (in_c <= 0 || in_c % filter_c != 0) {
    return ctx.Error(
        "input has %d channels, not a positive multiple of the filter's input depth %d",
        static_cast<int>(in_c), static_cast<int>(filter_c));
  }
  const int32_t groups = in_c / filter_c;
  if (out_c % groups != 0) {
    return ctx.Error("%d output channels cannot be split into %d groups", static_cast<int>(out_c),
                     static_cast<int>(groups));
  }
  if (bias != nullptr && bias->elements() != out_c) {
    return ctx.Error("bias ('%s') has %d elements, expected %d (one per output channel)",
                     bias->name, static_cast<int>(bias->elements()), static_cast<int>(out_c));
  }

  ConvWindow window{};
  MOTE_RETURN_IF_ERROR(
      PrepareConvWindow(ctx, static_cast<int8_t>(opts->padding()), opts->stride_h(),
                        opts->stride_w(), opts->dilation_h_factor(), opts->dilation_w_factor(),
                        input.dims[1], input.dims[2], filter.dims[1], filter.dims[2], &window));
  const int32_t out_dims[4] = {input.dims[0], window.out_h, window.out_w, out_c};
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, output, out_dims, 4, "output 0"));

  const int8_t activation = static_cast<int8_t>(opts->fused_activation_function());
  Conv2DParams* p = ctx.AllocPersistent<Conv2DParams>();
  Conv2DParams local{};
  local.window = window;
  if (input.type != DType::kInt8) {
    MOTE_RETURN_IF_ERROR(
        PrepareConvF32(ctx, filter, bias, activation, &local.float_act_min, &local.float_act_max));
    if (p == nullptr) return ctx.OutOfArena();
    *p = local;
    SetKernelFromTable(kF32Variants, ctx, p);
    return Status::Ok();
  }

  MOTE_RETURN_IF_ERROR(
      PrepareConvQuantS8(ctx, input, filter, bias, output, out_c, activation, &local.quant));
  // Scratch: the per-invoke channel multipliers, then the kernel's own. It
  // is requested even when the arena is already too small (p null), so that
  // the size Init reports is exact.
  const KernelVariant<Conv2DParams>& v = ChooseVariant(kS8Variants, ctx, local);
  ctx.RequestScratch(ChannelQuantBytes(out_c) + S8ScratchBytes(v.eval, ctx));
  bool reads_first = false;
  const int32_t block = S8BlockPixels(v.eval, ctx, &reads_first);
  if (block > 0) {
    ctx.AllowOutputOverlap(StreamingGap(ConvStreamingShape(ctx, window), block, reads_first));
  }
  if (v.eval != EvalConv2DS8Reference) local.dot_bound = conv_opt::DotBound(filter);
  if (p == nullptr) return ctx.OutOfArena();
  local.kernel = v.eval;
  *p = local;
  ctx.SetKernel(EvalS8WithChannelQuant<Conv2DParams>, p, v.name);
  return Status::Ok();
}

}  // namespace

const OpRegistration& Conv2D() {
  static const OpRegistration reg{tflite::BuiltinOperator_CONV_2D, 1, 6, PrepareConv2D};
  return reg;
}

}  // namespace ops
}  // namespace mote
