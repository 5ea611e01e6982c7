// MarketMaker's end-of-day report: one screen of text, or one JSON object.
#include "absl/strings/ascii.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "tools/mm/bot_util.h"
#include "tools/mm/market_maker.h"

namespace ccx::bots {

namespace {

std::string Avg(int64_t yen, int64_t qty) {
  return qty > 0 ? Thousands((yen + qty / 2) / qty) : "-";
}

std::string Reasons(const std::map<char, int64_t>& m) {
  std::string out;
  for (const auto& [r, n] : m) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", r, n);
  return out.empty() ? "none" : out;
}

}  // namespace

std::string MarketMaker::ReportText() const {
  std::string out = fmt::format("ccx-mm {}: trading day {} — {}\n", options_.session.user,
                                std::string(absl::StripLeadingAsciiWhitespace(day_)), stop_reason_);
  const OrderCounts& n = orders_.counts();
  const Position total = orders_.Total();
  out += fmt::format(
      "orders {} (rejected {})  replaces {} (rejected {})  cancels {}  expired {}  executions {}\n",
      n.orders(), n.enter_rejects, n.replaces(), n.replace_rejects, n.cancelled('U'),
      n.cancelled('T') + n.cancelled('I'), total.executions);
  // Phase headers from the first category that saw phases.
  std::vector<std::string> phase_names;
  for (const Category& c : cats_) {
    if (c.presence.phases().size() > phase_names.size()) {
      phase_names.clear();
      for (const PhaseRecord& p : c.presence.phases()) {
        phase_names.push_back(FormatTimeOfDay(p.open_ns).substr(0, 5) + "-" +
                              (p.close_ns ? FormatTimeOfDay(p.close_ns).substr(0, 5) : "now"));
      }
    }
  }
  out += fmt::format("{:<8} {:>9} {:>7} {:>9} {:>7} {:>9}  ", "", "bought", "avg", "sold", "avg",
                     "inventory");
  for (const auto& n : phase_names) out += fmt::format("{:>12}", n);
  out += "  spread avg/worst\n";
  for (const Category& c : cats_) {
    const Position p = orders_.position(c.code);
    out += fmt::format("{:<8} {:>9} {:>7} {:>9} {:>7} {:>+9}  ", c.code, Thousands(p.bought),
                       Avg(p.bought_yen, p.bought), Thousands(p.sold), Avg(p.sold_yen, p.sold),
                       p.inventory());
    double spread = 0, time = 0;
    int64_t worst = 0;
    for (size_t i = 0; i < phase_names.size(); ++i) {
      if (i < c.presence.phases().size()) {
        const PhaseRecord& ph = c.presence.phases()[i];
        out += fmt::format("{:>11.1f}%", 100.0 * ph.compliant_fraction(c.presence.now()));
        spread += ph.spread_yen_ns;
        time += static_cast<double>(ph.two_sided_ns);
        worst = std::max(worst, ph.worst_spread);
      } else {
        out += fmt::format("{:>12}", "-");
      }
    }
    out += time > 0 ? fmt::format("  {:.0f} / {}", spread / time, worst) : "  -";
    if (c.disabled) out += "  (not quoted: rejected)";
    out += "\n";
  }
  if (!cats_.empty()) {
    const QuoteParams& p = cats_.front().params;
    out += fmt::format("time quoted = share of each acceptance phase with a buy and a sell of at least "
                       "{} t and a spread of at most {}\n", p.min_size,
                       p.max_spread_yen > 0 ? fmt::format("{} yen", p.max_spread_yen)
                                            : fmt::format("{:g}% of the base price", p.max_spread_pct));
  }
  out += fmt::format("cash: paid {} yen for purchases, received {} yen for sales (net {})\n",
                     Thousands(total.bought_yen), Thousands(total.sold_yen),
                     Thousands(total.sold_yen - total.bought_yen));
  out += fmt::format("rejects: {}\n", Reasons(n.rejects));
  return out;
}

std::string MarketMaker::SummaryJson() const {
  using Json = nlohmann::ordered_json;
  Json j;
  j["program"] = "ccx-mm";
  j["user"] = options_.session.user;
  j["session"] = std::string(absl::StripLeadingAsciiWhitespace(day_));
  j["stopped"] = stop_reason_;
  const OrderCounts& n = orders_.counts();
  j["orders"] = n.orders();
  j["orders_rejected"] = n.enter_rejects;
  j["replaces"] = n.replaces();
  j["replaces_rejected"] = n.replace_rejects;
  j["cancels"] = n.cancelled('U');
  j["expired"] = n.cancelled('T') + n.cancelled('I');
  Json rej = Json::object();
  for (const auto& [r, k] : n.rejects) rej[std::string(1, r)] = k;
  j["rejects"] = rej;
  Json cats = Json::array();
  for (const Category& c : cats_) {
    const Position p = orders_.position(c.code);
    Json phases = Json::array();
    for (const PhaseRecord& ph : c.presence.phases()) {
      phases.push_back({{"open", FormatTimeOfDay(ph.open_ns)},
                        {"close", ph.close_ns ? FormatTimeOfDay(ph.close_ns) : ""},
                        {"quoted", ph.compliant_fraction(c.presence.now())},
                        {"average_spread", ph.average_spread()},
                        {"worst_spread", ph.worst_spread},
                        {"average_size", ph.average_size()}});
    }
    cats.push_back({{"code", c.code}, {"bought", p.bought}, {"bought_yen", p.bought_yen},
                    {"sold", p.sold}, {"sold_yen", p.sold_yen}, {"inventory", p.inventory()},
                    {"executions", p.executions}, {"phases", phases}});
  }
  j["executions"] = orders_.Total().executions;
  j["categories"] = cats;
  return j.dump() + "\n";
}

}  // namespace ccx::bots
