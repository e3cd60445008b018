#include "hostile/model_edit.h"

#include <flatbuffers/flatbuffers.h>

#include <cstdlib>

#include "test_util.h"

namespace mote {
namespace hostile {

AlignedBytes LoadBundled(const std::string& name) {
  AlignedBytes bytes;
  std::string error;
  cli::ReadFile(test::SourceDir() + "/models/" + name + ".tflite", &bytes, &error);
  return bytes;
}

AlignedBytes Copy(const uint8_t* data, size_t size) {
  AlignedBytes out(size);
  if (size > 0) memcpy(out.data(), data, size);
  return out;
}

std::unique_ptr<tflite_edit::ModelT> Unpack(const AlignedBytes& bytes) {
  return std::unique_ptr<tflite_edit::ModelT>(tflite_edit::GetModel(bytes.data())->UnPack());
}

AlignedBytes Pack(const tflite_edit::ModelT& model) {
  flatbuffers::FlatBufferBuilder fbb;
  tflite_edit::FinishModelBuffer(fbb, tflite_edit::Model::Pack(fbb, &model));
  return Copy(fbb.GetBufferPointer(), fbb.GetSize());
}

void PokeBytes(AlignedBytes* bytes, ptrdiff_t offset, const void* value, size_t size) {
  if (offset < 0 || static_cast<size_t>(offset) + size > bytes->size()) abort();
  memcpy(bytes->data() + offset, value, size);
}

ptrdiff_t FieldOffset(const AlignedBytes& bytes, const void* table, uint16_t vt) {
  const uint8_t* p = reinterpret_cast<const flatbuffers::Table*>(table)->GetAddressOf(vt);
  return p != nullptr ? p - bytes.data() : -1;
}

}  // namespace hostile
}  // namespace mote
