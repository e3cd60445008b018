// Helpers shared by the model-level tests.
#ifndef MOTE_TESTS_TEST_UTIL_H_
#define MOTE_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

namespace mote {
namespace test {

// ../shared next to the repo (or $MOTE_SHARED_DIR); empty if absent.
std::string SharedDir();
std::string SourceDir();
bool FileExists(const std::string& path);
std::vector<uint8_t> ReadBytes(const std::string& path);
std::vector<uint8_t> FromHex(const std::string& hex);

}  // namespace test
}  // namespace mote

// Skips the current test with a message when ../shared is absent.
#define MOTE_REQUIRE_SHARED()                                                        \
  do {                                                                               \
    if (::mote::test::SharedDir().empty()) {                                         \
      GTEST_SKIP() << "../shared/models not found: skipping tests on public models"; \
    }                                                                                \
  } while (0)

#endif  // MOTE_TESTS_TEST_UTIL_H_
