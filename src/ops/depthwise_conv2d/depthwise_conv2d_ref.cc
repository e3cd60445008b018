// DEPTHWISE_CONV_2D reference kernels: the spec. Loop for loop TFLite's
// reference_integer_ops::DepthwiseConvPerChannel (int8) and
// reference_ops::DepthwiseConv (float), including the accumulation order.
//
// int8, per output value (oc = ic * depth_multiplier + m):
//   acc = sum over in-bounds taps (ky, kx) of
//         filter[0, ky, kx, oc] * (input[b, y, x, ic] + input_offset)
//   acc += bias[oc]                     (when there is a bias)
//   acc = MultiplyByQuantizedMultiplier(acc, multiplier[oc], shift[oc])
//   out = clamp(acc + output_offset, act_min, act_max)
// Taps outside the input are skipped (= padding with the input zero point).
// The accumulator is int32 and wraps like TFLite's.
#include "ops/depthwise_conv2d/depthwise_conv2d.h"
#include "quant/fixed_point.h"

namespace mote {
namespace ops {

void DepthwiseConv2DS8Reference(const DepthwiseConv2DParams& p, const Tensor& input,
                                const Tensor& filter, const Tensor* bias, Tensor& output) {
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
  const int32_t filter_h = filter.dims[1];
  const int32_t filter_w = filter.dims[2];
  const int32_t out_c = filter.dims[3];
  const int32_t dm = p.depth_multiplier;

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = m + ic * dm;
            const int32_t in_x_origin = ox * w.stride_w - w.pad_w;
            const int32_t in_y_origin = oy * w.stride_h - w.pad_h;
            int32_t acc = 0;
            for (int32_t ky = 0; ky < filter_h; ++ky) {
              for (int32_t kx = 0; kx < filter_w; ++kx) {
                const int32_t x = in_x_origin + w.dilation_w * kx;
                const int32_t y = in_y_origin + w.dilation_h * ky;
                if (x < 0 || x >= in_w || y < 0 || y >= in_h) continue;
                const int32_t input_val = in[((b * in_h + y) * in_w + x) * in_c + ic];
                const int32_t filter_val = flt[(ky * filter_w + kx) * out_c + oc];
                // |product| <= 128 * 255: no overflow before the (wrapping) sum.
                acc = WrappingAdd(acc, filter_val * (input_val + q.input_offset));
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
}

void DepthwiseConv2DF32Reference(const DepthwiseConv2DParams& p, const Tensor& input,
                                 const Tensor& filter, const Tensor* bias, Tensor& output) {
  const ConvWindow& w = p.window;
  const float* in = input.as<float>();
  const float* flt = filter.as<float>();
  const float* bias_data = bias != nullptr ? bias->as<float>() : nullptr;
  float* out = output.as<float>();

  const int32_t batches = input.dims[0];
  const int32_t in_h = input.dims[1];
  const int32_t in_w = input.dims[2];
  const int32_t in_c = input.dims[3];
  const int32_t filter_h = filter.dims[1];
  const int32_t filter_w = filter.dims[2];
  const int32_t out_c = filter.dims[3];
  const int32_t dm = p.depth_multiplier;

  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < w.out_h; ++oy) {
      for (int32_t ox = 0; ox < w.out_w; ++ox) {
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = m + ic * dm;
            const int32_t in_x_origin = ox * w.stride_w - w.pad_w;
            const int32_t in_y_origin = oy * w.stride_h - w.pad_h;
            float total = 0.0f;
            for (int32_t ky = 0; ky < filter_h; ++ky) {
              for (int32_t kx = 0; kx < filter_w; ++kx) {
                const int32_t x = in_x_origin + w.dilation_w * kx;
                const int32_t y = in_y_origin + w.dilation_h * ky;
                if (x < 0 || x >= in_w || y < 0 || y >= in_h) continue;
                total += in[((b * in_h + y) * in_w + x) * in_c + ic] *
                         flt[(ky * filter_w + kx) * out_c + oc];
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
}

void EvalDepthwiseConv2DS8Reference(const Node& node, Tensor* tensors) {
  const Tensor* bias = node.has_input(2) ? &node.input(tensors, 2) : nullptr;
  DepthwiseConv2DS8Reference(*static_cast<const DepthwiseConv2DParams*>(node.params),
                             node.input(tensors, 0), node.input(tensors, 1), bias,
                             node.output(tensors, 0));
}

void EvalDepthwiseConv2DF32Reference(const Node& node, Tensor* tensors) {
  const Tensor* bias = node.has_input(2) ? &node.input(tensors, 2) : nullptr;
  DepthwiseConv2DF32Reference(*static_cast<const DepthwiseConv2DParams*>(node.params),
                              node.input(tensors, 0), node.input(tensors, 1), bias,
                              node.output(tensors, 0));
}

}  // namespace ops
}  // namespace mote
