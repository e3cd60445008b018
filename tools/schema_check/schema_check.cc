// schema_check: dump a .tflite file as read through mote's schema/tflite.fbs.
//
// Verifies the buffer (flatbuffers::Verifier + tflite::VerifyModelBuffer),
// then prints one line per operator (index, op name, version, input/output
// tensor indices, builtin options) and one line per tensor (index, type,
// shape, buffer, buffer bytes, quantization counts, quantized dimension, name).
// tools/schema_check/compare.py checks this dump against TensorFlow Lite's own
// reading of the same file. A host tool, not part of the engine build.
//
// Usage: schema_check [-v] model.tflite   (-v also prints scale/zero-point values)

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "tflite_generated.h"

namespace {

// Builds one "key=value key=value" line.
class Line {
 public:
  void raw(const std::string& s) {
    if (!text_.empty()) text_ += ' ';
    text_ += s;
  }
  void kv(const char* key, long long value) { raw(std::string(key) + "=" + std::to_string(value)); }
  void kv(const char* key, const char* value) { raw(std::string(key) + "=" + value); }
  void kv_float(const char* key, float value) {
    char b[32];
    std::snprintf(b, sizeof b, "%.9g", static_cast<double>(value));
    kv(key, b);
  }
  template <typename T>
  void kv_vec(const char* key, const flatbuffers::Vector<T>* v) {
    std::string s = "[";
    if (v != nullptr) {
      for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        if (i > 0) s += ',';
        s += std::to_string(static_cast<long long>(v->Get(i)));
      }
    }
    kv(key, (s + "]").c_str());
  }
  void kv_float_vec(const char* key, const flatbuffers::Vector<float>* v) {
    std::string s = "[";
    if (v != nullptr) {
      for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        char b[32];
        std::snprintf(b, sizeof b, "%s%.9g", i > 0 ? "," : "", static_cast<double>(v->Get(i)));
        s += b;
      }
    }
    kv(key, (s + "]").c_str());
  }
  void print() const { std::printf("%s\n", text_.c_str()); }

 private:
  std::string text_;
};

const char* act(tflite::ActivationFunctionType a) { return tflite::EnumNameActivationFunctionType(a); }
const char* pad(tflite::Padding p) { return tflite::EnumNamePadding(p); }
const char* type(tflite::TensorType t) { return tflite::EnumNameTensorType(t); }

// Appends the fields of the operator's builtin options, for the option types
// mote reads; other types print their name only.
void print_options(const tflite::Operator* op, Line& l) {
  using namespace tflite;
  const BuiltinOptions t = op->builtin_options_type();
  if (t == BuiltinOptions_NONE) return;
  l.raw(EnumNameBuiltinOptions(t));
  if (op->builtin_options() == nullptr) {
    l.raw("(null)");
    return;
  }
  switch (t) {
    case BuiltinOptions_Conv2DOptions: {
      auto o = op->builtin_options_as_Conv2DOptions();
      l.kv("padding", pad(o->padding()));
      l.kv("stride_w", o->stride_w());
      l.kv("stride_h", o->stride_h());
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("dilation_w_factor", o->dilation_w_factor());
      l.kv("dilation_h_factor", o->dilation_h_factor());
      l.kv("quantized_bias_type", type(o->quantized_bias_type()));
      break;
    }
    case BuiltinOptions_DepthwiseConv2DOptions: {
      auto o = op->builtin_options_as_DepthwiseConv2DOptions();
      l.kv("padding", pad(o->padding()));
      l.kv("stride_w", o->stride_w());
      l.kv("stride_h", o->stride_h());
      l.kv("depth_multiplier", o->depth_multiplier());
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("dilation_w_factor", o->dilation_w_factor());
      l.kv("dilation_h_factor", o->dilation_h_factor());
      break;
    }
    case BuiltinOptions_TransposeConvOptions: {
      auto o = op->builtin_options_as_TransposeConvOptions();
      l.kv("padding", pad(o->padding()));
      l.kv("stride_w", o->stride_w());
      l.kv("stride_h", o->stride_h());
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("quantized_bias_type", type(o->quantized_bias_type()));
      break;
    }
    case BuiltinOptions_FullyConnectedOptions: {
      auto o = op->builtin_options_as_FullyConnectedOptions();
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("weights_format", EnumNameFullyConnectedOptionsWeightsFormat(o->weights_format()));
      l.kv("keep_num_dims", o->keep_num_dims());
      l.kv("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      l.kv("quantized_bias_type", type(o->quantized_bias_type()));
      break;
    }
    case BuiltinOptions_Pool2DOptions: {
      auto o = op->builtin_options_as_Pool2DOptions();
      l.kv("padding", pad(o->padding()));
      l.kv("stride_w", o->stride_w());
      l.kv("stride_h", o->stride_h());
      l.kv("filter_width", o->filter_width());
      l.kv("filter_height", o->filter_height());
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      break;
    }
    case BuiltinOptions_SoftmaxOptions:
      l.kv_float("beta", op->builtin_options_as_SoftmaxOptions()->beta());
      break;
    case BuiltinOptions_LogSoftmaxOptions:
      break;
    case BuiltinOptions_ReshapeOptions:
      l.kv_vec("new_shape", op->builtin_options_as_ReshapeOptions()->new_shape());
      break;
    case BuiltinOptions_SqueezeOptions:
      l.kv_vec("squeeze_dims", op->builtin_options_as_SqueezeOptions()->squeeze_dims());
      break;
    case BuiltinOptions_AddOptions: {
      auto o = op->builtin_options_as_AddOptions();
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("pot_scale_int16", o->pot_scale_int16());
      break;
    }
    case BuiltinOptions_SubOptions: {
      auto o = op->builtin_options_as_SubOptions();
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("pot_scale_int16", o->pot_scale_int16());
      break;
    }
    case BuiltinOptions_MulOptions:
      l.kv("fused_activation_function", act(op->builtin_options_as_MulOptions()->fused_activation_function()));
      break;
    case BuiltinOptions_DivOptions:
      l.kv("fused_activation_function", act(op->builtin_options_as_DivOptions()->fused_activation_function()));
      break;
    case BuiltinOptions_L2NormOptions:
      l.kv("fused_activation_function", act(op->builtin_options_as_L2NormOptions()->fused_activation_function()));
      break;
    case BuiltinOptions_ConcatenationOptions: {
      auto o = op->builtin_options_as_ConcatenationOptions();
      l.kv("axis", o->axis());
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      break;
    }
    case BuiltinOptions_PadOptions:
    case BuiltinOptions_PadV2Options:
    case BuiltinOptions_HardSwishOptions:
    case BuiltinOptions_TransposeOptions:
    case BuiltinOptions_MaximumMinimumOptions:
    case BuiltinOptions_ExpandDimsOptions:
      break;  // no fields
    case BuiltinOptions_ReducerOptions:
      l.kv("keep_dims", op->builtin_options_as_ReducerOptions()->keep_dims());
      break;
    case BuiltinOptions_SVDFOptions: {
      auto o = op->builtin_options_as_SVDFOptions();
      l.kv("rank", o->rank());
      l.kv("fused_activation_function", act(o->fused_activation_function()));
      l.kv("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      break;
    }
    case BuiltinOptions_StridedSliceOptions: {
      auto o = op->builtin_options_as_StridedSliceOptions();
      l.kv("begin_mask", o->begin_mask());
      l.kv("end_mask", o->end_mask());
      l.kv("ellipsis_mask", o->ellipsis_mask());
      l.kv("new_axis_mask", o->new_axis_mask());
      l.kv("shrink_axis_mask", o->shrink_axis_mask());
      l.kv("offset", o->offset());
      break;
    }
    case BuiltinOptions_CastOptions: {
      auto o = op->builtin_options_as_CastOptions();
      l.kv("in_data_type", type(o->in_data_type()));
      l.kv("out_data_type", type(o->out_data_type()));
      break;
    }
    case BuiltinOptions_LeakyReluOptions:
      l.kv_float("alpha", op->builtin_options_as_LeakyReluOptions()->alpha());
      break;
    case BuiltinOptions_GatherOptions: {
      auto o = op->builtin_options_as_GatherOptions();
      l.kv("axis", o->axis());
      l.kv("batch_dims", o->batch_dims());
      break;
    }
    case BuiltinOptions_ResizeBilinearOptions: {
      auto o = op->builtin_options_as_ResizeBilinearOptions();
      l.kv("align_corners", o->align_corners());
      l.kv("half_pixel_centers", o->half_pixel_centers());
      break;
    }
    case BuiltinOptions_ResizeNearestNeighborOptions: {
      auto o = op->builtin_options_as_ResizeNearestNeighborOptions();
      l.kv("align_corners", o->align_corners());
      l.kv("half_pixel_centers", o->half_pixel_centers());
      break;
    }
    case BuiltinOptions_SplitOptions:
      l.kv("num_splits", op->builtin_options_as_SplitOptions()->num_splits());
      break;
    case BuiltinOptions_PackOptions: {
      auto o = op->builtin_options_as_PackOptions();
      l.kv("values_count", o->values_count());
      l.kv("axis", o->axis());
      break;
    }
    case BuiltinOptions_UnpackOptions: {
      auto o = op->builtin_options_as_UnpackOptions();
      l.kv("num", o->num());
      l.kv("axis", o->axis());
      break;
    }
    case BuiltinOptions_BatchMatMulOptions: {
      auto o = op->builtin_options_as_BatchMatMulOptions();
      l.kv("adj_x", o->adj_x());
      l.kv("adj_y", o->adj_y());
      l.kv("asymmetric_quantize_inputs", o->asymmetric_quantize_inputs());
      break;
    }
    case BuiltinOptions_DepthToSpaceOptions:
      l.kv("block_size", op->builtin_options_as_DepthToSpaceOptions()->block_size());
      break;
    case BuiltinOptions_SpaceToDepthOptions:
      l.kv("block_size", op->builtin_options_as_SpaceToDepthOptions()->block_size());
      break;
    case BuiltinOptions_ArgMaxOptions:
      l.kv("output_type", type(op->builtin_options_as_ArgMaxOptions()->output_type()));
      break;
    case BuiltinOptions_ArgMinOptions:
      l.kv("output_type", type(op->builtin_options_as_ArgMinOptions()->output_type()));
      break;
    case BuiltinOptions_ShapeOptions:
      l.kv("out_type", type(op->builtin_options_as_ShapeOptions()->out_type()));
      break;
    case BuiltinOptions_MirrorPadOptions:
      l.kv("mode", EnumNameMirrorPadMode(op->builtin_options_as_MirrorPadOptions()->mode()));
      break;
    default:
      break;
  }
}

bool read_file(const char* path, std::vector<uint8_t>& out) {
  FILE* f = std::fopen(path, "rb");
  if (f == nullptr) return false;
  uint8_t chunk[65536];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) out.insert(out.end(), chunk, chunk + n);
  std::fclose(f);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bool values = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "-v") {
      values = true;
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr) {
    std::fprintf(stderr, "usage: %s [-v] model.tflite\n", argv[0]);
    return 2;
  }
  std::vector<uint8_t> buf;
  if (!read_file(path, buf)) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 2;
  }
  flatbuffers::Verifier verifier(buf.data(), buf.size());
  if (!tflite::ModelBufferHasIdentifier(buf.data())) {
    std::fprintf(stderr, "%s: no TFL3 file identifier\n", path);
    return 1;
  }
  if (!tflite::VerifyModelBuffer(verifier)) {
    std::fprintf(stderr, "%s: flatbuffers verification FAILED\n", path);
    return 1;
  }
  const tflite::Model* model = tflite::GetModel(buf.data());
  const auto* codes = model->operator_codes();
  const auto* buffers = model->buffers();
  const auto* subgraphs = model->subgraphs();
  {
    Line l;
    l.raw("model");
    l.kv("version", model->version());
    l.kv("verified", "ok");
    l.kv("bytes", static_cast<long long>(buf.size()));
    l.kv("subgraphs", subgraphs ? subgraphs->size() : 0);
    l.kv("operator_codes", codes ? codes->size() : 0);
    l.kv("buffers", buffers ? buffers->size() : 0);
    l.kv("signature_defs", model->signature_defs() ? model->signature_defs()->size() : 0);
    l.print();
  }
  if (subgraphs == nullptr) return 0;
  for (flatbuffers::uoffset_t s = 0; s < subgraphs->size(); ++s) {
    const tflite::SubGraph* sg = subgraphs->Get(s);
    const auto* tensors = sg->tensors();
    const auto* ops = sg->operators();
    Line h;
    h.raw("subgraph");
    h.raw(std::to_string(s));
    h.kv("tensors", tensors ? tensors->size() : 0);
    h.kv("operators", ops ? ops->size() : 0);
    h.kv_vec("inputs", sg->inputs());
    h.kv_vec("outputs", sg->outputs());
    h.kv("name", sg->name() ? sg->name()->c_str() : "");
    h.print();

    for (flatbuffers::uoffset_t i = 0; ops != nullptr && i < ops->size(); ++i) {
      const tflite::Operator* op = ops->Get(i);
      Line l;
      l.raw("op");
      l.raw(std::to_string(i));
      std::string name = "?";
      int version = 0;
      if (codes != nullptr && op->opcode_index() < codes->size()) {
        const tflite::OperatorCode* c = codes->Get(op->opcode_index());
        // Older files leave builtin_code at 0 and use the byte field.
        const int32_t code = std::max<int32_t>(c->deprecated_builtin_code(), c->builtin_code());
        name = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(code));
        if (name.empty()) name = "BUILTIN_" + std::to_string(code);
        if (code == tflite::BuiltinOperator_CUSTOM) {
          name += ":";
          name += c->custom_code() ? c->custom_code()->c_str() : "";
        }
        version = c->version();
      }
      l.raw(name);
      l.raw("v" + std::to_string(version));
      l.kv_vec("in", op->inputs());
      l.kv_vec("out", op->outputs());
      if (op->custom_options() != nullptr) l.kv("custom_options_bytes", op->custom_options()->size());
      print_options(op, l);
      l.print();
    }

    for (flatbuffers::uoffset_t i = 0; tensors != nullptr && i < tensors->size(); ++i) {
      const tflite::Tensor* t = tensors->Get(i);
      Line l;
      l.raw("tensor");
      l.raw(std::to_string(i));
      l.raw(type(t->type()));
      l.kv_vec("shape", t->shape());
      l.kv("buffer", t->buffer());
      long long bytes = -1;  // -1: buffer index out of range
      if (buffers != nullptr && t->buffer() < buffers->size()) {
        const tflite::Buffer* b = buffers->Get(t->buffer());
        bytes = b->data() ? b->data()->size() : 0;
        if (b->offset() > 1) bytes = static_cast<long long>(b->size());
      }
      l.kv("bytes", bytes);
      const tflite::QuantizationParameters* q = t->quantization();
      l.kv("scales", q && q->scale() ? q->scale()->size() : 0);
      l.kv("zero_points", q && q->zero_point() ? q->zero_point()->size() : 0);
      l.kv("quantized_dimension", q ? q->quantized_dimension() : 0);
      if (q != nullptr && q->details_type() != tflite::QuantizationDetails_NONE) {
        l.kv("details", tflite::EnumNameQuantizationDetails(q->details_type()));
      }
      if (t->is_variable()) l.kv("is_variable", 1);
      if (t->sparsity() != nullptr) l.kv("sparse", 1);
      if (values) {
        l.kv_float_vec("scale", q ? q->scale() : nullptr);
        l.kv_vec("zero_point", q ? q->zero_point() : nullptr);
      }
      l.kv("name", t->name() ? t->name()->c_str() : "");
      l.print();
    }
  }
  return 0;
}
