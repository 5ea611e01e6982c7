// OwnOrders: a participant's own orders and executions as its OUCH session tells them
// (PROTOCOL.md §2), for the trading bots. Requests are noted when sent (Sent*), answers
// applied in sequence (Apply), which returns what happened so the owner can count and
// react. Rebuilt from nothing by replaying the day's messages after a reconnection
// (Clear, then Apply every replayed message; requests with no answer were never seen).
//
// Prices are wire prices (yen × 10000); quantities t-CO2; values yen.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/protocol/ouch.h"

namespace ccx::bots {

struct OwnOrder {
  std::string token;
  std::string category;
  char side = 'B';
  uint32_t price = 0;   ///< wire price
  uint32_t shares = 0;  ///< open shares
  uint32_t tif = 99999;
  uint64_t ref = 0;     ///< the exchange's order reference (0 until accepted)
  bool live = false;    ///< accepted and not yet gone
  bool cancel_sent = false;
  std::string replacing_with;  ///< token of a replace in flight, or empty
};

/// One participant's day in one category.
struct Position {
  int64_t bought = 0;  ///< t-CO2
  int64_t sold = 0;
  int64_t bought_yen = 0;
  int64_t sold_yen = 0;
  int64_t executions = 0;
  int64_t inventory() const { return bought - sold; }
};

/// The day's requests as the exchange answered them (rebuilt by a replay).
struct OrderCounts {
  int64_t accepted = 0;         ///< new orders accepted
  int64_t replaced = 0;         ///< replaces done
  int64_t enter_rejects = 0;    ///< new orders refused
  int64_t replace_rejects = 0;  ///< replaces refused
  int64_t cancel_rejects = 0;   ///< cancels of orders no longer live
  std::map<char, int64_t> rejects;  ///< refusals (new and replace) by reason
  std::map<char, int64_t> cancels;  ///< cancellations by reason (U own, T/I expiry, ...)
  int64_t orders() const { return accepted + enter_rejects; }
  int64_t replaces() const { return replaced + replace_rejects; }
  int64_t cancelled(char reason) const {
    auto it = cancels.find(reason);
    return it == cancels.end() ? 0 : it->second;
  }
};

/// What one OUCH message meant for the owner's orders.
struct OrderEvent {
  enum Kind {
    kNone,            ///< nothing about a known order (or a system event)
    kSystem,          ///< OUCH system event (`code`: S start, E end of day)
    kAccepted,        ///< a new order is live (or dead at once, `live` false)
    kReplaced,        ///< `previous` is gone, `token` is live with new price/shares
    kCanceled,        ///< `qty` cancelled; `reason` U, I, T, S, D, Z
    kExecuted,        ///< `qty` at `price`
    kRejected,        ///< a new order was refused (`reason`)
    kReplaceRejected, ///< the replace `token` of `previous` was refused; `previous` unchanged
    kCancelRejected,  ///< cancel of `token` refused: it is not live
  };
  Kind kind = kNone;
  std::string token;
  std::string previous;
  std::string category;
  char side = 'B';
  char reason = ' ';
  char code = ' ';
  uint32_t qty = 0;
  uint32_t price = 0;
  bool live = false;     ///< the order (`token`) is still live afterwards
  uint64_t timestamp = 0;  ///< ns since midnight of the trading date (exchange time)
};

class OwnOrders {
 public:
  /// Notes requests as they are sent.
  void SentEnter(const ouch::EnterOrder& o);
  void SentReplace(const ouch::ReplaceOrder& u);
  void SentCancel(std::string_view token);

  /// Applies one answer in sequence.
  OrderEvent Apply(const ouch::Outbound& message);

  /// Forgets every order and position (before a replay from sequence 1).
  void Clear();

  /// The order with this token (live, pending or gone), or nullptr.
  const OwnOrder* Find(std::string_view token) const;
  /// True while an enter with this token waits for its answer.
  bool Pending(std::string_view token) const { return pending_.contains(token); }
  /// Live orders, in no particular order.
  std::vector<const OwnOrder*> Live() const;
  size_t live_count() const { return live_count_; }

  /// Position per category (code).
  const std::map<std::string, Position, std::less<>>& positions() const { return positions_; }
  /// The position in `category` (zero when it never traded).
  Position position(std::string_view category) const;
  /// Executions, bought and sold over all categories.
  Position Total() const;
  const OrderCounts& counts() const { return counts_; }
  /// Yen committed to open buy orders (price × open shares), all categories.
  int64_t OpenBuyYen() const;
  /// Open sell shares in `category`.
  int64_t OpenSellShares(std::string_view category) const;

 private:
  void Gone(OwnOrder* o);
  OrderEvent ApplyOne(const ouch::Outbound& message);
  /// Records an Accepted or Replaced message of `token` on `o` (live count included).
  template <typename Msg>
  void Live(OwnOrder* o, const std::string& token, const Msg& m);

  std::map<std::string, OwnOrder, std::less<>> orders_;   // accepted orders by token
  std::map<std::string, OwnOrder, std::less<>> pending_;  // enters (and replacements) in flight
  std::map<std::string, Position, std::less<>> positions_;
  OrderCounts counts_;
  size_t live_count_ = 0;
};

/// Yen of `qty` at wire `price` (whole yen: ccx ticks are whole yen).
inline int64_t Yen(uint32_t price, int64_t qty) {
  return static_cast<int64_t>(price / ouch::kPriceScale) * qty;
}

}  // namespace ccx::bots
