// FULLY_CONNECTED prepare and registration. What is checked follows
// TensorFlow Lite's fully_connected.cc (CheckTypes, PrepareImpl) and
// kernel_util.cc (GetQuantizedConvolutionMultipler's bias-scale check);
// where TFLite silently truncates (an input element count that is not a
// multiple of the weights' input depth) mote rejects the model.
//
// Versions (TFLite's op_version.cc): 1 float, 2 shuffled weights, 3 hybrid
// (float activations, int8 weights), 4 int8, 5 keep_num_dims, 6 no bias
// input. The registration covers 1..6; shuffled weights and hybrid models
// are rejected below as Unsupported, so a model gets that message rather
// than a bare version mismatch. 7 (int16), 8 (sparse), 9 (hybrid,
// asymmetric), 10 (int4 weights), 11 (int16 with int64 bias) and 12 (hybrid
// per channel) are not registered.
#include <cmath>

#include "ops/common.h"
#include "ops/variant.h"
#include "ops/fully_connected/fully_connected.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace {

// Kernel variants (ops/variant.h): optimized ones go before the
// reference, which always applies and is what --kernels reference selects.
const KernelVariant<FullyConnectedParams> kS8Variants[] = {
    {"reference", kIsaNone, nullptr, EvalFullyConnectedS8Reference},
};
const KernelVariant<FullyConnectedParams> kF32Variants[] = {
    {"reference", kIsaNone, nullptr, EvalFullyConnectedF32Reference},
};

// Per-tensor int8 quantization of an activation tensor.
Status CheckActivationQuant(PrepareContext& ctx, const Tensor& t, const char* what) {
  if (t.num_scales == 0) return ctx.Error("%s ('%s') is int8 but not quantized", what, t.name);
  return CheckPerTensorQuant(ctx, t, what);
}

// int8 weights, bias and requantization; fills the int8 fields of `p` and
// allocates the effective scale(s).
Status PrepareS8(PrepareContext& ctx, const Tensor& input, const Tensor& weights, const Tensor* bias,
                 const Tensor& output, int8_t activation, FullyConnectedParams* p) {
  MOTE_RETURN_IF_ERROR(CheckActivationQuant(ctx, input, "input 0"));
  MOTE_RETURN_IF_ERROR(CheckActivationQuant(ctx, output, "output 0"));
  if (weights.type != DType::kInt8) {
    return ctx.Unsupported("weights ('%s') are %s; int8 activations need int8 weights", weights.name,
                           DTypeName(weights.type));
  }
  if (weights.num_scales == 0) return ctx.Error("weights ('%s') are int8 but not quantized", weights.name);
  const int32_t out_depth = weights.dims[0];
  p->per_channel = weights.num_scales > 1;
  if (p->per_channel) {
    // TFLite indexes the scales by output channel: they must run along dim 0.
    if (weights.quantized_dimension != 0 || weights.num_scales != out_depth) {
      return ctx.Error("weights ('%s') have %d scales along dimension %d; per-channel weights need "
                       "one scale per output channel (%d) along dimension 0",
                       weights.name, static_cast<int>(weights.num_scales),
                       static_cast<int>(weights.quantized_dimension), out_depth);
    }
    // TFLite's per-channel kernel ignores the weights' zero points (they are
    // 0 by the quantization spec); refuse weights that say otherwise.
    if (!(weights.flags & kTensorSymmetric)) {
      return ctx.Unsupported("per-channel weights ('%s') have a non-zero zero point", weights.name);
    }
  }
  if (bias != nullptr) {
    MOTE_RETURN_IF_ERROR(CheckType(ctx, *bias, DType::kInt32, "input 2 (bias)"));
    if (!p->per_channel) {
      // TFLite's GetQuantizedConvolutionMultipler: the bias scale (0 when
      // the bias is not quantized) must be close to input x weights scale.
      const double product = static_cast<double>(input.scale) * static_cast<double>(weights.scale);
      const double diff = std::fabs(product - static_cast<double>(bias->scale));
      if (diff / static_cast<double>(output.scale) > 0.02) {
        return ctx.Error("bias ('%s') scale %g does not match input scale x weights scale %g",
                         bias->name, static_cast<double>(bias->scale), product);
      }
    }
  }

  p->input_offset = -input.zero_point;
  p->filter_offset = p->per_channel ? 0 : -weights.zero_point;
  p->output_offset = output.zero_point;
  MOTE_RETURN_IF_ERROR(ActivationRangeInt8(ctx, activation, output, &p->act_min, &p->act_max));
  if (p->act_min > p->act_max) {
    return ctx.Error("fused activation range [%d, %d] is empty for the output quantization",
                     p->act_min, p->act_max);
  }

  const int32_t count = p->per_channel ? out_depth : 1;
  double* scale = ctx.AllocPersistent<double>(static_cast<size_t>(count));
  if (scale == nullptr) return ctx.OutOfArena();
  for (int32_t c = 0; c < count; ++c) {
    const float filter_scale = p->per_channel ? weights.scales[c] : weights.scale;
    scale[c] = static_cast<double>(input.scale) * static_cast<double>(filter_scale) /
               static_cast<double>(output.scale);
  }
  p->effective_scale = scale;
  return Status::Ok();
}

Status PrepareFullyConnected(PrepareContext& ctx) {
  // Options first: shuffled weights come with a second (workspace) output.
  const auto* opts = ctx.op().builtin_options_as_FullyConnectedOptions();
  int8_t activation = 0;
  bool keep_num_dims = false;
  if (opts != nullptr) {  // missing options mean TFLite's defaults
    if (opts->weights_format() != tflite::FullyConnectedOptionsWeightsFormat_DEFAULT) {
      return ctx.Unsupported("weights format %d (shuffled) is not supported",
                             static_cast<int>(opts->weights_format()));
    }
    activation = static_cast<int8_t>(opts->fused_activation_function());
    keep_num_dims = opts->keep_num_dims();
  }
  MOTE_RETURN_IF_ERROR(CheckIoCount(ctx, 2, 3, 1));
  const Tensor& input = ctx.input(0);
  const Tensor& weights = ctx.input(1);
  const Tensor* bias = ctx.has_input(2) ? &ctx.input(2) : nullptr;
  const Tensor& output = ctx.output(0);

  if (input.type != DType::kInt8 && input.type != DType::kFloat32) {
    return ctx.Unsupported("input 0 ('%s') is %s; FULLY_CONNECTED supports int8 and float32",
                           input.name, DTypeName(input.type));
  }
  MOTE_RETURN_IF_ERROR(CheckType(ctx, output, input.type, "output 0"));
  MOTE_RETURN_IF_ERROR(CheckRank(ctx, weights, 2, "input 1 (weights)"));
  if (input.rank < 1) return ctx.Error("input 0 ('%s') is a scalar", input.name);

  const int32_t out_depth = weights.dims[0];
  const int32_t accum_depth = weights.dims[1];
  if (accum_depth <= 0) {
    return ctx.Unsupported("weights ('%s') have input depth %d", weights.name, accum_depth);
  }
  const int32_t in_elements = input.elements();
  if (in_elements % accum_depth != 0) {
    return ctx.Error("input 0 ('%s') has %d elements, not a multiple of the weights' input depth %d",
                     input.name, in_elements, accum_depth);
  }
  const int32_t batches = in_elements / accum_depth;
  if (bias != nullptr && bias->elements() != out_depth) {
    return ctx.Error("bias ('%s') has %d elements, expected %d (one per output unit)", bias->name,
                     bias->elements(), out_depth);
  }

  // Output shape (TFLite's UpdateOutputSize).
  int32_t out_dims[kMaxRank];
  int out_rank = 0;
  if (keep_num_dims) {
    if (input.dims[input.rank - 1] != accum_depth) {
      return ctx.Error("keep_num_dims: the input's last dimension (%d) must equal the weights' "
                       "input depth (%d)",
                       input.dims[input.rank - 1], accum_depth);
    }
    for (int i = 0; i < input.rank; ++i) out_dims[i] = input.dims[i];
    out_dims[input.rank - 1] = out_depth;
    out_rank = input.rank;
  } else {
    out_dims[0] = batches;
    out_dims[1] = out_depth;
    out_rank = 2;
  }
  MOTE_RETURN_IF_ERROR(CheckShape(ctx, output, out_dims, out_rank, "output 0"));

  FullyConnectedParams local{};
  local.batches = batches;
  local.accum_depth = accum_depth;
  local.output_depth = out_depth;
  FullyConnectedParams* p = ctx.AllocPersistent<FullyConnectedParams>();
  if (input.type == DType::kInt8) {
    MOTE_RETURN_IF_ERROR(PrepareS8(ctx, input, weights, bias, output, activation, &local));
  } else {
    if (weights.type != DType::kFloat32) {
      return ctx.Unsupported("weights ('%s') are %s; float activations need float weights (hybrid "
                             "kernels are not supported)",
                             weights.name, DTypeName(weights.type));
    }
    if (bias != nullptr) MOTE_RETURN_IF_ERROR(CheckType(ctx, *bias, DType::kFloat32, "input 2 (bias)"));
    MOTE_RETURN_IF_ERROR(
        ActivationRangeFloat(ctx, activation, &local.float_act_min, &local.float_act_max));
  }
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

const OpRegistration& FullyConnected() {
  static const OpRegistration reg{tflite::BuiltinOperator_FULLY_CONNECTED, 1, 6,
                                  PrepareFullyConnected};
  return reg;
}

}  // namespace ops
}  // namespace mote
