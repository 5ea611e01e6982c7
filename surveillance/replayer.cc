#include "surveillance/replayer.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "fmt/format.h"
#include "settlement/settlement_config.h"

namespace ccx::surveillance {

Replayer::Replayer(MarketConfig market, ParticipantRegistry participants, ReplayOptions options)
    : options_(options),
      exchange_(std::make_unique<ExchangeCore>(market, std::move(participants), options.core)),
      core_(&exchange_->order_entry()) {
  const size_t n = core_->engine().num_categories();
  touched_flag_.assign(n, 0);
  before_.resize(n);
  after_.resize(n);
  for (size_t c = 0; c < n; ++c) after_[c] = before_[c] = core_->engine().Indicative(static_cast<CategoryId>(c));
}

std::string Replayer::Username(ParticipantId p) const {
  const auto& list = participants().participants;
  return p < list.size() ? list[p].username : fmt::format("#{}", p);
}

std::string Replayer::CategoryCode(CategoryId c) const {
  if (c == kNoCategory) return "-";
  const auto& cats = market().categories;
  return c < cats.size() ? cats[c].code : fmt::format("#{}", c);
}

void Replayer::Decode(const JournalRecord& record) {
  input_.kind = static_cast<InputKind>(record.type);
  input_.ouch_valid = false;
  if (input_.kind == InputKind::kOuch && record.payload.size() == sizeof(OuchInput)) {
    OuchInput in;
    std::memcpy(&in, record.payload.data(), sizeof in);
    input_.participant = in.participant;
    input_.ouch_valid =
        in.length <= sizeof in.message &&
        ouch::DecodeInbound({in.message, in.length}, &input_.ouch) == ouch::DecodeStatus::kOk;
  } else if (input_.kind == InputKind::kAdmin && record.payload.size() == sizeof(Command)) {
    std::memcpy(&input_.admin, record.payload.data(), sizeof(Command));
  } else if (input_.kind == InputKind::kLedger && record.payload.size() == sizeof(settlement::LedgerOp)) {
    std::memcpy(&input_.ledger, record.payload.data(), sizeof(settlement::LedgerOp));
  } else if (input_.kind == InputKind::kSettings && record.payload.size() == sizeof(CoreSettings)) {
    std::memcpy(&input_.settings, record.payload.data(), sizeof(CoreSettings));
  }
}

absl::Status Replayer::Apply(const JournalRecord& record) {
  if (!observers_.empty()) {
    Decode(record);
    for (ReplayObserver* o : observers_) o->BeforeRecord(*this, record);
  }
  // Categories touched by the previous record: their "before" becomes their "after".
  for (CategoryId c : touched_) {
    before_[c] = after_[c];
    touched_flag_[c] = 0;
  }
  touched_.clear();
  const auto kind = static_cast<InputKind>(record.type);
  const std::span<const uint8_t> payload(record.payload.data(), record.payload.size());
  if (!exchange_->Apply(kind, record.timestamp_ns, payload, record.sequence)) {
    const bool known = record.type == static_cast<uint16_t>(InputKind::kOuch) ||
                       record.type == static_cast<uint16_t>(InputKind::kClock) ||
                       record.type == static_cast<uint16_t>(InputKind::kAdmin) ||
                       record.type == static_cast<uint16_t>(InputKind::kLedger) ||
                       record.type == static_cast<uint16_t>(InputKind::kSettings);
    return absl::DataLossError(fmt::format(
        "record {} at byte {} (type {}, {} payload bytes) cannot be applied: {}", record.sequence,
        record.offset, record.type, record.payload.size(),
        known ? "malformed payload" : "the exchange's core does not know this input type"));
  }
  ++records_;
  const auto& events = core_->applied_events();
  events_ += events.size();
  const size_t n = touched_flag_.size();
  for (const Event& e : events) {
    if (e.category < n && !touched_flag_[e.category]) {
      touched_flag_[e.category] = 1;
      touched_.push_back(e.category);
    }
  }
  if (touched_.size() > 1) std::sort(touched_.begin(), touched_.end());
  if (options_.track_indicative) {
    for (CategoryId c : touched_) after_[c] = core_->engine().Indicative(c);
  }
  for (ReplayObserver* o : observers_) o->AfterRecord(*this, record);
  return absl::OkStatus();
}

absl::StatusOr<CoreOptions> CoreOptionsFromConfig(const std::string& config_path, const MarketConfig& market,
                                                  const ParticipantRegistry& participants,
                                                  int64_t noii_interval_ms) {
  CoreOptions o;
  o.noii_interval_ns = noii_interval_ms * 1'000'000;
  auto settlement = settlement::LoadSettlementConfig(config_path, market, participants);
  if (!settlement.ok()) return settlement.status();
  o.settlement = *std::move(settlement);
  return o;
}

std::string JournalPathFor(const std::string& data_dir) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(data_dir, ec)) return data_dir;
  return DefaultJournalPath(data_dir);
}

absl::StatusOr<ReplaySummary> ReplayJournal(const std::string& path, Replayer* replayer,
                                            const JournalOptions& options,
                                            const std::function<bool(const JournalRecord&)>& stop) {
  auto reader = JournalReader::Open(path);
  if (!reader.ok()) {
    if (absl::IsNotFound(reader.status())) {
      return absl::NotFoundError(fmt::format("journal {}: no such file (is --data-dir right?)", path));
    }
    return reader.status();
  }
  ReplaySummary s;
  s.path = path;
  JournalRecord r;
  for (;;) {
    auto more = reader->Next(&r);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (stop && stop(r)) {
      s.stopped = true;
      return s;
    }
    if (absl::Status st = replayer->Apply(r); !st.ok()) {
      return absl::DataLossError(fmt::format("journal {}: {}", path, std::string(st.message())));
    }
    if (s.records++ == 0) {
      s.first_sequence = r.sequence;
      s.first_time = r.timestamp_ns;
    }
    s.last_sequence = r.sequence;
    s.last_time = r.timestamp_ns;
  }
  if (reader->tail_damage()) {
    if (!options.allow_torn_tail) {
      const TailDamage& t = *reader->tail_damage();
      return absl::DataLossError(fmt::format(
          "journal {}: truncated at byte {} (sequence {}): {}; {} bytes after {} valid records "
          "(a copy taken while the exchange was writing, or a crash). Use --allow-torn-tail to "
          "replay the records before it",
          path, t.offset, t.sequence, t.reason, t.bytes, s.records));
    }
    s.torn_tail = reader->tail_damage();
  }
  return s;
}

}  // namespace ccx::surveillance
