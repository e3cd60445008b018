#include "ops/streaming.h"

namespace mote {
namespace ops {
namespace {

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// The least input byte output pixel (b, oy, ox) can read.
int64_t LeastRead(const StreamingShape& s, int64_t b, int64_t oy, int64_t ox) {
  const int64_t y = Clamp(oy * s.stride_h - s.pad_h, 0, s.in_h - 1);
  const int64_t x = Clamp(ox * s.stride_w - s.pad_w, 0, s.in_w - 1);
  return ((b * s.in_h + y) * s.in_w + x) * s.in_c;
}

// lcm(n, 16) for n >= 1.
int64_t Lcm16(int64_t n) {
  int64_t a = 16;
  int64_t c = n;
  while (c % 2 == 0 && a > 1) {
    c /= 2;
    a /= 2;
  }
  return a * n;
}

}  // namespace

int32_t StreamingGap(const StreamingShape& s, int32_t block, bool reads_first) {
  if (block < 1 || s.batches < 1 || s.in_h < 1 || s.in_w < 1 || s.in_c < 1 || s.out_h < 1 ||
      s.out_w < 1 || s.out_c < 1) {
    return -1;
  }
  const int64_t per_batch = static_cast<int64_t>(s.out_h) * s.out_w;
  const int64_t pixels = per_batch * s.batches;
  if ((pixels + block - 1) / block > (INT64_C(1) << 22)) return -1;
  int64_t gap = 0;
  int64_t prev_end = 0;  // where the previous block's writes end
  for (int64_t start = 0; start < pixels; start += block) {
    const int64_t b = start / per_batch;
    const int64_t oy = (start % per_batch) / s.out_w;
    const int64_t ox = start % s.out_w;
    // need: a lower bound of every read of this block and the later ones.
    int64_t need = LeastRead(s, b, oy, ox);
    if (oy + 1 < s.out_h) {
      const int64_t next_row = LeastRead(s, b, oy + 1, 0);
      if (next_row < need) need = next_row;
    }
    const int64_t end = (start + block < pixels ? start + block : pixels) * s.out_c;
    const int64_t written = reads_first ? prev_end : end;  // before these reads
    if (written - need > gap) gap = written - need;
    prev_end = end;
  }
  return gap > INT64_C(0x7fffffff) ? -1 : static_cast<int32_t>(gap);
}

int32_t RingStreamingGap(const StreamingShape& s, int32_t filter_h, int32_t dilation_h,
                         int32_t* align) {
  if (s.in_c != s.out_c || s.in_c < 1 || s.batches < 1 || s.in_h < 1 || s.in_w < 1 ||
      s.out_h < 1 || s.out_w < 1 || filter_h < 1 || dilation_h < 1 || s.out_h > (1 << 22)) {
    return -1;
  }
  int64_t gap_px = 0;
  for (int64_t oy = 0; oy < s.out_h; ++oy) {
    int64_t r = oy * s.stride_h - s.pad_h + static_cast<int64_t>(filter_h - 1) * dilation_h;
    if (r > s.in_h - 1) r = s.in_h - 1;
    if (r < -1) r = -1;
    const int64_t need = (oy + 1) * s.out_w - (r + 1) * s.in_w;
    if (need > gap_px) gap_px = need;
  }
  const int64_t a = Lcm16(s.in_c);
  const int64_t bytes = (gap_px * s.in_c + a - 1) / a * a;
  if (bytes > 0x7fffffff || a > 0x7fffffff) return -1;
  *align = static_cast<int32_t>(a);
  return static_cast<int32_t>(bytes);
}

int32_t ColumnStreamingGap(const StreamingShape& s, int32_t filter_w, int32_t dilation_w,
                           int32_t* align) {
  if (s.in_c != s.out_c || s.in_c < 1 || s.batches < 1 || s.in_h < 1 || s.in_w < 1 ||
      s.out_h < 1 || s.out_w != s.in_w || s.out_h > s.in_h || filter_w < 1 || dilation_w < 1) {
    return -1;
  }
  for (int64_t ox = 0; ox < s.out_w; ++ox) {
    int64_t c = ox * s.stride_w - s.pad_w + static_cast<int64_t>(filter_w - 1) * dilation_w;
    if (c > s.in_w - 1) c = s.in_w - 1;
    if (c < ox) return -1;
  }
  const int64_t a = Lcm16(static_cast<int64_t>(s.in_w) * s.in_c);
  if (a > 0x7fffffff) return -1;
  *align = static_cast<int32_t>(a);
  return 0;
}

}  // namespace ops
}  // namespace mote
