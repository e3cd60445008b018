// CONCATENATION: prepare and registration.
//
// Versions (TFLite op_version.cc): 1 float32 / int32 / uint8, 2 int8,
// 3 int16, 4 uint32. mote implements 1-2 for float32, int32 and int8.
#include <cstdint>
#include <limits>

#include "ops/common.h"
#include "ops/concatenation/concatenation.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

Status PrepareConcatenation(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 255, 1));
  const int n = ctx.num_inputs();
  for (int i = 0; i < n; ++i) {
    if (!ctx.has_input(i)) return ctx.Error("input %d is missing", i);
  }
  const Tensor& t0 = ctx.input(0);
  const Tensor& out = ctx.output(0);
  int32_t axis = 0;
  int8_t activation = 0;
  if (auto* o = ctx.op().builtin_options_as_ConcatenationOptions()) {
    axis = o->axis();
    activation = o->fused_activation_function();
  }
  if (activation != static_cast<int8_t>(Activation::kNone)) {
    return ctx.Error("fused activation %d: TFLite's CONCATENATION takes none", activation);
  }
  if (t0.type == DType::kInt16) return ctx.Unsupported("int16 activations are not supported yet");
  if (t0.type != DType::kFloat32 && t0.type != DType::kInt32 && t0.type != DType::kInt8) {
    return ctx.Unsupported("%s tensors are not supported (float32, int32, int8 are)",
                           DTypeName(t0.type));
  }
  const int rank = t0.rank;
  if (rank == 0) return ctx.Unsupported("concatenating scalars is not supported");
  const int32_t given_axis = axis;
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) {
    return ctx.Error("axis %d is out of range for rank %d", given_axis, rank);
  }

  // Output shape: input 0's, with the axis extents summed.
  int32_t dims[kMaxRank];
  for (int d = 0; d < rank; ++d) dims[d] = t0.dims[d];
  int64_t axis_sum = 0;
  for (int i = 0; i < n; ++i) {
    const Tensor& t = ctx.input(i);
    if (t.type != t0.type) {
      return ctx.Error("input %d is %s, input 0 is %s", i, DTypeName(t.type), DTypeName(t0.type));
    }
    if (t.rank != rank) return ctx.Error("input %d has rank %d, input 0 has %d", i, t.rank, rank);
    for (int d = 0; d < rank; ++d) {
      if (d != axis && t.dims[d] != t0.dims[d]) {
        return ctx.Error("input %d has extent %d in dim %d, input 0 has %d", i, t.dims[d], d,
                         t0.dims[d]);
      }
    }
    axis_sum += t.dims[axis];
    if (axis_sum > std::numeric_limits<int32_t>::max()) return ctx.Error("output too large");
  }
  dims[axis] = static_cast<int32_t>(axis_sum);
  if (out.type != t0.type) {
    return ctx.Error("output is %s, inputs are %s", DTypeName(out.type), DTypeName(t0.type));
  }
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, out, dims, rank, "output 0"));

  int32_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= dims[d];
  for (int d = axis + 1; d < rank; ++d) inner *= dims[d];

  bool any_requantize = false;
  if (t0.type == DType::kInt8) {
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, out, "output 0"));
    for (int i = 0; i < n; ++i) MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, ctx.input(i), "input"));
  }

  auto* p = ctx.AllocPersistent<ConcatParams>();
  auto* inputs = ctx.AllocPersistent<ConcatInput>(static_cast<size_t>(n));
  if (p == nullptr || inputs == nullptr) return ctx.OutOfArena();
  const float inverse_output_scale = 1.f / out.scale;
  for (int i = 0; i < n; ++i) {
    const Tensor& t = ctx.input(i);
    ConcatInput& in = inputs[i];
    in.slice = t.dims[axis] * inner;
    in.requantize = false;
    in.scale = 1.0f;
    in.bias = 0.0f;
    if (t.type == DType::kInt8 && (t.scale != out.scale || t.zero_point != out.zero_point)) {
      in.requantize = true;
      in.scale = t.scale * inverse_output_scale;
      in.bias = static_cast<float>(-t.zero_point) * in.scale;
      any_requantize = true;
    }
  }
  p->outer = outer;
  p->num_inputs = n;
  p->element_size = static_cast<int32_t>(DTypeSize(t0.type));
  p->output_zero_point = out.zero_point;
  p->inputs = inputs;
  ctx.SetKernel(any_requantize ? EvalConcatS8 : EvalConcatCopy, p, "reference");
  return Status::Ok();
}

}  // namespace

const OpRegistration& Concatenation() {
  static const OpRegistration reg{tflite::BuiltinOperator_CONCATENATION, 1, 2,
                                  PrepareConcatenation};
  return reg;
}

}  // namespace ops
}  // namespace mote
