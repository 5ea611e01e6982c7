// Scripted trading days on JCRE (reference price 3,019 JPY) for the surveillance tests.
// Each contains one behaviour that an alert targets, on top of the same honest book:
//
//   buys  PART01 700, PART02 700, PART03 600 @ 3100     D(p) = 2000 for p <= 3100
//   sells PART04 700, PART05 700, PART06 600 @ 2900     S(p) = 2000 for p >= 2900
//
// so V(p) = 2000 and Q(p) = 0 on the whole range 2900..3100: the clearing price is the
// base price 3019, volume 2000, and nobody has more than 35 % of it. With the default
// thresholds (SurveillanceConfig{}), Clean() raises nothing and each other day raises
// exactly one alert.
#pragma once

#include "tests/surveillance/session_script.h"

namespace ccx::test {

/// The start of a day as the exchange journals it: on the first day the configured
/// deposits (kLedger), then a clock input at 07:00 and at the 08:00 open.
inline void DayClock(SessionScript* s, absl::CivilDay day, bool first_day = true) {
  if (first_day) s->Deposits(Tokyo(6, 59, 0, 0, day));
  s->Clock(Tokyo(7, 0, 0, 0, day));
  s->Clock(Tokyo(8, 0, 0, 3, day));
}

inline void HonestBook(SessionScript* s, absl::CivilDay day = kFriday) {
  s->Enter(Tokyo(8, 30, 0, 0, day), "PART01", "B1", 'B', 700, "JCRE", 3100);
  s->Enter(Tokyo(8, 31, 0, 0, day), "PART02", "B2", 'B', 700, "JCRE", 3050);
  s->Enter(Tokyo(8, 32, 0, 0, day), "PART03", "B3", 'B', 600, "JCRE", 3100);
  s->Enter(Tokyo(8, 33, 0, 0, day), "PART04", "S1", 'S', 700, "JCRE", 2900);
  s->Enter(Tokyo(8, 34, 0, 0, day), "PART05", "S2", 'S', 700, "JCRE", 2900);
  s->Enter(Tokyo(8, 35, 0, 0, day), "PART06", "S3", 'S', 600, "JCRE", 2900);
  s->Replace(Tokyo(9, 30, 0, 0, day), "PART02", "B2", "B2b", 700, 3100);  // now the book above
}

inline void MorningAuction(SessionScript* s, absl::CivilDay day = kFriday) {
  s->Clock(Tokyo(11, 30, 0, 4, day));
}

inline void Afternoon(SessionScript* s, absl::CivilDay day = kFriday) {
  s->Clock(Tokyo(12, 30, 0, 2, day));
  s->Clock(Tokyo(15, 0, 0, 5, day));
}

/// Honest trading, a market maker quoting both sides all day, small late orders and a
/// small late cancel that move nothing: no alert.
inline SessionScript Clean() {
  SessionScript s;
  DayClock(&s, kFriday);
  s.Enter(Tokyo(8, 5), "MM0001", "Q1", 'B', 100, "JCRE", 2800);
  s.Enter(Tokyo(8, 5, 1), "MM0001", "Q2", 'S', 100, "JCRE", 3200);
  HonestBook(&s);
  s.Enter(Tokyo(9, 0), "PART07", "X1", 'B', 50, "JCRE", 2950);
  s.Enter(Tokyo(9, 1), "PART08", "X2", 'S', 40, "JCEE", 1700);  // another category, no trade
  s.Cancel(Tokyo(11, 28), "PART07", "X1");                      // small, moves nothing
  s.Enter(Tokyo(11, 29), "PART09", "L1", 'B', 30, "JCRE", 2850);  // late but below the range
  s.Replace(Tokyo(11, 29, 30), "MM0001", "Q1", "Q1b", 100, 2810);  // maker re-prices, still quotes
  MorningAuction(&s);
  Afternoon(&s);
  return s;
}

/// PART09 enters a sell of 5,000 @ 2900 at 11:26 (indicative 3019 -> 2900) and cancels it
/// at 11:29 (back to 3019): spoofing.
inline SessionScript Spoofing() {
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(11, 26), "PART09", "SP1", 'S', 5000, "JCRE", 2900);
  s.Cancel(Tokyo(11, 29), "PART09", "SP1");
  MorningAuction(&s);
  return s;
}

/// PART09 layers three sells of 1,500 at 2900/2950/3000 from 11:26 and pulls them all
/// from 11:29: one spoofing alert with three orders (layering).
inline SessionScript Layering() {
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(11, 26, 0), "PART09", "LY1", 'S', 1500, "JCRE", 2900);
  s.Enter(Tokyo(11, 26, 10), "PART09", "LY2", 'S', 1500, "JCRE", 2950);
  s.Enter(Tokyo(11, 26, 20), "PART09", "LY3", 'S', 1500, "JCRE", 3000);
  s.Cancel(Tokyo(11, 29, 0), "PART09", "LY1");
  s.Cancel(Tokyo(11, 29, 10), "PART09", "LY2");
  s.Cancel(Tokyo(11, 29, 20), "PART09", "LY3");
  MorningAuction(&s);
  return s;
}

/// PART09 buys 10 @ 3100 at 11:29:30: Q becomes +10 everywhere, the indicative price jumps
/// 3019 -> 3100 (268 bps) and its order executes (10 t) at 3100: marking the close.
inline SessionScript Marking() {
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(11, 29, 30), "PART09", "MK1", 'B', 10, "JCRE", 3100);
  MorningAuction(&s);
  return s;
}

/// PART01 also sells 300 @ 2900: it buys 700 and sells 300 in the same auction.
inline SessionScript WashTrade() {
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(10, 0), "PART01", "W1", 'S', 300, "JCRE", 2900);
  MorningAuction(&s);
  return s;
}

/// PART01 buys all 3,000 t the three sellers offer.
inline SessionScript Concentration() {
  SessionScript s;
  DayClock(&s, kFriday);
  s.Enter(Tokyo(8, 30), "PART01", "C1", 'B', 3000, "JCRE", 3100);
  s.Enter(Tokyo(8, 31), "PART04", "C2", 'S', 1000, "JCRE", 2900);
  s.Enter(Tokyo(8, 32), "PART05", "C3", 'S', 1000, "JCRE", 2900);
  s.Enter(Tokyo(8, 33), "PART06", "C4", 'S', 1000, "JCRE", 2900);
  MorningAuction(&s);
  return s;
}

/// Market maker MM0001 quotes both sides from 09:00 and pulls its sell quote at 11:29.
inline SessionScript QuotePull() {
  SessionScript s;
  DayClock(&s, kFriday);
  HonestBook(&s);
  s.Enter(Tokyo(9, 0), "MM0001", "Q1", 'B', 100, "JCRE", 2800);
  s.Enter(Tokyo(9, 0, 1), "MM0001", "Q2", 'S', 100, "JCRE", 3200);
  s.Cancel(Tokyo(11, 29), "MM0001", "Q2");
  MorningAuction(&s);
  return s;
}

}  // namespace ccx::test
