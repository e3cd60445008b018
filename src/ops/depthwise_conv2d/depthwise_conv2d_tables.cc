// The library's DEPTHWISE_CONV_2D variant lists: every variant this build
// has, optimized first, the reference last (see depthwise_conv2d_variants.h;
// a one-model application may define these two lists itself).
#include "ops/depthwise_conv2d/depthwise_conv2d_variants.h"

namespace mote {
namespace ops {
namespace {

using namespace variants;  // NOLINT(build/namespaces): the variant names

const DepthwiseS8Variant* const kS8[] = {
#if defined(__x86_64__) || defined(__i386__)
    &DepthwiseConv2D_s8_avx2_3x3,
    &DepthwiseConv2D_s8_avx2_generic,
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
    &DepthwiseConv2D_s8_mve_3x3,
    &DepthwiseConv2D_s8_mve_3x3_cin1,
    &DepthwiseConv2D_s8_mve_cin1,
#elif defined(__ARM_FEATURE_DSP)
    // (A Cortex-M55 has the DSP extension too, but its MVE variants take
    // every layer of the benchmark models: the DSP ones would only cost
    // about 24 KB of flash there. Shapes no MVE variant takes, e.g. a 3x3
    // depth multiplier 2, run the portable kernels on it.)
    &DepthwiseConv2D_s8_dsp_3x3,
    &DepthwiseConv2D_s8_dsp_cin1,
#endif
    &DepthwiseConv2D_s8_opt_3x3,
    &DepthwiseConv2D_s8_opt_generic,
    &DepthwiseConv2D_reference,
};
const DepthwiseF32Variant* const kF32[] = {&DepthwiseConv2D_f32_reference};

}  // namespace

const VariantList<DepthwiseS8Variant> kDepthwiseConv2DS8List{kS8, sizeof(kS8) / sizeof(kS8[0])};
const VariantList<DepthwiseF32Variant> kDepthwiseConv2DF32List{kF32,
                                                              sizeof(kF32) / sizeof(kF32[0])};

}  // namespace ops
}  // namespace mote
