#include "surveillance/report.h"

#include <algorithm>
#include <map>

#include "engine/market/schedule.h"
#include "fmt/format.h"

namespace ccx::surveillance {

absl::StatusOr<AuctionTarget> FindAuction(const MarketConfig& market, std::string_view spec) {
  const size_t at = spec.find('@');
  if (at == std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format(
        "auction '{}': expected CATEGORY@YYYY-MM-DDTHH:MM (e.g. JCRE@2026-11-20T11:30)", spec));
  }
  const std::string_view code = spec.substr(0, at);
  const int c = market.FindCategory(code);
  if (c < 0) return absl::InvalidArgumentError(fmt::format("auction '{}': unknown category '{}'", spec, code));
  Timestamp t = 0;
  const int32_t offset = market.utc_offset_minutes;
  if (!ParseLocalDateTime(spec.substr(at + 1), offset, &t)) {
    return absl::InvalidArgumentError(fmt::format(
        "auction '{}': time '{}' is not YYYY-MM-DDTHH:MM[:SS] (local time)", spec, spec.substr(at + 1)));
  }
  const CategoryConfig& cfg = market.categories[static_cast<size_t>(c)];
  const absl::CivilDay day = LocalDay(t, offset);
  for (size_t s = 0; s < cfg.sessions.size(); ++s) {
    const Timestamp auction = LocalToTimestamp(day, cfg.sessions[s].auction, offset);
    if (auction < t) continue;
    AuctionTarget target;
    target.category = static_cast<CategoryId>(c);
    target.time = auction;
    target.session = static_cast<uint8_t>(s);
    target.open = LocalToTimestamp(day, cfg.sessions[s].open, offset);
    return target;
  }
  return absl::InvalidArgumentError(fmt::format(
      "auction '{}': {} has no auction at or after {} that day (its last is at {})", spec, code,
      FormatLocalDateTime(t, offset).substr(11, 5), FormatMinuteOfDay(cfg.sessions.back().auction)));
}

std::vector<std::pair<Price, Volume>> CumulativeCurve(const std::vector<BookOrder>& orders,
                                                      Side side, Band band) {
  std::map<Price, Volume> at;
  for (const BookOrder& o : orders) at[std::clamp(o.price, band.lower, band.upper)] += o.qty;
  std::vector<std::pair<Price, Volume>> out;
  Volume sum = 0;
  if (side == Side::kBuy) {
    for (auto it = at.rbegin(); it != at.rend(); ++it) out.emplace_back(it->first, sum += it->second);
  } else {
    for (const auto& [p, q] : at) out.emplace_back(p, sum += q);
  }
  return out;
}

ReportCollector::ReportCollector(AuctionTarget target, const OrderHistory* history, size_t largest)
    : target_(target), history_(history), largest_(largest) {
  data_.target = target;
}

void ReportCollector::BeforeRecord(const Replayer& r, const JournalRecord& record) {
  const CategoryId c = target_.category;
  if (snapshot_ || data_.reached || record.timestamp_ns < target_.time || !r.core().started()) return;
  const Transition& next = r.engine().next_transition(c);
  if (next.kind != TransitionKind::kAuction || next.time != target_.time) return;
  // This record runs the auction first thing: the book now is the book it uncrosses.
  snapshot_ = true;
  const BookView v = SnapshotBook(r, c, history_, 0);
  data_.buys = v.buys;
  data_.sells = v.sells;
  data_.band = v.band;
  data_.base_before = v.base_price;
  data_.indicative = v.indicative;
  if (in_phase_) data_.series.push_back({target_.time, v.indicative});
}

void ReportCollector::AfterRecord(const Replayer& r, const JournalRecord& record) {
  (void)record;
  if (data_.reached) return;
  const CategoryId c = target_.category;
  bool touched = false;
  for (const Event& e : r.core().applied_events()) {
    if (e.category != c) continue;
    touched = true;
    if (e.type == EventType::kPhase && e.reason == static_cast<uint8_t>(Phase::kAcceptance) &&
        e.session == target_.session && e.time >= target_.open && e.time < target_.time && !in_phase_) {
      in_phase_ = true;
    }
    if (e.type == EventType::kExecuted && e.time == target_.time) {
      auto it = std::find_if(data_.fills.begin(), data_.fills.end(),
                             [&](const ParticipantFill& f) { return f.participant == e.participant; });
      if (it == data_.fills.end()) {
        data_.fills.push_back({e.participant, r.Username(e.participant), 0, 0});
        it = data_.fills.end() - 1;
      }
      (e.side == Side::kBuy ? it->bought : it->sold) += e.qty;
    }
    if (e.type == EventType::kAuction && e.time == target_.time) {
      data_.reached = true;
      data_.executed = e.price != 0;
      data_.halted = e.pad0 == 'H';
      data_.price = e.price;
      data_.volume = e.qty;
      in_phase_ = false;
      return;
    }
  }
  if (in_phase_ && touched && r.core().now() < target_.time) {
    data_.series.push_back({r.core().now(), r.indicative(c)});
  }
}

InvestigationData ReportCollector::Finish(const Replayer& r, const std::vector<Alert>& alerts) {
  InvestigationData d = data_;
  const CategoryConfig& cfg = r.market().categories[target_.category];
  d.code = cfg.code;
  d.name_en = cfg.name_en;
  d.name_ja = cfg.name_ja;
  d.offset_minutes = r.market().utc_offset_minutes;
  for (const Participant& p : r.participants().participants) {
    d.usernames.push_back(p.username);
    d.names.push_back(p.name);
  }
  std::sort(d.fills.begin(), d.fills.end(),
            [](const ParticipantFill& a, const ParticipantFill& b) { return a.participant < b.participant; });
  for (const Alert& a : alerts) {
    if (a.category == target_.category && a.auction_time == target_.time) d.alerts.push_back(a);
  }
  if (history_ != nullptr) {
    std::vector<const OrderLife*> during;
    for (const OrderLife& o : history_->orders()) {
      if (o.category != target_.category || o.entered > target_.time) continue;
      if (o.ended != 0 && o.ended < target_.open) continue;
      during.push_back(&o);
    }
    std::stable_sort(during.begin(), during.end(),
                     [](const OrderLife* a, const OrderLife* b) { return a->qty > b->qty; });
    for (size_t i = 0; i < during.size() && i < largest_; ++i) {
      d.largest.push_back(*during[i]);
      d.largest_steps.push_back(history_->Steps(*during[i]));
    }
  }
  return d;
}

}  // namespace ccx::surveillance
