// CONV_2D int8, portable optimized kernels (plain C++, no intrinsics): the
// restructured arithmetic of conv2d_opt.h (register blocking, one-rounding
// requantization) on any CPU, so the host and a Cortex-M without DSP run it
// and the oracle replay checks it on the host. Listed when the build has
// neither the DSP extension nor MVE. Also the predicates every optimized
// int8 variant shares.
//
// s8_opt_1x1      chosen when the convolution is pointwise (1x1 filter,
//                 stride 1, no padding) and AppliesS8 holds: a matrix
//                 product over the input's contiguous pixel rows.
// s8_opt_generic  any other int8 convolution AppliesS8 accepts (kernel size,
//                 stride, dilation, padding): each pair of output pixels is
//                 first gathered (im2col, padding = input zero point) into a
//                 2 x depth scratch buffer.
// Both compute 4 output channels x 2 pixels per block, with the reference's
// products w * (x + input_offset); their int32 partial sums stay exact
// because depth <= kMaxDepth, and the bias is added wrapping.
#include <cstddef>
#include <cstdint>

#include "ops/conv2d/conv2d_opt.h"

namespace mote {
namespace ops {
namespace conv_opt {

bool IsPointwise(const Conv2DParams& p, PrepareContext& ctx) {
  const Tensor& filter = ctx.input(1);
  const ConvWindow& w = p.window;
  return filter.dims[1] == 1 && filter.dims[2] == 1 && w.stride_h == 1 && w.stride_w == 1 &&
         w.pad_h == 0 && w.pad_w == 0;
}

bool AppliesS8(const Conv2DParams&, PrepareContext& ctx) {
  const Tensor& input = ctx.input(0);
  const Tensor& filter = ctx.input(1);
  if (input.type != DType::kInt8 || filter.type != DType::kInt8) return false;
  if (filter.dims[3] != input.dims[3]) return false;  // grouped
  const int64_t depth = static_cast<int64_t>(filter.dims[1]) * filter.dims[2] * filter.dims[3];
  return depth > 0 && depth <= kMaxDepth;
}

int32_t DotBound(const Tensor& filter) {
  const int32_t out_c = filter.dims[0];
  const int32_t depth = filter.dims[1] * filter.dims[2] * filter.dims[3];
  if (!filter.is_constant() || filter.data == nullptr) return 255 * 128 * depth;
  const int8_t* w = filter.as<int8_t>();
  int32_t bound = 0;
  for (int32_t c = 0; c < out_c; ++c) {
    int32_t sum = 0;  // <= 128 * kMaxDepth
    for (int32_t k = 0; k < depth; ++k) {
      const int32_t v = w[static_cast<size_t>(c) * depth + k];
      sum += v < 0 ? -v : v;
    }
    if (255 * sum > bound) bound = 255 * sum;
  }
  return bound;
}

namespace {

struct Gemm {
  const int8_t* w;  // [out_c][depth]
  int32_t depth;
  int32_t out_c;
  const int32_t* bias;  // null: none
  const ConvQuant* q;

  int8_t Out(int32_t c, int32_t sum) const {
    const int32_t acc = bias != nullptr ? WrappingAdd(sum, bias[c]) : sum;
    return static_cast<int8_t>(RequantizeS8(acc, q->multiplier[c], q->shift[c], *q));
  }
};

// Every output channel of two output pixels whose operands are x0 and x1
// (depth bytes each); writes o0[c] and o1[c]. x1 == x0 and o1 == o0 is
// allowed (an odd pixel count).
void TwoPixels(const Gemm& g, const int8_t* x0, const int8_t* x1, int8_t* o0, int8_t* o1) {
  const int32_t k_len = g.depth;
  const int32_t off = g.q->input_offset;
  int32_t c = 0;
  for (; c + 4 <= g.out_c; c += 4) {
    const int8_t* w0 = g.w + static_cast<size_t>(c) * k_len;
    const int8_t* w1 = w0 + k_len;
    const int8_t* w2 = w1 + k_len;
    const int8_t* w3 = w2 + k_len;
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
    for (int32_t k = 0; k < k_len; ++k) {
      const int32_t v0 = x0[k] + off;
      const int32_t v1 = x1[k] + off;
      const int32_t f0 = w0[k], f1 = w1[k], f2 = w2[k], f3 = w3[k];
      a00 += f0 * v0;
      a01 += f0 * v1;
      a10 += f1 * v0;
      a11 += f1 * v1;
      a20 += f2 * v0;
      a21 += f2 * v1;
      a30 += f3 * v0;
      a31 += f3 * v1;
    }
    // o1 first: when o1 == o0 the values are the same anyway.
    o1[c] = g.Out(c, a01);
    o1[c + 1] = g.Out(c + 1, a11);
    o1[c + 2] = g.Out(c + 2, a21);
    o1[c + 3] = g.Out(c + 3, a31);
    o0[c] = g.Out(c, a00);
    o0[c + 1] = g.Out(c + 1, a10);
    o0[c + 2] = g.Out(c + 2, a20);
    o0[c + 3] = g.Out(c + 3, a30);
  }
  for (; c < g.out_c; ++c) {
    const int8_t* w0 = g.w + static_cast<size_t>(c) * k_len;
    int32_t a0 = 0, a1 = 0;
    for (int32_t k = 0; k < k_len; ++k) {
      a0 += w0[k] * (x0[k] + off);
      a1 += w0[k] * (x1[k] + off);
    }
    o1[c] = g.Out(c, a1);
    o0[c] = g.Out(c, a0);
  }
}

Gemm MakeGemm(const Conv2DParams& p, const Node& node, Tensor* tensors, const Shape& s) {
  const int32_t* bias = node.has_input(2) ? node.input(tensors, 2).as<int32_t>() : nullptr;
  return Gemm{node.input(tensors, 1).as<int8_t>(), s.depth, s.out_c, bias, &p.quant};
}

}  // namespace

void EvalS8Opt1x1(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(Conv2DParams, cq);
  const Gemm g = MakeGemm(p, node, tensors, s);
  const int32_t pixels = s.batches * s.out_h * s.out_w;
  for (int32_t px = 0; px < pixels; px += 2) {
    const int32_t px1 = px + 1 < pixels ? px + 1 : px;
    TwoPixels(g, in + static_cast<size_t>(px) * s.in_c, in + static_cast<size_t>(px1) * s.in_c,
              out + static_cast<size_t>(px) * s.out_c, out + static_cast<size_t>(px1) * s.out_c);
  }
}

size_t ScratchS8OptGeneric(const Shape& s) { return 2 * static_cast<size_t>(s.depth); }

void EvalS8OptGeneric(const Node& node, Tensor* tensors) {
  MOTE_CONV_KERNEL_ARGS(Conv2DParams, cq);
  const Gemm g = MakeGemm(p, node, tensors, s);
  int8_t* col0 = reinterpret_cast<int8_t*>(node.scratch);
  int8_t* col1 = col0 + s.depth;
  const int32_t per_batch = s.out_h * s.out_w;
  const int32_t pixels = s.batches * per_batch;
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    Im2ColPixel(p, s, in, px / per_batch, (px % per_batch) / s.out_w, px % s.out_w, col0);
    if (two) {
      const int32_t q = px + 1;
      Im2ColPixel(p, s, in, q / per_batch, (q % per_batch) / s.out_w, q % s.out_w, col1);
    }
    int8_t* o0 = out + static_cast<size_t>(px) * s.out_c;
    TwoPixels(g, col0, two ? col1 : col0, o0, two ? o0 + s.out_c : o0);
  }
}

}  // namespace conv_opt
}  // namespace ops
}  // namespace mote
