// Reference kernels of PAD / PADV2: every output element, in row-major
// order, is either the next input element or the pad value.
#include <cstdint>
#include <cstring>

#include "ops/pad/pad.h"

namespace mote {
namespace ops {
namespace {

template <typename T>
void PadLoop(const PadParams& p, const T* in, T value, T* out) {
  const int32_t* o = p.out_dims;
  const int32_t* n = p.in_dims;
  const int32_t* b = p.before;
  auto inside = [&](int d, int32_t i) { return i >= b[d] && i < b[d] + n[d]; };
  for (int32_t i0 = 0; i0 < o[0]; ++i0) {
    for (int32_t i1 = 0; i1 < o[1]; ++i1) {
      for (int32_t i2 = 0; i2 < o[2]; ++i2) {
        for (int32_t i3 = 0; i3 < o[3]; ++i3) {
          for (int32_t i4 = 0; i4 < o[4]; ++i4) {
            const bool copy = inside(0, i0) && inside(1, i1) && inside(2, i2) && inside(3, i3) &&
                              inside(4, i4);
            *out++ = copy ? *in++ : value;
          }
        }
      }
    }
  }
}

}  // namespace

void PadS8(const PadParams& p, const int8_t* in, int8_t value, int8_t* out) {
  PadLoop(p, in, value, out);
}

void Pad32(const PadParams& p, const uint32_t* in, uint32_t value, uint32_t* out) {
  PadLoop(p, in, value, out);
}

void EvalPadS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const PadParams*>(node.params);
  int8_t value = static_cast<int8_t>(p.value_bits & 0xff);
  if (p.value_from_input) value = node.input(tensors, 2).as<int8_t>()[0];
  PadS8(p, node.input(tensors, 0).as<int8_t>(), value, node.output(tensors, 0).as<int8_t>());
}

void EvalPad32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const PadParams*>(node.params);
  uint32_t value = p.value_bits;
  if (p.value_from_input) memcpy(&value, node.input(tensors, 2).data, sizeof(value));
  Pad32(p, node.input(tensors, 0).as<uint32_t>(), value, node.output(tensors, 0).as<uint32_t>());
}

}  // namespace ops
}  // namespace mote
