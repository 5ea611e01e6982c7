// The trading calendar (MARKET_RULES §2): Japanese national holidays computed by rule,
// the exchange's year-end closure, extra closures from configuration, business-day
// arithmetic and the T+5 settlement date. Pure computation; no tables typed in except
// the one-off holidays fixed by special laws (1989, 1990, 1993, 2019–2021). Outside
// 1980–2099 the rules are merely extrapolated. See docs/CALENDAR.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"

namespace ccx {

struct Holiday {
  absl::CivilDay day;
  std::string name_ja;  ///< e.g. "元日", "振替休日", "国民の休日"
  std::string name_en;  ///< e.g. "New Year's Day", "Substitute holiday"
};

/// Japanese national holidays of `year` (including substitute and citizens' holidays),
/// sorted by date. Valid for 1980–2099 (equinox formula range).
std::vector<Holiday> JapaneseHolidays(int year);

/// True when `day` is a Japanese national holiday.
bool IsJapaneseHoliday(absl::CivilDay day);

/// Name (Japanese) of the holiday on `day`, or empty when it is none.
std::string HolidayNameJa(absl::CivilDay day);

/// The exchange calendar: business days are Monday–Friday except national holidays,
/// December 31, January 2 and January 3, and the extra closures.
class TradingCalendar {
 public:
  TradingCalendar() = default;
  explicit TradingCalendar(std::vector<absl::CivilDay> extra_closures);

  /// True on a business day of the exchange.
  bool IsBusinessDay(absl::CivilDay day) const;
  /// The business day `n` business days after `day` (n >= 1); `day` itself need not be one.
  /// n <= 0 returns `day` unchanged.
  absl::CivilDay AddBusinessDays(absl::CivilDay day, int n) const;
  /// The next business day strictly after `day`.
  absl::CivilDay NextBusinessDay(absl::CivilDay day) const;
  /// Settlement date of a trade on `trade_date`: the fifth business day after it (T+5).
  absl::CivilDay SettlementDate(absl::CivilDay trade_date) const;
  /// Business days in [from, to], both inclusive, in order.
  std::vector<absl::CivilDay> BusinessDays(absl::CivilDay from, absl::CivilDay to) const;
  /// Why `day` is not a business day: the holiday's Japanese name, "year-end closure",
  /// "extra closure", "Saturday" or "Sunday" (first that applies); empty on a business day.
  std::string NonBusinessReason(absl::CivilDay day) const;

  /// Business days from trade date to settlement date (MARKET_RULES §8).
  static constexpr int kSettlementBusinessDays = 5;

 private:
  bool IsExtraClosure(absl::CivilDay day) const;

  std::vector<absl::CivilDay> extra_closures_;  // sorted
};

/// Parses "YYYY-MM-DD" strictly (real calendar date); false on anything else.
bool ParseIsoDate(std::string_view text, absl::CivilDay* out);
/// "YYYY-MM-DD".
std::string FormatIsoDate(absl::CivilDay day);

}  // namespace ccx
