// mote: the body of the model fuzzer (tests/fuzz/fuzz_model.cc), shared with
// the regression replay in tests/hostile_test.cc.
#ifndef MOTE_TESTS_FUZZ_FUZZ_HARNESS_H_
#define MOTE_TESTS_FUZZ_FUZZ_HARNESS_H_

#include <cstddef>
#include <cstdint>

#include "mote/mote.h"

namespace mote {
namespace fuzz {

// Arena every run gets (fixed, as on a device).
constexpr size_t kArenaBytes = 1 << 20;

// Every op mote implements, plus a stub (prepare accepts anything, eval does
// nothing) for each builtin of mote's op list that is not registered yet, so
// that fuzzed models always reach tensor verification, graph checks, the
// planner and whichever real ops exist.
const OpRegistry& FuzzRegistry();

// Stubs only, for every builtin of mote's op list (versions 1..kStubMaxVersion):
// checks of the format and the graph, independent of the ops' own checks.
constexpr int kStubMaxVersion = 12;
const OpRegistry& StubRegistry();

// One fuzz input: the bytes are the model. When Init succeeds, every input
// tensor is filled from the end of `data` backwards (so appended bytes
// steer the inputs), the kernels are chosen by the last byte's low bit, and
// Invoke runs once. Returns Init's status.
Status RunOne(const uint8_t* data, size_t size);

}  // namespace fuzz
}  // namespace mote

#endif  // MOTE_TESTS_FUZZ_FUZZ_HARNESS_H_
