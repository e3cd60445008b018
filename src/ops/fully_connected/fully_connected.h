// FULLY_CONNECTED: params precomputed by prepare and the reference kernels.
//
// Layouts (TFLite's): weights [O, I]; the input, whatever its shape, is read
// as [batches, I] (its element count is a multiple of I); bias [O]
// (optional); output [batches, O], or with keep_num_dims the input's shape
// with the last dimension replaced by O.
//
// int8 requantization: TensorFlow Lite's reference kernel (what its
// BUILTIN_REF resolver runs; checked against ai-edge-litert) does NOT use a
// fixed-point multiplier for FULLY_CONNECTED: it rounds in double,
//   out = round(double(acc) * effective_scale)   (ties away from zero)
// with effective_scale = double(input_scale) * double(filter_scale) /
// double(output_scale), per tensor or per output channel. This differs from
// MultiplyByQuantizedMultiplier on exact ties (e.g. acc * scale = -2.5 gives
// -3 here, -2 there) and, very rarely, by one where the 31-bit multiplier's
// error crosses a rounding boundary.
#ifndef MOTE_OPS_FULLY_CONNECTED_FULLY_CONNECTED_H_
#define MOTE_OPS_FULLY_CONNECTED_FULLY_CONNECTED_H_

#include <cstdint>

#include "mote/tensor.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct FullyConnectedParams {
  int32_t batches;       // rows of the flattened input
  int32_t accum_depth;   // I
  int32_t output_depth;  // O
  // int8
  int32_t input_offset;   // -input zero point
  int32_t filter_offset;  // -weights zero point (per-tensor weights; 0 per channel)
  int32_t output_offset;  // output zero point
  int32_t act_min;        // fused activation range, in output units
  int32_t act_max;
  const double* effective_scale;  // [O] when per_channel, else [1]
  bool per_channel;
  // float32
  float float_act_min;
  float float_act_max;
};

// The reference kernels: TFLite's reference_integer_ops::FullyConnected /
// FullyConnectedPerChannel (the double-rounding overloads) and
// reference_ops::FullyConnected (float). `bias` may be null.
void FullyConnectedS8Reference(const FullyConnectedParams& p, const int8_t* input,
                               const int8_t* weights, const int32_t* bias, int8_t* output);
void FullyConnectedF32Reference(const FullyConnectedParams& p, const float* input,
                                const float* weights, const float* bias, float* output);

void EvalFullyConnectedS8Reference(const Node& node, Tensor* tensors);
void EvalFullyConnectedF32Reference(const Node& node, Tensor* tensors);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_FULLY_CONNECTED_FULLY_CONNECTED_H_
