// CONCATENATION along any axis, for float32, int32 and int8.
//
// The output is, for each index of the dims before the axis ("outer"), the
// inputs' slices one after another (reference_ops::Concatenation).
//
// int8 inputs whose scale and zero point equal the output's are copied.
// Others are requantized with the formula of TFLite's
// ConcatenationWithScaling (reference_ops, which TFLite uses for uint8):
//   scale = in_scale * (1 / out_scale), bias = -zp_in * scale   (float)
//   q = clamp(int(roundf(x * scale + bias)) + zp_out, -128, 127)
// TensorFlow Lite itself (ai-edge-litert 2.3.0, and TF 2.x) refuses int8
// CONCATENATION inputs whose quantization differs from the output's, so
// this case has no oracle: mote extends TFLite's uint8 behaviour to int8.
#ifndef MOTE_OPS_CONCATENATION_CONCATENATION_H_
#define MOTE_OPS_CONCATENATION_CONCATENATION_H_

#include <cstdint>

#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct ConcatInput {
  int32_t slice;    // elements per outer index: axis extent * inner size
  bool requantize;  // int8 only: scale/zero point differ from the output's
  float scale;      // in_scale * (1 / out_scale)
  float bias;       // -zp_in * scale
};

struct ConcatParams {
  int32_t outer;           // product of the dims before the axis
  int32_t num_inputs;
  int32_t element_size;    // bytes
  int32_t output_zero_point;
  const ConcatInput* inputs;  // num_inputs entries
};

// One requantized int8 element.
int8_t RequantizeConcatS8(int8_t x, const ConcatInput& in, int32_t output_zero_point);

void EvalConcatCopy(const Node& node, Tensor* tensors);  // any type, no requantization
void EvalConcatS8(const Node& node, Tensor* tensors);    // int8 with requantization

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_CONCATENATION_CONCATENATION_H_
