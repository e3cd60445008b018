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

// True when an op's output `out` may overlap its input with the input
// `diff` bytes above it.
bool OverlapAllowed(int64_t diff, const Buffer& out) {
  return diff >= out.gap && (out.gap_align <= 1 || diff % out.gap_align == 0);
}

// True when buffer a (index ia) at offset a_offset and the placed buffer b
// (index ib) may not both be where they are: live together, overlapping,
// and no streaming-overlap rule between them allows it.
bool Conflicts(size_t ia, const Buffer& a, int32_t a_offset, size_t ib, const Buffer& b) {
  if (!LiveTogether(a, b) || !Collides(a_offset, AlignUp(a.size), b)) return false;
  if (a.partner >= 0 && static_cast<size_t>(a.partner) == ib &&
      OverlapAllowed(static_cast<int64_t>(b.offset) - a_offset, a)) {
    return false;
  }
  if (b.partner >= 0 && static_cast<size_t>(b.partner) == ia &&
      OverlapAllowed(static_cast<int64_t>(a_offset) - b.offset, b)) {
    return false;
  }
  return true;
}

// Bound on the planner's work, in buffer visits. First fit is O(n^2) per
// placement in the worst case: a hostile model with tens of thousands of
// buffers all live at once would take hours. Past this budget the remaining
// buffers are stacked above the peak, which is still a valid plan. Real
// models use a tiny fraction of it (person_mobilenet: ~10^5 visits).
constexpr uint64_t kMaxWork = uint64_t{1} << 27;

enum class Order { kBySize, kByReverseTime };

// True when unplaced buffer a goes before b in `order`. Ties go to the
// lower index (the caller scans upwards and keeps the first), so plans are
// deterministic.
bool Before(const Buffer& a, const Buffer& b, Order order) {
  if (order == Order::kBySize) {
    return a.size > b.size || (a.size == b.size && a.first < b.first);
  }
  // Reverse time: latest death first (an op's output outlives its input,
  // so it is placed first), then largest (an op's small scratch, which dies
  // with its input, goes after it), then latest birth.
  if (a.last != b.last) return a.last > b.last;
  if (a.size != b.size) return a.size > b.size;
  return a.first > b.first;
}

// First fit over the buffers taken in `order`, within `budget` buffer
// visits (*work gets what it used). With `pairs_first`, a streaming op's
// input goes right after its output (Buffer::partner), before anything
// else: otherwise a scratch buffer placed in between can take the place
// just `gap` above the output that the input needed.
size_t PlanInOrder(BufferSet* buffers, Order order, bool pairs_first, uint64_t budget,
                   uint64_t* work_used) {
  const size_t n = buffers->count();
  for (size_t i = 0; i < n; ++i) buffers->set_offset(i, -1);
  size_t peak = 0;
  uint64_t work = 0;
  while (work <= budget) {
    size_t pick = n;
    Buffer best{};
    if (pairs_first) {  // an unplaced input of a placed output
      work += n;
      for (size_t j = 0; j < n; ++j) {
        const Buffer p = buffers->get(j);
        if (p.size <= 0 || p.offset < 0 || p.partner < 0) continue;
        const size_t i = static_cast<size_t>(p.partner);
        const Buffer b = buffers->get(i);
        if (b.size <= 0 || b.offset >= 0) continue;
        if (pick == n || Before(b, best, order)) {
          pick = i;
          best = b;
        }
      }
    }
    if (pick == n) {
      work += n;
      for (size_t i = 0; i < n; ++i) {
        const Buffer b = buffers->get(i);
        if (b.size <= 0 || b.offset >= 0) continue;
        if (pick == n || Before(b, best, order)) {
          pick = i;
          best = b;
        }
      }
    }
    if (pick == n) break;
    const int32_t size = AlignUp(best.size);
    // First fit: start at 0 and jump past every collision until none is left.
    int32_t offset = 0;
    for (bool moved = true; moved;) {
      moved = false;
      work += n;
      if (work > budget) {  // out of budget: above everything is always free
        offset = static_cast<int32_t>(peak);
        break;
      }
      for (size_t j = 0; j < n; ++j) {
        const Buffer p = buffers->get(j);
        if (p.size <= 0 || p.offset < 0) continue;
        if (Conflicts(pick, best, offset, j, p)) {
          // Past p; or, when p's op may write over this buffer (its input)
          // from `gap` bytes below, just far enough above p's start.
          int64_t next = static_cast<int64_t>(p.offset) + AlignUp(p.size);
          if (p.partner >= 0 && static_cast<size_t>(p.partner) == pick) {
            const int64_t over = AlignUp64(static_cast<int64_t>(p.offset) + p.gap);
            if (over > offset && over < next) next = over;
          }
          offset = static_cast<int32_t>(next);
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
  *work_used = work;
  return peak;
}

}  // namespace

size_t PlanGreedyBySize(BufferSet* buffers) {
  uint64_t work = 0;
  return PlanInOrder(buffers, Order::kBySize, false, kMaxWork, &work);
}

size_t PlanArena(BufferSet* buffers) {
  uint64_t work = 0;
  const size_t by_size = PlanInOrder(buffers, Order::kBySize, false, kMaxWork, &work);
  if (work > kMaxWork / 4) return by_size;  // a large graph: one pass only
  // The other orders, each within the budget the first pass left room for;
  // the lowest peak wins (ties: the earlier), and its plan is made again.
  struct Config {
    Order order;
    bool pairs_first;
  };
  const Config configs[] = {{Order::kBySize, false},
                            {Order::kByReverseTime, false},
                            {Order::kBySize, true},
                            {Order::kByReverseTime, true}};
  size_t best = 0, best_peak = by_size;
  for (size_t c = 1; c < sizeof(configs) / sizeof(configs[0]); ++c) {
    uint64_t used = 0;
    const size_t peak =
        PlanInOrder(buffers, configs[c].order, configs[c].pairs_first, kMaxWork / 4, &used);
    if (peak < best_peak) {
      best = c;
      best_peak = peak;
    }
  }
  if (best == sizeof(configs) / sizeof(configs[0]) - 1) return best_peak;  // the last plan made
  return PlanInOrder(buffers, configs[best].order, configs[best].pairs_first,
                     best == 0 ? kMaxWork : kMaxWork / 4, &work);
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
      if (Conflicts(i, a, a.offset, j, b)) return false;
    }
  }
  return true;
}

}  // namespace plan
}  // namespace mote
