// ExchangeCore: everything the exchange derives from its journal, in one deterministic
// object: order entry (the engine, OUCH tokens and every participant's outbound stream,
// gateway/core/order_entry.h) and the ITCH feed (marketdata/feed/feed_builder.h). The
// sequencer applies each journaled input here; a restart or a surveillance replay applies
// the same records and gets the same books, streams and feed, byte for byte.
#pragma once

#include <cstdint>
#include <span>

#include "gateway/core/order_entry.h"
#include "marketdata/feed/feed_builder.h"

namespace ccx {

struct CoreOptions {
  int64_t noii_interval_ns = 100'000'000;  ///< NOII conflation interval (--noii-interval-ms)
};

class ExchangeCore {
 public:
  ExchangeCore(const MarketConfig& market, ParticipantRegistry participants, CoreOptions options = {});

  /// Applies one journaled input (see OrderEntry::Apply); false for a malformed payload.
  bool Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload);
  /// True when something is scheduled at or before `time` (a phase change, an auction, a
  /// held-back NOII): the sequencer then journals and applies a kClock input.
  bool ClockDue(Timestamp time) const;
  /// Makes every message produced so far visible to the sending threads (after the sync).
  void Release();

  OrderEntry& order_entry() { return entry_; }
  const OrderEntry& order_entry() const { return entry_; }
  const Engine& engine() const { return entry_.engine(); }
  const FeedBuilder& feed() const { return feed_; }

 private:
  OrderEntry entry_;
  FeedBuilder feed_;
};

}  // namespace ccx
