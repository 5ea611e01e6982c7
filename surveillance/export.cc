#include "surveillance/export.h"

#include "engine/market/schedule.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "surveillance/describe.h"

namespace ccx::surveillance {
namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string Csv(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

bool EventFilter::Matches(const Event& e, Timestamp t) const {
  if (t < from || t > to) return false;
  if (category >= 0 && e.category != category) return false;
  if (participant >= 0) {
    const auto p = static_cast<ParticipantId>(participant);
    const bool two = e.type == EventType::kTrade;
    if (e.participant != p && !(two && e.participant2 == p)) return false;
    // Market-wide events (phases, auctions, base prices) carry no participant.
    if (e.type == EventType::kPhase || e.type == EventType::kAuction || e.type == EventType::kBasePrice) {
      return false;
    }
  }
  return true;
}

EventExporter::EventExporter(std::ostream* out, ExportFormat format, EventFilter filter)
    : out_(out), format_(format), filter_(filter) {
  if (format_ == ExportFormat::kCsv) {
    *out_ << "sequence,time,input,event,category,participant,counterparty,side,tif,ref,ref2,price,"
             "qty,qty2,match,reason,session,indicative_price,indicative_volume\n";
  }
}

void EventExporter::AfterRecord(const Replayer& r, const JournalRecord& record) {
  const int32_t offset = r.market().utc_offset_minutes;
  const std::string input = InputName(record.type);
  for (const Event& e : r.core().applied_events()) {
    if (!filter_.Matches(e, record.timestamp_ns)) continue;
    const bool has_cat = e.category < r.engine().num_categories();
    const Clearing ind = has_cat && r.tracks_indicative() ? r.indicative(e.category) : Clearing{};
    const bool trade = e.type == EventType::kTrade;
    const bool order = e.type == EventType::kAccepted || e.type == EventType::kReplaced ||
                       e.type == EventType::kCanceled || e.type == EventType::kExecuted;
    const std::string side = order ? std::string(1, static_cast<char>(e.side)) : std::string();
    const std::string tif = order ? (e.tif == Tif::kDay ? "DAY" : "AUCTION") : "";
    const std::string reason = e.reason >= 0x20 && e.reason < 0x7f ? std::string(1, static_cast<char>(e.reason))
                                                                  : std::string();
    const bool has_participant = e.type != EventType::kPhase && e.type != EventType::kAuction &&
                                 e.type != EventType::kBasePrice;
    const std::string who = has_participant ? r.Username(e.participant) : std::string();
    const std::string other = trade ? r.Username(e.participant2) : std::string();
    const std::string time = FormatLocalDateTime(e.time, offset);
    if (format_ == ExportFormat::kCsv) {
      *out_ << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", record.sequence, time,
                           input, EventName(e.type), Csv(has_cat ? r.CategoryCode(e.category) : ""), Csv(who), Csv(other),
                           side, tif, e.ref, e.ref2, e.price, e.qty, e.qty2, e.match, reason, e.session,
                           ind.executes ? fmt::format("{}", ind.price) : "",
                           ind.executes ? fmt::format("{}", ind.volume) : "");
    } else {
      nlohmann::json j = {{"sequence", record.sequence},
                          {"time", time},
                          {"input", input},
                          {"event", EventName(e.type)},
                          {"category", has_cat ? r.CategoryCode(e.category) : ""},
                          {"participant", who},
                          {"counterparty", other},
                          {"side", side},
                          {"tif", tif},
                          {"ref", e.ref},
                          {"ref2", e.ref2},
                          {"price", e.price},
                          {"qty", e.qty},
                          {"qty2", e.qty2},
                          {"match", e.match},
                          {"reason", reason},
                          {"session", e.session},
                          {"indicative_price", ind.executes ? nlohmann::json(ind.price) : nlohmann::json(nullptr)},
                          {"indicative_volume", ind.executes ? nlohmann::json(ind.volume) : nlohmann::json(nullptr)}};
      *out_ << j.dump() << '\n';
    }
    ++rows_;
  }
}

}  // namespace ccx::surveillance
