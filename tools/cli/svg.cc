#include "svg.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "json.h"
#include "runtime/kernel_api.h"

namespace mote {
namespace cli {
namespace {

struct Box {
  int first;
  int last;
  int64_t offset;
  int64_t bytes;
  std::string label;
  bool scratch;
};

std::string Fmt(const char* fmt, double a, double b, double c, double d) {
  char buf[160];
  snprintf(buf, sizeof(buf), fmt, a, b, c, d);
  return buf;
}

}  // namespace

std::string MemoryPlanSvg(const Interpreter& interp, const std::string& title) {
  const int ops = static_cast<int>(interp.num_nodes());
  std::vector<Box> boxes;
  for (size_t i = 0; i < interp.num_tensors(); ++i) {
    const Tensor& t = interp.tensor(i);
    if (!(t.flags & kTensorPlanned) || t.bytes <= 0 || t.alias_of >= 0) continue;
    boxes.push_back({std::max<int>(t.first_use, 0), std::min<int>(t.last_use, ops - 1), t.arena_offset,
                     t.bytes, "t" + std::to_string(i) + " " + t.name, false});
  }
  for (size_t i = 0; i < interp.num_nodes(); ++i) {
    const Node& n = interp.node(i);
    if (n.scratch_bytes <= 0) continue;
    boxes.push_back({static_cast<int>(i), static_cast<int>(i), n.scratch_offset, n.scratch_bytes,
                     std::string("scratch of op ") + std::to_string(i) + " " + BuiltinName(n.builtin),
                     true});
  }
  const int64_t peak = static_cast<int64_t>(interp.arena_usage().planned);
  // Live bytes per op, to find where the peak is set.
  std::vector<int64_t> top(static_cast<size_t>(std::max(ops, 1)), 0);
  for (const Box& b : boxes) {
    for (int k = b.first; k <= b.last && k < ops; ++k) {
      top[static_cast<size_t>(k)] = std::max(top[static_cast<size_t>(k)], b.offset + b.bytes);
    }
  }

  const double left = 70, right = 20, topm = 50, bottom = 60;
  const double width = std::max(600.0, 24.0 * ops), height = 420;
  const double col = width / std::max(ops, 1);
  const double scale = peak > 0 ? height / static_cast<double>(peak) : 1.0;
  auto y_of = [&](int64_t off) { return topm + height - static_cast<double>(off) * scale; };

  std::string s;
  s += Fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
           "font-family=\"sans-serif\" font-size=\"11\">\n",
           left + width + right, topm + height + bottom, 0, 0);
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + std::to_string(static_cast<int>(left)) + "\" y=\"20\" font-size=\"14\">" +
       JsonEscape(title) + " — planned arena " + std::to_string(peak) + " bytes, persistent " +
       std::to_string(interp.arena_usage().persistent) + " bytes</text>\n";
  // Axes.
  s += Fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left,
           topm + height, left + width, topm + height);
  s += Fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, topm,
           left, topm + height);
  for (int k = 0; k < ops; ++k) {
    const double x = left + (k + 0.5) * col;
    s += Fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>\n", x,
             topm + height + 14, k, 0);
  }
  s += Fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">op index</text>\n",
           left + width / 2, topm + height + 34, 0, 0);
  for (int i = 0; i <= 4; ++i) {
    const int64_t off = peak * i / 4;
    s += Fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", left - 4,
             y_of(off) + 4, static_cast<double>(off), 0);
  }
  // Buffers.
  for (const Box& b : boxes) {
    const double x = left + b.first * col + 1;
    const double w = (b.last - b.first + 1) * col - 2;
    const double y = y_of(b.offset + b.bytes);
    const double h = std::max(1.0, static_cast<double>(b.bytes) * scale);
    const bool at_peak = b.offset + b.bytes == peak;
    s += Fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", x, y, w, h);
    s += std::string("fill=\"") + (b.scratch ? "#f4b183" : at_peak ? "#e06666" : "#9fc5e8") +
         "\" stroke=\"#1f3b57\" stroke-width=\"0.5\"><title>" + JsonEscape(b.label) + ": " +
         std::to_string(b.bytes) + " bytes at " + std::to_string(b.offset) + ", ops " +
         std::to_string(b.first) + ".." + std::to_string(b.last) + "</title></rect>\n";
  }
  // The peak.
  s += Fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"red\" "
           "stroke-dasharray=\"4 3\"/>\n",
           left, y_of(peak), left + width, y_of(peak));
  std::string at;
  for (int k = 0; k < ops; ++k) {
    if (top[static_cast<size_t>(k)] == peak) {
      at += (at.empty() ? "" : ", ") + std::to_string(k) + " " + BuiltinName(interp.node(k).builtin);
    }
  }
  s += Fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"red\">", left + 4, y_of(peak) - 4, 0, 0) +
       "peak " + std::to_string(peak) + " bytes at op " + JsonEscape(at) + "</text>\n";
  s += "</svg>\n";
  return s;
}

}  // namespace cli
}  // namespace mote
