// Every op mote implements, for tools and tests. Applications should
// register only the ops their model uses (see include/mote/op_registry.h).
#include "mote/op_registry.h"

namespace mote {

Status RegisterAllOps(OpRegistry* registry) {
  const OpRegistration* all[] = {
      &ops::Conv2D(),
      &ops::DepthwiseConv2D(),
      &ops::Reshape(),
      &ops::Squeeze(),
      &ops::FullyConnected(),
      &ops::AveragePool2D(),
      &ops::MaxPool2D(),
      &ops::Softmax(),
      &ops::Mean(),
      &ops::Add(),
      &ops::Sub(),
      &ops::Mul(),
      &ops::Quantize(),
      &ops::Dequantize(),
      &ops::Relu(),
      &ops::Relu6(),
      &ops::Logistic(),
      &ops::Tanh(),
      &ops::Concatenation(),
      &ops::Pad(),
      &ops::PadV2(),
  };
  for (const OpRegistration* reg : all) MOTE_RETURN_IF_ERROR(registry->Add(*reg));
  return Status::Ok();
}

}  // namespace mote
