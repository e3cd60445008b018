// CONCATENATION: hand-checked layouts, int8 requantization, rejections.
#include <gtest/gtest.h>

#include <vector>

#include "op_model_builder.h"
#include "ops/concatenation/concatenation.h"

namespace mote {
namespace {

using tflite::TensorType_FLOAT32;
using tflite::TensorType_INT16;
using tflite::TensorType_INT32;
using tflite::TensorType_INT8;

struct In {
  std::vector<int32_t> shape;
  float scale;
  int64_t zero_point;
};

test::OpModel Concat(tflite::TensorType type, const std::vector<In>& inputs,
                     const std::vector<int32_t>& out_shape, float out_scale, int64_t out_zp,
                     int32_t axis, int version = 1,
                     tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE) {
  test::OpModel m;
  std::vector<int32_t> ids;
  for (const In& in : inputs) ids.push_back(m.Input(in.shape, type, in.scale, in.zero_point));
  const int out = m.Output(out_shape, type, out_scale, out_zp);
  m.SetOp(tflite::BuiltinOperator_CONCATENATION, version, ids, {out},
          tflite::BuiltinOptions_ConcatenationOptions,
          [axis, act](flatbuffers::FlatBufferBuilder& b) {
            return tflite::CreateConcatenationOptions(b, axis, act).Union();
          });
  return m;
}

template <typename T>
std::vector<T> RunOp(const test::OpModel& m, const std::vector<std::vector<T>>& inputs) {
  test::OpRunner r(m);
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  if (!r.status().ok()) return {};
  for (size_t i = 0; i < inputs.size(); ++i) r.SetInput<T>(i, inputs[i]);
  EXPECT_TRUE(r.Invoke().ok());
  return r.Output<T>(0);
}

StatusCode InitCode(const test::OpModel& m) {
  test::OpRunner r(m);
  return r.status().code();
}

TEST(Concatenation, FloatMiddleAxis) {
  // [2,1,2] and [2,2,2] along axis 1 -> [2,3,2]: for each of the 2 outer
  // rows, input 0's 1x2 block then input 1's 2x2 block.
  const auto m = Concat(TensorType_FLOAT32, {{{2, 1, 2}, 0, 0}, {{2, 2, 2}, 0, 0}}, {2, 3, 2}, 0, 0,
                        1);
  EXPECT_EQ(RunOp<float>(m, {{1, 2, 3, 4}, {10, 11, 12, 13, 14, 15, 16, 17}}),
            (std::vector<float>{1, 2, 10, 11, 12, 13, 3, 4, 14, 15, 16, 17}));
}

TEST(Concatenation, NegativeAxisThreeInputsInt32) {
  // axis -1 of rank 2 is axis 1: rows [a0 | b0 | c0], [a1 | b1 | c1].
  const auto m = Concat(TensorType_INT32, {{{2, 1}, 0, 0}, {{2, 2}, 0, 0}, {{2, 1}, 0, 0}}, {2, 4},
                        0, 0, -1);
  EXPECT_EQ(RunOp<int32_t>(m, {{1, 2}, {30, 31, 40, 41}, {-5, -6}}),
            (std::vector<int32_t>{1, 30, 31, -5, 2, 40, 41, -6}));
}

TEST(Concatenation, Int8SameQuantizationIsACopy) {
  const auto m = Concat(TensorType_INT8, {{{3}, 0.5f, -128}, {{2}, 0.5f, -128}}, {5}, 0.5f, -128,
                        0, 2);
  EXPECT_EQ(RunOp<int8_t>(m, {{-128, 0, 127}, {5, -7}}),
            (std::vector<int8_t>{-128, 0, 127, 5, -7}));
}

TEST(Concatenation, Int8DifferentQuantizationIsRequantized) {
  // Input 1 (scale 0.05, zp -128) into the output (scale 0.1, zp 5), with
  // TFLite's ConcatenationWithScaling formula: scale = 0.05f * (1 / 0.1f)
  // = 0.5f, bias = 128 * 0.5 = 64, q = roundf(x * 0.5 + 64) + 5:
  // -128 -> 0 + 5 = 5; 127 -> roundf(127.5) = 128 -> 133 -> 127;
  // 0 -> 69; 1 -> roundf(64.5) = 65 -> 70. Input 0 matches the output: copied.
  const auto m = Concat(TensorType_INT8, {{{2, 3}, 0.1f, 5}, {{2, 2}, 0.05f, -128}}, {2, 5}, 0.1f,
                        5, 1, 2);
  EXPECT_EQ(RunOp<int8_t>(m, {{0, 1, 2, 3, 4, 5}, {-128, 127, 0, 1}}),
            (std::vector<int8_t>{0, 1, 2, 5, 127, 3, 4, 5, 69, 70}));
}

TEST(Concatenation, EmptyInputAndSingleInput) {
  // An input with extent 0 along the axis contributes nothing.
  const auto m = Concat(TensorType_FLOAT32, {{{0, 2}, 0, 0}, {{1, 2}, 0, 0}}, {1, 2}, 0, 0, 0);
  EXPECT_EQ(RunOp<float>(m, {{}, {3.5f, -1.0f}}), (std::vector<float>{3.5f, -1.0f}));
  const auto one = Concat(TensorType_FLOAT32, {{{2}, 0, 0}}, {2}, 0, 0, 0);
  EXPECT_EQ(RunOp<float>(one, {{1.0f, 2.0f}}), (std::vector<float>{1.0f, 2.0f}));
}

TEST(ConcatenationPrepare, Rejections) {
  // Wrong output shape.
  EXPECT_EQ(InitCode(Concat(TensorType_FLOAT32, {{{2, 2}, 0, 0}, {{2, 1}, 0, 0}}, {2, 4}, 0, 0, 1)),
            StatusCode::kInvalidModel);
  // Non-axis dims differ.
  EXPECT_EQ(InitCode(Concat(TensorType_FLOAT32, {{{2, 2}, 0, 0}, {{3, 1}, 0, 0}}, {2, 3}, 0, 0, 1)),
            StatusCode::kInvalidModel);
  // Ranks differ.
  EXPECT_EQ(InitCode(Concat(TensorType_FLOAT32, {{{2, 2}, 0, 0}, {{4}, 0, 0}}, {2, 4}, 0, 0, 1)),
            StatusCode::kInvalidModel);
  // Axis out of range, both ways.
  EXPECT_EQ(InitCode(Concat(TensorType_FLOAT32, {{{2}, 0, 0}, {{2}, 0, 0}}, {4}, 0, 0, 1)),
            StatusCode::kInvalidModel);
  EXPECT_EQ(InitCode(Concat(TensorType_FLOAT32, {{{2}, 0, 0}, {{2}, 0, 0}}, {4}, 0, 0, -2)),
            StatusCode::kInvalidModel);
  // A fused activation (TFLite refuses any).
  EXPECT_EQ(InitCode(Concat(TensorType_FLOAT32, {{{2}, 0, 0}, {{2}, 0, 0}}, {4}, 0, 0, 0, 1,
                            tflite::ActivationFunctionType_RELU)),
            StatusCode::kInvalidModel);
  // int16 (version 3) and int8 without quantization.
  EXPECT_EQ(InitCode(Concat(TensorType_INT16, {{{2}, 0.5f, 0}, {{2}, 0.5f, 0}}, {4}, 0.5f, 0, 0, 3)),
            StatusCode::kUnsupported);
  EXPECT_EQ(InitCode(Concat(TensorType_INT8, {{{2}, 0.5f, 0}, {{2}, 0, 0}}, {4}, 0.5f, 0, 0, 2)),
            StatusCode::kUnsupported);
}

}  // namespace
}  // namespace mote
