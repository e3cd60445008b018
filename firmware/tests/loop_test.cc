// loop_test.cc - checks the board support and the exact instruction counter.
//
//   loop_test.elf [N] [exit=K] [fault=udf|bus|stack|null|nullcall] [file=PATH]
//
// Runs four measured regions, each between two calls of mote_mark, and prints
// one line per region, "region <name> expect <difference>", in marker order.
// The plugin (tools/qemu_plugin/icount.c) logs the running instruction count
// at each marker; firmware/tests/check_icount.py checks that consecutive log
// lines differ by exactly the expected amount. How the expectations arise:
//
//   A marker call costs 3 instructions as seen between two log lines: the
//   caller's `bl`, and the marker's own `nop` and `bx lr` (whether the plugin
//   logs before or after counting the marker's `nop`, the difference between
//   two log lines is the same).
//   1. empty_asm:  bl mote_mark; bl mote_mark               -> 3
//   2. empty_c:    mote_mark(10); mote_mark(11) from C++     -> 4
//                  (one more: `movs r0, #11` loads the id)
//   3. loop:       bl mote_mark; 1: subs r4,r4,#1; bne 1b; bl mote_mark
//                  N iterations of 2 instructions            -> 2*N + 3
//                  (the final, not-taken bne counts like the others)
//   4. it_block:   cmp r0,r0; it ne; movne r1,#1 (condition false) -> 3 + 3
//                  (an instruction whose IT condition fails still counts)
//   5. vector:     two FPU (M4: vadd.f32) or MVE (M55: vadd.i32 on q regs)
//                  instructions                              -> 2 + 3
//                  (also proves the reset handler enabled FPU / MVE:
//                  otherwise they raise a NOCP UsageFault)
//
// Also checks what a model runner needs: argv from the semihosting command
// line, a host file read into the model buffer (prints size and FNV-1a 32),
// arena and model buffer writable at both ends, printf, no heap, and the exit
// status / fault paths (exit=K returns K from main; fault=... provokes a fault
// that must end QEMU with 128 + exception number: udf -> UsageFault 134,
// bus -> BusFault 133, stack -> MemManage 132 on M4 (guard page) / UsageFault
// 134 on M55 (MSPLIM), null (write) / nullcall -> MemManage 132 (MPU guard).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "semihost.h"

extern "C" {
void mote_region_empty_asm(void);
void mote_region_loop(uint32_t n);
void mote_region_it_block(void);
void mote_region_vector(void);
}

// Each region function is pure assembly so that exactly the instructions
// listed above lie between the markers, whatever the compiler does elsewhere.
extern "C" __attribute__((naked, noinline)) void mote_region_empty_asm(void) {
  __asm__ volatile(
      "push {r4, lr}\n\t"
      "bl mote_mark\n\t"
      "bl mote_mark\n\t"
      "pop {r4, pc}\n\t");
}

extern "C" __attribute__((naked, noinline)) void mote_region_loop(uint32_t) {
  __asm__ volatile(
      "push {r4, lr}\n\t"
      "mov r4, r0\n\t"
      "bl mote_mark\n\t"
      "1:\n\t"
      "subs r4, r4, #1\n\t"
      "bne 1b\n\t"
      "bl mote_mark\n\t"
      "pop {r4, pc}\n\t");
}

extern "C" __attribute__((naked, noinline)) void mote_region_it_block(void) {
  __asm__ volatile(
      "push {r4, lr}\n\t"
      "bl mote_mark\n\t"
      "cmp r0, r0\n\t"
      "it ne\n\t"
      "movne r1, #1\n\t"
      "bl mote_mark\n\t"
      "pop {r4, pc}\n\t");
}

// q0/q1 and s0/s1 are caller-saved: no need to preserve them.
extern "C" __attribute__((naked, noinline)) void mote_region_vector(void) {
  __asm__ volatile(
      "push {r4, lr}\n\t"
      "bl mote_mark\n\t"
#if defined(__ARM_FEATURE_MVE)
      "vmov.i32 q0, #1\n\t"
      "vadd.i32 q1, q0, q0\n\t"
#else
      "vmov.f32 s0, #1.0\n\t"
      "vadd.f32 s1, s0, s0\n\t"
#endif
      "bl mote_mark\n\t"
      "pop {r4, pc}\n\t");
}

namespace {

uint32_t fnv1a(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

// Deep recursion with a large frame, to overflow the stack on purpose (the
// limit is far beyond any stack; volatile so the compiler cannot see it).
volatile uint32_t g_depth_limit = 1u << 30;
__attribute__((noinline)) uint32_t recurse(volatile uint8_t* prev, uint32_t depth) {
  if (depth >= g_depth_limit) return 0;
  volatile uint8_t frame[1024];
  frame[0] = static_cast<uint8_t>(depth);
  frame[1023] = prev != nullptr ? prev[0] : 0;
  return recurse(frame, depth + 1) + frame[1023];
}

void provoke(const char* kind) {
  printf("provoking fault: %s\n", kind);
  fflush(stdout);
  if (strcmp(kind, "udf") == 0) {
    __asm__ volatile("udf #0");
  } else if (strcmp(kind, "bus") == 0) {
    volatile uint32_t* bad = reinterpret_cast<volatile uint32_t*>(0xF0000000u);
    printf("read %lu\n", static_cast<unsigned long>(*bad));
  } else if (strcmp(kind, "stack") == 0) {
    printf("%lu\n", static_cast<unsigned long>(recurse(nullptr, 0)));
  } else if (strcmp(kind, "null") == 0) {
    volatile uint32_t* volatile null = nullptr;
    *null = 0xDEADBEEF;  // must hit the MPU guard over the vector table
  } else if (strcmp(kind, "nullcall") == 0) {
    void (*volatile fn)(void) = nullptr;
    fn();
  }
  printf("fault '%s' did not fault\n", kind);
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t n = 10000;
  int exit_status = 0;
  const char* fault = nullptr;
  const char* file = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "exit=", 5) == 0) {
      exit_status = atoi(argv[i] + 5);
    } else if (strncmp(argv[i], "fault=", 6) == 0) {
      fault = argv[i] + 6;
    } else if (strncmp(argv[i], "file=", 5) == 0) {
      file = argv[i] + 5;
    } else {
      char* end = nullptr;
      unsigned long v = strtoul(argv[i], &end, 0);
      if (end == argv[i] || *end != '\0' || v == 0 || v > 100000000ul) {
        fprintf(stderr, "loop_test: bad argument '%s'\n", argv[i]);
        return 2;
      }
      n = static_cast<uint32_t>(v);
    }
  }
  printf("loop_test: board=%s cpu=%s argc=%d argv0=%s\n", mote::board::name(),
         mote::board::cpu(), argc, argc > 0 ? argv[0] : "(none)");

  // The measured regions, in marker order.
  mote_region_empty_asm();
  mote_mark(10);
  mote_mark(11);
  mote_region_loop(n);
  mote_region_it_block();
  mote_region_vector();
  printf("region empty_asm expect 3\n");
  printf("region empty_c expect 4\n");
  printf("region loop expect %lu\n", 2ul * n + 3ul);
  printf("region it_block expect 6\n");
  printf("region vector expect 5\n");

  // Floating point works after reset (FPU enabled, hard-float ABI).
  volatile float x = 1.5f;
  float y = x * x + 0.25f;
  if (y != 2.5f) {
    fprintf(stderr, "loop_test: float arithmetic wrong\n");
    return 7;
  }

  // Memory regions: both ends writable and readable.
  mote::board::Region model = mote::board::model_buffer();
  mote::board::Region arena = mote::board::arena();
  const mote::board::Region regions[] = {model, arena};
  for (const mote::board::Region& r : regions) {
    volatile uint8_t* p = r.data;
    p[0] = 0x5A;
    p[r.size - 1] = 0xA5;
    if (p[0] != 0x5A || p[r.size - 1] != 0xA5) {
      fprintf(stderr, "loop_test: region at %p not writable\n", static_cast<void*>(r.data));
      return 3;
    }
  }
  printf("model_buffer 0x%08lx %lu\n", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(model.data)),
         static_cast<unsigned long>(model.size));
  printf("arena 0x%08lx %lu\n", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(arena.data)),
         static_cast<unsigned long>(arena.size));

  // No heap.
  void* volatile heap = malloc(16);
  printf("malloc(16) %s\n", heap == nullptr ? "null" : "NOT NULL");
  if (heap != nullptr) return 4;

  if (file != nullptr) {
    long size = mote::semihost::read_file(file, model.data, model.size);
    if (size < 0) {
      fprintf(stderr, "loop_test: cannot read '%s' (%ld, errno %d)\n", file, size,
              mote::semihost::last_errno());
      return 5;
    }
    printf("file %ld fnv1a 0x%08lx\n", size,
           static_cast<unsigned long>(fnv1a(model.data, static_cast<size_t>(size))));
  }

  if (fault != nullptr) {
    provoke(fault);
    return 6;
  }
  printf("loop_test: done, exit %d\n", exit_status);
  return exit_status;
}
