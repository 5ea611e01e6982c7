#include "tools/mm/own_orders.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace ccx::bots {

void OwnOrders::SentEnter(const ouch::EnterOrder& o) {
  OwnOrder p;
  p.token = std::string(ouch::TokenView(o.token));
  p.category = std::string(ouch::StockView(o.stock));
  p.side = o.side;
  p.price = o.price;
  p.shares = o.shares;
  p.tif = o.tif;
  pending_[p.token] = std::move(p);
}

void OwnOrders::SentReplace(const ouch::ReplaceOrder& u) {
  const std::string existing(ouch::TokenView(u.existing_token));
  auto it = orders_.find(existing);
  if (it == orders_.end()) return;
  OwnOrder p = it->second;
  p.token = std::string(ouch::TokenView(u.replacement_token));
  p.price = u.price;
  p.shares = u.shares;
  p.tif = u.tif;
  p.live = false;
  p.ref = 0;
  p.replacing_with.clear();
  it->second.replacing_with = p.token;
  pending_[p.token] = std::move(p);
}

void OwnOrders::SentCancel(std::string_view token) {
  auto it = orders_.find(token);
  if (it != orders_.end()) it->second.cancel_sent = true;
}

void OwnOrders::Gone(OwnOrder* o) {
  if (o->live) --live_count_;
  o->live = false;
}

OrderEvent OwnOrders::Apply(const ouch::Outbound& message) {
  OrderEvent e = ApplyOne(message);
  switch (e.kind) {
    case OrderEvent::kAccepted: ++counts_.accepted; break;
    case OrderEvent::kReplaced: ++counts_.replaced; break;
    case OrderEvent::kCanceled: ++counts_.cancels[e.reason]; break;
    case OrderEvent::kRejected:
      ++counts_.enter_rejects;
      ++counts_.rejects[e.reason];
      break;
    case OrderEvent::kReplaceRejected:
      ++counts_.replace_rejects;
      ++counts_.rejects[e.reason];
      break;
    case OrderEvent::kCancelRejected: ++counts_.cancel_rejects; break;
    default: break;
  }
  return e;
}

Position OwnOrders::position(std::string_view category) const {
  auto it = positions_.find(category);
  return it == positions_.end() ? Position{} : it->second;
}

Position OwnOrders::Total() const {
  Position t;
  for (const auto& [code, p] : positions_) {
    t.bought += p.bought;
    t.sold += p.sold;
    t.bought_yen += p.bought_yen;
    t.sold_yen += p.sold_yen;
    t.executions += p.executions;
  }
  return t;
}

// The fields that Accepted and Replaced share, onto `o` (the order `token`).
template <typename Msg>
void OwnOrders::Live(OwnOrder* o, const std::string& token, const Msg& m) {
  o->token = token;
  o->category = std::string(ouch::StockView(m.stock));
  o->side = m.side;
  o->price = m.price;
  o->shares = m.shares;
  o->tif = m.tif;
  o->ref = m.order_ref;
  o->live = m.order_state == 'L' && m.shares > 0;
  live_count_ += o->live;
}

OrderEvent OwnOrders::ApplyOne(const ouch::Outbound& message) {
  OrderEvent e;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        e.timestamp = m.timestamp;
        if constexpr (std::is_same_v<T, ouch::SystemEvent>) {
          e.kind = OrderEvent::kSystem;
          e.code = m.event_code;
        } else if constexpr (std::is_same_v<T, ouch::Accepted>) {
          const std::string token(ouch::TokenView(m.token));
          pending_.erase(token);
          OwnOrder& o = orders_[token];
          if (o.live) --live_count_;  // (an order accepted twice cannot happen; keep counts right)
          Live(&o, token, m);
          e = OrderEvent{OrderEvent::kAccepted, token, "", o.category, o.side, ' ', ' ',
                         m.shares, m.price, o.live, m.timestamp};
        } else if constexpr (std::is_same_v<T, ouch::Replaced>) {
          const std::string token(ouch::TokenView(m.replacement_token));
          const std::string previous(ouch::TokenView(m.previous_token));
          pending_.erase(token);
          if (auto it = orders_.find(previous); it != orders_.end()) {
            Gone(&it->second);
            it->second.replacing_with.clear();
            it->second.shares = 0;
          }
          OwnOrder& o = orders_[token];
          Live(&o, token, m);
          e = OrderEvent{OrderEvent::kReplaced, token, previous, o.category, o.side, ' ', ' ',
                         m.shares, m.price, o.live, m.timestamp};
        } else if constexpr (std::is_same_v<T, ouch::Canceled>) {
          const std::string token(ouch::TokenView(m.token));
          auto it = orders_.find(token);
          if (it == orders_.end()) return;
          OwnOrder& o = it->second;
          o.shares -= std::min(o.shares, m.decrement_shares);
          if (o.shares == 0) Gone(&o);
          o.cancel_sent = false;
          e = OrderEvent{OrderEvent::kCanceled, token, "", o.category, o.side, m.reason, ' ',
                         m.decrement_shares, o.price, o.live, m.timestamp};
        } else if constexpr (std::is_same_v<T, ouch::Executed>) {
          const std::string token(ouch::TokenView(m.token));
          auto it = orders_.find(token);
          if (it == orders_.end()) return;
          OwnOrder& o = it->second;
          o.shares -= std::min(o.shares, m.executed_shares);
          if (o.shares == 0) Gone(&o);
          Position& p = positions_[o.category];
          const int64_t yen = Yen(m.execution_price, m.executed_shares);
          if (o.side == 'B') {
            p.bought += m.executed_shares;
            p.bought_yen += yen;
          } else {
            p.sold += m.executed_shares;
            p.sold_yen += yen;
          }
          ++p.executions;
          e = OrderEvent{OrderEvent::kExecuted, token, "", o.category, o.side, m.liquidity_flag,
                         ' ', m.executed_shares, m.execution_price, o.live, m.timestamp};
        } else if constexpr (std::is_same_v<T, ouch::Rejected>) {
          const std::string token(ouch::TokenView(m.token));
          OrderEvent r{OrderEvent::kRejected, token, "", "", 'B', m.reason, ' ', 0, 0, false,
                       m.timestamp};
          if (auto it = pending_.find(token); it != pending_.end()) {
            r.category = it->second.category;
            r.side = it->second.side;
            r.qty = it->second.shares;
            r.price = it->second.price;
            pending_.erase(it);
          }
          // A refused replacement leaves the original order as it was.
          for (auto& [tok, o] : orders_) {
            if (o.replacing_with == token) {
              o.replacing_with.clear();
              r.kind = OrderEvent::kReplaceRejected;
              r.previous = tok;
              r.category = o.category;
              r.side = o.side;
              r.live = o.live;
              break;
            }
          }
          e = r;
        } else if constexpr (std::is_same_v<T, ouch::CancelReject>) {
          const std::string token(ouch::TokenView(m.token));
          e.kind = OrderEvent::kCancelRejected;
          e.token = token;
          if (auto it = orders_.find(token); it != orders_.end()) {
            it->second.cancel_sent = false;
            e.category = it->second.category;
            e.side = it->second.side;
            e.live = it->second.live;
          }
        }
      },
      message);
  return e;
}

void OwnOrders::Clear() {
  orders_.clear();
  pending_.clear();
  positions_.clear();
  counts_ = OrderCounts{};
  live_count_ = 0;
}

const OwnOrder* OwnOrders::Find(std::string_view token) const {
  auto it = orders_.find(token);
  if (it != orders_.end()) return &it->second;
  auto p = pending_.find(token);
  return p == pending_.end() ? nullptr : &p->second;
}

std::vector<const OwnOrder*> OwnOrders::Live() const {
  std::vector<const OwnOrder*> out;
  out.reserve(live_count_);
  for (const auto& [tok, o] : orders_) {
    if (o.live) out.push_back(&o);
  }
  return out;
}

int64_t OwnOrders::OpenBuyYen() const {
  int64_t yen = 0;
  for (const auto& [tok, o] : orders_) {
    if (o.live && o.side == 'B') yen += Yen(o.price, o.shares);
  }
  return yen;
}

int64_t OwnOrders::OpenSellShares(std::string_view category) const {
  int64_t n = 0;
  for (const auto& [tok, o] : orders_) {
    if (o.live && o.side == 'S' && o.category == category) n += o.shares;
  }
  return n;
}

}  // namespace ccx::bots
