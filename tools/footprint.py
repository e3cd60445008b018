#!/usr/bin/env python3
"""Code and data size of a Cortex-M firmware, per component, from its GNU ld map file.

    tools/footprint.py ELF [--map ELF.map] [--build-dir DIR] [--by-file] [--json]
    tools/footprint.py --compare [BUILD_DIR]... [--anchors DIR] [--json]

Reads the ELF's section headers and the map file the link wrote next to it
(firmware/CMakeLists.txt links every image with -Map,<elf>.map) and prints
text / data / bss per component:

  format  planner  runtime  quant  isa      libmote: src/format, src/plan, src/runtime, ...
  op:<name>                                 libmote: each op folder src/ops/<name>
  ops/common                                libmote: src/ops/*.cc shared by the ops
  firmware: app                             the application's own objects (main, ...)
  firmware: board                           libmote_board.a: startup, semihosting, syscalls
  libc  libm  libgcc  libstdc++             toolchain libraries (newlib-nano, ...)
  model                                     the embedded model (section .mote_model)
  stack                                     the reserved stack (and guard page)
  fill                                      alignment padding between input sections
  other                                     anything else

text / data / bss are counted as `arm-none-eabi-size` (Berkeley) counts them:
an allocated section is text if it is read-only or executable, data if it is
writable with contents, bss if it has none; the total row equals its output.
`.text` is the size of the .text output section alone: the measure TFLM's
anchors use (../shared/anchors: "code of the whole firmware image without the
model"). `code` = text without the model.

--compare prints, for every firmware/app_<model>.elf of the cross builds
(default build/cortex-m4 and build/cortex-m55), its .text next to TFLM's
text_bytes for the same model and core (../shared/anchors/anchors.json:
<core>_ref and <core>_cmsis) and the ratios.

--by-file splits the library's components per source file
(op:conv2d/conv2d_ref.cc, ...): reference, optimized and prepare code apart.

Objects of the static library appear in the map as libmote.a(conv2d.cc.obj);
they are mapped back to their source folder through the build tree
(<build>/CMakeFiles/mote.dir/src/ops/conv2d/conv2d.cc.obj). The build tree is
found from the archive's path in the map, or given with --build-dir.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys

SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 0x1, 0x2, 0x4
SHT_NOBITS = 8
MODEL_SECTION = ".mote_model"
STACK_SECTIONS = (".stack", ".stack_guard", ".heap")


def elf_sections(path):
    """[(name, kind, size)] of the allocated sections; kind: text, data or bss."""
    with open(path, "rb") as f:
        b = f.read()
    if b[:4] != b"\x7fELF":
        raise SystemExit("footprint: %s is not an ELF file" % path)
    if b[4] != 1 or b[5] != 1:
        raise SystemExit("footprint: %s: only 32-bit little-endian ELF is supported" % path)
    shoff, = struct.unpack_from("<I", b, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x2E)
    heads = []
    for i in range(shnum):
        name, typ, flags, _addr, off, size = struct.unpack_from("<IIIIII", b, shoff + i * shentsize)
        heads.append((name, typ, flags, off, size))
    stroff = heads[shstrndx][3]
    out = []
    for name, typ, flags, _off, size in heads:
        if not flags & SHF_ALLOC or size == 0:
            continue
        sname = b[stroff + name:b.index(b"\0", stroff + name)].decode()
        if flags & SHF_EXECINSTR or not flags & SHF_WRITE:
            kind = "text"
        elif typ != SHT_NOBITS:
            kind = "data"
        else:
            kind = "bss"
        out.append((sname, kind, size))
    return out


_OUT_SEC = re.compile(r"^(\S+)(?:\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+))?")
_IN_FULL = re.compile(r"^ (\S+)\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)(?:\s+(\S.*))?$")
_IN_CONT = re.compile(r"^\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)(?:\s+(\S.*))?$")
_IN_NAME = re.compile(r"^ (\S+)\s*$")


def map_contributions(path):
    """{output section: [(input section, object, size)]} from a GNU ld map file."""
    contrib = {}
    current = None
    pending = None  # an input section whose name stood alone on the previous line
    started = False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not started:
                started = line.startswith("Linker script and memory map")
                continue
            if not line.strip():
                pending = None
                continue
            if line[0] not in " \t":
                m = _OUT_SEC.match(line)
                if line.startswith(("LOAD ", "OUTPUT(", "START GROUP", "END GROUP")):
                    current = None
                elif m:
                    current = m.group(1)
                    contrib.setdefault(current, [])
                pending = None
                continue
            if current is None:
                continue
            m = _IN_FULL.match(line)
            if m and not m.group(1).startswith("0x"):
                name, size, obj = m.group(1), int(m.group(3), 16), m.group(4) or ""
                if name == "*fill*":
                    obj = "*fill*"
                if size:
                    contrib[current].append((name, obj.strip(), size))
                pending = None
                continue
            m = _IN_NAME.match(line)
            if m and not m.group(1).startswith(("*", "0x")) and "(" not in m.group(1):
                pending = m.group(1)
                continue
            m = _IN_CONT.match(line)
            if m and pending is not None:
                size, obj = int(m.group(2), 16), (m.group(3) or "").strip()
                if size:
                    contrib[current].append((pending, obj, size))
                pending = None
                continue
            pending = None
    return contrib


class Classifier:
    """Object path in the map -> component name."""

    def __init__(self, map_path, build_dir, by_file=False):
        self.by_file = by_file
        self.map_dir = os.path.dirname(os.path.abspath(map_path))
        self.build_dir = build_dir
        self.members = None  # archive member basename -> source path under mote.dir

    def _load_members(self, archive):
        if self.members is not None:
            return
        self.members = {}
        roots = []
        if self.build_dir:
            roots.append(self.build_dir)
        if archive:
            roots.append(os.path.dirname(os.path.normpath(os.path.join(self.map_dir, archive))))
        d = self.map_dir
        for _ in range(4):
            roots.append(d)
            d = os.path.dirname(d)
        for r in roots:
            mote_dir = os.path.join(r, "CMakeFiles", "mote.dir")
            if os.path.isdir(mote_dir):
                for dirpath, _dirs, files in os.walk(mote_dir):
                    for fn in files:
                        if fn.endswith((".obj", ".o")):
                            rel = os.path.relpath(os.path.join(dirpath, fn), mote_dir)
                            self.members.setdefault(fn, rel.replace(os.sep, "/"))
                return

    def component(self, obj):
        if obj == "*fill*" or obj == "":
            return "fill" if obj == "*fill*" else "other"
        m = re.match(r"^(.*?)([^/()]+\.a)\((.+)\)$", obj)
        if m:
            lib, member = m.group(2), m.group(3)
            if lib == "libmote.a":
                self._load_members(m.group(1) + lib)
                comp = self.source_component(self.members.get(member, ""), member)
                if self.by_file and not comp.startswith("libmote"):
                    comp += "/" + re.sub(r"\.(obj|o)$", "", member)
                return comp
            if lib == "libmote_board.a":
                return "firmware: board"
            if lib.startswith(("libc", "libg_", "libg.", "libnosys")):
                return "libc"
            if lib.startswith("libm"):
                return "libm"
            if lib.startswith("libgcc"):
                return "libgcc"
            if lib.startswith(("libstdc++", "libsupc++")):
                return "libstdc++"
            return "other: " + lib
        if "/CMakeFiles/mote.dir/" in "/" + obj:
            return self.source_component(obj.split("CMakeFiles/mote.dir/", 1)[1], obj)
        if "CMakeFiles/" in obj:
            return "firmware: app"
        base = os.path.basename(obj)
        if base.startswith(("crt", "libgcc")):
            return "libgcc"
        if "/usr/lib" in obj or "arm-none-eabi" in obj:
            return "libc"
        return "other"

    @staticmethod
    def source_component(rel, member):
        parts = rel.split("/")
        if len(parts) >= 3 and parts[0] == "src":
            if parts[1] == "ops":
                return "op:" + parts[2] if len(parts) >= 4 else "ops/common"
            return {"plan": "planner"}.get(parts[1], parts[1])
        return "libmote: " + member


def footprint(elf, map_path, build_dir=None, by_file=False):
    sections = elf_sections(elf)
    contrib = map_contributions(map_path)
    cls = Classifier(map_path, build_dir, by_file)
    comps = {}

    def add(comp, kind, size, is_text_section):
        c = comps.setdefault(comp, {"text": 0, "data": 0, "bss": 0, ".text": 0})
        c[kind] += size
        if is_text_section:
            c[".text"] += size

    for sname, kind, size in sections:
        if sname == MODEL_SECTION:
            add("model", kind, size, False)
            continue
        if sname in STACK_SECTIONS:
            add("stack", kind, size, False)
            continue
        counted = 0
        for _in_name, obj, isize in contrib.get(sname, []):
            add(cls.component(obj), kind, isize, sname == ".text")
            counted += isize
        if counted != size:
            # Linker-made padding (e.g. the vector table's 4 KB page) or
            # anything the map does not list per object.
            add("fill", kind, size - counted, sname == ".text")
    total = {k: sum(c[k] for c in comps.values()) for k in ("text", "data", "bss", ".text")}
    model = comps.get("model", {}).get("text", 0)
    return {
        "elf": elf,
        "map": map_path,
        "sections": [{"name": n, "kind": k, "size": s} for n, k, s in sections],
        "components": comps,
        "total": total,
        "text_section": total[".text"],
        "model_bytes": model,
        "code": total["text"] - model,
    }


def size_tool_totals(elf):
    """(text, data, bss) from arm-none-eabi-size, or None without it."""
    tool = shutil.which("arm-none-eabi-size")
    if not tool:
        return None
    out = subprocess.run([tool, elf], stdout=subprocess.PIPE, text=True, check=True).stdout
    fields = out.strip().splitlines()[-1].split()
    return tuple(int(x) for x in fields[:3])


def order(name):
    ranks = ["format", "planner", "runtime", "quant", "isa", "ops/common"]
    head = "ops/common" if name.startswith("ops/common") else name.split("/")[0]
    if head in ranks:
        return (0, ranks.index(head), name)
    if name.startswith("op:"):
        return (1, 0, name)
    if name.startswith("libmote"):
        return (2, 0, name)
    if name.startswith("firmware"):
        return (3, 0, name)
    tail = ["libc", "libm", "libgcc", "libstdc++", "fill", "other", "model", "stack"]
    return (4, tail.index(name) if name in tail else 5, name)


def print_table(r, out=sys.stdout):
    print("%s" % r["elf"], file=out)
    w = max([22] + [len(n) for n in r["components"]])
    print("%-*s %9s %9s %9s %9s" % (w, "component", ".text", "text", "data", "bss"), file=out)
    for name in sorted(r["components"], key=order):
        c = r["components"][name]
        print("%-*s %9d %9d %9d %9d" % (w, name, c[".text"], c["text"], c["data"], c["bss"]), file=out)
    t = r["total"]
    print("%-*s %9d %9d %9d %9d" % (w, "total", t[".text"], t["text"], t["data"], t["bss"]), file=out)
    print("code (text without the model): %d; .text section: %d; model: %d"
          % (r["code"], r["text_section"], r["model_bytes"]), file=out)
    if r.get("size_tool"):
        s = r["size_tool"]
        ok = (s["text"], s["data"], s["bss"]) == (t["text"], t["data"], t["bss"])
        print("arm-none-eabi-size: text %d data %d bss %d (%s)"
              % (s["text"], s["data"], s["bss"], "equal" if ok else "MISMATCH"), file=out)


def build_cpu(build_dir):
    """MOTE_CPU of a cross build folder (its CMakeCache.txt), or its folder name."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("MOTE_CPU:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return os.path.basename(os.path.normpath(build_dir))


def compare_rows(build_dirs, anchors_dir):
    """One row per app_<model>.elf of each build: its sizes and TFLM's."""
    with open(os.path.join(anchors_dir, "anchors.json")) as f:
        models = json.load(f)["models"]
    rows = []
    for b in build_dirs:
        cpu = build_cpu(b)
        core = {"cortex-m4": "m4", "cortex-m55": "m55"}.get(cpu, cpu)
        for name in sorted(models):
            elf = os.path.join(b, "firmware", "app_%s.elf" % name)
            if not os.path.isfile(elf) or not os.path.isfile(elf + ".map"):
                continue
            r = footprint(elf, elf + ".map")
            tb = models[name].get("text_bytes", {})
            big = sorted(((c[".text"], n) for n, c in r["components"].items()), reverse=True)[:4]
            rows.append({
                "model": name, "cpu": cpu, "elf": elf,
                "text_section": r["text_section"], "code": r["code"],
                "rodata": sum(s["size"] for s in r["sections"] if s["name"] == ".rodata"),
                "tflm_ref": tb.get(core + "_ref"), "tflm_cmsis": tb.get(core + "_cmsis"),
                "top": [{"component": n, "text_section": v} for v, n in big],
            })
    return rows


def print_compare(build_dirs, anchors_dir, out=sys.stdout):
    rows = compare_rows(build_dirs, anchors_dir)
    print("App code vs TFLM (.text section, as ../shared/anchors measure it; model not included)",
          file=out)
    print("%-24s %-10s %8s %8s %8s %9s %9s %7s %7s" % (
        "model", "core", ".text", "rodata", "code", "TFLM ref", "TFLM cmsis", "x ref", "x cmsis"),
        file=out)
    for r in rows:
        ref, cm = r["tflm_ref"], r["tflm_cmsis"]
        print("%-24s %-10s %8d %8d %8d %9s %9s %7s %7s" % (
            r["model"], r["cpu"], r["text_section"], r["rodata"], r["code"],
            ref or "-", cm or "-",
            "%.2f" % (r["text_section"] / ref) if ref else "-",
            "%.2f" % (r["text_section"] / cm) if cm else "-"), file=out)
    print("(code = text as arm-none-eabi-size counts it, without the model: .text + .rodata +"
          " vectors + padding; x = .text / TFLM's .text; goal <= 0.50)", file=out)
    return rows


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--compare":
        ap = argparse.ArgumentParser(
            prog="footprint.py --compare",
            description="every app_<model>.elf of the cross builds next to TFLM's code size")
        ap.add_argument("builds", nargs="*", help="cross build folders (default: build/cortex-m4 "
                        "build/cortex-m55)")
        ap.add_argument("--anchors", help="anchors folder (default: ../shared/anchors)")
        ap.add_argument("--json", action="store_true")
        args = ap.parse_args(sys.argv[2:])
        repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        builds = args.builds or [os.path.join(repo, "build", c) for c in ("cortex-m4", "cortex-m55")]
        builds = [b for b in builds if os.path.isdir(b)]
        anchors = args.anchors or os.path.join(repo, "..", "shared", "anchors")
        if not os.path.isfile(os.path.join(anchors, "anchors.json")):
            print("footprint: no anchors.json in %s" % anchors, file=sys.stderr)
            return 2
        if args.json:
            json.dump(compare_rows(builds, anchors), sys.stdout, indent=1)
            print()
        else:
            print_compare(builds, anchors)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("elf")
    ap.add_argument("--map", help="map file (default: ELF.map)")
    ap.add_argument("--build-dir", help="cross build folder holding CMakeFiles/mote.dir")
    ap.add_argument("--by-file", action="store_true",
                    help="split the library's components per source file")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    map_path = args.map or args.elf + ".map"
    if not os.path.isfile(map_path):
        print("footprint: no map file %s (link with -Wl,-Map,...)" % map_path, file=sys.stderr)
        return 2
    r = footprint(args.elf, map_path, args.build_dir, args.by_file)
    s = size_tool_totals(args.elf)
    status = 0
    if s:
        r["size_tool"] = {"text": s[0], "data": s[1], "bss": s[2]}
        t = r["total"]
        if s != (t["text"], t["data"], t["bss"]):
            status = 1
    if args.json:
        json.dump(r, sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        print_table(r)
    if status:
        print("footprint: totals differ from arm-none-eabi-size", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
