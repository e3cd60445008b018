// DEPTHWISE_CONV_2D kernel variants, one object each (see
// depthwise_conv2d_variants.h): name, ISA, predicate, kernel, and what
// prepare needs besides (scratch bytes, streaming overlap). The int8
// kernels are described in depthwise_conv2d_opt.h and their own files.
#include "ops/depthwise_conv2d/depthwise_conv2d_variants.h"

namespace mote {
namespace ops {
namespace variants {
namespace {

using dw_opt::Shape;
using dw_opt::Stream;
using dw_opt::VariantInfo;

// (Not every build lists a variant of each kind.)
[[maybe_unused]] Stream Raster(const ConvWindow&, const Shape&) { return Stream::kRaster; }
[[maybe_unused]] Stream RingRows(const ConvWindow&, const Shape&) { return Stream::kRingRows; }
[[maybe_unused]] Stream RowsFirst(const ConvWindow&, const Shape&) { return Stream::kRowsFirst; }
[[maybe_unused]] Stream NoStream(const ConvWindow&, const Shape&) { return Stream::kNone; }

// The reference needs no scratch (bias_eff is for the optimized kernels).
const VariantInfo kReferenceInfo{nullptr, Raster};

size_t OptScratch(const ConvWindow& w, const Shape& s) {
  return dw_opt::BiasEffBytes(s.out_c) +
         dw_opt::RingBytes(w, s.filter_h, s.filter_w, dw_opt::OptGroup(s.in_c));
}
const VariantInfo kOptInfo{OptScratch, RingRows};

#if defined(__x86_64__) || defined(__i386__)
// The AVX2 kernels keep no bias_eff.
const VariantInfo kAvx23x3Info{dw_opt::ScratchAvx23x3, NoStream};
const VariantInfo kAvx2GenericInfo{dw_opt::ScratchAvx2Generic, NoStream};
#endif

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
size_t Mve3x3Scratch(const ConvWindow& w, const Shape& s) {
  return dw_opt::BiasEffBytes(s.out_c) + dw_opt::ScratchMve3x3(w, s.in_c);
}
size_t Mve3x3Cin1Scratch(const ConvWindow& w, const Shape& s) {
  return dw_opt::BiasEffBytes(s.out_c) + dw_opt::ScratchMve3x3Cin1(w);
}
size_t MveCin1Scratch(const ConvWindow& w, const Shape& s) {
  return dw_opt::BiasEffBytes(s.out_c) + dw_opt::ScratchMveCin1(w, s);
}
const VariantInfo kMve3x3Info{Mve3x3Scratch, RingRows};
const VariantInfo kMve3x3Cin1Info{Mve3x3Cin1Scratch, NoStream};
const VariantInfo kMveCin1Info{MveCin1Scratch, RowsFirst};
#elif defined(__ARM_FEATURE_DSP)
size_t Dsp3x3Scratch(const ConvWindow& w, const Shape& s) {
  return dw_opt::BiasEffBytes(s.out_c) + dw_opt::ScratchDsp3x3(w, s);
}
Stream Dsp3x3Stream(const ConvWindow& w, const Shape& s) {
  return dw_opt::Dsp3x3WalksRows(w, s) ? Stream::kRingRows : Stream::kRingColumns;
}
size_t DspCin1Scratch(const ConvWindow& w, const Shape& s) {
  return dw_opt::BiasEffBytes(s.out_c) + dw_opt::ScratchDspCin1(w, s);
}
const VariantInfo kDsp3x3Info{Dsp3x3Scratch, Dsp3x3Stream};
const VariantInfo kDspCin1Info{DspCin1Scratch, RowsFirst};
#endif

}  // namespace

#if defined(__x86_64__) || defined(__i386__)
const DepthwiseS8Variant DepthwiseConv2D_s8_avx2_3x3{"s8_avx2_3x3", kIsaAvx2, dw_opt::AppliesAvx23x3,
                                                     dw_opt::EvalS8Avx23x3, &kAvx23x3Info};
const DepthwiseS8Variant DepthwiseConv2D_s8_avx2_generic{
    "s8_avx2_generic", kIsaAvx2, dw_opt::AppliesAvx2Generic, dw_opt::EvalS8Avx2Generic,
    &kAvx2GenericInfo};
#endif
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
const DepthwiseS8Variant DepthwiseConv2D_s8_mve_3x3{"s8_mve_3x3", kIsaArmMve, dw_opt::AppliesMve3x3,
                                                    dw_opt::EvalS8Mve3x3, &kMve3x3Info};
const DepthwiseS8Variant DepthwiseConv2D_s8_mve_3x3_cin1{
    "s8_mve_3x3_cin1", kIsaArmMve, dw_opt::AppliesMve3x3Cin1, dw_opt::EvalS8Mve3x3Cin1,
    &kMve3x3Cin1Info};
const DepthwiseS8Variant DepthwiseConv2D_s8_mve_cin1{"s8_mve_cin1", kIsaArmMve,
                                                     dw_opt::AppliesMveCin1, dw_opt::EvalS8MveCin1,
                                                     &kMveCin1Info};
#elif defined(__ARM_FEATURE_DSP)
const DepthwiseS8Variant DepthwiseConv2D_s8_dsp_3x3{"s8_dsp_3x3", kIsaArmDsp, dw_opt::AppliesDsp3x3,
                                                    dw_opt::EvalS8Dsp3x3, &kDsp3x3Info};
const DepthwiseS8Variant DepthwiseConv2D_s8_dsp_cin1{"s8_dsp_cin1", kIsaArmDsp,
                                                     dw_opt::AppliesDspCin1, dw_opt::EvalS8DspCin1,
                                                     &kDspCin1Info};
#endif
const DepthwiseS8Variant DepthwiseConv2D_s8_opt_3x3{"s8_opt_3x3", kIsaNone, dw_opt::AppliesOpt3x3,
                                                    dw_opt::EvalS8Opt3x3, &kOptInfo};
const DepthwiseS8Variant DepthwiseConv2D_s8_opt_generic{
    "s8_opt_generic", kIsaNone, dw_opt::AppliesOptGeneric, dw_opt::EvalS8OptGeneric, &kOptInfo};
const DepthwiseS8Variant DepthwiseConv2D_reference{"reference", kIsaNone, nullptr,
                                                   EvalDepthwiseConv2DS8Reference, &kReferenceInfo};
const DepthwiseF32Variant DepthwiseConv2D_f32_reference{"reference", kIsaNone, nullptr,
                                                        EvalDepthwiseConv2DF32Reference};

}  // namespace variants
}  // namespace ops
}  // namespace mote
