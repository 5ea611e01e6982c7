// Thresholds of the surveillance alerts: the `[surveillance]` table of the market
// configuration file (config/market.toml), one sub-table per alert. Every key is optional
// and has the default written here; docs/CONFIGURATION.md and docs/SURVEILLANCE.md say what
// each one means. A broken table gives an error naming the file, the line and the key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/core/types.h"

namespace ccx::surveillance {

/// Spoofing/layering: large orders entered and cancelled shortly before an auction, whose
/// entry or cancel moved the indicative price.
struct SpoofingRule {
  bool enabled = true;
  Qty min_qty = 1000;                 ///< an order this large (t-CO2, as entered) or larger
  int64_t window_seconds = 300;       ///< cancelled at most this long before the auction
  int64_t min_move_bps = 100;         ///< indicative price move (basis points) that counts
};

/// Marking the auction: orders entered in the last minutes that moved the indicative price
/// by at least the threshold and executed in the auction.
struct MarkingRule {
  bool enabled = true;
  int64_t window_seconds = 180;  ///< entered at most this long before the auction
  int64_t min_move_bps = 100;    ///< indicative price move caused by the order
};

/// Wash trades: one participant executing on both sides of the same auction.
struct WashTradeRule {
  bool enabled = true;
  Qty min_qty = 1;  ///< min(bought, sold) in the auction, t-CO2
};

/// Concentration: one participant with more than a share of an auction's volume.
struct ConcentrationRule {
  bool enabled = true;
  int64_t max_share_percent = 50;  ///< alert above this share (of bought, or of sold)
  Volume min_volume = 1000;        ///< auctions with less volume are not judged
};

/// Designated market makers pulling their two-sided quotes just before the auction.
struct QuotePullRule {
  bool enabled = true;
  int64_t window_seconds = 120;  ///< cancels at most this long before the auction
  /// An order this large counts as a quote; 0 = the category's market-maker obligation
  /// size (`mm_min_size`, MARKET_RULES §7).
  Qty min_quote_qty = 0;
};

struct SurveillanceConfig {
  SpoofingRule spoofing;
  MarkingRule marking;
  WashTradeRule wash_trade;
  ConcentrationRule concentration;
  QuotePullRule quote_pull;
};

/// Parses the `[surveillance]` table of a configuration held in memory; its absence gives
/// the defaults. Other tables are not looked at. `source_name` names the text in errors,
/// which are InvalidArgument "source:LINE: surveillance.spoofing.min_qty: must be ...".
absl::StatusOr<SurveillanceConfig> ParseSurveillanceConfig(std::string_view toml_text,
                                                           std::string_view source_name);

/// Reads the configuration file at `path` (NotFound when missing) and parses its
/// `[surveillance]` table.
absl::StatusOr<SurveillanceConfig> LoadSurveillanceConfig(const std::string& path);

}  // namespace ccx::surveillance
