#include "marketdata/feed/feed_builder.h"

#include <cstdlib>

#include "absl/strings/str_format.h"
#include "engine/market/schedule.h"

namespace ccx {
namespace {

// ITCH trading state and reason of a category's phase (kPhase event reason).
char TradingState(uint8_t phase) {
  switch (static_cast<Phase>(phase)) {
    case Phase::kAcceptance: return 'T';
    case Phase::kHalted: return 'H';
    default: return 'Q';
  }
}
const char* TradingReason(uint8_t phase) {
  switch (static_cast<Phase>(phase)) {
    case Phase::kAcceptance: return "OPEN";
    case Phase::kHalted: return "HALT";
    case Phase::kIntermission: return "INTM";
    case Phase::kNotTrading: return "NTRD";
    default: return "CLSD";
  }
}

bool SameContent(itch::Noii a, itch::Noii b) {
  a.header.timestamp = b.header.timestamp = 0;
  return a == b;
}

}  // namespace

FeedBuilder::FeedBuilder(const MarketConfig& config, int64_t noii_interval_ns)
    : config_(config), interval_(noii_interval_ns), cats_(config.categories.size()) {
  for (const auto& c : config_.categories) stocks_.push_back(itch::MakeStock(c.code));
}

itch::Header FeedBuilder::Header(CategoryId c, Timestamp t) const {
  itch::Header h;
  h.stock_locate = c == kNoCategory ? 0 : static_cast<uint16_t>(c + 1);
  h.timestamp = static_cast<uint64_t>(LocalNanosOfDay(t, config_.utc_offset_minutes));
  return h;
}

void FeedBuilder::Release() {
  if (previous_) previous_->log.Release();
  if (day_) day_->log.Release();
}

bool FeedBuilder::ClockDue(Timestamp t) const {
  for (const CategoryState& s : cats_) {
    if (s.dirty && (s.force || t >= s.last_time + interval_)) return true;
  }
  return false;
}

void FeedBuilder::StartDay(absl::CivilDay d, Timestamp t) {
  if (day_) EndDay(t - 1);
  previous_ = std::move(day_);
  day_ = std::make_shared<FeedDay>();
  day_->day = d;
  day_->session = SessionName(d);
  market_open_sent_ = market_close_sent_ = false;
  for (CategoryState& s : cats_) s = CategoryState{};
  // Start of messages, the directory, start of system hours.
  Put(itch::SystemEvent{Header(kNoCategory, t), 'O'});
  for (size_t c = 0; c < config_.categories.size(); ++c) {
    itch::StockDirectory r;
    r.header = Header(static_cast<CategoryId>(c), t);
    r.stock = stocks_[c];
    r.market_category = 'C';  // ccx: carbon credits
    r.financial_status = 'N';
    r.round_lot_size = config_.categories[c].unit;
    r.round_lots_only = 'Y';
    r.issue_classification = 'C';
    r.issue_sub_type = wire::MakeAlpha<2>("CC");
    r.authenticity = 'P';
    r.short_sale_threshold = 'N';
    r.ipo_flag = 'N';
    r.luld_tier = ' ';
    r.etp_flag = 'N';
    r.inverse = 'N';
    Put(r);
  }
  Put(itch::SystemEvent{Header(kNoCategory, t), 'S'});
}

void FeedBuilder::EndDay(Timestamp t) {
  if (!market_close_sent_ && market_open_sent_) Put(itch::SystemEvent{Header(kNoCategory, t), 'M'});
  Put(itch::SystemEvent{Header(kNoCategory, t), 'E'});
  Put(itch::SystemEvent{Header(kNoCategory, t), 'C'});
}

char FeedBuilder::NextCrossType(CategoryId c, const Engine& engine) const {
  const Transition& tr = engine.next_transition(c);
  const auto& sessions = config_.categories[c].sessions;
  if (tr.kind == TransitionKind::kAuction) return tr.last_auction ? 'C' : 'I';
  const size_t s = tr.kind == TransitionKind::kOpen ? tr.session : 0;
  return s + 1 >= sessions.size() ? 'C' : 'I';
}

void FeedBuilder::OnApplied(Timestamp t, std::span<const Event> events, const Engine& engine) {
  for (const Event& e : events) {
    if (!day_ || e.time >= next_day_) {
      const absl::CivilDay d = LocalDay(e.time, config_.utc_offset_minutes);
      if (!day_ || d > day_->day) {
        StartDay(d, e.time);
        next_day_ = LocalToTimestamp(d + 1, 0, config_.utc_offset_minutes);
      }
    }
    OnEvent(e);
  }
  if (!day_) return;
  for (size_t c = 0; c < cats_.size(); ++c) MaybeNoii(static_cast<CategoryId>(c), t, engine);
  if (!events.empty()) MaybeEndOfMarket(events.back().time, engine);
}

void FeedBuilder::OnEvent(const Event& e) {
  const CategoryId c = e.category;
  const bool known = c < cats_.size();
  switch (e.type) {
    case EventType::kAccepted: {
      itch::AddOrder a;
      a.header = Header(c, e.time);
      a.order_ref = e.ref;
      a.side = static_cast<char>(e.side);
      a.shares = e.qty;
      a.stock = stocks_[c];
      a.price = static_cast<uint32_t>(e.price) * itch::kPriceScale;
      Put(a);
      break;
    }
    case EventType::kReplaced: {
      itch::OrderReplace u;
      u.header = Header(c, e.time);
      u.original_ref = e.ref2;
      u.new_ref = e.ref;
      u.shares = e.qty;
      u.price = static_cast<uint32_t>(e.price) * itch::kPriceScale;
      Put(u);
      break;
    }
    case EventType::kCanceled:
      if (e.qty2 == 0) {
        Put(itch::OrderDelete{Header(c, e.time), e.ref});
      } else {
        Put(itch::OrderCancel{Header(c, e.time), e.ref, e.qty});
      }
      break;
    case EventType::kExecuted:
      Put(itch::OrderExecuted{Header(c, e.time), e.ref, e.qty, e.match});
      break;
    case EventType::kAuction: {
      itch::CrossTrade q;
      q.header = Header(c, e.time);
      q.shares = e.price > 0 ? e.qty : 0;
      q.stock = stocks_[c];
      q.cross_price = static_cast<uint32_t>(e.price) * itch::kPriceScale;
      q.match_number = e.price > 0 ? e.match : 0;
      q.cross_type = static_cast<char>(e.reason);
      Put(q);
      if (known) cats_[c].force = true;  // the post-auction NOII (new base, book left)
      break;
    }
    case EventType::kPhase: {
      itch::TradingAction h;
      h.header = Header(c, e.time);
      h.stock = stocks_[c];
      h.trading_state = TradingState(e.reason);
      h.reason = wire::MakeAlpha<4>(TradingReason(e.reason));
      Put(h);
      if (static_cast<Phase>(e.reason) == Phase::kAcceptance) {
        if (!market_open_sent_) {
          market_open_sent_ = true;
          Put(itch::SystemEvent{Header(kNoCategory, e.time), 'Q'});
        }
        if (known) cats_[c].force = true;
      }
      break;
    }
    case EventType::kBasePrice:
      break;  // goes out in the category's next NOII (far/near price)
    default:
      return;  // rejects, cancel rejects, trades (private), participant status
  }
  if (known) cats_[c].dirty = true;
}

void FeedBuilder::MaybeNoii(CategoryId c, Timestamp t, const Engine& engine) {
  CategoryState& s = cats_[c];
  if (!s.dirty) return;
  if (!s.force) {
    if (engine.phase(c) != Phase::kAcceptance) {
      s.dirty = false;  // NOIIs are for acceptance phases (and the forced ones)
      return;
    }
    if (s.has_last && t < s.last_time + interval_) return;  // held back: ClockDue says when
  }
  const Clearing x = engine.Indicative(c);
  itch::Noii n;
  n.header = Header(c, t);
  n.paired_shares = static_cast<uint64_t>(x.volume);
  const Volume surplus = x.executes ? x.surplus() : 0;
  n.imbalance_shares = static_cast<uint64_t>(std::llabs(surplus));
  n.imbalance_direction = surplus > 0 ? 'B' : (surplus < 0 ? 'S' : 'N');
  n.stock = stocks_[c];
  const uint32_t base = static_cast<uint32_t>(engine.base_price(c)) * itch::kPriceScale;
  n.far_price = base;
  n.near_price = base;
  n.reference_price = x.executes ? static_cast<uint32_t>(x.price) * itch::kPriceScale : 0;
  n.cross_type = NextCrossType(c, engine);
  n.price_variation = ' ';
  const bool changed = !s.has_last || !SameContent(n, s.last);
  if (changed || s.force) {
    Put(n);
    s.last = n;
    s.has_last = true;
    s.last_time = t;
  }
  s.dirty = false;
  s.force = false;
}

void FeedBuilder::MaybeEndOfMarket(Timestamp t, const Engine& engine) {
  if (!market_open_sent_ || market_close_sent_) return;
  // Market hours end once no category has an auction or opening left today.
  const Timestamp midnight = LocalToTimestamp(day_->day + 1, 0, config_.utc_offset_minutes);
  for (size_t c = 0; c < engine.num_categories(); ++c) {
    if (engine.next_transition(static_cast<CategoryId>(c)).time < midnight) return;
  }
  market_close_sent_ = true;
  Put(itch::SystemEvent{Header(kNoCategory, t), 'M'});
}

}  // namespace ccx
