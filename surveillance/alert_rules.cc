// The five rules of AlertDetector, judged at an auction's result, and the JSON of the
// alerts they raise (schema: docs/SURVEILLANCE.md#alert-files).
#include <algorithm>
#include <cmath>
#include <map>

#include "engine/market/schedule.h"
#include "fmt/format.h"
#include "surveillance/alert_detector.h"

namespace ccx::surveillance {
namespace {

std::string Time(const Replayer& r, Timestamp t) {
  return t == 0 ? std::string() : FormatLocalDateTime(t, r.market().utc_offset_minutes);
}

std::string Hhmm(const Replayer& r, Timestamp t) {
  const int64_t m = LocalNanosOfDay(t, r.market().utc_offset_minutes) / kNanosPerMinute;
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

nlohmann::json MoveJson(const AlertDetector::Move& m) {
  if (!m.known) return nullptr;
  const int64_t bps = MoveBps(m.before, m.after);
  return {{"before", IndicativeEvidence(m.before)},
          {"after", IndicativeEvidence(m.after)},
          {"move_bps", bps < 0 ? nlohmann::json(nullptr) : nlohmann::json(bps)}};
}

int64_t Bps(const AlertDetector::Move& m) { return m.known ? MoveBps(m.before, m.after) : -1; }

std::string PriceText(const Indicative& c) {
  return c.executes ? fmt::format("{}", c.price) : std::string("none");
}

}  // namespace

nlohmann::json AlertDetector::OrderJson(const Replayer& r, const OrderNote& o) const {
  nlohmann::json j = {{"ref", o.ref},
                      {"token", o.token},
                      {"side", std::string(1, static_cast<char>(o.side))},
                      {"price", o.price},
                      {"qty", o.qty},
                      {"entered", Time(r, o.entered)},
                      {"entry_effect", MoveJson(o.entry)}};
  if (o.canceled != 0) {
    j["canceled"] = Time(r, o.canceled);
    j["cancel_effect"] = MoveJson(o.cancel);
  }
  if (o.executed != 0) j["executed"] = o.executed;
  return j;
}

Alert AlertDetector::MakeAlert(const Replayer& r, const Event& result, AlertKind kind,
                               ParticipantId p) const {
  Alert a;
  a.kind = kind;
  a.category = result.category;
  a.category_code = r.CategoryCode(result.category);
  a.auction_time = result.time;
  a.session = result.session;
  a.participant = p;
  a.username = r.Username(p);
  const int32_t offset = r.market().utc_offset_minutes;
  const absl::CivilDay day = LocalDay(result.time, offset);
  const std::string hhmm = Hhmm(r, result.time);
  a.id = fmt::format("{:04}{:02}{:02}-{}{}-{}-{}-{}", day.year(), day.month(), day.day(),
                     hhmm.substr(0, 2), hhmm.substr(3, 2), a.category_code, ToString(kind), a.username);
  const auto& people = r.participants().participants;
  nlohmann::json who = {{"username", a.username}};
  if (p < people.size()) {
    who["name"] = people[p].name;
    who["firm"] = people[p].firm;
  }
  const bool executed = result.price != 0;
  a.json = {{"id", a.id},
            {"kind", ToString(kind)},
            {"category", a.category_code},
            {"date", fmt::format("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())},
            {"auction",
             {{"time", Time(r, result.time)},
              {"session", result.session},
              {"executed", executed},
              {"halted", result.pad0 == 'H'},
              {"price", executed ? nlohmann::json(result.price) : nlohmann::json(nullptr)},
              {"volume", result.qty}}},
            {"participant", who}};
  return a;
}

void AlertDetector::JudgeSpoofing(const Replayer& r, const Event& result) {
  const SpoofingRule& rule = config_.spoofing;
  std::map<ParticipantId, std::vector<const OrderNote*>> by_owner;
  for (const OrderNote& n : phases_[result.category].spoof) by_owner[n.participant].push_back(&n);
  for (const auto& [p, notes] : by_owner) {
    int64_t best = -1;
    for (const OrderNote* n : notes) best = std::max({best, Bps(n->entry), Bps(n->cancel)});
    // Layering: the cancels together, from before the first to after the last.
    Move together;
    together.known = notes.front()->cancel.known && notes.back()->cancel.known;
    together.before = notes.front()->cancel.before;
    together.after = notes.back()->cancel.after;
    best = std::max(best, Bps(together));
    if (best < rule.min_move_bps) continue;
    Alert a = MakeAlert(r, result, AlertKind::kSpoofing, p);
    nlohmann::json orders = nlohmann::json::array();
    Volume total = 0;
    Timestamp first_cancel = notes.front()->canceled;
    for (const OrderNote* n : notes) {
      orders.push_back(OrderJson(r, *n));
      total += n->qty;
      first_cancel = std::min(first_cancel, n->canceled);
    }
    const int64_t before_s = (result.time - first_cancel) / kNanosPerSecond;
    a.summary = fmt::format(
        "{} entered and cancelled {} large order{} ({} t in all) up to {} s before the {} {} "
        "auction; the indicative price moved by up to {} bps",
        a.username, notes.size(), notes.size() > 1 ? "s" : "", total, before_s,
        a.category_code, Hhmm(r, result.time), best);
    a.json["summary"] = a.summary;
    a.json["evidence"] = {{"layering", notes.size() > 1},
                          {"orders", orders},
                          {"cancels_effect", MoveJson(together)},
                          {"largest_move_bps", best}};
    a.json["thresholds"] = {{"min_qty", rule.min_qty},
                            {"window_seconds", rule.window_seconds},
                            {"min_move_bps", rule.min_move_bps}};
    Emit(std::move(a));
  }
}

void AlertDetector::JudgeMarking(const Replayer& r, const Event& result) {
  const MarkingRule& rule = config_.marking;
  std::map<ParticipantId, std::vector<const OrderNote*>> by_owner;
  for (const auto& [ref, n] : phases_[result.category].marking) {
    if (n.executed > 0) by_owner[n.participant].push_back(&n);
  }
  for (auto& [p, notes] : by_owner) {
    std::sort(notes.begin(), notes.end(), [](auto* a, auto* b) { return a->ref < b->ref; });
    Alert a = MakeAlert(r, result, AlertKind::kMarking, p);
    nlohmann::json orders = nlohmann::json::array();
    Volume executed = 0;
    int64_t best = -1;
    for (const OrderNote* n : notes) {
      orders.push_back(OrderJson(r, *n));
      executed += n->executed;
      best = std::max(best, Bps(n->entry));
    }
    const OrderNote& first = *notes.front();
    a.summary = fmt::format(
        "{} entered {} order{} in the last {} s before the {} {} auction that moved the "
        "indicative price by up to {} bps ({} -> {} on the first) and executed {} t at {}",
        a.username, notes.size(), notes.size() > 1 ? "s" : "", rule.window_seconds,
        a.category_code, Hhmm(r, result.time), best, PriceText(first.entry.before),
        PriceText(first.entry.after), executed, result.price);
    a.json["summary"] = a.summary;
    a.json["evidence"] = {{"orders", orders}, {"executed", executed}, {"largest_move_bps", best}};
    a.json["thresholds"] = {{"window_seconds", rule.window_seconds}, {"min_move_bps", rule.min_move_bps}};
    Emit(std::move(a));
  }
}

void AlertDetector::JudgeWashTrades(const Replayer& r, const Event& result) {
  const AuctionState& au = auctions_[result.category];
  std::map<ParticipantId, std::array<Volume, 2>> sorted(au.traded.begin(), au.traded.end());
  for (const auto& [p, t] : sorted) {
    const Volume matched = std::min(t[0], t[1]);
    if (matched <= 0 || matched < config_.wash_trade.min_qty) continue;
    Alert a = MakeAlert(r, result, AlertKind::kWashTrade, p);
    nlohmann::json buys = nlohmann::json::array(), sells = nlohmann::json::array(),
                   self = nlohmann::json::array();
    for (const Event& e : au.executions) {
      if (e.participant != p) continue;
      (e.side == Side::kBuy ? buys : sells)
          .push_back({{"ref", e.ref}, {"qty", e.qty}, {"price", e.price}, {"match", e.match}});
    }
    Volume self_qty = 0;
    for (const Event& e : au.trades) {
      if (e.participant != p || e.participant2 != p) continue;
      self_qty += e.qty;
      self.push_back({{"buy_ref", e.ref}, {"sell_ref", e.ref2}, {"qty", e.qty}, {"price", e.price}});
    }
    a.summary = fmt::format(
        "{} both bought {} t and sold {} t in the {} {} auction at {} ({} t paired with itself)",
        a.username, t[0], t[1], a.category_code, Hhmm(r, result.time), result.price, self_qty);
    a.json["summary"] = a.summary;
    a.json["evidence"] = {{"bought", t[0]},      {"sold", t[1]},   {"matched", matched},
                          {"buy_executions", buys}, {"sell_executions", sells},
                          {"self_trades", self}, {"self_traded", self_qty}};
    a.json["thresholds"] = {{"min_qty", config_.wash_trade.min_qty}};
    Emit(std::move(a));
  }
}

void AlertDetector::JudgeConcentration(const Replayer& r, const Event& result) {
  const ConcentrationRule& rule = config_.concentration;
  const Volume volume = result.price != 0 ? result.qty : 0;
  if (volume <= 0 || volume < rule.min_volume) return;
  const AuctionState& au = auctions_[result.category];
  std::map<ParticipantId, std::array<Volume, 2>> sorted(au.traded.begin(), au.traded.end());
  for (const auto& [p, t] : sorted) {
    const Volume larger = std::max(t[0], t[1]);
    if (larger * 100 <= rule.max_share_percent * volume) continue;
    Alert a = MakeAlert(r, result, AlertKind::kConcentration, p);
    const double share = 100.0 * static_cast<double>(larger) / static_cast<double>(volume);
    const char* side = t[0] >= t[1] ? "bought" : "sold";
    a.summary = fmt::format("{} {} {} t of the {} t traded in the {} {} auction ({:.1f} %)",
                            a.username, side, larger, volume, a.category_code,
                            Hhmm(r, result.time), share);
    a.json["summary"] = a.summary;
    nlohmann::json others = nlohmann::json::array();
    for (const auto& [q, u] : sorted) {
      others.push_back({{"participant", r.Username(q)}, {"bought", u[0]}, {"sold", u[1]}});
    }
    a.json["evidence"] = {{"bought", t[0]}, {"sold", t[1]}, {"volume", volume},
                          {"share_percent", std::round(share * 10) / 10}, {"participants", others}};
    a.json["thresholds"] = {{"max_share_percent", rule.max_share_percent}, {"min_volume", rule.min_volume}};
    Emit(std::move(a));
  }
}

void AlertDetector::JudgeQuotePulls(const Replayer& r, const Event& result) {
  const CategoryId c = result.category;
  const PhaseState& ph = phases_[c];
  const AuctionState& au = auctions_[c];
  if (!ph.pull_window_started) return;
  for (size_t i = 0; i < makers_[c].size(); ++i) {
    const auto& q = au.maker_quotes[i];
    if (!ph.had_two_sided[i] || (q[0] > 0 && q[1] > 0) || ph.pulls[i].empty()) continue;
    const ParticipantId p = makers_[c][i];
    Alert a = MakeAlert(r, result, AlertKind::kQuotePull, p);
    nlohmann::json pulled = nlohmann::json::array();
    for (const OrderNote& n : ph.pulls[i]) pulled.push_back(OrderJson(r, n));
    const OrderNote& last = ph.pulls[i].back();
    a.summary = fmt::format(
        "market maker {} quoted both sides within {} s of the {} {} auction, then pulled {} "
        "quote{} (last at {}) and had no two-sided quote of {} t or more at the auction",
        a.username, config_.quote_pull.window_seconds, a.category_code, Hhmm(r, result.time),
        ph.pulls[i].size(), ph.pulls[i].size() > 1 ? "s" : "", Time(r, last.canceled),
        min_quote_[c]);
    a.json["summary"] = a.summary;
    a.json["evidence"] = {{"pulled", pulled},
                          {"quotes_at_auction", {{"buy", q[0]}, {"sell", q[1]}}}};
    a.json["thresholds"] = {{"window_seconds", config_.quote_pull.window_seconds},
                            {"min_quote_qty", min_quote_[c]}};
    Emit(std::move(a));
  }
}

}  // namespace ccx::surveillance
