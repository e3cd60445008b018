// MEAN prepare and registration. What is checked follows TensorFlow Lite's
// reduce.cc (PrepareSimple, PrepareMeanOrSum, ResolveAxis, GetOutputShape):
// a 32-bit axis tensor whose values lie in [-rank, rank) (duplicates
// ignored), output shape from keep_dims. mote needs the axis tensor to be a
// constant (TFLite also accepts one computed at run time).
//
// Versions (TFLite's op_version.cc): 1 float (and uint8, rejected by
// dtype), 2 int8, 3 int16 (not registered).
#include <limits>

#include "ops/common.h"
#include "ops/variant.h"
#include "ops/mean/mean.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

// Kernel variants (ops/variant.h): optimized ones go before the
// reference, which always applies and is what --kernels reference selects.
const KernelVariant<MeanParams> kS8Variants[] = {
    {"reference", kIsaNone, nullptr, EvalMeanS8Reference},
};
const KernelVariant<MeanParams> kF32Variants[] = {
    {"reference", kIsaNone, nullptr, EvalMeanF32Reference},
};

Status PrepareMean(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 2, 2, 1));
  const Tensor& input = ctx.input(0);
  const Tensor& axis = ctx.input(1);
  const Tensor& output = ctx.output(0);
  if (input.type != DType::kInt8 && input.type != DType::kFloat32) {
    return ctx.Unsupported("input 0 ('%s') is %s; MEAN supports int8 and float32", input.name,
                           DTypeName(input.type));
  }
  MOTE_RETURN_IF_ERROR(CheckType(ctx, output, input.type, "output 0"));
  MOTE_RETURN_IF_ERROR(CheckType(ctx, axis, DType::kInt32, "input 1 (axis)"));
  MOTE_RETURN_IF_ERROR(CheckConstant(ctx, axis, "input 1 (axis)"));
  // Missing options mean TFLite's defaults (keep_dims false).
  const auto* opts = ctx.op().builtin_options_as_ReducerOptions();
  const bool keep_dims = opts != nullptr && opts->keep_dims();

  // Resolve the axes (TFLite's ResolveAxis; a scalar input ignores them).
  const int rank = input.rank;
  bool reduced[kMaxRank] = {};
  if (rank > 0) {
    const int32_t* axes = axis.as<int32_t>();
    const int32_t num_axes = axis.elements();
    for (int32_t i = 0; i < num_axes; ++i) {
      const int32_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 0 || a >= rank) {
        return ctx.Error("axis %d is out of range for an input of rank %d", axes[i], rank);
      }
      reduced[a] = true;
    }
  }

  MeanParams local{};
  int32_t out_dims[kMaxRank];
  int out_rank = 0;
  // Strides and the reduced count are kept below 2^31 (a zero dimension
  // makes the element count 0 however large the other dimensions are, so
  // the format check on the element count does not bound them).
  const int64_t kLimit = std::numeric_limits<int32_t>::max();
  bool too_big = false;
  int64_t stride = 1;
  int64_t strides[kMaxRank];
  for (int i = rank - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= input.dims[i];
    if (stride > kLimit) {
      too_big = true;
      stride = kLimit;
    }
  }
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (reduced[i]) {
      local.reduced_size[local.num_reduced] = input.dims[i];
      local.reduced_stride[local.num_reduced] = static_cast<int32_t>(strides[i]);
      ++local.num_reduced;
      count *= input.dims[i];
      if (count > kLimit) {
        too_big = true;
        count = kLimit;
      }
      if (keep_dims) out_dims[out_rank++] = 1;
    } else {
      local.kept_size[local.num_kept] = input.dims[i];
      local.kept_stride[local.num_kept] = static_cast<int32_t>(strides[i]);
      ++local.num_kept;
      out_dims[out_rank++] = input.dims[i];
    }
  }
  if (too_big) return ctx.Unsupported("input 0 ('%s') has dimensions beyond int32 indexing", input.name);
  local.reduced_count = static_cast<int32_t>(count);
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, output, out_dims, out_rank, "output 0"));

  if (input.type == DType::kInt8) {
    if (input.num_scales == 0) return ctx.Error("input 0 ('%s') is int8 but not quantized", input.name);
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, input, "input 0"));
    if (output.num_scales == 0) return ctx.Error("output 0 ('%s') is int8 but not quantized", output.name);
    MOTE_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, output, "output 0"));
    local.input_zero_point = input.zero_point;
    local.output_zero_point = output.zero_point;
    if (local.reduced_count > 0) {
      MeanQuantParams(static_cast<double>(input.scale), static_cast<double>(output.scale),
                      local.reduced_count, &local.multiplier, &local.shift);
      // A left shift of 32 or more is undefined in TFLite's kernel; it needs
      // input_scale / output_scale >= 2^31.
      if (local.shift > 31) {
        return ctx.Unsupported("input/output scale ratio %g is too large",
                               static_cast<double>(input.scale) / static_cast<double>(output.scale));
      }
    }
  }

  MeanParams* p = ctx.AllocPersistent<MeanParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = local;
  if (input.type == DType::kInt8) {
    SetKernelFromTable(kS8Variants, ctx, p);
  } else {
    SetKernelFromTable(kF32Variants, ctx, p);
  }
  return Status::Ok();
}

}  // namespace

const OpRegistration& Mean() {
  static const OpRegistration reg{tflite::BuiltinOperator_MEAN, 1, 2, PrepareMean};
  return reg;
}

}  // namespace ops
}  // namespace mote
