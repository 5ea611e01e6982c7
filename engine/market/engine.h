// The Engine: every category's book, schedule, base price and band, driven by Commands in
// sequence order and answering with Events (events.h). Single-threaded and deterministic:
// the same commands give byte-identical events and the same StateHash(). No I/O, no clock:
// time arrives in the commands. Pools and scratch buffers are sized from the configuration
// at construction; order entry, cancel, replace and the uncross do not allocate afterwards
// (the caller reserves its event vector).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/auction/allocator.h"
#include "engine/auction/auction_types.h"
#include "engine/auction/pricer.h"
#include "engine/book/book.h"
#include "engine/calendar/calendar.h"
#include "engine/config/market_config.h"
#include "engine/market/events.h"
#include "engine/market/schedule.h"

namespace ccx {

class Engine {
 public:
  /// An engine for `config` (copied). Order references and match numbers start at 1 unless
  /// restored with SetCounters.
  explicit Engine(MarketConfig config);

  /// Applies one command: first runs every scheduled transition (phase changes, auctions,
  /// expiry) up to `cmd.time`, then the command itself. Appends all resulting events to
  /// `*out` in order; the caller owns and drains `*out`.
  void Process(const Command& cmd, std::vector<Event>* out);

  /// What Process would answer to the enter or replace command `c` right now, without
  /// changing anything: nullopt when it would be accepted, else the reject reason. (Callers
  /// check it before reserving credits or cash, so that those rejects come last.) The
  /// schedule is taken as it is: advance it with a kClock command first.
  std::optional<RejectReason> Validate(const Command& c) const;

  /// The indicative auction price and volume of a category now (O(log levels)).
  Clearing Indicative(CategoryId c) const { return PriceBook(cats_[c]->book, cats_[c]->base); }

  size_t num_categories() const { return cats_.size(); }
  const MarketConfig& config() const { return config_; }
  const TradingCalendar& calendar() const { return calendar_; }
  const Book& book(CategoryId c) const { return cats_[c]->book; }
  Phase phase(CategoryId c) const { return cats_[c]->phase; }
  bool halted(CategoryId c) const { return cats_[c]->halted || market_halted_; }
  bool market_halted() const { return market_halted_; }
  Price base_price(CategoryId c) const { return cats_[c]->base; }
  Band band(CategoryId c) const { return cats_[c]->band; }
  /// The scheduled transition the category is waiting for.
  const Transition& next_transition(CategoryId c) const { return cats_[c]->cursor.next(); }
  Timestamp now() const { return now_; }
  OrderRef next_ref() const { return next_ref_; }
  MatchNumber next_match() const { return next_match_; }
  bool suspended(ParticipantId p) const { return p < suspended_.size() && suspended_[p]; }

  /// A 64-bit FNV-1a hash of the whole market state (books in price-time order, base
  /// prices, phases, halts, counters). Equal states hash equal; O(orders).
  uint64_t StateHash() const;

 private:
  struct Category {
    Category(const CategoryConfig* c, const TradingCalendar* cal, int32_t offset, Band b);
    const CategoryConfig* cfg;
    Book book;
    ScheduleCursor cursor;
    Phase phase = Phase::kClosed;
    int session = -1;  // acceptance session index while in kAcceptance
    Price base = 0;
    Band band;
    bool halted = false;
  };

  void Start(Timestamp t, std::vector<Event>* out);
  void AdvanceTo(Timestamp t, std::vector<Event>* out);
  void RunTransition(CategoryId id, const Transition& tr, std::vector<Event>* out);
  void RunAuction(CategoryId id, const Transition& tr, std::vector<Event>* out);
  void Enter(const Command& c, std::vector<Event>* out);
  void Replace(const Command& c, std::vector<Event>* out);
  void Cancel(const Command& c, std::vector<Event>* out);
  void SetHalt(const Command& c, bool halt, std::vector<Event>* out);
  void SetReferencePrice(const Command& c, std::vector<Event>* out);
  void SetSuspended(const Command& c, bool suspend, std::vector<Event>* out);
  /// Checks an order's own fields and the category's state; kOther means "accepted".
  RejectReason CheckOrder(const Category& cat, const Command& c, Tif* tif) const;
  void SetBase(CategoryId id, Price base, std::vector<Event>* out);
  Event Reply(const Command& c, EventType type) const;
  /// The event for an order removed whole by the exchange (expiry, suspension).
  Event CanceledEvent(const Order& o, CategoryId id, CancelReason reason) const;
  void EmitPhase(CategoryId id, std::vector<Event>* out);

  MarketConfig config_;
  TradingCalendar calendar_;
  std::vector<std::unique_ptr<Category>> cats_;
  bool started_ = false;
  bool market_halted_ = false;
  Timestamp now_ = 0;
  OrderRef next_ref_ = 1;
  MatchNumber next_match_ = 1;
  std::vector<uint8_t> suspended_;
  // Auction scratch, shared by all categories (one auction runs at a time).
  Allocator allocator_;
  std::vector<Execution> executions_;
  std::vector<Trade> trades_;
};

}  // namespace ccx
