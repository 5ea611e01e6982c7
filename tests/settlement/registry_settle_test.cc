// Registry: pre-trade reservations, unsettled obligations and T+5 settlement (netting,
// oldest-first block delivery with splits, cash, fails, conservation, determinism).
#include <catch2/catch.hpp>

#include <random>

#include "engine/calendar/calendar.h"
#include "settlement/registry.h"
#include "tests/settlement/settlement_test_util.h"

using namespace ccx;
using namespace ccx::settlement;
using namespace ccx::settlement::testing;

namespace {

const absl::CivilDay kFriday(2026, 5, 1);  // before Golden Week (May 4, 5, 6 are holidays)

std::string Serials(const Registry& r, ParticipantId p, const std::string& cat) {
  std::string out;
  for (const BlockRow& b : r.Blocks(p, Cat(cat))) {
    out += (out.empty() ? "" : " ") + b.project + ":" + std::to_string(b.first) + "-" +
           std::to_string(b.last);
  }
  return out;
}

// What order entry does for one trade with checks on: both orders reserve, execute, and
// the trade record follows. Returns false when a reservation is refused.
bool Trade(Registry& r, absl::CivilDay day, ParticipantId buyer, ParticipantId seller,
           const std::string& cat, Qty qty, Price price, Price buy_limit, MatchNumber match) {
  if (!r.ReserveSell(seller, Cat(cat), qty)) return false;
  if (!r.ReserveBuy(buyer, int64_t{buy_limit} * qty)) {
    r.ReleaseSell(seller, Cat(cat), qty);
    return false;
  }
  r.OnSellExecuted(seller, Cat(cat), qty);
  r.OnBuyExecuted(buyer, qty, price, buy_limit);
  r.OnTrade(TradeEvent(day, buyer, seller, cat, qty, price, match));
  return true;
}

}  // namespace

TEST_CASE("reservations while orders rest, released on cancel, expiry and execution",
          "[settlement][registry]") {
  Registry r(Market(), Users(3), CheckOptions{});
  const CategoryId jcre = Cat("JCRE");
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 100, "P", 1), 0, 1).ok());
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 1, 1'000'000), 0, 2).ok());

  CHECK(r.ReserveSell(0, jcre, 70));
  CHECK_FALSE(r.ReserveSell(0, jcre, 31));  // reject 'u'
  CHECK(r.CheckSell(0, jcre, 30));
  CHECK_FALSE(r.CheckSell(0, Cat("JCEE"), 1));
  CHECK(r.AvailableCredits(0, jcre) == 30);
  r.ReleaseSell(0, jcre, 20);  // cancel of 20
  CHECK(r.AvailableCredits(0, jcre) == 50);
  CHECK_FALSE(r.ReplaceSell(0, jcre, 50, 101));  // replace 50 → 101: refused, 50 kept
  CHECK(r.ReservedCredits(0, jcre) == 50);
  CHECK(r.ReplaceSell(0, jcre, 50, 100));
  CHECK(r.AvailableCredits(0, jcre) == 0);

  CHECK(r.ReserveBuy(1, 600'000));
  CHECK_FALSE(r.ReserveBuy(1, 400'001));  // reject 'n'
  CHECK(r.ReplaceBuy(1, 600'000, 1'000'000));
  CHECK_FALSE(r.ReplaceBuy(1, 1'000'000, 1'000'001));
  r.ReleaseBuy(1, 700'000);  // expiry of part of it
  CHECK(r.CashReserved(1) == 300'000);

  // 60 execute at 3,000 against a buy limit of 3,100 (reserved 100 × 3,100).
  r.ReleaseBuy(1, 300'000);
  REQUIRE(r.ReserveBuy(1, 100 * 3100));
  r.OnSellExecuted(0, jcre, 60);
  r.OnBuyExecuted(1, 60, 3000, 3100);
  r.OnTrade(TradeEvent(kFriday, 1, 0, "JCRE", 60, 3000, 1));
  // The sale still holds 60 until settlement, the purchase holds 180,000 yen.
  CHECK(r.ReservedCredits(0, jcre) == 100);
  CHECK(r.HeldCredits(0, jcre) == 100);
  CHECK(r.IncomingCredits(1, jcre) == 60);
  CHECK(r.AvailableCredits(1, jcre) == 0);
  CHECK(r.CashReserved(1) == 40 * 3100 + 60 * 3000);
  r.ReleaseSell(0, jcre, 40);  // the rest of the sell order expires
  r.ReleaseBuy(1, 40 * 3100);
  CHECK(r.AvailableCredits(0, jcre) == 40);
  CHECK(r.CashAvailable(1) == 1'000'000 - 180'000);
  CHECK(r.CheckInvariants().ok());

  r.SettleDue(absl::CivilDay(2026, 5, 13), At(absl::CivilDay(2026, 5, 13), 9), 3);
  CHECK(r.HeldCredits(0, jcre) == 40);
  CHECK(r.ReservedCredits(0, jcre) == 0);
  CHECK(r.AvailableCredits(1, jcre) == 60);
  CHECK(r.CashBalance(1) == 820'000);
  CHECK(r.CashReserved(1) == 0);
  CHECK(r.CashBalance(0) == 180'000);
  CHECK(r.CheckInvariants().ok());
}

TEST_CASE("T+5 across Golden Week: a Friday's trades settle on the fifth business day",
          "[settlement][registry]") {
  Registry r(Market(), Users(2), CheckOptions{false, false});
  const TradingCalendar cal(Market().extra_closures);
  CHECK(r.SettlementDateOf(kFriday) == absl::CivilDay(2026, 5, 13));
  r.OnTrade(TradeEvent(kFriday, 1, 0, "JCEE", 10, 1600, 1));
  r.OnTrade(TradeEvent(absl::CivilDay(2026, 5, 7), 1, 0, "JCEE", 5, 1600, 3));  // T+5 = 05-14
  REQUIRE(r.NextDueDate() == absl::CivilDay(2026, 5, 13));

  // Run the simulated clock through every day after the trade: nothing settles before the
  // fifth business day (May 2–6 are a weekend and three holidays).
  int business = 0;
  uint64_t seq = 10;
  for (absl::CivilDay d = kFriday + 1; d <= absl::CivilDay(2026, 5, 14); ++d) {
    if (!cal.IsBusinessDay(d)) continue;
    ++business;
    const SettleSummary s = r.SettleDue(d, At(d, 9), seq++);
    INFO(FormatIsoDate(d));
    if (d == absl::CivilDay(2026, 5, 13)) {
      CHECK(business == 5);
      CHECK(s.dates == 1);
      CHECK(s.trades == 1);
    } else if (d == absl::CivilDay(2026, 5, 14)) {
      CHECK(s.trades == 1);
    } else {
      CHECK(s.dates == 0);
    }
  }
  CHECK_FALSE(r.NextDueDate().has_value());
  CHECK(r.SettleDue(absl::CivilDay(2026, 5, 14), 0, seq).dates == 0);  // once only
}

TEST_CASE("a server started days later settles everything that fell due, date by date",
          "[settlement][registry]") {
  Registry r(Market(), Users(2), CheckOptions{false, false});
  r.OnTrade(TradeEvent(kFriday, 1, 0, "JCEE", 10, 1600, 1));
  r.OnTrade(TradeEvent(absl::CivilDay(2026, 5, 7), 1, 0, "JCEE", 5, 1600, 3));
  const SettleSummary s = r.SettleDue(absl::CivilDay(2026, 5, 20), 0, 7);
  CHECK(s.dates == 2);
  const auto batches = r.TakeChanges();
  REQUIRE(batches.back().settlements.size() == 2);
  CHECK(batches.back().settlements[0].date == absl::CivilDay(2026, 5, 13));
  CHECK(batches.back().settlements[1].date == absl::CivilDay(2026, 5, 14));
}

TEST_CASE("settlement moves the sellers' oldest blocks, split as needed, to the buyers",
          "[settlement][registry]") {
  Registry r(Market(), Users(4), CheckOptions{});
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 30, "A", 1), 0, 1).ok());      // PART01, oldest
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 50, "B", 101), 0, 2).ok());    // PART01
  REQUIRE(r.Apply(DepositCredits(1, "JCRE", 20, "C", 1001), 0, 3).ok());   // PART02
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 2, 500'000), 0, 4).ok());
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 3, 500'000), 0, 5).ok());
  r.BeginInput(6, At(kFriday, 15));
  REQUIRE(Trade(r, kFriday, 2, 0, "JCRE", 40, 3000, 3000, 1));  // PART03 buys 40 from PART01
  REQUIRE(Trade(r, kFriday, 3, 0, "JCRE", 15, 3010, 3100, 3));  // PART04 buys 15 from PART01
  REQUIRE(Trade(r, kFriday, 3, 1, "JCRE", 10, 3000, 3100, 5));  // PART04 buys 10 from PART02
  CHECK_FALSE(Trade(r, kFriday, 3, 1, "JCRE", 11, 3000, 3100, 7));  // PART02 has only 10 left

  const SettleSummary s = r.SettleDue(absl::CivilDay(2026, 5, 13), At(absl::CivilDay(2026, 5, 13), 9), 7);
  CHECK(s.trades == 3);
  CHECK(s.fails == 0);
  // Delivery pool in order: PART01's A:1-30, B:101-125 (split), PART02's C:1001-1010.
  // Buyers by participant id: PART03 takes 40, PART04 takes 25.
  CHECK(Serials(r, 0, "JCRE") == "B:126-150");
  CHECK(Serials(r, 1, "JCRE") == "C:1011-1020");
  CHECK(Serials(r, 2, "JCRE") == "A:1-30 B:101-110");
  CHECK(Serials(r, 3, "JCRE") == "B:111-125 C:1001-1010");
  CHECK(r.CashBalance(0) == 40 * 3000 + 15 * 3010);
  CHECK(r.CashBalance(1) == 10 * 3000);
  CHECK(r.CashBalance(2) == 500'000 - 40 * 3000);
  CHECK(r.CashBalance(3) == 500'000 - 15 * 3010 - 10 * 3000);
  CHECK(r.CheckInvariants().ok());

  const std::vector<ChangeBatch> batches = r.TakeChanges();
  const ChangeBatch& last = batches.back();
  CHECK(last.journal_seq == 7);
  REQUIRE(last.settlements.size() == 1);
  const SettlementReport& rep = last.settlements[0];
  CHECK(rep.trades.size() == 3);
  CHECK(rep.trade_dates == std::vector<absl::CivilDay>{kFriday});
  REQUIRE(rep.moves.size() == 4);
  CHECK(rep.moves[1].from == 0);
  CHECK(rep.moves[1].to == 2);
  CHECK(rep.moves[1].first == 101);
  CHECK(rep.moves[1].last == 110);
  CHECK(rep.moves[3].from == 1);
  REQUIRE(rep.participants.size() == 4);
  CHECK(rep.participants[3].purchases_yen == 75'150);
  CHECK(rep.participants[3].paid_yen == 75'150);
  CHECK(rep.participants[0].received_yen == 165'150);
  CHECK(rep.participants[0].categories[0].delivered == 55);
}

TEST_CASE("obligations are netted per participant: credits per category, cash in total",
          "[settlement][registry]") {
  Registry r(Market(), Users(3), CheckOptions{});
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 20, "R", 1), 0, 1).ok());
  REQUIRE(r.Apply(DepositCredits(2, "JCRE", 15, "R", 101), 0, 2).ok());
  REQUIRE(r.Apply(DepositCredits(2, "JCEE", 8, "E", 1), 0, 3).ok());
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 0, 100'000), 0, 4).ok());
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 1, 100'000), 0, 5).ok());
  REQUIRE(Trade(r, kFriday, 1, 0, "JCRE", 20, 3000, 3000, 1));  // PART01 sells 20
  REQUIRE(Trade(r, kFriday, 0, 2, "JCRE", 15, 3000, 3000, 3));  // PART01 buys 15
  REQUIRE(Trade(r, kFriday, 0, 2, "JCEE", 8, 1600, 1600, 5));   // and 8 JCEE
  r.SettleDue(absl::CivilDay(2026, 5, 13), 0, 6);
  const auto rep = r.TakeChanges().back().settlements.at(0);
  // PART01 delivers only its net 5 JCRE (its oldest serials 1-5 go, the rest stays).
  CHECK(Serials(r, 0, "JCRE") == "R:6-20");
  CHECK(Serials(r, 0, "JCEE") == "E:1-8");
  CHECK(Serials(r, 1, "JCRE") == "R:1-5 R:101-115");
  CHECK(Serials(r, 2, "JCRE") == "");
  // Cash: PART01 sold 60,000 and bought 45,000 + 12,800: receives its net 2,200.
  CHECK(rep.participants[0].sales_yen == 60'000);
  CHECK(rep.participants[0].purchases_yen == 57'800);
  CHECK(rep.participants[0].received_yen == 2'200);
  CHECK(r.CashBalance(0) == 102'200);
  CHECK(r.CheckInvariants().ok());
}

TEST_CASE("with the checks off, shortfalls become recorded fails, never silently dropped",
          "[settlement][registry]") {
  Registry r(Market(), Users(3), CheckOptions{false, false});
  REQUIRE(r.Apply(DepositCredits(0, "JCFO", 10, "F", 1), 0, 1).ok());
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 1, 50'000), 0, 2).ok());
  REQUIRE(r.ReserveSell(0, Cat("JCFO"), 25));  // always succeeds with the check off
  CHECK(r.AvailableCredits(0, Cat("JCFO")) == -15);
  REQUIRE(Trade(r, kFriday, 1, 0, "JCFO", 20, 8000, 8000, 1));
  REQUIRE(Trade(r, kFriday, 2, 0, "JCFO", 5, 8000, 8000, 3));
  const SettleSummary s = r.SettleDue(absl::CivilDay(2026, 5, 13), 0, 4);
  CHECK(s.fails == 6);
  const auto rep = r.TakeChanges().back().settlements.at(0);
  auto fail = [&](ParticipantId p, FailKind k) -> int64_t {
    for (const SettlementFail& f : rep.fails) {
      if (f.participant == p && f.kind == k) return f.shortfall;
    }
    return -1;
  };
  CHECK(fail(0, FailKind::kDeliverCredits) == 15);  // owed 25, held 10
  CHECK(fail(1, FailKind::kReceiveCredits) == 10);  // PART02 (first by id) got 10 of 20
  CHECK(fail(2, FailKind::kReceiveCredits) == 5);   // PART03 got nothing
  CHECK(fail(1, FailKind::kPayCash) == 110'000);    // owed 160,000, had 50,000
  CHECK(fail(2, FailKind::kPayCash) == 40'000);     // had nothing
  CHECK(fail(0, FailKind::kCollectCash) == 150'000);  // due 200,000, the payers paid 50,000
  CHECK(Serials(r, 1, "JCFO") == "F:1-10");
  CHECK(r.CashBalance(0) == 50'000);
  CHECK(r.CashBalance(1) == 0);
  CHECK(r.CheckInvariants().ok());
}

TEST_CASE("conservation over random days of deposits, trading, settlement and retirement",
          "[settlement][registry]") {
  constexpr int kUsers = 12;
  std::mt19937_64 rng(20260501);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  const std::vector<std::string> cats = {"JCEE", "JCRE", "JCFO"};
  Registry a(Market(), Users(kUsers), CheckOptions{});
  Registry b(Market(), Users(kUsers), CheckOptions{});  // fed the same: must end identical
  uint64_t seq = 1, serial = 1, match = 1;
  int64_t cash_total = 0, credits_total = 0, withdrawn = 0, retired = 0;
  const TradingCalendar cal(Market().extra_closures);
  absl::CivilDay day(2026, 4, 20);
  auto both = [&](const LedgerOp& op) {
    const absl::Status sa = a.Apply(op, 0, seq), sb = b.Apply(op, 0, seq);
    ++seq;
    REQUIRE(sa.ok() == sb.ok());
    return sa.ok();
  };
  for (int p = 0; p < kUsers; ++p) {
    REQUIRE(both(Cash(LedgerOpType::kDepositCash, static_cast<ParticipantId>(p), 5'000'000)));
    cash_total += 5'000'000;
    for (const std::string& c : cats) {
      const int64_t q = 50 + pick(200);
      REQUIRE(both(DepositCredits(static_cast<ParticipantId>(p), c, q, "PRJ-" + c, serial)));
      serial += static_cast<uint64_t>(q) + static_cast<uint64_t>(pick(3));
      credits_total += q;
    }
  }
  for (int d = 0; d < 25; ++d, day = cal.NextBusinessDay(day)) {
    for (Registry* r : {&a, &b}) r->SettleDue(day, At(day, 9), seq);
    ++seq;
    for (int i = 0; i < 60; ++i) {
      const auto buyer = static_cast<ParticipantId>(pick(kUsers));
      const auto seller = static_cast<ParticipantId>(pick(kUsers));
      const std::string& c = cats[static_cast<size_t>(pick(3))];
      const Qty q = static_cast<Qty>(1 + pick(40));
      const Price price = 1000 + pick(3000);
      const Price limit = price + pick(100);
      const bool ta = Trade(a, day, buyer, seller, c, q, price, limit, match);
      const bool tb = Trade(b, day, buyer, seller, c, q, price, limit, match);
      REQUIRE(ta == tb);  // refusals (no credits, no cash) are part of the determinism
      match += 2;
    }
    if (pick(3) == 0) {  // a withdrawal or a retirement, oldest first
      const auto p = static_cast<ParticipantId>(pick(kUsers));
      const std::string& c = cats[static_cast<size_t>(pick(3))];
      const int64_t avail = a.AvailableCredits(p, Cat(c));
      if (avail > 0 && avail == b.AvailableCredits(p, Cat(c))) {
        const bool retire = pick(2) == 0;
        const int64_t q = 1 + pick(static_cast<int>(avail));
        REQUIRE(both(Take(retire ? LedgerOpType::kRetire : LedgerOpType::kWithdrawCredits, p, c, q)));
        (retire ? retired : withdrawn) += q;
      }
    }
    REQUIRE(a.CheckInvariants().ok());
    REQUIRE(a.StateHash() == b.StateHash());
  }
  a.SettleDue(day + 30, 0, seq);
  REQUIRE(a.CheckInvariants().ok());
  int64_t cash = 0, held = 0, ret = 0;
  for (ParticipantId p = 0; p < kUsers; ++p) {
    cash += a.CashBalance(p);
    for (const std::string& c : cats) {
      held += a.HeldCredits(p, Cat(c));
      ret += a.RetiredCredits(p, Cat(c));
      CHECK(a.ReservedCredits(p, Cat(c)) == 0);
    }
    CHECK(a.CashReserved(p) == 0);
  }
  CHECK(cash == cash_total);
  CHECK(ret == retired);
  CHECK(held + ret + withdrawn == credits_total);
}

TEST_CASE("the same inputs give the same ledger and the same change batches",
          "[settlement][registry]") {
  auto run = [] {
    Registry r(Market(), Users(3), CheckOptions{});
    REQUIRE(r.Apply(DepositCredits(0, "JCRE", 30, "A", 1), 0, 1).ok());
    REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 1, 500'000), 0, 2).ok());
    r.BeginInput(3, At(kFriday, 15));
    REQUIRE(Trade(r, kFriday, 1, 0, "JCRE", 12, 3000, 3000, 1));
    r.SettleDue(absl::CivilDay(2026, 5, 13), 0, 4);
    std::string trace;
    for (const ChangeBatch& b : r.TakeChanges()) {
      trace += std::to_string(b.journal_seq) + ":" + std::to_string(b.blocks.size()) + "/" +
               std::to_string(b.cash.size()) + "/" + std::to_string(b.trades.size()) + "/" +
               std::to_string(b.settlements.size()) + "/" + std::to_string(b.audit.size()) + " ";
    }
    return std::make_pair(r.StateHash(), trace);
  };
  const auto one = run(), two = run();
  CHECK(one == two);
  CHECK(one.second == "1:1/0/0/0/1 2:0/1/0/0/1 3:0/0/1/0/0 4:2/2/0/1/1 ");
}
