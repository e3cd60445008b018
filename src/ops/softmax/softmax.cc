// SOFTMAX prepare and registration. What is checked follows TensorFlow
// Lite's SoftmaxPrepare (kernels/activations.cc): rank >= 1, output shape =
// input shape, and for int8 an output zero point of -128 and an output scale
// within 0.1% of 1/256. For int8 -> int16 TFLite checks nothing, yet its
// kernel writes in units of 1/65536 offset by -32768; mote refuses other
// output quantizations (as TFLM does) instead of ignoring them.
//
// Versions (TFLite's op_version.cc): 1 float32 (and uint8, rejected by
// dtype), 2 int8 input (int8 or int16 output), 3 int16 input (not
// registered).
#include <cmath>

#include "ops/common.h"
#include "ops/variant.h"
#include "ops/softmax/softmax.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

// Kernel variants (ops/variant.h): optimized ones go before the
// reference, which always applies and is what --kernels reference selects.
const KernelVariant<SoftmaxParams> kS8Variants[] = {
    {"reference", kIsaNone, nullptr, EvalSoftmaxS8Reference},
};
const KernelVariant<SoftmaxParams> kS8S16Variants[] = {
    {"reference", kIsaNone, nullptr, EvalSoftmaxS8S16Reference},
};
const KernelVariant<SoftmaxParams> kF32Variants[] = {
    {"reference", kIsaNone, nullptr, EvalSoftmaxF32Reference},
};

Status PrepareSoftmax(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 1, 1));
  const Tensor& input = ctx.input(0);
  const Tensor& output = ctx.output(0);
  if (input.type != DType::kInt8 && input.type != DType::kFloat32) {
    return ctx.Unsupported("input 0 ('%s') is %s; SOFTMAX supports int8 and float32", input.name,
                           DTypeName(input.type));
  }
  const bool s16_output = input.type == DType::kInt8 && output.type == DType::kInt16;
  if (!s16_output) MOTE_RETURN_IF_ERROR(CheckType(ctx, output, input.type, "output 0"));
  if (input.rank < 1) return ctx.Error("input 0 ('%s') is a scalar; SOFTMAX needs rank >= 1", input.name);
  MOTE_RETURN_IF_ERROR(CheckSameShape(ctx, input, output, "output 0"));

  // Missing options mean TFLite's defaults (beta 0).
  const auto* opts = ctx.op().builtin_options_as_SoftmaxOptions();
  const float beta = opts != nullptr ? opts->beta() : 0.0f;
  if (!std::isfinite(beta)) return ctx.Error("beta is %g", static_cast<double>(beta));

  SoftmaxParams local{};
  local.depth = input.dims[input.rank - 1];
  local.rows = local.depth > 0 ? input.elements() / local.depth : 0;
  local.beta = beta;

  if (input.type == DType::kInt8) {
    if (input.num_scales == 0) return ctx.Error("input 0 ('%s') is int8 but not quantized", input.name);
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input, "input 0"));
    if (output.num_scales == 0) return ctx.Error("output 0 ('%s') is int8 but not quantized", output.name);
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output, "output 0"));
    if (!s16_output) {
      // TFLite: TF_LITE_ENSURE_EQ(zero_point, -128) and
      // TF_LITE_ENSURE_NEAR(scale, 1/256, 0.001/256), in float.
      if (output.zero_point != -128) {
        return ctx.Error("output 0 ('%s') has zero point %d; int8 SOFTMAX requires -128", output.name,
                         static_cast<int>(output.zero_point));
      }
      const float kScale = 1.0f / 256;
      if (std::fabs(output.scale - kScale) > 0.001f * kScale) {
        return ctx.Error("output 0 ('%s') has scale %g; int8 SOFTMAX requires 1/256", output.name,
                         static_cast<double>(output.scale));
      }
    } else {
      const float kScale = 1.0f / 65536;
      if (output.zero_point != -32768 || std::fabs(output.scale - kScale) > 0.001f * kScale) {
        return ctx.Unsupported("output 0 ('%s') has scale %g, zero point %d; an int16 SOFTMAX output "
                               "must be 1/65536, -32768 (what the kernel writes)",
                               output.name, static_cast<double>(output.scale),
                               static_cast<int>(output.zero_point));
      }
    }
    if (beta < 0.0f) {
      return ctx.Unsupported("int8 SOFTMAX with a negative beta (%g) is not supported",
                             static_cast<double>(beta));
    }
    SoftmaxQuantParams(static_cast<double>(beta), static_cast<double>(input.scale), &local);
  }

  // Each row is read fully before any of it is written, and then element c
  // is read just before output c is written: in place is safe (the planner
  // only shares equal-sized buffers, so never for int8 -> int16). Declared
  // before the allocation so that the plan does not depend on whether the
  // arena was large enough.
  ctx.AllowOutputInPlace();
  SoftmaxParams* p = ctx.AllocPersistent<SoftmaxParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = local;
  if (s16_output) {
    SetKernelFromTable(kS8S16Variants, ctx, p);
  } else if (input.type == DType::kInt8) {
    SetKernelFromTable(kS8Variants, ctx, p);
  } else {
    SetKernelFromTable(kF32Variants, ctx, p);
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration& Softmax() {
  static const OpRegistration reg{tflite::BuiltinOperator_SOFTMAX, 1, 2, PrepareSoftmax};
  return reg;
}

}  // namespace ops
}  // namespace mote
