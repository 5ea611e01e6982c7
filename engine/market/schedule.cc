#include "engine/market/schedule.h"

#include <cstdio>

namespace ccx {
namespace {
const absl::CivilDay kEpochDay(1970, 1, 1);

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

absl::CivilDay LocalDay(Timestamp t, int32_t offset_minutes) {
  const int64_t local = t + offset_minutes * kNanosPerMinute;
  return kEpochDay + FloorDiv(local, kNanosPerDay);
}

int64_t LocalNanosOfDay(Timestamp t, int32_t offset_minutes) {
  const int64_t local = t + offset_minutes * kNanosPerMinute;
  return local - FloorDiv(local, kNanosPerDay) * kNanosPerDay;
}

Timestamp LocalToTimestamp(absl::CivilDay day, MinuteOfDay minute, int32_t offset_minutes) {
  const int64_t days = day - kEpochDay;
  return days * kNanosPerDay + (minute - offset_minutes) * kNanosPerMinute;
}

bool ParseLocalDateTime(std::string_view text, int32_t offset_minutes, Timestamp* out) {
  std::string t(text);
  if (t.size() == 16) t += ":00";  // no seconds
  if (t.size() != 19 || (t[10] != 'T' && t[10] != ' ')) return false;
  t[10] = 'T';
  for (size_t i : {4u, 7u}) {
    if (t[i] != '-') return false;
  }
  for (size_t i : {13u, 16u}) {
    if (t[i] != ':') return false;
  }
  for (size_t i = 0; i < t.size(); ++i) {
    if (i == 4 || i == 7 || i == 10 || i == 13 || i == 16) continue;
    if (t[i] < '0' || t[i] > '9') return false;
  }
  absl::CivilSecond cs;
  if (!absl::ParseCivilTime(t, &cs)) return false;
  // absl normalises out-of-range fields (e.g. 25:00); reject those instead.
  if (absl::FormatCivilTime(cs) != t) return false;
  const absl::CivilDay day(cs);
  *out = LocalToTimestamp(day, static_cast<MinuteOfDay>(cs.hour() * 60 + cs.minute()),
                          offset_minutes) +
         cs.second() * kNanosPerSecond;
  return true;
}

std::string SessionName(absl::CivilDay day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", static_cast<int>(day.year()), day.month(), day.day());
  return buf;
}

std::string FormatLocalDateTime(Timestamp t, int32_t offset_minutes) {
  const absl::CivilDay day = LocalDay(t, offset_minutes);
  const int64_t ns = LocalNanosOfDay(t, offset_minutes);
  const int64_t s = ns / kNanosPerSecond;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", static_cast<int>(day.year()),
                day.month(), day.day(), static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60), static_cast<int>(ns / 1000000 % 1000));
  return buf;
}

bool ScheduleCursor::TradesOn(absl::CivilDay day) const {
  const int wd = static_cast<int>(absl::GetWeekday(day));  // Monday = 0 in absl
  return cfg_->weekdays[wd] && cal_->IsBusinessDay(day);
}

void ScheduleCursor::Reset(absl::CivilDay day) { Seek(day, 0); }

void ScheduleCursor::Advance() { Seek(day_, index_ + 1); }

void ScheduleCursor::Seek(absl::CivilDay day, int index) {
  const int per_day = TradesOn(day) ? 1 + 2 * static_cast<int>(cfg_->sessions.size()) : 1;
  if (index >= per_day) {
    day = day + 1;
    index = 0;
  }
  day_ = day;
  index_ = index;
  next_.session = 0;
  next_.last_auction = false;
  if (index == 0) {
    next_.kind = TransitionKind::kDayStart;
    next_.time = LocalToTimestamp(day, 0, offset_);
    return;
  }
  const int s = (index - 1) / 2;
  const bool auction = (index - 1) % 2 == 1;
  const Session& ses = cfg_->sessions[s];
  next_.kind = auction ? TransitionKind::kAuction : TransitionKind::kOpen;
  next_.session = static_cast<uint8_t>(s);
  next_.last_auction = auction && index == per_day - 1;
  next_.time = LocalToTimestamp(day, auction ? ses.auction : ses.open, offset_);
}

}  // namespace ccx
