// Plain data shared by the fast auction (Book + Pricer + Allocator) and its slow
// reference twin (ReferenceAuction): the band, the clearing result, executions and
// buyer-to-seller trade records.
#pragma once

#include <cstdint>

#include "engine/core/types.h"

namespace ccx {

/// The daily price band [lower, upper] in yen, both inclusive, on the tick grid.
struct Band {
  Price lower = 1;
  Price upper = 1;
};

/// Band for a base price (MARKET_RULES §4): base ± floor(base × percent / 100), lower limit
/// never below one tick, narrowed by an absolute floor/ceiling where they are non-zero, and
/// rounded inwards to the tick grid. `tick` > 0.
Band ComputeBand(Price base, int band_percent, Price tick, Price abs_floor, Price abs_ceiling);

/// Result of price determination (MARKET_RULES §5) for one book at one moment.
/// When `executes` is false there is no execution: price is 0 and volume 0.
struct Clearing {
  bool executes = false;
  Price price = 0;    ///< clearing (or indicative) price, yen
  Volume volume = 0;  ///< executable volume V(P)
  Volume buy_qty = 0;   ///< D(P): buy quantity at or above P (band-clamped)
  Volume sell_qty = 0;  ///< S(P): sell quantity at or below P (band-clamped)
  /// Q(P) = D(P) - S(P): positive = buy surplus, negative = sell surplus.
  Volume surplus() const { return buy_qty - sell_qty; }

  friend bool operator==(const Clearing&, const Clearing&) = default;
};

/// One order's execution at an auction. At most one per order per auction.
struct Execution {
  OrderRef ref = 0;
  ParticipantId participant = 0;
  Side side = Side::kBuy;
  Qty qty = 0;        ///< executed quantity
  Qty leaves = 0;     ///< quantity still open on the order after this execution
  Price price = 0;    ///< the clearing price
  MatchNumber match = 0;

  friend bool operator==(const Execution&, const Execution&) = default;
};

/// A buyer-to-seller pairing of executed quantity (both sides walked in allocation order).
struct Trade {
  OrderRef buy_ref = 0;
  OrderRef sell_ref = 0;
  ParticipantId buyer = 0;
  ParticipantId seller = 0;
  Qty qty = 0;
  Price price = 0;
  MatchNumber buy_match = 0;   ///< match number of the buy order's execution
  MatchNumber sell_match = 0;  ///< match number of the sell order's execution

  friend bool operator==(const Trade&, const Trade&) = default;
};

}  // namespace ccx
