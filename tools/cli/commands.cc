#include "commands.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "describe.h"
#include "host_runner.h"
#include "json.h"
#include "runtime/kernel_api.h"
#include "svg.h"
#include "target.h"

namespace mote {
namespace cli {
namespace {

struct CommonArgs {
  std::string model;
  std::vector<std::string> inputs;
  KernelChoice kernels = KernelChoice::kOptimized;
  bool json = false;
  std::string target = "host";  // host, cortex-m4, cortex-m55
  std::string firmware;         // --firmware (cortex targets)
  std::string plugin;           // --plugin (cortex targets)
  bool profile = true;          // per-op counts on cortex targets (--no-profile: off)
  std::string svg;              // inspect --svg FILE
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
    } else if (a == "--target") {
      if (!value(&out->target)) return false;
      if (out->target != "host" && !IsCortexTarget(out->target)) {
        fprintf(stderr, "mote %s: --target must be host, cortex-m4 or cortex-m55, not '%s'\n",
                command, out->target.c_str());
        return false;
      }
    } else if (a == "--firmware") {
      if (!value(&out->firmware)) return false;
    } else if (a == "--plugin") {
      if (!value(&out->plugin)) return false;
    } else if (a == "--no-profile") {
      out->profile = false;
    } else if (a == "--svg") {
      if (!value(&out->svg)) return false;
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
  if (!ParseArgs("run", argv,
                 {"--input", "--kernels", "--json", "--target", "--firmware", "--plugin",
                  "--no-profile"},
                 &args)) {
    return 2;
  }
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
  const bool on_target = args.target != "host";
  ArenaUsage usage = interp.arena_usage();
  TargetResult tr;
  if (!on_target) {
    if (!runner.Invoke(&error)) {
      fprintf(stderr, "mote run: %s\n", error.c_str());
      return 1;
    }
  } else {
    // The host has checked the model and the inputs; the target computes.
    TargetOptions topt;
    topt.target = args.target;
    topt.firmware = args.firmware;
    topt.plugin = args.plugin;
    topt.profile = args.profile;
    if (!RunOnTarget(args.model, args.inputs, args.kernels, topt, &tr, &error)) {
      fprintf(stderr, "mote run: %s\n", error.c_str());
      return 1;
    }
    if (tr.output_hex.size() != interp.num_outputs()) {
      fprintf(stderr, "mote run: the firmware returned %zu outputs, the model has %zu\n",
              tr.output_hex.size(), interp.num_outputs());
      return 1;
    }
    // The target's output bytes into the host's output tensors, so both print alike.
    for (size_t i = 0; i < interp.num_outputs(); ++i) {
      Tensor* t = interp.output(i);
      const std::string& hex = tr.output_hex[i];
      const size_t n = t->data ? static_cast<size_t>(t->bytes) : 0;
      if (hex.size() != 2 * n) {
        fprintf(stderr, "mote run: output %zu: the firmware returned %zu bytes, expected %zu\n", i,
                hex.size() / 2, n);
        return 1;
      }
      for (size_t k = 0; k < n; ++k) {
        t->data[k] = static_cast<uint8_t>(strtoul(hex.substr(2 * k, 2).c_str(), nullptr, 16));
      }
    }
    usage.persistent = static_cast<size_t>(tr.arena_persistent);
    usage.planned = static_cast<size_t>(tr.arena_planned);
  }
  if (args.json) {
    Json j;
    j.BeginObject();
    j.Key("model").String(args.model);
    j.Key("target").String(args.target);
    j.Key("kernels").String(args.kernels == KernelChoice::kReference ? "reference" : "optimized");
    j.Key("arena_bytes").Int(static_cast<int64_t>(usage.total()));
    j.Key("arena").BeginObject();
    j.Key("persistent").Int(static_cast<int64_t>(usage.persistent));
    j.Key("planned").Int(static_cast<int64_t>(usage.planned));
    j.EndObject();
    j.Key("outputs").BeginArray();
    for (size_t i = 0; i < interp.num_outputs(); ++i) TensorJson(j, *interp.output(i), true);
    j.EndArray();
    if (on_target) {
      j.Key("board").String(tr.board);
      j.Key("firmware").String(tr.firmware);
      j.Key("instructions").Int(tr.instructions);
      j.Key("framing_instructions").Int(tr.framing);
      j.Key("init_instructions").Int(tr.init_instructions);
      if (args.profile) {
        j.Key("profiled_instructions").Int(tr.profiled_instructions);
        j.Key("ops").BeginArray();
        for (const TargetOp& op : tr.ops) {
          j.BeginObject();
          j.Key("index").Int(op.index);
          j.Key("op").String(op.op);
          j.Key("kernel").String(op.kernel);
          j.Key("instructions").Int(op.instructions);
          j.EndObject();
        }
        j.EndArray();
      }
      j.Key("text").Int(static_cast<int64_t>(tr.sizes.text));
      j.Key("data").Int(static_cast<int64_t>(tr.sizes.data));
      j.Key("bss").Int(static_cast<int64_t>(tr.sizes.bss));
      j.Key("stack").Int(static_cast<int64_t>(tr.sizes.stack));
      j.Key("qemu_seconds").Double(tr.seconds);
    }
    j.EndObject();
    printf("%s\n", j.str().c_str());
    return 0;
  }
  printf("model: %s\n", args.model.c_str());
  if (on_target) {
    printf("target: %s (QEMU %s, firmware %s)\n", args.target.c_str(), tr.board.c_str(),
           tr.firmware.c_str());
  }
  printf("kernels: %s\n", args.kernels == KernelChoice::kReference ? "reference" : "optimized");
  printf("arena: %zu bytes (persistent %zu + planned %zu)\n", usage.total(), usage.persistent,
         usage.planned);
  if (on_target) {
    printf("instructions per invoke: %lld (init %lld; framing %lld subtracted)\n",
           static_cast<long long>(tr.instructions), static_cast<long long>(tr.init_instructions),
           static_cast<long long>(tr.framing));
    if (args.profile) {
      printf("per op (profiled invoke, %lld instructions; each op includes ~13 of profiler "
             "dispatch):\n",
             static_cast<long long>(tr.profiled_instructions));
      for (const TargetOp& op : tr.ops) {
        const double share = tr.instructions > 0 ? 100.0 * static_cast<double>(op.instructions) /
                                                       static_cast<double>(tr.instructions)
                                                 : 0.0;
        printf("  %3d %-20s %-16s %12lld  %5.1f%%\n", op.index, op.op.c_str(), op.kernel.c_str(),
               static_cast<long long>(op.instructions), share);
      }
    }
    printf("firmware: text %llu, data %llu, bss %llu, stack %llu bytes\n",
           static_cast<unsigned long long>(tr.sizes.text), static_cast<unsigned long long>(tr.sizes.data),
           static_cast<unsigned long long>(tr.sizes.bss), static_cast<unsigned long long>(tr.sizes.stack));
  }
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
  if (!ParseArgs("inspect", argv, {"--kernels", "--svg"}, &args)) return 2;
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
  if (!args.svg.empty()) {
    FILE* f = fopen(args.svg.c_str(), "w");
    if (f == nullptr) {
      fprintf(stderr, "mote inspect: cannot write %s\n", args.svg.c_str());
      return 1;
    }
    const std::string svg = MemoryPlanSvg(interp, args.model);
    fwrite(svg.data(), 1, svg.size(), f);
    fclose(f);
    printf("memory plan drawn to %s\n", args.svg.c_str());
  }
  return 0;
}

int PlanCommand(const std::vector<std::string>& argv) {
  CommonArgs args;
  if (!ParseArgs("plan", argv, {"--kernels", "--target", "--firmware", "--json"}, &args)) return 2;
  int64_t total = 0, persistent = 0, planned = 0;
  if (args.target == "host") {
    HostRunner runner;
    if (!Prepare("plan", args, &runner)) return 1;
    const ArenaUsage usage = runner.interpreter().arena_usage();
    total = static_cast<int64_t>(usage.total());
    persistent = static_cast<int64_t>(usage.persistent);
    planned = static_cast<int64_t>(usage.planned);
  } else {
    // The target's own Init decides (32-bit tables are smaller than the host's).
    TargetOptions topt;
    topt.target = args.target;
    topt.firmware = args.firmware;
    topt.profile = false;
    TargetResult tr;
    std::string error;
    if (!RunOnTarget(args.model, {}, args.kernels, topt, &tr, &error)) {
      fprintf(stderr, "mote plan: %s\n", error.c_str());
      return 1;
    }
    total = tr.arena_bytes;
    persistent = tr.arena_persistent;
    planned = tr.arena_planned;
  }
  if (args.json) {
    Json j;
    j.BeginObject();
    j.Key("model").String(args.model);
    j.Key("target").String(args.target);
    j.Key("kernels").String(args.kernels == KernelChoice::kReference ? "reference" : "optimized");
    j.Key("arena_bytes").Int(total);
    j.Key("arena").BeginObject();
    j.Key("persistent").Int(persistent);
    j.Key("planned").Int(planned);
    j.EndObject();
    j.EndObject();
    printf("%s\n", j.str().c_str());
  } else {
    printf("%lld bytes (persistent %lld + planned %lld) for %s, %s kernels\n",
           static_cast<long long>(total), static_cast<long long>(persistent),
           static_cast<long long>(planned), args.target.c_str(),
           args.kernels == KernelChoice::kReference ? "reference" : "optimized");
  }
  return 0;
}

}  // namespace cli
}  // namespace mote
