// RELU, RELU6, LOGISTIC, TANH: hand-checked values and prepare rejections.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "op_model_builder.h"
#include "ops/activations/activations.h"

namespace mote {
namespace {

using tflite::TensorType_FLOAT32;
using tflite::TensorType_INT16;
using tflite::TensorType_INT8;

test::OpModel Unary(tflite::BuiltinOperator op, int version, tflite::TensorType type,
                    float in_scale, int64_t in_zp, float out_scale, int64_t out_zp, int32_t n,
                    int out_type = -1, int32_t out_n = -1) {
  test::OpModel m;
  const int in = m.Input({n}, type, in_scale, in_zp);
  const int out = m.Output({out_n < 0 ? n : out_n},
                           out_type < 0 ? type : static_cast<tflite::TensorType>(out_type),
                           out_scale, out_zp);
  m.SetOp(op, version, {in}, {out});
  return m;
}

template <typename T>
std::vector<T> RunOp(const test::OpModel& m, const std::vector<T>& x) {
  test::OpRunner r(m);
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  if (!r.status().ok()) return {};
  r.SetInput<T>(0, x);
  EXPECT_TRUE(r.Invoke().ok());
  return r.Output<T>(0);
}

StatusCode InitCode(const test::OpModel& m) {
  test::OpRunner r(m);
  return r.status().code();
}

// ---- int8 RELU / RELU6: requantized, as TensorFlow Lite (not TFLM) --------
//
// in scale 0.5 zp 0 -> out scale 0.25 zp -128: multiplier 2 = (2^30,
// shift 2), which maps x - 0 to exactly 2x; out = -128 + 2x, clamped to
// [max(-128, -128 + round(0 / 0.25)), ...] = [-128, 127] for RELU and
// [-128, -128 + round(6 / 0.25)] = [-128, -104] for RELU6.

TEST(ReluS8, RequantizesToTheOutputScale) {
  // -5 -> -138 -> -128; 0 -> -128; 10 -> -108; 100 -> 72; 127 -> 126.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_RELU, 2, TensorType_INT8, 0.5f, 0, 0.25f,
                                -128, 5),
                          {-5, 0, 10, 100, 127}),
            (std::vector<int8_t>{-128, -128, -108, 72, 126}));
}

TEST(Relu6S8, ClampsToTheQuantizedSix) {
  // 10 -> -108; 12 -> -104 (= 6.0); 13 -> -102 -> -104; -1 -> -130 -> -128.
  // TFLM would clamp in the input's quantization and leave the scale alone.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_RELU6, 2, TensorType_INT8, 0.5f, 0, 0.25f,
                                -128, 5),
                          {10, 12, 13, -1, 127}),
            (std::vector<int8_t>{-108, -104, -104, -128, -104}));
}

TEST(ReluS8, ExtremeZeroPointsAndRounding) {
  // in scale 1 zp -128 -> out scale 2 zp 5: multiplier 0.5 = (2^30, 0), so
  // out = 5 + (v 2^30 + 2^30) / 2^31 (truncated) for v = x + 128 >= 0,
  // clamped to [5, 127]: v = 0 -> 5; 1 -> 6 (0.5 -> 1); 3 -> 7 (1.5 -> 2);
  // 255 -> 128 -> 133 -> 127.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_RELU, 2, TensorType_INT8, 1.0f, -128,
                                2.0f, 5, 4),
                          {-128, -127, -125, 127}),
            (std::vector<int8_t>{5, 6, 7, 127}));
  // Output zero point 127: RELU's lower bound is 127 itself.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_RELU6, 2, TensorType_INT8, 1.0f, 0, 1.0f,
                                127, 3),
                          {-128, 0, 127}),
            (std::vector<int8_t>{127, 127, 127}));
}

// ---- int8 LOGISTIC / TANH tables -------------------------------------------
//
// in scale 1/16 zp 0: q = 16 is 1.0, q = -16 is -1.0, ... Values by hand:
// sigmoid(0) = 0.5, sigmoid(0.5) = 0.6224593, sigmoid(1) = 0.7310586,
// sigmoid(2) = 0.8807971, sigmoid(-1) = 0.2689414, sigmoid(-2) = 0.1192029,
// sigmoid(7.9375) = 0.9996428, sigmoid(-8) = 0.0003354;
// tanh(0.5) = 0.4621172, tanh(1) = 0.7615942, tanh(2) = 0.9640276,
// tanh(7.9375) = 0.99999975, tanh(-8) = -0.99999977. None lies near a
// rounding boundary, so the last bits of expf/tanhf do not matter here.

TEST(LogisticS8, Table) {
  // out = round(256 s) - 128, clamped: 0.5 -> 128 -> 0; 159.35 -> 159 -> 31;
  // 187.15 -> 59; 225.48 -> 97; 68.85 -> 69 -> -59; 30.52 -> 31 -> -97;
  // 255.91 -> 256 -> 128 -> 127; 0.086 -> 0 -> -128.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_LOGISTIC, 2, TensorType_INT8, 1.0f / 16, 0,
                                1.0f / 256, -128, 8),
                          {0, 8, 16, 32, -16, -32, 127, -128}),
            (std::vector<int8_t>{0, 31, 59, 97, -59, -97, 127, -128}));
}

TEST(LogisticS8, ShiftedInputZeroPoint) {
  // in zp 127: q = 127 is 0.0 and q = 111 is -1.0. Output zp -128 as usual.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_LOGISTIC, 2, TensorType_INT8, 1.0f / 16,
                                127, 1.0f / 256, -128, 3),
                          {127, 111, -128}),
            (std::vector<int8_t>{0, -59, -128}));  // -128 is -15.9375: ~0
}

TEST(TanhS8, Table) {
  // out scale 1/128 zp 0: round(128 t): 0; 59.15 -> 59; 97.48 -> 97;
  // 123.40 -> 123; -97; 127.99997 -> 128 -> 127; -127.99997 -> -128.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_TANH, 2, TensorType_INT8, 1.0f / 16, 0,
                                1.0f / 128, 0, 7),
                          {0, 8, 16, 32, -16, 127, -128}),
            (std::vector<int8_t>{0, 59, 97, 123, -97, 127, -128}));
}

TEST(TanhS8, OtherOutputQuantizationThroughTheTable) {
  // TFLite's reference TANH takes any output quantization. Scale 1/256,
  // zp -128: tanh(1) * 256 = 194.97 -> 195 -> 67; 0 -> -128; tanh(-1) ->
  // -195 - 128 -> -128.
  EXPECT_EQ(RunOp<int8_t>(Unary(tflite::BuiltinOperator_TANH, 2, TensorType_INT8, 1.0f / 16, 0,
                                1.0f / 256, -128, 3),
                          {16, 0, -16}),
            (std::vector<int8_t>{67, -128, -128}));
}

// ---- float32 ----------------------------------------------------------------

TEST(ActivationsF32, ReluAndRelu6KeepNegativeZeroAndNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto relu = RunOp<float>(
      Unary(tflite::BuiltinOperator_RELU, 1, TensorType_FLOAT32, 0, 0, 0, 0, 5),
      {-1.0f, -0.0f, 2.5f, nan, 1e30f});
  ASSERT_EQ(relu.size(), 5u);
  EXPECT_EQ(relu[0], 0.0f);
  EXPECT_TRUE(std::signbit(relu[1]));  // -0 passes through, as in TFLite
  EXPECT_EQ(relu[2], 2.5f);
  EXPECT_TRUE(std::isnan(relu[3]));
  EXPECT_EQ(relu[4], 1e30f);
  const auto relu6 = RunOp<float>(
      Unary(tflite::BuiltinOperator_RELU6, 1, TensorType_FLOAT32, 0, 0, 0, 0, 5),
      {-1.0f, -0.0f, 2.5f, nan, 7.0f});
  ASSERT_EQ(relu6.size(), 5u);
  EXPECT_EQ(relu6[0], 0.0f);
  EXPECT_TRUE(std::signbit(relu6[1]));
  EXPECT_EQ(relu6[2], 2.5f);
  EXPECT_TRUE(std::isnan(relu6[3]));
  EXPECT_EQ(relu6[4], 6.0f);
}

TEST(ActivationsF32, LogisticCutoffsAndTanh) {
  // TFLite's float logistic: 1 above 16.619..., e^x below -9, else
  // 1 / (1 + e^-x). e^-10 is glibc's expf(-10) = 0x1.7cd79cp-15;
  // 1 / (1 + expf(-1)) in float is 0x1.764d5p-1.
  const auto y = RunOp<float>(
      Unary(tflite::BuiltinOperator_LOGISTIC, 1, TensorType_FLOAT32, 0, 0, 0, 0, 4),
      {0.0f, 20.0f, -10.0f, 1.0f});
  EXPECT_EQ(y, (std::vector<float>{0.5f, 1.0f, 0x1.7cd79cp-15f, 0x1.764d5p-1f}));
  EXPECT_EQ(RunOp<float>(Unary(tflite::BuiltinOperator_TANH, 1, TensorType_FLOAT32, 0, 0, 0, 0, 3),
                         {0.0f, 1.0f, -30.0f}),
            (std::vector<float>{0.0f, 0x1.85efacp-1f, -1.0f}));
}

// ---- Prepare rejections -------------------------------------------------------

TEST(ActivationsPrepare, Rejections) {
  // LOGISTIC int8 needs an output scale of exactly 1/256 (TFLite).
  EXPECT_EQ(InitCode(Unary(tflite::BuiltinOperator_LOGISTIC, 2, TensorType_INT8, 0.1f, 0,
                           1.0f / 128, -128, 4)),
            StatusCode::kInvalidModel);
  // Shape and type mismatches.
  EXPECT_EQ(InitCode(Unary(tflite::BuiltinOperator_RELU, 2, TensorType_INT8, 0.1f, 0, 0.1f, 0, 4,
                           TensorType_INT8, 5)),
            StatusCode::kInvalidModel);
  EXPECT_EQ(InitCode(Unary(tflite::BuiltinOperator_TANH, 2, TensorType_INT8, 0.1f, 0, 0, 0, 4,
                           TensorType_FLOAT32)),
            StatusCode::kInvalidModel);
  // int8 without quantization.
  EXPECT_EQ(InitCode(Unary(tflite::BuiltinOperator_RELU6, 2, TensorType_INT8, 0, 0, 0.1f, 0, 4)),
            StatusCode::kUnsupported);
  // int16 (version 3) is a later issue; so is an int16 model declared v2.
  EXPECT_EQ(InitCode(Unary(tflite::BuiltinOperator_TANH, 3, TensorType_INT16, 1.0f / 4096, 0,
                           1.0f / 32768, 0, 4)),
            StatusCode::kUnsupported);
  EXPECT_EQ(InitCode(Unary(tflite::BuiltinOperator_LOGISTIC, 2, TensorType_INT16, 1.0f / 4096, 0,
                           1.0f / 32768, 0, 4)),
            StatusCode::kUnsupported);
}

}  // namespace
}  // namespace mote
