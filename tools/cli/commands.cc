#include "commands.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "describe.h"
#include "host_runner.h"
#include "json.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace cli {
namespace {

struct CommonArgs {
  std::string model;
  std::vector<std::string> inputs;
  KernelChoice kernels = KernelChoice::kOptimized;
  bool json = false;
};

// Parses the flags shared by the commands; `allowed` lists the flags the
// command accepts. False (with a message printed) on bad usage.
bool ParseArgs(const char* command, const std::vector<std::string>& args,
               const std::vector<std::string>& allowed, CommonArgs* out) {
  auto is_allowed = [&](const std::string& flag) {
    for (const auto& a : allowed) {
      if (a == flag) return true;
    }
    return false;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= args.size()) {
        fprintf(stderr, "mote %s: %s needs a value\n", command, a.c_str());
        return false;
      }
      *v = args[++i];
      return true;
    };
    if (a.size() > 1 && a[0] == '-' && !is_allowed(a)) {
      fprintf(stderr, "mote %s: unknown option '%s'\n", command, a.c_str());
      return false;
    }
    if (a == "--input") {
      std::string v;
      if (!value(&v)) return false;
      out->inputs.push_back(v);
    } else if (a == "--kernels") {
      std::string v;
      if (!value(&v)) return false;
      if (v == "reference") {
        out->kernels = KernelChoice::kReference;
      } else if (v == "optimized") {
        out->kernels = KernelChoice::kOptimized;
      } else {
        fprintf(stderr, "mote %s: --kernels must be 'reference' or 'optimized', not '%s'\n", command,
                v.c_str());
        return false;
      }
    } else if (a == "--json") {
      out->json = true;
    } else if (out->model.empty()) {
      out->model = a;
    } else {
      fprintf(stderr, "mote %s: unexpected argument '%s'\n", command, a.c_str());
      return false;
    }
  }
  if (out->model.empty()) {
    fprintf(stderr, "mote %s: no MODEL given\n", command);
    return false;
  }
  return true;
}

std::string ShapeString(const Tensor& t) {
  std::string s = "[";
  for (int i = 0; i < t.rank; ++i) s += (i ? "," : "") + std::to_string(t.dims[i]);
  return s + "]";
}

// One output value as text: the raw value and, when quantized, the real one.
std::string ValueString(const Tensor& t, int32_t i) {
  char buf[64];
  switch (t.type) {
    case DType::kInt8: {
      const int v = t.as<int8_t>()[i];
      if (t.num_scales > 0) {
        snprintf(buf, sizeof(buf), "%d (%.6g)", v, (v - t.zero_point) * static_cast<double>(t.scale));
      } else {
        snprintf(buf, sizeof(buf), "%d", v);
      }
      break;
    }
    case DType::kUInt8:
      snprintf(buf, sizeof(buf), "%u", static_cast<unsigned>(t.as<uint8_t>()[i]));
      break;
    case DType::kInt16:
      snprintf(buf, sizeof(buf), "%d", t.as<int16_t>()[i]);
      break;
    case DType::kInt32:
      snprintf(buf, sizeof(buf), "%d", static_cast<int>(t.as<int32_t>()[i]));
      break;
    case DType::kInt64:
      snprintf(buf, sizeof(buf), "%" PRId64, t.as<int64_t>()[i]);
      break;
    case DType::kFloat32:
      snprintf(buf, sizeof(buf), "%.7g", static_cast<double>(t.as<float>()[i]));
      break;
    case DType::kBool:
      snprintf(buf, sizeof(buf), "%s", t.as<uint8_t>()[i] ? "true" : "false");
      break;
    default:
      snprintf(buf, sizeof(buf), "?");
  }
  return buf;
}

void TensorJson(Json& j, const Tensor& t, bool with_hex) {
  j.BeginObject();
  j.Key("name").String(t.name);
  j.Key("dtype").String(DTypeName(t.type));
  j.Key("shape").BeginArray();
  for (int d = 0; d < t.rank; ++d) j.Int(t.dims[d]);
  j.EndArray();
  j.Key("scale").Double(t.scale);
  j.Key("zero_point").Int(t.zero_point);
  if (with_hex) j.Key("hex").String(t.data ? Hex(t.data, static_cast<size_t>(t.bytes)) : "");
  j.EndObject();
}

bool Prepare(const char* command, const CommonArgs& args, HostRunner* runner) {
  InterpreterOptions options;
  options.kernels = args.kernels;
  std::string error;
  if (!runner->Load(args.model, options, &error)) {
    fprintf(stderr, "mote %s: %s: %s\n", command, args.model.c_str(), error.c_str());
    return false;
  }
  return true;
}

}  // namespace

int RunCommand(const std::vector<std::string>& argv) {
  CommonArgs args;
  if (!ParseArgs("run", argv, {"--input", "--kernels", "--json"}, &args)) return 2;
  HostRunner runner;
  if (!Prepare("run", args, &runner)) return 1;
  Interpreter& interp = runner.interpreter();
  if (!args.inputs.empty() && args.inputs.size() != interp.num_inputs()) {
    fprintf(stderr, "mote run: the model has %zu inputs, %zu --input given\n", interp.num_inputs(),
            args.inputs.size());
    return 2;
  }
  std::string error;
  for (size_t i = 0; i < interp.num_inputs(); ++i) {
    if (args.inputs.empty()) {
      runner.SetInputToZeroPoint(i);
    } else if (!runner.SetInputFromFile(i, args.inputs[i], &error)) {
      fprintf(stderr, "mote run: %s\n", error.c_str());
      return 1;
    }
  }
  if (!runner.Invoke(&error)) {
    fprintf(stderr, "mote run: %s\n", error.c_str());
    return 1;
  }
  const ArenaUsage usage = interp.arena_usage();
  if (args.json) {
    Json j;
    j.BeginObject();
    j.Key("model").String(args.model);
    j.Key("target").String("host");
    j.Key("kernels").String(args.kernels == KernelChoice::kReference ? "reference" : "optimized");
    j.Key("arena_bytes").Int(static_cast<int64_t>(usage.total()));
    j.Key("arena").BeginObject();
    j.Key("persistent").Int(static_cast<int64_t>(usage.persistent));
    j.Key("planned").Int(static_cast<int64_t>(usage.planned));
    j.EndObject();
    j.Key("outputs").BeginArray();
    for (size_t i = 0; i < interp.num_outputs(); ++i) TensorJson(j, *interp.output(i), true);
    j.EndArray();
    j.EndObject();
    printf("%s\n", j.str().c_str());
    return 0;
  }
  printf("model: %s\n", args.model.c_str());
  printf("kernels: %s\n", args.kernels == KernelChoice::kReference ? "reference" : "optimized");
  printf("arena: %zu bytes (persistent %zu + planned %zu)\n", usage.total(), usage.persistent,
         usage.planned);
  for (size_t i = 0; i < interp.num_outputs(); ++i) {
    const Tensor& t = *interp.output(i);
    printf("output %zu '%s' %s%s scale=%g zero_point=%d:", i, t.name, DTypeName(t.type),
           ShapeString(t).c_str(), static_cast<double>(t.scale), static_cast<int>(t.zero_point));
    const int32_t n = t.bytes / static_cast<int32_t>(DTypeSize(t.type));
    const int32_t shown = n > 32 ? 32 : n;
    for (int32_t k = 0; k < shown; ++k) printf(" %s", ValueString(t, k).c_str());
    if (shown < n) printf(" ... (%d values)", static_cast<int>(n));
    printf("\n");
  }
  return 0;
}

int InspectCommand(const std::vector<std::string>& argv) {
  CommonArgs args;
  if (!ParseArgs("inspect", argv, {"--kernels"}, &args)) return 2;
  HostRunner runner;
  if (!Prepare("inspect", args, &runner)) return 1;
  const Interpreter& interp = runner.interpreter();
  const ArenaUsage usage = interp.arena_usage();

  printf("model: %s (%zu bytes)\n", args.model.c_str(), runner.model().size());
  printf("ops: %zu, tensors: %zu\n\n", interp.num_nodes(), interp.num_tensors());
  printf("%-4s %-20s %-12s %12s  %-40s %s\n", "op", "name", "kernel", "MACs", "options",
         "inputs -> outputs");
  int64_t total_macs = 0;
  for (size_t i = 0; i < interp.num_nodes(); ++i) {
    const Node& n = interp.node(i);
    const int64_t macs = NodeMacs(interp, n);
    total_macs += macs;
    std::string io;
    for (int k = 0; k < n.num_inputs; ++k) io += (k ? "," : "") + std::to_string(n.inputs[k]);
    io += " ->";
    for (int k = 0; k < n.num_outputs; ++k) io += " " + std::to_string(n.outputs[k]);
    printf("%-4zu %-20s %-12s %12lld  %-40s %s\n", i, BuiltinName(n.builtin),
           n.variant ? n.variant : "?", static_cast<long long>(macs),
           DescribeOptions(runner.model().data(), static_cast<int>(i)).c_str(), io.c_str());
  }
  printf("total MACs: %lld\n\n", static_cast<long long>(total_macs));

  printf("%-4s %-8s %-18s %10s %-16s %-28s %s\n", "t", "dtype", "shape", "bytes", "where",
         "quantization", "name");
  for (size_t i = 0; i < interp.num_tensors(); ++i) {
    const Tensor& t = interp.tensor(i);
    char where[32];
    if (t.is_constant()) {
      snprintf(where, sizeof(where), "model");
    } else if (t.flags & kTensorPlanned) {
      snprintf(where, sizeof(where), "arena@%d", static_cast<int>(t.arena_offset));
    } else {
      snprintf(where, sizeof(where), "unused");
    }
    char quant[64] = "-";
    if (t.num_scales == 1) {
      snprintf(quant, sizeof(quant), "s=%.6g zp=%d", static_cast<double>(t.scale),
               static_cast<int>(t.zero_point));
    } else if (t.num_scales > 1) {
      snprintf(quant, sizeof(quant), "per-channel x%d (dim %d)", static_cast<int>(t.num_scales),
               t.quantized_dimension);
    }
    printf("%-4zu %-8s %-18s %10d %-16s %-28s %s\n", i, DTypeName(t.type), ShapeString(t).c_str(),
           static_cast<int>(t.bytes), where, quant, t.name);
  }

  printf("\nmemory plan (planned region, offsets in bytes; live = op indices):\n");
  printf("%-10s %10s %10s %-12s %s\n", "buffer", "offset", "bytes", "live", "name");
  for (size_t i = 0; i < interp.num_tensors(); ++i) {
    const Tensor& t = interp.tensor(i);
    if (!(t.flags & kTensorPlanned) || t.bytes == 0) continue;
    char live[32];
    snprintf(live, sizeof(live), "%d..%d", t.first_use, t.last_use);
    printf("tensor %-3zu %10d %10d %-12s %s\n", i, static_cast<int>(t.arena_offset),
           static_cast<int>(t.bytes), live, t.name);
  }
  for (size_t i = 0; i < interp.num_nodes(); ++i) {
    const Node& n = interp.node(i);
    if (n.scratch_bytes <= 0) continue;
    printf("scratch %-2zu %10d %10d %-12s %s\n", i, static_cast<int>(n.scratch_offset),
           static_cast<int>(n.scratch_bytes), (std::to_string(i) + ".." + std::to_string(i)).c_str(),
           BuiltinName(n.builtin));
  }
  printf("\narena: %zu bytes = persistent %zu (tables, op parameters) + planned %zu (activations, "
         "scratch)\n",
         usage.total(), usage.persistent, usage.planned);
  return 0;
}

}  // namespace cli
}  // namespace mote
