// A tiny JSON writer for the CLI's --json output.
#ifndef MOTE_TOOLS_CLI_JSON_H_
#define MOTE_TOOLS_CLI_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mote {
namespace cli {

class Json {
 public:
  Json& BeginObject();
  Json& EndObject();
  Json& BeginArray();
  Json& EndArray();
  Json& Key(const std::string& key);
  Json& String(const std::string& value);
  Json& Int(int64_t value);
  Json& Double(double value);
  Json& Bool(bool value);
  Json& Null();
  const std::string& str() const { return out_; }

 private:
  void Separator();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

std::string JsonEscape(const std::string& s);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_JSON_H_
