#include "mote/interpreter.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "format/model.h"
#include "plan/planner.h"
#include "runtime/kernel_api.h"
#include "runtime/persistent_allocator.h"
#include "tflite_generated.h"

namespace mote {
namespace {

// The planner's view of the interpreter's tables: first every tensor that
// lives in the planned region, then every node's scratch.
class TableBuffers : public plan::BufferSet {
 public:
  TableBuffers(Tensor* tensors, size_t num_tensors, Node* nodes, size_t num_nodes)
      : tensors_(tensors), num_tensors_(num_tensors), nodes_(nodes), num_nodes_(num_nodes) {}
  size_t count() const override { return num_tensors_ + num_nodes_; }
  plan::Buffer get(size_t i) const override {
    if (i < num_tensors_) {
      const Tensor& t = tensors_[i];
      if (!(t.flags & kTensorPlanned) || t.alias_of >= 0) return plan::Buffer{0, 0, 0, -1};
      plan::Buffer b{t.bytes, t.first_use, t.last_use, t.arena_offset};
      if (t.first_use >= 0 && static_cast<size_t>(t.first_use) < num_nodes_) {
        const Node& producer = nodes_[t.first_use];
        if (producer.overlap_input >= 0 && producer.outputs[0] == static_cast<int32_t>(i)) {
          b.partner = producer.overlap_input;
          b.gap = producer.overlap_gap;
          b.gap_align = producer.overlap_align;
        }
      }
      return b;
    }
    const Node& n = nodes_[i - num_tensors_];
    return plan::Buffer{n.scratch_bytes, n.index, n.index, n.scratch_offset};
  }
  void set_offset(size_t i, int32_t offset) override {
    if (i < num_tensors_) {
      tensors_[i].arena_offset = offset;
    } else {
      nodes_[i - num_tensors_].scratch_offset = offset;
    }
  }

 private:
  Tensor* tensors_;
  size_t num_tensors_;
  Node* nodes_;
  size_t num_nodes_;
};

// Appends printf-style text to a fixed buffer, never overflowing.
struct TextBuilder {
  char* buf;
  size_t size;
  size_t len = 0;
  void Append(const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
  {
    if (len + 1 >= size) return;
    va_list args;
    va_start(args, fmt);
    const int n = vsnprintf(buf + len, size - len, fmt, args);
    va_end(args);
    if (n > 0) len = (len + static_cast<size_t>(n) < size) ? len + n : size - 1;
  }
};

const tflite::SubGraph& Subgraph(const void* sg) {
  return *static_cast<const tflite::SubGraph*>(sg);
}

}  // namespace

// ---- PrepareContext -------------------------------------------------------

void* PrepareContext::AllocPersistent(size_t bytes, size_t align) {
  return alloc_->Allocate(bytes, align);
}

static Status NodeError(StatusCode code, const Node& node, const char* fmt, va_list args) {
  char detail[Status::kMaxMessage];
  vsnprintf(detail, sizeof(detail), fmt, args);
  return Status::Error(code, "op %d (%s v%d): %s", node.index, BuiltinName(node.builtin),
                       node.version, detail);
}

Status PrepareContext::Error(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = NodeError(StatusCode::kInvalidModel, *node_, fmt, args);
  va_end(args);
  return s;
}

Status PrepareContext::Unsupported(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  Status s = NodeError(StatusCode::kUnsupported, *node_, fmt, args);
  va_end(args);
  return s;
}

Status PrepareContext::OutOfArena() {
  return Status::Error(StatusCode::kArenaTooSmall, "op %d (%s): out of arena", node_->index,
                       BuiltinName(node_->builtin));
}

// ---- Interpreter ----------------------------------------------------------

Tensor* Interpreter::input(size_t i) {
  return (initialized_ && i < num_inputs_) ? &tensors_[inputs_[i]] : nullptr;
}
Tensor* Interpreter::output(size_t i) {
  return (initialized_ && i < num_outputs_) ? &tensors_[outputs_[i]] : nullptr;
}
int Interpreter::input_index(size_t i) const { return i < num_inputs_ ? inputs_[i] : -1; }
int Interpreter::output_index(size_t i) const { return i < num_outputs_ ? outputs_[i] : -1; }
const Node& Interpreter::node(size_t i) const { return nodes_[i]; }

Status Interpreter::Init(const void* model, size_t model_bytes, const OpRegistry& ops, void* arena,
                         size_t arena_bytes, const InterpreterOptions& options) {
  initialized_ = false;
  usage_ = ArenaUsage();
  tensors_ = nullptr;
  nodes_ = nullptr;
  num_tensors_ = num_nodes_ = num_inputs_ = num_outputs_ = 0;
  if (arena == nullptr) return Status::Error(StatusCode::kInvalidArgument, "arena: null pointer");

  const tflite::Model* m = nullptr;
  MOTE_RETURN_IF_ERROR(format::VerifyModel(model, model_bytes, &m));
  model_ = static_cast<const uint8_t*>(model);
  model_size_ = model_bytes;
  subgraph_ = m->subgraphs()->Get(0);

  // Align the arena: start up, end down.
  const uintptr_t start = reinterpret_cast<uintptr_t>(arena);
  const uintptr_t aligned_start = (start + kArenaAlignment - 1) & ~(uintptr_t{kArenaAlignment} - 1);
  const uintptr_t end = start + arena_bytes;
  const uintptr_t aligned_end = end & ~(uintptr_t{kArenaAlignment} - 1);
  arena_ = reinterpret_cast<uint8_t*>(aligned_start);
  arena_size_ = aligned_end > aligned_start ? aligned_end - aligned_start : 0;

  Status s = Prepare(ops, options);
  if (!s.ok()) return s;
  initialized_ = true;
  return Status::Ok();
}

Status Interpreter::Prepare(const OpRegistry& ops, const InterpreterOptions& options) {
  const tflite::Model* m = tflite::GetModel(model_);
  const tflite::SubGraph& sg = Subgraph(subgraph_);
  const auto& fb_tensors = *sg.tensors();
  const auto& fb_ops = *sg.operators();
  const auto& codes = *m->operator_codes();
  const size_t num_tensors = fb_tensors.size();
  const size_t num_nodes = fb_ops.size();

  // 1. Structure of every operator, and every op resolved: a model with ops
  //    mote lacks is rejected listing all of them at once. Each distinct
  //    missing (op, version) is kept in a small table, so that the work stays
  //    linear in the number of nodes whatever the model holds.
  struct MissingOp {
    int32_t builtin;
    int32_t version;
    const char* name;
  };
  constexpr int kMaxListed = 16;
  MissingOp listed[kMaxListed];
  int num_listed = 0;
  bool more_missing = false;
  char missing[Status::kMaxMessage - 64];
  TextBuilder text{missing, sizeof(missing)};
  auto same_op = [](const MissingOp& a, int32_t builtin, int32_t version, const char* name) {
    return a.builtin == builtin && a.version == version &&
           (builtin != tflite::BuiltinOperator_CUSTOM || strcmp(a.name, name) == 0);
  };
  for (size_t i = 0; i < num_nodes; ++i) {
    const tflite::Operator& op = *fb_ops.Get(i);
    if (op.opcode_index() >= codes.size()) {
      return Status::Error(StatusCode::kInvalidModel, "op %u: opcode_index %u out of range (%u codes)",
                           static_cast<unsigned>(i), op.opcode_index(), codes.size());
    }
    if (op.inputs() == nullptr || op.outputs() == nullptr) {
      return Status::Error(StatusCode::kInvalidModel, "op %u: inputs or outputs missing",
                           static_cast<unsigned>(i));
    }
    if (op.inputs()->size() > static_cast<uint32_t>(format::kMaxOpInputs) ||
        op.outputs()->size() > static_cast<uint32_t>(format::kMaxOpOutputs)) {
      return Status::Error(StatusCode::kInvalidModel, "op %u: %u inputs, %u outputs: too many",
                           static_cast<unsigned>(i), op.inputs()->size(), op.outputs()->size());
    }
    for (int32_t t : *op.inputs()) {
      if (t < -1 || t >= static_cast<int32_t>(num_tensors)) {
        return Status::Error(StatusCode::kInvalidModel, "op %u: input tensor %d out of range (%u tensors)",
                             static_cast<unsigned>(i), t, static_cast<unsigned>(num_tensors));
      }
    }
    for (int32_t t : *op.outputs()) {
      if (t < 0 || t >= static_cast<int32_t>(num_tensors)) {
        return Status::Error(StatusCode::kInvalidModel, "op %u: output tensor %d out of range (%u tensors)",
                             static_cast<unsigned>(i), t, static_cast<unsigned>(num_tensors));
      }
    }
    const tflite::OperatorCode& code = *codes.Get(op.opcode_index());
    const int32_t builtin = format::BuiltinCode(code);
    if (ops.Find(builtin, code.version()) != nullptr) continue;
    const char* name = format::OpName(code);
    bool seen = false;
    for (int k = 0; k < num_listed && !seen; ++k) seen = same_op(listed[k], builtin, code.version(), name);
    if (seen) continue;
    if (num_listed == kMaxListed) {
      more_missing = true;
      continue;
    }
    listed[num_listed++] = MissingOp{builtin, code.version(), name};
    text.Append("%s%s%s", num_listed > 1 ? "; " : "",
                builtin == tflite::BuiltinOperator_CUSTOM ? "CUSTOM:" : "", name);
    if (strcmp(name, "UNKNOWN") == 0) text.Append("(%d)", static_cast<int>(builtin));
    text.Append(" v%d (nodes", code.version());
    int count = 0;
    for (size_t j = i; j < num_nodes; ++j) {
      const uint32_t other_index = fb_ops.Get(j)->opcode_index();
      if (other_index >= codes.size()) continue;  // reported when the loop gets there
      const tflite::OperatorCode& other = *codes.Get(other_index);
      if (same_op(listed[num_listed - 1], format::BuiltinCode(other), other.version(),
                  format::OpName(other))) {
        text.Append(count++ ? ", %u" : " %u", static_cast<unsigned>(j));
      }
    }
    text.Append(")%s", ops.HasBuiltin(builtin) ? " [this version not implemented]" : "");
  }
  if (num_listed > 0) {
    if (more_missing) {
      return Status::Error(StatusCode::kUnsupported, "model uses more than %d ops mote lacks: %s",
                           num_listed, missing);
    }
    return Status::Error(StatusCode::kUnsupported, "model uses %d op%s mote lacks: %s", num_listed,
                         num_listed == 1 ? "" : "s", missing);
  }

  // 2. Subgraph inputs and outputs.
  for (int32_t t : *sg.inputs()) {
    if (t < 0 || t >= static_cast<int32_t>(num_tensors)) {
      return Status::Error(StatusCode::kInvalidModel, "subgraph input tensor %d out of range", t);
    }
  }
  for (int32_t t : *sg.outputs()) {
    if (t < 0 || t >= static_cast<int32_t>(num_tensors)) {
      return Status::Error(StatusCode::kInvalidModel, "subgraph output tensor %d out of range", t);
    }
  }

  // 3. Tables in the persistent part of the arena.
  PersistentAllocator alloc(arena_, arena_size_);
  tensors_ = static_cast<Tensor*>(alloc.Allocate(sizeof(Tensor) * num_tensors, alignof(Tensor)));
  nodes_ = static_cast<Node*>(alloc.Allocate(sizeof(Node) * num_nodes, alignof(Node)));
  if (tensors_ == nullptr || nodes_ == nullptr) {
    return Status::Error(StatusCode::kArenaTooSmall,
                         "arena too small: needs at least %lu bytes for tensor and node tables alone, "
                         "got %lu",
                         static_cast<unsigned long>(alloc.requested()),
                         static_cast<unsigned long>(arena_size_));
  }
  num_tensors_ = num_tensors;
  num_nodes_ = num_nodes;
  for (size_t i = 0; i < num_tensors; ++i) {
    MOTE_RETURN_IF_ERROR(format::ReadTensor(*m, sg, static_cast<int>(i), &tensors_[i]));
  }
  MOTE_RETURN_IF_ERROR(format::CheckConstantsDisjoint(tensors_, num_tensors));
  inputs_ = sg.inputs()->data();
  outputs_ = sg.outputs()->data();
  num_inputs_ = sg.inputs()->size();
  num_outputs_ = sg.outputs()->size();
  for (size_t i = 0; i < num_inputs_; ++i) {
    Tensor& t = tensors_[inputs_[i]];
    if (t.is_constant()) {
      return Status::Error(StatusCode::kInvalidModel, "subgraph input %u (tensor %d) is a constant",
                           static_cast<unsigned>(i), inputs_[i]);
    }
    t.flags |= kTensorInput;
  }
  for (size_t i = 0; i < num_outputs_; ++i) tensors_[outputs_[i]].flags |= kTensorOutput;

  // 4. Graph order and lifetimes: every tensor an op reads must exist when
  //    it runs; each tensor is written by at most one op, never a constant
  //    or a subgraph input.
  const int16_t kEnd = static_cast<int16_t>(num_nodes);
  for (size_t i = 0; i < num_tensors; ++i) {
    Tensor& t = tensors_[i];
    const bool available = t.is_constant() || (t.flags & (kTensorInput | kTensorVariable));
    t.first_use = available ? -1 : kEnd;  // kEnd = "not yet written"
    t.last_use = -1;
  }
  for (size_t i = 0; i < num_nodes; ++i) {
    const tflite::Operator& op = *fb_ops.Get(i);
    const int16_t idx = static_cast<int16_t>(i);
    for (int32_t ti : *op.inputs()) {
      if (ti < 0) continue;
      Tensor& t = tensors_[ti];
      if (t.first_use == kEnd) {
        return Status::Error(StatusCode::kInvalidModel,
                             "op %u reads tensor %d ('%s') before any op writes it",
                             static_cast<unsigned>(i), ti, t.name);
      }
      t.last_use = idx;
    }
    for (int32_t ti : *op.outputs()) {
      Tensor& t = tensors_[ti];
      if (t.is_constant() || (t.flags & kTensorInput)) {
        return Status::Error(StatusCode::kInvalidModel,
                             "op %u writes tensor %d ('%s'), which is a %s", static_cast<unsigned>(i),
                             ti, t.name, t.is_constant() ? "constant" : "subgraph input");
      }
      if (t.flags & kTensorVariable) continue;  // state: written in place
      if (t.first_use != kEnd) {
        return Status::Error(StatusCode::kInvalidModel, "op %u writes tensor %d ('%s') a second time",
                             static_cast<unsigned>(i), ti, t.name);
      }
      t.first_use = idx;
      if (t.last_use < idx) t.last_use = idx;
    }
  }
  for (size_t i = 0; i < num_outputs_; ++i) {
    Tensor& t = tensors_[outputs_[i]];
    if (t.first_use == kEnd) {
      return Status::Error(StatusCode::kInvalidModel, "subgraph output %u (tensor %d) is never written",
                           static_cast<unsigned>(i), outputs_[i]);
    }
  }
  for (size_t i = 0; i < num_tensors; ++i) {
    Tensor& t = tensors_[i];
    if (t.is_constant()) continue;
    const bool io = (t.flags & (kTensorInput | kTensorOutput | kTensorVariable)) != 0;
    if (t.first_use == kEnd && !io) continue;  // never written, never read: unused
    if (t.last_use < 0 && !io) t.last_use = t.first_use;  // written, never read
    if (t.flags & (kTensorOutput | kTensorVariable)) t.last_use = kEnd;
    if (t.flags & kTensorVariable) t.first_use = -1;
    if (options.preserve_all_tensors) t.last_use = kEnd;
    t.flags |= kTensorPlanned;
  }

  // 5. Nodes: resolve and prepare. After an out-of-arena failure the rest
  //    are still prepared so that the arena size reported is exact.
  bool out_of_arena = false;
  for (size_t i = 0; i < num_nodes; ++i) {
    const tflite::Operator& op = *fb_ops.Get(i);
    const tflite::OperatorCode& code = *codes.Get(op.opcode_index());
    Node& n = nodes_[i];
    n = Node{};
    n.inputs = op.inputs()->data();
    n.outputs = op.outputs()->data();
    n.num_inputs = static_cast<uint8_t>(op.inputs()->size());
    n.num_outputs = static_cast<uint8_t>(op.outputs()->size());
    n.builtin = format::BuiltinCode(code);
    n.version = static_cast<uint8_t>(code.version() > 255 ? 255 : code.version());
    n.index = static_cast<int16_t>(i);
    n.scratch_offset = -1;
    n.reg = ops.Find(n.builtin, code.version());
    PrepareContext ctx(&op, &n, tensors_, options.kernels, &alloc);
    Status s = n.reg->prepare(ctx);
    if (s.code() == StatusCode::kArenaTooSmall) {
      out_of_arena = true;
      continue;
    }
    if (!s.ok()) return s;
    if (n.scratch_bytes < 0) return ctx.Error("negative scratch request");
    if (n.eval == nullptr && !out_of_arena) {
      return Status::Error(StatusCode::kInternal, "op %u (%s): prepare chose no kernel",
                           static_cast<unsigned>(i), BuiltinName(n.builtin));
    }
  }

  // 6. In-place outputs: when a node allows it and its input 0 is an
  //    activation that nothing reads after this node (and that is not a
  //    subgraph output), the output takes over the input's memory. The
  //    merged buffer lives from the input's first use to the output's last.
  for (size_t i = 0; i < num_nodes; ++i) {
    const Node& n = nodes_[i];
    if (!n.output_in_place || n.num_inputs < 1 || n.num_outputs < 1 || n.inputs[0] < 0) continue;
    Tensor& out = tensors_[n.outputs[0]];
    int32_t root = n.inputs[0];
    while (tensors_[root].alias_of >= 0) root = tensors_[root].alias_of;
    Tensor& in = tensors_[n.inputs[0]];
    Tensor& base = tensors_[root];
    const uint8_t kKeep = kTensorOutput | kTensorVariable;
    if (!(in.flags & kTensorPlanned) || !(out.flags & kTensorPlanned) || (in.flags & kKeep) ||
        (out.flags & kTensorVariable) || in.last_use != n.index || in.bytes != out.bytes ||
        base.last_use != n.index || out.bytes == 0) {
      continue;
    }
    out.alias_of = static_cast<int16_t>(root);
    base.last_use = out.last_use;
  }

  // 6b. Streaming overlap: an output may overlap its op's input 0 (see
  //     AllowOutputOverlap) when that input's memory dies at the op, is
  //     neither kept nor read through another input slot of the op, and the
  //     output is an ordinary planned tensor the op itself writes.
  for (size_t i = 0; i < num_nodes; ++i) {
    Node& n = nodes_[i];
    n.overlap_input = -1;
    if (n.overlap_gap < 0 || n.num_inputs < 1 || n.num_outputs != 1 || n.inputs[0] < 0) continue;
    int32_t root = n.inputs[0];
    while (tensors_[root].alias_of >= 0) root = tensors_[root].alias_of;
    const Tensor& in = tensors_[n.inputs[0]];
    const Tensor& base = tensors_[root];
    const Tensor& out = tensors_[n.outputs[0]];
    const uint8_t kKeep = kTensorOutput | kTensorVariable;
    if (!(in.flags & kTensorPlanned) || !(out.flags & kTensorPlanned) || (in.flags & kKeep) ||
        (base.flags & kKeep) || (out.flags & kTensorVariable) || out.alias_of >= 0 ||
        in.last_use != n.index || base.last_use != n.index || out.first_use != n.index ||
        in.bytes == 0 || out.bytes == 0) {
      continue;
    }
    bool shared = false;
    for (uint8_t k = 1; k < n.num_inputs; ++k) {
      int32_t r = n.inputs[k];
      if (r < 0) continue;
      while (tensors_[r].alias_of >= 0) r = tensors_[r].alias_of;
      if (r == root) shared = true;
    }
    if (!shared) n.overlap_input = root;
  }

  // 7. Plan the activations and scratch.
  TableBuffers buffers(tensors_, num_tensors_, nodes_, num_nodes_);
  // Offsets are int32: a plan that could pass 2 GB is refused before the
  // planner adds sizes up.
  int64_t plan_bound = 0;
  for (size_t i = 0; i < buffers.count(); ++i) {
    const int32_t size = buffers.get(i).size;
    if (size > 0) plan_bound += plan::AlignUp64(size);
  }
  if (plan_bound > plan::kMaxPlanBytes) {
    return Status::Error(StatusCode::kUnsupported,
                         "activations and scratch add up to %lld bytes; mote plans at most %lld",
                         static_cast<long long>(plan_bound),
                         static_cast<long long>(plan::kMaxPlanBytes));
  }
  const size_t planned = plan::PlanArena(&buffers);
  // Rounded to the arena alignment so that an arena of exactly total()
  // bytes (aligned) always suffices.
  usage_.persistent = (alloc.requested() + kArenaAlignment - 1) & ~(kArenaAlignment - 1);
  usage_.planned = planned;
  if (out_of_arena || alloc.failed() || usage_.total() > arena_size_) {
    return Status::Error(StatusCode::kArenaTooSmall, "arena too small: needs %lu bytes, got %lu",
                         static_cast<unsigned long>(usage_.total()),
                         static_cast<unsigned long>(arena_size_));
  }

  // 8. Bind.
  for (size_t i = 0; i < num_tensors_; ++i) {
    Tensor& t = tensors_[i];
    if ((t.flags & kTensorPlanned) && t.bytes > 0 && t.alias_of < 0) t.data = arena_ + t.arena_offset;
  }
  for (size_t i = 0; i < num_tensors_; ++i) {
    Tensor& t = tensors_[i];
    if (t.alias_of >= 0) {
      t.data = tensors_[t.alias_of].data;
      t.arena_offset = tensors_[t.alias_of].arena_offset;
    }
  }
  for (size_t i = 0; i < num_nodes_; ++i) {
    Node& n = nodes_[i];
    if (n.scratch_bytes > 0) n.scratch = arena_ + n.scratch_offset;
  }
  profiler_ = options.profiler;
  ResetVariables();
  return Status::Ok();
}

void Interpreter::ResetVariables() {
  for (size_t i = 0; i < num_tensors_; ++i) {
    Tensor& t = tensors_[i];
    if (!(t.flags & kTensorVariable) || t.data == nullptr) continue;
    if (t.type == DType::kInt8) {
      memset(t.data, static_cast<int8_t>(t.zero_point), static_cast<size_t>(t.bytes));
    } else if (t.type == DType::kInt16) {
      int16_t* p = t.as<int16_t>();
      for (int32_t k = 0; k < t.bytes / 2; ++k) p[k] = static_cast<int16_t>(t.zero_point);
    } else {
      memset(t.data, 0, static_cast<size_t>(t.bytes));
    }
  }
}

Status Interpreter::Invoke() {
  if (!initialized_) {
    return Status::Error(StatusCode::kInvalidArgument, "invoke: the interpreter is not initialized");
  }
  if (profiler_ == nullptr) {
    for (size_t i = 0; i < num_nodes_; ++i) nodes_[i].eval(nodes_[i], tensors_);
  } else {
    for (size_t i = 0; i < num_nodes_; ++i) {
      if (profiler_->begin) profiler_->begin(profiler_->user, static_cast<int>(i));
      nodes_[i].eval(nodes_[i], tensors_);
      if (profiler_->end) profiler_->end(profiler_->user, static_cast<int>(i));
    }
  }
  return Status::Ok();
}

}  // namespace mote
