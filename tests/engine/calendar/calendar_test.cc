// Tests of the trading calendar (engine/calendar): the Japanese national holidays as
// published by the Cabinet Office (内閣府「国民の祝日について」) for 2019–2030, business-day
// arithmetic, T+5 settlement across Golden Week and the year-end closure, and date I/O.
#include "engine/calendar/calendar.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ccx {
namespace {

absl::CivilDay D(const char* iso) {
  absl::CivilDay day;
  REQUIRE(ParseIsoDate(iso, &day));
  return day;
}

std::string Join(const std::vector<absl::CivilDay>& days) {
  std::string out;
  for (absl::CivilDay d : days) out += FormatIsoDate(d) + "\n";
  return out;
}

struct Expected {
  const char* month_day;
  const char* name_ja;
};

struct ExpectedYear {
  int year;
  std::vector<Expected> holidays;
};

// The published lists, typed in. The Cabinet Office lists substitute and citizens'
// holidays as 休日; here they carry their kind (振替休日, 国民の休日), and 2019-05-01
// (休日（祝日扱い）) and 2019-10-22 carry the names of the special law. Equinox days
// from 2027 on are the astronomical predictions; they are fixed officially each February
// for the following year.
const std::vector<ExpectedYear>& PublishedHolidays() {
  // clang-format off
  static const auto* const kYears = new std::vector<ExpectedYear>{
    {2019, {
        {"01-01", "元日"}, {"01-14", "成人の日"}, {"02-11", "建国記念の日"},
        {"03-21", "春分の日"}, {"04-29", "昭和の日"}, {"04-30", "国民の休日"},
        {"05-01", "天皇の即位の日"}, {"05-02", "国民の休日"}, {"05-03", "憲法記念日"},
        {"05-04", "みどりの日"}, {"05-05", "こどもの日"}, {"05-06", "振替休日"},
        {"07-15", "海の日"}, {"08-11", "山の日"}, {"08-12", "振替休日"},
        {"09-16", "敬老の日"}, {"09-23", "秋分の日"}, {"10-14", "体育の日"},
        {"10-22", "即位礼正殿の儀の行われる日"}, {"11-03", "文化の日"}, {"11-04", "振替休日"},
        {"11-23", "勤労感謝の日"}}},
    {2020, {
        {"01-01", "元日"}, {"01-13", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"02-24", "振替休日"}, {"03-20", "春分の日"},
        {"04-29", "昭和の日"}, {"05-03", "憲法記念日"}, {"05-04", "みどりの日"},
        {"05-05", "こどもの日"}, {"05-06", "振替休日"}, {"07-23", "海の日"},
        {"07-24", "スポーツの日"}, {"08-10", "山の日"}, {"09-21", "敬老の日"},
        {"09-22", "秋分の日"}, {"11-03", "文化の日"}, {"11-23", "勤労感謝の日"}}},
    {2021, {
        {"01-01", "元日"}, {"01-11", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"03-20", "春分の日"}, {"04-29", "昭和の日"},
        {"05-03", "憲法記念日"}, {"05-04", "みどりの日"}, {"05-05", "こどもの日"},
        {"07-22", "海の日"}, {"07-23", "スポーツの日"}, {"08-08", "山の日"},
        {"08-09", "振替休日"}, {"09-20", "敬老の日"}, {"09-23", "秋分の日"},
        {"11-03", "文化の日"}, {"11-23", "勤労感謝の日"}}},
    {2022, {
        {"01-01", "元日"}, {"01-10", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"03-21", "春分の日"}, {"04-29", "昭和の日"},
        {"05-03", "憲法記念日"}, {"05-04", "みどりの日"}, {"05-05", "こどもの日"},
        {"07-18", "海の日"}, {"08-11", "山の日"}, {"09-19", "敬老の日"},
        {"09-23", "秋分の日"}, {"10-10", "スポーツの日"}, {"11-03", "文化の日"},
        {"11-23", "勤労感謝の日"}}},
    {2023, {
        {"01-01", "元日"}, {"01-02", "振替休日"}, {"01-09", "成人の日"},
        {"02-11", "建国記念の日"}, {"02-23", "天皇誕生日"}, {"03-21", "春分の日"},
        {"04-29", "昭和の日"}, {"05-03", "憲法記念日"}, {"05-04", "みどりの日"},
        {"05-05", "こどもの日"}, {"07-17", "海の日"}, {"08-11", "山の日"},
        {"09-18", "敬老の日"}, {"09-23", "秋分の日"}, {"10-09", "スポーツの日"},
        {"11-03", "文化の日"}, {"11-23", "勤労感謝の日"}}},
    {2024, {
        {"01-01", "元日"}, {"01-08", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-12", "振替休日"}, {"02-23", "天皇誕生日"}, {"03-20", "春分の日"},
        {"04-29", "昭和の日"}, {"05-03", "憲法記念日"}, {"05-04", "みどりの日"},
        {"05-05", "こどもの日"}, {"05-06", "振替休日"}, {"07-15", "海の日"},
        {"08-11", "山の日"}, {"08-12", "振替休日"}, {"09-16", "敬老の日"},
        {"09-22", "秋分の日"}, {"09-23", "振替休日"}, {"10-14", "スポーツの日"},
        {"11-03", "文化の日"}, {"11-04", "振替休日"}, {"11-23", "勤労感謝の日"}}},
    {2025, {
        {"01-01", "元日"}, {"01-13", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"02-24", "振替休日"}, {"03-20", "春分の日"},
        {"04-29", "昭和の日"}, {"05-03", "憲法記念日"}, {"05-04", "みどりの日"},
        {"05-05", "こどもの日"}, {"05-06", "振替休日"}, {"07-21", "海の日"},
        {"08-11", "山の日"}, {"09-15", "敬老の日"}, {"09-23", "秋分の日"},
        {"10-13", "スポーツの日"}, {"11-03", "文化の日"}, {"11-23", "勤労感謝の日"},
        {"11-24", "振替休日"}}},
    {2026, {
        {"01-01", "元日"}, {"01-12", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"03-20", "春分の日"}, {"04-29", "昭和の日"},
        {"05-03", "憲法記念日"}, {"05-04", "みどりの日"}, {"05-05", "こどもの日"},
        {"05-06", "振替休日"}, {"07-20", "海の日"}, {"08-11", "山の日"},
        {"09-21", "敬老の日"}, {"09-22", "国民の休日"}, {"09-23", "秋分の日"},
        {"10-12", "スポーツの日"}, {"11-03", "文化の日"}, {"11-23", "勤労感謝の日"}}},
    {2027, {
        {"01-01", "元日"}, {"01-11", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"03-21", "春分の日"}, {"03-22", "振替休日"},
        {"04-29", "昭和の日"}, {"05-03", "憲法記念日"}, {"05-04", "みどりの日"},
        {"05-05", "こどもの日"}, {"07-19", "海の日"}, {"08-11", "山の日"},
        {"09-20", "敬老の日"}, {"09-23", "秋分の日"}, {"10-11", "スポーツの日"},
        {"11-03", "文化の日"}, {"11-23", "勤労感謝の日"}}},
    {2028, {
        {"01-01", "元日"}, {"01-10", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"03-20", "春分の日"}, {"04-29", "昭和の日"},
        {"05-03", "憲法記念日"}, {"05-04", "みどりの日"}, {"05-05", "こどもの日"},
        {"07-17", "海の日"}, {"08-11", "山の日"}, {"09-18", "敬老の日"},
        {"09-22", "秋分の日"}, {"10-09", "スポーツの日"}, {"11-03", "文化の日"},
        {"11-23", "勤労感謝の日"}}},
    {2029, {
        {"01-01", "元日"}, {"01-08", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-12", "振替休日"}, {"02-23", "天皇誕生日"}, {"03-20", "春分の日"},
        {"04-29", "昭和の日"}, {"04-30", "振替休日"}, {"05-03", "憲法記念日"},
        {"05-04", "みどりの日"}, {"05-05", "こどもの日"}, {"07-16", "海の日"},
        {"08-11", "山の日"}, {"09-17", "敬老の日"}, {"09-23", "秋分の日"},
        {"09-24", "振替休日"}, {"10-08", "スポーツの日"}, {"11-03", "文化の日"},
        {"11-23", "勤労感謝の日"}}},
    {2030, {
        {"01-01", "元日"}, {"01-14", "成人の日"}, {"02-11", "建国記念の日"},
        {"02-23", "天皇誕生日"}, {"03-20", "春分の日"}, {"04-29", "昭和の日"},
        {"05-03", "憲法記念日"}, {"05-04", "みどりの日"}, {"05-05", "こどもの日"},
        {"05-06", "振替休日"}, {"07-15", "海の日"}, {"08-11", "山の日"},
        {"08-12", "振替休日"}, {"09-16", "敬老の日"}, {"09-23", "秋分の日"},
        {"10-14", "スポーツの日"}, {"11-03", "文化の日"}, {"11-04", "振替休日"},
        {"11-23", "勤労感謝の日"}}},
  };
  // clang-format on
  return *kYears;
}

TEST_CASE("holidays match the published lists for 2019-2030", "[calendar]") {
  REQUIRE(PublishedHolidays().size() == 12);
  for (const ExpectedYear& y : PublishedHolidays()) {
    std::string expected;
    for (const Expected& e : y.holidays) {
      expected += std::to_string(y.year) + "-" + e.month_day + " " + e.name_ja + "\n";
    }
    std::string actual;
    for (const Holiday& h : JapaneseHolidays(y.year)) {
      actual += FormatIsoDate(h.day) + " " + h.name_ja + "\n";
    }
    INFO("year " << y.year);
    CHECK(actual == expected);
  }
}

TEST_CASE("holiday predicates agree with the yearly lists", "[calendar]") {
  for (const ExpectedYear& y : PublishedHolidays()) {
    const std::vector<Holiday> list = JapaneseHolidays(y.year);
    size_t next = 0;
    for (absl::CivilDay d(y.year, 1, 1); d.year() == y.year; ++d) {
      const bool listed = next < list.size() && list[next].day == d;
      INFO(FormatIsoDate(d));
      CHECK(IsJapaneseHoliday(d) == listed);
      CHECK(HolidayNameJa(d) == (listed ? list[next].name_ja : std::string()));
      if (listed) ++next;
    }
  }
}

TEST_CASE("every year 1980-2099 is sorted, named and plausible", "[calendar]") {
  for (int year = 1980; year <= 2099; ++year) {
    INFO("year " << year);
    const std::vector<Holiday> list = JapaneseHolidays(year);
    CHECK(list.size() >= 12);  // 12 祝日 before 1989
    int equinoxes = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      CHECK(list[i].day.year() == year);
      CHECK(!list[i].name_ja.empty());
      CHECK(!list[i].name_en.empty());
      if (i > 0) CHECK(list[i - 1].day < list[i].day);
      if (list[i].name_ja == "春分の日") {
        ++equinoxes;
        CHECK((list[i].day.month() == 3 && list[i].day.day() >= 19 && list[i].day.day() <= 21));
      }
      if (list[i].name_ja == "秋分の日") {
        ++equinoxes;
        CHECK((list[i].day.month() == 9 && list[i].day.day() >= 22 && list[i].day.day() <= 24));
      }
    }
    CHECK(equinoxes == 2);
  }
}

TEST_CASE("rule changes before 2019 and special cases", "[calendar]") {
  CHECK(HolidayNameJa(D("2018-12-23")) == "天皇誕生日");
  CHECK(HolidayNameJa(D("2018-12-24")) == "振替休日");
  CHECK(HolidayNameJa(D("2019-12-23")).empty());  // no Emperor's Birthday in 2019
  CHECK(HolidayNameJa(D("2006-04-29")) == "みどりの日");
  CHECK(HolidayNameJa(D("2006-05-04")) == "国民の休日");
  CHECK(HolidayNameJa(D("2007-04-29")) == "昭和の日");
  CHECK(HolidayNameJa(D("2007-05-04")) == "みどりの日");
  CHECK(HolidayNameJa(D("1999-01-15")) == "成人の日");
  CHECK(HolidayNameJa(D("2000-01-10")) == "成人の日");
  CHECK(HolidayNameJa(D("2019-10-14")) == "体育の日");
  CHECK(HolidayNameJa(D("2015-09-22")) == "国民の休日");
  CHECK(HolidayNameJa(D("2032-09-21")) == "国民の休日");
  // Since 2007 a Sunday holiday moves to the next day that is not a holiday.
  CHECK(HolidayNameJa(D("2008-05-06")) == "振替休日");  // May 4 was a Sunday
  CHECK(HolidayNameJa(D("2009-05-06")) == "振替休日");  // May 3 was a Sunday
  CHECK(HolidayNameJa(D("1998-05-04")) == "振替休日");  // May 3 was a Sunday
  CHECK(HolidayNameJa(D("1989-02-24")) == "昭和天皇の大喪の礼");
  CHECK_FALSE(IsJapaneseHoliday(D("2020-10-12")));  // Sports Day moved to July 24
  CHECK_FALSE(IsJapaneseHoliday(D("2021-08-11")));  // Mountain Day moved to August 8
  const std::vector<Holiday> y2019 = JapaneseHolidays(2019);
  CHECK(y2019[0].name_en == "New Year's Day");
}

TEST_CASE("business days: weekends, holidays and the year-end closure", "[calendar]") {
  const TradingCalendar cal;
  CHECK(cal.IsBusinessDay(D("2026-04-30")));
  CHECK_FALSE(cal.IsBusinessDay(D("2026-05-02")));  // Saturday
  CHECK_FALSE(cal.IsBusinessDay(D("2026-05-03")));  // Sunday and 憲法記念日
  CHECK_FALSE(cal.IsBusinessDay(D("2026-05-06")));  // 振替休日
  CHECK_FALSE(cal.IsBusinessDay(D("2026-09-22")));  // 国民の休日
  CHECK(cal.IsBusinessDay(D("2026-12-30")));
  CHECK_FALSE(cal.IsBusinessDay(D("2029-12-31")));  // Monday, closure
  CHECK_FALSE(cal.IsBusinessDay(D("2030-01-01")));  // Tuesday, 元日
  CHECK_FALSE(cal.IsBusinessDay(D("2030-01-02")));  // Wednesday, closure
  CHECK_FALSE(cal.IsBusinessDay(D("2030-01-03")));  // Thursday, closure
  CHECK(cal.IsBusinessDay(D("2030-01-04")));
  CHECK_FALSE(cal.IsBusinessDay(D("2027-01-11")));  // 成人の日
  CHECK(HolidayNameJa(D("2027-01-11")) == "成人の日");

  CHECK(cal.NonBusinessReason(D("2026-05-03")) == "憲法記念日");
  CHECK(cal.NonBusinessReason(D("2026-12-31")) == "year-end closure");
  CHECK(cal.NonBusinessReason(D("2026-05-09")) == "Saturday");
  CHECK(cal.NonBusinessReason(D("2026-05-10")) == "Sunday");
  CHECK(cal.NonBusinessReason(D("2026-05-11")).empty());
}

TEST_CASE("BusinessDays lists an inclusive range", "[calendar]") {
  const TradingCalendar cal;
  CHECK(Join(cal.BusinessDays(D("2026-04-27"), D("2026-05-12"))) ==
        "2026-04-27\n2026-04-28\n2026-04-30\n2026-05-01\n2026-05-07\n"
        "2026-05-08\n2026-05-11\n2026-05-12\n");
  CHECK(Join(cal.BusinessDays(D("2026-12-28"), D("2027-01-05"))) ==
        "2026-12-28\n2026-12-29\n2026-12-30\n2027-01-04\n2027-01-05\n");
  CHECK(Join(cal.BusinessDays(D("2026-05-12"), D("2026-05-12"))) == "2026-05-12\n");
  CHECK(cal.BusinessDays(D("2026-05-02"), D("2026-05-06")).empty());
  CHECK(cal.BusinessDays(D("2026-05-12"), D("2026-05-11")).empty());  // from after to
  // 261 weekdays, less 17 weekday holidays, less Jan 2 and Dec 31.
  CHECK(cal.BusinessDays(D("2026-01-01"), D("2026-12-31")).size() == 242);
}

TEST_CASE("T+5 settlement across Golden Week, holidays and the year-end", "[calendar]") {
  const TradingCalendar cal;
  // May 1, then May 7, 8, 11, 12 (May 4-6 holidays).
  CHECK(FormatIsoDate(cal.SettlementDate(D("2026-04-30"))) == "2026-05-12");
  // Apr 30 (29 is 昭和の日), May 1, 7, 8, 11.
  CHECK(FormatIsoDate(cal.SettlementDate(D("2026-04-28"))) == "2026-05-11");
  // Dec 28, 29, 30, Jan 4, Jan 5.
  CHECK(FormatIsoDate(cal.SettlementDate(D("2026-12-25"))) == "2027-01-05");
  // Dec 31 to Jan 3 closed on weekdays: Jan 4, 7, 8, 9, 10.
  CHECK(FormatIsoDate(cal.SettlementDate(D("2029-12-28"))) == "2030-01-10");
  // Jan 7, 8, 12 (11 is 成人の日), 13, 14.
  CHECK(FormatIsoDate(cal.SettlementDate(D("2027-01-06"))) == "2027-01-14");
  // Silver Week 2026: Sep 21-23 closed; Sep 24, 25, 28, 29, 30.
  CHECK(FormatIsoDate(cal.SettlementDate(D("2026-09-18"))) == "2026-09-30");
  // The sixth business day counting the trade date itself (MARKET_RULES §8).
  const std::vector<absl::CivilDay> days = cal.BusinessDays(D("2026-04-30"), D("2026-05-31"));
  CHECK(days[5] == cal.SettlementDate(D("2026-04-30")));
}

TEST_CASE("NextBusinessDay and AddBusinessDays", "[calendar]") {
  const TradingCalendar cal;
  CHECK(FormatIsoDate(cal.NextBusinessDay(D("2026-05-01"))) == "2026-05-07");
  CHECK(FormatIsoDate(cal.NextBusinessDay(D("2026-05-02"))) == "2026-05-07");
  CHECK(FormatIsoDate(cal.NextBusinessDay(D("2026-05-07"))) == "2026-05-08");
  CHECK(FormatIsoDate(cal.AddBusinessDays(D("2026-05-03"), 1)) == "2026-05-07");
  CHECK(FormatIsoDate(cal.AddBusinessDays(D("2026-05-03"), 5)) == "2026-05-13");
  CHECK(cal.AddBusinessDays(D("2026-05-03"), 0) == D("2026-05-03"));
}

TEST_CASE("extra closures are not business days", "[calendar]") {
  // Unsorted, with a duplicate and a closure that is already a holiday.
  const TradingCalendar cal({D("2026-05-08"), D("2026-05-07"), D("2026-05-08"), D("2026-05-05")});
  CHECK_FALSE(cal.IsBusinessDay(D("2026-05-07")));
  CHECK_FALSE(cal.IsBusinessDay(D("2026-05-08")));
  CHECK(cal.IsBusinessDay(D("2026-05-11")));
  CHECK(cal.NonBusinessReason(D("2026-05-07")) == "extra closure");
  CHECK(cal.NonBusinessReason(D("2026-05-05")) == "こどもの日");
  // May 1, 11, 12, 13, 14.
  CHECK(FormatIsoDate(cal.SettlementDate(D("2026-04-30"))) == "2026-05-14");
  CHECK(Join(cal.BusinessDays(D("2026-05-06"), D("2026-05-11"))) == "2026-05-11\n");
  // The default calendar is unaffected.
  CHECK(TradingCalendar().IsBusinessDay(D("2026-05-07")));
}

TEST_CASE("ParseIsoDate accepts only real YYYY-MM-DD dates", "[calendar]") {
  absl::CivilDay day;
  REQUIRE(ParseIsoDate("2026-05-12", &day));
  CHECK(day == absl::CivilDay(2026, 5, 12));
  CHECK(ParseIsoDate("2024-02-29", &day));
  CHECK(ParseIsoDate("2000-02-29", &day));
  CHECK(ParseIsoDate("2026-12-31", &day));
  for (const char* bad :
       {"",           "2026-02-29", "2026-02-30",   "2100-02-29",    "2026-04-31",    "2026-13-01",
        "2026-00-10", "2026-01-00", "2026-01-32",   "2026-2-03",     "2026-02-3",     "26-02-03",
        "20260203",   "2026/02/03", " 2026-02-03",  "2026-02-03 ",   "2026-02-03T00", "+026-02-03",
        "2026-0a-03", "2026--2-03", "2026-02-03\n", "２０２６-02-03"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(ParseIsoDate(bad, &day));
  }
  // An embedded NUL is not a terminator.
  CHECK_FALSE(ParseIsoDate(std::string_view("2026-02-0\0", 10), &day));
}

TEST_CASE("FormatIsoDate pads and round-trips", "[calendar]") {
  CHECK(FormatIsoDate(absl::CivilDay(2026, 1, 5)) == "2026-01-05");
  CHECK(FormatIsoDate(absl::CivilDay(999, 12, 1)) == "0999-12-01");
  for (absl::CivilDay d(2024, 1, 1); d.year() == 2024; ++d) {
    absl::CivilDay back;
    REQUIRE(ParseIsoDate(FormatIsoDate(d), &back));
    CHECK(back == d);
  }
}

}  // namespace
}  // namespace ccx
