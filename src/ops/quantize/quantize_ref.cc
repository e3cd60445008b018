// Reference kernels of QUANTIZE and DEQUANTIZE.
#include <cmath>
#include <cstdint>

#include "ops/quantize/quantize.h"
#include "quant/fixed_point.h"
#include "quant/libm.h"

namespace mote {
namespace ops {
namespace {

int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

const float& ScaleOf(const AffineParams& p, int32_t i) {
  return p.num_channels == 1 ? p.scales[0] : p.scales[(i / p.inner) % p.num_channels];
}

}  // namespace

int8_t QuantizeF32ToS8(float x, float scale, int32_t zero_point) {
  // TFLite: static_cast<int32_t>(TfLiteRound(x / scale)) + zero_point, then
  // clamped. NaN, infinities and quotients beyond int32 convert to INT32_MIN
  // on the oracle (see CastToInt32), and the addition wraps.
  const int32_t rounded = quant::CastToInt32(std::round(x / scale));
  return static_cast<int8_t>(quant::Clamp(WrapAdd(rounded, zero_point), -128, 127));
}

float DequantizeS8ToF32(int8_t q, float scale, int32_t zero_point) {
  return static_cast<float>(static_cast<double>(scale) * (static_cast<int32_t>(q) - zero_point));
}

void EvalQuantizeF32ToS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const AffineParams*>(node.params);
  const float* in = node.input(tensors, 0).as<float>();
  int8_t* out = node.output(tensors, 0).as<int8_t>();
  for (int32_t i = 0; i < p.size; ++i) out[i] = QuantizeF32ToS8(in[i], ScaleOf(p, i), p.zero_point);
}

void EvalRequantizeS8ToS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const RequantizeParams*>(node.params);
  const int8_t* in = node.input(tensors, 0).as<int8_t>();
  int8_t* out = node.output(tensors, 0).as<int8_t>();
  for (int32_t i = 0; i < p.size; ++i) {
    const int32_t scaled =
        quant::MultiplyByQuantizedMultiplier(in[i] - p.input_zero_point, p.multiplier, p.shift);
    out[i] = static_cast<int8_t>(quant::Clamp(WrapAdd(scaled, p.output_zero_point), -128, 127));
  }
}

void EvalDequantizeS8ToF32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const AffineParams*>(node.params);
  const int8_t* in = node.input(tensors, 0).as<int8_t>();
  float* out = node.output(tensors, 0).as<float>();
  for (int32_t i = 0; i < p.size; ++i) out[i] = DequantizeS8ToF32(in[i], ScaleOf(p, i), p.zero_point);
}

}  // namespace ops
}  // namespace mote
