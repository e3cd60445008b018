// SOFTMAX reference kernels: the spec. Loop for loop TFLite's
// reference_ops::Softmax (tensorflow/lite/kernels/internal/reference/
// softmax.h), int8 -> int8, int8 -> int16 and float.
//
// int8, per row (Q-formats as in quant/gemmlowp.h):
//   max  = the largest input of the row
//   for each c with diff = x[c] - max >= diff_min:
//     s[c] = MultiplyByQuantizedMultiplier(diff, input_multiplier, input_shift)   Q5.26
//     e[c] = ExpOnNegativeValues<5>(s[c])                                         Q0.31
//   sum  = sum of RoundingDivideByPOT(e[c], 12)                                   Q12.19
//   r, n = GetReciprocal(sum, 12)            1/sum = r * 2^-n, r in Q0.31
//   out[c] = RoundingDivideByPOT(SRDHM(r, e[c]), n + 23) - 128, clamped;
//            -128 where diff < diff_min.
// The shift n + 23 turns e/sum (a Q0.31 fraction) into units of 1/256. For
// an int16 output: shift n + 15, units of 1/65536, offset -32768 (TFLite
// aborts there once the sum reaches 65536).
//
// Where TFLite's reference aborts (TFLITE_CHECK(exponent <= 31): a row whose
// sum of exponentials reaches 512, e.g. 512 or more inputs equal to the
// maximum), mote continues the same arithmetic: a rounding division of a
// value below 2^31 by 2^32 or more is 0, so every output of that row is -128
// (each probability is below 1/512, i.e. below half an output step). The sum
// saturates instead of wrapping past 2^31 (4096 or more maxima, undefined
// behaviour in TFLite), which gives the same all -128 row.
#include <cmath>
#include <limits>

#include "ops/softmax/softmax.h"
#include "quant/fixed_point.h"
#include "quant/gemmlowp.h"

namespace mote {
namespace ops {

namespace {
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;
}  // namespace

void SoftmaxQuantParams(double beta, double input_scale, SoftmaxParams* p) {
  // TFLite's PreprocessSoftmaxScaling: the real multiplier turns an input
  // difference into Q5.26, capped at 2^31 - 1 (beyond that only the maxima
  // survive anyway).
  const double max_real_multiplier = static_cast<double>((INT64_C(1) << 31) - 1);
  double real = beta * input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits));
  if (real > max_real_multiplier) real = max_real_multiplier;
  int shift = 0;
  quant::QuantizeMultiplier(real, &p->input_multiplier, &shift);
  p->input_shift = shift;
  // TFLite's CalculateInputRadius(5, shift): the largest |difference| whose
  // rescaled value still fits Q5.26, floor((2^5 - 1) * 2^26 / 2^shift).
  const double radius = std::floor(std::ldexp(
      static_cast<double>((1 << kScaledDiffIntegerBits) - 1) *
          static_cast<double>(INT64_C(1) << (31 - kScaledDiffIntegerBits)),
      -shift));
  const double int_max = static_cast<double>(std::numeric_limits<int32_t>::max());
  p->diff_min = -static_cast<int32_t>(radius < int_max ? radius : int_max);
}

namespace {

// TFLite's reference_ops::Softmax<int8_t, OutputT>: the output is in units
// of 2^-bits(OutputT), offset by OutputT's minimum.
template <typename OutputT>
void SoftmaxS8Impl(const SoftmaxParams& p, const int8_t* input, OutputT* output) {
  constexpr int32_t kOutMin = std::numeric_limits<OutputT>::min();
  constexpr int32_t kOutMax = std::numeric_limits<OutputT>::max();
  constexpr int kOutBits = static_cast<int>(sizeof(OutputT) * 8);
  const int32_t depth = p.depth;
  if (depth <= 0) return;
  for (int32_t row = 0; row < p.rows; ++row) {
    const int8_t* in = input + static_cast<int64_t>(row) * depth;
    OutputT* out = output + static_cast<int64_t>(row) * depth;

    int32_t max_in_row = std::numeric_limits<int8_t>::min();
    for (int32_t c = 0; c < depth; ++c) {
      if (in[c] > max_in_row) max_in_row = in[c];
    }

    int32_t sum_of_exps = 0;  // Q12.19
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t input_diff = static_cast<int32_t>(in[c]) - max_in_row;
      if (input_diff >= p.diff_min) {
        const int32_t scaled_diff =
            quant::MultiplyByQuantizedMultiplier(input_diff, p.input_multiplier, p.input_shift);
        const int32_t exp_q0 = quant::ExpOnNegativeValues<kScaledDiffIntegerBits>(scaled_diff);
        sum_of_exps = quant::SaturatingAdd(
            sum_of_exps, quant::RoundingDivideByPOT(exp_q0, kAccumulationIntegerBits));
      }
    }

    // The maximum itself contributes exp(0) = 2^19, so sum_of_exps >= 2^19,
    // num_bits_over_unit >= 0 and exponent >= 31 - kOutBits.
    int num_bits_over_unit = 0;
    const int32_t shifted_scale =
        quant::GetReciprocal(sum_of_exps, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - kOutBits;

    for (int32_t c = 0; c < depth; ++c) {
      const int32_t input_diff = static_cast<int32_t>(in[c]) - max_in_row;
      int32_t result = kOutMin;
      if (input_diff >= p.diff_min) {
        const int32_t scaled_diff =
            quant::MultiplyByQuantizedMultiplier(input_diff, p.input_multiplier, p.input_shift);
        const int32_t exp_q0 = quant::ExpOnNegativeValues<kScaledDiffIntegerBits>(scaled_diff);
        const int32_t product = quant::SaturatingRoundingDoublingHighMul(shifted_scale, exp_q0);
        // product >= 0; dividing it by 2^32 or more rounds to 0 (see top).
        const int32_t unsat_output =
            exponent <= 31 ? quant::RoundingDivideByPOT(product, exponent < 0 ? 0 : exponent) : 0;
        result = quant::Clamp(unsat_output + kOutMin, kOutMin, kOutMax);
      }
      out[c] = static_cast<OutputT>(result);
    }
  }
}

}  // namespace

void SoftmaxS8Reference(const SoftmaxParams& p, const int8_t* input, int8_t* output) {
  SoftmaxS8Impl<int8_t>(p, input, output);
}

void SoftmaxS8S16Reference(const SoftmaxParams& p, const int8_t* input, int16_t* output) {
  SoftmaxS8Impl<int16_t>(p, input, output);
}

void SoftmaxF32Reference(const SoftmaxParams& p, const float* input, float* output) {
  const int32_t depth = p.depth;
  if (depth <= 0) return;
  for (int32_t row = 0; row < p.rows; ++row) {
    const float* in = input + static_cast<int64_t>(row) * depth;
    float* out = output + static_cast<int64_t>(row) * depth;

    float max = std::numeric_limits<float>::lowest();
    for (int32_t c = 0; c < depth; ++c) {
      max = max < in[c] ? in[c] : max;  // std::max(max, in[c])
    }

    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      const float exp_c = std::exp((in[c] - max) * p.beta);
      out[c] = exp_c;
      sum += exp_c;
    }

    for (int32_t c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}

void EvalSoftmaxS8Reference(const Node& node, Tensor* tensors) {
  const SoftmaxParams& p = *static_cast<const SoftmaxParams*>(node.params);
  SoftmaxS8Reference(p, node.input(tensors, 0).as<int8_t>(), node.output(tensors, 0).as<int8_t>());
}

void EvalSoftmaxS8S16Reference(const Node& node, Tensor* tensors) {
  const SoftmaxParams& p = *static_cast<const SoftmaxParams*>(node.params);
  SoftmaxS8S16Reference(p, node.input(tensors, 0).as<int8_t>(), node.output(tensors, 0).as<int16_t>());
}

void EvalSoftmaxF32Reference(const Node& node, Tensor* tensors) {
  const SoftmaxParams& p = *static_cast<const SoftmaxParams*>(node.params);
  SoftmaxF32Reference(p, node.input(tensors, 0).as<float>(), node.output(tensors, 0).as<float>());
}

}  // namespace ops
}  // namespace mote
