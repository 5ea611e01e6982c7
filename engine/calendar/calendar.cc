// The trading calendar (MARKET_RULES §2). Japanese national holidays are computed from
// the rules of the 国民の祝日に関する法律 as amended over the years, in three passes
// per year:
//
//   1. 祝日 (national holidays proper): fixed dates, "Happy Monday" Mondays, the two
//      equinox days by formula, and the one-off days of special laws, which are
//      deemed 祝日.
//   2. 振替休日: a 祝日 on a Sunday makes the nearest following day that is not a
//      祝日 a holiday (before 2007: only the Monday, and only if it is not a 祝日).
//   3. 国民の休日: a day between two 祝日 that is not itself a 祝日, a Sunday or a
//      振替休日 is a holiday (from 1986).
//
// A year's holidays fit in a small fixed table, so the predicates below allocate
// nothing; only JapaneseHolidays() builds strings.
#include "engine/calendar/calendar.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "absl/strings/str_format.h"

namespace ccx {
namespace {

enum class Kind : uint8_t {
  kNewYear,
  kComingOfAge,
  kFoundation,
  kEmperorBirthday,
  kVernalEquinox,
  kShowa,
  kConstitution,
  kGreenery,
  kChildren,
  kMarine,
  kMountain,
  kRespectForAged,
  kAutumnalEquinox,
  kHealthSports,
  kSports,
  kCulture,
  kLaborThanksgiving,
  kShowaFuneral1989,
  kEnthronementCeremony1990,
  kRoyalWedding1993,
  kEnthronement2019,
  kEnthronementCeremony2019,
  // Not 祝日 themselves: the days made holidays by passes 2 and 3.
  kSubstitute,
  kCitizens,
};

struct Names {
  const char* ja;
  const char* en;
};

// Indexed by Kind.
constexpr Names kNames[] = {
    {"元日", "New Year's Day"},
    {"成人の日", "Coming of Age Day"},
    {"建国記念の日", "National Foundation Day"},
    {"天皇誕生日", "The Emperor's Birthday"},
    {"春分の日", "Vernal Equinox Day"},
    {"昭和の日", "Showa Day"},
    {"憲法記念日", "Constitution Memorial Day"},
    {"みどりの日", "Greenery Day"},
    {"こどもの日", "Children's Day"},
    {"海の日", "Marine Day"},
    {"山の日", "Mountain Day"},
    {"敬老の日", "Respect for the Aged Day"},
    {"秋分の日", "Autumnal Equinox Day"},
    {"体育の日", "Health and Sports Day"},
    {"スポーツの日", "Sports Day"},
    {"文化の日", "Culture Day"},
    {"勤労感謝の日", "Labor Thanksgiving Day"},
    {"昭和天皇の大喪の礼", "Funeral of Emperor Showa"},
    {"即位礼正殿の儀", "Enthronement Ceremony"},
    {"結婚の儀", "Wedding of Crown Prince Naruhito"},
    {"天皇の即位の日", "Enthronement Day"},
    {"即位礼正殿の儀の行われる日", "Enthronement Ceremony Day"},
    {"振替休日", "Substitute holiday"},
    {"国民の休日", "Citizens' holiday"},
};
static_assert(std::size(kNames) == static_cast<size_t>(Kind::kCitizens) + 1);

const Names& NamesOf(Kind kind) { return kNames[static_cast<size_t>(kind)]; }

struct Entry {
  absl::CivilDay day;
  Kind kind;
};

// The holidays of one year, sorted by date once Build() returns. 祝日 number at most
// 17 a year plus one-offs, substitutes and citizens' holidays: 32 is ample.
class YearTable {
 public:
  explicit YearTable(int year) { Build(year); }

  const Entry* begin() const { return entries_.data(); }
  const Entry* end() const { return entries_.data() + size_; }

  // The entry on `day`, or nullptr.
  const Entry* Find(absl::CivilDay day) const {
    for (const Entry& e : *this) {
      if (e.day == day) return &e;
    }
    return nullptr;
  }

 private:
  void Add(absl::CivilDay day, Kind kind) {
    if (size_ < entries_.size()) entries_[size_++] = Entry{day, kind};
  }
  bool IsShukujitsu(absl::CivilDay day) const {
    const Entry* e = Find(day);
    return e != nullptr && e->kind < Kind::kSubstitute;
  }
  void Sort() {
    std::sort(entries_.begin(), entries_.begin() + size_,
              [](const Entry& a, const Entry& b) { return a.day < b.day; });
  }
  void Build(int year);
  void AddShukujitsu(int year);
  void AddSubstitutes(int year);
  void AddCitizens(int year);

  std::array<Entry, 32> entries_{};
  size_t size_ = 0;
};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The `n`th (1-based) `weekday` of `month` in `year`.
absl::CivilDay NthWeekday(int year, int month, absl::Weekday weekday, int n) {
  const absl::CivilDay first(year, month, 1);
  const int offset =
      (static_cast<int>(weekday) - static_cast<int>(absl::GetWeekday(first)) + 7) % 7;
  return first + offset + 7 * (n - 1);
}

// Day of the month of an equinox by the formula valid for 1980–2099:
//   floor(base + 0.242194 * (y - 1980) - floor((y - 1980) / 4))
// evaluated exactly in millionths (base 20.8431 for March, 23.2488 for September).
int EquinoxDay(int year, int64_t base_millionths) {
  const int64_t n = year - 1980;
  const int64_t v = base_millionths + 242194 * n - 1000000 * FloorDiv(n, 4);
  return static_cast<int>(FloorDiv(v, 1000000));
}

void YearTable::Build(int year) {
  AddShukujitsu(year);
  Sort();
  AddSubstitutes(year);
  AddCitizens(year);
  Sort();
}

void YearTable::AddShukujitsu(int y) {
  using absl::CivilDay;
  const absl::Weekday monday = absl::Weekday::monday;
  Add(CivilDay(y, 1, 1), Kind::kNewYear);
  Add(y >= 2000 ? NthWeekday(y, 1, monday, 2) : CivilDay(y, 1, 15), Kind::kComingOfAge);
  Add(CivilDay(y, 2, 11), Kind::kFoundation);
  if (y >= 2020) Add(CivilDay(y, 2, 23), Kind::kEmperorBirthday);
  if (y >= 1989 && y <= 2018) Add(CivilDay(y, 12, 23), Kind::kEmperorBirthday);
  Add(CivilDay(y, 3, EquinoxDay(y, 20843100)), Kind::kVernalEquinox);
  Add(CivilDay(y, 4, 29), y >= 2007   ? Kind::kShowa
                          : y >= 1989 ? Kind::kGreenery
                                      : Kind::kEmperorBirthday);
  Add(CivilDay(y, 5, 3), Kind::kConstitution);
  if (y >= 2007) Add(CivilDay(y, 5, 4), Kind::kGreenery);
  Add(CivilDay(y, 5, 5), Kind::kChildren);
  // 海の日 from 1996; moved for the Tokyo Olympics in 2020 and 2021 by special law.
  if (y == 2020) {
    Add(CivilDay(y, 7, 23), Kind::kMarine);
  } else if (y == 2021) {
    Add(CivilDay(y, 7, 22), Kind::kMarine);
  } else if (y >= 2003) {
    Add(NthWeekday(y, 7, monday, 3), Kind::kMarine);
  } else if (y >= 1996) {
    Add(CivilDay(y, 7, 20), Kind::kMarine);
  }
  // 山の日 from 2016; moved in 2020 and 2021.
  if (y == 2020) {
    Add(CivilDay(y, 8, 10), Kind::kMountain);
  } else if (y == 2021) {
    Add(CivilDay(y, 8, 8), Kind::kMountain);
  } else if (y >= 2016) {
    Add(CivilDay(y, 8, 11), Kind::kMountain);
  }
  Add(y >= 2003 ? NthWeekday(y, 9, monday, 3) : CivilDay(y, 9, 15), Kind::kRespectForAged);
  Add(CivilDay(y, 9, EquinoxDay(y, 23248800)), Kind::kAutumnalEquinox);
  // 体育の日 until 2019, スポーツの日 from 2020 (in July in 2020 and 2021).
  if (y == 2020) {
    Add(CivilDay(y, 7, 24), Kind::kSports);
  } else if (y == 2021) {
    Add(CivilDay(y, 7, 23), Kind::kSports);
  } else if (y >= 2022) {
    Add(NthWeekday(y, 10, monday, 2), Kind::kSports);
  } else if (y >= 2000) {
    Add(NthWeekday(y, 10, monday, 2), Kind::kHealthSports);
  } else {
    Add(CivilDay(y, 10, 10), Kind::kHealthSports);
  }
  Add(CivilDay(y, 11, 3), Kind::kCulture);
  Add(CivilDay(y, 11, 23), Kind::kLaborThanksgiving);
  // One-off days of special laws, deemed 祝日.
  if (y == 1989) Add(CivilDay(1989, 2, 24), Kind::kShowaFuneral1989);
  if (y == 1990) Add(CivilDay(1990, 11, 12), Kind::kEnthronementCeremony1990);
  if (y == 1993) Add(CivilDay(1993, 6, 9), Kind::kRoyalWedding1993);
  if (y == 2019) {
    Add(CivilDay(2019, 5, 1), Kind::kEnthronement2019);
    Add(CivilDay(2019, 10, 22), Kind::kEnthronementCeremony2019);
  }
}

void YearTable::AddSubstitutes(int year) {
  const size_t shukujitsu = size_;
  for (size_t i = 0; i < shukujitsu; ++i) {
    const absl::CivilDay day = entries_[i].day;
    if (absl::GetWeekday(day) != absl::Weekday::sunday) continue;
    absl::CivilDay sub = day + 1;
    if (year >= 2007) {
      while (IsShukujitsu(sub)) ++sub;
    } else if (IsShukujitsu(sub)) {
      continue;
    }
    // Never leaves the year: no 祝日 falls on December 30 or 31.
    if (Find(sub) == nullptr) Add(sub, Kind::kSubstitute);
  }
}

void YearTable::AddCitizens(int year) {
  if (year < 1986) return;
  const size_t count = size_;
  for (size_t i = 0; i < count; ++i) {
    if (entries_[i].kind >= Kind::kSubstitute) continue;
    const absl::CivilDay middle = entries_[i].day + 1;
    if (!IsShukujitsu(middle + 1) || Find(middle) != nullptr) continue;
    if (absl::GetWeekday(middle) == absl::Weekday::sunday) continue;
    Add(middle, Kind::kCitizens);
  }
}

}  // namespace

std::vector<Holiday> JapaneseHolidays(int year) {
  std::vector<Holiday> out;
  for (const Entry& e : YearTable(year)) {
    const Names& names = NamesOf(e.kind);
    out.push_back(Holiday{e.day, names.ja, names.en});
  }
  return out;
}

bool IsJapaneseHoliday(absl::CivilDay day) {
  return YearTable(static_cast<int>(day.year())).Find(day) != nullptr;
}

std::string HolidayNameJa(absl::CivilDay day) {
  const YearTable table(static_cast<int>(day.year()));
  const Entry* e = table.Find(day);
  return e == nullptr ? std::string() : std::string(NamesOf(e->kind).ja);
}

TradingCalendar::TradingCalendar(std::vector<absl::CivilDay> extra_closures)
    : extra_closures_(std::move(extra_closures)) {
  std::sort(extra_closures_.begin(), extra_closures_.end());
  extra_closures_.erase(std::unique(extra_closures_.begin(), extra_closures_.end()),
                        extra_closures_.end());
}

namespace {

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

bool IsYearEndClosure(absl::CivilDay day) {
  return (day.month() == 12 && day.day() == 31) ||
         (day.month() == 1 && (day.day() == 2 || day.day() == 3));
}

}  // namespace

bool TradingCalendar::IsExtraClosure(absl::CivilDay day) const {
  return std::binary_search(extra_closures_.begin(), extra_closures_.end(), day);
}

bool TradingCalendar::IsBusinessDay(absl::CivilDay day) const {
  return !IsWeekend(day) && !IsYearEndClosure(day) && !IsExtraClosure(day) &&
         !IsJapaneseHoliday(day);
}

std::string TradingCalendar::NonBusinessReason(absl::CivilDay day) const {
  std::string holiday = HolidayNameJa(day);
  if (!holiday.empty()) return holiday;
  if (IsYearEndClosure(day)) return "year-end closure";
  if (IsExtraClosure(day)) return "extra closure";
  const absl::Weekday w = absl::GetWeekday(day);
  if (w == absl::Weekday::saturday) return "Saturday";
  if (w == absl::Weekday::sunday) return "Sunday";
  return std::string();
}

absl::CivilDay TradingCalendar::NextBusinessDay(absl::CivilDay day) const {
  // Terminates: closures are finite and every week past them has business days.
  do {
    ++day;
  } while (!IsBusinessDay(day));
  return day;
}

absl::CivilDay TradingCalendar::AddBusinessDays(absl::CivilDay day, int n) const {
  for (int i = 0; i < n; ++i) day = NextBusinessDay(day);
  return day;
}

absl::CivilDay TradingCalendar::SettlementDate(absl::CivilDay trade_date) const {
  return AddBusinessDays(trade_date, kSettlementBusinessDays);
}

std::vector<absl::CivilDay> TradingCalendar::BusinessDays(absl::CivilDay from,
                                                          absl::CivilDay to) const {
  std::vector<absl::CivilDay> out;
  for (absl::CivilDay day = from; day <= to; ++day) {
    if (IsBusinessDay(day)) out.push_back(day);
  }
  return out;
}

bool ParseIsoDate(std::string_view text, absl::CivilDay* out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int fields[3] = {0, 0, 0};
  const std::pair<size_t, size_t> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int f = 0; f < 3; ++f) {
    for (size_t i = spans[f].first; i < spans[f].first + spans[f].second; ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return false;
      fields[f] = fields[f] * 10 + (c - '0');
    }
  }
  const int y = fields[0], m = fields[1], d = fields[2];
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const absl::CivilDay day(y, m, d);  // normalizes, e.g. 02-30 becomes 03-02
  if (day.year() != y || day.month() != m || day.day() != d) return false;
  if (out != nullptr) *out = day;
  return true;
}

std::string FormatIsoDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace ccx
