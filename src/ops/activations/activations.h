// RELU, RELU6, LOGISTIC, TANH.
//
// int8 RELU / RELU6 follow TensorFlow Lite (activations.cc QuantizedReluX),
// not TFLM: the input is requantized to the output's quantization,
//   out = clamp(zp_out + MultiplyByQuantizedMultiplier(x - zp_in, m, sh),
//               act_min, act_max)
// with m * 2^sh ~= in_scale / out_scale (the division in float, as TFLite)
// and act_min / act_max the quantized 0 and 6 (RELU: 0 and the int8 max).
//
// int8 LOGISTIC / TANH follow TFLite's reference kernels (LOGISTIC_REF,
// TANH_REF), which look the result up in a 256-entry table built in Prepare
// with float math (LUTPopulateInt8):
//   table[q] = clamp(int(roundf(f(in_scale * (q - zp_in)) / out_scale) + zp_out))
// with f(x) = 1 / (1 + expf(-x)) or tanhf(x) (glibc's algorithms, see
// quant/libm.h). TFLite requires a LOGISTIC output scale of exactly 1/256;
// any other output quantization works through the table.
#ifndef MOTE_OPS_ACTIVATIONS_ACTIVATIONS_H_
#define MOTE_OPS_ACTIVATIONS_ACTIVATIONS_H_

#include <cstdint>

#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct ReluParams {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t output_multiplier;
  int32_t output_shift;
  int32_t act_min;
  int32_t act_max;
  int32_t size;
};

struct LutParams {
  int8_t table[256];  // indexed by the input value + 128
  int32_t size;
};

struct ElementCount {
  int32_t size;
};

// The function the LOGISTIC / TANH tables sample.
enum class LutFunction : uint8_t { kLogistic, kTanh };

// Fills `table` (index q + 128 for input q) as TFLite's LUTPopulateInt8.
void PopulateLutS8(LutFunction f, float input_scale, int32_t input_zero_point,
                   float output_scale, int32_t output_zero_point, int8_t* table);

// One element of int8 RELU / RELU6.
int8_t ReluXS8(int8_t x, const ReluParams& p);

// Float element functions (TFLite's float kernels).
float ReluF32(float x);
float Relu6F32(float x);
float LogisticF32(float x);
float TanhF32(float x);

void EvalReluS8(const Node& node, Tensor* tensors);      // ReluParams (RELU and RELU6)
void EvalLutS8(const Node& node, Tensor* tensors);       // LutParams
void EvalReluF32(const Node& node, Tensor* tensors);     // ElementCount
void EvalRelu6F32(const Node& node, Tensor* tensors);    // ElementCount
void EvalLogisticF32(const Node& node, Tensor* tensors); // ElementCount
void EvalTanhF32(const Node& node, Tensor* tensors);     // ElementCount

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_ACTIVATIONS_ACTIVATIONS_H_
