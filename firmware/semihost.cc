// semihost.cc - Arm semihosting calls used by the mote firmware (see semihost.h).
#include "semihost.h"

#include <string.h>

namespace mote::semihost {
namespace {

constexpr uint32_t kAdpStoppedApplicationExit = 0x20026;
constexpr uint32_t kAdpStoppedRunTimeErrorUnknown = 0x20023;

uintptr_t addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// Console handles: opened on first use (":tt" for write = stdout, for append =
// stderr, QEMU implements SH_EXT_STDOUT_STDERR). -2 = not opened yet.
int g_out = -2;
int g_err = -2;

int console(int* handle, uint32_t mode) {
  if (*handle == -2) {
    static const char kTt[] = ":tt";
    uint32_t block[3] = {static_cast<uint32_t>(addr(kTt)), mode, 3};
    *handle = static_cast<int>(call(kOpen, addr(block)));
  }
  return *handle;
}

bool console_write(int* handle, uint32_t mode, const char* s, size_t n) {
  int h = console(handle, mode);
  if (h < 0) {
    // Fallback: SYS_WRITE0 needs a NUL-terminated string; send it in chunks.
    char chunk[65];
    while (n > 0) {
      size_t k = n < 64 ? n : 64;
      memcpy(chunk, s, k);
      chunk[k] = '\0';
      call(kWrite0, addr(chunk));
      s += k;
      n -= k;
    }
    return true;
  }
  return write(h, s, n);
}

}  // namespace

bool out(const char* s, size_t n) { return console_write(&g_out, 4, s, n); }
bool out(const char* s) { return out(s, strlen(s)); }
bool err(const char* s, size_t n) { return console_write(&g_err, 8, s, n); }
bool err(const char* s) { return err(s, strlen(s)); }

int open(const char* path, Mode mode) {
  uint32_t block[3] = {static_cast<uint32_t>(addr(path)),
                       static_cast<uint32_t>(mode),
                       static_cast<uint32_t>(strlen(path))};
  return static_cast<int>(call(kOpen, addr(block)));
}

int close(int handle) {
  uint32_t block[1] = {static_cast<uint32_t>(handle)};
  return static_cast<int>(call(kClose, addr(block)));
}

long flen(int handle) {
  uint32_t block[1] = {static_cast<uint32_t>(handle)};
  return static_cast<long>(static_cast<int32_t>(call(kFlen, addr(block))));
}

long read(int handle, void* buf, size_t n) {
  // SYS_READ returns the number of bytes NOT read (n = nothing read: EOF);
  // values above n are errors.
  uint32_t block[3] = {static_cast<uint32_t>(handle),
                       static_cast<uint32_t>(addr(buf)),
                       static_cast<uint32_t>(n)};
  uint32_t left = call(kRead, addr(block));
  if (left > n) return -1;
  return static_cast<long>(n - left);
}

bool write(int handle, const void* buf, size_t n) {
  // SYS_WRITE returns the number of bytes NOT written.
  uint32_t block[3] = {static_cast<uint32_t>(handle),
                       static_cast<uint32_t>(addr(buf)),
                       static_cast<uint32_t>(n)};
  return call(kWrite, addr(block)) == 0;
}

int last_errno() { return static_cast<int>(call(kErrno, 0)); }

long read_file(const char* path, void* dst, size_t capacity) {
  int h = open(path, Mode::kReadBinary);
  if (h < 0) return -1;
  long size = flen(h);
  long result = size;
  if (size < 0) {
    result = -1;
  } else if (static_cast<unsigned long>(size) > capacity) {
    result = -2;
  } else {
    uint8_t* p = static_cast<uint8_t*>(dst);
    long done = 0;
    while (done < size) {
      long got = read(h, p + done, static_cast<size_t>(size - done));
      if (got <= 0) {
        result = -1;
        break;
      }
      done += got;
    }
  }
  close(h);
  return result;
}

int args(char*** argv_out) {
  static char buf[2048];
  static char* argv[64];
  uint32_t block[2] = {static_cast<uint32_t>(addr(buf)), sizeof(buf) - 1};
  int argc = 0;
  if (call(kGetCmdline, addr(block)) == 0) {
    size_t len = block[1] < sizeof(buf) ? block[1] : sizeof(buf) - 1;
    buf[len] = '\0';
    // Split in place: spaces separate words, double quotes group them.
    char* r = buf;
    while (*r != '\0' && argc < static_cast<int>(sizeof(argv) / sizeof(argv[0])) - 1) {
      while (*r == ' ' || *r == '\t' || *r == '\n') ++r;
      if (*r == '\0') break;
      char* w = r;  // write position: the word is compacted in place
      argv[argc++] = w;
      bool quoted = false;
      while (*r != '\0' && (quoted || (*r != ' ' && *r != '\t' && *r != '\n'))) {
        if (*r == '"') {
          quoted = !quoted;
          ++r;
        } else {
          *w++ = *r++;
        }
      }
      bool end = (*r == '\0');
      *w = '\0';
      if (end) break;
      ++r;
    }
  }
  argv[argc] = nullptr;
  *argv_out = argv;
  return argc;
}

void exit(int status) {
  if (status == 0) {
    call(kExit, kAdpStoppedApplicationExit);
  } else {
    uint32_t block[2] = {kAdpStoppedApplicationExit, static_cast<uint32_t>(status)};
    call(kExitExtended, addr(block));
    // A host without SYS_EXIT_EXTENDED: any other reason still ends non-zero.
    call(kExit, kAdpStoppedRunTimeErrorUnknown);
  }
  for (;;) {
    __asm__ volatile("wfi");
  }
}

}  // namespace mote::semihost
