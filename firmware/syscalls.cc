// syscalls.cc - the newlib system calls a mote firmware needs, on semihosting.
//
// printf/puts write through _write: fd 1 -> mote::semihost::out, fd 2 -> err.
// Files are not opened through newlib (use mote::semihost directly): _open fails.
//
// There is no heap: once main runs, _sbrk fails with ENOMEM and malloc returns
// null. One exception, during reset only: newlib-nano (built _REENT_SMALL)
// mallocs its stdin/stdout/stderr FILE objects on first stdio use (~450 bytes)
// and, if that fails, writes them through a null pointer, i.e. over the vector
// table at 0x0. So the reset handler calls mote_board_stdio_init() before the
// static constructors: it initializes stdio from a 1 KB boot pool, gives stdout
// a static line buffer, and seals the pool for good (mote_board_seal_heap).
// mote_board_stdio_init lives in its own file (stdio_init.cc): a firmware that
// never uses newlib's stdio defines its own, which only seals the pool, and so
// links none of stdio (firmware/app/app.cc).
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "semihost.h"

extern "C" {

int _write(int fd, const char* buf, int len) {
  if (len <= 0) return 0;
  bool ok = false;
  if (fd == 1) {
    ok = mote::semihost::out(buf, static_cast<size_t>(len));
  } else if (fd == 2) {
    ok = mote::semihost::err(buf, static_cast<size_t>(len));
  } else {
    errno = EBADF;
    return -1;
  }
  if (!ok) {
    errno = EIO;
    return -1;
  }
  return len;
}

int _read(int, char*, int) {
  errno = EBADF;
  return -1;
}

}  // extern "C"

namespace {
alignas(8) char g_boot_pool[1024];
size_t g_boot_used = 0;
bool g_heap_sealed = false;
}  // namespace

extern "C" {

void* _sbrk(ptrdiff_t increment) {
  if (!g_heap_sealed && increment >= 0 &&
      static_cast<size_t>(increment) <= sizeof(g_boot_pool) - g_boot_used) {
    void* p = g_boot_pool + g_boot_used;
    g_boot_used += static_cast<size_t>(increment);
    return p;
  }
  errno = ENOMEM;
  return reinterpret_cast<void*>(-1);
}

void mote_board_seal_heap(void) { g_heap_sealed = true; }

[[noreturn]] void _exit(int status) { mote::semihost::exit(status); }

int _close(int) { return -1; }

int _open(const char*, int, ...) {
  errno = ENOSYS;
  return -1;
}

int _fstat(int, struct stat* st) {
  st->st_mode = S_IFCHR;
  return 0;
}

int _isatty(int fd) { return fd <= 2 ? 1 : 0; }

off_t _lseek(int, off_t, int) { return 0; }

int _kill(int, int) {
  errno = EINVAL;
  return -1;
}

int _getpid(void) { return 1; }

}  // extern "C"

namespace mote::board {
size_t boot_heap_used() { return g_boot_used; }
}  // namespace mote::board
