// QUANTIZE and DEQUANTIZE: prepare and registrations.
//
// Versions (TFLite op_version.cc): QUANTIZE 1 float -> int8/uint8 and
// int8 -> int8, 2 int16 output, 3 per-channel output, 4 int4; mote accepts
// 1-3 and implements float32 -> int8 (per tensor, or per channel when the
// zero points are 0) and int8 -> int8 (per tensor); int16 (keyword_scrambled)
// and uint8 are refused in prepare. DEQUANTIZE 1 uint8, 2 int8, 3 int16 /
// float16, 5 int8 per channel, 6 int4; mote accepts 1-5 and implements int8
// (per tensor, or per channel with zero points 0).
#include <cstdint>

#include "ops/common.h"
#include "ops/quantize/quantize.h"
#include "quant/fixed_point.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

// Affine parameters of `t` (quantized, per tensor or per channel).
Status MakeAffineParams(PrepareContext& ctx, const Tensor& t, const char* what,
                        AffineParams* p) {
  if (t.num_scales < 1) return ctx.Error("%s ('%s') is not quantized", what, t.name);
  p->scales = t.scales;
  p->zero_point = t.zero_point;
  p->num_channels = 1;
  p->inner = 1;
  p->size = t.elements();
  if (t.num_scales > 1) {
    if (!(t.flags & kTensorSymmetric)) {
      return ctx.Unsupported("%s ('%s') is quantized per channel with nonzero zero points", what,
                             t.name);
    }
    const int qd = t.quantized_dimension;
    p->num_channels = t.dims[qd];
    for (int d = qd + 1; d < t.rank; ++d) p->inner *= t.dims[d];
    p->zero_point = 0;
  }
  return Status::Ok();
}

Status Int16NotYet(PrepareContext& ctx, const char* what, const Tensor& t) {
  return ctx.Unsupported("%s ('%s') is int16: int16 activations are not supported yet", what,
                         t.name);
}

Status PrepareQuantize(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 1, 1));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  MOTE_RETURN_IF_ERROR(CheckSameShape(ctx, in, out, "output 0"));
  if (out.type == DType::kInt16) return Int16NotYet(ctx, "output 0", out);
  if (in.type == DType::kInt16) return Int16NotYet(ctx, "input 0", in);
  MOTE_RETURN_IF_ERROR(CheckType(ctx, out, DType::kInt8, "output 0"));
  if (out.num_scales < 1) return ctx.Error("output 0 ('%s') is not quantized", out.name);

  if (in.type == DType::kFloat32) {
    AffineParams params;
    MOTE_RETURN_IF_ERROR(MakeAffineParams(ctx, out, "output 0", &params));
    auto* p = ctx.AllocPersistent<AffineParams>();
    if (p == nullptr) return ctx.OutOfArena();
    *p = params;
    ctx.SetKernel(EvalQuantizeF32ToS8, p, "reference");
    return Status::Ok();
  }
  if (in.type != DType::kInt8) {
    return ctx.Unsupported("input 0 ('%s') is %s: QUANTIZE takes float32 or int8", in.name,
                           DTypeName(in.type));
  }
  // int8 -> int8 requantization (TFLite's Requantize), per tensor only.
  MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, in, "input 0"));
  MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, out, "output 0"));
  RequantizeParams params;
  params.input_zero_point = in.zero_point;
  params.output_zero_point = out.zero_point;
  params.size = in.elements();
  const double effective_scale = static_cast<double>(in.scale) / static_cast<double>(out.scale);
  int shift = 0;
  quant::QuantizeMultiplier(effective_scale, &params.multiplier, &shift);
  if (shift > 30) {
    return ctx.Unsupported("input/output scale ratio %g is too large", effective_scale);
  }
  params.shift = shift;
  auto* p = ctx.AllocPersistent<RequantizeParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = params;
  ctx.SetKernel(EvalRequantizeS8ToS8, p, "reference");
  ctx.AllowOutputInPlace();
  return Status::Ok();
}

Status PrepareDequantize(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 1, 1));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  MOTE_RETURN_IF_ERROR(CheckSameShape(ctx, in, out, "output 0"));
  if (in.type == DType::kInt16) return Int16NotYet(ctx, "input 0", in);
  MOTE_RETURN_IF_ERROR(CheckType(ctx, in, DType::kInt8, "input 0"));
  MOTE_RETURN_IF_ERROR(CheckType(ctx, out, DType::kFloat32, "output 0"));
  AffineParams params;
  MOTE_RETURN_IF_ERROR(MakeAffineParams(ctx, in, "input 0", &params));
  auto* p = ctx.AllocPersistent<AffineParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = params;
  ctx.SetKernel(EvalDequantizeS8ToF32, p, "reference");
  return Status::Ok();
}

}  // namespace

const OpRegistration& Quantize() {
  static const OpRegistration reg{tflite::BuiltinOperator_QUANTIZE, 1, 3, PrepareQuantize};
  return reg;
}

const OpRegistration& Dequantize() {
  static const OpRegistration reg{tflite::BuiltinOperator_DEQUANTIZE, 1, 5, PrepareDequantize};
  return reg;
}

}  // namespace ops
}  // namespace mote
