#include "ops/common.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace mote {
namespace ops {

Status CheckIoCount(PrepareContext& ctx, int min_inputs, int max_inputs, int outputs) {
  if (ctx.num_inputs() < min_inputs || ctx.num_inputs() > max_inputs) {
    if (min_inputs == max_inputs) {
      return ctx.Error("expects %d inputs, has %d", min_inputs, ctx.num_inputs());
    }
    return ctx.Error("expects %d to %d inputs, has %d", min_inputs, max_inputs, ctx.num_inputs());
  }
  if (ctx.num_outputs() != outputs) {
    return ctx.Error("expects %d outputs, has %d", outputs, ctx.num_outputs());
  }
  for (int i = 0; i < min_inputs; ++i) {
    if (!ctx.has_input(i)) return ctx.Error("required input %d is missing", i);
  }
  for (int i = 0; i < outputs; ++i) {
    if (ctx.output_index(i) < 0) return ctx.Error("output %d is missing", i);
  }
  return Status::Ok();
}

Status CheckType(PrepareContext& ctx, const Tensor& t, DType expected, const char* what) {
  if (t.type != expected) {
    return ctx.Unsupported("%s ('%s') is %s, expected %s", what, t.name, DTypeName(t.type),
                           DTypeName(expected));
  }
  return Status::Ok();
}

Status CheckRank(PrepareContext& ctx, const Tensor& t, int rank, const char* what) {
  if (t.rank != rank) return ctx.Error("%s ('%s') has rank %d, expected %d", what, t.name, t.rank, rank);
  return Status::Ok();
}

Status CheckRankRange(PrepareContext& ctx, const Tensor& t, int min_rank, int max_rank,
                      const char* what) {
  if (t.rank < min_rank || t.rank > max_rank) {
    return ctx.Error("%s ('%s') has rank %d, expected %d to %d", what, t.name, t.rank, min_rank,
                     max_rank);
  }
  return Status::Ok();
}

static int FormatShape(char* buf, int size, const int32_t* dims, int rank) {
  int n = snprintf(buf, size, "[");
  for (int i = 0; i < rank && n < size; ++i) {
    n += snprintf(buf + n, size - n, i ? ",%d" : "%d", static_cast<int>(dims[i]));
  }
  if (n < size) n += snprintf(buf + n, size - n, "]");
  return n;
}

Status CheckShape(PrepareContext& ctx, const Tensor& t, const int32_t* dims, int rank,
                  const char* what) {
  bool same = t.rank == rank;
  for (int i = 0; same && i < rank; ++i) same = t.dims[i] == dims[i];
  if (same) return Status::Ok();
  char have[96];
  char want[96];
  FormatShape(have, sizeof(have), t.dims, t.rank);
  FormatShape(want, sizeof(want), dims, rank);
  return ctx.Error("%s ('%s') has shape %s, but its inputs and options imply %s", what, t.name,
                   have, want);
}

bool SameShape(const Tensor& a, const Tensor& b) {
  if (a.rank != b.rank) return false;
  for (int i = 0; i < a.rank; ++i) {
    if (a.dims[i] != b.dims[i]) return false;
  }
  return true;
}

Status CheckSameShape(PrepareContext& ctx, const Tensor& a, const Tensor& b, const char* what) {
  return CheckShape(ctx, b, a.dims, a.rank, what);
}

Status CheckPerTensorQuant(PrepareContext& ctx, const Tensor& t, const char* what) {
  if (t.num_scales != 1) {
    return ctx.Unsupported("%s ('%s') must be quantized per tensor, has %d scales", what, t.name,
                           static_cast<int>(t.num_scales));
  }
  return Status::Ok();
}

Status CheckConstant(PrepareContext& ctx, const Tensor& t, const char* what) {
  if (!t.is_constant()) return ctx.Unsupported("%s ('%s') must be a constant tensor", what, t.name);
  return Status::Ok();
}

Status ActivationRangeInt8(PrepareContext& ctx, int8_t activation, const Tensor& output,
                           int32_t* act_min, int32_t* act_max) {
  const float scale = output.scale;
  const int32_t zp = output.zero_point;
  // As TFLite (zp + round(f / scale), in float), but clamped to the int8
  // range before the cast: a tiny scale would otherwise overflow int32.
  auto quantize = [scale, zp](float f) {
    const double q = static_cast<double>(zp) + static_cast<double>(std::round(f / scale));
    if (std::isnan(q)) return zp;
    return q < kInt8Min ? kInt8Min : q > kInt8Max ? kInt8Max : static_cast<int32_t>(q);
  };
  int32_t lo = kInt8Min;
  int32_t hi = kInt8Max;
  switch (static_cast<Activation>(activation)) {
    case Activation::kNone:
      break;
    case Activation::kRelu:
      lo = quantize(0.0f) > lo ? quantize(0.0f) : lo;
      break;
    case Activation::kRelu6:
      lo = quantize(0.0f) > lo ? quantize(0.0f) : lo;
      hi = quantize(6.0f) < hi ? quantize(6.0f) : hi;
      break;
    case Activation::kReluN1To1:
      lo = quantize(-1.0f) > lo ? quantize(-1.0f) : lo;
      hi = quantize(1.0f) < hi ? quantize(1.0f) : hi;
      break;
    default:
      return ctx.Unsupported("fused activation %d is not supported", activation);
  }
  *act_min = lo;
  *act_max = hi;
  return Status::Ok();
}

Status ActivationRangeFloat(PrepareContext& ctx, int8_t activation, float* act_min,
                            float* act_max) {
  // TFLite uses the largest finite floats, not infinities: an infinite
  // result is clamped to +-FLT_MAX (checked against ai-edge-litert).
  const float lowest = std::numeric_limits<float>::lowest();
  const float highest = std::numeric_limits<float>::max();
  switch (static_cast<Activation>(activation)) {
    case Activation::kNone:
      *act_min = lowest;
      *act_max = highest;
      return Status::Ok();
    case Activation::kRelu:
      *act_min = 0.0f;
      *act_max = highest;
      return Status::Ok();
    case Activation::kRelu6:
      *act_min = 0.0f;
      *act_max = 6.0f;
      return Status::Ok();
    case Activation::kReluN1To1:
      *act_min = -1.0f;
      *act_max = 1.0f;
      return Status::Ok();
    default:
      return ctx.Unsupported("fused activation %d is not supported", activation);
  }
}

int32_t ComputeOutSize(Padding padding, int32_t in, int32_t filter, int32_t stride,
                       int32_t dilation) {
  if (stride <= 0 || dilation <= 0 || filter <= 0 || in < 0) return 0;
  const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t out = 0;
  switch (padding) {
    case Padding::kSame:
      out = (static_cast<int64_t>(in) + stride - 1) / stride;
      break;
    case Padding::kValid:
      out = (static_cast<int64_t>(in) + stride - effective) / stride;
      break;
  }
  if (out < 0 || out > std::numeric_limits<int32_t>::max()) return 0;
  return static_cast<int32_t>(out);
}

int32_t ComputePadding(int32_t stride, int32_t dilation, int32_t in, int32_t filter, int32_t out,
                       int32_t* offset) {
  const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  int64_t total = (static_cast<int64_t>(out) - 1) * stride + effective - in;
  if (total < 0) total = 0;
  *offset = static_cast<int32_t>(total % 2);
  return static_cast<int32_t>(total / 2);
}

}  // namespace ops
}  // namespace mote
