// Test-only helper for the CONV_2D and DEPTHWISE_CONV_2D tests: builds a
// single-op .tflite in memory (flatbuffers builder, nothing on disk) and runs
// it through the Interpreter with the reference kernels, so that a test
// exercises the whole prepare path (validation, multipliers, activation
// ranges) and the kernel on values it can derive by hand. Below RunConv: the
// harness the optimized-kernel tests share (conv2d_opt_test.cc,
// depthwise_conv2d_opt_test.cc): random cases, each run with the reference
// and the optimized kernels.
#ifndef MOTE_OPS_CONV2D_CONV_TEST_UTIL_H_
#define MOTE_OPS_CONV2D_CONV_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_registry.h"
#include "runtime/kernel_api.h"
#include "tflite_generated.h"

namespace mote {
namespace ops {
namespace conv_test {

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  if (!b.empty()) memcpy(b.data(), v.data(), b.size());
  return b;
}

// One CONV_2D or DEPTHWISE_CONV_2D model. Defaults: int8, input scale 0.5,
// filter scale 0.5, output scale 0.25 (effective multiplier exactly 1.0),
// zero points 0, stride 1, VALID, no activation, no bias.
struct ConvCase {
  bool depthwise = false;
  int version = 3;
  tflite::TensorType type = tflite::TensorType_INT8;  // input and output
  std::vector<int32_t> in_shape;
  std::vector<int32_t> filter_shape;
  std::vector<int32_t> out_shape;
  float in_scale = 0.5f;
  int64_t in_zp = 0;
  float out_scale = 0.25f;
  int64_t out_zp = 0;
  // Filter: int8 values (or float when type is FLOAT32).
  tflite::TensorType filter_type = tflite::TensorType_INT8;
  std::vector<int8_t> filter;
  std::vector<float> filter_f;
  std::vector<float> filter_scales = {0.5f};
  std::vector<int64_t> filter_zps;  // empty: all 0
  int32_t filter_qdim = -1;         // -1: 0 for conv, 3 for depthwise
  bool filter_quantized = true;
  // Bias: absent unless `has_bias`; `bias_minus_one` writes input 2 = -1.
  bool has_bias = false;
  bool bias_minus_one = false;
  tflite::TensorType bias_type = tflite::TensorType_INT32;
  std::vector<int32_t> bias;
  std::vector<float> bias_f;
  std::vector<int32_t> bias_shape;  // empty: [C_out]
  int64_t bias_zp = 0;
  // Options.
  bool with_options = true;
  int8_t padding = tflite::Padding_VALID;
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int8_t activation = tflite::ActivationFunctionType_NONE;
  int32_t depth_multiplier = -1;  // -1: C_out / C_in

  bool is_float() const { return type == tflite::TensorType_FLOAT32; }

  std::vector<uint8_t> Build() const {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<tflite::Buffer>> buffers;
    std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
    buffers.push_back(tflite::CreateBuffer(fbb));
    auto add = [&](const std::vector<int32_t>& shape, tflite::TensorType t, const char* name,
                   const std::vector<uint8_t>* data, const std::vector<float>* scales,
                   const std::vector<int64_t>* zps, int32_t qdim) {
      flatbuffers::Offset<tflite::Buffer> buf =
          data != nullptr ? tflite::CreateBufferDirect(fbb, data) : tflite::CreateBuffer(fbb);
      buffers.push_back(buf);
      flatbuffers::Offset<tflite::QuantizationParameters> q = 0;
      if (scales != nullptr) {
        std::vector<int64_t> z =
            zps != nullptr && !zps->empty() ? *zps : std::vector<int64_t>(scales->size(), 0);
        q = tflite::CreateQuantizationParametersDirect(fbb, nullptr, nullptr, scales, &z,
                                                       tflite::QuantizationDetails_NONE, 0, qdim);
      }
      tensors.push_back(tflite::CreateTensorDirect(
          fbb, &shape, t, static_cast<uint32_t>(buffers.size() - 1), name, q));
      return static_cast<int32_t>(tensors.size() - 1);
    };
    const bool q = !is_float();
    const std::vector<float> in_s = {in_scale}, out_s = {out_scale};
    const std::vector<int64_t> in_z = {in_zp}, out_z = {out_zp};
    const int32_t in = add(in_shape, type, "input", nullptr, q ? &in_s : nullptr, &in_z, 0);
    const std::vector<uint8_t> fdata =
        filter_type == tflite::TensorType_FLOAT32 ? Bytes(filter_f) : Bytes(filter);
    const int32_t qdim = filter_qdim >= 0 ? filter_qdim : (depthwise ? 3 : 0);
    const int32_t flt = add(
        filter_shape, filter_type, "filter", &fdata,
        filter_quantized && filter_type != tflite::TensorType_FLOAT32 ? &filter_scales : nullptr,
        &filter_zps, filter_scales.size() > 1 ? qdim : 0);
    const int32_t c_out = depthwise ? filter_shape[3] : filter_shape[0];
    int32_t b = -1;
    if (has_bias) {
      const std::vector<int32_t> shape =
          bias_shape.empty() ? std::vector<int32_t>{c_out} : bias_shape;
      const std::vector<uint8_t> bdata =
          bias_type == tflite::TensorType_FLOAT32 ? Bytes(bias_f) : Bytes(bias);
      std::vector<float> bs;
      for (float s : filter_scales) bs.push_back(in_scale * s);
      const std::vector<int64_t> bz(bs.size(), bias_zp);
      b = add(shape, bias_type, "bias", &bdata, q ? &bs : nullptr, &bz, 0);
    }
    const int32_t out = add(out_shape, type, "output", nullptr, q ? &out_s : nullptr, &out_z, 0);

    std::vector<int32_t> inputs = {in, flt};
    if (has_bias || bias_minus_one) inputs.push_back(b);
    const std::vector<int32_t> outputs = {out};
    const tflite::BuiltinOperator code =
        depthwise ? tflite::BuiltinOperator_DEPTHWISE_CONV_2D : tflite::BuiltinOperator_CONV_2D;
    flatbuffers::Offset<void> options = 0;
    tflite::BuiltinOptions options_type = tflite::BuiltinOptions_NONE;
    if (with_options) {
      const auto pad = static_cast<tflite::Padding>(padding);
      const auto act = static_cast<tflite::ActivationFunctionType>(activation);
      if (depthwise) {
        const int32_t in_c = in_shape.size() == 4 ? in_shape[3] : 1;
        const int32_t dm =
            depth_multiplier >= 0 ? depth_multiplier : (in_c != 0 ? c_out / in_c : 0);
        options = tflite::CreateDepthwiseConv2DOptions(fbb, pad, stride_w, stride_h, dm, act,
                                                       dilation_w, dilation_h)
                      .Union();
        options_type = tflite::BuiltinOptions_DepthwiseConv2DOptions;
      } else {
        options =
            tflite::CreateConv2DOptions(fbb, pad, stride_w, stride_h, act, dilation_w, dilation_h)
                .Union();
        options_type = tflite::BuiltinOptions_Conv2DOptions;
      }
    }
    const std::vector<flatbuffers::Offset<tflite::Operator>> ops = {
        tflite::CreateOperatorDirect(fbb, 0, &inputs, &outputs, options_type, options)};
    const std::vector<int32_t> sg_in = {in}, sg_out = {out};
    const std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
        tflite::CreateSubGraphDirect(fbb, &tensors, &sg_in, &sg_out, &ops, "main")};
    const std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes = {
        tflite::CreateOperatorCode(fbb, static_cast<int8_t>(code), 0, version, code)};
    fbb.Finish(tflite::CreateModelDirect(fbb, 3, &codes, &subgraphs, "conv test", &buffers),
               tflite::ModelIdentifier());
    return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  }
};

struct RunResult {
  Status status;
  std::vector<uint8_t> output;  // raw bytes of output 0
  template <typename T>
  std::vector<T> as() const {
    std::vector<T> v(output.size() / sizeof(T));
    if (!v.empty()) memcpy(v.data(), output.data(), v.size() * sizeof(T));
    return v;
  }
};

// Prepares the model (and, when that succeeds and `input` is given, runs it).
inline RunResult RunConv(const ConvCase& c, const std::vector<uint8_t>* input = nullptr,
                         size_t arena_bytes = 64 * 1024) {
  RunResult r;
  const std::vector<uint8_t> bytes = c.Build();
  std::vector<uint64_t> model((bytes.size() + 7) / 8);  // 8-aligned copy
  memcpy(model.data(), bytes.data(), bytes.size());
  OpRegistry registry;
  registry.Add(Conv2D());
  registry.Add(DepthwiseConv2D());
  std::vector<uint64_t> arena((arena_bytes + 7) / 8);
  Interpreter interp;
  InterpreterOptions options;
  options.kernels = KernelChoice::kReference;
  r.status = interp.Init(model.data(), bytes.size(), registry, arena.data(), arena_bytes, options);
  if (!r.status.ok() || input == nullptr) return r;
  Tensor* in = interp.input(0);
  if (static_cast<size_t>(in->bytes) != input->size()) {
    r.status = Status::Error(StatusCode::kInvalidArgument,
                             "test input has %zu bytes, model wants %d", input->size(), in->bytes);
    return r;
  }
  memcpy(in->data, input->data(), input->size());
  r.status = interp.Invoke();
  const Tensor* out = interp.output(0);
  r.output.assign(out->data, out->data + out->bytes);
  return r;
}

inline std::vector<uint8_t> Int8Input(const std::vector<int8_t>& v) { return Bytes(v); }

// ---- The optimized-kernel tests' harness. ----

// An 8-aligned copy of a model's bytes (what the Interpreter reads).
inline std::vector<uint64_t> AlignedModel(const std::vector<uint8_t>& bytes) {
  std::vector<uint64_t> model((bytes.size() + 7) / 8);
  memcpy(model.data(), bytes.data(), bytes.size());
  return model;
}

struct Outcome {
  Status status;
  std::string variant;
  std::vector<uint8_t> output;
  std::vector<uint8_t> extra_output;  // what `after` (RunModel) produced, if anything
};

// Runs a single-op model with `op` registered and the kernels `kernels`;
// then `after(interp, input, &outcome)` (a test may re-run the prepared node
// another way).
template <typename After>
Outcome RunModel(const std::vector<uint8_t>& model_bytes, const std::vector<uint8_t>& input,
                 const OpRegistration& op, KernelChoice kernels, After after) {
  Outcome r;
  std::vector<uint64_t> model = AlignedModel(model_bytes);
  OpRegistry registry;
  registry.Add(op);
  const size_t arena_bytes = 512 * 1024;
  std::vector<uint64_t> arena(arena_bytes / 8);
  Interpreter interp;
  InterpreterOptions options;
  options.kernels = kernels;
  r.status = interp.Init(model.data(), model_bytes.size(), registry, arena.data(), arena_bytes,
                         options);
  if (!r.status.ok()) return r;
  r.variant = interp.node(0).variant;
  Tensor* in = interp.input(0);
  if (static_cast<size_t>(in->bytes) != input.size()) {
    r.status = Status::Error(StatusCode::kInvalidArgument, "input size");
    return r;
  }
  memcpy(in->data, input.data(), input.size());
  r.status = interp.Invoke();
  const Tensor* out = interp.output(0);
  r.output.assign(out->data, out->data + out->bytes);
  after(interp, input, &r);
  return r;
}

// TFLite's output extent for SAME / VALID padding.
inline int32_t OutSize(bool same, int32_t in, int32_t k, int32_t stride, int32_t dilation) {
  const int32_t eff = (k - 1) * dilation + 1;
  return same ? (in + stride - 1) / stride : (in - eff + stride) / stride;
}

// The random draws the case generators share (the draw order is part of
// each test's seeded cases: keep it).
struct CaseRng {
  std::mt19937& rng;
  int32_t pick(std::initializer_list<int32_t> v) { return *(v.begin() + rng() % v.size()); }
  int32_t uniform(int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
  }
  float log_uniform(float lo, float hi) {
    const float t = static_cast<float>(rng() % 10000) / 10000.0f;
    return lo * std::pow(hi / lo, t);
  }
};

// Padding, strides and dilations; then random zero points, fused activation
// and input scale.
inline void RandomWindowAndQuant(CaseRng& r, bool same, int32_t sh, int32_t sw, int32_t dh,
                                 int32_t dw, ConvCase* c) {
  c->padding = same ? tflite::Padding_SAME : tflite::Padding_VALID;
  c->stride_h = sh;
  c->stride_w = sw;
  c->dilation_h = dh;
  c->dilation_w = dw;
  c->in_zp = r.pick({-128, 127, 0, -1, 17, -77});
  c->out_zp = r.pick({-128, 127, 0, 3, -100});
  c->activation = static_cast<int8_t>(r.pick({tflite::ActivationFunctionType_NONE,
                                              tflite::ActivationFunctionType_RELU,
                                              tflite::ActivationFunctionType_RELU6,
                                              tflite::ActivationFunctionType_RELU_N1_TO_1}));
  c->in_scale = r.log_uniform(0.002f, 0.5f);
}

// `bytes` random input bytes: sometimes only the extremes -128 / 127.
inline void RandomInput(CaseRng& r, size_t bytes, std::vector<uint8_t>* input) {
  input->resize(bytes);
  const int imode = static_cast<int>(r.rng() % 5);
  for (auto& v : *input) {
    v = static_cast<uint8_t>(imode == 0 ? r.pick({-128, 127}) : r.uniform(-128, 127));
  }
}

inline void WriteFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  fwrite(bytes.data(), 1, bytes.size(), f);
  fclose(f);
}

struct RandomRun {
  int cases = 0;                     // cases that prepared
  std::map<std::string, int> chosen;  // optimized variant -> cases
  int extra = 0;                     // cases with an extra_output (all equal to the reference)
};

// `count` seeded random cases: make(rng, i, &case, &input) draws case i
// (false: empty shape), run(model, input, kernels) runs it. Each runs with
// the reference and the optimized kernels; the outputs (and any
// extra_output) must be identical. With the environment variable `dump_env`
// set to a folder, writes every case there (case_N.tflite, case_N.in) for
// the firmware/tests scripts that replay them on the emulated cores.
template <typename Make, typename Run>
void CompareRandomCases(uint32_t seed, int count, const char* dump_env, Make make, Run run,
                        RandomRun* out) {
  const char* dump = getenv(dump_env);
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    ConvCase c;
    std::vector<uint8_t> input;
    if (!make(rng, i, &c, &input)) continue;
    const std::vector<uint8_t> model = c.Build();
    const Outcome ref = run(model, input, KernelChoice::kReference);
    const Outcome opt = run(model, input, KernelChoice::kOptimized);
    ASSERT_EQ(ref.status.ok(), opt.status.ok()) << "case " << i;
    if (!ref.status.ok()) continue;  // e.g. an empty activation range
    ++out->cases;
    ++out->chosen[opt.variant];
    ASSERT_EQ(ref.variant, "reference");
    const std::string what = "case " + std::to_string(i) + " variant " + opt.variant + " in " +
                             std::to_string(c.in_shape[1]) + "x" + std::to_string(c.in_shape[2]) +
                             "x" + std::to_string(c.in_shape[3]) + " filter " +
                             std::to_string(c.filter_shape[0]) + "x" +
                             std::to_string(c.filter_shape[1]) + "x" +
                             std::to_string(c.filter_shape[2]) + "x" +
                             std::to_string(c.filter_shape[3]) + " stride " +
                             std::to_string(c.stride_h) + "x" + std::to_string(c.stride_w);
    ASSERT_EQ(opt.output, ref.output) << what;
    if (!opt.extra_output.empty()) {
      ++out->extra;
      ASSERT_EQ(opt.extra_output, ref.output) << what << " (extra run)";
    }
    if (dump != nullptr) {
      const std::string base = std::string(dump) + "/case_" + std::to_string(i);
      WriteFile(base + ".tflite", model);
      WriteFile(base + ".in", input);
    }
  }
  for (const auto& kv : out->chosen) printf("  %-16s %d cases\n", kv.first.c_str(), kv.second);
}

// Prepares `c` with `kernels`; the node's arena footprint.
struct Footprint {
  bool ok = false;
  size_t persistent = 0;
  int32_t scratch_bytes = 0;
  std::string variant;
};
inline Footprint PrepareOnly(const ConvCase& c, const OpRegistration& op, KernelChoice kernels) {
  Footprint f;
  const std::vector<uint8_t> bytes = c.Build();
  std::vector<uint64_t> model = AlignedModel(bytes);
  OpRegistry registry;
  registry.Add(op);
  std::vector<uint64_t> arena(64 * 1024 / 8);
  Interpreter interp;
  InterpreterOptions options;
  options.kernels = kernels;
  f.ok = interp.Init(model.data(), bytes.size(), registry, arena.data(), 64 * 1024, options).ok();
  if (!f.ok) return f;
  f.persistent = interp.arena_usage().persistent;
  f.scratch_bytes = interp.node(0).scratch_bytes;
  f.variant = interp.node(0).variant;
  return f;
}

// The quantization and data of a random CONV_2D case whose shapes are set
// (depth = KH * KW * C_in): filter and output scales, filter values, bias.
// Effective scales are mostly realistic (2^-12 .. 2^-3); sometimes >= 0.5
// (shift >= 0: the reference path) or >= 1 (left shifts, saturation), or
// tiny (2^-33 .. 2^-20, some multipliers flushed to 0: the dead channels of
// real models, whose bias is often +-2^30).
inline void RandomConvQuantAndData(CaseRng& r, int32_t out_c, int32_t depth, ConvCase* c) {
  std::mt19937& rng = r.rng;
  const int regime = static_cast<int>(rng() % 9);
  const float eff_lo =
      regime == 0 ? 0.4f : (regime == 1 ? 2.0f : (regime == 2 ? 1e-10f : 1.0f / 4096));
  const float eff_hi =
      regime == 0 ? 3.0f : (regime == 1 ? 300.0f : (regime == 2 ? 1e-6f : 0.125f));
  const bool per_channel = rng() % 4 != 0;
  const int32_t n_scales = per_channel ? out_c : 1;
  const float filter_scale = 0.01f;
  c->filter_scales.clear();
  // Sometimes channels of very different scales side by side (dead,
  // ordinary and >= 0.5 effective scales in one layer).
  const bool mixed = rng() % 4 == 0;
  for (int32_t i = 0; i < n_scales; ++i) {
    const float f = mixed ? static_cast<float>(r.pick({1, 1, 1, 0, 100})) : 1.0f;
    c->filter_scales.push_back(filter_scale * r.log_uniform(0.5f, 2.0f) * (f == 0 ? 1e-8f : f));
  }
  c->out_scale = c->in_scale * filter_scale / r.log_uniform(eff_lo, eff_hi);
  c->filter.resize(static_cast<size_t>(out_c) * depth);
  const int wmode = static_cast<int>(rng() % 6);
  for (auto& v : c->filter) {
    v = static_cast<int8_t>(wmode == 0 ? r.pick({-128, 127, -127}) : r.uniform(-128, 127));
  }
  c->has_bias = rng() % 5 != 0;
  if (c->has_bias) {
    c->bias.resize(static_cast<size_t>(out_c));
    const int bmode = static_cast<int>(rng() % 6);
    for (auto& b : c->bias) {
      if (bmode == 0) {
        b = static_cast<int32_t>(rng());  // anything: the accumulator may wrap
      } else if (bmode == 1) {
        b = r.pick({1 << 30, -(1 << 30), (1 << 30) + 128, -(1 << 30) - 128, 0, 1000});
      } else {
        b = r.uniform(-20000, 20000);
      }
    }
  }
}

// Filter and output scales of a random DEPTHWISE_CONV_2D case: effective
// scales mostly realistic (2^-12 .. 2^-2), sometimes >= 0.5 (shift >= 0: the
// DSP/MVE predicates refuse) or >= 1 (left shifts, saturation); per tensor
// or per channel, sometimes with a few tiny channels (right shifts up to
// ~30). The tests draw weights and bias themselves (their ranges differ).
inline void RandomDepthwiseScales(CaseRng& r, int32_t out_c, ConvCase* c) {
  std::mt19937& rng = r.rng;
  const int regime = static_cast<int>(rng() % 8);
  const float eff_lo = regime == 0 ? 0.4f : (regime == 1 ? 2.0f : 1.0f / 4096);
  const float eff_hi = regime == 0 ? 3.0f : (regime == 1 ? 300.0f : 0.25f);
  const bool per_channel = rng() % 4 != 0;
  const int32_t n_scales = per_channel ? out_c : 1;
  const float filter_scale = 0.01f;
  c->filter_scales.clear();
  const bool tiny = per_channel && rng() % 5 == 0;
  for (int32_t i = 0; i < n_scales; ++i) {
    float sc = filter_scale * r.log_uniform(0.5f, 2.0f);
    if (tiny && rng() % 3 == 0) sc *= std::ldexp(1.0f, -static_cast<int>(rng() % 19));
    c->filter_scales.push_back(sc);
  }
  c->out_scale = c->in_scale * filter_scale / r.log_uniform(eff_lo, eff_hi);
}

}  // namespace conv_test
}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_CONV2D_CONV_TEST_UTIL_H_
