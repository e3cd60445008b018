// mote: what an op implementation sees. Internal to the library.
//
// An op is one OpRegistration: a builtin code, the versions it accepts and a
// `prepare` function. Prepare runs once, in Interpreter::Init; it
//   1. validates input/output counts, dtypes, shapes (the output shape must
//      equal what the inputs and options imply) and quantization,
//   2. requests scratch bytes (ctx.RequestScratch),
//   3. allocates its parameter block(s) (ctx.AllocPersistent), then checks
//      them all at once: `if (!p) return ctx.OutOfArena();` — request
//      everything before checking, so that a too-small arena still reports
//      the exact number of bytes needed,
//   4. precomputes everything invoke needs (multipliers, shifts, offsets,
//      activation ranges) and chooses a kernel variant: sets node.eval,
//      node.params and node.variant.
// Eval functions never fail and never allocate.
#ifndef MOTE_RUNTIME_KERNEL_API_H_
#define MOTE_RUNTIME_KERNEL_API_H_

#include <cstddef>
#include <cstdint>

#include "mote/interpreter.h"
#include "mote/status.h"
#include "mote/tensor.h"

namespace tflite {
struct Operator;
}

namespace mote {

struct Node;
using EvalFn = void (*)(const Node& node, Tensor* tensors);

struct Node {
  const int32_t* inputs;    // tensor indices (-1 = optional input absent)
  const int32_t* outputs;
  const void* params;       // op-specific, set by prepare
  EvalFn eval;              // set by prepare
  const char* variant;      // name of the chosen kernel ("reference", ...)
  const struct OpRegistration* reg;
  uint8_t* scratch;         // bound after planning; null if none requested
  int32_t scratch_bytes;
  int32_t scratch_offset;   // planned offset, -1 if none
  int32_t builtin;          // TFLite BuiltinOperator
  int16_t index;
  uint8_t num_inputs;
  uint8_t num_outputs;
  uint8_t version;
  bool output_in_place;     // output 0 may share input 0's memory
  // Streaming overlap (AllowOutputOverlap): >= 0 when output 0 may overlap
  // input 0 with the output starting at least this many bytes below it;
  // -1 when not. overlap_input is what Init made of it: the buffer (tensor
  // index) output 0 may overlap, -1 for none.
  int32_t overlap_gap = -1;
  int32_t overlap_align = 1;
  int32_t overlap_input = -1;

  const Tensor& input(const Tensor* tensors, int i) const { return tensors[inputs[i]]; }
  Tensor& output(Tensor* tensors, int i) const { return tensors[outputs[i]]; }
  bool has_input(int i) const { return i < num_inputs && inputs[i] >= 0; }
};

class PrepareContext;

struct OpRegistration {
  int32_t builtin;       // TFLite BuiltinOperator value
  uint8_t min_version;   // versions accepted, inclusive
  uint8_t max_version;
  Status (*prepare)(PrepareContext& ctx);
};

// Handed to prepare. Valid only during Interpreter::Init.
class PrepareContext {
 public:
  PrepareContext(const tflite::Operator* op, Node* node, Tensor* tensors,
                 KernelChoice kernels, class PersistentAllocator* alloc)
      : op_(op), node_(node), tensors_(tensors), kernels_(kernels), alloc_(alloc) {}

  const tflite::Operator& op() const { return *op_; }
  Node& node() { return *node_; }
  Tensor* tensors() { return tensors_; }
  int num_inputs() const { return node_->num_inputs; }
  int num_outputs() const { return node_->num_outputs; }
  bool has_input(int i) const { return node_->has_input(i); }
  Tensor& input(int i) { return tensors_[node_->inputs[i]]; }
  Tensor& output(int i) { return tensors_[node_->outputs[i]]; }
  int input_index(int i) const { return node_->inputs[i]; }
  int output_index(int i) const { return node_->outputs[i]; }
  bool reference_only() const { return kernels_ == KernelChoice::kReference; }

  // Memory that lives as long as the interpreter, aligned to `align`.
  // Returns null when the arena is exhausted (the request is still counted).
  void* AllocPersistent(size_t bytes, size_t align = 8);
  template <typename T>
  T* AllocPersistent(size_t count = 1) {
    return static_cast<T*>(AllocPersistent(sizeof(T) * count, alignof(T) < 4 ? 4 : alignof(T)));
  }
  // Scratch for this node's eval, valid only during that eval (node.scratch).
  // Requests beyond int32 are clamped (Init then refuses the plan).
  void RequestScratch(size_t bytes) {
    node_->scratch_bytes = static_cast<int32_t>(bytes > 0x7fffffffu ? 0x7fffffffu : bytes);
  }

  // Declares that output 0 may live in input 0's memory: the op's eval is
  // correct when both point at the same bytes (e.g. RESHAPE, which then
  // copies nothing). The planner decides; eval must handle both cases.
  void AllowOutputInPlace() { node_->output_in_place = true; }

  // Declares that output 0 may overlap input 0 when it starts at least
  // `gap` bytes below it (input at arena offset x, output at <= x - gap):
  // the kernel reads and writes in an order that never overwrites an input
  // byte it has still to read (see ops::StreamingGap). The planner uses it
  // only when input 0 dies at this op; eval must be correct either way.
  // With `align` > 1, also (input offset - output offset) % align == 0.
  void AllowOutputOverlap(int32_t gap, int32_t align = 1) {
    node_->overlap_gap = gap < 0 || align < 1 ? -1 : gap;
    node_->overlap_align = align;
  }

  // Sets the kernel this node runs.
  void SetKernel(EvalFn eval, const void* params, const char* variant) {
    node_->eval = eval;
    node_->params = params;
    node_->variant = variant;
  }

  // "op 3 (CONV_2D): <message>", kInvalidModel unless another code is given.
  Status Error(const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;
  Status Unsupported(const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;
  Status OutOfArena();

 private:
  const tflite::Operator* op_;
  Node* node_;
  Tensor* tensors_;
  KernelChoice kernels_;
  class PersistentAllocator* alloc_;
};

}  // namespace mote

#endif  // MOTE_RUNTIME_KERNEL_API_H_
