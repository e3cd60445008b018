#include "host_runner.h"

#include <cstring>

namespace mote {
namespace cli {

HostRunner::HostRunner() {
  Status s = RegisterAllOps(&ops_);
  (void)s;  // cannot fail for the built-in set; checked by tests
}

bool HostRunner::Load(const std::string& model_path, const InterpreterOptions& options,
                      std::string* error) {
  AlignedBytes bytes;
  if (!ReadFile(model_path, &bytes, error)) return false;
  return LoadBytes(std::move(bytes), options, error);
}

bool HostRunner::LoadBytes(AlignedBytes model, const InterpreterOptions& options,
                           std::string* error) {
  model_ = std::move(model);
  // Measure on a small arena, then run on exactly what was asked for.
  AlignedBytes probe(4096);
  Status s = interp_.Init(model_.data(), model_.size(), ops_, probe.data(), probe.size(), options);
  size_t needed = 0;
  if (s.ok()) {
    needed = interp_.arena_bytes_used();
  } else if (s.code() == StatusCode::kArenaTooSmall && interp_.arena_usage().total() > 0) {
    needed = interp_.arena_usage().total();
  } else if (s.code() == StatusCode::kArenaTooSmall) {
    // The tables alone did not fit the probe: measure on a generous arena.
    AlignedBytes big(64u << 20);
    s = interp_.Init(model_.data(), model_.size(), ops_, big.data(), big.size(), options);
    if (!s.ok()) {
      *error = s.message();
      return false;
    }
    needed = interp_.arena_bytes_used();
  } else {
    *error = s.message();
    return false;
  }
  arena_ = AlignedBytes(needed);
  s = interp_.Init(model_.data(), model_.size(), ops_, arena_.data(), arena_.size(), options);
  if (!s.ok()) {
    *error = s.message();
    return false;
  }
  return true;
}

void FillZeroPoint(Tensor* t) {
  if (t->data == nullptr) return;
  switch (t->type) {
    case DType::kInt8:
      memset(t->data, static_cast<int8_t>(t->zero_point), static_cast<size_t>(t->bytes));
      break;
    case DType::kUInt8:
      memset(t->data, static_cast<uint8_t>(t->zero_point), static_cast<size_t>(t->bytes));
      break;
    case DType::kInt16:
      for (int32_t i = 0; i < t->bytes / 2; ++i) t->as<int16_t>()[i] = static_cast<int16_t>(t->zero_point);
      break;
    default:
      memset(t->data, 0, static_cast<size_t>(t->bytes));
  }
}

bool HostRunner::SetInputFromFile(size_t i, const std::string& path, std::string* error) {
  Tensor* t = interp_.input(i);
  if (t == nullptr) {
    *error = "model has no input " + std::to_string(i);
    return false;
  }
  AlignedBytes bytes;
  if (!ReadFile(path, &bytes, error)) return false;
  if (bytes.size() != static_cast<size_t>(t->bytes)) {
    *error = path + ": " + std::to_string(bytes.size()) + " bytes, but input " + std::to_string(i) +
             " ('" + t->name + "', " + DTypeName(t->type) + ") needs " + std::to_string(t->bytes);
    return false;
  }
  if (t->bytes > 0) memcpy(t->data, bytes.data(), bytes.size());
  return true;
}

void HostRunner::SetInputToZeroPoint(size_t i) { FillZeroPoint(interp_.input(i)); }

bool HostRunner::Invoke(std::string* error) {
  Status s = interp_.Invoke();
  if (!s.ok()) {
    *error = s.message();
    return false;
  }
  return true;
}

}  // namespace cli
}  // namespace mote
