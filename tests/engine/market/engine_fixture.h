// Test helpers: an Engine on the shipped configuration, local-time timestamps and
// command builders.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/market/engine.h"

namespace ccx::test {

inline MarketConfig ShippedConfig() {
  auto cfg = LoadMarketConfig(std::string(CCX_SOURCE_ROOT) + "/config/market.toml");
  REQUIRE(cfg.ok());
  return *cfg;
}

/// Tokyo local time "YYYY-MM-DD HH:MM[:SS]" as an engine timestamp.
inline Timestamp Tokyo(int y, int mo, int d, int h, int mi, int s = 0) {
  return LocalToTimestamp(absl::CivilDay(y, mo, d), h * 60 + mi, 540) + s * kNanosPerSecond;
}

struct Harness {
  explicit Harness(MarketConfig cfg = ShippedConfig()) : engine(std::move(cfg)) {
    events.reserve(1 << 16);
  }

  CategoryId Cat(const char* code) const {
    const int i = engine.config().FindCategory(code);
    REQUIRE(i >= 0);
    return static_cast<CategoryId>(i);
  }

  /// Processes one command and returns the events it produced.
  std::vector<Event> Run(const Command& c) {
    events.clear();
    engine.Process(c, &events);
    log.insert(log.end(), events.begin(), events.end());
    return events;
  }
  std::vector<Event> Clock(Timestamp t) {
    Command c;
    c.type = CommandType::kClock;
    c.time = t;
    return Run(c);
  }
  std::vector<Event> Order(Timestamp t, const char* cat, char side, Price price, Qty qty,
                           ParticipantId who = 1, uint32_t tif = 99999) {
    Command c;
    c.type = CommandType::kEnterOrder;
    c.time = t;
    c.category = cat ? Cat(cat) : kNoCategory;
    c.side = side;
    c.price = price;
    c.qty = qty;
    c.participant = who;
    c.tif = tif;
    c.tag = ++tag;
    return Run(c);
  }
  /// The reference of the order accepted by the last Order() call (REQUIREs acceptance).
  OrderRef Accepted(const std::vector<Event>& ev) {
    REQUIRE_FALSE(ev.empty());
    REQUIRE(ev.back().type == EventType::kAccepted);
    return ev.back().ref;
  }
  std::vector<Event> CancelOrder(Timestamp t, const char* cat, OrderRef ref, Qty leave = 0,
                                 ParticipantId who = 1) {
    Command c;
    c.type = CommandType::kCancelOrder;
    c.time = t;
    c.category = Cat(cat);
    c.ref = ref;
    c.qty = leave;
    c.participant = who;
    return Run(c);
  }

  static std::vector<Event> OfType(const std::vector<Event>& ev, EventType type) {
    std::vector<Event> r;
    for (const auto& e : ev) {
      if (e.type == type) r.push_back(e);
    }
    return r;
  }

  Engine engine;
  std::vector<Event> events;
  std::vector<Event> log;
  uint64_t tag = 0;
};

inline char RejectOf(const std::vector<Event>& ev) {
  REQUIRE_FALSE(ev.empty());
  REQUIRE(ev.back().type == EventType::kRejected);
  return static_cast<char>(ev.back().reason);
}

}  // namespace ccx::test
