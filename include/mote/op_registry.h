// mote: the set of ops an application links in. Register only what your
// model needs: an op that is never registered is never linked (each op's
// registration function lives in its own translation unit).
#ifndef MOTE_OP_REGISTRY_H_
#define MOTE_OP_REGISTRY_H_

#include <cstddef>
#include <cstdint>

#include "mote/status.h"

namespace mote {

struct OpRegistration;  // defined in src/runtime/kernel_api.h

class OpRegistry {
 public:
  static constexpr size_t kCapacity = 64;

  // Adds one op implementation. Fails when full or when an implementation
  // of the same builtin with overlapping versions is already present.
  Status Add(const OpRegistration& reg);
  // The implementation of `builtin` (TFLite BuiltinOperator value) that
  // accepts `version`, or null.
  const OpRegistration* Find(int32_t builtin, int32_t version) const;
  // True when some implementation of `builtin` exists (any version).
  bool HasBuiltin(int32_t builtin) const;
  size_t size() const { return count_; }
  const OpRegistration& at(size_t i) const { return *regs_[i]; }

 private:
  const OpRegistration* regs_[kCapacity] = {};
  size_t count_ = 0;
};

// The TFLite name of a builtin operator ("CONV_2D"), or "UNKNOWN".
const char* BuiltinName(int32_t builtin);

namespace ops {
// One function per op; each returns its registration. See src/ops/<op>/.
const OpRegistration& AveragePool2D();
const OpRegistration& Concatenation();
const OpRegistration& Conv2D();
const OpRegistration& DepthwiseConv2D();
const OpRegistration& Dequantize();
const OpRegistration& FullyConnected();
const OpRegistration& Add();
const OpRegistration& Sub();
const OpRegistration& Mul();
const OpRegistration& Logistic();
const OpRegistration& Tanh();
const OpRegistration& MaxPool2D();
const OpRegistration& Mean();
const OpRegistration& Pad();
const OpRegistration& PadV2();
const OpRegistration& Quantize();
const OpRegistration& Relu();
const OpRegistration& Relu6();
const OpRegistration& Reshape();
const OpRegistration& Softmax();
const OpRegistration& Squeeze();
}  // namespace ops

// Registers every op mote implements (for tools and tests; an application
// should register only what it uses).
Status RegisterAllOps(OpRegistry* registry);

}  // namespace mote

#endif  // MOTE_OP_REGISTRY_H_
