// DailyReport: the HTML page (one table of figures, then one SVG chart per auction that had
// orders) and the chart itself. Everything is inline: no scripts, fonts or images to load.
//
// The chart puts price on the vertical axis and cumulative quantity on the horizontal one,
// as itayose charts do. With the book's distinct prices p0 < p1 < ... < pn:
//   demand D(p) = buy shares priced >= p: constant on (p[i-1], p[i]], 0 above pn;
//   supply S(p) = sell shares priced <= p: constant on [p[i], p[i+1]), 0 below p0;
// so each curve is a staircase; they cross where the auction clears (price P, volume V,
// marked by dashed lines and a dot).
#include <algorithm>
#include <iterator>

#include "fmt/format.h"
#include "marketdata/report/daily_report.h"
#include "marketdata/subscriber/message_text.h"

namespace ccx::md {
namespace {

std::string Grouped(uint64_t v) { return GroupThousands(v); }
std::string YenText(uint32_t wire) { return FormatYen(wire); }
// 1671.4521 -> "1,671.45".
std::string VwapText(double v) {
  const std::string fixed = fmt::format("{:.2f}", v);
  const size_t dot = fixed.find('.');
  return GroupThousands(std::stoull(fixed.substr(0, dot))) + fixed.substr(dot);
}

std::string Cell(const std::optional<AuctionFigures>& a, bool price) {
  if (!a) return "<td class=na>–</td>";
  if (price) return a->executed ? fmt::format("<td>{}</td>", YenText(a->price)) : "<td class=na>no execution</td>";
  return fmt::format("<td>{}</td>", Grouped(a->volume));
}

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #bbb; padding: 4px 8px; }
td { text-align: right; }
td.name { text-align: left; }
td.na { color: #888; text-align: center; }
th { background: #eee; }
figure { display: inline-block; margin: 0 1em 1em 0; }
figcaption { font-size: 90%; }
footer { margin-top: 2em; font-size: 80%; color: #666; }
)";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string AuctionSvg(const AuctionFigures& a, const std::string& title) {
  constexpr double kW = 560, kH = 370, kLeft = 80, kRight = 20, kTop = 46, kBottom = 48;
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  const std::vector<CurvePoint>& pts = a.curves;
  std::string out;
  auto put = std::back_inserter(out);
  fmt::format_to(put,
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                 "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"11\">\n"
                 "<text x=\"{2}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{3}</text>\n",
                 kW, kH, kLeft, HtmlEscape(title));
  if (pts.empty()) return out + "<text x=\"80\" y=\"60\">no orders</text>\n</svg>\n";
  // Ranges: every price of the book (and the clearing price), all quantities.
  double pmin = pts.front().price, pmax = pts.back().price;
  if (a.executed) {
    pmin = std::min<double>(pmin, a.price);
    pmax = std::max<double>(pmax, a.price);
  }
  const double pad = std::max((pmax - pmin) * 0.08, double{itch::kPriceScale});
  pmin = std::max(0.0, pmin - pad);
  pmax += pad;
  double qmax = std::max<double>(pts.front().demand, pts.back().supply);
  qmax = std::max(qmax, 1.0) * 1.05;
  auto x = [&](double q) { return kLeft + q / qmax * pw; };
  auto y = [&](double p) { return kTop + (pmax - p) / (pmax - pmin) * ph; };
  // Axes with five ticks each.
  fmt::format_to(put,
                 "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
                 "stroke=\"#888\"/>\n",
                 kLeft, kTop, pw, ph);
  for (int i = 0; i <= 4; ++i) {
    const double p = pmin + (pmax - pmin) * i / 4, q = qmax * i / 4;
    fmt::format_to(put,
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n"
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                   kLeft - 6, y(p) + 4, Grouped(static_cast<uint64_t>(p / itch::kPriceScale + 0.5)),
                   x(q), kTop + ph + 16, Grouped(static_cast<uint64_t>(q + 0.5)));
  }
  fmt::format_to(put,
                 "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">cumulative quantity "
                 "(t-CO2)</text>\n<text x=\"14\" y=\"{:.1f}\" text-anchor=\"middle\" "
                 "transform=\"rotate(-90 14 {:.1f})\">price (JPY)</text>\n",
                 kLeft + pw / 2, kH - 10, kTop + ph / 2, kTop + ph / 2);
  // Demand staircase from the top price down; supply from the bottom price up.
  std::string demand = fmt::format("M{:.1f},{:.1f}", x(0), y(pmax));
  for (size_t i = pts.size(); i-- > 0;) {
    fmt::format_to(std::back_inserter(demand), " L{:.1f},{:.1f} L{:.1f},{:.1f}",
                   x(i + 1 < pts.size() ? pts[i + 1].demand : 0), y(pts[i].price),
                   x(pts[i].demand), y(pts[i].price));
  }
  fmt::format_to(std::back_inserter(demand), " L{:.1f},{:.1f}", x(pts.front().demand), y(pmin));
  std::string supply = fmt::format("M{:.1f},{:.1f}", x(0), y(pmin));
  for (size_t i = 0; i < pts.size(); ++i) {
    fmt::format_to(std::back_inserter(supply), " L{:.1f},{:.1f} L{:.1f},{:.1f}",
                   x(i > 0 ? pts[i - 1].supply : 0), y(pts[i].price), x(pts[i].supply),
                   y(pts[i].price));
  }
  fmt::format_to(std::back_inserter(supply), " L{:.1f},{:.1f}", x(pts.back().supply), y(pmax));
  fmt::format_to(put,
                 "<path d=\"{}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>\n"
                 "<path d=\"{}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n",
                 demand, supply);
  // Legend above the plot, right-aligned; then the clearing point.
  const double ly = kTop - 10, lx = kLeft + pw - 210;
  fmt::format_to(put,
                 "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" "
                 "stroke=\"#1f5fbf\" stroke-width=\"2\"/><text x=\"{3:.1f}\" y=\"{4:.1f}\">buy "
                 "(demand)</text>\n",
                 lx, ly, lx + 18, lx + 22, ly + 4);
  fmt::format_to(put,
                 "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" "
                 "stroke=\"#c0392b\" stroke-width=\"2\"/><text x=\"{3:.1f}\" y=\"{4:.1f}\">sell "
                 "(supply)</text>\n",
                 lx + 110, ly, lx + 128, lx + 132, ly + 4);
  if (a.executed) {
    const double cx = x(static_cast<double>(a.volume)), cy = y(a.price);
    fmt::format_to(put,
                   "<line x1=\"{0}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#333\" "
                   "stroke-dasharray=\"4 3\"/>\n<line x1=\"{1:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" "
                   "y2=\"{3}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>\n<circle cx=\"{1:.1f}\" "
                   "cy=\"{2:.1f}\" r=\"4\" fill=\"#333\"/>\n<text x=\"{4:.1f}\" y=\"{5:.1f}\" "
                   "font-weight=\"bold\">P = {6} JPY, V = {7} t</text>\n",
                   kLeft, cx, cy, kTop + ph, std::min(cx + 8, kLeft + pw - 170),
                   cy > kTop + 20 ? cy - 8 : cy + 16, YenText(a.price), Grouped(a.volume));
  } else {
    fmt::format_to(put, "<text x=\"{:.1f}\" y=\"{:.1f}\" font-weight=\"bold\">no execution</text>\n",
                   kLeft + 10, kTop + 16);
  }
  return out + "</svg>\n";
}

std::string DailyReport::Html() const {
  const std::vector<CategoryFigures> figures = Figures();
  std::string out;
  auto put = std::back_inserter(out);
  fmt::format_to(put,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<title>{0} daily report {1}</title>\n<style>{2}</style>\n</head>\n<body>\n"
                 "<h1>Daily report 日報 — {1}</h1>\n<p>{0}. Prices in JPY per t-CO2, "
                 "quantities in t-CO2.</p>\n",
                 HtmlEscape(config_.name), HtmlEscape(date_), kStyle);
  out +=
      "<table>\n<tr><th>Code</th><th>Category</th><th>区分</th><th>11:30 price</th>"
      "<th>11:30 volume</th><th>15:00 price</th><th>15:00 volume</th><th>VWAP</th>"
      "<th>High</th><th>Low</th><th>Day volume</th><th>Next base price<br>翌日基準値段</th></tr>\n";
  for (const CategoryFigures& f : figures) {
    fmt::format_to(put,
                   "<tr><td class=name>{}</td><td class=name>{}</td><td class=name>{}</td>{}{}{}{}"
                   "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                   HtmlEscape(f.code), HtmlEscape(f.name_en), HtmlEscape(f.name_ja),
                   Cell(f.morning, true), Cell(f.morning, false), Cell(f.closing, true),
                   Cell(f.closing, false), f.vwap ? VwapText(*f.vwap) : "–",
                   f.high ? YenText(*f.high) : "–", f.low ? YenText(*f.low) : "–",
                   Grouped(f.volume), YenText(f.next_base_price));
  }
  out += "</table>\n<h2>Auctions 板寄せ</h2>\n";
  bool any = false;
  for (const CategoryFigures& f : figures) {
    for (const AuctionFigures& a : f.auctions) {
      if (a.curves.empty()) continue;  // no orders at that auction (or not seen)
      any = true;
      const std::string title = fmt::format("{} {} {}", f.code, a.time, f.name_en);
      fmt::format_to(put, "<figure>\n{}<figcaption>{} {} — {}</figcaption>\n</figure>\n",
                     AuctionSvg(a, title), HtmlEscape(f.code), HtmlEscape(f.name_ja),
                     a.executed ? fmt::format("{} JPY × {} t", YenText(a.price), Grouped(a.volume))
                                : std::string("no execution"));
    }
  }
  if (!any) out += "<p>No auction had orders today.</p>\n";
  out += extra_html_;
  fmt::format_to(put, "<footer>Generated by ccx from the ITCH market-data feed.</footer>\n"
                      "</body>\n</html>\n");
  return out;
}

}  // namespace ccx::md
