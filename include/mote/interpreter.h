// mote: run one model from one caller-provided arena.
//
//   mote::OpRegistry ops;            // register what the model uses
//   ops.Add(mote::ops::Conv2D()); ...
//   alignas(16) static uint8_t arena[64 * 1024];
//   mote::Interpreter interp;
//   mote::Status s = interp.Init(model_bytes, model_size, ops, arena, sizeof(arena));
//   if (!s.ok()) { puts(s.message()); ... }
//   memcpy(interp.input(0)->data, ..., interp.input(0)->bytes);
//   interp.Invoke();
//
// Init verifies the model, resolves every op, prepares every node (all
// parameters precomputed, kernel variants chosen), plans the arena and binds
// tensors. Everything that can fail fails there; Invoke only computes. The
// model bytes must stay valid (and unchanged) for the interpreter's lifetime;
// weights are read in place. No heap is used.
//
// Inputs are consumed: as in TFLM, an input tensor's memory is reused once
// the ops that read it are done (a streaming op may even write its output
// over it while it runs), so write the inputs before every Invoke. Outputs
// stay valid until the next Invoke.
#ifndef MOTE_INTERPRETER_H_
#define MOTE_INTERPRETER_H_

#include <cstddef>
#include <cstdint>

#include "mote/op_registry.h"
#include "mote/status.h"
#include "mote/tensor.h"

namespace mote {

enum class KernelChoice : uint8_t {
  kOptimized = 0,  // the first applicable optimized variant, else reference
  kReference = 1,  // always the reference kernel (the spec)
};

// Called around every node of Invoke when set (for per-op profiling).
struct Profiler {
  void (*begin)(void* user, int node_index) = nullptr;
  void (*end)(void* user, int node_index) = nullptr;
  void* user = nullptr;
};

struct InterpreterOptions {
  KernelChoice kernels = KernelChoice::kOptimized;
  const Profiler* profiler = nullptr;
  // Keep every activation alive to the end of Invoke (no memory reuse), so
  // tools can read intermediate tensors. Costs arena.
  bool preserve_all_tensors = false;
};

struct Node;  // defined in src/runtime/kernel_api.h

// Where the arena's bytes go.
struct ArenaUsage {
  size_t persistent = 0;   // tensor and node tables, op parameters
  size_t planned = 0;      // activations + scratch (the planner's peak)
  size_t total() const { return persistent + planned; }
};

class Interpreter {
 public:
  // Arena alignment Init needs (it aligns a misaligned arena up itself).
  static constexpr size_t kArenaAlignment = 16;

  Interpreter() = default;
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  Status Init(const void* model, size_t model_bytes, const OpRegistry& ops,
              void* arena, size_t arena_bytes,
              const InterpreterOptions& options = InterpreterOptions());

  // Runs every node in order. Before Init succeeded, returns an error. The
  // input tensors' contents are not preserved (see the top of the file).
  Status Invoke();

  bool initialized() const { return initialized_; }
  size_t num_inputs() const { return num_inputs_; }
  size_t num_outputs() const { return num_outputs_; }
  Tensor* input(size_t i);
  Tensor* output(size_t i);
  int input_index(size_t i) const;
  int output_index(size_t i) const;

  // All tensors and nodes, for tools (inspect, profile, compare).
  size_t num_tensors() const { return num_tensors_; }
  const Tensor& tensor(size_t i) const { return tensors_[i]; }
  size_t num_nodes() const { return num_nodes_; }
  const Node& node(size_t i) const;

  ArenaUsage arena_usage() const { return usage_; }
  size_t arena_bytes_used() const { return usage_.total(); }

  // Resets variable (state) tensors to their zero point.
  void ResetVariables();

 private:
  Status Prepare(const OpRegistry& ops, const InterpreterOptions& options);

  const uint8_t* model_ = nullptr;
  size_t model_size_ = 0;
  const void* subgraph_ = nullptr;  // tflite::SubGraph
  uint8_t* arena_ = nullptr;
  size_t arena_size_ = 0;
  Tensor* tensors_ = nullptr;
  Node* nodes_ = nullptr;
  size_t num_tensors_ = 0;
  size_t num_nodes_ = 0;
  const int32_t* inputs_ = nullptr;
  const int32_t* outputs_ = nullptr;
  size_t num_inputs_ = 0;
  size_t num_outputs_ = 0;
  ArenaUsage usage_;
  const Profiler* profiler_ = nullptr;
  bool initialized_ = false;
};

}  // namespace mote

#endif  // MOTE_INTERPRETER_H_
