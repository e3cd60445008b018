// mote: run, inspect and measure int8 .tflite models.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

void Usage(FILE* out) {
  fprintf(out,
          "usage: mote <command> [options]\n"
          "\n"
          "commands:\n"
          "  run MODEL [--input FILE]... [--kernels reference|optimized] [--json]\n"
          "      run one inference; without --input, inputs are filled with their zero point\n"
          "  inspect MODEL [--kernels reference|optimized]\n"
          "      ops with options and MACs, tensors with quantization, the memory plan\n"
          "  help\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  const std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "run") return mote::cli::RunCommand(args);
  if (command == "inspect") return mote::cli::InspectCommand(args);
  if (command == "help" || command == "--help" || command == "-h") {
    Usage(stdout);
    return 0;
  }
  fprintf(stderr, "mote: unknown command '%s'\n\n", command.c_str());
  Usage(stderr);
  return 2;
}
