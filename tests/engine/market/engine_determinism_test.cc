// Determinism (ENGINEERING.md): the same command sequence yields byte-identical events and
// the same state hash; slicing time differently (extra clock commands) changes nothing.
#include <cstring>
#include <random>

#include "tests/engine/market/engine_fixture.h"

using namespace ccx;
using namespace ccx::test;

namespace {

// A random two-day session over every category: entries (some invalid), replaces, cancels,
// halts, clock ticks.
std::vector<Command> RandomSession(uint64_t seed, int n, const Engine& e) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::vector<Command> cmds;
  Timestamp t = Tokyo(2026, 11, 19, 7, 50);
  const Timestamp end = Tokyo(2026, 11, 20, 15, 30);
  const Timestamp step = (end - t) / n;
  OrderRef max_ref = 0;
  for (int i = 0; i < n; ++i) {
    t += uni(0, 2 * step);
    Command c;
    c.time = t;
    c.tag = static_cast<uint64_t>(i);
    c.category = static_cast<CategoryId>(uni(0, static_cast<int64_t>(e.num_categories()) - 1));
    c.participant = static_cast<ParticipantId>(uni(0, 9));
    const int kind = static_cast<int>(uni(0, 99));
    const Price ref_price = e.config().categories[c.category].reference_price;
    if (kind < 70) {
      c.type = CommandType::kEnterOrder;
      c.side = uni(0, 1) ? 'B' : 'S';
      c.price = static_cast<Price>(ref_price + uni(-ref_price / 10, ref_price / 10));
      c.qty = static_cast<Qty>(uni(0, 20) == 0 ? 0 : uni(1, 500));
      c.tif = uni(0, 5) == 0 ? 0 : 99999;
      ++max_ref;
    } else if (kind < 82) {
      c.type = CommandType::kCancelOrder;
      c.ref = static_cast<OrderRef>(uni(1, static_cast<int64_t>(max_ref) + 1));
      c.qty = static_cast<Qty>(uni(0, 1) ? 0 : uni(1, 100));
    } else if (kind < 94) {
      c.type = CommandType::kReplaceOrder;
      c.ref = static_cast<OrderRef>(uni(1, static_cast<int64_t>(max_ref) + 1));
      c.price = static_cast<Price>(ref_price + uni(-ref_price / 10, ref_price / 10));
      c.qty = static_cast<Qty>(uni(1, 500));
      c.tif = 99999;
    } else if (kind < 96) {
      c.type = uni(0, 1) ? CommandType::kHalt : CommandType::kResume;
    } else {
      c.type = CommandType::kClock;
    }
    cmds.push_back(c);
  }
  return cmds;
}

std::vector<Event> RunAll(Engine& engine, const std::vector<Command>& cmds) {
  std::vector<Event> out;
  for (const auto& c : cmds) engine.Process(c, &out);
  return out;
}

bool SameBytes(const std::vector<Event>& a, const std::vector<Event>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(Event)) == 0);
}

}  // namespace

TEST_CASE("replaying the same commands gives byte-identical events and state", "[market][determinism]") {
  const MarketConfig cfg = ShippedConfig();
  for (uint64_t seed : {1u, 2u, 3u}) {
    Engine probe(cfg);
    const auto cmds = RandomSession(seed, 20000, probe);
    Engine a(cfg), b(cfg);
    const auto ea = RunAll(a, cmds);
    const auto eb = RunAll(b, cmds);
    REQUIRE(SameBytes(ea, eb));
    REQUIRE(a.StateHash() == b.StateHash());
    // The session really traded and really rejected things.
    size_t executed = 0, rejected = 0;
    for (const auto& e : ea) {
      executed += e.type == EventType::kExecuted;
      rejected += e.type == EventType::kRejected;
    }
    CHECK(executed > 0);
    CHECK(rejected > 0);

    // Slicing time differently: a clock command before every command changes nothing.
    std::vector<Command> sliced;
    for (const auto& c : cmds) {
      Command tick;
      tick.type = CommandType::kClock;
      tick.time = c.time - 1;
      sliced.push_back(tick);
      sliced.push_back(c);
    }
    Engine s(cfg);
    const auto es = RunAll(s, sliced);
    REQUIRE(s.StateHash() == a.StateHash());
    // Same events: transitions are stamped with their own time, replies with the command's.
    REQUIRE(es.size() == ea.size());
    for (size_t i = 0; i < es.size(); ++i) {
      INFO("event " << i << " type " << int(es[i].type) << " vs " << int(ea[i].type) << " time "
                    << es[i].time << " vs " << ea[i].time << " ref " << es[i].ref << " vs "
                    << ea[i].ref);
      REQUIRE(std::memcmp(&es[i], &ea[i], sizeof(Event)) == 0);
    }
  }
}

TEST_CASE("state hash tells different states apart", "[market][determinism]") {
  Harness h1, h2;
  const Timestamp t = Tokyo(2026, 11, 20, 9, 0);
  h1.Order(t, "JCRE", 'B', 3000, 10);
  h2.Order(t, "JCRE", 'B', 3000, 11);
  CHECK(h1.engine.StateHash() != h2.engine.StateHash());
}
