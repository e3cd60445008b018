// Reference kernels of CONCATENATION.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "ops/concatenation/concatenation.h"
#include "quant/fixed_point.h"
#include "quant/libm.h"

namespace mote {
namespace ops {

int8_t RequantizeConcatS8(int8_t x, const ConcatInput& in, int32_t output_zero_point) {
  const int32_t rounded =
      quant::CastToInt32(std::round(static_cast<float>(x) * in.scale + in.bias));
  const int32_t value = static_cast<int32_t>(static_cast<uint32_t>(rounded) +
                                             static_cast<uint32_t>(output_zero_point));
  return static_cast<int8_t>(quant::Clamp(value, -128, 127));
}

void EvalConcatCopy(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ConcatParams*>(node.params);
  uint8_t* out = node.output(tensors, 0).data;
  for (int32_t k = 0; k < p.outer; ++k) {
    for (int32_t i = 0; i < p.num_inputs; ++i) {
      const size_t bytes = static_cast<size_t>(p.inputs[i].slice) * p.element_size;
      if (bytes == 0) continue;
      memcpy(out, node.input(tensors, i).data + k * bytes, bytes);
      out += bytes;
    }
  }
}

void EvalConcatS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ConcatParams*>(node.params);
  int8_t* out = node.output(tensors, 0).as<int8_t>();
  for (int32_t k = 0; k < p.outer; ++k) {
    for (int32_t i = 0; i < p.num_inputs; ++i) {
      const ConcatInput& in = p.inputs[i];
      const int8_t* src = node.input(tensors, i).as<int8_t>() + k * in.slice;
      if (in.requantize) {
        for (int32_t j = 0; j < in.slice; ++j) {
          out[j] = RequantizeConcatS8(src[j], in, p.output_zero_point);
        }
      } else if (in.slice > 0) {
        memcpy(out, src, static_cast<size_t>(in.slice));
      }
      out += in.slice;
    }
  }
}

}  // namespace ops
}  // namespace mote
