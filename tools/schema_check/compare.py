#!/usr/bin/env python3
"""Check mote's schema/tflite.fbs against TensorFlow Lite's own reading of real models.

For every .tflite under the models folder, runs schema_check -v and compares its dump with
  (A) ai_edge_litert's Interpreter: get_tensor_details() (name, shape, dtype, scales,
      zero points, quantized_dimension) and _get_ops_details() (op name, inputs, outputs);
  (B) the official generated Python reader (ai_edge_litert.schema_py_generated, built from
      TFLite's full schema.fbs): every op's code, version, inputs, outputs, option type and
      each option field schema_check prints; every tensor's fields, buffer size and
      quantization values.
The interpreter is built without delegates (the default XNNPACK delegate would replace
nodes) and tensors are never allocated, so models with custom ops (Signal*) load too.
If the interpreter rejects a model's quantized_dimension (a rank-1 bias carrying the
weights' dimension, which TFLM accepts), a copy with those fields set to 0 is loaded and
quantized_dimension of the patched tensors is checked by (B) only.

Usage: compare.py [--checker /tmp/schema_check/schema_check] [--models /work/shared/models]
Exit status 0 when everything matches.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

import numpy as np
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def enum_names(cls):
    return {v: k for k, v in vars(cls).items() if not k.startswith('_') and isinstance(v, int)}


OPS = enum_names(S.BuiltinOperator)
TYPES = enum_names(S.TensorType)
OPTS = enum_names(S.BuiltinOptions)
ENUM_FIELDS = {
    'padding': enum_names(S.Padding),
    'fused_activation_function': enum_names(S.ActivationFunctionType),
    'weights_format': enum_names(S.FullyConnectedOptionsWeightsFormat),
    'quantized_bias_type': TYPES, 'in_data_type': TYPES, 'out_data_type': TYPES,
    'output_type': TYPES, 'out_type': TYPES,
    'mode': enum_names(S.MirrorPadMode),
}
NP_TYPES = {'float32': 'FLOAT32', 'float16': 'FLOAT16', 'int32': 'INT32', 'uint8': 'UINT8',
            'int64': 'INT64', 'object_': 'STRING', 'bytes_': 'STRING', 'bool': 'BOOL', 'bool_': 'BOOL',
            'int16': 'INT16', 'complex64': 'COMPLEX64', 'int8': 'INT8', 'float64': 'FLOAT64',
            'uint64': 'UINT64', 'uint32': 'UINT32', 'uint16': 'UINT16'}


def camel(s):
    return ''.join(p[:1].upper() + p[1:] for p in s.split('_'))


def parse_vec(s):
    s = s.strip('[]')
    return [] if not s else s.split(',')


def run_checker(checker, path):
    r = subprocess.run([checker, '-v', path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'schema_check failed: {r.stderr.strip()}')
    ops, tensors, sg = [], [], -1
    for line in r.stdout.splitlines():
        head, _, rest = line.partition(' ')
        if head == 'subgraph':
            sg = int(rest.split()[0])
        if sg != 0:
            continue  # the interpreter view covers the primary subgraph only
        if head == 'op':
            f = rest.split(' ')
            d = {'index': int(f[0]), 'name': f[1], 'version': int(f[2][1:]), 'opts': None, 'fields': {}}
            for tok in f[3:]:
                if '=' in tok:
                    k, v = tok.split('=', 1)
                    (d if k in ('in', 'out', 'custom_options_bytes') else d['fields'])[k] = v
                else:
                    d['opts'] = tok
            ops.append(d)
        elif head == 'tensor':
            pre, _, name = rest.partition(' name=')
            f = pre.split(' ')
            d = {'index': int(f[0]), 'type': f[1], 'name': name}
            d.update(tok.split('=', 1) for tok in f[2:])
            tensors.append(d)
    return ops, tensors


def f32(x):
    return np.float32(float(x))


def compare_official(path, ops, tensors, err):
    """(B) decode the file with the official generated reader and compare field by field."""
    buf = open(path, 'rb').read()
    m = S.Model.GetRootAs(buf, 0)
    g = m.Subgraphs(0)
    if g.OperatorsLength() != len(ops):
        err(f'op count {len(ops)} != official {g.OperatorsLength()}')
    for o in ops[:g.OperatorsLength()]:
        op = g.Operators(o['index'])
        oc = m.OperatorCodes(op.OpcodeIndex())
        code = max(oc.DeprecatedBuiltinCode(), oc.BuiltinCode())
        name = OPS[code] + (':' + oc.CustomCode().decode() if code == S.BuiltinOperator.CUSTOM else '')
        want = {'name': name, 'version': oc.Version(),
                'in': [int(x) for x in op.InputsAsNumpy()] if op.InputsLength() else [],
                'out': [int(x) for x in op.OutputsAsNumpy()] if op.OutputsLength() else []}
        got = {'name': o['name'], 'version': o['version'],
               'in': [int(x) for x in parse_vec(o['in'])], 'out': [int(x) for x in parse_vec(o['out'])]}
        if want != got:
            err(f'op {o["index"]}: {got} != official {want}')
        otype = op.BuiltinOptionsType()
        if OPTS.get(otype, 'NONE') != (o['opts'] or 'NONE'):
            err(f'op {o["index"]}: options {o["opts"]} != official {OPTS.get(otype)}')
            continue
        if not o['fields']:
            continue
        cls = getattr(S, OPTS[otype])
        t = cls()
        t.Init(op.BuiltinOptions().Bytes, op.BuiltinOptions().Pos)
        for k, v in o['fields'].items():
            acc = camel(k)
            if hasattr(t, acc + 'Length'):  # vector field
                n = getattr(t, acc + 'Length')()
                want_v = [int(getattr(t, acc)(j)) for j in range(n)]
                ok = want_v == [int(x) for x in parse_vec(v)]
            else:
                want_v = getattr(t, acc)()
                if k in ENUM_FIELDS:
                    want_v = ENUM_FIELDS[k].get(want_v, want_v)
                    ok = want_v == v
                elif isinstance(want_v, float):
                    ok = np.float32(want_v) == f32(v)
                else:
                    ok = int(want_v) == int(v)
            if not ok:
                err(f'op {o["index"]} {OPTS[otype]}.{k}: {v} != official {want_v}')
    if g.TensorsLength() != len(tensors):
        err(f'tensor count {len(tensors)} != official {g.TensorsLength()}')
    for d in tensors[:g.TensorsLength()]:
        t = g.Tensors(d['index'])
        q = t.Quantization()
        b = m.Buffers(t.Buffer())
        want = {'type': TYPES[t.Type()], 'name': t.Name().decode() if t.Name() else '',
                'shape': [int(x) for x in t.ShapeAsNumpy()] if t.ShapeLength() else [],
                'buffer': t.Buffer(), 'bytes': b.DataLength(),
                'scale': [np.float32(q.Scale(j)) for j in range(q.ScaleLength())] if q else [],
                'zero_point': [q.ZeroPoint(j) for j in range(q.ZeroPointLength())] if q else [],
                'quantized_dimension': q.QuantizedDimension() if q else 0}
        got = {'type': d['type'], 'name': d['name'], 'shape': [int(x) for x in parse_vec(d['shape'])],
               'buffer': int(d['buffer']), 'bytes': int(d['bytes']),
               'scale': [f32(x) for x in parse_vec(d['scale'])],
               'zero_point': [int(x) for x in parse_vec(d['zero_point'])],
               'quantized_dimension': int(d['quantized_dimension'])}
        if len(got['scale']) != int(d['scales']) or len(got['zero_point']) != int(d['zero_points']):
            err(f'tensor {d["index"]}: counts disagree with values')
        for k in want:
            if want[k] != got[k]:
                err(f'tensor {d["index"]} {k}: {got[k]} != official {want[k]}')


def patch_quantized_dimension(path):
    """Copy of the model with quantized_dimension zeroed where it is >= the tensor's rank."""
    buf = bytearray(open(path, 'rb').read())
    m = S.Model.GetRootAs(buf, 0)
    patched = set()
    for s in range(m.SubgraphsLength()):
        g = m.Subgraphs(s)
        for i in range(g.TensorsLength()):
            t = g.Tensors(i)
            q = t.Quantization()
            if q is None or q.QuantizedDimension() < max(t.ShapeLength(), 1):
                continue
            o = q._tab.Offset(16)  # vtable slot 6: quantized_dimension (int32)
            pos = q._tab.Pos + o
            buf[pos:pos + 4] = (0).to_bytes(4, 'little')
            if s == 0:
                patched.add(i)
    return bytes(buf), patched


def compare_interpreter(path, ops, tensors, err, note):
    """(A) compare with the Interpreter's view (no delegates, no allocation)."""
    kw = dict(experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    patched = set()
    try:
        it = Interpreter(model_path=path, **kw)
    except Exception as e:  # noqa: BLE001 - report and retry with a patched copy
        if 'quantized_dimension' not in str(e):
            err(f'interpreter cannot load: {str(e)[:200]}')
            return
        content, patched = patch_quantized_dimension(path)
        it = Interpreter(model_content=content, **kw)
        note(f'interpreter rejects quantized_dimension >= rank on tensors {sorted(patched)}; '
             f'loaded a copy with those set to 0 (checked against the official reader only)')
    det = sorted(it.get_tensor_details(), key=lambda d: d['index'])
    if len(det) != len(tensors):
        err(f'interpreter tensor count {len(det)} != {len(tensors)}')
    for d, t in zip(det, tensors):
        qp = d['quantization_parameters']
        want = {'name': d['name'], 'shape': [int(x) for x in d['shape']],
                'type': NP_TYPES.get(np.dtype(d['dtype']).name, str(d['dtype'])),
                'scale': [np.float32(x) for x in qp['scales']],
                'zero_point': [int(x) for x in qp['zero_points']],
                'quantized_dimension': qp['quantized_dimension']}
        got = {'name': t['name'], 'shape': [int(x) for x in parse_vec(t['shape'])], 'type': t['type'],
               'scale': [f32(x) for x in parse_vec(t['scale'])],
               'zero_point': [int(x) for x in parse_vec(t['zero_point'])],
               'quantized_dimension': int(t['quantized_dimension'])}
        if d['index'] in patched:
            del want['quantized_dimension'], got['quantized_dimension']
        for k in want:
            if want[k] != got[k]:
                err(f'tensor {t["index"]} {k}: {got[k]} != interpreter {want[k]}')
    od = it._get_ops_details()
    if len(od) != len(ops):
        err(f'interpreter op count {len(od)} != {len(ops)}')
    for d, o in zip(od, ops):
        name = o['name'].split(':', 1)[1] if o['name'].startswith('CUSTOM:') else o['name']
        want = (d['op_name'], [int(x) for x in d['inputs']], [int(x) for x in d['outputs']])
        got = (name, [int(x) for x in parse_vec(o['in'])], [int(x) for x in parse_vec(o['out'])])
        if want != got:
            err(f'op {o["index"]}: {got} != interpreter {want}')
    return len(det), len(od)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--checker', default='/tmp/schema_check/schema_check')
    ap.add_argument('--models', default='/work/shared/models')
    a = ap.parse_args()
    total_bad = 0
    for path in sorted(glob.glob(os.path.join(a.models, '**', '*.tflite'), recursive=True)):
        rel = os.path.relpath(path, a.models)
        errs, notes = [], []
        try:
            ops, tensors = run_checker(a.checker, path)
            compare_official(path, ops, tensors, errs.append)
            compare_interpreter(path, ops, tensors, errs.append, notes.append)
        except Exception as e:  # noqa: BLE001
            errs.append(f'{type(e).__name__}: {e}')
            ops, tensors = [], []
        opts = sorted({o['opts'] for o in ops if o['opts']})
        status = 'OK  ' if not errs else 'FAIL'
        print(f'{status} {rel}: {len(ops)} ops, {len(tensors)} tensors match interpreter + official reader'
              if not errs else f'{status} {rel}: {len(errs)} mismatches')
        print(f'       options decoded: {", ".join(opts) or "-"}')
        for n in notes:
            print(f'       note: {n}')
        for e in errs[:20]:
            print(f'       {e}')
        total_bad += len(errs)
    print('ALL MATCH' if total_bad == 0 else f'{total_bad} MISMATCHES')
    return 0 if total_bad == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
