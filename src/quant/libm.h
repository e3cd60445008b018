// mote: the float math functions TensorFlow Lite's kernels call (expf,
// tanhf), computed bit for bit the way the oracle's C library computes them,
// on every target.
//
// TFLite's int8 LOGISTIC and TANH build a 256-entry lookup table in Prepare
// from std::exp(float) / std::tanh(float), and its float LOGISTIC / TANH call
// them per element. Those calls go to the C library, and C libraries differ
// in the last bit: glibc's expf is not correctly rounded (about 170,000 of
// the 2^32 floats differ from the correctly rounded value) and its tanhf,
// the fdlibm algorithm, differs from the correctly rounded value for about
// 118 million inputs. A last-bit difference moves a table entry by one step
// when it falls on a rounding boundary, so "use the target's libm" would make
// the results depend on the toolchain (newlib on Cortex-M, glibc on the
// host). Instead mote carries its own copies of the algorithms of the oracle
// (ai-edge-litert on x86-64 Linux, glibc 2.36):
//   * ExpF: glibc's expf (from Arm's optimized-routines, 2^(k/32) table and a
//     cubic polynomial evaluated in double), in the variant glibc selects on
//     x86-64 CPUs with FMA: four of the double operations are fused
//     multiply-adds. FmaExact computes those in integer arithmetic, because
//     newlib's fma() is a plain multiply then add.
//   * TanhF: glibc's tanhf, fdlibm's algorithm on top of fdlibm's expm1f, in
//     float arithmetic only.
// Both were compared with the host glibc on all 2^32 float inputs: equal
// bit for bit (NaN payloads aside). They need IEEE-754 binary32/binary64 with
// round-to-nearest and no contraction of a*b+c into an FMA (the library is
// built with -std=c++17, which turns GCC's contraction off).
#ifndef MOTE_QUANT_LIBM_H_
#define MOTE_QUANT_LIBM_H_

#include <cstdint>

namespace mote {
namespace quant {

// a * b + c with a single rounding (IEEE fma) for finite a, b, c whose
// result is a normal double or zero; other cases fall back to a * b + c.
double FmaExact(double a, double b, double c);

// e^x, as glibc 2.36's expf on x86-64 with FMA.
float ExpF(float x);

// e^x - 1, as glibc 2.36's expm1f (fdlibm).
float Expm1F(float x);

// tanh(x), as glibc 2.36's tanhf (fdlibm).
float TanhF(float x);

// static_cast<int32_t>(x) as it behaves in TFLite on the x86-64 oracle: the
// C++ conversion (truncation) when x is in range; INT32_MIN for NaN and for
// values outside [-2^31, 2^31), which is what cvttss2si returns. (The C++
// conversion is undefined there, and Cortex-M's vcvt saturates instead.)
// TFLite's float -> int8 QUANTIZE and its LOGISTIC / TANH tables reach this
// case for NaN, infinities and out-of-range values.
int32_t CastToInt32(float x);

}  // namespace quant
}  // namespace mote

#endif  // MOTE_QUANT_LIBM_H_
