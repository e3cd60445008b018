// mote: reading a .tflite model in place. Everything here checks before it
// trusts: the flatbuffers verifier first, then every field mote uses. Nothing
// is copied and nothing is allocated.
#ifndef MOTE_FORMAT_MODEL_H_
#define MOTE_FORMAT_MODEL_H_

#include <cstddef>
#include <cstdint>

#include "mote/status.h"
#include "mote/tensor.h"

namespace tflite {
struct Model;
struct SubGraph;
struct OperatorCode;
}  // namespace tflite

namespace mote {
namespace format {

// Hard limits that keep every count and size in range of the runtime's types.
constexpr size_t kMaxTensors = 32767;
constexpr size_t kMaxOperators = 32000;
constexpr int kMaxOpInputs = 255;
constexpr int kMaxOpOutputs = 255;
// Model bytes must start at an address aligned to this.
constexpr size_t kModelAlignment = 4;

// The structural check VerifyModel runs first: null when the bytes may be
// read as a flatbuffer, else why not. The library's (structure_check.cc) is
// the flatbuffers verifier (bounds, offsets, alignment, nesting: about 11 KB
// of code on a Cortex-M). A one-model application whose model was verified
// when it was built may define kCheckStructure itself, accepting exactly
// those bytes (firmware/app/app_link.py: size and hash), so that the
// verifier is not linked.
using StructureCheck = const char* (*)(const uint8_t* bytes, size_t size);
extern const StructureCheck kCheckStructure;

// Runs kCheckStructure and the model-level checks (identifier, schema version 3, one or more subgraphs,
// buffers present). On success *model is the root table.
Status VerifyModel(const void* data, size_t size, const tflite::Model** model);

// Reads tensor `index` of subgraph `sg`: dtype, shape, element count and
// byte size (overflow-checked), constant data (bounds, size equal to the
// tensor's bytes, alignment), quantization (scale count, scales finite and
// > 0, zero points within the dtype's range, quantized dimension). Does not
// set flags other than kTensorConstant/kTensorVariable, nor lifetimes.
Status ReadTensor(const tflite::Model& model, const tflite::SubGraph& sg, int index, Tensor* t);

// Constant tensors read their bytes in place: two whose data ranges overlap
// without being the same range (distinct buffers sharing bytes, which no
// converter writes) are rejected. O(n^2) in the number of constants.
Status CheckConstantsDisjoint(const Tensor* tensors, size_t num_tensors);

// The operator code of an OperatorCode: the larger of builtin_code and
// deprecated_builtin_code (older converters only set the latter).
int32_t BuiltinCode(const tflite::OperatorCode& code);

// Name of the op: builtin name, or the custom code for CUSTOM ops.
const char* OpName(const tflite::OperatorCode& code);

}  // namespace format
}  // namespace mote

#endif  // MOTE_FORMAT_MODEL_H_
