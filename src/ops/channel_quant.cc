#include "ops/channel_quant.h"

#include "quant/fixed_point.h"

namespace mote {
namespace ops {

void ChannelMultiplier(const ChannelScales& cs, int32_t c, int32_t* multiplier, int32_t* shift) {
  const float filter_scale = cs.num_filter_scales > 1 ? cs.filter_scales[c] : cs.filter_scale;
  int exponent = 0;
  quant::QuantizeScaleRatio(cs.input_scale, filter_scale, cs.output_scale, multiplier, &exponent);
  *shift = exponent;
}

void FillChannelQuant(const ChannelScales& cs, int32_t* multiplier, int32_t* shift) {
  if (cs.num_filter_scales <= 1) {  // one scale: one derivation
    int32_t m = 0, s = 0;
    if (cs.channels > 0) ChannelMultiplier(cs, 0, &m, &s);
    for (int32_t c = 0; c < cs.channels; ++c) {
      multiplier[c] = m;
      shift[c] = s;
    }
    return;
  }
  for (int32_t c = 0; c < cs.channels; ++c) ChannelMultiplier(cs, c, &multiplier[c], &shift[c]);
}

}  // namespace ops
}  // namespace mote
