// CONV_2D: hand-derived arithmetic through the whole prepare + reference
// kernel path, and the prepare checks. Every expected value below is worked
// out in the comment next to it (not produced by running mote).
//
// Requantization facts used throughout (TFLite's double rounding):
//   QuantizeMultiplier(1.0)  = (2^30, shift 1):  MBQM(x) = x exactly.
//   QuantizeMultiplier(0.5)  = (2^30, shift 0):  MBQM(x) = SRDHM(x, 2^30),
//     = round(x / 2) with ties toward +inf (gemmlowp's nudge is 2^30 for
//     x >= 0 and 1 - 2^30 for x < 0, then a truncating division by 2^31).
//   QuantizeMultiplier(0.25) = (2^30, shift -1): MBQM(x) =
//     RoundingDivideByPOT(SRDHM(x, 2^30), 1), ties away from zero.
// With the test defaults (input scale 0.5, filter 0.5, output 0.25) the
// effective scale is 0.5 * 0.5 / 0.25 = 1.0 exactly (in double).
#include "ops/conv2d/conv2d.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "ops/conv2d/conv_test_util.h"

namespace mote {
namespace ops {
namespace {

using conv_test::ConvCase;
using conv_test::Int8Input;
using conv_test::RunConv;
using conv_test::RunResult;

// 1x1 convolution over `n` pixels of one channel with weight 1.
ConvCase Pointwise(int32_t n) {
  ConvCase c;
  c.in_shape = {1, 1, n, 1};
  c.filter_shape = {1, 1, 1, 1};
  c.out_shape = {1, 1, n, 1};
  c.filter = {1};
  return c;
}

TEST(Conv2DTest, PerChannelArithmetic3x3Valid) {
  // Input 3x3x1, zero point 1: raw q = 1..9, so q - zp is
  //   C = [0 1 2; 3 4 5; 6 7 8].
  // Filter 2x2, two output channels:
  //   oc0 = [2 0; 0 -1], scale 0.5  -> effective 0.5*0.5/0.25 = 1.0
  //   oc1 = [1 1; 1 1],  scale 0.25 -> effective 0.5*0.25/0.25 = 0.5
  // Bias [10, -3]; output zero point -3; VALID, stride 1 -> 2x2x2.
  // oc0: acc = 2*C[y][x] - C[y+1][x+1] + 10:
  //   (0,0) 0-4+10=6  (0,1) 2-5+10=7  (1,0) 6-7+10=9  (1,1) 8-8+10=10
  //   x1.0, -3 -> 3, 4, 6, 7
  // oc1: acc = window sum - 3: 8-3=5, 12-3=9, 20-3=17, 24-3=21
  //   x0.5 rounding ties up -> 3, 5, 9, 11; -3 -> 0, 2, 6, 8
  ConvCase c;
  c.in_shape = {1, 3, 3, 1};
  c.in_zp = 1;
  c.filter_shape = {2, 2, 2, 1};
  c.filter = {2, 0, 0, -1, /*oc1*/ 1, 1, 1, 1};
  c.filter_scales = {0.5f, 0.25f};
  c.has_bias = true;
  c.bias = {10, -3};
  c.out_shape = {1, 2, 2, 2};
  c.out_zp = -3;
  const std::vector<uint8_t> in = Int8Input({1, 2, 3, 4, 5, 6, 7, 8, 9});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{3, 0, 4, 2, 6, 6, 7, 8}));
}

TEST(Conv2DTest, DoubleRoundingOfQuarterMultiplier) {
  // Output scale 1.0: effective 0.5 * 0.5 / 1.0 = 0.25 -> (2^30, shift -1).
  // x: SRDHM(x, 2^30) (ties up) then divide by 2 (ties away from zero):
  //    1 -> 1 -> 1      (exact 0.25 would round to 0: TFLite rounds twice)
  //   -1 -> 0 -> 0
  //    3 -> 2 -> 1
  //   -3 -> -1 -> -1
  //    5 -> 3 -> 2      (exact 1.25)
  //   -5 -> -2 -> -1
  ConvCase c = Pointwise(6);
  c.out_scale = 1.0f;
  const std::vector<uint8_t> in = Int8Input({1, -1, 3, -3, 5, -5});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{1, 0, 1, -1, 2, -1}));
}

TEST(Conv2DTest, FusedActivations) {
  // Output scale 0.25, zero point -3; effective 1.0, weight 1, input zp 0:
  // out = x - 3 before clamping: [-23, -8, -3, 0, 27, 97].
  // Ranges (zp + round(v / 0.25)): RELU [-3, 127]; RELU6 [-3, -3 + 24 = 21];
  // RELU_N1_TO_1 [-3 - 4, -3 + 4] = [-7, 1].
  const std::vector<uint8_t> in = Int8Input({-20, -5, 0, 3, 30, 100});
  struct {
    int8_t act;
    std::vector<int8_t> expected;
  } cases[] = {
      {tflite::ActivationFunctionType_NONE, {-23, -8, -3, 0, 27, 97}},
      {tflite::ActivationFunctionType_RELU, {-3, -3, -3, 0, 27, 97}},
      {tflite::ActivationFunctionType_RELU6, {-3, -3, -3, 0, 21, 21}},
      {tflite::ActivationFunctionType_RELU_N1_TO_1, {-7, -7, -3, 0, 1, 1}},
  };
  for (const auto& k : cases) {
    ConvCase c = Pointwise(6);
    c.out_zp = -3;
    c.activation = k.act;
    RunResult r = RunConv(c, &in);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.as<int8_t>(), k.expected) << "activation " << static_cast<int>(k.act);
  }
}

TEST(Conv2DTest, SaturatesBothWays) {
  // 1x1 conv, 8 input channels, input zero point -128 so raw 127 means 255.
  // oc0 weights all 127:  acc = 8 * 255 * 127 = 259080 -> x1.0 -> clamp 127.
  // oc1 weights all -127: acc = -259080 -> clamp -128.
  // oc2 weights all 0, bias -1000000: -> clamp -128; oc3 bias +1000000 -> 127.
  ConvCase c;
  c.in_shape = {1, 1, 1, 8};
  c.in_zp = -128;
  c.filter_shape = {4, 1, 1, 8};
  c.filter.assign(8, 127);
  c.filter.insert(c.filter.end(), 8, -127);
  c.filter.insert(c.filter.end(), 16, 0);
  c.has_bias = true;
  c.bias = {0, 0, -1000000, 1000000};
  c.out_shape = {1, 1, 1, 4};
  const std::vector<uint8_t> in = Int8Input(std::vector<int8_t>(8, 127));
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{127, -128, -128, 127}));
}

TEST(Conv2DTest, ExtremeZeroPoints) {
  // Effective 1.0, weight 1.
  // Input zp -128, output zp -128: raw [-128, -127, 0] -> x = [0, 1, 128]
  //   -> out = x - 128 = [-128, -127, 0].
  {
    ConvCase c = Pointwise(3);
    c.in_zp = -128;
    c.out_zp = -128;
    const std::vector<uint8_t> in = Int8Input({-128, -127, 0});
    RunResult r = RunConv(c, &in);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{-128, -127, 0}));
  }
  // Input zp 127, output zp 127: raw [127, 126, -128] -> x = [0, -1, -255]
  //   -> out = x + 127 = [127, 126, -128].
  {
    ConvCase c = Pointwise(3);
    c.in_zp = 127;
    c.out_zp = 127;
    const std::vector<uint8_t> in = Int8Input({127, 126, -128});
    RunResult r = RunConv(c, &in);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{127, 126, -128}));
  }
}

TEST(Conv2DTest, SamePaddingSkipsTapsLikeZeroPointPadding) {
  // 3x3 input, every raw value zp + 1 = 6 (x = 1), zero point 5; 3x3 filter
  // of ones, SAME, stride 1 (pad 1 each side). Out-of-bounds taps are
  // skipped (= the zero point, x = 0), so each output counts its in-bounds
  // taps: corners 4, edges 6, centre 9.
  ConvCase c;
  c.in_shape = {1, 3, 3, 1};
  c.in_zp = 5;
  c.filter_shape = {1, 3, 3, 1};
  c.filter.assign(9, 1);
  c.out_shape = {1, 3, 3, 1};
  c.padding = tflite::Padding_SAME;
  const std::vector<uint8_t> in = Int8Input(std::vector<int8_t>(9, 6));
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{4, 6, 4, 6, 9, 6, 4, 6, 4}));
}

TEST(Conv2DTest, StrideAndDilation) {
  // 5x5 input, raw value 5y + x (zp 0); 2x2 filter of ones, dilation 2
  // (effective 3x3), stride 2, VALID: out = (5 - 3 + 2) / 2 = 2 per axis.
  // Taps y in {2oy, 2oy+2}, x in {2ox, 2ox+2}:
  //   sum = 10 * (4oy + 2) + 2 * (4ox + 2) = 40oy + 8ox + 24
  //   -> (0,0) 24, (0,1) 32, (1,0) 64, (1,1) 72.
  ConvCase c;
  c.in_shape = {1, 5, 5, 1};
  c.filter_shape = {1, 2, 2, 1};
  c.filter = {1, 1, 1, 1};
  c.out_shape = {1, 2, 2, 1};
  c.stride_h = c.stride_w = 2;
  c.dilation_h = c.dilation_w = 2;
  std::vector<int8_t> v;
  for (int i = 0; i < 25; ++i) v.push_back(static_cast<int8_t>(i));
  const std::vector<uint8_t> in = Int8Input(v);
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{24, 32, 64, 72}));
}

TEST(Conv2DTest, AsymmetricStrideSamePaddingShape) {
  // SAME: out = ceil(in / stride): 7x5 input, stride (3, 2) -> 3x3; 3x2
  // filter. Pads: h total (3-1)*3 + 3 - 7 = 2 -> top 1; w total
  // (3-1)*2 + 2 - 5 = 1 -> left 0. All-ones filter on all-ones input counts
  // in-bounds taps. Rows used by oy = 0,1,2: {-1,0,1}, {2,3,4}, {5,6,7}
  // -> 2, 3, 2 valid rows; columns for ox = 0,1,2: {0,1}, {2,3}, {4,5} -> 2, 2, 1.
  ConvCase c;
  c.in_shape = {1, 7, 5, 1};
  c.filter_shape = {1, 3, 2, 1};
  c.filter.assign(6, 1);
  c.out_shape = {1, 3, 3, 1};
  c.stride_h = 3;
  c.stride_w = 2;
  c.padding = tflite::Padding_SAME;
  const std::vector<uint8_t> in = Int8Input(std::vector<int8_t>(35, 1));
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{4, 4, 2, 6, 6, 3, 4, 4, 2}));
}

TEST(Conv2DTest, GroupedAndBatched) {
  // 2 batches of one pixel with 4 channels, 2 groups (filter input depth 2),
  // 2 output channels of weights [1, 1]: oc0 sums channels 0-1, oc1 2-3.
  // Per-tensor filter scale. Batch 0 [1,2,3,4] -> [3, 7];
  // batch 1 [10,20,30,40] -> [30, 70].
  ConvCase c;
  c.version = 6;
  c.in_shape = {2, 1, 1, 4};
  c.filter_shape = {2, 1, 1, 2};
  c.filter = {1, 1, 1, 1};
  c.out_shape = {2, 1, 1, 2};
  const std::vector<uint8_t> in = Int8Input({1, 2, 3, 4, 10, 20, 30, 40});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{3, 7, 30, 70}));
}

TEST(Conv2DTest, BiasAbsentAsMinusOne) {
  // Input 2 = -1 (optional bias absent): same as no bias. x = 7 -> 7.
  ConvCase c = Pointwise(1);
  c.bias_minus_one = true;
  const std::vector<uint8_t> in = Int8Input({7});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{7}));
}

TEST(Conv2DTest, Float) {
  // 2x2 input [1 2; 3 4], 2x2 filter [0.5 -1; 2 0.25], bias 0.5, VALID:
  // 0.5 - 2 + 6 + 1 + 0.5 = 6.0 (all exact in float).
  // NONE -> 6, RELU_N1_TO_1 -> 1. Second channel filter all -1, bias 0:
  // -10 -> NONE -10, RELU_N1_TO_1 -1.
  for (int8_t act : {static_cast<int8_t>(tflite::ActivationFunctionType_NONE),
                     static_cast<int8_t>(tflite::ActivationFunctionType_RELU_N1_TO_1)}) {
    ConvCase c;
    c.version = 1;
    c.type = tflite::TensorType_FLOAT32;
    c.filter_type = tflite::TensorType_FLOAT32;
    c.in_shape = {1, 2, 2, 1};
    c.filter_shape = {2, 2, 2, 1};
    c.filter_f = {0.5f, -1.0f, 2.0f, 0.25f, -1.0f, -1.0f, -1.0f, -1.0f};
    c.has_bias = true;
    c.bias_type = tflite::TensorType_FLOAT32;
    c.bias_f = {0.5f, 0.0f};
    c.out_shape = {1, 1, 1, 2};
    c.activation = act;
    const std::vector<uint8_t> in = conv_test::Bytes(std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
    RunResult r = RunConv(c, &in);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    if (act == tflite::ActivationFunctionType_NONE) {
      EXPECT_EQ(r.as<float>(), (std::vector<float>{6.0f, -10.0f}));
    } else {
      EXPECT_EQ(r.as<float>(), (std::vector<float>{1.0f, -1.0f}));
    }
  }
}

TEST(Conv2DTest, KernelAccumulatorWrapsLikeInt32) {
  // Direct kernel call on hand-built tensors: bias INT32_MAX plus a product
  // of 1 wraps to INT32_MIN (TFLite's int32 accumulator does the same).
  // Multiplier 1.0 = (2^30, shift 1): INT32_MIN << 1 wraps to 0, SRDHM(0) = 0,
  // so the output is the output zero point, 5.
  int8_t in_data[1] = {1};
  int8_t flt_data[1] = {1};
  int32_t bias_data[1] = {std::numeric_limits<int32_t>::max()};
  int8_t out_data[1] = {0};
  const int32_t dims4[4] = {1, 1, 1, 1};
  const int32_t dims1[1] = {1};
  Tensor in{}, flt{}, bias{}, out{};
  in.data = reinterpret_cast<uint8_t*>(in_data);
  in.dims = dims4;
  in.rank = 4;
  flt.data = reinterpret_cast<uint8_t*>(flt_data);
  flt.dims = dims4;
  flt.rank = 4;
  bias.data = reinterpret_cast<uint8_t*>(bias_data);
  bias.dims = dims1;
  bias.rank = 1;
  out.data = reinterpret_cast<uint8_t*>(out_data);
  out.dims = dims4;
  out.rank = 4;
  const int32_t multiplier[1] = {1 << 30};
  const int32_t shift[1] = {1};
  Conv2DParams p{};
  p.window = ConvWindow{1, 1, 1, 1, 0, 0, 1, 1};
  p.quant = ConvQuant{0, 5, -128, 127, multiplier, shift};
  Conv2DS8Reference(p, in, flt, &bias, out);
  EXPECT_EQ(out_data[0], 5);
}

// ---- prepare rejections ----------------------------------------------------

ConvCase Valid3x3() {
  ConvCase c;
  c.in_shape = {1, 5, 5, 2};
  c.filter_shape = {3, 3, 3, 2};
  c.filter.assign(54, 1);
  c.filter_scales = {0.5f, 0.5f, 0.5f};
  c.has_bias = true;
  c.bias = {0, 0, 0};
  c.out_shape = {1, 3, 3, 3};
  return c;
}

void ExpectRejected(const ConvCase& c, StatusCode code, const char* fragment) {
  RunResult r = RunConv(c);
  ASSERT_FALSE(r.status.ok()) << "expected failure containing '" << fragment << "'";
  EXPECT_EQ(r.status.code(), code) << r.status.message();
  EXPECT_NE(std::string(r.status.message()).find(fragment), std::string::npos)
      << r.status.message();
}

TEST(Conv2DPrepareTest, ValidModelPrepares) {
  RunResult r = RunConv(Valid3x3());
  EXPECT_TRUE(r.status.ok()) << r.status.message();
}

TEST(Conv2DPrepareTest, WrongOutputShape) {
  ConvCase c = Valid3x3();
  c.out_shape = {1, 5, 5, 3};  // VALID 3x3 on 5x5 gives 3x3
  ExpectRejected(c, StatusCode::kInvalidModel, "imply [1,3,3,3]");
  c = Valid3x3();
  c.padding = tflite::Padding_SAME;  // SAME gives 5x5, model says 3x3
  ExpectRejected(c, StatusCode::kInvalidModel, "imply [1,5,5,3]");
}

TEST(Conv2DPrepareTest, BadOptions) {
  ConvCase c = Valid3x3();
  c.stride_w = 0;
  ExpectRejected(c, StatusCode::kInvalidModel, "strides must be > 0");
  c = Valid3x3();
  c.dilation_h = -1;
  ExpectRejected(c, StatusCode::kInvalidModel, "dilation factors must be > 0");
  c = Valid3x3();
  c.padding = 2;
  ExpectRejected(c, StatusCode::kInvalidModel, "neither SAME nor VALID");
  c = Valid3x3();
  c.activation = tflite::ActivationFunctionType_TANH;
  ExpectRejected(c, StatusCode::kUnsupported, "fused activation 4");
  c = Valid3x3();
  c.with_options = false;
  ExpectRejected(c, StatusCode::kInvalidModel, "Conv2DOptions missing");
  // SAME with stride and dilation INT32_MAX on a height of 5: one output
  // row (ceil(5 / stride)), whose last tap sits at 2 * INT32_MAX - pad.
  c = Valid3x3();
  c.stride_h = std::numeric_limits<int32_t>::max();
  c.dilation_h = std::numeric_limits<int32_t>::max();
  c.padding = tflite::Padding_SAME;
  c.out_shape = {1, 1, 5, 3};
  ExpectRejected(c, StatusCode::kUnsupported, "beyond int32");
}

TEST(Conv2DPrepareTest, ChannelMismatches) {
  ConvCase c = Valid3x3();
  c.in_shape = {1, 5, 5, 3};  // 3 is not a multiple of the filter depth 2
  ExpectRejected(c, StatusCode::kInvalidModel, "not a positive multiple");
  c = Valid3x3();
  c.in_shape = {1, 5, 5, 4};  // 2 groups, but 3 output channels
  c.version = 6;
  ExpectRejected(c, StatusCode::kInvalidModel, "cannot be split into 2 groups");
  c = Valid3x3();
  c.filter_scales = {0.5f};  // one bias scale, so that only the op objects
  c.bias = {0, 0};
  c.bias_shape = {2};
  ExpectRejected(c, StatusCode::kInvalidModel, "bias ('bias') has 2 elements");
}

TEST(Conv2DPrepareTest, QuantizationChecks) {
  ConvCase c = Valid3x3();
  c.filter_scales = {0.5f, 0.5f};  // neither 1 nor 3 scales
  c.filter_shape = {3, 3, 3, 2};
  c.filter_qdim = 3;  // 2 scales along the 2 filter input channels
  c.has_bias = false;
  ExpectRejected(c, StatusCode::kInvalidModel, "has 2 scales");
  c = Valid3x3();
  c.filter_zps = {0, 1, 0};
  ExpectRejected(c, StatusCode::kUnsupported, "non-zero zero point");
  c = Valid3x3();
  c.filter_quantized = false;
  ExpectRejected(c, StatusCode::kInvalidModel, "not quantized");
  c = Valid3x3();
  c.bias_zp = 3;
  ExpectRejected(c, StatusCode::kInvalidModel, "bias ('bias') has a non-zero zero point");
  c = Valid3x3();
  c.bias_type = tflite::TensorType_INT64;
  c.bias.assign(6, 0);  // 3 int64 zeros
  ExpectRejected(c, StatusCode::kUnsupported, "is int64, expected int32");
  c = Valid3x3();
  c.out_scale = 1e-30f;  // effective scale 0.25e30 >= 2^31
  ExpectRejected(c, StatusCode::kUnsupported, "too large");
}

TEST(Conv2DPrepareTest, UnsupportedTypes) {
  ConvCase c = Valid3x3();
  c.type = tflite::TensorType_INT16;
  c.version = 4;
  ExpectRejected(c, StatusCode::kUnsupported, "supports int8 and float32");
  c = Valid3x3();
  c.type = tflite::TensorType_FLOAT32;  // hybrid: float activations, int8 weights
  c.version = 5;
  c.bias_type = tflite::TensorType_FLOAT32;
  c.bias_f = {0, 0, 0};
  ExpectRejected(c, StatusCode::kUnsupported, "hybrid");
  c = Valid3x3();
  c.version = 7;  // int4 weights
  RunResult r = RunConv(c);
  EXPECT_FALSE(r.status.ok());
}

TEST(Conv2DPrepareTest, RankChecks) {
  ConvCase c = Valid3x3();
  c.in_shape = {5, 5, 2};
  ExpectRejected(c, StatusCode::kInvalidModel, "has rank 3, expected 4");
}

TEST(Conv2DPrepareTest, TooSmallArenaReportsNeed) {
  RunResult r = RunConv(Valid3x3(), nullptr, 256);
  EXPECT_EQ(r.status.code(), StatusCode::kArenaTooSmall) << r.status.message();
}

}  // namespace
}  // namespace ops
}  // namespace mote
