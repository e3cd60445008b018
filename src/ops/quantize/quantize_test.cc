// QUANTIZE and DEQUANTIZE: hand-checked values and prepare rejections.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "op_model_builder.h"
#include "ops/quantize/quantize.h"

namespace mote {
namespace {

using tflite::TensorType_FLOAT32;
using tflite::TensorType_INT16;
using tflite::TensorType_INT32;
using tflite::TensorType_INT8;
using tflite::TensorType_UINT8;

const float kNan = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

TEST(QuantizeF32ToS8, RoundsHalfAwayFromZeroAndClamps) {
  // x / 0.5 rounded (roundf: halves away from zero), plus the zero point -1.
  EXPECT_EQ(ops::QuantizeF32ToS8(0.25f, 0.5f, -1), 0);    // 0.5 -> 1 -> 0
  EXPECT_EQ(ops::QuantizeF32ToS8(0.75f, 0.5f, -1), 1);    // 1.5 -> 2 -> 1
  EXPECT_EQ(ops::QuantizeF32ToS8(-0.25f, 0.5f, -1), -2);  // -0.5 -> -1 -> -2
  EXPECT_EQ(ops::QuantizeF32ToS8(-0.75f, 0.5f, -1), -3);  // -1.5 -> -2 -> -3
  EXPECT_EQ(ops::QuantizeF32ToS8(100.0f, 0.5f, -1), 127);   // 199 -> 127
  EXPECT_EQ(ops::QuantizeF32ToS8(-100.0f, 0.5f, -1), -128);  // -201 -> -128
  EXPECT_EQ(ops::QuantizeF32ToS8(0.0f, 0.5f, 127), 127);
  EXPECT_EQ(ops::QuantizeF32ToS8(0.0f, 0.5f, -128), -128);
}

TEST(QuantizeF32ToS8, NonFiniteAsTfLiteOnX86) {
  // TFLite converts the rounded quotient with static_cast<int32_t>; on the
  // x86-64 oracle NaN, +-inf and quotients beyond int32 become INT32_MIN,
  // then the zero point is added (wrapping) and the sum clamped:
  //   zp  1: INT32_MIN + 1 -> -128;   zp -1: wraps to INT32_MAX -> 127.
  // (Checked against ai-edge-litert: QUANTIZE of +inf with zp -5 gives 127.)
  EXPECT_EQ(ops::QuantizeF32ToS8(kNan, 0.5f, 1), -128);
  EXPECT_EQ(ops::QuantizeF32ToS8(kInf, 0.5f, 1), -128);
  EXPECT_EQ(ops::QuantizeF32ToS8(-kInf, 0.5f, 1), -128);
  EXPECT_EQ(ops::QuantizeF32ToS8(3e9f, 1.0f, 1), -128);
  EXPECT_EQ(ops::QuantizeF32ToS8(kNan, 0.5f, -1), 127);
  EXPECT_EQ(ops::QuantizeF32ToS8(kInf, 0.5f, -1), 127);
  EXPECT_EQ(ops::QuantizeF32ToS8(2147483520.0f, 1.0f, 0), 127);  // in range: saturates
}

TEST(Dequantize, ProductInDouble) {
  // 0.5 * (q + 128).
  EXPECT_EQ(ops::DequantizeS8ToF32(-128, 0.5f, -128), 0.0f);
  EXPECT_EQ(ops::DequantizeS8ToF32(127, 0.5f, -128), 127.5f);
  EXPECT_EQ(ops::DequantizeS8ToF32(0, 0.5f, -128), 64.0f);
  // 0.1f * (-3 - 127) = -130 * 0.100000001490116... = -13.0000001937...,
  // which rounds to the float -13.0000000 (spacing 9.5e-7 there).
  EXPECT_EQ(ops::DequantizeS8ToF32(-3, 0.1f, 127), -13.0f);
}

std::vector<int8_t> QuantizeModel(const std::vector<float>& x, float scale, int64_t zp) {
  test::OpModel m;
  const int in = m.Input({static_cast<int32_t>(x.size())}, TensorType_FLOAT32);
  const int out = m.Output({static_cast<int32_t>(x.size())}, TensorType_INT8, scale, zp);
  m.SetOp(tflite::BuiltinOperator_QUANTIZE, 1, {in}, {out});
  test::OpRunner r(m);
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<float>(0, x);
  r.Invoke();
  return r.Output<int8_t>(0);
}

TEST(QuantizeOp, FloatToInt8PerTensor) {
  // scale 0.25, zp 3: 1.0 -> 4 + 3 = 7; 0.125 -> 0.5 -> 1 -> 4;
  // -0.125 -> -1 + 3 = 2; 40 -> 163 -> 127; -40 -> -157 -> -128.
  EXPECT_EQ(QuantizeModel({1.0f, 0.125f, -0.125f, 40.0f, -40.0f}, 0.25f, 3),
            (std::vector<int8_t>{7, 4, 2, 127, -128}));
}

TEST(QuantizeOp, FloatToInt8PerChannel) {
  // The kernel on hand-built tensors: shape [2, 3], channels along dim 1
  // with scales 1, 0.5, 0.25 (zero points 0):
  // row {1, 1, 1} -> {1, 2, 4}; row {-2.5, 0.75, 100} -> {-3, 1.5 -> 2, 127}.
  const float scales[3] = {1.0f, 0.5f, 0.25f};
  ops::AffineParams p{scales, 0, 3, 1, 6};
  float x[6] = {1.0f, 1.0f, 1.0f, -2.5f, 0.75f, 100.0f};
  int8_t y[6] = {};
  Tensor tensors[2] = {};
  tensors[0].data = reinterpret_cast<uint8_t*>(x);
  tensors[1].data = reinterpret_cast<uint8_t*>(y);
  const int32_t ins[1] = {0}, outs[1] = {1};
  Node node{};
  node.inputs = ins;
  node.outputs = outs;
  node.params = &p;
  ops::EvalQuantizeF32ToS8(node, tensors);
  EXPECT_EQ(std::vector<int8_t>(y, y + 6), (std::vector<int8_t>{1, 2, 4, -3, 2, 127}));
}

TEST(QuantizeOp, Int8Requantize) {
  // in scale 0.5 -> out scale 0.25: multiplier 2 = (2^30, shift 2):
  // x << 2, then * 2^30 / 2^31 -> exactly 2x. Plus out zp 10, clamped.
  test::OpModel m;
  const int in = m.Input({6}, TensorType_INT8, 0.5f, 0);
  const int out = m.Output({6}, TensorType_INT8, 0.25f, 10);
  m.SetOp(tflite::BuiltinOperator_QUANTIZE, 1, {in}, {out});
  test::OpRunner r(m);
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<int8_t>(0, {5, 58, 59, -68, -69, -128});
  r.Invoke();
  // 20; 126; 128 -> 127; -126; -128; -246 -> -128.
  EXPECT_EQ(r.Output<int8_t>(0), (std::vector<int8_t>{20, 126, 127, -126, -128, -128}));

  // in scale 1 -> out scale 2: multiplier 0.5 = (2^30, shift 0): the only
  // rounding is SaturatingRoundingDoublingHighMul's, (x 2^30 + nudge) / 2^31
  // truncated, with nudge 2^30 for x > 0 and 1 - 2^30 for x < 0: 3 -> 2,
  // -3 -> -1 (!), 1 -> 1, -1 -> 0, 5 -> 3, -5 -> -2. Checked against
  // ai-edge-litert.
  test::OpModel m2;
  const int in2 = m2.Input({6}, TensorType_INT8, 1.0f, 0);
  const int out2 = m2.Output({6}, TensorType_INT8, 2.0f, 0);
  m2.SetOp(tflite::BuiltinOperator_QUANTIZE, 1, {in2}, {out2});
  test::OpRunner r2(m2);
  ASSERT_TRUE(r2.status().ok()) << r2.status().message();
  r2.SetInput<int8_t>(0, {3, -3, 1, -1, 5, -5});
  r2.Invoke();
  EXPECT_EQ(r2.Output<int8_t>(0), (std::vector<int8_t>{2, -1, 1, 0, 3, -2}));
}

TEST(DequantizeOp, PerTensorAndPerChannel) {
  {
    test::OpModel m;
    const int in = m.Input({4}, TensorType_INT8, 0.5f, -128);
    const int out = m.Output({4}, TensorType_FLOAT32);
    m.SetOp(tflite::BuiltinOperator_DEQUANTIZE, 2, {in}, {out});
    test::OpRunner r(m);
    ASSERT_TRUE(r.status().ok()) << r.status().message();
    r.SetInput<int8_t>(0, {-128, 127, 0, -1});
    r.Invoke();
    EXPECT_EQ(r.Output<float>(0), (std::vector<float>{0.0f, 127.5f, 64.0f, 63.5f}));
  }
  {
    // Constant per-channel weights [2, 2], channels on dim 0, scales 0.5 and
    // 0.25: {{2, -4}, {8, 127}} -> {{1, -2}, {2, 31.75}}.
    test::OpModel m;
    const int in = m.Const<int8_t>({2, 2}, TensorType_INT8, {2, -4, 8, 127}, {0.5f, 0.25f},
                                   {0, 0}, 0);
    const int out = m.Output({2, 2}, TensorType_FLOAT32);
    m.SetOp(tflite::BuiltinOperator_DEQUANTIZE, 5, {in}, {out});
    test::OpRunner r(m);
    ASSERT_TRUE(r.status().ok()) << r.status().message();
    r.Invoke();
    EXPECT_EQ(r.Output<float>(0), (std::vector<float>{1.0f, -2.0f, 2.0f, 31.75f}));
  }
}

StatusCode InitCode(const test::OpModel& m) {
  test::OpRunner r(m);
  return r.status().code();
}

test::OpModel Unary(tflite::BuiltinOperator op, int version, tflite::TensorType in_type,
                    float in_scale, int64_t in_zp, tflite::TensorType out_type, float out_scale,
                    int64_t out_zp, const std::vector<int32_t>& in_shape = {4},
                    const std::vector<int32_t>& out_shape = {4}) {
  test::OpModel m;
  const int in = m.Input(in_shape, in_type, in_scale, in_zp);
  const int out = m.Output(out_shape, out_type, out_scale, out_zp);
  m.SetOp(op, version, {in}, {out});
  return m;
}

TEST(QuantizePrepare, Rejections) {
  const auto Q = tflite::BuiltinOperator_QUANTIZE;
  const auto D = tflite::BuiltinOperator_DEQUANTIZE;
  // int16 -> int8 (keyword_scrambled's first QUANTIZE) and int16 -> int32:
  // int16 activations are a later issue.
  EXPECT_EQ(InitCode(Unary(Q, 1, TensorType_INT16, 0.000625f, 0, TensorType_INT8, 0.06f, 0)),
            StatusCode::kUnsupported);
  EXPECT_EQ(InitCode(Unary(Q, 1, TensorType_INT16, 1.5e-5f, 0, TensorType_INT32, 3e-5f, 0)),
            StatusCode::kUnsupported);
  // float -> int16 (version 2).
  EXPECT_EQ(InitCode(Unary(Q, 2, TensorType_FLOAT32, 0, 0, TensorType_INT16, 0.001f, 0)),
            StatusCode::kUnsupported);
  // uint8 output.
  EXPECT_EQ(InitCode(Unary(Q, 1, TensorType_FLOAT32, 0, 0, TensorType_UINT8, 0.1f, 128)),
            StatusCode::kUnsupported);
  // Output not quantized.
  EXPECT_EQ(InitCode(Unary(Q, 1, TensorType_FLOAT32, 0, 0, TensorType_INT8, 0, 0)),
            StatusCode::kInvalidModel);
  // Output shape differs from the input's.
  EXPECT_EQ(InitCode(Unary(Q, 1, TensorType_FLOAT32, 0, 0, TensorType_INT8, 0.1f, 0, {4}, {2, 2})),
            StatusCode::kInvalidModel);
  // Per-channel quantization with a nonzero zero point.
  {
    test::OpModel m2;
    const int x = m2.Const<int8_t>({2}, TensorType_INT8, {1, 2}, {0.5f, 0.25f}, {0, 3}, 0);
    const int y = m2.Output({2}, TensorType_FLOAT32);
    m2.SetOp(D, 5, {x}, {y});
    EXPECT_EQ(InitCode(m2), StatusCode::kUnsupported);
  }
  // DEQUANTIZE of int16, of uint8, to int32; version 6 (int4).
  EXPECT_EQ(InitCode(Unary(D, 3, TensorType_INT16, 0.001f, 0, TensorType_FLOAT32, 0, 0)),
            StatusCode::kUnsupported);
  EXPECT_EQ(InitCode(Unary(D, 1, TensorType_UINT8, 0.1f, 128, TensorType_FLOAT32, 0, 0)),
            StatusCode::kUnsupported);
  EXPECT_EQ(InitCode(Unary(D, 2, TensorType_INT8, 0.1f, 0, TensorType_INT32, 0, 0)),
            StatusCode::kUnsupported);
  EXPECT_EQ(InitCode(Unary(D, 6, TensorType_INT8, 0.1f, 0, TensorType_FLOAT32, 0, 0)),
            StatusCode::kUnsupported);
}

}  // namespace
}  // namespace mote
