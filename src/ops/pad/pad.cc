// PAD and PADV2: prepare and registrations.
//
// Versions (TFLite op_version.cc, the same for both): 1 float32 / int32,
// 2 int8, 3 int16, 4 rank 5, 5 bool. mote accepts 1-4 and implements
// float32, int32 and int8 up to rank 5 (int16 is refused in prepare).
#include <cstdint>
#include <cstring>
#include <limits>

#include "ops/common.h"
#include "ops/pad/pad.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

Status PreparePad(PrepareContext& ctx) {
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 2, 3, 1));
  const Tensor& in = ctx.input(0);
  const Tensor& paddings = ctx.input(1);
  const Tensor& out = ctx.output(0);
  const Tensor* value = ctx.has_input(2) ? &ctx.input(2) : nullptr;

  if (in.type != out.type) {
    return ctx.Error("input is %s but output is %s", DTypeName(in.type), DTypeName(out.type));
  }
  if (in.type == DType::kInt16) return ctx.Unsupported("int16 activations are not supported yet");
  if (in.type != DType::kFloat32 && in.type != DType::kInt32 && in.type != DType::kInt8) {
    return ctx.Unsupported("%s tensors are not supported (float32, int32, int8 are)",
                           DTypeName(in.type));
  }
  if (in.rank > kPadMaxRank) {
    return ctx.Unsupported("input has rank %d; PAD supports up to %d dims", in.rank, kPadMaxRank);
  }

  // Paddings: a constant [rank, 2] int32 or int64 tensor of values >= 0.
  if (paddings.type != DType::kInt32 && paddings.type != DType::kInt64) {
    return ctx.Unsupported("paddings ('%s') are %s (int32 and int64 are supported)",
                           paddings.name, DTypeName(paddings.type));
  }
  MOTE_RETURN_IF_ERROR(CheckConstant(ctx, paddings, "input 1 (paddings)"));
  const int32_t want[2] = {in.rank, 2};
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, paddings, want, 2, "input 1 (paddings)"));

  PadParams params;
  int32_t out_dims[kPadMaxRank];
  const int lead = kPadMaxRank - in.rank;
  for (int d = 0; d < kPadMaxRank; ++d) {
    params.in_dims[d] = 1;
    params.out_dims[d] = 1;
    params.before[d] = 0;
  }
  for (int d = 0; d < in.rank; ++d) {
    int64_t pad[2];
    for (int k = 0; k < 2; ++k) {
      if (paddings.type == DType::kInt32) {
        pad[k] = paddings.as<int32_t>()[2 * d + k];
      } else {
        int64_t v;
        memcpy(&v, paddings.data + sizeof(int64_t) * (2 * d + k), sizeof(v));
        pad[k] = v;
      }
      if (pad[k] < 0) {
        return ctx.Error("paddings[%d][%d] is %lld: negative paddings are invalid", d, k,
                         static_cast<long long>(pad[k]));
      }
    }
    const int64_t extent = in.dims[d] + pad[0] + pad[1];
    if (extent > std::numeric_limits<int32_t>::max()) {
      return ctx.Error("padded dim %d is too large", d);
    }
    out_dims[d] = static_cast<int32_t>(extent);
    params.in_dims[lead + d] = in.dims[d];
    params.out_dims[lead + d] = out_dims[d];
    params.before[lead + d] = static_cast<int32_t>(pad[0]);
  }
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, out, out_dims, in.rank, "output 0"));

  // The pad value.
  params.value_from_input = value != nullptr;
  params.value_bits = 0;
  if (value != nullptr) {
    if (value->type != in.type) {
      return ctx.Error("pad value ('%s') is %s, input is %s", value->name,
                       DTypeName(value->type), DTypeName(in.type));
    }
    if (value->elements() != 1) {
      return ctx.Error("pad value ('%s') has %d elements, expected 1", value->name,
                       value->elements());
    }
    if (in.type == DType::kInt8 && in.num_scales > 0 &&
        (value->scale != out.scale || value->zero_point != out.zero_point)) {
      return ctx.Error("pad value ('%s') must be quantized like the output (scale %g zp %d), has "
                       "scale %g zp %d",
                       value->name, static_cast<double>(out.scale), out.zero_point,
                       static_cast<double>(value->scale), value->zero_point);
    }
  } else if (in.type == DType::kInt8 && in.num_scales > 0) {
    // Quantized: pad with the output's zero point (the quantized 0.0).
    params.value_bits = static_cast<uint8_t>(static_cast<int8_t>(out.zero_point));
  }

  auto* p = ctx.AllocPersistent<PadParams>();
  if (p == nullptr) return ctx.OutOfArena();
  *p = params;
  ctx.SetKernel(in.type == DType::kInt8 ? EvalPadS8 : EvalPad32, p, "reference");
  return Status::Ok();
}

}  // namespace

const OpRegistration& Pad() {
  static const OpRegistration reg{tflite::BuiltinOperator_PAD, 1, 4, PreparePad};
  return reg;
}

const OpRegistration& PadV2() {
  static const OpRegistration reg{tflite::BuiltinOperator_PADV2, 1, 4, PreparePad};
  return reg;
}

}  // namespace ops
}  // namespace mote
