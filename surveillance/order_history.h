// OrderHistory: the life of every order of a replayed journal — entered, replaced,
// cancelled (by the owner or by the exchange), executed — with timestamps and the OUCH
// token its owner gave it, plus every order request the exchange rejected. Built from the
// engine events of each record (OrderEntry::applied_events) and the record's input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "surveillance/replayer.h"

namespace ccx::surveillance {

enum class StepKind : uint8_t {
  kEntered = 'A',   ///< accepted (or, with `other` set, the new order of a replace)
  kReplaced = 'U',  ///< replaced by order `other` (this order is gone)
  kCanceled = 'C',  ///< cancelled or reduced: qty = decrement, leaves = open afterwards
  kExecuted = 'E',  ///< executed at an auction: qty, price, match, leaves
};

/// "entered", "replaced", "canceled", "executed".
std::string_view ToString(StepKind kind);

/// One thing that happened to an order.
struct OrderStep {
  StepKind kind = StepKind::kEntered;
  Timestamp time = 0;        ///< the engine's time of the event (ns since the epoch)
  uint64_t sequence = 0;     ///< the journal record that caused it
  Qty qty = 0;               ///< entered / decrement / executed quantity
  Qty leaves = 0;            ///< open quantity afterwards
  Price price = 0;           ///< entered / execution price
  MatchNumber match = 0;     ///< executions
  OrderRef other = 0;        ///< replace: the other order
  char reason = 0;           ///< cancel reason (U, I, T, S, D, Z); liquidity flag I/C
  uint8_t session = 0;       ///< executions: the auction's session index
  uint32_t next = UINT32_MAX;  ///< (the order's next step in OrderHistory's storage)
};

struct OrderLife {
  OrderRef ref = 0;
  ParticipantId participant = 0;
  CategoryId category = 0;
  Side side = Side::kBuy;
  Tif tif = Tif::kDay;
  Price price = 0;           ///< limit price as entered (yen)
  Qty qty = 0;               ///< quantity as entered
  Qty open = 0;              ///< open quantity now (0 once gone)
  Qty executed = 0;          ///< executed in total
  std::string token;         ///< the owner's OUCH token (trimmed; empty if not from OUCH)
  Timestamp entered = 0;
  Timestamp ended = 0;       ///< when it left the book (0 while live)
  OrderRef replaces = 0;     ///< the order this one replaced (0 if none)
  OrderRef replaced_by = 0;  ///< the order that replaced this one (0 if none)
  uint32_t first_step = UINT32_MAX;  ///< see OrderHistory::Steps
  uint32_t last_step = UINT32_MAX;
  bool live() const { return open > 0; }
};

/// An order request refused by the exchange (OUCH `J`); it never became an order.
struct RejectedRequest {
  Timestamp time = 0;
  uint64_t sequence = 0;
  ParticipantId participant = 0;
  std::string token;
  char request = 'O';        ///< 'O' enter, 'U' replace
  char reason = 0;           ///< PROTOCOL.md §2 reject reason
  std::string category;      ///< from the request (enter), may be unknown
  char side = 0;
  Qty qty = 0;
  Price price = 0;           ///< yen (the wire price / 10,000)
};

class OrderHistory : public ReplayObserver {
 public:
  void BeforeRecord(const Replayer& replayer, const JournalRecord& record) override;
  void AfterRecord(const Replayer& replayer, const JournalRecord& record) override;

  /// The order with engine reference `ref`, or nullptr. Valid until the next record.
  const OrderLife* Find(OrderRef ref) const;
  /// Every order, in reference (= arrival) order.
  const std::vector<OrderLife>& orders() const { return orders_; }
  /// What happened to `order`, in time order; the first step is kEntered.
  std::vector<OrderStep> Steps(const OrderLife& order) const;
  const std::vector<RejectedRequest>& rejected() const { return rejected_; }

 private:
  OrderLife* Mutable(OrderRef ref);
  void AddStep(OrderLife* order, const OrderStep& step);
  void OnEvent(const Replayer& r, const JournalRecord& rec, const Event& e);

  std::vector<OrderLife> orders_;
  std::vector<RejectedRequest> rejected_;
  // Order references are dense and increasing: index_[ref - base_] is the order's index in
  // orders_ plus one (0: not an order of this history). Steps of all orders share one
  // vector, each order's linked through OrderStep::next (no allocation per order).
  std::vector<uint32_t> index_;
  OrderRef base_ = 0;
  std::vector<OrderStep> steps_;
  uint64_t stream_size_before_ = 0;  ///< the sender's OUCH stream before a kOuch record
  absl::CivilDay day_before_;
};

}  // namespace ccx::surveillance
