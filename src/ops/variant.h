// mote: kernel variants. Each op lists its kernels in a table, optimized
// variants first and the reference last; prepare walks the table once and
// the node keeps the first variant whose ISA is available and whose
// predicate accepts the prepared parameters. `--kernels reference`
// (KernelChoice::kReference) selects the last entry in the same binary.
// Tests and benchmarks walk the same tables (see AllVariants), so a variant
// is tested the day it is added.
#ifndef MOTE_OPS_VARIANT_H_
#define MOTE_OPS_VARIANT_H_

#include <cstddef>
#include <cstdint>

#include "isa/isa.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

template <typename Params>
struct KernelVariant {
  const char* name;                                      // e.g. "s8_dsp_1x1"
  uint32_t isa;                                          // Isa bits it needs
  bool (*applies)(const Params& p, PrepareContext& ctx);  // null: always
  EvalFn eval;
};

// True when `v` can run here on `p`.
template <typename Params>
bool VariantApplies(const KernelVariant<Params>& v, const Params& p, PrepareContext& ctx) {
  return (v.isa & ~AvailableIsa()) == 0 && (v.applies == nullptr || v.applies(p, ctx));
}

// The variant prepare installs; the table's last entry is the reference.
template <typename Params, size_t N>
const KernelVariant<Params>& ChooseVariant(const KernelVariant<Params> (&table)[N],
                                           PrepareContext& ctx, const Params& p) {
  static_assert(N >= 1, "a variant table holds at least the reference");
  if (!ctx.reference_only()) {
    for (size_t i = 0; i + 1 < N; ++i) {
      if (VariantApplies(table[i], p, ctx)) return table[i];
    }
  }
  return table[N - 1];
}

// Installs the chosen variant on the node.
template <typename Params, size_t N>
void SetKernelFromTable(const KernelVariant<Params> (&table)[N], PrepareContext& ctx,
                        const Params* p) {
  const KernelVariant<Params>& v = ChooseVariant(table, ctx, *p);
  ctx.SetKernel(v.eval, p, v.name);
}

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_VARIANT_H_
