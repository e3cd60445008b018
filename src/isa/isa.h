// mote: which instruction-set extensions a kernel variant needs, and which
// this build and this CPU have. Compile-time extensions (Cortex-M DSP, MVE)
// are fixed by the compiler flags; x86 extensions are detected at run time,
// so one host binary runs everywhere.
#ifndef MOTE_ISA_ISA_H_
#define MOTE_ISA_ISA_H_

#include <cstdint>

namespace mote {

enum Isa : uint32_t {
  kIsaNone = 0,
  kIsaArmDsp = 1u << 0,  // Cortex-M4/M7/M33 DSP extension (SMLAD, SXTB16, SSAT, ...)
  kIsaArmMve = 1u << 1,  // Helium (M-profile vector extension, integer)
  kIsaSse41 = 1u << 2,   // x86 SSE4.1
  kIsaAvx2 = 1u << 3,    // x86 AVX2
};

// The extensions usable here: the build's Arm features, or the x86 CPU's.
uint32_t AvailableIsa();

}  // namespace mote

#endif  // MOTE_ISA_ISA_H_
