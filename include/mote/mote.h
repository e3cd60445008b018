// mote: the whole public API.
#ifndef MOTE_MOTE_H_
#define MOTE_MOTE_H_

#include "mote/interpreter.h"
#include "mote/op_registry.h"
#include "mote/status.h"
#include "mote/tensor.h"

#endif  // MOTE_MOTE_H_
