#include "isa/isa.h"

namespace mote {

uint32_t AvailableIsa() {
  uint32_t isa = kIsaNone;
#if defined(__ARM_FEATURE_DSP)
  isa |= kIsaArmDsp;
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
  isa |= kIsaArmMve;
#endif
#if defined(__x86_64__) || defined(__i386__)
  static const uint32_t x86 = [] {
    uint32_t bits = 0;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.1")) bits |= kIsaSse41;
    if (__builtin_cpu_supports("avx2")) bits |= kIsaAvx2;
    return bits;
  }();
  isa |= x86;
#endif
  return isa;
}

}  // namespace mote
