// mote: the arena planner. Buffers (activation tensors and per-node scratch)
// each have a size and a lifetime [first, last] in op indices; two buffers
// whose lifetimes overlap must not overlap in the arena. The planner assigns
// offsets so that the peak (the end of the highest buffer) is small.
//
// Algorithm: greedy by size, first fit (as TFLM's GreedyMemoryPlanner):
// buffers are placed largest first; each goes to the lowest offset where it
// does not collide with an already placed buffer that is live at the same
// time, or that it may overlap under its streaming-overlap rule (Buffer::
// partner). It needs no memory of its own (it reads and writes through the
// BufferSet), at O(n^2) time for choosing and O(n^2) per placement. The
// work is bounded (2^27 buffer visits, far above any real model): past it,
// the buffers still unplaced are stacked above the peak, so that a hostile
// model cannot stall Init. The caller keeps the sum of all aligned sizes
// within kMaxPlanBytes, so that no offset overflows.
#ifndef MOTE_PLAN_PLANNER_H_
#define MOTE_PLAN_PLANNER_H_

#include <cstddef>
#include <cstdint>

namespace mote {
namespace plan {

constexpr int32_t kBufferAlignment = 16;

struct Buffer {
  int32_t size;    // bytes (the planner rounds up to kBufferAlignment)
  int32_t first;   // first op index it is live at
  int32_t last;    // last op index it is live at (>= first)
  int32_t offset;  // -1 until placed
  // Streaming overlap (an op's output over its dying input): this buffer
  // may overlap buffer `partner` in the arena provided
  //   offset(partner) - offset(this) >= gap,
  // i.e. the output starts at least `gap` bytes below the input, so that
  // the op never writes over input bytes it has still to read (the op
  // computes gap from its loop order; see Node::overlap_gap). -1: none.
  int32_t partner = -1;
  int32_t gap = 0;
  // ... and offset(partner) - offset(this) is a multiple of gap_align (a
  // kernel that streams whole pixels of C channels, each channel group on
  // its own, needs the output's channels to land on the same input
  // channels). gap is a multiple of it.
  int32_t gap_align = 1;
};

// The planner's view of what to place; implemented over the interpreter's
// tensor and node tables, or over a plain array in tests.
class BufferSet {
 public:
  virtual ~BufferSet() = default;
  virtual size_t count() const = 0;
  // Buffers with size 0 are skipped.
  virtual Buffer get(size_t i) const = 0;
  virtual void set_offset(size_t i, int32_t offset) = 0;
};

// Places every buffer largest first; returns the peak in bytes.
size_t PlanGreedyBySize(BufferSet* buffers);

// What Init uses: greedy by size, and (for graphs whose first plan took
// under a quarter of the work budget) first fit in reverse time order too,
// each also with streaming pairs kept together (an op's input placed right
// after its output, before any other buffer), keeping the lowest peak
// (ties: the earlier of by size, reverse time, by size with pairs, reverse
// time with pairs). Reverse time order places an op's output before its
// input, so an input can take its place just `gap` above a streaming op's
// output (Buffer::partner) instead of below it; on vww_96_int8 that is 46 KB
// against 64.5 KB. Keeping pairs together stops a scratch buffer from taking
// that place first (micro_speech's depthwise: its scratch would otherwise
// push the input above everything).
size_t PlanArena(BufferSet* buffers);

// Checks a plan: every buffer placed, aligned, and no two live-overlapping
// buffers overlapping in the arena. Returns false on the first violation.
bool VerifyPlan(const BufferSet& buffers);

// The largest plan (sum of every aligned buffer) Init hands the planner:
// every offset and end it computes then fits in int32.
constexpr int64_t kMaxPlanBytes = 0x7fffffff - kBufferAlignment;

inline int32_t AlignUp(int32_t size) {
  return (size + kBufferAlignment - 1) & ~(kBufferAlignment - 1);
}
inline int64_t AlignUp64(int64_t size) {
  return (size + kBufferAlignment - 1) & ~static_cast<int64_t>(kBufferAlignment - 1);
}

}  // namespace plan
}  // namespace mote

#endif  // MOTE_PLAN_PLANNER_H_
