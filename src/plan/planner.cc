#include "plan/planner.h"

namespace mote {
namespace plan {
namespace {

bool LiveTogether(const Buffer& a, const Buffer& b) {
  return a.first <= b.last && b.first <= a.last;
}

bool Collides(int32_t offset, int32_t size, const Buffer& placed) {
  const int32_t placed_size = AlignUp(placed.size);
  return offset < placed.offset + placed_size && placed.offset < offset + size;
}

// Bound on the planner's work, in buffer visits. First fit is O(n^2) per
// placement in the worst case: a hostile model with tens of thousands of
// buffers all live at once would take hours. Past this budget the remaining
// buffers are stacked above the peak, which is still a valid plan. Real
// models use a tiny fraction of it (person_mobilenet: ~10^5 visits).
constexpr uint64_t kMaxWork = uint64_t{1} << 27;

}  // namespace

size_t PlanGreedyBySize(BufferSet* buffers) {
  const size_t n = buffers->count();
  for (size_t i = 0; i < n; ++i) buffers->set_offset(i, -1);
  size_t peak = 0;
  uint64_t work = 0;
  while (work <= kMaxWork) {
    // The largest unplaced buffer; ties go to the earlier first use, then
    // the lower index, so plans are deterministic.
    size_t pick = n;
    Buffer best{};
    work += n;
    for (size_t i = 0; i < n; ++i) {
      const Buffer b = buffers->get(i);
      if (b.size <= 0 || b.offset >= 0) continue;
      if (pick == n || b.size > best.size || (b.size == best.size && b.first < best.first)) {
        pick = i;
        best = b;
      }
    }
    if (pick == n) break;
    const int32_t size = AlignUp(best.size);
    // First fit: start at 0 and jump past every collision until none is left.
    int32_t offset = 0;
    for (bool moved = true; moved;) {
      moved = false;
      work += n;
      if (work > kMaxWork) {  // out of budget: above everything is always free
        offset = static_cast<int32_t>(peak);
        break;
      }
      for (size_t j = 0; j < n; ++j) {
        const Buffer p = buffers->get(j);
        if (p.size <= 0 || p.offset < 0 || !LiveTogether(best, p)) continue;
        if (Collides(offset, size, p)) {
          offset = p.offset + AlignUp(p.size);
          moved = true;
        }
      }
    }
    buffers->set_offset(pick, offset);
    const size_t end = static_cast<size_t>(offset) + static_cast<size_t>(size);
    if (end > peak) peak = end;
  }
  // Out of budget: stack what is left above the peak, in index order.
  for (size_t i = 0; i < n; ++i) {
    const Buffer b = buffers->get(i);
    if (b.size <= 0 || b.offset >= 0) continue;
    buffers->set_offset(i, static_cast<int32_t>(peak));
    peak += static_cast<size_t>(AlignUp(b.size));
  }
  return peak;
}

bool VerifyPlan(const BufferSet& buffers) {
  const size_t n = buffers.count();
  for (size_t i = 0; i < n; ++i) {
    const Buffer a = buffers.get(i);
    if (a.size <= 0) continue;
    if (a.offset < 0 || a.offset % kBufferAlignment != 0) return false;
    for (size_t j = i + 1; j < n; ++j) {
      const Buffer b = buffers.get(j);
      if (b.size <= 0) continue;
      if (LiveTogether(a, b) && Collides(a.offset, AlignUp(a.size), b)) return false;
    }
  }
  return true;
}

}  // namespace plan
}  // namespace mote
