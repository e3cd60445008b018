#include "quant/fixed_point.h"

#include <cmath>

namespace mote {
namespace quant {

void QuantizeMultiplier(double real_multiplier, int32_t* multiplier, int* shift) {
  if (real_multiplier == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double fraction = std::frexp(real_multiplier, &exponent);
  int64_t q = static_cast<int64_t>(std::round(fraction * static_cast<double>(INT64_C(1) << 31)));
  if (q == (INT64_C(1) << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    q = 0;
  }
  *multiplier = static_cast<int32_t>(q);
  *shift = exponent;
}

void QuantizeMultiplierSmallerThanOneExp(double real_multiplier, int32_t* multiplier,
                                         int* left_shift) {
  QuantizeMultiplier(real_multiplier, multiplier, left_shift);
}

void QuantizeMultiplierGreaterThanOne(double real_multiplier, int32_t* multiplier,
                                      int* left_shift) {
  QuantizeMultiplier(real_multiplier, multiplier, left_shift);
}

}  // namespace quant
}  // namespace mote
