// CONV_2D int8 x86 AVX2 kernels (conv2d_x86.cc) against the reference, byte
// for byte. Skipped when the CPU lacks AVX2.
//
// - The vector requantization (requant_x86.h) against
//   quant::MultiplyByQuantizedMultiplier + output offset + clamp, on edge and
//   random accumulators, multipliers, shifts in [-31, 31] and offsets.
// - Seeded random convolutions (depths around multiples of 16 and far beyond,
//   channel counts that are not multiples of 4, odd pixel counts, every
//   stride / padding / dilation, zero points -128/127, per-channel scales from
//   dead to >= 1, biases that make the int32 accumulator wrap, every fused
//   activation) run with the optimized kernels (which must choose
//   s8_avx2_1x1 / s8_avx2_generic) and with the reference: outputs identical.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "mote/interpreter.h"
#include "mote/op_registry.h"
#include "ops/conv2d/conv2d.h"
#include "ops/conv2d/conv2d_opt.h"
#include "ops/conv2d/conv_test_util.h"
#include "quant/fixed_point.h"
#include "runtime/kernel_api.h"

#if defined(__x86_64__) || defined(__i386__)
#include "ops/conv2d/requant_x86.h"
#endif

namespace mote {
namespace ops {
namespace {

using namespace conv_test;  // the shared harness (conv_test_util.h)

#if defined(__x86_64__) || defined(__i386__)

bool HaveAvx2() { return (AvailableIsa() & kIsaAvx2) != 0; }

// Requantizes 8 lanes with the AVX2 form.
MOTE_AVX2 void Requant8Lanes(const int32_t* acc, const int32_t* mult, const int32_t* shift,
                             int32_t out_offset, int32_t lo, int32_t hi, int32_t* r) {
  const x86::Requant8 k = x86::MakeRequant8(
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mult)),
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(shift)));
  const __m256i y = x86::Requantize8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc)), k,
                                     _mm256_set1_epi32(out_offset), _mm256_set1_epi32(lo),
                                     _mm256_set1_epi32(hi));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(r), y);
}

int32_t RefRequant(int32_t acc, int32_t m, int32_t shift, int32_t off, int32_t lo, int32_t hi) {
  return quant::Clamp(WrappingAdd(quant::MultiplyByQuantizedMultiplier(acc, m, shift), off), lo,
                      hi);
}

TEST(RequantX86Test, MatchesReferenceOnEdgesAndRandom) {
  if (!HaveAvx2()) GTEST_SKIP() << "CPU lacks AVX2";
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  const int32_t kMax = std::numeric_limits<int32_t>::max();
  std::vector<int32_t> accs = {kMin, kMin + 1, kMin + 2, -(1 << 30) - 1, -(1 << 30),
                               -(1 << 30) + 1, -65537, -65536, -32768, -257, -256, -255, -129,
                               -128, -127, -3, -2, -1, 0, 1, 2, 3, 127, 128, 255, 256, 32768,
                               65536, (1 << 30) - 1, 1 << 30, kMax - 1, kMax};
  std::vector<int32_t> mults = {0, 1, 1 << 30, (1 << 30) + 1, 1518500250, kMax - 1, kMax};
  std::mt19937 rng(4321);
  for (int i = 0; i < 64; ++i) accs.push_back(static_cast<int32_t>(rng()));
  for (int i = 0; i < 16; ++i) mults.push_back(static_cast<int32_t>((1u << 30) + (rng() >> 2)));
  for (int e = 1; e <= 12; ++e) {
    for (int k = -5; k <= 5; ++k) accs.push_back(k * (1 << e) + (1 << (e - 1)) * 2);
  }
  while (accs.size() % 8 != 0) accs.push_back(static_cast<int32_t>(rng()));
  const int32_t offsets[] = {-128, -1, 0, 5, 127};
  int64_t checked = 0;
  for (int32_t off : offsets) {
    for (int range = 0; range < 2; ++range) {
      const int32_t lo = range == 0 ? -128 : kMin;
      const int32_t hi = range == 0 ? 127 : kMax;
      for (int32_t shift = -31; shift <= 31; ++shift) {
        for (int32_t m : mults) {
          const int32_t mv[8] = {m, m, m, m, m, m, m, m};
          const int32_t sv[8] = {shift, shift, shift, shift, shift, shift, shift, shift};
          for (size_t i = 0; i < accs.size(); i += 8) {
            int32_t r[8];
            Requant8Lanes(&accs[i], mv, sv, off, lo, hi, r);
            for (int j = 0; j < 8; ++j) {
              ASSERT_EQ(r[j], RefRequant(accs[i + j], m, shift, off, lo, hi))
                  << "acc " << accs[i + j] << " mult " << m << " shift " << shift << " offset "
                  << off;
              ++checked;
            }
          }
        }
      }
    }
  }
  // Random lanes, each with its own multiplier and shift.
  for (int i = 0; i < 500000; ++i) {
    int32_t acc[8], mv[8], sv[8], r[8];
    for (int j = 0; j < 8; ++j) {
      acc[j] = static_cast<int32_t>(rng());
      if (rng() % 4 == 0) acc[j] >>= rng() % 31;
      mv[j] = rng() % 8 == 0 ? 0 : static_cast<int32_t>((1u << 30) + (rng() >> 2));
      sv[j] = rng() % 4 == 0 ? static_cast<int32_t>(rng() % 63) - 31
                             : -static_cast<int32_t>(rng() % 16);
    }
    const int32_t off = static_cast<int32_t>(rng() % 256) - 128;
    Requant8Lanes(acc, mv, sv, off, kMin, kMax, r);
    for (int j = 0; j < 8; ++j) {
      ASSERT_EQ(r[j], RefRequant(acc[j], mv[j], sv[j], off, kMin, kMax))
          << "acc " << acc[j] << " mult " << mv[j] << " shift " << sv[j];
      ++checked;
    }
  }
  EXPECT_GT(checked, 4000000);
}

// One random case; false when its shape is empty.
bool RandomCase(std::mt19937& rng, bool pointwise, ConvCase* c, std::vector<uint8_t>* input) {
  CaseRng r{rng};
  const int32_t batches = r.uniform(1, 2);
  const int32_t in_h = r.uniform(1, 10);
  const int32_t in_w = r.uniform(1, 10);
  const int32_t in_c = r.pick({1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 64, 65,
                               96, 127, 128, 129, 200, 256});
  const int32_t out_c = r.pick({1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 31, 32, 33, 64, 67});
  int32_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  bool same = rng() % 2 == 0;
  if (!pointwise) {
    kh = r.uniform(1, 5);
    kw = r.uniform(1, 5);
    sh = r.uniform(1, 3);
    sw = r.uniform(1, 3);
    if (rng() % 4 == 0) {
      dh = r.uniform(1, 2);
      dw = r.uniform(1, 2);
    }
  }
  const int32_t out_h = OutSize(same, in_h, kh, sh, dh);
  const int32_t out_w = OutSize(same, in_w, kw, sw, dw);
  if (out_h <= 0 || out_w <= 0) return false;
  if (static_cast<int64_t>(kh) * kw * in_c > conv_opt::kMaxDepth) return false;

  c->in_shape = {batches, in_h, in_w, in_c};
  c->filter_shape = {out_c, kh, kw, in_c};
  c->out_shape = {batches, out_h, out_w, out_c};
  RandomWindowAndQuant(r, same, sh, sw, dh, dw, c);
  RandomConvQuantAndData(r, out_c, kh * kw * in_c, c);
  RandomInput(r, static_cast<size_t>(batches) * in_h * in_w * in_c, input);
  return true;
}

TEST(Conv2DX86Test, RandomCasesMatchReference) {
  if (!HaveAvx2()) GTEST_SKIP() << "CPU lacks AVX2";
  RandomRun run;
  CompareRandomCases(
      20261126, 4000, "MOTE_CONV_X86_DUMP_DIR",
      [](std::mt19937& rng, int i, ConvCase* c, std::vector<uint8_t>* input) {
        return RandomCase(rng, i % 2 == 0, c, input);
      },
      [](const std::vector<uint8_t>& model, const std::vector<uint8_t>& input, KernelChoice k) {
        return RunModel(model, input, Conv2D(), k,
                        [](Interpreter&, const std::vector<uint8_t>&, conv_test::Outcome*) {});
      },
      &run);
  if (HasFatalFailure()) return;
  EXPECT_GT(run.cases, 3000);
  EXPECT_GT(run.chosen["s8_avx2_1x1"], 1500);
  EXPECT_GT(run.chosen["s8_avx2_generic"], 1200);
}

TEST(Conv2DX86Test, LargeShapesMatchReference) {
  // Model-sized layers (person_detect / vww / kws shapes), fewer of them.
  if (!HaveAvx2()) GTEST_SKIP() << "CPU lacks AVX2";
  struct Layer {
    int32_t h, w, in_c, out_c, k, stride;
    bool same;
  };
  const Layer layers[] = {{48, 48, 8, 16, 1, 1, false},  {24, 24, 64, 64, 1, 1, false},
                          {6, 6, 256, 256, 1, 1, false}, {96, 96, 3, 8, 3, 2, true},
                          {49, 10, 1, 64, 10, 2, true},  {96, 96, 1, 8, 3, 2, true},
                          {13, 13, 129, 33, 3, 1, true}};
  std::mt19937 rng(77);
  int n = 0;
  for (const Layer& l : layers) {
    CaseRng r{rng};
    ConvCase c;
    c.in_shape = {1, l.h, l.w, l.in_c};
    c.filter_shape = {l.out_c, l.k, l.k, l.in_c};
    const int32_t oh = OutSize(l.same, l.h, l.k, l.stride, 1);
    const int32_t ow = OutSize(l.same, l.w, l.k, l.stride, 1);
    c.out_shape = {1, oh, ow, l.out_c};
    RandomWindowAndQuant(r, l.same, l.stride, l.stride, 1, 1, &c);
    c.filter_scales.clear();
    for (int32_t i = 0; i < l.out_c; ++i) {
      c.filter_scales.push_back(0.01f * r.log_uniform(0.5f, 2.0f));
    }
    c.out_scale = c.in_scale * 0.01f / r.log_uniform(1.0f / 4096, 0.125f);
    c.filter.resize(static_cast<size_t>(l.out_c) * l.k * l.k * l.in_c);
    for (auto& v : c.filter) v = static_cast<int8_t>(r.uniform(-128, 127));
    c.has_bias = true;
    c.bias.resize(static_cast<size_t>(l.out_c));
    for (auto& b : c.bias) b = r.uniform(-20000, 20000);
    std::vector<uint8_t> input;
    RandomInput(r, static_cast<size_t>(l.h) * l.w * l.in_c, &input);
    const std::vector<uint8_t> model = c.Build();
    auto none = [](Interpreter&, const std::vector<uint8_t>&, conv_test::Outcome*) {};
    const Outcome ref = RunModel(model, input, Conv2D(), KernelChoice::kReference, none);
    const Outcome opt = RunModel(model, input, Conv2D(), KernelChoice::kOptimized, none);
    ASSERT_TRUE(ref.status.ok() && opt.status.ok()) << ref.status.message();
    EXPECT_EQ(opt.variant, l.k == 1 ? "s8_avx2_1x1" : "s8_avx2_generic");
    ASSERT_EQ(opt.output, ref.output) << "layer " << n;
    ++n;
  }
}

#endif  // x86

}  // namespace
}  // namespace ops
}  // namespace mote
