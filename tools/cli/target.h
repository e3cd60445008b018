// Runs a model on an emulated Cortex-M core: starts QEMU with the model
// runner firmware (firmware/runner/runner.cc, built by the cortex-m4 /
// cortex-m55 presets) and the instruction-counting plugin
// (tools/qemu_plugin/icount.c, built by the host preset), and turns the
// firmware's JSON line and the plugin's marker log into counts.
//
// Instruction counts. The plugin logs the running instruction count at each
// call of the firmware's marker (mote_mark). A region's count is the
// difference of its two log lines minus the framing constant, which the
// firmware measures in the same run on an empty region (two back-to-back
// marker calls from C: `movs r0, #id; bl mote_mark; nop; bx lr` = 4 on both
// cores). What remains of the invoke region is everything Invoke() executes,
// including its call and return (a few instructions).
// Per-op counts come from a second, profiled invoke (never the timed one):
// each node's region (framing subtracted too) also holds the profiler's
// dispatch around the node: 13 instructions in the current build (return from
// the begin hook, loading and calling eval, loading, checking and calling the
// end hook, which tail-calls the marker), 9 of which the unprofiled loop also
// spends per node. So the per-op sum exceeds `instructions` by ~4 per op.
//
// Where things are found (first match wins):
//   firmware: TargetOptions::firmware (--firmware), $MOTE_FIRMWARE_CORTEX_M4 /
//             $MOTE_FIRMWARE_CORTEX_M55, then build/<target>/firmware/mote_runner.elf
//             next to the CLI's build folder (<cli dir>/../<target>/...), then
//             under the repository root the CLI was built from;
//   plugin:   TargetOptions::plugin (--plugin), $MOTE_ICOUNT_PLUGIN,
//             <cli dir>/tools/qemu_plugin/libicount.so, <repo>/build/host/...;
//   qemu:     $MOTE_QEMU, else qemu-system-arm on PATH.
#ifndef MOTE_TOOLS_CLI_TARGET_H_
#define MOTE_TOOLS_CLI_TARGET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "mote/interpreter.h"

namespace mote {
namespace cli {

struct TargetOptions {
  std::string target;    // "cortex-m4" or "cortex-m55"
  std::string firmware;  // path to mote_runner.elf; empty: find it
  std::string plugin;    // path to libicount.so; empty: find it
  bool profile = true;   // per-op counts (one more invoke)
  int timeout_seconds = 900;
};

// Sizes of a firmware image, as `arm-none-eabi-size` (Berkeley) counts them,
// except that the stack sections (.stack, .stack_guard) are taken out of
// `bss` and reported as `stack`. The model buffer and the arena are not
// sections (they are the memory left over), so they count nowhere.
struct ElfSizes {
  uint64_t text = 0;   // code + read-only data (+ .data's load image is not here)
  uint64_t data = 0;   // initialized read-write data
  uint64_t bss = 0;    // zeroed data
  uint64_t stack = 0;  // main stack (+ guard page on mps2-an386)
};

struct TargetOp {
  int index = 0;
  std::string op;      // builtin name
  std::string kernel;  // the variant the firmware chose
  int64_t instructions = 0;
};

struct TargetResult {
  std::string target;    // cortex-m4 / cortex-m55
  std::string board;     // mps2-an386 / mps3-an547
  std::string firmware;  // ELF path used
  std::string kernels;   // reference / optimized
  std::vector<std::string> output_hex;
  int64_t model_bytes = 0;
  int64_t arena_bytes = 0;  // on the target (32-bit tables)
  int64_t arena_persistent = 0;
  int64_t arena_planned = 0;
  int64_t framing = 0;            // empty-region difference (subtracted below)
  int64_t instructions = -1;      // per invoke
  int64_t init_instructions = -1; // Interpreter::Init on the exact arena
  int64_t profiled_instructions = -1;  // the profiled invoke (hooks included), -1 if none
  std::vector<TargetOp> ops;      // empty without profiling
  ElfSizes sizes;
  double seconds = 0;             // QEMU wall time
};

bool IsCortexTarget(const std::string& target);
// QEMU board for a target ("" if unknown).
const char* TargetBoard(const std::string& target);

// Paths (empty with *error set when not found).
std::string FindFirmware(const TargetOptions& options, std::string* error);
std::string FindPlugin(const TargetOptions& options, std::string* error);
std::string FindQemu(std::string* error);
// The repository root this CLI belongs to ("" if unknown), and the shared
// data folder ($MOTE_SHARED_DIR, else <repo>/../shared; "" if absent).
std::string RepoRoot();
std::string SharedDir();

// Reads a 32-bit little-endian ARM ELF: its sizes and the address of a symbol
// (0 if absent). False with *error set if the file is not such an ELF.
bool ReadElf(const std::string& path, const std::string& symbol, ElfSizes* sizes,
             uint32_t* symbol_address, std::string* error);

// Runs one inference of `model` on the target. `inputs`: raw bytes of each
// input in order (empty: zero points). False with *error set on any failure
// (missing firmware, plugin or QEMU, firmware error, timeout).
bool RunOnTarget(const std::string& model, const std::vector<std::string>& inputs,
                 KernelChoice kernels, const TargetOptions& options, TargetResult* result,
                 std::string* error);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_TARGET_H_
