// The memory plan as a picture: `mote inspect MODEL --svg FILE`.
#ifndef MOTE_TOOLS_CLI_SVG_H_
#define MOTE_TOOLS_CLI_SVG_H_

#include <string>

#include "mote/interpreter.h"

namespace mote {
namespace cli {

// An SVG of the planned arena region: one rectangle per buffer (activation
// tensor or node scratch) spanning its lifetime (x: op index) and its bytes
// (y: arena offset, 0 at the bottom), the peak marked with a line, and the
// ops that are live at the peak named.
std::string MemoryPlanSvg(const Interpreter& interp, const std::string& title);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_SVG_H_
