// MEAN reference kernels: the spec. TFLite's reference_ops::QuantizedMeanOrSum
// (int8) and reference_ops::Mean (float) from
// tensorflow/lite/kernels/internal/reference/reduce.h.
//
// TFLite walks the input once in row-major order and adds each element to
// its output's accumulator. Here each output (kept dimensions in row-major
// order) sums its own elements (reduced dimensions in row-major order):
// every accumulator receives the same elements in the same order, so even
// the float sums are identical, and no scratch is needed.
//
// int8, per output:
//   sum = sum of the raw inputs (int32, wrapping)
//   out = clamp(MultiplyByQuantizedMultiplier(sum - n * input_zero_point,
//                                             multiplier, shift)
//               + output_zero_point, -128, 127)
// float, per output: sum (float, in order) / float(n).
#include <limits>

#include "ops/mean/mean.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {

namespace {

// A multi-index over `num` dimensions, stepped in row-major order, with the
// input offset sum(index[i] * stride[i]).
struct Walker {
  int32_t index[kMaxRank];
  int64_t offset;
};

inline void Reset(int32_t num, Walker* w) {
  for (int32_t i = 0; i < num; ++i) w->index[i] = 0;
  w->offset = 0;
}

// Advances to the next index; false after the last one.
inline bool Next(const int32_t* size, const int32_t* stride, int32_t num, Walker* w) {
  for (int32_t i = num - 1; i >= 0; --i) {
    if (++w->index[i] < size[i]) {
      w->offset += stride[i];
      return true;
    }
    w->offset -= static_cast<int64_t>(stride[i]) * (size[i] - 1);
    w->index[i] = 0;
  }
  return false;
}

inline bool AnyZero(const int32_t* size, int32_t num) {
  for (int32_t i = 0; i < num; ++i) {
    if (size[i] == 0) return true;
  }
  return false;
}

}  // namespace

void MeanQuantParams(double input_scale, double output_scale, int32_t n, int32_t* multiplier,
                     int32_t* shift) {
  int32_t m = 0;
  int s = 0;
  quant::QuantizeMultiplier(input_scale / output_scale, &m, &s);
  // floor(log2 n), limited so that m << k stays below 2^63 and s - k >= -31.
  int k = 0;
  while (k < 62 && (INT64_C(2) << k) <= n) ++k;
  if (k > 32) k = 32;
  if (k > 31 + s) k = 31 + s;
  *multiplier = static_cast<int32_t>((static_cast<int64_t>(m) << k) / n);
  *shift = s - k;
}

void MeanS8Reference(const MeanParams& p, const int8_t* input, int8_t* output) {
  if (AnyZero(p.kept_size, p.num_kept)) return;  // no outputs
  const int64_t zero_point_sum = static_cast<int64_t>(p.input_zero_point) * p.reduced_count;
  Walker out_w;
  Reset(p.num_kept, &out_w);
  int64_t out_index = 0;
  do {
    int32_t result = 0;  // TFLite's "NaN" for int8 when n == 0
    if (p.reduced_count > 0) {
      const int8_t* base = input + out_w.offset;
      uint32_t sum = 0;  // int32 with wrap-around
      Walker red_w;
      Reset(p.num_reduced, &red_w);
      do {
        sum += static_cast<uint32_t>(static_cast<int32_t>(base[red_w.offset]));
      } while (Next(p.reduced_size, p.reduced_stride, p.num_reduced, &red_w));
      // static_cast<int32_t>(sum - zero_point * n), computed in int64 by
      // TFLite and truncated to int32.
      const int32_t shifted_sum = static_cast<int32_t>(
          static_cast<uint32_t>(static_cast<int64_t>(static_cast<int32_t>(sum)) - zero_point_sum));
      result = quant::MultiplyByQuantizedMultiplier(shifted_sum, p.multiplier, p.shift);
      result = quant::Clamp(result + p.output_zero_point, std::numeric_limits<int8_t>::min(),
                            std::numeric_limits<int8_t>::max());
    }
    output[out_index++] = static_cast<int8_t>(result);
  } while (Next(p.kept_size, p.kept_stride, p.num_kept, &out_w));
}

void MeanF32Reference(const MeanParams& p, const float* input, float* output) {
  if (AnyZero(p.kept_size, p.num_kept)) return;  // no outputs
  Walker out_w;
  Reset(p.num_kept, &out_w);
  int64_t out_index = 0;
  do {
    float result = std::numeric_limits<float>::quiet_NaN();
    if (p.reduced_count > 0) {
      const float* base = input + out_w.offset;
      float sum = 0.0f;
      Walker red_w;
      Reset(p.num_reduced, &red_w);
      do {
        sum += base[red_w.offset];
      } while (Next(p.reduced_size, p.reduced_stride, p.num_reduced, &red_w));
      result = sum / static_cast<float>(p.reduced_count);
    }
    output[out_index++] = result;
  } while (Next(p.kept_size, p.kept_stride, p.num_kept, &out_w));
}

void EvalMeanS8Reference(const Node& node, Tensor* tensors) {
  const MeanParams& p = *static_cast<const MeanParams*>(node.params);
  MeanS8Reference(p, node.input(tensors, 0).as<int8_t>(), node.output(tensors, 0).as<int8_t>());
}

void EvalMeanF32Reference(const Node& node, Tensor* tensors) {
  const MeanParams& p = *static_cast<const MeanParams*>(node.params);
  MeanF32Reference(p, node.input(tensors, 0).as<float>(), node.output(tensors, 0).as<float>());
}

}  // namespace ops
}  // namespace mote
