#include "mote/op_registry.h"

#include "runtime/kernel_api.h"
#include "tflite_generated.h"

namespace mote {

Status OpRegistry::Add(const OpRegistration& reg) {
  for (size_t i = 0; i < count_; ++i) {
    const OpRegistration& r = *regs_[i];
    if (&r == &reg) return Status::Ok();  // registering twice is harmless
    if (r.builtin == reg.builtin && r.min_version <= reg.max_version &&
        reg.min_version <= r.max_version) {
      return Status::Error(StatusCode::kInvalidArgument,
                           "op registry: %s versions %d..%d registered twice", BuiltinName(reg.builtin),
                           reg.min_version, reg.max_version);
    }
  }
  if (count_ == kCapacity) {
    return Status::Error(StatusCode::kInvalidArgument, "op registry: full (%u ops)",
                         static_cast<unsigned>(kCapacity));
  }
  regs_[count_++] = &reg;
  return Status::Ok();
}

const OpRegistration* OpRegistry::Find(int32_t builtin, int32_t version) const {
  for (size_t i = 0; i < count_; ++i) {
    const OpRegistration& r = *regs_[i];
    if (r.builtin == builtin && version >= r.min_version && version <= r.max_version) return &r;
  }
  return nullptr;
}

bool OpRegistry::HasBuiltin(int32_t builtin) const {
  for (size_t i = 0; i < count_; ++i) {
    if (regs_[i]->builtin == builtin) return true;
  }
  return false;
}

const char* BuiltinName(int32_t builtin) {
  if (builtin < tflite::BuiltinOperator_MIN || builtin > tflite::BuiltinOperator_MAX) return "UNKNOWN";
  const char* name = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(builtin));
  return (name != nullptr && name[0] != '\0') ? name : "UNKNOWN";
}

}  // namespace mote
