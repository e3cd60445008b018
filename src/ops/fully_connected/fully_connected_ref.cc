// FULLY_CONNECTED reference kernels: the spec. Loop for loop TFLite's
// reference_integer_ops::FullyConnected / FullyConnectedPerChannel (the
// overloads taking the float scales, which TFLite's reference kernel calls)
// and reference_ops::FullyConnected (float).
//
// int8, per output value (b, o):
//   acc = sum over d < I of (w[o, d] + filter_offset) * (x[b, d] + input_offset)
//   acc += bias[o]                                    (when there is a bias)
//   out = clamp(round(double(acc) * effective_scale[o or 0]) + output_offset,
//               act_min, act_max)
// round() rounds half away from zero. The accumulator is int32 and wraps
// like TFLite's.
#include <cmath>

#include "ops/fully_connected/fully_connected.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {

namespace {

// int32 addition with the wrap-around of TFLite's int32 accumulator.
inline int32_t AddWrapping(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// TFLite computes static_cast<int32_t>(round(x)) and then adds the output
// offset in int32; clamping to +-2^30 first keeps that defined here and does
// not change the final int8 result (the activation range is within int8).
inline int32_t RoundToInt32(double x) {
  const double r = std::round(x);
  const double kLimit = 1073741824.0;  // 2^30
  if (!(r < kLimit)) return static_cast<int32_t>(kLimit);  // also NaN (cannot happen)
  if (r < -kLimit) return -static_cast<int32_t>(kLimit);
  return static_cast<int32_t>(r);
}

}  // namespace

void FullyConnectedS8Reference(const FullyConnectedParams& p, const int8_t* input,
                               const int8_t* weights, const int32_t* bias, int8_t* output) {
  const int32_t accum_depth = p.accum_depth;
  const int32_t output_depth = p.output_depth;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* in = input + static_cast<int64_t>(b) * accum_depth;
    int8_t* out = output + static_cast<int64_t>(b) * output_depth;
    for (int32_t o = 0; o < output_depth; ++o) {
      const int8_t* w = weights + static_cast<int64_t>(o) * accum_depth;
      int32_t acc = 0;
      for (int32_t d = 0; d < accum_depth; ++d) {
        // |product| <= 255 * 255: no overflow before the (wrapping) sum.
        const int32_t product = (static_cast<int32_t>(w[d]) + p.filter_offset) *
                                (static_cast<int32_t>(in[d]) + p.input_offset);
        acc = AddWrapping(acc, product);
      }
      if (bias != nullptr) acc = AddWrapping(acc, bias[o]);
      const double scale = p.effective_scale[p.per_channel ? o : 0];
      int32_t scaled = RoundToInt32(static_cast<double>(acc) * scale);
      scaled += p.output_offset;
      out[o] = static_cast<int8_t>(quant::Clamp(scaled, p.act_min, p.act_max));
    }
  }
}

void FullyConnectedF32Reference(const FullyConnectedParams& p, const float* input,
                                const float* weights, const float* bias, float* output) {
  const int32_t accum_depth = p.accum_depth;
  const int32_t output_depth = p.output_depth;
  for (int32_t b = 0; b < p.batches; ++b) {
    const float* in = input + static_cast<int64_t>(b) * accum_depth;
    float* out = output + static_cast<int64_t>(b) * output_depth;
    for (int32_t o = 0; o < output_depth; ++o) {
      const float* w = weights + static_cast<int64_t>(o) * accum_depth;
      float total = 0.0f;
      for (int32_t d = 0; d < accum_depth; ++d) total += in[d] * w[d];
      const float bias_value = bias != nullptr ? bias[o] : 0.0f;
      // ActivationFunctionWithMinMax: min(max(x, lo), hi).
      float v = total + bias_value;
      v = v < p.float_act_min ? p.float_act_min : v;
      v = p.float_act_max < v ? p.float_act_max : v;
      out[o] = v;
    }
  }
}

void EvalFullyConnectedS8Reference(const Node& node, Tensor* tensors) {
  const FullyConnectedParams& p = *static_cast<const FullyConnectedParams*>(node.params);
  const int32_t* bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;
  FullyConnectedS8Reference(p, node.input(tensors, 0).as<int8_t>(), node.input(tensors, 1).as<int8_t>(),
                            bias, node.output(tensors, 0).as<int8_t>());
}

void EvalFullyConnectedF32Reference(const Node& node, Tensor* tensors) {
  const FullyConnectedParams& p = *static_cast<const FullyConnectedParams*>(node.params);
  const float* bias = node.has_input(2) ? node.input(tensors, 2).as<float>() : nullptr;
  FullyConnectedF32Reference(p, node.input(tensors, 0).as<float>(), node.input(tensors, 1).as<float>(),
                             bias, node.output(tensors, 0).as<float>());
}

}  // namespace ops
}  // namespace mote
