// Every op mote implements, for tools and tests. Applications should
// register only the ops their model uses (see include/mote/op_registry.h).
#include "mote/op_registry.h"

namespace mote {

Status RegisterAllOps(OpRegistry* registry) {
  const OpRegistration* all[] = {
      &ops::Reshape(),
      &ops::Squeeze(),
  };
  for (const OpRegistration* reg : all) MOTE_RETURN_IF_ERROR(registry->Add(*reg));
  return Status::Ok();
}

}  // namespace mote
