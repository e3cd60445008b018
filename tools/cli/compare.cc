// `mote compare MODEL [--input FILE]... [--kernels K]`: runs TensorFlow
// Lite's reference interpreter (tools/oracle/litert_ref.py, ai-edge-litert)
// and mote on the same inputs, keeping every intermediate tensor, and reports
// either "bit-exact: N tensors" or the first differing tensor in execution
// order, so a mismatch points at one op.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "host_runner.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace cli {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

bool RunCapture(const std::string& cmd, std::string* out) {
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return false;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out->append(buf, n);
  return pclose(p) == 0;
}

std::vector<uint8_t> Unhex(const std::string& hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(std::strtoul(hex.substr(2 * i, 2).c_str(), nullptr, 16));
  }
  return out;
}

// Element-wise difference of two buffers of `type`: count and max |a-b|.
void Diff(DType type, const uint8_t* a, const uint8_t* b, size_t bytes, size_t* count, double* max_abs) {
  *count = 0;
  *max_abs = 0;
  const size_t size = DTypeSize(type) ? DTypeSize(type) : 1;
  for (size_t at = 0; at + size <= bytes; at += size) {
    if (memcmp(a + at, b + at, size) == 0) continue;
    ++*count;
    double x = 0;
    double y = 0;
    switch (type) {
      case DType::kInt8: x = static_cast<int8_t>(a[at]); y = static_cast<int8_t>(b[at]); break;
      case DType::kUInt8: case DType::kBool: x = a[at]; y = b[at]; break;
      case DType::kInt16: { int16_t u, v; memcpy(&u, a + at, 2); memcpy(&v, b + at, 2); x = u; y = v; break; }
      case DType::kInt32: { int32_t u, v; memcpy(&u, a + at, 4); memcpy(&v, b + at, 4); x = u; y = v; break; }
      case DType::kInt64: { int64_t u, v; memcpy(&u, a + at, 8); memcpy(&v, b + at, 8); x = static_cast<double>(u); y = static_cast<double>(v); break; }
      case DType::kFloat32: { float u, v; memcpy(&u, a + at, 4); memcpy(&v, b + at, 4); x = u; y = v; break; }
      default: x = 1; y = 0;
    }
    const double d = x > y ? x - y : y - x;
    if (d > *max_abs) *max_abs = d;
  }
}

}  // namespace

int CompareCommand(const std::vector<std::string>& args) {
  std::string model;
  std::vector<std::string> inputs;
  InterpreterOptions options;
  options.kernels = KernelChoice::kOptimized;
  options.preserve_all_tensors = true;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--input" && i + 1 < args.size()) {
      inputs.push_back(args[++i]);
    } else if (args[i] == "--kernels" && i + 1 < args.size()) {
      const std::string k = args[++i];
      if (k != "reference" && k != "optimized") {
        fprintf(stderr, "mote compare: --kernels must be 'reference' or 'optimized'\n");
        return 2;
      }
      options.kernels = k == "reference" ? KernelChoice::kReference : KernelChoice::kOptimized;
    } else if (!args[i].empty() && args[i][0] == '-') {
      fprintf(stderr, "mote compare: unknown option '%s'\n", args[i].c_str());
      return 2;
    } else if (model.empty()) {
      model = args[i];
    } else {
      fprintf(stderr, "mote compare: unexpected argument '%s'\n", args[i].c_str());
      return 2;
    }
  }
  if (model.empty()) {
    fprintf(stderr, "usage: mote compare MODEL [--input FILE]... [--kernels reference|optimized]\n");
    return 2;
  }

  // mote, keeping every tensor alive to the end.
  HostRunner runner;
  std::string error;
  if (!runner.Load(model, options, &error)) {
    fprintf(stderr, "mote compare: %s: %s\n", model.c_str(), error.c_str());
    return 1;
  }
  Interpreter& interp = runner.interpreter();
  if (!inputs.empty() && inputs.size() != interp.num_inputs()) {
    fprintf(stderr, "mote compare: the model has %zu inputs, %zu --input given\n", interp.num_inputs(),
            inputs.size());
    return 2;
  }
  for (size_t i = 0; i < interp.num_inputs(); ++i) {
    if (inputs.empty()) {
      runner.SetInputToZeroPoint(i);
    } else if (!runner.SetInputFromFile(i, inputs[i], &error)) {
      fprintf(stderr, "mote compare: %s\n", error.c_str());
      return 1;
    }
  }
  if (!runner.Invoke(&error)) {
    fprintf(stderr, "mote compare: %s\n", error.c_str());
    return 1;
  }

  // TensorFlow Lite's reference interpreter on the same inputs.
  const char* helper_env = getenv("MOTE_LITERT_REF");
  const std::string helper = helper_env != nullptr ? helper_env : MOTE_TOOLS_DIR "/oracle/litert_ref.py";
  std::string cmd = "python3 " + ShellQuote(helper) + " " + ShellQuote(model) + " --all-tensors";
  for (const std::string& in : inputs) cmd += " --input " + ShellQuote(in);
  std::string out;
  if (!RunCapture(cmd, &out)) {
    fprintf(stderr,
            "mote compare: the TensorFlow Lite reference helper failed (%s); it needs ai-edge-litert "
            "(pip install -r tools/requirements.txt)\n%s\n",
            cmd.c_str(), out.c_str());
    return 1;
  }
  const nlohmann::json ref = nlohmann::json::parse(out, nullptr, false);
  if (ref.is_discarded() || !ref.contains("tensors")) {
    fprintf(stderr, "mote compare: unreadable output from %s\n", helper.c_str());
    return 1;
  }
  std::vector<std::string> ref_hex(interp.num_tensors());
  std::vector<bool> ref_has(interp.num_tensors(), false);
  for (const auto& t : ref["tensors"]) {
    const int64_t index = t.value("index", static_cast<int64_t>(-1));
    if (index < 0 || static_cast<size_t>(index) >= ref_hex.size() || !t.contains("hex") || t["hex"].is_null()) {
      continue;
    }
    ref_hex[static_cast<size_t>(index)] = t["hex"].get<std::string>();
    ref_has[static_cast<size_t>(index)] = true;
  }

  // Walk op outputs in execution order; the first difference names its op.
  size_t compared = 0;
  for (size_t n = 0; n < interp.num_nodes(); ++n) {
    const Node& node = interp.node(n);
    for (int k = 0; k < node.num_outputs; ++k) {
      const int ti = node.outputs[k];
      const Tensor& t = interp.tensor(static_cast<size_t>(ti));
      if (!ref_has[static_cast<size_t>(ti)] || t.data == nullptr) continue;
      const std::vector<uint8_t> want = Unhex(ref_hex[static_cast<size_t>(ti)]);
      ++compared;
      if (want.size() != static_cast<size_t>(t.bytes)) {
        printf("first difference: tensor %d '%s' (output of op %zu %s): %d bytes in mote, %zu in "
               "TensorFlow Lite\n",
               ti, t.name, n, BuiltinName(node.builtin), static_cast<int>(t.bytes), want.size());
        return 1;
      }
      size_t count = 0;
      double max_abs = 0;
      Diff(t.type, t.data, want.data(), want.size(), &count, &max_abs);
      if (count > 0) {
        printf("first difference: tensor %d '%s' (output of op %zu %s, kernel %s): %zu of %d "
               "elements differ, max abs difference %g\n",
               ti, t.name, n, BuiltinName(node.builtin), node.variant ? node.variant : "?", count,
               static_cast<int>(t.elements()), max_abs);
        return 1;
      }
    }
  }
  printf("bit-exact: %zu tensors\n", compared);
  return compared > 0 ? 0 : 1;
}

}  // namespace cli
}  // namespace mote
