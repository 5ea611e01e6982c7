// kill -9 soak across auctions and trading days: a scripted session of two participants
// (a buyer and a seller), the simulated clock moved through the 11:30 and 15:00 auctions
// and into the next trading day, the server killed at random moments (fixed seed) and
// restarted from its journal. After every restart each participant's whole day is
// replayed from sequence 1 and must hold, byte for byte, every message seen before, every
// acknowledged order exactly once and every execution exactly once (unique match numbers).
#include <map>
#include <random>
#include <set>

#include "tests/e2e/exchange_process.h"

using namespace ccx;
using namespace ccx::test;

namespace {

struct Seen {
  std::map<uint64_t, std::vector<uint8_t>> messages;  // by sequence number, one day
};

// Logs in with replay from 1, reads the day, checks it against what was seen before and
// records it. Returns the tokens accepted and the match numbers executed in this replay.
std::string Replay(ExchangeProcess& ex, const std::string& user, const std::string& pw,
                   std::map<std::string, Seen>* days, std::set<std::string>* accepted,
                   std::set<uint64_t>* matches) {
  OuchClient c;
  REQUIRE(c.Connect("127.0.0.1", ex.port()).ok());
  auto login = c.Login(user, pw, "", 1);
  REQUIRE(login.ok());
  Seen& day = (*days)[c.session()];
  uint64_t expect = 1;
  for (;;) {
    auto r = c.Receive(400);
    REQUIRE(r.ok());
    if (!r->has_value()) break;
    if ((*r)->type != 'S') continue;
    REQUIRE((*r)->sequence == expect++);  // gap-free
    const auto& bytes = (*r)->payload;
    auto [it, fresh] = day.messages.try_emplace((*r)->sequence, bytes);
    INFO(user << " seq " << (*r)->sequence);
    CHECK(it->second == bytes);  // what was sent before is still exactly the same
    ouch::Outbound m;
    REQUIRE(ouch::DecodeOutbound(bytes, &m) == ouch::DecodeStatus::kOk);
    if (auto* a = std::get_if<ouch::Accepted>(&m)) {
      CHECK(accepted->insert(std::string(ouch::TokenView(a->token))).second);  // once
    }
    if (auto* x = std::get_if<ouch::Executed>(&m)) CHECK(matches->insert(x->match_number).second);
  }
  // Nothing seen earlier is missing from the replay.
  CHECK(day.messages.size() == expect - 1);
  return c.session();
}

}  // namespace

TEST_CASE("kill -9 soak across auctions and days: every message survives exactly once", "[e2e][soak]") {
  ExchangeProcess ex("2026-11-20T08:59:00", "batch");
  std::mt19937 rng(777);
  const char* schedule[] = {"2026-11-20T09:30:00", "2026-11-20T11:30:00", "2026-11-20T12:40:00",
                            "2026-11-20T15:00:00", "2026-11-24T08:10:00", "2026-11-24T11:30:00",
                            "2026-11-24T13:00:00", "2026-11-24T15:00:00"};
  size_t next_time = 0;
  std::map<std::string, Seen> buyer_days, seller_days;
  std::map<std::string, std::set<std::string>> acked;  // by session: acknowledged tokens
  int token = 0;
  for (int round = 0; round < 12; ++round) {
    std::set<std::string> accepted;
    std::set<uint64_t> matches;
    const std::string day = Replay(ex, "PART07", "part07", &buyer_days, &accepted, &matches);
    Replay(ex, "PART08", "part08", &seller_days, &accepted, &matches);
    // Every order acknowledged today is in today's replay.
    for (const auto& tok : acked[day]) {
      INFO(tok);
      CHECK(accepted.count(tok) == 1);
    }
    {
      Trader b(ex, "PART07", "part07");
      Trader s(ex, "PART08", "part08");
      // Acknowledged orders, then a burst the process may die in the middle of.
      const int k = 1 + static_cast<int>(rng() % 6);
      for (int i = 0; i < k; ++i) {
        const std::string tb = "B" + std::to_string(token), ts = "S" + std::to_string(token++);
        const char rb = b.Enter(MakeEnter(tb, 'B', 3, "JCRM", 2510, i % 3 == 0));
        const char rs = s.Enter(MakeEnter(ts, 'S', 2, "JCRM", 2490, false));
        // Outside acceptance phases (lunch, after 15:00) orders are rejected 'C'.
        CHECK((rb == 0 || rb == 'C'));
        CHECK((rs == 0 || rs == 'C'));
        if (rb == 0) acked[b.client.session()].insert(tb);
        if (rs == 0) acked[s.client.session()].insert(ts);
      }
      const int burst = static_cast<int>(rng() % 30);
      for (int i = 0; i < burst; ++i) {
        (void)b.client.Send(MakeEnter("X" + std::to_string(token++), 'B', 1, "JCRM", 2500, false));
      }
      if (rng() % 2 == 0 && next_time < std::size(schedule)) ex.ClockTo(schedule[next_time++]);
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 4000));
      ex.Stop(SIGKILL);
    }
    ex.Start();
  }
  // A final check after the last restart: replays still agree with everything seen.
  std::set<std::string> accepted;
  std::set<uint64_t> matches;
  const std::string day = Replay(ex, "PART07", "part07", &buyer_days, &accepted, &matches);
  Replay(ex, "PART08", "part08", &seller_days, &accepted, &matches);
  for (const auto& tok : acked[day]) CHECK(accepted.count(tok) == 1);
  CHECK(buyer_days.size() + seller_days.size() >= 2);
  CHECK(next_time >= 3);  // the soak crossed at least one auction
}
