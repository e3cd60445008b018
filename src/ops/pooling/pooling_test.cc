// AVERAGE_POOL_2D / MAX_POOL_2D: hand-derived windows and rounding through
// the interpreter, and the prepare checks.
#include "ops/pooling/pooling.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "op_model_builder.h"

namespace mote {
namespace ops {
namespace {

constexpr auto kI8 = tflite::TensorType_INT8;
constexpr auto kF32 = tflite::TensorType_FLOAT32;
constexpr auto kAvg = tflite::BuiltinOperator_AVERAGE_POOL_2D;
constexpr auto kMax = tflite::BuiltinOperator_MAX_POOL_2D;

struct PoolSpec {
  tflite::BuiltinOperator op = kAvg;
  std::vector<int32_t> in_shape;
  std::vector<int32_t> out_shape;
  tflite::TensorType type = kI8;
  float in_scale = 0.5f;
  int64_t in_zp = 0;
  float out_scale = -1;  // < 0: the input's
  int64_t out_zp = 1000;  // 1000: the input's
  int filter_h = 1, filter_w = 1, stride_h = 1, stride_w = 1;
  int padding = tflite::Padding_VALID;
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  bool options = true;
};

test::OpModel PoolModel(const PoolSpec& s) {
  test::OpModel m;
  const bool s8 = s.type == kI8;
  const int x = m.Input(s.in_shape, s.type, s8 ? s.in_scale : 0, s.in_zp);
  const int y = m.Output(s.out_shape, s.type, s8 ? (s.out_scale < 0 ? s.in_scale : s.out_scale) : 0,
                         s.out_zp == 1000 ? s.in_zp : s.out_zp);
  const PoolSpec spec = s;
  test::OpModel::OptionsFn options = nullptr;
  if (s.options) {
    options = [spec](flatbuffers::FlatBufferBuilder& b) {
      return tflite::CreatePool2DOptions(b, static_cast<tflite::Padding>(spec.padding), spec.stride_w,
                                         spec.stride_h, spec.filter_w, spec.filter_h, spec.act)
          .Union();
    };
  }
  m.SetOp(s.op, s.type == kI8 ? 2 : 1, {x}, {y}, tflite::BuiltinOptions_Pool2DOptions, options);
  return m;
}

template <typename T>
std::vector<T> RunModel(const PoolSpec& s, const std::vector<T>& input) {
  test::OpRunner r(PoolModel(s));
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  if (!r.status().ok()) return {};
  r.SetInput<T>(0, input);
  EXPECT_TRUE(r.Invoke().ok());
  return r.Output<T>(0);
}

StatusCode PrepareCode(const PoolSpec& s) { return test::OpRunner(PoolModel(s)).status().code(); }

TEST(AveragePoolS8, RoundingHalfAwayFromZero) {
  // Six 2x2 images, one 2x2 VALID window each (count 4):
  //   [1,2,3,5]     sum 11  -> (11 + 2) / 4 = 3        (2.75)
  //   [-1,-2,-3,-5] sum -11 -> (-11 - 2) / 4 = -3      (-2.75)
  //   [1,2,3,4]     sum 10  -> (10 + 2) / 4 = 3        (2.5, away from zero)
  //   [-1,-2,-3,-4] sum -10 -> (-10 - 2) / 4 = -3      (-2.5)
  //   [0,0,0,-1]    sum -1  -> (-1 - 2) / 4 = 0        (-0.25)
  //   [127 x 4]             -> 127; (the extremes survive)
  PoolSpec s;
  s.in_shape = {6, 2, 2, 1};
  s.out_shape = {6, 1, 1, 1};
  s.filter_h = s.filter_w = 2;
  EXPECT_EQ(RunModel<int8_t>(s, {1, 2, 3, 5, -1, -2, -3, -5, 1, 2, 3, 4, -1, -2, -3, -4, 0, 0, 0, -1, 127, 127,
                            127, 127}),
            (std::vector<int8_t>{3, -3, 3, -3, 0, 127}));
  EXPECT_EQ(RunModel<int8_t>(s, std::vector<int8_t>(24, -128)), std::vector<int8_t>(6, -128));
}

// 3x3 image 1..9, 3x3 filter, stride 1, SAME (pad 1): the windows are clipped
// to the image and only in-bounds taps count:
//   corners 2x2 (count 4), edges 2x3 (6), centre 3x3 (9).
const std::vector<int8_t> kImage = {1, 2, 3, 4, 5, 6, 7, 8, 9};

TEST(AveragePoolS8, SamePaddingCountsOnlyInputTaps) {
  PoolSpec s;
  s.in_shape = {1, 3, 3, 1};
  s.out_shape = {1, 3, 3, 1};
  s.filter_h = s.filter_w = 3;
  s.padding = tflite::Padding_SAME;
  // (0,0) 1+2+4+5 = 12 / 4 = 3      (0,1) 21 / 6 = 3.5 -> 4   (0,2) 16 / 4 = 4
  // (1,0) 27 / 6 = 4.5 -> 5         (1,1) 45 / 9 = 5          (1,2) 33 / 6 = 5.5 -> 6
  // (2,0) 24 / 4 = 6                (2,1) 39 / 6 = 6.5 -> 7   (2,2) 28 / 4 = 7
  EXPECT_EQ(RunModel<int8_t>(s, kImage), (std::vector<int8_t>{3, 4, 4, 5, 5, 6, 6, 7, 7}));
  s.op = kMax;
  EXPECT_EQ(RunModel<int8_t>(s, kImage), (std::vector<int8_t>{5, 6, 6, 8, 9, 9, 8, 9, 9}));
}

TEST(PoolS8, StrideTwoSame) {
  // 2x2 filter, stride 2, SAME on 3x3: output 2x2, total padding
  // (2 - 1) * 2 + 2 - 3 = 1, leading 0. Windows: {1,2,4,5}, {3,6}, {7,8}, {9}.
  PoolSpec s;
  s.in_shape = {1, 3, 3, 1};
  s.out_shape = {1, 2, 2, 1};
  s.filter_h = s.filter_w = 2;
  s.stride_h = s.stride_w = 2;
  s.padding = tflite::Padding_SAME;
  // 12 / 4 = 3; 9 / 2 = 4.5 -> 5; 15 / 2 = 7.5 -> 8; 9.
  EXPECT_EQ(RunModel<int8_t>(s, kImage), (std::vector<int8_t>{3, 5, 8, 9}));
  s.op = kMax;
  EXPECT_EQ(RunModel<int8_t>(s, kImage), (std::vector<int8_t>{5, 6, 8, 9}));
}

TEST(PoolS8, FusedActivations) {
  // 1x1 windows pass values through; scale 0.5, zero point -10: RELU
  // [-10, 127], RELU6 [-10, -10 + 12 = 2], RELU_N1_TO_1 [-12, -8].
  const std::vector<int8_t> in = {-128, -11, -10, -9, 0, 2, 3, 127};
  for (auto op : {kAvg, kMax}) {
    PoolSpec s;
    s.op = op;
    s.in_shape = {1, 1, 8, 1};
    s.out_shape = {1, 1, 8, 1};
    s.in_zp = -10;
    EXPECT_EQ(RunModel<int8_t>(s, in), in);
    s.act = tflite::ActivationFunctionType_RELU;
    EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{-10, -10, -10, -9, 0, 2, 3, 127}));
    s.act = tflite::ActivationFunctionType_RELU6;
    EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{-10, -10, -10, -9, 0, 2, 2, 2}));
    s.act = tflite::ActivationFunctionType_RELU_N1_TO_1;
    EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{-12, -11, -10, -9, -8, -8, -8, -8}));
  }
}

TEST(PoolF32, SamePadding) {
  PoolSpec s;
  s.type = kF32;
  s.in_shape = {1, 3, 3, 1};
  s.out_shape = {1, 3, 3, 1};
  s.filter_h = s.filter_w = 3;
  s.padding = tflite::Padding_SAME;
  const std::vector<float> image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  // Sums as above over float counts: all quotients exact.
  EXPECT_EQ(RunModel<float>(s, image), (std::vector<float>{3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7}));
  s.act = tflite::ActivationFunctionType_RELU6;
  EXPECT_EQ(RunModel<float>(s, image), (std::vector<float>{3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6, 6}));
  s.op = kMax;
  s.act = tflite::ActivationFunctionType_NONE;
  EXPECT_EQ(RunModel<float>(s, image), (std::vector<float>{5, 6, 6, 8, 9, 9, 8, 9, 9}));
  s.act = tflite::ActivationFunctionType_RELU_N1_TO_1;
  EXPECT_EQ(RunModel<float>(s, image), std::vector<float>(9, 1.0f));
}

TEST(PoolF32, BatchesAndChannels) {
  // [2, 1, 2, 2]: 1x2 VALID window averages the two pixels per channel.
  PoolSpec s;
  s.type = kF32;
  s.in_shape = {2, 1, 2, 2};
  s.out_shape = {2, 1, 1, 2};
  s.filter_w = 2;
  EXPECT_EQ(RunModel<float>(s, {1, 10, 3, 20, -1, -2, -3, -4}), (std::vector<float>{2, 15, -2, -3}));
  s.op = kMax;
  EXPECT_EQ(RunModel<float>(s, {1, 10, 3, 20, -1, -2, -3, -4}), (std::vector<float>{3, 20, -1, -2}));
}

TEST(PoolF32, InfinitiesClampToTheLargestFloat) {
  // TFLite's float activation range without an activation is
  // [lowest, max] (finite): +inf comes out as FLT_MAX (checked against
  // ai-edge-litert); -inf already loses to the max pool's start value.
  PoolSpec s;
  s.type = kF32;
  s.op = kMax;
  s.in_shape = {1, 1, 2, 1};
  s.out_shape = {1, 1, 2, 1};
  const float inf = std::numeric_limits<float>::infinity();
  const float big = std::numeric_limits<float>::max();
  EXPECT_EQ(RunModel<float>(s, {inf, -inf}), (std::vector<float>{big, -big}));
  s.op = kAvg;
  EXPECT_EQ(RunModel<float>(s, {inf, -inf}), (std::vector<float>{big, -big}));
}

TEST(Pool, RejectsInvalidModels) {
  PoolSpec base;
  base.in_shape = {1, 4, 4, 2};
  base.out_shape = {1, 2, 2, 2};
  base.filter_h = base.filter_w = 2;
  base.stride_h = base.stride_w = 2;
  ASSERT_EQ(PrepareCode(base), StatusCode::kOk);
  for (auto op : {kAvg, kMax}) {
    PoolSpec s = base;
    s.op = op;
    s.out_scale = 0.25f;  // output quantization differs from the input's
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
    s = base;
    s.op = op;
    s.out_zp = 3;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
    s = base;
    s.op = op;
    s.stride_w = 0;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s = base;
    s.op = op;
    s.filter_h = 0;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s = base;
    s.op = op;
    s.padding = 7;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s = base;
    s.op = op;
    s.out_shape = {1, 3, 3, 2};  // what SAME would give, but the model says VALID
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s = base;
    s.op = op;
    s.in_shape = {4, 4, 2};
    s.out_shape = {2, 2, 2};
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s = base;
    s.op = op;
    s.options = false;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s = base;
    s.op = op;
    s.act = tflite::ActivationFunctionType_TANH;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
    s = base;
    s.op = op;
    s.type = tflite::TensorType_INT16;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  }
}

}  // namespace
}  // namespace ops
}  // namespace mote
