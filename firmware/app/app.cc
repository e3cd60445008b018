// app.cc - a one-model application firmware: app_<model>.elf (firmware/CMakeLists.txt).
//
// What an application that runs one model links, and nothing more:
//   - only the ops the model uses (MOTE_APP_OPS, generated from the model's
//     operator codes by gen_app.py into app_config.h);
//   - the model compiled in, read in place from the section .mote_model
//     (app_model.cc, generated; not code: footprint.py reports it apart);
//   - one static arena (MOTE_APP_ARENA_BYTES);
//   - no newlib stdio: output goes straight to the semihosting console.
//
//   app_<model>.elf [INPUT]...     (semihosting command line, qemu's -append)
//
// Each INPUT is the raw bytes of input i, read into the input tensor after
// Init (no INPUT: every input is its zero point). Runs one Invoke and prints
// one line:
//   {"app":"<model>","arena_bytes":N,"outputs":["<hex>",...]}
// Exit status 0; 1 with the Status message on stderr when Init or Invoke
// fails (e.g. "arena too small: needs N bytes, got M"); 2 for a bad input file.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app_config.h"
#include "mote/mote.h"
#include "semihost.h"

extern "C" {
// app_model.cc: the model bytes.
extern const uint8_t mote_app_model[];
extern const uint8_t mote_app_model_end[];

// The board's reset handler calls this before the static constructors
// (firmware/stdio_init.cc gives newlib's stdio its streams). This firmware
// never uses newlib's stdio, so it only ends the boot-time heap.
void mote_board_seal_heap(void);
void mote_board_stdio_init(void) { mote_board_seal_heap(); }
}

namespace {

alignas(16) uint8_t g_arena[MOTE_APP_ARENA_BYTES];
mote::OpRegistry g_ops;
mote::Interpreter g_interp;

void Out(const char* s) { mote::semihost::out(s); }

void OutUnsigned(unsigned long v) {
  char buf[12];
  char* p = buf + sizeof(buf);
  *--p = '\0';
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  Out(p);
}

void OutHex(const uint8_t* data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  char buf[65];
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    buf[k++] = kDigits[data[i] >> 4];
    buf[k++] = kDigits[data[i] & 15];
    if (k == 64 || i + 1 == n) {
      buf[k] = '\0';
      Out(buf);
      k = 0;
    }
  }
}

int Fail(int code, const char* what, const char* detail) {
  mote::semihost::err("app_" MOTE_APP_NAME ": ");
  mote::semihost::err(what);
  if (detail != nullptr) {
    mote::semihost::err(": ");
    mote::semihost::err(detail);
  }
  mote::semihost::err("\n");
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // argv[0] is the ELF path; the rest are input files.
#define MOTE_APP_ADD(fn) \
  if (mote::Status s = g_ops.Add(mote::ops::fn()); !s.ok()) return Fail(1, "ops", s.message());
  MOTE_APP_OPS(MOTE_APP_ADD)
#undef MOTE_APP_ADD

  const size_t model_bytes = static_cast<size_t>(mote_app_model_end - mote_app_model);
  mote::Status s = g_interp.Init(mote_app_model, model_bytes, g_ops, g_arena, sizeof(g_arena));
  if (!s.ok()) return Fail(1, "Init", s.message());

  const int num_files = argc > 1 ? argc - 1 : 0;
  if (num_files != 0 && static_cast<size_t>(num_files) != g_interp.num_inputs()) {
    return Fail(2, "wrong number of input files", nullptr);
  }
  for (size_t i = 0; i < g_interp.num_inputs(); ++i) {
    mote::Tensor* t = g_interp.input(i);
    if (t->data == nullptr || t->bytes <= 0) continue;
    const size_t n = static_cast<size_t>(t->bytes);
    if (num_files == 0) {
      if (t->type == mote::DType::kInt8 || t->type == mote::DType::kUInt8) {
        memset(t->data, static_cast<uint8_t>(t->zero_point), n);
      } else {
        memset(t->data, 0, n);
      }
      continue;
    }
    const long got = mote::semihost::read_file(argv[1 + i], t->data, n);
    if (got != static_cast<long>(n)) return Fail(2, "cannot read input, or its size is wrong", argv[1 + i]);
  }

  s = g_interp.Invoke();
  if (!s.ok()) return Fail(1, "Invoke", s.message());

  Out("{\"app\":\"" MOTE_APP_NAME "\",\"arena_bytes\":");
  OutUnsigned(g_interp.arena_bytes_used());
  Out(",\"outputs\":[");
  for (size_t i = 0; i < g_interp.num_outputs(); ++i) {
    const mote::Tensor* t = g_interp.output(i);
    Out(i ? ",\"" : "\"");
    if (t->data != nullptr && t->bytes > 0) OutHex(t->data, static_cast<size_t>(t->bytes));
    Out("\"");
  }
  Out("]}\n");
  return 0;
}
