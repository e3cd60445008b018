#include "mote/status.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace mote {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidModel: return "invalid model";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kArenaTooSmall: return "arena too small";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

Status Status::Error(StatusCode code, const char* fmt, ...) {
  Status s;
  s.code_ = code;
  va_list args;
  va_start(args, fmt);
  const int n = vsnprintf(s.message_, kMaxMessage, fmt, args);
  va_end(args);
  if (n < 0) {
    s.message_[0] = '\0';
  } else if (static_cast<size_t>(n) >= kMaxMessage) {
    memcpy(s.message_ + kMaxMessage - 4, "...", 4);
  }
  return s;
}

}  // namespace mote
