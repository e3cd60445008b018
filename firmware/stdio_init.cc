// stdio_init.cc - newlib's stdio for a firmware, set up during reset (see
// syscalls.cc): the reset handler calls mote_board_stdio_init() before the
// static constructors.
//
// In its own translation unit so that a firmware which never uses newlib's
// stdio can define mote_board_stdio_init itself (calling only
// mote_board_seal_heap) and link none of stdio: this archive member is then
// never pulled in (firmware/app/app.cc does so).
#include <stdio.h>

extern "C" void mote_board_seal_heap(void);  // syscalls.cc

namespace {
char g_stdout_buffer[256];
}  // namespace

extern "C" void mote_board_stdio_init(void) {
  // Any stdio call on stdout initializes newlib's std streams (their FILE
  // objects come from the boot pool); this one also gives stdout a static
  // line buffer (newlib would malloc one). Then the pool is sealed.
  setvbuf(stdout, g_stdout_buffer, _IOLBF, sizeof(g_stdout_buffer));
  mote_board_seal_heap();
}
