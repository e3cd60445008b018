"""Minimal .tflite writer for single-op oracle models.

Builds a TFLite flatbuffer (schema from ai_edge_litert, i.e. the schema of the
LiteRT runtime that produces the expected outputs) with exactly one operator.
Conventions follow what the TFLite converter emits for full-integer models:

- buffer 0 is the empty sentinel; every tensor owns one buffer (empty for
  activations); constant data is 16-byte aligned;
- int8 weights are symmetric (zero point 0, values in [-127, 127]), per-channel
  (quantized_dimension 0 for CONV_2D / FULLY_CONNECTED, 3 for
  DEPTHWISE_CONV_2D) or per-tensor; biases are int32 with
  scale = input_scale * weight_scale[c] and zero point 0;
- activation quantization comes from a float range (min/max widened to include
  0, scale = (max - min) / 255, zero point = round(-128 - min / scale)),
  which is what calibration produces;
- operator versions follow tensorflow/lite/tools/versioning/op_version.cc.
"""

import numpy as np
import flatbuffers
from ai_edge_litert import schema_py_generated as S

TT = S.TensorType
BO = S.BuiltinOperator
BOpt = S.BuiltinOptions
ACT = {"NONE": S.ActivationFunctionType.NONE,
       "RELU": S.ActivationFunctionType.RELU,
       "RELU6": S.ActivationFunctionType.RELU6,
       "RELU_N1_TO_1": S.ActivationFunctionType.RELU_N1_TO_1}
PAD = {"SAME": S.Padding.SAME, "VALID": S.Padding.VALID}

NP2TT = {
    np.dtype(np.int8): TT.INT8, np.dtype(np.uint8): TT.UINT8,
    np.dtype(np.int16): TT.INT16, np.dtype(np.int32): TT.INT32,
    np.dtype(np.int64): TT.INT64, np.dtype(np.float32): TT.FLOAT32,
}


class _AlignedBufferT(S.BufferT):
    """BufferT whose data vector starts on a 16-byte boundary."""

    def Pack(self, builder):
        data = None
        if self.data is not None:
            raw = bytes(self.data)
            builder.StartVector(1, len(raw), 16)
            builder.head = builder.head - len(raw)
            builder.Bytes[builder.head:builder.head + len(raw)] = raw
            builder.vectorNumElems = len(raw)
            data = builder.EndVector()
        S.BufferStart(builder)
        if data is not None:
            S.BufferAddData(builder, data)
        return S.BufferEnd(builder)


class ModelBuilder:
    def __init__(self, description="mote oracle case"):
        self.description = description
        self.buffers = [_AlignedBufferT()]
        self.tensors = []
        self.operators = []
        self.opcodes = []
        self._opcode_index = {}

    def tensor(self, name, shape, dtype, data=None, quant=None):
        """Add a tensor. quant = (scales, zero_points, quantized_dimension)."""
        dtype = np.dtype(dtype)
        buf = _AlignedBufferT()
        if data is not None:
            arr = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape))
            buf.data = arr.tobytes()
        self.buffers.append(buf)
        t = S.TensorT()
        t.shape = [int(d) for d in shape]
        t.type = NP2TT[dtype]
        t.buffer = len(self.buffers) - 1
        t.name = name
        t.hasRank = True
        if quant is not None:
            scales, zps, qdim = quant
            q = S.QuantizationParametersT()
            q.scale = [float(np.float32(s)) for s in np.atleast_1d(scales)]
            q.zeroPoint = [int(z) for z in np.atleast_1d(zps)]
            q.quantizedDimension = int(qdim)
            t.quantization = q
        self.tensors.append(t)
        return len(self.tensors) - 1

    def op(self, code, inputs, outputs, opt_type=0, options=None, version=1):
        key = (code, version)
        if key not in self._opcode_index:
            oc = S.OperatorCodeT()
            oc.builtinCode = code
            oc.deprecatedBuiltinCode = min(code, 127)
            oc.version = version
            self._opcode_index[key] = len(self.opcodes)
            self.opcodes.append(oc)
        o = S.OperatorT()
        o.opcodeIndex = self._opcode_index[key]
        o.inputs = list(inputs)
        o.outputs = list(outputs)
        if options is not None:
            o.builtinOptionsType = opt_type
            o.builtinOptions = options
        self.operators.append(o)

    def finish(self, inputs, outputs):
        sg = S.SubGraphT()
        sg.tensors = self.tensors
        sg.inputs = list(inputs)
        sg.outputs = list(outputs)
        sg.operators = self.operators
        sg.name = "main"
        m = S.ModelT()
        m.version = 3
        m.operatorCodes = self.opcodes
        m.subgraphs = [sg]
        m.description = self.description
        m.buffers = self.buffers
        b = flatbuffers.Builder(4096)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())


# --------------------------------------------------------------------------
# quantization helpers


def qparams_from_range(rmin, rmax):
    """TFLite-style asymmetric int8 parameters for a float range."""
    rmin = min(float(rmin), 0.0)
    rmax = max(float(rmax), 0.0)
    if rmax - rmin < 1e-6:
        rmax = rmin + 1e-6 * 255
    scale = (rmax - rmin) / 255.0
    zp = int(np.clip(np.round(-128.0 - rmin / scale), -128, 127))
    return float(np.float32(scale)), zp


def float_range(scale, zp):
    return scale * (-128 - zp), scale * (127 - zp)


def quantize_weights(w, per_channel, axis):
    """Symmetric int8 quantization; returns (q, scales)."""
    w = np.asarray(w, dtype=np.float64)
    if per_channel:
        red = tuple(i for i in range(w.ndim) if i != axis)
        m = np.max(np.abs(w), axis=red)
    else:
        m = np.array([np.max(np.abs(w))])
    m = np.where(m <= 0, 1e-6, m)
    scales = (m / 127.0).astype(np.float32).astype(np.float64)
    if per_channel:
        shp = [1] * w.ndim
        shp[axis] = -1
        s = scales.reshape(shp)
    else:
        s = scales[0]
    q = np.clip(np.round(w / s), -127, 127).astype(np.int8)
    return q, scales


def quantize_bias(b, in_scale, w_scales):
    bs = (np.float32(in_scale) * np.asarray(w_scales, np.float32)).astype(np.float32)
    if bs.size == 1:
        bs_b = np.full(np.shape(b), bs[0], np.float64)
    else:
        bs_b = bs.astype(np.float64)
    q = np.clip(np.round(np.asarray(b, np.float64) / bs_b), -2**31, 2**31 - 1).astype(np.int32)
    return q, bs
