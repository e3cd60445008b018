// DEPTHWISE_CONV_2D int8 x86 AVX2 kernel (depthwise_conv2d_x86.cc) against
// the reference, byte for byte. Skipped when the CPU lacks AVX2.
//
// Seeded random 3x3 depth-multiplier-1 depthwise convolutions (channel counts
// below, at and between multiples of 16; strides 1..4 independently in h and
// w; SAME / VALID; widths that make the ring long; zero points -128/127;
// per-channel scales from tiny to >= 1 (left shifts); weights -128/127;
// biases that make the int32 accumulator wrap; every fused activation) run
// with the optimized kernels (which must choose s8_avx2_3x3) and with the
// reference: outputs identical. Other shapes (filters 1..4 x 1..12,
// dilations, multipliers up to 8, one input channel) go to s8_avx2_generic.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "mote/interpreter.h"
#include "mote/op_registry.h"
#include "ops/conv2d/conv_test_util.h"
#include "ops/depthwise_conv2d/depthwise_conv2d.h"
#include "ops/depthwise_conv2d/depthwise_conv2d_opt.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {
namespace {

using namespace conv_test;  // the shared harness (conv_test_util.h)

bool HaveAvx2() { return (AvailableIsa() & kIsaAvx2) != 0; }

// kind 0..2: 3x3 multiplier 1 (small, wide, many channels); 3: anything.
bool RandomCase(std::mt19937& rng, int kind, ConvCase* c, std::vector<uint8_t>* input) {
  CaseRng r{rng};
  const int32_t batches = rng() % 6 == 0 ? 2 : 1;
  int32_t in_h = r.uniform(1, 12);
  int32_t in_w = r.uniform(1, 12);
  int32_t in_c = r.pick({1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 24, 31, 32, 33, 48, 64, 67});
  if (kind == 1) in_w = r.uniform(20, 120);
  if (kind == 2) in_c = r.pick({96, 127, 128, 129, 256});
  int32_t dm = 1;
  int32_t kh = 3, kw = 3, sh = r.uniform(1, 2), sw = sh, dh = 1, dw = 1;
  if (rng() % 4 == 0) {
    sh = r.uniform(1, 4);
    sw = r.uniform(1, 4);
  }
  if (kind == 3) {
    dm = r.pick({1, 1, 2, 3, 4, 8});
    if (dm > 1) in_c = r.pick({1, 1, 2, 3, 5, 8, 17});
    kh = r.uniform(1, 4);
    kw = r.uniform(1, 12);
    if (rng() % 4 == 0) {
      dh = r.uniform(1, 2);
      dw = r.uniform(1, 2);
    }
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
                            : wmode == 1 ? r.pick({-128, -128, 127})
                                         : r.uniform(-128, 127));
  }
  c->has_bias = rng() % 5 != 0;
  if (c->has_bias) {
    c->bias.resize(static_cast<size_t>(out_c));
    const int bmode = static_cast<int>(rng() % 6);
    for (auto& b : c->bias) {
      b = bmode == 0   ? static_cast<int32_t>(rng())  // anything: the accumulator may wrap
          : bmode == 1 ? r.pick({1 << 30, -(1 << 30), 2147483647, -2147483647 - 1, 0})
                       : r.uniform(-20000, 20000);
    }
  }
  RandomInput(r, static_cast<size_t>(batches) * in_h * in_w * in_c, input);
  return true;
}

TEST(DepthwiseX86Test, RandomCasesMatchReference) {
  if (!HaveAvx2()) GTEST_SKIP() << "CPU lacks AVX2";
  RandomRun run;
  CompareRandomCases(
      20261127, 4000, "MOTE_DW_X86_DUMP_DIR",
      [](std::mt19937& rng, int i, ConvCase* c, std::vector<uint8_t>* input) {
        return RandomCase(rng, i % 4, c, input);
      },
      [](const std::vector<uint8_t>& model, const std::vector<uint8_t>& input, KernelChoice k) {
        return RunModel(model, input, DepthwiseConv2D(), k,
                        [](Interpreter&, const std::vector<uint8_t>&, conv_test::Outcome*) {});
      },
      &run);
  if (HasFatalFailure()) return;
  EXPECT_GT(run.cases, 3200);
  EXPECT_GT(run.chosen["s8_avx2_3x3"], 2500);
  EXPECT_GT(run.chosen["s8_avx2_generic"], 700);
}

TEST(DepthwiseX86Test, ModelShapesMatchReference) {
  // person_detect / vww / kws-sized layers.
  if (!HaveAvx2()) GTEST_SKIP() << "CPU lacks AVX2";
  struct Layer {
    int32_t h, w, c, stride;
    bool same;
  };
  const Layer layers[] = {{48, 48, 8, 1, true},  {48, 48, 16, 2, true}, {24, 24, 32, 1, true},
                          {12, 12, 64, 2, true}, {6, 6, 128, 1, true},  {3, 3, 256, 1, true},
                          {25, 5, 64, 1, true},  {49, 49, 24, 2, false}};
  std::mt19937 rng(99);
  int n = 0;
  for (const Layer& l : layers) {
    CaseRng r{rng};
    ConvCase c;
    c.depthwise = true;
    c.in_shape = {1, l.h, l.w, l.c};
    c.filter_shape = {1, 3, 3, l.c};
    c.out_shape = {1, OutSize(l.same, l.h, 3, l.stride, 1), OutSize(l.same, l.w, 3, l.stride, 1),
                   l.c};
    RandomWindowAndQuant(r, l.same, l.stride, l.stride, 1, 1, &c);
    c.filter_scales.clear();
    for (int32_t i = 0; i < l.c; ++i) c.filter_scales.push_back(0.01f * r.log_uniform(0.5f, 2.0f));
    c.out_scale = c.in_scale * 0.01f / r.log_uniform(1.0f / 4096, 0.25f);
    c.filter.resize(static_cast<size_t>(l.c) * 9);
    for (auto& v : c.filter) v = static_cast<int8_t>(r.uniform(-127, 127));
    c.has_bias = true;
    c.bias.resize(static_cast<size_t>(l.c));
    for (auto& b : c.bias) b = r.uniform(-20000, 20000);
    std::vector<uint8_t> input;
    RandomInput(r, static_cast<size_t>(l.h) * l.w * l.c, &input);
    const std::vector<uint8_t> model = c.Build();
    auto none = [](Interpreter&, const std::vector<uint8_t>&, conv_test::Outcome*) {};
    const Outcome ref = RunModel(model, input, DepthwiseConv2D(), KernelChoice::kReference, none);
    const Outcome opt = RunModel(model, input, DepthwiseConv2D(), KernelChoice::kOptimized, none);
    ASSERT_TRUE(ref.status.ok() && opt.status.ok()) << ref.status.message();
    EXPECT_EQ(opt.variant, "s8_avx2_3x3");
    ASSERT_EQ(opt.output, ref.output) << "layer " << n;
    ++n;
  }
}

}  // namespace
}  // namespace ops
}  // namespace mote
