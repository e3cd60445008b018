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
          "      [--target host|cortex-m4|cortex-m55] [--firmware ELF] [--plugin SO] [--no-profile]\n"
          "      run one inference; without --input, inputs are filled with their zero point.\n"
          "      A cortex target runs it under QEMU (firmware from the cortex-m4/cortex-m55\n"
          "      presets) and adds exact instruction counts, per invoke and per op\n"
          "  inspect MODEL [--kernels reference|optimized] [--svg FILE]\n"
          "      ops with options and MACs, tensors with quantization, the memory plan\n"
          "  plan MODEL [--target host|cortex-m4|cortex-m55] [--kernels K] [--json]\n"
          "      the exact arena bytes Init needs (persistent + activations + scratch)\n"
          "  compare MODEL [--input FILE]... [--kernels reference|optimized]\n"
          "      run TensorFlow Lite's reference interpreter and mote on the same inputs; report\n"
          "      'bit-exact: N tensors' or the first differing tensor and the op that made it\n"
          "  bench [MODEL]... [--shared] [--runs N] [--json] [--host-only]\n"
          "      host time and Cortex-M4/M55 instructions per invoke, reference and optimized,\n"
          "      next to TFLM's (../shared/anchors); default: models/*.tflite; --shared adds\n"
          "      the anchored public models\n"
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
  if (command == "bench") return mote::cli::BenchCommand(args);
  if (command == "compare") return mote::cli::CompareCommand(args);
  if (command == "plan") return mote::cli::PlanCommand(args);
  if (command == "help" || command == "--help" || command == "-h") {
    Usage(stdout);
    return 0;
  }
  fprintf(stderr, "mote: unknown command '%s'\n\n", command.c_str());
  Usage(stderr);
  return 2;
}
