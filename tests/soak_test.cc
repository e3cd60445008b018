// Soak: one interpreter invoked 100,000 times must give the same output
// bytes every time and use no memory beyond its fixed arena: no heap
// allocation at all during Invoke (counted through the global operator new
// and glibc's mallinfo2), and no growth of the resident set.
//
// Model: anomaly_mlp (the cheapest bundled model per invoke: 198,656 MACs,
// six FULLY_CONNECTED), about 11 s of CPU for 100,000 invokes in Release.
// Under the sanitizers (asan preset) the loop runs 2,000 times and only the
// outputs are compared: the point there is memory errors, not endurance.
#include <gtest/gtest.h>

#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "host_runner.h"
#include "mote/mote.h"
#include "test_util.h"

#if defined(__SANITIZE_ADDRESS__)
#define MOTE_SOAK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOTE_SOAK_SANITIZED 1
#endif
#endif
#ifndef MOTE_SOAK_SANITIZED
#define MOTE_SOAK_SANITIZED 0
#endif

namespace {
// Heap allocations through operator new while counting is on. (The
// sanitizers replace operator new themselves: the count is skipped there.)
std::atomic<bool> g_counting{false};
std::atomic<long> g_news{0};
}  // namespace

#if !MOTE_SOAK_SANITIZED
void* operator new(size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_news.fetch_add(1, std::memory_order_relaxed);
  void* p = malloc(size > 0 ? size : 1);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }
#endif

namespace mote {
namespace {

// Resident set size in bytes (/proc/self/statm, second field, in pages).
long ResidentBytes() {
  FILE* f = fopen("/proc/self/statm", "r");
  if (f == nullptr) return -1;
  long size = 0, resident = 0;
  const int n = fscanf(f, "%ld %ld", &size, &resident);
  fclose(f);
  return n == 2 ? resident * 4096L : -1;
}

TEST(Soak, HundredThousandInvokesSameOutputNoGrowth) {
  const int kInvokes = MOTE_SOAK_SANITIZED ? 2000 : 100000;
  const std::string dir = test::SourceDir() + "/models/";
  cli::AlignedBytes model;
  std::string error;
  ASSERT_TRUE(cli::ReadFile(dir + "anomaly_mlp.tflite", &model, &error)) << error;
  const std::vector<uint8_t> input = test::ReadBytes(dir + "anomaly_mlp.input0.bin");
  OpRegistry ops;
  ASSERT_TRUE(RegisterAllOps(&ops).ok());
  alignas(16) static uint8_t arena[64 * 1024];
  Interpreter interp;
  const Status s = interp.Init(model.data(), model.size(), ops, arena, sizeof(arena));
  ASSERT_TRUE(s.ok()) << s.message();
  Tensor* in = interp.input(0);
  const Tensor* out = interp.output(0);
  ASSERT_EQ(static_cast<size_t>(in->bytes), input.size());

  // Reference output, and a warm-up so that the first-touch of pages is done.
  memcpy(in->data, input.data(), input.size());
  ASSERT_TRUE(interp.Invoke().ok());
  const std::vector<uint8_t> expected(out->data, out->data + out->bytes);
  for (int i = 0; i < 10; ++i) {
    memcpy(in->data, input.data(), input.size());
    ASSERT_TRUE(interp.Invoke().ok());
  }

  // Ten chunks; the resident set is sampled after each. The first chunk
  // absorbs one-time effects (lazily mapped pages); from then on nothing may
  // grow: a leak of even one byte per invoke would add 88 KB.
  constexpr int kChunks = 10;
  long rss[kChunks] = {};
  (void)ResidentBytes();  // its first fopen allocates for good
  const struct mallinfo2 heap_before = mallinfo2();
  g_news = 0;
  int mismatches = 0;
  int first_mismatch = -1;
  for (int c = 0; c < kChunks; ++c) {
    g_counting = true;
    for (int i = c * (kInvokes / kChunks); i < (c + 1) * (kInvokes / kChunks); ++i) {
      // The planner may reuse the input's memory: rewrite it before each run.
      memcpy(in->data, input.data(), input.size());
      if (!interp.Invoke().ok() || memcmp(out->data, expected.data(), expected.size()) != 0) {
        if (mismatches++ == 0) first_mismatch = i;
      }
    }
    g_counting = false;
    rss[c] = ResidentBytes();
  }
  const struct mallinfo2 heap_after = mallinfo2();

  EXPECT_EQ(mismatches, 0) << "first differing invoke: " << first_mismatch;
  EXPECT_EQ(g_news.load(), 0) << "operator new called during Invoke";
  if (!MOTE_SOAK_SANITIZED) {
    EXPECT_EQ(heap_after.uordblks, heap_before.uordblks) << "malloc'd bytes changed";
    EXPECT_EQ(heap_after.hblkhd, heap_before.hblkhd) << "mmap'd heap changed";
  }
  ASSERT_GT(rss[0], 0);
  // (Under ASan the resident set moves with its shadow memory and quarantine.)
  if (!MOTE_SOAK_SANITIZED) {
    EXPECT_LE(rss[kChunks - 1] - rss[0], 32 * 1024)
        << "resident set grew from " << rss[0] << " to " << rss[kChunks - 1] << " bytes";
  }
}

}  // namespace
}  // namespace mote
