// mote: streaming overlap of a window op's output over its input.
//
// A convolution, depthwise convolution or pooling kernel that walks its
// output pixels in raster order (batch, row, column), a block of B pixels at
// a time, and in each block reads only what that block's pixels need before
// or while it writes that block's outputs (all their channels), never needs
// an input byte below the first byte any pixel of the current or a later
// block reads. Its output may then be written over the input's dead front:
// with the input at arena offset x and the output at x - gap, the writes of
// block k end at x - gap + end_k and the input still to be read starts at
// x + need_k, so gap >= max_k (end_k - need_k) is safe (TinyEngine's
// in-place idea, for any stride and padding). For a pointwise conv that
// doubles the channels, the pair then takes the output's bytes plus B input
// pixels instead of both tensors whole.
//
// need_k is bounded from below, which only makes the gap larger (safer):
// pixel (b, oy, ox) reads nothing below input pixel
// (b, clamp(oy * stride_h - pad_h), clamp(ox * stride_w - pad_w)); over the
// pixels from block k's first one on, the least is at that first pixel or at
// column 0 of the next output row.
#ifndef MOTE_OPS_STREAMING_H_
#define MOTE_OPS_STREAMING_H_

#include <cstdint>

namespace mote {
namespace ops {

struct StreamingShape {
  int32_t batches, in_h, in_w, in_c;  // input [N, H, W, C], 1 byte per element
  int32_t out_h, out_w, out_c;        // output [N, OH, OW, C_out]
  int32_t stride_h, stride_w;
  int32_t pad_h, pad_w;               // leading padding
};

// The gap for a kernel writing `block` output pixels at a time (>= 1), or
// -1 when the shape is too large to analyse cheaply (more than 2^22 blocks)
// or the gap would not fit int32.
//
// `reads_first`: the kernel reads everything block k needs (e.g. copies it
// into scratch) before it writes any of block k's outputs. Block k's writes
// then only have to spare what the later blocks read: gap >= max_k (end_k -
// need_{k+1}). For a pointwise conv with as many channels out as in, that is
// 0: each tile's output lands on the tile's own, already copied, input.
int32_t StreamingGap(const StreamingShape& s, int32_t block, bool reads_first = false);

// Ring kernels (the optimized depthwise ones) walk channel groups
// outermost; per group (and batch) they copy input rows into a ring, in
// increasing order and before they write the output row that needs them,
// and never read an input row again. With as many output channels as input
// channels (depth multiplier 1) and the output starting a whole number of
// pixels below the input, a group's writes land on its own channels of
// input pixels: safe when those pixels are in rows the ring already holds.
// Output row oy is written once rows up to R(oy) = min(in_h - 1,
// oy * stride_h - pad_h + (filter_h - 1) * dilation_h) are copied, so
//   gap_px >= (oy + 1) * out_w - (R(oy) + 1) * in_w   for every oy
// (batch b adds b * (out_h * out_w - in_h * in_w) <= 0). Returns the gap in
// bytes, rounded up so that it is a multiple of *align = lcm(C, 16) (the
// planner keeps the offsets' difference a multiple of it), or -1 when the
// channels differ or the shape is degenerate.
int32_t RingStreamingGap(const StreamingShape& s, int32_t filter_h, int32_t dilation_h,
                         int32_t* align);

// Ring kernels that walk columns instead of rows (s8_dsp_3x3 on a tall,
// narrow output): per channel group (and batch) they copy whole input
// columns into the ring, in increasing order, before writing the output
// column that needs them, and never read a column again. Output column ox is
// written once columns up to C(ox) = min(in_w - 1, ox * stride_w - pad_w +
// (filter_w - 1) * dilation_w) are copied. Unlike a row walk, a larger gap
// is not always safer: the output's pixel p lands on input pixel p - gap_px,
// whose column is unrelated to ox unless gap_px is a whole number of rows.
// With out_w == in_w and C(ox) >= ox for every ox, any whole number of rows
// is safe: the pixel p - k * in_w is in column ox, already copied (earlier
// batches are finished: out_h <= in_h keeps their pixels below). Returns 0
// with *align = lcm(in_w * C, 16), or -1 when the rule does not apply
// (channels differ, out_w != in_w, some C(ox) < ox, degenerate shapes).
int32_t ColumnStreamingGap(const StreamingShape& s, int32_t filter_w, int32_t dilation_w,
                           int32_t* align);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_STREAMING_H_
