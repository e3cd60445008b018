// runner.cc - mote_runner.elf: one firmware image that runs any model on the
// emulated board, for `mote run --target cortex-m4|cortex-m55` (tools/cli/target.cc).
//
//   mote_runner.elf MODEL [INPUT | --input INPUT]... [--kernels reference|optimized]
//                   [--profile]
//
// (semihosting command line, i.e. qemu's `-append`; paths are host paths.)
//
// 1. Reads MODEL into the board's model buffer (the flash-like region) and
//    every INPUT (raw bytes of input i, in input order) right after it; without
//    inputs every input is filled with its zero point.
// 2. Registers every op (RegisterAllOps) and runs Init on the board's arena
//    region to learn the size the model needs, then Init again on exactly that
//    many bytes (so the size reported is proved sufficient on the target).
// 3. Measured regions, each between two calls of mote_mark (firmware/board.h;
//    the icount plugin logs the running instruction count at each call). The
//    marker calls come in this fixed order (0-based index into the plugin log):
//      0, 1   empty region: mote_mark(); mote_mark(); from C. Its difference is
//             the framing constant (4 on both cores: movs r0,#id; bl; nop; bx lr),
//             subtracted from every other region by the host.
//      2, 3   the second Init (exact arena).
//      4, 5   timed invoke: inputs rewritten, mark, Invoke(), mark.
//    with --profile, a separate invoke on an interpreter initialized with a
//    Profiler whose begin/end hooks each call mote_mark:
//      6      before the profiled Invoke(),
//      7 + 2k, 8 + 2k   begin and end of node k,
//      7 + 2n  after the profiled Invoke().
//    The profiled run is never the timed one, so the total is not inflated.
// 4. Prints one line of JSON on stdout (no floats: newlib-nano's printf has
//    none, and the host knows scales from its own parse of the model):
//      {"runner":"mote","board":..,"cpu":..,"kernels":..,"model_bytes":..,
//       "arena_bytes":..,"arena":{"persistent":..,"planned":..},"arena_capacity":..,
//       "outputs":["<hex>",...],"ops":[{"index":0,"op":"CONV_2D","kernel":".."},..],
//       "marks":{"empty":[0,1],"init":[2,3],"invoke":[4,5],
//                "profile":[6,<7+2n>] or null,"ops_first":7},"num_marks":N}
//    and returns 0; on any failure prints "mote_runner: <message>" on stderr
//    and returns non-zero (2 usage, 3 file, 1 a mote Status error, 4 the
//    profiled outputs differ from the timed ones).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "mote/mote.h"
#include "runtime/kernel_api.h"
#include "semihost.h"

namespace {

constexpr int kMaxInputs = 16;
constexpr size_t kAlign = 16;

size_t AlignUp(size_t v) { return (v + kAlign - 1) & ~(kAlign - 1); }

struct Args {
  const char* model = nullptr;
  const char* inputs[kMaxInputs] = {};
  int num_inputs = 0;
  mote::KernelChoice kernels = mote::KernelChoice::kOptimized;
  bool profile = false;
};

int Fail(int code, const char* what, const char* detail = nullptr) {
  fflush(stdout);
  fprintf(stderr, "mote_runner: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  return code;
}

bool ParseArgs(int argc, char** argv, Args* a) {
  // argv[0] is the ELF path (QEMU puts it first on the semihosting command line).
  for (int i = 1; i < argc; ++i) {
    const char* s = argv[i];
    if (strcmp(s, "--kernels") == 0 && i + 1 < argc) {
      const char* v = argv[++i];
      if (strcmp(v, "reference") == 0) {
        a->kernels = mote::KernelChoice::kReference;
      } else if (strcmp(v, "optimized") == 0) {
        a->kernels = mote::KernelChoice::kOptimized;
      } else {
        Fail(2, "--kernels must be reference or optimized, not", v);
        return false;
      }
    } else if (strcmp(s, "--profile") == 0) {
      a->profile = true;
    } else if (strcmp(s, "--input") == 0 && i + 1 < argc) {
      if (a->num_inputs == kMaxInputs) {
        Fail(2, "too many inputs");
        return false;
      }
      a->inputs[a->num_inputs++] = argv[++i];
    } else if (s[0] == '-' && s[1] == '-') {
      Fail(2, "unknown or incomplete option", s);
      return false;
    } else if (a->model == nullptr) {
      a->model = s;
    } else {
      if (a->num_inputs == kMaxInputs) {
        Fail(2, "too many inputs");
        return false;
      }
      a->inputs[a->num_inputs++] = s;
    }
  }
  if (a->model == nullptr) {
    Fail(2, "usage: mote_runner.elf MODEL [INPUT]... [--kernels reference|optimized] [--profile]");
    return false;
  }
  return true;
}

// The zero of a tensor: its zero point when quantized, else 0.
void FillZeroPoint(mote::Tensor* t) {
  if (t->data == nullptr || t->bytes <= 0) return;
  const size_t n = static_cast<size_t>(t->bytes);
  switch (t->type) {
    case mote::DType::kInt8:
    case mote::DType::kUInt8:
      memset(t->data, static_cast<uint8_t>(t->zero_point), n);
      break;
    case mote::DType::kInt16:
      for (size_t i = 0; i < n / 2; ++i) t->as<int16_t>()[i] = static_cast<int16_t>(t->zero_point);
      break;
    default:
      memset(t->data, 0, n);
  }
}

// Input bytes staged in the model buffer (never touched by the interpreter).
struct Staged {
  const uint8_t* data[kMaxInputs] = {};
  int count = 0;
};

void WriteInputs(mote::Interpreter& interp, const Staged& staged) {
  for (size_t i = 0; i < interp.num_inputs(); ++i) {
    mote::Tensor* t = interp.input(i);
    if (staged.count > 0) {
      if (t->data != nullptr && t->bytes > 0) memcpy(t->data, staged.data[i], static_cast<size_t>(t->bytes));
    } else {
      FillZeroPoint(t);
    }
  }
}

// Profiler hooks: a marker call each (tail calls: `movs r0, #id; b mote_mark`).
void ProfileBegin(void*, int) { mote_mark(0x100); }
void ProfileEnd(void*, int) { mote_mark(0x101); }

void PutHex(const uint8_t* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  char buf[129];
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    buf[k++] = kDigits[p[i] >> 4];
    buf[k++] = kDigits[p[i] & 15];
    if (k == 128) {
      buf[k] = '\0';
      fputs(buf, stdout);
      k = 0;
    }
  }
  buf[k] = '\0';
  fputs(buf, stdout);
}

mote::OpRegistry g_ops;
mote::Interpreter g_interp;

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) return 2;

  // Model bytes into the flash-like buffer.
  const mote::board::Region model_region = mote::board::model_buffer();
  const long model_size = mote::semihost::read_file(args.model, model_region.data, model_region.size);
  if (model_size == -2) return Fail(3, "model does not fit the board's model buffer", args.model);
  if (model_size < 0) return Fail(3, "cannot read model", args.model);
  size_t staged_at = AlignUp(static_cast<size_t>(model_size));

  mote::Status s = mote::RegisterAllOps(&g_ops);
  if (!s.ok()) return Fail(1, s.message());

  mote::InterpreterOptions options;
  options.kernels = args.kernels;
  const mote::board::Region arena = mote::board::arena();

  // Measure on the whole region.
  s = g_interp.Init(model_region.data, static_cast<size_t>(model_size), g_ops, arena.data,
                    arena.size, options);
  if (!s.ok()) return Fail(1, s.message());
  const size_t needed = g_interp.arena_bytes_used();

  // Inputs: checked against the tensors, staged after the model.
  Staged staged;
  if (args.num_inputs > 0) {
    if (static_cast<size_t>(args.num_inputs) != g_interp.num_inputs()) {
      fprintf(stderr, "mote_runner: the model has %u inputs, %d given\n",
              static_cast<unsigned>(g_interp.num_inputs()), args.num_inputs);
      return 2;
    }
    for (int i = 0; i < args.num_inputs; ++i) {
      const mote::Tensor* t = g_interp.input(static_cast<size_t>(i));
      if (staged_at > model_region.size) return Fail(3, "inputs do not fit the model buffer");
      uint8_t* dst = model_region.data + staged_at;
      const long n = mote::semihost::read_file(args.inputs[i], dst, model_region.size - staged_at);
      if (n == -2) return Fail(3, "input does not fit the model buffer", args.inputs[i]);
      if (n < 0) return Fail(3, "cannot read input", args.inputs[i]);
      if (n != t->bytes) {
        fprintf(stderr, "mote_runner: %s: %ld bytes, but input %d needs %ld\n", args.inputs[i], n, i,
                static_cast<long>(t->bytes));
        return 3;
      }
      staged.data[i] = dst;
      staged_at = AlignUp(staged_at + static_cast<size_t>(n));
    }
    staged.count = args.num_inputs;
  }

  // Empty region: the framing constant.
  mote_mark(0);
  mote_mark(1);

  // Init again on exactly the measured size.
  mote_mark(2);
  s = g_interp.Init(model_region.data, static_cast<size_t>(model_size), g_ops, arena.data, needed,
                    options);
  mote_mark(3);
  if (!s.ok()) return Fail(1, "Init on the exact arena size failed", s.message());
  if (g_interp.arena_bytes_used() != needed) {
    fprintf(stderr, "mote_runner: arena size changed: %lu then %lu\n",
            static_cast<unsigned long>(needed), static_cast<unsigned long>(g_interp.arena_bytes_used()));
    return 1;
  }
  const mote::ArenaUsage usage = g_interp.arena_usage();

  // Timed invoke.
  WriteInputs(g_interp, staged);
  mote_mark(4);
  s = g_interp.Invoke();
  mote_mark(5);
  if (!s.ok()) return Fail(1, s.message());

  // Outputs, kept (after the staged inputs) to compare with the profiled run.
  const size_t num_outputs = g_interp.num_outputs();
  size_t outputs_at = staged_at;
  for (size_t i = 0; i < num_outputs; ++i) {
    const mote::Tensor* t = g_interp.output(i);
    const size_t n = t->data ? static_cast<size_t>(t->bytes) : 0;
    if (outputs_at + n > model_region.size) return Fail(3, "outputs do not fit the model buffer");
    if (n > 0) memcpy(model_region.data + outputs_at, t->data, n);
    outputs_at = AlignUp(outputs_at + n);
  }

  // Kernel variant per node (pointers into the library, valid after re-Init).
  const size_t num_nodes = g_interp.num_nodes();

  if (args.profile) {
    static const mote::Profiler profiler = {ProfileBegin, ProfileEnd, nullptr};
    options.profiler = &profiler;
    s = g_interp.Init(model_region.data, static_cast<size_t>(model_size), g_ops, arena.data, needed,
                      options);
    if (!s.ok()) return Fail(1, "Init with the profiler failed", s.message());
    WriteInputs(g_interp, staged);
    mote_mark(6);  // log index 6; the nodes' hooks make indices 7 .. 6 + 2n
    s = g_interp.Invoke();
    mote_mark(7);  // log index 7 + 2n
    if (!s.ok()) return Fail(1, s.message());
    size_t at = staged_at;
    for (size_t i = 0; i < num_outputs; ++i) {
      const mote::Tensor* t = g_interp.output(i);
      const size_t n = t->data ? static_cast<size_t>(t->bytes) : 0;
      if (n > 0 && memcmp(model_region.data + at, t->data, n) != 0) {
        return Fail(4, "the profiled invoke's outputs differ from the timed invoke's");
      }
      at = AlignUp(at + n);
    }
  }

  printf("{\"runner\":\"mote\",\"board\":\"%s\",\"cpu\":\"%s\",\"kernels\":\"%s\","
         "\"model_bytes\":%lu,\"arena_bytes\":%lu,\"arena\":{\"persistent\":%lu,\"planned\":%lu},"
         "\"arena_capacity\":%lu,\"outputs\":[",
         mote::board::name(), mote::board::cpu(),
         args.kernels == mote::KernelChoice::kReference ? "reference" : "optimized",
         static_cast<unsigned long>(model_size), static_cast<unsigned long>(usage.total()),
         static_cast<unsigned long>(usage.persistent), static_cast<unsigned long>(usage.planned),
         static_cast<unsigned long>(arena.size));
  size_t at = staged_at;
  for (size_t i = 0; i < num_outputs; ++i) {
    const mote::Tensor* t = g_interp.output(i);
    const size_t n = t->data ? static_cast<size_t>(t->bytes) : 0;
    fputs(i ? ",\"" : "\"", stdout);
    PutHex(model_region.data + at, n);
    fputs("\"", stdout);
    at = AlignUp(at + n);
  }
  fputs("],\"ops\":[", stdout);
  for (size_t i = 0; i < num_nodes; ++i) {
    const mote::Node& n = g_interp.node(i);
    printf("%s{\"index\":%u,\"op\":\"%s\",\"kernel\":\"%s\"}", i ? "," : "", static_cast<unsigned>(i),
           mote::BuiltinName(n.builtin), n.variant ? n.variant : "?");
  }
  const unsigned total_marks = args.profile ? 8u + 2u * static_cast<unsigned>(num_nodes) : 6u;
  printf("],\"marks\":{\"empty\":[0,1],\"init\":[2,3],\"invoke\":[4,5],");
  if (args.profile) {
    printf("\"profile\":[6,%u],\"ops_first\":7}", 7u + 2u * static_cast<unsigned>(num_nodes));
  } else {
    printf("\"profile\":null}");
  }
  printf(",\"num_marks\":%u}\n", total_marks);
  fflush(stdout);
  return 0;
}
