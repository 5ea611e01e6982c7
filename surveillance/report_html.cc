// RenderInvestigationHtml: the investigation report as one self-contained HTML page.
#include <algorithm>
#include <cmath>

#include "engine/market/schedule.h"
#include "fmt/format.h"
#include "surveillance/report.h"
#include "surveillance/svg_chart.h"

namespace ccx::surveillance {
namespace {

using svg::Escape;

constexpr const char* kStyle = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1000px;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}.buy{color:#1a7f37}.sell{color:#c0392b}
.grid{stroke:#eee}.frame{fill:none;stroke:#888}.tick{font-size:11px;fill:#555}.axis{font-size:12px;fill:#333}
.label{font-size:12px}.alert{border-left:4px solid #c0392b;padding:.3em .8em;margin:.8em 0;background:#fdf3f2}
pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:12px}.muted{color:#777}
</style>)";

std::string Num(double v) { return fmt::format("{}", static_cast<int64_t>(std::llround(v))); }
std::string Clock(double ns, int32_t offset) {
  const int64_t s = LocalNanosOfDay(static_cast<Timestamp>(ns), offset) / kNanosPerSecond;
  return fmt::format("{:02}:{:02}", s / 3600, s / 60 % 60);
}
std::string Time(const InvestigationData& d, Timestamp t) {
  return t == 0 ? std::string("-") : FormatLocalDateTime(t, d.offset_minutes);
}
std::string Who(const InvestigationData& d, ParticipantId p) {
  if (p >= d.usernames.size()) return fmt::format("#{}", p);
  return Escape(d.usernames[p]) + " <span class=\"muted\">" + Escape(d.names[p]) + "</span>";
}

std::string SupplyDemandSvg(const InvestigationData& d) {
  const auto demand = CumulativeCurve(d.buys, Side::kBuy, d.band);
  const auto supply = CumulativeCurve(d.sells, Side::kSell, d.band);
  if (demand.empty() && supply.empty()) return "<p class=\"muted\">The book was empty at the auction.</p>";
  double pmin = 1e18, pmax = -1e18, qmax = 1;
  for (const auto* curve : {&demand, &supply}) {
    for (const auto& [p, q] : *curve) {
      pmin = std::min(pmin, double(p));
      pmax = std::max(pmax, double(p));
      qmax = std::max(qmax, double(q));
    }
  }
  if (d.executed) {
    pmin = std::min(pmin, double(d.price));
    pmax = std::max(pmax, double(d.price));
  }
  const double pad = std::max(1.0, (pmax - pmin) * 0.08);
  pmin -= pad;
  pmax += pad;
  svg::Frame f;
  f.width = 900;
  f.height = 420;
  const svg::Scale x{0, qmax * 1.05, f.x0(), f.x1()};
  const svg::Scale y{pmin, pmax, f.y0(), f.y1()};
  std::string s = svg::Open(f, "Supply and demand at the auction");
  s += svg::Axes(f, x, y, svg::NiceTicks(0, qmax * 1.05, 8), svg::NiceTicks(pmin, pmax, 8), Num, Num,
                 "cumulative quantity (t-CO2)", "price (JPY)");
  // Demand: D(p) = buys priced at or above p, so the curve steps down as quantity grows.
  std::vector<std::pair<double, double>> dp, sp;
  Volume prev = 0;
  for (const auto& [p, q] : demand) {
    dp.emplace_back(x(double(prev)), y(p));
    dp.emplace_back(x(double(q)), y(p));
    prev = q;
  }
  if (!demand.empty()) dp.emplace_back(x(double(prev)), y(pmin));
  prev = 0;
  for (const auto& [p, q] : supply) {
    sp.emplace_back(x(double(prev)), y(p));
    sp.emplace_back(x(double(q)), y(p));
    prev = q;
  }
  if (!supply.empty()) sp.emplace_back(x(double(prev)), y(pmax));
  s += svg::Polyline(dp, "#1a7f37", 2.5);
  s += svg::Polyline(sp, "#c0392b", 2.5);
  if (d.executed) {
    const double cx = x(double(d.volume)), cy = y(d.price);
    s += svg::Polyline({{f.x0(), cy}, {cx, cy}, {cx, f.y0()}}, "#555", 1, "4 3");
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"6\" fill=\"#1f4e9c\"/>\n", cx, cy);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label\">clearing {} JPY, {} t</text>\n",
                     cx + 10, cy - 10, d.price, d.volume);
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label buy\" fill=\"#1a7f37\">demand</text>\n",
                   f.x0() + 8, f.y1() + 16);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label sell\" fill=\"#c0392b\">supply</text>\n",
                   f.x0() + 8, f.y1() + 32);
  return s + "</svg>\n";
}

std::string IndicativeSvg(const InvestigationData& d) {
  if (d.series.empty()) return "<p class=\"muted\">No indicative prices were recorded in the phase.</p>";
  double pmin = 1e18, pmax = -1e18, vmax = 1;
  for (const auto& pt : d.series) {
    if (!pt.indicative.executes) continue;
    pmin = std::min(pmin, double(pt.indicative.price));
    pmax = std::max(pmax, double(pt.indicative.price));
    vmax = std::max(vmax, double(pt.indicative.volume));
  }
  if (pmin > pmax) return "<p class=\"muted\">The book never crossed during the phase (no indicative price).</p>";
  const double pad = std::max(1.0, (pmax - pmin) * 0.1);
  svg::Frame f;
  f.width = 900;
  f.height = 300;
  const double t0 = double(d.target.open), t1 = double(d.target.time);
  const svg::Scale x{t0, t1, f.x0(), f.x1()};
  const svg::Scale y{pmin - pad, pmax + pad, f.y0(), f.y1()};
  std::vector<double> xt;
  const double step = std::max(1.0, std::ceil((t1 - t0) / kNanosPerMinute / 8 / 15) * 15) * kNanosPerMinute;
  for (double t = t0; t <= t1 + 1; t += step) xt.push_back(t);
  std::string s = svg::Open(f, "Indicative auction price over the acceptance phase");
  s += svg::Axes(f, x, y, xt, svg::NiceTicks(pmin - pad, pmax + pad, 6),
                 [&](double t) { return Clock(t, d.offset_minutes); }, Num, "time (local)",
                 "indicative price (JPY)");
  std::vector<std::pair<double, double>> run;
  for (size_t i = 0; i < d.series.size(); ++i) {
    const auto& pt = d.series[i];
    const double end = i + 1 < d.series.size() ? double(d.series[i + 1].time) : t1;
    if (!pt.indicative.executes) {
      s += svg::Polyline(run, "#1f4e9c", 2);
      run.clear();
      continue;
    }
    const double py = y(pt.indicative.price);
    run.emplace_back(x(double(pt.time)), py);
    run.emplace_back(x(end), py);
  }
  s += svg::Polyline(run, "#1f4e9c", 2);
  if (d.executed) {
    s += svg::Polyline({{f.x0(), y(d.price)}, {f.x1(), y(d.price)}}, "#999", 1, "4 3");
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label\" text-anchor=\"end\">clearing {}</text>\n",
                     f.x1() - 4, y(d.price) - 5, d.price);
  }
  s += "</svg>\n";
  // The indicative volume below, on the same time axis.
  svg::Frame g = f;
  g.height = 170;
  const svg::Scale vy{0, vmax * 1.1, g.y0(), g.y1()};
  s += svg::Open(g, "Indicative auction volume over the acceptance phase");
  s += svg::Axes(g, x, vy, xt, svg::NiceTicks(0, vmax * 1.1, 3),
                 [&](double t) { return Clock(t, d.offset_minutes); }, Num, "time (local)",
                 "volume (t-CO2)");
  std::vector<std::pair<double, double>> vol;
  for (size_t i = 0; i < d.series.size(); ++i) {
    const auto& pt = d.series[i];
    const double end = i + 1 < d.series.size() ? double(d.series[i + 1].time) : t1;
    const double v = pt.indicative.executes ? double(pt.indicative.volume) : 0;
    vol.emplace_back(x(double(pt.time)), vy(v));
    vol.emplace_back(x(end), vy(v));
  }
  s += svg::Polyline(vol, "#6f8fbf", 1.5);
  return s + "</svg>\n";
}

std::string Fate(const InvestigationData& d, const std::vector<OrderStep>& steps) {
  std::string out;
  for (const OrderStep& st : steps) {
    if (st.kind == StepKind::kEntered) continue;
    if (!out.empty()) out += "; ";
    const std::string t = Time(d, st.time).substr(11, 8);
    switch (st.kind) {
      case StepKind::kExecuted: out += fmt::format("executed {} @ {} at {}", st.qty, st.price, t); break;
      case StepKind::kReplaced: out += fmt::format("replaced by {} at {}", st.other, t); break;
      case StepKind::kCanceled:
        out += fmt::format("{} {} at {}", st.reason == 'U' ? "cancelled" : "removed", st.qty, t);
        if (st.reason != 'U') out += fmt::format(" (reason {})", st.reason);
        break;
      default: break;
    }
  }
  return out.empty() ? "resting" : out;
}

}  // namespace

std::string RenderInvestigationHtml(const InvestigationData& d) {
  const std::string when = Time(d, d.target.time).substr(0, 16);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<title>Investigation: {} auction {}</title>\n", Escape(d.code), when);
  h += kStyle;
  h += "</head><body>\n";
  h += fmt::format("<h1>Auction investigation: {} {}</h1>\n", Escape(d.code), when);
  h += fmt::format("<p>{} ({}) — the day's auction number {} (session index {}), acceptance from {}.</p>\n",
                   Escape(d.name_en), Escape(d.name_ja), d.target.session + 1, d.target.session,
                   Time(d, d.target.open).substr(11, 5));
  h += "<table>\n";
  std::string result = !d.reached ? "not reached by the journal"
                       : d.halted ? "skipped (category halted)"
                       : d.executed ? fmt::format("{} JPY, {} t", d.price, d.volume)
                                    : std::string("no execution");
  h += fmt::format("<tr><th class=\"l\">result</th><td>{}</td></tr>\n", result);
  h += fmt::format("<tr><th class=\"l\">base price / band</th><td>{} ({}–{})</td></tr>\n", d.base_before,
                   d.band.lower, d.band.upper);
  Volume bq = 0, sq = 0;
  for (const auto& o : d.buys) bq += o.qty;
  for (const auto& o : d.sells) sq += o.qty;
  h += fmt::format("<tr><th class=\"l\">book at the auction</th><td>{} buy orders ({} t), {} sell orders ({} t)</td></tr>\n",
                   d.buys.size(), bq, d.sells.size(), sq);
  h += fmt::format("<tr><th class=\"l\">alerts</th><td>{}</td></tr>\n</table>\n", d.alerts.size());

  h += "<h2>Supply and demand at the auction</h2>\n";
  h += "<p class=\"muted\">Orders priced outside the band count at the nearer band limit, as in the auction.</p>\n";
  h += SupplyDemandSvg(d);
  h += "<h2>Indicative price over the acceptance phase</h2>\n";
  h += IndicativeSvg(d);

  h += "<h2>Largest orders</h2>\n<table>\n<tr><th>ref</th><th class=\"l\">participant</th><th>side</th>"
       "<th>price</th><th>qty</th><th class=\"l\">entered</th><th class=\"l\">token</th><th class=\"l\">what happened</th></tr>\n";
  for (size_t i = 0; i < d.largest.size(); ++i) {
    const OrderLife& o = d.largest[i];
    h += fmt::format("<tr><td>{}</td><td class=\"l\">{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td>"
                     "<td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td></tr>\n",
                     o.ref, Who(d, o.participant), o.side == Side::kBuy ? "buy" : "sell",
                     o.side == Side::kBuy ? "buy" : "sell", o.price, o.qty, Time(d, o.entered).substr(11),
                     Escape(o.token), Escape(Fate(d, d.largest_steps[i])));
  }
  h += "</table>\n";

  h += "<h2>Executions by participant</h2>\n";
  if (d.fills.empty()) {
    h += "<p class=\"muted\">Nothing executed.</p>\n";
  } else {
    h += "<table>\n<tr><th class=\"l\">participant</th><th>bought</th><th>sold</th><th>share</th></tr>\n";
    for (const ParticipantFill& f : d.fills) {
      const double share = d.volume > 0 ? 100.0 * double(std::max(f.bought, f.sold)) / double(d.volume) : 0;
      h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{:.1f} %</td></tr>\n",
                       Who(d, f.participant), f.bought, f.sold, share);
    }
    h += "</table>\n";
  }

  h += "<h2>Alerts for this auction</h2>\n";
  if (d.alerts.empty()) h += "<p>None.</p>\n";
  for (const Alert& a : d.alerts) {
    h += fmt::format("<div class=\"alert\"><b>{}</b> — {}<br>{}\n<details><summary>evidence</summary><pre>{}</pre></details></div>\n",
                     Escape(std::string(ToString(a.kind))), Escape(a.username), Escape(a.summary),
                     Escape(a.json.dump(2)));
  }
  h += "<p class=\"muted\">Generated by ccx-replay from the exchange journal.</p>\n</body></html>\n";
  return h;
}

}  // namespace ccx::surveillance
