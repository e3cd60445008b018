// Host-side file loading for the CLI and tests (heap is fine off-device).
#ifndef MOTE_TOOLS_CLI_MODEL_FILE_H_
#define MOTE_TOOLS_CLI_MODEL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mote {
namespace cli {

// Bytes with 16-byte aligned storage (models must be aligned).
class AlignedBytes {
 public:
  AlignedBytes() = default;
  explicit AlignedBytes(size_t size);
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<uint64_t[]> storage_;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Reads a whole file; false with *error set on failure.
bool ReadFile(const std::string& path, AlignedBytes* out, std::string* error);

std::string Hex(const uint8_t* data, size_t size);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_MODEL_FILE_H_
