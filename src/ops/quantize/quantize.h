// QUANTIZE and DEQUANTIZE.
//
// QUANTIZE float32 -> int8 (TFLite reference_ops::AffineQuantize, per tensor
// or per channel):
//   q = clamp(double(roundf(x / scale)) + zero_point, -128, 127)
// with the division in float and roundf rounding halves away from zero.
// QUANTIZE int8 -> int8 (reference_ops::Requantize):
//   q = clamp(MultiplyByQuantizedMultiplier(x - zp_in, m, sh) + zp_out)
// with m * 2^sh ~= in_scale / out_scale (in double).
// DEQUANTIZE int8 -> float32 (reference_integer_ops::Dequantize):
//   x = float(double(scale) * (q - zero_point))
// (the product is exact in double, so this is the correctly rounded float).
#ifndef MOTE_OPS_QUANTIZE_QUANTIZE_H_
#define MOTE_OPS_QUANTIZE_QUANTIZE_H_

#include <cstdint>

#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

// Per-tensor or per-channel affine parameters of the quantized tensor. With
// one channel (num_channels == 1) every element uses scales[0]; otherwise
// the element at flat index i uses scales[(i / inner) % num_channels]
// (num_channels is quantized_dimension's extent, inner the product of the
// dims after it). Per-channel tensors must be symmetric (zero points 0).
struct AffineParams {
  const float* scales;  // in the model
  int32_t zero_point;
  int32_t num_channels;
  int32_t inner;
  int32_t size;  // elements
};

struct RequantizeParams {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;
  int32_t shift;
  int32_t size;
};

// One element of float -> int8 quantization (TFLite's AffineQuantize).
int8_t QuantizeF32ToS8(float x, float scale, int32_t zero_point);
// One element of int8 -> float dequantization.
float DequantizeS8ToF32(int8_t q, float scale, int32_t zero_point);

void EvalQuantizeF32ToS8(const Node& node, Tensor* tensors);   // AffineParams
void EvalRequantizeS8ToS8(const Node& node, Tensor* tensors);  // RequantizeParams
void EvalDequantizeS8ToF32(const Node& node, Tensor* tensors); // AffineParams

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_QUANTIZE_QUANTIZE_H_
