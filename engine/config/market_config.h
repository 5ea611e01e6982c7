// The market configuration (MARKET_RULES §1–§2): categories with their reference prices,
// auction times, trading weekdays, band, limits and allocation rule, plus market-wide
// settings. Loaded from TOML (config/market.toml is the shipped default) and validated;
// a broken file gives an error that names the key and the line.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "engine/core/types.h"

namespace ccx {

/// Minutes after local midnight (Asia/Tokyo by default), e.g. 11:30 = 690.
using MinuteOfDay = int32_t;

/// One acceptance phase followed by its call auction, e.g. 08:00 → 11:30.
struct Session {
  MinuteOfDay open = 0;     ///< start of the acceptance phase (inclusive)
  MinuteOfDay auction = 0;  ///< time of the call auction (acceptance ends just before)

  friend bool operator==(const Session&, const Session&) = default;
};

/// What a designated market maker must do in each acceptance phase (MARKET_RULES §7):
/// a buy and a sell order resting at the same time, each at least `min_size`, with the
/// spread (ask − bid) at most `max_spread_yen` yen, or, when that is 0,
/// `max_spread_percent` % of the base price; present at least `min_presence_percent` % of
/// the phase.
struct MarketMakerObligation {
  Qty min_size = 100;
  int max_spread_percent = 10;
  Price max_spread_yen = 0;
  int min_presence_percent = 80;
  /// The largest compliant spread in yen at base price `base`.
  Price MaxSpread(Price base) const {
    return max_spread_yen > 0 ? max_spread_yen
                              : static_cast<Price>(int64_t{base} * max_spread_percent / 100);
  }
};

struct CategoryConfig {
  std::string code;     ///< 1–8 ASCII characters: the `Stock` field on the wire
  std::string name_en;  ///< English name
  std::string name_ja;  ///< Japanese name (UTF-8)
  std::string program;  ///< credit program: "J-Credit", "J-VER", "GX", ...
  Price tick = 1;       ///< tick size in yen
  Qty unit = 1;         ///< trading unit in t-CO2
  Price reference_price = 0;  ///< base price until the first auction that executes
  int band_percent = 90;      ///< band half-width as a percentage of the base price
  Price floor = 0;            ///< absolute price floor (0 = none)
  Price ceiling = 0;          ///< absolute price ceiling (0 = none)
  Qty max_order_qty = 1'000'000;
  AllocationRule allocation = AllocationRule::kTse;
  /// Acceptance phases with their auctions, in time order (at least one).
  std::vector<Session> sessions;
  /// Trading weekdays, indexed by absl::Weekday order Monday=0 … Sunday=6.
  std::array<bool, 7> weekdays{true, true, true, true, true, false, false};
  /// Capacity of the order pool of this category's book (resting orders).
  uint32_t max_resting_orders = 262'144;
  /// Designated market makers (participant usernames; a participant's own `market_maker`
  /// list designates it too).
  std::vector<std::string> market_makers;
  /// Their obligation in this category.
  MarketMakerObligation mm_obligation;
};

struct MarketConfig {
  std::string name = "ccx";
  /// Fixed offset of the market's local time from UTC in minutes (Asia/Tokyo = +540; Japan
  /// has no daylight saving time, so a fixed offset is exact and keeps the engine pure).
  int32_t utc_offset_minutes = 540;
  /// Extra exchange closures on top of the computed calendar.
  std::vector<absl::CivilDay> extra_closures;
  std::vector<CategoryConfig> categories;

  /// The index of the category with this code, or -1.
  int FindCategory(std::string_view code) const;
};

/// Parses and validates a configuration held in memory (schema: docs/CONFIGURATION.md).
/// `source_name` names the text in error messages (usually the file path). Errors are
/// InvalidArgument and read like
/// "market.toml:12: category JCRE: reference_price: must be a positive multiple of tick (got 0)".
absl::StatusOr<MarketConfig> ParseMarketConfig(std::string_view toml_text,
                                               std::string_view source_name);

/// The text of the configuration file at `path`. NotFound when missing; InvalidArgument
/// "PATH: cannot open: ..." / "is a directory" / "read error" otherwise. Every loader of the
/// shared configuration file (market, settlement, surveillance) reads it through this.
absl::StatusOr<std::string> ReadConfigText(const std::string& path);

/// Reads and parses a configuration file (the only file I/O in engine/, done once at start).
/// A missing file is NotFound; everything else wrong is InvalidArgument.
absl::StatusOr<MarketConfig> LoadMarketConfig(const std::string& path);

/// "HH:MM" for a minute of the day (0 ≤ m < 1440; a negative m gets a leading '-').
std::string FormatMinuteOfDay(MinuteOfDay m);

}  // namespace ccx
