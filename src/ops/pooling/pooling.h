// AVERAGE_POOL_2D and MAX_POOL_2D: params precomputed by prepare and the
// reference kernels.
//
// Layout (TFLite's): input [N, H, W, C], output [N, OH, OW, C]. The window of
// output (oy, ox) starts at (oy * stride_h - pad_h, ox * stride_w - pad_w)
// and spans filter_h x filter_w; taps outside the input are skipped (they
// neither count towards the average nor take part in the maximum).
//
// int8: TFLite requires the output quantization to equal the input's (the
// kernels work on the raw values); the average rounds half away from zero.
#ifndef MOTE_OPS_POOLING_POOLING_H_
#define MOTE_OPS_POOLING_POOLING_H_

#include <cstdint>

#include "mote/tensor.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct PoolParams {
  int32_t batches;
  int32_t in_h;
  int32_t in_w;
  int32_t channels;
  int32_t out_h;
  int32_t out_w;
  int32_t filter_h;
  int32_t filter_w;
  int32_t stride_h;
  int32_t stride_w;
  int32_t pad_h;  // leading padding (TFLite's padding_values)
  int32_t pad_w;
  int32_t act_min;  // int8: fused activation range, in output units
  int32_t act_max;
  float float_act_min;  // float32
  float float_act_max;
};

// The reference kernels: TFLite's reference_integer_ops::AveragePool /
// MaxPool (int8) and reference_ops::AveragePool / MaxPool (float).
void AveragePoolS8Reference(const PoolParams& p, const int8_t* input, int8_t* output);
void AveragePoolF32Reference(const PoolParams& p, const float* input, float* output);
void MaxPoolS8Reference(const PoolParams& p, const int8_t* input, int8_t* output);
void MaxPoolF32Reference(const PoolParams& p, const float* input, float* output);

void EvalAveragePoolS8Reference(const Node& node, Tensor* tensors);
void EvalAveragePoolF32Reference(const Node& node, Tensor* tensors);
void EvalMaxPoolS8Reference(const Node& node, Tensor* tensors);
void EvalMaxPoolF32Reference(const Node& node, Tensor* tensors);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_POOLING_POOLING_H_
