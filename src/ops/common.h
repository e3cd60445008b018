// mote: helpers every op's prepare uses (validation, activation ranges,
// padding), written once so that every op fails the same way.
#ifndef MOTE_OPS_COMMON_H_
#define MOTE_OPS_COMMON_H_

#include <cstdint>

#include "mote/status.h"
#include "mote/tensor.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

// TFLite ActivationFunctionType values.
enum class Activation : int8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5 };
// TFLite Padding values.
enum class Padding : int8_t { kSame = 0, kValid = 1 };

// Input count in [min_inputs, max_inputs] and exactly `outputs` outputs;
// required inputs (index < min_inputs) must be present.
Status CheckIoCount(PrepareContext& ctx, int min_inputs, int max_inputs, int outputs);
// `what` is e.g. "input 0", "output 0".
Status CheckType(PrepareContext& ctx, const Tensor& t, DType expected, const char* what);
Status CheckRank(PrepareContext& ctx, const Tensor& t, int rank, const char* what);
Status CheckRankRange(PrepareContext& ctx, const Tensor& t, int min_rank, int max_rank,
                      const char* what);
// The tensor's shape must equal `dims[0..rank)`.
Status CheckShape(PrepareContext& ctx, const Tensor& t, const int32_t* dims, int rank,
                  const char* what);
Status CheckSameShape(PrepareContext& ctx, const Tensor& a, const Tensor& b, const char* what);
// Quantized per tensor (exactly one scale); also checks the zero point fits
// the dtype.
Status CheckPerTensorQuant(PrepareContext& ctx, const Tensor& t, const char* what);
Status CheckConstant(PrepareContext& ctx, const Tensor& t, const char* what);
bool SameShape(const Tensor& a, const Tensor& b);

// TFLite's CalculateActivationRangeQuantized for an int8 output; fails on
// TANH/SIGN_BIT (not valid fused activations for these ops).
Status ActivationRangeInt8(PrepareContext& ctx, int8_t activation, const Tensor& output,
                           int32_t* act_min, int32_t* act_max);
// TFLite's CalculateActivationRange<float>.
Status ActivationRangeFloat(PrepareContext& ctx, int8_t activation, float* act_min,
                            float* act_max);

// TFLite's ComputeOutSize: output extent of a window op along one axis;
// 0 when the parameters are invalid.
int32_t ComputeOutSize(Padding padding, int32_t in, int32_t filter, int32_t stride,
                       int32_t dilation);
// TFLite's ComputePaddingWithOffset: returns the leading pad; *offset gets
// the extra trailing pad (total % 2).
int32_t ComputePadding(int32_t stride, int32_t dilation, int32_t in, int32_t filter,
                       int32_t out, int32_t* offset);

// Common int8 range.
constexpr int32_t kInt8Min = -128;
constexpr int32_t kInt8Max = 127;

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_COMMON_H_
