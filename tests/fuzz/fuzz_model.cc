// libFuzzer target: the fuzz input is a .tflite model (the bundled models are
// the seed corpus). Init must reject every malformed model cleanly; a model
// it accepts is invoked once. Build and run: tests/fuzz/run_fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)mote::fuzz::RunOne(data, size);
  return 0;
}
