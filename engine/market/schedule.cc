#include "engine/market/schedule.h"

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
