// The day schedule of one category (MARKET_RULES §2) as a state machine driven by time
// passed in. Transitions of a trading day, for sessions s0..sn-1:
//
//   00:00        (any)         -> Closed, or NotTrading on a day the category does not trade
//   s0.open      Closed        -> Acceptance(0)
//   s0.auction   Acceptance(0) -> [auction 0] -> Intermission   (Closed after the last)
//   s1.open      Intermission  -> Acceptance(1)
//   s1.auction   Acceptance(1) -> [auction 1] -> Closed          (DAY orders expire)
//
// A day that is not a business day, or whose weekday the category does not trade, has only
// its 00:00 transition (phase NotTrading). Local time is UTC plus the market's fixed offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "engine/calendar/calendar.h"
#include "engine/config/market_config.h"
#include "engine/core/types.h"
#include "engine/market/events.h"

namespace ccx {

constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
constexpr int64_t kNanosPerDay = 1440 * kNanosPerMinute;

/// The local calendar day of `t` for a market at `offset_minutes` from UTC.
absl::CivilDay LocalDay(Timestamp t, int32_t offset_minutes);
/// Nanoseconds since local midnight of `t`.
int64_t LocalNanosOfDay(Timestamp t, int32_t offset_minutes);
/// The UTC timestamp of local `day` at `minute` (minutes since local midnight).
Timestamp LocalToTimestamp(absl::CivilDay day, MinuteOfDay minute, int32_t offset_minutes);

/// Parses local "YYYY-MM-DDTHH:MM:SS" (or with a space instead of 'T', or without seconds)
/// into a timestamp; false on anything else.
bool ParseLocalDateTime(std::string_view text, int32_t offset_minutes, Timestamp* out);
/// "YYYY-MM-DDTHH:MM:SS.mmm" local time of `t`.
std::string FormatLocalDateTime(Timestamp t, int32_t offset_minutes);

/// "YYYYMMDD": a trading date as the SoupBinTCP and MoldUDP64 session name.
std::string SessionName(absl::CivilDay day);

enum class TransitionKind : uint8_t { kDayStart, kOpen, kAuction };

/// The next scheduled transition of a category.
struct Transition {
  Timestamp time = 0;
  TransitionKind kind = TransitionKind::kOpen;
  uint8_t session = 0;
  bool last_auction = false;  ///< the day's last auction: DAY orders expire after it
};

/// Walks a category's transitions in time order, across days.
class ScheduleCursor {
 public:
  ScheduleCursor() = default;
  ScheduleCursor(const CategoryConfig* cfg, const TradingCalendar* cal, int32_t offset_minutes)
      : cfg_(cfg), cal_(cal), offset_(offset_minutes) {}

  /// Positions the cursor on the first transition at or after local midnight of `day`.
  void Reset(absl::CivilDay day);
  /// The pending transition (valid after Reset).
  const Transition& next() const { return next_; }
  /// Moves to the transition after next().
  void Advance();
  /// True when `day` is a trading day of this category (business day, trading weekday).
  bool TradesOn(absl::CivilDay day) const;
  absl::CivilDay day() const { return day_; }

 private:
  void Seek(absl::CivilDay day, int index);  // 0 = day start, 1 + 2*session (+1 = auction)

  const CategoryConfig* cfg_ = nullptr;
  const TradingCalendar* cal_ = nullptr;
  int32_t offset_ = 0;
  absl::CivilDay day_;
  int index_ = 0;
  Transition next_;
};

}  // namespace ccx
