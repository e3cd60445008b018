// ADD, SUB, MUL: element-wise binary arithmetic with numpy-style
// broadcasting (up to 6-D, as TFLite's BroadcastAdd6DSlow /
// BroadcastMul6DSlow / BroadcastQuantSubSlow), for int8 (TFLite's reference
// integer paths), float32 and int32, with a fused activation.
//
// int8 ADD / SUB (TFLite add.cc / sub.cc, reference_integer_ops::AddFunc,
// reference_ops::BroadcastQuantSubSlow): both inputs are brought to a common
// scale 2 * max(s1, s2) with 20 extra bits of headroom,
//   a' = MulSmallerThanOne((a - zp1) << 20, m1, sh1)   m1 ~ s1 / (2 max)
//   b' = MulSmallerThanOne((b - zp2) << 20, m2, sh2)   m2 ~ s2 / (2 max)
//   out = MulSmallerThanOne(a' +- b', mo, sho) + zpo    mo ~ 2 max / (2^20 so)
// then clamped to the activation range.
// int8 MUL (reference_integer_ops::MulElementwise):
//   out = MultiplyByQuantizedMultiplier((a - zp1) * (b - zp2), m, sh) + zpo
// with m ~ s1 * s2 / so computed in float, as TFLite does.
#ifndef MOTE_OPS_ELEMENTWISE_ELEMENTWISE_H_
#define MOTE_OPS_ELEMENTWISE_ELEMENTWISE_H_

#include <cstdint>

#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

constexpr int kBroadcastRank = 6;

// The iteration space of a (possibly broadcasting) binary op: the output
// extents and each input's element strides over 6 dims, shapes aligned to
// the right and padded with leading 1s; a stride is 0 along every
// dimension where the input has extent 1 (broadcast or not).
struct BroadcastShape {
  int32_t out_dims[kBroadcastRank];
  int32_t in1_strides[kBroadcastRank];
  int32_t in2_strides[kBroadcastRank];
  int32_t size;    // output elements
  bool broadcast;  // false: both inputs hold `size` elements in output order
};

// Fills `shape` and the broadcast output dims (`out_dims`, `*out_rank`) for
// inputs of the given shapes; false when they are not broadcast-compatible
// or have more than 6 dims.
bool MakeBroadcastShape(const int32_t* dims1, int rank1, const int32_t* dims2, int rank2,
                        BroadcastShape* shape, int32_t* out_dims, int* out_rank);

struct ArithmeticParams {
  BroadcastShape shape;
  // int8 ADD / SUB / MUL (TFLite's ArithmeticParams).
  int32_t input1_offset;  // -zero point of input 1
  int32_t input2_offset;  // -zero point of input 2
  int32_t output_offset;  // zero point of the output
  int32_t left_shift;     // ADD / SUB: 20
  int32_t input1_multiplier;
  int32_t input1_shift;
  int32_t input2_multiplier;
  int32_t input2_shift;
  int32_t output_multiplier;
  int32_t output_shift;
  // Activation range: int8 (quantized) or int32 values.
  int32_t act_min;
  int32_t act_max;
  // Activation range for float32 (TFLite's CalculateActivationRange<float>).
  float float_act_min;
  float float_act_max;
};

// One output element (the spec of each kernel below).
int8_t AddS8(int8_t a, int8_t b, const ArithmeticParams& p);
int8_t SubS8(int8_t a, int8_t b, const ArithmeticParams& p);
int8_t MulS8(int8_t a, int8_t b, const ArithmeticParams& p);

// Reference kernels (node.params is an ArithmeticParams).
void EvalAddS8(const Node& node, Tensor* tensors);
void EvalSubS8(const Node& node, Tensor* tensors);
void EvalMulS8(const Node& node, Tensor* tensors);
void EvalAddF32(const Node& node, Tensor* tensors);
void EvalSubF32(const Node& node, Tensor* tensors);
void EvalMulF32(const Node& node, Tensor* tensors);
void EvalAddS32(const Node& node, Tensor* tensors);
void EvalSubS32(const Node& node, Tensor* tensors);
void EvalMulS32(const Node& node, Tensor* tensors);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_ELEMENTWISE_ELEMENTWISE_H_
