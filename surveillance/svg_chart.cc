#include "surveillance/svg_chart.h"

#include <cmath>

#include "fmt/format.h"

namespace ccx::surveillance::svg {

std::vector<double> NiceTicks(double lo, double hi, int count) {
  std::vector<double> out;
  if (!(hi > lo) || count < 1) {
    out.push_back(lo);
    return out;
  }
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push_back(v);
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Open(const Frame& f, std::string_view title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\"><title>{2}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      f.width, f.height, Escape(title));
}

std::string Axes(const Frame& f, const Scale& x, const Scale& y, const std::vector<double>& xt,
                 const std::vector<double>& yt, const std::function<std::string(double)>& x_label,
                 const std::function<std::string(double)>& y_label, std::string_view x_title,
                 std::string_view y_title) {
  std::string s;
  for (double v : yt) {
    const double py = y(v);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\" stroke=\"#eee\"/>\n",
                     f.x0(), py, f.x1(), py);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">{}</text>\n",
                     f.x0() - 6, py + 4, Escape(y_label(v)));
  }
  for (double v : xt) {
    const double px = x(v);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\" stroke=\"#eee\"/>\n",
                     px, f.y1(), px, f.y0());
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" font-size=\"11\" fill=\"#555\" text-anchor=\"middle\">{}</text>\n",
                     px, f.y0() + 16, Escape(x_label(v)));
  }
  s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" class=\"frame\" fill=\"none\" stroke=\"#888\"/>\n",
                   f.x0(), f.y1(), f.x1() - f.x0(), f.y0() - f.y1());
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"axis\" font-size=\"12\" fill=\"#333\" text-anchor=\"middle\">{}</text>\n",
                   (f.x0() + f.x1()) / 2, f.height - 6, Escape(x_title));
  s += fmt::format(
      "<text x=\"14\" y=\"{:.1f}\" class=\"axis\" font-size=\"12\" fill=\"#333\" text-anchor=\"middle\" transform=\"rotate(-90 14 {:.1f})\">{}</text>\n",
      (f.y0() + f.y1()) / 2, (f.y0() + f.y1()) / 2, Escape(y_title));
  return s;
}

std::string Polyline(const std::vector<std::pair<double, double>>& pts, std::string_view color,
                     double width, std::string_view dash) {
  if (pts.empty()) return {};
  std::string s = "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"" +
                  fmt::format("{}", width) + "\"";
  if (!dash.empty()) s += " stroke-dasharray=\"" + std::string(dash) + "\"";
  s += " points=\"";
  for (const auto& [x, y] : pts) s += fmt::format("{:.1f},{:.1f} ", x, y);
  s += "\"/>\n";
  return s;
}

}  // namespace ccx::surveillance::svg
