#include "target.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace mote {
namespace cli {
namespace {

bool IsFile(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool IsDir(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string Dirname(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Absolute(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) != nullptr) return buf;
  return path;
}

// The folder holding this executable (the CLI's build folder).
std::string ExecutableDir() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  buf[n] = '\0';
  return Dirname(buf);
}

std::string Getenv(const char* name) {
  const char* v = getenv(name);
  return v != nullptr ? v : "";
}

std::string EnvNameFor(const std::string& target) {
  std::string name = "MOTE_FIRMWARE_";
  for (char c : target) name += c == '-' ? '_' : static_cast<char>(toupper(static_cast<unsigned char>(c)));
  return name;
}

bool ReadText(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f.good()) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

std::string Tail(const std::string& s, size_t n) {
  std::string t = s.size() > n ? "..." + s.substr(s.size() - n) : s;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

uint32_t Le32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
}

uint16_t Le16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}

// Runs argv with stdout/stderr into files; returns the wait status, or -1
// with *error set. Kills the child after timeout_seconds.
int Spawn(const std::vector<std::string>& argv, const std::string& out_path,
          const std::string& err_path, int timeout_seconds, bool* timed_out, std::string* error) {
  *timed_out = false;
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  fflush(stdout);
  fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + strerror(errno);
    return -1;
  }
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      *error = std::string("waitpid: ") + strerror(errno);
      return -1;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      *timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status;
}

// A temporary folder, removed with its files on destruction.
class TempDir {
 public:
  TempDir() {
    std::string base = Getenv("TMPDIR");
    if (base.empty()) base = "/tmp";
    std::string templ = base + "/mote-target-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) != nullptr) path_ = buf.data();
  }
  ~TempDir() {
    for (const auto& f : files_) unlink(f.c_str());
    if (!path_.empty()) rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) {
    files_.push_back(path_ + "/" + name);
    return files_.back();
  }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

}  // namespace

bool IsCortexTarget(const std::string& target) {
  return target == "cortex-m4" || target == "cortex-m55";
}

const char* TargetBoard(const std::string& target) {
  if (target == "cortex-m4") return "mps2-an386";
  if (target == "cortex-m55") return "mps3-an547";
  return "";
}

std::string RepoRoot() {
  auto is_repo = [](const std::string& d) {
    return IsFile(d + "/CMakePresets.json") && IsDir(d + "/firmware") && IsDir(d + "/src");
  };
  // The CLI normally lives in <repo>/build/<preset>/mote.
  const std::string exe = ExecutableDir();
  if (!exe.empty() && is_repo(Absolute(exe + "/../.."))) return Absolute(exe + "/../..");
#ifdef MOTE_REPO_DIR
  if (is_repo(MOTE_REPO_DIR)) return MOTE_REPO_DIR;
#endif
  if (is_repo(".")) return Absolute(".");
  return "";
}

std::string SharedDir() {
  std::string dir = Getenv("MOTE_SHARED_DIR");
  if (dir.empty()) {
    const std::string root = RepoRoot();
    if (root.empty()) return "";
    dir = root + "/../shared";
  }
  return IsDir(dir) ? Absolute(dir) : "";
}

std::string FindFirmware(const TargetOptions& options, std::string* error) {
  if (!IsCortexTarget(options.target)) {
    *error = "unknown target '" + options.target + "' (host, cortex-m4 or cortex-m55)";
    return "";
  }
  if (!options.firmware.empty()) {
    if (IsFile(options.firmware)) return Absolute(options.firmware);
    *error = "firmware '" + options.firmware + "' not found";
    return "";
  }
  const std::string env_name = EnvNameFor(options.target);
  const std::string env = Getenv(env_name.c_str());
  if (!env.empty()) {
    if (IsFile(env)) return Absolute(env);
    *error = "$" + env_name + " = '" + env + "': no such file";
    return "";
  }
  const std::string rel = options.target + "/firmware/mote_runner.elf";
  std::vector<std::string> candidates;
  const std::string exe = ExecutableDir();
  if (!exe.empty()) candidates.push_back(exe + "/../" + rel);
  const std::string root = RepoRoot();
  if (!root.empty()) candidates.push_back(root + "/build/" + rel);
  for (const auto& c : candidates) {
    if (IsFile(c)) return Absolute(c);
  }
  *error = "no firmware for " + options.target + " (looked for " +
           (candidates.empty() ? std::string("build/") + rel : Absolute(Dirname(candidates.back())) +
                                                                "/mote_runner.elf") +
           "): build it with `cmake --preset " + options.target + " && cmake --build --preset " +
           options.target + "` (or bash tools/cross.sh), or pass --firmware / $" + env_name;
  return "";
}

std::string FindPlugin(const TargetOptions& options, std::string* error) {
  if (!options.plugin.empty()) {
    if (IsFile(options.plugin)) return Absolute(options.plugin);
    *error = "icount plugin '" + options.plugin + "' not found";
    return "";
  }
  const std::string env = Getenv("MOTE_ICOUNT_PLUGIN");
  if (!env.empty()) {
    if (IsFile(env)) return Absolute(env);
    *error = "$MOTE_ICOUNT_PLUGIN = '" + env + "': no such file";
    return "";
  }
  std::vector<std::string> candidates;
  const std::string exe = ExecutableDir();
  if (!exe.empty()) candidates.push_back(exe + "/tools/qemu_plugin/libicount.so");
  const std::string root = RepoRoot();
  if (!root.empty()) candidates.push_back(root + "/build/host/tools/qemu_plugin/libicount.so");
  for (const auto& c : candidates) {
    if (IsFile(c)) return Absolute(c);
  }
  *error = "the QEMU instruction-counting plugin libicount.so is not built (build the host preset: "
           "`cmake --build --preset host --target mote_icount`), or pass --plugin / "
           "$MOTE_ICOUNT_PLUGIN";
  return "";
}

std::string FindQemu(std::string* error) {
  const std::string env = Getenv("MOTE_QEMU");
  if (!env.empty()) {
    if (access(env.c_str(), X_OK) == 0) return env;
    *error = "$MOTE_QEMU = '" + env + "' is not executable";
    return "";
  }
  const std::string path = Getenv("PATH");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    const std::string cand = (dir.empty() ? "." : dir) + "/qemu-system-arm";
    if (access(cand.c_str(), X_OK) == 0) return cand;
    start = end + 1;
  }
  *error = "qemu-system-arm is not installed (Debian: apt-get install qemu-system-arm; or run "
           "bash tools/cross.sh), or set $MOTE_QEMU";
  return "";
}

bool ReadElf(const std::string& path, const std::string& symbol, ElfSizes* sizes,
             uint32_t* symbol_address, std::string* error) {
  std::string b;
  if (!ReadText(path, &b)) {
    *error = path + ": cannot read";
    return false;
  }
  if (b.size() < 52 || b.compare(0, 4, "\x7f" "ELF") != 0 || b[4] != 1 || b[5] != 1) {
    *error = path + ": not a 32-bit little-endian ELF file";
    return false;
  }
  const uint32_t shoff = Le32(b, 0x20);
  const uint16_t shentsize = Le16(b, 0x2E);
  const uint16_t shnum = Le16(b, 0x30);
  const uint16_t shstrndx = Le16(b, 0x32);
  if (shentsize < 40 || shoff == 0 || static_cast<uint64_t>(shoff) + uint64_t{shnum} * shentsize > b.size() ||
      shstrndx >= shnum) {
    *error = path + ": bad section header table";
    return false;
  }
  struct Section {
    uint32_t name, type, flags, offset, size, link, entsize;
  };
  std::vector<Section> sec(shnum);
  for (uint16_t i = 0; i < shnum; ++i) {
    const size_t h = shoff + size_t{i} * shentsize;
    sec[i] = {Le32(b, h), Le32(b, h + 4), Le32(b, h + 8), Le32(b, h + 16), Le32(b, h + 20),
              Le32(b, h + 24), Le32(b, h + 36)};
  }
  auto in_file = [&](const Section& s) {
    return s.type == 8 /*NOBITS*/ || static_cast<uint64_t>(s.offset) + s.size <= b.size();
  };
  const Section& shstr = sec[shstrndx];
  auto name_at = [&](const Section& strtab, uint32_t off) -> std::string {
    if (!in_file(strtab) || off >= strtab.size) return "";
    const size_t at = strtab.offset + off;
    const size_t end = b.find('\0', at);
    if (end == std::string::npos || end > size_t{strtab.offset} + strtab.size) return "";
    return b.substr(at, end - at);
  };
  *sizes = ElfSizes();
  *symbol_address = 0;
  constexpr uint32_t kAlloc = 0x2, kWrite = 0x1, kExec = 0x4;
  for (const Section& s : sec) {
    if (!(s.flags & kAlloc)) continue;
    const std::string name = name_at(shstr, s.name);
    if (name == ".stack" || name == ".stack_guard") {
      sizes->stack += s.size;
    } else if (s.type == 8) {
      sizes->bss += s.size;
    } else if ((s.flags & kExec) || !(s.flags & kWrite)) {
      sizes->text += s.size;
    } else {
      sizes->data += s.size;
    }
  }
  for (const Section& s : sec) {
    if (s.type != 2 /*SYMTAB*/ || s.link >= shnum || !in_file(s)) continue;
    const Section& strtab = sec[s.link];
    for (uint32_t at = 0; at + 16 <= s.size; at += 16) {
      const size_t e = s.offset + at;
      if (name_at(strtab, Le32(b, e)) == symbol) {
        *symbol_address = Le32(b, e + 4) & ~1u;
        break;
      }
    }
  }
  return true;
}

bool RunOnTarget(const std::string& model, const std::vector<std::string>& inputs,
                 KernelChoice kernels, const TargetOptions& options, TargetResult* result,
                 std::string* error) {
  *result = TargetResult();
  result->target = options.target;
  result->board = TargetBoard(options.target);
  result->kernels = kernels == KernelChoice::kReference ? "reference" : "optimized";
  const std::string firmware = FindFirmware(options, error);
  if (firmware.empty()) return false;
  result->firmware = firmware;
  const std::string plugin = FindPlugin(options, error);
  if (plugin.empty()) return false;
  const std::string qemu = FindQemu(error);
  if (qemu.empty()) return false;
  uint32_t mark = 0;
  if (!ReadElf(firmware, "mote_mark", &result->sizes, &mark, error)) return false;
  if (mark == 0) {
    *error = firmware + ": no mote_mark symbol (not a mote firmware?)";
    return false;
  }
  // The boards' code lives at different addresses (firmware/ld): catch an
  // image built for the other core before QEMU faults on it.
  const bool m55_layout = mark >= 0x21000000u && mark < 0x21400000u;
  if (m55_layout != (options.target == "cortex-m55")) {
    char where[16];
    snprintf(where, sizeof(where), "0x%x", mark);
    *error = firmware + " was not built for " + options.target + " (its code is at " + where +
             "): use build/" + options.target + "/firmware/mote_runner.elf";
    return false;
  }

  // The firmware's command line: semihosting splits it at spaces, double
  // quotes group words; host paths are absolute (QEMU's cwd is ours anyway).
  std::vector<std::string> words;
  if (!IsFile(model)) {
    *error = model + ": no such file";
    return false;
  }
  words.push_back(Absolute(model));
  for (const auto& in : inputs) {
    if (!IsFile(in)) {
      *error = in + ": no such file";
      return false;
    }
    words.push_back("--input");
    words.push_back(Absolute(in));
  }
  words.push_back("--kernels");
  words.push_back(result->kernels);
  if (options.profile) words.push_back("--profile");
  std::string append;
  for (const auto& w : words) {
    if (w.find('"') != std::string::npos) {
      *error = "path with a double quote cannot be passed to the firmware: " + w;
      return false;
    }
    if (!append.empty()) append += ' ';
    append += w.find_first_of(" \t") != std::string::npos ? "\"" + w + "\"" : w;
  }
  if (append.size() + firmware.size() + 2 >= 2048) {
    *error = "the firmware's command line would exceed 2047 bytes (semihosting buffer): use shorter paths";
    return false;
  }

  TempDir tmp;
  if (tmp.path().empty()) {
    *error = std::string("cannot create a temporary folder: ") + strerror(errno);
    return false;
  }
  const std::string marks_path = tmp.File("marks.txt");
  const std::string out_path = tmp.File("stdout.txt");
  const std::string err_path = tmp.File("stderr.txt");
  if (plugin.find(',') != std::string::npos || marks_path.find(',') != std::string::npos) {
    *error = "plugin or temporary path contains a comma (QEMU's -plugin syntax forbids it)";
    return false;
  }
  char mark_hex[16];
  snprintf(mark_hex, sizeof(mark_hex), "0x%x", mark);
  const std::vector<std::string> argv = {
      qemu, "-M", result->board, "-nographic", "-monitor", "none", "-serial", "none",
      "-semihosting-config", "enable=on,target=native", "-kernel", firmware, "-append", append,
      "-plugin", plugin + ",mark=" + mark_hex + ",out=" + marks_path};

  const auto t0 = std::chrono::steady_clock::now();
  bool timed_out = false;
  const int status = Spawn(argv, out_path, err_path, options.timeout_seconds, &timed_out, error);
  result->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (status < 0) return false;
  std::string out, err;
  ReadText(out_path, &out);
  ReadText(err_path, &err);
  if (timed_out) {
    *error = "QEMU (" + options.target + ") did not finish within " +
             std::to_string(options.timeout_seconds) + " s";
    return false;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 127 && err.empty()) {
      *error = "cannot execute " + qemu;
      return false;
    }
    std::string what = "firmware failed on " + options.target + " (" + result->board +
                       "), exit status " + std::to_string(code);
    if (code >= 131 && code <= 135) what += " (CPU fault)";
    *error = what + (err.empty() ? std::string() : ": " + Tail(err, 1500));
    return false;
  }

  // The firmware's JSON line.
  nlohmann::json j;
  {
    std::istringstream lines(out);
    std::string line, found;
    while (std::getline(lines, line)) {
      if (line.rfind("{\"runner\":\"mote\"", 0) == 0) found = line;
    }
    if (found.empty()) {
      *error = "the firmware printed no result line: " + Tail(out + err, 1500);
      return false;
    }
    j = nlohmann::json::parse(found, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      *error = "cannot parse the firmware's result line: " + Tail(found, 400);
      return false;
    }
  }
  std::vector<int64_t> marks;
  {
    std::string text;
    if (!ReadText(marks_path, &text)) {
      *error = "the icount plugin wrote no marker log (" + plugin + ")";
      return false;
    }
    std::istringstream ss(text);
    long long v;
    while (ss >> v) marks.push_back(v);
  }
  auto get = [&](const nlohmann::json& o, const char* key) -> int64_t {
    return o.contains(key) && o[key].is_number_integer() ? o[key].get<int64_t>() : -1;
  };
  const int64_t num_marks = get(j, "num_marks");
  if (num_marks < 0 || static_cast<int64_t>(marks.size()) != num_marks || !j.contains("marks")) {
    *error = "marker log has " + std::to_string(marks.size()) + " counts, the firmware made " +
             std::to_string(num_marks) + " marker calls";
    return false;
  }
  const nlohmann::json& m = j["marks"];
  auto region = [&](const char* key, int64_t* value) {
    if (!m.contains(key) || !m[key].is_array() || m[key].size() != 2) return false;
    const int64_t a = m[key][0].get<int64_t>(), b = m[key][1].get<int64_t>();
    if (a < 0 || b <= a || b >= num_marks) return false;
    *value = marks[static_cast<size_t>(b)] - marks[static_cast<size_t>(a)];
    return true;
  };
  int64_t empty = 0, init = 0, invoke = 0;
  if (!region("empty", &empty) || !region("init", &init) || !region("invoke", &invoke)) {
    *error = "the firmware's marker layout is not understood";
    return false;
  }
  result->framing = empty;
  result->init_instructions = init - empty;
  result->instructions = invoke - empty;
  result->model_bytes = get(j, "model_bytes");
  result->arena_bytes = get(j, "arena_bytes");
  if (j.contains("arena") && j["arena"].is_object()) {
    result->arena_persistent = get(j["arena"], "persistent");
    result->arena_planned = get(j["arena"], "planned");
  }
  if (j.contains("outputs") && j["outputs"].is_array()) {
    for (const auto& h : j["outputs"]) result->output_hex.push_back(h.is_string() ? h.get<std::string>() : "");
  }
  int64_t profiled = 0;
  if (options.profile) {
    if (!region("profile", &profiled) || !m.contains("ops_first")) {
      *error = "the firmware did not profile";
      return false;
    }
    result->profiled_instructions = profiled - empty;
    const int64_t first = m["ops_first"].get<int64_t>();
    const auto& ops = j["ops"];
    for (size_t k = 0; k < ops.size(); ++k) {
      TargetOp op;
      op.index = static_cast<int>(k);
      op.op = ops[k].value("op", "?");
      op.kernel = ops[k].value("kernel", "?");
      const int64_t a = first + 2 * static_cast<int64_t>(k);
      if (a + 1 >= num_marks) {
        *error = "marker log too short for the per-op profile";
        return false;
      }
      op.instructions = marks[static_cast<size_t>(a + 1)] - marks[static_cast<size_t>(a)] - empty;
      result->ops.push_back(op);
    }
  } else if (j.contains("ops") && j["ops"].is_array()) {
    for (size_t k = 0; k < j["ops"].size(); ++k) {
      TargetOp op;
      op.index = static_cast<int>(k);
      op.op = j["ops"][k].value("op", "?");
      op.kernel = j["ops"][k].value("kernel", "?");
      op.instructions = -1;
      result->ops.push_back(op);
    }
  }
  return true;
}

}  // namespace cli
}  // namespace mote
