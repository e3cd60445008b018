// mote: the runtime view of one tensor. Shapes and quantization arrays point
// into the model bytes (read in place); `data` points into the arena for
// activations and into the model for constants.
#ifndef MOTE_TENSOR_H_
#define MOTE_TENSOR_H_

#include <cstddef>
#include <cstdint>

namespace mote {

// Values equal TFLite's TensorType enum, so a model's byte maps directly.
enum class DType : uint8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
};

const char* DTypeName(DType type);
// Bytes per element; 0 for types mote cannot hold (string, complex, ...).
size_t DTypeSize(DType type);

constexpr int kMaxRank = 6;

enum TensorFlags : uint8_t {
  kTensorConstant = 1 << 0,  // data lives in the model
  kTensorInput = 1 << 1,     // a subgraph input
  kTensorOutput = 1 << 2,    // a subgraph output
  kTensorVariable = 1 << 3,  // state kept across invokes
  kTensorPlanned = 1 << 4,   // data lives in the planned arena region
  kTensorSymmetric = 1 << 5,  // quantized and every zero point is 0
};

struct Tensor {
  uint8_t* data;          // null for tensors nothing reads or writes
  const int32_t* dims;    // `rank` entries, in the model bytes
  const float* scales;    // per-channel scales (num_scales entries) or null
  const char* name;       // in the model bytes; may be empty, never null
  int32_t bytes;          // element count x DTypeSize
  float scale;            // per-tensor scale (first of `scales`), 0 if none
  int32_t zero_point;     // per-tensor zero point (first entry), 0 if none
  int32_t num_scales;     // 0 = not quantized, 1 = per tensor, >1 per channel
  int32_t arena_offset;   // planned offset, -1 if not planned
  int16_t first_use;      // op index that writes it (-1: before the first op)
  int16_t last_use;       // op index of the last read (num_ops: after the last)
  int16_t alias_of;       // >= 0: shares the memory of that tensor (in-place op)
  uint8_t rank;
  DType type;
  uint8_t flags;
  uint8_t quantized_dimension;

  int32_t dim(int i) const { return dims[i]; }
  int32_t elements() const {
    int32_t n = 1;
    for (int i = 0; i < rank; ++i) n *= dims[i];
    return n;
  }
  bool is_constant() const { return (flags & kTensorConstant) != 0; }
  template <typename T>
  T* as() { return reinterpret_cast<T*>(data); }
  template <typename T>
  const T* as() const { return reinterpret_cast<const T*>(data); }
};

}  // namespace mote

#endif  // MOTE_TENSOR_H_
