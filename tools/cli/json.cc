#include "json.h"

#include <cmath>
#include <cstdio>

namespace mote {
namespace cli {

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void Json::Separator() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ",";
    first_.back() = false;
  }
}

Json& Json::BeginObject() {
  Separator();
  out_ += "{";
  first_.push_back(true);
  return *this;
}
Json& Json::EndObject() {
  out_ += "}";
  first_.pop_back();
  return *this;
}
Json& Json::BeginArray() {
  Separator();
  out_ += "[";
  first_.push_back(true);
  return *this;
}
Json& Json::EndArray() {
  out_ += "]";
  first_.pop_back();
  return *this;
}
Json& Json::Key(const std::string& key) {
  Separator();
  out_ += "\"" + JsonEscape(key) + "\":";
  after_key_ = true;
  return *this;
}
Json& Json::String(const std::string& value) {
  Separator();
  out_ += "\"" + JsonEscape(value) + "\"";
  return *this;
}
Json& Json::Int(int64_t value) {
  Separator();
  out_ += std::to_string(value);
  return *this;
}
Json& Json::Double(double value) {
  Separator();
  if (!std::isfinite(value)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  snprintf(buf, sizeof(buf), "%.9g", value);
  out_ += buf;
  return *this;
}
Json& Json::Bool(bool value) {
  Separator();
  out_ += value ? "true" : "false";
  return *this;
}
Json& Json::Null() {
  Separator();
  out_ += "null";
  return *this;
}

}  // namespace cli
}  // namespace mote
