#include "gateway/core/order_entry.h"

#include <cstring>
#include <limits>

#include "absl/strings/str_format.h"
#include "settlement/registry.h"

namespace ccx {
namespace {
constexpr uint64_t kOuchTag = 1;  // commands from OUCH carry tag 1; operator commands 0
}  // namespace

OrderEntry::OrderEntry(MarketConfig market, ParticipantRegistry participants)
    : market_(market), reg_(std::move(participants)), engine_(std::move(market)) {
  const size_t n = reg_.participants.size();
  state_.resize(n);
  events_.reserve(1 << 16);
  applied_.reserve(1 << 16);
}

std::string OrderEntry::SessionName() const {
  return streams_ ? streams_->session : std::string();
}

void OrderEntry::Release() {
  for (const auto* d : {previous_.get(), streams_.get()}) {
    if (d == nullptr) continue;
    for (const auto& s : d->streams) s->Release();
  }
}

bool OrderEntry::ClockDue(Timestamp time) const {
  if (!started_) return true;
  for (size_t c = 0; c < engine_.num_categories(); ++c) {
    if (engine_.next_transition(static_cast<CategoryId>(c)).time <= time) return true;
  }
  return false;
}

uint64_t OrderEntry::OuchTime(Timestamp t) const {
  return static_cast<uint64_t>(LocalNanosOfDay(t, market_.utc_offset_minutes));
}

template <typename Msg>
void OrderEntry::Send(ParticipantId who, const Msg& m) {
  ouch::Encode(m, streams_->streams[who]->Append(Msg::kSize));
}

void OrderEntry::EnsureDay(Timestamp t) {
  if (started_ && t < next_day_) return;  // the usual case: still today (or earlier)
  const absl::CivilDay d = LocalDay(t, market_.utc_offset_minutes);
  if (started_ && d <= day_) return;
  if (started_) {
    // End of the trading day for every participant (if no auction closed it), then a fresh
    // session for the new day.
    SendEndOfDay(t - 1);
    for (auto& st : state_) st = ParticipantState{};
  }
  by_ref_.Reset(engine_.next_ref());  // every order of an earlier day is gone
  infos_.clear();
  previous_ = std::move(streams_);
  streams_ = std::make_shared<DayStreams>();
  streams_->day = d;
  streams_->session = ccx::SessionName(d);
  for (size_t p = 0; p < state_.size(); ++p) streams_->streams.push_back(std::make_unique<MessageLog>());
  started_ = true;
  end_of_day_sent_ = false;
  day_ = d;
  next_day_ = LocalToTimestamp(d + 1, 0, market_.utc_offset_minutes);
  for (ParticipantId p = 0; p < state_.size(); ++p) {
    Send(p, ouch::SystemEvent{OuchTime(t), 'S'});
  }
}

void OrderEntry::SendEndOfDay(Timestamp t) {
  if (end_of_day_sent_) return;
  end_of_day_sent_ = true;
  for (ParticipantId p = 0; p < state_.size(); ++p) Send(p, ouch::SystemEvent{OuchTime(t), 'E'});
}

bool OrderEntry::Apply(InputKind kind, Timestamp time, std::span<const uint8_t> payload) {
  if (time < now_) time = now_;
  now_ = time;
  applied_.clear();
  switch (kind) {
    case InputKind::kClock: {
      Command c;
      c.type = CommandType::kClock;
      c.time = time;
      RunEngine(c);
      EnsureDay(time);
      return true;
    }
    case InputKind::kSettings:
      return false;  // ExchangeCore's business, not order entry's
    case InputKind::kLedger: {
      Command c;
      c.type = CommandType::kClock;
      c.time = time;
      RunEngine(c);
      EnsureDay(time);
      return true;
    }
    case InputKind::kAdmin: {
      if (payload.size() != sizeof(Command)) return false;
      Command c;
      std::memcpy(&c, payload.data(), sizeof c);
      c.time = time;
      c.tag = 0;
      RunEngine(c);
      EnsureDay(time);
      return true;
    }
    case InputKind::kOuch: {
      if (payload.size() != sizeof(OuchInput)) return false;
      OuchInput in;
      std::memcpy(&in, payload.data(), sizeof in);
      if (in.participant >= reg_.participants.size() || in.length > sizeof in.message) {
        return false;
      }
      OnOuch(time, in);
      return true;
    }
  }
  return false;
}

void OrderEntry::OnOuch(Timestamp t, const OuchInput& in) {
  Command tick;
  tick.type = CommandType::kClock;
  tick.time = t;
  RunEngine(tick);  // transitions due before this message (e.g. the auction at 11:30:00)
  EnsureDay(t);
  const std::span<const uint8_t> msg(in.message, in.length);
  ouch::Inbound decoded;
  if (ouch::DecodeInbound(msg, &decoded) != ouch::DecodeStatus::kOk) return;
  if (auto* o = std::get_if<ouch::EnterOrder>(&decoded)) OnEnter(t, in.participant, *o);
  if (auto* r = std::get_if<ouch::ReplaceOrder>(&decoded)) OnReplace(t, in.participant, *r);
  if (auto* x = std::get_if<ouch::CancelOrder>(&decoded)) OnCancel(t, in.participant, *x);
}

bool OrderEntry::RateLimited(Timestamp t, ParticipantId who) {
  const uint32_t max = reg_.gateway.max_messages_per_second;
  ParticipantState& st = state_[who];
  const int64_t second = t / kNanosPerSecond;
  if (second != st.rate_second) {
    st.rate_second = second;
    st.rate_count = 0;
  }
  ++st.rate_count;
  return max > 0 && st.rate_count > max;
}

void OrderEntry::Reject(Timestamp t, ParticipantId who, const TokenKey& token, RejectReason r) {
  ouch::Rejected j;
  j.timestamp = OuchTime(t);
  j.token = token;
  j.reason = static_cast<char>(r);
  Send(who, j);
}

uint32_t OrderEntry::NewOrder(ParticipantId who, const ouch::EnterOrder& m, CategoryId category) {
  const auto next = static_cast<uint32_t>(infos_.size());
  if (!state_[who].orders.TryInsert(m.token, next).second) return kDuplicate;
  infos_.push_back(OrderInfo{0, category, false, m});
  return next;
}

void OrderEntry::OnEnter(Timestamp t, ParticipantId who, const ouch::EnterOrder& m) {
  const Participant& p = reg_.participants[who];
  pending_ = Pending{who, m.token, m.token, 0, 0, m};
  if (RateLimited(t, who)) return Reject(t, who, m.token, RejectReason::kRateLimit);
  const uint32_t id = NewOrder(who, m, 0);  // the token is used, whatever follows
  if (id == kDuplicate) return Reject(t, who, m.token, RejectReason::kDuplicateToken);
  pending_.info = id;
  const int cat = market_.FindCategory(ouch::StockView(m.stock));
  const std::string_view firm = ouch::FirmView(m.firm);
  if ((cat >= 0 && !p.categories[cat]) || (!firm.empty() && firm != p.firm)) {
    return Reject(t, who, m.token, RejectReason::kFirmNotAuthorized);
  }
  if (m.price % ouch::kPriceScale != 0 ||
      m.price / ouch::kPriceScale > static_cast<uint32_t>(std::numeric_limits<Price>::max())) {
    return Reject(t, who, m.token, RejectReason::kInvalidPrice);
  }
  Command c;
  c.type = CommandType::kEnterOrder;
  c.time = t;
  c.tag = kOuchTag;
  c.category = cat < 0 ? kNoCategory : static_cast<CategoryId>(cat);
  c.participant = who;
  c.side = m.side;
  c.price = static_cast<Price>(m.price / ouch::kPriceScale);
  c.qty = m.shares;
  c.tif = m.tif;
  c.min_qty = m.min_qty;
  if (registry_ != nullptr && c.category != kNoCategory) {
    if (auto r = engine_.Validate(c)) return Reject(t, who, m.token, *r);
    if (auto r = Reserve(c, nullptr)) return Reject(t, who, m.token, *r);
    RunEngine(c);
    if (!infos_[id].live) Unreserve(c, nullptr);  // refused after all
    return;
  }
  RunEngine(c);
}

void OrderEntry::OnReplace(Timestamp t, ParticipantId who, const ouch::ReplaceOrder& m) {
  ParticipantState& st = state_[who];
  if (RateLimited(t, who)) return Reject(t, who, m.replacement_token, RejectReason::kRateLimit);
  const uint32_t* found = st.orders.Find(m.existing_token);
  if (found == nullptr || !infos_[*found].live) {
    return Reject(t, who, m.replacement_token, RejectReason::kOther);  // no such live order
  }
  const uint32_t existing_id = *found;
  if (st.orders.Contains(m.replacement_token)) {
    return Reject(t, who, m.replacement_token, RejectReason::kDuplicateToken);
  }
  const OrderInfo existing = infos_[existing_id];
  ouch::EnterOrder merged = existing.entered;
  merged.token = m.replacement_token;
  merged.shares = m.shares;
  merged.price = m.price;
  merged.tif = m.tif;
  merged.display = m.display;
  merged.intermarket_sweep = m.intermarket_sweep;
  merged.min_qty = m.min_qty;
  const uint32_t id = NewOrder(who, merged, existing.category);
  pending_ = Pending{who, m.replacement_token, m.existing_token, id, existing_id, merged};
  if (m.price % ouch::kPriceScale != 0 ||
      m.price / ouch::kPriceScale > static_cast<uint32_t>(std::numeric_limits<Price>::max())) {
    return Reject(t, who, m.replacement_token, RejectReason::kInvalidPrice);
  }
  Command c;
  c.type = CommandType::kReplaceOrder;
  c.time = t;
  c.tag = kOuchTag;
  c.category = existing.category;
  c.participant = who;
  c.ref = existing.ref;
  c.price = static_cast<Price>(m.price / ouch::kPriceScale);
  c.qty = m.shares;
  c.tif = m.tif;
  c.min_qty = m.min_qty;
  const Order* old = existing.category < engine_.num_categories()
                         ? engine_.book(existing.category).Find(existing.ref)
                         : nullptr;
  if (registry_ != nullptr && old != nullptr) {
    const Order before = *old;
    if (auto r = engine_.Validate(c)) return Reject(t, who, m.replacement_token, *r);
    if (auto r = Reserve(c, &before)) return Reject(t, who, m.replacement_token, *r);
    RunEngine(c);
    if (!infos_[id].live) Unreserve(c, &before);
    return;
  }
  RunEngine(c);
}

void OrderEntry::OnCancel(Timestamp t, ParticipantId who, const ouch::CancelOrder& m) {
  ParticipantState& st = state_[who];
  pending_ = Pending{who, m.token, m.token, 0, 0, {}};
  const uint32_t* found = st.orders.Find(m.token);
  const OrderInfo* it = found == nullptr ? nullptr : &infos_[*found];
  if (RateLimited(t, who) || it == nullptr || !it->live) {
    return Send(who, ouch::CancelReject{OuchTime(t), m.token});
  }
  Command c;
  c.type = CommandType::kCancelOrder;
  c.time = t;
  c.tag = kOuchTag;
  c.category = it->category;
  c.participant = who;
  c.ref = it->ref;
  c.qty = m.shares;
  RunEngine(c);
}

std::optional<RejectReason> OrderEntry::Reserve(const Command& c, const Order* replaced) {
  const int64_t yen = int64_t{c.price} * c.qty;
  const bool sell = replaced ? replaced->side == Side::kSell : c.side == 'S';
  bool ok;
  if (replaced == nullptr) {
    ok = sell ? registry_->ReserveSell(c.participant, c.category, c.qty)
              : registry_->ReserveBuy(c.participant, yen);
  } else {
    ok = sell ? registry_->ReplaceSell(c.participant, c.category, replaced->qty, c.qty)
              : registry_->ReplaceBuy(c.participant, int64_t{replaced->price} * replaced->qty, yen);
  }
  if (ok) return std::nullopt;
  return sell ? RejectReason::kInsufficientCredits : RejectReason::kInsufficientBuyingPower;
}

void OrderEntry::Unreserve(const Command& c, const Order* replaced) {
  const int64_t yen = int64_t{c.price} * c.qty;
  if (replaced == nullptr) {
    if (c.side == 'S') {
      registry_->ReleaseSell(c.participant, c.category, c.qty);
    } else {
      registry_->ReleaseBuy(c.participant, yen);
    }
  } else if (replaced->side == Side::kSell) {
    registry_->ReplaceSell(c.participant, c.category, c.qty, replaced->qty);
  } else {
    registry_->ReplaceBuy(c.participant, yen, int64_t{replaced->price} * replaced->qty);
  }
}

void OrderEntry::Settle(const Event& e) {
  switch (e.type) {
    case EventType::kCanceled:
      if (e.side == Side::kSell) {
        registry_->ReleaseSell(e.participant, e.category, e.qty);
      } else {
        registry_->ReleaseBuy(e.participant, int64_t{e.price} * e.qty);
      }
      return;
    case EventType::kExecuted: {
      if (e.side == Side::kSell) return registry_->OnSellExecuted(e.participant, e.category, e.qty);
      // The reservation was made at the order's limit price.
      Price limit = e.price;
      if (const RefTable::Entry* r = by_ref_.Find(e.ref)) {
        limit = static_cast<Price>(infos_[r->info].entered.price / ouch::kPriceScale);
      }
      return registry_->OnBuyExecuted(e.participant, e.qty, e.price, limit);
    }
    case EventType::kTrade:
      return registry_->OnTrade(e);
    default:
      return;
  }
}

void OrderEntry::RunEngine(const Command& c) {
  events_.clear();
  engine_.Process(c, &events_);
  applied_.insert(applied_.end(), events_.begin(), events_.end());
  bool closed = false;
  for (const Event& e : events_) {
    Route(e);
    closed |= e.type == EventType::kPhase && e.reason == static_cast<uint8_t>(Phase::kClosed);
  }
  if (closed && !end_of_day_sent_) {
    // The day ends for participants once no category has a transition left today (after
    // the whole batch, so that every execution and expiry of the last auctions precedes it).
    const Timestamp midnight = LocalToTimestamp(day_ + 1, 0, market_.utc_offset_minutes);
    for (size_t cat = 0; cat < engine_.num_categories(); ++cat) {
      if (engine_.next_transition(static_cast<CategoryId>(cat)).time < midnight) return;
    }
    SendEndOfDay(events_.back().time);
  }
}

template <typename Msg>
Msg OrderEntry::LiveOrder(const Event& e, Msg m) {
  const ParticipantId who = pending_.who;
  OrderInfo& info = infos_[pending_.info];
  info.ref = e.ref;
  info.category = e.category;
  info.live = true;
  by_ref_.Set(e.ref, who, pending_.info);
  const ouch::EnterOrder& in = pending_.entered;
  m.timestamp = OuchTime(e.time);
  m.side = static_cast<char>(e.side);
  m.shares = e.qty;
  m.stock = in.stock;
  m.price = static_cast<uint32_t>(e.price) * ouch::kPriceScale;
  m.tif = in.tif;
  m.firm = ouch::MakeFirm(reg_.participants[who].firm);
  m.display = in.display;
  m.order_ref = e.ref;
  m.capacity = in.capacity;
  m.intermarket_sweep = in.intermarket_sweep;
  m.min_qty = in.min_qty;
  m.cross_type = in.cross_type;
  m.order_state = 'L';
  return m;
}

void OrderEntry::Route(const Event& e) {
  EnsureDay(e.time);
  if (registry_ != nullptr) Settle(e);  // before the order's bookkeeping below forgets it
  const uint64_t ts = OuchTime(e.time);
  switch (e.type) {
    case EventType::kAccepted: {
      ouch::Accepted a;
      a.token = pending_.token;
      Send(pending_.who, LiveOrder(e, a));
      return;
    }
    case EventType::kReplaced: {
      infos_[pending_.previous_info].live = false;
      by_ref_.Erase(e.ref2);
      ouch::Replaced u;
      u.replacement_token = pending_.token;
      u.previous_token = pending_.previous;
      Send(pending_.who, LiveOrder(e, u));
      return;
    }
    case EventType::kRejected:
      if (e.tag == kOuchTag) Reject(e.time, pending_.who, pending_.token, static_cast<RejectReason>(e.reason));
      return;
    case EventType::kCancelRejected:
      if (e.tag == kOuchTag) Send(pending_.who, ouch::CancelReject{ts, pending_.token});
      return;
    case EventType::kCanceled: {
      RefTable::Entry* it = by_ref_.Find(e.ref);
      if (it == nullptr) return;
      OrderInfo& info = infos_[it->info];
      Send(it->who, ouch::Canceled{ts, info.entered.token, e.qty, static_cast<char>(e.reason)});
      if (e.qty2 == 0) {
        info.live = false;
        it->who = RefTable::kNone;
      }
      return;
    }
    case EventType::kExecuted: {
      RefTable::Entry* it = by_ref_.Find(e.ref);
      if (it == nullptr) return;
      OrderInfo& info = infos_[it->info];
      ouch::Executed x;
      x.timestamp = ts;
      x.token = info.entered.token;
      x.executed_shares = e.qty;
      x.execution_price = static_cast<uint32_t>(e.price) * ouch::kPriceScale;
      x.liquidity_flag = static_cast<char>(e.reason);
      x.match_number = e.match;
      Send(it->who, x);
      if (e.qty2 == 0) {
        info.live = false;
        it->who = RefTable::kNone;
      }
      return;
    }
    default:
      return;  // auction results, trades: market data and settlement
  }
}

}  // namespace ccx
