// DEPTHWISE_CONV_2D: hand-derived arithmetic through prepare + the
// reference kernel, and the prepare checks. Expected values are worked out
// in the comments (see conv2d_test.cc for the requantization facts: with
// input scale 0.5, filter scale 0.5, output scale 0.25 the multiplier is
// exactly 1.0; with filter scale 0.25 it is 0.5, rounding ties toward +inf).
#include "ops/depthwise_conv2d/depthwise_conv2d.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ops/conv2d/conv_test_util.h"

namespace mote {
namespace ops {
namespace {

using conv_test::ConvCase;
using conv_test::Int8Input;
using conv_test::RunConv;
using conv_test::RunResult;

ConvCase Depthwise(std::vector<int32_t> in_shape, std::vector<int32_t> filter_shape,
                   std::vector<int32_t> out_shape) {
  ConvCase c;
  c.depthwise = true;
  c.in_shape = in_shape;
  c.filter_shape = filter_shape;
  c.out_shape = out_shape;
  return c;
}

TEST(DepthwiseConv2DTest, MultiplierTwoChannelOrder) {
  // Input 1x2x2x2, zero point 2: channel 0 raw [3 4 5 6] -> x0 = [1 2 3 4],
  // channel 1 raw [12 2 2 2] -> x1 = [10 0 0 0].
  // Depth multiplier 2: output channel oc = ic * 2 + m.
  //   oc0 (ic0): filter [1 1; 1 1]   scale 0.5  -> sum x0 = 10       -> x1.0
  //   oc1 (ic0): filter [1 0; 0 -1]  scale 0.25 -> 1 - 4 = -3        -> x0.5
  //   oc2 (ic1): filter [2 0; 0 0]   scale 0.5  -> 2 * 10 = 20       -> x1.0
  //   oc3 (ic1): filter [0 0; 0 5]   scale 0.25 -> 0                  -> x0.5
  // Bias [1, 0, -30, 7]: oc0 11 -> 11; oc1 -3 -> -1.5 -> ties up -> -1;
  // oc2 -10 -> -10; oc3 7 -> 3.5 -> 4. Output zero point 1 -> [12, 0, -9, 5].
  ConvCase c = Depthwise({1, 2, 2, 2}, {1, 2, 2, 4}, {1, 1, 1, 4});
  c.in_zp = 2;
  // Filter layout [1, KH, KW, C_out]: per tap, the 4 output channels.
  c.filter = {1, 1,  2, 0,   // tap (0,0)
              1, 0,  0, 0,   // tap (0,1)
              1, 0,  0, 0,   // tap (1,0)
              1, -1, 0, 5};  // tap (1,1)
  c.filter_scales = {0.5f, 0.25f, 0.5f, 0.25f};
  c.has_bias = true;
  c.bias = {1, 0, -30, 7};
  c.out_zp = 1;
  // NHWC input: pixel (0,0) = [ch0 3, ch1 12], (0,1) = [4, 2], (1,0) = [5, 2], (1,1) = [6, 2].
  const std::vector<uint8_t> in = Int8Input({3, 12, 4, 2, 5, 2, 6, 2});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{12, 0, -9, 5}));
}

ConvCase OneChannelTimesEight(int32_t option) {
  // person_detect's first layer in miniature: 1 input channel, multiplier 8.
  // Input 2x2 [1 2; 3 4] (zp 0); filter 2x2, output channel m has weight
  // m - 4 at every tap: out[m] = (m - 4) * 10 = [-40 -30 -20 -10 0 10 20 30].
  ConvCase c = Depthwise({1, 2, 2, 1}, {1, 2, 2, 8}, {1, 1, 1, 8});
  for (int tap = 0; tap < 4; ++tap) {
    for (int m = 0; m < 8; ++m) c.filter.push_back(static_cast<int8_t>(m - 4));
  }
  c.filter_scales.assign(8, 0.5f);
  c.depth_multiplier = option;
  return c;
}

TEST(DepthwiseConv2DTest, OneChannelMultiplierEight) {
  const std::vector<uint8_t> in = Int8Input({1, 2, 3, 4});
  RunResult r = RunConv(OneChannelTimesEight(8), &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{-40, -30, -20, -10, 0, 10, 20, 30}));
}

TEST(DepthwiseConv2DTest, DepthMultiplierOptionIsIgnored) {
  // TFLite derives the multiplier from the shapes (8 / 1) and never reads the
  // option: a disagreeing (1) or zero option gives the same result.
  const std::vector<uint8_t> in = Int8Input({1, 2, 3, 4});
  for (int32_t option : {1, 0, 3}) {
    RunResult r = RunConv(OneChannelTimesEight(option), &in);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{-40, -30, -20, -10, 0, 10, 20, 30}))
        << "option " << option;
  }
}

TEST(DepthwiseConv2DTest, SameStrideTwoWithZeroPoint) {
  // micro_speech's layer in miniature: 1 channel, SAME, stride 2, zp -5.
  // Input 4x4, every raw value -4 (x = 1); 3x3 filter of ones; multiplier 1.
  // out = ceil(4 / 2) = 2; pad total (2-1)*2 + 3 - 4 = 1 -> top/left 0.
  // Rows for oy = 0: {0,1,2} (3 valid); oy = 1: {2,3,4} (2 valid); same for
  // columns. Skipped taps count as x = 0: outputs 9, 6, 6, 4.
  ConvCase c = Depthwise({1, 4, 4, 1}, {1, 3, 3, 1}, {1, 2, 2, 1});
  c.in_zp = -5;
  c.filter.assign(9, 1);
  c.padding = tflite::Padding_SAME;
  c.stride_h = c.stride_w = 2;
  const std::vector<uint8_t> in = Int8Input(std::vector<int8_t>(16, -4));
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{9, 6, 6, 4}));
}

TEST(DepthwiseConv2DTest, DilationBatchAndPerTensorScale) {
  // 2 batches, 3x3 input of 1 channel, raw value 3y + x (+ 9 for batch 1);
  // 2x2 filter [1 2; 3 4] with dilation 2 (effective 3x3), VALID -> 1x1.
  // Taps (0,0), (0,2), (2,0), (2,2): batch 0 values 0, 2, 6, 8:
  //   1*0 + 2*2 + 3*6 + 4*8 = 54; batch 1 adds 9 to each: 54 + 9 * 10 = 144
  //   -> clamps to 127 (multiplier 1.0, per-tensor filter scale 0.5).
  ConvCase c = Depthwise({2, 3, 3, 1}, {1, 2, 2, 1}, {2, 1, 1, 1});
  c.filter = {1, 2, 3, 4};
  c.dilation_h = c.dilation_w = 2;
  std::vector<int8_t> v;
  for (int b = 0; b < 2; ++b) {
    for (int i = 0; i < 9; ++i) v.push_back(static_cast<int8_t>(i + 9 * b));
  }
  const std::vector<uint8_t> in = Int8Input(v);
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{54, 127}));
}

TEST(DepthwiseConv2DTest, ActivationsSaturationAndExtremeZeroPoints) {
  // 1x1 depthwise on 4 pixels, 1 channel, weight 1, multiplier 1.0.
  // Input zp 127: raw [127, 100, -128, 0] -> x = [0, -27, -255, -127].
  // Output zp -128, RELU6 with scale 0.25: range [-128, -128 + 24 = -104].
  //   x - 128 = [-128, -155, -383, -255] -> all clamp to -128.
  // Bias +150: x + 150 - 128 = [22, -5, -233, -105] -> [-104, -104, -128, -105].
  ConvCase c = Depthwise({1, 1, 4, 1}, {1, 1, 1, 1}, {1, 1, 4, 1});
  c.filter = {1};
  c.in_zp = 127;
  c.out_zp = -128;
  c.activation = tflite::ActivationFunctionType_RELU6;
  c.has_bias = true;
  c.bias = {150};
  const std::vector<uint8_t> in = Int8Input({127, 100, -128, 0});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{-104, -104, -128, -105}));
  // Output zp 127, RELU_N1_TO_1: range [127 - 4, 127] = [123, 127].
  // With bias -200: x - 200 + 127 = [-73, -100, -328, -200] -> all 123.
  c.out_zp = 127;
  c.activation = tflite::ActivationFunctionType_RELU_N1_TO_1;
  c.bias = {-200};
  r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{123, 123, 123, 123}));
  // Input zp -128 (raw -128 -> x = 0, raw 127 -> x = 255), weight -128:
  // -128 * 255 = -32640 -> NONE clamps to -128; x = 0 -> output zp 0.
  c.in_zp = -128;
  c.out_zp = 0;
  c.filter = {-128};
  c.activation = tflite::ActivationFunctionType_NONE;
  c.has_bias = false;
  const std::vector<uint8_t> in2 = Int8Input({127, -128, -127, 127});
  r = RunConv(c, &in2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  // raw -127 -> x = 1 -> -128 * 1 = -128.
  EXPECT_EQ(r.as<int8_t>(), (std::vector<int8_t>{-128, 0, -128, -128}));
}

TEST(DepthwiseConv2DTest, Float) {
  // 2x2 input of 2 channels: ch0 [1 2; 3 4], ch1 [-1 -1; -1 -1]; multiplier 1,
  // 2x2 filter: ch0 [0.5 -1; 2 0.25], ch1 all 1; bias [0.5, 0]; RELU:
  // ch0 0.5 - 2 + 6 + 1 + 0.5 = 6 -> 6; ch1 -4 -> 0.
  ConvCase c = Depthwise({1, 2, 2, 2}, {1, 2, 2, 2}, {1, 1, 1, 2});
  c.version = 1;
  c.type = tflite::TensorType_FLOAT32;
  c.filter_type = tflite::TensorType_FLOAT32;
  c.filter_f = {0.5f, 1.0f, -1.0f, 1.0f, 2.0f, 1.0f, 0.25f, 1.0f};
  c.has_bias = true;
  c.bias_type = tflite::TensorType_FLOAT32;
  c.bias_f = {0.5f, 0.0f};
  c.activation = tflite::ActivationFunctionType_RELU;
  const std::vector<uint8_t> in =
      conv_test::Bytes(std::vector<float>{1.0f, -1.0f, 2.0f, -1.0f, 3.0f, -1.0f, 4.0f, -1.0f});
  RunResult r = RunConv(c, &in);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.as<float>(), (std::vector<float>{6.0f, 0.0f}));
}

// ---- prepare rejections ----------------------------------------------------

ConvCase Valid3x3() {
  ConvCase c = Depthwise({1, 5, 5, 2}, {1, 3, 3, 4}, {1, 3, 3, 4});
  c.filter.assign(36, 1);
  c.filter_scales.assign(4, 0.5f);
  c.has_bias = true;
  c.bias = {0, 0, 0, 0};
  return c;
}

void ExpectRejected(const ConvCase& c, StatusCode code, const char* fragment) {
  RunResult r = RunConv(c);
  ASSERT_FALSE(r.status.ok()) << "expected failure containing '" << fragment << "'";
  EXPECT_EQ(r.status.code(), code) << r.status.message();
  EXPECT_NE(std::string(r.status.message()).find(fragment), std::string::npos)
      << r.status.message();
}

TEST(DepthwiseConv2DPrepareTest, ValidModelPrepares) {
  RunResult r = RunConv(Valid3x3());
  EXPECT_TRUE(r.status.ok()) << r.status.message();
}

TEST(DepthwiseConv2DPrepareTest, WrongOutputShape) {
  ConvCase c = Valid3x3();
  c.out_shape = {1, 3, 3, 2};  // 4 output channels, not 2
  ExpectRejected(c, StatusCode::kInvalidModel, "imply [1,3,3,4]");
  c = Valid3x3();
  c.stride_h = 2;  // VALID, stride 2: (5 - 3 + 2) / 2 = 2 rows
  ExpectRejected(c, StatusCode::kInvalidModel, "imply [1,2,3,4]");
}

TEST(DepthwiseConv2DPrepareTest, BadOptions) {
  ConvCase c = Valid3x3();
  c.stride_h = 0;
  ExpectRejected(c, StatusCode::kInvalidModel, "strides must be > 0");
  c = Valid3x3();
  c.stride_w = 0x10000;  // TFLite bounds depthwise strides by 0xFFFF
  ExpectRejected(c, StatusCode::kInvalidModel, "exceed 65535");
  c = Valid3x3();
  c.dilation_w = 0;
  ExpectRejected(c, StatusCode::kInvalidModel, "dilation factors must be > 0");
  c = Valid3x3();
  c.padding = 7;
  ExpectRejected(c, StatusCode::kInvalidModel, "neither SAME nor VALID");
  c = Valid3x3();
  c.activation = tflite::ActivationFunctionType_SIGN_BIT;
  ExpectRejected(c, StatusCode::kUnsupported, "fused activation 5");
  c = Valid3x3();
  c.with_options = false;
  ExpectRejected(c, StatusCode::kInvalidModel, "DepthwiseConv2DOptions missing");
}

TEST(DepthwiseConv2DPrepareTest, ShapeChecks) {
  ConvCase c = Valid3x3();
  c.filter_shape = {2, 3, 3, 2};  // leading dimension must be 1
  c.filter_scales.assign(2, 0.5f);
  c.bias = {0, 0};
  c.out_shape = {1, 3, 3, 2};
  ExpectRejected(c, StatusCode::kInvalidModel, "leading dimension 2");
  c = Valid3x3();
  c.in_shape = {1, 5, 5, 3};  // 4 output channels from 3 inputs
  ExpectRejected(c, StatusCode::kInvalidModel, "not a multiple of the input's 3 channels");
  // (Per-tensor filter scale below, so that the bias has one scale and the
  // model reader accepts its shape; the op is what must reject it.)
  c = Valid3x3();
  c.filter_scales = {0.5f};
  c.bias_shape = {1, 4};
  ExpectRejected(c, StatusCode::kInvalidModel, "has rank 2, expected 1");
  c = Valid3x3();
  c.filter_scales = {0.5f};
  c.bias = {0, 0};
  c.bias_shape = {2};
  ExpectRejected(c, StatusCode::kInvalidModel, "bias ('bias') has 2 elements");
}

TEST(DepthwiseConv2DPrepareTest, QuantizationChecks) {
  ConvCase c = Valid3x3();
  c.filter_zps = {0, 0, -1, 0};
  ExpectRejected(c, StatusCode::kUnsupported, "non-zero zero point");
  c = Valid3x3();
  c.filter_scales = {0.5f, 0.5f, 0.5f};  // 3 scales along the filter height
  c.filter_qdim = 1;
  c.has_bias = false;
  ExpectRejected(c, StatusCode::kInvalidModel, "has 3 scales");
  c = Valid3x3();
  c.type = tflite::TensorType_INT16;
  c.version = 5;
  RunResult r = RunConv(c);
  EXPECT_FALSE(r.status.ok());
}

}  // namespace
}  // namespace ops
}  // namespace mote
