// AVERAGE_POOL_2D / MAX_POOL_2D reference kernels: the spec. Loop for loop
// TFLite's reference_integer_ops::AveragePool / MaxPool (int8) and
// reference_ops::AveragePool / MaxPool (float).
//
// For output (b, oy, ox, c) the window is clipped to the input:
//   y0 = oy * stride_h - pad_h, rows max(0, -y0) <= fy < min(filter_h, in_h - y0)
//   (and the same for x); count = number of taps in the clipped window.
// int8 average: sum the raw values (int64), then
//   avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count
// with C++'s truncating division, i.e. the quotient rounded half away from
// zero; clamp to the activation range.
// int8 max: the largest raw value (starting from -128), clamped.
// float: total / float(count), resp. the maximum (starting from the lowest
// float), then min(max(v, act_min), act_max).
// Prepare guarantees every window holds at least one tap (count > 0).
#include <limits>

#include "ops/pooling/pooling.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {

namespace {

// The clipped window of one output position along one axis.
struct Span {
  int32_t start;  // first filter tap inside the input
  int32_t end;    // one past the last
  int32_t origin; // input coordinate of filter tap 0
};

inline Span Clip(int32_t out, int32_t stride, int32_t pad, int32_t filter, int32_t in) {
  Span s;
  s.origin = out * stride - pad;
  s.start = -s.origin > 0 ? -s.origin : 0;
  s.end = in - s.origin < filter ? in - s.origin : filter;
  return s;
}

inline float ClampF(float v, float lo, float hi) {
  v = v < lo ? lo : v;   // std::max(v, lo)
  return hi < v ? hi : v;  // std::min(v, hi)
}

inline int64_t InputIndex(const PoolParams& p, int32_t b, int32_t y, int32_t x, int32_t c) {
  return ((static_cast<int64_t>(b) * p.in_h + y) * p.in_w + x) * p.channels + c;
}

inline int64_t OutputIndex(const PoolParams& p, int32_t b, int32_t y, int32_t x, int32_t c) {
  return ((static_cast<int64_t>(b) * p.out_h + y) * p.out_w + x) * p.channels + c;
}

}  // namespace

void AveragePoolS8Reference(const PoolParams& p, const int8_t* input, int8_t* output) {
  for (int32_t b = 0; b < p.batches; ++b) {
    for (int32_t oy = 0; oy < p.out_h; ++oy) {
      const Span sy = Clip(oy, p.stride_h, p.pad_h, p.filter_h, p.in_h);
      for (int32_t ox = 0; ox < p.out_w; ++ox) {
        const Span sx = Clip(ox, p.stride_w, p.pad_w, p.filter_w, p.in_w);
        for (int32_t c = 0; c < p.channels; ++c) {
          int64_t acc = 0;
          int32_t count = 0;
          for (int32_t fy = sy.start; fy < sy.end; ++fy) {
            for (int32_t fx = sx.start; fx < sx.end; ++fx) {
              acc += input[InputIndex(p, b, sy.origin + fy, sx.origin + fx, c)];
              ++count;
            }
          }
          if (count == 0) count = 1;  // unreachable (prepare), keeps the division defined
          acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          const int32_t avg = quant::Clamp(static_cast<int32_t>(acc), p.act_min, p.act_max);
          output[OutputIndex(p, b, oy, ox, c)] = static_cast<int8_t>(avg);
        }
      }
    }
  }
}

void AveragePoolF32Reference(const PoolParams& p, const float* input, float* output) {
  for (int32_t b = 0; b < p.batches; ++b) {
    for (int32_t oy = 0; oy < p.out_h; ++oy) {
      const Span sy = Clip(oy, p.stride_h, p.pad_h, p.filter_h, p.in_h);
      for (int32_t ox = 0; ox < p.out_w; ++ox) {
        const Span sx = Clip(ox, p.stride_w, p.pad_w, p.filter_w, p.in_w);
        for (int32_t c = 0; c < p.channels; ++c) {
          float total = 0.0f;
          float count = 0.0f;
          for (int32_t fy = sy.start; fy < sy.end; ++fy) {
            for (int32_t fx = sx.start; fx < sx.end; ++fx) {
              total += input[InputIndex(p, b, sy.origin + fy, sx.origin + fx, c)];
              count += 1.0f;
            }
          }
          const float average = total / count;
          output[OutputIndex(p, b, oy, ox, c)] = ClampF(average, p.float_act_min, p.float_act_max);
        }
      }
    }
  }
}

void MaxPoolS8Reference(const PoolParams& p, const int8_t* input, int8_t* output) {
  for (int32_t b = 0; b < p.batches; ++b) {
    for (int32_t oy = 0; oy < p.out_h; ++oy) {
      const Span sy = Clip(oy, p.stride_h, p.pad_h, p.filter_h, p.in_h);
      for (int32_t ox = 0; ox < p.out_w; ++ox) {
        const Span sx = Clip(ox, p.stride_w, p.pad_w, p.filter_w, p.in_w);
        for (int32_t c = 0; c < p.channels; ++c) {
          int32_t max = std::numeric_limits<int8_t>::lowest();
          for (int32_t fy = sy.start; fy < sy.end; ++fy) {
            for (int32_t fx = sx.start; fx < sx.end; ++fx) {
              const int32_t v = input[InputIndex(p, b, sy.origin + fy, sx.origin + fx, c)];
              if (v > max) max = v;
            }
          }
          output[OutputIndex(p, b, oy, ox, c)] =
              static_cast<int8_t>(quant::Clamp(max, p.act_min, p.act_max));
        }
      }
    }
  }
}

void MaxPoolF32Reference(const PoolParams& p, const float* input, float* output) {
  for (int32_t b = 0; b < p.batches; ++b) {
    for (int32_t oy = 0; oy < p.out_h; ++oy) {
      const Span sy = Clip(oy, p.stride_h, p.pad_h, p.filter_h, p.in_h);
      for (int32_t ox = 0; ox < p.out_w; ++ox) {
        const Span sx = Clip(ox, p.stride_w, p.pad_w, p.filter_w, p.in_w);
        for (int32_t c = 0; c < p.channels; ++c) {
          float max = std::numeric_limits<float>::lowest();
          for (int32_t fy = sy.start; fy < sy.end; ++fy) {
            for (int32_t fx = sx.start; fx < sx.end; ++fx) {
              const float v = input[InputIndex(p, b, sy.origin + fy, sx.origin + fx, c)];
              max = max < v ? v : max;  // std::max(max, v)
            }
          }
          output[OutputIndex(p, b, oy, ox, c)] = ClampF(max, p.float_act_min, p.float_act_max);
        }
      }
    }
  }
}

void EvalAveragePoolS8Reference(const Node& node, Tensor* tensors) {
  const PoolParams& p = *static_cast<const PoolParams*>(node.params);
  AveragePoolS8Reference(p, node.input(tensors, 0).as<int8_t>(), node.output(tensors, 0).as<int8_t>());
}

void EvalAveragePoolF32Reference(const Node& node, Tensor* tensors) {
  const PoolParams& p = *static_cast<const PoolParams*>(node.params);
  AveragePoolF32Reference(p, node.input(tensors, 0).as<float>(), node.output(tensors, 0).as<float>());
}

void EvalMaxPoolS8Reference(const Node& node, Tensor* tensors) {
  const PoolParams& p = *static_cast<const PoolParams*>(node.params);
  MaxPoolS8Reference(p, node.input(tensors, 0).as<int8_t>(), node.output(tensors, 0).as<int8_t>());
}

void EvalMaxPoolF32Reference(const Node& node, Tensor* tensors) {
  const PoolParams& p = *static_cast<const PoolParams*>(node.params);
  MaxPoolF32Reference(p, node.input(tensors, 0).as<float>(), node.output(tensors, 0).as<float>());
}

}  // namespace ops
}  // namespace mote
