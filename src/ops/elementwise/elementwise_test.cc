// ADD, SUB, MUL: hand-checked arithmetic and prepare rejections.
//
// The int8 cases use scales whose multipliers are exact powers of two, so
// every step of TFLite's fixed-point pipeline can be followed by hand
// (derivations in the comments).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "op_model_builder.h"
#include "ops/elementwise/elementwise.h"

namespace mote {
namespace {

using tflite::BuiltinOperator;
using tflite::TensorType_FLOAT32;
using tflite::TensorType_INT16;
using tflite::TensorType_INT32;
using tflite::TensorType_INT8;

constexpr int8_t kNone = tflite::ActivationFunctionType_NONE;
constexpr int8_t kRelu = tflite::ActivationFunctionType_RELU;
constexpr int8_t kReluN1To1 = tflite::ActivationFunctionType_RELU_N1_TO_1;
constexpr int8_t kRelu6 = tflite::ActivationFunctionType_RELU6;

struct Quant {
  float scale;
  int64_t zero_point;
};

// One binary op with inputs of shapes a and b and an output of shape o.
// Quantized (int8) when the Quant scales are > 0.
test::OpModel Binary(BuiltinOperator op, int version, tflite::TensorType type,
                     const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                     const std::vector<int32_t>& o, Quant qa, Quant qb, Quant qo,
                     int8_t activation) {
  test::OpModel m;
  const int x = m.Input(a, type, qa.scale, qa.zero_point);
  const int y = m.Input(b, type, qb.scale, qb.zero_point);
  const int z = m.Output(o, type, qo.scale, qo.zero_point);
  switch (op) {
    case tflite::BuiltinOperator_ADD:
      m.SetOp(op, version, {x, y}, {z}, tflite::BuiltinOptions_AddOptions,
              [activation](flatbuffers::FlatBufferBuilder& fb) {
                return tflite::CreateAddOptions(
                           fb, static_cast<tflite::ActivationFunctionType>(activation))
                    .Union();
              });
      break;
    case tflite::BuiltinOperator_SUB:
      m.SetOp(op, version, {x, y}, {z}, tflite::BuiltinOptions_SubOptions,
              [activation](flatbuffers::FlatBufferBuilder& fb) {
                return tflite::CreateSubOptions(
                           fb, static_cast<tflite::ActivationFunctionType>(activation))
                    .Union();
              });
      break;
    default:
      m.SetOp(op, version, {x, y}, {z}, tflite::BuiltinOptions_MulOptions,
              [activation](flatbuffers::FlatBufferBuilder& fb) {
                return tflite::CreateMulOptions(
                           fb, static_cast<tflite::ActivationFunctionType>(activation))
                    .Union();
              });
      break;
  }
  return m;
}

template <typename T>
std::vector<T> RunOp(const test::OpModel& m, const std::vector<T>& a, const std::vector<T>& b) {
  test::OpRunner r(m);
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  if (!r.status().ok()) return {};
  r.SetInput<T>(0, a);
  r.SetInput<T>(1, b);
  EXPECT_TRUE(r.Invoke().ok());
  return r.Output<T>(0);
}

StatusCode InitCode(const test::OpModel& m) {
  test::OpRunner r(m);
  return r.status().code();
}

// ---- Broadcast shapes ------------------------------------------------------

TEST(Broadcast, ChannelVectorAgainstImage) {
  ops::BroadcastShape s;
  int32_t out[kMaxRank];
  int rank = 0;
  const int32_t a[] = {1, 4, 4, 3}, b[] = {1, 1, 1, 3};
  ASSERT_TRUE(ops::MakeBroadcastShape(a, 4, b, 4, &s, out, &rank));
  EXPECT_EQ(rank, 4);
  EXPECT_EQ(std::vector<int32_t>(out, out + 4), (std::vector<int32_t>{1, 4, 4, 3}));
  EXPECT_TRUE(s.broadcast);
  EXPECT_EQ(s.size, 48);
  // Padded to 6 dims: [1,1,1,4,4,3]. Input 1 is contiguous (extent-1 dims
  // get stride 0); input 2 moves only along the last dim.
  EXPECT_EQ(std::vector<int32_t>(s.in1_strides, s.in1_strides + 6),
            (std::vector<int32_t>{0, 0, 0, 12, 3, 1}));
  EXPECT_EQ(std::vector<int32_t>(s.in2_strides, s.in2_strides + 6),
            (std::vector<int32_t>{0, 0, 0, 0, 0, 1}));
}

TEST(Broadcast, RanksDifferAndScalars) {
  ops::BroadcastShape s;
  int32_t out[kMaxRank];
  int rank = 0;
  const int32_t a[] = {2, 3}, b[] = {3}, c[] = {4};
  ASSERT_TRUE(ops::MakeBroadcastShape(a, 2, b, 1, &s, out, &rank));
  EXPECT_EQ(rank, 2);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], 3);
  ASSERT_TRUE(ops::MakeBroadcastShape(nullptr, 0, a, 2, &s, out, &rank));  // scalar + [2,3]
  EXPECT_EQ(rank, 2);
  EXPECT_EQ(s.size, 6);
  EXPECT_EQ(std::vector<int32_t>(s.in1_strides, s.in1_strides + 6),
            (std::vector<int32_t>{0, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(ops::MakeBroadcastShape(a, 2, a, 2, &s, out, &rank));
  EXPECT_FALSE(s.broadcast);
  EXPECT_FALSE(ops::MakeBroadcastShape(a, 2, c, 1, &s, out, &rank));  // 3 vs 4
  const int32_t seven[] = {1, 1, 1, 1, 1, 1, 2};
  EXPECT_FALSE(ops::MakeBroadcastShape(seven, 7, b, 1, &s, out, &rank));
}

// ---- int8 ADD / SUB --------------------------------------------------------
//
// s1 = s2 = 0.5, so = 1: twice_max = 1, input multipliers 0.5 -> (2^30,
// shift 0), output multiplier 1 / 2^20 -> (2^30, shift -19). For a value
// v = x - zp: (v << 20) * 2^30 / 2^31 = v * 2^19 exactly, the sum
// (v1 + v2) * 2^19 times 2^30 / 2^31 is (v1 + v2) * 2^18, and the final
// rounding shift by 19 gives round((v1 + v2) / 2), ties away from zero.
// That is the real sum (0.5 v1 + 0.5 v2) / 1.

TEST(AddS8, HalvesRoundAwayFromZero) {
  const auto m = Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {6}, {6}, {6},
                        {0.5f, 0}, {0.5f, 0}, {1.0f, 0}, kNone);
  // (3+0)/2 = 1.5 -> 2; -1.5 -> -2; (1+2)/2 -> 2; (127+127)/2 = 127;
  // (-128-128)/2 = -128; (100-100)/2 = 0.
  EXPECT_EQ(RunOp<int8_t>(m, {3, -3, 1, 127, -128, 100}, {0, 0, 2, 127, -128, -100}),
            (std::vector<int8_t>{2, -2, 2, 127, -128, 0}));
}

TEST(AddS8, ExtremeZeroPointsAndSaturation) {
  // zp1 = -128, zp2 = 127, zpo = -128: out = round((a+128 + b-127) / 2) - 128.
  const auto m = Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {4}, {4}, {4},
                        {0.5f, -128}, {0.5f, 127}, {1.0f, -128}, kNone);
  // (0+0)/2 -> -128; (255+0)/2 = 127.5 -> 128 -> 0; (255-255)/2 -> -128;
  // (128-127)/2 = 0.5 -> 1 -> -127.
  EXPECT_EQ(RunOp<int8_t>(m, {-128, 127, 127, 0}, {127, 127, -128, 0}),
            (std::vector<int8_t>{-128, 0, -128, -127}));
  // zpo = 127: everything non-negative saturates at 127.
  const auto m2 = Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {3}, {3}, {3},
                         {0.5f, 0}, {0.5f, 0}, {1.0f, 127}, kNone);
  // 0 + 127 = 127; -10 + 127 = 117; 1 + 127 = 128 -> 127.
  EXPECT_EQ(RunOp<int8_t>(m2, {0, -20, 2}, {0, 0, 0}), (std::vector<int8_t>{127, 117, 127}));
}

TEST(AddS8, FusedActivations) {
  // out = round((a + b) / 2) + 10. RELU: [10 + round(0/1), 127] = [10, 127];
  // RELU6: [10, 10 + 6]; RELU_N1_TO_1: [10 - 1, 10 + 1].
  const std::vector<int8_t> a = {-20, 30, 2, -4};
  const std::vector<int8_t> b = {0, 0, 0, 0};
  // Unclamped: -10 + 10 = 0, 15 + 10 = 25, 1 + 10 = 11, -2 + 10 = 8.
  EXPECT_EQ(RunOp<int8_t>(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {4}, {4}, {4},
                               {0.5f, 0}, {0.5f, 0}, {1.0f, 10}, kNone),
                        a, b),
            (std::vector<int8_t>{0, 25, 11, 8}));
  EXPECT_EQ(RunOp<int8_t>(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {4}, {4}, {4},
                               {0.5f, 0}, {0.5f, 0}, {1.0f, 10}, kRelu),
                        a, b),
            (std::vector<int8_t>{10, 25, 11, 10}));
  EXPECT_EQ(RunOp<int8_t>(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {4}, {4}, {4},
                               {0.5f, 0}, {0.5f, 0}, {1.0f, 10}, kRelu6),
                        a, b),
            (std::vector<int8_t>{10, 16, 11, 10}));
  EXPECT_EQ(RunOp<int8_t>(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {4}, {4}, {4},
                               {0.5f, 0}, {0.5f, 0}, {1.0f, 10}, kReluN1To1),
                        a, b),
            (std::vector<int8_t>{9, 11, 11, 9}));
}

TEST(AddS8, BroadcastsChannelVector) {
  // [1,2,2,3] + [1,1,1,3]: the same 3 values are added at each of the 4
  // pixels. Same scales as above: out = round((a + b) / 2).
  const auto m = Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {1, 2, 2, 3},
                        {1, 1, 1, 3}, {1, 2, 2, 3}, {0.5f, 0}, {0.5f, 0}, {1.0f, 0}, kNone);
  const std::vector<int8_t> a = {0, 0, 0, 2, 2, 2, 4, 4, 4, -6, -6, -6};
  EXPECT_EQ(RunOp<int8_t>(m, a, {2, 10, -20}),
            (std::vector<int8_t>{1, 5, -10, 2, 6, -9, 3, 7, -8, -2, 2, -13}));
}

TEST(AddS8, UnequalScales) {
  // s1 = 0.25, s2 = 1, so = 0.5: twice_max = 2, input multipliers 1/8 and
  // 1/2 -> (2^30, -2) and (2^30, 0); output 2 / (2^20 * 0.5) = 2^-18 ->
  // (2^30, -17). v1 << 20 -> v1 * 2^19 -> /4 = v1 * 2^17 (exact for these
  // values); v2 -> v2 * 2^19; sum * 2^30/2^31 then / 2^17 = (v1/4 + v2) * 2
  // = real sum / 0.5. a = 4, b = 1: (1 + 1) * 2 = 4; a = -8, b = 3: (-2 + 3)
  // * 2 = 2; a = 2, b = 0: 0.5 * 2 = 1; a = 1, b = 0: 0.25 * 2 = 0.5 -> 1.
  const auto m = Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {4}, {4}, {4},
                        {0.25f, 0}, {1.0f, 0}, {0.5f, 0}, kNone);
  EXPECT_EQ(RunOp<int8_t>(m, {4, -8, 2, 1}, {1, 3, 0, 0}), (std::vector<int8_t>{4, 2, 1, 1}));
}

TEST(SubS8, HalvesAndZeroPoints) {
  // Same pipeline as ADD with the difference: out = round((v1 - v2) / 2) + zpo.
  const auto m = Binary(tflite::BuiltinOperator_SUB, 2, TensorType_INT8, {5}, {5}, {5},
                        {0.5f, -128}, {0.5f, 127}, {1.0f, 0}, kNone);
  // v1 = a + 128, v2 = b - 127. (0 - 0)/2 = 0; (255 - 0)/2 = 127.5 -> 128
  // -> 127; (0 - (-255))/2 = 127.5 -> 128 -> 127; (3 - 0)/2 = 1.5 -> 2;
  // (1 - 0)/2 = 0.5 -> 1.
  EXPECT_EQ(RunOp<int8_t>(m, {-128, 127, -128, -125, -127}, {127, 127, -128, 127, 127}),
            (std::vector<int8_t>{0, 127, 127, 2, 1}));
  const auto m2 = Binary(tflite::BuiltinOperator_SUB, 2, TensorType_INT8, {2}, {2}, {2},
                         {0.5f, 0}, {0.5f, 0}, {1.0f, 0}, kRelu);
  // (0 - 3)/2 = -1.5 -> -2 -> RELU 0; (5 - 0)/2 = 2.5 -> 3.
  EXPECT_EQ(RunOp<int8_t>(m2, {0, 5}, {3, 0}), (std::vector<int8_t>{0, 3}));
}

TEST(SubS8, BroadcastsScalarFirst) {
  // [] - [2,2]: input 1 is a scalar. out = round((a - b) / 2).
  const auto m = Binary(tflite::BuiltinOperator_SUB, 2, TensorType_INT8, {}, {2, 2}, {2, 2},
                        {0.5f, 0}, {0.5f, 0}, {1.0f, 0}, kNone);
  // (10-0)/2 = 5; (10-4)/2 = 3; (10-13)/2 = -1.5 -> -2; (10+10)/2 = 10.
  EXPECT_EQ(RunOp<int8_t>(m, {10}, {0, 4, 13, -10}), (std::vector<int8_t>{5, 3, -2, 10}));
}

// ---- int8 MUL ---------------------------------------------------------------

TEST(MulS8, ExactMultiplierAndExtremeZeroPoints) {
  // s1 = 0.5, s2 = 0.25, so = 0.125: s1 * s2 / so = 1 (float) ->
  // QuantizeMultiplier(1) = (2^30, shift 1): p << 1, then * 2^30 / 2^31 = p.
  // out = (a + 128) * (b - 127) + 0, clamped.
  const auto m = Binary(tflite::BuiltinOperator_MUL, 3, TensorType_INT8, {6}, {6}, {6},
                        {0.5f, -128}, {0.25f, 127}, {0.125f, 0}, kNone);
  // (2)(-3) = -6; (0)(x) = 0; (255)(0) = 0; (10)(-255) -> -128; (1)(-1) = -1;
  // (3)(-40) = -120.
  EXPECT_EQ(RunOp<int8_t>(m, {-126, -128, 127, -118, -127, -125}, {124, -128, 127, -128, 126, 87}),
            (std::vector<int8_t>{-6, 0, 0, -128, -1, -120}));
}

TEST(MulS8, DoubleRoundingAsTfLite) {
  // s1 = s2 = 1, so = 4: multiplier 0.25 -> (2^30, shift -1). TFLite rounds
  // twice: SaturatingRoundingDoublingHighMul(p, 2^30) = round(p / 2) (ties
  // up), then RoundingDivideByPOT(., 1) (ties away from zero):
  //   p = 1: 1 -> 1   (the real 0.25 would round to 0)
  //   p = 2: (2^31 + 2^30) / 2^31 = 1 -> 1
  //   p = 3: 2 -> 1;  p = 5: 3 -> 2 (real 1.25);  p = 6: 3 -> 2
  //   p = -1: (-2^30 + 1 - 2^30) / 2^31 truncates to 0 -> 0
  //   p = -3: -1 -> -1;  p = -6: -3 -> -2
  const auto m = Binary(tflite::BuiltinOperator_MUL, 2, TensorType_INT8, {8}, {8}, {8},
                        {1.0f, 0}, {1.0f, 0}, {4.0f, 0}, kNone);
  EXPECT_EQ(RunOp<int8_t>(m, {1, 2, 3, 5, 6, -1, -3, -6}, {1, 1, 1, 1, 1, 1, 1, 1}),
            (std::vector<int8_t>{1, 1, 1, 2, 2, 0, -1, -2}));
}

TEST(MulS8, Relu6AndBroadcast) {
  // [2,3] * [3], multiplier 1 as above (zero points 0), output zp -10:
  // RELU6 range [-10, -10 + round(6 / 0.125) = 38].
  const auto m = Binary(tflite::BuiltinOperator_MUL, 3, TensorType_INT8, {2, 3}, {3}, {2, 3},
                        {0.5f, 0}, {0.25f, 0}, {0.125f, -10}, kRelu6);
  // Row 0 * {1, -2, 7}: {1, -2, 7}*... a = {5, 5, 5}: 5, -10, 35 -> -5, -20
  // -> -10, 25. Row 1 a = {-3, 6, 9}: -3, -12, 63 -> -13 -> -10, -22 -> -10,
  // 53 -> 38.
  EXPECT_EQ(RunOp<int8_t>(m, {5, 5, 5, -3, 6, 9}, {1, -2, 7}),
            (std::vector<int8_t>{-5, -10, 25, -10, -10, 38}));
}

// ---- float32 and int32 -------------------------------------------------------

TEST(AddF32, BroadcastAndClampToFiniteRange) {
  const auto m = Binary(tflite::BuiltinOperator_ADD, 1, TensorType_FLOAT32, {2, 2}, {2}, {2, 2},
                        {0, 0}, {0, 0}, {0, 0}, kNone);
  const float big = 3e38f;
  const float inf = std::numeric_limits<float>::infinity();
  // TFLite clamps to [lowest, max] even without an activation: an
  // overflowing sum becomes FLT_MAX, not inf. Rows {1.5, -2}, {-inf, big}
  // plus {0.25, big}: 1.75; big (the 2 is absorbed); -inf -> lowest;
  // big + big = inf -> max.
  const auto out = RunOp<float>(m, {1.5f, -2.0f, -inf, big}, {0.25f, big});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], 1.75f);
  EXPECT_EQ(out[1], big);
  EXPECT_EQ(out[2], std::numeric_limits<float>::lowest());
  EXPECT_EQ(out[3], std::numeric_limits<float>::max());
}

TEST(ArithmeticF32, SubMulWithActivations) {
  EXPECT_EQ(RunOp<float>(Binary(tflite::BuiltinOperator_SUB, 1, TensorType_FLOAT32, {3}, {3}, {3},
                              {0, 0}, {0, 0}, {0, 0}, kRelu6),
                       {1.0f, 10.0f, 2.0f}, {3.0f, 1.0f, 0.5f}),
            (std::vector<float>{0.0f, 6.0f, 1.5f}));
  EXPECT_EQ(RunOp<float>(Binary(tflite::BuiltinOperator_MUL, 1, TensorType_FLOAT32, {3}, {}, {3},
                              {0, 0}, {0, 0}, {0, 0}, kReluN1To1),
                       {0.25f, 3.0f, -3.0f}, {2.0f}),
            (std::vector<float>{0.5f, 1.0f, -1.0f}));
}

TEST(ArithmeticS32, WrapsAndClamps) {
  const int32_t max = std::numeric_limits<int32_t>::max();
  const int32_t min = std::numeric_limits<int32_t>::min();
  // Two's complement wrap-around, as TFLite's int32 kernels.
  EXPECT_EQ(RunOp<int32_t>(Binary(tflite::BuiltinOperator_ADD, 1, TensorType_INT32, {2}, {}, {2},
                                {0, 0}, {0, 0}, {0, 0}, kNone),
                         {max, 5}, {1}),
            (std::vector<int32_t>{min, 6}));
  EXPECT_EQ(RunOp<int32_t>(Binary(tflite::BuiltinOperator_ADD, 1, TensorType_INT32, {2}, {}, {2},
                                {0, 0}, {0, 0}, {0, 0}, kRelu),
                         {max, 5}, {1}),
            (std::vector<int32_t>{0, 6}));
  EXPECT_EQ(RunOp<int32_t>(Binary(tflite::BuiltinOperator_MUL, 1, TensorType_INT32, {3}, {3}, {3},
                                {0, 0}, {0, 0}, {0, 0}, kRelu6),
                         {2, -4, 1 << 16}, {3, 5, 1 << 16}),
            (std::vector<int32_t>{6, 0, 0}));  // 6; -20 -> 0; 2^32 wraps to 0
  EXPECT_EQ(RunOp<int32_t>(Binary(tflite::BuiltinOperator_SUB, 1, TensorType_INT32, {1}, {1}, {1},
                                {0, 0}, {0, 0}, {0, 0}, kNone),
                         {min}, {1}),
            (std::vector<int32_t>{max}));
}

// ---- Prepare rejections -------------------------------------------------------

TEST(ArithmeticPrepare, RejectsInvalidModels) {
  const Quant q{0.5f, 0};
  // Output shape other than the broadcast shape.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {1, 4, 4, 3},
                            {1, 1, 1, 3}, {1, 4, 4, 1}, q, q, q, kNone)),
            StatusCode::kInvalidModel);
  // Shapes that do not broadcast.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_MUL, 2, TensorType_INT8, {2, 3}, {4}, {2, 3},
                            q, q, q, kNone)),
            StatusCode::kInvalidModel);
  // Mixed types.
  {
    test::OpModel m;
    const int x = m.Input({2}, TensorType_INT8, 0.5f, 0);
    const int y = m.Input({2}, TensorType_FLOAT32);
    const int z = m.Output({2}, TensorType_INT8, 0.5f, 0);
    m.SetOp(tflite::BuiltinOperator_ADD, 2, {x, y}, {z});
    EXPECT_EQ(InitCode(m), StatusCode::kInvalidModel);
  }
}

TEST(ArithmeticPrepare, RejectsUnsupportedModels) {
  const Quant q{0.5f, 0};
  // TANH is not a fused activation these ops take.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {2}, {2}, {2}, q, q,
                            q, tflite::ActivationFunctionType_TANH)),
            StatusCode::kUnsupported);
  // int16 activations are a later issue.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_ADD, 3, TensorType_INT16, {2}, {2}, {2},
                            {0.5f, 0}, {0.5f, 0}, {0.5f, 0}, kNone)),
            StatusCode::kUnsupported);
  // An output range 2^20 times narrower than the inputs': TFLite aborts.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_ADD, 2, TensorType_INT8, {2}, {2}, {2}, q, q,
                            {1e-7f, 0}, kNone)),
            StatusCode::kUnsupported);
  // int8 without quantization.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_MUL, 2, TensorType_INT8, {2}, {2}, {2}, q,
                            {0.0f, 0}, q, kNone)),
            StatusCode::kUnsupported);
  // Per-channel quantized input.
  {
    test::OpModel m;
    const int x = m.Const<int8_t>({2}, TensorType_INT8, {1, 2}, {0.5f, 0.25f}, {0, 0}, 0);
    const int y = m.Input({2}, TensorType_INT8, 0.5f, 0);
    const int z = m.Output({2}, TensorType_INT8, 0.5f, 0);
    m.SetOp(tflite::BuiltinOperator_ADD, 2, {x, y}, {z});
    EXPECT_EQ(InitCode(m), StatusCode::kUnsupported);
  }
  // Seven dims (refused when the model is read).
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_SUB, 3, TensorType_FLOAT32,
                            {1, 1, 1, 1, 1, 1, 2}, {2}, {1, 1, 1, 1, 1, 1, 2}, {0, 0}, {0, 0},
                            {0, 0}, kNone)),
            StatusCode::kUnsupported);
  // Version 3 ADD is int16.
  EXPECT_EQ(InitCode(Binary(tflite::BuiltinOperator_ADD, 3, TensorType_INT8, {2}, {2}, {2}, q, q,
                            q, kNone)),
            StatusCode::kUnsupported);
}

}  // namespace
}  // namespace mote
