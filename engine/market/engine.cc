#include "engine/market/engine.h"

#include <algorithm>

namespace ccx {
namespace {

Band BandFor(const CategoryConfig& c, Price base) {
  return ComputeBand(base, c.band_percent, c.tick, c.floor, c.ceiling);
}

// FNV-1a, 64-bit: small, stable across platforms and compilers.
struct Fnv {
  uint64_t h = 14695981039346656037ull;
  void Mix(uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  }
};

}  // namespace

Engine::Category::Category(const CategoryConfig* c, const TradingCalendar* cal, int32_t offset,
                           Band b)
    : cfg(c), book(c->tick, c->max_resting_orders, b), cursor(c, cal, offset),
      base(c->reference_price), band(b) {}

Engine::Engine(MarketConfig config)
    : config_(std::move(config)), calendar_(config_.extra_closures) {
  uint32_t max_orders = 1;
  for (const auto& c : config_.categories) {
    cats_.push_back(std::make_unique<Category>(&c, &calendar_, config_.utc_offset_minutes,
                                               BandFor(c, c.reference_price)));
    max_orders = std::max(max_orders, c.max_resting_orders);
  }
  // An auction executes each resting order at most once and pairs at most that many trades.
  executions_.reserve(max_orders);
  trades_.reserve(max_orders);
  allocator_.Reserve(max_orders);
}

Event Engine::CanceledEvent(const Order& o, CategoryId id, CancelReason reason) const {
  Event e;
  e.type = EventType::kCanceled;
  e.time = now_;
  e.category = id;
  e.side = o.side;
  e.tif = o.tif;
  e.participant = o.participant;
  e.ref = o.ref;
  e.price = o.price;
  e.qty = o.qty;  // the whole open quantity goes
  e.qty2 = 0;
  e.reason = static_cast<uint8_t>(reason);
  return e;
}

Event Engine::Reply(const Command& c, EventType type) const {
  Event e;
  e.type = type;
  e.time = now_;
  e.tag = c.tag;
  e.category = c.category;
  e.participant = c.participant;
  e.ref = c.ref;
  return e;
}

void Engine::EmitPhase(CategoryId id, std::vector<Event>* out) {
  Event e;
  e.type = EventType::kPhase;
  e.time = now_;
  e.category = id;
  e.reason = static_cast<uint8_t>(halted(id) ? Phase::kHalted : cats_[id]->phase);
  e.session = static_cast<uint8_t>(std::max(cats_[id]->session, 0));
  out->push_back(e);
}

void Engine::Process(const Command& c, std::vector<Event>* out) {
  if (!started_) Start(c.time, out);
  AdvanceTo(c.time, out);
  // Commands aimed at one category name a known one (kNoCategory = the whole market is
  // only meaningful for halt/resume; a cancel of an unknown category is a cancel reject).
  const bool market_wide = (c.type == CommandType::kHalt || c.type == CommandType::kResume) &&
                           c.category == kNoCategory;
  const bool targets_category =
      c.type == CommandType::kEnterOrder || c.type == CommandType::kReplaceOrder ||
      c.type == CommandType::kSetReferencePrice || c.type == CommandType::kHalt ||
      c.type == CommandType::kResume;
  if (targets_category && !market_wide && c.category >= cats_.size()) {
    Event e = Reply(c, EventType::kRejected);
    e.reason = static_cast<uint8_t>(RejectReason::kUnknownCategory);
    out->push_back(e);
    return;
  }
  switch (c.type) {
    case CommandType::kEnterOrder: Enter(c, out); break;
    case CommandType::kReplaceOrder: Replace(c, out); break;
    case CommandType::kCancelOrder: Cancel(c, out); break;
    case CommandType::kClock: break;
    case CommandType::kHalt: SetHalt(c, true, out); break;
    case CommandType::kResume: SetHalt(c, false, out); break;
    case CommandType::kSetReferencePrice: SetReferencePrice(c, out); break;
    case CommandType::kSuspendParticipant: SetSuspended(c, true, out); break;
    case CommandType::kReinstateParticipant: SetSuspended(c, false, out); break;
    default: {
      Event e = Reply(c, EventType::kRejected);
      e.reason = static_cast<uint8_t>(RejectReason::kOther);
      out->push_back(e);
    }
  }
}

void Engine::Start(Timestamp t, std::vector<Event>* out) {
  // Positions every schedule at local midnight of the first command's day; AdvanceTo then
  // replays that day's transitions up to the command's time.
  started_ = true;
  const absl::CivilDay day = LocalDay(t, config_.utc_offset_minutes);
  now_ = LocalToTimestamp(day, 0, config_.utc_offset_minutes);
  for (size_t i = 0; i < cats_.size(); ++i) {
    Category& cat = *cats_[i];
    cat.cursor.Reset(day);  // the day-start transition then sets and reports the phase
  }
  (void)out;
}

void Engine::AdvanceTo(Timestamp t, std::vector<Event>* out) {
  if (t < now_) t = now_;  // time never goes backwards
  // Run due transitions in (time, category) order, so the result does not depend on how
  // the caller sliced time into commands.
  for (;;) {
    int best = -1;
    for (size_t i = 0; i < cats_.size(); ++i) {
      const Timestamp ti = cats_[i]->cursor.next().time;
      if (ti <= t && (best < 0 || ti < cats_[best]->cursor.next().time)) best = static_cast<int>(i);
    }
    if (best < 0) break;
    Category& cat = *cats_[best];
    const Transition tr = cat.cursor.next();
    now_ = std::max(now_, tr.time);
    RunTransition(static_cast<CategoryId>(best), tr, out);
    cat.cursor.Advance();
  }
  now_ = t;
}

void Engine::RunTransition(CategoryId id, const Transition& tr, std::vector<Event>* out) {
  Category& cat = *cats_[id];
  if (tr.kind == TransitionKind::kDayStart) {
    cat.phase = cat.cursor.TradesOn(cat.cursor.day()) ? Phase::kClosed : Phase::kNotTrading;
    cat.session = -1;
    EmitPhase(id, out);
    return;
  }
  if (tr.kind == TransitionKind::kOpen) {
    cat.phase = Phase::kAcceptance;
    cat.session = tr.session;
    EmitPhase(id, out);
    return;
  }
  RunAuction(id, tr, out);
}

void Engine::RunAuction(CategoryId id, const Transition& tr, std::vector<Event>* out) {
  Category& cat = *cats_[id];
  const uint8_t flag = tr.last_auction ? 'C' : 'I';
  // Executions, trades and the result share the auction's header fields.
  auto auction_event = [&](EventType type) {
    Event e;
    e.type = type;
    e.time = now_;
    e.category = id;
    e.session = tr.session;
    e.reason = flag;
    return e;
  };
  Event result = auction_event(EventType::kAuction);
  if (!halted(id)) {
    const Clearing clearing = PriceBook(cat.book, cat.base);
    if (clearing.executes) {
      executions_.clear();
      trades_.clear();
      allocator_.Execute(cat.book, clearing, cat.cfg->allocation, cat.cfg->unit, &next_match_,
                         &executions_, &trades_);
      for (const Execution& x : executions_) {
        Event e = auction_event(EventType::kExecuted);
        e.side = x.side;
        e.participant = x.participant;
        e.ref = x.ref;
        e.price = x.price;
        e.qty = x.qty;
        e.qty2 = x.leaves;
        e.match = x.match;
        out->push_back(e);
      }
      for (const Trade& t : trades_) {
        Event e = auction_event(EventType::kTrade);
        e.ref = t.buy_ref;
        e.ref2 = t.sell_ref;
        e.participant = t.buyer;
        e.participant2 = t.seller;
        e.price = t.price;
        e.qty = t.qty;
        e.match = t.buy_match;
        e.match2 = t.sell_match;
        out->push_back(e);
      }
      result.price = clearing.price;
      result.qty = static_cast<Qty>(std::min<Volume>(clearing.volume, UINT32_MAX));
      result.match = next_match_++;
      out->push_back(result);
      SetBase(id, clearing.price, out);
    } else {
      out->push_back(result);
    }
  } else {
    result.pad0 = 'H';  // skipped: halted
    out->push_back(result);
  }
  // AUCTION orders live for this auction only; after the day's last auction DAY orders
  // expire too.
  const bool last = tr.last_auction;
  cat.book.RemoveIf([last](const Order& o) { return last || o.tif == Tif::kAuction; },
                    [&](const Order& o) {
                      out->push_back(CanceledEvent(o, id, o.tif == Tif::kAuction
                                                              ? CancelReason::kAuctionNotExecuted
                                                              : CancelReason::kDayExpired));
                    });
  cat.phase = last ? Phase::kClosed : Phase::kIntermission;
  cat.session = -1;
  EmitPhase(id, out);
}

void Engine::SetBase(CategoryId id, Price base, std::vector<Event>* out) {
  Category& cat = *cats_[id];
  cat.base = base;
  cat.band = BandFor(*cat.cfg, base);
  cat.book.SetBand(cat.band);
  Event e;
  e.type = EventType::kBasePrice;
  e.time = now_;
  e.category = id;
  e.price = base;
  e.qty = static_cast<Qty>(cat.band.lower);
  e.qty2 = static_cast<Qty>(cat.band.upper);
  out->push_back(e);
}

RejectReason Engine::CheckOrder(const Category& cat, const Command& c, Tif* tif) const {
  const CategoryConfig& cfg = *cat.cfg;
  if (suspended(c.participant)) return RejectReason::kFirmNotAuthorized;
  if (c.side == 'T' || c.side == 'E') return RejectReason::kShortSale;
  if (c.side != 'B' && c.side != 'S') return RejectReason::kOther;
  if (c.tif == 99998 || c.tif == 99999) {
    *tif = Tif::kDay;
  } else if (c.tif == 0) {
    *tif = Tif::kAuction;
  } else {
    return RejectReason::kTimeInForce;
  }
  if (c.min_qty != 0) return RejectReason::kMinQuantity;
  if (c.qty == 0 || c.qty > cfg.max_order_qty || c.qty % cfg.unit != 0) {
    return RejectReason::kInvalidQuantity;
  }
  if (c.price <= 0 || c.price % cfg.tick != 0) return RejectReason::kInvalidPrice;
  if (cat.phase == Phase::kNotTrading) return RejectReason::kNotTradingToday;
  if (cat.phase != Phase::kAcceptance) return RejectReason::kMarketClosed;
  if (cat.halted || market_halted_) return RejectReason::kHalted;
  if (c.price < cat.band.lower || c.price > cat.band.upper) return RejectReason::kOutsideBand;
  return RejectReason::kOther;  // meaning: no objection
}

std::optional<RejectReason> Engine::Validate(const Command& c) const {
  if (c.category >= cats_.size()) return RejectReason::kUnknownCategory;
  const Category& cat = *cats_[c.category];
  Command nc = c;
  if (c.type == CommandType::kReplaceOrder) {
    const Order* old = cat.book.Find(c.ref);
    if (old == nullptr || old->participant != c.participant) return RejectReason::kOther;
    nc.side = static_cast<char>(old->side);
  }
  Tif tif = Tif::kDay;
  const RejectReason r = CheckOrder(cat, nc, &tif);
  if (r != RejectReason::kOther) return r;
  if (c.type == CommandType::kEnterOrder && cat.book.order_count() >= cat.book.capacity()) {
    return RejectReason::kOther;  // the book is full
  }
  return std::nullopt;
}

void Engine::Enter(const Command& c, std::vector<Event>* out) {
  Event e = Reply(c, EventType::kRejected);
  Category& cat = *cats_[c.category];
  Tif tif = Tif::kDay;
  const RejectReason r = CheckOrder(cat, c, &tif);
  // kOther from CheckOrder means "no objection"; a full book is rejected as kOther too.
  if (r != RejectReason::kOther || cat.book.order_count() >= cat.book.capacity()) {
    e.reason = static_cast<uint8_t>(r);
    out->push_back(e);
    return;
  }
  const Side side = c.side == 'B' ? Side::kBuy : Side::kSell;
  const OrderRef ref = next_ref_++;
  cat.book.Add(ref, c.participant, side, c.price, c.qty, tif);
  e.type = EventType::kAccepted;
  e.ref = ref;
  e.side = side;
  e.tif = tif;
  e.price = c.price;
  e.qty = c.qty;
  out->push_back(e);
}

void Engine::Replace(const Command& c, std::vector<Event>* out) {
  Event e = Reply(c, EventType::kRejected);
  Category& cat = *cats_[c.category];
  const Order* old = cat.book.Find(c.ref);
  if (old == nullptr || old->participant != c.participant) {
    e.reason = static_cast<uint8_t>(RejectReason::kOther);  // no such live order of yours
    out->push_back(e);
    return;
  }
  Command nc = c;
  nc.side = static_cast<char>(old->side);
  Tif tif = Tif::kDay;
  const RejectReason r = CheckOrder(cat, nc, &tif);
  if (r != RejectReason::kOther) {
    e.reason = static_cast<uint8_t>(r);
    out->push_back(e);
    return;
  }
  const Side side = old->side;
  cat.book.Cancel(c.ref);
  const OrderRef ref = next_ref_++;
  cat.book.Add(ref, c.participant, side, c.price, c.qty, tif);  // slot freed just above
  e.type = EventType::kReplaced;
  e.ref = ref;
  e.ref2 = c.ref;
  e.side = side;
  e.tif = tif;
  e.price = c.price;
  e.qty = c.qty;
  out->push_back(e);
}

void Engine::Cancel(const Command& c, std::vector<Event>* out) {
  Event e = Reply(c, EventType::kCancelRejected);
  if (c.category >= cats_.size()) {
    out->push_back(e);
    return;
  }
  Category& cat = *cats_[c.category];
  const Order* o = cat.book.Find(c.ref);
  // Cancels are accepted in acceptance phases, halted or not; a reduction must reduce.
  if (o == nullptr || o->participant != c.participant || cat.phase != Phase::kAcceptance ||
      (c.qty != 0 && c.qty >= o->qty)) {
    out->push_back(e);
    return;
  }
  e.type = EventType::kCanceled;
  e.side = o->side;
  e.tif = o->tif;
  e.price = o->price;
  e.reason = static_cast<uint8_t>(CancelReason::kUserRequest);
  e.qty = o->qty - c.qty;
  e.qty2 = c.qty;
  if (c.qty == 0) {
    cat.book.Cancel(c.ref);
  } else {
    cat.book.Reduce(c.ref, c.qty);
  }
  out->push_back(e);
}

void Engine::SetHalt(const Command& c, bool halt, std::vector<Event>* out) {
  if (c.category == kNoCategory) {
    market_halted_ = halt;
    for (size_t i = 0; i < cats_.size(); ++i) EmitPhase(static_cast<CategoryId>(i), out);
    return;
  }
  cats_[c.category]->halted = halt;
  EmitPhase(c.category, out);
}

void Engine::SetReferencePrice(const Command& c, std::vector<Event>* out) {
  Event e = Reply(c, EventType::kRejected);
  const CategoryConfig& cfg = *cats_[c.category]->cfg;
  if (c.price <= 0 || c.price % cfg.tick != 0) {
    e.reason = static_cast<uint8_t>(RejectReason::kInvalidPrice);
    out->push_back(e);
    return;
  }
  SetBase(c.category, c.price, out);
}

void Engine::SetSuspended(const Command& c, bool suspend, std::vector<Event>* out) {
  if (c.participant >= suspended_.size()) suspended_.resize(c.participant + 1, 0);
  suspended_[c.participant] = suspend ? 1 : 0;
  Event st = Reply(c, EventType::kParticipantStatus);
  st.reason = suspend ? 'D' : 'A';
  out->push_back(st);
  if (!suspend) return;
  for (size_t i = 0; i < cats_.size(); ++i) {
    const auto id = static_cast<CategoryId>(i);
    cats_[i]->book.RemoveIf(
        [&](const Order& o) { return o.participant == c.participant; },
        [&](const Order& o) { out->push_back(CanceledEvent(o, id, CancelReason::kSuspended)); });
  }
}

uint64_t Engine::StateHash() const {
  Fnv f;
  f.Mix(static_cast<uint64_t>(now_));
  f.Mix(next_ref_);
  f.Mix(next_match_);
  f.Mix(market_halted_);
  for (size_t p = 0; p < suspended_.size(); ++p) {
    if (suspended_[p]) f.Mix(p);
  }
  for (const auto& cp : cats_) {
    const Category& c = *cp;
    f.Mix(static_cast<uint64_t>(c.phase) | (static_cast<uint64_t>(c.halted) << 8) |
          (static_cast<uint64_t>(c.session + 1) << 16));
    f.Mix(static_cast<uint64_t>(c.base));
    f.Mix(static_cast<uint64_t>(c.cursor.next().time));
    for (Side s : {Side::kBuy, Side::kSell}) {
      c.book.ForEachOrder(s, [&](const Order& o) {
        f.Mix(o.ref);
        f.Mix(o.participant);
        f.Mix(static_cast<uint64_t>(o.price));
        f.Mix(o.qty);
        f.Mix(static_cast<uint64_t>(o.side) | (static_cast<uint64_t>(o.tif) << 8));
      });
    }
  }
  return f.h;
}

}  // namespace ccx
