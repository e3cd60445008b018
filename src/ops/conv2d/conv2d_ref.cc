// CONV_2D reference kernels: the spec. Loop for loop TFLite's
// reference_integer_ops::ConvPerChannel (int8) and reference_ops::Conv
// (float), including the accumulation order (which matters for float).
//
// int8, per output value:
//   acc = sum over in-bounds taps (ky, kx) and filter channels ic of
//         filter[oc, ky, kx, ic] * (input[b, y, x, g * Cf + ic] + input_offset)
//   acc += bias[oc]                     (when there is a bias)
//   acc = MultiplyByQuantizedMultiplier(acc, multiplier[oc], shift[oc])
//   out = clamp(acc + output_offset, act_min, act_max)
// Taps outside the input are skipped, which equals padding with the input
// zero point. The accumulator is int32 and wraps like TFLite's.
#include "ops/conv2d/conv2d.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {

void Conv2DS8Reference(const Conv2DParams& p, const Tensor& input, const Tensor& filter,
                       const Tensor* bias, Tensor& output) {
  const ConvWindow& w = p.window;
  const ConvQuant& q = p.quant;
  const int8_t* in = input.as<int8_t>();
  const int8_t* flt = filter.as<int8_t>();
  const int32_t* bias_data = bias != nullptr ? bias->as<int32_t>() : nullptr;
  int8_t* out = output.as<int8_t>();

  const int32_t batches = input.dims[0];
  const int32_t in_h = input.dims[1];
  const int32_t in_w = input.dims[2];
  const int32_t in_c = input.dims[3];
  const int32_t out_c = filter.dims[0];
  const int32_t filter_h = filter.dims[1];
  const int32_t filter_w = filter.dims[2];
  const int32_t filter_c = filter.dims[3];
  const int32_t groups = in_c / filter_c;
  const int32_t filters_per_group = out_c / groups;

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t in_y_origin = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t in_x_origin = ox * w.stride_w - w.pad_w;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t group = oc / filters_per_group;
          int32_t acc = 0;
          for (int32_t ky = 0; ky < filter_h; ++ky) {
            const int32_t y = in_y_origin + w.dilation_h * ky;
            for (int32_t kx = 0; kx < filter_w; ++kx) {
              const int32_t x = in_x_origin + w.dilation_w * kx;
              if (x < 0 || x >= in_w || y < 0 || y >= in_h) continue;
              const int8_t* in_px = in + ((b * in_h + y) * in_w + x) * in_c + group * filter_c;
              const int8_t* flt_px = flt + ((oc * filter_h + ky) * filter_w + kx) * filter_c;
              for (int32_t ic = 0; ic < filter_c; ++ic) {
                // |product| <= 128 * 255: no overflow before the (wrapping) sum.
                const int32_t product = static_cast<int32_t>(flt_px[ic]) *
                                        (static_cast<int32_t>(in_px[ic]) + q.input_offset);
                acc = WrappingAdd(acc, product);
              }
            }
          }
          if (bias_data != nullptr) acc = WrappingAdd(acc, bias_data[oc]);
          acc = quant::MultiplyByQuantizedMultiplier(acc, q.multiplier[oc], q.shift[oc]);
          acc = WrappingAdd(acc, q.output_offset);  // wraps like TFLite's int32 add
          acc = quant::Clamp(acc, q.act_min, q.act_max);
          out[((b * w.out_h + oy) * w.out_w + ox) * out_c + oc] = static_cast<int8_t>(acc);
        }
      }
    }
  }
}

void Conv2DF32Reference(const Conv2DParams& p, const Tensor& input, const Tensor& filter,
                        const Tensor* bias, Tensor& output) {
  const ConvWindow& w = p.window;
  const float* in = input.as<float>();
  const float* flt = filter.as<float>();
  const float* bias_data = bias != nullptr ? bias->as<float>() : nullptr;
  float* out = output.as<float>();

  const int32_t batches = input.dims[0];
  const int32_t in_h = input.dims[1];
  const int32_t in_w = input.dims[2];
  const int32_t in_c = input.dims[3];
  const int32_t out_c = filter.dims[0];
  const int32_t filter_h = filter.dims[1];
  const int32_t filter_w = filter.dims[2];
  const int32_t filter_c = filter.dims[3];
  const int32_t groups = in_c / filter_c;
  const int32_t filters_per_group = out_c / groups;

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      const int32_t in_y_origin = oy * w.stride_h - w.pad_h;
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        const int32_t in_x_origin = ox * w.stride_w - w.pad_w;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t group = oc / filters_per_group;
          float total = 0.0f;
          for (int32_t ky = 0; ky < filter_h; ++ky) {
            const int32_t y = in_y_origin + w.dilation_h * ky;
            for (int32_t kx = 0; kx < filter_w; ++kx) {
              const int32_t x = in_x_origin + w.dilation_w * kx;
              if (x < 0 || x >= in_w || y < 0 || y >= in_h) continue;
              const float* in_px = in + ((b * in_h + y) * in_w + x) * in_c + group * filter_c;
              const float* flt_px = flt + ((oc * filter_h + ky) * filter_w + kx) * filter_c;
              for (int32_t ic = 0; ic < filter_c; ++ic) total += in_px[ic] * flt_px[ic];
            }
          }
          const float bias_value = bias_data != nullptr ? bias_data[oc] : 0.0f;
          out[((b * w.out_h + oy) * w.out_w + ox) * out_c + oc] =
              ClampFloat(total + bias_value, p.float_act_min, p.float_act_max);
        }
      }
    }
  }
}

void EvalConv2DS8Reference(const Node& node, Tensor* tensors) {
  const Tensor* bias = node.has_input(2) ? &node.input(tensors, 2) : nullptr;
  Conv2DS8Reference(*static_cast<const Conv2DParams*>(node.params), node.input(tensors, 0),
                    node.input(tensors, 1), bias, node.output(tensors, 0));
}

void EvalConv2DF32Reference(const Node& node, Tensor* tensors) {
  const Tensor* bias = node.has_input(2) ? &node.input(tensors, 2) : nullptr;
  Conv2DF32Reference(*static_cast<const Conv2DParams*>(node.params), node.input(tensors, 0),
                     node.input(tensors, 1), bias, node.output(tensors, 0));
}

}  // namespace ops
}  // namespace mote
