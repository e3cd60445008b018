// PAD and PADV2: constant padding of up to 5-D tensors (TFLite's
// reference_ops::Pad), float32, int32 and int8.
//
// The pad value is PADV2's input 2 when present (its raw value; for int8 it
// must be quantized like the output, as TFLite requires), else 0, or for a
// quantized int8 input the output's zero point (the quantized 0.0).
#ifndef MOTE_OPS_PAD_PAD_H_
#define MOTE_OPS_PAD_PAD_H_

#include <cstdint>

#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

constexpr int kPadMaxRank = 5;

struct PadParams {
  // Shapes aligned to the right and padded with leading 1s to 5 dims.
  int32_t in_dims[kPadMaxRank];
  int32_t out_dims[kPadMaxRank];
  int32_t before[kPadMaxRank];  // padding before each dim (after = out - in - before)
  bool value_from_input;        // pad value read from input 2 at each invoke
  uint32_t value_bits;          // otherwise: the pad value's bytes (low bytes for int8)
};

// out must hold the output's elements. `value` is the pad element.
void PadS8(const PadParams& p, const int8_t* in, int8_t value, int8_t* out);
void Pad32(const PadParams& p, const uint32_t* in, uint32_t value, uint32_t* out);

void EvalPadS8(const Node& node, Tensor* tensors);
void EvalPad32(const Node& node, Tensor* tensors);  // float32 and int32 (bit copies)

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_PAD_PAD_H_
