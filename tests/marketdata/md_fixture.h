// Test helpers for market data: the shipped configuration, an Engine driven by commands
// with the exchange's FeedBuilder (marketdata/feed) turning its events into the day's ITCH
// feed, and a seeded random trading day (orders, cancels, replaces, both auctions).
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/market/engine.h"
#include "engine/market/schedule.h"
#include "tests/engine/market/engine_fixture.h"
#include "marketdata/book/engine_book_text.h"
#include "marketdata/book/itch_book.h"
#include "marketdata/feed/feed_builder.h"

namespace ccx::mdtest {

// The shipped configuration and Tokyo timestamps, as the engine tests have them.
using ::ccx::test::ShippedConfig;
using ::ccx::test::Tokyo;

using Bytes = std::vector<uint8_t>;

/// An engine and the exchange's feed builder (no NOII conflation), fed command by command.
struct FeedDayHarness {
  explicit FeedDayHarness(MarketConfig cfg = ShippedConfig())
      : engine(cfg), feed(cfg, /*noii_interval_ns=*/0) {
    events.reserve(1 << 16);
  }

  CategoryId Cat(const std::string& code) const {
    const int i = engine.config().FindCategory(code);
    REQUIRE(i >= 0);
    return static_cast<CategoryId>(i);
  }

  const std::vector<Event>& Run(const Command& c) {
    events.clear();
    engine.Process(c, &events);
    feed.OnApplied(c.time, events, engine);
    log.insert(log.end(), events.begin(), events.end());
    return events;
  }
  const std::vector<Event>& Clock(Timestamp t) {
    Command c;
    c.type = CommandType::kClock;
    c.time = t;
    return Run(c);
  }
  /// Enters an order; returns its reference (0 if rejected).
  OrderRef Order(Timestamp t, const std::string& cat, char side, Price price, Qty qty,
                 ParticipantId who = 1, uint32_t tif = 99999) {
    Command c;
    c.type = CommandType::kEnterOrder;
    c.time = t;
    c.category = Cat(cat);
    c.side = side;
    c.price = price;
    c.qty = qty;
    c.participant = who;
    c.tif = tif;
    for (const Event& e : Run(c)) {
      if (e.type == EventType::kAccepted) return e.ref;
    }
    return 0;
  }
  /// Cancels `ref` entirely (leave 0) or down to `leave`.
  void Cancel(Timestamp t, const std::string& cat, OrderRef ref, Qty leave = 0,
              ParticipantId who = 1) {
    Command c;
    c.type = CommandType::kCancelOrder;
    c.time = t;
    c.category = Cat(cat);
    c.ref = ref;
    c.qty = leave;
    c.participant = who;
    Run(c);
  }
  /// Replaces `ref`; returns the new reference (0 if rejected).
  OrderRef Replace(Timestamp t, const std::string& cat, OrderRef ref, Price price, Qty qty,
                   ParticipantId who = 1) {
    Command c;
    c.type = CommandType::kReplaceOrder;
    c.time = t;
    c.category = Cat(cat);
    c.ref = ref;
    c.price = price;
    c.qty = qty;
    c.participant = who;
    c.tif = 99999;
    for (const Event& e : Run(c)) {
      if (e.type == EventType::kReplaced) return e.ref;
    }
    return 0;
  }

  /// The current day's feed so far (message i is sequence i + 1).
  std::vector<Bytes> Messages() const {
    std::vector<Bytes> out;
    if (!feed.day()) return out;
    const MessageLog& log = feed.day()->log;
    for (uint64_t s = 1; s <= log.size(); ++s) {
      const auto m = log.message(s);
      out.emplace_back(m.begin(), m.end());
    }
    return out;
  }
  std::string Session() const { return feed.day() ? feed.day()->session : ""; }

  /// Every category's book as the engine holds it, in EngineBookText form.
  std::vector<std::string> EngineBooks() const {
    std::vector<std::string> out;
    for (size_t c = 0; c < engine.num_categories(); ++c) {
      out.push_back(md::EngineBookText(engine.book(static_cast<CategoryId>(c)),
                                       engine.config().categories[c].code));
    }
    return out;
  }

  Engine engine;
  FeedBuilder feed;
  std::vector<Event> events;  ///< of the last command
  std::vector<Event> log;     ///< of every command
};

/// Every category's book as `book` rebuilt it.
inline std::vector<std::string> ItchBooks(const md::ItchBook& book) {
  std::vector<std::string> out;
  for (size_t c = 0; c < book.num_categories(); ++c) out.push_back(book.BookText(c));
  return out;
}

/// A seeded random acceptance phase: `n` actions (new orders around each category's base
/// price, full and partial cancels, replaces) between `from` and `to` (exclusive).
/// `live` keeps the references believed resting (stale ones just get cancel rejects).
inline void RandomSession(FeedDayHarness& h, std::mt19937_64& rng, Timestamp from, Timestamp to,
                          int n, std::vector<std::pair<std::string, OrderRef>>* live) {
  const auto& cats = h.engine.config().categories;
  for (int i = 0; i < n; ++i) {
    const Timestamp t = from + (to - from) * i / n;
    const int action = static_cast<int>(rng() % 10);
    if (action < 7 || live->empty()) {
      const auto& c = cats[rng() % cats.size()];
      const CategoryId id = h.Cat(c.code);
      const Price base = h.engine.base_price(id);
      const Price spread = std::max<Price>(1, base / 20);
      const Price price = std::max<Price>(1, base - spread + static_cast<Price>(rng() % (2 * spread + 1)));
      const char side = rng() % 2 ? 'B' : 'S';
      const uint32_t tif = rng() % 5 == 0 ? 0 : 99999;
      const OrderRef ref = h.Order(t, c.code, side, price, 1 + static_cast<Qty>(rng() % 300),
                                   1 + static_cast<ParticipantId>(rng() % 6), tif);
      if (ref != 0) live->push_back({c.code, ref});
    } else {
      const size_t k = rng() % live->size();
      const auto [code, ref] = (*live)[k];
      const Order* o = h.engine.book(h.Cat(code)).Find(ref);
      if (o == nullptr) {
        live->erase(live->begin() + static_cast<long>(k));
        continue;
      }
      if (action == 7) {
        h.Cancel(t, code, ref, 0, o->participant);
        live->erase(live->begin() + static_cast<long>(k));
      } else if (action == 8 && o->qty > 1) {
        h.Cancel(t, code, ref, 1 + static_cast<Qty>(rng() % (o->qty - 1)), o->participant);
      } else {
        const OrderRef fresh = h.Replace(t, code, ref, o->price + (rng() % 2 ? 1 : -1),
                                         1 + static_cast<Qty>(rng() % 300), o->participant);
        if (fresh != 0) (*live)[k].second = fresh;
      }
    }
  }
}

}  // namespace ccx::mdtest
