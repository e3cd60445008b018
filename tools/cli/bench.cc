// `mote bench`: host time and emulated Cortex-M instruction counts per model,
// side by side with the TFLM anchors (../shared/anchors/anchors.json).
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "host_runner.h"
#include "json.h"
#include "model_file.h"
#include "target.h"

namespace mote {
namespace cli {
namespace {

using nlohmann::json;

const char* const kTargets[] = {"cortex-m4", "cortex-m55"};
constexpr int kNumTargets = 2;
// anchors.json configuration names per target: [reference, CMSIS-NN].
const char* const kAnchorConfigs[kNumTargets][2] = {{"m4_ref", "m4_cmsis"},
                                                     {"m55_ref", "m55_cmsis"}};
const KernelChoice kKernels[2] = {KernelChoice::kReference, KernelChoice::kOptimized};

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Basename(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Stem(const std::string& path) {
  std::string b = Basename(path);
  const size_t dot = b.rfind('.');
  return dot == std::string::npos ? b : b.substr(0, dot);
}

std::string UseCase(const std::string& name) {
  auto starts = [&](const char* p) { return name.rfind(p, 0) == 0; };
  if (starts("kws") || name.find("speech") != std::string::npos) return "keyword spotting";
  if (starts("person") || starts("vww")) return "visual wake words";
  if (starts("anomaly")) return "anomaly detection";
  return "image classification";
}

struct Anchor {
  bool present = false;
  std::string name;
  std::string input;        // the lcg input (or "" when the anchor has none)
  int64_t instructions[kNumTargets][2] = {{-1, -1}, {-1, -1}};  // [target][ref, cmsis]
  int64_t arena[kNumTargets][2] = {{-1, -1}, {-1, -1}};
};

struct TargetCell {
  bool ran[2] = {false, false};
  int64_t instructions[2] = {-1, -1};  // [reference, optimized]
  int64_t arena[2] = {-1, -1};
  std::string error;
};

struct Row {
  std::string path, name, use_case, input, input_kind;
  std::string error;                // host could not run it
  double host_us[2] = {-1, -1};     // median per invoke [reference, optimized]
  TargetCell target[kNumTargets];
  Anchor anchor;
};

json LoadJson(const std::string& path) {
  std::ifstream f(path);
  if (!f.good()) return json();
  return json::parse(f, nullptr, /*allow_exceptions=*/false);
}

Anchor FindAnchor(const json& anchors, const std::string& anchors_dir, const std::string& model) {
  Anchor a;
  if (!anchors.is_object() || !anchors.contains("models")) return a;
  for (const auto& [name, m] : anchors["models"].items()) {
    if (!m.contains("model") || Basename(m["model"].get<std::string>()) != Basename(model)) continue;
    a.present = true;
    a.name = name;
    if (m.contains("inputs") && m["inputs"].contains("lcg")) {
      a.input = anchors_dir + "/" + m["inputs"]["lcg"].get<std::string>();
    }
    for (int t = 0; t < kNumTargets; ++t) {
      for (int k = 0; k < 2; ++k) {
        const char* cfg = kAnchorConfigs[t][k];
        if (m.contains("instructions_per_invoke") && m["instructions_per_invoke"].contains(cfg) &&
            m["instructions_per_invoke"][cfg].contains("lcg")) {
          a.instructions[t][k] = m["instructions_per_invoke"][cfg]["lcg"].get<int64_t>();
        }
        if (m.contains("arena_used_bytes") && m["arena_used_bytes"].contains(cfg)) {
          a.arena[t][k] = m["arena_used_bytes"][cfg].get<int64_t>();
        }
      }
    }
    break;
  }
  return a;
}

// Median wall time of Invoke in microseconds; inputs rewritten before each
// (outside the timed part). -1 with *error on failure.
double HostMedianMicros(const std::string& model, const std::string& input, KernelChoice kernels,
                        int runs, std::string* error) {
  HostRunner runner;
  InterpreterOptions options;
  options.kernels = kernels;
  if (!runner.Load(model, options, error)) return -1;
  Interpreter& interp = runner.interpreter();
  AlignedBytes bytes;
  if (!input.empty()) {
    if (!ReadFile(input, &bytes, error)) return -1;
    if (interp.num_inputs() != 1 || bytes.size() != static_cast<size_t>(interp.input(0)->bytes)) {
      *error = input + ": does not match the model's input";
      return -1;
    }
  }
  auto fill = [&]() {
    for (size_t i = 0; i < interp.num_inputs(); ++i) {
      Tensor* t = interp.input(i);
      if (!input.empty()) {
        if (t->data && t->bytes > 0) memcpy(t->data, bytes.data(), bytes.size());
      } else {
        FillZeroPoint(t);
      }
    }
  };
  std::vector<double> us;
  fill();
  if (!runner.Invoke(error)) return -1;  // warm-up
  for (int r = 0; r < runs; ++r) {
    fill();
    const auto t0 = std::chrono::steady_clock::now();
    interp.Invoke();
    const auto t1 = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

std::string Num(int64_t v) {
  if (v < 0) return "–";
  std::string s = std::to_string(v), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string Fixed(double v, const char* fmt) {
  if (v < 0) return "–";
  char buf[32];
  snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

double Ratio(double a, double b) { return (a > 0 && b > 0) ? a / b : -1; }

std::vector<std::string> BundledModels(const std::string& root) {
  std::vector<std::string> out;
  const std::string dir = root + "/models";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n.size() > 7 && n.compare(n.size() - 7, 7, ".tflite") == 0) out.push_back(dir + "/" + n);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int BenchCommand(const std::vector<std::string>& argv) {
  std::vector<std::string> models;
  bool as_json = false, shared = false;
  int runs = 21;
  std::string plugin;
  std::string firmware[kNumTargets];
  bool targets_on = true;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= argv.size()) {
        fprintf(stderr, "mote bench: %s needs a value\n", a.c_str());
        return false;
      }
      *v = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--json") {
      as_json = true;
    } else if (a == "--shared") {
      shared = true;
    } else if (a == "--host-only") {
      targets_on = false;
    } else if (a == "--runs") {
      if (!value(&v)) return 2;
      runs = atoi(v.c_str());
      if (runs < 1 || runs > 100000) {
        fprintf(stderr, "mote bench: --runs must be 1..100000\n");
        return 2;
      }
    } else if (a == "--plugin") {
      if (!value(&plugin)) return 2;
    } else if (a == "--firmware-m4") {
      if (!value(&firmware[0])) return 2;
    } else if (a == "--firmware-m55") {
      if (!value(&firmware[1])) return 2;
    } else if (a.size() > 1 && a[0] == '-') {
      fprintf(stderr, "mote bench: unknown option '%s'\n", a.c_str());
      return 2;
    } else {
      models.push_back(a);
    }
  }
  const std::string root = RepoRoot();
  const std::string shared_dir = SharedDir();
  const std::string anchors_dir = shared_dir.empty() ? "" : shared_dir + "/anchors";
  const json anchors = anchors_dir.empty() ? json() : LoadJson(anchors_dir + "/anchors.json");
  if (models.empty()) {
    if (root.empty()) {
      fprintf(stderr, "mote bench: no MODEL given and the repository's models/ folder not found\n");
      return 2;
    }
    models = BundledModels(root);
  }
  if (shared) {
    if (!anchors.is_object() || !anchors.contains("models")) {
      fprintf(stderr, "mote bench: --shared: no anchors.json (looked in %s)\n",
              anchors_dir.empty() ? "../shared/anchors" : anchors_dir.c_str());
      return 2;
    }
    for (const auto& [name, m] : anchors["models"].items()) {
      const std::string path = anchors_dir + "/" + m["model"].get<std::string>();
      // keyword_scrambled (SVDF, int16) is out of mote's scope.
      if (name.find("keyword_scrambled") != std::string::npos || !IsFile(path)) continue;
      models.push_back(path);
    }
  }
  if (models.empty()) {
    fprintf(stderr, "mote bench: no models\n");
    return 2;
  }

  // Which targets can run: firmware, plugin and QEMU present.
  bool target_ok[kNumTargets] = {false, false};
  std::string target_note[kNumTargets];
  ElfSizes sizes[kNumTargets];
  TargetOptions topt[kNumTargets];
  for (int t = 0; t < kNumTargets; ++t) {
    topt[t].target = kTargets[t];
    topt[t].firmware = firmware[t];
    topt[t].plugin = plugin;
    topt[t].profile = false;
    if (!targets_on) {
      target_note[t] = "--host-only";
      continue;
    }
    std::string error;
    const std::string fw = FindFirmware(topt[t], &error);
    if (!fw.empty() && !FindPlugin(topt[t], &error).empty() && !FindQemu(&error).empty()) {
      uint32_t mark = 0;
      ReadElf(fw, "mote_mark", &sizes[t], &mark, &error);
      target_ok[t] = true;
      topt[t].firmware = fw;
      target_note[t] = fw;
    } else {
      target_note[t] = error;
      fprintf(stderr, "mote bench: skipping %s: %s\n", kTargets[t], error.c_str());
    }
  }

  std::vector<Row> rows;
  for (const std::string& model : models) {
    Row r;
    r.path = model;
    r.name = Stem(model);
    r.use_case = UseCase(r.name);
    r.anchor = FindAnchor(anchors, anchors_dir, model);
    const std::string sample = model.substr(0, model.size() - 7) + ".input0.bin";
    if (r.anchor.present && !r.anchor.input.empty() && IsFile(r.anchor.input)) {
      r.input = r.anchor.input;
      r.input_kind = "lcg";
    } else if (model.size() > 7 && IsFile(sample)) {
      r.input = sample;
      r.input_kind = "input0";
    } else {
      r.input_kind = "zero point";
    }
    fprintf(stderr, "mote bench: %s (%s input)\n", r.name.c_str(), r.input_kind.c_str());
    std::vector<std::string> inputs;
    if (!r.input.empty()) inputs.push_back(r.input);
    for (int k = 0; k < 2; ++k) {
      std::string error;
      r.host_us[k] = HostMedianMicros(model, r.input, kKernels[k], runs, &error);
      if (r.host_us[k] < 0) r.error = error;
    }
    if (!r.error.empty()) {
      fprintf(stderr, "mote bench: %s: %s\n", r.name.c_str(), r.error.c_str());
      rows.push_back(r);
      continue;
    }
    for (int t = 0; t < kNumTargets; ++t) {
      if (!target_ok[t]) continue;
      for (int k = 0; k < 2; ++k) {
        TargetResult tr;
        std::string error;
        if (RunOnTarget(model, inputs, kKernels[k], topt[t], &tr, &error)) {
          r.target[t].ran[k] = true;
          r.target[t].instructions[k] = tr.instructions;
          r.target[t].arena[k] = tr.arena_bytes;
        } else {
          r.target[t].error = error;
          fprintf(stderr, "mote bench: %s on %s: %s\n", r.name.c_str(), kTargets[t], error.c_str());
        }
      }
    }
    rows.push_back(r);
  }

  if (as_json) {
    Json j;
    j.BeginObject();
    j.Key("runs").Int(runs);
    j.Key("targets").BeginObject();
    for (int t = 0; t < kNumTargets; ++t) {
      j.Key(kTargets[t]).BeginObject();
      j.Key("available").Bool(target_ok[t]);
      j.Key(target_ok[t] ? "firmware" : "skipped").String(target_note[t]);
      if (target_ok[t]) {
        j.Key("text").Int(static_cast<int64_t>(sizes[t].text));
        j.Key("data").Int(static_cast<int64_t>(sizes[t].data));
        j.Key("bss").Int(static_cast<int64_t>(sizes[t].bss));
        j.Key("stack").Int(static_cast<int64_t>(sizes[t].stack));
      }
      j.EndObject();
    }
    j.EndObject();
    j.Key("models").BeginArray();
    for (const Row& r : rows) {
      j.BeginObject();
      j.Key("model").String(r.path);
      j.Key("name").String(r.name);
      j.Key("use_case").String(r.use_case);
      j.Key("input").String(r.input.empty() ? "zero point" : r.input);
      if (!r.error.empty()) j.Key("error").String(r.error);
      j.Key("host_us").BeginObject();
      j.Key("reference").Double(r.host_us[0]);
      j.Key("optimized").Double(r.host_us[1]);
      j.Key("uplift").Double(Ratio(r.host_us[0], r.host_us[1]));
      j.EndObject();
      for (int t = 0; t < kNumTargets; ++t) {
        const TargetCell& c = r.target[t];
        j.Key(kTargets[t]).BeginObject();
        if (!target_ok[t] || !r.error.empty()) {
          j.Key("skipped").String(!r.error.empty() ? "host cannot run the model" : target_note[t]);
        } else {
          if (!c.error.empty()) j.Key("error").String(c.error);
          j.Key("instructions").BeginObject();
          j.Key("reference").Int(c.instructions[0]);
          j.Key("optimized").Int(c.instructions[1]);
          j.Key("uplift").Double(Ratio(static_cast<double>(c.instructions[0]),
                                       static_cast<double>(c.instructions[1])));
          j.EndObject();
          j.Key("arena_bytes").BeginObject();
          j.Key("reference").Int(c.arena[0]);
          j.Key("optimized").Int(c.arena[1]);
          j.EndObject();
        }
        if (r.anchor.present) {
          const Anchor& a = r.anchor;
          j.Key("tflm").BeginObject();
          j.Key("reference").Int(a.instructions[t][0]);
          j.Key("cmsis_nn").Int(a.instructions[t][1]);
          j.Key("arena_used_bytes_reference").Int(a.arena[t][0]);
          j.Key("arena_used_bytes_cmsis_nn").Int(a.arena[t][1]);
          j.Key("ratio_reference").Double(Ratio(static_cast<double>(c.instructions[0]),
                                                static_cast<double>(a.instructions[t][0])));
          j.Key("ratio_cmsis_nn").Double(Ratio(static_cast<double>(c.instructions[1]),
                                               static_cast<double>(a.instructions[t][1])));
          j.Key("arena_ratio").Double(Ratio(static_cast<double>(c.arena[1]),
                                            static_cast<double>(a.arena[t][1])));
          j.EndObject();
        }
        j.EndObject();
      }
      if (r.anchor.present) j.Key("anchor").String(r.anchor.name);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
    printf("%s\n", j.str().c_str());
    return 0;
  }

  printf("## mote bench\n\n");
  printf("Host: median wall time of %d invokes (after one warm-up). Cortex-M: exact instructions "
         "per invoke under QEMU (mps2-an386 = M4F, mps3-an547 = M55), framing subtracted. "
         "uplift = reference / optimized. TFLM columns: ../shared/anchors (lcg input); ratio = "
         "mote / TFLM (below 1: mote is leaner).\n\n",
         runs);
  for (int t = 0; t < kNumTargets; ++t) {
    if (!target_ok[t]) {
      printf("- %s skipped: %s\n", kTargets[t], target_note[t].c_str());
    } else {
      printf("- %s: %s: text %llu, data %llu, bss %llu (+ stack %llu) bytes; every op registered, "
             "the model is loaded at run time (not in text)\n",
             kTargets[t], target_note[t].c_str(), static_cast<unsigned long long>(sizes[t].text),
             static_cast<unsigned long long>(sizes[t].data),
             static_cast<unsigned long long>(sizes[t].bss),
             static_cast<unsigned long long>(sizes[t].stack));
    }
  }
  printf("\n| model | use case | input | host ref µs | host opt µs | uplift |\n");
  printf("|---|---|---|---:|---:|---:|\n");
  for (const Row& r : rows) {
    if (!r.error.empty()) {
      printf("| %s | %s | %s | cannot run: %s | | |\n", r.name.c_str(), r.use_case.c_str(),
             r.input_kind.c_str(), r.error.c_str());
      continue;
    }
    printf("| %s | %s | %s | %s | %s | %s |\n", r.name.c_str(), r.use_case.c_str(),
           r.input_kind.c_str(), Fixed(r.host_us[0], "%.1f").c_str(),
           Fixed(r.host_us[1], "%.1f").c_str(),
           Fixed(Ratio(r.host_us[0], r.host_us[1]), "%.2fx").c_str());
  }
  bool any_target = target_ok[0] || target_ok[1];
  if (any_target) {
    printf("\n| model | core | mote ref | mote opt | uplift | TFLM ref | TFLM+CMSIS-NN | "
           "ref: mote/TFLM | opt: mote/CMSIS-NN |\n");
    printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const Row& r : rows) {
      if (!r.error.empty()) continue;
      for (int t = 0; t < kNumTargets; ++t) {
        if (!target_ok[t]) continue;
        const TargetCell& c = r.target[t];
        const Anchor& a = r.anchor;
        const double up = Ratio(static_cast<double>(c.instructions[0]), static_cast<double>(c.instructions[1]));
        printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name.c_str(), kTargets[t],
               Num(c.instructions[0]).c_str(), Num(c.instructions[1]).c_str(),
               Fixed(up, "%.2fx").c_str(), Num(a.instructions[t][0]).c_str(),
               Num(a.instructions[t][1]).c_str(),
               Fixed(Ratio(static_cast<double>(c.instructions[0]), static_cast<double>(a.instructions[t][0])), "%.2f").c_str(),
               Fixed(Ratio(static_cast<double>(c.instructions[1]), static_cast<double>(a.instructions[t][1])), "%.2f").c_str());
        if (!c.error.empty()) printf("|  | %s error: %s | | | | | | | |\n", kTargets[t], c.error.c_str());
      }
    }
    printf("\n| model | core | mote arena (opt) | TFLM+CMSIS-NN arena_used_bytes | mote/TFLM |\n");
    printf("|---|---|---:|---:|---:|\n");
    for (const Row& r : rows) {
      if (!r.error.empty()) continue;
      for (int t = 0; t < kNumTargets; ++t) {
        if (!target_ok[t]) continue;
        const TargetCell& c = r.target[t];
        const Anchor& a = r.anchor;
        printf("| %s | %s | %s | %s | %s |\n", r.name.c_str(), kTargets[t], Num(c.arena[1]).c_str(),
               Num(a.arena[t][1]).c_str(),
               Fixed(Ratio(static_cast<double>(c.arena[1]), static_cast<double>(a.arena[t][1])), "%.2f").c_str());
      }
    }
  }
  return 0;
}

}  // namespace cli
}  // namespace mote
