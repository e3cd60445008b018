// SOFTMAX: hand-derived arithmetic on the reference kernels, whole-model
// runs through the interpreter, and the prepare checks.
#include "ops/softmax/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "op_model_builder.h"

namespace mote {
namespace ops {
namespace {

SoftmaxParams S8Params(int32_t rows, int32_t depth, double beta, double input_scale) {
  SoftmaxParams p{};
  p.rows = rows;
  p.depth = depth;
  SoftmaxQuantParams(beta, input_scale, &p);
  return p;
}

std::vector<int8_t> RunS8(const SoftmaxParams& p, const std::vector<int8_t>& in) {
  std::vector<int8_t> out(in.size());
  SoftmaxS8Reference(p, in.data(), out.data());
  return out;
}

TEST(SoftmaxQuantParams, HandDerived) {
  SoftmaxParams p{};
  // beta * scale = 1/4: real multiplier 2^26 / 4 = 2^24 = 0.5 * 2^25, so
  // (2^30, 25); radius floor(31 * 2^26 / 2^25) = 62.
  SoftmaxQuantParams(1.0, 0.25, &p);
  EXPECT_EQ(p.input_multiplier, 1 << 30);
  EXPECT_EQ(p.input_shift, 25);
  EXPECT_EQ(p.diff_min, -62);
  // Huge beta: capped at 2^31 - 1 = (2^31 - 1) * 2^(31-31), radius
  // floor(31 * 2^26 / 2^31) = floor(0.97) = 0: only the maxima count.
  SoftmaxQuantParams(1e6, 0.1, &p);
  EXPECT_EQ(p.input_multiplier, 2147483647);
  EXPECT_EQ(p.input_shift, 31);
  EXPECT_EQ(p.diff_min, 0);
  // beta = 0 (TFLite aborts): multiplier 0, every difference counts
  // (radius 31 * 2^26 = 2080374784).
  SoftmaxQuantParams(0.0, 0.1, &p);
  EXPECT_EQ(p.input_multiplier, 0);
  EXPECT_EQ(p.diff_min, -2080374784);
}

// Rows of equal values: every difference is 0, exp(0) = INT32_MAX, each
// element adds round((2^31 - 1) / 2^12) = 2^19 (1.0 in Q12.19), so the sum
// is n * 2^19 and each output is about 256 / n steps above -128.
TEST(SoftmaxS8, EqualRowsHandDerived) {
  struct Case {
    int32_t n;
    int8_t expected;
  };
  const Case cases[] = {
      // n = 1: exponent 23, (2^31 - 2) / 2^23 -> 256, 256 - 128 = 128 clamps to 127.
      {1, 127},
      // n = 2: 128 - 128 = 0; n = 4: 64 - 128 = -64.
      {2, 0},
      {4, -64},
      // n = 256: sum 2^27, 8 bits over unit, exponent 31: (2^31 - 2) / 2^31
      // rounds to 1 -> -127.
      {256, -127},
      // n = 511: 1/511 of 256 steps is 0.501 -> 1 -> -127.
      {511, -127},
  };
  for (const Case& c : cases) {
    const SoftmaxParams p = S8Params(1, c.n, 1.0, 0.1);
    const std::vector<int8_t> out = RunS8(p, std::vector<int8_t>(static_cast<size_t>(c.n), 42));
    for (int8_t v : out) ASSERT_EQ(v, c.expected) << "n = " << c.n;
  }
}

// Where TFLite's reference aborts (sum of exponentials >= 512), mote keeps
// the arithmetic going: dividing by 2^32 rounds to 0, every output is -128.
TEST(SoftmaxS8, ManyMaximaDoNotAbort) {
  // 512 equal values: sum 2^28, 9 bits over unit, exponent 32.
  {
    const SoftmaxParams p = S8Params(1, 512, 1.0, 0.1);
    for (int8_t v : RunS8(p, std::vector<int8_t>(512, -3))) ASSERT_EQ(v, -128);
  }
  // [1, 1000] with 600 values at the maximum (TFLM aborts on this too).
  {
    std::vector<int8_t> in(1000, -100);
    for (int i = 0; i < 600; ++i) in[static_cast<size_t>(i) * 1000 / 600] = 90;
    const SoftmaxParams p = S8Params(1, 1000, 1.0, 0.1);
    for (int8_t v : RunS8(p, in)) ASSERT_EQ(v, -128);
  }
  // 5000 equal values: the Q12.19 sum saturates (TFLite's int32 add would
  // overflow); still all -128.
  {
    const SoftmaxParams p = S8Params(1, 5000, 1.0, 0.1);
    for (int8_t v : RunS8(p, std::vector<int8_t>(5000, 127))) ASSERT_EQ(v, -128);
  }
}

TEST(SoftmaxS8, KnownRatios) {
  // Input scale ln 3, beta 1: [5, 4] are weights e^0 : e^-ln3 = 1 : 1/3,
  // probabilities 3/4, 1/4 -> 192, 64 steps -> 64, -64.
  {
    const SoftmaxParams p = S8Params(1, 2, 1.0, std::log(3.0));
    EXPECT_EQ(RunS8(p, {5, 4}), (std::vector<int8_t>{64, -64}));
  }
  // Input scale ln 2: [0, -1, -2] weigh 1 : 1/2 : 1/4, probabilities 4/7,
  // 2/7, 1/7 -> 146.3, 73.1, 36.6 steps -> 18, -55, -91. Two rows.
  {
    const SoftmaxParams p = S8Params(2, 3, 1.0, std::log(2.0));
    EXPECT_EQ(RunS8(p, {0, -1, -2, -126, -127, -128}),
              (std::vector<int8_t>{18, -55, -91, 18, -55, -91}));
  }
  // Same weights from beta: scale ln 2 / 4, beta 4.
  {
    const SoftmaxParams p = S8Params(1, 3, 4.0, std::log(2.0) / 4);
    EXPECT_EQ(RunS8(p, {127, 126, 125}), (std::vector<int8_t>{18, -55, -91}));
  }
}

TEST(SoftmaxS8, DifferencesBelowDiffMinGiveMinus128) {
  // beta * scale = 1/4: diff_min = -62. In [100, 37, 38] the differences are
  // 0, -63 (excluded: -128) and -62 (included, but exp(-15.5) * 2^31 ~ 404
  // adds 0 to the Q12.19 sum and gives 0 steps): the maximum alone holds the
  // whole probability: 256 steps, clamped to 127.
  const SoftmaxParams p = S8Params(1, 3, 1.0, 0.25);
  EXPECT_EQ(RunS8(p, {100, 37, 38}), (std::vector<int8_t>{127, -128, -128}));
}

TEST(SoftmaxS8, ExtremeInputs) {
  // [127, -128]: with scale 0.1 the difference is -25.5, exp ~ 8e-12: the
  // maximum takes everything.
  const SoftmaxParams p = S8Params(1, 2, 1.0, 0.1);
  EXPECT_EQ(RunS8(p, {127, -128}), (std::vector<int8_t>{127, -128}));
  EXPECT_EQ(RunS8(p, {-128, 127}), (std::vector<int8_t>{-128, 127}));
  EXPECT_EQ(RunS8(p, {-128, -128}), (std::vector<int8_t>{0, 0}));
}

// int16 output: the same arithmetic with exponent n + 15, units of 1/65536
// and offset -32768.
TEST(SoftmaxS8S16, HandDerived) {
  auto run = [](const SoftmaxParams& p, const std::vector<int8_t>& in) {
    std::vector<int16_t> out(in.size());
    SoftmaxS8S16Reference(p, in.data(), out.data());
    return out;
  };
  // One element: (2^31 - 2) / 2^15 -> 65536 - 32768 = 32768, clamped to 32767.
  EXPECT_EQ(run(S8Params(1, 1, 1.0, 0.1), {9}), (std::vector<int16_t>{32767}));
  // Four equal: sum 2^21, exponent 17: (2^31 - 2) / 2^17 -> 16384 -> -16384.
  EXPECT_EQ(run(S8Params(1, 4, 1.0, 0.1), {9, 9, 9, 9}), std::vector<int16_t>(4, -16384));
  // Scale ln 3: 3/4 and 1/4 of 65536 -> 49152, 16384 -> 16384, -16384.
  EXPECT_EQ(run(S8Params(1, 2, 1.0, std::log(3.0)), {5, 4}), (std::vector<int16_t>{16384, -16384}));
}

TEST(SoftmaxF32, HandDerived) {
  SoftmaxParams p{};
  p.rows = 2;
  p.depth = 4;
  p.beta = 1.0f;
  // Equal values: exp(0) = 1 each, sum 4, exactly 0.25.
  std::vector<float> in = {5, 5, 5, 5, -1, -1, -1, -1};
  std::vector<float> out(8);
  SoftmaxF32Reference(p, in.data(), out.data());
  for (float v : out) EXPECT_EQ(v, 0.25f);
  // [0, ln 3] -> 1/4, 3/4; with beta 2, [0, ln 3 / 2] gives the same.
  p.rows = 1;
  p.depth = 2;
  in = {0.0f, std::log(3.0f)};
  SoftmaxF32Reference(p, in.data(), out.data());
  EXPECT_NEAR(out[0], 0.25f, 1e-6f);
  EXPECT_NEAR(out[1], 0.75f, 1e-6f);
  p.beta = 2.0f;
  in = {0.0f, std::log(3.0f) / 2};
  SoftmaxF32Reference(p, in.data(), out.data());
  EXPECT_NEAR(out[0], 0.25f, 1e-6f);
  EXPECT_NEAR(out[1], 0.75f, 1e-6f);
}

// ---- Through the interpreter ----------------------------------------------

test::OpModel SoftmaxModel(const std::vector<int32_t>& shape, tflite::TensorType type, float in_scale,
                           int64_t in_zp, float out_scale, int64_t out_zp, float beta,
                           const std::vector<int32_t>& out_shape = {}) {
  test::OpModel m;
  const int x = m.Input(shape, type, in_scale, in_zp);
  const int y = m.Output(out_shape.empty() ? shape : out_shape, type, out_scale, out_zp);
  m.SetOp(tflite::BuiltinOperator_SOFTMAX, type == tflite::TensorType_INT8 ? 2 : 1, {x}, {y},
          tflite::BuiltinOptions_SoftmaxOptions,
          [beta](flatbuffers::FlatBufferBuilder& b) { return tflite::CreateSoftmaxOptions(b, beta).Union(); });
  return m;
}

TEST(Softmax, Int8Model) {
  // Rank 3, softmax over the last dimension (4): equal rows -> -64 each;
  // input zero point and scale do not matter for equal values.
  test::OpRunner r(SoftmaxModel({2, 1, 4}, tflite::TensorType_INT8, 0.05f, -128, 1.0f / 256, -128, 1.0f));
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<int8_t>(0, {7, 7, 7, 7, -128, -128, -128, -128});
  ASSERT_TRUE(r.Invoke().ok());
  EXPECT_EQ(r.Output<int8_t>(0), std::vector<int8_t>(8, -64));
}

TEST(Softmax, Float32Model) {
  test::OpRunner r(SoftmaxModel({1, 4}, tflite::TensorType_FLOAT32, 0, 0, 0, 0, 1.0f));
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<float>(0, {2, 2, 2, 2});
  ASSERT_TRUE(r.Invoke().ok());
  EXPECT_EQ(r.Output<float>(0), std::vector<float>(4, 0.25f));
}

TEST(Softmax, RejectsInvalidModels) {
  const auto kI8 = tflite::TensorType_INT8;
  // Output quantization other than 1/256, -128.
  EXPECT_EQ(test::OpRunner(SoftmaxModel({1, 4}, kI8, 0.1f, 0, 1.0f / 256, 0, 1.0f)).status().code(),
            StatusCode::kInvalidModel);
  EXPECT_EQ(test::OpRunner(SoftmaxModel({1, 4}, kI8, 0.1f, 0, 1.0f / 255, -128, 1.0f)).status().code(),
            StatusCode::kInvalidModel);
  // Within TFLite's tolerance (0.1%) is accepted.
  EXPECT_TRUE(test::OpRunner(SoftmaxModel({1, 4}, kI8, 0.1f, 0, 1.0005f / 256, -128, 1.0f)).status().ok());
  // Output shape differs from the input's.
  EXPECT_EQ(test::OpRunner(SoftmaxModel({1, 4}, kI8, 0.1f, 0, 1.0f / 256, -128, 1.0f, {1, 5}))
                .status()
                .code(),
            StatusCode::kInvalidModel);
  // Negative beta for int8.
  EXPECT_EQ(test::OpRunner(SoftmaxModel({1, 4}, kI8, 0.1f, 0, 1.0f / 256, -128, -1.0f)).status().code(),
            StatusCode::kUnsupported);
  // Non-finite beta.
  EXPECT_EQ(test::OpRunner(SoftmaxModel({1, 4}, tflite::TensorType_FLOAT32, 0, 0, 0, 0, NAN)).status().code(),
            StatusCode::kInvalidModel);
  // int16 (version 3) is not registered; an int16 model claiming version 2
  // is refused by dtype.
  {
    test::OpModel m;
    const int x = m.Input({1, 4}, tflite::TensorType_INT16, 0.1f, 0);
    const int y = m.Output({1, 4}, tflite::TensorType_INT16, 1.0f / 32768, 0);
    m.SetOp(tflite::BuiltinOperator_SOFTMAX, 2, {x}, {y});
    EXPECT_EQ(test::OpRunner(m).status().code(), StatusCode::kUnsupported);
  }
  // int8 -> int16 needs the output quantization the kernel writes.
  {
    test::OpModel m;
    const int x = m.Input({1, 4}, kI8, 0.1f, 0);
    const int y = m.Output({1, 4}, tflite::TensorType_INT16, 1.0f / 65536, -32768);
    m.SetOp(tflite::BuiltinOperator_SOFTMAX, 2, {x}, {y});
    test::OpRunner ok(m);
    ASSERT_TRUE(ok.status().ok()) << ok.status().message();
    ok.SetInput<int8_t>(0, {1, 1, 1, 1});
    ASSERT_TRUE(ok.Invoke().ok());
    // beta 0 (no options): every difference counts equally -> 1/4 each.
    EXPECT_EQ(ok.Output<int16_t>(0), std::vector<int16_t>(4, -16384));
    test::OpModel bad;
    const int bx = bad.Input({1, 4}, kI8, 0.1f, 0);
    const int by = bad.Output({1, 4}, tflite::TensorType_INT16, 1.0f / 32768, 0);
    bad.SetOp(tflite::BuiltinOperator_SOFTMAX, 2, {bx}, {by});
    EXPECT_EQ(test::OpRunner(bad).status().code(), StatusCode::kUnsupported);
  }
  // A scalar input.
  EXPECT_EQ(test::OpRunner(SoftmaxModel({}, tflite::TensorType_FLOAT32, 0, 0, 0, 0, 1.0f)).status().code(),
            StatusCode::kInvalidModel);
}

}  // namespace
}  // namespace ops
}  // namespace mote
