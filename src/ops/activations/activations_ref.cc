// Reference kernels of RELU, RELU6, LOGISTIC and TANH.
#include <cmath>
#include <cstdint>

#include "ops/activations/activations.h"
#include "quant/fixed_point.h"
#include "quant/libm.h"

namespace mote {
namespace ops {
namespace {

int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

template <typename T, typename F>
void Map(const Node& node, Tensor* tensors, F f) {
  const int32_t size = static_cast<const ElementCount*>(node.params)->size;
  const T* in = node.input(tensors, 0).as<T>();
  T* out = node.output(tensors, 0).as<T>();
  for (int32_t i = 0; i < size; ++i) out[i] = f(in[i]);
}

}  // namespace

void PopulateLutS8(LutFunction f, float input_scale, int32_t input_zero_point,
                   float output_scale, int32_t output_zero_point, int8_t* table) {
  const float inverse_scale = 1 / output_scale;
  for (int32_t q = -128; q <= 127; ++q) {
    const float dequantized = input_scale * static_cast<float>(q - input_zero_point);
    const float transformed = f == LutFunction::kLogistic
                                  ? 1.0f / (1.0f + quant::ExpF(-dequantized))
                                  : quant::TanhF(dequantized);
    const float rescaled = std::round(transformed * inverse_scale);
    const int32_t quantized =
        quant::CastToInt32(rescaled + static_cast<float>(output_zero_point));
    table[q + 128] = static_cast<int8_t>(quant::Clamp(quantized, -128, 127));
  }
}

int8_t ReluXS8(int8_t x, const ReluParams& p) {
  int32_t v = WrapAdd(p.output_zero_point,
                      quant::MultiplyByQuantizedMultiplier(x - p.input_zero_point,
                                                           p.output_multiplier, p.output_shift));
  // TFLite's order: max with the minimum first, then min with the maximum.
  v = v < p.act_min ? p.act_min : v;
  v = p.act_max < v ? p.act_max : v;
  return static_cast<int8_t>(v);
}

// Eigen's cwiseMax(0) in TFLite's float RELU: -0 and NaN pass through.
float ReluF32(float x) { return x < 0.0f ? 0.0f : x; }

// TFLite's float RELU6 (reference_ops::Relu6): x > 6 ? 6 : x < 0 ? 0 : x.
// -0 and NaN pass through.
float Relu6F32(float x) { return x > 6.0f ? 6.0f : x < 0.0f ? 0.0f : x; }

// TFLite's float reference_ops::Logistic (as in ai-edge-litert 2.3.0; newer
// sources clamp to [-100, 100] instead): 1 above 16.619..., e^x below -9,
// 1 / (1 + e^-x) between. NaN passes through.
float LogisticF32(float x) {
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.f;
  if (x > cutoff_upper) return 1.0f;
  if (x < cutoff_lower) return quant::ExpF(x);
  return 1.0f / (1.0f + quant::ExpF(-x));
}

float TanhF32(float x) { return quant::TanhF(x); }

void EvalReluS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ReluParams*>(node.params);
  const int8_t* in = node.input(tensors, 0).as<int8_t>();
  int8_t* out = node.output(tensors, 0).as<int8_t>();
  for (int32_t i = 0; i < p.size; ++i) out[i] = ReluXS8(in[i], p);
}

void EvalLutS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const LutParams*>(node.params);
  const int8_t* in = node.input(tensors, 0).as<int8_t>();
  int8_t* out = node.output(tensors, 0).as<int8_t>();
  for (int32_t i = 0; i < p.size; ++i) out[i] = p.table[in[i] + 128];
}

void EvalReluF32(const Node& node, Tensor* tensors) { Map<float>(node, tensors, ReluF32); }
void EvalRelu6F32(const Node& node, Tensor* tensors) { Map<float>(node, tensors, Relu6F32); }
void EvalLogisticF32(const Node& node, Tensor* tensors) {
  Map<float>(node, tensors, LogisticF32);
}
void EvalTanhF32(const Node& node, Tensor* tensors) { Map<float>(node, tensors, TanhF32); }

}  // namespace ops
}  // namespace mote
