#include "plan/planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace mote {
namespace plan {
namespace {

class VectorBuffers : public BufferSet {
 public:
  explicit VectorBuffers(std::vector<Buffer> b) : b_(std::move(b)) {}
  size_t count() const override { return b_.size(); }
  Buffer get(size_t i) const override { return b_[i]; }
  void set_offset(size_t i, int32_t offset) override { b_[i].offset = offset; }
  std::vector<Buffer> b_;
};

// A chain a -> b -> c: a and c never live together, so c reuses a's place.
TEST(Planner, ChainReusesMemory) {
  VectorBuffers set({{100, 0, 1, -1}, {200, 1, 2, -1}, {100, 2, 3, -1}});
  const size_t peak = PlanGreedyBySize(&set);
  // b (largest, 208 bytes aligned) at 0; a at 208; c at 208 (a is dead).
  EXPECT_EQ(set.b_[1].offset, 0);
  EXPECT_EQ(set.b_[0].offset, 208);
  EXPECT_EQ(set.b_[2].offset, 208);
  EXPECT_EQ(peak, 208u + 112u);
  EXPECT_TRUE(VerifyPlan(set));
}

TEST(Planner, DisjointLifetimesShareOffsetZero) {
  VectorBuffers set({{64, 0, 0, -1}, {32, 1, 1, -1}, {48, 2, 2, -1}});
  EXPECT_EQ(PlanGreedyBySize(&set), 64u);
  for (const Buffer& b : set.b_) EXPECT_EQ(b.offset, 0);
}

TEST(Planner, ZeroSizedBuffersAreIgnored) {
  VectorBuffers set({{0, 0, 5, -1}, {16, 0, 5, -1}});
  EXPECT_EQ(PlanGreedyBySize(&set), 16u);
  EXPECT_EQ(set.b_[0].offset, -1);
}

// The peak is never below the largest set of simultaneously live bytes, and
// every plan is valid, on random graphs.
TEST(Planner, RandomPlansAreValidAndAboveTheLowerBound) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 40);
    const int ops = 1 + static_cast<int>(rng() % 20);
    std::vector<Buffer> buffers;
    for (int i = 0; i < n; ++i) {
      const int32_t first = static_cast<int32_t>(rng() % ops);
      const int32_t last = first + static_cast<int32_t>(rng() % 4);
      buffers.push_back({static_cast<int32_t>(1 + rng() % 5000), first, last, -1});
    }
    VectorBuffers set(buffers);
    const size_t peak = PlanGreedyBySize(&set);
    ASSERT_TRUE(VerifyPlan(set)) << "trial " << trial;
    size_t lower = 0;
    for (int t = 0; t < ops + 4; ++t) {
      size_t live = 0;
      for (const Buffer& b : set.b_) {
        if (b.first <= t && t <= b.last) live += static_cast<size_t>(AlignUp(b.size));
      }
      lower = std::max(lower, live);
    }
    EXPECT_GE(peak, lower);
    size_t top = 0;
    for (const Buffer& b : set.b_) top = std::max(top, static_cast<size_t>(b.offset + AlignUp(b.size)));
    EXPECT_EQ(peak, top);
  }
}

TEST(Planner, VerifyPlanCatchesOverlap) {
  VectorBuffers set({{32, 0, 2, 0}, {32, 1, 3, 16}});
  EXPECT_FALSE(VerifyPlan(set));
  set.b_[1].offset = 32;
  EXPECT_TRUE(VerifyPlan(set));
}

}  // namespace
}  // namespace plan
}  // namespace mote
