#include "gateway/core/exchange_core.h"

#include <algorithm>
#include <cstring>

#include "engine/market/schedule.h"

namespace ccx {
namespace {

// The designated makers of each category: the category's `market_makers` and every
// participant whose own `market_maker` list names the category.
std::vector<std::vector<ParticipantId>> Makers(const MarketConfig& market, const ParticipantRegistry& reg) {
  std::vector<std::vector<ParticipantId>> out(market.categories.size());
  for (size_t c = 0; c < market.categories.size(); ++c) {
    for (const Participant& p : reg.participants) {
      if (IsDesignatedMaker(market.categories[c], p.username, &p)) out[c].push_back(p.id);
    }
  }
  return out;
}

}  // namespace

ExchangeCore::ExchangeCore(const MarketConfig& market, ParticipantRegistry participants,
                           CoreOptions options)
    : market_(market), options_(std::move(options)),
      entry_(market, participants),
      feed_(market, options_.noii_interval_ns),
      registry_(market, settlement::Usernames(participants), options_.settlement.checks),
      mm_(market, Makers(market, participants)) {
  entry_.SetRegistry(&registry_);
}

Timestamp ExchangeCore::SettlementTimeOn(absl::CivilDay day) const {
  return LocalToTimestamp(day, options_.settlement.time, market_.utc_offset_minutes);
}

void ExchangeCore::RunSettlements(Timestamp time, uint64_t journal_seq) {
  const TradingCalendar& cal = entry_.engine().calendar();
  if (next_settle_ == 0) {
    // The first input: the first business day's settlement time at or after it.
    absl::CivilDay d = LocalDay(time, market_.utc_offset_minutes);
    if (!cal.IsBusinessDay(d) || SettlementTimeOn(d) < time) d = cal.NextBusinessDay(d);
    next_settle_ = SettlementTimeOn(d);
  }
  // Every business day's run that is due, in order (a restart after days away, or a
  // simulated clock that jumps, settles each day that fell due).
  while (next_settle_ <= time) {
    const absl::CivilDay d = LocalDay(next_settle_, market_.utc_offset_minutes);
    registry_.SettleDue(d, next_settle_, journal_seq);
    next_settle_ = SettlementTimeOn(cal.NextBusinessDay(d));
  }
}

CoreSettings ExchangeCore::settings() const {
  CoreSettings s;
  s.noii_interval_ns = feed_.noii_interval();
  s.max_messages_per_second = entry_.participants().gateway.max_messages_per_second;
  s.has_rate_limit = 1;
  return s;
}

bool ExchangeCore::Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload,
                         uint64_t journal_seq) {
  if (kind == InputKind::kSettings) {
    if (payload.size() != sizeof(CoreSettings)) return false;
    CoreSettings s;
    std::memcpy(&s, payload.data(), sizeof s);
    if (s.noii_interval_ns < 0) return false;
    feed_.set_noii_interval(s.noii_interval_ns);
    if (s.has_rate_limit) entry_.set_max_messages_per_second(s.max_messages_per_second);
    return true;
  }
  if (kind == InputKind::kLedger && payload.size() != sizeof(settlement::LedgerOp)) return false;
  if (time < entry_.now()) time = entry_.now();
  registry_.BeginInput(journal_seq, time);
  RunSettlements(time, journal_seq);
  if (!entry_.Apply(kind, time, payload)) return false;
  if (kind == InputKind::kLedger) {
    settlement::LedgerOp op;
    std::memcpy(&op, payload.data(), sizeof op);
    ledger_status_ = registry_.Apply(op, time, journal_seq);
  }
  feed_.OnApplied(entry_.now(), entry_.applied_events(), entry_.engine());
  mm_.OnEvents(entry_.applied_events(), entry_.engine());
  return true;
}

bool ExchangeCore::ClockDue(Timestamp time) const {
  return entry_.ClockDue(time) || feed_.ClockDue(time) || (next_settle_ != 0 && next_settle_ <= time);
}

void ExchangeCore::Release() {
  entry_.Release();
  feed_.Release();
}

}  // namespace ccx
