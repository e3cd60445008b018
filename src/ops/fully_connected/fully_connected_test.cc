// FULLY_CONNECTED: hand-derived arithmetic through the interpreter (so the
// prepare-computed scales and activation ranges are covered too), and the
// prepare checks.
#include "ops/fully_connected/fully_connected.h"

#include <gtest/gtest.h>

#include <vector>

#include "op_model_builder.h"

namespace mote {
namespace ops {
namespace {

constexpr auto kI8 = tflite::TensorType_INT8;
constexpr auto kF32 = tflite::TensorType_FLOAT32;

struct FcSpec {
  std::vector<int32_t> in_shape;
  float in_scale = 0;  // 0: float model
  int64_t in_zp = 0;
  std::vector<int32_t> w_shape;
  std::vector<int8_t> w_s8;
  std::vector<float> w_f32;
  std::vector<float> w_scales;
  int64_t w_zp = 0;
  int32_t w_qdim = 0;
  bool has_bias = false;
  std::vector<int32_t> bias_s32;
  std::vector<float> bias_f32;
  float bias_scale = -1;  // < 0: input scale x weight scale (per tensor)
  std::vector<int32_t> out_shape;
  float out_scale = 0;
  int64_t out_zp = 0;
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE;
  bool keep_num_dims = false;
  tflite::FullyConnectedOptionsWeightsFormat format = tflite::FullyConnectedOptionsWeightsFormat_DEFAULT;
  int version = 0;  // 0: 4 for int8, 1 for float
};

test::OpModel FcModel(const FcSpec& s) {
  test::OpModel m;
  const bool s8 = s.in_scale > 0;
  const int x = m.Input(s.in_shape, s8 ? kI8 : kF32, s.in_scale, s.in_zp);
  int w;
  if (!s.w_s8.empty()) {
    w = m.Const<int8_t>(s.w_shape, kI8, s.w_s8, s.w_scales,
                        std::vector<int64_t>(s.w_scales.size(), s.w_zp), s.w_qdim);
  } else {
    w = m.Const<float>(s.w_shape, kF32, s.w_f32);
  }
  int b = -1;
  if (s.has_bias) {
    if (!s.bias_s32.empty()) {
      std::vector<float> scales;
      for (float ws : s.w_scales) scales.push_back(s.bias_scale >= 0 ? s.bias_scale : s.in_scale * ws);
      b = m.Const<int32_t>({static_cast<int32_t>(s.bias_s32.size())}, tflite::TensorType_INT32, s.bias_s32,
                           scales, std::vector<int64_t>(scales.size(), 0));
    } else {
      b = m.Const<float>({static_cast<int32_t>(s.bias_f32.size())}, kF32, s.bias_f32);
    }
  }
  const int y = m.Output(s.out_shape, s8 ? kI8 : kF32, s.out_scale, s.out_zp);
  const FcSpec spec = s;
  m.SetOp(tflite::BuiltinOperator_FULLY_CONNECTED, s.version ? s.version : (s8 ? 4 : 1), {x, w, b}, {y},
          tflite::BuiltinOptions_FullyConnectedOptions, [spec](flatbuffers::FlatBufferBuilder& fb) {
            return tflite::CreateFullyConnectedOptions(fb, spec.act, spec.format, spec.keep_num_dims).Union();
          });
  return m;
}

template <typename T>
std::vector<T> RunModel(const FcSpec& s, const std::vector<T>& input) {
  test::OpRunner r(FcModel(s));
  EXPECT_TRUE(r.status().ok()) << r.status().message();
  if (!r.status().ok()) return {};
  r.SetInput<T>(0, input);
  EXPECT_TRUE(r.Invoke().ok());
  return r.Output<T>(0);
}

StatusCode PrepareCode(const FcSpec& s) { return test::OpRunner(FcModel(s)).status().code(); }

// input [1, 2] (scale 0.5, zero point -1), weights [[1, 2], [-3, 5]]
// (scale 0.25), bias [10, -7] (scale 0.125), output scale 0.25, zero point 3:
// effective scale 0.5 * 0.25 / 0.25 = 0.5.
FcSpec HandSpec() {
  FcSpec s;
  s.in_shape = {1, 2};
  s.in_scale = 0.5f;
  s.in_zp = -1;
  s.w_shape = {2, 2};
  s.w_s8 = {1, 2, -3, 5};
  s.w_scales = {0.25f};
  s.has_bias = true;
  s.bias_s32 = {10, -7};
  s.out_shape = {1, 2};
  s.out_scale = 0.25f;
  s.out_zp = 3;
  return s;
}

TEST(FullyConnectedS8, HandDerived) {
  // x = [3, -2] -> x - zp = [4, -1]
  // acc0 = 1*4 + 2*(-1) + 10 = 12  -> 12 * 0.5 = 6   -> + 3 = 9
  // acc1 = -3*4 + 5*(-1) - 7 = -24 -> -12            -> + 3 = -9
  EXPECT_EQ(RunModel<int8_t>(HandSpec(), {3, -2}), (std::vector<int8_t>{9, -9}));
  // Without the bias: acc = 2, -17 -> 1, -8.5 -> -9 (half away from zero)
  // -> 4, -6.
  FcSpec s = HandSpec();
  s.has_bias = false;
  EXPECT_EQ(RunModel<int8_t>(s, {3, -2}), (std::vector<int8_t>{4, -6}));
}

// TFLite's reference rounds acc * scale in double, ties away from zero
// (a fixed-point multiplier as in TFLM rounds the negative ties up:
// -2.5 -> -2, -1.5 -> -1).
TEST(FullyConnectedS8, TiesRoundAwayFromZero) {
  FcSpec s;
  s.in_shape = {4, 1};
  s.in_scale = 0.5f;
  s.w_shape = {1, 1};
  s.w_s8 = {1};
  s.w_scales = {1.0f};
  s.out_shape = {4, 1};
  s.out_scale = 1.0f;
  // acc = x, times 0.5: 2.5, -2.5, 1.5, -1.5 -> 3, -3, 2, -2.
  EXPECT_EQ(RunModel<int8_t>(s, {5, -5, 3, -3}), (std::vector<int8_t>{3, -3, 2, -2}));
}

TEST(FullyConnectedS8, SaturationAndExtremeZeroPoints) {
  // Effective scale 1, input zero point -128, output zero point 127:
  // x = 127 -> 255; weights [1], [-1] -> 255, -255 -> 382, -128 -> 127, -128.
  // x = -128 -> 0 -> 127, 127.
  FcSpec s;
  s.in_shape = {2, 1};
  s.in_scale = 1.0f;
  s.in_zp = -128;
  s.w_shape = {2, 1};
  s.w_s8 = {1, -1};
  s.w_scales = {1.0f};
  s.out_shape = {2, 2};
  s.out_scale = 1.0f;
  s.out_zp = 127;
  EXPECT_EQ(RunModel<int8_t>(s, {127, -128}), (std::vector<int8_t>{127, -128, 127, 127}));
  // Input zero point 127, output zero point -128: x = -128 -> -255;
  // [1] -> -255 - 128 = -383 -> -128; [-1] -> 255 - 128 = 127.
  s.in_zp = 127;
  s.out_zp = -128;
  EXPECT_EQ(RunModel<int8_t>(s, {-128, 127}), (std::vector<int8_t>{-128, 127, -128, -128}));
  // A huge bias saturates both ways.
  s.has_bias = true;
  s.bias_s32 = {2000000000, -2000000000};
  EXPECT_EQ(RunModel<int8_t>(s, {0, 5}), (std::vector<int8_t>{127, -128, 127, -128}));
}

TEST(FullyConnectedS8, FusedActivations) {
  // Effective scale 0.25 * 1 / 0.25 = 1, output zero point 3: out = x + 3.
  // Inputs -23, -3, 2, 7, 37 -> -20, 0, 5, 10, 40 before the activation.
  // Ranges (zero point + round(limit / 0.25)): RELU [3, 127], RELU6 [3, 27],
  // RELU_N1_TO_1 [-1, 7].
  FcSpec s;
  s.in_shape = {5, 1};
  s.in_scale = 0.25f;
  s.w_shape = {1, 1};
  s.w_s8 = {1};
  s.w_scales = {1.0f};
  s.out_shape = {5, 1};
  s.out_scale = 0.25f;
  s.out_zp = 3;
  const std::vector<int8_t> in = {-23, -3, 2, 7, 37};
  s.act = tflite::ActivationFunctionType_NONE;
  EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{-20, 0, 5, 10, 40}));
  s.act = tflite::ActivationFunctionType_RELU;
  EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{3, 3, 5, 10, 40}));
  s.act = tflite::ActivationFunctionType_RELU6;
  EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{3, 3, 5, 10, 27}));
  s.act = tflite::ActivationFunctionType_RELU_N1_TO_1;
  EXPECT_EQ(RunModel<int8_t>(s, in), (std::vector<int8_t>{-1, 0, 5, 7, 7}));
}

TEST(FullyConnectedS8, PerChannel) {
  // Weights [[2, 1], [2, 1]] with scales 0.5 and 0.25, input and output
  // scale 1: acc = 2*3 + 4 = 10 for both -> 5 and 2.5 -> 3; negated input:
  // -5 and -2.5 -> -3.
  FcSpec s;
  s.in_shape = {2, 2};
  s.in_scale = 1.0f;
  s.w_shape = {2, 2};
  s.w_s8 = {2, 1, 2, 1};
  s.w_scales = {0.5f, 0.25f};
  s.out_shape = {2, 2};
  s.out_scale = 1.0f;
  EXPECT_EQ(RunModel<int8_t>(s, {3, 4, -3, -4}), (std::vector<int8_t>{5, 3, -5, -3}));
  // With a per-channel bias [1, 2] (scales 0.5, 0.25): acc 11, 12 -> 5.5 -> 6, 3.
  s.has_bias = true;
  s.bias_s32 = {1, 2};
  EXPECT_EQ(RunModel<int8_t>(s, {3, 4, -3, -4}), (std::vector<int8_t>{6, 3, -5, -2}));
}

TEST(FullyConnectedS8, PerTensorWeightZeroPoint) {
  // TFLite's per-tensor kernel subtracts the weights' zero point: weights
  // [5, 7] with zero point 2 act as [3, 5]; x = [1, 1] -> 8.
  FcSpec s;
  s.in_shape = {1, 2};
  s.in_scale = 1.0f;
  s.w_shape = {1, 2};
  s.w_s8 = {5, 7};
  s.w_scales = {1.0f};
  s.w_zp = 2;
  s.out_shape = {1, 1};
  s.out_scale = 1.0f;
  EXPECT_EQ(RunModel<int8_t>(s, {1, 1}), (std::vector<int8_t>{8}));
}

// weights [[1, 2], [3, 4]], bias [0.5, -1]: x = [1, -1] -> -0.5, -2;
// x = [2, 0.5] -> 3.5, 7.
FcSpec FloatSpec() {
  FcSpec s;
  s.in_shape = {2, 2};
  s.w_shape = {2, 2};
  s.w_f32 = {1, 2, 3, 4};
  s.has_bias = true;
  s.bias_f32 = {0.5f, -1.0f};
  s.out_shape = {2, 2};
  return s;
}

TEST(FullyConnectedF32, HandDerived) {
  FcSpec s = FloatSpec();
  EXPECT_EQ(RunModel<float>(s, {1, -1, 2, 0.5f}), (std::vector<float>{-0.5f, -2.0f, 3.5f, 7.0f}));
  s.act = tflite::ActivationFunctionType_RELU;
  EXPECT_EQ(RunModel<float>(s, {1, -1, 2, 0.5f}), (std::vector<float>{0, 0, 3.5f, 7.0f}));
  s.act = tflite::ActivationFunctionType_RELU6;
  EXPECT_EQ(RunModel<float>(s, {1, -1, 2, 0.5f}), (std::vector<float>{0, 0, 3.5f, 6.0f}));
  s.act = tflite::ActivationFunctionType_RELU_N1_TO_1;
  EXPECT_EQ(RunModel<float>(s, {1, -1, 2, 0.5f}), (std::vector<float>{-0.5f, -1, 1, 1}));
  s.act = tflite::ActivationFunctionType_NONE;
  s.has_bias = false;
  EXPECT_EQ(RunModel<float>(s, {1, -1, 2, 0.5f}), (std::vector<float>{-1.0f, -1.0f, 3.0f, 8.0f}));
}

TEST(FullyConnectedF32, BatchesAndKeepNumDims) {
  // Input [3, 4] read as [6, 2] (I = 2): rows [1,-1], [2,0.5], ... ; output [6, 2].
  FcSpec s = FloatSpec();
  s.in_shape = {3, 4};
  s.out_shape = {6, 2};
  const std::vector<float> in = {1, -1, 2, 0.5f, 0, 0, 1, 0, 0, 1, -2, -2};
  // rows: [1,-1] -> -0.5,-2; [2,.5] -> 3.5,7; [0,0] -> 0.5,-1; [1,0] -> 1.5,2;
  //       [0,1] -> 2.5,3;   [-2,-2] -> -5.5,-15.
  const std::vector<float> want = {-0.5f, -2, 3.5f, 7, 0.5f, -1, 1.5f, 2, 2.5f, 3, -5.5f, -15};
  EXPECT_EQ(RunModel<float>(s, in), want);
  // keep_num_dims: input [2, 3, 2] keeps its leading dims: output [2, 3, 2].
  s.in_shape = {2, 3, 2};
  s.out_shape = {2, 3, 2};
  s.keep_num_dims = true;
  s.version = 5;
  EXPECT_EQ(RunModel<float>(s, in), want);
}

TEST(FullyConnectedS8, KeepNumDims) {
  // Input [1, 2, 2] with the hand-spec weights: rows [3, -2] and [-1, -1]
  // (-> [0, 0] after the zero point: acc = bias = 10, -7 -> 5, -3.5 -> -4 ->
  // 8, -1).
  FcSpec s = HandSpec();
  s.in_shape = {1, 2, 2};
  s.out_shape = {1, 2, 2};
  s.keep_num_dims = true;
  s.version = 5;
  EXPECT_EQ(RunModel<int8_t>(s, {3, -2, -1, -1}), (std::vector<int8_t>{9, -9, 8, -1}));
}

TEST(FullyConnected, RejectsInvalidModels) {
  {  // shuffled weights
    FcSpec s = HandSpec();
    s.format = tflite::FullyConnectedOptionsWeightsFormat_SHUFFLED4x16INT8;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  }
  {  // bias with the wrong number of elements
    FcSpec s = HandSpec();
    s.bias_s32 = {1, 2, 3};
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  }
  {  // output shape not [batches, O]
    FcSpec s = HandSpec();
    s.out_shape = {1, 3};
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s.out_shape = {2};
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  }
  {  // input element count not a multiple of I = 2
    FcSpec s = HandSpec();
    s.in_shape = {1, 3};
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  }
  {  // keep_num_dims with a last dimension other than I
    FcSpec s = HandSpec();
    s.in_shape = {2, 1};
    s.out_shape = {2, 2};
    s.keep_num_dims = true;
    s.version = 5;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  }
  {  // bias scale far from input x weights scale (TFLite: within 2% of the output scale)
    FcSpec s = HandSpec();
    s.bias_scale = 1.0f;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
    s.bias_scale = 0.125f + 0.004f;  // 0.004 / 0.25 = 1.6%: accepted
    EXPECT_EQ(PrepareCode(s), StatusCode::kOk);
  }
  {  // per-channel scales along the input dimension
    FcSpec s = HandSpec();
    s.w_scales = {0.25f, 0.25f};
    s.w_qdim = 1;
    s.has_bias = false;
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  }
  {  // TANH is not a valid fused activation here
    FcSpec s = HandSpec();
    s.act = tflite::ActivationFunctionType_TANH;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  }
  {  // hybrid: float input, int8 weights
    FcSpec s = HandSpec();
    s.in_scale = 0;
    s.has_bias = false;
    s.out_scale = 0;
    s.version = 3;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  }
  {  // weights of rank 3
    FcSpec s = FloatSpec();
    s.w_shape = {2, 1, 2};
    EXPECT_EQ(PrepareCode(s), StatusCode::kInvalidModel);
  }
  {  // version 7 (int16) is not registered
    FcSpec s = HandSpec();
    s.version = 7;
    EXPECT_EQ(PrepareCode(s), StatusCode::kUnsupported);
  }
}

}  // namespace
}  // namespace ops
}  // namespace mote
