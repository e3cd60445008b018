// board.h - what a mote firmware gets from the board support (target mote_board).
//
// The reset handler (startup.cc) enables the FPU (and MVE on Cortex-M55),
// copies .data, zeroes .bss, runs static constructors, reads the semihosting
// command line and calls `int main(int argc, char** argv)`; main's return value
// becomes QEMU's exit status. A fault prints its registers on stderr and ends
// QEMU with status 128 + exception number (HardFault 131, MemManage 132,
// BusFault 133, UsageFault 134, SecureFault 135).
//
// There is no heap: malloc returns null (_sbrk fails once main runs; only
// newlib's own stdio setup draws on a 1 KB boot pool, see syscalls.cc). Large
// buffers come from the two regions below, sized by the board's linker script.
//
// Null pointers: the MPU makes the lowest memory (the vector table: 4 KB on
// mps2-an386, all of ITCM on mps3-an547) read-only and execute-never, so a
// write or call through a null pointer faults (MemManage, exit status 132).
#ifndef MOTE_FIRMWARE_BOARD_H_
#define MOTE_FIRMWARE_BOARD_H_

#include <stddef.h>
#include <stdint.h>

extern "C" {
// Instruction-counter marker (tools/qemu_plugin/icount.c). Two instructions,
// `nop; bx lr`, never inlined, in its own section and always linked. Each call
// makes the plugin log the running instruction count. Between two calls the
// logged difference is: the instructions in between + 4 (`movs r0, #id`,
// `bl`, and the marker's `nop; bx lr`) when called from C/C++ with a
// constant id; + 3 from assembly without setting r0. `id` is only a label for
// the reader and debugger: the plugin cannot read it; the host pairs log
// lines with calls in order.
void mote_mark(uint32_t id);
}

namespace mote::board {

struct Region {
  uint8_t* data;
  size_t size;
};

// "Flash-like" buffer to load model bytes into (>= 1.5 MB, 16-byte aligned).
Region model_buffer();
// Everything else in data RAM: for the tensor arena (>= 1 MB, 16-byte aligned).
Region arena();
// Board name: "mps2-an386" or "mps3-an547".
const char* name();
// Core name: "cortex-m4" or "cortex-m55".
const char* cpu();
// Bytes newlib took from the boot pool during reset (for tests).
size_t boot_heap_used();

}  // namespace mote::board

#endif  // MOTE_FIRMWARE_BOARD_H_
