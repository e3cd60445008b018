// Test helper: builds a one-operator .tflite model in memory and runs it
// through the real Interpreter (Init = every prepare check, Invoke = the
// chosen kernel). Header-only, for the per-op tests in src/ops/<op>/.
//
//   test::OpModel m;
//   int x = m.Input({1, 4}, tflite::TensorType_INT8, 0.5f, -1);
//   int w = m.Const<int8_t>({2, 4}, tflite::TensorType_INT8, {...}, {0.25f}, {0});
//   int y = m.Output({1, 2}, tflite::TensorType_INT8, 0.25f, 3);
//   m.SetOp(tflite::BuiltinOperator_FULLY_CONNECTED, 4, {x, w, -1}, {y},
//           tflite::BuiltinOptions_FullyConnectedOptions,
//           [](flatbuffers::FlatBufferBuilder& b) {
//             return tflite::CreateFullyConnectedOptions(b).Union();
//           });
//   test::OpRunner r(m);          // builds, registers all ops, Init
//   ASSERT_TRUE(r.status().ok()) << r.status().message();
//   r.SetInput<int8_t>(0, {...});
//   r.Invoke();
//   std::vector<int8_t> out = r.Output<int8_t>(0);
#ifndef MOTE_TESTS_OP_MODEL_BUILDER_H_
#define MOTE_TESTS_OP_MODEL_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "mote/mote.h"
#include "tflite_generated.h"

namespace mote {
namespace test {

class OpModel {
 public:
  using OptionsFn = std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>;

  // An activation tensor (no data). scales empty: not quantized.
  int AddTensor(const std::vector<int32_t>& shape, tflite::TensorType type,
             const std::vector<float>& scales = {}, const std::vector<int64_t>& zero_points = {},
             int32_t quantized_dimension = 0, const std::string& name = "") {
    Spec s;
    s.shape = shape;
    s.type = type;
    s.scales = scales;
    s.zero_points = zero_points;
    s.qdim = quantized_dimension;
    s.name = name.empty() ? "t" + std::to_string(tensors_.size()) : name;
    tensors_.push_back(s);
    return static_cast<int>(tensors_.size()) - 1;
  }
  // A per-tensor quantized (scale > 0) or float (scale == 0) graph input.
  int Input(const std::vector<int32_t>& shape, tflite::TensorType type, float scale = 0.0f,
            int64_t zero_point = 0) {
    const int t = scale > 0 ? AddTensor(shape, type, {scale}, {zero_point}) : AddTensor(shape, type);
    inputs_.push_back(t);
    return t;
  }
  int Output(const std::vector<int32_t>& shape, tflite::TensorType type, float scale = 0.0f,
             int64_t zero_point = 0) {
    const int t = scale > 0 ? AddTensor(shape, type, {scale}, {zero_point}) : AddTensor(shape, type);
    outputs_.push_back(t);
    return t;
  }
  // A constant tensor holding `values` (their bytes, little-endian host).
  template <typename T>
  int Const(const std::vector<int32_t>& shape, tflite::TensorType type, const std::vector<T>& values,
            const std::vector<float>& scales = {}, const std::vector<int64_t>& zero_points = {},
            int32_t quantized_dimension = 0) {
    const int t = AddTensor(shape, type, scales, zero_points, quantized_dimension);
    tensors_[t].data.resize(values.size() * sizeof(T));
    if (!values.empty()) memcpy(tensors_[t].data.data(), values.data(), tensors_[t].data.size());
    return t;
  }

  void SetOp(tflite::BuiltinOperator op, int version, const std::vector<int32_t>& inputs,
             const std::vector<int32_t>& outputs, tflite::BuiltinOptions options_type = tflite::BuiltinOptions_NONE,
             OptionsFn options = nullptr) {
    op_ = op;
    version_ = version;
    op_inputs_ = inputs;
    op_outputs_ = outputs;
    options_type_ = options_type;
    options_ = options;
  }

  // The finished flatbuffer.
  std::vector<uint8_t> Build() const {
    flatbuffers::FlatBufferBuilder b(1024);
    std::vector<flatbuffers::Offset<tflite::Buffer>> buffers;
    buffers.push_back(tflite::CreateBuffer(b));  // the empty sentinel
    std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
    for (const Spec& s : tensors_) {
      uint32_t buffer = 0;
      if (!s.data.empty()) {
        b.ForceVectorAlignment(s.data.size(), 1, 16);
        auto data = b.CreateVector(s.data);
        buffer = static_cast<uint32_t>(buffers.size());
        buffers.push_back(tflite::CreateBuffer(b, data));
      }
      flatbuffers::Offset<tflite::QuantizationParameters> q = 0;
      if (!s.scales.empty()) {
        q = tflite::CreateQuantizationParameters(b, 0, 0, b.CreateVector(s.scales),
                                                 b.CreateVector(s.zero_points),
                                                 tflite::QuantizationDetails_NONE, 0, s.qdim);
      }
      tensors.push_back(tflite::CreateTensor(b, b.CreateVector(s.shape), s.type, buffer,
                                             b.CreateString(s.name), q, false, 0, 0, true));
    }
    flatbuffers::Offset<void> options = options_ ? options_(b) : 0;
    auto op = tflite::CreateOperator(b, 0, b.CreateVector(op_inputs_), b.CreateVector(op_outputs_),
                                     options_ ? options_type_ : tflite::BuiltinOptions_NONE, options);
    auto code = tflite::CreateOperatorCode(b, static_cast<int8_t>(op_ < 127 ? op_ : 127), 0, version_, op_);
    auto sg = tflite::CreateSubGraph(b, b.CreateVector(tensors), b.CreateVector(inputs_),
                                     b.CreateVector(outputs_), b.CreateVector(&op, 1), b.CreateString("main"));
    auto model = tflite::CreateModel(b, 3, b.CreateVector(&code, 1), b.CreateVector(&sg, 1),
                                     b.CreateString("mote test"), b.CreateVector(buffers));
    tflite::FinishModelBuffer(b, model);
    return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
  }

 private:
  struct Spec {
    std::vector<int32_t> shape;
    tflite::TensorType type;
    std::vector<float> scales;
    std::vector<int64_t> zero_points;
    int32_t qdim;
    std::string name;
    std::vector<uint8_t> data;
  };
  std::vector<Spec> tensors_;
  std::vector<int32_t> inputs_;
  std::vector<int32_t> outputs_;
  tflite::BuiltinOperator op_ = tflite::BuiltinOperator_ADD;
  int version_ = 1;
  std::vector<int32_t> op_inputs_;
  std::vector<int32_t> op_outputs_;
  tflite::BuiltinOptions options_type_ = tflite::BuiltinOptions_NONE;
  OptionsFn options_;
};

// Builds the model into 16-byte aligned memory and initializes an
// Interpreter (all ops registered, reference kernels unless asked otherwise)
// on a generous arena.
class OpRunner {
 public:
  explicit OpRunner(const OpModel& model, KernelChoice kernels = KernelChoice::kReference) {
    const std::vector<uint8_t> bytes = model.Build();
    model_.resize((bytes.size() + sizeof(Block) - 1) / sizeof(Block));
    memcpy(model_.data(), bytes.data(), bytes.size());
    arena_.resize((1 << 20) / sizeof(Block));
    Status s = RegisterAllOps(&ops_);
    if (s.ok()) {
      InterpreterOptions options;
      options.kernels = kernels;
      s = interp_.Init(model_.data(), bytes.size(), ops_, arena_.data(), arena_.size() * sizeof(Block),
                       options);
    }
    status_ = s;
  }

  const Status& status() const { return status_; }
  Interpreter& interpreter() { return interp_; }

  template <typename T>
  void SetInput(size_t i, const std::vector<T>& values) {
    mote::Tensor* t = interp_.input(i);
    if (t != nullptr && static_cast<size_t>(t->bytes) == values.size() * sizeof(T) && t->bytes > 0) {
      memcpy(t->data, values.data(), static_cast<size_t>(t->bytes));
    }
  }
  Status Invoke() { return interp_.Invoke(); }
  template <typename T>
  std::vector<T> Output(size_t i) {
    const mote::Tensor* t = interp_.output(i);
    std::vector<T> v(t != nullptr ? static_cast<size_t>(t->bytes) / sizeof(T) : 0);
    if (!v.empty()) memcpy(v.data(), t->data, v.size() * sizeof(T));
    return v;
  }

 private:
  struct alignas(16) Block {
    uint8_t b[16];
  };
  std::vector<Block> model_;
  std::vector<Block> arena_;
  OpRegistry ops_;
  Interpreter interp_;
  Status status_;
};

}  // namespace test
}  // namespace mote

#endif  // MOTE_TESTS_OP_MODEL_BUILDER_H_
