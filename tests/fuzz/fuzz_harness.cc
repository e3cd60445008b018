#include "fuzz/fuzz_harness.h"

#include <cstring>
#include <memory>

#include "runtime/kernel_api.h"
#include "tflite_generated.h"

namespace mote {
namespace fuzz {
namespace {

// mote's op list (README "Supported ops").
constexpr int32_t kBuiltins[] = {
    tflite::BuiltinOperator_ADD,          tflite::BuiltinOperator_AVERAGE_POOL_2D,
    tflite::BuiltinOperator_CONCATENATION, tflite::BuiltinOperator_CONV_2D,
    tflite::BuiltinOperator_DEPTHWISE_CONV_2D, tflite::BuiltinOperator_DEQUANTIZE,
    tflite::BuiltinOperator_FULLY_CONNECTED, tflite::BuiltinOperator_LOGISTIC,
    tflite::BuiltinOperator_MAX_POOL_2D,  tflite::BuiltinOperator_MUL,
    tflite::BuiltinOperator_RELU,         tflite::BuiltinOperator_RELU6,
    tflite::BuiltinOperator_RESHAPE,      tflite::BuiltinOperator_SOFTMAX,
    tflite::BuiltinOperator_TANH,         tflite::BuiltinOperator_PAD,
    tflite::BuiltinOperator_MEAN,         tflite::BuiltinOperator_SUB,
    tflite::BuiltinOperator_SQUEEZE,      tflite::BuiltinOperator_PADV2,
    tflite::BuiltinOperator_QUANTIZE,
};
constexpr size_t kNumBuiltins = sizeof(kBuiltins) / sizeof(kBuiltins[0]);

void EvalNothing(const Node&, Tensor*) {}

Status PrepareStub(PrepareContext& ctx) {
  ctx.SetKernel(EvalNothing, nullptr, "stub");
  return Status::Ok();
}

const OpRegistration& Stub(size_t i) {
  static OpRegistration regs[kNumBuiltins];
  static bool init = false;
  if (!init) {
    for (size_t k = 0; k < kNumBuiltins; ++k) {
      regs[k] = OpRegistration{kBuiltins[k], 1, kStubMaxVersion, PrepareStub};
    }
    init = true;
  }
  return regs[i];
}

OpRegistry MakeFuzzRegistry() {
  OpRegistry ops;
  (void)RegisterAllOps(&ops);
  for (size_t i = 0; i < kNumBuiltins; ++i) {
    if (!ops.HasBuiltin(kBuiltins[i])) (void)ops.Add(Stub(i));
  }
  return ops;
}

OpRegistry MakeStubRegistry() {
  OpRegistry ops;
  for (size_t i = 0; i < kNumBuiltins; ++i) (void)ops.Add(Stub(i));
  return ops;
}

}  // namespace

const OpRegistry& FuzzRegistry() {
  static const OpRegistry ops = MakeFuzzRegistry();
  return ops;
}

const OpRegistry& StubRegistry() {
  static const OpRegistry ops = MakeStubRegistry();
  return ops;
}

Status RunOne(const uint8_t* data, size_t size) {
  alignas(16) static uint8_t arena[kArenaBytes];
  // Models must be 4-byte aligned; keep an exact-size copy otherwise, so that
  // the sanitizers still see any read past the end.
  std::unique_ptr<uint8_t[]> copy;
  const uint8_t* model = data;
  if (reinterpret_cast<uintptr_t>(data) % 16 != 0) {
    copy.reset(new uint8_t[size > 0 ? size : 1]);
    if (size > 0) memcpy(copy.get(), data, size);
    model = copy.get();
  }
  InterpreterOptions options;
  options.kernels = (size > 0 && (data[size - 1] & 1)) ? KernelChoice::kReference
                                                        : KernelChoice::kOptimized;
  Interpreter interp;
  const Status s = interp.Init(model, size, FuzzRegistry(), arena, sizeof(arena), options);
  if (!s.ok()) return s;
  size_t pos = 0;
  for (size_t i = 0; i < interp.num_inputs(); ++i) {
    Tensor* t = interp.input(i);
    if (t == nullptr || t->data == nullptr) continue;
    for (int32_t b = 0; b < t->bytes; ++b, ++pos) t->data[b] = data[size - 1 - pos % size];
  }
  (void)interp.Invoke();
  return s;
}

}  // namespace fuzz
}  // namespace mote
