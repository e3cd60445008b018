// Interpreter behaviour that does not depend on any one op: exact arena
// sizing, failure messages, missing ops, misuse of the API.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "host_runner.h"
#include "mote/mote.h"
#include "runtime/kernel_api.h"
#include "test_util.h"

namespace mote {
namespace {

cli::AlignedBytes LoadModel(const std::string& name) {
  cli::AlignedBytes bytes;
  std::string error;
  EXPECT_TRUE(cli::ReadFile(test::SourceDir() + "/models/" + name, &bytes, &error)) << error;
  return bytes;
}

TEST(Interpreter, ArenaSizeIsExact) {
  const cli::AlignedBytes model = LoadModel("kws_dscnn.tflite");
  OpRegistry ops;
  ASSERT_TRUE(RegisterAllOps(&ops).ok());
  // Measure on a generous arena.
  std::vector<uint64_t> big((1 << 20) / 8);
  Interpreter interp;
  Status s = interp.Init(model.data(), model.size(), ops, big.data(), big.size() * 8);
  ASSERT_TRUE(s.ok()) << s.message();
  const size_t needed = interp.arena_bytes_used();
  ASSERT_GT(needed, 0u);
  ASSERT_EQ(needed % 16, 0u);

  // Exactly that many bytes suffice...
  std::vector<uint64_t> exact(needed / 8);
  s = interp.Init(model.data(), model.size(), ops, exact.data(), needed);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(interp.arena_bytes_used(), needed);
  // ...and 16 fewer do not, with the exact figure in the message.
  s = interp.Init(model.data(), model.size(), ops, exact.data(), needed - 16);
  EXPECT_EQ(s.code(), StatusCode::kArenaTooSmall);
  const std::string want = "arena too small: needs " + std::to_string(needed) + " bytes, got " +
                           std::to_string(needed - 16);
  EXPECT_EQ(std::string(s.message()), want);
  EXPECT_FALSE(interp.initialized());
  EXPECT_EQ(interp.Invoke().code(), StatusCode::kInvalidArgument);
}

TEST(Interpreter, TinyArenasReportTheNeedToo) {
  const cli::AlignedBytes model = LoadModel("kws_dscnn.tflite");
  OpRegistry ops;
  ASSERT_TRUE(RegisterAllOps(&ops).ok());
  std::vector<uint64_t> arena(1 << 17);
  Interpreter interp;
  ASSERT_TRUE(interp.Init(model.data(), model.size(), ops, arena.data(), arena.size() * 8).ok());
  const size_t needed = interp.arena_bytes_used();
  // Persistent data alone overflows: the reported need is still exact.
  for (size_t size : {size_t{4096}, needed / 2, needed - 1}) {
    Status s = interp.Init(model.data(), model.size(), ops, arena.data(), size);
    EXPECT_EQ(s.code(), StatusCode::kArenaTooSmall) << size;
    EXPECT_NE(std::string(s.message()).find("needs " + std::to_string(needed) + " bytes"),
              std::string::npos)
        << s.message();
  }
}

TEST(Interpreter, MissingOpsAreListedWithVersionAndNodes) {
  const cli::AlignedBytes model = LoadModel("kws_dscnn.tflite");
  OpRegistry ops;  // nothing registered but RESHAPE
  ASSERT_TRUE(ops.Add(ops::Reshape()).ok());
  std::vector<uint64_t> arena(1 << 14);
  Interpreter interp;
  Status s = interp.Init(model.data(), model.size(), ops, arena.data(), arena.size() * 8);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  const std::string msg = s.message();
  EXPECT_NE(msg.find("CONV_2D v"), std::string::npos) << msg;
  EXPECT_NE(msg.find("DEPTHWISE_CONV_2D v"), std::string::npos) << msg;
  EXPECT_NE(msg.find("FULLY_CONNECTED v"), std::string::npos) << msg;
  EXPECT_NE(msg.find("SOFTMAX v"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(nodes 0"), std::string::npos) << msg;  // the first conv is node 0
}

TEST(Interpreter, RejectsNonModelsAndNulls) {
  OpRegistry ops;
  std::vector<uint64_t> arena(1024);
  Interpreter interp;
  EXPECT_EQ(interp.Init(nullptr, 100, ops, arena.data(), 8192).code(), StatusCode::kInvalidArgument);
  alignas(16) uint8_t junk[64] = {};
  EXPECT_EQ(interp.Init(junk, sizeof(junk), ops, arena.data(), 8192).code(), StatusCode::kInvalidModel);
  const cli::AlignedBytes model = LoadModel("kws_dscnn.tflite");
  EXPECT_EQ(interp.Init(model.data(), model.size(), ops, nullptr, 8192).code(),
            StatusCode::kInvalidArgument);
  // Truncated: the verifier must catch it.
  EXPECT_EQ(interp.Init(model.data(), model.size() / 2, ops, arena.data(), 8192).code(),
            StatusCode::kInvalidModel);
  EXPECT_EQ(interp.Invoke().code(), StatusCode::kInvalidArgument);
}

TEST(Interpreter, RegistryRejectsOverlappingVersions) {
  OpRegistry ops;
  ASSERT_TRUE(ops.Add(ops::Reshape()).ok());
  ASSERT_TRUE(ops.Add(ops::Reshape()).ok());  // the same registration twice is harmless
  EXPECT_EQ(ops.size(), 1u);
  OpRegistration clash = ops::Reshape();
  EXPECT_EQ(ops.Add(clash).code(), StatusCode::kInvalidArgument);
}

// Two interpreters on two arenas never interfere.
TEST(Interpreter, TwoInterpretersAreIndependent) {
  const cli::AlignedBytes model = LoadModel("kws_dscnn.tflite");
  const std::vector<uint8_t> in0 = test::ReadBytes(test::SourceDir() + "/models/kws_dscnn.input0.bin");
  const std::vector<uint8_t> in1 = test::ReadBytes(test::SourceDir() + "/models/kws_dscnn.input1.bin");
  OpRegistry ops;
  ASSERT_TRUE(RegisterAllOps(&ops).ok());
  std::vector<uint64_t> a(1 << 16), b(1 << 16);
  Interpreter ia, ib;
  ASSERT_TRUE(ia.Init(model.data(), model.size(), ops, a.data(), a.size() * 8).ok());
  ASSERT_TRUE(ib.Init(model.data(), model.size(), ops, b.data(), b.size() * 8).ok());
  auto run = [](Interpreter& i, const std::vector<uint8_t>& in) {
    memcpy(i.input(0)->data, in.data(), in.size());
    EXPECT_TRUE(i.Invoke().ok());
    const Tensor* o = i.output(0);
    return std::vector<uint8_t>(o->data, o->data + o->bytes);
  };
  const std::vector<uint8_t> alone0 = run(ia, in0);
  const std::vector<uint8_t> alone1 = run(ib, in1);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(run(ia, in0), alone0);
    EXPECT_EQ(run(ib, in1), alone1);
  }
  EXPECT_NE(alone0, alone1);
}

}  // namespace
}  // namespace mote
