// MEAN: params precomputed by prepare and the reference kernels.
//
// The input's dimensions split into kept ones (they index the output, in
// order) and reduced ones (the axes, deduplicated, negative values counted
// from the end). Each output value is the mean over its reduced elements.
//
// int8 follows the kernel TensorFlow Lite's BUILTIN_REF resolver runs for
// every int8 MEAN (reference_ops::QuantizedMeanOrSum; checked against
// ai-edge-litert for 4-D H,W means with keep_dims, other axes, equal and
// different input/output scales and zero points): no special paths.
#ifndef MOTE_OPS_MEAN_MEAN_H_
#define MOTE_OPS_MEAN_MEAN_H_

#include <cstdint>

#include "mote/tensor.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct MeanParams {
  // Kept dimensions, in input order: sizes and input strides (elements).
  int32_t num_kept;
  int32_t kept_size[kMaxRank];
  int32_t kept_stride[kMaxRank];
  // Reduced dimensions, in input order.
  int32_t num_reduced;
  int32_t reduced_size[kMaxRank];
  int32_t reduced_stride[kMaxRank];
  int32_t reduced_count;  // n: elements averaged per output (0 if a reduced dim is 0)
  // int8: out = MultiplyByQuantizedMultiplier(sum - n * input_zero_point,
  //             multiplier, shift) + output_zero_point, where multiplier and
  //             shift already include the 1/n (see MeanQuantParams).
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;
  int32_t shift;
};

// TFLite's MEAN requantization: QuantizeMultiplier(input_scale /
// output_scale) = (m, s), then with k = min(floor(log2 n), 32, 31 + s):
// multiplier = (m << k) / n (truncating), shift = s - k. n must be > 0.
void MeanQuantParams(double input_scale, double output_scale, int32_t n, int32_t* multiplier,
                     int32_t* shift);

// The reference kernels: TFLite's reference_ops::QuantizedMeanOrSum (int8)
// and reference_ops::Mean (float; sums in input order, then divides by n).
// With n == 0 the outputs are TFLite's "NaN" of the type: 0 for int8, NaN
// for float.
void MeanS8Reference(const MeanParams& p, const int8_t* input, int8_t* output);
void MeanF32Reference(const MeanParams& p, const float* input, float* output);

void EvalMeanS8Reference(const Node& node, Tensor* tensors);
void EvalMeanF32Reference(const Node& node, Tensor* tensors);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_MEAN_MEAN_H_
