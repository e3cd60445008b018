// PAD / PADV2: hand-checked layouts and pad values, prepare rejections.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "op_model_builder.h"
#include "ops/pad/pad.h"

namespace mote {
namespace {

using tflite::TensorType_FLOAT32;
using tflite::TensorType_INT16;
using tflite::TensorType_INT32;
using tflite::TensorType_INT64;
using tflite::TensorType_INT8;

StatusCode InitCode(const test::OpModel& m) {
  test::OpRunner r(m);
  return r.status().code();
}

TEST(Pad, Int8FillsWithTheOutputZeroPoint) {
  // [1,2,2,1] padded by one row on top and bottom and one column on the
  // left: [1,4,3,1], the new cells hold zp = -5 (the quantized 0.0).
  test::OpModel m;
  const int x = m.Input({1, 2, 2, 1}, TensorType_INT8, 0.5f, -5);
  const int p = m.Const<int32_t>({4, 2}, TensorType_INT32, {0, 0, 1, 1, 1, 0, 0, 0});
  const int y = m.Output({1, 4, 3, 1}, TensorType_INT8, 0.5f, -5);
  m.SetOp(tflite::BuiltinOperator_PAD, 2, {x, p}, {y});
  test::OpRunner r(m);
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<int8_t>(0, {1, 2, 3, 4});
  r.Invoke();
  EXPECT_EQ(r.Output<int8_t>(0), (std::vector<int8_t>{-5, -5, -5,  //
                                                      -5, 1, 2,    //
                                                      -5, 3, 4,    //
                                                      -5, -5, -5}));
}

TEST(PadV2, FloatConstantValueInt64Paddings) {
  // [2,2] with int64 paddings {{0,1},{2,0}} -> [3,4], filled with 9.5.
  test::OpModel m;
  const int x = m.Input({2, 2}, TensorType_FLOAT32);
  const int p = m.Const<int64_t>({2, 2}, TensorType_INT64, {0, 1, 2, 0});
  const int c = m.Const<float>({}, TensorType_FLOAT32, {9.5f});
  const int y = m.Output({3, 4}, TensorType_FLOAT32);
  m.SetOp(tflite::BuiltinOperator_PADV2, 1, {x, p, c}, {y});
  test::OpRunner r(m);
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<float>(0, {1, 2, 3, 4});
  r.Invoke();
  EXPECT_EQ(r.Output<float>(0), (std::vector<float>{9.5f, 9.5f, 1, 2,  //
                                                    9.5f, 9.5f, 3, 4,  //
                                                    9.5f, 9.5f, 9.5f, 9.5f}));
}

TEST(PadV2, Int8ConstantValueAndRank5) {
  // Rank 5 [1,1,1,1,2] padded by one on both sides of the last dim, with
  // the constant 7 (quantized like the output): {7, a, b, 7}.
  test::OpModel m;
  const int x = m.Input({1, 1, 1, 1, 2}, TensorType_INT8, 0.25f, 127);
  const int p = m.Const<int32_t>({5, 2}, TensorType_INT32, {0, 0, 0, 0, 0, 0, 0, 0, 1, 1});
  const int c = m.Const<int8_t>({1}, TensorType_INT8, {7}, {0.25f}, {127});
  const int y = m.Output({1, 1, 1, 1, 4}, TensorType_INT8, 0.25f, 127);
  m.SetOp(tflite::BuiltinOperator_PADV2, 4, {x, p, c}, {y});
  test::OpRunner r(m);
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<int8_t>(0, {-128, 127});
  r.Invoke();
  EXPECT_EQ(r.Output<int8_t>(0), (std::vector<int8_t>{7, -128, 127, 7}));
}

TEST(Pad, Int32ZeroPaddingIsACopy) {
  test::OpModel m;
  const int x = m.Input({3}, TensorType_INT32);
  const int p = m.Const<int32_t>({1, 2}, TensorType_INT32, {0, 0});
  const int y = m.Output({3}, TensorType_INT32);
  m.SetOp(tflite::BuiltinOperator_PAD, 1, {x, p}, {y});
  test::OpRunner r(m);
  ASSERT_TRUE(r.status().ok()) << r.status().message();
  r.SetInput<int32_t>(0, {INT32_MIN, 0, INT32_MAX});
  r.Invoke();
  EXPECT_EQ(r.Output<int32_t>(0), (std::vector<int32_t>{INT32_MIN, 0, INT32_MAX}));
}

test::OpModel PadModel(const std::vector<int32_t>& in_shape, const std::vector<int32_t>& pads,
                       const std::vector<int32_t>& pads_shape,
                       const std::vector<int32_t>& out_shape,
                       tflite::TensorType type = TensorType_FLOAT32) {
  test::OpModel m;
  const float scale = type == TensorType_FLOAT32 ? 0.0f : 0.5f;
  const int x = m.Input(in_shape, type, scale, 0);
  const int p = m.Const<int32_t>(pads_shape, TensorType_INT32, pads);
  const int y = m.Output(out_shape, type, scale, 0);
  m.SetOp(tflite::BuiltinOperator_PAD, 1, {x, p}, {y});
  return m;
}

TEST(PadPrepare, Rejections) {
  // Negative paddings.
  EXPECT_EQ(InitCode(PadModel({4}, {-1, 0}, {1, 2}, {3})), StatusCode::kInvalidModel);
  // Output shape other than input + paddings.
  EXPECT_EQ(InitCode(PadModel({4}, {1, 0}, {1, 2}, {6})), StatusCode::kInvalidModel);
  // Paddings not [rank, 2].
  EXPECT_EQ(InitCode(PadModel({4}, {1, 0}, {2, 1}, {5})), StatusCode::kInvalidModel);
  EXPECT_EQ(InitCode(PadModel({2, 2}, {1, 0}, {1, 2}, {3, 2})), StatusCode::kInvalidModel);
  // Rank 6 (TFLite pads up to 5 dims).
  EXPECT_EQ(InitCode(PadModel({1, 1, 1, 1, 1, 2}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {6, 2},
                              {1, 1, 1, 1, 1, 2})),
            StatusCode::kUnsupported);
  // int16 activations.
  EXPECT_EQ(InitCode(PadModel({2}, {0, 1}, {1, 2}, {3}, TensorType_INT16)),
            StatusCode::kUnsupported);
  // Paddings computed at run time.
  {
    test::OpModel m;
    const int x = m.Input({2}, TensorType_FLOAT32);
    const int p = m.Input({1, 2}, TensorType_INT32);
    const int y = m.Output({3}, TensorType_FLOAT32);
    m.SetOp(tflite::BuiltinOperator_PAD, 1, {x, p}, {y});
    EXPECT_EQ(InitCode(m), StatusCode::kUnsupported);
  }
  // PADV2 int8 value quantized differently from the output.
  {
    test::OpModel m;
    const int x = m.Input({2}, TensorType_INT8, 0.5f, 0);
    const int p = m.Const<int32_t>({1, 2}, TensorType_INT32, {1, 0});
    const int c = m.Const<int8_t>({}, TensorType_INT8, {3}, {0.25f}, {0});
    const int y = m.Output({3}, TensorType_INT8, 0.5f, 0);
    m.SetOp(tflite::BuiltinOperator_PADV2, 2, {x, p, c}, {y});
    EXPECT_EQ(InitCode(m), StatusCode::kInvalidModel);
  }
  // PADV2 value of another type, or with two elements.
  {
    test::OpModel m;
    const int x = m.Input({2}, TensorType_FLOAT32);
    const int p = m.Const<int32_t>({1, 2}, TensorType_INT32, {1, 0});
    const int c = m.Const<float>({2}, TensorType_FLOAT32, {3.0f, 4.0f});
    const int y = m.Output({3}, TensorType_FLOAT32);
    m.SetOp(tflite::BuiltinOperator_PADV2, 1, {x, p, c}, {y});
    EXPECT_EQ(InitCode(m), StatusCode::kInvalidModel);
  }
}

}  // namespace
}  // namespace mote
