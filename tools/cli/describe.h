// Human-readable op options and MAC counts for `mote inspect`.
#ifndef MOTE_TOOLS_CLI_DESCRIBE_H_
#define MOTE_TOOLS_CLI_DESCRIBE_H_

#include <cstdint>
#include <string>

#include "mote/interpreter.h"

namespace mote {
namespace cli {

// The builtin options of op `op_index` of subgraph 0 ("3x3 s2 SAME RELU6").
std::string DescribeOptions(const uint8_t* model, int op_index);
// Multiply-accumulates the node performs per invoke (0 for data movement).
int64_t NodeMacs(const Interpreter& interp, const Node& node);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_DESCRIBE_H_
