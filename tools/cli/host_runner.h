// Loads a model file and prepares an interpreter on an arena of exactly the
// size it needs (the first Init measures, the second runs on that size, so
// every host run also checks that the reported size is sufficient).
#ifndef MOTE_TOOLS_CLI_HOST_RUNNER_H_
#define MOTE_TOOLS_CLI_HOST_RUNNER_H_

#include <memory>
#include <string>
#include <vector>

#include "model_file.h"
#include "mote/mote.h"

namespace mote {
namespace cli {

class HostRunner {
 public:
  HostRunner();
  // False with *error set (the Status message) on failure.
  bool Load(const std::string& model_path, const InterpreterOptions& options, std::string* error);
  bool LoadBytes(AlignedBytes model, const InterpreterOptions& options, std::string* error);
  // Fills input i from a file (size must match) or with its zero point.
  bool SetInputFromFile(size_t i, const std::string& path, std::string* error);
  void SetInputToZeroPoint(size_t i);
  bool Invoke(std::string* error);

  Interpreter& interpreter() { return interp_; }
  const AlignedBytes& model() const { return model_; }
  size_t arena_size() const { return arena_.size(); }

 private:
  AlignedBytes model_;
  AlignedBytes arena_;
  OpRegistry ops_;
  Interpreter interp_;
};

// Whole-tensor fill with the tensor's "zero" (its zero point when
// quantized, else 0).
void FillZeroPoint(Tensor* t);

}  // namespace cli
}  // namespace mote

#endif  // MOTE_TOOLS_CLI_HOST_RUNNER_H_
