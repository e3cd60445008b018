// mote: per-channel requantization parameters computed per invoke.
//
// TFLite (and TFLM) keep, for every output channel of every conv and
// depthwise layer, a 32-bit multiplier and a 32-bit shift for the model's
// whole life: 8 bytes a channel, about 22 KB of RAM for person_detect, more
// than a quarter of its arena. mote derives them when the op runs, from the
// float scales in the model (which stay in flash), into the op's scratch,
// which the planner shares between ops: RAM for one layer's channels at a
// time instead of every layer's. The derivation is integer only
// (quant::QuantizeScaleRatio, bit-identical to TFLite's double
// QuantizeMultiplier), about 150 instructions a channel on a Cortex-M4.
#ifndef MOTE_OPS_CHANNEL_QUANT_H_
#define MOTE_OPS_CHANNEL_QUANT_H_

#include <cstddef>
#include <cstdint>

namespace mote {
namespace ops {

// Where a layer's per-channel multipliers come from: effective scale of
// channel c = input_scale * filter_scale[c or 0] / output_scale.
struct ChannelScales {
  float input_scale;
  float output_scale;
  float filter_scale;          // per tensor (num_filter_scales <= 1)
  const float* filter_scales;  // per channel: `channels` entries (in the model)
  int32_t num_filter_scales;   // 1 (per tensor) or one per channel
  int32_t channels;
};

// Scratch bytes for the two arrays (16-byte aligned).
inline size_t ChannelQuantBytes(int32_t channels) {
  return (2 * static_cast<size_t>(channels) * sizeof(int32_t) + 15) & ~static_cast<size_t>(15);
}

// Channel c's TFLite multiplier and shift.
void ChannelMultiplier(const ChannelScales& cs, int32_t c, int32_t* multiplier, int32_t* shift);

// Fills multiplier[channels] and shift[channels].
void FillChannelQuant(const ChannelScales& cs, int32_t* multiplier, int32_t* shift);

}  // namespace ops
}  // namespace mote

#endif  // MOTE_OPS_CHANNEL_QUANT_H_
