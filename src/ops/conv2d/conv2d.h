// CONV_2D: params precomputed by prepare, the reference kernels, and the
// window/quantization helpers DEPTHWISE_CONV_2D shares with it.
//
// Layouts (TFLite's): input [N, H, W, C_in], filter [C_out, KH, KW, C_in / groups],
// bias [C_out] (optional), output [N, OH, OW, C_out]. Grouped convolution
// (C_in a multiple of the filter's input depth) follows TFLite's reference
// kernel: output channel oc reads input channels [g * Cf, (g + 1) * Cf) with
// g = oc / (C_out / groups).
#ifndef MOTE_OPS_CONV2D_CONV2D_H_
#define MOTE_OPS_CONV2D_CONV2D_H_

#include <cstdint>

#include "mote/status.h"
#include "mote/tensor.h"
#include "ops/channel_quant.h"
#include "ops/common.h"
#include "ops/streaming.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

// Sliding-window geometry (TFLite's ConvParams / DepthwiseParams subset).
// Input row of output row oy, tap ky: oy * stride_h - pad_h + ky * dilation_h
// (taps outside the input are skipped). Prepare guarantees every such
// coordinate fits in int32.
struct ConvWindow {
  int32_t stride_h;
  int32_t stride_w;
  int32_t dilation_h;
  int32_t dilation_w;
  int32_t pad_h;  // leading padding (TFLite's padding_values)
  int32_t pad_w;
  int32_t out_h;
  int32_t out_w;
};

// Validates strides, dilations (> 0), the padding enum and the filter extent
// (> 0), computes the output extent and padding exactly as TFLite's
// ComputePaddingHeightWidth, and checks that every input coordinate the
// kernel forms fits in int32.
Status PrepareConvWindow(PrepareContext& ctx, int8_t padding, int32_t stride_h, int32_t stride_w,
                         int32_t dilation_h, int32_t dilation_w, int32_t in_h, int32_t in_w,
                         int32_t filter_h, int32_t filter_w, ConvWindow* window);

// Everything the int8 conv kernels need besides the window, shared by
// CONV_2D and DEPTHWISE_CONV_2D (TFLite's PopulateConvolutionQuantizationParams):
// per output channel, effective_scale = double(input_scale) *
// double(filter_scale[c or 0]) / double(output_scale), QuantizeMultiplier'd.
// The multiplier and shift arrays are not kept: every invoke derives them
// from the tensors' scales (ConvChannelScales) into the node's scratch
// (ops/channel_quant.h, EvalS8WithChannelQuant below), so the kernels see
// them only during eval.
struct ConvQuant {
  int32_t input_offset;   // -input zero point
  int32_t output_offset;  // output zero point
  int32_t act_min;        // fused activation range, in output units
  int32_t act_max;
  const int32_t* multiplier;  // [channels], during eval (null in prepared params)
  const int32_t* shift;       // [channels], TFLite convention (> 0: left), during eval
};

// Where an int8 conv or depthwise node's multipliers come from: input 0,
// the filter (input 1) and output 0's scales, one channel per output channel.
inline ChannelScales ConvChannelScales(const Tensor& input, const Tensor& filter,
                                       const Tensor& output) {
  return ChannelScales{input.scale,   output.scale,      filter.scale,
                       filter.scales, filter.num_scales, output.dims[3]};
}

// Checks the int8 quantization of input/filter/output (per tensor for input
// and output; filter per tensor or one scale per output channel; every filter
// zero point 0) and the optional int32 bias (`bias` null when absent), and
// that every one of the `channels` channels' multipliers (ChannelMultiplier)
// is one TFLite's kernels can apply. Takes no arena memory.
Status PrepareConvQuantS8(PrepareContext& ctx, const Tensor& input, const Tensor& filter,
                          const Tensor* bias, const Tensor& output, int32_t channels,
                          int8_t activation, ConvQuant* quant);

// The window op's shapes for StreamingGap (ops/streaming.h): input 0,
// output 0 (NHWC, int8) and the window's strides and leading padding.
StreamingShape ConvStreamingShape(PrepareContext& ctx, const ConvWindow& window);

// Checks the float32 filter/bias types; computes the float activation range.
Status PrepareConvF32(PrepareContext& ctx, const Tensor& filter, const Tensor* bias,
                      int8_t activation, float* act_min, float* act_max);

struct Conv2DParams {
  ConvWindow window;
  ConvQuant quant;      // int8 only
  float float_act_min;  // float32 only
  float float_act_max;
  // int8 optimized kernels: a bound on |sum_k w[c,k] * (x[k] + input_offset)|
  // over every channel c and input (conv_opt::DotBound).
  int32_t dot_bound;
  EvalFn kernel;  // int8: the chosen kernel, run by EvalS8WithChannelQuant
};

// The eval of every int8 CONV_2D and DEPTHWISE_CONV_2D node: derives the
// per-channel multipliers and shifts into the head of the node's scratch
// (ChannelQuantBytes), then runs params.kernel on a copy of the params that
// points at them, and on the rest of the scratch.
template <typename Params>
void EvalS8WithChannelQuant(const Node& node, Tensor* tensors) {
  const Params& p = *static_cast<const Params*>(node.params);
  const ChannelScales cs = ConvChannelScales(node.input(tensors, 0), node.input(tensors, 1),
                                             node.output(tensors, 0));
  int32_t* multiplier = reinterpret_cast<int32_t*>(node.scratch);
  int32_t* shift = multiplier + cs.channels;
  FillChannelQuant(cs, multiplier, shift);
  Params local = p;
  local.quant.multiplier = multiplier;
  local.quant.shift = shift;
  Node n = node;
  n.params = &local;
  const size_t head = ChannelQuantBytes(cs.channels);
  n.scratch = node.scratch + head;
  n.scratch_bytes = node.scratch_bytes - static_cast<int32_t>(head);
  p.kernel(n, tensors);
}

// The NHWC extents every int8 kernel of CONV_2D and DEPTHWISE_CONV_2D reads
// from its tensors (prepare validated them). The optimized kernels' Shape
// structs start with these fields (conv_opt::Shape adds the dot-product
// depth, dw_opt::Shape the depth multiplier); a field list rather than a
// base class keeps them plain aggregates, which GCC optimizes as before.
#define MOTE_CONV_SHAPE_FIELDS          \
  int32_t batches, in_h, in_w, in_c;   \
  int32_t out_h, out_w, out_c;         \
  int32_t filter_h, filter_w

// Fills those fields of *s. Filter layouts: [C_out, KH, KW, C_in]
// (CONV_2D) and [1, KH, KW, C_out] (DEPTHWISE_CONV_2D): KH and KW are dims 1
// and 2 in both.
// (always_inline: with a plain inline call GCC's inliner weighs the
// kernels differently and their code changes.)
template <typename Shape>
__attribute__((always_inline)) inline void FillConvShape(Shape* s, const Tensor& input,
                                                         const Tensor& filter,
                                                         const Tensor& output) {
  s->batches = input.dims[0];
  s->in_h = input.dims[1];
  s->in_w = input.dims[2];
  s->in_c = input.dims[3];
  s->out_h = output.dims[1];
  s->out_w = output.dims[2];
  s->out_c = output.dims[3];
  s->filter_h = filter.dims[1];
  s->filter_w = filter.dims[2];
}

// Declares, in the body of an int8 kernel `void F(const Node& node, Tensor*
// tensors)`, what it reads off its node: `p` (the Params), `w` (its window),
// QUANT (its quantization), `s` (the Shape, from the GetShape of the
// kernel's namespace) and the raw data `in`, `flt`, `out`. The same
// declarations as written by hand before, compiling to the same code (a
// macro, not a struct unpacked with a structured binding: C++17 lambdas
// cannot capture those).
#define MOTE_CONV_KERNEL_ARGS(Params, QUANT)                       \
  const Params& p = *static_cast<const Params*>(node.params);     \
  const Tensor& input = node.input(tensors, 0);                   \
  const Tensor& filter = node.input(tensors, 1);                  \
  Tensor& output = node.output(tensors, 0);                       \
  [[maybe_unused]] const ConvWindow& w = p.window;                 \
  [[maybe_unused]] const ConvQuant& QUANT = p.quant;               \
  const Shape s = GetShape(input, filter, output);                \
  [[maybe_unused]] const int8_t* in = input.as<int8_t>();          \
  [[maybe_unused]] const int8_t* flt = filter.as<int8_t>();        \
  int8_t* out = output.as<int8_t>()

// The reference kernels: TFLite's reference_integer_ops::ConvPerChannel and
// reference_ops::Conv, loop for loop. `bias` may be null. Shapes are read
// from the tensors (validated by prepare).
void Conv2DS8Reference(const Conv2DParams& p, const Tensor& input, const Tensor& filter,
                       const Tensor* bias, Tensor& output);
void Conv2DF32Reference(const Conv2DParams& p, const Tensor& input, const Tensor& filter,
                        const Tensor* bias, Tensor& output);

// Node-level wrappers (EvalFn) around the reference kernels.
void EvalConv2DS8Reference(const Node& node, Tensor* tensors);
void EvalConv2DF32Reference(const Node& node, Tensor* tensors);

// int32 accumulation with the wrap-around of TFLite's int32 accumulator
// (its kernels add in int32; on overflow the hardware wraps). Written on
// uint32 so that it is defined behaviour here.
inline int32_t WrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// TFLite's ActivationFunctionWithMinMax for float: min(max(x, lo), hi).
inline float ClampFloat(float x, float lo, float hi) {
  const float y = x < lo ? lo : x;  // std::max(x, lo): returns x unless x < lo
  return hi < y ? hi : y;           // std::min(y, hi): returns y unless hi < y
}

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_CONV2D_CONV2D_H_
