// The library's structural check of a model (see format/model.h): the
// flatbuffers verifier. Apart from model.cc so that an application that
// verified its model when it was built can replace it (and not link it).
#include "format/model.h"
#include "tflite_generated.h"

namespace mote {
namespace format {
namespace {

const char* FlatbufferVerify(const uint8_t* bytes, size_t size) {
  flatbuffers::Verifier verifier(bytes, size, /*max_depth=*/64, /*max_tables=*/1000000);
  if (!tflite::VerifyModelBuffer(verifier)) {
    return "flatbuffer verification failed (offsets, sizes or alignment are out of bounds: "
           "truncated or corrupted file)";
  }
  return nullptr;
}

}  // namespace

const StructureCheck kCheckStructure = FlatbufferVerify;

}  // namespace format
}  // namespace mote
