// SOFTMAX: params precomputed by prepare and the reference kernels.
//
// The softmax runs along the last dimension: the input is viewed as
// [rows, depth] with depth = the last dimension and rows = the product of
// the others. Output shape = input shape.
//
// int8 follows TensorFlow Lite's reference kernel (the one its BUILTIN_REF
// resolver runs, reference_ops::Softmax with gemmlowp fixed point; checked
// against ai-edge-litert): the input differences x - max are scaled by
// beta * input_scale into Q5.26, exponentiated in fixed point, summed in
// Q12.19, and each output is exp * (1 / sum) in units of 1/256, offset by
// -128. TFLite requires output scale 1/256 and zero point -128. An int16
// output (keyword_scrambled has one) comes from the same kernel in units of
// 1/65536 offset by -32768.
#ifndef MOTE_OPS_SOFTMAX_SOFTMAX_H_
#define MOTE_OPS_SOFTMAX_SOFTMAX_H_

#include <cstdint>

#include "mote/tensor.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct SoftmaxParams {
  int32_t rows;   // product of all dimensions but the last
  int32_t depth;  // the last dimension
  // int8: input differences are rescaled by MultiplyByQuantizedMultiplier
  // (multiplier, shift) into Q5.26; differences below diff_min (<= 0)
  // contribute nothing and output -128.
  int32_t input_multiplier;
  int32_t input_shift;
  int32_t diff_min;
  // float32
  float beta;
};

// Fills the int8 fields from beta and the input scale exactly as TFLite's
// SoftmaxPrepare (PreprocessSoftmaxScaling with 5 integer bits and
// CalculateInputRadius), extended to the multipliers TFLite aborts on
// (beta * input_scale * 2^26 <= 1, which includes beta = 0): the multiplier
// may then be below one (shift <= 0) and diff_min is clamped to the int32
// range. beta must be finite and >= 0.
void SoftmaxQuantParams(double beta, double input_scale, SoftmaxParams* p);

// The reference kernels (TFLite's reference_ops::Softmax, int8 and float).
// Input and output may be the same buffer.
void SoftmaxS8Reference(const SoftmaxParams& p, const int8_t* input, int8_t* output);
void SoftmaxS8S16Reference(const SoftmaxParams& p, const int8_t* input, int16_t* output);
void SoftmaxF32Reference(const SoftmaxParams& p, const float* input, float* output);

void EvalSoftmaxS8Reference(const Node& node, Tensor* tensors);
void EvalSoftmaxS8S16Reference(const Node& node, Tensor* tensors);
void EvalSoftmaxF32Reference(const Node& node, Tensor* tensors);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_SOFTMAX_SOFTMAX_H_
