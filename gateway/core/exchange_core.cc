#include "gateway/core/exchange_core.h"

namespace ccx {

ExchangeCore::ExchangeCore(const MarketConfig& market, ParticipantRegistry participants,
                           CoreOptions options)
    : entry_(market, std::move(participants)), feed_(market, options.noii_interval_ns) {}

bool ExchangeCore::Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload) {
  if (!entry_.Apply(kind, time, payload)) return false;
  feed_.OnApplied(entry_.now(), entry_.applied_events(), entry_.engine());
  return true;
}

bool ExchangeCore::ClockDue(Timestamp time) const {
  return entry_.ClockDue(time) || feed_.ClockDue(time);
}

void ExchangeCore::Release() {
  entry_.Release();
  feed_.Release();
}

}  // namespace ccx
