// DEPTHWISE_CONV_2D: params precomputed by prepare and the reference kernels.
//
// Layouts (TFLite's): input [N, H, W, C_in], filter [1, KH, KW, C_out],
// bias [C_out] (optional), output [N, OH, OW, C_out], with
// C_out = C_in * depth_multiplier: output channel ic * depth_multiplier + m
// is input channel ic convolved with filter channel ic * depth_multiplier + m.
//
// depth_multiplier is derived from the shapes (C_out / C_in), as TFLite's
// depthwise_conv.cc does (ComputeDepthMultiplier) for float and int8; the
// option of the same name is not used (the schema calls it redundant, and
// TFLite ignores it: a model whose option disagrees runs the same there).
#ifndef MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_H_
#define MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_H_

#include <cstdint>

#include "mote/tensor.h"
#include "ops/conv2d/conv2d.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

struct DepthwiseConv2DParams {
  ConvWindow window;
  ConvQuant quant;      // int8 only
  float float_act_min;  // float32 only
  float float_act_max;
  int32_t depth_multiplier;
  // int8 optimized kernels only: per output channel, bias + input_offset *
  // sum of the channel's taps, wrapping (depthwise_conv2d_opt.h). Null in the
  // prepared params; each invoke computes it into the node's scratch and the
  // kernel sees a copy of the params pointing there (dw_opt::EvalScope).
  const int32_t* bias_eff;
  EvalFn kernel;  // int8: the chosen kernel, run by EvalS8WithChannelQuant
};

// The reference kernels: TFLite's reference_integer_ops::DepthwiseConvPerChannel
// and reference_ops::DepthwiseConv (float), loop for loop. `bias` may be null.
void DepthwiseConv2DS8Reference(const DepthwiseConv2DParams& p, const Tensor& input,
                                const Tensor& filter, const Tensor* bias, Tensor& output);
void DepthwiseConv2DF32Reference(const DepthwiseConv2DParams& p, const Tensor& input,
                                 const Tensor& filter, const Tensor* bias, Tensor& output);

void EvalDepthwiseConv2DS8Reference(const Node& node, Tensor* tensors);
void EvalDepthwiseConv2DF32Reference(const Node& node, Tensor* tensors);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_H_
