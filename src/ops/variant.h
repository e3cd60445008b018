// mote: kernel variants. Each op lists its kernels in a table, optimized
// variants first and the reference last; prepare walks the table once and
// the node keeps the first variant whose ISA is available and whose
// predicate accepts the prepared parameters. `--kernels reference`
// (KernelChoice::kReference) selects the last entry in the same binary.
// Tests and benchmarks run through the same tables, so a variant is tested
// the day it is added. DEPTHWISE_CONV_2D holds its variants in
// VariantLists (below), which a one-model application can narrow to the
// variants its model uses.
#ifndef MOTE_OPS_VARIANT_H_
#define MOTE_OPS_VARIANT_H_

#include <cstddef>
#include <cstdint>

#include "isa/isa.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {

// `Info`: what else prepare needs to know of a variant (its scratch, its
// streaming overlap), op-specific; void for ops that need nothing.
template <typename Params, typename Info = void>
struct KernelVariant {
  const char* name;                                      // e.g. "s8_dsp_1x1"
  uint32_t isa;                                          // Isa bits it needs
  bool (*applies)(const Params& p, PrepareContext& ctx);  // null: always
  EvalFn eval;
  const Info* info = nullptr;
};

// True when `v` can run here on `p`.
template <typename Params, typename Info>
bool VariantApplies(const KernelVariant<Params, Info>& v, const Params& p, PrepareContext& ctx) {
  return (v.isa & ~AvailableIsa()) == 0 && (v.applies == nullptr || v.applies(p, ctx));
}

// A variant table held as a list of pointers to variants defined elsewhere
// (DEPTHWISE_CONV_2D so far): the library's lists hold every variant
// (depthwise_conv2d_tables.cc); a one-model application
// may define the same symbols with only the variants its model uses
// (firmware/app/app_link.py), so that the linker drops the others. The
// reference, when listed, is last. An empty list (count 0) means no kernel
// of that kind is linked in.
template <typename V>
struct VariantList {
  const V* const* items;
  size_t count;
};

// The variant prepare installs from a list: as ChooseVariant; null when the
// list is empty.
template <typename V, typename Params>
const V* ChooseFromList(const VariantList<V>& list, PrepareContext& ctx, const Params& p) {
  if (list.count == 0) return nullptr;
  if (!ctx.reference_only()) {
    for (size_t i = 0; i + 1 < list.count; ++i) {
      if (VariantApplies(*list.items[i], p, ctx)) return list.items[i];
    }
  }
  return list.items[list.count - 1];
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
