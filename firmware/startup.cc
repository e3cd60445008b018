// startup.cc - reset, vector table and fault handlers for the emulated
// Cortex-M4F (mps2-an386) and Cortex-M55 (mps3-an547) boards.
//
// Reset sequence (mote_reset_handler; the core has already loaded MSP from
// vector 0, the top of the stack region of the board's linker script):
//   1. enable the FPU, and with it MVE on Cortex-M55: CPACR CP10/CP11 full
//      access (bits 20-23), then DSB + ISB. This comes first because the
//      compiler may vectorize or use FP registers anywhere after it;
//   2. on Armv8-M, set MSPLIM to the stack bottom (overflow -> UsageFault);
//   3. enable the MemManage, BusFault and UsageFault exceptions so faults are
//      reported by their own name rather than as HardFault;
//   4. MPU: the vector table's memory read-only and execute-never (null
//      pointer writes and calls fault); on Cortex-M4 a no-access guard page
//      below the stack; default memory map elsewhere;
//   5. copy .data from its load address (when it differs), zero .bss;
//      initialize newlib's stdio (syscalls.cc: mote_board_stdio_init);
//   6. run .preinit_array, _init, .init_array (static constructors);
//   7. exit(main(argc, argv)) with the semihosting command line as argv;
//      newlib's exit() runs atexit/static destructors, flushes stdio and calls
//      _exit (syscalls.cc), which ends QEMU with main's return value.
#include <stdint.h>
#include <stdlib.h>

#include "board.h"
#include "semihost.h"

extern "C" {
// Linker-script symbols (firmware/ld/*.ld).
extern uint32_t __mote_stack_bottom[];
extern uint32_t __mote_stack_top[];
extern uint32_t __mote_data_start[];
extern uint32_t __mote_data_end[];
extern uint32_t __mote_data_load[];
extern uint32_t __mote_bss_start[];
extern uint32_t __mote_bss_end[];
extern uint8_t __mote_model_start[];
extern uint8_t __mote_model_end[];
extern uint8_t __mote_arena_start[];
extern uint8_t __mote_arena_end[];
typedef void (*mote_init_fn)(void);
extern mote_init_fn __mote_preinit_array_start[];
extern mote_init_fn __mote_preinit_array_end[];
extern mote_init_fn __mote_init_array_start[];
extern mote_init_fn __mote_init_array_end[];

// The application's `int main(int argc, char** argv)`, under another C++ name
// (ISO C++ forbids calling ::main from within the program).
int mote_app_main(int argc, char** argv) __asm__("main");

// With -nostartfiles there is no crti/crtn: newlib and libstdc++ still refer
// to these.
void _init(void) {}
void _fini(void) {}
void* __dso_handle = nullptr;

void mote_board_stdio_init(void);  // syscalls.cc
[[noreturn]] void mote_reset_handler(void);
void mote_fault_handler(void);
void mote_fault_report(uint32_t* frame, uint32_t exc_return, uint32_t ipsr);
}

#ifndef MOTE_BOARD_NAME
#error "MOTE_BOARD_NAME must be defined (firmware/CMakeLists.txt does)"
#endif
#ifndef MOTE_CPU_NAME
#error "MOTE_CPU_NAME must be defined (firmware/CMakeLists.txt does)"
#endif

namespace {

// System control block registers (ARMv7-M / ARMv8-M).
volatile uint32_t& reg(uint32_t address) {
  return *reinterpret_cast<volatile uint32_t*>(address);
}
constexpr uint32_t kCpacr = 0xE000ED88;
constexpr uint32_t kShcsr = 0xE000ED24;
constexpr uint32_t kCfsr = 0xE000ED28;
constexpr uint32_t kHfsr = 0xE000ED2C;
constexpr uint32_t kMmfar = 0xE000ED34;
constexpr uint32_t kBfar = 0xE000ED38;
constexpr uint32_t kSfsr = 0xE000EDE4;
constexpr uint32_t kSfar = 0xE000EDE8;
constexpr uint32_t kMpuCtrl = 0xE000ED94;
constexpr uint32_t kMpuRnr = 0xE000ED98;
constexpr uint32_t kMpuRbar = 0xE000ED9C;
constexpr uint32_t kMpuRasrRlar = 0xE000EDA0;  // RASR on v7-M, RLAR on v8-M
constexpr uint32_t kMpuMair0 = 0xE000EDC0;     // v8-M only

#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define MOTE_ARMV8M 1
#else
#define MOTE_ARMV8M 0
#endif

// MPU: the vector table's memory read-only and execute-never for all
// privilege levels, so null-pointer writes and calls fault; on mps2-an386 also
// the stack guard page and the space below RAM no-access. PRIVDEFENA keeps the
// default map everywhere else. Regions cover whole 4 KB pages so QEMU keeps
// its fast TLB path.
void mpu_setup() {
  reg(kMpuCtrl) = 0;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#if MOTE_ARMV8M
  // mps3-an547: region 0 = all of ITCM, 0x00000000-0x0007FFFF (only vectors
  // live there). The stack is guarded by MSPLIM instead.
  reg(kMpuMair0) = 0x44;  // Attr0: normal memory, non-cacheable
  reg(kMpuRnr) = 0;
  reg(kMpuRbar) = 0x00000000u | (0x3u << 1) | 1u;               // AP=RO any, XN
  reg(kMpuRasrRlar) = (0x0007FFFFu & ~0x1Fu) | (0u << 1) | 1u;  // limit, Attr0, EN
#else
  // mps2-an386 (ARMv7-M: on overlap the higher region number wins).
  constexpr uint32_t kXn = 1u << 28;
  constexpr uint32_t kApNone = 0x0u << 24;
  constexpr uint32_t kApReadOnly = 0x6u << 24;  // RO, privileged and unprivileged
  constexpr uint32_t kNormal = 0x1u << 19;      // TEX=1, C=B=0: normal, non-cacheable
  auto size = [](uint32_t log2) { return (log2 - 1) << 1; };
  // Region 0: 0x00000000-0x1FFFFFFF no access, except subregion 0 (the first
  // 64 MB: SSRAM1, its mirror, block RAM), i.e. 0x04000000-0x1FFFFFFF.
  reg(kMpuRnr) = 0;
  reg(kMpuRbar) = 0x00000000u;
  reg(kMpuRasrRlar) = kXn | kApNone | kNormal | (0x01u << 8) | size(29) | 1u;
  // Region 1: page 0 (vectors, padded to 4 KB), read-only, execute-never.
  reg(kMpuRnr) = 1;
  reg(kMpuRbar) = 0x00000000u;
  reg(kMpuRasrRlar) = kXn | kApReadOnly | kNormal | size(12) | 1u;
  // Region 2: the stack guard page 0x20000000-0x20000FFF, no access.
  reg(kMpuRnr) = 2;
  reg(kMpuRbar) = 0x20000000u;
  reg(kMpuRasrRlar) = kXn | kApNone | kNormal | size(12) | 1u;
#endif
  reg(kMpuCtrl) = (1u << 2) | 1u;  // PRIVDEFENA | ENABLE
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

}  // namespace

// ---- marker for the instruction counter -------------------------------------
// Exactly `nop; bx lr`; its own section, kept by the linker script, so its
// address is always in the ELF (`arm-none-eabi-nm fw.elf | grep mote_mark`).
extern "C" __attribute__((naked, noinline, used, section(".text.mote_mark")))
void mote_mark(uint32_t) {
  __asm__ volatile(
      "nop\n\t"
      "bx lr\n\t");
}

// ---- reset ------------------------------------------------------------------
extern "C" __attribute__((section(".text.mote_reset_handler"), used))
void mote_reset_handler(void) {
  // 1. FPU (+ MVE): CP10 and CP11 full access.
  reg(kCpacr) |= (0xFu << 20);
  __asm__ volatile("dsb\n\tisb" ::: "memory");

#if MOTE_ARMV8M
  // 2. Stack limit: pushing below the stack region raises a UsageFault.
  __asm__ volatile("msr msplim, %0" ::"r"(__mote_stack_bottom) : "memory");
#endif

  // 3. MEMFAULTENA | BUSFAULTENA | USGFAULTENA (| SECUREFAULTENA on v8-M).
#if MOTE_ARMV8M
  reg(kShcsr) |= (1u << 16) | (1u << 17) | (1u << 18) | (1u << 19);
#else
  reg(kShcsr) |= (1u << 16) | (1u << 17) | (1u << 18);
#endif
  __asm__ volatile("dsb\n\tisb" ::: "memory");

  // 4. Null-pointer and stack guards.
  mpu_setup();

  // 5. .data and .bss. Volatile pointers keep GCC from turning these loops
  // into memcpy/memset calls (fine today, but not before .data is set up).
  uint32_t* const data_load = __mote_data_load;
  uint32_t* const data_start = __mote_data_start;
  if (data_load != data_start) {
    volatile uint32_t* src = data_load;
    for (volatile uint32_t* dst = data_start; dst < __mote_data_end;) {
      *dst++ = *src++;
    }
  }
  for (volatile uint32_t* dst = __mote_bss_start; dst < __mote_bss_end;) {
    *dst++ = 0;
  }

  mote_board_stdio_init();

  // 6. Static constructors.
  for (mote_init_fn* f = __mote_preinit_array_start; f < __mote_preinit_array_end; ++f) {
    (*f)();
  }
  _init();
  for (mote_init_fn* f = __mote_init_array_start; f < __mote_init_array_end; ++f) {
    (*f)();
  }

  // 7. main.
  char** argv = nullptr;
  int argc = mote::semihost::args(&argv);
  exit(mote_app_main(argc, argv));
}

// ---- faults -----------------------------------------------------------------
// All fault and unexpected exceptions land here. The stack may be the cause
// (overflow), so the handler first switches MSP back to the top of the stack
// region, then reports from C and exits with 128 + exception number.
extern "C" __attribute__((naked, used)) void mote_fault_handler(void) {
  __asm__ volatile(
      "tst lr, #4\n\t"          // EXC_RETURN bit 2: frame on PSP or MSP
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "mov r1, lr\n\t"
      "mrs r2, ipsr\n\t"
      "ldr r3, =__mote_stack_top\n\t"
      "mov sp, r3\n\t"
      "b mote_fault_report\n\t");
}

namespace {

void put_hex(char* p, uint32_t v) {
  static const char kDigits[] = "0123456789abcdef";
  p[0] = '0';
  p[1] = 'x';
  for (int i = 0; i < 8; ++i) p[2 + i] = kDigits[(v >> (28 - 4 * i)) & 0xF];
}

void report_field(const char* name, uint32_t value) {
  char buf[32];
  int n = 0;
  buf[n++] = ' ';
  while (*name != '\0' && n < 16) buf[n++] = *name++;
  buf[n++] = '=';
  put_hex(buf + n, value);
  n += 10;
  mote::semihost::err(buf, static_cast<size_t>(n));
}

bool in_stack(const uint32_t* frame) {
  return frame >= __mote_stack_bottom && frame + 8 <= __mote_stack_top;
}

}  // namespace

extern "C" __attribute__((used)) void mote_fault_report(uint32_t* frame, uint32_t exc_return,
                                                         uint32_t ipsr) {
  uint32_t exception = ipsr & 0x1FF;
  const char* name = "unexpected exception";
  switch (exception) {
    case 2: name = "NMI"; break;
    case 3: name = "HardFault"; break;
    case 4: name = "MemManage"; break;
    case 5: name = "BusFault"; break;
    case 6: name = "UsageFault"; break;
    case 7: name = "SecureFault"; break;
    default: break;
  }
  mote::semihost::err("\n*** mote: ");
  mote::semihost::err(name);
  report_field("exception", exception);
  if (in_stack(frame)) {
    report_field("pc", frame[6]);
    report_field("lr", frame[5]);
    report_field("xpsr", frame[7]);
  } else {
    report_field("bad_frame_sp", reinterpret_cast<uint32_t>(frame));  // stacking failed
  }
  report_field("exc_return", exc_return);
  report_field("cfsr", reg(kCfsr));
  report_field("hfsr", reg(kHfsr));
  report_field("mmfar", reg(kMmfar));
  report_field("bfar", reg(kBfar));
#if MOTE_ARMV8M
  report_field("sfsr", reg(kSfsr));
  report_field("sfar", reg(kSfar));
#else
  (void)kSfsr;
  (void)kSfar;
#endif
  mote::semihost::err("\n");
  // Leave without running destructors or flushing stdio: state is suspect.
  mote::semihost::exit(static_cast<int>(128 + (exception & 0x7F)));
}

// ---- vector table -------------------------------------------------------------
// Initial MSP, reset, 14 more system vectors and 64 external interrupts. mote
// enables no interrupt; anything that fires is reported as an unexpected
// exception. Only address constants: the table is fully static (no
// constructor), placed at 0x0 by the linker script.
namespace {
using Vector = void (*)(void);
constexpr int kHandlers = 14 + 64;  // vectors 2 .. 79

struct Handlers {
  Vector v[kHandlers];
};

constexpr Handlers make_handlers() {
  Handlers h{};
  for (int i = 0; i < kHandlers; ++i) {
    const int vector = i + 2;
    const bool reserved = (vector >= 8 && vector <= 10) || vector == 13;
    h.v[i] = reserved ? nullptr : mote_fault_handler;
  }
  return h;
}

struct VectorTable {
  uint32_t* initial_sp;
  Vector reset;
  Handlers handlers;
};
}  // namespace

extern "C" __attribute__((section(".mote_vectors"), used))
const VectorTable mote_vector_table = {__mote_stack_top, mote_reset_handler, make_handlers()};

// ---- board.h ----------------------------------------------------------------
namespace mote::board {

Region model_buffer() {
  return {__mote_model_start, static_cast<size_t>(__mote_model_end - __mote_model_start)};
}

Region arena() {
  return {__mote_arena_start, static_cast<size_t>(__mote_arena_end - __mote_arena_start)};
}

const char* name() { return MOTE_BOARD_NAME; }
const char* cpu() { return MOTE_CPU_NAME; }

}  // namespace mote::board
