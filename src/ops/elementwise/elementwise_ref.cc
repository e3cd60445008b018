// Reference kernels of ADD, SUB and MUL: plain loops over the broadcast
// iteration space, one output element at a time in row-major order.
#include <cstdint>

#include "ops/elementwise/elementwise.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {
namespace {

// out[i] = f(in1[j1(i)], in2[j2(i)]) for every output index i in row-major
// order. When an input has the output's element count its index equals i,
// so the output may alias input 0 (in-place).
template <typename T, typename F>
void ForEachElement(const BroadcastShape& s, const T* in1, const T* in2, T* out, F f) {
  if (!s.broadcast) {
    for (int32_t i = 0; i < s.size; ++i) out[i] = f(in1[i], in2[i]);
    return;
  }
  const int32_t* d = s.out_dims;
  const int32_t* s1 = s.in1_strides;
  const int32_t* s2 = s.in2_strides;
  int32_t o = 0;
  for (int32_t i0 = 0; i0 < d[0]; ++i0) {
    for (int32_t i1 = 0; i1 < d[1]; ++i1) {
      for (int32_t i2 = 0; i2 < d[2]; ++i2) {
        for (int32_t i3 = 0; i3 < d[3]; ++i3) {
          for (int32_t i4 = 0; i4 < d[4]; ++i4) {
            for (int32_t i5 = 0; i5 < d[5]; ++i5) {
              const int32_t j1 = i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] +
                                 i4 * s1[4] + i5 * s1[5];
              const int32_t j2 = i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] +
                                 i4 * s2[4] + i5 * s2[5];
              out[o++] = f(in1[j1], in2[j2]);
            }
          }
        }
      }
    }
  }
}

template <typename T, typename F>
void Run(const Node& node, Tensor* tensors, F f) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  ForEachElement(p.shape, node.input(tensors, 0).as<T>(), node.input(tensors, 1).as<T>(),
                 node.output(tensors, 0).as<T>(), f);
}

// TFLite's ActivationFunctionWithMinMax: std::min(std::max(x, lo), hi). A NaN
// passes through unchanged.
float ClampF(float x, float lo, float hi) {
  const float t = x < lo ? lo : x;
  return hi < t ? hi : t;
}

// int32 arithmetic wraps around like TFLite's (two's complement) int32
// kernels, without undefined behaviour.
int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t WrapSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
int32_t WrapMul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

// The part of ADD and SUB before the sign: both inputs rescaled to the
// common scale 2 * max(s1, s2) / 2^left_shift. (a - zp) fits 9 bits, so the
// shift by 20 cannot overflow.
void ScaleInputsS8(int8_t a, int8_t b, const ArithmeticParams& p, int32_t* sa, int32_t* sb) {
  const int32_t shifted_a = (p.input1_offset + a) * (1 << p.left_shift);
  const int32_t shifted_b = (p.input2_offset + b) * (1 << p.left_shift);
  *sa = quant::MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted_a, p.input1_multiplier,
                                                              p.input1_shift);
  *sb = quant::MultiplyByQuantizedMultiplierSmallerThanOneExp(shifted_b, p.input2_multiplier,
                                                              p.input2_shift);
}

int8_t FinishS8(int32_t raw, const ArithmeticParams& p) {
  const int32_t out = quant::MultiplyByQuantizedMultiplierSmallerThanOneExp(
                          raw, p.output_multiplier, p.output_shift) +
                      p.output_offset;
  return static_cast<int8_t>(quant::Clamp(out, p.act_min, p.act_max));
}

}  // namespace

int8_t AddS8(int8_t a, int8_t b, const ArithmeticParams& p) {
  int32_t sa, sb;
  ScaleInputsS8(a, b, p, &sa, &sb);
  return FinishS8(sa + sb, p);
}

int8_t SubS8(int8_t a, int8_t b, const ArithmeticParams& p) {
  int32_t sa, sb;
  ScaleInputsS8(a, b, p, &sa, &sb);
  return FinishS8(sa - sb, p);
}

int8_t MulS8(int8_t a, int8_t b, const ArithmeticParams& p) {
  // (a - zp1) * (b - zp2) is at most 255 * 255: no overflow.
  const int32_t product = (p.input1_offset + a) * (p.input2_offset + b);
  const int32_t out =
      quant::MultiplyByQuantizedMultiplier(product, p.output_multiplier, p.output_shift) +
      p.output_offset;
  return static_cast<int8_t>(quant::Clamp(out, p.act_min, p.act_max));
}

void EvalAddS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<int8_t>(node, tensors, [&p](int8_t a, int8_t b) { return AddS8(a, b, p); });
}

void EvalSubS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<int8_t>(node, tensors, [&p](int8_t a, int8_t b) { return SubS8(a, b, p); });
}

void EvalMulS8(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<int8_t>(node, tensors, [&p](int8_t a, int8_t b) { return MulS8(a, b, p); });
}

void EvalAddF32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<float>(node, tensors,
             [&p](float a, float b) { return ClampF(a + b, p.float_act_min, p.float_act_max); });
}

void EvalSubF32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<float>(node, tensors,
             [&p](float a, float b) { return ClampF(a - b, p.float_act_min, p.float_act_max); });
}

void EvalMulF32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<float>(node, tensors,
             [&p](float a, float b) { return ClampF(a * b, p.float_act_min, p.float_act_max); });
}

void EvalAddS32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<int32_t>(node, tensors, [&p](int32_t a, int32_t b) {
    return quant::Clamp(WrapAdd(a, b), p.act_min, p.act_max);
  });
}

void EvalSubS32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<int32_t>(node, tensors, [&p](int32_t a, int32_t b) {
    return quant::Clamp(WrapSub(a, b), p.act_min, p.act_max);
  });
}

void EvalMulS32(const Node& node, Tensor* tensors) {
  const auto& p = *static_cast<const ArithmeticParams*>(node.params);
  Run<int32_t>(node, tensors, [&p](int32_t a, int32_t b) {
    return quant::Clamp(WrapMul(a, b), p.act_min, p.act_max);
  });
}

}  // namespace ops
}  // namespace mote
