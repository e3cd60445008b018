#include "test_util.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace mote {
namespace test {

std::string SourceDir() { return MOTE_SOURCE_DIR; }

bool FileExists(const std::string& path) {
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  fclose(f);
  return true;
}

std::string SharedDir() {
  const char* env = getenv("MOTE_SHARED_DIR");
  std::string dir = env != nullptr ? env : SourceDir() + "/../shared";
  return FileExists(dir + "/models/manifest.json") ? dir : std::string();
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::vector<uint8_t> out;
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  uint8_t buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.insert(out.end(), buf, buf + n);
  fclose(f);
  return out;
}

std::vector<uint8_t> FromHex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
  }
  return out;
}

}  // namespace test
}  // namespace mote
