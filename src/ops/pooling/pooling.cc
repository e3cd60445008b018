// AVERAGE_POOL_2D / MAX_POOL_2D prepare and registration. What is checked
// follows TensorFlow Lite's pooling.cc GenericPrepare: rank-4 input, output
// type = input type, strides > 0, output extent and padding from
// ComputePaddingHeightWidth (dilation 1); for int8, input and output
// quantization equal (a debug check in TFLite: its kernels ignore the
// output quantization, so mote refuses models where it differs). Beyond
// TFLite: filter sizes must be > 0, every window must hold an input tap
// (TFLite fails at invoke otherwise) and window coordinates must fit int32.
//
// Versions (TFLite's op_version.cc): 1 float, 2 int8, 3 int16 (not
// registered).
#include <cmath>
#include <limits>

#include "ops/common.h"
#include "ops/variant.h"
#include "ops/pooling/pooling.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

enum class PoolKind { kAverage, kMax };

// Kernel variants (ops/variant.h): optimized ones go before the
// reference, which always applies and is what --kernels reference selects.
const KernelVariant<PoolParams> kAverageS8Variants[] = {
    {"reference", kIsaNone, nullptr, EvalAveragePoolS8Reference},
};
const KernelVariant<PoolParams> kAverageF32Variants[] = {
    {"reference", kIsaNone, nullptr, EvalAveragePoolF32Reference},
};
const KernelVariant<PoolParams> kMaxS8Variants[] = {
    {"reference", kIsaNone, nullptr, EvalMaxPoolS8Reference},
};
const KernelVariant<PoolParams> kMaxF32Variants[] = {
    {"reference", kIsaNone, nullptr, EvalMaxPoolF32Reference},
};

// Output extent and leading padding along one axis; checks that window
// coordinates fit int32 and that no window falls entirely outside the input.
Status PrepareAxis(PrepareContext& ctx, const char* axis, Padding padding, int32_t in,
                   int32_t filter, int32_t stride, int32_t* out, int32_t* pad) {
  *out = ComputeOutSize(padding, in, filter, stride, 1);
  int32_t offset = 0;
  *pad = ComputePadding(stride, 1, in, filter, *out, &offset);
  if (*out == 0) return Status::Ok();  // empty output: nothing to compute
  const int64_t reach = (static_cast<int64_t>(*out) - 1) * stride + filter;
  if (reach > std::numeric_limits<int32_t>::max() || *pad < 0) {
    return ctx.Unsupported("%s window (filter %d, stride %d) reaches beyond int32", axis, filter,
                           stride);
  }
  // Window origins grow with the output index: check the first and last.
  const int64_t first_origin = -static_cast<int64_t>(*pad);
  const int64_t last_origin = (static_cast<int64_t>(*out) - 1) * stride - *pad;
  if (first_origin + filter <= 0 || last_origin >= in) {
    return ctx.Error("a %s pooling window lies entirely outside the input", axis);
  }
  return Status::Ok();
}

Status PreparePool(PrepareContext& ctx, PoolKind kind) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 1, 1));
  const Tensor& input = ctx.input(0);
  const Tensor& output = ctx.output(0);
  if (input.type != DType::kInt8 && input.type != DType::kFloat32) {
    return ctx.Unsupported("input 0 ('%s') is %s; pooling supports int8 and float32", input.name,
                           DTypeName(input.type));
  }
  MOTE_RETURN_IF_ERROR(CheckType(ctx, output, input.type, "output 0"));
  MOTE_RETURN_IF_ERROR(CheckRank(ctx, input, 4, "input 0"));

  const auto* opts = ctx.op().builtin_options_as_Pool2DOptions();
  if (opts == nullptr) return ctx.Error("Pool2DOptions missing");
  const int8_t padding = static_cast<int8_t>(opts->padding());
  if (padding != static_cast<int8_t>(Padding::kSame) && padding != static_cast<int8_t>(Padding::kValid)) {
    return ctx.Error("padding %d is neither SAME nor VALID", padding);
  }
  if (opts->stride_h() <= 0 || opts->stride_w() <= 0) {
    return ctx.Error("strides must be > 0, are h=%d w=%d", opts->stride_h(), opts->stride_w());
  }
  if (opts->filter_height() <= 0 || opts->filter_width() <= 0) {
    return ctx.Error("filter is %dx%d, must be at least 1x1", opts->filter_height(),
                     opts->filter_width());
  }

  PoolParams local{};
  local.batches = input.dims[0];
  local.in_h = input.dims[1];
  local.in_w = input.dims[2];
  local.channels = input.dims[3];
  local.filter_h = opts->filter_height();
  local.filter_w = opts->filter_width();
  local.stride_h = opts->stride_h();
  local.stride_w = opts->stride_w();
  MOTE_RETURN_IF_ERROR(PrepareAxis(ctx, "vertical", static_cast<Padding>(padding), local.in_h,
                                   local.filter_h, local.stride_h, &local.out_h, &local.pad_h));
  MOTE_RETURN_IF_ERROR(PrepareAxis(ctx, "horizontal", static_cast<Padding>(padding), local.in_w,
                                   local.filter_w, local.stride_w, &local.out_w, &local.pad_w));
  const int32_t out_dims[4] = {local.batches, local.out_h, local.out_w, local.channels};
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, output, out_dims, 4, "output 0"));

  const int8_t activation = static_cast<int8_t>(opts->fused_activation_function());
  if (input.type == DType::kInt8) {
    if (input.num_scales == 0) return ctx.Error("input 0 ('%s') is int8 but not quantized", input.name);
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input, "input 0"));
    if (output.num_scales == 0) return ctx.Error("output 0 ('%s') is int8 but not quantized", output.name);
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output, "output 0"));
    // TFLite: TFLITE_DCHECK_LE(|input scale - output scale|, 1e-6) and equal
    // zero points.
    if (std::fabs(input.scale - output.scale) > 1.0e-6f || input.zero_point != output.zero_point) {
      return ctx.Unsupported("int8 pooling needs the output quantization (scale %g, zero point %d) "
                             "to equal the input's (scale %g, zero point %d)",
                             static_cast<double>(output.scale), static_cast<int>(output.zero_point),
                             static_cast<double>(input.scale), static_cast<int>(input.zero_point));
    }
    MOTE_RETURN_IF_ERROR(ActivationRangeInt8(ctx, activation, output, &local.act_min, &local.act_max));
    if (local.act_min > local.act_max) {
      return ctx.Error("fused activation range [%d, %d] is empty for the output quantization",
                       local.act_min, local.act_max);
    }
  } else {
    MOTE_RETURN_IF_ERROR(
        ActivationRangeFloat(ctx, activation, &local.float_act_min, &local.float_act_max));
  }

  PoolParams* p = ctx.AllocPersistent<PoolParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = local;
  const bool s8 = input.type == DType::kInt8;
  if (kind == PoolKind::kAverage) {
    if (s8) {
      SetKernelFromTable(kAverageS8Variants, ctx, p);
    } else {
      SetKernelFromTable(kAverageF32Variants, ctx, p);
    }
  } else if (s8) {
    SetKernelFromTable(kMaxS8Variants, ctx, p);
  } else {
    SetKernelFromTable(kMaxF32Variants, ctx, p);
  }
  return Status::Ok();
}

Status PrepareAveragePool2D(PrepareContext& ctx) { return PreparePool(ctx, PoolKind::kAverage); }
Status PrepareMaxPool2D(PrepareContext& ctx) { return PreparePool(ctx, PoolKind::kMax); }

}  // namespace

const OpRegistration& AveragePool2D() {
  static const OpRegistration reg{tflite::BuiltinOperator_AVERAGE_POOL_2D, 1, 2,
                                  PrepareAveragePool2D};
  return reg;
}

const OpRegistration& MaxPool2D() {
  static const OpRegistration reg{tflite::BuiltinOperator_MAX_POOL_2D, 1, 2, PrepareMaxPool2D};
  return reg;
}

}  // namespace ops
}  // namespace mote
