// CONV_2D int8 optimized kernels against the reference, byte for byte.
//
// - RequantizeS8 (the one-rounding requantization every optimized variant
//   uses) against quant::MultiplyByQuantizedMultiplier on edge and random
//   accumulators, multipliers and shifts.
// - Seeded random convolutions (tails: channel counts that are not multiples
//   of 4/8/16, 1-channel inputs, odd pixel counts; zero points -128/127;
//   saturating multipliers; huge biases that make the int32 accumulator wrap;
//   every fused activation) run with the optimized kernels and with the
//   reference; outputs must be identical. On the host this exercises the
//   portable variants (s8_opt_1x1, s8_opt_generic); the test checks both
//   were chosen. On an AVX2 host the AVX2 variants (conv2d_x86.cc) are
//   chosen instead, and the portable one of the same kind is also run on
//   the prepared node (its own scratch) into extra_output.
// - MOTE_CONV_DUMP_DIR=<dir> also writes every random case there (case_N.tflite
//   and case_N.in) so that firmware/tests/check_conv_cases.py can replay them
//   on the emulated cores, where the DSP and MVE variants run.
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
#include "ops/conv2d/conv2d.h"
#include "ops/conv2d/conv2d_opt.h"
#include "ops/conv2d/conv_test_util.h"
#include "ops/streaming.h"
#include "quant/fixed_point.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace ops {
namespace {

using namespace conv_test;  // the shared harness (conv_test_util.h)

TEST(Conv2DOptRequantTest, MatchesReferenceOnEdgesAndRandom) {
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  const int32_t kMax = std::numeric_limits<int32_t>::max();
  std::vector<int32_t> accs = {kMin, kMin + 1, kMin + 2, -(1 << 30) - 1, -(1 << 30), -(1 << 30) + 1,
                               -65537, -65536, -32768, -257, -256, -255, -129, -128, -127,
                               -3, -2, -1, 0, 1, 2, 3, 127, 128, 255, 256, 32768, 65536,
                               (1 << 30) - 1, 1 << 30, kMax - 1, kMax};
  std::vector<int32_t> mults = {0, 1 << 30, (1 << 30) + 1, 1518500250, kMax - 1, kMax};
  std::mt19937 rng(1234);
  for (int i = 0; i < 64; ++i) accs.push_back(static_cast<int32_t>(rng()));
  for (int i = 0; i < 16; ++i) mults.push_back(static_cast<int32_t>((1u << 30) + (rng() >> 2)));
  // Ties of the second rounding: acc * 2^30 / 2^31 = acc / 2 exactly, so
  // odd accumulators with shift -1 and multiples of 2^(e-1) are ties.
  for (int e = 1; e <= 12; ++e) {
    for (int k = -5; k <= 5; ++k) accs.push_back(k * (1 << e) + (1 << (e - 1)) * 2);
  }
  ConvQuant q{};
  const int32_t offsets[] = {-128, -1, 0, 5, 127};
  for (int32_t off : offsets) {
    q.output_offset = off;
    q.act_min = -128;
    q.act_max = 127;
    for (int32_t shift = -31; shift <= 31; ++shift) {
      for (int32_t m : mults) {
        for (int32_t a : accs) {
          const int32_t ref = quant::Clamp(
              WrappingAdd(quant::MultiplyByQuantizedMultiplier(a, m, shift), off), -128, 127);
          ASSERT_EQ(conv_opt::RequantizeS8(a, m, shift, q), ref)
              << "acc " << a << " mult " << m << " shift " << shift << " offset " << off;
        }
      }
    }
  }
  // Random: the unclamped value (full int32 range of act limits) too.
  q.act_min = kMin;
  q.act_max = kMax;
  q.output_offset = 0;
  for (int i = 0; i < 2000000; ++i) {
    const int32_t a = static_cast<int32_t>(rng());
    const int32_t m = static_cast<int32_t>(rng() >> 1);
    const int32_t shift = -static_cast<int32_t>(rng() % 32);
    ASSERT_EQ(conv_opt::RequantizeS8(a, m, shift, q), quant::MultiplyByQuantizedMultiplier(a, m, shift))
        << "acc " << a << " mult " << m << " shift " << shift;
  }
}

// When the AVX2 variant was chosen, runs the portable variant of the same
// kind on the prepared node (with its own scratch) into extra_output.
void RunPortableToo(Interpreter& interp, const std::vector<uint8_t>& in_bytes,
                    conv_test::Outcome* r) {
  const bool pointwise = r->variant == "s8_avx2_1x1";
  if (!pointwise && r->variant != "s8_avx2_generic") return;
  Tensor* tensors = const_cast<Tensor*>(&interp.tensor(0));
  Node node = interp.node(0);
  const conv_opt::Shape s = conv_opt::GetShape(node.input(tensors, 0), node.input(tensors, 1),
                                               node.output(tensors, 0));
  // Through EvalS8WithChannelQuant, as the interpreter runs it: the
  // channel multipliers head the scratch.
  Conv2DParams p = *static_cast<const Conv2DParams*>(node.params);
  p.kernel = pointwise ? conv_opt::EvalS8Opt1x1 : conv_opt::EvalS8OptGeneric;
  node.params = &p;
  const size_t bytes = ChannelQuantBytes(s.out_c) + conv_opt::ScratchS8OptGeneric(s);
  std::vector<uint64_t> scratch(bytes / 8 + 1);
  node.scratch = reinterpret_cast<uint8_t*>(scratch.data());
  node.scratch_bytes = static_cast<int32_t>(bytes);
  // The portable kernel streams on its own terms (conv2d.cc S8BlockPixels:
  // pairs, the generic one reads a pair before writing it), which may need
  // a larger gap than the AVX2 plan's: its output at 0, its input at that
  // gap in a buffer of its own.
  const Tensor& out = *interp.output(0);
  const StreamingShape ss{s.batches, s.in_h, s.in_w, s.in_c, s.out_h, s.out_w, s.out_c,
                          p.window.stride_h, p.window.stride_w, p.window.pad_h, p.window.pad_w};
  const int32_t gap = StreamingGap(ss, 2, /*reads_first=*/!pointwise);
  ASSERT_GE(gap, 0);
  std::vector<uint8_t> buf(std::max<size_t>(static_cast<size_t>(gap) + in_bytes.size(),
                                            static_cast<size_t>(out.bytes)),
                           0x5a);
  memcpy(buf.data() + gap, in_bytes.data(), in_bytes.size());
  std::vector<Tensor> local(tensors, tensors + interp.num_tensors());
  local[static_cast<size_t>(node.inputs[0])].data = buf.data() + gap;
  local[static_cast<size_t>(node.outputs[0])].data = buf.data();
  EvalS8WithChannelQuant<Conv2DParams>(node, local.data());
  r->extra_output.assign(buf.data(), buf.data() + out.bytes);
}

// One random case; false when its shape is empty.
bool RandomCase(std::mt19937& rng, bool pointwise, ConvCase* c, std::vector<uint8_t>* input) {
  CaseRng r{rng};
  const int32_t batches = r.uniform(1, 2);
  const int32_t in_h = r.uniform(1, 9);
  const int32_t in_w = r.uniform(1, 9);
  const int32_t in_c = r.pick({1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 64, 67});
  const int32_t out_c = r.pick({1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 31, 33});
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

  c->in_shape = {batches, in_h, in_w, in_c};
  c->filter_shape = {out_c, kh, kw, in_c};
  c->out_shape = {batches, out_h, out_w, out_c};
  RandomWindowAndQuant(r, same, sh, sw, dh, dw, c);
  RandomConvQuantAndData(r, out_c, kh * kw * in_c, c);
  RandomInput(r, static_cast<size_t>(batches) * in_h * in_w * in_c, input);
  return true;
}

TEST(Conv2DOptTest, RandomCasesMatchReference) {
  RandomRun run;
  CompareRandomCases(
      20240611, 1500, "MOTE_CONV_DUMP_DIR",
      [](std::mt19937& rng, int i, ConvCase* c, std::vector<uint8_t>* input) {
        return RandomCase(rng, i % 2 == 0, c, input);
      },
      [](const std::vector<uint8_t>& model, const std::vector<uint8_t>& input, KernelChoice k) {
        return RunModel(model, input, Conv2D(), k, RunPortableToo);
      },
      &run);
  if (HasFatalFailure()) return;
  EXPECT_GT(run.cases, 1000);
  EXPECT_GT(run.chosen["s8_opt_1x1"] + run.chosen["s8_avx2_1x1"], 300);
  EXPECT_GT(run.chosen["s8_opt_generic"] + run.chosen["s8_avx2_generic"], 300);
  // On an AVX2 host: the portable variants ran on every case as well.
  EXPECT_EQ(run.extra, run.chosen["s8_avx2_1x1"] + run.chosen["s8_avx2_generic"]);
}

TEST(Conv2DOptTest, NoExtraPersistentMemory) {
  // Nothing is stored per channel: the multipliers and shifts are derived
  // per invoke into scratch, 5 channels x 2 arrays x 4 bytes = 40, rounded
  // up to 48 (16-byte aligned); the reference kernel needs no other scratch.
  ConvCase c;
  c.in_shape = {1, 4, 4, 3};
  c.filter_shape = {5, 3, 3, 3};
  c.out_shape = {1, 2, 2, 5};
  c.filter.assign(5 * 27, 1);
  const Footprint ref = PrepareOnly(c, Conv2D(), KernelChoice::kReference);
  const Footprint opt = PrepareOnly(c, Conv2D(), KernelChoice::kOptimized);
  ASSERT_TRUE(ref.ok && opt.ok);
  EXPECT_EQ(ref.scratch_bytes, 48);
  EXPECT_EQ(ref.variant, "reference");
  EXPECT_EQ(opt.persistent, ref.persistent);
  // Ten times the channels, the same persistent bytes.
  ConvCase wide = c;
  wide.filter_shape = {50, 3, 3, 3};
  wide.out_shape = {1, 2, 2, 50};
  wide.filter.assign(50 * 27, 1);
  wide.filter_scales.assign(50, 0.5f);
  const Footprint ref_wide = PrepareOnly(wide, Conv2D(), KernelChoice::kReference);
  ASSERT_TRUE(ref_wide.ok);
  EXPECT_EQ(ref_wide.persistent, ref.persistent);
  EXPECT_EQ(ref_wide.scratch_bytes, 400);  // 50 x 8
}

TEST(Conv2DOptTest, TooSmallArenaReportsTheExactNeed) {
  // The optimized kernel's scratch is requested even when an allocation
  // already failed: every too-small arena reports the size that works.
  ConvCase c;
  c.in_shape = {1, 9, 9, 5};
  c.filter_shape = {7, 3, 3, 5};
  c.out_shape = {1, 9, 9, 7};
  c.padding = tflite::Padding_SAME;
  c.filter.assign(7 * 45, 3);
  c.filter_scales.assign(7, 0.5f);
  const std::vector<uint8_t> bytes = c.Build();
  std::vector<uint64_t> model = AlignedModel(bytes);
  OpRegistry registry;
  registry.Add(Conv2D());
  std::vector<uint64_t> arena(64 * 1024 / 8);
  size_t need = 0;
  {
    Interpreter interp;
    ASSERT_TRUE(interp.Init(model.data(), bytes.size(), registry, arena.data(), 64 * 1024).ok());
    need = interp.arena_bytes_used();
    EXPECT_GT(interp.node(0).scratch_bytes, 0);
  }
  int reported = 0;
  for (size_t size = need - 1; size > 256; size -= 8) {
    Interpreter interp;
    const Status st = interp.Init(model.data(), bytes.size(), registry, arena.data(), size);
    ASSERT_FALSE(st.ok()) << size;
    unsigned long said = 0, got = 0;
    if (sscanf(st.message(), "arena too small: needs %lu bytes, got %lu", &said, &got) == 2) {
      EXPECT_EQ(said, need) << "arena of " << size << " bytes: " << st.message();
      ++reported;
    }
  }
  EXPECT_GT(reported, 10);
  Interpreter interp;
  EXPECT_TRUE(interp.Init(model.data(), bytes.size(), registry, arena.data(), need).ok());
}

}  // namespace
}  // namespace ops
}  // namespace mote
