// ADD, SUB, MUL: prepare (validation, broadcast shape, multipliers) and
// registrations. The arithmetic is in elementwise_ref.cc.
//
// Versions (TFLite op_version.cc): ADD 1 float/int32, 2 int8 (3 int16,
// 4 int64, 5 unquantized int16: not implemented); SUB 1 float/int32, 2 int8,
// 3 broadcast over more than 4 dims (4 int64, 5 int16: not implemented);
// MUL 1 float/int32, 2 int8, 3 int8 with s1 * s2 / so >= 1 (4+ int16,
// int64, complex: not implemented).
#include <cmath>
#include <cstdint>
#include <limits>

#include "ops/common.h"
#include "ops/elementwise/elementwise.h"
#include "quant/fixed_point.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {

bool MakeBroadcastShape(const int32_t* dims1, int rank1, const int32_t* dims2, int rank2,
                        BroadcastShape* shape, int32_t* out_dims, int* out_rank) {
  const int rank = rank1 > rank2 ? rank1 : rank2;
  if (rank > kBroadcastRank) return false;
  // Right-aligned; a missing leading dim counts as 1. An extent-1 dim of an
  // input never advances: its stride is 0.
  int32_t p1[kBroadcastRank], p2[kBroadcastRank], po[kBroadcastRank];
  for (int j = 0; j < kBroadcastRank; ++j) {
    const int k = kBroadcastRank - 1 - j;  // position counted from the right
    p1[j] = k < rank1 ? dims1[rank1 - 1 - k] : 1;
    p2[j] = k < rank2 ? dims2[rank2 - 1 - k] : 1;
    if (p1[j] != p2[j] && p1[j] != 1 && p2[j] != 1) return false;
    po[j] = p1[j] == 1 ? p2[j] : p1[j];
  }
  int64_t size = 1;
  int32_t c1 = 1, c2 = 1;  // contiguous strides of each input, from the right
  for (int j = kBroadcastRank - 1; j >= 0; --j) {
    shape->out_dims[j] = po[j];
    shape->in1_strides[j] = p1[j] == 1 ? 0 : c1;
    shape->in2_strides[j] = p2[j] == 1 ? 0 : c2;
    c1 *= p1[j];
    c2 *= p2[j];
    size *= po[j];
    if (size > std::numeric_limits<int32_t>::max()) return false;
  }
  shape->size = static_cast<int32_t>(size);
  shape->broadcast = !(c1 == shape->size && c2 == shape->size);
  *out_rank = rank;
  for (int i = 0; i < rank; ++i) out_dims[i] = po[kBroadcastRank - rank + i];
  return true;
}

namespace {

// TFLite's CalculateActivationRange<float>: no activation clamps to the
// finite float range (so +-inf becomes +-FLT_MAX), as TFLite does.
Status FloatActivationRange(PrepareContext& ctx, int8_t activation, float* lo, float* hi) {
  *lo = std::numeric_limits<float>::lowest();
  *hi = std::numeric_limits<float>::max();
  switch (static_cast<Activation>(activation)) {
    case Activation::kNone:
      return Status::Ok();
    case Activation::kRelu:
      *lo = 0.0f;
      return Status::Ok();
    case Activation::kRelu6:
      *lo = 0.0f;
      *hi = 6.0f;
      return Status::Ok();
    case Activation::kReluN1To1:
      *lo = -1.0f;
      *hi = 1.0f;
      return Status::Ok();
    default:
      return ctx.Unsupported("fused activation %d is not supported", activation);
  }
}

// TFLite's CalculateActivationRange<int32_t>.
Status Int32ActivationRange(PrepareContext& ctx, int8_t activation, int32_t* lo, int32_t* hi) {
  *lo = std::numeric_limits<int32_t>::min();
  *hi = std::numeric_limits<int32_t>::max();
  switch (static_cast<Activation>(activation)) {
    case Activation::kNone:
      return Status::Ok();
    case Activation::kRelu:
      *lo = 0;
      return Status::Ok();
    case Activation::kRelu6:
      *lo = 0;
      *hi = 6;
      return Status::Ok();
    case Activation::kReluN1To1:
      *lo = -1;
      *hi = 1;
      return Status::Ok();
    default:
      return ctx.Unsupported("fused activation %d is not supported", activation);
  }
}

int8_t FusedActivation(PrepareContext& ctx) {
  const tflite::Operator& op = ctx.op();
  switch (ctx.node().builtin) {
    case tflite::BuiltinOperator_ADD:
      if (auto* o = op.builtin_options_as_AddOptions()) return o->fused_activation_function();
      break;
    case tflite::BuiltinOperator_SUB:
      if (auto* o = op.builtin_options_as_SubOptions()) return o->fused_activation_function();
      break;
    case tflite::BuiltinOperator_MUL:
      if (auto* o = op.builtin_options_as_MulOptions()) return o->fused_activation_function();
      break;
    default:
      break;
  }
  return static_cast<int8_t>(Activation::kNone);
}

// int8 ADD / SUB: TFLite add.cc / sub.cc Prepare (PrepareGeneralSubOp).
Status QuantizeAddSub(PrepareContext& ctx, const Tensor& in1, const Tensor& in2,
                      const Tensor& out, ArithmeticParams* p) {
  p->input1_offset = -in1.zero_point;
  p->input2_offset = -in2.zero_point;
  p->output_offset = out.zero_point;
  p->left_shift = 20;
  const double twice_max_input_scale =
      2 * static_cast<double>(in1.scale > in2.scale ? in1.scale : in2.scale);
  const double real_input1_multiplier = static_cast<double>(in1.scale) / twice_max_input_scale;
  const double real_input2_multiplier = static_cast<double>(in2.scale) / twice_max_input_scale;
  const double real_output_multiplier =
      twice_max_input_scale /
      (static_cast<double>(1 << p->left_shift) * static_cast<double>(out.scale));
  // TFLite aborts (ADD) or shifts by a negative amount (SUB) beyond this:
  // an output range more than ~2^20 times narrower than the inputs'.
  if (!(real_output_multiplier < 1.0)) {
    return ctx.Unsupported(
        "output scale %g is too small for input scales %g and %g (rescale factor %g >= 1)",
        static_cast<double>(out.scale), static_cast<double>(in1.scale),
        static_cast<double>(in2.scale), real_output_multiplier);
  }
  int shift = 0;
  quant::QuantizeMultiplierSmallerThanOneExp(real_input1_multiplier, &p->input1_multiplier,
                                             &shift);
  p->input1_shift = shift;
  quant::QuantizeMultiplierSmallerThanOneExp(real_input2_multiplier, &p->input2_multiplier,
                                             &shift);
  p->input2_shift = shift;
  quant::QuantizeMultiplierSmallerThanOneExp(real_output_multiplier, &p->output_multiplier,
                                             &shift);
  p->output_shift = shift;
  return Status::Ok();
}

// int8 MUL: TFLite mul.cc Prepare. The real multiplier is computed in float
// (float * float / float), then widened, exactly as TFLite does.
Status QuantizeMul(PrepareContext& ctx, const Tensor& in1, const Tensor& in2, const Tensor& out,
                   ArithmeticParams* p) {
  p->input1_offset = -in1.zero_point;
  p->input2_offset = -in2.zero_point;
  p->output_offset = out.zero_point;
  p->left_shift = 0;
  const float real_multiplier_f = in1.scale * in2.scale / out.scale;
  const double real_multiplier = static_cast<double>(real_multiplier_f);
  if (!std::isfinite(real_multiplier) || !(real_multiplier > 0.0)) {
    return ctx.Unsupported("rescale factor s1 * s2 / so = %g is not a positive finite float",
                           real_multiplier);
  }
  int shift = 0;
  quant::QuantizeMultiplier(real_multiplier, &p->output_multiplier, &shift);
  // (a - zp1) * (b - zp2) < 2^16 is shifted left by `shift` in int32.
  if (shift > 15) {
    return ctx.Unsupported("rescale factor s1 * s2 / so = %g is too large", real_multiplier);
  }
  p->output_shift = shift;
  return Status::Ok();
}

Status PrepareArithmetic(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 2, 2, 1));
  const Tensor& in1 = ctx.input(0);
  const Tensor& in2 = ctx.input(1);
  const Tensor& out = ctx.output(0);
  const int32_t op = ctx.node().builtin;
  if (in1.type != in2.type || out.type != in1.type) {
    return ctx.Error("inputs and output must have one type, have %s, %s -> %s",
                     DTypeName(in1.type), DTypeName(in2.type), DTypeName(out.type));
  }
  if (in1.type != DType::kInt8 && in1.type != DType::kFloat32 && in1.type != DType::kInt32) {
    return ctx.Unsupported("%s tensors are not supported (int8, float32, int32 are)",
                           DTypeName(in1.type));
  }

  ArithmeticParams params = {};
  int32_t out_dims[kMaxRank];
  int out_rank = 0;
  if (!MakeBroadcastShape(in1.dims, in1.rank, in2.dims, in2.rank, &params.shape, out_dims,
                          &out_rank)) {
    return ctx.Error("input shapes of rank %d and %d do not broadcast (or exceed 6 dims)",
                     in1.rank, in2.rank);
  }
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, out, out_dims, out_rank, "output 0"));

  const int8_t activation = FusedActivation(ctx);
  EvalFn eval = nullptr;
  switch (in1.type) {
    case DType::kInt8: {
      MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, in1, "input 0"));
      MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, in2, "input 1"));
      MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, out, "output 0"));
      MOTE_RETURN_IF_ERROR(ActivationRangeInt8(ctx, activation, out, &params.act_min,
                                               &params.act_max));
      if (op == tflite::BuiltinOperator_MUL) {
        MOTE_RETURN_IF_ERROR(QuantizeMul(ctx, in1, in2, out, &params));
        eval = EvalMulS8;
      } else {
        MOTE_RETURN_IF_ERROR(QuantizeAddSub(ctx, in1, in2, out, &params));
        eval = op == tflite::BuiltinOperator_ADD ? EvalAddS8 : EvalSubS8;
      }
      break;
    }
    case DType::kFloat32:
      MOTE_RETURN_IF_ERROR(
          FloatActivationRange(ctx, activation, &params.float_act_min, &params.float_act_max));
      eval = op == tflite::BuiltinOperator_ADD   ? EvalAddF32
             : op == tflite::BuiltinOperator_SUB ? EvalSubF32
                                                 : EvalMulF32;
      break;
    default:  // int32
      MOTE_RETURN_IF_ERROR(Int32ActivationRange(ctx, activation, &params.act_min, &params.act_max));
      eval = op == tflite::BuiltinOperator_ADD   ? EvalAddS32
             : op == tflite::BuiltinOperator_SUB ? EvalSubS32
                                                 : EvalMulS32;
      break;
  }

  auto* p = ctx.AllocPersistent<ArithmeticParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = params;
  // Only the reference kernel exists so far; optimized variants will be
  // chosen here (first applicable in a table, else the reference).
  ctx.SetKernel(eval, p, "reference");
  // Output element i reads input 0's element i (when input 0 is not
  // broadcast), so the output may take over input 0's memory.
  if (in1.elements() == out.elements()) ctx.AllowOutputInPlace();
  return Status::Ok();
}

}  // namespace

const OpRegistration& Add() {
  static const OpRegistration reg{tflite::BuiltinOperator_ADD, 1, 2, PrepareArithmetic};
  return reg;
}

const OpRegistration& Sub() {
  static const OpRegistration reg{tflite::BuiltinOperator_SUB, 1, 3, PrepareArithmetic};
  return reg;
}

const OpRegistration& Mul() {
  static const OpRegistration reg{tflite::BuiltinOperator_MUL, 1, 3, PrepareArithmetic};
  return reg;
}

}  // namespace ops
}  // namespace mote
