// Registry ledger operations: deposits, withdrawals and retirements are validated before
// anything changes, serials are never in two places, retired serials never move again.
#include <catch2/catch.hpp>

#include "settlement/registry.h"
#include "tests/settlement/settlement_test_util.h"

using namespace ccx;
using namespace ccx::settlement;
using namespace ccx::settlement::testing;

namespace {

Registry Make(CheckOptions checks = {}) { return Registry(Market(), Users(3), checks); }

std::string Serials(const Registry& r, ParticipantId p, const std::string& cat) {
  std::string out;
  for (const BlockRow& b : r.Blocks(p, Cat(cat))) {
    out += (out.empty() ? "" : " ") + std::to_string(b.first) + "-" + std::to_string(b.last) +
           (b.retired ? "R" : "");
  }
  return out;
}

// Applies `op` expecting a refusal containing `words`, and checks nothing changed.
void Refused(Registry& r, const LedgerOp& op, const std::string& words) {
  const uint64_t before = r.StateHash();
  absl::Status st = r.Apply(op, 0, 99);
  INFO(st.message());
  REQUIRE_FALSE(st.ok());
  CHECK_THAT(std::string(st.message()), Catch::Contains(words));
  CHECK(r.StateHash() == before);
  CHECK(r.CheckInvariants().ok());
}

}  // namespace

TEST_CASE("deposits of serial blocks and overlap refusals", "[settlement][registry]") {
  Registry r = Make();
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 100, "JPN-RE-1", 1001), 0, 1).ok());
  CHECK(r.HeldCredits(0, Cat("JCRE")) == 100);
  CHECK(r.AvailableCredits(0, Cat("JCRE")) == 100);
  CHECK(Serials(r, 0, "JCRE") == "1001-1100");

  // Any overlap with serials already in the ledger, whoever holds them, is refused.
  Refused(r, DepositCredits(1, "JCRE", 10, "JPN-RE-1", 1095), "overlap serials 1001-1100");
  Refused(r, DepositCredits(1, "JCRE", 10, "JPN-RE-1", 995), "held by PART01 in JCRE");
  Refused(r, DepositCredits(0, "JCRE", 1, "JPN-RE-1", 1100), "overlap");
  // The same numbers in another project, or adjacent ones, are other credits.
  REQUIRE(r.Apply(DepositCredits(1, "JCRE", 10, "JPN-RE-2", 1001), 0, 2).ok());
  REQUIRE(r.Apply(DepositCredits(1, "JCRE", 10, "JPN-RE-1", 1101), 0, 3).ok());
  REQUIRE(r.Apply(DepositCredits(1, "JCRE", 10, "JPN-RE-1", 991), 0, 4).ok());
  CHECK(r.CheckInvariants().ok());
}

TEST_CASE("bad deposits say what is wrong and change nothing", "[settlement][registry]") {
  Registry r = Make();
  LedgerOp op = DepositCredits(0, "JVFO", 10, "JVER-1", 1);
  SetField(op.program, "J-Credit");
  Refused(r, op, "category JVFO holds J-VER credits, not J-Credit");
  Refused(r, DepositCredits(0, "JCRE", 10, "P", 1, 1980), "vintage must be a year from 1990");
  op = DepositCredits(0, "JCRE", 10, "P", 1);
  op.quantity = 0;
  Refused(r, op, "quantity must be from 1");
  op = DepositCredits(0, "JCRE", 10, "P", 1);
  op.last_serial = 20;
  Refused(r, op, "do not make 10 t-CO2");
  Refused(r, DepositCredits(7, "JCRE", 10, "P", 1), "unknown participant id 7");
  op = DepositCredits(0, "JCRE", 10, "", 1);
  Refused(r, op, "project: required");
  op = DepositCredits(0, "JCRE", 10, "P", 1);
  SetField(op.actor, "");
  Refused(r, op, "actor: required");
  Refused(r, Cash(LedgerOpType::kDepositCash, 0, 0), "amount must be from 1");
  Refused(r, DepositCredits(0, "JCRE", 10, "P\nQ", 1), "project: must not contain control characters");
  op = DepositCredits(0, "JCRE", 10, "P", uint64_t{1} << 63);
  Refused(r, op, "serials must be below 2^63");
}

TEST_CASE("withdrawals take the oldest deposits first or exactly the serials asked",
          "[settlement][registry]") {
  Registry r = Make();
  const CategoryId jcre = Cat("JCRE");
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 50, "A", 1), 0, 1).ok());
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 50, "B", 1), 0, 2).ok());
  REQUIRE(r.Apply(Take(LedgerOpType::kWithdrawCredits, 0, "JCRE", 60), 0, 3).ok());
  // All of A (oldest), then the first 10 serials of B.
  CHECK(Serials(r, 0, "JCRE") == "11-50");
  CHECK(r.HeldCredits(0, jcre) == 40);
  // The withdrawn serials left the ledger: they may be deposited again (by anyone).
  REQUIRE(r.Apply(DepositCredits(1, "JCRE", 50, "A", 1), 0, 4).ok());

  // A range from the middle of a block leaves both ends in place.
  REQUIRE(r.Apply(Take(LedgerOpType::kWithdrawCredits, 0, "JCRE", 5, "B", 21), 0, 5).ok());
  CHECK(Serials(r, 0, "JCRE") == "11-20 26-50");
  Refused(r, Take(LedgerOpType::kWithdrawCredits, 0, "JCRE", 5, "B", 21), "not in the ledger");
  Refused(r, Take(LedgerOpType::kWithdrawCredits, 0, "JCRE", 5, "A", 1), "held by PART02 in JCRE");
  Refused(r, Take(LedgerOpType::kWithdrawCredits, 0, "JCRE", 36), "has 35 t-CO2 of JCRE available");
  // Serials spanning two adjacent blocks of the same holder are fine.
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 10, "C", 1), 0, 6).ok());
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 10, "C", 11), 0, 7).ok());
  REQUIRE(r.Apply(Take(LedgerOpType::kWithdrawCredits, 0, "JCRE", 10, "C", 6), 0, 8).ok());
  CHECK(Serials(r, 0, "JCRE") == "11-20 26-50 1-5 16-20");
  CHECK(r.CheckInvariants().ok());
}

TEST_CASE("retired serials can never move again", "[settlement][registry]") {
  Registry r = Make();
  REQUIRE(r.Apply(DepositCredits(0, "JCFO", 100, "FOREST-9", 5001), 0, 1).ok());
  LedgerOp no_purpose = Take(LedgerOpType::kRetire, 0, "JCFO", 10);
  SetField(no_purpose.reason, "");
  Refused(r, no_purpose, "a purpose is required");
  REQUIRE(r.Apply(Take(LedgerOpType::kRetire, 0, "JCFO", 30, "FOREST-9", 5011), 0, 2).ok());
  CHECK(Serials(r, 0, "JCFO") == "5001-5010 5041-5100 5011-5040R");
  CHECK(r.HeldCredits(0, Cat("JCFO")) == 70);
  CHECK(r.AvailableCredits(0, Cat("JCFO")) == 70);
  CHECK(r.RetiredCredits(0, Cat("JCFO")) == 30);
  const auto blocks = r.Blocks(0, Cat("JCFO"));
  CHECK(blocks.back().purpose == "offsetting FY2025 emissions");

  Refused(r, Take(LedgerOpType::kWithdrawCredits, 0, "JCFO", 5, "FOREST-9", 5020),
          "are retired (by PART01) and can never move again");
  Refused(r, Take(LedgerOpType::kRetire, 0, "JCFO", 1, "FOREST-9", 5040), "retired");
  Refused(r, DepositCredits(1, "JCFO", 1, "FOREST-9", 5030), "retired by PART01");
  // Oldest-first withdrawals and deliveries only ever see held blocks.
  REQUIRE(r.Apply(Take(LedgerOpType::kWithdrawCredits, 0, "JCFO", 70), 0, 3).ok());
  CHECK(Serials(r, 0, "JCFO") == "5011-5040R");
  Refused(r, Take(LedgerOpType::kWithdrawCredits, 0, "JCFO", 1), "has 0 t-CO2 of JCFO available");
  CHECK(r.CheckInvariants().ok());
}

TEST_CASE("cash deposits and withdrawals respect reservations", "[settlement][registry]") {
  Registry r = Make();
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 1, 1'000'000), 0, 1).ok());
  REQUIRE(r.ReserveBuy(1, 300'000));
  CHECK(r.CashAvailable(1) == 700'000);
  Refused(r, Cash(LedgerOpType::kWithdrawCash, 1, 700'001), "has 700000 yen available");
  REQUIRE(r.Apply(Cash(LedgerOpType::kWithdrawCash, 1, 700'000), 0, 2).ok());
  CHECK(r.CashBalance(1) == 300'000);
  CHECK(r.CashJson(1) == R"({"participant":"PART02","balance":300000,"reserved":300000})");

  // Credits reserved by open sell orders cannot be withdrawn or retired either.
  REQUIRE(r.Apply(DepositCredits(1, "JCEE", 40, "E", 1), 0, 3).ok());
  REQUIRE(r.ReserveSell(1, Cat("JCEE"), 30));
  Refused(r, Take(LedgerOpType::kRetire, 1, "JCEE", 11), "has 10 t-CO2 of JCEE available");
  REQUIRE(r.Apply(Take(LedgerOpType::kRetire, 1, "JCEE", 10), 0, 4).ok());
}

TEST_CASE("every accepted operation is audited with who, what, when and why",
          "[settlement][registry]") {
  Registry r = Make();
  LedgerOp op = DepositCredits(2, "JCRE", 5, "X", 77);
  SetField(op.actor, "ops-tanaka");
  SetField(op.reason, "transfer from J-Credit registry account 123");
  REQUIRE(r.Apply(op, 1'700'000'000'000'000'000, 10).ok());
  REQUIRE_FALSE(r.Apply(op, 1'700'000'000'000'000'001, 11).ok());  // refusals change nothing
  const std::vector<ChangeBatch> batches = r.TakeChanges();
  REQUIRE(batches.size() == 1);
  const ChangeBatch& b = batches[0];
  CHECK(b.journal_seq == 10);
  REQUIRE(b.audit.size() == 1);
  CHECK(b.audit[0].actor == "ops-tanaka");
  CHECK(b.audit[0].action == "deposit-credits");
  CHECK(b.audit[0].participant == "PART03");
  CHECK(b.audit[0].detail == "JCRE 5 t-CO2 J-Credit X vintage 2024 serials 77-81");
  CHECK(b.audit[0].reason == "transfer from J-Credit registry account 123");
  CHECK(b.audit[0].time == 1'700'000'000'000'000'000);
  REQUIRE(b.blocks.size() == 1);
  CHECK(b.blocks[0].first == 77);
  CHECK(b.blocks[0].owner == 2);
}

TEST_CASE("holdings JSON has the shape of the issue", "[settlement][registry]") {
  Registry r = Make();
  REQUIRE(r.Apply(DepositCredits(0, "JCRE", 150, "JPN-001", 1000001), 0, 1).ok());
  REQUIRE(r.ReserveSell(0, Cat("JCRE"), 30));
  const std::string j = r.HoldingsJson(0);
  CHECK_THAT(j, Catch::StartsWith(R"({"participant":"PART01","categories":{"JCEE":{"available":0,"reserved":0,"blocks":[]},"JCRE":{"available":120,"reserved":30,"blocks":[{"program":"J-Credit","project":"JPN-001","vintage":2024,"first":"1000001","last":"1000150","quantity":150,"status":"held"}]})"));
}
