#include "model_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace mote {
namespace cli {

AlignedBytes::AlignedBytes(size_t size)
    : storage_(new uint64_t[(size + 15) / 8 + 2]()), size_(size) {
  uintptr_t p = reinterpret_cast<uintptr_t>(storage_.get());
  p = (p + 15) & ~uintptr_t{15};
  data_ = reinterpret_cast<uint8_t*>(p);
}

bool ReadFile(const std::string& path, AlignedBytes* out, std::string* error) {
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = path + ": " + strerror(errno);
    return false;
  }
  if (fseek(f, 0, SEEK_END) != 0) {
    *error = path + ": cannot seek";
    fclose(f);
    return false;
  }
  const long size = ftell(f);
  if (size < 0) {
    *error = path + ": cannot tell size";
    fclose(f);
    return false;
  }
  rewind(f);
  AlignedBytes bytes(static_cast<size_t>(size));
  const size_t got = size > 0 ? fread(bytes.data(), 1, static_cast<size_t>(size), f) : 0;
  fclose(f);
  if (got != static_cast<size_t>(size)) {
    *error = path + ": short read";
    return false;
  }
  *out = std::move(bytes);
  return true;
}

std::string Hex(const uint8_t* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    s[2 * i] = kDigits[data[i] >> 4];
    s[2 * i + 1] = kDigits[data[i] & 15];
  }
  return s;
}

}  // namespace cli
}  // namespace mote
