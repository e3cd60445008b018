// Model-level tests: the public models in ../shared (outputs equal TFLM's
// anchored bytes; person_detect and hello_world behave as they should) and
// the repo's own bundled models (outputs equal TensorFlow Lite's reference
// interpreter, recorded by tools/gen_models.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host_runner.h"
#include "test_util.h"

namespace mote {
namespace {

using nlohmann::json;

json LoadJson(const std::string& path) {
  std::ifstream f(path);
  if (!f.good()) return json();
  return json::parse(f, nullptr, /*allow_exceptions=*/false);
}

// Runs `model` on `input_path` (raw bytes of input 0) and returns the output
// tensors' bytes as hex, concatenated; or "error: ..." on failure.
std::string RunHex(const std::string& model, const std::string& input_path, KernelChoice kernels) {
  cli::HostRunner runner;
  InterpreterOptions options;
  options.kernels = kernels;
  std::string error;
  if (!runner.Load(model, options, &error)) return "error: " + error;
  if (!runner.SetInputFromFile(0, input_path, &error)) return "error: " + error;
  if (!runner.Invoke(&error)) return "error: " + error;
  std::string hex;
  for (size_t i = 0; i < runner.interpreter().num_outputs(); ++i) {
    const Tensor* t = runner.interpreter().output(i);
    hex += cli::Hex(t->data, static_cast<size_t>(t->bytes));
  }
  return hex;
}

// Models in ../shared that use ops outside this engine's set (SVDF, int16
// activations, the Signal custom ops); they must be rejected cleanly.
bool OutOfScope(const std::string& model_path) {
  return model_path.find("keyword_scrambled") != std::string::npos ||
         model_path.find("audio_preprocessor") != std::string::npos;
}

struct AnchoredRun {
  std::string model;
  std::string input;
  std::string expected_hex;
};

std::vector<AnchoredRun> AnchoredRuns() {
  std::vector<AnchoredRun> runs;
  const std::string shared = test::SharedDir();
  if (shared.empty()) return runs;
  const std::string dir = shared + "/anchors/";
  const json anchors = LoadJson(dir + "anchors.json");
  if (anchors.is_discarded() || anchors.is_null()) return runs;
  for (const auto& [name, m] : anchors["models"].items()) {
    for (const auto& [kind, input] : m["inputs"].items()) {
      if (!m["expected_output_hex"].contains(kind)) continue;
      runs.push_back({dir + m["model"].get<std::string>(), dir + input.get<std::string>(),
                      m["expected_output_hex"][kind].get<std::string>()});
    }
  }
  for (const auto& r : anchors["more_expected_outputs"]["runs"]) {
    std::string hex;
    for (const auto& h : r["expected_output_hex"]) hex += h.get<std::string>();
    runs.push_back({dir + r["model"].get<std::string>(), dir + r["input"].get<std::string>(), hex});
  }
  return runs;
}

TEST(SharedModels, AnchoredOutputsEqualTflm) {
  MOTE_REQUIRE_SHARED();
  const std::vector<AnchoredRun> runs = AnchoredRuns();
  ASSERT_FALSE(runs.empty()) << "no anchored runs found in ../shared/anchors/anchors.json";
  int checked = 0;
  int out_of_scope = 0;
  for (const AnchoredRun& r : runs) {
    if (OutOfScope(r.model)) {
      ++out_of_scope;
      continue;
    }
    for (KernelChoice k : {KernelChoice::kReference, KernelChoice::kOptimized}) {
      EXPECT_EQ(RunHex(r.model, r.input, k), r.expected_hex)
          << r.model << " on " << r.input
          << (k == KernelChoice::kReference ? " (reference)" : " (optimized)");
    }
    ++checked;
  }
  printf("anchored runs: %d bit-exact checks, %d out of scope (SVDF/int16 models)\n", checked,
         out_of_scope);
  EXPECT_GE(checked, 20);
}

TEST(SharedModels, EverySupportedModelRunsAndOthersAreRejectedClearly) {
  MOTE_REQUIRE_SHARED();
  const std::string dir = test::SharedDir() + "/models/";
  const json manifest = LoadJson(dir + "manifest.json");
  ASSERT_TRUE(manifest.contains("models"));
  for (const auto& m : manifest["models"]) {
    const std::string path = dir + m["dir"].get<std::string>() + "/" + m["file"].get<std::string>();
    cli::HostRunner runner;
    std::string error;
    const bool loaded = runner.Load(path, InterpreterOptions(), &error);
    if (OutOfScope(path)) {
      EXPECT_FALSE(loaded) << path;
      EXPECT_NE(error.find("mote lacks"), std::string::npos) << path << ": " << error;
      continue;
    }
    ASSERT_TRUE(loaded) << path << ": " << error;
    for (size_t i = 0; i < runner.interpreter().num_inputs(); ++i) runner.SetInputToZeroPoint(i);
    EXPECT_TRUE(runner.Invoke(&error)) << path << ": " << error;
  }
}

TEST(SharedModels, PersonDetectScoresTheRightClass) {
  MOTE_REQUIRE_SHARED();
  const std::string dir = test::SharedDir() + "/models/person_detect/";
  // Output [1,2] = {notperson, person} (manifest: output[1] is person).
  const std::vector<uint8_t> person =
      test::FromHex(RunHex(dir + "person_detect.tflite", dir + "person_int8.bin", KernelChoice::kOptimized));
  const std::vector<uint8_t> nobody = test::FromHex(
      RunHex(dir + "person_detect.tflite", dir + "no_person_int8.bin", KernelChoice::kOptimized));
  ASSERT_EQ(person.size(), 2u);
  ASSERT_EQ(nobody.size(), 2u);
  EXPECT_GT(static_cast<int8_t>(person[1]), static_cast<int8_t>(person[0]));
  EXPECT_GT(static_cast<int8_t>(nobody[0]), static_cast<int8_t>(nobody[1]));
}

// hello_world approximates sin(x) on [0, 2*pi]: every golden input must
// give a value within 0.05 of sin(x), int8 (dequantized) and float.
TEST(SharedModels, HelloWorldApproximatesSine) {
  MOTE_REQUIRE_SHARED();
  const std::string dir = test::SharedDir() + "/models/hello_world/";
  for (const bool quantized : {true, false}) {
    const std::string model = dir + (quantized ? "hello_world_int8.tflite" : "hello_world_float.tflite");
    const std::vector<uint8_t> golden =
        test::ReadBytes(dir + (quantized ? "golden_inputs_int8.bin" : "golden_inputs_float32.bin"));
    cli::HostRunner runner;
    std::string error;
    ASSERT_TRUE(runner.Load(model, InterpreterOptions(), &error)) << error;
    Tensor* in = runner.interpreter().input(0);
    const size_t step = static_cast<size_t>(in->bytes);
    ASSERT_GT(golden.size(), 0u);
    ASSERT_EQ(golden.size() % step, 0u);
    for (size_t at = 0; at < golden.size(); at += step) {
      memcpy(in->data, golden.data() + at, step);
      double x;
      if (quantized) {
        x = (static_cast<int8_t>(golden[at]) - in->zero_point) * static_cast<double>(in->scale);
      } else {
        float f;
        memcpy(&f, golden.data() + at, 4);
        x = f;
      }
      ASSERT_TRUE(runner.Invoke(&error)) << error;
      const Tensor* out = runner.interpreter().output(0);
      const double y = quantized
                           ? (out->as<int8_t>()[0] - out->zero_point) * static_cast<double>(out->scale)
                           : static_cast<double>(out->as<float>()[0]);
      EXPECT_NEAR(y, std::sin(x), 0.05) << model << " at x=" << x;
    }
  }
}

// The bundled models: outputs equal TensorFlow Lite's reference interpreter.
TEST(BundledModels, OutputsEqualTfliteReference) {
  const std::string dir = test::SourceDir() + "/models/";
  int checked = 0;
  for (const char* name : {"kws_dscnn", "person_mobilenet", "anomaly_mlp"}) {
    const json expected = LoadJson(dir + name + ".expected.json");
    ASSERT_TRUE(expected.contains("samples")) << name;
    for (const auto& s : expected["samples"]) {
      for (KernelChoice k : {KernelChoice::kReference, KernelChoice::kOptimized}) {
        EXPECT_EQ(RunHex(dir + name + ".tflite", dir + s["input"].get<std::string>(), k),
                  s["output_hex"].get<std::string>())
            << name << " on " << s["input"].get<std::string>();
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9);
}

// `mote run --json` is the interface scripts use: its hex must be the same
// bytes, and it must carry the documented keys.
TEST(Cli, RunJsonReportsOutputsAndArena) {
  const std::string dir = test::SourceDir() + "/models/";
  const json expected = LoadJson(dir + "kws_dscnn.expected.json");
  ASSERT_TRUE(expected.contains("samples"));
  const std::string cmd = std::string(MOTE_CLI_PATH) + " run " + dir + "kws_dscnn.tflite --input " +
                          dir + expected["samples"][0]["input"].get<std::string>() + " --json";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  ASSERT_EQ(pclose(p), 0) << out;
  const json j = json::parse(out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << out;
  EXPECT_GT(j["arena_bytes"].get<int64_t>(), 0);
  ASSERT_EQ(j["outputs"].size(), 1u);
  const json& o = j["outputs"][0];
  for (const char* key : {"name", "dtype", "shape", "scale", "zero_point", "hex"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  EXPECT_EQ(o["dtype"], "int8");
  EXPECT_EQ(o["hex"], expected["samples"][0]["output_hex"]);
}

}  // namespace
}  // namespace mote

namespace mote {
namespace {

std::string RunCliJsonHex(const std::string& model, const std::string& input) {
  const std::string cmd = std::string(MOTE_CLI_PATH) + " run '" + model + "' --input '" + input + "' --json";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return "popen failed";
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  if (pclose(p) != 0) return "mote run failed: " + out;
  const json j = json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.contains("outputs")) return "bad json: " + out;
  std::string hex;
  for (const auto& o : j["outputs"]) hex += o["hex"].get<std::string>();
  return hex;
}

TEST(Cli, AnchoredOutputsEqualTflmThroughRunJson) {
  MOTE_REQUIRE_SHARED();
  int checked = 0;
  for (const AnchoredRun& r : AnchoredRuns()) {
    if (OutOfScope(r.model)) continue;
    EXPECT_EQ(RunCliJsonHex(r.model, r.input), r.expected_hex) << r.model << " on " << r.input;
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

}  // namespace
}  // namespace mote
