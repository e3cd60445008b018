// StreamingGap against a byte-level simulation of the worst kernel the rule
// admits: per block of output pixels, it first writes every output byte of
// the block, then reads every input byte the block's windows touch.
#include "ops/streaming.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace mote {
namespace ops {
namespace {

struct Window {
  StreamingShape s;
  int32_t filter_h, filter_w, dilation_h, dilation_w;
};

// Places the output at 0 and the input at `gap`; returns false when some
// read finds a byte the kernel already overwrote.
// With `reads_first`, a block's reads all come before its writes.
bool SimulateSafe(const Window& w, int32_t block, int64_t gap, bool reads_first = false) {
  const StreamingShape& s = w.s;
  const int64_t in_bytes = static_cast<int64_t>(s.batches) * s.in_h * s.in_w * s.in_c;
  const int64_t out_bytes = static_cast<int64_t>(s.batches) * s.out_h * s.out_w * s.out_c;
  const int64_t size = std::max(gap + in_bytes, out_bytes);
  std::vector<uint8_t> clobbered(static_cast<size_t>(size), 0);
  const int64_t per_batch = static_cast<int64_t>(s.out_h) * s.out_w;
  const int64_t pixels = per_batch * s.batches;
  for (int64_t start = 0; start < pixels; start += block) {
    const int64_t stop = std::min(pixels, start + block);
    if (!reads_first) {
      for (int64_t o = start * s.out_c; o < stop * s.out_c; ++o) clobbered[o] = 1;
    }
    for (int64_t p = start; p < stop; ++p) {
      const int64_t b = p / per_batch, oy = (p % per_batch) / s.out_w, ox = p % s.out_w;
      for (int32_t ky = 0; ky < w.filter_h; ++ky) {
        const int64_t y = oy * s.stride_h - s.pad_h + ky * w.dilation_h;
        if (y < 0 || y >= s.in_h) continue;
        for (int32_t kx = 0; kx < w.filter_w; ++kx) {
          const int64_t x = ox * s.stride_w - s.pad_w + kx * w.dilation_w;
          if (x < 0 || x >= s.in_w) continue;
          const int64_t at = gap + ((b * s.in_h + y) * s.in_w + x) * s.in_c;
          for (int32_t c = 0; c < s.in_c; ++c) {
            if (clobbered[at + c]) return false;
          }
        }
      }
    }
    if (reads_first) {
      for (int64_t o = start * s.out_c; o < stop * s.out_c; ++o) clobbered[o] = 1;
    }
  }
  return true;
}

Window RandomWindow(std::mt19937& rng) {
  Window w;
  StreamingShape& s = w.s;
  s.batches = 1 + static_cast<int32_t>(rng() % 2);
  s.in_h = 1 + static_cast<int32_t>(rng() % 12);
  s.in_w = 1 + static_cast<int32_t>(rng() % 12);
  s.in_c = 1 + static_cast<int32_t>(rng() % 9);
  s.out_c = 1 + static_cast<int32_t>(rng() % 17);
  w.filter_h = 1 + static_cast<int32_t>(rng() % 4);
  w.filter_w = 1 + static_cast<int32_t>(rng() % 4);
  w.dilation_h = 1 + static_cast<int32_t>(rng() % 2);
  w.dilation_w = 1 + static_cast<int32_t>(rng() % 2);
  s.stride_h = 1 + static_cast<int32_t>(rng() % 3);
  s.stride_w = 1 + static_cast<int32_t>(rng() % 3);
  const bool same = rng() % 2;
  // TFLite's SAME / VALID extents and leading padding.
  auto extent = [&](int32_t in, int32_t f, int32_t st, int32_t d, int32_t* pad) {
    const int32_t eff = (f - 1) * d + 1;
    const int32_t out = same ? (in + st - 1) / st : (in - eff + st) / st;
    const int32_t total = std::max(0, (out - 1) * st + eff - in);
    *pad = same ? total / 2 : 0;
    return out;
  };
  s.out_h = extent(s.in_h, w.filter_h, s.stride_h, w.dilation_h, &s.pad_h);
  s.out_w = extent(s.in_w, w.filter_w, s.stride_w, w.dilation_w, &s.pad_w);
  return w;
}

TEST(StreamingGap, SafeAndTightOnRandomWindows) {
  std::mt19937 rng(7);
  int checked = 0, tight = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const Window w = RandomWindow(rng);
    if (w.s.out_h < 1 || w.s.out_w < 1) continue;
    const int32_t block = 1 + static_cast<int32_t>(rng() % 5);
    const int32_t gap = StreamingGap(w.s, block);
    ASSERT_GE(gap, 0);
    ASSERT_TRUE(SimulateSafe(w, block, gap))
        << "trial " << trial << " gap " << gap << " block " << block;
    ++checked;
    if (gap > 0 && !SimulateSafe(w, block, gap - 1)) ++tight;
  }
  EXPECT_GT(checked, 2000);
  // The bound is exact whenever the least read is the window's own corner
  // (no dilation skipping a padded row): most random windows.
  EXPECT_GT(tight, checked / 2);
}

TEST(StreamingGap, ReadsFirstSafeAndNeverLarger) {
  std::mt19937 rng(17);
  int checked = 0, positive = 0, tight = 0, smaller = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const Window w = RandomWindow(rng);
    if (w.s.out_h < 1 || w.s.out_w < 1) continue;
    const int32_t block = 1 + static_cast<int32_t>(rng() % 40);
    const int32_t gap = StreamingGap(w.s, block, /*reads_first=*/true);
    ASSERT_GE(gap, 0);
    ASSERT_TRUE(SimulateSafe(w, block, gap, true))
        << "trial " << trial << " gap " << gap << " block " << block;
    ASSERT_LE(gap, StreamingGap(w.s, block));
    ++checked;
    smaller += gap < StreamingGap(w.s, block);
    positive += gap > 0;
    if (gap > 0 && !SimulateSafe(w, block, gap - 1, true)) ++tight;
  }
  EXPECT_GT(checked, 2000);
  EXPECT_GT(smaller, checked / 2);
  printf("reads first: %d windows, %d smaller gaps, %d positive, %d tight\n", checked, smaller,
         positive, tight);
  EXPECT_GT(tight, positive / 2);
}

// Hand-checked, reads first: a 1x1 conv on 8 pixels of 16 channels, tiles
// of 4. Tile 0 writes bytes [0, 64) after reading its own input, while
// tile 1's input starts at byte 64: gap 0. With 32 channels out, tile 0's
// writes end at 128: gap 128 - 64 = 64 (tile 1 ends at 256, nothing after).
TEST(StreamingGap, ReadsFirstPointwiseByHand) {
  StreamingShape s{1, 1, 8, 16, 1, 8, 16, 1, 1, 0, 0};
  EXPECT_EQ(StreamingGap(s, 4, true), 0);
  EXPECT_EQ(StreamingGap(s, 4, false), 64);  // writes before the reads: a tile
  s.out_c = 32;
  EXPECT_EQ(StreamingGap(s, 4, true), 64);
}

// Hand-checked: a 1x1 conv, 4 pixels of 8 channels to 16, two pixels per
// block. Block 0 writes 32 bytes while pixel 0 (input byte 0) is unread:
// gap >= 32; block 1 ends at 64 with pixel 2 (byte 16) unread: gap >= 48.
TEST(StreamingGap, PointwiseByHand) {
  StreamingShape s{1, 1, 4, 8, 1, 4, 16, 1, 1, 0, 0};
  EXPECT_EQ(StreamingGap(s, 2), 48);
  EXPECT_EQ(StreamingGap(s, 1), 16 * 4 - 8 * 3);  // pixel 3: writes end at 64, reads from 24
  s.out_c = 4;  // fewer channels out: block 0 bounds it (8 bytes over byte 0)
  EXPECT_EQ(StreamingGap(s, 2), 8);
}

TEST(StreamingGap, RefusesDegenerateAndHugeShapes) {
  StreamingShape s{1, 1, 4, 8, 1, 4, 16, 1, 1, 0, 0};
  EXPECT_EQ(StreamingGap(s, 0), -1);
  s.out_c = 0;
  EXPECT_EQ(StreamingGap(s, 1), -1);
  StreamingShape big{64, 1024, 1024, 1, 1024, 1024, 1, 1, 1, 0, 0};
  EXPECT_EQ(StreamingGap(big, 1), -1);
}

// A ring kernel at byte level: per channel group (and batch, in either
// nesting), input lines (rows, or with `columns` whole columns) are copied
// (read) in increasing order just before the first output line that needs
// them; then that output line's group bytes are written. The output sits at
// 0, the input `diff` bytes above.
bool SimulateRingSafe(const Window& w, int32_t group, bool batch_outer, int64_t diff,
                      bool columns = false) {
  const StreamingShape& s = w.s;
  const int64_t C = s.in_c;
  const int64_t in_bytes = static_cast<int64_t>(s.batches) * s.in_h * s.in_w * C;
  const int64_t out_bytes = static_cast<int64_t>(s.batches) * s.out_h * s.out_w * C;
  std::vector<uint8_t> clobbered(static_cast<size_t>(std::max(diff + in_bytes, out_bytes)), 0);
  // Along a line / across lines, for the input and the output.
  const int64_t out_lines = columns ? s.out_w : s.out_h, out_len = columns ? s.out_h : s.out_w;
  const int64_t in_lines = columns ? s.in_w : s.in_h, in_len = columns ? s.in_h : s.in_w;
  const int64_t stride = columns ? s.stride_w : s.stride_h, pad = columns ? s.pad_w : s.pad_h;
  const int64_t reach = columns ? (w.filter_w - 1) * w.dilation_w : (w.filter_h - 1) * w.dilation_h;
  auto pixel = [columns](int64_t line, int64_t i, int64_t width) {
    return columns ? i * width + line : line * width + i;  // (y, x) in a row of `width`
  };
  const int32_t outer = batch_outer ? s.batches : (s.in_c + group - 1) / group;
  const int32_t inner = batch_outer ? (s.in_c + group - 1) / group : s.batches;
  for (int32_t i = 0; i < outer; ++i) {
    for (int32_t j = 0; j < inner; ++j) {
      const int64_t b = batch_outer ? i : j;
      const int64_t c0 = static_cast<int64_t>(batch_outer ? j : i) * group;
      const int64_t c1 = std::min<int64_t>(C, c0 + group);
      int64_t copied = -1;  // input lines [0, copied] are in the ring
      for (int64_t o = 0; o < out_lines; ++o) {
        const int64_t hi = std::min<int64_t>(in_lines - 1, o * stride - pad + reach);
        for (int64_t l = copied + 1; l <= hi; ++l) {
          if (l < 0) continue;
          for (int64_t k = 0; k < in_len; ++k) {
            const int64_t px = b * s.in_h * s.in_w + pixel(l, k, s.in_w);
            for (int64_t c = c0; c < c1; ++c) {
              if (clobbered[diff + px * C + c]) return false;
            }
          }
        }
        if (hi > copied) copied = hi;
        for (int64_t k = 0; k < out_len; ++k) {
          const int64_t px = b * s.out_h * s.out_w + pixel(o, k, s.out_w);
          for (int64_t c = c0; c < c1; ++c) clobbered[px * C + c] = 1;
        }
      }
    }
  }
  return true;
}

TEST(StreamingGap, RingGapSafeOnRandomDepthwiseWindows) {
  std::mt19937 rng(11);
  int checked = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    Window w = RandomWindow(rng);
    w.s.out_c = w.s.in_c;  // depth multiplier 1
    if (w.s.out_h < 1 || w.s.out_w < 1) continue;
    int32_t align = 0;
    const int32_t gap = RingStreamingGap(w.s, w.filter_h, w.dilation_h, &align);
    ASSERT_GE(gap, 0);
    ASSERT_EQ(gap % align, 0);
    ASSERT_EQ(align % 16, 0);
    ASSERT_EQ(align % w.s.in_c, 0);
    const int32_t group = 1 + static_cast<int32_t>(rng() % w.s.in_c);
    const bool batch_outer = rng() % 2;
    for (int k = 0; k < 3; ++k) {  // the gap and the next aligned offsets
      ASSERT_TRUE(SimulateRingSafe(w, group, batch_outer, gap + k * align))
          << "trial " << trial << " gap " << gap << " + " << k << " x " << align;
    }
    ++checked;
  }
  EXPECT_GT(checked, 2000);
}

TEST(StreamingGap, ColumnGapSafeOnRandomDepthwiseWindows) {
  std::mt19937 rng(13);
  int checked = 0, refused_but_safe = 0;
  for (int trial = 0; trial < 6000; ++trial) {
    Window w = RandomWindow(rng);
    w.s.out_c = w.s.in_c;  // depth multiplier 1
    if (w.s.out_h < 1 || w.s.out_w < 1) continue;
    const int32_t group = 1 + static_cast<int32_t>(rng() % w.s.in_c);
    const bool batch_outer = rng() % 2;
    int32_t align = 0;
    const int32_t gap = ColumnStreamingGap(w.s, w.filter_w, w.dilation_w, &align);
    if (gap < 0) {
      refused_but_safe += SimulateRingSafe(w, group, batch_outer, 0, true);
      continue;
    }
    ASSERT_EQ(gap, 0);
    ASSERT_EQ(align % 16, 0);
    ASSERT_EQ(align % (w.s.in_w * w.s.in_c), 0);
    for (int k = 0; k < 4; ++k) {  // the gap and the next aligned offsets
      ASSERT_TRUE(SimulateRingSafe(w, group, batch_outer, static_cast<int64_t>(k) * align, true))
          << "trial " << trial << " offset " << k << " x " << align;
    }
    ++checked;
  }
  EXPECT_GT(checked, 500);
  EXPECT_GT(refused_but_safe, 0);  // the rule is sufficient, not necessary
}

// A column walk does not get safer with a larger gap. 3x3 SAME on a 5x3x1
// input: output column 0 is written once input columns 0..1 are copied.
// With the output one pixel below its input, output pixel (1, 0) lands on
// input pixel (0, 2), which the ring copies only for output column 1: unsafe.
// One whole row below (3 pixels), (1, 0) lands on (0, 0): safe.
TEST(StreamingGap, ColumnGapByHand) {
  int32_t align = 0;
  const StreamingShape tall{1, 5, 3, 1, 5, 3, 1, 1, 1, 1, 1};
  EXPECT_EQ(ColumnStreamingGap(tall, 3, 1, &align), 0);
  EXPECT_EQ(align, 48);  // lcm(3 * 1, 16)
  const Window w{tall, 3, 3, 1, 1};
  EXPECT_TRUE(SimulateRingSafe(w, 1, false, 0, true));
  EXPECT_FALSE(SimulateRingSafe(w, 1, false, 1, true));
  EXPECT_TRUE(SimulateRingSafe(w, 1, false, 3, true));
  // kws's 25x5x64 layers: align lcm(320, 16) = 320.
  EXPECT_EQ(ColumnStreamingGap(StreamingShape{1, 25, 5, 64, 25, 5, 64, 1, 1, 1, 1}, 3, 1, &align),
            0);
  EXPECT_EQ(align, 320);
  // Stride 2 along the columns: out_w != in_w, refused.
  EXPECT_EQ(ColumnStreamingGap(StreamingShape{1, 8, 8, 4, 8, 4, 4, 1, 2, 1, 0}, 3, 1, &align), -1);
  // Different channel counts: refused.
  EXPECT_EQ(ColumnStreamingGap(StreamingShape{1, 8, 4, 1, 8, 4, 8, 1, 1, 1, 1}, 3, 1, &align), -1);
}

// Hand-checked: 3x3 stride 1 SAME on 4x4x16: row 0 is written once rows
// 0..1 are copied: (0 + 1) * 4 - 2 * 4 < 0; every row oy >= 1 likewise has
// R(oy) = oy + 1 until the last, R(3) = 3: 4 * 4 - 4 * 4 = 0. Gap 0: the
// output may sit exactly on its input. Stride 2 VALID on 5x5: output rows
// 0, 1 need input rows 0..2, 0..4: 1 * 2 - 3 * 5 < 0, 2 * 2 - 5 * 5 < 0.
TEST(StreamingGap, RingGapByHand) {
  int32_t align = 0;
  EXPECT_EQ(RingStreamingGap(StreamingShape{1, 4, 4, 16, 4, 4, 16, 1, 1, 1, 1}, 3, 1, &align), 0);
  EXPECT_EQ(align, 16);
  EXPECT_EQ(RingStreamingGap(StreamingShape{1, 5, 5, 8, 2, 2, 8, 2, 2, 0, 0}, 3, 1, &align), 0);
  EXPECT_EQ(align, 16);
  // A 1x1 "depthwise" with stride 1: row oy is written when row oy is
  // copied: (oy + 1) * W - (oy + 1) * W = 0.
  EXPECT_EQ(RingStreamingGap(StreamingShape{1, 3, 3, 24, 3, 3, 24, 1, 1, 0, 0}, 1, 1, &align), 0);
  EXPECT_EQ(align, 48);
  // Different channel counts: not a ring kernel's overlap.
  EXPECT_EQ(RingStreamingGap(StreamingShape{1, 3, 3, 1, 3, 3, 8, 1, 1, 0, 0}, 1, 1, &align), -1);
}

}  // namespace
}  // namespace ops
}  // namespace mote
