// RELU, RELU6, LOGISTIC, TANH: prepare and registrations.
//
// Versions (TFLite op_version.cc): 1 float32, 2 int8 (and uint8), 3 int16.
// mote implements 1-2 for float32 and int8.
#include <cmath>
#include <cstdint>

#include "ops/activations/activations.h"
#include "ops/common.h"
#include "quant/fixed_point.h"
#include "quant/libm.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// Shared checks: one input, one output, same type and shape; float32 or
// int8 (int8 quantized per tensor).
Status CheckUnary(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 1, 1));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type != out.type) {
    return ctx.Error("input is %s but output is %s", DTypeName(in.type), DTypeName(out.type));
  }
  MOTE_RETURN_IF_ERROR(CheckSameShape(ctx, in, out, "output 0"));
  if (in.type == DType::kInt16) {
    return ctx.Unsupported("int16 activations are not supported yet");
  }
  if (in.type != DType::kFloat32 && in.type != DType::kInt8) {
    return ctx.Unsupported("%s tensors are not supported (float32 and int8 are)",
                           DTypeName(in.type));
  }
  if (in.type == DType::kInt8) {
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, in, "input 0"));
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, out, "output 0"));
  }
  return Status::Ok();
}

Status SetFloatKernel(PrepareContext& ctx, EvalFn eval) {
  auto* p = ctx.AllocPersistent<ElementCount>();
  if (p == nullptr) return ctx.OutOfArena();
  p->size = ctx.input(0).elements();
  ctx.SetKernel(eval, p, "reference");
  ctx.AllowOutputInPlace();
  return Status::Ok();
}

// TFLite activations.cc: ReluPrepare + QuantizedReluX. `relu6` selects the
// upper bound 6 (else none).
Status PrepareRelu(PrepareContext& ctx, bool relu6) {
  MOTE_RETURN_IF_ERROR(CheckUnary(ctx));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type == DType::kFloat32) return SetFloatKernel(ctx, relu6 ? EvalRelu6F32 : EvalReluF32);

  ReluParams params;
  params.input_zero_point = in.zero_point;
  params.output_zero_point = out.zero_point;
  params.size = in.elements();
  // The ratio is divided in float, then widened (as TFLite).
  const double real_multiplier = static_cast<double>(in.scale / out.scale);
  int shift = 0;
  quant::QuantizeMultiplier(real_multiplier, &params.output_multiplier, &shift);
  if (shift > 30) {
    return ctx.Unsupported("input/output scale ratio %g is too large", real_multiplier);
  }
  params.output_shift = shift;
  // zp + int(roundf(act / scale)), in int32 as TFLite (see CastToInt32).
  auto quantize = [&out](float act) {
    return WrapAdd(out.zero_point, quant::CastToInt32(std::round(act / out.scale)));
  };
  const int32_t lo = quantize(0.0f);
  params.act_min = lo > kInt8Min ? lo : kInt8Min;
  params.act_max = kInt8Max;
  if (relu6) {
    const int32_t hi = quantize(6.0f);
    params.act_max = hi < kInt8Max ? hi : kInt8Max;
  }
  auto* p = ctx.AllocPersistent<ReluParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = params;
  ctx.SetKernel(EvalReluS8, p, "reference");
  ctx.AllowOutputInPlace();
  return Status::Ok();
}

// TFLite activations.cc SigmoidPrepare / TanhPrepare for kReference: a table.
Status PrepareLut(PrepareContext& ctx, LutFunction f) {
  MOTE_RETURN_IF_ERROR(CheckUnary(ctx));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type == DType::kFloat32) {
    return SetFloatKernel(ctx, f == LutFunction::kLogistic ? EvalLogisticF32 : EvalTanhF32);
  }
  if (f == LutFunction::kLogistic && static_cast<double>(out.scale) != 1.0 / 256) {
    return ctx.Error("int8 LOGISTIC needs an output scale of 1/256 (TFLite), has %g",
                     static_cast<double>(out.scale));
  }
  auto* p = ctx.AllocPersistent<LutParams>();
  if (p == nullptr) return ctx.OutOfArena();
  p->size = in.elements();
  PopulateLutS8(f, in.scale, in.zero_point, out.scale, out.zero_point, p->table);
  ctx.SetKernel(EvalLutS8, p, "reference");
  ctx.AllowOutputInPlace();
  return Status::Ok();
}

Status PrepareRelu(PrepareContext& ctx) { return PrepareRelu(ctx, false); }
Status PrepareRelu6(PrepareContext& ctx) { return PrepareRelu(ctx, true); }
Status PrepareLogistic(PrepareContext& ctx) { return PrepareLut(ctx, LutFunction::kLogistic); }
Status PrepareTanh(PrepareContext& ctx) { return PrepareLut(ctx, LutFunction::kTanh); }

}  // namespace

const OpRegistration& Relu() {
  static const OpRegistration reg{tflite::BuiltinOperator_RELU, 1, 2, PrepareRelu};
  return reg;
}

const OpRegistration& Relu6() {
  static const OpRegistration reg{tflite::BuiltinOperator_RELU6, 1, 2, PrepareRelu6};
  return reg;
}

const OpRegistration& Logistic() {
  static const OpRegistration reg{tflite::BuiltinOperator_LOGISTIC, 1, 2, PrepareLogistic};
  return reg;
}

const OpRegistration& Tanh() {
  static const OpRegistration reg{tflite::BuiltinOperator_TANH, 1, 2, PrepareTanh};
  return reg;
}

}  // namespace ops
}  // namespace mote
