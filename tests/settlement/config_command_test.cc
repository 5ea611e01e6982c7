// [settlement] and [[deposit]] of the configuration file, and the `ledger` admin commands
// (parse, format, round trip, clear errors).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "settlement/ledger_command.h"
#include "settlement/settlement_config.h"
#include "tests/settlement/settlement_test_util.h"

using namespace ccx;
using namespace ccx::settlement;
using namespace ccx::settlement::testing;

namespace {

const ParticipantRegistry& Participants() {
  static const ParticipantRegistry reg = [] {
    auto r = LoadParticipants(ShippedConfig(), Market());
    if (!r.ok()) throw std::runtime_error(std::string(r.status().message()));
    return *r;
  }();
  return reg;
}

absl::StatusOr<SettlementConfig> Parse(const std::string& text) {
  return ParseSettlementConfig(text, "test.toml", Market(), Participants());
}

std::string Error(const std::string& text) {
  auto c = Parse(text);
  REQUIRE_FALSE(c.ok());
  return std::string(c.status().message());
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  return w;
}

}  // namespace

TEST_CASE("the shipped configuration deposits credits and cash for every demo participant",
          "[settlement][config]") {
  auto c = LoadSettlementConfig(ShippedConfig(), Market(), Participants());
  REQUIRE(c.ok());
  CHECK(c->time == 9 * 60);
  CHECK(c->checks.credit_check);
  CHECK(c->checks.cash_check);
  Registry r(Market(), Usernames(Participants()), c->checks);
  uint64_t seq = 1;
  for (const LedgerOp& op : c->deposits) {
    CHECK(FieldView(op.actor) == "config");
    REQUIRE(r.Apply(op, 0, seq++).ok());
  }
  REQUIRE(r.CheckInvariants().ok());
  for (const Participant& p : Participants().participants) {
    INFO(p.username);
    CHECK(r.CashBalance(p.id) >= 100'000'000);
    for (CategoryId cat = 0; cat < Market().categories.size(); ++cat) {
      CHECK(r.AvailableCredits(p.id, cat) >= 10'000);
    }
  }
}

TEST_CASE("[settlement] and [[deposit]] are read and checked", "[settlement][config]") {
  auto c = Parse(R"(
[settlement]
time = "08:30"
credit_check = false

[[deposit]]
participants = ["PART01", "PART02"]
category = "JCRE"
quantity = 100
project = "JPN-1"
vintage = 2023
first_serial = 1000

[[deposit]]
participant = "MM0001"
cash = 5000000
reason = "opening balance"
)");
  REQUIRE(c.ok());
  CHECK(c->time == 8 * 60 + 30);
  CHECK_FALSE(c->checks.credit_check);
  CHECK(c->checks.cash_check);
  REQUIRE(c->deposits.size() == 3);
  // Consecutive blocks: PART01 gets 1000–1099, PART02 1100–1199.
  CHECK(c->deposits[0].first_serial == 1000);
  CHECK(c->deposits[0].last_serial == 1099);
  CHECK(c->deposits[1].first_serial == 1100);
  CHECK(c->deposits[1].participant == 1);
  CHECK(FieldView(c->deposits[1].program) == "J-Credit");
  CHECK(c->deposits[2].type == LedgerOpType::kDepositCash);
  CHECK(c->deposits[2].amount_yen == 5'000'000);
  CHECK(FieldView(c->deposits[2].reason) == "opening balance");
}

TEST_CASE("configuration errors name the line and the key", "[settlement][config]") {
  CHECK(Error("[settlement]\ntime = \"9:00\"\n") ==
        R"(test.toml:2: settlement: time: must be a time "HH:MM" from 00:00 to 23:59 (got "9:00"))");
  CHECK(Error("[settlement]\ncash_check = 1\n") ==
        "test.toml:2: settlement: cash_check: must be true or false (got integer)");
  CHECK(Error("[settlement]\nfoo = 1\n") ==
        "test.toml:2: settlement: foo: unknown key (expected one of: time, credit_check, cash_check)");
  CHECK(Error("\n[[deposit]]\nparticipant = \"PART99\"\ncash = 5\n") ==
        R"(test.toml:3: deposit #1: participant: unknown participant "PART99")");
  CHECK(Error("[[deposit]]\nparticipant = \"PART01\"\ncategory = \"XXXX\"\n") ==
        R"(test.toml:3: deposit #1: category: unknown category "XXXX")");
  CHECK(Error("[[deposit]]\nparticipant = \"PART01\"\ncategory = \"JVFO\"\nprogram = \"J-Credit\"\n") ==
        R"(test.toml:4: deposit #1: program: category JVFO holds "J-VER" credits (got "J-Credit"))");
  CHECK(Error("[[deposit]]\nparticipant = \"PART01\"\ncash = 5\ncategory = \"JCRE\"\n") ==
        "test.toml:4: deposit #1: category: a cash deposit takes only participant(s), cash and reason");
  CHECK(Error("[[deposit]]\nparticipant = \"PART01\"\ncategory = \"JCRE\"\nproject = \"P\"\n"
              "vintage = 2024\nfirst_serial = 1\n") ==
        "test.toml:1: deposit #1: quantity: missing");
  // Two deposits that overlap are refused at the second one.
  const std::string overlap = Error(R"([[deposit]]
participant = "PART01"
category = "JCRE"
quantity = 10
project = "P"
vintage = 2024
first_serial = 1

[[deposit]]
participant = "PART02"
category = "JCRE"
quantity = 10
project = "P"
vintage = 2024
first_serial = 5
)");
  CHECK_THAT(overlap, Catch::StartsWith("test.toml:9: deposit #2: first_serial: PART02: "));
  CHECK_THAT(overlap, Catch::Contains("overlap serials 1-10 already in the ledger (held by PART01 in JCRE)"));
}

TEST_CASE("ledger admin commands parse, format and round-trip", "[settlement][command]") {
  auto op = ParseLedgerCommand(
      Words("ledger deposit-credits PART01 JCRE 100 J-Credit JPN-001 2024 1000001 --actor ops "
            "--reason from%20registry%20account%2042%25"),
      Market(), Participants());
  REQUIRE(op.ok());
  CHECK(op->type == LedgerOpType::kDepositCredits);
  CHECK(op->participant == 0);
  CHECK(op->category == Cat("JCRE"));
  CHECK(op->quantity == 100);
  CHECK(op->first_serial == 1000001);
  CHECK(op->last_serial == 1000100);
  CHECK(op->vintage == 2024);
  CHECK(FieldView(op->project) == "JPN-001");
  CHECK(FieldView(op->actor) == "ops");
  CHECK(FieldView(op->reason) == "from registry account 42%");
  const std::string line = FormatLedgerCommand(*op, Market(), Participants());
  CHECK(line ==
        "ledger deposit-credits PART01 JCRE 100 J-Credit JPN-001 2024 1000001 --actor ops "
        "--reason from%20registry%20account%2042%25");

  for (const std::string text :
       {"ledger retire MM0002 JCFO 30 --project F%20X --serials 11-40 --actor a --purpose Scope%201",
        "ledger withdraw-credits PART10 JCEE 5 --actor admin",
        "ledger deposit-cash PART02 100000000 --actor config --reason demo",
        "ledger withdraw-cash PART02 1 --actor x"}) {
    INFO(text);
    auto parsed = ParseLedgerCommand(Words(text), Market(), Participants());
    REQUIRE(parsed.ok());
    CHECK(FormatLedgerCommand(*parsed, Market(), Participants()) == text);
    auto again = ParseLedgerCommand(Words(FormatLedgerCommand(*parsed, Market(), Participants())),
                                    Market(), Participants());
    REQUIRE(again.ok());
    CHECK(std::memcmp(&*again, &*parsed, sizeof(LedgerOp)) == 0);
  }
}

TEST_CASE("bad ledger commands say what is wrong", "[settlement][command]") {
  auto err = [](const std::string& line) {
    auto op = ParseLedgerCommand(Words(line), Market(), Participants());
    REQUIRE_FALSE(op.ok());
    return std::string(op.status().message());
  };
  CHECK_THAT(err("ledger deposit-cash PART99 5"), Catch::StartsWith(R"(unknown participant "PART99")"));
  CHECK_THAT(err("ledger deposit-cash PART01 -5"), Catch::StartsWith("amount must be a positive"));
  CHECK_THAT(err("ledger withdraw-credits PART01 XXXX 5"), Catch::StartsWith(R"(unknown category "XXXX")"));
  CHECK_THAT(err("ledger retire PART01 JCRE 5"), Catch::StartsWith("retire: --purpose is required"));
  CHECK_THAT(err("ledger retire PART01 JCRE 5 --purpose x --serials 1-4 --project P"),
             Catch::StartsWith("--serials 1-4 are 4 t-CO2, not the quantity 5"));
  CHECK_THAT(err("ledger retire PART01 JCRE 5 --purpose x --serials 1-5"),
             Catch::StartsWith("--project and --serials go together"));
  CHECK_THAT(err("ledger deposit-credits PART01 JCRE 5 J-Credit P 2024"),
             Catch::StartsWith("deposit-credits: expected 7 arguments, got 6"));
  CHECK_THAT(err("ledger deposit-cash PART01 5 --reason bad%2"), Catch::Contains("malformed %-escape"));
  CHECK_THAT(err("ledger transfer PART01"), Catch::StartsWith(R"(unknown ledger command "transfer")"));
  CHECK_THAT(err("ledger deposit-cash PART01 5 --colour red"), Catch::StartsWith("deposit-cash: unknown option --colour"));
  // Semantics are the Registry's: a program that does not fit the category is refused there.
  auto op = ParseLedgerCommand(Words("ledger deposit-credits PART01 JVFO 5 J-Credit P 2024 1"),
                               Market(), Participants());
  REQUIRE(op.ok());
  Registry r(Market(), Usernames(Participants()), CheckOptions{});
  CHECK(std::string(r.Apply(*op, 0, 1).message()) == "category JVFO holds J-VER credits, not J-Credit");
}

TEST_CASE("ledger queries answer from the live registry", "[settlement][command]") {
  Registry r(Market(), Usernames(Participants()), CheckOptions{});
  REQUIRE(r.Apply(Cash(LedgerOpType::kDepositCash, 0, 1'000'000), 0, 1).ok());
  REQUIRE(r.ReserveBuy(0, 250'000));
  CHECK(IsLedgerQuery(Words("ledger-cash PART01")));
  CHECK_FALSE(IsLedgerQuery(Words("ledger deposit-cash PART01 5")));
  CHECK(AnswerLedgerQuery(Words("ledger-cash PART01"), r) ==
        R"({"participant":"PART01","balance":1000000,"reserved":250000})");
  CHECK_THAT(AnswerLedgerQuery(Words("ledger-holdings PART01"), r),
             Catch::StartsWith(R"({"participant":"PART01","categories":{"JCEE":)"));
  CHECK(AnswerLedgerQuery(Words("ledger-cash NOBODY"), r) == R"(error: unknown participant "NOBODY")");
  CHECK_THAT(AnswerLedgerQuery(Words("ledger-cash"), r), Catch::StartsWith("error: usage"));
  CHECK(EncodeWord("a b%c\n") == "a%20b%25c%0A");
  std::string back;
  REQUIRE(DecodeWord("a%20b%25c%0A", &back));
  CHECK(back == "a b%c\n");
  CHECK_FALSE(DecodeWord("a%2", &back));
  CHECK_FALSE(DecodeWord("a%zz", &back));
}
