// semihost.h - Arm semihosting for the emulated boards (QEMU, `bkpt 0xab`).
//
// Gives a bare-metal firmware a console, host files and its command line:
//   qemu-system-arm ... -semihosting-config enable=on,target=native
//                       -kernel fw.elf -append "model.tflite input.bin"
// QEMU builds the semihosting command line from the kernel path and -append,
// so args() yields argv[0] = the ELF path, then the -append words (split at
// spaces; double quotes group words with spaces).
//
// All calls are synchronous and cheap to the guest in instructions (one
// `bkpt` each), but every call is a host round trip: read files in big blocks.
// Every function may be called before static constructors have run.
#ifndef MOTE_FIRMWARE_SEMIHOST_H_
#define MOTE_FIRMWARE_SEMIHOST_H_

#include <stddef.h>
#include <stdint.h>

namespace mote::semihost {

// Raw operations (Arm "Semihosting for AArch32 and AArch64", v2).
enum Op : uint32_t {
  kOpen = 0x01,
  kClose = 0x02,
  kWrite0 = 0x04,
  kWrite = 0x05,
  kRead = 0x06,
  kFlen = 0x0C,
  kErrno = 0x13,
  kGetCmdline = 0x15,
  kExit = 0x18,
  kExitExtended = 0x20,
};

// One semihosting call: r0 = op, r1 = arg (a pointer to a parameter block, or
// a value for SYS_EXIT on AArch32); returns r0.
inline uint32_t call(uint32_t op, uintptr_t arg) {
  register uint32_t r0 __asm__("r0") = op;
  register uintptr_t r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

// Console. out() goes to QEMU's stdout, err() to QEMU's stderr (the ":tt"
// special file opened for write / for append). Both return false on failure.
bool out(const char* s, size_t n);
bool out(const char* s);
bool err(const char* s, size_t n);
bool err(const char* s);

// Host files. open() returns a handle >= 0, or -1 (see last_errno()).
enum class Mode : uint32_t { kReadBinary = 1, kWriteBinary = 5, kAppendBinary = 9 };
int open(const char* path, Mode mode);
int close(int handle);
// Length in bytes, or -1.
long flen(int handle);
// Reads up to n bytes; returns the number of bytes read (0 at end of file),
// or -1 on error.
long read(int handle, void* buf, size_t n);
// Writes n bytes; returns true if all were written.
bool write(int handle, const void* buf, size_t n);
// The host errno of the last failed call.
int last_errno();

// Reads a whole host file into [dst, dst + capacity). Returns the file size,
// or -1 if it cannot be opened or read, or -2 if it does not fit (nothing
// useful in dst then).
long read_file(const char* path, void* dst, size_t capacity);

// The command line split into words, in place, in a static buffer. Returns
// argc (0 if the host gave no command line); argv[argc] == nullptr.
int args(char*** argv);

// Ends the emulation with this exit status. 0 uses SYS_EXIT with
// ADP_Stopped_ApplicationExit; any other status uses SYS_EXIT_EXTENDED
// (QEMU then exits with status & 0xff, as a process exit status would).
[[noreturn]] void exit(int status);

}  // namespace mote::semihost

#endif  // MOTE_FIRMWARE_SEMIHOST_H_
