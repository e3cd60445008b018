// The `mote` subcommands. Each returns the process exit status.
#ifndef MOTE_TOOLS_CLI_COMMANDS_H_
#define MOTE_TOOLS_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace mote {
namespace cli {

int RunCommand(const std::vector<std::string>& args);
int InspectCommand(const std::vector<std::string>& args);
int BenchCommand(const std::vector<std::string>& args);  // bench.cc
int CompareCommand(const std::vector<std::string>& args);
int PlanCommand(const std::vector<std::string>& args);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_COMMANDS_H_
