// Hostile models: a .tflite file is untrusted input. Every case below derives
// a malformed model from a bundled one (models/*.tflite) by one targeted
// corruption and asserts the exact rejection: status code plus the
// distinctive part of the message (what, where, why). Init must never crash,
// read or write out of bounds, loop or allocate without bound; the asan and
// fuzz presets check that part (see tests/fuzz/run_fuzz.sh).
//
// Format and graph checks run with stub ops (tests/fuzz/fuzz_harness.h), so
// they do not depend on which real ops are registered; op-level cases use the
// real ops and are skipped while an op is not registered yet.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "fuzz/fuzz_harness.h"
#include "hostile/model_edit.h"
#include "mote/mote.h"
#include "plan/planner.h"
#include "test_util.h"
#include "tflite_generated.h"

namespace mote {
namespace {

using hostile::AlignedBytes;
using hostile::FieldOffset;
using hostile::LoadBundled;
using hostile::OffsetOf;
using hostile::Pack;
using hostile::Peek;
using hostile::Poke;
using hostile::Unpack;
using tflite_edit::ModelT;

// ---- Running a model ------------------------------------------------------

// The model copied to an exact-size heap block (so that ASan sees any read
// past its end) and an interpreter initialized on a 4 MB arena.
struct Loaded {
  std::unique_ptr<uint8_t[]> model;
  Interpreter interp;
  Status status;
};

std::unique_ptr<Loaded> InitExact(const AlignedBytes& bytes, const OpRegistry& ops) {
  static std::vector<uint64_t> arena((4 << 20) / 8);
  auto run = std::make_unique<Loaded>();
  run->model.reset(new uint8_t[bytes.size() > 0 ? bytes.size() : 1]);
  if (bytes.size() > 0) memcpy(run->model.get(), bytes.data(), bytes.size());
  run->status = run->interp.Init(run->model.get(), bytes.size(), ops, arena.data(), arena.size() * 8);
  return run;
}

// One hostile model and what Init must say about it.
struct Hostile {
  AlignedBytes bytes;
  StatusCode code;
  std::vector<std::string> expect;  // every one must appear in the message
  bool real_ops = false;            // use the real ops (op-level checks)
  int32_t needs_builtin = -1;       // skip unless this op is really registered
};

Hostile Expect(AlignedBytes bytes, StatusCode code, std::vector<std::string> expect) {
  return Hostile{std::move(bytes), code, std::move(expect)};
}

void CheckRejected(const Hostile& h) {
  const OpRegistry& ops = h.real_ops ? fuzz::FuzzRegistry() : fuzz::StubRegistry();
  std::unique_ptr<Loaded> run = InitExact(h.bytes, ops);
  const std::string msg = run->status.message();
  if (getenv("MOTE_HOSTILE_PRINT") != nullptr) {
    printf("  [%s] %s\n", StatusCodeName(run->status.code()), msg.c_str());
  }
  EXPECT_EQ(StatusCodeName(run->status.code()), std::string(StatusCodeName(h.code))) << msg;
  for (const std::string& want : h.expect) {
    EXPECT_NE(msg.find(want), std::string::npos) << "message: " << msg << "\nmissing: " << want;
  }
  EXPECT_FALSE(run->interp.initialized());
}

// ---- Editing helpers ------------------------------------------------------

std::unique_ptr<ModelT> Kws() { return Unpack(LoadBundled("kws_dscnn")); }
std::unique_ptr<ModelT> Person() { return Unpack(LoadBundled("person_mobilenet")); }
std::unique_ptr<ModelT> Mlp() { return Unpack(LoadBundled("anomaly_mlp")); }

tflite_edit::SubGraphT& Sg(ModelT& m) { return *m.subgraphs[0]; }
tflite_edit::TensorT& T(ModelT& m, int i) { return *Sg(m).tensors[i]; }
tflite_edit::OperatorT& Op(ModelT& m, int i) { return *Sg(m).operators[i]; }
tflite_edit::QuantizationParametersT& Q(ModelT& m, int i) { return *T(m, i).quantization; }
std::string Name(ModelT& m, int i) { return T(m, i).name; }
// "tensor 20 ('name" — the name may be cut short when a message is long.
std::string Where(ModelT& m, int i) {
  return "tensor " + std::to_string(i) + " ('" + Name(m, i).substr(0, 24);
}
const tflite::Model* Lib(const AlignedBytes& b) { return tflite::GetModel(b.data()); }
const tflite::Tensor* LibTensor(const AlignedBytes& b, int i) {
  return Lib(b)->subgraphs()->Get(0)->tensors()->Get(i);
}

// kws_dscnn (from models/README.md): op 0 CONV_2D reads tensors [0, 20, 19]
// (input, weights [64,10,4,1] per-channel, bias [64]) and writes 21; ops 1..8
// alternate DEPTHWISE/CONV over tensors 21..29; op 9 AVERAGE_POOL_2D,
// op 10 FULLY_CONNECTED, op 11 SOFTMAX writes output tensor 32.
constexpr int kKwsTensors = 33;
constexpr int kKwsWeights = 20;
constexpr int kKwsBias = 19;
constexpr int kKwsAct = 21;  // op 0's output [1,25,5,64] int8

// ---- The cases ------------------------------------------------------------

struct Case {
  std::string name;
  std::function<Hostile()> make;
};

std::vector<Case> Cases() {
  std::vector<Case> c;
  auto add = [&c](const std::string& name, std::function<Hostile()> make) {
    c.push_back(Case{name, std::move(make)});
  };
  const StatusCode kInvalid = StatusCode::kInvalidModel;
  const StatusCode kUnsupported = StatusCode::kUnsupported;

  // -- File level: identifier, root, schema version.
  add("wrong_identifier", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    memcpy(b.data() + 4, "TFL2", 4);
    return Expect(std::move(b), kInvalid, {"file identifier is not 'TFL3'"});
  });
  add("zero_magic", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    memset(b.data(), 0, 8);
    return Expect(std::move(b), kInvalid, {"file identifier is not 'TFL3'"});
  });
  add("root_offset_past_end", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    Poke<uint32_t>(&b, 0, static_cast<uint32_t>(b.size()) + 64);
    return Expect(std::move(b), kInvalid, {"flatbuffer verification failed"});
  });
  add("root_offset_misaligned", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    Poke<uint32_t>(&b, 0, Peek<uint32_t>(b, 0) + 1);
    return Expect(std::move(b), kInvalid, {"flatbuffer verification failed"});
  });
  add("vtable_offset_huge", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    Poke<int32_t>(&b, Peek<uint32_t>(b, 0), std::numeric_limits<int32_t>::min());
    return Expect(std::move(b), kInvalid, {"flatbuffer verification failed"});
  });
  add("shape_vector_length_huge", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    const ptrdiff_t len = OffsetOf(b, LibTensor(b, kKwsAct)->shape()) ;
    Poke<uint32_t>(&b, len, 0x3fffffffu);
    return Expect(std::move(b), kInvalid, {"flatbuffer verification failed"});
  });
  add("tensor_name_unterminated", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    const flatbuffers::String* name = LibTensor(b, 0)->name();
    Poke<uint8_t>(&b, OffsetOf(b, name->c_str()) + name->size(), 'x');
    return Expect(std::move(b), kInvalid, {"flatbuffer verification failed"});
  });
  add("schema_version_2", [=] {
    auto m = Kws();
    m->version = 2;
    return Expect(Pack(*m), kUnsupported, {"schema version 2, mote reads version 3"});
  });
  add("schema_version_absent", [=] {
    auto m = Kws();
    m->version = 0;  // left at its default: the field is not written
    return Expect(Pack(*m), kUnsupported, {"schema version 0"});
  });
  add("schema_version_max_patched", [=] {
    AlignedBytes b = LoadBundled("kws_dscnn");
    Poke<uint32_t>(&b, FieldOffset(b, Lib(b), tflite::Model::VT_VERSION), 0xffffffffu);
    return Expect(std::move(b), kUnsupported, {"schema version 4294967295"});
  });

  // -- Model and subgraph tables.
  add("no_subgraphs", [=] {
    auto m = Kws();
    m->subgraphs.clear();
    return Expect(Pack(*m), kInvalid, {"model: has no subgraphs"});
  });
  add("no_buffers", [=] {
    auto m = Kws();
    m->buffers.clear();
    return Expect(Pack(*m), kInvalid, {"model: has no buffers"});
  });
  add("no_operator_codes", [=] {
    auto m = Kws();
    m->operator_codes.clear();
    return Expect(Pack(*m), kInvalid, {"model: has no operator_codes"});
  });
  add("subgraph_without_tensors", [=] {
    auto m = Kws();
    Sg(*m).tensors.clear();
    return Expect(Pack(*m), kInvalid, {"subgraph 0: tensors, inputs, outputs or operators missing"});
  });
  add("too_many_tensors", [=] {
    auto m = Kws();
    for (int i = 0; i < 32768 - kKwsTensors; ++i) {
      auto t = std::make_unique<tflite_edit::TensorT>();
      t->type = tflite_edit::TensorType_INT8;
      Sg(*m).tensors.push_back(std::move(t));
    }
    return Expect(Pack(*m), kUnsupported, {"subgraph 0: 32768 tensors, mote allows 32767"});
  });
  add("too_many_operators", [=] {
    auto m = Kws();
    while (Sg(*m).operators.size() <= 32000) {
      Sg(*m).operators.push_back(std::make_unique<tflite_edit::OperatorT>(Op(*m, 0)));
    }
    return Expect(Pack(*m), kUnsupported, {"subgraph 0: 32001 operators, mote allows 32000"});
  });

  // -- Subgraph inputs and outputs.
  add("subgraph_input_out_of_range", [=] {
    auto m = Kws();
    Sg(*m).inputs = {kKwsTensors};
    return Expect(Pack(*m), kInvalid, {"subgraph input tensor 33 out of range"});
  });
  add("subgraph_input_negative", [=] {
    auto m = Kws();
    Sg(*m).inputs = {-1};
    return Expect(Pack(*m), kInvalid, {"subgraph input tensor -1 out of range"});
  });
  add("subgraph_output_out_of_range", [=] {
    auto m = Kws();
    Sg(*m).outputs = {32, std::numeric_limits<int32_t>::max()};
    return Expect(Pack(*m), kInvalid, {"subgraph output tensor 2147483647 out of range"});
  });
  add("subgraph_input_is_constant", [=] {
    auto m = Kws();
    Sg(*m).inputs = {kKwsWeights};
    // Tensor 0 is now read by op 0 without being an input: fix that by
    // making op 0 read the weights tensor as its input too.
    Op(*m, 0).inputs[0] = kKwsWeights;
    return Expect(Pack(*m), kInvalid, {"subgraph input 0 (tensor 20) is a constant"});
  });
  add("subgraph_output_never_written", [=] {
    auto m = Kws();
    auto t = std::make_unique<tflite_edit::TensorT>();
    t->type = tflite_edit::TensorType_INT8;
    t->shape = {1, 4};
    t->name = "orphan";
    Sg(*m).tensors.push_back(std::move(t));
    Sg(*m).outputs.push_back(kKwsTensors);
    return Expect(Pack(*m), kInvalid, {"subgraph output 1 (tensor 33) is never written"});
  });

  // -- Operator structure and codes.
  add("opcode_index_out_of_range", [=] {
    auto m = Kws();
    Op(*m, 3).opcode_index = 99;
    return Expect(Pack(*m), kInvalid, {"op 3: opcode_index 99 out of range (5 codes)"});
  });
  add("op_input_index_past_tensors", [=] {
    auto m = Kws();
    Op(*m, 2).inputs[1] = kKwsTensors;
    return Expect(Pack(*m), kInvalid, {"op 2: input tensor 33 out of range (33 tensors)"});
  });
  add("op_input_index_below_minus_one", [=] {
    auto m = Kws();
    Op(*m, 2).inputs[2] = -2;
    return Expect(Pack(*m), kInvalid, {"op 2: input tensor -2 out of range"});
  });
  add("op_output_missing_minus_one", [=] {
    auto m = Kws();
    Op(*m, 4).outputs[0] = -1;
    return Expect(Pack(*m), kInvalid, {"op 4: output tensor -1 out of range"});
  });
  add("op_output_index_huge", [=] {
    auto m = Kws();
    Op(*m, 11).outputs[0] = std::numeric_limits<int32_t>::max();
    return Expect(Pack(*m), kInvalid, {"op 11: output tensor 2147483647 out of range"});
  });
  add("op_inputs_absent", [=] {
    auto m = Kws();
    Op(*m, 1).inputs.clear();
    return Expect(Pack(*m), kInvalid, {"op 1: inputs or outputs missing"});
  });
  add("op_with_256_inputs", [=] {
    auto m = Kws();
    Op(*m, 5).inputs.resize(256, -1);
    return Expect(Pack(*m), kInvalid, {"op 5: 256 inputs, 1 outputs: too many"});
  });
  add("op_version_not_implemented", [=] {
    auto m = Kws();
    m->operator_codes[4]->version = 200;  // SOFTMAX
    return Expect(Pack(*m), kUnsupported,
                  {"model uses 1 op mote lacks: SOFTMAX v200 (nodes 11) [this version not implemented]"});
  });
  add("op_version_zero", [=] {
    auto m = Kws();
    m->operator_codes[2]->version = 0;  // AVERAGE_POOL_2D
    return Expect(Pack(*m), kUnsupported, {"AVERAGE_POOL_2D v0 (nodes 9)"});
  });
  add("op_unknown_builtin", [=] {
    auto m = Kws();
    m->operator_codes[1]->builtin_code = static_cast<tflite_edit::BuiltinOperator>(9999);
    m->operator_codes[1]->deprecated_builtin_code = 0;
    return Expect(Pack(*m), kUnsupported, {"model uses 1 op mote lacks: UNKNOWN(9999) v3 (nodes 1, 3, 5, 7)"});
  });
  add("op_negative_builtin", [=] {
    auto m = Kws();
    m->operator_codes[3]->builtin_code = static_cast<tflite_edit::BuiltinOperator>(-7);
    m->operator_codes[3]->deprecated_builtin_code = -1;
    return Expect(Pack(*m), kUnsupported, {"UNKNOWN(-1) v4 (nodes 10)"});
  });
  add("op_custom", [=] {
    auto m = Kws();
    m->operator_codes[0]->builtin_code = tflite_edit::BuiltinOperator_CUSTOM;
    m->operator_codes[0]->deprecated_builtin_code = 32;
    m->operator_codes[0]->custom_code = "Hostile";
    return Expect(Pack(*m), kUnsupported, {"CUSTOM:Hostile v3 (nodes 0, 2, 4, 6, 8)"});
  });
  add("many_distinct_missing_ops", [=] {
    // 40 distinct unknown ops: the listing stays bounded (and linear).
    auto m = Kws();
    for (int i = 0; i < 40; ++i) {
      auto code = std::make_unique<tflite_edit::OperatorCodeT>();
      code->builtin_code = static_cast<tflite_edit::BuiltinOperator>(1000 + i);
      m->operator_codes.push_back(std::move(code));
      auto op = std::make_unique<tflite_edit::OperatorT>(Op(*m, 11));
      op->opcode_index = 5 + i;
      Sg(*m).operators.push_back(std::move(op));
    }
    return Expect(Pack(*m), kUnsupported, {"model uses more than 16 ops mote lacks: UNKNOWN(1000) v1 (nodes 12); UNKNOWN(1001) v1 (nodes 13)"});
  });

  // -- Tensors: buffers, shapes, dtypes, storage.
  add("tensor_buffer_index_out_of_range", [=] {
    auto m = Kws();
    T(*m, kKwsWeights).buffer = 1000;
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsWeights), "buffer 1000 out of range (36 buffers)"});
  });
  add("buffers_empty_vector", [=] {
    // Present but empty after a patch of the vector's length.
    AlignedBytes b = LoadBundled("kws_dscnn");
    Poke<uint32_t>(&b, OffsetOf(b, Lib(b)->buffers()), 0);
    return Expect(std::move(b), kInvalid, {"tensor 0 (", "buffer 1 out of range (0 buffers)"});
  });
  add("negative_dim", [=] {
    auto m = Kws();
    T(*m, kKwsAct).shape[1] = -1;
    return Expect(Pack(*m), kUnsupported,
                  {Where(*m, kKwsAct), "dimension 1 is -1 (dynamic shapes are not supported)"});
  });
  add("dim_int_min", [=] {
    auto m = Kws();
    T(*m, 0).shape[3] = std::numeric_limits<int32_t>::min();
    return Expect(Pack(*m), kUnsupported, {Where(*m, 0), "dimension 3 is -2147483648"});
  });
  add("element_count_overflow", [=] {
    auto m = Kws();
    T(*m, kKwsAct).shape = {65536, 65536, 1, 1};
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsAct), "element count overflows"});
  });
  add("element_count_overflow_late_zero", [=] {
    // A zero after the overflow must not hide it.
    auto m = Kws();
    T(*m, kKwsAct).shape = {2147483647, 2147483647, 0};
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsAct), "element count overflows"});
  });
  add("byte_size_overflow", [=] {
    auto m = Kws();
    T(*m, kKwsBias).shape = {1 << 30};  // int32: 4 GB
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsBias), "4294967296 bytes overflows"});
  });
  add("rank_7", [=] {
    auto m = Kws();
    T(*m, kKwsAct).shape = {1, 1, 25, 5, 64, 1, 1};
    return Expect(Pack(*m), kUnsupported, {Where(*m, kKwsAct), "rank 7 exceeds 6"});
  });
  add("dtype_string", [=] {
    auto m = Kws();
    T(*m, kKwsAct).type = tflite_edit::TensorType_STRING;
    return Expect(Pack(*m), kUnsupported, {Where(*m, kKwsAct), "dtype 5 is not supported"});
  });
  add("dtype_negative", [=] {
    auto m = Kws();
    T(*m, kKwsAct).type = static_cast<tflite_edit::TensorType>(-3);
    return Expect(Pack(*m), kUnsupported, {Where(*m, kKwsAct), "dtype -3 is not supported"});
  });
  add("dtype_unknown", [=] {
    auto m = Kws();
    T(*m, 0).type = static_cast<tflite_edit::TensorType>(99);
    return Expect(Pack(*m), kUnsupported, {Where(*m, 0), "dtype 99 is not supported"});
  });
  add("sparse_tensor", [=] {
    auto m = Kws();
    T(*m, kKwsWeights).sparsity = std::make_unique<tflite_edit::SparsityParametersT>();
    return Expect(Pack(*m), kUnsupported, {Where(*m, kKwsWeights), "sparse tensors are not supported"});
  });
  add("external_buffer", [=] {
    auto m = Kws();
    T(*m, kKwsWeights).external_buffer = 1;
    return Expect(Pack(*m), kUnsupported,
                  {Where(*m, kKwsWeights), "external_buffer 1 (weights outside the model file)"});
  });
  add("buffer_offset_outside_file", [=] {
    auto m = Kws();
    auto& buf = *m->buffers[T(*m, kKwsWeights).buffer];
    buf.data.clear();
    buf.offset = 4096;
    buf.size = 2560;
    return Expect(Pack(*m), kUnsupported,
                  {Where(*m, kKwsWeights), "stores its data outside the flatbuffer (offset 4096, size 2560)"});
  });
  add("buffer_offset_huge_with_data", [=] {
    auto m = Kws();
    m->buffers[T(*m, kKwsBias).buffer]->offset = ~uint64_t{0};
    return Expect(Pack(*m), kUnsupported, {Where(*m, kKwsBias), "stores its data outside the flatbuffer"});
  });
  add("missing_weights_buffer", [=] {
    auto m = Kws();
    m->buffers[T(*m, kKwsWeights).buffer]->data.clear();
    return Expect(Pack(*m), kInvalid,
                  {"op 0 reads tensor 20 ('", "') before any op writes it"});
  });
  add("weights_point_at_empty_buffer_0", [=] {
    auto m = Kws();
    T(*m, 16).buffer = 0;
    return Expect(Pack(*m), kInvalid, {"op 2 reads tensor 16 ('", "before any op writes it"});
  });
  add("buffer_one_byte_short", [=] {
    auto m = Kws();
    const uint32_t buf = T(*m, kKwsWeights).buffer;
    m->buffers[buf]->data.pop_back();
    return Expect(Pack(*m), kInvalid,
                  {Where(*m, kKwsWeights),
                   "buffer " + std::to_string(buf) + " holds 2559 bytes, shape and dtype need 2560"});
  });
  add("buffer_one_byte_long", [=] {
    auto m = Kws();
    m->buffers[T(*m, kKwsBias).buffer]->data.push_back(0);
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsBias), "holds 257 bytes, shape and dtype need 256"});
  });
  add("shape_absent_on_weights", [=] {
    auto m = Kws();
    T(*m, kKwsWeights).shape.clear();  // a scalar: 1 byte, but 2560 stored
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsWeights), "holds 2560 bytes, shape and dtype need 1"});
  });
  add("shared_buffer_with_other_shape", [=] {
    auto m = Kws();
    T(*m, 17).buffer = T(*m, kKwsWeights).buffer;  // a [64] int32 bias on 2560 weight bytes
    return Expect(Pack(*m), kInvalid, {Where(*m, 17), "holds 2560 bytes, shape and dtype need 256"});
  });
  add("misaligned_int64_constant", [=] {
    // The bias of op 0 becomes int64 [31] whose data vector starts 4 bytes
    // later than it did: 4 mod 8, misaligned for int64.
    AlignedBytes b = LoadBundled("kws_dscnn");
    const tflite::Tensor* t = LibTensor(b, kKwsBias);
    const tflite::Buffer* buf = Lib(b)->buffers()->Get(t->buffer());
    const ptrdiff_t field = FieldOffset(b, buf, tflite::Buffer::VT_DATA);
    const ptrdiff_t len = OffsetOf(b, buf->data());
    Poke<uint32_t>(&b, field, Peek<uint32_t>(b, field) + 4);
    Poke<uint32_t>(&b, len + 4, 248);
    Poke<int8_t>(&b, FieldOffset(b, t, tflite::Tensor::VT_TYPE), tflite::TensorType_INT64);
    Poke<int32_t>(&b, OffsetOf(b, t->shape()->data()), 31);
    // Its quantization no longer matches the dimension: drop it to per-tensor.
    Poke<uint32_t>(&b, OffsetOf(b, t->quantization()->scale()), 1);
    Poke<uint32_t>(&b, OffsetOf(b, t->quantization()->zero_point()), 1);
    return Expect(std::move(b), kInvalid, {"tensor 19 (", "data is not 8-byte aligned"});
  });
  add("overlapping_buffers", [=] {
    // Buffer of tensor 17 (a [64] int32 bias) is re-pointed into the middle
    // of the 4096 weight bytes of tensor 16: a vector inside a vector.
    AlignedBytes b = LoadBundled("kws_dscnn");
    const tflite::Buffer* bias = Lib(b)->buffers()->Get(LibTensor(b, 17)->buffer());
    const tflite::Buffer* weights = Lib(b)->buffers()->Get(LibTensor(b, 16)->buffer());
    const ptrdiff_t field = FieldOffset(b, bias, tflite::Buffer::VT_DATA);
    const ptrdiff_t target = OffsetOf(b, weights->data()->data()) + 1024;
    Poke<uint32_t>(&b, target, 256);
    Poke<uint32_t>(&b, field, static_cast<uint32_t>(target - field));
    return Expect(std::move(b), kInvalid,
                  {"constant data overlaps that of tensor 17 (", "two buffers share bytes"});
  });
  add("variable_tensor_with_data", [=] {
    auto m = Kws();
    T(*m, kKwsWeights).is_variable = true;
    return Expect(Pack(*m), kUnsupported,
                  {Where(*m, kKwsWeights), "variable tensor with initial data is not supported"});
  });

  // -- Quantization.
  add("scale_count_ne_zero_point_count", [=] {
    auto m = Kws();
    Q(*m, 0).scale.push_back(0.5f);
    return Expect(Pack(*m), kInvalid, {Where(*m, 0), "2 scales but 1 zero points"});
  });
  add("scales_without_zero_points", [=] {
    auto m = Kws();
    Q(*m, kKwsAct).zero_point.clear();
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsAct), "1 scales but 0 zero points"});
  });
  add("per_channel_count_ne_dim", [=] {
    auto m = Kws();
    Q(*m, kKwsWeights).scale.pop_back();
    Q(*m, kKwsWeights).zero_point.pop_back();
    return Expect(Pack(*m), kInvalid,
                  {Where(*m, kKwsWeights), "63 per-channel scales but dimension 0 has 64 entries"});
  });
  add("per_channel_on_wrong_dimension", [=] {
    auto m = Kws();
    Q(*m, kKwsWeights).quantized_dimension = 3;
    return Expect(Pack(*m), kInvalid,
                  {Where(*m, kKwsWeights), "64 per-channel scales but dimension 3 has 1 entries"});
  });
  add("quantized_dimension_past_rank", [=] {
    auto m = Kws();
    Q(*m, kKwsWeights).quantized_dimension = 4;
    return Expect(Pack(*m), kInvalid,
                  {Where(*m, kKwsWeights), "quantized_dimension 4 out of range for rank 4"});
  });
  add("quantized_dimension_negative", [=] {
    auto m = Kws();
    Q(*m, kKwsBias).quantized_dimension = -1;
    return Expect(Pack(*m), kInvalid,
                  {Where(*m, kKwsBias), "quantized_dimension -1 out of range for rank 1"});
  });
  add("scale_nan", [=] {
    auto m = Kws();
    Q(*m, kKwsWeights).scale[5] = std::numeric_limits<float>::quiet_NaN();
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsWeights), "scale 5 is ", "nan (must be finite and > 0)"});
  });
  add("scale_inf", [=] {
    auto m = Kws();
    Q(*m, 0).scale[0] = std::numeric_limits<float>::infinity();
    return Expect(Pack(*m), kInvalid, {Where(*m, 0), "scale 0 is inf (must be finite and > 0)"});
  });
  add("scale_zero", [=] {
    auto m = Kws();
    Q(*m, kKwsAct).scale[0] = 0.0f;
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsAct), "scale 0 is 0 (must be finite and > 0)"});
  });
  add("scale_negative_zero", [=] {
    auto m = Kws();
    Q(*m, kKwsAct).scale[0] = -0.0f;
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsAct), "scale 0 is -0 (must be finite and > 0)"});
  });
  add("scale_negative", [=] {
    auto m = Kws();
    Q(*m, kKwsBias).scale[63] = -0.25f;
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsBias), "scale 63 is -0.25 (must be finite and > 0)"});
  });
  add("zero_point_above_int8", [=] {
    auto m = Kws();
    Q(*m, kKwsAct).zero_point[0] = 128;
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsAct), "zero point 128 out of range for int8"});
  });
  add("zero_point_below_int8", [=] {
    auto m = Kws();
    Q(*m, 0).zero_point[0] = -129;
    return Expect(Pack(*m), kInvalid, {Where(*m, 0), "zero point -129 out of range for int8"});
  });
  add("zero_point_beyond_int32", [=] {
    auto m = Kws();
    Q(*m, kKwsBias).zero_point[7] = int64_t{1} << 40;
    return Expect(Pack(*m), kInvalid, {Where(*m, kKwsBias), "zero point 1099511627776 out of range for int32"});
  });

  // -- Graph order and lifetimes.
  add("read_before_write_swapped_ops", [=] {
    auto m = Kws();
    std::swap(Sg(*m).operators[0], Sg(*m).operators[1]);
    return Expect(Pack(*m), kInvalid, {"op 0 reads tensor 21 ('", "') before any op writes it"});
  });
  add("cycle_op_reads_own_output", [=] {
    auto m = Kws();
    Op(*m, 2).inputs[0] = Op(*m, 2).outputs[0];
    return Expect(Pack(*m), kInvalid, {"op 2 reads tensor 23 ('", "before any op writes it"});
  });
  add("op_reads_later_output", [=] {
    auto m = Kws();
    Op(*m, 2).inputs[0] = Op(*m, 6).outputs[0];
    return Expect(Pack(*m), kInvalid, {"op 2 reads tensor 27 ('", "before any op writes it"});
  });
  add("tensor_written_twice", [=] {
    auto m = Kws();
    Op(*m, 3).outputs[0] = Op(*m, 2).outputs[0];
    return Expect(Pack(*m), kInvalid, {"op 3 writes tensor 23 ('", "') a second time"});
  });
  add("op_writes_same_tensor_twice", [=] {
    auto m = Kws();
    Op(*m, 5).outputs.push_back(Op(*m, 5).outputs[0]);
    return Expect(Pack(*m), kInvalid, {"op 5 writes tensor 26 ('", "a second time"});
  });
  add("op_writes_constant", [=] {
    auto m = Kws();
    Op(*m, 2).outputs[0] = 16;
    return Expect(Pack(*m), kInvalid, {"op 2 writes tensor 16 ('", "'), which is a constant"});
  });
  add("op_writes_subgraph_input", [=] {
    auto m = Kws();
    Op(*m, 4).outputs[0] = 0;
    return Expect(Pack(*m), kInvalid, {"op 4 writes tensor 0 ('", "'), which is a subgraph input"});
  });

  // -- Sizes the planner must refuse before it overflows.
  add("activation_too_big_for_arena", [=] {
    auto m = Kws();
    T(*m, kKwsAct).shape = {1, 2500, 50, 64};  // 8 MB
    return Expect(Pack(*m), StatusCode::kArenaTooSmall, {"arena too small: needs "});
  });
  add("activations_beyond_2gb", [=] {
    auto m = Kws();
    for (int i = kKwsAct; i < kKwsAct + 3; ++i) T(*m, i).shape = {1, 1 << 15, 1 << 15, 1};  // 1 GB each
    return Expect(Pack(*m), kUnsupported, {"activations and scratch add up to 3221", "mote plans at most"});
  });

  // -- Op-level checks (the real ops' prepare, through ops/common.cc).
  add("reshape_required_input_missing", [=] {
    auto m = Person();
    Op(*m, 29).inputs[0] = -1;
    Hostile h = Expect(Pack(*m), kInvalid, {"op 29 (RESHAPE v1): required input 0 is missing"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_RESHAPE;
    return h;
  });
  add("reshape_output_shape_wrong", [=] {
    auto m = Person();
    T(*m, 87).shape = {2, 1};
    Hostile h = Expect(Pack(*m), kInvalid,
                       {"op 29 (RESHAPE v1): output 0 ('", "has shape [2,1], but its inputs and options imply [1,2]"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_RESHAPE;
    return h;
  });
  add("reshape_element_count_wrong", [=] {
    auto m = Person();
    T(*m, 87).shape = {1, 3};
    Hostile h = Expect(Pack(*m), kInvalid, {"op 29 (RESHAPE v1): input has 2 elements but output has 3"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_RESHAPE;
    return h;
  });
  add("conv_output_dims_wrong", [=] {
    auto m = Kws();
    T(*m, kKwsAct).shape = {1, 24, 5, 64};
    Hostile h = Expect(Pack(*m), kInvalid,
                       {"op 0 (CONV_2D v3): ", "but its inputs and options imply [1,25,5,64]"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_CONV_2D;
    return h;
  });
  add("conv_stride_zero", [=] {
    auto m = Kws();
    Op(*m, 0).builtin_options.AsConv2DOptions()->stride_h = 0;
    Hostile h = Expect(Pack(*m), kInvalid, {"op 0 (CONV_2D v3): strides must be > 0, are h=0 w=2"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_CONV_2D;
    return h;
  });
  add("conv_huge_dilated_filter", [=] {
    // A 10-row filter dilated 2^28 times spans ~2.4e9 rows: far past int32
    // index arithmetic. Prepare must refuse it (the output shape alone, SAME
    // padding, does not depend on the filter).
    auto m = Kws();
    Op(*m, 0).builtin_options.AsConv2DOptions()->dilation_h_factor = 1 << 28;
    Hostile h = Expect(Pack(*m), kUnsupported,
                       {"op 0 (CONV_2D v3): window (stride 2x2, dilation 268435456x1, filter 10x4) "
                        "reaches beyond int32"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_CONV_2D;
    return h;
  });
  add("conv_filter_larger_than_input", [=] {
    // VALID padding with a 10x4 window on a 1x1 input: no output position.
    auto m = Kws();
    Op(*m, 0).builtin_options.AsConv2DOptions()->padding = tflite_edit::Padding_VALID;
    T(*m, 0).shape = {1, 1, 1, 1};
    Hostile h = Expect(Pack(*m), kInvalid, {"op 0 (CONV_2D v3): output 0 (", "but its inputs and options imply [1,0,"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_CONV_2D;
    return h;
  });
  add("conv_required_input_missing", [=] {
    auto m = Kws();
    Op(*m, 2).inputs[1] = -1;
    Hostile h = Expect(Pack(*m), kInvalid, {"op 2 (CONV_2D v3): required input 1 is missing"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_CONV_2D;
    return h;
  });
  add("depthwise_output_channels_wrong", [=] {
    auto m = Kws();
    T(*m, 22).shape = {1, 25, 5, 32};
    Hostile h = Expect(Pack(*m), kInvalid, {"op 1 (DEPTHWISE_CONV_2D v3): output 0 (", "has shape [1,25,5,32]"});
    h.real_ops = true;
    h.needs_builtin = tflite::BuiltinOperator_DEPTHWISE_CONV_2D;
    return h;
  });
  add("fully_connected_weights_wrong", [=] {
    auto m = Mlp();
    T(*m, 3).shape = {128, 64};  // the buffer still holds 128 x 128
    return Expect(Pack(*m), kInvalid, {"tensor 3 (", "holds 16384 bytes, shape and dtype need 8192"});
  });
  return c;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Corrupt : public ::testing::TestWithParam<Case> {};

TEST_P(Corrupt, IsRejectedWithItsOwnMessage) {
  Hostile h = GetParam().make();
  if (h.needs_builtin >= 0) {
    OpRegistry real;
    ASSERT_TRUE(RegisterAllOps(&real).ok());
    if (!real.HasBuiltin(h.needs_builtin)) {
      GTEST_SKIP() << BuiltinName(h.needs_builtin) << " is not registered yet";
    }
  }
  CheckRejected(h);
}

INSTANTIATE_TEST_SUITE_P(Hostile, Corrupt, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

// ---- Truncation -------------------------------------------------------------

// Every 1/64 of each bundled model (and a few edges): the verifier must
// reject each prefix, never read past it.
TEST(Hostile, TruncatedAtEverySixtyFourth) {
  int cases = 0;
  for (const char* name : {"kws_dscnn", "anomaly_mlp", "person_mobilenet"}) {
    const AlignedBytes full = LoadBundled(name);
    ASSERT_GT(full.size(), 64u * 8) << name;
    std::vector<size_t> sizes;
    for (size_t k = 0; k < 64; ++k) sizes.push_back(full.size() * k / 64);
    for (size_t s : {size_t{1}, size_t{7}, size_t{8}, size_t{12}, full.size() - 1}) sizes.push_back(s);
    for (size_t size : sizes) {
      SCOPED_TRACE(std::string(name) + " truncated to " + std::to_string(size));
      std::unique_ptr<Loaded> run = InitExact(hostile::Copy(full.data(), size), fuzz::StubRegistry());
      EXPECT_EQ(run->status.code(), StatusCode::kInvalidModel) << run->status.message();
      const std::string msg = run->status.message();
      const bool expected = msg.find("flatbuffer verification failed") != std::string::npos ||
                            msg.find("is too short for a .tflite file") != std::string::npos;
      EXPECT_TRUE(expected) << msg;
      ++cases;
    }
  }
  EXPECT_EQ(cases, 3 * 69);
}

// ---- Controls: what the cases start from is accepted ------------------------

TEST(Hostile, UnmodifiedAndRepackedModelsAreAccepted) {
  for (const char* name : {"kws_dscnn", "anomaly_mlp", "person_mobilenet"}) {
    const AlignedBytes original = LoadBundled(name);
    std::unique_ptr<Loaded> run = InitExact(original, fuzz::StubRegistry());
    EXPECT_TRUE(run->status.ok()) << name << ": " << run->status.message();
    const AlignedBytes repacked = Pack(*Unpack(original));
    run = InitExact(repacked, fuzz::StubRegistry());
    EXPECT_TRUE(run->status.ok()) << name << " repacked: " << run->status.message();
    EXPECT_TRUE(run->interp.Invoke().ok());
  }
}

// Models need only be 4-byte aligned: at an address that is 4 mod 8 every
// int64 (zero points, Buffer.offset) is misaligned and must still be read
// without undefined behavior (the asan preset's UBSan checks that).
TEST(Hostile, ModelAtFourModEightLoads) {
  for (const char* name : {"kws_dscnn", "anomaly_mlp", "person_mobilenet"}) {
    const AlignedBytes original = LoadBundled(name);
    std::vector<uint64_t> storage(original.size() / 8 + 2);
    uint8_t* at4 = reinterpret_cast<uint8_t*>(storage.data()) + 4;
    memcpy(at4, original.data(), original.size());
    static std::vector<uint64_t> arena((1 << 20) / 8);
    Interpreter interp;
    const Status s = interp.Init(at4, original.size(), fuzz::StubRegistry(), arena.data(), arena.size() * 8);
    EXPECT_TRUE(s.ok()) << name << ": " << s.message();
  }
}

TEST(Hostile, TwoBuffersSharingOneVectorAreAccepted) {
  // Identical ranges (flatbuffers vector sharing) are harmless read-only
  // aliases, unlike partial overlaps.
  AlignedBytes b = LoadBundled("kws_dscnn");
  const tflite::Buffer* b17 = Lib(b)->buffers()->Get(LibTensor(b, 17)->buffer());
  const tflite::Buffer* b15 = Lib(b)->buffers()->Get(LibTensor(b, 15)->buffer());
  const ptrdiff_t field = FieldOffset(b, b17, tflite::Buffer::VT_DATA);
  const ptrdiff_t target = OffsetOf(b, b15->data());
  ASSERT_GT(target, field);
  Poke<uint32_t>(&b, field, static_cast<uint32_t>(target - field));
  std::unique_ptr<Loaded> run = InitExact(b, fuzz::StubRegistry());
  EXPECT_TRUE(run->status.ok()) << run->status.message();
}

// ---- Bounded work on huge graphs --------------------------------------------

// 20,000 extra ops whose outputs are all subgraph outputs: 20,000 buffers all
// live at once, the planner's worst case (cubic without its work bound).
TEST(Hostile, HugeAllLiveGraphInitsInBoundedTime) {
  auto m = Kws();
  for (int i = 0; i < 20000; ++i) {
    auto t = std::make_unique<tflite_edit::TensorT>(T(*m, 32));
    t->name = "extra";
    Sg(*m).outputs.push_back(static_cast<int32_t>(Sg(*m).tensors.size()));
    auto op = std::make_unique<tflite_edit::OperatorT>(Op(*m, 11));
    op->outputs = {static_cast<int32_t>(Sg(*m).tensors.size())};
    Sg(*m).tensors.push_back(std::move(t));
    Sg(*m).operators.push_back(std::move(op));
  }
  const AlignedBytes bytes = Pack(*m);
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Loaded> run = InitExact(bytes, fuzz::StubRegistry());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(run->status.ok()) << run->status.message();
  EXPECT_LT(seconds, 60.0);
  printf("  Init of a 20,012-op all-live graph: %.2f s, arena %zu bytes\n", seconds,
         run->interp.arena_bytes_used());
}

// The planner alone on its worst case: 12,000 buffers all live at once, in
// the order that makes first fit cubic. Bounded work, and still a valid plan.
TEST(Hostile, PlannerWorstCaseIsBoundedAndValid) {
  class Buffers : public plan::BufferSet {
   public:
    std::vector<plan::Buffer> b;
    size_t count() const override { return b.size(); }
    plan::Buffer get(size_t i) const override { return b[i]; }
    void set_offset(size_t i, int32_t offset) override { b[i].offset = offset; }
  } set;
  // Sizes grow with the index: the largest (last) is placed first at 0, so
  // offsets fall as indices rise and each first-fit pass moves only once.
  for (int i = 0; i < 12000; ++i) set.b.push_back(plan::Buffer{16 * (i + 1), 0, 1, -1});
  const auto start = std::chrono::steady_clock::now();
  const size_t peak = plan::PlanGreedyBySize(&set);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(plan::VerifyPlan(set));
  size_t total = 0;
  for (const plan::Buffer& b : set.b) total += static_cast<size_t>(plan::AlignUp(b.size));
  EXPECT_EQ(peak, total);  // all live together: nothing can share
  EXPECT_LT(seconds, 30.0);
}

// ---- Fuzz regressions -------------------------------------------------------

// Every crasher the fuzzer ever found (tests/fuzz/regressions/) and every
// seed goes through the fuzz target's exact path: Init, fill, Invoke. The
// test passes when nothing crashes (the asan preset checks for silent
// memory errors too).
TEST(Hostile, FuzzRegressionsReplay) {
  std::vector<std::string> files;
  const std::string dir = test::SourceDir() + "/tests/fuzz/regressions";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') files.push_back(dir + "/" + e->d_name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  for (const char* name : {"kws_dscnn", "anomaly_mlp", "person_mobilenet"}) {
    files.push_back(test::SourceDir() + "/models/" + name + ".tflite");
  }
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const std::vector<uint8_t> bytes = test::ReadBytes(path);
    const Status s = fuzz::RunOne(bytes.data(), bytes.size());
    if (path.find("/models/") != std::string::npos) {
      EXPECT_TRUE(s.ok()) << s.message();  // seeds are valid models
    }
  }
}

}  // namespace
}  // namespace mote
