// DEPTHWISE_CONV_2D kernel variants (see ops/variant.h): one object per
// variant (depthwise_conv2d_variants.cc) and the lists prepare chooses from
// (depthwise_conv2d_tables.cc: every variant this build has, optimized first,
// the reference last). A one-model application may define the two lists
// itself with only the variants its model uses; the linker then drops the
// others (firmware/app/app_link.py).
#ifndef MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_VARIANTS_H_
#define MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_VARIANTS_H_

#include "ops/depthwise_conv2d/depthwise_conv2d.h"
#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"
#include "ops/variant.h"

namespace mote {
namespace ops {

using DepthwiseS8Variant = KernelVariant<DepthwiseConv2DParams, dw_opt::VariantInfo>;
using DepthwiseF32Variant = KernelVariant<DepthwiseConv2DParams>;

extern const VariantList<DepthwiseS8Variant> kDepthwiseConv2DS8List;
extern const VariantList<DepthwiseF32Variant> kDepthwiseConv2DF32List;

// The variants, named DepthwiseConv2D_<name> after their names.
namespace variants {
#if defined(__x86_64__) || defined(__i386__)
extern const DepthwiseS8Variant DepthwiseConv2D_s8_avx2_3x3;
extern const DepthwiseS8Variant DepthwiseConv2D_s8_avx2_generic;
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
extern const DepthwiseS8Variant DepthwiseConv2D_s8_mve_3x3;
extern const DepthwiseS8Variant DepthwiseConv2D_s8_mve_3x3_cin1;
extern const DepthwiseS8Variant DepthwiseConv2D_s8_mve_cin1;
#elif defined(__ARM_FEATURE_DSP)
extern const DepthwiseS8Variant DepthwiseConv2D_s8_dsp_3x3;
extern const DepthwiseS8Variant DepthwiseConv2D_s8_dsp_cin1;
#endif
extern const DepthwiseS8Variant DepthwiseConv2D_s8_opt_3x3;
extern const DepthwiseS8Variant DepthwiseConv2D_s8_opt_generic;
extern const DepthwiseS8Variant DepthwiseConv2D_reference;
extern const DepthwiseF32Variant DepthwiseConv2D_f32_reference;
}  // namespace variants

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_DEPTHWISE_CONV2D_DEPTHWISE_CONV2D_VARIANTS_H_
