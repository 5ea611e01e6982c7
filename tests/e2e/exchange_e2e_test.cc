// End to end over the wire: the real ccx-exchange on loopback with a simulated clock,
// participants speaking SoupBinTCP/OUCH 4.2 (PROTOCOL.md §1–§2).
#include <set>

#include "tests/e2e/exchange_process.h"

using namespace ccx;
using namespace ccx::test;

namespace {

ouch::EnterOrder NewOrder(const std::string& token, char side, uint32_t qty, const char* cat,
                       uint32_t yen, bool auction = false) {
  return MakeEnter(token, side, qty, cat, yen, auction);
}

std::string LoginError(ExchangeProcess& ex, const std::string& user, const std::string& pw,
                       const std::string& session = "") {
  OuchClient c;
  REQUIRE(c.Connect("127.0.0.1", ex.port()).ok());
  auto r = c.Login(user, pw, session);
  return r.ok() ? "ok" : std::string(r.status().message());
}

}  // namespace

TEST_CASE("login failures", "[e2e]") {
  ExchangeProcess ex;
  CHECK(LoginError(ex, "PART01", "wrong") == "login rejected: A");
  CHECK(LoginError(ex, "NOBODY", "part01") == "login rejected: A");
  CHECK(LoginError(ex, "PART01", "part01", "20200101") == "login rejected: S");
  Trader t(ex, "PART01", "part01");
  CHECK(LoginError(ex, "PART01", "part01") == "login rejected: S");  // one live login per user
  CHECK(LoginError(ex, "PART02", "part02", "20261120") == "ok");
}

TEST_CASE("every reject reason over the wire", "[e2e]") {
  ExchangeProcess ex;  // Friday 2026-11-20 08:59
  Trader t(ex, "PART01", "part01");
  CHECK(t.Enter(NewOrder("A1", 'B', 10, "NOPE", 3000)) == 'S');
  auto half = NewOrder("A2", 'B', 10, "JCRE", 3000);
  half.price = 30005000;  // 3000.5 yen: off the tick
  CHECK(t.Enter(half) == 'X');
  CHECK(t.Enter(NewOrder("A3", 'B', 10, "JCRE", 9000)) == 'p');
  CHECK(t.Enter(NewOrder("A4", 'B', 0, "JCRE", 3000)) == 'Z');
  CHECK(t.Enter(NewOrder("A5", 'B', 1'000'001, "JCRE", 3000)) == 'Z');
  CHECK(t.Enter(NewOrder("A6", 'T', 10, "JCRE", 3000)) == 'i');
  auto minq = NewOrder("A7", 'B', 10, "JCRE", 3000);
  minq.min_qty = 5;
  CHECK(t.Enter(minq) == 'N');
  auto tif = NewOrder("A8", 'B', 10, "JCRE", 3000);
  tif.tif = 5;
  CHECK(t.Enter(tif) == 't');
  auto firm = NewOrder("A9", 'B', 10, "JCRE", 3000);
  firm.firm = ouch::MakeFirm("XXXX");
  CHECK(t.Enter(firm) == 'L');
  CHECK(t.Enter(NewOrder("OK1", 'B', 10, "JCRE", 3000)) == 0);
  CHECK(t.Enter(NewOrder("OK1", 'B', 10, "JCRE", 3000)) == 'd');
  CHECK(ex.Admin("halt JCRE").rfind("ok", 0) == 0);
  CHECK(t.Enter(NewOrder("H1", 'B', 10, "JCRE", 3000)) == 'H');
  CHECK(ex.Admin("resume JCRE").rfind("ok", 0) == 0);
  ex.ClockTo("2026-11-20T11:45:00");  // lunch
  CHECK(t.Enter(NewOrder("C1", 'B', 10, "JCRE", 3000)) == 'C');
  ex.ClockTo("2026-11-21T10:00:00");  // Saturday: a new trading date, sessions end
}

TEST_CASE("the message rate limit rejects with q", "[e2e]") {
  ExchangeProcess ex;  // the clock is frozen: every message falls in the same second
  Trader t(ex, "PART03", "part03");
  int rejected_q = 0;
  for (int i = 0; i < 5010; ++i) {
    REQUIRE(t.client.Send(NewOrder("R" + std::to_string(i), 'B', 1, "JCEE", 1600)).ok());
  }
  for (int i = 0; i < 5010; ++i) {
    auto m = t.Next();
    if (auto* j = std::get_if<ouch::Rejected>(&m)) rejected_q += j->reason == 'q';
  }
  CHECK(rejected_q == 10);
}

TEST_CASE("11:30 and 15:00 auctions, DAY and AUCTION expiry", "[e2e]") {
  ExchangeProcess ex;
  Trader buyer(ex, "PART01", "part01");
  Trader seller(ex, "PART02", "part02");
  REQUIRE(buyer.Enter(NewOrder("B1", 'B', 100, "JCRE", 3010)) == 0);
  REQUIRE(buyer.Enter(NewOrder("BA", 'B', 5, "JCRE", 2000, true)) == 0);  // AUCTION, won't trade
  REQUIRE(seller.Enter(NewOrder("S1", 'S', 60, "JCRE", 3000)) == 0);
  ex.ClockTo("2026-11-20T11:30:00");
  // Buy pressure: the clearing price is the highest kept price, 3010.
  auto e1 = buyer.Expect<ouch::Executed>();
  CHECK(ouch::TokenView(e1.token) == "B1");
  CHECK(e1.executed_shares == 60);
  CHECK(e1.execution_price == 30100000u);
  CHECK(e1.liquidity_flag == 'I');
  auto c1 = buyer.Expect<ouch::Canceled>();
  CHECK(ouch::TokenView(c1.token) == "BA");
  CHECK(c1.reason == 'I');
  auto e2 = seller.Expect<ouch::Executed>();
  CHECK(ouch::TokenView(e2.token) == "S1");
  CHECK(e2.executed_shares == 60);
  CHECK(e2.match_number != e1.match_number);

  ex.ClockTo("2026-11-20T13:00:00");
  REQUIRE(seller.Enter(NewOrder("S2", 'S', 30, "JCRE", 3000)) == 0);
  ex.ClockTo("2026-11-20T15:00:00");
  auto e3 = buyer.Expect<ouch::Executed>();
  CHECK(e3.executed_shares == 30);
  CHECK(e3.liquidity_flag == 'C');
  auto c3 = buyer.Expect<ouch::Canceled>();  // the rest of the DAY order expires
  CHECK(ouch::TokenView(c3.token) == "B1");
  CHECK(c3.decrement_shares == 10);
  CHECK(c3.reason == 'T');
  // Every category has had its last auction: the day ends for the participants.
  CHECK(buyer.Expect<ouch::SystemEvent>().event_code == 'E');
}

TEST_CASE("cancel, reduce and replace over the wire", "[e2e]") {
  ExchangeProcess ex;
  Trader t(ex, "PART04", "part04");
  REQUIRE(t.Enter(NewOrder("X1", 'S', 50, "JCEE", 1700)) == 0);
  ouch::CancelOrder reduce;
  reduce.token = ouch::MakeToken("X1");
  reduce.shares = 20;
  REQUIRE(t.client.Send(reduce).ok());
  auto c = t.Expect<ouch::Canceled>();
  CHECK(c.decrement_shares == 30);
  ouch::ReplaceOrder r;
  r.existing_token = ouch::MakeToken("X1");
  r.replacement_token = ouch::MakeToken("X2");
  r.shares = 40;
  r.price = 17100000;
  r.tif = 99999;
  REQUIRE(t.client.Send(r).ok());
  auto u = t.Expect<ouch::Replaced>();
  CHECK(ouch::TokenView(u.previous_token) == "X1");
  CHECK(u.shares == 40);
  ouch::CancelOrder gone;
  gone.token = ouch::MakeToken("X1");  // replaced: no longer live
  REQUIRE(t.client.Send(gone).ok());
  t.Expect<ouch::CancelReject>();
  gone.token = ouch::MakeToken("X2");
  REQUIRE(t.client.Send(gone).ok());
  CHECK(t.Expect<ouch::Canceled>().decrement_shares == 40);
}

TEST_CASE("reconnect and replay: no gap, no duplicate", "[e2e]") {
  ExchangeProcess ex;
  uint64_t last = 0;
  {
    Trader t(ex, "PART05", "part05");
    for (int i = 0; i < 20; ++i) REQUIRE(t.Enter(NewOrder("P" + std::to_string(i), 'B', 1, "JCOT", 2000)) == 0);
    last = t.client.next_sequence() - 1;
  }
  {
    Trader other(ex, "PART06", "part06");  // activity while PART05 is away
    REQUIRE(other.Enter(NewOrder("Q1", 'S', 20, "JCOT", 2000)) == 0);
  }
  ex.ClockTo("2026-11-20T11:30:00");
  Trader back(ex, "PART05", "part05", 5);
  std::vector<uint64_t> seqs;
  for (uint64_t s = 5; s <= last + 20; ++s) {
    uint64_t seq = 0;
    back.Next(&seq);
    seqs.push_back(seq);
  }
  for (size_t i = 0; i < seqs.size(); ++i) CHECK(seqs[i] == 5 + i);
  auto none = back.client.Receive(300);
  REQUIRE(none.ok());
  CHECK((!none->has_value() || (*none)->type == 'H'));
}

TEST_CASE("kill -9 and restart: every acknowledged order and execution exactly once", "[e2e]") {
  for (const char* mode : {"none", "batch"}) {
    ExchangeProcess ex("2026-11-20T08:59:00", mode);
    std::set<std::string> acked;
    {
      Trader t(ex, "PART07", "part07");
      Trader u(ex, "PART08", "part08");
      for (int i = 0; i < 30; ++i) {
        const std::string tok = "K" + std::to_string(i);
        REQUIRE(t.Enter(NewOrder(tok, i % 2 ? 'B' : 'S', 10, "JCFO", 8095)) == 0);
        acked.insert(tok);
      }
      // Orders in flight when the process dies: acknowledged or not, never half.
      for (int i = 0; i < 30; ++i) REQUIRE(u.client.Send(NewOrder("U" + std::to_string(i), 'B', 1, "JCFO", 8000)).ok());
      ex.Stop(SIGKILL);
    }
    ex.Start();
    Trader t(ex, "PART07", "part07", 1);
    std::set<std::string> replayed;
    const uint64_t total = 1 + acked.size();  // start of day + 30 acceptances
    for (uint64_t s = 1; s <= total; ++s) {
      auto m = t.Next();
      if (auto* a = std::get_if<ouch::Accepted>(&m)) {
        CHECK(replayed.insert(std::string(ouch::TokenView(a->token))).second);  // exactly once
      }
    }
    CHECK(replayed == acked);
    // The book survived: an auction executes the restored orders.
    ex.ClockTo("2026-11-20T11:30:00");
    int executed = 0;
    for (int i = 0; i < 30; ++i) {
      auto m = t.Next();
      executed += std::holds_alternative<ouch::Executed>(m);
    }
    CHECK(executed == 30);
  }
}

TEST_CASE("malformed and hostile frames end only the offending connection", "[e2e]") {
  ExchangeProcess ex;
  Trader good(ex, "PART09", "part09");
  auto hostile = [&](std::vector<uint8_t> bytes, bool login_first) {
    OuchClient c;
    REQUIRE(c.Connect("127.0.0.1", ex.port()).ok());
    if (login_first) REQUIRE(c.Login("PART10", "part10").ok());
    REQUIRE(c.SendRaw(bytes.data(), bytes.size()).ok());
    bool debug = false;
    for (;;) {
      auto r = c.Receive(3000);
      if (!r.ok()) break;  // closed by the server
      REQUIRE(r->has_value());
      debug |= (*r)->type == '+';
    }
    return debug;
  };
  CHECK(hostile({0x00, 0x00}, false));                          // zero length
  CHECK(hostile({0xFF, 0xFF, 'U'}, true));                      // huge length
  CHECK(hostile({0x00, 0x03, 'Q', 'x', 'y'}, false));           // unknown type
  CHECK(hostile({0x00, 0x02, 'U', 'O'}, false));                // data before login
  CHECK(hostile({0x00, 0x04, 'U', 'O', 1, 2}, true));           // truncated OUCH message
  std::vector<uint8_t> garbage(4096);
  std::mt19937 rng(1);
  for (auto& b : garbage) b = static_cast<uint8_t>(rng());
  garbage[0] = 0x7F;
  CHECK(hostile(garbage, false));
  // Login flood: many connections with bad passwords.
  for (int i = 0; i < 20; ++i) CHECK(LoginError(ex, "PART10", "nope") == "login rejected: A");
  // The server and the good session are unaffected.
  CHECK(ex.Alive());
  CHECK(good.Enter(NewOrder("G1", 'B', 1, "JCRH", 2282)) == 0);
}

TEST_CASE("kill -9 at random moments: acknowledged messages survive exactly once", "[e2e]") {
  ExchangeProcess ex("2026-11-20T08:59:00", "none");
  std::mt19937 rng(20261123);
  std::set<std::string> acked;  // tokens whose acceptance the client saw
  int next_token = 0;
  for (int round = 0; round < 5; ++round) {
    {
      Trader t(ex, "PART07", "part07", 1);
      // Read the replay of the day so far: every acknowledged token exactly once, in a
      // gap-free sequence.
      std::set<std::string> seen;
      uint64_t expect_seq = 1;
      for (;;) {
        auto r = t.client.Receive(300);
        REQUIRE(r.ok());
        if (!r->has_value()) break;
        if ((*r)->type != 'S') continue;
        CHECK((*r)->sequence == expect_seq++);
        ouch::Outbound m;
        REQUIRE(ouch::DecodeOutbound((*r)->payload, &m) == ouch::DecodeStatus::kOk);
        if (auto* a = std::get_if<ouch::Accepted>(&m)) {
          CHECK(seen.insert(std::string(ouch::TokenView(a->token))).second);
        }
      }
      for (const auto& tok : acked) CHECK(seen.count(tok) == 1);
      // Orders in flight beyond what was acknowledged may or may not have made it: adopt
      // the ones that did.
      acked.insert(seen.begin(), seen.end());
      // New orders: some acknowledged, then a burst the process may die in the middle of.
      const int k = 1 + static_cast<int>(rng() % 10);
      for (int i = 0; i < k; ++i) {
        const std::string tok = "R" + std::to_string(next_token++);
        REQUIRE(t.Enter(NewOrder(tok, 'B', 1, "JCRM", 2500)) == 0);
        acked.insert(tok);
      }
      const int burst = 1 + static_cast<int>(rng() % 50);
      for (int i = 0; i < burst; ++i) {
        (void)t.client.Send(NewOrder("R" + std::to_string(next_token++), 'B', 1, "JCRM", 2500));
      }
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
      ex.Stop(SIGKILL);
    }
    ex.Start();
  }
  // After the last restart the whole book is there: the auction executes every order once.
  Trader s(ex, "PART08", "part08");
  const auto total = static_cast<uint32_t>(acked.size());
  REQUIRE(s.Enter(NewOrder("SELLALL", 'S', 100000, "JCRM", 2500)) == 0);
  ex.ClockTo("2026-11-20T11:30:00");
  auto e = s.Expect<ouch::Executed>();
  CHECK(e.executed_shares >= total);  // every acknowledged buy (and perhaps in-flight ones)
}
