// mote: one status type for every fallible call. No exceptions, no heap:
// the message lives inside the Status, truncated to kMaxMessage - 1 bytes.
#ifndef MOTE_STATUS_H_
#define MOTE_STATUS_H_

#include <cstddef>
#include <cstdint>

namespace mote {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidModel,     // the model bytes are malformed or inconsistent
  kUnsupported,      // well-formed, but uses something mote does not implement
  kArenaTooSmall,    // the caller's arena cannot hold the plan
  kInvalidArgument,  // the caller passed something wrong (null, bad index, size)
  kInternal,         // a bug in mote
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  static constexpr size_t kMaxMessage = 512;

  Status() : code_(StatusCode::kOk) { message_[0] = '\0'; }
  static Status Ok() { return Status(); }
  // printf-style message; truncated (ending in "...") when too long.
  static Status Error(StatusCode code, const char* fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const char* message() const { return message_; }

 private:
  StatusCode code_;
  char message_[kMaxMessage];
};

}  // namespace mote

// Returns from the calling function when `expr` (a Status) is not ok.
#define MOTE_RETURN_IF_ERROR(expr)           \
  do {                                       \
    ::mote::Status mote_status_ = (expr);    \
    if (!mote_status_.ok()) return mote_status_; \
  } while (0)

#endif  // MOTE_STATUS_H_
