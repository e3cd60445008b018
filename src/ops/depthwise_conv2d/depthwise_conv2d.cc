// DEPTHWISE_CONV_2D prepare and registration. What is checked follows
// TensorFlow Lite's depthwise_conv.cc Prepare (plus what its Eval checks in
// ComputeDepthMultiplier: input channels > 0 dividing the output channels),
// with the window and int8 quantization helpers shared with CONV_2D.
//
// The depth_multiplier option is ignored: the multiplier is C_out / C_in, as
// in TFLite (see depthwise_conv2d.h).
//
// Versions (TFLite's op_version.cc): 1 float, 2 float with dilation, 3 int8
// (per-channel or per-tensor weights). 4/6 (hybrid), 5 (int16) and 7 (int4
// weights) are not registered.
#include "ops/depthwise_conv2d/depthwise_conv2d.h"

#include "ops/common.h"
#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"
#include "ops/depthwise_conv2d/depthwise_conv2d_variants.h"
#include "ops/variant.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

// TFLite bounds depthwise strides (its optimized kernels keep them in 16 bits).
constexpr int32_t kMaxStride = 0xFFFF;

Status PrepareDepthwiseConv2D(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 2, 3, 1));
  const auto* opts = ctx.op().builtin_options_as_DepthwiseConv2DOptions();
  if (opts == nullptr) return ctx.Error("DepthwiseConv2DOptions missing");
  const Tensor& input = ctx.input(0);
  const Tensor& filter = ctx.input(1);
  const Tensor* bias = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  Tensor& output = ctx.output(0);

  if (input.type != DType::kInt8 && input.type != DType::kFloat32) {
    return ctx.Unsupported("input 0 ('%s') is %s; DEPTHWISE_CONV_2D supports int8 and float32",
                           input.name, DTypeName(input.type));
  }
  MOTE_RETURN_IF_ERROR(CheckType(ctx, output, input.type, "output 0"));
  MOTE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, "input 0"));
  MOTE_RETURN_IF_ERROR(CheckRank(ctx, filter, 4, "input 1 (filter)"));
  if (filter.dims[0] != 1) {
    return ctx.Error("filter ('%s') has leading dimension %d, expected 1 ([1, KH, KW, C_out])",
                     filter.name, static_cast<int>(filter.dims[0]));
  }
  const int32_t in_c = input.dims[3];
  const int32_t out_c = filter.dims[3];
  if (in_c <= 0 || out_c % in_c != 0) {
    return ctx.Error("filter has %d output channels, not a multiple of the input's %d channels",
                     static_cast<int>(out_c), static_cast<int>(in_c));
  }
  if (bias != nullptr) {
    MOTE_RETURN_IF_ERROR(CheckRank(ctx, *bias, 1, "input 2 (bias)"));
    if (bias->dims[0] != out_c) {
      return ctx.Error("bias ('%s') has %d elements, expected %d (one per output channel)",
                       bias->name, static_cast<int>(bias->dims[0]), static_cast<int>(out_c));
    }
  }
  if (opts->stride_h() > kMaxStride || opts->stride_w() > kMaxStride) {
    return ctx.Error("strides h=%d w=%d exceed %d", static_cast<int>(opts->stride_h()),
                     static_cast<int>(opts->stride_w()), static_cast<int>(kMaxStride));
  }

  ConvWindow window{};
  MOTE_RETURN_IF_ERROR(
      PrepareConvWindow(ctx, static_cast<int8_t>(opts->padding()), opts->stride_h(),
                        opts->stride_w(), opts->dilation_h_factor(), opts->dilation_w_factor(),
                        input.dims[1], input.dims[2], filter.dims[1], filter.dims[2], &window));
  const int32_t out_dims[4] = {input.dims[0], window.out_h, window.out_w, out_c};
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, output, out_dims, 4, "output 0"));

  const int8_t activation = static_cast<int8_t>(opts->fused_activation_function());
  DepthwiseConv2DParams* p = ctx.AllocPersistent<DepthwiseConv2DParams>();
  DepthwiseConv2DParams local{};
  local.window = window;
  local.depth_multiplier = out_c / in_c;
  if (input.type == DType::kInt8) {
    MOTE_RETURN_IF_ERROR(
        PrepareConvQuantS8(ctx, input, filter, bias, output, out_c, activation, &local.quant));
  } else {
    MOTE_RETURN_IF_ERROR(
        PrepareConvF32(ctx, filter, bias, activation, &local.float_act_min, &local.float_act_max));
  }
  if (input.type != DType::kInt8) {
    const DepthwiseF32Variant* v = ChooseFromList(kDepthwiseConv2DF32List, ctx, local);
    if (v == nullptr) return ctx.Unsupported("no float32 kernel is linked into this build");
    if (p == nullptr) return ctx.OutOfArena();
    *p = local;
    ctx.SetKernel(v->eval, p, v->name);
    return Status::Ok();
  }
  // The variant is chosen on the complete quantization (its predicates
  // derive the multipliers). Scratch: the per-invoke channel multipliers,
  // then the kernel's own (requested even when p is null, so that the size
  // Init reports is exact).
  const DepthwiseS8Variant* v = ChooseFromList(kDepthwiseConv2DS8List, ctx, local);
  if (v == nullptr) return ctx.Unsupported("no int8 kernel is linked into this build");
  const dw_opt::Shape shape = dw_opt::GetShape(input, filter, output);
  const dw_opt::VariantInfo* info = v->info;
  ctx.RequestScratch(ChannelQuantBytes(out_c) +
                     (info != nullptr && info->scratch != nullptr ? info->scratch(window, shape) : 0));
  // Streaming overlap (ops/streaming.h), by the kernel's loop order
  // (dw_opt::Stream).
  const StreamingShape ss = ConvStreamingShape(ctx, window);
  int32_t align = 1;
  switch (info != nullptr ? info->stream(window, shape) : dw_opt::Stream::kNone) {
    case dw_opt::Stream::kRaster:
      ctx.AllowOutputOverlap(StreamingGap(ss, 1));
      break;
    case dw_opt::Stream::kRingRows: {
      const int32_t gap = RingStreamingGap(ss, filter.dims[1], window.dilation_h, &align);
      ctx.AllowOutputOverlap(gap, align);
      break;
    }
    case dw_opt::Stream::kRingColumns: {
      const int32_t gap = ColumnStreamingGap(ss, filter.dims[2], window.dilation_w, &align);
      ctx.AllowOutputOverlap(gap, align);
      break;
    }
    case dw_opt::Stream::kRowsFirst:
      ctx.AllowOutputOverlap(StreamingGap(ss, window.out_w, /*reads_first=*/true));
      break;
    case dw_opt::Stream::kNone:
      break;
  }
  if (p == nullptr) return ctx.OutOfArena();
  local.bias_eff = nullptr;
  local.kernel = v->eval;
  *p = local;
  ctx.SetKernel(EvalS8WithChannelQuant<DepthwiseConv2DParams>, p, v->name);
  return Status::Ok();
}

}  // namespace

const OpRegistration& DepthwiseConv2D() {
  static const OpRegistration reg{tflite::BuiltinOperator_DEPTHWISE_CONV_2D, 1, 3,
                                  PrepareDepthwiseConv2D};
  return reg;
}

}  // namespace ops
}  // namespace mote
