// RESHAPE and SQUEEZE: the output holds the input's bytes under another
// shape. The output shape written in the model is checked against what the
// op implies (element count; for RESHAPE the new_shape option or shape
// tensor, with one -1 resolved; for SQUEEZE the squeeze_dims option).
#include <cstring>

#include "ops/common.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

void EvalCopy(const Node& node, Tensor* tensors) {
  const Tensor& in = node.input(tensors, 0);
  Tensor& out = node.output(tensors, 0);
  if (out.data != in.data && out.bytes > 0) memmove(out.data, in.data, static_cast<size_t>(out.bytes));
}

Status CheckCopyable(PrepareContext& ctx) {
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.type != out.type) {
    return ctx.Error("input is %s but output is %s", DTypeName(in.type), DTypeName(out.type));
  }
  if (in.bytes != out.bytes) {
    return ctx.Error("input has %d elements but output has %d", in.elements(), out.elements());
  }
  if (in.num_scales != out.num_scales ||
      (in.num_scales == 1 && (in.scale != out.scale || in.zero_point != out.zero_point))) {
    return ctx.Unsupported("input and output quantization differ");
  }
  return Status::Ok();
}

// Resolves `count` requested dims (one may be -1) against the input's
// element count and compares with the output.
Status CheckRequestedShape(PrepareContext& ctx, const int32_t* requested, int count) {
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (count > kMaxRank) return ctx.Error("new shape has %d dims (max %d)", count, kMaxRank);
  int32_t dims[kMaxRank];
  int unknown = -1;
  int64_t known = 1;
  for (int i = 0; i < count; ++i) {
    dims[i] = requested[i];
    if (requested[i] == -1) {
      if (unknown >= 0) return ctx.Error("new shape has more than one -1");
      unknown = i;
    } else if (requested[i] < 0) {
      return ctx.Error("new shape dimension %d is %d", i, requested[i]);
    } else {
      known *= requested[i];
    }
  }
  if (unknown >= 0) {
    if (known == 0 || in.elements() % known != 0) {
      return ctx.Error("new shape cannot hold %d elements", in.elements());
    }
    dims[unknown] = static_cast<int32_t>(in.elements() / known);
  }
  return CheckShape(ctx, out, dims, count, "output 0");
}

Status PrepareReshape(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 2, 1));
  MOTE_RETURN_IF_ERROR(CheckCopyable(ctx));
  // The shape tensor (input 1) takes precedence over the option, as in TFLite.
  if (ctx.has_input(1)) {
    const Tensor& shape = ctx.input(1);
    MOTE_RETURN_IF_ERROR(CheckType(ctx, shape, DType::kInt32, "input 1 (shape)"));
    // A 1-D constant shape tensor names the new shape; anything else (e.g. a
    // runtime value) is only trusted through the output's element count.
    if (shape.is_constant() && shape.rank == 1 && shape.dims[0] > 0) {
      MOTE_RETURN_IF_ERROR(CheckRequestedShape(ctx, shape.as<int32_t>(), shape.dims[0]));
    } else if (!shape.is_constant()) {
      return ctx.Unsupported("a shape tensor computed at run time is not supported");
    }
  } else if (auto* o = ctx.op().builtin_options_as_ReshapeOptions()) {
    if (o->new_shape() != nullptr && o->new_shape()->size() > 0) {
      MOTE_RETURN_IF_ERROR(CheckRequestedShape(ctx, o->new_shape()->data(),
                                               static_cast<int>(o->new_shape()->size())));
    }
  }
  ctx.AllowOutputInPlace();
  ctx.SetKernel(EvalCopy, nullptr, "copy");
  return Status::Ok();
}

Status PrepareSqueeze(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 1, 1, 1));
  MOTE_RETURN_IF_ERROR(CheckCopyable(ctx));
  const Tensor& in = ctx.input(0);
  bool squeeze[kMaxRank] = {};
  const auto* o = ctx.op().builtin_options_as_SqueezeOptions();
  const flatbuffers::Vector<int32_t>* axes = o != nullptr ? o->squeeze_dims() : nullptr;
  if (axes == nullptr || axes->size() == 0) {
    for (int i = 0; i < in.rank; ++i) squeeze[i] = in.dims[i] == 1;
  } else {
    for (int32_t axis : *axes) {
      const int32_t a = axis < 0 ? axis + in.rank : axis;
      if (a < 0 || a >= in.rank) return ctx.Error("squeeze axis %d out of range for rank %d", axis, in.rank);
      if (in.dims[a] != 1) return ctx.Error("squeeze axis %d has size %d, not 1", axis, in.dims[a]);
      squeeze[a] = true;
    }
  }
  int32_t dims[kMaxRank];
  int rank = 0;
  for (int i = 0; i < in.rank; ++i) {
    if (!squeeze[i]) dims[rank++] = in.dims[i];
  }
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, ctx.output(0), dims, rank, "output 0"));
  ctx.AllowOutputInPlace();
  ctx.SetKernel(EvalCopy, nullptr, "copy");
  return Status::Ok();
}

}  // namespace

const OpRegistration& Reshape() {
  static const OpRegistration reg{tflite::BuiltinOperator_RESHAPE, 1, 1, PrepareReshape};
  return reg;
}

const OpRegistration& Squeeze() {
  static const OpRegistration reg{tflite::BuiltinOperator_SQUEEZE, 1, 1, PrepareSqueeze};
  return reg;
}

}  // namespace ops
}  // namespace mote
