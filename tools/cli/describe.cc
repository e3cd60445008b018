#include "describe.h"

#include <cstdio>

#include "runtime/kernel_api.h"
#include "tflite_generated.h"

namespace mote {
namespace cli {
namespace {

const char* Act(tflite::ActivationFunctionType a) {
  switch (a) {
    case tflite::ActivationFunctionType_NONE: return "";
    case tflite::ActivationFunctionType_RELU: return " RELU";
    case tflite::ActivationFunctionType_RELU_N1_TO_1: return " RELU_N1_TO_1";
    case tflite::ActivationFunctionType_RELU6: return " RELU6";
    case tflite::ActivationFunctionType_TANH: return " TANH";
    case tflite::ActivationFunctionType_SIGN_BIT: return " SIGN_BIT";
  }
  return " ?";
}

const char* Pad(tflite::Padding p) { return p == tflite::Padding_SAME ? "SAME" : "VALID"; }

}  // namespace

std::string DescribeOptions(const uint8_t* model, int op_index) {
  const tflite::SubGraph* sg = tflite::GetModel(model)->subgraphs()->Get(0);
  const tflite::Operator* op = sg->operators()->Get(op_index);
  char buf[96] = "";
  if (auto* o = op->builtin_options_as_Conv2DOptions()) {
    snprintf(buf, sizeof(buf), "stride %dx%d dil %dx%d %s%s", o->stride_h(), o->stride_w(),
             o->dilation_h_factor(), o->dilation_w_factor(), Pad(o->padding()),
             Act(o->fused_activation_function()));
  } else if (auto* d = op->builtin_options_as_DepthwiseConv2DOptions()) {
    snprintf(buf, sizeof(buf), "stride %dx%d dil %dx%d mult %d %s%s", d->stride_h(), d->stride_w(),
             d->dilation_h_factor(), d->dilation_w_factor(), d->depth_multiplier(), Pad(d->padding()),
             Act(d->fused_activation_function()));
  } else if (auto* p = op->builtin_options_as_Pool2DOptions()) {
    snprintf(buf, sizeof(buf), "filter %dx%d stride %dx%d %s%s", p->filter_height(), p->filter_width(),
             p->stride_h(), p->stride_w(), Pad(p->padding()), Act(p->fused_activation_function()));
  } else if (auto* f = op->builtin_options_as_FullyConnectedOptions()) {
    snprintf(buf, sizeof(buf), "%s%s", f->keep_num_dims() ? "keep_num_dims" : "",
             Act(f->fused_activation_function()));
  } else if (auto* s = op->builtin_options_as_SoftmaxOptions()) {
    snprintf(buf, sizeof(buf), "beta %g", static_cast<double>(s->beta()));
  } else if (auto* a = op->builtin_options_as_AddOptions()) {
    snprintf(buf, sizeof(buf), "%s", Act(a->fused_activation_function()));
  } else if (auto* sb = op->builtin_options_as_SubOptions()) {
    snprintf(buf, sizeof(buf), "%s", Act(sb->fused_activation_function()));
  } else if (auto* m = op->builtin_options_as_MulOptions()) {
    snprintf(buf, sizeof(buf), "%s", Act(m->fused_activation_function()));
  } else if (auto* c = op->builtin_options_as_ConcatenationOptions()) {
    snprintf(buf, sizeof(buf), "axis %d%s", c->axis(), Act(c->fused_activation_function()));
  } else if (auto* r = op->builtin_options_as_ReducerOptions()) {
    snprintf(buf, sizeof(buf), "%s", r->keep_dims() ? "keep_dims" : "");
  }
  std::string s = buf;
  while (!s.empty() && s[0] == ' ') s.erase(0, 1);
  return s;
}

int64_t NodeMacs(const Interpreter& interp, const Node& node) {
  if (node.num_outputs == 0 || node.num_inputs < 2 || node.inputs[1] < 0) return 0;
  const Tensor& out = interp.tensor(node.outputs[0]);
  const Tensor& w = interp.tensor(node.inputs[1]);
  const int64_t out_elems = out.elements();
  switch (node.builtin) {
    case tflite::BuiltinOperator_CONV_2D:  // filter [O, KH, KW, I]
      return w.rank == 4 ? out_elems * w.dims[1] * w.dims[2] * w.dims[3] : 0;
    case tflite::BuiltinOperator_DEPTHWISE_CONV_2D:  // filter [1, KH, KW, O]
      return w.rank == 4 ? out_elems * w.dims[1] * w.dims[2] : 0;
    case tflite::BuiltinOperator_FULLY_CONNECTED:  // weights [O, I]
      return w.rank == 2 ? out_elems * w.dims[1] : 0;
    default:
      return 0;
  }
}

}  // namespace cli
}  // namespace mote
