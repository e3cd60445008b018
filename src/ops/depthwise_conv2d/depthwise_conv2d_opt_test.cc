// DEPTHWISE_CONV_2D int8 optimized kernels against the reference, byte for byte.
//
// - The DSP and MVE requantization forms (depthwise_conv2d_opt.h (3)),
//   emulated here in C++, against quant::MultiplyByQuantizedMultiplier on
//   edge and random accumulators inside the domain RequantOk admits.
// - Seeded random depthwise convolutions (tails: channel counts that are not
//   multiples of 4/8/16, 1-channel inputs, depth multipliers 1..8; zero
//   points -128/127; saturating multipliers; huge biases that make the int32
//   accumulator wrap; every fused activation; SAME/VALID, strides 1..3,
//   dilations) run with the optimized kernels and with the reference;
//   outputs must be identical. On the host this exercises the portable
//   variants (s8_opt_3x3, s8_opt_generic; the generic one is also run on
//   every 3x3 case). On the targets the DSP/MVE variants are checked by
//   replaying the same cases: MOTE_DW_DUMP_DIR=<dir> writes them
//   (case_N.tflite, case_N.in) for firmware/tests/check_dw_targets.py.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "mote/interpreter.h"
#include "mote/op_registry.h"
#include "ops/conv2d/conv_test_util.h"
#include "ops/depthwise_conv2d/depthwise_conv2d.h"
#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"
#include "ops/depthwise_conv2d/depthwise_conv2d_variants.h"
#include "quant/fixed_point.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {
namespace {

using namespace conv_test;  // the shared harness (conv_test_util.h)

// SMMULR: (a * b + 2^31) >> 32.
int32_t Smmulr(int32_t a, int32_t b) {
  return static_cast<int32_t>((static_cast<int64_t>(a) * b + (INT64_C(1) << 31)) >> 32);
}
// The DSP form (depthwise_conv2d_dsp.cc): e = -shift >= 1, within DspOk.
int32_t DspForm(int32_t acc, int32_t q, int32_t e, int32_t zp) {
  const int32_t t = Smmulr(acc * 2, q);
  const int32_t rc = static_cast<int32_t>((INT64_C(1) << (e - 1)) + zp * (INT64_C(1) << e));
  return (t + (t >> 31) + rc) >> e;
}
// RequantOk's extra condition for the DSP form.
bool DspOk(int32_t acc, int32_t e, int32_t zp) {
  const int64_t a = acc < 0 ? -static_cast<int64_t>(acc) : acc;
  const int64_t o = zp < 0 ? -zp : zp;
  return a + 1 + (INT64_C(1) << (e - 1)) + (o << e) < (INT64_C(1) << 31);
}
// MVE's VQRDMULH, VRSHL by -e (e >= 1).
int32_t Vqrdmulh(int32_t a, int32_t b) {
  const int64_t p = 2 * static_cast<int64_t>(a) * b + (INT64_C(1) << 31);
  const int64_t r = p >> 32;
  return r > std::numeric_limits<int32_t>::max() ? std::numeric_limits<int32_t>::max()
                                                 : static_cast<int32_t>(r);
}
int32_t VrshlRight(int32_t v, int32_t e) {
  return static_cast<int32_t>((static_cast<int64_t>(v) + (INT64_C(1) << (e - 1))) >> e);
}
// The MVE form (depthwise_conv2d_mve.cc).
int32_t MveForm(int32_t acc, int32_t q, int32_t e, int32_t zp) {
  const int32_t y = Vqrdmulh(acc, q);
  return VrshlRight(y + (y >> 31), e) + zp;
}

TEST(DepthwiseOptRequantTest, DspAndMveFormsMatchReference) {
  const int32_t kLim = (1 << 30) - 1;  // |acc| < 2^30 (RequantOk)
  std::vector<int32_t> accs = {-kLim, -kLim + 1, -(1 << 29), -65537, -65536, -32768, -257, -256,
                               -255, -129, -128, -127, -3, -2, -1, 0, 1, 2, 3, 127, 128, 255,
                               256, 32768, 65536, 1 << 29, kLim - 1, kLim};
  std::vector<int32_t> mults = {0, 1 << 30, (1 << 30) + 1, 1518500250,
                                std::numeric_limits<int32_t>::max() - 1,
                                std::numeric_limits<int32_t>::max()};
  std::mt19937 rng(4321);
  for (int i = 0; i < 64; ++i) accs.push_back(static_cast<int32_t>(rng()) >> 2);
  for (int i = 0; i < 16; ++i) mults.push_back(static_cast<int32_t>((1u << 30) + (rng() >> 2)));
  for (int e = 1; e <= 12; ++e) {  // ties of the second rounding
    for (int k = -5; k <= 5; ++k) accs.push_back(k * (1 << e) + (1 << (e - 1)) * 2);
  }
  for (int32_t zp : {-128, -1, 0, 5, 127}) {
    for (int32_t e = 1; e <= 31; ++e) {
      for (int32_t m : mults) {
        for (int32_t a : accs) {
          const int32_t ref = quant::MultiplyByQuantizedMultiplier(a, m, -e) + zp;
          if (DspOk(a, e, zp)) {
            ASSERT_EQ(DspForm(a, m, e, zp), ref) << "acc " << a << " mult " << m << " e " << e;
          }
          ASSERT_EQ(MveForm(a, m, e, zp), ref) << "acc " << a << " mult " << m << " e " << e;
        }
      }
    }
  }
  for (int i = 0; i < 2000000; ++i) {
    const int32_t a = static_cast<int32_t>(rng()) >> 2;
    const int32_t m = static_cast<int32_t>(rng() >> 1);
    const int32_t e = 1 + static_cast<int32_t>(rng() % 31);
    const int32_t zp = static_cast<int32_t>(rng() % 256) - 128;
    const int32_t ref = quant::MultiplyByQuantizedMultiplier(a, m, -e) + zp;
    if (DspOk(a, e, zp)) {
      ASSERT_EQ(DspForm(a, m, e, zp), ref) << "acc " << a << " mult " << m << " e " << e;
    }
    ASSERT_EQ(MveForm(a, m, e, zp), ref) << "acc " << a << " mult " << m << " e " << e;
  }
}

// Runs variant `v` on the prepared node with a scratch of its own size; the
// output.
std::vector<uint8_t> RunOnNode(Interpreter& interp, const std::vector<uint8_t>& in_bytes,
                               const DepthwiseS8Variant& v) {
  Tensor* tensors = const_cast<Tensor*>(&interp.tensor(0));
  Node node = interp.node(0);
  const dw_opt::Shape s = dw_opt::GetShape(node.input(tensors, 0), node.input(tensors, 1),
                                           node.output(tensors, 0));
  // Through EvalS8WithChannelQuant, as the interpreter runs it: the
  // channel multipliers head the scratch.
  DepthwiseConv2DParams p = *static_cast<const DepthwiseConv2DParams*>(node.params);
  p.kernel = v.eval;
  node.params = &p;
  const size_t bytes = ChannelQuantBytes(s.out_c) + v.info->scratch(p.window, s);
  std::vector<uint64_t> scratch(bytes / 8 + 1);
  node.scratch = reinterpret_cast<uint8_t*>(scratch.data());
  node.scratch_bytes = static_cast<int32_t>(bytes);
  Tensor* in = interp.input(0);
  const Tensor* out = interp.output(0);
  memset(out->data, 0x5a, static_cast<size_t>(out->bytes));
  memcpy(in->data, in_bytes.data(), in_bytes.size());
  EvalS8WithChannelQuant<DepthwiseConv2DParams>(node, tensors);
  return std::vector<uint8_t>(out->data, out->data + out->bytes);
}

// The s8_opt_3x3 cases also run s8_opt_generic on the same node (same
// params, bias_eff and scratch size: the ring of the same group) into
// extra_output. On an AVX2 host the 3x3 multiplier-1 cases choose
// s8_avx2_3x3: they run s8_opt_3x3 and s8_opt_generic (each with its own
// scratch); extra_output is the first that differs from s8_opt_3x3's, else
// s8_opt_3x3's. The s8_avx2_generic cases run s8_opt_generic (and
// s8_opt_3x3 on 3x3 undilated filters) the same way.
conv_test::Outcome RunDw(const std::vector<uint8_t>& model, const std::vector<uint8_t>& input,
                       KernelChoice kernels) {
  return RunModel(model, input, DepthwiseConv2D(), kernels,
                  [](Interpreter& interp, const std::vector<uint8_t>& in_bytes,
                     conv_test::Outcome* r) {
                    if (r->variant == "s8_avx2_generic") {
                      r->extra_output = RunOnNode(interp, in_bytes, variants::DepthwiseConv2D_s8_opt_generic);
                      const Tensor& f = interp.node(0).input(&interp.tensor(0), 1);
                      const auto& p = *static_cast<const DepthwiseConv2DParams*>(
                          interp.node(0).params);
                      if (f.dims[1] == 3 && f.dims[2] == 3 && p.window.dilation_h == 1 &&
                          p.window.dilation_w == 1) {
                        std::vector<uint8_t> o =
                            RunOnNode(interp, in_bytes, variants::DepthwiseConv2D_s8_opt_3x3);
                        if (o != r->extra_output) r->extra_output = o;
                      }
                      return;
                    }
                    if (r->variant == "s8_avx2_3x3") {
                      r->extra_output = RunOnNode(interp, in_bytes, variants::DepthwiseConv2D_s8_opt_3x3);
                      std::vector<uint8_t> g =
                          RunOnNode(interp, in_bytes, variants::DepthwiseConv2D_s8_opt_generic);
                      if (g != r->extra_output) r->extra_output = g;
                      return;
                    }
                    if (r->variant != "s8_opt_3x3") return;
                    r->extra_output = RunOnNode(interp, in_bytes, variants::DepthwiseConv2D_s8_opt_generic);
                  });
}

// One random case; false when its shape is empty. `kind` 0: 3x3 depth
// multiplier 1; 1: 3x3 one input channel, multiplier 4/8/12; 2: anything;
// 3: one input channel, multiplier 4/8, filters up to 10x16.
bool RandomCase(std::mt19937& rng, int kind, ConvCase* c, std::vector<uint8_t>* input) {
  CaseRng r{rng};
  const int32_t batches = rng() % 6 == 0 ? 2 : 1;
  const int32_t in_h = r.uniform(1, kind == 3 ? 20 : 12);
  const int32_t in_w = r.uniform(1, kind == 3 ? 20 : 12);
  int32_t in_c = r.pick({1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 24, 31, 32, 33, 48, 64, 67});
  int32_t dm = 1;
  int32_t kh = 3, kw = 3, sh = r.uniform(1, 2), sw = sh, dh = 1, dw = 1;
  if (rng() % 5 == 0) sw = r.uniform(1, 3);
  if (kind == 1) {
    in_c = 1;
    dm = r.pick({4, 8, 8, 12});
  } else if (kind == 2) {
    dm = r.pick({1, 1, 2, 3, 4, 8});
    if (dm > 1) in_c = r.pick({1, 1, 2, 3, 5, 8});
    kh = r.uniform(1, 5);
    kw = r.uniform(1, 12);
    sh = r.uniform(1, 3);
    sw = r.uniform(1, 3);
    if (rng() % 4 == 0) {
      dh = r.uniform(1, 2);
      dw = r.uniform(1, 2);
    }
  } else if (kind == 3) {
    // micro_speech's layer in miniature: one channel, a tall wide filter.
    in_c = 1;
    dm = r.pick({4, 8});
    kh = r.uniform(1, 10);
    kw = r.uniform(1, 16);
    sh = r.uniform(1, 2);
    sw = r.uniform(1, 2);
    if (rng() % 4 == 0) dh = 2;
  }
  const int32_t out_c = in_c * dm;
  const bool same = rng() % 3 != 0;
  const int32_t out_h = OutSize(same, in_h, kh, sh, dh);
  const int32_t out_w = OutSize(same, in_w, kw, sw, dw);
  if (out_h <= 0 || out_w <= 0) return false;

  c->depthwise = true;
  c->in_shape = {batches, in_h, in_w, in_c};
  c->filter_shape = {1, kh, kw, out_c};
  c->out_shape = {batches, out_h, out_w, out_c};
  RandomWindowAndQuant(r, same, sh, sw, dh, dw, c);
  RandomDepthwiseScales(r, out_c, c);
  c->filter.resize(static_cast<size_t>(out_c) * kh * kw);
  const int wmode = static_cast<int>(rng() % 6);
  for (auto& v : c->filter) {
    v = static_cast<int8_t>(wmode == 0   ? r.pick({-128, 127, -127})
                            : wmode == 1 ? r.pick({127, -127})
                                         : r.uniform(-127, 127));
  }
  if (wmode == 2) c->filter[rng() % c->filter.size()] = -128;
  c->has_bias = rng() % 5 != 0;
  if (c->has_bias) {
    c->bias.resize(static_cast<size_t>(out_c));
    const int bmode = static_cast<int>(rng() % 6);
    for (auto& b : c->bias) {
      b = bmode == 0   ? static_cast<int32_t>(rng())  // anything: the accumulator may wrap
          : bmode == 1 ? r.uniform(-(1 << 29), 1 << 29)  // large, still within the bounds
                       : r.uniform(-20000, 20000);
    }
  }
  RandomInput(r, static_cast<size_t>(batches) * in_h * in_w * in_c, input);
  return true;
}

TEST(DepthwiseOptTest, RandomCasesMatchReference) {
  RandomRun run;
  CompareRandomCases(
      20240612, 2000, "MOTE_DW_DUMP_DIR",
      [](std::mt19937& rng, int i, ConvCase* c, std::vector<uint8_t>* input) {
        return RandomCase(rng, i % 4, c, input);
      },
      RunDw, &run);
  if (HasFatalFailure()) return;
  EXPECT_GT(run.cases, 1600);
  const int avx2 = run.chosen["s8_avx2_3x3"] + run.chosen["s8_avx2_generic"];
  if (avx2 == 0) {
    EXPECT_GT(run.chosen["s8_opt_3x3"], 600);
    EXPECT_GT(run.chosen["s8_opt_generic"], 300);
    EXPECT_GT(run.extra, 600);  // s8_opt_generic on the 3x3 cases
  } else {
    // An AVX2 host: the portable variants ran on the AVX2 cases' nodes.
    EXPECT_GT(avx2, 1200);
    EXPECT_EQ(run.extra, avx2 + run.chosen["s8_opt_3x3"]);
  }
}

TEST(DepthwiseOptTest, ReferenceCostsNothingExtra) {
  // --kernels reference requests only the per-invoke channel multipliers
  // and shifts (8 channels x 2 arrays x 4 bytes = 64); the optimized kernels
  // keep nothing in the persistent arena either (bias_eff is recomputed into
  // scratch).
  ConvCase c;
  c.depthwise = true;
  c.in_shape = {1, 6, 6, 8};
  c.filter_shape = {1, 3, 3, 8};
  c.out_shape = {1, 4, 4, 8};
  c.filter.assign(72, 1);
  c.filter_scales.assign(8, 0.5f);
  const Footprint ref = PrepareOnly(c, DepthwiseConv2D(), KernelChoice::kReference);
  const Footprint opt = PrepareOnly(c, DepthwiseConv2D(), KernelChoice::kOptimized);
  ASSERT_TRUE(ref.ok && opt.ok);
  EXPECT_EQ(ref.scratch_bytes, 64);
  EXPECT_EQ(ref.variant, "reference");
  EXPECT_GT(opt.scratch_bytes, 64);
  EXPECT_EQ(opt.persistent, ref.persistent);
}

}  // namespace
}  // namespace ops
}  // namespace mote
