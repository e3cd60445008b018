"""The case lists: which parameter combinations each op is tested with.

Each ``sweep_<op>(rng)`` returns a list of case dicts:

  op       TFLite builtin name
  name     short descriptive name (the driver prefixes a group counter)
  dtype    "int8" or "float32"
  p        builder parameters (see ops.py); keys starting with "_" hold arrays
  qin      int8 only: [(scale, zero_point)] for every op input that is an
           activation or a quantized constant
  out      int8 only: how the output quantization is chosen:
             "calib"    calibrated on the float model (converter behaviour)
             "sat"      calibrated range x 0.25 (requantization saturates)
             "sat_hard" calibrated range x 0.02 (multiplier can exceed 1)
             "zp127"    calibrated range cut to [min, 0] -> zero point 127
             "zpm128"   calibrated range cut to [0, max] -> zero point -128
             "same"     equal to the first input's
             ["fixed", scale, zp]
  gen      optional, one input generator per graph input (default: int8 over
           the full range, float uniform in [-frange, frange])

Everything is drawn from the rng passed in, so the list is a pure function
of the seed.
"""

import math
import numpy as np

ACTS = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"]
ACT_TAG = {"NONE": "none", "RELU": "relu", "RELU6": "relu6", "RELU_N1_TO_1": "relun1"}
ZP_TAG = {"sym": "zs", "rand": "zr", "m128": "zm128", "p127": "zp127"}
OUT_TAG = {"calib": "", "sat": "_sat", "sat_hard": "_sath", "zp127": "_oz127",
           "zpm128": "_ozm128", "same": ""}
CH = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 19, 23, 24, 27, 31, 32,
      33, 37, 40, 47, 48, 55, 63, 64, 65, 67]
KERNELS = [(1, 1), (3, 3), (5, 5), (7, 7), (1, 3), (3, 1), (1, 5), (5, 1), (1, 7),
           (7, 1), (2, 2), (3, 5), (10, 8)]
STRIDES = [(1, 1), (2, 2), (1, 2), (2, 1)]


def pick(rng, items, p=None):
    if p is not None:
        p = np.asarray(p, float) / np.sum(p)
    return items[int(rng.choice(len(items), p=p))]


def loguni(rng, lo, hi):
    return float(np.exp(rng.uniform(math.log(lo), math.log(hi))))


def f32(x):
    return float(np.float32(x))


def qin(rng, mode, lo=0.002, hi=0.5):
    s = f32(loguni(rng, lo, hi))
    z = {"sym": lambda: int(rng.integers(-8, 9)),
         "rand": lambda: int(rng.integers(-128, 128)),
         "m128": lambda: -128, "p127": lambda: 127}[mode]()
    return [s, z]


def rand_zpm(rng):
    return pick(rng, ["sym", "rand", "m128", "p127"], [4, 3, 2, 1])


def rand_out(rng):
    return pick(rng, ["calib", "sat", "sat_hard", "zp127", "zpm128"], [75, 10, 5, 5, 5])


def rand_act(rng):
    return pick(rng, ACTS, [4, 2.5, 2.5, 1])


def shp(s):
    return "x".join(str(d) for d in s) if len(s) else "scalar"


def in_std(dt, q, frange):
    """Standard deviation of the float input the case will see."""
    if dt == "int8":
        return q[0] * 74.0
    return frange / math.sqrt(3.0)


# --------------------------------------------------------------------------
# CONV_2D and DEPTHWISE_CONV_2D


def conv_case(rng, dt, depthwise=False, **kw):
    g = lambda k, f: kw[k] if k in kw else f()
    kh, kwid = g("kernel", lambda: pick(rng, KERNELS[:10]))
    sh, sw = g("stride", lambda: pick(rng, STRIDES, [5, 3, 1, 1]))
    dh, dw = g("dilation", lambda: (1, 1))
    pad = g("padding", lambda: pick(rng, ["SAME", "VALID"]))
    n = g("n", lambda: 1 if rng.random() < 0.88 else int(rng.integers(2, 4)))
    cin = g("cin", lambda: pick(rng, CH))
    if depthwise:
        m = g("mult", lambda: pick(rng, [1, 2, 8, 3, 4], [6, 2, 1.5, 0.3, 0.3]))
        if "cin" not in kw:
            while cin * m > 96 and cin > 1:
                cin = max(1, cin // 2)
        cout = cin * m
    else:
        cout = g("cout", lambda: pick(rng, CH))
    keh, kew = (kh - 1) * dh + 1, (kwid - 1) * dw + 1
    hmin = keh if pad == "VALID" else 1
    wmin = kew if pad == "VALID" else 1
    h = g("h", lambda: int(rng.integers(max(hmin, 2), max(hmin, 12) + 1)))
    w = g("w", lambda: int(rng.integers(max(wmin, 2), max(wmin, 12) + 1)))
    # keep data small: weights <= 24k int8 / 6k float elements, input <= 8k elements
    wcap = 24000 if dt == "int8" else 6000
    if not depthwise:
        while cout * kh * kwid * cin > wcap and "cout" not in kw and cout > 1:
            cout = max(1, cout // 2)
        while cout * kh * kwid * cin > wcap and "cin" not in kw and cin > 1:
            cin = max(1, cin // 2)
    while n * h * w * cin > 8192 and h > hmin and "h" not in kw:
        h -= 1
    while n * h * w * cin > 8192 and w > wmin and "w" not in kw:
        w -= 1
    act = g("act", lambda: rand_act(rng))
    pc = g("per_channel", lambda: rng.random() < 0.75)
    zpm = g("zpm", lambda: rand_zpm(rng))
    out = g("out", lambda: rand_out(rng))
    if out == "zp127" and act in ("RELU", "RELU6"):
        act = "NONE"  # a non-negative output range cannot have zero point 127
    # LiteRT's CONV_2D requires a bias (conv.cc: has_bias); DEPTHWISE_CONV_2D's is optional
    has_bias = g("bias", lambda: rng.random() < 0.98) if depthwise else True
    spread = g("spread", lambda: rng.random() < 0.5)
    frange = g("frange", lambda: f32(loguni(rng, 0.5, 4.0)))
    q = qin(rng, zpm) if dt == "int8" else None

    if depthwise:
        wt = rng.standard_normal((1, kh, kwid, cout)) / math.sqrt(kh * kwid)
        chf = 10 ** rng.uniform(-2, 0.7, size=cout) if spread else np.ones(cout)
        wt = wt * chf[None, None, None, :]
    else:
        wt = rng.standard_normal((cout, kh, kwid, cin)) / math.sqrt(kh * kwid * cin)
        chf = 10 ** rng.uniform(-2, 0.7, size=cout) if spread else np.ones(cout)
        wt = wt * chf[:, None, None, None]
    bias = None
    if has_bias:
        bias = rng.standard_normal(cout) * 0.5 * in_std(dt, q, frange) * chf
    p = {"in_shape": [n, h, w, cin], "kernel": [kh, kwid], "stride": [sh, sw],
         "dilation": [dh, dw], "padding": pad, "act": act, "_w": wt, "_b": bias,
         "bias": bias is not None}
    if depthwise:
        p["depth_multiplier"] = m
    else:
        p["cout"] = cout
    name = "k%dx%d_s%dx%d_%s" % (kh, kwid, sh, sw, pad.lower())
    if (dh, dw) != (1, 1):
        name += "_d%dx%d" % (dh, dw)
    name += "_%s" % shp(p["in_shape"])
    name += ("_m%d" % m) if depthwise else ("_o%d" % cout)
    if dt == "int8":
        p["per_channel"] = bool(pc)
        p["wspread"] = bool(spread)
        name += "_%s_%s_%s%s" % ("pc" if pc else "pt", ACT_TAG[act], ZP_TAG[zpm], OUT_TAG[out])
    else:
        name += "_" + ACT_TAG[act]
    if bias is None:
        name += "_nobias"
    c = {"name": name, "dtype": dt, "p": p}
    if dt == "int8":
        c["qin"] = [q]
        c["out"] = out
    else:
        c["frange"] = frange
    return c


def _conv_like_sweep(rng, depthwise):
    cases = []
    add = lambda grp, c: cases.append(dict(c, group=grp))
    kern_list = KERNELS
    # 1. kernel x stride x padding
    for k in kern_list:
        for s in STRIDES:
            for pad in ["SAME", "VALID"]:
                add("kern", conv_case(rng, "int8", depthwise, kernel=k, stride=s, padding=pad))
    # 2. dilation
    for k in [(3, 3), (5, 5), (1, 3), (3, 1), (2, 2), (7, 7)]:
        for d in [(2, 2), (1, 2), (2, 1)]:
            for pad in ["SAME", "VALID"]:
                if k == (7, 7) and d != (2, 2):
                    continue
                add("dil", conv_case(rng, "int8", depthwise, kernel=k, dilation=d,
                                     stride=(1, 1), padding=pad))
    for k, s, d in [((3, 3), (2, 2), (2, 2)), ((3, 3), (1, 2), (2, 1)),
                    ((5, 5), (2, 2), (2, 2)), ((1, 3), (2, 1), (1, 2))]:
        add("dil", conv_case(rng, "int8", depthwise, kernel=k, stride=s, dilation=d))
    # 3. channel counts
    if depthwise:
        for cin in CH:
            add("chan", conv_case(rng, "int8", depthwise, cin=cin, mult=1,
                                  kernel=pick(rng, [(3, 3), (5, 5), (3, 3), (1, 1)])))
        for m in [2, 8, 3, 4]:
            for cin in [1, 2, 3, 5, 7, 8, 12] if m in (2, 8) else [1, 3, 6]:
                add("mult", conv_case(rng, "int8", depthwise, cin=cin, mult=m,
                                      kernel=pick(rng, [(3, 3), (5, 5), (1, 1), (3, 1)])))
        # the shapes of real first layers: person_detect, micro_speech
        add("real", conv_case(rng, "int8", True, cin=1, mult=8, kernel=(3, 3), stride=(2, 2),
                              padding="SAME", h=16, w=16, act="RELU6", per_channel=True,
                              zpm="rand"))
        add("real", conv_case(rng, "int8", True, cin=1, mult=8, kernel=(10, 8), stride=(2, 2),
                              padding="SAME", h=16, w=10, act="RELU", per_channel=True,
                              zpm="rand"))
        add("real", conv_case(rng, "int8", True, cin=32, mult=1, kernel=(3, 3), stride=(1, 1),
                              padding="SAME", h=6, w=6, act="RELU6", per_channel=True,
                              zpm="m128"))
        add("real", conv_case(rng, "int8", True, cin=64, mult=1, kernel=(3, 3), stride=(2, 2),
                              padding="SAME", h=8, w=8, act="RELU6", per_channel=True,
                              zpm="m128"))
    else:
        for cin in CH:
            add("chan", conv_case(rng, "int8", depthwise, cin=cin,
                                  kernel=pick(rng, [(1, 1), (3, 3)])))
        for cout in [1, 2, 3, 5, 7, 8, 15, 16, 17, 33, 64, 67]:
            add("cout", conv_case(rng, "int8", depthwise, cout=cout,
                                  kernel=pick(rng, [(1, 1), (3, 3)])))
        add("real", conv_case(rng, "int8", False, cin=3, cout=8, kernel=(3, 3), stride=(2, 2),
                              padding="SAME", h=16, w=16, act="RELU6", per_channel=True,
                              zpm="rand"))
        add("real", conv_case(rng, "int8", False, cin=32, cout=64, kernel=(1, 1),
                              stride=(1, 1), padding="SAME", h=6, w=6, act="RELU6",
                              per_channel=True, zpm="m128"))
        add("real", conv_case(rng, "int8", False, cin=1, cout=64, kernel=(10, 4), stride=(2, 2),
                              padding="SAME", h=16, w=10, act="RELU", per_channel=True,
                              zpm="rand"))
    # 4. quantization corners: act x per-channel x input zero point
    for act in ACTS:
        for pc in [True, False]:
            for zpm in ["sym", "rand", "m128", "p127"]:
                add("quant", conv_case(rng, "int8", depthwise, act=act, per_channel=pc,
                                       zpm=zpm, out="calib"))
    # 5. output corners: saturation and extreme output zero points
    for out in ["sat", "sat_hard", "zp127", "zpm128"]:
        for act in ACTS:
            for pc in [True, False]:
                if out == "zpm128" and not pc:
                    continue
                add("outq", conv_case(rng, "int8", depthwise, act=act, per_channel=pc, out=out))
    # 6. batch > 1
    for nb in [2, 3, 4]:
        for _ in range(3):
            add("batch", conv_case(rng, "int8", depthwise, n=nb))
    # 7. odd shapes: 1x1 input, 1-row / 1-column inputs, kernel = input, kernel > input
    add("shape", conv_case(rng, "int8", depthwise, h=1, w=1, kernel=(1, 1)))
    add("shape", conv_case(rng, "int8", depthwise, h=1, w=1, kernel=(3, 3), padding="SAME"))
    add("shape", conv_case(rng, "int8", depthwise, h=1, w=16, kernel=(1, 5), padding="SAME"))
    add("shape", conv_case(rng, "int8", depthwise, h=1, w=16, kernel=(1, 3), stride=(1, 2),
                           padding="VALID"))
    add("shape", conv_case(rng, "int8", depthwise, h=16, w=1, kernel=(5, 1), padding="VALID"))
    add("shape", conv_case(rng, "int8", depthwise, h=16, w=1, kernel=(3, 1), stride=(2, 1),
                           padding="SAME"))
    add("shape", conv_case(rng, "int8", depthwise, h=5, w=5, kernel=(5, 5), padding="VALID"))
    add("shape", conv_case(rng, "int8", depthwise, h=7, w=3, kernel=(7, 3), padding="VALID"))
    add("shape", conv_case(rng, "int8", depthwise, h=3, w=3, kernel=(7, 7), padding="SAME"))
    add("shape", conv_case(rng, "int8", depthwise, h=2, w=4, kernel=(5, 5), padding="SAME",
                           stride=(2, 2)))
    add("shape", conv_case(rng, "int8", depthwise, h=16, w=16, kernel=(3, 3), stride=(2, 2),
                           padding="VALID", cin=8))
    add("shape", conv_case(rng, "int8", depthwise, h=15, w=13, kernel=(3, 3), stride=(2, 2),
                           padding="SAME", cin=5))
    add("shape", conv_case(rng, "int8", depthwise, h=9, w=9, kernel=(4, 4), stride=(3, 3),
                           padding="SAME"))
    add("shape", conv_case(rng, "int8", depthwise, h=10, w=10, kernel=(2, 2), stride=(2, 2),
                           padding="VALID"))
    # 8. no bias (depthwise only: LiteRT's CONV_2D rejects a missing bias)
    if depthwise:
        for _ in range(4):
            add("nobias", conv_case(rng, "int8", depthwise, bias=False))
    # 9. random
    for _ in range(50 if depthwise else 60):
        add("rand", conv_case(rng, "int8", depthwise,
                              kernel=pick(rng, KERNELS),
                              dilation=pick(rng, [(1, 1), (1, 1), (1, 1), (2, 2)]),
                              out=pick(rng, ["calib", "sat", "sat_hard", "zp127", "zpm128"],
                                       [6, 1, 1, 1, 1])))
    # float32
    for k in [(1, 1), (3, 3), (5, 5), (7, 7), (1, 3), (3, 1), (1, 7), (7, 1), (10, 8)]:
        for s, pad in [((1, 1), "SAME"), ((2, 2), "VALID"), ((1, 2), "SAME"), ((2, 1), "SAME")]:
            add("f", conv_case(rng, "float32", depthwise, kernel=k, stride=s, padding=pad))
    for k, d in [((3, 3), (2, 2)), ((3, 3), (1, 2)), ((5, 5), (2, 2)), ((1, 3), (2, 1))]:
        for pad in ["SAME", "VALID"]:
            add("f", conv_case(rng, "float32", depthwise, kernel=k, dilation=d, padding=pad))
    for act in ACTS:
        add("f", conv_case(rng, "float32", depthwise, act=act))
    if depthwise:
        for m in [1, 2, 8]:
            for cin in [1, 3, 7]:
                add("f", conv_case(rng, "float32", True, cin=cin, mult=m))
    else:
        for cin in [1, 3, 5, 8, 17, 33, 67]:
            add("f", conv_case(rng, "float32", False, cin=cin))
    for nb in [2, 3]:
        add("f", conv_case(rng, "float32", depthwise, n=nb))
    if depthwise:
        add("f", conv_case(rng, "float32", depthwise, bias=False))
    add("f", conv_case(rng, "float32", depthwise, h=1, w=1, kernel=(1, 1)))
    return cases


def sweep_conv_2d(rng):
    return _conv_like_sweep(rng, False)


def sweep_depthwise_conv_2d(rng):
    return _conv_like_sweep(rng, True)


# --------------------------------------------------------------------------
# FULLY_CONNECTED

FC_IN = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 31, 33, 64, 67, 100, 128, 250]
FC_OUT = [1, 2, 3, 4, 5, 10, 12, 16, 17, 33, 64, 67]


def fc_case(rng, dt, **kw):
    g = lambda k, f: kw[k] if k in kw else f()
    nin = g("nin", lambda: pick(rng, FC_IN))
    nout = g("nout", lambda: pick(rng, FC_OUT))
    while nin * nout > (24000 if dt == "int8" else 6000) and "nout" not in kw:
        nout = max(1, nout // 2)
    lead = g("lead", lambda: pick(rng, [[1], [2], [3], [5], [2, 3], [1, 4], [1, 1, 1]],
                                  [6, 2, 1, 1, 1, 1, 1]))
    in_shape = list(lead) + [nin]
    keep = g("keep_num_dims", lambda: len(lead) > 1 and rng.random() < 0.5)
    act = g("act", lambda: rand_act(rng))
    pc = g("per_channel", lambda: rng.random() < 0.3)
    zpm = g("zpm", lambda: rand_zpm(rng))
    out = g("out", lambda: rand_out(rng))
    if out == "zp127" and act in ("RELU", "RELU6"):
        act = "NONE"
    has_bias = g("bias", lambda: rng.random() < 0.9)
    spread = g("spread", lambda: rng.random() < 0.4)
    frange = f32(loguni(rng, 0.5, 4.0))
    q = qin(rng, zpm) if dt == "int8" else None
    wt = rng.standard_normal((nout, nin)) / math.sqrt(nin)
    chf = 10 ** rng.uniform(-2, 0.7, size=nout) if spread else np.ones(nout)
    wt = wt * chf[:, None]
    bias = rng.standard_normal(nout) * 0.5 * in_std(dt, q, frange) * chf if has_bias else None
    p = {"in_shape": in_shape, "nin": nin, "nout": nout, "keep_num_dims": bool(keep),
         "act": act, "_w": wt, "_b": bias, "bias": bias is not None}
    name = "%s_o%d" % (shp(in_shape), nout)
    if keep:
        name += "_keep"
    if dt == "int8":
        p["per_channel"] = bool(pc)
        name += "_%s_%s_%s%s" % ("pc" if pc else "pt", ACT_TAG[act], ZP_TAG[zpm], OUT_TAG[out])
    else:
        name += "_" + ACT_TAG[act]
    if bias is None:
        name += "_nobias"
    c = {"name": name, "dtype": dt, "p": p}
    if dt == "int8":
        c["qin"] = [q]
        c["out"] = out
    else:
        c["frange"] = frange
    return c


def sweep_fully_connected(rng):
    cases = []
    add = lambda grp, c: cases.append(dict(c, group=grp))
    for nin in FC_IN:
        add("size", fc_case(rng, "int8", nin=nin))
    for nout in FC_OUT:
        add("size", fc_case(rng, "int8", nout=nout))
    for lead in [[2], [3], [4], [7], [2, 3], [3, 2], [1, 5], [2, 2, 2]]:
        for keep in ([False, True] if len(lead) > 1 else [False]):
            add("batch", fc_case(rng, "int8", lead=lead, keep_num_dims=keep))
    for act in ACTS:
        for pc in [False, True]:
            for zpm in ["sym", "rand", "m128", "p127"]:
                add("quant", fc_case(rng, "int8", act=act, per_channel=pc, zpm=zpm, out="calib"))
    for out in ["sat", "sat_hard", "zp127", "zpm128"]:
        for act in ACTS:
            add("outq", fc_case(rng, "int8", act=act, out=out))
    for _ in range(4):
        add("nobias", fc_case(rng, "int8", bias=False))
    for _ in range(20):
        add("rand", fc_case(rng, "int8"))
    # float
    for nin in [1, 3, 8, 17, 64, 250]:
        add("f", fc_case(rng, "float32", nin=nin))
    for lead, keep in [([2], False), ([3], False), ([2, 3], True), ([2, 3], False), ([1, 4], True)]:
        add("f", fc_case(rng, "float32", lead=lead, keep_num_dims=keep))
    for act in ACTS:
        add("f", fc_case(rng, "float32", act=act))
    add("f", fc_case(rng, "float32", bias=False))
    for _ in range(8):
        add("f", fc_case(rng, "float32"))
    return cases


# --------------------------------------------------------------------------
# pooling


def pool_case(rng, dt, avg, **kw):
    g = lambda k, f: kw[k] if k in kw else f()
    fh, fw = g("filter", lambda: pick(rng, [(2, 2), (3, 3), (2, 2), (5, 5), (1, 1), (2, 3),
                                            (3, 1), (1, 4)]))
    sh, sw = g("stride", lambda: pick(rng, [(fh, fw), (1, 1), (2, 2), (1, 2), (2, 1)]))
    pad = g("padding", lambda: pick(rng, ["SAME", "VALID"]))
    n = g("n", lambda: 1 if rng.random() < 0.85 else int(rng.integers(2, 4)))
    c = g("c", lambda: pick(rng, CH))
    hmin, wmin = (fh, fw) if pad == "VALID" else (1, 1)
    h = g("h", lambda: int(rng.integers(max(hmin, 2), max(hmin, 12) + 1)))
    w = g("w", lambda: int(rng.integers(max(wmin, 2), max(wmin, 12) + 1)))
    while n * h * w * c > 8192 and h > hmin:
        h -= 1
    act = g("act", lambda: pick(rng, ACTS, [7, 1, 1, 1]))
    zpm = g("zpm", lambda: rand_zpm(rng))
    p = {"in_shape": [n, h, w, c], "filter": [fh, fw], "stride": [sh, sw], "padding": pad,
         "act": act}
    name = "f%dx%d_s%dx%d_%s_%s_%s" % (fh, fw, sh, sw, pad.lower(), shp(p["in_shape"]),
                                        ACT_TAG[act])
    cs = {"dtype": dt, "p": p}
    if dt == "int8":
        cs["qin"] = [qin(rng, zpm)]
        cs["out"] = "same"
        name += "_" + ZP_TAG[zpm]
    else:
        cs["frange"] = f32(loguni(rng, 0.5, 4.0))
    cs["name"] = name
    return cs


def _pool_sweep(rng, avg):
    cases = []
    add = lambda grp, c: cases.append(dict(c, group=grp))
    for f in [(1, 1), (2, 2), (3, 3), (5, 5), (2, 3), (3, 1), (1, 4), (7, 7)]:
        for s in ([f, (1, 1), (2, 2)] if f != (1, 1) else [(1, 1), (2, 2)]):
            for pad in ["SAME", "VALID"]:
                add("filt", pool_case(rng, "int8", avg, filter=f, stride=tuple(s), padding=pad))
    for s in [(1, 2), (2, 1), (3, 3)]:
        add("filt", pool_case(rng, "int8", avg, filter=(3, 3), stride=s))
    # global pooling (filter = whole input), typical classifier heads
    for hw, c in [((7, 7), 16), ((6, 6), 67), ((3, 5), 9), ((1, 1), 8), ((16, 16), 3), ((4, 4), 33)]:
        add("global", pool_case(rng, "int8", avg, filter=hw, stride=hw, padding="VALID",
                                h=hw[0], w=hw[1], c=c, act="NONE"))
    for act in ACTS[1:]:
        for _ in range(2):
            add("act", pool_case(rng, "int8", avg, act=act))
    for zpm in ["m128", "p127", "rand"]:
        add("zp", pool_case(rng, "int8", avg, zpm=zpm))
    for nb in [2, 3]:
        add("batch", pool_case(rng, "int8", avg, n=nb))
    for _ in range(8):
        add("rand", pool_case(rng, "int8", avg))
    for f, s, pad in [((2, 2), (2, 2), "VALID"), ((3, 3), (1, 1), "SAME"), ((3, 3), (2, 2), "SAME"),
                      ((5, 5), (1, 1), "VALID"), ((2, 3), (1, 2), "SAME"), ((1, 1), (2, 2), "SAME")]:
        add("f", pool_case(rng, "float32", avg, filter=f, stride=s, padding=pad))
    add("f", pool_case(rng, "float32", avg, filter=(7, 7), stride=(7, 7), padding="VALID",
                       h=7, w=7))
    for act in ACTS:
        add("f", pool_case(rng, "float32", avg, act=act))
    for _ in range(4):
        add("f", pool_case(rng, "float32", avg))
    return cases


def sweep_average_pool_2d(rng):
    return _pool_sweep(rng, True)


def sweep_max_pool_2d(rng):
    return _pool_sweep(rng, False)


# --------------------------------------------------------------------------
# SOFTMAX


def sweep_softmax(rng):
    cases = []

    def add(grp, dt, shape, beta=1.0, s_lo=0.01, s_hi=0.12, zpm=None, gen=None, tag=""):
        p = {"in_shape": list(shape), "beta": f32(beta)}
        c = {"group": grp, "dtype": dt, "p": p,
             "name": "%s_b%s%s" % (shp(shape), ("%g" % beta).replace(".", "p").replace("-", "m"),
                                   tag)}
        if dt == "int8":
            zpm = zpm or rand_zpm(rng)
            c["qin"] = [qin(rng, zpm, s_lo, s_hi)]
            c["out"] = ["fixed", 1.0 / 256, -128]
            c["name"] += "_" + ZP_TAG[zpm]
        else:
            c["frange"] = f32(loguni(rng, 0.5, 12.0))
        if gen:
            c["gen"] = gen
        cases.append(c)

    for n in [1, 2, 3, 5, 7, 10, 12, 16, 17, 33, 64, 67, 100, 255, 256, 1000]:
        add("len", "int8", [1, n])
    for shape in [[2, 10], [4, 3], [3, 17], [1, 4, 4, 7], [2, 3, 5], [1, 1, 1, 12], [2, 2, 2, 9],
                  [5]]:
        add("shape", "int8", shape)
    for beta in [1e-3, 0.1, 0.5, 2.0, 10.0, 100.0, 1000.0]:
        add("beta", "int8", [1, 10], beta=beta)
        add("beta", "int8", [2, 33], beta=beta, s_lo=0.05, s_hi=1.0)
    for s_lo, s_hi, tag in [(1e-4, 1e-3, "_tinyscale"), (0.8, 4.0, "_hugescale"),
                            (0.06, 0.07, "_s0p06")]:
        for n in [10, 64]:
            add("scale", "int8", [1, n], s_lo=s_lo, s_hi=s_hi, tag=tag)
    # LiteRT's int8 reference softmax aborts once the fixed-point sum of exponentials
    # reaches 512 (e.g. 512 inputs at the row maximum); 511 is the last valid count.
    add("input", "int8", [1, 1000], s_lo=0.4, s_hi=0.6, zpm="sym",
        gen=[["int8_split", 127, 511, -128]], tag="_511max")
    add("input", "int8", [1, 600], s_lo=0.4, s_hi=0.6, zpm="sym",
        gen=[["int8_split", 127, 300, -100]], tag="_300max")
    add("input", "int8", [1, 1000], zpm="sym", gen=[["int8_split", 127, 512, -128]],
        tag="_512max_aborts")
    add("input", "int8", [2, 50], gen=[["int8_many", 127, 0.9]], tag="_mostlymax")
    add("input", "int8", [1, 20], gen=[["int8_const", -128]], tag="_allmin")
    add("input", "int8", [1, 20], gen=[["int8_const", 127]], tag="_allmax")
    add("input", "int8", [1, 64], gen=[["int8_many", -128, 0.95]], tag="_onlyfewhigh")
    for _ in range(6):
        add("rand", "int8", [1, int(rng.integers(1, 200))], beta=pick(rng, [1.0, 1.0, 0.5, 2.0]))
    for n in [1, 3, 10, 17, 100, 1000]:
        add("f", "float32", [1, n])
    for shape in [[2, 10], [1, 3, 3, 5], [2, 3, 7]]:
        add("f", "float32", shape)
    for beta in [0.01, 0.5, 3.0, 50.0]:
        add("f", "float32", [1, 16], beta=beta)
    return cases


# --------------------------------------------------------------------------
# RESHAPE and SQUEEZE


def sweep_reshape(rng):
    cases = []
    specs = [
        ([1, 4, 4, 8], [1, 128], [1, 128]),
        ([1, 4, 4, 8], [-1, 128], [1, 128]),
        ([1, 4, 4, 8], [1, -1], [1, 128]),
        ([1, 4, 4, 8], [128], [128]),
        ([1, 1, 1, 67], [1, 67], [1, 67]),
        ([1, 67], [1, 1, 1, 67], [1, 1, 1, 67]),
        ([2, 3, 5], [6, 5], [6, 5]),
        ([2, 3, 5], [2, -1], [2, 15]),
        ([30], [2, 3, 5], [2, 3, 5]),
        ([1, 49, 10, 1], [1, 490], [1, 490]),
        ([1, 490], [1, 49, 10, 1], [1, 49, 10, 1]),
        ([1, 12], [1, 1, 12], [1, 1, 12]),
        ([3, 7], [7, 3], [7, 3]),
        ([2, 2, 2, 2], [16], [16]),
        ([1, 5, 5, 3], [1, 25, 3], [1, 25, 3]),
    ]
    variants = [("both", True, True), ("tensor", True, False), ("opts", False, True)]
    for i, (ish, spec, osh) in enumerate(specs):
        for dt in (["int8", "float32"] if i % 2 == 0 else ["int8"]):
            vname, sin, opt = variants[i % 3] if -1 not in spec else variants[i % 2]
            if not sin and -1 in spec:
                continue
            p = {"in_shape": ish, "new_shape_spec": spec, "out_shape": osh,
                 "shape_input": sin, "options": opt}
            c = {"group": "r", "dtype": dt, "p": p,
                 "name": "%s_to_%s_%s" % (shp(ish), shp(spec).replace("-1", "m1"), vname)}
            if dt == "int8":
                zpm = rand_zpm(rng)
                c["qin"] = [qin(rng, zpm)]
                c["out"] = "same"
            cases.append(c)
    # extra: each variant for the same shape, both dtypes
    for vname, sin, opt in variants:
        for dt in ["int8", "float32"]:
            p = {"in_shape": [1, 3, 3, 4], "new_shape_spec": [1, 36], "out_shape": [1, 36],
                 "shape_input": sin, "options": opt}
            c = {"group": "v", "dtype": dt, "p": p, "name": "1x3x3x4_to_1x36_%s" % vname}
            if dt == "int8":
                c["qin"] = [qin(rng, "rand")]
                c["out"] = "same"
            cases.append(c)
    return cases


def sweep_squeeze(rng):
    cases = []
    specs = [
        ([1, 1, 1, 67], [1, 2], [1, 67]),
        ([1, 1, 1, 10], [], [10]),
        ([1, 5, 1, 3], [2], [1, 5, 3]),
        ([1, 5, 1, 3], [0, 2], [5, 3]),
        ([1, 5, 1, 3], [-2], [1, 5, 3]),
        ([2, 1, 7], [1], [2, 7]),
        ([1, 12], [0], [12]),
        ([1, 12], [], [12]),
        ([1, 1, 1, 1], [], []),
        ([3, 1, 1, 4], [-3, -2], [3, 4]),
        ([1, 2, 3, 1], [3], [1, 2, 3]),
        ([1, 1, 8, 1], [0, 1, 3], [8]),
    ]
    for i, (ish, dims, osh) in enumerate(specs):
        for dt in (["int8", "float32"] if i % 2 == 0 else ["int8"]):
            p = {"in_shape": ish, "squeeze_dims": dims, "out_shape": osh}
            c = {"group": "s", "dtype": dt, "p": p,
                 "name": "%s_dims%s" % (shp(ish), "_".join(str(d).replace("-", "m") for d in dims)
                                        or "all")}
            if dt == "int8":
                c["qin"] = [qin(rng, rand_zpm(rng))]
                c["out"] = "same"
            cases.append(c)
    return cases


# --------------------------------------------------------------------------
# ADD / SUB / MUL

BIN_SHAPES = [
    ([1, 4, 4, 8], [1, 4, 4, 8]), ([1, 5, 3, 7], [1, 5, 3, 7]), ([2, 3, 3, 5], [2, 3, 3, 5]),
    ([1, 8, 8, 16], [1, 8, 8, 16]), ([1, 1, 1, 67], [1, 1, 1, 67]),
    ([1, 4, 4, 8], [1, 1, 1, 8]), ([1, 4, 4, 8], [8]), ([1, 4, 4, 8], [1, 4, 4, 1]),
    ([1, 4, 4, 8], [1, 1, 1, 1]), ([1, 4, 4, 8], []), ([1, 1, 1, 9], [1, 3, 5, 9]),
    ([2, 1, 3, 1], [1, 4, 1, 5]), ([2, 3, 3, 5], [1, 3, 1, 5]), ([3, 1, 5], [1, 4, 1]),
    ([7], [7]), ([13], [1]), ([2, 9], [9]), ([2, 9], [2, 1]), ([1, 17], [1, 17]),
    ([2, 3, 4, 5], [3, 1, 5]), ([2, 1, 2, 3, 4], [1, 3, 1, 1, 4]),
    ([1, 2, 1, 3, 2, 2], [2, 1, 3, 1, 1]), ([5, 1], [1, 6]), ([1], [3, 4]),
]


def _bin_case(rng, op, dt, s1, s2, **kw):
    g = lambda k, f: kw[k] if k in kw else f()
    act = g("act", lambda: pick(rng, ACTS, [6, 2, 1, 1]))
    const2 = g("const2", lambda: rng.random() < 0.12)
    p = {"shape1": list(s1), "shape2": list(s2), "act": act, "const2": bool(const2)}
    name = "%s_%s_%s" % (shp(s1), shp(s2), ACT_TAG[act])
    c = {"dtype": dt, "p": p}
    if dt == "int8":
        zpm1 = g("zpm1", lambda: rand_zpm(rng))
        zpm2 = g("zpm2", lambda: rand_zpm(rng))
        ratio = g("ratio", lambda: pick(rng, [1.0, 1.0, 3.0, 0.3, 30.0, 0.01, 200.0]))
        q1 = qin(rng, zpm1, 0.005, 0.2)
        q2 = qin(rng, zpm2, 0.005, 0.2)
        if ratio == 1.0 and g("same_scale", lambda: rng.random() < 0.5):
            q2[0] = q1[0]
        else:
            q2[0] = f32(q1[0] * ratio)
        if const2:
            lo, hi = q2[0] * (-128 - q2[1]), q2[0] * (127 - q2[1])
            p["_c2"] = rng.uniform(lo, hi, size=s2)
        c["qin"] = [q1, q2]
        c["out"] = g("out", lambda: rand_out(rng))
        name += "_%s%s_r%s%s" % (ZP_TAG[zpm1], ZP_TAG[zpm2][1:], ("%g" % ratio).replace(".", "p"),
                                 OUT_TAG[c["out"]])
    else:
        c["frange"] = f32(loguni(rng, 0.5, 4.0))
        if const2:
            p["_c2"] = rng.uniform(-2, 2, size=s2)
    if const2:
        name += "_const"
    c["name"] = name
    return c


def _bin_sweep(rng, op, n_rand):
    cases = []
    add = lambda grp, c: cases.append(dict(c, group=grp))
    for s1, s2 in BIN_SHAPES:
        add("shape", _bin_case(rng, op, "int8", s1, s2))
    for ratio in [1.0, 3.0, 0.3, 30.0, 0.01, 200.0]:
        add("scale", _bin_case(rng, op, "int8", [1, 4, 4, 8], [1, 4, 4, 8], ratio=ratio,
                               act="NONE", const2=False))
    for act in ACTS:
        for zpm1, zpm2 in [("m128", "m128"), ("p127", "rand"), ("sym", "p127")]:
            add("quant", _bin_case(rng, op, "int8", [1, 3, 3, 5], [1, 3, 3, 5], act=act,
                                   zpm1=zpm1, zpm2=zpm2, out="calib", const2=False))
    for out in ["sat", "sat_hard", "zp127", "zpm128"]:
        add("outq", _bin_case(rng, op, "int8", [1, 4, 4, 8], [1, 1, 1, 8], out=out))
    for s1, s2 in [([1, 4, 4, 8], [1, 1, 1, 8]), ([2, 5], [5]), ([1, 4, 4, 8], [])]:
        add("const", _bin_case(rng, op, "int8", s1, s2, const2=True))
    for _ in range(n_rand):
        s1, s2 = BIN_SHAPES[int(rng.integers(len(BIN_SHAPES)))]
        if rng.random() < 0.5:
            s1, s2 = s2, s1
        add("rand", _bin_case(rng, op, "int8", s1, s2))
    fl = [([1, 4, 4, 8], [1, 4, 4, 8]), ([1, 4, 4, 8], [1, 1, 1, 8]), ([1, 4, 4, 8], []),
          ([2, 1, 3, 1], [1, 4, 1, 5]), ([7], [7]), ([2, 9], [9]), ([2, 3, 4, 5], [3, 1, 5]),
          ([2, 1, 2, 3, 4], [1, 3, 1, 1, 4])]
    for s1, s2 in fl:
        add("f", _bin_case(rng, op, "float32", s1, s2, const2=False))
    for act in ACTS:
        add("f", _bin_case(rng, op, "float32", [1, 3, 3, 5], [1, 3, 3, 5], act=act))
    add("f", _bin_case(rng, op, "float32", [1, 4, 4, 8], [1, 1, 1, 8], const2=True))
    return cases


def sweep_add(rng):
    return _bin_sweep(rng, "ADD", 14)


def sweep_sub(rng):
    return _bin_sweep(rng, "SUB", 6)


def sweep_mul(rng):
    return _bin_sweep(rng, "MUL", 10)


# --------------------------------------------------------------------------
# QUANTIZE / DEQUANTIZE


def sweep_quantize(rng):
    cases = []
    shapes = [[1, 4, 4, 3], [1, 10], [2, 3, 5], [67], [1, 16, 16, 1], [3, 7]]
    # float -> int8
    grid = [(1 / 255, -128), (1 / 128, 0), (0.0039215689, -128), (0.01, 5), (0.1, 127),
            (1.7, -1), (1e-3, 0), (0.05, -37), (2.0, 64), (1 / 64, -128)]
    for i, (s, z) in enumerate(grid):
        sh = shapes[i % len(shapes)]
        lo, hi = s * (-128 - z), s * (127 - z)
        span = hi - lo
        cases.append({"group": "f2q", "dtype": "int8", "p": {"in_shape": sh, "src": "float32"},
                      "qin": [], "out": ["fixed", f32(s), z],
                      "gen": [["f32", lo - 0.25 * span, hi + 0.25 * span]],
                      "name": "f32_to_i8_%s_s%s_z%d" % (shp(sh), ("%.3g" % s).replace(".", "p"), z)})
    # exact ties k+0.5 (power-of-two scales make val/scale exact)
    for s, z in [(1 / 128, 0), (0.5, -3), (1 / 16, 100), (0.25, -128)]:
        sh = [1, 64]
        cases.append({"group": "f2q", "dtype": "int8", "p": {"in_shape": sh, "src": "float32"},
                      "qin": [], "out": ["fixed", f32(s), z],
                      "gen": [["f32_ties", f32(s), z]],
                      "name": "f32_to_i8_ties_s%s_z%d" % (("%.3g" % s).replace(".", "p"), z)})
    for _ in range(6):
        sh = shapes[int(rng.integers(len(shapes)))]
        s = f32(loguni(rng, 1e-3, 1.0))
        z = int(rng.integers(-128, 128))
        lo, hi = s * (-128 - z), s * (127 - z)
        cases.append({"group": "f2q", "dtype": "int8", "p": {"in_shape": sh, "src": "float32"},
                      "qin": [], "out": ["fixed", s, z], "gen": [["f32", lo * 1.1, hi * 1.1]],
                      "name": "f32_to_i8_rand_%s_z%d" % (shp(sh), z)})
    # int8 -> int8
    ratios = [0.01, 0.25, 0.5, 0.999, 1.0, 1.001, 2.0, 3.7, 100.0, 1.0 / 3]
    zpairs = [(0, 0), (-128, 0), (127, -128), (5, -7), (-128, -128), (0, 127), (-20, 60),
              (100, -100), (1, -1), (-128, 127)]
    for i, ratio in enumerate(ratios):
        for j in range(2):
            z1, z2 = zpairs[(i + 3 * j) % len(zpairs)]
            s1 = f32(loguni(rng, 0.005, 0.2))
            s2 = f32(s1 / ratio)
            sh = shapes[(i + j) % len(shapes)]
            cases.append({"group": "q2q", "dtype": "int8", "p": {"in_shape": sh, "src": "int8"},
                          "qin": [[s1, z1]], "out": ["fixed", s2, z2],
                          "name": "i8_to_i8_r%s_z%d_z%d_%s" % (("%.4g" % ratio).replace(".", "p"),
                                                              z1, z2, shp(sh))})
    cases.append({"group": "q2q", "dtype": "int8", "p": {"in_shape": [1, 32], "src": "int8"},
                  "qin": [[0.05, 3]], "out": ["fixed", 0.05, 3], "name": "i8_to_i8_identity"})
    return cases


def sweep_dequantize(rng):
    cases = []
    shapes = [[1, 4, 4, 3], [1, 10], [2, 3, 5], [67], [1, 16, 16, 1], [3, 7], [1, 2]]
    grid = [(1 / 256, -128), (1 / 128, 0), (1e-5, 3), (0.1, 127), (3.3, -1), (1000.0, 0),
            (0.0039215689, -128), (0.0215, 17), (0.5, -128), (7e-3, 127)]
    for i, (s, z) in enumerate(grid):
        sh = shapes[i % len(shapes)]
        cases.append({"group": "g", "dtype": "int8", "p": {"in_shape": sh}, "qin": [[f32(s), z]],
                      "out": None, "name": "%s_s%s_z%d" % (shp(sh), ("%.3g" % s).replace(".", "p"), z)})
    for _ in range(12):
        sh = shapes[int(rng.integers(len(shapes)))]
        s = f32(loguni(rng, 1e-4, 10.0))
        z = int(rng.integers(-128, 128))
        cases.append({"group": "r", "dtype": "int8", "p": {"in_shape": sh}, "qin": [[s, z]],
                      "out": None, "name": "rand_%s_z%d" % (shp(sh), z)})
    return cases


# --------------------------------------------------------------------------
# unary activations

UNARY_SHAPES = [[1, 4, 4, 8], [1, 10], [2, 3, 5], [67], [1, 7, 7, 3], [1, 1, 1, 1], [3, 17],
                [1, 16, 16, 2]]


def _unary_sweep(rng, op):
    cases = []
    fixed = {"LOGISTIC": ["fixed", 1.0 / 256, -128], "TANH": ["fixed", 1.0 / 128, 0]}.get(op)
    scales = [(1e-3, 2e-3, "tiny"), (0.01, 0.03, "small"), (0.03, 0.08, "mid"),
              (0.1, 0.3, "big"), (0.5, 2.0, "huge")]
    i = 0
    for lo, hi, stag in scales:
        for zpm in ["sym", "rand", "m128", "p127"]:
            sh = UNARY_SHAPES[i % len(UNARY_SHAPES)]
            i += 1
            c = {"group": "q", "dtype": "int8", "p": {"in_shape": sh},
                 "qin": [qin(rng, zpm, lo, hi)]}
            if fixed:
                c["out"] = fixed
                c["name"] = "%s_s%s_%s" % (shp(sh), stag, ZP_TAG[zpm])
            else:
                # RELU/RELU6 outputs are >= 0: an output zero point of 127 would
                # make every output 127, so those get a hard-saturating scale instead
                c["out"] = pick(rng, ["calib", "calib", "same", "sat", "sat_hard"])
                c["name"] = "%s_s%s_%s%s" % (shp(sh), stag, ZP_TAG[zpm],
                                             OUT_TAG[c["out"]] or ("_same" if c["out"] == "same"
                                                                   else ""))
            cases.append(c)
    if not fixed:
        for out in ["same", "calib", "sat", "sat_hard", "zpm128"]:
            c = {"group": "o", "dtype": "int8", "p": {"in_shape": [1, 64]},
                 "qin": [qin(rng, "rand", 0.01, 0.1)], "out": out,
                 "name": "1x64_out_%s" % out}
            cases.append(c)
    for _ in range(5):
        sh = UNARY_SHAPES[int(rng.integers(len(UNARY_SHAPES)))]
        c = {"group": "r", "dtype": "int8", "p": {"in_shape": sh},
             "qin": [qin(rng, rand_zpm(rng), 1e-3, 1.0)], "out": fixed or "calib",
             "name": "rand_%s" % shp(sh)}
        cases.append(c)
    for j, sh in enumerate(UNARY_SHAPES):
        cases.append({"group": "f", "dtype": "float32", "p": {"in_shape": sh},
                      "frange": [2.0, 8.0, 0.5, 12.0][j % 4], "name": shp(sh)})
    return cases


def sweep_logistic(rng):
    return _unary_sweep(rng, "LOGISTIC")


def sweep_tanh(rng):
    return _unary_sweep(rng, "TANH")


def sweep_relu(rng):
    return _unary_sweep(rng, "RELU")


def sweep_relu6(rng):
    return _unary_sweep(rng, "RELU6")


# --------------------------------------------------------------------------
# CONCATENATION, PAD, MEAN


def sweep_concatenation(rng):
    cases = []
    specs = [
        ([[1, 4, 4, 3], [1, 4, 4, 5]], 3), ([[1, 4, 4, 3], [1, 4, 4, 5]], -1),
        ([[1, 2, 4, 3], [1, 3, 4, 3]], 1), ([[1, 4, 2, 3], [1, 4, 5, 3]], 2),
        ([[1, 4, 4, 3], [2, 4, 4, 3]], 0), ([[1, 3, 3, 8], [1, 3, 3, 8], [1, 3, 3, 8]], 3),
        ([[1, 5], [1, 7], [1, 1], [1, 3]], 1), ([[2, 5], [3, 5]], 0), ([[3], [4], [1]], 0),
        ([[2, 3, 4], [2, 1, 4]], -2), ([[1, 1, 1, 17], [1, 1, 1, 50]], 3),
        ([[1, 2, 2, 1]] * 5, 3), ([[2, 2, 3, 4], [2, 2, 3, 1]], -1), ([[1, 6, 6, 16], [1, 6, 6, 16]], 3),
        ([[1, 1, 8, 2], [1, 1, 8, 2]], 1),
    ]
    for i, (shapes, axis) in enumerate(specs):
        for dt in ["int8", "float32"] if i % 2 == 0 else ["int8"]:
            for zpm in ([rand_zpm(rng)] if dt == "float32" else
                        [rand_zpm(rng), pick(rng, ["m128", "p127"])]):
                p = {"shapes": shapes, "axis": axis, "act": "NONE"}
                c = {"group": "c", "dtype": dt, "p": p,
                     "name": "%s_ax%s" % ("_".join(shp(s) for s in shapes),
                                          str(axis).replace("-", "m"))}
                if dt == "int8":
                    q = qin(rng, zpm)
                    c["qin"] = [q] * len(shapes)
                    c["out"] = "same"
                    c["name"] += "_" + ZP_TAG[zpm]
                cases.append(c)
    # a constant operand (e.g. a learned token), int8 and float
    for dt in ["int8", "float32"]:
        shapes = [[1, 3, 4], [1, 1, 4]]
        p = {"shapes": shapes, "axis": 1, "act": "NONE", "const_inputs": [1]}
        c = {"group": "k", "dtype": dt, "p": p, "name": "1x3x4_const1x1x4_ax1"}
        if dt == "int8":
            q = qin(rng, "rand")
            c["qin"] = [q, q]
            c["out"] = "same"
            lo, hi = q[0] * (-128 - q[1]), q[0] * (127 - q[1])
            p["_consts"] = {"1": rng.uniform(lo, hi, size=shapes[1])}
        else:
            p["_consts"] = {"1": rng.uniform(-2, 2, size=shapes[1])}
        cases.append(c)
    return cases


def sweep_pad(rng):
    cases = []
    specs = [
        ([1, 4, 4, 3], [[0, 0], [1, 1], [1, 1], [0, 0]]),
        ([1, 5, 5, 8], [[0, 0], [0, 1], [0, 1], [0, 0]]),
        ([1, 5, 5, 8], [[0, 0], [2, 0], [1, 3], [0, 0]]),
        ([1, 3, 3, 2], [[0, 0], [3, 3], [3, 3], [0, 0]]),
        ([1, 4, 4, 3], [[0, 0], [0, 0], [0, 0], [1, 2]]),
        ([2, 2, 3, 3], [[1, 0], [0, 1], [2, 0], [0, 0]]),
        ([1, 4, 4, 3], [[0, 0], [0, 0], [0, 0], [0, 0]]),
        ([1, 16, 16, 1], [[0, 0], [1, 2], [2, 1], [0, 0]]),
        ([3, 5], [[1, 1], [2, 3]]),
        ([7], [[3, 0]]),
        ([2, 3, 4], [[0, 1], [1, 0], [2, 2]]),
        ([1, 1, 1, 1], [[0, 0], [4, 4], [4, 4], [0, 0]]),
        ([1, 6, 6, 67], [[0, 0], [1, 1], [1, 1], [0, 0]]),
        ([1, 2, 3, 2, 2], [[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]),
    ]
    for i, (sh, pads) in enumerate(specs):
        for dt in ["int8", "float32"]:
            for zpm in ([rand_zpm(rng)] if dt == "float32" else
                        ["m128", "p127", rand_zpm(rng)]):
                p = {"in_shape": sh, "paddings": pads, "pad_i64": i % 5 == 3}
                c = {"group": "p", "dtype": dt, "p": p,
                     "name": "%s_p%s%s" % (shp(sh), "_".join("%d%d" % tuple(x) for x in pads),
                                           "_i64" if p["pad_i64"] else "")}
                if dt == "int8":
                    c["qin"] = [qin(rng, zpm)]
                    c["out"] = "same"
                    c["name"] += "_" + ZP_TAG[zpm]
                cases.append(c)
    return cases


def sweep_mean(rng):
    cases = []
    specs = [
        ([1, 4, 4, 8], [1, 2], True), ([1, 4, 4, 8], [1, 2], False), ([1, 7, 7, 67], [1, 2], True),
        ([1, 7, 7, 67], [1, 2], False), ([2, 3, 3, 5], [1, 2], True), ([1, 16, 16, 3], [1, 2], False),
        ([1, 4, 4, 8], [3], True), ([1, 4, 4, 8], [-1], False), ([1, 4, 4, 8], [1], False),
        ([1, 4, 4, 8], [2], True), ([2, 4, 4, 8], [0], True), ([1, 4, 4, 8], [1, 2, 3], False),
        ([1, 4, 4, 8], [2, 1], True), ([1, 4, 4, 8], [-3, -2], True), ([3, 10], [1], False),
        ([3, 10], [0], True), ([2, 5, 6], [1], True), ([2, 5, 6], [0, 2], False), ([9], [0], False),
        ([1, 1, 1, 13], [1, 2], True), ([1, 2, 9, 5], [1, 2], False),
    ]
    for i, (sh, axis, keep) in enumerate(specs):
        for dt in ["int8", "float32"] if i % 2 == 0 else ["int8"]:
            for outm in (["calib"] if dt == "float32" else
                         ["same", pick(rng, ["calib", "calib", "sat", "zp127"])]):
                zpm = rand_zpm(rng)
                p = {"in_shape": sh, "axis": axis, "keep_dims": keep}
                c = {"group": "m", "dtype": dt, "p": p,
                     "name": "%s_ax%s%s" % (shp(sh), "_".join(str(a).replace("-", "m") for a in axis),
                                            "_keep" if keep else "")}
                if dt == "int8":
                    c["qin"] = [qin(rng, zpm)]
                    c["out"] = outm
                    c["name"] += "_%s_%s" % (ZP_TAG[zpm], "sameq" if outm == "same" else
                                             ("calib" if outm == "calib" else outm))
                cases.append(c)
    return cases


SWEEPS = {
    "CONV_2D": sweep_conv_2d,
    "DEPTHWISE_CONV_2D": sweep_depthwise_conv_2d,
    "FULLY_CONNECTED": sweep_fully_connected,
    "AVERAGE_POOL_2D": sweep_average_pool_2d,
    "MAX_POOL_2D": sweep_max_pool_2d,
    "SOFTMAX": sweep_softmax,
    "RESHAPE": sweep_reshape,
    "SQUEEZE": sweep_squeeze,
    "ADD": sweep_add,
    "SUB": sweep_sub,
    "MUL": sweep_mul,
    "QUANTIZE": sweep_quantize,
    "DEQUANTIZE": sweep_dequantize,
    "LOGISTIC": sweep_logistic,
    "TANH": sweep_tanh,
    "RELU": sweep_relu,
    "RELU6": sweep_relu6,
    "CONCATENATION": sweep_concatenation,
    "PAD": sweep_pad,
    "MEAN": sweep_mean,
}
