// mote tests: deriving hostile models from the bundled ones. Two ways:
//  - the flatbuffers object API (tflite_edit::ModelT, generated from a copy of
//    schema/tflite.fbs in its own namespace): unpack, change fields, pack;
//  - byte patches at field locations found through the library's generated
//    accessors (for what the object API cannot express: truncation, bad
//    offsets, misaligned or overlapping data).
// Heap and std::vector are fine here: this is test code.
#ifndef MOTE_TESTS_HOSTILE_MODEL_EDIT_H_
#define MOTE_TESTS_HOSTILE_MODEL_EDIT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "model_file.h"
#include "tflite_edit_generated.h"

namespace mote {
namespace hostile {

using cli::AlignedBytes;

// models/<name>.tflite from the source tree.
AlignedBytes LoadBundled(const std::string& name);
AlignedBytes Copy(const uint8_t* data, size_t size);

std::unique_ptr<tflite_edit::ModelT> Unpack(const AlignedBytes& bytes);
AlignedBytes Pack(const tflite_edit::ModelT& model);

// Offset in `bytes` of field `vt` (a VT_* constant) of the table at `table`
// (a pointer obtained from the tflite:: accessors on `bytes`); -1 when the
// field is absent (left at its default).
ptrdiff_t FieldOffset(const AlignedBytes& bytes, const void* table, uint16_t vt);
// Offset of an object inside `bytes`.
inline ptrdiff_t OffsetOf(const AlignedBytes& bytes, const void* p) {
  return static_cast<const uint8_t*>(p) - bytes.data();
}

// Writes `size` bytes at `offset` (out of line: GCC's -Wstringop-overflow
// misreads the inlined arithmetic on the model's base pointer).
void PokeBytes(AlignedBytes* bytes, ptrdiff_t offset, const void* value, size_t size);
template <typename T>
void Poke(AlignedBytes* bytes, ptrdiff_t offset, T value) {
  PokeBytes(bytes, offset, &value, sizeof(T));
}
template <typename T>
T Peek(const AlignedBytes& bytes, ptrdiff_t offset) {
  T value;
  memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

}  // namespace hostile
}  // namespace mote

#endif  // MOTE_TESTS_HOSTILE_MODEL_EDIT_H_
