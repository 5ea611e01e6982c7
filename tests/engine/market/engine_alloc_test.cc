// No allocation on the hot path after start-up (ENGINEERING.md): counts every operator new
// around order entry, replace, cancel, the indicative price and the uncross.
#include <atomic>
#include <cstdlib>
#include <new>

#include "tests/engine/market/engine_fixture.h"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace ccx;
using namespace ccx::test;

TEST_CASE("order entry and the uncross do not allocate", "[market][alloc]") {
  Harness h;
  const CategoryId jcre = h.Cat("JCRE");
  h.Clock(Tokyo(2026, 11, 20, 8, 0));
  std::vector<Command> cmds;
  for (int i = 0; i < 20000; ++i) {
    Command c;
    c.type = CommandType::kEnterOrder;
    c.time = Tokyo(2026, 11, 20, 9, 0) + i;
    c.category = jcre;
    c.side = i % 2 ? 'B' : 'S';
    c.price = 2900 + (i * 7919) % 200;
    c.qty = 1 + (i * 31) % 97;
    c.participant = static_cast<ParticipantId>(i % 50);
    c.tif = i % 5 == 0 ? 0 : 99999;
    cmds.push_back(c);
  }
  Command cancel;
  cancel.type = CommandType::kCancelOrder;
  cancel.category = jcre;
  cancel.time = Tokyo(2026, 11, 20, 10, 0);
  Command replace = cancel;
  replace.type = CommandType::kReplaceOrder;
  replace.price = 3000;
  replace.qty = 5;
  replace.tif = 99999;
  Command auction;
  auction.type = CommandType::kClock;
  auction.time = Tokyo(2026, 11, 20, 11, 30);

  std::vector<Event> out;
  out.reserve(200000);  // the caller's buffer, sized at start-up
  g_allocations = 0;
  g_counting = true;
  for (const auto& c : cmds) h.engine.Process(c, &out);
  for (OrderRef r = 1; r <= 4000; ++r) {
    cancel.ref = r;
    cancel.participant = static_cast<ParticipantId>((r - 1) % 50);
    cancel.qty = r % 3 == 0 ? 1 : 0;
    h.engine.Process(cancel, &out);
  }
  for (OrderRef r = 5001; r <= 6000; ++r) {
    replace.ref = r;
    replace.participant = static_cast<ParticipantId>((r - 1) % 50);
    h.engine.Process(replace, &out);
  }
  Volume v = h.engine.Indicative(jcre).volume;
  h.engine.Process(auction, &out);
  g_counting = false;
  CHECK(v > 0);
  CHECK(g_allocations.load() == 0);
  size_t executions = 0;
  for (const auto& e : out) executions += e.type == EventType::kExecuted;
  CHECK(executions > 1000);
}
