// A tiny SVG plotting helper for the investigation report: linear scales, "nice" axis
// ticks, step lines and axes, written as SVG elements into a string. No dependencies.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccx::surveillance::svg {

/// Maps [d0, d1] (data) linearly onto [r0, r1] (pixels).
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const {
    return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) * (r1 - r0) / (d1 - d0);
  }
};

/// About `count` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi].
std::vector<double> NiceTicks(double lo, double hi, int count);

/// Text with &, <, >, " escaped for HTML/SVG.
std::string Escape(std::string_view text);

/// A plot area inside an SVG of `width` × `height` pixels with the given margins.
struct Frame {
  double width = 640, height = 360;
  double left = 70, right = 20, top = 20, bottom = 45;
  double x0() const { return left; }
  double x1() const { return width - right; }
  double y0() const { return height - bottom; }  ///< bottom of the plot (pixels grow down)
  double y1() const { return top; }
};

/// Axes with grid lines and labels; `x_label(v)` / `y_label(v)` format tick values.
std::string Axes(const Frame& f, const Scale& x, const Scale& y, const std::vector<double>& xt,
                 const std::vector<double>& yt, const std::function<std::string(double)>& x_label,
                 const std::function<std::string(double)>& y_label, std::string_view x_title,
                 std::string_view y_title);

/// A polyline through pixel points.
std::string Polyline(const std::vector<std::pair<double, double>>& pts, std::string_view color,
                     double width = 2, std::string_view dash = "");

/// "<svg ...>" opening tag with a title for screen readers.
std::string Open(const Frame& f, std::string_view title);

}  // namespace ccx::surveillance::svg
