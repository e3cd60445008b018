#include "quant/libm.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mote {
namespace quant {
namespace {

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}
float BitsToFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}
uint64_t DoubleBits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, sizeof(u));
  return u;
}
double BitsToDouble(uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof(d));
  return d;
}

// ---- FmaExact: 128-bit integer arithmetic --------------------------------

struct U128 {
  uint64_t hi;
  uint64_t lo;
};

U128 Mul64(uint64_t a, uint64_t b) {
  const uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
  const uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
  const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  U128 r;
  r.lo = (mid << 32) | (p00 & 0xffffffffu);
  r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return r;
}

int Clz64(uint64_t x) {  // x != 0
#if defined(__GNUC__)
  return __builtin_clzll(x);
#else
  int n = 0;
  for (uint64_t bit = UINT64_C(1) << 63; (x & bit) == 0; bit >>= 1) ++n;
  return n;
#endif
}

// Index of the most significant set bit (x != 0).
int Msb(const U128& x) { return x.hi != 0 ? 127 - Clz64(x.hi) : 63 - Clz64(x.lo); }

U128 Shl(const U128& x, int s) {
  if (s == 0) return x;
  if (s >= 128) return U128{0, 0};
  if (s >= 64) return U128{x.lo << (s - 64), 0};
  return U128{(x.hi << s) | (x.lo >> (64 - s)), x.lo << s};
}

// x >> s; *sticky gets whether a set bit was shifted out.
U128 ShrSticky(const U128& x, int s, bool* sticky) {
  if (s == 0) {
    *sticky = false;
    return x;
  }
  if (s >= 128) {
    *sticky = (x.hi | x.lo) != 0;
    return U128{0, 0};
  }
  U128 r;
  if (s >= 64) {
    const int t = s - 64;
    *sticky = x.lo != 0 || (t > 0 && (x.hi & ((UINT64_C(1) << t) - 1)) != 0);
    r.hi = 0;
    r.lo = t == 0 ? x.hi : x.hi >> t;
    return r;
  }
  *sticky = (x.lo & ((UINT64_C(1) << s) - 1)) != 0;
  r.lo = (x.lo >> s) | (x.hi << (64 - s));
  r.hi = x.hi >> s;
  return r;
}

U128 Add(const U128& a, const U128& b) {
  U128 r;
  r.lo = a.lo + b.lo;
  r.hi = a.hi + b.hi + (r.lo < a.lo ? 1 : 0);
  return r;
}

U128 Sub(const U128& a, const U128& b) {  // a >= b
  U128 r;
  r.lo = a.lo - b.lo;
  r.hi = a.hi - b.hi - (a.lo < b.lo ? 1 : 0);
  return r;
}

bool Less(const U128& a, const U128& b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }

// x = (-1)^neg * mant * 2^exp, mant < 2^53; false for inf/nan.
bool Decode(double x, bool* neg, int* exp, uint64_t* mant) {
  const uint64_t bits = DoubleBits(x);
  *neg = (bits >> 63) != 0;
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  const uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
  if (biased == 0x7ff) return false;
  if (biased == 0) {
    *mant = frac;
    *exp = 1 - 1075;
  } else {
    *mant = frac | (UINT64_C(1) << 52);
    *exp = biased - 1075;
  }
  return true;
}

// ---- expf (glibc 2.36, Arm optimized-routines) ---------------------------

// tab[i] = bits(2^(i/32)) - (i << 47): adding k << 47 to the entry of
// k % 32 gives the bits of 2^(k/32).
const uint64_t kExp2fTable[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

}  // namespace

double FmaExact(double a, double b, double c) {
  bool na, nb, nc;
  int ea, eb, ec;
  uint64_t ma, mb, mc;
  if (!Decode(a, &na, &ea, &ma) || !Decode(b, &nb, &eb, &mb) || !Decode(c, &nc, &ec, &mc) ||
      ma == 0 || mb == 0) {
    return a * b + c;  // non-finite operands, or an exact zero product
  }
  // The product, exact: up to 106 bits. Both operands are placed with their
  // most significant bit at bit 125, which leaves two bits of headroom for
  // the carry of the addition and 72 bits below the rounding position.
  U128 p = Mul64(ma, mb);
  int ep = ea + eb;
  const bool np = na != nb;
  const int sp = 125 - Msb(p);
  p = Shl(p, sp);
  ep -= sp;
  if (mc == 0) return a * b;  // c = +-0: the product, rounded once
  U128 q{0, mc};
  const int sq = 125 - Msb(q);
  q = Shl(q, sq);
  ec -= sq;

  // X: the operand with the larger exponent; Y is aligned to it, the bits
  // shifted out folded into its lowest bit (sticky), which is far below the
  // rounding position and so only breaks ties, as it must.
  U128 x = p, y = q;
  int ex = ep, ey = ec;
  bool nx = np, ny = nc;
  if (ec > ep) {
    x = q;
    y = p;
    ex = ec;
    ey = ep;
    nx = nc;
    ny = np;
  }
  bool sticky = false;
  y = ShrSticky(y, ex - ey, &sticky);
  if (sticky) y.lo |= 1;

  U128 z;
  bool nz = nx;
  if (nx == ny) {
    z = Add(x, y);
  } else if (Less(x, y)) {
    z = Sub(y, x);
    nz = ny;
  } else {
    z = Sub(x, y);
  }
  if (z.hi == 0 && z.lo == 0) return 0.0;  // exact cancellation: +0 when rounding to nearest

  // Round to 53 bits, nearest, ties to even.
  const int msb = Msb(z);
  int e = ex;
  uint64_t m;
  if (msb <= 52) {
    m = Shl(z, 52 - msb).lo;
    e -= 52 - msb;
  } else {
    const int shift = msb - 52;
    bool unused = false;
    m = ShrSticky(z, shift, &unused).lo;
    e += shift;
    // The first dropped bit and whether anything below it is set.
    const U128 half = Shl(U128{0, 1}, shift - 1);
    const U128 mask = Sub(Shl(U128{0, 1}, shift), U128{0, 1});
    const U128 dropped{z.hi & mask.hi, z.lo & mask.lo};
    const bool round_up = Less(half, dropped) || (!Less(dropped, half) && (m & 1) != 0);
    if (round_up) {
      ++m;
      if (m == (UINT64_C(1) << 53)) {
        m >>= 1;
        ++e;
      }
    }
  }
  // value = m * 2^e, m in [2^52, 2^53).
  const int biased = e + 52 + 1023;
  if (biased < 1 || biased > 2046) {
    return a * b + c;  // subnormal or overflowing result: not needed here
  }
  const uint64_t bits = (static_cast<uint64_t>(nz ? 1 : 0) << 63) |
                        (static_cast<uint64_t>(biased) << 52) | (m & ((UINT64_C(1) << 52) - 1));
  return BitsToDouble(bits);
}

float ExpF(float x) {
  const uint32_t top12_88 = (FloatBits(88.0f) >> 20) & 0x7ff;
  const uint32_t top12_inf = (FloatBits(INFINITY) >> 20) & 0x7ff;
  const uint32_t abstop = (FloatBits(x) >> 20) & 0x7ff;
  if (abstop >= top12_88) {  // |x| >= 88 or x is nan
    if (FloatBits(x) == FloatBits(-INFINITY)) return 0.0f;
    if (abstop >= top12_inf) return x + x;
    if (x > 0x1.62e42ep6f) return INFINITY;   // overflow
    if (x < -0x1.9fe368p6f) return 0.0f;      // underflow
  }
  const double kInvLn2N = 0x1.71547652b82fep+0 * 32;  // 32 / ln 2
  const double kShift = 0x1.8p+52;                    // rounds to an integer
  const double c0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
  const double c1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
  const double c2 = 0x1.62e42ff0c52d6p-1 / 32;
  const double xd = static_cast<double>(x);
  // x * 32 / ln2 = k + r, k an integer, |r| <= 1/2.
  const double z = kInvLn2N * xd;
  double kd = z + kShift;
  const uint64_t ki = DoubleBits(kd);
  kd -= kShift;
  const double r = FmaExact(kInvLn2N, xd, -kd);
  // e^x = 2^(k/32) * 2^(r/32) ~= s * (c0 r^3 + c1 r^2 + c2 r + 1).
  const uint64_t t = kExp2fTable[ki % 32] + (ki << 47);
  const double s = BitsToDouble(t);
  const double p = FmaExact(c0, r, c1);
  const double r2 = r * r;
  double y = FmaExact(c2, r, 1.0);
  y = FmaExact(p, r2, y);
  return static_cast<float>(y * s);
}

float Expm1F(float x) {
  const float one = 1.0f, huge = 1.0e+30f, tiny = 1.0e-30f;
  const float ln2_hi = 6.9313812256e-01f;  // 0x3f317180
  const float ln2_lo = 9.0580006145e-06f;  // 0x3717f7d1
  const float invln2 = 1.4426950216e+00f;  // 0x3fb8aa3b
  const float q1 = -3.3333335072e-02f, q2 = 1.5873016091e-03f, q3 = -7.9365076090e-05f,
              q4 = 4.0082177293e-06f, q5 = -2.0109921195e-07f;
  uint32_t hx = FloatBits(x);
  const bool negative = (hx & 0x80000000u) != 0;
  hx &= 0x7fffffffu;

  if (hx >= 0x4195b844u) {  // |x| >= 27 ln2
    if (hx >= 0x42b17218u) {  // |x| >= 88.72...
      if (hx > 0x7f800000u) return x + x;               // nan
      if (hx == 0x7f800000u) return negative ? -1.0f : x;  // +-inf
      if (x > 8.8721679688e+01f) return huge * huge;     // overflow
    }
    if (negative) return tiny - one;  // x < -27 ln2: -1
  }

  // Argument reduction: x = k ln2 + (hi - lo), |hi - lo| <= ln2 / 2.
  float c = 0.0f;
  int32_t k;
  if (hx > 0x3eb17218u) {  // |x| > ln2 / 2
    float hi, lo;
    if (hx < 0x3f851592u) {  // and |x| < 1.5 ln2
      if (!negative) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = static_cast<int32_t>(invln2 * x + (negative ? -0.5f : 0.5f));
      const float t = static_cast<float>(k);
      hi = x - t * ln2_hi;  // exact
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x33000000u) {  // |x| < 2^-25
    return x;
  } else {
    k = 0;
  }

  const float hfx = 0.5f * x;
  const float hxs = x * hfx;
  const float r1 = one + hxs * (q1 + hxs * (q2 + hxs * (q3 + hxs * (q4 + hxs * q5))));
  float t = 3.0f - r1 * hfx;
  float e = hxs * ((r1 - t) / (6.0f - x * t));
  if (k == 0) return x - (x * e - hxs);
  e = (x * (e - c) - c);
  e -= hxs;
  if (k == -1) return 0.5f * (x - e) - 0.5f;
  if (k == 1) {
    if (x < -0.25f) return -2.0f * (e - (x + 0.5f));
    return one + 2.0f * (x - e);
  }
  // Adds k to the exponent of y.
  auto scale = [k](float y) {
    return BitsToFloat(FloatBits(y) + (static_cast<uint32_t>(k) << 23));
  };
  if (k <= -2 || k > 56) return scale(one - (e - x)) - one;
  float y;
  if (k < 23) {
    t = BitsToFloat(0x3f800000u - (0x1000000u >> k));  // 1 - 2^-k
    y = t - (e - x);
  } else {
    t = BitsToFloat(static_cast<uint32_t>(0x7f - k) << 23);  // 2^-k
    y = x - (e + t);
    y += one;
  }
  return scale(y);
}

int32_t CastToInt32(float x) {
  if (!(x >= -2147483648.0f && x < 2147483648.0f)) return INT32_MIN;
  return static_cast<int32_t>(x);
}

float TanhF(float x) {
  const float one = 1.0f, two = 2.0f, tiny = 1.0e-30f;
  const uint32_t jx = FloatBits(x);
  const uint32_t ix = jx & 0x7fffffffu;
  const bool negative = (jx >> 31) != 0;
  if (ix >= 0x7f800000u) {  // inf or nan
    return negative ? one / x - one : one / x + one;
  }
  float z;
  if (ix < 0x41b00000u) {  // |x| < 22
    if (ix == 0) return x;  // +-0
    if (ix < 0x24000000u) return x * (one + x);  // |x| < 2^-55
    if (ix >= 0x3f800000u) {  // |x| >= 1
      const float t = Expm1F(two * std::fabs(x));
      z = one - two / (t + two);
    } else {
      const float t = Expm1F(-two * std::fabs(x));
      z = -t / (t + two);
    }
  } else {  // |x| >= 22: +-1
    z = one - tiny;
  }
  return negative ? -z : z;
}

}  // namespace quant
}  // namespace mote
