#include "engine/market/mm_monitor.h"

#include <algorithm>

#include "engine/market/schedule.h"
#include "fmt/format.h"

namespace ccx {

MarketMakerMonitor::MarketMakerMonitor(const MarketConfig& config,
                                       std::vector<std::vector<ParticipantId>> makers)
    : config_(config), cats_(config.categories.size()) {
  for (size_t c = 0; c < cats_.size() && c < makers.size(); ++c) {
    for (ParticipantId p : makers[c]) {
      cats_[c].slots.push_back(Slot{p, {}, {}, {}, 0, 0});
      any_ = true;
    }
  }
}

MarketMakerMonitor::Slot* MarketMakerMonitor::SlotOf(ParticipantId p, CategoryId c) {
  if (c >= cats_.size()) return nullptr;
  for (Slot& s : cats_[c].slots) {
    if (s.maker == p) return &s;
  }
  return nullptr;
}

void MarketMakerMonitor::Accrue(CategoryId c, Timestamp t) {
  CategoryState& cat = cats_[c];
  if (!cat.open || t <= cat.since) {
    cat.since = std::max(cat.since, t);
    return;
  }
  const int64_t dt = t - cat.since;
  const int64_t us = dt / 1000;
  for (Slot& s : cat.slots) {
    MmPhaseResult& ph = s.phases.back();
    ph.open_ns += dt;
    if (s.quote.compliant) ph.present_ns += dt;
    if (s.quote.two_sided) {
      ph.two_sided_ns += dt;
      s.spread_us += int64_t{s.quote.spread} * us;
      s.size_us += int64_t{s.quote.size} * us;
      ph.worst_spread = std::max(ph.worst_spread, s.quote.spread);
    }
  }
  cat.since = t;
}

void MarketMakerMonitor::Requote(CategoryId c, Slot& s, const Engine& engine) {
  const MarketMakerObligation& ob = config_.categories[c].mm_obligation;
  Price best_bid = 0, best_ask = 0, ok_bid = 0, ok_ask = 0;
  Qty bid_size = 0, ask_size = 0;
  for (OrderRef ref : s.orders) {
    const MakerOrder& o = orders_.at(ref);
    if (o.side == Side::kBuy) {
      if (o.price > best_bid) {
        best_bid = o.price;
        bid_size = 0;
      }
      if (o.price == best_bid) bid_size += o.qty;
      if (o.qty >= ob.min_size) ok_bid = std::max(ok_bid, o.price);
    } else {
      if (best_ask == 0 || o.price < best_ask) {
        best_ask = o.price;
        ask_size = 0;
      }
      if (o.price == best_ask) ask_size += o.qty;
      if (o.qty >= ob.min_size && (ok_ask == 0 || o.price < ok_ask)) ok_ask = o.price;
    }
  }
  Quote q;
  q.two_sided = best_bid > 0 && best_ask > 0;
  q.spread = q.two_sided ? best_ask - best_bid : 0;
  q.size = q.two_sided ? std::min(bid_size, ask_size) : 0;
  q.compliant = ok_bid > 0 && ok_ask > 0 && ok_ask - ok_bid <= ob.MaxSpread(engine.base_price(c));
  s.quote = q;
}

void MarketMakerMonitor::OpenPhase(CategoryId c, int session, Timestamp t, const Engine& engine) {
  CategoryState& cat = cats_[c];
  cat.open = true;
  cat.since = t;
  const Price max_spread = config_.categories[c].mm_obligation.MaxSpread(engine.base_price(c));
  for (Slot& s : cat.slots) {
    // A resume after a halt continues the same phase.
    if (s.phases.empty() || s.phases.back().session != session || session != cat.session) {
      MmPhaseResult ph;
      ph.session = static_cast<uint8_t>(session);
      ph.max_spread = max_spread;
      s.phases.push_back(ph);
      s.spread_us = s.size_us = 0;
    }
    Requote(c, s, engine);
  }
  cat.session = session;
}

void MarketMakerMonitor::ClosePhase(CategoryId c, Timestamp t) {
  CategoryState& cat = cats_[c];
  if (!cat.open) return;
  Accrue(c, t);
  cat.open = false;
  const int min_pct = config_.categories[c].mm_obligation.min_presence_percent;
  for (Slot& s : cat.slots) {
    MmPhaseResult& ph = s.phases.back();
    const double us = static_cast<double>(ph.two_sided_ns / 1000);
    ph.avg_spread = us > 0 ? static_cast<double>(s.spread_us) / us : 0;
    ph.avg_size = us > 0 ? static_cast<double>(s.size_us) / us : 0;
    ph.compliant = ph.open_ns > 0 && ph.present_ns * 100 >= int64_t{min_pct} * ph.open_ns;
  }
  Publish();
}

void MarketMakerMonitor::Publish() {
  auto r = std::make_shared<MmDayReport>();
  r->day = day_;
  for (size_t c = 0; c < cats_.size(); ++c) {
    for (const Slot& s : cats_[c].slots) {
      if (s.phases.empty()) continue;
      MmMakerResult m;
      m.maker = s.maker;
      m.category = static_cast<CategoryId>(c);
      m.phases = s.phases;
      if (cats_[c].open) m.phases.pop_back();  // still running
      if (!m.phases.empty()) r->makers.push_back(std::move(m));
    }
  }
  report_ = std::move(r);
}

void MarketMakerMonitor::OnEvents(std::span<const Event> events, const Engine& engine) {
  if (!any_) return;
  for (const Event& e : events) {
    const absl::CivilDay d =
        e.time >= day_start_ && e.time < next_day_ ? day_ : LocalDay(e.time, config_.utc_offset_minutes);
    if (d != day_) {
      day_ = d;
      day_start_ = LocalToTimestamp(d, 0, config_.utc_offset_minutes);
      next_day_ = LocalToTimestamp(d + 1, 0, config_.utc_offset_minutes);
      for (CategoryState& cat : cats_) {
        cat.open = false;
        cat.session = -1;
        for (Slot& s : cat.slots) s.phases.clear();
      }
      report_.reset();
    }
    const CategoryId c = e.category;
    if (c >= cats_.size() || cats_[c].slots.empty()) continue;
    switch (e.type) {
      case EventType::kPhase:
        if (static_cast<Phase>(e.reason) == Phase::kAcceptance) {
          if (!cats_[c].open) OpenPhase(c, e.session, e.time, engine);
        } else {
          ClosePhase(c, e.time);
        }
        continue;
      case EventType::kBasePrice:
        Accrue(c, e.time);
        for (Slot& s : cats_[c].slots) Requote(c, s, engine);
        continue;
      case EventType::kAccepted: {
        Slot* s = SlotOf(e.participant, c);
        if (s == nullptr) continue;
        Accrue(c, e.time);
        orders_[e.ref] = MakerOrder{e.participant, c, e.side, e.price, e.qty};
        s->orders.push_back(e.ref);
        Requote(c, *s, engine);
        continue;
      }
      case EventType::kReplaced: {
        Slot* s = SlotOf(e.participant, c);
        if (s == nullptr) continue;
        Accrue(c, e.time);
        orders_.erase(e.ref2);
        std::erase(s->orders, e.ref2);
        orders_[e.ref] = MakerOrder{e.participant, c, e.side, e.price, e.qty};
        s->orders.push_back(e.ref);
        Requote(c, *s, engine);
        continue;
      }
      case EventType::kCanceled:
      case EventType::kExecuted: {
        auto it = orders_.find(e.ref);
        if (it == orders_.end()) continue;
        Slot* s = SlotOf(it->second.maker, c);
        Accrue(c, e.time);
        if (e.qty2 == 0) {
          orders_.erase(it);
          if (s != nullptr) std::erase(s->orders, e.ref);
        } else {
          it->second.qty = e.qty2;
        }
        if (s != nullptr) Requote(c, *s, engine);
        continue;
      }
      default:
        continue;
    }
  }
}

namespace {
const char* PhaseName(uint8_t session, size_t sessions) {
  if (sessions <= 1) return "day";
  return session == 0 ? "morning" : (size_t{session} + 1 == sessions ? "afternoon" : "session");
}
}  // namespace

std::string MmDayReport::Json(const MarketConfig& config, const std::vector<std::string>& usernames) const {
  std::string out = fmt::format("{{\n  \"date\": \"{:04d}-{:02d}-{:02d}\",\n  \"makers\": [", day.year(),
                                day.month(), day.day());
  for (size_t i = 0; i < makers.size(); ++i) {
    const MmMakerResult& m = makers[i];
    const CategoryConfig& cc = config.categories[m.category];
    const MarketMakerObligation& ob = cc.mm_obligation;
    out += fmt::format(
        "{}\n    {{\"participant\": \"{}\", \"category\": \"{}\", \"compliant\": {}, "
        "\"obligation\": {{\"min_size\": {}, \"max_spread_percent\": {}, \"max_spread_yen\": {}, "
        "\"min_presence_percent\": {}}}, \"phases\": [",
        i ? "," : "", m.maker < usernames.size() ? usernames[m.maker] : "?", cc.code,
        m.compliant() ? "true" : "false", ob.min_size, ob.max_spread_percent, ob.max_spread_yen,
        ob.min_presence_percent);
    for (size_t j = 0; j < m.phases.size(); ++j) {
      const MmPhaseResult& p = m.phases[j];
      out += fmt::format(
          "{}\n      {{\"phase\": \"{}\", \"session\": {}, \"seconds\": {:.3f}, "
          "\"present_seconds\": {:.3f}, \"presence_pct\": {:.2f}, \"two_sided_seconds\": {:.3f}, "
          "\"avg_spread\": {:.2f}, \"worst_spread\": {}, \"max_spread\": {}, \"avg_size\": {:.2f}, "
          "\"compliant\": {}}}",
          j ? "," : "", PhaseName(p.session, cc.sessions.size()), p.session, p.open_ns / 1e9,
          p.present_ns / 1e9, p.presence_pct(), p.two_sided_ns / 1e9, p.avg_spread, p.worst_spread,
          p.max_spread, p.avg_size, p.compliant ? "true" : "false");
    }
    out += "]}";
  }
  out += "\n  ]\n}\n";
  return out;
}

std::string MmDayReport::Html(const MarketConfig& config, const std::vector<std::string>& usernames) const {
  std::string out =
      "<section id=\"market-makers\"><h2>Market-maker compliance (マーケットメイカー)</h2>\n"
      "<table><thead><tr><th>maker</th><th>category</th><th>phase</th><th>presence</th>"
      "<th>required</th><th>avg spread (yen)</th><th>worst spread</th><th>max spread</th>"
      "<th>avg size (t)</th><th>compliant</th></tr></thead><tbody>\n";
  if (makers.empty()) out += "<tr><td colspan=\"10\">no designated market makers quoted today</td></tr>\n";
  for (const MmMakerResult& m : makers) {
    const CategoryConfig& cc = config.categories[m.category];
    for (const MmPhaseResult& p : m.phases) {
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%</td><td>{}%</td><td>{:.1f}</td>"
          "<td>{}</td><td>{}</td><td>{:.0f}</td><td>{}</td></tr>\n",
          m.maker < usernames.size() ? usernames[m.maker] : "?", cc.code,
          PhaseName(p.session, cc.sessions.size()), p.presence_pct(),
          cc.mm_obligation.min_presence_percent, p.avg_spread, p.worst_spread, p.max_spread,
          p.avg_size, p.compliant ? "yes" : "<strong>no</strong>");
    }
  }
  out += "</tbody></table></section>\n";
  return out;
}

}  // namespace ccx
