// MEAN: hand-derived requantization, rounding and axis handling, through
// the interpreter, and the prepare checks.
#include "ops/mean/mean.h"

#include <gtest/gtest.h>

#include <vector>

#include "op_model_builder.h"

namespace mote {
namespace ops {
namespace {

constexpr auto kI8 = tflite::TensorType_INT8;
constexpr auto kF32 = tflite::TensorType_FLOAT32;

TEST(MeanQuantParams, HandDerived) {
  int32_t m = 0;
  int32_t s = 0;
  // Equal scales: QuantizeMultiplier(1.0) = (2^30, 1).
  MeanQuantParams(0.1, 0.1, 1, &m, &s);  // k = 0
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  MeanQuantParams(0.1, 0.1, 4, &m, &s);  // k = 2: (2^30 << 2) / 4 = 2^30, 1 - 2
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, -1);
  MeanQuantParams(0.1, 0.1, 3, &m, &s);  // k = 1: 2^31 / 3 = 715827882.67 -> 715827882
  EXPECT_EQ(m, 715827882);
  EXPECT_EQ(s, 0);
  // Ratio 2: (2^30, 2); n = 2: k = 1 -> 2^30, shift 1.
  MeanQuantParams(0.5, 0.25, 2, &m, &s);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(s, 1);
  // Ratio 2^-30: (2^30, -29); n = 16: k = min(4, 31 - 29) = 2 -> 2^32 / 16 = 2^28, -31.
  MeanQuantParams(1.0 / (1 << 30), 1.0, 16, &m, &s);
  EXPECT_EQ(m, 1 << 28);
  EXPECT_EQ(s, -31);
}

struct MeanSpec {
  std::vector<int32_t> in_shape;
  std::vector<int32_t> axes;
  bool keep_dims = false;
  std::vector<int32_t> out_shape;
  tflite::TensorType type = kI8;
  float in_scale = 0.5f;
  int64_t in_zp = 0;
  float out_scale = 0.5f;
  int64_t out_zp = 0;
  bool axis_const = true;
  tflite::TensorType axis_type = tflite::TensorType_INT32;
};

test::OpModel MeanModel(const MeanSpec& s) {
  test::OpModel m;
  const bool s8 = s.type == kI8;
  const int x = m.Input(s.in_shape, s.type, s8 ? s.in_scale : 0, s.in_zp);
  const int32_t n = static_cast<int32_t>(s.axes.size());
  int a;
  if (!s.axis_const) {
    a = m.Input({n}, tflite::TensorType_INT32);
  } else if (s.axis_type == tflite::TensorType_INT64) {
    a = m.Const<int64_t>({n}, s.axis_type, std::vector<int64_t>(s.axes.begin(), s.axes.end()));
  } else {
    a = m.Const<int32_t>({n}, s.axis_type, s.axes);
  }
  const int y = m.Output(s.out_shape, s.type, s8 ? s.out_scale : 0, s.out_zp);
  const bool keep = s.keep_dims;
  m.SetOp(tflite::BuiltinOperator_MEAN, s8 ? 2 : 1, {x, a}, {y}, tflite::BuiltinOptions_ReducerOptions,
          [keep](flatbuffers::FlatBufferBuilder& b) { return tflite::CreateReducerOptions(b, keep).Union(); });
  return m;
}

template <typename T>
std::vector<T> RunModel(const MeanSpec& s, const std::vector<T>& input) {
  test::OpRunner r(MeanModel(s));
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  if (!r.status().ok()) return {};
  r.SetInput<T>(0, input);
  EXPECT_TRUE(r.Invoke().ok());
  return r.Output<T>(0);
}

StatusCode PrepareCode(const MeanSpec& s) { return test::OpRunner(MeanModel(s)).status().code(); }

TEST(MeanS8, SpatialMeanKeepDims) {
  // [1, 2, 2, 2] over H, W (n = 4), equal quantization: multiplier (2^30,
  // -1). Channel 0 holds 1, 2, 3, 5 (sum 11): SRDHM(11, 2^30) = 5.5 -> 6,
  // then 6 / 2 -> 3 (2.75). Channel 1 holds -1, -2, -3, -5 (sum -11):
  // SRDHM gives (-12 * 2^30 + 1) / 2^31 -> -5, then -5 / 2 = -2.5 -> -3.
  MeanSpec s;
  s.in_shape = {1, 2, 2, 2};
  s.axes = {1, 2};
  s.keep_dims = true;
  s.out_shape = {1, 1, 1, 2};
  EXPECT_EQ(RunModel<int8_t>(s, {1, -1, 2, -2, 3, -3, 5, -5}), (std::vector<int8_t>{3, -3}));
  // The axes in the other order and keep_dims false.
  s.axes = {2, 1};
  s.keep_dims = false;
  s.out_shape = {1, 2};
  EXPECT_EQ(RunModel<int8_t>(s, {1, -1, 2, -2, 3, -3, 5, -5}), (std::vector<int8_t>{3, -3}));
}

TEST(MeanS8, TiesFollowTheFixedPointMultiplier) {
  // n = 2: multiplier (2^30, 0), i.e. one SaturatingRoundingDoublingHighMul,
  // whose nudge rounds positive ties up and negative ties up too:
  // 1.5 -> 2, -1.5 -> -1, 2.5 -> 3, -2.5 -> -2 (as TFLite's reference does).
  MeanSpec s;
  s.in_shape = {4, 2};
  s.axes = {1};
  s.out_shape = {4};
  EXPECT_EQ(RunModel<int8_t>(s, {1, 2, -1, -2, 2, 3, -2, -3}), (std::vector<int8_t>{2, -1, 3, -2}));
}

TEST(MeanS8, ZeroPointsAndScales) {
  // Input scale 0.5, zero point 5; output scale 0.25, zero point -7:
  // multiplier (2^30, 1) for n = 2. [8, 9]: 17 - 2 * 5 = 7, times 2 / 2 = 7,
  // + (-7) = 0 (real: 1.5 and 2 average to 1.75 = 7 * 0.25).
  MeanSpec s;
  s.in_shape = {1, 2};
  s.axes = {1};
  s.out_shape = {1};
  s.in_zp = 5;
  s.out_scale = 0.25f;
  s.out_zp = -7;
  EXPECT_EQ(RunModel<int8_t>(s, {8, 9}), (std::vector<int8_t>{0}));
  // Extreme zero points: input -128, output 127: [-128, -126] are the reals
  // 0 and 1, average 0.5 = 2 output steps: sum -254 + 2 * 128 = 2 -> 2,
  // + 127 = 129 -> clamps to 127; with output zero point -128: -126.
  s.in_zp = -128;
  s.out_zp = 127;
  EXPECT_EQ(RunModel<int8_t>(s, {-128, -126}), (std::vector<int8_t>{127}));
  s.out_zp = -128;
  EXPECT_EQ(RunModel<int8_t>(s, {-128, -126}), (std::vector<int8_t>{-126}));
}

TEST(MeanS8, Saturates) {
  // Input scale 0.5, output 0.001: ratio 500 = 0.9765625 * 2^9 ->
  // (2097152000, 9), n = 2 -> (2097152000, 8). [100, 100]: 200 * 2^8 *
  // 0.9765625 = 50000 -> 127; negated -> -128.
  MeanSpec s;
  s.in_shape = {2, 2};
  s.axes = {-1};
  s.out_shape = {2};
  s.out_scale = 0.001f;
  EXPECT_EQ(RunModel<int8_t>(s, {100, 100, -100, -100}), (std::vector<int8_t>{127, -128}));
}

TEST(MeanF32, AxesNegativeAndDuplicate) {
  // x[i][j][k] = 12 i + 4 j + k on [2, 3, 4]; axes {-1, 0, 2} reduce dims 0
  // and 2 (n = 8): mean = 6 + 4 j + 1.5 = 7.5, 11.5, 15.5.
  std::vector<float> in(24);
  for (int i = 0; i < 24; ++i) in[static_cast<size_t>(i)] = static_cast<float>(i);
  MeanSpec s;
  s.type = kF32;
  s.in_shape = {2, 3, 4};
  s.axes = {-1, 0, 2};
  s.out_shape = {3};
  EXPECT_EQ(RunModel<float>(s, in), (std::vector<float>{7.5f, 11.5f, 15.5f}));
  s.keep_dims = true;
  s.out_shape = {1, 3, 1};
  EXPECT_EQ(RunModel<float>(s, in), (std::vector<float>{7.5f, 11.5f, 15.5f}));
  // Over dim 1 only: x[i][.][k] averages to 12 i + 4 + k.
  s.axes = {1};
  s.keep_dims = false;
  s.out_shape = {2, 4};
  EXPECT_EQ(RunModel<float>(s, in), (std::vector<float>{4, 5, 6, 7, 16, 17, 18, 19}));
  // Everything (rank 3 -> scalar): 11.5.
  s.axes = {0, 1, 2};
  s.out_shape = {};
  EXPECT_EQ(RunModel<float>(s, in), (std::vector<float>{11.5f}));
}

TEST(MeanS8, Rank5) {
  // [1, 2, 1, 2, 2] over axes 1 and 3 (n = 4), equal quantization: per last
  // index c the values are {c+1, c+3, c+5, c+7} -> c + 4.
  MeanSpec s;
  s.in_shape = {1, 2, 1, 2, 2};
  s.axes = {1, 3};
  s.out_shape = {1, 1, 2};
  EXPECT_EQ(RunModel<int8_t>(s, {1, 2, 3, 4, 5, 6, 7, 8}), (std::vector<int8_t>{4, 5}));
}

TEST(Mean, RejectsInvalidModels) {
  MeanSpec base;
  base.in_shape = {2, 3, 4};
  base.axes = {1};
  base.out_shape = {2, 4};
  ASSERT_EQ(PrepareCode(base), StatusCode::kOk);
  MeanSpec s = base;
  s.axes = {3};  // out of range
  EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  s.axes = {-4};
  EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  s = base;
  s.out_shape = {2, 1, 4};  // that would be keep_dims
  EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  s = base;
  s.axis_const = false;  // axes computed at run time
  EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  s = base;
  s.axis_type = tflite::TensorType_INT64;
  EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  s = base;
  s.type = tflite::TensorType_INT16;
  EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace ops
}  // namespace mote
