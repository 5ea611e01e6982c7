// The market maker's pricing, pure and deterministic (no I/O): the daily price band of a
// category (MARKET_RULES §4), the fair value from the last clearing price and the indicative
// auction price, a two-sided quote of constant width around it shifted by inventory, sizes
// capped by the obligations and the bot's limits, and when a resting quote must be replaced.
//
// Prices in whole yen (ccx ticks are whole yen); quantities t-CO2.
#pragma once

#include <cstdint>

#include "engine/auction/auction_types.h"
#include "engine/config/market_config.h"

namespace ccx::bots {

struct QuoteParams {
  uint32_t size = 200;          ///< t-CO2 per side
  double spread_pct = 4.0;      ///< ask − bid as a percentage of the base price
  double skew = 1.0;            ///< mid shift at |inventory| = max_position, in half-spreads
  int64_t max_position = 50'000;  ///< t-CO2: beyond it the side that adds to |inventory| stops
  double fv_weight = 0.5;       ///< weight of the indicative price in the fair value (0..1)
  double fv_max_pull_pct = 5.0;   ///< the indicative price moves the fair value ≤ this % of base
  /// The obligations (MARKET_RULES §7, [market.defaults] mm_*): at least min_size each
  /// side, spread at most max_spread_yen, or when that is 0, max_spread_pct of the base.
  uint32_t min_size = 100;
  double max_spread_pct = 10.0;
  int64_t max_spread_yen = 0;
};

/// The widest spread the obligation allows at `base` (yen): max_spread_yen, else
/// floor(base × max_spread_pct / 100), as the exchange measures it.
int64_t MaxSpread(const QuoteParams& params, int64_t base);

/// The category's daily price band for `base` (the engine's ComputeBand, MARKET_RULES §4).
Band BandFor(const CategoryConfig& category, int64_t base);

/// What the bot knows about one category's market.
struct MarketView {
  int64_t base = 0;           ///< base price of the coming auction (yen, > 0)
  int64_t last_clearing = 0;  ///< price of the day's last executing auction (0: none yet)
  int64_t indicative = 0;     ///< indicative auction price (0: nothing would cross)
  int64_t tick = 1;
  Band band;
};

/// Fair value: the last clearing price (else the base price), pulled towards the indicative
/// price by fv_weight, the pull at most fv_max_pull_pct of that anchor.
int64_t FairValue(const MarketView& view, const QuoteParams& params);

struct Quote {
  int64_t fair = 0;
  int64_t bid = 0;  ///< price (valid when bid_size > 0)
  uint32_t bid_size = 0;
  int64_t ask = 0;
  uint32_t ask_size = 0;
};

/// The two-sided quote: width min(spread_pct of the base, MaxSpread) on the tick grid,
/// centred on the fair value shifted by −skew × half-width × inventory / max_position, inside
/// the band (clamping only narrows it). A side whose fill would take |inventory| past
/// max_position is dropped; the bid is capped to `cash_yen` of buying power and the ask to
/// `credits` t-CO2 (either may make a side smaller than min_size, or drop it).
Quote ComputeQuote(const MarketView& view, const QuoteParams& params, int64_t inventory,
                   int64_t cash_yen, int64_t credits);

/// True when a resting order (price, open shares) should be replaced by the desired one:
/// the price moved by `threshold_yen` (at least 1) or more, or the open shares fell below
/// min(desired, min_size) or below half the desired size, or exceed the desired size.
bool NeedsReplace(int64_t price, uint32_t shares, int64_t want_price, uint32_t want_size,
                  int64_t threshold_yen, uint32_t min_size);

}  // namespace ccx::bots
