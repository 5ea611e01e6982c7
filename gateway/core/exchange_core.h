// ExchangeCore: everything the exchange derives from its journal, in one deterministic
// object: order entry (the engine, OUCH tokens and every participant's outbound stream,
// gateway/core/order_entry.h), the ITCH feed (marketdata/feed/feed_builder.h) and the
// credit registry with its pre-trade checks and T+5 settlement (settlement/registry.h).
// The sequencer applies each journaled input here; a restart or a surveillance replay
// applies the same records and gets the same books, streams, feed and ledger, byte for byte.
// The market makers' obligations are measured here too (engine/market/mm_monitor.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "engine/market/mm_monitor.h"
#include "gateway/core/order_entry.h"
#include "marketdata/feed/feed_builder.h"
#include "settlement/registry.h"
#include "settlement/settlement_config.h"

namespace ccx {

struct CoreOptions {
  int64_t noii_interval_ns = 100'000'000;  ///< NOII conflation interval (--noii-interval-ms)
  /// Settlement time and pre-trade checks (`[settlement]`); its deposits are not applied
  /// here (the exchange journals them at its first start).
  settlement::SettlementConfig settlement;
};

/// Payload of a kSettings record: the options of a run that change what the core produces,
/// journaled (at the first start, and whenever a restart changes them) so that a replay
/// needs no command-line options to rebuild the same outputs.
struct CoreSettings {
  int64_t noii_interval_ns = 0;
  uint32_t max_messages_per_second = 0;  ///< per-session rate limit (0 = none)
  uint32_t has_rate_limit = 0;           ///< 1: the rate limit above is set by this record
  uint8_t reserved[48] = {};
};
static_assert(sizeof(CoreSettings) == 64);

class ExchangeCore {
 public:
  ExchangeCore(const MarketConfig& market, ParticipantRegistry participants, CoreOptions options = {});

  /// Applies one journaled input (see OrderEntry::Apply) recorded as `journal_seq`; false
  /// for a malformed payload. First runs the settlements that fell due up to `time`.
  bool Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload, uint64_t journal_seq = 0);
  /// The settings in effect (the last kSettings record, else the constructor's options).
  CoreSettings settings() const;

  /// The registry's answer to the last kLedger input (OK or why it was refused).
  const absl::Status& last_ledger_status() const { return ledger_status_; }
  /// True when something is scheduled at or before `time` (a phase change, an auction, a
  /// held-back NOII, a settlement): the sequencer then journals and applies a kClock input.
  bool ClockDue(Timestamp time) const;
  /// Makes every message produced so far visible to the sending threads (after the sync).
  void Release();

  OrderEntry& order_entry() { return entry_; }
  const OrderEntry& order_entry() const { return entry_; }
  const Engine& engine() const { return entry_.engine(); }
  const FeedBuilder& feed() const { return feed_; }
  /// Market-maker obligations measured today (MARKET_RULES §7).
  const MarketMakerMonitor& market_makers() const { return mm_; }
  settlement::Registry& registry() { return registry_; }
  const settlement::Registry& registry() const { return registry_; }

 private:
  void RunSettlements(Timestamp time, uint64_t journal_seq);
  Timestamp SettlementTimeOn(absl::CivilDay day) const;

  MarketConfig market_;
  CoreOptions options_;
  OrderEntry entry_;
  FeedBuilder feed_;
  settlement::Registry registry_;
  MarketMakerMonitor mm_;
  absl::Status ledger_status_;
  Timestamp next_settle_ = 0;
};

}  // namespace ccx
